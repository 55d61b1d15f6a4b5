//! The pure analysis pipeline: extracted text in, document out. No I/O.

use crate::classify::Classifier;
use crate::extract::ExtractedText;
use crate::model::{Document, Source, SCHEMA_VERSION};

/// Identity of the input, known before its text is read.
#[derive(Debug, Clone)]
pub struct InputIdentity {
    pub file: String,
    pub folder: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Segments, classifies and finds follow-ups in one extracted input.
pub fn analyse(
    input: &InputIdentity,
    extracted: ExtractedText,
    classifier: &Classifier,
) -> Document {
    let paginated = extracted.format == crate::model::Format::Pdf;
    let seg = crate::segment::segment(&extracted.pages, paginated);
    let mut items = seg.items;
    for item in &mut items {
        let c = classifier.classify(&item.title, &item.text);
        item.procedural = c.procedural;
        item.topics = c.topics;
    }
    // Only minutes and decision records say what a meeting asked for: an
    // agenda pack (which may carry last meeting's draft minutes), a report
    // or a stray file must not raise follow-up alerts.
    let follow_ups = if seg.kind.records_a_meeting() {
        crate::followups::detect(&seg.meeting, &items)
    } else {
        Vec::new()
    };
    let mut warnings = extracted.warnings;
    warnings.extend(seg.warnings);
    if !seg.kind.records_a_meeting() {
        warnings.push(format!(
            "the text reads as {} rather than minutes: follow-ups are not read from it",
            seg.kind.as_str()
        ));
    }
    Document {
        schema_version: SCHEMA_VERSION,
        source: Source {
            file: input.file.clone(),
            folder: input.folder.clone(),
            sha256: input.sha256.clone(),
            bytes: input.bytes,
            format: extracted.format,
            pages: paginated.then_some(extracted.pages.len() as u32),
            extraction: extracted.extraction,
            warnings,
        },
        kind: seg.kind,
        kind_evidence: seg.kind_evidence,
        meeting: seg.meeting,
        taxonomy_version: classifier.version().to_string(),
        items,
        follow_ups,
    }
}
