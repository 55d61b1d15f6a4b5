//! Scores published documents against hand labels: how many items, meeting
//! dates, committees, topics and follow-ups minutes-watch got right.
//!
//! The label format is described in `docs/labels.md`. Scoring is pure (labels
//! and documents in, counts out) so the tests can call it without files;
//! `minutes-watch evaluate` only reads the folders and prints the result.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::model::{Document, Item};

/// The four topics the labelling guide judges.
pub const MISSION_TOPICS: [&str; 4] = ["ofsted", "send", "budget", "care_leavers"];

/// Hand labels for one input, as written in a label file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// The input's file name, as in the document's `source.file`.
    pub file: String,
    #[serde(default)]
    pub council: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub partial: bool,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub meeting: LabelMeeting,
    #[serde(default, rename = "item")]
    pub items: Vec<LabelItem>,
    #[serde(default, rename = "follow_up")]
    pub follow_ups: Vec<LabelFollowUp>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelMeeting {
    pub date: Option<String>,
    pub committee: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelItem {
    pub key: String,
    #[serde(default)]
    pub procedural: Option<bool>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub maybe_topics: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelFollowUp {
    #[serde(default)]
    pub item: Option<String>,
    pub text: String,
    #[serde(default = "default_true")]
    pub required: bool,
    #[serde(default)]
    pub note: Option<String>,
}

fn default_true() -> bool {
    true
}

/// A label that cannot be scored as written.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

impl Label {
    /// Parses and checks one label file's text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Label, LabelError> {
        let label: Label = toml::from_str(text).map_err(|e| LabelError::Invalid {
            file: origin.to_string(),
            message: e.to_string(),
        })?;
        let invalid = |message: String| LabelError::Invalid {
            file: origin.to_string(),
            message,
        };
        for item in &label.items {
            for topic in item.topics.iter().chain(&item.maybe_topics) {
                if !MISSION_TOPICS.contains(&topic.as_str()) {
                    return Err(invalid(format!(
                        "item {}: unknown topic {topic:?} (expected one of {})",
                        item.key,
                        MISSION_TOPICS.join(", ")
                    )));
                }
            }
            if item.key.trim().is_empty() || item.key.trim() == "title:" {
                return Err(invalid("an item has an empty key".to_string()));
            }
        }
        if let Some(kind) = &label.kind {
            if !["minutes", "decision", "agenda", "report", "other"].contains(&kind.as_str()) {
                return Err(invalid(format!("unknown kind {kind:?}")));
            }
        }
        for fu in &label.follow_ups {
            if normalise(&fu.text).is_empty() {
                return Err(invalid("a follow_up has an empty text".to_string()));
            }
        }
        Ok(label)
    }
}

/// Lower case, letters and digits only, single spaces: how keys, titles and
/// follow-up fragments are compared.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// A printed item number compared without case, spacing or a trailing dot.
fn number_key(number: &str) -> String {
    number
        .trim()
        .trim_end_matches('.')
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Committee names compared as the guide says: case, "&"/"and",
/// punctuation and a leading "the" ignored.
fn committee_key(name: &str) -> String {
    let words = normalise(&name.replace('&', " and "));
    words.strip_prefix("the ").unwrap_or(&words).to_string()
}

/// Whether a labelled item key names this reported item.
fn key_matches(key: &str, item: &Item) -> bool {
    let key = key.trim();
    if let Some(fragment) = key.strip_prefix("title:") {
        let fragment = normalise(fragment);
        return !fragment.is_empty() && normalise(&item.title).contains(&fragment);
    }
    if key.eq_ignore_ascii_case("untitled") {
        return item.number.trim().is_empty() && item.title.trim().is_empty();
    }
    !item.number.trim().is_empty() && number_key(&item.number) == number_key(key)
}

/// Counts of one kind of judgement, summed over documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub found: usize,
    pub missed: usize,
    pub invented: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FieldCounts {
    pub right: usize,
    pub wrong: usize,
    pub missing: usize,
    pub guessed: usize,
}

impl FieldCounts {
    fn judge(
        &mut self,
        expected: Option<&str>,
        got: Option<&str>,
        same: impl Fn(&str, &str) -> bool,
    ) {
        match (expected, got) {
            (Some(e), Some(g)) if same(e, g) => self.right += 1,
            (Some(_), Some(_)) => self.wrong += 1,
            (Some(_), None) => self.missing += 1,
            (None, Some(_)) => self.guessed += 1,
            (None, None) => {}
        }
    }

    /// Share of labelled values reported right.
    pub fn accuracy(&self) -> Option<f64> {
        ratio(self.right, self.right + self.wrong + self.missing)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TopicCounts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl TopicCounts {
    pub fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> Option<f64> {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FollowUpCounts {
    pub found: usize,
    pub missed: usize,
    pub not_real: usize,
    pub duplicated: usize,
    /// Reported follow-ups that match a borderline label (no penalty).
    pub borderline: usize,
}

impl FollowUpCounts {
    pub fn recall(&self) -> Option<f64> {
        ratio(self.found, self.found + self.missed)
    }
    /// Share of reported follow-ups that match no label.
    pub fn not_real_share(&self) -> Option<f64> {
        let reported = self.found + self.borderline + self.not_real + self.duplicated;
        ratio(self.not_real, reported)
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Everything judged for one document (or, summed, for many).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Score {
    pub documents: usize,
    /// Documents the labels name that were not found in the folder.
    pub documents_missing: usize,
    /// Minutes documents (by label) and how many of them yielded items.
    pub minutes_documents: usize,
    pub minutes_with_items: usize,
    pub items: Counts,
    pub date: FieldCounts,
    pub committee: FieldCounts,
    pub kind: FieldCounts,
    pub topics: BTreeMap<String, TopicCounts>,
    pub follow_ups: FollowUpCounts,
    /// Item keys missed and titles invented, for reading ("042.txt: missed 3").
    pub details: Vec<String>,
}

impl Score {
    fn add(&mut self, other: &Score) {
        self.documents += other.documents;
        self.documents_missing += other.documents_missing;
        self.minutes_documents += other.minutes_documents;
        self.minutes_with_items += other.minutes_with_items;
        add_counts(&mut self.items, &other.items);
        for (mine, theirs) in [
            (&mut self.date, &other.date),
            (&mut self.committee, &other.committee),
            (&mut self.kind, &other.kind),
        ] {
            mine.right += theirs.right;
            mine.wrong += theirs.wrong;
            mine.missing += theirs.missing;
            mine.guessed += theirs.guessed;
        }
        for (topic, counts) in &other.topics {
            let mine = self.topics.entry(topic.clone()).or_default();
            mine.tp += counts.tp;
            mine.fp += counts.fp;
            mine.fn_ += counts.fn_;
        }
        let (a, b) = (&mut self.follow_ups, &other.follow_ups);
        a.found += b.found;
        a.missed += b.missed;
        a.not_real += b.not_real;
        a.duplicated += b.duplicated;
        a.borderline += b.borderline;
        self.details.extend(other.details.iter().cloned());
    }

    /// Items found as a share of labelled items.
    pub fn item_recall(&self) -> Option<f64> {
        ratio(self.items.found, self.items.found + self.items.missed)
    }

    /// Invented items as a share of labelled (real) items.
    pub fn invented_share(&self) -> Option<f64> {
        ratio(self.items.invented, self.items.found + self.items.missed)
    }

    /// All four mission topics pooled.
    pub fn topics_pooled(&self) -> TopicCounts {
        self.topics
            .values()
            .fold(TopicCounts::default(), |acc, c| TopicCounts {
                tp: acc.tp + c.tp,
                fp: acc.fp + c.fp,
                fn_: acc.fn_ + c.fn_,
            })
    }
}

fn add_counts(a: &mut Counts, b: &Counts) {
    a.found += b.found;
    a.missed += b.missed;
    a.invented += b.invented;
}

/// Whether the label describes minutes (or a decision record): the kinds
/// whose items and follow-ups are judged.
fn is_minutes(label: &Label) -> bool {
    label
        .kind
        .as_deref()
        .is_none_or(|k| k == "minutes" || k == "decision")
}

/// Scores one document against its label; `doc` is None when no document
/// was published for the labelled file.
pub fn score(label: &Label, doc: Option<&Document>) -> Score {
    let mut s = Score {
        documents: 1,
        ..Score::default()
    };
    let name = &label.file;
    let Some(doc) = doc else {
        s.documents_missing = 1;
        s.items.missed = label.items.len();
        s.follow_ups.missed = label.follow_ups.iter().filter(|f| f.required).count();
        s.details.push(format!("{name}: no document"));
        if is_minutes(label) {
            s.minutes_documents = 1;
        }
        return s;
    };
    s.kind
        .judge(label.kind.as_deref(), Some(doc.kind.as_str()), |a, b| {
            a == b
        });
    if label.kind.is_some() && label.kind.as_deref() != Some(doc.kind.as_str()) {
        s.details.push(format!(
            "{name}: kind {} reported as {}",
            label.kind.as_deref().unwrap_or("?"),
            doc.kind.as_str()
        ));
    }
    if is_minutes(label) {
        s.minutes_documents = 1;
        s.minutes_with_items = usize::from(!doc.items.is_empty());
        score_items(label, doc, &mut s);
        s.date.judge(
            label.meeting.date.as_deref(),
            doc.meeting.date.as_deref(),
            |a, b| a == b,
        );
        if s.date.wrong + s.date.missing + s.date.guessed > 0 {
            s.details.push(format!(
                "{name}: date {:?} reported as {:?}",
                label.meeting.date, doc.meeting.date
            ));
        }
        s.committee.judge(
            label.meeting.committee.as_deref(),
            doc.meeting.committee.as_deref(),
            |a, b| committee_key(a) == committee_key(b),
        );
        if s.committee.wrong + s.committee.missing + s.committee.guessed > 0 {
            s.details.push(format!(
                "{name}: committee {:?} reported as {:?}",
                label.meeting.committee, doc.meeting.committee
            ));
        }
    }
    score_follow_ups(label, doc, &mut s);
    s
}

fn score_items(label: &Label, doc: &Document, s: &mut Score) {
    let name = &label.file;
    let mut claimed = vec![false; doc.items.len()];
    for topic in MISSION_TOPICS {
        s.topics.entry(topic.to_string()).or_default();
    }
    for wanted in &label.items {
        let hit = doc
            .items
            .iter()
            .enumerate()
            .find(|(k, item)| !claimed[*k] && key_matches(&wanted.key, item))
            .or_else(|| {
                doc.items
                    .iter()
                    .enumerate()
                    .find(|(_, item)| key_matches(&wanted.key, item))
            });
        let Some((k, item)) = hit else {
            s.items.missed += 1;
            s.details
                .push(format!("{name}: missed item {}", wanted.key));
            continue;
        };
        if claimed[k] {
            // Two labels for one reported item: the second is missed.
            s.items.missed += 1;
            s.details
                .push(format!("{name}: missed item {} (merged)", wanted.key));
            continue;
        }
        claimed[k] = true;
        s.items.found += 1;
        for topic in MISSION_TOPICS {
            let expected = wanted.topics.iter().any(|t| t == topic);
            let maybe = wanted.maybe_topics.iter().any(|t| t == topic);
            let got = item.topics.iter().any(|t| t.id == topic);
            let counts = s.topics.entry(topic.to_string()).or_default();
            match (expected, got) {
                (true, true) => counts.tp += 1,
                (true, false) => {
                    counts.fn_ += 1;
                    s.details
                        .push(format!("{name}: item {} lacks topic {topic}", wanted.key));
                }
                (false, true) if !maybe => {
                    counts.fp += 1;
                    s.details.push(format!(
                        "{name}: item {} wrongly tagged {topic}",
                        wanted.key
                    ));
                }
                _ => {}
            }
        }
    }
    for (k, item) in doc.items.iter().enumerate() {
        if !claimed[k] {
            s.items.invented += 1;
            s.details.push(format!(
                "{name}: invented item {:?} {:?}",
                item.number,
                item.title.chars().take(60).collect::<String>()
            ));
        }
    }
}

fn score_follow_ups(label: &Label, doc: &Document, s: &mut Score) {
    let name = &label.file;
    let fragments: Vec<String> = label
        .follow_ups
        .iter()
        .map(|f| normalise(&f.text))
        .collect();
    let mut matched = vec![0usize; label.follow_ups.len()];
    for reported in &doc.follow_ups {
        let text = normalise(&reported.text);
        let hit = fragments.iter().position(|f| text.contains(f.as_str()));
        match hit {
            Some(k) => matched[k] += 1,
            None => {
                s.follow_ups.not_real += 1;
                s.details.push(format!(
                    "{name}: follow-up not real: {:?}",
                    reported.text.chars().take(90).collect::<String>()
                ));
            }
        }
    }
    for (wanted, &n) in label.follow_ups.iter().zip(&matched) {
        match (wanted.required, n) {
            (true, 0) => {
                s.follow_ups.missed += 1;
                s.details
                    .push(format!("{name}: missed follow-up {:?}", wanted.text));
            }
            (true, _) => s.follow_ups.found += 1,
            (false, 0) => {}
            (false, _) => s.follow_ups.borderline += 1,
        }
        if n > 1 {
            s.follow_ups.duplicated += n - 1;
            s.details.push(format!(
                "{name}: follow-up duplicated {n}x: {:?}",
                wanted.text
            ));
        }
    }
}

/// Scores every label against the documents, matched by file name.
pub fn score_all(labels: &[Label], docs: &[Document]) -> (Score, Vec<(String, Score)>) {
    let mut total = Score::default();
    let mut each = Vec::with_capacity(labels.len());
    for label in labels {
        let doc = docs.iter().find(|d| d.source.file == label.file);
        let s = score(label, doc);
        total.add(&s);
        each.push((label.file.clone(), s));
    }
    (total, each)
}

fn pct(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{:.1}%", v * 100.0))
}

fn num(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.2}"))
}

/// The printed report: one line per document, then the totals.
pub fn render_table(total: &Score, each: &[(String, Score)], verbose: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<40} {:>5} {:>6} {:>8} {:>5} {:>5} {:>6} {:>6}",
        "document", "items", "missed", "invented", "date", "comm.", "fu", "fu-bad"
    );
    for (file, s) in each {
        let _ = writeln!(
            out,
            "{:<40} {:>5} {:>6} {:>8} {:>5} {:>5} {:>6} {:>6}",
            file.chars().take(40).collect::<String>(),
            s.items.found,
            s.items.missed,
            s.items.invented,
            mark(&s.date),
            mark(&s.committee),
            format!(
                "{}/{}",
                s.follow_ups.found,
                s.follow_ups.found + s.follow_ups.missed
            ),
            s.follow_ups.not_real + s.follow_ups.duplicated,
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "documents: {} ({} not found); minutes yielding items: {} of {}",
        total.documents, total.documents_missing, total.minutes_with_items, total.minutes_documents
    );
    let _ = writeln!(
        out,
        "items: {} found, {} missed, {} invented: found {}, invented {} of real items",
        total.items.found,
        total.items.missed,
        total.items.invented,
        pct(total.item_recall()),
        pct(total.invented_share())
    );
    for (what, c) in [
        ("meeting date", &total.date),
        ("committee", &total.committee),
        ("kind", &total.kind),
    ] {
        let _ = writeln!(
            out,
            "{what}: {} right, {} wrong, {} missing, {} guessed: {}",
            c.right,
            c.wrong,
            c.missing,
            c.guessed,
            pct(c.accuracy())
        );
    }
    for (topic, c) in &total.topics {
        let _ = writeln!(
            out,
            "topic {topic}: tp {} fp {} fn {}: precision {} recall {} F1 {}",
            c.tp,
            c.fp,
            c.fn_,
            num(c.precision()),
            num(c.recall()),
            num(c.f1())
        );
    }
    let pooled = total.topics_pooled();
    let _ = writeln!(
        out,
        "topics (four pooled): precision {} recall {} F1 {}",
        num(pooled.precision()),
        num(pooled.recall()),
        num(pooled.f1())
    );
    let f = &total.follow_ups;
    let _ = writeln!(
        out,
        "follow-ups: {} found, {} missed, {} not real, {} duplicated, {} borderline: recall {}, not real {} of reported",
        f.found,
        f.missed,
        f.not_real,
        f.duplicated,
        f.borderline,
        num(f.recall()),
        pct(f.not_real_share())
    );
    if verbose {
        let _ = writeln!(out);
        for line in &total.details {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

fn mark(c: &FieldCounts) -> &'static str {
    if c.right > 0 {
        "ok"
    } else if c.wrong > 0 {
        "WRONG"
    } else if c.missing > 0 {
        "miss"
    } else if c.guessed > 0 {
        "guess"
    } else {
        "-"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FollowUp, FollowUpKind, TopicTag};

    fn item(number: &str, title: &str, topics: &[&str]) -> Item {
        Item {
            number: number.into(),
            title: title.into(),
            topics: topics
                .iter()
                .map(|t| TopicTag {
                    id: (*t).into(),
                    label: String::new(),
                    score: 1.0,
                    evidence: vec![],
                })
                .collect(),
            ..Item::default()
        }
    }

    fn doc(items: Vec<Item>, follow_ups: &[&str]) -> Document {
        let mut d = Document {
            schema_version: crate::model::SCHEMA_VERSION,
            source: crate::model::Source {
                file: "a.txt".into(),
                folder: String::new(),
                sha256: String::new(),
                bytes: 0,
                format: crate::model::Format::Text,
                pages: None,
                extraction: crate::model::Extraction {
                    method: crate::model::ExtractionMethod::Text,
                    encoding: None,
                },
                warnings: vec![],
            },
            kind: crate::model::DocumentKind::Minutes,
            kind_evidence: vec![],
            meeting: crate::model::Meeting::default(),
            taxonomy_version: String::new(),
            items: vec![],
            follow_ups: vec![],
        };
        d.meeting.date = Some("2021-03-02".into());
        d.meeting.committee = Some("Children & Young People Committee".into());
        d.items = items;
        d.follow_ups = follow_ups
            .iter()
            .map(|t| FollowUp {
                id: String::new(),
                text: (*t).into(),
                kind: FollowUpKind::Report,
                subject: String::new(),
                owner: None,
                due: None,
                items: vec![],
            })
            .collect();
        d
    }

    const LABEL: &str = r#"
file = "a.txt"
kind = "minutes"
[meeting]
date = "2021-03-02"
committee = "The Children and Young People Committee"
[[item]]
key = "1."
procedural = true
[[item]]
key = "title:care leavers local offer"
topics = ["care_leavers"]
[[item]]
key = "untitled"
[[item]]
key = "4"
topics = ["budget"]
maybe_topics = ["send"]
[[follow_up]]
text = "report back in March"
[[follow_up]]
text = "update on the Local Offer"
[[follow_up]]
text = "work programme item on transport"
required = false
"#;

    #[test]
    fn scores_items_topics_fields_and_follow_ups() {
        let label = Label::parse(LABEL, "a.toml").expect("valid label");
        let d = doc(
            vec![
                item("", "", &[]),
                item("1", "Apologies", &[]),
                item(
                    "",
                    "The Care Leavers' Local Offer",
                    &["care_leavers", "send"],
                ),
                item("4", "Budget", &["send"]),
                item("5", "Invented", &[]),
            ],
            &[
                "A report back in March 2022 was requested.",
                "The officer would report back in March.",
                "Something else entirely.",
                "A work programme item on transport.",
            ],
        );
        let s = score(&label, Some(&d));
        assert_eq!(
            s.items,
            Counts {
                found: 4,
                missed: 0,
                invented: 1
            }
        );
        assert_eq!(s.date.right, 1);
        assert_eq!(s.committee.right, 1, "'&', case and 'the' are ignored");
        assert_eq!(s.kind.right, 1);
        let cl = s.topics["care_leavers"];
        assert_eq!((cl.tp, cl.fp, cl.fn_), (1, 0, 0));
        let send = s.topics["send"];
        assert_eq!(
            (send.tp, send.fp, send.fn_),
            (0, 1, 0),
            "maybe_topics are not counted"
        );
        let budget = s.topics["budget"];
        assert_eq!((budget.tp, budget.fp, budget.fn_), (0, 0, 1));
        assert_eq!(
            s.follow_ups,
            FollowUpCounts {
                found: 1,
                missed: 1,
                not_real: 1,
                duplicated: 1,
                borderline: 1
            }
        );
    }

    #[test]
    fn a_missing_document_misses_everything() {
        let label = Label::parse(LABEL, "a.toml").expect("valid label");
        let s = score(&label, None);
        assert_eq!(s.items.missed, 4);
        assert_eq!(s.follow_ups.missed, 2);
        assert_eq!(s.documents_missing, 1);
    }

    #[test]
    fn invalid_labels_are_refused_with_the_reason() {
        let bad = "file = \"a.txt\"\n[[item]]\nkey = \"1\"\ntopics = [\"ofstead\"]\n";
        let err = Label::parse(bad, "bad.toml").expect_err("unknown topic");
        assert!(err.to_string().contains("ofstead"), "{err}");
        let bad = "file = \"a.txt\"\nkinds = \"minutes\"\n";
        assert!(Label::parse(bad, "bad.toml").is_err(), "unknown field");
    }

    #[test]
    fn wrong_and_guessed_fields() {
        let label = Label::parse("file = \"a.txt\"\n[meeting]\ndate = \"2021-03-03\"\n", "x")
            .expect("valid");
        let s = score(&label, Some(&doc(vec![], &[])));
        assert_eq!(s.date.wrong, 1);
        assert_eq!(s.committee.guessed, 1);
        assert_eq!(s.minutes_with_items, 0);
    }
}
