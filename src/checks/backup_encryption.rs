//! ## What it checks
//! Where this computer's backups go and whether they are encrypted: Time Machine destinations
//! and their last known encryption state on macOS; whether File History is set up on Windows;
//! Déjà Dup's settings on GNOME desktops.
//!
//! ## Why it matters
//! A backup is a second copy of every client note. On an unencrypted drive, anyone who picks it
//! up can read them; with no backup at all, the notes exist only on this computer.
//!
//! ## What it cannot see
//! Backup programs other than these (Backblaze, OneDrive, restic or borg run by hand or from a
//! timer: whether their repository is encrypted is known only to them, with its passphrase),
//! whether a Windows File History drive is encrypted unless confide runs as administrator
//! (`manage-bde` answers no one else), whether a network folder File History backs up to is
//! encrypted, and whether Déjà Dup's backups have a password (Déjà Dup does not record it in its
//! settings).

pub mod file_history;

use super::CheckContext;
use super::kit::{BuiltinCheck, ScanTime, Verdict};
use crate::probe::gsettings::{self, GValue};
use crate::probe::macos_defaults::{self, Defaults};
use crate::system::{FileRead, System};

pub struct BackupEncryption;

crate::limits! {
    /// What the policy may tune.
    pub struct Limits {
        /// Tool choice: the guidance asks that client notes be kept safe, and a single copy is
        /// lost with the computer; a policy for a practice that keeps no notes on the computer
        /// may turn this off.
        require_backup: Switch = true, "warn when no backup is set up (client notes exist only on this computer)";
    }
}

crate::reasons! {
    /// Why the verdict is what it is (`backup-encryption.<code>`).
    pub enum Reason {
        NotEncrypted: Fail "not-encrypted" => "A backup destination is not encrypted: anyone holding it can read the copies of client notes on it.",
        Encrypted: Pass "encrypted" => "Every backup destination confide can see is encrypted.",
        NoBackup: Warn "no-backup" => "No backup is set up that confide can see: client notes exist only on this computer.",
        NoBackupAllowed: Pass "no-backup-allowed" => "No backup is set up, and the policy does not ask for one.",
        EncryptionUnknown: Unknown "encryption-unknown" => "A backup is set up, but whether it is encrypted could not be read.",
        Unreadable: Unknown "unreadable" => "Whether a backup is set up could not be read.",
    }
}

/// One place backups go.
#[derive(Debug, Clone, PartialEq)]
pub struct Destination {
    /// As the OS names it (`Backup`, `File History`, `Déjà Dup (local)`).
    pub name: String,
    pub encryption: Encryption,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Encryption {
    Encrypted,
    NotEncrypted,
    /// Could not be told; the text says why.
    Unknown(String),
}

/// What the machine said.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// Backups are set up, to these destinations.
    Destinations(Vec<Destination>, Vec<String>),
    /// No backup is set up; the evidence says what was looked at.
    None(Vec<String>),
    /// Could not be read; why.
    Unreadable(Vec<String>),
}

impl BuiltinCheck for BackupEncryption {
    const ID: &'static str = "backup-encryption";
    type Limits = Limits;
    type Reason = Reason;
    type Reading = Reading;

    fn read(&self, ctx: &CheckContext<'_>) -> Reading {
        super::kit::per_os(ctx.system, macos, windows, linux)
    }

    fn judge(&self, reading: Reading, limits: &Limits, _: ScanTime) -> Verdict<Reason> {
        judge(reading, limits)
    }
}

/// An unencrypted destination fails even when another could not be read; all encrypted passes;
/// none set up warns unless the policy allows it.
pub fn judge(reading: Reading, limits: &Limits) -> Verdict<Reason> {
    match reading {
        Reading::Unreadable(evidence) => Verdict::new(
            Reason::Unreadable,
            match evidence.first() {
                Some(why) => format!("Could not tell whether this computer is backed up: {why}."),
                None => "Could not tell whether this computer is backed up.".to_string(),
            },
        )
        .with_evidence(evidence),
        Reading::None(evidence) if limits.require_backup.get() => Verdict::new(
            Reason::NoBackup,
            "No backup is set up that confide can see, so your client notes exist only on this computer: set up an encrypted backup.",
        )
        .with_evidence(evidence),
        Reading::None(evidence) => Verdict::new(
            Reason::NoBackupAllowed,
            "No backup is set up; your policy does not ask for one.",
        )
        .with_evidence(evidence),
        Reading::Destinations(destinations, mut evidence) => {
            let names = |want: fn(&Encryption) -> bool| -> Vec<String> {
                destinations
                    .iter()
                    .filter(|d| want(&d.encryption))
                    .map(|d| d.name.clone())
                    .collect()
            };
            for d in &destinations {
                evidence.push(match &d.encryption {
                    Encryption::Encrypted => format!("{}: encrypted", d.name),
                    Encryption::NotEncrypted => format!("{}: not encrypted", d.name),
                    Encryption::Unknown(why) => format!("{}: encryption not known ({why})", d.name),
                });
            }
            let plain = names(|e| *e == Encryption::NotEncrypted);
            let unknown = names(|e| matches!(e, Encryption::Unknown(_)));
            if !plain.is_empty() {
                Verdict::new(
                    Reason::NotEncrypted,
                    format!(
                        "Your backup to {} is not encrypted: anyone who picks up that drive can read your client notes. Turn on encryption for it.",
                        crate::words::join_names(&plain)
                    ),
                )
            } else if !unknown.is_empty() {
                Verdict::new(
                    Reason::EncryptionUnknown,
                    format!(
                        "You back up to {}, but confide could not tell whether that backup is encrypted: check it yourself.",
                        crate::words::join_names(&unknown)
                    ),
                )
            } else if destinations.is_empty() {
                Verdict::new(Reason::Unreadable, "Could not tell where this computer is backed up.")
            } else {
                Verdict::new(
                    Reason::Encrypted,
                    format!(
                        "Your backup to {} is encrypted.",
                        crate::words::join_names(&names(|e| *e == Encryption::Encrypted))
                    ),
                )
            }
            .with_evidence(evidence)
        }
    }
}

// ---------------------------------------------------------------- macOS

/// Time Machine's settings, readable without administrator rights.
const TIME_MACHINE_PREFS: &str = "/Library/Preferences/com.apple.TimeMachine";

/// `tmutil destinationinfo` says whether Time Machine has destinations and names them; the Time
/// Machine preferences hold each destination's `LastKnownEncryptionState` (`Encrypted`,
/// `NotEncrypted`; CIS also accepts `FileVault`), matched to it by destination ID.
fn macos(system: &dyn System) -> Reading {
    let info = system.run("tmutil", &["destinationinfo"]);
    let text = format!("{}{}", info.stdout, info.stderr);
    if text.contains("No destinations configured") {
        return Reading::None(vec!["`tmutil destinationinfo`: no Time Machine destination is set up".into()]);
    }
    if !info.succeeded() {
        return Reading::Unreadable(vec![format!(
            "`tmutil destinationinfo` could not be read: {}",
            info.failure("tmutil").unwrap_or_else(|| "unexpected answer".into())
        )]);
    }
    let found = parse_destinationinfo(&info.stdout);
    if found.is_empty() {
        return Reading::Unreadable(vec!["`tmutil destinationinfo` named no destination".into()]);
    }
    let (states, why_unknown) = match macos_defaults::read(system, TIME_MACHINE_PREFS, "Destinations") {
        Defaults::Value(text) => (
            parse_encryption_states(&text),
            "the Time Machine preferences hold no LastKnownEncryptionState for it".to_string(),
        ),
        Defaults::NotSet => (Vec::new(), "the Time Machine preferences list no destinations".to_string()),
        Defaults::Unexpected(why) => (Vec::new(), format!("the Time Machine preferences could not be read: {why}")),
    };
    let evidence = vec![format!(
        "`tmutil destinationinfo`: {}",
        crate::words::count(found.len() as u64, "Time Machine destination")
    )];
    let destinations = found
        .iter()
        .map(|(name, id)| {
            // Matched by ID; a single destination with a single state needs no ID, but two IDs
            // that differ are two disks, never one.
            let state = states
                .iter()
                .find(|(sid, _)| sid.is_some() && sid == id)
                .or_else(|| {
                    (found.len() == 1 && states.len() == 1 && (id.is_none() || states[0].0.is_none()))
                        .then(|| &states[0])
                })
                .map(|(_, state)| state.as_str());
            Destination {
                name: format!("the Time Machine disk \"{name}\""),
                encryption: match state {
                    Some("Encrypted" | "FileVault") => Encryption::Encrypted,
                    Some("NotEncrypted") => Encryption::NotEncrypted,
                    Some(other) => Encryption::Unknown(format!("LastKnownEncryptionState is `{other}`")),
                    None => Encryption::Unknown(why_unknown.clone()),
                },
            }
        })
        .collect();
    Reading::Destinations(destinations, evidence)
}

/// Each destination in `tmutil destinationinfo`: its `Name` and `ID` (blocks separated by a line
/// of `=`; fields `Name`, `Kind`, `URL`, `Mount Point`, `ID`, padded before ` : `).
pub fn parse_destinationinfo(stdout: &str) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for line in stdout.lines() {
        let Some((key, value)) = line.split_once(" : ") else { continue };
        match key.trim() {
            "Name" => out.push((value.trim().to_string(), None)),
            "ID" => {
                if let Some(last) = out.last_mut() {
                    last.1 = Some(value.trim().to_string());
                }
            }
            _ => {}
        }
    }
    out
}

/// Each destination dictionary's `DestinationID` and `LastKnownEncryptionState` in
/// `defaults read … Destinations` (an old-style property list: `{ Key = Value; … }`, one
/// dictionary per destination). Only dictionaries with a state are kept.
pub fn parse_encryption_states(stdout: &str) -> Vec<(Option<String>, String)> {
    let value = |line: &str, key: &str| -> Option<String> {
        let rest = line.trim().strip_prefix(key)?;
        let v = rest.trim_start().strip_prefix('=')?.trim().trim_end_matches(';').trim();
        Some(v.trim_matches('"').to_string())
    };
    stdout
        .split('}')
        .filter_map(|dict| {
            let state = dict.lines().find_map(|l| value(l, "LastKnownEncryptionState"))?;
            let id = dict.lines().find_map(|l| value(l, "DestinationID"));
            Some((id, state))
        })
        .collect()
}

// ---------------------------------------------------------------- Windows

/// File History keeps its configuration under the user's local app data; the folder exists once
/// it has been turned on, and its Config1.xml names the target ([`file_history`]).
fn windows(system: &dyn System) -> Reading {
    let Some(local) = system.env("LOCALAPPDATA") else {
        return Reading::Unreadable(vec!["LOCALAPPDATA is not set, so File History's settings could not be found".into()]);
    };
    let folder = format!(
        "{}\\Microsoft\\Windows\\FileHistory\\Configuration",
        local.trim_end_matches('\\')
    );
    match system.read_file(&folder) {
        FileRead::Directory => {
            let mut evidence = vec![format!("File History is set up ({folder} exists)")];
            let destination = file_history::destination(system, &folder, &mut evidence);
            Reading::Destinations(vec![destination], evidence)
        }
        FileRead::Missing => Reading::None(vec![format!(
            "File History has never been set up ({folder} does not exist)"
        )]),
        FileRead::Contents(_) => Reading::Unreadable(vec![format!("{folder} is a file, not a folder")]),
        FileRead::Unreadable(why) => Reading::Unreadable(vec![format!("{folder} could not be read: {why}")]),
    }
}

// ---------------------------------------------------------------- Linux

/// Déjà Dup (GNOME's backup tool) records where it backs up (`backend`) and when it last did
/// (`last-backup`, empty before the first backup). It does not record whether the backup has a
/// password, so a Déjà Dup backup is never a pass.
fn linux(system: &dyn System) -> Reading {
    let get = |key: &str| gsettings::parse(&system.run("gsettings", &["get", "org.gnome.DejaDup", key]));
    let last = match get("last-backup") {
        GValue::Str(last) => last,
        GValue::Failed(why) if why.contains("not installed") => {
            return Reading::Unreadable(vec![format!(
                "{why}; confide reads backups on Linux only from Déjà Dup's settings"
            )]);
        }
        GValue::Failed(why) if why.contains("No such schema") => {
            return Reading::Unreadable(vec![
                "Déjà Dup (the Backups app) is not installed, and on Linux confide can see only backups made with it".into(),
                format!("`gsettings get org.gnome.DejaDup last-backup`: {why}"),
            ]);
        }
        other => {
            let why = match other {
                GValue::Failed(why) => why,
                value => format!("unexpected value {value:?}"),
            };
            return Reading::Unreadable(vec![format!(
                "Déjà Dup's settings could not be read ({why}); on Linux confide can see only backups made with Déjà Dup"
            )]);
        }
    };
    if last.is_empty() {
        return Reading::None(vec![
            "`gsettings get org.gnome.DejaDup last-backup` is empty: Déjà Dup has never made a backup".into(),
        ]);
    }
    let backend = match get("backend") {
        GValue::Str(backend) => backend,
        _ => "unknown".into(),
    };
    Reading::Destinations(
        vec![Destination {
            name: format!("Déjà Dup ({backend})"),
            encryption: Encryption::Unknown(
                "Déjà Dup does not record in its settings whether its backups have a password".into(),
            ),
        }],
        vec![format!("Déjà Dup last backed up at {last}")],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    #[test]
    fn an_unencrypted_destination_fails_even_beside_an_unknown_one() {
        let d = |e| Destination {
            name: "x".into(),
            encryption: e,
        };
        let r = |v| Reading::Destinations(v, vec![]);
        let l = Limits::default();
        assert_eq!(
            judge(r(vec![d(Encryption::Unknown("?".into())), d(Encryption::NotEncrypted)]), &l).status(),
            Status::Fail
        );
        assert_eq!(judge(r(vec![d(Encryption::Encrypted)]), &l).status(), Status::Pass);
        assert_eq!(
            judge(r(vec![d(Encryption::Encrypted), d(Encryption::Unknown("?".into()))]), &l).status(),
            Status::Unknown
        );
        assert_eq!(judge(r(vec![]), &l).status(), Status::Unknown);
        assert_eq!(judge(Reading::None(vec![]), &l).status(), Status::Warn);
        let lenient = Limits {
            require_backup: crate::checks::kit::Switch(false),
        };
        assert_eq!(judge(Reading::None(vec![]), &lenient).reason, Reason::NoBackupAllowed);
    }
}
