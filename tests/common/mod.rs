//! Helpers for the integration tests: a real `minutes-watch` process on
//! temporary folders, and waiting on conditions with deadlines.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_minutes-watch");

/// `../shared` beside the repository, when present.
pub fn shared_dir() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    p.is_dir().then_some(p)
}

/// The real seed minutes, or None (and a message) when they are absent.
pub fn seeds() -> Option<Vec<PathBuf>> {
    let dir = shared_dir()?.join("seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    if files.is_empty() {
        None
    } else {
        Some(files)
    }
}

/// `../shared`, or None (with a message) on a developer's machine without
/// it. Under CI the corpus is always there, so its absence is a failure.
pub fn shared_or_skip() -> Option<PathBuf> {
    match shared_dir() {
        Some(dir) => Some(dir),
        None if std::env::var_os("CI").is_some() => {
            panic!("../shared is missing: CI always provides the shared corpus")
        }
        None => {
            eprintln!("SKIPPED: ../shared is not present next to the repository");
            None
        }
    }
}

#[macro_export]
macro_rules! require_seeds {
    () => {
        match common::seeds() {
            Some(s) => s,
            None => {
                eprintln!("SKIPPED: ../shared/seeds is not present next to the repository");
                return;
            }
        }
    };
}

/// Polls `cond` until it holds or `timeout` passes; panics with `what` then.
pub fn wait_until(what: &str, timeout: Duration, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if cond() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    assert!(cond(), "timed out after {timeout:?} waiting for: {what}");
}

/// Files (not folders) directly in `dir`, sorted; empty when it is absent.
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Every regular file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else if p.is_file() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A temporary installation: inbox, outbox, state and a config file.
pub struct Install {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
}

impl Install {
    pub fn new(extra_watch: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let config = root.join("minutes-watch.toml");
        let topics = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/topics.toml");
        std::fs::write(
            &config,
            format!(
                "[paths]\ninbox = {:?}\noutbox = {:?}\nstate = {:?}\noriginals = {:?}\nfailed = {:?}\ntopics = {:?}\n\
                 [watch]\nquiet_period_ms = 300\nrescan_interval_secs = 30\n{extra_watch}\n\
                 [extract]\npdf_timeout_secs = 30\n",
                root.join("inbox"),
                root.join("outbox"),
                root.join("state"),
                root.join("outbox/originals"),
                root.join("inbox/failed"),
                topics,
            ),
        )
        .expect("write config");
        std::fs::create_dir_all(root.join("inbox")).expect("inbox");
        Self { dir, config }
    }

    pub fn inbox(&self) -> PathBuf {
        self.dir.path().join("inbox")
    }
    pub fn failed(&self) -> PathBuf {
        self.inbox().join("failed")
    }
    pub fn documents(&self) -> PathBuf {
        self.dir.path().join("outbox/documents")
    }
    pub fn alerts(&self) -> PathBuf {
        self.dir.path().join("outbox/alerts")
    }
    pub fn originals(&self) -> PathBuf {
        self.dir.path().join("outbox/originals")
    }

    pub fn start(&self) -> Daemon {
        let log = std::fs::File::create(self.dir.path().join(format!(
            "daemon-{}.log",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        )))
        .expect("log file");
        let child = Command::new(BIN)
            .args(["run", "--config"])
            .arg(&self.config)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start minutes-watch");
        Daemon { child: Some(child) }
    }

    /// Files waiting in the inbox (not counting the failed folder).
    pub fn waiting(&self) -> Vec<PathBuf> {
        files_under(&self.inbox())
            .into_iter()
            .filter(|p| !p.starts_with(self.failed()))
            .collect()
    }

    /// All daemon logs so far, for assertions and failure messages.
    pub fn logs(&self) -> String {
        let mut s = String::new();
        for f in files_in(self.dir.path()) {
            if f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("daemon-"))
            {
                s.push_str(&std::fs::read_to_string(&f).unwrap_or_default());
            }
        }
        s
    }
}

pub struct Daemon {
    child: Option<Child>,
}

impl Daemon {
    pub fn pid(&self) -> i32 {
        self.child.as_ref().map(|c| c.id() as i32).unwrap_or(0)
    }

    pub fn signal(&self, sig: nix::sys::signal::Signal) {
        let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(self.pid()), sig);
    }

    /// Waits for exit up to `timeout`; None if still running.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        let child = self.child.as_mut()?;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                self.child = None;
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Reads a JSON file.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Asserts that `doc` matches docs/document.schema.json.
pub fn assert_valid_document(doc: &serde_json::Value) {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let schema =
            read_json(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/document.schema.json"));
        jsonschema::validator_for(&schema).expect("docs/document.schema.json is a valid schema")
    });
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "document does not match the schema:\n{}",
        errors.join("\n")
    );
}

/// The minutes-watch binary, run as the isolated PDF reader.
pub fn reader_exe() -> PathBuf {
    PathBuf::from(BIN)
}

impl Daemon {
    /// Wraps a process started by a test itself (killed when dropped).
    pub fn from_child(child: Child) -> Self {
        Daemon { child: Some(child) }
    }
}
