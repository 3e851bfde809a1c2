//! `--format html`: the practitioner's own copy as one self-contained page: inline CSS, no
//! scripts, no fonts, images or requests; the only links are the guidance's public addresses
//! and the OS settings pages named in the fix steps. Readable on a phone and printable.

use std::io::{self, Write};
use std::sync::LazyLock;

use regex::Regex;

use super::reading::{self, Audience};
use super::{RenderError, Renderer, Report};

pub struct Html {
    pub audience: Audience,
}

/// Escapes a value for HTML text or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A step or an evidence line: commands in `<code>`, the OS settings pages a step names
/// clickable (the only links besides the guidance's own addresses), everything else escaped.
fn rich(text: &str) -> String {
    static LINK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:x-apple\.systempreferences:|ms-settings:)[^\s()<>`]*[^\s()<>`.,;:]").expect("valid regex")
    });
    let linked = |plain: &str| {
        let mut out = String::new();
        let mut last = 0;
        for m in LINK.find_iter(plain) {
            out.push_str(&escape(&plain[last..m.start()]));
            let url = escape(m.as_str());
            out.push_str(&format!("<a href=\"{url}\">{url}</a>"));
            last = m.end();
        }
        out.push_str(&escape(&plain[last..]));
        out
    };
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", escape(part))
            } else {
                linked(part)
            }
        })
        .collect()
}

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f;
  max-width: 52rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 2px solid #d0d0d6; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.verdict { font-size: 1.1rem; font-weight: 600; padding: .7rem 1rem; border-radius: .4rem; margin: 1rem 0; }
.verdict.fail { background: #fde8e8; } .verdict.warn, .verdict.unknown { background: #fff4d6; }
.verdict.pass, .verdict.skipped { background: #e4f5e9; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .45rem .5rem; border-bottom: 1px solid #e2e2e6; }
th { background: #f3f3f6; }
tr { break-inside: avoid; }
th:first-child { width: 55%; } th:nth-child(2) { width: 22%; }
.result { font-weight: 600; }
.met { color: #17652f; } .partly, .unknown { color: #8a5a00; } .not-met { color: #b3261e; }
.not-assessed { color: #555; }
.note { color: #555; font-size: .9rem; }
.caveat { border-left: 4px solid #d89b00; background: #fff4d6; padding: .6rem .9rem; margin: 1rem 0 0; border-radius: 0 .4rem .4rem 0; }
section.finding { border-left: 4px solid #d0d0d6; padding-left: .8rem; margin: 1.2rem 0; break-inside: avoid; }
section.finding.fail { border-color: #b3261e; } section.finding.warn, section.finding.unknown { border-color: #d89b00; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; background: #f3f3f6; padding: 0 .2rem;
  border-radius: .2rem; overflow-wrap: anywhere; }
a { color: #0b57d0; overflow-wrap: anywhere; }
footer { margin-top: 2rem; color: #555; font-size: .85rem; }
@media (max-width: 36rem) {
  body { font-size: 15px; padding: .6rem; }
  table, thead, tbody, tr, th, td { display: block; }
  thead { display: none; }
  td { border: none; padding: .1rem 0; }
  tr { border-bottom: 1px solid #e2e2e6; padding: .5rem 0; }
  th:first-child, th:nth-child(2) { width: auto; }
}
@media print {
  body { max-width: none; font-size: 11pt; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
}
"#;

impl Renderer for Html {
    fn render(&self, r: &Report, out: &mut dyn Write) -> Result<(), RenderError> {
        let title = match r.practitioner.as_ref().and_then(|p| p.name.as_deref()) {
            Some(name) => format!("Computer security report: {name}"),
            None => "Computer security report".to_string(),
        };
        writeln!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">"
        )?;
        writeln!(
            out,
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        )?;
        // Nothing may load from anywhere: the file is read offline and must not call home.
        writeln!(
            out,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        )?;
        writeln!(
            out,
            "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
            escape(&title)
        )?;
        facts(out, r, &title, self.audience)?;
        clauses(out, r)?;
        self.findings(out, r)?;
        writeln!(out, "</main>")?;
        writeln!(
            out,
            "<footer>Made by confide {} from the report of {}. The same report as a PDF carries a signature a supervisor can check with <code>confide verify</code>.</footer>",
            escape(&r.tool.version),
            escape(&reading::when(r))
        )?;
        writeln!(out, "</body>\n</html>")?;
        Ok(())
    }
}

/// The title, who and what the report is about, and the overall verdict.
fn facts(out: &mut dyn Write, r: &Report, title: &str, audience: Audience) -> io::Result<()> {
    writeln!(out, "<header>\n<h1>{}</h1>", escape(title))?;
    writeln!(out, "<dl class=\"facts\">")?;
    let mut fact = |label: &str, value: &str| writeln!(out, "<dt>{label}</dt><dd>{}</dd>", escape(value));
    if let Some(p) = &r.practitioner {
        if let Some(v) = &p.name {
            fact("Practitioner", v)?;
        }
        if let Some(v) = &p.membership {
            fact("Membership", v)?;
        }
        if let Some(v) = &p.supervisor {
            fact("Supervisor", v)?;
        }
    }
    fact("Computer", &reading::computer(r))?;
    fact("Checked", &reading::when(r))?;
    fact("Guidance", &format!("{} ({})", r.policy.title, r.policy.version))?;
    fact("Policy SHA-256", &r.policy.sha256)?;
    fact("Checked with", &format!("confide {}", r.tool.version))?;
    writeln!(out, "</dl>")?;
    for caveat in reading::caveats(r, audience) {
        writeln!(
            out,
            "<p class=\"caveat\"><strong>Read this first.</strong> {}</p>",
            rich(&caveat)
        )?;
    }
    writeln!(
        out,
        "<p class=\"verdict {}\">{}</p>\n</header>",
        r.overall.id(),
        escape(&reading::overall_words(r))
    )?;

    Ok(())
}

/// Every clause of the guidance with its result and linked source.
fn clauses(out: &mut dyn Write, r: &Report) -> io::Result<()> {
    writeln!(out, "<main>\n<h2>The guidance, clause by clause</h2>")?;
    writeln!(
        out,
        "<table>\n<thead><tr><th>Guidance</th><th>Result</th><th>Source</th></tr></thead>\n<tbody>"
    )?;
    for row in reading::clause_rows(r) {
        let cite = reading::short_cite(r, &row.source);
        let source = match &cite.url {
            Some(url) => format!("<a href=\"{0}\">{1}</a>", escape(url), escape(&cite.label)),
            None => escape(&cite.label),
        };
        let gap = row
            .not_covered
            .as_ref()
            .map(|p| format!("<br><span class=\"note\">Not assessed: {}</span>", escape(p)))
            .unwrap_or_default();
        writeln!(
            out,
            "<tr><td>“{}”{gap}</td><td class=\"result {}\">{}</td><td>{source}</td></tr>",
            escape(&row.quote),
            row.result.class(),
            escape(&row.result.words())
        )?;
    }
    writeln!(out, "</tbody>\n</table>")?;

    Ok(())
}

impl Html {
    /// Each finding that needs attention: what was seen, why it matters, how to fix it.
    fn findings(&self, out: &mut dyn Write, r: &Report) -> io::Result<()> {
        writeln!(out, "<h2>What needs attention</h2>")?;
        let attention = reading::needs_attention(r);
        if attention.is_empty() {
            writeln!(out, "<p>Nothing: every check that ran was met.</p>")?;
        }
        for f in attention {
            writeln!(out, "<section class=\"finding {}\">", f.status.id())?;
            writeln!(
                out,
                "<h3>{}: {}</h3>",
                reading::status_words(f.status),
                escape(&f.title)
            )?;
            writeln!(
                out,
                "<p><strong>What was seen:</strong> {}</p>",
                rich(&reading::seen(f, self.audience))
            )?;
            let evidence = reading::evidence(f, self.audience);
            if !evidence.is_empty() {
                writeln!(out, "<ul class=\"note\">")?;
                for e in evidence {
                    writeln!(out, "<li>{}</li>", rich(e))?;
                }
                writeln!(out, "</ul>")?;
            }
            if let Some(g) = f.guidance.first() {
                writeln!(
                    out,
                    "<p><strong>Why it matters:</strong> the guidance says: “{}”.</p>",
                    escape(&g.quote)
                )?;
            }
            let steps = reading::fix_steps(f, self.audience);
            if !steps.is_empty() {
                writeln!(out, "<p><strong>How to fix it:</strong></p>\n<ol>")?;
                for s in steps {
                    writeln!(out, "<li>{}</li>", rich(&s))?;
                }
                writeln!(out, "</ol>")?;
            }
            writeln!(out, "</section>")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_only_settings_and_web_links_become_links() {
        assert_eq!(escape("<b>\"&'"), "&lt;b&gt;&quot;&amp;&#39;");
        assert_eq!(
            rich("Open Settings (ms-settings:windowsupdate). Run `rm -rf <x>`"),
            "Open Settings (<a href=\"ms-settings:windowsupdate\">ms-settings:windowsupdate</a>). Run <code>rm -rf &lt;x&gt;</code>"
        );
        assert_eq!(rich("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(
            rich("see https://mta-sts.example.org/x"),
            "see https://mta-sts.example.org/x"
        );
    }
}
