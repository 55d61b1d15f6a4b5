//! Finds every signal of every topic in a text in one pass.
//!
//! All phrases of the taxonomy share one Aho-Corasick automaton and all
//! regexes one `RegexSet`, so the cost of classifying an item barely grows
//! with the size of the taxonomy. Word boundaries, case-sensitive phrases,
//! plural endings and exclusions are checked on the (few) candidate matches.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use super::taxonomy::{Pattern, Taxonomy};
use super::TaxonomyError;

/// Regexes and automata are built from officer-edited files; these bound the
/// memory a pathological pattern can take.
const REGEX_SIZE_LIMIT: usize = 4 << 20;

/// One signal occurrence, in the coordinates of the text it was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub topic: usize,
    pub signal: usize,
    pub start: usize,
    pub end: usize,
}

/// Who owns a phrase of the automaton. Several signals (of different topics)
/// may share the same phrase.
#[derive(Debug, Clone)]
struct PhraseOwner {
    /// Exact spelling required when the signal is case-sensitive ("SEND"
    /// must not match the verb "send").
    exact: Option<String>,
}

#[derive(Debug)]
struct PhraseEntry {
    owners: Vec<PhraseOwner>,
    word_start: bool,
    word_end: bool,
}

#[derive(Debug)]
struct ExclusionEntry {
    topic: usize,
    window: usize,
    /// Signal indexes it cancels; empty means all of the topic's.
    signals: Vec<usize>,
}

/// Phrases and regexes compiled for one purpose (signals or exclusions).
#[derive(Debug)]
struct PatternBank<Owner> {
    automaton: Option<AhoCorasick>,
    phrases: Vec<PhraseEntry>,
    phrase_owner: Vec<Vec<Owner>>,
    set: Option<RegexSet>,
    regexes: Vec<(Regex, Owner)>,
}

#[derive(Debug)]
pub(crate) struct Matcher {
    signals: PatternBank<(usize, usize)>,
    exclusions: PatternBank<usize>,
    exclusion_entries: Vec<ExclusionEntry>,
    topic_has_exclusions: Vec<bool>,
    suffixes: Vec<Vec<u8>>,
    procedural: Option<RegexSet>,
    procedural_names: Vec<String>,
}

fn starts_with_word_char(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_alphanumeric)
}

fn ends_with_word_char(s: &str) -> bool {
    s.chars().next_back().is_some_and(char::is_alphanumeric)
}

/// Rewrites `\b`/`\B` as ASCII word boundaries. Unicode word boundaries
/// make the regex engine abandon its fast DFA on the first non-ASCII byte
/// (every "£", "–" or "é" in minutes), which costs an order of magnitude.
fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// All regexes of a bank as one automaton that reports which of them occur.
/// Each regex adds work on every byte (and regexes starting with common
/// words defeat the engine's literal prefilter), which is why the taxonomy
/// documentation steers authors towards phrases.
fn build_set(patterns: &[String]) -> Result<Option<RegexSet>, regex::Error> {
    if patterns.is_empty() {
        return Ok(None);
    }
    RegexSetBuilder::new(patterns)
        .size_limit(REGEX_SIZE_LIMIT * 4)
        .build()
        .map(Some)
}

/// Indexes of the patterns of `set` that occur in `text`.
fn which_match(set: &Option<RegexSet>, text: &str) -> Vec<usize> {
    set.as_ref()
        .map_or_else(Vec::new, |set| set.matches(text).into_iter().collect())
}

fn build_regex(pattern: &str, case_sensitive: bool) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&ascii_word_boundaries(pattern))
        .case_insensitive(!case_sensitive)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// Collects phrases (deduplicated case-insensitively) and regexes, then
/// compiles them.
struct BankBuilder<Owner> {
    phrases: Vec<(String, PhraseEntry, Vec<Owner>)>,
    regexes: Vec<(String, bool, Owner, usize, String)>,
}

impl<Owner: Clone> BankBuilder<Owner> {
    fn new() -> Self {
        Self {
            phrases: Vec::new(),
            regexes: Vec::new(),
        }
    }

    fn add_phrase(&mut self, phrase: &str, owner: Owner, phrase_owner: PhraseOwner) {
        let phrase = normalize(phrase).text.into_owned();
        let key = phrase.to_ascii_lowercase();
        if let Some((_, entry, owners)) = self.phrases.iter_mut().find(|(k, _, _)| *k == key) {
            entry.owners.push(phrase_owner);
            owners.push(owner);
            return;
        }
        let entry = PhraseEntry {
            owners: vec![phrase_owner],
            word_start: starts_with_word_char(&phrase),
            word_end: ends_with_word_char(&phrase),
        };
        self.phrases.push((key, entry, vec![owner]));
    }

    fn add_regex(
        &mut self,
        regex: &str,
        case_sensitive: bool,
        owner: Owner,
        line: usize,
        context: String,
    ) {
        self.regexes
            .push((regex.to_string(), case_sensitive, owner, line, context));
    }

    fn build(self) -> Result<PatternBank<Owner>, TaxonomyError> {
        let mut keys = Vec::with_capacity(self.phrases.len());
        let mut phrases = Vec::with_capacity(self.phrases.len());
        let mut phrase_owner = Vec::with_capacity(self.phrases.len());
        for (key, entry, owners) in self.phrases {
            keys.push(key);
            phrases.push(entry);
            phrase_owner.push(owners);
        }
        let automaton = if keys.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&keys)
                    .or_else(|_| {
                        // A DFA can exceed its size limit on huge taxonomies;
                        // the contiguous NFA is slower but always builds.
                        AhoCorasick::builder()
                            .ascii_case_insensitive(true)
                            .match_kind(MatchKind::Standard)
                            .build(&keys)
                    })
                    .map_err(|e| TaxonomyError::Invalid(format!("cannot compile phrases: {e}")))?,
            )
        };
        let mut set_patterns = Vec::with_capacity(self.regexes.len());
        let mut regexes = Vec::with_capacity(self.regexes.len());
        for (pattern, case_sensitive, owner, line, context) in self.regexes {
            let regex =
                build_regex(&pattern, case_sensitive).map_err(|e| TaxonomyError::BadRegex {
                    line,
                    context: context.clone(),
                    message: e.to_string(),
                })?;
            let pattern = ascii_word_boundaries(&pattern);
            set_patterns.push(if case_sensitive {
                pattern
            } else {
                format!("(?i:{pattern})")
            });
            regexes.push((regex, owner));
        }
        let set = build_set(&set_patterns)
            .map_err(|e| TaxonomyError::Invalid(format!("cannot compile regexes together: {e}")))?;
        Ok(PatternBank {
            automaton,
            phrases,
            phrase_owner,
            set,
            regexes,
        })
    }
}

/// Text with whitespace runs collapsed to one space, curly apostrophes made
/// straight and hyphens between words made spaces, so phrases match across
/// PDF line breaks, typographic quotes and "care-experienced" spellings;
/// `map` leads back to byte offsets of the original.
pub(crate) struct Normalized<'a> {
    pub text: Cow<'a, str>,
    /// `map[i]` is the original offset of normalised byte `i`; one extra
    /// entry holds the original length, so `map[end]` is always defined.
    map: Option<Vec<u32>>,
    original_len: usize,
}

impl Normalized<'_> {
    /// Byte range in the original text of a range of the normalised text.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        match &self.map {
            None => (start, end),
            Some(map) => {
                let at = |i: usize| map.get(i).map_or(self.original_len, |&o| o as usize);
                // map[end] is where the next kept character or collapsed
                // whitespace run starts, i.e. exactly where the match ends.
                let (s, e) = (at(start), at(end));
                (s, e.max(s))
            }
        }
    }

    /// Number of words, for length normalisation.
    pub fn word_count(&self) -> usize {
        // Whitespace is already collapsed to single spaces.
        let spaces = self.text.bytes().filter(|&b| b == b' ').count();
        if self.text.trim().is_empty() {
            0
        } else {
            spaces + 1
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// True when `text` would come out of [`normalize`] unchanged.
fn already_normal(bytes: &[u8]) -> bool {
    let mut prev = 0u8;
    for (i, &b) in bytes.iter().enumerate() {
        let odd_space =
            matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) || (b == b' ' && prev == b' ');
        let joining_hyphen = b == b'-'
            && prev.is_ascii_alphanumeric()
            && bytes
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n >= 0x80);
        if odd_space || joining_hyphen || b >= 0x80 {
            return false;
        }
        prev = b;
    }
    true
}

pub(crate) fn normalize(text: &str) -> Normalized<'_> {
    let bytes = text.as_bytes();
    if u32::try_from(text.len()).is_err() || already_normal(bytes) {
        return Normalized {
            text: Cow::Borrowed(text),
            map: None,
            original_len: text.len(),
        };
    }
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut map: Vec<u32> = Vec::with_capacity(text.len() + 1);
    let mut pending_space: Option<usize> = None;
    let mut prev_word = false;
    let mut i = 0;
    while i < bytes.len() {
        // Copy runs of bytes that stay as they are in one go.
        let run_start = i;
        while let Some(&b) = bytes.get(i) {
            let special = b >= 0x80
                || matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | b'-')
                || (b == b' '
                    && bytes
                        .get(i + 1)
                        .is_some_and(|&n| n.is_ascii_whitespace() || n >= 0x80));
            if special {
                break;
            }
            i += 1;
        }
        if i > run_start {
            let mut from = run_start;
            if let Some(start) = pending_space.take() {
                out.push(b' ');
                map.push(start as u32);
                if bytes[from] == b' ' {
                    from += 1;
                }
            }
            out.extend_from_slice(&bytes[from..i]);
            map.extend(from as u32..i as u32);
            prev_word = bytes[i - 1].is_ascii_alphanumeric();
            continue;
        }
        let b = bytes[i];
        let (len, space, word, replacement) = if b < 0x80 {
            let space = b.is_ascii_whitespace() || b == 0x0b;
            let hyphen = b == b'-'
                && prev_word
                && text
                    .get(i + 1..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_alphanumeric);
            (1, space, b.is_ascii_alphanumeric(), hyphen.then_some(b' '))
        } else {
            let c = text
                .get(i..)
                .and_then(|r| r.chars().next())
                .unwrap_or('\u{fffd}');
            let apostrophe = is_apostrophe(c);
            (
                c.len_utf8(),
                c.is_whitespace(),
                c.is_alphanumeric(),
                apostrophe.then_some(b'\''),
            )
        };
        if space {
            pending_space.get_or_insert(i);
        } else {
            if let Some(start) = pending_space.take() {
                out.push(b' ');
                map.push(start as u32);
            }
            match replacement {
                Some(r) => {
                    out.push(r);
                    map.push(i as u32);
                }
                None => {
                    out.extend_from_slice(&bytes[i..i + len]);
                    map.extend(std::iter::repeat_n(i as u32, len));
                }
            }
        }
        prev_word = word;
        i += len;
    }
    if let Some(start) = pending_space {
        out.push(b' ');
        map.push(start as u32);
    }
    map.push(text.len() as u32);
    // Only whole characters were copied or replaced by ASCII, so this is UTF-8.
    let text_out = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Normalized {
        text: Cow::Owned(text_out),
        map: Some(map),
        original_len: text.len(),
    }
}

fn char_before(text: &str, at: usize) -> Option<char> {
    text.get(..at).and_then(|s| s.chars().next_back())
}

fn char_after(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|s| s.chars().next())
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

impl<Owner: Clone> PatternBank<Owner> {
    /// Calls `emit(owner, start, end)` for each phrase match that passes the
    /// word-boundary, case and plural-ending checks.
    fn phrase_matches(
        &self,
        text: &str,
        suffixes: &[Vec<u8>],
        mut emit: impl FnMut(&Owner, usize, usize),
    ) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        let bytes = text.as_bytes();
        for m in automaton.find_overlapping_iter(text) {
            let index = m.pattern().as_usize();
            let Some(entry) = self.phrases.get(index) else {
                continue;
            };
            let (start, mut end) = (m.start(), m.end());
            if entry.word_start && is_word(char_before(text, start)) {
                continue;
            }
            if entry.word_end && is_word(char_after(text, end)) {
                let extended = suffixes.iter().find_map(|suffix| {
                    let candidate = end + suffix.len();
                    let matches = bytes
                        .get(end..candidate)
                        .is_some_and(|b| b.eq_ignore_ascii_case(suffix));
                    (matches
                        && text.is_char_boundary(candidate)
                        && !is_word(char_after(text, candidate)))
                    .then_some(candidate)
                });
                match extended {
                    Some(candidate) => end = candidate,
                    None => continue,
                }
            }
            let Some(owners) = self.phrase_owner.get(index) else {
                continue;
            };
            for (owner, how) in owners.iter().zip(&entry.owners) {
                if let Some(exact) = &how.exact {
                    if bytes.get(start..m.end()) != Some(exact.as_bytes()) {
                        continue;
                    }
                }
                emit(owner, start, end);
            }
        }
    }

    fn regex_matches(&self, text: &str, mut emit: impl FnMut(&Owner, usize, usize)) {
        if self.regexes.is_empty() {
            return;
        }
        for index in which_match(&self.set, text) {
            if let Some((regex, owner)) = self.regexes.get(index) {
                for m in regex.find_iter(text) {
                    if m.start() < m.end() {
                        emit(owner, m.start(), m.end());
                    }
                }
            }
        }
    }
}

impl Matcher {
    pub(crate) fn new(taxonomy: &Taxonomy) -> Result<Self, TaxonomyError> {
        let mut signals = BankBuilder::new();
        let mut exclusions = BankBuilder::new();
        let mut exclusion_entries = Vec::new();
        let mut topic_has_exclusions = Vec::with_capacity(taxonomy.topics.len());
        for (t, topic) in taxonomy.topics.iter().enumerate() {
            for (s, signal) in topic.signals.iter().enumerate() {
                match &signal.pattern {
                    Pattern::Phrases(list) => {
                        for p in list {
                            let how = PhraseOwner {
                                exact: signal
                                    .case_sensitive
                                    .then(|| normalize(p).text.into_owned()),
                            };
                            signals.add_phrase(p, (t, s), how);
                        }
                    }
                    Pattern::Regex(r) => signals.add_regex(
                        r,
                        signal.case_sensitive,
                        (t, s),
                        signal.line,
                        format!("topic \"{}\", signal \"{}\"", topic.id, signal.name),
                    ),
                }
            }
            topic_has_exclusions.push(!topic.exclusions.is_empty());
            for exclusion in &topic.exclusions {
                let index = exclusion_entries.len();
                let cancels = exclusion
                    .signals
                    .iter()
                    .filter_map(|name| topic.signals.iter().position(|s| &s.name == name))
                    .collect();
                exclusion_entries.push(ExclusionEntry {
                    topic: t,
                    window: exclusion.window as usize,
                    signals: cancels,
                });
                match &exclusion.pattern {
                    Pattern::Phrases(list) => {
                        for p in list {
                            exclusions.add_phrase(p, index, PhraseOwner { exact: None });
                        }
                    }
                    Pattern::Regex(r) => exclusions.add_regex(
                        r,
                        false,
                        index,
                        exclusion.line,
                        format!("topic \"{}\", exclusion", topic.id),
                    ),
                }
            }
        }
        let mut procedural_patterns = Vec::with_capacity(taxonomy.procedural.len());
        for p in &taxonomy.procedural {
            build_regex(&p.regex, false).map_err(|e| TaxonomyError::BadRegex {
                line: p.line,
                context: format!("procedural pattern \"{}\"", p.name),
                message: e.to_string(),
            })?;
            procedural_patterns.push(format!("(?i:{})", ascii_word_boundaries(&p.regex)));
        }
        let procedural = build_set(&procedural_patterns).map_err(|e| {
            TaxonomyError::Invalid(format!("cannot compile procedural patterns: {e}"))
        })?;
        Ok(Self {
            signals: signals.build()?,
            exclusions: exclusions.build()?,
            exclusion_entries,
            topic_has_exclusions,
            suffixes: taxonomy
                .plural_suffixes
                .iter()
                .map(|s| normalize(s).text.as_bytes().to_vec())
                .collect(),
            procedural,
            procedural_names: taxonomy.procedural.iter().map(|p| p.name.clone()).collect(),
        })
    }

    /// Name of the first procedural pattern the title matches.
    pub(crate) fn procedural(&self, title: &str) -> Option<&str> {
        let title = normalize(title.trim());
        which_match(&self.procedural, &title.text)
            .into_iter()
            .min()
            .and_then(|i| self.procedural_names.get(i).map(String::as_str))
    }

    /// Signal hits in normalised `text`, grouped by topic: overlapping hits
    /// of one topic are resolved leftmost-longest, then exclusions cancel
    /// hits near them.
    pub(crate) fn hits(&self, text: &str) -> Vec<Hit> {
        let mut candidates: Vec<Hit> = Vec::new();
        self.signals
            .phrase_matches(text, &self.suffixes, |&(topic, signal), start, end| {
                candidates.push(Hit {
                    topic,
                    signal,
                    start,
                    end,
                });
            });
        self.signals
            .regex_matches(text, |&(topic, signal), start, end| {
                candidates.push(Hit {
                    topic,
                    signal,
                    start,
                    end,
                });
            });
        if candidates.is_empty() {
            return candidates;
        }
        // Within each topic, leftmost-longest: "local offer for care leavers"
        // counts once for care leavers, not again as "care leaver". Topics do
        // not shadow each other, so "SEND transport" serves both of its topics.
        candidates.sort_by(|a, b| {
            (a.topic, a.start)
                .cmp(&(b.topic, b.start))
                .then(b.end.cmp(&a.end))
                .then(a.signal.cmp(&b.signal))
        });
        let mut kept: Vec<Hit> = Vec::with_capacity(candidates.len());
        let mut current_topic = usize::MAX;
        let mut taken_until = 0;
        for hit in candidates {
            if hit.topic != current_topic {
                current_topic = hit.topic;
                taken_until = 0;
            }
            if hit.start >= taken_until {
                taken_until = hit.end;
                kept.push(hit);
            }
        }
        if kept
            .iter()
            .any(|h| self.topic_has_exclusions.get(h.topic) == Some(&true))
        {
            self.apply_exclusions(text, &mut kept);
        }
        kept
    }

    fn apply_exclusions(&self, text: &str, hits: &mut Vec<Hit>) {
        let mut zones: Vec<(usize, usize, usize)> = Vec::new();
        let mut record = |&index: &usize, start: usize, end: usize| {
            zones.push((index, start, end));
        };
        self.exclusions
            .phrase_matches(text, &self.suffixes, &mut record);
        self.exclusions.regex_matches(text, &mut record);
        if zones.is_empty() {
            return;
        }
        hits.retain(|hit| {
            !zones.iter().any(|&(index, start, end)| {
                self.exclusion_entries.get(index).is_some_and(|entry| {
                    entry.topic == hit.topic
                        && (entry.signals.is_empty() || entry.signals.contains(&hit.signal))
                        && start <= hit.end + entry.window
                        && hit.start <= end + entry.window
                })
            })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_collapses_whitespace_and_maps_back() {
        let original = "care\n   leavers’ offer";
        let n = normalize(original);
        assert_eq!(n.text, "care leavers' offer");
        let (s, e) = n.original_range(0, "care leavers".len());
        assert_eq!(&original[s..e], "care\n   leavers");
        let at = n.text.find("leavers'").unwrap_or(0);
        let (s, e) = n.original_range(at, at + "leavers'".len());
        assert_eq!(&original[s..e], "leavers’");
    }

    #[test]
    fn word_boundaries_become_ascii_but_escapes_survive() {
        assert_eq!(ascii_word_boundaries(r"\bEHCP\b"), r"(?-u:\b)EHCP(?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"a\\b\Bc\d"), r"a\\b(?-u:\B)c\d");
    }

    #[test]
    fn normalize_borrows_clean_text() {
        assert!(matches!(
            normalize("plain text here").text,
            Cow::Borrowed(_)
        ));
    }
}
