//! Updates the computer knows about but has not installed, and since when: the part of
//! `os-updates` that sees a security fix left waiting while automatic updates look fine.

use jiff::civil::Date;

/// One update waiting to be installed.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingUpdate {
    /// As the OS names it, with the version it brings: `libgcrypt20 1.10.1-3+deb12u1`.
    pub name: String,
    /// Whether the OS marks it as a security fix.
    pub security: bool,
}

/// What was seen of the updates waiting on this computer.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    /// This OS's list of waiting updates is not read (yet).
    NotRead,
    /// The list was read: what is waiting (maybe nothing), and since when.
    Listed {
        updates: Vec<PendingUpdate>,
        /// The day they were known to be waiting by, at the latest (`None`: no date recorded).
        since: Option<Date>,
        /// How the age was judged, in words, for the evidence.
        how: String,
    },
    /// The list could not be read: why.
    Unreadable(String),
}

/// At most this many updates are named; the rest are counted.
const NAMED: usize = 5;

/// `a, b, c and 4 more`, security fixes first.
pub fn names(updates: &[PendingUpdate]) -> String {
    let mut sorted: Vec<&PendingUpdate> = updates.iter().collect();
    sorted.sort_by_key(|u| !u.security);
    let shown: Vec<String> = sorted.iter().take(NAMED).map(|u| u.name.clone()).collect();
    match updates.len().saturating_sub(NAMED) {
        0 => crate::words::join_names(&shown),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}
