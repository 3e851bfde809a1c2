//! Where a command's output goes: standard output, or a file replaced in one step.

use std::io::Write;
use std::path::Path;

use super::{Failure, exit};

/// Prints to standard output; a closed pipe (`confide checks | head`) is not an error worth a
/// message.
pub(super) fn print(text: &str) -> Result<i32, Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(exit::OK),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(exit::OK),
        Err(e) => Err(Failure::CannotRun(format!("could not write to standard output: {e}"))),
    }
}

/// Writes through a temporary file in the same folder, so a reader never sees half a report.
pub(super) fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
