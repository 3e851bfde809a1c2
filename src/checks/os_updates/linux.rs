//! Linux: which distribution's updater to read, and systemd's word on the timers that run them.

use super::{Reading, Reason, apt_pending, debian, dnf_pending, fedora};
use crate::checks::os_support::os_release_field;
use crate::system::{CommandOutput, FileRead, RunOutcome, System};

/// Debian and Ubuntu when `apt-config` is there, Fedora and its relatives by `/etc/os-release`.
pub(super) fn read(system: &dyn System) -> Reading {
    let apt = system.run("apt-config", &["dump", "APT::Periodic"]);
    if apt.outcome() != RunOutcome::Missing {
        let mut reading = debian::read(system, &apt);
        reading.pending = apt_pending::read(system, &mut reading.evidence);
        return reading;
    }
    let os_release = match system.read_file("/etc/os-release") {
        FileRead::Contents(text) => Some(text),
        _ => None,
    };
    let id = os_release.as_deref().and_then(|t| os_release_field(t, "ID"));
    let like = os_release.as_deref().and_then(|t| os_release_field(t, "ID_LIKE"));
    let fedora_like = id.as_deref() == Some("fedora")
        || like
            .as_deref()
            .is_some_and(|l| l.split_whitespace().any(|w| w == "fedora"));
    if fedora_like {
        let mut reading = fedora::read(system);
        reading.pending = dnf_pending::read(system, &mut reading.evidence);
        return reading;
    }
    let what = match (&os_release, &id) {
        (Some(_), Some(id)) => format!("/etc/os-release: ID={id}"),
        _ => "/etc/os-release could not be read".to_string(),
    };
    Reading::unknown(
        Reason::UnsupportedDistribution,
        "confide can tell whether updates are automatic only on Debian, Ubuntu and Fedora: check your distribution's update settings yourself.",
        vec![what, "`apt-config` is not installed".into()],
    )
}

// ---- systemd timers

/// What `systemctl is-enabled UNIT` said.
#[derive(Debug, Clone, PartialEq)]
pub enum UnitState {
    Enabled,
    /// `disabled`, or `masked` (listed in systemctl(1) as a state is-enabled prints).
    Disabled,
    /// The unit is not installed.
    NotFound,
    /// Anything else; the text says what.
    Other(String),
}

impl UnitState {
    pub(super) fn words(&self) -> String {
        match self {
            UnitState::Enabled => "enabled".into(),
            UnitState::Disabled => "disabled".into(),
            UnitState::NotFound => "not installed".into(),
            UnitState::Other(why) => why.clone(),
        }
    }
}

/// Parses `systemctl is-enabled UNIT`: one word on stdout (`enabled` exits 0, `disabled` exits 1);
/// a unit that is not installed exits 1 with, on stderr:
///
/// ```text
/// Failed to get unit file state for dnf5-automatic.timer: No such file or directory
/// ```
pub fn parse_is_enabled(out: &CommandOutput) -> UnitState {
    match out.outcome() {
        RunOutcome::Missing => return UnitState::Other("`systemctl` is not available".into()),
        RunOutcome::TimedOut => return UnitState::Other("`systemctl` timed out".into()),
        RunOutcome::Failed(e) => return UnitState::Other(e.to_string()),
        RunOutcome::Exited { .. } => {}
    }
    match out.stdout.trim() {
        "enabled" => UnitState::Enabled,
        "disabled" | "masked" => UnitState::Disabled,
        "" if out.stderr.contains("No such file or directory") => UnitState::NotFound,
        "" => UnitState::Other(format!(
            "`systemctl` said `{}`",
            out.stderr.trim().lines().last().unwrap_or_default()
        )),
        other => UnitState::Other(format!("`systemctl` said `{other}`")),
    }
}
