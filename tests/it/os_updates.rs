//! `os-updates` on each OS, over real recorded outputs (tests/fixtures/<os>/os-updates/), and live
//! on this Linux machine.
#![allow(clippy::disallowed_methods)] // the live test runs apt-config and confide itself

use crate::common;

use common::{Case, cases};

use common::{live_prerequisite, machine, machine_with, run_check};
use confide::status::Status;
use confide::system::OsFamily::{self, Linux, Macos, Windows};
use confide::system::snapshot::{RecordedCommand, RecordedFile, Snapshot};

const CHECK: &str = "os-updates";

fn check(case: Case) {
    common::check_case(CHECK, case);
}

/// A machine of `os` with fixtures from tests/fixtures/<os>/`dir`/, the first answer to a question
/// winning (so a later fixture fills in only what the earlier ones do not say).
fn with(os: OsFamily, dir: &str, fixtures: &[&str]) -> Snapshot {
    let paths: Vec<String> = fixtures.iter().map(|f| format!("{}/{dir}/{f}.toml", os.id())).collect();
    machine_with(os, &paths.iter().map(String::as_str).collect::<Vec<_>>())
}

fn at(mut m: Snapshot, when: &str) -> Snapshot {
    m.collected_at = when.parse().unwrap();
    m
}

/// A command answer written in a test: NOT a real output, each use says what it was made from.
/// Declared `made-up`, so no check may pass on it.
fn made_up(program: &str, args: &[&str], status: i32, stdout: &str) -> RecordedCommand {
    common::made_up(program, args, status, stdout, "")
}

// ---------------------------------------------------------------- Linux

/// A Debian machine with these fixtures; nothing waiting to be installed unless a fixture says
/// what apt lists (tests/it/os_updates_waiting.rs has those cases).
fn debian(fixtures: &[&str]) -> Snapshot {
    let mut all = fixtures.to_vec();
    if !fixtures.iter().any(|f| f.starts_with("debian12-apt-")) {
        all.push("debian12-apt-nothing-waiting");
    }
    with(Linux, "os-updates", &all)
}

cases!(
    debian_unattended_upgrades,
    enabled_package_list_stamp_from_today = Case {
        name: "enabled, package-list stamp from today",
        machine: debian(&["debian12-unattended-enabled", "debian12-periodic-stamps"]),
        status: Status::Pass,
        reason: "os-updates.automatic",
        says: &[
            "APT::Periodic::Unattended-Upgrade \"1\"",
            "50unattended-upgrades is there",
            "apt-daily-upgrade.timer`: enabled",
            "update-stamp last changed on 2026-11-2",
        ],
    },
    enabled_the_log_last_info_line_from_today = Case {
        name: "enabled, the log's last INFO line from today",
        machine: debian(&[
            "debian12-unattended-enabled",
            "debian12-periodic-stamps",
            "debian12-unattended-upgrades-log",
        ]),
        status: Status::Pass,
        reason: "os-updates.automatic",
        says: &["last entry: 2026-11-22 20:41:03,448 INFO The list of kept packages"],
    },
    enabled_last_run_28_days_before_the_clock_older_than = Case {
        name: "enabled, last run 28 days before the clock: older than 14 days",
        machine: at(
            debian(&[
                "debian12-unattended-enabled",
                "debian12-periodic-stamps",
                "debian12-unattended-upgrades-log",
            ]),
            "2026-12-20T12:00:00Z",
        ),
        status: Status::Warn,
        reason: "os-updates.last-run-old",
        says: &["on 2026-11-22, 28 days ago", "within 14 days"],
    },
    enabled_10_days_within_14 = Case {
        name: "enabled, 10 days: within 14",
        machine: at(
            debian(&["debian12-unattended-enabled", "debian12-unattended-upgrades-log"]),
            "2026-12-02T12:00:00Z",
        ),
        status: Status::Pass,
        reason: "os-updates.automatic",
        says: &["ran recently"],
    },
    enabled_no_stamp_yet_the_daily_job_never_ran = Case {
        name: "enabled, no stamp yet: the daily job never ran",
        machine: debian(&["debian12-unattended-enabled"]),
        status: Status::Warn,
        reason: "os-updates.never-ran",
        says: &["update-stamp does not exist", "ever run"],
    },
    disabled_by_dpkg_reconfigure = Case {
        // dpkg-reconfigure answered No: the package (and its 50unattended-upgrades) is
        // still there, 20auto-upgrades says 0. The disabled fixture's apt-config answer wins.
        name: "disabled by dpkg-reconfigure",
        machine: debian(&["debian12-unattended-disabled", "debian12-unattended-enabled"]),
        status: Status::Fail,
        reason: "os-updates.automatic-updates-off",
        says: &["turned off", "APT::Periodic::Unattended-Upgrade \"0\""],
    },
    not_installed_apt_config_prints_nothing = Case {
        name: "not installed: apt-config prints nothing",
        machine: debian(&["debian12-unattended-not-installed"]),
        status: Status::Fail,
        reason: "os-updates.automatic-updates-off",
        says: &["not installed", "Unattended-Upgrade is not set"],
    },
);

#[test]
fn the_unattended_upgrades_log_is_read_by_its_last_info_line() {
    let m = debian(&["debian12-unattended-upgrades-log"]);
    let log = m.files.iter().find(|f| f.path.ends_with(".log")).unwrap();
    let (date, line) = confide::checks::os_updates::last_log_info(log.contents.as_deref().unwrap()).unwrap();
    assert_eq!(date.to_string(), "2026-11-22");
    assert!(line.starts_with("2026-11-22 20:41:03,448 INFO"), "{line}");
}

fn fedora(fixtures: &[&str]) -> Snapshot {
    let mut m = with(Linux, "os-updates", fixtures);
    common::add(&mut m, "os-support/os-release-fedora41.toml");
    m
}

cases!(
    fedora_dnf_automatic,
    {
        // A real user-written /etc/dnf/automatic.conf with apply_updates = yes, read before the
        // shipped default.
        let mut apply_yes = fedora(&["fedora-dnf-automatic-conf-etc-apply-yes"]);
        common::add(
            &mut apply_yes,
            "linux/os-updates/fedora-dnf5-automatic-timer-enabled.toml",
        );
        // dnf's list of advisories with updates waiting, recent enough to warn: the settings
        // are what this case is about (an empty list is never a pass, see os_updates_fedora).
        common::add(&mut apply_yes, "linux/os-updates/fedora-dnf5-advisories-recent.toml");
    },
    dnf5_timer_enabled_shipped_default_apply_updates_no = Case {
        name: "dnf5 timer enabled, shipped default apply_updates = no: downloads only",
        machine: fedora(&["fedora-dnf5-automatic-timer-enabled"]),
        status: Status::Warn,
        reason: "os-updates.not-installed-automatically",
        says: &[
            "dnf5-automatic.timer`: enabled",
            "/usr/share/dnf5/dnf5-plugins/automatic.conf: apply_updates = no",
        ],
    },
    dnf5_timer_enabled_apply_updates_yes_in_etc = Case {
        name: "dnf5 timer enabled, apply_updates = yes in /etc",
        machine: apply_yes,
        status: Status::Warn,
        reason: "os-updates.updates-waiting",
        says: &["/etc/dnf/automatic.conf: apply_updates = yes", "4 updates are waiting"],
    },
    dnf5_timer_disabled_no_compatibility_timers = Case {
        name: "dnf5 timer disabled, no compatibility timers",
        machine: fedora(&[
            "fedora-dnf5-automatic-timer-disabled",
            "fedora-dnf-compat-timers-not-installed",
        ]),
        status: Status::Fail,
        reason: "os-updates.automatic-updates-off",
        says: &[
            "dnf5-automatic.timer`: disabled",
            "dnf-automatic-install.timer`: not installed",
        ],
    },
    dnf_automatic_not_installed = Case {
        name: "dnf-automatic not installed",
        machine: fedora(&[
            "fedora-dnf-automatic-not-installed",
            "fedora-dnf-compat-timers-not-installed",
        ]),
        status: Status::Fail,
        reason: "os-updates.automatic-updates-off",
        says: &[
            "no dnf-automatic timer is enabled",
            "dnf5-automatic.timer`: not installed",
        ],
    },
    systemctl_gives_no_answer = Case {
        name: "systemctl gives no answer",
        machine: fedora(&["fedora-dnf4-automatic-conf-default"]),
        status: Status::Unknown,
        reason: "os-updates.settings-unreadable",
        says: &["`systemctl` is not available"],
    },
);

cases!(
    other_distributions_and_missing_tools_are_unknown,
    {
        let mut arch = machine(Linux);
        arch.files.push(RecordedFile {
            path: "/etc/os-release".into(),
            // Made up: the ID line of an Arch Linux os-release.
            contents: Some("NAME=\"Arch Linux\"\nID=arch\n".into()),
            ..RecordedFile::default()
        });
    },
    arch = Case {
        name: "Arch",
        machine: arch,
        status: Status::Unknown,
        reason: "os-updates.unsupported-distribution",
        says: &["ID=arch"],
    },
    nothing_readable = Case {
        name: "nothing readable",
        machine: machine(Linux),
        status: Status::Unknown,
        reason: "os-updates.unsupported-distribution",
        says: &["/etc/os-release could not be read"],
    },
);

// ---------------------------------------------------------------- macOS

/// A Mac whose answers come from the named fixtures, key by key: `(fixture, keys)` in order, the
/// first fixture that answers a key winning.
/// Nothing waiting unless a part names a `recommended-updates-*` fixture.
fn mac(parts: &[(&str, &[&str])]) -> Snapshot {
    let mut m = machine(Macos);
    if !parts.iter().any(|(f, _)| f.starts_with("recommended-updates-")) {
        m.commands
            .extend(with(Macos, "os-updates", &["recommended-updates-empty"]).commands);
    }
    for (fixture, keys) in parts {
        let from = with(Macos, "os-updates", &[fixture]);
        m.commands.extend(
            from.commands
                .into_iter()
                .filter(|c| keys.is_empty() || keys.iter().any(|k| c.args.last().is_some_and(|a| a == k))),
        );
    }
    m
}

const ALL: &[&str] = &[];

cases!(
    macos_software_update_settings,
    catalina_security_responses_and_xprotect_data_off = Case {
        name: "Catalina: security responses and XProtect data off",
        machine: mac(&[("softwareupdate-keys-catalina", ALL)]),
        status: Status::Fail,
        reason: "os-updates.automatic-updates-off",
        says: &[
            "\"Install Security Responses and system files\" and \"Install security data files (XProtect)\" are turned off",
            "AutomaticCheckEnabled` (Check for updates): on",
            "LastSuccessfulDate`: 2021-02-23 07:52:51 +0000",
        ],
    },
    nothing_ever_written_macos_defaults_all_on = Case {
        name: "nothing ever written: macOS's defaults, all on",
        machine: mac(&[("softwareupdate-keys-unset", ALL)]),
        status: Status::Pass,
        reason: "os-updates.automatic",
        says: &[
            "not set, which macOS treats as on",
            "This relies on macOS's defaults",
            "AutomaticallyInstallMacOSUpdates",
        ],
    },
    security_settings_unset_on_install_macos_updates_off = Case {
        name: "security settings unset (on), \"Install macOS updates\" off as on the Catalina Mac",
        machine: mac(&[
            (
                "softwareupdate-keys-unset",
                &["CriticalUpdateInstall", "ConfigDataInstall"],
            ),
            ("softwareupdate-keys-catalina", ALL),
        ]),
        status: Status::Warn,
        reason: "os-updates.not-installed-automatically",
        says: &["\"Install macOS updates\" is off", "install updates yourself"],
    },
    all_on_by_default_last_check_2021_02_23_years_before = Case {
        name: "all on by default, last check 2021-02-23: years before the clock",
        machine: mac(&[
            ("softwareupdate-keys-catalina", &["LastSuccessfulDate"]),
            ("softwareupdate-keys-unset", ALL),
        ]),
        status: Status::Warn,
        reason: "os-updates.last-run-old",
        says: &["last checked for updates on 2021-02-23"],
    },
    all_on_by_default_last_check_6_days_before_the_clock = Case {
        name: "all on by default, last check 6 days before the clock",
        machine: at(
            mac(&[
                ("softwareupdate-keys-catalina", &["LastSuccessfulDate"]),
                ("softwareupdate-keys-unset", ALL),
            ]),
            "2021-03-01T12:00:00Z",
        ),
        status: Status::Pass,
        reason: "os-updates.automatic",
        says: &["ran recently", "relies on macOS's defaults"],
    },
    monterey_updates_waiting_since_the_last_check_6_days_ago_warn = Case {
        name: "Safari, macOS 12.6 and Xcode tools waiting, last check 6 days before the clock",
        machine: at(
            mac(&[
                ("recommended-updates-monterey", ALL),
                ("softwareupdate-keys-catalina", &["LastSuccessfulDate"]),
                ("softwareupdate-keys-unset", ALL),
            ]),
            "2021-03-01T12:00:00Z",
        ),
        status: Status::Warn,
        reason: "os-updates.updates-waiting",
        says: &[
            "3 updates are waiting to be installed, 2 of them security fixes (known for at least 6 days)",
            "Safari 16.0",
            "macOS Monterey 12.6",
            "counted from 2021-02-23, the last successful check",
        ],
    },
    monterey_security_updates_waiting_60_days_fail = Case {
        name: "the same updates, last check 60 days before the clock",
        machine: at(
            mac(&[
                ("recommended-updates-monterey", ALL),
                ("softwareupdate-keys-catalina", &["LastSuccessfulDate"]),
                ("softwareupdate-keys-unset", ALL),
            ]),
            "2021-04-24T12:00:00Z",
        ),
        status: Status::Fail,
        reason: "os-updates.security-updates-overdue",
        says: &["for at least 60 days", "within 14 days"],
    },
    recommended_updates_unreadable_is_unknown = Case {
        name: "settings on, the list of waiting updates not recorded",
        machine: at(
            {
                let mut m = mac(&[
                    ("softwareupdate-keys-catalina", &["LastSuccessfulDate"]),
                    ("softwareupdate-keys-unset", ALL),
                ]);
                m.commands
                    .retain(|c| c.args.last().is_none_or(|a| a != "RecommendedUpdates"));
                m
            },
            "2021-03-01T12:00:00Z",
        ),
        status: Status::Unknown,
        reason: "os-updates.waiting-unreadable",
        says: &["could not see whether updates are waiting"],
    },
    defaults_gives_no_answer = Case {
        name: "`defaults` gives no answer",
        machine: machine(Macos),
        status: Status::Unknown,
        reason: "os-updates.settings-unreadable",
        says: &["`defaults` is not available"],
    },
);

#[test]
fn a_missing_key_reads_as_not_set() {
    // The one CriticalUpdateInstall answer of the real-template fixture, alone.
    let m = with(Macos, "os-updates", &["softwareupdate-key-missing"]);
    let out = run_check(m, CHECK);
    assert!(
        out.evidence
            .iter()
            .any(|e| e.contains("CriticalUpdateInstall") && e.contains("not set, which macOS treats as on")),
        "{:?}",
        out.evidence
    );
    // The other keys were not answered: never a pass.
    assert_eq!(out.status, Status::Unknown);
}

// ---------------------------------------------------------------- Windows

fn windows(fixtures: &[&str]) -> Snapshot {
    with(Windows, "os-updates", fixtures)
}

const NO_POLICY: &[&str] = &["au-policy-key-missing", "au-policy-key-missing-auoptions"];

fn no_policy_and(more: &[&'static str]) -> Snapshot {
    let all: Vec<&str> = NO_POLICY.iter().chain(more).copied().collect();
    windows(&all)
}

cases!(
    windows_update_policy_and_last_install,
    {
        let au = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU";
        let mut no_auto_update = windows(&["au-policy-key-missing-auoptions"]);
        // Made up in the layout of au-policy-wsus-auoptions3-values.toml: the value debloat scripts set
        // with `reg add ...\AU /v NoAutoUpdate /t REG_DWORD /d 1` (no real capture exists).
        no_auto_update.commands.push(made_up(
            "reg",
            &["query", au, "/v", "NoAutoUpdate"],
            0,
            "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU\r\n    NoAutoUpdate    REG_DWORD    0x1\r\n\r\n",
        ));
        let mut english_date = windows(NO_POLICY);
        // Made up: the script's lines with the date as en-GB would print it, had the script not
        // formatted it itself.
        english_date.commands.push(made_up(
            "powershell",
            &[
                "-NoProfile",
                "-NonInteractive",
                "-Command",
                confide::checks::os_updates::WU_DATES,
            ],
            0,
            "LastSearchSuccessDate 17/08/2019\r\nLastInstallationSuccessDate 17/08/2019\r\n",
        ));
    },
    no_policy_windows_default = Case {
        name: "no policy: Windows's default",
        machine: windows(NO_POLICY),
        status: Status::Pass,
        reason: "os-updates.automatic",
        says: &[
            "NoAutoUpdate (registry",
            "is not set",
            "This relies on Windows's default",
            "so when it last looked for updates is not known",
        ],
    },
    wsus_policy_auoptions_3_downloads_asks_to_install = Case {
        name: "WSUS policy AUOptions 3: downloads, asks to install",
        machine: windows(&["au-policy-wsus-auoptions3-values"]),
        status: Status::Warn,
        reason: "os-updates.not-installed-automatically",
        says: &[
            "AUOptions = 3",
            "NoAutoUpdate (registry HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU) = 0",
        ],
    },
    noautoupdate_1 = Case {
        name: "NoAutoUpdate = 1",
        machine: no_auto_update,
        status: Status::Fail,
        reason: "os-updates.automatic-updates-off",
        says: &["turned off", "NoAutoUpdate = 1"],
    },
    no_policy_last_search_2019_08_17_years_before = Case {
        name: "no policy, last search for updates 2019-08-17: years before the clock",
        machine: no_policy_and(&["wu-dates-2019-08-17"]),
        status: Status::Warn,
        reason: "os-updates.last-run-old",
        says: &[
            "last checked for updates on 2019-08-17",
            "last successful search for updates 2019-08-17, last successful install 2019-08-17",
        ],
    },
    no_policy_last_search_3_days_before_the_clock = Case {
        name: "no policy, last search 3 days before the clock",
        machine: at(no_policy_and(&["wu-dates-2019-08-17"]), "2019-08-20T12:00:00Z"),
        status: Status::Pass,
        reason: "os-updates.automatic",
        says: &["ran recently"],
    },
    a_date_that_is_not_a_day_is_not_guessed = Case {
        name: "a date that is not yyyy-MM-dd is not guessed",
        machine: english_date,
        status: Status::Pass,
        reason: "os-updates.automatic",
        says: &["`17/08/2019` is not a day", "could not see when"],
    },
    reg_gives_no_answer = Case {
        name: "reg gives no answer",
        machine: machine(Windows),
        status: Status::Unknown,
        reason: "os-updates.settings-unreadable",
        says: &["`reg` is not available"],
    },
);

// ---------------------------------------------------------------- live

/// The real check on this machine. Whatever this machine is, the verdict must rest on evidence:
/// without unattended-upgrades configured (another session may have purged it) it must fail,
/// never pass.
#[cfg(target_os = "linux")]
#[test]
fn live_linux_updates_get_an_honest_verdict() {
    if !live_prerequisite(which::which("apt-config").is_ok(), "`apt-config` (Debian package apt)") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let finding = common::scan_finding(dir.path(), CHECK, &[]);
    println!("live os-updates: {finding:#}");
    let status = finding["check_status"].as_str().unwrap();
    let evidence: Vec<&str> = finding["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(
        evidence
            .iter()
            .any(|e| e.starts_with("`apt-config dump APT::Periodic`")),
        "{finding}"
    );

    // What this machine says, read independently of the check.
    let dump = std::process::Command::new("apt-config")
        .args(["dump", "APT::Periodic"])
        .output()
        .unwrap();
    let dump = String::from_utf8_lossy(&dump.stdout);
    let set_on = |name: &str| {
        dump.lines()
            .any(|l| l.starts_with(&format!("APT::Periodic::{name} ")) && !l.contains("\"0\"") && !l.contains("\"\""))
    };
    let installed = std::path::Path::new("/etc/apt/apt.conf.d/50unattended-upgrades").exists();
    if !installed || !set_on("Unattended-Upgrade") || !set_on("Update-Package-Lists") {
        assert_eq!(status, "fail", "automatic updates are not set up here: {finding}");
        assert_eq!(finding["reason"], "os-updates.automatic-updates-off", "{finding}");
    } else {
        assert_ne!(status, "fail", "unattended-upgrades is set up here: {finding}");
    }
}
