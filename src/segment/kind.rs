//! What kind of document a text is: minutes, a decision record, an agenda, a
//! report, or something else.
//!
//! Only minutes and decision records say what a meeting asked for, so only
//! they may raise follow-up alerts: an agenda pack dropped by mistake (which
//! may carry last meeting's draft minutes inside it), a report, a rate sheet
//! or a licence must not. Each cue is a named rule; the document records the
//! cues that decided, so "why is this an agenda?" has an answer.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use crate::model::DocumentKind;

/// One cue: a named pattern, the kind it speaks for, how much, and whether
/// it counts only near the top of the document (a title) or anywhere.
struct Cue {
    name: &'static str,
    kind: DocumentKind,
    weight: f32,
    /// Counted only in the first lines of the document.
    title_only: bool,
    /// Counted at most this many times.
    cap: usize,
    pattern: &'static str,
}

const CUES: &[Cue] = &[
    // Minutes.
    Cue {
        name: "'Minutes' title",
        kind: DocumentKind::Minutes,
        weight: 6.0,
        title_only: true,
        cap: 1,
        pattern: r"(?im)^\s*(?:draft\s+|confirmed\s+|unconfirmed\s+|signed\s+)?minutes?\s+(?:of|from)\s|^\s*minutes\s*[-–:]|[-–]\s*minutes\s*(?:[-–]|$)|^[A-Z][^.\n]{2,80}\sMINUTES\s*$|^[A-Z][^.\n]{2,80}\sMinutes\s*$|^\s*agenda,?\s+(?:decisions\s+)?and\s+(?:draft\s+)?minutes|^\s*meeting\s+notes|board\s+minutes:",
    },
    Cue {
        name: "item page",
        kind: DocumentKind::Minutes,
        weight: 2.0,
        title_only: true,
        cap: 1,
        pattern: r"(?im)^\s*(?:agendas?,\s+meetings\s+and\s+minutes\s+-\s+)?(?:agenda\s+item|issue\s+-\s+meetings)\s*$",
    },
    Cue {
        name: "RESOLVED/AGREED",
        kind: DocumentKind::Minutes,
        weight: 1.5,
        title_only: false,
        cap: 6,
        pattern: r"(?-u:\b)(?:RESOLVED|AGREED|Resolved\s*[–—:-]|Resolved\s+that|[Ii]t\s+was\s+(?:resolved|agreed|RESOLVED|AGREED)|(?:unanimously\s+)?resolved\s+(?:to|that)|DECIDED|[Tt]he\s+(?:Committee|Board|Panel|Forum|Council|Cabinet|Sub-Committee|Executive|Group|Partnership)\s+(?:agreed|resolved|noted|decided|considered|received|discussed|welcomed|requested|asked))(?-u:\b)",
    },
    Cue {
        name: "attendance recorded",
        kind: DocumentKind::Minutes,
        weight: 2.0,
        title_only: false,
        cap: 1,
        pattern: r"(?im)^\s*(?:present|members\s+present|in\s+attendance|attended|attendance\s+details|sederunt|in\s+the\s+chair)\s*:?\s*(?:$|[A-Z(])",
    },
    Cue {
        name: "apologies received",
        kind: DocumentKind::Minutes,
        weight: 1.5,
        title_only: false,
        cap: 1,
        pattern: r"(?i)apologies\s+(?:for\s+absence\s+)?(?:were|was|had\s+been)\s+(?:received|submitted|given|noted|made)|no\s+apologies|there\s+were\s+no\s+apologies",
    },
    Cue {
        name: "past-tense proceedings",
        kind: DocumentKind::Minutes,
        weight: 0.75,
        title_only: false,
        cap: 8,
        pattern: r"(?i)(?:submitted|presented|introduced)\s+(?:a|the|his|her)\s+(?:\w+\s+)?report|members\s+(?:asked|noted|queried|discussed|welcomed|raised|commented|requested)|the\s+chair(?:man|person)?\s+(?:welcomed|thanked|invited|reported|noted|advised|asked|introduced|explained)|(?-u:\b)(?:was|were)\s+(?:noted|agreed|approved|received|confirmed|signed|welcomed|advised|informed|asked)(?-u:\b)|(?-u:\b)(?:reported|explained|confirmed|advised|responded|queried|asked)\s+that(?-u:\b)|proposed\s+by|seconded\s+by|the\s+meeting\s+(?:closed|ended|finished)",
    },
    Cue {
        name: "previous minutes approved",
        kind: DocumentKind::Minutes,
        weight: 2.0,
        title_only: false,
        cap: 1,
        pattern: r"(?i)(?:approved|agreed|confirmed|taken\s+as\s+read|signed)\s+(?:as\s+)?a\s+(?:correct|true|accurate)\s+record|(?:were|was)\s+(?:agreed|approved|confirmed)\s+as\s+(?:a\s+)?(?:correct|true|accurate)",
    },
    // Decision records.
    Cue {
        name: "decision record",
        kind: DocumentKind::Decision,
        weight: 6.0,
        title_only: true,
        cap: 1,
        pattern: r"(?im)^\s*(?:decision\s+details|issue\s+-\s+decisions|record\s+of\s+(?:executive\s+|officer\s+|key\s+)?decisions?|decision\s+notice|(?:officer|executive|key|individual\s+cabinet\s+member)\s+decision(?:\s+record)?)\s*$",
    },
    Cue {
        name: "decision fields",
        kind: DocumentKind::Decision,
        weight: 2.5,
        title_only: false,
        cap: 2,
        pattern: r"(?im)^\s*(?:date\s+of\s+decision|decided\s+at\s+meeting|decision\s+status|decision\s+maker|is\s+key\s+decision\?|reason\s+for\s+(?:the\s+)?decision|reasons\s+for\s+the\s+decision)\s*:?",
    },
    // Agendas.
    Cue {
        name: "'Agenda' title",
        kind: DocumentKind::Agenda,
        weight: 5.0,
        title_only: true,
        cap: 1,
        pattern: r"(?im)^\s*(?:(?:supplementary\s+|revised\s+|public\s+|draft\s+)?agenda(?:\s+(?:pack|package|supplement|for\s+.*|and\s+reports))?|notice\s+of\s+(?:the\s+)?meeting|summons(?:\s+to\s+attend)?|you\s+are\s+(?:hereby\s+)?(?:summoned|requested|invited)\s+to\s+attend.*|(?:regular|special)\s+(?:meeting\s+)?agenda)\s*$",
    },
    Cue {
        name: "future meeting notice",
        kind: DocumentKind::Agenda,
        weight: 2.0,
        title_only: false,
        cap: 2,
        pattern: r"(?i)(?:will\s+be\s+held|to\s+be\s+held)\s+(?:at|on|in|remotely|virtually)|members\s+of\s+the\s+public\s+(?:are|may)\s+(?:welcome|attend)|please\s+note\s+that\s+this\s+meeting\s+(?:will|may)|democratic\s+services\s+officer\s+for\s+this\s+meeting|membership\s*(?:\(\d+\))?\s*:\s*$|(?-u:\b)quorum\s*:",
    },
    Cue {
        name: "agenda business",
        kind: DocumentKind::Agenda,
        weight: 0.4,
        title_only: false,
        cap: 10,
        pattern: r"(?m)^\s*(?:\d{1,2}\.?\s+)?To\s+(?:receive|consider|approve|note|agree|elect|discuss|confirm)\s",
    },
    // Reports.
    Cue {
        name: "report front sheet",
        kind: DocumentKind::Report,
        weight: 4.0,
        title_only: true,
        cap: 1,
        pattern: r"(?im)^\s*(?:report\s+(?:of|by|to|from)\s+.+|(?:cabinet|committee|officer)\s+report|by\s*:\s+.+|to\s*:\s+.+|subject\s*:\s+.+|purpose\s+of\s+(?:the\s+)?report.*|executive\s+summary|report\s+title\s*:?.*)$",
    },
    Cue {
        name: "report sections",
        kind: DocumentKind::Report,
        weight: 1.5,
        title_only: false,
        cap: 4,
        pattern: r"(?im)^\s*(?:\d{1,2}(?:\.\d{1,2})?\.?\s+)?(?:recommendations?\s*:?|background|financial\s+implications|legal\s+implications|equalities\s+implications|risk\s+(?:assessment|implications)|consultation|options\s+(?:considered|appraisal)|conclusions?|appendices|background\s+documents|contact\s+officer|report\s+author|summary)\s*:?\s*$",
    },
    Cue {
        name: "report wording",
        kind: DocumentKind::Report,
        weight: 0.5,
        title_only: false,
        cap: 6,
        pattern: r"(?i)this\s+report\s+(?:sets\s+out|provides|seeks|outlines|presents|asks)|(?:cabinet|the\s+committee|members)\s+(?:is|are)\s+(?:asked|recommended)\s+to",
    },
];

static SET: LazyLock<RegexSet> =
    LazyLock::new(|| RegexSet::new(CUES.iter().map(|c| c.pattern)).expect("static regex set"));

static COMPILED: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    CUES.iter()
        .map(|c| Regex::new(c.pattern).expect("static regex"))
        .collect()
});

/// How many lines at the top count as the document's title block.
const TITLE_LINES: usize = 25;

/// The least evidence for calling a text minutes or a decision record;
/// below it (and with nothing else ahead), the text is "other".
const MIN_SCORE: f32 = 3.0;

/// Minutes need less: a single item page may show only its "Minutes:"
/// label or one resolution, and calling minutes "other" loses their
/// follow-ups, while calling a stray file minutes costs little.
const MIN_MINUTES_SCORE: f32 = 1.5;

/// Decides what kind of document `text` is, with the cues that decided.
pub fn document_kind(text: &str) -> (DocumentKind, Vec<String>) {
    let head: String = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(TITLE_LINES)
        .collect::<Vec<_>>()
        .join("\n");
    let in_body = SET.matches(text);
    let mut scores: Vec<(DocumentKind, f32)> = [
        DocumentKind::Minutes,
        DocumentKind::Decision,
        DocumentKind::Agenda,
        DocumentKind::Report,
    ]
    .into_iter()
    .map(|k| (k, 0.0))
    .collect();
    let mut evidence: Vec<(DocumentKind, String)> = Vec::new();
    for index in in_body.iter() {
        let cue = &CUES[index];
        let re = &COMPILED[index];
        let count = if cue.title_only {
            usize::from(re.is_match(&head))
        } else {
            re.find_iter(text).take(cue.cap).count()
        };
        if count == 0 {
            continue;
        }
        let count = count.min(cue.cap);
        if let Some(slot) = scores.iter_mut().find(|(k, _)| *k == cue.kind) {
            slot.1 += cue.weight * count as f32;
        }
        evidence.push((
            cue.kind,
            if count > 1 {
                format!("{} ({count} times)", cue.name)
            } else {
                cue.name.to_string()
            },
        ));
    }
    let score = |k: DocumentKind| {
        scores
            .iter()
            .find(|(kind, _)| *kind == k)
            .map_or(0.0, |(_, s)| *s)
    };
    let minutes = score(DocumentKind::Minutes);
    let decision = score(DocumentKind::Decision);
    let agenda = score(DocumentKind::Agenda);
    let report = score(DocumentKind::Report);
    // An agenda or report says so on its front page; minutes bound into an
    // agenda pack (last meeting's, for approval) do not make it minutes.
    let kind = if decision >= MIN_SCORE && decision + 2.0 >= minutes && decision > agenda {
        DocumentKind::Decision
    } else if agenda >= 5.0 && agenda + 2.0 >= minutes.min(12.0) && !minutes_title(&head) {
        DocumentKind::Agenda
    } else if report >= 5.5 && report > minutes && !minutes_title(&head) {
        DocumentKind::Report
    } else if minutes >= MIN_MINUTES_SCORE {
        DocumentKind::Minutes
    } else if decision >= MIN_SCORE {
        DocumentKind::Decision
    } else if agenda >= MIN_SCORE {
        DocumentKind::Agenda
    } else if report >= MIN_SCORE {
        DocumentKind::Report
    } else {
        DocumentKind::Other
    };
    let mut reasons: Vec<String> = evidence
        .into_iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, e)| e)
        .collect();
    if kind == DocumentKind::Other {
        reasons.push("no cue of minutes, a decision, an agenda or a report".to_string());
    }
    (kind, reasons)
}

/// The title block says these are minutes.
fn minutes_title(head: &str) -> bool {
    COMPILED[0].is_match(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Hand-written fixtures, one per kind.
    #[test]
    fn each_kind_from_its_cues() {
        let minutes = "Minutes of the meeting of the Schools Forum held on 3 May 2023\nPresent: Cllr A\n1. Apologies\nApologies were received from Cllr B.\n2. Budget\nRESOLVED that the report be noted.";
        assert_eq!(document_kind(minutes).0, DocumentKind::Minutes);
        let agenda = "AGENDA\nCabinet\nThursday 30 January 2025 at 10.00 am\nMembers of the public are welcome to attend.\n1. To receive apologies\n2. To approve the minutes of the last meeting\n3. To consider the budget";
        assert_eq!(document_kind(agenda).0, DocumentKind::Agenda);
        let decision = "Decision details\n\nSchool admissions 2025\n\nDecision status: Approved\n\nDecisions:\nRESOLVED that the arrangements be approved.\n\nDate of decision: 21/02/2022";
        assert_eq!(document_kind(decision).0, DocumentKind::Decision);
        let report = "Report to Cabinet\nBy: Director of Finance\nSubject: Budget monitoring\nSummary\nThis report sets out the forecast outturn.\nRecommendations:\nCabinet is asked to note the report.\nBackground\nFinancial implications";
        assert_eq!(document_kind(report).0, DocumentKind::Report);
        let licence = "Permission is hereby granted, free of charge, to any person obtaining a copy of this software.";
        let (kind, why) = document_kind(licence);
        assert_eq!(kind, DocumentKind::Other);
        assert!(!why.is_empty());
    }

    #[test]
    fn evidence_names_the_cues() {
        let (_, why) = document_kind("Minutes of the meeting of the Board\nRESOLVED that it be noted.\nRESOLVED that it be approved.");
        assert!(why.iter().any(|w| w.contains("RESOLVED")), "{why:?}");
    }
}
