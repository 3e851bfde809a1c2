//! `confide explain <id>`: one check's words, where it runs, and the guidance and thresholds
//! behind it in the default policy.

use super::Failure;
use super::checks::os_list;
use super::policies::{clause_quote, severity_word, threshold_line};
use crate::catalog::{Catalog, CheckWords};
use crate::checks::ReasonInfo;
use crate::policy::Policy;
use crate::report::terminal::FIX_HEADING;
use crate::status::Status;

/// `confide explain`.
pub(super) fn explain(id: &str, catalog: &Catalog, policy: &Policy) -> Result<String, Failure> {
    let check = catalog.check(id).ok_or_else(|| {
        Failure::Usage(format!(
            "unknown check id `{id}`; known checks: {}",
            catalog.ids().join(", ")
        ))
    })?;
    let words = catalog.words(id);
    let mut out = String::new();
    let title = words.map(|w| w.title.as_str()).unwrap_or(id);
    out.push_str(&format!("{title} ({id})\n\n"));
    if let Some(w) = words {
        push_words(&mut out, w, check.is_declarative(), &check.reasons());
    }
    out.push_str(&format!("\n## Runs on\n{}\n", os_list(check.supported_os())));
    push_findings(&mut out, id, &check.reasons());
    let clauses: Vec<_> = policy.clauses_for(id).collect();
    if !clauses.is_empty() {
        out.push_str(&format!("\n## Guidance ({})\n", policy.id));
        for c in clauses {
            out.push_str(&format!("- {} ({}):\n", c.id, severity_word(c.severity)));
            out.push_str(&clause_quote(c, "  "));
        }
    }
    if !check.thresholds().is_empty() {
        out.push_str(&format!("\n## Thresholds ({})\n", policy.id));
        for spec in check.thresholds() {
            let set = policy.thresholds.iter().find(|t| t.check == id && t.name == spec.name);
            let value = set.map_or(spec.default, |t| t.value);
            out.push_str(&threshold_line(id, spec, value, set.map(|t| t.basis.as_str())));
        }
    }
    Ok(out)
}

/// Every finding the check can give, worst first, each with its stable code for scripts.
fn push_findings(out: &mut String, id: &str, reasons: &[ReasonInfo]) {
    if reasons.is_empty() {
        return;
    }
    out.push_str("\n## Possible findings\n");
    for status in Status::WORST_FIRST {
        for r in reasons.iter().filter(|r| r.status == status) {
            out.push_str(&format!("- {status}: {} ({id}.{})\n", r.meaning, r.code));
        }
    }
    out.push_str(
        "Any check can also be skipped (turned off, or not for this system) or unknown (it ran out of time).\n",
    );
}

/// What it checks, why it matters, and the fix steps for every OS the words cover.
fn push_words(out: &mut String, w: &CheckWords, declarative: bool, reasons: &[ReasonInfo]) {
    out.push_str(&format!(
        "## What it checks\n{}\n\n## Why it matters\n{}\n\n## {FIX_HEADING}\n",
        w.what, w.why
    ));
    let everywhere = (!w.fix_all.is_empty()).then_some((String::new(), &w.fix_all));
    for (os, steps) in w
        .fix
        .iter()
        .map(|(os, steps)| (format!(" on {os}"), steps))
        .chain(everywhere)
    {
        out.push_str(&format!("{FIX_HEADING}{os}:\n"));
        for (n, step) in steps.iter().enumerate() {
            out.push_str(&format!("  {}. {step}\n", n + 1));
        }
    }
    for (code, per_os) in &w.fix_reason {
        let when = reasons
            .iter()
            .find(|r| r.code == code)
            .map_or(code.as_str(), |r| r.meaning);
        for (os, steps) in per_os {
            let when = lower_first(when);
            out.push_str(&format!("{FIX_HEADING} on {os} when {}:\n", when.trim_end_matches('.')));
            for (n, step) in steps.iter().enumerate() {
                out.push_str(&format!("  {}. {step}\n", n + 1));
            }
        }
    }
    if declarative {
        out.push_str(&format!("\nDeclared in {}.\n", w.origin.display()));
    }
}

/// "The list…" → "the list…", so a reason's meaning reads on after "when"; names keep theirs.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    // A name keeps its capital: `ClamAV…`, `FileVault…` (a capital inside the word) or a
    // one-capital product name; `The backup…` becomes `the backup…`.
    const NAMES: [&str; 16] = [
        "Microsoft",
        "Windows",
        "Defender",
        "Apple",
        "Google",
        "Amazon",
        "Siri",
        "Alexa",
        "Cortana",
        "Zoom",
        "Skype",
        "Sonos",
        "Linux",
        "Debian",
        "Fedora",
        "Ubuntu",
    ];
    let first = s.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    let name = first.chars().skip(1).any(char::is_uppercase) || NAMES.contains(&first);
    match chars.next() {
        Some(c) if !name => c.to_lowercase().chain(chars).collect(),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::lower_first;

    #[test]
    fn a_meaning_reads_on_after_when_and_names_keep_their_capitals() {
        assert_eq!(
            lower_first("The backup is not encrypted."),
            "the backup is not encrypted."
        );
        assert_eq!(lower_first("A broad exclusion."), "a broad exclusion.");
        assert_eq!(lower_first("ClamAV scans nothing."), "ClamAV scans nothing.");
        assert_eq!(lower_first("FileVault is off."), "FileVault is off.");
        assert_eq!(lower_first("Windows Update waits."), "Windows Update waits.");
        assert_eq!(
            lower_first("Defender's exclusions are hidden."),
            "Defender's exclusions are hidden."
        );
    }
}
