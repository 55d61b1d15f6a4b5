//! Daemon configuration: `config/minutes-watch.toml`, with every key optional.
//!
//! Unknown keys are errors, not warnings: a misspelt `quiet_period_ms` that
//! silently fell back to the default would make the daemon take half-written
//! files, and nobody would know why.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the committed configuration lives, relative to the working directory.
pub const DEFAULT_CONFIG_PATH: &str = "config/minutes-watch.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid configuration in {path}:\n{message}")]
    Invalid { path: PathBuf, message: String },
    /// The configuration with command-line overrides applied is invalid.
    #[error("invalid settings ({origin}):\n{message}")]
    Settings { origin: String, message: String },
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub paths: Paths,
    pub outbox: Outbox,
    pub watch: Watch,
    pub limits: Limits,
    pub extract: Extract,
    pub log: Log,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Paths {
    pub inbox: PathBuf,
    pub outbox: PathBuf,
    pub state: PathBuf,
    pub originals: PathBuf,
    pub failed: PathBuf,
    pub topics: PathBuf,
}

impl Default for Paths {
    fn default() -> Self {
        Self {
            inbox: "inbox".into(),
            outbox: "outbox".into(),
            state: "state".into(),
            originals: "outbox/originals".into(),
            failed: "inbox/failed".into(),
            topics: "config/topics.toml".into(),
        }
    }
}

impl Paths {
    /// Folders placed so that the daemon would feed on its own output: an
    /// output folder inside the inbox would have every document, original
    /// or error record taken again as new minutes (and again, forever); an
    /// inbox inside the outbox or state folder would publish into what it
    /// watches. The one exception is the failed folder at its default place
    /// `<inbox>/failed`, which the watcher skips (it is excluded in
    /// [`crate::watch::InboxFilter`]).
    ///
    /// Compared as absolute paths with `.` and `..` folded and symlinks
    /// resolved where the folders already exist, so `./inbox/../inbox/out`
    /// or a symlink into the inbox is caught too.
    fn nesting_problems(&self) -> Vec<String> {
        let inbox = resolve(&self.inbox);
        let mut problems = Vec::new();
        for (key, configured) in [
            ("paths.outbox", &self.outbox),
            ("paths.state", &self.state),
            ("paths.originals", &self.originals),
            ("paths.failed", &self.failed),
        ] {
            let dir = resolve(configured);
            if key == "paths.failed" && dir == inbox.join("failed") {
                continue;
            }
            if dir.starts_with(&inbox) {
                problems.push(format!(
                    "{key} ({}) is inside paths.inbox ({}): the daemon would take its own output as new minutes. Put it outside the inbox{}.",
                    configured.display(),
                    self.inbox.display(),
                    if key == "paths.failed" { " (or use the default, <inbox>/failed)" } else { "" },
                ));
            }
        }
        for (key, configured) in [
            ("paths.outbox", &self.outbox),
            ("paths.state", &self.state),
            ("paths.originals", &self.originals),
        ] {
            if inbox.starts_with(resolve(configured)) {
                problems.push(format!(
                    "paths.inbox ({}) is inside {key} ({}): the daemon would watch its own output. Put the inbox elsewhere.",
                    self.inbox.display(),
                    configured.display(),
                ));
            }
        }
        problems
    }
}

/// `path` as an absolute path with `.` and `..` folded, and symlinks
/// resolved in the longest part of it that exists.
fn resolve(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut folded = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                folded.pop();
            }
            other => folded.push(other),
        }
    }
    let mut existing = folded.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return folded,
        }
    }
}

/// How published files are written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Outbox {
    /// Permissions of documents, alerts and error records: "umask" (what
    /// the process umask allows for a new file: 0644 under the usual 022,
    /// 0640 under systemd's UMask=0027) or an octal mode such as "0640".
    pub file_mode: String,
}

impl Default for Outbox {
    fn default() -> Self {
        Self {
            file_mode: "umask".into(),
        }
    }
}

impl Outbox {
    /// The configured mode; None for "umask" (or an invalid value, which
    /// validation has already refused).
    pub fn file_mode(&self) -> Option<u32> {
        parse_mode(&self.file_mode).ok().flatten()
    }
}

/// "umask" is None; otherwise an octal mode of at most 0777.
fn parse_mode(text: &str) -> Result<Option<u32>, String> {
    if text == "umask" {
        return Ok(None);
    }
    let digits = text.strip_prefix("0o").unwrap_or(text);
    match u32::from_str_radix(digits, 8) {
        Ok(mode) if mode <= 0o777 && !digits.is_empty() => Ok(Some(mode)),
        _ => Err(format!(
            "outbox.file_mode = {text:?} is not \"umask\" or an octal mode such as \"0640\""
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WatchMode {
    Auto,
    Events,
    Poll,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Watch {
    pub mode: WatchMode,
    pub quiet_period_ms: u64,
    pub poll_interval_ms: u64,
    pub rescan_interval_secs: u64,
    /// A PDF whose trailer never arrives (an export cut short) is taken
    /// anyway once unchanged this long, to be repaired or set aside with a
    /// reason rather than waited for forever.
    pub incomplete_pdf_wait_secs: u64,
    pub ignore: Vec<String>,
}

impl Default for Watch {
    fn default() -> Self {
        Self {
            mode: WatchMode::Auto,
            quiet_period_ms: 2000,
            poll_interval_ms: 2000,
            rescan_interval_secs: 300,
            incomplete_pdf_wait_secs: 600,
            ignore: [
                "~$*",
                ".~lock.*#",
                "*.tmp",
                "*.part",
                "*.crdownload",
                "Thumbs.db",
                "desktop.ini",
                ".DS_Store",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

impl Watch {
    pub fn quiet_period(&self) -> Duration {
        Duration::from_millis(self.quiet_period_ms)
    }
    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_interval_ms.max(50))
    }
    pub fn incomplete_pdf_wait(&self) -> Duration {
        Duration::from_secs(self.incomplete_pdf_wait_secs)
    }
    /// None when periodic rescans are disabled.
    pub fn rescan_interval(&self) -> Option<Duration> {
        (self.rescan_interval_secs > 0).then(|| Duration::from_secs(self.rescan_interval_secs))
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    pub workers: usize,
    pub max_file_bytes: u64,
    /// The most text one input may hold (a text file's size, or a PDF's
    /// extracted text). Analysis holds the text several times over (items,
    /// document, JSON), so this is what bounds the daemon's memory per file.
    pub max_text_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            workers: 0,
            max_file_bytes: 100 * 1024 * 1024,
            max_text_bytes: 16 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// Worker count with 0 resolved to the number of cores.
    pub fn effective_workers(&self) -> usize {
        if self.workers > 0 {
            self.workers
        } else {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Extract {
    pub pdf_timeout_secs: u64,
    pub pdf_memory_mb: u64,
}

impl Default for Extract {
    fn default() -> Self {
        Self {
            pdf_timeout_secs: 60,
            pdf_memory_mb: 1024,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Log {
    pub format: LogFormat,
    pub level: String,
}

impl Default for Log {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            level: "info".into(),
        }
    }
}

const LOG_LEVELS: [&str; 5] = ["error", "warn", "info", "debug", "trace"];

impl Config {
    /// Parses configuration text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        // toml's message names the key, its line and column, and for an
        // unknown key the valid ones ("expected one of ...").
        let config: Config = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        config.validate().map_err(invalid)?;
        Ok(config)
    }

    /// Loads `path`; when `path` is None, the default file if it exists,
    /// else the built-in defaults.
    pub fn load(path: Option<&Path>) -> Result<(Self, Option<PathBuf>), ConfigError> {
        let (path, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from(DEFAULT_CONFIG_PATH), false),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok((Self::parse(&text, &path)?, Some(path))),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                Ok((Self::default(), None))
            }
            Err(source) => Err(ConfigError::Read { path, source }),
        }
    }

    /// Checks the configuration again after command-line overrides
    /// (`--inbox`, `--outbox`, `--state`): they get exactly the checks the
    /// file's values get. `origin` says where the values came from.
    pub fn revalidate(&self, origin: &str) -> Result<(), ConfigError> {
        self.validate().map_err(|message| ConfigError::Settings {
            origin: origin.to_string(),
            message,
        })
    }

    /// Checks values that parse but make no sense.
    fn validate(&self) -> Result<(), String> {
        let mut problems = Vec::new();
        if self.limits.max_file_bytes == 0 {
            problems.push("limits.max_file_bytes must be greater than 0".to_string());
        }
        if self.limits.max_text_bytes == 0 {
            problems.push("limits.max_text_bytes must be greater than 0".to_string());
        }
        if let Err(problem) = parse_mode(&self.outbox.file_mode) {
            problems.push(problem);
        }
        if self.extract.pdf_timeout_secs == 0 {
            problems.push("extract.pdf_timeout_secs must be greater than 0".to_string());
        }
        if self.extract.pdf_memory_mb < 64 {
            problems.push("extract.pdf_memory_mb must be at least 64".to_string());
        }
        if !LOG_LEVELS.contains(&self.log.level.to_ascii_lowercase().as_str()) {
            problems.push(format!(
                "log.level = {:?} is not one of: {}",
                self.log.level,
                LOG_LEVELS.join(", ")
            ));
        }
        for glob in &self.watch.ignore {
            if let Err(e) = globset::Glob::new(glob) {
                problems.push(format!("watch.ignore: {glob:?} is not a valid glob: {e}"));
            }
        }
        for (key, p) in [
            ("paths.inbox", &self.paths.inbox),
            ("paths.outbox", &self.paths.outbox),
            ("paths.state", &self.paths.state),
            ("paths.originals", &self.paths.originals),
            ("paths.failed", &self.paths.failed),
        ] {
            if p.as_os_str().is_empty() {
                problems.push(format!("{key} must not be empty"));
            }
        }
        problems.extend(self.paths.nesting_problems());
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_file_equals_builtin_defaults() {
        let text = include_str!("../config/minutes-watch.toml");
        let parsed = Config::parse(text, Path::new("minutes-watch.toml")).unwrap();
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn misspelt_key_names_key_line_and_valid_keys() {
        let text = "[watch]\nmode = \"poll\"\nquiet_period = 5\n";
        let err = Config::parse(text, Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("quiet_period"), "{err}");
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("quiet_period_ms"), "{err}");
    }

    #[test]
    fn unknown_section_is_rejected() {
        let err = Config::parse("[watcher]\n", Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("watcher") && err.contains("line 1"), "{err}");
    }

    #[test]
    fn bad_values_are_reported() {
        let err = Config::parse(
            "[log]\nlevel = \"loud\"\n[watch]\nmode = \"sometimes\"\n",
            Path::new("x.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("sometimes"), "{err}");
        let err = Config::parse("[log]\nlevel = \"loud\"\n", Path::new("x.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("loud"), "{err}");
    }

    #[test]
    fn output_folders_inside_the_inbox_and_the_inbox_inside_outputs_are_refused() {
        let parse = |paths: &str| Config::parse(&format!("[paths]\n{paths}"), Path::new("x.toml"));
        assert!(parse("").is_ok(), "defaults: failed is inbox/failed");
        for bad in [
            "outbox = \"inbox/outbox\"",
            "state = \"./inbox/../inbox/state\"",
            "originals = \"inbox/done\"",
            "failed = \"inbox/rejects\"",
            "failed = \"inbox\"",
            "inbox = \"outbox/in\"",
            "inbox = \"state\"",
        ] {
            let err = parse(bad).expect_err(bad).to_string();
            assert!(err.contains("inside"), "{bad}: {err}");
        }
        // Through a symlink into the inbox.
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("in");
        std::fs::create_dir_all(inbox.join("sub")).unwrap();
        let link = dir.path().join("out");
        std::os::unix::fs::symlink(inbox.join("sub"), &link).unwrap();
        let err = parse(&format!(
            "inbox = {inbox:?}\noutbox = {link:?}\noriginals = {:?}",
            dir.path().join("orig")
        ))
        .expect_err("outbox through a symlink")
        .to_string();
        assert!(err.contains("paths.outbox"), "{err}");
    }

    #[test]
    fn file_mode_is_umask_or_octal() {
        let mode = |v: &str| {
            Config::parse(
                &format!("[outbox]\nfile_mode = {v:?}\n"),
                Path::new("x.toml"),
            )
            .map(|c| c.outbox.file_mode())
        };
        assert_eq!(mode("umask").unwrap(), None);
        assert_eq!(mode("0640").unwrap(), Some(0o640));
        assert_eq!(mode("644").unwrap(), Some(0o644));
        for bad in ["0999", "rw-r-----", "04755", ""] {
            let err = mode(bad).expect_err(bad).to_string();
            assert!(err.contains("outbox.file_mode"), "{err}");
        }
    }

    #[test]
    fn missing_default_file_gives_builtin_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let cwd_independent = dir.path().join("absent.toml");
        assert!(Config::load(Some(&cwd_independent)).is_err());
    }
}
