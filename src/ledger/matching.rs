//! Whether two statements are one request, and whether later minutes
//! answer it or report it done.
//!
//! Sameness is the follow-up detector's call ([`crate::followups::same_request`]),
//! so the ledger and the detector never disagree; the ledger only adds context
//! for subjects too generic to compare. Delivery is the ledger's own judgement.
//! Both work on content words: request vocabulary ("a further update be
//! provided to a future meeting") and meeting furniture say nothing about what
//! was asked for, so they are dropped, and words every children's services
//! minute uses ("children", "services", "council") count for little.
//!
//! Word boundaries in this stage's regexes are ASCII (`(?-u:\b)`): a Unicode
//! `\b` makes the regex crate fall back to its slow engines on any text with
//! curly quotes or "£", which minutes nearly always contain.

use std::collections::{BTreeSet, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::followups::{kind_family, subject_key};
use crate::model::{FollowUp, FollowUpKind, Item};

/// Minimum weighted Dice overlap for two generic requests to be one, judged
/// on the titles of the items they were made in.
const SAME_REQUEST_OVERLAP: f64 = 0.6;

/// Share of the request's content words an answering item's title must carry.
const DELIVERY_TITLE_COVERAGE: f64 = 0.5;
/// For a title naming the request in fewer words: share of the title that
/// must be request words, and share of the request the body must cover.
const SHORT_TITLE_PRECISION: f64 = 0.75;
const SHORT_TITLE_BODY_COVERAGE: f64 = 0.6;
/// Combined title/text score an answering item must reach.
const DELIVERY_SCORE: f64 = 0.55;
/// The title says what an item is about; the body of any long item mentions
/// half the committee's business, so it only tips the balance.
const TITLE_WEIGHT: f64 = 0.7;

/// Weight of words too common in these committees' minutes to tell requests apart.
const WEAK_WEIGHT: f64 = 0.3;

#[rustfmt::skip]
static STOP_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        // function words
        "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be",
        "been", "before", "being", "between", "but", "by", "can", "could", "did", "do", "does",
        "during", "each", "for", "from", "had", "has", "have", "he", "her", "his", "how", "if",
        "in", "including", "into", "is", "it", "its", "may", "might", "more", "most", "must",
        "no", "not", "of", "on", "or", "other", "our", "over", "per", "regarding", "re",
        "relation", "respect", "same", "she", "should", "so", "some", "such", "than", "that",
        "the", "their", "them", "then", "there", "these", "they", "this", "those", "through",
        "to", "under", "upon", "us", "via", "was", "we", "were", "what", "when", "where",
        "whether", "which", "who", "whom", "whose", "why", "will", "with", "within", "would",
        // request vocabulary
        "additional", "ask", "asked", "back", "brief", "briefing", "bring", "brought",
        "circulate", "circulated", "consider", "considered", "consideration", "copy", "current",
        "detail", "detailed", "details", "feedback", "further", "full", "future", "inform",
        "informed", "information", "latest", "new", "note", "noted", "outcome", "paper",
        "present", "presentation", "presented", "progress", "provide", "provided", "receive",
        "received", "regular", "report", "request", "requested", "response", "short",
        "summary", "update", "updated", "verbal", "written",
        // words that say how much or what sort, not about what
        "data", "figure", "impact", "effect", "issue", "level", "matter", "number", "position",
        "topic", "type", "use",
        // meeting furniture
        "agenda", "board", "chair", "chairman", "committee", "councillor", "item", "meeting",
        "member", "officer", "panel", "scrutiny", "session",
        // time words
        "date", "month", "week", "year", "annual", "next", "january", "february", "march",
        "april", "june", "july", "august", "september", "october", "november", "december",
    ]
    .into_iter()
    .collect()
});

#[rustfmt::skip]
static WEAK_WORDS: LazyLock<BTreeSet<&'static str>> = LazyLock::new(|| {
    [
        "authority", "borough", "child", "children", "city", "council", "county",
        "department", "directorate", "family", "local", "people", "person", "service",
        "young",
    ]
    .into_iter()
    .collect()
});

/// Items whose business is to list other business: a request named in them is
/// being restated or scheduled, never answered.
static HOUSEKEEPING_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        matters\s+arising | actions?\s+(log|tracker|sheet|list|points?|arising|schedule)
        | outstanding\s+actions | work\s*programme | work\s+plan | forward\s+plan
        | previous\s+minutes | minutes\s+of\s+(the\s+)?(previous|last) | ^\W*minutes(?-u:\b)
        | apologies | declarations?\s+of | date\s+of\s+(the\s+)?next | any\s+other\s+business
        | urgent\s+(items|business) | tracking\s+(the\s+)?recommendations
        | recommendations?\s+(tracker|monitoring) | exclusion\s+of\s+(the\s+)?(press|public)
        | question\s+time | petitions",
    )
    .expect("static housekeeping pattern compiles")
});

/// The content words that identify a request. `words` are stored in the
/// ledger; `key` (the detector's subject key) is recomputed, and lets most
/// pairs of requests be told apart without calling the detector's matcher.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct MatchTerms {
    words: BTreeSet<String>,
    key: BTreeSet<String>,
}

impl MatchTerms {
    /// Terms of `follow_up`, widened with the title of the (non-housekeeping)
    /// item it was made in when the subject alone says nothing ("a further
    /// update"): the item is then what the request is about.
    pub(super) fn for_request(follow_up: &FollowUp, items: &[Item]) -> Self {
        let mut terms = content_terms(&follow_up.subject);
        if subject_key(&follow_up.subject).is_empty() {
            let origin = follow_up
                .items
                .iter()
                .filter_map(|n| items.iter().find(|item| &item.number == n))
                .find(|item| !is_housekeeping(item));
            if let Some(item) = origin {
                terms.extend(content_terms(&item.title));
            }
        }
        if terms.is_empty() {
            // Nothing but request vocabulary: fall back to the request sentence.
            terms = content_terms(&follow_up.text);
        }
        MatchTerms {
            words: terms,
            key: key_words(&follow_up.subject),
        }
    }

    pub(super) fn to_stored(&self) -> String {
        self.words.iter().cloned().collect::<Vec<_>>().join(" ")
    }

    pub(super) fn from_stored(stored: &str, subject: &str) -> Self {
        MatchTerms {
            words: stored.split_whitespace().map(str::to_string).collect(),
            key: key_words(subject),
        }
    }

    /// Whether the subject says nothing that identifies the request.
    pub(super) fn is_generic(&self) -> bool {
        self.key.is_empty()
    }
}

fn key_words(subject: &str) -> BTreeSet<String> {
    subject_key(subject)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

impl MatchTerms {}

/// Whether two statements ask for the same thing. Specific subjects go to the
/// detector's matcher; generic ones ("a further update") match only when the
/// items they were made in are about the same thing, never on wording alone.
pub(super) fn same_request(
    a: &FollowUp,
    a_terms: &MatchTerms,
    b: &FollowUp,
    b_terms: &MatchTerms,
) -> bool {
    if !a_terms.is_generic() && !b_terms.is_generic() {
        // Subject keys with no word in common never match; skip the matcher.
        return !a_terms.key.is_disjoint(&b_terms.key) && crate::followups::same_request(a, b);
    }
    if kind_family(a.kind) != kind_family(b.kind) {
        return false;
    }
    let shared: f64 = a_terms
        .words
        .intersection(&b_terms.words)
        .map(|t| weight(t))
        .sum();
    let total = weighted(&a_terms.words) + weighted(&b_terms.words);
    strong_count(&a_terms.words) > 0 && total > 0.0 && 2.0 * shared / total >= SAME_REQUEST_OVERLAP
}

/// Circulated papers and e-mailed answers are delivered outside meetings, so
/// an agenda item on the subject says nothing about them; only minutes saying
/// so ([`reported_done`]) close them.
pub(super) fn delivered_at_meetings(kind: FollowUpKind) -> bool {
    kind != FollowUpKind::Circulate
}

/// A sentence saying something was done: "had been circulated", "was
/// provided", or an action-log status "– complete".
/// What reports something done, before [`DONE`] anchors its last branch
/// ("– complete") to the end of the sentence.
const DONE_UNANCHORED: &str = r"(?ix)
        (?-u:\b)(?:ha(?:s|d|ve)\s+(?:now\s+|since\s+|already\s+)?been|was|were)\s+(?:duly\s+|now\s+)?
          (?:circulated|sent|shared|distributed|e-?mailed|forwarded|provided|supplied|completed
             |actioned|answered)(?-u:\b)
        | (?-u:\b)(?:action|status)\s*[:\-–—]?\s*(?:complete|completed|closed|done)(?-u:\b)
        | [\-–—:]\s*(?:complete|completed|closed|done|actioned)";

static DONE: LazyLock<Regex> = LazyLock::new(|| {
    // Appended text joins the last alternative only.
    Regex::new(&format!(r"{DONE_UNANCHORED}\s*\.?\s*$")).expect("static done pattern compiles")
});

/// [`DONE`] without its end-of-sentence anchor: matches an item's whole text
/// wherever [`DONE`] matches one of its sentences.
static DONE_ANYWHERE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(DONE_UNANCHORED).expect("static done pattern compiles"));

/// Questions, conditions and promises about doing it are not reports that
/// it was done ("the report was completed and would come to March").
static NOT_DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\?|(?-u:\b)(?:whether|if|once|until|unless|asked|queried|enquired|would|will|shall)(?-u:\b)",
    )
    .expect("static not-done pattern compiles")
});

/// Share of a request's content words a sentence about it must carry.
const DONE_COVERAGE: f64 = 0.6;

/// One agenda item as the ledger compares it with requests: read once per
/// document, and kept in the ledger so that minutes arriving out of order
/// can still be checked against requests recorded after them.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ItemView {
    pub(super) number: String,
    pub(super) title: String,
    housekeeping: bool,
    title_terms: BTreeSet<String>,
    text_terms: BTreeSet<String>,
    /// Content words of each sentence reporting something done.
    done: Vec<BTreeSet<String>>,
    /// Each sentence that may put business back, with its content words,
    /// for deferrals; not stored.
    pub(super) deferring: Vec<(String, BTreeSet<String>)>,
}

/// An [`ItemView`] as stored: term sets as space-separated words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct StoredItem {
    number: String,
    title: String,
    housekeeping: bool,
    title_terms: String,
    text_terms: String,
    done: Vec<String>,
}

impl ItemView {
    pub(super) fn new(item: &Item) -> Self {
        // Only sentences reporting something done or putting business back
        // need their own content words; most items have neither, which one
        // scan of the whole text shows (each pattern matches the text
        // wherever it matches one of its sentences).
        let mut done = Vec::new();
        let mut deferring = Vec::new();
        if DONE_ANYWHERE.is_match(&item.text) || super::deferral::may_defer(&item.text) {
            for sentence in crate::followups::split_sentences(&item.text) {
                let is_done = DONE.is_match(&sentence.text) && !NOT_DONE.is_match(&sentence.text);
                let defers = super::deferral::may_defer(&sentence.text);
                if !(is_done || defers) {
                    continue;
                }
                let terms = content_terms(&sentence.text);
                if is_done {
                    done.push(terms.clone());
                }
                if defers {
                    deferring.push((sentence.text, terms));
                }
            }
        }
        ItemView {
            number: item.number.clone(),
            title: item.title.clone(),
            housekeeping: is_housekeeping(item),
            title_terms: content_terms(&item.title),
            text_terms: content_terms(&item.text),
            done,
            deferring,
        }
    }

    /// Content words of the item's title and text, for telling a corrected
    /// copy of the minutes from another meeting.
    pub(super) fn words(&self) -> impl Iterator<Item = &str> {
        self.title_terms
            .iter()
            .chain(&self.text_terms)
            .map(String::as_str)
    }

    pub(super) fn to_stored(&self) -> StoredItem {
        let join = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>().join(" ");
        StoredItem {
            number: self.number.clone(),
            title: self.title.clone(),
            housekeeping: self.housekeeping,
            title_terms: join(&self.title_terms),
            text_terms: join(&self.text_terms),
            done: self.done.iter().map(join).collect(),
        }
    }

    pub(super) fn from_stored(stored: StoredItem) -> Self {
        let split = |s: &str| s.split_whitespace().map(str::to_string).collect();
        ItemView {
            housekeeping: stored.housekeeping,
            title_terms: split(&stored.title_terms),
            text_terms: split(&stored.text_terms),
            done: stored.done.iter().map(|d| split(d)).collect(),
            deferring: Vec::new(),
            number: stored.number,
            title: stored.title,
        }
    }
}

/// Whether `item` reports the request done ("details of the conference had
/// been circulated", an action log's "Foster carer report – complete"). Any
/// item counts, matters arising and action logs above all.
pub(super) fn reported_done(request: &MatchTerms, item: &ItemView) -> bool {
    item.done.iter().any(|said| sentence_names(request, said))
}

/// Whether a sentence (its content words) is about the request: one of the
/// request's specific words and most of its words overall.
pub(super) fn sentence_names(request: &MatchTerms, said: &BTreeSet<String>) -> bool {
    let total = weighted(&request.words);
    if total <= 0.0 {
        return false;
    }
    let strong_shared = request
        .words
        .intersection(said)
        .any(|t| !WEAK_WORDS.contains(t.as_str()));
    strong_shared && coverage(&request.words, said) / total >= DONE_COVERAGE
}

/// Items an answering item cannot be: listing business, or housekeeping.
pub(super) fn is_housekeeping(item: &Item) -> bool {
    item.procedural || HOUSEKEEPING_TITLE.is_match(&item.title)
}

/// How well `item` answers the request, or `None` when it does not: its title
/// must carry much of the request, and it must not be an item that merely
/// lists business.
pub(super) fn delivery_score(request: &MatchTerms, item: &ItemView) -> Option<f64> {
    if item.housekeeping {
        return None;
    }
    let total = weighted(&request.words);
    if total <= 0.0 || strong_count(&request.words) == 0 {
        return None;
    }
    let title_cover = coverage(&request.words, &item.title_terms) / total;
    let text_cover = coverage(&request.words, &item.text_terms) / total;
    let title_score = if title_cover >= DELIVERY_TITLE_COVERAGE {
        title_cover
    } else if answers_in_short(request, &item.title_terms, text_cover) {
        // "Staff Wellbeing" answering "wellbeing of staff in education and
        // vulnerable groups": the title names the request in fewer words.
        coverage(&request.words, &item.title_terms) / weighted(&item.title_terms)
    } else {
        return None;
    };
    let score = TITLE_WEIGHT * title_score + (1.0 - TITLE_WEIGHT) * text_cover;
    (score >= DELIVERY_SCORE).then_some(score)
}

/// A short title can name a long request: at least two of its specific words,
/// nearly nothing else in the title, and a body that covers most of the request
/// (so a broad standing item like "Children's Social Care" does not qualify
/// on two shared words alone).
fn answers_in_short(request: &MatchTerms, title: &BTreeSet<String>, text_cover: f64) -> bool {
    let shared_strong = request
        .words
        .intersection(title)
        .filter(|t| !WEAK_WORDS.contains(t.as_str()))
        .count();
    let title_weight = weighted(title);
    shared_strong >= 2
        && title_weight > 0.0
        && coverage(&request.words, title) / title_weight >= SHORT_TITLE_PRECISION
        && text_cover >= SHORT_TITLE_BODY_COVERAGE
}

fn coverage(request: &BTreeSet<String>, found: &BTreeSet<String>) -> f64 {
    request.intersection(found).map(|t| weight(t)).sum()
}

fn weighted(terms: &BTreeSet<String>) -> f64 {
    terms.iter().map(|t| weight(t)).sum()
}

fn weight(term: &str) -> f64 {
    if WEAK_WORDS.contains(term) {
        WEAK_WEIGHT
    } else {
        1.0
    }
}

fn strong_count(terms: &BTreeSet<String>) -> usize {
    terms
        .iter()
        .filter(|t| !WEAK_WORDS.contains(t.as_str()))
        .count()
}

/// Stemmed content words of `text`.
pub(super) fn content_terms(text: &str) -> BTreeSet<String> {
    // Read for every sentence of every item: one reused buffer per word, and
    // a new string only for a term not yet in the set.
    let mut terms = BTreeSet::new();
    let mut word = String::new();
    for raw in text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | '‘'))) {
        if raw.is_empty() {
            continue;
        }
        word.clear();
        if raw.is_ascii() {
            word.extend(
                raw.bytes()
                    .filter(u8::is_ascii_alphanumeric)
                    .map(|b| b.to_ascii_lowercase() as char),
            );
        } else {
            word.extend(
                raw.chars()
                    .filter(|c| c.is_alphanumeric())
                    .flat_map(char::to_lowercase),
            );
        }
        if word.chars().nth(1).is_none() || word.chars().all(|c| c.is_numeric()) {
            continue;
        }
        let stemmed = stem(&word);
        if !STOP_WORDS.contains(stemmed.as_ref()) && !terms.contains(stemmed.as_ref()) {
            terms.insert(stemmed.into_owned());
        }
    }
    terms
}

/// Folds plurals and possessives together ("placements", "children's",
/// "authorities"); deliberately no more than that, so distinct words stay distinct.
fn stem(word: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if let Some(base) = word.strip_suffix("ies") {
        if base.chars().nth(1).is_some() {
            return Cow::Owned(format!("{base}y"));
        }
    }
    if word.chars().nth(3).is_some() && word.ends_with('s') && !word.ends_with("ss") {
        if let Some(base) = word.strip_suffix('s') {
            if !(base.ends_with('u') || base.ends_with('i')) {
                return Cow::Borrowed(base);
            }
        }
    }
    Cow::Borrowed(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain reading `content_terms` is an optimised form of.
    fn content_terms_plainly(text: &str) -> BTreeSet<String> {
        let stem = |word: &str| -> String {
            if let Some(base) = word.strip_suffix("ies") {
                if base.chars().count() >= 2 {
                    return format!("{base}y");
                }
            }
            if word.chars().count() > 3 && word.ends_with('s') && !word.ends_with("ss") {
                if let Some(base) = word.strip_suffix('s') {
                    if !(base.ends_with('u') || base.ends_with('i')) {
                        return base.to_string();
                    }
                }
            }
            word.to_string()
        };
        text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | '‘')))
            .map(|word| {
                word.chars()
                    .filter(|c| c.is_alphanumeric())
                    .flat_map(char::to_lowercase)
                    .collect::<String>()
            })
            .filter(|word| word.chars().count() > 1 && !word.chars().all(|c| c.is_numeric()))
            .map(|word| stem(&word))
            .filter(|word| !STOP_WORDS.contains(word.as_str()))
            .collect()
    }

    /// The whole-text scan in [`ItemView::new`] may only pass over items in
    /// which no sentence reports something done or puts business back.
    #[test]
    fn item_view_keeps_every_done_and_deferring_sentence() {
        let mut items = vec![
            item(
                "1",
                "Actions",
                "Foster carer report – complete. Data sheet – done\nNext: open.",
            ),
            item(
                "2",
                "Ofsted",
                "The figures had been\ncirculated.  The update was deferred\nto the March meeting.",
            ),
            item("3", "SEND", "Would the data be circulated? It was not."),
        ];
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
        if let Ok(entries) = std::fs::read_dir(&seeds) {
            for text in entries
                .flatten()
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            {
                items.extend(crate::segment::segment(&[text], false).items);
            }
        }
        let mut with_any = 0;
        for item in &items {
            let view = ItemView::new(item);
            let sentences = crate::followups::split_sentences(&item.text);
            let done: Vec<_> = sentences
                .iter()
                .filter(|s| DONE.is_match(&s.text) && !NOT_DONE.is_match(&s.text))
                .map(|s| content_terms(&s.text))
                .collect();
            let deferring: Vec<_> = sentences
                .iter()
                .filter(|s| super::super::deferral::may_defer(&s.text))
                .map(|s| (s.text.clone(), content_terms(&s.text)))
                .collect();
            with_any += usize::from(!done.is_empty() || !deferring.is_empty());
            assert_eq!(view.done, done, "item {}", item.number);
            assert_eq!(view.deferring, deferring, "item {}", item.number);
        }
        assert!(with_any >= 2);
    }

    #[test]
    fn content_terms_agree_with_the_plain_reading() {
        let mut texts: Vec<String> = [
            "Children's Services: placements, authorities' SEND £5m (ii) buses ies xies gas",
            "ÉCOLE Ärzte naïve café’s ‘quoted’ x y 12 3rd 2020/21 İstanbul ß ﬁnance",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
        if let Ok(entries) = std::fs::read_dir(&seeds) {
            texts.extend(
                entries
                    .flatten()
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok()),
            );
        }
        for text in &texts {
            assert_eq!(
                content_terms(text),
                content_terms_plainly(text),
                "{text:.80}"
            );
        }
    }
    use crate::model::FollowUpKind;

    fn request(subject: &str, text: &str, items: &[&str]) -> FollowUp {
        FollowUp {
            id: "x".into(),
            text: text.into(),
            kind: FollowUpKind::Update,
            subject: subject.into(),
            owner: None,
            due: None,
            items: items.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn item(number: &str, title: &str, text: &str) -> Item {
        Item {
            number: number.into(),
            title: title.into(),
            text: text.into(),
            ..Item::default()
        }
    }

    fn terms(subject: &str) -> MatchTerms {
        MatchTerms::for_request(&request(subject, subject, &[]), &[])
    }

    fn delivery_score(request: &MatchTerms, item: &Item) -> Option<f64> {
        super::delivery_score(request, &ItemView::new(item))
    }

    fn reported_done(request: &MatchTerms, item: &Item) -> bool {
        super::reported_done(request, &ItemView::new(item))
    }

    fn same(a: &str, b: &str) -> bool {
        let (fa, fb) = (request(a, a, &[]), request(b, b, &[]));
        same_request(&fa, &terms(a), &fb, &terms(b))
    }

    #[test]
    fn request_vocabulary_and_plurals_are_ignored() {
        let got =
            content_terms("A further update on the Care Placements Strategy to the next meeting");
        let want: BTreeSet<String> = ["care", "placement", "strategy"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(got, want);
        assert!(content_terms("Children’s centres").contains("children"));
        assert!(content_terms("local authorities").contains("authority"));
        assert!(content_terms("SEND status").contains("status"));
    }

    #[test]
    fn thin_subject_borrows_the_title_of_its_item() {
        let items = [item("56", "Children's Innovation Partnership.", "...")];
        let fu = request(
            "a further update",
            "That a further update be provided to a future meeting of the Committee.",
            &["56"],
        );
        let t = MatchTerms::for_request(&fu, &items);
        assert!(
            t.words.contains("innovation") && t.words.contains("partnership"),
            "{t:?}"
        );
    }

    #[test]
    fn thin_subject_does_not_borrow_a_work_programme_title() {
        let items = [item("8", "Work Programme 2020/21", "...")];
        let fu = request(
            "youth crime board",
            "To receive the Youth Crime Board report",
            &["8"],
        );
        let t = MatchTerms::for_request(&fu, &items);
        assert!(!t.words.contains("programme"), "{t:?}");
    }

    #[test]
    fn restated_subjects_match_and_different_subjects_do_not() {
        assert!(same(
            "update on the Ofsted action plan",
            "progress against the Ofsted Action Plan"
        ));
        assert!(same(
            "provisional test and examination results for 2019",
            "test and examination results for 2019 of children in care"
        ));
        assert!(!same(
            "SEND transport policy",
            "recruitment of foster carers"
        ));
        assert!(!same(
            "children's social care placements",
            "children's centres"
        ));
    }

    #[test]
    fn generic_requests_match_only_through_their_items() {
        let items = [
            item("56", "Children's Innovation Partnership.", ""),
            item("57", "Ofsted Inspection.", ""),
            item("70", "Innovation Partnership with Barnardo's", ""),
        ];
        let generic = |n: &str| {
            request(
                "a further update",
                "That a further update be provided.",
                &[n],
            )
        };
        let (a, b, c) = (generic("56"), generic("57"), generic("70"));
        let (ta, tb, tc) = (
            MatchTerms::for_request(&a, &items),
            MatchTerms::for_request(&b, &items),
            MatchTerms::for_request(&c, &items),
        );
        assert!(
            !same_request(&a, &ta, &b, &tb),
            "same words, different items"
        );
        assert!(same_request(&a, &ta, &c, &tc));
        // With no item to go on, identical wording alone is not enough.
        let bare = request("a further update", "A further update.", &[]);
        let tbare = MatchTerms::for_request(&bare, &[]);
        assert!(!same_request(&bare, &tbare, &bare, &tbare));
    }

    #[test]
    fn matters_arising_reporting_it_done_closes_a_request() {
        let t = terms("details of the conference");
        let arising = |text: &str| item("2", "Matters Arising", text);
        assert!(reported_done(
            &t,
            &arising("Minute 61: details of the Virtual School conference had been circulated to members.")
        ));
        assert!(reported_done(
            &t,
            &arising("1. Conference details to be circulated – complete")
        ));
        assert!(!reported_done(
            &t,
            &arising("Details of the conference had not been circulated.")
        ));
        assert!(!reported_done(
            &t,
            &arising("A member asked whether details of the conference had been circulated.")
        ));
        assert!(!reported_done(
            &t,
            &arising("Details of the conference would be circulated.")
        ));
        assert!(!reported_done(
            &t,
            &arising("Details of the conference were completed and would be circulated in March.")
        ));
        assert!(!reported_done(
            &t,
            &arising("The budget papers had been circulated.")
        ));
    }

    #[test]
    fn stored_item_views_compare_like_fresh_ones() {
        let answering = item(
            "7",
            "Staff Wellbeing",
            "Support for the wellbeing of education staff and vulnerable groups had been provided.",
        );
        let fresh = ItemView::new(&answering);
        let json = serde_json::to_string(&fresh.to_stored()).unwrap();
        let back = ItemView::from_stored(serde_json::from_str(&json).unwrap());
        let t = terms("wellbeing of staff in education and vulnerable groups");
        assert_eq!(
            super::delivery_score(&t, &back),
            super::delivery_score(&t, &fresh)
        );
        assert!(super::delivery_score(&t, &back).is_some());
        assert_eq!(
            super::reported_done(&t, &back),
            super::reported_done(&t, &fresh)
        );
        assert!(super::reported_done(&t, &back));
    }

    #[test]
    fn circulated_papers_are_not_delivered_by_agenda_items() {
        assert!(!delivered_at_meetings(FollowUpKind::Circulate));
        assert!(delivered_at_meetings(FollowUpKind::Report));
        assert!(delivered_at_meetings(FollowUpKind::Information));
    }

    #[test]
    fn an_item_titled_for_the_request_delivers_it() {
        let t = terms("provisional examination results for children in care");
        let answering = item(
            "12",
            "Examination Results of Children in Care 2019",
            "The Committee considered a report on the validated examination results.",
        );
        assert!(delivery_score(&t, &answering).is_some());
    }

    #[test]
    fn passing_mention_in_an_unrelated_item_does_not_deliver() {
        let t = terms("provisional examination results for children in care");
        let other = item(
            "13",
            "Virtual School Annual Report",
            "Members noted that examination results for children in care would follow.",
        );
        assert_eq!(delivery_score(&t, &other), None);
    }

    #[test]
    fn short_title_naming_a_long_request_delivers_when_the_body_agrees() {
        let t = terms("wellbeing of staff in education and vulnerable groups");
        let answering = item(
            "7",
            "Staff Wellbeing",
            "The report set out support for the wellbeing of education staff and of \
             vulnerable groups of pupils.",
        );
        assert!(delivery_score(&t, &answering).is_some());
        let thin_body = item(
            "7",
            "Staff Wellbeing",
            "The Chair welcomed the new Director.",
        );
        assert_eq!(delivery_score(&t, &thin_body), None);
    }

    #[test]
    fn broad_standing_item_does_not_answer_a_specific_request() {
        let t = terms("social care placements for children with complex needs");
        let standing = item(
            "9",
            "Children's Social Care Performance",
            "Caseloads, timeliness of assessments and the workforce were discussed.",
        );
        assert_eq!(delivery_score(&t, &standing), None);
    }

    #[test]
    fn work_programme_and_matters_arising_never_deliver() {
        let t = terms("Ofsted action plan");
        for title in [
            "Work Programme",
            "Matters Arising: Ofsted Action Plan",
            "Action Log - Ofsted action plan",
            "Minutes of the previous meeting",
        ] {
            let listing = item("3", title, "Ofsted action plan update due.");
            assert_eq!(delivery_score(&t, &listing), None, "{title}");
        }
        let mut procedural = item("4", "Ofsted Action Plan", "Ofsted action plan");
        procedural.procedural = true;
        assert_eq!(delivery_score(&t, &procedural), None);
    }

    #[test]
    fn subject_of_only_weak_words_never_delivers() {
        let t = terms("children's services");
        assert_eq!(
            delivery_score(&t, &item("5", "Children's Services Overview", "children")),
            None
        );
    }
}
