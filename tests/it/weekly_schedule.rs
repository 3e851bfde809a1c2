//! The weekly schedule on each OS: the Linux units and crontab line against the real tools, the
//! macOS and Windows installers against a recorded machine (snapshots of every file written and
//! command run).
#![allow(clippy::disallowed_methods)] // tests run the OS's own validators

use std::path::{Path, PathBuf};

use confide::schedule::{self, Backend, Target, When, cron, launchd, systemd, task_scheduler};
use confide::system::effects::{LiveEffects, RecordedEffects};
use confide::system::exec::ExecLimits;
use confide::system::{CommandOutput, OsFamily};

use crate::common::{confide, live_prerequisite, machine_to_myself};

fn target(os: OsFamily, home: &Path) -> Target {
    Target {
        os,
        home: home.to_path_buf(),
        exe: PathBuf::from(if os == OsFamily::Windows {
            r"C:\Users\therapist\.cargo\bin\confide.exe"
        } else {
            "/home/therapist/.cargo/bin/confide"
        }),
        xdg_config_home: None,
    }
}

#[test]
fn systemd_analyze_verify_accepts_the_units() {
    let Ok(analyze) = which::which("systemd-analyze") else {
        live_prerequisite(false, "systemd-analyze");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let runtime = tempfile::tempdir().unwrap();
    // The service must name a program that exists, or verify complains about it.
    let exe = dir.path().join("confide");
    std::fs::copy(which::which("true").unwrap(), &exe).unwrap();
    let when = When::parse("wed", "18:30").unwrap();
    std::fs::write(dir.path().join(systemd::SERVICE), systemd::service_unit(&exe)).unwrap();
    std::fs::write(dir.path().join(systemd::TIMER), systemd::timer_unit(when)).unwrap();
    assert!(systemd::timer_unit(when).contains("OnCalendar=Wed *-*-* 18:30:00\nPersistent=true\n"));
    let out = std::process::Command::new(analyze)
        .arg("verify")
        .arg(dir.path().join(systemd::SERVICE))
        .arg(dir.path().join(systemd::TIMER))
        .env("XDG_RUNTIME_DIR", runtime.path())
        .env("SYSTEMD_LOG_LEVEL", "warning")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr, "", "systemd-analyze verify complained");
}

#[test]
fn the_systemd_installer_writes_both_units_and_enables_the_timer() {
    let fx = RecordedEffects::default();
    let t = target(OsFamily::Linux, Path::new("/home/therapist"));
    schedule::install(&fx, &t, When::default(), Backend::Systemd).unwrap();
    schedule::install(&fx, &t, When::default(), Backend::Systemd).unwrap();
    let found = schedule::status(&fx, &t).unwrap();
    assert_eq!(found.len(), 1, "installing twice leaves one schedule");
    insta::assert_snapshot!("systemd-install", fx.actions().join("\n"));
    schedule::remove(&fx, &t).unwrap();
    assert!(
        fx.file(&t.home.join(".config/systemd/user").join(systemd::TIMER))
            .is_none()
    );
}

/// `crontab -l` of the user running the tests, restored when dropped.
pub(crate) struct SavedCrontab(Option<Vec<u8>>);

impl SavedCrontab {
    pub(crate) fn take() -> Self {
        let out = std::process::Command::new("crontab").arg("-l").output().unwrap();
        SavedCrontab(out.status.success().then_some(out.stdout))
    }
}

impl Drop for SavedCrontab {
    fn drop(&mut self) {
        match &self.0 {
            Some(text) => {
                let f = tempfile::NamedTempFile::new().unwrap();
                std::fs::write(f.path(), text).unwrap();
                std::process::Command::new("crontab").arg(f.path()).status().unwrap();
            }
            None => {
                std::process::Command::new("crontab").arg("-r").status().unwrap();
            }
        }
    }
}

#[test]
fn a_real_crontab_holds_the_line_after_install_and_keeps_the_users_own_lines() {
    if !live_prerequisite(which::which("crontab").is_ok(), "crontab (Debian package cron)") {
        return;
    }
    let _turn = machine_to_myself();
    let _saved = SavedCrontab::take();
    let home = tempfile::tempdir().unwrap();
    let mine = "MAILTO=\"\"\n# my backup\n30 2 * * * /usr/local/bin/backup --quiet\n";
    let f = home.path().join("mine");
    std::fs::write(&f, mine).unwrap();
    assert!(
        std::process::Command::new("crontab")
            .arg(&f)
            .status()
            .unwrap()
            .success()
    );
    let list = || String::from_utf8(std::process::Command::new("crontab").arg("-l").output().unwrap().stdout).unwrap();

    let fx = LiveEffects {
        limits: ExecLimits::default(),
    };
    let t = target(OsFamily::Linux, home.path());
    let when = When::parse("fri", "09:15").unwrap();
    schedule::install(&fx, &t, when, Backend::Cron).unwrap();
    schedule::install(&fx, &t, when, Backend::Cron).unwrap();
    let after = list();
    assert!(after.starts_with(mine), "{after}");
    assert_eq!(after.matches(cron::MARKER).count(), 1, "{after}");
    assert!(
        after.contains("15 9 * * 5 '/home/therapist/.cargo/bin/confide' scan --scheduled"),
        "{after}"
    );
    assert_eq!(schedule::status(&fx, &t).unwrap().len(), 1);

    schedule::remove(&fx, &t).unwrap();
    assert_eq!(list(), mine);
    let left: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 2, "the temporary crontab file is gone: {left:?}");
    assert!(left.contains(&".confide-crontab.lock".to_string()), "{left:?}");
}

#[test]
fn a_crontab_that_cannot_be_read_is_left_alone() {
    let fx = RecordedEffects::default().answer(
        "crontab -l",
        CommandOutput {
            status: Some(1),
            stderr: "crontab: cannot open crontab: Permission denied\n".into(),
            ..Default::default()
        },
    );
    let t = target(OsFamily::Linux, Path::new("/home/therapist"));
    let err = schedule::install(&fx, &t, When::default(), Backend::Cron).unwrap_err();
    assert!(err.to_string().contains("could not read your crontab"), "{err}");
    assert_eq!(
        fx.actions(),
        ["lock /home/therapist/.confide-crontab.lock", "run crontab -l"],
        "nothing was written"
    );
}

#[test]
fn the_launch_agent_plist_has_the_expected_keys_and_is_loaded_with_bootstrap() {
    let fx = RecordedEffects::default().answer(
        "id -u",
        CommandOutput {
            status: Some(0),
            stdout: "501\n".into(),
            ..Default::default()
        },
    );
    let t = target(OsFamily::Macos, Path::new("/Users/therapist"));
    schedule::install(&fx, &t, When::parse("sun", "20:05").unwrap(), Backend::Launchd).unwrap();
    let bytes = fx.file(&launchd::plist_path_in(&t.home)).unwrap();
    let plist = plist::Value::from_reader_xml(bytes.as_slice()).unwrap();
    let d = plist.as_dictionary().unwrap();
    assert_eq!(d["Label"].as_string(), Some("org.confide.weekly"));
    let args: Vec<_> = d["ProgramArguments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect();
    assert_eq!(args, ["/home/therapist/.cargo/bin/confide", "scan", "--scheduled"]);
    let when = d["StartCalendarInterval"].as_dictionary().unwrap();
    assert_eq!(when["Weekday"].as_signed_integer(), Some(0));
    assert_eq!(when["Hour"].as_signed_integer(), Some(20));
    assert_eq!(when["Minute"].as_signed_integer(), Some(5));
    insta::assert_snapshot!(
        "launchd-install",
        format!(
            "{}\n---\n{}",
            fx.actions().join("\n"),
            String::from_utf8(bytes).unwrap()
        )
    );
    schedule::remove(&fx, &t).unwrap();
    assert!(
        fx.actions()
            .iter()
            .any(|a| a == "run launchctl bootout gui/501/org.confide.weekly")
    );
}

#[test]
fn the_task_scheduler_xml_is_utf16_with_a_bom_well_formed_and_registered_with_schtasks() {
    let fx = RecordedEffects::default();
    let t = target(OsFamily::Windows, Path::new(r"C:\Users\therapist"));
    schedule::install(&fx, &t, When::parse("tue", "07:45").unwrap(), Backend::TaskScheduler).unwrap();
    insta::assert_snapshot!("task-scheduler-install", fx.actions().join("\n"));

    let xml = task_scheduler::task_xml(&t.exe, When::parse("tue", "07:45").unwrap());
    let bytes = task_scheduler::utf16_with_bom(&xml);
    assert_eq!(&bytes[..2], &[0xFF, 0xFE]);
    for needed in [
        "<StartWhenAvailable>true</StartWhenAvailable>",
        "<DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>",
        "<StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>",
        "<Tuesday />",
        "<StartBoundary>2024-01-02T07:45:00</StartBoundary>",
    ] {
        assert!(xml.contains(needed), "{needed}");
    }
    insta::assert_snapshot!("task-scheduler-xml", xml);
    // The file as schtasks reads it (UTF-16 with its BOM) is well-formed to libxml2; its validity
    // against Microsoft's schema is checked in task_scheduler_schema.rs.
    let Ok(xmllint) = which::which("xmllint") else {
        live_prerequisite(false, "xmllint (Debian package libxml2-utils)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("task.xml");
    std::fs::write(&path, &bytes).unwrap();
    let out = std::process::Command::new(xmllint)
        .arg("--noout")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn bad_days_and_times_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    confide(dir.path())
        .args(["schedule", "install", "--day", "funday"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a day of the week"));
    confide(dir.path())
        .args(["schedule", "install", "--time", "25:00"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("HH:MM"));
}
