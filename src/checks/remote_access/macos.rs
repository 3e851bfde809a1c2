//! macOS: the Remote Login and Screen Sharing services in launchd, `systemsetup`, and the
//! processes of remote-support programs.

use super::{Observation, State, running_programs};
use crate::system::{CommandOutput, RunOutcome, System};

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
    let not_found = out.stderr.contains("Could not find service") || out.stdout.contains("Could not find service");
    if out.outcome() == (RunOutcome::Exited { status: Some(113) }) && not_found {
        return LaunchdService::NotLoaded;
    }
    if let Some(why) = out.failure("launchctl") {
        return LaunchdService::Unexpected(why);
    }
    let line = first_line(&out.stdout);
    if line == format!("system/{label} = {{") {
        LaunchdService::Loaded
    } else {
        LaunchdService::Unexpected(format!("unexpected output `{line}`"))
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
    if let Some(why) = out.failure("systemsetup") {
        return RemoteLoginSetting::Unexpected(why);
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

pub(super) fn read(system: &dyn System) -> Vec<Observation> {
    let mut observations = Vec::new();
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
        observations.push(
            match parse_launchctl_print(&system.run("launchctl", &["print", &target]), label) {
                LaunchdService::Loaded => Observation::new(
                    access,
                    State::On,
                    format!("{shown} exit 0, `{target} = {{`: {switch} is turned on"),
                ),
                LaunchdService::NotLoaded => Observation::new(
                    access,
                    State::Off,
                    format!("{shown} exit 113, `Could not find service`: {switch} is off"),
                ),
                LaunchdService::Unexpected(why) => {
                    Observation::new(access, State::Unreadable, format!("{shown} could not be read: {why}"))
                }
            },
        );
    }
    let shown = "`systemsetup -getremotelogin`";
    observations.push(
        match parse_systemsetup_remote_login(&system.run("systemsetup", &["-getremotelogin"])) {
            RemoteLoginSetting::On => Observation::new(REMOTE_LOGIN, State::On, format!("{shown}: `Remote Login: On`")),
            RemoteLoginSetting::Off => Observation::new(
                REMOTE_LOGIN,
                State::NotSet,
                format!("{shown}: `Remote Login: Off` (not relied on alone)"),
            ),
            RemoteLoginSetting::NeedsAdmin => Observation::new(
                REMOTE_LOGIN,
                State::NotSet,
                format!("{shown} needs administrator rights; launchctl was used instead"),
            ),
            RemoteLoginSetting::Unexpected(why) => {
                Observation::new(REMOTE_LOGIN, State::NotSet, format!("{shown} gave no answer: {why}"))
            }
        },
    );
    observations.extend(running_programs(
        &system.processes(),
        &MAC_PROGRAMS,
        "remote-support or screen-sharing program",
    ));
    observations
}

/// The first line of a text that is not blank, trimmed, for evidence.
fn first_line(text: &str) -> &str {
    text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(status: i32, stdout: &str, stderr: &str) -> CommandOutput {
        CommandOutput {
            status: Some(status),
            stdout: stdout.into(),
            stderr: stderr.into(),
            ..Default::default()
        }
    }

    #[test]
    fn launchctl_loaded_not_loaded_and_anything_else() {
        // The recorded samples above (the loaded block shortened); the failures are made up.
        let loaded = "system/com.openssh.sshd = {\n\tactive count = 0\n\tstate = not running\n}\n";
        let sshd = "com.openssh.sshd";
        assert_eq!(parse_launchctl_print(&out(0, loaded, ""), sshd), LaunchdService::Loaded);
        let missing = "Bad request.\nCould not find service \"com.openssh.sshd\" in domain for system\n";
        assert_eq!(
            parse_launchctl_print(&out(113, "", missing), sshd),
            LaunchdService::NotLoaded
        );
        assert_eq!(
            parse_launchctl_print(&out(113, missing, ""), sshd),
            LaunchdService::NotLoaded
        );
        assert!(matches!(
            parse_launchctl_print(&out(0, loaded, ""), "com.apple.screensharing"),
            LaunchdService::Unexpected(_)
        ));
        assert!(matches!(
            parse_launchctl_print(&out(113, "", ""), sshd),
            LaunchdService::Unexpected(_)
        ));
        assert_eq!(
            parse_launchctl_print(&CommandOutput::missing(), sshd),
            LaunchdService::Unexpected("`launchctl` is not available".into())
        );
    }

    #[test]
    fn systemsetup_answers_and_its_refusal_without_admin() {
        assert_eq!(
            parse_systemsetup_remote_login(&out(0, "Remote Login: On\n", "")),
            RemoteLoginSetting::On
        );
        assert_eq!(
            parse_systemsetup_remote_login(&out(
                0,
                "You need administrator access to run this tool... exiting!\n",
                ""
            )),
            RemoteLoginSetting::NeedsAdmin
        );
        assert!(matches!(
            parse_systemsetup_remote_login(&out(1, "", "")),
            RemoteLoginSetting::Unexpected(_)
        ));
    }
}
