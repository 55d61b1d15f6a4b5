//! What a request asks for, read from the sentence, the sentence before, the
//! member's question or, as a last resort, the item title.

use super::due::DueMatch;
use super::matching::is_generic_subject;
use super::patterns::*;
use super::request::{Candidate, Context};
use super::sentences::collapse_whitespace;

/// The subject of a passive anchor: the noun phrase before "be".
pub(super) fn passive_subject_np(pre: &str) -> Option<String> {
    let mut np = pre.trim();
    for word in [
        "would", "will", "should", "shall", "must", "to", "is", "are", "was to", "also", "then",
        "now", "need",
    ] {
        if let Some(rest) = np.strip_suffix(word) {
            if rest.ends_with(' ') || rest.is_empty() {
                np = rest.trim_end();
            }
        }
    }
    let np = np.strip_suffix("need to").unwrap_or(np).trim();
    let np = np.strip_suffix("would need to").unwrap_or(np).trim();
    let mut start = 0;
    for b in [
        "that ",
        "That ",
        "THAT ",
        ": ",
        "; ",
        ", and ",
        " and that ",
        "whether ",
    ] {
        if let Some(i) = np.rfind(b) {
            start = start.max(i + b.len());
        }
    }
    let candidate = np[start..].trim();
    // "A copy ... is filed with these minutes, and would be circulated": the
    // subject is the sentence's own first noun phrase.
    if candidate.is_empty()
        || candidate.ends_with(',')
        || candidate.ends_with(" and")
        || candidate == "and"
    {
        let caps = PREVIOUS_NP.captures(np)?;
        return Some(caps.name("np")?.as_str().to_string());
    }
    Some(candidate.to_string())
}

/// The subject named in a noun phrase such as "a report on X" or "Details of X".
pub(super) fn subject_from_np(np: &str) -> Option<String> {
    if ANAPHOR.is_match(np.trim()) {
        return None;
    }
    if let Some(caps) = DELIVERABLE_ABOUT.captures(np) {
        let x = caps.name("x")?.as_str();
        let cleaned = clean_subject(cut_at_boundary(x));
        if !cleaned.is_empty() {
            return Some(cleaned);
        }
    }
    let cleaned = clean_subject(cut_at_boundary(np));
    (!cleaned.is_empty()).then_some(cleaned)
}

/// A subject from a "report/update/details on X" phrase anywhere in the sentence.
pub(super) fn deliverable_subject(text: &str, due: Option<&DueMatch>) -> Option<String> {
    let masked = mask_due(text, due);
    for caps in DELIVERABLE_ABOUT.captures_iter(&masked) {
        if let Some(x) = caps.name("x") {
            let s = clean_subject(cut_at_boundary(x.as_str()));
            if !s.is_empty() && !is_generic_subject(&s) {
                return Some(s);
            }
        }
    }
    None
}

/// Replaces the due phrase (and the preposition before it) with a clause
/// boundary, so subjects stop before it.
pub(super) fn mask_due(text: &str, due: Option<&DueMatch>) -> String {
    static_re!(
        PREP_BEFORE,
        r"(?i)\s+(?:to|at|for|by|in|until|before|during|within|from)\s*$"
    );
    match due {
        Some(d) => {
            let head = &text[..d.start];
            let head = PREP_BEFORE.find(head).map_or(head, |m| &head[..m.start()]);
            format!("{head} \u{1} {}", &text[d.end..])
        }
        None => text.to_string(),
    }
}

/// "on/about/of X" straight after the verb.
pub(super) fn about_subject(rest: &str) -> Option<String> {
    static_re!(
        ABOUT,
        r"(?i)^\s*(?:further\s+|regularly\s+)?(?:on|of|about|regarding|as\s+to|in\s+relation\s+to|concerning)\s+(?P<x>.+)"
    );
    let x = ABOUT.captures(rest)?.name("x")?.as_str();
    let s = clean_subject(cut_at_boundary(x));
    (!s.is_empty() && !is_generic_subject(&s)).then_some(s)
}

pub(super) fn object_subject(rest: &str, due: Option<&DueMatch>) -> Option<String> {
    static_re!(
        RECIPIENT,
        r"(?i)^\s*(?:the\s+)?(?:committee|panel|members?|councillors?|board)(?:\s+of\s+the\s+\w+)?\s+(?:with\s+)?"
    );
    // The object stops where its timing starts.
    let rest = match due.and_then(|d| rest.find(d.due.text.as_str())) {
        Some(i) => &rest[..i],
        None => rest,
    };
    let rest = RECIPIENT.replace(rest, "");
    let s = subject_from_np(cut_at_boundary(&rest))?;
    (!is_generic_subject(&s)).then_some(s)
}

pub(super) fn action_subject(
    verb: &str,
    particle: Option<&str>,
    rest: &str,
    due: Option<&DueMatch>,
) -> String {
    let rest = match due.and_then(|d| rest.find(d.due.text.as_str())) {
        Some(i) => &rest[..i],
        None => rest,
    };
    let phrase = match particle {
        Some(p) => format!("{verb} {p} {}", rest.trim()),
        None => format!("{verb} {}", rest.trim()),
    };
    short_phrase(&phrase, 12)
}

/// First `max` words of a phrase, stopping at the end of its clause.
pub(super) fn short_phrase(s: &str, max: usize) -> String {
    static_re!(
        CLAUSE_END,
        r"[;:(]|\.(?:\s|$)|\s[-–—]\s|,\s+(?:and|but|which|as|so)(?-u:\b)"
    );
    let cut = CLAUSE_END.find(s).map_or(s, |m| &s[..m.start()]);
    let mut words: Vec<&str> = cut.split_whitespace().take(max).collect();
    while words.last().is_some_and(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "a" | "an"
                | "the"
                | "of"
                | "to"
                | "as"
                | "for"
                | "and"
                | "on"
                | "in"
                | "with"
                | "their"
                | "its"
                | "by"
        )
    }) {
        words.pop();
    }
    words.join(" ").trim_end_matches([',', '.']).to_string()
}

pub(super) fn cut_at_boundary(x: &str) -> &str {
    SUBJECT_BOUNDARY.find(x).map_or(x, |m| &x[..m.start()])
}

pub(super) fn clean_subject(s: &str) -> String {
    let s = LEADING_FILLER.replace(s.trim(), "");
    let s = s.trim().trim_matches(|c: char| {
        matches!(
            c,
            ',' | '.' | ';' | ':' | '\'' | '"' | '‘' | '’' | '“' | '”'
        ) || c.is_whitespace()
    });
    let words: Vec<&str> = s.split_whitespace().take(12).collect();
    let mut out = words.join(" ");
    // Drop a dangling connective left by the word limit or a boundary.
    for tail in [
        " and", " of", " on", " in", " for", " the", " to", " with", " a", " at", " by", " until",
        " before", " during", " within", " from",
    ]
    .iter()
    .cycle()
    .take(16 * 4)
    {
        if let Some(stripped) = out.strip_suffix(tail) {
            out = stripped.trim_end().to_string();
        }
    }
    out
}

/// What a member asked about, as the subject of a request that only says
/// "a detailed report".
pub(super) fn question_subject(question: &str) -> Option<String> {
    let caps = QUESTION_OPENING.captures(question)?;
    let q = caps.name("q")?.as_str();
    let q = QUESTION_BOUNDARY.find(q).map_or(q, |m| &q[..m.start()]);
    let s = clean_subject(q);
    (!s.is_empty() && !is_generic_subject(&s)).then_some(s)
}

/// The subject written before a "was scheduled for" phrase.
pub(super) fn subject_before(text: &str, at: usize, ctx: &Context) -> Option<String> {
    let np = passive_subject_np(&text[..at])?;
    if ANAPHOR.is_match(np.trim()) {
        return ctx.previous.and_then(previous_subject);
    }
    subject_from_np(&np)
}

/// The leading noun phrase of the previous sentence, for "This would be presented".
pub fn previous_subject(previous: &str) -> Option<String> {
    let caps = PREVIOUS_NP.captures(previous)?;
    subject_from_np(caps.name("np")?.as_str())
}

/// An item title as a subject: export noise and numbering removed.
pub fn clean_title(title: &str) -> String {
    let t = TITLE_NOISE.replace_all(title, "");
    let t = collapse_whitespace(&t);
    t.trim().trim_end_matches(['.', ':']).trim().to_string()
}

/// Whether a sentence has a subject pointing back to the sentence before.
pub fn needs_previous(sentence: &str) -> bool {
    static_re!(
        POINTS_BACK,
        r"(?i)^(?:this|these|they|it\s+(?:would|will|should|could|is\s+to))(?-u:\b)"
    );
    POINTS_BACK.is_match(sentence)
}

/// Fills an anaphoric subject from the previous sentence.
pub fn apply_previous(candidate: &mut Candidate, ctx: &Context, title_subject: &str) {
    if candidate.subject == title_subject && needs_previous(&candidate.text) {
        if let Some(prev) = ctx.previous.and_then(previous_subject) {
            if !is_generic_subject(&prev) {
                candidate.subject = prev;
                candidate.borrowed_subject = false;
            }
        }
    }
}

/// Opening question of a paragraph, if the paragraph starts with one.
pub fn is_question_opening(sentence: &str) -> bool {
    QUESTION_OPENING.is_match(sentence)
}
