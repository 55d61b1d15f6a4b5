//! Rows of the ledger database and their conversion to and from the model.

use rusqlite::{params, Transaction};

use super::matching::MatchTerms;
use super::{LedgerError, Statement, Status};
use crate::model::{Due, FollowUp, FollowUpKind};

/// A recorded document, as far as ordering and provenance go.
#[derive(Debug, Clone)]
pub(super) struct DocRow {
    pub(super) seq: i64,
    pub(super) meeting_date: Option<String>,
    pub(super) file: String,
    pub(super) folder: String,
    pub(super) sha256: String,
    pub(super) document: String,
    /// The meeting these minutes record: the seq of its first copy. A
    /// corrected copy shares it with the copy it corrects.
    pub(super) meeting: i64,
}

impl DocRow {
    /// Whether this meeting came after `other`: by meeting date when both are
    /// known, otherwise by the order the meetings' minutes first arrived in.
    /// Two copies of one meeting are neither later nor earlier.
    pub(super) fn is_later_than(&self, other: &DocRow) -> bool {
        if self.meeting == other.meeting {
            return false;
        }
        match (&self.meeting_date, &other.meeting_date) {
            (Some(a), Some(b)) => a > b,
            _ => self.meeting > other.meeting,
        }
    }

    pub(super) fn is_earlier_than(&self, other: &DocRow) -> bool {
        if self.meeting == other.meeting {
            return false;
        }
        match (&self.meeting_date, &other.meeting_date) {
            (Some(a), Some(b)) => a < b,
            _ => false,
        }
    }

    pub(super) fn statement(&self, items: Vec<String>) -> Statement {
        Statement {
            meeting_date: self.meeting_date.clone(),
            file: self.file.clone(),
            folder: self.folder.clone(),
            sha256: self.sha256.clone(),
            document: self.document.clone(),
            items,
        }
    }
}

/// A request as held in the ledger while a document is being recorded.
#[derive(Debug, Clone)]
pub(super) struct Request {
    pub(super) id: String,
    pub(super) committee: Option<String>,
    pub(super) detector_id: String,
    pub(super) text: String,
    pub(super) kind: FollowUpKind,
    pub(super) subject: String,
    pub(super) terms: MatchTerms,
    pub(super) owner: Option<String>,
    pub(super) due: Option<Due>,
    pub(super) status: Status,
    pub(super) first: DocRow,
    pub(super) first_items: Vec<String>,
}

impl Request {
    pub(super) fn follow_up(&self) -> FollowUp {
        FollowUp {
            id: self.detector_id.clone(),
            text: self.text.clone(),
            kind: self.kind,
            subject: self.subject.clone(),
            owner: self.owner.clone(),
            due: self.due.clone(),
            items: self.first_items.clone(),
        }
    }

    pub(super) fn is_outstanding(&self) -> bool {
        self.status != Status::Delivered
    }
}

pub(super) fn insert_request(
    tx: &Transaction<'_>,
    key: &str,
    request: &Request,
) -> Result<(), LedgerError> {
    tx.prepare_cached(
        "INSERT INTO follow_ups (id, committee_key, committee, detector_id, text, kind, subject,
                                 match_terms, owner, due_text, due_date, status, first_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        request.id,
        key,
        request.committee,
        request.detector_id,
        request.text,
        kind_to_str(request.kind)?,
        request.subject,
        request.terms.to_stored(),
        request.owner,
        request.due.as_ref().map(|d| d.text.as_str()),
        request.due.as_ref().and_then(|d| d.date.as_deref()),
        request.status.as_str(),
        request.first.seq
    ])?;
    Ok(())
}

/// Writes back what a restatement may change.
pub(super) fn save_request(tx: &Transaction<'_>, request: &Request) -> Result<(), LedgerError> {
    tx.prepare_cached(
        "UPDATE follow_ups SET text = ?2, owner = ?3, due_text = ?4, due_date = ?5,
                status = ?6, first_seq = ?7
         WHERE id = ?1",
    )?
    .execute(params![
        request.id,
        request.text,
        request.owner,
        request.due.as_ref().map(|d| d.text.as_str()),
        request.due.as_ref().and_then(|d| d.date.as_deref()),
        request.status.as_str(),
        request.first.seq
    ])?;
    Ok(())
}

pub(super) fn load_requests(tx: &Transaction<'_>, key: &str) -> Result<Vec<Request>, LedgerError> {
    let mut stmt = tx.prepare_cached(
        "SELECT f.id, f.committee, f.detector_id, f.text, f.kind, f.subject, f.match_terms,
                f.owner, f.due_text, f.due_date, f.status,
                d.seq, d.meeting_date, d.file, d.folder, d.sha256, d.document,
                COALESCE(d.meeting, d.seq),
                (SELECT s.items FROM statements s
                  WHERE s.follow_up_id = f.id AND s.doc_seq = f.first_seq)
         FROM follow_ups f JOIN documents d ON d.seq = f.first_seq
         WHERE f.committee_key = ?1
         ORDER BY f.first_seq, f.rowid",
    )?;
    let rows = stmt
        .query_map([key], |r| {
            Ok((
                RawRequest {
                    id: r.get(0)?,
                    committee: r.get(1)?,
                    detector_id: r.get(2)?,
                    text: r.get(3)?,
                    kind: r.get(4)?,
                    subject: r.get(5)?,
                    terms: r.get(6)?,
                    owner: r.get(7)?,
                    due_text: r.get(8)?,
                    due_date: r.get(9)?,
                    status: r.get(10)?,
                },
                doc_row(r, 11)?,
                r.get::<_, Option<String>>(18)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(raw, first, items)| {
            Ok(Request {
                kind: kind_from_str(&raw.kind)?,
                status: raw.status.parse()?,
                terms: MatchTerms::from_stored(&raw.terms, &raw.subject),
                due: due(raw.due_text, raw.due_date),
                first_items: parse_items(items.as_deref())?,
                id: raw.id,
                committee: raw.committee,
                detector_id: raw.detector_id,
                text: raw.text,
                subject: raw.subject,
                owner: raw.owner,
                first,
            })
        })
        .collect()
}

struct RawRequest {
    id: String,
    committee: Option<String>,
    detector_id: String,
    text: String,
    kind: String,
    subject: String,
    terms: String,
    owner: Option<String>,
    due_text: Option<String>,
    due_date: Option<String>,
    status: String,
}

/// Reads the seven document columns starting at `at`: seq, meeting_date,
/// file, folder, sha256, document, COALESCE(meeting, seq).
pub(super) fn doc_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<DocRow> {
    Ok(DocRow {
        seq: r.get(at)?,
        meeting_date: r.get(at + 1)?,
        file: r.get(at + 2)?,
        folder: r.get(at + 3)?,
        sha256: r.get(at + 4)?,
        document: r.get(at + 5)?,
        meeting: r.get(at + 6)?,
    })
}

/// Meeting dates drive ordering, so only well-formed ISO dates count.
pub(super) fn valid_date(date: &str) -> Option<String> {
    chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// Due months are compared as text, so only "YYYY-MM" counts.
pub(super) fn valid_month(month: &str) -> Option<&str> {
    chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| month.len() == 7)
        .map(|_| month)
}

pub(super) fn due(text: Option<String>, date: Option<String>) -> Option<Due> {
    text.map(|text| Due { text, date })
}

pub(super) fn parse_items(stored: Option<&str>) -> Result<Vec<String>, LedgerError> {
    match stored {
        Some(json) => Ok(serde_json::from_str(json)?),
        None => Ok(Vec::new()),
    }
}

pub(super) fn kind_to_str(kind: FollowUpKind) -> Result<String, LedgerError> {
    match serde_json::to_value(kind)? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(LedgerError::Corrupt(format!("follow-up kind {other}"))),
    }
}

pub(super) fn kind_from_str(kind: &str) -> Result<FollowUpKind, LedgerError> {
    Ok(serde_json::from_value(serde_json::Value::String(
        kind.to_string(),
    ))?)
}
