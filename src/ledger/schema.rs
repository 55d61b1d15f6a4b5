//! Opening the ledger database and bringing its schema up to date.
//!
//! Migrations are append-only: each entry moves the schema from version
//! `index` to `index + 1`, recorded in `PRAGMA user_version`, so a ledger
//! written by an older release is upgraded in place and never rebuilt.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use super::LedgerError;

/// How long a writer waits for another process holding the lock before
/// giving up; generous because the daemon and the officers' CLI share the file.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const MIGRATIONS: &[&str] = &[
    // 1: documents, requests, every statement of them, and the alert outbox.
    r#"
    CREATE TABLE documents (
        seq           INTEGER PRIMARY KEY,
        sha256        TEXT NOT NULL UNIQUE,
        committee_key TEXT NOT NULL,
        committee     TEXT,
        meeting_date  TEXT,
        file          TEXT NOT NULL,
        folder        TEXT NOT NULL,
        document      TEXT NOT NULL,
        recorded_at   TEXT NOT NULL
    );
    CREATE TABLE follow_ups (
        id              TEXT PRIMARY KEY,
        committee_key   TEXT NOT NULL,
        committee       TEXT,
        detector_id     TEXT NOT NULL,
        text            TEXT NOT NULL,
        kind            TEXT NOT NULL,
        subject         TEXT NOT NULL,
        match_terms     TEXT NOT NULL,
        owner           TEXT,
        due_text        TEXT,
        due_date        TEXT,
        status          TEXT NOT NULL CHECK (status IN ('open', 'delivered', 'overdue')),
        first_seq       INTEGER NOT NULL REFERENCES documents(seq),
        delivered_seq   INTEGER REFERENCES documents(seq),
        delivered_item  TEXT,
        delivered_title TEXT
    );
    CREATE INDEX follow_ups_by_committee ON follow_ups(committee_key, status);
    CREATE TABLE statements (
        follow_up_id TEXT NOT NULL REFERENCES follow_ups(id),
        doc_seq      INTEGER NOT NULL REFERENCES documents(seq),
        items        TEXT NOT NULL,
        PRIMARY KEY (follow_up_id, doc_seq)
    );
    CREATE TABLE alerts (
        seq          INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        kind         TEXT NOT NULL,
        follow_up_id TEXT NOT NULL REFERENCES follow_ups(id),
        doc_seq      INTEGER NOT NULL REFERENCES documents(seq),
        payload      TEXT NOT NULL,
        status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published')),
        published_at TEXT
    );
    CREATE INDEX alerts_by_status ON alerts(status, seq);
    "#,
    // 2: each document's items as the ledger compares them, so minutes that
    // arrive before an earlier meeting's can still answer its requests.
    r#"
    CREATE TABLE items (
        doc_seq  INTEGER NOT NULL REFERENCES documents(seq),
        position INTEGER NOT NULL,
        view     TEXT NOT NULL,
        PRIMARY KEY (doc_seq, position)
    );
    CREATE INDEX documents_by_committee ON documents(committee_key, meeting_date);
    "#,
    // 3: meetings. A corrected copy of minutes records the same meeting as
    // the copy it corrects: `meeting` is the seq of the meeting's first copy
    // (NULL on that first copy itself), `supersedes`/`superseded_by` chain the
    // copies, and the item keys find candidate copies of minutes that name
    // no committee or date.
    r#"
    ALTER TABLE documents ADD COLUMN meeting INTEGER REFERENCES documents(seq);
    ALTER TABLE documents ADD COLUMN supersedes INTEGER REFERENCES documents(seq);
    ALTER TABLE documents ADD COLUMN superseded_by INTEGER REFERENCES documents(seq);
    ALTER TABLE documents ADD COLUMN numbers_key TEXT;
    ALTER TABLE documents ADD COLUMN titles_key TEXT;
    CREATE INDEX documents_by_numbers ON documents(numbers_key) WHERE superseded_by IS NULL;
    CREATE INDEX documents_by_titles ON documents(titles_key) WHERE superseded_by IS NULL;
    "#,
];

/// Schema version this build writes.
pub(super) const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (creating if needed) the ledger at `path` with durable settings and
/// the current schema.
pub(super) fn open(path: &Path) -> Result<Connection, LedgerError> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL lets officers list the ledger while the daemon writes; FULL makes a
    // committed transaction survive power loss, which the outbox relies on.
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(journal_mode = %mode, "ledger could not switch to WAL");
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Every statement of recording a document stays compiled between documents.
    conn.set_prepared_statement_cache_capacity(32);
    migrate(&mut conn)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), LedgerError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > CURRENT_VERSION {
        return Err(LedgerError::SchemaTooNew {
            found,
            supported: CURRENT_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ledger_is_at_current_version_with_wal_and_full_sync() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("ledger.sqlite")).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, CURRENT_VERSION);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode.to_ascii_lowercase(), "wal");
        // 2 = FULL
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2);
    }

    #[test]
    fn reopening_does_not_rerun_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        drop(open(&path).unwrap());
        // Would fail with "table documents already exists" if re-run.
        let conn = open(&path).unwrap();
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 5);
    }

    #[test]
    fn a_version_1_ledger_is_upgraded_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.execute(
                "INSERT INTO documents (sha256, committee_key, file, folder, document, recorded_at)
                 VALUES ('abc', 'committee:x', 'f', '', 'd', 't')",
                [],
            )
            .unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
        }
        let conn = open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, CURRENT_VERSION);
        let kept: String = conn
            .query_row("SELECT sha256 FROM documents", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, "abc");
        let items: i64 = conn
            .query_row("SELECT count(*) FROM items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(items, 0);
    }

    #[test]
    fn ledger_from_a_newer_release_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", CURRENT_VERSION + 1)
                .unwrap();
        }
        assert!(matches!(open(&path), Err(LedgerError::SchemaTooNew { .. })));
    }
}
