//! Item headings that carry no printed number.
//!
//! Many councils' minutes, and nearly every web page of them, print items
//! without numbers: a ModernGov meeting page prints each item's title, its
//! agenda text, then a "Minutes:" label; an item page starts "Agenda item"
//! and the title; other pages set the title apart on a line of its own.
//! Each recogniser below is a named rule: [`TitleRule`] says which one made
//! a line a heading, so a reader can see why a block became an item.

use std::sync::LazyLock;

use regex::Regex;

use super::clean::Line;
use super::items::{Heading, Layout};

/// Why a line was taken as an item title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleRule {
    /// The title nearest above a "Minutes:"/"Decision:" label.
    BeforeLabel,
    /// The title after an "Agenda item" (item page) or "Issue -" line.
    ItemPage,
    /// A title line set apart, with enough signs of a heading: standard item
    /// wording, an attachment badge, agenda wording under it, capitals.
    TitleLine,
    /// An issue page's "Meeting: date - body (Item N)" line.
    MeetingReference,
    /// A "Minutes:" label with no title above it: an item whose title the
    /// page lost (or that starts before the page does).
    LostTitle,
}

/// Standard wording of agenda item titles, the same across councils.
static STANDARD_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            (?:to\s+(?:receive|note|accept|record)\s+)?apolog
          | welcome
          | (?:to\s+(?:receive\s+)?)?declarations?\s+of
          | disclosures?\s+of
          | (?:to\s+(?:approve|confirm|agree|receive)\s+(?:as\s+a\s+correct\s+record\s+)?(?:the\s+)?)?minutes(?-u:\b)
          | matters\s+arising
          | urgent\s+(?:business|items?|matters)
          | (?:any\s+)?other\s+(?:urgent\s+)?business
          | items?\s+of\s+urgent
          | (?:dates?|times?)\s+(?:and\s+\w+\s+)?of\s+(?:the\s+)?(?:next|future)
          | next\s+meeting
          | future\s+meeting
          | public\s+(?:questions|participation|forum|speaking|question\s+time)
          | questions\s+(?:from|by|to)
          | question\s+time
          | petitions?(?-u:\b)
          | (?:chair(?:man)?'?s?|mayor'?s?|leader'?s?)\s+(?:announcements|communications|update|report)
          | announcements
          | (?:scrutiny\s+)?(?:forward\s+)?work\s+programme
          | forward\s+plan
          | exclusion\s+of
          | election\s+of
          | appointment\s+of
          | substitut
          | membership
          | action\s+(?:log|sheet|tracker|list)
          | outstanding\s+actions
          | standing\s+item
          | reports?\s+(?:of|from|by)
          | update\s+(?:from|on)
        )",
    )
    .expect("static regex")
});

/// The agenda text printed under a title ("To consider the report of...").
static AGENDA_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
            To\s+(?:consider|receive|approve|agree|note|elect|discuss|report|confirm|appoint|review|record|submit|determine|present|update|give|hear|adopt|ratify|endorse|answer|deal|scrutinise|comment|provide|seek|identify|accept|invite|request)
          | (?:The\s+)?(?:report|briefing\s+note)\s+(?:of|by|from)
          | Report\s+(?:of|by)
          | The\s+(?:Board|Committee|Panel|Forum|Council|Cabinet)\s+(?:to|is\s+asked|will\s+be\s+asked)
          | (?:Members|The\s+Committee)\s+(?:are|is)\s+asked
        )(?-u:\b)",
    )
    .expect("static regex")
});

/// Lines that describe the page or the meeting, never an item.
static META_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            agenda(?:,\s+decisions)?\s+and\s+(?:draft\s+)?minutes
          | agenda\s+(?:item|for)(?-u:\b)
          | agendas?,\s+(?:meetings|reports)
          | issue\s+-\s+(?:meetings|decisions|details)
          | decision\s+(?:details|status|maker)
          | (?:venue|contact|date|time|place|location|link|meeting|present|attendance|attended|apologies|in\s+attendance|also\s+present|officers?\s+present|members?\s+present|chair(?:ed\s+by)?|clerk|publication\s+date|date\s+of\s+decision|decided\s+at|wards?\s+affected|lead\s+officer|reason\s+for|alternative\s+options|email|tel|telephone|note)(?-u:\b)\s*[:\-]
          | (?:is\s+key|is\s+subject|key\s+decision|decision\s+status)[^:]{0,30}:
          | no\.?\s+item
          | no\.?$
          | items?$
          | item\s+number
          | browse\s+meetings
          | supporting\s+documents
          | minutes?\s+of\s+(?:the\s+)?(?:a\s+)?(?:remote\s+|virtual\s+|special\s+|extraordinary\s+|annual\s+)?(?:meeting|proceedings)
          | total\s+page
          | file\s+type
          | click\s+here
          | share\s+this
          | print\s+this
        )",
    )
    .expect("static regex")
});

/// A person in an attendance list: "Councillor M Carr (Chair)", "Mr J Smith".
static PERSON_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:Councillors?|Cllrs?\.?|Aldermen|Alderman|Mr|Mrs|Ms|Miss|Dr|Prof|Rev|Sir|Dame|Lord|Lady)\s+[A-Z]",
    )
    .expect("static regex")
});

/// "(Item 10.)" at the end of a "Meeting of ..." line or of a title.
static ITEM_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(\s*(?:agenda\s+)?item\s+(?:no\.?\s*)?(?P<num>\d{1,4}[a-z]?(?:\.\d{1,3})?)\.?\s*\)\s*$")
        .expect("static regex")
});

/// The line an item page prints under its title: "• Meeting of The Council,
/// Thursday, 7th March, 2024 1.30 pm (Item 10.)", or on an issue page
/// "Meeting: 20/09/2017 - Council (Item 52)".
static MEETING_REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:[•·*]\s*)?meeting(?:\s+of|:)\s").expect("static regex"));

/// An issue page's line for one meeting that took the issue.
static ISSUE_MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^meeting:\s*\d{1,2}/\d{1,2}/\d{4}\s*[-–]").expect("static regex")
});

/// The start of an attendance list.
static PRESENT_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:present|members\s+present|in\s+attendance|attended|attendance\s+details|sederunt|in\s+the\s+chair)\s*(?::|$)")
        .expect("static regex")
});

/// Paragraph numbers under a minute: "17.1", "17.2".
static PARAGRAPH_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,4})\.\d{1,3}\s").expect("static regex"));

/// The minute number of an item page whose title carries none: its
/// paragraphs are numbered "17.1", "17.2"... under minute 17.
pub fn number_from_paragraphs(lines: &[Line], from: usize, to: usize) -> Option<String> {
    let mut numbers = lines[from.min(to)..to]
        .iter()
        .filter_map(|l| PARAGRAPH_NUMBER.captures(&l.text).map(|c| c[1].to_string()));
    let first = numbers.next()?;
    numbers.all(|n| n == first).then_some(first)
}

/// How far down a page its "Agenda item" label may stand.
const ITEM_PAGE_TOP: usize = 40;

/// Lines that open a single-item page.
static ITEM_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:agendas?,\s+meetings\s+and\s+minutes\s+-\s+)?(?:agenda\s+item|issue\s+-\s+(?:meetings|decisions)|decision\s+details)$")
        .expect("static regex")
});

/// Words that start a sentence of minutes, never a title.
static SENTENCE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:that|resolved|agreed|noted|it\s+was|the\s+(?:committee|board|panel|forum|council|chair|chairman|meeting)\s+\w+ed(?-u:\b)|there\s+(?:was|were)|members\s+\w+ed(?-u:\b)|proposed|seconded|moved)(?-u:\b)")
        .expect("static regex")
});

/// Short, not a sentence, not a list entry or label: could be a title.
fn title_shaped(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let Some(first) = text.chars().next() else {
        return false;
    };
    (1..=18).contains(&words)
        && text.chars().count() <= 160
        && (first.is_uppercase() || matches!(first, '"' | '\'' | '‘' | '“'))
        && !text.ends_with(['.', ',', ';', ':'])
        && !META_LINE.is_match(text)
        && !PERSON_LINE.is_match(text)
        && !SENTENCE_START.is_match(text)
        && !MEETING_REFERENCE.is_match(text)
        && !text.contains(" - Cabinet Member")
}

/// Most of the longer words capitalised, or the whole line in capitals.
fn capitalised(text: &str) -> bool {
    let long: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() > 3)
        .collect();
    if long.is_empty() {
        return true;
    }
    let caps = long
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    caps * 5 >= long.len() * 3
}

fn blank_or_edge(lines: &[Line], index: Option<usize>) -> bool {
    index.is_none_or(|i| lines.get(i).is_none_or(|l| l.is_blank() || l.is_label()))
}

fn next_text(lines: &[Line], index: usize) -> Option<usize> {
    (index + 1..lines.len()).find(|&i| !lines[i].is_blank())
}

/// The printed number of an unnumbered-looking title: "(Agenda item 9)" in
/// the title, or "(Item 10.)" on the meeting line printed under it.
fn item_number(lines: &[Line], title_line: usize, title: &str) -> (String, String, usize) {
    if let Some(c) = ITEM_REFERENCE.captures(title) {
        if let Some(whole) = c.get(0) {
            let stripped = title[..whole.start()].trim().to_string();
            if !stripped.is_empty() {
                return (c["num"].to_string(), stripped, title_line + 1);
            }
        }
    }
    if let Some(next) = next_text(lines, title_line) {
        let text = &lines[next].text;
        if next <= title_line + 3 && MEETING_REFERENCE.is_match(text) {
            let number = ITEM_REFERENCE
                .captures(text)
                .map(|c| c["num"].to_string())
                .unwrap_or_default();
            return (number, title.to_string(), next + 1);
        }
    }
    (String::new(), title.to_string(), title_line + 1)
}

fn heading_at(lines: &[Line], line: usize, layout: Layout) -> Heading {
    let (number, title, body_start) = item_number(lines, line, &lines[line].text);
    Heading::unnumbered(line, body_start, number, &title, layout)
}

/// Headings of minutes printed without item numbers, in order.
pub fn find_title_headings(lines: &[Line]) -> Vec<(Heading, TitleRule)> {
    let by_meeting = issue_page_items(lines);
    if !by_meeting.is_empty() {
        return by_meeting;
    }
    let mut found: Vec<(Heading, TitleRule)> = Vec::new();
    // Single-item pages: the title follows the page's own label, printed
    // at the top (further down, "Agenda item" is a column of a table).
    for index in 0..lines.len().min(ITEM_PAGE_TOP) {
        if !ITEM_PAGE.is_match(&lines[index].text) {
            continue;
        }
        if let Some(next) = next_text(lines, index) {
            if title_shaped(&lines[next].text) && !ITEM_PAGE.is_match(&lines[next].text) {
                found.push((
                    heading_at(lines, next, Layout::Labelled),
                    TitleRule::ItemPage,
                ));
            }
        }
    }
    if lines.iter().any(Line::is_label) {
        titles_before_labels(lines, &mut found);
    } else {
        // Lines above the attendance list are the meeting's own heading.
        let after_attendance = lines[..(lines.len() / 2 + 1).min(lines.len())]
            .iter()
            .rposition(|l| PRESENT_MARK.is_match(&l.text))
            .map_or(0, |i| i + 1);
        for index in after_attendance..lines.len() {
            if found.iter().any(|(h, _)| h.start == index) {
                continue;
            }
            if title_line_score(lines, index) >= TITLE_LINE_THRESHOLD {
                found.push((
                    heading_at(lines, index, Layout::TitleLine),
                    TitleRule::TitleLine,
                ));
            }
        }
    }
    found.sort_by_key(|(h, _)| h.start);
    found.dedup_by_key(|(h, _)| h.start);
    found
}

/// Whether the text is laid out as a single-item page (an "Agenda item",
/// issue or decision page): cheap, so numbered documents skip the title
/// rules altogether.
pub fn looks_like_item_page(lines: &[Line]) -> bool {
    lines[..lines.len().min(ITEM_PAGE_TOP)]
        .iter()
        .any(|l| ITEM_PAGE.is_match(&l.text))
        || lines.iter().any(|l| ISSUE_MEETING.is_match(&l.text))
}

/// Whether a single-item page (an "Agenda item" or issue page) was found:
/// its numbered lines are paragraphs of the one item.
pub fn is_item_page(found: &[(Heading, TitleRule)]) -> bool {
    found
        .iter()
        .any(|(_, rule)| matches!(rule, TitleRule::ItemPage | TitleRule::MeetingReference))
}

/// An issue page lists the issue at each meeting that took it: "Meeting:
/// 08/07/2024 - Corporate Policy and Resources Committee (Item 82)", then
/// "82 Minutes of Development Sub-Committee", then the minutes. Each
/// meeting's entry is an item with that number.
fn issue_page_items(lines: &[Line]) -> Vec<(Heading, TitleRule)> {
    let mut out = Vec::new();
    for index in 0..lines.len() {
        let text = &lines[index].text;
        if !ISSUE_MEETING.is_match(text) {
            continue;
        }
        let Some(number) = ITEM_REFERENCE.captures(text).map(|c| c["num"].to_string()) else {
            continue;
        };
        // The item's own heading line under it: "82 Minutes of ...".
        let (title, body_start) = match next_text(lines, index) {
            Some(next) => match lines[next].text.strip_prefix(number.as_str()) {
                Some(rest) if rest.starts_with([' ', '.']) => {
                    (rest.trim_start_matches(['.', ' ']).to_string(), next + 1)
                }
                _ => (String::new(), index + 1),
            },
            None => (String::new(), index + 1),
        };
        out.push((
            Heading::unnumbered(index, body_start, number, &title, Layout::Labelled),
            TitleRule::MeetingReference,
        ));
    }
    out
}

/// The title above a label: a title-shaped line set apart, preferring one
/// that is not agenda wording ("To approve the minutes..." is the title
/// only where nothing else is).
fn title_in(lines: &[Line], window: std::ops::Range<usize>) -> Option<usize> {
    let apart = |t: usize| {
        blank_or_edge(lines, t.checked_sub(1))
            || lines[t - 1].text.ends_with(['.', '|'])
            || lines[t - 1].is_label()
            || META_LINE.is_match(&lines[t - 1].text)
    };
    let candidate = |i: &usize| {
        title_shaped(&lines[*i].text) && !ITEM_PAGE.is_match(&lines[*i].text) && apart(*i)
    };
    if let Some(t) = window
        .clone()
        .rev()
        .filter(candidate)
        .find(|&i| !AGENDA_TEXT.is_match(&lines[i].text))
    {
        return Some(t);
    }
    // Agenda wording as the title: only straight above the label (or a
    // blank line), never the first line of a wrapped sentence.
    window.rev().filter(candidate).find(|&i| {
        lines
            .get(i + 1)
            .is_none_or(|next| next.is_blank() || next.is_label())
    })
}

/// Each "Minutes:"/"Decision:" label belongs to the nearest title above it,
/// back to the previous label. A label with no title above continues the
/// item before (its "Decision:" then its "Minutes:"), unless the item has
/// had that label already: then an item whose title the page lost starts
/// there, as it does at the top of a page that starts mid-item.
fn titles_before_labels(lines: &[Line], found: &mut Vec<(Heading, TitleRule)>) {
    let mut previous = 0usize;
    let mut seen_in_item: Vec<String> = Vec::new();
    for label in (0..lines.len()).filter(|&i| lines[i].is_label()) {
        let word = lines[label].text.to_ascii_lowercase();
        let window = previous..label;
        let has_text = window.clone().any(|i| !lines[i].is_blank());
        match title_in(lines, window.clone()) {
            Some(t) => {
                if !found.iter().any(|(h, _)| h.start == t) {
                    found.push((
                        heading_at(lines, t, Layout::Labelled),
                        TitleRule::BeforeLabel,
                    ));
                }
                seen_in_item = vec![word];
            }
            None if found.iter().all(|(h, _)| h.start > label)
                || (has_text && seen_in_item.contains(&word)) =>
            {
                // The item starts at the last paragraph (or table row) before
                // the label: what comes before it is the last item's text.
                let after_break = window
                    .clone()
                    .rev()
                    .find(|&i| lines[i].is_blank())
                    .map_or(window.start, |b| b + 1);
                let start = (after_break..label)
                    .find(|&i| !lines[i].is_blank() && !META_LINE.is_match(&lines[i].text))
                    .unwrap_or(label);
                // A page that lost the title shows the agenda wording in its
                // place ("To approve as a correct record the minutes ...").
                let heading = if start < label && AGENDA_TEXT.is_match(&lines[start].text) {
                    let title = lines[start].text.trim_end_matches('.');
                    (
                        Heading::unnumbered(
                            start,
                            start + 1,
                            String::new(),
                            title,
                            Layout::Labelled,
                        ),
                        TitleRule::BeforeLabel,
                    )
                } else {
                    (
                        Heading::unnumbered(start, start, String::new(), "", Layout::Continuation),
                        TitleRule::LostTitle,
                    )
                };
                found.push(heading);
                seen_in_item = vec![word];
            }
            None => seen_in_item.push(word),
        }
        previous = label + 1;
    }
}

/// Evidence a title line needs before it counts as an item heading.
const TITLE_LINE_THRESHOLD: f32 = 3.0;

/// How much a line standing alone looks like an item title.
fn title_line_score(lines: &[Line], index: usize) -> f32 {
    let line = &lines[index];
    if line.is_blank() || !title_shaped(&line.text) {
        return 0.0;
    }
    let text = line.text.as_str();
    let words = text.split_whitespace().count();
    let before = index.checked_sub(1);
    let next = next_text(lines, index);
    let mut score = 0.0;
    if line.badge {
        score += 2.0;
    }
    if STANDARD_TITLE.is_match(text) {
        score += 1.5;
    }
    if next.is_some_and(|n| AGENDA_TEXT.is_match(&lines[n].text)) {
        score += 1.5;
    }
    if capitalised(text) {
        score += 1.0;
    }
    if blank_or_edge(lines, before) {
        score += 0.5;
    } else {
        score -= 1.0;
    }
    if blank_or_edge(lines, Some(index + 1)) {
        score += 0.5;
    }
    if words > 12 {
        score -= 1.0;
    }
    // A line under "the following points:" is a list entry.
    let previous_text = (0..index).rev().find(|&i| !lines[i].is_blank());
    if previous_text.is_some_and(|p| lines[p].text.ends_with(':') && !lines[p].is_label()) {
        score -= 1.5;
    }
    // A sentence running on to a lower-case line is not a title.
    if lines
        .get(index + 1)
        .is_some_and(|l| l.text.chars().next().is_some_and(char::is_lowercase))
    {
        score -= 2.0;
    }
    // Nothing under it: a caption or a stray line, not an item.
    if next.is_none() {
        score -= 1.0;
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .map(|t| Line {
                text: t.trim().to_string(),
                page: 1,
                badge: t.contains("[badge]"),
            })
            .map(|mut l| {
                l.text = l.text.replace(" [badge]", "");
                l
            })
            .collect()
    }

    fn titles(text: &str) -> Vec<(String, String, TitleRule)> {
        find_title_headings(&lines(text))
            .into_iter()
            .map(|(h, rule)| (h.number, h.title, rule))
            .collect()
    }

    // Hand-written fixture in the shape of a ModernGov meeting page.
    #[test]
    fn titles_above_minutes_labels() {
        let text = "No. Item\n\nApologies for absence\nMinutes:\nNone were received.\n\nMinutes of the last meeting\nTo agree the minutes of the previous meeting.\nMinutes:\nAgreed.\nThe Chair noted a correction.\n\nHigh Needs Update 2023/24\nMinutes:\nThe Forum discussed the report.\nResolved –\nThat it be noted.";
        let got = titles(text);
        let names: Vec<&str> = got.iter().map(|(_, t, _)| t.as_str()).collect();
        assert_eq!(
            names,
            [
                "Apologies for absence",
                "Minutes of the last meeting",
                "High Needs Update 2023/24"
            ]
        );
        assert!(got.iter().all(|(_, _, r)| *r == TitleRule::BeforeLabel));
    }

    // Hand-written fixture: an item page, its number on the meeting line.
    #[test]
    fn item_page_title_and_number() {
        let text = "• Meetings\n• Agenda item\n\nAgenda item\n\nREVIEW SCRUTINY ARRANGEMENTS\n\n• Meeting of The Council, Thursday, 7th March, 2024 1.30 pm (Item 10.)\n\nTo submit the report.\n\nDecision:\n\nAdopt Option 1.\n\nMinutes:\n\nThe report was presented.";
        let got = titles(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "10");
        assert_eq!(got[0].1, "REVIEW SCRUTINY ARRANGEMENTS");
    }

    // Hand-written fixture in the shape of a page without labels or numbers.
    #[test]
    fn title_lines_with_badges_and_agenda_text() {
        let text = "Agenda and minutes\n\nNo. Item\n\nMinutes [badge]\n\nTo approve the minutes of the last meeting.\n\nThe minutes were agreed.\n\nElection of Chair and Vice Chair\n\nTo elect the Chair.\n\nAndy Park was elected.\n\nKey points\n\nThe Forum discussed the budget at length.\n\nSchools Forum Constitution [badge]\n\nThe report of the Finance Lead is enclosed.\n\nThe Forum considered the report.";
        let names: Vec<String> = titles(text).into_iter().map(|(_, t, _)| t).collect();
        assert_eq!(
            names,
            [
                "Minutes",
                "Election of Chair and Vice Chair",
                "Schools Forum Constitution"
            ]
        );
    }

    #[test]
    fn people_sentences_and_meta_lines_are_not_titles() {
        for line in [
            "Councillor M Carr (Chair)",
            "Venue: Committee Room 1",
            "Resolved – That the report be noted",
            "The Committee noted the report.",
            "Agenda and minutes",
        ] {
            assert!(!title_shaped(line), "{line}");
        }
        assert!(title_shaped("Dedicated Schools Grant Outturn 2023/24"));
    }
}
