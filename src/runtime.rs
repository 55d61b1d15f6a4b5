//! What the daemon holds while it runs: resolved folders, the current
//! taxonomy, the state databases. Built once at start-up; shared by workers.

use crate::classify::Classifier;
use crate::config::Config;
use crate::extract::isolate::PdfLimits;
use crate::ledger::Ledger;
use crate::publish;
use anyhow::{Context as _, Result};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

/// The follow-up ledger's file in the state folder.
pub const LEDGER_FILE: &str = "ledger.sqlite";

/// Everything needed to turn an input into a document, and nothing that
/// writes: `minutes-watch classify` uses this alone.
pub struct Analyzer {
    classifier: RwLock<Arc<Classifier>>,
    pub topics_path: PathBuf,
    pub pdf_limits: PdfLimits,
    /// `limits.max_text_bytes`: text beyond it is never analysed.
    pub max_text_bytes: u64,
}

/// Minutes written for [`Analyzer::warm_up`]: a heading, attendance, and
/// items with requests, due dates, owners, an action log and a deferral.
const WARM_UP_MINUTES: &str = "Children and Young People Scrutiny Committee

Minutes of the meeting held on 9 July 2020 at 6.00 pm

Present: Councillor Smith (Chair), Councillors Jones and Patel

1 Apologies for Absence

An apology for absence was received from Councillor Brown.

2 Minutes of the Previous Meeting

RESOLVED that the minutes of the meeting held on 4 June 2020 be approved. The report on school transport had been circulated. The SEND update was deferred to the September meeting.

3 Ofsted Inspection and SEND Improvement Plan

The Director of Children's Services presented the report on the budget, care leavers and foster carer recruitment. Members asked whether the £2m overspend would affect placements.

The Director agreed to bring a report on EHCP timeliness to the March meeting. The Chair asked officers to circulate the sufficiency data to members by 30/09/2020.

RESOLVED that (i) the report be noted; and (ii) a further update be provided to the Committee in September 2020.

ACTION - Head of Service to provide a breakdown of exclusions by school (Action: Clerk).

4 Work Programme

The Committee suggested that the following items be considered for inclusion in the Work Programme:
- Youth offending
- Mental health of young people
";

/// [`WARM_UP_MINUTES`] analysed as a document.
fn warm_up_document(classifier: &Classifier) -> Option<crate::model::Document> {
    let identity = crate::pipeline::InputIdentity {
        file: "warm-up.txt".into(),
        folder: String::new(),
        sha256: "0".repeat(64),
        bytes: WARM_UP_MINUTES.len() as u64,
    };
    let extracted = crate::extract::text::decode(WARM_UP_MINUTES.as_bytes()).ok()?;
    Some(crate::pipeline::analyse(&identity, extracted, classifier))
}

impl Analyzer {
    pub fn new(config: &Config, exe: PathBuf) -> Result<Self> {
        let classifier = load_taxonomy(&config.paths.topics)?;
        Ok(Self {
            classifier: RwLock::new(Arc::new(classifier)),
            topics_path: config.paths.topics.clone(),
            pdf_limits: pdf_limits(config, exe),
            max_text_bytes: config.limits.max_text_bytes,
        })
    }

    /// Reads a short set of minutes written for the purpose, so that every
    /// pattern of the analysis stages is compiled before the first real file
    /// and that file is not the one kept waiting for it.
    pub fn warm_up(&self) {
        if let Some(doc) = warm_up_document(&self.classifier()) {
            let _ = crate::ledger::Ledger::prepare(&doc);
        }
    }

    /// The taxonomy in force now. Workers take a snapshot per file, so a
    /// reload never changes tags half-way through a document.
    pub fn classifier(&self) -> Arc<Classifier> {
        match self.classifier.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Re-reads the topics file. An invalid edit is rejected with its
    /// reason and the previous taxonomy stays in force.
    pub fn reload_taxonomy(&self) -> Result<String> {
        let fresh = load_taxonomy(&self.topics_path)?;
        let version = fresh.version().to_string();
        match self.classifier.write() {
            Ok(mut c) => *c = Arc::new(fresh),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(fresh),
        }
        Ok(version)
    }
}

/// The configured limits for reading one PDF in a child process of `exe`.
pub fn pdf_limits(config: &Config, exe: PathBuf) -> PdfLimits {
    PdfLimits {
        timeout: Duration::from_secs(config.extract.pdf_timeout_secs),
        memory_bytes: config.extract.pdf_memory_mb * 1024 * 1024,
        exe,
    }
}

/// The configured size limits for reading an input.
pub fn read_limits(config: &Config) -> crate::ingest::ReadLimits {
    crate::ingest::ReadLimits {
        max_file_bytes: config.limits.max_file_bytes,
        max_text_bytes: config.limits.max_text_bytes,
    }
}

/// Loads the taxonomy file, or the built-in one when the file is absent.
pub fn load_taxonomy(path: &Path) -> Result<Classifier> {
    match std::fs::read_to_string(path) {
        Ok(text) => Classifier::from_toml(&text)
            .with_context(|| format!("invalid taxonomy in {}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::info!(path = %path.display(), "no taxonomy file: using the built-in taxonomy");
            Classifier::builtin().context("built-in taxonomy")
        }
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// The running daemon's shared state.
pub struct Context {
    pub config: Config,
    pub analyzer: Analyzer,
    /// Canonical (absolute, symlink-free) inbox path.
    pub inbox: PathBuf,
    pub documents_dir: PathBuf,
    pub alerts_dir: PathBuf,
    pub originals_dir: PathBuf,
    pub failed_dir: PathBuf,
    pub state_dir: PathBuf,
    ledger: Mutex<Ledger>,
    /// Held for the daemon's lifetime: two daemons on one state folder
    /// would both take the same files.
    _lock: nix::fcntl::Flock<std::fs::File>,
}

impl Context {
    /// Creates missing folders, opens the state databases, loads the taxonomy.
    pub fn open(config: Config, exe: PathBuf) -> Result<Self> {
        publish::set_file_mode(config.outbox.file_mode());
        let paths = &config.paths;
        let create = |dir: &Path| {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create folder {}", dir.display()))
        };
        let canon = |p: &Path| {
            std::fs::canonicalize(p).with_context(|| format!("cannot resolve {}", p.display()))
        };
        // The state lock comes before anything else is created: a second
        // daemon started by mistake (other folders on its command line,
        // say) must be refused without leaving folders behind. A state
        // folder that does not exist yet cannot be locked by anyone.
        create(&paths.state)?;
        let state_dir = canon(&paths.state)?;
        let lock = lock_state(&state_dir)?;
        for dir in [&paths.inbox, &paths.outbox, &paths.originals, &paths.failed] {
            create(dir)?;
        }
        let inbox = canon(&paths.inbox)?;
        let outbox = canon(&paths.outbox)?;
        let documents_dir = outbox.join("documents");
        let alerts_dir = outbox.join("alerts");
        for dir in [&documents_dir, &alerts_dir] {
            create(dir)?;
        }
        let originals_dir = canon(&paths.originals)?;
        let failed_dir = canon(&paths.failed)?;
        // A kill -9 mid-write leaves temporaries behind; none are in flight now.
        let cleaned = [&documents_dir, &alerts_dir]
            .map(|dir| (dir, publish::remove_stale_temporaries(dir)))
            .into_iter()
            .chain(
                [&originals_dir, &failed_dir]
                    .map(|dir| (dir, publish::remove_stale_temporaries_in_tree(dir))),
            );
        for (dir, result) in cleaned {
            match result {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(folder = %dir.display(), removed = n, "removed temporaries of an interrupted run")
                }
                Err(e) => {
                    tracing::warn!(folder = %dir.display(), error = %e, "cannot clean temporaries")
                }
            }
        }
        let ledger = Ledger::open(&state_dir.join(LEDGER_FILE)).with_context(|| {
            format!(
                "cannot open the follow-up ledger in {}",
                state_dir.display()
            )
        })?;
        warn_if_state_lost(&ledger, &documents_dir, &inbox);
        let analyzer = Analyzer::new(&config, exe)?;
        Ok(Self {
            ledger: Mutex::new(ledger),
            _lock: lock,
            originals_dir,
            failed_dir,
            analyzer,
            inbox,
            documents_dir,
            alerts_dir,
            state_dir,
            config,
        })
    }

    /// The configured size limits for reading an input.
    pub fn read_limits(&self) -> crate::ingest::ReadLimits {
        read_limits(&self.config)
    }

    fn ledger(&self) -> MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The document already published for these bytes, if any. The ledger
    /// records every published document by hash, in the same transaction
    /// as its follow-ups, so it is the one record of what is done.
    pub fn published_document(&self, sha256: &str) -> Result<Option<String>> {
        self.ledger()
            .document_for(sha256)
            .context("looking up the input in the ledger")
    }

    /// File name and inbox subfolder ("" at the top, `/`-separated) of a path.
    pub fn names(&self, path: &Path) -> (String, String) {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (file, folder_of(&self.inbox, path))
    }

    /// True when `path`'s real location is inside the inbox: a symlinked
    /// folder must never lead the daemon to files elsewhere.
    pub fn is_inside_inbox(&self, path: &Path) -> bool {
        path.parent()
            .and_then(|p| std::fs::canonicalize(p).ok())
            .is_some_and(|p| p.starts_with(&self.inbox))
    }

    /// Records the document's follow-ups in the ledger and publishes the
    /// alerts they cause. Returns how many alerts were written.
    ///
    /// Outbox pattern: the ledger stores each alert as pending in the same
    /// transaction that records the document; the file is then written
    /// under the alert's deterministic name and only then marked published.
    /// A crash anywhere in between finds the same file name again, and an
    /// existing alert file is never replaced: never a second alert, never a
    /// changed one.
    pub fn publish_alerts(&self, doc: &crate::model::Document, document: &str) -> Result<usize> {
        // Reading the items is the costly part: done before taking the lock.
        let prepared = Ledger::prepare(doc);
        let mut ledger = self.ledger();
        ledger
            .record_prepared(doc, prepared, document)
            .context("recording follow-ups in the ledger")?;
        self.flush_alerts(&mut ledger)
    }

    /// Writes every pending alert (at start-up: those a crash left behind).
    pub fn publish_pending_alerts(&self) -> Result<usize> {
        let mut ledger = self.ledger();
        self.flush_alerts(&mut ledger)
    }

    fn flush_alerts(&self, ledger: &mut Ledger) -> Result<usize> {
        let pending = ledger.pending_alerts().context("reading pending alerts")?;
        let mut written = Vec::with_capacity(pending.len());
        let result = pending.iter().try_for_each(|alert| -> Result<()> {
            let mut json = serde_json::to_vec_pretty(alert).context("serialising an alert")?;
            json.push(b'\n');
            let fresh =
                publish::write_new_pending_dir_sync(&self.alerts_dir, &alert.file_name(), &json)
                    .with_context(|| {
                        format!(
                            "writing alert {} in {}",
                            alert.id,
                            self.alerts_dir.display()
                        )
                    })?;
            written.push(alert.id.clone());
            if fresh {
                tracing::info!(alert = %alert.id, event = alert.event.as_str(), "alert published");
            } else {
                // A replay (crash before marking, lost ledger): the file a
                // consumer may already have read stays exactly as it was.
                tracing::info!(alert = %alert.id, event = alert.event.as_str(),
                    "alert already in the outbox: left as it is");
            }
            Ok(())
        });
        // One folder flush and one transaction for all of the document's alerts.
        if !written.is_empty() {
            publish::sync_dir(&self.alerts_dir)
                .with_context(|| format!("flushing {}", self.alerts_dir.display()))?;
            ledger
                .mark_all_published(&written)
                .context("marking alerts published")?;
        }
        result.map(|()| written.len())
    }
}

/// Why the state folder's lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("cannot open {path}: {source}")]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("another minutes-watch is already running with the state folder {state} ({errno}); stop it first")]
    Held { state: PathBuf, errno: nix::Error },
}

/// Takes the state folder's lock, or says which daemon holds it.
pub(crate) fn lock_state(state_dir: &Path) -> Result<nix::fcntl::Flock<std::fs::File>, LockError> {
    let path = state_dir.join("minutes-watch.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| LockError::Open {
            path: path.clone(),
            source,
        })?;
    nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock).map_err(
        |(_, errno)| LockError::Held {
            state: state_dir.to_path_buf(),
            errno,
        },
    )
}

/// Says loudly at start-up when the ledger has forgotten documents the
/// outbox holds: without it every input dropped again is analysed as new
/// and later minutes cannot answer earlier requests. The daemon still runs
/// (alert files already in the outbox are never replaced), but the operator
/// has to rebuild the ledger.
fn warn_if_state_lost(ledger: &Ledger, documents_dir: &Path, inbox: &Path) {
    use crate::recovery::{check_outbox, Verdict};
    match check_outbox(ledger, documents_dir, inbox) {
        Ok(check) => match check.verdict {
            Verdict::Consistent => {}
            Verdict::Interrupted => tracing::info!(
                unrecorded = check.unknown,
                "documents written just before the last stop are not in the ledger yet; their inputs are still in the inbox and will be processed again"
            ),
            Verdict::Lost => tracing::warn!(
                recorded = check.recorded,
                published = check.published,
                unknown = check.unknown,
                "the ledger records {} documents but {} holds {} ({} unknown to the ledger): state was lost or replaced; stop minutes-watch and run `minutes-watch rebuild-ledger` with the same configuration to rebuild the ledger from the outbox. Until then, inputs dropped again are processed as new (alert files already in the outbox are left as they are)",
                check.recorded,
                documents_dir.display(),
                check.published,
                check.unknown
            ),
        },
        Err(e) => tracing::warn!(error = %e, "cannot compare the ledger with the outbox"),
    }
}

/// Inbox subfolder of `path` with `/` separators; "" for the inbox itself.
pub fn folder_of(inbox: &Path, path: &Path) -> String {
    path.parent()
        .and_then(|p| p.strip_prefix(inbox).ok())
        .map(|rel| {
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The warm-up only compiles what it reaches: its minutes must come out
    /// as items with topics, requests with due dates, and a meeting.
    #[test]
    fn warm_up_minutes_reach_every_stage() {
        let classifier = Classifier::builtin().expect("built-in taxonomy");
        let doc = warm_up_document(&classifier).expect("warm-up minutes decode");
        assert_eq!(doc.meeting.date.as_deref(), Some("2020-07-09"));
        assert!(doc.items.len() >= 4, "{:?}", doc.items.len());
        assert!(doc.items.iter().any(|i| !i.topics.is_empty()));
        assert!(doc.follow_ups.len() >= 3, "{:#?}", doc.follow_ups);
        assert!(doc.follow_ups.iter().any(|f| f
            .due
            .as_ref()
            .and_then(|d| d.date.as_deref())
            .is_some()));
    }
}
