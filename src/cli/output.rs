//! Where a command's output goes: standard output (files are written by
//! [`crate::system::files::write_atomically`]).

use std::io::{ErrorKind, Write};

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
