//! `screen-lock` on each OS, over real recorded outputs (tests/fixtures/<os>/screen-lock/), and
//! live on Linux with the real `gsettings` and a real kscreenlockerrc.
#![allow(clippy::disallowed_methods)] // the live tests start gsettings and confide with their own environment

use crate::common;

use common::{Case, cases};

use std::path::Path;
use std::process::Command;

use common::{live_prerequisite, machine, machine_with, run_check};
use confide::status::Status;
use confide::system::OsFamily::{Linux, Macos, Windows};
use confide::system::ProcessInfo;
use confide::system::snapshot::{RecordedCommand, Snapshot};
use serde_json::Value;

fn check(case: Case) {
    common::check_case("screen-lock", case);
}

/// A Linux desktop session of `desktop` for the user whose home is /home/user (the fixtures'
/// paths), with the given fixtures from tests/fixtures/linux/screen-lock/.
fn desktop(desktop: &str, fixtures: &[&str]) -> Snapshot {
    let paths: Vec<String> = fixtures.iter().map(|f| format!("linux/screen-lock/{f}.toml")).collect();
    let mut m = machine_with(Linux, &paths.iter().map(String::as_str).collect::<Vec<_>>());
    common::declare_env(
        &mut m,
        common::Provenance::Adapted,
        "XDG_CURRENT_DESKTOP as the desktops set it (GNOME, ubuntu:GNOME, KDE, MATE, XFCE, \
         X-Cinnamon: the freedesktop.org registered desktop names, Ubuntu's and Cinnamon's prefixed)",
        "XDG_CURRENT_DESKTOP",
        desktop,
    );
    common::declare_env(
        &mut m,
        common::Provenance::Adapted,
        "HOME in the usual Linux form /home/<name>, the user of the fixtures' recorded paths",
        "HOME",
        "/home/user",
    );
    m
}

/// A command answer written in a test: NOT a real output, each use says what it was made from.
fn made_up(program: &str, args: &[&str], stdout: &str) -> RecordedCommand {
    common::made_up(program, args, 0, stdout, "")
}

cases!(
    gnome_cinnamon_and_mate_settings,
    gnome_lock_disabled = Case {
        name: "GNOME lock disabled",
        machine: desktop("ubuntu:GNOME", &["gnome-lock-disabled"]),
        status: Status::Fail,
        reason: "screen-lock.lock-disabled",
        says: &["lock-enabled`: false"],
    },
    gnome_idle_0_never = Case {
        name: "GNOME idle 0 (never)",
        machine: desktop("GNOME", &["gnome-idle-0"]),
        status: Status::Fail,
        reason: "screen-lock.never-idle",
        says: &["set to Never"],
    },
    gnome_idle_600_s_above_the_5_minute_warning_level = Case {
        name: "GNOME idle 600 s: above the 5-minute warning level, within 15",
        machine: desktop("GNOME", &["gnome-idle-600"]),
        status: Status::Warn,
        reason: "screen-lock.idle-longer-than-recommended",
        says: &["locks after 10 minutes"],
    },
    gnome_defaults_300_s_lock_delay_0 = Case {
        name: "GNOME defaults (300 s, lock-delay 0)",
        machine: desktop("ubuntu:GNOME", &["gnome-defaults"]),
        status: Status::Pass,
        reason: "screen-lock.locks-when-idle",
        says: &["desktop session: XDG_CURRENT_DESKTOP=ubuntu:GNOME"],
    },
    gnome_lock_delay_30_s = Case {
        name: "GNOME lock-delay 30 s",
        machine: desktop("GNOME", &["gnome-lock-delay-30"]),
        status: Status::Fail,
        reason: "screen-lock.password-delay-too-long",
        says: &["only 30 seconds after that"],
    },
    no_schemas_installed = Case {
        name: "no schemas installed",
        machine: desktop("GNOME", &["gnome-no-schemas-installed"]),
        status: Status::Unknown,
        reason: "screen-lock.settings-unreadable",
        says: &["No schemas installed"],
    },
    gsettings_not_installed = Case {
        name: "gsettings not installed",
        machine: desktop("GNOME", &[]),
        status: Status::Unknown,
        reason: "screen-lock.settings-unreadable",
        says: &["`gsettings` is not installed"],
    },
    cinnamon_defaults_900_s = Case {
        name: "Cinnamon defaults: 900 s",
        machine: desktop("X-Cinnamon", &["cinnamon-defaults"]),
        status: Status::Warn,
        reason: "screen-lock.idle-longer-than-recommended",
        says: &["locks after 15 minutes"],
    },
    cinnamon_lock_disabled = Case {
        name: "Cinnamon lock disabled",
        machine: desktop("X-Cinnamon", &["cinnamon-lock-disabled-idle-0"]),
        status: Status::Fail,
        reason: "screen-lock.lock-disabled",
        says: &["Cinnamon"],
    },
    cinnamon_schema_missing = Case {
        name: "Cinnamon schema missing",
        machine: desktop("X-Cinnamon", &["cinnamon-schema-missing"]),
        status: Status::Unknown,
        reason: "screen-lock.settings-unreadable",
        says: &["No such schema"],
    },
    mate_defaults_5_minutes = Case {
        name: "MATE defaults: 5 minutes",
        machine: desktop("MATE", &["mate-defaults"]),
        status: Status::Pass,
        reason: "screen-lock.locks-when-idle",
        says: &["locks after 5 minutes"],
    },
    mate_lock_disabled = Case {
        name: "MATE lock disabled",
        machine: desktop("MATE", &["mate-lock-disabled-idle-10"]),
        status: Status::Fail,
        reason: "screen-lock.lock-disabled",
        says: &["MATE"],
    },
    mate_session_schema_missing = Case {
        name: "MATE session schema missing",
        machine: desktop("MATE", &["mate-session-schema-missing"]),
        status: Status::Unknown,
        reason: "screen-lock.settings-unreadable",
        says: &["No such schema “org.mate.session”"],
    },
);

cases!(
    kde_with_and_without_kscreenlockerrc,
    {
        let mut elsewhere = desktop("KDE", &["kde-rc-present"]);
        common::declare_env(
            &mut elsewhere,
            common::Provenance::Adapted,
            "XDG_CONFIG_HOME set by the user to a folder of their own (XDG Base Directory spec)",
            "XDG_CONFIG_HOME",
            "/home/user/other-config",
        );
        let mut by_session_name = desktop("KDE", &["kde-rc-present"]);
        by_session_name.env.remove("XDG_CURRENT_DESKTOP");
        by_session_name.env.insert("DESKTOP_SESSION".into(), "plasma".into());
    },
    no_kscreenlockerrc_kde_defaults_said_so = Case {
        name: "no kscreenlockerrc: KDE's defaults, said so",
        machine: desktop("KDE", &["kde-rc-absent"]),
        status: Status::Pass,
        reason: "screen-lock.locks-when-idle",
        says: &["This relies on KDE's default settings"],
    },
    kscreenlockerrc_without_daemon_defaults_said_so = Case {
        name: "kscreenlockerrc without [Daemon]: defaults, said so",
        machine: desktop("KDE", &["kde-rc-no-daemon-group"]),
        status: Status::Pass,
        reason: "screen-lock.locks-when-idle",
        says: &["This relies on KDE's default settings"],
    },
    autolock_false = Case {
        name: "Autolock=false",
        machine: desktop("KDE", &["kde-rc-present"]),
        status: Status::Fail,
        reason: "screen-lock.lock-disabled",
        says: &["Autolock=false"],
    },
    autolock_false_with_a_10_minute_timeout = Case {
        name: "Autolock=false with a 10-minute timeout",
        machine: desktop("KDE", &["kde-rc-timeout-10"]),
        status: Status::Fail,
        reason: "screen-lock.lock-disabled",
        says: &["Timeout=10"],
    },
    lockgrace_45_s = Case {
        name: "LockGrace=45 s",
        machine: desktop("KDE", &["kde-rc-lockgrace-only"]),
        status: Status::Fail,
        reason: "screen-lock.password-delay-too-long",
        says: &["only 45 seconds after that"],
    },
    xdg_config_home_is_where_the_file_is_looked = Case {
        name: "XDG_CONFIG_HOME is where the file is looked for",
        machine: elsewhere,
        status: Status::Pass,
        reason: "screen-lock.locks-when-idle",
        says: &["/home/user/other-config/kscreenlockerrc does not exist"],
    },
    desktop_session_names_the_desktop_when_xdg_current = Case {
        name: "DESKTOP_SESSION names the desktop when XDG_CURRENT_DESKTOP is unset",
        machine: by_session_name,
        status: Status::Fail,
        reason: "screen-lock.lock-disabled",
        says: &["DESKTOP_SESSION=plasma"],
    },
);

cases!(
    xfce_screensaver_settings,
    {
        let mut running = desktop("XFCE", &[]);
        running.processes = vec![common::declare(
            common::Provenance::Adapted,
            "xfce4-screensaver's name and path as Debian's xfce4-screensaver package installs it; \
             the pid and user are the test's",
            ProcessInfo {
                pid: 2211,
                name: "xfce4-screensaver".into(),
                exe: Some("/usr/bin/xfce4-screensaver".into()),
                user: Some("therapist".into()),
            },
        )];
    },
    lock_on_but_the_screensaver_is_turned_off = Case {
        name: "lock on, but the screensaver is turned off",
        machine: desktop("XFCE", &["xfce-xml"]),
        status: Status::Fail,
        reason: "screen-lock.lock-disabled",
        says: &["/saver/enabled = false"],
    },
    lock_on_but_not_with_the_screensaver = Case {
        name: "lock on, but not with the screensaver",
        machine: desktop("XFCE", &["xfce-xml-lock-with-saver-off"]),
        status: Status::Fail,
        reason: "screen-lock.lock-disabled",
        says: &["/lock/saver-activation/enabled = false"],
    },
    idle_10_minutes_lock_settings_at_their_defaults = Case {
        name: "idle 10 minutes, lock settings at their defaults",
        machine: desktop("XFCE", &["xfce-xml-no-lock-properties"]),
        status: Status::Warn,
        reason: "screen-lock.idle-longer-than-recommended",
        says: &["/lock/enabled not set (default: true)"],
    },
    no_settings_file_xfce4_screensaver_running = Case {
        name: "no settings file, xfce4-screensaver running: its defaults, said so",
        machine: running,
        status: Status::Pass,
        reason: "screen-lock.locks-when-idle",
        says: &["This relies on xfce4-screensaver's default settings"],
    },
    no_settings_file_and_no_xfce4_screensaver = Case {
        name: "no settings file and no xfce4-screensaver",
        machine: desktop("XFCE", &[]),
        status: Status::Unknown,
        reason: "screen-lock.locker-not-found",
        says: &["light-locker"],
    },
);

cases!(
    linux_without_a_known_desktop_is_unknown,
    {
        let mut sway = machine(Linux);
        sway.env.insert("XDG_CURRENT_DESKTOP".into(), "sway".into());
    },
    no_desktop_session_ssh_cron_server = Case {
        name: "no desktop session (SSH, cron, server)",
        machine: machine_with(Linux, &["linux/screen-lock/gnome-defaults.toml"]),
        status: Status::Unknown,
        reason: "screen-lock.no-desktop-session",
        says: &["Run `confide scan` from a terminal window on your desktop"],
    },
    a_desktop_confide_cannot_read = Case {
        name: "a desktop confide cannot read",
        machine: sway,
        status: Status::Unknown,
        reason: "screen-lock.unsupported-desktop",
        says: &["sway"],
    },
);

cases!(
    macos_password_and_idle_settings,
    {
        let m = |f: &[&str]| {
            let paths: Vec<String> = f.iter().map(|f| format!("macos/screen-lock/{f}.toml")).collect();
            machine_with(Macos, &paths.iter().map(String::as_str).collect::<Vec<_>>())
        };
        // `300` is a real capture of idleTime (NOTES.md §2).
        let five_minutes = m(&["idletime-300", "screenlock-immediate", "pmset"]);
        // Made up from the real `pmset -g` in pmset.toml with displaysleep changed to 0 (never).
        let mut never = m(&["screenlock-immediate", "idletime-0"]);
        never.commands.insert(
            0,
            made_up(
                "pmset",
                &["-g"],
                "System-wide power settings:\nCurrently in use:\n standby              1\n displaysleep         0\n",
            ),
        );
    },
    immediate_screen_saver_after_5_minutes = Case {
        name: "immediate, screen saver after 5 minutes",
        machine: five_minutes,
        status: Status::Pass,
        reason: "screen-lock.locks-when-idle",
        says: &["screenLock delay is immediate"],
    },
    immediate_screen_saver_after_10_minutes_display = Case {
        name: "immediate, screen saver after 10 minutes, display sleep 20",
        machine: m(&["screenlock-immediate", "idletime-600", "pmset"]),
        status: Status::Warn,
        reason: "screen-lock.idle-longer-than-recommended",
        says: &["locks after 10 minutes"],
    },
    five_seconds_is_within_the_password_delay = Case {
        name: "5 seconds is within the password delay",
        machine: m(&["screenlock-5-seconds", "idletime-600", "pmset"]),
        status: Status::Warn,
        reason: "screen-lock.idle-longer-than-recommended",
        says: &["screenLock delay is 5 seconds"],
    },
    screenlock_off = Case {
        name: "screenLock off",
        machine: m(&["screenlock-off", "idletime-600", "pmset"]),
        status: Status::Fail,
        reason: "screen-lock.lock-disabled",
        says: &["screenLock is off"],
    },
    screen_saver_never_display_sleeps_after_20_minutes = Case {
        name: "screen saver never, display sleeps after 20 minutes",
        machine: m(&["screenlock-immediate", "idletime-0", "pmset"]),
        status: Status::Fail,
        reason: "screen-lock.idle-too-long",
        says: &["displaysleep 20"],
    },
    screen_saver_and_display_sleep_both_never = Case {
        name: "screen saver and display sleep both never",
        machine: never,
        status: Status::Fail,
        reason: "screen-lock.never-idle",
        says: &["set to Never"],
    },
    idletime_never_written_macos_default_20_minutes_said = Case {
        name: "idleTime never written: macOS's default 20 minutes, said so",
        machine: m(&["screenlock-immediate", "idletime-missing", "pmset"]),
        status: Status::Fail,
        reason: "screen-lock.idle-too-long",
        says: &["This relies on macOS's default screen saver time"],
    },
    no_answer_from_sysadminctl_no_gui_session = Case {
        name: "no answer from sysadminctl (no GUI session)",
        machine: m(&["idletime-600", "pmset"]),
        status: Status::Unknown,
        reason: "screen-lock.needs-your-session",
        says: &["logged in to your own account"],
    },
);

cases!(
    windows_screen_saver_inactivity_limit_and_display_off,
    {
        let m = |f: &[&str]| {
            let paths: Vec<String> = f.iter().map(|f| format!("windows/screen-lock/{f}.toml")).collect();
            machine_with(Windows, &paths.iter().map(String::as_str).collect::<Vec<_>>())
        };
        let power = ["powercfg-videoidle", "powercfg-consolelock"];
        // Made up from the real powercfg-videoidle.toml with both values changed to 0 (never).
        let mut display_never = m(&[
            "screensaver-missing",
            "scrnsave-exe-missing",
            "inactivity-timeout-missing",
        ]);
        let video = common::fixtures().join("windows/screen-lock/powercfg-videoidle.toml");
        let video: toml::Value = toml::from_str(&std::fs::read_to_string(video).unwrap()).unwrap();
        let stdout = video["commands"][0]["stdout"]
            .as_str()
            .unwrap()
            .replace("0x0000012c", "0x00000000");
        display_never.commands.insert(
            0,
            made_up(
                "powercfg",
                &["/query", "SCHEME_CURRENT", "SUB_VIDEO", "VIDEOIDLE"],
                &stdout,
            ),
        );
    },
    secure_screen_saver_after_10_minutes_display_off = Case {
        name: "secure screen saver after 10 minutes; display off with sign-in after 5",
        machine: m(&[
            "screensaver-secure-600",
            "scrnsave-exe-set",
            "inactivity-timeout-missing",
            power[0],
            power[1],
        ]),
        status: Status::Pass,
        reason: "screen-lock.locks-when-idle",
        says: &["locks after 5 minutes"],
    },
    secure_screen_saver_after_10_minutes_power_settings = Case {
        name: "secure screen saver after 10 minutes, power settings unreadable",
        machine: m(&[
            "screensaver-secure-600",
            "scrnsave-exe-set",
            "inactivity-timeout-missing",
        ]),
        status: Status::Warn,
        reason: "screen-lock.idle-longer-than-recommended",
        says: &["could not be read"],
    },
    secure_screen_saver_and_a_15_minute_inactivity_limit = Case {
        name: "secure screen saver and a 15-minute inactivity limit",
        machine: m(&["screensaver-secure-600", "scrnsave-exe-set", "inactivity-timeout-900"]),
        status: Status::Warn,
        reason: "screen-lock.idle-longer-than-recommended",
        says: &["InactivityTimeoutSecs (machine inactivity limit) = 900 seconds"],
    },
    insecure_screen_saver = Case {
        name: "insecure screen saver",
        machine: m(&["screensaver-insecure", "scrnsave-exe-set", "inactivity-timeout-missing"]),
        status: Status::Fail,
        reason: "screen-lock.screensaver-without-password",
        says: &["ScreenSaverIsSecure = 0"],
    },
    insecure_screen_saver_but_the_display_turns_off = Case {
        name: "insecure screen saver, but the display turns off with sign-in before it starts",
        machine: m(&[
            "screensaver-insecure",
            "scrnsave-exe-set",
            "inactivity-timeout-900",
            power[0],
            power[1],
        ]),
        status: Status::Pass,
        reason: "screen-lock.locks-when-idle",
        says: &["CONSOLELOCK (require sign-in on wake): yes"],
    },
    insecure_screen_saver_before_any_lock = Case {
        name: "insecure screen saver before any lock",
        machine: m(&["screensaver-insecure", "scrnsave-exe-set", "inactivity-timeout-900"]),
        status: Status::Fail,
        reason: "screen-lock.screensaver-without-password",
        says: &["does not ask for your password"],
    },
    no_screen_saver_nothing_else_readable = Case {
        name: "no screen saver, nothing else readable",
        machine: m(&["screensaver-missing", "scrnsave-exe-missing"]),
        status: Status::Unknown,
        reason: "screen-lock.unreadable",
        says: &["SCRNSAVE.EXE is not set"],
    },
    no_screen_saver_display_off_with_sign_in_after_5 = Case {
        name: "no screen saver, display off with sign-in after 5 minutes",
        machine: m(&[
            "screensaver-missing",
            "scrnsave-exe-missing",
            "inactivity-timeout-missing",
            power[0],
            power[1],
        ]),
        status: Status::Pass,
        reason: "screen-lock.locks-when-idle",
        says: &["VIDEOIDLE (turn off display after): 300 s plugged in"],
    },
    no_screen_saver_no_limit_display_never_off = Case {
        name: "no screen saver, no limit, display never off",
        machine: display_never,
        status: Status::Fail,
        reason: "screen-lock.never-locks",
        says: &["Nothing locks your screen"],
    },
    nothing_readable_at_all = Case {
        name: "nothing readable at all",
        machine: machine(Windows),
        status: Status::Unknown,
        reason: "screen-lock.unreadable",
        says: &["could not be read"],
    },
);

#[test]
fn the_policy_copy_of_a_screen_saver_value_wins() {
    let mut m = machine_with(
        Windows,
        &[
            "windows/screen-lock/screensaver-insecure.toml",
            "windows/screen-lock/scrnsave-exe-set.toml",
            "windows/screen-lock/inactivity-timeout-missing.toml",
        ],
    );
    // Made up from the real REG_SZ layout (screensaver-secure-600.toml) under the policy key.
    let key = "HKCU\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop";
    m.commands.insert(
        0,
        made_up(
            "reg",
            &["query", key, "/v", "ScreenSaverIsSecure"],
            &format!(
                "\r\nHKEY_CURRENT_USER\\{}\r\n    ScreenSaverIsSecure    REG_SZ    1\r\n\r\n",
                &key[5..]
            ),
        ),
    );
    let out = run_check(m, "screen-lock");
    assert_eq!(out.status, Status::Warn, "{out:?}");
    assert!(
        out.evidence
            .iter()
            .any(|e| e == "ScreenSaverIsSecure = 1 (set by your organisation's policy)"),
        "{out:?}"
    );
}

// ---------------------------------------------------------------- live, on this machine

/// `confide scan --only screen-lock` as the finding's JSON, with `env` set and the desktop
/// variables of whoever runs the tests removed.
fn live_finding(config: &Path, env: &[(&str, &Path)], desktop: Option<&str>) -> Value {
    // An empty variable counts as unset for confide: the desktop is only what the test says.
    let mut vars: Vec<(&str, &std::ffi::OsStr)> = vec![
        ("XDG_CURRENT_DESKTOP", std::ffi::OsStr::new(desktop.unwrap_or(""))),
        ("DESKTOP_SESSION", std::ffi::OsStr::new("")),
    ];
    vars.extend(env.iter().map(|(k, v)| (*k, v.as_os_str())));
    common::scan_finding(config, "screen-lock", &vars)
}

/// Runs the real `gsettings` against a keyfile in `config_home`, never the user's own settings.
fn gsettings(config_home: &Path, args: &[&str]) -> Option<std::process::Output> {
    Command::new("gsettings")
        .args(args)
        .env("GSETTINGS_BACKEND", "keyfile")
        .env("XDG_CONFIG_HOME", config_home)
        .output()
        .ok()
}

#[cfg(target_os = "linux")]
#[test]
fn live_gnome_settings_decide_the_verdict() {
    let home = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let schema = gsettings(home.path(), &["list-keys", "org.gnome.desktop.session"]);
    if !live_prerequisite(
        schema.is_some_and(|o| o.status.success()),
        "`gsettings` with the org.gnome.desktop.session schema (Debian: libglib2.0-bin, gsettings-desktop-schemas)",
    ) {
        return;
    }
    let set = |schema: &str, key: &str, value: &str| {
        let out = gsettings(home.path(), &["set", schema, key, value]).unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    let env = [
        ("GSETTINGS_BACKEND", Path::new("keyfile")),
        ("XDG_CONFIG_HOME", home.path()),
    ];
    let verdict = || {
        let f = live_finding(config.path(), &env, Some("GNOME"));
        (f["status"].as_str().unwrap().to_string(), f)
    };

    let (status, f) = verdict();
    assert_eq!(status, "pass", "GNOME's defaults (300 s, lock on): {f}");

    set("org.gnome.desktop.session", "idle-delay", "600");
    let (status, f) = verdict();
    assert_eq!(status, "warn", "idle 600 s, lock on: {f}");
    assert!(f["evidence"].to_string().contains("idle-delay`: 600"), "{f}");

    set("org.gnome.desktop.session", "idle-delay", "0");
    let (status, f) = verdict();
    assert_eq!(status, "fail", "idle 0: {f}");
    assert!(f["summary"].as_str().unwrap().contains("Never"), "{f}");

    set("org.gnome.desktop.session", "idle-delay", "300");
    set("org.gnome.desktop.screensaver", "lock-enabled", "false");
    let (status, f) = verdict();
    assert_eq!(status, "fail", "lock disabled: {f}");
    assert!(f["evidence"].to_string().contains("lock-enabled`: false"), "{f}");
}

#[cfg(target_os = "linux")]
#[test]
fn live_kscreenlockerrc_decides_the_verdict() {
    let home = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let rc = home.path().join("kscreenlockerrc");
    let env = [("XDG_CONFIG_HOME", home.path())];
    let verdict = || live_finding(config.path(), &env, Some("KDE"));

    let f = verdict();
    assert_eq!(f["status"], "pass", "no kscreenlockerrc: {f}");
    assert!(f["summary"].as_str().unwrap().contains("KDE's default settings"), "{f}");

    std::fs::write(
        &rc,
        "[$Version]\nupdate_info=kscreenlocker.upd:0.1-autolock\n\n[Daemon]\nTimeout=10\n",
    )
    .unwrap();
    let f = verdict();
    assert_eq!(f["status"], "warn", "Timeout=10: {f}");

    std::fs::write(&rc, "[Daemon]\nAutolock=false\nLockGrace=10\nTimeout=10\n").unwrap();
    let f = verdict();
    assert_eq!(f["status"], "fail", "Autolock=false: {f}");
}

#[cfg(target_os = "linux")]
#[test]
fn live_without_a_desktop_session_is_unknown() {
    let config = tempfile::tempdir().unwrap();
    let f = live_finding(config.path(), &[], None);
    assert_eq!(f["status"], "unknown", "{f}");
}
