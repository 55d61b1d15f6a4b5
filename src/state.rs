//! Which inputs have been published, by content hash.
//!
//! This is what makes a re-dropped file a no-op and makes a restart after a
//! crash safe: an input whose hash is recorded here already has its
//! document in the outbox, so it only needs moving out of the inbox.

use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
#[error("state database: {0}")]
pub struct StateError(#[from] rusqlite::Error);

pub struct InputStore {
    conn: Connection,
}

/// A published input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub document: String,
    pub first_file: String,
}

impl InputStore {
    pub fn open(path: &Path) -> Result<Self, StateError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS inputs (
                sha256 TEXT PRIMARY KEY,
                document TEXT NOT NULL,
                first_file TEXT NOT NULL,
                first_folder TEXT NOT NULL,
                published_at TEXT NOT NULL
            );",
        )?;
        Ok(Self { conn })
    }

    pub fn lookup(&self, sha256: &str) -> Result<Option<Published>, StateError> {
        Ok(self
            .conn
            .query_row(
                "SELECT document, first_file FROM inputs WHERE sha256 = ?1",
                params![sha256],
                |r| {
                    Ok(Published {
                        document: r.get(0)?,
                        first_file: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records that `sha256`'s document is durably in the outbox.
    pub fn record(
        &self,
        sha256: &str,
        document: &str,
        file: &str,
        folder: &str,
    ) -> Result<(), StateError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO inputs (sha256, document, first_file, first_folder, published_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![sha256, document, file, folder, chrono::Utc::now().to_rfc3339()],
        )?;
        Ok(())
    }

    pub fn count(&self) -> Result<u64, StateError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM inputs", [], |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("inputs.sqlite");
        {
            let s = InputStore::open(&db).unwrap();
            assert_eq!(s.lookup("abc").unwrap(), None);
            s.record("abc", "m-abc.json", "m.txt", "cyp").unwrap();
            s.record("abc", "other.json", "again.txt", "").unwrap();
        }
        let s = InputStore::open(&db).unwrap();
        let p = s.lookup("abc").unwrap().unwrap();
        assert_eq!(p.document, "m-abc.json");
        assert_eq!(p.first_file, "m.txt");
        assert_eq!(s.count().unwrap(), 1);
    }
}
