//! ## What it checks
//! That the operating system installs its updates by itself, and that it last looked for or
//! installed updates within the policy's number of days: macOS's Software Update settings, the
//! Windows Update Group Policy (or the Windows default when there is none), unattended-upgrades on
//! Debian and Ubuntu, dnf-automatic on Fedora. Only what the computer keeps locally is read: no
//! network, no administrator rights, and never the slow `softwareupdate -l`.
//!
//! ## Why it matters
//! Updates close the holes attackers use to get at client notes. Cyber Essentials asks for
//! automatic updates "where possible" and for critical and high-risk fixes within 14 days.
//!
//! ## What it cannot see
//! On Debian and Ubuntu it also lists the updates waiting (from apt's cached package lists) and
//! fails when a security fix has waited longer than the policy's days; apt keeps no date per
//! update, so the age is counted from when the package lists last changed (a lower bound, said
//! so). On macOS it reads Software Update's `RecommendedUpdates`, dated by the last successful
//! check (also a lower bound); on Fedora dnf's cached advisories, dated by their Issued day; on
//! Windows Windows Update's offline search (the results of its last scan), dated by when Microsoft
//! last published each update, and the flags Windows keeps while a restart is pending. The
//! lists are as fresh as the system's last look for updates. macOS settings pushed by MDM
//! (`/Library/Managed Preferences`), paused updates and Windows Update for Business deferrals,
//! GNOME Software's own updates, and other Linux distributions are not read.

use jiff::civil::Date;

use super::CheckContext;
use super::kit::{BuiltinCheck, ScanTime, Verdict};
use crate::dates::days_between;
use crate::status::Status;

mod apt_pending;
mod debian;
mod dnf_pending;
mod fedora;
mod linux;
mod mac_pending;
mod macos;
mod pending;
mod windows;
mod windows_pending;
mod windows_waiting;

pub use apt_pending::{APT_LISTS, APT_SIMULATE, parse_apt_simulation};
pub use pending::{Dated, Pending, PendingUpdate};
pub use debian::{apt_interval_on, last_log_info, parse_apt_periodic};
pub use fedora::parse_apply_updates;
pub use linux::{UnitState, parse_is_enabled};
pub use mac_pending::parse_recommended_updates;
pub use macos::parse_mac_date;
pub use windows::{WU_DATES, WuDates, parse_wu_dates};
pub use windows_waiting::{WUA_SEARCH, WaitingUpdate, parse_wua_search};

pub struct OsUpdates;

crate::limits! {
    /// What the policy may tune.
    pub struct Limits {
        /// Cyber Essentials: critical and high-risk fixes "within 14 days" of release.
        max_pending_days: Days = 14, "warn when the computer last checked for or installed updates more than this many days ago, and fail when a security update has waited longer than this";
    }
}

crate::reasons! {
    /// Why the verdict is what it is (`os-updates.<code>`).
    pub enum Reason {
        Automatic: Pass "automatic" => "Updates are found and installed by themselves, and the last check or install is recent (or could not be seen).",
        NotInstalledAutomatically: Warn "not-installed-automatically" => "Updates are found, maybe downloaded, but a person has to install them.",
        LastRunOld: Warn "last-run-old" => "Automatic updates are on, but the computer last checked for or installed updates longer ago than the policy allows.",
        NeverRan: Warn "never-ran" => "Automatic updates are on, but there is no sign that they have ever run.",
        UpdatesWaiting: Warn "updates-waiting" => "Updates are waiting to be installed (none of them a security update waiting longer than the policy allows).",
        SecurityUpdatesOverdue: Fail "security-updates-overdue" => "A security update has waited longer than the policy allows to be installed.",
        WaitingUnreadable: Unknown "waiting-unreadable" => "Updates look automatic, but the list of updates waiting to be installed could not be read.",
        AutomaticUpdatesOff: Fail "automatic-updates-off" => "Automatic updates are turned off or not set up.",
        SettingsUnreadable: Unknown "settings-unreadable" => "The update settings could not be read, so confide cannot tell whether updates are automatic.",
        UnsupportedDistribution: Unknown "unsupported-distribution" => "confide reads update settings only on Debian, Ubuntu and Fedora among Linux distributions.",
    }
}

impl BuiltinCheck for OsUpdates {
    const ID: &'static str = "os-updates";
    type Limits = Limits;
    type Reason = Reason;
    type Reading = Reading;

    fn read(&self, ctx: &CheckContext<'_>) -> Reading {
        super::kit::per_os(ctx.system, macos::read, windows::read, linux::read)
    }

    fn judge(&self, reading: Reading, limits: &Limits, at: ScanTime) -> Verdict<Reason> {
        judge(reading, limits, at.today)
    }
}

/// What one OS said about its updates.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub automatic: Automatic,
    pub last: LastRun,
    /// What was seen, for the report.
    pub evidence: Vec<String>,
    /// When the verdict rests on the OS's built-in defaults rather than a setting that was read:
    /// whose, in words.
    pub defaults: Option<String>,
    /// The updates waiting to be installed, where this OS's list is read.
    pub pending: Pending,
}

/// Whether updates come by themselves.
#[derive(Debug, Clone, PartialEq)]
pub enum Automatic {
    /// Updates are found and installed without the person.
    On,
    /// Updates are found (maybe downloaded) but a person has to install them; the summary says so.
    Manual(String),
    /// Automatic updates are off; the summary says what is off.
    Off(String),
    /// Could not tell: an unknown `reason`, and why in words.
    Unknown { reason: Reason, summary: String },
}

/// When updates were last checked for or installed, where the OS keeps a local record.
#[derive(Debug, Clone, PartialEq)]
pub enum LastRun {
    /// On `date` the computer last did `what` ("checked for updates", "installed updates").
    On { date: Date, what: &'static str },
    /// The record exists only after a first run, and there is none.
    Never,
    /// No record was read; the evidence says why.
    NotRead,
}

impl Reading {
    fn new(automatic: Automatic, last: LastRun, evidence: Vec<String>) -> Self {
        Reading {
            automatic,
            last,
            evidence,
            defaults: None,
            pending: Pending::NotRead,
        }
    }

    fn unknown(reason: Reason, summary: impl Into<String>, evidence: Vec<String>) -> Self {
        Reading::new(
            Automatic::Unknown {
                reason,
                summary: summary.into(),
            },
            LastRun::NotRead,
            evidence,
        )
    }

    /// Settings that could not be read, with why in words.
    fn unreadable(summary: impl Into<String>) -> Automatic {
        Automatic::Unknown {
            reason: Reason::SettingsUnreadable,
            summary: summary.into(),
        }
    }
}

/// The verdict as of `today`: automatic updates off fails; updates a person must install, or a
/// last check or install older than the policy's days, warn; what could not be read is unknown,
/// never a pass.
pub fn judge(reading: Reading, limits: &Limits, today: Date) -> Verdict<Reason> {
    let max_days = limits.max_pending_days.get();
    let stale = match &reading.last {
        LastRun::On { date, what } => {
            let days = days_between(*date, today);
            (days > i64::from(max_days)).then(|| {
                format!(
                    "It last {what} on {date}, {days} days ago: your guidance expects security updates within {max_days} days."
                )
            })
        }
        LastRun::Never => Some(
            "There is no sign that they have ever run: if this computer was set up today, check again tomorrow."
                .to_string(),
        ),
        LastRun::NotRead => None,
    };
    let mut verdict = match reading.automatic {
        Automatic::Unknown { reason, summary } => Verdict::new(reason, summary),
        Automatic::Off(summary) => Verdict::new(Reason::AutomaticUpdatesOff, summary),
        Automatic::Manual(summary) => {
            let summary = match &stale {
                Some(s) => format!("{summary} {s}"),
                None => format!("{summary} Install them within {max_days} days of their release."),
            };
            Verdict::new(Reason::NotInstalledAutomatically, summary)
        }
        Automatic::On => match (&stale, &reading.last) {
            (Some(s), LastRun::Never) => {
                Verdict::new(Reason::NeverRan, format!("Automatic updates are turned on. {s}"))
            }
            (Some(s), _) => Verdict::new(Reason::LastRunOld, format!("Automatic updates are turned on. {s}")),
            (None, LastRun::NotRead) => Verdict::new(
                Reason::Automatic,
                "Automatic updates are turned on (confide could not see when they last ran).",
            ),
            (None, _) => Verdict::new(Reason::Automatic, "Automatic updates are turned on and ran recently."),
        },
    };
    if let Some(defaults) = &reading.defaults
        && verdict.status() != Status::Unknown
    {
        verdict.summary = format!("{} This relies on {defaults}.", verdict.summary);
    }
    let (verdict, seen) = waiting(verdict, reading.pending, max_days, today);
    verdict.with_evidence(reading.evidence).with_evidence(seen)
}

/// The updates waiting, on top of the verdict on the settings: a security update waiting longer
/// than the policy's days fails whatever the settings say (a known bad signal decides even when
/// the settings could not be read); other waiting updates warn where the settings passed or
/// could not be read; a list that could not be read keeps a pass from being given. Also returns
/// what was seen, for the evidence.
fn waiting(verdict: Verdict<Reason>, pending: Pending, max_days: u32, today: Date) -> (Verdict<Reason>, Vec<String>) {
    let (updates, since, dated, how, unseen) = match pending {
        Pending::NotRead => return (verdict, vec![]),
        Pending::Unreadable(why) if verdict.reason == Reason::Automatic => {
            let summary = format!(
                "{} But confide could not see whether updates are waiting to be installed: {why}",
                verdict.summary
            );
            return (Verdict::new(Reason::WaitingUnreadable, summary), vec![]);
        }
        Pending::Unreadable(_) => return (verdict, vec![]),
        Pending::Listed {
            updates,
            since,
            dated,
            how,
            unseen,
        } => (updates, since, dated, how, unseen),
    };
    if updates.is_empty() {
        return (verdict, vec!["no updates are waiting to be installed".into()]);
    }
    let security = updates.iter().filter(|u| u.security).count();
    let age = since.map(|d| days_between(d, today));
    let seen = vec![format!("waiting: {}", pending::listed(&updates)), how];
    let count = crate::words::count(updates.len() as u64, "update");
    let of_which = match security {
        0 => String::new(),
        1 => ", 1 of them a security fix".to_string(),
        n => format!(", {n} of them security fixes"),
    };
    let unseen = unseen
        .map(|why| format!(" confide could not see which other updates are waiting: {why}."))
        .unwrap_or_default();
    let then = |v: &Verdict<Reason>| match v.status() {
        Status::Pass => String::new(),
        _ => format!(" {}", v.summary),
    };
    let are = if updates.len() == 1 { "is" } else { "are" };
    let verdict = match age {
        Some(days) if security > 0 && days > i64::from(max_days) => {
            let how_long = match dated {
                Dated::KnownBy => format!("for at least {days} days"),
                Dated::Released => format!(
                    "and the oldest security fix among them was released at least {days} days ago"
                ),
            };
            Verdict::new(
                Reason::SecurityUpdatesOverdue,
                format!(
                    "{count} {are} waiting to be installed{of_which}, {how_long}: your guidance expects security updates within {max_days} days of their release. Install them now: {}.{unseen}{}",
                    pending::names(&updates),
                    then(&verdict)
                ),
            )
        }
        _ if matches!(verdict.status(), Status::Pass | Status::Unknown) => {
            let waited = match (age, dated) {
                (Some(days), Dated::KnownBy) => {
                    format!(" (known for at least {})", crate::words::days(days.max(0).unsigned_abs()))
                }
                (Some(days), Dated::Released) => format!(
                    " (the oldest {} released {} ago)",
                    if security > 0 { "security fix" } else { "one" },
                    crate::words::days(days.max(0).unsigned_abs())
                ),
                (None, _) => String::new(),
            };
            Verdict::new(
                Reason::UpdatesWaiting,
                format!(
                    "{count} {are} waiting to be installed{of_which}{waited}: {}. Install them (and restart if asked) within {max_days} days of their release.{unseen}{}",
                    pending::names(&updates),
                    then(&verdict)
                ),
            )
        }
        _ => {
            let mut v = verdict;
            v.summary = format!("{} {count} waiting to be installed{of_which}.{unseen}", v.summary);
            v
        }
    };
    (verdict, seen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;
    use jiff::civil::date;

    fn reading(automatic: Automatic, last: LastRun) -> Reading {
        Reading::new(automatic, last, vec!["seen".into()])
    }

    #[test]
    fn the_verdict_never_passes_on_what_could_not_be_read() {
        let today = date(2026, 11, 22);
        let on = |d| LastRun::On {
            date: d,
            what: "checked for updates",
        };
        let status = |a, l| judge(reading(a, l), &Limits::default(), today).status();
        assert_eq!(status(Automatic::On, on(date(2026, 11, 20))), Status::Pass);
        assert_eq!(status(Automatic::On, on(date(2026, 11, 8))), Status::Pass);
        assert_eq!(status(Automatic::On, on(date(2026, 11, 7))), Status::Warn);
        assert_eq!(status(Automatic::On, LastRun::Never), Status::Warn);
        assert_eq!(status(Automatic::On, LastRun::NotRead), Status::Pass);
        assert_eq!(status(Automatic::Manual("m".into()), LastRun::NotRead), Status::Warn);
        assert_eq!(status(Automatic::Off("o".into()), on(today)), Status::Fail);
        let unknown = Automatic::Unknown {
            reason: Reason::SettingsUnreadable,
            summary: "u".into(),
        };
        assert_eq!(status(unknown, on(today)), Status::Unknown);
    }
}
