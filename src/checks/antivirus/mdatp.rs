//! Microsoft Defender for Endpoint on Linux and macOS, through its command-line tool `mdatp`
//! (the same program and answers on both): whether it protects, how old its definitions are,
//! and the places it has been told not to scan.

use jiff::Timestamp;

use super::exclusions::{Exclusions, PROCESS_PREFIX};
use super::{Definitions, Product, Protection, Survey, last_error_line};
use crate::system::{OsFamily, RunOutcome, System};

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


/// The kinds of exclusion `mdatp` lists, as printed after `Excluded `.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MdatpKind {
    Folder,
    File,
    Extension,
    Process,
}

impl MdatpKind {
    /// The kind a header names, and the field that holds its value. Only `folder` with `Path`
    /// is in a real sample; the others follow Microsoft's option names (`--path`, `--name`) and a
    /// third-party parser's example (`Process name`), and anything else is not read.
    fn from_header(kind: &str) -> Option<(MdatpKind, &'static [&'static str])> {
        match kind.trim().to_lowercase().as_str() {
            "folder" => Some((MdatpKind::Folder, &["Path"])),
            "file" => Some((MdatpKind::File, &["Path"])),
            "extension" | "file extension" => Some((MdatpKind::Extension, &["Extension", "Name"])),
            "process" => Some((MdatpKind::Process, &["Process name", "Path"])),
            _ => None,
        }
    }
}

/// One entry of `mdatp exclusion list`.
#[derive(Debug, Clone, PartialEq)]
pub struct MdatpExclusion {
    pub kind: MdatpKind,
    /// The path, extension or process name.
    pub value: String,
}

/// An entry being read: its kind, the fields its value may be in, the value once seen.
type Open = (MdatpKind, &'static [&'static str], Option<String>);

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
/// Blank lines and lines of only `=` or `-` (said to separate entries) end an entry. `Err` with
/// the first line confide cannot place (a kind or field it does not know, a field outside an
/// entry, an entry without its value): an answer not read whole is not read at all, since a
/// line skipped could be the exclusion that matters.
pub fn parse_mdatp_exclusions(stdout: &str) -> Result<Vec<MdatpExclusion>, String> {
    let mut entries = Vec::new();
    let mut open: Option<Open> = None;
    let close = |open: &mut Option<Open>, entries: &mut Vec<MdatpExclusion>| -> Result<(), String> {
        match open.take() {
            Some((kind, _, Some(value))) => {
                entries.push(MdatpExclusion { kind, value });
                Ok(())
            }
            Some((kind, fields, None)) => Err(format!("an entry ({kind:?}) without its {}", fields.join(" or "))),
            None => Ok(()),
        }
    };
    for line in stdout.lines().map(str::trim) {
        if line.is_empty() || line.chars().all(|c| c == '=' || c == '-') {
            close(&mut open, &mut entries)?;
            continue;
        }
        if let Some(kind) = line.strip_prefix("Excluded ") {
            close(&mut open, &mut entries)?;
            let (kind, fields) = MdatpKind::from_header(kind).ok_or_else(|| crate::words::excerpt(line, 80))?;
            open = Some((kind, fields, None));
            continue;
        }
        let unknown = || crate::words::excerpt(line, 80);
        let (key, value) = line.split_once(": ").ok_or_else(unknown)?;
        let Some((_, fields, seen)) = open.as_mut() else {
            return Err(unknown());
        };
        let value = value.trim().trim_matches('"').trim();
        if key == "Scope" {
            continue;
        }
        if !fields.contains(&key) || seen.is_some() || value.is_empty() {
            return Err(unknown());
        }
        *seen = Some(value.to_string());
    }
    close(&mut open, &mut entries)?;
    Ok(entries)
}

/// The exclusions as the places and files they leave unscanned: a folder or file by its path,
/// an extension as `*.ext`, a process as the files it opens.
fn places(entries: Vec<MdatpExclusion>) -> Vec<String> {
    entries
        .into_iter()
        .map(|e| match e.kind {
            MdatpKind::Folder | MdatpKind::File => e.value,
            MdatpKind::Extension => match e.value.trim_start_matches('*').trim_start_matches('.') {
                "" | "*" => "*".to_string(),
                ext => format!("*.{ext}"),
            },
            MdatpKind::Process => format!("{PROCESS_PREFIX}{}", e.value),
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
            "`mdatp exclusion list` printed nothing, and confide cannot yet tell whether that means nothing is excluded. Run it yourself in Terminal: if it shows no folder, file type or program, nothing is excluded".into(),
        ),
        Ok(entries) => {
            let root = if system.os().family == OsFamily::Macos { "/Users" } else { "/home" };
            let home = super::linux::home(system, root);
            let mut notes = super::linux::note_folders(system, &home);
            notes.insert(0, home);
            Exclusions::ListedAround {
                paths: places(entries),
                notes,
            }
        }
        Err(line) => Exclusions::Unreadable(format!(
            "`mdatp exclusion list` answered in a way confide cannot read whole (at \"{line}\"). Run it yourself in Terminal and look for a whole drive, your home folder, Documents, Desktop, a document file type or a word processor"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_by_kind_with_quotes_scopes_and_separators() {
        let text = "Excluded folder\nPath: \"/var/www/atrocore/vendor\"\nScope: [\"epp\"]\n---\nExcluded process\nProcess name: nikto\nScope: [\"global\"]\n=====\n";
        let entries = parse_mdatp_exclusions(text).unwrap();
        assert_eq!(places(entries), ["/var/www/atrocore/vendor", "files opened by nikto"]);
        let ext = parse_mdatp_exclusions("Excluded file extension\nExtension: \".docx\"\n").unwrap();
        assert_eq!(places(ext), ["*.docx"]);
        let every = parse_mdatp_exclusions("Excluded extension\nExtension: *\n").unwrap();
        assert_eq!(places(every), ["*"]);
        assert_eq!(parse_mdatp_exclusions("").unwrap(), []);
    }

    #[test]
    fn a_line_it_cannot_place_makes_the_whole_answer_unread() {
        for text in [
            "No exclusions configured",
            "Path: \"/home\"",
            "Excluded folder\nScope: [\"epp\"]",
            "Excluded filepath\nPath: \"/home/sam/\"",
            "Excluded folder:\nPath: \"/home/sam/\"",
            "Excluded folder\nIs directory: true\nPath: \"/home/sam/\"",
            "Excluded folder\nPath: \"/srv\"\n---\nType: folder\nPath: \"/home/sam/\"",
            "Excluded folder\nPath: \"/srv\"\nNote: exclusions managed by your organization are not shown",
            "Excluded folder\nPath: \"/srv\"\nPath: \"/home/sam\"",
            "Excluded folder\nPath: \"\"",
        ] {
            assert!(parse_mdatp_exclusions(text).is_err(), "{text:?}");
        }
    }
}
