//! ## What it checks
//! Ways for someone else to reach this computer over the network: remote login and remote
//! desktop services that are turned on or listening (SSH, Remote Desktop, macOS Remote Login,
//! Screen Sharing and Remote Management, VNC), and remote-support programs that are running
//! (TeamViewer, AnyDesk and the like).
//!
//! ## Why it matters
//! The guidance says nobody else should be able to access the computer you keep client notes
//! on. Each of these is a door into it: a weak password, a stolen support code or an
//! unpatched service lets a stranger read your clients' records.
//!
//! ## What it cannot see
//! Remote-support programs it does not know by name, services on ports other than the usual
//! ones (Linux), and a router that forwards connections to this computer.
//!
//! Every source must be read for a pass: a service whose state could not be read makes the
//! finding unknown, because a process list alone cannot prove a service is off (launchd and
//! systemd start sshd only when someone connects).

use std::net::IpAddr;

use super::{Check, CheckContext, Outcome};
use crate::probe::process_match;
use crate::probe::windows_reg::{self, RegValue};
use crate::status::Status;
use crate::system::{CommandOutput, OsFamily, ProcessInfo, RunOutcome, System};
use crate::words::join_names;

pub struct RemoteAccess;

impl Check for RemoteAccess {
    fn id(&self) -> &str {
        "remote-access"
    }

    fn supported_os(&self) -> &[OsFamily] {
        &OsFamily::ALL
    }

    fn run(&self, ctx: &CheckContext<'_>) -> Outcome {
        let readings = match ctx.system.os().family {
            OsFamily::Macos => macos(ctx.system),
            OsFamily::Windows => windows(ctx.system),
            OsFamily::Linux => linux(ctx.system),
        };
        judge(&readings)
    }
}

/// What one source said about one way in.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The way in, as people know it: `Remote Login (SSH)`, `Remote Desktop`, `TeamViewer`.
    pub access: String,
    pub state: State,
    /// What was seen, for the report.
    pub evidence: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum State {
    /// Turned on, listening for other computers, or running.
    On,
    /// Positively read as off (or, for a process list, read and without any such program).
    Off,
    /// This source could not be read; the reason is in the evidence. Blocks a pass.
    Unreadable,
    /// Shown for the record but neither on nor off (a setting never written, a reading that
    /// needs administrator rights, a listener reachable from this computer only).
    NotSet,
}

impl Reading {
    fn new(access: &str, state: State, evidence: impl Into<String>) -> Self {
        Reading {
            access: access.to_string(),
            state,
            evidence: evidence.into(),
        }
    }
}

/// The verdict: anything on warns, naming each; a pass needs at least one source positively
/// read as off and no source left unread; otherwise unknown.
pub fn judge(readings: &[Reading]) -> Outcome {
    let evidence: Vec<String> = readings.iter().map(|r| r.evidence.clone()).collect();
    let names = |state: State| -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for r in readings.iter().filter(|r| r.state == state) {
            if !v.contains(&r.access) {
                v.push(r.access.clone());
            }
        }
        v
    };
    let on = names(State::On);
    let unreadable = names(State::Unreadable);
    let outcome = if !on.is_empty() {
        Outcome::new(
            Status::Warn,
            "remote-access.enabled",
            format!(
                "Someone else could reach this computer: {} {} on. Turn off what you do not need.",
                join_names(&on),
                if on.len() == 1 { "is" } else { "are" }
            ),
        )
    } else if !unreadable.is_empty() {
        Outcome::new(
            Status::Unknown,
            "remote-access.unreadable",
            format!(
                "Could not tell whether remote access is turned on: {} could not be read.",
                join_names(&unreadable)
            ),
        )
    } else if readings.iter().any(|r| r.state == State::Off) {
        Outcome::new(
            Status::Pass,
            "remote-access.off",
            "No remote login, remote desktop or remote-support program is turned on or running.",
        )
    } else {
        Outcome::new(
            Status::Unknown,
            "remote-access.unreadable",
            "Could not tell whether remote access is turned on: nothing about it could be read.",
        )
    };
    outcome.with_evidence(evidence)
}

/// Readings from the process list: one `On` per recognised program, or one `Off` when the list
/// was read and none of `programs` is in it. `programs` pairs a name people know with the
/// process names it runs as (see [`process_match::matches`]).
fn running_programs(processes: &[ProcessInfo], programs: &[(&str, &[&str])], kinds: &str) -> Vec<Reading> {
    if processes.is_empty() {
        return vec![Reading::new(
            "the list of running programs",
            State::Unreadable,
            "the list of running programs could not be read",
        )];
    }
    let mut readings = Vec::new();
    for (access, patterns) in programs {
        for p in process_match::find(processes, patterns) {
            readings.push(Reading::new(access, State::On, process_match::describe(p)));
        }
    }
    if readings.is_empty() {
        readings.push(Reading::new(
            "remote-support programs",
            State::Off,
            format!("no {kinds} among the {} running programs", processes.len()),
        ));
    }
    readings
}

/// How a program's run ended, for evidence when its output is not what was expected.
fn run_failure(program: &str, out: &CommandOutput) -> String {
    match out.outcome() {
        RunOutcome::Missing => format!("`{program}` is not available"),
        RunOutcome::TimedOut => format!("`{program}` timed out"),
        RunOutcome::Failed(e) => format!("`{program}` could not be run: {e}"),
        RunOutcome::Exited { status: Some(s) } => format!("`{program}` exited with {s}"),
        RunOutcome::Exited { status: None } => format!("`{program}` was stopped by a signal"),
    }
}

/// The first line of a text that is not blank, trimmed, for evidence.
fn first_line(text: &str) -> &str {
    text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("")
}

// ---------------------------------------------------------------- macOS

/// What `launchctl print system/<label>` said about a sharing service.
#[derive(Debug, Clone, PartialEq)]
pub enum LaunchdService {
    /// The service is loaded: its sharing switch is on (it may be idle until someone connects).
    Loaded,
    /// launchd has no such service: the sharing switch is off.
    NotLoaded,
    /// Anything else; the text says what.
    Unexpected(String),
}

/// Parses `launchctl print system/<label>`. A loaded service exits 0 and prints a block that
/// starts with its own name (macOS 26.5.1, Remote Login on; the source elided the middle):
///
/// ```text
/// system/com.openssh.sshd = {
///     active count = 0
///     path = (submitted by smd[541])
///     type = Submitted
///     state = not running
///     ...
/// }
/// ```
///
/// A service that is not loaded exits 113 (same capture; which stream holds the text is not
/// proven by a raw capture, so both are read):
///
/// ```text
/// Bad request.
/// Could not find service "com.openssh.sshd" in domain for system
/// ```
pub fn parse_launchctl_print(out: &CommandOutput, label: &str) -> LaunchdService {
    let header = format!("system/{label} = {{");
    match out.outcome() {
        RunOutcome::Exited { status: Some(0) } if first_line(&out.stdout) == header => LaunchdService::Loaded,
        RunOutcome::Exited { status: Some(0) } => {
            LaunchdService::Unexpected(format!("unexpected output `{}`", first_line(&out.stdout)))
        }
        RunOutcome::Exited { status: Some(113) }
            if out.stderr.contains("Could not find service") || out.stdout.contains("Could not find service") =>
        {
            LaunchdService::NotLoaded
        }
        _ => LaunchdService::Unexpected(run_failure("launchctl", out)),
    }
}

/// What `systemsetup -getremotelogin` said.
#[derive(Debug, Clone, PartialEq)]
pub enum RemoteLoginSetting {
    On,
    /// Not trusted alone: without Full Disk Access it is reported to say Off while sshd runs.
    Off,
    /// It refused to answer without administrator rights.
    NeedsAdmin,
    Unexpected(String),
}

/// Parses `systemsetup -getremotelogin`. As root it prints `Remote Login: On` or
/// `Remote Login: Off`. Without administrator rights it prints, on stdout and with exit 0
/// (macOS 15.7.4 and 26.5.1):
///
/// ```text
/// You need administrator access to run this tool... exiting!
/// ```
pub fn parse_systemsetup_remote_login(out: &CommandOutput) -> RemoteLoginSetting {
    if !out.succeeded() {
        return RemoteLoginSetting::Unexpected(run_failure("systemsetup", out));
    }
    match first_line(&out.stdout) {
        "Remote Login: On" => RemoteLoginSetting::On,
        "Remote Login: Off" => RemoteLoginSetting::Off,
        line if line.starts_with("You need administrator access") => RemoteLoginSetting::NeedsAdmin,
        line => RemoteLoginSetting::Unexpected(format!("unexpected output `{line}`")),
    }
}

const REMOTE_LOGIN: &str = "Remote Login (SSH)";
const SCREEN_SHARING: &str = "Screen Sharing";

/// Process names on macOS. `screensharingd` and `sshd` start only while someone is connected,
/// so their absence proves nothing; `ARDAgent` is Remote Management's agent (its executable
/// path is inferred from the bundle layout). TeamViewer and AnyDesk are matched by prefix on
/// their app names; no macOS process listing of them was captured.
const MAC_PROGRAMS: [(&str, &[&str]); 5] = [
    (REMOTE_LOGIN, &["sshd"]),
    (SCREEN_SHARING, &["screensharingd"]),
    ("Remote Management", &["ARDAgent"]),
    ("TeamViewer", &["TeamViewer*"]),
    ("AnyDesk", &["AnyDesk*"]),
];

fn macos(system: &dyn System) -> Vec<Reading> {
    let mut readings = Vec::new();
    for (access, label, switch) in [
        (REMOTE_LOGIN, "com.openssh.sshd", "Remote Login"),
        (
            SCREEN_SHARING,
            "com.apple.screensharing",
            "Screen Sharing or Remote Management",
        ),
    ] {
        let target = format!("system/{label}");
        let shown = format!("`launchctl print {target}`");
        readings.push(
            match parse_launchctl_print(&system.run("launchctl", &["print", &target]), label) {
                LaunchdService::Loaded => Reading::new(
                    access,
                    State::On,
                    format!("{shown} exit 0, `{target} = {{`: {switch} is turned on"),
                ),
                LaunchdService::NotLoaded => Reading::new(
                    access,
                    State::Off,
                    format!("{shown} exit 113, `Could not find service`: {switch} is off"),
                ),
                LaunchdService::Unexpected(why) => {
                    Reading::new(access, State::Unreadable, format!("{shown} could not be read: {why}"))
                }
            },
        );
    }
    let shown = "`systemsetup -getremotelogin`";
    readings.push(
        match parse_systemsetup_remote_login(&system.run("systemsetup", &["-getremotelogin"])) {
            RemoteLoginSetting::On => Reading::new(REMOTE_LOGIN, State::On, format!("{shown}: `Remote Login: On`")),
            RemoteLoginSetting::Off => Reading::new(
                REMOTE_LOGIN,
                State::NotSet,
                format!("{shown}: `Remote Login: Off` (not relied on alone)"),
            ),
            RemoteLoginSetting::NeedsAdmin => Reading::new(
                REMOTE_LOGIN,
                State::NotSet,
                format!("{shown} needs administrator rights; launchctl was used instead"),
            ),
            RemoteLoginSetting::Unexpected(why) => {
                Reading::new(REMOTE_LOGIN, State::NotSet, format!("{shown} gave no answer: {why}"))
            }
        },
    );
    readings.extend(running_programs(
        &system.processes(),
        &MAC_PROGRAMS,
        "remote-support or screen-sharing program",
    ));
    readings
}

// ---------------------------------------------------------------- Windows

const TERMINAL_SERVER_KEY: &str = "HKLM\\System\\CurrentControlSet\\Control\\Terminal Server";
/// The Group Policy "Allow users to connect remotely by using Remote Desktop Services" writes
/// `fDenyTSConnections` here, and it wins over the setting above (Microsoft's
/// TerminalServer.admx). The layout of `reg query` is the same for every key; no output of this
/// policy value was captured.
const TERMINAL_SERVICES_POLICY_KEY: &str = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";
const REMOTE_DESKTOP: &str = "Remote Desktop";
const OPENSSH_SERVER: &str = "OpenSSH server";

/// Image names on Windows, as seen in a real tasklist dump (TeamViewer_Service.exe) and in
/// public detection lists (the others).
const WINDOWS_PROGRAMS: [(&str, &[&str]); 6] = [
    ("TeamViewer", &["TeamViewer.exe", "TeamViewer_Service.exe"]),
    ("AnyDesk", &["AnyDesk.exe"]),
    ("ScreenConnect", &["ScreenConnect.ClientService.exe"]),
    ("Splashtop", &["SplashtopStreamer.exe"]),
    ("RustDesk", &["rustdesk.exe"]),
    (OPENSSH_SERVER, &["sshd.exe"]),
];

/// What `sc query NAME` said about a service.
#[derive(Debug, Clone, PartialEq)]
pub enum ServiceState {
    Running,
    Stopped,
    /// Exit status 1060: no such service is installed.
    NotInstalled,
    /// A state other than running or stopped (starting, stopping, paused), as printed.
    Other(String),
    Unexpected(String),
}

/// Parses `sc query NAME`. The field names are not translated; the state is a number followed
/// by its name (Windows 10 lab report):
///
/// ```text
/// SERVICE_NAME: sshd
///         TYPE               : 10  WIN32_OWN_PROCESS
///         STATE              : 4  RUNNING
///                                 (STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)
///         WIN32_EXIT_CODE    : 0  (0x0)
/// ```
///
/// A service that is not installed exits 1060, printing (translated on other languages):
///
/// ```text
/// [SC] EnumQueryServicesStatus:OpenService FAILED 1060:
///
/// The specified service does not exist as an installed service.
/// ```
pub fn parse_sc_query(out: &CommandOutput) -> ServiceState {
    match out.outcome() {
        RunOutcome::Exited { status: Some(1060) } => ServiceState::NotInstalled,
        RunOutcome::Exited { status: Some(0) } => {
            let state = out.stdout.lines().find_map(|line| {
                let (field, value) = line.split_once(':')?;
                (field.trim() == "STATE").then(|| value.split_whitespace().collect::<Vec<_>>())
            });
            match state.as_deref() {
                Some(["4", "RUNNING", ..]) => ServiceState::Running,
                Some(["1", "STOPPED", ..]) => ServiceState::Stopped,
                Some([code, name, ..]) if code.parse::<u32>().is_ok() => ServiceState::Other(format!("{code} {name}")),
                _ => ServiceState::Unexpected("no STATE line in the output".into()),
            }
        }
        _ => ServiceState::Unexpected(run_failure("sc", out)),
    }
}

/// The Remote Desktop readings: the policy when it is set (it wins), else the setting.
fn remote_desktop(system: &dyn System) -> Reading {
    let policy = windows_reg::query(system, TERMINAL_SERVICES_POLICY_KEY, "fDenyTSConnections");
    match policy {
        RegValue::Dword(0) => {
            return Reading::new(
                REMOTE_DESKTOP,
                State::On,
                "policy fDenyTSConnections = 0: your organisation turns Remote Desktop on",
            );
        }
        RegValue::Dword(1) => {
            return Reading::new(
                REMOTE_DESKTOP,
                State::Off,
                "policy fDenyTSConnections = 1: your organisation turns Remote Desktop off",
            );
        }
        RegValue::NotSet => {}
        other => {
            return Reading::new(
                REMOTE_DESKTOP,
                State::Unreadable,
                format!("policy fDenyTSConnections could not be read: {}", reg_problem(&other)),
            );
        }
    }
    let shown = "fDenyTSConnections (HKLM\\System\\CurrentControlSet\\Control\\Terminal Server)";
    match windows_reg::query(system, TERMINAL_SERVER_KEY, "fDenyTSConnections") {
        RegValue::Dword(0) => Reading::new(
            REMOTE_DESKTOP,
            State::On,
            format!("{shown} = 0x0: Remote Desktop connections are allowed"),
        ),
        RegValue::Dword(1) => Reading::new(
            REMOTE_DESKTOP,
            State::Off,
            format!("{shown} = 0x1: Remote Desktop connections are refused"),
        ),
        RegValue::NotSet => Reading::new(REMOTE_DESKTOP, State::NotSet, format!("{shown} is not set")),
        other => Reading::new(
            REMOTE_DESKTOP,
            State::Unreadable,
            format!("{shown} could not be read: {}", reg_problem(&other)),
        ),
    }
}

fn reg_problem(value: &RegValue) -> String {
    match value {
        RegValue::Dword(v) => format!("unexpected value {v:#x}"),
        RegValue::Sz(text) => format!("a text value `{text}` where a number belongs"),
        RegValue::NotSet => "not set".into(),
        RegValue::Unexpected(why) => why.clone(),
    }
}

fn windows(system: &dyn System) -> Vec<Reading> {
    let mut readings = vec![remote_desktop(system)];
    let shown = "`sc query sshd`";
    readings.push(match parse_sc_query(&system.run("sc", &["query", "sshd"])) {
        ServiceState::Running => Reading::new(
            OPENSSH_SERVER,
            State::On,
            format!("{shown}: `STATE : 4 RUNNING`: the OpenSSH server is running"),
        ),
        ServiceState::Stopped => Reading::new(
            OPENSSH_SERVER,
            State::Off,
            format!("{shown}: `STATE : 1 STOPPED`: the OpenSSH server is installed but stopped"),
        ),
        ServiceState::NotInstalled => Reading::new(
            OPENSSH_SERVER,
            State::Off,
            format!("{shown} exit 1060: the OpenSSH server is not installed"),
        ),
        ServiceState::Other(state) => Reading::new(
            OPENSSH_SERVER,
            State::Unreadable,
            format!("{shown}: the OpenSSH server is in state `{state}`"),
        ),
        ServiceState::Unexpected(why) => Reading::new(
            OPENSSH_SERVER,
            State::Unreadable,
            format!("{shown} could not be read: {why}"),
        ),
    });
    readings.extend(running_programs(
        &system.processes(),
        &WINDOWS_PROGRAMS,
        "remote-support program or OpenSSH server",
    ));
    readings
}

// ---------------------------------------------------------------- Linux

/// The ports of remote-access services, with the name people know each by.
fn remote_port_service(port: u16) -> Option<&'static str> {
    match port {
        22 => Some(SSH_SERVER),
        3389 => Some("Remote Desktop (RDP)"),
        5900..=5909 => Some("VNC screen sharing"),
        _ => None,
    }
}

const SSH_SERVER: &str = "SSH server";

/// Process names on Linux: executable file names from Debian 12 packages (xrdp, x11vnc, vino,
/// gnome-remote-desktop, krfb) and public process listings (TeamViewer, AnyDesk). The kernel cuts
/// a process name to 15 characters (`gnome-remote-de`), and the executable path of another
/// user's process may be unreadable, so the cut name is listed too.
const LINUX_PROGRAMS: [(&str, &[&str]); 8] = [
    (SSH_SERVER, &["sshd"]),
    ("xrdp (Remote Desktop)", &["xrdp", "xrdp-sesman"]),
    ("x11vnc (VNC)", &["x11vnc"]),
    ("Vino (screen sharing)", &["vino-server"]),
    (
        "GNOME Remote Desktop",
        &["gnome-remote-desktop-daemon", "gnome-remote-de"],
    ),
    ("KDE Desktop Sharing (krfb)", &["krfb"]),
    ("TeamViewer", &["teamviewerd"]),
    ("AnyDesk", &["anydesk"]),
];

/// One listening TCP socket.
#[derive(Debug, Clone, PartialEq)]
pub struct Listener {
    /// The local address as printed, e.g. `0.0.0.0:22` or `[::]:22`.
    pub local: String,
    pub port: u16,
    /// Only this computer can connect (127.0.0.0/8 or ::1).
    pub loopback: bool,
}

/// Parses `ss -ltnH` (iproute2 6.1.0, Debian 12, sshd running): one line per listening socket,
/// space-aligned, the local address in the 4th field, IPv6 addresses in brackets:
///
/// ```text
/// LISTEN 0      128    0.0.0.0:2024 0.0.0.0:*
/// LISTEN 0      128    0.0.0.0:22   0.0.0.0:*
/// LISTEN 0      128       [::]:22      [::]:*
/// ```
///
/// `*` as the address means every address; `%iface` after an address binds it to one interface.
/// A line of any other shape makes the whole output unexpected.
pub fn parse_ss_listeners(stdout: &str) -> Result<Vec<Listener>, String> {
    stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| parse_ss_line(line).ok_or_else(|| format!("unexpected line `{}`", line.trim())))
        .collect()
}

fn parse_ss_line(line: &str) -> Option<Listener> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    if fields.len() < 5 || fields[0] != "LISTEN" {
        return None;
    }
    let local = fields[3];
    let (host, port) = local.rsplit_once(':')?;
    let port = port.parse().ok()?;
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    let host = host.split_once('%').map_or(host, |(address, _interface)| address);
    let loopback = match host {
        "*" => false,
        _ => match host.parse::<IpAddr>().ok()? {
            IpAddr::V4(v4) => v4.is_loopback(),
            IpAddr::V6(v6) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        },
    };
    Some(Listener {
        local: local.to_string(),
        port,
        loopback,
    })
}

fn listening_sockets(system: &dyn System) -> Vec<Reading> {
    let shown = "`ss -ltnH`";
    let out = system.run("ss", &["-ltnH"]);
    if !out.succeeded() {
        return vec![Reading::new(
            "the listening network ports",
            State::Unreadable,
            format!("{shown} could not be read: {}", run_failure("ss", &out)),
        )];
    }
    let listeners = match parse_ss_listeners(&out.stdout) {
        Ok(listeners) => listeners,
        Err(why) => {
            return vec![Reading::new(
                "the listening network ports",
                State::Unreadable,
                format!("{shown} could not be read: {why}"),
            )];
        }
    };
    let mut readings = Vec::new();
    for l in &listeners {
        let Some(service) = remote_port_service(l.port) else {
            continue;
        };
        readings.push(if l.loopback {
            Reading::new(
                service,
                State::NotSet,
                format!("{shown}: {service} listens on {} (this computer only)", l.local),
            )
        } else {
            Reading::new(
                service,
                State::On,
                format!(
                    "{shown}: {service} accepts connections from other computers on {}",
                    l.local
                ),
            )
        });
    }
    if !readings.iter().any(|r| r.state == State::On) {
        readings.push(Reading::new(
            "remote-access ports",
            State::Off,
            format!(
                "{shown}: none of the {} listening ports is open to other computers for SSH (22), RDP (3389) or VNC (5900-5909)",
                listeners.len()
            ),
        ));
    }
    readings
}

fn linux(system: &dyn System) -> Vec<Reading> {
    let mut readings = listening_sockets(system);
    readings.extend(running_programs(
        &system.processes(),
        &LINUX_PROGRAMS,
        "remote-access or remote-support program",
    ));
    readings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_needs_every_source_read_to_pass() {
        let r = |state| Reading::new("SSH server", state, "seen");
        assert_eq!(judge(&[r(State::On), r(State::Unreadable)]).status, Status::Warn);
        assert_eq!(judge(&[r(State::Off), r(State::NotSet)]).status, Status::Pass);
        assert_eq!(judge(&[r(State::Off), r(State::Unreadable)]).status, Status::Unknown);
        assert_eq!(judge(&[r(State::NotSet)]).status, Status::Unknown);
        assert_eq!(judge(&[]).status, Status::Unknown);
    }

    #[test]
    fn ss_addresses_are_classified() {
        let one = |line: &str| parse_ss_listeners(line).map(|v| (v[0].port, v[0].loopback));
        assert_eq!(one("LISTEN 0 128 0.0.0.0:22 0.0.0.0:*"), Ok((22, false)));
        assert_eq!(one("LISTEN 0 128 [::]:22 [::]:*"), Ok((22, false)));
        assert_eq!(one("LISTEN 0 128 *:3389 *:*"), Ok((3389, false)));
        assert_eq!(one("LISTEN 0 5 127.0.0.1:5900 0.0.0.0:*"), Ok((5900, true)));
        assert_eq!(one("LISTEN 0 5 [::1]:5901 [::]:*"), Ok((5901, true)));
        assert_eq!(one("LISTEN 0 4096 127.0.0.53%lo:53 0.0.0.0:*"), Ok((53, true)));
        assert_eq!(one("LISTEN 0 128 192.168.1.20:22 0.0.0.0:*"), Ok((22, false)));
        assert!(parse_ss_listeners("State Recv-Q Send-Q Local Address:Port Peer Address:Port").is_err());
        assert_eq!(parse_ss_listeners(""), Ok(vec![]));
    }
}
