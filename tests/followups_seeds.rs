//! Follow-up detection on the real minutes in `../shared/seeds`, through the
//! real segmenter: each seed's expected list is what a careful officer would
//! put in the action tracker after reading the minutes. Skips (with a
//! message) when the seeds are not present.

use minutes_watch::followups::detect;
use minutes_watch::model::{FollowUp, FollowUpKind, Meeting};
use minutes_watch::segment::segment;
use std::path::PathBuf;

use FollowUpKind::*;

fn seeds_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds"))
}

fn run(prefix: &str) -> Option<(Meeting, Vec<FollowUp>)> {
    let dir = seeds_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("SKIP: seeds not found at {}", dir.display());
        return None;
    };
    let Some(path) = entries.filter_map(Result::ok).map(|e| e.path()).find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(prefix))
    }) else {
        eprintln!("SKIP: seed {prefix} not found in {}", dir.display());
        return None;
    };
    let text = std::fs::read_to_string(&path).ok()?;
    let seg = segment(&[text], false);
    let fus = detect(&seg.meeting, &seg.items);
    Some((seg.meeting, fus))
}

/// One expected request: kind, subject, owner, due text, due month, items.
type Expected<'a> = (
    FollowUpKind,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    &'a [&'a str],
);

fn check(prefix: &str, expected: &[Expected]) {
    let Some((_, got)) = run(prefix) else { return };
    let actual: Vec<Expected> = got
        .iter()
        .map(|f| {
            (
                f.kind,
                f.subject.as_str(),
                f.owner.as_deref(),
                f.due.as_ref().map(|d| d.text.as_str()),
                f.due.as_ref().and_then(|d| d.date.as_deref()),
                &[][..],
            )
        })
        .collect();
    let summary = |v: &[Expected]| {
        v.iter()
            .map(|e| format!("{:?}", (e.0, e.1, e.2, e.3, e.4)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        summary(&actual),
        summary(expected),
        "seed {prefix}: follow-ups differ"
    );
    for (f, e) in got.iter().zip(expected) {
        assert_eq!(
            f.items,
            e.5.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "items of {}",
            f.subject
        );
        assert!(f.id.starts_with("fu-"), "id {}", f.id);
        assert!(!f.text.is_empty());
    }
    let mut ids: Vec<&str> = got.iter().map(|f| f.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        got.len(),
        "ids must be distinct within a document"
    );
}

#[test]
fn seed_000_work_programme_suggestions() {
    check(
        "000",
        &[
            (
                Report,
                "Youth Crime Board report",
                None,
                Some("a future meeting"),
                None,
                &["SPCLL.8"],
            ),
            (
                ScheduleItem,
                "Use of outdoor space for children and young people",
                None,
                None,
                None,
                &["SPCLL.8"],
            ),
            (
                ScheduleItem,
                "Children's dental care and oral hygiene",
                None,
                None,
                None,
                &["SPCLL.8"],
            ),
        ],
    );
}

#[test]
fn seed_001_updates_circulations_and_future_report() {
    check(
        "001",
        &[
            (
                Circulate,
                "Children's Innovation Partnership",
                None,
                None,
                None,
                &["56"],
            ),
            (
                Update,
                "Children's Innovation Partnership",
                None,
                Some("a future meeting"),
                None,
                &["56"],
            ),
            (
                Update,
                "Ofsted Inspection of Local Authority Children's Social Care Services",
                None,
                Some("the September meeting"),
                Some("2020-09"),
                &["57"],
            ),
            (
                Information,
                "Local Area Inspection of Special Educational Needs and Disabilities (SEND)",
                None,
                None,
                None,
                &["58"],
            ),
            (Circulate, "conference", None, None, None, &["61"]),
            (
                Report,
                "provisional test and examination results for 2019",
                None,
                None,
                None,
                &["61"],
            ),
        ],
    );
}

#[test]
fn seed_002_three_reports_each_stated_several_times() {
    const SDCO: Option<&str> = Some("Service Director, Children's Operations");
    check(
        "002",
        &[
            (
                Report,
                "funding streams",
                SDCO,
                Some("a future meeting"),
                None,
                &["13", "16", "18"],
            ),
            (
                Action,
                "raise the issue the Corporate Director",
                SDCO,
                None,
                None,
                &["14"],
            ),
            (
                Report,
                "wellbeing of staff in education and vulnerable groups",
                Some("Service Director Education"),
                Some("a future meeting"),
                None,
                &["16", "18"],
            ),
            (
                Report,
                "recruitment of foster carers",
                SDCO,
                Some("the June meeting"),
                Some("2021-06"),
                &["16", "18"],
            ),
            (
                Action,
                "populate the draft dates on the CSRG draft work programme for 2021/22",
                Some("DSO"),
                None,
                None,
                &["18"],
            ),
        ],
    );
    let Some((_, got)) = run("002") else { return };
    let reports = got.iter().filter(|f| f.kind == Report).count();
    assert_eq!(reports, 3, "exactly three distinct report requests");
}

#[test]
fn seed_003_work_programme_topics_without_agenda_previews() {
    check(
        "003",
        &[
            (
                ScheduleItem,
                "Locality Working",
                None,
                None,
                None,
                &["21/4"],
            ),
            (
                ScheduleItem,
                "PACE bed provision",
                None,
                None,
                None,
                &["21/4"],
            ),
            (Update, "Early Help", None, None, None, &["21/4"]),
            (
                ScheduleItem,
                "Small task and finish groups",
                None,
                None,
                None,
                &["21/4"],
            ),
            (
                Update,
                "Ofsted/Children’s Commissioner",
                None,
                None,
                None,
                &["21/4"],
            ),
            (Update, "Covid Recovery", None, None, None, &["21/4"]),
        ],
    );
}

#[test]
fn seed_004_scheduled_items_report_and_chairman_action() {
    check(
        "004",
        &[
            (
                ScheduleItem,
                "Home to School Transport review",
                None,
                Some("the September meeting"),
                None,
                &["595"],
            ),
            (
                Report,
                "OFSTED performance data",
                None,
                None,
                None,
                &["595"],
            ),
            (
                Action,
                "discuss with Officers whether all of the issues on the Work Programme",
                Some("Chairman"),
                None,
                None,
                &["596"],
            ),
            (
                ScheduleItem,
                "Children Missing Education",
                None,
                Some("the September meeting"),
                None,
                &["596"],
            ),
        ],
    );
}

#[test]
fn seed_ids_are_stable_across_runs() {
    let (Some((_, a)), Some((_, b))) = (run("002"), run("002")) else {
        return;
    };
    assert_eq!(a, b);
}

/// Minutes of another council, read from the real PDF through the real
/// extractor and segmenter: Kent County Council's Corporate Parenting Panel.
fn run_pdf(name: &str) -> Option<Vec<FollowUp>> {
    let path =
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/pdf")).join(name);
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("SKIP: {} not found", path.display());
        return None;
    };
    let extracted = match minutes_watch::extract::extract_in_process(&bytes) {
        Ok(e) => e,
        Err(e) => panic!("{name} should be readable: {e}"),
    };
    let seg = segment(&extracted.pages, true);
    Some(detect(&seg.meeting, &seg.items))
}

#[test]
fn kent_corporate_parenting_panel_offers_and_resolutions() {
    let Some(got) = run_pdf("kent_cpp_minutes_2024-10-29.pdf") else {
        return;
    };
    let summary: Vec<(FollowUpKind, &str, Option<&str>)> = got
        .iter()
        .map(|f| (f.kind, f.subject.as_str(), f.owner.as_deref()))
        .collect();
    let expected = [
        (
            Action,
            "write to group leaders to remind Members of their duty",
            Some("Chair"),
        ),
        (
            Action,
            "follow up with Members when the results become available",
            Some("Joanne Carpenter"),
        ),
        (Circulate, "links", Some("Mrs Chandler")),
        (Information, "adoptions by age", Some("Ms Coombs")),
        (Information, "impact of Outcome 22", Some("Mr Read")),
        (ScheduleItem, "governance and monitoring arrangements", None),
        (Report, "Sufficiency Strategy 2022-2027", None),
        (
            Action,
            "raise the matter with the appropriate service",
            Some("Ms Gleave"),
        ),
    ];
    assert_eq!(summary, expected);
    // Every item number is stated and due phrases are kept as written.
    assert!(got.iter().all(|f| !f.items.is_empty()));
    let later = got
        .iter()
        .find(|f| f.subject == "Sufficiency Strategy 2022-2027");
    assert_eq!(
        later.and_then(|f| f.due.as_ref()).map(|d| d.text.as_str()),
        Some("2025")
    );
}

#[test]
fn kent_corporate_parenting_panel_intentions_and_copies() {
    let Some(got) = run_pdf("kent_cpp_minutes_2024-12-10.pdf") else {
        return;
    };
    let summary: Vec<(FollowUpKind, &str, Option<&str>)> = got
        .iter()
        .map(|f| (f.kind, f.subject.as_str(), f.owner.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            // A message to group leaders is an action, not a circulation to the panel.
            (
                Action,
                "send message to group leaders to remind Members of the importance",
                Some("Chair")
            ),
            (
                Report,
                "corporate parenting aspect of the practice framework",
                Some("Leemya McKeown")
            ),
            (
                Circulate,
                "Policy Statement regarding Provision for Independent Providers",
                None
            ),
        ]
    );
    assert_eq!(
        got[1].due.as_ref().map(|d| d.text.as_str()),
        Some("a later date")
    );
}
