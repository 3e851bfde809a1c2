//! macOS: the Software Update preferences, which macOS keeps in one system-wide domain.

use jiff::tz::TimeZone;
use jiff::{Timestamp, civil::Date, fmt::strtime};

use super::{Automatic, LastRun, Reading};
use crate::probe::macos_defaults::{self, Defaults, DefaultsBool, parse_defaults_bool};
use crate::system::System;
use crate::words::join_names;

const SOFTWARE_UPDATE: &str = "/Library/Preferences/com.apple.SoftwareUpdate";

/// What a Software Update setting does, which decides what it being off means.
#[derive(Debug, Clone, Copy, PartialEq)]
enum MacRole {
    /// Off means nothing happens by itself.
    Essential,
    /// Off means a person has to download or install.
    Convenience,
}

/// The keys behind System Settings › General › Software Update › Automatic updates, with the
/// words the settings show. macOS treats an unset key as on (tests/fixtures/macos/os-updates/NOTES.md).
const MAC_KEYS: [(&str, &str, MacRole); 5] = [
    ("AutomaticCheckEnabled", "Check for updates", MacRole::Essential),
    (
        "CriticalUpdateInstall",
        "Install Security Responses and system files",
        MacRole::Essential,
    ),
    (
        "ConfigDataInstall",
        "Install security data files (XProtect)",
        MacRole::Essential,
    ),
    (
        "AutomaticDownload",
        "Download new updates when available",
        MacRole::Convenience,
    ),
    (
        "AutomaticallyInstallMacOSUpdates",
        "Install macOS updates",
        MacRole::Convenience,
    ),
];

/// Reads the Software Update settings and the date of the last successful check.
pub(super) fn read(system: &dyn System) -> Reading {
    let mut evidence = Vec::new();
    let (mut essential_off, mut manual, mut unset, mut unread) = (vec![], vec![], vec![], vec![]);
    for (key, label, role) in MAC_KEYS {
        let shown = format!("`defaults read {SOFTWARE_UPDATE} {key}` ({label})");
        let out = system.run("defaults", &["read", SOFTWARE_UPDATE, key]);
        match parse_defaults_bool(&out) {
            DefaultsBool::True => evidence.push(format!("{shown}: on")),
            DefaultsBool::False => {
                evidence.push(format!("{shown}: off"));
                match role {
                    MacRole::Essential => essential_off.push(format!("\"{label}\"")),
                    MacRole::Convenience => manual.push(format!("\"{label}\"")),
                }
            }
            DefaultsBool::NotSet => {
                evidence.push(format!("{shown}: not set, which macOS treats as on"));
                unset.push(key.to_string());
            }
            DefaultsBool::Unexpected(why) => {
                evidence.push(format!("{shown} could not be read: {why}"));
                unread.push(format!("\"{label}\""));
            }
        }
    }
    let last = mac_last_check(system, &mut evidence);
    let automatic = if !essential_off.is_empty() {
        Automatic::Off(format!(
            "Your Mac's automatic updates are partly off: {} {} turned off in Software Update.",
            join_names(&essential_off),
            if essential_off.len() == 1 { "is" } else { "are" }
        ))
    } else if !unread.is_empty() {
        Reading::unreadable(format!(
            "Could not tell whether your Mac updates itself: {} could not be read.",
            join_names(&unread)
        ))
    } else if !manual.is_empty() {
        Automatic::Manual(format!(
            "Your Mac checks for updates, but {} {} off: you have to install updates yourself.",
            join_names(&manual),
            if manual.len() == 1 { "is" } else { "are" }
        ))
    } else {
        Automatic::On
    };
    let last_check = match &last {
        LastRun::On { date, .. } => Some(*date),
        _ => None,
    };
    let pending = super::mac_pending::read(system, last_check, &mut evidence);
    let mut reading = Reading::new(automatic, last, evidence);
    reading.pending = pending;
    if !unset.is_empty() {
        reading.defaults = Some(format!(
            "macOS's defaults for settings never changed on this Mac ({} not set, which macOS treats as on)",
            join_names(&unset)
        ));
    }
    reading
}

/// `LastSuccessfulDate`: the last successful check for updates (not an install: a plain
/// `softwareupdate -l` also moves it, NOTES.md).
fn mac_last_check(system: &dyn System, evidence: &mut Vec<String>) -> LastRun {
    let shown = format!("`defaults read {SOFTWARE_UPDATE} LastSuccessfulDate`");
    match macos_defaults::read(system, SOFTWARE_UPDATE, "LastSuccessfulDate") {
        Defaults::Value(v) => match parse_mac_date(&v) {
            Some(date) => {
                evidence.push(format!("{shown}: {}", v.trim()));
                LastRun::On {
                    date,
                    what: "checked for updates",
                }
            }
            None => {
                evidence.push(format!("{shown}: unexpected value `{}`", v.trim()));
                LastRun::NotRead
            }
        },
        Defaults::NotSet => {
            evidence.push(format!("{shown}: not set"));
            LastRun::NotRead
        }
        Defaults::Unexpected(why) => {
            evidence.push(format!("{shown} could not be read: {why}"));
            LastRun::NotRead
        }
    }
}

/// Parses a date as `defaults read` prints one, in UTC with its offset, into a local date:
///
/// ```text
/// 2021-02-23 07:52:51 +0000
/// ```
///
/// The whole-domain dump puts it in quotes (`"2021-02-23 07:52:51 +0000"`), which are dropped.
pub fn parse_mac_date(text: &str) -> Option<Date> {
    let text = text.trim().trim_matches('"');
    let ts: Timestamp = strtime::parse("%Y-%m-%d %H:%M:%S %z", text).ok()?.to_timestamp().ok()?;
    Some(ts.to_zoned(TimeZone::system()).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_defaults_prints_them() {
        assert!(parse_mac_date("2021-02-23 07:52:51 +0000").is_some());
        assert_eq!(
            parse_mac_date("\"2021-02-23 07:52:51 +0000\""),
            parse_mac_date("2021-02-23 07:52:51 +0000")
        );
        assert_eq!(parse_mac_date("yesterday"), None);
    }
}
