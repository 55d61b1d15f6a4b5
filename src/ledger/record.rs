//! Recording a document in the ledger, and reading requests back out.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use sha2::{Digest, Sha256};

use super::committee::{committee_key, normalise_name};
use super::matching::{
    delivered_at_meetings, delivery_score, is_generic, same_request, MatchTerms,
};
use super::{
    AlertEvent, AlertMeeting, AlertSource, Delivery, EventKind, ItemRef, LedgerEntry, LedgerError,
    ListFilter, Statement, Status, TrackedFollowUp,
};
use crate::model::{Document, Due, FollowUp, FollowUpKind};

/// A recorded document, as far as ordering and provenance go.
#[derive(Debug, Clone)]
struct DocRow {
    seq: i64,
    meeting_date: Option<String>,
    file: String,
    folder: String,
    sha256: String,
    document: String,
}

impl DocRow {
    /// Whether this meeting came after `other`: by meeting date when both are
    /// known, otherwise by the order the minutes arrived in.
    fn is_later_than(&self, other: &DocRow) -> bool {
        match (&self.meeting_date, &other.meeting_date) {
            (Some(a), Some(b)) => a > b,
            _ => self.seq > other.seq,
        }
    }

    fn is_earlier_than(&self, other: &DocRow) -> bool {
        match (&self.meeting_date, &other.meeting_date) {
            (Some(a), Some(b)) => a < b,
            _ => false,
        }
    }

    fn statement(&self, items: Vec<String>) -> Statement {
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
struct Request {
    id: String,
    committee: Option<String>,
    detector_id: String,
    text: String,
    kind: FollowUpKind,
    subject: String,
    terms: MatchTerms,
    owner: Option<String>,
    due: Option<Due>,
    status: Status,
    first: DocRow,
    first_items: Vec<String>,
}

impl Request {
    fn follow_up(&self) -> FollowUp {
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

    fn is_outstanding(&self) -> bool {
        self.status != Status::Delivered
    }
}

pub(super) fn record(
    conn: &mut Connection,
    doc: &Document,
    document_path: &str,
) -> Result<Vec<AlertEvent>, LedgerError> {
    // IMMEDIATE takes the write lock up front, so two writers cannot both
    // pass the "already recorded?" check for the same document.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let known: Option<i64> = tx
        .query_row(
            "SELECT seq FROM documents WHERE sha256 = ?1",
            [&doc.source.sha256],
            |r| r.get(0),
        )
        .optional()?;
    if known.is_some() {
        return Ok(Vec::new());
    }

    let key = committee_key(doc);
    let raised_at = chrono::Utc::now().to_rfc3339();
    let meeting_date = doc.meeting.date.as_deref().and_then(valid_date);
    tx.execute(
        "INSERT INTO documents (sha256, committee_key, committee, meeting_date, file, folder,
                                document, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            doc.source.sha256,
            key,
            doc.meeting.committee,
            meeting_date,
            doc.source.file,
            doc.source.folder,
            document_path,
            raised_at
        ],
    )?;
    let this = DocRow {
        seq: tx.last_insert_rowid(),
        meeting_date,
        file: doc.source.file.clone(),
        folder: doc.source.folder.clone(),
        sha256: doc.source.sha256.clone(),
        document: document_path.to_string(),
    };
    let event = |kind: EventKind, request: &Request, delivered_by: Option<ItemRef>| {
        let id = match kind {
            EventKind::FollowUpOverdue => format!(
                "{}-{}-{}",
                kind.as_str(),
                request.id,
                request
                    .due
                    .as_ref()
                    .and_then(|d| d.date.as_deref())
                    .unwrap_or("undated")
            ),
            _ => format!("{}-{}", kind.as_str(), request.id),
        };
        AlertEvent {
            id,
            event: kind,
            follow_up: TrackedFollowUp {
                follow_up: request.follow_up(),
                status: request.status,
                ledger_id: request.id.clone(),
            },
            meeting: AlertMeeting {
                committee: doc.meeting.committee.clone(),
                date: this.meeting_date.clone(),
            },
            source: AlertSource {
                file: this.file.clone(),
                folder: this.folder.clone(),
                sha256: this.sha256.clone(),
                document: this.document.clone(),
            },
            first_raised: request.first.statement(request.first_items.clone()),
            delivered_by,
            raised_at: Some(raised_at.clone()),
        }
    };

    let mut requests = load_requests(&tx, &key)?;
    let mut delivered_events = Vec::new();
    // Request id -> number of the item that answered it in these minutes.
    let mut delivered_here: HashMap<String, String> = HashMap::new();
    let dated = this.meeting_date.is_some();

    // Deliveries: a later meeting taking an item that answers an outstanding request.
    for request in requests.iter_mut() {
        if !request.is_outstanding()
            || !delivered_at_meetings(request.kind)
            || !this.is_later_than(&request.first)
        {
            continue;
        }
        // Without dates, a copy of the same minutes arriving again would
        // "answer" every request at the item it was made in; the request
        // sentence repeated word for word at an item gives that away.
        let undated = !dated || request.first.meeting_date.is_none();
        let answer = doc
            .items
            .iter()
            .filter(|item| !(undated && repeats_verbatim(doc, request, &item.number)))
            .filter_map(|item| delivery_score(&request.terms, item).map(|s| (s, item)))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, item)) = answer {
            request.status = Status::Delivered;
            let item_ref = ItemRef {
                number: item.number.clone(),
                title: item.title.clone(),
            };
            tx.execute(
                "UPDATE follow_ups SET status = 'delivered', delivered_seq = ?2,
                        delivered_item = ?3, delivered_title = ?4
                 WHERE id = ?1",
                params![request.id, this.seq, item_ref.number, item_ref.title],
            )?;
            delivered_here.insert(request.id.clone(), item_ref.number.clone());
            delivered_events.push(event(EventKind::FollowUpDelivered, request, Some(item_ref)));
        }
    }

    // Statements: each request in these minutes is either one already tracked
    // for this committee, restated, or new.
    let mut statements: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut new_requests: Vec<Request> = Vec::new();
    let mut new_events = Vec::new();
    for follow_up in &doc.follow_ups {
        let terms = MatchTerms::for_request(follow_up, &doc.items);
        if let Some(index) = find_tracked(&requests, follow_up, &terms, &delivered_here) {
            let request = &mut requests[index];
            restate(&tx, request, follow_up, &this)?;
            merge_items(
                statements.entry(request.id.clone()).or_default(),
                &follow_up.items,
            );
            continue;
        }
        let id = ledger_id(&key, &follow_up.id, &this.sha256);
        if new_requests.iter().any(|r| r.id == id) {
            // The detector reported one request twice; keep it once.
            merge_items(statements.entry(id).or_default(), &follow_up.items);
            continue;
        }
        let request = Request {
            id,
            committee: doc.meeting.committee.clone(),
            detector_id: follow_up.id.clone(),
            text: follow_up.text.clone(),
            kind: follow_up.kind,
            subject: follow_up.subject.clone(),
            terms,
            owner: follow_up.owner.clone(),
            due: follow_up.due.clone(),
            status: Status::Open,
            first: this.clone(),
            first_items: follow_up.items.clone(),
        };
        insert_request(&tx, &key, &request)?;
        merge_items(
            statements.entry(request.id.clone()).or_default(),
            &follow_up.items,
        );
        new_events.push(event(EventKind::NewFollowUp, &request, None));
        new_requests.push(request);
    }
    for (id, items) in &statements {
        tx.execute(
            "INSERT INTO statements (follow_up_id, doc_seq, items) VALUES (?1, ?2, ?3)",
            params![id, this.seq, serde_json::to_string(items)?],
        )?;
    }

    // Overdue: minutes of a meeting after the due month, request still open.
    let mut overdue_events = Vec::new();
    if let Some(month) = this.meeting_date.as_deref().and_then(|d| d.get(..7)) {
        for request in requests.iter_mut() {
            let due_month = request
                .due
                .as_ref()
                .and_then(|d| d.date.as_deref())
                .and_then(valid_month);
            let lapsed = due_month.is_some_and(|due| month > due);
            if request.status == Status::Open && lapsed && this.is_later_than(&request.first) {
                request.status = Status::Overdue;
                tx.execute(
                    "UPDATE follow_ups SET status = 'overdue' WHERE id = ?1",
                    [&request.id],
                )?;
                overdue_events.push(event(EventKind::FollowUpOverdue, request, None));
            }
        }
    }

    let mut events = Vec::new();
    for alert in new_events
        .into_iter()
        .chain(delivered_events)
        .chain(overdue_events)
    {
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO alerts (id, kind, follow_up_id, doc_seq, payload)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                alert.id,
                alert.event.as_str(),
                alert.follow_up.ledger_id,
                this.seq,
                serde_json::to_string(&alert)?
            ],
        )?;
        // An id already present means this alert was raised before (a request
        // that lapsed, was deferred to the same month and lapsed again).
        if inserted == 1 {
            events.push(alert);
        }
    }
    tx.commit()?;
    Ok(events)
}

/// The tracked request `follow_up` restates, if any. Outstanding requests
/// win over delivered ones. Asking again at the very item that answered a
/// request starts a new request; mentioning it elsewhere in those minutes
/// (work programme, action log) is a restatement of the answered one.
fn find_tracked(
    requests: &[Request],
    follow_up: &FollowUp,
    terms: &MatchTerms,
    delivered_here: &HashMap<String, String>,
) -> Option<usize> {
    let asked_again_at_answer = |r: &Request| {
        delivered_here
            .get(&r.id)
            .is_some_and(|item| follow_up.items.contains(item))
    };
    let candidates = || {
        requests
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, r)| !asked_again_at_answer(r))
    };
    // Generic subjects share an id whatever they were about, so ids only
    // identify specific ones.
    let exact = |r: &Request| r.detector_id == follow_up.id && !is_generic(follow_up);
    let similar = |r: &Request| same_request(&r.follow_up(), &r.terms, follow_up, terms);
    for outstanding in [true, false] {
        for matches in [&exact as &dyn Fn(&Request) -> bool, &similar] {
            if let Some((index, _)) =
                candidates().find(|(_, r)| r.is_outstanding() == outstanding && matches(r))
            {
                return Some(index);
            }
        }
    }
    None
}

/// Whether these minutes state `request` in the same words at item `number`.
fn repeats_verbatim(doc: &Document, request: &Request, number: &str) -> bool {
    let wanted = words(&request.text);
    doc.follow_ups
        .iter()
        .any(|f| f.items.iter().any(|n| n == number) && words(&f.text) == wanted)
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Folds a restatement into the tracked request: a later meeting's due date
/// and owner are the committee's latest word; an earlier meeting (minutes
/// arriving out of order) becomes the first statement.
fn restate(
    tx: &Transaction<'_>,
    request: &mut Request,
    follow_up: &FollowUp,
    this: &DocRow,
) -> Result<(), LedgerError> {
    if this.is_earlier_than(&request.first) {
        request.first = this.clone();
        request.first_items = follow_up.items.clone();
        request.text = follow_up.text.clone();
    } else if this.is_later_than(&request.first) {
        if let Some(due) = follow_up.due.as_ref().filter(|d| d.date.is_some()) {
            request.due = Some(due.clone());
            let still_due = this
                .meeting_date
                .as_deref()
                .and_then(|d| d.get(..7))
                .zip(due.date.as_deref().and_then(valid_month))
                .is_none_or(|(month, due)| month <= due);
            if request.status == Status::Overdue && still_due {
                // Deferred by the committee: open again until the new month passes.
                request.status = Status::Open;
            }
        }
    }
    if follow_up.owner.is_some() && (request.owner.is_none() || this.is_later_than(&request.first))
    {
        request.owner = follow_up.owner.clone();
    }
    tx.execute(
        "UPDATE follow_ups SET text = ?2, owner = ?3, due_text = ?4, due_date = ?5,
                status = ?6, first_seq = ?7
         WHERE id = ?1",
        params![
            request.id,
            request.text,
            request.owner,
            request.due.as_ref().map(|d| d.text.as_str()),
            request.due.as_ref().and_then(|d| d.date.as_deref()),
            request.status.as_str(),
            request.first.seq
        ],
    )?;
    Ok(())
}

fn insert_request(tx: &Transaction<'_>, key: &str, request: &Request) -> Result<(), LedgerError> {
    tx.execute(
        "INSERT INTO follow_ups (id, committee_key, committee, detector_id, text, kind, subject,
                                 match_terms, owner, due_text, due_date, status, first_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
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
        ],
    )?;
    Ok(())
}

fn load_requests(tx: &Transaction<'_>, key: &str) -> Result<Vec<Request>, LedgerError> {
    let mut stmt = tx.prepare(
        "SELECT f.id, f.committee, f.detector_id, f.text, f.kind, f.subject, f.match_terms,
                f.owner, f.due_text, f.due_date, f.status,
                d.seq, d.meeting_date, d.file, d.folder, d.sha256, d.document,
                (SELECT s.items FROM statements s
                  WHERE s.follow_up_id = f.id AND s.doc_seq = f.first_seq)
         FROM follow_ups f JOIN documents d ON d.seq = f.first_seq
         WHERE f.committee_key = ?1
         ORDER BY f.first_seq, f.id",
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
                r.get::<_, Option<String>>(17)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(raw, first, items)| {
            Ok(Request {
                kind: kind_from_str(&raw.kind)?,
                status: raw.status.parse()?,
                terms: MatchTerms::from_stored(&raw.terms),
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

/// Reads the six document columns starting at `at`.
fn doc_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<DocRow> {
    Ok(DocRow {
        seq: r.get(at)?,
        meeting_date: r.get(at + 1)?,
        file: r.get(at + 2)?,
        folder: r.get(at + 3)?,
        sha256: r.get(at + 4)?,
        document: r.get(at + 5)?,
    })
}

pub(super) fn list(
    conn: &Connection,
    filter: &ListFilter,
) -> Result<Vec<LedgerEntry>, LedgerError> {
    let mut stmt = conn.prepare(
        "SELECT f.id, f.committee, f.committee_key, f.text, f.kind, f.subject, f.owner,
                f.due_text, f.due_date, f.status, f.first_seq, f.delivered_seq,
                f.delivered_item, f.delivered_title
         FROM follow_ups f JOIN documents d ON d.seq = f.first_seq
         WHERE (?1 IS NULL OR f.status = ?1)
         ORDER BY d.meeting_date IS NULL, d.meeting_date, f.first_seq, f.id",
    )?;
    let wanted = filter.committee.as_deref().map(normalise_name);
    let rows = stmt
        .query_map([filter.status.map(Status::as_str)], |r| {
            Ok(ListRow {
                id: r.get(0)?,
                committee: r.get(1)?,
                committee_key: r.get(2)?,
                text: r.get(3)?,
                kind: r.get(4)?,
                subject: r.get(5)?,
                owner: r.get(6)?,
                due_text: r.get(7)?,
                due_date: r.get(8)?,
                status: r.get(9)?,
                first_seq: r.get(10)?,
                delivered_seq: r.get(11)?,
                delivered_item: r.get(12)?,
                delivered_title: r.get(13)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut statements = conn.prepare(
        "SELECT d.seq, d.meeting_date, d.file, d.folder, d.sha256, d.document, s.items
         FROM statements s JOIN documents d ON d.seq = s.doc_seq
         WHERE s.follow_up_id = ?1
         ORDER BY d.meeting_date IS NULL, d.meeting_date, d.seq",
    )?;
    let mut documents = conn.prepare(
        "SELECT seq, meeting_date, file, folder, sha256, document FROM documents WHERE seq = ?1",
    )?;
    let mut entries = Vec::new();
    for row in rows {
        if let Some(wanted) = &wanted {
            let name = row.committee_key.split_once(':').map_or("", |(_, n)| n);
            if !normalise_name(name).contains(wanted.as_str()) {
                continue;
            }
        }
        let stated = statements
            .query_map([&row.id], |r| Ok((doc_row(r, 0)?, r.get::<_, String>(6)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut first_raised = None;
        let mut restatements = Vec::new();
        for (doc, items) in stated {
            let statement = doc.statement(parse_items(Some(&items))?);
            if doc.seq == row.first_seq {
                first_raised = Some(statement);
            } else {
                restatements.push(statement);
            }
        }
        let first_raised = first_raised.ok_or_else(|| {
            LedgerError::Corrupt(format!("request {} has no first statement", row.id))
        })?;
        let delivered = match row.delivered_seq {
            Some(seq) => {
                let doc = documents.query_row([seq], |r| doc_row(r, 0))?;
                Some(Delivery {
                    meeting_date: doc.meeting_date,
                    file: doc.file,
                    item: ItemRef {
                        number: row.delivered_item.unwrap_or_default(),
                        title: row.delivered_title.unwrap_or_default(),
                    },
                })
            }
            None => None,
        };
        entries.push(LedgerEntry {
            kind: kind_from_str(&row.kind)?,
            status: row.status.parse()?,
            due: due(row.due_text, row.due_date),
            id: row.id,
            committee: row.committee,
            request: row.text,
            subject: row.subject,
            owner: row.owner,
            first_raised,
            restatements,
            delivered,
        });
    }
    Ok(entries)
}

struct ListRow {
    id: String,
    committee: Option<String>,
    committee_key: String,
    text: String,
    kind: String,
    subject: String,
    owner: Option<String>,
    due_text: Option<String>,
    due_date: Option<String>,
    status: String,
    first_seq: i64,
    delivered_seq: Option<i64>,
    delivered_item: Option<String>,
    delivered_title: Option<String>,
}

/// Deterministic, so re-recording after a lost database rebuilds the same
/// ids; includes the first document so that asking again for something once
/// delivered is a request of its own.
fn ledger_id(committee_key: &str, detector_id: &str, first_sha256: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [committee_key, detector_id, first_sha256] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hex::encode(hasher.finalize())[..16].to_string()
}

/// Meeting dates drive ordering, so only well-formed ISO dates count.
fn valid_date(date: &str) -> Option<String> {
    chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// Due months are compared as text, so only "YYYY-MM" counts.
fn valid_month(month: &str) -> Option<&str> {
    chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| month.len() == 7)
        .map(|_| month)
}

fn due(text: Option<String>, date: Option<String>) -> Option<Due> {
    text.map(|text| Due { text, date })
}

fn merge_items(into: &mut Vec<String>, items: &[String]) {
    for item in items {
        if !into.contains(item) {
            into.push(item.clone());
        }
    }
}

fn parse_items(stored: Option<&str>) -> Result<Vec<String>, LedgerError> {
    match stored {
        Some(json) => Ok(serde_json::from_str(json)?),
        None => Ok(Vec::new()),
    }
}

fn kind_to_str(kind: FollowUpKind) -> Result<String, LedgerError> {
    match serde_json::to_value(kind)? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(LedgerError::Corrupt(format!("follow-up kind {other}"))),
    }
}

fn kind_from_str(kind: &str) -> Result<FollowUpKind, LedgerError> {
    Ok(serde_json::from_value(serde_json::Value::String(
        kind.to_string(),
    ))?)
}
