//! `os-support` over real version outputs (tests/fixtures/os-support/), at the replay clock of
//! the test machines (2026-11-22).

use crate::common;

use common::{machine, machine_with, run_check};
use confide::status::Status;
use confide::system::OsFamily::{self, Linux, Macos, Windows};

fn check(os: OsFamily, fixture: &str, status: Status, reason: &str, says: &str) {
    let fixtures: Vec<&str> = if fixture.is_empty() { vec![] } else { vec![fixture] };
    let out = run_check(machine_with(os, &fixtures), "os-support");
    let text = format!("{} | {}", out.summary, out.evidence.join(" | "));
    assert_eq!((out.status, out.reason.as_str()), (status, reason), "{fixture}: {text}");
    assert!(text.contains(says), "{fixture}: expected {says:?} in {text}");
}

#[test]
fn macos_releases() {
    check(
        Macos,
        "os-support/sw_vers-macos26.toml",
        Status::Pass,
        "os-support.supported",
        "ProductVersion 26.5",
    );
    check(
        Macos,
        "os-support/sw_vers-macos15.toml",
        Status::Pass,
        "os-support.supported",
        "macOS 15",
    );
    check(
        Macos,
        "os-support/sw_vers-macos14.toml",
        Status::Warn,
        "os-support.ending-soon",
        "macOS 27",
    );
    check(
        Macos,
        "os-support/sw_vers-macos14-rsr.toml",
        Status::Warn,
        "os-support.ending-soon",
        "macOS 14",
    );
    check(
        Macos,
        "os-support/sw_vers-macos13.toml",
        Status::Fail,
        "os-support.ended",
        "2025-09-15",
    );
    check(
        Macos,
        "os-support/sw_vers-macos12.toml",
        Status::Fail,
        "os-support.ended",
        "2024-09-16",
    );
    check(Macos, "", Status::Unknown, "os-support.unidentified", "sw_vers");
}

#[test]
fn linux_distributions() {
    check(
        Linux,
        "os-support/os-release-ubuntu2404.toml",
        Status::Pass,
        "os-support.supported",
        "2029-05-31",
    );
    check(
        Linux,
        "os-support/os-release-debian12.toml",
        Status::Warn,
        "os-support.extended-only",
        "Debian LTS",
    );
    check(
        Linux,
        "os-support/os-release-debian13.toml",
        Status::Pass,
        "os-support.supported",
        "2028-08-09",
    );
    check(
        Linux,
        "os-support/os-release-fedora41.toml",
        Status::Fail,
        "os-support.ended",
        "2025-12-15",
    );
    check(
        Linux,
        "os-support/os-release-linuxmint22.3.toml",
        Status::Pass,
        "os-support.supported",
        "VERSION_ID=22.3",
    );
    check(Linux, "", Status::Unknown, "os-support.unidentified", "os-release");
}

#[test]
fn windows_build_edition_and_feature_update() {
    // Build 22631 is Windows 11 although ProductName says "Windows 10 Pro"; Pro 23H2 ended 2025-11-11.
    check(
        Windows,
        "os-support/reg-currentversion-win11-23h2.toml",
        Status::Fail,
        "os-support.ended",
        "Windows 11 23H2 (Professional)",
    );
    let out = run_check(machine(Windows), "os-support");
    assert_eq!(out.status, Status::Unknown);
}
