//! macOS: a LaunchAgent in `~/Library/LaunchAgents` with `StartCalendarInterval`, loaded into the
//! user's GUI session with `launchctl bootstrap gui/<uid>` and removed with `bootout`
//! (launchd.plist(5), launchctl(1)). launchd runs a missed interval when the Mac wakes.

use std::path::{Path, PathBuf};

use plist::{Dictionary, Value};

use super::{Backend, Installed, ScheduleError, Target, When, must, remove_file, write};
use crate::system::FileRead;
use crate::system::effects::Effects;

pub const LABEL: &str = "org.confide.weekly";

/// `~/Library/LaunchAgents/org.confide.weekly.plist`.
pub fn plist_path_in(home: &Path) -> PathBuf {
    home.join("Library").join("LaunchAgents").join(format!("{LABEL}.plist"))
}

/// The agent's property list, as XML. `Weekday` counts from 0 = Sunday.
pub fn plist_xml(exe: &Path, when: When) -> Vec<u8> {
    let mut interval = Dictionary::new();
    interval.insert(
        "Weekday".into(),
        Value::Integer(i64::from(when.day.to_sunday_zero_offset()).into()),
    );
    interval.insert("Hour".into(), Value::Integer(i64::from(when.hour).into()));
    interval.insert("Minute".into(), Value::Integer(i64::from(when.minute).into()));
    let mut agent = Dictionary::new();
    agent.insert("Label".into(), Value::String(LABEL.into()));
    agent.insert(
        "ProgramArguments".into(),
        Value::Array(vec![
            Value::String(exe.to_string_lossy().into_owned()),
            Value::String("scan".into()),
            Value::String("--scheduled".into()),
        ]),
    );
    agent.insert("StartCalendarInterval".into(), Value::Dictionary(interval));
    agent.insert("ProcessType".into(), Value::String("Background".into()));
    let mut out = Vec::new();
    // Writing a dictionary into memory cannot fail.
    let _ = Value::Dictionary(agent).to_writer_xml(&mut out);
    out.push(b'\n');
    out
}

/// `gui/<uid>`: the user's session domain, from `id -u`.
fn domain(fx: &dyn Effects) -> Result<String, ScheduleError> {
    let out = must(fx, "id", &["-u"])?;
    let uid = out.stdout.trim();
    if uid.is_empty() || !uid.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ScheduleError::Failed(format!(
            "`id -u` did not give a user id: {uid:?}"
        )));
    }
    Ok(format!("gui/{uid}"))
}

pub(super) fn install(fx: &dyn Effects, t: &Target, when: When) -> Result<Installed, ScheduleError> {
    let path = plist_path_in(&t.home);
    let domain = domain(fx)?;
    // Installing again replaces the agent: unload the old one first (not loaded is fine).
    let _ = fx.run("launchctl", &["bootout", &format!("{domain}/{LABEL}")]);
    write(fx, &path, &plist_xml(&t.exe, when))?;
    must(fx, "launchctl", &["bootstrap", &domain, &path.to_string_lossy()])?;
    Ok(Installed {
        backend: Backend::Launchd,
        location: path.display().to_string(),
        detail: None,
    })
}

pub(super) fn remove(fx: &dyn Effects, t: &Target) -> Result<(), ScheduleError> {
    let domain = domain(fx)?;
    let _ = fx.run("launchctl", &["bootout", &format!("{domain}/{LABEL}")]);
    remove_file(fx, &plist_path_in(&t.home))
}

pub(super) fn status(fx: &dyn Effects, t: &Target) -> Option<Installed> {
    let path = plist_path_in(&t.home);
    if !matches!(fx.read(&path), FileRead::Contents(_)) {
        return None;
    }
    let loaded = domain(fx)
        .ok()
        .map(|d| fx.run("launchctl", &["print", &format!("{d}/{LABEL}")]).succeeded());
    Some(Installed {
        backend: Backend::Launchd,
        location: path.display().to_string(),
        detail: loaded.map(|l| {
            if l {
                "loaded".into()
            } else {
                "not loaded: run `confide schedule install` again".into()
            }
        }),
    })
}
