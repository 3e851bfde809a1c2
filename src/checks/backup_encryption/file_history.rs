//! Windows File History: where it backs up to, from its own settings file, and whether that
//! drive is encrypted, from `manage-bde` (which answers only an administrator).
//!
//! File History keeps its settings in `%LOCALAPPDATA%\Microsoft\Windows\FileHistory\Configuration\Config1.xml`
//! (Config2.xml beside it), readable by the user. Its `<Target>` names the target as
//! `<TargetUrl>`: a drive (`T:\`) or, for a network folder, the share's path (`\\server\share`).

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{Destination, Encryption};
use crate::checks::disk_encryption::windows::{BitLocker, Conversion, Protection, parse_manage_bde};
use crate::system::{FileRead, RunOutcome, System};

/// Where File History backs up to, as its settings name it.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A drive letter with its colon (`T:`).
    Drive(String),
    /// A network folder (`\\server\share`).
    Network(String),
    /// A TargetUrl of another shape, as written.
    Other(String),
}

/// The `<TargetUrl>` inside `<Target>`, wherever `<Target>` is in the document (only an excerpt
/// of a real file is public, so nothing is assumed about the elements around it). `Err` when
/// the XML is not well formed.
pub fn target_url(xml: &str) -> Result<Option<String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut url: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => path.push(e.local_name().as_ref().to_string()),
            Ok(Event::End(_)) => {
                if path.last().is_some_and(|n| n == "TargetUrl") && url.is_some() {
                    return Ok(url);
                }
                path.pop();
            }
            Ok(Event::Text(t)) if in_target_url(&path) => {
                let text = t.xml10_content();
                url.get_or_insert_with(String::new).push_str(&text);
            }
            Ok(Event::GeneralRef(r)) if in_target_url(&path) => {
                let name = r.xml10_content();
                let c = match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "apos" => "'",
                    "quot" => "\"",
                    other => return Err(format!("unexpected entity &{other}; in TargetUrl")),
                };
                url.get_or_insert_with(String::new).push_str(c);
            }
            Ok(Event::Eof) => return Ok(url),
            Ok(_) => {}
            Err(e) => return Err(format!("not well-formed XML at byte {}: {e}", reader.error_position())),
        }
    }
}

fn in_target_url(path: &[String]) -> bool {
    path.len() >= 2 && path[path.len() - 1] == "TargetUrl" && path[path.len() - 2] == "Target"
}

/// What a TargetUrl names: `\\` starts a network path; `X:` or `X:\` is a drive.
pub fn classify(url: &str) -> Target {
    let url = url.trim();
    if url.starts_with("\\\\") {
        return Target::Network(url.to_string());
    }
    let mut chars = url.chars();
    match (chars.next(), chars.next(), chars.as_str()) {
        (Some(c), Some(':'), "" | "\\") if c.is_ascii_alphabetic() => Target::Drive(format!("{}:", c.to_ascii_uppercase())),
        _ => Target::Other(url.to_string()),
    }
}

/// File History's destination, from its settings folder (which exists): the target, and for a
/// drive whether BitLocker protects it. Every answer short of `manage-bde` saying so is unknown.
pub fn destination(system: &dyn System, folder: &str, evidence: &mut Vec<String>) -> Destination {
    let unknown = |name: &str, why: String| Destination {
        name: name.to_string(),
        encryption: Encryption::Unknown(why),
    };
    let mut xml = None;
    for file in ["Config1.xml", "Config2.xml"] {
        let path = format!("{folder}\\{file}");
        match system.read_file(&path) {
            FileRead::Contents(text) => {
                xml = Some((path, text));
                break;
            }
            FileRead::Missing => {}
            FileRead::Directory => evidence.push(format!("{path} is a folder, not File History's settings")),
            FileRead::Unreadable(why) => evidence.push(format!("{path} could not be read: {why}")),
        }
    }
    let Some((path, xml)) = xml else {
        return unknown(
            "File History",
            format!("its settings file, Config1.xml or Config2.xml in {folder}, could not be read, so its drive is not known"),
        );
    };
    let url = match target_url(&xml) {
        Ok(Some(url)) => url,
        Ok(None) => return unknown("File History", format!("{path} names no target drive (no <TargetUrl>)")),
        Err(why) => return unknown("File History", format!("{path} could not be read: {why}")),
    };
    evidence.push(format!("File History backs up to {url} (its settings file {path})"));
    match classify(&url) {
        Target::Network(share) => unknown(
            &format!("the network folder {share} (File History)"),
            "a network folder: confide cannot see whether it is encrypted; ask whoever looks after it".into(),
        ),
        Target::Other(other) => unknown(
            &format!("{other} (File History)"),
            "its target is neither a drive nor a network folder confide recognises".into(),
        ),
        Target::Drive(drive) => drive_destination(system, &drive, evidence),
    }
}

/// BitLocker on the File History drive, as `manage-bde -status X:` reports it.
fn drive_destination(system: &dyn System, drive: &str, evidence: &mut Vec<String>) -> Destination {
    let out = system.run("manage-bde", &["-status", drive]);
    let name = format!("the drive {drive} (File History)");
    let encryption = if !matches!(out.outcome(), RunOutcome::Exited { .. }) {
        Encryption::Unknown(format!(
            "`manage-bde -status {drive}` could not be run: {}",
            out.failure("manage-bde").unwrap_or_else(|| "unexpected answer".into())
        ))
    } else {
        match parse_manage_bde(&out, drive) {
            BitLocker::Volume {
                conversion,
                protection,
                lines,
                ..
            } => {
                evidence.push(format!("`manage-bde -status {drive}`: {}", lines.join("; ")));
                match (conversion, protection) {
                    (Conversion::Encrypted, Protection::On) => Encryption::Encrypted,
                    (Conversion::Decrypted, _) => Encryption::NotEncrypted,
                    _ => Encryption::Unknown(format!("BitLocker on {drive} is neither fully on nor off: {}", lines.join("; "))),
                }
            }
            BitLocker::NeedsAdmin => Encryption::Unknown(format!(
                "whether drive {drive} is encrypted can only be read with administrator rights: run confide as administrator, or open Control Panel › BitLocker Drive Encryption and look at drive {drive}"
            )),
            BitLocker::NotEnglish => Encryption::Unknown(format!(
                "`manage-bde -status {drive}` answered in a display language confide does not read"
            )),
            BitLocker::VolumeNotListed => Encryption::Unknown(format!(
                "`manage-bde -status {drive}` did not list drive {drive} (is the drive plugged in?)"
            )),
            BitLocker::Unexpected(what) => Encryption::Unknown(format!("`manage-bde -status {drive}`: {what}")),
        }
    };
    Destination { name, encryption }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_urls_are_drives_or_network_folders() {
        assert_eq!(classify("T:\\"), Target::Drive("T:".into()));
        assert_eq!(classify("e:"), Target::Drive("E:".into()));
        assert_eq!(classify("\\\\nas\\backup"), Target::Network("\\\\nas\\backup".into()));
        assert_eq!(classify("T:\\FileHistory"), Target::Other("T:\\FileHistory".into()));
    }

    #[test]
    fn the_target_url_is_read_only_inside_target() {
        let xml = "<A><TargetUrl>X:\\</TargetUrl><Target><TargetName>n</TargetName><TargetUrl>\\\\nas\\a&amp;b</TargetUrl></Target></A>";
        assert_eq!(target_url(xml).unwrap().as_deref(), Some("\\\\nas\\a&b"));
        assert_eq!(target_url("<Target><TargetName>x</TargetName></Target>").unwrap(), None);
        assert!(target_url("<Target><TargetUrl>T:\\</Target>").is_err());
    }
}
