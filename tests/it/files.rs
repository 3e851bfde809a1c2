//! Nothing lost: the profile under concurrent updates, `--output` that never destroys an input,
//! symlinks written through, read-only files kept, temporaries of killed runs cleaned up, and
//! special files (named pipes, devices, folders) refused quickly instead of hanging.
#![allow(clippy::disallowed_methods)] // tests start the real binary and programs directly

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::confide;
use confide::system::OsFamily;

/// The attestations the built-in catalogue asks about.
const ATTESTATIONS: [&str; 7] = [
    "breach-plan",
    "client-recontracting",
    "insurance",
    "private-space",
    "supervision",
    "training",
    "video-platform",
];

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("confide")
}

fn attestations_in(profile: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(profile).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    doc.get("attestations")
        .and_then(|a| a.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

fn start(config: &Path, args: &[&str]) -> std::process::Child {
    Command::new(binary())
        .env("CONFIDE_CONFIG_DIR", config)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn seven_attests_at_once_keep_every_answer() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..10 {
        let profile = dir.path().join(format!("profile-{round}.toml"));
        let p = profile.to_str().unwrap();
        let children: Vec<_> = ATTESTATIONS
            .iter()
            .map(|id| start(dir.path(), &["attest", id, "--profile", p]))
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
        let mut found = attestations_in(&profile);
        found.sort();
        assert_eq!(found, ATTESTATIONS, "round {round}");
    }
}

#[test]
fn init_racing_attest_keeps_both_updates() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..10 {
        let profile = dir.path().join(format!("profile-{round}.toml"));
        let p = profile.to_str().unwrap();
        let init = start(dir.path(), &["init", "--profile", p, "--email", "jo@example.org"]);
        let attest = start(dir.path(), &["attest", "insurance", "--profile", p]);
        for child in [init, attest] {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
        let text = std::fs::read_to_string(&profile).unwrap();
        assert!(text.contains("jo@example.org"), "round {round}: {text}");
        assert_eq!(attestations_in(&profile), ["insurance"], "round {round}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_profile_is_updated_through_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("synced/profile.toml");
    std::fs::create_dir(real.parent().unwrap()).unwrap();
    std::fs::write(&real, "emails = [\"jo@example.org\"]\n").unwrap();
    let link = dir.path().join("profile.toml");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    confide(dir.path())
        .args(["attest", "insurance", "--profile"])
        .arg(&link)
        .assert()
        .success();
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(attestations_in(&real), ["insurance"]);
    assert!(std::fs::read_to_string(&real).unwrap().contains("jo@example.org"));
}

#[cfg(unix)]
#[test]
fn a_read_only_profile_is_refused_and_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    std::fs::write(&profile, "emails = [\"jo@example.org\"]\n").unwrap();
    std::fs::set_permissions(&profile, std::fs::Permissions::from_mode(0o444)).unwrap();
    confide(dir.path())
        .args(["attest", "insurance", "--profile"])
        .arg(&profile)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("read-only"));
    assert_eq!(
        std::fs::read_to_string(&profile).unwrap(),
        "emails = [\"jo@example.org\"]\n"
    );
}

#[test]
fn an_inline_table_in_the_profile_is_an_input_error_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    std::fs::write(
        &profile,
        "emails = [\"jo@example.org\"]\nico = { number = \"ZA123456\" }\n",
    )
    .unwrap();
    let out = confide(dir.path())
        .args(["init", "--ico-name", "Jo Practice", "--profile"])
        .arg(&profile)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("profile.toml:2:1:"), "{stderr}");
    assert!(
        stderr.contains("[ico]") && !stderr.contains("scan could not run"),
        "{stderr}"
    );
}

fn replay_snapshot(dir: &Path) -> PathBuf {
    common::write_snapshot(dir, "machine.json", &common::machine(OsFamily::Linux))
}

#[test]
fn output_equal_to_the_replayed_snapshot_is_refused_and_the_snapshot_kept() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = replay_snapshot(dir.path());
    let before = std::fs::read(&snapshot).unwrap();
    confide(dir.path())
        .args(["scan", "--format", "json", "--replay"])
        .arg(&snapshot)
        .arg("--output")
        .arg(&snapshot)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("same file as the input"));
    assert_eq!(std::fs::read(&snapshot).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn output_through_a_symlink_keeps_the_link_and_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let snapshot = replay_snapshot(dir.path());
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = dir.path().join("report.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = confide(dir.path())
        .args(["scan", "--format", "json", "--replay"])
        .arg(&snapshot)
        .arg("--output")
        .arg(&link)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&real).unwrap()).unwrap();
    assert_eq!(report["schema"], "confide-report/1");
    assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o644);
}

#[cfg(unix)]
#[test]
fn output_to_a_named_pipe_is_written_into_it() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = replay_snapshot(dir.path());
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let out = confide(dir.path())
        .args(["scan", "--format", "json", "--replay"])
        .arg(&snapshot)
        .arg("--output")
        .arg(&fifo)
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = reader.join().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(report["schema"], "confide-report/1");
    assert!(!std::fs::metadata(&fifo).unwrap().is_file());
}

#[test]
fn output_into_a_missing_folder_says_so_and_prints_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = replay_snapshot(dir.path());
    let out = confide(dir.path())
        .args(["scan", "--format", "json", "--replay"])
        .arg(&snapshot)
        .arg("--output")
        .arg(dir.path().join("nodir/report.json"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("does not exist") && !stderr.contains("confide-tmp"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["schema"], "confide-report/1");
}

#[test]
fn temporaries_of_killed_runs_are_removed_and_others_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut gone = Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let orphan = dir.path().join(format!(".profile.toml.Ab12Cd.confide-tmp-{dead}"));
    let running = dir
        .path()
        .join(format!(".profile.toml.Xy34Zw.confide-tmp-{}", std::process::id()));
    let unrelated = dir.path().join(".tmpAbCdEf");
    for f in [&orphan, &running, &unrelated] {
        std::fs::write(f, "half a profile").unwrap();
    }
    confide(dir.path())
        .args(["attest", "insurance", "--profile"])
        .arg(dir.path().join("profile.toml"))
        .assert()
        .success();
    assert!(!orphan.exists(), "the killed run's temporary is still there");
    assert!(running.exists() && unrelated.exists());
}

#[cfg(unix)]
#[test]
fn a_killed_attest_leaves_nothing_the_next_run_keeps() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    let p = profile.to_str().unwrap();
    for i in 0..30 {
        let mut child = start(dir.path(), &["attest", ATTESTATIONS[i % 7], "--profile", p]);
        std::thread::sleep(Duration::from_millis(i as u64 % 10));
        let _ = child.kill();
        let _ = child.wait();
    }
    confide(dir.path())
        .args(["attest", "insurance", "--profile", p])
        .assert()
        .success();
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("confide-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: mkfifo(3) reads a NUL-terminated path and has no other preconditions.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// Runs confide with `args` and requires exit 2 naming what the file is, within 2 seconds.
#[cfg(unix)]
fn refused_quickly(config: &Path, args: &[&std::ffi::OsStr], what: &str) {
    let started = Instant::now();
    let out = confide(config)
        .args(args)
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(what), "{args:?}: {stderr}");
    assert!(elapsed < Duration::from_secs(2), "{args:?} took {elapsed:?}");
}

#[cfg(unix)]
#[test]
fn every_input_given_a_named_pipe_returns_within_two_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.toml");
    mkfifo(&fifo);
    let checks = dir.path().join("checks");
    std::fs::create_dir(&checks).unwrap();
    mkfifo(&checks.join("mine.toml"));
    let snapshot = replay_snapshot(dir.path());
    let f = fifo.as_os_str();
    let s = snapshot.as_os_str();
    let pipe = "a named pipe";
    let cases: Vec<Vec<&std::ffi::OsStr>> = vec![
        vec!["scan".as_ref(), "--policy".as_ref(), f],
        vec!["scan".as_ref(), "--replay".as_ref(), f],
        vec!["scan".as_ref(), "--replay".as_ref(), s, "--profile".as_ref(), f],
        vec!["scan".as_ref(), "--replay".as_ref(), s, "--ico-register".as_ref(), f],
        vec!["attest".as_ref(), "insurance".as_ref(), "--profile".as_ref(), f],
        vec!["attest".as_ref(), "--list".as_ref(), "--profile".as_ref(), f],
        vec![
            "init".as_ref(),
            "--email".as_ref(),
            "a@b.org".as_ref(),
            "--profile".as_ref(),
            f,
        ],
        vec!["checks".as_ref(), "--checks-dir".as_ref(), checks.as_os_str()],
        vec![
            "explain".as_ref(),
            "insurance".as_ref(),
            "--checks-dir".as_ref(),
            checks.as_os_str(),
        ],
    ];
    for args in cases {
        refused_quickly(dir.path(), &args, pipe);
    }
    // A policy in the config folder's policies/ is read by every command too.
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("policies")).unwrap();
    mkfifo(&config.join("policies/mine.toml"));
    refused_quickly(&config, &["policies".as_ref()], pipe);
}

#[cfg(unix)]
#[test]
fn a_device_or_a_folder_as_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    refused_quickly(
        dir.path(),
        &["scan".as_ref(), "--policy".as_ref(), "/dev/zero".as_ref()],
        "a device",
    );
    refused_quickly(
        dir.path(),
        &["scan".as_ref(), "--replay".as_ref(), dir.path().as_os_str()],
        "a folder",
    );
    let checks = dir.path().join("checks");
    std::fs::create_dir_all(checks.join("folder.toml")).unwrap();
    refused_quickly(
        dir.path(),
        &["checks".as_ref(), "--checks-dir".as_ref(), checks.as_os_str()],
        "a folder",
    );
    std::fs::remove_dir(checks.join("folder.toml")).unwrap();
    std::os::unix::fs::symlink("loop.toml", checks.join("loop.toml")).unwrap();
    refused_quickly(
        dir.path(),
        &["checks".as_ref(), "--checks-dir".as_ref(), checks.as_os_str()],
        "loop.toml",
    );
}
