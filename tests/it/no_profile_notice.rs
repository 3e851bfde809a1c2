//! A scan made without the practitioner's profile says so in the report itself, at the top, in
//! every format: the weekly check runs with no one reading its stderr, and a supervisor must not
//! read a verdict made without the practitioner's answers as if it were made with them.
#![allow(clippy::disallowed_methods)] // runs pdftotext

use std::path::Path;

use serde_json::Value;

use crate::common::{self, confide, live_prerequisite};

const LEAD: &str = "These results were made without your answers to the questions only you can confirm";
/// The supervisor's copy (PDF and Markdown by default): what it means, no paths or commands.
const SUPERVISOR_LEAD: &str = "This report was made without the practitioner's own answers";

/// Text with every run of white space made one space, so wrapped lines compare as written.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `confide scan` of this computer (one quick check), in `format`, with no profile in `dir`.
fn scan(dir: &Path, format: &str) -> std::process::Output {
    confide(dir)
        .env_remove("CONFIDE_PROFILE")
        .args([
            "scan",
            "--only",
            "uptime",
            "--offline",
            "--no-history",
            "--format",
            format,
        ])
        .output()
        .unwrap()
}

#[test]
fn every_format_says_at_the_top_that_there_was_no_profile_and_where_it_was_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    let expected = dir.path().join("profile.toml").display().to_string();

    let out = scan(dir.path(), "json");
    assert!(matches!(out.status.code(), Some(0 | 1)));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["no_profile"]["looked_at"], expected.as_str(), "{report}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no profile at"));

    let out = scan(dir.path(), "terminal");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("no profile at"),
        "said once, in the report, not twice: {stderr}"
    );
    let terminal = String::from_utf8(out.stdout).unwrap();
    let notice_at = words(&terminal).find(LEAD).expect("the terminal report says it");
    let first_finding = words(&terminal).find("Uptime").unwrap_or(usize::MAX);
    assert!(notice_at < first_finding, "at the top:\n{terminal}");
    assert!(
        words(&terminal).contains(&expected) && terminal.contains("confide init"),
        "{terminal}"
    );

    let markdown = String::from_utf8(scan(dir.path(), "markdown").stdout).unwrap();
    let line = markdown
        .lines()
        .find(|l| l.starts_with("> **Read this first.**"))
        .expect("a quoted caveat");
    assert!(line.contains(SUPERVISOR_LEAD) && !line.contains(&expected), "{line}");
    assert!(
        markdown.find(line).unwrap() < markdown.find("**Result:").unwrap(),
        "before the result:\n{markdown}"
    );

    let html = String::from_utf8(scan(dir.path(), "html").stdout).unwrap();
    let caveat = html.find("<p class=\"caveat\">").expect("an HTML caveat");
    assert!(caveat < html.find("class=\"verdict").unwrap(), "before the verdict");
    assert!(html.contains("<code>confide init</code>"), "{html}");
}

#[test]
fn the_pdf_says_it_before_the_verdict() {
    if !live_prerequisite(
        which::which("pdftotext").is_ok(),
        "pdftotext (Debian package poppler-utils)",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("report.pdf");
    let out = confide(dir.path())
        .env_remove("CONFIDE_PROFILE")
        .args([
            "scan",
            "--only",
            "uptime",
            "--offline",
            "--no-history",
            "--format",
            "pdf",
            "--output",
        ])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = words(&String::from_utf8_lossy(&text.stdout));
    let at = text.find("Read this first.").expect(&text);
    assert!(
        text[at..].contains(SUPERVISOR_LEAD) && !text.contains("profile.toml"),
        "{text}"
    );
    assert!(at < text.find("The guidance, clause by clause").unwrap(), "{text}");
}

#[test]
fn with_a_profile_no_report_carries_the_notice() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    std::fs::copy(common::complete_profile(), &profile).unwrap();
    let out = confide(dir.path())
        .arg("--profile")
        .arg(&profile)
        .args([
            "scan",
            "--only",
            "uptime",
            "--offline",
            "--no-history",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report.get("no_profile").is_none(), "{report}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("no profile"));
}

#[test]
fn without_home_set_the_report_still_says_no_profile_was_read() {
    // Without HOME, confide finds the home folder from the user database (as `etcetera` does),
    // or has none at all; either way, no profile was read, and the report must say so.
    let dir = tempfile::tempdir().unwrap();
    let out = confide(dir.path())
        .env_remove("CONFIDE_CONFIG_DIR")
        .env_remove("CONFIDE_PROFILE")
        .env_remove("HOME")
        .env_remove("XDG_CONFIG_HOME")
        .args([
            "scan",
            "--only",
            "uptime",
            "--offline",
            "--no-history",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    match report["no_profile"].get("looked_at").and_then(Value::as_str) {
        Some(path) if Path::new(path).exists() => {
            eprintln!("SKIPPED: this user has a profile at {path}");
        }
        Some(path) => assert!(stderr.contains(&format!("no profile at {path}")), "{stderr}"),
        None => {
            assert!(report["no_profile"].is_object(), "{report}");
            assert!(stderr.contains("no home folder"), "{stderr}");
        }
    }
}

#[test]
fn the_scheduled_runs_latest_reports_carry_it_and_report_from_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = confide(dir.path())
        .env_remove("CONFIDE_PROFILE")
        .args(["scan", "--scheduled", "--only", "uptime", "--offline"])
        .output()
        .unwrap();
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    // The first scheduled run says it on stderr; a week like the last one prints nothing at
    // all (cron mails whatever a run prints).
    assert!(String::from_utf8_lossy(&out.stderr).contains("no profile at"));
    let again = confide(dir.path())
        .env_remove("CONFIDE_PROFILE")
        .args(["scan", "--scheduled", "--only", "uptime", "--offline"])
        .output()
        .unwrap();
    assert!(
        again.stdout.is_empty() && again.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let latest = dir.path().join("data/latest");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(latest.join("report.json")).unwrap()).unwrap();
    assert!(json["no_profile"]["looked_at"].is_string(), "{json}");
    let html = std::fs::read_to_string(latest.join("report.html")).unwrap();
    assert!(html.contains("<p class=\"caveat\">") && html.contains(LEAD), "{html}");
    let txt = std::fs::read_to_string(latest.join("report.txt")).unwrap();
    assert!(words(&txt).contains(LEAD), "{txt}");

    // The supervisor's documents made later from that JSON say it too.
    let md = confide(dir.path())
        .args(["report", "--from"])
        .arg(latest.join("report.json"))
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&md.stdout).contains("> **Read this first.**"),
        "{}",
        String::from_utf8_lossy(&md.stderr)
    );
}

#[test]
fn the_report_schema_documents_the_notice() {
    let dir = tempfile::tempdir().unwrap();
    let out = confide(dir.path()).args(["schema", "report"]).output().unwrap();
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = schema.to_string();
    assert!(schema["properties"]["no_profile"].is_object(), "{schema}");
    assert!(text.contains("without the practitioner's profile"), "{schema}");
    assert!(text.contains("Where confide looked for the profile"), "{schema}");
}

#[test]
fn redact_takes_the_users_name_out_of_the_path_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let machine = common::write_snapshot(dir.path(), "machine.json", &crate::redaction::machine());
    // Where a profile would be on that computer: the path holds the user's name.
    let config = dir.path().join("home/janedoe/.config/confide");
    std::fs::create_dir_all(&config).unwrap();
    let scan = |extra: &[&str]| {
        let out = confide(dir.path())
            .env("CONFIDE_CONFIG_DIR", &config)
            .env_remove("CONFIDE_PROFILE")
            .args(["scan", "--only", "uptime", "--format", "json", "--replay"])
            .arg(&machine)
            .args(extra)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report["no_profile"]["looked_at"].as_str().unwrap().to_string()
    };
    assert!(
        scan(&[]).contains("/home/janedoe/"),
        "the name is there without --redact"
    );
    let redacted = scan(&["--redact"]);
    assert!(!redacted.contains("janedoe"), "{redacted}");
    assert!(redacted.contains("/home/user-"), "{redacted}");
}
