//! Stage 5: find the follow-up requests the committee made.
//!
//! Every sentence of every item (narrative and RESOLVED/AGREED clauses) is
//! read for a request ([`request`]); lists of work-programme topics count
//! entry by entry; restatements of one request are merged by subject
//! ([`matching`]) so each request appears once, with every item that states it.

#[macro_use]
mod patterns;
mod due;
mod matching;
mod owner;
mod request;
mod sentences;
mod subject;

pub use due::parse_meeting_month;
pub use matching::{follow_up_id, keys_match, kind_family, same_request, subject_key};
pub use sentences::{split as split_sentences, Sentence};

use crate::model::{FollowUp, FollowUpKind, Item, Meeting};
use regex::Regex;
use request::{Candidate, Context};
use std::sync::LazyLock;

/// "suggested that the following items be considered:", "selected the
/// following topics for inclusion in the Work Programme:-".
static LIST_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)following(?-u:\b)[^.]*(?-u:\b)(?:items?|topics?|issues?|subjects?|areas?|reports?|suggestions?)(?-u:\b)[^.]*(?-u:\b)(?:work\s*programme|work\s+plan|forward\s+plan|be\s+considered|be\s+included|be\s+added|be\s+scheduled|inclusion|future\s+meetings?|for\s+consideration|for\s+scrutiny)(?-u:\b)")
        .expect("static regex")
});

/// The opening of a list of decisions: "... is asked to agree the
/// following:", "RESOLVED that Council approves:", "it was agreed to:".
static DECISION_LIST_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?:agree|approve|adopt|endorse|note|set|confirm)[sd]?\s+(?:the\s+)?following|(?:resolved|agreed|decided)(?:\s+that)?(?:\s+\w+){0,3}\s+(?:approves?|agrees?|adopts?|to\s+(?:approve|agree|adopt|note)))\s*(?::|:-|–)$")
        .expect("static regex")
});

/// One decision of such a list, lifted with its opening.
static DECISION_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:agree|approve|adopt|endorse|note)[sd]?\s+(?:the\s+)?following\s*(?::|:-|–)\s+\S",
    )
    .expect("static regex")
});

/// Distinct follow-up requests in a meeting's items, in order of first statement.
pub fn detect(meeting: &Meeting, items: &[Item]) -> Vec<FollowUp> {
    let mut found: Vec<Found> = Vec::new();
    for item in items {
        for candidate in item_candidates(meeting, item) {
            merge_in(&mut found, candidate, &item.number);
        }
    }
    found
        .into_iter()
        .map(|f| {
            let mut fu = f.follow_up;
            fu.id = follow_up_id(meeting.committee.as_deref(), fu.kind, &fu.subject);
            fu
        })
        .collect()
}

/// A merged request and every subject it has been stated under.
struct Found {
    follow_up: FollowUp,
    keys: Vec<String>,
}

fn merge_in(found: &mut Vec<Found>, c: Candidate, item_number: &str) {
    let key = subject_key(&c.subject);
    let family = kind_family(c.kind);
    // "RESOLVED that a further update be provided": a resolution naming no
    // subject restates the one request of its kind already made in the item.
    let restated_in_item = || {
        if !(c.borrowed_subject && is_resolution(&c.text)) || item_number.is_empty() {
            return None;
        }
        let mut same_item = found.iter().enumerate().filter(|(_, f)| {
            kind_family(f.follow_up.kind) == family
                && f.follow_up.items.iter().any(|n| n == item_number)
        });
        match (same_item.next(), same_item.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    };
    let by_subject = found.iter().position(|f| {
        kind_family(f.follow_up.kind) == family
            && if key.is_empty() {
                matching::normalise(&f.follow_up.subject) == matching::normalise(&c.subject)
            } else {
                f.keys.iter().any(|k| keys_match(k, &key))
            }
    });
    let existing = by_subject.or_else(restated_in_item).map(|i| &mut found[i]);
    match existing {
        Some(f) => {
            let fu = &mut f.follow_up;
            if !item_number.is_empty() && !fu.items.iter().any(|n| n == item_number) {
                fu.items.push(item_number.to_string());
            }
            if fu.owner.is_none() {
                fu.owner = c.owner;
            }
            let better_due = match (&fu.due, &c.due) {
                (None, Some(_)) => true,
                (Some(old), Some(new)) => old.date.is_none() && new.date.is_some(),
                _ => false,
            };
            if better_due {
                fu.due = c.due;
            }
            if !key.is_empty() && !f.keys.contains(&key) {
                f.keys.push(key);
            }
        }
        None => found.push(Found {
            keys: if key.is_empty() { vec![] } else { vec![key] },
            follow_up: FollowUp {
                id: String::new(),
                text: c.text,
                kind: c.kind,
                subject: c.subject,
                owner: c.owner,
                due: c.due,
                items: if item_number.is_empty() {
                    vec![]
                } else {
                    vec![item_number.to_string()]
                },
            },
        }),
    }
}

/// In a list of decisions, only an entry asking for something back by a
/// date is a request.
fn decision_that_asks_back(text: &str, ctx: &Context) -> Option<Candidate> {
    request::recognise(text, ctx).filter(|c| {
        matches!(
            c.kind,
            FollowUpKind::Report | FollowUpKind::Update | FollowUpKind::ScheduleItem
        ) && c.due.is_some()
    })
}

/// RESOLVED / AGREED clauses, however the segmenter left them.
fn is_resolution(text: &str) -> bool {
    static RESOLUTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:that(?-u:\b)|resolved(?-u:\b)|agreed(?-u:\b)|recommended(?-u:\b))")
            .expect("static regex")
    });
    RESOLUTION.is_match(text.trim_start())
}

/// Every request stated in one item, in order, before merging.
fn item_candidates(meeting: &Meeting, item: &Item) -> Vec<Candidate> {
    let title = subject::clean_title(&item.title);
    let mut out = Vec::new();
    let mut last_actor: Option<String> = None;
    let mut bodies: Vec<Vec<Sentence>> = vec![sentences::split(&item.text)];
    // A clause the segmenter lifted out of the narrative ("It was agreed to
    // provide ...") is the same statement, better read in its context.
    let narrative = sentences::collapse_whitespace(&item.text);
    bodies.extend(
        item.resolutions
            .iter()
            .filter(|r| !narrative.contains(sentences::collapse_whitespace(r).as_str()))
            .map(|r| sentences::split(r)),
    );
    for body in &bodies {
        let mut list: Option<ListState> = None;
        let mut question: Option<(usize, String)> = None;
        let mut decisions = false;
        for (i, sentence) in body.iter().enumerate() {
            let first_of_block = i == 0 || body[i - 1].block != sentence.block;
            if first_of_block {
                question = subject::is_question_opening(&sentence.text)
                    .then(|| (sentence.block, sentence.text.clone()));
            }
            let previous = (i > 0).then(|| body[i - 1].text.as_str());
            let ctx = Context {
                meeting_date: meeting.date.as_deref(),
                committee: meeting.committee.as_deref(),
                item_title: &title,
                previous,
                question: question
                    .as_ref()
                    .filter(|(b, _)| *b == sentence.block)
                    .map(|(_, q)| q.as_str()),
                last_actor: last_actor.as_deref(),
            };

            // A list of what the meeting decided ("is asked to agree the
            // following:", "RESOLVED to approve:") records decisions, not
            // requests; only an entry asking for something back by a date is one.
            if decisions {
                let words = sentence.text.split_whitespace().count();
                let heading = first_of_block && words <= 6 && !sentence.text.ends_with('.');
                if sentence.list_entry || heading {
                    out.extend(decision_that_asks_back(&sentence.text, &ctx));
                    continue;
                }
                decisions = false;
            }
            if DECISION_LIST_INTRO.is_match(sentence.text.trim_end()) {
                decisions = true;
            }
            // The same list as the segmenter lifts it into resolutions, one
            // entry a clause: "... is asked to agree the following: <entry>".
            if DECISION_ENTRY.is_match(&sentence.text) {
                out.extend(decision_that_asks_back(&sentence.text, &ctx));
                continue;
            }
            // Work-programme lists: each entry is a request of its own.
            if let Some(state) = &list {
                if sentence.list_entry && first_of_block {
                    if let Some(c) = list_entry_candidate(&sentence.text, state, &ctx) {
                        out.push(c);
                    }
                    continue;
                }
                let words = sentence.text.split_whitespace().count();
                let heading = first_of_block && words <= 6 && !sentence.text.ends_with('.');
                if !sentence.list_entry && !heading {
                    list = None;
                }
            }
            if list.is_none() && LIST_INTRO.is_match(&sentence.text) && !is_noting(&sentence.text) {
                let next_is_entry = body.get(i + 1).is_some_and(|n| n.list_entry);
                let trimmed = sentence.text.trim_end();
                if next_is_entry || trimmed.ends_with(':') || trimmed.ends_with(":-") {
                    list = Some(ListState {
                        due: due::best(&sentence.text, meeting.date.as_deref()).map(|d| d.due),
                    });
                    continue;
                }
            }

            if patterns::AGENDA_SUMMARY.is_match(sentence.text.trim_start()) {
                continue;
            }
            if let Some(mut c) = request::recognise(&sentence.text, &ctx) {
                subject::apply_previous(&mut c, &ctx, &title);
                if !is_agenda_preview(&c, &body[i + 1..], &ctx) {
                    out.push(c);
                }
            }
            if let Some(actor) = owner::leading_actor(&sentence.text) {
                last_actor = Some(actor);
            }
        }
    }
    out
}

/// ModernGov exports keep the agenda's description of an item ("The
/// Executive Director will provide the Panel with a verbal update on ...")
/// above the minutes that then narrate it in the past tense. A "will"
/// sentence without a due date whose content a later, non-request sentence
/// repeats describes this meeting, not a follow-up.
fn is_agenda_preview(c: &Candidate, later: &[Sentence], ctx: &Context) -> bool {
    static WILL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)will(?-u:\b)").expect("static regex"));
    if c.due.is_some() || !WILL.is_match(&c.text) {
        return false;
    }
    let words = |s: &str| -> std::collections::BTreeSet<String> {
        subject_key(s)
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    let own = words(&c.text);
    if own.len() < 3 {
        return false;
    }
    later.iter().any(|s| {
        let shared = own.intersection(&words(&s.text)).count();
        shared * 10 >= own.len() * 6 && request::recognise(&s.text, ctx).is_none()
    })
}

/// An open work-programme list and what its introduction said.
struct ListState {
    due: Option<crate::model::Due>,
}

fn is_noting(text: &str) -> bool {
    static NOTING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:note|noted|had been arranged|was arranged)(?-u:\b)")
            .expect("static regex")
    });
    NOTING.is_match(text)
}

/// One entry of a work-programme list: "Early Help - To receive an update
/// ...", "To receive the Youth Crime Board report at a future meeting.",
/// "PACE bed provision."
fn list_entry_candidate(entry: &str, state: &ListState, ctx: &Context) -> Option<Candidate> {
    static HEAD_SPLIT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s[-–—]\s").expect("static regex"));
    let text = sentences::collapse_whitespace(entry);
    // A list of budget figures or notings resolved is not a work programme.
    if patterns::NOT_A_REQUEST.is_match(&text) {
        return None;
    }
    if let Some(m) = HEAD_SPLIT.find(&text) {
        let head = text[..m.start()].trim();
        let rest = text[m.end()..].trim();
        if head.split_whitespace().count() <= 8 && !matching::is_generic_subject(head) {
            let mut c = request::recognise(rest, ctx).unwrap_or_else(|| schedule(&text, head, ctx));
            c.text = text.clone();
            c.subject = head.trim_end_matches(['.', ':']).to_string();
            if c.due.is_none() {
                c.due = state.due.clone();
            }
            return Some(c);
        }
    }
    let mut c = request::recognise(&text, ctx)
        .unwrap_or_else(|| schedule(&text, &entry_subject(&text), ctx));
    if c.subject == subject::clean_title(ctx.item_title) {
        c.subject = entry_subject(&text);
    }
    if c.due.is_none() {
        c.due = state.due.clone();
    }
    (!c.subject.is_empty()).then_some(c)
}

fn schedule(text: &str, subject: &str, ctx: &Context) -> Candidate {
    Candidate {
        text: text.to_string(),
        kind: FollowUpKind::ScheduleItem,
        subject: subject.trim_end_matches(['.', ':']).to_string(),
        owner: None,
        due: due::best(text, ctx.meeting_date).map(|d| d.due),
        borrowed_subject: false,
    }
}

/// The topic named by a list entry, without its explanation.
fn entry_subject(entry: &str) -> String {
    static CUT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)[:;(,]|\.(?:\s|$)|\s[-–—]\s|\s(?:if|when|which|that|where|so that|in order to)\s|\sto\s+(?:undertake|reduce|receive|look|consider|review|ensure|provide|feed)(?-u:\b)")
            .expect("static regex")
    });
    let cut = CUT.find(entry).map_or(entry, |m| &entry[..m.start()]);
    let words: Vec<&str> = cut.split_whitespace().take(10).collect();
    words.join(" ").trim_end_matches(['.', ',']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(number: &str, title: &str, text: &str, resolutions: &[&str]) -> Item {
        Item {
            number: number.into(),
            title: title.into(),
            text: text.into(),
            resolutions: resolutions.iter().map(|s| s.to_string()).collect(),
            ..Item::default()
        }
    }

    // Hand-written in the shape of a budget-setting resolution.
    #[test]
    fn a_list_of_decisions_is_not_a_list_of_requests() {
        let text = "RESOLVED that County Council, having considered the report, is asked to agree the following:\n2025-35 Capital Programme\n(a) The 10-year Capital programme and investment proposals of £1,419m over the years from 2025-26 to 2034-35.\n(b) The directorate capital programmes as set out in appendices A & B of the final draft budget report published on 5th February 2025.\n(c) Fees and charges to continue to be reviewed in line with the policy agreed in 2023.\n(d) That a report on the savings be brought back to the Cabinet in July 2025.";
        let meeting = Meeting {
            date: Some("2025-02-13".into()),
            ..Meeting::default()
        };
        let found = detect(&meeting, &[item("5", "Budget 2025-26", text, &[])]);
        let texts: Vec<&str> = found.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(texts.len(), 1, "{texts:?}");
        assert!(texts[0].contains("brought back"), "{texts:?}");
    }

    #[test]
    fn clause_lifted_from_the_narrative_is_not_a_second_request() {
        // Hand-written: the segmenter copies "It was agreed to ..." into the
        // item's resolutions while it stays in the narrative too.
        let sentence = "It was agreed to provide the Panel with a detailed report.";
        let text =
            format!("A Member questioned why the school attendance data had fallen. {sentence}");
        let items = [item("7", "Performance Monitoring", &text, &[sentence])];
        let found = detect(&meeting("2023-07-11"), &items);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].subject.to_lowercase().contains("attendance"),
            "{found:#?}"
        );
    }

    fn meeting(date: &str) -> Meeting {
        Meeting {
            committee: Some("Children and Families Overview and Scrutiny Committee".into()),
            date: Some(date.into()),
            ..Meeting::default()
        }
    }

    // Item texts below are copied from published minutes (seed 001) to test
    // merging and list handling without the segmenter.
    #[test]
    fn restated_update_is_one_request_with_the_precise_due() {
        let items = [item(
            "57",
            "Ofsted Inspection of Local Authority Children's Social Care Services. pdf icon PDF 248 KB",
            "iii) It was noted that the new Action Plan was a direct response to the 2019 Ofsted inspection. An update on progress would be provided at the September meeting of the Committee.\n\nThe Committee agreed that improvements were evident.",
            &["That the report be noted;", "That a further update be provided to the Committee in September 2020."],
        )];
        let got = detect(&meeting("2020-01-21"), &items);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!(got[0].kind, FollowUpKind::Update);
        assert_eq!(
            got[0].subject,
            "Ofsted Inspection of Local Authority Children's Social Care Services"
        );
        assert_eq!(
            got[0].due.as_ref().and_then(|d| d.date.as_deref()),
            Some("2020-09")
        );
        assert_eq!(got[0].items, vec!["57"]);
    }

    #[test]
    fn work_programme_list_entries_each_count() {
        let items = [item(
            "SPCLL.8",
            "CHILDREN & LIFELONG LEARNING SCRUTINY PANEL WORK PROGRAMME 2020/21",
            "The panel discussed the work programme and suggested that the following items be considered:\n\n- To receive the Youth Crime Board report at a future meeting.\n- Use of outdoor space for children and young people if there were to be another further lockdown.\n- Children's dental care and oral hygiene.",
            &["That the items be considered in the work programme for 2020/21."],
        )];
        let got = detect(&meeting("2020-07-09"), &items);
        let subjects: Vec<(&str, FollowUpKind)> =
            got.iter().map(|f| (f.subject.as_str(), f.kind)).collect();
        assert_eq!(
            subjects,
            vec![
                ("Youth Crime Board report", FollowUpKind::Report),
                (
                    "Use of outdoor space for children and young people",
                    FollowUpKind::ScheduleItem
                ),
                (
                    "Children's dental care and oral hygiene",
                    FollowUpKind::ScheduleItem
                ),
            ]
        );
    }

    #[test]
    fn requests_across_items_merge_and_list_every_item() {
        let items = [
            item("16", "Improvement Plan", "The committee requested a report back to a future meeting of on wellbeing of staff in education and vulnerable groups.", &[]),
            item("18", "Work Programme", "", &["That a report on staff wellbeing in education and the effects on vulnerable groups be reported to a future meeting Service Director Education"]),
        ];
        let got = detect(&meeting("2021-03-02"), &items);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!(got[0].items, vec!["16", "18"]);
        assert_eq!(got[0].owner.as_deref(), Some("Service Director Education"));
        assert_eq!(
            got[0].id,
            follow_up_id(
                Some("children and families overview and scrutiny committee"),
                FollowUpKind::Report,
                "staff wellbeing education vulnerable groups"
            )
        );
    }

    // Handwritten fixture in the style of many councils' minutes: a specific
    // request in discussion, then a RESOLVED clause that names no subject.
    #[test]
    fn subjectless_resolution_restates_the_request_in_its_item() {
        let items = [item(
            "12",
            "Home to School Transport",
            "Members asked about delays. The Head of Service agreed to bring an update on SEND transport to the September meeting.",
            &["That a further update be provided to the September meeting."],
        )];
        let got = detect(&meeting("2023-06-20"), &items);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!(got[0].subject, "SEND transport");
        assert_eq!(got[0].owner.as_deref(), Some("Head of Service"));
        assert_eq!(
            got[0].due.as_ref().and_then(|d| d.date.as_deref()),
            Some("2023-09")
        );
    }

    #[test]
    fn no_items_no_follow_ups() {
        assert!(detect(&Meeting::default(), &[]).is_empty());
    }
}

#[cfg(test)]
mod robustness_tests {
    use super::*;

    /// Odd input of the kinds extraction produces must never panic.
    #[test]
    fn never_panics_on_odd_input() {
        let samples = [
            "",
            " ",
            ".",
            "...",
            "ACTION:",
            "ACTION -",
            "That",
            "That a report",
            "(i)",
            "- (ii) ",
            "İİİ to be provided İn İ",
            "ǅ. ǅ. agreed to ǅ",
            "K to be circulated",
            "RESOLVED – that a further update be provided to the Committee in Quarter 5 of 2022/23.",
            "\u{a0}\u{a0}\n\n\u{c}\u{feff}",
            "a report on  to the  meeting of the committee",
            "Mr. to. be. circulated. to. members.",
            "£££ would be circulated £",
            "agreed to agreed to agreed to",
            "That the ’s bring a report to the 31 February 2020 meeting",
        ];
        let meeting = Meeting {
            date: Some("2021-13-45".into()),
            committee: Some("İ Panel".into()),
            ..Meeting::default()
        };
        for text in samples {
            let items = [Item {
                number: String::new(),
                title: text.into(),
                text: text.into(),
                resolutions: vec![text.into()],
                ..Item::default()
            }];
            let _ = detect(&meeting, &items);
            let _ = detect(&Meeting::default(), &items);
        }
        // Every prefix of a realistic passage, cut at any character.
        let passage = "The Service Director, Children’s Operations agreed to bring a report to the June meeting. ACTION – Cllr. Ní Bhriain to circulate the £1.4m breakdown to Members (i) by 3 March 2021.";
        for (i, _) in passage.char_indices() {
            let items = [Item {
                text: passage[..i].into(),
                ..Item::default()
            }];
            let _ = detect(&meeting, &items);
        }
    }
}
