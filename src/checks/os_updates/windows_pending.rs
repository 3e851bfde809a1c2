//! Windows: updates installed but not yet in force because the computer has not restarted. Windows
//! Update and Windows servicing each create a registry key while a restart is pending; both are
//! readable without administrator rights and without network. They hold no date, so the age is
//! judged, where it can be, from Windows Update's last successful install (the restart has been
//! pending since then at the latest). Updates found but not yet installed come from Windows
//! Update's offline search ([`super::windows_waiting`]).

use super::pending::{Dated, Pending, PendingUpdate, aged_from};
use super::windows::WuDates;
use super::windows_waiting::{Searched, search};
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
/// pending, as updates waiting. The search's updates are dated by their publication; a restart
/// alone by the last install (it has been pending since then at the latest). The search answers
/// from Windows Update's last scan, so "nothing waiting" is said only with that scan's date.
pub(super) fn read(system: &dyn System, evidence: &mut Vec<String>, dates: &WuDates) -> Pending {
    let restart = restart_flags(system, evidence);
    let today = system.now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let searched = search(system);
    let asked = !matches!(searched, Searched::NotAsked);
    let (mut waiting, unseen) = match searched {
        Searched::NotAsked => {
            evidence.push("Windows Update's list of updates found but not installed could not be asked: PowerShell gave no answer".into());
            (Vec::new(), Some("Windows Update's list could not be asked".to_string()))
        }
        Searched::Failed(why) => {
            evidence.push(format!("Windows Update's list of updates found but not installed could not be read: {why}"));
            (Vec::new(), Some("Windows Update's own list of updates could not be read".to_string()))
        }
        Searched::Found(found) => {
            let security = found.iter().filter(|u| u.update.security).count();
            evidence.push(match found.len() {
                0 => "Windows Update's list from its last search for updates has none waiting to be installed".into(),
                n => format!(
                    "Windows Update's list from its last search for updates: {} found and not installed, {}",
                    crate::words::count(n as u64, "update"),
                    match security {
                        0 => "none of them a security fix".to_string(),
                        1 => "1 of them a security fix".to_string(),
                        s => format!("{s} of them security fixes"),
                    }
                ),
            });
            (found, None)
        }
    };
    match (&unseen, restart.is_empty()) {
        // Without PowerShell (not Windows as confide knows it) nothing is claimed either way.
        (Some(_), true) if !asked => return Pending::NotRead,
        (Some(why), true) => return Pending::Unreadable(format!("{why}.")),
        _ => {}
    }
    if waiting.is_empty() && restart.is_empty() && dates.search.is_none() {
        return Pending::Unreadable(
            "Windows Update's list has no update waiting, but when it last looked for updates could not be seen, so the list may be out of date.".into(),
        );
    }
    // A date after today's is a wrong clock or a misread: not used to judge.
    for update in waiting.iter_mut() {
        if let Some(day) = update.published.filter(|d| *d > today.tomorrow().unwrap_or(*d)) {
            evidence.push(format!("\"{}\" is dated {day}, after today: that date is not used", update.update.name));
            update.published = None;
        }
    }
    let any_security = waiting.iter().any(|u| u.update.security);
    let mut how = Vec::new();
    let mut since = aged_from(waiting.iter().map(|u| (u.update.security, u.published)));
    let mut dated = Dated::Released;
    let undated = waiting.iter().filter(|u| u.update.security && u.published.is_none()).count();
    match since {
        Some(d) => how.push(format!(
            "dated by when Microsoft last published each update (Windows does not record when this computer found it): the oldest {} waiting was published on {d}",
            if any_security { "security fix" } else { "update" }
        )),
        None if any_security => how.push("Windows gave no publication date for the security fixes waiting, so how long they have waited was not judged (other updates' dates are not used for them)".into()),
        None if !waiting.is_empty() => how.push("Windows gave no publication date for the updates waiting, so how long they have waited was not judged".into()),
        None => {}
    }
    if undated > 0 && since.is_some() {
        how.push(format!("{} without a publication date, not judged by age", crate::words::count(undated as u64, "security fix")));
    }
    if let Some(d) = dates.search {
        how.push(format!("the list is as of Windows Update's last successful search, {d}"));
    }
    let mut updates: Vec<PendingUpdate> = waiting.into_iter().map(|w| w.update).collect();
    if !restart.is_empty() {
        how.push(match dates.install {
            Some(d) => format!(
                "Windows records no date for a pending restart; it has waited at least since the last successful install, {d}"
            ),
            None => "Windows records no date for a pending restart, and the last install date could not be read, so how long it has waited was not judged".into(),
        });
        if !any_security && since.is_none() && dates.install.is_some() {
            since = dates.install;
            dated = Dated::KnownBy;
        }
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
        dated,
        how: how.join("; "),
        unseen,
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
