//! One ready file, start to finish: read, extract, analyse, publish, and
//! only then move the input out of the inbox.
//!
//! Runs on a blocking thread. Every outcome is returned, never raised: a bad
//! file is set aside with its reason, a problem of ours (outbox not
//! writable, database busy) leaves the file in place to be retried.

use crate::extract::isolate::PdfLimits;
use crate::extract::{self, ExtractError, ExtractedText};
use crate::ingest::{self, Entry, InboxFolder, Input, ReadError};
use crate::logsafe::Escaped;
use crate::model::Document;
use crate::pipeline::{self, InputIdentity};
use crate::publish::{self, MoveError};
use crate::runtime::{Analyzer, Context};
use serde::Serialize;
use std::path::Path;
use std::time::Instant;

/// What happened to one file; logged by the caller.
#[derive(Debug)]
pub enum Outcome {
    Published {
        document: String,
        items: usize,
        follow_ups: usize,
        alerts: usize,
        timings: ExtractTimings,
    },
    /// Same bytes as an input already published: moved away, nothing new.
    Duplicate { document: String },
    /// The input cannot be processed; moved to the failed folder.
    SetAside { reason: String },
    /// Moved or deleted by someone else before we took it.
    Vanished,
    /// Its name now holds a symlink, folder, FIFO...: left alone.
    NotAFile { what: &'static str },
    /// Read and done with, but replaced (by a symlink, another file) before
    /// it could be moved out of the inbox: what is there now is left alone,
    /// and looked at afresh if it is a file.
    Replaced { what: &'static str },
    /// Not the file's fault: leave it and try again later.
    Retry { error: String },
    /// The file cannot be opened (permission denied, say): tried again a
    /// few times, in case the operator fixes it, then set aside.
    Unreadable { error: String, tries: u32 },
}

/// Why an input was set aside, as written to `<name>.error.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// Stable machine-readable reason: "encrypted", "no_text_layer", ...
    pub kind: String,
    /// What is wrong, in plain English.
    pub message: String,
    /// What the person who dropped the file can do.
    pub advice: String,
}

impl From<&ExtractError> for Failure {
    fn from(e: &ExtractError) -> Self {
        let kind = serde_json::to_value(e)
            .ok()
            .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(String::from))
            .unwrap_or_else(|| "unreadable".into());
        Self {
            kind,
            message: e.to_string(),
            advice: e.advice().to_string(),
        }
    }
}

#[derive(Serialize)]
struct FailureRecord<'a> {
    file: &'a str,
    folder: &'a str,
    sha256: Option<&'a str>,
    bytes: Option<u64>,
    error: &'a Failure,
    failed_at: String,
}

/// Extracts and analyses an input already in memory: everything the daemon
/// does except publishing. `minutes-watch classify` uses it too, so what it
/// prints is exactly what the daemon writes.
///
/// The input's bytes are let go once its text is extracted: analysis needs
/// only the text, and holding a file of up to `limits.max_file_bytes`
/// through it would add that much to the peak for nothing.
pub fn analyse_file(
    analyzer: &Analyzer,
    input: &mut Input,
    identity: &InputIdentity,
) -> Result<(Document, ExtractTimings), Failure> {
    let t0 = Instant::now();
    let extracted = extract_input(&analyzer.pdf_limits, analyzer.max_text_bytes, input);
    input.release_bytes();
    let extracted = extracted?;
    let extract_ms = t0.elapsed().as_millis() as u64;
    let t1 = Instant::now();
    let doc = analyse_extracted(analyzer, identity, extracted)?;
    Ok((
        doc,
        ExtractTimings {
            extract_ms,
            analyse_ms: t1.elapsed().as_millis() as u64,
            ..ExtractTimings::default()
        },
    ))
}

/// Text of an input: PDFs in the isolated reader, anything else decoded
/// here. Both see exactly the bytes that were hashed. Text over
/// `max_text_bytes` is refused before it is analysed.
pub fn extract_input(
    limits: &PdfLimits,
    max_text_bytes: u64,
    input: &Input,
) -> Result<ExtractedText, Failure> {
    let extracted = if extract::pdf::looks_like_pdf(&input.bytes) {
        extract::isolate::extract_pdf_isolated(&input.bytes, limits)
    } else {
        extract::text::decode(&input.bytes)
    };
    extracted
        .and_then(|text| within_text_limit(text, max_text_bytes))
        .map_err(|e| Failure::from(&e))
}

/// Refuses text over the limit: analysis holds it several times over.
pub fn within_text_limit(
    text: ExtractedText,
    max_text_bytes: u64,
) -> Result<ExtractedText, ExtractError> {
    let bytes: u64 = text.pages.iter().map(|p| p.len() as u64).sum();
    if bytes > max_text_bytes {
        return Err(ExtractError::TooMuchText {
            bytes,
            limit: max_text_bytes,
        });
    }
    Ok(text)
}

/// The failure record for an input refused for its size, if that is why
/// it could not be read.
pub fn size_failure(error: &ReadError) -> Option<Failure> {
    match *error {
        ReadError::TooLarge { bytes, limit } => {
            Some(Failure::from(&ExtractError::TooLarge { bytes, limit }))
        }
        ReadError::TooMuchText { bytes, limit } => {
            Some(Failure::from(&ExtractError::TooMuchText { bytes, limit }))
        }
        _ => None,
    }
}

/// Segments, classifies and finds follow-ups; a panic in an analysis stage
/// (a bug of ours on odd input) fails this file only.
pub fn analyse_extracted(
    analyzer: &Analyzer,
    identity: &InputIdentity,
    extracted: ExtractedText,
) -> Result<Document, Failure> {
    let classifier = analyzer.classifier();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pipeline::analyse(identity, extracted, &classifier)
    }))
    .map_err(|_| {
        // The panic text is for whoever fixes minutes-watch: the panic hook
        // logs it (see `daemon::log_panics`); the error record the officer
        // reads does not quote it.
        Failure {
            kind: "internal_error".into(),
            message: "minutes-watch failed while analysing the text (a fault in minutes-watch)"
                .into(),
            advice: "This is a fault in minutes-watch, not in the file. Report it with the file attached; the file can be dropped again once fixed.".into(),
        }
    })
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ExtractTimings {
    pub extract_ms: u64,
    pub analyse_ms: u64,
    /// Recording follow-ups in the ledger and writing the alerts.
    pub ledger_ms: u64,
    /// Durable writes: the document, the inputs record, the move.
    pub write_ms: u64,
}

/// Writes the document JSON exactly as published: pretty-printed,
/// newline-terminated. Streamed to `out`, so a large document is never
/// held a second time as one string.
pub fn write_document_json(out: &mut dyn std::io::Write, doc: &Document) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc)?;
    out.write_all(b"\n")
}

/// How many times a file that cannot be opened is tried before it is set
/// aside with the reason: an input is never retried silently forever.
pub(crate) const UNREADABLE_TRIES: u32 = 3;

/// Takes one ready file through the whole pipeline. `earlier_tries`: how
/// many earlier tries could not open it.
pub fn process(ctx: &Context, path: &Path, earlier_tries: u32) -> Outcome {
    let started = Instant::now();
    let (file, folder) = ctx.names(path);
    let outcome = process_inner(ctx, path, &file, &folder, earlier_tries);
    let (file, folder) = (Escaped(&file), Escaped(&folder));
    let total_ms = started.elapsed().as_millis() as u64;
    match &outcome {
        Outcome::Published {
            document,
            items,
            follow_ups,
            alerts,
            timings,
        } => tracing::info!(
            file = %file, folder = %folder, outcome = "published", document = %document,
            items, follow_ups, alerts, extract_ms = timings.extract_ms,
            analyse_ms = timings.analyse_ms, ledger_ms = timings.ledger_ms,
            write_ms = timings.write_ms, total_ms, "published"
        ),
        Outcome::Duplicate { document } => tracing::info!(
            file = %file, folder = %folder, outcome = "duplicate", document = %document, total_ms,
            "already published: same content as an earlier file"
        ),
        Outcome::SetAside { reason } => tracing::warn!(
            file = %file, folder = %folder, outcome = "failed", reason = %Escaped(reason), total_ms,
            "set aside in the failed folder"
        ),
        Outcome::Vanished => tracing::info!(
            file = %file, folder = %folder, outcome = "vanished", "file went away before it was taken"
        ),
        Outcome::Replaced { what } => tracing::warn!(
            file = %file, folder = %folder, outcome = "replaced", what = %what,
            "replaced after it was read; what is there now was not moved (never followed if a link; taken afresh if a file)"
        ),
        Outcome::NotAFile { what } => tracing::warn!(
            file = %file, folder = %folder, outcome = "ignored", what = %what,
            "not a regular file (replaced since it was noticed): left where it is, never followed"
        ),
        Outcome::Retry { error } => tracing::error!(
            file = %file, folder = %folder, outcome = "retry", error = %Escaped(error), total_ms,
            "could not finish; will try again"
        ),
        // Said once, at the first try; the last try sets it aside and says so.
        Outcome::Unreadable { error, tries: 1 } => tracing::warn!(
            file = %file, folder = %folder, outcome = "unreadable", error = %Escaped(error),
            "cannot be read; will try {} more times, then set it aside in the failed folder",
            UNREADABLE_TRIES - 1
        ),
        Outcome::Unreadable { error, tries } => tracing::debug!(
            file = %file, folder = %folder, outcome = "unreadable", error = %Escaped(error), tries,
            "still cannot be read"
        ),
    }
    outcome
}

fn process_inner(
    ctx: &Context,
    path: &Path,
    file: &str,
    folder: &str,
    earlier_tries: u32,
) -> Outcome {
    if !ctx.is_inside_inbox(path) {
        return Outcome::Vanished;
    }
    let mut input = match ingest::read_input_within(&ctx.inbox, path, ctx.read_limits()) {
        Ok(input) => input,
        Err(ReadError::TooLarge { bytes, limit }) => {
            let failure = Failure::from(&ExtractError::TooLarge { bytes, limit });
            return set_aside(ctx, path, file, folder, None, Some(bytes), failure);
        }
        Err(ReadError::TooMuchText { bytes, limit }) => {
            let failure = Failure::from(&ExtractError::TooMuchText { bytes, limit });
            return set_aside(ctx, path, file, folder, None, Some(bytes), failure);
        }
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Outcome::Vanished
        }
        // It was a regular file when noticed; something else (a symlink,
        // say) has taken its name since. Never followed, never moved.
        Err(ReadError::NotAFile(what)) => return Outcome::NotAFile { what },
        Err(ReadError::Io(e)) => {
            let tries = earlier_tries + 1;
            if tries < UNREADABLE_TRIES {
                return Outcome::Unreadable {
                    error: e.to_string(),
                    tries,
                };
            }
            let failure = unreadable_failure(&e);
            return set_aside(ctx, path, file, folder, None, None, failure);
        }
    };

    match ctx.published_document(&input.sha256) {
        Ok(Some(document)) => {
            return match move_to_originals(ctx, path, file, folder, &input) {
                Ok(()) => Outcome::Duplicate { document },
                Err(outcome) => outcome,
            }
        }
        Ok(None) => {}
        Err(e) => {
            return Outcome::Retry {
                error: format!("{e:#}"),
            }
        }
    }

    let identity = InputIdentity {
        file: file.to_string(),
        folder: folder.to_string(),
        sha256: input.sha256.clone(),
        bytes: input.bytes.len() as u64,
    };
    let (doc, mut timings) = match analyse_file(&ctx.analyzer, &mut input, &identity) {
        Ok(done) => done,
        Err(failure) => {
            let bytes = Some(identity.bytes);
            return set_aside(ctx, path, file, folder, Some(&input), bytes, failure);
        }
    };
    tracing::debug!(
        file,
        extract_ms = timings.extract_ms,
        analyse_ms = timings.analyse_ms,
        "analysed"
    );

    let name = publish::document_name(file, &input.sha256);
    let t_write = Instant::now();
    if let Err(e) = publish::write_atomic_with(&ctx.documents_dir, &name, |out| {
        write_document_json(out, &doc)
    }) {
        return Outcome::Retry {
            error: format!("writing {}: {e}", ctx.documents_dir.join(&name).display()),
        };
    }
    // Recording the document in the ledger is what marks these bytes done:
    // from here a restart treats the input as a duplicate and only moves it.
    let t_ledger = Instant::now();
    let alerts = match ctx.publish_alerts(&doc, &name) {
        Ok(n) => n,
        Err(e) => {
            return Outcome::Retry {
                error: format!("{e:#}"),
            }
        }
    };
    timings.ledger_ms = t_ledger.elapsed().as_millis() as u64;
    if let Err(outcome) = move_to_originals(ctx, path, file, folder, &input) {
        return outcome;
    }
    timings.write_ms = (t_write.elapsed().as_millis() as u64).saturating_sub(timings.ledger_ms);
    Outcome::Published {
        document: name,
        items: doc.items.len(),
        follow_ups: doc.follow_ups.len(),
        alerts,
        timings,
    }
}

/// Why a file that could not be opened is set aside, in plain words.
fn unreadable_failure(error: &std::io::Error) -> Failure {
    let message = if error.kind() == std::io::ErrorKind::PermissionDenied {
        format!(
            "minutes-watch is not allowed to read the file (permission denied), after {UNREADABLE_TRIES} tries"
        )
    } else {
        format!("the file could not be opened ({error}), after {UNREADABLE_TRIES} tries")
    };
    Failure {
        kind: "unreadable".into(),
        message,
        advice: "Give the minutes-watch service read access to the file (or save it again into the inbox with the usual permissions), then move it from the failed folder back into the inbox.".into(),
    }
}

/// The inbox folder holding `path`, opened without following a symlink at
/// any level, and the file's name in it; or what to report if the path no
/// longer leads to a file through real inbox folders.
fn inbox_entry<'p>(ctx: &Context, path: &'p Path) -> Result<(InboxFolder, &'p Path), Outcome> {
    match ingest::split_entry(&ctx.inbox, path) {
        Ok(entry) => Ok(entry),
        Err(ReadError::NotAFile(what)) => Err(Outcome::Replaced { what }),
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Err(Outcome::Vanished),
        Err(e) => Err(Outcome::Retry {
            error: format!("opening the folder of the input: {e}"),
        }),
    }
}

fn move_to_originals(
    ctx: &Context,
    path: &Path,
    file: &str,
    folder: &str,
    input: &Input,
) -> Result<(), Outcome> {
    let dir = ctx.originals_dir.join(folder);
    let (inbox_folder, name) = inbox_entry(ctx, path)?;
    match publish::move_into(Entry::at(&inbox_folder, name), &dir, file, input.id) {
        Ok(_) => Ok(()),
        Err(MoveError::Replaced(what)) => Err(Outcome::Replaced { what }),
        Err(e) => Err(Outcome::Retry {
            error: format!("moving the input to {}: {e}", dir.display()),
        }),
    }
}

/// Moves a bad input to the failed folder with `<name>.error.json` beside it.
fn set_aside(
    ctx: &Context,
    path: &Path,
    file: &str,
    folder: &str,
    input: Option<&Input>,
    bytes: Option<u64>,
    failure: Failure,
) -> Outcome {
    let dir = ctx.failed_dir.join(folder);
    let record = FailureRecord {
        file,
        folder,
        sha256: input.map(|i| i.sha256.as_str()),
        bytes,
        error: &failure,
        failed_at: chrono::Utc::now().to_rfc3339(),
    };
    // The record goes down first: an input is never moved before its
    // output (here, the reason) is on disk.
    let target = publish::free_name(&dir, file);
    let target_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string());
    let mut json = serde_json::to_vec_pretty(&record).unwrap_or_default();
    json.push(b'\n');
    if let Err(e) = publish::write_atomic(&dir, &format!("{target_name}.error.json"), &json) {
        return Outcome::Retry {
            error: format!("writing the error record in {}: {e}", dir.display()),
        };
    }
    let (inbox_folder, name) = match inbox_entry(ctx, path) {
        Ok(entry) => entry,
        Err(outcome) => return outcome,
    };
    let entry = Entry::at(&inbox_folder, name);
    match publish::move_to(entry, &target, input.and_then(|i| i.id)) {
        Ok(()) => {}
        Err(e) if e.is_not_found() => return Outcome::Vanished,
        Err(MoveError::Replaced(what)) => {
            // The record describes bytes that are no longer there to set
            // aside: it is ours, not an input, and would mislead.
            let _ = std::fs::remove_file(dir.join(format!("{target_name}.error.json")));
            return Outcome::Replaced { what };
        }
        Err(e) => {
            return Outcome::Retry {
                error: format!("moving the bad input to {}: {e}", dir.display()),
            }
        }
    }
    Outcome::SetAside {
        reason: format!("{} ({})", failure.message, failure.kind),
    }
}
