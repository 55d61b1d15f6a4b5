//! Segmentation of real minutes: the five seed exports and the real minutes
//! PDFs of the corpus. Expected numbers and titles were read off the
//! documents by hand. Each test skips (with a message) when the shared
//! corpus is not present next to the repository.

use std::path::{Path, PathBuf};

use minutes_watch::extract::extract_in_process;
use minutes_watch::model::{Format, Item};
use minutes_watch::segment::{segment, Segmented};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared");

fn shared_file(relative: &str) -> Option<PathBuf> {
    let path = Path::new(SHARED).join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipping: {} not found (the shared corpus is not checked out)",
            path.display()
        );
        None
    }
}

/// Seeds are named "NNN_hash.txt"; find one by its number.
fn seed(number: &str) -> Option<Segmented> {
    let dir = Path::new(SHARED).join("seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "skipping: {} not found (the shared corpus is not checked out)",
            dir.display()
        );
        return None;
    };
    let path = entries.filter_map(Result::ok).map(|e| e.path()).find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(number))
    })?;
    segment_file(&path)
}

fn segment_file(path: &Path) -> Option<Segmented> {
    let bytes = std::fs::read(path).ok()?;
    let extracted = extract_in_process(&bytes).ok()?;
    let paginated = extracted.format == Format::Pdf;
    Some(segment(&extracted.pages, paginated))
}

fn pdf(name: &str) -> Option<Segmented> {
    segment_file(&shared_file(&format!("corpus/pdf/{name}"))?)
}

fn numbers_and_titles(seg: &Segmented) -> Vec<(&str, &str)> {
    seg.items
        .iter()
        .map(|i| (i.number.as_str(), i.title.as_str()))
        .collect()
}

fn item<'a>(seg: &'a Segmented, number: &str) -> &'a Item {
    seg.items
        .iter()
        .find(|i| i.number == number)
        .unwrap_or_else(|| panic!("item {number} missing"))
}

const SEED_000: &[(&str, &str)] = &[
    ("SPCLL.1", "APOLOGIES FOR ABSENCE"),
    ("SPCLL.2", "DECLARATIONS OF INTEREST"),
    ("SPCLL.3", "QUESTION TIME"),
    ("SPCLL.4", "MINUTES"),
    (
        "SPCLL.5",
        "TRACKING THE RECOMMENDATIONS OF THE SCRUTINY PANEL",
    ),
    ("SPCLL.6", "FORWARD PLAN"),
    ("SPCLL.7", "CHILDREN'S SOCIAL CARE IMPROVEMENT"),
    (
        "SPCLL.8",
        "CHILDREN & LIFELONG LEARNING SCRUTINY PANEL WORK PROGRAMME 2020/21",
    ),
    ("SPCLL.9", "PROVISIONAL OUTTURN REPORT 2019-20"),
    ("SPCLL.10", "QUESTIONS TO PORTFOLIO HOLDER"),
];

const SEED_001: &[(&str, &str)] = &[
    ("47", "Minutes."),
    ("48", "Question Time."),
    ("49", "Questions asked by members under Standing Order 7(3) and 7(5)."),
    ("50", "Urgent Items."),
    ("51", "Declarations of interest."),
    ("52", "Declarations of the Party Whip in accordance with Overview and Scrutiny Procedure Rule 16."),
    ("53", "Presentation of Petitions under Standing Order 36."),
    ("54", "Medium Term Financial Strategy 2020/21 - 2023/24."),
    ("55", "Change to the Order of Business."),
    ("56", "Children's Innovation Partnership."),
    ("57", "Ofsted Inspection of Local Authority Children's Social Care Services."),
    ("58", "Local Area Inspection of Special Educational Needs and Disabilities (SEND)."),
    ("59", "Care Leaver Offer."),
    ("60", "Pupils Missing Out on Education in Leicestershire."),
    ("61", "Virtual School."),
    ("62", "Date of next meeting."),
];

const SEED_002: &[(&str, &str)] = &[
    ("12", "Apology for Absence"),
    ("13", "Minutes (Ref: 2.1 & 2.2)"),
    ("14", "Chair's Update"),
    ("15", "Disclosure of Interest (Ref: 3)"),
    (
        "16",
        "Children's Services Ofsted Improvement Plan – Bi-monthly Update on Progress (Ref: 8)",
    ),
    ("17", "Stronger Families Programme Update (Ref: 9)"),
    (
        "18",
        "Draft CSRG Work Programme 2021/22 and Executive Forward Plan (Ref: 10)",
    ),
];

const SEED_003: &[(&str, &str)] = &[
    ("21/1", "Declarations of Interest"),
    (
        "21/2",
        "Minutes of the previous meeting of the Children & Young People's Social Care & Services Scrutiny Panel held on 19 April 2021",
    ),
    ("21/3", "Overview of Children's Services"),
    ("21/4", "Setting the Scrutiny Panel's Work Programme for 2021/22"),
    ("21/5", "Update - Ofsted focused visit to Children's Services"),
    ("21/6", "Update - Covid Recovery in Children's Services"),
    ("21/7", "Proposed Schedule of Meeting Dates - 2021/22 Municipal Year"),
];

const SEED_004: &[(&str, &str)] = &[
    ("590", "Apologies and Welcome"),
    ("591", "Declaration of Interest and of any Party Whip"),
    ("592", "Public Participation"),
    (
        "593",
        "Worcestershire Safeguarding Children Partnership Annual Report 2021-2022",
    ),
    (
        "594",
        "Worcestershire Children First and the Independent Care Review",
    ),
    ("595", "Performance and 2022/23 Year End Budget Monitoring"),
    ("596", "Work Programme"),
];

#[test]
fn seed_000_prefixed_codes() {
    let Some(seg) = seed("000") else { return };
    assert_eq!(numbers_and_titles(&seg), SEED_000);
    let m = &seg.meeting;
    assert_eq!(
        m.date.as_deref(),
        Some("2020-07-09"),
        "9TH JULY 2020, not the 17th September Council date"
    );
    assert_eq!(
        m.committee.as_deref(),
        Some("CHILDREN AND LIFELONG LEARNING SCRUTINY PANEL")
    );
    assert_eq!(m.council, None);
    assert_eq!(
        m.attendance.present.first().map(String::as_str),
        Some("Councillor Freeston (in the Chair)")
    );
    assert!(m
        .attendance
        .present
        .iter()
        .any(|p| p == "Councillor K Swinburn"));
    assert_eq!(m.attendance.officers.len(), 5);
    assert_eq!(
        item(&seg, "SPCLL.7").resolutions,
        vec!["That the report be noted."]
    );
    assert!(item(&seg, "SPCLL.7")
        .text
        .starts_with("The panel received a report summarising"));
    assert!(item(&seg, "SPCLL.1").resolutions.is_empty());
    assert!(seg.items.iter().all(|i| !i.truncated && i.pages.is_empty()));
}

#[test]
fn seed_001_moderngov_standalone_numbers() {
    let Some(seg) = seed("001") else { return };
    assert_eq!(numbers_and_titles(&seg), SEED_001);
    let m = &seg.meeting;
    assert_eq!(
        m.date.as_deref(),
        Some("2020-01-21"),
        "not the 5 November 2019 of item 47"
    );
    assert_eq!(m.time.as_deref(), Some("2.00 pm"));
    assert_eq!(
        m.committee.as_deref(),
        Some("Children and Families Overview and Scrutiny Committee")
    );
    assert_eq!(
        m.venue.as_deref(),
        Some("Sparkenhoe Committee Room, County Hall, Glenfield")
    );
    let truncated: Vec<&str> = seg
        .items
        .iter()
        .filter(|i| i.truncated)
        .map(|i| i.number.as_str())
        .collect();
    assert_eq!(truncated, vec!["54"]);
    let budget = item(&seg, "54");
    assert!(
        budget.text.ends_with("how to work with partners"),
        "{}",
        budget.text
    );
    assert!(!budget.text.contains("Minutes:") && !budget.text.contains("Additional documents"));
    assert_eq!(
        item(&seg, "56").resolutions,
        vec![
            "That the presentation be noted",
            "That a further update be provided to a future meeting of the Committee."
        ]
    );
    assert_eq!(
        item(&seg, "61").resolutions,
        vec!["That the report be noted."]
    );
    // The agenda text the export prints above "Minutes:" belongs to the item.
    assert!(item(&seg, "62")
        .text
        .starts_with("The next meeting of the Committee is scheduled"));
}

#[test]
fn seed_002_number_and_title_on_one_line() {
    let Some(seg) = seed("002") else { return };
    assert_eq!(numbers_and_titles(&seg), SEED_002);
    let m = &seg.meeting;
    assert_eq!(m.date.as_deref(), Some("2021-03-02"));
    assert_eq!(m.time.as_deref(), Some("6.00 pm"));
    assert_eq!(
        m.committee.as_deref(),
        Some("Scrutiny Children Services Review Group")
    );
    assert_eq!(
        m.attendance.present.first().map(String::as_str),
        Some("Councillor Keens (Chair)")
    );
    assert!(m.attendance.present.iter().any(|p| p == "Councillor Roche"));
    let resolutions = &item(&seg, "16").resolutions;
    assert_eq!(resolutions.len(), 5);
    assert_eq!(
        resolutions[0],
        "That the Committee's thanks to Officers be recorded."
    );
    assert_eq!(
        item(&seg, "17").resolutions,
        vec![
            "That the committee's thanks to the Officer be recorded.",
            "That the report be noted (Ref 9)"
        ]
    );
}

#[test]
fn seed_003_minute_slash_year() {
    let Some(seg) = seed("003") else { return };
    assert_eq!(numbers_and_titles(&seg), SEED_003);
    let m = &seg.meeting;
    assert_eq!(m.date, None, "the only dates are other meetings'");
    assert_eq!(m.venue.as_deref(), Some("Virtual"));
    let truncated: Vec<&str> = seg
        .items
        .iter()
        .filter(|i| i.truncated)
        .map(|i| i.number.as_str())
        .collect();
    assert_eq!(truncated, vec!["21/3", "21/5"]);
    assert_eq!(
        item(&seg, "21/6").resolutions,
        vec!["That the information provided be noted."]
    );
    // Numbered topics inside 21/4 stay inside it.
    assert!(item(&seg, "21/4").text.contains("1. Locality Working"));
}

#[test]
fn seed_004_large_numbers() {
    let Some(seg) = seed("004") else { return };
    assert_eq!(numbers_and_titles(&seg), SEED_004);
    assert_eq!(seg.meeting.date, None);
    assert_eq!(seg.meeting.venue.as_deref(), Some("County Hall, Worcester"));
    let truncated: Vec<&str> = seg
        .items
        .iter()
        .filter(|i| i.truncated)
        .map(|i| i.number.as_str())
        .collect();
    assert_eq!(truncated, vec!["593", "594", "595"]);
    assert_eq!(item(&seg, "591").text, "None.");
}

/// The seeds typeset as PDFs (fixtures made from the seed text) must cut
/// into the same items as the text, with page numbers.
#[test]
fn generated_seed_pdfs_segment_like_their_text() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generated");
    for (number, expected) in [
        ("000", SEED_000),
        ("001", SEED_001),
        ("002", SEED_002),
        ("003", SEED_003),
        ("004", SEED_004),
    ] {
        let path = fixtures.join(format!("seed_{number}.pdf"));
        if !path.exists() {
            eprintln!("skipping: {} not found", path.display());
            continue;
        }
        let Some(seg) = segment_file(&path) else {
            panic!("could not read {}", path.display())
        };
        assert_eq!(numbers_and_titles(&seg), expected, "seed_{number}.pdf");
        assert!(
            seg.items.iter().all(|i| !i.pages.is_empty()),
            "seed_{number}.pdf pages"
        );
        let Some(text_seg) = seed(number) else {
            continue;
        };
        let flags = |s: &Segmented| s.items.iter().map(|i| i.truncated).collect::<Vec<_>>();
        assert_eq!(
            flags(&seg),
            flags(&text_seg),
            "seed_{number}.pdf truncated flags"
        );
        assert_eq!(
            seg.meeting.date, text_seg.meeting.date,
            "seed_{number}.pdf date"
        );
    }
}

#[test]
fn kent_corporate_parenting_panel_title_over_item_marker() {
    let Some(seg) = pdf("kent_cpp_minutes_2024-10-29.pdf") else {
        return;
    };
    assert_eq!(
        numbers_and_titles(&seg),
        vec![
            ("1", "Apologies and Substitutes"),
            ("2", "Chairman’s Announcements"),
            ("3", "Minutes of the meeting held on 30 July 2024"),
            ("4", "Participation Team update"),
            ("5", "Verbal updates by the Cabinet Member"),
            (
                "6",
                "Adoption Partnership South East, Regional Adoption Agency Annual Report 2023/2024"
            ),
            ("7", "Youth Justice Annual Report"),
            ("8", "Performance Scorecard for Children in Care"),
            ("9", "The Joint Housing Protocol for Care Leavers"),
            ("10", "Sufficiency Strategy 2022-2027"),
            (
                "11",
                "Kent CIC in the statutory school years with an EHCP - Access to Education"
            ),
            ("12", "Work programme"),
        ]
    );
    let m = &seg.meeting;
    assert_eq!(m.date.as_deref(), Some("2024-10-29"));
    assert_eq!(m.committee.as_deref(), Some("CORPORATE PARENTING PANEL"));
    assert_eq!(
        m.venue.as_deref(),
        Some("the Darent Room, Sessions House, County Hall, Maidstone")
    );
    assert_eq!(m.attendance.present.len(), 15);
    assert!(m
        .attendance
        .officers
        .iter()
        .any(|o| o == "Robin Cahill (Senior Commissioner)"));
    // Title on page 6, "(Item 9)" on page 7: one item spanning both.
    assert_eq!(item(&seg, "9").pages, vec![6, 7]);
    assert_eq!(
        item(&seg, "4").resolutions,
        vec!["That the Panel note the Participation Team Update."]
    );
    assert_eq!(
        item(&seg, "2").resolutions,
        vec!["That Mr P Bartlett be duly elected Vice Chair of the Corporate Parenting Panel."]
    );
    // Running page numbers are gone from the text.
    assert!(!item(&seg, "5").text.lines().any(|l| l.trim() == "3"));
}

#[test]
fn kent_corporate_parenting_panel_december() {
    let Some(seg) = pdf("kent_cpp_minutes_2024-12-10.pdf") else {
        return;
    };
    assert_eq!(
        numbers_and_titles(&seg),
        vec![
            ("1", "Apologies and Substitutes"),
            ("2", "Chairman’s Announcements"),
            ("3", "Minutes of the meeting held on 29 October 2024"),
            ("4", "Participation Team Update"),
            ("5", "Challenge Cards Update"),
            ("6", "Verbal Update by the Cabinet Member"),
            ("7", "Virtual School Kent Head Teacher 6 monthly update"),
            ("8", "Corporate Parenting Annual Report 2024"),
            (
                "9",
                "Looked after Children’s Integrated Care Board (IBC) Annual Report"
            ),
            ("10", "Work programme"),
        ]
    );
    assert_eq!(seg.meeting.date.as_deref(), Some("2024-12-10"));
    assert_eq!(item(&seg, "4").pages, vec![1, 2]);
}

#[test]
fn kent_cabinet_minute_numbers_over_item_markers() {
    let Some(seg) = pdf("kent_cabinet_minutes_2025-01-09.pdf") else {
        return;
    };
    assert_eq!(
        numbers_and_titles(&seg),
        vec![
            ("76", "Apologies"),
            ("77", "Declarations of Interest"),
            ("78", "Minutes of the Meeting held on 28 November 2024"),
            ("79", "Cabinet Member Updates"),
            (
                "80",
                "Provisional Local Government Finance Settlement 2025-26"
            ),
            ("81", "Quarterly Performance Report, Q2 2024-2025"),
            ("82", "Corporate Risk Register"),
            ("83", "English Devolution White Paper"),
        ]
    );
    let m = &seg.meeting;
    assert_eq!(m.date.as_deref(), Some("2025-01-09"));
    assert_eq!(m.council.as_deref(), Some("KENT COUNTY COUNCIL"));
    assert_eq!(m.committee.as_deref(), Some("Cabinet"));
    assert!(m.attendance.present.iter().any(|p| p == "Mr R C Love, OBE"));
}

#[test]
fn kent_cabinet_wrapped_titles_and_numbered_paragraphs() {
    let Some(seg) = pdf("kent_cabinet_minutes_2025-01-30.pdf") else {
        return;
    };
    assert_eq!(
        numbers_and_titles(&seg),
        vec![
            ("84", "Apologies"),
            ("85", "Declarations of Interest"),
            ("86", "Minutes of the Meeting held on 9th January 2025"),
            ("87", "Cabinet Member Updates"),
            ("88", "24/00108 - Revenue and Capital Budget Monitoring Report – November 2024-25"),
            (
                "89",
                "Draft Revenue Budget 2025-26, MTFP 2025-28, Draft Capital Programme 2025-35 and Treasury Management Strategy"
            ),
            (
                "90",
                "24/00109 - Transfer the 18-25 section of the Strengthening Independence Service from the Children Young People and Education Directorate to the Adult Social Care and Health Directorate"
            ),
            ("91", "24/00115 - Kent County Council Integrated Care Strategy (KCC ICS) Delivery Plan"),
            ("92", "24/00096 - Commissioning Plan for Education Provision in Kent 2025-29"),
        ]
    );
    assert_eq!(seg.meeting.date.as_deref(), Some("2025-01-30"));
    assert_eq!(item(&seg, "87").pages, (1..=9).collect::<Vec<u32>>());
}

#[test]
fn kent_county_council_minutes() {
    let Some(december) = pdf("kent_council_minutes_2024-12-19.pdf") else {
        return;
    };
    let numbers: Vec<&str> = december.items.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(
        numbers,
        (270..=282).map(|n| n.to_string()).collect::<Vec<_>>()
    );
    assert_eq!(
        item(&december, "271").title,
        "Declarations of Disclosable Pecuniary Interests or Other Significant Interests in items on the agenda"
    );
    assert_eq!(
        item(&december, "282").resolutions,
        vec![
            "That the County Council: Notes the report",
            "That the County Council: Comments on the key points for a response to the government consultation",
            "That the County Council: Delegates to the Monitoring Officer the submission of the response to the Consultation in consultation with the Leader of the Council."
        ]
    );
    assert!(
        item(&december, "274").resolutions.is_empty(),
        "a recorded 'Agreed unanimously.' is not a clause"
    );
    assert_eq!(december.meeting.date.as_deref(), Some("2024-12-19"));
    assert_eq!(
        december.meeting.committee.as_deref(),
        Some("County Council")
    );

    let Some(budget) = pdf("kent_council_minutes_2025-02-13_budget.pdf") else {
        return;
    };
    assert_eq!(
        numbers_and_titles(&budget),
        vec![
            ("286", "Apologies for Absence"),
            ("287", "Declarations of Disclosable Pecuniary Interests or Other Significant Interests in items on the agenda"),
            (
                "288",
                "Minutes of the meetings held on 19 December 2024 and 9 January 2025 and, if in order, to be approved as a correct record"
            ),
            ("289", "Chairman's Announcements"),
            ("290", "Section 25 Report"),
            ("291", "Capital Programme 2025-35 and Revenue Budget 2025-26 (including Council Tax Setting 2025/26)"),
        ]
    );

    let Some(march) = pdf("kent_council_minutes_2025-03-13.pdf") else {
        return;
    };
    let numbers: Vec<&str> = march.items.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(
        numbers,
        (292..=308).map(|n| n.to_string()).collect::<Vec<_>>()
    );
    // Title on page 10, "(Item 13)" on page 11.
    assert_eq!(
        item(&march, "304").title,
        "Joint Health Overview & Scrutiny Committee - Terms of Reference update"
    );
    assert_eq!(
        item(&march, "303").resolutions,
        vec!["That Council endorses the report."]
    );
    assert_eq!(
        item(&march, "301").resolutions.first().map(String::as_str),
        Some("Members note all that is being done to deliver the Armed Forces Covenant in Kent and agree to priorities going forward including promoting Kent County Council’s status as the lead MoD Employers Recognition Gold Award Holder.")
    );
}

#[test]
fn nipissing_numbered_resolutions() {
    let Some(seg) = pdf("nipissing_council_minutes_2024-11-12.pdf") else {
        return;
    };
    let numbers: Vec<&str> = seg.items.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(
        numbers,
        (214..=227)
            .map(|n| format!("R2024-{n}"))
            .collect::<Vec<_>>()
    );
    assert_eq!(item(&seg, "R2024-214").title, "D. Yemm, S. Foote");
    assert_eq!(item(&seg, "R2024-226").title, "J. Scott, S. Kirkey");
    let m = &seg.meeting;
    assert_eq!(m.date.as_deref(), Some("2024-11-12"));
    assert_eq!(m.time.as_deref(), Some("6:30 p.m."));
    assert_eq!(m.council.as_deref(), Some("TOWNSHIP OF NIPISSING"));
    assert_eq!(
        m.attendance.present.first().map(String::as_str),
        Some("Mayor Tom Piper")
    );
    // The numbered closed-session topics stay inside R2024-224.
    assert!(item(&seg, "R2024-224")
        .text
        .contains("2. Council to receive information regarding 2 property complaints."));
    // The running header "Minutes – November 12, 2024 – Page 2" is dropped.
    assert!(!seg.items.iter().any(|i| i.text.contains("Page 2")));
}

#[test]
fn souldern_parish_council_2024_month_year_sequence() {
    let Some(seg) = pdf("souldern_pc_minutes_2024-01-25.pdf") else {
        return;
    };
    assert_eq!(
        numbers_and_titles(&seg),
        vec![
            ("01.24.01", "Apologies"),
            ("01.24.02", "Declarations of interest"),
            (
                "01.24.03",
                "To receive the minutes of the last parish council meeting"
            ),
            ("01.24.04", "Public participation"),
            (
                "01.24.05",
                "Clerks Report and Actions from previous meeting"
            ),
            ("01.24.06", "Playground update"),
            ("01.24.07", "Village upkeep"),
            ("01.24.08", "20mph limit"),
            (
                "01.24.09",
                "Planning – The following planning documents had been received"
            ),
            ("01.24.10", "Finance"),
            ("01.24.11", "Councillor resignation"),
            ("01.24.12", "Other Matters"),
        ]
    );
    assert_eq!(
        seg.meeting.date.as_deref(),
        Some("2024-01-25"),
        "'ON 25' + superscript 'th January 2024'"
    );
    assert_eq!(
        seg.meeting.council.as_deref(),
        Some("SOULDERN PARISH COUNCIL")
    );
    // The clerk's letterhead repeats on every page and is dropped.
    assert!(!seg
        .items
        .iter()
        .any(|i| i.text.contains("Glendale Duns Tew")));
}

#[test]
fn souldern_parish_council_2013_plain_numbers() {
    let Some(seg) = pdf("souldern_pc_minutes_2013-01-17.pdf") else {
        return;
    };
    assert_eq!(
        numbers_and_titles(&seg),
        vec![
            ("1", "Minutes of previous meeting"),
            ("2", "Declarations of Interest from Councillors"),
            ("3", "Issues from the floor"),
            ("4", "Updates"),
            ("5", "Finance"),
            ("6", "Planning"),
            ("7", "Administration"),
            ("8", "Any other Business"),
            ("9", "Date of next meeting"),
        ]
    );
    let m = &seg.meeting;
    assert_eq!(m.date.as_deref(), Some("2013-01-17"));
    assert_eq!(m.venue.as_deref(), Some("THE VILLAGE HALL"));
    assert_eq!(
        m.attendance.apologies.first().map(String::as_str),
        Some("Mrs S Barrett")
    );
    assert_eq!(
        item(&seg, "4").resolutions,
        vec!["It was resolved to request a RoSPA safety inspection as soon as possible."]
    );
}

#[test]
fn louisiana_agenda_item_keyword_headings() {
    let Some(seg) = pdf("louisiana_bese_minutes_2014-03-07.pdf") else {
        return;
    };
    assert_eq!(
        numbers_and_titles(&seg),
        vec![
            ("2", ""),
            ("3", ""),
            ("4", "Report by the State Superintendent of Education"),
            ("5", "Board Committee Reports"),
            (
                "5.1",
                "Academic Goals and Instructional Improvement Committee"
            ),
            ("5.2", "Administration and Finance Committee (Schedule 3)"),
            ("5.3", "Educator Effectiveness Committee (Schedule 4)"),
            (
                "5.4",
                "School Innovation and Turnaround Committee (Schedule 5)"
            ),
            ("6", "Board Advisory Council Reports"),
            ("6.1", "Nonpublic School Council (Schedule 6)"),
            ("6.2", "Superintendents’ Advisory Council (Schedule 7)"),
        ]
    );
    // "Item 2. On motion of ..." has no title: the motion is the item's text.
    assert!(item(&seg, "2").text.starts_with(
        "On motion of Mr. Garvey, seconded by Ms. Boffy, the Board approved the agenda"
    ));
    // Motions 5.1.1 ... belong to item 5.1; page headers "BOARD MINUTES -2-" are gone.
    assert!(item(&seg, "5.1")
        .text
        .contains("5.1.11 On motion of Dr. Miranti"));
    assert!(!item(&seg, "5.2").text.contains("BOARD MINUTES"));
    assert_eq!(seg.meeting.date.as_deref(), Some("2014-03-07"));
    assert_eq!(seg.meeting.time.as_deref(), Some("9:17 a.m."));
}
