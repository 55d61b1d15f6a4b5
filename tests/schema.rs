//! The document JSON schema in docs/ describes what is really written.

mod common;

use common::*;

#[test]
fn schema_rejects_documents_that_break_it() {
    // A hand-made document missing required fields must fail validation, so
    // the passing checks elsewhere mean something.
    let bad = serde_json::json!({"schema_version": 1, "items": []});
    let result = std::panic::catch_unwind(|| assert_valid_document(&bad));
    assert!(result.is_err());
}

#[test]
fn every_seed_document_matches_the_schema() {
    let seeds = require_seeds!();
    for seed in seeds {
        let out = std::process::Command::new(BIN)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("classify")
            .arg(&seed)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            seed.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_valid_document(&v);
    }
}

#[test]
fn every_readable_corpus_pdf_document_matches_the_schema() {
    let Some(shared) = shared_dir() else {
        eprintln!("SKIPPED: ../shared is not present next to the repository");
        return;
    };
    let mut pdfs: Vec<_> = std::fs::read_dir(shared.join("corpus/pdf"))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    pdfs.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "pdf"));
    pdfs.sort();
    if pdfs.is_empty() {
        eprintln!("SKIPPED: no PDFs in ../shared/corpus/pdf");
        return;
    }
    // One process for all: unreadable files (encrypted, scans) are reported
    // on stderr and the rest still printed.
    let out = std::process::Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("classify")
        .args(&pdfs)
        .output()
        .unwrap();
    let docs: Vec<serde_json::Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    let failed = String::from_utf8_lossy(&out.stderr)
        .matches("cannot be processed")
        .count();
    assert_eq!(
        docs.len() + failed,
        pdfs.len(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        docs.len() >= pdfs.len() / 2,
        "most corpus PDFs are readable"
    );
    for doc in &docs {
        assert_eq!(doc["source"]["format"], "pdf");
        assert_valid_document(doc);
    }
}
