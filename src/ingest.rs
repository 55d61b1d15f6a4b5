//! Stage 2: decide when a file in the inbox is complete, then read it.
//!
//! Officers copy files over SMB, browsers download into the folder, Word
//! saves in several steps: a file that exists is not yet a file that is
//! finished. A file is taken only when its size and modification time have
//! stayed the same for the quiet period and, for a PDF, its trailer (`%%EOF`)
//! has arrived. An incomplete file is simply looked at again later.

use sha2::{Digest, Sha256};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::io::{Read, Seek, SeekFrom};
use std::os::fd::RawFd;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// What we last saw of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    pub size: u64,
    pub modified: Option<SystemTime>,
}

impl Observation {
    /// None when the path is gone, or is not a regular file (symlinks
    /// included: they are never followed).
    pub fn of(path: &Path) -> Option<Self> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        meta.file_type().is_file().then(|| Self {
            size: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// What the tracker says about a file whose check is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Unchanged for the quiet period: take it.
    Ready,
    /// Changed since last look, or a PDF without its trailer: look again later.
    NotYet,
    /// Gone (moved away, deleted) or no longer a regular file.
    Gone,
}

struct Tracked {
    seen: Observation,
    since: Instant,
}

/// Files seen but not yet taken, with when to look at each again.
///
/// Memory is one small entry per waiting file, so a backlog of many
/// thousands of files costs little; checks are scheduled, not polled, so an
/// idle daemon does no work.
pub struct Tracker {
    quiet: Duration,
    incomplete_wait: Duration,
    files: HashMap<PathBuf, Tracked>,
    due: BinaryHeap<Reverse<(Instant, PathBuf)>>,
}

impl Tracker {
    /// `incomplete_wait`: how long a PDF without its trailer may stay
    /// unchanged before it is taken all the same.
    pub fn new(quiet: Duration, incomplete_wait: Duration) -> Self {
        Self {
            quiet,
            incomplete_wait,
            files: HashMap::new(),
            due: BinaryHeap::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn contains(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }

    /// Notes that `path` exists or changed. A file already tracked keeps its
    /// schedule: a change is discovered when its check is due.
    pub fn observe(&mut self, path: PathBuf, seen: Observation, now: Instant) {
        if self.files.contains_key(&path) {
            return;
        }
        self.due.push(Reverse((now + self.quiet, path.clone())));
        self.files.insert(path, Tracked { seen, since: now });
    }

    /// When the next check is due, if any file is waiting.
    pub fn next_due(&self) -> Option<Instant> {
        self.due.peek().map(|Reverse((t, _))| *t)
    }

    /// Paths whose check is due at `now`, removed from the schedule. The
    /// caller checks each with [`Tracker::check`].
    pub fn take_due(&mut self, now: Instant) -> Vec<PathBuf> {
        let mut out = Vec::new();
        while let Some(Reverse((t, _))) = self.due.peek() {
            if *t > now {
                break;
            }
            if let Some(Reverse((_, path))) = self.due.pop() {
                if self.files.contains_key(&path) {
                    out.push(path);
                }
            }
        }
        out
    }

    /// Compares what is seen now with what was seen before. `complete` is
    /// asked only when the file has been still for the quiet period (it may
    /// read the file). Ready and Gone files leave the tracker; NotYet ones
    /// are rescheduled.
    pub fn check(
        &mut self,
        path: &Path,
        seen_now: Option<Observation>,
        now: Instant,
        complete: impl FnOnce() -> bool,
    ) -> Verdict {
        let Some(seen_now) = seen_now else {
            self.files.remove(path);
            return Verdict::Gone;
        };
        let Some(tracked) = self.files.get_mut(path) else {
            return Verdict::Gone;
        };
        if tracked.seen != seen_now {
            tracked.seen = seen_now;
            tracked.since = now;
        } else if now.duration_since(tracked.since) >= self.quiet
            && (complete() || now.duration_since(tracked.since) >= self.incomplete_wait)
        {
            self.files.remove(path);
            return Verdict::Ready;
        }
        let at = (tracked.since + self.quiet).max(now + self.quiet / 2);
        self.due.push(Reverse((at, path.to_path_buf())));
        Verdict::NotYet
    }

    /// Tracks `path` again after a failure that was not the file's fault
    /// (outbox full, database busy): the next look is after `delay`.
    pub fn retry_later(&mut self, path: PathBuf, seen: Observation, now: Instant, delay: Duration) {
        self.files.remove(&path);
        self.due.push(Reverse((now + delay, path.clone())));
        // Backdated so the file is ready at the retry if it has not changed.
        let since = now.checked_sub(self.quiet).unwrap_or(now);
        self.files.insert(path, Tracked { seen, since });
    }

    /// Forgets a file (taken by another route, or shutting down).
    pub fn forget(&mut self, path: &Path) {
        self.files.remove(path);
    }
}

/// Whether a file that says it is a PDF has its end-of-file marker. Files
/// that are not PDFs are complete as soon as they are still. Opened like an
/// input ([`read_input_within`]): a symlink swapped in meanwhile, for the
/// file or a folder on its way, is not followed.
pub fn pdf_is_complete(inbox: &Path, path: &Path) -> Result<bool, ReadError> {
    let (folder, name) = split_entry(inbox, path)?;
    let (mut file, _) = Entry::at(&folder, name).open_regular()?;
    let mut head = [0u8; 1024];
    let n = read_up_to(&mut file, &mut head)?;
    if !crate::extract::pdf::looks_like_pdf(&head[..n]) {
        return Ok(true);
    }
    let len = file.metadata()?.len();
    // The trailer may be followed by a little whitespace or junk.
    let tail_len = len.min(2048);
    file.seek(SeekFrom::Start(len - tail_len))?;
    let mut tail = Vec::with_capacity(tail_len as usize);
    file.take(tail_len).read_to_end(&mut tail)?;
    Ok(tail.windows(5).any(|w| w == b"%%EOF"))
}

/// Fills `buf` from the start of `file` without moving its offset.
fn read_at_up_to(file: &std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    use std::os::unix::fs::FileExt;
    let mut filled = 0;
    while filled < buf.len() {
        match file.read_at(&mut buf[filled..], filled as u64)? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// An input read into memory, identified by its content.
///
/// The bytes are shared (`Arc`) because the PDF reader's child process is
/// fed them from a thread of its own: those bytes, read once from one open
/// descriptor, are the only ones hashed and analysed. The path is never
/// opened a second time, so swapping the inbox entry for a symlink cannot
/// change what is read.
#[derive(Debug, Clone)]
pub struct Input {
    pub bytes: Arc<Vec<u8>>,
    pub sha256: String,
    /// The file that was read, to check that the entry about to be moved
    /// out of the inbox is still that file and not something swapped in.
    pub id: Option<FileId>,
}

impl Input {
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        let sha256 = hex::encode(Sha256::digest(&bytes));
        Self {
            bytes: Arc::new(bytes),
            sha256,
            id: None,
        }
    }

    /// Lets go of the bytes (this handle's share of them) once they are
    /// no longer needed; the hash and identity stay.
    pub fn release_bytes(&mut self) {
        self.bytes = Arc::default();
    }

    /// First 12 hex digits of the hash: unique enough to tell inputs of the
    /// same name apart in the outbox, short enough to read.
    pub fn short_hash(&self) -> &str {
        &self.sha256[..12]
    }
}

/// Which file an open descriptor or a directory entry is (device, inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    pub fn of(meta: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        Self {
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the file is {bytes} bytes, over the {limit} byte limit")]
    TooLarge { bytes: u64, limit: u64 },
    /// Not a PDF, and larger than the text limit: refused before it is
    /// read, so a huge text file costs no memory.
    #[error("the file holds {bytes} bytes of text, over the {limit} byte limit")]
    TooMuchText { bytes: u64, limit: u64 },
    /// A symlink, folder, FIFO, socket or device: never an input.
    #[error("it is {0}, not a regular file")]
    NotAFile(&'static str),
}

/// What kind of non-file an entry is, in words for the log.
pub(crate) fn describe_file_type(file_type: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_dir() {
        "a folder"
    } else if file_type.is_fifo() {
        "a named pipe (FIFO)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

/// A folder inside the inbox, opened one component at a time from the
/// inbox itself, never following a symlink: a subfolder swapped for a
/// symlink to a folder elsewhere fails to open (`O_NOFOLLOW`) instead of
/// leading there. Files are then opened, checked and moved relative to it.
#[derive(Debug)]
pub struct InboxFolder {
    fd: std::os::fd::OwnedFd,
}

impl InboxFolder {
    /// Opens `dir`, which must be `inbox` or inside it (both as the daemon
    /// names them: `inbox` canonical, `dir` built from it).
    pub fn open(inbox: &Path, dir: &Path) -> Result<Self, ReadError> {
        use nix::fcntl::OFlag;
        use std::path::Component;
        let rel = dir
            .strip_prefix(inbox)
            .map_err(|_| ReadError::NotAFile("outside the inbox"))?;
        let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
        // The inbox itself is the configured, trusted folder.
        let mut folder = Self::at(None, inbox, flags)?;
        for component in rel.components() {
            let Component::Normal(name) = component else {
                return Err(ReadError::NotAFile("outside the inbox"));
            };
            folder = match Self::at(
                Some(folder.raw()),
                Path::new(name),
                flags | OFlag::O_NOFOLLOW,
            ) {
                // O_NOFOLLOW | O_DIRECTORY on a symlink fails with ENOTDIR
                // or ELOOP: say which it is.
                Err(ReadError::NotAFile(_)) => {
                    let (_, what) = Entry::at(&folder, Path::new(name)).identify()?;
                    return Err(ReadError::NotAFile(match what {
                        Some("a symbolic link") => "a symbolic link in place of its folder",
                        _ => "something else in place of its folder",
                    }));
                }
                other => other?,
            };
        }
        Ok(folder)
    }

    fn at(dir: Option<RawFd>, name: &Path, flags: nix::fcntl::OFlag) -> Result<Self, ReadError> {
        let raw = nix::fcntl::openat(dir, name, flags, nix::sys::stat::Mode::empty())
            .map_err(open_error)?;
        // SAFETY: `raw` was just returned by openat and belongs to no one else.
        let fd = unsafe { <std::os::fd::OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(raw) };
        Ok(Self { fd })
    }

    fn raw(&self) -> RawFd {
        std::os::fd::AsRawFd::as_raw_fd(&self.fd)
    }
}

/// An entry to open, check or move: a name in an [`InboxFolder`], or a
/// plain path (relative to the working directory).
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    folder: Option<&'a InboxFolder>,
    name: &'a Path,
}

impl<'a> Entry<'a> {
    /// `name` (one path component) in `folder`.
    pub fn at(folder: &'a InboxFolder, name: &'a Path) -> Self {
        Self {
            folder: Some(folder),
            name,
        }
    }

    /// A plain path: only its last component is not followed if a symlink.
    pub fn path(path: &'a Path) -> Self {
        Self {
            folder: None,
            name: path,
        }
    }

    pub(crate) fn dirfd(&self) -> Option<RawFd> {
        self.folder.map(InboxFolder::raw)
    }

    pub(crate) fn name(&self) -> &'a Path {
        self.name
    }

    /// Another name in the same folder (or another path).
    pub(crate) fn with_name<'b>(&self, name: &'b Path) -> Entry<'b>
    where
        'a: 'b,
    {
        Entry {
            folder: self.folder,
            name,
        }
    }

    /// Opens the entry for reading only if it is a regular file, without
    /// following a symlink (`O_NOFOLLOW`) and without blocking on a FIFO
    /// (`O_NONBLOCK`: opening a pipe for reading would otherwise wait for
    /// a writer forever).
    pub fn open_regular(&self) -> Result<(std::fs::File, std::fs::Metadata), ReadError> {
        use nix::fcntl::OFlag;
        let flags = OFlag::O_RDONLY | OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC;
        let raw = nix::fcntl::openat(
            self.dirfd(),
            self.name,
            flags,
            nix::sys::stat::Mode::empty(),
        )
        .map_err(open_error)?;
        // SAFETY: `raw` was just returned by openat and belongs to no one else.
        let file = unsafe { <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(raw) };
        let meta = file.metadata()?;
        if !meta.file_type().is_file() {
            return Err(ReadError::NotAFile(describe_file_type(meta.file_type())));
        }
        Ok((file, meta))
    }

    /// What the entry is now (not following a symlink): which file, and
    /// what kind of entry if it is not a regular file.
    pub fn identify(&self) -> std::io::Result<(FileId, Option<&'static str>)> {
        use nix::sys::stat::SFlag;
        let stat = nix::sys::stat::fstatat(
            self.dirfd(),
            self.name,
            nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW,
        )?;
        let id = FileId {
            dev: stat.st_dev as u64,
            ino: stat.st_ino as u64,
        };
        let kind = SFlag::from_bits_truncate(stat.st_mode & SFlag::S_IFMT.bits());
        let other = match kind {
            SFlag::S_IFREG => None,
            SFlag::S_IFLNK => Some("a symbolic link"),
            SFlag::S_IFDIR => Some("a folder"),
            SFlag::S_IFIFO => Some("a named pipe (FIFO)"),
            SFlag::S_IFSOCK => Some("a socket"),
            SFlag::S_IFBLK | SFlag::S_IFCHR => Some("a device"),
            _ => Some("not a regular file"),
        };
        Ok((id, other))
    }
}

/// Open errors that say the entry is not a file to read.
fn open_error(errno: nix::errno::Errno) -> ReadError {
    match errno {
        // O_NOFOLLOW on a symlink fails with ELOOP.
        nix::errno::Errno::ELOOP => ReadError::NotAFile("a symbolic link"),
        // Opening a socket fails with ENXIO.
        nix::errno::Errno::ENXIO => ReadError::NotAFile("a socket"),
        // A folder on the way is no longer a folder.
        nix::errno::Errno::ENOTDIR => ReadError::NotAFile("not in a folder of the inbox"),
        other => ReadError::Io(other.into()),
    }
}

/// Size limits for reading one input.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Any file.
    pub max_file_bytes: u64,
    /// A file that is not a PDF (it will be decoded as text).
    pub max_text_bytes: u64,
}

/// Reads a file once, from one descriptor, without following a symlink,
/// refusing files over the limits.
pub fn read_input(path: &Path, limits: ReadLimits) -> Result<Input, ReadError> {
    read_entry(Entry::path(path), limits)
}

/// [`read_input`] for a file in the inbox: no symlink is followed at any
/// level between the inbox and the file.
pub fn read_input_within(
    inbox: &Path,
    path: &Path,
    limits: ReadLimits,
) -> Result<Input, ReadError> {
    let (folder, name) = split_entry(inbox, path)?;
    read_entry(Entry::at(&folder, name), limits)
}

/// The inbox folder holding `path` (opened as [`InboxFolder`]), and its name.
pub fn split_entry<'p>(inbox: &Path, path: &'p Path) -> Result<(InboxFolder, &'p Path), ReadError> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(ReadError::NotAFile("not a file name"));
    };
    Ok((InboxFolder::open(inbox, parent)?, Path::new(name)))
}

fn read_entry(entry: Entry<'_>, limits: ReadLimits) -> Result<Input, ReadError> {
    let (mut file, meta) = entry.open_regular()?;
    let len = meta.len();
    let limit = limits.max_file_bytes;
    if len > limit {
        return Err(ReadError::TooLarge { bytes: len, limit });
    }
    let too_much_text = |bytes: u64| ReadError::TooMuchText {
        bytes,
        limit: limits.max_text_bytes,
    };
    if len > limits.max_text_bytes {
        // Its start says whether it is a PDF; read at an offset, so the
        // whole read below still starts at the beginning.
        let mut head = [0u8; 1024];
        let n = read_at_up_to(&file, &mut head)?;
        if !crate::extract::pdf::looks_like_pdf(&head[..n]) {
            return Err(too_much_text(len));
        }
    }
    let mut bytes = Vec::with_capacity(len as usize);
    (&mut file).take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            bytes: bytes.len() as u64,
            limit,
        });
    }
    // It grew while being read.
    if bytes.len() as u64 > limits.max_text_bytes && !crate::extract::pdf::looks_like_pdf(&bytes) {
        return Err(too_much_text(bytes.len() as u64));
    }
    let mut input = Input::from_bytes(bytes);
    input.id = Some(FileId::of(&meta));
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(size: u64) -> Observation {
        Observation {
            size,
            modified: None,
        }
    }

    fn obs(size: u64) -> Option<Observation> {
        Some(seen(size))
    }

    #[test]
    fn file_is_ready_only_after_a_quiet_period_without_change() {
        let quiet = Duration::from_secs(2);
        let mut t = Tracker::new(quiet, Duration::from_secs(600));
        let t0 = Instant::now();
        let p = PathBuf::from("/in/a.txt");
        t.observe(p.clone(), seen(10), t0);
        assert!(t.take_due(t0 + Duration::from_secs(1)).is_empty());
        assert_eq!(t.take_due(t0 + quiet), vec![p.clone()]);
        // It grew meanwhile: not ready, rescheduled.
        assert_eq!(t.check(&p, obs(20), t0 + quiet, || true), Verdict::NotYet);
        let next = t.next_due().unwrap();
        assert!(next >= t0 + quiet * 2);
        assert_eq!(t.take_due(next), vec![p.clone()]);
        assert_eq!(t.check(&p, obs(20), next, || true), Verdict::Ready);
        assert!(t.is_empty());
    }

    #[test]
    fn incomplete_pdf_is_rechecked_not_failed() {
        let quiet = Duration::from_millis(100);
        let mut t = Tracker::new(quiet, Duration::from_secs(600));
        let t0 = Instant::now();
        let p = PathBuf::from("/in/a.pdf");
        t.observe(p.clone(), seen(10), t0);
        t.take_due(t0 + quiet);
        assert_eq!(t.check(&p, obs(10), t0 + quiet, || false), Verdict::NotYet);
        assert!(t.contains(&p));
        let next = t.next_due().unwrap();
        t.take_due(next);
        assert_eq!(t.check(&p, obs(10), next, || true), Verdict::Ready);
    }

    #[test]
    fn pdf_whose_trailer_never_comes_is_taken_after_the_long_wait() {
        let quiet = Duration::from_millis(100);
        let wait = Duration::from_secs(60);
        let mut t = Tracker::new(quiet, wait);
        let t0 = Instant::now();
        let p = PathBuf::from("/in/cut-short.pdf");
        t.observe(p.clone(), seen(10), t0);
        assert_eq!(t.check(&p, obs(10), t0 + quiet, || false), Verdict::NotYet);
        assert_eq!(
            t.check(&p, obs(10), t0 + wait - quiet, || false),
            Verdict::NotYet
        );
        // Still growing: the wait starts again from the last change.
        assert_eq!(t.check(&p, obs(11), t0 + wait, || false), Verdict::NotYet);
        assert_eq!(
            t.check(&p, obs(11), t0 + wait + quiet, || false),
            Verdict::NotYet
        );
        assert_eq!(
            t.check(&p, obs(11), t0 + wait * 2, || false),
            Verdict::Ready
        );
    }

    #[test]
    fn vanished_file_is_dropped() {
        let mut t = Tracker::new(Duration::ZERO, Duration::from_secs(600));
        let now = Instant::now();
        let p = PathBuf::from("/in/a.txt");
        t.observe(p.clone(), seen(1), now);
        assert_eq!(t.check(&p, None, now, || true), Verdict::Gone);
        assert!(t.is_empty());
    }

    #[test]
    fn pdf_trailer_detection() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("a.pdf");
        std::fs::write(&pdf, b"%PDF-1.4\n1 0 obj\n").unwrap();
        assert!(!pdf_is_complete(dir.path(), &pdf).unwrap());
        std::fs::write(&pdf, b"%PDF-1.4\n1 0 obj\nendobj\ntrailer\n%%EOF\r\n").unwrap();
        assert!(pdf_is_complete(dir.path(), &pdf).unwrap());
        let txt = dir.path().join("a.txt");
        std::fs::write(&txt, b"minutes").unwrap();
        assert!(pdf_is_complete(dir.path(), &txt).unwrap());
    }

    #[test]
    fn a_folder_on_the_way_that_is_a_symlink_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("inbox");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(inbox.join("real")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("m.txt"), "secret").unwrap();
        std::fs::write(inbox.join("real/m.txt"), "minutes").unwrap();
        std::os::unix::fs::symlink(&outside, inbox.join("sub")).unwrap();
        let limits = ReadLimits {
            max_file_bytes: 100,
            max_text_bytes: 100,
        };
        let input = read_input_within(&inbox, &inbox.join("real/m.txt"), limits).unwrap();
        assert_eq!(input.bytes.as_slice(), b"minutes");
        assert!(matches!(
            read_input_within(&inbox, &inbox.join("sub/m.txt"), limits),
            Err(ReadError::NotAFile(
                "a symbolic link in place of its folder"
            ))
        ));
        assert!(pdf_is_complete(&inbox, &inbox.join("sub/m.txt")).is_err());
        assert!(read_input_within(&inbox, &outside.join("m.txt"), limits).is_err());
    }

    #[test]
    fn read_input_hashes_and_enforces_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"abc").unwrap();
        let limits = |max_file_bytes, max_text_bytes| ReadLimits {
            max_file_bytes,
            max_text_bytes,
        };
        let input = read_input(&p, limits(10, 10)).unwrap();
        assert_eq!(
            input.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(input.short_hash(), "ba7816bf8f01");
        assert!(matches!(
            read_input(&p, limits(2, 10)),
            Err(ReadError::TooLarge { .. })
        ));
        assert!(matches!(
            read_input(&p, limits(10, 2)),
            Err(ReadError::TooMuchText { .. })
        ));
        // The text limit is for text: a PDF over it is read.
        let pdf = dir.path().join("a.pdf");
        std::fs::write(&pdf, b"%PDF-1.4 and more").unwrap();
        assert!(read_input(&pdf, limits(100, 2)).is_ok());
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&p, &link).unwrap();
        assert!(
            matches!(
                read_input(&link, limits(10, 10)),
                Err(ReadError::NotAFile(_))
            ),
            "symlinks are never followed"
        );
        let fifo = dir.path().join("pipe.pdf");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        // Must not block waiting for a writer.
        assert!(matches!(
            read_input(&fifo, limits(10, 10)),
            Err(ReadError::NotAFile(_))
        ));
        assert!(matches!(
            read_input(dir.path(), limits(10, 10)),
            Err(ReadError::NotAFile(_))
        ));
    }
}
