//! Reading tracked requests back out for officers.

use rusqlite::Connection;

use super::committee::normalise_name;
use super::store::{doc_row, due, kind_from_str, parse_items, DocRow};
use super::{Delivery, ItemRef, LedgerEntry, LedgerError, ListFilter, Status};

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
         ORDER BY d.meeting_date IS NULL, d.meeting_date, f.first_seq, f.rowid",
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
        "SELECT d.seq, d.meeting_date, d.file, d.folder, d.sha256, d.document,
                COALESCE(d.meeting, d.seq), s.items
         FROM statements s JOIN documents d ON d.seq = s.doc_seq
         WHERE s.follow_up_id = ?1
         ORDER BY d.meeting_date IS NULL, d.meeting_date, d.seq",
    )?;
    let mut documents = conn.prepare(
        "SELECT seq, meeting_date, file, folder, sha256, document, COALESCE(meeting, seq)
         FROM documents WHERE seq = ?1",
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
            .query_map([&row.id], |r| Ok((doc_row(r, 0)?, r.get::<_, String>(7)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut first_raised = None;
        let mut restatements = Vec::new();
        for (doc, items) in one_statement_per_meeting(stated, row.first_seq) {
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

/// Statements as officers read them: each meeting once. The first
/// statement stays; a corrected copy of its meeting is not a restatement,
/// and of a later meeting's copies only the latest counts. `stated` is in
/// meeting order, copies of a meeting in arrival order.
fn one_statement_per_meeting<T>(stated: Vec<(DocRow, T)>, first_seq: i64) -> Vec<(DocRow, T)> {
    let first_meeting = stated
        .iter()
        .find(|(doc, _)| doc.seq == first_seq)
        .map(|(doc, _)| doc.meeting);
    let mut kept: Vec<(DocRow, T)> = Vec::with_capacity(stated.len());
    for (doc, items) in stated {
        if doc.seq != first_seq && Some(doc.meeting) == first_meeting {
            continue;
        }
        match kept
            .iter_mut()
            .find(|(k, _)| k.meeting == doc.meeting && k.seq != first_seq)
        {
            Some(earlier) if earlier.0.seq < doc.seq => *earlier = (doc, items),
            Some(_) => {}
            None => kept.push((doc, items)),
        }
    }
    kept
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
