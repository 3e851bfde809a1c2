//! A started program together with everything it starts, so that a hung one is killed as a group.
//!
//! The one part of running a program that differs per operating system:
//! - Unix: the child leads a new process group, and a kill signals the whole group.
//! - Windows: the child starts suspended, is put in a Job Object and only then resumed (so nothing
//!   it starts can escape the job), without a console window (a scheduled run would otherwise
//!   flash one for every program), and a kill terminates the whole job. The `process-wrap` crate
//!   does the Win32 calls (suspend, assign, resume, terminate).
//!
//! The Windows half cannot run on the Linux machines that build and test confide: it is compiled
//! for `x86_64-pc-windows-gnu` there, and only the Windows CI runner runs it (`exec`'s tests and
//! the `confide scan`/`confide collect` smoke test).

use std::io;
use std::process::{ChildStderr, ChildStdout, Command};
use std::time::{Duration, Instant};

/// How often a waiting loop looks whether the program has exited, where the OS gives no blocking
/// wait with a timeout for it (Windows): short against any real timeout, long against a
/// scheduler tick. The wait never sleeps past the deadline.
const POLL_EVERY: Duration = Duration::from_millis(10);

// Unix has a blocking wait with a timeout; the polling loop is for Windows (and is tested here).
#[cfg_attr(not(windows), allow(dead_code))]
/// How long to sleep before looking again, given how much of the timeout is left.
fn next_sleep(left: Duration) -> Duration {
    left.min(POLL_EVERY)
}

#[cfg_attr(not(windows), allow(dead_code))]
/// Waits until `exited` says the program has gone (returning its exit code, `None` if it was
/// killed by a signal) or `timeout` has passed (`Ok(None)`). `exited` is asked at least once, even
/// with a zero timeout, and once more at the deadline.
fn poll_until<F>(timeout: Duration, mut exited: F) -> io::Result<Option<Option<i32>>>
where
    F: FnMut() -> io::Result<Option<Option<i32>>>,
{
    let start = Instant::now();
    loop {
        if let Some(code) = exited()? {
            return Ok(Some(code));
        }
        let left = timeout.saturating_sub(start.elapsed());
        if left.is_zero() {
            return Ok(None);
        }
        std::thread::sleep(next_sleep(left));
    }
}

pub(super) use imp::Started;

#[cfg(unix)]
mod imp {
    use super::*;
    use std::os::unix::process::CommandExt;
    use std::process::Child;
    use wait_timeout::ChildExt;

    /// A program started at the head of its own process group.
    pub(in crate::system) struct Started {
        child: Child,
    }

    impl Started {
        pub fn spawn(mut command: Command) -> io::Result<Started> {
            command.process_group(0);
            Ok(Started {
                child: command.spawn()?,
            })
        }

        pub fn take_stdout(&mut self) -> Option<ChildStdout> {
            self.child.stdout.take()
        }

        pub fn take_stderr(&mut self) -> Option<ChildStderr> {
            self.child.stderr.take()
        }

        /// The program's exit code once it has exited (`Some(None)`: killed by a signal), or
        /// `None` if it is still running after `timeout`.
        pub fn wait_timeout(&mut self, timeout: Duration) -> io::Result<Option<Option<i32>>> {
            Ok(self.child.wait_timeout(timeout)?.map(|status| status.code()))
        }

        /// Kills the program and every process in its group, then reaps it.
        pub fn kill_tree(&mut self) {
            if let Ok(pid) = i32::try_from(self.child.id()) {
                // SAFETY: kill(2) with a negative pid signals the process group we created for
                // the child; it has no memory-safety preconditions.
                unsafe {
                    libc::kill(-pid, libc::SIGKILL);
                }
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[cfg(windows)]
mod imp {
    use super::*;
    use process_wrap::std::{ChildWrapper, CommandWrap, CreationFlags, JobObject};
    use windows::Win32::System::Threading::{CREATE_NO_WINDOW, PROCESS_CREATION_FLAGS};

    /// Creation flags for every program confide starts: no console window. `JobObject` adds
    /// `CREATE_SUSPENDED` itself while it puts the program in the job, and keeps these.
    pub(super) fn creation_flags() -> PROCESS_CREATION_FLAGS {
        CREATE_NO_WINDOW
    }

    /// A program started inside its own Job Object, without a console window.
    pub(in crate::system) struct Started {
        // Not `KillOnDrop`: a program that finished in time may leave a helper running, as it
        // would when the user runs it; only a timeout kills the job.
        child: Box<dyn ChildWrapper>,
    }

    impl Started {
        pub fn spawn(command: Command) -> io::Result<Started> {
            let mut wrapped = CommandWrap::from(command);
            wrapped.wrap(CreationFlags(creation_flags())).wrap(JobObject);
            Ok(Started {
                child: wrapped.spawn()?,
            })
        }

        pub fn take_stdout(&mut self) -> Option<ChildStdout> {
            self.child.stdout().take()
        }

        pub fn take_stderr(&mut self) -> Option<ChildStderr> {
            self.child.stderr().take()
        }

        /// The program's exit code once it has exited, or `None` if it is still running after
        /// `timeout`. `JobObjectChild::try_wait` answers for the program itself, not for what
        /// it started, as on Unix.
        pub fn wait_timeout(&mut self, timeout: Duration) -> io::Result<Option<Option<i32>>> {
            poll_until(timeout, || Ok(self.child.try_wait()?.map(|status| status.code())))
        }

        /// Terminates every process in the job, then reaps the program.
        pub fn kill_tree(&mut self) {
            // `kill` terminates the job (TerminateJobObject) and waits for it.
            let _ = self.child.kill();
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use windows::Win32::System::Threading::{CREATE_NEW_CONSOLE, CREATE_SUSPENDED, DETACHED_PROCESS};

        #[test]
        fn programs_start_without_a_console_window() {
            let flags = creation_flags();
            assert!(flags.contains(CREATE_NO_WINDOW));
            // A new console (a window) or a detached process (no console at all, so programs
            // that write to the console fail) would defeat it; suspension is JobObject's job.
            assert!(!flags.contains(CREATE_NEW_CONSOLE));
            assert!(!flags.contains(DETACHED_PROCESS));
            assert!(!flags.contains(CREATE_SUSPENDED));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn the_wait_sleeps_in_short_steps_and_never_past_the_deadline() {
        assert_eq!(next_sleep(Duration::from_secs(5)), POLL_EVERY);
        assert_eq!(next_sleep(Duration::from_millis(3)), Duration::from_millis(3));
        assert_eq!(next_sleep(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn a_program_that_has_exited_is_seen_at_once_even_with_no_time_left() {
        let asked = Cell::new(0);
        let got = poll_until(Duration::ZERO, || {
            asked.set(asked.get() + 1);
            Ok(Some(Some(3)))
        });
        assert_eq!(got.unwrap(), Some(Some(3)));
        assert_eq!(asked.get(), 1);
    }

    #[test]
    fn a_program_that_exits_while_waited_for_gives_its_code() {
        let asked = Cell::new(0);
        let got = poll_until(Duration::from_secs(5), || {
            asked.set(asked.get() + 1);
            Ok((asked.get() == 3).then_some(None))
        });
        assert_eq!(got.unwrap(), Some(None));
        assert_eq!(asked.get(), 3);
    }

    #[test]
    fn a_program_still_running_at_the_deadline_times_out_after_a_last_look() {
        let asked = Cell::new(0);
        let start = Instant::now();
        let got = poll_until(Duration::from_millis(50), || {
            asked.set(asked.get() + 1);
            Ok(None)
        });
        assert_eq!(got.unwrap(), None);
        assert!(start.elapsed() >= Duration::from_millis(50));
        // The first look and one after the deadline at least; one per POLL_EVERY at most.
        assert!((2..=6).contains(&asked.get()), "asked {} times", asked.get());
    }

    #[test]
    fn an_error_while_waiting_is_returned() {
        let got = poll_until(Duration::from_secs(5), || Err(io::Error::other("gone")));
        assert_eq!(got.unwrap_err().to_string(), "gone");
    }
}
