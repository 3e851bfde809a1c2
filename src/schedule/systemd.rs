//! Linux with a user systemd manager: a user timer and its oneshot service in
//! `~/.config/systemd/user`, enabled with `systemctl --user`. `Persistent=true` runs a check
//! missed while the computer was off at the next start; the randomized delay spreads the load.

use std::path::{Path, PathBuf};

use super::{Backend, Installed, NAME, ScheduleError, Target, When, must, remove_file, write};
use crate::system::FileRead;
use crate::system::effects::Effects;

pub const SERVICE: &str = "confide-weekly.service";
pub const TIMER: &str = "confide-weekly.timer";

/// `<config>/systemd/user`.
pub fn unit_dir_in(config: &Path) -> PathBuf {
    config.join("systemd").join("user")
}

fn unit_dir(t: &Target) -> PathBuf {
    unit_dir_in(&t.xdg_config_home.clone().unwrap_or_else(|| t.home.join(".config")))
}

/// The service unit: runs the scheduled scan once. Exit 1 (something failed) is the scan's
/// verdict, not a failure of the unit.
pub fn service_unit(exe: &Path) -> String {
    format!(
        "[Unit]\n\
         Description=confide weekly check of this computer against your guidance\n\
         \n\
         [Service]\n\
         Type=oneshot\n\
         ExecStart={} scan --scheduled\n\
         SuccessExitStatus=1\n",
        quote(exe)
    )
}

/// The timer unit.
pub fn timer_unit(when: When) -> String {
    format!(
        "[Unit]\n\
         Description=Run confide's weekly check ({})\n\
         \n\
         [Timer]\n\
         OnCalendar={} *-*-* {:02}:{:02}:00\n\
         Persistent=true\n\
         RandomizedDelaySec=15min\n\
         Unit={SERVICE}\n\
         \n\
         [Install]\n\
         WantedBy=timers.target\n",
        when.describe(),
        when.day_abbrev(),
        when.hour,
        when.minute
    )
}

/// A path for `ExecStart=`: double-quoted, with `\`, `"`, `%` and `$` escaped as systemd reads
/// them (systemd.service(5), "Command lines"; systemd.unit(5), "Specifiers").
fn quote(path: &Path) -> String {
    let p = path.to_string_lossy();
    format!(
        "\"{}\"",
        p.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('%', "%%")
            .replace('$', "$$")
    )
}

pub(super) fn install(fx: &dyn Effects, t: &Target, when: When) -> Result<Installed, ScheduleError> {
    let dir = unit_dir(t);
    write(fx, &dir.join(SERVICE), service_unit(&t.exe).as_bytes())?;
    write(fx, &dir.join(TIMER), timer_unit(when).as_bytes())?;
    must(fx, "systemctl", &["--user", "daemon-reload"])?;
    must(fx, "systemctl", &["--user", "enable", "--now", TIMER])?;
    Ok(Installed {
        backend: Backend::Systemd,
        location: dir.join(TIMER).display().to_string(),
        detail: None,
    })
}

pub(super) fn remove(fx: &dyn Effects, t: &Target) -> Result<(), ScheduleError> {
    let dir = unit_dir(t);
    // Not enabled (a manager that is not running) is no reason to keep the files.
    let _ = fx.run("systemctl", &["--user", "disable", "--now", TIMER]);
    remove_file(fx, &dir.join(TIMER))?;
    remove_file(fx, &dir.join(SERVICE))?;
    let _ = fx.run("systemctl", &["--user", "daemon-reload"]);
    Ok(())
}

pub(super) fn status(fx: &dyn Effects, t: &Target) -> Option<Installed> {
    let timer = unit_dir(t).join(TIMER);
    if !matches!(fx.read(&timer), FileRead::Contents(_)) {
        return None;
    }
    // `systemctl show` prints `Key=value` lines (systemctl(1), "show").
    let out = fx.run(
        "systemctl",
        &[
            "--user",
            "show",
            TIMER,
            "--property=ActiveState,NextElapseUSecRealtime,LastTriggerUSec",
        ],
    );
    let detail = out.succeeded().then(|| {
        out.stdout
            .lines()
            .filter_map(|l| l.split_once('='))
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    });
    let _ = NAME;
    Some(Installed {
        backend: Backend::Systemd,
        location: timer.display().to_string(),
        detail: detail.filter(|d| !d.is_empty()),
    })
}
