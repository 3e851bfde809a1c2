//! The weekly check's scans: the history under concurrency, what changed between two real scans,
//! the scheduled run's silence, and bad history files.
#![allow(clippy::disallowed_methods)] // tests start real processes

use std::path::Path;

use serde_json::Value;

use crate::common::{self, confide, live_prerequisite, machine_to_myself};

fn history_lines(dir: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join("data/history.jsonl")).unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn a_hundred_concurrent_scans_append_a_hundred_whole_lines() {
    let dir = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("confide");
    let children: Vec<_> = (0..100)
        .map(|_| {
            std::process::Command::new(&bin)
                .args(["scan", "--only", "uptime", "--offline", "--quiet"])
                .env("CONFIDE_CONFIG_DIR", dir.path())
                .env("CONFIDE_DATA_DIR", dir.path().join("data"))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(matches!(c.wait().unwrap().code(), Some(0 | 1)));
    }
    let lines = history_lines(dir.path());
    assert_eq!(lines.len(), 100);
    for l in &lines {
        assert!(l["checks"]["uptime"]["status"].is_string(), "{l}");
        assert!(l["policy"]["sha256"].as_str().is_some_and(|s| s.len() == 64), "{l}");
        // Statuses and reason codes only: no evidence, no computer name.
        assert!(l["checks"]["uptime"].get("evidence").is_none());
        assert!(l.get("host").is_none());
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_assistant_started_between_scans_got_worse_and_stopping_it_got_better() {
    let _turn = machine_to_myself();
    let dir = tempfile::tempdir().unwrap();
    let scan = |extra: &[&str]| {
        let out = confide(dir.path())
            .args(["scan", "--only", "voice-assistants"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let first = scan(&["--format", "json"]);
    let first: Value = serde_json::from_slice(&first.stdout).unwrap();
    assert!(
        first.get("changes").is_none(),
        "the first scan has nothing to compare with"
    );

    let Some(assistant) = common::NamedProcess::start(dir.path(), "mycroft-voice") else {
        live_prerequisite(false, "`sleep` (to start a process named mycroft-voice)");
        return;
    };
    let second = scan(&["--format", "json"]);
    let second: Value = serde_json::from_slice(&second.stdout).unwrap();
    let worse = &second["changes"]["worse"][0];
    assert_eq!(worse["check"], "voice-assistants", "{second}");
    assert_eq!(
        (worse["from"].as_str(), worse["to"].as_str()),
        (Some("pass"), Some("warn"))
    );
    assert_eq!(worse["reason"], "voice-assistants.listening");

    drop(assistant);
    let third = scan(&[]);
    let text = String::from_utf8(third.stdout).unwrap();
    let top: String = text.lines().take(8).collect::<Vec<_>>().join("\n");
    assert!(top.contains("Got better: Voice assistants are turned off"), "{top}");
    assert!(top.contains("was a warning, now passing"), "{top}");
    assert_eq!(history_lines(dir.path()).len(), 3);
}

#[test]
fn a_scheduled_run_is_silent_unless_worse_and_keeps_the_latest_report() {
    let dir = tempfile::tempdir().unwrap();
    // A replayed computer never touches the history; a scheduled run does.
    let run = || {
        confide(dir.path())
            .args(["scan", "--scheduled", "--only", "uptime", "--offline"])
            .output()
            .unwrap()
    };
    let out = run();
    assert!(matches!(out.status.code(), Some(0 | 1)));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    let out = run();
    assert!(
        out.stdout.is_empty(),
        "nothing got worse: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let latest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("data/latest/report.json")).unwrap()).unwrap();
    assert_eq!(latest["findings"][0]["check"], "uptime");
    assert!(latest["changes"]["since"].is_string(), "{latest}");
    assert!(dir.path().join("data/latest/report.txt").is_file());
    let html = std::fs::read_to_string(dir.path().join("data/latest/report.html")).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"),
        "a whole page: {html}"
    );
    let lines = history_lines(dir.path());
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["scheduled"] == true));
}

#[test]
fn no_history_leaves_no_trace_and_history_shows_a_trend() {
    let dir = tempfile::tempdir().unwrap();
    confide(dir.path())
        .args(["scan", "--only", "uptime", "--offline", "--no-history"])
        .output()
        .unwrap();
    assert!(!dir.path().join("data/history.jsonl").exists());
    for _ in 0..2 {
        confide(dir.path())
            .args(["scan", "--only", "uptime", "--offline"])
            .output()
            .unwrap();
    }
    let out = confide(dir.path()).args(["history"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let uptime = text.lines().find(|l| l.starts_with("uptime")).unwrap();
    assert_eq!(uptime.split_whitespace().count(), 3, "{text}");
    let out = confide(dir.path())
        .args(["history", "--format", "json"])
        .assert()
        .success();
    let json: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
}

#[test]
fn a_damaged_history_line_is_named_and_a_folder_in_its_place_stops_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/history.jsonl"), "{\"time\": \"broken\n").unwrap();
    confide(dir.path())
        .args(["scan", "--only", "uptime", "--offline", "--quiet"])
        .assert()
        .stderr(predicates::str::contains("line 1 is damaged and was skipped"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("data/history.jsonl"))
            .unwrap()
            .lines()
            .count(),
        2
    );

    let other = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(other.path().join("data/history.jsonl")).unwrap();
    confide(other.path())
        .args(["scan", "--only", "uptime", "--offline"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("a folder"))
        .stderr(predicates::str::contains("--no-history"));
}

#[test]
fn without_a_profile_the_scan_says_so() {
    let dir = tempfile::tempdir().unwrap();
    confide(dir.path())
        .env_remove("CONFIDE_PROFILE")
        .args(["scan", "--only", "uptime", "--offline", "--quiet"])
        .assert()
        .stderr(predicates::str::contains("no profile at"))
        .stderr(predicates::str::contains("confide init"));
}

#[test]
fn a_problem_as_before_is_not_news_and_the_summary_says_how_long_it_has_stood() {
    let dir = tempfile::tempdir().unwrap();
    let scan = || {
        confide(dir.path())
            .args(["scan", "--only", "ico-registration", "--offline"])
            .output()
            .unwrap()
    };
    scan();
    // The first check, moved three weeks into the past.
    let history = dir.path().join("data/history.jsonl");
    let mut first = history_lines(dir.path()).remove(0);
    let then = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 21 + 1);
    first["time"] = Value::String(then.to_string());
    std::fs::write(&history, format!("{first}\n")).unwrap();
    let out = scan();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Nothing has changed since the last check") && text.contains("1 problem is as before"),
        "{text}"
    );
    assert!(!text.contains("Still failing"), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("Registered with the ICO"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.ends_with("— for 3 weeks"), "{line}");
}
