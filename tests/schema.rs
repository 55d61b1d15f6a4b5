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
