//! The daemon end to end: the real binary on temporary folders and the real
//! seed minutes. Every wait has a deadline; no test relies on a fixed sleep
//! being long enough.

mod common;

use common::*;
use nix::sys::signal::Signal;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

const LONG: Duration = Duration::from_secs(60);

fn drop_file(src: &Path, dest_dir: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dest_dir).unwrap();
    // Copy under a temporary (ignored) name, then rename: how a careful
    // sender delivers, and what "dropped" means in these tests.
    let name = src.file_name().unwrap();
    let tmp = dest_dir.join(format!("{}.part", name.to_string_lossy()));
    std::fs::copy(src, &tmp).unwrap();
    let dest = dest_dir.join(name);
    std::fs::rename(&tmp, &dest).unwrap();
    dest
}

#[test]
fn seeds_dropped_into_inbox_become_documents_and_originals_move_out() {
    let seeds = require_seeds!();
    let inst = Install::new("mode = \"events\"");
    let mut daemon = inst.start();
    for s in &seeds {
        drop_file(s, &inst.inbox());
    }
    // A committee subfolder, recorded in the document.
    drop_file(&seeds[0], &inst.inbox().join("children-scrutiny"));
    wait_until("every seed published", LONG, || {
        files_in(&inst.documents()).len() == seeds.len() && inst.waiting().is_empty()
    });
    // Same bytes in the subfolder: recognised, not published twice.
    assert_eq!(
        files_in(&inst.documents()).len(),
        seeds.len(),
        "{}",
        inst.logs()
    );
    assert_eq!(files_under(&inst.originals()).len(), seeds.len() + 1);
    assert!(inst
        .originals()
        .join("children-scrutiny")
        .join(seeds[0].file_name().unwrap())
        .is_file());
    for doc in files_in(&inst.documents()) {
        let v = read_json(&doc);
        assert_valid_document(&v);
        assert!(
            v["items"].as_array().is_some_and(|a| !a.is_empty()),
            "{}",
            doc.display()
        );
        let name = v["source"]["file"].as_str().unwrap();
        let sha = v["source"]["sha256"].as_str().unwrap();
        assert!(doc
            .file_name()
            .unwrap()
            .to_string_lossy()
            .ends_with(&format!("-{}.json", &sha[..12])));
        assert!(seeds
            .iter()
            .any(|s| s.file_name().unwrap().to_string_lossy() == name));
    }
    assert!(files_under(&inst.failed()).is_empty(), "{}", inst.logs());
    daemon.signal(Signal::SIGTERM);
    assert!(daemon
        .wait_exit(Duration::from_secs(10))
        .is_some_and(|s| s.success()));
}

#[test]
fn subfolder_is_recorded_in_the_document() {
    let seeds = require_seeds!();
    let inst = Install::new("mode = \"events\"");
    let _daemon = inst.start();
    drop_file(&seeds[1], &inst.inbox().join("cyp").join("2020"));
    wait_until("document", LONG, || files_in(&inst.documents()).len() == 1);
    let v = read_json(&files_in(&inst.documents())[0]);
    assert_eq!(v["source"]["folder"], "cyp/2020");
}

#[test]
fn file_copied_slowly_in_small_chunks_is_taken_whole() {
    let seeds = require_seeds!();
    let inst = Install::new("mode = \"events\"");
    let _daemon = inst.start();
    let bytes = std::fs::read(&seeds[1]).unwrap();
    let dest = inst.inbox().join("slow.txt");
    let mut f = std::fs::File::create(&dest).unwrap();
    for chunk in bytes.chunks(512) {
        f.write_all(chunk).unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(f);
    wait_until("document", LONG, || files_in(&inst.documents()).len() == 1);
    let v = read_json(&files_in(&inst.documents())[0]);
    assert_eq!(
        v["source"]["bytes"],
        bytes.len() as u64,
        "a partial file was taken"
    );
    assert!(files_under(&inst.failed()).is_empty(), "{}", inst.logs());
}

#[test]
fn pdf_that_stalls_before_its_trailer_is_waited_for_not_failed() {
    let Some(shared) = shared_dir() else {
        eprintln!("SKIPPED: ../shared is not present next to the repository");
        return;
    };
    let pdf = shared.join("corpus/pdf/kent_cpp_minutes_2024-10-29.pdf");
    if !pdf.is_file() {
        eprintln!("SKIPPED: {} is absent", pdf.display());
        return;
    }
    let inst = Install::new("mode = \"events\"");
    let _daemon = inst.start();
    let bytes = std::fs::read(&pdf).unwrap();
    let dest = inst.inbox().join("kent.pdf");
    let split = bytes.len() - 64;
    std::fs::write(&dest, &bytes[..split]).unwrap();
    // The copy stalls for several quiet periods (the scenario under test):
    // the daemon must neither take nor fail the truncated PDF.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        dest.is_file(),
        "an incomplete PDF was taken: {}",
        inst.logs()
    );
    assert!(files_under(&inst.failed()).is_empty(), "{}", inst.logs());
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&dest)
        .unwrap();
    f.write_all(&bytes[split..]).unwrap();
    drop(f);
    wait_until("document", LONG, || files_in(&inst.documents()).len() == 1);
    let v = read_json(&files_in(&inst.documents())[0]);
    assert_eq!(v["source"]["format"], "pdf");
    assert_eq!(v["source"]["bytes"], bytes.len() as u64);
}

#[test]
fn pdf_whose_trailer_never_comes_is_set_aside_after_the_wait() {
    let inst = Install::new("mode = \"events\"\nincomplete_pdf_wait_secs = 1");
    let _daemon = inst.start();
    // Written for this test: a PDF header and nothing else, as an export cut
    // short leaves it; its trailer will never arrive.
    std::fs::write(
        inst.inbox().join("cut-short.pdf"),
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog",
    )
    .unwrap();
    let record = inst.failed().join("cut-short.pdf.error.json");
    wait_until("set aside", LONG, || record.is_file());
    assert!(inst.failed().join("cut-short.pdf").is_file());
    assert!(!inst.inbox().join("cut-short.pdf").exists());
    let v = read_json(&record);
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{v}"
    );
    assert!(files_in(&inst.documents()).is_empty());
}

#[test]
fn byte_identical_file_dropped_again_is_not_analysed_twice() {
    let seeds = require_seeds!();
    let inst = Install::new("mode = \"events\"");
    let _daemon = inst.start();
    drop_file(&seeds[2], &inst.inbox());
    wait_until("first published", LONG, || {
        files_in(&inst.documents()).len() == 1 && inst.waiting().is_empty()
    });
    let doc = files_in(&inst.documents()).remove(0);
    let before = std::fs::metadata(&doc).unwrap().modified().unwrap();
    let alerts_before = files_in(&inst.alerts()).len();
    // Same bytes under another name.
    let again = inst.dir.path().join("again.txt");
    std::fs::copy(&seeds[2], &again).unwrap();
    drop_file(&again, &inst.inbox());
    wait_until("second copy moved out", LONG, || {
        inst.waiting().is_empty() && files_in(&inst.originals()).len() == 2
    });
    assert_eq!(files_in(&inst.documents()), vec![doc.clone()]);
    assert_eq!(
        std::fs::metadata(&doc).unwrap().modified().unwrap(),
        before,
        "re-analysed"
    );
    assert_eq!(
        files_in(&inst.alerts()).len(),
        alerts_before,
        "alerted twice"
    );
    // The log line follows the move: wait for it rather than race it.
    wait_until("duplicate logged", LONG, || {
        inst.logs().contains("duplicate")
    });
}

#[test]
fn bad_inputs_are_set_aside_with_a_reason_and_the_daemon_carries_on() {
    let seeds = require_seeds!();
    let inst = Install::new("mode = \"events\"");
    let _daemon = inst.start();
    let work = inst.dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    // Hand-made bad inputs.
    std::fs::write(
        work.join("corrupt.pdf"),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a pdf\n%%EOF\n",
    )
    .unwrap();
    std::fs::write(work.join("empty.txt"), b"").unwrap();
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    std::fs::write(work.join("binary.txt"), &binary).unwrap();
    for name in ["corrupt.pdf", "empty.txt", "binary.txt"] {
        drop_file(&work.join(name), &inst.inbox());
    }
    wait_until("three failures recorded", LONG, || {
        files_in(&inst.failed()).len() == 6
    });
    for (name, kind) in [
        ("corrupt.pdf", None),
        ("empty.txt", Some("empty")),
        ("binary.txt", Some("not_text")),
    ] {
        assert!(inst.failed().join(name).is_file(), "{name} not set aside");
        let rec = read_json(&inst.failed().join(format!("{name}.error.json")));
        assert_eq!(rec["file"], name);
        if let Some(kind) = kind {
            assert_eq!(rec["error"]["kind"], kind, "{rec}");
        }
        assert!(
            rec["error"]["message"]
                .as_str()
                .is_some_and(|m| m.len() > 10),
            "{rec}"
        );
        assert!(
            rec["error"]["advice"]
                .as_str()
                .is_some_and(|m| m.len() > 10),
            "{rec}"
        );
    }
    assert!(files_in(&inst.documents()).is_empty());
    // Still running and working.
    drop_file(&seeds[0], &inst.inbox());
    wait_until("good file after bad ones", LONG, || {
        files_in(&inst.documents()).len() == 1
    });
    // A corrected file (different bytes, same name) is processed.
    std::fs::write(work.join("empty.txt"), std::fs::read(&seeds[3]).unwrap()).unwrap();
    drop_file(&work.join("empty.txt"), &inst.inbox());
    wait_until("corrected file published", LONG, || {
        files_in(&inst.documents()).len() == 2
    });
}

#[test]
fn temporary_and_system_files_are_ignored() {
    let seeds = require_seeds!();
    let inst = Install::new("mode = \"events\"");
    let _daemon = inst.start();
    for name in [
        "~$minutes.txt",
        "draft.tmp",
        "download.pdf.crdownload",
        "Thumbs.db",
        ".hidden.txt",
    ] {
        std::fs::write(inst.inbox().join(name), b"not for us").unwrap();
    }
    let seed = drop_file(&seeds[0], &inst.inbox());
    wait_until("real file published and moved out", LONG, || {
        files_in(&inst.documents()).len() == 1 && !seed.exists()
    });
    assert_eq!(
        inst.waiting().len(),
        5,
        "ignored files must stay untouched: {:?}",
        inst.waiting()
    );
    assert!(files_under(&inst.failed()).is_empty());
}

#[test]
fn files_already_in_the_inbox_are_processed_at_start_up_in_poll_mode() {
    let seeds = require_seeds!();
    let inst = Install::new("mode = \"poll\"\npoll_interval_ms = 200");
    for s in &seeds {
        drop_file(s, &inst.inbox());
    }
    let _daemon = inst.start();
    wait_until("backlog published", LONG, || {
        files_in(&inst.documents()).len() == seeds.len()
    });
    // And new files are noticed by polling alone.
    let extra = inst.dir.path().join("extra.txt");
    let mut text = std::fs::read(&seeds[0]).unwrap();
    text.extend_from_slice(b"\nA distinct copy for the polling test.\n");
    std::fs::write(&extra, text).unwrap();
    drop_file(&extra, &inst.inbox());
    wait_until("new file found by polling", LONG, || {
        files_in(&inst.documents()).len() == seeds.len() + 1
    });
}

#[test]
fn symlinks_never_lead_out_of_the_inbox() {
    let seeds = require_seeds!();
    let inst = Install::new("mode = \"events\"");
    let outside = inst.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::copy(&seeds[0], outside.join("private.txt")).unwrap();
    std::os::unix::fs::symlink(outside.join("private.txt"), inst.inbox().join("link.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, inst.inbox().join("linkdir")).unwrap();
    let _daemon = inst.start();
    drop_file(&seeds[1], &inst.inbox());
    wait_until("real file published", LONG, || {
        files_in(&inst.documents()).len() == 1
    });
    assert!(
        outside.join("private.txt").is_file(),
        "file outside the inbox was touched"
    );
    assert!(inst.inbox().join("link.txt").is_symlink());
}

#[test]
fn sigterm_stops_cleanly_and_quickly() {
    let inst = Install::new("mode = \"events\"");
    let mut daemon = inst.start();
    wait_until("daemon started", LONG, || {
        inst.logs().contains("minutes-watch started")
    });
    daemon.signal(Signal::SIGTERM);
    let status = daemon.wait_exit(Duration::from_secs(10));
    assert!(
        status.is_some_and(|s| s.success()),
        "exit: {status:?}\n{}",
        inst.logs()
    );
}

#[test]
fn temporaries_of_an_interrupted_run_are_cleared_at_start_up() {
    let inst = Install::new("mode = \"events\"");
    // What a kill mid-write leaves: temporaries beside finished files, in
    // the outbox folders and in the subfolders of originals and failed.
    let left = [
        inst.documents().join(".tmp-doc1"),
        inst.alerts().join(".tmp-alert1"),
        inst.originals().join("Children/.tmp-copy1"),
        inst.failed().join("Children/.tmp-copy2"),
    ];
    let kept = [
        inst.originals().join("Children/minutes.txt"),
        inst.failed().join("Children/bad.pdf"),
    ];
    for path in left.iter().chain(&kept) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"written before the test").unwrap();
    }
    let mut daemon = inst.start();
    wait_until("daemon started", LONG, || {
        inst.logs().contains("minutes-watch started")
    });
    for path in &left {
        assert!(
            !path.exists(),
            "{} was left\n{}",
            path.display(),
            inst.logs()
        );
    }
    for path in &kept {
        assert!(path.exists(), "{} was removed", path.display());
    }
    daemon.signal(Signal::SIGTERM);
    daemon.wait_exit(Duration::from_secs(10));
}

/// Writes `n` distinct minutes files (seeds with a numbered line added so
/// every hash differs) into `dir`.
fn make_backlog(seeds: &[std::path::PathBuf], dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let seed = &seeds[i % seeds.len()];
        let mut text = std::fs::read(seed).unwrap();
        text.extend_from_slice(format!("\nGenerated test copy {i}.\n").as_bytes());
        std::fs::write(dir.join(format!("copy-{i:04}.txt")), text).unwrap();
    }
}

#[test]
fn kill_9_mid_backlog_then_restart_loses_and_duplicates_nothing() {
    let seeds = require_seeds!();
    const N: usize = 600;
    // One worker keeps the backlog long enough to be interrupted part-way.
    let cfg = "mode = \"events\"\n[limits]\nworkers = 1";
    // Reference: the same backlog without a crash.
    let clean = Install::new(cfg);
    make_backlog(&seeds, &clean.inbox(), N);
    let mut d = clean.start();
    wait_until("clean run done", Duration::from_secs(180), || {
        clean.waiting().is_empty() && files_in(&clean.documents()).len() == N
    });
    d.signal(Signal::SIGTERM);
    d.wait_exit(Duration::from_secs(10));

    let inst = Install::new(cfg);
    make_backlog(&seeds, &inst.inbox(), N);
    let mut daemon = inst.start();
    wait_until("part of the backlog done", Duration::from_secs(120), || {
        files_in(&inst.documents()).len() >= N / 4
    });
    daemon.kill9();
    let at_kill = files_in(&inst.documents()).len();
    assert!(
        at_kill < N,
        "backlog finished before the kill; make it larger"
    );
    let _daemon = inst.start();
    let deadline = std::time::Instant::now() + Duration::from_secs(300);
    while !(inst.waiting().is_empty() && files_in(&inst.documents()).len() >= N) {
        assert!(
            std::time::Instant::now() < deadline,
            "backlog not done after restart: {} waiting, {} documents\n{}",
            inst.waiting().len(),
            files_in(&inst.documents()).len(),
            inst.logs()
                .lines()
                .rev()
                .take(40)
                .collect::<Vec<_>>()
                .join("\n")
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let names = |dir: &Path| -> Vec<String> {
        files_in(dir)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(
        names(&inst.documents()),
        names(&clean.documents()),
        "documents differ from a run without a crash"
    );
    assert_eq!(
        names(&inst.alerts()),
        names(&clean.alerts()),
        "alerts differ from a run without a crash"
    );
    assert_eq!(
        files_in(&inst.originals()).len(),
        N,
        "every input moved out exactly once"
    );
    assert!(files_under(&inst.failed()).is_empty(), "{}", inst.logs());
    // No stray temporaries left by the crash are visible as outputs.
    assert!(names(&inst.documents())
        .iter()
        .all(|n| n.ends_with(".json") && !n.starts_with('.')));
}

#[test]
fn taxonomy_edits_reload_without_restart_and_bad_edits_are_refused() {
    let seeds = require_seeds!();
    let inst = Install::new("mode = \"events\"");
    // A private copy of the taxonomy the test may edit.
    let topics = inst.dir.path().join("topics.toml");
    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/topics.toml"))
            .unwrap();
    std::fs::write(&topics, &original).unwrap();
    let cfg = std::fs::read_to_string(&inst.config).unwrap();
    let cfg = cfg
        .lines()
        .map(|l| {
            if l.starts_with("topics =") {
                format!("topics = {topics:?}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&inst.config, cfg).unwrap();
    let daemon = inst.start();
    wait_until("started", LONG, || {
        inst.logs().contains("minutes-watch started")
    });

    // An invalid edit is refused and logged; the old taxonomy stays.
    std::fs::write(&topics, format!("{original}\n[bogus_section]\nx = 1\n")).unwrap();
    daemon.signal(Signal::SIGHUP);
    wait_until("bad edit refused", LONG, || {
        inst.logs().contains("NOT reloaded")
    });
    drop_file(&seeds[0], &inst.inbox());
    wait_until("first document", LONG, || {
        files_in(&inst.documents()).len() == 1
    });
    let v1 = read_json(&files_in(&inst.documents())[0])["taxonomy_version"].clone();

    // A valid edit (here: a topic added) changes the taxonomy in use.
    let added = "\n[[topic]]\nid = \"reload_test\"\nlabel = \"Reload test\"\n\
                 description = \"Added by the reload test.\"\nthreshold = 0.5\n\
                 signals = [ { phrase = \"reload test phrase\", weight = 1.0 } ]\n";
    std::fs::write(&topics, format!("{original}{added}")).unwrap();
    daemon.signal(Signal::SIGHUP);
    wait_until("good edit reloaded", LONG, || {
        inst.logs().contains("taxonomy reloaded")
    });
    drop_file(&seeds[1], &inst.inbox());
    wait_until("second document", LONG, || {
        files_in(&inst.documents()).len() == 2
    });
    let versions: Vec<_> = files_in(&inst.documents())
        .iter()
        .map(|d| read_json(d)["taxonomy_version"].clone())
        .collect();
    assert!(versions.contains(&v1));
    assert!(
        versions.iter().any(|v| v != &v1),
        "reload did not change the taxonomy in use"
    );
}
