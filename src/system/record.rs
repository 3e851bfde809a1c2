//! Answers live while writing every answer into a snapshot (`confide collect`).

use std::sync::Mutex;
use std::time::Duration;

use jiff::Timestamp;

use super::replay::read_to_recorded;
use super::snapshot::{RecordedCommand, RecordedDiscovery, RecordedDns, RecordedFile, RecordedHttp, Snapshot};
use super::{
    CommandOutput, DiscoveryAnswer, DnsAnswer, DnsType, FileRead, HostInfo, HttpAnswer, OsInfo, ProcessInfo, System,
};

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

    /// Records what reading `path` gave, once; an entry that so far held only a date gets it too.
    fn remember_read(&self, path: &str, read: &FileRead) {
        let mut snap = self.lock();
        match snap.files.iter_mut().find(|f| f.path == path) {
            Some(f) if f.has_answer() => {}
            Some(f) => {
                let modified = f.modified;
                *f = read_to_recorded(path, read);
                f.modified = modified;
            }
            None => snap.files.push(read_to_recorded(path, read)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Snapshot> {
        // A check that panicked while we held the lock leaves consistent data behind: every
        // update is a single push or insert.
        self.snapshot.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Keeps a command's first answer in the snapshot and hands it back.
    fn keep_command(&self, program: &str, args: &[&str], output: CommandOutput) -> CommandOutput {
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
}

impl<S: System> System for RecordingSystem<S> {
    fn os(&self) -> &OsInfo {
        self.inner.os()
    }

    fn host(&self) -> &HostInfo {
        self.inner.host()
    }

    fn run(&self, program: &str, args: &[&str]) -> CommandOutput {
        self.keep_command(program, args, self.inner.run(program, args))
    }

    fn run_slow(&self, program: &str, args: &[&str], at_least: Duration) -> CommandOutput {
        self.keep_command(program, args, self.inner.run_slow(program, args, at_least))
    }

    fn read_file(&self, path: &str) -> FileRead {
        let read = self.inner.read_file(path);
        self.remember_read(path, &read);
        read
    }

    fn read_file_head(&self, path: &str, max_bytes: usize) -> FileRead {
        let read = self.inner.read_file_head(path, max_bytes);
        let mut snap = self.lock();
        let entry = match snap.files.iter().position(|f| f.path == path) {
            Some(i) => &mut snap.files[i],
            None => {
                snap.files.push(RecordedFile {
                    path: path.to_string(),
                    ..RecordedFile::default()
                });
                snap.files.last_mut().expect("just pushed")
            }
        };
        if !entry.has_head() {
            match &read {
                FileRead::Contents(head) => entry.head = Some(head.clone()),
                FileRead::Missing => entry.missing = true,
                FileRead::Directory => entry.directory = true,
                FileRead::Unreadable(e) => entry.error = entry.error.clone().or(Some(e.clone())),
            }
        }
        read
    }

    fn modified(&self, path: &str) -> Option<Timestamp> {
        let modified = self.inner.modified(path);
        let mut snap = self.lock();
        match snap.files.iter_mut().find(|f| f.path == path) {
            Some(f) => f.modified = modified,
            None => {
                let mut f = read_to_recorded(path, &FileRead::Missing);
                f.missing = false;
                f.modified = modified;
                snap.files.push(f);
            }
        }
        modified
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

    fn dns(&self, name: &str, kind: DnsType) -> DnsAnswer {
        let answer = self.inner.dns(name, kind);
        let mut snap = self.lock();
        if !snap
            .dns
            .iter()
            .any(|d| d.kind == kind && d.name.eq_ignore_ascii_case(name))
        {
            snap.dns.push(RecordedDns {
                name: name.to_string(),
                kind,
                answer: answer.clone(),
            });
        }
        answer
    }

    fn https_get(&self, url: &str, max_bytes: usize) -> HttpAnswer {
        let answer = self.inner.https_get(url, max_bytes);
        let mut snap = self.lock();
        if !snap.http.iter().any(|h| h.url == url) {
            snap.http.push(RecordedHttp {
                url: url.to_string(),
                answer: answer.clone(),
            });
        }
        answer
    }

    fn discover(&self, service_types: &[&str], bound: Duration) -> DiscoveryAnswer {
        let answer = self.inner.discover(service_types, bound);
        let mut snap = self.lock();
        if !snap.discovery.iter().any(|d| {
            d.service_types
                .iter()
                .map(String::as_str)
                .eq(service_types.iter().copied())
        }) {
            snap.discovery.push(RecordedDiscovery {
                service_types: service_types.iter().map(|t| t.to_string()).collect(),
                answer: answer.clone(),
            });
        }
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::exec::ExecLimits;
    use crate::system::live::LiveSystem;
    use crate::system::replay::ReplaySystem;

    #[test]
    fn heads_of_binary_files_and_dates_are_recorded_and_replayed() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("daily.cvd");
        let mut bytes = b"ClamAV-VDB:16 Apr 2020 07-58 -0400:25784".to_vec();
        bytes.extend([0x1f, 0x8b, 0x08, 0xff, 0xfe]); // a gzip stream follows the header
        std::fs::write(&db, &bytes).unwrap();
        let stamp = dir.path().join("stamp");
        std::fs::write(&stamp, "").unwrap();
        let (db, stamp) = (db.to_str().unwrap(), stamp.to_str().unwrap());

        let recorder = RecordingSystem::new(LiveSystem::new(ExecLimits::default()));
        assert!(
            matches!(recorder.read_file(db), FileRead::Unreadable(_)),
            "the whole file is not text"
        );
        assert_eq!(
            recorder.read_file_head(db, 40),
            FileRead::Contents("ClamAV-VDB:16 Apr 2020 07-58 -0400:25784".into())
        );
        let when = recorder.modified(stamp).expect("a real file has a date");
        assert_eq!(recorder.read_file(stamp), FileRead::Contents(String::new()));

        let replay = ReplaySystem::new(recorder.snapshot());
        assert_eq!(replay.read_file_head(db, 10), FileRead::Contents("ClamAV-VDB".into()));
        assert_eq!(replay.modified(stamp), Some(when));
        assert_eq!(
            replay.read_file(stamp),
            FileRead::Contents(String::new()),
            "a date recorded first keeps the contents too"
        );
        assert_eq!(replay.modified("/nonexistent"), None);
    }

    #[test]
    fn a_slow_program_gets_its_longer_time_and_is_recorded_and_replayed() {
        let limits = ExecLimits {
            timeout: std::time::Duration::from_millis(300),
            ..ExecLimits::default()
        };
        let recorder = RecordingSystem::new(LiveSystem::new(limits));
        let args = ["-c", "sleep 0.6; echo done"];
        assert!(recorder.run("sh", &args).timed_out, "the usual timeout stops it");
        let slow_args = ["-c", "sleep 0.6; echo slow"];
        let out = recorder.run_slow("sh", &slow_args, std::time::Duration::from_secs(5));
        assert_eq!((out.status, out.stdout.as_str()), (Some(0), "slow\n"));
        let replay = ReplaySystem::new(recorder.snapshot());
        assert_eq!(
            replay
                .run_slow("sh", &slow_args, std::time::Duration::from_secs(5))
                .stdout,
            "slow\n"
        );
        assert!(replay.run("sh", &args).timed_out);
    }
}
