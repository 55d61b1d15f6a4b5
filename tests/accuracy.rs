//! Accuracy against hand labels, measured as a council would measure it:
//! the real binary classifies real minutes (`classify`), and `evaluate`
//! scores its documents against labels written by hand from the text
//! (`tests/labels/`, format in `docs/labels.md`).
//!
//! The floors are the figures reached when the labels were written; a change
//! that makes any of them worse fails here. They are floors over many
//! documents from many councils, never one document's exact output.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::BIN;
use serde_json::Value;

/// Runs `classify` over `inputs` and writes each document to `out`.
fn classify_into(inputs: &[PathBuf], out: &Path) {
    let output = Command::new(BIN)
        .arg("classify")
        .args(inputs)
        .output()
        .expect("run classify");
    // Unreadable inputs (a scan, an encrypted file) are reported on stderr
    // and leave the others alone; their labels count as missed.
    let stream = serde_json::Deserializer::from_slice(&output.stdout).into_iter::<Value>();
    let mut written = 0;
    for (k, doc) in stream.enumerate() {
        let doc = doc.expect("classify prints one JSON document per readable file");
        let path = out.join(format!("{k:04}.json"));
        std::fs::write(&path, serde_json::to_vec(&doc).expect("serialise")).expect("write doc");
        written += 1;
    }
    assert!(written > 0, "classify produced no documents");
}

fn inputs(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("list corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// The totals `evaluate --format json` prints for one label folder.
fn evaluate(labels: &str, inputs: &[PathBuf]) -> Value {
    let docs = tempfile::tempdir().expect("temp dir");
    classify_into(inputs, docs.path());
    let labels = Path::new(env!("CARGO_MANIFEST_DIR")).join(labels);
    let output = Command::new(BIN)
        .arg("evaluate")
        .arg(&labels)
        .arg(docs.path())
        .args(["--format", "json"])
        .output()
        .expect("run evaluate");
    assert!(
        output.status.success(),
        "evaluate failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The table with every miss, for whoever reads a failure.
    let table = Command::new(BIN)
        .arg("evaluate")
        .arg(&labels)
        .arg(docs.path())
        .arg("--verbose")
        .output()
        .expect("run evaluate");
    eprintln!("{}", String::from_utf8_lossy(&table.stdout));
    let report: Value = serde_json::from_slice(&output.stdout).expect("evaluate prints JSON");
    report["total"].clone()
}

fn n(total: &Value, path: &[&str]) -> f64 {
    let mut v = total;
    for key in path {
        v = &v[*key];
    }
    v.as_f64()
        .unwrap_or_else(|| panic!("no number at {path:?} in {total}"))
}

struct Figures {
    minutes: f64,
    minutes_with_items: f64,
    item_recall: f64,
    invented_share: f64,
    date_accuracy: f64,
    committee_accuracy: f64,
    topic_f1: f64,
    follow_up_recall: f64,
    follow_up_not_real: f64,
    duplicated: f64,
}

fn figures(t: &Value) -> Figures {
    let found = n(t, &["items", "found"]);
    let missed = n(t, &["items", "missed"]);
    let real = (found + missed).max(1.0);
    let field = |name: &str| {
        let right = n(t, &[name, "right"]);
        let all = right + n(t, &[name, "wrong"]) + n(t, &[name, "missing"]);
        if all == 0.0 {
            1.0
        } else {
            right / all
        }
    };
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    if let Some(topics) = t["topics"].as_object() {
        for c in topics.values() {
            tp += c["tp"].as_f64().unwrap_or(0.0);
            fp += c["fp"].as_f64().unwrap_or(0.0);
            fn_ += c["fn"].as_f64().unwrap_or(0.0);
        }
    }
    let fu_found = n(t, &["follow_ups", "found"]);
    let fu_missed = n(t, &["follow_ups", "missed"]);
    let not_real = n(t, &["follow_ups", "not_real"]);
    let duplicated = n(t, &["follow_ups", "duplicated"]);
    let reported = fu_found + n(t, &["follow_ups", "borderline"]) + not_real + duplicated;
    Figures {
        minutes: n(t, &["minutes_documents"]),
        minutes_with_items: n(t, &["minutes_with_items"]),
        item_recall: found / real,
        invented_share: n(t, &["items", "invented"]) / real,
        date_accuracy: field("date"),
        committee_accuracy: field("committee"),
        topic_f1: if tp + fp + fn_ == 0.0 {
            1.0
        } else {
            2.0 * tp / (2.0 * tp + fp + fn_)
        },
        follow_up_recall: if fu_found + fu_missed == 0.0 {
            1.0
        } else {
            fu_found / (fu_found + fu_missed)
        },
        follow_up_not_real: if reported == 0.0 {
            0.0
        } else {
            not_real / reported
        },
        duplicated,
    }
}

#[test]
fn development_corpus_of_many_councils_meets_its_floors() {
    let Some(shared) = common::shared_or_skip() else {
        return;
    };
    let pages = inputs(&shared.join("corpus/pages"), "txt");
    assert_eq!(pages.len(), 100, "the development corpus has 100 excerpts");
    let f = figures(&evaluate("tests/labels/pages", &pages));
    assert_eq!(f.minutes, 100.0);
    assert!(
        f.minutes_with_items >= 98.0,
        "minutes yielding items: {}",
        f.minutes_with_items
    );
    assert!(f.item_recall >= 0.86, "items found {:.3}", f.item_recall);
    assert!(f.invented_share <= 0.17, "invented {:.3}", f.invented_share);
    assert!(f.date_accuracy >= 0.89, "dates {:.3}", f.date_accuracy);
    assert!(
        f.committee_accuracy >= 0.63,
        "committees {:.3}",
        f.committee_accuracy
    );
    assert!(f.topic_f1 >= 0.85, "topic F1 {:.3}", f.topic_f1);
    assert!(
        f.follow_up_recall >= 0.50,
        "follow-up recall {:.3}",
        f.follow_up_recall
    );
    assert!(
        f.follow_up_not_real <= 0.25,
        "not real {:.3}",
        f.follow_up_not_real
    );
    assert!(f.duplicated <= 1.0, "duplicated {}", f.duplicated);
}

#[test]
fn seed_minutes_stay_right() {
    let Some(shared) = common::shared_or_skip() else {
        return;
    };
    let seeds = inputs(&shared.join("seeds"), "txt");
    let f = figures(&evaluate("tests/labels/seeds", &seeds));
    assert_eq!(f.item_recall, 1.0, "all 47 seed items");
    assert_eq!(f.invented_share, 0.0);
    assert_eq!(f.date_accuracy, 1.0);
    assert_eq!(f.topic_f1, 1.0);
    assert_eq!(f.follow_up_recall, 1.0, "every seed request");
    assert_eq!(f.follow_up_not_real, 0.0);
    assert_eq!(f.duplicated, 0.0);
}

#[test]
fn corpus_pdfs_minutes_and_other_documents() {
    let Some(shared) = common::shared_or_skip() else {
        return;
    };
    let pdfs = inputs(&shared.join("corpus/pdf"), "pdf");
    let t = evaluate("tests/labels/pdf", &pdfs);
    let f = figures(&t);
    assert!(f.item_recall >= 0.90, "items found {:.3}", f.item_recall);
    assert!(f.invented_share <= 0.02, "invented {:.3}", f.invented_share);
    assert!(f.date_accuracy >= 0.99, "dates {:.3}", f.date_accuracy);
    assert!(
        f.committee_accuracy >= 0.80,
        "committees {:.3}",
        f.committee_accuracy
    );
    assert!(f.topic_f1 >= 0.85, "topic F1 {:.3}", f.topic_f1);
    let kind_right = n(&t, &["kind", "right"]);
    let kind_all = kind_right + n(&t, &["kind", "wrong"]);
    assert!(
        kind_right / kind_all >= 0.88,
        "kinds {kind_right} of {kind_all}"
    );
    assert!(
        f.follow_up_not_real <= 0.45,
        "not real {:.3}",
        f.follow_up_not_real
    );
}
