//! When a request is due: the phrase as written, and a month when it can be
//! resolved against the meeting date.
//!
//! Resolution rules (documented because officers rely on the month for
//! overdue alerts):
//! - "17 September 2020", "September 2020": that month.
//! - A month without a year ("the June meeting", "in September"): the next
//!   such month strictly after the meeting's month, so a June meeting asking
//!   for "the June meeting" means June of the following year.
//! - "Quarter 1 of 2022/23", "Q3 2021-22": UK financial-year quarters, mapped
//!   to their first month (Q1 April, Q2 July, Q3 October, Q4 January of the
//!   second calendar year). "Q2 2022" without a financial year is a calendar
//!   quarter (Q2 = April).
//! - "in six months' time", "within 3 months": the meeting month plus N.
//! - "the next meeting", "a future meeting", seasons, "the new municipal
//!   year": no month (the minutes do not say when those meetings are).

use crate::model::Due;
use regex::Regex;
use std::sync::LazyLock;

const MONTHS: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)";

/// A due phrase found in a sentence, with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueMatch {
    pub due: Due,
    pub start: usize,
    pub end: usize,
    /// Higher is more precise; used to choose between several phrases.
    pub precision: u8,
}

/// Turns a match into (year, month), given the meeting's (year, month).
type Resolver = fn(&regex::Captures, Option<(i32, u32)>) -> Option<(i32, u32)>;

struct DuePattern {
    regex: Regex,
    precision: u8,
    /// "in 2025": only a due date when the year is not before the meeting's.
    year_only: bool,
    resolve: Resolver,
}

static PATTERNS: LazyLock<Vec<DuePattern>> = LazyLock::new(|| {
    let p = |re: &str, precision: u8, resolve: Resolver| DuePattern {
        regex: Regex::new(&re.replace("MONTH", MONTHS)).expect("static regex"),
        precision,
        year_only: false,
        resolve,
    };
    vec![
        // "17 September 2020", "the 3rd of March 2021", optionally "the meeting on ...".
        p(
            r"(?i)(?-u:\b)(?:(?:the|its|their)\s+(?:next\s+)?meeting\s+(?:on|of|in)\s+)?(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>MONTH)\.?,?\s+(?P<year>(?:19|20)\d\d)(?-u:\b)",
            6,
            |c, _| month_year(c),
        ),
        // "30/11/2023", "by 31.03.24".
        p(
            r"(?-u:\b)(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)?\d\d)(?-u:\b)",
            6,
            |c, _| {
                let m: u32 = c.name("m")?.as_str().parse().ok()?;
                let d: u32 = c.name("d")?.as_str().parse().ok()?;
                let y = c.name("y")?.as_str();
                let y: i32 = if y.len() == 2 {
                    2000 + y.parse::<i32>().ok()?
                } else {
                    y.parse().ok()?
                };
                ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m))
            },
        ),
        // "September 2020", "the September 2020 meeting".
        p(
            r"(?i)(?-u:\b)(?:the\s+)?(?P<month>MONTH)\.?\s+(?P<year>(?:19|20)\d\d)(?:\s+(?:meeting|committee|panel|board|cycle))?(?-u:\b)",
            5,
            |c, _| month_year(c),
        ),
        // "Quarter 1 of 2022/23", "Q3 2021-22", "quarter one of the 2022/23 financial year".
        p(
            r"(?i)(?-u:\b)(?:quarter|qtr|q)\s*(?P<q>[1-4]|one|two|three|four)\s+(?:of\s+)?(?:the\s+)?(?:financial\s+year\s+)?(?P<fy>(?:19|20)\d\d)\s*[/\-–]\s*(?:19|20)?\d\d(?:\s+financial\s+year)?(?-u:\b)",
            5,
            |c, _| {
                let q = quarter_number(c.name("q")?.as_str())?;
                let year: i32 = c.name("fy")?.as_str().parse().ok()?;
                Some(match q {
                    1 => (year, 4),
                    2 => (year, 7),
                    3 => (year, 10),
                    _ => (year + 1, 1),
                })
            },
        ),
        // "Q2 2022", "the second quarter of 2022" (calendar).
        p(
            r"(?i)(?-u:\b)(?:quarter|qtr|q)\s*(?P<q>[1-4]|one|two|three|four)\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)(?-u:\b)",
            4,
            |c, _| {
                let q = quarter_number(c.name("q")?.as_str())?;
                let year: i32 = c.name("year")?.as_str().parse().ok()?;
                Some((year, (q - 1) * 3 + 1))
            },
        ),
        // "the June meeting", "its September meeting", "the March 2021 cycle" handled above.
        p(
            r"(?i)(?-u:\b)(?:the|its|their|a|an)\s+(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?P<month>MONTH)\s+(?:meeting|committee|panel|board|cycle|session)(?-u:\b)",
            4,
            next_month_after,
        ),
        // "in September", "by the end of March", "until early June".
        p(
            r"(?i)(?-u:\b)(?:in|by|until|before|for|during|from|after)\s+(?:the\s+)?(?:(?:end|middle|start|beginning)\s+of\s+|early\s+|late\s+|mid-?\s*)?(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)(?-u:\b)",
            3,
            next_month_after,
        ),
        // "in six months' time", "within 3 months".
        p(
            r"(?i)(?-u:\b)(?:in|within)\s+(?:the\s+next\s+)?(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+months(?:['’]\s*time|\s+time)?",
            3,
            |c, meeting| {
                let (y, m) = meeting?;
                let n = number_word(c.name("n")?.as_str())?;
                let total = y * 12 + (m as i32 - 1) + n as i32;
                Some((total.div_euclid(12), (total.rem_euclid(12) + 1) as u32))
            },
        ),
        // "the first meeting of the new municipal year", "the next meeting", "a future meeting".
        p(
            r"(?i)(?-u:\b)(?:the|a|an|its|their)\s+(?:first\s+meeting\s+(?:of|in)\s+the\s+new\s+municipal\s+year|(?:next|following|subsequent|later|future|forthcoming|upcoming|further)\s+(?:scheduled\s+)?(?:meeting|session)s?)(?-u:\b)",
            2,
            |_, _| None,
        ),
        // "in 2025", "by early 2026": a year and no month.
        DuePattern {
            year_only: true,
            ..p(
                r"(?i)(?-u:\b)(?P<prep>in|by|during|before|until)\s+(?:early\s+|late\s+|mid-?\s*)?(?P<year>(?:19|20)\d\d)(?-u:\b)",
                1,
                |_, _| None,
            )
        },
        // "at a later date", "in due course", "in the future".
        p(
            r"(?i)(?-u:\b)(?:a\s+later\s+date|due\s+course|the\s+(?:near\s+)?future)(?-u:\b)",
            1,
            |_, _| None,
        ),
        // "the autumn", "the spring term", "the new year", "the end of the year".
        p(
            r"(?i)(?-u:\b)(?:the\s+)?(?:(?:autumn|spring|summer|winter)(?:\s+term)?(?:\s+(?:19|20)\d\d)?|(?:new|next)\s+(?:municipal|financial|academic|calendar)\s+year|new\s+year|next\s+year|end\s+of\s+the\s+(?:municipal\s+|financial\s+|academic\s+|calendar\s+)?year)(?-u:\b)",
            1,
            |_, _| None,
        ),
    ]
});

/// All the patterns at once: most sentences carry no due phrase, and one scan
/// says so (and which patterns to run when there is one).
static PATTERN_SET: LazyLock<regex::RegexSet> = LazyLock::new(|| {
    regex::RegexSet::new(PATTERNS.iter().map(|p| p.regex.as_str()))
        .expect("due patterns compile as a set")
});

/// Every due phrase in `sentence`, non-overlapping, in order of position.
pub fn find_all(sentence: &str, meeting_date: Option<&str>) -> Vec<DueMatch> {
    let present = PATTERN_SET.matches(sentence);
    if !present.matched_any() {
        return Vec::new();
    }
    let meeting = meeting_date.and_then(parse_meeting_month);
    let mut found: Vec<DueMatch> = Vec::new();
    for pattern in present.iter().filter_map(|i| PATTERNS.get(i)) {
        for caps in pattern.regex.captures_iter(sentence) {
            let Some(m) = caps.get(0) else { continue };
            if found.iter().any(|f| m.start() < f.end && f.start < m.end()) {
                continue;
            }
            if is_past_meeting_reference(&sentence[..m.start()]) {
                continue;
            }
            // "Next year's assessment guides": a possessive, not a timing.
            if sentence[m.end()..].starts_with(['\'', '’']) {
                continue;
            }
            if pattern.year_only && !year_is_ahead(&caps, meeting, &sentence[m.end()..]) {
                continue;
            }
            let date = (pattern.resolve)(&caps, meeting).map(|(y, mo)| format!("{y:04}-{mo:02}"));
            found.push(DueMatch {
                due: Due {
                    text: clean_due_text(m.as_str()),
                    date,
                },
                start: m.start(),
                end: m.end(),
                precision: pattern.precision,
            });
        }
    }
    found.sort_by_key(|f| f.start);
    found
}

/// The due phrase a request most plausibly carries: the most precise one
/// that is not before the meeting; among equals, the last stated (minutes
/// usually end the request with its timing).
pub fn best(sentence: &str, meeting_date: Option<&str>) -> Option<DueMatch> {
    let meeting = meeting_date.and_then(parse_meeting_month);
    find_all(sentence, meeting_date)
        .into_iter()
        .filter(|d| match (&d.due.date, meeting) {
            (Some(date), Some((y, m))) => date.as_str() >= format!("{y:04}-{m:02}").as_str(),
            _ => true,
        })
        .max_by_key(|d| (d.precision, d.start))
}

/// "held on 5 November 2019", "the minutes of the meeting of ..." point back in time.
fn is_past_meeting_reference(before: &str) -> bool {
    static PAST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:held|took place|met|dated|published|approved|received|since|on)\s*$")
            .expect("static regex")
    });
    PAST.is_match(before)
}

/// "in 2019" in minutes of 2021 is history, and "in 2025" with no meeting
/// date to compare is only taken when it reads as a deadline ("by 2025").
fn year_is_ahead(caps: &regex::Captures, meeting: Option<(i32, u32)>, after: &str) -> bool {
    // "2022/23" is a financial year, handled elsewhere.
    if after.starts_with(['/', '-', '–']) {
        return false;
    }
    let year: Option<i32> = caps.name("year").and_then(|y| y.as_str().parse().ok());
    let prep = caps
        .name("prep")
        .map_or(String::new(), |p| p.as_str().to_lowercase());
    match (year, meeting) {
        (Some(y), Some((my, _))) => y >= my,
        (Some(_), None) => matches!(prep.as_str(), "by" | "before" | "until"),
        _ => false,
    }
}

fn clean_due_text(s: &str) -> String {
    let t = s.trim().trim_end_matches([',', '.']);
    for prefix in [
        "in ", "by ", "until ", "before ", "for ", "during ", "from ", "after ", "within ",
    ] {
        if let Some(head) = t.get(..prefix.len()) {
            if head.eq_ignore_ascii_case(prefix) {
                return t[prefix.len()..].trim().to_string();
            }
        }
    }
    t.to_string()
}

fn month_year(c: &regex::Captures) -> Option<(i32, u32)> {
    let month = month_number(c.name("month")?.as_str())?;
    let year: i32 = c.name("year")?.as_str().parse().ok()?;
    Some((year, month))
}

fn next_month_after(c: &regex::Captures, meeting: Option<(i32, u32)>) -> Option<(i32, u32)> {
    let month = month_number(c.name("month")?.as_str())?;
    let (y, m) = meeting?;
    Some(if month > m {
        (y, month)
    } else {
        (y + 1, month)
    })
}

/// Parses "YYYY-MM-DD" (or "YYYY-MM") into (year, month).
pub fn parse_meeting_month(date: &str) -> Option<(i32, u32)> {
    let mut parts = date.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    (1..=12).contains(&m).then_some((y, m))
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    let key = lower.get(..3)?;
    let n = match key {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

fn quarter_number(s: &str) -> Option<u32> {
    match s.to_lowercase().as_str() {
        "1" | "one" => Some(1),
        "2" | "two" => Some(2),
        "3" | "three" => Some(3),
        "4" | "four" => Some(4),
        _ => None,
    }
}

fn number_word(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let words = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    let lower = s.to_lowercase();
    words.iter().position(|w| *w == lower).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(sentence: &str, meeting: &str) -> Option<(String, Option<String>)> {
        best(sentence, Some(meeting)).map(|d| (d.due.text, d.due.date))
    }

    #[test]
    fn month_without_year_is_the_next_such_month_after_the_meeting() {
        assert_eq!(
            due("agreed to bring a report to the June meeting", "2021-03-02"),
            Some(("the June meeting".into(), Some("2021-06".into())))
        );
        assert_eq!(
            due("a report to the February meeting", "2021-03-02"),
            Some(("the February meeting".into(), Some("2022-02".into())))
        );
        // Same month as the meeting: the following year.
        assert_eq!(
            due("be scheduled for the March meeting", "2021-03-02").and_then(|d| d.1),
            Some("2022-03".into())
        );
        assert_eq!(
            due("An update would be provided in September.", "2020-01-21"),
            Some(("September".into(), Some("2020-09".into())))
        );
    }

    #[test]
    fn month_with_year_and_full_dates() {
        assert_eq!(
            due(
                "That a further update be provided to the Committee in September 2020.",
                "2020-01-21"
            ),
            Some(("September 2020".into(), Some("2020-09".into())))
        );
        assert_eq!(
            due(
                "be submitted to the Council at its meeting on the 17th September 2020",
                "2020-07-09"
            )
            .and_then(|d| d.1),
            Some("2020-09".into())
        );
    }

    #[test]
    fn dated_meetings_and_years_to_come() {
        assert_eq!(
            due("a report to the 12 March meeting", "2024-01-16"),
            Some(("the 12 March meeting".into(), Some("2024-03".into())))
        );
        assert_eq!(
            due("an update early in the new year", "2023-10-03"),
            Some(("the new year".into(), None))
        );
        assert_eq!(
            due("in the next municipal year", "2023-10-03"),
            Some(("the next municipal year".into(), None))
        );
    }

    #[test]
    fn possessives_are_not_due_phrases() {
        assert_eq!(
            due(
                "Next year’s assessment guides will be produced",
                "2014-03-07"
            ),
            None
        );
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(
            due("to be e-mailed to all members by 30/11/2023.", "2023-11-14"),
            Some(("30/11/2023".into(), Some("2023-11".into())))
        );
        assert_eq!(
            due("by 31.03.24", "2023-11-14").and_then(|d| d.1),
            Some("2024-03".into())
        );
        assert_eq!(due("the 2022/23 budget", "2023-11-14"), None);
    }

    #[test]
    fn financial_year_quarters_map_to_their_first_month() {
        assert_eq!(
            due("a report in Quarter 1 of 2022/23", "2021-11-10"),
            Some(("Quarter 1 of 2022/23".into(), Some("2022-04".into())))
        );
        assert_eq!(
            due("by Q4 2021-22", "2021-11-10").and_then(|d| d.1),
            Some("2022-01".into())
        );
        assert_eq!(
            due("by Q2 2022", "2021-11-10").and_then(|d| d.1),
            Some("2022-04".into())
        );
    }

    #[test]
    fn relative_meetings_keep_text_without_a_month() {
        assert_eq!(
            due(
                "That a further update be provided to a future meeting of the Committee.",
                "2020-01-21"
            ),
            Some(("a future meeting".into(), None))
        );
        assert_eq!(
            due("report to the next meeting", "2020-01-21"),
            Some(("the next meeting".into(), None))
        );
    }

    #[test]
    fn months_time_counts_from_the_meeting() {
        assert_eq!(
            due("an update in six months' time", "2020-09-15").and_then(|d| d.1),
            Some("2021-03".into())
        );
    }

    #[test]
    fn unresolvable_without_meeting_date() {
        let d = best("scheduled for the September meeting", None).map(|d| d.due);
        assert_eq!(
            d,
            Some(Due {
                text: "the September meeting".into(),
                date: None
            })
        );
    }

    #[test]
    fn precise_phrase_wins_over_vague_one() {
        let s = "a report to come to a future meeting of the committee and the Service Director agreed to bring a report to the June meeting.";
        assert_eq!(
            due(s, "2021-03-02").map(|d| d.0),
            Some("the June meeting".into())
        );
    }

    #[test]
    fn bare_years_only_when_ahead_of_the_meeting() {
        assert_eq!(
            due(
                "a more concise document would be presented in 2025.",
                "2024-10-29"
            ),
            Some(("2025".into(), None))
        );
        assert_eq!(
            due("following the review of Early Help in 2019.", "2021-07-26"),
            None
        );
        assert_eq!(best("the review of Early Help in 2019", None), None);
        assert_eq!(
            due("to report at a later date", "2024-12-10"),
            Some(("a later date".into(), None))
        );
    }

    #[test]
    fn past_meeting_dates_are_not_due_dates() {
        assert_eq!(
            due(
                "the minutes of the meeting held on 5 November 2019 were signed",
                "2020-01-21"
            ),
            None
        );
        assert_eq!(due("a report in March 2019", "2020-01-21"), None);
    }
}
