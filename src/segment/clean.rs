//! Turns extracted pages into one stream of clean lines, each remembering its
//! page, so that later steps never see page furniture or web-export clutter
//! and a page break can neither split nor merge an item.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// One cleaned line of text and the 1-based page it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub page: u32,
    /// An attachment badge ("pdf icon PDF 81 KB") was printed on the line:
    /// web exports put one after an item's title.
    pub badge: bool,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// A "Minutes:" or "Decision:" label: web exports print one between an
    /// item's agenda text and its minutes. It marks structure, not content.
    pub fn is_label(&self) -> bool {
        is_section_label(&self.text)
    }
}

/// Labels that open the minutes or decision part of an item.
pub fn is_section_label(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "minutes:" | "decision:" | "decisions:" | "minute:"
    )
}

/// How many non-blank lines at the top and bottom of a page may hold running
/// headers, footers and page numbers.
const TOP_ZONE: usize = 5;
const BOTTOM_ZONE: usize = 3;

/// Cleans all pages and returns their lines in reading order.
pub fn clean_pages(pages: &[String], paginated: bool) -> Vec<Line> {
    // Text saved from a PDF keeps its page breaks as form feeds: treat its
    // pages like a PDF's so their headers and page numbers go too.
    let form_fed: Vec<&str> = match pages {
        [only] if !paginated && only.contains('\u{000C}') => only.split('\u{000C}').collect(),
        _ => pages.iter().map(String::as_str).collect(),
    };
    let paginated = paginated || form_fed.len() > pages.len();
    let mut per_page: Vec<Vec<String>> = form_fed
        .iter()
        .map(|page| page.lines().map(normalise_line).collect())
        .collect();
    if paginated && per_page.len() > 1 {
        drop_page_furniture(&mut per_page);
    }
    let mut lines: Vec<Line> = Vec::new();
    for (index, page_lines) in per_page.into_iter().enumerate() {
        let page = u32::try_from(index + 1).unwrap_or(u32::MAX);
        // Blank lines at a page's edges are layout, not paragraph breaks.
        let first = page_lines.iter().position(|l| !l.is_empty());
        let last = page_lines.iter().rposition(|l| !l.is_empty());
        let (Some(first), Some(last)) = (first, last) else {
            continue;
        };
        let edges_are_layout = paginated;
        let range = if edges_are_layout {
            first..last + 1
        } else {
            0..page_lines.len()
        };
        // A page of a handful of lines, one of them very long, is a whole
        // document flattened onto a line or two.
        let flattened = page_lines.iter().filter(|l| !l.is_empty()).count() <= FLATTENED_LINES;
        for text in page_lines.into_iter().take(range.end).skip(range.start) {
            let pieces = if flattened {
                split_run_on(&text)
            } else {
                vec![text]
            };
            for piece in pieces.iter().flat_map(|line| split_flattened(line)) {
                if is_export_noise(&piece) {
                    continue;
                }
                let text = strip_inline_noise(&piece);
                let badge = text.len() != piece.len();
                lines.push(Line { text, page, badge });
            }
        }
    }
    let mut emptied = vec![false; lines.len()];
    join_split_ordinals(&mut lines, &mut emptied);
    join_hyphenated_words(&mut lines, &mut emptied);
    // A line whose only word moved up is gone, not a paragraph break.
    let mut keep = emptied.iter().map(|e| !e);
    lines.retain(|l| keep.next().unwrap_or(true) || !l.text.is_empty());
    lines
}

/// Character-level normalisation: ligatures, odd spaces, invisible marks,
/// symbol-font bullets, and runs of spaces from justified PDF text.
pub fn normalise_line(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for ch in raw.chars() {
        match ch {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\t' => {
                out.push(' ')
            }
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\r' | '\u{000C}' => {}
            // Word's Symbol/Wingdings bullets land in the private use area.
            '\u{F000}'..='\u{F0FF}' => out.push('•'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    // A soft hyphen only matters at a line end, where it marks a split word.
    match collapsed.strip_suffix('\u{00AD}') {
        Some(body) => format!("{}\u{00AD}", body.replace('\u{00AD}', "")),
        None => collapsed.replace('\u{00AD}', ""),
    }
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            \d{1,4}
          | -\s*\d{1,4}\s*-
          | page\s+\d{1,4}(?:\s+of\s+\d{1,4})?
          | p\s?a\s?g\s?e\s*\|\s*\d{1,4}
          | \d{1,4}\s*\|\s*p\s?a\s?g\s?e
          | \d{1,4}\s+of\s+\d{1,4}
        )$",
    )
    .expect("static regex")
});

/// Lines that must survive even if they repeat on many pages, because they
/// mark where items start.
static ITEM_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\(item\s+\d+[a-z]?\)$").expect("static regex"));

fn furniture_key(text: &str) -> String {
    // Page 9 and page 10 must give the same key: a digit run becomes one '#'.
    let mut masked = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !masked.ends_with('#') {
                masked.push('#');
            }
        } else {
            masked.push(c.to_ascii_lowercase());
        }
    }
    masked.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Indices of the non-blank lines in the top and bottom zones of a page.
fn zone_indices(lines: &[String]) -> Vec<usize> {
    let non_blank: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, _)| i)
        .collect();
    let mut zone: Vec<usize> = non_blank.iter().take(TOP_ZONE).copied().collect();
    for &i in non_blank.iter().rev().take(BOTTOM_ZONE) {
        if !zone.contains(&i) {
            zone.push(i);
        }
    }
    zone
}

/// Removes running headers/footers (lines that recur near the edge of many
/// pages, numbers ignored) and page numbers.
fn drop_page_furniture(pages: &mut [Vec<String>]) {
    let mut pages_with_key: HashMap<String, usize> = HashMap::new();
    for lines in pages.iter() {
        let mut seen: Vec<String> = zone_indices(lines)
            .into_iter()
            .map(|i| furniture_key(&lines[i]))
            .collect();
        seen.sort();
        seen.dedup();
        for key in seen {
            *pages_with_key.entry(key).or_default() += 1;
        }
    }
    let threshold = (pages.len() / 2).max(2);
    for (page_index, lines) in pages.iter_mut().enumerate() {
        let first_body_line = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
            .nth(TOP_ZONE)
            .map_or(usize::MAX, |(i, _)| i);
        for i in zone_indices(lines) {
            let text = &lines[i];
            if ITEM_MARKER.is_match(text) {
                continue;
            }
            // The first page's heading often repeats as the running header;
            // there it names the committee and date, so it stays.
            let first_page_heading = page_index == 0 && i < first_body_line;
            let repeated = !first_page_heading
                && pages_with_key
                    .get(&furniture_key(text))
                    .is_some_and(|&n| n >= threshold);
            if repeated || PAGE_NUMBER.is_match(text) {
                lines[i].clear();
            }
        }
    }
}

static NOISE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            (?:additional|supporting|background|related)\s+documents?:?
          | webcast\.?
          | a\s+webcast\s+of\s+(?:the|this)\s+meeting(?-u:\b).*
          | view\s+(?:the\s+)?webcast\.?
          | view\s+directions\.?
          | no\.\s+item
          | \((?:motion|item|text|minute)?\s*continue[sd]?\s+(?:on|overleaf)(?-u:\b).*\)
        )$",
    )
    .expect("static regex")
});

/// A table-cell separator: web pages saved as text print a meeting's table
/// of items as "| No. | Item |" rows, or a whole row on one line.
static INLINE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|\s)(?:Additional\s+documents:\s*)?(?P<label>Minutes|Decisions?|MINUTES|DECISIONS?):(?:\s+|$)",
    )
    .expect("static regex")
});

static INLINE_DOCUMENTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:additional|supporting)\s+documents:\s*").expect("static regex")
});

/// Splits one printed line into the lines it stands for: table cells of a
/// meeting page flattened to "|" text, and "Title Minutes: text" rows where
/// the export ran an item's title, label and minutes together. A row of
/// separators only is a paragraph break.
fn split_flattened(text: &str) -> Vec<String> {
    let cells: Vec<&str> = if text.contains('|') && !PAGE_NUMBER.is_match(text) {
        let cells: Vec<&str> = text
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty() && !c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
            .collect();
        if cells.is_empty() {
            return vec![String::new()];
        }
        cells
    } else {
        vec![text]
    };
    let mut out = Vec::with_capacity(cells.len() + 1);
    // A table row stands apart from the row before it.
    if cells.len() > 1 || text.contains('|') {
        out.push(String::new());
    }
    for cell in cells {
        let mut rest = cell;
        // Most lines hold no label: a byte search spares them the regex.
        while rest.contains(':') {
            let Some(caps) = INLINE_LABEL.captures(rest) else {
                break;
            };
            let (Some(whole), Some(label)) = (caps.get(0), caps.name("label")) else {
                break;
            };
            // "Minutes: Read the Minutes" is a link to them, not a label.
            if LINK_TEXT.is_match(&rest[whole.end()..]) {
                break;
            }
            let before = INLINE_DOCUMENTS.replace_all(rest[..whole.start()].trim(), "");
            push_title_and_agenda(&mut out, before.trim());
            out.push(format!("{}:", label.as_str()));
            rest = rest[whole.end()..].trim();
        }
        if !rest.is_empty() {
            push_title_and_agenda(&mut out, rest);
        } else if out.is_empty() {
            // A blank line stays a paragraph break.
            out.push(String::new());
        }
    }
    out
}

static LINK_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:read|view|see|download|open|printed)(?-u:\b).{0,40}$")
        .expect("static regex")
});

/// At most this many lines on a page that was flattened.
const FLATTENED_LINES: usize = 5;

/// A line this long is a whole document (or page) flattened onto one line,
/// as document-sharing sites and some PDF converters leave minutes.
const RUN_ON_LINE: usize = 600;

/// Where an item starts inside flattened text: "... - Clerk 1.BCBC Fit for
/// the Future ...", "... the meeting. 2. Public Address ...", "C31/16
/// Declarations of Interest".
static RUN_ON_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s(?P<num>\d{1,3}\.|[A-Z]{1,3}\d{1,3}/\d{2,4}(?::-)?)\s?(?P<next>[A-Z][a-z’'A-Z])")
        .expect("static regex")
});

/// Breaks a flattened run-on line before each place an item may start, so
/// that headings stand at line starts as they were printed.
fn split_run_on(text: &str) -> Vec<String> {
    if text.len() < RUN_ON_LINE {
        return vec![text.to_string()];
    }
    let mut out = Vec::new();
    let mut last = 0;
    for c in RUN_ON_ITEM.captures_iter(text) {
        let (Some(num), Some(next)) = (c.name("num"), c.name("next")) else {
            continue;
        };
        push_piece(&mut out, &text[last..num.start()]);
        // A blank line before, and "1.BCBC" given back its space.
        out.push(String::new());
        out.push(format!("{} ", num.as_str()));
        last = next.start();
    }
    push_piece(&mut out, &text[last..]);
    out
}

/// Appends a piece of a run-on line, to the number that starts it if any.
fn push_piece(out: &mut Vec<String>, piece: &str) {
    let piece = piece.trim();
    match out.last_mut() {
        Some(number) if number.ends_with(' ') => number.push_str(piece),
        _ if piece.is_empty() => {}
        _ => out.push(piece.to_string()),
    }
}

/// An item's title run together with its agenda text: "Apologies for
/// Absence To report any apologies for absence."
static TITLE_THEN_AGENDA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<title>[A-Z][^.:;|]{2,110}?)\s+(?P<agenda>To\s+(?:consider|receive|approve|agree|note|elect|discuss|report|record|confirm|appoint|review|submit|determine|present|update|give|hear|adopt|ratify|endorse|scrutinise|comment|discuss)\s.*)$",
    )
    .expect("static regex")
});

fn push_title_and_agenda(out: &mut Vec<String>, text: &str) {
    if text.is_empty() {
        return;
    }
    if !text.contains(" To ") {
        out.push(text.to_string());
        return;
    }
    match TITLE_THEN_AGENDA.captures(text) {
        Some(c) if c["title"].split_whitespace().count() <= 12 => {
            out.push(c["title"].trim().to_string());
            out.push(c["agenda"].trim().to_string());
        }
        _ => out.push(text.to_string()),
    }
}

/// Whole lines that are clutter of ModernGov-style web exports.
pub fn is_export_noise(text: &str) -> bool {
    NOISE_LINE.is_match(text)
}

static INLINE_NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:\s*pdf\s+icon)?\s*(?-u:\b)PDF\s+[\d.,]+\s*[KMG]B(?-u:\b)|\.?\s*(?-u:\b)View\s+directions(?-u:\b)\.?",
    )
    .expect("static regex")
});

/// Removes attachment badges ("pdf icon PDF 178 KB") and link labels
/// ("View directions") from inside a line.
pub fn strip_inline_noise(text: &str) -> String {
    if !INLINE_NOISE.is_match(text) {
        return text.to_string();
    }
    INLINE_NOISE.replace_all(text, "").trim().to_string()
}

static ORDINAL_SUFFIX_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i)(st|nd|rd|th)(?-u:\b)\s*").expect("static regex"));

/// Superscript ordinals come out of PDFs on their own line ("ON 25" /
/// "th January 2024"); put them back together so dates parse.
fn join_split_ordinals(lines: &mut [Line], emptied: &mut [bool]) {
    for i in 0..lines.len().saturating_sub(1) {
        let ends_with_day = {
            let t = &lines[i].text;
            let digits: String = t.chars().rev().take_while(|c| c.is_ascii_digit()).collect();
            (1..=2).contains(&digits.len())
        };
        if !ends_with_day {
            continue;
        }
        let Some(m) = ORDINAL_SUFFIX_START.find(&lines[i + 1].text) else {
            continue;
        };
        let suffix = lines[i + 1].text[..m.end()].trim_end().to_string();
        let rest = lines[i + 1].text[m.end()..].to_string();
        lines[i].text.push_str(&suffix);
        if !rest.is_empty() {
            lines[i].text.push(' ');
            lines[i].text.push_str(&rest);
        }
        lines[i + 1].text.clear();
        emptied[i + 1] = true;
    }
}

/// Word endings that are never words on their own, so a hyphen before them
/// at a line end is a typesetter's break rather than a compound.
const BARE_SUFFIXES: &[&str] = &[
    "ment", "ments", "tion", "tions", "sion", "sions", "ing", "ings", "ed", "ly", "ness", "ity",
    "ities", "ance", "ances", "ence", "ences", "able", "ible", "al", "ally", "ous", "ive", "ise",
    "ised", "ize", "ized", "er", "ers", "ary", "ory", "ure", "ures", "ist", "ists", "ism", "ant",
    "ent", "es", "s",
];

/// Rejoins words broken across line ends: "father-" + "inclusive" becomes
/// "father-inclusive" (a real compound keeps its hyphen), "assess-" + "ment"
/// becomes "assessment", and a soft hyphen always disappears.
fn join_hyphenated_words(lines: &mut [Line], emptied: &mut [bool]) {
    for i in 0..lines.len() {
        let soft = lines[i].text.ends_with('\u{00AD}');
        let hard = {
            let t = &lines[i].text;
            let mut rev = t.chars().rev();
            rev.next() == Some('-') && rev.next().is_some_and(char::is_alphabetic)
        };
        if !soft && !hard {
            continue;
        }
        let Some(next) = (i + 1..lines.len()).take(2).find(|&j| !lines[j].is_blank()) else {
            continue;
        };
        if next != i + 1 && lines[i].page == lines[next].page {
            // A blank line in the same page is a real paragraph break.
            continue;
        }
        let first_word: String = lines[next]
            .text
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '\'' || *c == '’')
            .collect();
        let Some(first_char) = first_word.chars().next() else {
            continue;
        };
        // "Crow-" + "Brown": a capitalised continuation keeps its hyphen.
        let capitalised = first_char.is_uppercase();
        if !capitalised && !first_char.is_lowercase() {
            continue;
        }
        let rest = lines[next].text[first_word.len()..].to_string();
        let mut word_tail = first_word.clone();
        let mut following = rest.trim_start().to_string();
        // Keep trailing punctuation with the rejoined word.
        let punct: String = following
            .chars()
            .take_while(|c| matches!(c, ',' | '.' | ';' | ':' | ')' | '!' | '?'))
            .collect();
        if !punct.is_empty() && rest.starts_with(punct.as_str()) {
            word_tail.push_str(&punct);
            following = following[punct.len()..].trim_start().to_string();
        }
        let bare_stem = !capitalised && BARE_SUFFIXES.contains(&first_word.as_str());
        let text = &mut lines[i].text;
        text.pop();
        if hard && !bare_stem {
            text.push('-');
        }
        text.push_str(&word_tail);
        emptied[next] = following.is_empty();
        lines[next].text = following;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn ligatures_and_odd_spaces_are_normalised() {
        assert_eq!(
            normalise_line("e\u{FB03}cient  \u{00A0}o\u{FB00}er\u{200B}"),
            "efficient offer"
        );
        assert_eq!(normalise_line("\u{00A0}"), "");
        assert_eq!(
            normalise_line("\u{F0B7} Signage agreed"),
            "• Signage agreed"
        );
    }

    #[test]
    fn web_export_noise_is_removed() {
        assert!(
            !is_export_noise("Minutes:"),
            "a label marks where minutes start"
        );
        assert!(is_section_label("Minutes:"));
        assert!(is_export_noise("Additional documents:"));
        assert!(is_export_noise("Webcast."));
        assert!(is_export_noise(
            "A webcast of the meeting can be viewed at [insert link]."
        ));
        assert!(!is_export_noise("Minutes of the previous meeting"));
        assert_eq!(
            strip_inline_noise(
                "Medium Term Financial Strategy 2020/21 - 2023/24. pdf icon PDF 384 KB"
            ),
            "Medium Term Financial Strategy 2020/21 - 2023/24."
        );
        assert_eq!(
            strip_inline_noise("Venue: County Hall, Glenfield. View directions"),
            "Venue: County Hall, Glenfield"
        );
    }

    #[test]
    fn running_headers_and_page_numbers_are_dropped() {
        let bodies = [
            "The Board met again.",
            "Members asked more questions.",
            "Officers answered.",
            "The minutes were signed.",
            "Public comments were received.",
            "A motion was moved.",
            "Apologies were received.",
            "The Board met.",
            "Members asked questions.",
            "RESOLVED that the report be noted.",
        ];
        let pages: Vec<String> = bodies
            .iter()
            .enumerate()
            .map(|(k, body)| {
                format!(
                    "BOARD MINUTES -{}- MARCH 7, 2014\n\n{body}\n\n{}\n",
                    k + 1,
                    k + 1
                )
            })
            .collect();
        let lines = clean_pages(&pages, true);
        let kept: Vec<&str> = texts(&lines)
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(
            kept[0], "BOARD MINUTES -1- MARCH 7, 2014",
            "kept as the first page's heading"
        );
        assert_eq!(kept[1..], bodies);
        assert_eq!(
            lines
                .iter()
                .find(|l| l.text.starts_with("RESOLVED"))
                .map(|l| l.page),
            Some(10)
        );
    }

    #[test]
    fn first_page_keeps_its_heading_even_when_it_runs_as_header() {
        let bodies = ["The Forum met.", "Budgets were set.", "The meeting closed."];
        let pages: Vec<String> = bodies
            .iter()
            .enumerate()
            .map(|(k, body)| {
                format!(
                    "Schools Forum - 5 March 2024\n\n{body}\n\nPage {} of 3\n",
                    k + 1
                )
            })
            .collect();
        let lines = clean_pages(&pages, true);
        let kept: Vec<&str> = texts(&lines)
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(
            kept,
            vec![
                "Schools Forum - 5 March 2024",
                "The Forum met.",
                "Budgets were set.",
                "The meeting closed."
            ]
        );
    }

    #[test]
    fn item_markers_survive_even_when_repeated_at_page_tops() {
        let pages: Vec<String> = (1..=4).map(|n| format!("(Item {n})\nText {n}\n")).collect();
        let lines = clean_pages(&pages, true);
        assert!(texts(&lines).contains(&"(Item 3)"));
    }

    #[test]
    fn form_feeds_in_text_files_are_page_breaks() {
        let text = "Schools Forum minutes\nThe Forum met.\n3\n\u{000C}Schools Forum minutes\nBudgets were set.\n4\n\u{000C}Schools Forum minutes\nThe meeting closed.\n5\n";
        let lines = clean_pages(&[text.to_string()], false);
        let kept: Vec<&str> = texts(&lines)
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(
            kept,
            vec![
                "Schools Forum minutes",
                "The Forum met.",
                "Budgets were set.",
                "The meeting closed."
            ]
        );
    }

    #[test]
    fn text_files_keep_bare_numbers() {
        let lines = clean_pages(&["47.\n\nMinutes.".to_string()], false);
        assert_eq!(texts(&lines), vec!["47.", "", "Minutes."]);
    }

    #[test]
    fn hyphenated_line_ends_are_joined() {
        let lines = clean_pages(
            &[
                "a multi-agency father-\ninclusive practice, the assess-\nment was done by Mr Crow-\nBrown"
                    .to_string(),
            ],
            false,
        );
        assert_eq!(
            texts(&lines),
            vec![
                "a multi-agency father-inclusive",
                "practice, the assessment",
                "was done by Mr Crow-Brown"
            ]
        );
    }

    #[test]
    fn split_superscript_ordinals_are_rejoined() {
        let lines = clean_pages(&["ON 25\nth January 2024".to_string()], false);
        assert_eq!(texts(&lines), vec!["ON 25th January 2024"]);
    }
}
