//! Nothing leaked: `--redact` leaves out the user's name, every other person's account and full
//! name, and the computer's name, everywhere, and the checks reach the same verdicts on the
//! redacted snapshot.
#![allow(clippy::disallowed_methods)] // tests start the real binary

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use common::confide;
use confide::system::OsFamily;
use confide::system::snapshot::{RecordedFile, Snapshot};

/// Names that must not survive redaction.
const NAMES: [&str; 5] = [
    "kozakemivm",
    "janedoe",
    "Jane Smith",
    "kozakemivm-virtual-machine",
    "kozakemiVM",
];

/// The real Ubuntu `/etc/passwd` fixture, signed in as its person, plus one account with a full
/// name in the GECOS field (a line added for this test, in passwd(5)'s format).
pub(crate) fn machine() -> Snapshot {
    let mut s = common::machine_with(OsFamily::Linux, &["linux/user-accounts/passwd-ubuntu-desktop.toml"]);
    for f in &mut s.files {
        if let Some(c) = f.contents.as_mut().filter(|_| f.path == "/etc/passwd") {
            c.push_str("janedoe:x:1004:1004:Jane Smith,,,:/home/janedoe:/bin/bash\n");
        }
    }
    s.host.user = Some("kozakemivm".into());
    s.host.hostname = Some("kozakemivm-virtual-machine".into());
    s.env.insert("USER".into(), "kozakemivm".into());
    s.env.insert("HOME".into(), "/home/kozakemivm".into());
    s.files.push(RecordedFile {
        path: "/etc/hostname".into(),
        contents: Some("kozakemivm-virtual-machine\n".into()),
        ..Default::default()
    });
    s
}

fn statuses(config: &Path, snapshot: &Path, extra: &[&str]) -> (BTreeMap<String, String>, String) {
    let out = confide(config)
        .args(["scan", "--format", "json", "--replay"])
        .arg(snapshot)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let statuses = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (statuses, text)
}

fn leaked(text: &str) -> Vec<&'static str> {
    NAMES.into_iter().filter(|n| text.contains(n)).collect()
}

#[test]
fn a_redacted_snapshot_holds_no_names_and_replays_to_the_same_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let original = machine();
    let mut redacted = original.clone();
    redacted.redact();
    let json = serde_json::to_string_pretty(&redacted).unwrap();
    assert_eq!(leaked(&json), Vec::<&str>::new(), "{json}");
    assert!(json.contains("user-1") && json.contains("user-2"), "{json}");
    // System accounts say nothing about a person and are kept.
    assert!(json.contains("root:x:0:0:root:/root:/bin/bash") && json.contains("www-data"));

    let a = common::write_snapshot(dir.path(), "original.json", &original);
    let b = common::write_snapshot(dir.path(), "redacted.json", &redacted);
    let (before, plain_report) = statuses(dir.path(), &a, &[]);
    let (after, _) = statuses(dir.path(), &b, &[]);
    assert_eq!(before, after);
    // The names are in a report without --redact, so the absence below means something.
    assert!(!leaked(&plain_report).is_empty());
}

#[test]
fn scan_redact_leaves_every_name_out_of_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let a = common::write_snapshot(dir.path(), "original.json", &machine());
    let (plain, _) = statuses(dir.path(), &a, &[]);
    let (redacted, report) = statuses(dir.path(), &a, &["--redact"]);
    assert_eq!(leaked(&report), Vec::<&str>::new(), "{report}");
    assert_eq!(plain, redacted);
    for format in ["terminal", "markdown", "html"] {
        let out = confide(dir.path())
            .args(["scan", "--redact", "--format", format, "--replay"])
            .arg(&a)
            .output()
            .unwrap();
        if out.status.code() == Some(2) {
            continue; // a format this build does not have
        }
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(leaked(&text), Vec::<&str>::new(), "{format}: {text}");
    }
}

#[test]
fn collect_redact_leaves_this_computers_name_out() {
    let _turn = common::machine_to_myself();
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("machine.json");
    confide(dir.path())
        .args(["collect", "--command-timeout", "2", "--output"])
        .arg(&out_path)
        .arg("--redact")
        .assert()
        .success();
    let text = std::fs::read_to_string(&out_path).unwrap();
    let hostname = sysinfo::System::host_name().unwrap_or_default();
    if hostname.len() > 2 {
        let pattern = regex::Regex::new(&format!(r"(?i)(^|[^\w-]){}($|[^\w-])", regex::escape(&hostname))).unwrap();
        assert!(!pattern.is_match(&text), "{hostname} is in the redacted snapshot");
    }
    let snapshot: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(snapshot["host"].get("hostname").is_none());
    let (statuses, _) = statuses(dir.path(), &out_path, &[]);
    assert!(!statuses.is_empty());
}
