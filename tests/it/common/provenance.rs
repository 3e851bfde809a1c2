//! Where each recorded output in a test machine came from, and the rule built on it: an output
//! no one captured may only ever lead to `unknown` (or a finding), never to a pass.
//!
//! Every fixture states `provenance` in its TOML; an output written inline in a test is declared
//! through [`declare`] (or [`super::made_up`], which declares itself `made-up`). When a check
//! passes on a machine, [`refuse_made_up_pass`] looks up each of the machine's outputs by its
//! exact content and fails the test, naming the fixture or inline output, if one is `made-up`.
//! (Inline outputs built by a test's own helpers and never declared are not yet refused.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{LazyLock, Mutex};

use confide::system::ProcessInfo;
use confide::system::snapshot::{RecordedCommand, RecordedFile, Snapshot};
use serde::{Deserialize, Serialize};

/// How much of a recorded output someone actually saw on a real machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provenance {
    /// Captured or copied verbatim from a real machine's output.
    Real,
    /// A real output with named changes (line endings, a removed line, an inferred exit code).
    Adapted,
    /// The layout is proven by a real output; the value shown was not captured for this key.
    FormatOnly,
    /// Nobody captured anything like it: may only ever lead to `unknown`, never to a pass.
    MadeUp,
}

/// One output of a machine, as a lookup key: its kind and its exact serialised content.
fn key<T: Serialize>(kind: &str, item: &T) -> String {
    format!("{kind}:{}", serde_json::to_string(item).unwrap())
}

fn env_key(name: &str, value: &str) -> String {
    format!("env:{name}={value}")
}

/// Every output's declared origins: (fixture path or inline label, provenance).
type Registry = BTreeMap<String, BTreeSet<(String, Provenance)>>;

/// The fixtures' outputs, read once from tests/fixtures so that a lookup never depends on which
/// tests happened to run first.
static FIXTURES: LazyLock<Registry> = LazyLock::new(|| {
    let root = super::fixtures();
    let mut files = Vec::new();
    toml_files(&root, &mut files);
    let mut registry = Registry::new();
    for file in files {
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if relative.starts_with("profile/") {
            continue;
        }
        let fixture = super::read_fixture(&relative);
        let mut put = |k: String| {
            registry
                .entry(k)
                .or_default()
                .insert((relative.clone(), fixture.provenance));
        };
        fixture.commands.iter().for_each(|c| put(key("command", c)));
        fixture.files.iter().for_each(|f| put(key("file", f)));
        fixture.processes.iter().for_each(|p| put(key("process", p)));
        fixture.env.iter().for_each(|(n, v)| put(env_key(n, v)));
    }
    registry
});

/// Outputs written inline in tests, declared as they are made.
static INLINE: LazyLock<Mutex<Registry>> = LazyLock::new(Default::default);

/// Every .toml under `dir`, recursively.
pub fn toml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// Something a test machine holds that can be declared: a command's answer, a file, a process.
pub trait Output {
    fn key(&self) -> String;
}

impl Output for RecordedCommand {
    fn key(&self) -> String {
        key("command", self)
    }
}

impl Output for RecordedFile {
    fn key(&self) -> String {
        key("file", self)
    }
}

impl Output for ProcessInfo {
    fn key(&self) -> String {
        key("process", self)
    }
}

/// Declares where an output written inline in a test came from, and returns it. `note` says
/// where (for `real`, `adapted`, `format-only`) or why no real sample exists (for `made-up`).
pub fn declare<T: Output>(provenance: Provenance, note: &str, output: T) -> T {
    assert!(
        note.trim().len() > 10,
        "an inline output's declaration must say where it came from"
    );
    INLINE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(output.key())
        .or_default()
        .insert((format!("inline output ({note})"), provenance));
    output
}

/// The outputs of `snapshot` that may not decide a pass: each as "where: why".
pub fn made_up_inputs(snapshot: &Snapshot) -> Vec<String> {
    let inline = INLINE.lock().unwrap_or_else(|p| p.into_inner());
    let mut keys: Vec<(String, String)> = Vec::new();
    for c in &snapshot.commands {
        keys.push((c.key(), format!("`{} {}`", c.program, c.args.join(" "))));
    }
    for f in &snapshot.files {
        keys.push((f.key(), format!("file {}", f.path)));
    }
    for p in &snapshot.processes {
        keys.push((p.key(), format!("process {} (pid {})", p.name, p.pid)));
    }
    for (n, v) in &snapshot.env {
        keys.push((env_key(n, v), format!("environment {n}")));
    }
    let mut refused = BTreeSet::new();
    for (k, what) in keys {
        let origins: Vec<&(String, Provenance)> =
            FIXTURES.get(&k).into_iter().chain(inline.get(&k)).flatten().collect();
        for (origin, provenance) in origins {
            if *provenance == Provenance::MadeUp {
                refused.insert(format!("{what}: {origin} is made-up"));
            }
        }
    }
    refused.into_iter().collect()
}

/// Fails the test when `passed` and the machine holds a made-up output: a pass must rest only on
/// outputs someone saw on a real machine.
pub fn refuse_made_up_pass(snapshot: &Snapshot, passed: bool, what: &str) {
    if !passed {
        return;
    }
    let refused = made_up_inputs(snapshot);
    assert!(
        refused.is_empty(),
        "{what} passed on a machine with outputs no one captured; a made-up output may only lead \
         to `unknown`. Replace them with real ones or expect `unknown`:\n  {}",
        refused.join("\n  ")
    );
}
