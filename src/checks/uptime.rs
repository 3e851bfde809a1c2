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

use jiff::{SignedDuration, Timestamp};

use super::{Check, CheckContext, Outcome, ThresholdSpec};
use crate::status::Status;
use crate::system::OsFamily;

pub struct Uptime;

/// Tool choice, stated in the policy: a week covers a working week with a weekend off.
pub const MAX_DAYS: ThresholdSpec = ThresholdSpec {
    name: "max_days",
    default: 7.0,
    meaning: "warn when the computer has run longer than this many days without a shutdown",
};

impl Check for Uptime {
    fn id(&self) -> &str {
        "uptime"
    }

    fn supported_os(&self) -> &[OsFamily] {
        &OsFamily::ALL
    }

    fn thresholds(&self) -> &[ThresholdSpec] {
        std::slice::from_ref(&MAX_DAYS)
    }

    fn run(&self, ctx: &CheckContext<'_>) -> Outcome {
        judge(ctx.system.boot_time(), ctx.system.now(), ctx.threshold(&MAX_DAYS))
    }
}

/// The verdict for a boot time seen at `now`.
pub fn judge(boot: Option<Timestamp>, now: Timestamp, max_days: f64) -> Outcome {
    let Some(boot) = boot else {
        return Outcome::new(
            Status::Unknown,
            "uptime.no-boot-time",
            "The operating system did not say when it was last started.",
        );
    };
    let up = now.duration_since(boot);
    let evidence = vec![format!(
        "last started {} UTC ({} ago)",
        boot.strftime("%Y-%m-%d %H:%M"),
        describe(up)
    )];
    if up.is_negative() {
        return Outcome::new(
            Status::Unknown,
            "uptime.boot-in-future",
            "The recorded start time is later than the clock, so the clock or the boot time is wrong.",
        )
        .with_evidence(evidence);
    }
    let days = up.as_secs_f64() / 86_400.0;
    if days > max_days {
        Outcome::new(
            Status::Warn,
            "uptime.long",
            format!(
                "This computer has not been shut down for {} (more than {}): shut it down when you finish work.",
                describe(up),
                format_days(max_days)
            ),
        )
        .with_evidence(evidence)
    } else {
        Outcome::new(
            Status::Pass,
            "uptime.recent",
            format!("Last started {} ago.", describe(up)),
        )
        .with_evidence(evidence)
    }
}

fn format_days(days: f64) -> String {
    let n = if days.fract() == 0.0 {
        format!("{days:.0}")
    } else {
        format!("{days}")
    };
    if n == "1" {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

/// `3 days 4 hours`, `5 hours 2 minutes`, `12 minutes`.
fn describe(d: SignedDuration) -> String {
    let total_minutes = d.as_secs().unsigned_abs() / 60;
    let (days, hours, minutes) = (total_minutes / 1440, total_minutes / 60 % 24, total_minutes % 60);
    let unit = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    match (days, hours) {
        (0, 0) => unit(minutes, "minute"),
        (0, h) => format!("{} {}", unit(h, "hour"), unit(minutes, "minute")),
        (d, h) => format!("{} {}", unit(d, "day"), unit(h, "hour")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
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
            let out = judge(Some(at(boot)), now, 7.0);
            assert_eq!((out.status, out.reason.as_str()), (status, reason), "boot {boot}");
            assert!(out.summary.contains(words), "{boot}: {}", out.summary);
            assert!(out.evidence[0].starts_with("last started"), "{boot}");
        }
    }

    #[test]
    fn no_boot_time_is_unknown_never_a_pass() {
        let out = judge(None, at("2026-11-22T12:00:00Z"), 7.0);
        assert_eq!(out.status, Status::Unknown);
    }

    #[test]
    fn the_policy_threshold_is_used() {
        let out = judge(Some(at("2026-11-20T12:00:00Z")), at("2026-11-22T12:00:00Z"), 1.0);
        assert_eq!(out.status, Status::Warn);
        assert!(out.summary.contains("(more than 1 day)"), "{}", out.summary);
    }
}
