//! ## What it checks
//! How long the computer has been running since it was last started (sleep counts as running).
//!
//! ## Why it matters
//! The guidance asks that devices are turned off when you are not working. A computer that only
//! ever sleeps keeps its disk unlocked in memory, so a stolen sleeping laptop gives up more than
//! one that was shut down.
//!
//! ## How it reads it
//! The boot time from the OS (Linux `/proc/stat` `btime`, macOS `kern.boottime`, Windows
//! `GetTickCount64`, through sysinfo), recorded in snapshots as `boot_time`.

use jiff::Timestamp;

use super::CheckContext;
use super::kit::{BuiltinCheck, ScanTime, Verdict};
use crate::words;

pub struct Uptime;

crate::limits! {
    /// What the policy may tune.
    pub struct Limits {
        /// Tool choice, stated in the policy: a week covers a working week with a weekend off.
        max_days: Days = 7, "warn when the computer has run longer than this many days without a shutdown";
    }
}

crate::reasons! {
    /// Why the verdict is what it is (`uptime.<code>`).
    pub enum Reason {
        Recent: Pass "recent" => "The computer was started again within the policy's number of days.",
        Long: Warn "long" => "The computer has run longer than the policy's number of days without being shut down.",
        NoBootTime: Unknown "no-boot-time" => "The operating system did not say when it was last started.",
        BootInFuture: Unknown "boot-in-future" => "The recorded start time is later than the clock, so one of them is wrong.",
    }
}

impl BuiltinCheck for Uptime {
    const ID: &'static str = "uptime";
    type Limits = Limits;
    type Reason = Reason;
    type Reading = Option<Timestamp>;

    fn read(&self, ctx: &CheckContext<'_>) -> Option<Timestamp> {
        ctx.system.boot_time()
    }

    fn judge(&self, boot: Option<Timestamp>, limits: &Limits, at: ScanTime) -> Verdict<Reason> {
        judge(boot, at.now, limits)
    }
}

/// The verdict for a boot time seen at `now`.
pub fn judge(boot: Option<Timestamp>, now: Timestamp, limits: &Limits) -> Verdict<Reason> {
    let Some(boot) = boot else {
        return Verdict::new(
            Reason::NoBootTime,
            "The operating system did not say when it was last started.",
        );
    };
    let up = now.duration_since(boot);
    let evidence = vec![format!(
        "last started {} UTC ({} ago)",
        boot.strftime("%Y-%m-%d %H:%M"),
        words::elapsed(up)
    )];
    if up.is_negative() {
        return Verdict::new(
            Reason::BootInFuture,
            "The recorded start time is later than the clock, so the clock or the boot time is wrong.",
        )
        .with_evidence(evidence);
    }
    let max_days = limits.max_days.get();
    if up > jiff::SignedDuration::from_secs(i64::from(max_days) * 86_400) {
        Verdict::new(
            Reason::Long,
            format!(
                "This computer has not been shut down for {} (more than {}): shut it down when you finish work.",
                words::elapsed(up),
                words::days(max_days.into())
            ),
        )
        .with_evidence(evidence)
    } else {
        Verdict::new(Reason::Recent, format!("Last started {} ago.", words::elapsed(up))).with_evidence(evidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    use crate::checks::kit::{Days, Reason as _};
    use crate::status::Status;

    fn week() -> Limits {
        Limits::default()
    }

    #[test]
    fn verdicts_by_time_since_boot() {
        let now = at("2026-11-22T12:00:00Z");
        let cases = [
            ("2026-11-22T11:48:00Z", Status::Pass, "uptime.recent", "12 minutes"),
            ("2026-11-15T12:00:00Z", Status::Pass, "uptime.recent", "7 days 0 hours"),
            ("2026-11-15T11:59:00Z", Status::Warn, "uptime.long", "7 days 0 hours"),
            ("2026-10-01T08:00:00Z", Status::Warn, "uptime.long", "52 days 4 hours"),
            ("2026-11-23T08:00:00Z", Status::Unknown, "uptime.boot-in-future", ""),
        ];
        for (boot, status, reason, words) in cases {
            let out = judge(Some(at(boot)), now, &week()).into_outcome("uptime");
            assert_eq!((out.status, out.reason.as_str()), (status, reason), "boot {boot}");
            assert!(out.summary.contains(words), "{boot}: {}", out.summary);
            assert!(out.evidence[0].starts_with("last started"), "{boot}");
        }
    }

    #[test]
    fn no_boot_time_is_unknown_never_a_pass() {
        let out = judge(None, at("2026-11-22T12:00:00Z"), &week());
        assert_eq!(out.reason.status(), Status::Unknown);
    }

    #[test]
    fn the_policy_threshold_is_used() {
        let limits = Limits { max_days: Days(1) };
        let out = judge(Some(at("2026-11-20T12:00:00Z")), at("2026-11-22T12:00:00Z"), &limits);
        assert_eq!(out.status(), Status::Warn);
        assert!(out.summary.contains("(more than 1 day)"), "{}", out.summary);
    }
}
