//! Not minutes, no alerts: an agenda pack, a pack of motions, a report or a
//! stray file dropped into the inbox is recognised for what it is
//! (`document.kind`, with the cues that decided), published without
//! follow-ups, and raises no alert. Runs the real binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{files_in, read_json, wait_until, Install, BIN};
use serde_json::Value;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/handwritten_licence_not_minutes.txt"
);

fn classify(path: &Path) -> Value {
    let out = Command::new(BIN)
        .arg("classify")
        .arg(path)
        .output()
        .expect("run classify");
    assert!(
        out.status.success(),
        "classify {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one document")
}

#[test]
fn agendas_packs_reports_and_stray_files_are_not_minutes() {
    let Some(shared) = common::shared_or_skip() else {
        return;
    };
    let pdf = shared.join("corpus/pdf");
    for (path, kind) in [
        (pdf.join("kent_cabinet_agenda_2025-01-30.pdf"), "agenda"),
        (pdf.join("kent_council_agenda_2025-03-13.pdf"), "agenda"),
        (
            pdf.join("kent_council_budget_amendments_pack_2025-02-13.pdf"),
            "other",
        ),
        (
            pdf.join("kent_council_questions_pack_2025-03-13.pdf"),
            "other",
        ),
        (pdf.join("kent_cabinet_qpr_q3_2024-25.pdf"), "report"),
        (
            pdf.join("kent_scrutiny_callin_family_hubs_2025-03.pdf"),
            "report",
        ),
        (PathBuf::from(FIXTURE), "other"),
    ] {
        let doc = classify(&path);
        assert_eq!(
            doc["kind"],
            kind,
            "{}: {}",
            path.display(),
            doc["kind_evidence"]
        );
        assert!(
            doc["kind_evidence"]
                .as_array()
                .is_some_and(|e| !e.is_empty()),
            "{}: the kind says why",
            path.display()
        );
        assert_eq!(
            doc["follow_ups"].as_array().map(Vec::len),
            Some(0),
            "{}: no follow-ups from what is not minutes",
            path.display()
        );
    }
    for (name, kind) in [
        ("kent_cabinet_minutes_2025-01-30.pdf", "minutes"),
        ("kent_council_minutes_2025-02-13_budget.pdf", "minutes"),
    ] {
        assert_eq!(classify(&pdf.join(name))["kind"], kind, "{name}");
    }
}

#[test]
fn budget_resolutions_standing_orders_and_motions_are_not_follow_ups() {
    let Some(shared) = common::shared_or_skip() else {
        return;
    };
    let pdf = shared.join("corpus/pdf");
    for name in [
        "kent_council_minutes_2025-02-13_budget.pdf",
        "kent_council_minutes_2025-03-13.pdf",
    ] {
        let doc = classify(&pdf.join(name));
        for fu in doc["follow_ups"].as_array().into_iter().flatten() {
            let text = fu["text"].as_str().unwrap_or_default();
            let lower = text.to_lowercase();
            assert!(
                !(text.contains('£')
                    && (lower.contains("budget") || lower.contains("council tax"))),
                "{name}: budget figures approved are not a request: {text}"
            );
            assert!(
                !(lower.contains("proposed") && lower.contains("seconded")),
                "{name}: a motion moved and seconded is not a request: {text}"
            );
            assert!(
                !lower.contains("the text of any motion"),
                "{name}: quoted standing orders are not a request: {text}"
            );
        }
    }
}

#[test]
fn documents_that_are_not_minutes_raise_no_alerts() {
    let Some(shared) = common::shared_or_skip() else {
        return;
    };
    let inst = Install::new("mode = \"events\"");
    let _daemon = inst.start();
    let work = inst.dir.path().join("work");
    std::fs::create_dir_all(&work).expect("work folder");
    let pdf = shared.join("corpus/pdf");
    let inputs = [
        pdf.join("kent_cabinet_agenda_2025-01-30.pdf"),
        pdf.join("kent_council_budget_amendments_pack_2025-02-13.pdf"),
        pdf.join("kent_scrutiny_callin_family_hubs_2025-03.pdf"),
        PathBuf::from(FIXTURE),
    ];
    for input in &inputs {
        let name = input.file_name().expect("file name");
        std::fs::copy(input, work.join(name)).expect("copy");
        std::fs::rename(work.join(name), inst.inbox().join(name)).expect("drop");
    }
    wait_until("every input published", Duration::from_secs(120), || {
        files_in(&inst.documents()).len() == inputs.len()
    });
    for doc in files_in(&inst.documents()) {
        let doc = read_json(&doc);
        assert_ne!(doc["kind"], "minutes", "{}", doc["source"]["file"]);
    }
    // Published means recorded: had the ledger raised alerts, they would be
    // in the outbox before the inputs left the inbox.
    wait_until("inputs moved out", Duration::from_secs(60), || {
        inst.waiting().is_empty()
    });
    assert!(
        files_in(&inst.alerts()).is_empty(),
        "no alerts from agendas, packs, reports or stray files: {:?}\n{}",
        files_in(&inst.alerts()),
        inst.logs()
    );
}
