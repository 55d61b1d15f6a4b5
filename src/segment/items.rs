//! Finds agenda item headings and cuts the line stream into items.
//!
//! Minutes number their items in many ways ("47." alone on a line, "12
//! Apology for Absence", "SPCLL.7 ...", "21/3", "CYP/15/24", a title over
//! "(Item 4)", "Agenda Item 5.1."), and the same documents number paragraphs
//! and sub-points inside items too. Every line that could be a heading
//! becomes a candidate; candidates are grouped by numbering scheme, and the
//! scheme whose numbers run in the most convincing sequence, with the most
//! heading-like lines, wins. Numbered paragraphs and lists restart at 1
//! inside an item, and a run of numbers only counts from its first member,
//! so they can never pass for the continuation of the item numbers.

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex::Regex;

use super::clean::{strip_inline_noise, Line};
use crate::model::HeadingKind;

/// How a heading was laid out on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Title lines above an "(Item 4)" line.
    Marker,
    /// "Item 5." / "Agenda Item 5.1." keyword headings.
    Keyword,
    /// A bare number on its own line, title on the next line.
    Standalone,
    /// Number and title on one line.
    Inline,
    /// A title tied to a "Minutes:"/"Decision:" label or an "Agenda item" page.
    Labelled,
    /// A title line standing alone.
    TitleLine,
    /// Minutes text before the first heading.
    Continuation,
}

impl Layout {
    /// How the document JSON says the item was found.
    pub fn heading_kind(self) -> HeadingKind {
        match self {
            Layout::Marker | Layout::Keyword | Layout::Standalone | Layout::Inline => {
                HeadingKind::Numbered
            }
            Layout::Labelled => HeadingKind::Labelled,
            Layout::TitleLine => HeadingKind::TitleLine,
            Layout::Continuation => HeadingKind::Continuation,
        }
    }
}

/// A line (or few lines) that may start an agenda item.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// First line of the heading.
    pub start: usize,
    /// First line of the item body.
    pub body_start: usize,
    /// As printed, without a trailing dot.
    pub number: String,
    pub title: String,
    /// Body text that was printed on the heading line ("Item 2. On motion of...").
    pub lead: Option<String>,
    pub layout: Layout,
    scheme: String,
    key: Vec<u32>,
    quality: f32,
}

impl Heading {
    /// Gives an unnumbered heading the number its text printed elsewhere.
    pub fn set_number(&mut self, number: String) {
        self.key = numeric_key(&number);
        self.number = number;
    }

    /// A heading found without a numbering scheme (a title, a label, or the
    /// start of an untitled continuation).
    pub fn unnumbered(
        start: usize,
        body_start: usize,
        number: String,
        title: &str,
        layout: Layout,
    ) -> Heading {
        Heading {
            start,
            body_start,
            key: numeric_key(&number),
            number,
            title: tidy_title(title),
            lead: None,
            layout,
            scheme: "unnumbered".into(),
            quality: 0.0,
        }
    }
}

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\(\s*item\s+(?:no\.?\s*)?(\d{1,3}[a-z]?)\s*\)$").expect("static regex")
});

static KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:agenda\s+)?(?:item|minute|min\.)\s+(?:no\.?\s*)?(?P<num>\d{1,4}(?:[./-]\d{1,4})*[a-z]?)(?P<sep>\.|:|\s*[-–—]|\s|$)\s*(?P<rest>.*)$",
    )
    .expect("static regex")
});

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<num>(?:[A-Z][A-Za-z]{0,9}[./-]?)?\d{1,4}(?:[./-]\d{1,4}){0,3}[a-z]?)(?P<dot>\.)?(?:\s+(?:[-–—:]\s+)?(?P<rest>\S.*))?$",
    )
    .expect("static regex")
});

/// A minute number before a title block: "89." or a coded "CAB/12/24";
/// a bare "2025-35" starting a wrapped title line is not one.
static LEADING_MINUTE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<code>[A-Z]{1,8}[./-]?\d{1,4}(?:[./-]\d{1,4}){0,2})\.?|(?P<plain>\d{1,4}(?:\.\d{1,4}){0,2})\.)\s+(?P<rest>\S.*)$",
    )
    .expect("static regex")
});

static STANDALONE_MINUTE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Z]{1,8}[./-]?\d{1,4}(?:[./-]\d{1,4}){0,2}|\d{1,4}(?:\.\d{1,4}){0,2}\.)$")
        .expect("static regex")
});

/// Words after a number that make it a date, time or quantity ("12 March",
/// "2 hours"), not an item number.
static MONTH_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|st|nd|rd|th|am|pm|a\.m\.|p\.m\.|hours?|days?|weeks?|months?|years?|per)(?-u:\b)",
    )
    .expect("static regex")
});

/// Numbered decision clauses ("1. That the report be noted") look like
/// headings but are not.
static RESOLUTION_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:that(?-u:\b)|resolved(?-u:\b)|agreed(?-u:\b)|carried(?-u:\b)|noted(?-u:\b))|^(?:Agree|Approve|Note|Endorse|Request|Ask|Make|Defer|Receive|Accept|Adopt|Authorise|Delegate|Support|Recommend|Rearrange|Refer|Instruct|Invite)\s+[a-z]",
    )
    .expect("static regex")
});

/// Finds the item headings of a document, in order.
pub fn find_headings(lines: &[Line]) -> Vec<Heading> {
    let markers = marker_headings(lines);
    if markers.len() >= 2 {
        return markers;
    }
    let wrap_width = wrap_width(lines);
    let mut candidates: Vec<Heading> = Vec::new();
    for index in 0..lines.len() {
        if let Some(h) =
            keyword_heading(lines, index).or_else(|| numbered_heading(lines, index, wrap_width))
        {
            candidates.push(h);
        }
    }
    drop_listed_contents(&mut candidates, lines);
    let chain = best_chain(candidates.clone(), lines);
    fold_paragraphs(expand_sections(chain, &candidates, lines))
}

static DECIMAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,4}(?:\.\d{1,3})+$").expect("static regex"));

/// Minutes printed as numbered paragraphs only ("17.1", "17.2", "18.1"),
/// with no heading of the minute itself: the paragraphs of minute 17 are
/// one item, numbered 17.
fn fold_paragraphs(chain: Vec<Heading>) -> Vec<Heading> {
    if chain.is_empty() || !chain.iter().all(|h| DECIMAL.is_match(&h.number)) {
        return chain;
    }
    // Paragraphs read as sentences; date-based item numbers ("01.24.05
    // Playground update") carry titles.
    let sentences = chain
        .iter()
        .filter(|h| {
            h.title.ends_with('.') || h.title.split_whitespace().count() >= 8 || h.lead.is_some()
        })
        .count();
    if sentences * 2 <= chain.len() {
        return chain;
    }
    let mut out: Vec<Heading> = Vec::new();
    for heading in chain {
        let minute = heading.key.first().copied().unwrap_or(0);
        if out.last().is_some_and(|h| h.key.first() == Some(&minute)) {
            continue;
        }
        let number = minute.to_string();
        out.push(Heading {
            body_start: heading.start,
            key: vec![minute],
            number,
            title: String::new(),
            lead: None,
            ..heading
        });
    }
    out
}

/// How many numbered lines in a row, with nothing between them, make a
/// list of contents rather than items.
const CONTENTS_RUN: usize = 3;

/// An agenda or table of contents printed before the minutes ("1. Apologies"
/// / "2. Minutes" / "3. Village skip", one under the other) lists the items;
/// it is not them. Its lines have no body at all, while every item of the
/// minutes has text under it. Runs of such bare lines stop being candidates
/// when the document also has numbered headings with text under them.
fn drop_listed_contents(candidates: &mut Vec<Heading>, lines: &[Line]) {
    let listed = |h: &Heading| {
        h.layout == Layout::Inline && h.body_start == h.start + 1 && !h.title.contains(':')
    };
    let bare = |h: &Heading| listed(h) && h.title.split_whitespace().count() <= 14;
    let mut in_run = vec![false; candidates.len()];
    let mut k = 0;
    while k < candidates.len() {
        let mut end = k;
        while end + 1 < candidates.len()
            && listed(&candidates[end])
            && candidates[end + 1].start == candidates[end].body_start
        {
            end += 1;
        }
        if end + 1 - k >= CONTENTS_RUN && bare(&candidates[end]) {
            in_run[k..=end].iter_mut().for_each(|r| *r = true);
        }
        k = end + 1;
    }
    let with_bodies = candidates
        .iter()
        .zip(&in_run)
        .filter(|(h, run)| {
            !**run
                && (h.body_start..lines.len().min(h.body_start + 3)).any(|i| !lines[i].is_blank())
        })
        .count();
    if with_bodies >= 2 {
        let mut keep = in_run.iter().map(|r| !r);
        candidates.retain(|_| keep.next().unwrap_or(true));
    }
}

/// Lowest heading quality for a sub-numbered heading ("3.1 Budget") to
/// count as an item of its own under a section heading.
const SUB_ITEM_QUALITY: f32 = 1.5;

/// Short, capitalised, and not a sentence: "Home to School Transport Policy",
/// not "The Director introduced the report."
fn reads_as_heading(title: &str) -> bool {
    let words: Vec<&str> = title.split_whitespace().collect();
    let long_words: Vec<&&str> = words.iter().filter(|w| w.chars().count() > 3).collect();
    let capitalised = long_words
        .iter()
        .filter(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
        .count();
    !title.ends_with('.') && words.len() <= 12 && capitalised * 5 >= long_words.len() * 3
}

/// "3. Reports for decision" followed at once by "3.1 Budget 2024/25" is a
/// section heading: its sub-numbered headings are items in their own right,
/// unlike "10.1" paragraphs that follow a minute's own text.
fn expand_sections(chain: Vec<Heading>, candidates: &[Heading], lines: &[Line]) -> Vec<Heading> {
    let mut out: Vec<Heading> = Vec::with_capacity(chain.len());
    for (k, parent) in chain.iter().enumerate() {
        out.push(parent.clone());
        let end = chain.get(k + 1).map_or(lines.len(), |next| next.start);
        let is_child = |c: &Heading| {
            c.key.len() == parent.key.len() + 1
                && c.key.starts_with(&parent.key)
                && c.start >= parent.body_start
                && c.start < end
        };
        let first_body_line = (parent.body_start..end).find(|&i| !lines[i].is_blank());
        let opens_section = first_body_line
            .is_some_and(|line| candidates.iter().any(|c| c.start == line && is_child(c)));
        if !opens_section || parent.lead.is_some() {
            continue;
        }
        let mut expected = 1;
        for child in candidates.iter().filter(|c| is_child(c)) {
            let last = child.key.last().copied().unwrap_or(0);
            if last == expected
                && child.quality >= SUB_ITEM_QUALITY
                && reads_as_heading(&child.title)
            {
                out.push(child.clone());
                expected += 1;
            }
        }
    }
    out
}

fn prev_non_blank(lines: &[Line], index: usize) -> Option<usize> {
    (0..index).rev().find(|&i| !lines[i].is_blank())
}

fn next_non_blank(lines: &[Line], index: usize, max_gap: usize) -> Option<usize> {
    (index + 1..lines.len())
        .take(max_gap + 1)
        .find(|&i| !lines[i].is_blank())
}

fn blank_before(lines: &[Line], index: usize) -> bool {
    index == 0 || lines[index - 1].is_blank() || lines[index - 1].page != lines[index].page
}

/// Kent-style headings: the title block, then "(Item N)" on its own line.
fn marker_headings(lines: &[Line]) -> Vec<Heading> {
    let mut out = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(caps) = MARKER.captures(&line.text) else {
            continue;
        };
        let agenda_number = caps[1].to_string();
        let Some(bottom) = prev_non_blank(lines, index) else {
            continue;
        };
        if index - bottom > 8 || MARKER.is_match(&lines[bottom].text) {
            continue;
        }
        let mut top = bottom;
        // The block is the paragraph above the marker, on one page, and
        // starts at the minute number when there is one.
        while top > 0 && bottom - top < 3 && !LEADING_MINUTE_NUMBER.is_match(&lines[top].text) {
            let above = &lines[top - 1];
            if above.is_blank()
                || above.page != lines[top].page
                || above.text.ends_with(['.', ';'])
                || MARKER.is_match(&above.text)
            {
                break;
            }
            top -= 1;
        }
        let block = lines[top..=bottom]
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        // Some readers put the minute number on a line of its own above.
        let number_above = prev_non_blank(lines, top)
            .filter(|&p| top - p <= 2)
            .and_then(|p| {
                STANDALONE_MINUTE_NUMBER
                    .captures(&lines[p].text)
                    .map(|c| (p, c[1].trim_end_matches('.').to_string()))
            });
        let (number, title, top) = match (LEADING_MINUTE_NUMBER.captures(&block), number_above) {
            (Some(c), _) => {
                let number = c.name("code").or_else(|| c.name("plain"));
                (
                    number.map_or_else(String::new, |m| m.as_str().to_string()),
                    c["rest"].to_string(),
                    top,
                )
            }
            (None, Some((line, number))) => (number, block, line),
            (None, None) => (agenda_number, block, top),
        };
        out.push(Heading {
            start: top,
            body_start: index + 1,
            key: numeric_key(&number),
            number,
            title: tidy_title(&title),
            lead: None,
            layout: Layout::Marker,
            scheme: "marker".into(),
            quality: 3.0,
        });
    }
    out
}

/// "Item 4. Title", "Agenda Item 5.1. Title", "Agenda" / "Item 2. On motion...".
fn keyword_heading(lines: &[Line], index: usize) -> Option<Heading> {
    let text = &lines[index].text;
    let caps = KEYWORD.captures(text)?;
    let number = caps["num"].to_string();
    let rest = caps["rest"].trim();
    // "Agenda Item 3.2., “Consideration...”" and "Minute 12 of the last
    // meeting was..." refer to items; they do not head one.
    if rest.starts_with([',', '’', '\'', '”', ')'])
        || (caps["sep"].is_empty() && !rest.is_empty())
        || rest.chars().next().is_some_and(char::is_lowercase)
    {
        return None;
    }
    // "Agenda" printed on the line above "Item 2." belongs to the heading.
    let start = match prev_non_blank(lines, index) {
        Some(p) if p + 1 == index && lines[p].text.eq_ignore_ascii_case("agenda") => p,
        _ => index,
    };
    let (title, lead, body_start) = if rest.is_empty() {
        match next_non_blank(lines, index, 2) {
            Some(t) if reads_as_running_text(lines, t, &lines[t].text) => {
                (String::new(), Some(lines[t].text.clone()), t + 1)
            }
            Some(t) if starts_like_title(&lines[t].text) => (lines[t].text.clone(), None, t + 1),
            _ => (String::new(), None, index + 1),
        }
    } else if reads_as_running_text(lines, index, rest) {
        (String::new(), Some(rest.to_string()), index + 1)
    } else {
        (rest.to_string(), None, index + 1)
    };
    Some(Heading {
        start,
        body_start,
        key: numeric_key(&number),
        number,
        title: tidy_title(&title),
        lead,
        layout: Layout::Keyword,
        scheme: "keyword".into(),
        quality: 2.5,
    })
}

/// "47." then the title, or "12 Apology for Absence", "SPCLL.7 TITLE".
fn numbered_heading(lines: &[Line], index: usize, wrap_width: usize) -> Option<Heading> {
    let text = &lines[index].text;
    let caps = NUMBERED.captures(text)?;
    let number = caps["num"].to_string();
    let key = numeric_key(&number);
    if key.is_empty() {
        return None;
    }
    let scheme = shape(&number);
    match caps.name("rest") {
        None => {
            let title_line = next_non_blank(lines, index, 2)?;
            let title = &lines[title_line].text;
            if !starts_like_title(title)
                || NUMBERED.is_match(title) && !title.contains(' ')
                || is_date_line(title)
            {
                return None;
            }
            let (title, last_title_line) = wrapped_title(lines, title_line, wrap_width);
            let quality = heading_quality(lines, index, last_title_line, &title) + 0.2;
            Some(Heading {
                start: index,
                body_start: last_title_line + 1,
                number,
                title: tidy_title(&title),
                lead: None,
                layout: Layout::Standalone,
                scheme,
                key,
                quality,
            })
        }
        Some(rest) => {
            let rest = rest.as_str();
            if !starts_like_title(rest) || MONTH_START.is_match(rest) || is_date_line(rest) {
                return None;
            }
            // "2.00 pm", "10.1.2 (b)" and amounts are not headings.
            if rest.starts_with('(') && caps.name("dot").is_none() && rest.len() < 6 {
                return None;
            }
            let (title, last_title_line) = continued_inline_title(lines, index, rest, wrap_width);
            let quality = heading_quality(lines, index, last_title_line, &title);
            Some(Heading {
                start: index,
                body_start: last_title_line + 1,
                number,
                title: tidy_title(&title),
                lead: None,
                layout: Layout::Inline,
                scheme,
                key,
                quality,
            })
        }
    }
}

/// How long a line must be to have reached the right margin: three
/// quarters of the long lines of the document (its 90th percentile).
/// Text exports, whose lines are whole paragraphs, never wrap a heading.
fn wrap_width(lines: &[Line]) -> usize {
    let mut lengths: Vec<usize> = lines
        .iter()
        .filter(|l| !l.is_blank())
        .map(|l| l.text.chars().count())
        .collect();
    if lengths.is_empty() {
        return usize::MAX;
    }
    lengths.sort_unstable();
    let p90 = lengths[(lengths.len() * 9 / 10).min(lengths.len() - 1)];
    (p90 * 3 / 4).max(30)
}

/// An inline title that wraps: short continuation lines standing before a
/// blank line ("271. Declarations of ... Other Significant" / "Interests in
/// items on the agenda"). Body text straight after a heading is longer or
/// runs on, so it is left alone.
fn continued_inline_title(
    lines: &[Line],
    index: usize,
    rest: &str,
    wrap_width: usize,
) -> (String, usize) {
    let mut title = rest.to_string();
    let mut last = index;
    while last < index + 2 && !title.ends_with(['.', ':', ';', '?', '!']) {
        let Some(next) = lines.get(last + 1) else {
            break;
        };
        let after_is_break = lines
            .get(last + 2)
            .is_none_or(|after| after.is_blank() || after.page != next.page);
        let short = next.text.split_whitespace().count() <= 10;
        // Only a line that reached the margin can have wrapped.
        let filled = lines[last].text.chars().count() >= wrap_width;
        if next.is_blank()
            || !filled
            || next.page != lines[last].page
            || !short
            || next.text.ends_with('.')
            || NUMBERED.is_match(&next.text)
            || KEYWORD.is_match(&next.text)
            || MARKER.is_match(&next.text)
            || !after_is_break
        {
            break;
        }
        title.push(' ');
        title.push_str(&next.text);
        last += 1;
    }
    (strip_inline_noise(&title), last)
}

/// A title printed alone under its number may wrap onto following lines
/// (up to a blank line); an attachment badge may even break mid-way.
fn wrapped_title(lines: &[Line], first: usize, wrap_width: usize) -> (String, usize) {
    let mut title = lines[first].text.clone();
    let mut last = first;
    while last + 1 < lines.len() && last < first + 2 {
        let next = &lines[last + 1];
        let badge_remnant = matches!(next.text.as_str(), "KB" | "MB" | "kB");
        let filled = lines[last].text.chars().count() >= wrap_width;
        if next.is_blank()
            || (title.ends_with(['.', ':', '?', '!']) && !badge_remnant)
            || !(filled || badge_remnant)
        {
            break;
        }
        if NUMBERED
            .captures(&next.text)
            .is_some_and(|c| c.name("rest").is_none())
        {
            break;
        }
        title.push(' ');
        title.push_str(&next.text);
        last += 1;
    }
    (strip_inline_noise(&title), last)
}

/// "5TH FEBRUARY, 2018" under "5.1": a list of dates, not a heading.
fn is_date_line(text: &str) -> bool {
    super::meeting::find_date(text).is_some_and(|(_, range)| {
        let rest = text.len() - range.len();
        rest <= 3
    })
}

fn starts_like_title(text: &str) -> bool {
    text.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '\'' | '‘' | '“' | '(' | '[')
    })
}

/// The text after a keyword heading is a sentence that wraps on, not a title.
fn reads_as_running_text(lines: &[Line], index: usize, rest: &str) -> bool {
    let words = rest.split_whitespace().count();
    let continues = lines
        .get(index + 1)
        .is_some_and(|l| l.text.chars().next().is_some_and(char::is_lowercase));
    words > 8 && continues && !rest.ends_with(['.', ':', ';'])
}

/// How much a numbered line looks like an item heading rather than a
/// numbered paragraph: short, capitalised, set apart, not a running sentence.
fn heading_quality(lines: &[Line], number_line: usize, title_line: usize, title: &str) -> f32 {
    let words: Vec<&str> = title.split_whitespace().collect();
    let mut quality = 1.0;
    quality += match words.len() {
        0..=12 => 0.5,
        13..=20 => -0.3,
        _ => -1.0,
    };
    quality += if blank_before(lines, number_line) {
        0.3
    } else {
        -0.3
    };
    let sentence_continues = lines.get(title_line + 1).is_some_and(|next| {
        next.page == lines[title_line].page
            && next.text.chars().next().is_some_and(char::is_lowercase)
    });
    if sentence_continues && !title.ends_with(['.', ':', ';', '?', '!']) {
        quality -= 0.8;
    }
    let long_words: Vec<&&str> = words.iter().filter(|w| w.chars().count() > 3).collect();
    let lower_case = long_words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .count();
    // "The Forum noted the proposal about the schools block." is a sentence.
    if title.ends_with('.') && words.len() >= 6 && lower_case * 5 >= long_words.len() * 2 {
        quality -= 1.5;
    }
    if !long_words.is_empty() {
        let capitalised = long_words
            .iter()
            .filter(|w| {
                w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            })
            .count();
        if capitalised * 5 >= long_words.len() * 3 {
            quality += 0.3;
        }
    }
    if RESOLUTION_START.is_match(title) {
        quality -= 1.0;
    }
    quality
}

/// Digit runs of an item number: "SPCLL.7" -> [7], "21/3" -> [21, 3].
fn numeric_key(number: &str) -> Vec<u32> {
    let mut key: Vec<u32> = number
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    // "7a" comes after "7" and before "7b" and "8".
    let mut tail = number.chars().rev();
    if let (Some(letter), Some(digit)) = (tail.next(), tail.next()) {
        if letter.is_ascii_lowercase() && digit.is_ascii_digit() {
            key.push(u32::from(letter) - u32::from('a') + 1);
        }
    }
    key
}

/// The numbering scheme of an item number: letters kept, digit runs as "9";
/// a lower-case letter after the number ("1a", "2b") is a sub-item of the
/// same scheme, as "1" and "2" are.
fn shape(number: &str) -> String {
    let mut tail = number.chars().rev();
    let number = match (tail.next(), tail.next()) {
        (Some(letter), Some(digit)) if letter.is_ascii_lowercase() && digit.is_ascii_digit() => {
            &number[..number.len() - 1]
        }
        _ => number,
    };
    let mut out = String::new();
    let mut in_digits = false;
    for c in number.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('9');
            }
            in_digits = true;
        } else {
            out.push(c.to_ascii_uppercase());
            in_digits = false;
        }
    }
    out
}

/// How well `b` follows `a` in a numbering sequence; None when it cannot
/// come after `a` at all.
fn continuity(a: &[u32], b: &[u32]) -> Option<f32> {
    if b.cmp(a) != Ordering::Greater {
        return None;
    }
    if is_successor(a, b, 1) {
        return Some(1.0);
    }
    if (2..=4).any(|step| is_successor(a, b, step)) {
        return Some(0.2);
    }
    Some(-2.0)
}

/// `b` is `a` moved on by `step` at one level: the next sibling ("5.1" ->
/// "5.2"), a first child ("5" -> "5.1"), the parent's sibling ("5.4" ->
/// "6"), or one part advanced with later parts kept or reset ("CYP/15/24"
/// -> "CYP/16/24", "5.2.38" -> "5.3.1").
fn is_successor(a: &[u32], b: &[u32], step: u32) -> bool {
    if b.len() == a.len() + 1 && step == 1 {
        return b[..a.len()] == *a && b[a.len()] <= 1;
    }
    if b.len() > a.len() || b.is_empty() {
        return false;
    }
    (0..b.len()).any(|p| {
        a[..p] == b[..p]
            && b[p] == a[p] + step
            && (p + 1..b.len()).all(|q| b[q] == a[q] || b[q] <= 1)
    })
}

/// Picks the numbering scheme whose best ascending run of headings scores
/// highest, and returns that run.
fn best_chain(candidates: Vec<Heading>, lines: &[Line]) -> Vec<Heading> {
    let mut schemes: Vec<String> = candidates.iter().map(|c| c.scheme.clone()).collect();
    schemes.sort();
    schemes.dedup();
    let mut chains: Vec<(String, f32, Vec<Heading>)> = schemes
        .into_iter()
        .map(|scheme| {
            let members: Vec<Heading> = candidates
                .iter()
                .filter(|c| c.scheme == scheme)
                .cloned()
                .collect();
            let (score, chain) = chain_for(penalise_bodiless(members, lines));
            (scheme, score, chain)
        })
        .collect();
    // Paragraphs numbered "10.1", "10.2" under minute 10 are not items.
    let subordinate: Vec<bool> = chains
        .iter()
        .enumerate()
        .map(|(k, (_, _, chain))| {
            chains
                .iter()
                .enumerate()
                .any(|(j, (_, _, other))| j != k && numbers_within(chain, other))
        })
        .collect();
    let mut best: Option<(f32, Vec<Heading>)> = None;
    for ((_, score, chain), sub) in chains.drain(..).zip(subordinate) {
        if sub || chain.is_empty() {
            continue;
        }
        let acceptable = chain.len() >= 2 || chain[0].quality >= 1.5;
        if acceptable && best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, chain));
        }
    }
    best.map(|(_, chain)| chain).unwrap_or_default()
}

/// True when most of `chain` are sub-numbers of headings in `parents`.
fn numbers_within(chain: &[Heading], parents: &[Heading]) -> bool {
    if parents.len() < 2 || chain.is_empty() {
        return false;
    }
    let nested = chain
        .iter()
        .filter(|h| {
            parents.iter().any(|p| {
                p.key.len() < h.key.len() && h.key[..p.key.len()] == p.key[..] && p.start < h.start
            })
        })
        .count();
    nested * 2 > chain.len()
}

/// Lines of a list ("1. ...", "2. ...") follow each other with nothing in
/// between; items have minutes under them.
fn penalise_bodiless(mut members: Vec<Heading>, lines: &[Line]) -> Vec<Heading> {
    let starts: Vec<usize> = members.iter().map(|m| m.start).collect();
    for (k, member) in members.iter_mut().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let has_body = (member.body_start..end)
            .any(|i| lines.get(i).is_some_and(|l| !l.is_blank()))
            || member.lead.is_some();
        if !has_body {
            member.quality -= 0.5;
        }
    }
    members
}

/// How many earlier candidates an item heading may follow: bounds the work
/// on huge documents, far more than the numbered paragraphs of any item.
const MAX_LOOK_BACK: usize = 500;

/// The best-scoring ascending subsequence of one scheme's candidates.
///
/// Runs of consecutive numbers are taken from their first member: a list
/// that restarts at "1." inside an item cannot lend its "4.", "5."... to
/// the chain of item numbers.
fn chain_for(members: Vec<Heading>) -> (f32, Vec<Heading>) {
    let n = members.len();
    let run_start: Vec<bool> = (0..n)
        .map(|j| j == 0 || !is_successor(&members[j - 1].key, &members[j].key, 1))
        .collect();
    let mut score = vec![f32::NEG_INFINITY; n];
    let mut back: Vec<Option<usize>> = vec![None; n];
    for j in 0..n {
        if run_start[j] {
            score[j] = members[j].quality;
        }
        for i in j.saturating_sub(MAX_LOOK_BACK)..j {
            if members[i].start >= members[j].start || !(run_start[j] || i + 1 == j) {
                continue;
            }
            if let Some(c) = continuity(&members[i].key, &members[j].key) {
                let s = score[i] + members[j].quality + c;
                if s > score[j] {
                    score[j] = s;
                    back[j] = Some(i);
                }
            }
        }
    }
    let Some(end) = (0..n).max_by(|&a, &b| score[a].total_cmp(&score[b])) else {
        return (0.0, Vec::new());
    };
    let mut order = vec![end];
    let mut at = end;
    while let Some(prev) = back[at] {
        order.push(prev);
        at = prev;
    }
    order.reverse();
    let best = score[end];
    let mut taken: Vec<Option<Heading>> = members.into_iter().map(Some).collect();
    (
        best,
        order.into_iter().filter_map(|i| taken[i].take()).collect(),
    )
}

/// Heading text without label punctuation and stray spacing.
pub fn tidy_title(title: &str) -> String {
    let collapsed = title.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_end_matches([':', ';', ' ', '-', '–'])
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .map(|t| Line {
                text: t.trim().to_string(),
                page: 1,
                badge: false,
            })
            .collect()
    }

    fn numbers_and_titles(text: &str) -> Vec<(String, String)> {
        find_headings(&lines(text))
            .into_iter()
            .map(|h| (h.number, h.title))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    }

    // Hand-written fixture in the shape of a ModernGov web export.
    #[test]
    fn standalone_numbers_with_titles_on_next_line() {
        let text = "Items\n\n47.\n\nMinutes.\n\nThe minutes were confirmed.\n\n48.\n\nQuestion Time.\n\ni) None were received.\n\n49.\n\nUrgent Items.\n\nNone.";
        assert_eq!(
            numbers_and_titles(text),
            pairs(&[
                ("47", "Minutes."),
                ("48", "Question Time."),
                ("49", "Urgent Items.")
            ])
        );
    }

    // Hand-written fixture: item numbers and numbered paragraphs share a shape.
    #[test]
    fn numbered_paragraphs_inside_items_are_not_items() {
        let text = "84. Apologies\n\nNone.\n\n85. Cabinet Member Updates\n\n1. Mr Gough provided an update on the following\nmatters of interest to the county.\n2. Mr Baker provided an update on the\nbuses.\n3. Mrs Chandler gave an update on\nchildren.\n4. Mr Love gave an update on\nschools.\n\n86. Budget Monitoring\n\n1. RESOLVED that the report be noted.\n\n87. Risk Register\n\nNoted.";
        assert_eq!(
            numbers_and_titles(text),
            pairs(&[
                ("84", "Apologies"),
                ("85", "Cabinet Member Updates"),
                ("86", "Budget Monitoring"),
                ("87", "Risk Register")
            ])
        );
    }

    // Hand-written fixture: "10.1" paragraphs belong to minute 10.
    #[test]
    fn decimal_paragraphs_belong_to_their_minute() {
        let text = "10. Children's Services Update\n\n10.1 The Director introduced the report.\n\n10.2 Members asked about caseloads.\n\n10.3 RESOLVED that the report be noted.\n\n11. School Places\n\n11.1 The report was noted.\n\n11.2 Members welcomed it.\n\n12. Any Other Business\n\n12.1 None.";
        assert_eq!(
            numbers_and_titles(text),
            pairs(&[
                ("10", "Children's Services Update"),
                ("11", "School Places"),
                ("12", "Any Other Business")
            ])
        );
    }

    // Hand-written fixture: inline titles that wrap, and headings followed
    // straight away by their text.
    #[test]
    fn wrapped_inline_titles() {
        let text = "271. Declarations of Disclosable Pecuniary Interests or Other Significant\nInterests in items on the agenda\n\nNone.\n\n272. Minutes of the meeting held on 7 November 2024, if in order, to be\napproved as a correct record\n\nRESOLVED that the minutes be approved.\n\n273. Finance\nThe accounts were approved for payment\nProposed: CR Seconded: KD\n\n274. Planning\nNo objection\n\n275. Close";
        assert_eq!(
            numbers_and_titles(text),
            pairs(&[
                ("271", "Declarations of Disclosable Pecuniary Interests or Other Significant Interests in items on the agenda"),
                ("272", "Minutes of the meeting held on 7 November 2024, if in order, to be approved as a correct record"),
                ("273", "Finance"),
                ("274", "Planning"),
                ("275", "Close")
            ])
        );
    }

    // Hand-written fixture: a numbered list inside an item, with and without
    // blank lines, and inside the last item.
    #[test]
    fn numbered_lists_inside_items_do_not_continue_the_item_numbers() {
        for gap in ["\n", "\n\n"] {
            let list: String = (1..=15)
                .map(|n| format!("{n}. The Forum noted the proposal number {n} about the schools block.{gap}"))
                .collect();
            let text = format!(
                "1. Apologies\n\nNone.\n\n2. Minutes\n\nAgreed.\n\n3. Budget Proposals\n\nThe Forum considered:\n\n{list}\n4. High Needs Block\n\nDiscussed.\n\n5. Date of Next Meeting\n\nThe Forum considered:\n\n{list}"
            );
            assert_eq!(
                numbers_and_titles(&text),
                pairs(&[
                    ("1", "Apologies"),
                    ("2", "Minutes"),
                    ("3", "Budget Proposals"),
                    ("4", "High Needs Block"),
                    ("5", "Date of Next Meeting")
                ]),
                "list lines separated by {gap:?}"
            );
        }
    }

    // Hand-written fixture: an agenda list, then a section heading whose
    // sub-numbered headings are items, with numbered paragraphs inside them.
    #[test]
    fn section_headings_open_sub_numbered_items() {
        let text = "Agenda\n1. Apologies\n2. Reports for decision\n2.1 Budget\n3. Any other business\n\nMinutes of the meeting\n\n1. Apologies\n\nNone.\n\n2. Reports for decision\n\n2.1 Budget 2024/25\n\n2.1.1 The Forum considered the budget.\n2.1.2 RESOLVED that it be approved.\n\n2.2 Home to School Transport Policy\n\nThe Forum discussed the policy and raised concerns about\nthe cost of taxis.\n\n3. Any other business\n\nNone.";
        let found = find_headings(&lines(text));
        let got: Vec<(String, String)> = found
            .iter()
            .map(|h| (h.number.clone(), h.title.clone()))
            .collect();
        assert_eq!(
            got,
            pairs(&[
                ("1", "Apologies"),
                ("2", "Reports for decision"),
                ("2.1", "Budget 2024/25"),
                ("2.2", "Home to School Transport Policy"),
                ("3", "Any other business")
            ])
        );
        assert!(found[0].start > 5, "the agenda list is not the minutes");
    }

    #[test]
    fn prefixed_and_slashed_schemes() {
        let text = "Present: Councillors\n\nSPCLL.1 APOLOGIES FOR ABSENCE\n\nNone.\n\nSPCLL.2 MINUTES\n\n- 1. agreed\n\nSPCLL.3 FORWARD PLAN\n\nNoted.";
        assert_eq!(
            numbers_and_titles(text),
            pairs(&[
                ("SPCLL.1", "APOLOGIES FOR ABSENCE"),
                ("SPCLL.2", "MINUTES"),
                ("SPCLL.3", "FORWARD PLAN")
            ])
        );
        let text = "CYP/15/24 Apologies\n\nNone.\n\nCYP/16/24 Declarations of Interest\n\nNone.\n\nCYP/17/24 Youth Justice Plan\n\nNoted.";
        assert_eq!(
            numbers_and_titles(text),
            pairs(&[
                ("CYP/15/24", "Apologies"),
                ("CYP/16/24", "Declarations of Interest"),
                ("CYP/17/24", "Youth Justice Plan")
            ])
        );
    }

    // Hand-written fixture in the shape of Kent's printed minutes.
    #[test]
    fn title_block_above_item_marker() {
        let text = "IN ATTENDANCE: officers\n\n84. Revenue and Capital Budget Monitoring Report – November\n2024-25\n(Item 5)\n\n1. The report was introduced.\n\nYouth Justice Annual Report\n\n(Item 6)\n\nNoted.";
        assert_eq!(
            numbers_and_titles(text),
            pairs(&[
                (
                    "84",
                    "Revenue and Capital Budget Monitoring Report – November 2024-25"
                ),
                ("6", "Youth Justice Annual Report")
            ])
        );
    }

    // Hand-written fixture: the same headings as another PDF reader lays them out.
    #[test]
    fn numbers_and_sentences_on_lines_of_their_own() {
        let text = "292.\n\nApologies for Absence\n(Item 1)\n\nNone.\n\n293.\n\nDeclarations of Interest\n(Item 2)\n\nNone.";
        assert_eq!(
            numbers_and_titles(text),
            pairs(&[
                ("292", "Apologies for Absence"),
                ("293", "Declarations of Interest")
            ])
        );
        let text = "Agenda\nItem 2.\n\nOn motion of Mr. Garvey, seconded by Ms. Boffy, the Board approved the\nagenda, as printed.\n\nAgenda\nItem 3.\n\nReport by the Superintendent\n\nText.";
        let found = find_headings(&lines(text));
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].title.as_str(), found[1].title.as_str()),
            ("", "Report by the Superintendent")
        );
        assert!(found[0]
            .lead
            .as_deref()
            .is_some_and(|l| l.starts_with("On motion")));
    }

    #[test]
    fn keyword_headings_with_sentences_and_references() {
        let text = "Agenda\nItem 2. On motion of Mr. Garvey, seconded by Ms. Boffy, the Board approved the\nagenda, as printed.\n\nAgenda\nItem 3. Report by the Superintendent\n\nText.\n\nAgenda Item 3.2., “Consideration of policy.”\n\nAgenda\nItem 3.1. Finance Committee (Schedule 3)\n\n3.1.1 On motion of Dr. Miranti, the Board received the minutes.\n\n3.1.2 On motion the Board approved it.";
        let found = find_headings(&lines(text));
        let got: Vec<(String, String)> = found
            .iter()
            .map(|h| (h.number.clone(), h.title.clone()))
            .collect();
        assert_eq!(
            got,
            pairs(&[
                ("2", ""),
                ("3", "Report by the Superintendent"),
                ("3.1", "Finance Committee (Schedule 3)")
            ])
        );
        assert!(found[0]
            .lead
            .as_deref()
            .is_some_and(|l| l.starts_with("On motion of Mr. Garvey")));
        assert_eq!(
            found[0].start, 0,
            "the 'Agenda' line belongs to the heading"
        );
    }

    // Hand-written fixture: "Minute 45/23 – Title" headings.
    #[test]
    fn minute_keyword_headings() {
        let text = "Minute 45/23 – Apologies\n\nNone.\n\nMinute 46/23 – Youth Justice Plan\n\nThe plan was noted.\nMinute 12/23 of the last meeting was recalled.\n\nMinute 47/23 – Date of Next Meeting\n\n5 July.";
        assert_eq!(
            numbers_and_titles(text),
            pairs(&[
                ("45/23", "Apologies"),
                ("46/23", "Youth Justice Plan"),
                ("47/23", "Date of Next Meeting")
            ])
        );
    }

    #[test]
    fn successor_rules() {
        assert!(is_successor(&[5], &[6], 1));
        assert!(is_successor(&[5], &[5, 1], 1));
        assert!(is_successor(&[5, 4], &[6], 1));
        assert!(is_successor(&[15, 24], &[16, 24], 1));
        assert!(is_successor(&[5, 2, 38], &[5, 3, 1], 1));
        assert!(!is_successor(&[5], &[7], 1));
        assert_eq!(continuity(&[7], &[3]), None);
    }

    #[test]
    fn shapes_group_numbering_schemes() {
        assert_eq!(shape("SPCLL.7"), "SPCLL.9");
        assert_eq!(shape("21/3"), "9/9");
        assert_eq!(shape("01.24.01"), "9.9.9");
        assert_eq!(numeric_key("CYP/15/24"), vec![15, 24]);
        assert_eq!(numeric_key("7a"), vec![7, 1]);
        assert!(is_successor(&[7], &numeric_key("7a"), 1));
        assert!(is_successor(&numeric_key("7a"), &numeric_key("7b"), 1));
        assert!(is_successor(&numeric_key("7b"), &[8], 1));
    }
}
