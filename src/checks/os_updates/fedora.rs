//! Fedora and its relatives: dnf-automatic's timers and its `apply_updates` setting.

use super::linux::{UnitState, parse_is_enabled};
use super::{Automatic, LastRun, Reading};
use crate::system::{FileRead, System};

/// The timers that run dnf-automatic: dnf5's own, dnf 4's (also shipped by dnf5 for
/// compatibility), and the one that installs whatever `apply_updates` says.
const DNF_TIMERS: [&str; 2] = ["dnf5-automatic.timer", "dnf-automatic.timer"];
const DNF_INSTALL_TIMER: &str = "dnf-automatic-install.timer";

/// dnf-automatic's settings, later files winning: dnf5's shipped defaults, then the host files
/// (the dnf5 man page says /etc/dnf/automatic.conf, the upstream file header says
/// /etc/dnf/dnf5-plugins/automatic.conf; dnf 4 uses /etc/dnf/automatic.conf).
const DNF_CONFIGS: [&str; 3] = [
    "/usr/share/dnf5/dnf5-plugins/automatic.conf",
    "/etc/dnf/dnf5-plugins/automatic.conf",
    "/etc/dnf/automatic.conf",
];

/// `apply_updates` in the `[commands]` section of an automatic.conf, when set:
///
/// ```text
/// [commands]
/// apply_updates = no
/// download_updates = yes
/// ```
pub fn parse_apply_updates(text: &str) -> Option<bool> {
    let mut section = String::new();
    let mut found = None;
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_string();
        } else if section == "commands"
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "apply_updates"
        {
            found = match value.trim().to_ascii_lowercase().as_str() {
                "yes" | "true" | "1" | "on" => Some(true),
                "no" | "false" | "0" | "off" => Some(false),
                _ => found,
            };
        }
    }
    found
}

/// Reads which dnf-automatic timer is enabled and what `apply_updates` says.
pub(super) fn read(system: &dyn System) -> Reading {
    let mut evidence = Vec::new();
    let mut state = |unit: &str| {
        let s = parse_is_enabled(&system.run("systemctl", &["is-enabled", unit]));
        evidence.push(format!("`systemctl is-enabled {unit}`: {}", s.words()));
        s
    };
    let mut timers: Vec<(&str, UnitState)> = Vec::new();
    for unit in DNF_TIMERS {
        let s = state(unit);
        let enabled = s == UnitState::Enabled;
        timers.push((unit, s));
        if enabled {
            break;
        }
    }
    let periodic = timers.iter().find(|(_, s)| *s == UnitState::Enabled).map(|(u, _)| *u);
    let install_timer = if periodic.is_none() {
        Some(state(DNF_INSTALL_TIMER))
    } else {
        None
    };
    let unread_timer = timers.iter().any(|(_, s)| matches!(s, UnitState::Other(_)))
        || matches!(install_timer, Some(UnitState::Other(_)));

    let mut apply = None;
    for path in DNF_CONFIGS {
        match system.read_file(path) {
            FileRead::Contents(text) => match parse_apply_updates(&text) {
                Some(value) => {
                    evidence.push(format!("{path}: apply_updates = {}", if value { "yes" } else { "no" }));
                    apply = Some(value);
                }
                None => evidence.push(format!("{path}: apply_updates is not set")),
            },
            FileRead::Missing => {}
            other => evidence.push(format!("{path} could not be read: {other:?}")),
        }
    }

    let automatic = if install_timer == Some(UnitState::Enabled) {
        Automatic::On
    } else if let Some(unit) = periodic {
        match apply {
            Some(true) => Automatic::On,
            _ => {
                if apply.is_none() {
                    evidence.push("apply_updates is set in no file: dnf-automatic's default is no".into());
                }
                Automatic::Manual(format!(
                    "dnf-automatic ({unit}) downloads updates but does not install them (apply_updates = no)."
                ))
            }
        }
    } else if unread_timer {
        Reading::unreadable(
            "Could not tell whether updates are automatic: systemd could not be asked about dnf-automatic's timers.",
        )
    } else {
        Automatic::Off("Automatic updates are not set up: no dnf-automatic timer is enabled.".into())
    };
    // dnf-automatic keeps no local record confide has a real sample of.
    Reading::new(automatic, LastRun::NotRead, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dnf_apply_updates_only_counts_in_the_commands_section() {
        assert_eq!(parse_apply_updates("[commands]\napply_updates = yes\n"), Some(true));
        assert_eq!(parse_apply_updates("[commands]\napply_updates = no\n"), Some(false));
        assert_eq!(parse_apply_updates("[base]\napply_updates = yes\n"), None);
        assert_eq!(parse_apply_updates("# apply_updates = yes\n"), None);
    }
}
