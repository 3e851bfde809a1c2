//! The rule every pass in these tests rests on: an output no one captured (`made-up`) may lead to
//! `unknown` or a finding, never to a pass. These tests prove the shared runner enforces it.

use crate::common;

use common::{Provenance, machine_with, run_check, run_check_unguarded};
use confide::status::Status;
use confide::system::OsFamily::Linux;

/// ufw answering "active", made up: the same words as the real ufw-active.toml, with a stderr line
/// of its own so that its content differs from the real capture's.
fn made_up_ufw_active() -> confide::system::snapshot::RecordedCommand {
    common::made_up(
        "ufw",
        &["status"],
        0,
        "Status: active\n",
        "made up for the provenance test\n",
    )
}

#[test]
fn a_pass_resting_on_a_made_up_output_fails_the_test_naming_it() {
    let mut m = machine_with(Linux, &[]);
    m.commands.push(made_up_ufw_active());
    // Without the rule the check passes on it: the refusal below is the rule's, not the check's.
    assert_eq!(run_check_unguarded(m.clone(), "firewall").status, Status::Pass);

    let refused = std::panic::catch_unwind(|| run_check(m, "firewall")).expect_err("the runner must refuse");
    let message = refused.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.contains("firewall passed on a machine with outputs no one captured"),
        "{message}"
    );
    assert!(message.contains("made_up `ufw status`"), "{message}");
}

#[test]
fn a_made_up_output_may_still_lead_to_a_finding_or_unknown() {
    let mut m = machine_with(Linux, &[]);
    m.commands.push(common::made_up(
        "ufw",
        &["status"],
        0,
        "Status: inactive\n",
        "made up\n",
    ));
    let out = run_check(m, "firewall");
    assert_ne!(out.status, Status::Pass, "{out:?}");
}

#[test]
fn the_same_pass_on_the_real_capture_is_accepted() {
    let out = run_check(machine_with(Linux, &["linux/firewall/ufw-active.toml"]), "firewall");
    assert_eq!(out.status, Status::Pass, "{out:?}");
    assert!(common::provenance::made_up_inputs(&machine_with(Linux, &["linux/firewall/ufw-active.toml"])).is_empty());
}

#[test]
fn a_made_up_fixture_is_named_by_its_path() {
    // No fixture is made-up today; an inline output declared made-up stands in for one, and a
    // declared real one is accepted.
    let mut m = machine_with(Linux, &[]);
    m.commands.push(common::declare(
        Provenance::MadeUp,
        "a stand-in for a made-up fixture",
        common::made_up("ufw", &["status"], 0, "Status: active\n", "stand-in\n"),
    ));
    let refused = common::provenance::made_up_inputs(&m);
    assert!(
        refused
            .iter()
            .any(|r| r.contains("a stand-in for a made-up fixture") && r.contains("`ufw status`")),
        "{refused:?}"
    );
}

#[test]
fn no_fixture_is_made_up_and_every_fixture_states_its_provenance() {
    let root = common::fixtures();
    let mut files = Vec::new();
    common::provenance::toml_files(&root, &mut files);
    files.retain(|f| !f.starts_with(root.join("profile")));
    let mut made_up = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let value: toml::Value = toml::from_str(&text).unwrap();
        let provenance = value.get("provenance").and_then(|p| p.as_str());
        assert!(
            matches!(provenance, Some("real" | "adapted" | "format-only" | "made-up")),
            "{}: provenance must be one of real, adapted, format-only, made-up",
            file.display()
        );
        if provenance == Some("made-up") {
            made_up.push(file.strip_prefix(&root).unwrap().display().to_string());
        }
    }
    // A made-up fixture may exist for an `unknown` case; list them here so each one is a choice.
    assert_eq!(made_up, Vec::<String>::new(), "made-up fixtures");
}

// ---------------------------------------------------------------- strict mode

/// `ufw status` answering "active" with a stderr line of its own, so that it is not the real
/// ufw-active.toml capture, and never declared.
fn undeclared_ufw_active() -> confide::system::snapshot::RecordedCommand {
    confide::system::snapshot::RecordedCommand {
        program: "ufw".into(),
        args: vec!["status".into()],
        output: confide::system::CommandOutput {
            status: Some(0),
            stdout: "Status: active\n".into(),
            stderr: "never declared\n".into(),
            ..Default::default()
        },
    }
}

fn refusal(run: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let refused = std::panic::catch_unwind(run).expect_err("the rule must refuse");
    refused
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_else(|| refused.downcast_ref::<&str>().unwrap_or(&"").to_string())
}

#[test]
fn an_undeclared_inline_output_counts_as_made_up() {
    let mut m = machine_with(Linux, &[]);
    m.commands.push(undeclared_ufw_active());
    assert_eq!(run_check_unguarded(m.clone(), "firewall").status, Status::Pass);
    let message = refusal(|| {
        run_check(m, "firewall");
    });
    assert!(
        message.contains("`ufw status`: an undeclared inline output"),
        "{message}"
    );
}

#[test]
fn a_format_only_output_may_not_decide_a_pass() {
    let mut m = machine_with(Linux, &[]);
    m.commands.push(common::declare(
        Provenance::FormatOnly,
        "ufw's real layout, a value no one captured",
        common::made_up("ufw", &["status"], 0, "Status: active\n", "format-only stand-in\n"),
    ));
    // made_up declared it made-up as well: the most trusted declaration counts, and that is
    // format-only, which is refused all the same.
    let message = refusal(|| {
        run_check(m, "firewall");
    });
    assert!(message.contains("is format-only"), "{message}");
}

#[test]
fn an_output_the_pass_does_not_rest_on_is_allowed() {
    let mut m = machine_with(Linux, &["linux/firewall/ufw-active.toml"]);
    // An undeclared answer the firewall check never asks for.
    m.commands.push(confide::system::snapshot::RecordedCommand {
        program: "lsb_release".into(),
        args: vec!["-a".into()],
        output: confide::system::CommandOutput {
            status: Some(0),
            stdout: "never declared\n".into(),
            ..Default::default()
        },
    });
    assert_eq!(
        common::provenance::made_up_inputs(&m),
        ["`lsb_release -a`: an undeclared inline output (declare it with common::declare)"]
    );
    assert_eq!(run_check(m, "firewall").status, Status::Pass);
}

/// A policy that turns voice activation off, over a setting that turns it on: taking both out
/// leaves "never set", the same pass, so only taking each out alone shows the policy decides.
#[test]
fn an_output_that_decides_only_beside_another_refused_one_is_caught() {
    use confide::system::OsFamily::Windows;
    let mut m = machine_with(
        Windows,
        &["windows/processes/stock.toml", "windows/processes/no-alexa-folder.toml"],
    );
    let real = machine_with(
        Windows,
        &[
            "windows/voice/voice-activation-on.toml",
            "windows/voice/voice-policy-force-deny.toml",
        ],
    );
    for mut c in real.commands {
        c.output.stderr = "declared format-only for this test\r\n".into();
        m.commands.push(common::declare(
            Provenance::FormatOnly,
            "a stand-in for an uncaptured value",
            c,
        ));
    }
    let verdict = run_check_unguarded(m.clone(), "voice-assistants");
    assert_eq!(verdict.status, Status::Pass, "{verdict:?}");
    let bare = machine_with(
        Windows,
        &["windows/processes/stock.toml", "windows/processes/no-alexa-folder.toml"],
    );
    let without_both = run_check_unguarded(bare, "voice-assistants");
    assert_eq!(
        (without_both.status, &without_both.reason),
        (verdict.status, &verdict.reason),
        "taking both out must give the same pass, or this test proves nothing new"
    );
    let message = refusal(|| {
        run_check(m, "voice-assistants");
    });
    assert!(message.contains("LetAppsActivateWithVoice"), "{message}");
}

#[test]
fn a_whole_machine_for_the_binary_is_held_to_the_same_rule() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = machine_with(Linux, &[]);
    m.commands.push(undeclared_ufw_active());
    let message = refusal(|| {
        common::write_snapshot(dir.path(), "machine.json", &m);
    });
    assert!(message.contains("firewall (whole machine) passed"), "{message}");
    assert!(!dir.path().join("machine.json").exists());

    // A recorded machine is real throughout, and is written.
    let path = common::fixtures().join("linux/machine-debian12.json");
    let recorded = confide::system::snapshot::Snapshot::parse(&std::fs::read_to_string(&path).unwrap(), &path).unwrap();
    assert_eq!(common::provenance::made_up_inputs(&recorded), Vec::<String>::new());
    assert!(common::write_snapshot(dir.path(), "recorded.json", &recorded).exists());
}
