//! Which meeting a set of minutes records. A corrected copy (a typo fixed,
//! a line added, so new bytes and a new sha256) is the same meeting as the
//! copy it corrects: it must not raise the meeting's requests again, and
//! later meetings must count the meeting once.
//!
//! A meeting is identified by its committee and date when the minutes state
//! both. Minutes that name no committee or give no date are grouped by their
//! inbox folder, or stand alone in the inbox root, so for them the only
//! evidence is the minutes themselves: the same items (numbers and titles)
//! with nearly the same words.
//!
//! Everything here is pure: the new minutes and the current copies of
//! candidate meetings in, the verdict out. `record` finds the candidates and
//! applies the verdict with SQL.

use std::collections::HashSet;

use sha2::{Digest, Sha256};

use super::committee::normalise_name;
use super::matching::ItemView;

/// Share of items (same number and title) two copies of unnamed or undated
/// minutes must have in common. One item of seven retitled still passes.
const SAME_ITEMS: f64 = 0.8;
/// Word overlap (Dice, over every item's content words) for copies of
/// unnamed or undated minutes: a corrected line changes a handful of words,
/// while two meetings of one committee share far fewer.
const SAME_WORDS: f64 = 0.85;
/// Word overlap for copies that already agree on committee and date: only
/// rules out a different document of that meeting (the exempt part, an
/// action log), which shares little of the public minutes' wording.
const SAME_WORDS_NAMED: f64 = 0.5;

/// One copy of a meeting's minutes, as far as recognising it goes.
#[derive(Debug, Clone, Copy)]
pub(super) struct MeetingCopy<'a> {
    /// The ledger's grouping key (`committee:`, `folder:` or `document:`).
    pub(super) committee_key: &'a str,
    /// The committee's name as stated in the minutes, if it is.
    pub(super) committee: Option<&'a str>,
    pub(super) folder: &'a str,
    /// Valid ISO meeting date, if stated.
    pub(super) date: Option<&'a str>,
    pub(super) items: &'a [ItemView],
}

/// The current copy of a recorded meeting that the new minutes may correct.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    /// The candidate document.
    pub(super) seq: i64,
    /// The meeting it records: the seq of the meeting's first copy.
    pub(super) meeting: i64,
    pub(super) committee_key: String,
    pub(super) committee: Option<String>,
    pub(super) folder: String,
    pub(super) date: Option<String>,
    pub(super) items: Vec<ItemView>,
}

impl Candidate {
    fn copy(&self) -> MeetingCopy<'_> {
        MeetingCopy {
            committee_key: &self.committee_key,
            committee: self.committee.as_deref(),
            folder: &self.folder,
            date: self.date.as_deref(),
            items: &self.items,
        }
    }
}

/// What recording a corrected copy changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Correction {
    /// The copy it replaces (the meeting's latest copy until now).
    pub(super) supersedes: i64,
    /// The meeting both copies record.
    pub(super) meeting: i64,
    /// Key under which the meeting's requests are tracked from now on.
    pub(super) committee_key: String,
    /// The meeting moves from a stand-in key (its folder, or itself alone in
    /// the inbox root) to the committee the correction names.
    pub(super) rekey: Option<Rekey>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Rekey {
    pub(super) from: String,
    pub(super) to: String,
    /// The committee's name as the correction states it, for requests that
    /// had none.
    pub(super) committee: Option<String>,
}

/// Keys that find candidate copies cheaply: a hash of the item numbers in
/// order, and one of the item titles. A fix to one title leaves the numbers
/// key alone, and the other way round. `None` for minutes without items,
/// which never count as a copy of anything.
pub(super) fn item_keys(items: &[ItemView]) -> Option<(String, String)> {
    if items.is_empty() {
        return None;
    }
    let numbers = items.iter().map(|i| i.number.trim().to_lowercase());
    let titles = items.iter().map(|i| normalise_name(&i.title));
    Some((digest(numbers), digest(titles)))
}

fn digest(parts: impl Iterator<Item = String>) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hex::encode(hasher.finalize())[..16].to_string()
}

/// The candidate meeting `new` is a corrected copy of, if any: the one its
/// minutes resemble most among those it may be.
pub(super) fn corrected_meeting(
    new: &MeetingCopy<'_>,
    candidates: &[Candidate],
) -> Option<Correction> {
    let best = candidates
        .iter()
        .filter_map(|c| likeness(new, &c.copy()).map(|score| (score, c)))
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.seq.cmp(&b.1.seq)))?
        .1;
    Some(correction(new, best))
}

/// How the correction is recorded: it joins the meeting's group, unless the
/// correction says better whose meeting it is (names the committee where the
/// group was a folder or the minutes alone, or was dropped in a committee
/// folder where the minutes stood alone in the inbox root).
fn correction(new: &MeetingCopy<'_>, old: &Candidate) -> Correction {
    let rekey =
        (identity_rank(new.committee_key) > identity_rank(&old.committee_key)).then(|| Rekey {
            from: old.committee_key.clone(),
            to: new.committee_key.to_string(),
            committee: new.committee.map(str::to_string),
        });
    Correction {
        supersedes: old.seq,
        meeting: old.meeting,
        committee_key: match &rekey {
            Some(r) => r.to.clone(),
            None => old.committee_key.clone(),
        },
        rekey,
    }
}

/// How much a grouping key says about whose meeting it is.
fn identity_rank(committee_key: &str) -> u8 {
    if committee_key.starts_with("committee:") {
        2
    } else if committee_key.starts_with("folder:") {
        1
    } else {
        0
    }
}

/// Whether `new` and `old` record the same meeting, and if so how alike
/// their words are (for choosing among several).
fn likeness(new: &MeetingCopy<'_>, old: &MeetingCopy<'_>) -> Option<f64> {
    if new.items.is_empty() || old.items.is_empty() {
        return None;
    }
    let committees = match (new.committee, old.committee) {
        (Some(a), Some(b)) => Some(normalise_name(a) == normalise_name(b)),
        // Unnamed minutes in one committee folder are that committee's. A
        // different folder is not a stated fact: a correction may well be
        // dropped somewhere else than the first copy.
        (None, None) if !new.folder.is_empty() && new.folder == old.folder => Some(true),
        _ => None,
    };
    let dates = match (new.date, old.date) {
        (Some(a), Some(b)) => Some(a == b),
        _ => None,
    };
    // Stated facts that differ mean another meeting, however alike the text
    // (a standing agenda repeats its titles every month).
    if committees == Some(false) || dates == Some(false) {
        return None;
    }
    let words = word_overlap(new.items, old.items);
    if committees == Some(true) && dates == Some(true) {
        return (words >= SAME_WORDS_NAMED).then_some(words);
    }
    (item_overlap(new.items, old.items) >= SAME_ITEMS && words >= SAME_WORDS).then_some(words)
}

/// Share of items, of the longer list, found in both with the same number
/// and the same title.
fn item_overlap(a: &[ItemView], b: &[ItemView]) -> f64 {
    let key = |i: &ItemView| (i.number.trim().to_lowercase(), normalise_name(&i.title));
    let theirs: HashSet<_> = b.iter().map(key).collect();
    let shared = a.iter().filter(|i| theirs.contains(&key(i))).count();
    shared as f64 / a.len().max(b.len()) as f64
}

/// Dice coefficient of the two documents' content words.
fn word_overlap(a: &[ItemView], b: &[ItemView]) -> f64 {
    // Borrowed words: this runs under the ledger's lock for every candidate.
    fn words(items: &[ItemView]) -> HashSet<&str> {
        items.iter().flat_map(ItemView::words).collect()
    }
    let (a, b) = (words(a), words(b));
    let total = a.len() + b.len();
    if total == 0 {
        // Items with no words at all: the numbers and titles said everything.
        return 1.0;
    }
    2.0 * a.intersection(&b).count() as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Item;

    fn views(items: &[(&str, &str, &str)]) -> Vec<ItemView> {
        items
            .iter()
            .map(|(number, title, text)| {
                ItemView::new(&Item {
                    number: number.to_string(),
                    title: title.to_string(),
                    text: text.to_string(),
                    ..Item::default()
                })
            })
            .collect()
    }

    const SOCIAL_CARE: &str =
        "The Executive Director explained that her post was a statutory role. \
        Early Help caseloads were high and the Multi Agency Children's Hub filtered contacts \
        against the threshold of need before referral to the Assessment Service.";
    const WORK_PROGRAMME: &str = "Members suggested locality working, PACE bed provision, \
        small task and finish groups and Covid recovery for the work programme.";

    fn minutes(text: &str) -> Vec<ItemView> {
        views(&[
            (
                "21/1",
                "Declarations of Interest",
                "There were no declarations.",
            ),
            ("21/3", "Overview of Children's Services", text),
            ("21/4", "Work Programme 2021/22", WORK_PROGRAMME),
        ])
    }

    fn copy<'a>(
        key: &'a str,
        committee: Option<&'a str>,
        date: Option<&'a str>,
        items: &'a [ItemView],
    ) -> MeetingCopy<'a> {
        MeetingCopy {
            committee_key: key,
            committee,
            folder: "",
            date,
            items,
        }
    }

    fn candidate(
        seq: i64,
        key: &str,
        committee: Option<&str>,
        date: Option<&str>,
        items: Vec<ItemView>,
    ) -> Candidate {
        Candidate {
            seq,
            meeting: seq,
            committee_key: key.into(),
            committee: committee.map(str::to_string),
            folder: String::new(),
            date: date.map(str::to_string),
            items,
        }
    }

    #[test]
    fn unnamed_undated_minutes_with_one_line_fixed_are_the_same_meeting() {
        let fixed = SOCIAL_CARE.replace("statutory role", "statutory role (corrected)");
        let new_items = minutes(&fixed);
        let new = copy("document:b", None, None, &new_items);
        let old = candidate(1, "document:a", None, None, minutes(SOCIAL_CARE));
        assert_eq!(
            corrected_meeting(&new, &[old]),
            Some(Correction {
                supersedes: 1,
                meeting: 1,
                committee_key: "document:a".into(),
                rekey: None,
            })
        );
    }

    #[test]
    fn naming_the_committee_in_the_correction_moves_the_meeting_to_it() {
        let items = minutes(SOCIAL_CARE);
        let new = copy("committee:cyp panel", Some("CYP Panel"), None, &items);
        let mut old = candidate(4, "document:a", None, None, minutes(SOCIAL_CARE));
        old.meeting = 2;
        let c = corrected_meeting(&new, &[old]).expect("same meeting");
        assert_eq!((c.supersedes, c.meeting), (4, 2));
        assert_eq!(c.committee_key, "committee:cyp panel");
        assert_eq!(
            c.rekey,
            Some(Rekey {
                from: "document:a".into(),
                to: "committee:cyp panel".into(),
                committee: Some("CYP Panel".into()),
            })
        );
    }

    #[test]
    fn a_correction_dropped_in_a_committee_folder_moves_the_meeting_there() {
        let items = minutes(SOCIAL_CARE);
        let mut new = copy("folder:cyp", None, None, &items);
        new.folder = "cyp";
        let old = candidate(1, "document:a", None, None, minutes(SOCIAL_CARE));
        let c = corrected_meeting(&new, &[old]).expect("same meeting");
        assert_eq!(c.committee_key, "folder:cyp");
        assert_eq!(c.rekey.map(|r| r.from), Some("document:a".to_string()));
        // The other way round, the folder stays the better identity.
        let root = copy("document:b", None, None, &items);
        let mut in_folder = candidate(1, "folder:cyp", None, None, minutes(SOCIAL_CARE));
        in_folder.folder = "cyp".into();
        let c = corrected_meeting(&root, &[in_folder]).expect("same meeting");
        assert_eq!((c.committee_key.as_str(), c.rekey), ("folder:cyp", None));
    }

    #[test]
    fn another_meeting_with_the_same_standing_items_is_not_a_copy() {
        let other = "The Director reported on fostering sufficiency, placement costs and \
            the residential homes programme; Members asked about agency social workers.";
        let new_items = minutes(other);
        let new = copy("document:b", None, None, &new_items);
        let old = candidate(1, "document:a", None, None, minutes(SOCIAL_CARE));
        assert_eq!(corrected_meeting(&new, &[old]), None);
    }

    #[test]
    fn stated_facts_that_differ_mean_another_meeting() {
        let items = minutes(SOCIAL_CARE);
        let key = "committee:cyp panel";
        let new = copy(key, Some("CYP Panel"), Some("2021-07-01"), &items);
        let other_date = candidate(
            1,
            key,
            Some("CYP Panel"),
            Some("2021-06-01"),
            minutes(SOCIAL_CARE),
        );
        let other_body = candidate(
            2,
            "committee:adults",
            Some("Adults Panel"),
            Some("2021-07-01"),
            minutes(SOCIAL_CARE),
        );
        assert_eq!(corrected_meeting(&new, &[other_date, other_body]), None);
    }

    #[test]
    fn named_and_dated_copies_need_only_share_most_of_their_wording() {
        let key = "committee:cyp panel";
        // Items renumbered and the body reworded in places: same committee,
        // same date, still the same meeting.
        let new_items = views(&[
            (
                "1",
                "Declarations of Interest",
                "There were no declarations.",
            ),
            ("2", "Overview of Children's Services", SOCIAL_CARE),
            (
                "3",
                "Work Programme",
                "Members suggested locality working and Covid recovery.",
            ),
        ]);
        let new = copy(key, Some("CYP Panel"), Some("2021-07-01"), &new_items);
        let old = candidate(
            1,
            key,
            Some("cyp panel"),
            Some("2021-07-01"),
            minutes(SOCIAL_CARE),
        );
        assert!(corrected_meeting(&new, &[old]).is_some());
        // The exempt part of the same meeting is another document.
        let exempt_items = views(&[(
            "5",
            "Exempt: Residential Placement",
            "A named child's placement costs were considered in private.",
        )]);
        let exempt = copy(key, Some("CYP Panel"), Some("2021-07-01"), &exempt_items);
        let old = candidate(
            1,
            key,
            Some("CYP Panel"),
            Some("2021-07-01"),
            minutes(SOCIAL_CARE),
        );
        assert_eq!(corrected_meeting(&exempt, &[old]), None);
    }

    #[test]
    fn item_keys_ignore_case_and_punctuation_in_titles() {
        let a = views(&[("47", "Minutes.", ""), ("48", "Question Time", "")]);
        let b = views(&[("47", "MINUTES", "x"), ("48", "Question time.", "y")]);
        assert_eq!(item_keys(&a), item_keys(&b));
        assert_eq!(item_keys(&[]), None);
    }
}
