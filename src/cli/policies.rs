//! `confide policies` and `confide policies show <id>`: the guidance documents confide knows.

use clap::Subcommand;

use super::Failure;
use super::output::print;
use crate::catalog::Catalog;
use crate::checks::ThresholdValue;
use crate::checks::kit::ThresholdSpec;
use crate::policy::{Clause, Policy, PolicySources};
pub(super) use crate::report::terminal::severity_word;

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
        Some(PoliciesAction::Show { id }) => print(&crate::report::wrap::fill_page(
            &show_policy(&policies.resolve(&id, catalog)?, catalog),
            super::width::choose(true),
        )),
    }
}

/// A clause as `explain` and `policies show` print it: its quote (marked where cut or where
/// the source slips) and the document it comes from, under `indent`.
pub(super) fn clause_quote(c: &Clause, indent: &str) -> String {
    format!("{indent}{}\n{indent}— {}\n", c.marks.show(&c.quote), c.citation.line())
}

/// A threshold in plain words with its unit, what it does, and why it has this value; the key
/// a policy file sets it with comes last, for whoever writes policies.
pub(super) fn threshold_line(check: &str, spec: &ThresholdSpec, value: ThresholdValue, basis: Option<&str>) -> String {
    let mut out = format!("- {}: {} (`{check}.{}`)\n", spec.words(value), spec.meaning, spec.name);
    if let Some(basis) = basis {
        let basis = match basis.strip_prefix("Tool choice: ") {
            Some(rest) => format!("confide's choice, as the guidance sets no number: {rest}"),
            None => basis.to_string(),
        };
        out.push_str(&format!("  Why: {basis}\n"));
    }
    out
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

fn show_policy(p: &Policy, catalog: &Catalog) -> String {
    let mut out = format!(
        "{}\n{} — {}\nid {} · sha256 {}\n",
        p.title, p.publisher, p.version, p.id, p.sha256
    );
    if let Some(url) = &p.url {
        out.push_str(&format!("{url}\n"));
    }
    if let Some(source) = &p.source {
        out.push_str(&format!("Source: {source}\n"));
    }
    out.push('\n');
    for c in &p.clauses {
        out.push_str(&format!("[{}] {}: {}\n", c.id, severity_word(c.severity), c.section));
        out.push_str(&clause_quote(c, "  "));
        if c.checks.is_empty() {
            out.push_str("  Checked by: nothing yet (listed as not assessed)\n");
        } else {
            out.push_str(&format!("  Checked by: {}\n", c.checks.join(", ")));
        }
        if let Some(part) = &c.not_assessed {
            out.push_str(&format!("  Not assessed: {part}\n"));
        }
    }
    if !p.thresholds.is_empty() {
        out.push_str("\nThresholds:\n");
        for t in &p.thresholds {
            let spec = catalog
                .check(&t.check)
                .and_then(|c| c.thresholds().iter().find(|s| s.name == t.name).copied());
            match spec {
                Some(spec) => out.push_str(&threshold_line(&t.check, &spec, t.value, Some(&t.basis))),
                None => out.push_str(&format!("- {}.{} = {}\n  Why: {}\n", t.check, t.name, t.value, t.basis)),
            }
        }
    }
    out
}
