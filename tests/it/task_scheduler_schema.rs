//! The Task Scheduler task confide registers, checked by libxml2 against Microsoft's own schema,
//! in the encoding `schtasks /XML` reads: UTF-16 with a byte-order mark.
//!
//! The schema is Microsoft's text, not confide's: it is not kept in this repository (the
//! project commits no third-party material it has not written). tests/fixtures/windows/schedule/
//! NOTES.md says where it is published and where to put it: `CONFIDE_TASK_SCHEDULER_XSD=<file>`,
//! or `shared/vendor/task-scheduler.xsd` beside the repository. Without it these tests say so
//! and do nothing more.
#![allow(clippy::disallowed_methods)] // the test runs xmllint

use std::path::{Path, PathBuf};

use confide::schedule::{self, Backend, Target, When, task_scheduler};
use confide::system::OsFamily;
use confide::system::effects::RecordedEffects;

use crate::common::{fixtures, live_prerequisite};

/// Microsoft's schema, where it has been put; `None` (said on stderr) where it has not.
fn schema() -> Option<PathBuf> {
    let given = std::env::var_os("CONFIDE_TASK_SCHEDULER_XSD").map(PathBuf::from);
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/vendor/task-scheduler.xsd");
    let found = given.or_else(|| beside.is_file().then_some(beside));
    if found.is_none() {
        eprintln!(
            "SKIPPED: Microsoft's Task Scheduler schema is not here (see {}): set CONFIDE_TASK_SCHEDULER_XSD",
            fixtures().join("windows/schedule/NOTES.md").display()
        );
    }
    found
}

/// `xmllint --schema <Microsoft's XSD> --noout <file>`: its exit status and its complaints.
fn validate(xmllint: &Path, schema: &Path, bytes: &[u8]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("confide-weekly.xml");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new(xmllint)
        .arg("--schema")
        .arg(schema)
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
    let Some(schema) = schema() else { return };
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
        let (valid, complaints) = validate(&xmllint, &schema, &bytes);
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
    let Some(schema) = schema() else { return };
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
    let (valid, complaints) = validate(&xmllint, &schema, &task_scheduler::utf16_with_bom(&swapped));
    assert!(!valid, "the schema accepted a trigger in the wrong order");
    assert!(complaints.contains("Enabled"), "{complaints}");
    let old_version = good.replace(r#"<Task version="1.3""#, r#"<Task version="1.2""#);
    let (valid, complaints) = validate(&xmllint, &schema, &task_scheduler::utf16_with_bom(&old_version));
    assert!(!valid && complaints.contains("1.3"), "{complaints}");
}
