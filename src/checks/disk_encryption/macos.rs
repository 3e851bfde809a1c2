//! macOS: FileVault, as `fdesetup status` reports it (no administrator needed).

use super::{Reading, Reason, Unreadable, done, first_line, parse_percent, ran, unknown};
use crate::checks::kit::Verdict;
use crate::system::System;

const FDESETUP_STATUS: [&str; 1] = ["status"];

/// What `fdesetup status` says.
#[derive(Debug, Clone, PartialEq)]
pub enum FileVault {
    On,
    Off,
    /// `Encryption in progress: …`, with the percentage when it was readable.
    Encrypting(Option<f64>),
    /// `Decryption in progress: …`.
    Decrypting(Option<f64>),
    /// `Deferred enablement appears to be active for user '…'.`
    Deferred,
    /// `FileVault is On, but needs to be restarted to finish.` and similar: the line as printed.
    RestartPending(String),
    /// Anything else: the line that was not understood.
    Unexpected(String),
}

/// Parses `fdesetup status` (no admin needed). Samples (tests/fixtures/macos/disk-encryption,
/// each with its source):
///
/// ```text
/// FileVault is On.
/// ```
/// ```text
/// FileVault is Off.
/// Deferred enablement appears to be active for user 'name'.
/// ```
///
/// During a conversion no byte-exact real sample exists: admin tools (munkireport, Crypt) match
/// only the prefixes `Encryption in progress:` and `Decryption in progress:`, and a Jamf comment
/// shows `Encryption in progress: percent completed = ##.##` (or `: Pending` on battery). So the
/// prefixes decide, the number after `=` is read when there is one, and the headline is not
/// trusted while a conversion runs. `FileVault is On, but needs to be restarted to finish.` and
/// `FileVault is Off, but will be enabled after the next restart.` are matched literally by
/// munkireport; they are read as "waiting for a restart", never as on. The extra line
/// `FileVault master keychain appears to be installed.` is allowed. Any other line makes the whole
/// answer unexpected.
pub fn parse_fdesetup_status(stdout: &str) -> FileVault {
    let lines: Vec<&str> = stdout.lines().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    let after_equals = |line: &str| line.split_once('=').and_then(|(_, n)| parse_percent(n));
    let starts = |line: &str, prefix: &str| line.to_ascii_lowercase().starts_with(&prefix.to_ascii_lowercase());
    if let Some(line) = lines.iter().find(|l| starts(l, "Decryption in progress")) {
        return FileVault::Decrypting(after_equals(line));
    }
    if let Some(line) = lines.iter().find(|l| starts(l, "Encryption in progress")) {
        return FileVault::Encrypting(after_equals(line));
    }
    if lines
        .iter()
        .any(|l| starts(l, "Deferred enablement appears to be active"))
    {
        return FileVault::Deferred;
    }
    let mut headline = None;
    for line in &lines {
        match *line {
            "FileVault is On." | "FileVault is Off." if headline.is_none() => headline = Some(*line),
            l if l.starts_with("FileVault is On, but") || l.starts_with("FileVault is Off, but") => {
                return FileVault::RestartPending(l.to_string());
            }
            "FileVault master keychain appears to be installed." => {}
            other => return FileVault::Unexpected(other.to_string()),
        }
    }
    match headline {
        Some("FileVault is On.") => FileVault::On,
        Some(_) => FileVault::Off,
        None => FileVault::Unexpected("(no output)".to_string()),
    }
}

/// Asks `fdesetup status` and keeps the line that decides, for evidence.
pub(super) fn read(system: &dyn System) -> Reading {
    let out = system.run("fdesetup", &FDESETUP_STATUS);
    let out = match ran(&out, "fdesetup", &FDESETUP_STATUS) {
        Ok(out) => out,
        Err(why) => return Reading::Unreadable(why),
    };
    let cmd = "`fdesetup status`";
    if !out.succeeded() {
        return Reading::Unreadable(Unreadable::new(
            Reason::UnexpectedOutput,
            "`fdesetup status` reported an error.",
            vec![format!(
                "{cmd} exited with {}: {}",
                out.status.map_or("a signal".into(), |s| s.to_string()),
                first_line(out)
            )],
        ));
    }
    let status = parse_fdesetup_status(&out.stdout);
    let seen = match &status {
        FileVault::On => "FileVault is On.".to_string(),
        FileVault::Off => "FileVault is Off.".to_string(),
        FileVault::Encrypting(_) => conversion_line(&out.stdout, "Encryption in progress"),
        FileVault::Decrypting(_) => conversion_line(&out.stdout, "Decryption in progress"),
        FileVault::Deferred => conversion_line(&out.stdout, "Deferred enablement"),
        FileVault::RestartPending(line) => line.clone(),
        FileVault::Unexpected(line) => format!("unrecognised line `{line}`"),
    };
    Reading::FileVault {
        status,
        evidence: vec![format!("{cmd}: {seen}")],
    }
}

/// What FileVault's state means for the practitioner.
pub(super) fn verdict(status: FileVault) -> Verdict<Reason> {
    match status {
        FileVault::On => Verdict::new(Reason::Encrypted, "FileVault is on: this Mac's disk is encrypted."),
        FileVault::Off => Verdict::new(
            Reason::NotEncrypted,
            "FileVault is off: anyone who takes this Mac can read your clients' notes from its disk.",
        ),
        FileVault::Encrypting(percent) => Verdict::new(
            Reason::Encrypting,
            format!(
                "FileVault is encrypting this Mac's disk{}: keep the Mac plugged in until it finishes.",
                done(percent)
            ),
        ),
        FileVault::Decrypting(percent) => Verdict::new(
            Reason::Decrypting,
            format!(
                "FileVault is being turned off: this Mac's disk is being decrypted{}.",
                done(percent)
            ),
        ),
        FileVault::Deferred => Verdict::new(
            Reason::Pending,
            "FileVault is set to turn on the next time you log out, but it is not protecting the disk yet: log out or restart to finish.",
        ),
        FileVault::RestartPending(_) => Verdict::new(
            Reason::Pending,
            "FileVault is waiting for a restart to finish a change: restart the Mac, then run `confide scan` again.",
        ),
        FileVault::Unexpected(_) => unknown(
            Reason::UnexpectedOutput,
            "`fdesetup status` said something confide does not recognise.",
        ),
    }
}

/// The line of `stdout` that starts with `prefix` (any case), for evidence.
fn conversion_line(stdout: &str, prefix: &str) -> String {
    stdout
        .lines()
        .map(str::trim)
        .find(|l| l.to_ascii_lowercase().starts_with(&prefix.to_ascii_lowercase()))
        .unwrap_or(prefix)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NOT real output: no byte-exact sample of a conversion exists (see the macOS NOTES.md).
    /// These strings follow the prefixes real admin tools match, to prove a conversion is never
    /// read as on, whatever the headline says and whatever the number looks like.
    #[test]
    fn filevault_conversions_are_never_on() {
        let cases = [
            (
                "FileVault is On.\nEncryption in progress: Percent completed = 42\n",
                FileVault::Encrypting(Some(42.0)),
            ),
            (
                "FileVault is On.\nEncryption in progress: percent completed = 12.34\n",
                FileVault::Encrypting(Some(12.34)),
            ),
            (
                "FileVault is On.\nEncryption in progress: Pending\n",
                FileVault::Encrypting(None),
            ),
            (
                "FileVault is On.\nDecryption in progress: Percent completed = 12.0\n",
                FileVault::Decrypting(Some(12.0)),
            ),
            (
                "FileVault is Off.\nDecryption in progress: Percent completed = 3\n",
                FileVault::Decrypting(Some(3.0)),
            ),
            (
                "FileVault is On, but needs to be restarted to finish.\n",
                FileVault::RestartPending("FileVault is On, but needs to be restarted to finish.".into()),
            ),
        ];
        for (stdout, expected) in cases {
            assert_eq!(parse_fdesetup_status(stdout), expected, "{stdout:?}");
        }
    }

    #[test]
    fn filevault_unknown_lines_are_unexpected() {
        for stdout in ["", "FileVault ist an.\n", "FileVault is On.\nSomething new.\n"] {
            assert!(
                matches!(parse_fdesetup_status(stdout), FileVault::Unexpected(_)),
                "{stdout:?}"
            );
        }
        assert_eq!(
            parse_fdesetup_status("FileVault master keychain appears to be installed.\nFileVault is On.\n"),
            FileVault::On
        );
    }
}
