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

use super::{Check, CheckContext, Outcome};
use crate::probe::macos_defaults::{DefaultsBool, parse_defaults_bool};
use crate::probe::process_match;
use crate::probe::windows_reg::{self, RegValue};
use crate::status::Status;
use crate::system::{FileRead, OsFamily, ProcessInfo, System};
use crate::words::join_names;

pub struct VoiceAssistants;

impl Check for VoiceAssistants {
    fn id(&self) -> &str {
        "voice-assistants"
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

/// What one source said about one assistant.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
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

impl Reading {
    fn new(assistant: &str, state: State, evidence: impl Into<String>) -> Self {
        Reading {
            assistant: assistant.to_string(),
            state,
            evidence: evidence.into(),
        }
    }
}

/// The verdict from all readings: anything on fails, anything installed warns, and a pass needs
/// at least one source that positively read "off" or a process list with no assistant in it.
pub fn judge(readings: &[Reading]) -> Outcome {
    let evidence: Vec<String> = readings.iter().map(|r| r.evidence.clone()).collect();
    let names = |state: State| -> Vec<String> {
        let mut v: Vec<String> = readings
            .iter()
            .filter(|r| r.state == state)
            .map(|r| r.assistant.clone())
            .collect();
        v.dedup();
        v
    };
    let on = names(State::On);
    let installed = names(State::Installed);
    let outcome = if !on.is_empty() {
        Outcome::new(
            Status::Fail,
            "voice-assistants.listening",
            format!(
                "{} {} turned on and can listen to your sessions.",
                join_names(&on),
                if on.len() == 1 { "is" } else { "are" }
            ),
        )
    } else if !installed.is_empty() {
        Outcome::new(
            Status::Warn,
            "voice-assistants.installed",
            format!(
                "{} {} installed: make sure it cannot listen, or remove it.",
                join_names(&installed),
                if installed.len() == 1 { "is" } else { "are" }
            ),
        )
    } else if readings.iter().any(|r| r.state == State::Off) {
        Outcome::new(
            Status::Pass,
            "voice-assistants.off",
            "No voice assistant is turned on or running on this computer.",
        )
    } else {
        Outcome::new(
            Status::Unknown,
            "voice-assistants.unreadable",
            "Could not tell whether a voice assistant is turned on: the settings could not be read.",
        )
    };
    outcome.with_evidence(evidence)
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

fn macos(system: &dyn System) -> Vec<Reading> {
    let mut readings = Vec::new();
    let managed = system.run("osascript", &MAC_SIRI_MDM);
    if managed.succeeded() && managed.stdout.trim() == "false" {
        readings.push(Reading::new(
            "Siri",
            State::Off,
            "Siri is turned off by your organisation (managed setting allowAssistant = false)",
        ));
        return readings;
    }

    let siri = parse_defaults_bool(&system.run("defaults", &MAC_SIRI));
    let shown = "`defaults read com.apple.assistant.support \"Assistant Enabled\"`";
    readings.push(match &siri {
        DefaultsBool::True => Reading::new("Siri", State::On, format!("{shown} is 1: Siri is turned on")),
        DefaultsBool::False => Reading::new("Siri", State::Off, format!("{shown} is 0: Siri is turned off")),
        DefaultsBool::NotSet => Reading::new(
            "Siri",
            State::Off,
            format!("{shown} is not set: Siri has never been turned on for this user"),
        ),
        DefaultsBool::Unexpected(why) => {
            Reading::new("Siri", State::Unreadable, format!("{shown} could not be read: {why}"))
        }
    });
    let hey = parse_defaults_bool(&system.run("defaults", &MAC_HEY_SIRI));
    let shown = "`defaults read com.apple.Siri VoiceTriggerUserEnabled`";
    let siri_on = siri == DefaultsBool::True;
    readings.push(match hey {
        // "Listen for Siri" only listens while Siri itself is on.
        DefaultsBool::True if siri_on => Reading::new(
            "Siri",
            State::On,
            format!("{shown} is 1: Siri listens for \"Hey Siri\""),
        ),
        DefaultsBool::True => Reading::new("Siri", State::NotSet, format!("{shown} is 1, but Siri itself is off")),
        DefaultsBool::False => Reading::new(
            "Siri",
            State::NotSet,
            format!("{shown} is 0: \"Listen for Siri\" is off"),
        ),
        DefaultsBool::NotSet => Reading::new("Siri", State::NotSet, format!("{shown} is not set")),
        DefaultsBool::Unexpected(why) => {
            Reading::new("Siri", State::NotSet, format!("{shown} could not be read: {why}"))
        }
    });
    // corespeechd holds the microphone while "Listen for Siri" is on; it is shown, not judged,
    // because it also serves dictation.
    for p in process_match::find(&system.processes(), &["corespeechd"]) {
        readings.push(Reading::new("Siri", State::NotSet, process_match::describe(p)));
    }
    readings
}

// ---------------------------------------------------------------- Windows

const VOICE_ACTIVATION_KEY: &str =
    "HKCU\\Software\\Microsoft\\Speech_OneCore\\Settings\\VoiceActivation\\UserPreferenceForAllApps";
const APP_PRIVACY_POLICY_KEY: &str = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\AppPrivacy";
const CORTANA_POLICY_KEY: &str = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\Windows Search";
/// The Alexa app's package family name; its per-user data folder exists while it is installed.
const ALEXA_PACKAGE_FAMILY: &str = "57540AMZNMobileLLC.AmazonAlexa_22t9g3sebte08";

fn windows(system: &dyn System) -> Vec<Reading> {
    let mut readings = Vec::new();
    // Group Policy "Let Windows apps activate with voice": 0 user decides, 1 force allow, 2 force deny.
    let policy = windows_reg::query(system, APP_PRIVACY_POLICY_KEY, "LetAppsActivateWithVoice");
    let forced_off = policy == RegValue::Dword(2);
    match policy {
        RegValue::Dword(2) => readings.push(Reading::new(
            "Windows voice activation",
            State::Off,
            "policy LetAppsActivateWithVoice = 2: your organisation has turned voice activation off",
        )),
        RegValue::Dword(1) => readings.push(Reading::new(
            "Windows voice activation",
            State::On,
            "policy LetAppsActivateWithVoice = 1: your organisation forces voice activation on",
        )),
        _ => {}
    }

    let user = windows_reg::query(system, VOICE_ACTIVATION_KEY, "AgentActivationEnabled");
    let voice_on = !forced_off && user == RegValue::Dword(1);
    if !forced_off {
        let shown = "AgentActivationEnabled (Settings › Privacy › Voice activation)";
        readings.push(match user {
            RegValue::Dword(0) => Reading::new(
                "Windows voice activation",
                State::Off,
                format!("{shown} = 0: apps may not listen for a keyword"),
            ),
            RegValue::Dword(_) => Reading::new(
                "Windows voice activation",
                State::On,
                format!("{shown} = 1: apps may listen for their keyword"),
            ),
            RegValue::NotSet => Reading::new("Windows voice activation", State::NotSet, format!("{shown} is not set")),
            RegValue::Sz(text) => Reading::new(
                "Windows voice activation",
                State::Unreadable,
                format!("{shown} could not be read: a text value `{text}` where a number belongs"),
            ),
            RegValue::Unexpected(why) => Reading::new(
                "Windows voice activation",
                State::Unreadable,
                format!("{shown} could not be read: {why}"),
            ),
        });
    }
    if windows_reg::query(system, CORTANA_POLICY_KEY, "AllowCortana") == RegValue::Dword(0) {
        readings.push(Reading::new(
            "Cortana",
            State::Off,
            "policy AllowCortana = 0: your organisation has turned Cortana off",
        ));
    }

    let processes = system.processes();
    let running = |names: &[&str]| {
        process_match::find(&processes, names)
            .into_iter()
            .cloned()
            .collect::<Vec<ProcessInfo>>()
    };
    for (assistant, exe) in [("Cortana", "Cortana.exe"), ("Alexa", "Alexa.exe")] {
        for p in running(&[exe]) {
            let state = if voice_on || !readings.iter().any(|r| r.state == State::Off) {
                State::On
            } else {
                State::Installed
            };
            readings.push(Reading::new(assistant, state, process_match::describe(&p)));
        }
    }
    let alexa_folder = system
        .env("LOCALAPPDATA")
        .map(|local| format!("{}\\Packages\\{ALEXA_PACKAGE_FAMILY}", local.trim_end_matches('\\')));
    if let Some(folder) = &alexa_folder
        && system.read_file(folder) == FileRead::Directory
        && !readings.iter().any(|r| r.assistant == "Alexa")
    {
        readings.push(Reading::new(
            "Alexa",
            State::Installed,
            format!("the Alexa app is installed ({folder})"),
        ));
    }
    if processes.is_empty() {
        readings.push(Reading::new(
            "assistant apps",
            State::Unreadable,
            "the list of running programs could not be read",
        ));
    } else if !readings
        .iter()
        .any(|r| r.assistant == "Cortana" || r.assistant == "Alexa")
    {
        let alexa = if alexa_folder.is_some() {
            ", and the Alexa app is not installed"
        } else {
            ""
        };
        readings.push(Reading::new(
            "assistant apps",
            State::Off,
            format!(
                "no Cortana or Alexa process among the {} running programs{alexa}",
                processes.len()
            ),
        ));
    }
    readings
}

// ---------------------------------------------------------------- Linux

/// Console-script names of Mycroft (`mycroft-speech-client`, `mycroft-skills`, … declared in
/// mycroft-core's `mycroft-base-setup.py`) and OpenVoiceOS (`ovos-*`; its service names are
/// unverified against a public process listing). The kernel names a script's process after the
/// script, cut to 15 characters, so a prefix is matched. Assistants started as `python -m …`
/// show only as `python3` and are not recognised.
const LINUX_ASSISTANTS: [(&str, &str); 2] = [("Mycroft", "mycroft-*"), ("OpenVoiceOS", "ovos-*")];

fn linux(system: &dyn System) -> Vec<Reading> {
    let processes = system.processes();
    if processes.is_empty() {
        return vec![Reading::new(
            "voice assistants",
            State::Unreadable,
            "the list of running programs could not be read",
        )];
    }
    let mut readings = Vec::new();
    for (assistant, pattern) in LINUX_ASSISTANTS {
        for p in process_match::find(&processes, &[pattern]) {
            readings.push(Reading::new(assistant, State::On, process_match::describe(p)));
        }
    }
    if readings.is_empty() {
        readings.push(Reading::new(
            "voice assistants",
            State::Off,
            format!(
                "no Mycroft or OpenVoiceOS process among the {} running programs",
                processes.len()
            ),
        ));
    }
    readings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_needs_a_positive_off_reading_to_pass() {
        let r = |state| Reading::new("Siri", state, "seen");
        assert_eq!(judge(&[r(State::On), r(State::Off)]).status, Status::Fail);
        assert_eq!(judge(&[r(State::Installed), r(State::Off)]).status, Status::Warn);
        assert_eq!(judge(&[r(State::Off), r(State::NotSet)]).status, Status::Pass);
        assert_eq!(judge(&[r(State::NotSet)]).status, Status::Unknown);
        assert_eq!(judge(&[r(State::Unreadable)]).status, Status::Unknown);
        assert_eq!(judge(&[]).status, Status::Unknown);
    }
}
