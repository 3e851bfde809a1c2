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

/// Runs one scan of the ICO check and returns its finding and that process's own peak resident
/// memory in bytes. The peak is the kernel's `VmHWM` of the scan's own address space, read from
/// `/proc` while it runs: `getrusage`/`wait4` would also count the test binary's memory, which a
/// child shares until it starts the new program.
#[cfg(target_os = "linux")]
fn ico_finding_and_peak_rss(dir: &Path, profile: &Path, register: &Path) -> (Value, u64) {
    use std::io::Read;
    #[allow(clippy::disallowed_methods)] // a test measuring one child, not confide reaching the machine
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("confide"))
        .env("CONFIDE_CONFIG_DIR", dir)
        .env("CONFIDE_DATA_DIR", dir.join("data"))
        .env("NO_COLOR", "1")
        .args(["scan", "--format", "json", "--only", "ico-registration", "--profile"])
        .arg(profile)
        .arg("--ico-register")
        .arg(register)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).unwrap();
        bytes
    });
    let mut peak_kb = 0u64;
    while child.try_wait().unwrap().is_none() {
        let hwm = std::fs::read_to_string(&status_file).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        });
        peak_kb = peak_kb.max(hwm.unwrap_or(0));
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let report: Value = serde_json::from_slice(&reader.join().unwrap()).unwrap();
    (report["findings"][0].clone(), peak_kb * 1024)
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
