//! Every PDF of the shared corpus through the isolated reader, as the daemon
//! reads them: each file yields its pages or fails with its own reason, and
//! none hangs or takes the test process down.
//!
//! The corpus lives beside the repository (`../shared/corpus`); when it is
//! absent these tests say so and pass without checking anything.

mod common;

use minutes_watch::extract::isolate::{extract_pdf_isolated, PdfLimits};
use minutes_watch::extract::{ExtractError, ExtractedText};
use minutes_watch::model::{ExtractionMethod, Format};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

/// Generous for an unoptimised build on a slow machine, short enough that a
/// hang fails the test quickly.
const TIMEOUT: Duration = Duration::from_secs(30);
/// Far above what real minutes need, far below what the zip bomb asks for.
const MEMORY: u64 = 512 * 1024 * 1024;

fn limits() -> PdfLimits {
    PdfLimits {
        timeout: TIMEOUT,
        memory_bytes: MEMORY,
        exe: common::reader_exe(),
    }
}

fn corpus_dir(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(CORPUS).join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: corpus folder {} is absent", dir.display());
        None
    }
}

fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus folder is readable")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("pdf"))
        })
        .collect();
    files.sort();
    files
}

fn extract(path: &Path) -> (Result<ExtractedText, ExtractError>, Duration) {
    let bytes = std::sync::Arc::new(std::fs::read(path).expect("corpus file"));
    let started = Instant::now();
    let result = extract_pdf_isolated(&bytes, &limits());
    (result, started.elapsed())
}

fn non_whitespace_chars(pages: &[String]) -> usize {
    pages
        .iter()
        .flat_map(|p| p.chars())
        .filter(|c| !c.is_whitespace())
        .count()
}

/// Whitespace collapsed to single spaces: pdf-extract pads justified lines.
fn collapsed(pages: &[String]) -> String {
    pages
        .join("\n")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What SOURCES.md says about a corpus file.
struct Known {
    pages: u32,
    /// Non-whitespace characters pdftotext got; 0 when it could not read it.
    pdftotext_chars: usize,
}

/// Reads the table in SOURCES.md: `| file | source | pages | pdftotext | kind |`.
fn sources_table(dir: &Path) -> BTreeMap<String, Known> {
    let Ok(markdown) = std::fs::read_to_string(dir.join("SOURCES.md")) else {
        eprintln!("SOURCES.md is absent: only checking that every file ends cleanly");
        return BTreeMap::new();
    };
    markdown
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let file = cells.get(1)?;
            if !file.ends_with(".pdf") {
                return None;
            }
            let pages = cells.get(3)?.parse().ok()?;
            let leading_number: String = cells
                .get(4)?
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let pdftotext_chars = leading_number.parse().ok()?;
            Some((
                file.to_string(),
                Known {
                    pages,
                    pdftotext_chars,
                },
            ))
        })
        .collect()
}

#[test]
fn every_real_pdf_reads_or_fails_for_its_own_reason() {
    let Some(dir) = corpus_dir("pdf") else { return };
    let known = sources_table(&dir);
    let files = pdfs_in(&dir);
    assert!(!files.is_empty(), "no PDFs in {}", dir.display());

    let mut total = Duration::ZERO;
    let mut problems = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let (result, elapsed) = extract(path);
        total += elapsed;
        let summary = match &result {
            Ok(text) => format!(
                "{} pages, {} chars",
                text.pages.len(),
                non_whitespace_chars(&text.pages)
            ),
            Err(error) => format!("{error:?}"),
        };
        eprintln!("{name}: {summary} in {} ms", elapsed.as_millis());

        let unreadable_by_design = name.ends_with("_scan.pdf") || name.ends_with("_outlined.pdf");
        match (known.get(&name), &result) {
            (_, Err(ExtractError::Timeout { .. } | ExtractError::OutOfMemory { .. })) => {
                problems.push(format!("{name}: a real PDF hit a limit: {summary}"))
            }
            (Some(info), Err(ExtractError::NoTextLayer { pages })) if unreadable_by_design => {
                if *pages != info.pages {
                    problems.push(format!(
                        "{name}: NoTextLayer with {pages} pages, expected {}",
                        info.pages
                    ));
                }
            }
            (Some(_), other) if unreadable_by_design => {
                problems.push(format!("{name}: expected NoTextLayer, got {other:?}"))
            }
            (Some(info), Err(ExtractError::Encrypted))
                if info.pdftotext_chars == 0 && name.contains("encrypted") => {}
            (Some(info), other) if info.pdftotext_chars == 0 => problems.push(format!(
                "{name}: pdftotext cannot read it either, expected Encrypted; got {other:?}"
            )),
            (Some(info), Ok(text)) => {
                if text.pages.len() != info.pages as usize {
                    problems.push(format!(
                        "{name}: {} pages, expected {}",
                        text.pages.len(),
                        info.pages
                    ));
                }
                // pdftotext is the reference reader; losing more than a few
                // percent of its characters means text went missing.
                let chars = non_whitespace_chars(&text.pages);
                if chars * 100 < info.pdftotext_chars * 90 {
                    problems.push(format!(
                        "{name}: {chars} chars, pdftotext gets {}",
                        info.pdftotext_chars
                    ));
                }
                assert_eq!(text.format, Format::Pdf);
                assert_eq!(text.extraction.encoding, None);
            }
            (Some(_), Err(error)) => {
                problems.push(format!("{name}: readable PDF failed: {error:?}"))
            }
            (None, _) => {}
        }
    }
    eprintln!(
        "{} files in {} ms through the isolated reader",
        files.len(),
        total.as_millis()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn kent_minutes_have_their_pages_and_known_phrases() {
    let Some(dir) = corpus_dir("pdf") else { return };
    let cases: &[(&str, usize, &[&str])] = &[
        (
            "kent_cpp_minutes_2024-10-29.pdf",
            9,
            &[
                "CORPORATE PARENTING PANEL",
                "MINUTES of the meeting held in the Darent Room, Sessions House",
                "Apologies were received from Mr R Love OBE",
                "RESOLVED that the work programme was noted.",
            ],
        ),
        (
            "kent_cabinet_minutes_2025-01-30.pdf",
            17,
            &[
                "CABINET",
                "MINUTES of a meeting of the Cabinet held in the Council Chamber",
            ],
        ),
    ];
    for (file, pages, phrases) in cases {
        let path = dir.join(file);
        if !path.is_file() {
            eprintln!("SKIPPED: {file} is absent");
            continue;
        }
        let (result, _) = extract(&path);
        let text = result.unwrap_or_else(|error| panic!("{file}: {error:?}"));
        assert_eq!(text.pages.len(), *pages, "{file}");
        assert_eq!(
            text.extraction.method,
            ExtractionMethod::PdfExtract,
            "{file}"
        );
        let all = collapsed(&text.pages);
        for phrase in *phrases {
            assert!(all.contains(phrase), "{file}: missing {phrase:?}");
        }
        // The last minute is on the last page, not smeared across pages.
        if *file == "kent_cpp_minutes_2024-10-29.pdf" {
            let last = collapsed(&text.pages[pages - 1..]);
            assert!(last.contains("Work programme (Item 12)"), "{last}");
            assert!(!collapsed(&text.pages[..1]).contains("Work programme (Item 12)"));
        }
    }
}

#[test]
fn owner_password_only_pdf_opens_and_user_password_pdf_is_encrypted() {
    let Some(dir) = corpus_dir("pdf") else { return };
    let restricted = dir.join("cba_home_loan_rates_2019_restricted.pdf");
    if restricted.is_file() {
        let text = extract(&restricted)
            .0
            .expect("owner-password-only PDF opens without a password");
        assert_eq!(text.pages.len(), 2);
        assert!(non_whitespace_chars(&text.pages) > 8000);
    }
    let locked = dir.join("louisiana_bese_minutes_2014-03-07_encrypted.pdf");
    if locked.is_file() {
        assert_eq!(extract(&locked).0, Err(ExtractError::Encrypted));
    }
    let open = dir.join("louisiana_bese_minutes_2014-03-07.pdf");
    if open.is_file() {
        let text = extract(&open).0.expect("unencrypted original reads");
        assert_eq!(text.pages.len(), 19);
        assert!(collapsed(&text.pages).contains("Agenda Item"));
    }
}

#[test]
fn hostile_pdfs_end_as_clear_per_file_failures() {
    let Some(dir) = corpus_dir("hostile") else {
        return;
    };
    for path in pdfs_in(&dir) {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let (result, elapsed) = extract(&path);
        eprintln!("{name}: {result:?} in {} ms", elapsed.as_millis());
        assert!(
            elapsed < TIMEOUT + Duration::from_secs(5),
            "{name} overran the timeout"
        );
        match name.as_str() {
            // Aborts a process with a stack overflow; must be this child's.
            "recursive_xobject.pdf" => match result {
                Err(ExtractError::Corrupt { detail }) => {
                    assert!(detail.contains("refers to itself"), "{detail}")
                }
                other => panic!("{name}: {other:?}"),
            },
            "zipbomb_1GiB_content.pdf" => {
                assert_eq!(
                    result,
                    Err(ExtractError::OutOfMemory {
                        megabytes: MEMORY / (1024 * 1024)
                    }),
                    "{name}"
                )
            }
            "nested_array.pdf" => assert!(
                matches!(
                    result,
                    Err(ExtractError::Corrupt { .. } | ExtractError::ReaderFailed { .. })
                ),
                "{name}: {result:?}"
            ),
            // Anything but a limit being hit: the reader must cope with depth.
            _ => assert!(
                !matches!(
                    result,
                    Err(ExtractError::Timeout { .. } | ExtractError::OutOfMemory { .. })
                ),
                "{name}: {result:?}"
            ),
        }
    }
}

#[test]
fn truncated_real_minutes_are_rebuilt_not_lost() {
    let Some(dir) = corpus_dir("pdf") else { return };
    let source = dir.join("kent_cpp_minutes_2024-10-29.pdf");
    let Ok(bytes) = std::fs::read(&source) else {
        eprintln!("SKIPPED: {} is absent", source.display());
        return;
    };
    // As an interrupted download leaves it: the last 30% gone, and with it
    // the cross-reference table and trailer.
    let scratch = tempfile::tempdir().expect("temp dir");
    let cut = scratch.path().join("cut.pdf");
    std::fs::write(&cut, &bytes[..bytes.len() * 7 / 10]).expect("write");
    let text = extract(&cut).0.expect("rebuilt");
    assert_eq!(text.pages.len(), 9);
    assert!(
        text.warnings.iter().any(|w| w.contains("damaged")),
        "{:?}",
        text.warnings
    );
    assert!(collapsed(&text.pages).contains("Apologies were received from Mr R Love OBE"));
}

#[test]
fn pages_pdf_extract_gives_up_on_are_read_by_lopdf() {
    let Some(dir) = corpus_dir("pdf") else { return };
    let source = dir.join("souldern_pc_minutes_2013-01-17.pdf");
    let Ok(bytes) = std::fs::read(&source) else {
        eprintln!("SKIPPED: {} is absent", source.display());
        return;
    };
    // Cut to 70%, this file loses objects that pdf-extract needs for pages
    // 2 and 3 (font data) but that lopdf's plainer reader can do without.
    let scratch = tempfile::tempdir().expect("temp dir");
    let cut = scratch.path().join("cut.pdf");
    std::fs::write(&cut, &bytes[..bytes.len() * 7 / 10]).expect("write");
    let text = extract(&cut).0.expect("rebuilt");
    assert_eq!(text.pages.len(), 3);
    assert_eq!(text.extraction.method, ExtractionMethod::Lopdf);
    assert!(
        text.warnings.iter().any(|w| w.contains("lopdf")),
        "{:?}",
        text.warnings
    );
    assert!(
        non_whitespace_chars(&text.pages) > 3000,
        "{}",
        non_whitespace_chars(&text.pages)
    );
}

#[test]
fn print_to_pdf_minutes_keep_dates_and_words_whole() {
    let Some(dir) = corpus_dir("pdf") else { return };
    // "Microsoft: Print To PDF" output: CID fonts whose widths are given as
    // ranges, and ordinals set as raised superscripts.
    let path = dir.join("souldern_pc_agenda_2024-01-25.pdf");
    if !path.is_file() {
        eprintln!("SKIPPED: {} is absent", path.display());
        return;
    }
    let text = extract(&path).0.expect("reads");
    let all = collapsed(&text.pages);
    for phrase in [
        "Souldern Parish Council 25th January 2024 at 7.30pm in the Village Hall",
        "3. To receive the minutes of the last meeting – 30th November 2023",
        "4. Public Participation - to receive submissions from members of the public",
    ] {
        assert!(all.contains(phrase), "missing {phrase:?} in {all}");
    }
}
