//! The report for a person at a terminal. It opens with a summary that fits one 80×40 screen
//! (the verdict, the counts, one line per problem worst first, and what to do next), then each
//! finding in detail, then the verdict again, so that whatever scrolled away, the first and the
//! last screen both say where the computer stands. Every line is wrapped at the reader's width
//! with a hanging indent.

use std::io::{self, Write};

use colored::Colorize;

use super::wrap::fill;
use super::{Finding, RenderError, Renderer, Report};
use crate::checks::Basis;
use crate::policy::Severity;
use crate::status::Status;

/// The most lines the summary block may take: one screen of a 40-line terminal.
pub const SUMMARY_LINES: usize = 40;

/// The heading under which each finding's fix steps stand (one heading for every item).
pub const FIX_HEADING: &str = "How to fix it";

pub struct Terminal {
    /// Decided once by the caller from the stream written to, `--color`, `NO_COLOR` and
    /// `CLICOLOR_FORCE`.
    pub color: bool,
    /// Columns to wrap at: the terminal's width, or at most 100 when not a terminal.
    pub width: usize,
}

/// The hanging indent of a finding's details, under its title.
const INDENT: &str = "  ";

/// The words a reader sees for a clause's severity, everywhere.
pub fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Required => "required",
        Severity::Recommended => "recommended",
    }
}

/// The words for where a finding's evidence comes from, everywhere.
pub fn basis_words(b: Basis) -> &'static str {
    match b {
        Basis::Computer => "Checked on this computer",
        Basis::You => "Confirmed by you",
    }
}

impl Terminal {
    fn paint(&self, status: Status, text: &str) -> String {
        if !self.color {
            return text.to_string();
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

    /// `text` wrapped with `first` before its first line and `rest` before the others, each
    /// line's text styled by `style` (indents stay plain).
    fn para(&self, first: &str, rest: &str, text: &str, style: impl Fn(&str) -> String) -> Vec<String> {
        fill(text, first, rest, self.width)
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let indent = if i == 0 { first } else { rest };
                match line.strip_prefix(indent) {
                    Some(body) => format!("{indent}{}", style(body)),
                    None => style(&line),
                }
            })
            .collect()
    }

    /// A status label and a text after it, wrapped under the text.
    fn labelled(&self, status: Status, indent: &str, text: &str, style: impl Fn(&str) -> String) -> Vec<String> {
        let label = format!("{indent}{:<8}", status.id().to_uppercase());
        let rest = " ".repeat(label.len());
        let mut lines = self.para(&label, &rest, text, style);
        if let Some(first) = lines.first_mut()
            && let Some(body) = first.strip_prefix(&label)
        {
            let word = status.id().to_uppercase();
            *first = format!(
                "{indent}{}{}{body}",
                self.paint(status, &word),
                " ".repeat(8 - word.len())
            );
        }
        lines
    }

    /// The title lines: tool, policy, computer and when.
    fn header(&self, r: &Report) -> Vec<String> {
        let mut lines = self.para(
            "",
            "",
            &format!("confide {} — {}", r.tool.version, r.policy.title),
            |t| self.bold(t),
        );
        let host = r
            .host
            .hostname
            .as_deref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        lines.extend(self.para(
            "",
            "",
            &format!(
                "{}{host}, {} UTC",
                r.host.os_version,
                r.generated_at.strftime("%Y-%m-%d %H:%M")
            ),
            |t| self.dim(t),
        ));
        if let Some(replay) = &r.replay {
            lines.extend(self.para("", "", &replay.notice(), |t| self.bold(t)));
        }
        if let Some(missing) = &r.no_profile {
            lines.extend(self.para("", "", &missing.notice(), |t| self.bold(t)));
        }
        lines
    }

    /// What changed since the last check, when there was one (the weekly check's news).
    fn changes(&self, r: &Report) -> Vec<String> {
        let mut buffer = Vec::new();
        // Plain text: colour codes would count as width when wrapping.
        if super::changes::render(&mut buffer, r, false).is_err() {
            return Vec::new();
        }
        String::from_utf8_lossy(&buffer)
            .lines()
            .flat_map(|line| {
                if line.trim().is_empty() {
                    return vec![String::new()];
                }
                let indent: String = line.chars().take_while(|c| *c == ' ').collect();
                self.para(&indent, &format!("{indent}    "), line.trim_start(), |t| t.to_string())
            })
            .collect()
    }

    /// Writes the verdict with every count (for reports that show only it).
    pub fn verdict(&self, out: &mut dyn Write, r: &Report) -> io::Result<()> {
        for line in self.verdict_lines(r) {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }

    /// The verdict with every count: in the summary, and again at the very end.
    fn verdict_lines(&self, r: &Report) -> Vec<String> {
        let c = |s: Status| r.counts.get(&s).copied().unwrap_or(0);
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let verdict = match r.overall {
            Status::Fail => "Action needed",
            Status::Warn => "Some things to look at",
            Status::Pass => "The checks that ran passed",
            _ => "Nothing was checked",
        };
        let text = format!(
            "{verdict}: {}, {}, {}, {}, {}; {} not assessed yet.",
            plural(c(Status::Fail), "failed", "failed"),
            plural(c(Status::Warn), "warning", "warnings"),
            plural(c(Status::Unknown), "unknown", "unknown"),
            plural(c(Status::Pass), "passed", "passed"),
            plural(c(Status::Skipped), "skipped", "skipped"),
            plural(r.not_assessed.len(), "point of the guidance", "points of the guidance"),
        );
        self.labelled(r.overall, "", &text, |t| self.bold(t))
    }

    /// What to do first, in one sentence.
    fn next_step(r: &Report) -> String {
        let unanswered = r.findings.iter().any(|f| {
            f.basis == Basis::You && (f.reason.ends_with(".not-confirmed") || f.reason == "ico-registration.missing")
        });
        let first_problem = r
            .findings
            .iter()
            .find(|f| matches!(f.status, Status::Fail | Status::Warn | Status::Unknown));
        match (unanswered, first_problem) {
            (true, _) => "Next: run `confide init` to answer the questions only you can answer (your ICO \
                          registration, insurance, supervision and the like), then `confide scan` again."
                .to_string(),
            (false, Some(f)) => format!(
                "Next: follow the steps under “{}” below, then run `confide scan` again.",
                f.title
            ),
            (false, None) if r.not_assessed.is_empty() => {
                "Next: nothing to fix. Run `confide scan` again after any change to this computer.".to_string()
            }
            (false, None) => {
                "Next: nothing to fix here; make sure yourself of the points under “Not assessed yet” below."
                    .to_string()
            }
        }
    }

    /// The block that fits one screen: header, verdict, one line per problem (as many as fit,
    /// then how many more), and the next step.
    pub fn summary(&self, r: &Report) -> Vec<String> {
        let problems: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| matches!(f.status, Status::Fail | Status::Warn | Status::Unknown))
            .collect();
        let build = |shown: usize| {
            let mut lines = self.header(r);
            lines.push(String::new());
            lines.extend(self.changes(r));
            lines.extend(self.verdict_lines(r));
            if !problems.is_empty() {
                lines.push(String::new());
                lines.push(self.bold("To look at, worst first:"));
                for f in problems.iter().take(shown) {
                    let whose = match f.basis {
                        Basis::Computer => String::new(),
                        // Not "confirmed by you": most of these are not confirmed yet.
                        Basis::You => " (yours to confirm)".to_string(),
                    };
                    let standing = super::changes::standing(r, &f.check)
                        .map(|s| format!(" — {s}"))
                        .unwrap_or_default();
                    lines.extend(
                        self.labelled(f.status, INDENT, &format!("{}{whose}{standing}", f.title), |t| {
                            t.to_string()
                        }),
                    );
                }
                if shown < problems.len() {
                    lines.extend(self.para(
                        INDENT,
                        INDENT,
                        &format!("… and {} more, below.", problems.len() - shown),
                        |t| t.to_string(),
                    ));
                }
            }
            lines.push(String::new());
            lines.extend(self.para("", "      ", &Self::next_step(r), |t| self.bold(t)));
            lines
        };
        let mut shown = problems.len();
        let mut lines = build(shown);
        // Never so few that the list says only "… and 17 more": the worst three always show.
        let floor = problems.len().min(3);
        while lines.len() > SUMMARY_LINES && shown > floor {
            shown -= 1;
            lines = build(shown);
        }
        lines
    }

    /// What the computer showed, then what the practitioner confirmed, each under a heading.
    fn findings(&self, r: &Report) -> Vec<String> {
        let os = r.host.os.display_name();
        let mut lines = Vec::new();
        for basis in [Basis::Computer, Basis::You] {
            let group: Vec<&Finding> = r.findings.iter().filter(|f| f.basis == basis).collect();
            if group.is_empty() {
                continue;
            }
            lines.push(self.bold(&format!("── {} ──", basis_words(basis))));
            lines.push(String::new());
            for f in group {
                lines.extend(self.finding(f, os));
                lines.push(String::new());
            }
        }
        lines
    }

    fn finding(&self, f: &Finding, os: &str) -> Vec<String> {
        let mut lines = self.labelled(f.status, "", &f.title, |t| self.bold(t));
        lines.extend(self.para(INDENT, INDENT, &f.summary, |t| t.to_string()));
        if matches!(f.status, Status::Pass | Status::Skipped) {
            return lines;
        }
        if !f.evidence.is_empty() {
            lines.push(format!("{INDENT}{}", self.dim("What confide saw:")));
            for e in &f.evidence {
                lines.extend(self.para("  - ", "    ", e, |t| t.to_string()));
            }
        }
        let steps: Vec<String> = if f.fix_steps.is_empty() {
            f.remediation.lines().map(str::to_string).collect()
        } else {
            f.fix_steps.clone()
        };
        if !steps.is_empty() {
            let heading = match f.basis {
                Basis::Computer => format!("{FIX_HEADING} on {os}:"),
                Basis::You => format!("{FIX_HEADING}:"),
            };
            lines.push(format!("{INDENT}{}", self.dim(&heading)));
            let numbered = !f.fix_steps.is_empty();
            for (n, step) in steps.iter().enumerate() {
                let first = if numbered {
                    format!("  {}. ", n + 1)
                } else {
                    "  ".to_string()
                };
                let rest = " ".repeat(first.len());
                lines.extend(self.para(&first, &rest, step, |t| t.to_string()));
            }
        }
        for g in &f.guidance {
            lines.extend(self.para(
                INDENT,
                "    ",
                &format!("Guidance ({}): {}", severity_word(g.severity), g.marks.show(&g.quote)),
                |t| self.dim(t),
            ));
            lines.extend(self.para("    — ", "      ", &g.citation.line(), |t| self.dim(t)));
        }
        lines
    }

    /// The parts of the guidance no check covers, so silence is never read as compliance.
    fn not_assessed(&self, r: &Report) -> Vec<String> {
        let mut lines = Vec::new();
        if r.not_assessed.is_empty() {
            return lines;
        }
        lines.extend(self.para(
            "",
            "",
            "Not assessed yet: confide cannot check these, so make sure of them yourself",
            |t| self.bold(t),
        ));
        for n in &r.not_assessed {
            let severity = severity_word(n.severity);
            let quote = n.marks.show(&n.quote);
            match &n.part {
                Some(part) => {
                    lines.extend(self.para("  - ", "    ", &format!("({severity}) {part}"), |t| t.to_string()));
                    lines.extend(self.para("    ", "    ", &format!("part of {quote}"), |t| self.dim(t)));
                }
                None => lines.extend(self.para("  - ", "    ", &format!("({severity}) {quote}"), |t| t.to_string())),
            }
            lines.extend(self.para("    — ", "      ", &n.citation.line(), |t| self.dim(t)));
        }
        lines.push(String::new());
        lines
    }
}

impl Renderer for Terminal {
    fn render(&self, r: &Report, out: &mut dyn Write) -> Result<(), RenderError> {
        let mut lines = self.summary(r);
        lines.push(String::new());
        lines.extend(self.findings(r));
        lines.extend(self.not_assessed(r));
        lines.extend(self.verdict_lines(r));
        for line in &lines {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}
