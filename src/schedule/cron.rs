//! Linux without a user systemd manager: one line in the user's crontab, marked so confide can
//! find and remove it. The user's other lines are kept exactly; a crontab that cannot be read is
//! never replaced. Reading, editing and replacing the crontab happen under one lock
//! (`~/.confide-crontab.lock`), through a temporary file named for the process, so two installs
//! at once take turns instead of clobbering each other's file or line.

use super::{Backend, Installed, ScheduleError, Target, When, must, remove_file, write};
use crate::system::RunOutcome;
use crate::system::effects::{Effects, Lock};

/// Ends confide's line, so it is found again and never mistaken for the user's own.
pub const MARKER: &str =
    "# confide-weekly (added by `confide schedule install`; remove with `confide schedule remove`)";

/// Where the schedule is, in words (the line itself is long and technical).
const LOCATION: &str = "a line in your crontab, marked \"confide-weekly\"";

/// The crontab line: minute, hour, any day of month, any month, the day of the week (0 = Sunday).
pub fn line(t: &Target, when: When) -> String {
    let exe = t.exe.to_string_lossy().replace('\'', "'\\''").replace('%', "\\%");
    format!(
        "{} {} * * {} '{exe}' scan --scheduled {MARKER}",
        when.minute,
        when.hour,
        when.day.to_sunday_zero_offset()
    )
}

/// The current crontab: empty when the user has none. Debian's `crontab -l` says
/// `no crontab for <user>` on stderr and exits 1 then; anything else is an error.
fn current(fx: &dyn Effects) -> Result<String, ScheduleError> {
    let out = fx.run("crontab", &["-l"]);
    match out.outcome() {
        RunOutcome::Exited { status: Some(0) } => Ok(out.stdout),
        RunOutcome::Exited { .. } if out.stderr.contains("no crontab for") => Ok(String::new()),
        _ => Err(ScheduleError::Failed(format!(
            "could not read your crontab, so it was left as it is: {}",
            out.failure("crontab").unwrap_or_default()
        ))),
    }
}

/// The file whose lock (`~/.confide-crontab.lock`) confide holds while it edits the crontab.
fn lock_path(t: &Target) -> std::path::PathBuf {
    t.home.join(".confide-crontab")
}

fn take_turn(fx: &dyn Effects, t: &Target) -> Result<Lock, ScheduleError> {
    let path = lock_path(t);
    fx.lock(&path).map_err(|e| {
        ScheduleError::Failed(format!(
            "could not lock {}.lock to change your crontab, so it was left as it is: {e}",
            path.display()
        ))
    })
}

/// Replaces the crontab with `text` through a file (`crontab FILE`), then removes the file. The
/// caller holds the lock.
fn replace(fx: &dyn Effects, t: &Target, text: &str) -> Result<(), ScheduleError> {
    let file = t.home.join(format!(".confide-crontab.{}.tmp", std::process::id()));
    write(fx, &file, text.as_bytes())?;
    let result = must(fx, "crontab", &[&file.to_string_lossy()]);
    remove_file(fx, &file)?;
    result.map(|_| ())
}

fn without_ours(text: &str) -> String {
    text.lines()
        .filter(|l| !l.contains(MARKER))
        .map(|l| format!("{l}\n"))
        .collect()
}

pub(super) fn install(fx: &dyn Effects, t: &Target, when: When) -> Result<Installed, ScheduleError> {
    let _turn = take_turn(fx, t)?;
    let mut text = without_ours(&current(fx)?);
    let ours = line(t, when);
    text.push_str(&ours);
    text.push('\n');
    replace(fx, t, &text)?;
    Ok(Installed {
        backend: Backend::Cron,
        location: LOCATION.to_string(),
        detail: None,
    })
}

pub(super) fn remove(fx: &dyn Effects, t: &Target) -> Result<(), ScheduleError> {
    let _turn = take_turn(fx, t)?;
    let text = current(fx)?;
    replace(fx, t, &without_ours(&text))
}

pub(super) fn status(fx: &dyn Effects, _t: &Target) -> Result<Option<Installed>, ScheduleError> {
    let text = match fx.run("crontab", &["-l"]).outcome() {
        RunOutcome::Missing => return Ok(None),
        _ => current(fx)?,
    };
    Ok(text.lines().find(|l| l.contains(MARKER)).map(|l| Installed {
        backend: Backend::Cron,
        location: LOCATION.to_string(),
        // The line as cron reads it, without confide's long marker.
        detail: Some(l.replace(MARKER, "").trim_end().to_string()),
    }))
}
