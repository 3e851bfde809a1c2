//! How wide the terminal report is: decided once, from the stream it goes to.

use std::io::IsTerminal;

use crate::report::wrap::MIN_WIDTH;
use crate::system::live::process_env;

/// The width when the report does not go to a terminal (a file, a pipe, an email attachment):
/// wide enough for a page, narrow enough to read.
pub const NOT_A_TERMINAL: usize = 100;

/// Columns to wrap at: the terminal's own width when the report goes to one; otherwise
/// `COLUMNS` when it is set to a number, else [`NOT_A_TERMINAL`], or the width of the terminal
/// the pipe is read in (`confide scan | less`) when that is narrower. Never below the narrowest
/// layout the report has.
pub fn decide_width(terminal: Option<usize>, columns: Option<String>, piped_to: Option<usize>) -> usize {
    let width = terminal
        .or_else(|| columns.and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c > 0))
        .unwrap_or_else(|| piped_to.map_or(NOT_A_TERMINAL, |w| w.min(NOT_A_TERMINAL)));
    width.max(MIN_WIDTH)
}

/// The width for output going to the screen (`to_screen`) or a file.
pub(super) fn choose(to_screen: bool) -> usize {
    let terminal = to_screen.then(|| columns(std::io::stdout())).flatten();
    let piped_to = to_screen.then(|| columns(std::io::stderr())).flatten();
    decide_width(terminal, process_env("COLUMNS"), piped_to)
}

/// How wide a stream's terminal is, if it is one.
#[cfg(unix)]
fn columns(stream: impl IsTerminal + std::os::fd::AsFd) -> Option<usize> {
    stream
        .is_terminal()
        .then(|| terminal_size::terminal_size_of(stream))
        .flatten()
        .map(|(w, _)| usize::from(w.0))
}

/// How wide a stream's terminal is, if it is one.
#[cfg(windows)]
fn columns(stream: impl IsTerminal + std::os::windows::io::AsHandle) -> Option<usize> {
    stream
        .is_terminal()
        .then(|| terminal_size::terminal_size_of(stream))
        .flatten()
        .map(|(w, _)| usize::from(w.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terminal_decides_then_columns_then_one_hundred() {
        let s = |v: &str| Some(v.to_string());
        assert_eq!(decide_width(Some(132), s("80"), None), 132);
        assert_eq!(decide_width(None, s("80"), Some(60)), 80);
        assert_eq!(decide_width(None, s("wide"), None), 100);
        assert_eq!(decide_width(None, s("0"), None), 100);
        assert_eq!(decide_width(None, None, None), 100);
        assert_eq!(decide_width(None, None, Some(80)), 80);
        assert_eq!(decide_width(None, None, Some(200)), 100);
        assert_eq!(decide_width(Some(20), None, None), MIN_WIDTH);
    }
}
