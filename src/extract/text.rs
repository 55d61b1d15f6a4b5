//! Decoding text files: UTF-8 (with or without BOM), UTF-16 with BOM and
//! Windows-1252, as saved by council PCs.
//!
//! Officers' text files come from Word's "save as plain text" (Windows-1252
//! unless told otherwise), Notepad (UTF-8, or UTF-16 with a BOM when "Unicode"
//! is picked) and web exports (UTF-8). Nothing in a text file says which, so
//! the byte patterns decide: a BOM wins, then valid UTF-8, then Windows-1252,
//! which can decode any byte and is what a legacy Windows PC would have meant.

use super::{ExtractError, ExtractedText};
use crate::model::{Extraction, ExtractionMethod, Format};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Above this share of control characters a "text" file is really binary.
/// Real minutes have none besides tabs, newlines and form feeds.
const MAX_CONTROL_SHARE: f64 = 0.02;

/// How many leading bytes are inspected to recognise binary formats and
/// BOM-less UTF-16.
const SNIFF_LEN: usize = 4096;

/// Decodes one text file into a single page of LF-terminated text.
pub fn decode(bytes: &[u8]) -> Result<ExtractedText, ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    if let Some(format) = known_binary_format(bytes) {
        return Err(ExtractError::NotText {
            detail: format!("it looks like {format}"),
        });
    }
    if looks_like_html(bytes) {
        return Err(ExtractError::NotText {
            detail: "it is a web page (HTML), not the minutes' text".to_string(),
        });
    }

    let mut warnings = Vec::new();
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => (encoding, &bytes[bom_len..]),
        None => (sniff_encoding(bytes, &mut warnings)?, bytes),
    };

    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        let replaced = text.matches('\u{FFFD}').count();
        warnings.push(format!(
            "{replaced} byte sequence(s) were not valid {} and were replaced with \u{FFFD}",
            encoding.name()
        ));
    }

    check_not_binary(&text)?;
    let text = normalise_newlines(&text);
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }

    Ok(ExtractedText {
        pages: vec![text],
        format: Format::Text,
        extraction: Extraction {
            method: ExtractionMethod::Text,
            encoding: Some(encoding.name().to_string()),
        },
        warnings,
    })
}

/// Picks the encoding of a file without a BOM.
fn sniff_encoding(
    bytes: &[u8],
    warnings: &mut Vec<String>,
) -> Result<&'static Encoding, ExtractError> {
    if let Some(encoding) = bomless_utf16(bytes) {
        warnings.push(format!(
            "the file has no byte order mark; its byte pattern says {}",
            encoding.name()
        ));
        return Ok(encoding);
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(ExtractError::NotText {
            detail: format!("it contains a NUL byte at offset {offset}, which text files do not"),
        });
    }
    let utf8 = Utf8Census::of(bytes);
    if utf8.invalid == 0 {
        return Ok(UTF_8);
    }
    // A few bad bytes in an otherwise UTF-8 file (a pasted fragment, a cut
    // at the end) are better replaced than the whole file misread as 1252,
    // which would turn every "£" and curly quote into two wrong characters.
    if utf8.multibyte > utf8.invalid {
        return Ok(UTF_8);
    }
    warnings.push("the file is not valid UTF-8; it was read as Windows-1252".to_string());
    Ok(WINDOWS_1252)
}

/// Counts well-formed multi-byte UTF-8 characters and malformed sequences.
struct Utf8Census {
    multibyte: usize,
    invalid: usize,
}

impl Utf8Census {
    fn of(mut bytes: &[u8]) -> Self {
        let mut census = Self {
            multibyte: 0,
            invalid: 0,
        };
        loop {
            match std::str::from_utf8(bytes) {
                Ok(valid) => {
                    census.count_valid(valid);
                    return census;
                }
                Err(error) => {
                    let (valid, rest) = bytes.split_at(error.valid_up_to());
                    census.count_valid(std::str::from_utf8(valid).unwrap_or_default());
                    census.invalid += 1;
                    // `None` means the input ends mid-sequence.
                    let skip = error.error_len().unwrap_or(rest.len()).max(1);
                    bytes = rest.get(skip..).unwrap_or_default();
                }
            }
        }
    }

    fn count_valid(&mut self, valid: &str) {
        self.multibyte += valid.chars().filter(|c| !c.is_ascii()).count();
    }
}

/// UTF-16 without a BOM shows as a NUL in every other byte for Latin text.
/// Only a strong, consistent pattern counts, so binary files with scattered
/// NULs are still rejected.
fn bomless_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(SNIFF_LEN) & !1];
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zero_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even_zeros, odd_zeros) = (zero_at(0), zero_at(1));
    let strong = |zeros: usize| zeros * 10 >= pairs * 9;
    let rare = |zeros: usize| zeros * 20 <= pairs;
    if strong(odd_zeros) && rare(even_zeros) {
        Some(UTF_16LE)
    } else if strong(even_zeros) && rare(odd_zeros) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Names formats officers commonly drop by mistake, so the error can say
/// what the file really is.
fn known_binary_format(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (
            b"PK\x03\x04",
            "a ZIP archive (a Word .docx or other Office file)",
        ),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an old-style Office file (.doc, .xls or .msg)",
        ),
        (b"{\\rtf", "a Rich Text Format (.rtf) document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
        (b"\x1F\x8B", "a gzip archive"),
    ];
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|&(_, name)| name)
}

/// A minutes page saved from the browser ("Save page as") instead of as
/// text: its markup would be read as the minutes. Only the start is checked,
/// so minutes that quote a tag are still text.
fn looks_like_html(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start: Vec<u8> = start
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    [&b"<!doctype html"[..], b"<html", b"<?xml"]
        .iter()
        .any(|tag| start.starts_with(tag))
}

/// Rejects decoded text that is mostly control characters: a binary file
/// that happened to decode.
fn check_not_binary(text: &str) -> Result<(), ExtractError> {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return Err(ExtractError::NotText {
                detail: "it contains NUL characters, which text files do not".to_string(),
            });
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}') {
            control += 1;
        }
    }
    if total > 0 && control as f64 / total as f64 > MAX_CONTROL_SHARE {
        let percent = control * 100 / total;
        return Err(ExtractError::NotText {
            detail: format!(
                "{control} of its {total} characters ({percent}%) are control characters, so it is binary data"
            ),
        });
    }
    Ok(())
}

/// Windows (CRLF) and old Mac (CR) line ends become LF.
fn normalise_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    //! All fixtures here are constructed in code for these tests.
    use super::*;

    fn page(result: Result<ExtractedText, ExtractError>) -> (String, String, Vec<String>) {
        let extracted = result.expect("decodes");
        assert_eq!(extracted.format, Format::Text);
        assert_eq!(extracted.extraction.method, ExtractionMethod::Text);
        assert_eq!(extracted.pages.len(), 1);
        let encoding = extracted
            .extraction
            .encoding
            .clone()
            .expect("encoding recorded");
        (extracted.pages[0].clone(), encoding, extracted.warnings)
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if big_endian {
                [0xFE, 0xFF]
            } else {
                [0xFF, 0xFE]
            });
        }
        for unit in text.encode_utf16() {
            out.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    }

    const SAMPLE: &str = "Minutes \u{2013} Children\u{2019}s Services\r\nBudget: \u{A3}1.2m \u{201C}agreed\u{201D}\r\n";
    const SAMPLE_LF: &str =
        "Minutes \u{2013} Children\u{2019}s Services\nBudget: \u{A3}1.2m \u{201C}agreed\u{201D}\n";

    #[test]
    fn utf8_without_bom() {
        let (text, encoding, warnings) = page(decode(SAMPLE.as_bytes()));
        assert_eq!(text, SAMPLE_LF);
        assert_eq!(encoding, "UTF-8");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(SAMPLE.as_bytes());
        let (text, encoding, _) = page(decode(&bytes));
        assert_eq!(text, SAMPLE_LF);
        assert_eq!(encoding, "UTF-8");
    }

    #[test]
    fn utf16_le_and_be_with_bom() {
        let (text, encoding, _) = page(decode(&utf16(SAMPLE, false, true)));
        assert_eq!((text.as_str(), encoding.as_str()), (SAMPLE_LF, "UTF-16LE"));
        let (text, encoding, _) = page(decode(&utf16(SAMPLE, true, true)));
        assert_eq!((text.as_str(), encoding.as_str()), (SAMPLE_LF, "UTF-16BE"));
    }

    #[test]
    fn utf16_without_bom_is_recognised_by_its_zero_bytes() {
        let (text, encoding, warnings) = page(decode(&utf16(SAMPLE, false, false)));
        assert_eq!((text.as_str(), encoding.as_str()), (SAMPLE_LF, "UTF-16LE"));
        assert_eq!(warnings.len(), 1);
        let (_, encoding, _) = page(decode(&utf16(SAMPLE, true, false)));
        assert_eq!(encoding, "UTF-16BE");
    }

    #[test]
    fn windows_1252_keeps_pound_sign_and_curly_quotes() {
        // Word "save as text" bytes: 0xA3 pound, 0x92 right single quote,
        // 0x93/0x94 double quotes, 0x96 en dash.
        let bytes = b"Minutes \x96 Children\x92s Services\r\nBudget: \xA31.2m \x93agreed\x94\r\n";
        let (text, encoding, warnings) = page(decode(bytes));
        assert_eq!(text, SAMPLE_LF);
        assert_eq!(encoding, "windows-1252");
        assert!(warnings[0].contains("Windows-1252"), "{warnings:?}");
    }

    #[test]
    fn mostly_utf8_with_one_stray_byte_stays_utf8() {
        let mut bytes = SAMPLE.as_bytes().to_vec();
        bytes.extend(b"stray \xA3 byte\n");
        let (text, encoding, warnings) = page(decode(&bytes));
        assert_eq!(encoding, "UTF-8");
        assert!(text.starts_with(SAMPLE_LF));
        assert!(text.contains("stray \u{FFFD} byte"));
        assert!(warnings[0].contains("1 byte sequence"), "{warnings:?}");
    }

    #[test]
    fn line_endings_are_normalised() {
        let (text, _, _) = page(decode(b"one\r\ntwo\rthree\nfour\r\r\nfive"));
        assert_eq!(text, "one\ntwo\nthree\nfour\n\nfive");
    }

    #[test]
    fn empty_and_whitespace_only_are_empty() {
        assert_eq!(decode(b""), Err(ExtractError::Empty));
        assert_eq!(decode(b" \r\n\t\n"), Err(ExtractError::Empty));
        assert_eq!(decode(b"\xEF\xBB\xBF  \n"), Err(ExtractError::Empty));
        assert_eq!(
            decode(&utf16(" \r\n ", false, true)),
            Err(ExtractError::Empty)
        );
    }

    #[test]
    fn nul_bytes_without_bom_are_binary() {
        let mut bytes = b"Minutes of the meeting".to_vec();
        bytes.extend([0, 0, 0, 1, 2, 3]);
        match decode(&bytes) {
            Err(ExtractError::NotText { detail }) => {
                assert!(detail.contains("NUL byte at offset 22"), "{detail}")
            }
            other => panic!("expected NotText, got {other:?}"),
        }
    }

    #[test]
    fn many_control_characters_are_binary() {
        let bytes: Vec<u8> = (0..400u32)
            .map(|i| if i % 5 == 0 { 0x07 } else { b'a' })
            .collect();
        match decode(&bytes) {
            Err(ExtractError::NotText { detail }) => {
                assert!(detail.contains("control characters"), "{detail}")
            }
            other => panic!("expected NotText, got {other:?}"),
        }
    }

    #[test]
    fn office_files_are_named_in_the_error() {
        match decode(b"PK\x03\x04\x14\x00\x06\x00rest of a docx") {
            Err(ExtractError::NotText { detail }) => assert!(detail.contains(".docx"), "{detail}"),
            other => panic!("expected NotText, got {other:?}"),
        }
    }

    #[test]
    fn saved_web_pages_are_not_text() {
        for page in [
            &b"<!DOCTYPE html>\n<html><body>Minutes</body></html>"[..],
            b"\xEF\xBB\xBF  <HTML>\n<p>Minutes</p>",
        ] {
            match decode(page) {
                Err(ExtractError::NotText { detail }) => {
                    assert!(detail.contains("HTML"), "{detail}")
                }
                other => panic!("expected NotText, got {other:?}"),
            }
        }
        // Minutes that merely mention a tag further in are still text.
        assert!(decode(b"Minutes\nThe <html> export was discussed.\n").is_ok());
    }

    #[test]
    fn form_feeds_and_tabs_are_text() {
        let (text, _, _) = page(decode(b"Item 1\tTitle\n\x0cItem 2\n"));
        assert_eq!(text, "Item 1\tTitle\n\x0cItem 2\n");
    }
}
