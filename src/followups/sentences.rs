//! Cuts minutes prose into sentences and list entries.
//!
//! Minutes are full of full stops that do not end sentences ("Cllr. Smith",
//! "D. Chapman", "e.g.", "No. 4") and of numbered sub-points ("(ii) That ...",
//! "iii) The Director ...", "- ") whose markers must not end up inside the
//! request text. PDF exports also wrap lines mid-sentence, so a line break on
//! its own never ends a sentence: only blank lines and list markers do.

use regex::Regex;
use std::sync::LazyLock;

/// One sentence of an item, with where it sat in the item's layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// The sentence, list marker removed, whitespace collapsed.
    pub text: String,
    /// Index of the paragraph (or list entry) it belongs to.
    pub block: usize,
    /// True when the block began with a list marker (bullet, "1.", "(ii)", "a)").
    pub list_entry: bool,
}

/// A list marker at the start of a line: bullets, "1.", "1)", "(ii)", "iv)", "a)", "(b)".
static LEADING_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:[-–—•·*▪●◦o]\s+|\(?(?:[ivxlc]{1,6}|[a-z]|\d{1,2})[.)]\s+|\((?:[ivxlc]{1,6}|[a-z]|\d{1,2})\)\s*)",
    )
    .expect("static regex")
});

/// A sub-point marker inside a line, after the end of a clause:
/// "... recorded. (ii) That ...", "...; b) That ...".
static INLINE_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[.;:]\s+(?:[-–—•]\s+)?\(?(?:[ivx]{1,5}|[a-h]|\d{1,2})\)\s+").expect("static regex")
});

/// Words that end in a full stop without ending the sentence.
const ABBREVIATIONS: &[&str] = &[
    "cllr", "cllrs", "cttee", "mr", "mrs", "ms", "mx", "dr", "prof", "rev", "revd", "st", "sgt",
    "insp", "supt", "det", "no", "nos", "e.g", "eg", "i.e", "ie", "etc", "approx", "ref", "para",
    "paras", "cf", "vs", "v", "co", "ltd", "inc", "dept", "govt", "fig", "vol", "pp", "p", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "est", "tel",
    "ext", "cont", "incl", "hon", "rt", "esq", "min", "mins", "max", "nb", "n.b", "qtr", "yr",
];

/// Splits an item's text into sentences, in order.
pub fn split(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (block, (body, list_entry)) in blocks(text).into_iter().enumerate() {
        for part in split_inline_markers(&body) {
            for sentence in split_sentences(&part) {
                out.push(Sentence {
                    text: sentence,
                    block,
                    list_entry,
                });
            }
        }
    }
    out
}

/// Groups lines into paragraphs and list entries; returns the body (markers
/// stripped) and whether it was a list entry.
fn blocks(text: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut current = String::new();
    let mut current_list = false;
    let flush = |current: &mut String, list: bool, out: &mut Vec<(String, bool)>| {
        let collapsed = collapse_whitespace(current);
        if !collapsed.is_empty() {
            out.push((collapsed, list));
        }
        current.clear();
    };
    for line in text.lines() {
        // Non-breaking spaces are how web exports write empty paragraphs.
        let line = line.replace('\u{a0}', " ");
        if line.trim().is_empty() {
            flush(&mut current, current_list, &mut out);
            current_list = false;
            continue;
        }
        let (stripped, marked) = strip_markers(&line);
        if marked {
            flush(&mut current, current_list, &mut out);
            current_list = true;
        }
        current.push(' ');
        current.push_str(stripped);
    }
    flush(&mut current, current_list, &mut out);
    out
}

/// Removes any stack of leading list markers ("- (ii) That" -> "That").
pub fn strip_markers(line: &str) -> (&str, bool) {
    let mut rest = line;
    let mut marked = false;
    while let Some(m) = LEADING_MARKER.find(rest) {
        if m.end() == 0 || m.end() >= rest.len() {
            break;
        }
        rest = &rest[m.end()..];
        marked = true;
    }
    (rest.trim(), marked)
}

fn split_inline_markers(body: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    for m in INLINE_MARKER.find_iter(body) {
        // Keep the clause-ending punctuation with the part before.
        let cut = m.start() + 1;
        parts.push(body[start..cut].trim().to_string());
        start = m.end();
    }
    parts.push(body[start..].trim().to_string());
    parts.retain(|p| !p.is_empty());
    parts
}

fn split_sentences(body: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '.' | '!' | '?') {
            // Closing quotes/brackets stay with the sentence.
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '\'' | '’' | '”' | ')') {
                j += 1;
            }
            let has_space = j < chars.len() && chars[j].1.is_whitespace();
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            let next_starts = k < chars.len()
                && (chars[k].1.is_uppercase()
                    || chars[k].1.is_ascii_digit()
                    || matches!(chars[k].1, '"' | '\'' | '‘' | '“' | '(' | '£' | '$' | '€'));
            if has_space && next_starts && !(c == '.' && is_abbreviation(&body[start..pos])) {
                let end = if j < chars.len() {
                    chars[j].0
                } else {
                    body.len()
                };
                push_trimmed(&mut out, &body[start..end]);
                start = chars[k].0;
                i = k;
                continue;
            }
        }
        i += 1;
    }
    push_trimmed(&mut out, &body[start..]);
    out
}

fn push_trimmed(out: &mut Vec<String>, s: &str) {
    let t = s.trim();
    if !t.is_empty() {
        out.push(t.to_string());
    }
}

/// Whether the word before a full stop is an abbreviation or an initial.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    // Initials: "D. Chapman", "J.R. Smith".
    let letters: Vec<char> = word.chars().filter(|c| *c != '.').collect();
    if letters.len() == 1 && letters[0].is_uppercase() {
        return true;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

pub fn collapse_whitespace(s: &str) -> String {
    // Called on every paragraph and sentence: one pass, one allocation and
    // words copied whole; only bytes that can begin a Unicode space are decoded.
    let mut out = String::with_capacity(s.len());
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let space = whitespace_width(s, i);
        if space > 0 {
            i += space;
            continue;
        }
        let start = i;
        while i < bytes.len() && whitespace_width(s, i) == 0 {
            i += 1;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[start..i]);
    }
    out
}

/// Byte length of the whitespace character at byte `i`, or 0.
#[inline]
fn whitespace_width(s: &str, i: usize) -> usize {
    match s.as_bytes()[i] {
        b' ' | 0x09..=0x0D => 1,
        // Lead bytes of U+0085, U+00A0, U+1680, U+2000-U+205F and U+3000: the
        // only non-ASCII whitespace there is.
        0xC2 | 0xE1 | 0xE2 | 0xE3 => s
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_whitespace_agrees_with_split_whitespace() {
        for text in [
            "",
            "   ",
            "one",
            "  a  b\t\tc \n",
            "\u{a0}Cllr\u{a0}\u{a0}Smith\u{2009}asked\u{b}£5m “report”\r\n",
            "é  ü\u{3000}x",
            "\u{85}a\u{1680}b\u{2028}\u{205f}c\u{20ac}d\u{e9}",
        ] {
            assert_eq!(
                collapse_whitespace(text),
                text.split_whitespace().collect::<Vec<_>>().join(" "),
                "{text:?}"
            );
        }
    }

    fn texts(text: &str) -> Vec<String> {
        split(text).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn titles_and_initials_do_not_end_sentences() {
        let got = texts("Cllr. Moles asked Mr. Smith about it, e.g. funding. Cllr M. Hussain replied. No. 4 was noted.");
        assert_eq!(
            got,
            vec![
                "Cllr. Moles asked Mr. Smith about it, e.g. funding.",
                "Cllr M. Hussain replied.",
                "No. 4 was noted."
            ]
        );
    }

    #[test]
    fn decimals_and_times_stay_whole() {
        let got = texts("The meeting closed at 5.20 pm. The budget was £9.6m in total.");
        assert_eq!(got.len(), 2);
        assert!(got[1].contains("£9.6m"));
    }

    #[test]
    fn numbered_sub_points_become_separate_entries_without_markers() {
        let text = "Resolved: (i) That the Committee's thanks be recorded.\n\n- (ii) That the reports be noted.\n- (iii) That a report on funding come to a future meeting.";
        let got = split(text);
        let t: Vec<&str> = got.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            t,
            vec![
                "Resolved:",
                "That the Committee's thanks be recorded.",
                "That the reports be noted.",
                "That a report on funding come to a future meeting."
            ]
        );
        assert!(got[3].list_entry);
    }

    #[test]
    fn inline_roman_sub_points_split() {
        let got =
            texts("Resolved: (i) That thanks be recorded. (ii) That the report be noted (Ref 9)");
        assert_eq!(
            got,
            vec![
                "Resolved:",
                "That thanks be recorded.",
                "That the report be noted (Ref 9)"
            ]
        );
    }

    #[test]
    fn inline_numbered_sub_points_split() {
        let got = texts("RESOLVED - That: (1) the report be noted; (2) a further report be submitted to the next meeting.");
        assert_eq!(got[2], "a further report be submitted to the next meeting.");
    }

    #[test]
    fn wrapped_lines_join_and_blank_lines_separate() {
        let got = split("Officers were\nconfident it worked\n\nii) The next point.");
        assert_eq!(got[0].text, "Officers were confident it worked");
        assert_eq!(got[1].text, "The next point.");
        assert_ne!(got[0].block, got[1].block);
    }

    #[test]
    fn capitalised_words_ending_a_sentence_are_not_markers() {
        let (rest, marked) = strip_markers("St. Mary's school");
        assert!(!marked);
        assert_eq!(rest, "St. Mary's school");
    }
}
