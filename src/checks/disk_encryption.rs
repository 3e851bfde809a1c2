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

use serde::Deserialize;

use super::{Check, CheckContext, Outcome};
use crate::status::Status;
use crate::system::{CommandOutput, FileRead, OsFamily, RunOutcome, System};

pub struct DiskEncryption;

impl Check for DiskEncryption {
    fn id(&self) -> &str {
        "disk-encryption"
    }

    fn supported_os(&self) -> &[OsFamily] {
        &OsFamily::ALL
    }

    fn run(&self, ctx: &CheckContext<'_>) -> Outcome {
        let reading = match ctx.system.os().family {
            OsFamily::Macos => macos(ctx.system),
            OsFamily::Windows => windows(ctx.system),
            OsFamily::Linux => linux(ctx.system),
        };
        judge(reading)
    }
}

/// What the OS said about the system volume, in the words the practitioner will read.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub state: State,
    /// One sentence for the practitioner; the state decides the status.
    pub summary: String,
    /// What was seen: the command or file and the deciding line.
    pub evidence: Vec<String>,
}

/// The state of the system volume's encryption, the same words on every OS.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// Encrypted and protected.
    Encrypted,
    /// Being encrypted (or paused part-way): not yet protected.
    Encrypting,
    /// Encrypted, but the key is stored in the clear (BitLocker protection suspended or waiting
    /// for activation).
    Suspended,
    /// Turned on but waiting for a logout or restart to start.
    Pending,
    /// The system volume is not encrypted, but the home folder is.
    HomeOnly,
    /// The system volume is encrypted, a separate `/home` is not.
    HomeNotEncrypted,
    /// The system volume is encrypted, a swap area on disk is not.
    SwapNotEncrypted,
    /// Not encrypted.
    NotEncrypted,
    /// Being decrypted (encryption is being turned off).
    Decrypting,
    /// Could not tell; never shown as pass or fail.
    Unknown(Unknown),
}

/// Why the check could not tell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unknown {
    /// The program that reports encryption is not on this computer.
    ToolMissing,
    /// The OS shows encryption status only to an administrator.
    NeedsAdmin,
    /// The output is localized and its labels were not found.
    NotEnglish,
    /// The device `/` is mounted from could not be found.
    RootDeviceNotFound,
    /// Anything else the check does not recognise.
    UnexpectedOutput,
}

impl State {
    fn status_and_reason(&self) -> (Status, &'static str) {
        match self {
            State::Encrypted => (Status::Pass, "encrypted"),
            State::Encrypting => (Status::Warn, "encrypting"),
            State::Suspended => (Status::Warn, "suspended"),
            State::Pending => (Status::Warn, "pending"),
            State::HomeOnly => (Status::Warn, "home-only"),
            State::SwapNotEncrypted => (Status::Warn, "swap-not-encrypted"),
            State::HomeNotEncrypted => (Status::Fail, "home-not-encrypted"),
            State::NotEncrypted => (Status::Fail, "not-encrypted"),
            State::Decrypting => (Status::Fail, "decrypting"),
            State::Unknown(why) => (
                Status::Unknown,
                match why {
                    Unknown::ToolMissing => "tool-missing",
                    Unknown::NeedsAdmin => "needs-admin",
                    Unknown::NotEnglish => "not-english",
                    Unknown::RootDeviceNotFound => "root-device-not-found",
                    Unknown::UnexpectedOutput => "unexpected-output",
                },
            ),
        }
    }
}

impl Reading {
    fn new(state: State, summary: impl Into<String>, evidence: Vec<String>) -> Self {
        Reading {
            state,
            summary: summary.into(),
            evidence,
        }
    }

    /// "Could not tell" with the reason; `detail` finishes the sentence.
    fn unknown(why: Unknown, detail: impl AsRef<str>, evidence: Vec<String>) -> Self {
        Reading::new(
            State::Unknown(why),
            format!(
                "Could not tell whether this computer's disk is encrypted: {}",
                detail.as_ref()
            ),
            evidence,
        )
    }
}

/// The verdict: the state alone decides the status and the reason id, so no OS can turn an
/// unrecognised answer into a pass.
pub fn judge(reading: Reading) -> Outcome {
    let (status, reason) = reading.state.status_and_reason();
    let mut evidence = reading.evidence;
    if evidence.is_empty() {
        evidence.push("nothing could be read".to_string());
    }
    Outcome::new(status, format!("disk-encryption.{reason}"), reading.summary).with_evidence(evidence)
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

/// Turns a run that did not end normally into a reading, or gives back the output to parse.
fn ran<'a>(out: &'a CommandOutput, program: &str, args: &[&str]) -> Result<&'a CommandOutput, Reading> {
    let cmd = shown(program, args);
    match out.outcome() {
        RunOutcome::Exited { .. } => Ok(out),
        RunOutcome::Missing => Err(Reading::unknown(
            Unknown::ToolMissing,
            format!("`{program}` is not available on this computer."),
            vec![format!("`{cmd}`: program not found")],
        )),
        RunOutcome::TimedOut => Err(Reading::unknown(
            Unknown::UnexpectedOutput,
            format!("`{program}` did not answer in time."),
            vec![format!("`{cmd}` timed out")],
        )),
        RunOutcome::Failed(why) => Err(Reading::unknown(
            Unknown::UnexpectedOutput,
            format!("`{program}` could not be started."),
            vec![format!("`{cmd}` could not be started: {why}")],
        )),
    }
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

// ---------------------------------------------------------------- macOS

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

fn macos(system: &dyn System) -> Reading {
    let out = system.run("fdesetup", &FDESETUP_STATUS);
    let out = match ran(&out, "fdesetup", &FDESETUP_STATUS) {
        Ok(out) => out,
        Err(reading) => return reading,
    };
    let cmd = "`fdesetup status`";
    if !out.succeeded() {
        return Reading::unknown(
            Unknown::UnexpectedOutput,
            "`fdesetup status` reported an error.",
            vec![format!(
                "{cmd} exited with {}: {}",
                out.status.map_or("a signal".into(), |s| s.to_string()),
                first_line(out)
            )],
        );
    }
    let evidence = |what: &str| vec![format!("{cmd}: {what}")];
    match parse_fdesetup_status(&out.stdout) {
        FileVault::On => Reading::new(
            State::Encrypted,
            "FileVault is on: this Mac's disk is encrypted.",
            evidence("FileVault is On."),
        ),
        FileVault::Off => Reading::new(
            State::NotEncrypted,
            "FileVault is off: anyone who takes this Mac can read your clients' notes from its disk.",
            evidence("FileVault is Off."),
        ),
        FileVault::Encrypting(percent) => Reading::new(
            State::Encrypting,
            format!(
                "FileVault is encrypting this Mac's disk{}: keep the Mac plugged in until it finishes.",
                done(percent)
            ),
            evidence(&conversion_line(&out.stdout, "Encryption in progress")),
        ),
        FileVault::Decrypting(percent) => Reading::new(
            State::Decrypting,
            format!(
                "FileVault is being turned off: this Mac's disk is being decrypted{}.",
                done(percent)
            ),
            evidence(&conversion_line(&out.stdout, "Decryption in progress")),
        ),
        FileVault::Deferred => Reading::new(
            State::Pending,
            "FileVault is set to turn on the next time you log out, but it is not protecting the disk yet: log out or restart to finish.",
            evidence(&conversion_line(&out.stdout, "Deferred enablement")),
        ),
        FileVault::RestartPending(line) => Reading::new(
            State::Pending,
            "FileVault is waiting for a restart to finish a change: restart the Mac, then run `confide scan` again.",
            evidence(&line),
        ),
        FileVault::Unexpected(line) => Reading::unknown(
            Unknown::UnexpectedOutput,
            "`fdesetup status` said something confide does not recognise.",
            evidence(&format!("unrecognised line `{line}`")),
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

// ---------------------------------------------------------------- Windows

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

fn windows(system: &dyn System) -> Reading {
    let Some(drive) = system_drive(system) else {
        return Reading::unknown(
            Unknown::UnexpectedOutput,
            "Windows did not say which drive it runs from.",
            vec![format!(
                "environment variable SystemDrive = {:?}",
                system.env("SystemDrive").unwrap_or_default()
            )],
        );
    };
    let args = ["-status", drive.as_str()];
    let out = system.run("manage-bde", &args);
    let out = match ran(&out, "manage-bde", &args) {
        Ok(out) => out,
        Err(reading) => return reading,
    };
    let cmd = format!("`{}`", shown("manage-bde", &args));
    match parse_manage_bde(out, &drive) {
        BitLocker::NeedsAdmin => Reading::unknown(
            Unknown::NeedsAdmin,
            "Windows shows BitLocker's status only to an administrator. Run `confide scan` from an elevated terminal (right-click Start, choose Terminal (Admin)).",
            vec![format!(
                "{cmd}: {} (exit status {})",
                error_line(out),
                out.status.map_or("(signal)".into(), |s| s.to_string())
            )],
        ),
        BitLocker::NotEnglish => Reading::unknown(
            Unknown::NotEnglish,
            format!(
                "the output is not in English; confide reads only the English wording of manage-bde. Check Settings › Privacy & security › Device encryption (or Control Panel › BitLocker Drive Encryption) for drive {drive} yourself."
            ),
            vec![format!("{cmd}: no English `Conversion Status` label for drive {drive}")],
        ),
        BitLocker::VolumeNotListed => Reading::unknown(
            Unknown::UnexpectedOutput,
            format!("manage-bde did not list drive {drive}."),
            vec![format!("{cmd}: no `Volume {drive}` section")],
        ),
        BitLocker::Unexpected(what) => Reading::unknown(
            Unknown::UnexpectedOutput,
            "manage-bde said something confide does not recognise.",
            vec![format!("{cmd}: {what}")],
        ),
        BitLocker::Volume {
            conversion,
            protection,
            percent,
            lines,
        } => {
            let evidence = lines.iter().map(|l| format!("{cmd}: {l}")).collect();
            bitlocker_reading(&drive, &conversion, &protection, percent, evidence)
        }
    }
}

/// The reading for one volume's conversion and protection status.
fn bitlocker_reading(
    drive: &str,
    conversion: &Conversion,
    protection: &Protection,
    percent: Option<f64>,
    evidence: Vec<String>,
) -> Reading {
    match (conversion, protection) {
        (Conversion::Encrypted, Protection::On) => Reading::new(
            State::Encrypted,
            format!("BitLocker is on: drive {drive}, where Windows runs, is encrypted."),
            evidence,
        ),
        (Conversion::Encrypted, Protection::Off) => Reading::new(
            State::Suspended,
            format!(
                "Drive {drive} is encrypted, but BitLocker protection is off (suspended, or waiting to be activated), so the key is stored unprotected on the disk: resume protection."
            ),
            evidence,
        ),
        (Conversion::Encrypting, _) => Reading::new(
            State::Encrypting,
            format!(
                "BitLocker is encrypting drive {drive}{}: keep the computer plugged in until it finishes.",
                done(percent)
            ),
            evidence,
        ),
        (Conversion::Decrypted, _) => Reading::new(
            State::NotEncrypted,
            format!(
                "BitLocker is off: drive {drive}, where Windows runs, is not encrypted, so anyone who takes this computer can read your clients' notes."
            ),
            evidence,
        ),
        (Conversion::Decrypting, _) => Reading::new(
            State::Decrypting,
            format!(
                "BitLocker is being turned off: drive {drive} is being decrypted{}.",
                done(percent)
            ),
            evidence,
        ),
        (Conversion::Other(_), _) | (Conversion::Encrypted, Protection::Other(_)) => Reading::unknown(
            Unknown::UnexpectedOutput,
            "manage-bde reported a BitLocker state confide does not recognise.",
            evidence,
        ),
    }
}

// ---------------------------------------------------------------- Linux

const FINDMNT_ROOT: [&str; 3] = ["-no", "SOURCE", "/"];
const LSBLK: [&str; 3] = ["--json", "-o", "NAME,TYPE,FSTYPE,MOUNTPOINTS,PKNAME"];
/// For util-linux before 2.37, which has no MOUNTPOINTS column.
const LSBLK_OLD: [&str; 3] = ["--json", "-o", "NAME,TYPE,FSTYPE,MOUNTPOINT,PKNAME"];

/// One block device from `lsblk --json`, with the devices stacked on it.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockDevice {
    pub name: String,
    /// lsblk's TYPE: `disk`, `part`, `crypt`, `lvm`, `loop`, `raid1`…
    pub kind: String,
    /// Mount points; `[SWAP]` for active swap.
    pub mountpoints: Vec<String>,
    pub children: Vec<BlockDevice>,
}

#[derive(Deserialize)]
struct LsblkJson {
    blockdevices: Vec<LsblkDevice>,
}

#[derive(Deserialize)]
struct LsblkDevice {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    mountpoints: Vec<Option<String>>,
    #[serde(default)]
    mountpoint: Option<String>,
    #[serde(default)]
    children: Vec<LsblkDevice>,
}

impl From<LsblkDevice> for BlockDevice {
    fn from(d: LsblkDevice) -> Self {
        BlockDevice {
            name: d.name,
            kind: d.kind,
            mountpoints: d.mountpoints.into_iter().chain([d.mountpoint]).flatten().collect(),
            children: d.children.into_iter().map(BlockDevice::from).collect(),
        }
    }
}

/// Parses `lsblk --json -o NAME,TYPE,FSTYPE,MOUNTPOINTS,PKNAME` (util-linux 2.38, captured):
///
/// ```text
/// {
///    "blockdevices": [
///       {
///          "name": "nvme0n1p3",
///          "type": "part",
///          "fstype": "crypto_LUKS",
///          "mountpoints": [
///              null
///          ],
///          "pkname": "nvme0n1",
///          "children": [
///             {
///                "name": "dm_crypt-0",
///                "type": "crypt",
/// ```
///
/// `mountpoints` is an array (`[null]` when nothing is mounted); util-linux before 2.37 prints
/// `"mountpoint": "/"` (a string or null) instead; both are read. FSTYPE is not used: lsblk reads
/// it from udev and prints null without udev, while TYPE `crypt` comes from the kernel.
pub fn parse_lsblk(stdout: &str) -> Result<Vec<BlockDevice>, String> {
    serde_json::from_str::<LsblkJson>(stdout)
        .map(|j| j.blockdevices.into_iter().map(BlockDevice::from).collect())
        .map_err(|e| format!("not the JSON lsblk prints ({e})"))
}

/// Parses `findmnt -no SOURCE /` into the device path, without the btrfs subvolume suffix:
/// `/dev/vda` → `/dev/vda`; `/dev/loop4[/@]` → `/dev/loop4` (both captured);
/// `/dev/mapper/luks-…[/root]` → `/dev/mapper/luks-…`.
pub fn parse_findmnt_source(stdout: &str) -> Option<String> {
    let line = stdout.lines().map(str::trim).find(|l| !l.is_empty())?;
    let device = match line.find('[') {
        Some(i) if line.ends_with(']') => &line[..i],
        _ => line,
    };
    (!device.is_empty()).then(|| device.to_string())
}

/// The chains from a top-level device down to every appearance of `name` (a device stacked on
/// several, such as an LV spanning two disks, appears under each), each listed from `name` up.
pub fn chains_to<'a>(devices: &'a [BlockDevice], name: &str) -> Vec<Vec<&'a BlockDevice>> {
    fn walk<'a>(
        d: &'a BlockDevice,
        name: &str,
        path: &mut Vec<&'a BlockDevice>,
        found: &mut Vec<Vec<&'a BlockDevice>>,
    ) {
        path.push(d);
        if d.name == name {
            found.push(path.iter().rev().copied().collect());
        }
        for c in &d.children {
            walk(c, name, path, found);
        }
        path.pop();
    }
    let mut found = Vec::new();
    for d in devices {
        walk(d, name, &mut Vec::new(), &mut found);
    }
    found
}

/// Whether `name` sits on a `crypt` device along every chain; `None` when lsblk does not list it.
pub fn is_encrypted(devices: &[BlockDevice], name: &str) -> Option<bool> {
    let chains = chains_to(devices, name);
    (!chains.is_empty()).then(|| chains.iter().all(|c| c.iter().any(|d| d.kind == "crypt")))
}

/// `vgubuntu-root (lvm) on nvme0n1p3_crypt (crypt) on nvme0n1p3 (part) on nvme0n1 (disk)`.
fn describe_chain(devices: &[BlockDevice], name: &str) -> String {
    chains_to(devices, name)
        .first()
        .map(|c| {
            c.iter()
                .map(|d| format!("{} ({})", d.name, d.kind))
                .collect::<Vec<_>>()
                .join(" on ")
        })
        .unwrap_or_else(|| name.to_string())
}

/// Every device with its mountpoints, flattened.
fn all_devices(devices: &[BlockDevice]) -> Vec<&BlockDevice> {
    let mut out = Vec::new();
    let mut stack: Vec<&BlockDevice> = devices.iter().collect();
    while let Some(d) = stack.pop() {
        out.push(d);
        stack.extend(d.children.iter());
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out.dedup_by(|a, b| a.name == b.name);
    out
}

/// One line of `/proc/swaps`.
#[derive(Debug, Clone, PartialEq)]
pub struct SwapArea {
    pub name: String,
    /// `file` or `partition`.
    pub kind: String,
}

/// Parses `/proc/swaps` (captured; the name is padded with spaces to 40 columns, then the fields
/// are separated by tabs, shown here as spaces):
///
/// ```text
/// Filename                                Type            Size            Used            Priority
/// /tmp/swapfile                           file            32764           0               -2
/// /dev/loop2                              partition       32764           0               -3
/// ```
///
/// Names with spaces are escaped by the kernel (`\040`) and so never split.
pub fn parse_swaps(text: &str) -> Vec<SwapArea> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut fields = l.split_whitespace();
            Some(SwapArea {
                name: unescape_mount(fields.next()?),
                kind: fields.next()?.to_string(),
            })
        })
        .collect()
}

/// The targets of eCryptfs mounts in `/proc/mounts` (a real Ubuntu line):
///
/// ```text
/// /home/fme/.Private /home/fme ecryptfs rw,nosuid,nodev,relatime,ecryptfs_fnek_sig=…,ecryptfs_cipher=aes,… 0 0
/// ```
pub fn ecryptfs_mounts(proc_mounts: &str) -> Vec<String> {
    proc_mounts
        .lines()
        .filter_map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            (fields.get(2) == Some(&"ecryptfs")).then(|| unescape_mount(fields[1]))
        })
        .collect()
}

/// The kernel writes a space in a mount or swap path as `\040` (and tab, newline, backslash
/// likewise in octal).
fn unescape_mount(field: &str) -> String {
    field
        .replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\")
}

/// The device holding `path`: the one with the longest mountpoint that contains it.
fn device_holding<'a>(devices: &[&'a BlockDevice], path: &str) -> Option<&'a BlockDevice> {
    let contains = |m: &str| m == "/" || path == m || path.strip_prefix(m).is_some_and(|r| r.starts_with('/'));
    devices
        .iter()
        .flat_map(|d| d.mountpoints.iter().map(move |m| (m, *d)))
        .filter(|(m, _)| m.starts_with('/') && contains(m))
        .max_by_key(|(m, _)| m.len())
        .map(|(_, d)| d)
}

/// Runs lsblk, falling back to the singular MOUNTPOINT column on util-linux before 2.37, which
/// exits 1 with `lsblk: unknown column: MOUNTPOINTS,PKNAME`.
fn read_lsblk(system: &dyn System, evidence: &mut Vec<String>) -> Result<Vec<BlockDevice>, Reading> {
    let mut args = LSBLK;
    let mut out = system.run("lsblk", &args);
    if !out.succeeded() && out.stderr.contains("unknown column") {
        evidence.push(format!(
            "`lsblk` is older than 2.37 ({}), so MOUNTPOINT was used",
            out.stderr.trim()
        ));
        args = LSBLK_OLD;
        out = system.run("lsblk", &args);
    }
    let out = ran(&out, "lsblk", &args)?;
    let cmd = shown("lsblk", &args);
    if !out.succeeded() {
        return Err(Reading::unknown(
            Unknown::UnexpectedOutput,
            "`lsblk` could not list the disks.",
            vec![format!("`{cmd}` failed: {}", first_line(out))],
        ));
    }
    parse_lsblk(&out.stdout).map_err(|why| {
        Reading::unknown(
            Unknown::UnexpectedOutput,
            "`lsblk` said something confide does not recognise.",
            vec![format!("`{cmd}`: {why}")],
        )
    })
}

/// The device `/` is mounted from, as an lsblk name (`/dev/mapper/X` and `/dev/X` → `X`).
fn root_device(system: &dyn System, evidence: &mut Vec<String>) -> Result<String, Reading> {
    let out = system.run("findmnt", &FINDMNT_ROOT);
    let out = ran(&out, "findmnt", &FINDMNT_ROOT)?;
    let cmd = "`findmnt -no SOURCE /`";
    let source = out.succeeded().then(|| parse_findmnt_source(&out.stdout)).flatten();
    let Some(source) = source else {
        return Err(Reading::unknown(
            Unknown::RootDeviceNotFound,
            "the device the system runs from could not be found.",
            vec![format!("{cmd} gave no device: {}", first_line(out))],
        ));
    };
    match source.strip_prefix("/dev/") {
        Some(path) => {
            evidence.push(format!("{cmd}: {source}"));
            Ok(path.rsplit('/').next().unwrap_or(path).to_string())
        }
        None => Err(Reading::unknown(
            Unknown::RootDeviceNotFound,
            format!("the system runs from `{source}`, which is not a disk confide can inspect."),
            vec![format!("{cmd}: {source}")],
        )),
    }
}

/// The swap areas on disk that are not encrypted, and those whose disk could not be found.
/// Swap devices are the ones lsblk marks `[SWAP]`: `/proc/swaps` names a device-mapper swap
/// `/dev/dm-N`, a name lsblk does not print. zram swap is compressed memory and never reaches a
/// disk. A swap file is on the disk with the longest mountpoint that holds its path. Without
/// `/proc/swaps`, swap files cannot be ruled out.
fn judge_swap(
    devices: &[BlockDevice],
    swaps: Option<&[SwapArea]>,
    evidence: &mut Vec<String>,
) -> (Vec<String>, Vec<String>) {
    let flat = all_devices(devices);
    let (mut plain, mut unknown) = (Vec::new(), Vec::new());
    let mut judge_device = |name: &str, shown: &str, evidence: &mut Vec<String>| {
        evidence.push(format!("swap {shown} is on {}", describe_chain(devices, name)));
        if is_encrypted(devices, name) != Some(true) {
            plain.push(shown.to_string());
        }
    };
    for d in flat.iter().filter(|d| d.mountpoints.iter().any(|m| m == "[SWAP]")) {
        if d.name.starts_with("zram") {
            evidence.push(format!("swap on {} is compressed memory, not disk", d.name));
        } else {
            judge_device(&d.name, &d.name, evidence);
        }
    }
    let Some(swaps) = swaps else {
        unknown.push("swap files".to_string());
        return (plain, unknown);
    };
    for area in swaps {
        let device = area
            .name
            .strip_prefix("/dev/")
            .map(|p| p.rsplit('/').next().unwrap_or(p));
        match (area.kind.as_str(), device) {
            ("file", _) => match device_holding(&flat, &area.name) {
                Some(d) => judge_device(&d.name, &area.name, evidence),
                None => unknown.push(area.name.clone()),
            },
            // Already judged from lsblk's [SWAP] mark, or RAM.
            (_, Some(name))
                if name.starts_with("dm-")
                    || name.starts_with("zram")
                    || flat
                        .iter()
                        .any(|d| d.name == name && d.mountpoints.iter().any(|m| m == "[SWAP]")) => {}
            (_, Some(name)) if flat.iter().any(|d| d.name == name) => judge_device(name, &area.name, evidence),
            _ => unknown.push(area.name.clone()),
        }
    }
    (plain, unknown)
}

/// What was found about the disks that hold data, for [`linux_verdict`].
struct LinuxDisks {
    root: String,
    root_encrypted: bool,
    /// A separate `/home` device and whether it is encrypted.
    home: Option<(String, bool)>,
    /// Swap areas on disk not encrypted.
    swap_plain: Vec<String>,
    /// Swap areas whose disk could not be found.
    swap_unknown: Vec<String>,
    ecryptfs: Vec<String>,
}

fn linux(system: &dyn System) -> Reading {
    let mut evidence = Vec::new();
    let root = match root_device(system, &mut evidence) {
        Ok(root) => root,
        Err(reading) => return reading,
    };
    let devices = match read_lsblk(system, &mut evidence) {
        Ok(devices) => devices,
        Err(mut reading) => {
            evidence.append(&mut reading.evidence);
            reading.evidence = evidence;
            return reading;
        }
    };
    let Some(root_encrypted) = is_encrypted(&devices, &root) else {
        evidence.push(format!("`lsblk` does not list {root}"));
        return Reading::unknown(
            Unknown::RootDeviceNotFound,
            format!("the device the system runs from ({root}) is not in the list of disks."),
            evidence,
        );
    };
    evidence.push(format!(
        "`lsblk`: / is on {}{}",
        describe_chain(&devices, &root),
        if root_encrypted {
            ""
        } else {
            ", with no crypt (LUKS) layer"
        }
    ));
    let flat = all_devices(&devices);

    let home = flat
        .iter()
        .find(|d| d.mountpoints.iter().any(|m| m == "/home"))
        .filter(|d| d.name != root)
        .map(|d| (d.name.clone(), is_encrypted(&devices, &d.name).unwrap_or(false)));
    if let Some((name, _)) = &home {
        evidence.push(format!("/home is on {}", describe_chain(&devices, name)));
    }

    let swaps = match system.read_file("/proc/swaps") {
        FileRead::Contents(text) => Some(parse_swaps(&text)),
        other => {
            evidence.push(format!("/proc/swaps could not be read ({other:?})"));
            None
        }
    };
    let (swap_plain, swap_unknown) = judge_swap(&devices, swaps.as_deref(), &mut evidence);

    // Home-folder encryption only matters when the system disk is not encrypted.
    let ecryptfs = if root_encrypted {
        Vec::new()
    } else {
        match system.read_file("/proc/mounts") {
            FileRead::Contents(text) => ecryptfs_mounts(&text),
            other => {
                evidence.push(format!(
                    "/proc/mounts could not be read ({other:?}): home-folder encryption not looked for"
                ));
                Vec::new()
            }
        }
    };
    for target in &ecryptfs {
        evidence.push(format!("/proc/mounts: {target} is an eCryptfs (encrypted) folder"));
    }

    let disks = LinuxDisks {
        root,
        root_encrypted,
        home,
        swap_plain,
        swap_unknown,
        ecryptfs,
    };
    let (state, summary) = linux_verdict(&disks);
    Reading::new(state, summary, evidence)
}

/// The Linux verdict: the system disk decides; a separate `/home` or swap can only lower a pass,
/// and home-folder encryption can only raise a fail to a warning.
fn linux_verdict(d: &LinuxDisks) -> (State, String) {
    if d.root_encrypted {
        if let Some((home, false)) = &d.home {
            return (
                State::HomeNotEncrypted,
                format!(
                    "The system disk is encrypted, but /home, where your files are kept, is on {home}, which is not."
                ),
            );
        }
        if !d.swap_plain.is_empty() {
            return (
                State::SwapNotEncrypted,
                format!(
                    "The system disk is encrypted, but the swap area ({}) is not: parts of memory, such as open notes, can be written there unencrypted.",
                    d.swap_plain.join(", ")
                ),
            );
        }
        if !d.swap_unknown.is_empty() {
            return (
                State::Unknown(Unknown::UnexpectedOutput),
                format!(
                    "Could not tell whether this computer's disk is fully encrypted: the system disk is, but not every swap area could be checked ({}).",
                    d.swap_unknown.join(", ")
                ),
            );
        }
        return (
            State::Encrypted,
            "The system disk is encrypted (LUKS), so your files cannot be read without your passphrase.".to_string(),
        );
    }
    let mut encrypted_homes = d.ecryptfs.clone();
    if let Some((home, true)) = &d.home {
        encrypted_homes.push(format!("/home on {home}"));
    }
    if !encrypted_homes.is_empty() {
        return (
            State::HomeOnly,
            format!(
                "Only your home folder is encrypted ({}); the system disk ({}) is not, and it can hold copies of your notes (temporary files, swap, other accounts).",
                encrypted_homes.join(", "),
                d.root
            ),
        );
    }
    (
        State::NotEncrypted,
        format!(
            "The system disk ({}) is not encrypted: anyone who takes this computer can read your clients' notes from it.",
            d.root
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_its_status_and_only_encrypted_passes() {
        use Status::{Fail, Pass, Warn};
        let cases = [
            (State::Encrypted, Pass),
            (State::Encrypting, Warn),
            (State::Suspended, Warn),
            (State::Pending, Warn),
            (State::HomeOnly, Warn),
            (State::SwapNotEncrypted, Warn),
            (State::HomeNotEncrypted, Fail),
            (State::NotEncrypted, Fail),
            (State::Decrypting, Fail),
            (State::Unknown(Unknown::NeedsAdmin), Status::Unknown),
            (State::Unknown(Unknown::NotEnglish), Status::Unknown),
            (State::Unknown(Unknown::ToolMissing), Status::Unknown),
            (State::Unknown(Unknown::RootDeviceNotFound), Status::Unknown),
            (State::Unknown(Unknown::UnexpectedOutput), Status::Unknown),
        ];
        for (state, status) in cases {
            let out = judge(Reading::new(state.clone(), "s", vec![]));
            assert_eq!(out.status, status, "{state:?}");
            assert!(out.reason.starts_with("disk-encryption."));
            assert!(!out.evidence.is_empty());
        }
    }

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
        let reading = bitlocker_reading("C:", conversion, protection, *percent, vec!["seen".into()]);
        assert_eq!(judge(reading).status, Status::Warn);
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
            let reading = bitlocker_reading("C:", &conversion, &protection, percent, vec!["seen".into()]);
            assert_eq!(judge(reading).status, status, "{value}");
        }
    }

    #[test]
    fn bitlocker_localized_labels_are_not_guessed() {
        // NOT real output: German-looking labels, to prove translated output is not read.
        let text = "Volume C: [OS]\n    Konvertierungsstatus: Vollständig verschlüsselt\n    Schutzstatus: Der Schutz ist aktiviert.\n";
        assert_eq!(parse_manage_bde(&bde(text), "C:"), BitLocker::NotEnglish);
        assert_eq!(parse_manage_bde(&bde("Datenträger C:\n"), "C:"), BitLocker::NotEnglish);
    }

    #[test]
    fn findmnt_sources_lose_their_subvolume() {
        assert_eq!(parse_findmnt_source("/dev/vda\n").as_deref(), Some("/dev/vda"));
        assert_eq!(parse_findmnt_source("/dev/loop4[/@]\n").as_deref(), Some("/dev/loop4"));
        assert_eq!(parse_findmnt_source("\n"), None);
    }

    #[test]
    fn linux_home_and_swap_only_lower_a_pass_and_home_encryption_only_softens_a_fail() {
        let disks = |root_encrypted, home: Option<bool>, plain: &[&str], unknown: &[&str], ecryptfs: &[&str]| {
            let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            LinuxDisks {
                root: "vda".into(),
                root_encrypted,
                home: home.map(|e| ("sdb1".to_string(), e)),
                swap_plain: v(plain),
                swap_unknown: v(unknown),
                ecryptfs: v(ecryptfs),
            }
        };
        let state = |d: LinuxDisks| linux_verdict(&d).0;
        assert_eq!(state(disks(true, None, &[], &[], &[])), State::Encrypted);
        assert_eq!(state(disks(true, Some(true), &[], &[], &[])), State::Encrypted);
        assert_eq!(state(disks(true, Some(false), &[], &[], &[])), State::HomeNotEncrypted);
        assert_eq!(state(disks(true, None, &["sda2"], &[], &[])), State::SwapNotEncrypted);
        assert_eq!(
            state(disks(true, None, &[], &["swap files"], &[])),
            State::Unknown(Unknown::UnexpectedOutput)
        );
        assert_eq!(state(disks(false, None, &[], &["x"], &[])), State::NotEncrypted);
        assert_eq!(state(disks(false, Some(true), &[], &[], &[])), State::HomeOnly);
        assert_eq!(state(disks(false, None, &[], &[], &["/home/fme"])), State::HomeOnly);
    }

    #[test]
    fn swap_files_belong_to_the_longest_mountpoint() {
        let dev = |name: &str, m: &[&str]| BlockDevice {
            name: name.into(),
            kind: "part".into(),
            mountpoints: m.iter().map(|s| s.to_string()).collect(),
            children: vec![],
        };
        let (root, data) = (dev("sda1", &["/"]), dev("sdb1", &["/mnt/data"]));
        let all = vec![&root, &data];
        assert_eq!(device_holding(&all, "/swapfile").map(|d| d.name.as_str()), Some("sda1"));
        assert_eq!(
            device_holding(&all, "/mnt/data/swap").map(|d| d.name.as_str()),
            Some("sdb1")
        );
        assert_eq!(
            device_holding(&all, "/mnt/database/swap").map(|d| d.name.as_str()),
            Some("sda1")
        );
    }
}
