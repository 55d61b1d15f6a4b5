//! The taxonomy file: its TOML schema, validation and canonical form.
//!
//! Officers edit `config/topics.toml` by hand and reload it while the daemon
//! runs, so every mistake must be reported with the line it is on rather than
//! silently changing what gets tagged.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::TaxonomyError;

/// The whole file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TaxonomyFile {
    #[serde(default)]
    pub scoring: ScoringFile,
    #[serde(default)]
    pub matching: MatchingFile,
    pub procedural: Spanned<ProceduralFile>,
    #[serde(default, rename = "topic")]
    pub topics: Vec<Spanned<TopicFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScoringFile {
    #[serde(default = "defaults::title_weight")]
    pub title_weight: Spanned<f64>,
    #[serde(default = "defaults::saturation")]
    pub saturation: Spanned<f64>,
    #[serde(default = "defaults::reference_words")]
    pub reference_words: Spanned<f64>,
    #[serde(default = "defaults::length_exponent")]
    pub length_exponent: Spanned<f64>,
    #[serde(default = "defaults::min_body_sentences")]
    pub min_body_sentences: Spanned<u32>,
    #[serde(default = "defaults::anchor_weight")]
    pub anchor_weight: Spanned<f64>,
    #[serde(default = "defaults::relative_floor")]
    pub relative_floor: Spanned<f64>,
    #[serde(default = "defaults::max_evidence")]
    pub max_evidence: Spanned<u32>,
}

impl Default for ScoringFile {
    fn default() -> Self {
        Self {
            title_weight: defaults::title_weight(),
            saturation: defaults::saturation(),
            reference_words: defaults::reference_words(),
            length_exponent: defaults::length_exponent(),
            min_body_sentences: defaults::min_body_sentences(),
            anchor_weight: defaults::anchor_weight(),
            relative_floor: defaults::relative_floor(),
            max_evidence: defaults::max_evidence(),
        }
    }
}

mod defaults {
    use toml::Spanned;

    fn unspanned<T>(value: T) -> Spanned<T> {
        Spanned::new(0..0, value)
    }
    pub fn title_weight() -> Spanned<f64> {
        unspanned(2.5)
    }
    pub fn saturation() -> Spanned<f64> {
        unspanned(0.7)
    }
    pub fn reference_words() -> Spanned<f64> {
        unspanned(250.0)
    }
    pub fn length_exponent() -> Spanned<f64> {
        unspanned(0.5)
    }
    pub fn min_body_sentences() -> Spanned<u32> {
        unspanned(2)
    }
    pub fn anchor_weight() -> Spanned<f64> {
        unspanned(1.0)
    }
    pub fn relative_floor() -> Spanned<f64> {
        unspanned(0.2)
    }
    pub fn max_evidence() -> Spanned<u32> {
        unspanned(12)
    }
    pub fn weight() -> Spanned<f64> {
        unspanned(1.0)
    }
    pub fn threshold() -> Spanned<f64> {
        unspanned(0.5)
    }
    pub fn plural_suffixes() -> Vec<String> {
        ["s", "es", "'s", "\u{2019}s"].map(String::from).to_vec()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MatchingFile {
    #[serde(default = "defaults::plural_suffixes")]
    pub plural_suffixes: Vec<String>,
}

impl Default for MatchingFile {
    fn default() -> Self {
        Self {
            plural_suffixes: defaults::plural_suffixes(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProceduralFile {
    pub patterns: Vec<Spanned<ProceduralPatternFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProceduralPatternFile {
    pub name: String,
    pub regex: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TopicFile {
    pub id: Spanned<String>,
    pub label: String,
    pub description: String,
    #[serde(default = "defaults::threshold")]
    pub threshold: Spanned<f64>,
    pub signals: Spanned<Vec<Spanned<SignalFile>>>,
    #[serde(default)]
    pub exclusions: Vec<Spanned<ExclusionFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignalFile {
    pub name: Option<String>,
    pub phrase: Option<String>,
    pub phrases: Option<Vec<String>>,
    pub regex: Option<String>,
    #[serde(default = "defaults::weight")]
    pub weight: Spanned<f64>,
    #[serde(default)]
    pub case_sensitive: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExclusionFile {
    pub phrase: Option<String>,
    pub phrases: Option<Vec<String>>,
    pub regex: Option<String>,
    #[serde(default)]
    pub window: u32,
    #[serde(default)]
    pub signals: Vec<String>,
}

/// A validated taxonomy. Serialised (as JSON) it is the canonical form the
/// version hash is taken over, so reformatting or re-commenting the file
/// does not change the version but any change to what is matched does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Taxonomy {
    pub scoring: Scoring,
    pub plural_suffixes: Vec<String>,
    pub procedural: Vec<ProceduralPattern>,
    pub topics: Vec<Topic>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scoring {
    pub title_weight: f64,
    pub saturation: f64,
    pub reference_words: f64,
    pub length_exponent: f64,
    pub min_body_sentences: u32,
    pub anchor_weight: f64,
    pub relative_floor: f64,
    pub max_evidence: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProceduralPattern {
    pub name: String,
    pub regex: String,
    #[serde(skip)]
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Topic {
    pub id: String,
    pub label: String,
    pub description: String,
    pub threshold: f64,
    pub signals: Vec<Signal>,
    pub exclusions: Vec<Exclusion>,
}

/// What a signal or exclusion looks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// Alternative wordings of the same thing, matched as phrases.
    Phrases(Vec<String>),
    Regex(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    pub name: String,
    pub pattern: Pattern,
    pub weight: f64,
    pub case_sensitive: bool,
    #[serde(skip)]
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exclusion {
    pub pattern: Pattern,
    pub window: u32,
    /// Names of the signals it cancels; empty means all of the topic's.
    pub signals: Vec<String>,
    #[serde(skip)]
    pub line: usize,
}

/// 1-based line of a byte offset, for error messages.
pub(crate) fn line_of(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn line_and_column(source: &str, offset: usize) -> (usize, usize) {
    let end = offset.min(source.len());
    let before = &source.as_bytes()[..end];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = source
        .get(line_start..end)
        .map_or(1, |s| s.chars().count() + 1);
    (line_of(source, offset), column)
}

/// Signal names appear in evidence, so they are derived from the phrase
/// when not given: "Care leaver" -> "care_leaver".
fn name_from_phrase(phrase: &str) -> String {
    let mut name = String::with_capacity(phrase.len());
    for c in phrase.chars() {
        if c.is_alphanumeric() {
            name.extend(c.to_lowercase());
        } else if !name.ends_with('_') && !name.is_empty() {
            name.push('_');
        }
    }
    while name.ends_with('_') {
        name.pop();
    }
    name
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.as_bytes()[0].is_ascii_lowercase()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn check_range(
    source: &str,
    field: &'static str,
    value: &Spanned<f64>,
    low: f64,
    high: f64,
    allowed: &'static str,
) -> Result<f64, TaxonomyError> {
    let v = *value.get_ref();
    if v.is_finite() && v >= low && v <= high {
        Ok(v)
    } else {
        Err(TaxonomyError::OutOfRange {
            line: line_of(source, value.span().start),
            field,
            value: v,
            allowed,
        })
    }
}

/// The one pattern a signal or exclusion must give: `phrase`, `phrases`
/// or `regex`.
fn pattern_of(
    line: usize,
    context: &str,
    phrase: Option<String>,
    phrases: Option<Vec<String>>,
    regex: Option<String>,
) -> Result<Pattern, TaxonomyError> {
    let empty = || TaxonomyError::EmptyPattern {
        line,
        context: context.to_string(),
    };
    match (phrase, phrases, regex) {
        (Some(p), None, None) => {
            let p = p.trim();
            if p.is_empty() {
                return Err(empty());
            }
            Ok(Pattern::Phrases(vec![p.to_string()]))
        }
        (None, Some(list), None) => {
            let list: Vec<String> = list.iter().map(|p| p.trim().to_string()).collect();
            if list.is_empty() || list.iter().any(String::is_empty) {
                return Err(empty());
            }
            Ok(Pattern::Phrases(list))
        }
        (None, None, Some(r)) => {
            if r.is_empty() {
                return Err(empty());
            }
            // Compiled (and any error reported with this line) once, by the
            // matcher: compiling here too only to check it doubled start-up.
            Ok(Pattern::Regex(r))
        }
        _ => Err(TaxonomyError::PatternKind {
            line,
            context: context.to_string(),
        }),
    }
}

/// Parses and validates a taxonomy, reporting the first problem found.
pub(crate) fn parse(source: &str) -> Result<Taxonomy, TaxonomyError> {
    let file: TaxonomyFile = toml::from_str(source).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((0, 0), |span| line_and_column(source, span.start));
        TaxonomyError::Syntax {
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;

    let s = &file.scoring;
    let scoring = Scoring {
        title_weight: check_range(
            source,
            "scoring.title_weight",
            &s.title_weight,
            0.0,
            100.0,
            "0 to 100",
        )?,
        saturation: check_range(
            source,
            "scoring.saturation",
            &s.saturation,
            0.001,
            100.0,
            "0.001 to 100",
        )?,
        reference_words: check_range(
            source,
            "scoring.reference_words",
            &s.reference_words,
            1.0,
            1e6,
            "1 to 1000000",
        )?,
        length_exponent: check_range(
            source,
            "scoring.length_exponent",
            &s.length_exponent,
            0.0,
            1.0,
            "0 to 1",
        )?,
        min_body_sentences: *s.min_body_sentences.get_ref(),
        anchor_weight: check_range(
            source,
            "scoring.anchor_weight",
            &s.anchor_weight,
            0.0,
            10.0,
            "0 to 10",
        )?,
        relative_floor: check_range(
            source,
            "scoring.relative_floor",
            &s.relative_floor,
            0.0,
            1.0,
            "0 to 1",
        )?,
        max_evidence: *s.max_evidence.get_ref(),
    };
    if scoring.max_evidence == 0 {
        return Err(TaxonomyError::OutOfRange {
            line: line_of(source, s.max_evidence.span().start),
            field: "scoring.max_evidence",
            value: 0.0,
            allowed: "at least 1 (every tag carries evidence)",
        });
    }

    let plural_suffixes = file.matching.plural_suffixes;
    if plural_suffixes.iter().any(|s| s.is_empty()) {
        return Err(TaxonomyError::Invalid(
            "matching.plural_suffixes must not contain an empty string".into(),
        ));
    }

    let mut procedural = Vec::new();
    for p in &file.procedural.get_ref().patterns {
        let line = line_of(source, p.span().start);
        let def = p.get_ref();
        let context = format!("procedural pattern \"{}\"", def.name);
        if let Pattern::Regex(regex) =
            pattern_of(line, &context, None, None, Some(def.regex.clone()))?
        {
            procedural.push(ProceduralPattern {
                name: def.name.clone(),
                regex,
                line,
            });
        }
    }
    if procedural.is_empty() {
        return Err(TaxonomyError::EmptySignals {
            line: line_of(source, file.procedural.span().start),
            context: "[procedural]".into(),
        });
    }

    if file.topics.is_empty() {
        return Err(TaxonomyError::NoTopics);
    }
    let mut topics: Vec<Topic> = Vec::with_capacity(file.topics.len());
    let mut id_lines: Vec<(String, usize)> = Vec::new();
    for spanned_topic in file.topics {
        let t = spanned_topic.into_inner();
        let id_line = line_of(source, t.id.span().start);
        let id = t.id.into_inner();
        if !valid_id(&id) {
            return Err(TaxonomyError::BadId { line: id_line, id });
        }
        if let Some((_, first)) = id_lines.iter().find(|(seen, _)| *seen == id) {
            return Err(TaxonomyError::DuplicateTopic {
                line: id_line,
                id,
                first_line: *first,
            });
        }
        id_lines.push((id.clone(), id_line));
        let threshold = check_range(
            source,
            "threshold",
            &t.threshold,
            0.01,
            0.99,
            "0.01 to 0.99",
        )?;
        if t.signals.get_ref().is_empty() {
            return Err(TaxonomyError::EmptySignals {
                line: line_of(source, t.signals.span().start),
                context: format!("topic \"{id}\""),
            });
        }
        let mut signals: Vec<Signal> = Vec::with_capacity(t.signals.get_ref().len());
        for spanned_signal in t.signals.into_inner() {
            let line = line_of(source, spanned_signal.span().start);
            let def = spanned_signal.into_inner();
            let first_phrase = def
                .phrase
                .as_ref()
                .or(def.phrases.as_ref().and_then(|l| l.first()));
            let name = match (&def.name, first_phrase) {
                (Some(n), _) => n.trim().to_string(),
                (None, Some(p)) => name_from_phrase(p),
                (None, None) => String::new(),
            };
            if name.is_empty() {
                return Err(TaxonomyError::Invalid(format!(
                    "line {line}: topic \"{id}\": a regex signal needs a `name`"
                )));
            }
            let context = format!("topic \"{id}\", signal \"{name}\"");
            if signals.iter().any(|s| s.name == name) {
                return Err(TaxonomyError::DuplicateSignal { line, context });
            }
            let weight = check_range(source, "weight", &def.weight, 0.01, 10.0, "0.01 to 10")?;
            let pattern = pattern_of(line, &context, def.phrase, def.phrases, def.regex)?;
            signals.push(Signal {
                name,
                pattern,
                weight,
                case_sensitive: def.case_sensitive,
                line,
            });
        }
        let mut exclusions = Vec::with_capacity(t.exclusions.len());
        for spanned in t.exclusions {
            let line = line_of(source, spanned.span().start);
            let def = spanned.into_inner();
            let context = format!("topic \"{id}\", exclusion");
            if let Some(unknown) = def
                .signals
                .iter()
                .find(|n| !signals.iter().any(|s| &s.name == *n))
            {
                return Err(TaxonomyError::UnknownSignal {
                    line,
                    context,
                    signal: unknown.clone(),
                });
            }
            let pattern = pattern_of(line, &context, def.phrase, def.phrases, def.regex)?;
            exclusions.push(Exclusion {
                pattern,
                window: def.window,
                signals: def.signals,
                line,
            });
        }
        topics.push(Topic {
            id,
            label: t.label,
            description: t.description,
            threshold,
            signals,
            exclusions,
        });
    }
    Ok(Taxonomy {
        scoring,
        plural_suffixes,
        procedural,
        topics,
    })
}

impl Taxonomy {
    /// First 16 hex digits of the SHA-256 of the canonical form.
    pub fn version(&self) -> String {
        use sha2::{Digest, Sha256};
        // Serialising plain structs of strings and numbers cannot fail.
        let canonical = serde_json::to_vec(self).unwrap_or_default();
        let digest = Sha256::digest(&canonical);
        hex::encode(digest)[..16].to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_derived_from_phrases() {
        assert_eq!(name_from_phrase("Care leaver"), "care_leaver");
        assert_eq!(name_from_phrase("EHCP"), "ehcp");
        assert_eq!(name_from_phrase("children's centre"), "children_s_centre");
        assert_eq!(name_from_phrase("18+ service"), "18_service");
    }

    #[test]
    fn line_and_column_are_one_based() {
        let src = "a\nbc\nd";
        assert_eq!(line_and_column(src, 0), (1, 1));
        assert_eq!(line_and_column(src, 3), (2, 2));
        assert_eq!(line_and_column(src, 5), (3, 1));
    }
}
