//! Decoding text files: UTF-8 (with or without BOM), UTF-16 with BOM and
//! Windows-1252, as saved by council PCs.

use super::{ExtractError, ExtractedText};

pub fn decode(bytes: &[u8]) -> Result<ExtractedText, ExtractError> {
    let _ = bytes;
    todo!("extract::text::decode")
}
