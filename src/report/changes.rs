//! "What changed since the last check", at the top of the terminal report, and the `--quiet`
//! report (the verdict line and what changed, nothing else). Kept out of `terminal.rs` so the
//! full report's layout can change without touching this.

use std::io::{self, Write};

use colored::Colorize;

use super::terminal::Terminal;
use super::{RenderError, Renderer, Report};
use crate::history::diff::how_long;
use crate::status::Status;

/// Writes the changes section, or nothing when the report has no earlier run to compare with.
pub fn render(out: &mut dyn Write, r: &Report, color: bool) -> io::Result<()> {
    let Some(c) = &r.changes else {
        return Ok(());
    };
    let bold = |t: &str| if color { t.bold().to_string() } else { t.to_string() };
    let when = super::reading::long_date(c.since.to_zoned(jiff::tz::TimeZone::UTC).date());
    // What is still failing is not news: the summary lists it, with how long it has been so.
    let still = c.still_failing.len();
    let as_before = match still {
        0 => String::new(),
        1 => "; 1 problem is as before (below)".to_string(),
        n => format!("; {n} problems are as before (below)"),
    };
    if c.worse.is_empty() && c.better.is_empty() {
        writeln!(out, "Nothing has changed since the last check ({when}){as_before}.")?;
        return writeln!(out);
    }
    writeln!(out, "{}", bold(&format!("── Since the last check ({when}) ──")))?;
    let summary = |check: &str| {
        r.findings
            .iter()
            .find(|f| f.check == check)
            .map(|f| f.summary.clone())
            .unwrap_or_default()
    };
    for ch in &c.worse {
        let what = if ch.from == ch.to {
            format!("{} for a new reason", state(ch.to))
        } else {
            format!("was {}, now {}", state(ch.from), state(ch.to))
        };
        let line = format!("  Got worse:  {} — {what}", ch.title);
        writeln!(out, "{}", if color { line.red().to_string() } else { line })?;
        let s = summary(&ch.check);
        if !s.is_empty() {
            writeln!(out, "              {s}")?;
        }
    }
    for ch in &c.better {
        let line = format!(
            "  Got better: {} — was {}, now {}",
            ch.title,
            state(ch.from),
            state(ch.to)
        );
        writeln!(out, "{}", if color { line.green().to_string() } else { line })?;
    }
    match still {
        0 => {}
        1 => writeln!(out, "  1 other problem is as before (below).")?,
        n => writeln!(out, "  {n} other problems are as before (below).")?,
    }
    writeln!(out)
}

/// How long a problem has stood as it is, for the summary's line about it (`for 3 weeks`);
/// nothing when it is new today or there is no earlier check to tell.
pub fn standing(r: &Report, check: &str) -> Option<String> {
    let p = r.changes.as_ref()?.still_failing.iter().find(|p| p.check == check)?;
    let days = r.generated_at.duration_since(p.since).as_secs() / 86_400;
    (days >= 1).then(|| format!("for {}", how_long(p.since, r.generated_at)))
}

/// The words for a state in a sentence ("was passing, now failing").
fn state(s: Status) -> &'static str {
    match s {
        Status::Fail => "failing",
        Status::Warn => "a warning",
        Status::Unknown => "unknown",
        Status::Pass => "passing",
        Status::Skipped => "skipped",
    }
}

/// `confide scan --quiet`: what changed, then the verdict line.
pub struct Quiet {
    pub color: bool,
    /// The width to wrap the verdict at.
    pub width: usize,
}

impl Renderer for Quiet {
    fn render(&self, r: &Report, out: &mut dyn Write) -> Result<(), RenderError> {
        render(out, r, self.color)?;
        Terminal {
            color: self.color,
            width: self.width,
        }
        .verdict(out, r)?;
        Ok(())
    }
}
