//! Windows: the Windows Update Group Policy in the registry, and Windows Update's own results.

use jiff::civil::Date;
use jiff::fmt::strtime;

use super::{Automatic, LastRun, Reading};
use crate::probe::windows_reg::{self, RegValue};
use crate::system::System;

const AU_POLICY_KEY: &str = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU";

/// The COM object Windows Update keeps its last results in (MS-UAMG `IAutoUpdateResults`).
/// Run without `-NonInteractive`, unlike [`crate::probe::powershell::run`]: the recorded sample
/// (tests/fixtures/windows/os-updates/wu-autoupdate-results-de.toml) and snapshots already
/// collected were asked exactly this, and a replay answers only the same arguments.
const WU_RESULTS: [&str; 3] = [
    "-NoProfile",
    "-Command",
    "(New-Object -ComObject Microsoft.Update.AutoUpdate).Results",
];

/// Reads the Windows Update Group Policy and Windows Update's last install date.
pub(super) fn read(system: &dyn System) -> Reading {
    let mut evidence = Vec::new();
    let shown = |name: &str| format!("Group Policy {name} (registry {AU_POLICY_KEY})");
    let no_auto = windows_reg::query(system, AU_POLICY_KEY, "NoAutoUpdate");
    let options = windows_reg::query(system, AU_POLICY_KEY, "AUOptions");
    for (name, value) in [("NoAutoUpdate", &no_auto), ("AUOptions", &options)] {
        evidence.push(match value {
            RegValue::Dword(v) => format!("{} = {v}", shown(name)),
            RegValue::NotSet => format!("{} is not set", shown(name)),
            RegValue::Sz(s) => format!("{}: unexpected text value `{s}`", shown(name)),
            RegValue::Unexpected(why) => format!("{} could not be read: {why}", shown(name)),
        });
    }
    let last = windows_last_install(system, &mut evidence);
    let unreadable =
        |what: String| Reading::unreadable(format!("Could not tell whether Windows updates itself: {what}."));
    let automatic = match (&no_auto, &options) {
        (RegValue::Dword(1), _) => {
            Automatic::Off("Automatic updates are turned off on this computer by a policy (NoAutoUpdate = 1).".into())
        }
        (RegValue::Dword(0) | RegValue::NotSet, RegValue::NotSet) => Automatic::On,
        (RegValue::Dword(0) | RegValue::NotSet, RegValue::Dword(option)) => au_option(*option)
            .unwrap_or_else(|| unreadable(format!("the policy AUOptions = {option} is not one confide knows"))),
        (RegValue::Dword(0) | RegValue::NotSet, _) => unreadable("the update policy could not be read".into()),
        (RegValue::Dword(v), _) => unreadable(format!("the policy NoAutoUpdate = {v} is not one confide knows")),
        _ => unreadable("the update policy could not be read".into()),
    };
    let last_install = match &last {
        LastRun::On { date, .. } => Some(*date),
        _ => None,
    };
    let mut reading = Reading::new(automatic, last, evidence);
    reading.pending = super::windows_pending::read(system, &mut reading.evidence, last_install);
    if options == RegValue::NotSet && matches!(no_auto, RegValue::NotSet | RegValue::Dword(0)) {
        reading.defaults = Some(
            "Windows's default: no policy sets how updates are installed, and by default Windows downloads and installs them by itself"
                .into(),
        );
    }
    reading
}

/// What the Group Policy "Configure Automatic Updates" option (`AUOptions`) means: 2 notify
/// before downloading, 3 download and notify to install, 4 download and install on a schedule.
/// Other values (5, 7) have no real sample and are not guessed.
fn au_option(option: u32) -> Option<Automatic> {
    let manual = |how: &str| {
        Automatic::Manual(format!(
            "A policy on this computer ({how}) makes Windows wait for you to install updates."
        ))
    };
    match option {
        2 => Some(manual("AUOptions = 2, notify before downloading")),
        3 => Some(manual("AUOptions = 3, download and notify to install")),
        4 => Some(Automatic::On),
        _ => None,
    }
}

/// `LastInstallationSuccessDate` from Windows Update's results, when its date can be read.
fn windows_last_install(system: &dyn System, evidence: &mut Vec<String>) -> LastRun {
    let shown = "`(New-Object -ComObject Microsoft.Update.AutoUpdate).Results`";
    let out = system.run("powershell", &WU_RESULTS);
    if !out.succeeded() {
        evidence.push(format!("{shown} gave no answer, so the last install date is not known"));
        return LastRun::NotRead;
    }
    match parse_wu_results(&out.stdout, "LastInstallationSuccessDate") {
        WuDate::Date(date, text) => {
            evidence.push(format!("{shown}: LastInstallationSuccessDate {text}"));
            LastRun::On {
                date,
                what: "installed updates",
            }
        }
        WuDate::Empty => {
            evidence.push(format!(
                "{shown}: LastInstallationSuccessDate is empty (no install recorded)"
            ));
            LastRun::NotRead
        }
        WuDate::OtherFormat(text) => {
            evidence.push(format!(
                "{shown}: LastInstallationSuccessDate `{text}` is in a date format confide has no sample of, so it is not used"
            ));
            LastRun::NotRead
        }
        WuDate::Absent => {
            evidence.push(format!("{shown}: no LastInstallationSuccessDate line"));
            LastRun::NotRead
        }
    }
}

/// One date line of Windows Update's results.
#[derive(Debug, Clone, PartialEq)]
pub enum WuDate {
    Date(Date, String),
    /// The line is there with no value (MS-UAMG: empty when unknown).
    Empty,
    /// A date in another display language's format, not parsed.
    OtherFormat(String),
    Absent,
}

/// Parses one `Name : value` line of `(New-Object -ComObject Microsoft.Update.AutoUpdate).Results`.
/// PowerShell prints the dates in the display language's format; the one real sample is German
/// (`dd.MM.yyyy HH:mm:ss`), so only that format is read:
///
/// ```text
/// LastSearchSuccessDate       : 17.08.2019 08:20:09
/// LastInstallationSuccessDate : 17.08.2019 08:20:27
/// ```
pub fn parse_wu_results(stdout: &str, name: &str) -> WuDate {
    let Some(value) = stdout.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == name).then(|| value.trim().to_string())
    }) else {
        return WuDate::Absent;
    };
    if value.is_empty() {
        return WuDate::Empty;
    }
    let day_first = value
        .split_whitespace()
        .next()
        .and_then(|d| strtime::parse("%d.%m.%Y", d).ok())
        .and_then(|d| d.to_date().ok());
    match day_first {
        Some(date) => WuDate::Date(date, value),
        None => WuDate::OtherFormat(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_german_sample_is_read() {
        let de = "LastSearchSuccessDate       : 17.08.2019 08:20:09\r\nLastInstallationSuccessDate : 17.08.2019 08:20:27\r\n";
        assert_eq!(
            parse_wu_results(de, "LastInstallationSuccessDate"),
            WuDate::Date(Date::constant(2019, 8, 17), "17.08.2019 08:20:27".into())
        );
        assert_eq!(parse_wu_results(de, "Nothing"), WuDate::Absent);
    }
}
