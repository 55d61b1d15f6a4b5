//! When the ledger and the outbox disagree.
//!
//! The ledger (state/ledger.sqlite) is the daemon's only memory of what it
//! published. If it is deleted, or swapped for an empty one, the daemon
//! would quietly start again from nothing: inputs dropped again would be
//! analysed as new, and later minutes could no longer answer earlier
//! requests. So at start-up the ledger's documents are compared with the
//! outbox's, and a difference that a crash cannot explain is reported loudly;
//! `minutes-watch rebuild-ledger` then rebuilds the ledger from the published
//! documents without publishing their alerts a second time.
//!
//! The decisions are pure functions ([`verdict`], [`rebuild_order`],
//! [`already_published`]); the rest reads folders and applies them.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Deserialize;

use crate::config::Config;
use crate::ledger::{AlertEvent, Ledger, LedgerError};
use crate::model::Document;
use crate::publish;
use crate::runtime::{self, LEDGER_FILE};

#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no published documents to rebuild from: {0} does not exist")]
    NoDocuments(PathBuf),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    State(#[from] runtime::LockError),
}

/// What the start-up check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutboxCheck {
    /// Documents the ledger records.
    pub(crate) recorded: usize,
    /// Document files in the outbox.
    pub(crate) published: usize,
    /// Outbox documents the ledger does not know.
    pub(crate) unknown: usize,
    pub(crate) verdict: Verdict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Every published document is recorded.
    Consistent,
    /// A few documents were written but not yet recorded when the daemon
    /// stopped; their inputs are still in the inbox and will be redone.
    Interrupted,
    /// The ledger lost documents it had recorded: deleted, replaced, or
    /// restored from an older backup.
    Lost,
}

/// Outbox documents the ledger does not record.
pub(crate) fn unknown_documents<'a>(
    recorded: &HashSet<String>,
    published: &'a [String],
) -> Vec<&'a str> {
    published
        .iter()
        .filter(|name| !recorded.contains(name.as_str()))
        .map(String::as_str)
        .collect()
}

/// Unrecorded documents whose inputs the start-up check looks for in the
/// inbox. More than this many waiting to be redone is not a stop's leftover.
const LOOK_AT: usize = 256;

/// Whether unrecorded documents mean lost state. A document is written
/// before the ledger records it, and the input leaves the inbox only after:
/// a crash (or a ledger that refused a write, to be retried) leaves
/// unrecorded documents whose inputs are still waiting to be redone. One
/// whose input has gone had been recorded, and the ledger forgot it.
/// `inputs_waiting` says, for the unrecorded documents looked at in turn,
/// whether each input is still in the inbox (the look stops at the first
/// that is not).
pub(crate) fn verdict(unknown: usize, inputs_waiting: &[bool]) -> Verdict {
    if unknown == 0 {
        Verdict::Consistent
    } else if inputs_waiting.len() == unknown && inputs_waiting.iter().all(|w| *w) {
        Verdict::Interrupted
    } else {
        Verdict::Lost
    }
}

/// Compares the ledger with `documents_dir` (see [`verdict`]).
pub(crate) fn check_outbox(
    ledger: &Ledger,
    documents_dir: &Path,
    inbox: &Path,
) -> Result<OutboxCheck, RecoveryError> {
    let recorded = ledger.recorded_documents()?;
    let published = document_names(documents_dir)?;
    let unknown = unknown_documents(&recorded, &published);
    let mut waiting = Vec::new();
    if unknown.len() <= LOOK_AT {
        for name in &unknown {
            let still_there = input_waiting(&documents_dir.join(name), inbox);
            waiting.push(still_there);
            if !still_there {
                break;
            }
        }
    }
    Ok(OutboxCheck {
        recorded: recorded.len(),
        published: published.len(),
        unknown: unknown.len(),
        verdict: verdict(unknown.len(), &waiting),
    })
}

/// The part of a document that says where its input came from.
#[derive(Deserialize)]
struct SourceOnly {
    source: SourceName,
}

#[derive(Deserialize)]
struct SourceName {
    file: String,
    folder: String,
}

/// Whether the input of the published document at `path` is still in the
/// inbox (to be processed again), judged by its name and folder.
fn input_waiting(path: &Path, inbox: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let Ok(doc) = serde_json::from_slice::<SourceOnly>(&bytes) else {
        return false;
    };
    let mut input = inbox.to_path_buf();
    // Names come from a file anyone may edit: only plain components.
    for part in doc
        .source
        .folder
        .split('/')
        .chain([doc.source.file.as_str()])
    {
        match part {
            "" => {}
            "." | ".." => return false,
            part if part.contains('\\') => return false,
            part => input.push(part),
        }
    }
    input.is_file()
}

/// Document files in `dir` (names ending `.json`, not dot-files), sorted.
fn document_names(dir: &Path) -> Result<Vec<String>, RecoveryError> {
    let read_error = |source| RecoveryError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(read_error(e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(read_error)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !name.ends_with(".json") {
            continue;
        }
        if entry.file_type().map_err(read_error)?.is_file() {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// A published document waiting to be recorded again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Published {
    pub(crate) name: String,
    /// Valid ISO meeting date, when the minutes state one.
    pub(crate) date: Option<String>,
    /// When the document was written: the closest thing left to the order
    /// the minutes arrived in.
    pub(crate) written: Option<SystemTime>,
}

/// Meeting-date order, as the ledger expects a committee's minutes: a
/// request is raised before it is restated, answered or late. Copies of one
/// meeting (same date) keep the order they were written in, so a correction
/// still follows what it corrects. Undated minutes, which the ledger orders
/// by arrival, come last in the order they were written.
pub(crate) fn rebuild_order(documents: &mut [Published]) {
    documents.sort_by(|a, b| {
        (a.date.is_none(), &a.date, a.written, &a.name).cmp(&(
            b.date.is_none(),
            &b.date,
            b.written,
            &b.name,
        ))
    });
}

/// Whether an event's alert is already in the outbox: a file of its name,
/// or an alert about the same thing under another name (see
/// [`AlertEvent::event_key`]).
pub(crate) fn already_published(
    alert: &AlertEvent,
    names: &HashSet<String>,
    keys: &HashSet<String>,
) -> bool {
    names.contains(&alert.file_name()) || keys.contains(&alert.event_key())
}

/// What `rebuild-ledger` did.
#[derive(Debug, Default)]
pub struct RebuildReport {
    pub ledger: PathBuf,
    pub documents: usize,
    /// Documents that could not be read back, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Events whose alert was already in the outbox (left as it was).
    pub alerts_present: usize,
    /// Events that had never been published; their alerts were written.
    pub alerts_written: usize,
    /// Where the ledger that was in place went.
    pub previous: Option<PathBuf>,
}

impl fmt::Display for RebuildReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "rebuilt {} from {} published documents",
            self.ledger.display(),
            self.documents
        )?;
        writeln!(
            f,
            "alerts: {} already in the outbox (left as they were), {} written for events never published",
            self.alerts_present, self.alerts_written
        )?;
        if let Some(previous) = &self.previous {
            writeln!(f, "the previous ledger was kept as {}", previous.display())?;
        }
        for (name, reason) in &self.skipped {
            writeln!(f, "skipped {name}: {reason}")?;
        }
        Ok(())
    }
}

/// Rebuilds the ledger from the documents in the outbox, in meeting-date
/// order, recording each as the daemon did. An event whose alert is already
/// in the outbox is marked published without touching the file; only events
/// never published get an alert. The new ledger is built beside the old one
/// and swapped in at the end, the old one kept under another name. Takes the
/// state folder's lock: the daemon must be stopped.
pub fn rebuild_ledger(config: &Config) -> Result<RebuildReport, RecoveryError> {
    let state = &config.paths.state;
    std::fs::create_dir_all(state).map_err(|source| RecoveryError::Write {
        path: state.clone(),
        source,
    })?;
    let _lock = runtime::lock_state(state)?;
    let documents_dir = config.paths.outbox.join("documents");
    let alerts_dir = config.paths.outbox.join("alerts");
    if !documents_dir.is_dir() {
        return Err(RecoveryError::NoDocuments(documents_dir));
    }
    let mut report = RebuildReport {
        ledger: state.join(LEDGER_FILE),
        ..RebuildReport::default()
    };

    // First pass: only what orders the documents, so that thousands of
    // documents are never all in memory at once.
    let mut order = Vec::new();
    for name in document_names(&documents_dir)? {
        let path = documents_dir.join(&name);
        match read_document::<DateOnly>(&path) {
            Ok(doc) => order.push(Published {
                date: doc.meeting.date.as_deref().and_then(valid_date),
                written: std::fs::metadata(&path).and_then(|m| m.modified()).ok(),
                name,
            }),
            Err(reason) => report.skipped.push((name, reason)),
        }
    }
    rebuild_order(&mut order);
    let (names, keys) = published_alerts(&alerts_dir)?;

    let building = state.join(format!("{LEDGER_FILE}.rebuilding"));
    remove_database(&building)?;
    let mut ledger = Ledger::open(&building)?;
    for published in &order {
        let path = documents_dir.join(&published.name);
        let doc = match read_document::<Document>(&path) {
            Ok(doc) => doc,
            Err(reason) => {
                report.skipped.push((published.name.clone(), reason));
                continue;
            }
        };
        match ledger.record(&doc, &published.name) {
            Ok(_) => report.documents += 1,
            Err(LedgerError::MissingHash) => {
                report
                    .skipped
                    .push((published.name.clone(), LedgerError::MissingHash.to_string()));
                continue;
            }
            Err(e) => return Err(e.into()),
        }
        publish_missing_alerts(&mut ledger, &alerts_dir, &names, &keys, &mut report)?;
    }
    // Closing checkpoints the new ledger into its one file.
    drop(ledger);

    let target = state.join(LEDGER_FILE);
    if target.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let previous = state.join(format!("{LEDGER_FILE}.replaced-{stamp}"));
        move_database(&target, &previous)?;
        report.previous = Some(previous);
    }
    move_database(&building, &target)?;
    publish::sync_dir(state).map_err(|source| RecoveryError::Write {
        path: state.clone(),
        source,
    })?;
    Ok(report)
}

/// Writes the alerts of events never published, marks all of them published.
fn publish_missing_alerts(
    ledger: &mut Ledger,
    alerts_dir: &Path,
    names: &HashSet<String>,
    keys: &HashSet<String>,
    report: &mut RebuildReport,
) -> Result<(), RecoveryError> {
    let pending = ledger.pending_alerts()?;
    let mut wrote = false;
    for alert in &pending {
        if already_published(alert, names, keys) {
            report.alerts_present += 1;
            continue;
        }
        let mut json = serde_json::to_vec_pretty(alert).map_err(LedgerError::from)?;
        json.push(b'\n');
        let written = publish::write_new_pending_dir_sync(alerts_dir, &alert.file_name(), &json)
            .map_err(|source| RecoveryError::Write {
                path: alerts_dir.join(alert.file_name()),
                source,
            })?;
        if written {
            report.alerts_written += 1;
            wrote = true;
        } else {
            report.alerts_present += 1;
        }
    }
    if wrote {
        publish::sync_dir(alerts_dir).map_err(|source| RecoveryError::Write {
            path: alerts_dir.to_path_buf(),
            source,
        })?;
    }
    let ids: Vec<String> = pending.into_iter().map(|a| a.id).collect();
    ledger.mark_all_published(&ids)?;
    Ok(())
}

/// Names and event keys of the alerts already in the outbox. A file that
/// does not read as an alert still counts by its name.
fn published_alerts(dir: &Path) -> Result<(HashSet<String>, HashSet<String>), RecoveryError> {
    let mut names = HashSet::new();
    let mut keys = HashSet::new();
    for name in document_names(dir)? {
        if let Ok(alert) = read_document::<AlertEvent>(&dir.join(&name)) {
            keys.insert(alert.event_key());
        }
        names.insert(name);
    }
    Ok((names, keys))
}

#[derive(Deserialize)]
struct DateOnly {
    meeting: MeetingDate,
}

#[derive(Deserialize)]
struct MeetingDate {
    date: Option<String>,
}

fn read_document<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| format!("not a document this build reads: {e}"))
}

fn valid_date(date: &str) -> Option<String> {
    chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// The database file and the WAL files SQLite keeps beside it.
fn database_files(path: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [path.to_path_buf(), with("-wal"), with("-shm")]
}

/// Renames a database with its WAL files, which must move together.
fn move_database(from: &Path, to: &Path) -> Result<(), RecoveryError> {
    for (from, to) in database_files(from).iter().zip(database_files(to).iter()) {
        match std::fs::rename(from, to) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(RecoveryError::Write {
                    path: to.clone(),
                    source,
                })
            }
        }
    }
    Ok(())
}

/// Removes what an interrupted rebuild left.
fn remove_database(path: &Path) -> Result<(), RecoveryError> {
    for file in database_files(path) {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(RecoveryError::Write { path: file, source }),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn unrecorded_documents_are_lost_state_unless_their_inputs_wait_to_be_redone() {
        assert_eq!(verdict(0, &[]), Verdict::Consistent);
        assert_eq!(verdict(2, &[true, true]), Verdict::Interrupted);
        // Its input already moved out: it had been recorded, and forgotten.
        assert_eq!(verdict(2, &[true, false]), Verdict::Lost);
        assert_eq!(verdict(1, &[false]), Verdict::Lost);
        // Too many to look at.
        assert_eq!(verdict(LOOK_AT + 1, &[]), Verdict::Lost);
    }

    #[test]
    fn unknown_documents_are_those_the_ledger_does_not_name() {
        let recorded: HashSet<String> = ["a.json".to_string()].into();
        let published = vec!["a.json".to_string(), "b.json".to_string()];
        assert_eq!(unknown_documents(&recorded, &published), vec!["b.json"]);
    }

    #[test]
    fn rebuild_goes_by_meeting_date_then_by_when_written() {
        let at = |s| Some(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        let doc = |name: &str, date: Option<&str>, written| Published {
            name: name.into(),
            date: date.map(str::to_string),
            written,
        };
        let mut docs = vec![
            doc("undated-late", None, at(50)),
            doc("nov", Some("2020-11-10"), at(1)),
            doc("jan-corrected", Some("2020-01-21"), at(30)),
            doc("undated-early", None, at(5)),
            doc("jan", Some("2020-01-21"), at(20)),
        ];
        rebuild_order(&mut docs);
        let names: Vec<&str> = docs.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "jan",
                "jan-corrected",
                "nov",
                "undated-early",
                "undated-late"
            ]
        );
    }

    fn minutes(
        sha: &str,
        date: &str,
        items: &[(&str, &str)],
        requests: &[(&str, &str, &str)],
    ) -> Document {
        use crate::model::*;
        Document {
            schema_version: SCHEMA_VERSION,
            source: Source {
                file: format!("{sha}.txt"),
                folder: String::new(),
                sha256: sha.into(),
                bytes: 1,
                format: Format::Text,
                pages: None,
                extraction: Extraction {
                    method: ExtractionMethod::Text,
                    encoding: None,
                },
                warnings: vec![],
            },
            kind: DocumentKind::Minutes,
            kind_evidence: vec![],
            meeting: Meeting {
                committee: Some("Children and Families Overview and Scrutiny Committee".into()),
                date: Some(date.into()),
                ..Meeting::default()
            },
            taxonomy_version: "t".into(),
            items: items
                .iter()
                .map(|(number, title)| Item {
                    number: number.to_string(),
                    title: title.to_string(),
                    ..Item::default()
                })
                .collect(),
            follow_ups: requests
                .iter()
                .map(|(id, subject, item)| FollowUp {
                    id: id.to_string(),
                    text: format!("That a report on {subject} be provided."),
                    kind: FollowUpKind::Report,
                    subject: subject.to_string(),
                    owner: None,
                    due: None,
                    items: vec![item.to_string()],
                })
                .collect(),
        }
    }

    /// Minutes that arrived out of order (November before January) gave a
    /// request a ledger id from November; rebuilt in date order it gets one
    /// from January. Its alert, published under the first name, is still
    /// recognised: nothing is written again.
    #[test]
    fn rebuild_publishes_nothing_already_published_under_another_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::default();
        config.paths.state = dir.path().join("state");
        config.paths.outbox = dir.path().join("outbox");
        let documents = config.paths.outbox.join("documents");
        let alerts = config.paths.outbox.join("alerts");
        std::fs::create_dir_all(&documents).unwrap();
        let january = minutes(
            "jan",
            "2020-01-21",
            &[
                ("56", "Children's Innovation Partnership"),
                ("61", "Virtual School"),
            ],
            &[
                ("fu-cip", "the Children's Innovation Partnership", "56"),
                ("fu-exams", "examination results of children in care", "61"),
            ],
        );
        let november = minutes(
            "nov",
            "2020-11-10",
            &[
                ("10", "Children's Innovation Partnership"),
                ("12", "Work Programme"),
            ],
            &[("fu-exams", "examination results of children in care", "12")],
        );
        let mut ledger = Ledger::open(&config.paths.state.join(LEDGER_FILE)).unwrap();
        for doc in [&november, &january] {
            let name = format!("{}.json", doc.source.sha256);
            std::fs::write(documents.join(&name), serde_json::to_vec(doc).unwrap()).unwrap();
            for alert in ledger.record(doc, &name).unwrap() {
                let json = serde_json::to_vec(&alert).unwrap();
                publish::write_new_pending_dir_sync(&alerts, &alert.file_name(), &json).unwrap();
                ledger.mark_published(&alert.id).unwrap();
            }
        }
        drop(ledger);
        let before = std::fs::read_dir(&alerts).unwrap().count();

        let report = rebuild_ledger(&config).unwrap();
        assert_eq!(report.documents, 2);
        assert_eq!(report.alerts_written, 0, "{report}");
        assert!(report.alerts_present >= before, "{report}");
        assert!(report.previous.as_ref().is_some_and(|p| p.exists()));
        assert_eq!(std::fs::read_dir(&alerts).unwrap().count(), before);
        let rebuilt = Ledger::open(&config.paths.state.join(LEDGER_FILE)).unwrap();
        assert!(rebuilt.pending_alerts().unwrap().is_empty());
        let statuses: Vec<(String, &str)> = rebuilt
            .list(&crate::ledger::ListFilter::default())
            .unwrap()
            .into_iter()
            .map(|e| (e.subject, e.status.as_str()))
            .collect();
        assert_eq!(statuses.len(), 2, "{statuses:?}");
        assert!(statuses.contains(&(
            "the Children's Innovation Partnership".to_string(),
            "delivered"
        )));
    }

    #[test]
    fn only_plain_names_lead_into_the_inbox() {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("inbox");
        std::fs::create_dir_all(inbox.join("cyp")).unwrap();
        std::fs::write(inbox.join("cyp/m.txt"), "x").unwrap();
        std::fs::write(dir.path().join("outside.txt"), "x").unwrap();
        let doc = |folder: &str, file: &str| {
            let path = dir.path().join("doc.json");
            std::fs::write(
                &path,
                serde_json::json!({"source": {"file": file, "folder": folder}}).to_string(),
            )
            .unwrap();
            input_waiting(&path, &inbox)
        };
        assert!(doc("cyp", "m.txt"));
        assert!(!doc("", "m.txt"));
        assert!(!doc("..", "outside.txt"));
    }
}
