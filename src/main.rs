//! Minimal entry point: only the hidden PDF-reader subcommand
//! (`__extract-pdf --memory-bytes <N> <FILE>`) used by extraction tests.

use minutes_watch::extract::isolate;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    match args.as_slice() {
        [sub, flag, memory, file]
            if sub == isolate::CHILD_SUBCOMMAND && flag == isolate::MEMORY_BYTES_FLAG =>
        {
            let memory_bytes = memory.to_str().and_then(|m| m.parse().ok()).unwrap_or(0);
            let code = isolate::child_main(Path::new(file), memory_bytes);
            ExitCode::from(u8::try_from(code).unwrap_or(1))
        }
        _ => ExitCode::SUCCESS,
    }
}
