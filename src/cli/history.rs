//! `confide history`: the last runs, one row per check, the most recent on the right.

use std::collections::BTreeSet;

use super::{Failure, exit, output};
use crate::history::{HISTORY_FILE, History};
use crate::status::Status;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum HistoryFormat {
    Terminal,
    Json,
}

#[derive(clap::Args, Debug)]
pub(super) struct HistoryArgs {
    /// How many of the latest runs to show.
    #[arg(long, default_value_t = 8, value_name = "N")]
    last: usize,
    #[arg(long, value_enum, default_value_t = HistoryFormat::Terminal)]
    format: HistoryFormat,
    /// Forget the runs before this date (YYYY-MM-DD); the rest is kept.
    #[arg(long, value_name = "DATE")]
    prune: Option<jiff::civil::Date>,
}

/// `confide history`.
pub(super) fn history(args: HistoryArgs) -> Result<i32, Failure> {
    let data = crate::paths::data_dir()
        .ok_or_else(|| Failure::Usage("there is no home folder, so there is no history (set HOME)".into()))?;
    let path = data.join(HISTORY_FILE);
    let cannot = |e: crate::history::HistoryError| Failure::CannotRun(e.to_string());
    if let Some(date) = args.prune {
        let before = date
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map_err(|e| Failure::Usage(format!("--prune {date}: {e}")))?
            .timestamp();
        let removed = History::prune(&path, before).map_err(cannot)?;
        eprintln!(
            "confide: forgot {removed} run(s) from before {date} in {}",
            path.display()
        );
        return Ok(exit::OK);
    }
    let history = History::load(&path).map_err(cannot)?;
    for w in &history.warnings {
        eprintln!("confide: warning: {w}");
    }
    let runs = &history.entries[history.entries.len().saturating_sub(args.last.max(1))..];
    match args.format {
        HistoryFormat::Json => {
            let json = serde_json::to_string_pretty(runs).map_err(|e| Failure::CannotRun(e.to_string()))?;
            output::print(&format!("{json}\n"))
        }
        HistoryFormat::Terminal if runs.is_empty() => output::print(&format!(
            "No scans in the history yet ({}). Each `confide scan` adds one.\n",
            path.display()
        )),
        HistoryFormat::Terminal => output::print(&table(runs)),
    }
}

/// One letter per state, so a row reads as a trend: `P P W F`.
fn letter(s: Option<Status>) -> char {
    match s {
        Some(Status::Pass) => 'P',
        Some(Status::Warn) => 'W',
        Some(Status::Fail) => 'F',
        Some(Status::Unknown) => '?',
        Some(Status::Skipped) | None => '-',
    }
}

fn table(runs: &[crate::history::HistoryEntry]) -> String {
    let checks: BTreeSet<&str> = runs.iter().flat_map(|r| r.checks.keys().map(String::as_str)).collect();
    let width = checks.iter().map(|c| c.len()).max().unwrap_or(5).max("overall".len());
    let mut out = String::new();
    // Dates as DD/MM, one column per run, the most recent on the right.
    out.push_str(&format!("{:width$}", ""));
    for r in runs {
        out.push_str(&format!(
            " {}{}",
            r.time.strftime("%d/%m"),
            if r.scheduled { "*" } else { " " }
        ));
    }
    out.push('\n');
    let row = |name: &str, cells: Vec<Option<Status>>| {
        let mut line = format!("{name:width$}");
        for c in cells {
            line.push_str(&format!("   {}   ", letter(c)));
        }
        format!("{}\n", line.trim_end())
    };
    out.push_str(&row("overall", runs.iter().map(|r| Some(r.overall)).collect()));
    for check in checks {
        out.push_str(&row(
            check,
            runs.iter().map(|r| r.checks.get(check).map(|c| c.status)).collect(),
        ));
    }
    out.push_str(
        "\nP passed, W warning, F failed, ? unknown, - not run; * a scheduled run. Most recent on the right.\n",
    );
    out
}
