//! `os-updates`: the updates waiting to be installed and for how long, over real recorded apt
//! outputs (tests/fixtures/linux/os-updates/debian12-apt-*.toml), and live with this machine's
//! own apt.
#![allow(clippy::disallowed_methods)] // the live test runs apt itself to compare

use crate::common;

use common::{Case, cases, check_case, live_prerequisite, machine_with};
use std::collections::BTreeMap;

use confide::catalog::Catalog;
use confide::checks::CheckContext;
use confide::checks::os_updates::{APT_SIMULATE, parse_apt_simulation};
use confide::status::Status;
use confide::system::OsFamily::Linux;
use confide::system::exec::ExecLimits;
use confide::system::live::LiveSystem;
use confide::system::snapshot::Snapshot;

/// Debian with unattended-upgrades on and its daily job run, plus what apt lists, at `when`.
fn debian_at(apt: &str, when: &str) -> Snapshot {
    let mut s = machine_with(
        Linux,
        &[
            "linux/os-updates/debian12-unattended-enabled.toml",
            "linux/os-updates/debian12-periodic-stamps.toml",
            &format!("linux/os-updates/debian12-apt-{apt}.toml"),
        ],
    );
    s.collected_at = when.parse().unwrap();
    s
}

fn check(case: Case) {
    check_case("os-updates", case);
}

cases!(
    debian_updates_waiting,
    nothing_waiting_passes = Case {
        name: "nothing waiting",
        machine: debian_at("nothing-waiting", "2026-11-22T12:00:00Z"),
        status: Status::Pass,
        reason: "os-updates.automatic",
        says: &["no updates are waiting to be installed"],
    },
    security_update_waiting_3_days_warns = Case {
        // The lists changed on 2026-11-26; the clock is three days later. The periodic stamp
        // (2026-11-22) is 7 days old, within 14.
        name: "security updates known for 3 days",
        machine: debian_at("waiting", "2026-11-29T12:00:00Z"),
        status: Status::Warn,
        reason: "os-updates.updates-waiting",
        says: &[
            "10 updates are waiting to be installed, 6 of them security fixes (known for at least 3 days)",
            "libgcrypt20-dev 1.10.1-3+deb12u1",
            "and 5 more",
            "counted from 2026-11-26",
        ],
    },
    security_update_waiting_60_days_fails = Case {
        name: "security updates known for 60 days",
        machine: debian_at("waiting", "2027-01-25T12:00:00Z"),
        status: Status::Fail,
        reason: "os-updates.security-updates-overdue",
        says: &["for at least 60 days", "within 14 days", "they may have waited longer"],
    },
    list_unreadable_is_unknown_not_pass = Case {
        name: "apt cannot read its cache",
        machine: debian_at("unreadable", "2026-11-22T12:00:00Z"),
        status: Status::Unknown,
        reason: "os-updates.waiting-unreadable",
        says: &[
            "could not see whether updates are waiting",
            "The package cache file is corrupted"
        ],
    },
    overdue_security_fix_decides_while_settings_are_unknown = Case {
        name: "apt-config did not answer, security updates known for 60 days",
        machine: {
            let mut s = debian_at("waiting", "2027-01-25T12:00:00Z");
            s.commands.retain(|c| c.program != "apt-config");
            s.commands.push(common::made_up(
                "apt-config",
                &["dump", "APT::Periodic"],
                1,
                "",
                "MADE UP: apt-config failing, to model settings that could not be read",
            ));
            s
        },
        status: Status::Fail,
        reason: "os-updates.security-updates-overdue",
        says: &["for at least 60 days", "`apt-config` did not answer"],
    },
);

/// This machine's own apt: the check lists what `apt-get -s dist-upgrade` lists (the same
/// number of upgrades, the same security ones), and never passes while security fixes wait
/// past the policy's days.
#[test]
fn live_apt_reading_matches_apt_itself() {
    let apt = std::process::Command::new("apt-get").args(APT_SIMULATE).output();
    let Ok(apt) = apt else {
        live_prerequisite(false, "apt-get");
        return;
    };
    if !live_prerequisite(apt.status.success(), "a working apt") {
        return;
    }
    let expected = parse_apt_simulation(&String::from_utf8_lossy(&apt.stdout));
    let listed = std::process::Command::new("apt")
        .args(["list", "--upgradable"])
        .env("LANG", "C")
        .output()
        .expect("apt runs where apt-get does");
    let upgradable = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter(|l| l.contains("[upgradable from:"))
        .count();
    assert_eq!(
        expected.len(),
        upgradable,
        "apt-get -s and apt list --upgradable disagree"
    );

    let security = expected.iter().filter(|u| u.security).count();

    let catalog = Catalog::load(&[]).unwrap();
    let check = catalog.check("os-updates").unwrap().clone();
    // apt-get -s took 7.8 s on this 2-core machine under load (3 s of CPU): more than the default
    // command timeout of 5 s, which is measured and reported, not asserted here.
    let live = LiveSystem::new(ExecLimits {
        timeout: std::time::Duration::from_secs(120),
        ..ExecLimits::default()
    });
    let thresholds = BTreeMap::new();
    let profile = confide::profile::Profile::default();
    let out = check.run(&CheckContext {
        system: &live,
        thresholds: &thresholds,
        offline: true,
        profile: &profile,
        ico_register: None,
    });
    let text = format!("{} | {}", out.summary, out.evidence.join(" | "));
    let line = format!(
        "{} update(s) waiting, {security} from a security archive",
        expected.len()
    );
    assert!(text.contains(&line), "expected {line:?} in {text}");
    if !expected.is_empty() {
        assert_ne!(out.status, Status::Pass, "updates are waiting: {text}");
        assert!(text.contains("counted from"), "{text}");
    }
}
