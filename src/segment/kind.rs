//! What kind of document a text is: minutes, a decision record, an agenda, a
//! report, or something else.
//!
//! Only minutes and decision records say what a meeting asked for, so only
//! they may raise follow-up alerts: an agenda pack dropped by mistake (which
//! may carry last meeting's draft minutes inside it), a report, a rate sheet
//! or a licence must not. Each cue is a named rule; the document records the
//! cues that decided, so "why is this an agenda?" has an answer.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::DocumentKind;

/// One cue: a named pattern, the kind it speaks for, how much, and whether
/// it counts only near the top of the document (a title) or anywhere.
struct Cue {
    name: &'static str,
    kind: DocumentKind,
    weight: f32,
    /// Counted only in the document's first this many non-blank lines (its
    /// title block); 0 for anywhere.
    head: usize,
    /// Counted at most this many times.
    cap: usize,
    /// A cue that on its own can make a text minutes; weak cues (past-tense
    /// narrative, which reports and letters have too) only add to strong ones.
    strong: bool,
    pattern: &'static str,
}

const CUES: &[Cue] = &[
    // Minutes.
    Cue {
        name: "'Minutes' title",
        kind: DocumentKind::Minutes,
        weight: 6.0,
        head: TITLE_LINES,
        cap: 1,
        strong: true,
        pattern: r"(?im)^\s*(?:draft\s+|confirmed\s+|unconfirmed\s+|signed\s+)?minutes?\s+(?:of|from)\s|^\s*minutes\s*[-–:]|[-–]\s*minutes\s*(?:[-–]|$)|^[A-Z][^.\n]{2,80}\sMINUTES\s*$|^[A-Z][^.\n]{2,80}\sMinutes\s*$|^\s*agenda,?\s+(?:decisions\s+)?and\s+(?:draft\s+)?minutes|^\s*meeting\s+notes|board\s+minutes:",
    },
    Cue {
        name: "item page",
        kind: DocumentKind::Minutes,
        weight: 2.0,
        head: TITLE_LINES,
        cap: 1,
        strong: true,
        pattern: r"(?im)^\s*(?:agendas?,\s+meetings\s+and\s+minutes\s+-\s+)?(?:agenda\s+item|issue\s+-\s+meetings|meeting\s+(?:details|summary))\s*$",
    },
    Cue {
        name: "RESOLVED/AGREED",
        kind: DocumentKind::Minutes,
        weight: 1.5,
        head: 0,
        cap: 6,
        strong: true,
        pattern: r"(?-u:\b)(?:RESOLVED|AGREED|Resolved\s*[–—:-]|Resolved\s+that|[Ii]t\s+was\s+(?:resolved|agreed|RESOLVED|AGREED)|(?:unanimously\s+)?resolved\s+(?:to|that)|DECIDED|[Tt]he\s+(?:Committee|Board|Panel|Forum|Council|Cabinet|Sub-Committee|Executive|Group|Partnership)\s+(?:agreed|resolved|noted|decided|considered|received|discussed|welcomed|requested|asked))(?-u:\b)",
    },
    Cue {
        name: "attendance recorded",
        kind: DocumentKind::Minutes,
        weight: 2.0,
        head: 0,
        cap: 1,
        strong: true,
        pattern: r"(?m)^\s*(?i:present|members\s+present|in\s+attendance|attended|attendance\s+details|sederunt|in\s+the\s+chair)(?:\s*:\s*|\s+)(?:$|[A-Z(])|(?m)^\s*(?i:present|in\s+attendance)\s*:?\s*$",
    },
    Cue {
        name: "apologies received",
        kind: DocumentKind::Minutes,
        weight: 1.5,
        head: 0,
        cap: 1,
        strong: true,
        pattern: r"(?i)apologies\s+(?:for\s+absence\s+)?(?:were|was|had\s+been)\s+(?:received|submitted|given|noted|made)|no\s+apologies|there\s+were\s+no\s+apologies",
    },
    Cue {
        name: "past-tense proceedings",
        kind: DocumentKind::Minutes,
        weight: 0.75,
        head: 0,
        cap: 8,
        strong: false,
        pattern: r"(?i)(?:submitted|presented|introduced)\s+(?:a|the|his|her)\s+(?:\w+\s+)?report|members\s+(?:asked|noted|queried|discussed|welcomed|raised|commented|requested)|the\s+chair(?:man|person)?\s+(?:welcomed|thanked|invited|reported|noted|advised|asked|introduced|explained)|(?-u:\b)(?:was|were)\s+(?:noted|agreed|approved|received|confirmed|signed|welcomed|advised|informed|asked)(?-u:\b)|(?-u:\b)(?:reported|explained|confirmed|advised|responded|queried|asked)\s+that(?-u:\b)|proposed\s+by|seconded\s+by|the\s+meeting\s+(?:closed|ended|finished)",
    },
    Cue {
        name: "previous minutes approved",
        kind: DocumentKind::Minutes,
        weight: 2.0,
        head: 0,
        cap: 1,
        strong: true,
        pattern: r"(?i)(?:approved|agreed|confirmed|taken\s+as\s+read|signed)\s+(?:as\s+)?a\s+(?:correct|true|accurate)\s+record|(?:were|was)\s+(?:agreed|approved|confirmed)\s+as\s+(?:a\s+)?(?:correct|true|accurate)",
    },
    // Decision records.
    Cue {
        name: "decision record",
        kind: DocumentKind::Decision,
        weight: 6.0,
        head: TITLE_LINES,
        cap: 1,
        strong: true,
        pattern: r"(?im)^\s*(?:decision\s+details|issue\s+-\s+decisions|record\s+of\s+(?:executive\s+|officer\s+|key\s+)?decisions?|decision\s+notice|(?:officer|executive|key|individual\s+cabinet\s+member)\s+decision(?:\s+record)?)\s*$",
    },
    Cue {
        name: "decision fields",
        kind: DocumentKind::Decision,
        weight: 2.5,
        head: 0,
        cap: 2,
        strong: true,
        pattern: r"(?im)^\s*(?:date\s+of\s+decision|decided\s+at\s+meeting|decision\s+status|decision\s+maker|is\s+key\s+decision\?|reason\s+for\s+(?:the\s+)?decision|reasons\s+for\s+the\s+decision)\s*:?",
    },
    // Agendas.
    Cue {
        name: "'Agenda' title",
        kind: DocumentKind::Agenda,
        weight: 5.0,
        head: AGENDA_TITLE_LINES,
        cap: 1,
        strong: true,
        pattern: r"(?im)^\s*(?:(?:supplementary\s+|revised\s+|public\s+|draft\s+)?agenda(?:\s+(?:pack|package|supplement|for\s+.*|and\s+reports))?|notice\s+of\s+(?:the\s+)?meeting|summons(?:\s+to\s+attend)?|you\s+are\s+(?:hereby\s+)?(?:summoned|requested|invited)\s+to\s+attend.*|agenda\s*(?:&|and)\s*summons.*|(?:regular|special)\s+(?:meeting\s+)?agenda)\s*$",
    },
    Cue {
        name: "future meeting notice",
        kind: DocumentKind::Agenda,
        weight: 2.0,
        head: 0,
        cap: 2,
        strong: true,
        pattern: r"(?i)(?:will\s+be\s+held|to\s+be\s+held)\s+(?:at|on|in|remotely|virtually)|members\s+of\s+the\s+public\s+(?:are|may)\s+(?:welcome|attend)|please\s+note\s+that\s+this\s+meeting\s+(?:will|may)|democratic\s+services\s+officer\s+for\s+this\s+meeting|membership\s*(?:\(\d+\))?\s*:\s*$|(?-u:\b)quorum\s*:",
    },
    Cue {
        name: "agenda business",
        kind: DocumentKind::Agenda,
        weight: 0.4,
        head: 0,
        cap: 10,
        strong: true,
        pattern: r"(?m)^\s*(?:\d{1,2}\.?\s+)?To\s+(?:receive|consider|approve|note|agree|elect|discuss|confirm)\s",
    },
    // Reports.
    Cue {
        name: "report front sheet",
        kind: DocumentKind::Report,
        weight: 4.0,
        head: TITLE_LINES,
        cap: 1,
        strong: true,
        pattern: r"(?im)^\s*(?:report\s+(?:of|by|to|from)\s+.+|(?:cabinet|committee|officer)\s+report|(?:by|to|from|subject)\s*:(?:\s+.+)?|purpose\s+of\s+(?:the\s+)?report.*|executive\s+summary|report\s+title\s*:?.*)$",
    },
    Cue {
        name: "report title",
        kind: DocumentKind::Report,
        weight: 4.0,
        head: TITLE_LINES,
        cap: 1,
        strong: true,
        pattern: r"(?m)^(?:[A-Z][\w'’&,/-]*\s+){0,6}(?:[Rr]eport|REPORT|[Pp]lan|PLAN|[Ss]trategy|STRATEGY|[Cc]onsultation|CONSULTATION)(?:\s+(?:\d{4}\S*|[A-Z][\w/-]*)){0,4}\s*$|(?im)^\s*(?:produced|prepared)\s+by(?:\s*:|\s+[A-Z])",
    },
    Cue {
        name: "report sections",
        kind: DocumentKind::Report,
        weight: 1.5,
        head: 0,
        cap: 4,
        strong: true,
        pattern: r"(?im)^\s*(?:\d{1,2}(?:\.\d{1,2})?\.?\s+)?(?:recommendations?\s*:?|background|financial\s+implications|legal\s+implications|equalities\s+implications|risk\s+(?:assessment|implications)|consultation|options\s+(?:considered|appraisal)|conclusions?|appendices|background\s+documents|contact\s+officer|report\s+author|summary)\s*:?\s*$",
    },
    Cue {
        name: "report wording",
        kind: DocumentKind::Report,
        weight: 0.5,
        head: 0,
        cap: 6,
        strong: true,
        pattern: r"(?i)this\s+report\s+(?:sets\s+out|provides|seeks|outlines|presents|asks)|(?:cabinet|the\s+committee|members)\s+(?:is|are)\s+(?:asked|recommended)\s+to",
    },
];

static COMPILED: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    CUES.iter()
        .map(|c| Regex::new(c.pattern).expect("static regex"))
        .collect()
});

/// How many lines at the top count as the document's title block.
const TITLE_LINES: usize = 25;

/// "Agenda" names the document only at its very top: further down a web
/// page of minutes, it is a link or a tab ("Documents / Agenda").
const AGENDA_TITLE_LINES: usize = 8;

/// The least evidence for calling a text minutes or a decision record;
/// below it (and with nothing else ahead), the text is "other".
const MIN_SCORE: f32 = 3.0;

/// Minutes need less: a single item page may show only its "Minutes:"
/// label or one resolution, and calling minutes "other" loses their
/// follow-ups, while calling a stray file minutes costs little.
const MIN_MINUTES_SCORE: f32 = 1.5;

/// When the title block names several kinds ("Agenda and minutes", a
/// decision page of a meeting), the record of what happened wins over the
/// notice of what was to come.
const TITLE_PRIORITY: [DocumentKind; 4] = [
    DocumentKind::Decision,
    DocumentKind::Minutes,
    DocumentKind::Agenda,
    DocumentKind::Report,
];

/// How much of a document its kind is read from: what a document is shows
/// in its first pages, and the cost stays the same for a 300-page pack.
const READ_BYTES: usize = 48 * 1024;

/// Decides what kind of document `text` is, with the cues that decided.
pub fn document_kind(text: &str) -> (DocumentKind, Vec<String>) {
    let mut end = text.len().min(READ_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let head_lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(TITLE_LINES)
        .collect();
    let head_of = |n: usize| head_lines[..n.min(head_lines.len())].join("\n");
    let head = head_of(TITLE_LINES);
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
    let mut strong_minutes = false;
    // Kinds the title block names: a front page says what a document is.
    let mut titled: Vec<DocumentKind> = Vec::new();
    // Title cues first: when the title block names the kind, only that
    // kind's strong body cues are read, for the evidence (most of the cost).
    let title_pass = CUES.iter().zip(COMPILED.iter()).filter(|(c, _)| c.head > 0);
    let mut tally = |cue: &Cue, count: usize, titled: &mut Vec<DocumentKind>| {
        if count == 0 {
            return;
        }
        let count = count.min(cue.cap);
        strong_minutes |= cue.strong && cue.kind == DocumentKind::Minutes;
        if cue.head > 0 && !titled.contains(&cue.kind) {
            titled.push(cue.kind);
        }
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
    };
    for (cue, re) in title_pass {
        tally(
            cue,
            usize::from(re.is_match(&head_of(cue.head))),
            &mut titled,
        );
    }
    let decided = TITLE_PRIORITY.into_iter().find(|k| titled.contains(k));
    let body_pass = CUES
        .iter()
        .zip(COMPILED.iter())
        .filter(|(c, _)| c.head == 0 && decided.is_none_or(|k| k == c.kind && c.strong));
    for (cue, re) in body_pass {
        tally(cue, re.find_iter(text).take(cue.cap).count(), &mut titled);
    }
    let score = |k: DocumentKind| {
        scores
            .iter()
            .find(|(kind, _)| *kind == k)
            .map_or(0.0, |(_, s)| *s)
    };
    let minutes = if strong_minutes {
        score(DocumentKind::Minutes)
    } else {
        0.0
    };
    let decision = score(DocumentKind::Decision);
    let agenda = score(DocumentKind::Agenda);
    let report = score(DocumentKind::Report);
    // An agenda or report says so on its front page; minutes bound into an
    // agenda pack (last meeting's, for approval) do not make it minutes.
    // When the title block names one kind, it decides; when it names
    // several ("Agenda and minutes", a decision page of a meeting), the
    // record of what happened wins over the notice of what was to come.
    let by_title = decided;
    let kind = if let Some(kind) = by_title {
        kind
    } else if decision >= MIN_SCORE && decision + 2.0 >= minutes && decision > agenda {
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
