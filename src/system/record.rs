//! Answers live while writing every answer into a snapshot (`confide collect`).

use std::sync::Mutex;
use std::time::Duration;

use jiff::Timestamp;

use super::replay::read_to_recorded;
use super::snapshot::{RecordedCommand, Snapshot};
use super::{CommandOutput, FileRead, HostInfo, OsInfo, ProcessInfo, System};

/// Wraps another [`System`] (normally the live one) and records what it answers.
pub struct RecordingSystem<S: System> {
    inner: S,
    snapshot: Mutex<Snapshot>,
}

impl<S: System> RecordingSystem<S> {
    pub fn new(inner: S) -> Self {
        let mut snapshot = Snapshot::new(inner.now(), inner.os().clone(), inner.host().clone());
        snapshot.boot_time = inner.boot_time();
        RecordingSystem {
            inner,
            snapshot: Mutex::new(snapshot),
        }
    }

    /// Everything recorded so far.
    pub fn snapshot(&self) -> Snapshot {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Snapshot> {
        // A check that panicked while we held the lock leaves consistent data behind: every
        // update is a single push or insert.
        self.snapshot.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<S: System> System for RecordingSystem<S> {
    fn os(&self) -> &OsInfo {
        self.inner.os()
    }

    fn host(&self) -> &HostInfo {
        self.inner.host()
    }

    fn run(&self, program: &str, args: &[&str]) -> CommandOutput {
        let output = self.inner.run(program, args);
        let mut snap = self.lock();
        let already = snap
            .commands
            .iter()
            .any(|c| c.program == program && c.args.iter().map(String::as_str).eq(args.iter().copied()));
        if !already {
            snap.commands.push(RecordedCommand {
                program: program.to_string(),
                args: args.iter().map(|a| a.to_string()).collect(),
                output: output.clone(),
            });
        }
        output
    }

    fn read_file(&self, path: &str) -> FileRead {
        let read = self.inner.read_file(path);
        let mut snap = self.lock();
        if !snap.files.iter().any(|f| f.path == path) {
            snap.files.push(read_to_recorded(path, &read));
        }
        read
    }

    fn processes(&self) -> Vec<ProcessInfo> {
        let list = self.inner.processes();
        self.lock().processes = list.clone();
        list
    }

    fn env(&self, name: &str) -> Option<String> {
        let value = self.inner.env(name);
        if let Some(v) = &value {
            self.lock().env.insert(name.to_string(), v.clone());
        }
        value
    }

    fn now(&self) -> Timestamp {
        // The scan's clock is the moment collection started, as it will be in replay.
        self.lock().collected_at
    }

    fn boot_time(&self) -> Option<Timestamp> {
        self.lock().boot_time
    }

    fn command_timeout(&self) -> Duration {
        self.inner.command_timeout()
    }
}
