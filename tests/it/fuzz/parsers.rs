//! The pure parsers of command output and file contents, called directly: arbitrary text and
//! every recorded output (commands' stdout and stderr, files' contents) damaged. Never a panic;
//! where the reading is a yes, arbitrary text is not one.

use std::sync::LazyLock;

use confide::checks::{antivirus, backup_encryption, disk_encryption, firewall, os_support, os_updates};
use confide::checks::{remote_access, screen_lock, user_accounts, video_apps, wifi_security};
use confide::probe::{gsettings, macos_defaults, powershell, windows_reg};
use confide::system::CommandOutput;
use proptest::prelude::*;

use super::{cases, mutate, mutations, soup};
use crate::common;

/// Every text recorded in a fixture: each command's stdout and stderr, each file's contents.
static RECORDED: LazyLock<Vec<String>> = LazyLock::new(|| {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                let v: toml::Table = toml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
                for (list, keys) in [
                    ("commands", &["stdout", "stderr"][..]),
                    ("files", &["contents", "head"][..]),
                ] {
                    for item in v.get(list).and_then(|l| l.as_array()).into_iter().flatten() {
                        for k in keys {
                            if let Some(s) = item.get(*k).and_then(|s| s.as_str()) {
                                out.push(s.to_string());
                            }
                        }
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&common::fixtures(), &mut out);
    out.sort();
    out.dedup();
    out
});

/// Arbitrary text, or a real recorded output damaged.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        soup(),
        (0..RECORDED.len(), mutations()).prop_map(|(i, m)| mutate(&RECORDED[i], &m)),
        (0..RECORDED.len()).prop_map(|i| RECORDED[i].clone()),
    ]
}

/// A program's answer: damaged or arbitrary text on either stream, any exit.
fn output() -> impl Strategy<Value = CommandOutput> {
    (
        text(),
        text(),
        prop::option::of(prop_oneof![Just(0), Just(1), -5i32..2000]),
        any::<bool>(),
    )
        .prop_map(|(stdout, stderr, status, timed_out)| CommandOutput {
            status,
            stdout,
            stderr,
            timed_out: timed_out && status.is_none(),
            ..Default::default()
        })
}

fn exit_0(stdout: &str) -> CommandOutput {
    CommandOutput {
        status: Some(0),
        stdout: stdout.to_string(),
        ..Default::default()
    }
}

#[test]
fn every_recorded_output_is_a_seed() {
    assert!(RECORDED.len() > 200, "{} recorded texts", RECORDED.len());
}

proptest! {
    #![proptest_config(cases(512))]

    /// Every parser of one program's text output, on arbitrary and damaged text.
    #[test]
    fn text_parsers_never_panic(t in text()) {
        let _ = powershell::objects(&t);
        let _ = antivirus::xprotect_receipt_ids(&t);
        let _ = antivirus::parse_pkg_info(&t);
        let _ = antivirus::parse_clamav_header(&t);
        let _ = antivirus::parse_mdatp_health(&t);
        let _ = antivirus::parse_mp_status(&t);
        let _ = antivirus::parse_exclusion_paths(&t).map(|e| e.broad());
        let _ = antivirus::parse_security_center(&t);
        let _ = antivirus::windows::parse_powershell_date(&t);
        let _ = antivirus::exclusions::broad(&t);
        let _ = antivirus::parse_mdatp_exclusions(&t);
        let _ = os_support::parse_sw_vers(&t);
        for key in ["ID", "VERSION_ID", "PRETTY_NAME", "VERSION_CODENAME"] {
            let _ = os_support::os_release_field(&t, key);
        }
        let _ = backup_encryption::parse_destinationinfo(&t);
        let _ = backup_encryption::parse_encryption_states(&t);
        let _ = remote_access::linux::parse_ss_listeners(&t);
        let _ = firewall::parse_socketfilterfw(&t);
        let _ = firewall::parse_profiles(&t);
        let _ = firewall::parse_ufw_conf(&t);
        let _ = disk_encryption::parse_fdesetup_status(&t);
        if let Ok(devices) = disk_encryption::parse_lsblk(&t) {
            for d in ["/", "sda", "nvme0n1p2", "dm-0"] {
                let _ = disk_encryption::chains_to(&devices, d);
                let _ = disk_encryption::is_encrypted(&devices, d);
            }
        }
        let _ = disk_encryption::parse_findmnt_source(&t);
        let _ = disk_encryption::parse_swaps(&t);
        let _ = disk_encryption::ecryptfs_mounts(&t);
        let _ = video_apps::read::parse_uninstall(&t);
        let _ = video_apps::table::version_parts(&t);
        let _ = video_apps::table::is_below(&t, "5.17.11");
        let _ = video_apps::table::is_below("5.17.11", &t);
        let _ = os_updates::parse_apt_simulation(&t);
        let _ = os_updates::parse_apt_periodic(&t);
        let _ = os_updates::apt_interval_on(&t);
        let _ = os_updates::last_log_info(&t);
        let _ = os_updates::parse_apply_updates(&t);
        let _ = os_updates::parse_recommended_updates(&t);
        let _ = os_updates::parse_mac_date(&t);
        let _ = os_updates::parse_wu_dates(&t);
        let _ = os_updates::parse_wua_search(&t);
        let _ = screen_lock::parse_desktop(&t);
        let _ = screen_lock::parse_kscreenlockerrc(&t);
        let _ = screen_lock::parse_xfconf(&t);
        let _ = screen_lock::parse_pmset_displaysleep(&t);
        let _ = user_accounts::ini_entries(&t);
        let _ = user_accounts::gdm_auto_login(&t);
        let _ = user_accounts::lightdm_settings(&t);
        let _ = user_accounts::sddm_auto_login_user(&t);
        if let Ok(entries) = user_accounts::parse_passwd(&t) {
            let _ = user_accounts::linux_people(&entries, (1000, 60000));
        }
        let _ = user_accounts::login_defs_uid_range(&t);
        let _ = user_accounts::parse_dscl_users(&t);
        let _ = user_accounts::parse_local_users(&t);
        for parse in [wifi_security::linux::parse, wifi_security::macos::parse, wifi_security::windows::parse] {
            let _ = wifi_security::judge(parse(&t));
        }
        let _ = wifi_security::linux::network_names(&t);
        let _ = wifi_security::macos::network_names(&t);
        let _ = wifi_security::windows::network_names(&t);
        for line in t.lines() {
            let _ = windows_reg::value_line(line);
        }
        let _ = confide::checks::ico_registration::is_valid_number(&t);
        let _ = confide::profile::is_email(&t);
        let _ = confide::profile::parse_date(&t);
    }

    /// Every parser that reads a whole answer (exit status, stdout and stderr).
    #[test]
    fn output_parsers_never_panic(out in output(), name in "[A-Za-z]{1,20}") {
        let _ = macos_defaults::parse(&out);
        let _ = macos_defaults::parse_defaults_bool(&out);
        let _ = gsettings::parse(&out);
        let _ = windows_reg::parse(&out, &name);
        let _ = windows_reg::parse(&out, "AUOptions").as_number();
        let _ = screen_lock::parse_screenlock_status(&out);
        let _ = screen_lock::parse_powercfg_setting(&out, "VIDEOIDLE");
        let _ = user_accounts::sysadminctl_guest_enabled(&out);
        let _ = remote_access::macos::parse_launchctl_print(&out, "com.openssh.sshd");
        let _ = remote_access::macos::parse_systemsetup_remote_login(&out);
        let _ = remote_access::windows::parse_sc_query(&out);
        let _ = os_updates::parse_is_enabled(&out);
        let _ = disk_encryption::parse_manage_bde(&out, "C:");
    }

    /// Arbitrary text is never read as a protection being on.
    #[test]
    fn arbitrary_text_is_never_a_yes(t in soup()) {
        prop_assert_ne!(disk_encryption::parse_fdesetup_status(&t), disk_encryption::FileVault::On);
        prop_assert_ne!(firewall::parse_ufw_conf(&t), Some(true));
        prop_assert_eq!(firewall::parse_socketfilterfw(&t), None);
        let profiles = firewall::parse_profiles(&t).unwrap_or_default();
        prop_assert!(profiles.iter().all(|(_, on)| *on != Some(true)), "{profiles:?}");
        prop_assert!(!matches!(windows_reg::parse(&exit_0(&t), "NoAutoUpdate"), windows_reg::RegValue::Dword(_)));
        let prefixed = format!("x{t}");
        let setting = gsettings::parse(&exit_0(&prefixed));
        prop_assert!(!matches!(setting, gsettings::GValue::Bool(_)), "{:?}", setting);
        prop_assert!(!matches!(
            remote_access::macos::parse_systemsetup_remote_login(&exit_0(&t)),
            remote_access::macos::RemoteLoginSetting::Off
        ));
        let volume = disk_encryption::parse_manage_bde(&exit_0(&t), "C:");
        prop_assert!(!matches!(volume, disk_encryption::BitLocker::Volume { .. }), "{:?}", volume);
    }
}
