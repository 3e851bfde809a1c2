//! The only code that touches the machine.
//!
//! Checks ask a [`System`] questions (run a program, read a file, list processes, read an
//! environment variable, tell the time) and never reach the machine themselves. That is what lets
//! every check for every OS run in tests on Linux: [`replay::ReplaySystem`] answers from a recorded
//! [`snapshot::Snapshot`], [`live::LiveSystem`] answers from this machine, and
//! [`record::RecordingSystem`] answers live while writing every answer into a snapshot.

mod child;
pub mod effects;
pub mod exec;
pub mod files;
pub mod lan;
pub mod live;
pub mod net;
pub mod record;
pub mod replay;
pub mod snapshot;

use std::fmt;
use std::time::Duration;

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The operating-system family, a runtime value so that check logic never needs `#[cfg]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OsFamily {
    Linux,
    Macos,
    Windows,
}

impl OsFamily {
    pub const ALL: [OsFamily; 3] = [OsFamily::Linux, OsFamily::Macos, OsFamily::Windows];

    /// Maps Rust's `std::env::consts::OS` to a family; anything else is treated as Linux-like
    /// only if it is a Unix we know to behave so, otherwise `None`.
    pub fn from_rust_os(os: &str) -> Option<Self> {
        match os {
            "linux" => Some(OsFamily::Linux),
            "macos" => Some(OsFamily::Macos),
            "windows" => Some(OsFamily::Windows),
            _ => None,
        }
    }

    /// The id used in files and on the command line (`linux`, `macos`, `windows`).
    pub fn id(self) -> &'static str {
        match self {
            OsFamily::Linux => "linux",
            OsFamily::Macos => "macos",
            OsFamily::Windows => "windows",
        }
    }

    /// The name a person knows the OS by.
    pub fn display_name(self) -> &'static str {
        match self {
            OsFamily::Linux => "Linux",
            OsFamily::Macos => "macOS",
            OsFamily::Windows => "Windows",
        }
    }
}

impl fmt::Display for OsFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

/// What the machine says about its operating system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OsInfo {
    pub family: OsFamily,
    /// Distribution or product name, e.g. `Ubuntu`, `macOS`, `Windows`.
    pub name: String,
    /// Release, e.g. `24.04`, `15.1`, `11 (26100)`.
    pub version: String,
    /// CPU architecture, e.g. `x86_64`, `arm64`.
    pub arch: String,
}

/// Who and where: kept apart from [`OsInfo`] because it is personal data that `--redact` drops.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HostInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// One running process, as much as a check needs to recognise a program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProcessInfo {
    pub pid: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exe: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// How a program run ended. Checks match on this rather than on raw fields, so that "not
/// installed", "timed out" and "ran" can never be confused with each other.
#[derive(Debug, Clone, PartialEq)]
pub enum RunOutcome<'a> {
    /// The program is not installed (not on `PATH`, or not in the snapshot).
    Missing,
    /// The program was killed after the timeout; partial output is kept.
    TimedOut,
    /// The program could not be started or waited for (the reason is in `stderr`).
    Failed(&'a str),
    /// The program ran to the end. `status` is `None` when it was ended by a signal.
    Exited { status: Option<i32> },
}

/// The full answer to "run this program", as recorded in snapshots.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommandOutput {
    #[serde(default)]
    pub status: Option<i32>,
    #[serde(default)]
    pub stdout: String,
    #[serde(default)]
    pub stderr: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub timed_out: bool,
    /// The program was not found.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
    /// The program was found but could not be started (permission, bad binary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl CommandOutput {
    pub fn missing() -> Self {
        CommandOutput {
            missing: true,
            ..Default::default()
        }
    }

    pub fn outcome(&self) -> RunOutcome<'_> {
        if self.missing {
            RunOutcome::Missing
        } else if self.timed_out {
            RunOutcome::TimedOut
        } else if let Some(error) = &self.error {
            RunOutcome::Failed(error)
        } else {
            RunOutcome::Exited { status: self.status }
        }
    }

    /// True when the program ran and exited with status 0.
    pub fn succeeded(&self) -> bool {
        matches!(self.outcome(), RunOutcome::Exited { status: Some(0) })
    }

    /// Why this run is not an answer, for evidence, or `None` when the program exited 0. One
    /// wording for every check: not installed, timed out, could not start, or its exit status
    /// with the last line it wrote to stderr.
    pub fn failure(&self, program: &str) -> Option<String> {
        match self.outcome() {
            RunOutcome::Missing => Some(format!("`{program}` is not available")),
            RunOutcome::TimedOut => Some(format!("`{program}` timed out")),
            RunOutcome::Failed(e) => Some(format!("`{program}` could not be started: {e}")),
            RunOutcome::Exited { status: Some(0) } => None,
            RunOutcome::Exited { status } => Some(format!(
                "`{program}` exited with {}{}",
                status.map_or("a signal".into(), |s| s.to_string()),
                self.stderr
                    .trim()
                    .lines()
                    .last()
                    .map(|l| format!(" ({})", l.trim()))
                    .unwrap_or_default()
            )),
        }
    }
}

/// The answer to "read this file".
#[derive(Debug, Clone, PartialEq)]
pub enum FileRead {
    Contents(String),
    Missing,
    /// The path is a directory (its contents are not read).
    Directory,
    /// The file exists but could not be read (permission denied, not text…).
    Unreadable(String),
}

/// The machine, as checks see it. Every method answers; none panics. Absent things are answered
/// as absent (a missing program, a missing file), so a check can say "unknown" with the reason.
pub trait System: Send + Sync {
    fn os(&self) -> &OsInfo;
    fn host(&self) -> &HostInfo;
    /// Runs `program` with `args` (never through a shell), stdin closed, bounded in time and output.
    fn run(&self, program: &str, args: &[&str]) -> CommandOutput;
    /// [`System::run`] for a program known to take longer than most (a package manager's
    /// simulated upgrade, Windows Update's search of its cache): it may run for `at_least` even
    /// when the usual timeout is shorter, so a slow laptop gets an answer rather than "timed out".
    fn run_slow(&self, program: &str, args: &[&str], at_least: Duration) -> CommandOutput {
        let _ = at_least;
        self.run(program, args)
    }
    fn read_file(&self, path: &str) -> FileRead;
    /// The first `max_bytes` of a file as text (invalid UTF-8 replaced): for binary files that
    /// start with a text header, such as ClamAV's signature databases.
    fn read_file_head(&self, path: &str, max_bytes: usize) -> FileRead;
    /// When a file was last modified, if it exists and the OS says (empty stamp files carry
    /// their meaning in this date alone).
    fn modified(&self, path: &str) -> Option<Timestamp>;
    fn processes(&self) -> Vec<ProcessInfo>;
    fn env(&self, name: &str) -> Option<String>;
    /// The current time; in replay, the time the snapshot was collected, so dates replay exactly.
    fn now(&self) -> Timestamp;
    /// When the machine last booted, if the OS says.
    fn boot_time(&self) -> Option<Timestamp>;
    /// How long one program may run before it is killed.
    fn command_timeout(&self) -> Duration;
    /// One DNS query, answered in [`DnsAnswer`]'s terms. Synchronous on purpose: checks stay free
    /// of an async runtime (the live implementation runs a small one of its own per query), and a
    /// check that wants queries in parallel runs them on scoped threads.
    fn dns(&self, name: &str, kind: DnsType) -> DnsAnswer;
    /// One HTTPS GET: certificates checked, redirects never followed, at most `max_bytes` of body.
    fn https_get(&self, url: &str, max_bytes: usize) -> HttpAnswer;
    /// Browses the local network (mDNS) for these service types (`_googlecast._tcp`) for at most
    /// `bound`. Never called with `--offline`. A System that cannot browse says so.
    fn discover(&self, service_types: &[&str], bound: Duration) -> DiscoveryAnswer {
        let _ = (service_types, bound);
        DiscoveryAnswer::Failed {
            error: "local-network discovery is not available here".to_string(),
        }
    }
}

pub use lan::{DiscoveredService, DiscoveryAnswer};

/// The DNS record types checks ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum DnsType {
    A,
    Aaaa,
    Mx,
    Txt,
    Tlsa,
}

impl fmt::Display for DnsType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DnsType::A => "A",
            DnsType::Aaaa => "AAAA",
            DnsType::Mx => "MX",
            DnsType::Txt => "TXT",
            DnsType::Tlsa => "TLSA",
        })
    }
}

/// The answer to one DNS query. Records are in presentation form: MX `10 mail.protonmail.ch.`,
/// TXT the record's strings joined, TLSA `3 1 1 <hex>`, A/AAAA the address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "answer", rename_all = "kebab-case")]
pub enum DnsAnswer {
    Records {
        records: Vec<String>,
    },
    /// The name exists but has no record of this type.
    NoRecords,
    /// The name does not exist.
    NxDomain,
    /// No answer in time.
    TimedOut,
    /// Anything else (server failure, refused, not in the snapshot).
    Failed {
        error: String,
    },
}

/// The answer to one HTTPS GET.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "answer", rename_all = "kebab-case")]
pub enum HttpAnswer {
    /// The server answered. A redirect is an answer too (its `location` is kept, never followed).
    Response {
        status: u16,
        /// The body, cut at the size asked for (invalid UTF-8 replaced).
        #[serde(default)]
        body: String,
        /// The body was longer than the size asked for.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        too_large: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<String>,
    },
    /// No answer: connection refused, certificate not valid, timed out…
    Failed { error: String },
}

pub use crate::words::human_seconds;
