//! Windows: a password-protected screen saver (the Group Policy copy first), the machine
//! inactivity limit, and the display turning off with sign-in required on wake (`powercfg`),
//! whichever locks first.

use super::{Lock, Reading, Reason, Way, earliest};
use crate::probe::windows_reg::{self, RegValue};
use crate::system::{CommandOutput, System};
use crate::words;

const DESKTOP_KEY: &str = "HKCU\\Control Panel\\Desktop";
const DESKTOP_POLICY_KEY: &str = "HKCU\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop";
const SYSTEM_POLICY_KEY: &str = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System";

/// A screen-saver value: the Group Policy copy when it is set, otherwise the user's own.
fn desktop_value(system: &dyn System, name: &str, evidence: &mut Vec<String>) -> RegValue {
    let policy = windows_reg::query(system, DESKTOP_POLICY_KEY, name);
    let (value, whose) = if policy == RegValue::NotSet {
        (windows_reg::query(system, DESKTOP_KEY, name), "your setting")
    } else {
        (policy, "set by your organisation's policy")
    };
    evidence.push(match &value {
        RegValue::Sz(s) => format!("{name} = {s} ({whose})"),
        RegValue::Dword(n) => format!("{name} = {n} ({whose})"),
        RegValue::NotSet => format!("{name} is not set"),
        RegValue::Unexpected(why) => format!("{name} could not be read: {why}"),
    });
    value
}

/// What the screen saver does: nothing, locks after some seconds, or starts after some seconds
/// without a password.
#[derive(Debug, Clone, PartialEq)]
enum Saver {
    Way(Way),
    WithoutPassword(u64),
}

fn screensaver(system: &dyn System, evidence: &mut Vec<String>) -> Saver {
    let exe = desktop_value(system, "SCRNSAVE.EXE", evidence);
    match &exe {
        RegValue::NotSet => return Saver::Way(Way::Off),
        RegValue::Sz(s) if s.trim().is_empty() => return Saver::Way(Way::Off),
        RegValue::Sz(_) => {}
        _ => return Saver::Way(Way::Unread),
    }
    match desktop_value(system, "ScreenSaveActive", evidence) {
        RegValue::Sz(s) if s.trim() == "1" => {}
        RegValue::Sz(s) if s.trim() == "0" => return Saver::Way(Way::Off),
        _ => return Saver::Way(Way::Unread),
    }
    let timeout = match desktop_value(system, "ScreenSaveTimeOut", evidence).as_number() {
        Some(0) => return Saver::Way(Way::Off),
        Some(t) => t,
        None => return Saver::Way(Way::Unread),
    };
    match desktop_value(system, "ScreenSaverIsSecure", evidence) {
        RegValue::Sz(s) if s.trim() == "1" => Saver::Way(Way::Locks(timeout)),
        RegValue::Sz(s) if s.trim() == "0" => Saver::WithoutPassword(timeout),
        RegValue::NotSet => Saver::WithoutPassword(timeout),
        _ => Saver::Way(Way::Unread),
    }
}

fn inactivity_limit(system: &dyn System, evidence: &mut Vec<String>) -> Way {
    let shown = "InactivityTimeoutSecs (machine inactivity limit)";
    match windows_reg::query(system, SYSTEM_POLICY_KEY, "InactivityTimeoutSecs") {
        RegValue::Dword(0) => {
            evidence.push(format!("{shown} = 0 (no limit)"));
            Way::Off
        }
        RegValue::Dword(n) => {
            evidence.push(format!("{shown} = {n} seconds"));
            Way::Locks(u64::from(n))
        }
        RegValue::NotSet => {
            evidence.push(format!("{shown} is not set"));
            Way::Off
        }
        RegValue::Sz(text) => {
            evidence.push(format!(
                "{shown} could not be read: a text value `{text}` where a number belongs"
            ));
            Way::Unread
        }
        RegValue::Unexpected(why) => {
            evidence.push(format!("{shown} could not be read: {why}"));
            Way::Unread
        }
    }
}

/// The AC and DC values of one power setting from `powercfg /query SCHEME_CURRENT SUB_… ALIAS`.
/// Labels and friendly names are translated, so only the `GUID Alias:` line and the last two
/// hex values (AC, then DC) are relied on:
///
/// ```text
/// Power Scheme GUID: 381b4222-f694-41f0-9685-ff5bb260df2e  (Balanced)
///   GUID Alias: SCHEME_BALANCED
///   Subgroup GUID: 7516b95f-f776-4464-8c53-06167f40cc99  (Display)
///     GUID Alias: SUB_VIDEO
///     Power Setting GUID: 3c0bc021-c8a8-4e07-a973-6b14cbcb2b7e  (Turn off display after)
///       GUID Alias: VIDEOIDLE
///       Minimum Possible Setting: 0x00000000
///       Maximum Possible Setting: 0xffffffff
///       Possible Settings increment: 0x00000001
///       Possible Settings units: Seconds
///     Current AC Power Setting Index: 0x0000012c
///     Current DC Power Setting Index: 0x0000012c
/// ```
///
/// A hidden setting (CONSOLELOCK on many Windows 10/11 machines) prints only the scheme header.
pub fn parse_powercfg_setting(out: &CommandOutput, alias: &str) -> Result<(u32, u32), String> {
    if !out.succeeded() {
        return Err(out.failure("powercfg").unwrap_or_default());
    }
    let shown = out
        .stdout
        .lines()
        .any(|l| l.trim().strip_prefix("GUID Alias:").is_some_and(|a| a.trim() == alias));
    if !shown {
        return Err(format!("the {alias} setting is hidden or missing"));
    }
    let hex: Vec<u32> = out
        .stdout
        .lines()
        .filter_map(|l| {
            let value = l.trim_end().rsplit(": ").next()?;
            u32::from_str_radix(value.strip_prefix("0x")?, 16).ok()
        })
        .collect();
    match hex.as_slice() {
        [.., ac, dc] => Ok((*ac, *dc)),
        _ => Err(format!("no AC/DC values for {alias}")),
    }
}

fn display_off(system: &dyn System, evidence: &mut Vec<String>) -> Way {
    let video = parse_powercfg_setting(
        &system.run("powercfg", &["/query", "SCHEME_CURRENT", "SUB_VIDEO", "VIDEOIDLE"]),
        "VIDEOIDLE",
    );
    let display_off = match video {
        Ok((ac, dc)) => {
            evidence.push(format!(
                "`powercfg` VIDEOIDLE (turn off display after): {ac} s plugged in, {dc} s on battery"
            ));
            if ac == 0 || dc == 0 {
                return Way::Off;
            }
            u64::from(ac.max(dc))
        }
        Err(why) => {
            evidence.push(format!("`powercfg` VIDEOIDLE could not be read: {why}"));
            return Way::Unread;
        }
    };
    match parse_powercfg_setting(
        &system.run("powercfg", &["/query", "SCHEME_CURRENT", "SUB_NONE", "CONSOLELOCK"]),
        "CONSOLELOCK",
    ) {
        Ok((1, 1)) => {
            evidence.push("`powercfg` CONSOLELOCK (require sign-in on wake): yes".into());
            Way::Locks(display_off)
        }
        Ok((ac, dc)) if ac <= 1 && dc <= 1 => {
            evidence.push(format!(
                "`powercfg` CONSOLELOCK (require sign-in on wake): {ac} plugged in, {dc} on battery (0 = no)"
            ));
            Way::Off
        }
        Ok((ac, dc)) => {
            evidence.push(format!("`powercfg` CONSOLELOCK has unexpected values {ac}/{dc}"));
            Way::Unread
        }
        Err(why) => {
            evidence.push(format!("`powercfg` CONSOLELOCK could not be read: {why}"));
            Way::Unread
        }
    }
}

pub(super) fn read(system: &dyn System) -> Reading {
    let mut evidence = Vec::new();
    let saver = screensaver(system, &mut evidence);
    let ways = [
        match &saver {
            Saver::Way(w) => w.clone(),
            Saver::WithoutPassword(_) => Way::Off,
        },
        inactivity_limit(system, &mut evidence),
        display_off(system, &mut evidence),
    ];
    let first = earliest(&ways);
    if let Saver::WithoutPassword(timeout) = saver
        && first.is_none_or(|(idle, _)| idle > timeout)
    {
        return Reading::never(
            Reason::ScreensaverWithoutPassword,
            format!(
                "Your screen saver starts after {} without use but does not ask for your password when you come back.",
                words::seconds_as_duration(timeout)
            ),
            evidence,
        );
    }
    match first {
        Some((idle_seconds, maybe_sooner)) => Reading::new(
            Lock::After {
                idle_seconds,
                password_delay_seconds: 0,
                maybe_sooner,
            },
            evidence,
        ),
        None if ways.contains(&Way::Unread) => Reading::unknown(
            Reason::Unreadable,
            "Could not tell whether your screen locks when you leave it: the screen saver and power settings could not all be read.",
            evidence,
        ),
        None => Reading::never(
            Reason::NeverLocks,
            "Nothing locks your screen when you leave it: there is no password-protected screen saver, no inactivity limit, and the display does not turn off with sign-in required.",
            evidence,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powercfg_hidden_settings_are_errors() {
        let header = CommandOutput {
            status: Some(0),
            stdout:
                "Power Scheme GUID: 381b4222-f694-41f0-9685-ff5bb260df2e  (Balanced)\n  GUID Alias: SCHEME_BALANCED\n"
                    .into(),
            ..Default::default()
        };
        assert!(parse_powercfg_setting(&header, "CONSOLELOCK").is_err());
    }
}
