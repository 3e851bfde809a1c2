//! Shared test support: machines assembled from real recorded outputs, and the rule that a live
//! test may skip only outside CI.
#![allow(dead_code, clippy::disallowed_methods)] // tests start programs and read their environment directly

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use confide::catalog::Catalog;
use confide::checks::{CheckContext, Outcome};
use confide::system::replay::ReplaySystem;
use confide::system::snapshot::{RecordedCommand, RecordedFile, Snapshot};
use confide::system::{HostInfo, OsFamily, OsInfo, ProcessInfo};
use serde::Deserialize;

/// Set by `.ci/run`: a live test whose tool is missing fails instead of skipping.
pub const REQUIRE_LIVE_ENV: &str = "CONFIDE_REQUIRE_LIVE_TESTS";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture: part of a snapshot, with a note of where its outputs came from.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    source: String,
    #[serde(default)]
    commands: Vec<RecordedCommand>,
    #[serde(default)]
    files: Vec<RecordedFile>,
    #[serde(default)]
    processes: Vec<ProcessInfo>,
    #[serde(default)]
    env: BTreeMap<String, String>,
}

/// An empty machine of one OS, at a fixed time.
pub fn machine(os: OsFamily) -> Snapshot {
    let (name, version, arch) = match os {
        OsFamily::Macos => ("macOS", "15.1", "arm64"),
        OsFamily::Windows => ("Windows", "11 (26100)", "x86_64"),
        OsFamily::Linux => ("Ubuntu", "24.04", "x86_64"),
    };
    let mut s = Snapshot::new(
        "2026-11-22T12:00:00Z".parse().unwrap(),
        OsInfo {
            family: os,
            name: name.into(),
            version: version.into(),
            arch: arch.into(),
        },
        HostInfo {
            hostname: Some("practice-laptop".into()),
            user: Some("therapist".into()),
        },
    );
    s.boot_time = Some("2026-11-20T08:30:00Z".parse().unwrap());
    s
}

/// Adds a fixture file (a path under tests/fixtures) to a machine. Panics on a fixture with no
/// source note: every recorded output must say where it came from.
pub fn add(snapshot: &mut Snapshot, fixture: &str) {
    let path = fixtures().join(fixture);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let f: Fixture = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        f.source.trim().len() > 20,
        "{fixture}: the source note must say where the output came from"
    );
    snapshot.commands.extend(f.commands);
    snapshot.files.extend(f.files);
    snapshot.processes.extend(f.processes);
    snapshot.env.extend(f.env);
}

/// A machine of `os` with the given fixtures.
pub fn machine_with(os: OsFamily, fixtures: &[&str]) -> Snapshot {
    let mut s = machine(os);
    for f in fixtures {
        add(&mut s, f);
    }
    s
}

/// Runs one check against a snapshot.
pub fn run_check(snapshot: Snapshot, id: &str) -> Outcome {
    let catalog = Catalog::load(&[]).unwrap();
    let check = catalog.check(id).unwrap_or_else(|| panic!("no check {id}")).clone();
    let system = Arc::new(ReplaySystem::new(snapshot));
    let thresholds = BTreeMap::new();
    let profile = confide::profile::Profile::default();
    check.run(&CheckContext {
        system: system.as_ref(),
        thresholds: &thresholds,
        offline: true,
        profile: &profile,
        ico_register: None,
    })
}

/// A profile with every answer given and fresh at the test machines' clock (2026-11-22).
pub fn complete_profile() -> PathBuf {
    fixtures().join("profile/complete.toml")
}

/// The confide binary, with a config dir of its own so the user's files never leak in.
pub fn confide(config_dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("confide").unwrap();
    cmd.env("CONFIDE_CONFIG_DIR", config_dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

/// True when a live test can run. Without the thing it needs it prints why and returns false,
/// unless CI asked for every live test to run, in which case it fails.
pub fn live_prerequisite(available: bool, what: &str) -> bool {
    if available {
        return true;
    }
    if std::env::var_os(REQUIRE_LIVE_ENV).is_some_and(|v| v == "1") {
        panic!("{what} is not available, and {REQUIRE_LIVE_ENV}=1 requires every live test to run");
    }
    eprintln!("SKIPPED: {what} is not available on this machine");
    false
}

/// Writes a snapshot to a file in `dir` and returns its path.
pub fn write_snapshot(dir: &Path, name: &str, snapshot: &Snapshot) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(snapshot).unwrap()).unwrap();
    path
}
