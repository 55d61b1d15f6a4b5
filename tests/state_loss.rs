//! State loss is loud, and recoverable: the ledger deleted between two runs
//! is reported at start-up, `minutes-watch rebuild-ledger` rebuilds it from
//! the outbox, and no alert file already in the outbox is ever rewritten.
//! The real binary on temporary folders.

mod common;

use common::*;
use nix::sys::signal::Signal;
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const LONG: Duration = Duration::from_secs(60);
const LOST: &str = "state was lost or replaced";

fn drop_file(src: &Path, dest_dir: &Path) {
    let name = src.file_name().unwrap().to_string_lossy().into_owned();
    let tmp = dest_dir.join(format!("{name}.part"));
    std::fs::copy(src, &tmp).unwrap();
    std::fs::rename(&tmp, dest_dir.join(name)).unwrap();
}

/// Every alert file by name, with its bytes and inode: a file replaced by
/// a rename (even with the same bytes) gets a new inode.
fn alert_files(dir: &Path) -> BTreeMap<String, (Vec<u8>, u64)> {
    files_in(dir)
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let inode = std::fs::metadata(&p).unwrap().ino();
            (name, (std::fs::read(&p).unwrap(), inode))
        })
        .collect()
}

fn assert_untouched(before: &BTreeMap<String, (Vec<u8>, u64)>, dir: &Path, when: &str, logs: &str) {
    let now = alert_files(dir);
    for (name, was) in before {
        assert_eq!(
            now.get(name),
            Some(was),
            "{when}: alert {name} was rewritten or removed\n{logs}"
        );
    }
}

fn stop(daemon: &mut Daemon) {
    daemon.signal(Signal::SIGTERM);
    assert!(daemon
        .wait_exit(Duration::from_secs(20))
        .is_some_and(|s| s.success()));
}

fn published_count(inst: &Install) -> usize {
    files_under(&inst.originals()).len()
}

fn wait_published(inst: &Install, n: usize, what: &str) {
    wait_until(what, LONG, || {
        inst.waiting().is_empty() && published_count(inst) == n
    });
}

#[test]
fn a_lost_ledger_is_reported_and_rebuilt_without_rewriting_alerts() {
    let Some(shared) = shared_dir() else {
        eprintln!("SKIPPED: ../shared is not present next to the repository");
        return;
    };
    let january = shared.join("seeds/001_2b6feb9e7b5a740c.txt");
    let november: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/handwritten_later_meeting_2020-11-10.txt");
    let inst = Install::new("mode = \"events\"");
    let state = inst.dir.path().join("state");

    // Run 1: the January minutes raise their requests.
    let mut daemon = inst.start();
    drop_file(&january, &inst.inbox());
    wait_published(&inst, 1, "January published");
    let requests = read_json(&files_in(&inst.documents())[0])["follow_ups"]
        .as_array()
        .unwrap()
        .len();
    wait_until("January's alerts", LONG, || {
        files_in(&inst.alerts()).len() == requests
    });
    stop(&mut daemon);
    let alerts = alert_files(&inst.alerts());

    // The ledger is deleted between two runs.
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(state.join(format!("ledger.sqlite{suffix}")));
    }
    let mut daemon = inst.start();
    wait_until("the start-up warning", LONG, || inst.logs().contains(LOST));
    let logs = inst.logs();
    let warning = logs.lines().find(|l| l.contains(LOST)).unwrap();
    assert!(warning.contains("WARN"), "{warning}");
    assert!(
        warning.contains("the ledger records 0 documents but"),
        "{warning}"
    );
    assert!(warning.contains("rebuild-ledger"), "{warning}");

    // Before the rebuild, the January minutes dropped again are taken as
    // new; their alert files stay exactly as they were.
    drop_file(&january, &inst.inbox());
    wait_published(&inst, 2, "January dropped again");
    assert_untouched(
        &alerts,
        &inst.alerts(),
        "re-drop with a lost ledger",
        &inst.logs(),
    );
    assert_eq!(files_in(&inst.alerts()).len(), requests, "{}", inst.logs());
    stop(&mut daemon);

    // The operator rebuilds the ledger from the outbox.
    let out = Command::new(BIN)
        .args(["rebuild-ledger", "--config"])
        .arg(&inst.config)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("from 1 published documents"), "{stdout}");
    assert!(
        stdout.contains(&format!("{requests} already in the outbox")),
        "{stdout}"
    );
    assert_untouched(&alerts, &inst.alerts(), "rebuild", &stdout);
    assert_eq!(files_in(&inst.alerts()).len(), requests);

    // Run 3: no warning, a re-drop is recognised, a later meeting answers.
    let mut daemon = inst.start();
    drop_file(&january, &inst.inbox());
    wait_published(&inst, 3, "January dropped a third time");
    // The outcome is logged just after the input is moved.
    wait_until("the re-drop recognised as already published", LONG, || {
        inst.logs().contains("already published")
    });
    let analysed = inst
        .logs()
        .lines()
        .filter(|l| l.contains("minutes_watch::worker") && l.contains("\"published\""))
        .count();
    assert_eq!(
        analysed,
        2,
        "the re-drop was analysed again:\n{}",
        inst.logs()
    );
    drop_file(&november, &inst.inbox());
    wait_published(&inst, 4, "November published");
    let now = alert_files(&inst.alerts());
    let event = |prefix: &str| now.keys().filter(|n| n.starts_with(prefix)).count();
    assert_eq!(event("follow_up_delivered-"), 1, "{}", inst.logs());
    assert_eq!(event("follow_up_overdue-"), 1, "{}", inst.logs());
    assert_untouched(&alerts, &inst.alerts(), "later meeting", &inst.logs());
    stop(&mut daemon);
    // The delivery is in the rebuilt ledger, answering January's request.
    let out = Command::new(BIN)
        .args([
            "followups",
            "--status",
            "delivered",
            "--format",
            "json",
            "--config",
        ])
        .arg(&inst.config)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let delivered: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let delivered = delivered.as_array().unwrap();
    assert_eq!(delivered.len(), 1, "{delivered:#?}");
    assert_eq!(delivered[0]["first_raised"]["meeting_date"], "2020-01-21");
    assert_eq!(delivered[0]["delivered"]["meeting_date"], "2020-11-10");
    assert_eq!(
        inst.logs().matches(LOST).count(),
        1,
        "warned again after the rebuild:\n{}",
        inst.logs()
    );
}

/// Swapped for a fresh, empty ledger: just as loud as a deleted one.
#[test]
fn a_ledger_replaced_by_an_empty_one_is_reported() {
    let seeds = require_seeds!();
    let inst = Install::new("mode = \"events\"");
    let mut daemon = inst.start();
    for seed in &seeds[..2] {
        drop_file(seed, &inst.inbox());
    }
    wait_published(&inst, 2, "two minutes published");
    stop(&mut daemon);
    let ledger = inst.dir.path().join("state/ledger.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", ledger.display()));
    }
    drop(minutes_watch::ledger::Ledger::open(&ledger).unwrap());
    assert!(ledger.is_file());

    let _daemon = inst.start();
    wait_until("the start-up warning", LONG, || inst.logs().contains(LOST));
    let logs = inst.logs();
    let warning = logs.lines().find(|l| l.contains(LOST)).unwrap();
    assert!(
        warning.contains("the ledger records 0 documents but"),
        "{warning}"
    );
    assert!(warning.contains("holds 2"), "{warning}");
}

/// A document written just before a stop, its input still in the inbox to
/// be redone, is a stop's leftover, not lost state: no warning.
#[test]
fn a_document_not_yet_recorded_when_the_daemon_stopped_is_not_lost_state() {
    let seeds = require_seeds!();
    let inst = Install::new("mode = \"events\"");
    let mut daemon = inst.start();
    drop_file(&seeds[0], &inst.inbox());
    wait_published(&inst, 1, "first minutes published");
    stop(&mut daemon);

    // As a kill -9 between writing the document and recording it leaves
    // things: the document in the outbox, the input in the inbox.
    let input = &seeds[1];
    let out = Command::new(BIN)
        .args(["classify", "--config"])
        .arg(&inst.config)
        .arg(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let name = minutes_watch::publish::document_name(
        doc["source"]["file"].as_str().unwrap(),
        doc["source"]["sha256"].as_str().unwrap(),
    );
    std::fs::write(inst.documents().join(name), &out.stdout).unwrap();
    drop_file(input, &inst.inbox());

    let mut daemon = inst.start();
    wait_published(&inst, 2, "the left-over input redone");
    wait_until("the leftover noted", LONG, || {
        inst.logs().contains("written just before the last stop")
    });
    stop(&mut daemon);
    assert!(!inst.logs().contains(LOST), "{}", inst.logs());
}

/// Rebuilding under a running daemon would race it for the ledger: refused.
#[test]
fn rebuild_ledger_refuses_while_the_daemon_runs() {
    let inst = Install::new("mode = \"events\"");
    let mut daemon = inst.start();
    wait_until("the daemon started", LONG, || {
        inst.logs().contains("minutes-watch started")
    });
    let out = Command::new(BIN)
        .args(["rebuild-ledger", "--config"])
        .arg(&inst.config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already running"));
    assert!(!inst
        .dir
        .path()
        .join("state/ledger.sqlite.rebuilding")
        .exists());
    stop(&mut daemon);
}
