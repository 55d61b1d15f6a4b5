//! The vocabulary of requests: regexes and word lists shared by the
//! recogniser, the owner reader and the subject reader.
//!
//! Word boundaries throughout this stage are ASCII (`(?-u:\b)`): a Unicode
//! `\b` makes the regex crate fall back to its slow engines on any text with
//! curly quotes or "£", which minutes nearly always contain.

use regex::Regex;

pub(super) fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static regex")
}

/// A regex compiled once, on first use.
macro_rules! static_re {
    ($vis:vis $name:ident, $pattern:expr) => {
        $vis static $name: std::sync::LazyLock<regex::Regex> =
            std::sync::LazyLock::new(|| $crate::followups::patterns::re($pattern));
    };
}

pub(super) const DELIVERABLE: &str = r"(?:reports?|updates?|briefings?(?:\s+notes?)?|presentations?|information|details|data|figures|breakdowns?|responses?|papers?|clarification|feedback|analysis|summary|statistics)";

// Sentences that are never requests: truncation notes, next-meeting dates,
// deferrals, refusals, hopes, this meeting's own business, delegations,
// plans narrated in the past and completed action-log entries.
static_re!(
    pub(super) SKIP_SENTENCE,
    r"(?i)view the full minutes text|(?-u:\b)date of (?:the )?next meeting(?-u:\b)|(?-u:\b)next meeting(?-u:\b)[^.]*(?-u:\b)(?:be held|take place|took place|held on|will be on|is on)(?-u:\b)|(?-u:\b)(?:defer|deferred|deferral|postpone|postponed|adjourn|adjourned|withdrawn|put back)(?-u:\b)|(?-u:\b)not\s+be\s+in\s+a\s+position(?-u:\b)|(?-u:\b)(?:unable|not\s+able|not\s+possible)\s+to(?-u:\b)|(?-u:\b)(?:declined|refused)(?-u:\b)|(?-u:\b)no\s+(?:further\s+)?(?:reports?|updates?|information)\s+(?:would|will|could|can|was|were)(?-u:\b)|(?-u:\b)it\s+was\s+hoped(?-u:\b)|(?-u:\b)hoped\s+that(?-u:\b)|(?-u:\b)(?:for|at|to|during)\s+this\s+(?:item|meeting)(?-u:\b)|(?-u:\b)delegated?\s+(?:authority|powers?)(?-u:\b)|(?-u:\b)(?:was|were)\s+due\s+to(?-u:\b)|[-–—:(]\s*(?:action\s+)?(?:completed?|closed|done|actioned|discharged)\s*\)?\.?$"
);

// Sentences that look like requests but record something else: budget
// figures approved, noting, procedure quoted from standing orders, a motion
// moved and seconded, an agenda's summary of business ("To receive an
// update on..."), a request made before this meeting.
static_re!(
    pub(super) NOT_A_REQUEST,
    r"(?i)£\s?[\d,.]+\s*(?:m|bn|k|million|billion)?[^.]*(?-u:\b)(?:budget|council\s+tax|precept|capital\s+programme|revenue|requirement|reserves?|drawdown|savings|pay\s+(?:scheme|award|structure))(?-u:\b)|(?-u:\b)(?:budget|council\s+tax|precept|capital\s+programme|revenue\s+budget|minimum\s+revenue\s+provision|treasury\s+management|fees\s+and\s+charges|pay\s+(?:scheme|structure))(?-u:\b)[^.]*£\s?\d|^(?:\d{1,3}\.)?\s*to\s+note\s+(?:the|potential|that\s+fundamental)(?-u:\b)|^note\s+the(?-u:\b)|^\d{1,3}\.\d{1,3}\s+(?:the|a|any|no|if|where|when)(?-u:\b)|(?-u:\b)(?:standing\s+orders?|procedure\s+rules?|council\s+procedure)\s+(?:\d|states?|provides?|says|requires?)|(?-u:\b)proposed,?\s+and\s+[^.]{0,60}seconded|(?-u:\b)proposed\s+by\s+[^.]{0,60}seconded\s+by|(?-u:\b)(?:has|had)\s+(?:previously\s+)?(?:requested|asked\s+for)(?-u:\b)|^(?:and;?\s+)?this\s+council\s+(?:resolves|agrees|calls)|asked\s+for\s+clarification"
);

// An agenda's summary of the business, printed above the minutes of an
// item: "To receive an update on ...", "To consider the report of ...".
// (In a work-programme list the same words are a request.)
static_re!(
    pub(super) AGENDA_SUMMARY,
    r"(?i)^(?:\d{1,3}\.?\s+)?to\s+(?:receive|consider|note)\s+(?:an?\s+|the\s+)?(?:verbal\s+|oral\s+|written\s+|further\s+|annual\s+)?(?:update|report|presentation|briefing|[A-Z][\w-]*\s+(?:inspection|report))"
);

// "ACTION - Mr Wooster to advise the panel", "Action: Clerk".
static_re!(
    pub(super) ACTION_MARKER,
    r"(?i)^\s*(?:agreed\s+)?actions?(?:\s+point)?\s*(?:[:\-–—]|by(?-u:\b))\s*(?P<body>.+)$"
);

// An undertaking or future delivery: "agreed to bring", "would circulate",
// "was asked to provide", "To receive ...", "continue to receive".
static_re!(
    pub(super) ACTIVE,
    r"(?i)(?:(?-u:\b)(?P<aux>agree[sd]?\s+to|undert(?:ook|ake|akes)\s+to|offered\s+to|promised\s+to|volunteered\s+to|(?:her|his|their|the)\s+intention\s+to|intends?\s+to|intended\s+to|(?:was|were|be|is|are)\s+(?:asked|requested|tasked|invited)\s+to|(?:resolved|decided)\s+to|continue\s+to|would|will|shall|should|is\s+to|are\s+to)|^(?P<lead>to))\s+(?:also\s+|then\s+|further\s+|now\s+|personally\s+|shortly\s+|in\s+due\s+course\s+)?(?P<verb>[a-z][a-z-]*)(?:\s+(?P<particle>back|up|into|out|forward)(?-u:\b))?"
);

// A delivery in the passive: "be provided", "be circulated", "be scheduled".
static_re!(
    pub(super) PASSIVE,
    r"(?i)(?-u:\b)be\s+(?:(?:then|also|now|duly|subsequently|further|formally|jointly|regularly|shortly)\s+)?(?P<verb>provided|given|supplied|produced|prepared|brought(?:\s+back)?|presented|submitted|tabled|reported(?:\s+back)?|fed\s+back|made\s+available|sent|circulated|shared|distributed|forwarded|e-?mailed|scheduled|added|included|programmed|timetabled|placed|listed|invited|considered|informed|advised|updated|notified|briefed|kept\s+(?:informed|updated|abreast|briefed|apprised|appraised))(?-u:\b)"
);

// "was scheduled for the September meeting": already timetabled, still to come.
static_re!(
    pub(super) PAST_SCHEDULED,
    r"(?i)(?-u:\b)(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+(?:now\s+)?(?:scheduled|programmed|timetabled)\s+(?:for|to\s+come\s+to|to\s+be\s+(?:considered|presented)\s+at)(?-u:\b)"
);

// "requested a report on", "asked for details of", "requested sight of".
static_re!(
    pub(super) REQUESTED,
    &format!(
        r"(?i)(?-u:\b)(?:requested|requests|request(?:ed)?\s+(?:that|sight\s+of)|asked\s+for|asked\s+that|sought|called\s+for|would\s+(?:like|welcome)|wished\s+to\s+(?:see|receive))\s+(?:that\s+)?(?:(?:(?:a|an|the|all|future|further|more|some|regular|detailed|written|full|brief|sight\s+of|copies\s+of|a\s+copy\s+of|progress)\s+)+(?:[\w’'-]+\s+){{0,3}}?)?(?P<noun>{DELIVERABLE}|slides|documents?|cop(?:y|ies)|(?:action\s+)?plans?|lists?|maps?|terms\s+of\s+reference)(?-u:\b)"
    )
);

// "That the DSO populate ...": a resolution directing a named officer.
static_re!(
    pub(super) SUBJUNCTIVE,
    r"(?-u:\b)(?:that|That|THAT)\s+(?:the\s+|The\s+)?(?P<np>(?:[A-Z][\w’'&/.-]*|officers|Officers)(?:,?\s+(?:[A-Z][\w’'&/.-]*|of|for|and|&))*)\s+(?P<verb>[a-z]+)(?-u:\b)"
);

// "That a report on X to a future meeting": a resolution without a verb.
static_re!(
    pub(super) ELLIPTICAL,
    r"(?i)^(?:that\s+)?(?:a|an)\s+(?:(?:further|detailed|written|progress|full|brief|short)\s+)*(?P<noun>reports?|updates?|briefing|presentation|paper)(?-u:\b)"
);

// "report on X", "details of X": the subject follows the deliverable.
static_re!(
    pub(super) DELIVERABLE_ABOUT,
    &format!(
        r"(?i)(?-u:\b)(?P<noun>{DELIVERABLE}|cop(?:y|ies))(?-u:\b)(?:\s+back)?(?:\s+(?:[\w’'-]+|\x01)){{0,4}}?\s+(?:on|about|regarding|relating\s+to|in\s+relation\s+to|concerning|into|around|in\s+respect\s+of|with\s+regard\s+to|of)\s+(?P<x>.+)"
    )
);

static_re!(
    pub(super) DELIVERABLE_NOUN,
    &format!(r"(?i)(?-u:\b)(?P<noun>{DELIVERABLE})(?-u:\b)")
);

// Where a subject phrase ends.
static_re!(
    pub(super) SUBJECT_BOUNDARY,
    r"(?i)[,;:(\x01]|(?-u:\b)of\s+the\s+(?:committee|panel|board|group|meeting)(?-u:\b)|\.(?:\s|$)|\s[-–—]\s|(?-u:\b)(?:be|is|are|was|were|would|will|should|shall|could|can|to\s+(?:the|a|an|its|their|this|come|be|go|members|councillors|all)|at\s+(?:the|a|an|its)|which|that|who|when|once|if|whilst|while|although|but|as\s+soon|as\s+and|so\s+that|provided|requested|prior|following|and\s+(?:the|that|to|it|officers?)|with\s+a\s+view|in\s+due|in\s+the\s+(?:new|next)|by\s+the\s+(?:end|next))(?-u:\b)"
);

static_re!(
    pub(super) LEADING_FILLER,
    r"(?i)^(?:(?:on|of|about|regarding|concerning|the|a|an|any|all|its|their|further|more|some|into|around|for|what|how|why|whether|if)\s+|(?:type|types|level|levels|nature|range|number|details?|copy|copies)\s+of\s+)+"
);

// Bodies whose business is not this committee's follow-up.
static_re!(
    pub(super) OUTSIDE_BODY,
    r"(?i)^(?:the\s+)?(?:(?:central\s+)?government|(?:the\s+)?minister\s+(?:for|of)\s+.+|(?:the\s+)?secretary\s+of\s+state\s+for\s+.+|(?:the\s+)?department\s+for\s+.+|ministers?|(?:the\s+)?secretary\s+of\s+state|ofsted|dfe|department\s+for\s+education|department\s+of\s+health(?:\s+and\s+social\s+care)?|dhsc|cqc|care\s+quality\s+commission|hmi|inspectors?|nhs\s+england|ombudsman|courts?|cabinet|full\s+council|council|executive|overview\s+and\s+scrutiny\s+(?:board|committee|management\s+board|commission))$"
);

// Deliveries addressed to those bodies.
static_re!(
    pub(super) OUTSIDE_RECIPIENT,
    r"(?i)(?-u:\b)(?:to|with)\s+(?:the\s+)?(?:(?:central\s+)?government|ministers?|secretary\s+of\s+state|ofsted|dfe|department\s+for\s+education|cqc|care\s+quality\s+commission|nhs\s+england|ombudsman|cabinet|full\s+council|council\s+(?:for\s+approval|at\s+its)|executive|overview\s+and\s+scrutiny\s+(?:board|committee|management\s+board|commission))(?-u:\b)(?:\s+(?:member|members|lead|portfolio))?"
);

// Words naming the committee or its members.
static_re!(
    pub(super) COMMITTEE_WORDS,
    r"(?i)(?-u:\b)(?:committee|panel|members?|councillors?|cllrs?|chair(?:man|person)?|board|group|forum|commission)(?-u:\b)"
);

static_re!(
    pub(super) WORK_PROGRAMME,
    r"(?i)(?-u:\b)(?:work\s*programme|forward\s+(?:plan|programme)|agenda|future\s+meeting|next\s+meeting|work\s+plan)(?-u:\b)"
);

static_re!(
    pub(super) LEADING_ACTOR,
    r"^(?:The\s+)?(?P<np>(?:[A-Z][\w’'&/.-]*)(?:,?\s+(?:[A-Z][\w’'&/.-]*|of|for|and|&|the))*?)\s*,?\s+(?:presented|explained|informed|advised|reported|confirmed|stated|said|agreed|undertook|introduced|outlined|highlighted|noted|responded|replied|gave|provided|added|commented|acknowledged|reassured|emphasised|emphasized|suggested|clarified|assured|indicated|offered|detailed|summarised|summarized|shared|thanked|mentioned|stressed|expressed|welcomed|undertook|asked|questioned|updated|answered)(?-u:\b)"
);

static_re!(
    pub(super) BY_OWNER,
    r"(?-u:\b)by\s+(?:the\s+)?(?P<np>[A-Z][\w’'&-]*(?:,?\s+(?:[A-Z][\w’'&-]*|of|for|and|&|the))*)"
);

// Words that make a noun phrase a person or role.
static_re!(
    pub(super) ROLE_WORD,
    r"(?i)(?-u:\b)(?:director|officer|officers|manager|head|lead|chair|chairman|chairperson|vice-chair|cllr|councillor|mr|mrs|ms|miss|dr|executive|holder|clerk|team|commissioner|co-?ordinator|advis[eo]r|superintendent|inspector|principal|secretary|treasurer|dso|health|member|partnership|service|services|lead|leader|representative|scrutiny|deputy|cabinet)(?-u:\b)"
);

static_re!(
    pub(super) QUESTION_OPENING,
    r"(?i)^(?:a|one|several|the|another)?\s*(?:members?|councillors?|cllr\.?\s+\w+|councillor\s+\w+|the\s+chair(?:man)?)(?-u:\b)[^.]*?(?-u:\b)(?:asked|questioned|queried|enquired|inquired|sought|raised)\s+(?:about\s+|why\s+|whether\s+|if\s+|how\s+|what\s+|for\s+|the\s+reasons?\s+(?:for|why)\s+)?(?P<q>.+)$"
);

static_re!(
    pub(super) QUESTION_BOUNDARY,
    r"(?i)[,;:(?]|\.(?:\s|$)|(?-u:\b)(?:showed|had|has|have|was|were|is|are|would|could|and\s+how|and\s+whether|and\s+why|that|which)(?-u:\b)"
);

static_re!(
    pub(super) TITLE_NOISE,
    r"(?i)\s*pdf icon\s*pdf\s*[\d.,]+\s*[km]b|\s*\((?:ref|reference)[:.]?\s*[^)]*\)|\s*\(verbal\)"
);

static_re!(
    pub(super) LIST_ANAPHOR,
    r"(?i)^(?:the\s+|these\s+|all\s+)?(?:items|topics|issues|suggestions|above|following)(?-u:\b)|(?-u:\b)as\s+listed(?-u:\b)|(?-u:\b)listed\s+above(?-u:\b)"
);

static_re!(
    pub(super) ANAPHOR,
    r"(?i)^(?:this|it|these|they|this\s+(?:information|report|update|data|work|document))$"
);

static_re!(
    pub(super) PREVIOUS_NP,
    r"^(?P<np>.+?)\s+(?:is|was|were|are|had|has|have|would|will|could|should)(?-u:\b)"
);

/// Verbs that send something back to the committee; with these, "would" or
/// "will" alone makes a request.
pub(super) const COME_BACK_VERBS: &[&str] = &[
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
pub(super) const NOT_FOLLOW_UP_VERBS: &[&str] = &[
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

pub(super) const PRONOUNS: &[&str] = &["he", "she", "they", "him", "her", "them", "it"];

// People the service works with: things sent to them are service delivery.
static_re!(
    pub(super) PEOPLE,
    r"(?i)^(?:the\s+|all\s+|some\s+|relevant\s+|local\s+|affected\s+)?(?:families|parents|carers|schools|pupils|children|young\s+people|residents|providers|staff|partners|headteachers|settings|care\s+leavers)(?-u:\b)"
);
static_re!(
    pub(super) AGREEMENT_CUE,
    r"(?i)(?-u:\b)(?:agreed|resolved|requested|asked|undertook|offered|action)(?-u:\b)"
);
static_re!(
    pub(super) LETTER,
    r"(?i)(?-u:\b)(?:letter|correspondence|representations?)(?-u:\b)"
);
static_re!(
    pub(super) PASSIVE_BEFORE,
    r"(?i)(?-u:\b)(?:been|be|was|were|is|are|had|has|have)\s*$"
);
static_re!(
    pub(super) IMPERSONAL_BEFORE,
    r"(?i)(?-u:\b)it\s+(?:was|is|has\s+been|had\s+been)\s*$"
);
static_re!(
    pub(super) FUTURE_WORDS,
    r"(?i)(?-u:\b)(?:further|future|regular|another|updates?|in\s+due\s+course)(?-u:\b)"
);
static_re!(
    pub(super) AGREED_THAT,
    r"(?i)(?-u:\b)(?:agreed|resolved|requested|asked|undertook|confirmed)\s+that\s+[^,;]{1,60}?\s*$"
);
