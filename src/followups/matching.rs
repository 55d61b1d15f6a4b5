//! Recognising the same request when it is stated again, in the same minutes
//! (discussion, RESOLVED clause, work programme) or in a later meeting.
//!
//! Subjects are compared as sets of normalised content words. Words every
//! children's-services request shares ("report", "children", "committee")
//! carry no identity and are dropped, so "funding streams" and "funding for
//! children services" both reduce to a key built on "fund".

use crate::model::{FollowUp, FollowUpKind};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// Function words and words too common in requests to identify one.
const IGNORED: &[&str] = &[
    // function words
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "on",
    "in",
    "into",
    "to",
    "for",
    "from",
    "with",
    "by",
    "at",
    "as",
    "about",
    "regarding",
    "concerning",
    "around",
    "re",
    "its",
    "their",
    "his",
    "her",
    "our",
    "this",
    "that",
    "these",
    "those",
    "it",
    "be",
    "is",
    "are",
    "was",
    "were",
    "any",
    "all",
    "some",
    "more",
    "further",
    "other",
    "such",
    "how",
    "what",
    "which",
    "who",
    "why",
    "when",
    "where",
    "whether",
    "if",
    "than",
    "then",
    "also",
    "latest",
    "current",
    "new",
    "relation",
    "relating",
    "respect",
    "within",
    "across",
    "including",
    "up",
    "back",
    "out",
    "s",
    "type",
    "types",
    "level",
    "levels",
    "nature",
    "range",
    "number",
    "numbers",
    "effect",
    "effects",
    "impact",
    "position",
    "there",
    "being",
    // request vocabulary
    "report",
    "reports",
    "update",
    "updates",
    "information",
    "detail",
    "details",
    "briefing",
    "presentation",
    "paper",
    "note",
    "copy",
    "copies",
    "response",
    "progress",
    "outcome",
    "outcomes",
    "item",
    "items",
    "matter",
    "matters",
    "issue",
    "issues",
    "topic",
    "topics",
    "data",
    "figures",
    "summary",
    "feedback",
    "written",
    "detailed",
    "full",
    "regular",
    "verbal",
    "brief",
    "short",
    "future",
    "next",
    "meeting",
    "meetings",
    "committee",
    "panel",
    "board",
    "group",
    "sub",
    "members",
    "member",
    "council",
    "councillors",
    "scrutiny",
    "officers",
    "officer",
    // domain words nearly every request in these committees carries
    "children",
    "child",
    "childrens",
    "young",
    "people",
    "person",
    "service",
    "services",
    "family",
    "families",
    "local",
    "authority",
    "county",
    "borough",
    "city",
    "department",
];

/// Words that are not specific enough, alone, to say what a request is about.
pub fn is_generic_subject(subject: &str) -> bool {
    key_words(subject).is_empty()
}

fn stem(word: &str) -> String {
    let mut w = word.to_string();
    if w.len() > 5 && w.ends_with("ing") {
        w.truncate(w.len() - 3);
    } else if w.len() > 4 && w.ends_with("ies") {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w.pop();
    }
    w
}

fn key_words(subject: &str) -> BTreeSet<String> {
    let lower = subject.to_lowercase().replace(['’', '\''], "");
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| !IGNORED.contains(w))
        .map(stem)
        .filter(|w| !IGNORED.contains(&w.as_str()) && w.len() > 1)
        .collect()
}

/// Normalised content-word key of a subject: lower case, stemmed, function
/// and request words removed, sorted, space-separated. Word order and
/// plurals do not matter: "staff wellbeing" == "wellbeing of staff".
pub fn subject_key(subject: &str) -> String {
    key_words(subject).into_iter().collect::<Vec<_>>().join(" ")
}

/// Whether two subject keys name the same thing: at least two shared words
/// covering half the shorter key, or a one-word key contained in the other.
pub fn keys_match(a: &str, b: &str) -> bool {
    let wa: BTreeSet<&str> = a.split_whitespace().collect();
    let wb: BTreeSet<&str> = b.split_whitespace().collect();
    if wa.is_empty() || wb.is_empty() {
        return false;
    }
    let shared = wa.intersection(&wb).count();
    let shorter = wa.len().min(wb.len());
    match shared {
        0 => false,
        1 => shorter == 1,
        _ => shared * 2 >= shorter,
    }
}

/// Kinds that can be restatements of each other: a report requested in
/// discussion is often "an update" in the RESOLVED clause and "scheduled"
/// in the work programme.
pub fn kind_family(kind: FollowUpKind) -> &'static str {
    match kind {
        FollowUpKind::Report | FollowUpKind::Update | FollowUpKind::ScheduleItem => "come-back",
        FollowUpKind::Information | FollowUpKind::Circulate | FollowUpKind::Response => "send",
        FollowUpKind::Action => "action",
    }
}

/// Whether `a` and `b` are the same request (possibly from different
/// meetings): kind-compatible and with matching subjects.
pub fn same_request(a: &FollowUp, b: &FollowUp) -> bool {
    if kind_family(a.kind) != kind_family(b.kind) {
        return false;
    }
    let (ka, kb) = (subject_key(&a.subject), subject_key(&b.subject));
    if ka.is_empty() || kb.is_empty() {
        // Generic subjects only match when written identically.
        return ka.is_empty() && kb.is_empty() && normalise(&a.subject) == normalise(&b.subject);
    }
    keys_match(&ka, &kb)
}

/// Lower case, letters and digits only, single spaces.
pub fn normalise(s: &str) -> String {
    s.to_lowercase()
        .replace(['’', '\''], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Stable id: the same committee asking for the same thing gets the same id
/// in every set of minutes and on every reprocessing.
pub fn follow_up_id(committee: Option<&str>, kind: FollowUpKind, subject: &str) -> String {
    let key = subject_key(subject);
    let key = if key.is_empty() {
        normalise(subject)
    } else {
        key
    };
    let mut hasher = Sha256::new();
    // "Children & Young People Panel" and "Children and Young People Panel"
    // are the same committee.
    let committee = committee.unwrap_or("").replace('&', " and ");
    hasher.update(normalise(&committee).as_bytes());
    hasher.update([0]);
    hasher.update(kind_family(kind).as_bytes());
    hasher.update([0]);
    hasher.update(key.as_bytes());
    let digest = hex::encode(hasher.finalize());
    format!("fu-{}", &digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fu(kind: FollowUpKind, subject: &str) -> FollowUp {
        FollowUp {
            id: String::new(),
            text: String::new(),
            kind,
            subject: subject.into(),
            owner: None,
            due: None,
            items: vec![],
        }
    }

    #[test]
    fn key_ignores_order_plurals_and_request_words() {
        assert_eq!(
            subject_key("staff wellbeing"),
            subject_key("wellbeing of staff")
        );
        assert_eq!(
            subject_key("the recruitment of foster carers"),
            "carer foster recruitment"
        );
        assert_eq!(subject_key("a further update on progress"), "");
    }

    #[test]
    fn restatements_with_different_wording_match() {
        let a = fu(FollowUpKind::Report, "funding streams");
        let b = fu(FollowUpKind::Report, "funding for children services");
        assert!(same_request(&a, &b));
        let c = fu(FollowUpKind::Report, "recruitment of foster carers");
        let d = fu(FollowUpKind::ScheduleItem, "recruitment of foster cares");
        assert!(same_request(&c, &d));
        let e = fu(
            FollowUpKind::Update,
            "wellbeing of staff in education and vulnerable groups",
        );
        let f = fu(
            FollowUpKind::Report,
            "staff wellbeing in education and the effects on vulnerable groups",
        );
        assert!(same_request(&e, &f));
    }

    #[test]
    fn different_requests_do_not_match() {
        let a = fu(FollowUpKind::Report, "SEND funding");
        let b = fu(FollowUpKind::Report, "early years funding");
        assert!(!same_request(&a, &b));
        let c = fu(FollowUpKind::Report, "funding streams");
        let d = fu(FollowUpKind::Circulate, "funding streams");
        assert!(!same_request(&c, &d), "kind families differ");
        let e = fu(FollowUpKind::Report, "staff wellbeing");
        let g = fu(FollowUpKind::Report, "recruitment of foster carers");
        assert!(!same_request(&e, &g));
    }

    #[test]
    fn id_is_stable_and_depends_on_committee_family_and_subject() {
        let a = follow_up_id(
            Some("Scrutiny Children Services Review Group"),
            FollowUpKind::Report,
            "staff wellbeing",
        );
        let b = follow_up_id(
            Some("scrutiny children services review group"),
            FollowUpKind::Update,
            "wellbeing of staff",
        );
        assert_eq!(a, b);
        assert!(a.starts_with("fu-") && a.len() == 19);
        assert_eq!(
            follow_up_id(
                Some("Children & Young People Panel"),
                FollowUpKind::Report,
                "x y"
            ),
            follow_up_id(
                Some("CHILDREN AND YOUNG PEOPLE PANEL"),
                FollowUpKind::Report,
                "x y"
            )
        );
        assert_ne!(
            a,
            follow_up_id(Some("Other Panel"), FollowUpKind::Report, "staff wellbeing")
        );
        assert_ne!(
            a,
            follow_up_id(
                Some("Scrutiny Children Services Review Group"),
                FollowUpKind::Circulate,
                "staff wellbeing"
            )
        );
    }
}
