//! `--format markdown`: the report for pasting into an email or a notes system: who, which
//! computer, when, a table of every guidance clause with its result, and the findings.

use std::io::Write;

use super::reading::{self, Audience};
use super::{RenderError, Renderer, Report};

pub struct Markdown {
    pub audience: Audience,
}

/// Text safe inside a Markdown table cell or a line: pipes, asterisks, underscores and the like
/// are escaped and line breaks become spaces, so a value never changes the layout.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A step: commands stay as code for the practitioner (backticks kept), other text is escaped.
fn md_step(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { format!("`{part}`") } else { md(part) })
        .collect()
}

impl Renderer for Markdown {
    fn render(&self, r: &Report, out: &mut dyn Write) -> Result<(), RenderError> {
        writeln!(out, "# Computer security report — {}\n", md(&r.policy.title))?;
        if let Some(p) = &r.practitioner {
            if let Some(name) = &p.name {
                writeln!(out, "- **Practitioner:** {}", md(name))?;
            }
            if let Some(m) = &p.membership {
                writeln!(out, "- **Membership:** {}", md(m))?;
            }
            if let Some(s) = &p.supervisor {
                writeln!(out, "- **Supervisor:** {}", md(s))?;
            }
        }
        writeln!(out, "- **Computer:** {}", md(&reading::computer(r)))?;
        writeln!(out, "- **Checked:** {}", reading::when(r))?;
        writeln!(
            out,
            "- **Guidance:** {}, {} (policy SHA-256 `{}`)",
            md(&r.policy.title),
            md(&r.policy.version),
            r.policy.sha256
        )?;
        writeln!(out, "- **Checked with:** confide {}", md(&r.tool.version))?;
        for caveat in reading::caveats(r, self.audience) {
            writeln!(out, "\n> **Read this first.** {}", md_step(&caveat))?;
        }
        writeln!(out, "\n**Result: {}**\n", md(&reading::overall_words(r)))?;

        writeln!(out, "## The guidance, clause by clause\n")?;
        writeln!(out, "| Guidance | Result | Source |")?;
        writeln!(out, "| --- | --- | --- |")?;
        for row in reading::clause_rows(r) {
            let cite = reading::short_cite(r, &row.source);
            let source = match &cite.url {
                Some(url) => format!("[{}]({url})", md(&cite.label)),
                None => md(&cite.label),
            };
            let mut guidance = format!("“{}”", row.quote);
            if let Some(part) = &row.not_covered {
                guidance.push_str(&format!(" (not assessed by confide: {part})"));
            }
            writeln!(out, "| {} | {} | {source} |", md(&guidance), md(&row.result.words()))?;
        }

        let attention = reading::needs_attention(r);
        writeln!(out, "\n## What needs attention\n")?;
        if attention.is_empty() {
            writeln!(out, "Nothing: every check that ran was met.")?;
        }
        for f in attention {
            writeln!(out, "### {}: {}\n", reading::status_words(f.status), md(&f.title))?;
            writeln!(
                out,
                "**What was seen:** {}\n",
                md_step(&reading::seen(f, self.audience))
            )?;
            for e in reading::evidence(f, self.audience) {
                writeln!(out, "- {}", md_step(e))?;
            }
            if !reading::evidence(f, self.audience).is_empty() {
                writeln!(out)?;
            }
            if let Some(g) = f.guidance.first() {
                writeln!(out, "**Why it matters:** the guidance says: “{}”.\n", md(&g.quote))?;
            }
            let steps = reading::fix_steps(f, self.audience);
            if !steps.is_empty() {
                writeln!(out, "**What the practitioner will do:**\n")?;
                for (n, s) in steps.iter().enumerate() {
                    writeln!(out, "{}. {}", n + 1, md_step(s))?;
                }
                if self.audience == Audience::Supervisor {
                    writeln!(out, "\n(The full steps are in the practitioner's own copy.)")?;
                }
                writeln!(out)?;
            }
        }
        Ok(())
    }
}
