//! The ledger across two real-shaped meetings of one committee: the January
//! 2020 minutes from the seed corpus, then a later meeting written by hand
//! (tests/fixtures/handwritten_later_meeting_2020-11-10.txt) that restates
//! one request, answers another and arrives after a third fell due.

use std::path::Path;

use minutes_watch::followups;
use minutes_watch::ledger::{render_csv, AlertEvent, EventKind, Ledger, ListFilter, Status};
use minutes_watch::model::{
    Document, Extraction, ExtractionMethod, Format, Source, SCHEMA_VERSION,
};
use minutes_watch::segment;

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/seeds/001_2b6feb9e7b5a740c.txt"
);
const LATER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/handwritten_later_meeting_2020-11-10.txt"
);

/// Segments and finds follow-ups as the pipeline does; topics are not needed
/// by the ledger.
fn analyse(path: &str, sha: &str) -> Document {
    analyse_in(path, sha, "children-and-families")
}

fn analyse_in(path: &str, sha: &str, folder: &str) -> Document {
    let text = std::fs::read_to_string(path).expect("readable minutes");
    let seg = segment::segment(&[text], false);
    let follow_ups = followups::detect(&seg.meeting, &seg.items);
    Document {
        schema_version: SCHEMA_VERSION,
        source: Source {
            file: Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            folder: folder.into(),
            sha256: sha.into(),
            bytes: 0,
            format: Format::Text,
            pages: None,
            extraction: Extraction {
                method: ExtractionMethod::Text,
                encoding: Some("UTF-8".into()),
            },
            warnings: vec![],
        },
        kind: seg.kind,
        kind_evidence: seg.kind_evidence,
        meeting: seg.meeting,
        taxonomy_version: String::new(),
        items: seg.items,
        follow_ups,
    }
}

/// Each alert as (event, lower-cased request subject).
fn summary(events: &[AlertEvent]) -> Vec<(EventKind, String)> {
    events
        .iter()
        .map(|e| (e.event, e.follow_up.follow_up.subject.to_lowercase()))
        .collect()
}

#[test]
fn later_meeting_restates_delivers_and_finds_overdue() {
    if !Path::new(SEED).exists() {
        eprintln!("SKIP: seed minutes not found at {SEED}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let january = analyse(SEED, "sha-january");
    let november = analyse(LATER, "sha-november");
    // The two sets of minutes spell the committee differently ("and" / "&").
    assert_ne!(january.meeting.committee, november.meeting.committee);

    let (first_alerts, second_alerts) = {
        let mut ledger = Ledger::open(&path).unwrap();
        let first = ledger.record(&january, "outbox/january.json").unwrap();
        let second = ledger.record(&november, "outbox/november.json").unwrap();
        // Replays add nothing.
        assert!(ledger
            .record(&january, "outbox/january.json")
            .unwrap()
            .is_empty());
        assert!(ledger
            .record(&november, "outbox/november.json")
            .unwrap()
            .is_empty());
        (first, second)
        // The daemon "crashes" here: nothing was published.
    };

    // January: every request is new, once.
    assert!(!january.follow_ups.is_empty());
    assert_eq!(first_alerts.len(), january.follow_ups.len());
    assert!(first_alerts
        .iter()
        .all(|a| a.event == EventKind::NewFollowUp));

    // November: exactly one new request, one delivered, one overdue.
    let got = summary(&second_alerts);
    assert_eq!(got.len(), 3, "{got:#?}");
    assert_eq!(got[0].0, EventKind::NewFollowUp);
    assert!(got[0].1.contains("foster carers"), "{got:#?}");
    assert_eq!(got[1].0, EventKind::FollowUpDelivered);
    assert!(got[1].1.contains("innovation partnership"), "{got:#?}");
    assert_eq!(got[2].0, EventKind::FollowUpOverdue);
    assert!(got[2].1.contains("ofsted"), "{got:#?}");

    let delivered = &second_alerts[1];
    assert_eq!(delivered.follow_up.status, Status::Delivered);
    let by = delivered.delivered_by.as_ref().unwrap();
    assert_eq!(by.number, "10");
    assert_eq!(
        delivered.first_raised.meeting_date.as_deref(),
        Some("2020-01-21")
    );
    assert_eq!(delivered.first_raised.items, vec!["56"]);
    assert_eq!(delivered.meeting.date.as_deref(), Some("2020-11-10"));
    assert_eq!(delivered.source.document, "outbox/november.json");

    let overdue = &second_alerts[2];
    assert_eq!(overdue.follow_up.status, Status::Overdue);
    assert_eq!(
        overdue.id,
        format!("follow_up_overdue-{}-2020-09", overdue.follow_up.ledger_id)
    );

    // After the crash every alert is still pending, in order, exactly once.
    let mut ledger = Ledger::open(&path).unwrap();
    let pending = ledger.pending_alerts().unwrap();
    let expected: Vec<AlertEvent> = first_alerts.iter().chain(&second_alerts).cloned().collect();
    assert_eq!(pending, expected);
    for alert in &pending {
        assert!(ledger.mark_published(&alert.id).unwrap());
    }
    assert!(ledger.pending_alerts().unwrap().is_empty());

    // The exam results request was restated in the work programme, not
    // raised again and not answered.
    let open = ledger
        .list(&ListFilter {
            status: Some(Status::Open),
            committee: Some("children and families".into()),
        })
        .unwrap();
    let exams = open
        .iter()
        .find(|e| e.subject.to_lowercase().contains("examination results"))
        .expect("exam results request still open");
    assert_eq!(exams.first_raised.items, vec!["61"]);
    assert_eq!(exams.restatements.len(), 1);
    assert_eq!(
        exams.restatements[0].meeting_date.as_deref(),
        Some("2020-11-10")
    );
    assert_eq!(exams.restatements[0].items, vec!["12"]);
    assert_eq!(
        open.iter()
            .filter(|e| e.subject.to_lowercase().contains("examination results"))
            .count(),
        1
    );

    // The officers' tracker lists the new request with its due month.
    let csv = render_csv(&open).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv
        .lines()
        .any(|l| l.contains("foster carers") && l.contains("March 2021")));
    let overdue_list = ledger
        .list(&ListFilter {
            status: Some(Status::Overdue),
            committee: None,
        })
        .unwrap();
    assert_eq!(overdue_list.len(), 1);
}

/// Minutes of five different councils' committees: none may answer, restate
/// or make overdue another's requests.
#[test]
fn unrelated_committees_only_raise_their_own_new_requests() {
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds");
    let Ok(listing) = std::fs::read_dir(seeds) else {
        eprintln!("SKIP: seed minutes not found at {seeds}");
        return;
    };
    let mut paths: Vec<_> = listing
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("ledger.sqlite")).unwrap();
    let mut requests = 0;
    for path in &paths {
        let name = path.to_string_lossy().into_owned();
        // Dropped in the inbox itself, as an officer without folders would.
        let doc = analyse_in(&name, &name, "");
        let events = ledger.record(&doc, "doc.json").unwrap();
        assert_eq!(events.len(), doc.follow_ups.len(), "{name}");
        assert!(
            events.iter().all(|e| e.event == EventKind::NewFollowUp),
            "{name}: {:#?}",
            summary(&events)
        );
        requests += doc.follow_ups.len();
        assert!(ledger.record(&doc, "doc.json").unwrap().is_empty());
    }
    let all = ledger.list(&ListFilter::default()).unwrap();
    assert_eq!(all.len(), requests);
    assert!(all
        .iter()
        .all(|e| e.status == Status::Open && e.restatements.is_empty()));
    let csv = render_csv(&all).unwrap();
    let rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .count();
    assert_eq!(rows, requests);
}

/// The same two meetings dropped as a backlog, the later one first: the
/// ledger still ends with the same requests and statuses.
#[test]
fn backlog_in_reverse_order_settles_the_same_way() {
    if !Path::new(SEED).exists() {
        eprintln!("SKIP: seed minutes not found at {SEED}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("ledger.sqlite")).unwrap();
    let january = analyse(SEED, "sha-january");
    let november = analyse(LATER, "sha-november");

    let first = ledger.record(&november, "outbox/november.json").unwrap();
    assert!(first.iter().all(|a| a.event == EventKind::NewFollowUp));
    assert_eq!(first.len(), november.follow_ups.len());

    let second = ledger.record(&january, "outbox/january.json").unwrap();
    let got = summary(&second);
    // January's exam results request was already tracked from its November
    // restatement: not new again.
    let new: Vec<_> = got
        .iter()
        .filter(|(e, _)| *e == EventKind::NewFollowUp)
        .collect();
    assert_eq!(new.len(), january.follow_ups.len() - 1, "{got:#?}");
    assert!(!new.iter().any(|(_, s)| s.contains("examination results")));
    let settled: Vec<_> = got
        .iter()
        .filter(|(e, _)| *e != EventKind::NewFollowUp)
        .collect();
    assert_eq!(settled.len(), 2, "{got:#?}");
    assert_eq!(settled[0].0, EventKind::FollowUpDelivered);
    assert!(settled[0].1.contains("innovation partnership"));
    assert_eq!(settled[1].0, EventKind::FollowUpOverdue);
    assert!(settled[1].1.contains("ofsted"));
    assert!(second
        .iter()
        .filter(|a| a.event != EventKind::NewFollowUp)
        .all(|a| a.source.sha256 == "sha-november"));

    // The exam results request now starts at January, restated in November.
    let all = ledger.list(&ListFilter::default()).unwrap();
    let exams = all
        .iter()
        .find(|e| e.subject.to_lowercase().contains("examination results"))
        .unwrap();
    assert_eq!(
        exams.first_raised.meeting_date.as_deref(),
        Some("2020-01-21")
    );
    assert_eq!(exams.restatements.len(), 1);
    assert_eq!(exams.status, Status::Open);
}

/// Real minutes that name neither committee nor date, dropped in the inbox
/// root, then corrected copies of them (one line changed, new bytes): one
/// meeting, alerted once. A correction adding the committee's name is the
/// same meeting too.
#[test]
fn corrected_copies_of_unnamed_minutes_are_one_meeting() {
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/seeds/003_5c2d0bb7877eabe4.txt"
    );
    let Ok(text) = std::fs::read_to_string(seed) else {
        eprintln!("SKIP: seed minutes not found at {seed}");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    let mut ledger = Ledger::open(&dir.path().join("ledger.sqlite")).unwrap();
    let first = analyse_in(&write("m.txt", &text), "sha-0", "");
    assert_eq!(first.meeting.committee, None);
    assert_eq!(first.meeting.date, None);
    let raised = ledger.record(&first, "m-0.json").unwrap();
    assert_eq!(raised.len(), first.follow_ups.len());
    assert!(!raised.is_empty());

    for n in 1..=3 {
        let fixed = text.replacen(
            "statutory role that all",
            &format!("statutory role (amendment {n}) that all"),
            1,
        );
        assert_ne!(fixed, text);
        let copy = analyse_in(&write("m.txt", &fixed), &format!("sha-{n}"), "");
        let events = ledger.record(&copy, &format!("m-{n}.json")).unwrap();
        assert!(events.is_empty(), "copy {n}: {:#?}", summary(&events));
    }
    let named = format!("Children and Young People's Scrutiny Panel\n\n{text}");
    let copy = analyse_in(&write("m.txt", &named), "sha-named", "");
    assert!(copy.meeting.committee.is_some());
    let events = ledger.record(&copy, "m-named.json").unwrap();
    assert!(events.is_empty(), "{:#?}", summary(&events));
    assert_eq!(
        ledger.list(&ListFilter::default()).unwrap().len(),
        first.follow_ups.len()
    );

    // Other councils' minutes are not copies of it.
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds");
    for entry in std::fs::read_dir(seeds).unwrap().flatten() {
        let path = entry.path().to_string_lossy().into_owned();
        if path.ends_with(".txt") && !path.ends_with("003_5c2d0bb7877eabe4.txt") {
            let other = analyse_in(&path, &path, "");
            let events = ledger.record(&other, "other.json").unwrap();
            assert_eq!(events.len(), other.follow_ups.len(), "{path}");
        }
    }
}
