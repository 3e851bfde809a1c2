//! ## What it checks
//! That this operating-system release still gets security updates from its vendor, from an
//! offline table of end-of-support dates (`policies/data/os-support.toml`, dated, with sources).
//!
//! ## Why it matters
//! A system past its end of support gets no fixes for newly found holes. Cyber Essentials
//! requires software that is "licensed and supported".

use std::sync::LazyLock;

use jiff::civil::Date;
use serde::Deserialize;

use super::CheckContext;
use super::kit::{BuiltinCheck, ScanTime, Verdict};
use crate::dates::days_between;
use crate::probe::windows_reg::{self, RegValue};
use crate::system::{FileRead, RunOutcome, System};

pub struct OsSupport;

crate::limits! {
    /// What the policy may tune.
    pub struct Limits {
        /// Tool choice, stated in the policy: three months leaves time to plan an upgrade.
        warn_days: Days = 90, "warn when support ends within this many days";
    }
}

crate::reasons! {
    /// Why the verdict is what it is (`os-support.<code>`).
    pub enum Reason {
        Supported: Pass "supported" => "This release gets security updates, beyond the policy's warning period.",
        EndingSoon: Warn "ending-soon" => "Support for this release ends within the policy's number of days, or its vendor has said it will end soon without a date.",
        ExtendedOnly: Warn "extended-only" => "Standard support has ended; only paid or extended support remains for now.",
        Ended: Fail "ended" => "This release no longer gets security updates.",
        TableOld: Warn "table-old" => "The release looks supported, but confide's table of end-of-support dates is over a year old.",
        NotInTable: Unknown "not-in-table" => "confide's table has no end-of-support date for this release.",
        Unidentified: Unknown "unidentified" => "Which operating-system release this is could not be read.",
        NoTable: Unknown "no-table" => "confide's own table of end-of-support dates could not be read.",
    }
}

/// A table older than this is said to be old.
const TABLE_MAX_AGE_DAYS: i64 = 365;

/// Tool choice: past this many days after the table was made, a verdict that counts releases
/// says a newer release may be missing from it (Apple releases once a year, in the autumn).
const TABLE_HORIZON_DAYS: i64 = 180;

/// The end-of-support table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    #[serde(deserialize_with = "crate::dates::toml_date")]
    pub made: Date,
    pub releases: Vec<Release>,
}

/// One release's support dates.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    pub os: String,
    pub release: String,
    pub edition: Option<String>,
    #[serde(default, deserialize_with = "crate::dates::optional_toml_date")]
    pub end: Option<Date>,
    #[serde(default, deserialize_with = "crate::dates::optional_toml_date")]
    pub extended_end: Option<Date>,
    pub extended: Option<String>,
    pub expected: Option<String>,
    /// The day it came out, for rules that count the releases out by the scan's clock.
    #[serde(default, deserialize_with = "crate::dates::optional_toml_date")]
    pub released: Option<Date>,
    /// Supported while among the vendor's `newest` releases out (Apple announces no end dates).
    pub newest: Option<u32>,
    pub source: String,
}

static TABLE: LazyLock<Result<Table, String>> =
    LazyLock::new(|| toml::from_str(include_str!("../../policies/data/os-support.toml")).map_err(|e| e.to_string()));

/// Which release this is, as the table names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub os: String,
    pub release: String,
    pub edition: Option<String>,
    /// How people know it: `Windows 11 23H2 (Professional)`, `Ubuntu 24.04`.
    pub name: String,
    pub evidence: String,
}

impl BuiltinCheck for OsSupport {
    const ID: &'static str = "os-support";
    type Limits = Limits;
    type Reason = Reason;
    /// The release, or why it could not be told.
    type Reading = Result<Identity, String>;

    fn read(&self, ctx: &CheckContext<'_>) -> Result<Identity, String> {
        super::kit::per_os(ctx.system, macos, windows, linux)
    }

    fn judge(&self, identity: Result<Identity, String>, limits: &Limits, at: ScanTime) -> Verdict<Reason> {
        let table = match &*TABLE {
            Ok(t) => t,
            Err(e) => {
                return Verdict::new(
                    Reason::NoTable,
                    format!("confide's end-of-support table is broken: {e}"),
                );
            }
        };
        match identity {
            Err(why) => Verdict::new(
                Reason::Unidentified,
                format!("Could not tell which release this is: {why}"),
            ),
            Ok(id) => judge(&id, table, at.today, limits),
        }
    }
}

/// The verdict for an identified release, `today`.
pub fn judge(id: &Identity, table: &Table, today: Date, limits: &Limits) -> Verdict<Reason> {
    let entry = table
        .releases
        .iter()
        .find(|r| r.os == id.os && r.release == id.release && r.edition == id.edition);
    let mut evidence = vec![id.evidence.clone()];
    let Some(entry) = entry else {
        return Verdict::new(
            Reason::NotInTable,
            format!(
                "confide has no end-of-support date for {}: check your vendor's website.",
                id.name
            ),
        )
        .with_evidence(evidence);
    };
    evidence.push(format!(
        "end of support: {} (source: {})",
        entry.end.map_or("not announced".to_string(), |d| d.to_string()),
        entry.source
    ));
    let mut verdict = match newest_rule(id, entry, table, today) {
        Some((verdict, counted)) => {
            evidence.push(counted);
            verdict
        }
        None => release_verdict(id, entry, today, limits),
    };
    if days_between(table.made, today) > TABLE_MAX_AGE_DAYS {
        evidence.push(format!(
            "confide's table of dates was made on {}, over a year ago: update confide",
            table.made
        ));
        if verdict.reason == Reason::Supported {
            verdict = Verdict::new(
                Reason::TableOld,
                format!(
                    "{} (confide's dates are over a year old: update confide to be sure.)",
                    verdict.summary
                ),
            );
        }
    }
    verdict.with_evidence(evidence)
}

/// For a release supported while among the vendor's `newest` releases: counts the newer
/// releases out by `today` (never those the table lists but the scan's clock has not reached),
/// and says when the clock is past what the table can know. `None` when the rule does not apply
/// or the release has an announced end. Also returns an evidence line saying what was counted.
fn newest_rule(id: &Identity, entry: &Release, table: &Table, today: Date) -> Option<(Verdict<Reason>, String)> {
    let (n, released) = (entry.newest?, entry.released?);
    if entry.end.is_some() {
        return None;
    }
    let newer: Vec<String> = table
        .releases
        .iter()
        .filter(|r| r.os == entry.os && r.released.is_some_and(|d| d > released && d <= today))
        .map(|r| format!("{} ({})", r.release, r.released.map(|d| d.to_string()).unwrap_or_default()))
        .collect();
    let out_newer = newer.len();
    let position = out_newer + 1;
    let name = &id.name;
    let n_usize = usize::try_from(n).unwrap_or(usize::MAX);
    let mut verdict = if position < n_usize {
        Verdict::new(
            Reason::Supported,
            format!("{name} gets security updates: it is one of the {n} newest releases, which its vendor updates."),
        )
    } else if position == n_usize {
        Verdict::new(
            Reason::EndingSoon,
            format!(
                "{name} may soon stop getting security updates: its vendor announces no end dates and usually updates only the {n} newest releases, and {name} is the oldest of them. Plan an upgrade for when the next release comes out."
            ),
        )
    } else {
        Verdict::new(
            Reason::Ended,
            format!(
                "{name} has probably stopped getting security updates: its vendor usually updates only the {n} newest releases, and {out_newer} newer ones are out. Upgrade it."
            ),
        )
    };
    let past_horizon = days_between(table.made, today) > TABLE_HORIZON_DAYS;
    if past_horizon && verdict.reason != Reason::Ended {
        verdict.summary = format!(
            "{} (confide's list of releases was made on {}; a newer release may have come out since: update confide to be sure.)",
            verdict.summary, table.made
        );
    }
    let counted = if newer.is_empty() {
        format!("no newer release was out on {today} (releases out by the scan's date count)")
    } else {
        format!(
            "newer releases out on {today}: {} (releases out by the scan's date count)",
            newer.join(", ")
        )
    };
    Some((verdict, counted))
}

/// The verdict from the release's own dates, before the table's age is considered.
fn release_verdict(id: &Identity, entry: &Release, today: Date, limits: &Limits) -> Verdict<Reason> {
    match (entry.end, &entry.expected) {
        (None, Some(expected)) => Verdict::new(
            Reason::EndingSoon,
            format!("{} may soon stop getting security updates: {expected}", id.name),
        ),
        (None, None) => Verdict::new(
            Reason::Supported,
            format!("{} gets security updates; no end date has been announced.", id.name),
        ),
        (Some(end), _) if today > end => match (entry.extended_end, &entry.extended) {
            (Some(ext_end), Some(ext)) if today <= ext_end => Verdict::new(
                Reason::ExtendedOnly,
                format!(
                    "Standard support for {} ended on {end}; only {ext} remains, until {ext_end}. Plan an upgrade.",
                    id.name
                ),
            ),
            _ => Verdict::new(
                Reason::Ended,
                format!("{} stopped getting security updates on {end}: upgrade it.", id.name),
            ),
        },
        (Some(end), _) => {
            let left = days_between(today, end);
            if left <= i64::from(limits.warn_days.get()) {
                Verdict::new(
                    Reason::EndingSoon,
                    format!(
                        "Support for {} ends on {end}, in {left} days: plan an upgrade.",
                        id.name
                    ),
                )
            } else {
                Verdict::new(
                    Reason::Supported,
                    format!("{} gets security updates until {end}.", id.name),
                )
            }
        }
    }
}

// ---------------------------------------------------------------- Windows

const CURRENT_VERSION_KEY: &str = "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";

/// Windows from `reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion" /t REG_SZ`, which
/// lists every text value, among them:
///
/// ```text
///     CurrentBuild    REG_SZ    22631
///     DisplayVersion    REG_SZ    23H2
///     EditionID    REG_SZ    Professional
///     ProductName    REG_SZ    Windows 10 Pro
/// ```
///
/// ProductName still says "Windows 10" on Windows 11, so the build decides: 22000 and later is 11.
fn windows(system: &dyn System) -> Result<Identity, String> {
    let out = system.run("reg", &["query", CURRENT_VERSION_KEY, "/t", "REG_SZ"]);
    let value = |name: &str| match windows_reg::parse(&out, name) {
        RegValue::Sz(v) => Ok(v.trim().to_string()),
        RegValue::NotSet => Err("the Windows version could not be read from the registry".to_string()),
        other => Err(format!("{name}: {other:?}")),
    };
    let build: u32 = value("CurrentBuild")?
        .parse()
        .map_err(|_| "CurrentBuild is not a number".to_string())?;
    let display = value("DisplayVersion")?;
    let edition_id = value("EditionID")?;
    let major = if build >= 22000 { "11" } else { "10" };
    // LTSC (EnterpriseS) and IoT editions have their own, longer lifecycles: not in the table.
    let edition = match edition_id.as_str() {
        "Enterprise" | "Education" | "EnterpriseN" | "EducationN" => "enterprise",
        e if e.starts_with("EnterpriseS") || e.starts_with("IoT") => "ltsc",
        _ => "home-pro",
    };
    Ok(Identity {
        os: "windows".into(),
        release: format!("{major} {display}"),
        edition: Some(edition.into()),
        name: format!("Windows {major} {display} ({edition_id})"),
        evidence: format!("registry: CurrentBuild {build}, DisplayVersion {display}, EditionID {edition_id}"),
    })
}

// ---------------------------------------------------------------- macOS

/// macOS from `sw_vers`, split on the first colon (the gap after it is one or two tabs,
/// depending on the release; shown here as spaces):
///
/// ```text
/// ProductName:    macOS
/// ProductVersion: 15.7.4
/// BuildVersion:   24G517
/// ```
pub fn parse_sw_vers(stdout: &str) -> Option<String> {
    stdout.lines().find_map(|l| {
        let (key, value) = l.split_once(':')?;
        (key.trim() == "ProductVersion").then(|| value.trim().to_string())
    })
}

fn macos(system: &dyn System) -> Result<Identity, String> {
    let out = system.run("sw_vers", &[]);
    if out.outcome() != (RunOutcome::Exited { status: Some(0) }) {
        return Err("`sw_vers` did not answer".into());
    }
    let version = parse_sw_vers(&out.stdout).ok_or("`sw_vers` printed no ProductVersion")?;
    let mut parts = version.split('.');
    let major = match (parts.next(), parts.next()) {
        (Some("10"), Some(minor)) => format!("10.{minor}"),
        (Some(major), _) => major.to_string(),
        _ => return Err(format!("unexpected version `{version}`")),
    };
    Ok(Identity {
        os: "macos".into(),
        release: major.clone(),
        edition: None,
        name: format!("macOS {major}"),
        evidence: format!("`sw_vers`: ProductVersion {version}"),
    })
}

// ---------------------------------------------------------------- Linux

/// One `KEY=value` of `/etc/os-release`, unquoted.
pub fn os_release_field(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let value = l.trim().strip_prefix(key)?.strip_prefix('=')?;
        Some(value.trim().trim_matches('"').trim_matches('\'').to_string())
    })
}

fn linux(system: &dyn System) -> Result<Identity, String> {
    let text = match system.read_file("/etc/os-release") {
        FileRead::Contents(t) => t,
        _ => match system.read_file("/usr/lib/os-release") {
            FileRead::Contents(t) => t,
            _ => return Err("/etc/os-release could not be read".into()),
        },
    };
    let id = os_release_field(&text, "ID").ok_or("/etc/os-release has no ID")?;
    let version = os_release_field(&text, "VERSION_ID")
        .ok_or("/etc/os-release has no VERSION_ID (a rolling release has no end date)")?;
    let pretty = os_release_field(&text, "PRETTY_NAME").unwrap_or_else(|| format!("{id} {version}"));
    let release = match id.as_str() {
        // Mint's point releases share their base's dates.
        "linuxmint" => version.split('.').next().unwrap_or(&version).to_string(),
        _ => version.clone(),
    };
    Ok(Identity {
        os: id.clone(),
        release,
        edition: None,
        name: pretty,
        evidence: format!("/etc/os-release: ID={id}, VERSION_ID={version}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::kit::Days;
    use crate::status::Status;
    use jiff::civil::date;

    fn days(n: u32) -> Limits {
        Limits { warn_days: Days(n) }
    }

    fn table() -> &'static Table {
        TABLE.as_ref().expect("policies/data/os-support.toml parses")
    }

    fn id(os: &str, release: &str, edition: Option<&str>) -> Identity {
        Identity {
            os: os.into(),
            release: release.into(),
            edition: edition.map(Into::into),
            name: format!("{os} {release}"),
            evidence: "seen".into(),
        }
    }

    #[test]
    fn the_table_is_complete_and_sourced() {
        let t = table();
        assert!(t.releases.len() > 25);
        assert!(t.releases.iter().all(|r| r.source.len() > 10));
        for os in ["windows", "macos", "ubuntu", "debian", "fedora", "linuxmint"] {
            assert!(t.releases.iter().any(|r| r.os == os), "{os} missing");
        }
    }

    #[test]
    fn at_before_and_after_the_end() {
        let t = table();
        let ubuntu = id("ubuntu", "22.04", None); // ends 2027-04-01, ESM to 2032-04-09
        let cases = [
            (date(2026, 11, 22), Status::Pass, "os-support.supported"),
            (date(2027, 1, 1), Status::Warn, "os-support.ending-soon"),
            (date(2027, 4, 1), Status::Warn, "os-support.ending-soon"),
            (date(2027, 4, 2), Status::Warn, "os-support.extended-only"),
            (date(2032, 4, 10), Status::Fail, "os-support.ended"),
        ];
        for (today, status, reason) in cases {
            let mut table_now = Table {
                made: today,
                releases: t.releases.clone(),
            };
            table_now.made = today;
            let o = judge(&ubuntu, &table_now, today, &days(90)).into_outcome("os-support");
            assert_eq!(
                (o.status, o.reason.as_str()),
                (status, reason),
                "{today}: {}",
                o.summary
            );
        }
    }

    #[test]
    fn editions_unknown_releases_and_old_tables() {
        let t = table();
        let today = date(2026, 11, 22);
        assert_eq!(
            judge(&id("windows", "11 23H2", Some("home-pro")), t, today, &days(90)).status(),
            Status::Fail
        );
        // Enterprise 23H2 ended on 2026-11-10; 25H2 Home/Pro runs to 2027-10-12.
        assert_eq!(
            judge(&id("windows", "11 23H2", Some("enterprise")), t, today, &days(90))
                .into_outcome("os-support")
                .reason,
            "os-support.ended"
        );
        assert_eq!(
            judge(&id("windows", "11 25H2", Some("home-pro")), t, today, &days(90)).status(),
            Status::Pass
        );
        assert_eq!(
            judge(&id("windows", "11 24H2", Some("ltsc")), t, today, &days(90)).status(),
            Status::Unknown
        );
        assert_eq!(
            judge(&id("macos", "14", None), t, today, &days(90))
                .into_outcome("os-support")
                .reason,
            "os-support.ending-soon"
        );
        assert_eq!(
            judge(&id("macos", "26", None), t, today, &days(90)).status(),
            Status::Pass
        );
        assert_eq!(
            judge(&id("arch", "rolling", None), t, today, &days(90)).status(),
            Status::Unknown
        );
        let later = date(2028, 1, 1);
        let o = judge(&id("ubuntu", "24.04", None), t, later, &days(90)).into_outcome("os-support");
        assert_eq!(
            (o.status, o.reason.as_str()),
            (Status::Warn, "os-support.table-old"),
            "{}",
            o.summary
        );
    }

    #[test]
    fn the_newest_releases_are_counted_as_of_the_scan_s_clock() {
        let t = table();
        let verdict = |release: &str, today| judge(&id("macos", release, None), t, today, &days(90));
        // November 2026: 26, 15 and 14 are the three newest; 14 is the oldest of them.
        assert_eq!(verdict("14", date(2026, 11, 22)).reason, Reason::EndingSoon);
        assert_eq!(verdict("15", date(2026, 11, 22)).reason, Reason::Supported);
        // April 2024: macOS 14 was the newest release; 15 and 26 were not out yet.
        let then = verdict("14", date(2024, 4, 15));
        assert_eq!(then.reason, Reason::Supported, "{}", then.summary);
        assert!(then.evidence.iter().any(|e| e.contains("no newer release was out on 2024-04-15")));
        // October 2025: 15 and 26 are out after 14.
        let oct = verdict("14", date(2025, 10, 1));
        assert_eq!(oct.reason, Reason::EndingSoon);
        assert!(oct.evidence.iter().any(|e| e.contains("15 (2024-09-16), 26 (2025-09-15)")));
        // Past the table's horizon the verdict says the table may be out of date.
        let late = verdict("15", date(2027, 10, 1));
        assert!(late.summary.contains("may have come out since"), "{}", late.summary);
        let within = verdict("15", date(2027, 1, 1));
        assert!(!within.summary.contains("may have come out since"), "{}", within.summary);
        // A newest-rule row with more newer releases than the rule allows has ended.
        let mut rows = t.releases.clone();
        rows.push(Release {
            os: "macos".into(),
            release: "27".into(),
            edition: None,
            end: None,
            extended_end: None,
            extended: None,
            expected: None,
            released: Some(date(2026, 9, 15)),
            newest: Some(3),
            source: "test".into(),
        });
        let future = Table {
            made: date(2026, 11, 22),
            releases: rows,
        };
        let o = judge(&id("macos", "14", None), &future, date(2026, 11, 22), &days(90));
        assert_eq!(o.reason, Reason::Ended, "{}", o.summary);
        assert_eq!(
            judge(&id("macos", "14", None), &future, date(2026, 9, 1), &days(90)).reason,
            Reason::EndingSoon
        );
    }

    #[test]
    fn version_parsers() {
        assert_eq!(
            parse_sw_vers("ProductName:\tmacOS\nProductVersion:\t12.7.6\nBuildVersion:\t21H1320\n").as_deref(),
            Some("12.7.6")
        );
        assert_eq!(
            os_release_field("NAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\n", "VERSION_ID").as_deref(),
            Some("24.04")
        );
        assert_eq!(
            os_release_field("ID=fedora\nVERSION_ID=41\n", "ID").as_deref(),
            Some("fedora")
        );
        assert_eq!(os_release_field("ID_LIKE=debian\n", "ID"), None);
    }
}
