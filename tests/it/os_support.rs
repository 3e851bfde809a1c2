//! `os-support` over real version outputs (tests/fixtures/os-support/), at the replay clock of
//! the test machines (2026-11-22).

use crate::common;

use common::{cases, machine, machine_with, run_check};
use confide::status::Status;
use confide::system::OsFamily::{self, Linux, Macos, Windows};

fn check((os, fixture, status, reason, says): (OsFamily, &str, Status, &str, &str)) {
    let fixtures: Vec<&str> = if fixture.is_empty() { vec![] } else { vec![fixture] };
    let out = run_check(machine_with(os, &fixtures), "os-support");
    let text = format!("{} | {}", out.summary, out.evidence.join(" | "));
    assert_eq!((out.status, out.reason.as_str()), (status, reason), "{fixture}: {text}");
    assert!(text.contains(says), "{fixture}: expected {says:?} in {text}");
}

cases!(
    macos_releases,
    sw_vers_macos26 = (
        Macos,
        "os-support/sw_vers-macos26.toml",
        Status::Pass,
        "os-support.supported",
        "ProductVersion 26.5"
    ),
    sw_vers_macos15 = (
        Macos,
        "os-support/sw_vers-macos15.toml",
        Status::Pass,
        "os-support.supported",
        "macOS 15"
    ),
    sw_vers_macos14 = (
        Macos,
        "os-support/sw_vers-macos14.toml",
        Status::Warn,
        "os-support.ending-soon",
        "the oldest of them"
    ),
    sw_vers_macos14_rsr = (
        Macos,
        "os-support/sw_vers-macos14-rsr.toml",
        Status::Warn,
        "os-support.ending-soon",
        "macOS 14"
    ),
    sw_vers_macos13 = (
        Macos,
        "os-support/sw_vers-macos13.toml",
        Status::Fail,
        "os-support.ended",
        "2025-09-15"
    ),
    sw_vers_macos12 = (
        Macos,
        "os-support/sw_vers-macos12.toml",
        Status::Fail,
        "os-support.ended",
        "2024-09-16"
    ),
    nothing_readable = (Macos, "", Status::Unknown, "os-support.unidentified", "sw_vers"),
);

cases!(
    linux_distributions,
    os_release_ubuntu2404 = (
        Linux,
        "os-support/os-release-ubuntu2404.toml",
        Status::Pass,
        "os-support.supported",
        "2029-05-31"
    ),
    os_release_debian12 = (
        Linux,
        "os-support/os-release-debian12.toml",
        Status::Warn,
        "os-support.extended-only",
        "Debian LTS"
    ),
    os_release_debian13 = (
        Linux,
        "os-support/os-release-debian13.toml",
        Status::Pass,
        "os-support.supported",
        "2028-08-09"
    ),
    os_release_fedora41 = (
        Linux,
        "os-support/os-release-fedora41.toml",
        Status::Fail,
        "os-support.ended",
        "2025-12-15"
    ),
    os_release_linuxmint22_3 = (
        Linux,
        "os-support/os-release-linuxmint22.3.toml",
        Status::Pass,
        "os-support.supported",
        "VERSION_ID=22.3"
    ),
    nothing_readable = (Linux, "", Status::Unknown, "os-support.unidentified", "os-release"),
);

cases!(
    windows_build_edition_and_feature_update,
    // Build 22631 is Windows 11 although ProductName says "Windows 10 Pro"; Pro 23H2 ended 2025-11-11.
    reg_currentversion_win11_23h2 = (
        Windows,
        "os-support/reg-currentversion-win11-23h2.toml",
        Status::Fail,
        "os-support.ended",
        "Windows 11 23H2 (Professional)"
    ),
);

#[test]
fn windows_nothing_readable_is_unknown() {
    let out = run_check(machine(Windows), "os-support");
    assert_eq!(out.status, Status::Unknown);
}

/// A recorded Mac on macOS 14, replayed as of April 2024 when 14 was the newest release: the
/// "three newest releases" rule counts only releases out by the scan's clock.
#[test]
fn a_mac_recorded_in_2024_is_judged_as_of_then() {
    let mut s = machine_with(Macos, &["os-support/sw_vers-macos14.toml"]);
    s.collected_at = "2024-04-15T10:00:00Z".parse().unwrap();
    let out = run_check(s, "os-support");
    let text = format!("{} | {}", out.summary, out.evidence.join(" | "));
    assert_eq!(
        (out.status, out.reason.as_str()),
        (Status::Pass, "os-support.supported"),
        "{text}"
    );
    assert!(text.contains("one of the 3 newest releases"), "{text}");
    assert!(text.contains("no newer release was out on 2024-04-15"), "{text}");
}
