//! Meeting details from the text before the first item.
//!
//! Only what the minutes state about this meeting is taken: a date is the
//! meeting's date when it stands as the heading's date line ("9TH JULY
//! 2020", "Committee - Tuesday, 21 January 2020 2.00 pm") or in the opening
//! sentence ("MINUTES of a meeting of the Cabinet held ... on Thursday, 30
//! January 2025"). Dates of previous, next or other meetings are ignored.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::model::{Attendance, Meeting};

const MONTHS: &str = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS},?\s+(?P<year>(?:19|20)\d{{2}})(?-u:\b)"
    ))
    .expect("static regex")
});

static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b){MONTHS}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{{2}})(?-u:\b)"
    ))
    .expect("static regex")
});

static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>(?:19|20)\d{2})(?-u:\b)",
    )
    .expect("static regex")
});

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)\d{1,2}(?:[.:]\d{2})?\s*(?:a\.m\.|p\.m\.|am(?-u:\b)|pm(?-u:\b))|(?-u:\b)(?:\d{1,2}[.:]\d{2}|[012]\d[0-5]\d)\s*(?:hours|hrs)(?-u:\b)|(?-u:\b)noon(?-u:\b)",
    )
    .expect("static regex")
});

/// 24-hour times ("14:00") count only beside the meeting's date.
static TIME_24H: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:[01]?\d|2[0-3])[:.][0-5]\d(?-u:\b)").expect("static regex")
});

static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:mon|tues|wednes|thurs|fri|satur|sun)day(?-u:\b)")
        .expect("static regex")
});

static FILLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:on|at|held|meeting|of|the|date|time|minutes|commencing|starting|and|a|to|until|new)(?-u:\b)")
        .expect("static regex")
});

static OTHER_MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:submitted|previous|last|next|future|adjourned|reconvened|deferred|approved|signed|circulated|published|dated)(?-u:\b)")
        .expect("static regex")
});

static OPENING_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:draft\s+|confirmed\s+|unconfirmed\s+)?minutes\s+(?:of\s+(?:a|the|an)(?-u:\b).*(?-u:\b)meeting(?-u:\b)|of\s+(?:\w+\s+){0,4}?meeting(?-u:\b)|from\s+.{0,80}?meeting)|(?:a|the)\s+(?:\w+\s+){0,2}meeting\s+of(?-u:\b)|the\s+.{3,120}?\s+met\s+in(?-u:\b)|held\s+on\s)",
    )
    .expect("static regex")
});

static MEETING_OF_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)meeting\s+of\s+(?:the\s+)?(?P<body>[A-Z][\w'’&,\- ]{2,100}?)\s+(?:was\s+)?held(?-u:\b)",
    )
    .expect("static regex")
});

static MINUTES_OF_BODY_MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^minutes\s+of\s+(?:the|a)\s+(?P<body>.{3,100}?)\s+meeting(?-u:\b)")
        .expect("static regex")
});

static BODY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:committee|sub-committee|panel|board|group|cabinet|forum|partnership|commission|council)(?-u:\b)")
        .expect("static regex")
});

static COUNCIL_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:the\s+)?(?:(?:[A-Z][\w'’.-]*\s+){1,4}(?:county|city|borough|district|parish|town|metropolitan\s+borough|unitary)\s+council|(?:london\s+|royal\s+)?borough\s+of\s+[\w' -]+|township\s+of\s+[\w' -]+|city\s+of\s+[\w' -]+\s+council|(?:[A-Z][\w'’.-]*\s+){1,3}council)$",
    )
    .expect("static regex")
});

static VENUE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:venue|location|place)\s*:\s*(?P<venue>.+)$").expect("static regex")
});

static HELD_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)held\s+(?:in\s+person\s+)?(?:in|at)\s+(?P<venue>.+?)(?:\s+on\s+(?:\w+day(?-u:\b)|\d)|,\s*and(?-u:\b)|\.\s|\.$|$)",
    )
    .expect("static regex")
});

static PLACE_AFTER_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*,?\s*(?:(?:at|from)\s+(?:\d{1,2}(?:[.:]\d{2})?|\d{4})\s*(?:a\.m\.|p\.m\.|am|pm|hours|hrs)?\s*,?\s*)?(?:at|in)\s+(?P<venue>(?-i:the\s+|[A-Z])[^.;]{2,120})",
    )
    .expect("static regex")
});

static ATTENDANCE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?P<label>members\s+present|councillors\s+present|present|councillors|members|voting\s+members|substitutes?|also\s+present|also\s+in\s+attendance|officers\s+in\s+attendance|officers\s+present|in\s+attendance(?:\s+virtually)?|officers|staff|apologies(?:\s+for\s+absence)?|statutory\s+co-optees|co-opted\s+members)\s*(?::\s*(?P<rest>.*))?$",
    )
    .expect("static regex")
});

static HONOUR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:OBE|MBE|CBE|JP|DL|KC|QC|BEM)\.?$").expect("static regex"));

static HONORIFIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Cllr|Councillor|Councillors|Professor|Prof|Sir|Dame|Lord|Lady|Rev|Revd|Mayor|Alderman)(?-u:\b)\.?")
        .expect("static regex")
});

static ROLE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Service|Director|Head|Chief|Manager|Officer|Portfolio|Cabinet|Lead|Assistant|Executive|Clerk|Corporate|Strategic|Democratic|Deputy|Interim|Senior|Representative|Parent|Church|Diocesan)(?-u:\b)")
        .expect("static regex")
});

/// Parses the first date in `text`, with its byte range.
pub fn find_date(text: &str) -> Option<(NaiveDate, std::ops::Range<usize>)> {
    let mut found: Vec<(NaiveDate, std::ops::Range<usize>)> = Vec::new();
    for re in [&*DAY_MONTH_YEAR, &*MONTH_DAY_YEAR] {
        for c in re.captures_iter(text) {
            let (Some(day), Some(month), Some(year), Some(whole)) =
                (c.name("day"), c.name("month"), c.name("year"), c.get(0))
            else {
                continue;
            };
            let month = month_number(month.as_str());
            let (Ok(day), Ok(year)) = (day.as_str().parse::<u32>(), year.as_str().parse::<i32>())
            else {
                continue;
            };
            if let Some(date) = month.and_then(|m| NaiveDate::from_ymd_opt(year, m, day)) {
                found.push((date, whole.range()));
            }
        }
    }
    for c in NUMERIC_DATE.captures_iter(text) {
        let parse = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let (Some(day), Some(month), Some(year), Some(whole)) =
            (parse("day"), parse("month"), parse("year"), c.get(0))
        else {
            continue;
        };
        let Ok(year) = i32::try_from(year) else {
            continue;
        };
        // UK minutes write day first.
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
            found.push((date, whole.range()));
        }
    }
    found.into_iter().min_by_key(|(_, r)| r.start)
}

fn month_number(name: &str) -> Option<u32> {
    let key: String = name.chars().take(3).collect::<String>().to_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| *m == key)
        .and_then(|p| u32::try_from(p + 1).ok())
}

/// A date line: nothing but the date, weekday, time and filler words.
fn date_dominant(part: &str) -> Option<(NaiveDate, Option<String>)> {
    if OTHER_MEETING.is_match(part) {
        return None;
    }
    let (date, range) = find_date(part)?;
    let mut rest = String::new();
    rest.push_str(&part[..range.start]);
    rest.push(' ');
    rest.push_str(&part[range.end..]);
    let time = TIME
        .find(&rest)
        .or_else(|| TIME_24H.find(&rest))
        .map(|m| m.as_str().trim().to_string());
    let rest = TIME.replace_all(&rest, " ");
    let rest = TIME_24H.replace_all(&rest, " ");
    let rest = WEEKDAY.replace_all(&rest, " ");
    let rest = FILLER.replace_all(&rest, " ");
    let words = rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    (words == 0).then_some((date, time))
}

static BEFORE_DATE_FILLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[\s,\-–—|]*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day)?[\s,]*(?:held\s+)?(?:on\s+)?(?:the\s+)?$")
        .expect("static regex")
});

/// "Children's Scrutiny Committee Tuesday 5 March 2024 at 6.30pm": a body's
/// name, then nothing but the date and time.
fn body_then_date(line: &str) -> Option<(NaiveDate, Option<String>, String)> {
    if OTHER_MEETING.is_match(line) {
        return None;
    }
    let (_, range) = find_date(line)?;
    let (date, time) = date_dominant(&line[range.start..])?;
    let body = BEFORE_DATE_FILLER.replace(&line[..range.start], "");
    let body = body.trim();
    let words = body.split_whitespace().count();
    ((2..=12).contains(&words) && BODY_WORD.is_match(body) && is_name_case(body))
        .then(|| (date, time, body.to_string()))
}

static DASH_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+[-–—]\s*|\s*[–—]\s*|\s*\|\s*").expect("static regex"));

/// Lines of web pages that name the meeting an item or decision belongs
/// to: "Decided at meeting: 24/09/2021 - Governance Committee", "Meeting:
/// 20/09/2017 - Council (Item 52)", "• Meeting of The Council, Thursday,
/// 7th March, 2024 1.30 pm (Item 10.)", "Date of decision: 21/02/2022".
static MEETING_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:[•·*]\s*)?(?:(?P<decided>decided\s+at\s+meeting|meeting)\s*:\s*(?P<date>\d{1,2}/\d{1,2}/\d{4})\s*[-–]\s*(?P<body>[^(]+?)\s*(?:\(\s*item\s+[^)]*\))?\s*$|meeting\s+of\s+(?P<body2>[^,]+?),\s*(?P<when>.+?)\s*(?:\(\s*item\s+[^)]*\))?\s*$|(?P<decision>date\s+of\s+decision)\s*:\s*(?P<date2>\d{1,2}/\d{1,2}/\d{4}))",
    )
    .expect("static regex")
});

/// The body that acts in the minutes' own words: "That Cabinet approves",
/// "RESOLVED that the Schools Forum notes", "The Health and Wellbeing Board
/// noted". The subject of a resolution is the meeting's own body.
static ACTING_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[.:;–-]\s*|RESOLVED[:\s–-]+|[Rr]esolved[:\s–-]+|AGREED[:\s–-]+)(?:[Tt]hat\s+)?(?:[Tt]he\s+)?(?P<body>(?:[A-Z][\w'’-]+\s+(?:(?:and|&|of|for)\s+)?){0,6}(?:Cabinet|Committee|Sub-Committee|Board|Forum|Panel|Council|Partnership|Executive))\s+(?:noted|agreed|resolved|approved?s?|notes|agrees|endorsed?s?|received|considered|welcomed|supports?|recommends?|requested|asked|thanked|discussed|decided|authorises?|accepts?|AGREED|RESOLVED|NOTED|was\s+(?:informed|advised|asked|told))(?-u:\b)")
        .expect("static regex")
});

/// The committee named as the acting body of the minutes, when the heading
/// names none: the name most often acting, if it acts at least once.
pub fn committee_from_body<'a>(lines: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for line in lines {
        for c in ACTING_BODY.captures_iter(line) {
            let Some(name) = clean_committee(&c["body"]) else {
                continue;
            };
            // "The Committee" alone names no committee; "Cabinet" does.
            let generic = !name.contains(' ')
                && !matches!(name.as_str(), "Cabinet" | "Council" | "Executive");
            if generic {
                continue;
            }
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, k)) => *k += 1,
                None => counts.push((name, 1)),
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, k)| *k)
        .map(|(name, _)| name)
}

/// "16/02/2024 - Title": the date of a decision on an issue page.
static DATED_DECISION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<date>\d{1,2}/\d{1,2}/\d{4})\s+[-–]\s+\S").expect("static regex")
});

/// How far down an issue page its decision's dated line stands.
const DATED_DECISION_LINES: usize = 15;

/// Fills the date and committee, when the heading did not state them, from
/// the lines of an item or decision page that name its meeting. The first
/// such line wins (an issue page lists the latest meeting first).
pub fn complete_from_references<'a>(meeting: &mut Meeting, lines: impl Iterator<Item = &'a str>) {
    if meeting.date.is_some() && meeting.committee.is_some() {
        return;
    }
    let mut decision_date: Option<String> = None;
    for (index, line) in lines.enumerate() {
        // An issue page's decision: "16/02/2024 - Determination of ...".
        if index < DATED_DECISION_LINES && decision_date.is_none() {
            if let Some(c) = DATED_DECISION.captures(line) {
                decision_date =
                    find_date(&c["date"]).map(|(d, _)| d.format("%Y-%m-%d").to_string());
            }
        }
        let Some(c) = MEETING_REFERENCE.captures(line) else {
            continue;
        };
        let date_text = c
            .name("date")
            .or_else(|| c.name("when"))
            .or_else(|| c.name("date2"))
            .map_or("", |m| m.as_str());
        let date = find_date(date_text).map(|(d, _)| d.format("%Y-%m-%d").to_string());
        if c.name("decision").is_some() {
            decision_date = decision_date.or(date);
            continue;
        }
        let body = c
            .name("body")
            .or_else(|| c.name("body2"))
            .map(|m| m.as_str().trim().to_string())
            .filter(|b| BODY_WORD.is_match(b) && b.split_whitespace().count() <= 12);
        if meeting.date.is_none() {
            meeting.date = date;
        }
        if meeting.committee.is_none() {
            meeting.committee = body.as_deref().and_then(clean_committee);
        }
        if meeting.date.is_some() {
            break;
        }
    }
    if meeting.date.is_none() {
        meeting.date = decision_date;
    }
}

/// "To receive the minutes of the meeting held on 17th November 2021":
/// an earlier meeting's minutes, put to this one.
static APPROVING_MINUTES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:to\s+(?:receive|approve|confirm|agree|note|sign)|correct\s+record|taken\s+as\s+read)(?-u:\b)")
        .expect("static regex")
});

static MINUTES_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)minutes(?-u:\b)").expect("static regex"));

static PLACE_THEN_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?,\s+(?P<rest>\d{1,2}(?:st|nd|rd|th)?\s+\w+,?\s+\d{4})\.?$")
        .expect("static regex")
});

/// Reads meeting details from the preamble lines (before the first item).
pub fn parse_meeting(preamble: &[String]) -> Meeting {
    let mut meeting = Meeting::default();
    let paragraphs = paragraphs(preamble);

    // A minutes title or opening that carries the date ("Parish Council
    // Minutes 6th December 2012", "MINUTES of the meeting held on 26
    // February 2008") outranks a bare date line above it, which on a web
    // page is often the date the page was posted or the agenda's date.
    for line in preamble {
        if MINUTES_WORD.is_match(line)
            && !OTHER_MEETING.is_match(line)
            && !APPROVING_MINUTES.is_match(line)
        {
            if let Some((date, range)) = find_date(line) {
                meeting.date = Some(date.format("%Y-%m-%d").to_string());
                meeting.time = TIME
                    .find(&line[range.end..])
                    .map(|m| m.as_str().trim().to_string());
                break;
            }
        }
    }
    // Date, time and possibly the committee from a date line.
    'lines: for line in preamble {
        if meeting.date.is_some() {
            break;
        }
        if line.is_empty() {
            continue;
        }
        if let Some((date, time)) = date_dominant(line).or_else(|| {
            // "Glasgow, 8th December 2016.": the place, then the date.
            PLACE_THEN_DATE
                .captures(line)
                .and_then(|c| date_dominant(&c["rest"]))
        }) {
            meeting.date = Some(date.format("%Y-%m-%d").to_string());
            meeting.time = time;
            break;
        }
        if let Some((date, time, body)) = body_then_date(line) {
            meeting.date = Some(date.format("%Y-%m-%d").to_string());
            meeting.time = time;
            meeting.committee = Some(body);
            break;
        }
        let parts: Vec<&str> = DASH_SPLIT.split(line).collect();
        if parts.len() >= 2 {
            for (k, part) in parts.iter().enumerate().skip(1) {
                if let Some((date, time)) = date_dominant(part) {
                    meeting.date = Some(date.format("%Y-%m-%d").to_string());
                    meeting.time = time;
                    let body = parts[..k].join(" - ");
                    if BODY_WORD.is_match(&body) {
                        meeting.committee = Some(body.trim().to_string());
                    }
                    break 'lines;
                }
            }
        }
    }
    // The opening sentence: "MINUTES of a meeting of X held in Y on <date>".
    for para in &paragraphs {
        if !OPENING_SENTENCE.is_match(para) {
            continue;
        }
        if meeting.date.is_none() && !OTHER_MEETING.is_match(para) {
            if let Some((date, range)) = find_date(para) {
                meeting.date = Some(date.format("%Y-%m-%d").to_string());
                if meeting.time.is_none() {
                    meeting.time = TIME
                        .find(&para[range.end..])
                        .map(|m| m.as_str().trim().to_string());
                }
            }
        }
        if meeting.venue.is_none() && !OTHER_MEETING.is_match(para) {
            // "... held on Monday 4 March 2024 at 6.00 pm at the Town Hall".
            if let Some((_, range)) = find_date(para) {
                meeting.venue = PLACE_AFTER_DATE
                    .captures(&para[range.end..])
                    .map(|c| clean_venue(&c["venue"]));
            }
        }
        if meeting.committee.is_none() {
            meeting.committee = MEETING_OF_BODY
                .captures(para)
                .or_else(|| MINUTES_OF_BODY_MEETING.captures(para))
                .map(|c| c["body"].trim().to_string());
        }
        if meeting.venue.is_none() {
            meeting.venue = HELD_AT.captures(para).map(|c| clean_venue(&c["venue"]));
        }
    }
    if meeting.time.is_none() {
        meeting.time = paragraphs
            .iter()
            .filter(|p| {
                let l = p.to_lowercase();
                [
                    "starting at",
                    "commenced at",
                    "called to order at",
                    "began at",
                    "start time",
                ]
                .iter()
                .any(|k| l.contains(k))
            })
            .find_map(|p| TIME.find(p).map(|m| m.as_str().trim().to_string()));
    }
    for line in preamble {
        if let Some(c) = VENUE_LABEL.captures(line) {
            meeting.venue = Some(clean_venue(&c["venue"]));
            break;
        }
    }
    if meeting.venue.is_none() {
        // A heading line of its own: "HELD IN THE VILLAGE HALL".
        meeting.venue = paragraphs
            .iter()
            .filter(|p| {
                p.get(..5)
                    .is_some_and(|start| start.eq_ignore_ascii_case("held "))
            })
            .find_map(|p| HELD_AT.captures(p).map(|c| clean_venue(&c["venue"])));
    }
    // Heading lines naming the body and the council.
    for line in preamble.iter().filter(|l| !l.is_empty()) {
        let words = line.split_whitespace().count();
        if words > 12 || ATTENDANCE_LABEL.is_match(line) {
            continue;
        }
        if meeting.council.is_none()
            && COUNCIL_NAME.is_match(line)
            && words >= 2
            && !is_generic_body(line)
        {
            meeting.council = Some(line.trim().to_string());
            continue;
        }
        if meeting.committee.is_none()
            && words >= 2
            && BODY_WORD.is_match(line)
            && is_name_case(line)
            && !line.chars().any(|c| c.is_ascii_digit())
            && !line.ends_with(['.', ':', ','])
            && !OTHER_MEETING.is_match(line)
        {
            meeting.committee = Some(with_first_line(preamble, line));
        }
    }
    meeting.committee = meeting.committee.as_deref().and_then(clean_committee);
    if meeting.council.is_none() {
        if let Some(committee) = &meeting.committee {
            if COUNCIL_NAME.is_match(committee) && !is_generic_body(committee) {
                meeting.council = Some(committee.clone());
            }
        }
    }
    meeting.attendance = parse_attendance(preamble);
    meeting
}

/// A committee name printed over two lines ("Transport and Connectivity" /
/// "Policy Committee"): the line above, in name case, with no body word of
/// its own and nothing between, is its first part.
fn with_first_line(preamble: &[String], line: &str) -> String {
    let index = preamble.iter().position(|l| l == line);
    let above = index
        .and_then(|i| i.checked_sub(1))
        .map(|i| preamble[i].trim());
    match above {
        Some(first)
            if !first.is_empty()
                && first.split_whitespace().count() <= 6
                && is_name_case(first)
                && !BODY_WORD.is_match(first)
                && !COUNCIL_NAME.is_match(first)
                && !first.ends_with(['.', ':', ',', ';'])
                && !first.chars().any(|c| c.is_ascii_digit())
                && (first.ends_with(" and") || first.ends_with(" &") || {
                    let last = first.split_whitespace().last().unwrap_or("");
                    !matches!(
                        last.to_lowercase().as_str(),
                        "minutes" | "agenda" | "meeting"
                    )
                })
                && is_connected_name(first) =>
        {
            format!("{first} {}", line.trim())
        }
        _ => line.trim().to_string(),
    }
}

/// The first line of a two-line name ends mid-name ("... and") or is made of
/// subject words ("Transport and Connectivity"), not a heading of its own.
fn is_connected_name(first: &str) -> bool {
    first.ends_with(" and")
        || first.ends_with(" &")
        || first.contains(" and ")
        || first.contains(" & ")
}

/// Labels, page words and time words that wrap a committee's name on web
/// pages: "Minutes of the Cabinet Meeting", "Agenda for Schools' Forum on",
/// "Meeting Title: London Safeguarding Children Board Meeting",
/// "Community Council virtual", "... - Expired 18/10/22".
static COMMITTEE_WRAPPING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:meeting\s+title\s*:\s*|minutes\s+of\s+(?:the\s+|a\s+)?(?:meeting\s+of\s+(?:the\s+)?)?|agenda\s+for\s+(?:the\s+)?|meeting\s+of\s+(?:the\s+)?)|(?:\s+(?:meeting|minutes|on|virtual|remote|held.*)|\s*[-–—]\s*(?:minutes|expired).*)+$")
        .expect("static regex")
});

/// What is not a committee's name: a label line, a person, a fragment.
static NOT_A_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:contact|venue|email|e-mail|tel|telephone|link|date|time|to|from|by|moved|present|apologies|clerk|mr|mrs|ms|miss|dr|cllr|councillor)(?-u:\b)|@|(?-u:\b)(?:administrator|officer|clerk|secretary)$|(?-u:\b)of$|^official(?-u:\b)|(?-u:\b)(?:will|would|was|were|is|are|has|have|had)(?-u:\b)")
        .expect("static regex")
});

/// The committee's name without the words around it on the page, or None
/// when what was found is not the name of a body.
pub fn clean_committee(raw: &str) -> Option<String> {
    let mut name = raw.trim().to_string();
    for _ in 0..3 {
        let next = COMMITTEE_WRAPPING.replace_all(&name, "").trim().to_string();
        if next == name {
            break;
        }
        name = next;
    }
    let name = name.trim_matches(|c: char| c == ',' || c == '-' || c == '–' || c.is_whitespace());
    let words = name.split_whitespace().count();
    let starts_upper = name.chars().next().is_some_and(char::is_uppercase);
    (starts_upper
        && (1..=14).contains(&words)
        && BODY_WORD.is_match(name)
        && !NOT_A_BODY.is_match(name)
        && !name.chars().any(|c| c.is_ascii_digit()))
    .then(|| name.to_string())
}

/// Names are written in capitals or title case; running text is not.
fn is_name_case(line: &str) -> bool {
    const SMALL: [&str; 9] = ["of", "and", "the", "for", "in", "on", "&", "to", "with"];
    let words: Vec<&str> = line
        .split_whitespace()
        .filter(|w| !SMALL.contains(&w.to_lowercase().as_str()))
        .collect();
    let capitalised = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()))
        .count();
    !words.is_empty() && capitalised * 5 >= words.len() * 4
}

/// "County Council" or "Council" alone names a body, not which council.
fn is_generic_body(name: &str) -> bool {
    let lower = name.to_lowercase();
    let lower = lower.trim_start_matches("the ").trim();
    matches!(
        lower,
        "council"
            | "county council"
            | "city council"
            | "borough council"
            | "full council"
            | "district council"
            | "parish council"
            | "town council"
    )
}

fn clean_venue(raw: &str) -> String {
    raw.trim()
        .trim_end_matches(['.', ','])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Joins consecutive non-blank lines.
fn paragraphs(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in lines {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[derive(Clone, Copy)]
enum Role {
    Present,
    Officers,
    Apologies,
}

fn parse_attendance(preamble: &[String]) -> Attendance {
    let mut attendance = Attendance::default();
    let mut i = 0;
    while i < preamble.len() {
        let Some(c) = ATTENDANCE_LABEL.captures(&preamble[i]) else {
            i += 1;
            continue;
        };
        let label = c["label"].to_lowercase();
        let role = if label.starts_with("apolog") {
            Role::Apologies
        } else if label.starts_with("officers")
            || label.starts_with("in attendance")
            || label == "staff"
        {
            Role::Officers
        } else {
            Role::Present
        };
        let mut block: Vec<String> = Vec::new();
        let rest = c.name("rest").map_or("", |m| m.as_str()).trim();
        // "Present: Members of the public:" is a table header row.
        if !rest.is_empty() && !rest.ends_with(':') {
            block.push(rest.to_string());
        }
        i += 1;
        // A label alone on its line may be followed by blank lines.
        if block.is_empty() {
            while i < preamble.len() && preamble[i].is_empty() {
                i += 1;
            }
        }
        while i < preamble.len()
            && !preamble[i].is_empty()
            && !ATTENDANCE_LABEL.is_match(&preamble[i])
            && !is_section_heading(&preamble[i])
        {
            block.push(preamble[i].clone());
            i += 1;
        }
        let names = split_names(&block);
        let list = match role {
            Role::Present => &mut attendance.present,
            Role::Officers => &mut attendance.officers,
            Role::Apologies => &mut attendance.apologies,
        };
        list.extend(names);
    }
    attendance
}

/// "UNRESTRICTED ITEMS" and similar capitals end an attendance block.
fn is_section_heading(line: &str) -> bool {
    line.chars().any(char::is_alphabetic)
        && !line.chars().any(char::is_lowercase)
        && !line.contains(',')
        && !HONORIFIC.is_match(line)
}

static APOLOGIES_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:(?-u:\b)apolog(?:y|ies)(?:\s+for\s+absence)?(?:\s+from\s+the\s+meeting)?\s+(?:was|were|had\s+been|have\s+been)\s+(?:received|submitted|given|noted|tendered|reported)\s+(?:for\s+this\s+meeting\s+)?|(?-u:\b)(?:reported|received|noted|submitted)\s+(?:an\s+)?apolog(?:y|ies)(?:\s+for\s+absence)?\s+)(?:from|by|on\s+behalf\s+of)\s+(?P<names>[^.]+?)\.?(?:\s*$|\.\s)",
    )
    .expect("static regex")
});

/// Names in the apologies item ("Apologies for absence were received from
/// Councillors Goodwin and Woodward."), for minutes that give none in the
/// attendance block.
pub fn apologies_from_item(text: &str) -> Vec<String> {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    APOLOGIES_SENTENCE
        .captures_iter(&flat)
        .flat_map(|c| split_names(&[c["names"].to_string()]))
        .collect()
}

/// Splits an attendance block into one entry per person.
fn split_names(block: &[String]) -> Vec<String> {
    // One entry a line, unless the block is a wrapped comma-separated list.
    let comma_list = block.iter().any(|l| l.contains(','));
    let mut lines: Vec<String> = Vec::new();
    for line in block {
        match lines.last_mut() {
            Some(last) if comma_list && continues_entry_list(last, line) => {
                last.push(' ');
                last.push_str(line);
            }
            Some(last)
                if !comma_list
                    && (last.matches('(').count() > last.matches(')').count()
                        || line.starts_with('(')
                        || line.chars().next().is_some_and(char::is_lowercase)) =>
            {
                last.push(' ');
                last.push_str(line);
            }
            _ => lines.push(line.clone()),
        }
    }
    let mut out: Vec<String> = Vec::new();
    for line in &lines {
        let mut councillor_list = false;
        let mut describing = false;
        for (separator, piece) in split_top_level(line) {
            let piece = piece.trim().trim_end_matches('.').trim().to_string();
            if piece.is_empty() {
                continue;
            }
            let names_person = HONORIFIC.is_match(&piece);
            let is_role = HONOUR.is_match(&piece) || ROLE_START.is_match(&piece);
            if let Some(last) = out
                .last_mut()
                .filter(|_| is_role || (describing && !names_person))
            {
                // Keep "Children, Education and Young People" as written.
                last.push_str(if describing { separator } else { ", " });
                last.push_str(&piece);
                describing = !HONOUR.is_match(&piece);
                continue;
            }
            describing = false;
            if let Some(name) = piece.strip_prefix("Councillors ") {
                councillor_list = true;
                out.push(format!("Councillor {name}"));
            } else if councillor_list && !names_person && piece.split_whitespace().count() <= 3 {
                out.push(format!("Councillor {piece}"));
            } else {
                councillor_list = false;
                out.push(piece);
            }
        }
    }
    out
}

/// In a wrapped list, a new line starts a new entry only when it begins
/// with a title ("Councillors ...") after a complete entry.
fn continues_entry_list(previous: &str, line: &str) -> bool {
    let open_paren = previous.matches('(').count() > previous.matches(')').count();
    let complete = previous.ends_with(|c: char| c == ')' || c.is_alphabetic())
        && !previous.ends_with(" and")
        && previous
            .split_whitespace()
            .last()
            .is_some_and(|w| w.chars().count() > 1);
    open_paren || !(complete && HONORIFIC.is_match(line))
}

/// Splits on commas, semicolons and " and " outside parentheses; each
/// piece comes with the separator that preceded it ("" for the first).
fn split_top_level(text: &str) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    let mut separator: &'static str = "";
    let mut chars = text.char_indices();
    while let Some((pos, c)) = chars.next() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && (c == ',' || c == ';') {
            out.push((separator, std::mem::take(&mut current)));
            separator = if c == ',' { ", " } else { "; " };
            continue;
        }
        if depth <= 0 && c == ' ' && text[pos..].starts_with(" and ") {
            out.push((separator, std::mem::take(&mut current)));
            separator = " and ";
            for _ in 0..4 {
                chars.next();
            }
            continue;
        }
        current.push(c);
    }
    out.push((separator, current));
    out.into_iter()
        .map(|(sep, s)| (sep, s.trim().to_string()))
        .filter(|(_, s)| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_committee_is_a_body_never_an_addressee_a_sentence_or_a_label() {
        assert_eq!(clean_committee("To Cabinet"), None);
        assert_eq!(clean_committee("County Council will be"), None);
        assert_eq!(
            clean_committee("Contact: Schools Forum Administration"),
            None
        );
        assert_eq!(
            clean_committee("Mrs C McAteer, Committee Administrator"),
            None
        );
        assert_eq!(
            clean_committee("Minutes of the Cabinet Meeting").as_deref(),
            Some("Cabinet")
        );
        assert_eq!(
            clean_committee("Agenda for Schools' Forum on").as_deref(),
            Some("Schools' Forum")
        );
        assert_eq!(
            clean_committee("County Council").as_deref(),
            Some("County Council")
        );
    }

    // Hand-written fixture: a committee's name printed over two lines.
    #[test]
    fn a_name_over_two_lines_is_read_whole() {
        let preamble =
            lines("Transport and Connectivity\nPolicy Committee\nMonday 3 March 2025 at 2.00 pm");
        let m = parse_meeting(&preamble);
        assert_eq!(
            m.committee.as_deref(),
            Some("Transport and Connectivity Policy Committee")
        );
    }

    #[test]
    fn the_acting_body_names_the_committee() {
        let text = [
            "RESOLVED that the Schools Forum noted the report.",
            "The Schools Forum agreed the budget.",
            "That Cabinet approves the plan.",
        ];
        assert_eq!(
            committee_from_body(text.into_iter()).as_deref(),
            Some("Schools Forum")
        );
        let generic = ["The Committee noted the report."];
        assert_eq!(committee_from_body(generic.into_iter()), None);
    }
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(|l| l.trim().to_string()).collect()
    }

    #[test]
    fn date_formats() {
        let d = |s: &str| find_date(s).map(|(d, _)| d.format("%Y-%m-%d").to_string());
        assert_eq!(d("9TH JULY 2020").as_deref(), Some("2020-07-09"));
        assert_eq!(
            d("Tuesday, 21 January 2020 2.00 pm").as_deref(),
            Some("2020-01-21")
        );
        assert_eq!(
            d("Tuesday, November 12, 2024").as_deref(),
            Some("2024-11-12")
        );
        assert_eq!(d("on 3/3/2021").as_deref(), Some("2021-03-03"));
        assert_eq!(d("31 February 2020"), None);
    }

    // Hand-written fixture: the only date in the preamble is another meeting's.
    #[test]
    fn never_takes_another_meetings_date() {
        let m = parse_meeting(&lines("To be submitted to the Council at its meeting on the 17th September 2020\n\nSCRUTINY PANEL"));
        assert_eq!(m.date, None);
        assert_eq!(m.committee.as_deref(), Some("SCRUTINY PANEL"));
    }

    #[test]
    fn committee_dash_date_time_and_venue() {
        let m = parse_meeting(&lines(
            "Agenda and minutes\n\nChildren and Families Overview and Scrutiny Committee - Tuesday, 21 January 2020 2.00 pm\n\nVenue: Sparkenhoe Committee Room, County Hall, Glenfield",
        ));
        assert_eq!(m.date.as_deref(), Some("2020-01-21"));
        assert_eq!(m.time.as_deref(), Some("2.00 pm"));
        assert_eq!(
            m.committee.as_deref(),
            Some("Children and Families Overview and Scrutiny Committee")
        );
        assert_eq!(
            m.venue.as_deref(),
            Some("Sparkenhoe Committee Room, County Hall, Glenfield")
        );
    }

    #[test]
    fn kent_opening_sentence() {
        let m = parse_meeting(&lines(
            "KENT COUNTY COUNCIL\n\nCABINET\n\nMINUTES of a meeting of the Cabinet held in the Council Chamber, Sessions\nHouse, County Hall, Maidstone on Thursday, 30 January 2025.\n\nPRESENT: Mr R W Gough (Chairman), Mr N Baker, Mr R C Love, OBE and Mr R J Thomas\n\nIN ATTENDANCE: Dr A Ghosh (Director of Public Health)",
        ));
        assert_eq!(m.date.as_deref(), Some("2025-01-30"));
        assert_eq!(m.council.as_deref(), Some("KENT COUNTY COUNCIL"));
        assert_eq!(m.committee.as_deref(), Some("Cabinet"));
        assert_eq!(
            m.venue.as_deref(),
            Some("the Council Chamber, Sessions House, County Hall, Maidstone")
        );
        assert_eq!(
            m.attendance.present,
            vec![
                "Mr R W Gough (Chairman)",
                "Mr N Baker",
                "Mr R C Love, OBE",
                "Mr R J Thomas"
            ]
        );
        assert_eq!(
            m.attendance.officers,
            vec!["Dr A Ghosh (Director of Public Health)"]
        );
    }

    #[test]
    fn committee_and_date_on_one_line_and_24_hour_time() {
        let m = parse_meeting(&lines(
            "Children's Scrutiny Committee Tuesday 5 March 2024 at 14:00",
        ));
        assert_eq!(m.date.as_deref(), Some("2024-03-05"));
        assert_eq!(m.time.as_deref(), Some("14:00"));
        assert_eq!(
            m.committee.as_deref(),
            Some("Children's Scrutiny Committee")
        );
    }

    #[test]
    fn venue_after_date_and_time() {
        let m = parse_meeting(&lines(
            "MINUTES of the meeting held on Monday 4 March 2024 at 6.00 pm at the Town Hall, Bolton",
        ));
        assert_eq!(m.date.as_deref(), Some("2024-03-04"));
        assert_eq!(m.time.as_deref(), Some("6.00 pm"));
        assert_eq!(m.venue.as_deref(), Some("the Town Hall, Bolton"));
    }

    #[test]
    fn capitals_opening_sentence_with_24_hour_clock() {
        let m = parse_meeting(&lines(
            "MINUTES OF A MEETING OF THE SCHOOLS FORUM HELD ON WEDNESDAY 17 JANUARY 2024, AT 1000 HOURS, IN COMMITTEE ROOM 3, COUNCIL HOUSE, BIRMINGHAM",
        ));
        assert_eq!(m.date.as_deref(), Some("2024-01-17"));
        assert_eq!(m.time.as_deref(), Some("1000 HOURS"));
        assert_eq!(
            m.venue.as_deref(),
            Some("COMMITTEE ROOM 3, COUNCIL HOUSE, BIRMINGHAM")
        );
        assert_eq!(m.committee.as_deref(), Some("SCHOOLS FORUM"));
    }

    #[test]
    fn attendance_label_on_its_own_line_without_colon() {
        let m = parse_meeting(&lines("PRESENT\nCouncillor A Smith (Chair)\nCouncillor B Jones\n\nAPOLOGIES\nCouncillor C Brown"));
        assert_eq!(
            m.attendance.present,
            vec!["Councillor A Smith (Chair)", "Councillor B Jones"]
        );
        assert_eq!(m.attendance.apologies, vec!["Councillor C Brown"]);
    }

    #[test]
    fn apologies_stated_in_the_item() {
        assert_eq!(
            apologies_from_item("Apologies were received from Mr R Love OBE, Ms K Leonard, and Ms A Farmer.\n\nMs L Game attended virtually."),
            vec!["Mr R Love OBE", "Ms K Leonard", "Ms A Farmer"]
        );
        assert_eq!(
            apologies_from_item("Apologies for absence were received for this meeting from Councillors\nGoodwin and Woodward."),
            vec!["Councillor Goodwin", "Councillor Woodward"]
        );
        assert!(apologies_from_item("There were no apologies.").is_empty());
        assert_eq!(
            apologies_from_item("The Manager reported apologies from Mr Baldock and Mr Webb.\n\nThe Chairman reported apologies from Mr Cooke."),
            vec!["Mr Baldock", "Mr Webb", "Mr Cooke"]
        );
        assert_eq!(
            apologies_from_item("An apology for absence from the meeting was received from Debbie Main, Diocesan Representative."),
            vec!["Debbie Main, Diocesan Representative"]
        );
    }

    #[test]
    fn roles_keep_their_own_commas_and_ands() {
        let names = split_names(&[
            "Councillor Ian Lindley, Portfolio Holder for Children, Education and Young".into(),
            "People".into(),
        ]);
        assert_eq!(
            names,
            vec![
                "Councillor Ian Lindley, Portfolio Holder for Children, Education and Young People"
            ]
        );
    }

    #[test]
    fn councillor_lists_expand() {
        let names = split_names(&[
            "Councillor Freeston (in the Chair)".into(),
            "Councillors Abel, Cairns and K Swinburn".into(),
        ]);
        assert_eq!(
            names,
            vec![
                "Councillor Freeston (in the Chair)",
                "Councillor Abel",
                "Councillor Cairns",
                "Councillor K Swinburn"
            ]
        );
    }
}
