//! `--ico-register FILE`: the user's own copy of the ICO register, compared with the profile.
//! The registers here are generated with the real column names (GUIDANCE.md); the large one
//! proves the file is streamed, not loaded.
#![allow(clippy::disallowed_methods)] // tests read the real clock to date live answers

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::confide;
use serde_json::Value;

const HEADER: &str =
    "Registration_number,Organisation_name,Start_date_of_registration,End_date_of_registration,Payment_tier\n";

fn in_days(n: i64) -> String {
    jiff::Zoned::now()
        .date()
        .checked_add(jiff::Span::new().days(n))
        .unwrap()
        .to_string()
}

fn profile(dir: &Path, number: &str, expires: &str, name: &str) -> PathBuf {
    let path = dir.join("profile.toml");
    std::fs::write(
        &path,
        format!("[ico]\nnumber = \"{number}\"\nexpires = {expires}\nname = \"{name}\"\n"),
    )
    .unwrap();
    path
}

fn register(dir: &Path, rows: &[(&str, &str, &str)]) -> PathBuf {
    let path = dir.join("register.csv");
    let mut text = HEADER.to_string();
    for (number, name, end) in rows {
        text.push_str(&format!("{number},\"{name}\",2025-01-01,{end},Tier 1\n"));
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn ico_finding(dir: &Path, profile: &Path, register: &Path) -> Value {
    let out = confide(dir)
        .args(["scan", "--format", "json", "--only", "ico-registration", "--profile"])
        .arg(profile)
        .arg("--ico-register")
        .arg(register)
        .output()
        .unwrap();
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    report["findings"][0].clone()
}

#[test]
fn found_not_found_and_differences() {
    let dir = tempfile::tempdir().unwrap();
    let end = in_days(200);
    let other_end = in_days(180);
    let reg = register(
        dir.path(),
        &[
            ("Z9999999", "Someone Else", &end),
            ("ZA081798", "Jo Smith Counselling", &end),
        ],
    );

    let f = ico_finding(
        dir.path(),
        &profile(dir.path(), "ZA081798", &end, "Jo Smith Counselling"),
        &reg,
    );
    assert_eq!(
        (f["status"].as_str(), f["reason"].as_str()),
        (Some("pass"), Some("ico-registration.current")),
        "{f}"
    );
    assert!(
        f["evidence"].to_string().contains("\\\"Jo Smith Counselling\\\""),
        "{f}"
    );

    let f = ico_finding(dir.path(), &profile(dir.path(), "ZB239156", &end, "Jo"), &reg);
    assert_eq!(f["reason"], "ico-registration.not-in-register", "{f}");

    let f = ico_finding(
        dir.path(),
        &profile(dir.path(), "ZA081798", &other_end, "Jo Smith Counselling"),
        &reg,
    );
    assert_eq!(f["reason"], "ico-registration.register-differs", "{f}");
    let summary = f["summary"].as_str().unwrap();
    assert!(
        summary.contains(&end) && summary.contains(&other_end),
        "names both dates: {summary}"
    );

    let f = ico_finding(
        dir.path(),
        &profile(dir.path(), "ZA081798", &end, "J Smith Therapy"),
        &reg,
    );
    assert_eq!(f["reason"], "ico-registration.register-differs");
    assert!(f["summary"].as_str().unwrap().contains("\"J Smith Therapy\""), "{f}");

    let lapsed = register(dir.path(), &[("ZA081798", "Jo Smith Counselling", &in_days(-3))]);
    let f = ico_finding(
        dir.path(),
        &profile(dir.path(), "ZA081798", &end, "Jo Smith Counselling"),
        &lapsed,
    );
    assert_eq!(
        (f["status"].as_str(), f["reason"].as_str()),
        (Some("fail"), Some("ico-registration.expired")),
        "{f}"
    );
}

#[test]
fn a_file_that_is_not_the_register_is_unknown_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.csv");
    std::fs::write(&path, "name,date\nx,y\n").unwrap();
    let f = ico_finding(dir.path(), &profile(dir.path(), "ZA081798", &in_days(100), "Jo"), &path);
    assert_eq!(f["status"], "unknown");
    assert!(f["summary"].as_str().unwrap().contains("Registration_number"), "{f}");
}

/// Runs `confide scan --only ico-registration` on the register and returns its finding with the
/// peak resident memory of that one process, in bytes. Measured with `wait4` on its own id: the
/// peak of all this process's children would also count other tests' live scans (apt-get, run
/// by os-updates on Debian, peaks at about 83 MB).
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes)] // reaped by wait4 below, which also gives its memory
fn ico_finding_and_peak_rss(dir: &Path, profile: &Path, register: &Path) -> (Value, u64) {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("confide"));
    cmd.env("CONFIDE_CONFIG_DIR", dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .args(["scan", "--format", "json", "--only", "ico-registration", "--profile"])
        .arg(profile)
        .arg("--ico-register")
        .arg(register)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let mut stdout = Vec::new();
    std::io::Read::read_to_end(child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: wait4 only writes into the status and the struct we pass; the child is ours and
    // not waited for elsewhere.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut status = 0;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 on confide");
    let report: Value = serde_json::from_slice(&stdout).unwrap();
    (
        report["findings"][0].clone(),
        u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024, // kilobytes on Linux
    )
}

#[cfg(target_os = "linux")]
#[test]
fn a_large_register_is_streamed_in_little_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    file.write_all(HEADER.as_bytes()).unwrap();
    let end = in_days(200);
    for i in 0..700_000u32 {
        writeln!(file, "Z{:07},\"Organisation number {i} Limited, trading as a counselling practice\",2025-01-01,2026-01-01,Tier 1", i % 10_000_000).unwrap();
    }
    writeln!(file, "ZA081798,\"Jo Smith Counselling\",2025-01-01,{end},Tier 1").unwrap();
    file.flush().unwrap();
    drop(file);
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size > 60_000_000, "the register copy should be tens of MB, is {size}");

    let (f, peak) = ico_finding_and_peak_rss(
        dir.path(),
        &profile(dir.path(), "ZA081798", &end, "Jo Smith Counselling"),
        &path,
    );
    assert_eq!(f["reason"], "ico-registration.current", "found on the last line: {f}");
    assert!(
        peak > 0 && peak < size / 3,
        "confide used {peak} bytes for a {size}-byte register: it must stream"
    );
}
