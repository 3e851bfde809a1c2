//! Every input a command reads, given a named pipe, returns within two seconds instead of
//! waiting for a writer: the commands `files.rs` does not already cover (report --from, verify
//! and its signature and key, history, the signing key of key show, scan --sign and
//! report --sign, --ca-file, collect's checks folder, policies show FILE).
#![cfg(unix)]

use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, Instant};

use confide::system::OsFamily;

use crate::common::{self, confide};

fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: mkfifo(3) reads a NUL-terminated path and has no other preconditions.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// Runs confide in `config` with `args`: it must end within 2 seconds with `code`, and its
/// error must contain `says`.
fn returns_quickly(config: &Path, args: &[&OsStr], code: i32, says: &str) {
    let started = Instant::now();
    let out = confide(config)
        .args(args)
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(stderr.contains(says), "{args:?}: {stderr}");
    assert!(elapsed < Duration::from_secs(2), "{args:?} took {elapsed:?}");
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

#[test]
fn report_from_and_verify_given_a_named_pipe_return_within_two_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("report.json");
    mkfifo(&pipe);
    let p = pipe.as_os_str();
    returns_quickly(dir.path(), &[os("report"), os("--from"), p], 2, "a named pipe");
    returns_quickly(dir.path(), &[os("verify"), p], 2, "a named pipe");

    // A real report whose signature, or the key it is checked with, is a named pipe.
    let snapshot = common::write_snapshot(dir.path(), "machine.json", &common::machine(OsFamily::Linux));
    let report = dir.path().join("signed.json");
    let out = confide(dir.path())
        .args(["scan", "--format", "json", "--sign", "--replay"])
        .arg(&snapshot)
        .arg("--output")
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = dir.path().join("key.pub");
    mkfifo(&key);
    returns_quickly(
        dir.path(),
        &[os("verify"), report.as_os_str(), os("--key"), key.as_os_str()],
        2,
        "a named pipe",
    );
    let signature = dir.path().join("signed.json.minisig");
    std::fs::remove_file(&signature).unwrap();
    mkfifo(&signature);
    returns_quickly(dir.path(), &[os("verify"), report.as_os_str()], 2, "a named pipe");
}

#[test]
fn the_history_as_a_named_pipe_returns_within_two_seconds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    mkfifo(&dir.path().join("data/history.jsonl"));
    returns_quickly(dir.path(), &[os("history")], 3, "history.jsonl");
    returns_quickly(
        dir.path(),
        &[os("history"), os("--prune"), os("2026-01-01")],
        3,
        "history.jsonl",
    );
    // A scan keeps the history through the same History::load (a replayed scan never touches
    // it, so the live scan's path is this one).
}

#[test]
fn the_signing_key_as_a_named_pipe_returns_within_two_seconds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    mkfifo(&dir.path().join("data").join(confide::signing::KEY_FILE));
    returns_quickly(dir.path(), &[os("key"), os("show")], 3, "a named pipe");
    let snapshot = common::write_snapshot(dir.path(), "machine.json", &common::machine(OsFamily::Linux));
    let s = snapshot.as_os_str();
    returns_quickly(
        dir.path(),
        &[
            os("scan"),
            os("--format"),
            os("json"),
            os("--sign"),
            os("--output"),
            os("r.json"),
            os("--replay"),
            s,
        ],
        3,
        "a named pipe",
    );
}

#[test]
fn a_ca_file_that_is_a_named_pipe_returns_within_two_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("ca.pem");
    mkfifo(&pipe);
    let snapshot = common::write_snapshot(dir.path(), "machine.json", &common::machine(OsFamily::Linux));
    returns_quickly(
        dir.path(),
        &[
            os("scan"),
            os("--replay"),
            snapshot.as_os_str(),
            os("--ca-file"),
            pipe.as_os_str(),
        ],
        2,
        "a named pipe",
    );
}

#[test]
fn collect_and_policies_show_given_a_named_pipe_return_within_two_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let checks = dir.path().join("checks");
    std::fs::create_dir(&checks).unwrap();
    mkfifo(&checks.join("mine.toml"));
    let out = dir.path().join("machine.json");
    returns_quickly(
        dir.path(),
        &[
            os("collect"),
            os("--output"),
            out.as_os_str(),
            os("--checks-dir"),
            checks.as_os_str(),
        ],
        2,
        "a named pipe",
    );
    assert!(!out.exists());
    let policy = dir.path().join("policy.toml");
    mkfifo(&policy);
    returns_quickly(
        dir.path(),
        &[os("policies"), os("show"), policy.as_os_str()],
        2,
        "a named pipe",
    );
}
