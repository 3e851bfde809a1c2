//! What a scan does around the report for the weekly check: keeps the history, says what
//! changed, and, when the schedule started it (`--scheduled`), writes the latest report to a
//! known place and tells the practitioner on the desktop when something got worse.

use std::path::{Path, PathBuf};

use super::Failure;
use crate::history::{Changes, HISTORY_FILE, History, HistoryEntry};
use crate::report::{Format, Report};
use crate::system::files::write_atomically;
use crate::system::{OsFamily, System};

/// A scheduled run whose last entry is older than this makes an interactive scan say so.
pub const STALE_AFTER_DAYS: i64 = 10;

#[derive(clap::Args, Debug, Default)]
pub(super) struct WeeklyArgs {
    /// Started by the weekly schedule: write the latest report to confide's data folder, print
    /// nothing unless something got worse, and tell you on the desktop when it did.
    #[arg(long)]
    pub scheduled: bool,
    /// Print only the verdict line and what changed since the last check.
    #[arg(long)]
    pub quiet: bool,
    /// Do not add this scan to the history (nor compare it with earlier ones).
    #[arg(long)]
    pub no_history: bool,
}

/// Where the scheduled run keeps the latest report: `<data>/latest/`.
pub fn latest_dir(data: &Path) -> PathBuf {
    data.join("latest")
}

/// Keeps the history and fills in `report.changes`, then, for a scheduled run, writes the latest
/// report and notifies. `replayed` scans describe another computer: they never touch the history.
/// Returns the notices an interactive scan prints on stderr (a stopped schedule, a notification
/// that could not be shown).
pub(super) fn around_report(
    report: &mut Report,
    system: &dyn System,
    args: &WeeklyArgs,
    replayed: bool,
    schedule_installed: impl FnOnce() -> bool,
) -> Result<Vec<String>, Failure> {
    let mut notices = Vec::new();
    if args.no_history || replayed {
        return Ok(notices);
    }
    let Some(data) = crate::paths::data_dir() else {
        notices.push(
            "there is no home folder, so this scan is not kept in the history (set HOME, or CONFIDE_DATA_DIR)"
                .to_string(),
        );
        return Ok(notices);
    };
    let path = data.join(HISTORY_FILE);
    let cannot = |e: crate::history::HistoryError| {
        Failure::CannotRun(format!("could not keep the history: {e} (or run with --no-history)"))
    };
    let history = History::load(&path).map_err(cannot)?;
    for w in &history.warnings {
        eprintln!("confide: warning: {w}");
    }
    report.changes = Changes::since_last(report, &history.entries);

    let mut entry = HistoryEntry::of(report, args.scheduled);
    if args.scheduled {
        write_latest(report, &data)?;
        if report.changes.as_ref().is_some_and(|c| !c.worse.is_empty()) {
            entry.notify_failed = notify(system, report).err();
        }
    } else {
        notices.extend(interactive_notices(&history.entries, report, schedule_installed));
    }
    History::append(&path, &entry).map_err(cannot)?;
    Ok(notices)
}

/// What an interactive scan should mention about the scheduled runs.
fn interactive_notices(
    entries: &[HistoryEntry],
    report: &Report,
    schedule_installed: impl FnOnce() -> bool,
) -> Vec<String> {
    let mut notices = Vec::new();
    let last_scheduled = entries.iter().rev().find(|e| e.scheduled);
    if let Some(e) = last_scheduled
        && let Some(why) = &e.notify_failed
    {
        notices.push(format!(
            "the weekly check on {} found something worse but could not tell you on the desktop ({why})",
            e.time.strftime("%-d %B")
        ));
    }
    if let Some(e) = last_scheduled {
        let days = report.generated_at.duration_since(e.time).as_secs() / 86_400;
        if days > STALE_AFTER_DAYS && schedule_installed() {
            notices.push(format!(
                "the weekly check has not run for {days} days: see `confide schedule status`"
            ));
        }
    }
    notices
}

/// The latest report, as JSON, text and HTML, each replaced atomically so a reader never sees half.
fn write_latest(report: &Report, data: &Path) -> Result<(), Failure> {
    let dir = latest_dir(data);
    let cannot = |e: &dyn std::fmt::Display| {
        Failure::CannotRun(format!("could not write the latest report in {}: {e}", dir.display()))
    };
    std::fs::create_dir_all(&dir).map_err(|e| cannot(&e))?;
    // The HTML is the practitioner's own copy, with every fix step; it opens in any browser.
    for (name, format) in [
        ("report.json", Format::Json),
        ("report.txt", Format::Terminal),
        ("report.html", Format::Html),
    ] {
        let renderer = format.renderer(false, super::width::NOT_A_TERMINAL);
        write_atomically(&dir.join(name), &[], |out| {
            renderer
                .render(report, out)
                .map_err(|e| std::io::Error::other(e.to_string()))
        })
        .map_err(|e| cannot(&e))?;
    }
    Ok(())
}

/// Tells the practitioner on the desktop that something got worse, through the OS's own tool.
/// `Err` says why it could not.
fn notify(system: &dyn System, report: &Report) -> Result<(), String> {
    let worse: Vec<&str> = report
        .changes
        .iter()
        .flat_map(|c| c.worse.iter().map(|w| w.title.as_str()))
        .collect();
    let title = "confide: something got worse";
    let body = format!("{}. Run `confide scan` to see what to fix.", worse.join(", "));
    let (program, args): (&str, Vec<String>) = match system.os().family {
        OsFamily::Linux => ("notify-send", vec!["--app-name=confide".into(), title.into(), body]),
        OsFamily::Macos => (
            "osascript",
            vec![
                "-e".into(),
                format!(
                    "display notification {} with title {}",
                    applescript_string(&body),
                    applescript_string(title)
                ),
            ],
        ),
        OsFamily::Windows => (
            "powershell",
            vec![
                "-NoProfile".into(),
                "-NonInteractive".into(),
                "-WindowStyle".into(),
                "Hidden".into(),
                "-Command".into(),
                windows_toast(title, &body),
            ],
        ),
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match system.run(program, &args).failure(program) {
        None => Ok(()),
        Some(why) => Err(why),
    }
}

/// An AppleScript string literal: quotes and backslashes escaped.
fn applescript_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A PowerShell command that shows a toast through the WinRT notification API, with the texts
/// as single-quoted PowerShell strings (a quote doubled) and XML-escaped.
fn windows_toast(title: &str, body: &str) -> String {
    let text = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('\'', "''")
    };
    format!(
        "[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] > $null; \
         $x = [Windows.Data.Xml.Dom.XmlDocument, Windows.Data.Xml.Dom.XmlDocument, ContentType = WindowsRuntime]::new(); \
         $x.LoadXml('<toast><visual><binding template=\"ToastGeneric\"><text>{}</text><text>{}</text></binding></visual></toast>'); \
         [Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier('confide').Show([Windows.UI.Notifications.ToastNotification]::new($x))",
        text(title),
        text(body)
    )
}

/// Whether a scheduled run should print the report: only when something got worse.
pub(super) fn scheduled_has_news(report: &Report) -> bool {
    report.changes.as_ref().is_some_and(|c| !c.worse.is_empty())
}
