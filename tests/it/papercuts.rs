//! The command line as a newcomer meets it (issue 18's papercuts): comma lists, timeouts that say
//! their range, completions that offer ids, the ICO entry beside the attestations, a replay that
//! says it is one, and profile dates and answers written the way people write them.
#![allow(clippy::disallowed_methods)] // tests start the real bash, zsh and confide (in a terminal)

use crate::common;

use std::path::{Path, PathBuf};

use common::{confide, machine_with, write_snapshot};
use confide::system::OsFamily;
use predicates::prelude::*;
use serde_json::Value;

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

/// A recorded Windows machine with Voice Activation on.
fn windows(dir: &Path) -> PathBuf {
    let s = machine_with(
        OsFamily::Windows,
        &[
            "windows/voice/voice-activation-on.toml",
            "windows/processes/stock.toml",
            "windows/processes/no-alexa-folder.toml",
        ],
    );
    write_snapshot(dir, "windows.json", &s)
}

/// `confide scan --format json --replay <windows> ARGS` with the complete profile.
fn scan_json(dir: &Path, profile: &Path, args: &[&str]) -> Value {
    let snap = windows(dir);
    let out = confide(dir)
        .env("CONFIDE_PROFILE", profile)
        .args(["scan", "--format", "json", "--replay"])
        .arg(&snap)
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out.stdout)
}

/// (check, status) of every finding.
fn statuses(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
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
fn only_and_skip_take_comma_lists_as_well_as_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let profile = common::complete_profile();
    for only in [
        &["--only", "voice-assistants,uptime"][..],
        &["--only", "voice-assistants", "uptime"],
    ] {
        let report = scan_json(dir.path(), &profile, only);
        let mut ran: Vec<String> = statuses(&report)
            .into_iter()
            .filter(|(_, s)| s != "skipped")
            .map(|(c, _)| c)
            .collect();
        ran.sort();
        assert_eq!(ran, ["uptime", "voice-assistants"], "{only:?}");
    }
    let report = scan_json(dir.path(), &profile, &["--skip", "voice-assistants,uptime"]);
    for id in ["voice-assistants", "uptime"] {
        assert_eq!(finding(&report, id)["status"], "skipped", "{id}");
    }
    assert_ne!(finding(&report, "firewall")["status"], "skipped");
    // A wrong id inside a list is still named on its own.
    confide(dir.path())
        .args(["scan", "--offline", "--only", "uptime,voice-assistant"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown check id `voice-assistant`"));
}

#[test]
fn timeouts_out_of_range_or_not_numbers_say_the_range_and_the_unit() {
    let dir = tempfile::tempdir().unwrap();
    for (cmd, flag, value, says) in [
        ("scan", "--command-timeout", "0", "0 seconds is out of range"),
        ("scan", "--check-timeout", "abc", "`abc` is not a number"),
        ("scan", "--check-timeout", "3601", "3601 seconds is out of range"),
        ("collect", "--command-timeout", "-1", "-1 seconds is out of range"),
    ] {
        let mut c = confide(dir.path());
        c.args([cmd, &format!("{flag}={value}")]);
        if cmd == "collect" {
            c.args(["--output", "x.json"]).current_dir(dir.path());
        }
        c.assert()
            .code(2)
            .stderr(predicate::str::contains(says))
            .stderr(predicate::str::contains(
                "a number of seconds greater than 0 and at most 3600",
            ))
            .stderr(predicate::str::contains("invalid float literal").not());
    }
    assert!(!dir.path().join("x.json").exists());
    // Fractions are allowed.
    let snap = windows(dir.path());
    confide(dir.path())
        .args([
            "scan",
            "--offline",
            "--command-timeout",
            "0.5",
            "--check-timeout",
            "2",
            "--only",
            "uptime",
        ])
        .arg("--replay")
        .arg(&snap)
        .assert()
        .code(0);
}

/// The generated bash completion, sourced in a real bash and asked what follows `words`.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("confide.bash");
    let out = confide(dir.path()).args(["completions", "bash"]).output().unwrap();
    std::fs::write(&script, &out.stdout).unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let (cur, prev) = (words[words.len() - 1], words[words.len() - 2]);
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; _confide confide '{cur}' '{prev}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.len() - 1
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &program])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completion_offers_check_ids_and_attestation_ids() {
    if !common::live_prerequisite(which::which("bash").is_ok(), "bash") {
        return;
    }
    for words in [
        &["confide", "scan", "--only", ""][..],
        &["confide", "scan", "--skip", ""],
    ] {
        let offered = bash_completes(words);
        for id in ["voice-assistants", "uptime", "ico-registration", "insurance"] {
            assert!(offered.iter().any(|o| o == id), "{words:?}: {offered:?}");
        }
        assert!(
            !offered.iter().any(|o| o.ends_with(".toml")),
            "no file names: {offered:?}"
        );
    }
    assert_eq!(bash_completes(&["confide", "explain", "voice"]), ["voice-assistants"]);
    let attest = bash_completes(&["confide", "attest", "i"]);
    assert_eq!(attest, ["insurance"], "only attestations after attest");
    assert!(
        bash_completes(&["confide", "attest", ""])
            .iter()
            .any(|o| o == "supervision")
    );
}

#[test]
fn zsh_completion_offers_check_ids_and_attestation_ids() {
    let dir = tempfile::tempdir().unwrap();
    let out = confide(dir.path()).args(["completions", "zsh"]).output().unwrap();
    let script = String::from_utf8(out.stdout).unwrap();
    // An argument's spec, from its opening quote to the end of its list of values (several lines).
    let spec = |starts: &str| -> String {
        let at = script
            .find(&format!("\n{starts}"))
            .unwrap_or_else(|| panic!("no {starts} in the zsh completion"));
        let rest = &script[at..];
        rest[..rest.find("))").map_or(rest.len(), |end| end + 2)].to_string()
    };
    for flag in ["'*--only=", "'*--skip="] {
        let line = spec(flag);
        assert!(
            line.contains(":ID:((") && line.contains("voice-assistants\\:") && line.contains("insurance\\:"),
            "{line}"
        );
    }
    let attest = spec("'::id -- The attestation to confirm");
    assert!(
        attest.contains("insurance\\:") && !attest.contains("voice-assistants"),
        "{attest}"
    );
    assert!(spec("':id -- The check id").contains("voice-assistants\\:"));
    if common::live_prerequisite(which::which("zsh").is_ok(), "zsh") {
        let file = dir.path().join("_confide");
        std::fs::write(&file, &script).unwrap();
        let check = std::process::Command::new("zsh").arg("-n").arg(&file).output().unwrap();
        assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    }
}

#[test]
fn attest_points_the_ico_entry_to_init_and_lists_it() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    confide(dir.path())
        .args(["attest", "ico-registration", "--profile"])
        .arg(&profile)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "confide init --ico-number ZA123456 --ico-expiry 2027-03-31",
        ))
        .stderr(predicate::str::contains("no attestation").not());
    assert!(!profile.exists(), "nothing written");
    confide(dir.path())
        .args(["attest", "firewall", "--profile"])
        .arg(&profile)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("checked on this computer"));

    let list = |dir: &Path| {
        let out = confide(dir)
            .args(["attest", "--list", "--profile"])
            .arg(&profile)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let before = list(dir.path());
    let line = before
        .lines()
        .find(|l| l.starts_with("ico-registration"))
        .expect(&before);
    assert!(line.contains("needed") && line.contains("not recorded"), "{line}");
    confide(dir.path())
        .args([
            "init",
            "--ico-number",
            "ZA081798",
            "--ico-expiry",
            "2099-03-31",
            "--profile",
        ])
        .arg(&profile)
        .assert()
        .code(0);
    let after = list(dir.path());
    let line = after.lines().find(|l| l.starts_with("ico-registration")).expect(&after);
    assert!(
        line.contains(" ok ") && line.contains("ZA081798, ends 2099-03-31"),
        "{line}"
    );
}

#[test]
fn a_replayed_report_says_so_in_the_header_and_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let profile = common::complete_profile();
    let report = scan_json(dir.path(), &profile, &["--only", "uptime"]);
    assert_eq!(report["replay"]["snapshot"], "windows.json");
    assert_eq!(report["replay"]["collected_at"], "2026-11-22T12:00:00Z");
    let redacted = scan_json(dir.path(), &profile, &["--only", "uptime", "--redact"]);
    assert!(redacted["replay"].get("snapshot").is_none(), "{}", redacted["replay"]);
    assert_eq!(redacted["replay"]["collected_at"], "2026-11-22T12:00:00Z");

    let snap = windows(dir.path());
    let out = confide(dir.path())
        .env("CONFIDE_PROFILE", &profile)
        .args(["scan", "--only", "uptime", "--replay"])
        .arg(&snap)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let header: Vec<&str> = text.lines().take(4).collect();
    assert!(
        header
            .iter()
            .any(|l| l.contains("REPLAY") && l.contains("windows.json") && l.contains("2026-11-22 12:00 UTC")),
        "{header:?}"
    );

    let schema = json(
        &confide(dir.path())
            .args(["schema", "report"])
            .assert()
            .code(0)
            .get_output()
            .stdout,
    );
    assert!(
        schema["properties"].get("replay").is_some(),
        "the schema has the replay field"
    );
    let required = schema["required"].as_array().unwrap();
    assert!(!required.iter().any(|r| r == "replay"), "and it is optional");
}

/// A profile file in `dir` with `text`.
fn profile_file(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("profile.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn scan_profile(dir: &Path, profile: &Path, only: &str) -> std::process::Output {
    let snap = windows(dir);
    confide(dir)
        .args(["scan", "--format", "json", "--only", only, "--profile"])
        .arg(profile)
        .arg("--replay")
        .arg(&snap)
        .output()
        .unwrap()
}

#[test]
fn a_day_first_date_gets_the_exact_fix_and_init_mends_it() {
    let dir = tempfile::tempdir().unwrap();
    for text in [
        "[ico]\nnumber = \"ZA081798\"\nexpires = 31/03/2027\n",
        "[ico]\nnumber = \"ZA081798\"\nexpires = \"31/03/2027\"\n",
    ] {
        let profile = profile_file(dir.path(), text);
        let out = scan_profile(dir.path(), &profile, "ico-registration");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("profile.toml:3:11")
                && err.contains("31 March 2027")
                && err.contains("`expires = 2027-03-31`")
                && err.contains("confide init"),
            "{err}"
        );
        assert!(
            !err.contains("must be quoted") && !err.contains("TOML datetime"),
            "{err}"
        );

        // The `confide init` the message suggests works on that very file, and says what it read.
        confide(dir.path())
            .args(["init", "--confirm", "training", "--profile"])
            .arg(&profile)
            .assert()
            .code(0)
            .stderr(predicate::str::contains("read `31/03/2027` as 31 March 2027"));
        let mended = std::fs::read_to_string(&profile).unwrap();
        assert!(mended.contains("expires = 2027-03-31\n"), "{mended}");
        let out = scan_profile(dir.path(), &profile, "ico-registration");
        assert_eq!(
            finding(&json(&out.stdout), "ico-registration")["status"],
            "pass",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn quoted_iso_dates_and_capitalised_answers_are_understood() {
    let dir = tempfile::tempdir().unwrap();
    let profile = profile_file(
        dir.path(),
        "[ico]\nnumber = \"ZA081798\"\nexpires = \"2027-06-30\"\n\n[attestations.insurance]\nanswer = \"Yes\"\nconfirmed = \"2026-11-01\"\nrenewal = 2027-10-01\n\n[attestations.training]\nanswer = \" NO \"\nconfirmed = 2026-11-01\n",
    );
    let out = scan_profile(dir.path(), &profile, "ico-registration,insurance,training");
    let report = json(&out.stdout);
    assert_eq!(finding(&report, "ico-registration")["status"], "pass");
    assert_eq!(finding(&report, "insurance")["status"], "pass");
    assert_ne!(finding(&report, "training")["status"], "pass", "\"NO\" is no");
}

#[test]
fn the_mail_fix_does_not_ask_to_add_an_address_already_there() {
    let dir = tempfile::tempdir().unwrap();
    let profile = common::complete_profile();
    assert!(
        std::fs::read_to_string(&profile)
            .unwrap()
            .contains("practice@example.org")
    );
    let report = scan_json(dir.path(), &profile, &["--only", "mail-encryption"]);
    let f = finding(&report, "mail-encryption");
    let steps = f["fix_steps"].as_array().unwrap();
    assert!(!steps.is_empty(), "{f}");
    for step in steps {
        let step = step.as_str().unwrap();
        assert!(!step.contains("Add your address"), "{step}");
    }
    assert!(
        steps
            .iter()
            .any(|s| s.as_str().unwrap().contains("every address you use"))
    );
}

#[cfg(unix)]
#[test]
fn init_says_what_it_expects_when_enter_is_pressed_on_an_empty_date() {
    use rexpect::session::spawn_command;
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("confide"));
    cmd.args(["init", "--profile"])
        .arg(&profile)
        .env("CONFIDE_CONFIG_DIR", dir.path())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();
    let answer = |p: &mut rexpect::session::PtySession, text: &str| {
        p.send(&format!("{text}\r")).unwrap();
        p.flush().unwrap();
    };
    // Who the report is about: optional, left empty.
    for question in ["Your name", "membership number", "supervisor's name"] {
        p.exp_string(question).unwrap();
        answer(&mut p, "");
    }
    p.exp_string("Email addresses").unwrap();
    answer(&mut p, "");
    p.exp_string("registered with the ICO").unwrap();
    answer(&mut p, "");
    p.exp_string("registration number").unwrap();
    answer(&mut p, "");
    p.exp_string("type your ICO registration number").unwrap();
    answer(&mut p, "ZA081798");
    p.exp_string("registration ends").unwrap();
    answer(&mut p, "");
    p.exp_string("type a date as YYYY-MM-DD").unwrap();
    answer(&mut p, "31/03/2099");
    p.exp_string("for 31 March 2099, type 2099-03-31").unwrap();
    answer(&mut p, "2099-03-31");
    for question in [
        "report a data breach",
        "contract for working online",
        "indemnity insurance",
    ] {
        p.exp_string(question).unwrap();
        answer(&mut p, "");
    }
    p.exp_string("renewal date").unwrap();
    answer(&mut p, "");
    p.exp_string("type a date as YYYY-MM-DD").unwrap();
    answer(&mut p, "2099-04-01");
    for question in ["private room", "supervisor", "training", "video platform"] {
        p.exp_string(question).unwrap();
        answer(&mut p, "");
    }
    p.exp_string("saved your profile").unwrap();
    p.exp_eof().unwrap();
    let saved = std::fs::read_to_string(&profile).unwrap();
    assert!(
        saved.contains("expires = 2099-03-31") && saved.contains("renewal = 2099-04-01"),
        "{saved}"
    );
}
