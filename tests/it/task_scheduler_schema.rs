//! The Task Scheduler task confide registers, checked by libxml2 against Microsoft's own schema
//! (vendored with its source and licence in tests/fixtures/windows/schedule/NOTES.md), in the
//! encoding `schtasks /XML` reads: UTF-16 with a byte-order mark.
#![allow(clippy::disallowed_methods)] // the test runs xmllint

use std::path::{Path, PathBuf};

use confide::schedule::{self, Backend, Target, When, task_scheduler};
use confide::system::OsFamily;
use confide::system::effects::RecordedEffects;

use crate::common::{fixtures, live_prerequisite};

fn schema() -> PathBuf {
    fixtures().join("windows/schedule/task-scheduler.xsd")
}

/// `xmllint --schema <Microsoft's XSD> --noout <file>`: its exit status and its complaints.
fn validate(xmllint: &Path, bytes: &[u8]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("confide-weekly.xml");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new(xmllint)
        .arg("--schema")
        .arg(schema())
        .arg("--noout")
        .arg(&path)
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn the_task_scheduler_xml_validates_against_microsofts_schema() {
    let Ok(xmllint) = which::which("xmllint") else {
        live_prerequisite(false, "xmllint (Debian package libxml2-utils)");
        return;
    };
    let t = Target {
        os: OsFamily::Windows,
        home: PathBuf::from(r"C:\Users\therapist"),
        exe: PathBuf::from(r"C:\Users\Ann & Bo O'Neil\.cargo\bin\confide.exe"),
        xdg_config_home: None,
    };
    for (day, time) in [("mon", "10:00"), ("tue", "07:45"), ("sun", "23:59")] {
        let when = When::parse(day, time).unwrap();
        let fx = RecordedEffects::default();
        schedule::install(&fx, &t, when, Backend::TaskScheduler).unwrap();
        let bytes = task_scheduler::utf16_with_bom(&task_scheduler::task_xml(&t.exe, when));
        // These are the bytes the installer wrote for schtasks (it removes the file afterwards).
        let written = format!("({} bytes)", bytes.len());
        assert!(
            fx.actions()
                .iter()
                .any(|a| a.starts_with("write ") && a.ends_with(&written)),
            "{:?}",
            fx.actions()
        );
        let (valid, complaints) = validate(&xmllint, &bytes);
        assert!(
            valid,
            "{day} {time}: Microsoft's schema rejects the task:\n{complaints}"
        );
        assert!(complaints.trim().ends_with("validates"), "{complaints}");
    }
}

#[test]
fn the_schema_check_is_not_a_formality_it_rejects_a_trigger_in_the_wrong_order() {
    let Ok(xmllint) = which::which("xmllint") else {
        live_prerequisite(false, "xmllint (Debian package libxml2-utils)");
        return;
    };
    let exe = Path::new(r"C:\confide.exe");
    let good = task_scheduler::task_xml(exe, When::default());
    // Windows exports often put StartBoundary first; the schema's sequence wants Enabled first.
    let enabled = "      <Enabled>true</Enabled>\n";
    let i = good.find(enabled).unwrap();
    let mut swapped = good.clone();
    swapped.replace_range(i..i + enabled.len(), "");
    let after = swapped.find("</StartBoundary>\n").unwrap() + "</StartBoundary>\n".len();
    swapped.insert_str(after, enabled);
    assert_ne!(swapped, good);
    let (valid, complaints) = validate(&xmllint, &task_scheduler::utf16_with_bom(&swapped));
    assert!(!valid, "the schema accepted a trigger in the wrong order");
    assert!(complaints.contains("Enabled"), "{complaints}");
    let old_version = good.replace(r#"<Task version="1.3""#, r#"<Task version="1.2""#);
    let (valid, complaints) = validate(&xmllint, &task_scheduler::utf16_with_bom(&old_version));
    assert!(!valid && complaints.contains("1.3"), "{complaints}");
}
