//! Answers from a snapshot, so a scan of any machine can be replayed anywhere.

use std::time::Duration;

use jiff::Timestamp;

use super::snapshot::{RecordedFile, Snapshot};
use super::{
    CommandOutput, DiscoveryAnswer, DnsAnswer, DnsType, FileRead, HostInfo, HttpAnswer, OsInfo, ProcessInfo, System,
};

/// A [`System`] built from a [`Snapshot`]. Anything the snapshot lacks is answered as absent: a
/// program not installed, a file missing, a variable unset.
pub struct ReplaySystem {
    snapshot: Snapshot,
    timeout: Duration,
}

impl ReplaySystem {
    pub fn new(snapshot: Snapshot) -> Self {
        ReplaySystem {
            snapshot,
            timeout: Duration::from_secs(5),
        }
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }
}

impl System for ReplaySystem {
    fn os(&self) -> &OsInfo {
        &self.snapshot.os
    }

    fn host(&self) -> &HostInfo {
        &self.snapshot.host
    }

    fn run(&self, program: &str, args: &[&str]) -> CommandOutput {
        self.snapshot
            .commands
            .iter()
            .find(|c| c.program == program && c.args.iter().map(String::as_str).eq(args.iter().copied()))
            .map(|c| c.output.clone())
            .unwrap_or_else(CommandOutput::missing)
    }

    fn read_file(&self, path: &str) -> FileRead {
        match self.snapshot.files.iter().find(|f| f.path == path && f.has_answer()) {
            None => FileRead::Missing,
            Some(f) => recorded_to_read(f),
        }
    }

    fn read_file_head(&self, path: &str, max_bytes: usize) -> FileRead {
        let entry = self.snapshot.files.iter().find(|f| f.path == path && f.has_head());
        let read = match entry {
            Some(f) if f.head.is_some() => FileRead::Contents(f.head.clone().unwrap_or_default()),
            Some(f) => recorded_to_read(f),
            None => self.read_file(path),
        };
        match read {
            FileRead::Contents(text) => {
                let mut end = text.len().min(max_bytes);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                FileRead::Contents(text[..end].to_string())
            }
            other => other,
        }
    }

    fn modified(&self, path: &str) -> Option<Timestamp> {
        self.snapshot
            .files
            .iter()
            .find(|f| f.path == path)
            .and_then(|f| f.modified)
    }

    fn processes(&self) -> Vec<ProcessInfo> {
        self.snapshot.processes.clone()
    }

    fn env(&self, name: &str) -> Option<String> {
        self.snapshot.env.get(name).cloned()
    }

    fn now(&self) -> Timestamp {
        self.snapshot.collected_at
    }

    fn boot_time(&self) -> Option<Timestamp> {
        self.snapshot.boot_time
    }

    fn command_timeout(&self) -> Duration {
        self.timeout
    }

    fn dns(&self, name: &str, kind: DnsType) -> DnsAnswer {
        self.snapshot
            .dns
            .iter()
            .find(|d| d.kind == kind && d.name.eq_ignore_ascii_case(name))
            .map(|d| d.answer.clone())
            .unwrap_or_else(|| DnsAnswer::Failed {
                error: format!("no answer for {kind} {name} in the snapshot"),
            })
    }

    fn https_get(&self, url: &str, max_bytes: usize) -> HttpAnswer {
        match self
            .snapshot
            .http
            .iter()
            .find(|h| h.url == url)
            .map(|h| h.answer.clone())
        {
            None => HttpAnswer::Failed {
                error: format!("no answer for {url} in the snapshot"),
            },
            Some(HttpAnswer::Response {
                status,
                body,
                too_large,
                location,
            }) => {
                let (body, cut) = super::net::cap_text(body, max_bytes);
                HttpAnswer::Response {
                    status,
                    body,
                    too_large: too_large || cut,
                    location,
                }
            }
            Some(failed) => failed,
        }
    }

    fn discover(&self, service_types: &[&str], _bound: Duration) -> DiscoveryAnswer {
        self.snapshot
            .discovery
            .iter()
            .find(|d| {
                d.service_types
                    .iter()
                    .map(String::as_str)
                    .eq(service_types.iter().copied())
            })
            .map(|d| d.answer.clone())
            .unwrap_or_else(|| DiscoveryAnswer::Failed {
                error: "the snapshot holds no local-network discovery (it was recorded offline or by an older confide)"
                    .to_string(),
            })
    }
}

fn recorded_to_read(f: &RecordedFile) -> FileRead {
    if let Some(error) = &f.error {
        FileRead::Unreadable(error.clone())
    } else if f.directory {
        FileRead::Directory
    } else if let Some(contents) = &f.contents {
        FileRead::Contents(contents.clone())
    } else {
        FileRead::Missing
    }
}

/// The snapshot form of a file answer.
pub fn read_to_recorded(path: &str, read: &FileRead) -> RecordedFile {
    let mut f = RecordedFile {
        path: path.to_string(),
        contents: None,
        missing: false,
        directory: false,
        ..RecordedFile::default()
    };
    match read {
        FileRead::Contents(c) => f.contents = Some(c.clone()),
        FileRead::Missing => f.missing = true,
        FileRead::Directory => f.directory = true,
        FileRead::Unreadable(e) => f.error = Some(e.clone()),
    }
    f
}
