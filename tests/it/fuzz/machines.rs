//! Every check's reading of command outputs and files, fuzzed through the check itself: real
//! recorded machines and every fixture, their outputs damaged, replayed through every built-in
//! check. This reaches each OS's parsers (plist/defaults, `reg query`, PowerShell JSON,
//! gsettings, systemctl, apt, sw_vers, os-release, netsh, fdesetup, manage-bde, lsblk, ss, ...)
//! without widening their visibility.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use confide::catalog::Catalog;
use confide::checks::CheckContext;
use confide::status::Status;
use confide::system::OsFamily;
use confide::system::replay::ReplaySystem;
use confide::system::snapshot::Snapshot;
use proptest::prelude::*;

use super::{Mutation, cases, mutations, soup};
use crate::common;

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog::load(&[]).unwrap());

/// Every fixture file under tests/fixtures that holds outputs, with the OS it was recorded on.
fn fixture_files() -> Vec<(OsFamily, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    let root = common::fixtures();
    let mut files = Vec::new();
    for (dir, os) in [
        ("linux", Some(OsFamily::Linux)),
        ("macos", Some(OsFamily::Macos)),
        ("windows", Some(OsFamily::Windows)),
        ("lan", Some(OsFamily::Linux)),
        ("os-support", None),
    ] {
        let mut paths = Vec::new();
        walk(&root.join(dir), &mut paths);
        paths.sort();
        for p in paths {
            let rel = p.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let os = os.unwrap_or(if name.starts_with("sw_vers") {
                OsFamily::Macos
            } else if name.starts_with("reg-") {
                OsFamily::Windows
            } else {
                OsFamily::Linux
            });
            files.push((os, rel));
        }
    }
    files
}

/// The machines the fuzzing starts from: the recorded whole machines, the assembled per-OS
/// machines, and one machine per fixture file.
static SEEDS: LazyLock<Vec<(String, Snapshot)>> = LazyLock::new(|| {
    let mut seeds = vec![
        (
            "linux/machine-debian12.json".to_string(),
            crate::machines::recorded("machine-debian12.json"),
        ),
        (
            "linux/machine-debian12-mycroft.json".to_string(),
            crate::machines::recorded("machine-debian12-mycroft.json"),
        ),
        ("macos_siri_on".to_string(), crate::machines::macos_siri_on()),
        ("windows_clean".to_string(), crate::machines::windows_clean()),
    ];
    for (os, fixture) in fixture_files() {
        seeds.push((fixture.clone(), common::machine_with(os, &[fixture.as_str()])));
    }
    seeds
});

/// Every built-in check's status on a machine, offline, with default thresholds.
fn statuses(snapshot: &Snapshot) -> Vec<(String, Status, String)> {
    let system = Arc::new(ReplaySystem::new(snapshot.clone()));
    let thresholds = BTreeMap::new();
    let profile = confide::profile::Profile::default();
    CATALOG
        .checks()
        .iter()
        .map(|check| {
            let out = check.run(&CheckContext {
                system: system.as_ref(),
                thresholds: &thresholds,
                offline: true,
                profile: &profile,
                ico_register: None,
            });
            (check.id().to_string(), out.status, out.summary)
        })
        .collect()
}

/// Applies the `n`th list of mutations (cyclically) to each output and file of a machine; a
/// `None` entry leaves that output as recorded.
fn damage(mut snapshot: Snapshot, plan: &[Option<Vec<Mutation>>], statuses: &[Option<i32>]) -> Snapshot {
    let mut k = 0;
    let mut next = || {
        k += 1;
        plan[k % plan.len()].clone()
    };
    for c in &mut snapshot.commands {
        if let Some(m) = next() {
            c.output.stdout = super::mutate(&c.output.stdout, &m);
        }
        if let Some(m) = next() {
            c.output.stderr = super::mutate(&c.output.stderr, &m);
        }
        if let Some(Some(s)) = next().map(|m| statuses.get(m.len() % statuses.len().max(1)).copied()) {
            c.output.status = s;
        }
    }
    for f in &mut snapshot.files {
        for text in [&mut f.contents, &mut f.head].into_iter().flatten() {
            if let Some(m) = next() {
                *text = super::mutate(text, &m);
            }
        }
    }
    for (_, value) in snapshot.env.iter_mut() {
        if let Some(m) = next() {
            *value = super::mutate(value, &m);
        }
    }
    snapshot
}

/// The same machine with every output replaced by arbitrary text (exit statuses kept).
fn garbage(mut snapshot: Snapshot, soups: &[String]) -> Snapshot {
    let mut k = 0;
    let mut next = || {
        k += 1;
        soups[k % soups.len()].clone()
    };
    for c in &mut snapshot.commands {
        c.output.stdout = next();
        c.output.stderr = next();
    }
    for f in &mut snapshot.files {
        for text in [&mut f.contents, &mut f.head].into_iter().flatten() {
            *text = next();
        }
    }
    snapshot
}

/// The same machine with none of its outputs: every command missing, every file with contents
/// absent (folders, and files recorded as missing, stay: they hold no text to be garbled).
fn without_outputs(mut snapshot: Snapshot) -> Snapshot {
    snapshot.commands.clear();
    snapshot.files.retain(|f| f.contents.is_none() && f.head.is_none());
    snapshot
}

/// Text no program prints as a whole answer: a blank answer, a bare number or a bare word (a
/// version `7`, `true`, `running`) can be a real one, so garbage holds some other character.
fn is_garbage(s: &str) -> bool {
    s.chars()
        .any(|c| !c.is_ascii_alphanumeric() && !c.is_whitespace() && c != '.')
}

fn seed() -> impl Strategy<Value = usize> {
    0..SEEDS.len()
}

#[test]
fn every_fixture_is_a_seed() {
    // The fuzzing starts from every recorded output there is, on each OS.
    let seeds = &*SEEDS;
    assert!(seeds.len() > 150, "{} seeds", seeds.len());
    for os in [OsFamily::Linux, OsFamily::Macos, OsFamily::Windows] {
        let with_commands = seeds
            .iter()
            .filter(|(_, s)| s.os.family == os && !s.commands.is_empty())
            .count();
        assert!(with_commands > 20, "{os:?}: {with_commands} seeds with commands");
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// A damaged output never makes a check panic, and every check still says something.
    #[test]
    fn damaged_outputs_never_panic_a_check(
        seed in seed(),
        plan in prop::collection::vec(prop::option::weighted(0.6, mutations()), 1..12),
        exit in prop::collection::vec(prop::option::of(-1i32..300), 1..4),
    ) {
        let (name, machine) = &SEEDS[seed];
        let damaged = damage(machine.clone(), &plan, &exit);
        for (id, _, summary) in statuses(&damaged) {
            prop_assert!(!summary.trim().is_empty(), "{name}: {id} said nothing");
        }
    }

    /// Arbitrary text where a program's output or a file was never makes a check pass that does
    /// not pass without those outputs at all: garbage is not evidence.
    #[test]
    fn garbage_is_not_evidence_of_a_pass(
        seed in seed(),
        soups in prop::collection::vec(soup().prop_filter("not garbage", |s| is_garbage(s)), 1..6),
    ) {
        let (name, machine) = &SEEDS[seed];
        let on_garbage = statuses(&garbage(machine.clone(), &soups));
        let on_nothing = statuses(&without_outputs(machine.clone()));
        for ((id, status, summary), (_, without, _)) in on_garbage.iter().zip(&on_nothing) {
            prop_assert!(
                *status != Status::Pass || *without == Status::Pass,
                "{name}: {id} passed on garbage ({summary}) but is {without:?} with no outputs"
            );
        }
    }
}
