//! Pulls each RESOLVED / AGREED clause out of an item's text.
//!
//! Committees write decisions as "RESOLVED – That the report be noted.",
//! "RESOLVED:" followed by lettered clauses on their own lines,
//! "Resolved: (i) That ... (ii) That ...", or inline "RESOLVED that (a) ...;
//! (b) ...". Each clause becomes one string, without its label.

use std::sync::LazyLock;

use regex::Regex;

static TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:(?-u:\b)(?:RESOLVED|AGREED)(?-u:\b)
          | (?:^|[.;:]\s+|\*\*)(?:Resolved|Agreed)(?-u:\b)
          | ^(?:Decisions?|DECISIONS?)(?-u:\b)
          | (?-u:\b)[Ii]t\s+was\s+(?:further\s+|unanimously\s+)?resolved(?-u:\b)
          | (?-u:\b)[Ii]t\s+was\s+(?:further\s+|unanimously\s+)?agreed\s+(?:that|to)(?-u:\b))",
    )
    .expect("static regex")
});

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-•·*]\s*)?\(?(?P<label>[a-zA-Z]|[ivx]{1,5}|\d{1,2})\)\s*|^(?:[-•·*]\s*)?(?P<dotted>[a-z]|\d{1,2})\.\s+")
        .expect("static regex")
});

static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-•·*–]\s+").expect("static regex"));

static INLINE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s;,:])\(?(?P<label>[a-h]|i{1,3}|iv|vi{0,3}|ix|x)\)\s+")
        .expect("static regex")
});

static INTRODUCES_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:\*\*)?\s*(?:[:–—-]|that(?-u:\b)|to(?-u:\b)|\(|$)")
        .expect("static regex")
});

static LEAD_IN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s:–—\-,.*]*").expect("static regex"));

/// Every resolution clause in `text`, in order.
pub fn extract_resolutions(text: &str) -> Vec<String> {
    // Non-blank lines, each with whether a blank line came before it.
    let mut blocks: Vec<(&str, bool)> = Vec::new();
    let mut blank = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            blank = true;
        } else {
            blocks.push((line, blank));
            blank = false;
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let block = blocks[i].0;
        i += 1;
        let Some(m) = TRIGGER.find(block) else {
            continue;
        };
        let keyword = m.as_str().trim_start_matches(|c: char| !c.is_alphabetic());
        if keyword.to_lowercase().starts_with("it") {
            // Every "It was resolved/agreed ..." sentence of the paragraph.
            for found in TRIGGER.find_iter(block) {
                let word = found
                    .as_str()
                    .trim_start_matches(|c: char| !c.is_alphabetic());
                if word.to_lowercase().starts_with("it") {
                    out.push(tidy(&first_sentence(&block[found.start()..])));
                }
            }
            continue;
        }
        let raw_remainder = &block[m.end()..];
        // "Agreed." or "Resolved unanimously" in prose records a vote, not a clause.
        let mixed_case = keyword.chars().nth(1).is_some_and(char::is_lowercase);
        if mixed_case && !INTRODUCES_CLAUSE.is_match(raw_remainder) {
            continue;
        }
        let remainder = LEAD_IN.replace(raw_remainder, "").to_string();
        let words = remainder.split_whitespace().count();
        if words > 0
            && words < 3
            && !remainder.ends_with(':')
            && !remainder.eq_ignore_ascii_case("that")
        {
            continue;
        }
        let mut clauses: Vec<String> = Vec::new();
        let mut labelled = false;
        // Style and position of the last clause label, to see where the
        // list of clauses ends and the minute's own numbering resumes.
        let mut last_label: Option<ClauseLabel> = None;
        // "That Council:" introduces the clauses that follow; a later intro
        // in the list ("This Council believes that:") takes over from it.
        let mut intro: Option<String> = None;
        let mut open_list = false;
        let bare =
            remainder.is_empty() || remainder.trim_end_matches(':').eq_ignore_ascii_case("that");
        if bare || remainder.ends_with(':') {
            if !bare {
                intro = Some(remainder.clone());
            }
            open_list = true;
            // Group headings and intros straight before the first clause.
            while let Some(&(block, _)) = blocks.get(i) {
                let tight = blocks
                    .get(i + 1)
                    .is_some_and(|(_, blank_before)| !blank_before);
                if is_sub_intro(block) {
                    intro = Some(block.to_string());
                } else if !(is_section_label(block) && tight) {
                    break;
                }
                i += 1;
            }
            if let Some((next, _)) = blocks.get(i) {
                if !TRIGGER.is_match(next) {
                    labelled = LABEL.is_match(next);
                    last_label = clause_label(next);
                    clauses.push(with_intro(intro.as_deref(), &strip_label(next)));
                    i += 1;
                }
            }
        } else {
            labelled = LABEL.is_match(&remainder);
            if labelled {
                open_list = true;
                last_label = clause_label(&remainder);
                clauses.push(strip_label(&remainder));
            } else {
                clauses.extend(split_inline(&remainder));
            }
        }
        // Further clauses: lettered lines, "That ..." lines, or the rest of
        // a list introduced with a colon.
        while let Some(&(next, blank_before)) = blocks.get(i).filter(|_| open_list) {
            if TRIGGER.is_match(next) {
                break;
            }
            if CONNECTOR.is_match(next) {
                // "And;" between two lists of clauses.
            } else if is_sub_intro(next) {
                // A new intro starts a new series of clauses.
                intro = Some(next.to_string());
                last_label = None;
            } else if is_section_label(next)
                || (labelled && heads_labelled_clauses(next, blocks.get(i + 1)))
            {
                // "2025-26 Council Tax" groups clauses; it is not one.
            } else if LABEL.is_match(next) {
                let label = clause_label(next);
                if !continues_series(last_label, label) {
                    break;
                }
                last_label = label.or(last_label);
                clauses.push(with_intro(intro.as_deref(), &strip_label(next)));
            } else if labelled && BULLET.is_match(next) {
                // A plain bullet under a lettered clause is part of it.
                if let Some(last) = clauses.last_mut() {
                    last.push_str("; ");
                    last.push_str(BULLET.replace(next, "").trim());
                }
            } else if !labelled && (next.starts_with("That ") || !blank_before) {
                clauses.push(with_intro(intro.as_deref(), next));
            } else {
                break;
            }
            i += 1;
        }
        out.extend(clauses.iter().map(|c| tidy(c)).filter(|c| !c.is_empty()));
    }
    out
}

static CONNECTOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:and|or|and/or|further|furthermore|also)\s*[;:,]?$").expect("static regex")
});

/// A line ending in a colon that opens the clauses below it.
fn is_sub_intro(block: &str) -> bool {
    block.ends_with(':') && !LABEL.is_match(block) && !BULLET.is_match(block)
}

fn with_intro(intro: Option<&str>, clause: &str) -> String {
    match intro {
        Some(intro) => format!("{intro} {}", BULLET.replace(clause, "")),
        None => clause.to_string(),
    }
}

/// A clause label's style ("a)" or "1.") and its possible positions in a
/// series: "i" may be the ninth letter or the first roman numeral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ClauseLabel {
    dotted: bool,
    ranks: [Option<usize>; 2],
}

fn clause_label(block: &str) -> Option<ClauseLabel> {
    const ROMAN: [&str; 10] = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];
    let c = LABEL.captures(block)?;
    let (dotted, label) = match (c.name("label"), c.name("dotted")) {
        (Some(l), _) => (false, l.as_str().to_lowercase()),
        (None, Some(l)) => (true, l.as_str().to_lowercase()),
        (None, None) => return None,
    };
    let numeric_or_roman = label
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .or_else(|| ROMAN.iter().position(|r| *r == label));
    let letter = match label.as_bytes() {
        [b] if b.is_ascii_lowercase() => Some(usize::from(b - b'a')),
        _ => None,
    };
    Some(ClauseLabel {
        dotted,
        ranks: [numeric_or_roman, letter],
    })
}

/// "9)" after "6." is the minute's next paragraph, not clause 7.
fn continues_series(last: Option<ClauseLabel>, next: Option<ClauseLabel>) -> bool {
    match (last, next) {
        (Some(last), Some(next)) => {
            last.dotted == next.dotted
                && last
                    .ranks
                    .iter()
                    .flatten()
                    .any(|&a| next.ranks.iter().flatten().any(|&b| b > a && b <= a + 2))
        }
        _ => true,
    }
}

/// "2025-26 Revenue Budget and Medium Term Financial Plan" between lettered
/// clauses: a heading for the clauses that follow it.
fn heads_labelled_clauses(block: &str, following: Option<&(&str, bool)>) -> bool {
    block.split_whitespace().count() <= 12
        && !block.ends_with(['.', ';', ','])
        && !LABEL.is_match(block)
        && !BULLET.is_match(block)
        && following.is_some_and(|(next, _)| LABEL.is_match(next))
}

/// A short heading line inside a list of clauses.
fn is_section_label(block: &str) -> bool {
    block.split_whitespace().count() <= 5
        && !block.ends_with(['.', ';'])
        && !block.starts_with("That")
        && !LABEL.is_match(block)
        && !BULLET.is_match(block)
}

fn strip_label(block: &str) -> String {
    LABEL.replace(block, "").trim().to_string()
}

/// "that (a) X; (b) Y" -> ["X", "Y"] when the labels run in order.
fn split_inline(text: &str) -> Vec<String> {
    let labels: Vec<(usize, usize, String)> = INLINE_LABEL
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let label = c.name("label")?;
            Some((whole.start(), whole.end(), label.as_str().to_string()))
        })
        .collect();
    let in_order = labels.len() >= 2
        && labels
            .windows(2)
            .all(|w| label_rank(&w[1].2) == label_rank(&w[0].2).map(|r| r + 1));
    if !in_order {
        return vec![text.to_string()];
    }
    labels
        .iter()
        .enumerate()
        .map(|(k, (_, end, _))| {
            let stop = labels.get(k + 1).map_or(text.len(), |next| next.0);
            text[*end..stop].trim().to_string()
        })
        .collect()
}

/// Position of a clause label in its series: "a"/"i"/"1" -> 0.
fn label_rank(label: &str) -> Option<usize> {
    const ROMAN: [&str; 10] = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];
    if let Some(pos) = ROMAN.iter().position(|r| *r == label) {
        return Some(pos);
    }
    if let Ok(n) = label.parse::<usize>() {
        return n.checked_sub(1);
    }
    let c = label.chars().next()?;
    (label.len() == 1 && c.is_ascii_lowercase()).then(|| (c as usize) - ('a' as usize))
}

fn first_sentence(text: &str) -> String {
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    for (k, (pos, c)) in bytes.iter().enumerate() {
        if *c == '.' {
            let next = bytes.get(k + 1).map(|(_, c)| *c);
            let after = bytes.get(k + 2).map(|(_, c)| *c);
            if next.is_none() || (next == Some(' ') && after.is_some_and(char::is_uppercase)) {
                return text[..=*pos].to_string();
            }
        }
    }
    text.to_string()
}

/// Clause without list glue ("; and"), markdown emphasis or a lower-case start.
fn tidy(clause: &str) -> String {
    let clause = BULLET.replace(clause.trim(), "");
    let mut s = clause
        .replace("**", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for tail in ["; and", ", and", ";", ","] {
        if let Some(stripped) = s.strip_suffix(tail) {
            s = stripped.trim_end().to_string();
            break;
        }
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_form() {
        assert_eq!(
            extract_resolutions("Discussion.\n\nRESOLVED – That the report be noted."),
            vec!["That the report be noted."]
        );
    }

    #[test]
    fn lettered_clauses_on_following_lines() {
        let text = "RESOLVED:\n\na)    That the presentation be noted;\n\nb)    That a further update be provided to a future meeting of the Committee.";
        assert_eq!(
            extract_resolutions(text),
            vec![
                "That the presentation be noted",
                "That a further update be provided to a future meeting of the Committee."
            ]
        );
    }

    #[test]
    fn unlabelled_clause_after_colon() {
        assert_eq!(
            extract_resolutions("RESOLVED:\n\nThat the report be noted.\n\nOther text."),
            vec!["That the report be noted."]
        );
    }

    #[test]
    fn roman_clauses_with_nested_bullets() {
        let text = "Resolved: (i) That the DSO populate the dates.\n\n- (ii) That the committee note the meeting on 13 April for:\n - Inclusion Strategy\n - Effective Support Strategy\n- (iv) That a report on funding be made.\n\n(Note: ended)";
        assert_eq!(
            extract_resolutions(text),
            vec![
                "That the DSO populate the dates.",
                "That the committee note the meeting on 13 April for:; Inclusion Strategy; Effective Support Strategy",
                "That a report on funding be made."
            ]
        );
    }

    #[test]
    fn inline_lettered_clauses_are_split() {
        assert_eq!(
            extract_resolutions(
                "RESOLVED that (a) the report be noted; (b) a further report come back in June."
            ),
            vec!["The report be noted", "A further report come back in June."]
        );
    }

    #[test]
    fn agreed_and_resolved_mid_paragraph() {
        let text = "The Panel discussed it. AGREED that the topics be submitted.\n\nIt was resolved to set the precept at £5,700.00. CDC to be informed.";
        assert_eq!(
            extract_resolutions(text),
            vec![
                "That the topics be submitted.",
                "It was resolved to set the precept at £5,700.00."
            ]
        );
    }

    #[test]
    fn introduced_list_keeps_its_subject() {
        let text = "RESOLVED that Council:\n\n1) Notes the report;\n\n2) Adopts the Plan.";
        assert_eq!(
            extract_resolutions(text),
            vec![
                "That Council: Notes the report",
                "That Council: Adopts the Plan."
            ]
        );
        let text = "5) RESOLVED that:\nMembers note the work.\nMembers continue to support it.\n\nOther business.";
        assert_eq!(
            extract_resolutions(text),
            vec!["Members note the work.", "Members continue to support it."]
        );
    }

    #[test]
    fn recorded_votes_are_not_clauses() {
        assert!(extract_resolutions(
            "seconded that the motion be put to the vote. Agreed.\n\n4) The Chairman thanked all."
        )
        .is_empty());
        assert!(extract_resolutions(
            "sympathy to his family. Agreed unanimously.\n4) The Chairman held a silence."
        )
        .is_empty());
    }

    #[test]
    fn clause_lists_with_group_headings_and_odd_labels() {
        let text = "3. RESOLVED that Cabinet agree to:\n\nA) Note the forecast revenue overspend.\nb) Note the capital underspend.\nc) Agree the Capital budget changes.";
        assert_eq!(
            extract_resolutions(text),
            vec![
                "That Cabinet agree to: Note the forecast revenue overspend.",
                "That Cabinet agree to: Note the capital underspend.",
                "That Cabinet agree to: Agree the Capital budget changes."
            ]
        );
        let text = "RESOLVED that:\n2025-35 Capital Programme\nThe 10-year Capital programme of £1,419m.\n2025-26 Council Tax\nThe total Council Tax requirement of £994m.";
        assert_eq!(
            extract_resolutions(text),
            vec![
                "The 10-year Capital programme of £1,419m.",
                "The total Council Tax requirement of £994m."
            ]
        );
    }

    #[test]
    fn headings_between_lettered_clauses() {
        let text = "(27) RESOLVED that:\nCouncil is asked to agree the following:\n2025-35 Capital Programme\n(a) The capital programme of £1,419m.\n2025-26 Revenue Budget and Medium Term Financial Plan\n(b) The net revenue budget of £1,530.9m.\n\nThe meeting closed.";
        assert_eq!(
            extract_resolutions(text),
            vec![
                "Council is asked to agree the following: The capital programme of £1,419m.",
                "Council is asked to agree the following: The net revenue budget of £1,530.9m."
            ]
        );
    }

    #[test]
    fn clause_list_ends_where_the_minute_numbering_resumes() {
        let text = "8) RESOLVED that the County Council resolves:\n1. To declare solidarity with farmers.\n2. To commend farmers.\n\n9) The Chairman proposed that the meeting be extended.\n\nMotion 4 – Climate Bill\n\n10) Ms Hawkins proposed the motion.";
        assert_eq!(
            extract_resolutions(text),
            vec![
                "That the County Council resolves: To declare solidarity with farmers.",
                "That the County Council resolves: To commend farmers."
            ]
        );
    }

    #[test]
    fn later_intros_take_over() {
        let text = "6. RESOLVED that:\nThis Council believes that:\na) Action is needed now.\nb) Any ban must be robust.\nAnd;\nThis Council agrees to call on the Cabinet Member to:\n\na) Write again to the government.\n\nb) Encourage proper disposal of vapes.";
        assert_eq!(
            extract_resolutions(text),
            vec![
                "This Council believes that: Action is needed now.",
                "This Council believes that: Any ban must be robust.",
                "This Council agrees to call on the Cabinet Member to: Write again to the government.",
                "This Council agrees to call on the Cabinet Member to: Encourage proper disposal of vapes."
            ]
        );
    }

    #[test]
    fn executive_decision_label() {
        assert_eq!(
            extract_resolutions("Decision:\n\nThat the SEND strategy be approved.\n\nReasons for decision: as set out."),
            vec!["That the SEND strategy be approved."]
        );
        assert!(extract_resolutions("The decision was deferred.").is_empty());
    }

    #[test]
    fn impersonal_agreement_is_a_decision() {
        assert_eq!(
            extract_resolutions("Concerns were raised. It was agreed that the PC will write to CRT. HD will draft it. It was resolved to seek advice."),
            vec!["It was agreed that the PC will write to CRT.", "It was resolved to seek advice."]
        );
    }

    #[test]
    fn plain_agreement_in_prose_is_not_a_resolution() {
        assert!(
            extract_resolutions("The Committee agreed that improvements were evident.").is_empty()
        );
    }
}
