//! `user-accounts` on each OS, over real recorded outputs (tests/fixtures/<os>/user-accounts/),
//! and live on this Linux machine's own /etc/passwd.
#![allow(clippy::disallowed_methods)] // the live test reads /etc/passwd and runs the binary directly

use crate::common;

use common::{Case, cases};

use common::{machine, machine_with, run_check};
use confide::status::Status;
use confide::system::OsFamily::{self, Linux, Macos, Windows};
use confide::system::snapshot::{RecordedFile, Snapshot};

fn check(case: Case) {
    common::check_case("user-accounts", case);
}

/// A machine of `os` with the fixtures, signed in as `user` (the variable the OS sets).
fn signed_in(os: OsFamily, user: &str, fixtures: &[&str]) -> Snapshot {
    let mut m = machine_with(os, fixtures);
    let variable = if os == Windows { "USERNAME" } else { "USER" };
    common::declare_env(
        &mut m,
        common::Provenance::Adapted,
        "the signed-in account's name as the OS sets it (USER on Linux and macOS, USERNAME on \
         Windows): a name from the case's real account listing, or another for a case about \
         someone else's account",
        variable,
        user,
    );
    m
}

fn with_command(mut m: Snapshot, program: &str, args: &[&str], status: i32, stdout: &str, stderr: &str) -> Snapshot {
    m.commands
        .insert(0, common::made_up(program, args, status, stdout, stderr));
    m
}

fn with_file(mut m: Snapshot, path: &str, contents: &str) -> Snapshot {
    m.files.insert(
        0,
        RecordedFile {
            path: path.into(),
            contents: Some(contents.into()),
            ..RecordedFile::default()
        },
    );
    m
}

// ---------------------------------------------------------------- macOS

const MAC_AUTO_ON: &str = "macos/user-accounts/autologin-on.toml";
const MAC_AUTO_OFF: &str = "macos/user-accounts/autologin-off.toml";
const MAC_GUEST_OFF: &str = "macos/user-accounts/guest-disabled.toml";
const MAC_GUEST_ON: &str = "macos/user-accounts/guest-enabled.toml";
const MAC_GUEST_UNSET: &str = "macos/user-accounts/guest-key-missing.toml";
/// Only dutov (501) is a person in this real listing.
const MAC_USERS: &str = "macos/user-accounts/dscl-users.toml";

cases!(
    macos_login_window_and_accounts,
    {
        let m = |user, f: &[&str]| signed_in(Macos, user, f);
    },
    automatic_login_on = Case {
        name: "automatic login on",
        machine: m("dutov", &[MAC_AUTO_ON, MAC_GUEST_OFF, MAC_USERS]),
        status: Status::Fail,
        reason: "user-accounts.auto-login",
        says: &["logs in as randall by itself"],
    },
    automatic_login_off_guest_off_only_you = Case {
        name: "automatic login off, guest off, only you",
        machine: m("dutov", &[MAC_AUTO_OFF, MAC_GUEST_OFF, MAC_USERS]),
        status: Status::Pass,
        reason: "user-accounts.only-you",
        says: &["automatic login is off"],
    },
    guest_on = Case {
        name: "guest on",
        machine: m("dutov", &[MAC_AUTO_OFF, MAC_GUEST_ON, MAC_USERS]),
        status: Status::Fail,
        reason: "user-accounts.guest-enabled",
        says: &["the guest account is on"],
    },
    guest_key_never_written_sysadminctl_says_disabled = Case {
        name: "guest key never written, sysadminctl says disabled",
        machine: m("dutov", &[MAC_AUTO_OFF, MAC_GUEST_UNSET, MAC_GUEST_OFF, MAC_USERS]),
        status: Status::Pass,
        reason: "user-accounts.only-you",
        says: &["\"Guest account disabled.\""],
    },
    guest_key_never_written_no_other_answer = Case {
        name: "guest key never written, no other answer",
        machine: m("dutov", &[MAC_AUTO_OFF, MAC_GUEST_UNSET, MAC_USERS]),
        status: Status::Unknown,
        reason: "user-accounts.unreadable",
        says: &["the guest account setting could not be read"],
    },
    someone_else_account = Case {
        name: "someone else's account",
        machine: m("therapist", &[MAC_AUTO_OFF, MAC_GUEST_OFF, MAC_USERS]),
        status: Status::Warn,
        reason: "user-accounts.other-accounts",
        says: &["Other accounts can sign in to this computer (dutov)"],
    },
    no_commands_answer = Case {
        name: "no commands answer",
        machine: machine(Macos),
        status: Status::Unknown,
        reason: "user-accounts.unreadable",
        says: &["`defaults` is not available"],
    },
);

#[test]
fn macos_unexpected_output_is_unknown_not_a_pass() {
    // Not real outputs: a dscl listing in another shape, and a dictionary where a name belongs.
    let m = signed_in(Macos, "dutov", &[MAC_AUTO_OFF, MAC_GUEST_OFF]);
    let m = with_command(
        m,
        "dscl",
        &[".", "list", "/Users", "UniqueID"],
        0,
        "dsAttrTypeNative:UniqueID: 501\n",
        "",
    );
    let out = run_check(m, "user-accounts");
    assert_eq!(out.status, Status::Unknown, "{out:?}");
    assert!(out.summary.contains("the list of accounts"), "{out:?}");

    let m = signed_in(Macos, "dutov", &[MAC_GUEST_OFF, MAC_USERS]);
    let m = with_command(
        m,
        "defaults",
        &["read", "/Library/Preferences/com.apple.loginwindow", "autoLoginUser"],
        0,
        "{\n    a = 1;\n}\n",
        "",
    );
    let out = run_check(m, "user-accounts");
    assert_eq!(out.status, Status::Unknown, "{out:?}");
}

// ---------------------------------------------------------------- Windows

const WIN_AUTO_ON: &str = "windows/user-accounts/autologon-on.toml";
const WIN_AUTO_OFF: &str = "windows/user-accounts/autologon-off.toml";
const WIN_AUTO_UNSET: &str = "windows/user-accounts/autologon-missing.toml";
/// Administrator enabled (the real dump's owner signed in as it); everything else disabled.
const WIN_USERS: &str = "windows/user-accounts/get-localuser-json-selected.toml";
const WIN_GUEST_ON: &str = "windows/user-accounts/get-localuser-json-guest-enabled.toml";
const WIN_NO_PASSWORD: &str = "windows/user-accounts/get-localuser-json-home-pc-no-password.toml";
const LOCAL_USERS: [&str; 4] = [
    "-NoProfile",
    "-NonInteractive",
    "-Command",
    "Get-LocalUser | Select-Object Name,Enabled,PasswordRequired | ConvertTo-Json",
];

cases!(
    windows_autologon_guest_accounts_and_password,
    {
        let m = |user, f: &[&str]| signed_in(Windows, user, f);
    },
    autoadminlogon_1 = Case {
        name: "AutoAdminLogon = 1",
        machine: m("Administrator", &[WIN_AUTO_ON, WIN_USERS]),
        status: Status::Fail,
        reason: "user-accounts.auto-login",
        says: &["Windows signs in as Alfred by itself"],
    },
    autoadminlogon_0_only_your_account_enabled = Case {
        name: "AutoAdminLogon = 0, only your account enabled",
        machine: m("Administrator", &[WIN_AUTO_OFF, WIN_USERS]),
        status: Status::Pass,
        reason: "user-accounts.only-you",
        says: &["AutoAdminLogon (HKLM\\…\\Winlogon) = 0"],
    },
    autoadminlogon_absent_account_names_compared_without = Case {
        name: "AutoAdminLogon absent; account names compared without case",
        machine: m("administrator", &[WIN_AUTO_UNSET, WIN_USERS]),
        status: Status::Pass,
        reason: "user-accounts.only-you",
        says: &["is not set: automatic sign-in is off"],
    },
    the_enabled_built_in_administrator_is_someone_else = Case {
        name: "the enabled built-in Administrator is someone else's way in",
        machine: m("therapist", &[WIN_AUTO_OFF, WIN_USERS]),
        status: Status::Warn,
        reason: "user-accounts.other-accounts",
        says: &["Other accounts can sign in to this computer (Administrator)"],
    },
    guest_enabled = Case {
        name: "Guest enabled",
        machine: m("Administrator", &[WIN_AUTO_OFF, WIN_GUEST_ON]),
        status: Status::Fail,
        reason: "user-accounts.guest-enabled",
        says: &["the Guest account is enabled"],
    },
    your_account_does_not_require_a_password = Case {
        name: "your account does not require a password",
        machine: m("Jo", &[WIN_AUTO_OFF, WIN_NO_PASSWORD]),
        status: Status::Fail,
        reason: "user-accounts.no-password-required",
        says: &["PasswordRequired is false for your account Jo"],
    },
    nothing_answers = Case {
        name: "nothing answers",
        machine: machine(Windows),
        status: Status::Unknown,
        reason: "user-accounts.unreadable",
        says: &["`powershell` is not available"],
    },
);

#[test]
fn windows_single_account_and_unexpected_output() {
    // Not real outputs. A bare object is what Windows PowerShell 5.1 prints for a single
    // account; the error is what happens where Get-LocalUser does not exist (32-bit PowerShell).
    // No public capture of a single-account listing exists, so the bare object may not decide a
    // pass: it is shown to be read through a known bad signal (no password required) instead.
    let m = signed_in(Windows, "Jo", &[WIN_AUTO_OFF]);
    let one = with_command(
        m.clone(),
        "powershell",
        &LOCAL_USERS,
        0,
        "{\r\n    \"Name\":  \"Jo\",\r\n    \"Enabled\":  true,\r\n    \"PasswordRequired\":  false\r\n}\r\n",
        "",
    );
    let out = run_check(one, "user-accounts");
    assert_eq!(
        (out.status, out.reason.as_str()),
        (Status::Fail, "user-accounts.no-password-required"),
        "{out:?}"
    );

    let not_json = with_command(
        m.clone(),
        "powershell",
        &LOCAL_USERS,
        0,
        "Name Enabled\r\n---- -------\r\n",
        "",
    );
    let out = run_check(not_json, "user-accounts");
    assert_eq!(
        (out.status, out.reason.as_str()),
        (Status::Unknown, "user-accounts.unreadable"),
        "{out:?}"
    );

    let failed = with_command(
        m.clone(),
        "powershell",
        &LOCAL_USERS,
        1,
        "",
        "Get-LocalUser : The term 'Get-LocalUser' is not recognized as the name of a cmdlet\r\n",
    );
    let out = run_check(failed, "user-accounts");
    assert_eq!(out.status, Status::Unknown, "{out:?}");
    assert!(out.evidence.iter().any(|e| e.contains("not recognized")), "{out:?}");

    let binary = with_command(
        m,
        "reg",
        &[
            "query",
            "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon",
            "/v",
            "AutoAdminLogon",
        ],
        0,
        "\r\nHKEY_LOCAL_MACHINE\\X\r\n    AutoAdminLogon    REG_SZ    yes\r\n\r\n",
        "",
    );
    let binary = with_command(
        binary,
        "powershell",
        &LOCAL_USERS,
        0,
        "{\"Name\": \"Jo\", \"Enabled\": true, \"PasswordRequired\": true}",
        "",
    );
    let out = run_check(binary, "user-accounts");
    assert_eq!(out.status, Status::Unknown, "{out:?}");
}

// ---------------------------------------------------------------- Linux

const DEBIAN_PASSWD: &str = "linux/user-accounts/passwd-debian12-dev-machine.toml";
const UBUNTU_PASSWD: &str = "linux/user-accounts/passwd-ubuntu-desktop.toml";

cases!(
    linux_display_managers,
    {
        let m = |f: &[&str]| signed_in(Linux, "cloudsdk", f);
        let dm = |name: &str| format!("linux/user-accounts/{name}.toml");
        let on = |file: &str, says: &'static [&'static str]| Case {
            name: "automatic login on",
            machine: m(&[&dm(file), DEBIAN_PASSWD]),
            status: Status::Fail,
            reason: "user-accounts.auto-login",
            says,
        };
        let off = |file: &str, says: &'static [&'static str]| Case {
            name: "automatic login off",
            machine: m(&[&dm(file), DEBIAN_PASSWD]),
            status: Status::Pass,
            reason: "user-accounts.only-you",
            says,
        };
    },
    gdm_ubuntu_autologin_on = on(
        "gdm-ubuntu-autologin-on",
        &["/etc/gdm3/custom.conf: GDM logs in as trc by itself"],
    ),
    gdm_ubuntu_autologin_on_indented = on("gdm-ubuntu-autologin-on-indented", &["GDM logs in as kiosk by itself"]),
    gdm_fedora_autologin_on = on(
        "gdm-fedora-autologin-on",
        &["/etc/gdm/custom.conf: GDM logs in as redhat"],
    ),
    lightdm_autologin_on = on("lightdm-autologin-on", &["autologin-user=mycelium"]),
    sddm_autologin_on = on(
        "sddm-autologin-on",
        &["/etc/sddm.conf.d/autologin.conf: [Autologin] User=arunscape"],
    ),
    gdm_debian12_default_off = off(
        "gdm-debian12-default-off",
        &["/etc/gdm3/daemon.conf: GDM automatic login is not turned on"],
    ),
    gdm_fedora_autologin_false = off(
        "gdm-fedora-autologin-false",
        &["/etc/gdm/custom.conf: GDM automatic login is not turned on"],
    ),
    lightdm_debian12_default_off = off("lightdm-debian12-default-off", &["no /usr/sbin/guest-account"]),
    no_display_manager_at_all = Case {
        name: "no display manager at all",
        machine: m(&[DEBIAN_PASSWD]),
        status: Status::Pass,
        reason: "user-accounts.only-you",
        says: &["other login screens are not checked"],
    },
    lightdm_allows_guests = Case {
        name: "LightDM allows guests",
        machine: m(&[&dm("lightdm-guest-allowed"), DEBIAN_PASSWD]),
        status: Status::Fail,
        reason: "user-accounts.guest-enabled",
        says: &["allow-guest=true"],
    },
);

const GDM_OFF: &str = "linux/user-accounts/gdm-debian12-default-off.toml";

cases!(
    linux_accounts_from_passwd,
    a_second_person_account_services_are_not_people = Case {
        name: "a second person's account; services with uid >= 1000 and nologin are not people",
        machine: signed_in(Linux, "kozakemivm", &[GDM_OFF, UBUNTU_PASSWD]),
        status: Status::Warn,
        reason: "user-accounts.other-accounts",
        says: &["Other accounts can sign in to this computer (test)"],
    },
    postgres_has_bash_but_a_system_uid = Case {
        name: "postgres has bash but a system uid",
        machine: signed_in(Linux, "cloudsdk", &[GDM_OFF, DEBIAN_PASSWD]),
        status: Status::Pass,
        reason: "user-accounts.only-you",
        says: &["accounts people sign in with: cloudsdk (you are signed in as cloudsdk)"],
    },
    nothing_readable = Case {
        name: "nothing readable",
        machine: machine(Linux),
        status: Status::Unknown,
        reason: "user-accounts.unreadable",
        says: &["/etc/passwd is missing"],
    },
);

#[test]
fn linux_service_accounts_are_not_named_as_people() {
    let out = run_check(
        signed_in(Linux, "kozakemivm", &[GDM_OFF, UBUNTU_PASSWD]),
        "user-accounts",
    );
    assert!(
        !out.summary.contains("www") && !out.summary.contains("mysql"),
        "{out:?}"
    );
}

#[test]
fn linux_unexpected_passwd_is_unknown_not_a_pass() {
    // Not a real file: something that is not an account database where /etc/passwd belongs.
    let m = signed_in(
        Linux,
        "cloudsdk",
        &["linux/user-accounts/gdm-debian12-default-off.toml"],
    );
    let m = with_file(m, "/etc/passwd", "<html>not here</html>\n");
    let out = run_check(m, "user-accounts");
    assert_eq!(
        (out.status, out.reason.as_str()),
        (Status::Unknown, "user-accounts.unreadable"),
        "{out:?}"
    );
    assert!(out.evidence.iter().any(|e| e.contains("not as expected")), "{out:?}");
}

// ---------------------------------------------------------------- live

/// The accounts a person signs in with, read independently of the check: uid in
/// UID_MIN..=UID_MAX and a shell that is not nologin or false.
#[cfg(target_os = "linux")]
fn people_in_this_machines_passwd() -> Vec<String> {
    let defs = std::fs::read_to_string("/etc/login.defs").unwrap_or_default();
    let value = |key: &str, default: u32| {
        defs.lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .filter_map(|l| l.split_once(char::is_whitespace))
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(default)
    };
    let (min, max) = (value("UID_MIN", 1000), value("UID_MAX", 60000));
    std::fs::read_to_string("/etc/passwd")
        .unwrap()
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            let uid: u32 = f.get(2)?.parse().ok()?;
            let shell = f.get(6)?;
            ((min..=max).contains(&uid) && !shell.ends_with("nologin") && !shell.ends_with("false"))
                .then(|| f[0].to_string())
        })
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn live_this_machines_accounts_get_an_honest_verdict() {
    let people = people_in_this_machines_passwd();
    let dir = tempfile::tempdir().unwrap();
    // Signed in as an account that does not exist, every person's account is someone else's.
    let run = |user: &str| common::scan_finding(dir.path(), "user-accounts", &[("USER", std::ffi::OsStr::new(user))]);
    let f = run("confide-live-test-nobody");
    println!("people in /etc/passwd: {people:?}\nfinding: {f:#}");
    let evidence: Vec<&str> = f["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(evidence.iter().any(|e| e.starts_with("/etc/passwd")), "{f}");
    let status = f["check_status"].as_str().unwrap();
    assert_ne!(status, "unknown", "/etc/passwd is readable here: {f}");
    let summary = f["summary"].as_str().unwrap();
    match status {
        // Automatic login or a guest session on this machine: the others still show.
        "fail" => {
            for p in &people {
                assert!(summary.contains(p.as_str()), "{p} missing: {f}")
            }
        }
        "warn" => {
            assert_eq!(f["reason"], "user-accounts.other-accounts");
            for p in &people {
                assert!(summary.contains(p.as_str()), "{p} missing: {f}")
            }
        }
        "pass" => assert!(people.is_empty(), "{f}"),
        other => panic!("unexpected status {other}: {f}"),
    }

    // Signed in as the only person: nobody else has an account.
    if let [only] = people.as_slice() {
        let f = run(only);
        println!("as {only}: {f:#}");
        assert!(matches!(f["check_status"].as_str(), Some("pass" | "fail")), "{f}");
        assert_ne!(f["reason"], "user-accounts.other-accounts", "{f}");
    }
}
