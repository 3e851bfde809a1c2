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

mod linux;
mod macos;
mod windows;

pub use linux::{Desktop, XfconfProperty, parse_desktop, parse_kscreenlockerrc, parse_xfconf};
pub use macos::{MacScreenLock, parse_pmset_displaysleep, parse_screenlock_status};
pub use windows::parse_powercfg_setting;

use super::CheckContext;
use super::kit::{BuiltinCheck, ScanTime, Verdict};
use crate::words;

pub struct ScreenLock;

crate::limits! {
    /// What the policy may tune.
    pub struct Limits {
        /// From the issue: the lock must come within the policy's idle time; 15 minutes unless it says.
        max_idle_minutes: Minutes = 15, "fail when the screen locks only after more than this many idle minutes, or never";
        /// Tool choice: 5 minutes is what GNOME, KDE and XFCE ship with, and what most guidance suggests.
        warn_idle_minutes: Minutes = 5, "warn when the screen locks only after more than this many idle minutes";
        /// The CIS/NIST value for the grace period between the screen blanking and the password.
        max_password_delay_seconds: Seconds = 5, "fail when waking the screen needs no password for more than this many seconds after it locks or blanks";
    }
}

crate::reasons! {
    /// Why the verdict is what it is (`screen-lock.<code>`).
    pub enum Reason {
        LocksWhenIdle: Pass "locks-when-idle" => "The screen locks by itself within the recommended idle time and asks for the password when it wakes.",
        IdleLongerThanRecommended: Warn "idle-longer-than-recommended" => "The screen locks by itself within the policy's idle time, but later than the recommended one.",
        IdleTooLong: Fail "idle-too-long" => "The screen locks by itself only after more idle time than the policy allows.",
        PasswordDelayTooLong: Fail "password-delay-too-long" => "Waking the screen asks for the password only some time after it locks or blanks, longer than the policy allows.",
        LockDisabled: Fail "lock-disabled" => "Screen locking is turned off, so the screen never locks by itself or wakes without the password.",
        NeverIdle: Fail "never-idle" => "The idle time after which the screen would lock is set to never (or 0), so it never locks by itself.",
        NeverLocks: Fail "never-locks" => "Windows has no password-protected screen saver, no inactivity limit, and no display turning off with sign-in required on wake.",
        ScreensaverWithoutPassword: Fail "screensaver-without-password" => "The Windows screen saver starts first, and it does not ask for the password when you come back.",
        NoPassword: Fail "no-password" => "KDE's lock screen does not ask for the password.",
        PartlyUnreadable: Unknown "partly-unreadable" => "The screen locks too late by the settings that were read, but another setting that may lock it sooner could not be read.",
        Unreadable: Unknown "unreadable" => "The screen saver, display sleep or power settings that decide the lock could not be read.",
        SettingsUnreadable: Unknown "settings-unreadable" => "The Linux desktop's lock settings could not be read.",
        NeedsYourSession: Unknown "needs-your-session" => "macOS answers about the screen lock only inside the user's own session (not as root or over SSH).",
        NoDesktopSession: Unknown "no-desktop-session" => "The scan was not run from a desktop session, so there was no desktop whose settings could be read.",
        UnsupportedDesktop: Unknown "unsupported-desktop" => "confide cannot read the lock settings of this Linux desktop yet.",
        LockerNotFound: Unknown "locker-not-found" => "XFCE's screen locker is not running and has no settings, so the locker in use is not known.",
    }
}

impl BuiltinCheck for ScreenLock {
    const ID: &'static str = "screen-lock";
    type Limits = Limits;
    type Reason = Reason;
    type Reading = Reading;

    fn read(&self, ctx: &CheckContext<'_>) -> Reading {
        super::kit::per_os(ctx.system, macos::read, windows::read, linux::read)
    }

    fn judge(&self, reading: Reading, limits: &Limits, _at: ScanTime) -> Verdict<Reason> {
        judge(reading, limits)
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
    /// It never locks by itself, or wakes without a password: a failing reason.
    Never { reason: Reason, summary: String },
    /// Could not tell: an unknown reason.
    Unknown { reason: Reason, summary: String },
}

impl Reading {
    fn new(lock: Lock, evidence: Vec<String>) -> Self {
        Reading {
            lock,
            evidence,
            defaults: None,
        }
    }

    fn never(reason: Reason, summary: impl Into<String>, evidence: Vec<String>) -> Self {
        Reading::new(
            Lock::Never {
                reason,
                summary: summary.into(),
            },
            evidence,
        )
    }

    fn unknown(reason: Reason, summary: impl Into<String>, evidence: Vec<String>) -> Self {
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
pub fn judge(reading: Reading, limits: &Limits) -> Verdict<Reason> {
    let mut verdict = match reading.lock {
        Lock::Unknown { reason, summary } | Lock::Never { reason, summary } => Verdict::new(reason, summary),
        Lock::After {
            idle_seconds,
            password_delay_seconds,
            maybe_sooner,
        } => judge_idle(idle_seconds, password_delay_seconds, maybe_sooner, limits),
    };
    if let Some(defaults) = &reading.defaults {
        verdict.summary = format!("{} This relies on {defaults}.", verdict.summary);
    }
    verdict.with_evidence(reading.evidence)
}

/// The verdict on a screen that locks after `idle_seconds` and asks for the password
/// `password_delay_seconds` after that.
fn judge_idle(idle_seconds: u64, password_delay_seconds: u64, maybe_sooner: bool, limits: &Limits) -> Verdict<Reason> {
    let idle = words::seconds_as_duration(idle_seconds);
    let max_idle = limits.max_idle_minutes.get();
    let warn_idle = limits.warn_idle_minutes.get();
    let too_long = idle_seconds > u64::from(max_idle) * 60;
    // A way to lock that could not be read may come sooner: it cannot make a pass worse,
    // so it only matters where it could turn a failure into something better.
    let unread_note = if maybe_sooner {
        " Another setting that may lock it sooner could not be read."
    } else {
        ""
    };
    if password_delay_seconds > u64::from(limits.max_password_delay_seconds.get()) {
        Verdict::new(
            Reason::PasswordDelayTooLong,
            format!(
                "Your screen locks after {idle} without use, but it asks for your password only {} after that: anyone who wakes it sooner sees your screen.",
                words::seconds_as_duration(password_delay_seconds)
            ),
        )
    } else if too_long && maybe_sooner {
        Verdict::new(
            Reason::PartlyUnreadable,
            format!(
                "Could not tell whether your screen locks in time: it locks after {idle} without use, which is too long, but another setting that may lock it sooner could not be read."
            ),
        )
    } else if too_long {
        Verdict::new(
            Reason::IdleTooLong,
            format!(
                "Your screen locks only after {idle} without use: your guidance allows at most {}.",
                words::minutes(max_idle.into())
            ),
        )
    } else if idle_seconds > u64::from(warn_idle) * 60 {
        Verdict::new(
            Reason::IdleLongerThanRecommended,
            format!(
                "Your screen locks after {idle} without use: {} or less is safer.{unread_note}",
                words::minutes(warn_idle.into())
            ),
        )
    } else {
        Verdict::new(
            Reason::LocksWhenIdle,
            format!("Your screen locks after {idle} without use and asks for your password."),
        )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::kit::{Minutes, Reason as _, Seconds};
    use crate::status::Status;

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
        let status = |r: Reading| judge(r, &l).status();
        assert_eq!(status(after(300, 0)), Status::Pass);
        assert_eq!(status(after(301, 0)), Status::Warn);
        assert_eq!(status(after(900, 5)), Status::Warn);
        assert_eq!(status(after(901, 0)), Status::Fail);
        assert_eq!(status(after(60, 6)), Status::Fail);
        let strict = Limits {
            max_idle_minutes: Minutes(5),
            warn_idle_minutes: Minutes(2),
            max_password_delay_seconds: Seconds(0),
        };
        assert_eq!(judge(after(600, 0), &strict).status(), Status::Fail);
        assert_eq!(judge(after(60, 5), &strict).status(), Status::Fail);
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
        let summary = |r: Reading| judge(r, &Limits::default()).summary;
        assert!(summary(after(300, 0)).contains("after 5 minutes without use"));
        assert!(summary(after(60, 0)).contains("after 1 minute without use"));
        assert!(summary(after(90, 0)).contains("after 90 seconds without use"));
        assert!(summary(after(60, 30)).contains("only 30 seconds after that"));
        assert!(summary(after(1200, 0)).contains("allows at most 15 minutes."));
    }

    #[test]
    fn the_reason_fixes_the_code_and_status() {
        let out = judge(after(1200, 0), &Limits::default()).into_outcome("screen-lock");
        assert_eq!(
            (out.status, out.reason.as_str()),
            (Status::Fail, "screen-lock.idle-too-long")
        );
        let never = Reading::never(Reason::NeverIdle, "never", Vec::new());
        assert_eq!(judge(never, &Limits::default()).reason.status(), Status::Fail);
    }
}
