//! The one report model every renderer reads.
//!
//! Its JSON form is a contract (`confide scan --format json`, schema `confide-report/1`):
//! scripts, supervisors and scheduled runs rely on it, so a field may be added but none may
//! change its meaning or its value.

use std::collections::BTreeMap;

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::checks::Basis;
use crate::policy::{Citation, QuoteMarks, Severity};
use crate::status::Status;
use crate::system::OsFamily;

pub const REPORT_SCHEMA: &str = "confide-report/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// Always `confide-report/1`.
    pub schema: String,
    pub tool: Tool,
    pub generated_at: Timestamp,
    /// Who the report is about and who it is for, from the profile; absent when the profile
    /// names no one or the report was redacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practitioner: Option<Practitioner>,
    pub policy: PolicyRef,
    pub host: Host,
    /// The worst finding, with `unknown` counted as `warn`.
    pub overall: Status,
    /// How many findings are in each state (every state is present).
    pub counts: BTreeMap<Status, usize>,
    /// Worst first.
    pub findings: Vec<Finding>,
    /// Parts of the policy that no check assesses yet: the practitioner must see to them.
    pub not_assessed: Vec<NotAssessed>,
    /// What changed since the previous run of the same policy on this computer; absent when
    /// there was none (the first scan, a replayed snapshot, `--no-history`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<crate::history::Changes>,
    /// Present only when the report was made from a recorded snapshot (`confide scan --replay`)
    /// rather than from the computer it ran on, so no reader mistakes it for a live scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<Replay>,
    /// Present only when the scan ran without the practitioner's profile (no profile file, or
    /// no home folder to find it in), so the checks that need their answers could not pass:
    /// every rendering says so at the top, as no one may have seen the scan's own warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_profile: Option<super::NoProfile>,
}

/// Where a replayed report's answers came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Replay {
    /// The snapshot's file name (without its folder); omitted with `--redact`, as a file name
    /// often holds a person's or a computer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<String>,
    /// When the snapshot was recorded: the clock every date in the report is judged by.
    pub collected_at: Timestamp,
}

impl Replay {
    /// One line for the top of a report: not this computer, not now.
    pub fn notice(&self) -> String {
        let from = match &self.snapshot {
            Some(name) => format!("snapshot {name}"),
            None => "a snapshot".to_string(),
        };
        format!(
            "REPLAY: made from {from}, recorded {} UTC; not a scan of this computer now.",
            self.collected_at.strftime("%Y-%m-%d %H:%M")
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// The practitioner's own words about themselves, as `confide init` stored them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Practitioner {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Professional body and membership number, e.g. `BACP 012345`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisor: Option<String>,
}

impl Practitioner {
    /// What the report carries of the profile's practitioner: nothing under `--redact` (names
    /// are removed everywhere), and nothing when the profile names no one.
    pub fn for_report(profile: &crate::profile::Practitioner, redact: bool) -> Option<Practitioner> {
        let p = Practitioner {
            name: profile.name.clone(),
            membership: profile.membership.clone(),
            supervisor: profile.supervisor.clone(),
        };
        (!redact && p != Practitioner::default()).then_some(p)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PolicyRef {
    pub id: String,
    pub title: String,
    pub version: String,
    /// SHA-256 of the policy file.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Host {
    /// `linux`, `macos` or `windows`.
    pub os: OsFamily,
    /// Name and release, e.g. `Ubuntu 24.04`.
    pub os_version: String,
    /// Omitted when redacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// The check's kebab-case id.
    pub check: String,
    /// The verdict after the policy's severity: a failing check under a `recommended` clause warns.
    pub status: Status,
    /// What the check itself found, before the policy's severity was applied.
    pub check_status: Status,
    /// A stable id of why (`voice-assistants.listening`).
    pub reason: String,
    pub title: String,
    pub summary: String,
    /// What was observed.
    pub evidence: Vec<String>,
    /// How to fix it on this computer's OS, as numbered steps (empty when it passed).
    pub remediation: String,
    /// The steps behind `remediation`, one by one, so a renderer can lay out its own list
    /// instead of re-parsing numbered text. Empty when nothing needs fixing or no steps exist
    /// for this OS (then `remediation` says so). A list, so that renderers lay the steps out
    /// themselves; `remediation` keeps the same steps as one numbered text for the contract.
    #[serde(default)]
    pub fix_steps: Vec<String>,
    /// The guidance clauses this finding evidences.
    pub guidance: Vec<GuidanceRef>,
    /// `required` or `recommended`, from the strictest clause; absent for checks no clause cites.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// `computer` (checked on this computer) or `you` (confirmed by the practitioner).
    pub basis: Basis,
    /// For what the practitioner confirmed: when (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_on: Option<jiff::civil::Date>,
    pub duration_ms: u64,
}

#[cfg(test)]
impl Report {
    /// A report of these findings and nothing else of note, for unit tests.
    pub(crate) fn bare(findings: Vec<Finding>) -> Report {
        Report {
            schema: REPORT_SCHEMA.to_string(),
            tool: Tool {
                name: "confide".into(),
                version: "0".into(),
            },
            generated_at: jiff::Timestamp::UNIX_EPOCH,
            practitioner: None,
            policy: PolicyRef {
                id: "p".into(),
                title: "P".into(),
                version: "1".into(),
                sha256: String::new(),
            },
            host: Host {
                os: OsFamily::Linux,
                os_version: "Debian 12".into(),
                hostname: None,
            },
            overall: Status::overall(findings.iter().map(|f| f.status)),
            counts: Report::count(&findings),
            findings,
            not_assessed: Vec::new(),
            changes: None,
            replay: None,
            no_profile: None,
        }
    }
}

#[cfg(test)]
impl Finding {
    /// A finding with only what the renderers' words depend on set: its status, how it is
    /// known, and the strictest clause's severity.
    pub(crate) fn bare(
        status: Status,
        basis: crate::checks::Basis,
        severity: Option<crate::policy::Severity>,
    ) -> Finding {
        Finding {
            check: "c".into(),
            status,
            check_status: status,
            reason: "c.r".into(),
            title: "t".into(),
            summary: "s".into(),
            evidence: Vec::new(),
            remediation: String::new(),
            fix_steps: Vec::new(),
            guidance: Vec::new(),
            severity,
            basis,
            confirmed_on: None,
            duration_ms: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GuidanceRef {
    pub policy: String,
    pub clause: String,
    /// Verbatim from the document.
    pub quote: String,
    /// Where a reader can look the clause up: the document's URL, or its title.
    pub source: String,
    /// The document quoted: title, author, year and URL.
    pub citation: Citation,
    /// A slip of the source reproduced (`sic`) or where the quote was cut (`cut`).
    #[serde(flatten)]
    pub marks: QuoteMarks,
    /// `required` or `recommended`.
    pub severity: Severity,
}

/// A clause, or the part of one, that no check covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NotAssessed {
    pub clause: String,
    /// Verbatim from the document.
    pub quote: String,
    /// Where a reader can look the clause up: the document's URL, or its title.
    pub source: String,
    /// The document quoted: title, author, year and URL.
    pub citation: Citation,
    #[serde(flatten)]
    pub marks: QuoteMarks,
    pub severity: Severity,
    /// For a clause partly covered by checks: the part that is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
}

impl Finding {
    /// The contract's `remediation` text for these steps (`1. …`, one line each), kept in one
    /// place so the JSON and [`Finding::fix_steps`] never disagree.
    pub fn numbered(steps: &[String]) -> String {
        steps
            .iter()
            .enumerate()
            .map(|(n, s)| format!("{}. {s}", n + 1))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Report {
    /// Counts every state, zeros included, so consumers need not guess at missing keys.
    pub fn count(findings: &[Finding]) -> BTreeMap<Status, usize> {
        let mut counts: BTreeMap<Status, usize> = Status::WORST_FIRST.iter().map(|s| (*s, 0)).collect();
        for f in findings {
            *counts.entry(f.status).or_default() += 1;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remediation_numbers_the_steps_one_per_line() {
        let steps = ["Open Settings.".to_string(), "Turn it on.".to_string()];
        assert_eq!(Finding::numbered(&steps), "1. Open Settings.\n2. Turn it on.");
        assert_eq!(Finding::numbered(&[]), "");
    }
}
