//! Debian and Ubuntu: the updates waiting, from apt's cached package lists (no network, no
//! administrator rights): `apt-get --simulate dist-upgrade` lists what an upgrade would install,
//! and which archive each version comes from, so a security fix is told by its `-security`
//! suite. apt records no date per update; the age is judged from when the package lists last
//! changed, the day the computer knew of them by at the latest.

use jiff::tz::TimeZone;

use super::pending::{Pending, PendingUpdate};
use crate::system::System;

/// The simulation, without taking apt's lock (so it runs without administrator rights).
pub const APT_SIMULATE: [&str; 5] = ["-s", "-o", "Debug::NoLocking=1", "-q", "dist-upgrade"];
/// The folder apt writes the downloaded package lists into: its date is the last `apt update`
/// that changed them.
pub const APT_LISTS: &str = "/var/lib/apt/lists";

/// The upgrades in `apt-get -s dist-upgrade`. Its `Inst` lines (not translated) name the
/// package, the installed version in brackets, and the new version with the archives it comes
/// from; a package installed new has no bracket and is not an update. From Debian 12 (this
/// project's dev machine, 2026-11-26):
///
/// ```text
/// Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])
/// Inst libgcrypt20 [1.10.1-3] (1.10.1-3+deb12u1 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64])
/// ```
pub fn parse_apt_simulation(stdout: &str) -> Vec<PendingUpdate> {
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("Inst ")?;
            let (package, rest) = rest.split_once(' ')?;
            let rest = rest.strip_prefix('[')?;
            let (_, rest) = rest.split_once("] (")?;
            let (new_version, archives) = rest.split_once(' ')?;
            let archives = archives.split(" [").next().unwrap_or_default();
            Some(PendingUpdate {
                name: format!("{package} {new_version}"),
                security: archives.split(", ").any(|a| a.trim_end_matches(')').ends_with("-security")),
            })
        })
        .collect()
}

/// Whether the output holds apt's closing tally: a line of four counts.
fn has_tally(stdout: &str) -> bool {
    static TALLY: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"^\d+\D+\d+\D+\d+\D+\d+\D*$").expect("valid regex"));
    stdout.lines().any(|l| TALLY.is_match(l.trim()))
}

/// The updates waiting, as of the package lists' date.
pub(super) fn read(system: &dyn System, evidence: &mut Vec<String>) -> Pending {
    // apt-get -s took 3.3 s on the development machine and 8 s under load: more than the 5 s
    // a command is usually given.
    let out = system.run_slow("apt-get", &APT_SIMULATE, std::time::Duration::from_secs(20));
    let shown = format!("`apt-get {}`", APT_SIMULATE.join(" "));
    if let Some(why) = out.failure("apt-get") {
        evidence.push(format!("{shown} could not be run: {why}"));
        return Pending::Unreadable(format!("apt could not list the updates waiting: {why}"));
    }
    // Exit 0 is not enough: apt ends its answer with its tally (`0 upgraded, 0 newly installed,
    // 0 to remove and 0 not upgraded.`, translated with the system language). Without it the
    // answer was cut or not apt's, and "nothing waiting" would be a guess.
    if !has_tally(&out.stdout) {
        evidence.push(format!("{shown} gave no closing tally of upgrades"));
        return Pending::Unreadable("apt's answer did not end as apt's answers do".into());
    }
    let updates = parse_apt_simulation(&out.stdout);
    let security = updates.iter().filter(|u| u.security).count();
    evidence.push(format!(
        "{shown}: {} waiting, {security} from a security archive",
        crate::words::count(updates.len() as u64, "update")
    ));
    let since = system
        .modified(APT_LISTS)
        .map(|t| t.to_zoned(TimeZone::system()).date());
    let how = match since {
        Some(d) => format!(
            "apt records no date per update, so their age is counted from {d}, when the package lists in {APT_LISTS} last changed (they may have waited longer)"
        ),
        None => format!("apt records no date per update and the date of {APT_LISTS} could not be read"),
    };
    Pending::listed(updates, since, how)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_answer_with_apt_s_tally_counts() {
        assert!(has_tally("Reading package lists...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n"));
        assert!(!has_tally(""));
        assert!(!has_tally("Inst libc6 [2.36-9] (2.36-9+deb12u4 Debian-Security:12/stable-security [amd64])\n"));
    }

    #[test]
    fn upgrades_and_security_archives() {
        let out = "Reading package lists...\n\
Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])\n\
Inst libgcrypt20-dev [1.10.1-3] (1.10.1-3+deb12u1 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64]) []\n\
Inst liblzma-dev [5.4.1-1] (5.4.1-1+deb12u2 Debian-Security:12/oldstable-security [amd64]) []\n\
Inst newpkg (1.0 Debian:12.15/oldstable [amd64])\n\
Conf bash (5.2.15-2+b13 Debian:12.15/oldstable [amd64])\n";
        let found = parse_apt_simulation(out);
        let seen: Vec<(&str, bool)> = found.iter().map(|u| (u.name.as_str(), u.security)).collect();
        assert_eq!(
            seen,
            [
                ("bash 5.2.15-2+b13", false),
                ("libgcrypt20-dev 1.10.1-3+deb12u1", true),
                ("liblzma-dev 5.4.1-1+deb12u2", true),
            ]
        );
        assert!(parse_apt_simulation("").is_empty());
    }
}
