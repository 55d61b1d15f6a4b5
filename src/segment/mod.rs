//! Stage 3: clean extracted text and cut it into meeting details and agenda items.
//!
//! Word boundaries in this stage's regexes are ASCII (`(?-u:\b)`): a Unicode
//! `\b` makes the regex crate fall back to its slow engines on any text with
//! curly quotes or "£", which minutes nearly always contain.

mod clean;
mod continuation;
mod items;
mod kind;
mod meeting;
mod resolutions;
mod titles;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{DocumentKind, Item, Meeting};
use clean::Line;
use items::{Heading, Layout};

pub use meeting::find_date;
pub use resolutions::extract_resolutions;

/// Meeting details and items of one set of minutes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Segmented {
    /// What the text is (minutes, a decision record, an agenda...).
    pub kind: DocumentKind,
    /// The cues that decided `kind`.
    pub kind_evidence: Vec<String>,
    pub meeting: Meeting,
    /// Items with number, title, text, resolutions, pages and truncated set;
    /// topics and procedural are left for the classifier.
    pub items: Vec<Item>,
    /// Things a reader should know (e.g. "no agenda items found").
    pub warnings: Vec<String>,
}

/// How much text before the first heading may hold meeting details when no
/// item is found at all.
const PREAMBLE_LINES_WITHOUT_ITEMS: usize = 60;

/// `pages` holds one string per PDF page, or a single string for a text file;
/// `paginated` says whether item page numbers are meaningful.
pub fn segment(pages: &[String], paginated: bool) -> Segmented {
    let lines = clean::clean_pages(pages, paginated);
    // PDF text, and text saved from a PDF (page breaks as form feeds), is
    // wrapped at the page width; other text files hold one paragraph a line.
    let hard_wrapped = paginated || pages.iter().any(|p| p.contains('\u{000C}'));
    let (kind, kind_evidence) = kind::document_kind(&joined_text(&lines));
    let mut headings = find_headings(&lines);
    if kind.records_a_meeting() {
        let before = headings.first().map_or(lines.len(), |h| h.start);
        if let Some(start) = continuation::narrative_start(&lines, before) {
            headings.insert(
                0,
                Heading::unnumbered(start, start, String::new(), "", Layout::Continuation),
            );
        }
    }
    let preamble_end = headings
        .first()
        .map_or(lines.len().min(PREAMBLE_LINES_WITHOUT_ITEMS), |h| h.start);
    let preamble: Vec<String> = lines[..preamble_end]
        .iter()
        .filter(|l| !l.is_label())
        .map(|l| l.text.clone())
        .collect();
    let mut meeting = meeting::parse_meeting(&preamble);
    meeting::complete_from_references(&mut meeting, lines.iter().map(|l| l.text.as_str()));
    if meeting.committee.is_none() && kind.records_a_meeting() {
        meeting.committee = meeting::committee_from_body(lines.iter().map(|l| l.text.as_str()));
    }

    let mut warnings = Vec::new();
    if lines.iter().all(Line::is_blank) {
        warnings.push("no text to segment".to_string());
    } else if headings.is_empty() {
        warnings.push(if kind.records_a_meeting() {
            "no agenda items found".to_string()
        } else {
            format!(
                "no agenda items found: the text reads as {}, not minutes",
                kind.as_str()
            )
        });
    }
    let items: Vec<Item> = headings
        .iter()
        .enumerate()
        .map(|(k, heading)| {
            let end = headings.get(k + 1).map_or(lines.len(), |next| next.start);
            build_item(&lines, heading, end, paginated, hard_wrapped)
        })
        .collect();
    if meeting.attendance.apologies.is_empty() {
        meeting.attendance.apologies = items
            .iter()
            .take(4)
            .filter(|item| item.title.to_lowercase().contains("apolog"))
            .map(|item| meeting::apologies_from_item(&item.text))
            .find(|names| !names.is_empty())
            .unwrap_or_default();
    }
    if meeting.date.is_none() && !items.is_empty() {
        warnings.push("meeting date not stated in the minutes' heading".to_string());
    }
    Segmented {
        kind,
        kind_evidence,
        meeting,
        items,
        warnings,
    }
}

/// The lines as one text, for cues that look at the whole document.
fn joined_text(lines: &[Line]) -> String {
    let mut text = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
    for line in lines {
        text.push_str(&line.text);
        text.push('\n');
    }
    text
}

/// Item headings: printed numbers when the minutes have a numbering scheme,
/// else titles (above "Minutes:" labels, on item pages, or set apart).
fn find_headings(lines: &[Line]) -> Vec<Heading> {
    // On a page of one item, numbered lines are its paragraphs.
    let item_page = titles::looks_like_item_page(lines);
    if !item_page {
        let numbered = items::find_headings(lines);
        if !numbered.is_empty() {
            return numbered;
        }
    }
    let titled = titles::find_title_headings(lines);
    if item_page && !titles::is_item_page(&titled) {
        let numbered = items::find_headings(lines);
        if !numbered.is_empty() {
            return numbered;
        }
    }
    let mut headings: Vec<Heading> = titled.into_iter().map(|(heading, _rule)| heading).collect();
    // An item page's paragraphs may carry the minute number ("17.1").
    for k in 0..headings.len() {
        if headings[k].number.is_empty() {
            let end = headings.get(k + 1).map_or(lines.len(), |h| h.start);
            if let Some(number) = titles::number_from_paragraphs(lines, headings[k].body_start, end)
            {
                headings[k].set_number(number);
            }
        }
    }
    headings
}

/// The note a web export leaves where it cut an item short.
static TRUNCATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\s*(?:\.{3}|…)?\s*view\s+the\s+full\s+(?:minutes|decision)\s+text\s+for\s+item\s+\S+?\.?\s*$",
    )
    .expect("static regex")
});

/// One item from its heading to the next: the body (agenda text and
/// minutes, export clutter gone), its resolutions and the pages it spans.
fn build_item(
    lines: &[Line],
    heading: &Heading,
    end: usize,
    paginated: bool,
    hard_wrapped: bool,
) -> Item {
    let end = end.max(heading.body_start).min(lines.len());
    let mut body: Vec<String> = Vec::new();
    if let Some(lead) = &heading.lead {
        body.push(lead.clone());
    }
    body.extend(
        lines[heading.body_start.min(end)..end]
            .iter()
            .filter(|l| !l.is_label())
            .map(|l| l.text.clone()),
    );
    let mut text = if hard_wrapped {
        unwrap_paragraphs(&body)
    } else {
        tidy_blank_lines(&body)
    };
    // The phrase may wrap over lines, so look for it in the assembled text.
    let truncated = match TRUNCATION.find(&text) {
        Some(m) => {
            text.truncate(m.start());
            true
        }
        None => false,
    };
    let pages = if paginated {
        let last = (heading.start..end)
            .rev()
            .find(|&i| !lines[i].is_blank())
            .unwrap_or(heading.start);
        lines[heading.start..=last.max(heading.start)]
            .iter()
            .filter(|l| !l.is_blank())
            .map(|l| l.page)
            .collect::<BTreeSet<u32>>()
            .into_iter()
            .collect()
    } else {
        Vec::new()
    };
    Item {
        number: heading.number.clone(),
        title: heading.title.clone(),
        heading: heading.layout.heading_kind(),
        resolutions: resolutions::extract_resolutions(&text),
        text,
        pages,
        truncated,
        ..Item::default()
    }
}

/// Text-file lines are already paragraphs: keep them, one blank line at most.
fn tidy_blank_lines(lines: &[String]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in lines {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

static LIST_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[•·▪●◦*\-–]\s|\(?(?:[a-z]{1,2}|[ivx]{1,5})[.)]\s|\(?[A-Z]\)\s|\(?\d{1,3}[.)]\s|\d+(?:\.\d+)+\s|(?:RESOLVED|AGREED)(?-u:\b))")
        .expect("static regex")
});

/// PDF lines are wrapped at the page width: rejoin them into paragraphs,
/// keeping list entries and short heading-like lines on their own lines.
fn unwrap_paragraphs(lines: &[String]) -> String {
    let mut out: Vec<String> = Vec::new();
    // The previous physical line, or None after a paragraph break.
    let mut previous: Option<&str> = None;
    for (k, line) in lines.iter().enumerate() {
        if line.is_empty() {
            if previous.is_some() {
                out.push(String::new());
            }
            previous = None;
            continue;
        }
        let next = lines.get(k + 1).map(String::as_str);
        let joins = previous.is_some_and(|prev| {
            !LIST_START.is_match(line)
                && !prev.ends_with(':')
                && !is_subheading(prev, Some(line.as_str()))
                && (prev.ends_with(char::is_lowercase) || !is_subheading(line, next))
                && (line.chars().next().is_some_and(char::is_lowercase)
                    || (!prev.ends_with(['.', '!', '?', ';']) && prev.chars().count() >= 45))
        });
        match out.last_mut() {
            Some(paragraph) if joins => {
                paragraph.push(' ');
                paragraph.push_str(line);
            }
            _ => out.push(line.clone()),
        }
        previous = Some(line);
    }
    tidy_blank_lines(&out)
}

/// A short capitalised line before a list or a break ("Maintenance",
/// "Future phases") heads what follows rather than ending what precedes.
fn is_subheading(line: &str, next: Option<&str>) -> bool {
    let words = line.split_whitespace().count();
    let next_starts_block = next.is_none_or(|n| n.is_empty() || LIST_START.is_match(n));
    words <= 5
        && line.chars().next().is_some_and(char::is_uppercase)
        && !line.ends_with(['.', ',', ';', ':'])
        && !LIST_START.is_match(line)
        && next_starts_block
}

#[cfg(test)]
mod tests {
    use super::*;

    // Hand-written fixture in the layout of a ModernGov web export.
    const WEB_EXPORT: &str = "Agenda and minutes\n\nScrutiny Committee - Tuesday, 21 January 2020 2.00 pm\n\nVenue: County Hall. View directions\n\nItems\nNo. Item\n\n47.\n\nMinutes. pdf icon PDF 178 KB\n\nMinutes:\n\nThe minutes of the meeting held on 5 November 2019 were confirmed.\n\n48.\n\nBudget. pdf icon PDF 384 KB\n\nAdditional documents:\n\nMinutes:\n\ni) The budget was discussed at length  ...  view the full minutes text for item 48.\n\n49.\n\nCare Leavers.\n\nMinutes:\n\nRESOLVED:\n\nThat the report be noted.";

    #[test]
    fn web_export_items_meeting_and_truncation() {
        let seg = segment(&[WEB_EXPORT.to_string()], false);
        let numbers: Vec<&str> = seg.items.iter().map(|i| i.number.as_str()).collect();
        assert_eq!(numbers, vec!["47", "48", "49"]);
        assert_eq!(seg.items[1].title, "Budget.");
        assert_eq!(seg.items[1].text, "i) The budget was discussed at length");
        assert!(seg.items[1].truncated);
        assert!(!seg.items[0].truncated);
        assert_eq!(seg.items[2].resolutions, vec!["That the report be noted."]);
        assert_eq!(
            seg.meeting.date.as_deref(),
            Some("2020-01-21"),
            "not the 5 November 2019 of item 47"
        );
        assert!(seg.items.iter().all(|i| i.pages.is_empty()));
    }

    // Hand-written fixture: an item whose title and "(Item N)" marker are on
    // different pages, and whose body runs on to the next page.
    #[test]
    fn page_breaks_neither_split_nor_merge_items() {
        let pages = vec![
            "1\nMINUTES of the meeting held on Tuesday, 10 December 2024.\n\nApologies\n\n(Item 1)\n\nNone.\n\nParticipation Update\n".to_string(),
            "2\n\n(Item 2)\n\n1. The manager introduced the report and spoke about the\nevents held over the summer.\n".to_string(),
            "3\nMore text about the summer events.\n\nWork programme\n\n(Item 3)\n\nNoted.\n".to_string(),
        ];
        let seg = segment(&pages, true);
        let got: Vec<(&str, &str, Vec<u32>)> = seg
            .items
            .iter()
            .map(|i| (i.number.as_str(), i.title.as_str(), i.pages.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("1", "Apologies", vec![1]),
                ("2", "Participation Update", vec![1, 2, 3]),
                ("3", "Work programme", vec![3])
            ]
        );
        assert_eq!(
            seg.items[1].text,
            "1. The manager introduced the report and spoke about the events held over the summer.\nMore text about the summer events."
        );
        assert_eq!(seg.meeting.date.as_deref(), Some("2024-12-10"));
    }

    /// Hand-made noise: random lines built from the fragments that steer
    /// the segmenter, to show no input makes it panic.
    #[test]
    fn arbitrary_input_never_panics() {
        const FRAGMENTS: &[&str] = &[
            "47.",
            "(Item 3)",
            "Agenda",
            "Item 5.1.",
            "RESOLVED",
            "that:",
            "a)",
            "(ii)",
            "-",
            "–",
            "\u{00AD}",
            "\u{FB01}",
            "Present:",
            "Apologies",
            "were received from",
            "Councillors",
            ",",
            " and ",
            "21/3",
            "SPCLL.",
            "9TH JULY 2020",
            "31 February 2020",
            "Page 2 of 9",
            "2",
            "th",
            "...",
            "view the full minutes text for item",
            "\u{F0B7}",
            "é",
            "日本",
            "",
            " ",
            "Minutes:",
            "pdf icon PDF 12 KB",
            "KB",
            "(",
            ")",
            "**Resolved:**",
            "It was resolved to",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % bound as u64).unwrap_or(0)
        };
        for round in 0..300 {
            let pages: Vec<String> = (0..1 + next(4))
                .map(|_| {
                    (0..next(30))
                        .map(|_| {
                            (0..next(6))
                                .map(|_| FRAGMENTS[next(FRAGMENTS.len())])
                                .collect::<Vec<_>>()
                                .join(if next(2) == 0 { " " } else { "" })
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect();
            let seg = segment(&pages, round % 2 == 0);
            for item in &seg.items {
                assert!(item
                    .pages
                    .iter()
                    .all(|&p| p >= 1 && p as usize <= pages.len()));
            }
        }
    }

    #[test]
    fn unwrapping_keeps_lists_and_subheadings_apart() {
        let lines: Vec<String> = [
            "• The playground was opened on Sunday 14th January 2024",
            "Maintenance",
            "• Quarterly inspection and annual report package agreed and",
            "ordered from Kompan",
            "",
            "The Panel received a report from the Director of Children's",
            "Services on the sufficiency of placements.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            unwrap_paragraphs(&lines),
            "• The playground was opened on Sunday 14th January 2024\nMaintenance\n• Quarterly inspection and annual report package agreed and ordered from Kompan\n\nThe Panel received a report from the Director of Children's Services on the sufficiency of placements."
        );
    }

    #[test]
    fn empty_input_warns_instead_of_panicking() {
        let seg = segment(&[], true);
        assert!(seg.items.is_empty());
        assert_eq!(seg.warnings, vec!["no text to segment"]);
        let seg = segment(&["Just a letter with no items.".to_string()], false);
        assert_eq!(
            seg.warnings,
            vec!["no agenda items found: the text reads as other, not minutes"]
        );
    }
}
