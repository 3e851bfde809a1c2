//! Shared test support: machines assembled from real recorded outputs, and the rule that a live
//! test may skip only outside CI.
#![allow(dead_code, clippy::disallowed_methods)] // tests start programs and read their environment directly

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use confide::catalog::Catalog;
use confide::checks::{CheckContext, Outcome};
use confide::status::Status;
use confide::system::replay::ReplaySystem;
use confide::system::snapshot::{RecordedCommand, RecordedFile, Snapshot};
use confide::system::{HostInfo, OsFamily, OsInfo, ProcessInfo};
use serde::Deserialize;

pub mod provenance;
pub use provenance::{Provenance, declare, declare_env};

/// Set by `.ci/run`: a live test whose tool is missing fails instead of skipping.
pub const REQUIRE_LIVE_ENV: &str = "CONFIDE_REQUIRE_LIVE_TESTS";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture: part of a snapshot, with a note of where its outputs came from and how much of
/// them was seen on a real machine.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    provenance: Provenance,
    source: String,
    #[serde(default)]
    commands: Vec<RecordedCommand>,
    #[serde(default)]
    files: Vec<RecordedFile>,
    #[serde(default)]
    processes: Vec<ProcessInfo>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    /// Local-network browse answers; fixtures' services for the same browse are merged.
    #[serde(default)]
    discovery: Vec<confide::system::snapshot::RecordedDiscovery>,
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

/// Reads a fixture (a path under tests/fixtures). Panics, naming the file, on a fixture with no
/// provenance or no source note: every recorded output must say where it came from.
fn read_fixture(fixture: &str) -> Fixture {
    let path = fixtures().join(fixture);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let f: Fixture = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        f.source.trim().len() > 20,
        "{fixture}: the source note must say where the output came from"
    );
    f
}

/// Adds a fixture file (a path under tests/fixtures) to a machine.
pub fn add(snapshot: &mut Snapshot, fixture: &str) {
    let f = read_fixture(fixture);
    snapshot.commands.extend(f.commands);
    snapshot.files.extend(f.files);
    snapshot.processes.extend(f.processes);
    snapshot.env.extend(f.env);
    for d in f.discovery {
        use confide::system::DiscoveryAnswer::Services;
        match snapshot
            .discovery
            .iter_mut()
            .find(|e| e.service_types == d.service_types)
        {
            Some(e) => match (&mut e.answer, d.answer) {
                (Services { services }, Services { services: more }) => services.extend(more),
                (answer, other) => *answer = other,
            },
            None => snapshot.discovery.push(d),
        }
    }
}

/// A machine of `os` with the given fixtures.
pub fn machine_with(os: OsFamily, fixtures: &[&str]) -> Snapshot {
    let mut s = machine(os);
    for f in fixtures {
        add(&mut s, f);
    }
    s
}

/// Runs one check against a snapshot. A pass that rests on a made-up or undeclared output fails
/// the test (see [`provenance`]).
pub fn run_check(snapshot: Snapshot, id: &str) -> Outcome {
    let out = run_check_unguarded(snapshot.clone(), id);
    provenance::refuse_unfounded_pass(&snapshot, &out, id, &|s| run_check_unguarded(s, id));
    out
}

/// Runs every built-in check on a whole machine and applies the provenance rule to each pass, as
/// [`run_check`] does for one check: the machine scans through the binary rest on the same rule.
pub fn refuse_unfounded_passes_on_machine(snapshot: &Snapshot) {
    let catalog = Catalog::load(&[]).unwrap();
    for id in catalog.ids() {
        let out = run_check_unguarded(snapshot.clone(), id);
        provenance::refuse_unfounded_pass(snapshot, &out, &format!("{id} (whole machine)"), &|s| {
            run_check_unguarded(s, id)
        });
    }
}

/// Runs one check against a snapshot without the provenance rule: only for the test that proves
/// the rule refuses what it should.
pub fn run_check_unguarded(snapshot: Snapshot, id: &str) -> Outcome {
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

/// The confide binary, with config and data dirs of its own so the user's files (and signing
/// key) never leak in or out.
pub fn confide(config_dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("confide").unwrap();
    cmd.env("CONFIDE_CONFIG_DIR", config_dir)
        .env("CONFIDE_DATA_DIR", config_dir.join("data"))
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
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

/// Writes a snapshot to a file in `dir` and returns its path. A whole machine written for the
/// binary to replay is held to the same rule as [`run_check`]: every built-in check is run on it
/// here first, and one that passes on a made-up, format-only or undeclared output fails the test.
pub fn write_snapshot(dir: &Path, name: &str, snapshot: &Snapshot) -> PathBuf {
    refuse_unfounded_passes_on_machine(snapshot);
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(snapshot).unwrap()).unwrap();
    path
}

/// One row of a table-driven check test.
pub struct Case {
    pub name: &'static str,
    pub machine: Snapshot,
    pub status: Status,
    pub reason: &'static str,
    /// Phrases the summary or evidence must each contain.
    pub says: &'static [&'static str],
}

/// Runs check `id` on the case's machine: the status and reason must match, the words must be in
/// the summary or evidence, and there must be evidence.
pub fn check_case(id: &str, case: Case) {
    let out = run_check(case.machine, id);
    let text = format!("{} | {}", out.summary, out.evidence.join(" | "));
    assert_eq!(
        (out.status, out.reason.as_str()),
        (case.status, case.reason),
        "{}: {text}",
        case.name
    );
    for words in case.says {
        assert!(text.contains(words), "{}: expected {words:?} in {text}", case.name);
    }
    assert!(!out.evidence.is_empty(), "{}: a verdict needs evidence", case.name);
}

/// A table of cases as a module of tests, one `#[test]` per case, so that every case runs and is
/// reported by name, whichever fails:
///
/// ```ignore
/// cases!(
///     table_name,
///     {
///         // set-up shared by the cases, run at the start of each case's test
///     },
///     case_name = Case { .. },
///     other_case = Case { .. },
/// );
/// ```
///
/// Each case's value is passed to the `check` function of the module the table is in. The set-up
/// block is optional; a case's test runs all of it, so a binding only some cases use is allowed.
macro_rules! cases {
    ($table:ident, $setup:tt, $($case:ident = $value:expr),+ $(,)?) => {
        mod $table {
            #[allow(unused_imports)]
            use super::*;
            $($crate::common::cases!(@case $case, $setup, $value);)+
        }
    };
    ($table:ident, $($case:ident = $value:expr),+ $(,)?) => {
        $crate::common::cases!($table, {}, $($case = $value),+);
    };
    (@case $case:ident, { $($setup:tt)* }, $value:expr) => {
        #[test]
        #[allow(unused_variables)]
        fn $case() {
            $($setup)*
            check($value);
        }
    };
}
pub(crate) use cases;

/// The live tests that read or change the machine-wide process list (a whole live scan, a process
/// started under a tool's name) take turns: in one test binary they would otherwise overlap.
static MACHINE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Waits for this test's turn with the machine-wide process list; the turn ends when dropped.
pub fn machine_to_myself() -> std::sync::MutexGuard<'static, ()> {
    MACHINE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A real process whose name is `name`: a copy of `sleep`, as an assistant's or a remote tool's
/// program would be. Stopped when dropped.
pub struct NamedProcess(pub std::process::Child);

impl NamedProcess {
    /// Copies `sleep` to `dir/name` and starts it; `None` only when there is no `sleep`.
    pub fn start(dir: &Path, name: &str) -> Option<Self> {
        let sleep = which::which("sleep").ok()?;
        let copy = dir.join(name);
        std::fs::copy(sleep, &copy).unwrap();
        // A test running in parallel may fork while the copy's write handle is still open in
        // this process; exec then fails with "text file busy" until that child has exec'd.
        for attempt in 1.. {
            match std::process::Command::new(&copy).arg("120").spawn() {
                Ok(child) => return Some(NamedProcess(child)),
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && attempt < 50 => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                Err(e) => panic!("could not start {}: {e}", copy.display()),
            }
        }
        unreachable!()
    }

    pub fn pid(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for NamedProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A command answer made up for a test, for a case no real capture shows (a value of the wrong
/// type, a state no public sample has). Tests that use one say so next to it; parsers are still
/// tested on the real fixtures. It declares itself `made-up`, so no check may pass on it.
pub fn made_up(program: &str, args: &[&str], status: i32, stdout: &str, stderr: &str) -> RecordedCommand {
    let note = format!("made_up `{program} {}`", args.join(" "));
    declare(
        Provenance::MadeUp,
        &note,
        RecordedCommand {
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            output: confide::system::CommandOutput {
                status: Some(status),
                stdout: stdout.into(),
                stderr: stderr.into(),
                ..Default::default()
            },
        },
    )
}

/// Runs `confide scan --only ID --format json` on this machine (with `env` set) and returns the
/// check's finding. The scan itself must succeed (exit 0 or 1).
pub fn scan_finding(config: &Path, id: &str, env: &[(&str, &std::ffi::OsStr)]) -> serde_json::Value {
    let mut cmd = confide(config);
    cmd.args(["scan", "--only", id, "--format", "json"]);
    for (name, value) in env {
        cmd.env(name, value);
    }
    let out = cmd.output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "scan failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("no {id} finding"))
}
