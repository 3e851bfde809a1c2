//! `backup-encryption` on each OS, over recorded outputs (tests/fixtures/<os>/backup/), and live
//! with Déjà Dup's settings through real gsettings.

use crate::common;

use common::{Case, cases, machine, machine_with};
use confide::status::Status;
use confide::system::OsFamily::{Linux, Macos, Windows};

fn check(case: Case) {
    common::check_case("backup-encryption", case);
}

cases!(
    macos_time_machine,
    {
        let m = |f: &[&str]| machine_with(Macos, f);
    },
    encrypted_destination_passes = Case {
        name: "Time Machine to an encrypted network disk",
        machine: m(&[
            "macos/backup/tmutil-network-destination.toml",
            "macos/backup/tm-prefs-encrypted.toml"
        ]),
        status: Status::Pass,
        reason: "backup-encryption.encrypted",
        says: &["the Time Machine disk \"time_mach\": encrypted"],
    },
    unencrypted_destination_fails = Case {
        name: "Time Machine to an unencrypted disk",
        machine: m(&[
            "macos/backup/tmutil-network-destination.toml",
            "macos/backup/tm-prefs-not-encrypted.toml"
        ]),
        status: Status::Fail,
        reason: "backup-encryption.not-encrypted",
        says: &["\"time_mach\" is not encrypted"],
    },
    no_destination_warns = Case {
        name: "no Time Machine disk",
        machine: m(&["macos/backup/tmutil-no-destinations.toml"]),
        status: Status::Warn,
        reason: "backup-encryption.no-backup",
        says: &["exist only on this computer", "no Time Machine destination"],
    },
    preferences_unreadable_is_unknown = Case {
        name: "destination known, preferences not readable",
        machine: m(&["macos/backup/tmutil-network-destination.toml"]),
        status: Status::Unknown,
        reason: "backup-encryption.encryption-unknown",
        says: &["Time Machine preferences could not be read"],
    },
    tmutil_unavailable_is_unknown = Case {
        name: "nothing readable",
        machine: machine(Macos),
        status: Status::Unknown,
        reason: "backup-encryption.unreadable",
        says: &["tmutil destinationinfo"],
    },
);

cases!(
    windows_file_history,
    {
        let m = |f: &[&str]| machine_with(Windows, f);
    },
    file_history_without_its_settings_file_is_unknown = Case {
        name: "File History set up, Config1.xml not readable",
        machine: m(&["windows/backup/filehistory-configured.toml"]),
        status: Status::Unknown,
        reason: "backup-encryption.encryption-unknown",
        says: &["settings file, Config1.xml or Config2.xml", "drive is not known"],
    },
    file_history_to_a_drive_needs_administrator_rights = Case {
        name: "File History to drive T:, not elevated",
        machine: m(&["windows/backup/filehistory-drive-no-admin.toml"]),
        status: Status::Unknown,
        reason: "backup-encryption.encryption-unknown",
        says: &[
            "the drive T: (File History)",
            "administrator rights",
            "File History backs up to T:\\",
        ],
    },
    file_history_to_an_unencrypted_drive_fails = Case {
        name: "File History to drive E:, BitLocker off (elevated)",
        machine: m(&["windows/backup/filehistory-drive-decrypted.toml"]),
        status: Status::Fail,
        reason: "backup-encryption.not-encrypted",
        says: &["the drive E: (File History)", "Conversion Status: Fully Decrypted"],
    },
    file_history_to_a_network_folder_is_unknown = Case {
        name: "File History to \\\\nas\\backup",
        machine: m(&["windows/backup/filehistory-network.toml"]),
        status: Status::Unknown,
        reason: "backup-encryption.encryption-unknown",
        says: &[
            "network folder \\\\nas\\backup",
            "a network folder: confide cannot see whether it is encrypted",
        ],
    },
    file_history_never_set_up_warns = Case {
        name: "File History never set up",
        machine: m(&["windows/backup/filehistory-never.toml"]),
        status: Status::Warn,
        reason: "backup-encryption.no-backup",
        says: &["never been set up"],
    },
);

cases!(
    linux_deja_dup,
    {
        let m = |f: &[&str]| machine_with(Linux, f);
    },
    never_backed_up_warns = Case {
        name: "Déjà Dup never ran",
        machine: m(&["linux/backup/dejadup-never-backed-up.toml"]),
        status: Status::Warn,
        reason: "backup-encryption.no-backup",
        says: &["never made a backup"],
    },
    backed_up_is_unknown_for_its_password = Case {
        name: "Déjà Dup backs up to a local drive",
        machine: m(&["linux/backup/dejadup-backed-up-local.toml"]),
        status: Status::Unknown,
        reason: "backup-encryption.encryption-unknown",
        says: &["Déjà Dup (local)", "2026-11-20T09:15:02"],
    },
    deja_dup_not_installed_is_unknown = Case {
        name: "no Déjà Dup",
        machine: m(&["linux/backup/dejadup-not-installed.toml"]),
        status: Status::Unknown,
        reason: "backup-encryption.unreadable",
        says: &["Déjà Dup (the Backups app) is not installed", "No such schema"],
    },
);

/// Live: Déjà Dup's two keys in a private schema folder (key names and types as in Déjà Dup
/// 44's org.gnome.DejaDup.gschema.xml), real gsettings with the keyfile backend, a real scan.
#[cfg(target_os = "linux")]
#[test]
#[allow(clippy::disallowed_methods)] // the test sets up gsettings itself
fn live_deja_dup_settings_through_gsettings() {
    use std::process::Command;
    let tools = Command::new("glib-compile-schemas").arg("--version").output().is_ok()
        && Command::new("gsettings").arg("--version").output().is_ok();
    if !common::live_prerequisite(tools, "gsettings and glib-compile-schemas (libglib2.0-bin)") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let schemas = dir.path().join("schemas");
    let config_home = dir.path().join("config");
    std::fs::create_dir_all(&schemas).unwrap();
    std::fs::write(
        schemas.join("org.gnome.DejaDup.gschema.xml"),
        r#"<schemalist>
  <schema id="org.gnome.DejaDup" path="/org/gnome/deja-dup/">
    <key name="last-backup" type="s"><default>''</default></key>
    <key name="backend" type="s"><default>'auto'</default></key>
  </schema>
</schemalist>
"#,
    )
    .unwrap();
    assert!(
        Command::new("glib-compile-schemas")
            .arg(&schemas)
            .status()
            .unwrap()
            .success()
    );
    let scan = || {
        let out = common::confide(dir.path())
            .env("GSETTINGS_SCHEMA_DIR", &schemas)
            .env("GSETTINGS_BACKEND", "keyfile")
            .env("XDG_CONFIG_HOME", &config_home)
            .args(["scan", "--format", "json", "--only", "backup-encryption"])
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == "backup-encryption")
            .cloned()
            .unwrap()
    };
    let f = scan();
    assert_eq!(f["reason"], "backup-encryption.no-backup", "{f}");

    let set = |key: &str, value: &str| {
        let ok = Command::new("gsettings")
            .env("GSETTINGS_SCHEMA_DIR", &schemas)
            .env("GSETTINGS_BACKEND", "keyfile")
            .env("XDG_CONFIG_HOME", &config_home)
            .args(["set", "org.gnome.DejaDup", key, value])
            .status()
            .unwrap()
            .success();
        assert!(ok, "gsettings set {key}");
    };
    set("last-backup", "2026-11-20T09:15:02Z");
    set("backend", "remote");
    let f = scan();
    assert_eq!(f["reason"], "backup-encryption.encryption-unknown", "{f}");
    assert!(f["summary"].as_str().unwrap().contains("Déjà Dup (remote)"), "{f}");
}
