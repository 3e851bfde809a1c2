//! Every recorded-output fixture loads as part of a snapshot and says where it came from.

use crate::common;

use std::path::{Path, PathBuf};

use confide::system::OsFamily;

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

#[test]
fn every_fixture_loads_and_has_a_source_note() {
    let root = common::fixtures();
    let mut files = Vec::new();
    toml_files(&root, &mut files);
    files.retain(|f| !f.starts_with(root.join("profile")));
    assert!(files.len() > 100, "found only {} fixtures", files.len());
    for file in files {
        let relative = file.strip_prefix(&root).unwrap().to_str().unwrap().to_string();
        // `add` panics with the file's name on a fixture without a source note or with unknown keys.
        let mut machine = common::machine(OsFamily::Linux);
        common::add(&mut machine, &relative);
    }
}

#[test]
fn every_fixture_folder_has_notes() {
    let root = common::fixtures();
    for os in ["linux", "macos", "windows"] {
        for entry in std::fs::read_dir(root.join(os)).unwrap().flatten() {
            let dir = entry.path();
            let has_toml = dir.is_dir()
                && std::fs::read_dir(&dir)
                    .unwrap()
                    .flatten()
                    .any(|e| e.path().extension().is_some_and(|x| x == "toml"));
            if has_toml && !dir.ends_with("processes") {
                assert!(
                    dir.join("NOTES.md").is_file(),
                    "{} has fixtures but no NOTES.md",
                    dir.display()
                );
            }
        }
    }
}
