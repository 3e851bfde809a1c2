//! ## What it checks
//! That the screen locks by itself after at most the policy's idle time, and that waking it asks
//! for the password at once (or within a few seconds): on macOS the "require password" setting,
//! the screen saver and display sleep; on Windows a password-protected screen saver, the machine
//! inactivity limit, and the display turning off with sign-in required on wake; on Linux the
//! settings of GNOME, Cinnamon, MATE, KDE Plasma or XFCE.
//!
//! ## Why it matters
//! A computer left unlocked between sessions shows client notes, emails and video calls to whoever
//! walks past or sits down at it.
//!
//! ## What it cannot see
//! Other Linux desktops and lockers (i3, sway, light-locker): those are `unknown`. A scan run
//! without a desktop session (over SSH, from cron, as root on macOS) cannot read the logged-in
//! user's settings, and says so.

use super::{Check, CheckContext, Outcome, ThresholdKind, ThresholdSpec, ThresholdValue};
use crate::probe::gsettings::{self, GValue};
use crate::probe::macos_defaults::{self, Defaults};
use crate::probe::process_match;
use crate::probe::windows_reg::{self, RegValue};
use crate::status::Status;
use crate::system::{CommandOutput, FileRead, OsFamily, RunOutcome, System};

pub struct ScreenLock;

/// From the issue: the lock must come within the policy's idle time; 15 minutes unless it says.
pub const MAX_IDLE_MINUTES: ThresholdSpec = ThresholdSpec {
    name: "max_idle_minutes",
    kind: ThresholdKind::Minutes,
    default: ThresholdValue::Count(15),
    meaning: "fail when the screen locks only after more than this many idle minutes, or never",
};

/// Tool choice: 5 minutes is what GNOME, KDE and XFCE ship with, and what most guidance suggests.
pub const WARN_IDLE_MINUTES: ThresholdSpec = ThresholdSpec {
    name: "warn_idle_minutes",
    kind: ThresholdKind::Minutes,
    default: ThresholdValue::Count(5),
    meaning: "warn when the screen locks only after more than this many idle minutes",
};

/// The CIS/NIST value for the grace period between the screen blanking and the password.
pub const MAX_PASSWORD_DELAY_SECONDS: ThresholdSpec = ThresholdSpec {
    name: "max_password_delay_seconds",
    kind: ThresholdKind::Seconds,
    default: ThresholdValue::Count(5),
    meaning: "fail when waking the screen needs no password for more than this many seconds after it locks or blanks",
};

const THRESHOLDS: [ThresholdSpec; 3] = [MAX_IDLE_MINUTES, WARN_IDLE_MINUTES, MAX_PASSWORD_DELAY_SECONDS];

impl Check for ScreenLock {
    fn id(&self) -> &str {
        "screen-lock"
    }

    fn supported_os(&self) -> &[OsFamily] {
        &OsFamily::ALL
    }

    fn thresholds(&self) -> &[ThresholdSpec] {
        &THRESHOLDS
    }

    fn run(&self, ctx: &CheckContext<'_>) -> Outcome {
        let reading = match ctx.system.os().family {
            OsFamily::Macos => macos(ctx.system),
            OsFamily::Windows => windows(ctx.system),
            OsFamily::Linux => linux(ctx.system),
        };
        let limits = Limits {
            max_idle_minutes: ctx.threshold(&MAX_IDLE_MINUTES),
            warn_idle_minutes: ctx.threshold(&WARN_IDLE_MINUTES),
            max_password_delay_seconds: ctx.threshold(&MAX_PASSWORD_DELAY_SECONDS),
        };
        judge(&reading, &limits)
    }
}

/// The thresholds, after the policy's values are applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub max_idle_minutes: f64,
    pub warn_idle_minutes: f64,
    pub max_password_delay_seconds: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_idle_minutes: MAX_IDLE_MINUTES.default.as_f64(),
            warn_idle_minutes: WARN_IDLE_MINUTES.default.as_f64(),
            max_password_delay_seconds: MAX_PASSWORD_DELAY_SECONDS.default.as_f64(),
        }
    }
}

/// What one OS said about its screen lock.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub lock: Lock,
    /// What was seen, for the report.
    pub evidence: Vec<String>,
    /// When the verdict rests on built-in defaults rather than a setting that was read: whose.
    pub defaults: Option<String>,
}

/// When the screen locks by itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Lock {
    /// After `idle_seconds` without use; waking needs the password `password_delay_seconds` after
    /// that. `maybe_sooner` when another way it may lock could not be read.
    After {
        idle_seconds: u64,
        password_delay_seconds: u64,
        maybe_sooner: bool,
    },
    /// It never locks by itself, or wakes without a password. `reason` is the id's second part.
    Never { reason: &'static str, summary: String },
    /// Could not tell; `reason` is the id's second part.
    Unknown { reason: &'static str, summary: String },
}

impl Reading {
    fn new(lock: Lock, evidence: Vec<String>) -> Self {
        Reading {
            lock,
            evidence,
            defaults: None,
        }
    }

    fn never(reason: &'static str, summary: impl Into<String>, evidence: Vec<String>) -> Self {
        Reading::new(
            Lock::Never {
                reason,
                summary: summary.into(),
            },
            evidence,
        )
    }

    fn unknown(reason: &'static str, summary: impl Into<String>, evidence: Vec<String>) -> Self {
        Reading::new(
            Lock::Unknown {
                reason,
                summary: summary.into(),
            },
            evidence,
        )
    }
}

/// The verdict: never locking or a long password delay fails, an idle time above the maximum
/// fails, above the warning level warns; what could not be read is unknown, never a pass.
pub fn judge(reading: &Reading, limits: &Limits) -> Outcome {
    let id = |reason: &str| format!("screen-lock.{reason}");
    let mut outcome = match &reading.lock {
        Lock::Unknown { reason, summary } => Outcome::new(Status::Unknown, id(reason), summary.clone()),
        Lock::Never { reason, summary } => Outcome::new(Status::Fail, id(reason), summary.clone()),
        Lock::After {
            idle_seconds,
            password_delay_seconds,
            maybe_sooner,
        } => {
            let idle = duration_words(*idle_seconds);
            let idle_minutes = *idle_seconds as f64 / 60.0;
            let too_long = idle_minutes > limits.max_idle_minutes;
            // A way to lock that could not be read may come sooner: it cannot make a pass worse,
            // so it only matters where it could turn a failure into something better.
            let unread_note = if *maybe_sooner {
                " Another setting that may lock it sooner could not be read."
            } else {
                ""
            };
            if *password_delay_seconds as f64 > limits.max_password_delay_seconds {
                Outcome::new(
                    Status::Fail,
                    id("password-delay-too-long"),
                    format!(
                        "Your screen locks after {idle} without use, but it asks for your password only {} after that: anyone who wakes it sooner sees your screen.",
                        duration_words(*password_delay_seconds)
                    ),
                )
            } else if too_long && *maybe_sooner {
                Outcome::new(
                    Status::Unknown,
                    id("partly-unreadable"),
                    format!(
                        "Could not tell whether your screen locks in time: it locks after {idle} without use, which is too long, but another setting that may lock it sooner could not be read."
                    ),
                )
            } else if too_long {
                Outcome::new(
                    Status::Fail,
                    id("idle-too-long"),
                    format!(
                        "Your screen locks only after {idle} without use: your guidance allows at most {}.",
                        minutes_words(limits.max_idle_minutes)
                    ),
                )
            } else if idle_minutes > limits.warn_idle_minutes {
                Outcome::new(
                    Status::Warn,
                    id("idle-longer-than-recommended"),
                    format!(
                        "Your screen locks after {idle} without use: {} or less is safer.{unread_note}",
                        minutes_words(limits.warn_idle_minutes)
                    ),
                )
            } else {
                Outcome::new(
                    Status::Pass,
                    id("locks-when-idle"),
                    format!("Your screen locks after {idle} without use and asks for your password."),
                )
            }
        }
    };
    if let Some(defaults) = &reading.defaults {
        outcome.summary = format!("{} This relies on {defaults}.", outcome.summary);
    }
    outcome.with_evidence(reading.evidence.clone())
}

/// `5 minutes`, `1 minute`, `90 seconds`, `30 seconds`.
fn duration_words(seconds: u64) -> String {
    if seconds.is_multiple_of(60) && seconds > 0 {
        minutes_words((seconds / 60) as f64)
    } else if seconds == 1 {
        "1 second".into()
    } else {
        format!("{seconds} seconds")
    }
}

fn minutes_words(minutes: f64) -> String {
    if minutes == 1.0 {
        "1 minute".into()
    } else if minutes.fract() == 0.0 {
        format!("{minutes:.0} minutes")
    } else {
        format!("{minutes} minutes")
    }
}

/// One way a computer may lock when idle (macOS and Windows have several; the first one wins).
#[derive(Debug, Clone, PartialEq)]
enum Way {
    /// Locks after this many seconds.
    Locks(u64),
    /// Read, and does not lock.
    Off,
    /// Could not be read.
    Unread,
}

/// The earliest lock among `ways`, and whether one that could not be read might come sooner.
fn earliest(ways: &[Way]) -> Option<(u64, bool)> {
    let first = ways
        .iter()
        .filter_map(|w| match w {
            Way::Locks(s) => Some(*s),
            _ => None,
        })
        .min()?;
    Some((first, ways.contains(&Way::Unread)))
}

// ---------------------------------------------------------------- macOS

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
    match out.outcome() {
        RunOutcome::Missing => return MacScreenLock::Unrecognised("`sysadminctl` is not available".into()),
        RunOutcome::TimedOut => return MacScreenLock::Unrecognised("`sysadminctl` timed out".into()),
        RunOutcome::Failed(e) => return MacScreenLock::Unrecognised(e.to_string()),
        RunOutcome::Exited { .. } => {}
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

fn macos(system: &dyn System) -> Reading {
    let mut evidence = Vec::new();
    let shown = "`sysadminctl -screenLock status`";
    let delay = match parse_screenlock_status(&system.run("sysadminctl", &["-screenLock", "status"])) {
        MacScreenLock::Off => {
            evidence.push(format!("{shown}: screenLock is off"));
            return Reading::never(
                "lock-disabled",
                "Your Mac does not ask for your password when it wakes from the screen saver or sleep.",
                evidence,
            );
        }
        MacScreenLock::Delay(0) => {
            evidence.push(format!("{shown}: screenLock delay is immediate"));
            0
        }
        MacScreenLock::Delay(n) => {
            evidence.push(format!("{shown}: screenLock delay is {n} seconds"));
            n
        }
        MacScreenLock::Unrecognised(why) => {
            evidence.push(format!("{shown} gave no answer: {why}"));
            return Reading::unknown(
                "needs-your-session",
                "Could not tell whether your Mac asks for a password on wake: run `confide scan` in Terminal while logged in to your own account (not as root or over SSH).",
                evidence,
            );
        }
    };

    let shown = "`defaults -currentHost read com.apple.screensaver idleTime`";
    let mut saver_is_default = false;
    // `-currentHost` goes before `read` (`defaults [-currentHost] read DOMAIN KEY`), so this
    // runs `defaults` itself rather than through `macos_defaults::read`.
    let saver = match macos_defaults::read_current_host(system, "com.apple.screensaver", "idleTime") {
        Defaults::Value(v) => match v.trim().parse::<u64>() {
            Ok(0) => {
                evidence.push(format!("{shown}: 0 (the screen saver never starts)"));
                Way::Off
            }
            Ok(s) => {
                evidence.push(format!("{shown}: {s} (seconds)"));
                Way::Locks(s)
            }
            Err(_) => {
                evidence.push(format!("{shown}: unexpected value `{v}`"));
                Way::Unread
            }
        },
        Defaults::NotSet => {
            saver_is_default = true;
            evidence.push(format!(
                "{shown}: not set, so macOS's default applies ({} minutes)",
                MAC_DEFAULT_IDLE_SECONDS / 60
            ));
            Way::Locks(MAC_DEFAULT_IDLE_SECONDS)
        }
        Defaults::Unexpected(why) => {
            evidence.push(format!("{shown} could not be read: {why}"));
            Way::Unread
        }
    };

    let pmset = system.run("pmset", &["-g"]);
    let display = match parse_pmset_displaysleep(&pmset.stdout).filter(|_| pmset.succeeded()) {
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
    };

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
            "unreadable",
            "Could not tell when your Mac locks: its screen saver or display sleep settings could not be read.",
            evidence,
        ),
        None => Reading::never(
            "never-idle",
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

// ---------------------------------------------------------------- Windows

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

fn windows_screensaver(system: &dyn System, evidence: &mut Vec<String>) -> Saver {
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

fn windows_inactivity_limit(system: &dyn System, evidence: &mut Vec<String>) -> Way {
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
        return Err(match out.outcome() {
            RunOutcome::Missing => "`powercfg` is not available".into(),
            _ => format!("`powercfg` failed: {}", out.stderr.trim()),
        });
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

fn windows_display_off(system: &dyn System, evidence: &mut Vec<String>) -> Way {
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

fn windows(system: &dyn System) -> Reading {
    let mut evidence = Vec::new();
    let saver = windows_screensaver(system, &mut evidence);
    let ways = [
        match &saver {
            Saver::Way(w) => w.clone(),
            Saver::WithoutPassword(_) => Way::Off,
        },
        windows_inactivity_limit(system, &mut evidence),
        windows_display_off(system, &mut evidence),
    ];
    let first = earliest(&ways);
    if let Saver::WithoutPassword(timeout) = saver
        && first.is_none_or(|(idle, _)| idle > timeout)
    {
        return Reading::never(
            "screensaver-without-password",
            format!(
                "Your screen saver starts after {} without use but does not ask for your password when you come back.",
                duration_words(timeout)
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
            "unreadable",
            "Could not tell whether your screen locks when you leave it: the screen saver and power settings could not all be read.",
            evidence,
        ),
        None => Reading::never(
            "never-locks",
            "Nothing locks your screen when you leave it: there is no password-protected screen saver, no inactivity limit, and the display does not turn off with sign-in required.",
            evidence,
        ),
    }
}

// ---------------------------------------------------------------- Linux

/// The desktops whose lock settings confide can read.
#[derive(Debug, Clone, PartialEq)]
pub enum Desktop {
    Gnome,
    Cinnamon,
    Mate,
    Kde,
    Xfce,
    /// Something else, as named.
    Other(String),
}

/// Reads `XDG_CURRENT_DESKTOP`, a colon-separated list, most specific first (`ubuntu:GNOME`,
/// `X-Cinnamon`, `KDE`, `XFCE`, `MATE`), or `DESKTOP_SESSION`, the session's name (`ubuntu`,
/// `plasma`, `xfce`). `None` for an empty value.
pub fn parse_desktop(value: &str) -> Option<Desktop> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let known = value.split(':').find_map(|name| {
        let name = name.trim().to_lowercase();
        let name = name.strip_prefix("x-").unwrap_or(&name);
        match name {
            n if n.starts_with("gnome") || n == "ubuntu" => Some(Desktop::Gnome),
            n if n.starts_with("cinnamon") => Some(Desktop::Cinnamon),
            "mate" => Some(Desktop::Mate),
            n if n == "kde" || n.starts_with("plasma") => Some(Desktop::Kde),
            n if n.starts_with("xfce") || n == "xubuntu" => Some(Desktop::Xfce),
            _ => None,
        }
    });
    Some(known.unwrap_or_else(|| Desktop::Other(value.to_string())))
}

fn linux(system: &dyn System) -> Reading {
    let found = ["XDG_CURRENT_DESKTOP", "DESKTOP_SESSION"].into_iter().find_map(|var| {
        let value = system.env(var)?;
        Some((parse_desktop(&value)?, format!("{var}={value}")))
    });
    let Some((desktop, seen)) = found else {
        return Reading::unknown(
            "no-desktop-session",
            "Could not tell whether your screen locks: confide was not run from your desktop session. Run `confide scan` from a terminal window on your desktop.",
            vec![
                "XDG_CURRENT_DESKTOP and DESKTOP_SESSION are not set (no desktop session, e.g. SSH, cron or a server)"
                    .into(),
            ],
        );
    };
    let mut reading = match desktop {
        Desktop::Gnome => gsettings_lock(system, &GNOME),
        Desktop::Cinnamon => gsettings_lock(system, &CINNAMON),
        Desktop::Mate => gsettings_lock(system, &MATE),
        Desktop::Kde => kde(system),
        Desktop::Xfce => xfce(system),
        Desktop::Other(name) => Reading::unknown(
            "unsupported-desktop",
            format!(
                "Could not tell whether your screen locks: confide cannot read the lock settings of the {name} desktop yet. Check them yourself."
            ),
            Vec::new(),
        ),
    };
    reading.evidence.insert(0, format!("desktop session: {seen}"));
    reading
}

// -------------------------------- GNOME, Cinnamon, MATE (gsettings)

/// Where a gsettings desktop keeps its lock settings, and their units.
struct GsettingsDesktop {
    name: &'static str,
    lock_enabled: [&'static str; 2],
    idle_delay: [&'static str; 2],
    /// Seconds per unit of `idle_delay` and `lock_delay` (MATE counts in minutes).
    unit_seconds: u64,
    lock_delay: [&'static str; 2],
    /// A switch that, at this value, stops the lock whatever `lock_enabled` says; only a value
    /// that was read counts.
    blocker: Option<([&'static str; 2], bool)>,
}

const GNOME: GsettingsDesktop = GsettingsDesktop {
    name: "GNOME",
    lock_enabled: ["org.gnome.desktop.screensaver", "lock-enabled"],
    idle_delay: ["org.gnome.desktop.session", "idle-delay"],
    unit_seconds: 1,
    lock_delay: ["org.gnome.desktop.screensaver", "lock-delay"],
    blocker: Some((["org.gnome.desktop.lockdown", "disable-lock-screen"], true)),
};

const CINNAMON: GsettingsDesktop = GsettingsDesktop {
    name: "Cinnamon",
    lock_enabled: ["org.cinnamon.desktop.screensaver", "lock-enabled"],
    idle_delay: ["org.cinnamon.desktop.session", "idle-delay"],
    unit_seconds: 1,
    lock_delay: ["org.cinnamon.desktop.screensaver", "lock-delay"],
    blocker: None,
};

const MATE: GsettingsDesktop = GsettingsDesktop {
    name: "MATE",
    lock_enabled: ["org.mate.screensaver", "lock-enabled"],
    idle_delay: ["org.mate.session", "idle-delay"],
    unit_seconds: 60,
    lock_delay: ["org.mate.screensaver", "lock-delay"],
    blocker: Some((["org.mate.screensaver", "idle-activation-enabled"], false)),
};

fn gsettings_lock(system: &dyn System, desktop: &GsettingsDesktop) -> Reading {
    let mut evidence = Vec::new();
    let unreadable = |why: &str, evidence: Vec<String>| {
        Reading::unknown(
            "settings-unreadable",
            format!(
                "Could not tell whether your screen locks: {}'s lock settings could not be read ({why}).",
                desktop.name
            ),
            evidence,
        )
    };
    let lock_enabled = match gsettings::get(system, desktop.lock_enabled, &mut evidence) {
        GValue::Bool(b) => b,
        GValue::Number(_) => return unreadable("unexpected value", evidence),
        GValue::Failed(why) => return unreadable(&why, evidence),
    };
    if !lock_enabled {
        return Reading::never(
            "lock-disabled",
            format!(
                "Screen locking is turned off in {}: your screen never locks by itself.",
                desktop.name
            ),
            evidence,
        );
    }
    if let Some((key, blocks)) = desktop.blocker {
        let value = gsettings::parse(&system.run("gsettings", &["get", key[0], key[1]]));
        if value == GValue::Bool(blocks) {
            evidence.push(format!("`gsettings get {} {}`: {blocks}", key[0], key[1]));
            return Reading::never(
                "lock-disabled",
                format!(
                    "Screen locking is switched off in {}: your screen never locks by itself.",
                    desktop.name
                ),
                evidence,
            );
        }
    }
    let mut number = |key| match gsettings::get(system, key, &mut evidence) {
        GValue::Number(n) if n >= 0 => Ok(n as u64 * desktop.unit_seconds),
        GValue::Failed(why) => Err(why),
        _ => Err("unexpected value".to_string()),
    };
    let idle = number(desktop.idle_delay);
    let delay = number(desktop.lock_delay);
    match (idle, delay) {
        (Err(why), _) | (_, Err(why)) => unreadable(&why, evidence),
        (Ok(0), _) => Reading::never(
            "never-idle",
            format!(
                "Your screen never locks by itself: {}'s blank-screen delay is set to Never.",
                desktop.name
            ),
            evidence,
        ),
        (Ok(idle_seconds), Ok(password_delay_seconds)) => Reading::new(
            Lock::After {
                idle_seconds,
                password_delay_seconds,
                maybe_sooner: false,
            },
            evidence,
        ),
    }
}

/// The user's configuration folder: `$XDG_CONFIG_HOME` when set to an absolute path, else
/// `$HOME/.config` (the XDG base-directory rule).
fn config_home(system: &dyn System) -> Option<String> {
    system
        .env("XDG_CONFIG_HOME")
        .filter(|d| d.starts_with('/'))
        .or_else(|| {
            system
                .env("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| format!("{h}/.config"))
        })
        .map(|d| d.trim_end_matches('/').to_string())
}

// -------------------------------- KDE Plasma

/// The `[Daemon]` group of `kscreenlockerrc`, key by key, as written by KDE's settings:
///
/// ```text
/// [$Version]
/// update_info=kscreenlocker.upd:0.1-autolock
///
/// [Daemon]
/// Autolock=false
/// LockGrace=10
/// Timeout=10
///
/// [Greeter]
/// Theme=org.kde.breezedark.desktop
/// ```
///
/// KConfig writes only keys that differ from the default, so a missing key means the default.
/// A key may carry a flag such as `Autolock[$i]` (locked by the administrator); the flag is
/// dropped.
pub fn parse_kscreenlockerrc(text: &str) -> Vec<(String, String)> {
    let mut in_daemon = false;
    let mut keys = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') && !line.contains('=') {
            in_daemon = line == "[Daemon]";
        } else if in_daemon && let Some((key, value)) = line.split_once('=') {
            let key = key.split('[').next().unwrap_or(key).trim();
            keys.push((key.to_string(), value.trim().to_string()));
        }
    }
    keys
}

/// KConfig's reading of a boolean (`true`, `on`, `yes`, `1` and their opposites).
fn kconfig_bool(value: &str) -> Option<bool> {
    match value.to_lowercase().as_str() {
        "true" | "on" | "yes" | "1" => Some(true),
        "false" | "off" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// The lock from KDE's `[Daemon]` keys; defaults from kscreenlocker's kcfg: Autolock true,
/// Timeout 5 (minutes), Lock true (allows the grace period), LockGrace 5 (seconds),
/// RequirePassword true.
fn kde_lock(keys: &[(String, String)], evidence: &mut Vec<String>) -> Result<Lock, String> {
    let get = |name: &str| keys.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let boolean = |name: &str, default: bool| match get(name) {
        None => Ok(default),
        Some(v) => kconfig_bool(v).ok_or(format!("{name}={v} is not true or false")),
    };
    let never = |reason, summary: &str| Lock::Never {
        reason,
        summary: summary.into(),
    };
    if !boolean("Autolock", true)? {
        return Ok(never(
            "lock-disabled",
            "Automatic screen locking is turned off in KDE: your screen never locks by itself.",
        ));
    }
    if !boolean("RequirePassword", true)? {
        return Ok(never(
            "no-password",
            "KDE's lock screen does not ask for your password.",
        ));
    }
    let minutes: f64 = match get("Timeout") {
        None => 5.0,
        Some(v) => v.parse().map_err(|_| format!("Timeout={v} is not a number"))?,
    };
    if minutes <= 0.0 {
        return Ok(never(
            "never-idle",
            "Your screen never locks by itself: KDE's lock timeout is 0.",
        ));
    }
    let grace = if boolean("Lock", true)? {
        match get("LockGrace") {
            None => 5,
            Some(v) => v.parse().map_err(|_| format!("LockGrace={v} is not a number"))?,
        }
    } else {
        0
    };
    evidence.push(format!(
        "locks after {minutes} minutes, password needed {grace} s after that"
    ));
    Ok(Lock::After {
        idle_seconds: (minutes * 60.0).round() as u64,
        password_delay_seconds: grace,
        maybe_sooner: false,
    })
}

fn kde(system: &dyn System) -> Reading {
    let Some(config) = config_home(system) else {
        return Reading::unknown(
            "settings-unreadable",
            "Could not tell whether your screen locks: your home folder is not known (HOME is not set).",
            Vec::new(),
        );
    };
    let path = format!("{config}/kscreenlockerrc");
    let mut evidence = Vec::new();
    let (keys, defaults) = match system.read_file(&path) {
        FileRead::Contents(text) => {
            let keys = parse_kscreenlockerrc(&text);
            if keys.is_empty() {
                evidence.push(format!("{path}: no [Daemon] settings, so KDE's defaults apply"));
            } else {
                let shown: Vec<String> = keys.iter().map(|(k, v)| format!("{k}={v}")).collect();
                evidence.push(format!("{path} [Daemon]: {}", shown.join(", ")));
            }
            let note = keys
                .is_empty()
                .then(|| "KDE's default settings, because kscreenlockerrc does not change them".to_string());
            (keys, note)
        }
        FileRead::Missing => {
            evidence.push(format!("{path} does not exist, so KDE's defaults apply"));
            (
                Vec::new(),
                Some("KDE's default settings, because there is no kscreenlockerrc".to_string()),
            )
        }
        FileRead::Directory => return unreadable_file(&path, "it is a folder", evidence),
        FileRead::Unreadable(why) => return unreadable_file(&path, &why, evidence),
    };
    match kde_lock(&keys, &mut evidence) {
        Ok(lock) => Reading {
            lock,
            evidence,
            defaults,
        },
        Err(why) => unreadable_file(&path, &why, evidence),
    }
}

fn unreadable_file(path: &str, why: &str, mut evidence: Vec<String>) -> Reading {
    evidence.push(format!("{path} could not be read: {why}"));
    Reading::unknown(
        "settings-unreadable",
        format!("Could not tell whether your screen locks: {path} could not be read ({why})."),
        evidence,
    )
}

// -------------------------------- XFCE

/// One xfconf property: its type and value (`None` for `type="empty"`, which means the default).
#[derive(Debug, Clone, PartialEq)]
pub struct XfconfProperty {
    pub path: String,
    pub kind: String,
    pub value: Option<String>,
}

/// Reads the properties of an xfconf channel file, giving each its full path:
///
/// ```text
/// <?xml version="1.0" encoding="UTF-8"?>
///
/// <channel name="xfce4-screensaver" version="1.0">
///   <property name="saver" type="empty">
///     <property name="idle-activation" type="empty">
///       <property name="delay" type="int" value="1"/>
///     </property>
///   </property>
/// </channel>
/// ```
///
/// gives `/saver/idle-activation/delay` = int `1`. Only what xfconfd writes is understood:
/// `<property …/>` and `<property …>…</property>` with double-quoted attributes; `<value>`
/// elements (array items), comments and the XML declaration are skipped. `None` when the tags
/// do not nest.
pub fn parse_xfconf(xml: &str) -> Option<Vec<XfconfProperty>> {
    let mut found = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->")? + 3..];
            continue;
        }
        let end = rest.find('>')?;
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with("/property") {
            open.pop()?;
        } else if let Some(attrs) = tag.strip_prefix("property ") {
            let attr = |name: &str| xml_attribute(attrs, name);
            let path = format!("{}/{}", open.last().map_or("", String::as_str), attr("name")?);
            found.push(XfconfProperty {
                path: path.clone(),
                kind: attr("type").unwrap_or_default(),
                value: attr("value"),
            });
            if !tag.ends_with('/') {
                open.push(path);
            }
        }
    }
    open.is_empty().then_some(found)
}

/// The value of `name="…"` among a tag's attributes, with the five XML entities decoded.
fn xml_attribute(attrs: &str, name: &str) -> Option<String> {
    let needle = format!("{name}=\"");
    let mut from = 0;
    let start = loop {
        let at = from + attrs[from..].find(&needle)?;
        if at == 0 || attrs[..at].ends_with(char::is_whitespace) {
            break at + needle.len();
        }
        from = at + needle.len();
    };
    let len = attrs[start..].find('"')?;
    Some(
        attrs[start..start + len]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// The xfce4-screensaver settings that decide the lock, with their defaults (from its
/// `src/gs-prefs.h`). xfce4-screensaver's idle timer does nothing while `/saver/enabled` is
/// false, and locks only when the saver activates with `/lock/saver-activation/enabled`.
const XFCE_SWITCHES: [(&str, &str); 4] = [
    (
        "/saver/enabled",
        "the screensaver is turned off, so nothing happens when the computer is idle",
    ),
    (
        "/saver/idle-activation/enabled",
        "the screensaver does not start when the computer is idle",
    ),
    ("/lock/enabled", "screen locking is turned off"),
    (
        "/lock/saver-activation/enabled",
        "the screen does not lock when the screensaver starts",
    ),
];

fn xfce_lock(props: &[XfconfProperty], evidence: &mut Vec<String>) -> Result<Lock, String> {
    let get = |path: &str| {
        props
            .iter()
            .rev()
            .find(|p| p.path == path && p.kind != "empty")
            .and_then(|p| p.value.clone())
    };
    for (path, meaning) in XFCE_SWITCHES {
        match get(path).as_deref() {
            None => evidence.push(format!("{path} not set (default: true)")),
            Some("true") => evidence.push(format!("{path} = true")),
            Some("false") => {
                evidence.push(format!("{path} = false"));
                return Ok(Lock::Never {
                    reason: "lock-disabled",
                    summary: format!("Your screen never locks by itself: in XFCE, {meaning}."),
                });
            }
            Some(other) => return Err(format!("{path} has the unexpected value `{other}`")),
        }
    }
    let mut minutes = |path: &str, default: u64| match get(path) {
        None => {
            evidence.push(format!("{path} not set (default: {default} minutes)"));
            Ok(default)
        }
        Some(v) => {
            evidence.push(format!("{path} = {v} (minutes)"));
            v.parse::<u64>()
                .map_err(|_| format!("{path} has the unexpected value `{v}`"))
        }
    };
    let idle = minutes("/saver/idle-activation/delay", 5)?;
    let lock_after_saver = minutes("/lock/saver-activation/delay", 0)?;
    if idle == 0 {
        return Ok(Lock::Never {
            reason: "never-idle",
            summary: "Your screen never locks by itself: XFCE's screensaver delay is 0.".into(),
        });
    }
    Ok(Lock::After {
        idle_seconds: idle * 60,
        password_delay_seconds: lock_after_saver * 60,
        maybe_sooner: false,
    })
}

fn xfce(system: &dyn System) -> Reading {
    let Some(config) = config_home(system) else {
        return Reading::unknown(
            "settings-unreadable",
            "Could not tell whether your screen locks: your home folder is not known (HOME is not set).",
            Vec::new(),
        );
    };
    let path = format!("{config}/xfce4/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml");
    let mut evidence = Vec::new();
    let (props, defaults) = match system.read_file(&path) {
        FileRead::Contents(text) => match parse_xfconf(&text) {
            Some(props) => (props, None),
            None => return unreadable_file(&path, "its XML could not be understood", evidence),
        },
        FileRead::Missing => {
            let processes = system.processes();
            let running = process_match::find(&processes, &["xfce4-screensaver"]);
            let Some(p) = running.first() else {
                evidence.push(format!("{path} does not exist, and xfce4-screensaver is not running"));
                return Reading::unknown(
                    "locker-not-found",
                    "Could not tell whether your screen locks: xfce4-screensaver is not running and has no settings. If you use another screen locker (such as light-locker), check its settings yourself.",
                    evidence,
                );
            };
            evidence.push(format!("{path} does not exist, so xfce4-screensaver's defaults apply"));
            evidence.push(process_match::describe(p));
            (
                Vec::new(),
                Some("xfce4-screensaver's default settings, because it has no settings file".to_string()),
            )
        }
        FileRead::Directory => return unreadable_file(&path, "it is a folder", evidence),
        FileRead::Unreadable(why) => return unreadable_file(&path, &why, evidence),
    };
    match xfce_lock(&props, &mut evidence) {
        Ok(lock) => Reading {
            lock,
            evidence,
            defaults,
        },
        Err(why) => unreadable_file(&path, &why, evidence),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(idle_seconds: u64, password_delay_seconds: u64) -> Reading {
        Reading::new(
            Lock::After {
                idle_seconds,
                password_delay_seconds,
                maybe_sooner: false,
            },
            vec!["seen".into()],
        )
    }

    #[test]
    fn the_verdict_follows_the_thresholds() {
        let l = Limits::default();
        let status = |r: Reading| judge(&r, &l).status;
        assert_eq!(status(after(300, 0)), Status::Pass);
        assert_eq!(status(after(301, 0)), Status::Warn);
        assert_eq!(status(after(900, 5)), Status::Warn);
        assert_eq!(status(after(901, 0)), Status::Fail);
        assert_eq!(status(after(60, 6)), Status::Fail);
        let strict = Limits {
            max_idle_minutes: 5.0,
            warn_idle_minutes: 2.0,
            max_password_delay_seconds: 0.0,
        };
        assert_eq!(judge(&after(600, 0), &strict).status, Status::Fail);
        assert_eq!(judge(&after(60, 5), &strict).status, Status::Fail);
        let partly = |idle_seconds| {
            let mut r = after(idle_seconds, 0);
            r.lock = Lock::After {
                idle_seconds,
                password_delay_seconds: 0,
                maybe_sooner: true,
            };
            r
        };
        assert_eq!(status(partly(1200)), Status::Unknown);
        assert_eq!(status(partly(600)), Status::Warn);
        assert_eq!(status(partly(300)), Status::Pass);
    }

    #[test]
    fn durations_read_as_words() {
        assert_eq!(duration_words(300), "5 minutes");
        assert_eq!(duration_words(60), "1 minute");
        assert_eq!(duration_words(90), "90 seconds");
        assert_eq!(duration_words(5), "5 seconds");
        assert_eq!(minutes_words(2.5), "2.5 minutes");
    }

    #[test]
    fn desktops_are_recognised_from_their_names() {
        assert_eq!(parse_desktop("ubuntu:GNOME"), Some(Desktop::Gnome));
        assert_eq!(parse_desktop("GNOME-Classic:GNOME"), Some(Desktop::Gnome));
        assert_eq!(parse_desktop("X-Cinnamon"), Some(Desktop::Cinnamon));
        assert_eq!(parse_desktop("MATE"), Some(Desktop::Mate));
        assert_eq!(parse_desktop("KDE"), Some(Desktop::Kde));
        assert_eq!(parse_desktop("plasmawayland"), Some(Desktop::Kde));
        assert_eq!(parse_desktop("XFCE"), Some(Desktop::Xfce));
        assert_eq!(parse_desktop("sway"), Some(Desktop::Other("sway".into())));
        assert_eq!(parse_desktop(""), None);
    }

    #[test]
    fn kscreenlockerrc_keys_come_from_the_daemon_group_only() {
        let text = "[$Version]\nupdate_info=kscreenlocker.upd:0.1-autolock\n\n[Daemon]\nAutolock[$i]=false\nTimeout=10\n\n[Greeter][Wallpaper][org.kde.image][General]\nTimeout=99\n";
        assert_eq!(
            parse_kscreenlockerrc(text),
            vec![
                ("Autolock".to_string(), "false".to_string()),
                ("Timeout".to_string(), "10".to_string())
            ]
        );
    }

    #[test]
    fn junk_in_kscreenlockerrc_is_unreadable_not_a_verdict() {
        // Seen in a public how-to: `Timeout=false`.
        let keys = vec![("Timeout".to_string(), "false".to_string())];
        assert!(kde_lock(&keys, &mut Vec::new()).is_err());
    }

    #[test]
    fn xfconf_paths_nest_and_broken_xml_is_refused() {
        let xml = "<channel name=\"c\" version=\"1.0\">\n  <property name=\"lock\" type=\"empty\">\n    <!-- a <comment> -->\n    <property name=\"enabled\" type=\"bool\" value=\"false\"/>\n  </property>\n  <property name=\"saver\" type=\"empty\">\n    <property name=\"themes\" type=\"empty\">\n      <property name=\"list\" type=\"array\">\n        <value type=\"string\" value=\"x\"/>\n      </property>\n    </property>\n  </property>\n</channel>\n";
        let props = parse_xfconf(xml).unwrap();
        let paths: Vec<&str> = props.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/lock",
                "/lock/enabled",
                "/saver",
                "/saver/themes",
                "/saver/themes/list"
            ]
        );
        assert_eq!(props[1].value.as_deref(), Some("false"));
        assert_eq!(parse_xfconf("<property name=\"a\" type=\"empty\">"), None);
        assert_eq!(xml_attribute("name=\"a\" rename=\"b\"", "name").as_deref(), Some("a"));
        assert_eq!(xml_attribute("rename=\"b\" name=\"a\"", "name").as_deref(), Some("a"));
    }

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
