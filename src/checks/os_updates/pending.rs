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

/// The date a list of `(security fix?, its date)` is aged from: while a security fix waits, the
/// oldest security fix's own date (never another update's, which could make it look overdue);
/// otherwise the oldest date of any.
pub fn aged_from(dates: impl IntoIterator<Item = (bool, Option<Date>)>) -> Option<Date> {
    let dates: Vec<(bool, Option<Date>)> = dates.into_iter().collect();
    let any_security = dates.iter().any(|(security, _)| *security);
    dates
        .iter()
        .filter(|(security, _)| *security || !any_security)
        .filter_map(|(_, date)| *date)
        .min()
}

/// `a, b, c and 4 more` for a finding's summary, security fixes first: at most 5 named, and no
/// more than fit in about two lines (Windows names its updates in sentences of 100 characters).
pub fn names(updates: &[PendingUpdate]) -> String {
    let (shown, more) = first(updates, 5, 160);
    match more {
        0 => crate::words::join_names(&shown),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// The same for the evidence, which has room for more: at most 10, about five lines.
pub fn listed(updates: &[PendingUpdate]) -> String {
    let (shown, more) = first(updates, 10, 400);
    match more {
        0 => shown.join("; "),
        more => format!("{}; and {more} more", shown.join("; ")),
    }
}

/// The names shown (security fixes first, at least one) and how many are left.
fn first(updates: &[PendingUpdate], count: usize, chars: usize) -> (Vec<String>, usize) {
    let mut sorted: Vec<&PendingUpdate> = updates.iter().collect();
    sorted.sort_by_key(|u| !u.security);
    let mut shown: Vec<String> = Vec::new();
    let mut used = 0;
    for u in sorted.iter().take(count) {
        let len = u.name.chars().count();
        if !shown.is_empty() && used + len > chars {
            break;
        }
        used += len;
        shown.push(u.name.clone());
    }
    let more = updates.len() - shown.len();
    (shown, more)
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
    fn a_security_fix_is_aged_only_by_a_security_fix_s_date() {
        let d = |day| Some(jiff::civil::date(2026, 11, day));
        assert_eq!(aged_from([(true, None), (false, d(1))]), None);
        assert_eq!(aged_from([(true, d(20)), (false, d(1)), (true, d(10))]), d(10));
        assert_eq!(aged_from([(false, d(20)), (false, d(5)), (false, None)]), d(5));
        assert_eq!(aged_from([]), None);
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
