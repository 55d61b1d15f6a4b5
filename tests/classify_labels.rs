//! The four mission topics (Ofsted, SEND, budget, care leavers) against hand
//! labels of real minutes, through the real extract + segment + classify
//! stages. Skips when the shared corpus is not checked out next to the crate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minutes_watch::classify::Classifier;
use minutes_watch::model::{Format, Item};
use serde::Deserialize;

const MISSION_TOPICS: [&str; 4] = ["ofsted", "send", "budget", "care_leavers"];
const MIN_PRECISION: f64 = 0.9;
const MIN_RECALL: f64 = 0.9;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Labels {
    document: Vec<LabelledDocument>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelledDocument {
    path: String,
    items: Vec<LabelledItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelledItem {
    number: String,
    procedural: bool,
    topics: Vec<String>,
    #[allow(dead_code)]
    note: Option<String>,
}

fn shared_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")).to_path_buf()
}

fn labels() -> Labels {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/labels_hand.toml"
    );
    let source = std::fs::read_to_string(path).expect("labels fixture is part of the repository");
    toml::from_str(&source).expect("labels fixture parses")
}

fn segment_file(path: &Path) -> Vec<Item> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let extracted = minutes_watch::extract::extract_in_process(&bytes)
        .unwrap_or_else(|e| panic!("extracting {}: {e}", path.display()));
    let paginated = extracted.format == Format::Pdf;
    minutes_watch::segment::segment(&extracted.pages, paginated).items
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    true_positive: u32,
    false_positive: u32,
    false_negative: u32,
}

impl Counts {
    fn precision(&self) -> f64 {
        let tagged = self.true_positive + self.false_positive;
        if tagged == 0 {
            1.0
        } else {
            f64::from(self.true_positive) / f64::from(tagged)
        }
    }
    fn recall(&self) -> f64 {
        let relevant = self.true_positive + self.false_negative;
        if relevant == 0 {
            1.0
        } else {
            f64::from(self.true_positive) / f64::from(relevant)
        }
    }
}

#[test]
fn mission_topics_meet_precision_and_recall_on_hand_labels() {
    let shared = shared_dir();
    if !shared.is_dir() {
        eprintln!(
            "SKIP mission_topics_meet_precision_and_recall_on_hand_labels: {} not found",
            shared.display()
        );
        return;
    }
    let classifier = Classifier::builtin().expect("shipped taxonomy compiles");
    let labels = labels();
    let mut counts: BTreeMap<&str, Counts> = MISSION_TOPICS
        .iter()
        .map(|t| (*t, Counts::default()))
        .collect();
    let mut procedural_wrong = Vec::new();
    let mut mistakes = Vec::new();
    let mut labelled_items = 0;
    for doc in &labels.document {
        let path = shared.join(&doc.path);
        if !path.is_file() {
            eprintln!("SKIP {}: not found", path.display());
            continue;
        }
        let items = segment_file(&path);
        for label in &doc.items {
            labelled_items += 1;
            let item = items.iter().find(|i| i.number == label.number);
            let (procedural, predicted): (bool, Vec<String>) = match item {
                Some(item) => {
                    let c = classifier.classify(&item.title, &item.text);
                    (c.procedural, c.topics.into_iter().map(|t| t.id).collect())
                }
                None => {
                    mistakes.push(format!(
                        "{} item {}: not produced by segmentation",
                        doc.path, label.number
                    ));
                    (false, Vec::new())
                }
            };
            if item.is_some() && procedural != label.procedural {
                procedural_wrong.push(format!("{} item {}", doc.path, label.number));
            }
            for topic in MISSION_TOPICS {
                let want = label.topics.iter().any(|t| t == topic);
                let got = predicted.iter().any(|t| t == topic);
                let Some(c) = counts.get_mut(topic) else {
                    continue;
                };
                match (want, got) {
                    (true, true) => c.true_positive += 1,
                    (false, true) => {
                        c.false_positive += 1;
                        mistakes.push(format!("{} item {}: false {topic}", doc.path, label.number));
                    }
                    (true, false) => {
                        c.false_negative += 1;
                        mistakes.push(format!(
                            "{} item {}: missed {topic}",
                            doc.path, label.number
                        ));
                    }
                    (false, false) => {}
                }
            }
        }
    }
    eprintln!("{labelled_items} labelled items");
    for (topic, c) in &counts {
        eprintln!(
            "{topic:>13}: precision {:.2} recall {:.2} (tp {} fp {} fn {})",
            c.precision(),
            c.recall(),
            c.true_positive,
            c.false_positive,
            c.false_negative
        );
    }
    for m in &mistakes {
        eprintln!("  {m}");
    }
    assert!(labelled_items > 0);
    assert!(
        procedural_wrong.is_empty(),
        "procedural flag wrong for {procedural_wrong:?}"
    );
    for (topic, c) in &counts {
        assert!(
            c.true_positive > 0,
            "{topic}: the labels contain no positive that was found, so the figures mean nothing"
        );
        assert!(
            c.precision() >= MIN_PRECISION,
            "{topic}: precision {:.2}",
            c.precision()
        );
        assert!(
            c.recall() >= MIN_RECALL,
            "{topic}: recall {:.2}",
            c.recall()
        );
    }
}

#[test]
fn every_tag_on_real_minutes_has_evidence_that_points_at_its_text() {
    let shared = shared_dir();
    if !shared.is_dir() {
        eprintln!("SKIP: {} not found", shared.display());
        return;
    }
    let classifier = Classifier::builtin().expect("shipped taxonomy compiles");
    let mut checked = 0;
    for doc in &labels().document {
        let path = shared.join(&doc.path);
        if !path.is_file() {
            continue;
        }
        for item in segment_file(&path) {
            for tag in classifier.classify(&item.title, &item.text).topics {
                assert!(!tag.evidence.is_empty(), "{} has no evidence", tag.id);
                assert!((0.0..=1.0).contains(&tag.score));
                for e in &tag.evidence {
                    let source = if e.in_title { &item.title } else { &item.text };
                    assert_eq!(source.get(e.start..e.end), Some(e.text.as_str()), "{e:?}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 0);
}
