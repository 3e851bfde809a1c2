//! `voice-assistants` on each OS, over real recorded outputs (tests/fixtures/<os>/voice/).

use crate::common;

use common::Case;

use common::{machine, machine_with, run_check};
use confide::status::Status;
use confide::system::OsFamily::{Linux, Macos, Windows};
use confide::system::snapshot::Snapshot;

fn check(cases: Vec<Case>) {
    common::check_cases("voice-assistants", cases);
}

#[test]
fn macos_siri_settings() {
    let m = |f: &[&str]| machine_with(Macos, f);
    check(vec![
        Case {
            name: "Siri on and listening for Hey Siri",
            machine: m(&["macos/voice/siri-enabled.toml", "macos/voice/hey-siri-enabled.toml"]),
            status: Status::Fail,
            reason: "voice-assistants.listening",
            says: &["Siri listens for \"Hey Siri\""],
        },
        Case {
            name: "Siri on, Listen for off",
            machine: m(&["macos/voice/siri-enabled.toml", "macos/voice/hey-siri-disabled.toml"]),
            status: Status::Fail,
            reason: "voice-assistants.listening",
            says: &["Siri is turned on"],
        },
        Case {
            name: "Siri off with a stale Hey Siri flag",
            machine: m(&["macos/voice/siri-disabled.toml", "macos/voice/hey-siri-enabled.toml"]),
            status: Status::Pass,
            reason: "voice-assistants.off",
            says: &["Siri itself is off"],
        },
        Case {
            name: "Siri never set up",
            machine: m(&[
                "macos/voice/siri-key-missing.toml",
                "macos/voice/hey-siri-disabled.toml",
            ]),
            status: Status::Pass,
            reason: "voice-assistants.off",
            says: &["never been turned on"],
        },
        Case {
            name: "Siri turned off by MDM wins over the user setting",
            machine: m(&["macos/voice/siri-mdm-disabled.toml", "macos/voice/siri-enabled.toml"]),
            status: Status::Pass,
            reason: "voice-assistants.off",
            says: &["turned off by your organisation"],
        },
        Case {
            name: "corespeechd is shown, not judged",
            machine: m(&["macos/voice/siri-disabled.toml", "macos/processes/stock.toml"]),
            status: Status::Pass,
            reason: "voice-assistants.off",
            says: &["process `corespeechd` is running"],
        },
        Case {
            name: "defaults cannot be run",
            machine: machine(Macos),
            status: Status::Unknown,
            reason: "voice-assistants.unreadable",
            says: &["could not be read"],
        },
    ]);
}

#[test]
fn macos_unexpected_defaults_output_is_unknown_not_a_pass() {
    // Not a real output: a value of the wrong type, to prove the check does not guess.
    let mut m = machine(Macos);
    m.commands.push(confide::system::snapshot::RecordedCommand {
        program: "defaults".into(),
        args: vec![
            "read".into(),
            "com.apple.assistant.support".into(),
            "Assistant Enabled".into(),
        ],
        output: confide::system::CommandOutput {
            status: Some(0),
            stdout: "{\n}\n".into(),
            ..Default::default()
        },
    });
    let out = run_check(m, "voice-assistants");
    assert_eq!(out.status, Status::Unknown, "{out:?}");
}

#[test]
fn windows_voice_activation_and_assistant_apps() {
    let m = |f: &[&str]| machine_with(Windows, f);
    let stock = "windows/processes/stock.toml";
    let no_alexa = "windows/processes/no-alexa-folder.toml";
    check(vec![
        Case {
            name: "voice activation on",
            machine: m(&["windows/voice/voice-activation-on.toml", stock, no_alexa]),
            status: Status::Fail,
            reason: "voice-assistants.listening",
            says: &["Windows voice activation is turned on"],
        },
        Case {
            name: "voice activation off, no assistant apps",
            machine: m(&["windows/voice/voice-activation-off.toml", stock, no_alexa]),
            status: Status::Pass,
            reason: "voice-assistants.off",
            says: &["the Alexa app is not installed"],
        },
        Case {
            name: "voice activation never set, no assistant apps",
            machine: m(&["windows/voice/voice-activation-missing.toml", stock, no_alexa]),
            status: Status::Pass,
            reason: "voice-assistants.off",
            says: &["is not set"],
        },
        Case {
            name: "settings key absent, no assistant apps",
            machine: m(&["windows/voice/voice-activation-key-missing.toml", stock, no_alexa]),
            status: Status::Pass,
            reason: "voice-assistants.off",
            says: &["no Cortana or Alexa process"],
        },
        Case {
            name: "organisation forces voice activation off",
            machine: m(&[
                "windows/voice/voice-policy-force-deny.toml",
                "windows/voice/voice-activation-on.toml",
                stock,
            ]),
            status: Status::Pass,
            reason: "voice-assistants.off",
            says: &["your organisation has turned voice activation off"],
        },
        Case {
            name: "Cortana off by policy does not hide voice activation for other apps",
            machine: m(&[
                "windows/voice/cortana-policy-disabled.toml",
                "windows/voice/voice-activation-on.toml",
                stock,
            ]),
            status: Status::Fail,
            reason: "voice-assistants.listening",
            says: &["AllowCortana = 0"],
        },
        Case {
            name: "Alexa installed, not running, voice activation off",
            machine: m(&[
                "windows/voice/voice-activation-off.toml",
                stock,
                "windows/processes/alexa-installed.toml",
            ]),
            status: Status::Warn,
            reason: "voice-assistants.installed",
            says: &["Alexa is installed"],
        },
        Case {
            name: "Alexa running with voice activation on",
            machine: m(&[
                "windows/voice/voice-activation-on.toml",
                stock,
                "windows/processes/alexa-running.toml",
            ]),
            status: Status::Fail,
            reason: "voice-assistants.listening",
            says: &["process `Alexa.exe` is running"],
        },
        Case {
            name: "Alexa running with voice activation off",
            machine: m(&[
                "windows/voice/voice-activation-off.toml",
                stock,
                "windows/processes/alexa-running.toml",
            ]),
            status: Status::Warn,
            reason: "voice-assistants.installed",
            says: &["Alexa is installed"],
        },
        Case {
            name: "nothing readable",
            machine: machine(Windows),
            status: Status::Unknown,
            reason: "voice-assistants.unreadable",
            says: &["could not be read"],
        },
    ]);
}

fn recorded(name: &str) -> Snapshot {
    let path = common::fixtures().join("linux").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    Snapshot::parse(&text, &path).unwrap()
}

#[test]
fn linux_assistant_processes() {
    let mut empty = machine(Linux);
    empty.processes.clear();
    check(vec![
        Case {
            name: "a Mycroft process is running",
            machine: recorded("machine-debian12-mycroft.json"),
            status: Status::Fail,
            reason: "voice-assistants.listening",
            says: &["process `mycroft-voice` is running"],
        },
        Case {
            name: "no assistant among the real processes",
            machine: recorded("machine-debian12.json"),
            status: Status::Pass,
            reason: "voice-assistants.off",
            says: &["no Mycroft or OpenVoiceOS process"],
        },
        Case {
            name: "no process list",
            machine: empty,
            status: Status::Unknown,
            reason: "voice-assistants.unreadable",
            says: &["could not be read"],
        },
    ]);
}
