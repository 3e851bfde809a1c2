//! The report in plain words, shared by the documents people read (Markdown, HTML, PDF): what each
//! state is called, the table of guidance clauses with their result, how a source is cited and
//! how much of a fix each reader gets.
//!
//! Kept in one place so that the three documents never disagree about a clause's result.

use std::sync::LazyLock;

use regex::Regex;

use super::{Finding, Report};
use crate::checks::Basis;
use crate::policy::Severity;
use crate::status::Status;

/// Who a document is written for: the supervisor's copy leaves out shell commands and the
/// details only the practitioner needs; the practitioner's copy keeps every fix step.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Supervisor,
    Practitioner,
}

/// What a finding's state is called in a document a non-technical person reads.
pub fn status_words(status: Status) -> &'static str {
    match status {
        Status::Pass => "Met",
        Status::Fail => "Not met",
        Status::Warn => "Needs attention",
        Status::Unknown => "Could not be checked",
        Status::Skipped => "Not checked",
    }
}

/// The one-line verdict at the top of a document.
pub fn overall_words(report: &Report) -> String {
    // Every number from the findings themselves, so the words never disagree with the list
    // below them (and a hand-edited count cannot make them wrong).
    let n = |s: Status| report.findings.iter().filter(|f| f.status == s).count();
    let problems = n(Status::Fail) + n(Status::Warn) + n(Status::Unknown);
    match Status::overall(report.findings.iter().map(|f| f.status)) {
        Status::Pass | Status::Skipped => "Everything confide checked meets the guidance.".to_string(),
        Status::Fail => format!(
            "Not yet meeting the guidance: {} of {} checks not met, {} needing attention or not checkable.",
            n(Status::Fail),
            report.findings.len(),
            n(Status::Warn) + n(Status::Unknown)
        ),
        Status::Warn | Status::Unknown => {
            // "Meets the required guidance" only when every required point is met: a required
            // point that could not be checked, or that warns, is not known to be met.
            let required = |status: Status| {
                report
                    .findings
                    .iter()
                    .filter(|f| f.severity == Some(Severity::Required) && f.status == status)
                    .count()
            };
            let (unchecked, attention) = (required(Status::Unknown), required(Status::Warn));
            let points = |k: usize| format!("{k} point{}", if k == 1 { "" } else { "s" });
            let need = |k: usize| if k == 1 { "needs" } else { "need" };
            if unchecked + attention == 0 {
                return format!(
                    "Meets the required guidance; {} {} attention.",
                    points(problems),
                    need(problems)
                );
            }
            let mut parts = Vec::new();
            if unchecked > 0 {
                parts.push(format!(
                    "{} required {} not be checked",
                    unchecked,
                    if unchecked == 1 { "point could" } else { "points could" }
                ));
            }
            if attention > 0 {
                parts.push(format!(
                    "{} required {} attention",
                    attention,
                    if attention == 1 { "point needs" } else { "points need" }
                ));
            }
            let others = problems - unchecked - attention;
            if others > 0 {
                parts.push(format!(
                    "{others} more point{} {} attention",
                    if others == 1 { "" } else { "s" },
                    need(others)
                ));
            }
            format!("Nothing required is failing, but {}.", crate::words::join_names(&parts))
        }
    }
}

/// What a document's reader must know before its verdict, one paragraph each: that it was made
/// from a recorded snapshot rather than by a scan of the computer (a snapshot is a file that can
/// be edited, so a signed report of one proves less), and that the practitioner's own answers
/// were not read. Commands in backticks.
pub fn caveats(r: &Report, audience: Audience) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(replay) = &r.replay {
        let from = replay
            .snapshot
            .as_deref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        out.push(format!(
            "This report was made from a recording of a computer{from}, taken {} UTC, not by checking the computer itself: it says what that recording says, and a recording is a file that can be edited.",
            replay.collected_at.strftime("%-d %B %Y, %H:%M")
        ));
    }
    if let Some(missing) = &r.no_profile {
        out.push(missing.notice_for(audience));
    }
    out
}

/// How a clause stands, as the clause table says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClauseResult {
    Met,
    /// Every check that evidences it is something the practitioner confirmed: the oldest date.
    Confirmed(jiff::civil::Date),
    Partly,
    /// Nothing that evidences it passed, and at least one thing warns (a recommendation not
    /// followed, an answer gone stale): "partly met" would overstate it.
    Attention,
    NotMet,
    Unknown,
    /// Checks exist but did not run this time (offline, turned off, another OS).
    NotChecked,
    NotAssessed,
}

impl ClauseResult {
    pub fn words(&self) -> String {
        match self {
            ClauseResult::Met => "Met".into(),
            ClauseResult::Confirmed(d) => format!("Confirmed by the practitioner on {}", long_date(*d)),
            ClauseResult::Partly => "Partly met".into(),
            ClauseResult::Attention => "Needs attention".into(),
            ClauseResult::NotMet => "Not met".into(),
            ClauseResult::Unknown => "Could not be checked".into(),
            ClauseResult::NotChecked => "Not checked this time".into(),
            ClauseResult::NotAssessed => "Not assessed yet".into(),
        }
    }

    /// A short class name for styling (`met`, `not-met`, …).
    pub fn class(&self) -> &'static str {
        match self {
            ClauseResult::Met | ClauseResult::Confirmed(_) => "met",
            ClauseResult::Partly | ClauseResult::Attention => "partly",
            ClauseResult::NotMet => "not-met",
            ClauseResult::Unknown => "unknown",
            ClauseResult::NotChecked | ClauseResult::NotAssessed => "not-assessed",
        }
    }

    fn rank(&self) -> u8 {
        match self {
            ClauseResult::NotMet => 0,
            ClauseResult::Partly | ClauseResult::Attention => 1,
            ClauseResult::Unknown => 2,
            ClauseResult::NotChecked => 3,
            ClauseResult::NotAssessed => 3,
            ClauseResult::Met => 4,
            ClauseResult::Confirmed(_) => 5,
        }
    }
}

/// One row of the clause table.
#[derive(Debug, Clone)]
pub struct ClauseRow {
    pub clause: String,
    /// The clause's text as the policy quotes it.
    pub quote: String,
    pub source: String,
    pub result: ClauseResult,
    /// What of the clause no check covers, when only part of it is assessed.
    pub not_covered: Option<String>,
    /// The titles of the checks that evidence it.
    pub checks: Vec<String>,
}

/// Every clause the report mentions, worst result first, each once.
pub fn clause_rows(report: &Report) -> Vec<ClauseRow> {
    let mut order: Vec<(String, String, String)> = Vec::new();
    let mut remember = |clause: &str, quote: &str, source: &str| {
        if !order.iter().any(|(c, _, _)| c == clause) {
            order.push((clause.to_string(), quote.to_string(), source.to_string()));
        }
    };
    for f in &report.findings {
        for g in &f.guidance {
            remember(&g.clause, &g.quote, &g.source);
        }
    }
    for n in &report.not_assessed {
        remember(&n.clause, &n.quote, &n.source);
    }
    let mut rows: Vec<ClauseRow> = order
        .into_iter()
        .map(|(clause, quote, source)| {
            let evidence: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| f.guidance.iter().any(|g| g.clause == clause))
                .collect();
            let gap = report.not_assessed.iter().find(|n| n.clause == clause);
            let whole_gap = gap.is_some_and(|n| n.part.is_none());
            ClauseRow {
                result: clause_result(&evidence, whole_gap),
                not_covered: gap.and_then(|n| n.part.clone()),
                checks: evidence.iter().map(|f| f.title.clone()).collect(),
                clause,
                quote,
                source,
            }
        })
        .collect();
    rows.sort_by_key(|r| r.result.rank());
    rows
}

/// A known bad signal decides: one failing check means the clause is not met, whatever the
/// others say; a clause only confirmed by the practitioner says so, with the date.
fn clause_result(evidence: &[&Finding], whole_gap: bool) -> ClauseResult {
    let judged: Vec<&&Finding> = evidence.iter().filter(|f| f.status != Status::Skipped).collect();
    if judged.is_empty() {
        return if evidence.is_empty() || whole_gap {
            ClauseResult::NotAssessed
        } else {
            ClauseResult::NotChecked
        };
    }
    let has = |s: Status| judged.iter().any(|f| f.status == s);
    if whole_gap {
        return ClauseResult::NotAssessed;
    }
    if has(Status::Fail) {
        ClauseResult::NotMet
    } else if has(Status::Warn) && !has(Status::Pass) {
        ClauseResult::Attention
    } else if has(Status::Warn) || (has(Status::Unknown) && has(Status::Pass)) {
        ClauseResult::Partly
    } else if has(Status::Unknown) {
        ClauseResult::Unknown
    } else if judged.iter().all(|f| f.basis == Basis::You) {
        match judged.iter().filter_map(|f| f.confirmed_on).min() {
            Some(d) => ClauseResult::Confirmed(d),
            None => ClauseResult::Met,
        }
    } else {
        ClauseResult::Met
    }
}

/// How a clause's source is cited: a label and, where the source is public, its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub label: String,
    pub url: Option<String>,
}

/// The one function every document cites a source through. A clause's document is cited by its
/// author, year and title, linked to its public address; an internal file name is never shown:
/// the policy's title and version stand instead.
pub fn cite(report: &Report, source: &str) -> Citation {
    if let Some(c) = document_for(report, source) {
        let mut label = c.author.clone();
        if let Some(year) = c.year {
            label.push_str(&format!(" ({year})"));
        }
        if !c.title.is_empty() && Some(&c.title) != c.url.as_ref() {
            label.push_str(&format!(", “{}”", c.title));
        }
        return Citation {
            label,
            url: c.url.clone(),
        };
    }
    if source.starts_with("https://") || source.starts_with("http://") {
        Citation {
            label: source.to_string(),
            url: Some(source.to_string()),
        }
    } else {
        Citation {
            label: format!("{} ({})", report.policy.title, report.policy.version),
            url: None,
        }
    }
}

/// The public document a clause's `source` names, as the report's guidance lines carry it.
fn document_for<'a>(report: &'a Report, source: &str) -> Option<&'a crate::policy::Citation> {
    let cited = report
        .findings
        .iter()
        .flat_map(|f| &f.guidance)
        .filter(|g| g.source == source)
        .map(|g| &g.citation);
    let not_assessed = report
        .not_assessed
        .iter()
        .filter(|n| n.source == source)
        .map(|n| &n.citation);
    cited
        .chain(not_assessed)
        .find(|c| !c.author.is_empty() || !c.title.is_empty())
}

/// A citation as a table cell shows it: the document's title, linked; a source with no public
/// document (the guidance named at the top) is not repeated.
pub fn short_cite(report: &Report, source: &str) -> Citation {
    if let Some(c) = document_for(report, source).filter(|c| !c.title.is_empty()) {
        return Citation {
            label: c.title.clone(),
            url: c.url.clone(),
        };
    }
    let c = cite(report, source);
    if c.url.is_some() {
        c
    } else {
        Citation {
            label: "The guidance named above".to_string(),
            url: None,
        }
    }
}

/// The fix steps a reader gets: all of them for the practitioner; for the supervisor, each step
/// without its commands, and a note that the full steps are in the practitioner's copy.
pub fn fix_steps(finding: &Finding, audience: Audience) -> Vec<String> {
    let steps: Vec<String> = if finding.fix_steps.is_empty() && !finding.remediation.is_empty() {
        vec![finding.remediation.clone()]
    } else {
        finding.fix_steps.clone()
    };
    match audience {
        Audience::Practitioner => steps,
        Audience::Supervisor => steps.iter().filter_map(|s| brief(s)).collect(),
    }
}

/// A step without shell commands: cut before the first command where a colon introduces it;
/// otherwise each command becomes "a command". Running confide again is the practitioner's
/// business, so that step is dropped.
fn brief(step: &str) -> Option<String> {
    static CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`[^`]*`").expect("valid regex"));
    if step.contains("`confide ") {
        return None;
    }
    let Some(first) = step.find('`') else {
        return Some(step.to_string());
    };
    // A colon and a space introduce a command; the colon of `ms-settings:` does not.
    Some(match step[..first].rfind(": ") {
        Some(colon) if step[..colon].split_whitespace().count() >= 3 => {
            format!("{} (commands in the practitioner's copy).", step[..colon].trim_end())
        }
        _ => CODE.replace_all(step, "a command").into_owned(),
    })
}

/// "What was seen" for the reader: the supervisor's copy leaves out sentences that tell the
/// practitioner to run a command (they are about confide, not about the computer).
pub fn seen(finding: &Finding, audience: Audience) -> String {
    static CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`[^`]*`").expect("valid regex"));
    if audience == Audience::Practitioner || !finding.summary.contains('`') {
        return finding.summary.clone();
    }
    let kept: Vec<&str> = finding
        .summary
        .split_inclusive(". ")
        .filter(|sentence| !sentence.contains('`'))
        .collect();
    if kept.is_empty() {
        CODE.replace_all(&finding.summary, "a command").into_owned()
    } else {
        kept.concat().trim_end().to_string()
    }
}

/// Evidence lines as the reader sees them: the supervisor's copy shows the finding's summary
/// only; the practitioner's copy adds what confide saw.
pub fn evidence(finding: &Finding, audience: Audience) -> &[String] {
    match audience {
        Audience::Practitioner => &finding.evidence,
        Audience::Supervisor => &[],
    }
}

/// Findings worth a section: everything but a pass or a skip.
pub fn needs_attention(report: &Report) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| !matches!(f.status, Status::Pass | Status::Skipped))
        .collect()
}

/// `26 November 2026`.
pub fn long_date(d: jiff::civil::Date) -> String {
    crate::written_dates::in_words(d)
}

/// When the scan ran, in UTC and said in full: `26 November 2026, 14:05 UTC`.
pub fn when(report: &Report) -> String {
    report.generated_at.strftime("%-d %B %Y, %H:%M UTC").to_string()
}

/// The computer: OS and version, and the name only when the report was not redacted.
pub fn computer(report: &Report) -> String {
    match &report.host.hostname {
        Some(h) => format!("{} (named “{h}”)", report.host.os_version),
        None => report.host.os_version.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_supervisor_gets_each_step_without_its_commands() {
        let cases = [
            (
                "If you use ClamAV, install its scanner and updater: `sudo apt install clamav-daemon` on Debian.",
                Some("If you use ClamAV, install its scanner and updater (commands in the practitioner's copy)."),
            ),
            ("Run `confide scan` again to confirm.", None),
            (
                "Open Settings › Windows Update (ms-settings:windowsupdate) and choose Check for updates.",
                Some("Open Settings › Windows Update (ms-settings:windowsupdate) and choose Check for updates."),
            ),
            (
                "Make sure your account has a password: Settings › Sign-in options (ms-settings:signinoptions). Or run `x`.",
                Some("Make sure your account has a password (commands in the practitioner's copy)."),
            ),
            (
                "Turn on the firewall with `sudo ufw enable` and keep it on.",
                Some("Turn on the firewall with a command and keep it on."),
            ),
        ];
        for (step, want) in cases {
            assert_eq!(brief(step).as_deref(), want, "{step}");
        }
    }

    fn finding(status: Status, basis: Basis) -> Finding {
        Finding::bare(status, basis, None)
    }

    #[test]
    fn a_clause_reads_as_its_worst_known_signal() {
        let f = |s| finding(s, Basis::Computer);
        let (pass, warn, fail, unknown) = (f(Status::Pass), f(Status::Warn), f(Status::Fail), f(Status::Unknown));
        assert_eq!(clause_result(&[&pass, &fail, &unknown], false), ClauseResult::NotMet);
        assert_eq!(clause_result(&[&pass, &warn], false), ClauseResult::Partly);
        assert_eq!(clause_result(&[&pass, &unknown], false), ClauseResult::Partly);
        // Nothing passed: a warning alone is not "partly met".
        assert_eq!(clause_result(&[&warn], false), ClauseResult::Attention);
        assert_eq!(clause_result(&[&warn, &unknown], false), ClauseResult::Attention);
        assert_eq!(clause_result(&[&unknown], false), ClauseResult::Unknown);
        assert_eq!(clause_result(&[&pass], false), ClauseResult::Met);
        assert_eq!(clause_result(&[&pass], true), ClauseResult::NotAssessed);
    }
}
