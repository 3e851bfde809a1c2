//! The weekly check: a schedule for the current user on each OS, never needing administrator
//! rights, that runs `confide scan --scheduled`.
//!
//! Each backend builds its files with pure functions (tested against the OS's own validators)
//! and applies them through [`Effects`], so every OS's installer runs in tests on Linux.

pub mod cron;
pub mod launchd;
pub mod systemd;
pub mod task_scheduler;

use std::path::PathBuf;

use crate::system::effects::Effects;
use crate::system::{OsFamily, System};

/// The name every backend gives the schedule, so it can be found and removed again.
pub const NAME: &str = "confide-weekly";

/// When the weekly check runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub day: jiff::civil::Weekday,
    pub hour: u8,
    pub minute: u8,
}

impl Default for When {
    fn default() -> Self {
        When {
            day: jiff::civil::Weekday::Monday,
            hour: 10,
            minute: 0,
        }
    }
}

impl When {
    /// Parses `--day` (`mon`, `monday`, any case) and `--time` (`HH:MM`, 24-hour).
    pub fn parse(day: &str, time: &str) -> Result<When, String> {
        use jiff::civil::Weekday::*;
        let d = day.trim().to_ascii_lowercase();
        let day = match d.get(..3.min(d.len())) {
            Some("mon") if "monday".starts_with(&d) => Monday,
            Some("tue") if "tuesday".starts_with(&d) => Tuesday,
            Some("wed") if "wednesday".starts_with(&d) => Wednesday,
            Some("thu") if "thursday".starts_with(&d) => Thursday,
            Some("fri") if "friday".starts_with(&d) => Friday,
            Some("sat") if "saturday".starts_with(&d) => Saturday,
            Some("sun") if "sunday".starts_with(&d) => Sunday,
            _ => {
                return Err(format!(
                    "--day {day}: not a day of the week; use mon, tue, wed, thu, fri, sat or sun"
                ));
            }
        };
        let bad =
            || format!("--time {time}: not a time of day; use HH:MM on the 24-hour clock, such as 10:00 or 18:30");
        let (h, m) = time.trim().split_once(':').ok_or_else(bad)?;
        let hour: u8 = h.parse().map_err(|_| bad())?;
        let minute: u8 = m.parse().map_err(|_| bad())?;
        if hour > 23 || minute > 59 || m.len() != 2 {
            return Err(bad());
        }
        Ok(When { day, hour, minute })
    }

    /// Three-letter English day name, as systemd's `OnCalendar=` takes it.
    pub fn day_abbrev(&self) -> &'static str {
        use jiff::civil::Weekday::*;
        match self.day {
            Monday => "Mon",
            Tuesday => "Tue",
            Wednesday => "Wed",
            Thursday => "Thu",
            Friday => "Fri",
            Saturday => "Sat",
            Sunday => "Sun",
        }
    }

    /// "Mondays at 10:00", for messages.
    pub fn describe(&self) -> String {
        format!("{:?}s at {:02}:{:02}", self.day, self.hour, self.minute)
    }
}

/// Where things go on this computer, worked out once by the command line.
#[derive(Debug, Clone)]
pub struct Target {
    pub os: OsFamily,
    pub home: PathBuf,
    /// The confide program the schedule runs.
    pub exe: PathBuf,
    /// `$XDG_CONFIG_HOME` on Linux, when set.
    pub xdg_config_home: Option<PathBuf>,
}

/// Which scheduler holds the weekly check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    /// A systemd user timer (Linux with a user systemd manager).
    Systemd,
    /// A line in the user's crontab (Linux without one).
    Cron,
    /// A LaunchAgent (macOS).
    Launchd,
    /// A Task Scheduler task (Windows).
    TaskScheduler,
}

/// What `schedule status` found.
#[derive(Debug, Clone, PartialEq)]
pub struct Installed {
    pub backend: Backend,
    /// What holds it: a file, or the crontab line, or the task's name.
    pub location: String,
    /// What the scheduler itself says (loaded, next run), when it says.
    pub detail: Option<String>,
}

/// Why a schedule could not be set up, read or removed.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Failed(String),
}

/// The backend for this computer: on Linux a systemd user timer when a user manager answers,
/// otherwise cron.
pub fn choose(fx: &dyn Effects, os: OsFamily) -> Backend {
    match os {
        OsFamily::Macos => Backend::Launchd,
        OsFamily::Windows => Backend::TaskScheduler,
        OsFamily::Linux => {
            if fx.run("systemctl", &["--user", "show-environment"]).succeeded() {
                Backend::Systemd
            } else {
                Backend::Cron
            }
        }
    }
}

/// Installs (or replaces) the weekly check; installing twice leaves one schedule.
pub fn install(fx: &dyn Effects, t: &Target, when: When, backend: Backend) -> Result<Installed, ScheduleError> {
    match backend {
        Backend::Systemd => systemd::install(fx, t, when),
        Backend::Cron => cron::install(fx, t, when),
        Backend::Launchd => launchd::install(fx, t, when),
        Backend::TaskScheduler => task_scheduler::install(fx, t, when),
    }
}

/// Removes the weekly check from every backend of this OS where it is found.
pub fn remove(fx: &dyn Effects, t: &Target) -> Result<Vec<Installed>, ScheduleError> {
    let mut removed = Vec::new();
    for &backend in backends(t.os) {
        if let Some(found) = status_of(fx, t, backend)? {
            match backend {
                Backend::Systemd => systemd::remove(fx, t)?,
                Backend::Cron => cron::remove(fx, t)?,
                Backend::Launchd => launchd::remove(fx, t)?,
                Backend::TaskScheduler => task_scheduler::remove(fx, t)?,
            }
            removed.push(found);
        }
    }
    Ok(removed)
}

/// Every schedule of confide's found on this computer.
pub fn status(fx: &dyn Effects, t: &Target) -> Result<Vec<Installed>, ScheduleError> {
    let mut found = Vec::new();
    for &backend in backends(t.os) {
        found.extend(status_of(fx, t, backend)?);
    }
    Ok(found)
}

fn backends(os: OsFamily) -> &'static [Backend] {
    match os {
        OsFamily::Linux => &[Backend::Systemd, Backend::Cron],
        OsFamily::Macos => &[Backend::Launchd],
        OsFamily::Windows => &[Backend::TaskScheduler],
    }
}

fn status_of(fx: &dyn Effects, t: &Target, backend: Backend) -> Result<Option<Installed>, ScheduleError> {
    match backend {
        Backend::Systemd => Ok(systemd::status(fx, t)),
        Backend::Cron => cron::status(fx, t),
        Backend::Launchd => Ok(launchd::status(fx, t)),
        Backend::TaskScheduler => Ok(task_scheduler::status(fx, t)),
    }
}

/// A cheap "is a schedule installed?" for an interactive scan, through the System: the files a
/// backend writes, or the crontab's marked line, or the task's name.
pub fn installed(system: &dyn System) -> bool {
    use crate::system::FileRead;
    let home = system.env("HOME").or_else(|| system.env("USERPROFILE"));
    let exists = |p: PathBuf| matches!(system.read_file(&p.to_string_lossy()), FileRead::Contents(_));
    match system.os().family {
        OsFamily::Linux => {
            let config = system
                .env("XDG_CONFIG_HOME")
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|h| PathBuf::from(h).join(".config")));
            config.is_some_and(|c| exists(systemd::unit_dir_in(&c).join(systemd::TIMER)))
                || system.run("crontab", &["-l"]).stdout.contains(cron::MARKER)
        }
        OsFamily::Macos => home.is_some_and(|h| exists(launchd::plist_path_in(&PathBuf::from(h)))),
        OsFamily::Windows => system.run("schtasks", &["/Query", "/TN", NAME]).succeeded(),
    }
}

/// Fails with the command's own words when it did not succeed.
fn must(fx: &dyn Effects, program: &str, args: &[&str]) -> Result<crate::system::CommandOutput, ScheduleError> {
    let out = fx.run(program, args);
    match out.failure(program) {
        None => Ok(out),
        Some(why) => Err(ScheduleError::Failed(why)),
    }
}

fn write(fx: &dyn Effects, path: &std::path::Path, bytes: &[u8]) -> Result<(), ScheduleError> {
    fx.write(path, bytes)
        .map_err(|e| ScheduleError::Failed(format!("could not write {}: {e}", path.display())))
}

fn remove_file(fx: &dyn Effects, path: &std::path::Path) -> Result<(), ScheduleError> {
    fx.remove(path)
        .map_err(|e| ScheduleError::Failed(format!("could not remove {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_times_parse_and_bad_ones_say_how_to_write_them() {
        let w = When::parse("Wed", "18:30").unwrap();
        assert_eq!((w.day, w.hour, w.minute), (jiff::civil::Weekday::Wednesday, 18, 30));
        assert_eq!(When::parse("sunday", "07:05").unwrap().day_abbrev(), "Sun");
        assert!(When::parse("funday", "10:00").unwrap_err().contains("mon, tue"));
        assert!(When::parse("mon", "25:00").unwrap_err().contains("HH:MM"));
        assert!(When::parse("mon", "10:5").is_err());
        assert!(When::parse("mo", "10:00").is_err());
    }
}
