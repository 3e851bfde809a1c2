//! ## What it checks
//! Voice assistants on this computer that are turned on, listening for a wake word, or running:
//! Siri on macOS; Windows voice activation, Cortana and the Alexa app on Windows; Mycroft and
//! OpenVoiceOS on Linux.
//!
//! ## Why it matters
//! The guidance asks you to turn off listening devices such as Alexa and Siri. An assistant that
//! listens for its wake word can wake by mistake and send what it hears to its provider.
//!
//! ## What it cannot see
//! Smart speakers elsewhere in the room (Echo, Nest, HomePod): the report lists them as not
//! assessed.

use super::CheckContext;
use super::kit::{BuiltinCheck, ScanTime, Verdict};
use crate::probe::macos_defaults::{DefaultsBool, parse_defaults_bool};
use crate::probe::process_match;
use crate::probe::windows_reg::{self, RegValue};
use crate::system::{FileRead, ProcessInfo, System};
use crate::words::join_names;

pub struct VoiceAssistants;

crate::reasons! {
    /// Why the verdict is what it is (`voice-assistants.<code>`).
    pub enum Reason {
        Listening: Fail "listening" => "A voice assistant is turned on or running and can listen to your sessions.",
        Installed: Warn "installed" => "A voice assistant is installed but was not seen listening; it could be turned on.",
        Off: Pass "off" => "No voice assistant is turned on or running on this computer.",
        Unreadable: Unknown "unreadable" => "Whether a voice assistant is turned on could not be read.",
    }
}

impl BuiltinCheck for VoiceAssistants {
    const ID: &'static str = "voice-assistants";
    type Limits = ();
    type Reason = Reason;
    type Reading = Vec<Observation>;

    fn read(&self, ctx: &CheckContext<'_>) -> Vec<Observation> {
        super::kit::per_os(ctx.system, macos, windows, linux)
    }

    fn judge(&self, observations: Vec<Observation>, _: &(), _: ScanTime) -> Verdict<Reason> {
        judge(&observations)
    }
}

/// What one source said about one assistant.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// The assistant, as people know it: `Siri`, `Alexa`, `Windows voice activation`.
    pub assistant: String,
    pub state: State,
    /// What was seen, for the report.
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// Turned on, listening, or running.
    On,
    /// Present but not listening (installed, or running with voice activation off).
    Installed,
    /// Turned off (by the user or by an organisation's policy).
    Off,
    /// This source could not be read; the reason is in the evidence.
    Unreadable,
    /// This source does not apply here (a setting never written, a policy not set): neither
    /// on nor off. Not enough on its own for a pass.
    NotSet,
}

impl Observation {
    fn new(assistant: &str, state: State, evidence: impl Into<String>) -> Self {
        Observation {
            assistant: assistant.to_string(),
            state,
            evidence: evidence.into(),
        }
    }
}

/// The verdict from all observations: anything on fails, anything installed warns, and a pass
/// needs at least one source that positively read "off" or a process list with no assistant in
/// it.
pub fn judge(observations: &[Observation]) -> Verdict<Reason> {
    let evidence: Vec<String> = observations.iter().map(|o| o.evidence.clone()).collect();
    let names = |state: State| -> Vec<String> {
        let mut v: Vec<String> = observations
            .iter()
            .filter(|o| o.state == state)
            .map(|o| o.assistant.clone())
            .collect();
        v.dedup();
        v
    };
    let on = names(State::On);
    let installed = names(State::Installed);
    let mut unreadable = names(State::Unreadable);
    unreadable.retain(|name| !on.contains(name) && !installed.contains(name));
    // A known listener decides even when another setting could not be read; that one is named.
    let also = if unreadable.is_empty() {
        String::new()
    } else {
        format!(" (The settings of {} could not be read.)", join_names(&unreadable))
    };
    let verdict = if !on.is_empty() {
        Verdict::new(
            Reason::Listening,
            format!(
                "{} {} turned on and can listen to your sessions.{also}",
                join_names(&on),
                if on.len() == 1 { "is" } else { "are" }
            ),
        )
    } else if !installed.is_empty() {
        Verdict::new(
            Reason::Installed,
            format!(
                "{} {} installed: make sure it cannot listen, or remove it.{also}",
                join_names(&installed),
                if installed.len() == 1 { "is" } else { "are" }
            ),
        )
    } else if observations.iter().any(|o| o.state == State::Off) {
        Verdict::new(
            Reason::Off,
            "No voice assistant is turned on or running on this computer.",
        )
    } else {
        Verdict::new(
            Reason::Unreadable,
            "Could not tell whether a voice assistant is turned on: the settings could not be read.",
        )
    };
    verdict.with_evidence(evidence)
}

// ---------------------------------------------------------------- macOS

const MAC_SIRI: [&str; 3] = ["read", "com.apple.assistant.support", "Assistant Enabled"];
const MAC_HEY_SIRI: [&str; 3] = ["read", "com.apple.Siri", "VoiceTriggerUserEnabled"];
/// The managed-preference read used by the macOS Security Compliance Project
/// (rule `system_settings_siri_disable`), which prints `false` when MDM turns Siri off.
const MAC_SIRI_MDM: [&str; 4] = [
    "-l",
    "JavaScript",
    "-e",
    "$.NSUserDefaults.alloc.initWithSuiteName('com.apple.applicationaccess').objectForKey('allowAssistant').js",
];

fn macos(system: &dyn System) -> Vec<Observation> {
    let mut observations = Vec::new();
    let managed = system.run("osascript", &MAC_SIRI_MDM);
    if managed.succeeded() && managed.stdout.trim() == "false" {
        observations.push(Observation::new(
            "Siri",
            State::Off,
            "Siri is turned off by your organisation (managed setting allowAssistant = false)",
        ));
        return observations;
    }

    let siri = parse_defaults_bool(&system.run("defaults", &MAC_SIRI));
    let shown = "`defaults read com.apple.assistant.support \"Assistant Enabled\"`";
    observations.push(match &siri {
        DefaultsBool::True => Observation::new("Siri", State::On, format!("{shown} is 1: Siri is turned on")),
        DefaultsBool::False => Observation::new("Siri", State::Off, format!("{shown} is 0: Siri is turned off")),
        DefaultsBool::NotSet => Observation::new(
            "Siri",
            State::Off,
            format!("{shown} is not set: Siri has never been turned on for this user"),
        ),
        DefaultsBool::Unexpected(why) => {
            Observation::new("Siri", State::Unreadable, format!("{shown} could not be read: {why}"))
        }
    });
    let hey = parse_defaults_bool(&system.run("defaults", &MAC_HEY_SIRI));
    let shown = "`defaults read com.apple.Siri VoiceTriggerUserEnabled`";
    let siri_on = siri == DefaultsBool::True;
    observations.push(match hey {
        // "Listen for Siri" only listens while Siri itself is on.
        DefaultsBool::True if siri_on => Observation::new(
            "Siri",
            State::On,
            format!("{shown} is 1: Siri listens for \"Hey Siri\""),
        ),
        DefaultsBool::True => Observation::new("Siri", State::NotSet, format!("{shown} is 1, but Siri itself is off")),
        DefaultsBool::False => Observation::new(
            "Siri",
            State::NotSet,
            format!("{shown} is 0: \"Listen for Siri\" is off"),
        ),
        DefaultsBool::NotSet => Observation::new("Siri", State::NotSet, format!("{shown} is not set")),
        DefaultsBool::Unexpected(why) => {
            Observation::new("Siri", State::NotSet, format!("{shown} could not be read: {why}"))
        }
    });
    // corespeechd holds the microphone while "Listen for Siri" is on; it is shown, not judged,
    // because it also serves dictation.
    for p in process_match::find(&system.processes(), &["corespeechd"]) {
        observations.push(Observation::new("Siri", State::NotSet, process_match::describe(p)));
    }
    observations
}

// ---------------------------------------------------------------- Windows

const VOICE_ACTIVATION_KEY: &str =
    "HKCU\\Software\\Microsoft\\Speech_OneCore\\Settings\\VoiceActivation\\UserPreferenceForAllApps";
const APP_PRIVACY_POLICY_KEY: &str = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\AppPrivacy";
const CORTANA_POLICY_KEY: &str = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\Windows Search";
/// The Alexa app's package family name; its per-user data folder exists while it is installed.
const ALEXA_PACKAGE_FAMILY: &str = "57540AMZNMobileLLC.AmazonAlexa_22t9g3sebte08";

fn windows(system: &dyn System) -> Vec<Observation> {
    let (mut observations, voice_on) = windows_voice_activation(system);
    windows_assistant_apps(system, voice_on, &mut observations);
    observations
}

/// The voice-activation policy and setting, and the Cortana policy; with whether apps may
/// listen for their keyword.
fn windows_voice_activation(system: &dyn System) -> (Vec<Observation>, bool) {
    let mut observations = Vec::new();
    // Group Policy "Let Windows apps activate with voice": 0 user decides, 1 force allow, 2 force deny.
    let policy = windows_reg::query(system, APP_PRIVACY_POLICY_KEY, "LetAppsActivateWithVoice");
    let forced_off = policy == RegValue::Dword(2);
    match policy {
        RegValue::Dword(2) => observations.push(Observation::new(
            "Windows voice activation",
            State::Off,
            "policy LetAppsActivateWithVoice = 2: your organisation has turned voice activation off",
        )),
        RegValue::Dword(1) => observations.push(Observation::new(
            "Windows voice activation",
            State::On,
            "policy LetAppsActivateWithVoice = 1: your organisation forces voice activation on",
        )),
        _ => {}
    }

    let user = windows_reg::query(system, VOICE_ACTIVATION_KEY, "AgentActivationEnabled");
    let voice_on = !forced_off && user == RegValue::Dword(1);
    if !forced_off {
        observations.push(user_voice_activation(user));
    }
    if windows_reg::query(system, CORTANA_POLICY_KEY, "AllowCortana") == RegValue::Dword(0) {
        observations.push(Observation::new(
            "Cortana",
            State::Off,
            "policy AllowCortana = 0: your organisation has turned Cortana off",
        ));
    }
    (observations, voice_on)
}

/// The user's own voice-activation setting (Settings › Privacy › Voice activation).
fn user_voice_activation(value: RegValue) -> Observation {
    let shown = "AgentActivationEnabled (Settings › Privacy › Voice activation)";
    match value {
        RegValue::Dword(0) => Observation::new(
            "Windows voice activation",
            State::Off,
            format!("{shown} = 0: apps may not listen for a keyword"),
        ),
        RegValue::Dword(_) => Observation::new(
            "Windows voice activation",
            State::On,
            format!("{shown} = 1: apps may listen for their keyword"),
        ),
        RegValue::NotSet => Observation::new("Windows voice activation", State::NotSet, format!("{shown} is not set")),
        RegValue::Sz(text) => Observation::new(
            "Windows voice activation",
            State::Unreadable,
            format!("{shown} could not be read: a text value `{text}` where a number belongs"),
        ),
        RegValue::Unexpected(why) => Observation::new(
            "Windows voice activation",
            State::Unreadable,
            format!("{shown} could not be read: {why}"),
        ),
    }
}

/// Cortana and Alexa running, and the Alexa app installed. A running app listens when voice
/// activation is on, or when nothing read so far turned anything off.
fn windows_assistant_apps(system: &dyn System, voice_on: bool, observations: &mut Vec<Observation>) {
    let processes = system.processes();
    let running = |names: &[&str]| {
        process_match::find(&processes, names)
            .into_iter()
            .cloned()
            .collect::<Vec<ProcessInfo>>()
    };
    for (assistant, exe) in [("Cortana", "Cortana.exe"), ("Alexa", "Alexa.exe")] {
        for p in running(&[exe]) {
            let state = if voice_on || !observations.iter().any(|o| o.state == State::Off) {
                State::On
            } else {
                State::Installed
            };
            observations.push(Observation::new(assistant, state, process_match::describe(&p)));
        }
    }
    let alexa_folder = system
        .env("LOCALAPPDATA")
        .map(|local| format!("{}\\Packages\\{ALEXA_PACKAGE_FAMILY}", local.trim_end_matches('\\')));
    if let Some(folder) = &alexa_folder
        && system.read_file(folder) == FileRead::Directory
        && !observations.iter().any(|o| o.assistant == "Alexa")
    {
        observations.push(Observation::new(
            "Alexa",
            State::Installed,
            format!("the Alexa app is installed ({folder})"),
        ));
    }
    if processes.is_empty() {
        observations.push(Observation::new(
            "assistant apps",
            State::Unreadable,
            "the list of running programs could not be read",
        ));
    } else if !observations
        .iter()
        .any(|o| o.assistant == "Cortana" || o.assistant == "Alexa")
    {
        let alexa = if alexa_folder.is_some() {
            ", and the Alexa app is not installed"
        } else {
            ""
        };
        observations.push(Observation::new(
            "assistant apps",
            State::Off,
            format!(
                "no Cortana or Alexa process among the {} running programs{alexa}",
                processes.len()
            ),
        ));
    }
}

// ---------------------------------------------------------------- Linux

/// Console-script names of Mycroft (`mycroft-speech-client`, `mycroft-skills`, … declared in
/// mycroft-core's `mycroft-base-setup.py`) and OpenVoiceOS (`ovos-*`; its service names are
/// unverified against a public process listing). The kernel names a script's process after the
/// script, cut to 15 characters, so a prefix is matched. Assistants started as `python -m …`
/// show only as `python3` and are not recognised.
const LINUX_ASSISTANTS: [(&str, &str); 2] = [("Mycroft", "mycroft-*"), ("OpenVoiceOS", "ovos-*")];

fn linux(system: &dyn System) -> Vec<Observation> {
    let processes = system.processes();
    if processes.is_empty() {
        return vec![Observation::new(
            "voice assistants",
            State::Unreadable,
            "the list of running programs could not be read",
        )];
    }
    let mut observations = Vec::new();
    for (assistant, pattern) in LINUX_ASSISTANTS {
        for p in process_match::find(&processes, &[pattern]) {
            observations.push(Observation::new(assistant, State::On, process_match::describe(p)));
        }
    }
    if observations.is_empty() {
        observations.push(Observation::new(
            "voice assistants",
            State::Off,
            format!(
                "no Mycroft or OpenVoiceOS process among the {} running programs",
                processes.len()
            ),
        ));
    }
    observations
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    #[test]
    fn the_verdict_needs_a_positive_off_reading_to_pass() {
        let r = |state| Observation::new("Siri", state, "seen");
        assert_eq!(judge(&[r(State::On), r(State::Off)]).status(), Status::Fail);
        assert_eq!(judge(&[r(State::Installed), r(State::Off)]).status(), Status::Warn);
        assert_eq!(judge(&[r(State::Off), r(State::NotSet)]).status(), Status::Pass);
        assert_eq!(judge(&[r(State::NotSet)]).status(), Status::Unknown);
        assert_eq!(judge(&[r(State::Unreadable)]).status(), Status::Unknown);
        assert_eq!(judge(&[]).status(), Status::Unknown);
        // A known listener decides while another assistant's settings could not be read.
        let cortana = Observation::new("Cortana", State::Unreadable, "seen");
        let out = judge(&[r(State::On), cortana]);
        assert_eq!(out.status(), Status::Fail);
        assert!(out.summary.contains("settings of Cortana could not be read"), "{}", out.summary);
    }
}
