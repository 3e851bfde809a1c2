//! `voice-assistants` on each OS, over real recorded outputs (tests/fixtures/<os>/voice/).

use crate::common;

use common::{Case, cases};

use common::{machine, machine_with, run_check};
use confide::status::Status;
use confide::system::OsFamily::{Linux, Macos, Windows};
use confide::system::snapshot::Snapshot;

fn check(case: Case) {
    common::check_case("voice-assistants", case);
}

cases!(
    macos_siri_settings,
    {
        let m = |f: &[&str]| machine_with(Macos, f);
    },
    siri_on_and_listening_for_hey_siri = Case {
        name: "Siri on and listening for Hey Siri",
        machine: m(&["macos/voice/siri-enabled.toml", "macos/voice/hey-siri-enabled.toml"]),
        status: Status::Fail,
        reason: "voice-assistants.listening",
        says: &["Siri listens for \"Hey Siri\""],
    },
    siri_on_listen_for_off = Case {
        name: "Siri on, Listen for off",
        machine: m(&["macos/voice/siri-enabled.toml", "macos/voice/hey-siri-disabled.toml"]),
        status: Status::Fail,
        reason: "voice-assistants.listening",
        says: &["Siri is turned on"],
    },
    siri_off_with_a_stale_hey_siri_flag = Case {
        name: "Siri off with a stale Hey Siri flag",
        machine: m(&["macos/voice/siri-disabled.toml", "macos/voice/hey-siri-enabled.toml"]),
        status: Status::Pass,
        reason: "voice-assistants.off",
        says: &["Siri itself is off"],
    },
    siri_never_set_up = Case {
        name: "Siri never set up",
        machine: m(&[
            "macos/voice/siri-key-missing.toml",
            "macos/voice/hey-siri-disabled.toml",
        ]),
        status: Status::Pass,
        reason: "voice-assistants.off",
        says: &["never been turned on"],
    },
    siri_turned_off_by_mdm_wins_over_the_user_setting = Case {
        name: "Siri turned off by MDM wins over the user setting",
        machine: m(&["macos/voice/siri-mdm-disabled.toml", "macos/voice/siri-enabled.toml"]),
        status: Status::Pass,
        reason: "voice-assistants.off",
        says: &["turned off by your organisation"],
    },
    corespeechd_is_shown_not_judged = Case {
        name: "corespeechd is shown, not judged",
        machine: m(&[
            "macos/voice/siri-disabled.toml",
            "macos/processes/stock.toml",
            "macos/processes/corespeechd.toml",
        ]),
        status: Status::Pass,
        reason: "voice-assistants.off",
        says: &["process `corespeechd` is running"],
    },
    defaults_cannot_be_run = Case {
        name: "defaults cannot be run",
        machine: machine(Macos),
        status: Status::Unknown,
        reason: "voice-assistants.unreadable",
        says: &["could not be read"],
    },
);

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

cases!(
    windows_voice_activation_and_assistant_apps,
    {
        let m = |f: &[&str]| machine_with(Windows, f);
        let stock = "windows/processes/stock.toml";
        let no_alexa = "windows/processes/no-alexa-folder.toml";
    },
    voice_activation_on = Case {
        name: "voice activation on",
        machine: m(&["windows/voice/voice-activation-on.toml", stock, no_alexa]),
        status: Status::Fail,
        reason: "voice-assistants.listening",
        says: &["Windows voice activation is turned on"],
    },
    voice_activation_off_no_assistant_apps = Case {
        name: "voice activation off, no assistant apps",
        machine: m(&["windows/voice/voice-activation-off.toml", stock, no_alexa]),
        status: Status::Pass,
        reason: "voice-assistants.off",
        says: &["the Alexa app is not installed"],
    },
    voice_activation_never_set_no_assistant_apps = Case {
        name: "voice activation never set, no assistant apps",
        machine: m(&["windows/voice/voice-activation-missing.toml", stock, no_alexa]),
        status: Status::Pass,
        reason: "voice-assistants.off",
        says: &["is not set"],
    },
    settings_key_absent_no_assistant_apps = Case {
        name: "settings key absent, no assistant apps",
        machine: m(&["windows/voice/voice-activation-key-missing.toml", stock, no_alexa]),
        status: Status::Pass,
        reason: "voice-assistants.off",
        says: &["no Cortana or Alexa process"],
    },
    organisation_forces_voice_activation_off = Case {
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
    cortana_off_by_policy_does_not_hide_voice_activation = Case {
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
    alexa_installed_not_running_voice_activation_off = Case {
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
    alexa_running_with_voice_activation_on = Case {
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
    alexa_running_with_voice_activation_off = Case {
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
    nothing_readable = Case {
        name: "nothing readable",
        machine: machine(Windows),
        status: Status::Unknown,
        reason: "voice-assistants.unreadable",
        says: &["could not be read"],
    },
);

fn recorded(name: &str) -> Snapshot {
    let path = common::fixtures().join("linux").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    Snapshot::parse(&text, &path).unwrap()
}

cases!(
    linux_assistant_processes,
    {
        let mut empty = machine(Linux);
        empty.processes.clear();
    },
    a_mycroft_process_is_running = Case {
        name: "a Mycroft process is running",
        machine: recorded("machine-debian12-mycroft.json"),
        status: Status::Fail,
        reason: "voice-assistants.listening",
        says: &["process `mycroft-voice` is running"],
    },
    no_assistant_among_the_real_processes = Case {
        name: "no assistant among the real processes",
        machine: recorded("machine-debian12.json"),
        status: Status::Pass,
        reason: "voice-assistants.off",
        says: &["no Mycroft or OpenVoiceOS process"],
    },
    no_process_list = Case {
        name: "no process list",
        machine: empty,
        status: Status::Unknown,
        reason: "voice-assistants.unreadable",
        says: &["could not be read"],
    },
);
