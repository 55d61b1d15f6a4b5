//! Runs PDF extraction in a child process with time and memory limits.
//!
//! A hostile or broken PDF can make the parser recurse until the stack
//! overflows (which aborts the process, past any `catch_unwind`), inflate a
//! small stream into gigabytes, or loop. The daemon therefore re-runs its own
//! binary with the hidden [`CHILD_SUBCOMMAND`]; the child caps its address
//! space, parses, and prints a JSON `Result<ExtractedText, ExtractError>` on
//! stdout. Whatever the child does, the parent gets a per-file error.
//!
//! The child is given the file's bytes on its stdin, never a path: the
//! parent has already read (and hashed) them from one descriptor opened
//! without following symlinks, and a path opened again could by then name
//! another file (an inbox entry swapped for a symlink to a file elsewhere).

use super::{ExtractError, ExtractedText};
use nix::sys::resource::{getrlimit, setrlimit, Resource};
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The hidden subcommand the binary must route to [`child_main`]:
/// `minutes-watch __extract-pdf --memory-bytes <N>`, the PDF on stdin.
pub const CHILD_SUBCOMMAND: &str = "__extract-pdf";

/// The child's address-space limit in bytes; 0 means none.
pub const MEMORY_BYTES_FLAG: &str = "--memory-bytes";

/// How much of the child's stderr is kept to explain a crash.
const STDERR_KEEP: usize = 16 * 1024;

/// How the child process is limited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfLimits {
    /// Wall-clock time for one file, process start included.
    pub timeout: Duration,
    /// Address-space (virtual memory) limit of the child; 0 means none.
    pub memory_bytes: u64,
    /// The minutes-watch binary to run as the child.
    pub exe: PathBuf,
}

impl PdfLimits {
    /// Limits that re-run the current executable, as the daemon does.
    pub fn for_current_exe(timeout: Duration, memory_bytes: u64) -> std::io::Result<Self> {
        Ok(Self {
            timeout,
            memory_bytes,
            exe: std::env::current_exe()?,
        })
    }
}

/// Extracts a PDF (its bytes) in a child process. Blocking: call it from
/// `spawn_blocking` in async code.
pub fn extract_pdf_isolated(
    bytes: &Arc<Vec<u8>>,
    limits: &PdfLimits,
) -> Result<ExtractedText, ExtractError> {
    start_pdf_reader(bytes, limits)?.finish()
}

/// Starts the reader without waiting for it, so a caller with other work
/// to do first (such as building its taxonomy) does it while the PDF is
/// read; [`PendingPdf::finish`] then collects the result. The time limit
/// runs from here.
pub fn start_pdf_reader(
    bytes: &Arc<Vec<u8>>,
    limits: &PdfLimits,
) -> Result<PendingPdf, ExtractError> {
    let started = Instant::now();
    let mut command = Command::new(&limits.exe);
    command
        .arg(CHILD_SUBCOMMAND)
        .arg(MEMORY_BYTES_FLAG)
        .arg(limits.memory_bytes.to_string())
        // Backtraces would push the one line that explains a crash (such
        // as "memory allocation of N bytes failed") out of the kept tail.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, so a timeout kills anything it started too.
    command.process_group(0);
    let child = command
        .spawn()
        .map_err(|error| ExtractError::ReaderFailed {
            detail: format!(
                "could not start the PDF reader process {}: {error}",
                limits.exe.display()
            ),
        })?;
    let mut child = KillOnDrop(child);

    // The bytes go in from a thread of their own while the child reads
    // them: a PDF larger than a pipe buffer would otherwise block us. A
    // child that dies or is killed closes the pipe, which ends the write
    // with an error (EPIPE; Rust ignores SIGPIPE), so the thread never hangs.
    let stdin = child.0.stdin.take().map(|mut pipe| {
        let bytes = Arc::clone(bytes);
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    // Both pipes are drained on their own threads while we wait, so a child
    // writing more than a pipe buffer never blocks and never deadlocks us.
    let (stdout_closed, output_closed) = std::sync::mpsc::channel();
    let stdout = spawn_reader(child.0.stdout.take(), usize::MAX, Some(stdout_closed));
    let stderr = spawn_reader(child.0.stderr.take(), STDERR_KEEP, None);
    Ok(PendingPdf {
        child,
        stdin,
        stdout,
        stderr,
        output_closed,
        deadline: started + limits.timeout,
        timeout: limits.timeout,
        memory_bytes: limits.memory_bytes,
    })
}

/// A PDF reader at work. Dropping it kills the reader.
pub struct PendingPdf {
    child: KillOnDrop,
    stdin: Option<JoinHandle<()>>,
    stdout: Option<JoinHandle<Vec<u8>>>,
    stderr: Option<JoinHandle<Vec<u8>>>,
    output_closed: std::sync::mpsc::Receiver<()>,
    deadline: Instant,
    timeout: Duration,
    memory_bytes: u64,
}

impl PendingPdf {
    /// Waits for the reader (at most until its deadline) and returns what
    /// it read, or why it could not. Blocking.
    pub fn finish(mut self) -> Result<ExtractedText, ExtractError> {
        let outcome = wait_until(&mut self.child.0, self.deadline, &self.output_closed);
        // Anything the child left behind would hold the pipes open and block
        // the readers; its process group outlives it only through such leftovers.
        signal_group(&self.child.0);
        if let Some(writer) = self.stdin.take() {
            let _ = writer.join();
        }
        let stdout = join_reader(self.stdout.take());
        let stderr = String::from_utf8_lossy(&join_reader(self.stderr.take())).into_owned();

        match outcome {
            Wait::TimedOut => Err(ExtractError::Timeout {
                seconds: self.timeout.as_secs_f64().ceil() as u64,
            }),
            Wait::Failed(error) => Err(ExtractError::ReaderFailed {
                detail: format!("could not wait for the PDF reader process: {error}"),
            }),
            Wait::Exited(status) => interpret(status, &stdout, &stderr, self.memory_bytes),
        }
    }
}

/// Entry point of the hidden subcommand: reads the PDF from stdin. Returns
/// the process exit code.
pub fn child_main(memory_bytes: u64) -> i32 {
    // A crash must not leave core files of attacker-chosen size behind.
    let _ = setrlimit(Resource::RLIMIT_CORE, 0, 0);
    if !die_with_parent() {
        eprintln!("the process that started this PDF reader is gone");
        return 4;
    }
    if memory_bytes > 0 {
        if let Err(error) = limit_address_space(memory_bytes) {
            eprintln!("could not limit memory to {memory_bytes} bytes: {error}");
            return 3;
        }
    }
    // Parser panics are caught and reported in the result; one line on
    // stderr is enough for the record.
    std::panic::set_hook(Box::new(|info| eprintln!("PDF reader panicked: {info}")));
    let mut bytes = Vec::new();
    let result = match std::io::stdin().lock().read_to_end(&mut bytes) {
        Ok(_) => super::pdf::extract(&bytes),
        Err(error) => Err(ExtractError::ReaderFailed {
            detail: format!("could not receive the file from minutes-watch: {error}"),
        }),
    };
    let json = match serde_json::to_string(&result) {
        Ok(json) => json,
        Err(error) => {
            eprintln!("could not encode the extraction result: {error}");
            return 2;
        }
    };
    // The result is the last line of stdout, so stray library output
    // before it cannot corrupt it.
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "\n{json}").and_then(|()| stdout.flush()) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("could not write the extraction result: {error}");
            2
        }
    }
}

/// Makes the kernel kill this reader if the daemon dies first: the daemon's
/// timeout is what stops a reader stuck in a loop, so without it an orphan
/// could spin forever. False when the parent is already gone.
#[cfg(target_os = "linux")]
fn die_with_parent() -> bool {
    let _ = nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL);
    // Orphans are adopted by init; the parent died before the call above.
    nix::unistd::getppid() != nix::unistd::Pid::from_raw(1)
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent() -> bool {
    true
}

/// Lowers the address-space limit; an already lower hard limit (set by the
/// service manager) is kept, since raising it is not allowed.
fn limit_address_space(bytes: u64) -> nix::Result<()> {
    let (_, hard) = getrlimit(Resource::RLIMIT_AS)?;
    let limit = bytes.min(hard);
    setrlimit(Resource::RLIMIT_AS, limit, limit)
}

/// Turns how the child ended into the extraction result.
fn interpret(
    status: ExitStatus,
    stdout: &[u8],
    stderr: &str,
    memory_bytes: u64,
) -> Result<ExtractedText, ExtractError> {
    let out_of_memory = ExtractError::OutOfMemory {
        megabytes: memory_bytes.div_ceil(1024 * 1024),
    };
    let memory_limited = memory_bytes > 0;
    if let Some(signal) = status.signal() {
        let allocation_failed = stderr.contains("memory allocation of");
        // SIGKILL we did not send comes from the kernel's OOM killer.
        if allocation_failed || (memory_limited && signal == nix::libc::SIGKILL) {
            return Err(out_of_memory);
        }
        // A structure that refers to itself (a form that draws itself)
        // recurses until the stack runs out: the file is damaged.
        if stderr.contains("overflowed its stack") {
            return Err(ExtractError::Corrupt {
                detail: "its structure refers to itself or is nested too deeply".into(),
            });
        }
        // What the reader said last is for the log, not the officer.
        tracing::warn!(
            signal = signal_name(signal),
            reader_said = %crate::logsafe::Escaped(&last_line_suffix(stderr)),
            "the PDF reader process was killed"
        );
        return Err(ExtractError::ReaderFailed {
            detail: format!(
                "the reader process stopped unexpectedly ({})",
                signal_name(signal)
            ),
        });
    }
    if !status.success() {
        if stderr.contains("memory allocation of") {
            return Err(out_of_memory);
        }
        return Err(ExtractError::ReaderFailed {
            detail: format!(
                "the reader process failed ({status}){}",
                last_line_suffix(stderr)
            ),
        });
    }
    let last_line = stdout
        .rsplit(|&b| b == b'\n')
        .find(|line| !line.iter().all(u8::is_ascii_whitespace))
        .unwrap_or_default();
    serde_json::from_slice::<Result<ExtractedText, ExtractError>>(last_line).unwrap_or_else(
        |error| {
            tracing::warn!(error = %error, "the PDF reader's answer could not be decoded");
            Err(ExtractError::ReaderFailed {
                detail: "the reader process gave no usable answer".into(),
            })
        },
    )
}

fn signal_name(signal: i32) -> String {
    nix::sys::signal::Signal::try_from(signal)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("signal {signal}"))
}

/// ": <last stderr line>", to say why the child died.
fn last_line_suffix(stderr: &str) -> String {
    stderr
        .lines()
        .rev()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .map(|line| format!(": {line}"))
        .unwrap_or_default()
}

enum Wait {
    Exited(ExitStatus),
    TimedOut,
    Failed(std::io::Error),
}

/// Waits for the child, killing and reaping it when the deadline passes.
/// The child closes its stdout when it exits, so `output_closed` (sent or
/// dropped by the stdout reader at end of file) wakes us the moment it is
/// done instead of at the next poll; polling remains for children whose
/// leftovers keep the pipe open.
fn wait_until(
    child: &mut Child,
    deadline: Instant,
    output_closed: &std::sync::mpsc::Receiver<()>,
) -> Wait {
    let mut pause = Duration::from_millis(1);
    let mut output_open = true;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Wait::Exited(status),
            Ok(None) => {}
            Err(error) => return Wait::Failed(error),
        }
        let now = Instant::now();
        if now >= deadline {
            kill_group(child);
            return Wait::TimedOut;
        }
        let nap = pause.min(deadline - now);
        if output_open {
            match output_closed.recv_timeout(nap) {
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Ok(()) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    // Exit follows closing stdout within moments.
                    output_open = false;
                    pause = Duration::from_micros(100);
                    continue;
                }
            }
        } else {
            std::thread::sleep(nap);
        }
        pause = (pause * 2).min(Duration::from_millis(25));
    }
}

/// Kills the child's process group (the child leads it) and reaps the child.
fn kill_group(child: &mut Child) {
    if !signal_group(child) {
        let _ = child.kill();
    }
    let _ = child.wait();
}

/// Sends SIGKILL to the process group the child leads. The group id stays
/// reserved while any member lives, so this never reaches strangers.
fn signal_group(child: &Child) -> bool {
    match i32::try_from(child.id()) {
        Ok(pid) => {
            let group = nix::unistd::Pid::from_raw(pid);
            matches!(
                nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL),
                Ok(()) | Err(nix::errno::Errno::ESRCH)
            )
        }
        Err(_) => false,
    }
}

/// Reads a pipe to its end, keeping at most the last `keep` bytes, and
/// says so on `closed` when the end is reached.
fn spawn_reader<R: Read + Send + 'static>(
    pipe: Option<R>,
    keep: usize,
    closed: Option<std::sync::mpsc::Sender<()>>,
) -> Option<JoinHandle<Vec<u8>>> {
    let mut pipe = pipe?;
    Some(std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buffer = [0u8; 64 * 1024];
        loop {
            match pipe.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => {
                    kept.extend_from_slice(&buffer[..n]);
                    if kept.len() > keep {
                        kept.drain(..kept.len() - keep);
                    }
                }
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        if let Some(closed) = closed {
            let _ = closed.send(());
        }
        kept
    }))
}

fn join_reader(reader: Option<JoinHandle<Vec<u8>>>) -> Vec<u8> {
    reader
        .and_then(|handle| handle.join().ok())
        .unwrap_or_default()
}

/// Makes sure no child outlives an early return or a panic of the parent.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            kill_group(&mut self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Extraction, ExtractionMethod, Format};

    fn pdf() -> Arc<Vec<u8>> {
        Arc::new(b"%PDF-1.4 test bytes".to_vec())
    }

    fn exited(code: i32) -> ExitStatus {
        ExitStatus::from_raw(code << 8)
    }

    fn signalled(signal: i32) -> ExitStatus {
        ExitStatus::from_raw(signal)
    }

    fn sample() -> ExtractedText {
        ExtractedText {
            pages: vec!["page one\n".into(), "page two\n".into()],
            format: Format::Pdf,
            extraction: Extraction {
                method: ExtractionMethod::PdfExtract,
                encoding: None,
            },
            warnings: vec![],
        }
    }

    #[test]
    fn result_is_taken_from_the_last_stdout_line() {
        let ok: Result<ExtractedText, ExtractError> = Ok(sample());
        let stdout = format!(
            "stray library output\n\n{}\n",
            serde_json::to_string(&ok).unwrap()
        );
        assert_eq!(interpret(exited(0), stdout.as_bytes(), "", 0), Ok(sample()));

        let err: Result<ExtractedText, ExtractError> = Err(ExtractError::Encrypted);
        let stdout = serde_json::to_string(&err).unwrap();
        assert_eq!(
            interpret(exited(0), stdout.as_bytes(), "", 0),
            Err(ExtractError::Encrypted)
        );
    }

    #[test]
    fn garbage_output_is_a_reader_failure() {
        match interpret(exited(0), b"not json at all", "", 0) {
            Err(ExtractError::ReaderFailed { detail }) => {
                assert!(detail.contains("no usable answer"))
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            interpret(exited(0), b"", "", 0),
            Err(ExtractError::ReaderFailed { .. })
        ));
    }

    #[test]
    fn allocation_failure_abort_is_out_of_memory() {
        let stderr = "memory allocation of 1073741824 bytes failed\n";
        assert_eq!(
            interpret(
                signalled(nix::libc::SIGABRT),
                b"",
                stderr,
                256 * 1024 * 1024
            ),
            Err(ExtractError::OutOfMemory { megabytes: 256 })
        );
    }

    #[test]
    fn stack_overflow_is_damage_that_says_so_in_plain_words() {
        let stderr =
            "\nthread 'main' has overflowed its stack\nfatal runtime error: stack overflow\n";
        match interpret(signalled(nix::libc::SIGABRT), b"", stderr, 1 << 30) {
            Err(ExtractError::Corrupt { detail }) => {
                assert!(detail.contains("refers to itself"), "{detail}")
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn other_signals_and_exit_codes_name_the_cause() {
        match interpret(signalled(nix::libc::SIGSEGV), b"", "boom\n", 0) {
            Err(ExtractError::ReaderFailed { detail }) => {
                assert!(
                    detail.contains("SIGSEGV") && !detail.contains("boom"),
                    "{detail}"
                )
            }
            other => panic!("unexpected {other:?}"),
        }
        match interpret(exited(3), b"", "could not limit memory\n", 0) {
            Err(ExtractError::ReaderFailed { detail }) => {
                assert!(detail.contains("could not limit memory"), "{detail}")
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn missing_executable_is_a_reader_failure() {
        let limits = PdfLimits {
            timeout: Duration::from_secs(5),
            memory_bytes: 0,
            exe: PathBuf::from("/nonexistent/minutes-watch"),
        };
        match extract_pdf_isolated(&pdf(), &limits) {
            Err(ExtractError::ReaderFailed { detail }) => {
                assert!(detail.contains("could not start"), "{detail}")
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    /// A stand-in child: a shell script written for this test, run in place
    /// of the minutes-watch binary.
    fn fake_child(script: &str) -> (tempfile::TempDir, PdfLimits) {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("fake-reader");
        std::fs::write(&exe, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        let limits = PdfLimits {
            timeout: Duration::from_millis(500),
            memory_bytes: 0,
            exe,
        };
        (dir, limits)
    }

    #[test]
    fn a_hanging_child_and_its_children_are_killed_at_the_deadline() {
        // The background `sleep` holds the pipes open: the parent must kill
        // the whole process group or it would wait for it.
        let (_dir, limits) = fake_child("sleep 30 &\nsleep 30");
        let started = Instant::now();
        let result = extract_pdf_isolated(&pdf(), &limits);
        let elapsed = started.elapsed();
        assert_eq!(result, Err(ExtractError::Timeout { seconds: 1 }));
        assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    }

    #[test]
    fn leftovers_of_a_finished_child_do_not_hold_up_the_result() {
        let (_dir, mut limits) =
            fake_child("sleep 30 &\nprintf '%s\\n' '{\"Err\":{\"kind\":\"encrypted\"}}'");
        limits.timeout = Duration::from_secs(20);
        let started = Instant::now();
        assert_eq!(
            extract_pdf_isolated(&pdf(), &limits),
            Err(ExtractError::Encrypted)
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_child_killed_by_a_signal_is_a_reader_failure() {
        let (_dir, limits) = fake_child("echo 'about to crash' >&2\nkill -SEGV $$");
        match extract_pdf_isolated(&pdf(), &limits) {
            Err(ExtractError::ReaderFailed { detail }) => {
                assert!(detail.contains("SIGSEGV"), "{detail}")
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn large_output_does_not_deadlock() {
        // Far more than a pipe buffer on both streams before the result line.
        let ok: Result<ExtractedText, ExtractError> = Ok(sample());
        let json = serde_json::to_string(&ok).unwrap();
        let script = format!(
            "i=0; while [ $i -lt 2000 ]; do echo 'noise noise noise noise noise noise noise noise noise noise'; echo 'err err err err err err err err err err' >&2; i=$((i+1)); done\nprintf '%s\\n' '{json}'"
        );
        let (_dir, mut limits) = fake_child(&script);
        limits.timeout = Duration::from_secs(20);
        assert_eq!(extract_pdf_isolated(&pdf(), &limits), Ok(sample()));
    }

    #[test]
    fn a_started_reader_is_collected_later_and_its_deadline_runs_from_the_start() {
        let (_dir, mut limits) = fake_child("printf '%s\\n' '{\"Err\":{\"kind\":\"encrypted\"}}'");
        limits.timeout = Duration::from_secs(20);
        let pending = start_pdf_reader(&pdf(), &limits).expect("starts");
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(pending.finish(), Err(ExtractError::Encrypted));

        // Time spent before `finish` counts against the limit.
        let (_dir, mut limits) = fake_child("sleep 30");
        limits.timeout = Duration::from_millis(300);
        let pending = start_pdf_reader(&pdf(), &limits).expect("starts");
        std::thread::sleep(Duration::from_millis(400));
        let waited = Instant::now();
        assert_eq!(pending.finish(), Err(ExtractError::Timeout { seconds: 1 }));
        assert!(
            waited.elapsed() < Duration::from_millis(200),
            "{:?}",
            waited.elapsed()
        );
    }

    #[test]
    fn the_child_is_told_its_memory_limit_and_given_the_bytes_never_a_path() {
        let script = format!(
            r#"[ $# -eq 3 ] && [ "$1" = "{CHILD_SUBCOMMAND}" ] && [ "$2" = "{MEMORY_BYTES_FLAG}" ] && [ "$3" = "12345" ] && [ "$(cat)" = "%PDF-1.4 test bytes" ] && echo '{{"Err":{{"kind":"encrypted"}}}}'"#
        );
        let (_dir, mut limits) = fake_child(&script);
        limits.memory_bytes = 12345;
        limits.timeout = Duration::from_secs(20);
        assert_eq!(
            extract_pdf_isolated(&pdf(), &limits),
            Err(ExtractError::Encrypted)
        );
        // More than a pipe buffer, to a child that reads none of it: no hang.
        let (_dir, mut limits) = fake_child("echo '{\"Err\":{\"kind\":\"encrypted\"}}'");
        limits.timeout = Duration::from_secs(20);
        assert_eq!(
            extract_pdf_isolated(&Arc::new(vec![b'x'; 4 << 20]), &limits),
            Err(ExtractError::Encrypted)
        );
    }
}
