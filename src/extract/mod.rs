//! Stage 2: bytes of an input file to plain text, page by page.
//!
//! Text files are decoded here directly. PDFs are parsed by
//! [`pdf::extract`], which the daemon only ever calls inside a child process
//! ([`isolate`]) because a hostile PDF can panic, loop or balloon the parser.

mod cid_widths;
pub mod isolate;
mod overprint;
pub mod pdf;
mod plain_text;
pub mod repair;
mod streams;
pub mod text;

use crate::model::{Extraction, Format};
use serde::{Deserialize, Serialize};

/// The text of one input, before segmentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtractedText {
    /// One string per PDF page; a text file is a single page.
    pub pages: Vec<String>,
    pub format: Format,
    pub extraction: Extraction,
    pub warnings: Vec<String>,
}

/// Why an input could not be read. Each variant's message is written for the
/// officer who dropped the file; [`ExtractError::advice`] says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExtractError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is neither a PDF nor a text file ({detail})")]
    NotText { detail: String },
    #[error("the PDF is encrypted and needs a password to open")]
    Encrypted,
    #[error(
        "the PDF has no text layer ({} of images or outlines only): it looks scanned",
        count_pages(*.pages)
    )]
    NoTextLayer { pages: u32 },
    #[error("the PDF is damaged and could not be read: {detail}")]
    Corrupt { detail: String },
    #[error("reading the PDF took longer than the {seconds} s limit")]
    Timeout { seconds: u64 },
    #[error("reading the PDF needed more than the {megabytes} MB memory limit")]
    OutOfMemory { megabytes: u64 },
    #[error("the file is {bytes} bytes, over the {limit} byte limit")]
    TooLarge { bytes: u64, limit: u64 },
    #[error("the file holds {bytes} bytes of text, over the {limit} byte limit for the text of one set of minutes")]
    TooMuchText { bytes: u64, limit: u64 },
    #[error("the PDF reader failed: {detail}")]
    ReaderFailed { detail: String },
}

/// "1 page", "4 pages": messages are read by people.
fn count_pages(pages: u32) -> String {
    if pages == 1 {
        "1 page".to_string()
    } else {
        format!("{pages} pages")
    }
}

impl ExtractError {
    /// What the person who dropped the file can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            Self::Empty => "Check that the file was saved completely, then drop it into the inbox again.",
            Self::NotText { .. } => "Save the minutes as PDF or plain text (.txt) and drop that file into the inbox.",
            Self::Encrypted => "Open the PDF, save a copy without password protection, and drop the copy into the inbox.",
            Self::NoTextLayer { .. } => "Run OCR on the PDF (or export the minutes from the original document as PDF or text), then drop the result into the inbox.",
            Self::Corrupt { .. } | Self::ReaderFailed { .. } => "Download or export the minutes again; if it still fails, re-save the PDF with another program (for example \"Print to PDF\").",
            Self::Timeout { .. } | Self::OutOfMemory { .. } => "The PDF may be damaged or unusually complex. Re-save it with \"Print to PDF\", or raise the limit in the [extract] section of the configuration.",
            Self::TooLarge { .. } => "Split the file, or raise limits.max_file_bytes in the configuration if such files are expected.",
            Self::TooMuchText { .. } => "Check that this is a set of minutes; split it, or raise limits.max_text_bytes in the configuration if such files are expected.",
        }
    }
}

/// Reads any supported input: PDFs in-process (callers that face untrusted
/// input use [`isolate`] instead), anything else as text.
pub fn extract_in_process(bytes: &[u8]) -> Result<ExtractedText, ExtractError> {
    if pdf::looks_like_pdf(bytes) {
        pdf::extract(bytes)
    } else {
        text::decode(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_count_pages_in_words() {
        assert_eq!(
            ExtractError::NoTextLayer { pages: 1 }.to_string(),
            "the PDF has no text layer (1 page of images or outlines only): it looks scanned"
        );
        assert!(ExtractError::NoTextLayer { pages: 4 }
            .to_string()
            .contains("(4 pages of"));
    }
}
