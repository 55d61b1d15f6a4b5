//! Ledger behaviour across meetings. Documents here are built by hand.

use super::*;
use crate::model::{
    Attendance, Document, Due, Extraction, ExtractionMethod, FollowUp, FollowUpKind, Format, Item,
    Meeting, Source,
};

const COMMITTEE: &str = "Children and Families Overview and Scrutiny Committee";

fn doc(sha: &str, committee: Option<&str>, date: Option<&str>) -> Document {
    Document {
        schema_version: crate::model::SCHEMA_VERSION,
        source: Source {
            file: format!("{sha}.txt"),
            folder: "children".into(),
            sha256: sha.into(),
            bytes: 1,
            format: Format::Text,
            pages: None,
            extraction: Extraction {
                method: ExtractionMethod::Text,
                encoding: Some("UTF-8".into()),
            },
            warnings: vec![],
        },
        kind: crate::model::DocumentKind::Minutes,
        kind_evidence: vec![],
        meeting: Meeting {
            council: None,
            committee: committee.map(str::to_string),
            date: date.map(str::to_string),
            time: None,
            venue: None,
            attendance: Attendance::default(),
        },
        taxonomy_version: "t".into(),
        items: vec![],
        follow_ups: vec![],
    }
}

fn with_item(mut d: Document, number: &str, title: &str, text: &str) -> Document {
    d.items.push(Item {
        number: number.into(),
        title: title.into(),
        text: text.into(),
        ..Item::default()
    });
    d
}

fn with_request(
    mut d: Document,
    id: &str,
    subject: &str,
    item: &str,
    due: Option<(&str, &str)>,
) -> Document {
    d.follow_ups.push(FollowUp {
        id: id.into(),
        text: format!("That a further update on {subject} be provided."),
        kind: FollowUpKind::Update,
        subject: subject.into(),
        owner: None,
        due: due.map(|(text, date)| Due {
            text: text.into(),
            date: Some(date.into()),
        }),
        items: vec![item.into()],
    });
    d
}

/// January meeting: three requests.
fn january() -> Document {
    let d = doc("jan", Some(COMMITTEE), Some("2020-01-21"));
    let d = with_item(
        d,
        "56",
        "Children's Innovation Partnership.",
        "Presentation on Barnardo's partnership.",
    );
    let d = with_item(
        d,
        "57",
        "Ofsted Inspection of Local Authority Children's Social Care Services.",
        "Action plan.",
    );
    let d = with_item(
        d,
        "61",
        "Virtual School.",
        "Examination results would be presented.",
    );
    let d = with_request(
        d,
        "fu-cip",
        "the Children's Innovation Partnership",
        "56",
        None,
    );
    let d = with_request(
        d,
        "fu-ofsted",
        "the Ofsted action plan",
        "57",
        Some(("September 2020", "2020-09")),
    );
    with_request(
        d,
        "fu-exams",
        "examination results of children in care",
        "61",
        None,
    )
}

fn open_ledger() -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(&dir.path().join("ledger.sqlite")).unwrap();
    (dir, ledger)
}

fn kinds(events: &[AlertEvent]) -> Vec<(EventKind, String)> {
    events
        .iter()
        .map(|e| (e.event, e.follow_up.follow_up.id.clone()))
        .collect()
}

fn status_of(ledger: &Ledger, detector_id: &str) -> Status {
    let all = ledger.list(&ListFilter::default()).unwrap();
    let subject = match detector_id {
        "fu-cip" => "the Children's Innovation Partnership",
        "fu-ofsted" => "the Ofsted action plan",
        "fu-exams" => "examination results of children in care",
        other => other,
    };
    all.iter()
        .find(|e| e.subject == subject)
        .map(|e| e.status)
        .unwrap()
}

#[test]
fn first_minutes_raise_one_new_follow_up_alert_per_request() {
    let (_dir, mut ledger) = open_ledger();
    let events = ledger.record(&january(), "outbox/jan.json").unwrap();
    assert_eq!(
        kinds(&events),
        vec![
            (EventKind::NewFollowUp, "fu-cip".to_string()),
            (EventKind::NewFollowUp, "fu-ofsted".to_string()),
            (EventKind::NewFollowUp, "fu-exams".to_string()),
        ]
    );
    let e = &events[1];
    assert_eq!(e.id, format!("new_follow_up-{}", e.follow_up.ledger_id));
    assert_eq!(e.follow_up.status, Status::Open);
    assert_eq!(e.meeting.date.as_deref(), Some("2020-01-21"));
    assert_eq!(e.source.document, "outbox/jan.json");
    assert_eq!(e.first_raised.items, vec!["57"]);
    assert_eq!(ledger.pending_alerts().unwrap(), events);
}

#[test]
fn recording_the_same_document_twice_raises_nothing() {
    let (_dir, mut ledger) = open_ledger();
    assert_eq!(ledger.record(&january(), "a.json").unwrap().len(), 3);
    assert!(ledger.record(&january(), "a.json").unwrap().is_empty());
    assert_eq!(ledger.pending_alerts().unwrap().len(), 3);
    assert_eq!(ledger.list(&ListFilter::default()).unwrap().len(), 3);
    assert!(ledger.contains_document("jan").unwrap());
}

#[test]
fn later_meeting_restates_delivers_and_finds_overdue() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    // November: work programme restates the exams request, an item answers the
    // partnership request, the Ofsted update (due September) never came.
    let d = doc(
        "nov",
        Some("CHILDREN & FAMILIES OVERVIEW & SCRUTINY COMMITTEE"),
        Some("2020-11-10"),
    );
    let d = with_item(
        d,
        "20",
        "Work Programme",
        "Examination results of children in care to come.",
    );
    let d = with_item(
        d,
        "21",
        "Children's Innovation Partnership - Second Year",
        "Barnardo's partnership progress.",
    );
    let d = with_request(
        d,
        "fu-exams-wp",
        "examination results for children in care",
        "20",
        None,
    );
    let events = ledger.record(&d, "nov.json").unwrap();
    assert_eq!(
        kinds(&events),
        vec![
            (EventKind::FollowUpDelivered, "fu-cip".to_string()),
            (EventKind::FollowUpOverdue, "fu-ofsted".to_string()),
        ]
    );
    let delivered = &events[0];
    assert_eq!(delivered.follow_up.status, Status::Delivered);
    assert_eq!(
        delivered.delivered_by.as_ref().map(|i| i.number.as_str()),
        Some("21")
    );
    assert_eq!(
        delivered.first_raised.meeting_date.as_deref(),
        Some("2020-01-21")
    );
    assert_eq!(delivered.meeting.date.as_deref(), Some("2020-11-10"));
    let overdue = &events[1];
    assert_eq!(
        overdue.id,
        format!("follow_up_overdue-{}-2020-09", overdue.follow_up.ledger_id)
    );

    assert_eq!(status_of(&ledger, "fu-cip"), Status::Delivered);
    assert_eq!(status_of(&ledger, "fu-ofsted"), Status::Overdue);
    assert_eq!(status_of(&ledger, "fu-exams"), Status::Open);
    let exams = ledger
        .list(&ListFilter {
            status: Some(Status::Open),
            committee: None,
        })
        .unwrap();
    assert_eq!(exams.len(), 1);
    assert_eq!(exams[0].restatements.len(), 1);
    assert_eq!(exams[0].restatements[0].items, vec!["20"]);
    assert_eq!(
        exams[0].restatements[0].meeting_date.as_deref(),
        Some("2020-11-10")
    );

    // A further meeting does not repeat the overdue alert.
    let d = doc("dec", Some(COMMITTEE), Some("2020-12-08"));
    assert!(ledger.record(&d, "dec.json").unwrap().is_empty());
}

#[test]
fn overdue_only_after_the_due_month_ends() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let during = doc("sep", Some(COMMITTEE), Some("2020-09-29"));
    assert!(ledger.record(&during, "sep.json").unwrap().is_empty());
    let after = doc("oct", Some(COMMITTEE), Some("2020-10-01"));
    let events = ledger.record(&after, "oct.json").unwrap();
    assert_eq!(
        kinds(&events),
        vec![(EventKind::FollowUpOverdue, "fu-ofsted".to_string())]
    );
}

#[test]
fn other_committees_minutes_neither_deliver_nor_make_overdue() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let d = doc(
        "adults",
        Some("Adults and Communities Overview and Scrutiny Committee"),
        Some("2020-11-10"),
    );
    let d = with_item(
        d,
        "5",
        "Children's Innovation Partnership",
        "Barnardo's partnership.",
    );
    assert!(ledger.record(&d, "adults.json").unwrap().is_empty());
    assert_eq!(status_of(&ledger, "fu-cip"), Status::Open);
    assert_eq!(status_of(&ledger, "fu-ofsted"), Status::Open);
}

#[test]
fn unnamed_committee_is_identified_by_its_folder() {
    let (_dir, mut ledger) = open_ledger();
    let mut first = with_item(
        doc("a", None, Some("2021-01-01")),
        "3",
        "Youth Justice Plan",
        "",
    );
    first = with_request(first, "fu-yj", "the Youth Justice Plan", "3", None);
    ledger.record(&first, "a.json").unwrap();

    let mut elsewhere = with_item(
        doc("b", None, Some("2021-03-01")),
        "4",
        "Youth Justice Plan",
        "",
    );
    elsewhere.source.folder = "adults".into();
    assert!(ledger.record(&elsewhere, "b.json").unwrap().is_empty());

    let same_folder = with_item(
        doc("c", None, Some("2021-03-01")),
        "4",
        "Youth Justice Plan 2021",
        "",
    );
    let events = ledger.record(&same_folder, "c.json").unwrap();
    assert_eq!(
        kinds(&events),
        vec![(EventKind::FollowUpDelivered, "fu-yj".to_string())]
    );
}

#[test]
fn earlier_dated_minutes_arriving_late_do_not_deliver() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let d = doc("nov19", Some(COMMITTEE), Some("2019-11-05"));
    let d = with_item(
        d,
        "30",
        "Children's Innovation Partnership",
        "Barnardo's partnership.",
    );
    assert!(ledger.record(&d, "nov19.json").unwrap().is_empty());
    assert_eq!(status_of(&ledger, "fu-cip"), Status::Open);
}

#[test]
fn earlier_dated_statement_becomes_the_first_raised() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let d = doc("nov19", Some(COMMITTEE), Some("2019-11-05"));
    let d = with_item(d, "30", "Ofsted inspection", "");
    let d = with_request(d, "fu-ofsted", "the Ofsted action plan", "30", None);
    assert!(ledger.record(&d, "nov19.json").unwrap().is_empty());
    let open = ledger.list(&ListFilter::default()).unwrap();
    let ofsted = open
        .iter()
        .find(|e| e.subject == "the Ofsted action plan")
        .unwrap();
    assert_eq!(
        ofsted.first_raised.meeting_date.as_deref(),
        Some("2019-11-05")
    );
    assert_eq!(ofsted.restatements.len(), 1);
    assert_eq!(
        ofsted.restatements[0].meeting_date.as_deref(),
        Some("2020-01-21")
    );
}

#[test]
fn without_dates_arrival_order_decides() {
    let (_dir, mut ledger) = open_ledger();
    let first = with_item(
        doc("a", Some(COMMITTEE), None),
        "5",
        "Care Leaver Offer",
        "",
    );
    let first = with_request(first, "fu-cl", "the care leaver offer", "5", None);
    ledger.record(&first, "a.json").unwrap();
    let later = with_item(
        doc("b", Some(COMMITTEE), None),
        "9",
        "Care Leaver Offer Review",
        "",
    );
    let events = ledger.record(&later, "b.json").unwrap();
    assert_eq!(
        kinds(&events),
        vec![(EventKind::FollowUpDelivered, "fu-cl".to_string())]
    );
}

#[test]
fn asking_again_at_the_answering_item_starts_a_new_request() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let d = doc("jun", Some(COMMITTEE), Some("2020-06-02"));
    let d = with_item(d, "12", "Children's Innovation Partnership", "Second year.");
    let d = with_request(
        d,
        "fu-cip",
        "the Children's Innovation Partnership",
        "12",
        None,
    );
    let events = ledger.record(&d, "jun.json").unwrap();
    assert_eq!(
        kinds(&events),
        vec![
            (EventKind::NewFollowUp, "fu-cip".to_string()),
            (EventKind::FollowUpDelivered, "fu-cip".to_string()),
        ]
    );
    assert_ne!(events[0].follow_up.ledger_id, events[1].follow_up.ledger_id);
    // A later matters-arising mention restates the new one, not the delivered one.
    let d = doc("jul", Some(COMMITTEE), Some("2020-07-07"));
    let d = with_item(d, "2", "Matters Arising", "");
    let d = with_request(
        d,
        "fu-cip-ma",
        "Children's Innovation Partnership",
        "2",
        None,
    );
    assert!(ledger.record(&d, "jul.json").unwrap().is_empty());
    let open = ledger
        .list(&ListFilter {
            status: Some(Status::Open),
            committee: None,
        })
        .unwrap();
    let cip = open
        .iter()
        .find(|e| e.first_raised.sha256 == "jun")
        .unwrap();
    assert_eq!(cip.restatements.len(), 1);
}

#[test]
fn deferral_reopens_and_a_second_lapse_alerts_again() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let oct = doc("oct", Some(COMMITTEE), Some("2020-10-06"));
    assert_eq!(ledger.record(&oct, "oct.json").unwrap().len(), 1);
    // November: the action log pushes the Ofsted update to January.
    let nov = with_item(
        doc("nov", Some(COMMITTEE), Some("2020-11-10")),
        "4",
        "Action Log",
        "",
    );
    let nov = with_request(
        nov,
        "fu-ofsted",
        "the Ofsted action plan",
        "4",
        Some(("January 2021", "2021-01")),
    );
    assert!(ledger.record(&nov, "nov.json").unwrap().is_empty());
    assert_eq!(status_of(&ledger, "fu-ofsted"), Status::Open);
    let feb = doc("feb", Some(COMMITTEE), Some("2021-02-02"));
    let events = ledger.record(&feb, "feb.json").unwrap();
    assert_eq!(events.len(), 1);
    assert!(events[0].id.ends_with("-2021-01"), "{}", events[0].id);
}

#[test]
fn pending_alerts_survive_a_crash_and_publish_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let raised = {
        let mut ledger = Ledger::open(&path).unwrap();
        ledger.record(&january(), "jan.json").unwrap()
        // dropped here without publishing: the daemon died
    };
    let mut ledger = Ledger::open(&path).unwrap();
    let pending = ledger.pending_alerts().unwrap();
    assert_eq!(pending, raised);
    // Replaying the document after the crash adds nothing.
    assert!(ledger.record(&january(), "jan.json").unwrap().is_empty());
    assert_eq!(ledger.pending_alerts().unwrap().len(), 3);
    assert!(ledger.mark_published(&pending[0].id).unwrap());
    assert!(!ledger.mark_published(&pending[0].id).unwrap());
    drop(ledger);
    let mut ledger = Ledger::open(&path).unwrap();
    let left: Vec<String> = ledger
        .pending_alerts()
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(left, vec![pending[1].id.clone(), pending[2].id.clone()]);
    for id in &left {
        assert!(ledger.mark_published(id).unwrap());
    }
    assert!(ledger.pending_alerts().unwrap().is_empty());
}

#[test]
fn alert_ids_do_not_depend_on_the_clock_or_the_database() {
    let (_a, mut one) = open_ledger();
    let (_b, mut two) = open_ledger();
    let ids = |events: Vec<AlertEvent>| events.into_iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(
        ids(one.record(&january(), "x.json").unwrap()),
        ids(two.record(&january(), "x.json").unwrap())
    );
}

#[test]
fn list_filters_by_status_and_committee_name() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let other = with_item(
        doc("adults", Some("Adults Scrutiny Panel"), Some("2020-02-01")),
        "1",
        "Day Care",
        "",
    );
    let other = with_request(other, "fu-day", "day care review", "1", None);
    ledger.record(&other, "adults.json").unwrap();

    let all = ledger.list(&ListFilter::default()).unwrap();
    assert_eq!(all.len(), 4);
    let children = ledger
        .list(&ListFilter {
            status: None,
            committee: Some("children & families".into()),
        })
        .unwrap();
    assert_eq!(children.len(), 3);
    let adults = ledger
        .list(&ListFilter {
            status: Some(Status::Open),
            committee: Some("ADULTS".into()),
        })
        .unwrap();
    assert_eq!(adults.len(), 1);
    assert_eq!(adults[0].subject, "day care review");
    let delivered = ledger
        .list(&ListFilter {
            status: Some(Status::Delivered),
            committee: None,
        })
        .unwrap();
    assert!(delivered.is_empty());
}

#[test]
fn malformed_dates_fall_back_to_arrival_order() {
    let (_dir, mut ledger) = open_ledger();
    let d = with_item(
        doc("a", Some(COMMITTEE), Some("21st January")),
        "5",
        "SEND Inspection",
        "",
    );
    let d = with_request(
        d,
        "fu-send",
        "SEND inspection outcome",
        "5",
        Some(("soon", "2020-13")),
    );
    ledger.record(&d, "a.json").unwrap();
    let later = doc("b", Some(COMMITTEE), Some("2030-01-01"));
    // Invalid due month: never overdue; no panic on odd input.
    assert!(ledger.record(&later, "b.json").unwrap().is_empty());
}

#[test]
fn status_and_format_parse_from_cli_text() {
    assert_eq!("Overdue".parse::<Status>().unwrap(), Status::Overdue);
    let err = "closed".parse::<Status>().unwrap_err();
    assert!(
        err.to_string().contains("open, delivered, overdue"),
        "{err}"
    );
    assert_eq!("CSV".parse::<ListFormat>().unwrap(), ListFormat::Csv);
    assert!("xlsx".parse::<ListFormat>().is_err());
}

#[test]
fn render_dispatches_on_format() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let entries = ledger.list(&ListFilter::default()).unwrap();
    assert!(render(&entries, ListFormat::Csv)
        .unwrap()
        .starts_with('\u{feff}'));
    assert!(render(&entries, ListFormat::Json)
        .unwrap()
        .trim_start()
        .starts_with('['));
    assert!(render(&entries, ListFormat::Table)
        .unwrap()
        .starts_with("STATUS"));
}

#[test]
fn an_overdue_request_can_still_be_delivered() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let oct = doc("oct", Some(COMMITTEE), Some("2020-10-06"));
    assert_eq!(ledger.record(&oct, "oct.json").unwrap().len(), 1);
    let nov = with_item(
        doc("nov", Some(COMMITTEE), Some("2020-11-10")),
        "6",
        "Ofsted Action Plan: Progress",
        "Progress against the Ofsted action plan.",
    );
    let events = ledger.record(&nov, "nov.json").unwrap();
    assert_eq!(
        kinds(&events),
        vec![(EventKind::FollowUpDelivered, "fu-ofsted".to_string())]
    );
    assert_eq!(status_of(&ledger, "fu-ofsted"), Status::Delivered);
}

#[test]
fn mention_elsewhere_in_the_answering_minutes_is_a_restatement() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let d = doc("jun", Some(COMMITTEE), Some("2020-06-02"));
    let d = with_item(d, "12", "Children's Innovation Partnership", "Second year.");
    let d = with_item(d, "15", "Work Programme", "");
    let d = with_request(
        d,
        "fu-cip-wp",
        "the Children's Innovation Partnership",
        "15",
        None,
    );
    let events = ledger.record(&d, "jun.json").unwrap();
    assert_eq!(
        kinds(&events),
        vec![(EventKind::FollowUpDelivered, "fu-cip".to_string())]
    );
    assert_eq!(ledger.list(&ListFilter::default()).unwrap().len(), 3);
}

#[test]
fn undated_copy_of_the_same_minutes_does_not_deliver_its_own_requests() {
    let (_dir, mut ledger) = open_ledger();
    let minutes = |sha: &str| {
        let d = with_item(
            doc(sha, Some(COMMITTEE), None),
            "5",
            "Care Leaver Offer",
            "",
        );
        with_request(d, "fu-cl", "the care leaver offer", "5", None)
    };
    assert_eq!(ledger.record(&minutes("txt"), "a.json").unwrap().len(), 1);
    // The same minutes as a PDF: different bytes, same words, no date found.
    assert!(ledger.record(&minutes("pdf"), "b.json").unwrap().is_empty());
    assert_eq!(status_of(&ledger, "the care leaver offer"), Status::Open);
}

#[test]
fn a_second_handle_reads_while_the_first_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let mut daemon = Ledger::open(&path).unwrap();
    let officer = Ledger::open(&path).unwrap();
    assert!(officer.list(&ListFilter::default()).unwrap().is_empty());
    daemon.record(&january(), "jan.json").unwrap();
    assert_eq!(officer.list(&ListFilter::default()).unwrap().len(), 3);
    assert_eq!(officer.pending_alerts().unwrap().len(), 3);
}

#[test]
fn alert_json_carries_request_status_meeting_and_source() {
    let (_dir, mut ledger) = open_ledger();
    let events = ledger.record(&january(), "outbox/jan.json").unwrap();
    let alert = &events[1];
    assert_eq!(alert.file_name(), format!("{}.json", alert.id));
    let json: serde_json::Value = serde_json::to_value(alert).unwrap();
    assert_eq!(json["event"], "new_follow_up");
    assert_eq!(json["follow_up"]["id"], "fu-ofsted");
    assert_eq!(json["follow_up"]["status"], "open");
    assert_eq!(json["follow_up"]["due"]["date"], "2020-09");
    assert_eq!(json["meeting"]["committee"], COMMITTEE);
    assert_eq!(json["meeting"]["date"], "2020-01-21");
    assert_eq!(json["source"]["sha256"], "jan");
    assert_eq!(json["source"]["document"], "outbox/jan.json");
    assert!(json.get("delivered_by").is_none());
    let back: AlertEvent = serde_json::from_value(json).unwrap();
    assert_eq!(&back, alert);
}

#[test]
fn unnamed_minutes_in_the_inbox_root_stand_alone() {
    let (_dir, mut ledger) = open_ledger();
    let mut first = with_item(doc("a", None, None), "3", "Youth Justice Plan", "");
    first.source.folder = String::new();
    first = with_request(first, "fu-yj", "the Youth Justice Plan", "3", None);
    assert_eq!(ledger.record(&first, "a.json").unwrap().len(), 1);
    let mut other = with_item(doc("b", None, None), "7", "Youth Justice Plan 2021", "");
    other.source.folder = String::new();
    assert!(ledger.record(&other, "b.json").unwrap().is_empty());
    assert_eq!(status_of(&ledger, "the Youth Justice Plan"), Status::Open);
}

#[test]
fn opening_creates_the_state_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state").join("ledger.sqlite");
    Ledger::open(&path).unwrap();
    assert!(path.exists());
}

#[test]
fn a_document_without_a_hash_is_refused() {
    let (_dir, mut ledger) = open_ledger();
    let d = doc("", Some(COMMITTEE), Some("2020-01-21"));
    assert!(matches!(
        ledger.record(&d, "x.json"),
        Err(LedgerError::MissingHash)
    ));
}

#[test]
fn matters_arising_saying_it_was_circulated_delivers_a_circulate_request() {
    let (_dir, mut ledger) = open_ledger();
    let jan = with_item(
        doc("jan", Some(COMMITTEE), Some("2020-01-21")),
        "61",
        "Virtual School.",
        "",
    );
    let mut jan = with_request(jan, "fu-conf", "conference", "61", None);
    jan.follow_ups[0].kind = FollowUpKind::Circulate;
    jan.follow_ups[0].text = "Details of the conference would be circulated to members.".into();
    ledger.record(&jan, "jan.json").unwrap();

    // An agenda item on the conference does not circulate anything...
    let feb = with_item(
        doc("feb", Some(COMMITTEE), Some("2020-02-04")),
        "5",
        "Virtual School Conference",
        "",
    );
    assert!(ledger.record(&feb, "feb.json").unwrap().is_empty());
    // ...the matters arising saying it was done does.
    let mar = with_item(
        doc("mar", Some(COMMITTEE), Some("2020-03-03")),
        "2",
        "Matters Arising",
        "Minute 61: details of the conference had been circulated to members on 30 January.",
    );
    let events = ledger.record(&mar, "mar.json").unwrap();
    assert_eq!(
        kinds(&events),
        vec![(EventKind::FollowUpDelivered, "fu-conf".to_string())]
    );
    assert_eq!(
        events[0].delivered_by.as_ref().map(|i| i.title.as_str()),
        Some("Matters Arising")
    );
}

#[test]
fn publishing_stops_at_a_failed_write_and_resumes_without_duplicates() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let mut written: Vec<String> = Vec::new();
    let failed = ledger.publish_pending(|alert| {
        if written.len() == 1 {
            return Err(anyhow::anyhow!("disk full"));
        }
        written.push(alert.file_name());
        Ok(())
    });
    assert!(failed.is_err());
    assert_eq!(ledger.pending_alerts().unwrap().len(), 2);
    let published = ledger
        .publish_pending(|alert| {
            written.push(alert.file_name());
            Ok::<_, anyhow::Error>(())
        })
        .unwrap();
    assert_eq!(published, 2);
    assert_eq!(written.len(), 3);
    let unique: std::collections::BTreeSet<_> = written.iter().collect();
    assert_eq!(unique.len(), 3);
    assert!(ledger.pending_alerts().unwrap().is_empty());
}

#[test]
fn a_deferred_request_is_not_overdue_until_its_new_month_passes() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let oct = with_item(
        doc("oct", Some(COMMITTEE), Some("2020-10-06")),
        "2",
        "Matters Arising",
        "The update on the Ofsted action plan had been deferred to the January 2021 meeting.",
    );
    assert!(ledger.record(&oct, "oct.json").unwrap().is_empty());
    let ofsted = ledger
        .list(&ListFilter {
            status: Some(Status::Open),
            committee: None,
        })
        .unwrap()
        .into_iter()
        .find(|e| e.subject == "the Ofsted action plan")
        .unwrap();
    assert_eq!(ofsted.due.and_then(|d| d.date).as_deref(), Some("2021-01"));
    let feb = doc("feb", Some(COMMITTEE), Some("2021-02-02"));
    let events = ledger.record(&feb, "feb.json").unwrap();
    assert_eq!(
        kinds(&events),
        vec![(EventKind::FollowUpOverdue, "fu-ofsted".to_string())]
    );
    assert!(events[0].id.ends_with("-2021-01"));
}

#[test]
fn later_minutes_recorded_first_still_answer_and_show_late() {
    let (_dir, mut ledger) = open_ledger();
    // A backlog dropped at once: November and March arrive before January.
    let nov = doc("nov", Some(COMMITTEE), Some("2020-11-10"));
    assert!(ledger.record(&nov, "nov.json").unwrap().is_empty());
    let mar = with_item(
        doc("mar", Some(COMMITTEE), Some("2020-03-03")),
        "70",
        "Children's Innovation Partnership",
        "Barnardo's partnership, year one.",
    );
    assert!(ledger.record(&mar, "mar.json").unwrap().is_empty());

    let events = ledger.record(&january(), "jan.json").unwrap();
    assert_eq!(
        kinds(&events),
        vec![
            (EventKind::NewFollowUp, "fu-cip".to_string()),
            (EventKind::NewFollowUp, "fu-ofsted".to_string()),
            (EventKind::NewFollowUp, "fu-exams".to_string()),
            (EventKind::FollowUpDelivered, "fu-cip".to_string()),
            (EventKind::FollowUpOverdue, "fu-ofsted".to_string()),
        ]
    );
    // Each alert names the minutes that show it.
    assert_eq!(events[3].source.sha256, "mar");
    assert_eq!(events[3].meeting.date.as_deref(), Some("2020-03-03"));
    assert_eq!(
        events[3].delivered_by.as_ref().map(|i| i.number.as_str()),
        Some("70")
    );
    assert_eq!(events[4].source.sha256, "nov");
    assert_eq!(events[3].first_raised.sha256, "jan");
    assert_eq!(status_of(&ledger, "fu-cip"), Status::Delivered);
    assert_eq!(status_of(&ledger, "fu-ofsted"), Status::Overdue);
    assert_eq!(status_of(&ledger, "fu-exams"), Status::Open);
    let delivered = ledger
        .list(&ListFilter {
            status: Some(Status::Delivered),
            committee: None,
        })
        .unwrap();
    assert_eq!(
        delivered[0].delivered.as_ref().map(|d| d.file.as_str()),
        Some("mar.txt")
    );
}

#[test]
fn marking_many_alerts_published_at_once() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let ids: Vec<String> = ledger
        .pending_alerts()
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert!(ids.len() >= 2);
    assert_eq!(ledger.mark_all_published(&ids[..1]).unwrap(), 1);
    assert_eq!(ledger.pending_alerts().unwrap().len(), ids.len() - 1);
    assert_eq!(ledger.mark_all_published(&ids).unwrap(), ids.len() - 1);
    assert!(ledger.pending_alerts().unwrap().is_empty());
}

/// Minutes naming neither committee nor date, dropped in the inbox root.
fn unnamed_minutes(sha: &str, fix: &str) -> Document {
    let mut d = doc(sha, None, None);
    d.source.folder = String::new();
    let d = with_item(
        d,
        "21/3",
        "Overview of Children's Services",
        &format!(
            "The Executive Director explained that her post was a statutory role{fix}. Early \
             Help caseloads were high and the Multi Agency Children's Hub filtered contacts."
        ),
    );
    let d = with_item(
        d,
        "21/4",
        "Work Programme",
        "Members suggested locality working and PACE bed provision.",
    );
    let d = with_request(d, "fu-locality", "locality working", "21/4", None);
    with_request(d, "fu-pace", "PACE bed provision", "21/4", None)
}

#[test]
fn corrected_copy_of_unnamed_minutes_raises_only_what_is_new() {
    let (_dir, mut ledger) = open_ledger();
    assert_eq!(
        ledger
            .record(&unnamed_minutes("a", ""), "a.json")
            .unwrap()
            .len(),
        2
    );
    for (sha, fix) in [("b", " (corrected)"), ("c", " (corrected again)")] {
        let events = ledger.record(&unnamed_minutes(sha, fix), "b.json").unwrap();
        assert!(events.is_empty(), "{sha}: {:#?}", kinds(&events));
    }
    // A request the correction adds is news.
    let d = with_request(
        unnamed_minutes("d", " (final)"),
        "fu-early-help",
        "the Early Help strategy",
        "21/3",
        None,
    );
    let events = ledger.record(&d, "d.json").unwrap();
    assert_eq!(
        kinds(&events),
        vec![(EventKind::NewFollowUp, "fu-early-help".to_string())]
    );
    let listed = ledger.list(&ListFilter::default()).unwrap();
    assert_eq!(listed.len(), 3);
    // Corrections of the meeting that raised a request do not restate it.
    assert!(
        listed.iter().all(|e| e.restatements.is_empty()),
        "{listed:#?}"
    );
    // Each copy supersedes the one before; all record the first's meeting.
    let chain: Vec<(String, Option<i64>, Option<String>)> = ledger
        .conn
        .prepare(
            "SELECT d.sha256, COALESCE(d.meeting, d.seq),
                    (SELECT n.sha256 FROM documents n WHERE n.seq = d.superseded_by)
             FROM documents d ORDER BY d.seq",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let first = chain[0].1;
    assert!(chain.iter().all(|(_, meeting, _)| *meeting == first));
    let next: Vec<Option<&str>> = chain.iter().map(|(_, _, n)| n.as_deref()).collect();
    assert_eq!(next, vec![Some("b"), Some("c"), Some("d"), None]);
}

#[test]
fn a_correction_naming_the_committee_brings_the_meeting_to_it() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&unnamed_minutes("a", ""), "a.json").unwrap();
    let mut named = unnamed_minutes("b", "");
    named.meeting.committee = Some(COMMITTEE.into());
    assert!(ledger.record(&named, "b.json").unwrap().is_empty());
    // A later meeting of that committee now answers the meeting's requests.
    let later = with_item(
        doc("c", Some(COMMITTEE), Some("2021-09-01")),
        "30",
        "Locality Working",
        "The report on locality working was presented.",
    );
    let events = ledger.record(&later, "c.json").unwrap();
    assert_eq!(
        kinds(&events),
        vec![(EventKind::FollowUpDelivered, "fu-locality".to_string())]
    );
    let listed = ledger
        .list(&ListFilter {
            status: None,
            committee: Some("children and families".into()),
        })
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed
        .iter()
        .all(|e| e.committee.as_deref() == Some(COMMITTEE)));
}

#[test]
fn a_corrected_later_meeting_counts_once() {
    let (_dir, mut ledger) = open_ledger();
    let later = |sha: &str, text: &str| {
        with_item(
            doc(sha, Some(COMMITTEE), Some("2020-11-10")),
            "10",
            "Children's Innovation Partnership",
            text,
        )
    };
    // November's minutes arrive first, then a corrected copy of them.
    ledger
        .record(&later("nov", "Barnardo's partnership update."), "n.json")
        .unwrap();
    assert!(ledger
        .record(
            &later("nov2", "Barnardo's partnership update, corrected."),
            "n2.json"
        )
        .unwrap()
        .is_empty());
    // January's request is answered by November once, shown by its latest copy.
    let events = ledger.record(&january(), "jan.json").unwrap();
    let delivered: Vec<_> = events
        .iter()
        .filter(|e| e.event == EventKind::FollowUpDelivered)
        .collect();
    assert_eq!(delivered.len(), 1, "{:#?}", kinds(&events));
    assert_eq!(delivered[0].source.sha256, "nov2");
}

#[test]
fn a_later_meeting_restates_once_however_many_copies() {
    let (_dir, mut ledger) = open_ledger();
    ledger.record(&january(), "jan.json").unwrap();
    let later = |sha: &str, text: &str| {
        let d = with_item(
            doc(sha, Some(COMMITTEE), Some("2020-11-10")),
            "12",
            "Work Programme",
            text,
        );
        with_request(
            d,
            "fu-exams",
            "examination results of children in care",
            "12",
            None,
        )
    };
    ledger
        .record(&later("nov", "Examination results."), "n.json")
        .unwrap();
    ledger
        .record(&later("nov2", "Examination results, corrected."), "n2.json")
        .unwrap();
    let all = ledger.list(&ListFilter::default()).unwrap();
    let exams = all
        .iter()
        .find(|e| e.subject == "examination results of children in care")
        .unwrap();
    let shas: Vec<&str> = exams
        .restatements
        .iter()
        .map(|s| s.sha256.as_str())
        .collect();
    assert_eq!(shas, vec!["nov2"]);
}

#[test]
fn minutes_recorded_before_item_keys_are_still_recognised_when_corrected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    {
        let mut ledger = Ledger::open(&path).unwrap();
        ledger.record(&unnamed_minutes("a", ""), "a.json").unwrap();
        // As an older release left it: no item keys.
        ledger
            .conn
            .execute(
                "UPDATE documents SET numbers_key = NULL, titles_key = NULL",
                [],
            )
            .unwrap();
    }
    let mut ledger = Ledger::open(&path).unwrap();
    let events = ledger
        .record(&unnamed_minutes("b", " (corrected)"), "b.json")
        .unwrap();
    assert!(events.is_empty(), "{:#?}", kinds(&events));
}
