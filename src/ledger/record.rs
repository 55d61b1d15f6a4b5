//! Recording one document: which requests it raises, restates, answers or
//! finds overdue, and the alerts that follow, all in one transaction.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use sha2::{Digest, Sha256};

use super::committee::committee_key;
use super::deferral::{deferrals_in, Deferral};
use super::matching::{
    delivered_at_meetings, delivery_score, reported_done, same_request, ItemView, MatchTerms,
};
use super::meeting::{corrected_meeting, item_keys, Candidate, Correction, MeetingCopy};
use super::store::{
    doc_row, insert_request, load_requests, save_request, valid_date, valid_month, DocRow, Request,
};
use super::{
    AlertEvent, AlertMeeting, AlertSource, EventKind, ItemRef, LedgerError, Status, TrackedFollowUp,
};
use crate::model::{Document, FollowUp};

pub(super) fn record(
    conn: &mut Connection,
    doc: &Document,
    document_path: &str,
    items: Vec<ItemView>,
) -> Result<Vec<AlertEvent>, LedgerError> {
    // IMMEDIATE takes the write lock up front, so two writers cannot both
    // pass the "already recorded?" check for the same document.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let known: Option<i64> = tx
        .prepare_cached("SELECT seq FROM documents WHERE sha256 = ?1")?
        .query_row([&doc.source.sha256], |r| r.get(0))
        .optional()?;
    if known.is_some() {
        return Ok(Vec::new());
    }
    if !doc.kind.records_a_meeting() {
        // An agenda, a report or a stray file is remembered, so a re-drop is
        // known, but it records no meeting: it asks for nothing, answers
        // nothing and makes nothing late.
        let mut bare = doc.clone();
        bare.meeting = crate::model::Meeting::default();
        bare.items.clear();
        bare.follow_ups.clear();
        insert_document(&tx, &bare, document_path, Vec::new(), None)?;
        tx.commit()?;
        return Ok(Vec::new());
    }
    let correction = find_corrected_meeting(&tx, doc, &items)?;
    let minutes = insert_document(&tx, doc, document_path, items, correction.as_ref())?;
    if let Some(correction) = &correction {
        apply_correction(&tx, correction, minutes.row.seq)?;
        tracing::info!(
            document = %document_path,
            supersedes = correction.supersedes,
            meeting = correction.meeting,
            "corrected copy of minutes already recorded: same meeting, only what changed can alert"
        );
    }
    let mut requests = load_requests(&tx, &minutes.committee_key)?;

    // Answers first: whether a request was answered at an item decides
    // whether asking again there is a new request or a restatement.
    let (delivered, answered_at) = find_deliveries(&tx, &minutes, &mut requests)?;
    let (raised, mut new_requests) = take_statements(&tx, &minutes, &mut requests, &answered_at)?;
    // Deferrals before lapses: a request re-timed at this meeting is not late.
    apply_deferrals(&tx, &minutes, &mut requests)?;
    let lapsed = find_lapsed(&tx, &minutes, &mut requests)?;
    // Minutes of later meetings may have arrived first (a backlog dropped at
    // once): they can answer, or show as late, what these minutes ask.
    let (answered_later, late) = settle_with_later_minutes(&tx, &minutes, &mut new_requests)?;

    let mut events = Vec::new();
    let delivered = delivered.into_iter().chain(answered_later);
    let lapsed = lapsed.into_iter().chain(late);
    for alert in raised.into_iter().chain(delivered).chain(lapsed) {
        let inserted = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO alerts (id, kind, follow_up_id, doc_seq, payload)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                alert.id,
                alert.event.as_str(),
                alert.follow_up.ledger_id,
                minutes.row.seq,
                serde_json::to_string(&alert)?
            ])?;
        // An id already present means this alert was raised before (a request
        // that lapsed, was deferred to the same month and lapsed again).
        if inserted == 1 {
            events.push(alert);
        }
    }
    tx.commit()?;
    Ok(events)
}

/// The minutes being recorded, with what every alert they raise repeats.
struct Minutes<'a> {
    doc: &'a Document,
    /// Its items, each read once for all the committee's requests.
    items: Vec<ItemView>,
    /// Business these minutes put back to a later month.
    deferrals: Vec<Deferral>,
    row: DocRow,
    committee_key: String,
    /// Wall-clock time of recording: shown in alerts, never part of an id.
    recorded_at: String,
}

impl Minutes<'_> {
    /// An alert these minutes raise.
    fn alert(
        &self,
        kind: EventKind,
        request: &Request,
        delivered_by: Option<ItemRef>,
    ) -> AlertEvent {
        let committee = self.doc.meeting.committee.as_deref();
        self.alert_shown_by(kind, request, &self.row, committee, delivered_by)
    }

    /// An alert that recording these minutes raises but that other minutes
    /// (`shown_by`, of `committee`) show: a later meeting, recorded first.
    fn alert_shown_by(
        &self,
        kind: EventKind,
        request: &Request,
        shown_by: &DocRow,
        committee: Option<&str>,
        delivered_by: Option<ItemRef>,
    ) -> AlertEvent {
        let id = match (kind, request.due.as_ref().and_then(|d| d.date.as_deref())) {
            // Per due month, so a request deferred and missed again alerts again.
            (EventKind::FollowUpOverdue, Some(month)) => {
                format!("{}-{}-{month}", kind.as_str(), request.id)
            }
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
                committee: committee.map(str::to_string),
                date: shown_by.meeting_date.clone(),
            },
            source: AlertSource {
                file: shown_by.file.clone(),
                folder: shown_by.folder.clone(),
                sha256: shown_by.sha256.clone(),
                document: shown_by.document.clone(),
            },
            first_raised: request.first.statement(request.first_items.clone()),
            delivered_by,
            raised_at: Some(self.recorded_at.clone()),
        }
    }

    /// Month of this meeting, "YYYY-MM", when its date is known.
    fn month(&self) -> Option<&str> {
        self.row.meeting_date.as_deref().and_then(|d| d.get(..7))
    }
}

/// The recorded meeting these minutes are a corrected copy of, if any.
/// Candidates are the current copies of meetings with the same committee and
/// date, or the same item numbers or titles; [`corrected_meeting`] decides.
fn find_corrected_meeting(
    tx: &Transaction<'_>,
    doc: &Document,
    items: &[ItemView],
) -> Result<Option<Correction>, LedgerError> {
    let key = committee_key(doc);
    let date = doc.meeting.date.as_deref().and_then(valid_date);
    let (numbers_key, titles_key) = item_keys(items).unzip();
    // One indexed search per key (an OR over three indexes would scan the
    // table for every document recorded). Only current copies: a meeting
    // is compared through its latest copy. Few candidates share a key; the
    // limit only bounds the work on a pathological ledger.
    let mut found = tx.prepare_cached(
        "SELECT seq, COALESCE(meeting, seq), committee_key, committee, folder, meeting_date
         FROM documents
         WHERE committee_key = ?1 AND meeting_date = ?2 AND superseded_by IS NULL
         UNION
         SELECT seq, COALESCE(meeting, seq), committee_key, committee, folder, meeting_date
         FROM documents WHERE numbers_key = ?3 AND superseded_by IS NULL
         UNION
         SELECT seq, COALESCE(meeting, seq), committee_key, committee, folder, meeting_date
         FROM documents WHERE titles_key = ?4 AND superseded_by IS NULL
         LIMIT 20",
    )?;
    let rows = found
        .query_map(params![key, date, numbers_key, titles_key], |r| {
            Ok(Candidate {
                seq: r.get(0)?,
                meeting: r.get(1)?,
                committee_key: r.get(2)?,
                committee: r.get(3)?,
                folder: r.get(4)?,
                date: r.get(5)?,
                items: Vec::new(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut candidates = Vec::with_capacity(rows.len());
    for mut candidate in rows {
        candidate.items = load_items(tx, candidate.seq)?;
        candidates.push(candidate);
    }
    let new = MeetingCopy {
        committee_key: &key,
        committee: doc.meeting.committee.as_deref(),
        folder: &doc.source.folder,
        date: date.as_deref(),
        items,
    };
    Ok(corrected_meeting(&new, &candidates))
}

/// Gives documents recorded before the ledger kept item keys (schema 3)
/// their keys, from the items it stored, so that a corrected copy of minutes
/// recorded by an older release is still recognised. Runs at every open;
/// once done it finds nothing to do.
pub(super) fn backfill_item_keys(conn: &mut Connection) -> Result<(), LedgerError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let missing: Vec<i64> = tx
        .prepare(
            "SELECT seq FROM documents d
             WHERE numbers_key IS NULL AND EXISTS (SELECT 1 FROM items i WHERE i.doc_seq = d.seq)",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for seq in missing {
        let Some((numbers_key, titles_key)) = item_keys(&load_items(&tx, seq)?) else {
            continue;
        };
        tx.prepare_cached("UPDATE documents SET numbers_key = ?2, titles_key = ?3 WHERE seq = ?1")?
            .execute(params![seq, numbers_key, titles_key])?;
    }
    tx.commit()?;
    Ok(())
}

/// Records that the document `seq` replaces the meeting's previous copy, and
/// moves the meeting to the committee the correction names.
fn apply_correction(
    tx: &Transaction<'_>,
    correction: &Correction,
    seq: i64,
) -> Result<(), LedgerError> {
    tx.prepare_cached("UPDATE documents SET superseded_by = ?2 WHERE seq = ?1")?
        .execute(params![correction.supersedes, seq])?;
    if let Some(rekey) = &correction.rekey {
        tx.prepare_cached(
            "UPDATE follow_ups SET committee_key = ?3, committee = COALESCE(committee, ?4)
             WHERE committee_key = ?2
               AND first_seq IN (SELECT seq FROM documents WHERE COALESCE(meeting, seq) = ?1)",
        )?
        .execute(params![
            correction.meeting,
            rekey.from,
            rekey.to,
            rekey.committee
        ])?;
        tx.prepare_cached(
            "UPDATE documents SET committee_key = ?2 WHERE COALESCE(meeting, seq) = ?1",
        )?
        .execute(params![correction.meeting, rekey.to])?;
    }
    Ok(())
}

fn insert_document<'a>(
    tx: &Transaction<'_>,
    doc: &'a Document,
    document_path: &str,
    items: Vec<ItemView>,
    correction: Option<&Correction>,
) -> Result<Minutes<'a>, LedgerError> {
    // A corrected copy is tracked with the meeting it corrects.
    let committee_key = match correction {
        Some(c) => c.committee_key.clone(),
        None => committee_key(doc),
    };
    let recorded_at = chrono::Utc::now().to_rfc3339();
    let meeting_date = doc.meeting.date.as_deref().and_then(valid_date);
    let (numbers_key, titles_key) = item_keys(&items).unzip();
    tx.prepare_cached(
        "INSERT INTO documents (sha256, committee_key, committee, meeting_date, file, folder,
                                document, recorded_at, meeting, supersedes, numbers_key,
                                titles_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        doc.source.sha256,
        committee_key,
        doc.meeting.committee,
        meeting_date,
        doc.source.file,
        doc.source.folder,
        document_path,
        recorded_at,
        correction.map(|c| c.meeting),
        correction.map(|c| c.supersedes),
        numbers_key,
        titles_key
    ])?;
    let seq = tx.last_insert_rowid();
    for (position, item) in items.iter().enumerate() {
        tx.prepare_cached("INSERT INTO items (doc_seq, position, view) VALUES (?1, ?2, ?3)")?
            .execute(params![
                seq,
                position as i64,
                serde_json::to_string(&item.to_stored())?
            ])?;
    }
    let deferrals = items
        .iter()
        .flat_map(|item| deferrals_in(item, meeting_date.as_deref()))
        .collect();
    Ok(Minutes {
        doc,
        items,
        deferrals,
        row: DocRow {
            seq,
            meeting_date,
            file: doc.source.file.clone(),
            folder: doc.source.folder.clone(),
            sha256: doc.source.sha256.clone(),
            document: document_path.to_string(),
            meeting: correction.map_or(seq, |c| c.meeting),
        },
        committee_key,
        recorded_at,
    })
}

/// Outstanding requests that these minutes, of a later meeting, take an item
/// answering. Returns the alerts and, per answered request, the item number.
fn find_deliveries(
    tx: &Transaction<'_>,
    minutes: &Minutes<'_>,
    requests: &mut [Request],
) -> Result<(Vec<AlertEvent>, HashMap<String, String>), LedgerError> {
    let mut alerts = Vec::new();
    let mut answered_at = HashMap::new();
    for request in requests.iter_mut() {
        if !request.is_outstanding() || !minutes.row.is_later_than(&request.first) {
            continue;
        }
        let items = &minutes.items;
        // Without dates, a copy of the same minutes arriving again would
        // "answer" every request at the item it was made in; the request
        // sentence repeated word for word at an item gives that away.
        let undated = minutes.row.meeting_date.is_none() || request.first.meeting_date.is_none();
        let answer = items
            .iter()
            .filter(|_| delivered_at_meetings(request.kind))
            .filter(|view| !(undated && repeats_verbatim(minutes.doc, request, &view.number)))
            .filter_map(|view| delivery_score(&request.terms, view).map(|s| (s, view)))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, item)| item);
        let reported = || {
            items
                .iter()
                .find(|view| reported_done(&request.terms, view))
        };
        let Some(item) = answer.or_else(reported) else {
            continue;
        };
        request.status = Status::Delivered;
        let item_ref = ItemRef {
            number: item.number.clone(),
            title: item.title.clone(),
        };
        mark_delivered(tx, request, minutes.row.seq, &item_ref)?;
        // Only an item taking the business can start the next round of the
        // request; an action log ticking it off cannot.
        if answer.is_some() {
            answered_at.insert(request.id.clone(), item_ref.number.clone());
        }
        alerts.push(minutes.alert(EventKind::FollowUpDelivered, request, Some(item_ref)));
    }
    Ok((alerts, answered_at))
}

/// Records every request stated in these minutes, as a restatement of one
/// already tracked for the committee or as a new one; alerts for the new.
fn take_statements(
    tx: &Transaction<'_>,
    minutes: &Minutes<'_>,
    requests: &mut [Request],
    answered_at: &HashMap<String, String>,
) -> Result<(Vec<AlertEvent>, Vec<Request>), LedgerError> {
    let mut statements: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut new_requests: Vec<Request> = Vec::new();
    let mut alerts = Vec::new();
    for follow_up in &minutes.doc.follow_ups {
        let terms = MatchTerms::for_request(follow_up, &minutes.doc.items);
        if let Some(index) = find_tracked(requests, follow_up, &terms, answered_at) {
            let request = &mut requests[index];
            restate(tx, request, follow_up, &minutes.row)?;
            merge_items(
                statements.entry(request.id.clone()).or_default(),
                &follow_up.items,
            );
            continue;
        }
        let id = ledger_id(&minutes.committee_key, &follow_up.id, &minutes.row.sha256);
        if new_requests.iter().any(|r| r.id == id) {
            // The detector reported one request twice; keep it once.
            merge_items(statements.entry(id).or_default(), &follow_up.items);
            continue;
        }
        let request = Request {
            id: id.clone(),
            committee: minutes.doc.meeting.committee.clone(),
            detector_id: follow_up.id.clone(),
            text: follow_up.text.clone(),
            kind: follow_up.kind,
            subject: follow_up.subject.clone(),
            terms,
            owner: follow_up.owner.clone(),
            due: follow_up.due.clone(),
            status: Status::Open,
            first: minutes.row.clone(),
            first_items: follow_up.items.clone(),
        };
        insert_request(tx, &minutes.committee_key, &request)?;
        merge_items(statements.entry(id.clone()).or_default(), &follow_up.items);
        alerts.push(minutes.alert(EventKind::NewFollowUp, &request, None));
        new_requests.push(request);
    }
    for (id, items) in &statements {
        tx.prepare_cached(
            "INSERT INTO statements (follow_up_id, doc_seq, items) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, minutes.row.seq, serde_json::to_string(items)?])?;
    }
    Ok((alerts, new_requests))
}

/// Moves the due month of outstanding requests these minutes defer, and
/// reopens an overdue one whose new month has not passed.
fn apply_deferrals(
    tx: &Transaction<'_>,
    minutes: &Minutes<'_>,
    requests: &mut [Request],
) -> Result<(), LedgerError> {
    for request in requests.iter_mut() {
        if !request.is_outstanding() || !minutes.row.is_later_than(&request.first) {
            continue;
        }
        let deferral = minutes
            .deferrals
            .iter()
            .find(|d| d.concerns(&request.terms));
        let Some(due) = deferral.map(|d| d.due.clone()) else {
            continue;
        };
        let not_yet_late = minutes
            .month()
            .zip(due.date.as_deref())
            .is_none_or(|(month, due)| month <= due);
        if request.status == Status::Overdue && not_yet_late {
            request.status = Status::Open;
        }
        request.due = Some(due);
        save_request(tx, request)?;
    }
    Ok(())
}

/// Open requests whose due month ended before this meeting.
fn find_lapsed(
    tx: &Transaction<'_>,
    minutes: &Minutes<'_>,
    requests: &mut [Request],
) -> Result<Vec<AlertEvent>, LedgerError> {
    let mut alerts = Vec::new();
    let Some(month) = minutes.month() else {
        return Ok(alerts);
    };
    for request in requests.iter_mut() {
        let due_month = request
            .due
            .as_ref()
            .and_then(|d| d.date.as_deref())
            .and_then(valid_month);
        let lapsed = due_month.is_some_and(|due| month > due);
        if request.status == Status::Open && lapsed && minutes.row.is_later_than(&request.first) {
            request.status = Status::Overdue;
            tx.prepare_cached("UPDATE follow_ups SET status = 'overdue' WHERE id = ?1")?
                .execute([&request.id])?;
            alerts.push(minutes.alert(EventKind::FollowUpOverdue, request, None));
        }
    }
    Ok(alerts)
}

/// Checks requests first made in these minutes against minutes of later
/// meetings of the committee that were recorded before them: the first later
/// meeting answering one delivers it; otherwise the first later meeting after
/// its due month shows it overdue.
fn settle_with_later_minutes(
    tx: &Transaction<'_>,
    minutes: &Minutes<'_>,
    new_requests: &mut [Request],
) -> Result<(Vec<AlertEvent>, Vec<AlertEvent>), LedgerError> {
    let (mut delivered, mut overdue) = (Vec::new(), Vec::new());
    let Some(date) = minutes.row.meeting_date.as_deref() else {
        return Ok((delivered, overdue));
    };
    if new_requests.is_empty() {
        return Ok((delivered, overdue));
    }
    let later = load_later_minutes(tx, &minutes.committee_key, date)?;
    for request in new_requests.iter_mut() {
        let answered = later.iter().find_map(|minutes_after| {
            let items = &minutes_after.items;
            let answer = items
                .iter()
                .filter(|_| delivered_at_meetings(request.kind))
                .filter_map(|view| delivery_score(&request.terms, view).map(|s| (s, view)))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, view)| view)
                .or_else(|| {
                    items
                        .iter()
                        .find(|view| reported_done(&request.terms, view))
                });
            answer.map(|view| (minutes_after, view))
        });
        if let Some((LaterMinutes { row, committee, .. }, view)) = answered {
            request.status = Status::Delivered;
            let item_ref = ItemRef {
                number: view.number.clone(),
                title: view.title.clone(),
            };
            mark_delivered(tx, request, row.seq, &item_ref)?;
            delivered.push(minutes.alert_shown_by(
                EventKind::FollowUpDelivered,
                request,
                row,
                committee.as_deref(),
                Some(item_ref),
            ));
            continue;
        }
        let Some(due) = request
            .due
            .as_ref()
            .and_then(|d| d.date.as_deref())
            .and_then(valid_month)
        else {
            continue;
        };
        let shows_late = later.iter().find(|later| {
            later
                .row
                .meeting_date
                .as_deref()
                .and_then(|d| d.get(..7))
                .is_some_and(|month| month > due)
        });
        if let Some(LaterMinutes { row, committee, .. }) = shows_late {
            request.status = Status::Overdue;
            tx.prepare_cached("UPDATE follow_ups SET status = 'overdue' WHERE id = ?1")?
                .execute([&request.id])?;
            overdue.push(minutes.alert_shown_by(
                EventKind::FollowUpOverdue,
                request,
                row,
                committee.as_deref(),
                None,
            ));
        }
    }
    Ok((delivered, overdue))
}

/// Minutes of a later meeting of the committee, already in the ledger.
struct LaterMinutes {
    row: DocRow,
    /// The committee's name as those minutes give it.
    committee: Option<String>,
    items: Vec<ItemView>,
}

/// Recorded minutes of the committee's meetings after `date`, oldest first:
/// each meeting once, as its latest copy says.
fn load_later_minutes(
    tx: &Transaction<'_>,
    committee_key: &str,
    date: &str,
) -> Result<Vec<LaterMinutes>, LedgerError> {
    let mut documents = tx.prepare_cached(
        "SELECT seq, meeting_date, file, folder, sha256, document, COALESCE(meeting, seq),
                committee
         FROM documents
         WHERE committee_key = ?1 AND meeting_date > ?2 AND superseded_by IS NULL
         ORDER BY meeting_date, seq",
    )?;
    let rows = documents
        .query_map(params![committee_key, date], |r| {
            Ok((doc_row(r, 0)?, r.get::<_, Option<String>>(7)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut later = Vec::with_capacity(rows.len());
    for (row, committee) in rows {
        let items = load_items(tx, row.seq)?;
        later.push(LaterMinutes {
            row,
            committee,
            items,
        });
    }
    Ok(later)
}

/// A recorded document's items as the ledger stored them.
fn load_items(tx: &Transaction<'_>, doc_seq: i64) -> Result<Vec<ItemView>, LedgerError> {
    tx.prepare_cached("SELECT view FROM items WHERE doc_seq = ?1 ORDER BY position")?
        .query_map([doc_seq], |r| r.get::<_, String>(0))?
        .map(|stored| {
            let stored = stored?;
            Ok(ItemView::from_stored(serde_json::from_str(&stored)?))
        })
        .collect()
}

fn mark_delivered(
    tx: &Transaction<'_>,
    request: &Request,
    doc_seq: i64,
    item: &ItemRef,
) -> Result<(), LedgerError> {
    tx.prepare_cached(
        "UPDATE follow_ups SET status = 'delivered', delivered_seq = ?2,
                delivered_item = ?3, delivered_title = ?4
         WHERE id = ?1",
    )?
    .execute(params![request.id, doc_seq, item.number, item.title])?;
    Ok(())
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
    let exact = |r: &Request| r.detector_id == follow_up.id && !terms.is_generic();
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
    save_request(tx, request)
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

fn merge_items(into: &mut Vec<String>, items: &[String]) {
    for item in items {
        if !into.contains(item) {
            into.push(item.clone());
        }
    }
}
