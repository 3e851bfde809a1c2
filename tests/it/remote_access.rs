//! `remote-access` on each OS, over real recorded outputs (tests/fixtures/<os>/remote-access/),
//! and live on Linux with a real process named like a remote-support tool.
#![allow(clippy::disallowed_methods)] // the live test starts a real process

use crate::common;

use std::path::Path;

use common::{cases, live_prerequisite, machine, machine_with, run_check};
use confide::status::Status;
use confide::system::OsFamily::{Linux, Macos, Windows};
use confide::system::ProcessInfo;
use confide::system::snapshot::Snapshot;
use serde_json::Value;

const ID: &str = "remote-access";

struct Case {
    name: &'static str,
    machine: Snapshot,
    status: Status,
    reason: &'static str,
    /// Words the summary or evidence must contain.
    says: &'static [&'static str],
    /// Words the summary must not contain (ways in that are not on).
    not: &'static [&'static str],
}

fn check(case: Case) {
    let out = run_check(case.machine, ID);
    let text = format!("{} | {}", out.summary, out.evidence.join(" | "));
    assert_eq!(
        (out.status, out.reason.as_str()),
        (case.status, case.reason),
        "{}: {text}",
        case.name
    );
    for says in case.says {
        assert!(text.contains(says), "{}: expected {says:?} in {text}", case.name);
    }
    for not in case.not {
        assert!(
            !out.summary.contains(not),
            "{}: did not expect {not:?} in {text}",
            case.name
        );
    }
    assert!(!out.evidence.is_empty(), "{}: a verdict needs evidence", case.name);
}

/// Adds a command output that is NOT a real capture, to prove the check does not guess.
fn with_made_up(mut m: Snapshot, program: &str, args: &[&str], status: i32, stdout: &str) -> Snapshot {
    m.commands.insert(0, common::made_up(program, args, status, stdout, ""));
    m
}

// ---------------------------------------------------------------- macOS

const MAC_STOCK: &str = "macos/processes/stock.toml";
const LOGIN_ON: &str = "macos/remote-access/remote-login-on.toml";
const LOGIN_OFF: &str = "macos/remote-access/remote-login-off.toml";
const LOGIN_NOT_ADMIN: &str = "macos/remote-access/remote-login-not-admin.toml";
const SHARING_ON: &str = "macos/remote-access/screen-sharing-on.toml";
const SHARING_OFF: &str = "macos/remote-access/screen-sharing-off.toml";

cases!(
    macos_sharing_services_and_programs,
    {
        let m = |f: &[&str]| machine_with(Macos, f);
    },
    remote_login_on = Case {
        name: "Remote Login on",
        machine: m(&[LOGIN_ON, SHARING_OFF, MAC_STOCK]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &["Remote Login (SSH) is on", "`system/com.openssh.sshd = {`"],
        not: &["Screen Sharing"],
    },
    remote_login_and_screen_sharing_off = Case {
        name: "Remote Login and Screen Sharing off",
        machine: m(&[LOGIN_OFF, SHARING_OFF, MAC_STOCK]),
        status: Status::Pass,
        reason: "remote-access.off",
        says: &["Could not find service", "Remote Login: Off` (not relied on alone)"],
        not: &[],
    },
    systemsetup_refuses_without_admin_launchctl_decides = Case {
        name: "systemsetup refuses without admin: launchctl decides",
        machine: m(&[LOGIN_NOT_ADMIN, LOGIN_OFF, SHARING_OFF, MAC_STOCK]),
        status: Status::Pass,
        reason: "remote-access.off",
        says: &["needs administrator rights"],
        not: &[],
    },
    systemsetup_refuses_without_admin_launchctl_says_on = Case {
        name: "systemsetup refuses without admin, launchctl says on",
        machine: m(&[LOGIN_NOT_ADMIN, LOGIN_ON, SHARING_OFF, MAC_STOCK]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &["Remote Login (SSH) is on"],
        not: &[],
    },
    screen_sharing_on = Case {
        name: "Screen Sharing on",
        machine: m(&[LOGIN_OFF, SHARING_ON, MAC_STOCK]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &[
            "Screen Sharing is on",
            "Screen Sharing or Remote Management is turned on",
        ],
        not: &["Remote Login (SSH)"],
    },
    screensharingd_ardagent_and_sshd_running = Case {
        name: "screensharingd, ARDAgent and sshd running",
        machine: m(&[LOGIN_OFF, SHARING_OFF, "macos/remote-access/remote-processes.toml"]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &[
            "Remote Login (SSH), Screen Sharing and Remote Management are on",
            "process `ARDAgent` is running (pid 741",
        ],
        not: &[],
    },
    teamviewer_and_anydesk_running = Case {
        name: "TeamViewer and AnyDesk running",
        machine: m(&[
            LOGIN_OFF,
            SHARING_OFF,
            "macos/remote-access/remote-support-processes.toml",
        ]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &["TeamViewer and AnyDesk are on", "process `AnyDesk` is running"],
        not: &["Remote Login"],
    },
    several_at_once_each_is_named = Case {
        name: "several at once: each is named",
        machine: m(&[
            LOGIN_ON,
            SHARING_ON,
            "macos/remote-access/remote-support-processes.toml",
        ]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &["Remote Login (SSH), Screen Sharing, TeamViewer and AnyDesk are on"],
        not: &[],
    },
    launchctl_cannot_be_run_the_process_list_alone = Case {
        name: "launchctl cannot be run: the process list alone is not enough",
        machine: m(&[MAC_STOCK]),
        status: Status::Unknown,
        reason: "remote-access.unreadable",
        says: &[
            "Remote Login (SSH) and Screen Sharing could not be read",
            "`launchctl` is not available",
        ],
        not: &[],
    },
    nothing_readable = Case {
        name: "nothing readable",
        machine: machine(Macos),
        status: Status::Unknown,
        reason: "remote-access.unreadable",
        says: &["could not be read"],
        not: &[],
    },
);

#[test]
fn macos_unexpected_launchctl_output_is_unknown_not_a_pass() {
    // Not a real output: exit 0 with something that is not the service's block.
    let m = with_made_up(
        machine_with(Macos, &[LOGIN_OFF, SHARING_OFF, MAC_STOCK]),
        "launchctl",
        &["print", "system/com.openssh.sshd"],
        0,
        "Usage: launchctl print <service-target>\n",
    );
    check(Case {
        name: "unexpected launchctl",
        machine: m,
        status: Status::Unknown,
        reason: "remote-access.unreadable",
        says: &["Remote Login (SSH) could not be read", "unexpected output `Usage:"],
        not: &[],
    });
    // Not a real output either: exit 113 without launchd's sentence.
    let m = with_made_up(
        machine_with(Macos, &[LOGIN_OFF, SHARING_OFF, MAC_STOCK]),
        "launchctl",
        &["print", "system/com.apple.screensharing"],
        113,
        "",
    );
    assert_eq!(run_check(m, ID).status, Status::Unknown);
}

// ---------------------------------------------------------------- Windows

const WIN_STOCK: &str = "windows/processes/stock.toml";
const RDP_ON: &str = "windows/remote-access/rdp-on.toml";
const RDP_OFF: &str = "windows/remote-access/rdp-off.toml";
const NO_POLICY: &str = "windows/remote-access/rdp-policy-not-set.toml";
const SSHD_RUNNING: &str = "windows/remote-access/sshd-running.toml";
const SSHD_ABSENT: &str = "windows/remote-access/sshd-not-installed.toml";
const WIN_SUPPORT: &str = "windows/remote-access/remote-support-processes.toml";

cases!(
    windows_remote_desktop_openssh_and_support_programs,
    {
        let m = |f: &[&str]| machine_with(Windows, f);
    },
    remote_desktop_on = Case {
        name: "Remote Desktop on",
        machine: m(&[NO_POLICY, RDP_ON, SSHD_ABSENT, WIN_STOCK]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &["Remote Desktop is on", "= 0x0: Remote Desktop connections are allowed"],
        not: &["OpenSSH server"],
    },
    everything_off = Case {
        name: "everything off",
        machine: m(&[NO_POLICY, RDP_OFF, SSHD_ABSENT, WIN_STOCK]),
        status: Status::Pass,
        reason: "remote-access.off",
        says: &["= 0x1", "exit 1060", "no remote-support program"],
        not: &[],
    },
    openssh_server_running = Case {
        name: "OpenSSH server running",
        machine: m(&[NO_POLICY, RDP_OFF, SSHD_RUNNING, WIN_STOCK]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &["OpenSSH server is on", "`STATE : 4 RUNNING`"],
        not: &["Remote Desktop"],
    },
    teamviewer_and_anydesk_running = Case {
        name: "TeamViewer and AnyDesk running",
        machine: m(&[NO_POLICY, RDP_OFF, SSHD_ABSENT, WIN_SUPPORT]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &[
            "TeamViewer and AnyDesk are on",
            "process `TeamViewer_Service.exe` is running",
            "process `AnyDesk.exe` is running",
        ],
        not: &[],
    },
    several_at_once_each_is_named = Case {
        name: "several at once: each is named",
        machine: m(&[NO_POLICY, RDP_ON, SSHD_RUNNING, WIN_SUPPORT]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &["Remote Desktop, OpenSSH server, TeamViewer and AnyDesk are on"],
        not: &[],
    },
    the_organisation_policy_turns_remote_desktop_on = Case {
        name: "the organisation's policy turns Remote Desktop on over the setting",
        machine: m(&[
            "windows/remote-access/rdp-policy-allow.toml",
            RDP_OFF,
            SSHD_ABSENT,
            WIN_STOCK,
        ]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &["your organisation turns Remote Desktop on"],
        not: &[],
    },
    the_organisation_policy_turns_remote_desktop_off = Case {
        name: "the organisation's policy turns Remote Desktop off over the setting",
        machine: m(&[
            "windows/remote-access/rdp-policy-deny.toml",
            RDP_ON,
            SSHD_ABSENT,
            WIN_STOCK,
        ]),
        status: Status::Pass,
        reason: "remote-access.off",
        says: &["your organisation turns Remote Desktop off"],
        not: &["Remote Desktop"],
    },
    reg_and_sc_cannot_be_run_the_process_list_alone = Case {
        name: "reg and sc cannot be run: the process list alone is not enough",
        machine: m(&[WIN_STOCK]),
        status: Status::Unknown,
        reason: "remote-access.unreadable",
        says: &["Remote Desktop and OpenSSH server could not be read"],
        not: &[],
    },
    reg_and_sc_cannot_be_run_but_teamviewer_is_seen = Case {
        name: "reg and sc cannot be run, but TeamViewer is seen running",
        machine: m(&[WIN_SUPPORT]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &["TeamViewer and AnyDesk are on"],
        not: &[],
    },
    nothing_readable = Case {
        name: "nothing readable",
        machine: machine(Windows),
        status: Status::Unknown,
        reason: "remote-access.unreadable",
        says: &["could not be read"],
        not: &[],
    },
);

#[test]
fn windows_unexpected_sc_output_is_unknown_not_a_pass() {
    // Not a real output: exit 0 without a STATE line.
    let m = with_made_up(
        machine_with(Windows, &[NO_POLICY, RDP_OFF, SSHD_ABSENT, WIN_STOCK]),
        "sc",
        &["query", "sshd"],
        0,
        "\r\nSERVICE_NAME: sshd\r\n",
    );
    check(Case {
        name: "unexpected sc",
        machine: m,
        status: Status::Unknown,
        reason: "remote-access.unreadable",
        says: &["OpenSSH server could not be read", "no STATE line"],
        not: &[],
    });
}

// ---------------------------------------------------------------- Linux

const SS_SSHD: &str = "linux/remote-access/ss-sshd-listening.toml";
const SS_NO_SSHD: &str = "linux/remote-access/ss-no-sshd.toml";

/// The real process list of the Debian 12 dev machine (no remote-access program in it).
fn debian_processes() -> Vec<ProcessInfo> {
    let path = common::fixtures().join("linux/machine-debian12.json");
    let text = std::fs::read_to_string(&path).unwrap();
    Snapshot::parse(&text, &path).unwrap().processes
}

fn linux_with(fixtures: &[&str]) -> Snapshot {
    let mut m = machine_with(Linux, fixtures);
    m.processes.extend(debian_processes());
    m
}

cases!(
    linux_listening_ports_and_programs,
    {
        let mut no_processes = machine_with(Linux, &[SS_NO_SSHD]);
        no_processes.processes.clear();
    },
    sshd_listening_on_every_address = Case {
        name: "sshd listening on every address",
        machine: linux_with(&[SS_SSHD]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &[
            "SSH server is on",
            "SSH server accepts connections from other computers on 0.0.0.0:22",
            "on [::]:22",
        ],
        not: &[],
    },
    an_unrelated_listener_on_port_2024_is_not_remote = Case {
        name: "an unrelated listener on port 2024 is not remote access",
        machine: linux_with(&[SS_NO_SSHD]),
        status: Status::Pass,
        reason: "remote-access.off",
        says: &[
            "none of the 1 listening ports",
            "no remote-access or remote-support program",
        ],
        not: &[],
    },
    sshd_running_seen_in_the_process_list = Case {
        name: "sshd running (seen in the process list)",
        machine: linux_with(&[SS_NO_SSHD, "linux/remote-access/sshd-process-debian12.toml"]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &[
            "SSH server is on",
            "process `sshd` is running (pid 32355, /usr/sbin/sshd)",
        ],
        not: &[],
    },
    remote_desktop_and_remote_support_programs_each = Case {
        name: "remote desktop and remote-support programs: each is named",
        machine: linux_with(&[SS_NO_SSHD, "linux/remote-access/remote-support-processes.toml"]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &[
            "xrdp (Remote Desktop), x11vnc (VNC), Vino (screen sharing), GNOME Remote Desktop, KDE Desktop Sharing (krfb), TeamViewer and AnyDesk are on",
            "process `gnome-remote-de` is running",
        ],
        not: &[],
    },
    sshd_listening_and_anydesk_running = Case {
        name: "sshd listening and AnyDesk running",
        machine: linux_with(&[SS_SSHD, "linux/remote-access/remote-support-processes.toml"]),
        status: Status::Warn,
        reason: "remote-access.enabled",
        says: &["SSH server, xrdp (Remote Desktop)", "TeamViewer and AnyDesk are on"],
        not: &[],
    },
    ss_cannot_be_run_the_process_list_alone_is_not = Case {
        name: "ss cannot be run: the process list alone is not enough",
        machine: linux_with(&[]),
        status: Status::Unknown,
        reason: "remote-access.unreadable",
        says: &["the listening network ports could not be read", "`ss` is not available"],
        not: &[],
    },
    no_process_list = Case {
        name: "no process list",
        machine: no_processes,
        status: Status::Unknown,
        reason: "remote-access.unreadable",
        says: &["the list of running programs could not be read"],
        not: &[],
    },
    nothing_readable = Case {
        name: "nothing readable",
        machine: {
            let mut m = machine(Linux);
            m.processes.clear();
            m
        },
        status: Status::Unknown,
        reason: "remote-access.unreadable",
        says: &["could not be read"],
        not: &[],
    },
);

#[test]
fn linux_listeners_on_other_ports_are_not_shown() {
    // The dev machine's own 0.0.0.0:2024 listener is not remote access.
    let out = run_check(linux_with(&[SS_SSHD]), ID);
    assert!(!out.evidence.iter().any(|e| e.contains("2024")), "{out:?}");
}

#[test]
fn linux_gnome_remote_desktop_is_known_by_its_cut_name_alone() {
    // The executable path of another user's process can be unreadable: only the kernel's
    // 15-character name is left.
    let mut m = linux_with(&[SS_NO_SSHD]);
    m.processes.push(ProcessInfo {
        pid: 1804,
        name: "gnome-remote-de".into(),
        exe: None,
        user: None,
    });
    let out = run_check(m, ID);
    assert_eq!(out.status, Status::Warn, "{out:?}");
    assert!(out.summary.contains("GNOME Remote Desktop"), "{out:?}");
}

cases!(
    linux_listeners_on_this_computer_only_and_odd_ss_output,
    // Captured: listeners on the SSH and VNC ports bound to loopback only.
    listeners_on_loopback_only = Case {
        name: "listeners on loopback only",
        machine: linux_with(&["linux/remote-access/ss-loopback-only.toml"]),
        status: Status::Pass,
        reason: "remote-access.off",
        says: &[
            "listens on 127.0.0.1:22 (this computer only)",
            "[::1]:5900 (this computer only)",
        ],
        not: &[],
    },
    // Not a real output: the header line `ss` prints without -H.
    unexpected_ss_output = Case {
        name: "unexpected ss output",
        machine: with_made_up(
            linux_with(&[]),
            "ss",
            &["-ltnH"],
            0,
            "State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n",
        ),
        status: Status::Unknown,
        reason: "remote-access.unreadable",
        says: &["unexpected line `State"],
        not: &[],
    },
);

// ---------------------------------------------------------------- live

fn scan_remote_access(config: &Path) -> Value {
    common::scan_finding(config, ID, &[])
}

fn mentions(finding: &Value, word: &str) -> bool {
    finding["summary"].as_str().unwrap().contains(word)
        || finding["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.as_str().unwrap().contains(word))
}

#[cfg(target_os = "linux")]
#[test]
fn a_running_anydesk_warns_and_is_no_longer_named_once_stopped() {
    let _turn = common::machine_to_myself();
    let dir = tempfile::tempdir().unwrap();
    let Some(anydesk) = common::NamedProcess::start(dir.path(), "anydesk") else {
        live_prerequisite(false, "`sleep` (to start a process named anydesk)");
        return;
    };
    let f = scan_remote_access(dir.path());
    assert_eq!(f["status"], "warn", "{f}");
    assert_eq!(f["reason"], "remote-access.enabled", "{f}");
    assert!(f["summary"].as_str().unwrap().contains("AnyDesk"), "{f}");
    let pid = anydesk.pid().to_string();
    assert!(mentions(&f, &format!("process `anydesk` is running (pid {pid}")), "{f}");

    drop(anydesk);
    let f = scan_remote_access(dir.path());
    assert!(!mentions(&f, "AnyDesk") && !mentions(&f, "`anydesk`"), "{f}");
    if live_prerequisite(which::which("ss").is_ok(), "`ss` (Debian package iproute2)") {
        // The listening ports were read live: the check can pass (or warn for another reason).
        assert!(mentions(&f, "`ss -ltnH`: "), "{f}");
        assert_ne!(f["status"], "unknown", "{f}");
    }
}
