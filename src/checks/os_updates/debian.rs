//! Debian and Ubuntu: unattended-upgrades, its APT::Periodic settings, its log and apt's stamps.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::linux::{UnitState, parse_is_enabled};
use super::{Automatic, LastRun, Reading, Reason};
use crate::system::{CommandOutput, FileRead, System};

const UNATTENDED_CONFIG: &str = "/etc/apt/apt.conf.d/50unattended-upgrades";
const UNATTENDED_LOG: &str = "/var/log/unattended-upgrades/unattended-upgrades.log";
const UPDATE_STAMP: &str = "/var/lib/apt/periodic/update-stamp";

/// The `APT::Periodic::*` settings from `apt-config dump APT::Periodic`, as `(name, value)`:
///
/// ```text
/// APT::Periodic "";
/// APT::Periodic::Update-Package-Lists "1";
/// APT::Periodic::Unattended-Upgrade "1";
/// ```
///
/// Without any setting it prints nothing and exits 0.
pub fn parse_apt_periodic(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("APT::Periodic::")?;
            let (name, value) = rest.split_once(' ')?;
            let value = value.trim().strip_suffix(';')?.trim().trim_matches('"');
            Some((name.to_string(), value.to_string()))
        })
        .collect()
}

/// Whether an `APT::Periodic` interval runs the job: `0` (or nothing) is off; a number of days,
/// a number with an `s`/`m`/`h`/`d` suffix, or `always` is on (as `/usr/lib/apt/apt.systemd.daily`
/// reads them). `None` for anything else.
pub fn apt_interval_on(value: &str) -> Option<bool> {
    let value = value.trim();
    if value == "always" {
        return Some(true);
    }
    if value.is_empty() {
        return Some(false);
    }
    let number = value.strip_suffix(['s', 'm', 'h', 'd']).unwrap_or(value);
    number.parse::<u64>().ok().map(|n| n > 0)
}

/// Reads unattended-upgrades' settings (`apt` is `apt-config dump APT::Periodic`, already run).
pub(super) fn read(system: &dyn System, apt: &CommandOutput) -> Reading {
    let mut evidence = Vec::new();
    let shown = "`apt-config dump APT::Periodic`";
    if !apt.succeeded() {
        return Reading::unknown(
            Reason::SettingsUnreadable,
            "Could not tell whether updates are automatic: `apt-config` did not answer.",
            vec![format!("{shown} failed: {}", apt.stderr.trim())],
        );
    }
    let settings = parse_apt_periodic(&apt.stdout);
    // apt-config prints the value that wins, but the last line would win if a name came twice.
    let setting = |name: &str| -> (Option<String>, String) {
        let value = settings.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        let line = match &value {
            Some(v) => format!("APT::Periodic::{name} \"{v}\""),
            None => format!("APT::Periodic::{name} is not set"),
        };
        (value, line)
    };
    let (lists, lists_line) = setting("Update-Package-Lists");
    let (upgrade, upgrade_line) = setting("Unattended-Upgrade");
    evidence.push(format!("{shown}: {lists_line}; {upgrade_line}"));
    let on = |v: &Option<String>| v.as_deref().map_or(Some(false), apt_interval_on);

    let installed = match system.read_file(UNATTENDED_CONFIG) {
        FileRead::Contents(_) => {
            evidence.push(format!(
                "{UNATTENDED_CONFIG} is there: unattended-upgrades is installed"
            ));
            Some(true)
        }
        FileRead::Missing => {
            evidence.push(format!(
                "{UNATTENDED_CONFIG} does not exist: unattended-upgrades is not installed"
            ));
            Some(false)
        }
        other => {
            evidence.push(format!("{UNATTENDED_CONFIG} could not be read: {other:?}"));
            None
        }
    };
    let timer = parse_is_enabled(&system.run("systemctl", &["is-enabled", "apt-daily-upgrade.timer"]));
    evidence.push(format!(
        "`systemctl is-enabled apt-daily-upgrade.timer`: {}",
        timer.words()
    ));
    let last = debian_last_run(system, &mut evidence);

    let automatic = if installed == Some(false) {
        Automatic::Off("Automatic updates are not set up: the unattended-upgrades package is not installed.".into())
    } else if on(&upgrade) == Some(false) || on(&lists) == Some(false) {
        Automatic::Off(
            "Automatic updates are turned off: unattended-upgrades is not set to fetch and install updates every day."
                .into(),
        )
    } else if timer == UnitState::Disabled {
        Automatic::Off(
            "Automatic updates are turned off: the daily update timer (apt-daily-upgrade.timer) is disabled.".into(),
        )
    } else if installed.is_none() || on(&upgrade).is_none() || on(&lists).is_none() {
        Reading::unreadable(
            "Could not tell whether updates are automatic: the unattended-upgrades settings could not be read.",
        )
    } else {
        Automatic::On
    };
    Reading::new(automatic, last, evidence)
}

/// The most recent sign that unattended-upgrades or the daily package-list update ran: the log's
/// last INFO line (readable by root and the `adm` group only) and the update stamp's date.
fn debian_last_run(system: &dyn System, evidence: &mut Vec<String>) -> LastRun {
    let mut dates = Vec::new();
    match system.read_file(UNATTENDED_LOG) {
        FileRead::Contents(text) => match last_log_info(&text) {
            Some((date, line)) => {
                evidence.push(format!("{UNATTENDED_LOG}, last entry: {line}"));
                dates.push((date, "ran unattended-upgrades"));
            }
            None => evidence.push(format!("{UNATTENDED_LOG} has no INFO entry")),
        },
        FileRead::Missing => evidence.push(format!("{UNATTENDED_LOG} does not exist")),
        FileRead::Unreadable(why) => evidence.push(format!(
            "{UNATTENDED_LOG} could not be read ({why}): only root and the adm group may read it"
        )),
        FileRead::Directory => evidence.push(format!("{UNATTENDED_LOG} is a directory")),
    }
    let stamp_exists = match system.read_file(UPDATE_STAMP) {
        FileRead::Missing => {
            evidence.push(format!(
                "{UPDATE_STAMP} does not exist: the daily update has not run yet"
            ));
            false
        }
        _ => true,
    };
    if stamp_exists {
        match system.modified(UPDATE_STAMP) {
            Some(ts) => {
                let date = ts.to_zoned(TimeZone::system()).date();
                evidence.push(format!(
                    "{UPDATE_STAMP} last changed on {date}: package lists were last updated then"
                ));
                dates.push((date, "updated its package lists"));
            }
            None => evidence.push(format!("the date of {UPDATE_STAMP} could not be read")),
        }
    }
    match dates.into_iter().max_by_key(|(d, _)| *d) {
        Some((date, what)) => LastRun::On { date, what },
        None if !stamp_exists => LastRun::Never,
        None => LastRun::NotRead,
    }
}

/// The date and text of the last INFO line of the unattended-upgrades log, whose lines are
/// `YYYY-MM-DD HH:MM:SS,mmm LEVEL message` in local time:
///
/// ```text
/// 2026-11-22 20:41:03,194 INFO All upgrades installed
/// ```
pub fn last_log_info(text: &str) -> Option<(Date, String)> {
    text.lines().rev().find_map(|line| {
        let mut words = line.splitn(4, ' ');
        let (day, _time, level) = (words.next()?, words.next()?, words.next()?);
        (level == "INFO").then_some(())?;
        Some((day.parse::<Date>().ok()?, line.trim().to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apt_intervals() {
        for (value, on) in [
            ("1", Some(true)),
            ("0", Some(false)),
            ("", Some(false)),
            ("always", Some(true)),
            ("12h", Some(true)),
            ("0d", Some(false)),
            ("yes", None),
        ] {
            assert_eq!(apt_interval_on(value), on, "{value:?}");
        }
    }
}
