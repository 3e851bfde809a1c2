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
        /// The date the age is counted from (`None`: not judged). When a security fix waits, only
        /// a security fix's own date: never another update's.
        since: Option<Date>,
        /// What `since` is.
        dated: Dated,
        /// How the age was judged, in words, for the evidence.
        how: String,
        /// Part of the list could not be seen (a restart flag was read, the update search
        /// failed): why, said in the finding so that a warning is not taken as the whole story.
        unseen: Option<String>,
    },
    /// The list could not be read: why.
    Unreadable(String),
}

/// What the date of a list of waiting updates stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dated {
    /// The day the computer knew of them by, at the latest (the package lists' or the last
    /// check's date): they have waited at least since then.
    KnownBy,
    /// The day the oldest was released (an advisory's Issued day, Microsoft's publication).
    Released,
}

impl Pending {
    /// A list dated by when the computer knew of it, wholly seen.
    pub fn listed(updates: Vec<PendingUpdate>, since: Option<Date>, how: String) -> Pending {
        Pending::Listed {
            updates,
            since,
            dated: Dated::KnownBy,
            how,
            unseen: None,
        }
    }
}

/// At most this many updates are named, and no more than fit in about two lines of a finding
/// (Windows names its updates in sentences of 100 characters); the rest are counted.
const NAMED: usize = 5;
const NAMED_CHARS: usize = 160;

/// `a, b, c and 4 more`, security fixes first.
pub fn names(updates: &[PendingUpdate]) -> String {
    let mut sorted: Vec<&PendingUpdate> = updates.iter().collect();
    sorted.sort_by_key(|u| !u.security);
    let mut shown: Vec<String> = Vec::new();
    let mut chars = 0;
    for u in sorted.iter().take(NAMED) {
        let len = u.name.chars().count();
        if !shown.is_empty() && chars + len > NAMED_CHARS {
            break;
        }
        chars += len;
        shown.push(u.name.clone());
    }
    match updates.len() - shown.len() {
        0 => crate::words::join_names(&shown),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// Every update waiting for the evidence, security fixes first, at most 30 named.
pub fn listed(updates: &[PendingUpdate]) -> String {
    let mut sorted: Vec<&PendingUpdate> = updates.iter().collect();
    sorted.sort_by_key(|u| !u.security);
    let shown: Vec<&str> = sorted.iter().take(30).map(|u| u.name.as_str()).collect();
    match updates.len() - shown.len() {
        0 => shown.join("; "),
        more => format!("{}; and {more} more", shown.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(name: &str, security: bool) -> PendingUpdate {
        PendingUpdate {
            name: name.into(),
            security,
        }
    }

    #[test]
    fn security_fixes_first_at_most_five_and_long_names_cut_sooner() {
        let short: Vec<_> = (1..=7).map(|i| update(&format!("pkg{i}"), i == 7)).collect();
        assert_eq!(names(&short), "pkg7, pkg1, pkg2, pkg3, pkg4 and 2 more");
        let long: Vec<_> = (1..=3).map(|i| update(&format!("{i}{}", "x".repeat(99)), false)).collect();
        assert!(names(&long).ends_with("and 2 more"), "{}", names(&long));
        assert_eq!(names(&long[..1]), long[0].name);
    }
}
