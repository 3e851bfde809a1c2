//! macOS: whether waking asks for the password (`sysadminctl -screenLock status`), and when the
//! screen saver (`defaults -currentHost read com.apple.screensaver idleTime`) or display sleep
//! (`pmset -g`) comes, whichever is first.

use super::{Lock, Reading, Reason, Way, earliest};
use crate::probe::macos_defaults::{self, Defaults};
use crate::system::{CommandOutput, RunOutcome, System};

/// What `sysadminctl -screenLock status` said.
#[derive(Debug, Clone, PartialEq)]
pub enum MacScreenLock {
    /// The password is asked for this many seconds after the screen saver starts or the display
    /// sleeps (0 = immediately).
    Delay(u64),
    Off,
    /// Anything else, for example no GUI session; the text says what.
    Unrecognised(String),
}

/// Parses `sysadminctl -screenLock status`, which writes to **stderr** (macOS 13 and later):
///
/// ```text
/// 2026-09-23 13:27:31.636 sysadminctl[69987:3026189] screenLock delay is immediate
/// 2026-09-21 20:50:02.423 sysadminctl[22746:23830390] screenLock delay is 5 seconds
/// 2026-09-23 13:27:16.197 sysadminctl[69968:3025938] screenLock is off
/// ```
///
/// Without the user's GUI session (as root, over SSH) no sample exists: any other text is
/// unrecognised rather than guessed.
pub fn parse_screenlock_status(out: &CommandOutput) -> MacScreenLock {
    // It answers on stderr, sometimes with a non-zero status: only a run that never ended
    // normally is a failure here.
    if !matches!(out.outcome(), RunOutcome::Exited { .. }) {
        return MacScreenLock::Unrecognised(out.failure("sysadminctl").unwrap_or_default());
    }
    let text = format!("{}\n{}", out.stderr, out.stdout);
    for line in text.lines() {
        if line.trim_end().ends_with("screenLock is off") {
            return MacScreenLock::Off;
        }
        if let Some((_, rest)) = line.split_once("screenLock delay is ") {
            let rest = rest.trim();
            if rest == "immediate" {
                return MacScreenLock::Delay(0);
            }
            if let Some(Ok(n)) = rest.strip_suffix(" seconds").map(str::parse::<u64>) {
                return MacScreenLock::Delay(n);
            }
        }
    }
    let said = text.trim();
    MacScreenLock::Unrecognised(if said.is_empty() {
        "it printed nothing".into()
    } else {
        format!("it said `{}`", said.lines().last().unwrap_or_default())
    })
}

/// Parses `displaysleep` (minutes, 0 = never) from `pmset -g`, whose settings are printed one a
/// line as ` %-20s %s`, sometimes with a note after the number:
///
/// ```text
/// System-wide power settings:
/// Currently in use:
///  standby              1
///  sleep                1 (sleep prevented by sharingd, coreaudiod)
///  displaysleep         20
/// ```
pub fn parse_pmset_displaysleep(stdout: &str) -> Option<u64> {
    stdout.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next()? == "displaysleep").then_some(())?;
        words.next()?.parse().ok()
    })
}

/// macOS's screen saver time when `idleTime` was never written (CIS and SCAP: 1200 s).
const MAC_DEFAULT_IDLE_SECONDS: u64 = 1200;

pub(super) fn read(system: &dyn System) -> Reading {
    let mut evidence = Vec::new();
    let delay = match password_delay(system, &mut evidence) {
        Ok(delay) => delay,
        Err(reading) => return reading,
    };
    let (saver, saver_is_default) = screen_saver(system, &mut evidence);
    let display = display_sleep(system, &mut evidence);

    let ways = [saver.clone(), display];
    let mut reading = match earliest(&ways) {
        Some((idle_seconds, maybe_sooner)) => Reading::new(
            Lock::After {
                idle_seconds,
                password_delay_seconds: delay,
                maybe_sooner,
            },
            evidence,
        ),
        None if ways.contains(&Way::Unread) => Reading::unknown(
            Reason::Unreadable,
            "Could not tell when your Mac locks: its screen saver or display sleep settings could not be read.",
            evidence,
        ),
        None => Reading::never(
            Reason::NeverIdle,
            "Your Mac never locks by itself: the screen saver and display sleep are both set to Never.",
            evidence,
        ),
    };
    if saver_is_default && matches!(reading.lock, Lock::After { idle_seconds, .. } if saver == Way::Locks(idle_seconds))
    {
        reading.defaults = Some("macOS's default screen saver time, because none was ever set".into());
    }
    reading
}

/// Seconds between the screen saver or sleep and the password, or the whole reading when there
/// is no password on wake or no answer.
fn password_delay(system: &dyn System, evidence: &mut Vec<String>) -> Result<u64, Reading> {
    let shown = "`sysadminctl -screenLock status`";
    match parse_screenlock_status(&system.run("sysadminctl", &["-screenLock", "status"])) {
        MacScreenLock::Off => {
            evidence.push(format!("{shown}: screenLock is off"));
            Err(Reading::never(
                Reason::LockDisabled,
                "Your Mac does not ask for your password when it wakes from the screen saver or sleep.",
                std::mem::take(evidence),
            ))
        }
        MacScreenLock::Delay(0) => {
            evidence.push(format!("{shown}: screenLock delay is immediate"));
            Ok(0)
        }
        MacScreenLock::Delay(n) => {
            evidence.push(format!("{shown}: screenLock delay is {n} seconds"));
            Ok(n)
        }
        MacScreenLock::Unrecognised(why) => {
            evidence.push(format!("{shown} gave no answer: {why}"));
            Err(Reading::unknown(
                Reason::NeedsYourSession,
                "Could not tell whether your Mac asks for a password on wake: run `confide scan` in Terminal while logged in to your own account (not as root or over SSH).",
                std::mem::take(evidence),
            ))
        }
    }
}

/// When the screen saver starts, and whether that is macOS's default because none was set.
fn screen_saver(system: &dyn System, evidence: &mut Vec<String>) -> (Way, bool) {
    let shown = "`defaults -currentHost read com.apple.screensaver idleTime`";
    match macos_defaults::read_current_host(system, "com.apple.screensaver", "idleTime") {
        Defaults::Value(v) => match v.trim().parse::<u64>() {
            Ok(0) => {
                evidence.push(format!("{shown}: 0 (the screen saver never starts)"));
                (Way::Off, false)
            }
            Ok(s) => {
                evidence.push(format!("{shown}: {s} (seconds)"));
                (Way::Locks(s), false)
            }
            Err(_) => {
                evidence.push(format!("{shown}: unexpected value `{v}`"));
                (Way::Unread, false)
            }
        },
        Defaults::NotSet => {
            evidence.push(format!(
                "{shown}: not set, so macOS's default applies ({} minutes)",
                MAC_DEFAULT_IDLE_SECONDS / 60
            ));
            (Way::Locks(MAC_DEFAULT_IDLE_SECONDS), true)
        }
        Defaults::Unexpected(why) => {
            evidence.push(format!("{shown} could not be read: {why}"));
            (Way::Unread, false)
        }
    }
}

/// When the display sleeps (which asks for the password like the screen saver).
fn display_sleep(system: &dyn System, evidence: &mut Vec<String>) -> Way {
    let pmset = system.run("pmset", &["-g"]);
    match parse_pmset_displaysleep(&pmset.stdout).filter(|_| pmset.succeeded()) {
        Some(0) => {
            evidence.push("`pmset -g`: displaysleep 0 (the display never sleeps)".into());
            Way::Off
        }
        Some(m) => {
            evidence.push(format!("`pmset -g`: displaysleep {m} (minutes)"));
            Way::Locks(m * 60)
        }
        None => {
            evidence.push("`pmset -g` gave no displaysleep line".into());
            Way::Unread
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sysadminctl_other_output_is_unrecognised() {
        let out = |stderr: &str| CommandOutput {
            status: Some(0),
            stderr: stderr.into(),
            ..Default::default()
        };
        assert!(matches!(
            parse_screenlock_status(&out("")),
            MacScreenLock::Unrecognised(_)
        ));
        assert!(matches!(
            parse_screenlock_status(&out("x sysadminctl[1:2] screenLock delay is -1.000000 seconds\n")),
            MacScreenLock::Unrecognised(_)
        ));
    }
}
