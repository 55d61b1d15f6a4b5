//! The companion commands: check-config and classify.

mod common;

use common::*;
use std::process::Command;

#[test]
fn check_config_accepts_the_committed_configuration() {
    let out = Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check-config", "config/minutes-watch.toml"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("OK"));
}

#[test]
fn misspelt_key_is_rejected_with_key_line_and_valid_keys_and_nothing_starts() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    let inbox = dir.path().join("inbox");
    std::fs::write(
        &cfg,
        format!("[paths]\ninbox = {inbox:?}\n\n[watch]\nmode = \"poll\"\nquiet_period = 500\n"),
    )
    .unwrap();
    for args in [vec!["check-config"], vec!["run", "--config"]] {
        let out = Command::new(BIN).args(&args).arg(&cfg).output().unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("quiet_period"), "{err}");
        assert!(err.contains("line 6"), "{err}");
        assert!(
            err.contains("quiet_period_ms") && err.contains("poll_interval_ms"),
            "{err}"
        );
    }
    assert!(!inbox.exists(), "the daemon started on a bad configuration");
}

#[test]
fn classify_prints_exactly_what_the_daemon_writes_and_touches_nothing() {
    let seeds = require_seeds!();
    let inst = Install::new("mode = \"events\"");
    let src = inst.dir.path().join(seeds[2].file_name().unwrap());
    std::fs::copy(&seeds[2], &src).unwrap();
    let out = Command::new(BIN)
        .args(["classify", "--config"])
        .arg(&inst.config)
        .arg(&src)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !inst.documents().exists() && !inst.dir.path().join("state").exists(),
        "classify wrote something"
    );
    assert!(src.is_file());

    let _daemon = inst.start();
    std::fs::rename(&src, inst.inbox().join(src.file_name().unwrap())).unwrap();
    wait_until("document", std::time::Duration::from_secs(60), || {
        files_in(&inst.documents()).len() == 1
    });
    let written = std::fs::read(&files_in(&inst.documents())[0]).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&written)
    );
}

#[test]
fn classify_explains_an_unreadable_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("empty.txt");
    std::fs::write(&f, b"").unwrap();
    let out = Command::new(BIN).arg("classify").arg(&f).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
}

#[test]
fn followups_lists_the_ledger_as_table_json_and_excel_csv() {
    let seeds = require_seeds!();
    let inst = Install::new("mode = \"events\"");
    let daemon = inst.start();
    // Seed 002: three distinct report requests (funding streams, staff
    // wellbeing, foster carer recruitment), each stated more than once.
    let seed = seeds
        .iter()
        .find(|s| {
            s.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("002_"))
        })
        .expect("seed 002");
    std::fs::copy(seed, inst.inbox().join("review-group.txt")).unwrap();
    wait_until("published", std::time::Duration::from_secs(60), || {
        files_in(&inst.documents()).len() == 1 && inst.waiting().is_empty()
    });
    drop(daemon);
    let list = |args: &[&str]| {
        let out = Command::new(BIN)
            .arg("followups")
            .args(args)
            .arg("--config")
            .arg(&inst.config)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let json: serde_json::Value = serde_json::from_slice(&list(&["--format", "json"])).unwrap();
    let entries = json.as_array().expect("a JSON array");
    let subjects: Vec<String> = entries
        .iter()
        .map(|e| e["subject"].as_str().unwrap_or_default().to_lowercase())
        .collect();
    for wanted in ["funding", "wellbeing", "foster"] {
        assert!(
            subjects.iter().any(|s| s.contains(wanted)),
            "{wanted} missing from {subjects:?}"
        );
    }
    assert!(entries.iter().all(|e| e["status"] == "open"));
    assert_eq!(
        files_in(&inst.alerts()).len(),
        entries.len(),
        "one new_follow_up alert per request"
    );

    let csv = list(&["--format", "csv", "--status", "open"]);
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "CSV starts with a BOM so Excel reads UTF-8"
    );
    let text = String::from_utf8_lossy(&csv[3..]).into_owned();
    let header = text.lines().next().unwrap_or_default().to_lowercase();
    for col in [
        "request",
        "owner",
        "due",
        "status",
        "first raised",
        "source",
    ] {
        assert!(
            header.contains(col),
            "{col} missing from CSV header {header}"
        );
    }
    assert!(
        text.contains("2021-06"),
        "foster carer recruitment is due June 2021:\n{text}"
    );

    let none = list(&["--status", "delivered", "--format", "json"]);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&none).unwrap(),
        serde_json::json!([])
    );
    let table = String::from_utf8_lossy(&list(&[])).into_owned();
    assert!(table.to_lowercase().contains("foster"), "{table}");
}

#[test]
fn a_second_daemon_on_the_same_state_folder_refuses_to_start() {
    let inst = Install::new("mode = \"events\"");
    let _first = inst.start();
    wait_until(
        "first daemon started",
        std::time::Duration::from_secs(30),
        || inst.logs().contains("minutes-watch started"),
    );
    let out = Command::new(BIN)
        .args(["run", "--config"])
        .arg(&inst.config)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already running"));
}

#[test]
fn classify_takes_several_files_and_reports_each_failure() {
    let seeds = require_seeds!();
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let out = Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("classify")
        .arg(&seeds[0])
        .arg(&empty)
        .arg(&seeds[1])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "one file failed, so the status must say so"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("empty.txt") && stderr.contains("1 of 3"),
        "{stderr}"
    );
    let docs: Vec<serde_json::Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(docs.len(), 2);
    for (doc, seed) in docs.iter().zip([&seeds[0], &seeds[1]]) {
        assert_eq!(
            doc["source"]["file"],
            seed.file_name().unwrap().to_string_lossy().as_ref()
        );
        assert_valid_document(doc);
    }
}
