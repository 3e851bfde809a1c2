//! Fedora: the updates waiting, from dnf's cached update information (no network: `--cacheonly`;
//! as fresh as dnf's last metadata refresh). dnf5 (Fedora 41 and later) lists every advisory for
//! a newer version of an installed package with its type and the day it was issued; a security
//! fix is an advisory of type `security`. The age is judged from that Issued date: the day Fedora
//! released the fix, which is what Cyber Essentials' 14 days count from. dnf 4 (Fedora 40 and
//! earlier) prints no date in its list, so there the age is not judged (waiting updates warn,
//! never fail), and the evidence says so.

use jiff::civil::Date;

use super::pending::{Dated, Pending, PendingUpdate, aged_from};
use crate::system::{RunOutcome, System};

/// dnf5's advisory list from its cache only.
pub const DNF5_ADVISORIES: [&str; 3] = ["--cacheonly", "advisory", "list"];
/// dnf 4's advisory list from its cache only (advisories for newer versions of installed packages).
pub const DNF4_ADVISORIES: [&str; 4] = ["--cacheonly", "updateinfo", "list", "--available"];

/// One line of an advisory list: the package it updates, whether it is a security fix, and the
/// day the advisory was issued where the list says.
#[derive(Debug, Clone, PartialEq)]
pub struct Advisory {
    pub update: PendingUpdate,
    pub issued: Option<Date>,
}

/// `dnf5 advisory list`: a header, then one line per advisory and package; the type and
/// severity columns are cut to the terminal's width (`secu`, `Importan`) on a narrow one. From
/// dnf5 issue #1501 (2024-05-17):
///
/// ```text
/// Name                   Type Severity                                Package              Issued
/// FEDORA-2024-27b58399dc bugf Moderate     gcc-debuginfo-14.1.1-1.fc40.x86_64 2024-05-11 01:29:32
/// FEDORA-2024-635a54eb7e secu Importan   glib2-debuginfo-2.80.2-1.fc40.x86_64 2024-05-12 04:16:43
/// ```
///
/// With nothing waiting it prints nothing on stdout and exits 0 (dnf's own acceptance tests,
/// ci-dnf-stack `dnf/updateinfo.feature`, without `--cacheonly`); the same empty answer comes
/// from an empty cache, so the reader never takes it as "nothing waiting". `None` when a line is not of this shape: the answer is
/// not one confide can read.
pub fn parse_dnf5_advisories(stdout: &str) -> Option<Vec<Advisory>> {
    let mut found = Vec::new();
    for line in stdout.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.first() == Some(&"Name") && words.last() == Some(&"Issued") {
            continue;
        }
        let [_id, kind, _severity, package, day, _time] = words.as_slice() else {
            return None;
        };
        let issued = day.parse::<Date>().ok()?;
        found.push(Advisory {
            update: PendingUpdate {
                name: (*package).to_string(),
                security: kind.starts_with("secu"),
            },
            issued: Some(issued),
        });
    }
    Some(found)
}

/// `dnf updateinfo list` (dnf 4): one line per advisory and package, the type written as
/// `bugfix`, `enhancement`, or `<severity>/Sec.` for a security fix, without a date. From the
/// Bodhi pull request #2099 (2017-12-21):
///
/// ```text
///   FEDORA-2017-ad1937a146 Moderate/Sec. TurboGears-1.0.2.2-2.fc17.noarch
/// ```
///
/// Lines of another shape (dnf's "Last metadata expiration check" line) are skipped.
pub fn parse_dnf4_advisories(stdout: &str) -> Vec<Advisory> {
    stdout
        .lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let [id, kind, package] = words.as_slice() else {
                return None;
            };
            id.contains('-').then_some(())?;
            package.contains('-').then_some(())?;
            Some(Advisory {
                update: PendingUpdate {
                    name: (*package).to_string(),
                    security: kind.ends_with("/Sec."),
                },
                issued: None,
            })
        })
        .collect()
}

/// The updates waiting on Fedora, from dnf5's cache, else dnf 4's.
pub(super) fn read(system: &dyn System, evidence: &mut Vec<String>) -> Pending {
    let dnf5 = system.run("dnf5", &DNF5_ADVISORIES);
    if dnf5.outcome() != RunOutcome::Missing {
        let shown = format!("`dnf5 {}`", DNF5_ADVISORIES.join(" "));
        if let Some(why) = dnf5.failure("dnf5") {
            evidence.push(format!("{shown} could not be run: {why}"));
            return Pending::Unreadable(format!("dnf could not list the updates waiting: {why}"));
        }
        let Some(advisories) = parse_dnf5_advisories(&dnf5.stdout) else {
            evidence.push(format!("{shown} answered in a form confide does not know"));
            return Pending::Unreadable("dnf's list of advisories was not in the form dnf5 prints".into());
        };
        if advisories.is_empty() {
            // The same empty answer comes from an empty or months-old cache, or with every
            // repository disabled, and no real capture of dnf5's answer with --cacheonly and
            // nothing waiting was found: never a pass.
            evidence.push(format!("{shown} listed no advisory"));
            return Pending::Unreadable(
                "dnf5 listed no update advisory, which it also does when its cache is empty or old, so confide cannot tell whether anything is waiting".into(),
            );
        }
        evidence.push(format!("{shown}: {}", tally(&advisories)));
        return dated(advisories);
    }
    let dnf4 = system.run("dnf", &DNF4_ADVISORIES);
    let shown = format!("`dnf {}`", DNF4_ADVISORIES.join(" "));
    if let Some(why) = dnf4.failure("dnf") {
        evidence.push(format!("{shown} could not be run: {why}"));
        return Pending::Unreadable(format!("dnf could not list the updates waiting: {why}"));
    }
    let advisories = parse_dnf4_advisories(&dnf4.stdout);
    if advisories.is_empty() {
        // No real sample of dnf 4's answer with nothing waiting was found, so an empty answer
        // cannot be told from one confide misread: never a pass.
        evidence.push(format!("{shown} listed no advisory"));
        return Pending::Unreadable(
            "dnf 4 listed no update advisory, and confide has no sample of its answer when nothing is waiting to tell that apart".into(),
        );
    }
    evidence.push(format!("{shown}: {}", tally(&advisories)));
    Pending::listed(
        advisories.into_iter().map(|a| a.update).collect(),
        None,
        "dnf 4 lists no date for its advisories, so how long they have waited was not judged (updates from repositories without advisories are not listed)".into(),
    )
}

/// `3 updates with an advisory, 1 of them a security fix`.
fn tally(advisories: &[Advisory]) -> String {
    let security = advisories.iter().filter(|a| a.update.security).count();
    format!(
        "{} with an advisory, {security} of them security fixes",
        crate::words::count(advisories.len() as u64, "update")
    )
}

/// Dated by the oldest security advisory's Issued day (else the oldest advisory's).
fn dated(advisories: Vec<Advisory>) -> Pending {
    let any_security = advisories.iter().any(|a| a.update.security);
    let since = aged_from(advisories.iter().map(|a| (a.update.security, a.issued)));
    let how = match since {
        Some(d) => format!(
            "dated by the advisories' Issued day in dnf's cached update information: the oldest {} was issued on {d} (updates from repositories without advisories are not listed; the list is as fresh as dnf's last refresh)",
            if any_security { "security fix waiting" } else { "update waiting" }
        ),
        None if any_security => "dnf's cached update information gives no Issued day for the security fixes waiting, so how long they have waited was not judged".into(),
        None => "dnf's cached update information lists no advisory for an update to this computer's packages (updates from repositories without advisories are not listed; the list is as fresh as dnf's last refresh)".into(),
    };
    let updates = advisories.into_iter().map(|a| a.update).collect();
    Pending::Listed {
        updates,
        since,
        dated: Dated::Released,
        how,
        unseen: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dnf5_lists_type_and_issued_day_even_cut_to_a_narrow_terminal() {
        let out = "Name                   Type Severity                                Package              Issued\n\
FEDORA-2024-27b58399dc bugf Moderate     gcc-debuginfo-14.1.1-1.fc40.x86_64 2024-05-11 01:29:32\n\
FEDORA-2024-635a54eb7e secu Importan   glib2-debuginfo-2.80.2-1.fc40.x86_64 2024-05-12 04:16:43\n";
        let found = parse_dnf5_advisories(out).unwrap();
        assert_eq!(found.len(), 2);
        assert!(!found[0].update.security && found[1].update.security);
        assert_eq!(found[1].update.name, "glib2-debuginfo-2.80.2-1.fc40.x86_64");
        assert_eq!(found[1].issued, Some(date(2024, 5, 12)));
        assert_eq!(parse_dnf5_advisories(""), Some(vec![]));
        assert_eq!(parse_dnf5_advisories("Error: something else entirely\n"), None);
    }

    #[test]
    fn dnf4_security_is_marked_sec() {
        let found = parse_dnf4_advisories(
            "Last metadata expiration check: 0:00:00 ago on Thu 21 Dec 2017 08:15:12 PM UTC.\n  FEDORA-2017-ad1937a146 Moderate/Sec. TurboGears-1.0.2.2-2.fc17.noarch\n",
        );
        assert_eq!(found.len(), 1);
        assert!(found[0].update.security);
        assert_eq!(found[0].issued, None);
    }

    #[test]
    fn the_age_is_the_oldest_security_advisory_s() {
        let a = |security, d| Advisory {
            update: PendingUpdate { name: "p".into(), security },
            issued: Some(d),
        };
        let Pending::Listed { since, .. } =
            dated(vec![a(false, date(2026, 1, 1)), a(true, date(2026, 11, 1)), a(true, date(2026, 10, 1))])
        else {
            panic!()
        };
        assert_eq!(since, Some(date(2026, 10, 1)));
    }
}
