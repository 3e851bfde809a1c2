//! Reading the user's files and writing confide's own, so that nothing is lost and nothing hangs.
//!
//! Every input (policy, profile, check file, snapshot, ICO register) is opened here: it must be a
//! regular file (a named pipe or `/dev/zero` would hang or fill memory), it is read with a size
//! cap suited to its kind, and text that is not UTF-8 is reported at its line and column.
//!
//! Every output (profile, report, snapshot) is written here: through a temporary file in the same
//! folder, flushed to disk and renamed over the target in one step, through symlinks to the file
//! they point to, keeping an existing file's permissions, and never over one of the run's inputs.
//! A target that is not a regular file (a named pipe, `/dev/stdout`) is written directly. The
//! temporary files carry a recognisable name with their process id, so a run killed half-way
//! leaves nothing that the next write into that folder does not clean up.

use std::fmt;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, BufWriter, ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use crate::diag::InputError;

/// The kinds of file confide reads, each with the most it will read of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Policy,
    Profile,
    CheckFile,
    Snapshot,
    /// The ICO register download: only checked here, then streamed row by row by its reader.
    IcoRegister,
    /// An earlier report (JSON, or a PDF carrying it) for `confide report` and `confide verify`.
    Report,
    /// A minisign signature or public key beside a report.
    Key,
}

impl InputKind {
    /// Bytes read at most: generous for what a person or `confide collect` writes, and far
    /// below what would exhaust memory.
    pub fn cap(self) -> u64 {
        match self {
            InputKind::Policy | InputKind::CheckFile => 4 << 20,
            InputKind::Profile => 1 << 20,
            InputKind::Snapshot => 256 << 20,
            InputKind::Report => 64 << 20,
            InputKind::Key => 64 << 10,
            InputKind::IcoRegister => u64::MAX,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            InputKind::Policy => "policy",
            InputKind::Profile => "profile",
            InputKind::CheckFile => "check file",
            InputKind::Snapshot => "snapshot",
            InputKind::IcoRegister => "ICO register",
            InputKind::Report => "report",
            InputKind::Key => "signature or key",
        }
    }
}

/// The words for a file that is not a regular file.
pub fn what_it_is(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder, not a file";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe, not a file";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device, not a file";
        }
        if t.is_socket() {
            return "a socket, not a file";
        }
    }
    "not a regular file"
}

/// Opens without blocking: opening a named pipe for reading would otherwise wait for a writer.
fn open_for_reading(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Opens an input and checks it is a regular file; `Ok(None)` when there is no file there.
pub fn open_input(path: &Path, kind: InputKind) -> Result<Option<File>, InputError> {
    let noun = kind.noun();
    let file = match open_for_reading(path) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(InputError::whole_file(path, format!("cannot read the {noun}: {e}"))),
    };
    let meta = file
        .metadata()
        .map_err(|e| InputError::whole_file(path, format!("cannot read the {noun}: {e}")))?;
    if !meta.is_file() {
        return Err(
            InputError::whole_file(path, format!("cannot read the {noun}: this is {}", what_it_is(&meta)))
                .help(format!("give the path of the {noun} file itself")),
        );
    }
    Ok(Some(file))
}

/// Reads an input as text; `Ok(None)` when there is no file there.
pub fn read_input(path: &Path, kind: InputKind) -> Result<Option<String>, InputError> {
    match read_input_bytes(path, kind)? {
        Some(bytes) => text_from_bytes(path, bytes, kind.noun()).map(Some),
        None => Ok(None),
    }
}

/// Reads an input's bytes (a PDF is not text); `Ok(None)` when there is no file there.
pub fn read_input_bytes(path: &Path, kind: InputKind) -> Result<Option<Vec<u8>>, InputError> {
    let Some(file) = open_input(path, kind)? else {
        return Ok(None);
    };
    let noun = kind.noun();
    let cap = kind.cap();
    let mut bytes = Vec::new();
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::whole_file(path, format!("cannot read the {noun}: {e}")))?;
    if bytes.len() as u64 > cap {
        return Err(InputError::whole_file(
            path,
            format!(
                "the {noun} is larger than {} MB, more than any {noun} should be",
                cap >> 20
            ),
        )
        .help(format!("check that this is the {noun} you meant")));
    }
    Ok(Some(bytes))
}

/// UTF-8 text, or an error at the line and column of the first byte that is not.
pub fn text_from_bytes(path: &Path, bytes: Vec<u8>, noun: &str) -> Result<String, InputError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let before = String::from_utf8_lossy(&bytes[..valid]);
        let (line, column) = crate::diag::line_column(&before, before.len());
        let mut err = InputError::whole_file(path, format!("the {noun} is not UTF-8 text"));
        err.line = line;
        err.column = column;
        err.help("save the file as UTF-8 text")
    })
}

/// Why an output could not be written. Names the file the user gave, never a temporary file.
#[derive(Debug)]
pub enum WriteError {
    /// The output is the same file as one of the run's inputs.
    SameAsInput { output: PathBuf, input: PathBuf },
    /// The folder the file goes into does not exist.
    NoFolder { output: PathBuf, folder: PathBuf },
    /// The file exists and its permissions say nobody may write it.
    ReadOnly { output: PathBuf },
    /// Anything else, with the system's or the renderer's reason.
    Failed { output: PathBuf, reason: String },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::SameAsInput { output, input } => write!(
                f,
                "will not write to {}: it is the same file as the input {}; choose another file name",
                output.display(),
                input.display()
            ),
            WriteError::NoFolder { output, folder } => write!(
                f,
                "could not write {}: the folder {} does not exist",
                output.display(),
                folder.display()
            ),
            WriteError::ReadOnly { output } => write!(
                f,
                "will not write {}: it is read-only; make it writable (or choose another file) if it should change",
                output.display()
            ),
            WriteError::Failed { output, reason } => write!(f, "could not write {}: {reason}", output.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// The file a path finally names, following symlinks one link at a time (the target of the last
/// link may not exist yet).
pub fn resolve_symlinks(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)?;
                current = if target.is_absolute() {
                    target
                } else {
                    folder_of(&current).join(target)
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes `path` in one step (see the module's doc), refusing when it is one of `inputs`.
pub fn write_atomically<E: fmt::Display + From<io::Error>>(
    path: &Path,
    inputs: &[&Path],
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), WriteError> {
    let failed = |reason: String| WriteError::Failed {
        output: path.to_path_buf(),
        reason,
    };
    for input in inputs {
        if is_same_file(path, input) {
            return Err(WriteError::SameAsInput {
                output: path.to_path_buf(),
                input: input.to_path_buf(),
            });
        }
    }
    let target = resolve_symlinks(path).map_err(|e| failed(e.to_string()))?;
    let existing = match std::fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Err(failed(e.to_string())),
    };
    if let Some(meta) = &existing {
        if !meta.is_file() {
            return write_directly(&target, write).map_err(failed);
        }
        if meta.permissions().readonly() {
            return Err(WriteError::ReadOnly {
                output: path.to_path_buf(),
            });
        }
    }
    let folder = folder_of(&target);
    if !folder.is_dir() {
        return Err(WriteError::NoFolder {
            output: path.to_path_buf(),
            folder,
        });
    }
    remove_orphan_temporaries(&folder);
    replace(&target, &folder, existing.as_ref(), write).map_err(failed)
}

/// True when both paths name one existing file (through links, or as two hard links). Only
/// metadata is read: opening a named pipe to compare it would wait for a writer.
fn is_same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
    }
}

/// A named pipe or a device: there is nothing to replace, so the bytes go straight in.
fn write_directly<E: fmt::Display + From<io::Error>>(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), String> {
    let file = OpenOptions::new().write(true).open(target).map_err(|e| e.to_string())?;
    let mut out = BufWriter::new(file);
    write(&mut out).map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())
}

/// The marker in every temporary file's name, followed by the writing process's id.
const TEMP_MARK: &str = ".confide-tmp-";

fn replace<E: fmt::Display + From<io::Error>>(
    target: &Path,
    folder: &Path,
    existing: Option<&Metadata>,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), String> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(&format!("{TEMP_MARK}{}", std::process::id()))
        .tempfile_in(folder)
        .map_err(|e| e.to_string())?;
    if let Some(meta) = existing {
        keep_owner_and_mode(tmp.as_file(), meta);
    }
    let mut buffered = BufWriter::new(&mut tmp);
    write(&mut buffered).map_err(|e| e.to_string())?;
    buffered.flush().map_err(|e| e.to_string())?;
    drop(buffered);
    tmp.as_file().sync_all().map_err(|e| e.to_string())?;
    tmp.persist(target).map_err(|e| e.error.to_string())?;
    // The rename itself is durable only once the folder is on disk too.
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn keep_owner_and_mode(file: &File, meta: &Metadata) {
    let _ = file.set_permissions(meta.permissions());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only root may give a file away; for anyone else the owner is already right.
        let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    }
}

/// Removes temporary files left in `folder` by confide runs that were killed half-way.
pub fn remove_orphan_temporaries(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = temp_owner(&name.to_string_lossy()) else {
            continue;
        };
        if pid != std::process::id() && !process_exists(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a confide temporary file's name (`.report.json.AbC123.confide-tmp-4242`).
fn temp_owner(name: &str) -> Option<u32> {
    if !name.starts_with('.') {
        return None;
    }
    let (_, pid) = name.rsplit_once(TEMP_MARK)?;
    pid.parse().ok()
}

fn process_exists(pid: u32) -> bool {
    use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};
    let pid = Pid::from_u32(pid);
    let Ok(mut system) = System::new() else {
        // Without a process list, keep the file: it may belong to a running confide.
        return true;
    };
    system.refresh_processes_specifics(ProcessesToUpdate::Some(&[pid]), true, ProcessRefreshKind::nothing());
    system.process(pid).is_some()
}

/// An exclusive lock on `<file>.lock` beside a file, held until dropped, so that two confide
/// processes updating the same file take turns: lock, re-read, edit, write, rename, unlock.
#[derive(Debug)]
pub struct FileLock {
    _file: File,
}

impl FileLock {
    /// Waits for the lock beside `path` (after following symlinks to the real file).
    pub fn beside(path: &Path) -> io::Result<FileLock> {
        let target = resolve_symlinks(path)?;
        let mut name = target.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        let lock_path = folder_of(&target).join(name);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(lock_path)?;
        file.lock()?;
        Ok(FileLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_text(path: &Path, inputs: &[&Path], text: &str) -> Result<(), WriteError> {
        write_atomically(path, inputs, |out| out.write_all(text.as_bytes()))
    }

    #[test]
    fn a_write_that_fails_part_way_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old").unwrap();
        let result = write_atomically(&path, &[], |out| {
            out.write_all(b"half a rep")?;
            Err(io::Error::other("renderer gave up"))
        });
        assert!(result.unwrap_err().to_string().contains("renderer gave up"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_text(&path, &[], "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, b"a = 1\nb = \"\xff\"\n").unwrap();
        let err = read_input(&path, InputKind::Policy).unwrap_err();
        assert_eq!((err.line, err.column), (2, 6), "{err}");
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }

    #[test]
    fn a_missing_input_is_none_and_a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            read_input(&dir.path().join("nope"), InputKind::Profile)
                .unwrap()
                .is_none()
        );
        let err = read_input(dir.path(), InputKind::Profile).unwrap_err();
        assert!(err.message.contains("a folder"), "{err}");
    }

    #[test]
    fn temporary_names_carry_their_process_id() {
        assert_eq!(temp_owner(".profile.toml.Ab12Cd.confide-tmp-4242"), Some(4242));
        assert_eq!(temp_owner("profile.toml.confide-tmp-4242"), None);
        assert_eq!(temp_owner(".tmpAbCdEf"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_and_a_mode_is_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o644)).unwrap();
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink("real.toml", &link).unwrap();
        write_text(&link, &[], "new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_and_an_input_are_refused_and_a_missing_folder_is_named() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.toml");
        std::fs::write(&file, "keep").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
        assert!(matches!(write_text(&file, &[], "x"), Err(WriteError::ReadOnly { .. })));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            write_text(&file, &[&file], "x"),
            Err(WriteError::SameAsInput { .. })
        ));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
        let err = write_text(&dir.path().join("nodir/r.json"), &[], "x").unwrap_err();
        assert!(
            err.to_string().contains("does not exist") && !err.to_string().contains("confide-tmp"),
            "{err}"
        );
    }
}
