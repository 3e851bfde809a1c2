//! Windows: the Windows Update Group Policy in the registry, and Windows Update's own results.

use jiff::civil::Date;

use super::{Automatic, LastRun, Reading};
use crate::probe::windows_reg::{self, RegValue};
use crate::system::System;

const AU_POLICY_KEY: &str = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU";

/// Windows Update's last successful search and install (MS-UAMG `IAutoUpdateResults`), each
/// printed by the script itself as `yyyy-MM-dd` in the invariant culture (the default output is in
/// the display language's format and calendar), or `none` when Windows has no date.
pub const WU_DATES: &str = "$results = (New-Object -ComObject Microsoft.Update.AutoUpdate).Results; \
foreach ($name in 'LastSearchSuccessDate', 'LastInstallationSuccessDate') { $date = $results.$name; \
if ($date) { $name + ' ' + $date.ToString('yyyy-MM-dd', [Globalization.CultureInfo]::InvariantCulture) } else { $name + ' none' } }";

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
    let dates = windows_dates(system, &mut evidence);
    let last = match dates.search {
        Some(date) => LastRun::On {
            date,
            what: "checked for updates",
        },
        None => LastRun::NotRead,
    };
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
    let mut reading = Reading::new(automatic, last, evidence);
    reading.pending = super::windows_pending::read(system, &mut reading.evidence, &dates);
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

/// Windows Update's own dates, where it has them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WuDates {
    /// The last successful search for updates: the day the list of updates waiting is as of.
    pub search: Option<Date>,
    /// The last successful install: a restart pending has waited since then at the latest.
    pub install: Option<Date>,
}

fn windows_dates(system: &dyn System, evidence: &mut Vec<String>) -> WuDates {
    let shown = "Windows Update's results (Microsoft.Update.AutoUpdate)";
    let out = crate::probe::powershell::run(system, WU_DATES);
    if let Some(why) = out.failure("PowerShell") {
        evidence.push(format!("{shown} could not be read, so when it last looked for updates is not known: {why}"));
        return WuDates::default();
    }
    match parse_wu_dates(&out.stdout) {
        Ok(dates) => {
            let said = |d: Option<Date>| d.map_or("none recorded".to_string(), |d| d.to_string());
            evidence.push(format!(
                "{shown}: last successful search for updates {}, last successful install {}",
                said(dates.search),
                said(dates.install)
            ));
            dates
        }
        Err(why) => {
            evidence.push(format!("{shown} could not be read: {why}"));
            WuDates::default()
        }
    }
}

/// Parses [`WU_DATES`]' two lines. The values are Windows Update's (the one real sample of them,
/// German-formatted, is 17.08.2019 for both); the layout is the script's own:
///
/// ```text
/// LastSearchSuccessDate 2019-08-17
/// LastInstallationSuccessDate 2019-08-17
/// ```
///
/// `none`, or a day before 2000 (an empty COM date reads as 1899-12-30), is no date. `Err` when
/// a line is missing or is not a day.
pub fn parse_wu_dates(stdout: &str) -> Result<WuDates, String> {
    let read = |name: &str| -> Result<Option<Date>, String> {
        let value = stdout
            .lines()
            .find_map(|line| line.trim().strip_prefix(name)?.strip_prefix(' ').map(str::trim))
            .ok_or_else(|| format!("no {name} in its answer"))?;
        if value == "none" {
            return Ok(None);
        }
        let date: Date = value
            .parse()
            .map_err(|_| format!("{name} `{}` is not a day", crate::words::excerpt(value, 40)))?;
        Ok((date.year() >= 2000).then_some(date))
    };
    Ok(WuDates {
        search: read("LastSearchSuccessDate")?,
        install: read("LastInstallationSuccessDate")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_none_and_the_empty_com_date() {
        let both = "LastSearchSuccessDate 2019-08-17\r\nLastInstallationSuccessDate 2019-08-17\r\n";
        let d = Date::constant(2019, 8, 17);
        assert_eq!(parse_wu_dates(both), Ok(WuDates { search: Some(d), install: Some(d) }));
        let none = "LastSearchSuccessDate none\nLastInstallationSuccessDate 1899-12-30\n";
        assert_eq!(parse_wu_dates(none), Ok(WuDates::default()));
        assert!(parse_wu_dates("LastSearchSuccessDate 17.08.2019\nLastInstallationSuccessDate none").is_err());
        assert!(parse_wu_dates("LastSearchSuccessDate 2019-08-17").is_err());
        assert!(parse_wu_dates("").is_err());
    }
}
