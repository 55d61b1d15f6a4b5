//! PDF text with pdf-extract, falling back to lopdf for damaged files.
//!
//! The document is loaded once with lopdf (which decrypts files that only
//! carry an owner password), then each page is read by pdf-extract, whose
//! layout-aware output keeps words and lines apart. A page pdf-extract
//! cannot read is read by lopdf's simpler text extraction instead, so one bad
//! font does not cost the whole document. Text stays raw: headers, footers
//! and hyphenation are the segment stage's business.

use super::{ExtractError, ExtractedText};
use crate::model::{Extraction, ExtractionMethod, Format};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// True when the bytes start like a PDF (allowing leading junk, as readers do).
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes.len() >= 5
        && bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
}

/// A page with fewer non-whitespace characters than this has no usable text
/// (page numbers or a stray mark on a scanned page).
const MIN_PAGE_CHARS: usize = 3;

/// Reads every page of a PDF. The result has exactly one string per page.
pub fn extract(bytes: &[u8]) -> Result<ExtractedText, ExtractError> {
    match catch_unwind(AssertUnwindSafe(|| extract_unguarded(bytes))) {
        Ok(result) => result,
        Err(panic) => Err(ExtractError::ReaderFailed {
            detail: format!("the PDF parser crashed: {}", panic_message(&panic)),
        }),
    }
}

fn extract_unguarded(bytes: &[u8]) -> Result<ExtractedText, ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    let document = load(bytes)?;
    let pages = document.get_pages();
    if pages.is_empty() {
        return Err(ExtractError::Corrupt {
            detail: "it has no pages".to_string(),
        });
    }

    let mut texts = Vec::with_capacity(pages.len());
    let mut lopdf_pages = Vec::new();
    let mut failed_pages = Vec::new();
    let mut last_failure = String::new();
    for &number in pages.keys() {
        match read_page(&document, number) {
            PageText::PdfExtract(text) => texts.push(text),
            PageText::Lopdf(text, why) => {
                lopdf_pages.push(number);
                last_failure = why;
                texts.push(text);
            }
            PageText::Failed(why) => {
                failed_pages.push(number);
                last_failure = why;
                texts.push(String::new());
            }
        }
    }

    let page_count = u32::try_from(texts.len()).unwrap_or(u32::MAX);
    if failed_pages.len() == texts.len() {
        // Both readers failing on every page means the page content itself
        // is broken, not one reader's blind spot.
        return Err(ExtractError::Corrupt {
            detail: format!("no page could be read ({last_failure})"),
        });
    }
    let texts: Vec<String> = texts.iter().map(|t| normalise_newlines(t)).collect();
    let blank: Vec<u32> = pages
        .keys()
        .zip(&texts)
        .filter(|(_, text)| !has_text(text))
        .map(|(&number, _)| number)
        .collect();
    if blank.len() == texts.len() {
        return Err(ExtractError::NoTextLayer { pages: page_count });
    }

    let mut warnings = Vec::new();
    let method = if lopdf_pages.is_empty() {
        ExtractionMethod::PdfExtract
    } else {
        warnings.push(format!(
            "pdf-extract could not read {} ({last_failure}); lopdf's simpler text extraction was used there, so word spacing and line breaks may be off",
            describe_pages(&lopdf_pages)
        ));
        ExtractionMethod::Lopdf
    };
    if !failed_pages.is_empty() {
        warnings.push(format!(
            "no text could be read from {} ({last_failure})",
            describe_pages(&failed_pages)
        ));
    }
    let blank_only: Vec<u32> = blank
        .into_iter()
        .filter(|n| !failed_pages.contains(n))
        .collect();
    if !blank_only.is_empty() {
        warnings.push(format!(
            "{} of {page_count} had no text (blank, or scanned images that need OCR)",
            describe_pages(&blank_only)
        ));
    }

    Ok(ExtractedText {
        pages: texts,
        format: Format::Pdf,
        extraction: Extraction {
            method,
            encoding: None,
        },
        warnings,
    })
}

/// Loads the document, decrypting it when the empty user password opens it.
fn load(bytes: &[u8]) -> Result<lopdf::Document, ExtractError> {
    let mut document = lopdf::Document::load_mem(bytes).map_err(|error| load_error(&error))?;
    // lopdf decrypts on load when the empty password works; a document still
    // carrying /Encrypt needs a password we do not have.
    if document.is_encrypted() {
        document.decrypt("").map_err(|error| match error {
            lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => ExtractError::Encrypted,
            other => load_error(&other),
        })?;
    }
    Ok(document)
}

fn load_error(error: &lopdf::Error) -> ExtractError {
    match error {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => ExtractError::Encrypted,
        other => ExtractError::Corrupt {
            detail: other.to_string(),
        },
    }
}

enum PageText {
    PdfExtract(String),
    /// Text from lopdf, and why pdf-extract could not give it.
    Lopdf(String, String),
    Failed(String),
}

fn read_page(document: &lopdf::Document, number: u32) -> PageText {
    let primary = catch_unwind(AssertUnwindSafe(|| {
        let mut text = String::new();
        let mut output = pdf_extract::PlainTextOutput::new(&mut text);
        pdf_extract::output_doc_page(document, &mut output, number).map(|()| text)
    }));
    let why = match primary {
        Ok(Ok(text)) => return PageText::PdfExtract(text),
        Ok(Err(error)) => describe_output_error(&error),
        Err(panic) => format!("it crashed: {}", panic_message(&panic)),
    };
    match catch_unwind(AssertUnwindSafe(|| document.extract_text(&[number]))) {
        Ok(Ok(text)) => PageText::Lopdf(text, why),
        Ok(Err(error)) => PageText::Failed(format!("{why}; lopdf: {error}")),
        Err(panic) => PageText::Failed(format!("{why}; lopdf crashed: {}", panic_message(&panic))),
    }
}

fn describe_output_error(error: &pdf_extract::OutputError) -> String {
    match error {
        pdf_extract::OutputError::PdfError(e) => e.to_string(),
        other => format!("{other:?}"),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

fn has_text(text: &str) -> bool {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .take(MIN_PAGE_CHARS)
        .count()
        >= MIN_PAGE_CHARS
}

fn normalise_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// "page 3" or "pages 2, 5, 7".
fn describe_pages(pages: &[u32]) -> String {
    let list: Vec<String> = pages.iter().map(u32::to_string).collect();
    match pages.len() {
        1 => format!("page {}", list[0]),
        _ => format!("pages {}", list.join(", ")),
    }
}
