//! The long-running service: discovers files, waits until each is complete,
//! and hands it to a bounded pool of workers.
//!
//! One coordinator task owns the bookkeeping (which files are being watched,
//! which are being worked on). The one thing it shares is the queue of files
//! ready for work: a worker that finishes takes the next file itself, so a
//! backlog never waits on a round trip through the coordinator. Filesystem
//! work that may be slow (listing a network share, reading, parsing) runs on
//! blocking threads, never on the async runtime.

use crate::config::WatchMode;
use crate::ingest::{self, Observation, Tracker, Verdict};
use crate::logsafe::Escaped;
use crate::runtime::Context;
use crate::watch::{self, InboxFilter};
use crate::worker::{self, Outcome};
use anyhow::{Context as _, Result};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::{mpsc, Semaphore};

/// How long in-flight files may take to finish after SIGTERM before the
/// daemon exits anyway (their inputs stay in the inbox and are redone).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// Delay before retrying a file that failed for a reason not its own.
const RETRY_DELAY: Duration = Duration::from_secs(30);
/// Filesystem events queued before the excess is dropped for a rescan.
const EVENT_QUEUE: usize = 8192;

/// Sends panics to the log as one escaped line. The default hook prints
/// the panic message raw, and a message about odd input can quote that
/// input: newlines and all, it could forge log lines. The worker that
/// panicked still reports the file (set aside or retried).
pub fn log_panics() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let location = info.location().map(|l| l.to_string()).unwrap_or_default();
        tracing::error!(
            panic = %Escaped(&message),
            location = %location,
            "a fault in minutes-watch"
        );
    }));
}

/// Runs until SIGTERM or SIGINT.
pub async fn run(ctx: Arc<Context>) -> Result<()> {
    let mode = watch::effective_mode(ctx.config.watch.mode, &ctx.inbox);
    let failed_inside = std::fs::canonicalize(&ctx.failed_dir).unwrap_or(ctx.failed_dir.clone());
    let filter = Arc::new(
        InboxFilter::new(&ctx.inbox, &[failed_inside], &ctx.config.watch.ignore)
            .context("invalid watch.ignore globs")?,
    );
    let workers = ctx.config.limits.effective_workers();
    let mut events = match mode {
        WatchMode::Poll => None,
        _ => Some(
            watch::watch_events(&ctx.inbox, EVENT_QUEUE).with_context(|| {
                format!(
                    "cannot watch {} for changes (try watch.mode = \"poll\")",
                    ctx.inbox.display()
                )
            })?,
        ),
    };
    let listing_every = match mode {
        WatchMode::Poll => Some(ctx.config.watch.poll_interval()),
        _ => ctx.config.watch.rescan_interval(),
    };
    // Handlers first: once "started" is logged, SIGTERM must mean a clean stop.
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sighup = signal(SignalKind::hangup())?;
    tracing::info!(
        inbox = %ctx.inbox.display(),
        outbox = %ctx.documents_dir.parent().unwrap_or(&ctx.documents_dir).display(),
        mode = ?mode,
        workers,
        quiet_period_ms = ctx.config.watch.quiet_period_ms,
        taxonomy = %ctx.analyzer.classifier().version(),
        "minutes-watch started"
    );

    // Saving the taxonomy file reloads it, like SIGHUP.
    let mut topics_changes = watch::watch_file(&ctx.analyzer.topics_path)
        .map_err(
            |e| tracing::warn!(error = %e, "not watching the taxonomy file; reload with SIGHUP"),
        )
        .ok();
    match ctx.publish_pending_alerts() {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            alerts = n,
            "published alerts left pending by an interrupted run"
        ),
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "could not publish pending alerts; will retry with the next file")
        }
    }

    let mut state = Coordinator {
        ctx: ctx.clone(),
        filter: filter.clone(),
        tracker: Tracker::new(
            ctx.config.watch.quiet_period(),
            ctx.config.watch.incomplete_pdf_wait(),
        ),
        ready: Arc::new(Mutex::new(VecDeque::new())),
        in_flight: HashSet::new(),
        ignored: HashMap::new(),
        unreadable: HashMap::new(),
        permits: Arc::new(Semaphore::new(workers)),
    };
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Report>();

    // Compile the analysis patterns while the first files sit out their
    // quiet period.
    let warming = ctx.clone();
    tokio::task::spawn_blocking(move || warming.analyzer.warm_up());
    // Files already waiting at start-up.
    state.discover_listing(list(filter.clone()).await);
    let mut next_listing = listing_every.map(|every| tokio::time::Instant::now() + every);

    loop {
        state.dispatch(&done_tx);
        let next_due = state.tracker.next_due().map(tokio::time::Instant::from_std);
        tokio::select! {
            _ = sigterm.recv() => { tracing::info!("SIGTERM: stopping"); break; }
            _ = sigint.recv() => { tracing::info!("interrupted: stopping"); break; }
            _ = sighup.recv() => reload_taxonomy(&ctx),
            Some(()) = recv_change(&mut topics_changes) => {
                // Editors save in several steps: let the file settle.
                tokio::time::sleep(Duration::from_millis(200)).await;
                if let Some(rx) = topics_changes.as_mut() {
                    while rx.changes.try_recv().is_ok() {}
                }
                reload_taxonomy(&ctx);
            }
            Some(report) = done_rx.recv() => state.report(report),
            Some(path) = recv_event(&mut events) => {
                let mut batch = vec![path];
                if let Some(ev) = events.as_mut() {
                    while let Ok(p) = ev.paths.try_recv() {
                        batch.push(p);
                    }
                }
                state.discover_events(batch, filter.clone()).await;
            }
            _ = sleep_until_opt(next_due) => state.check_due().await,
            _ = sleep_until_opt(next_listing) => {
                state.discover_listing(list(filter.clone()).await);
                next_listing = listing_every.map(|every| tokio::time::Instant::now() + every);
            }
        }
        if let Some(ev) = &events {
            if ev.overflowed.swap(false, Ordering::Relaxed) {
                tracing::warn!("filesystem events were lost: listing the inbox");
                state.discover_listing(list(filter.clone()).await);
            }
        }
    }

    drop(events);
    state.shut_down(&mut done_rx).await;
    Ok(())
}

/// What a worker tells the coordinator.
enum Report {
    /// One file done, whatever the outcome.
    Finished(PathBuf, Outcome),
    /// The worker found no more ready files and gave its place back.
    Idle,
}

struct Coordinator {
    ctx: Arc<Context>,
    filter: Arc<InboxFilter>,
    /// Seen, not yet complete.
    tracker: Tracker,
    /// Complete, waiting for a worker; shared with the workers, who take
    /// from the front.
    ready: Arc<Mutex<VecDeque<Job>>>,
    /// Ready or being worked on: never tracked twice.
    in_flight: HashSet<PathBuf>,
    /// Entries that are never inputs (symlinks, FIFOs, folders named like
    /// files) already reported, so each gets one log line, not one per
    /// rescan. Pruned by full listings, so one that comes back is reported
    /// again.
    ignored: HashMap<PathBuf, &'static str>,
    /// Files that could not be opened, with how many tries so far.
    unreadable: HashMap<PathBuf, u32>,
    permits: Arc<Semaphore>,
}

impl Coordinator {
    /// A full listing of the inbox: its files, and every ignored entry
    /// still there (any other is forgotten).
    fn discover_listing(&mut self, (found, ignored): Found) {
        let present: HashSet<&PathBuf> = ignored.iter().map(|(p, _)| p).collect();
        self.ignored.retain(|p, _| present.contains(p));
        self.note_ignored(ignored);
        self.discover(found);
    }

    /// Says once why each entry is not taken.
    fn note_ignored(&mut self, ignored: Vec<(PathBuf, &'static str)>) {
        for (path, why) in ignored {
            if self.ignored.insert(path.clone(), why) != Some(why) {
                let (file, folder) = self.ctx.names(&path);
                tracing::warn!(
                    file = %Escaped(&file), folder = %Escaped(&folder), outcome = "ignored",
                    "ignored: {why}"
                );
            }
        }
    }

    fn discover(&mut self, found: Vec<(PathBuf, Observation)>) {
        let now = Instant::now();
        for (path, seen) in found {
            if !self.in_flight.contains(&path) {
                self.tracker.observe(path, seen, now);
            }
        }
    }

    /// Events name files and folders; a new folder (a committee's folder
    /// copied in whole) is listed, since its files raise no events of their own.
    async fn discover_events(&mut self, paths: Vec<PathBuf>, filter: Arc<InboxFilter>) {
        let fresh: Vec<PathBuf> = paths
            .into_iter()
            .filter(|p| !self.in_flight.contains(p) && !self.tracker.contains(p))
            .collect();
        if fresh.is_empty() {
            return;
        }
        let (found, ignored) = tokio::task::spawn_blocking(move || {
            let mut found = Vec::new();
            let mut ignored = Vec::new();
            for path in fresh {
                let Ok(meta) = std::fs::symlink_metadata(&path) else {
                    continue;
                };
                if meta.is_dir() && filter.accepts(&path) {
                    let listing = watch::scan_under(&filter, &path);
                    found.extend(observe_all(listing.files));
                    ignored.extend(listing.ignored);
                } else if meta.is_file() && filter.accepts(&path) {
                    if let Some(seen) = Observation::of(&path) {
                        found.push((path, seen));
                    }
                } else if let Some(why) = watch::why_ignored(&filter, &path, meta.file_type()) {
                    ignored.push((path, why));
                }
            }
            (found, ignored)
        })
        .await
        .unwrap_or_default();
        self.note_ignored(ignored);
        self.discover(found);
    }

    /// Looks again at every file whose quiet period has run out.
    async fn check_due(&mut self) {
        let due = self.tracker.take_due(Instant::now());
        if due.is_empty() {
            return;
        }
        let inbox = self.ctx.inbox.clone();
        let looked = tokio::task::spawn_blocking(move || {
            due.into_iter()
                .map(|p| {
                    let seen = Observation::of(&p);
                    // A file that cannot be opened is "complete": the worker
                    // then reports why, instead of it waiting here unseen.
                    let complete =
                        seen.is_some() && ingest::pdf_is_complete(&inbox, &p).unwrap_or(true);
                    (p, seen, complete)
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_default();
        let now = Instant::now();
        for (path, seen, complete) in looked {
            match self.tracker.check(&path, seen, now, || complete) {
                Verdict::Ready => {
                    self.in_flight.insert(path.clone());
                    let earlier_tries = self.unreadable.get(&path).copied().unwrap_or(0);
                    self.ready_queue().push_back(Job {
                        path,
                        earlier_tries,
                    });
                }
                Verdict::NotYet | Verdict::Gone => {}
            }
        }
    }

    fn ready_queue(&self) -> std::sync::MutexGuard<'_, VecDeque<Job>> {
        lock_queue(&self.ready)
    }

    /// Starts workers while files are ready and workers are free. Each
    /// worker takes ready files one after another until none is left, then
    /// gives its place back and says so. Waiting files hold no open file and
    /// no memory beyond their path.
    fn dispatch(&mut self, done: &mpsc::UnboundedSender<Report>) {
        let waiting = self.ready_queue().len();
        for _ in 0..waiting {
            let Ok(permit) = self.permits.clone().try_acquire_owned() else {
                return;
            };
            let ctx = self.ctx.clone();
            let ready = self.ready.clone();
            let done = done.clone();
            tokio::task::spawn_blocking(move || {
                loop {
                    let next = lock_queue(&ready).pop_front();
                    let Some(Job {
                        path,
                        earlier_tries,
                    }) = next
                    else {
                        break;
                    };
                    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        worker::process(&ctx, &path, earlier_tries)
                    }))
                    .unwrap_or_else(|_| Outcome::Retry {
                        error: "worker stopped unexpectedly (a fault in minutes-watch)".into(),
                    });
                    if done.send(Report::Finished(path, outcome)).is_err() {
                        break;
                    }
                }
                // Place given back first: a file made ready meanwhile then
                // finds it when the coordinator wakes for this report.
                drop(permit);
                let _ = done.send(Report::Idle);
            });
        }
    }

    fn report(&mut self, report: Report) {
        if let Report::Finished(path, outcome) = report {
            self.finished(path, outcome);
        }
    }

    fn finished(&mut self, path: PathBuf, outcome: Outcome) {
        self.in_flight.remove(&path);
        let delay = match outcome {
            Outcome::Retry { .. } => Some(RETRY_DELAY),
            // Events about the new file came while the old one was in
            // flight and were passed over: look at it after a quiet period.
            Outcome::Replaced { .. } => Some(self.ctx.config.watch.quiet_period()),
            Outcome::Unreadable { .. } => {
                *self.unreadable.entry(path.clone()).or_default() += 1;
                Some(self.unreadable_retry_delay())
            }
            _ => {
                self.unreadable.remove(&path);
                None
            }
        };
        let Some(seen) = Observation::of(&path).filter(|_| self.filter.accepts(&path)) else {
            self.unreadable.remove(&path);
            return;
        };
        match delay {
            Some(delay) => self.tracker.retry_later(path, seen, Instant::now(), delay),
            // Every other outcome moved the input out (or found it gone): a
            // file there now was dropped under the same name while the first
            // was in flight (a corrected copy, say), and its event was passed
            // over then. Without this it would wait for the next listing.
            None => self.tracker.observe(path, seen, Instant::now()),
        }
    }

    /// Time between tries at a file that cannot be opened: long enough for
    /// an operator to fix its permissions, short enough that it is set
    /// aside within a minute at most.
    fn unreadable_retry_delay(&self) -> Duration {
        (self.ctx.config.watch.quiet_period() * 5)
            .clamp(Duration::from_secs(1), Duration::from_secs(20))
    }

    /// Takes no new files; gives those in flight a few seconds to finish.
    async fn shut_down(&mut self, done: &mut mpsc::UnboundedReceiver<Report>) {
        let busy = {
            let mut ready = self.ready_queue();
            let busy = self.in_flight.len() - ready.len();
            ready.clear();
            busy
        };
        if busy == 0 {
            tracing::info!("stopped");
            return;
        }
        tracing::info!(in_flight = busy, "waiting for files in progress");
        let deadline = tokio::time::Instant::now() + SHUTDOWN_GRACE;
        let mut remaining = busy;
        while remaining > 0 {
            match tokio::time::timeout_at(deadline, done.recv()).await {
                Ok(Some(Report::Finished(..))) => remaining -= 1,
                Ok(Some(Report::Idle)) => {}
                _ => break,
            }
        }
        if remaining > 0 {
            tracing::warn!(
                abandoned = remaining,
                "stopping with files unfinished; they stay in the inbox and are redone at the next start"
            );
        } else {
            tracing::info!("stopped");
        }
    }
}

/// A file ready for a worker.
struct Job {
    path: PathBuf,
    /// Tries that already failed to open it (see [`worker::UNREADABLE_TRIES`]).
    earlier_tries: u32,
}

/// What a listing found: candidate files, and entries never taken with why.
type Found = (Vec<(PathBuf, Observation)>, Vec<(PathBuf, &'static str)>);

/// The ready queue is only pushed to and popped from: still whole after a panic.
fn lock_queue(queue: &Mutex<VecDeque<Job>>) -> std::sync::MutexGuard<'_, VecDeque<Job>> {
    queue.lock().unwrap_or_else(PoisonError::into_inner)
}

fn observe_all(paths: Vec<PathBuf>) -> Vec<(PathBuf, Observation)> {
    paths
        .into_iter()
        .filter_map(|p| Observation::of(&p).map(|seen| (p, seen)))
        .collect()
}

/// Lists the whole inbox on a blocking thread (it may be a slow share).
async fn list(filter: Arc<InboxFilter>) -> Found {
    tokio::task::spawn_blocking(move || {
        let listing = watch::scan(&filter);
        (observe_all(listing.files), listing.ignored)
    })
    .await
    .unwrap_or_default()
}

fn reload_taxonomy(ctx: &Context) {
    match ctx.analyzer.reload_taxonomy() {
        Ok(version) => tracing::info!(taxonomy = %version, "taxonomy reloaded"),
        Err(e) => tracing::error!(
            error = %format!("{e:#}"),
            "taxonomy NOT reloaded; the previous one stays in force"
        ),
    }
}

async fn recv_change(changes: &mut Option<watch::FileChanges>) -> Option<()> {
    match changes {
        Some(c) => c.changes.recv().await,
        None => std::future::pending().await,
    }
}

async fn recv_event(events: &mut Option<watch::EventSource>) -> Option<PathBuf> {
    match events {
        Some(ev) => ev.paths.recv().await,
        None => std::future::pending().await,
    }
}

async fn sleep_until_opt(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
