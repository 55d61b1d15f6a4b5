//! The generated seed PDFs (tests/fixtures/generated, see its README.md)
//! read back to the seed texts they were typeset from.

mod common;

use minutes_watch::extract::isolate::{extract_pdf_isolated, PdfLimits};
use minutes_watch::extract::{extract_in_process, ExtractedText};
use minutes_watch::model::{ExtractionMethod, Format};
use std::path::{Path, PathBuf};
use std::time::Duration;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/generated");
const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds");

/// Seed number and the page count pdfinfo reports for its PDF.
const FIXTURE_PAGES: &[(&str, usize)] =
    &[("000", 3), ("001", 8), ("002", 4), ("003", 6), ("004", 5)];

fn fixture(number: &str) -> PathBuf {
    Path::new(FIXTURES).join(format!("seed_{number}.pdf"))
}

fn seed_text(number: &str) -> Option<String> {
    let entries = std::fs::read_dir(SEEDS).ok()?;
    let path = entries.flatten().map(|e| e.path()).find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(&format!("{number}_")))
    })?;
    std::fs::read_to_string(path).ok()
}

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

fn check_round_trip(number: &str, pages: usize, extracted: &ExtractedText) {
    assert_eq!(extracted.format, Format::Pdf);
    assert_eq!(extracted.extraction.method, ExtractionMethod::PdfExtract);
    assert_eq!(extracted.pages.len(), pages, "seed_{number}.pdf page count");
    assert!(extracted.warnings.is_empty(), "{:?}", extracted.warnings);
    assert!(
        extracted
            .pages
            .iter()
            .all(|p| p.split_whitespace().next().is_some()),
        "seed_{number}.pdf has an empty page"
    );
    let Some(seed) = seed_text(number) else {
        eprintln!("SKIPPED word comparison for seed {number}: {SEEDS} is absent");
        return;
    };
    let got = extracted.pages.join("\n");
    let (expected, got) = (words(&seed), words(&got));
    if let Some(at) = expected.iter().zip(&got).position(|(a, b)| a != b) {
        panic!(
            "seed_{number}.pdf differs at word {at}: expected {:?}, got {:?}",
            &expected[at..(at + 8).min(expected.len())],
            &got[at..(at + 8).min(got.len())]
        );
    }
    assert_eq!(got.len(), expected.len(), "seed_{number}.pdf word count");
}

#[test]
fn seed_pdfs_read_back_word_for_word() {
    for &(number, pages) in FIXTURE_PAGES {
        let bytes = std::fs::read(fixture(number)).expect("fixture is committed");
        let extracted =
            extract_in_process(&bytes).unwrap_or_else(|e| panic!("seed_{number}.pdf: {e:?}"));
        check_round_trip(number, pages, &extracted);
    }
}

#[test]
fn seed_pdf_reads_the_same_through_the_isolated_reader() {
    let (number, pages) = FIXTURE_PAGES[1];
    let limits = PdfLimits {
        timeout: Duration::from_secs(30),
        memory_bytes: 512 * 1024 * 1024,
        exe: common::reader_exe(),
    };
    let bytes = std::sync::Arc::new(std::fs::read(fixture(number)).expect("fixture is committed"));
    let isolated = extract_pdf_isolated(&bytes, &limits)
        .unwrap_or_else(|e| panic!("seed_{number}.pdf: {e:?}"));
    check_round_trip(number, pages, &isolated);
    assert_eq!(extract_in_process(&bytes), Ok(isolated));
}

#[test]
fn typographic_characters_survive() {
    // Seed 001 has pound signs and curly quotes in its text.
    let bytes = std::fs::read(fixture("001")).expect("fixture is committed");
    let text = extract_in_process(&bytes).expect("reads").pages.join("\n");
    for needle in ["\u{a3}", "\u{2019}", "\u{2018}", "\u{2013}"] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
}
