//! Runs the checks a policy asks for, in parallel, each bounded in time, and builds the report.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::catalog::Catalog;
use crate::checks::kit::{RunnerReason, Verdict};
use crate::checks::{Check, CheckContext, Outcome};
use crate::policy::{Policy, Severity};
use crate::profile::Profile;
use crate::report::{Finding, GuidanceRef, Host, NotAssessed, PolicyRef, REPORT_SCHEMA, Report, Tool};
use crate::status::Status;
use crate::system::{System, human_seconds};

/// What the user asked of this scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub offline: bool,
    /// Run only these checks (any known check, in the policy or not).
    pub only: Vec<String>,
    /// Report these as skipped.
    pub skip: Vec<String>,
    /// How long one check may take. All checks start together, so this also bounds the scan.
    pub check_timeout: Duration,
    /// Leave the hostname out of the report.
    pub redact: bool,
    /// The practitioner's facts and confirmations.
    pub profile: Arc<Profile>,
    /// The user's own copy of the ICO register (`--ico-register`).
    pub ico_register: Option<PathBuf>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            offline: false,
            only: Vec::new(),
            skip: Vec::new(),
            check_timeout: Duration::from_secs(30),
            redact: false,
            profile: Arc::new(Profile::default()),
            ico_register: None,
        }
    }
}

/// A check id on the command line that no check has.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("unknown check id `{id}` in {flag}; known checks: {known}")]
pub struct UnknownCheck {
    pub id: String,
    pub flag: &'static str,
    pub known: String,
}

/// Which checks run: those the policy maps, then the user's own declarative checks it does not
/// mention; or exactly `--only`.
fn plan(catalog: &Catalog, policy: &Policy, opts: &ScanOptions) -> Result<Vec<Arc<dyn Check>>, UnknownCheck> {
    let known = || catalog.ids().join(", ");
    for (flag, ids) in [("--only", &opts.only), ("--skip", &opts.skip)] {
        if let Some(id) = ids.iter().find(|id| catalog.check(id).is_none()) {
            return Err(UnknownCheck {
                id: id.clone(),
                flag,
                known: known(),
            });
        }
    }
    let ids: Vec<String> = if opts.only.is_empty() {
        let mut ids: Vec<String> = policy.check_ids().into_iter().map(str::to_string).collect();
        for c in catalog.checks() {
            if catalog.is_user_added(c.id()) && !ids.iter().any(|id| id == c.id()) {
                ids.push(c.id().to_string());
            }
        }
        ids
    } else {
        opts.only.clone()
    };
    Ok(ids.iter().filter_map(|id| catalog.check(id).cloned()).collect())
}

/// Runs a scan. `progress` is told how many checks have finished, out of how many.
pub fn scan(
    system: Arc<dyn System>,
    catalog: &Catalog,
    policy: &Policy,
    opts: &ScanOptions,
    progress: &dyn Fn(usize, usize),
) -> Result<Report, UnknownCheck> {
    let checks = plan(catalog, policy, opts)?;
    let os = system.os().family;
    let started = Instant::now();
    let (tx, rx) = mpsc::channel::<(usize, Outcome, Duration)>();
    let mut results: Vec<Option<(Outcome, Duration)>> = vec![None; checks.len()];
    let mut running = 0;

    for (i, check) in checks.iter().enumerate() {
        let preset = if opts.skip.iter().any(|s| s == check.id()) {
            Some(runner_outcome(
                check.id(),
                RunnerReason::TurnedOff,
                "Turned off with --skip.",
            ))
        } else if !check.supported_os().contains(&os) {
            Some(runner_outcome(
                check.id(),
                RunnerReason::NotApplicable,
                &format!("Does not apply to {os}."),
            ))
        } else {
            None
        };
        if let Some(outcome) = preset {
            results[i] = Some((outcome, Duration::ZERO));
            continue;
        }
        running += 1;
        let (tx, check, system) = (tx.clone(), Arc::clone(check), Arc::clone(&system));
        let thresholds = policy.thresholds_for(check.id());
        let offline = opts.offline;
        let (profile, ico_register) = (Arc::clone(&opts.profile), opts.ico_register.clone());
        // A check that hangs beyond its bound is abandoned, not joined: its thread ends with the
        // process, and the scan goes on.
        thread::spawn(move || {
            let t0 = Instant::now();
            let ctx = CheckContext {
                system: system.as_ref(),
                thresholds: &thresholds,
                offline,
                profile: &profile,
                ico_register: ico_register.as_deref(),
            };
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check.run(&ctx))).unwrap_or_else(|_| {
                    runner_outcome(
                        check.id(),
                        RunnerReason::InternalError,
                        "confide hit an internal error in this check; please report it.",
                    )
                });
            let _ = tx.send((i, outcome, t0.elapsed()));
        });
    }
    drop(tx);

    let deadline = started + opts.check_timeout;
    let total = checks.len();
    let mut done = total - running;
    progress(done, total);
    while done < total {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((i, outcome, took)) => {
                results[i] = Some((outcome, took));
                done += 1;
                progress(done, total);
            }
            Err(_) => break,
        }
    }

    let findings = checks
        .iter()
        .zip(results)
        .map(|(check, result)| {
            let (outcome, took) = result.unwrap_or_else(|| {
                let summary = format!(
                    "Did not finish within {}; the rest of the scan went on without it.",
                    human_seconds(opts.check_timeout)
                );
                (
                    runner_outcome(check.id(), RunnerReason::TimedOut, &summary),
                    opts.check_timeout,
                )
            });
            finding(catalog, policy, system.as_ref(), check.as_ref(), outcome, took)
        })
        .collect();
    Ok(assemble(system.as_ref(), policy, findings, opts.redact))
}

/// A finding the runner gives on a check's behalf (skipped, timed out, crashed).
fn runner_outcome(id: &str, reason: RunnerReason, summary: &str) -> Outcome {
    Verdict::new(reason, summary).into_outcome(id)
}

/// A failing check under a clause that only recommends counts as a warning.
pub fn apply_severity(check_status: Status, severity: Option<Severity>) -> Status {
    match (check_status, severity) {
        (Status::Fail, Some(Severity::Recommended)) => Status::Warn,
        (s, _) => s,
    }
}

fn finding(
    catalog: &Catalog,
    policy: &Policy,
    system: &dyn System,
    check: &dyn Check,
    outcome: Outcome,
    took: Duration,
) -> Finding {
    let id = check.id();
    let os = system.os().family;
    let words = catalog.words(id);
    let clauses: Vec<_> = policy.clauses_for(id).collect();
    let severity = clauses.iter().map(|c| c.severity).min();
    let status = apply_severity(outcome.status, severity);
    let (fix_steps, remediation) = match (status, words.and_then(|w| w.fix_for_reason(&outcome.reason, os))) {
        (Status::Pass | Status::Skipped, _) => (Vec::new(), String::new()),
        (_, Some(steps)) => (steps.to_vec(), Finding::numbered(steps)),
        (_, None) => (Vec::new(), format!("No steps for {os} are given for this check.")),
    };
    let mut summary = outcome.summary;
    if status != outcome.status {
        summary.push_str(" (The guidance recommends this rather than requiring it, so it counts as a warning.)");
    }
    Finding {
        check: id.to_string(),
        status,
        check_status: outcome.status,
        reason: outcome.reason,
        title: words.map(|w| w.title.clone()).unwrap_or_else(|| id.to_string()),
        summary,
        evidence: outcome.evidence,
        remediation,
        fix_steps,
        guidance: clauses
            .iter()
            .map(|c| GuidanceRef {
                policy: policy.id.clone(),
                clause: c.id.clone(),
                quote: c.quote.clone(),
                source: c.citation.source(),
                citation: c.citation.clone(),
                marks: c.marks,
                severity: c.severity,
            })
            .collect(),
        severity,
        basis: check.basis(),
        confirmed_on: outcome.confirmed_on,
        duration_ms: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
    }
}

fn assemble(system: &dyn System, policy: &Policy, mut findings: Vec<Finding>, redact: bool) -> Report {
    let order: BTreeMap<_, _> = crate::status::Status::WORST_FIRST
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i))
        .collect();
    findings.sort_by_key(|f| order[&f.status]);
    let not_assessed = policy
        .clauses
        .iter()
        .filter(|c| c.checks.is_empty() || c.not_assessed.is_some())
        .map(|c| NotAssessed {
            clause: c.id.clone(),
            quote: c.quote.clone(),
            source: c.citation.source(),
            citation: c.citation.clone(),
            marks: c.marks,
            severity: c.severity,
            part: if c.checks.is_empty() {
                None
            } else {
                c.not_assessed.clone()
            },
        })
        .collect();
    let os = system.os();
    Report {
        schema: REPORT_SCHEMA.to_string(),
        tool: Tool {
            name: "confide".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        generated_at: system.now(),
        practitioner: None,
        policy: PolicyRef {
            id: policy.id.clone(),
            title: policy.title.clone(),
            version: policy.version.clone(),
            sha256: policy.sha256.clone(),
        },
        host: Host {
            os: os.family,
            os_version: format!("{} {}", os.name, os.version),
            hostname: if redact { None } else { system.host().hostname.clone() },
        },
        overall: Status::overall(findings.iter().map(|f| f.status)),
        counts: Report::count(&findings),
        findings,
        not_assessed,
        changes: None,
        replay: None,
        no_profile: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recommended_clauses_soften_failures_only() {
        assert_eq!(apply_severity(Status::Fail, Some(Severity::Recommended)), Status::Warn);
        assert_eq!(apply_severity(Status::Fail, Some(Severity::Required)), Status::Fail);
        assert_eq!(apply_severity(Status::Fail, None), Status::Fail);
        assert_eq!(
            apply_severity(Status::Unknown, Some(Severity::Recommended)),
            Status::Unknown
        );
    }
}
