//! `history.jsonl`: one JSON line per scan, appended under an exclusive file lock so that
//! concurrent scans never lose or interleave a line, and never rewritten in place.
//!
//! A line that does not parse (a disk that filled up mid-line on another system, a hand edit) is
//! skipped with a warning naming its line number; the rest of the history still counts.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::report::Report;
use crate::status::Status;
use crate::system::files::{FileLock, write_atomically};

/// The file's name in confide's data folder.
pub const HISTORY_FILE: &str = "history.jsonl";

/// One scan, as remembered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// When the scan ran (the scan's own clock).
    pub time: Timestamp,
    /// The confide version that ran it.
    pub version: String,
    pub policy: PolicyStamp,
    pub overall: Status,
    /// Started by the weekly schedule (`confide scan --scheduled`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub scheduled: bool,
    /// For a scheduled run whose desktop notification could not be shown: why, so the next
    /// interactive scan can say so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_failed: Option<String>,
    /// Per check id: its status and reason code.
    pub checks: BTreeMap<String, CheckState>,
}

/// Which policy a scan was judged against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyStamp {
    pub id: String,
    /// SHA-256 of the policy file, so a changed policy can be told apart.
    pub sha256: String,
}

/// One check's result in one scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckState {
    pub status: Status,
    pub reason: String,
}

impl HistoryEntry {
    /// The summary of a report: statuses and reason codes only, no evidence.
    pub fn of(report: &Report, scheduled: bool) -> Self {
        HistoryEntry {
            time: report.generated_at,
            version: report.tool.version.clone(),
            policy: PolicyStamp {
                id: report.policy.id.clone(),
                sha256: report.policy.sha256.clone(),
            },
            overall: report.overall,
            scheduled,
            notify_failed: None,
            checks: report
                .findings
                .iter()
                .map(|f| {
                    (
                        f.check.clone(),
                        CheckState {
                            status: f.status,
                            reason: f.reason.clone(),
                        },
                    )
                })
                .collect(),
        }
    }
}

/// Why the history could not be read or added to.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{}: the history must be a file, but this is {what}; move it aside", path.display())]
    NotAFile { path: PathBuf, what: &'static str },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// The history file and what reading it found.
#[derive(Debug, Default)]
pub struct History {
    /// Oldest first, in the order they were appended.
    pub entries: Vec<HistoryEntry>,
    /// One line per damaged line skipped, naming the file and its line number.
    pub warnings: Vec<String>,
}

impl History {
    /// Reads the history; a missing file is an empty history.
    pub fn load(path: &Path) -> Result<History, HistoryError> {
        let io = |source| HistoryError::Io {
            path: path.to_path_buf(),
            source,
        };
        if !check_is_file(path)? {
            return Ok(History::default());
        }
        let file = File::open(path).map_err(io)?;
        // A shared lock: an append in progress finishes before we read, so no half line is seen.
        file.lock_shared().map_err(io)?;
        let mut history = History::default();
        for (n, line) in BufReader::new(&file).split(b'\n').enumerate() {
            let line = line.map_err(io)?;
            let text = String::from_utf8_lossy(&line);
            if text.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<HistoryEntry>(&text) {
                Ok(entry) => history.entries.push(entry),
                Err(e) => history.warnings.push(format!(
                    "{}: line {} is damaged and was skipped ({e})",
                    path.display(),
                    n + 1
                )),
            }
        }
        Ok(history)
    }

    /// Appends one line under an exclusive lock, written in one `write_all` and flushed to disk
    /// before the lock is released. Creates the folder and the file when they do not exist.
    pub fn append(path: &Path, entry: &HistoryEntry) -> Result<(), HistoryError> {
        let io = |source| HistoryError::Io {
            path: path.to_path_buf(),
            source,
        };
        check_is_file(path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut line = serde_json::to_string(entry).map_err(|e| io(std::io::Error::other(e)))?;
        line.push('\n');
        // The lock is a file of its own beside the history: prune replaces the history file, so a
        // lock on the history itself would let an appender write into the replaced copy.
        let _lock = FileLock::beside(path).map_err(io)?;
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(io)?;
        // A previous writer that died mid-line (power cut) left no newline: start a fresh line so
        // only that damaged line is lost, never this one.
        let needs_newline = ends_without_newline(&file).map_err(io)?;
        let mut bytes = Vec::with_capacity(line.len() + 1);
        if needs_newline {
            bytes.push(b'\n');
        }
        bytes.extend_from_slice(line.as_bytes());
        file.write_all(&bytes).map_err(io)?;
        file.sync_data().map_err(io)?;
        Ok(())
    }

    /// Keeps only the runs at or after `before`: the history is rewritten through a temporary file
    /// in the same folder and renamed over the old one, under the lock file appends take, so a
    /// scan running at the same moment loses nothing. Returns how many runs were removed.
    pub fn prune(path: &Path, before: Timestamp) -> Result<usize, HistoryError> {
        let io = |source| HistoryError::Io {
            path: path.to_path_buf(),
            source,
        };
        if !check_is_file(path)? {
            return Ok(0);
        }
        let _lock = FileLock::beside(path).map_err(io)?;
        let text = std::fs::read_to_string(path).map_err(io)?;
        let mut kept = String::with_capacity(text.len());
        let mut removed = 0;
        for line in text.lines() {
            // Damaged lines are kept: pruning removes old runs, never evidence of a problem.
            let old = serde_json::from_str::<HistoryEntry>(line).is_ok_and(|e| e.time < before);
            if old {
                removed += 1;
            } else if !line.trim().is_empty() {
                kept.push_str(line);
                kept.push('\n');
            }
        }
        write_atomically(path, &[], |out| out.write_all(kept.as_bytes()))
            .map_err(|e| io(std::io::Error::other(e.to_string())))?;
        Ok(removed)
    }
}

/// `Ok(true)` for a regular file (through symlinks), `Ok(false)` when nothing is there, and an
/// error naming what is there instead (a folder, a FIFO: opening a FIFO would block the scan).
fn check_is_file(path: &Path) -> Result<bool, HistoryError> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(true),
        Ok(m) => Err(HistoryError::NotAFile {
            path: path.to_path_buf(),
            what: if m.is_dir() {
                "a folder"
            } else {
                "not a regular file (a pipe or a device)"
            },
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(HistoryError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

fn ends_without_newline(file: &File) -> std::io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    let mut last = [0u8; 1];
    read_at(file, len - 1, &mut last)?;
    Ok(last[0] != b'\n')
}

#[cfg(unix)]
fn read_at(file: &File, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(time: &str, status: Status) -> HistoryEntry {
        HistoryEntry {
            time: time.parse().unwrap(),
            version: "0.1.0".into(),
            policy: PolicyStamp {
                id: "bacp".into(),
                sha256: "ab".into(),
            },
            overall: status,
            scheduled: false,
            notify_failed: None,
            checks: BTreeMap::from([(
                "firewall".to_string(),
                CheckState {
                    status,
                    reason: "firewall.on".into(),
                },
            )]),
        }
    }

    #[test]
    fn a_damaged_line_is_skipped_with_its_line_number_and_the_rest_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(HISTORY_FILE);
        History::append(&path, &entry("2026-11-01T10:00:00Z", Status::Pass)).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"time\": \"2026-11-08T1")
            .unwrap();
        // The next append starts a fresh line, so only the torn line is lost.
        History::append(&path, &entry("2026-11-15T10:00:00Z", Status::Fail)).unwrap();
        let h = History::load(&path).unwrap();
        assert_eq!(h.entries.len(), 2);
        assert_eq!(h.entries[1].overall, Status::Fail);
        assert_eq!(h.warnings.len(), 1);
        assert!(h.warnings[0].contains("line 2 is damaged"), "{:?}", h.warnings);
    }

    #[test]
    fn a_folder_or_a_fifo_in_its_place_is_a_clear_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(HISTORY_FILE);
        std::fs::create_dir(&path).unwrap();
        let err = History::append(&path, &entry("2026-11-01T10:00:00Z", Status::Pass)).unwrap_err();
        assert!(err.to_string().contains("a folder"), "{err}");
        assert!(History::load(&path).unwrap_err().to_string().contains("a folder"));
    }

    #[test]
    fn prune_keeps_recent_and_damaged_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(HISTORY_FILE);
        History::append(&path, &entry("2026-01-01T10:00:00Z", Status::Pass)).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"not json\n")
            .unwrap();
        History::append(&path, &entry("2026-11-01T10:00:00Z", Status::Warn)).unwrap();
        let removed = History::prune(&path, "2026-06-01T00:00:00Z".parse().unwrap()).unwrap();
        assert_eq!(removed, 1);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.starts_with("not json\n"));
    }
}
