//! PDF text with pdf-extract, falling back to lopdf for damaged files.

use super::{ExtractError, ExtractedText};

/// True when the bytes start like a PDF (allowing leading junk, as readers do).
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes.len() >= 5
        && bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
}

pub fn extract(bytes: &[u8]) -> Result<ExtractedText, ExtractError> {
    let _ = bytes;
    todo!("extract::pdf::extract")
}
