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

pub mod linux;
pub mod macos;
pub mod windows;

use super::CheckContext;
use super::kit::{BuiltinCheck, ScanTime, Verdict};
use crate::probe::process_match;
use crate::system::ProcessInfo;
use crate::words::join_names;

pub struct RemoteAccess;

crate::reasons! {
    /// Why the verdict is what it is (`remote-access.<code>`).
    pub enum Reason {
        Enabled: Warn "enabled" => "A remote login, remote desktop or remote-support program is turned on or running, so someone else could reach this computer.",
        Unreadable: Unknown "unreadable" => "Whether remote access is turned on could not be read from every source, so no pass is given.",
        Off: Pass "off" => "No remote login, remote desktop or remote-support program is turned on or running.",
    }
}

impl BuiltinCheck for RemoteAccess {
    const ID: &'static str = "remote-access";
    type Limits = ();
    type Reason = Reason;
    type Reading = Vec<Observation>;

    fn read(&self, ctx: &CheckContext<'_>) -> Vec<Observation> {
        super::kit::per_os(ctx.system, macos::read, windows::read, linux::read)
    }

    fn judge(&self, observations: Vec<Observation>, _: &(), _: ScanTime) -> Verdict<Reason> {
        judge(&observations)
    }
}

/// What one source said about one way in.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
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

impl Observation {
    fn new(access: &str, state: State, evidence: impl Into<String>) -> Self {
        Observation {
            access: access.to_string(),
            state,
            evidence: evidence.into(),
        }
    }
}

/// The verdict: anything on warns, naming each; a pass needs at least one source positively
/// read as off and no source left unread; otherwise unknown.
pub fn judge(observations: &[Observation]) -> Verdict<Reason> {
    let evidence: Vec<String> = observations.iter().map(|o| o.evidence.clone()).collect();
    let names = |state: State| -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for o in observations.iter().filter(|o| o.state == state) {
            if !v.contains(&o.access) {
                v.push(o.access.clone());
            }
        }
        v
    };
    let on = names(State::On);
    let unreadable = names(State::Unreadable);
    let verdict = if !on.is_empty() {
        // A known way in decides even when another source could not be read; that one is named.
        let also = if unreadable.is_empty() {
            String::new()
        } else {
            format!(" ({} could not be read.)", join_names(&unreadable))
        };
        Verdict::new(
            Reason::Enabled,
            format!(
                "Someone else could reach this computer: {} {} on. Turn off what you do not need.{also}",
                join_names(&on),
                if on.len() == 1 { "is" } else { "are" }
            ),
        )
    } else if !unreadable.is_empty() {
        Verdict::new(
            Reason::Unreadable,
            format!(
                "Could not tell whether remote access is turned on: {} could not be read.",
                join_names(&unreadable)
            ),
        )
    } else if observations.iter().any(|o| o.state == State::Off) {
        Verdict::new(
            Reason::Off,
            "No remote login, remote desktop or remote-support program is turned on or running.",
        )
    } else {
        Verdict::new(
            Reason::Unreadable,
            "Could not tell whether remote access is turned on: nothing about it could be read.",
        )
    };
    verdict.with_evidence(evidence)
}

/// Observations from the process list: one `On` per recognised program, or one `Off` when the list
/// was read and none of `programs` is in it. `programs` pairs a name people know with the
/// process names it runs as (see [`process_match::matches`]).
fn running_programs(processes: &[ProcessInfo], programs: &[(&str, &[&str])], kinds: &str) -> Vec<Observation> {
    if processes.is_empty() {
        return vec![Observation::new(
            "the list of running programs",
            State::Unreadable,
            "the list of running programs could not be read",
        )];
    }
    let mut observations = Vec::new();
    for (access, patterns) in programs {
        for p in process_match::find(processes, patterns) {
            observations.push(Observation::new(access, State::On, process_match::describe(p)));
        }
    }
    if observations.is_empty() {
        observations.push(Observation::new(
            "remote-support programs",
            State::Off,
            format!("no {kinds} among the {} running programs", processes.len()),
        ));
    }
    observations
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    #[test]
    fn the_verdict_needs_every_source_read_to_pass() {
        let r = |state| Observation::new("SSH server", state, "seen");
        assert_eq!(judge(&[r(State::On), r(State::Unreadable)]).status(), Status::Warn);
        assert_eq!(judge(&[r(State::Off), r(State::NotSet)]).status(), Status::Pass);
        assert_eq!(judge(&[r(State::Off), r(State::Unreadable)]).status(), Status::Unknown);
        let known_bad = judge(&[r(State::On), r(State::Unreadable)]);
        assert_eq!(known_bad.status(), Status::Warn);
        assert!(known_bad.summary.contains("could not be read"), "{}", known_bad.summary);
        assert_eq!(judge(&[r(State::NotSet)]).status(), Status::Unknown);
        assert_eq!(judge(&[]).status(), Status::Unknown);
    }
}
