//! `confide schedule install|status|remove`: the weekly check, for the current user.

use std::path::PathBuf;

use clap::Subcommand;

use super::{Failure, exit, output};
use crate::history::{HISTORY_FILE, History};
use crate::schedule::{self, Backend, ScheduleError, Target, When};
use crate::system::System;
use crate::system::effects::LiveEffects;
use crate::system::exec::ExecLimits;
use crate::system::live::{LiveSystem, process_env};

#[derive(Subcommand, Debug)]
pub(super) enum ScheduleAction {
    /// Run `confide scan --scheduled` every week (installing again replaces the schedule).
    Install {
        /// The day of the week: mon, tue, wed, thu, fri, sat or sun.
        #[arg(long, default_value = "mon")]
        day: String,
        /// The time of day, HH:MM on the 24-hour clock.
        #[arg(long, default_value = "10:00")]
        time: String,
        /// On Linux: a systemd user timer or a crontab line (default: systemd when it runs).
        #[arg(long, value_enum, value_name = "SCHEDULER")]
        with: Option<Backend>,
    },
    /// Show whether the weekly check is set up and when it last ran.
    Status,
    /// Stop the weekly check.
    Remove,
}

/// `confide schedule …`.
pub(super) fn schedule(action: ScheduleAction) -> Result<i32, Failure> {
    let os = LiveSystem::new(ExecLimits::default()).os().family;
    let home = process_env("HOME")
        .or_else(|| process_env("USERPROFILE"))
        .map(PathBuf::from)
        .ok_or_else(|| {
            Failure::Usage("there is no home folder (HOME is not set), so no schedule can be set up for you".into())
        })?;
    let exe = std::env::current_exe()
        .map_err(|e| Failure::CannotRun(format!("could not tell where confide itself is: {e}")))?;
    let target = Target {
        os,
        home,
        exe,
        xdg_config_home: process_env("XDG_CONFIG_HOME").map(PathBuf::from),
    };
    let fx = LiveEffects {
        limits: ExecLimits::default(),
    };
    let failed = |e: ScheduleError| match e {
        ScheduleError::Usage(m) => Failure::Usage(m),
        ScheduleError::Failed(m) => Failure::CannotRun(m),
    };
    match action {
        ScheduleAction::Install { day, time, with } => {
            let when = When::parse(&day, &time).map_err(Failure::Usage)?;
            let backend = with.unwrap_or_else(|| schedule::choose(&fx, os));
            let allowed = match os {
                crate::system::OsFamily::Linux => matches!(backend, Backend::Systemd | Backend::Cron),
                crate::system::OsFamily::Macos => backend == Backend::Launchd,
                crate::system::OsFamily::Windows => backend == Backend::TaskScheduler,
            };
            if !allowed {
                return Err(Failure::Usage(format!("--with {backend:?} is not available on {os}")));
            }
            let done = schedule::install(&fx, &target, when, backend).map_err(failed)?;
            say(&format!(
                "The weekly check is set up: {} ({}).\nEach run keeps its report in {} and tells you on the desktop when something got worse.\nStop it with `confide schedule remove`.\n",
                when.describe(),
                done.location,
                crate::paths::data_dir()
                    .map(|d| super::weekly::latest_dir(&d).display().to_string())
                    .unwrap_or_else(|| "confide's data folder".into())
            ))
        }
        ScheduleAction::Status => {
            let found = schedule::status(&fx, &target).map_err(failed)?;
            let mut text = String::new();
            if found.is_empty() {
                text.push_str("The weekly check is not set up. Set it up with `confide schedule install`.\n");
            }
            for f in &found {
                text.push_str(&format!("The weekly check is set up: {}\n", f.location));
                if let Some(d) = &f.detail {
                    text.push_str(&format!("  {d}\n"));
                }
            }
            text.push_str(&last_run());
            say(&text)
        }
        ScheduleAction::Remove => {
            let removed = schedule::remove(&fx, &target).map_err(failed)?;
            if removed.is_empty() {
                say("There was no weekly check to remove.\n")
            } else {
                say("The weekly check is removed. Your history and reports are kept.\n")
            }
            .map(|_| exit::OK)
        }
    }
}

/// Prints `text` wrapped at word boundaries to the terminal's width (an indented line keeps its
/// indent), so a sentence is never cut mid-word at 80 columns.
fn say(text: &str) -> Result<i32, Failure> {
    output::print(&crate::report::wrap::fill_page(text, super::width::choose(true)))
}

/// "Last scheduled run: …", from the history.
fn last_run() -> String {
    let Some(data) = crate::paths::data_dir() else {
        return String::new();
    };
    match History::load(&data.join(HISTORY_FILE)) {
        Ok(h) => match h.entries.iter().rev().find(|e| e.scheduled) {
            Some(e) => format!(
                "Last scheduled run: {} UTC. Its result: {}.\n",
                e.time.strftime("%Y-%m-%d %H:%M"),
                crate::report::reading::status_words(e.overall).to_lowercase()
            ),
            None => "No scheduled run yet.\n".to_string(),
        },
        Err(e) => format!("The history could not be read: {e}\n"),
    }
}
