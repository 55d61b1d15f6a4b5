//! Throughput of the pure analysis stages on one core, in bytes of minutes
//! text per second (criterion prints MiB/s), over the real seed minutes.
//!
//! Run: `cargo bench --bench stages`. Needs ../shared/seeds beside the repo.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use minutes_watch::classify::Classifier;
use minutes_watch::model::Item;
use std::hint::black_box;
use std::path::Path;

fn seed_texts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter_map(|b| minutes_watch::extract::text::decode(&b).ok())
        .map(|t| t.pages.concat())
        .collect()
}

fn stages(c: &mut Criterion) {
    let texts = seed_texts();
    if texts.is_empty() {
        eprintln!("SKIPPED: ../shared/seeds is not present next to the repository");
        return;
    }
    let pages: Vec<Vec<String>> = texts.iter().map(|t| vec![t.clone()]).collect();
    let text_bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    let classifier = Classifier::builtin().expect("config/topics.toml is valid");
    let segmented: Vec<_> = pages
        .iter()
        .map(|p| minutes_watch::segment::segment(p, false))
        .collect();
    let items: Vec<Item> = segmented.iter().flat_map(|s| s.items.clone()).collect();
    let item_bytes: u64 = items
        .iter()
        .map(|i| (i.title.len() + i.text.len()) as u64)
        .sum();

    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(text_bytes));
    group.bench_function("segment", |b| {
        b.iter(|| {
            for p in &pages {
                black_box(minutes_watch::segment::segment(black_box(p), false));
            }
        })
    });
    group.throughput(Throughput::Bytes(item_bytes));
    group.bench_function("classify", |b| {
        b.iter(|| {
            for item in &items {
                black_box(classifier.classify(black_box(&item.title), black_box(&item.text)));
            }
        })
    });
    group.bench_function("followups", |b| {
        b.iter(|| {
            for s in &segmented {
                black_box(minutes_watch::followups::detect(
                    &s.meeting,
                    black_box(&s.items),
                ));
            }
        })
    });
    group.throughput(Throughput::Bytes(text_bytes));
    group.bench_function("whole_pipeline", |b| {
        let identity = minutes_watch::pipeline::InputIdentity {
            file: "seed.txt".into(),
            folder: String::new(),
            sha256: "0".repeat(64),
            bytes: 0,
        };
        let extracted: Vec<_> = texts
            .iter()
            .filter_map(|t| minutes_watch::extract::text::decode(t.as_bytes()).ok())
            .collect();
        b.iter(|| {
            for e in &extracted {
                black_box(minutes_watch::pipeline::analyse(
                    &identity,
                    e.clone(),
                    &classifier,
                ));
            }
        })
    });
    // Reading each item for the ledger (sentences, content words, what is
    // reported done): the pure part of recording a document, per document.
    let documents: Vec<_> = texts
        .iter()
        .filter_map(|t| minutes_watch::extract::text::decode(t.as_bytes()).ok())
        .map(|e| {
            let identity = minutes_watch::pipeline::InputIdentity {
                file: "seed.txt".into(),
                folder: String::new(),
                sha256: "0".repeat(64),
                bytes: 0,
            };
            minutes_watch::pipeline::analyse(&identity, e, &classifier)
        })
        .collect();
    group.throughput(Throughput::Bytes(item_bytes));
    group.bench_function("ledger_read", |b| {
        b.iter(|| {
            for doc in &documents {
                black_box(minutes_watch::ledger::Ledger::prepare(black_box(doc)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
