//! Rebuilds the cross-reference table of a damaged PDF.
//!
//! A PDF cut short by an interrupted download or e-mail gateway loses its
//! cross-reference table and trailer, which sit at the end of the file, so
//! the parser cannot find any object although nearly all of them are intact.
//! Desktop readers recover such files by scanning for `N G obj` headers; this
//! does the same and appends a fresh table and trailer that lopdf can load.

use regex::bytes::Regex;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

/// `12 0 obj`; the number must not be the tail of a longer token, which is
/// checked by hand because the regex crate has no look-behind.
static OBJECT_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{1,10})[\x00\t\n\x0C\r ]+(\d{1,5})[\x00\t\n\x0C\r ]+obj\b")
        .expect("valid regex")
});

/// A trailer entry that points to an object: `/Root 1 0 R`.
static TRAILER_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/(Root|Info|Encrypt)[\x00\t\n\x0C\r ]*(\d{1,10})[\x00\t\n\x0C\r ]+(\d{1,5})[\x00\t\n\x0C\r ]+R\b").expect("valid regex")
});

/// The file identifier, needed to decrypt: `/ID [<ab12> <cd34>]`.
static TRAILER_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/ID[\x00\t\n\x0C\r ]*\[[\x00\t\n\x0C\r ]*<[0-9A-Fa-f\s]*>[\x00\t\n\x0C\r ]*<[0-9A-Fa-f\s]*>[\x00\t\n\x0C\r ]*\]").expect("valid regex")
});

static CATALOG_TYPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/Type[\x00\t\n\x0C\r ]*/Catalog\b").expect("valid regex"));

/// Highest object number the PDF format allows.
const MAX_OBJECT_NUMBER: u64 = 8_388_607;

/// What the rebuild found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    /// The file from its `%PDF-` header on, with a new table and trailer appended.
    pub bytes: Vec<u8>,
    pub objects: usize,
}

/// Returns the file with a rebuilt cross-reference table, or `None` when no
/// objects or no document catalog can be found.
pub fn rebuild_xref(bytes: &[u8]) -> Option<Rebuilt> {
    let start = find(bytes, b"%PDF-", 0)?;
    let body = &bytes[start..];
    let objects = scan_objects(body);
    if objects.is_empty() {
        return None;
    }
    // The catalog may sit in an object stream, where no scan can see it;
    // a surviving trailer or cross-reference stream still names it.
    let root = trailer_ref(body, "Root").or_else(|| catalog_object(body, &objects))?;

    let mut out = Vec::with_capacity(body.len() + objects.len() * 20 + 256);
    out.extend_from_slice(body);
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let xref_offset = out.len();
    let max_id = objects.keys().next_back().copied().unwrap_or(0);
    let mut table = String::from("xref\n0 1\n0000000000 65535 f \n");
    for run in contiguous_runs(&objects) {
        let _ = writeln!(table, "{} {}", run[0].0, run.len());
        for (_, (offset, generation)) in run {
            let _ = writeln!(table, "{offset:010} {generation:05} n ");
        }
    }
    let mut trailer = format!(
        "trailer\n<< /Size {} /Root {} {} R",
        max_id + 1,
        root.0,
        root.1
    );
    for key in ["Info", "Encrypt"] {
        if let Some((number, generation)) = trailer_ref(body, key) {
            let _ = write!(trailer, " /{key} {number} {generation} R");
        }
    }
    if let Some(id) = TRAILER_ID.find_iter(body).last() {
        trailer.push(' ');
        trailer.push_str(&String::from_utf8_lossy(id.as_bytes()));
    }
    let _ = write!(trailer, " >>\nstartxref\n{xref_offset}\n%%EOF\n");
    out.extend_from_slice(table.as_bytes());
    out.extend_from_slice(trailer.as_bytes());
    Some(Rebuilt {
        bytes: out,
        objects: objects.len(),
    })
}

/// Object number -> (offset, generation) of its last definition, skipping
/// stream data so that bytes inside a stream are never taken for headers.
fn scan_objects(body: &[u8]) -> BTreeMap<u32, (usize, u16)> {
    let mut objects = BTreeMap::new();
    let mut position = 0;
    while let Some(found) = OBJECT_HEADER.captures_at(body, position) {
        let Some(whole) = found.get(0) else { break };
        position = whole.end();
        let preceded_by_token = whole.start() > 0 && !is_delimiter(body[whole.start() - 1]);
        let number = parse_number(found.get(1).map(|m| m.as_bytes()));
        let generation = parse_number(found.get(2).map(|m| m.as_bytes()));
        if let (false, Some(number), Some(generation)) = (preceded_by_token, number, generation) {
            if (1..=MAX_OBJECT_NUMBER).contains(&number) && generation <= u64::from(u16::MAX) {
                // Later definitions win, as with incremental updates.
                objects.insert(number as u32, (whole.start(), generation as u16));
            }
        }
        position = skip_stream_data(body, position);
    }
    objects
}

/// From just after an object header, moves past the object's stream data,
/// if the object has a stream before its `endobj`.
fn skip_stream_data(body: &[u8], from: usize) -> usize {
    let endobj = find(body, b"endobj", from);
    let stream = find(body, b"stream", from);
    match (stream, endobj) {
        (Some(stream), Some(endobj)) if stream > endobj => from,
        (Some(stream), _) => match find(body, b"endstream", stream + b"stream".len()) {
            Some(end) => end + b"endstream".len(),
            // A stream cut off by truncation: nothing after it is whole.
            None => body.len(),
        },
        (None, _) => from,
    }
}

fn trailer_ref(body: &[u8], key: &str) -> Option<(u32, u16)> {
    TRAILER_REF
        .captures_iter(body)
        .filter(|c| c.get(1).is_some_and(|k| k.as_bytes() == key.as_bytes()))
        .filter_map(|c| {
            let number = parse_number(c.get(2).map(|m| m.as_bytes()))?;
            let generation = parse_number(c.get(3).map(|m| m.as_bytes()))?;
            Some((u32::try_from(number).ok()?, u16::try_from(generation).ok()?))
        })
        .last()
}

/// The object whose dictionary says `/Type /Catalog`, when no trailer survives.
fn catalog_object(body: &[u8], objects: &BTreeMap<u32, (usize, u16)>) -> Option<(u32, u16)> {
    let at = CATALOG_TYPE.find_iter(body).last()?.start();
    objects
        .iter()
        .filter(|(_, (offset, _))| *offset < at)
        .max_by_key(|(_, (offset, _))| *offset)
        .map(|(&number, &(_, generation))| (number, generation))
}

fn contiguous_runs(objects: &BTreeMap<u32, (usize, u16)>) -> Vec<Vec<(u32, (usize, u16))>> {
    let mut runs: Vec<Vec<(u32, (usize, u16))>> = Vec::new();
    for (&number, &entry) in objects {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|(last, _)| last + 1 == number) => {
                run.push((number, entry))
            }
            _ => runs.push(vec![(number, entry)]),
        }
    }
    runs
}

fn parse_number(digits: Option<&[u8]>) -> Option<u64> {
    std::str::from_utf8(digits?).ok()?.parse().ok()
}

fn is_delimiter(byte: u8) -> bool {
    matches!(
        byte,
        b'\0'
            | b'\t'
            | b'\n'
            | b'\x0C'
            | b'\r'
            | b' '
            | b'('
            | b')'
            | b'<'
            | b'>'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'/'
            | b'%'
    )
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    //! Damaged PDFs here are made in code for these tests.
    use super::*;
    use crate::extract::pdf::tests::build_pdf;

    fn page_count(bytes: &[u8]) -> Option<usize> {
        lopdf::Document::load_mem(bytes)
            .ok()
            .map(|d| d.get_pages().len())
    }

    #[test]
    fn truncated_file_loads_again_after_rebuild() {
        let whole = build_pdf(&[Some("one"), Some("two"), Some("three")]);
        let cut = &whole[..whole.len() - 40];
        assert_eq!(
            page_count(cut),
            None,
            "the cut must break the file for this test to mean anything"
        );
        let rebuilt = rebuild_xref(cut).expect("rebuilds");
        assert_eq!(page_count(&rebuilt.bytes), Some(3));
        assert_eq!(
            rebuilt.objects,
            lopdf::Document::load_mem(&whole)
                .expect("whole loads")
                .objects
                .len()
        );
    }

    #[test]
    fn leading_junk_is_dropped_and_offsets_stay_right() {
        let mut junk = b"HTTP/1.1 200 OK\r\n\r\n".to_vec();
        let whole = build_pdf(&[Some("one")]);
        junk.extend_from_slice(&whole[..whole.len() - 30]);
        let rebuilt = rebuild_xref(&junk).expect("rebuilds");
        assert!(rebuilt.bytes.starts_with(b"%PDF-"));
        assert_eq!(page_count(&rebuilt.bytes), Some(1));
    }

    #[test]
    fn headers_inside_stream_data_are_not_objects() {
        let body = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n\
2 0 obj\n<< /Length 20 >>\nstream\n9 0 obj << >> endobj\nendstream\nendobj\n\
3 0 obj\n(after)\nendobj\n";
        let objects = scan_objects(body);
        assert_eq!(objects.keys().copied().collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn later_definitions_win_like_incremental_updates() {
        let body = b"%PDF-1.4\n1 0 obj\n(old)\nendobj\n1 0 obj\n(new)\nendobj\n";
        let objects = scan_objects(body);
        let offset = objects[&1].0;
        assert!(body[offset..].starts_with(b"1 0 obj\n(new)"));
    }

    #[test]
    fn numbers_glued_to_other_tokens_are_not_headers() {
        let body = b"%PDF-1.4\n/Name12 0 obj\nendobj\n";
        assert!(scan_objects(body).is_empty());
    }

    #[test]
    fn catalog_is_found_without_a_trailer() {
        let body = b"%PDF-1.4\n4 0 obj\n<< /Type /Catalog /Pages 5 0 R >>\nendobj\n\
5 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n";
        let rebuilt = rebuild_xref(body).expect("rebuilds");
        let text = String::from_utf8_lossy(&rebuilt.bytes);
        assert!(text.contains("/Root 4 0 R"), "{text}");
        assert!(
            text.contains("xref\n0 1\n0000000000 65535 f \n4 2\n"),
            "{text}"
        );
    }

    #[test]
    fn nothing_to_rebuild_from_is_none() {
        assert_eq!(rebuild_xref(b"no header here"), None);
        assert_eq!(rebuild_xref(b"%PDF-1.4\nno objects at all\n"), None);
        // Objects but no catalog: no document to rebuild.
        assert_eq!(rebuild_xref(b"%PDF-1.4\n1 0 obj\n(x)\nendobj\n"), None);
    }

    #[test]
    fn trailer_keys_needed_for_decryption_are_carried_over() {
        let body = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\
trailer\n<< /Root 1 0 R /Encrypt 7 0 R /ID [<0A0B> <0C0D>] >>\n";
        let rebuilt = rebuild_xref(body).expect("rebuilds");
        let text = String::from_utf8_lossy(&rebuilt.bytes);
        let trailer = text.rsplit("trailer").next().unwrap_or_default();
        assert!(trailer.contains("/Encrypt 7 0 R"), "{trailer}");
        assert!(trailer.contains("/ID [<0A0B> <0C0D>]"), "{trailer}");
    }
}
