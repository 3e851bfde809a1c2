//! Whole machines replayed through the real binary: one per OS, the JSON report snapshotted.

use crate::common;

use common::{confide, machine_with, write_snapshot};
use confide::system::OsFamily;
use confide::system::snapshot::Snapshot;
use serde_json::Value;

fn scan(snapshot: &Snapshot, extra: &[&str]) -> (Value, i32) {
    let dir = tempfile::tempdir().unwrap();
    let path = write_snapshot(dir.path(), "machine.json", snapshot);
    let out = confide(dir.path())
        .env("CONFIDE_PROFILE", common::complete_profile())
        .args(["scan", "--format", "json", "--replay"])
        .arg(&path)
        .args(extra)
        .output()
        .unwrap();
    let report =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (report, out.status.code().unwrap())
}

pub(crate) fn recorded(name: &str) -> Snapshot {
    let path = common::fixtures().join("linux").join(name);
    Snapshot::parse(&std::fs::read_to_string(&path).unwrap(), &path).unwrap()
}

/// A Mac left on for weeks with Siri listening.
pub(crate) fn macos_siri_on() -> Snapshot {
    let mut m = machine_with(
        OsFamily::Macos,
        &[
            "macos/voice/siri-enabled.toml",
            "macos/voice/hey-siri-enabled.toml",
            "macos/processes/stock.toml",
            "macos/processes/corespeechd.toml",
            "macos/firewall/enabled.toml",
            "os-support/sw_vers-macos15.toml",
            "macos/user-accounts/autologin-off.toml",
            "macos/user-accounts/guest-disabled.toml",
            "macos/user-accounts/dscl-users.toml",
            "macos/remote-access/remote-login-on.toml",
            "macos/remote-access/screen-sharing-off.toml",
            "macos/disk-encryption/filevault-on.toml",
            "macos/screen-lock/screenlock-5-seconds.toml",
            "macos/screen-lock/idletime-600.toml",
            "macos/screen-lock/pmset.toml",
            "macos/antivirus/xprotect-coreservices-bundle-version.toml",
            "macos/antivirus/pkgutil-pkgs-sequoia.toml",
            "macos/antivirus/pkgutil-xprotect-receipt.toml",
            "macos/os-updates/softwareupdate-keys-unset.toml",
            "macos/video-apps/applications-folder.toml",
            "macos/video-apps/zoom-5.9.6.toml",
            "macos/backup/tmutil-network-destination.toml",
            "macos/backup/tm-prefs-encrypted.toml",
            "macos/os-updates/recommended-updates-empty.toml",
            "macos/wifi/system-profiler-wpa3-name-hidden.toml",
        ],
    );
    m.boot_time = Some("2026-10-30T07:15:00Z".parse().unwrap());
    m
}

/// A Windows laptop with voice activation off and no assistant apps, restarted two days ago.
pub(crate) fn windows_clean() -> Snapshot {
    machine_with(
        OsFamily::Windows,
        &[
            "windows/voice/voice-activation-off.toml",
            "windows/processes/stock.toml",
            "windows/processes/no-alexa-folder.toml",
            "windows/firewall/netprofile-activestore-all-on.toml",
            "windows/user-accounts/autologon-off.toml",
            "windows/user-accounts/get-localuser-json-selected.toml",
            "windows/remote-access/rdp-policy-not-set.toml",
            "windows/remote-access/rdp-off.toml",
            "windows/remote-access/sshd-not-installed.toml",
            "windows/disk-encryption/manage-bde-no-admin.toml",
            "windows/screen-lock/screensaver-secure-600.toml",
            "windows/screen-lock/scrnsave-exe-set.toml",
            "windows/screen-lock/inactivity-timeout-missing.toml",
            "windows/screen-lock/powercfg-videoidle.toml",
            "windows/screen-lock/powercfg-consolelock.toml",
            "windows/antivirus/defender-normal-fresh.toml",
            "windows/video-apps/uninstall-hklm-zoom.toml",
            "windows/video-apps/uninstall-wow-absent.toml",
            "windows/video-apps/uninstall-hkcu-absent.toml",
            "windows/backup/filehistory-configured.toml",
            "windows/antivirus/defender-exclusions-narrow.toml",
            "windows/antivirus/securitycenter-defender-only.toml",
            "windows/os-updates/au-policy-key-missing.toml",
            "windows/os-updates/au-policy-key-missing-auoptions.toml",
            "windows/wifi/netsh-wpa2-personal.toml",
        ],
    )
}

#[test]
fn macos_machine_with_siri_on_and_weeks_of_uptime() {
    let (report, code) = scan(&macos_siri_on(), &[]);
    assert_eq!(code, 0, "both findings warn under the BACP policy");
    insta::assert_json_snapshot!("macos-siri-on", report, { ".findings[].duration_ms" => "[ms]" });
}

#[test]
fn windows_machine_with_nothing_listening() {
    let (report, code) = scan(&windows_clean(), &[]);
    assert_eq!(code, 0);
    let status = |check: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == check)
            .map(|f| f["status"].clone())
            .unwrap()
    };
    assert_eq!(
        (status("voice-assistants"), status("firewall")),
        ("pass".into(), "pass".into())
    );
    // No version was recorded for this machine: confide says it cannot tell, and never passes it.
    assert_eq!(status("os-support"), "unknown");
    insta::assert_json_snapshot!("windows-clean", report, { ".findings[].duration_ms" => "[ms]" });
}

#[test]
fn linux_machine_recorded_with_an_assistant_running() {
    let (report, code) = scan(&recorded("machine-debian12-mycroft.json"), &["--redact"]);
    // The recording is of a real sandbox: its root disk is not encrypted and no firewall runs.
    assert_eq!(code, 1);
    assert!(
        report["host"].get("hostname").is_none(),
        "--redact leaves out the hostname"
    );
    insta::assert_json_snapshot!("linux-mycroft", report, { ".findings[].duration_ms" => "[ms]" });
}

#[test]
fn terminal_report_of_the_macos_machine() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_snapshot(dir.path(), "machine.json", &macos_siri_on());
    let out = confide(dir.path())
        .env("CONFIDE_PROFILE", common::complete_profile())
        .args(["scan", "--replay"])
        .arg(&path)
        .output()
        .unwrap();
    insta::assert_snapshot!("macos-siri-on-terminal", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn skip_and_only_shape_the_report() {
    let (report, _) = scan(&windows_clean(), &["--skip", "uptime"]);
    let uptime = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "uptime")
        .unwrap();
    assert_eq!(uptime["status"], "skipped");
    assert_eq!(uptime["reason"], "uptime.turned-off");
    assert_eq!(report["counts"]["skipped"], 1);

    let (report, _) = scan(&windows_clean(), &["--only", "uptime"]);
    let checks: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    assert_eq!(checks, ["uptime"]);
}

/// Every reason a replayed machine reports is one its check declares (or the runner's own), so
/// the list `confide explain` prints is the whole truth.
#[test]
fn every_reported_reason_is_declared_by_its_check() {
    let catalog = confide::catalog::Catalog::load(&[]).unwrap();
    let runner: Vec<&str> = confide::checks::kit::reason_list::<confide::checks::kit::RunnerReason>()
        .iter()
        .map(|r| r.code)
        .collect();
    let reports = [
        scan(&macos_siri_on(), &[]).0,
        scan(&windows_clean(), &[]).0,
        scan(&recorded("machine-debian12-mycroft.json"), &[]).0,
        scan(&recorded("machine-debian12.json"), &[]).0,
    ];
    for finding in reports.iter().flat_map(|r| r["findings"].as_array().unwrap()) {
        let (check, reason) = (finding["check"].as_str().unwrap(), finding["reason"].as_str().unwrap());
        let code = reason
            .strip_prefix(&format!("{check}."))
            .unwrap_or_else(|| panic!("{reason}"));
        let declared = catalog.check(check).unwrap().reasons();
        let status = finding["check_status"].as_str().unwrap();
        assert!(
            runner.contains(&code) || declared.iter().any(|r| r.code == code && r.status.id() == status),
            "{reason} ({status}) is not declared by {check}"
        );
    }
}
