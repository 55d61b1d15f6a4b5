//! Recognises a follow-up request in one sentence of the minutes and reads
//! off its kind, subject and owner.
//!
//! A sentence is a request when it has an *anchor*: a future or requested
//! delivery to the committee ("a further update be provided", "agreed to
//! bring a report", "requested a report on", "would be circulated to
//! members", "be scheduled for the September meeting", "ACTION - ..."). The
//! exclusions officers expect are checked at the anchor: hedges ("could be
//! undertaken"), refusals ("would not be in a position to provide"), past
//! narration ("an update was provided"), other bodies' business ("to be
//! submitted to Ofsted"), deferrals and the date of the next meeting.

use super::due::{self, DueMatch};
use super::matching::is_generic_subject;
use super::sentences::collapse_whitespace;
use crate::model::{Due, FollowUpKind};
use regex::Regex;
use std::sync::LazyLock;

/// What the surrounding minutes tell us when reading one sentence.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    pub meeting_date: Option<&'a str>,
    pub committee: Option<&'a str>,
    /// Cleaned item title: the subject of last resort.
    pub item_title: &'a str,
    /// The sentence before, for "This would be presented ..." anaphora.
    pub previous: Option<&'a str>,
    /// The member's question that opened the paragraph, if any.
    pub question: Option<&'a str>,
    /// The last officer or member named as speaking in the item, for "she agreed to".
    pub last_actor: Option<&'a str>,
}

/// A request found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub text: String,
    pub kind: FollowUpKind,
    pub subject: String,
    pub owner: Option<String>,
    pub due: Option<Due>,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static regex")
}

macro_rules! static_re {
    ($name:ident, $pattern:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| re($pattern));
    };
}

const DELIVERABLE: &str = r"(?:reports?|updates?|briefings?(?:\s+notes?)?|presentations?|information|details|data|figures|breakdowns?|responses?|papers?|clarification|feedback|analysis|summary|statistics)";

static_re!(
    SKIP_SENTENCE,
    r"(?i)view the full minutes text|\bdate of (?:the )?next meeting\b|\bnext meeting\b[^.]*\b(?:be held|take place|took place|held on|will be on|is on)\b|\b(?:defer|deferred|deferral|postpone|postponed|adjourn|adjourned|withdrawn|put back)\b|\bnot\s+be\s+in\s+a\s+position\b|\b(?:unable|not\s+able|not\s+possible)\s+to\b|\b(?:declined|refused)\b|\bno\s+(?:further\s+)?(?:reports?|updates?|information)\s+(?:would|will|could|can|was|were)\b|\bit\s+was\s+hoped\b|\bhoped\s+that\b|\b(?:for|at|to|during)\s+this\s+(?:item|meeting)\b|\bdelegated?\s+(?:authority|powers?)\b|\b(?:was|were)\s+due\s+to\b"
);

static_re!(
    ACTION_MARKER,
    r"(?i)^\s*(?:agreed\s+)?actions?(?:\s+point)?\s*(?:[:\-–—]|by\b)\s*(?P<body>.+)$"
);

static_re!(
    ACTIVE,
    r"(?i)(?:\b(?P<aux>agree[sd]?\s+to|undert(?:ook|ake|akes)\s+to|offered\s+to|promised\s+to|volunteered\s+to|(?:her|his|their|the)\s+intention\s+to|intends?\s+to|intended\s+to|(?:was|were|be|is|are)\s+(?:asked|requested|tasked|invited)\s+to|continue\s+to|would|will|shall|is\s+to|are\s+to)|^(?P<lead>to))\s+(?:also\s+|then\s+|further\s+|now\s+|personally\s+|shortly\s+|in\s+due\s+course\s+)?(?P<verb>[a-z][a-z-]*)(?:\s+(?P<particle>back|up|into|out|forward)\b)?"
);

static_re!(
    PASSIVE,
    r"(?i)\bbe\s+(?:(?:then|also|now|duly|subsequently|further|formally|jointly|regularly|shortly)\s+)?(?P<verb>provided|given|supplied|produced|prepared|brought(?:\s+back)?|presented|submitted|tabled|reported(?:\s+back)?|fed\s+back|made\s+available|sent|circulated|shared|distributed|forwarded|e-?mailed|scheduled|added|included|programmed|timetabled|placed|listed|invited|considered|informed|advised|updated|notified|briefed|kept\s+(?:informed|updated|abreast|briefed|apprised|appraised))\b"
);

static_re!(
    PAST_SCHEDULED,
    r"(?i)\b(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+(?:now\s+)?(?:scheduled|programmed|timetabled)\s+(?:for|to\s+come\s+to|to\s+be\s+(?:considered|presented)\s+at)\b"
);

static_re!(
    REQUESTED,
    &format!(
        r"(?i)\b(?:requested|requests|request(?:ed)?\s+(?:that|sight\s+of)|asked\s+for|asked\s+that|sought|called\s+for|would\s+(?:like|welcome)|wished\s+to\s+(?:see|receive))\s+(?:that\s+)?(?:(?:(?:a|an|the|further|more|some|regular|detailed|written|full|brief|sight\s+of|copies\s+of|a\s+copy\s+of|progress)\s+)+(?:[\w’'-]+\s+){{0,3}}?)?(?P<noun>{DELIVERABLE})\b"
    )
);

static_re!(
    SUBJUNCTIVE,
    r"\b(?:that|That|THAT)\s+(?:the\s+|The\s+)?(?P<np>(?:[A-Z][\w’'&/.-]*|officers|Officers)(?:,?\s+(?:[A-Z][\w’'&/.-]*|of|for|and|&))*)\s+(?P<verb>[a-z]+)\b"
);

static_re!(
    ELLIPTICAL,
    r"(?i)^(?:that\s+)?(?:a|an)\s+(?:(?:further|detailed|written|progress|full|brief|short)\s+)*(?P<noun>reports?|updates?|briefing|presentation|paper)\b"
);

static_re!(
    DELIVERABLE_ABOUT,
    &format!(
        r"(?i)\b(?P<noun>{DELIVERABLE}|cop(?:y|ies))\b(?:\s+back)?(?:\s+(?:[\w’'-]+|\x01)){{0,4}}?\s+(?:on|about|regarding|relating\s+to|in\s+relation\s+to|concerning|into|around|in\s+respect\s+of|with\s+regard\s+to|of|for)\s+(?P<x>.+)"
    )
);

static_re!(
    DELIVERABLE_NOUN,
    &format!(r"(?i)\b(?P<noun>{DELIVERABLE})\b")
);

static_re!(
    SUBJECT_BOUNDARY,
    r"(?i)[,;:(\x01]|\bof\s+the\s+(?:committee|panel|board|group|meeting)\b|\.(?:\s|$)|\s[-–—]\s|\b(?:be|is|are|was|were|would|will|should|shall|could|can|to\s+(?:the|a|an|its|their|this|come|be|go|members|councillors|all)|at\s+(?:the|a|an|its)|which|that|who|when|once|if|whilst|while|although|but|as\s+soon|as\s+and|so\s+that|provided|requested|prior|following|and\s+(?:the|that|to|it|officers?)|with\s+a\s+view|in\s+due|in\s+the\s+(?:new|next)|by\s+the\s+(?:end|next))\b"
);

static_re!(
    LEADING_FILLER,
    r"(?i)^(?:(?:on|of|about|regarding|concerning|the|a|an|any|all|its|their|further|more|some|into|around|for|what|how|why|whether|if)\s+|(?:type|types|level|levels|nature|range|number|details?|copy|copies)\s+of\s+)+"
);

static_re!(
    OUTSIDE_BODY,
    r"(?i)^(?:the\s+)?(?:(?:central\s+)?government|(?:the\s+)?minister\s+(?:for|of)\s+.+|(?:the\s+)?secretary\s+of\s+state\s+for\s+.+|(?:the\s+)?department\s+for\s+.+|ministers?|(?:the\s+)?secretary\s+of\s+state|ofsted|dfe|department\s+for\s+education|department\s+of\s+health(?:\s+and\s+social\s+care)?|dhsc|cqc|care\s+quality\s+commission|hmi|inspectors?|nhs\s+england|ombudsman|courts?|cabinet|full\s+council|council|executive|overview\s+and\s+scrutiny\s+(?:board|committee|management\s+board|commission))$"
);

static_re!(
    OUTSIDE_RECIPIENT,
    r"(?i)\b(?:to|with)\s+(?:the\s+)?(?:(?:central\s+)?government|ministers?|secretary\s+of\s+state|ofsted|dfe|department\s+for\s+education|cqc|care\s+quality\s+commission|nhs\s+england|ombudsman|cabinet|full\s+council|council\s+(?:for\s+approval|at\s+its)|executive|overview\s+and\s+scrutiny\s+(?:board|committee|management\s+board|commission))\b(?:\s+(?:member|members|lead|portfolio))?"
);

static_re!(
    COMMITTEE_WORDS,
    r"(?i)\b(?:committee|panel|members?|councillors?|cllrs?|chair(?:man|person)?|board|group|forum|commission)\b"
);

static_re!(
    WORK_PROGRAMME,
    r"(?i)\b(?:work\s*programme|forward\s+(?:plan|programme)|agenda|future\s+meeting|next\s+meeting|work\s+plan)\b"
);

static_re!(
    LEADING_ACTOR,
    r"^(?:The\s+)?(?P<np>(?:[A-Z][\w’'&/.-]*)(?:,?\s+(?:[A-Z][\w’'&/.-]*|of|for|and|&|the))*?)\s*,?\s+(?:presented|explained|informed|advised|reported|confirmed|stated|said|agreed|undertook|introduced|outlined|highlighted|noted|responded|replied|gave|provided|added|commented|acknowledged|reassured|emphasised|emphasized|suggested|clarified|assured|indicated|offered|detailed|summarised|summarized|shared|thanked|mentioned|stressed|expressed|welcomed|undertook|asked|questioned|updated|answered)\b"
);

static_re!(
    BY_OWNER,
    r"\bby\s+(?:the\s+)?(?P<np>[A-Z][\w’'&-]*(?:,?\s+(?:[A-Z][\w’'&-]*|of|for|and|&|the))*)"
);

static_re!(
    ROLE_WORD,
    r"(?i)\b(?:director|officer|officers|manager|head|lead|chair|chairman|chairperson|vice-chair|cllr|councillor|mr|mrs|ms|miss|dr|executive|holder|clerk|team|commissioner|co-?ordinator|advis[eo]r|superintendent|inspector|principal|secretary|treasurer|dso|health|member|partnership|service|services|lead|leader|representative|scrutiny|deputy|cabinet)\b"
);

static_re!(
    QUESTION_OPENING,
    r"(?i)^(?:a|one|several|the|another)?\s*(?:members?|councillors?|cllr\.?\s+\w+|councillor\s+\w+|the\s+chair(?:man)?)\b[^.]*?\b(?:asked|questioned|queried|enquired|inquired|sought|raised)\s+(?:about\s+|why\s+|whether\s+|if\s+|how\s+|what\s+|for\s+|the\s+reasons?\s+(?:for|why)\s+)?(?P<q>.+)$"
);

static_re!(
    QUESTION_BOUNDARY,
    r"(?i)[,;:(?]|\.(?:\s|$)|\b(?:showed|had|has|have|was|were|is|are|would|could|and\s+how|and\s+whether|and\s+why|that|which)\b"
);

static_re!(
    TITLE_NOISE,
    r"(?i)\s*pdf icon\s*pdf\s*[\d.,]+\s*[km]b|\s*\((?:ref|reference)[:.]?\s*[^)]*\)|\s*\(verbal\)"
);

static_re!(
    LIST_ANAPHOR,
    r"(?i)^(?:the\s+|these\s+|all\s+)?(?:items|topics|issues|suggestions|above|following)\b|\bas\s+listed\b|\blisted\s+above\b"
);

static_re!(
    ANAPHOR,
    r"(?i)^(?:this|it|these|they|this\s+(?:information|report|update|data|work|document))$"
);

static_re!(
    PREVIOUS_NP,
    r"^(?P<np>.+?)\s+(?:is|was|were|are|had|has|have|would|will|could|should)\b"
);

/// Verbs that send something back to the committee; with these, "would" or
/// "will" alone makes a request.
const COME_BACK_VERBS: &[&str] = &[
    "bring",
    "present",
    "submit",
    "table",
    "report",
    "update",
    "provide",
    "give",
    "supply",
    "circulate",
    "share",
    "send",
    "email",
    "e-mail",
    "distribute",
    "forward",
    "feed",
    "come",
    "return",
    "advise",
    "inform",
    "notify",
    "clarify",
    "respond",
    "reply",
    "write",
    "look",
    "investigate",
    "follow",
    "check",
    "find",
    "arrange",
    "schedule",
    "add",
    "include",
    "invite",
    "confirm",
    "receive",
    "keep",
    "brief",
];

/// Verbs that, even when agreed, are decisions rather than follow-ups.
const NOT_FOLLOW_UP_VERBS: &[&str] = &[
    "note",
    "support",
    "endorse",
    "approve",
    "accept",
    "recommend",
    "thank",
    "welcome",
    "adopt",
    "defer",
    "postpone",
    "delegate",
    "vary",
    "be",
    "have",
    "the",
    "a",
    "an",
    "not",
    "identify",
    "agree",
    "continue",
    "need",
    "take",
    "make",
    "sign",
    "record",
    "its",
    "their",
    "this",
    "that",
    "and",
    "request",
    "transfer",
];

const PRONOUNS: &[&str] = &["he", "she", "they", "him", "her", "them", "it"];

#[derive(Debug, Clone)]
struct Anchor {
    start: usize,
    kind: FollowUpKind,
    /// Subject read off the anchor's own phrase, when it names one.
    subject: Option<String>,
    actor: Option<String>,
    /// "requested that ..." only frames the request: a verb after it
    /// ("be circulated") says what kind it is.
    weak: bool,
}

/// Reads a follow-up request from `sentence`, if it states one.
pub fn recognise(sentence: &str, ctx: &Context) -> Option<Candidate> {
    let text = collapse_whitespace(sentence);
    if text.is_empty() || text.ends_with('?') || SKIP_SENTENCE.is_match(&text) {
        return None;
    }
    let due = due::best(&text, ctx.meeting_date);
    let anchors = find_anchors(&text, due.as_ref(), ctx);
    let first = anchors
        .iter()
        .filter(|a| !a.weak)
        .min_by_key(|a| a.start)
        .or_else(|| anchors.iter().min_by_key(|a| a.start))?
        .clone();

    let subject = first
        .subject
        .clone()
        .or_else(|| deliverable_subject(&text, due.as_ref()))
        .filter(|s| !is_generic_subject(s))
        .or_else(|| ctx.question.and_then(question_subject))
        .unwrap_or_else(|| clean_title(ctx.item_title));
    if subject.is_empty() {
        return None;
    }

    let owner = anchors
        .iter()
        .filter_map(|a| a.actor.as_deref())
        .find_map(|np| resolve_owner(np, &text, ctx))
        .or_else(|| by_owner(&text, ctx))
        .or_else(|| {
            due.as_ref()
                .and_then(|d| trailing_owner(&text[d.end..], ctx))
        });

    Some(Candidate {
        text,
        kind: first.kind,
        subject,
        owner,
        due: due.map(|d| d.due),
    })
}

fn find_anchors(text: &str, due: Option<&DueMatch>, ctx: &Context) -> Vec<Anchor> {
    let mut anchors = Vec::new();
    if let Some(a) = action_marker(text) {
        anchors.push(a);
        return anchors;
    }
    if let Some(a) = bare_assignment(text, ctx) {
        anchors.push(a);
    }
    anchors.extend(active_anchors(text, due, ctx));
    anchors.extend(passive_anchors(text, due, ctx));
    if let Some(c) = PAST_SCHEDULED.find(text) {
        if due.is_some_and(|d| d.start > c.start()) {
            let subject = subject_before(text, c.start(), ctx);
            if let Some(subject) = subject {
                anchors.push(Anchor {
                    start: c.start(),
                    kind: FollowUpKind::ScheduleItem,
                    subject: Some(subject),
                    actor: None,
                    weak: false,
                });
            }
        }
    }
    if let Some(c) = REQUESTED.captures(text) {
        let m = c.get(0).map_or(0, |m| m.start());
        if !negated_before(text, m) {
            anchors.push(Anchor {
                start: m,
                kind: kind_of_noun(c.name("noun").map_or("", |n| n.as_str())),
                subject: None,
                actor: None,
                weak: c
                    .get(0)
                    .is_some_and(|m| m.as_str().to_lowercase().contains("that")),
            });
        }
    }
    if let Some(c) = ELLIPTICAL.captures(text) {
        if due.is_some() {
            anchors.push(Anchor {
                start: 0,
                kind: kind_of_noun(c.name("noun").map_or("", |n| n.as_str())),
                subject: None,
                actor: None,
                weak: true,
            });
        }
    }
    if let Some(a) = subjunctive_anchor(text, ctx) {
        anchors.push(a);
    }
    anchors.retain(|a| {
        a.subject
            .as_deref()
            .is_none_or(|s| !LIST_ANAPHOR.is_match(s))
    });
    anchors
}

/// "ACTION - Mr Wooster to advise the panel", "Action: Director to circulate figures".
fn action_marker(text: &str) -> Option<Anchor> {
    let caps = ACTION_MARKER.captures(text)?;
    let body = caps.name("body")?.as_str().trim();
    let (actor, task) = match body.find(" to ") {
        Some(i) if body[..i].split_whitespace().count() <= 8 => {
            (Some(body[..i].to_string()), &body[i + 4..])
        }
        _ => (None, body),
    };
    Some(Anchor {
        start: 0,
        kind: FollowUpKind::Action,
        subject: Some(short_phrase(task, 10)),
        actor,
        weak: false,
    })
}

/// Action-log style without the marker: "Officers to circulate the data to
/// Members", "Democratic Services to add school exclusions to the work programme".
fn bare_assignment(text: &str, ctx: &Context) -> Option<Anchor> {
    static_re!(
        BARE,
        r"^(?P<np>(?:[A-Z][\w’'&./-]*)(?:,?\s+(?:[A-Z][\w’'&./-]*|of|for|and|&|the))*)\s+to\s+(?P<verb>[a-z]+)(?:\s+(?P<particle>back|up|into|out)\b)?"
    );
    let caps = BARE.captures(text)?;
    let np = caps.name("np")?.as_str();
    let verb = caps.name("verb")?.as_str();
    if !(is_action_verb(verb) || COME_BACK_VERBS.contains(&verb))
        || NOT_FOLLOW_UP_VERBS.contains(&verb)
    {
        return None;
    }
    if !ROLE_WORD.is_match(np) || is_committee(np, ctx) || is_outside_body(np) {
        return None;
    }
    let owner = clean_owner(np, ctx)?;
    let end = caps.get(0)?.end();
    let rest = &text[end..];
    let particle = caps.name("particle").map(|m| m.as_str());
    let mut kind = kind_of_verb(verb, particle, rest);
    if kind == FollowUpKind::Circulate && verb != "circulate" && !to_members_or_unstated(rest) {
        kind = FollowUpKind::Action;
    }
    let subject = match kind {
        FollowUpKind::Action => Some(action_subject(verb, particle, rest, None)),
        _ => object_subject(rest, None),
    };
    Some(Anchor {
        start: 0,
        kind,
        subject,
        actor: Some(owner),
        weak: false,
    })
}

fn active_anchors(text: &str, due: Option<&DueMatch>, ctx: &Context) -> Vec<Anchor> {
    let mut out = Vec::new();
    for caps in ACTIVE.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let aux = caps
            .name("aux")
            .or_else(|| caps.name("lead"))
            .map_or(String::new(), |m| m.as_str().to_lowercase());
        let verb = caps
            .name("verb")
            .map_or(String::new(), |m| m.as_str().to_lowercase());
        let particle = caps.name("particle").map(|m| m.as_str().to_lowercase());
        let gerund = verb.len() > 5 && verb.ends_with("ing");
        if gerund
            || NOT_FOLLOW_UP_VERBS.contains(&verb.as_str())
            || negated_before(text, whole.start())
        {
            continue;
        }
        let explicit = aux.starts_with("agree")
            || aux.starts_with("undert")
            || aux.starts_with("offered")
            || aux.starts_with("promised")
            || aux.contains("intend")
            || aux.contains("intention")
            || aux.starts_with("volunteered")
            || aux.contains("asked")
            || aux.contains("requested")
            || aux.contains("tasked");
        let modal = matches!(
            aux.as_str(),
            "would" | "will" | "shall" | "is to" | "are to"
        );
        let rest = &text[whole.end()..];
        let pre = &text[..whole.start()];
        let actor_np = actor_before(pre).or_else(|| {
            // "Mr Read shared that ... and offered to come back": the sentence's opener.
            let t = pre.trim_end();
            (t.ends_with(" and") || t.ends_with(", and"))
                .then(|| leading_actor(text))
                .flatten()
        });
        let committee_actor = actor_np.as_deref().is_some_and(|np| is_committee(np, ctx));

        // The committee receiving something is a request; the committee doing
        // anything else is its own business.
        let receiving = matches!(
            verb.as_str(),
            "receive" | "consider" | "schedule" | "add" | "include" | "invite"
        );
        // "had been agreed to rollover": a passive decision, not an undertaking.
        if explicit && PASSIVE_BEFORE.is_match(pre) && !IMPERSONAL_BEFORE.is_match(pre) {
            continue;
        }
        // The committee receiving something only counts when it is to come
        // back later ("is asked to consider which topics" describes this meeting).
        if receiving
            && (committee_actor || aux == "to")
            && due.is_none()
            && !FUTURE_WORDS.is_match(rest)
            && aux != "continue to"
        {
            continue;
        }
        if aux == "to" || aux == "continue to" {
            if !receiving {
                continue;
            }
        } else if modal {
            // "agreed that the Chairman would discuss ...": an agreed task.
            let cue = AGREED_THAT.is_match(pre);
            if !COME_BACK_VERBS.contains(&verb.as_str()) && !cue {
                continue;
            }
            if matches!(verb.as_str(), "receive" | "consider") && !committee_actor {
                continue;
            }
            let towards_committee =
                due.is_some() || COMMITTEE_WORDS.is_match(rest) || is_circulate_verb(&verb);
            if !cue && !towards_committee {
                continue;
            }
            if matches!(verb.as_str(), "provide" | "give" | "supply" | "present")
                && !DELIVERABLE_NOUN.is_match(rest)
                && !COMMITTEE_WORDS.is_match(rest)
            {
                continue;
            }
        } else if !explicit {
            continue;
        }
        if committee_actor && !receiving {
            continue;
        }
        if actor_np.as_deref().is_some_and(is_outside_body)
            || OUTSIDE_RECIPIENT.is_match(rest)
            || other_body_recipient(rest, ctx)
        {
            continue;
        }
        let mut kind = kind_of_verb(&verb, particle.as_deref(), rest);
        if kind == FollowUpKind::Circulate && verb != "circulate" && !to_members_or_unstated(rest) {
            kind = FollowUpKind::Action;
        }
        let subject = match kind {
            FollowUpKind::Action => Some(action_subject(&verb, particle.as_deref(), rest, due)),
            _ => object_subject(rest, due),
        };
        out.push(Anchor {
            start: whole.start(),
            kind,
            subject,
            actor: if committee_actor { None } else { actor_np },
            weak: false,
        });
    }
    out
}

static_re!(
    PASSIVE_BEFORE,
    r"(?i)\b(?:been|be|was|were|is|are|had|has|have)\s*$"
);
static_re!(
    IMPERSONAL_BEFORE,
    r"(?i)\bit\s+(?:was|is|has\s+been|had\s+been)\s*$"
);
static_re!(
    FUTURE_WORDS,
    r"(?i)\b(?:further|future|regular|another|updates?|in\s+due\s+course)\b"
);
static_re!(
    AGREED_THAT,
    r"(?i)\b(?:agreed|resolved|requested|asked|undertook|confirmed)\s+that\s+[^,;]{1,60}?\s*$"
);

fn passive_anchors(text: &str, due: Option<&DueMatch>, ctx: &Context) -> Vec<Anchor> {
    let mut out = Vec::new();
    for caps in PASSIVE.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let verb = caps.name("verb").map_or(String::new(), |m| {
            collapse_whitespace(&m.as_str().to_lowercase())
        });
        let pre = &text[..whole.start()];
        let rest = &text[whole.end()..];
        let before = pre.split_whitespace().last().unwrap_or("").to_lowercase();
        if matches!(
            before.as_str(),
            "could" | "might" | "may" | "can" | "cannot" | "not" | "never" | "possibly"
        ) {
            continue;
        }
        if negated_before(text, whole.start())
            || OUTSIDE_RECIPIENT.is_match(rest)
            || other_body_recipient(rest, ctx)
        {
            continue;
        }
        // "presented as four grades": a description, not a delivery.
        if rest.trim_start().to_lowercase().starts_with("as ") {
            continue;
        }
        let np = passive_subject_np(pre);
        let schedule_context = due.is_some() || WORK_PROGRAMME.is_match(text);
        let kind = match verb.as_str() {
            v if is_circulate_verb(v.split_whitespace().next().unwrap_or(""))
                || v == "made available" =>
            {
                if v.starts_with("circulated") || to_members_or_unstated(rest) {
                    FollowUpKind::Circulate
                } else {
                    FollowUpKind::Action
                }
            }
            "scheduled" | "added" | "included" | "programmed" | "timetabled" | "placed"
            | "listed" | "considered" => {
                if !schedule_context {
                    continue;
                }
                FollowUpKind::ScheduleItem
            }
            "invited" => {
                if !(schedule_context || rest.to_lowercase().contains("attend")) {
                    continue;
                }
                FollowUpKind::ScheduleItem
            }
            v if matches!(v, "informed" | "advised" | "notified" | "briefed")
                || v.starts_with("kept")
                || v == "updated" =>
            {
                if !np.as_deref().is_some_and(|n| COMMITTEE_WORDS.is_match(n)) {
                    continue;
                }
                if v == "updated" || v.ends_with("updated") {
                    FollowUpKind::Update
                } else {
                    FollowUpKind::Information
                }
            }
            _ => {
                let np_noun = np
                    .as_deref()
                    .and_then(|n| DELIVERABLE_NOUN.captures(n))
                    .and_then(|c| c.name("noun").map(|m| m.as_str().to_string()));
                let anaphor = np.as_deref().is_some_and(|n| ANAPHOR.is_match(n.trim()));
                if np_noun.is_none() && !anaphor && due.is_none() && !COMMITTEE_WORDS.is_match(rest)
                {
                    continue;
                }
                match np_noun {
                    Some(noun) => kind_of_noun(&noun),
                    None if verb.starts_with("reported")
                        || verb.starts_with("presented")
                        || verb.starts_with("submitted")
                        || verb.starts_with("brought")
                        || rest.to_lowercase().contains("report") =>
                    {
                        FollowUpKind::Report
                    }
                    None => FollowUpKind::Information,
                }
            }
        };
        if np.as_deref().is_some_and(is_outside_body) {
            continue;
        }
        let subject = np.and_then(|n| subject_from_np(&n));
        out.push(Anchor {
            start: whole.start(),
            kind,
            subject,
            actor: None,
            weak: false,
        });
    }
    out
}

/// "presented to the Governance and Audit Committee": delivery to another
/// named body is that body's business, not this committee's follow-up.
fn other_body_recipient(rest: &str, ctx: &Context) -> bool {
    static_re!(
        NAMED_BODY,
        r"^\s*(?:back\s+)?to\s+(?:the\s+)?(?P<name>(?:[A-Z][\w'’&-]*\s+(?:and\s+|of\s+|for\s+)?){1,7}(?:Committee|Board|Panel|Group|Forum|Partnership|Commission|Cabinet))\b"
    );
    let Some(caps) = NAMED_BODY.captures(rest) else {
        return false;
    };
    let name = caps.name("name").map_or("", |m| m.as_str());
    match ctx.committee {
        Some(own) => !super::matching::normalise(own).contains(&super::matching::normalise(name)),
        None => true,
    }
}

/// "That the DSO populate the draft dates ...", "requested that officers circulate ...".
fn subjunctive_anchor(text: &str, ctx: &Context) -> Option<Anchor> {
    for caps in SUBJUNCTIVE.captures_iter(text) {
        let np = caps.name("np")?.as_str();
        let written = caps.name("verb")?.as_str();
        // "request that the Leader writes to ...": third person after a request.
        let verb = match written.strip_suffix('s') {
            Some(stem) if is_action_verb(stem) => stem,
            _ => written,
        };
        if NOT_FOLLOW_UP_VERBS.contains(&verb) || verb.ends_with("ed") || verb == "to" {
            continue;
        }
        if !is_action_verb(verb) {
            continue;
        }
        let determiner = matches!(
            np,
            "A" | "An" | "The" | "This" | "That" | "These" | "Those" | "It" | "Its"
        ) || np.ends_with("'s")
            || np.ends_with("’s")
            || np.ends_with('\'')
            || np.ends_with('’');
        if determiner
            || is_committee(np, ctx)
            || is_outside_body(np)
            || !ROLE_WORD.is_match(np) && !np.eq_ignore_ascii_case("officers")
        {
            continue;
        }
        let start = caps.get(0).map_or(0, |m| m.start());
        let rest = &text[caps.name("verb").map_or(0, |m| m.end())..];
        let kind = kind_of_verb(verb, None, rest);
        let subject = match kind {
            FollowUpKind::Action => Some(action_subject(verb, None, rest, None)),
            _ => object_subject(rest, None),
        };
        return Some(Anchor {
            start,
            kind,
            subject,
            actor: Some(np.to_string()),
            weak: false,
        });
    }
    None
}

/// Bare verbs that, after "That the <officer>", direct someone to act.
fn is_action_verb(verb: &str) -> bool {
    const VERBS: &[&str] = &[
        "populate",
        "write",
        "contact",
        "arrange",
        "circulate",
        "provide",
        "prepare",
        "produce",
        "bring",
        "present",
        "submit",
        "report",
        "update",
        "share",
        "send",
        "email",
        "investigate",
        "explore",
        "review",
        "raise",
        "liaise",
        "seek",
        "obtain",
        "establish",
        "organise",
        "organize",
        "meet",
        "speak",
        "discuss",
        "clarify",
        "confirm",
        "check",
        "chase",
        "pursue",
        "invite",
        "schedule",
        "add",
        "include",
        "advise",
        "inform",
        "respond",
        "reply",
        "feed",
        "look",
        "follow",
        "ensure",
        "undertake",
        "draft",
        "compile",
        "publish",
        "issue",
        "convene",
        "set",
        "identify",
        "engage",
        "lobby",
        "work",
    ];
    VERBS.contains(&verb)
}

/// Circulating is sending to members; sending elsewhere ("a letter to be
/// sent to Highways") is an action.
fn to_members_or_unstated(rest: &str) -> bool {
    static_re!(
        RECIPIENT,
        r"(?i)^[^,.;:]{0,60}?\b(?:to|with)\s+(?P<r>.+?)(?:[,.;:]|\s(?:to|in|by|for|at|so|and|which|when)\s|$)"
    );
    match RECIPIENT
        .captures(rest)
        .and_then(|c| c.name("r").map(|m| m.as_str().to_string()))
    {
        None => true,
        Some(r) => {
            COMMITTEE_WORDS.is_match(&r)
                || Regex::new(r"(?i)\b(?:all|everyone|minutes|attendees)\b")
                    .map(|x| x.is_match(&r))
                    .unwrap_or(false)
        }
    }
}

fn is_circulate_verb(verb: &str) -> bool {
    matches!(
        verb,
        "circulate"
            | "circulated"
            | "share"
            | "shared"
            | "send"
            | "sent"
            | "email"
            | "e-mail"
            | "emailed"
            | "e-mailed"
            | "distribute"
            | "distributed"
            | "forward"
            | "forwarded"
    )
}

fn kind_of_noun(noun: &str) -> FollowUpKind {
    let n = noun.to_lowercase();
    if n.starts_with("update") || n.starts_with("progress") {
        FollowUpKind::Update
    } else if n.starts_with("report")
        || n.starts_with("paper")
        || n.starts_with("presentation")
        || n.starts_with("analysis")
    {
        FollowUpKind::Report
    } else if n.starts_with("response") {
        FollowUpKind::Response
    } else {
        FollowUpKind::Information
    }
}

fn kind_of_verb(verb: &str, particle: Option<&str>, rest: &str) -> FollowUpKind {
    let noun_kind = || {
        DELIVERABLE_NOUN
            .captures(rest)
            .and_then(|c| c.name("noun").map(|m| kind_of_noun(m.as_str())))
    };
    match (verb, particle) {
        (v, _) if is_circulate_verb(v) => FollowUpKind::Circulate,
        ("schedule" | "add" | "include" | "invite", _) => FollowUpKind::ScheduleItem,
        ("report", _) => FollowUpKind::Report,
        ("update", _) | ("keep", _) | ("brief", _) => FollowUpKind::Update,
        ("respond" | "reply", _) => FollowUpKind::Response,
        ("feed", Some("back")) | ("advise" | "inform" | "notify" | "clarify" | "confirm", _) => {
            noun_kind().unwrap_or(FollowUpKind::Information)
        }
        ("bring" | "present" | "submit" | "table" | "receive" | "consider", _)
        | ("come", Some("back")) => noun_kind().unwrap_or(FollowUpKind::Report),
        ("provide" | "give" | "supply", _) => noun_kind().unwrap_or(FollowUpKind::Information),
        _ => noun_kind().unwrap_or(FollowUpKind::Action),
    }
}

/// "not" / "no" just before an anchor turns it into a refusal.
fn negated_before(text: &str, at: usize) -> bool {
    text[..at].split_whitespace().rev().take(3).any(|w| {
        matches!(
            w.to_lowercase()
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '\''),
            "not" | "never" | "cannot" | "won't" | "wouldn't" | "couldn't" | "unable" | "no"
        )
    })
}

/// The noun phrase doing the verb, from the text before the anchor.
fn actor_before(pre: &str) -> Option<String> {
    let boundaries = [
        ", and ",
        "; ",
        " and the ",
        " and that ",
        "that ",
        "That ",
        ": ",
        "whereby ",
        " and ",
    ];
    let mut start = 0;
    for b in boundaries {
        if let Some(i) = pre.rfind(b) {
            // " and " inside a role name ("Children and Family Services") is not a boundary:
            // only accept it when what follows starts with a capital word or pronoun.
            if b == " and " {
                let after = &pre[i + b.len()..];
                if !after
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| PRONOUNS.contains(&w.to_lowercase().as_str()))
                {
                    continue;
                }
            }
            start = start.max(i + b.len());
        }
    }
    let mut np = pre[start..].trim().trim_end_matches(',').trim();
    let lower = np.to_lowercase();
    if ["it was", "it is", "it has been", "it had been"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return None;
    }
    for tail in [
        " to", " be", " is", " are", " was", " were", " will", " would", " should", " also",
    ] {
        if np.to_lowercase().ends_with(tail) {
            np = np[..np.len() - tail.len()].trim_end();
        }
    }
    // "Mr Read shared that ... and offered to": the actor opens the sentence.
    if np.ends_with(" and") || np == "and" {
        return None;
    }
    let lower = np.to_lowercase();
    if ["it was", "it is", "it has been", "it had been"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return None;
    }
    // Too long for a noun phrase: keep what follows the last comma.
    while np.split_whitespace().count() > 10 {
        match np.find(", ") {
            Some(i) => np = np[i + 2..].trim(),
            None => return None,
        }
    }
    (!np.is_empty()).then(|| np.to_string())
}

/// Whether a noun phrase is the committee (or its members) itself.
fn is_committee(np: &str, ctx: &Context) -> bool {
    let lower = np.trim().to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    if matches!(
        lower,
        "it" | "we"
            | "there"
            | "this"
            | "members"
            | "member"
            | "councillors"
            | "all members"
            | "the members"
    ) {
        return true;
    }
    if lower.starts_with("members ") {
        return true;
    }
    if ctx
        .committee
        .is_some_and(|c| c.trim().eq_ignore_ascii_case(lower))
    {
        return true;
    }
    let last = lower.split_whitespace().last().unwrap_or("");
    matches!(
        last,
        "committee" | "panel" | "board" | "group" | "forum" | "commission" | "members"
    ) && !Regex::new(
        r"(?i)\b(?:director|officer|manager|chair|head|lead|cllr|councillor|mr|ms|mrs|dr)\b",
    )
    .map(|r| r.is_match(lower))
    .unwrap_or(false)
}

fn is_outside_body(np: &str) -> bool {
    let t = np.trim().trim_end_matches(['.', ',']);
    OUTSIDE_BODY.is_match(t)
        || t.split(" and ")
            .all(|part| OUTSIDE_BODY.is_match(part.trim()))
            && t.contains(" and ")
}

/// Turns an actor noun phrase into an owner, resolving pronouns to the last
/// person named.
fn resolve_owner(np: &str, sentence: &str, ctx: &Context) -> Option<String> {
    let trimmed = np.trim();
    let first = trimmed
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    if PRONOUNS.contains(&first.as_str()) {
        return leading_actor(sentence).or_else(|| ctx.last_actor.map(str::to_string));
    }
    clean_owner(trimmed, ctx)
}

/// A named person or role, cleaned; `None` for the committee, outside bodies
/// and things that are not people.
fn clean_owner(np: &str, ctx: &Context) -> Option<String> {
    static_re!(
        LEAD_IN,
        r"(?i)^(?:however|in\s+response|in\s+addition|additionally|also|furthermore|as\s+a\s+result|following\s+(?:a|the|this)\s+[^,]+|in\s+response\s+to\s+[^,]+)\s*,\s*"
    );
    let mut s = LEAD_IN.replace(np.trim(), "").to_string();
    for prefix in ["the ", "The "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.to_string();
        }
    }
    let s = s
        .trim()
        .trim_end_matches([',', '.', ';', ':'])
        .trim()
        .to_string();
    let words = s.split_whitespace().count();
    if words == 0 || words > 10 || is_committee(&s, ctx) || is_outside_body(&s) {
        return None;
    }
    if s.eq_ignore_ascii_case("officers") || s.eq_ignore_ascii_case("officer") {
        return Some(s);
    }
    // Names and roles are written in capitals ("Service Director, Children's
    // Operations", "Head of Virtual School"); a lower-case word means we caught
    // a clause, not a person.
    let named = s.split_whitespace().all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || matches!(
                w,
                "of" | "for" | "and" | "&" | "the" | "in" | "with" | "on" | "to"
            )
    });
    if !named || (!ROLE_WORD.is_match(&s) && words > 4) {
        return None;
    }
    Some(s)
}

/// The officer or member the sentence opens with ("The Director explained ...").
pub fn leading_actor(sentence: &str) -> Option<String> {
    let caps = LEADING_ACTOR.captures(sentence)?;
    let np = caps.name("np")?.as_str().trim();
    // Several people ("X, and Y, Officer") cannot own one request.
    if np.contains(", and ")
        || np.contains(" and Cllr")
        || np.contains(" and Mr")
        || np.contains(" and Ms")
    {
        return None;
    }
    let words = np.split_whitespace().count();
    let person_name = (2..=4).contains(&words) && !np.contains(',');
    ((ROLE_WORD.is_match(np) || person_name) && !is_outside_body(np)).then(|| np.to_string())
}

/// "... be provided by the Director of Children's Services".
fn by_owner(text: &str, ctx: &Context) -> Option<String> {
    let caps = BY_OWNER.captures(text)?;
    let np = caps.name("np")?.as_str();
    let np = np.trim_end_matches(|c: char| c == ',' || c.is_whitespace());
    let np = ["of", "for", "and", "&", "the"]
        .iter()
        .fold(np.to_string(), |acc, w| {
            acc.strip_suffix(&format!(" {w}"))
                .map_or(acc.clone(), str::to_string)
        });
    ROLE_WORD
        .is_match(&np)
        .then(|| clean_owner(&np, ctx))
        .flatten()
}

/// Work-programme tables flattened into text put the responsible officer
/// after the due phrase: "... to the June meeting of the committee Service
/// Director, Children's Operations".
fn trailing_owner(after_due: &str, ctx: &Context) -> Option<String> {
    static_re!(
        OF_COMMITTEE,
        r"(?i)^\s*(?:of|for)\s+(?:the\s+)?(?:committee|panel|board|group|meeting|council)\b"
    );
    let rest = OF_COMMITTEE.replace(after_due, "");
    let rest = rest.trim().trim_end_matches(['.', ';']).trim();
    if rest.is_empty() {
        return None;
    }
    let all_capitalised = rest.split_whitespace().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            || matches!(w, "of" | "for" | "and" | "&" | "the")
    });
    (all_capitalised && rest.split_whitespace().count() <= 8)
        .then(|| clean_owner(rest, ctx))
        .flatten()
}

/// The subject of a passive anchor: the noun phrase before "be".
fn passive_subject_np(pre: &str) -> Option<String> {
    let mut np = pre.trim();
    for word in [
        "would", "will", "should", "shall", "must", "to", "is", "are", "was to", "also", "then",
        "now", "need",
    ] {
        if let Some(rest) = np.strip_suffix(word) {
            if rest.ends_with(' ') || rest.is_empty() {
                np = rest.trim_end();
            }
        }
    }
    let np = np.strip_suffix("need to").unwrap_or(np).trim();
    let np = np.strip_suffix("would need to").unwrap_or(np).trim();
    let mut start = 0;
    for b in [
        "that ",
        "That ",
        "THAT ",
        ": ",
        "; ",
        ", and ",
        " and that ",
        "whether ",
    ] {
        if let Some(i) = np.rfind(b) {
            start = start.max(i + b.len());
        }
    }
    let candidate = np[start..].trim();
    // "A copy ... is filed with these minutes, and would be circulated": the
    // subject is the sentence's own first noun phrase.
    if candidate.is_empty()
        || candidate.ends_with(',')
        || candidate.ends_with(" and")
        || candidate == "and"
    {
        let caps = PREVIOUS_NP.captures(np)?;
        return Some(caps.name("np")?.as_str().to_string());
    }
    Some(candidate.to_string())
}

/// The subject named in a noun phrase such as "a report on X" or "Details of X".
fn subject_from_np(np: &str) -> Option<String> {
    if ANAPHOR.is_match(np.trim()) {
        return None;
    }
    if let Some(caps) = DELIVERABLE_ABOUT.captures(np) {
        let x = caps.name("x")?.as_str();
        let cleaned = clean_subject(cut_at_boundary(x));
        if !cleaned.is_empty() {
            return Some(cleaned);
        }
    }
    let cleaned = clean_subject(cut_at_boundary(np));
    (!cleaned.is_empty()).then_some(cleaned)
}

/// A subject from a "report/update/details on X" phrase anywhere in the sentence.
fn deliverable_subject(text: &str, due: Option<&DueMatch>) -> Option<String> {
    let masked = mask_due(text, due);
    for caps in DELIVERABLE_ABOUT.captures_iter(&masked) {
        if let Some(x) = caps.name("x") {
            let s = clean_subject(cut_at_boundary(x.as_str()));
            if !s.is_empty() && !is_generic_subject(&s) {
                return Some(s);
            }
        }
    }
    None
}

/// Replaces the due phrase (and the preposition before it) with a clause
/// boundary, so subjects stop before it.
fn mask_due(text: &str, due: Option<&DueMatch>) -> String {
    static_re!(
        PREP_BEFORE,
        r"(?i)\s+(?:to|at|for|by|in|until|before|during|within|from)\s*$"
    );
    match due {
        Some(d) => {
            let head = &text[..d.start];
            let head = PREP_BEFORE.find(head).map_or(head, |m| &head[..m.start()]);
            format!("{head} \u{1} {}", &text[d.end..])
        }
        None => text.to_string(),
    }
}

fn object_subject(rest: &str, due: Option<&DueMatch>) -> Option<String> {
    let _ = due;
    static_re!(
        RECIPIENT,
        r"(?i)^\s*(?:the\s+)?(?:committee|panel|members?|councillors?|board)(?:\s+of\s+the\s+\w+)?\s+(?:with\s+)?"
    );
    let rest = RECIPIENT.replace(rest, "");
    let s = subject_from_np(cut_at_boundary(&rest))?;
    (!is_generic_subject(&s)).then_some(s)
}

fn action_subject(
    verb: &str,
    particle: Option<&str>,
    rest: &str,
    due: Option<&DueMatch>,
) -> String {
    let _ = due;
    let phrase = match particle {
        Some(p) => format!("{verb} {p} {}", rest.trim()),
        None => format!("{verb} {}", rest.trim()),
    };
    short_phrase(&phrase, 12)
}

/// First `max` words of a phrase, stopping at the end of its clause.
fn short_phrase(s: &str, max: usize) -> String {
    static_re!(
        CLAUSE_END,
        r"[;:(]|\.(?:\s|$)|\s[-–—]\s|,\s+(?:and|but|which|as|so)\b"
    );
    let cut = CLAUSE_END.find(s).map_or(s, |m| &s[..m.start()]);
    let mut words: Vec<&str> = cut.split_whitespace().take(max).collect();
    while words.last().is_some_and(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "a" | "an"
                | "the"
                | "of"
                | "to"
                | "as"
                | "for"
                | "and"
                | "on"
                | "in"
                | "with"
                | "their"
                | "its"
                | "by"
        )
    }) {
        words.pop();
    }
    words.join(" ").trim_end_matches([',', '.']).to_string()
}

fn cut_at_boundary(x: &str) -> &str {
    SUBJECT_BOUNDARY.find(x).map_or(x, |m| &x[..m.start()])
}

fn clean_subject(s: &str) -> String {
    let s = LEADING_FILLER.replace(s.trim(), "");
    let s = s.trim().trim_matches(|c: char| {
        matches!(
            c,
            ',' | '.' | ';' | ':' | '\'' | '"' | '‘' | '’' | '“' | '”'
        ) || c.is_whitespace()
    });
    let words: Vec<&str> = s.split_whitespace().take(12).collect();
    let mut out = words.join(" ");
    // Drop a dangling connective left by the word limit or a boundary.
    for tail in [
        " and", " of", " on", " in", " for", " the", " to", " with", " a",
    ] {
        if let Some(stripped) = out.strip_suffix(tail) {
            out = stripped.to_string();
        }
    }
    out
}

/// What a member asked about, as the subject of a request that only says
/// "a detailed report".
fn question_subject(question: &str) -> Option<String> {
    let caps = QUESTION_OPENING.captures(question)?;
    let q = caps.name("q")?.as_str();
    let q = QUESTION_BOUNDARY.find(q).map_or(q, |m| &q[..m.start()]);
    let s = clean_subject(q);
    (!s.is_empty() && !is_generic_subject(&s)).then_some(s)
}

/// The subject written before a "was scheduled for" phrase.
fn subject_before(text: &str, at: usize, ctx: &Context) -> Option<String> {
    let np = passive_subject_np(&text[..at])?;
    if ANAPHOR.is_match(np.trim()) {
        return ctx.previous.and_then(previous_subject);
    }
    subject_from_np(&np)
}

/// The leading noun phrase of the previous sentence, for "This would be presented".
pub fn previous_subject(previous: &str) -> Option<String> {
    let caps = PREVIOUS_NP.captures(previous)?;
    subject_from_np(caps.name("np")?.as_str())
}

/// An item title as a subject: export noise and numbering removed.
pub fn clean_title(title: &str) -> String {
    let t = TITLE_NOISE.replace_all(title, "");
    let t = collapse_whitespace(&t);
    t.trim().trim_end_matches(['.', ':']).trim().to_string()
}

/// Whether a sentence has a subject pointing back to the sentence before.
pub fn needs_previous(sentence: &str) -> bool {
    static_re!(
        POINTS_BACK,
        r"(?i)^(?:this|these|they|it\s+(?:would|will|should|could|is\s+to))\b"
    );
    POINTS_BACK.is_match(sentence)
}

/// Fills an anaphoric subject from the previous sentence.
pub fn apply_previous(candidate: &mut Candidate, ctx: &Context, title_subject: &str) {
    if candidate.subject == title_subject && needs_previous(&candidate.text) {
        if let Some(prev) = ctx.previous.and_then(previous_subject) {
            if !is_generic_subject(&prev) {
                candidate.subject = prev;
            }
        }
    }
}

/// Opening question of a paragraph, if the paragraph starts with one.
pub fn is_question_opening(sentence: &str) -> bool {
    QUESTION_OPENING.is_match(sentence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>() -> Context<'a> {
        Context {
            meeting_date: Some("2021-03-02"),
            committee: Some("Scrutiny Children Services Review Group"),
            item_title: "Children's Services Ofsted Improvement Plan",
            ..Context::default()
        }
    }

    fn get(sentence: &str) -> Option<Candidate> {
        recognise(sentence, &ctx())
    }

    #[test]
    fn agreed_to_bring_report_with_owner_and_due() {
        let c = get("The Chair also requested a report on the recruitment of foster carers, which goes to the Corporate Parenting Partnership Board to come to a future meeting of the committee and the Service Director, Children's Operations agreed to bring a report to the June meeting.").expect("request");
        assert_eq!(c.kind, FollowUpKind::Report);
        assert_eq!(c.subject, "recruitment of foster carers");
        assert_eq!(
            c.owner.as_deref(),
            Some("Service Director, Children's Operations")
        );
        let due = c.due.expect("due");
        assert_eq!(due.text, "the June meeting");
        assert_eq!(due.date.as_deref(), Some("2021-06"));
    }

    #[test]
    fn report_back_subject_skips_filler() {
        let c = get("The Service Director, Children's Operations agreed to contact colleagues in Public Health for a report back on the type of funding streams provided to a future meeting of the committee.").expect("request");
        assert_eq!(c.kind, FollowUpKind::Report);
        assert_eq!(c.subject, "funding streams");
        assert_eq!(
            c.owner.as_deref(),
            Some("Service Director, Children's Operations")
        );
        assert_eq!(c.due.map(|d| d.text).as_deref(), Some("a future meeting"));
    }

    #[test]
    fn refusal_is_not_a_request() {
        assert_eq!(get("In response to the suggestion of a report back to a future meeting on funding, the Service Director, Children's Operations confirmed Officers would not be in a position to provide any further update to a future meeting."), None);
        assert_eq!(
            get("Officers were unable to provide the figures to members."),
            None
        );
    }

    #[test]
    fn hedge_is_not_a_request() {
        assert_eq!(
            get("It was suggested that an exercise could be undertaken to map provision."),
            None
        );
        assert_eq!(
            get("A briefing could be provided to members if needed."),
            None
        );
        assert_eq!(get("It was hoped that by September there would be some information with options to mitigate some issues."), None);
    }

    #[test]
    fn past_narration_and_noting_are_not_requests() {
        assert_eq!(get("She informed the committee that an update was provided to the committee last year."), None);
        assert_eq!(
            get("The panel received a report from the Statutory Scrutiny Officer."),
            None
        );
        assert_eq!(get("That the report be noted."), None);
        assert_eq!(get("A copy of the Ofsted letter had been circulated with the agenda prior to the meeting."), None);
    }

    #[test]
    fn next_meeting_date_and_deferrals_are_not_requests() {
        assert_eq!(get("It was noted that the next meeting of the Committee would be held on 3 March 2020 at 2.00pm."), None);
        assert_eq!(get("The next meeting of the Committee is scheduled to take place on 3 March 2020 at 2.00pm."), None);
        assert_eq!(
            get("That consideration of the item be deferred to the next meeting."),
            None
        );
    }

    #[test]
    fn outside_bodies_are_not_requests() {
        assert_eq!(get("An action plan had been prepared and would need to be submitted to Ofsted by 10 February 2020."), None);
        assert_eq!(get("Government had recently carried out a consultation and was due to report back in September."), None);
        assert_eq!(
            get("The DfE will provide an update to local authorities in June."),
            None
        );
    }

    #[test]
    fn circulate_with_subject_from_details_of() {
        let c = get("Details of the conference would be circulated to members of the Committee.")
            .expect("request");
        assert_eq!(c.kind, FollowUpKind::Circulate);
        assert_eq!(c.subject, "conference");
        assert_eq!(c.owner, None);
        assert_eq!(c.due, None);
    }

    #[test]
    fn generic_subject_falls_back_to_item_title() {
        let c = get("That a further update be provided to a future meeting of the Committee.")
            .expect("request");
        assert_eq!(c.kind, FollowUpKind::Update);
        assert_eq!(c.subject, "Children's Services Ofsted Improvement Plan");
    }

    #[test]
    fn scheduled_item_and_agreed_action() {
        let c = get("It was agreed that Children Missing Education would be scheduled for the September meeting.").expect("request");
        assert_eq!(c.kind, FollowUpKind::ScheduleItem);
        assert_eq!(c.subject, "Children Missing Education");
        assert_eq!(c.due.and_then(|d| d.date).as_deref(), Some("2021-09"));
        let a = get("The Panel reviewed the Work Programme and agreed that the Chairman would discuss with Officers whether all of the issues on the Work Programme were still relevant.").expect("action");
        assert_eq!(a.kind, FollowUpKind::Action);
        assert_eq!(a.owner.as_deref(), Some("Chairman"));
    }

    #[test]
    fn action_marker() {
        let c = get("ACTION - Mr Wooster to advise the panel of the number of placements.")
            .expect("action");
        assert_eq!(c.kind, FollowUpKind::Action);
        assert_eq!(c.owner.as_deref(), Some("Mr Wooster"));
        assert!(c.subject.starts_with("advise the panel"));
    }

    #[test]
    fn resolution_forms() {
        let c = get(
            "That a report on funding for children services to a future meeting of the committee.",
        )
        .expect("elliptical");
        assert_eq!(c.kind, FollowUpKind::Report);
        assert_eq!(c.subject, "funding for children services");
        let d = get("That a report on the recruitment of foster cares be reported to the June meeting of the committee Service Director, Children's Operations").expect("with owner column");
        assert_eq!(
            d.owner.as_deref(),
            Some("Service Director, Children's Operations")
        );
        assert_eq!(d.subject, "recruitment of foster cares");
        let e = get("That the DSO populate the draft dates on the CSRG draft work programme for 2021/22 once these are known.").expect("directed action");
        assert_eq!(e.kind, FollowUpKind::Action);
        assert_eq!(e.owner.as_deref(), Some("DSO"));
    }

    #[test]
    fn varied_request_verbs() {
        let cases = [
            ("Officers would report back to the Committee on school attendance in September.", FollowUpKind::Report),
            ("The Head of Service undertook to share the audit findings with members.", FollowUpKind::Circulate),
            ("Members asked for details of the number of exclusions by school.", FollowUpKind::Information),
            ("The Director agreed to come back to the Panel with an update on recruitment.", FollowUpKind::Update),
            ("It was agreed that the Youth Justice Manager be invited to attend a future meeting.", FollowUpKind::ScheduleItem),
            ("School transport would be added to the work programme.", FollowUpKind::ScheduleItem),
            ("A written response would be provided to Cllr Jones.", FollowUpKind::Response),
        ];
        for (sentence, kind) in cases {
            let c = get(sentence).unwrap_or_else(|| panic!("no request in: {sentence}"));
            assert_eq!(c.kind, kind, "{sentence}");
        }
    }

    #[test]
    fn pronoun_owner_resolves_to_speaker() {
        let c = get("The Head of Education confirmed that she would circulate the attendance figures to members.").expect("request");
        assert_eq!(c.owner.as_deref(), Some("Head of Education"));
        assert_eq!(c.subject, "attendance figures");
    }
}

/// Phrasings from other councils' minutes, written for these tests, to keep
/// the recogniser general rather than tuned to the seeds.
#[cfg(test)]
mod phrasing_tests {
    use super::*;

    fn ctx<'a>() -> Context<'a> {
        Context {
            meeting_date: Some("2023-11-14"),
            committee: Some("Children and Young People Scrutiny Committee"),
            item_title: "School Exclusions",
            ..Context::default()
        }
    }

    fn get(sentence: &str) -> Option<Candidate> {
        recognise(sentence, &ctx())
    }

    #[track_caller]
    fn expect(
        sentence: &str,
        kind: FollowUpKind,
        subject: &str,
        owner: Option<&str>,
        due: Option<(&str, Option<&str>)>,
    ) {
        let c = get(sentence).unwrap_or_else(|| panic!("no request found in: {sentence}"));
        assert_eq!(c.kind, kind, "kind: {sentence}");
        assert_eq!(c.subject, subject, "subject: {sentence}");
        assert_eq!(c.owner.as_deref(), owner, "owner: {sentence}");
        let got_due = c.due.as_ref().map(|d| (d.text.as_str(), d.date.as_deref()));
        assert_eq!(got_due, due, "due: {sentence}");
    }

    #[test]
    fn requests_in_many_phrasings() {
        use FollowUpKind::*;
        expect(
            "Members requested that a briefing note on the use of agency social workers be circulated.",
            Circulate,
            "use of agency social workers",
            None,
            None,
        );
        expect(
            "The Assistant Director undertook to provide a written response to Councillor Smith's question regarding school transport.",
            Response,
            "school transport",
            Some("Assistant Director"),
            None,
        );
        expect(
            "A progress report to be brought back to the Committee in six months' time.",
            Report,
            "School Exclusions",
            None,
            Some(("six months' time", Some("2024-05"))),
        );
        expect(
            "RESOLVED that the Corporate Director be requested to submit a report on the outcome of the consultation to the next meeting.",
            Report,
            "outcome of the consultation",
            Some("Corporate Director"),
            Some(("the next meeting", None)),
        );
        expect(
            "The Committee will receive an update on the new inspection framework at its meeting in June.",
            Update,
            "new inspection framework",
            None,
            Some(("June", Some("2024-06"))),
        );
        expect(
            "Officers to circulate the attendance data to Members.",
            Circulate,
            "attendance data",
            Some("Officers"),
            None,
        );
        expect(
            "The Committee asked that the item be added to the work programme for 2024/25.",
            ScheduleItem,
            "School Exclusions",
            None,
            None,
        );
        expect(
            "The Director would bring a report on the outcome of the SEND review to a future meeting.",
            Report,
            "outcome of the SEND review",
            Some("Director"),
            Some(("a future meeting", None)),
        );
        expect(
            "Cllr. Jones asked for figures on the number of children in care placed out of county to be provided to members.",
            Information,
            "children in care placed out of county",
            None,
            None,
        );
        expect(
            "Ms Patel offered to come back to the Panel with an update on recruitment in Quarter 1 of 2024/25.",
            Update,
            "recruitment",
            Some("Ms Patel"),
            Some(("Quarter 1 of 2024/25", Some("2024-04"))),
        );
    }

    #[test]
    fn statements_that_are_not_requests() {
        for sentence in [
            "The Chair thanked officers for the report.",
            "Members noted that a report would be presented to Cabinet in March.",
            "The Director explained that the service would provide support to families over the summer.",
            "Ofsted would publish its report in the new year.",
            "It was suggested that officers could explore options for a pilot.",
            "The Government will provide further guidance in the autumn.",
            "The report was presented by the Head of Service.",
            "The Committee would not receive a further update until the review was complete.",
            "Officers confirmed that a report had been circulated to members prior to the meeting.",
            "Members were informed that the next meeting would be held on 5 March 2024.",
            "The item was deferred to the next meeting.",
            "The Panel was advised that the consultation would close on 12 May.",
            "RESOLVED that the Leader's report be noted.",
            "The Corporate Risk Register was due to be presented to the Governance and Audit Committee in January 2024.",
            "Inspections would be presented as four grades from September 2025.",
            "RESOLVED that delegated authority be given to the Corporate Director to take the relevant actions.",
            "The directorate remained committed to improving the situation.",
            "Did officers intend to provide an update on this?",
        ] {
            assert_eq!(get(sentence), None, "not a request: {sentence}");
        }
    }
}
