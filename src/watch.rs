//! Stage 1: notice files in the inbox.
//!
//! Three sources feed one stream of candidate paths: filesystem events
//! (inotify via notify), a full listing at start-up and every
//! `rescan_interval` (events are lost when the kernel queue overflows or on
//! network mounts), and in polling mode a listing every `poll_interval`.
//! Nothing here decides whether a file is complete: that is [`crate::ingest`].

use crate::config::WatchMode;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Which files in the inbox are never candidates.
#[derive(Debug, Clone)]
pub struct InboxFilter {
    inbox: PathBuf,
    /// Folders inside the inbox that hold our own output (failed/).
    excluded: Vec<PathBuf>,
    ignore: GlobSet,
}

impl InboxFilter {
    pub fn new(
        inbox: &Path,
        excluded: &[PathBuf],
        ignore: &[String],
    ) -> Result<Self, globset::Error> {
        let mut set = GlobSetBuilder::new();
        for glob in ignore {
            set.add(Glob::new(glob)?);
        }
        Ok(Self {
            inbox: inbox.to_path_buf(),
            excluded: excluded
                .iter()
                .filter(|p| p.starts_with(inbox))
                .cloned()
                .collect(),
            ignore: set.build()?,
        })
    }

    /// True when `path` (inside the inbox) may be an input. Dot-files and
    /// dot-folders are never inputs: they are hidden system or sync files.
    pub fn accepts(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.inbox) else {
            return false;
        };
        if rel.as_os_str().is_empty() || self.excluded.iter().any(|e| path.starts_with(e)) {
            return false;
        }
        if rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            return false;
        }
        let name = path.file_name().unwrap_or_default();
        !(self.ignore.is_match(name) || self.ignore.is_match(rel))
    }

    fn accepts_dir(&self, path: &Path) -> bool {
        path == self.inbox || self.accepts(path)
    }
}

/// What a listing of the inbox found.
#[derive(Debug, Default)]
pub struct Listing {
    /// Regular files the filter accepts: candidates.
    pub files: Vec<PathBuf>,
    /// Entries that are never inputs but look as if someone meant them to
    /// be (a symlink, a FIFO, a folder named like a PDF), with why they are
    /// ignored: the daemon says so once, so nobody waits for them in vain.
    pub ignored: Vec<(PathBuf, &'static str)>,
}

/// Every regular file in the inbox that the filter accepts. Symlinks are
/// never followed, so nothing outside the inbox can be reached through one.
pub fn scan(filter: &InboxFilter) -> Listing {
    scan_under(filter, &filter.inbox)
}

/// Like [`scan`], for one folder inside the inbox.
pub fn scan_under(filter: &InboxFilter, dir: &Path) -> Listing {
    let mut listing = Listing::default();
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| !e.file_type().is_dir() || filter.accepts_dir(e.path()));
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                tracing::warn!(error = %crate::logsafe::Escaped(&err.to_string()), "cannot list part of the inbox");
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_file() {
            if filter.accepts(entry.path()) {
                listing.files.push(entry.into_path());
            }
        } else if let Some(why) = why_ignored(filter, entry.path(), file_type) {
            listing.ignored.push((entry.into_path(), why));
        }
    }
    listing
}

/// Why an entry that is not a regular file is never taken, when it is
/// worth saying: None for ordinary folders and for names the filter
/// ignores anyway.
pub(crate) fn why_ignored(
    filter: &InboxFilter,
    path: &Path,
    file_type: std::fs::FileType,
) -> Option<&'static str> {
    if file_type.is_file() || !filter.accepts(path) {
        return None;
    }
    if file_type.is_symlink() {
        return Some("a symbolic link: never followed, left where it is");
    }
    if file_type.is_dir() {
        let named_like_input = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf") || e.eq_ignore_ascii_case("txt"));
        return named_like_input.then_some(
            "a folder named like a file: not taken as minutes (files inside it are taken as a subfolder's)",
        );
    }
    Some(match crate::ingest::describe_file_type(file_type) {
        "a named pipe (FIFO)" => "a named pipe (FIFO), not a file: never read, left where it is",
        "a socket" => "a socket, not a file: never read, left where it is",
        "a device" => "a device, not a file: never read, left where it is",
        _ => "not a regular file: never read, left where it is",
    })
}

/// Linux filesystem magic numbers of mounts whose change events are unreliable.
const NETWORK_FS_MAGIC: &[(i64, &str)] = &[
    (0xFF53_4D42, "cifs"),
    (0xFE53_4D42, "smb2"),
    (0x517B, "smb"),
    (0x6969, "nfs"),
    (0x6573_5546, "fuse"),
    (0x0102_1997, "9p"),
    (0x6B41_4653, "afs"),
    (0x0BD0_0BD0, "lustre"),
];

/// The network filesystem `path` is on, if it is on one.
pub fn network_filesystem(path: &Path) -> Option<&'static str> {
    let stat = nix::sys::statfs::statfs(path).ok()?;
    #[allow(clippy::unnecessary_cast)]
    let magic = stat.filesystem_type().0 as i64;
    NETWORK_FS_MAGIC
        .iter()
        .find(|(m, _)| *m == magic)
        .map(|(_, name)| *name)
}

/// The mode actually used for `inbox` under the configured `mode`.
pub fn effective_mode(mode: WatchMode, inbox: &Path) -> WatchMode {
    match mode {
        WatchMode::Auto => match network_filesystem(inbox) {
            Some(fs) => {
                tracing::info!(filesystem = fs, "inbox is on a network filesystem: polling");
                WatchMode::Poll
            }
            None => WatchMode::Events,
        },
        other => other,
    }
}

/// Filesystem events, as candidate paths. Keeps the notify watcher alive.
pub struct EventSource {
    _watcher: notify::RecommendedWatcher,
    pub paths: mpsc::Receiver<PathBuf>,
    /// Set when events were dropped (our queue or the kernel's overflowed):
    /// the daemon answers with a full rescan.
    pub overflowed: Arc<AtomicBool>,
}

/// Watches `inbox` recursively. The queue is bounded: under a flood of
/// events the excess is dropped and `overflowed` raised, since a rescan
/// recovers everything and an unbounded queue could exhaust memory.
pub fn watch_events(inbox: &Path, capacity: usize) -> notify::Result<EventSource> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let (tx, rx) = mpsc::channel(capacity);
    let overflowed = Arc::new(AtomicBool::new(false));
    let flag = overflowed.clone();
    let handler = move |res: notify::Result<notify::Event>| match res {
        Ok(event) => {
            if event.need_rescan() {
                flag.store(true, Ordering::Relaxed);
            }
            if matches!(event.kind, EventKind::Remove(_) | EventKind::Access(_)) {
                return;
            }
            for path in event.paths {
                if tx.try_send(path).is_err() {
                    flag.store(true, Ordering::Relaxed);
                }
            }
        }
        Err(err) => {
            tracing::warn!(error = %err, "filesystem watch error; rescanning");
            flag.store(true, Ordering::Relaxed);
        }
    };
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut watcher = notify::RecommendedWatcher::new(handler, config)?;
    watcher.watch(inbox, RecursiveMode::Recursive)?;
    Ok(EventSource {
        _watcher: watcher,
        paths: rx,
        overflowed,
    })
}

/// Changes to one file (the taxonomy), however the editor saves it.
pub struct FileChanges {
    _watcher: notify::RecommendedWatcher,
    pub changes: mpsc::Receiver<()>,
}

/// Watches the folder holding `file` (editors replace files by renaming,
/// which a watch on the file itself would miss) and reports changes to it.
pub fn watch_file(file: &Path) -> notify::Result<FileChanges> {
    use notify::{RecursiveMode, Watcher};
    let file = std::path::absolute(file)?;
    let dir = file.parent().unwrap_or(Path::new("/")).to_path_buf();
    let (tx, rx) = mpsc::channel(1);
    let handler = move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            if !matches!(event.kind, notify::EventKind::Access(_))
                && event.paths.iter().any(|p| p == &file)
            {
                let _ = tx.try_send(());
            }
        }
    };
    let mut watcher = notify::RecommendedWatcher::new(handler, notify::Config::default())?;
    watcher.watch(&dir, RecursiveMode::NonRecursive)?;
    Ok(FileChanges {
        _watcher: watcher,
        changes: rx,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(inbox: &Path) -> InboxFilter {
        let cfg = crate::config::Watch::default();
        InboxFilter::new(inbox, &[inbox.join("failed")], &cfg.ignore).unwrap()
    }

    #[test]
    fn default_ignores_cover_office_and_browser_temporaries() {
        let f = filter(Path::new("/in"));
        for name in [
            "~$minutes.docx",
            ".~lock.minutes.odt#",
            "x.tmp",
            "x.pdf.part",
            "x.pdf.crdownload",
            "Thumbs.db",
            "desktop.ini",
            ".DS_Store",
            ".hidden.txt",
            "cyp/.sync/minutes.txt",
            "failed/bad.pdf",
        ] {
            assert!(
                !f.accepts(&Path::new("/in").join(name)),
                "{name} should be ignored"
            );
        }
        for name in ["minutes.pdf", "cyp/2020-07-09.txt", "failed.txt"] {
            assert!(
                f.accepts(&Path::new("/in").join(name)),
                "{name} should be taken"
            );
        }
        assert!(!f.accepts(Path::new("/elsewhere/minutes.pdf")));
    }

    #[test]
    fn scan_finds_nested_files_and_skips_symlinks_and_failed() {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("inbox");
        std::fs::create_dir_all(inbox.join("cyp/2021")).unwrap();
        std::fs::create_dir_all(inbox.join("failed")).unwrap();
        std::fs::write(inbox.join("a.txt"), "a").unwrap();
        std::fs::write(inbox.join("cyp/2021/b.pdf"), "b").unwrap();
        std::fs::write(inbox.join("failed/c.txt"), "c").unwrap();
        std::fs::write(inbox.join("~$d.docx"), "d").unwrap();
        let outside = dir.path().join("secret.txt");
        std::fs::write(&outside, "s").unwrap();
        std::os::unix::fs::symlink(&outside, inbox.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), inbox.join("linkdir")).unwrap();
        std::fs::create_dir_all(inbox.join("x.pdf")).unwrap();
        nix::unistd::mkfifo(&inbox.join("pipe.pdf"), nix::sys::stat::Mode::S_IRWXU).unwrap();
        let listing = scan(&filter(&inbox));
        let mut found = listing.files;
        found.sort();
        assert_eq!(
            found,
            vec![inbox.join("a.txt"), inbox.join("cyp/2021/b.pdf")]
        );
        let mut ignored: Vec<_> = listing.ignored.into_iter().map(|(p, _)| p).collect();
        ignored.sort();
        assert_eq!(
            ignored,
            vec![
                inbox.join("link.txt"),
                inbox.join("linkdir"),
                inbox.join("pipe.pdf"),
                inbox.join("x.pdf")
            ]
        );
    }
}
