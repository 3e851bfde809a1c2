//! Windows: updates installed but not yet in force because the computer has not restarted. Windows
//! Update and Windows servicing each create a registry key while a restart is pending; both are
//! readable without administrator rights and without network. They hold no date, so the age is
//! judged, where it can be, from Windows Update's last successful install (the restart has been
//! pending since then at the latest); updates found but not yet installed are not read (no real
//! sample of an offline Windows Update search was found).

use jiff::civil::Date;

use super::pending::{Pending, PendingUpdate};
use crate::system::{RunOutcome, System};

/// The keys that exist only while a restart is pending, and who set them.
pub const REBOOT_KEYS: [(&str, &str); 2] = [
    (
        "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired",
        "Windows Update",
    ),
    (
        "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending",
        "Windows servicing",
    ),
];

/// Whether a key exists, from `reg query KEY`: exit 0 lists it, exit 1 means it was not found
/// (`ERROR: The system was unable to find the specified registry key or value.`, translated on
/// other display languages, so only the status is read) or, rarely, that access was denied:
/// `Some(false)` is "not seen", never proof of absence. `None` for any other answer.
pub fn key_exists(system: &dyn System, key: &str) -> Option<bool> {
    match system.run("reg", &["query", key]).outcome() {
        RunOutcome::Exited { status: Some(0) } => Some(true),
        RunOutcome::Exited { status: Some(1) } => Some(false),
        _ => None,
    }
}

/// A restart pending, as an update waiting; `last_install` is Windows Update's last successful
/// install, where it was read. Without a pending restart nothing is claimed: the updates found
/// but not installed are not read, so "nothing waiting" is never said.
pub(super) fn read(system: &dyn System, evidence: &mut Vec<String>, last_install: Option<Date>) -> Pending {
    let mut pending = Vec::new();
    for (key, who) in REBOOT_KEYS {
        match key_exists(system, key) {
            Some(true) => {
                evidence.push(format!("registry {key} exists: {who} waits for a restart"));
                pending.push(who);
            }
            // `reg` exits 1 for "Access is denied" too: said as what is known.
            Some(false) => evidence.push(format!(
                "registry {key} was not found (or could not be read): no restart seen pending for {who}"
            )),
            None => evidence.push(format!("registry {key} could not be read")),
        }
    }
    if pending.is_empty() {
        return Pending::NotRead;
    }
    let how = match last_install {
        Some(d) => format!(
            "Windows records no date for a pending restart; it has waited at least since the last successful install, {d}"
        ),
        None => "Windows records no date for a pending restart, and the last install date could not be read, so how long it has waited was not judged".into(),
    };
    Pending::Listed {
        updates: vec![PendingUpdate {
            name: format!(
                "a restart to finish installing updates ({})",
                crate::words::join_names(&pending.iter().map(|w| w.to_string()).collect::<Vec<_>>())
            ),
            // Which updates wait is not recorded with the flag, so none is counted as a
            // security fix: a pending restart warns, never fails.
            security: false,
        }],
        since: last_install,
        how,
    }
}
