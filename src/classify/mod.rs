//! Stage 4: tag each item with the topics it is about, with evidence.
//!
//! The taxonomy (topics, their weighted signals, exclusions, thresholds and
//! the procedural title patterns) is data in `config/topics.toml`; this
//! module compiles it once and scores items against it.

mod matcher;
mod taxonomy;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Evidence, Item, TopicTag};
use matcher::{normalize, Hit, Matcher, Normalized};
pub use taxonomy::{Exclusion, Pattern, ProceduralPattern, Scoring, Signal, Taxonomy, Topic};

/// The default children's services taxonomy, shipped with the binary so a
/// fresh install works before anyone edits the configuration.
pub const DEFAULT_TAXONOMY: &str = include_str!("../../config/topics.toml");

/// Errors in a taxonomy file, with the line they are on.
#[derive(Debug, thiserror::Error)]
pub enum TaxonomyError {
    /// TOML syntax errors and unknown or mistyped keys.
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("line {line}: topic id \"{id}\" is already used on line {first_line}")]
    DuplicateTopic {
        line: usize,
        id: String,
        first_line: usize,
    },
    #[error("line {line}: {context}: a signal of that name already exists in this topic")]
    DuplicateSignal { line: usize, context: String },
    #[error("line {line}: topic id \"{id}\" must be lower_snake_case (a-z, 0-9, _)")]
    BadId { line: usize, id: String },
    #[error("line {line}: {context}: invalid regex: {message}")]
    BadRegex {
        line: usize,
        context: String,
        message: String,
    },
    #[error("line {line}: {context}: has no signals")]
    EmptySignals { line: usize, context: String },
    #[error("line {line}: {context}: the phrase or regex is empty")]
    EmptyPattern { line: usize, context: String },
    #[error("line {line}: {context}: give exactly one of `phrase` or `regex`")]
    PatternKind { line: usize, context: String },
    #[error("line {line}: {context}: names signal \"{signal}\", which the topic does not have")]
    UnknownSignal {
        line: usize,
        context: String,
        signal: String,
    },
    #[error("line {line}: {field} = {value} is out of range ({allowed})")]
    OutOfRange {
        line: usize,
        field: &'static str,
        value: f64,
        allowed: &'static str,
    },
    #[error("the taxonomy defines no [[topic]]")]
    NoTopics,
    #[error("{0}")]
    Invalid(String),
    #[error("cannot read taxonomy {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    InFile {
        path: PathBuf,
        source: Box<TaxonomyError>,
    },
}

/// Result of classifying one item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Classification {
    pub procedural: bool,
    pub topics: Vec<TopicTag>,
}

/// A compiled taxonomy, ready to classify many items.
#[derive(Debug)]
pub struct Classifier {
    version: String,
    taxonomy: Taxonomy,
    matcher: Matcher,
}

/// What one topic collected from one item.
#[derive(Debug, Clone, Default)]
struct TopicTally {
    title_hits: Vec<Hit>,
    body_hits: Vec<Hit>,
    strength: f64,
}

impl Classifier {
    /// Parses and compiles a taxonomy file (`config/topics.toml`).
    pub fn from_toml(source: &str) -> Result<Self, TaxonomyError> {
        let taxonomy = taxonomy::parse(source)?;
        let matcher = Matcher::new(&taxonomy)?;
        Ok(Self {
            version: taxonomy.version(),
            taxonomy,
            matcher,
        })
    }

    /// Reads and compiles a taxonomy file; errors name the file.
    pub fn from_path(path: &Path) -> Result<Self, TaxonomyError> {
        let source = std::fs::read_to_string(path).map_err(|source| TaxonomyError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_toml(&source).map_err(|e| TaxonomyError::InFile {
            path: path.to_path_buf(),
            source: Box::new(e),
        })
    }

    /// The taxonomy shipped in [`DEFAULT_TAXONOMY`].
    pub fn builtin() -> Result<Self, TaxonomyError> {
        Self::from_toml(DEFAULT_TAXONOMY)
    }

    /// Hash of the taxonomy, recorded in each document.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Name of the procedural pattern a title matches, if any.
    pub fn procedural_pattern(&self, title: &str) -> Option<&str> {
        self.matcher.procedural(meaningful_title(title))
    }

    /// Tags one item. Procedural items get no topics. A topic needs support
    /// from the title, or repeated mentions in the body that are not dwarfed
    /// by another topic: one passing remark does not make an item about it.
    pub fn classify(&self, title: &str, text: &str) -> Classification {
        let title = meaningful_title(title);
        if self.matcher.procedural(title).is_some() {
            return Classification {
                procedural: true,
                topics: Vec::new(),
            };
        }
        let title_n = normalize(title);
        let text_n = normalize(text);
        let scoring = &self.taxonomy.scoring;
        let mut tallies = vec![TopicTally::default(); self.taxonomy.topics.len()];
        for hit in self.matcher.hits(&title_n.text) {
            if let Some(t) = tallies.get_mut(hit.topic) {
                t.title_hits.push(hit);
            }
        }
        for hit in self.matcher.hits(&text_n.text) {
            if let Some(t) = tallies.get_mut(hit.topic) {
                t.body_hits.push(hit);
            }
        }
        let words = text_n.word_count() as f64;
        let length_factor = (words / scoring.reference_words)
            .max(1.0)
            .powf(scoring.length_exponent);
        for (topic, tally) in self.taxonomy.topics.iter().zip(tallies.iter_mut()) {
            let weight = |signal: usize| topic.signals.get(signal).map_or(0.0, |s| s.weight);
            let mut title_signals: Vec<usize> = tally.title_hits.iter().map(|h| h.signal).collect();
            title_signals.sort_unstable();
            title_signals.dedup();
            let title: f64 =
                title_signals.iter().map(|&s| weight(s)).sum::<f64>() * scoring.title_weight;
            // Repeats of one signal count with diminishing returns so one
            // word said ten times does not outweigh ten different signals.
            let mut counts: Vec<(usize, u32)> = Vec::new();
            for hit in &tally.body_hits {
                match counts.iter_mut().find(|(s, _)| *s == hit.signal) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((hit.signal, 1)),
                }
            }
            let body: f64 = counts
                .iter()
                .map(|&(s, n)| weight(s) * f64::from(n).sqrt())
                .sum::<f64>()
                / length_factor;
            tally.strength = title + body;
        }
        let mut sentence_starts: Option<Vec<usize>> = None;
        let strongest = tallies.iter().map(|t| t.strength).fold(0.0, f64::max);
        let mut topics = Vec::new();
        for (topic, tally) in self.taxonomy.topics.iter().zip(&tallies) {
            if tally.strength <= 0.0 {
                continue;
            }
            let score = 1.0 - (-scoring.saturation * tally.strength).exp();
            if score < topic.threshold {
                continue;
            }
            let titled = !tally.title_hits.is_empty();
            if !titled {
                let substantial = tally.strength >= scoring.relative_floor * strongest;
                let anchored = tally.body_hits.iter().any(|h| {
                    topic
                        .signals
                        .get(h.signal)
                        .is_some_and(|s| s.weight >= scoring.anchor_weight)
                });
                if !(substantial && anchored) {
                    continue;
                }
                let starts =
                    sentence_starts.get_or_insert_with(|| sentence_starts_of(&text_n.text));
                if sentences_spanned(&tally.body_hits, starts) < scoring.min_body_sentences as usize
                {
                    continue;
                }
            }
            topics.push(TopicTag {
                id: topic.id.clone(),
                label: topic.label.clone(),
                score: (score * 1000.0).round() / 1000.0,
                evidence: self.evidence(topic, tally, title, &title_n, text, &text_n),
            });
        }
        topics.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        Classification {
            procedural: false,
            topics,
        }
    }

    /// Classifies every item of a document in place: the whole classify
    /// stage, and the unit to benchmark it by.
    pub fn classify_items(&self, items: &mut [Item]) {
        for item in items {
            let c = self.classify(&item.title, &item.text);
            item.procedural = c.procedural;
            item.topics = c.topics;
        }
    }

    /// Title evidence first, then one body hit per distinct signal, then
    /// further repeats, up to the configured cap.
    fn evidence(
        &self,
        topic: &Topic,
        tally: &TopicTally,
        title: &str,
        title_n: &Normalized<'_>,
        text: &str,
        text_n: &Normalized<'_>,
    ) -> Vec<Evidence> {
        let cap = self.taxonomy.scoring.max_evidence as usize;
        let make = |hit: &Hit, in_title: bool| -> Option<Evidence> {
            let (source, normalized) = if in_title {
                (title, title_n)
            } else {
                (text, text_n)
            };
            let (start, end) = normalized.original_range(hit.start, hit.end);
            Some(Evidence {
                text: source.get(start..end)?.to_string(),
                start,
                end,
                signal: topic.signals.get(hit.signal)?.name.clone(),
                in_title,
            })
        };
        let mut chosen: Vec<(&Hit, bool)> = Vec::new();
        chosen.extend(tally.title_hits.iter().map(|h| (h, true)));
        let mut seen: Vec<usize> = Vec::new();
        let (first, repeats): (Vec<&Hit>, Vec<&Hit>) = tally.body_hits.iter().partition(|h| {
            let new = !seen.contains(&h.signal);
            if new {
                seen.push(h.signal);
            }
            new
        });
        chosen.extend(first.into_iter().map(|h| (h, false)));
        chosen.extend(repeats.into_iter().map(|h| (h, false)));
        chosen.truncate(cap);
        chosen.sort_by_key(|&(h, in_title)| (!in_title, h.start));
        chosen
            .into_iter()
            .filter_map(|(h, in_title)| make(h, in_title))
            .collect()
    }
}

/// The title without trailing export noise ("Minutes. pdf icon PDF 178 KB")
/// and punctuation, so title patterns can anchor at its end. Only the end is
/// cut, so offsets into it are offsets into the original title.
fn meaningful_title(title: &str) -> &str {
    static NOISE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s*\bpdf\s+icon\b.*$")
            .unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|_| unreachable!()))
    });
    let cut = NOISE.find(title).map_or(title.len(), |m| m.start());
    title[..cut]
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ':' | ';' | ',' | '-'))
}

/// Byte offsets where a new sentence (or list entry) begins. Mentions
/// confined to one sentence are one passing remark, however many words match.
fn sentence_starts_of(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied();
        match b {
            b'.' | b'?' | b'!' | b';' | b':' if next == Some(b' ') => starts.push(i + 2),
            // "·" (C2 B7), "•" (E2 80 A2) and "●" (E2 97 8F) start list entries.
            0xC2 if next == Some(0xB7) => starts.push(i),
            0xE2 if matches!(
                (next, bytes.get(i + 2)),
                (Some(0x80), Some(0xA2)) | (Some(0x97), Some(0x8F))
            ) =>
            {
                starts.push(i)
            }
            _ => {}
        }
    }
    starts
}

fn sentences_spanned(hits: &[Hit], sentence_starts: &[usize]) -> usize {
    let mut sentences: Vec<usize> = hits
        .iter()
        .map(|h| sentence_starts.partition_point(|&s| s <= h.start))
        .collect();
    sentences.sort_unstable();
    sentences.dedup();
    sentences.len()
}

#[cfg(test)]
mod tests;
