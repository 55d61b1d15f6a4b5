//! PDF text with pdf-extract, falling back to lopdf for damaged files.
//!
//! The document is loaded once with lopdf (which decrypts files that only
//! carry an owner password); a file whose cross-reference table is lost is
//! loaded from a rebuilt one ([`repair`]). Each page is then read by
//! pdf-extract, whose layout-aware output keeps words and lines apart. A page
//! pdf-extract cannot read is read by lopdf's simpler text extraction
//! instead, so one bad font does not cost the whole document. Text stays
//! raw: headers, footers and hyphenation are the segment stage's business.

use super::overprint::OverprintFilter;
use super::plain_text::PlainText;
use super::{cid_widths, repair, streams, ExtractError, ExtractedText};
use crate::model::{Extraction, ExtractionMethod, Format};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// True when the bytes start like a PDF (allowing leading junk, as readers do).
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes.len() >= 5
        && bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
}

/// A page with fewer non-whitespace characters than this has no text of
/// its own: publishing systems stamp "Page 12" or "Agenda Item 5 Page 12"
/// as text onto scanned pages, and a scan with only those is still a scan.
const MIN_PAGE_CHARS: usize = 20;

/// Reads every page of a PDF. The result has exactly one string per page.
pub fn extract(bytes: &[u8]) -> Result<ExtractedText, ExtractError> {
    match catch_unwind(AssertUnwindSafe(|| extract_unguarded(bytes))) {
        Ok(result) => result,
        // The parser's own words (a Rust panic message) mean nothing to the
        // officer who reads the error record.
        Err(_) => Err(ExtractError::Corrupt {
            detail: "something in it stopped the PDF reader".into(),
        }),
    }
}

fn extract_unguarded(bytes: &[u8]) -> Result<ExtractedText, ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    let (mut document, repair_warning) = load(bytes)?;
    cid_widths::normalise(&mut document);
    streams::decode_once(&mut document);
    let pages = document.get_pages();

    let mut texts = Vec::with_capacity(pages.len());
    let mut lopdf_pages = Vec::new();
    let mut failed_pages = Vec::new();
    let mut last_failure = String::new();
    for (&number, &page_id) in &pages {
        match read_page(&document, number, page_id) {
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
            detail: "none of its pages could be read".into(),
        });
    }
    let texts: Vec<String> = texts.iter().map(|t| tidy_page_text(t)).collect();
    let blank: Vec<u32> = pages
        .keys()
        .zip(&texts)
        .filter(|(_, text)| !has_text(text))
        .map(|(&number, _)| number)
        .collect();
    if blank.len() == texts.len() {
        // Pages the full reader choked on (a form that draws itself, a
        // structure it could not follow) are damage, not a scan: telling
        // the officer to run OCR would send them the wrong way.
        if !lopdf_pages.is_empty() || !failed_pages.is_empty() {
            return Err(ExtractError::Corrupt {
                detail: "its pages could not be read properly".into(),
            });
        }
        return Err(ExtractError::NoTextLayer { pages: page_count });
    }

    let mut warnings: Vec<String> = repair_warning.into_iter().collect();
    if let Some(declared) = declared_page_count(&document) {
        if declared > u64::from(page_count) {
            warnings.push(format!(
                "the PDF says it has {declared} pages but only {page_count} could be found"
            ));
        }
    }
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
            "{} of {page_count} had little or no text (blank, or scanned images that need OCR)",
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

/// Loads the document; a damaged one is loaded from a rebuilt object table,
/// with a warning saying so.
fn load(bytes: &[u8]) -> Result<(lopdf::Document, Option<String>), ExtractError> {
    let first = open(bytes);
    let why = match &first {
        Ok(document) if !document.get_pages().is_empty() => return first.map(|d| (d, None)),
        Err(ExtractError::Encrypted) => return Err(ExtractError::Encrypted),
        Ok(_) => "no pages could be found".to_string(),
        Err(ExtractError::Corrupt { detail }) => detail.clone(),
        Err(other) => other.to_string(),
    };
    if let Some(rebuilt) = repair::rebuild_xref(bytes) {
        match open(&rebuilt.bytes) {
            Ok(document) if !document.get_pages().is_empty() => {
                let warning = format!(
                    "the PDF is damaged ({why}); its table of {} objects was rebuilt by scanning the file, so text may be missing",
                    rebuilt.objects
                );
                return Ok((document, Some(warning)));
            }
            Err(ExtractError::Encrypted) => return Err(ExtractError::Encrypted),
            _ => {}
        }
    }
    Err(ExtractError::Corrupt {
        detail: "its structure could not be understood".into(),
    })
}

/// Parses the document, decrypting it when the empty user password opens it.
fn open(bytes: &[u8]) -> Result<lopdf::Document, ExtractError> {
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

/// The page count the page tree declares, to notice pages lost to damage.
fn declared_page_count(document: &lopdf::Document) -> Option<u64> {
    let pages_id = document
        .catalog()
        .ok()?
        .get(b"Pages")
        .ok()?
        .as_reference()
        .ok()?;
    let count = document
        .get_dictionary(pages_id)
        .ok()?
        .get(b"Count")
        .ok()?
        .as_i64()
        .ok()?;
    u64::try_from(count).ok()
}

enum PageText {
    PdfExtract(String),
    /// Text from lopdf, and why pdf-extract could not give it.
    Lopdf(String, String),
    Failed(String),
}

fn read_page(document: &lopdf::Document, number: u32, page_id: lopdf::ObjectId) -> PageText {
    if cannot_show_text(document, page_id) {
        return PageText::PdfExtract(String::new());
    }
    let primary = catch_unwind(AssertUnwindSafe(|| {
        let mut text = String::new();
        let result = {
            let mut output = OverprintFilter::new(PlainText::new(&mut text));
            pdf_extract::output_doc_page(document, &mut output, number)
        };
        result.map(|()| text)
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

/// True when a page has no way to show text: its content uses none of the
/// text-showing operators and paints no form XObject (which could). Pages
/// of outlined text are megabytes of path operators that pdf-extract would
/// parse only to find nothing; scans are images. Any doubt (a stream still
/// encoded, a form, an unresolved XObject) means the page is read as usual.
fn cannot_show_text(document: &lopdf::Document, page_id: lopdf::ObjectId) -> bool {
    let mut paints_xobjects = false;
    for id in document.get_page_contents(page_id) {
        let Ok(stream) = document.get_object(id).and_then(lopdf::Object::as_stream) else {
            return false;
        };
        // Decoded by `streams::decode_once` unless its filter is unknown.
        if stream.is_compressed() {
            return false;
        }
        let content = &stream.content;
        if content.contains(&b'\'') || content.contains(&b'"') {
            return false;
        }
        for pair in content.windows(2) {
            match pair {
                b"Tj" | b"TJ" => return false,
                b"Do" => paints_xobjects = true,
                _ => {}
            }
        }
    }
    !paints_xobjects || only_image_xobjects(document, page_id)
}

/// True when every XObject the page's resources name is an image.
fn only_image_xobjects(document: &lopdf::Document, page_id: lopdf::ObjectId) -> bool {
    let Ok((own, inherited)) = document.get_page_resources(page_id) else {
        return false;
    };
    let inherited = inherited
        .into_iter()
        .filter_map(|id| document.get_dictionary(id).ok());
    let mut found_any = false;
    for resources in own.into_iter().chain(inherited) {
        let Ok(xobjects) = resources.get_deref(b"XObject", document) else {
            continue;
        };
        let Ok(xobjects) = xobjects.as_dict() else {
            return false;
        };
        for (_, xobject) in xobjects.iter() {
            found_any = true;
            let is_image = document
                .dereference(xobject)
                .ok()
                .and_then(|(_, object)| object.as_stream().ok())
                .and_then(|stream| stream.dict.get(b"Subtype").ok())
                .and_then(|subtype| subtype.as_name().ok())
                == Some(b"Image".as_slice());
            if !is_image {
                return false;
            }
        }
    }
    found_any
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

/// LF line ends, no control characters (readers emit NUL and the like for
/// glyphs they cannot map, which only confuse later stages), and Word's
/// symbol-font bullets as the characters they show. Tabs and form feeds are
/// layout and stay.
fn tidy_page_text(text: &str) -> String {
    let is_noise = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}');
    let needs_work = |c: char| c == '\r' || is_noise(c) || symbol_font_bullet(c).is_some();
    if !text.contains(needs_work) {
        return text.to_string();
    }
    text.replace("\r\n", "\n")
        .chars()
        .filter(|&c| !is_noise(c))
        .map(|c| match c {
            '\r' => '\n',
            other => symbol_font_bullet(other).unwrap_or(other),
        })
        .collect()
}

/// Symbol and Wingdings glyphs come out of fonts without a Unicode map as
/// U+F000 plus the font's code, in the private use area. These are the
/// ones Word offers as list bullets.
fn symbol_font_bullet(c: char) -> Option<char> {
    match c {
        '\u{F0B7}' => Some('\u{2022}'), // Symbol bullet
        '\u{F0A7}' => Some('\u{25AA}'), // Wingdings small square
        '\u{F06E}' => Some('\u{25A0}'), // Wingdings black square
        '\u{F076}' => Some('\u{2756}'), // Wingdings diamond
        '\u{F0D8}' => Some('\u{27A2}'), // Wingdings arrowhead
        '\u{F0FC}' => Some('\u{2713}'), // Wingdings tick
        _ => None,
    }
}

/// "page 3" or "pages 2, 5, 7".
fn describe_pages(pages: &[u32]) -> String {
    let list: Vec<String> = pages.iter().map(u32::to_string).collect();
    match pages.len() {
        1 => format!("page {}", list[0]),
        _ => format!("pages {}", list.join(", ")),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! PDFs here are built in code for these tests with lopdf's writer.
    use super::*;
    use lopdf::{dictionary, Document, Object, Stream};

    /// One page per entry: `Some(text)` draws the text in Helvetica,
    /// `None` leaves the page blank.
    pub(crate) fn build_pdf(pages: &[Option<&str>]) -> Vec<u8> {
        build_pdf_with(pages, |_| {})
    }

    /// As [`build_pdf`], with a hook to damage the document before saving.
    pub(crate) fn build_pdf_with(
        pages: &[Option<&str>],
        tweak: impl FnOnce(&mut Document),
    ) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let resources_id = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font_id },
        });
        let mut kids = Vec::new();
        for text in pages {
            let mut content = Vec::new();
            if let Some(text) = text {
                content.extend_from_slice(b"BT /F1 12 Tf 72 720 Td 14 TL\n");
                for line in text.split('\n') {
                    let escaped = line
                        .replace('\\', "\\\\")
                        .replace('(', "\\(")
                        .replace(')', "\\)");
                    content.extend_from_slice(format!("({escaped}) Tj T*\n").as_bytes());
                }
                content.extend_from_slice(b"ET\n");
            }
            let content_id = doc.add_object(Stream::new(dictionary! {}, content));
            let page_id = doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "Contents" => content_id,
                "Resources" => resources_id,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            });
            kids.push(Object::Reference(page_id));
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        tweak(&mut doc);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("in-memory save");
        bytes
    }

    fn words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    #[test]
    fn pages_come_back_one_string_each_in_order() {
        let bytes = build_pdf(&[
            Some("Minutes of the meeting\n1. Apologies"),
            Some("2. Declarations of interest"),
            Some("3. Children in care\nRESOLVED that the report be noted."),
        ]);
        assert!(looks_like_pdf(&bytes));
        let extracted = extract(&bytes).expect("reads");
        assert_eq!(extracted.format, Format::Pdf);
        assert_eq!(extracted.extraction.method, ExtractionMethod::PdfExtract);
        assert_eq!(extracted.extraction.encoding, None);
        assert!(extracted.warnings.is_empty(), "{:?}", extracted.warnings);
        assert_eq!(extracted.pages.len(), 3);
        assert_eq!(
            words(&extracted.pages[0]),
            ["Minutes", "of", "the", "meeting", "1.", "Apologies"]
        );
        assert_eq!(
            words(&extracted.pages[1]),
            ["2.", "Declarations", "of", "interest"]
        );
        assert!(extracted.pages[2].contains("RESOLVED that the report be noted."));
        // Lines stay lines.
        let first: Vec<&str> = extracted.pages[0]
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(first, ["Minutes of the meeting", "1. Apologies"]);
    }

    #[test]
    fn page_text_gets_lf_line_ends_no_control_characters_and_real_bullets() {
        assert_eq!(
            tidy_page_text("a\r\nb\rc\0d\u{7}e\tf\x0Cg\n"),
            "a\nb\ncde\tf\x0Cg\n"
        );
        assert_eq!(tidy_page_text("plain\n"), "plain\n");
        assert_eq!(
            tidy_page_text("\u{F0B7} Item\n\u{F0A7} Sub\n"),
            "\u{2022} Item\n\u{25AA} Sub\n"
        );
    }

    #[test]
    fn a_blank_page_is_kept_and_reported() {
        let bytes = build_pdf(&[
            Some("Agenda item one: apologies for absence"),
            None,
            Some("Agenda item two: declarations of interest"),
        ]);
        let extracted = extract(&bytes).expect("reads");
        assert_eq!(extracted.pages.len(), 3, "page numbers must stay aligned");
        assert!(extracted.pages[1].trim().is_empty());
        assert_eq!(extracted.warnings.len(), 1, "{:?}", extracted.warnings);
        assert!(
            extracted.warnings[0].starts_with("page 2 of 3 had little or no text"),
            "{:?}",
            extracted.warnings
        );
    }

    #[test]
    fn no_text_on_any_page_is_no_text_layer() {
        let bytes = build_pdf(&[None, None, None, None]);
        assert_eq!(extract(&bytes), Err(ExtractError::NoTextLayer { pages: 4 }));
        // Page stamps a publishing system adds to a scan are not a text layer.
        let bytes = build_pdf(&[Some("Agenda Item 5 Page 1"), Some("Page 2")]);
        assert_eq!(extract(&bytes), Err(ExtractError::NoTextLayer { pages: 2 }));
    }

    #[test]
    fn truncated_file_is_rebuilt_with_a_warning() {
        let bytes = build_pdf(&[
            Some("Minutes page one of the committee meeting"),
            Some("Minutes page two of the committee meeting"),
        ]);
        let cut = bytes.len() - 60;
        let extracted = extract(&bytes[..cut]).expect("rebuilt");
        assert_eq!(extracted.pages.len(), 2);
        assert!(extracted.pages[1].contains("Minutes page two"));
        assert!(
            extracted
                .warnings
                .iter()
                .any(|w| w.contains("damaged") && w.contains("rebuilt")),
            "{:?}",
            extracted.warnings
        );
    }

    #[test]
    fn unrecoverable_damage_is_corrupt() {
        for bytes in [
            &b"%PDF-1.7\nthis is not a pdf body at all\n%%EOF\n"[..],
            b"%PDF-1.4\n1 0 obj\n<< /Type /Pa",
        ] {
            match extract(bytes) {
                Err(ExtractError::Corrupt { detail }) => assert!(!detail.is_empty()),
                other => panic!("expected Corrupt, got {other:?}"),
            }
        }
    }

    #[test]
    fn whitespace_only_input_is_empty() {
        assert_eq!(extract(b"  \n"), Err(ExtractError::Empty));
    }

    #[test]
    fn broken_page_content_on_every_page_is_corrupt_not_a_crash() {
        // Arrays nested past the parser's depth limit after real text, as
        // in hostile files: the content stream cannot be parsed at all.
        let mut content = b"BT /F1 12 Tf 72 720 Td (Minutes of the meeting) Tj ET\n".to_vec();
        content.extend(std::iter::repeat_n(b'[', 1000));
        let bytes = build_pdf_with(&[Some("replaced")], |doc| {
            for object in doc.objects.values_mut() {
                if let Ok(stream) = object.as_stream_mut() {
                    stream.set_plain_content(content.clone());
                }
            }
        });
        match extract(&bytes) {
            Err(ExtractError::Corrupt { detail }) => {
                assert!(
                    detail.contains("none of its pages could be read"),
                    "{detail}"
                )
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }

    #[test]
    fn fewer_pages_than_declared_is_reported() {
        let bytes = build_pdf_with(
            &[Some("The only page of these minutes that survived")],
            |doc| {
                for object in doc.objects.values_mut() {
                    if let Ok(dict) = object.as_dict_mut() {
                        if dict.has_type(b"Pages") {
                            dict.set("Count", 3);
                        }
                    }
                }
            },
        );
        let extracted = extract(&bytes).expect("reads");
        assert_eq!(extracted.pages.len(), 1);
        assert!(
            extracted
                .warnings
                .iter()
                .any(|w| w.contains("says it has 3 pages but only 1")),
            "{:?}",
            extracted.warnings
        );
    }

    #[test]
    fn fake_bold_glyphs_painted_twice_are_read_once() {
        // Each glyph of "OFFICIAL" painted at its Helvetica advance, and
        // again 0.4 pt to the right, as word processors do for bold.
        let widths = [
            ('O', 0.778),
            ('F', 0.611),
            ('F', 0.611),
            ('I', 0.278),
            ('C', 0.722),
            ('I', 0.278),
            ('A', 0.667),
            ('L', 0.556),
        ];
        let mut content = String::from("BT /F1 12 Tf\n");
        let mut x = 72.0;
        for (glyph, width) in widths {
            for offset in [0.0, 0.4] {
                content.push_str(&format!("1 0 0 1 {:.2} 720 Tm ({glyph}) Tj\n", x + offset));
            }
            x += width * 12.0;
        }
        content.push_str("ET\nBT /F1 12 Tf 72 700 Td (MINUTES OF THE BOARD MEETING) Tj ET\n");
        let bytes = build_pdf_with(&[Some("replaced")], |doc| {
            for object in doc.objects.values_mut() {
                if let Ok(stream) = object.as_stream_mut() {
                    stream.set_plain_content(content.clone().into_bytes());
                }
            }
        });
        let page = extract(&bytes).expect("reads").pages.remove(0);
        let letters: String = page.split_whitespace().collect();
        // "EE" in MEETING is a real double letter and stays.
        assert_eq!(letters, "OFFICIALMINUTESOFTHEBOARDMEETING", "{page:?}");
    }

    #[test]
    fn a_page_pdf_extract_cannot_read_is_read_by_lopdf() {
        // Page 2's font points at a width table that is not in the file, as
        // when a truncated file is rebuilt: pdf-extract gives up on the
        // page, lopdf's simpler reader does not need the widths.
        let bytes = build_pdf_with(
            &[
                Some("Minutes of the meeting, page one"),
                Some("Minutes of the meeting, page two"),
            ],
            |doc| {
                let broken_font = doc.add_object(lopdf::dictionary! {
                    "Type" => "Font",
                    "Subtype" => "TrueType",
                    "BaseFont" => "Arial",
                    "FirstChar" => 32,
                    "LastChar" => 126,
                    "Widths" => Object::Reference((999, 0)),
                    "Encoding" => "WinAnsiEncoding",
                });
                let resources = doc.add_object(lopdf::dictionary! {
                    "Font" => lopdf::dictionary! { "F1" => broken_font },
                });
                let second_page = doc.get_pages().get(&2).copied().expect("page 2");
                if let Ok(page) = doc
                    .get_object_mut(second_page)
                    .and_then(Object::as_dict_mut)
                {
                    page.set("Resources", resources);
                }
            },
        );
        let extracted = extract(&bytes).expect("reads");
        assert_eq!(extracted.extraction.method, ExtractionMethod::Lopdf);
        assert_eq!(extracted.pages.len(), 2);
        assert!(extracted.pages[0].contains("page one"));
        assert!(
            extracted.pages[1].contains("page two"),
            "{:?}",
            extracted.pages[1]
        );
        assert!(
            extracted
                .warnings
                .iter()
                .any(|w| w.contains("could not read page 2") && w.contains("lopdf")),
            "{:?}",
            extracted.warnings
        );
    }

    #[test]
    fn raised_ordinals_stay_on_their_line() {
        // "25th" as Word sets it: "th" smaller, raised, tucked against "25".
        let content = b"BT /F1 12 Tf 72 720 Td (Meeting held on 25) Tj /F1 7 Tf 4 Ts [30 (th)] TJ \
/F1 12 Tf 0 Ts ( January 2024 at County Hall) Tj ET\n";
        let bytes = build_pdf_with(&[Some("replaced")], |doc| {
            for object in doc.objects.values_mut() {
                if let Ok(stream) = object.as_stream_mut() {
                    stream.set_plain_content(content.to_vec());
                }
            }
        });
        let page = extract(&bytes).expect("reads").pages.remove(0);
        assert!(
            page.contains("Meeting held on 25th January 2024 at County Hall"),
            "{page:?}"
        );
    }

    /// One page whose content is `content`, with an XObject `/X1` that is
    /// `xobject` when given.
    fn page_with(content: &[u8], xobject: Option<Stream>) -> (Document, lopdf::ObjectId) {
        let bytes = build_pdf_with(&[Some("replaced")], |doc| {
            for object in doc.objects.values_mut() {
                if let Ok(stream) = object.as_stream_mut() {
                    stream.set_plain_content(content.to_vec());
                }
            }
            if let Some(xobject) = xobject {
                let xobject_id = doc.add_object(xobject);
                let page_id = doc.get_pages().get(&1).copied().expect("page 1");
                let font_id = doc
                    .objects
                    .iter()
                    .find(|(_, o)| o.as_dict().is_ok_and(|d| d.has_type(b"Font")))
                    .map(|(&id, _)| id)
                    .expect("font");
                let resources = doc.add_object(dictionary! {
                    "Font" => dictionary! { "F1" => font_id },
                    "XObject" => dictionary! { "X1" => xobject_id },
                });
                if let Ok(page) = doc.get_object_mut(page_id).and_then(Object::as_dict_mut) {
                    page.set("Resources", resources);
                }
            }
        });
        let document = Document::load_mem(&bytes).expect("loads");
        let page_id = document.get_pages()[&1];
        (document, page_id)
    }

    #[test]
    fn only_pages_that_cannot_show_text_are_skipped() {
        // Outlined text: paths only.
        let paths = b"0 0 m 10 10 l 20 0 l h f 5 5 m 6 6 l S\n".repeat(50);
        let (doc, page) = page_with(&paths, None);
        assert!(cannot_show_text(&doc, page));

        let (doc, page) = page_with(b"BT /F1 12 Tf 72 720 Td (Minutes) Tj ET", None);
        assert!(!cannot_show_text(&doc, page));
        let (doc, page) = page_with(b"BT /F1 12 Tf 72 720 Td [(Min) 20 (utes)] TJ ET", None);
        assert!(!cannot_show_text(&doc, page));
        let (doc, page) = page_with(b"BT /F1 12 Tf 14 TL (Minutes) ' ET", None);
        assert!(!cannot_show_text(&doc, page));

        // A scan: one image painted.
        let image = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
            vec![0],
        );
        let (doc, page) = page_with(b"q 612 0 0 792 0 0 cm /X1 Do Q", Some(image));
        assert!(cannot_show_text(&doc, page));
    }

    #[test]
    fn text_inside_a_form_xobject_is_read() {
        let form = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()] },
            b"BT /F1 12 Tf 72 720 Td (Minutes of the scrutiny committee) Tj ET".to_vec(),
        );
        let (doc, page) = page_with(b"q /X1 Do Q", Some(form));
        assert!(!cannot_show_text(&doc, page));
        let mut bytes = Vec::new();
        let mut doc = doc;
        doc.save_to(&mut bytes).expect("saves");
        let text = extract(&bytes).expect("reads").pages.remove(0);
        assert!(
            text.contains("Minutes of the scrutiny committee"),
            "{text:?}"
        );
    }

    #[test]
    fn page_lists_are_described_for_people() {
        assert_eq!(describe_pages(&[4]), "page 4");
        assert_eq!(describe_pages(&[2, 5, 7]), "pages 2, 5, 7");
    }
}
