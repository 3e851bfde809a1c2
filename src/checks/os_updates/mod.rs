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
//! How long a security update has been waiting: no OS tells that offline with an output we have a
//! real sample of (Ubuntu's `apt-check` has none), so only the age of the last check or install is
//! judged. macOS settings pushed by MDM (`/Library/Managed Preferences`), paused updates and
//! Windows Update for Business deferrals on Windows, GNOME Software's own updates, and other Linux
//! distributions are not read.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, fmt::strtime};

use super::os_support::os_release_field;
use super::{Check, CheckContext, Outcome, ThresholdKind, ThresholdSpec, ThresholdValue};
use crate::dates::today;
use crate::probe::macos_defaults::{self, Defaults, DefaultsBool, parse_defaults_bool};
use crate::probe::windows_reg::{self, RegValue};
use crate::status::Status;
use crate::system::{CommandOutput, FileRead, OsFamily, RunOutcome, System};
use crate::words::join_names;

pub struct OsUpdates;

/// Cyber Essentials: critical and high-risk fixes "within 14 days" of release.
pub const MAX_PENDING_DAYS: ThresholdSpec = ThresholdSpec {
    name: "max_pending_days",
    kind: ThresholdKind::Days,
    default: ThresholdValue::Count(14),
    meaning: "warn when the computer last checked for or installed updates more than this many days ago",
};

impl Check for OsUpdates {
    fn id(&self) -> &str {
        "os-updates"
    }

    fn supported_os(&self) -> &[OsFamily] {
        &OsFamily::ALL
    }

    fn thresholds(&self) -> &[ThresholdSpec] {
        std::slice::from_ref(&MAX_PENDING_DAYS)
    }

    fn run(&self, ctx: &CheckContext<'_>) -> Outcome {
        let reading = match ctx.system.os().family {
            OsFamily::Macos => macos(ctx.system),
            OsFamily::Windows => windows(ctx.system),
            OsFamily::Linux => linux(ctx.system),
        };
        judge(&reading, today(ctx.system), ctx.threshold(&MAX_PENDING_DAYS))
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
    /// Could not tell; `reason` is the id's second part.
    Unknown { reason: &'static str, summary: String },
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
        }
    }

    fn unknown(reason: &'static str, summary: impl Into<String>, evidence: Vec<String>) -> Self {
        Reading::new(
            Automatic::Unknown {
                reason,
                summary: summary.into(),
            },
            LastRun::NotRead,
            evidence,
        )
    }
}

/// The verdict: automatic updates off fails; updates a person must install, or a last check or
/// install older than `max_days`, warn; what could not be read is unknown, never a pass.
pub fn judge(reading: &Reading, today: Date, max_days: f64) -> Outcome {
    let id = |reason: &str| format!("os-updates.{reason}");
    let stale = match &reading.last {
        LastRun::On { date, what } => {
            let days = (today - *date).get_days();
            (f64::from(days) > max_days).then(|| {
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
    let mut outcome = match &reading.automatic {
        Automatic::Unknown { reason, summary } => Outcome::new(Status::Unknown, id(reason), summary.clone()),
        Automatic::Off(summary) => Outcome::new(Status::Fail, id("automatic-updates-off"), summary.clone()),
        Automatic::Manual(summary) => {
            let summary = match &stale {
                Some(s) => format!("{summary} {s}"),
                None => format!("{summary} Install them within {max_days} days of their release."),
            };
            Outcome::new(Status::Warn, id("not-installed-automatically"), summary)
        }
        Automatic::On => match (&stale, &reading.last) {
            (Some(s), LastRun::Never) => Outcome::new(
                Status::Warn,
                id("never-ran"),
                format!("Automatic updates are turned on. {s}"),
            ),
            (Some(s), _) => Outcome::new(
                Status::Warn,
                id("last-run-old"),
                format!("Automatic updates are turned on. {s}"),
            ),
            (None, LastRun::NotRead) => Outcome::new(
                Status::Pass,
                id("automatic"),
                "Automatic updates are turned on (confide could not see when they last ran).",
            ),
            (None, _) => Outcome::new(
                Status::Pass,
                id("automatic"),
                "Automatic updates are turned on and ran recently.",
            ),
        },
    };
    if let Some(defaults) = &reading.defaults
        && outcome.status != Status::Unknown
    {
        outcome.summary = format!("{} This relies on {defaults}.", outcome.summary);
    }
    outcome.with_evidence(reading.evidence.clone())
}

// ---------------------------------------------------------------- macOS

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

fn macos(system: &dyn System) -> Reading {
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
        Automatic::Unknown {
            reason: "settings-unreadable",
            summary: format!(
                "Could not tell whether your Mac updates itself: {} could not be read.",
                join_names(&unread)
            ),
        }
    } else if !manual.is_empty() {
        Automatic::Manual(format!(
            "Your Mac checks for updates, but {} {} off: you have to install updates yourself.",
            join_names(&manual),
            if manual.len() == 1 { "is" } else { "are" }
        ))
    } else {
        Automatic::On
    };
    let mut reading = Reading::new(automatic, last, evidence);
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

// ---------------------------------------------------------------- Windows

const AU_POLICY_KEY: &str = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU";

/// The COM object Windows Update keeps its last results in (MS-UAMG `IAutoUpdateResults`).
const WU_RESULTS: [&str; 3] = [
    "-NoProfile",
    "-Command",
    "(New-Object -ComObject Microsoft.Update.AutoUpdate).Results",
];

fn windows(system: &dyn System) -> Reading {
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
    let unreadable = |what: String| Automatic::Unknown {
        reason: "settings-unreadable",
        summary: format!("Could not tell whether Windows updates itself: {what}."),
    };
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

// ---------------------------------------------------------------- Linux

fn linux(system: &dyn System) -> Reading {
    let apt = system.run("apt-config", &["dump", "APT::Periodic"]);
    if apt.outcome() != RunOutcome::Missing {
        return debian(system, &apt);
    }
    let os_release = match system.read_file("/etc/os-release") {
        FileRead::Contents(text) => Some(text),
        _ => None,
    };
    let id = os_release.as_deref().and_then(|t| os_release_field(t, "ID"));
    let like = os_release.as_deref().and_then(|t| os_release_field(t, "ID_LIKE"));
    let fedora_like = id.as_deref() == Some("fedora")
        || like
            .as_deref()
            .is_some_and(|l| l.split_whitespace().any(|w| w == "fedora"));
    if fedora_like {
        return fedora(system);
    }
    let what = match (&os_release, &id) {
        (Some(_), Some(id)) => format!("/etc/os-release: ID={id}"),
        _ => "/etc/os-release could not be read".to_string(),
    };
    Reading::unknown(
        "unsupported-distribution",
        "confide can tell whether updates are automatic only on Debian, Ubuntu and Fedora: check your distribution's update settings yourself.",
        vec![what, "`apt-config` is not installed".into()],
    )
}

// ---- Debian and Ubuntu: unattended-upgrades

const UNATTENDED_CONFIG: &str = "/etc/apt/apt.conf.d/50unattended-upgrades";
const UNATTENDED_LOG: &str = "/var/log/unattended-upgrades/unattended-upgrades.log";
const UPDATE_STAMP: &str = "/var/lib/apt/periodic/update-stamp";

/// The `APT::Periodic::*` settings from `apt-config dump APT::Periodic`, as `(name, value)`:
///
/// ```text
/// APT::Periodic "";
/// APT::Periodic::Update-Package-Lists "1";
/// APT::Periodic::Unattended-Upgrade "1";
/// ```
///
/// Without any setting it prints nothing and exits 0.
pub fn parse_apt_periodic(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("APT::Periodic::")?;
            let (name, value) = rest.split_once(' ')?;
            let value = value.trim().strip_suffix(';')?.trim().trim_matches('"');
            Some((name.to_string(), value.to_string()))
        })
        .collect()
}

/// Whether an `APT::Periodic` interval runs the job: `0` (or nothing) is off; a number of days,
/// a number with an `s`/`m`/`h`/`d` suffix, or `always` is on (as `/usr/lib/apt/apt.systemd.daily`
/// reads them). `None` for anything else.
pub fn apt_interval_on(value: &str) -> Option<bool> {
    let value = value.trim();
    if value == "always" {
        return Some(true);
    }
    if value.is_empty() {
        return Some(false);
    }
    let number = value.strip_suffix(['s', 'm', 'h', 'd']).unwrap_or(value);
    number.parse::<u64>().ok().map(|n| n > 0)
}

fn debian(system: &dyn System, apt: &CommandOutput) -> Reading {
    let mut evidence = Vec::new();
    let shown = "`apt-config dump APT::Periodic`";
    if !apt.succeeded() {
        return Reading::unknown(
            "settings-unreadable",
            "Could not tell whether updates are automatic: `apt-config` did not answer.",
            vec![format!("{shown} failed: {}", apt.stderr.trim())],
        );
    }
    let settings = parse_apt_periodic(&apt.stdout);
    // apt-config prints the value that wins, but the last line would win if a name came twice.
    let setting = |name: &str| -> (Option<String>, String) {
        let value = settings.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        let line = match &value {
            Some(v) => format!("APT::Periodic::{name} \"{v}\""),
            None => format!("APT::Periodic::{name} is not set"),
        };
        (value, line)
    };
    let (lists, lists_line) = setting("Update-Package-Lists");
    let (upgrade, upgrade_line) = setting("Unattended-Upgrade");
    evidence.push(format!("{shown}: {lists_line}; {upgrade_line}"));
    let on = |v: &Option<String>| v.as_deref().map_or(Some(false), apt_interval_on);

    let installed = match system.read_file(UNATTENDED_CONFIG) {
        FileRead::Contents(_) => {
            evidence.push(format!(
                "{UNATTENDED_CONFIG} is there: unattended-upgrades is installed"
            ));
            Some(true)
        }
        FileRead::Missing => {
            evidence.push(format!(
                "{UNATTENDED_CONFIG} does not exist: unattended-upgrades is not installed"
            ));
            Some(false)
        }
        other => {
            evidence.push(format!("{UNATTENDED_CONFIG} could not be read: {other:?}"));
            None
        }
    };
    let timer = parse_is_enabled(&system.run("systemctl", &["is-enabled", "apt-daily-upgrade.timer"]));
    evidence.push(format!(
        "`systemctl is-enabled apt-daily-upgrade.timer`: {}",
        timer.words()
    ));
    let last = debian_last_run(system, &mut evidence);

    let automatic = if installed == Some(false) {
        Automatic::Off("Automatic updates are not set up: the unattended-upgrades package is not installed.".into())
    } else if on(&upgrade) == Some(false) || on(&lists) == Some(false) {
        Automatic::Off(
            "Automatic updates are turned off: unattended-upgrades is not set to fetch and install updates every day."
                .into(),
        )
    } else if timer == UnitState::Disabled {
        Automatic::Off(
            "Automatic updates are turned off: the daily update timer (apt-daily-upgrade.timer) is disabled.".into(),
        )
    } else if installed.is_none() || on(&upgrade).is_none() || on(&lists).is_none() {
        Automatic::Unknown {
            reason: "settings-unreadable",
            summary:
                "Could not tell whether updates are automatic: the unattended-upgrades settings could not be read."
                    .into(),
        }
    } else {
        Automatic::On
    };
    Reading::new(automatic, last, evidence)
}

/// The most recent sign that unattended-upgrades or the daily package-list update ran: the log's
/// last INFO line (readable by root and the `adm` group only) and the update stamp's date.
fn debian_last_run(system: &dyn System, evidence: &mut Vec<String>) -> LastRun {
    let mut dates = Vec::new();
    match system.read_file(UNATTENDED_LOG) {
        FileRead::Contents(text) => match last_log_info(&text) {
            Some((date, line)) => {
                evidence.push(format!("{UNATTENDED_LOG}, last entry: {line}"));
                dates.push((date, "ran unattended-upgrades"));
            }
            None => evidence.push(format!("{UNATTENDED_LOG} has no INFO entry")),
        },
        FileRead::Missing => evidence.push(format!("{UNATTENDED_LOG} does not exist")),
        FileRead::Unreadable(why) => evidence.push(format!(
            "{UNATTENDED_LOG} could not be read ({why}): only root and the adm group may read it"
        )),
        FileRead::Directory => evidence.push(format!("{UNATTENDED_LOG} is a directory")),
    }
    let stamp_exists = match system.read_file(UPDATE_STAMP) {
        FileRead::Missing => {
            evidence.push(format!(
                "{UPDATE_STAMP} does not exist: the daily update has not run yet"
            ));
            false
        }
        _ => true,
    };
    if stamp_exists {
        match system.modified(UPDATE_STAMP) {
            Some(ts) => {
                let date = ts.to_zoned(TimeZone::system()).date();
                evidence.push(format!(
                    "{UPDATE_STAMP} last changed on {date}: package lists were last updated then"
                ));
                dates.push((date, "updated its package lists"));
            }
            None => evidence.push(format!("the date of {UPDATE_STAMP} could not be read")),
        }
    }
    match dates.into_iter().max_by_key(|(d, _)| *d) {
        Some((date, what)) => LastRun::On { date, what },
        None if !stamp_exists => LastRun::Never,
        None => LastRun::NotRead,
    }
}

/// The date and text of the last INFO line of the unattended-upgrades log, whose lines are
/// `YYYY-MM-DD HH:MM:SS,mmm LEVEL message` in local time:
///
/// ```text
/// 2026-11-22 20:41:03,194 INFO All upgrades installed
/// ```
pub fn last_log_info(text: &str) -> Option<(Date, String)> {
    text.lines().rev().find_map(|line| {
        let mut words = line.splitn(4, ' ');
        let (day, _time, level) = (words.next()?, words.next()?, words.next()?);
        (level == "INFO").then_some(())?;
        Some((day.parse::<Date>().ok()?, line.trim().to_string()))
    })
}

// ---- systemd timers

/// What `systemctl is-enabled UNIT` said.
#[derive(Debug, Clone, PartialEq)]
pub enum UnitState {
    Enabled,
    /// `disabled`, or `masked` (listed in systemctl(1) as a state is-enabled prints).
    Disabled,
    /// The unit is not installed.
    NotFound,
    /// Anything else; the text says what.
    Other(String),
}

impl UnitState {
    fn words(&self) -> String {
        match self {
            UnitState::Enabled => "enabled".into(),
            UnitState::Disabled => "disabled".into(),
            UnitState::NotFound => "not installed".into(),
            UnitState::Other(why) => why.clone(),
        }
    }
}

/// Parses `systemctl is-enabled UNIT`: one word on stdout (`enabled` exits 0, `disabled` exits 1);
/// a unit that is not installed exits 1 with, on stderr:
///
/// ```text
/// Failed to get unit file state for dnf5-automatic.timer: No such file or directory
/// ```
pub fn parse_is_enabled(out: &CommandOutput) -> UnitState {
    match out.outcome() {
        RunOutcome::Missing => return UnitState::Other("`systemctl` is not available".into()),
        RunOutcome::TimedOut => return UnitState::Other("`systemctl` timed out".into()),
        RunOutcome::Failed(e) => return UnitState::Other(e.to_string()),
        RunOutcome::Exited { .. } => {}
    }
    match out.stdout.trim() {
        "enabled" => UnitState::Enabled,
        "disabled" | "masked" => UnitState::Disabled,
        "" if out.stderr.contains("No such file or directory") => UnitState::NotFound,
        "" => UnitState::Other(format!(
            "`systemctl` said `{}`",
            out.stderr.trim().lines().last().unwrap_or_default()
        )),
        other => UnitState::Other(format!("`systemctl` said `{other}`")),
    }
}

// ---- Fedora: dnf-automatic

/// The timers that run dnf-automatic: dnf5's own, dnf 4's (also shipped by dnf5 for
/// compatibility), and the one that installs whatever `apply_updates` says.
const DNF_TIMERS: [&str; 2] = ["dnf5-automatic.timer", "dnf-automatic.timer"];
const DNF_INSTALL_TIMER: &str = "dnf-automatic-install.timer";

/// dnf-automatic's settings, later files winning: dnf5's shipped defaults, then the host files
/// (the dnf5 man page says /etc/dnf/automatic.conf, the upstream file header says
/// /etc/dnf/dnf5-plugins/automatic.conf; dnf 4 uses /etc/dnf/automatic.conf).
const DNF_CONFIGS: [&str; 3] = [
    "/usr/share/dnf5/dnf5-plugins/automatic.conf",
    "/etc/dnf/dnf5-plugins/automatic.conf",
    "/etc/dnf/automatic.conf",
];

/// `apply_updates` in the `[commands]` section of an automatic.conf, when set:
///
/// ```text
/// [commands]
/// apply_updates = no
/// download_updates = yes
/// ```
pub fn parse_apply_updates(text: &str) -> Option<bool> {
    let mut section = String::new();
    let mut found = None;
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_string();
        } else if section == "commands"
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "apply_updates"
        {
            found = match value.trim().to_ascii_lowercase().as_str() {
                "yes" | "true" | "1" | "on" => Some(true),
                "no" | "false" | "0" | "off" => Some(false),
                _ => found,
            };
        }
    }
    found
}

fn fedora(system: &dyn System) -> Reading {
    let mut evidence = Vec::new();
    let mut state = |unit: &str| {
        let s = parse_is_enabled(&system.run("systemctl", &["is-enabled", unit]));
        evidence.push(format!("`systemctl is-enabled {unit}`: {}", s.words()));
        s
    };
    let mut timers: Vec<(&str, UnitState)> = Vec::new();
    for unit in DNF_TIMERS {
        let s = state(unit);
        let enabled = s == UnitState::Enabled;
        timers.push((unit, s));
        if enabled {
            break;
        }
    }
    let periodic = timers.iter().find(|(_, s)| *s == UnitState::Enabled).map(|(u, _)| *u);
    let install_timer = if periodic.is_none() {
        Some(state(DNF_INSTALL_TIMER))
    } else {
        None
    };
    let unread_timer = timers.iter().any(|(_, s)| matches!(s, UnitState::Other(_)))
        || matches!(install_timer, Some(UnitState::Other(_)));

    let mut apply = None;
    for path in DNF_CONFIGS {
        match system.read_file(path) {
            FileRead::Contents(text) => match parse_apply_updates(&text) {
                Some(value) => {
                    evidence.push(format!("{path}: apply_updates = {}", if value { "yes" } else { "no" }));
                    apply = Some(value);
                }
                None => evidence.push(format!("{path}: apply_updates is not set")),
            },
            FileRead::Missing => {}
            other => evidence.push(format!("{path} could not be read: {other:?}")),
        }
    }

    let automatic = if install_timer == Some(UnitState::Enabled) {
        Automatic::On
    } else if let Some(unit) = periodic {
        match apply {
            Some(true) => Automatic::On,
            _ => {
                if apply.is_none() {
                    evidence.push("apply_updates is set in no file: dnf-automatic's default is no".into());
                }
                Automatic::Manual(format!(
                    "dnf-automatic ({unit}) downloads updates but does not install them (apply_updates = no)."
                ))
            }
        }
    } else if unread_timer {
        Automatic::Unknown {
            reason: "settings-unreadable",
            summary:
                "Could not tell whether updates are automatic: systemd could not be asked about dnf-automatic's timers."
                    .into(),
        }
    } else {
        Automatic::Off("Automatic updates are not set up: no dnf-automatic timer is enabled.".into())
    };
    // dnf-automatic keeps no local record confide has a real sample of.
    Reading::new(automatic, LastRun::NotRead, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let status = |a, l| judge(&reading(a, l), today, 14.0).status;
        assert_eq!(status(Automatic::On, on(date(2026, 11, 20))), Status::Pass);
        assert_eq!(status(Automatic::On, on(date(2026, 11, 8))), Status::Pass);
        assert_eq!(status(Automatic::On, on(date(2026, 11, 7))), Status::Warn);
        assert_eq!(status(Automatic::On, LastRun::Never), Status::Warn);
        assert_eq!(status(Automatic::On, LastRun::NotRead), Status::Pass);
        assert_eq!(status(Automatic::Manual("m".into()), LastRun::NotRead), Status::Warn);
        assert_eq!(status(Automatic::Off("o".into()), on(today)), Status::Fail);
        let unknown = Automatic::Unknown {
            reason: "settings-unreadable",
            summary: "u".into(),
        };
        assert_eq!(status(unknown, on(today)), Status::Unknown);
    }

    #[test]
    fn apt_intervals() {
        for (value, on) in [
            ("1", Some(true)),
            ("0", Some(false)),
            ("", Some(false)),
            ("always", Some(true)),
            ("12h", Some(true)),
            ("0d", Some(false)),
            ("yes", None),
        ] {
            assert_eq!(apt_interval_on(value), on, "{value:?}");
        }
    }

    #[test]
    fn dnf_apply_updates_only_counts_in_the_commands_section() {
        assert_eq!(parse_apply_updates("[commands]\napply_updates = yes\n"), Some(true));
        assert_eq!(parse_apply_updates("[commands]\napply_updates = no\n"), Some(false));
        assert_eq!(parse_apply_updates("[base]\napply_updates = yes\n"), None);
        assert_eq!(parse_apply_updates("# apply_updates = yes\n"), None);
    }
}
