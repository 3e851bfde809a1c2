//! The confide binary: exit codes, bad input, declarative checks and the smaller commands.

use crate::common;

use std::path::Path;

use common::{confide, machine_with, write_snapshot};
use confide::system::OsFamily;
use predicates::prelude::*;
use serde_json::Value;

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

fn finding<'a>(report: &'a Value, check: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == check)
        .unwrap_or_else(|| panic!("no {check}"))
}

fn windows_listening(dir: &Path) -> std::path::PathBuf {
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

/// The default policy with the listening-devices clause made `required`.
fn strict_policy(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/bacp-working-online.toml"))
        .unwrap();
    let text = text.replacen("id = \"bacp-working-online\"", "id = \"strict\"", 1);
    let marker = "id = \"listening-devices\"";
    let (head, tail) = text.split_at(text.find(marker).unwrap());
    let tail = tail.replacen("severity = \"recommended\"", "severity = \"required\"", 1);
    let path = dir.join("strict.toml");
    std::fs::write(&path, format!("{head}{tail}")).unwrap();
    path
}

#[test]
fn a_failing_recommended_check_warns_and_exits_0_unless_fail_on_warn() {
    let dir = tempfile::tempdir().unwrap();
    let snap = windows_listening(dir.path());
    let out = confide(dir.path())
        .env("CONFIDE_PROFILE", common::complete_profile())
        .args(["scan", "--format", "json", "--replay"])
        .arg(&snap)
        .assert()
        .code(0);
    let report = json(&out.get_output().stdout);
    let f = finding(&report, "voice-assistants");
    assert_eq!(
        (f["status"].as_str(), f["check_status"].as_str()),
        (Some("warn"), Some("fail"))
    );
    assert_eq!(report["overall"], "warn");
    confide(dir.path())
        .env("CONFIDE_PROFILE", common::complete_profile())
        .args(["scan", "--fail-on", "warn", "--replay"])
        .arg(&snap)
        .assert()
        .code(1);
}

#[test]
fn a_failing_required_check_fails_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let snap = windows_listening(dir.path());
    let policy = strict_policy(dir.path());
    let out = confide(dir.path())
        .env("CONFIDE_PROFILE", common::complete_profile())
        .args(["scan", "--format", "json", "--policy"])
        .arg(&policy)
        .arg("--replay")
        .arg(&snap)
        .assert()
        .code(1);
    let report = json(&out.get_output().stdout);
    assert_eq!(finding(&report, "voice-assistants")["status"], "fail");
    assert_eq!(report["policy"]["id"], "strict");
}

#[test]
fn the_terminal_report_shows_the_fix_for_this_os_and_the_guidance() {
    let dir = tempfile::tempdir().unwrap();
    let snap = windows_listening(dir.path());
    confide(dir.path())
        .env("CONFIDE_PROFILE", common::complete_profile())
        .args(["scan", "--replay"])
        .arg(&snap)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("How to fix it on Windows:"))
        .stdout(predicate::str::contains("ms-settings:privacy-voiceactivation"))
        .stdout(predicate::str::contains("System Settings").not())
        .stdout(predicate::str::contains(
            "“turn off all listening devices such as Alexa and Siri”",
        ))
        .stdout(predicate::str::contains("Not assessed yet"))
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn colour_is_forced_by_the_flag_even_into_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let snap = windows_listening(dir.path());
    confide(dir.path())
        .env("CONFIDE_PROFILE", common::complete_profile())
        .env_remove("NO_COLOR")
        .args(["scan", "--color", "always", "--replay"])
        .arg(&snap)
        .assert()
        .stdout(predicate::str::contains("\x1b["));
    confide(dir.path())
        .env("CONFIDE_PROFILE", common::complete_profile())
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["scan", "--replay"])
        .arg(&snap)
        .assert()
        .stdout(predicate::str::contains("\x1b["));
}

/// A `checks/` folder in `dir` holding the given files; returns the folder.
fn checks_dir(dir: &Path, files: &[(&str, &str)]) -> std::path::PathBuf {
    let checks = dir.join("checks");
    std::fs::create_dir_all(&checks).unwrap();
    for (name, text) in files {
        std::fs::write(checks.join(name), text).unwrap();
    }
    checks
}

fn assert_input_error(assert: assert_cmd::assert::Assert, location: &str, words: &str) {
    let out = assert.code(2).get_output().clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(location), "expected {location} in:\n{err}");
    assert!(err.contains(words), "expected {words:?} in:\n{err}");
    assert!(err.contains("help:"), "no help in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_policy_with_a_toml_syntax_error_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("broken.toml");
    std::fs::write(&policy, "id = \"broken\"\ntitle = \"t\nversion = \"1\"\n").unwrap();
    let a = confide(dir.path()).args(["scan", "--policy"]).arg(&policy).assert();
    assert_input_error(a, &format!("{}:2:", policy.display()), "");
}

#[test]
fn a_policy_with_an_unknown_check_id_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/bacp-working-online.toml"))
        .unwrap()
        .replacen("checks = [\"voice-assistants\", ", "checks = [\"voice-assistant\", ", 1);
    let line = text.lines().position(|l| l.contains("voice-assistant\"")).unwrap() + 1;
    let policy = dir.path().join("typo.toml");
    std::fs::write(&policy, text).unwrap();
    let a = confide(dir.path()).args(["scan", "--policy"]).arg(&policy).assert();
    assert_input_error(
        a,
        &format!("{}:{line}:11", policy.display()),
        "unknown check id `voice-assistant`",
    );
}

#[test]
fn a_snapshot_with_the_wrong_schema_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("old.json");
    std::fs::write(&snap, "{\n  \"schema\": \"confide-snapshot/0\",\n  \"os\": {}\n}\n").unwrap();
    let a = confide(dir.path()).args(["scan", "--replay"]).arg(&snap).assert();
    assert_input_error(a, &format!("{}:2:13", snap.display()), "not a confide snapshot");
}

#[test]
fn a_declarative_check_with_a_bad_regex_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let checks = checks_dir(
        dir.path(),
        &[(
            "bad.toml",
            "id = \"bad-regex\"\ntitle = \"t\"\nwhat = \"w\"\nwhy = \"y\"\n\n[probe]\nkind = \"command\"\nprogram = \"true\"\nstdout_regex = \"(unclosed\"\n",
        )],
    );
    let file = checks.join("bad.toml");
    let a = confide(dir.path()).args(["scan", "--checks-dir"]).arg(&checks).assert();
    assert_input_error(a, &format!("{}:9:16", file.display()), "invalid regular expression");
}

#[test]
fn an_unknown_check_in_only_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    confide(dir.path())
        .args(["scan", "--only", "voice"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown check id `voice`").and(predicate::str::contains("voice-assistants")));
}

#[test]
fn a_report_that_cannot_be_written_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let snap = windows_listening(dir.path());
    confide(dir.path())
        .env("CONFIDE_PROFILE", common::complete_profile())
        .args(["scan", "--replay"])
        .arg(&snap)
        .arg("--output")
        .arg(dir.path().join("no-such-folder/report.txt"))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("the folder"))
        .stderr(predicate::str::contains("does not exist"));
}

#[test]
fn the_report_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let snap = windows_listening(dir.path());
    let out = dir.path().join("report.json");
    confide(dir.path())
        .env("CONFIDE_PROFILE", common::complete_profile())
        .args(["scan", "--format", "json", "--replay"])
        .arg(&snap)
        .arg("--output")
        .arg(&out)
        .assert()
        .code(0);
    let report = json(&std::fs::read(&out).unwrap());
    assert_eq!(report["schema"], "confide-report/1");
}

#[cfg(unix)]
#[test]
fn a_hung_declarative_command_is_unknown_and_the_scan_completes() {
    let dir = tempfile::tempdir().unwrap();
    let checks = checks_dir(
        dir.path(),
        &[(
            "hangs.toml",
            "id = \"hangs\"\ntitle = \"Hangs\"\nwhat = \"w\"\nwhy = \"y\"\n[probe]\nkind = \"command\"\nprogram = \"sleep\"\nargs = [\"60\"]\n",
        )],
    );
    let started = std::time::Instant::now();
    let out = confide(dir.path())
        .args(["scan", "--format", "json", "--checks-dir"])
        .arg(&checks)
        .assert();
    // Not a speed assertion: a scan that waited for `sleep 60` would take a minute.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(40),
        "the scan waited for the hung command"
    );
    let report = json(&out.get_output().stdout);
    let f = finding(&report, "hangs");
    assert_eq!(f["status"], "unknown");
    assert!(f["summary"].as_str().unwrap().contains("timed out after 5 s"), "{f}");
    assert_eq!(
        finding(&report, "uptime")["check_status"]
            .as_str()
            .map(|s| s != "unknown"),
        Some(true)
    );
}

#[cfg(unix)]
#[test]
fn declarative_probes_inspect_real_commands_files_and_processes() {
    let dir = tempfile::tempdir().unwrap();
    let checks = checks_dir(dir.path(), &[]);
    let notes = dir.path().join("settings.conf");
    std::fs::write(&notes, "backup=on\nencrypt = yes\n").unwrap();
    let probe = |id: &str, body: &str| {
        std::fs::write(
            checks.join(format!("{id}.toml")),
            format!("id = \"{id}\"\ntitle = \"{id}\"\nwhat = \"w\"\nwhy = \"y\"\n[probe]\n{body}\n"),
        )
        .unwrap();
    };
    probe(
        "cmd-ok",
        "kind = \"command\"\nprogram = \"sh\"\nargs = [\"-c\", \"echo Status: active\"]\nstdout_regex = '^Status: active$'",
    );
    probe(
        "cmd-bad-status",
        "kind = \"command\"\nprogram = \"sh\"\nargs = [\"-c\", \"exit 3\"]\non_failure = \"warn\"",
    );
    probe("cmd-missing", "kind = \"command\"\nprogram = \"confide-no-such-tool\"");
    probe(
        "file-ok",
        &format!(
            "kind = \"file\"\npath = '{}'\ncontains = 'encrypt\\s*=\\s*yes'",
            notes.display()
        ),
    );
    probe("file-missing", "kind = \"file\"\npath = '/nonexistent/confide/file'");
    probe(
        "file-absent-ok",
        "kind = \"file\"\npath = '/nonexistent/confide/file'\nexists = false",
    );
    probe(
        "proc-absent",
        "kind = \"process\"\nnames = [\"confide-no-such-daemon\"]\nrunning = false",
    );
    probe(
        "proc-wanted",
        "kind = \"process\"\nnames = [\"confide-no-such-daemon\"]",
    );
    probe("other-os", "kind = \"command\"\nprogram = \"sh\"\nos = [\"windows\"]");

    let out = confide(dir.path())
        .args(["scan", "--format", "json", "--checks-dir"])
        .arg(&checks)
        .assert();
    let report = json(&out.get_output().stdout);
    let expect = [
        ("cmd-ok", "pass"),
        ("cmd-bad-status", "warn"),
        ("cmd-missing", "unknown"),
        ("file-ok", "pass"),
        ("file-missing", "fail"),
        ("file-absent-ok", "pass"),
        ("proc-absent", "pass"),
        ("proc-wanted", "fail"),
        ("other-os", "skipped"),
    ];
    for (id, status) in expect {
        let f = finding(&report, id);
        assert_eq!(f["status"], status, "{id}: {f}");
        assert_eq!(f["guidance"].as_array().map(Vec::len), Some(0), "{id} is in no clause");
    }
    assert!(
        finding(&report, "file-ok")["evidence"][0]
            .as_str()
            .unwrap()
            .contains("encrypt = yes")
    );
    assert_eq!(
        out.get_output().status.code(),
        Some(1),
        "proc-wanted and file-missing fail"
    );
}

#[test]
fn a_probe_field_of_another_kind_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let checks = checks_dir(
        dir.path(),
        &[(
            "mixed.toml",
            "id = \"mixed\"\ntitle = \"t\"\nwhat = \"w\"\nwhy = \"y\"\n[probe]\nkind = \"file\"\npath = \"/x\"\nnames = [\"a\"]\n",
        )],
    );
    let file = checks.join("mixed.toml");
    let a = confide(dir.path())
        .args(["checks", "--checks-dir"])
        .arg(&checks)
        .assert();
    assert_input_error(
        a,
        &format!("{}:8:9", file.display()),
        "`names` belongs to a process probe",
    );
}

#[test]
fn a_check_file_in_the_config_dir_rewords_a_builtin_check() {
    let dir = tempfile::tempdir().unwrap();
    checks_dir(
        dir.path(),
        &[(
            "uptime.toml",
            "id = \"uptime\"\ntitle = \"Shut down nightly (practice rule)\"\nwhat = \"w\"\nwhy = \"y\"\n[fix]\nlinux = [\"Shut down.\"]\n",
        )],
    );
    confide(dir.path())
        .arg("checks")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Shut down nightly (practice rule)"));
}

#[test]
fn checks_lists_every_check_with_its_oses() {
    let dir = tempfile::tempdir().unwrap();
    confide(dir.path())
        .arg("checks")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("Checked on this computer:\n"))
        .stdout(predicate::str::is_match("(?m)^  uptime +Computer is shut down when you are not working$").unwrap())
        .stdout(
            predicate::str::is_match("(?ms)^Confirmed by you:\n.*^  insurance +Insurance covers online work$").unwrap(),
        )
        .stdout(predicate::str::contains("unless it says otherwise"))
        .stdout(predicate::function(|out: &str| {
            out.lines().all(|l| l.chars().count() <= 80)
        }))
        .stdout(predicate::str::contains("built-in").not())
        .stdout(predicate::str::contains("declarative").not());
}

#[test]
fn checks_says_where_a_check_runs_when_not_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let checks = checks_dir(
        dir.path(),
        &[(
            "notes-app.toml",
            "id = \"notes-app\"\ntitle = \"Notes app installed\"\nwhat = \"w\"\nwhy = \"y\"\n[probe]\nkind = \"command\"\nprogram = \"sh\"\nos = [\"windows\"]\n",
        )],
    );
    confide(dir.path())
        .args(["checks", "--checks-dir"])
        .arg(&checks)
        .assert()
        .code(0)
        .stdout(predicate::str::is_match("(?m)^  notes-app +Notes app installed \\(Windows only\\)$").unwrap());
}

#[test]
fn explain_has_the_fixed_sections_and_the_guidance() {
    let dir = tempfile::tempdir().unwrap();
    confide(dir.path())
        .args(["explain", "uptime"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("## What it checks"))
        .stdout(predicate::str::contains("## Why it matters"))
        .stdout(predicate::str::contains("## How to fix it\nHow to fix it on Linux:"))
        .stdout(predicate::str::contains(
            "- 7 days: warn when the computer has run longer than this many days",
        ))
        .stdout(predicate::str::contains("(`uptime.max_days`)"))
        .stdout(predicate::str::contains(
            "Why: confide's choice, as the guidance sets no number:",
        ))
        .stdout(predicate::str::contains(
            "— British Association for Counselling and Psychotherapy (2020)",
        ))
        .stdout(predicate::str::contains("password-protect-and-turn-off (required)"));
    confide(dir.path()).args(["explain", "nope"]).assert().code(2);
}

#[test]
fn policies_are_listed_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    confide(dir.path())
        .arg("policies")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("bacp-working-online"));
    confide(dir.path())
        .args(["policies", "show", "bacp-working-online"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("[listening-devices]"))
        .stdout(predicate::str::contains("Checked by: mail-encryption"))
        .stdout(predicate::str::contains(
            "[ico-registration] required: Security and data protection: you must\n",
        ))
        .stdout(predicate::str::contains("Office” [sic]\n  — British Association"))
        .stdout(predicate::str::contains("(must)").not())
        .stdout(predicate::str::contains(".txt").not());
    confide(dir.path())
        .args(["policies", "show", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope: no policy has this name"));
}

#[test]
fn schemas_describe_the_contract_keys() {
    let dir = tempfile::tempdir().unwrap();
    let report = json(
        &confide(dir.path())
            .args(["schema", "report"])
            .assert()
            .code(0)
            .get_output()
            .stdout,
    );
    let props = report["properties"].as_object().unwrap();
    for key in [
        "schema",
        "tool",
        "generated_at",
        "policy",
        "host",
        "overall",
        "counts",
        "findings",
    ] {
        assert!(props.contains_key(key), "report schema lacks {key}");
    }
    let snap = json(
        &confide(dir.path())
            .args(["schema", "snapshot"])
            .assert()
            .code(0)
            .get_output()
            .stdout,
    );
    for key in [
        "schema",
        "collected_at",
        "os",
        "host",
        "env",
        "commands",
        "files",
        "processes",
    ] {
        assert!(
            snap["properties"].as_object().unwrap().contains_key(key),
            "snapshot schema lacks {key}"
        );
    }
}

#[test]
fn completions_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    confide(dir.path())
        .args(["completions", "bash"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("confide"));
}

#[test]
fn a_policy_runs_its_own_checks_and_the_user_s_not_other_shipped_ones() {
    let dir = tempfile::tempdir().unwrap();
    let checks = checks_dir(
        dir.path(),
        &[(
            "own.toml",
            "id = \"practice-own\"\ntitle = \"t\"\nwhat = \"w\"\nwhy = \"y\"\n[probe]\nkind = \"file\"\npath = \"/\"\n",
        )],
    );
    let out = confide(dir.path())
        .args([
            "scan",
            "--format",
            "json",
            "--policy",
            "ncsc-cyber-essentials",
            "--checks-dir",
        ])
        .arg(&checks)
        .output()
        .unwrap();
    let report = json(&out.stdout);
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"screen-lock") && ids.contains(&"practice-own"), "{ids:?}");
    assert!(
        !ids.contains(&"insurance") && !ids.contains(&"voice-assistants"),
        "not in this policy: {ids:?}"
    );
}
