//! `wifi-security` on each OS, over real recorded outputs (tests/fixtures/<os>/wifi/), live with
//! the real `nmcli` on Linux, and `--redact` removing the network's name.
#![allow(clippy::disallowed_methods)] // the live test runs the real nmcli and the binary

use crate::common;

use common::{Case, cases, check_case, confide, live_prerequisite, machine_with};
use confide::status::Status;
use confide::system::OsFamily::{Linux, Macos, Windows};

const ID: &str = "wifi-security";

/// A Mac whose `system_profiler` answer no capture shows (declared `made-up`: it may not pass).
fn mac_made_up(json: &str) -> confide::system::snapshot::Snapshot {
    let mut m = common::machine(Macos);
    m.commands.push(common::made_up(
        "system_profiler",
        &["SPAirPortDataType", "-json"],
        0,
        json,
        "",
    ));
    m
}

/// A Linux machine whose nmcli answer no capture shows (declared `made-up`: it may not pass).
fn nm_made_up(stdout: &str) -> confide::system::snapshot::Snapshot {
    let mut m = common::machine(Linux);
    let args = [
        "-t",
        "-f",
        "IN-USE,SSID,SECURITY",
        "device",
        "wifi",
        "list",
        "--rescan",
        "no",
    ];
    m.commands.push(common::made_up("nmcli", &args, 0, stdout, ""));
    m
}

fn check(case: Case) {
    check_case(ID, case);
}

cases!(
    macos_system_profiler,
    {
        let m = |f: &str| machine_with(Macos, &[f]);
    },
    wpa3_with_the_name_hidden_passes_and_says_the_name_is_hidden = Case {
        name: "WPA3 Personal, name hidden without Location permission",
        machine: m("macos/wifi/system-profiler-wpa3-name-hidden.toml"),
        status: Status::Pass,
        reason: "wifi-security.protected",
        says: &[
            "WPA3 Personal",
            "its name is hidden",
            "spairport_security_mode_wpa3_personal"
        ],
    },
    wpa3_transition_spelt_pairport_without_a_status_line_passes = Case {
        name: "WPA2/WPA3 transition (pairport_…), no status line",
        machine: m("macos/wifi/system-profiler-wpa3-transition-no-status.toml"),
        status: Status::Pass,
        reason: "wifi-security.protected",
        says: &["WPA2/WPA3 Personal", "pairport_security_mode_wpa3_transition"],
    },
    open_network_fails = Case {
        name: "open network",
        machine: m("macos/wifi/system-profiler-open.toml"),
        status: Status::Fail,
        reason: "wifi-security.open",
        says: &["open Wi-Fi network", "phone's hotspot", "spairport_security_mode_none"],
    },
    wifi_off_never_captured_is_unknown_not_a_pass = Case {
        name: "Wi-Fi off (format-only: no real capture)",
        machine: m("macos/wifi/system-profiler-wifi-off.toml"),
        status: Status::Unknown,
        reason: "wifi-security.unreadable",
        says: &[
            "macOS shows no Wi-Fi connection (en0: `spairport_status_off`)",
            "not yet been checked against a real Mac in that state",
            "System Settings › Wi-Fi",
        ],
    },
    a_named_current_network_without_a_security_mode_is_unknown_with_its_keys = Case {
        name: "current network with a name and no security mode, no status line",
        machine: mac_made_up(
            r#"{"SPAirPortDataType":[{"spairport_airport_interfaces":[{"_name":"en0","spairport_current_network_information":{"_name":"CafeFree","spairport_network_channel":"6 (2GHz, 20MHz)"}},{"_name":"awdl0","spairport_current_network_information":{"spairport_network_type":"spairport_network_type_station"}}]}]}"#
        ),
        status: Status::Unknown,
        reason: "wifi-security.unreadable",
        says: &[
            "en0 has a current network whose security mode could not be read",
            "en0's current network has only `_name`, `spairport_network_channel`",
        ],
    },
    a_security_mode_of_another_type_is_unknown_not_skipped = Case {
        name: "security mode not a string",
        machine: mac_made_up(
            r#"{"SPAirPortDataType":[{"spairport_airport_interfaces":[{"_name":"en0","spairport_current_network_information":{"spairport_network_type":"spairport_network_type_station","spairport_security_mode":7}}]}]}"#
        ),
        status: Status::Unknown,
        reason: "wifi-security.unreadable",
        says: &["`spairport_network_type`, `spairport_security_mode`"],
    },
    an_open_network_decides_over_an_unreadable_block = Case {
        name: "one interface open, another unreadable",
        machine: mac_made_up(
            r#"{"SPAirPortDataType":[{"spairport_airport_interfaces":[{"_name":"en1","spairport_current_network_information":{"_name":"Odd"}},{"_name":"en0","spairport_current_network_information":{"_name":"CafeFree","spairport_security_mode":"spairport_security_mode_none"},"spairport_status_information":"spairport_status_connected"}]}]}"#
        ),
        status: Status::Fail,
        reason: "wifi-security.open",
        says: &["\u{201c}CafeFree\u{201d}", "spairport_security_mode_none"],
    },
    no_output_is_unknown = Case {
        name: "system_profiler absent",
        machine: common::machine(Macos),
        status: Status::Unknown,
        reason: "wifi-security.unreadable",
        says: &["`system_profiler` is not available"],
    },
);

cases!(
    windows_netsh,
    {
        let m = |f: &str| machine_with(Windows, &[f]);
    },
    wpa2_personal_passes_and_names_the_network = Case {
        name: "WPA2-Personal",
        machine: m("windows/wifi/netsh-wpa2-personal.toml"),
        status: Status::Pass,
        reason: "wifi-security.protected",
        says: &[
            "\u{201c}Tenda_EBBAA0\u{201d}",
            "WPA2-Personal with CCMP",
            "`Authentication : WPA2-Personal`"
        ],
    },
    open_fails = Case {
        name: "Open / None",
        machine: m("windows/wifi/netsh-open.toml"),
        status: Status::Fail,
        reason: "wifi-security.open",
        says: &[
            "\u{201c}Test-Guest\u{201d}",
            "no password",
            "`Authentication : Open`, `Cipher : None`"
        ],
    },
    disconnected_is_not_on_wifi = Case {
        name: "disconnected",
        machine: m("windows/wifi/netsh-disconnected.toml"),
        status: Status::Pass,
        reason: "wifi-security.not-on-wifi",
        says: &["not on Wi-Fi now", "`State : disconnected`"],
    },
    no_wireless_interface_is_not_on_wifi = Case {
        name: "no Wi-Fi adapter",
        machine: m("windows/wifi/netsh-no-wireless-interface.toml"),
        status: Status::Pass,
        reason: "wifi-security.not-on-wifi",
        says: &["no Wi-Fi adapter"],
    },
    wlan_service_stopped_is_not_on_wifi = Case {
        name: "WLAN AutoConfig stopped",
        machine: m("windows/wifi/netsh-wlansvc-not-running.toml"),
        status: Status::Pass,
        reason: "wifi-security.not-on-wifi",
        says: &["WLAN AutoConfig"],
    },
    location_refused_is_unknown_with_the_fix = Case {
        name: "Windows 11 24H2 without Location access",
        machine: m("windows/wifi/netsh-location-refused.toml"),
        status: Status::Unknown,
        reason: "wifi-security.needs-location",
        says: &["Turn on Location services for apps", "need location permission"],
    },
);

cases!(
    linux_nmcli,
    {
        let m = |f: &str| machine_with(Linux, &[f]);
    },
    wpa3_in_use_passes = Case {
        name: "WPA3 in use",
        machine: m("linux/wifi/nmcli-in-use-wpa3.toml"),
        status: Status::Pass,
        reason: "wifi-security.protected",
        says: &["\u{201c}wlan0-ap-3\u{201d}", "protected by WPA3", "SECURITY `WPA3`"],
    },
    wpa1_only_in_use_warns = Case {
        name: "WPA1 only in use",
        machine: m("linux/wifi/nmcli-in-use-wpa1.toml"),
        status: Status::Warn,
        reason: "wifi-security.wpa-tkip",
        says: &["old WPA (WPA1)", "\u{201c}wlan0-ap-1\u{201d}"],
    },
    open_in_use_with_a_colon_in_its_name_fails = Case {
        name: "open network, colon escaped",
        machine: m("linux/wifi/nmcli-in-use-open.toml"),
        status: Status::Fail,
        reason: "wifi-security.open",
        says: &["\u{201c}Cafe: Free WiFi\u{201d}", "shows no SECURITY: an open network"],
    },
    access_points_nearby_but_none_in_use_is_not_on_wifi = Case {
        name: "none in use",
        machine: m("linux/wifi/nmcli-nearby-none-in-use.toml"),
        status: Status::Pass,
        reason: "wifi-security.not-on-wifi",
        says: &["4 access points nearby, none in use"],
    },
    daemon_not_running_is_unknown = Case {
        name: "NetworkManager not running (exit 8)",
        machine: m("linux/wifi/nmcli-daemon-not-running.toml"),
        status: Status::Unknown,
        reason: "wifi-security.unreadable",
        says: &["NetworkManager is not running", "Error: NetworkManager is not running."],
    },
    no_system_bus_is_unknown = Case {
        name: "no system bus (exit 1)",
        machine: m("linux/wifi/nmcli-no-system-bus.toml"),
        status: Status::Unknown,
        reason: "wifi-security.unreadable",
        says: &["NetworkManager is not running", "Could not create NMClient object"],
    },
    an_empty_list_is_unknown_not_off_wifi = Case {
        name: "empty list (also what NetworkManager prints while iwd has the laptop on Wi-Fi)",
        machine: nm_made_up(""),
        status: Status::Unknown,
        reason: "wifi-security.unreadable",
        says: &[
            "NetworkManager listed no Wi-Fi network at all",
            "iwd, wpa_supplicant, systemd-networkd",
            "no access point listed",
        ],
    },
    an_open_network_in_use_second_decides_over_wpa2_first = Case {
        name: "Home (WPA2) in use, then CafeFree (open) in use on a second adapter",
        machine: nm_made_up("*:Home:WPA2\n\n*:CafeFree:\n"),
        status: Status::Fail,
        reason: "wifi-security.open",
        says: &[
            "\u{201c}CafeFree\u{201d}",
            "`Home` shows SECURITY `WPA2`",
            "`CafeFree` shows no SECURITY",
            "connected to 2 Wi-Fi networks at once: the least protected one decides",
        ],
    },
    wpa1_in_use_beside_wpa3_warns = Case {
        name: "WPA3 and WPA1 both in use",
        machine: nm_made_up(" :Near:WPA2\n*:Home:WPA3\n\n*:Old:WPA1\n"),
        status: Status::Warn,
        reason: "wifi-security.wpa-tkip",
        says: &["\u{201c}Old\u{201d}", "old WPA (WPA1)"],
    },
    nmcli_missing_is_unknown = Case {
        name: "nmcli absent",
        machine: common::machine(Linux),
        status: Status::Unknown,
        reason: "wifi-security.unreadable",
        says: &["`nmcli` is not available"],
    },
);

/// The real nmcli on this machine: where NetworkManager is not running (CI, the development
/// sandbox), unknown saying exactly that; where it runs, a reading, never `unreadable`.
#[cfg(unix)]
#[test]
fn live_nmcli_is_read_and_networkmanager_not_running_is_unknown_saying_why() {
    let nmcli = std::path::Path::new("/usr/bin/nmcli");
    if !live_prerequisite(nmcli.exists(), "nmcli (Debian package network-manager)") {
        return;
    }
    let probe = std::process::Command::new(nmcli)
        .args(["-t", "general", "status"])
        .output()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let f = common::scan_finding(dir.path(), ID, &[]);
    if probe.status.success() {
        // A desktop with NetworkManager running: nmcli's answer is read, whatever the network.
        assert_ne!(f["reason"], "wifi-security.unreadable", "{f}");
        return;
    }
    // NetworkManager not running, as in CI's container and on the development sandbox.
    assert_eq!(f["status"], "unknown", "{f}");
    let summary = f["summary"].as_str().unwrap();
    assert_eq!(
        summary,
        "Could not tell how the Wi-Fi network is protected: NetworkManager is not running, so nmcli cannot say which Wi-Fi network this computer uses."
    );
    let evidence = f["evidence"].to_string();
    assert!(evidence.contains("Error: "), "{evidence}");
}

/// `--redact` replaces the network's name in the snapshot and the report; the verdict stays.
#[test]
fn redact_removes_the_wifi_network_name_and_keeps_the_verdict() {
    for (os, fixture, name) in [
        (Windows, "windows/wifi/netsh-wpa2-personal.toml", "Tenda_EBBAA0"),
        (Linux, "linux/wifi/nmcli-in-use-wpa3.toml", "wlan0-ap-3"),
        (Linux, "linux/wifi/nmcli-in-use-open.toml", "Cafe: Free WiFi"),
    ] {
        let original = machine_with(os, &[fixture]);
        let mut redacted = original.clone();
        redacted.redact();
        let json = serde_json::to_string(&redacted).unwrap();
        let escaped = name.replace(':', "\\\\:");
        assert!(!json.contains(name) && !json.contains(&escaped), "{name} in {json}");
        assert!(json.contains("wifi-network-1"), "{json}");
        let before = common::run_check_unguarded(original.clone(), ID);
        let after = common::run_check_unguarded(redacted, ID);
        assert_eq!((before.status, &before.reason), (after.status, &after.reason));
        assert!(after.summary.contains("\u{201c}wifi-network-"), "{}", after.summary);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        std::fs::write(&path, serde_json::to_string(&original).unwrap()).unwrap();
        let out = confide(dir.path())
            .args(["scan", "--only", ID, "--redact", "--format", "json", "--replay"])
            .arg(&path)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(report.contains("wifi-network-"), "{report}");
        assert!(!report.contains(name), "{name} in the redacted report: {report}");
        let plain = confide(dir.path())
            .args(["scan", "--only", ID, "--format", "json", "--replay"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&plain.stdout).contains(name),
            "the name is there without --redact"
        );
    }
}
