//! Stage 7: put results in the outbox so that a crash at any moment leaves
//! either the old state or the new one, never half a file.
//!
//! Every file is written to a temporary name in its final folder, flushed to
//! disk, renamed into place, and the folder itself flushed so the rename
//! survives a power cut. Only then is the input moved out of the inbox.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `dir/name` atomically and durably.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let target = write_atomic_pending_dir_sync(dir, name, bytes)?;
    sync_dir(dir)?;
    Ok(target)
}

/// Like [`write_atomic`] but leaves the folder's flush to the caller, who
/// writes several files and then calls [`sync_dir`] once for all of them.
pub fn write_atomic_pending_dir_sync(
    dir: &Path,
    name: &str,
    bytes: &[u8],
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let target = dir.join(name);
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(target)
}

/// Writes `bytes` to `dir/name` only when no file of that name exists, and
/// returns whether it wrote. An existing file is left byte for byte as it
/// was: alerts are facts a consumer may already have acted on, so a replay
/// (a crash before the alert was marked, a lost ledger, a rebuild) must not
/// replace one, not even with a fresh `raised_at`. The file appears whole
/// (written to a temporary, flushed, then linked into place without
/// replacing); the folder's flush is left to the caller, as in
/// [`write_atomic_pending_dir_sync`].
pub(crate) fn write_new_pending_dir_sync(
    dir: &Path,
    name: &str,
    bytes: &[u8],
) -> std::io::Result<bool> {
    std::fs::create_dir_all(dir)?;
    let target = dir.join(name);
    // The common case of a replay, without writing a temporary for nothing.
    if std::fs::symlink_metadata(&target).is_ok() {
        return Ok(false);
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    match tmp.persist_noclobber(&target) {
        Ok(_) => Ok(true),
        // Appeared since the check: someone else's copy stands.
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e.error),
    }
}

/// Removes temporary files that an interrupted [`write_atomic`] or
/// [`move_to`] left in `dir` (the process was killed mid-write). Only called
/// at start-up, when no write of ours can be in flight.
pub fn remove_stale_temporaries(dir: &Path) -> std::io::Result<usize> {
    let mut removed = 0;
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let is_ours = entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX);
        if is_ours && entry.file_type()?.is_file() {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// [`remove_stale_temporaries`] in `root` and every folder below it: the
/// originals and failed folders mirror the inbox's subfolders, and a move
/// across filesystems copies through a temporary. Dot-files are never inputs,
/// so a temporary there can only be ours.
pub fn remove_stale_temporaries_in_tree(root: &Path) -> std::io::Result<usize> {
    let mut removed = 0;
    for entry in walkdir::WalkDir::new(root).follow_links(false) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e)
                if e.io_error().map(std::io::Error::kind) == Some(std::io::ErrorKind::NotFound) =>
            {
                continue
            }
            Err(e) => return Err(e.into()),
        };
        if entry.file_type().is_dir() {
            removed += remove_stale_temporaries(entry.path())?;
        }
    }
    Ok(removed)
}

/// Prefix of our temporary files; consumers of the outbox skip dot-files.
const TEMP_PREFIX: &str = ".tmp-";

/// Flushes a directory's entries (renames, creations) to disk.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Moves `from` into `dir` under `name` (or a free variant of it), durably,
/// and returns where it went. Falls back to copy-then-delete across
/// filesystems, deleting the source only once the copy is on disk.
pub fn move_into(from: &Path, dir: &Path, name: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let target = free_name(dir, name);
    move_to(from, &target)?;
    Ok(target)
}

/// Moves `from` to `target` (which must not exist), durably.
pub fn move_to(from: &Path, target: &Path) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    match std::fs::rename(from, target) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(nix::libc::EXDEV) => {
            let mut tmp = tempfile::Builder::new()
                .prefix(TEMP_PREFIX)
                .tempfile_in(dir)?;
            let mut src = std::fs::File::open(from)?;
            std::io::copy(&mut src, tmp.as_file_mut())?;
            tmp.as_file().sync_all()?;
            tmp.persist_noclobber(target).map_err(|e| e.error)?;
            sync_dir(dir)?;
            std::fs::remove_file(from)?;
        }
        Err(e) => return Err(e),
    }
    sync_dir(dir)?;
    if let Some(parent) = from.parent() {
        sync_dir(parent)?;
    }
    Ok(())
}

/// `name` if free in `dir`, else `stem (2).ext`, `stem (3).ext`, ... so an
/// earlier file of the same name is never overwritten.
pub fn free_name(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if std::fs::symlink_metadata(&first).is_err() {
        return first;
    }
    let (stem, ext) = split_name(name);
    (2..)
        .map(|n| match ext {
            Some(ext) => dir.join(format!("{stem} ({n}).{ext}")),
            None => dir.join(format!("{stem} ({n})")),
        })
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .unwrap_or(first)
}

fn split_name(name: &str) -> (&str, Option<&str>) {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, Some(ext)),
        _ => (name, None),
    }
}

/// File name of an input's document JSON: `<stem>-<12 hex of sha256>.json`.
/// The hash keeps two different files called `minutes.pdf` apart, and makes
/// the name the same every time the same bytes are processed.
pub fn document_name(file_name: &str, sha256: &str) -> String {
    let (stem, _) = split_name(file_name);
    let short = sha256.get(..12).unwrap_or(sha256);
    format!("{}-{short}.json", sanitize(stem))
}

/// Keeps names portable to the Windows shares downstream systems use.
fn sanitize(stem: &str) -> String {
    let cleaned: String = stem
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        "document".to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_names_are_deterministic_and_portable() {
        let sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(
            document_name("CYP 9 July.pdf", sha),
            "CYP 9 July-ba7816bf8f01.json"
        );
        assert_eq!(document_name("a:b?.txt", sha), "a_b_-ba7816bf8f01.json");
        assert_eq!(document_name(".pdf", sha), "pdf-ba7816bf8f01.json");
        assert_eq!(document_name("..", sha), "document-ba7816bf8f01.json");
        assert_eq!(document_name("noext", sha), "noext-ba7816bf8f01.json");
    }

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        write_atomic(dir.path(), "a.json", b"one").unwrap();
        write_atomic(dir.path(), "a.json", b"two").unwrap();
        assert_eq!(std::fs::read(dir.path().join("a.json")).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn writing_a_new_file_never_replaces_an_existing_one() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_new_pending_dir_sync(dir.path(), "a.json", b"first").unwrap());
        assert!(!write_new_pending_dir_sync(dir.path(), "a.json", b"second").unwrap());
        assert_eq!(std::fs::read(dir.path().join("a.json")).unwrap(), b"first");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary left behind");
    }

    #[test]
    fn stale_temporaries_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".tmp-abc123"), b"half").unwrap();
        std::fs::write(dir.path().join("kept.json"), b"{}").unwrap();
        std::fs::write(dir.path().join(".other"), b"x").unwrap();
        assert_eq!(remove_stale_temporaries(dir.path()).unwrap(), 1);
        assert!(dir.path().join("kept.json").exists() && dir.path().join(".other").exists());
        assert_eq!(
            remove_stale_temporaries(&dir.path().join("absent")).unwrap(),
            0
        );
    }

    #[test]
    fn stale_temporaries_are_removed_in_subfolders_too() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("Children/2021");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(dir.path().join(".tmp-top"), b"half").unwrap();
        std::fs::write(sub.join(".tmp-deep"), b"half").unwrap();
        std::fs::write(sub.join("minutes.pdf"), b"%PDF").unwrap();
        assert_eq!(remove_stale_temporaries_in_tree(dir.path()).unwrap(), 2);
        assert!(sub.join("minutes.pdf").exists());
        assert!(!sub.join(".tmp-deep").exists() && !dir.path().join(".tmp-top").exists());
        assert_eq!(
            remove_stale_temporaries_in_tree(&dir.path().join("absent")).unwrap(),
            0
        );
    }

    #[test]
    fn move_never_overwrites_an_earlier_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        for content in ["first", "second"] {
            let src = dir.path().join("m.txt");
            std::fs::write(&src, content).unwrap();
            move_into(&src, &out, "m.txt").unwrap();
            assert!(!src.exists());
        }
        assert_eq!(std::fs::read_to_string(out.join("m.txt")).unwrap(), "first");
        assert_eq!(
            std::fs::read_to_string(out.join("m (2).txt")).unwrap(),
            "second"
        );
    }
}
