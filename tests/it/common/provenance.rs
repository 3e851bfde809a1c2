//! Where each recorded output in a test machine came from, and the rule built on it: an output
//! no one captured may only ever lead to `unknown` (or a finding), never to a pass.
//!
//! Every fixture states `provenance` in its TOML; a machine recorded with `confide collect` under
//! tests/fixtures is `real`; an output written inline in a test is declared through [`declare`]
//! or [`declare_env`] (or [`super::made_up`], which declares itself `made-up`). An output that is
//! `made-up`, `format-only` (its value was never seen for that key) or not declared at all may
//! not decide a pass. When a check passes, [`refuse_unfounded_pass`] takes those outputs out,
//! all together and each alone, and runs the check again: if the verdict changes, the pass rested
//! on them and the test fails, naming them. [`super::run_check`] applies it to one check, and
//! [`super::write_snapshot`] to every check on a whole machine the binary will replay.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{LazyLock, Mutex};

use confide::checks::Outcome;
use confide::status::Status;
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
    /// The layout is proven by a real output; the value shown was not captured for this key. An
    /// invented value is invented whatever its layout: like `made-up`, it may not decide a pass.
    /// (Where the value is the documented one and the layout a real capture, say so: `adapted`.)
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
    // Whole machines recorded with `confide collect` are real captures, every output in them.
    let mut recorded = Vec::new();
    files_with_extension(&root, "json", &mut recorded);
    for file in recorded {
        let text = std::fs::read_to_string(&file).unwrap();
        let Ok(snapshot) = Snapshot::parse(&text, &file) else {
            continue;
        };
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let provenance = recorded_provenance(&relative, &snapshot);
        let mut put = |k: String| {
            registry.entry(k).or_default().insert((relative.clone(), provenance));
        };
        snapshot.commands.iter().for_each(|c| put(key("command", c)));
        snapshot.files.iter().for_each(|f| put(key("file", f)));
        snapshot.processes.iter().for_each(|p| put(key("process", p)));
        snapshot.env.iter().for_each(|(n, v)| put(env_key(n, v)));
    }
    registry
});

/// A recorded machine under tests/fixtures is `real` when its note says it was recorded with
/// `confide collect`; any other snapshot there must not be there without a fixture's note.
pub fn recorded_provenance(relative: &str, snapshot: &Snapshot) -> Provenance {
    let note = snapshot.note.as_deref().unwrap_or_default();
    assert!(
        note.starts_with("Recorded with `confide collect"),
        "{relative}: a recorded machine's note must say it was recorded with `confide collect` \
         (and where); a hand-assembled machine belongs in .toml fixtures with their provenance"
    );
    Provenance::Real
}

/// Outputs written inline in tests, declared as they are made.
static INLINE: LazyLock<Mutex<Registry>> = LazyLock::new(Default::default);

/// Every .toml under `dir`, recursively.
pub fn toml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    files_with_extension(dir, "toml", out);
}

/// Every file ending in `.{extension}` under `dir`, recursively.
pub fn files_with_extension(dir: &Path, extension: &str, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_with_extension(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
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

/// Where one output sits in a snapshot, so that it can be taken out again.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Command(usize),
    File(usize),
    Process(usize),
    Env(String),
}

/// Sets an environment variable on a test machine and declares where its value came from, as
/// [`declare`] does for a command's answer: a variable a check reads is an output of the machine.
pub fn declare_env(snapshot: &mut Snapshot, provenance: Provenance, note: &str, name: &str, value: &str) {
    assert!(
        note.trim().len() > 10,
        "an inline output's declaration must say where it came from"
    );
    INLINE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(env_key(name, value))
        .or_default()
        .insert((format!("inline output ({note})"), provenance));
    snapshot.env.insert(name.into(), value.into());
}

/// The outputs of `snapshot` that may not decide a pass, each with where it sits and "what:
/// why". An output may not decide a pass when it is `made-up` or `format-only` (its layout is
/// real but its value was never seen), or when no fixture, recorded machine or [`declare`] states
/// where it came from (an undeclared inline output counts as made-up).
fn refused_slots(snapshot: &Snapshot) -> Vec<(Slot, String)> {
    let inline = INLINE.lock().unwrap_or_else(|p| p.into_inner());
    let mut keys: Vec<(Slot, String, String)> = Vec::new();
    for (i, c) in snapshot.commands.iter().enumerate() {
        keys.push((
            Slot::Command(i),
            c.key(),
            format!("`{} {}`", c.program, c.args.join(" ")),
        ));
    }
    for (i, f) in snapshot.files.iter().enumerate() {
        keys.push((Slot::File(i), f.key(), format!("file {}", f.path)));
    }
    for (i, p) in snapshot.processes.iter().enumerate() {
        keys.push((Slot::Process(i), p.key(), format!("process {} (pid {})", p.name, p.pid)));
    }
    for (n, v) in &snapshot.env {
        keys.push((Slot::Env(n.clone()), env_key(n, v), format!("environment {n}")));
    }
    let mut refused = Vec::new();
    for (slot, k, what) in keys {
        let origins: Vec<&(String, Provenance)> =
            FIXTURES.get(&k).into_iter().chain(inline.get(&k)).flatten().collect();
        if origins.is_empty() {
            refused.push((
                slot,
                format!("{what}: an undeclared inline output (declare it with common::declare)"),
            ));
            continue;
        }
        // One output may have been declared by several fixtures; the most trusted one counts.
        let best = origins.iter().min_by_key(|(_, p)| *p).unwrap();
        match best.1 {
            Provenance::MadeUp => refused.push((slot, format!("{what}: {} is made-up", best.0))),
            Provenance::FormatOnly => refused.push((slot, format!("{what}: {} is format-only", best.0))),
            Provenance::Real | Provenance::Adapted => {}
        }
    }
    refused
}

/// The outputs of `snapshot` that may not decide a pass: each as "where: why".
pub fn made_up_inputs(snapshot: &Snapshot) -> Vec<String> {
    let mut refused: Vec<String> = refused_slots(snapshot).into_iter().map(|(_, why)| why).collect();
    refused.sort();
    refused.dedup();
    refused
}

/// `snapshot` with the outputs in `slots` taken out.
fn without(snapshot: &Snapshot, slots: &[&Slot]) -> Snapshot {
    let mut s = snapshot.clone();
    let keep = |slot: Slot| !slots.contains(&&slot);
    s.commands = enumerate_kept(&snapshot.commands, |i| keep(Slot::Command(i)));
    s.files = enumerate_kept(&snapshot.files, |i| keep(Slot::File(i)));
    s.processes = enumerate_kept(&snapshot.processes, |i| keep(Slot::Process(i)));
    s.env.retain(|n, _| keep(Slot::Env(n.clone())));
    s
}

fn enumerate_kept<T: Clone>(items: &[T], keep: impl Fn(usize) -> bool) -> Vec<T> {
    items
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, t)| t.clone())
        .collect()
}

/// The outputs a verdict rests on, among those that may not decide a pass. Empty when the check
/// gives the same verdict (status and reason) with all of them taken out and with each of them
/// taken out alone: the second catches an output that decides only next to another refused one
/// (a made-up policy overriding a made-up setting). Otherwise those whose removal alone changes
/// the verdict, or, when none does alone (two made-up outputs that each suffice), all of them.
pub fn unfounded_inputs(snapshot: &Snapshot, verdict: &Outcome, run: &dyn Fn(Snapshot) -> Outcome) -> Vec<String> {
    let refused = refused_slots(snapshot);
    if refused.is_empty() {
        return Vec::new();
    }
    let same = |out: &Outcome| out.status == verdict.status && out.reason == verdict.reason;
    let all: Vec<&Slot> = refused.iter().map(|(slot, _)| slot).collect();
    let same_without_all = same(&run(without(snapshot, &all)));
    let mut deciding: Vec<String> = refused
        .iter()
        .filter(|(slot, _)| !same(&run(without(snapshot, &[slot]))))
        .map(|(_, why)| why.clone())
        .collect();
    if same_without_all && deciding.is_empty() {
        return Vec::new();
    }
    if deciding.is_empty() {
        deciding = refused.into_iter().map(|(_, why)| why).collect();
    }
    deciding.sort();
    deciding.dedup();
    deciding
}

/// Fails the test when `verdict` is a pass that rests on an output no one saw on a real machine:
/// one that is made-up, format-only or undeclared, and without which the check would not give
/// the same pass. `run` runs the same check on another machine.
pub fn refuse_unfounded_pass(snapshot: &Snapshot, verdict: &Outcome, what: &str, run: &dyn Fn(Snapshot) -> Outcome) {
    if verdict.status != Status::Pass {
        return;
    }
    let refused = unfounded_inputs(snapshot, verdict, run);
    assert!(
        refused.is_empty(),
        "{what} passed on a machine with outputs no one captured; a made-up, format-only or \
         undeclared output may only lead to `unknown` or a finding. Replace them with real ones, \
         declare them honestly, or expect a result other than a pass:\n  {}",
        refused.join("\n  ")
    );
}
