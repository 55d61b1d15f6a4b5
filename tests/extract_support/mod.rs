//! Shared by the extraction integration tests (extract_corpus, extract_fixtures).

use minutes_watch::extract::isolate::{extract_pdf_isolated, PdfLimits};
use minutes_watch::extract::ExtractError;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

/// The minutes-watch binary to run as the isolated PDF reader.
pub fn reader_exe() -> PathBuf {
    READER_EXE.clone()
}

/// The binary under test, hard-linked to a private name: a build from another
/// checkout sharing the target directory replaces the file at
/// `CARGO_BIN_EXE_minutes-watch` but not the inode linked here.
static READER_EXE: LazyLock<PathBuf> = LazyLock::new(|| {
    let built = PathBuf::from(env!("CARGO_BIN_EXE_minutes-watch"));
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    remove_stale_links(tmp);
    let private = tmp.join(format!("{LINK_PREFIX}{}", std::process::id()));
    let _ = std::fs::remove_file(&private);
    let exe = match std::fs::hard_link(&built, &private) {
        Ok(()) => private,
        Err(_) => built,
    };
    let probe = extract_pdf_isolated(
        Path::new("no such file.pdf"),
        &PdfLimits {
            timeout: Duration::from_secs(30),
            memory_bytes: 0,
            exe: exe.clone(),
        },
    );
    match probe {
        Err(ExtractError::ReaderFailed { detail }) if detail.contains("could not read the file") => exe,
        other => panic!(
            "{} does not answer the hidden PDF-reader subcommand ({other:?}); was it rebuilt from another checkout?",
            exe.display()
        ),
    }
});

const LINK_PREFIX: &str = "extract-corpus-reader-";

/// Links left by earlier runs whose process is gone.
fn remove_stale_links(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix(LINK_PREFIX) {
            if !Path::new("/proc").join(pid).exists() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}
