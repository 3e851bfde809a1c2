//! Runs one program: no shell, stdin closed, output capped, killed after a timeout.
//!
//! This is the one place in confide allowed to call `std::process::Command::new`.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

use super::child::Started;
use super::{CommandOutput, human_seconds};

/// Limits applied to every program run.
#[derive(Debug, Clone, Copy)]
pub struct ExecLimits {
    pub timeout: Duration,
    /// Bytes kept of stdout and of stderr each; the rest is read and dropped so the child never
    /// blocks on a full pipe.
    pub output_cap: usize,
}

impl Default for ExecLimits {
    fn default() -> Self {
        ExecLimits {
            timeout: Duration::from_secs(5),
            output_cap: 1024 * 1024,
        }
    }
}

/// How long to wait for the output readers after the child has gone: a grandchild that inherited
/// the pipes can keep them open, and we must not wait for it.
const READER_GRACE: Duration = Duration::from_millis(250);

/// Runs `program` with `args` under `limits`.
pub fn run(program: &str, args: &[&str], limits: ExecLimits) -> CommandOutput {
    let Ok(path) = which::which(program) else {
        return CommandOutput::missing();
    };
    #[allow(clippy::disallowed_methods)] // the System's one sanctioned place to start programs
    let mut command = Command::new(path);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());

    let mut child = match Started::spawn(command) {
        Ok(child) => child,
        Err(e) => {
            return CommandOutput {
                error: Some(format!("could not start {program}: {e}")),
                ..Default::default()
            };
        }
    };
    let stdout = spawn_reader(child.take_stdout(), limits.output_cap);
    let stderr = spawn_reader(child.take_stderr(), limits.output_cap);

    let (status, timed_out) = match child.wait_timeout(limits.timeout) {
        Ok(Some(code)) => (code, false),
        Ok(None) => {
            child.kill_tree();
            (None, true)
        }
        Err(e) => {
            child.kill_tree();
            return CommandOutput {
                error: Some(format!("could not wait for {program}: {e}")),
                ..Default::default()
            };
        }
    };
    let mut out = CommandOutput {
        status,
        stdout: collect(stdout),
        stderr: collect(stderr),
        timed_out,
        ..Default::default()
    };
    if timed_out {
        out.error = None;
        if !out.stderr.is_empty() && !out.stderr.ends_with('\n') {
            out.stderr.push('\n');
        }
        out.stderr
            .push_str(&format!("(confide: killed after {})", human_seconds(limits.timeout)));
    }
    out
}

/// Output read so far by a reader thread, and a signal when the pipe has closed.
struct Reader {
    kept: Arc<Mutex<Vec<u8>>>,
    closed: mpsc::Receiver<()>,
}

fn spawn_reader<R: Read + Send + 'static>(source: Option<R>, cap: usize) -> Reader {
    let (tx, closed) = mpsc::channel();
    let kept = Arc::new(Mutex::new(Vec::new()));
    if let Some(mut source) = source {
        let kept = Arc::clone(&kept);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match source.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
                        let room = cap.saturating_sub(kept.len());
                        kept.extend_from_slice(&buf[..n.min(room)]);
                    }
                }
            }
            let _ = tx.send(());
        });
    }
    Reader { kept, closed }
}

/// What the reader has read once the pipe closed, or after the grace period when a grandchild
/// still holds it open: the child's own output is kept either way.
fn collect(reader: Reader) -> String {
    let _ = reader.closed.recv_timeout(READER_GRACE);
    let bytes = std::mem::take(&mut *reader.kept.lock().unwrap_or_else(|p| p.into_inner()));
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::Instant;

    fn limits(ms: u64) -> ExecLimits {
        ExecLimits {
            timeout: Duration::from_millis(ms),
            output_cap: 16,
        }
    }

    #[test]
    fn a_program_that_exits_gives_its_status_and_output() {
        let out = run("sh", &["-c", "echo hello; echo oops >&2; exit 3"], limits(5000));
        assert_eq!(out.status, Some(3));
        assert_eq!(out.stdout, "hello\n");
        assert_eq!(out.stderr, "oops\n");
        assert!(!out.timed_out);
    }

    #[test]
    fn a_missing_program_is_reported_as_missing() {
        let out = run("confide-no-such-program", &[], limits(1000));
        assert!(out.missing);
    }

    #[test]
    fn a_hung_program_is_killed_after_the_timeout_with_its_children() {
        let started = Instant::now();
        // The shell starts a grandchild that holds the pipes open.
        let out = run("sh", &["-c", "sleep 60 & sleep 60"], limits(300));
        assert!(out.timed_out);
        assert!(out.stderr.contains("killed after 0.3 s"), "{}", out.stderr);
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn output_beyond_the_cap_is_dropped_without_blocking_the_child() {
        let out = run("sh", &["-c", "head -c 200000 /dev/zero | tr '\\0' x"], limits(5000));
        assert_eq!(out.status, Some(0));
        assert_eq!(out.stdout.len(), 16);
    }

    #[test]
    fn output_is_kept_when_a_grandchild_holds_the_pipe() {
        let started = Instant::now();
        // The answer is printed, then a background child keeps stdout open after the shell exits.
        let out = run("sh", &["-c", "echo 'status: ok'; sleep 5 & exit 0"], limits(5000));
        assert_eq!(out.status, Some(0));
        assert_eq!(out.stdout, "status: ok\n");
        assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    }

    #[test]
    fn stdin_is_closed() {
        let out = run("cat", &[], limits(5000));
        assert_eq!(out.status, Some(0));
        assert_eq!(out.stdout, "");
    }
}
