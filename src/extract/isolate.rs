//! Runs PDF extraction in a child process with time and memory limits.

use super::{ExtractError, ExtractedText};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Limits for one PDF's extraction.
#[derive(Debug, Clone)]
pub struct PdfLimits {
    pub timeout: Duration,
    pub memory_bytes: u64,
    /// The minutes-watch binary, re-run as the child.
    pub exe: PathBuf,
}

pub fn extract_pdf_isolated(
    path: &Path,
    limits: &PdfLimits,
) -> Result<ExtractedText, ExtractError> {
    let _ = (path, limits);
    todo!("isolate")
}

pub fn child_main(path: &Path, memory_bytes: u64) -> i32 {
    let _ = (path, memory_bytes);
    todo!("child")
}
