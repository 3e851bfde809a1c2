//! Two people (or a script run twice) setting up the weekly check at the same moment: every
//! `confide schedule install --with cron` succeeds, the real crontab ends with exactly one line of
//! confide's, the user's own lines are untouched, and no temporary file is left behind.
#![allow(clippy::disallowed_methods)] // the test runs the real crontab

use crate::common::{live_prerequisite, machine_to_myself};
use crate::weekly_schedule::SavedCrontab;

const MARKER: &str = confide::schedule::cron::MARKER;

/// `confide` as a plain process, so several run at once (as `common::confide` sets it up).
fn confide_process(config: &std::path::Path, home: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("confide"));
    cmd.env("CONFIDE_CONFIG_DIR", config)
        .env("CONFIDE_DATA_DIR", config.join("data"))
        .env("HOME", home)
        .env("NO_COLOR", "1");
    cmd
}

fn crontab_list() -> String {
    let out = std::process::Command::new("crontab").arg("-l").output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn concurrent_installs_and_removes_against_the_real_crontab_take_turns() {
    if !live_prerequisite(which::which("crontab").is_ok(), "crontab (Debian package cron)") {
        return;
    }
    let _turn = machine_to_myself();
    let _saved = SavedCrontab::take();
    let home = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let mine = "MAILTO=\"\"\n# my backup\n30 2 * * * /usr/local/bin/backup --quiet\n";
    let f = config.path().join("mine");
    std::fs::write(&f, mine).unwrap();
    assert!(
        std::process::Command::new("crontab")
            .arg(&f)
            .status()
            .unwrap()
            .success()
    );

    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "mon"];
    let install = |day: &str| {
        confide_process(config.path(), home.path())
            .args(["schedule", "install", "--with", "cron", "--day", day])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let children: Vec<_> = days.iter().map(|d| install(d)).collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "an install failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let after = crontab_list();
    assert!(after.starts_with(mine), "the user's own lines survive:\n{after}");
    assert_eq!(after.matches(MARKER).count(), 1, "one schedule, not several:\n{after}");
    assert_eq!(after.lines().count(), mine.lines().count() + 1, "{after}");

    // What `schedule status` says about it fits an 80-column terminal, the line shown as cron reads it.
    let status = confide_process(config.path(), home.path())
        .env("COLUMNS", "80")
        .args(["schedule", "status"])
        .output()
        .unwrap();
    let status = String::from_utf8(status.stdout).unwrap();
    assert!(status.contains("a line in your crontab"), "{status}");
    assert!(status.contains("scan --scheduled"), "{status}");
    assert!(status.contains("No scheduled run yet."), "{status}");
    assert!(!status.contains(MARKER), "the long marker is not shown: {status}");
    assert!(status.lines().all(|l| l.chars().count() <= 80), "{status}");

    // Removes racing installs: whatever order they ran in, the user's lines are intact and
    // confide's line is there at most once.
    let remove = || {
        confide_process(config.path(), home.path())
            .args(["schedule", "remove"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let children = vec![remove(), install("fri"), remove(), install("sat")];
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let after = crontab_list();
    assert!(after.starts_with(mine), "{after}");
    assert!(after.matches(MARKER).count() <= 1, "{after}");

    let left: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.contains("confide-tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left in the home folder: {left:?}");
}
