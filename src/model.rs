//! The document JSON that minutes-watch publishes, one per input file.
//!
//! These types are the contract with downstream systems: field names and
//! meanings are described by `docs/document.schema.json` and only change
//! together with [`SCHEMA_VERSION`].

use serde::{Deserialize, Serialize};

/// Bumped whenever a field is renamed, removed or changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything minutes-watch learned from one input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub schema_version: u32,
    pub source: Source,
    /// What the text is: only minutes and decision records raise follow-up
    /// alerts, so an agenda or a report dropped by mistake stays quiet.
    pub kind: DocumentKind,
    /// The cues that made us say so ("'RESOLVED' 4 times", "'AGENDA' heading").
    pub kind_evidence: Vec<String>,
    pub meeting: Meeting,
    /// Hash of the topic taxonomy that produced the tags, so a consumer can
    /// tell which documents were tagged under an older taxonomy.
    pub taxonomy_version: String,
    pub items: Vec<Item>,
    /// One entry per distinct follow-up request, however often it is restated.
    pub follow_ups: Vec<FollowUp>,
}

/// What kind of document an input is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    /// Minutes of a meeting: what was discussed and resolved.
    #[default]
    Minutes,
    /// A decision record (one decision, or a decision notice).
    Decision,
    /// An agenda or agenda pack: business to come, not yet transacted.
    Agenda,
    /// A report to a meeting.
    Report,
    /// Anything else (a licence, a rate sheet, a pack of motions...).
    Other,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Minutes => "minutes",
            DocumentKind::Decision => "decision",
            DocumentKind::Agenda => "agenda",
            DocumentKind::Report => "report",
            DocumentKind::Other => "other",
        }
    }

    /// Minutes and decision records record what a meeting asked for.
    pub fn records_a_meeting(self) -> bool {
        matches!(self, DocumentKind::Minutes | DocumentKind::Decision)
    }
}

/// Where the text came from and how it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// File name as dropped into the inbox.
    pub file: String,
    /// Subfolder of the inbox it was dropped in ("" for the inbox itself),
    /// with `/` separators. Officers use one folder per committee.
    pub folder: String,
    pub sha256: String,
    pub bytes: u64,
    pub format: Format,
    /// Page count for PDFs; null for text files.
    pub pages: Option<u32>,
    pub extraction: Extraction,
    /// Things a reader should know about the extraction (fallbacks used,
    /// characters replaced, pages without text...).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub method: ExtractionMethod,
    /// Character encoding detected for text files ("UTF-8", "UTF-16LE",
    /// "windows-1252"); null for PDFs.
    pub encoding: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExtractionMethod {
    /// Plain text file, decoded.
    Text,
    /// pdf-extract, the primary PDF reader.
    PdfExtract,
    /// lopdf's own text extraction, used when pdf-extract rejects a damaged file.
    Lopdf,
}

/// The meeting the minutes record. Every field is null/empty when the minutes
/// do not state it: nothing is guessed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub council: Option<String>,
    pub committee: Option<String>,
    /// ISO "YYYY-MM-DD".
    pub date: Option<String>,
    /// As stated, e.g. "2.00 pm", "6.00 pm".
    pub time: Option<String>,
    pub venue: Option<String>,
    pub attendance: Attendance,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Attendance {
    pub present: Vec<String>,
    pub apologies: Vec<String>,
    pub officers: Vec<String>,
}

/// One agenda item (minute) of the meeting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// As printed, without a trailing dot: "47", "SPCLL.7", "21/3", "CYP/15/24".
    pub number: String,
    pub title: String,
    /// How the item's start was recognised, so a reader can see why a block
    /// of text became an item.
    pub heading: HeadingKind,
    /// The minutes body, cleaned of export noise.
    pub text: String,
    /// Each RESOLVED / AGREED clause as its own string.
    pub resolutions: Vec<String>,
    /// 1-based PDF pages the item spans; empty for text files.
    pub pages: Vec<u32>,
    /// The export cut the item short ("view the full minutes text for item 54").
    pub truncated: bool,
    /// Housekeeping items (apologies, declarations, previous minutes...) carry no topics.
    pub procedural: bool,
    pub topics: Vec<TopicTag>,
}

/// How an item's heading was recognised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeadingKind {
    /// A printed item or minute number ("47.", "SPCLL.7", "35/20", "(Item 4)").
    #[default]
    Numbered,
    /// A title tied to a label: the title above a "Minutes:" or "Decision:"
    /// label, an "Agenda item" page, an "Item:" line.
    Labelled,
    /// A title line standing alone, without a number or label.
    TitleLine,
    /// Minutes text before the first heading (an excerpt or page that
    /// starts inside an item): an item without a number or title.
    Continuation,
}

/// A topic an item is about, with the text that made us say so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicTag {
    pub id: String,
    pub label: String,
    /// 0..=1; higher means more of the item is about this topic.
    pub score: f64,
    pub evidence: Vec<Evidence>,
}

/// A matched signal. `start`/`end` are byte offsets into the item's `text`,
/// or into its `title` when `in_title` is true.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub signal: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_title: bool,
}

/// Something the committee asked to come back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    /// Stable across reprocessing: derived from committee, kind and subject.
    pub id: String,
    /// The request sentence as written (first statement of it).
    pub text: String,
    pub kind: FollowUpKind,
    /// What is asked for, short.
    pub subject: String,
    /// Named person or role responsible, when the minutes say.
    pub owner: Option<String>,
    pub due: Option<Due>,
    /// Every item number where the request is stated.
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpKind {
    Report,
    Update,
    Information,
    Response,
    Circulate,
    ScheduleItem,
    Action,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    /// As written: "the June meeting", "September 2020", "the next meeting".
    pub text: String,
    /// "YYYY-MM" when resolvable against the meeting date.
    pub date: Option<String>,
}
