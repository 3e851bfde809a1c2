//! Microsoft Defender for Endpoint on Linux and macOS, through its command-line tool `mdatp`
//! (the same program and answers on both): whether it protects, how old its definitions are,
//! and the places it has been told not to scan.

use jiff::Timestamp;

use super::exclusions::Exclusions;
use super::{Definitions, Product, Protection, Survey, last_error_line};
use crate::system::{RunOutcome, System};

/// Parses the plain-text `mdatp health` (no real sample of `--output json` was found), one
/// `key<padding>: value` per line, strings quoted, managed settings suffixed ` [managed]`:
///
/// ```text
/// healthy                                     : true
/// real_time_protection_enabled                : true
/// passive_mode_enabled                        : false
/// definitions_updated                         : Aug 12, 2023 at 03:26:24 AM
/// definitions_updated_minutes_ago             : 159
/// definitions_status                          : "up_to_date"
/// ```
pub fn parse_mdatp_health(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            let key = key.trim();
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return None;
            }
            let value = value.trim();
            let value = value.strip_suffix("[managed]").unwrap_or(value).trim();
            Some((key.to_string(), value.trim_matches('"').to_string()))
        })
        .collect()
}

/// Microsoft Defender for Endpoint, where `mdatp` answers: its health, then its exclusions.
pub(super) fn read(system: &dyn System, survey: &mut Survey) {
    let out = system.run("mdatp", &["health"]);
    if matches!(out.outcome(), RunOutcome::Missing) {
        return;
    }
    let fields = parse_mdatp_health(&out.stdout);
    let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    if !out.succeeded() || get("real_time_protection_enabled").is_none() {
        survey.unreadable.push(format!(
            "`mdatp health` (Microsoft Defender for Endpoint) could not be read: {}",
            last_error_line(&out)
        ));
        return;
    }
    let protection = match (get("real_time_protection_enabled"), get("passive_mode_enabled")) {
        (_, Some("true")) => Protection::Off("it is in passive mode (passive_mode_enabled : true)".into()),
        (Some("true"), _) => Protection::On,
        (Some("false"), _) => {
            Protection::Off("real-time protection is off (real_time_protection_enabled : false)".into())
        }
        (other, _) => Protection::Unknown(format!(
            "unexpected real_time_protection_enabled `{}`",
            other.unwrap_or_default()
        )),
    };
    let now = system.now();
    let definitions = match get("definitions_updated_minutes_ago").map(str::parse::<i64>) {
        Some(Ok(minutes)) => Definitions::Dated(Timestamp::from_second(now.as_second() - minutes * 60).unwrap_or(now)),
        _ => match get("definitions_status") {
            Some("up_to_date") => Definitions::CurrentPerProduct,
            other => Definitions::Unknown(format!(
                "definitions_status `{}` and no definitions_updated_minutes_ago",
                other.unwrap_or_default()
            )),
        },
    };
    let mut product = Product::new("Microsoft Defender for Endpoint", false, protection, definitions);
    product.version = get("app_version").map(str::to_string);
    let shown: Vec<String> = [
        "healthy",
        "real_time_protection_enabled",
        "passive_mode_enabled",
        "definitions_updated",
        "definitions_updated_minutes_ago",
        "definitions_status",
    ]
    .iter()
    .filter_map(|k| get(k).map(|v| format!("{k} {v}")))
    .collect();
    product.evidence.push(format!("`mdatp health`: {}", shown.join(", ")));
    product.exclusions = exclusions(system);
    survey.products.push(product);
}


/// One entry of `mdatp exclusion list`: its kind as printed after `Excluded ` (`folder`,
/// `process`…) and its first value (the path, or the process name).
#[derive(Debug, Clone, PartialEq)]
pub struct MdatpExclusion {
    pub kind: String,
    pub value: String,
}

/// Parses `mdatp exclusion list`: each entry a line `Excluded <kind>` followed by `Key: value`
/// lines, values quoted or not, `Scope` a JSON list. The one real sample found (a how-to guide,
/// mdatp 101.26062 on Ubuntu 24.04) shows a single folder:
///
/// ```text
/// Excluded folder
/// Path: "/var/www/atrocore/vendor"
/// Scope: ["epp"]
/// ```
///
/// Lines of only `=` or `-` (said to separate entries) are skipped. `Err` with the first line of
/// another shape: an answer confide cannot read whole is not read at all.
pub fn parse_mdatp_exclusions(stdout: &str) -> Result<Vec<MdatpExclusion>, String> {
    let mut entries: Vec<MdatpExclusion> = Vec::new();
    let mut open = false;
    for line in stdout.lines().map(str::trim) {
        if line.is_empty() || line.chars().all(|c| c == '=' || c == '-') {
            continue;
        }
        if let Some(kind) = line.strip_prefix("Excluded ") {
            entries.push(MdatpExclusion {
                kind: kind.trim().to_lowercase(),
                value: String::new(),
            });
            open = true;
            continue;
        }
        let field = line.split_once(": ").filter(|(key, _)| !key.is_empty());
        match (field, entries.last_mut()) {
            (Some((key, _)), Some(_)) if open && key.trim().eq_ignore_ascii_case("scope") => {}
            (Some((_, value)), Some(entry)) if open && entry.value.is_empty() => {
                entry.value = value.trim().trim_matches('"').to_string();
            }
            (Some(_), Some(_)) if open => {}
            _ => return Err(crate::words::excerpt(line, 80)),
        }
    }
    match entries.iter().find(|e| e.value.is_empty()) {
        Some(e) => Err(format!("Excluded {} (with no path or name)", e.kind)),
        None => Ok(entries),
    }
}

/// The exclusions as places: a folder or file by its path, an extension as `*.ext` (judged
/// against the kinds of file notes are kept in), a process named for the evidence only.
fn places(entries: Vec<MdatpExclusion>) -> Vec<String> {
    entries
        .into_iter()
        .map(|e| match e.kind.as_str() {
            "folder" | "file" | "path" | "directory" => e.value,
            kind if kind.contains("extension") => format!("*.{}", e.value.trim_start_matches("*.").trim_start_matches('.')),
            kind => format!("{kind} {}", e.value),
        })
        .collect()
}

/// `mdatp exclusion list`, read whole or not at all. An empty answer is not taken as "none": no
/// real sample of that answer was found, so it cannot be told from one confide misread.
fn exclusions(system: &dyn System) -> Exclusions {
    let out = system.run("mdatp", &["exclusion", "list"]);
    if matches!(out.outcome(), RunOutcome::Missing) {
        return Exclusions::NotRead;
    }
    if !out.succeeded() {
        return Exclusions::Unreadable(format!("`mdatp exclusion list` could not be read: {}", last_error_line(&out)));
    }
    match parse_mdatp_exclusions(&out.stdout) {
        Ok(entries) if entries.is_empty() => Exclusions::Unreadable(
            "`mdatp exclusion list` listed none, and confide has no sample of its answer when nothing is excluded to tell that from one it misread".into(),
        ),
        Ok(entries) => Exclusions::Listed(places(entries)),
        Err(line) => Exclusions::Unreadable(format!("`mdatp exclusion list` answered in a form confide does not know (\"{line}\")")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_by_kind_with_quotes_scopes_and_separators() {
        let text = "Excluded folder\nPath: \"/var/www/atrocore/vendor\"\nScope: [\"epp\"]\n---\nExcluded process\nProcess name: nikto\nScope: [\"global\"]\n=====\n";
        let entries = parse_mdatp_exclusions(text).unwrap();
        assert_eq!(places(entries), ["/var/www/atrocore/vendor", "process nikto"]);
        let ext = parse_mdatp_exclusions("Excluded file extension\nExtension: \".docx\"\n").unwrap();
        assert_eq!(places(ext), ["*.docx"]);
        assert_eq!(parse_mdatp_exclusions("").unwrap(), []);
        assert!(parse_mdatp_exclusions("No exclusions configured").is_err());
        assert!(parse_mdatp_exclusions("Path: \"/home\"").is_err(), "a field before any entry");
        assert!(parse_mdatp_exclusions("Excluded folder\nScope: [\"epp\"]").is_err(), "an entry without its path");
    }
}
