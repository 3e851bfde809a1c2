//! The report for a person at a terminal: worst findings first, each problem with what was seen,
//! how to fix it on this computer and the guidance behind it, and a one-line verdict at the end.

use std::io::{self, Write};

use colored::Colorize;

use super::{Finding, RenderError, Renderer, Report};
use crate::checks::Basis;
use crate::policy::Severity;
use crate::status::Status;

pub struct Terminal {
    /// Decided once by the caller from the stream written to, `--color`, `NO_COLOR` and
    /// `CLICOLOR_FORCE`.
    pub color: bool,
}

impl Terminal {
    fn label(&self, status: Status) -> String {
        let text = format!("{:<7}", status.id().to_uppercase());
        if !self.color {
            return text;
        }
        match status {
            Status::Fail => text.red().bold().to_string(),
            Status::Warn => text.yellow().bold().to_string(),
            Status::Unknown => text.magenta().bold().to_string(),
            Status::Pass => text.green().to_string(),
            Status::Skipped => text.dimmed().to_string(),
        }
    }

    fn bold(&self, text: &str) -> String {
        if self.color {
            text.bold().to_string()
        } else {
            text.to_string()
        }
    }

    fn dim(&self, text: &str) -> String {
        if self.color {
            text.dimmed().to_string()
        } else {
            text.to_string()
        }
    }

    /// The title line: tool, policy, computer and when.
    fn header(&self, out: &mut dyn Write, r: &Report) -> io::Result<()> {
        writeln!(
            out,
            "{}",
            self.bold(&format!("confide {} — {}", r.tool.version, r.policy.title))
        )?;
        let host = r
            .host
            .hostname
            .as_deref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}",
            self.dim(&format!(
                "{}{host}, {} UTC",
                r.host.os_version,
                r.generated_at.strftime("%Y-%m-%d %H:%M")
            ))
        )?;
        if let Some(replay) = &r.replay {
            writeln!(out, "{}", self.bold(&replay.notice()))?;
        }
        writeln!(out)
    }

    /// What the computer showed, then what the practitioner confirmed, each under a heading.
    fn findings(&self, out: &mut dyn Write, r: &Report) -> io::Result<()> {
        let os = r.host.os.display_name();
        for (basis, heading) in [
            (Basis::Computer, "Checked on this computer"),
            (Basis::You, "Confirmed by you"),
        ] {
            let group: Vec<&Finding> = r.findings.iter().filter(|f| f.basis == basis).collect();
            if group.is_empty() {
                continue;
            }
            writeln!(out, "{}", self.bold(&format!("── {heading} ──")))?;
            writeln!(out)?;
            for f in group {
                self.finding(out, f, os)?;
                writeln!(out)?;
            }
        }
        Ok(())
    }

    fn finding(&self, out: &mut dyn Write, f: &Finding, os: &str) -> io::Result<()> {
        writeln!(out, "{} {}", self.label(f.status), self.bold(&f.title))?;
        writeln!(out, "        {}", f.summary)?;
        if matches!(f.status, Status::Pass | Status::Skipped) {
            return Ok(());
        }
        if !f.evidence.is_empty() {
            writeln!(out, "        {}", self.dim("What confide saw:"))?;
            for e in &f.evidence {
                writeln!(out, "          - {e}")?;
            }
        }
        if !f.remediation.is_empty() {
            writeln!(out, "        {}", self.dim(&format!("How to fix it on {os}:")))?;
            for step in f.remediation.lines() {
                writeln!(out, "          {step}")?;
            }
        }
        for g in &f.guidance {
            writeln!(
                out,
                "        {}",
                self.dim(&format!("Guidance ({}): \"{}\" [{}]", g.clause, g.quote, g.source))
            )?;
        }
        Ok(())
    }

    /// The parts of the guidance no check covers, so silence is never read as compliance.
    fn not_assessed(&self, out: &mut dyn Write, r: &Report) -> io::Result<()> {
        if r.not_assessed.is_empty() {
            return Ok(());
        }
        writeln!(
            out,
            "{}",
            self.bold("Not assessed yet: confide cannot check these, so make sure of them yourself")
        )?;
        for n in &r.not_assessed {
            let must = match n.severity {
                Severity::Required => "must",
                Severity::Recommended => "consider",
            };
            match &n.part {
                Some(part) => {
                    writeln!(out, "  - ({must}) {part}")?;
                    writeln!(
                        out,
                        "    {}",
                        self.dim(&format!("part of \"{}\" [{}]", n.quote, n.source))
                    )?;
                }
                None => writeln!(out, "  - ({must}) \"{}\" [{}]", n.quote, n.source)?,
            }
        }
        writeln!(out)
    }

    /// The one-line verdict with every count.
    pub(super) fn verdict(&self, out: &mut dyn Write, r: &Report) -> io::Result<()> {
        let c = |s: Status| r.counts.get(&s).copied().unwrap_or(0);
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let verdict = match r.overall {
            Status::Fail => "action needed",
            Status::Warn => "some things to look at",
            Status::Pass => "the checks that ran passed",
            _ => "nothing was checked",
        };
        writeln!(
            out,
            "{} {} — {}, {}, {}, {}, {}; {} not assessed yet.",
            self.label(r.overall).trim_end(),
            self.bold(verdict),
            plural(c(Status::Fail), "failed", "failed"),
            plural(c(Status::Warn), "warning", "warnings"),
            plural(c(Status::Unknown), "unknown", "unknown"),
            plural(c(Status::Pass), "passed", "passed"),
            plural(c(Status::Skipped), "skipped", "skipped"),
            plural(r.not_assessed.len(), "point of the guidance", "points of the guidance"),
        )
    }
}

impl Renderer for Terminal {
    fn render(&self, r: &Report, out: &mut dyn Write) -> Result<(), RenderError> {
        self.header(out, r)?;
        super::changes::render(out, r, self.color)?;
        self.findings(out, r)?;
        self.not_assessed(out, r)?;
        self.verdict(out, r)?;
        Ok(())
    }
}
