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
