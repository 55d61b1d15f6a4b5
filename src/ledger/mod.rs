//! The follow-up ledger: every request a committee made, across meetings,
//! and the alerts its progress raises.
//!
//! A durable SQLite store at a path the caller chooses. Recording a document
//! is one transaction that is idempotent per document hash, and alerts are
//! written in that same transaction to an outbox table: the daemon publishes
//! each pending alert under its deterministic id and then marks it, so a crash
//! at any point yields every alert exactly once.
//!
//! How a request moves, per committee (its normalised name, or the inbox
//! folder when the minutes do not name it):
//! - first seen: `open`, alert `new_follow_up`;
//! - stated again in a later meeting (matters arising, action log, work
//!   programme): recorded as a restatement, no alert; a later due date or a
//!   deferral ("deferred to the March meeting") moves the due month;
//! - a later meeting takes an item answering it, or its minutes say it was
//!   done ("had been circulated", "– complete"): `delivered`, alert
//!   `follow_up_delivered`;
//! - minutes of a meeting after its due month arrive while it is still open:
//!   `overdue`, alert `follow_up_overdue` (once per due month).
//!
//! "Later" compares meeting dates, or arrival order when a date is missing.
//! A corrected copy of minutes already recorded (same committee and date, or
//! the same items and nearly the same words) is the same meeting, neither
//! later nor earlier: its requests are restatements, it supersedes the
//! earlier copy, and later minutes are compared with its latest copy only.
//!
//! ```no_run
//! # fn demo(doc: &minutes_watch::model::Document) -> anyhow::Result<()> {
//! use minutes_watch::ledger::{render_csv, Ledger, ListFilter, Status};
//!
//! let mut ledger = Ledger::open(std::path::Path::new("state/ledger.sqlite"))?;
//! ledger.record(doc, "documents/minutes-e8740f46709c.json")?;
//! // The daemon writes each file atomically; a plain write shows the shape.
//! ledger.publish_pending(|alert| -> anyhow::Result<()> {
//!     let path = format!("outbox/alerts/{}", alert.file_name());
//!     std::fs::write(path, serde_json::to_vec_pretty(alert)?)?;
//!     Ok(())
//! })?;
//! let overdue = ledger.list(&ListFilter {
//!     status: Some(Status::Overdue),
//!     committee: None,
//! })?;
//! print!("{}", render_csv(&overdue)?);
//! # Ok(())
//! # }
//! ```

mod committee;
mod deferral;
mod list;
mod matching;
mod meeting;
mod record;
mod render;
mod schema;
mod store;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::model::{Document, Due, FollowUp};

pub use render::{render_csv, render_json, render_table};

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("ledger database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("ledger JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("ledger CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("ledger schema version {found} is newer than this build supports ({supported})")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("ledger holds an unreadable value: {0}")]
    Corrupt(String),
    #[error("cannot create the ledger's folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("document has no sha256; the ledger needs it to record each document once")]
    MissingHash,
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Delivered,
    Overdue,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Delivered => "delivered",
            Status::Overdue => "overdue",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A command-line value that names none of the choices.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}; expected one of: {expected}")]
pub struct UnknownName {
    pub what: &'static str,
    pub value: String,
    pub expected: &'static str,
}

impl From<UnknownName> for LedgerError {
    /// Only reached for values read back from the database.
    fn from(e: UnknownName) -> Self {
        LedgerError::Corrupt(e.to_string())
    }
}

impl FromStr for Status {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" => Ok(Status::Open),
            "delivered" => Ok(Status::Delivered),
            "overdue" => Ok(Status::Overdue),
            _ => Err(UnknownName {
                what: "status",
                value: s.to_string(),
                expected: "open, delivered, overdue",
            }),
        }
    }
}

/// How `minutes-watch followups` prints the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListFormat {
    #[default]
    Table,
    Json,
    Csv,
}

impl FromStr for ListFormat {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "table" => Ok(ListFormat::Table),
            "json" => Ok(ListFormat::Json),
            "csv" => Ok(ListFormat::Csv),
            _ => Err(UnknownName {
                what: "format",
                value: s.to_string(),
                expected: "table, json, csv",
            }),
        }
    }
}

/// Renders entries in `format`.
pub fn render(entries: &[LedgerEntry], format: ListFormat) -> Result<String, LedgerError> {
    match format {
        ListFormat::Table => Ok(render_table(entries)),
        ListFormat::Json => render_json(entries),
        ListFormat::Csv => render_csv(entries),
    }
}

/// What happened to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    NewFollowUp,
    FollowUpDelivered,
    FollowUpOverdue,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::NewFollowUp => "new_follow_up",
            EventKind::FollowUpDelivered => "follow_up_delivered",
            EventKind::FollowUpOverdue => "follow_up_overdue",
        }
    }
}

/// One alert, as published to the outbox. Its `id` is derived from the
/// request (and due month for overdue), never from the clock, so replaying a
/// document cannot produce a second file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertEvent {
    pub id: String,
    pub event: EventKind,
    pub follow_up: TrackedFollowUp,
    /// The meeting whose minutes raised this alert.
    pub meeting: AlertMeeting,
    pub source: AlertSource,
    /// The meeting the request was first made in.
    pub first_raised: Statement,
    /// The item that answered the request (delivered alerts only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_by: Option<ItemRef>,
    /// When the ledger recorded the minutes (RFC 3339, UTC); informative only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raised_at: Option<String>,
}

impl AlertEvent {
    /// What the alert is about, whatever its file is called: the event, the
    /// request as the detector names it, the committee (or the inbox folder
    /// standing in for it) and, for overdue, the due month. Rebuilding the
    /// ledger may record minutes in another order than they arrived, which
    /// can give a request another ledger id and its alert another name; this
    /// key still recognises the alert already published. It is coarser than
    /// the ledger's own identity on purpose (unnamed minutes in the inbox root
    /// share one folder, whichever copy came first): in a rebuild, taking a
    /// never-published event for a published one loses an alert about the
    /// past, while the opposite floods consumers with alerts they have seen.
    pub(crate) fn event_key(&self) -> String {
        let body = match self
            .meeting
            .committee
            .as_deref()
            .map(committee::normalise_name)
        {
            Some(name) if !name.is_empty() => format!("committee:{name}"),
            _ => format!("folder:{}", self.source.folder.trim_matches('/')),
        };
        let month = match self.event {
            EventKind::FollowUpOverdue => self
                .follow_up
                .follow_up
                .due
                .as_ref()
                .and_then(|d| d.date.as_deref())
                .unwrap_or(""),
            _ => "",
        };
        format!(
            "{}|{}|{body}|{month}",
            self.event.as_str(),
            self.follow_up.follow_up.id
        )
    }

    /// File name for the outbox: the deterministic id, so a replay after a
    /// crash finds the file already there (and leaves it as it is) instead
    /// of adding a second alert.
    pub fn file_name(&self) -> String {
        format!("{}.json", self.id)
    }
}

/// A request as first stated, with where it stands now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackedFollowUp {
    #[serde(flatten)]
    pub follow_up: FollowUp,
    pub status: Status,
    /// The ledger's own id for the request: unique across committees and
    /// across repeated requests for the same thing.
    pub ledger_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertMeeting {
    pub committee: Option<String>,
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertSource {
    pub file: String,
    pub folder: String,
    pub sha256: String,
    /// The published document JSON for these minutes.
    pub document: String,
}

/// One set of minutes in which a request was stated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub meeting_date: Option<String>,
    pub file: String,
    pub folder: String,
    pub sha256: String,
    pub document: String,
    /// Item numbers where it was stated in those minutes.
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRef {
    pub number: String,
    pub title: String,
}

/// Filter for [`Ledger::list`]; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub status: Option<Status>,
    /// Matched against the committee name, ignoring case and punctuation.
    pub committee: Option<String>,
}

/// One tracked request, for officers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub id: String,
    pub committee: Option<String>,
    /// The request sentence as first written.
    pub request: String,
    pub subject: String,
    pub kind: crate::model::FollowUpKind,
    pub owner: Option<String>,
    pub due: Option<Due>,
    pub status: Status,
    pub first_raised: Statement,
    /// Later statements of the same request (matters arising, action logs...).
    pub restatements: Vec<Statement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered: Option<Delivery>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub meeting_date: Option<String>,
    pub file: String,
    pub item: ItemRef,
}

/// A document's items as the ledger reads them, from [`Ledger::prepare`].
pub struct PreparedItems(Vec<matching::ItemView>);

/// Handle on the ledger database.
pub struct Ledger {
    conn: Connection,
}

impl Ledger {
    /// Opens the ledger at `path`, creating it or upgrading its schema as needed.
    pub fn open(path: &Path) -> Result<Self, LedgerError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| LedgerError::Folder {
                path: parent.display().to_string(),
                source,
            })?;
        }
        let mut conn = schema::open(path)?;
        record::backfill_item_keys(&mut conn)?;
        Ok(Ledger { conn })
    }

    /// Records one processed document and returns the alerts it raised.
    /// Recording a document already in the ledger (same sha256) changes
    /// nothing and returns no alerts; a corrected copy of minutes already
    /// recorded (new bytes, same meeting) supersedes the earlier copy and
    /// raises alerts only for what it adds.
    pub fn record(
        &mut self,
        doc: &Document,
        document_path: &str,
    ) -> Result<Vec<AlertEvent>, LedgerError> {
        self.record_prepared(doc, Self::prepare(doc), document_path)
    }

    /// Reads a document's items for matching. Pure work with no database:
    /// callers sharing one ledger between threads do this before taking
    /// the lock, and pass the result to [`Ledger::record_prepared`].
    pub fn prepare(doc: &Document) -> PreparedItems {
        PreparedItems(doc.items.iter().map(matching::ItemView::new).collect())
    }

    /// [`Ledger::record`] with the items already read by [`Ledger::prepare`].
    pub fn record_prepared(
        &mut self,
        doc: &Document,
        prepared: PreparedItems,
        document_path: &str,
    ) -> Result<Vec<AlertEvent>, LedgerError> {
        if doc.source.sha256.trim().is_empty() {
            return Err(LedgerError::MissingHash);
        }
        record::record(&mut self.conn, doc, document_path, prepared.0)
    }

    /// Alerts not yet marked published, oldest first.
    pub fn pending_alerts(&self) -> Result<Vec<AlertEvent>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT payload FROM alerts WHERE status = 'pending' ORDER BY seq")?;
        let payloads = stmt
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        payloads
            .iter()
            .map(|p| serde_json::from_str(p).map_err(LedgerError::from))
            .collect()
    }

    /// Marks an alert as written to the outbox. Returns false when no pending
    /// alert has that id (already marked, or unknown).
    pub fn mark_published(&mut self, id: &str) -> Result<bool, LedgerError> {
        let now = chrono::Utc::now().to_rfc3339();
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE alerts SET status = 'published', published_at = ?2
             WHERE id = ?1 AND status = 'pending'",
            )?
            .execute(params![id, now])?;
        Ok(changed == 1)
    }

    /// Marks several alerts written, in one transaction (one flush to disk
    /// however many alerts a document raised). Returns how many were pending.
    pub fn mark_all_published(&mut self, ids: &[String]) -> Result<usize, LedgerError> {
        let now = chrono::Utc::now().to_rfc3339();
        let tx = self.conn.transaction()?;
        let mut changed = 0;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE alerts SET status = 'published', published_at = ?2
                 WHERE id = ?1 AND status = 'pending'",
            )?;
            for id in ids {
                changed += stmt.execute(params![id, now])?;
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// The outbox loop: hands each pending alert, oldest first, to `write`
    /// (which must write it durably, e.g. atomically under
    /// [`AlertEvent::file_name`]) and marks it published only once `write`
    /// succeeds. Stops at the first failure, leaving the rest pending for the
    /// next call; after a crash between writing and marking, `write` meets
    /// the same file name again (and should leave that file alone).
    /// Returns how many alerts were published.
    pub fn publish_pending<E: From<LedgerError>>(
        &mut self,
        mut write: impl FnMut(&AlertEvent) -> Result<(), E>,
    ) -> Result<usize, E> {
        let mut published = 0;
        for alert in self.pending_alerts()? {
            write(&alert)?;
            if self.mark_published(&alert.id)? {
                published += 1;
            }
        }
        Ok(published)
    }

    /// Tracked requests matching `filter`, oldest first.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<LedgerEntry>, LedgerError> {
        list::list(&self.conn, filter)
    }

    /// The published document recorded for minutes with this hash, if any:
    /// the daemon's test for "these bytes were already published".
    pub fn document_for(&self, sha256: &str) -> Result<Option<String>, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT document FROM documents WHERE sha256 = ?1")?
            .query_row([sha256], |row| row.get(0))
            .optional()?)
    }

    /// Names of every document recorded, as given to [`Ledger::record`]:
    /// what the start-up check compares with the outbox.
    pub(crate) fn recorded_documents(
        &self,
    ) -> Result<std::collections::HashSet<String>, LedgerError> {
        let mut stmt = self.conn.prepare("SELECT document FROM documents")?;
        let names = stmt
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(names)
    }

    /// Whether a document with this hash has been recorded.
    pub fn contains_document(&self, sha256: &str) -> Result<bool, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM documents WHERE sha256 = ?1")?
            .query_row([sha256], |_| Ok(()))
            .optional()?
            .is_some())
    }
}

#[cfg(test)]
mod tests;
