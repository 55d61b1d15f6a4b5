//! Behaviour of the classifier on the shipped taxonomy and on small
//! taxonomies written for these tests. All item texts here are written for
//! the tests, in the style of real minutes.

use super::*;
use crate::model::Item;

/// Compiled once: building the automata in a debug build is slow.
fn builtin() -> &'static Classifier {
    static BUILTIN: std::sync::LazyLock<Classifier> =
        std::sync::LazyLock::new(|| match Classifier::builtin() {
            Ok(c) => c,
            Err(e) => panic!("shipped taxonomy must compile: {e}"),
        });
    &BUILTIN
}

fn ids(c: &Classification) -> Vec<&str> {
    c.topics.iter().map(|t| t.id.as_str()).collect()
}

fn has(c: &Classification, id: &str) -> bool {
    c.topics.iter().any(|t| t.id == id)
}

fn error_of(source: &str) -> TaxonomyError {
    match Classifier::from_toml(source) {
        Ok(_) => panic!("expected an error for:\n{source}"),
        Err(e) => e,
    }
}

const SMALL: &str = r#"
[procedural]
patterns = [{ name = "apologies", regex = '^apolog' }]

[[topic]]
id = "send"
label = "SEND"
description = "test"
signals = [
  { phrase = "EHCP" },
  { phrase = "SEND", case_sensitive = true },
]
"#;

#[test]
fn shipped_taxonomy_has_the_required_topics() {
    let c = builtin();
    let ids: Vec<&str> = c.taxonomy().topics.iter().map(|t| t.id.as_str()).collect();
    for required in [
        "ofsted",
        "send",
        "budget",
        "care_leavers",
        "children_in_care",
        "fostering_adoption",
        "safeguarding",
        "exploitation_missing",
        "youth_justice",
        "education_standards",
        "attendance_exclusions",
        "early_help",
        "workforce",
        "home_to_school_transport",
        "health_wellbeing",
    ] {
        assert!(ids.contains(&required), "missing topic {required}");
    }
}

#[test]
fn version_is_sixteen_hex_digits_and_ignores_formatting() {
    let a = match Classifier::from_toml(SMALL) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(a.version().len(), 16);
    assert!(a.version().bytes().all(|b| b.is_ascii_hexdigit()));
    let reformatted = format!(
        "# a comment\n\n{}",
        SMALL.replace(
            "{ phrase = \"EHCP\" }",
            "{ phrase = \"EHCP\", weight = 1.0 }"
        )
    );
    let b = Classifier::from_toml(&reformatted).map_err(|e| e.to_string());
    assert_eq!(
        b.map(|c| c.version().to_string()),
        Ok(a.version().to_string())
    );
    let changed = SMALL.replace(
        "{ phrase = \"EHCP\" }",
        "{ phrase = \"EHCP\", weight = 0.5 }",
    );
    let c = Classifier::from_toml(&changed).map_err(|e| e.to_string());
    assert_ne!(
        c.map(|c| c.version().to_string()),
        Ok(a.version().to_string())
    );
}

#[test]
fn send_vocabulary_without_the_word_send() {
    let c = builtin().classify(
        "Statutory assessment timeliness",
        "The Committee considered a report on the timeliness of EHC needs assessments. \
         Only 41% of new EHCPs were issued within 20 weeks. Pressure on the high needs block \
         continued to grow and two new special schools would open in September.",
    );
    assert!(has(&c, "send"), "{:?}", ids(&c));
}

#[test]
fn budget_vocabulary_without_the_word_budget() {
    let c = builtin().classify(
        "Quarter 2 monitoring report",
        "The forecast overspend for the directorate was £4.2m, driven by placements. \
         The MTFS assumed savings of £1.1m which were now at risk. The DSG deficit \
         stood at £18m and the council had entered the safety valve programme.",
    );
    assert!(has(&c, "budget"), "{:?}", ids(&c));
}

#[test]
fn ofsted_vocabulary_without_the_word_ofsted() {
    let c = builtin().classify(
        "Improvement journey update",
        "Members were updated on the ILACS outcome and the findings of the second monitoring visit. \
         A JTAI on the theme of neglect was expected in the spring, and the DfE improvement notice \
         remained in place.",
    );
    assert!(has(&c, "ofsted"), "{:?}", ids(&c));
}

#[test]
fn care_leaver_vocabulary_without_the_words_care_leaver() {
    let c = builtin().classify(
        "Support for young people aged 18 to 25",
        "Every young person now had an up to date pathway plan. Personal advisers were allocated \
         from age 16. Staying put arrangements had increased to 40, and the local offer was revised.",
    );
    assert!(has(&c, "care_leavers"), "{:?}", ids(&c));
}

#[test]
fn a_passing_mention_does_not_tag_an_item_about_something_else() {
    let text = "The Cabinet Member introduced the report on home to school transport. \
        Spending on taxis had risen sharply. As Ofsted had noted in another context, demand was growing. \
        Route planning software would be procured and independent travel training extended to 200 pupils. \
        Members asked about safety checks for drivers and the appeals process for parents. \
        The eligibility policy would be consulted on in the new year.";
    let c = builtin().classify("Home to School Transport Policy", text);
    assert!(has(&c, "home_to_school_transport"), "{:?}", ids(&c));
    assert!(!has(&c, "ofsted"), "{:?}", ids(&c));
}

#[test]
fn several_mentions_in_one_sentence_are_still_passing() {
    let c = builtin().classify(
        "Participation update",
        "Summer activity days were well attended. The picnic was held alongside a care leaver event run \
         by the care leavers service. Feedback from children had been positive and the team would run \
         further events in the winter.",
    );
    assert!(!has(&c, "care_leavers"), "{:?}", ids(&c));
}

#[test]
fn school_leavers_are_not_care_leavers() {
    let c = builtin().classify(
        "Destinations of school leavers",
        "The report set out destinations of Year 11 school leavers. Most leavers progressed to college \
         or sixth form; the proportion of school leavers not in education, employment or training fell.",
    );
    assert!(!has(&c, "care_leavers"), "{:?}", ids(&c));
}

#[test]
fn children_leaving_care_through_adoption_are_not_care_leavers() {
    let c = builtin().classify(
        "Permanence performance",
        "The number of children leaving care through adoption rose to 31. Children leaving care to \
         special guardianship also increased, and fewer children were leaving care because of a return home.",
    );
    assert!(!has(&c, "care_leavers"), "{:?}", ids(&c));
    assert!(has(&c, "fostering_adoption"), "{:?}", ids(&c));
}

#[test]
fn the_verb_send_is_not_send() {
    let c = builtin().classify(
        "Recruitment campaign",
        "Officers would send the leaflet to every household. They would send a reminder later. \
         Members asked officers to send details of the campaign.",
    );
    assert!(!has(&c, "send"), "{:?}", ids(&c));
}

#[test]
fn local_offer_for_care_leavers_is_not_send() {
    let c = builtin().classify(
        "Local offer for care leavers",
        "The local offer for care leavers was refreshed. The local offer to care leavers now includes council tax exemption.",
    );
    assert!(has(&c, "care_leavers"), "{:?}", ids(&c));
    assert!(!has(&c, "send"), "{:?}", ids(&c));
}

#[test]
fn procedural_items_get_no_topics() {
    let c = builtin();
    for title in [
        "Apologies for Absence",
        "APOLOGIES AND SUBSTITUTES",
        "Declarations of Interest",
        "Disclosure of Interest (Ref: 3)",
        "Declarations of the Party Whip in accordance with Procedure Rule 16",
        "Minutes. pdf icon PDF 178 KB",
        "Minutes of the previous meeting held on 19 April 2021",
        "MINUTES",
        "Minutes (Ref: 2.1 & 2.2)",
        "Minutes of the meeting held on 7 November 2024, if in order, to be approved",
        "Minutes of the Committee held on 3 March 2020",
        "To receive the minutes of the last parish council meeting",
        "Question Time.",
        "Public Participation",
        "Presentation of Petitions under Standing Order 36.",
        "Urgent Items.",
        "Any Other Business",
        "Date of next meeting.",
        "Proposed Schedule of Meeting Dates - 2021/22 Municipal Year",
        "Chairman’s Announcements",
        "Chair's Update",
        "Welcome and Introductions",
        "Change to the Order of Business.",
        "Work Programme pdf icon PDF 85 KB",
        "Draft CSRG Work Programme 2021/22 and Executive Forward Plan (Ref: 10)",
    ] {
        let r = c.classify(
            title,
            "The Chair noted the Ofsted inspection, EHCP backlog and budget overspend.",
        );
        assert!(r.procedural, "{title} should be procedural");
        assert!(r.topics.is_empty(), "{title}: {:?}", ids(&r));
    }
    for title in [
        "Ofsted Inspection of Children's Social Care",
        "Care Leaver Offer",
        "To receive the minutes of the Corporate Parenting Panel",
        "Introduction of Family Hubs",
        "Minutes of the Schools Forum",
        "SEND Improvement Plan",
    ] {
        let r = c.classify(title, "Text.");
        assert!(
            !r.procedural || title.starts_with("Minutes"),
            "{title} should not be procedural"
        );
    }
}

#[test]
fn title_support_tags_a_short_item() {
    let c = builtin().classify(
        "SEND Strategy 2024-2027",
        "RESOLVED that the strategy be approved.",
    );
    assert!(has(&c, "send"), "{:?}", ids(&c));
    let tag = c.topics.iter().find(|t| t.id == "send");
    let evidence = tag.map(|t| t.evidence.clone()).unwrap_or_default();
    assert_eq!(evidence.len(), 1);
    assert!(evidence[0].in_title);
    assert_eq!(
        (
            evidence[0].start,
            evidence[0].end,
            evidence[0].text.as_str()
        ),
        (0, 4, "SEND")
    );
    assert_eq!(evidence[0].signal, "send");
}

#[test]
fn evidence_offsets_are_bytes_into_the_original_text() {
    // Multibyte characters before the match, a PDF line break inside it,
    // a curly apostrophe and a plural ending.
    let text =
        "Café – “quoted” intro. The council’s Care\n   Leavers team met; EHCPs were discussed. \
        The care leavers’ offer and further EHCP timeliness were reviewed in detail.";
    let c = builtin().classify("Care leavers and EHCP", text);
    assert!(!c.topics.is_empty());
    for tag in &c.topics {
        for e in &tag.evidence {
            let source = if e.in_title {
                "Care leavers and EHCP"
            } else {
                text
            };
            assert_eq!(source.get(e.start..e.end), Some(e.text.as_str()), "{e:?}");
        }
    }
    let body: Vec<&str> = c
        .topics
        .iter()
        .flat_map(|t| t.evidence.iter())
        .filter(|e| !e.in_title)
        .map(|e| e.text.as_str())
        .collect();
    assert!(body.contains(&"Care\n   Leavers"), "{body:?}");
    assert!(body.contains(&"EHCPs"), "{body:?}");
    // The plural ending is taken, the possessive apostrophe is not.
    assert!(body.contains(&"care leavers"), "{body:?}");
}

#[test]
fn repeated_mentions_saturate_below_one() {
    let c = builtin();
    let one = c.classify("EHCP update", "Noted.");
    let many = c.classify(
        "EHCP update",
        &"The EHCP backlog was discussed. ".repeat(50),
    );
    let score = |r: &Classification| {
        r.topics
            .iter()
            .find(|t| t.id == "send")
            .map_or(0.0, |t| t.score)
    };
    assert!(score(&one) > 0.5);
    assert!(score(&many) > score(&one));
    assert!(score(&many) <= 1.0);
    let tag = many.topics.iter().find(|t| t.id == "send");
    assert!(tag.is_some_and(|t| t.evidence.len() <= 12));
}

#[test]
fn an_item_can_carry_several_topics() {
    let c = builtin().classify(
        "Medium Term Financial Strategy: Children's Services",
        "The high needs block of the DSG was forecast to overspend by £9m. Growth in EHCPs had \
         continued, with 4,100 plans maintained. Places in special schools were being expanded. \
         The SEND transformation programme aimed to reduce the deficit. Savings of £3m were proposed \
         for the wider budget.",
    );
    assert!(has(&c, "budget"), "{:?}", ids(&c));
    assert!(has(&c, "send"), "{:?}", ids(&c));
}

#[test]
fn empty_and_odd_input_does_not_panic() {
    let c = builtin();
    for (title, text) in [
        ("", ""),
        (" ", "\n\n\t"),
        ("\u{2019}", "\u{2019}s"),
        ("-", "- - -"),
        ("EHCP", "EHCP"),
        ("a\u{0}b", "\u{feff}SEND\u{a0}\u{a0}EHCP"),
    ] {
        let r = c.classify(title, text);
        for tag in &r.topics {
            for e in &tag.evidence {
                let source = if e.in_title { title } else { text };
                assert_eq!(source.get(e.start..e.end), Some(e.text.as_str()));
            }
        }
    }
}

#[test]
fn unknown_key_is_reported_with_its_line() {
    let source = SMALL.replace("label = \"SEND\"", "label = \"SEND\"\ncolour = \"red\"");
    let e = error_of(&source);
    let line = source
        .lines()
        .position(|l| l.starts_with("colour"))
        .map(|i| i + 1);
    assert!(
        matches!(&e, TaxonomyError::Syntax { line: l, .. } if Some(*l) == line),
        "{e}"
    );
    assert!(e.to_string().contains("colour"), "{e}");
    let misspelt = SMALL.replace("{ phrase = \"EHCP\" }", "{ phrase = \"EHCP\", wieght = 2 }");
    let e = error_of(&misspelt);
    assert!(matches!(&e, TaxonomyError::Syntax { line: 10, .. }), "{e}");
    assert!(e.to_string().contains("wieght"), "{e}");
}

#[test]
fn duplicate_topic_id_names_both_lines() {
    let source = format!("{SMALL}\n[[topic]]\nid = \"send\"\nlabel = \"x\"\ndescription = \"x\"\nsignals = [{{ phrase = \"x\" }}]\n");
    let e = error_of(&source);
    assert!(
        matches!(
            e,
            TaxonomyError::DuplicateTopic {
                first_line: 6,
                line: 15,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn bad_regex_names_topic_signal_and_line() {
    let source = SMALL.replace(
        "{ phrase = \"EHCP\" }",
        "{ regex = '(unclosed', name = \"broken\" }",
    );
    let e = error_of(&source);
    assert!(
        matches!(&e, TaxonomyError::BadRegex { line: 10, .. }),
        "{e}"
    );
    let message = e.to_string();
    assert!(
        message.contains("line 10")
            && message.contains("\"send\"")
            && message.contains("\"broken\""),
        "{message}"
    );
    let procedural = SMALL.replace("'^apolog'", "'^apolog('");
    assert!(matches!(
        error_of(&procedural),
        TaxonomyError::BadRegex { line: 3, .. }
    ));
}

#[test]
fn empty_signals_and_bad_values_are_rejected() {
    let empty = SMALL.replace(
        "signals = [\n  { phrase = \"EHCP\" },\n  { phrase = \"SEND\", case_sensitive = true },\n]",
        "signals = []",
    );
    assert!(matches!(
        error_of(&empty),
        TaxonomyError::EmptySignals { line: 9, .. }
    ));
    let threshold = SMALL.replace(
        "description = \"test\"",
        "description = \"test\"\nthreshold = 1.5",
    );
    assert!(matches!(
        error_of(&threshold),
        TaxonomyError::OutOfRange {
            line: 9,
            field: "threshold",
            ..
        }
    ));
    let weight = SMALL.replace(
        "{ phrase = \"EHCP\" }",
        "{ phrase = \"EHCP\", weight = -1 }",
    );
    assert!(matches!(
        error_of(&weight),
        TaxonomyError::OutOfRange {
            line: 10,
            field: "weight",
            ..
        }
    ));
    let blank = SMALL.replace(
        "{ phrase = \"EHCP\" }",
        "{ phrase = \"  \", name = \"blank\" }",
    );
    assert!(matches!(
        error_of(&blank),
        TaxonomyError::EmptyPattern { line: 10, .. }
    ));
    let both = SMALL.replace(
        "{ phrase = \"EHCP\" }",
        "{ phrase = \"EHCP\", regex = 'EHCP' }",
    );
    assert!(matches!(
        error_of(&both),
        TaxonomyError::PatternKind { line: 10, .. }
    ));
    let dup = SMALL.replace(
        "{ phrase = \"EHCP\" }",
        "{ phrase = \"EHCP\" }, { phrase = \"ehcp\" }",
    );
    assert!(matches!(
        error_of(&dup),
        TaxonomyError::DuplicateSignal { line: 10, .. }
    ));
    let bad_id = SMALL.replace("id = \"send\"", "id = \"Send Topic\"");
    assert!(matches!(
        error_of(&bad_id),
        TaxonomyError::BadId { line: 6, .. }
    ));
    let exclusion = format!("{SMALL}exclusions = [{{ phrase = \"x\", signals = [\"nope\"] }}]\n");
    assert!(matches!(
        error_of(&exclusion),
        TaxonomyError::UnknownSignal { line: 13, .. }
    ));
    let no_topics = "[procedural]\npatterns = [{ name = \"a\", regex = 'a' }]\n";
    assert!(matches!(error_of(no_topics), TaxonomyError::NoTopics));
    let syntax = SMALL.replace("id = \"send\"", "id = \"send");
    assert!(matches!(
        error_of(&syntax),
        TaxonomyError::Syntax { line: 6, .. }
    ));
}

#[test]
fn from_path_reads_files_and_names_them_in_errors() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    let good = dir.path().join("topics.toml");
    let bad = dir.path().join("broken.toml");
    let written =
        std::fs::write(&good, SMALL).and_then(|()| std::fs::write(&bad, "[[topic]]\nid = 3\n"));
    assert!(written.is_ok());
    assert!(Classifier::from_path(&good).is_ok());
    let e = Classifier::from_path(&bad)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("broken.toml") && e.contains("line 2"), "{e}");
    let missing = Classifier::from_path(&dir.path().join("absent.toml"));
    assert!(matches!(missing, Err(TaxonomyError::Io { .. })));
}

#[test]
fn shipped_file_on_disk_matches_the_embedded_copy() {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/config/topics.toml"));
    let on_disk = Classifier::from_path(path)
        .map(|c| c.version().to_string())
        .map_err(|e| e.to_string());
    assert_eq!(on_disk, Ok(builtin().version().to_string()));
}

#[test]
fn minor_topics_are_dwarfed_by_the_main_one() {
    let mut text = String::new();
    for _ in 0..6 {
        text.push_str(
            "The forecast overspend on the revenue budget was reported against the MTFS, with savings \
             and reserves set out and the DSG deficit recovery plan explained. ",
        );
    }
    text.push_str("Ofsted had visited in May. A later Ofsted letter was awaited. ");
    let c = builtin().classify("Revenue Budget Monitoring Quarter 3", &text);
    assert!(has(&c, "budget"), "{:?}", ids(&c));
    assert!(!has(&c, "ofsted"), "{:?}", ids(&c));
}

#[test]
fn school_inspection_grades_are_not_children_services_inspection() {
    let c = builtin().classify(
        "School improvement update",
        "The proportion of schools judged good by Ofsted rose to 89%. Two schools rated inadequate by \
         Ofsted were now academies. School improvement advisers supported schools rated requires improvement.",
    );
    assert!(!has(&c, "ofsted"), "{:?}", ids(&c));
    assert!(has(&c, "education_standards"), "{:?}", ids(&c));
}

#[test]
fn careers_personal_advisers_are_not_care_leaver_support() {
    let c = builtin().classify(
        "Post-16 participation",
        "Careers personal advisers met every Year 11 pupil. The careers personal adviser service \
         would be recommissioned. Connexions personal advisers covered colleges.",
    );
    assert!(!has(&c, "care_leavers"), "{:?}", ids(&c));
}

#[test]
fn classify_items_sets_procedural_and_topics() {
    let mut items = vec![
        Item {
            number: "1".into(),
            title: "Apologies for absence".into(),
            text: "Apologies were received.".into(),
            ..Item::default()
        },
        Item {
            number: "2".into(),
            title: "Care Leaver Offer".into(),
            text: "The care leavers team presented the offer.".into(),
            ..Item::default()
        },
    ];
    builtin().classify_items(&mut items);
    assert!(items[0].procedural && items[0].topics.is_empty());
    assert!(!items[1].procedural);
    assert!(items[1].topics.iter().any(|t| t.id == "care_leavers"));
}

#[test]
fn other_senses_of_foster_adoption_and_exclusion_do_not_tag() {
    let c = builtin().classify(
        "Adoption of the Local Plan",
        "The Council considered the adoption of the revised Local Plan. The plan would foster closer \
         partnership with districts. Adoption of the plan was agreed.",
    );
    assert!(!has(&c, "fostering_adoption"), "{:?}", ids(&c));
    let c = builtin().classify(
        "Digital Exclusion Strategy",
        "Digital exclusion affected older residents. The strategy set out how social exclusion would be reduced.",
    );
    assert!(!has(&c, "attendance_exclusions"), "{:?}", ids(&c));
    let c = builtin().classify(
        "Adoption Annual Report",
        "Thirty children were placed for adoption and 24 adopter households were approved.",
    );
    assert!(has(&c, "fostering_adoption"), "{:?}", ids(&c));
}

#[test]
fn topics_do_not_hide_each_others_phrases() {
    let c = builtin().classify(
        "SEND Transport Review",
        "The review of SEND transport was noted.",
    );
    assert!(
        has(&c, "send") && has(&c, "home_to_school_transport"),
        "{:?}",
        ids(&c)
    );
    let c = builtin().classify(
        "Area SEND inspection outcome",
        "The local area SEND inspection letter was published.",
    );
    assert!(has(&c, "send") && has(&c, "ofsted"), "{:?}", ids(&c));
}

#[test]
fn classifier_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Classifier>();
}
