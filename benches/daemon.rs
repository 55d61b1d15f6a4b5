//! The daemon end to end, measured on this machine: latency from a file
//! being renamed into the inbox to its document appearing (beyond the quiet
//! period), backlog throughput and peak memory, and idle CPU.
//!
//! Run: `cargo bench --bench daemon` (or `benches/compare.sh`, which runs it
//! with the other comparisons). Environment knobs: BACKLOG (default 5000),
//! LATENCY_FILES (default 100), IDLE_SECS (default 60).
//! Needs ../shared/seeds beside the repo.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_minutes-watch");
const QUIET_MS: u64 = 500;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn seeds() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// Seed `i % n` with a numbered line, so every copy has its own hash.
fn variant(seeds: &[Vec<u8>], i: usize) -> Vec<u8> {
    let mut v = seeds[i % seeds.len()].clone();
    v.extend_from_slice(format!("\nBenchmark copy {i}.\n").as_bytes());
    v
}

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(root: &Path) -> Self {
        let dir = tempfile::tempdir_in(root).expect("tempdir");
        let cfg = format!(
            "[paths]\ninbox = {:?}\noutbox = {:?}\nstate = {:?}\noriginals = {:?}\nfailed = {:?}\ntopics = {:?}\n\
             [watch]\nmode = \"events\"\nquiet_period_ms = {QUIET_MS}\n[log]\nlevel = \"warn\"\n",
            dir.path().join("inbox"),
            dir.path().join("outbox"),
            dir.path().join("state"),
            dir.path().join("outbox/originals"),
            dir.path().join("inbox/failed"),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("config/topics.toml"),
        );
        std::fs::create_dir_all(dir.path().join("inbox")).expect("inbox");
        std::fs::create_dir_all(dir.path().join("staging")).expect("staging");
        std::fs::write(dir.path().join("config.toml"), cfg).expect("config");
        Self { dir }
    }
    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
    fn start(&self) -> Child {
        let child = Command::new(BIN)
            .arg("run")
            .arg("--config")
            .arg(self.path("config.toml"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start daemon");
        // Started = the outbox folders exist.
        wait(Duration::from_secs(30), || {
            self.path("outbox/documents").is_dir()
        });
        child
    }
    fn documents(&self) -> usize {
        std::fs::read_dir(self.path("outbox/documents"))
            .map(|rd| {
                rd.filter(|e| {
                    e.as_ref()
                        .is_ok_and(|e| !e.file_name().to_string_lossy().starts_with('.'))
                })
                .count()
            })
            .unwrap_or(0)
    }
}

/// Polls `cond` every millisecond: for latency, where the folder is small.
fn wait(timeout: Duration, cond: impl FnMut() -> bool) -> bool {
    wait_every(Duration::from_millis(1), timeout, cond)
}

fn wait_every(every: Duration, timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if cond() {
            return true;
        }
        std::thread::sleep(every);
    }
    cond()
}

fn stop(mut child: Child) {
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    );
    let _ = child.wait();
}

/// (user + system CPU seconds, peak resident MB) of a running process.
fn usage(pid: u32) -> (f64, f64) {
    let ticks = nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
        .ok()
        .flatten()
        .unwrap_or(100) as f64;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, r)| r.split_whitespace().collect())
        .unwrap_or_default();
    let cpu = fields
        .get(11)
        .and_then(|u| u.parse::<f64>().ok())
        .unwrap_or(0.0)
        + fields
            .get(12)
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(0.0);
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let hwm_kb = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    (cpu / ticks, hwm_kb / 1024.0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn latency(root: &Path, seeds: &[Vec<u8>], n: usize) {
    let s = Setup::new(root);
    let child = s.start();
    let mut extra = Vec::with_capacity(n);
    for i in 0..n {
        let name = format!("latency-{i:04}.txt");
        let staged = s.path("staging").join(&name);
        std::fs::write(&staged, variant(seeds, i)).expect("stage");
        let before = s.documents();
        let t0 = Instant::now();
        std::fs::rename(&staged, s.path("inbox").join(&name)).expect("rename");
        if !wait(Duration::from_secs(30), || s.documents() > before) {
            eprintln!("latency: document {i} did not appear within 30 s");
            break;
        }
        extra.push(t0.elapsed().as_secs_f64() * 1000.0 - QUIET_MS as f64);
    }
    stop(child);
    extra.sort_by(|a, b| a.total_cmp(b));
    println!(
        "latency beyond the {QUIET_MS} ms quiet period over {} files: median {:.1} ms, p99 {:.1} ms (target < 200 ms)",
        extra.len(),
        percentile(&extra, 0.5),
        percentile(&extra, 0.99)
    );
}

fn backlog(root: &Path, seeds: &[Vec<u8>], n: usize) {
    let s = Setup::new(root);
    for i in 0..n {
        std::fs::write(
            s.path("inbox").join(format!("backlog-{i:05}.txt")),
            variant(seeds, i),
        )
        .expect("write");
    }
    // Reference in the same run: writing the same files durably (write,
    // fsync, rename, fsync folder), the floor for durable output.
    let ref_dir = s.path("reference");
    std::fs::create_dir_all(&ref_dir).expect("reference dir");
    let t = Instant::now();
    for i in 0..n {
        let mut tmp = tempfile::NamedTempFile::new_in(&ref_dir).expect("tmp");
        tmp.write_all(&variant(seeds, i)).expect("write");
        tmp.as_file().sync_all().expect("fsync");
        tmp.persist(ref_dir.join(format!("{i}.txt")))
            .expect("persist");
        std::fs::File::open(&ref_dir)
            .and_then(|d| d.sync_all())
            .expect("fsync dir");
    }
    let reference = t.elapsed().as_secs_f64();

    let t0 = Instant::now();
    let child = s.start();
    let mut first: Option<Instant> = None;
    // Listing a folder of thousands of documents costs CPU the daemon would
    // otherwise have: look every 20 ms (0.1% of a 20 s run), not every 1 ms.
    let done = wait_every(Duration::from_millis(20), Duration::from_secs(1800), || {
        let d = s.documents();
        if d > 0 && first.is_none() {
            first = Some(Instant::now());
        }
        d >= n
    });
    let elapsed = t0.elapsed().as_secs_f64();
    let after_quiet = first.map(|f| f.elapsed().as_secs_f64()).unwrap_or(elapsed);
    let (_, peak_mb) = usage(child.id());
    stop(child);
    if !done {
        println!(
            "backlog: only {} of {n} documents within the time limit",
            s.documents()
        );
        return;
    }
    println!(
        "backlog of {n} files: {:.0} documents/s from start ({:.1} s), {:.0} documents/s from the first document; \
         peak resident memory {:.0} MB (targets > 200/s, < 150 MB)",
        n as f64 / elapsed,
        elapsed,
        n as f64 / after_quiet,
        peak_mb
    );
    println!(
        "backlog ratio: daemon time / plain durable write of the same files = {:.2} (reference {:.2} s)",
        elapsed / reference,
        reference
    );
}

fn idle(root: &Path, secs: u64) {
    let s = Setup::new(root);
    let child = s.start();
    // Start-up work (loading and compiling the taxonomy) is not idling.
    std::thread::sleep(Duration::from_secs(2));
    let (cpu0, _) = usage(child.id());
    std::thread::sleep(Duration::from_secs(secs));
    let (cpu1, mb) = usage(child.id());
    stop(child);
    println!(
        "idle for {secs} s with an empty inbox (events mode): {:.3} s CPU ({:.4}% of one core), resident peak {:.0} MB",
        cpu1 - cpu0,
        (cpu1 - cpu0) / secs as f64 * 100.0,
        mb
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing:
    // only measure when asked to.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let seeds = seeds();
    if seeds.is_empty() {
        eprintln!("SKIPPED: ../shared/seeds is not present next to the repository");
        return;
    }
    let root = tempfile::tempdir().expect("tempdir");
    latency(root.path(), &seeds, env_or("LATENCY_FILES", 100));
    backlog(root.path(), &seeds, env_or("BACKLOG", 5000));
    idle(root.path(), env_or("IDLE_SECS", 60) as u64);
}
