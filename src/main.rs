//! The `minutes-watch` command: the daemon and its companion commands.

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use minutes_watch::config::{Config, LogFormat};
use minutes_watch::ingest;
use minutes_watch::pipeline::InputIdentity;
use minutes_watch::runtime::{folder_of, Analyzer, Context};
use minutes_watch::worker::Failure;
use minutes_watch::{daemon, extract, worker};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "minutes-watch",
    version,
    about = "Watches an inbox of committee minutes and publishes tagged JSON, follow-up requests and alerts"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the daemon (the default when no command is given).
    Run(RunArgs),
    /// Print each file's document JSON exactly as the daemon would write it; touches nothing.
    Classify {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// List the follow-up ledger: what the committees asked for, who owes it, by when.
    Followups {
        /// Only requests with this status.
        #[arg(long, value_parser = ["open", "overdue", "delivered"])]
        status: Option<String>,
        /// Only committees whose name contains this (ignoring case and punctuation).
        #[arg(long)]
        committee: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Score document JSON against hand labels (see docs/labels.md): items,
    /// meeting dates, committees, topics and follow-ups.
    Evaluate {
        /// A label file, or a folder of them (*.toml, searched recursively).
        labels: PathBuf,
        /// A folder of document JSON (e.g. outbox/documents), searched recursively.
        documents: PathBuf,
        #[arg(long, value_enum, default_value_t = EvaluateFormat::Table)]
        format: EvaluateFormat,
        /// Also list every miss, invention and wrong field.
        #[arg(long)]
        verbose: bool,
    },
    /// Rebuild the follow-up ledger from the documents in the outbox, after
    /// the state folder was lost or replaced; alerts already in the outbox are
    /// left as they are. Stop the daemon first.
    RebuildLedger {
        #[arg(long)]
        config: Option<PathBuf>,
        /// Outbox folder (overrides paths.outbox), as given to `run`.
        #[arg(long)]
        outbox: Option<PathBuf>,
    },
    /// Check a configuration file (default: config/minutes-watch.toml) and its taxonomy.
    CheckConfig { file: Option<PathBuf> },
    /// Read one PDF's text, given on stdin, in this (child) process, within a memory limit.
    #[command(name = "__extract-pdf", hide = true)]
    ExtractPdf {
        #[arg(long)]
        memory_bytes: u64,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum EvaluateFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ListFormat {
    Table,
    Json,
    Csv,
}

#[derive(clap::Args, Default)]
struct RunArgs {
    /// Configuration file [default: config/minutes-watch.toml if present, else built-in defaults].
    #[arg(long)]
    config: Option<PathBuf>,
    /// Inbox folder (overrides paths.inbox).
    #[arg(long)]
    inbox: Option<PathBuf>,
    /// Outbox folder (overrides paths.outbox).
    #[arg(long)]
    outbox: Option<PathBuf>,
    /// State folder (overrides paths.state).
    #[arg(long)]
    state: Option<PathBuf>,
    /// Log format (overrides log.format).
    #[arg(long, value_enum)]
    log_format: Option<LogFormat>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Run(RunArgs::default())) {
        Command::Run(args) => run(args),
        Command::Classify { files, config } => classify(&files, config.as_deref()),
        Command::CheckConfig { file } => check_config(file.as_deref()),
        Command::Evaluate {
            labels,
            documents,
            format,
            verbose,
        } => evaluate(&labels, &documents, format, verbose),
        Command::RebuildLedger { config, outbox } => rebuild_ledger(config.as_deref(), outbox),
        Command::Followups {
            status,
            committee,
            format,
            config,
        } => followups(status.as_deref(), committee, format, config.as_deref()),
        Command::ExtractPdf { memory_bytes } => {
            return ExitCode::from(minutes_watch::extract::isolate::child_main(memory_bytes) as u8)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("minutes-watch: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Files under `root` (or `root` itself) whose name ends with `.ext`, sorted.
fn files_with_extension(root: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    if root.is_file() {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot list {}", root.display()))?;
        if entry.file_type().is_file()
            && entry.path().extension().and_then(|e| e.to_str()) == Some(ext)
        {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

fn evaluate(labels: &Path, documents: &Path, format: EvaluateFormat, verbose: bool) -> Result<()> {
    use minutes_watch::evaluate::{render_table, score_all, Label};
    let mut parsed = Vec::new();
    for path in files_with_extension(labels, "toml")? {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        parsed.push(Label::parse(&text, &path.display().to_string())?);
    }
    if parsed.is_empty() {
        anyhow::bail!("no label files (*.toml) in {}", labels.display());
    }
    let mut docs = Vec::new();
    for path in files_with_extension(documents, "json")? {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        // Alerts and other JSON may sit beside the documents: skip them.
        match serde_json::from_str::<minutes_watch::model::Document>(&text) {
            Ok(doc) => docs.push(doc),
            Err(e) => eprintln!(
                "minutes-watch: skipping {}: not a document ({e})",
                path.display()
            ),
        }
    }
    let (total, each) = score_all(&parsed, &docs);
    match format {
        EvaluateFormat::Table => print!("{}", render_table(&total, &each, verbose)),
        EvaluateFormat::Json => {
            let value = serde_json::json!({ "total": total, "documents": each.iter().map(|(f, s)| serde_json::json!({"file": f, "score": s})).collect::<Vec<_>>() });
            println!(
                "{}",
                serde_json::to_string_pretty(&value).context("cannot render the scores")?
            );
        }
    }
    Ok(())
}

fn init_logging(format: LogFormat, level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    // Colour codes only for a person at a terminal: in the journal or a
    // log file they are noise, and they are escape sequences.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().flatten_event(true).init(),
        LogFormat::Text => builder.init(),
    }
}

fn run(args: RunArgs) -> Result<()> {
    let (mut config, file) = Config::load(args.config.as_deref())?;
    let overridden = args.inbox.is_some() || args.outbox.is_some() || args.state.is_some();
    if let Some(inbox) = args.inbox {
        if config.paths.failed == config.paths.inbox.join("failed") {
            config.paths.failed = inbox.join("failed");
        }
        config.paths.inbox = inbox;
    }
    if let Some(outbox) = args.outbox {
        if config.paths.originals == config.paths.outbox.join("originals") {
            config.paths.originals = outbox.join("originals");
        }
        config.paths.outbox = outbox;
    }
    if let Some(state) = args.state {
        config.paths.state = state;
    }
    if overridden {
        let origin = match &file {
            Some(path) => format!("{} with the command-line folders", path.display()),
            None => "built-in defaults with the command-line folders".to_string(),
        };
        config.revalidate(&origin)?;
    }
    init_logging(
        args.log_format.unwrap_or(config.log.format),
        &config.log.level,
    );
    daemon::log_panics();
    let exe = std::env::current_exe().context("cannot locate the minutes-watch executable")?;
    let ctx = Arc::new(Context::open(config, exe)?);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(ctx.config.limits.effective_workers() + 4)
        .build()
        .context("cannot start the async runtime")?
        .block_on(daemon::run(ctx))
}

/// Prints the documents of `files` in order. A file that cannot be
/// processed is reported on stderr and the others still printed; the exit
/// status says whether all succeeded.
fn classify(files: &[PathBuf], config: Option<&Path>) -> Result<()> {
    use std::io::Write;
    let (config, _) = Config::load(config)?;
    init_logging(LogFormat::Text, "warn");
    let exe = std::env::current_exe().context("cannot locate the minutes-watch executable")?;
    let limits = minutes_watch::runtime::pdf_limits(&config, exe.clone());
    let read_limits = minutes_watch::runtime::read_limits(&config);
    let max_text_bytes = config.limits.max_text_bytes;
    // A file refused for its size is reported like any file that cannot be
    // processed; one that cannot be read at all stops the command.
    let read = |file: &Path| match ingest::read_input(file, read_limits) {
        Ok(input) => Ok(Ok(input)),
        Err(e) => match worker::size_failure(&e) {
            Some(failure) => Ok(Err(failure)),
            None => Err(e).with_context(|| format!("cannot read {}", file.display())),
        },
    };
    // The first PDF's reader starts before the taxonomy is compiled: the two
    // run side by side instead of one after the other.
    let first = read(&files[0])?;
    let early_pdf = first.as_ref().ok().and_then(|input| {
        extract::pdf::looks_like_pdf(&input.bytes)
            .then(|| extract::isolate::start_pdf_reader(&input.bytes, &limits))
    });
    let analyzer = Analyzer::new(&config, exe)?;
    let inbox = std::fs::canonicalize(&config.paths.inbox).ok();
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failures = 0;
    let mut first = Some((first, early_pdf));
    for file in files {
        let (input, early) = match first.take() {
            Some(done) => done,
            None => (read(file)?, None),
        };
        let input = match input {
            Ok(input) => input,
            Err(failure) => {
                failures += 1;
                report_failure(file, &failure);
                continue;
            }
        };
        let extracted = match early {
            Some(pending) => pending
                .and_then(|p| p.finish())
                .and_then(|text| worker::within_text_limit(text, max_text_bytes))
                .map_err(|e| Failure::from(&e)),
            None => worker::extract_input(&limits, max_text_bytes, &input),
        };
        let folder = inbox
            .as_ref()
            .zip(std::fs::canonicalize(file).ok())
            .map(|(inbox, file)| folder_of(inbox, &file))
            .unwrap_or_default();
        let identity = InputIdentity {
            file: file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            folder,
            sha256: input.sha256.clone(),
            bytes: input.bytes.len() as u64,
        };
        // Only the text is needed from here (as in the daemon).
        drop(input);
        match extracted.and_then(|text| worker::analyse_extracted(&analyzer, &identity, text)) {
            Ok(doc) => worker::write_document_json(&mut stdout, &doc)
                .context("cannot write to standard output")?,
            Err(failure) => {
                failures += 1;
                report_failure(file, &failure);
            }
        }
    }
    stdout.flush().context("cannot write to standard output")?;
    if failures > 0 {
        anyhow::bail!("{failures} of {} files could not be processed", files.len());
    }
    Ok(())
}

fn rebuild_ledger(config: Option<&Path>, outbox: Option<PathBuf>) -> Result<()> {
    let (mut config, _) = Config::load(config)?;
    if let Some(outbox) = outbox {
        config.paths.outbox = outbox;
    }
    init_logging(LogFormat::Text, "warn");
    let report = minutes_watch::recovery::rebuild_ledger(&config)
        .context("cannot rebuild the follow-up ledger")?;
    print!("{report}");
    Ok(())
}

fn report_failure(file: &Path, failure: &Failure) {
    eprintln!(
        "minutes-watch: {} cannot be processed: {}\n{}",
        file.display(),
        failure.message,
        failure.advice
    );
}

fn check_config(file: Option<&Path>) -> Result<()> {
    let (config, path) = Config::load(file)?;
    let taxonomy = minutes_watch::runtime::load_taxonomy(&config.paths.topics)?;
    match path {
        Some(p) => println!("{}: OK", p.display()),
        None => println!("no configuration file: built-in defaults are valid"),
    }
    println!(
        "taxonomy {}: OK (version {})",
        config.paths.topics.display(),
        taxonomy.version()
    );
    Ok(())
}

fn followups(
    status: Option<&str>,
    committee: Option<String>,
    format: ListFormat,
    config: Option<&Path>,
) -> Result<()> {
    use minutes_watch::ledger::{render_csv, render_json, render_table, Ledger, ListFilter};
    let (config, _) = Config::load(config)?;
    let db = config.paths.state.join(minutes_watch::runtime::LEDGER_FILE);
    if !db.is_file() {
        anyhow::bail!(
            "no follow-up ledger at {}: the daemon has not processed any minutes with this configuration yet",
            db.display()
        );
    }
    let ledger = Ledger::open(&db).with_context(|| format!("cannot open {}", db.display()))?;
    let filter = ListFilter {
        status: status
            .map(str::parse)
            .transpose()
            .map_err(|e| anyhow::anyhow!("{e}"))?,
        committee,
    };
    let entries = ledger.list(&filter)?;
    let text = match format {
        ListFormat::Table => render_table(&entries),
        ListFormat::Json => render_json(&entries)?,
        ListFormat::Csv => render_csv(&entries)?,
    };
    use std::io::Write;
    std::io::stdout()
        .write_all(text.as_bytes())
        .context("cannot write to standard output")?;
    Ok(())
}
