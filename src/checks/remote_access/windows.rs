//! Windows: Remote Desktop (its policy, then its setting), the OpenSSH server service, and the
//! processes of remote-support programs.

use super::{Observation, State, running_programs};
use crate::probe::windows_reg::{self, RegValue};
use crate::system::{CommandOutput, RunOutcome, System};

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
    if out.outcome() == (RunOutcome::Exited { status: Some(1060) }) {
        return ServiceState::NotInstalled;
    }
    if let Some(why) = out.failure("sc") {
        return ServiceState::Unexpected(why);
    }
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

/// The Remote Desktop observations: the policy when it is set (it wins), else the setting.
fn remote_desktop(system: &dyn System) -> Observation {
    let policy = windows_reg::query(system, TERMINAL_SERVICES_POLICY_KEY, "fDenyTSConnections");
    match policy {
        RegValue::Dword(0) => {
            return Observation::new(
                REMOTE_DESKTOP,
                State::On,
                "policy fDenyTSConnections = 0: your organisation turns Remote Desktop on",
            );
        }
        RegValue::Dword(1) => {
            return Observation::new(
                REMOTE_DESKTOP,
                State::Off,
                "policy fDenyTSConnections = 1: your organisation turns Remote Desktop off",
            );
        }
        RegValue::NotSet => {}
        other => {
            return Observation::new(
                REMOTE_DESKTOP,
                State::Unreadable,
                format!("policy fDenyTSConnections could not be read: {}", reg_problem(&other)),
            );
        }
    }
    let shown = "fDenyTSConnections (HKLM\\System\\CurrentControlSet\\Control\\Terminal Server)";
    match windows_reg::query(system, TERMINAL_SERVER_KEY, "fDenyTSConnections") {
        RegValue::Dword(0) => Observation::new(
            REMOTE_DESKTOP,
            State::On,
            format!("{shown} = 0x0: Remote Desktop connections are allowed"),
        ),
        RegValue::Dword(1) => Observation::new(
            REMOTE_DESKTOP,
            State::Off,
            format!("{shown} = 0x1: Remote Desktop connections are refused"),
        ),
        RegValue::NotSet => Observation::new(REMOTE_DESKTOP, State::NotSet, format!("{shown} is not set")),
        other => Observation::new(
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

pub(super) fn read(system: &dyn System) -> Vec<Observation> {
    let mut observations = vec![remote_desktop(system)];
    let shown = "`sc query sshd`";
    observations.push(match parse_sc_query(&system.run("sc", &["query", "sshd"])) {
        ServiceState::Running => Observation::new(
            OPENSSH_SERVER,
            State::On,
            format!("{shown}: `STATE : 4 RUNNING`: the OpenSSH server is running"),
        ),
        ServiceState::Stopped => Observation::new(
            OPENSSH_SERVER,
            State::Off,
            format!("{shown}: `STATE : 1 STOPPED`: the OpenSSH server is installed but stopped"),
        ),
        ServiceState::NotInstalled => Observation::new(
            OPENSSH_SERVER,
            State::Off,
            format!("{shown} exit 1060: the OpenSSH server is not installed"),
        ),
        ServiceState::Other(state) => Observation::new(
            OPENSSH_SERVER,
            State::Unreadable,
            format!("{shown}: the OpenSSH server is in state `{state}`"),
        ),
        ServiceState::Unexpected(why) => Observation::new(
            OPENSSH_SERVER,
            State::Unreadable,
            format!("{shown} could not be read: {why}"),
        ),
    });
    observations.extend(running_programs(
        &system.processes(),
        &WINDOWS_PROGRAMS,
        "remote-support program or OpenSSH server",
    ));
    observations
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(status: i32, stdout: &str) -> CommandOutput {
        CommandOutput {
            status: Some(status),
            stdout: stdout.into(),
            ..Default::default()
        }
    }

    #[test]
    fn sc_states() {
        let running = "\r\nSERVICE_NAME: sshd\r\n        TYPE               : 10  WIN32_OWN_PROCESS\r\n        STATE              : 4  RUNNING\r\n                                (STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)\r\n        WIN32_EXIT_CODE    : 0  (0x0)\r\n";
        assert_eq!(parse_sc_query(&out(0, running)), ServiceState::Running);
        // Not real outputs: the recorded layout with another state, and one without a STATE line.
        let stopped = running.replace("4  RUNNING", "1  STOPPED");
        assert_eq!(parse_sc_query(&out(0, &stopped)), ServiceState::Stopped);
        let paused = running.replace("4  RUNNING", "7  PAUSED");
        assert_eq!(parse_sc_query(&out(0, &paused)), ServiceState::Other("7 PAUSED".into()));
        let absent = "[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n";
        assert_eq!(parse_sc_query(&out(1060, absent)), ServiceState::NotInstalled);
        assert!(matches!(
            parse_sc_query(&out(0, "\r\nSERVICE_NAME: sshd\r\n")),
            ServiceState::Unexpected(_)
        ));
        assert!(matches!(parse_sc_query(&out(5, "")), ServiceState::Unexpected(_)));
    }
}
