//! Windows: BitLocker on the system drive, as `manage-bde -status` reports it (needs an
//! administrator).

use super::{Reading, Reason, Unreadable, done, first_line, parse_percent, ran, shown, unknown};
use crate::checks::kit::Verdict;
use crate::system::{CommandOutput, System};

/// `manage-bde` exits with WBEM_E_ACCESS_DENIED (0x80041003) when not elevated, on every display
/// language (tests/fixtures/windows/disk-encryption/manage-bde-no-admin.toml).
const ACCESS_DENIED_EXIT: i32 = 0x8004_1003_u32 as i32;

/// What `manage-bde -status C:` says about one volume.
#[derive(Debug, Clone, PartialEq)]
pub enum BitLocker {
    Volume {
        conversion: Conversion,
        protection: Protection,
        percent: Option<f64>,
        /// The deciding lines, as printed.
        lines: Vec<String>,
    },
    NeedsAdmin,
    /// The English labels were not found.
    NotEnglish,
    /// The drive has no `Volume X:` section.
    VolumeNotListed,
    /// Anything else: what was seen.
    Unexpected(String),
}

/// `Conversion Status:` values.
#[derive(Debug, Clone, PartialEq)]
pub enum Conversion {
    /// `Fully Encrypted` or `Used Space Only Encrypted`.
    Encrypted,
    /// `Encryption in Progress`; also `Encryption Paused`.
    Encrypting,
    /// `Fully Decrypted`.
    Decrypted,
    /// `Decryption in Progress` or `Decryption Paused`.
    Decrypting,
    Other(String),
}

/// `Protection Status:` values.
#[derive(Debug, Clone, PartialEq)]
pub enum Protection {
    On,
    /// `Protection Off`, also with a `(N reboots left)` suffix after `Suspend-BitLocker`.
    Off,
    Other(String),
}

/// Parses `manage-bde -status C:` (needs elevation) and picks the block of `drive`. Layout from
/// real samples (tests/fixtures/windows/disk-encryption; CRLF and LF both accepted):
///
/// ```text
/// BitLocker Drive Encryption: Configuration Tool version 10.0.26100
/// Copyright (C) 2013 Microsoft Corporation. All rights reserved.
///
/// Volume C: []
/// [OS Volume]
///
///     Size:                 118.16 GB
///     BitLocker Version:    2.0
///     Conversion Status:    Encryption in Progress
///     Percentage Encrypted: 99.0%
///     Encryption Method:    XTS-AES 128
///     Protection Status:    Protection Off
///     Lock Status:          Unlocked
/// ```
///
/// Without elevation it prints `ERROR: An attempt to access a required resource was denied.`
/// and exits 0x80041003. Labels are translated on other display languages; without the English
/// `Conversion Status` label the answer is [`BitLocker::NotEnglish`], never a guess.
/// `Fully Encrypted`, `Used Space Only Encrypted`, `Fully Decrypted`, `Encryption in Progress`
/// and `Protection On`/`Off` are seen in real samples. `Decryption in Progress`, `Encryption
/// Paused` and `Decryption Paused` are Microsoft's conversion states (GetConversionStatus) in
/// manage-bde's wording, unverified: they lead to warn or fail, never to a pass.
pub fn parse_manage_bde(out: &CommandOutput, drive: &str) -> BitLocker {
    let text = format!("{}\n{}", out.stdout, out.stderr);
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let denied = lines
        .iter()
        .any(|l| l.contains("An attempt to access a required resource was denied"));
    if out.status == Some(ACCESS_DENIED_EXIT) || denied {
        return BitLocker::NeedsAdmin;
    }
    if out.status != Some(0) {
        return BitLocker::Unexpected(format!(
            "exit status {}: {}",
            out.status.map_or("(signal)".into(), |s| s.to_string()),
            error_line(out)
        ));
    }
    if lines.iter().any(|l| l.trim_start().starts_with("ERROR")) {
        return BitLocker::Unexpected(error_line(out));
    }
    if out.stdout.trim().is_empty() {
        return BitLocker::Unexpected("no output".to_string());
    }
    let Some(block) = volume_block(&lines, drive) else {
        return if lines.iter().any(|l| label_value(l, "Conversion Status").is_some()) {
            BitLocker::VolumeNotListed
        } else {
            BitLocker::NotEnglish
        };
    };
    let field = |label: &str| block.iter().find_map(|l| label_value(l, label));
    let Some(conversion_text) = field("Conversion Status") else {
        return BitLocker::NotEnglish;
    };
    let conversion = match conversion_text.as_str() {
        "Fully Encrypted" | "Used Space Only Encrypted" => Conversion::Encrypted,
        "Encryption in Progress" | "Encryption Paused" => Conversion::Encrypting,
        "Fully Decrypted" => Conversion::Decrypted,
        "Decryption in Progress" | "Decryption Paused" => Conversion::Decrypting,
        other => Conversion::Other(other.to_string()),
    };
    let protection_text = field("Protection Status").unwrap_or_default();
    let protection = if protection_text == "Protection On" {
        Protection::On
    } else if protection_text.starts_with("Protection Off") {
        Protection::Off
    } else {
        Protection::Other(protection_text.clone())
    };
    let percent_text = field("Percentage Encrypted");
    let mut shown = vec![format!("Conversion Status: {conversion_text}")];
    if let Some(p) = &percent_text {
        shown.push(format!("Percentage Encrypted: {p}"));
    }
    shown.push(format!("Protection Status: {protection_text}"));
    BitLocker::Volume {
        conversion,
        protection,
        percent: percent_text.as_deref().and_then(parse_percent),
        lines: shown,
    }
}

/// The lines of the `Volume C: [label]` section: up to the next unindented `Volume ` line.
fn volume_block<'a>(lines: &[&'a str], drive: &str) -> Option<Vec<&'a str>> {
    let heading = format!("volume {}", drive.to_ascii_lowercase());
    let is_heading = |l: &str| {
        let l = l.to_ascii_lowercase();
        l.strip_prefix(&heading)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    let start = lines.iter().position(|l| is_heading(l))?;
    let rest = &lines[start + 1..];
    let end = rest.iter().position(|l| l.starts_with("Volume ")).unwrap_or(rest.len());
    Some(rest[..end].to_vec())
}

/// The `ERROR: …` line manage-bde printed, or its first line when there is none (a translated
/// error may not start with `ERROR`).
fn error_line(out: &CommandOutput) -> String {
    [&out.stdout, &out.stderr]
        .iter()
        .flat_map(|s| s.lines())
        .map(str::trim)
        .find(|l| l.starts_with("ERROR"))
        .map_or_else(|| first_line(out), str::to_string)
}

/// `    Label:   value` → `value`, for an indented line with this exact label.
fn label_value(line: &str, label: &str) -> Option<String> {
    let (name, value) = line.split_once(':')?;
    (line.starts_with(' ') && name.trim() == label).then(|| value.trim().to_string())
}

/// The system drive from `SystemDrive` (`C:` when unset), or `None` when it is not a drive letter.
fn system_drive(system: &dyn System) -> Option<String> {
    let value = system.env("SystemDrive").unwrap_or_else(|| "C:".to_string());
    let drive = value.trim().trim_end_matches('\\').to_ascii_uppercase();
    let mut chars = drive.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some(':'), None) if c.is_ascii_alphabetic())
        .then_some(drive)
}

/// Asks `manage-bde -status` about the drive Windows runs from, and keeps the deciding lines.
pub(super) fn read(system: &dyn System) -> Reading {
    let Some(drive) = system_drive(system) else {
        return Reading::Unreadable(Unreadable::new(
            Reason::UnexpectedOutput,
            "Windows did not say which drive it runs from.",
            vec![format!(
                "environment variable SystemDrive = {:?}",
                system.env("SystemDrive").unwrap_or_default()
            )],
        ));
    };
    let args = ["-status", drive.as_str()];
    let out = system.run("manage-bde", &args);
    let out = match ran(&out, "manage-bde", &args) {
        Ok(out) => out,
        Err(why) => return Reading::Unreadable(why),
    };
    let cmd = format!("`{}`", shown("manage-bde", &args));
    let answer = parse_manage_bde(out, &drive);
    let evidence = match &answer {
        BitLocker::NeedsAdmin => vec![format!(
            "{cmd}: {} (exit status {})",
            error_line(out),
            out.status.map_or("(signal)".into(), |s| s.to_string())
        )],
        BitLocker::NotEnglish => vec![format!("{cmd}: no English `Conversion Status` label for drive {drive}")],
        BitLocker::VolumeNotListed => vec![format!("{cmd}: no `Volume {drive}` section")],
        BitLocker::Unexpected(what) => vec![format!("{cmd}: {what}")],
        BitLocker::Volume { lines, .. } => lines.iter().map(|l| format!("{cmd}: {l}")).collect(),
    };
    Reading::BitLocker {
        drive,
        answer,
        evidence,
    }
}

/// What manage-bde's answer about `drive` means for the practitioner.
pub(super) fn verdict(drive: &str, answer: BitLocker) -> Verdict<Reason> {
    match answer {
        BitLocker::NeedsAdmin => unknown(
            Reason::NeedsAdmin,
            "Windows shows BitLocker's status only to an administrator. Run `confide scan` from an elevated terminal (right-click Start, choose Terminal (Admin)).",
        ),
        BitLocker::NotEnglish => unknown(
            Reason::NotEnglish,
            format!(
                "the output is not in English; confide reads only the English wording of manage-bde. Check Settings › Privacy & security › Device encryption (or Control Panel › BitLocker Drive Encryption) for drive {drive} yourself."
            ),
        ),
        BitLocker::VolumeNotListed => unknown(
            Reason::UnexpectedOutput,
            format!("manage-bde did not list drive {drive}."),
        ),
        BitLocker::Unexpected(_) => unknown(
            Reason::UnexpectedOutput,
            "manage-bde said something confide does not recognise.",
        ),
        BitLocker::Volume {
            conversion,
            protection,
            percent,
            ..
        } => volume_verdict(drive, &conversion, &protection, percent),
    }
}

/// The verdict for one volume's conversion and protection status.
fn volume_verdict(
    drive: &str,
    conversion: &Conversion,
    protection: &Protection,
    percent: Option<f64>,
) -> Verdict<Reason> {
    match (conversion, protection) {
        (Conversion::Encrypted, Protection::On) => Verdict::new(
            Reason::Encrypted,
            format!("BitLocker is on: drive {drive}, where Windows runs, is encrypted."),
        ),
        (Conversion::Encrypted, Protection::Off) => Verdict::new(
            Reason::Suspended,
            format!(
                "Drive {drive} is encrypted, but BitLocker protection is off (suspended, or waiting to be activated), so the key is stored unprotected on the disk: resume protection."
            ),
        ),
        (Conversion::Encrypting, _) => Verdict::new(
            Reason::Encrypting,
            format!(
                "BitLocker is encrypting drive {drive}{}: keep the computer plugged in until it finishes.",
                done(percent)
            ),
        ),
        (Conversion::Decrypted, _) => Verdict::new(
            Reason::NotEncrypted,
            format!(
                "BitLocker is off: drive {drive}, where Windows runs, is not encrypted, so anyone who takes this computer can read your clients' notes."
            ),
        ),
        (Conversion::Decrypting, _) => Verdict::new(
            Reason::Decrypting,
            format!(
                "BitLocker is being turned off: drive {drive} is being decrypted{}.",
                done(percent)
            ),
        ),
        (Conversion::Other(_), _) | (Conversion::Encrypted, Protection::Other(_)) => unknown(
            Reason::UnexpectedOutput,
            "manage-bde reported a BitLocker state confide does not recognise.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    fn bde(stdout: &str) -> CommandOutput {
        CommandOutput {
            status: Some(0),
            stdout: stdout.to_string(),
            ..Default::default()
        }
    }

    /// The encrypting fixture's layout with the values of the suspended state described in the
    /// Windows NOTES.md. NOT a real sample: no full suspended output was found.
    const SUSPENDED: &str = "Volume C: []\r\n[OS Volume]\r\n\r\n    Conversion Status:    Fully Encrypted\r\n    Percentage Encrypted: 100.0%\r\n    Protection Status:    Protection Off (1 reboots left)\r\n    Key Protectors:\r\n        TPM\r\n\r\n";

    #[test]
    fn bitlocker_suspended_with_crlf_is_a_warning() {
        let parsed = parse_manage_bde(&bde(SUSPENDED), "C:");
        let BitLocker::Volume {
            conversion,
            protection,
            percent,
            ..
        } = &parsed
        else {
            panic!("{parsed:?}")
        };
        assert_eq!(
            (conversion, protection, *percent),
            (&Conversion::Encrypted, &Protection::Off, Some(100.0))
        );
        assert_eq!(
            volume_verdict("C:", conversion, protection, *percent).status(),
            Status::Warn
        );
    }

    #[test]
    fn bitlocker_states_without_a_fixture_are_never_a_pass() {
        // NOT real output: the fixture layout with Microsoft's other conversion states.
        for (value, status) in [
            ("Decryption in Progress", Status::Fail),
            ("Encryption Paused", Status::Warn),
            ("Something New", Status::Unknown),
        ] {
            let text = format!(
                "Volume C: []\n    Conversion Status:    {value}\n    Percentage Encrypted: 40,5%\n    Protection Status:    Protection On\n"
            );
            let BitLocker::Volume {
                conversion,
                protection,
                percent,
                ..
            } = parse_manage_bde(&bde(&text), "C:")
            else {
                panic!("{value}")
            };
            assert_eq!(percent, Some(40.5));
            assert_eq!(
                volume_verdict("C:", &conversion, &protection, percent).status(),
                status,
                "{value}"
            );
        }
    }

    #[test]
    fn bitlocker_localized_labels_are_not_guessed() {
        // NOT real output: German-looking labels, to prove translated output is not read.
        let text = "Volume C: [OS]\n    Konvertierungsstatus: Vollständig verschlüsselt\n    Schutzstatus: Der Schutz ist aktiviert.\n";
        assert_eq!(parse_manage_bde(&bde(text), "C:"), BitLocker::NotEnglish);
        assert_eq!(parse_manage_bde(&bde("Datenträger C:\n"), "C:"), BitLocker::NotEnglish);
    }
}
