//! Live tests on this machine: real processes, a real collect and replay.
#![allow(clippy::disallowed_methods)] // tests start real processes

use crate::common;

use std::path::Path;

use common::{confide, live_prerequisite, machine_to_myself};
use serde_json::Value;

fn scan_json(config: &Path, args: &[&str]) -> Value {
    let out = confide(config)
        .args(["scan", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "scan failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn finding(report: &Value, check: &str) -> Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == check)
        .cloned()
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_running_assistant_fails_the_check_and_passes_once_stopped() {
    let _turn = machine_to_myself();
    let dir = tempfile::tempdir().unwrap();
    let Some(assistant) = common::NamedProcess::start(dir.path(), "mycroft-voice") else {
        live_prerequisite(false, "`sleep` (to start a process named mycroft-voice)");
        return;
    };
    let report = scan_json(dir.path(), &["--only", "voice-assistants"]);
    let f = finding(&report, "voice-assistants");
    assert_eq!(f["check_status"], "fail", "{f}");
    assert_eq!(f["reason"], "voice-assistants.listening");
    // The BACP policy lists listening devices under "Other points to consider".
    assert_eq!(f["status"], "warn", "{f}");
    let pid = assistant.pid().to_string();
    assert!(
        f["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.as_str().unwrap().contains(&pid)),
        "{f}"
    );

    drop(assistant);
    let report = scan_json(dir.path(), &["--only", "voice-assistants"]);
    let f = finding(&report, "voice-assistants");
    assert_eq!(
        (f["status"].as_str(), f["check_status"].as_str()),
        (Some("pass"), Some("pass")),
        "{f}"
    );
}

#[test]
fn collect_then_replay_gives_the_same_findings_as_a_live_scan() {
    let _turn = machine_to_myself();
    let dir = tempfile::tempdir().unwrap();
    let live = scan_json(dir.path(), &[]);
    let snapshot = dir.path().join("machine.json");
    confide(dir.path())
        .args(["collect", "--output"])
        .arg(&snapshot)
        .assert()
        .success();
    let replayed = scan_json(dir.path(), &["--replay", snapshot.to_str().unwrap()]);

    let verdicts = |r: &Value| -> Vec<(String, String, String)> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["check"].to_string(), f["status"].to_string(), f["reason"].to_string()))
            .collect()
    };
    assert_eq!(verdicts(&live), verdicts(&replayed));
    assert_eq!(live["host"], replayed["host"]);
    assert_eq!(live["not_assessed"], replayed["not_assessed"]);

    // The replayed clock is the moment of collection.
    let collected: Value = serde_json::from_str(&std::fs::read_to_string(&snapshot).unwrap()).unwrap();
    assert_eq!(replayed["generated_at"], collected["collected_at"]);
}

#[test]
fn collect_redact_leaves_out_the_hostname_and_user() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("machine.json");
    confide(dir.path())
        .args(["collect", "--redact", "--output"])
        .arg(&snapshot)
        .assert()
        .success()
        .stderr(predicates::str::contains("running programs"));
    let collected: Value = serde_json::from_str(&std::fs::read_to_string(&snapshot).unwrap()).unwrap();
    assert_eq!(collected["host"], serde_json::json!({}));
    assert!(
        collected["processes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p.get("user").is_none())
    );
}
