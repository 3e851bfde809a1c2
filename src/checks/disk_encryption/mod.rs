//! ## What it checks
//! Whether the disk the operating system runs from is encrypted: FileVault on macOS, BitLocker
//! on the Windows system drive, and on Linux a LUKS/dm-crypt layer under `/` (and under `/home`
//! and swap where those are separate).
//!
//! ## Why it matters
//! A lost or stolen laptop with an unencrypted disk gives up every note, letter and recording on
//! it to anyone who takes the disk out. Other tools give false passes here (any encrypted USB
//! stick, "could not query" shown as fine); this check looks at the **system volume** only and
//! never passes on output it does not recognise.
//!
//! ## What it cannot see
//! Hardware self-encrypting drives (OPAL), ZFS native encryption, fscrypt and systemd-homed homes
//! on Linux, and any Windows encryption product other than BitLocker: those read as not encrypted
//! or unknown, never as a pass.

use super::CheckContext;
use super::kit::{BuiltinCheck, ScanTime, Verdict};
use crate::system::{CommandOutput, RunOutcome};

pub mod linux;
pub mod macos;
pub mod windows;

pub use linux::{
    BlockDevice, SwapArea, chains_to, ecryptfs_mounts, is_encrypted, parse_findmnt_source, parse_lsblk, parse_swaps,
};
pub use macos::{FileVault, parse_fdesetup_status};
pub use windows::{BitLocker, Conversion, Protection, parse_manage_bde};

pub struct DiskEncryption;

crate::reasons! {
    /// The state of the system volume's encryption, the same words on every OS
    /// (`disk-encryption.<code>`). Only `encrypted` passes, so no OS can turn an unrecognised
    /// answer into a pass.
    pub enum Reason {
        Encrypted: Pass "encrypted" => "The disk the system runs from is encrypted and protected.",
        Encrypting: Warn "encrypting" => "The system disk is being encrypted (or encryption is paused part-way): it is not yet protected.",
        Suspended: Warn "suspended" => "The system disk is encrypted, but its key is stored in the clear: BitLocker protection is suspended or waiting to be activated.",
        Pending: Warn "pending" => "Encryption is turned on but waits for a logout or restart to start or finish.",
        HomeOnly: Warn "home-only" => "The home folder is encrypted, but the system disk, which can hold copies of notes, is not.",
        SwapNotEncrypted: Warn "swap-not-encrypted" => "The system disk is encrypted, but a swap area on disk, where parts of memory are written, is not.",
        HomeNotEncrypted: Fail "home-not-encrypted" => "The system disk is encrypted, but a separate /home, where files are kept, is not.",
        NotEncrypted: Fail "not-encrypted" => "The disk the system runs from is not encrypted.",
        Decrypting: Fail "decrypting" => "Encryption is being turned off: the system disk is being decrypted.",
        ToolMissing: Unknown "tool-missing" => "The program that reports disk encryption is not on this computer.",
        NeedsAdmin: Unknown "needs-admin" => "The operating system shows disk encryption only to an administrator.",
        NotEnglish: Unknown "not-english" => "The encryption tool answered in another language, and its labels are not guessed.",
        RootDeviceNotFound: Unknown "root-device-not-found" => "The device the system runs from could not be found.",
        UnexpectedOutput: Unknown "unexpected-output" => "The encryption tool said something confide does not recognise.",
    }
}

/// What the OS said about the system volume, parsed but not yet judged.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// macOS: `fdesetup status`.
    FileVault { status: FileVault, evidence: Vec<String> },
    /// Windows: `manage-bde -status` for the system drive.
    BitLocker {
        drive: String,
        answer: BitLocker,
        evidence: Vec<String>,
    },
    /// Linux: the disks under `/`, `/home` and swap.
    Linux { disks: linux::Disks, evidence: Vec<String> },
    /// No answer that could be parsed.
    Unreadable(Unreadable),
}

/// Why the OS's answer could not be had or parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    /// One of the `Unknown` reasons.
    pub reason: Reason,
    /// Finishes the sentence "Could not tell whether this computer's disk is encrypted: …".
    pub detail: String,
    pub evidence: Vec<String>,
}

impl Unreadable {
    fn new(reason: Reason, detail: impl Into<String>, evidence: Vec<String>) -> Self {
        Unreadable {
            reason,
            detail: detail.into(),
            evidence,
        }
    }
}

impl BuiltinCheck for DiskEncryption {
    const ID: &'static str = "disk-encryption";
    type Limits = ();
    type Reason = Reason;
    type Reading = Reading;

    fn read(&self, ctx: &CheckContext<'_>) -> Reading {
        super::kit::per_os(ctx.system, macos::read, windows::read, linux::read)
    }

    fn judge(&self, reading: Reading, _: &(), _: ScanTime) -> Verdict<Reason> {
        judge(reading)
    }
}

/// The verdict: each OS's answer decides the reason, and what was seen is always shown.
pub fn judge(reading: Reading) -> Verdict<Reason> {
    let (verdict, mut evidence) = match reading {
        Reading::FileVault { status, evidence } => (macos::verdict(status), evidence),
        Reading::BitLocker {
            drive,
            answer,
            evidence,
        } => (windows::verdict(&drive, answer), evidence),
        Reading::Linux { disks, evidence } => (linux::verdict(&disks), evidence),
        Reading::Unreadable(u) => (unknown(u.reason, u.detail), u.evidence),
    };
    if evidence.is_empty() {
        evidence.push("nothing could be read".to_string());
    }
    verdict.with_evidence(evidence)
}

/// "Could not tell" with the reason; `detail` finishes the sentence.
fn unknown(reason: Reason, detail: impl AsRef<str>) -> Verdict<Reason> {
    Verdict::new(
        reason,
        format!(
            "Could not tell whether this computer's disk is encrypted: {}",
            detail.as_ref()
        ),
    )
}

/// `program args…` as shown in evidence.
fn shown(program: &str, args: &[&str]) -> String {
    std::iter::once(program)
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first non-empty line of stdout, else of stderr, for evidence when an output is not
/// understood.
fn first_line(out: &CommandOutput) -> String {
    [&out.stdout, &out.stderr]
        .iter()
        .flat_map(|s| s.lines())
        .map(|l| l.trim())
        .find(|l| !l.is_empty())
        .unwrap_or("(no output)")
        .to_string()
}

/// Turns a run that did not end normally into why, or gives back the output to parse. Any
/// exit status is parsed (these tools report state through it); the evidence line is the one
/// every check writes for a run that failed (`CommandOutput::failure`), naming the arguments.
fn ran<'a>(out: &'a CommandOutput, program: &str, args: &[&str]) -> Result<&'a CommandOutput, Unreadable> {
    let (reason, headline) = match out.outcome() {
        RunOutcome::Exited { .. } => return Ok(out),
        RunOutcome::Missing => (Reason::ToolMissing, format!("`{program}` is not available on this computer.")),
        RunOutcome::TimedOut => (Reason::UnexpectedOutput, format!("`{program}` did not answer in time.")),
        RunOutcome::Failed(_) => (Reason::UnexpectedOutput, format!("`{program}` could not be started.")),
    };
    let detail = out.failure(&shown(program, args)).unwrap_or_default();
    Err(Unreadable::new(reason, headline, vec![detail]))
}

/// A percentage read from `42`, `42.5`, `99.0%` or the localized `100,0%`.
fn parse_percent(text: &str) -> Option<f64> {
    let number = text.trim().trim_end_matches('%').trim().replace(',', ".");
    number.parse::<f64>().ok().filter(|p| (0.0..=100.0).contains(p))
}

/// ` (42% done)`, or nothing when the percentage was not given.
fn done(percent: Option<f64>) -> String {
    percent.map_or(String::new(), |p| format!(" ({}% done)", format_percent(p)))
}

fn format_percent(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::kit::Reason as _;
    use crate::status::Status;

    #[test]
    fn every_state_has_its_status_and_only_encrypted_passes() {
        use Status::{Fail, Pass, Warn};
        let cases = [
            (Reason::Encrypted, Pass),
            (Reason::Encrypting, Warn),
            (Reason::Suspended, Warn),
            (Reason::Pending, Warn),
            (Reason::HomeOnly, Warn),
            (Reason::SwapNotEncrypted, Warn),
            (Reason::HomeNotEncrypted, Fail),
            (Reason::NotEncrypted, Fail),
            (Reason::Decrypting, Fail),
            (Reason::NeedsAdmin, Status::Unknown),
            (Reason::NotEnglish, Status::Unknown),
            (Reason::ToolMissing, Status::Unknown),
            (Reason::RootDeviceNotFound, Status::Unknown),
            (Reason::UnexpectedOutput, Status::Unknown),
        ];
        assert_eq!(cases.len(), Reason::ALL.len());
        for (reason, status) in cases {
            let out = judge(Reading::Unreadable(Unreadable::new(reason, "s", vec![]))).into_outcome("disk-encryption");
            assert_eq!(out.status, status, "{reason:?}");
            assert!(out.reason.starts_with("disk-encryption."));
            assert!(!out.evidence.is_empty());
        }
    }
}
