//! A corrected copy is not a new meeting: minutes that name no committee
//! (nor a date), dropped again and again with a one-line fix (new bytes, so a
//! new sha256), raise their alerts once. The real binary on temporary folders.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

const LONG: Duration = Duration::from_secs(60);

/// Writes `text` into the inbox under a temporary (ignored) name, then
/// renames it into place, as a careful sender delivers.
fn drop_text(inbox: &Path, name: &str, text: &str) {
    let tmp = inbox.join(format!("{name}.part"));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, inbox.join(name)).unwrap();
}

/// Every alert file, by name, with its bytes.
fn alert_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_in(dir)
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

#[test]
fn corrected_copies_of_unnamed_minutes_raise_the_first_copys_alerts_only() {
    let Some(shared) = shared_dir() else {
        eprintln!("SKIPPED: ../shared is not present next to the repository");
        return;
    };
    // Middlesbrough's minutes as exported: no committee name, no date.
    let text = std::fs::read_to_string(shared.join("seeds/003_5c2d0bb7877eabe4.txt")).unwrap();
    let inst = Install::new("mode = \"events\"");
    let _daemon = inst.start();

    drop_text(&inst.inbox(), "panel-minutes.txt", &text);
    wait_until("the first copy published", LONG, || {
        inst.waiting().is_empty() && files_under(&inst.originals()).len() == 1
    });
    let docs = files_in(&inst.documents());
    assert_eq!(docs.len(), 1, "{}", inst.logs());
    let doc = read_json(&docs[0]);
    assert!(doc["meeting"]["committee"].is_null());
    let requests = doc["follow_ups"].as_array().unwrap().len();
    assert!(requests > 0);
    let first = alert_files(&inst.alerts());
    assert_eq!(first.len(), requests, "{}", inst.logs());

    for n in 1..=4 {
        // An officer fixes a typo and drops the minutes again.
        let fixed = text.replacen(
            "statutory role that all",
            &format!("statutory role (amendment {n}) that all"),
            1,
        );
        assert_ne!(fixed, text);
        drop_text(&inst.inbox(), "panel-minutes.txt", &fixed);
        wait_until(&format!("corrected copy {n} published"), LONG, || {
            inst.waiting().is_empty() && files_under(&inst.originals()).len() == n + 1
        });
        assert_eq!(files_in(&inst.documents()).len(), n + 1, "{}", inst.logs());
        assert_eq!(
            alert_files(&inst.alerts()),
            first,
            "copy {n} raised alerts again:\n{}",
            inst.logs()
        );
    }
    assert!(inst.logs().contains("corrected copy"), "{}", inst.logs());
}
