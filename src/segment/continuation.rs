//! Minutes text before the first heading.
//!
//! A web page of one item, a page cut from the middle of a document, or a
//! decision record whose title the system dropped starts straight in the
//! minutes: "The Director presented the report...". That text is an item
//! (without a number or title), not meeting details and not nothing, or
//! every later stage would miss it.

use std::sync::LazyLock;

use regex::Regex;

use super::clean::Line;

/// Sentences of a meeting's preamble, never minutes of an item: the
/// opening sentence, attendance, webcast and housekeeping notices.
static PREAMBLE_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
            minutes\s+of\s+(?:the|a|an)(?-u:\b)
          | ^minutes(?-u:\b)
          | (?-u:\b)held\s+(?:at|in|on|remotely|virtually|via|by)(?-u:\b)
          | ^(?:present|in\s+attendance|also\s+(?:present|in\s+attendance)|attended|apologies\s*:|absent|(?:members|officers)\s+(?:present|in\s+attendance)|chair(?:ed\s+by)?\s*:|clerk\s*:|in\s+the\s+chair)(?-u:\b)
          | webcast|broadcast|live\s+stream|filmed|recorded\s+for
          | met\s+in\s+(?:\w+\s+)?session|called\s+to\s+order|members\s+present\s+were|were\s+absent|pledge\s+of\s+allegiance|opened\s+with\s+a\s+prayer|quorum\s+(?:was|being)\s+present
          | ^(?:venue|contact|date|time|link|meeting|publication|decided|is\s+key|is\s+subject|decision\s+status)(?-u:\b)
          | (?:total\s+page|file\s+type|click\s+here|embed\s+size|citation\s+preview|views?\s+\d|\d+\s+views)
          | councillors?\s+[A-Z][a-z]+(?:,\s*councillors?\s+[A-Z][a-z]+){2,}
        ",
    )
    .expect("static regex")
});

/// Lines that close the preamble: after them, text is business.
static ATTENDANCE_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:present|members\s+present|in\s+attendance|also\s+present|officers(?:\s+present|\s+in\s+attendance)?|apologies(?:\s+for\s+absence)?|attendance\s+details|attended|sederunt)\s*:?(?:\s|$)")
        .expect("static regex")
});

/// Words of minutes text that no heading or attendance list carries.
fn is_narrative(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() < 7 || PREAMBLE_SENTENCE.is_match(text) {
        return false;
    }
    let long: Vec<&&str> = words
        .iter()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() > 3)
        .collect();
    let lower = long
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .count();
    !long.is_empty() && lower * 2 >= long.len()
}

/// How many words of minutes text make an item of their own.
const MIN_WORDS: usize = 20;

/// Where minutes text starts before line `before` (the first heading, or
/// the end), when there is enough of it to be an item.
pub fn narrative_start(lines: &[Line], before: usize) -> Option<usize> {
    let before = before.min(lines.len());
    // Attendance lists belong to the preamble, and so does an opening
    // sentence ("... met in regular session on ...") unless a good deal of
    // minutes text stands before it: business starts after them.
    let mut start: Option<usize> = None;
    let mut words = 0usize;
    for (i, line) in lines[..before].iter().enumerate() {
        let preamble = PREAMBLE_SENTENCE.is_match(&line.text);
        if ATTENDANCE_MARK.is_match(&line.text) || (preamble && words < 2 * MIN_WORDS) {
            start = None;
            words = 0;
            continue;
        }
        let narrative = is_narrative(&line.text);
        if start.is_none() && narrative {
            start = Some(i);
        }
        if start.is_some() && !preamble && narrative {
            words += line.text.split_whitespace().count();
        }
    }
    start.filter(|_| words >= MIN_WORDS)
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

    // Hand-written fixture: a page that starts inside an item.
    #[test]
    fn minutes_text_before_any_heading_is_an_item() {
        let l = lines("The Director of Education presented a report, a copy of which had been circulated.\n\nMembers discussed the report and asked about the timeliness of assessments.\n\n5. Date of Next Meeting");
        assert_eq!(narrative_start(&l, 4), Some(0));
    }

    // Hand-written fixture: a meeting's heading and attendance only.
    #[test]
    fn a_preamble_is_not_an_item() {
        let l = lines("MINUTES of a meeting of the Cabinet held in the Council Chamber, Maidstone on Thursday, 9 January 2025.\nPRESENT: Mr R Gough (Chairman), Mr D Murphy, Mrs C Bell, Mr N Baker\nIN ATTENDANCE: Mrs A Beer (Chief Executive), Mr J Smith (Director)\nThe meeting was webcast and recorded for later viewing by the public.\n\n1. Apologies");
        assert_eq!(narrative_start(&l, 5), None);
    }
}
