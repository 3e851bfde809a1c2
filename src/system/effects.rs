//! What setting up a schedule does to the machine: write and remove a few files and run the OS's
//! own scheduling commands. Kept behind [`Effects`] so the macOS and Windows installers run in
//! tests on Linux against [`RecordedEffects`], which keeps every write and command for a snapshot.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::exec::{self, ExecLimits};
use super::{CommandOutput, FileRead};

/// Writes, removals and commands, all answered; none panics.
pub trait Effects {
    fn run(&self, program: &str, args: &[&str]) -> CommandOutput;
    fn read(&self, path: &Path) -> FileRead;
    /// Replaces the file atomically (temporary file in the same folder, fsync, rename), creating
    /// its folder when needed.
    fn write(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()>;
    /// Removes the file; a file that is not there is not an error.
    fn remove(&self, path: &Path) -> std::io::Result<()>;
    /// Waits for the exclusive lock beside `path` (`<path>.lock`) and holds it until the guard is
    /// dropped, so two confide processes editing one thing (a crontab) take turns.
    fn lock(&self, path: &Path) -> std::io::Result<Lock>;
}

/// An exclusive lock held until dropped (none in a recorded machine, which is one process).
#[derive(Debug)]
pub struct Lock {
    _held: Option<super::files::FileLock>,
}

/// The real machine.
pub struct LiveEffects {
    pub limits: ExecLimits,
}

impl Effects for LiveEffects {
    fn run(&self, program: &str, args: &[&str]) -> CommandOutput {
        exec::run(program, args, self.limits)
    }

    fn read(&self, path: &Path) -> FileRead {
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => FileRead::Contents(text),
                Err(_) => FileRead::Unreadable("not UTF-8".into()),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileRead::Missing,
            Err(_) if path.is_dir() => FileRead::Directory,
            Err(e) => FileRead::Unreadable(e.to_string()),
        }
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        super::files::write_atomically(path, &[], |out| out.write_all(bytes)).map_err(std::io::Error::other)
    }

    fn remove(&self, path: &Path) -> std::io::Result<()> {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    fn lock(&self, path: &Path) -> std::io::Result<Lock> {
        super::files::FileLock::beside(path).map(|l| Lock { _held: Some(l) })
    }
}

/// A machine in memory for tests: commands answered from a table (unlisted ones succeed with no
/// output), files kept in a map, and every action logged in order.
#[derive(Default)]
pub struct RecordedEffects {
    /// Answers keyed by the command line (`program arg arg`).
    pub answers: BTreeMap<String, CommandOutput>,
    pub files: Mutex<BTreeMap<PathBuf, Vec<u8>>>,
    pub log: Mutex<Vec<String>>,
}

impl RecordedEffects {
    /// Answers `command_line` (`program arg arg`) with `output`.
    pub fn answer(mut self, command_line: &str, output: CommandOutput) -> Self {
        self.answers.insert(command_line.to_string(), output);
        self
    }

    /// The actions so far, one per line.
    pub fn actions(&self) -> Vec<String> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The files now present, with their contents.
    pub fn file(&self, path: &Path) -> Option<Vec<u8>> {
        self.files.lock().unwrap_or_else(|p| p.into_inner()).get(path).cloned()
    }

    fn note(&self, line: String) {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).push(line);
    }
}

impl Effects for RecordedEffects {
    fn run(&self, program: &str, args: &[&str]) -> CommandOutput {
        let line = std::iter::once(program)
            .chain(args.iter().copied())
            .collect::<Vec<_>>()
            .join(" ");
        self.note(format!("run {line}"));
        self.answers.get(&line).cloned().unwrap_or(CommandOutput {
            status: Some(0),
            ..Default::default()
        })
    }

    fn read(&self, path: &Path) -> FileRead {
        match self.file(path) {
            Some(bytes) => FileRead::Contents(String::from_utf8_lossy(&bytes).into_owned()),
            None => FileRead::Missing,
        }
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        self.note(format!("write {} ({} bytes)", path.display(), bytes.len()));
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_path_buf(), bytes.to_vec());
        Ok(())
    }

    fn remove(&self, path: &Path) -> std::io::Result<()> {
        self.note(format!("remove {}", path.display()));
        self.files.lock().unwrap_or_else(|p| p.into_inner()).remove(path);
        Ok(())
    }

    fn lock(&self, path: &Path) -> std::io::Result<Lock> {
        self.note(format!("lock {}.lock", path.display()));
        Ok(Lock { _held: None })
    }
}
