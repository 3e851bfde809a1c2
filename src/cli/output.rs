//! Where a command's output goes: standard output, or a file replaced in one step.

use std::io::{BufWriter, ErrorKind, Write};
use std::path::Path;

use super::{Failure, exit};
use crate::report::RenderError;

/// Prints text to standard output.
pub(super) fn print(text: &str) -> Result<i32, Failure> {
    to_stdout(|out| Ok(out.write_all(text.as_bytes())?))
}

/// Writes to standard output through `write` (a renderer, or plain text); a closed pipe
/// (`confide checks | head`) is not an error worth a message.
pub(super) fn to_stdout(write: impl FnOnce(&mut dyn Write) -> Result<(), RenderError>) -> Result<i32, Failure> {
    let mut out = std::io::stdout().lock();
    match write(&mut out).and_then(|()| Ok(out.flush()?)) {
        Ok(()) => Ok(exit::OK),
        Err(RenderError::Io(e)) if e.kind() == ErrorKind::BrokenPipe => Ok(exit::OK),
        Err(e) => Err(Failure::CannotRun(format!("could not write to standard output: {e}"))),
    }
}

/// Writes through a temporary file in the same folder, so a reader never sees half a report (or
/// half a profile, or half a snapshot), even when `write` fails part-way.
pub(super) fn write_atomically<E: From<std::io::Error>>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), E> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    let mut buffered = BufWriter::new(&mut tmp);
    write(&mut buffered)?;
    buffered.flush()?;
    drop(buffered);
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_fails_part_way_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old").unwrap();
        let result = write_atomically(&path, |out| {
            out.write_all(b"half a rep")?;
            Err(std::io::Error::other("renderer gave up"))
        });
        assert!(result.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

        write_atomically(&path, |out| out.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }
}
