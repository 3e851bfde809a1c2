//! Windows: updates installed but not yet in force because the computer has not restarted. Windows
//! Update and Windows servicing each create a registry key while a restart is pending; both are
//! readable without administrator rights and without network. They hold no date, so the age is
//! judged, where it can be, from Windows Update's last successful install (the restart has been
//! pending since then at the latest). Updates found but not yet installed come from Windows
//! Update's offline search ([`super::windows_waiting`]).

use jiff::civil::Date;

use super::pending::{Pending, PendingUpdate};
use super::windows_waiting::{Searched, WaitingUpdate, search};
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

/// The updates Windows Update found and has not installed (its offline search), and a restart
/// pending, as updates waiting; `last_install` is Windows Update's last successful install, where
/// it was read. The search's updates are dated by their publication, the restart by the last
/// install (it has been pending since then at the latest).
pub(super) fn read(system: &dyn System, evidence: &mut Vec<String>, last_install: Option<Date>) -> Pending {
    let restart = restart_flags(system, evidence);
    let mut waiting: Vec<WaitingUpdate> = Vec::new();
    let mut how = Vec::new();
    match search(system) {
        Searched::NotAsked => {
            evidence.push("Windows Update's list of updates found but not installed could not be asked: PowerShell gave no answer".into());
            if restart.is_empty() {
                return Pending::NotRead;
            }
        }
        Searched::Failed(why) => {
            evidence.push(format!("Windows Update's list of updates found but not installed could not be read: {why}"));
            if restart.is_empty() {
                return Pending::Unreadable(format!("Windows Update's list of updates could not be read: {why}"));
            }
        }
        Searched::Found(found) => {
            let security = found.iter().filter(|u| u.update.security).count();
            evidence.push(match found.len() {
                0 => "Windows Update's offline search (the results of its last scan) found no update waiting to be installed".into(),
                n => format!(
                    "Windows Update's offline search (the results of its last scan): {} found and not installed, {security} of them security fixes",
                    crate::words::count(n as u64, "update")
                ),
            });
            waiting = found;
        }
    }
    let oldest = |security: bool| {
        waiting
            .iter()
            .filter(|u| !security || u.update.security)
            .filter_map(|u| u.published)
            .min()
    };
    let mut since = oldest(true).or_else(|| oldest(false));
    match since {
        Some(d) => how.push(format!(
            "dated by when Microsoft last published each update (LastDeploymentChangeTime; Windows does not record when this computer found it): the oldest {} waiting was published on {d}",
            if oldest(true).is_some() { "security fix" } else { "update" }
        )),
        None if !waiting.is_empty() => how.push("Windows gave no publication date for the updates waiting, so how long they have waited was not judged".into()),
        None => {}
    }
    let mut updates: Vec<PendingUpdate> = waiting.into_iter().map(|w| w.update).collect();
    if !restart.is_empty() {
        how.push(match last_install {
            Some(d) => format!(
                "Windows records no date for a pending restart; it has waited at least since the last successful install, {d}"
            ),
            None => "Windows records no date for a pending restart, and the last install date could not be read, so how long it has waited was not judged".into(),
        });
        since = since.or(last_install);
        updates.push(PendingUpdate {
            name: format!(
                "a restart to finish installing updates ({})",
                crate::words::join_names(&restart.iter().map(|w| w.to_string()).collect::<Vec<_>>())
            ),
            // Which updates wait is not recorded with the flag, so none is counted as a
            // security fix: a pending restart alone warns, never fails.
            security: false,
        });
    }
    Pending::Listed {
        updates,
        since,
        how: how.join("; "),
    }
}

/// Who waits for a restart, from the registry keys; what was seen goes to the evidence.
fn restart_flags(system: &dyn System, evidence: &mut Vec<String>) -> Vec<&'static str> {
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
    pending
}
