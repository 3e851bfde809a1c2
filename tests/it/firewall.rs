//! `firewall` on each OS, over real recorded outputs (tests/fixtures/<os>/firewall/).

use crate::common;

use common::{cases, machine, machine_with, run_check};
use confide::status::Status;
use confide::system::OsFamily::{self, Linux, Macos, Windows};

fn check((os, fixtures, status, reason, says): (OsFamily, &[&str], Status, &str, &str)) {
    let out = run_check(machine_with(os, fixtures), "firewall");
    let text = format!("{} | {}", out.summary, out.evidence.join(" | "));
    assert_eq!(
        (out.status, out.reason.as_str()),
        (status, reason),
        "{fixtures:?}: {text}"
    );
    assert!(text.contains(says), "{fixtures:?}: expected {says:?} in {text}");
}

cases!(
    macos_application_firewall,
    enabled = (
        Macos,
        &["macos/firewall/enabled.toml"],
        Status::Pass,
        "firewall.on",
        "(State = 1)"
    ),
    block_all_state2_new_wording = (
        Macos,
        &["macos/firewall/block-all-state2-new-wording.toml"],
        Status::Pass,
        "firewall.on",
        "(State = 2)"
    ),
    block_all_state2_old_wording = (
        Macos,
        &["macos/firewall/block-all-state2-old-wording.toml"],
        Status::Pass,
        "firewall.on",
        "(State = 2)"
    ),
    disabled = (
        Macos,
        &["macos/firewall/disabled.toml"],
        Status::Fail,
        "firewall.off",
        "(State = 0)"
    ),
    nothing_readable = (Macos, &[], Status::Unknown, "firewall.unreadable", "not on this Mac"),
);

cases!(
    windows_profiles,
    netprofile_activestore_all_on = (
        Windows,
        &["windows/firewall/netprofile-activestore-all-on.toml"],
        Status::Pass,
        "firewall.on",
        "Public Enabled = True"
    ),
    // Without PowerShell's answer, the registry; one profile recorded, the others unknown.
    reg_standardprofile_disabled = (
        Windows,
        &["windows/firewall/reg-standardprofile-disabled.toml"],
        Status::Fail,
        "firewall.off",
        "Private network profile"
    ),
    reg_standardprofile_enabled = (
        Windows,
        &["windows/firewall/reg-standardprofile-enabled.toml"],
        Status::Unknown,
        "firewall.unreadable",
        "StandardProfile EnableFirewall = 1"
    ),
    reg_standardprofile_value_absent = (
        Windows,
        &["windows/firewall/reg-standardprofile-value-absent.toml"],
        Status::Unknown,
        "firewall.unreadable",
        "is not set"
    ),
);

#[test]
fn windows_nothing_readable_is_unknown() {
    let out = run_check(machine(Windows), "firewall");
    assert_eq!(out.status, Status::Unknown, "nothing readable is never a pass");
}

/// Not root, ufw set to start at boot: the live state can differ (NOTES.md), so no pass.
#[test]
fn linux_ufw_enabled_at_boot_without_root_is_unknown() {
    let mut m = machine_with(
        Linux,
        &["linux/firewall/ufw-not-root.toml", "linux/firewall/nft-not-root.toml"],
    );
    // Made up from the real ufw.conf in ufw-not-root.toml with ENABLED=no changed to yes.
    for f in &mut m.files {
        if let Some(c) = &mut f.contents {
            *c = c.replace("ENABLED=no", "ENABLED=yes");
        }
    }
    let out = run_check(m, "firewall");
    assert_eq!(
        (out.status, out.reason.as_str()),
        (Status::Unknown, "firewall.unreadable"),
        "{out:?}"
    );
    assert!(out.evidence.iter().any(|e| e.contains("sudo confide scan")));
}

cases!(
    linux_ufw_firewalld_and_nftables,
    ufw_active = (
        Linux,
        &["linux/firewall/ufw-active.toml"],
        Status::Pass,
        "firewall.on",
        "Status: active"
    ),
    ufw_active_with_rule = (
        Linux,
        &["linux/firewall/ufw-active-with-rule.toml"],
        Status::Pass,
        "firewall.on",
        "Status: active"
    ),
    ufw_inactive = (
        Linux,
        &["linux/firewall/ufw-inactive.toml"],
        Status::Fail,
        "firewall.off",
        "Status: inactive"
    ),
    // Not root: ufw.conf says ENABLED=no; nftables cannot be read either, so no verdict.
    ufw_and_nft_not_root = (
        Linux,
        &["linux/firewall/ufw-not-root.toml", "linux/firewall/nft-not-root.toml"],
        Status::Unknown,
        "firewall.unreadable",
        "ENABLED=no"
    ),
    ufw_not_root = (
        Linux,
        &["linux/firewall/ufw-not-root.toml"],
        Status::Fail,
        "firewall.off",
        "ENABLED=no"
    ),
    firewalld_running = (
        Linux,
        &["linux/firewall/firewalld-running.toml"],
        Status::Pass,
        "firewall.on",
        "running"
    ),
    firewalld_not_running_nft_root_empty = (
        Linux,
        &[
            "linux/firewall/firewalld-not-running.toml",
            "linux/firewall/nft-root-empty.toml",
        ],
        Status::Fail,
        "firewall.off",
        "no rules loaded"
    ),
    firewalld_not_running_ufw_active = (
        Linux,
        &[
            "linux/firewall/firewalld-not-running.toml",
            "linux/firewall/ufw-active.toml",
        ],
        Status::Pass,
        "firewall.on",
        "ufw"
    ),
    firewalld_not_root = (
        Linux,
        &["linux/firewall/firewalld-not-root.toml"],
        Status::Unknown,
        "firewall.unreadable",
        "could not tell"
    ),
    firewalld_no_dbus = (
        Linux,
        &["linux/firewall/firewalld-no-dbus.toml"],
        Status::Fail,
        "firewall.off",
        "no system D-Bus"
    ),
    nft_not_root = (
        Linux,
        &["linux/firewall/nft-not-root.toml"],
        Status::Unknown,
        "firewall.unreadable",
        "needs root"
    ),
    nothing_readable = (
        Linux,
        &[],
        Status::Unknown,
        "firewall.none-found",
        "No firewall software"
    ),
);
