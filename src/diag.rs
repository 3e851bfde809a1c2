//! Errors in files the user gives us (policy, check, profile, snapshot). Each names the file,
//! line and column, shows the line, and says how to fix it, because the person reading it is
//! usually not a programmer.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem at one place in an input file. Exit code 2.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    pub file: PathBuf,
    /// 1-based; 0 when the error is about the whole file.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
    /// The text of the offending line, shown under the message.
    pub source_line: Option<String>,
}

impl InputError {
    /// An error at a line and column of `text`, the contents of `file`.
    pub fn at(file: &Path, text: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_path_buf(),
            line,
            column,
            message: message.into(),
            help: None,
            source_line: text.lines().nth(line.saturating_sub(1)).map(str::to_string),
        }
    }

    /// An error at a byte offset of `text`.
    pub fn at_offset(file: &Path, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_column(text, offset);
        Self::at(file, text, line, column, message)
    }

    /// An error about the file as a whole (it could not be read, for instance): shown without a
    /// line or column.
    pub fn whole_file(file: &Path, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    /// From a TOML parse or deserialize error, which carries a byte span.
    pub fn from_toml(file: &Path, text: &str, e: &toml::de::Error) -> Self {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        Self::at_offset(file, text, offset, e.message().trim().to_string())
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            writeln!(f, "{}: {}", self.file.display(), self.message)?;
        } else {
            let (file, line, column) = (self.file.display(), self.line, self.column);
            writeln!(f, "{file}:{line}:{column}: {}", self.message)?;
        }
        if let Some(src) = &self.source_line {
            let gutter = self.line.to_string();
            let (shown, caret_at) = excerpt(src, self.column.saturating_sub(1));
            writeln!(f, "{gutter} | {shown}")?;
            let pad: String = shown
                .chars()
                .take(caret_at)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{} | {pad}^", " ".repeat(gutter.len()))?;
        }
        if let Some(help) = &self.help {
            write!(f, "help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// The most characters of a line shown under a message: a one-line file of megabytes is cut
/// to the part around the error, so the message stays readable.
const EXCERPT_WIDTH: usize = 100;

/// The part of `line` around character `column` (0-based), with `…` where it was cut, and the
/// caret's position in that part.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let total = line.chars().count();
    if total <= EXCERPT_WIDTH {
        return (line.to_string(), column);
    }
    let start = column.saturating_sub(EXCERPT_WIDTH / 2).min(total - EXCERPT_WIDTH);
    let mut shown: String = line.chars().skip(start).take(EXCERPT_WIDTH).collect();
    let mut caret = column - start.min(column);
    if start > 0 {
        shown.insert(0, '…');
        caret += 1;
    }
    if start + EXCERPT_WIDTH < total {
        shown.push('…');
    }
    (shown, caret)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut boundary = offset;
    while !text.is_char_boundary(boundary) {
        boundary -= 1;
    }
    let before = &text[..boundary];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "a = 1\nbé = x\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 11), (2, 5));
    }

    #[test]
    fn a_long_line_is_cut_around_the_error() {
        let line = format!("x = \"{}\" oops {}", "a".repeat(5_000_000), "b".repeat(1000));
        let column = line.find("oops").unwrap() + 1;
        let e = InputError::at(Path::new("p.toml"), &line, 1, column, "expected a newline");
        let text = e.to_string();
        assert!(text.len() < 1000, "{} bytes", text.len());
        let lines: Vec<&str> = text.lines().collect();
        let caret = lines[2].chars().position(|c| c == '^').unwrap();
        let under: String = lines[1].chars().skip(caret).take(4).collect();
        assert_eq!(under, "oops", "{text}");
    }

    #[test]
    fn the_message_shows_the_line_and_a_caret() {
        let e = InputError::at(Path::new("p.toml"), "x = 1\ny = [\n", 2, 5, "unclosed array").help("add ]");
        assert_eq!(
            e.to_string(),
            "p.toml:2:5: unclosed array\n2 | y = [\n  |     ^\nhelp: add ]"
        );
    }
}
