//! Who a request is for: the officer, member or role named as doing it.

use super::patterns::*;
use super::request::Context;

/// The noun phrase doing the verb, from the text before the anchor.
pub(super) fn actor_before(pre: &str) -> Option<String> {
    let boundaries = [
        ", and ",
        "; ",
        " and the ",
        " and that ",
        "that ",
        "That ",
        ": ",
        "whereby ",
        " and ",
    ];
    let mut start = 0;
    for b in boundaries {
        if let Some(i) = pre.rfind(b) {
            // " and " inside a role name ("Children and Family Services") is not a boundary:
            // only accept it when what follows starts with a capital word or pronoun.
            if b == " and " {
                let after = &pre[i + b.len()..];
                let before_word = pre[..i].split_whitespace().last().unwrap_or("");
                let first_after = after.split_whitespace().next().unwrap_or("");
                let pronoun = PRONOUNS.contains(&first_after.to_lowercase().as_str());
                // "misinformation and Mrs Chandler offered": a new clause; but
                // "Children and Family Services" is one name.
                let new_name = first_after.chars().next().is_some_and(char::is_uppercase)
                    && before_word.chars().next().is_some_and(char::is_lowercase);
                if !pronoun && !new_name {
                    continue;
                }
            }
            start = start.max(i + b.len());
        }
    }
    let mut np = pre[start..].trim().trim_end_matches(',').trim();
    let lower = np.to_lowercase();
    if ["it was", "it is", "it has been", "it had been"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return None;
    }
    for tail in [
        " to", " be", " is", " are", " was", " were", " will", " would", " should", " also",
    ] {
        if let Some(head) = strip_suffix_ignore_case(np, tail) {
            np = head.trim_end();
        }
    }
    // "Mr Read shared that ... and offered to": the actor opens the sentence.
    if np.ends_with(" and") || np == "and" {
        return None;
    }
    let lower = np.to_lowercase();
    if ["it was", "it is", "it has been", "it had been"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return None;
    }
    // Too long for a noun phrase: keep what follows the last comma.
    while np.split_whitespace().count() > 10 {
        match np.find(", ") {
            Some(i) => np = np[i + 2..].trim(),
            None => return None,
        }
    }
    (!np.is_empty()).then(|| np.to_string())
}

/// `s` without an ASCII `suffix`, compared case-insensitively; never splits a character.
pub(super) fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..cut])
}

/// Whether a noun phrase is the committee (or its members) itself.
pub(super) fn is_committee(np: &str, ctx: &Context) -> bool {
    let lower = np.trim().to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    if matches!(
        lower,
        "it" | "we"
            | "there"
            | "this"
            | "members"
            | "member"
            | "councillors"
            | "all members"
            | "the members"
    ) {
        return true;
    }
    if lower.starts_with("members ") {
        return true;
    }
    if ctx
        .committee
        .is_some_and(|c| c.trim().eq_ignore_ascii_case(lower))
    {
        return true;
    }
    static_re!(
        PERSON_IN_BODY,
        r"(?i)(?-u:\b)(?:director|officer|manager|chair|head|lead|cllr|councillor|mr|ms|mrs|dr)(?-u:\b)"
    );
    let last = lower.split_whitespace().last().unwrap_or("");
    matches!(
        last,
        "committee" | "panel" | "board" | "group" | "forum" | "commission" | "members"
    ) && !PERSON_IN_BODY.is_match(lower)
}

pub(super) fn is_outside_body(np: &str) -> bool {
    let t = np.trim().trim_end_matches(['.', ',']);
    OUTSIDE_BODY.is_match(t)
        || t.split(" and ")
            .all(|part| OUTSIDE_BODY.is_match(part.trim()))
            && t.contains(" and ")
}

/// Turns an actor noun phrase into an owner, resolving pronouns to the last
/// person named.
pub(super) fn resolve_owner(np: &str, sentence: &str, ctx: &Context) -> Option<String> {
    let trimmed = np.trim();
    let first = trimmed
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    if PRONOUNS.contains(&first.as_str()) {
        return leading_actor(sentence).or_else(|| ctx.last_actor.map(str::to_string));
    }
    clean_owner(trimmed, ctx)
}

/// A named person or role, cleaned; `None` for the committee, outside bodies
/// and things that are not people.
pub(super) fn clean_owner(np: &str, ctx: &Context) -> Option<String> {
    static_re!(
        LEAD_IN,
        r"(?i)^(?:however|in\s+response|in\s+addition|additionally|also|furthermore|as\s+a\s+result|following\s+(?:a|the|this)\s+[^,]+|in\s+response\s+to\s+[^,]+)\s*,\s*"
    );
    let mut s = LEAD_IN.replace(np.trim(), "").to_string();
    for prefix in ["the ", "The "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.to_string();
        }
    }
    let s = s
        .trim()
        .trim_end_matches([',', '.', ';', ':'])
        .trim()
        .to_string();
    let words = s.split_whitespace().count();
    if words == 0 || words > 10 || is_committee(&s, ctx) || is_outside_body(&s) {
        return None;
    }
    if s.eq_ignore_ascii_case("officers") || s.eq_ignore_ascii_case("officer") {
        return Some(s);
    }
    // Names and roles are written in capitals ("Service Director, Children's
    // Operations", "Head of Virtual School"); a lower-case word means we caught
    // a clause, not a person.
    let named = s.split_whitespace().all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || matches!(
                w,
                "of" | "for" | "and" | "&" | "the" | "in" | "with" | "on" | "to"
            )
    });
    if !named || (!ROLE_WORD.is_match(&s) && words > 4) {
        return None;
    }
    Some(s)
}

/// The officer or member the sentence opens with ("The Director explained ...").
pub fn leading_actor(sentence: &str) -> Option<String> {
    let caps = LEADING_ACTOR.captures(sentence)?;
    let np = caps.name("np")?.as_str().trim();
    // Several people ("X, and Y, Officer") cannot own one request.
    if np.contains(", and ")
        || np.contains(" and Cllr")
        || np.contains(" and Mr")
        || np.contains(" and Ms")
    {
        return None;
    }
    let words = np.split_whitespace().count();
    let person_name = (2..=4).contains(&words) && !np.contains(',');
    ((ROLE_WORD.is_match(np) || person_name) && !is_outside_body(np)).then(|| np.to_string())
}

/// "... be provided by the Director of Children's Services".
pub(super) fn by_owner(text: &str, ctx: &Context) -> Option<String> {
    let caps = BY_OWNER.captures(text)?;
    let np = caps.name("np")?.as_str();
    let np = np.trim_end_matches(|c: char| c == ',' || c.is_whitespace());
    let np = ["of", "for", "and", "&", "the"]
        .iter()
        .fold(np.to_string(), |acc, w| {
            acc.strip_suffix(&format!(" {w}"))
                .map_or(acc.clone(), str::to_string)
        });
    ROLE_WORD
        .is_match(&np)
        .then(|| clean_owner(&np, ctx))
        .flatten()
}

/// Work-programme tables flattened into text put the responsible officer
/// after the due phrase: "... to the June meeting of the committee Service
/// Director, Children's Operations".
pub(super) fn trailing_owner(after_due: &str, ctx: &Context) -> Option<String> {
    static_re!(
        OF_COMMITTEE,
        r"(?i)^\s*(?:of|for)\s+(?:the\s+)?(?:committee|panel|board|group|meeting|council)(?-u:\b)"
    );
    let rest = OF_COMMITTEE.replace(after_due, "");
    let rest = rest.trim().trim_end_matches(['.', ';']).trim();
    if rest.is_empty() {
        return None;
    }
    let all_capitalised = rest.split_whitespace().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            || matches!(w, "of" | "for" | "and" | "&" | "the")
    });
    (all_capitalised && rest.split_whitespace().count() <= 8)
        .then(|| clean_owner(rest, ctx))
        .flatten()
}
