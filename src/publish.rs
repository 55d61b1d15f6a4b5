//! Stage 7: put results in the outbox so that a crash at any moment leaves
//! either the old state or the new one, never half a file.
//!
//! Every file is written to a temporary name in its final folder, flushed to
//! disk, renamed into place, and the folder itself flushed so the rename
//! survives a power cut. Only then is the input moved out of the inbox.

use crate::ingest::{Entry, FileId};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Writes `bytes` to `dir/name` atomically and durably.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let target = write_atomic_pending_dir_sync(dir, name, bytes)?;
    sync_dir(dir)?;
    Ok(target)
}

/// Like [`write_atomic`], with the content written by `write` into the
/// temporary file (buffered) instead of built in memory first.
pub(crate) fn write_atomic_with(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let target = dir.join(name);
    let tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)?;
    let mut out = std::io::BufWriter::new(tmp);
    write(&mut out)?;
    let tmp = out.into_inner().map_err(|e| e.into_error())?;
    finish_temporary(tmp, &target)?;
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
    finish_temporary(tmp, &target)?;
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
    tmp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(file_mode()))?;
    tmp.as_file().sync_all()?;
    match tmp.persist_noclobber(&target) {
        Ok(_) => Ok(true),
        // Appeared since the check: someone else's copy stands.
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e.error),
    }
}

/// Gives a written temporary its published permissions, flushes it to disk
/// and renames it into place.
fn finish_temporary(tmp: tempfile::NamedTempFile, target: &Path) -> std::io::Result<()> {
    // tempfile creates 0600, which only the daemon's own user could read;
    // published files are for other people and systems.
    tmp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(file_mode()))?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// Mode of published files; [`UNSET`] until set or first used.
static FILE_MODE: AtomicU32 = AtomicU32::new(UNSET);
const UNSET: u32 = u32::MAX;

/// Sets the permissions of files written from now on: `Some(mode)` as
/// configured (`outbox.file_mode`), None for what the umask allows.
pub(crate) fn set_file_mode(mode: Option<u32>) {
    FILE_MODE.store(mode.unwrap_or_else(umask_file_mode), Ordering::Relaxed);
}

fn file_mode() -> u32 {
    match FILE_MODE.load(Ordering::Relaxed) {
        UNSET => {
            let mode = umask_file_mode();
            FILE_MODE.store(mode, Ordering::Relaxed);
            mode
        }
        mode => mode,
    }
}

/// What `open(O_CREAT, 0666)` would give under the process umask.
fn umask_file_mode() -> u32 {
    0o666 & !current_umask()
}

/// The process umask. Linux reports it in /proc/self/status; reading it
/// there leaves it alone, where umask(2) can only read it by changing it,
/// which would race with other threads creating files.
fn current_umask() -> u32 {
    let reported = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Umask:"))
                .and_then(|value| u32::from_str_radix(value.trim(), 8).ok())
        });
    reported.unwrap_or_else(|| {
        use nix::sys::stat::{umask, Mode};
        let old = umask(Mode::from_bits_truncate(0o022));
        umask(old);
        old.bits() as u32
    })
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

/// Why an input could not be moved out of the inbox.
#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The inbox entry is no longer the file that was read: someone put
    /// another file or a symlink in its place. What is there now was not
    /// moved (or was put back), and a symlink is never followed.
    #[error("the file was replaced by {0} while it was being processed; what is there now was left in place")]
    Replaced(&'static str),
}

impl MoveError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

/// Moves `from` into `dir` under `name` (or a free variant of it), durably,
/// and returns where it went. Falls back to copy-then-delete across
/// filesystems, deleting the source only once the copy is on disk.
/// `expect`: the file that was read (see [`move_to`]).
pub fn move_into(
    from: Entry<'_>,
    dir: &Path,
    name: &str,
    expect: Option<FileId>,
) -> Result<PathBuf, MoveError> {
    std::fs::create_dir_all(dir)?;
    let target = free_name(dir, name);
    move_to(from, &target, expect)?;
    Ok(target)
}

/// Moves `from` to `target` (which must not exist), durably.
///
/// Only a regular file is moved, and when `expect` is given only that file
/// (the one whose bytes were read): an inbox entry swapped for a symlink or
/// another file between reading and moving is left where it is. The entry
/// is checked before the rename and the moved entry again after it, since
/// a swap can fall between check and rename; what was moved by mistake then
/// goes straight back. An entry in an [`InboxFolder`](crate::ingest::InboxFolder)
/// is renamed relative to that folder, so a folder on its path swapped for
/// a symlink cannot make the rename take a file from elsewhere.
pub fn move_to(from: Entry<'_>, target: &Path, expect: Option<FileId>) -> Result<(), MoveError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    check_entry(from, expect)?;
    match nix::fcntl::renameat(from.dirfd(), from.name(), None, target) {
        Ok(()) => {
            if let Err(replaced) = check_entry(Entry::path(target), expect) {
                put_back(target, from);
                return Err(replaced);
            }
        }
        Err(nix::errno::Errno::EXDEV) => {
            // Copied from one descriptor opened without following links,
            // checked to be the expected file.
            let (mut src, meta) = from.open_regular().map_err(|e| match e {
                crate::ingest::ReadError::NotAFile(what) => MoveError::Replaced(what),
                crate::ingest::ReadError::Io(e) => MoveError::Io(e),
                // open_regular checks no size.
                crate::ingest::ReadError::TooLarge { .. }
                | crate::ingest::ReadError::TooMuchText { .. } => {
                    MoveError::Replaced("another file")
                }
            })?;
            let copied = FileId::of(&meta);
            if expect.is_some_and(|id| id != copied) {
                return Err(MoveError::Replaced("another file"));
            }
            let mut tmp = tempfile::Builder::new()
                .prefix(TEMP_PREFIX)
                .tempfile_in(dir)?;
            std::io::copy(&mut src, tmp.as_file_mut())?;
            // The input keeps its own permissions, as a rename would.
            tmp.as_file().set_permissions(meta.permissions())?;
            tmp.as_file().sync_all()?;
            tmp.persist_noclobber(target).map_err(|e| e.error)?;
            sync_dir(dir)?;
            // Only the file copied is removed: anything put in its place
            // meanwhile is someone else's and stays.
            if check_entry(from, Some(copied)).is_ok() {
                nix::unistd::unlinkat(
                    from.dirfd(),
                    from.name(),
                    nix::unistd::UnlinkatFlags::NoRemoveDir,
                )
                .map_err(std::io::Error::from)?;
            }
        }
        Err(e) => return Err(std::io::Error::from(e).into()),
    }
    sync_dir(dir)?;
    sync_entry_folder(from)?;
    Ok(())
}

/// Flushes the folder an entry was in (its removal from there).
fn sync_entry_folder(entry: Entry<'_>) -> std::io::Result<()> {
    match entry.dirfd() {
        Some(fd) => nix::unistd::fsync(fd).map_err(std::io::Error::from),
        None => match entry.name().parent() {
            Some(parent) if !parent.as_os_str().is_empty() => sync_dir(parent),
            _ => sync_dir(Path::new(".")),
        },
    }
}

/// Fails unless the entry is a regular file (not followed if a symlink)
/// and, when `expect` is given, that very file.
fn check_entry(entry: Entry<'_>, expect: Option<FileId>) -> Result<(), MoveError> {
    let (id, other) = entry.identify()?;
    if let Some(what) = other {
        return Err(MoveError::Replaced(what));
    }
    if expect.is_some_and(|expected| expected != id) {
        return Err(MoveError::Replaced("another file"));
    }
    Ok(())
}

/// Returns an entry moved by mistake to where it came from, or beside it
/// under a free name if that name was taken again meanwhile.
fn put_back(moved: &Path, origin: Entry<'_>) {
    let name = origin.name();
    let file_name = name
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, ext) = split_name(&file_name);
    let candidates = std::iter::once(name.to_path_buf()).chain((2..1000).map(|n| match ext {
        Some(ext) => name.with_file_name(format!("{stem} ({n}).{ext}")),
        None => name.with_file_name(format!("{stem} ({n})")),
    }));
    for candidate in candidates {
        let spot = origin.with_name(&candidate);
        if spot.identify().is_ok() {
            continue;
        }
        match nix::fcntl::renameat(None, moved, spot.dirfd(), spot.name()) {
            Ok(()) => return,
            Err(e) => {
                tracing::error!(
                    entry = %crate::logsafe::Escaped(&moved.display().to_string()),
                    error = %e,
                    "could not put back an entry that replaced an input while it was moved"
                );
                return;
            }
        }
    }
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
    fn published_files_are_not_private_to_the_daemon() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_atomic(dir.path(), "a.json", b"{}").unwrap();
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, umask_file_mode());
        assert_ne!(mode, 0o600, "umask 077 is not expected in tests");
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
    fn only_the_file_that_was_read_is_moved_never_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let src = dir.path().join("m.pdf");
        std::fs::write(&src, "read").unwrap();
        let read = FileId::of(&std::fs::metadata(&src).unwrap());
        // Replaced by a symlink after it was read (the file kept elsewhere,
        // so its inode number is not reused for the next file).
        std::fs::rename(&src, dir.path().join("kept")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &src).unwrap();
        assert!(matches!(
            move_into(Entry::path(&src), &out, "m.pdf", Some(read)),
            Err(MoveError::Replaced("a symbolic link"))
        ));
        assert!(std::fs::symlink_metadata(&src).unwrap().is_symlink());
        assert!(!out.join("m.pdf").exists());
        // Replaced by another file.
        std::fs::remove_file(&src).unwrap();
        std::fs::write(&src, "other").unwrap();
        assert!(matches!(
            move_into(Entry::path(&src), &out, "m.pdf", Some(read)),
            Err(MoveError::Replaced("another file"))
        ));
        assert_eq!(std::fs::read_to_string(&src).unwrap(), "other");
        // A symlink is not moved even when no identity is given.
        std::fs::remove_file(&src).unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &src).unwrap();
        assert!(move_into(Entry::path(&src), &out, "m.pdf", None).is_err());
    }

    #[test]
    fn move_never_overwrites_an_earlier_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        for content in ["first", "second"] {
            let src = dir.path().join("m.txt");
            std::fs::write(&src, content).unwrap();
            move_into(Entry::path(&src), &out, "m.txt", None).unwrap();
            assert!(!src.exists());
        }
        assert_eq!(std::fs::read_to_string(out.join("m.txt")).unwrap(), "first");
        assert_eq!(
            std::fs::read_to_string(out.join("m (2).txt")).unwrap(),
            "second"
        );
    }
}
