//! `confide policies` and `confide policies show <id>`: the guidance documents confide knows.

use clap::Subcommand;

use super::Failure;
use super::output::print;
use crate::catalog::Catalog;
use crate::policy::{Policy, PolicySources, Severity};

#[derive(Subcommand, Debug)]
pub(super) enum PoliciesAction {
    /// Show one policy's clauses, checks and thresholds.
    Show { id: String },
}

/// `confide policies [show <id>]`.
pub(super) fn policies(
    action: Option<PoliciesAction>,
    policies: &PolicySources,
    catalog: &Catalog,
) -> Result<i32, Failure> {
    match action {
        None => print(&list_policies(&policies.all(catalog)?)),
        Some(PoliciesAction::Show { id }) => print(&show_policy(&policies.resolve(&id, catalog)?)),
    }
}

/// The word a reader sees for a clause's severity (`explain` uses it too).
pub(super) fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Required => "required",
        Severity::Recommended => "recommended",
    }
}

fn list_policies(policies: &[Policy]) -> String {
    policies
        .iter()
        .map(|p| {
            format!(
                "{:<24} {} ({} clauses; {})\n",
                p.id,
                p.title,
                p.clauses.len(),
                p.origin.display()
            )
        })
        .collect()
}

fn show_policy(p: &Policy) -> String {
    let mut out = format!(
        "{}\n{} — {}\nid {} · sha256 {}\n",
        p.title, p.publisher, p.version, p.id, p.sha256
    );
    if let Some(url) = &p.url {
        out.push_str(&format!("{url}\n"));
    }
    out.push_str(&format!("source: {}\n\n", p.source));
    for c in &p.clauses {
        out.push_str(&format!(
            "[{}] {} ({})\n  \"{}\"\n",
            c.id,
            c.section,
            severity_word(c.severity),
            c.quote
        ));
        if c.checks.is_empty() {
            out.push_str("  checks: none yet (not assessed)\n");
        } else {
            out.push_str(&format!("  checks: {}\n", c.checks.join(", ")));
        }
        if let Some(part) = &c.not_assessed {
            out.push_str(&format!("  not assessed: {part}\n"));
        }
    }
    if !p.thresholds.is_empty() {
        out.push_str("\nThresholds:\n");
        for t in &p.thresholds {
            out.push_str(&format!("  {}.{} = {} — {}\n", t.check, t.name, t.value, t.basis));
        }
    }
    out
}
