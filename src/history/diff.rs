//! What changed since the previous run of the same policy on this computer: checks that got
//! worse, got better, or still need attention (and since when).

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::store::HistoryEntry;
use crate::report::Report;
use crate::status::Status;

/// The changes since the previous run (the report's optional `changes` field).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Changes {
    /// When the run compared against was made.
    pub since: Timestamp,
    /// Checks that got worse (pass → warn or fail, warn → fail) or fail for a new reason.
    pub worse: Vec<Change>,
    /// Checks that got better.
    pub better: Vec<Change>,
    /// Checks that failed or warned last time and still do, for the same reason.
    pub still_failing: Vec<Persisting>,
}

/// One check whose result changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    pub check: String,
    pub title: String,
    /// Its status in the previous run.
    pub from: Status,
    /// Its status now.
    pub to: Status,
    /// Its reason code in the previous run.
    pub from_reason: String,
    /// Its reason code now.
    pub reason: String,
}

/// One check that still fails or warns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Persisting {
    pub check: String,
    pub title: String,
    pub status: Status,
    pub reason: String,
    /// The first run, of an unbroken series up to now, in which it had this status and reason.
    pub since: Timestamp,
}

impl Changes {
    /// True when nothing got worse or better and nothing is still failing.
    pub fn is_empty(&self) -> bool {
        self.worse.is_empty() && self.better.is_empty() && self.still_failing.is_empty()
    }

    /// Compares `report` with the earlier runs in `history` (oldest first) of the same policy;
    /// `None` when there is no earlier run of it. A check skipped or absent on either side
    /// (`--only`, `--offline`) is not a change.
    pub fn since_last(report: &Report, history: &[HistoryEntry]) -> Option<Changes> {
        let runs: Vec<&HistoryEntry> = history
            .iter()
            .filter(|e| e.policy.id == report.policy.id && e.time <= report.generated_at)
            .collect();
        let previous = *runs.last()?;
        let mut changes = Changes {
            since: previous.time,
            worse: Vec::new(),
            better: Vec::new(),
            still_failing: Vec::new(),
        };
        for f in &report.findings {
            let Some(before) = previous.checks.get(&f.check) else {
                continue;
            };
            if f.status == Status::Skipped || before.status == Status::Skipped {
                continue;
            }
            let change = || Change {
                check: f.check.clone(),
                title: f.title.clone(),
                from: before.status,
                to: f.status,
                from_reason: before.reason.clone(),
                reason: f.reason.clone(),
            };
            let (was, now) = (before.status.rank(), f.status.rank());
            if now > was {
                changes.worse.push(change());
            } else if now < was {
                changes.better.push(change());
            } else if f.status == Status::Pass {
                continue;
            } else if before.reason != f.reason {
                // Still failing, but for a new reason: something else has gone wrong.
                changes.worse.push(change());
            } else {
                let since = runs
                    .iter()
                    .rev()
                    .take_while(|e| {
                        e.checks
                            .get(&f.check)
                            .is_some_and(|c| c.status == f.status && c.reason == f.reason)
                    })
                    .last()
                    .map_or(previous.time, |e| e.time);
                changes.still_failing.push(Persisting {
                    check: f.check.clone(),
                    title: f.title.clone(),
                    status: f.status,
                    reason: f.reason.clone(),
                    since,
                });
            }
        }
        Some(changes)
    }
}

/// "3 weeks", "5 days", "less than a day": how long something has lasted, in words a
/// practitioner reads at a glance.
pub fn how_long(from: Timestamp, to: Timestamp) -> String {
    let days = to.duration_since(from).as_secs().max(0) / 86_400;
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match days {
        0 => "less than a day".to_string(),
        1..=13 => plural(days, "day"),
        14..=89 => plural(days / 7, "week"),
        _ => plural(days / 30, "month"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::history::store::{CheckState, PolicyStamp};

    fn run(time: &str, checks: &[(&str, Status, &str)]) -> HistoryEntry {
        HistoryEntry {
            time: time.parse().unwrap(),
            version: "0".into(),
            policy: PolicyStamp {
                id: "bacp".into(),
                sha256: String::new(),
            },
            overall: Status::overall(checks.iter().map(|c| c.1)),
            scheduled: false,
            notify_failed: None,
            checks: checks
                .iter()
                .map(|(id, status, reason)| {
                    (
                        id.to_string(),
                        CheckState {
                            status: *status,
                            reason: reason.to_string(),
                        },
                    )
                })
                .collect::<BTreeMap<_, _>>(),
        }
    }

    fn report(time: &str, checks: &[(&str, Status, &str)]) -> Report {
        let json = serde_json::json!({
            "schema": "confide-report/1",
            "tool": {"name": "confide", "version": "0"},
            "generated_at": time,
            "policy": {"id": "bacp", "title": "BACP", "version": "1", "sha256": ""},
            "host": {"os": "linux", "os_version": "Debian 13"},
            "overall": "pass",
            "counts": {},
            "findings": checks.iter().map(|(id, status, reason)| serde_json::json!({
                "check": id, "status": status, "check_status": status, "reason": reason,
                "title": id.to_uppercase(), "summary": "", "evidence": [], "remediation": "",
                "guidance": [], "basis": "computer", "duration_ms": 0
            })).collect::<Vec<_>>(),
            "not_assessed": [],
        });
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn worse_better_and_still_failing_with_since_when() {
        let history = [
            run(
                "2026-11-01T10:00:00Z",
                &[("fw", Status::Fail, "fw.off"), ("av", Status::Pass, "av.on")],
            ),
            run(
                "2026-11-08T10:00:00Z",
                &[
                    ("fw", Status::Fail, "fw.off"),
                    ("av", Status::Pass, "av.on"),
                    ("disk", Status::Fail, "disk.off"),
                ],
            ),
            run(
                "2026-11-15T10:00:00Z",
                &[
                    ("fw", Status::Fail, "fw.off"),
                    ("av", Status::Pass, "av.on"),
                    ("disk", Status::Fail, "disk.off"),
                    ("up", Status::Warn, "up.long"),
                ],
            ),
        ];
        let now = report(
            "2026-11-22T10:00:00Z",
            &[
                ("fw", Status::Fail, "fw.off"),
                ("av", Status::Warn, "av.old"),
                ("disk", Status::Pass, "disk.on"),
                ("up", Status::Warn, "up.longer"),
            ],
        );
        let c = Changes::since_last(&now, &history).unwrap();
        assert_eq!(c.since, "2026-11-15T10:00:00Z".parse().unwrap());
        let ids = |v: &[Change]| v.iter().map(|c| c.check.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&c.worse), ["av", "up"]);
        assert_eq!(ids(&c.better), ["disk"]);
        assert_eq!(c.still_failing.len(), 1);
        assert_eq!(c.still_failing[0].since, "2026-11-01T10:00:00Z".parse().unwrap());
        assert_eq!(how_long(c.still_failing[0].since, now.generated_at), "3 weeks");
    }

    #[test]
    fn no_earlier_run_of_this_policy_means_no_changes() {
        let mut other = run("2026-11-01T10:00:00Z", &[("fw", Status::Pass, "fw.on")]);
        other.policy.id = "other".into();
        assert!(Changes::since_last(&report("2026-11-22T10:00:00Z", &[]), &[other]).is_none());
    }

    #[test]
    fn skipped_on_either_side_is_not_a_change() {
        let history = [run(
            "2026-11-01T10:00:00Z",
            &[("fw", Status::Skipped, "runner.turned-off")],
        )];
        let c = Changes::since_last(
            &report("2026-11-22T10:00:00Z", &[("fw", Status::Fail, "fw.off")]),
            &history,
        )
        .unwrap();
        assert!(c.is_empty());
    }
}
