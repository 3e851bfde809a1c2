//! The profile: `confide init` (flags and a real pseudo-terminal), `confide attest`, bad profiles,
//! an organisation's own attestation, and how a scan shows what the practitioner confirmed.
#![allow(clippy::disallowed_methods)] // tests read the real clock to date live answers

use crate::common;

use std::path::Path;

use common::confide;
use jiff::civil::Date;
use predicates::prelude::*;
use serde_json::Value;

fn today() -> Date {
    jiff::Zoned::now().date()
}

fn in_days(n: i64) -> String {
    today().checked_add(jiff::Span::new().days(n)).unwrap().to_string()
}

fn scan(dir: &Path, profile: &Path, extra: &[&str]) -> Value {
    let out = confide(dir)
        .args(["scan", "--format", "json", "--profile"])
        .arg(profile)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn finding<'a>(report: &'a Value, check: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == check)
        .unwrap_or_else(|| panic!("no {check}"))
}

#[test]
fn init_by_flags_writes_a_profile_the_scan_reads() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    confide(dir.path())
        .args(["init", "--profile"])
        .arg(&profile)
        .args([
            "--email",
            "jo@example.org",
            "--ico-number",
            "za081798",
            "--ico-expiry",
            &in_days(200),
        ])
        .args([
            "--confirm",
            "insurance",
            "--insurance-renewal",
            &in_days(100),
            "--deny",
            "training",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("saved your profile"));
    let text = std::fs::read_to_string(&profile).unwrap();
    assert!(
        text.contains("number = \"ZA081798\""),
        "numbers are stored in capitals:\n{text}"
    );

    let report = scan(dir.path(), &profile, &[]);
    let ico = finding(&report, "ico-registration");
    assert_eq!(
        (ico["status"].as_str(), ico["basis"].as_str()),
        (Some("pass"), Some("you"))
    );
    assert_eq!(ico["confirmed_on"], today().to_string());
    assert_eq!(finding(&report, "insurance")["status"], "pass");
    let training = finding(&report, "training");
    assert_eq!(
        (training["check_status"].as_str(), training["reason"].as_str()),
        (Some("fail"), Some("training.answered-no"))
    );
    assert_eq!(training["status"], "warn", "training is recommended, so a no warns");
    let breach = finding(&report, "breach-plan");
    assert_eq!(
        (breach["status"].as_str(), breach["reason"].as_str()),
        (Some("fail"), Some("breach-plan.not-confirmed"))
    );
    assert_eq!(finding(&report, "uptime")["basis"], "computer");
}

#[test]
fn rerunning_init_keeps_earlier_answers_and_comments() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    confide(dir.path())
        .args(["init", "--profile"])
        .arg(&profile)
        .args(["--email", "jo@example.org", "--confirm", "supervision"])
        .assert()
        .code(0);
    let mut text = std::fs::read_to_string(&profile).unwrap();
    text.push_str("# my own note\n");
    std::fs::write(&profile, &text).unwrap();
    confide(dir.path())
        .args(["init", "--profile"])
        .arg(&profile)
        .args(["--ico-exempt", "paper records only"])
        .assert()
        .code(0);
    let text = std::fs::read_to_string(&profile).unwrap();
    assert!(
        text.contains("jo@example.org")
            && text.contains("[attestations.supervision]")
            && text.contains("# my own note"),
        "{text}"
    );
    assert!(text.contains("exempt = \"paper records only\""), "{text}");
    let report = scan(dir.path(), &profile, &["--only", "ico-registration"]);
    let ico = finding(&report, "ico-registration");
    assert_eq!(ico["reason"], "ico-registration.exempt");
    assert!(ico["summary"].as_str().unwrap().contains("paper records only"));
}

#[test]
fn init_without_a_terminal_or_flags_says_what_to_pass() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    confide(dir.path())
        .args(["init", "--profile"])
        .arg(&profile)
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--ico-number")
                .and(predicate::str::contains("no terminal").or(predicate::str::contains("there is none"))),
        );
    assert!(!profile.exists(), "nothing is written");
}

#[test]
fn init_rejects_bad_answers_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    let bad: [(&[&str], &str); 4] = [
        (&["--ico-number", "Z12345"], "not an ICO registration number"),
        (
            &["--ico-expiry", "2026-02-30"],
            "--ico-expiry: `2026-02-30` is not a date",
        ),
        (&["--email", "jo.example.org"], "not an email address"),
        (&["--confirm", "insurence"], "there is no attestation `insurence`"),
    ];
    for (args, words) in bad {
        confide(dir.path())
            .args(["init", "--profile"])
            .arg(&profile)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(words));
    }
    assert!(!profile.exists());
}

#[test]
fn attest_confirms_withdraws_and_lists() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    let attest = |args: &[&str]| {
        confide(dir.path())
            .arg("attest")
            .args(args)
            .arg("--profile")
            .arg(&profile)
            .assert()
    };
    attest(&["insurance", "--renewal", &in_days(20)])
        .code(0)
        .stderr(predicate::str::contains("Renewal is due"));
    attest(&["supervision", "--date", &in_days(-400)])
        .code(0)
        .stderr(predicate::str::contains("Last confirmed"));
    attest(&["video-platform", "--note", "Zoom healthcare, DPA signed"]).code(0);
    attest(&["private-space", "--no"]).code(0);
    attest(&["--list"])
        .code(0)
        .stdout(predicate::str::is_match(r"(?m)^insurance +look again +yes on").unwrap())
        .stdout(predicate::str::is_match(r"(?m)^private-space +needed +no on").unwrap())
        .stdout(predicate::str::is_match(r"(?m)^training +needed +not answered").unwrap());
    attest(&["insurence"])
        .code(2)
        .stderr(predicate::str::contains("there is no attestation"));
    attest(&["training", "--date", "2026-02-30"])
        .code(2)
        .stderr(predicate::str::contains("--date"));
    attest(&["training", "--date", &in_days(5)])
        .code(2)
        .stderr(predicate::str::contains("in the future"));

    let report = scan(dir.path(), &profile, &[]);
    assert_eq!(finding(&report, "insurance")["reason"], "insurance.renewal-due");
    assert_eq!(finding(&report, "supervision")["reason"], "supervision.stale");
    let video = finding(&report, "video-platform");
    assert!(
        video["evidence"].to_string().contains("Zoom healthcare, DPA signed"),
        "{video}"
    );
}

#[test]
fn the_terminal_report_separates_the_computer_from_your_word() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    confide(dir.path())
        .arg("attest")
        .arg("training")
        .arg("--profile")
        .arg(&profile)
        .assert()
        .code(0);
    let out = confide(dir.path())
        .args(["scan", "--profile"])
        .arg(&profile)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let computer = text.find("── Checked on this computer ──").expect("computer section");
    let you = text.find("── Confirmed by you ──").expect("your section");
    let training = text.find("Training for online work").unwrap();
    let uptime = text.find("Computer is shut down").unwrap();
    assert!(computer < uptime && uptime < you && you < training, "{text}");
    assert!(text.contains(&format!("Confirmed by you on {}", today())), "{text}");
}

#[test]
fn a_broken_profile_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    let cases = [
        ("emails = [\"jo@example.org\"\n[ico]\n", "profile.toml:2:"),
        (
            "[ico]\nnumber = \"ZA081798\"\nexpiry = 2027-01-01\n",
            "profile.toml:3:1",
        ),
        (
            "[attestations.insurance]\nanswer = \"yes\"\nconfirmed = 2026-02-30\n",
            "profile.toml:3:",
        ),
    ];
    for (text, place) in cases {
        std::fs::write(&profile, text).unwrap();
        let out = confide(dir.path())
            .args(["scan", "--profile"])
            .arg(&profile)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(place) && err.contains("help:"), "{text:?}:\n{err}");
    }
    // An explicit profile that does not exist is a mistake, not an empty profile.
    confide(dir.path())
        .args(["scan", "--profile"])
        .arg(dir.path().join("nope.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("confide init"));
}

#[test]
fn an_organisation_adds_its_own_attestation() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("checks")).unwrap();
    std::fs::write(
        dir.path().join("checks/dbs-check.toml"),
        "id = \"dbs-check\"\ntitle = \"DBS check is current\"\nwhat = \"w\"\nwhy = \"y\"\nfix_all = [\"Renew your DBS check.\"]\n[probe]\nkind = \"attestation\"\nquestion = \"Is your DBS check current?\"\nmax_age_days = 1095\non_failure = \"warn\"\n",
    )
    .unwrap();
    let profile = dir.path().join("profile.toml");
    std::fs::write(&profile, "").unwrap();
    confide(dir.path())
        .args(["attest", "--list", "--profile"])
        .arg(&profile)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Is your DBS check current?"));
    let report = scan(dir.path(), &profile, &["--only", "dbs-check"]);
    let f = finding(&report, "dbs-check");
    assert_eq!((f["status"].as_str(), f["basis"].as_str()), (Some("warn"), Some("you")));
    assert_eq!(f["remediation"], "1. Renew your DBS check.");
    confide(dir.path())
        .args(["attest", "dbs-check", "--profile"])
        .arg(&profile)
        .assert()
        .code(0);
    assert_eq!(
        finding(&scan(dir.path(), &profile, &["--only", "dbs-check"]), "dbs-check")["status"],
        "pass"
    );
}

#[cfg(unix)]
#[test]
fn init_asks_in_a_terminal_and_keeps_answers_when_run_again() {
    use rexpect::session::spawn_command;
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    let bin = assert_cmd::cargo::cargo_bin("confide");
    let session = |profile: &Path| {
        let mut cmd = std::process::Command::new(&bin);
        cmd.args(["init", "--profile"])
            .arg(profile)
            .env("CONFIDE_CONFIG_DIR", dir.path())
            .env("NO_COLOR", "1")
            .env("TERM", "xterm");
        spawn_command(cmd, Some(20_000)).unwrap()
    };
    // Types into the terminal and presses Enter.
    fn answer(p: &mut rexpect::session::PtySession, text: &str) {
        p.send(&format!("{text}\r")).unwrap();
        p.flush().unwrap();
    }

    let mut p = session(&profile);
    p.exp_string("Your name").unwrap();
    answer(&mut p, "Jo Smith");
    p.exp_string("membership number").unwrap();
    answer(&mut p, "BACP 012345");
    p.exp_string("supervisor's name").unwrap();
    answer(&mut p, "");
    p.exp_string("Email addresses").unwrap();
    answer(&mut p, "jo@example.org");
    p.exp_string("registered with the ICO").unwrap();
    answer(&mut p, ""); // "Yes, I have a registration number"
    p.exp_string("registration number").unwrap();
    answer(&mut p, "ZA081798");
    p.exp_string("registration ends").unwrap();
    answer(&mut p, &in_days(300));
    // The attestations, in id order; "Yes (confirm today)" is the first choice.
    for question in [
        "report a data breach",
        "contract for working online",
        "indemnity insurance",
    ] {
        p.exp_string(question).unwrap();
        answer(&mut p, "");
    }
    p.exp_string("renewal date").unwrap();
    answer(&mut p, &in_days(250));
    for question in ["private room", "supervisor", "training", "video platform"] {
        p.exp_string(question).unwrap();
        answer(&mut p, "");
    }
    p.exp_string("saved your profile").unwrap();
    p.exp_eof().unwrap();

    let first = std::fs::read_to_string(&profile).unwrap();
    assert!(
        first.contains("ZA081798")
            && first.contains("jo@example.org")
            && first.contains("name = \"Jo Smith\"")
            && first.contains("membership = \"BACP 012345\"")
            && first.contains("[attestations.video-platform]"),
        "{first}"
    );

    // Again, pressing Enter everywhere: every earlier answer is offered and kept.
    let mut p = session(&profile);
    p.exp_string("Jo Smith").unwrap();
    answer(&mut p, "");
    p.exp_string("BACP 012345").unwrap();
    answer(&mut p, "");
    p.exp_string("supervisor's name").unwrap();
    answer(&mut p, "");
    p.exp_string("jo@example.org").unwrap();
    answer(&mut p, "");
    p.exp_string("registered with the ICO").unwrap();
    answer(&mut p, "");
    p.exp_string("registration number").unwrap();
    answer(&mut p, "");
    p.exp_string("registration ends").unwrap();
    answer(&mut p, "");
    for question in [
        "report a data breach",
        "contract for working online",
        "indemnity insurance",
        "private room",
        "supervisor",
        "training",
        "video platform",
    ] {
        p.exp_string(question).unwrap();
        p.exp_string("Keep my answer").unwrap();
        answer(&mut p, "");
    }
    p.exp_string("saved your profile").unwrap();
    p.exp_eof().unwrap();
    let report = scan(dir.path(), &profile, &[]);
    for id in ["ico-registration", "insurance", "breach-plan", "video-platform"] {
        assert_eq!(finding(&report, id)["status"], "pass", "{id}");
    }
}
