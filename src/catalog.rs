//! The words of every check (title, what it checks, why it matters, how to fix it per OS) and the
//! declarative checks users add, from `checks/*.toml`.
//!
//! The project's own files are embedded in the binary; files in `--checks-dir` and in the config
//! dir's `checks/` folder are read after them, so an organisation can reword a built-in check or
//! add its own without recompiling.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::checks::declarative::{DeclarativeCheck, ProbeFile};
use crate::checks::{self, Check};
use crate::diag::InputError;
use crate::system::OsFamily;
use crate::system::files::{InputKind, read_input};

/// `(path, text)` of each named file under `checks/`, embedded at compile time.
macro_rules! embedded_checks {
    ($($id:literal),* $(,)?) => {
        &[$((concat!("checks/", $id, ".toml"), include_str!(concat!("../checks/", $id, ".toml")))),*]
    };
}

/// The shipped attestations: checks that are words and a question only (no code), embedded.
const ATTESTATIONS: &[(&str, &str)] = embedded_checks![
    "breach-plan",
    "client-recontracting",
    "insurance",
    "private-space",
    "supervision",
    "training",
    "video-platform",
];

/// Every embedded check file: the built-in checks' words, then the attestations.
fn embedded() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    checks::BUILTIN_WORDS.iter().chain(ATTESTATIONS)
}

/// The words that explain one check to a practitioner.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckWords {
    pub id: String,
    pub title: String,
    pub what: String,
    pub why: String,
    /// Numbered steps a non-technical person can follow, per OS.
    pub fix: BTreeMap<OsFamily, Vec<String>>,
    /// Steps for any OS without its own (attestations: the same everywhere).
    pub fix_all: Vec<String>,
    /// Steps for one reason (the code after `<check-id>.`), per OS, from `[fix_reason.<code>]`:
    /// a broad antivirus exclusion is mended in another place than protection that is off, so a
    /// finding with that reason shows these steps instead of the check's general ones.
    pub fix_reason: BTreeMap<String, BTreeMap<OsFamily, Vec<String>>>,
    /// Where these words were read from (for messages).
    pub origin: PathBuf,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckFile {
    id: Spanned<String>,
    title: String,
    what: String,
    why: String,
    #[serde(default)]
    fix: BTreeMap<OsFamily, Vec<String>>,
    #[serde(default)]
    fix_all: Vec<String>,
    #[serde(default)]
    fix_reason: BTreeMap<Spanned<String>, BTreeMap<OsFamily, Vec<String>>>,
    probe: Option<Spanned<ProbeFile>>,
}

impl CheckWords {
    /// The steps for `os`: its own, or the ones for every OS.
    pub fn fix_for(&self, os: OsFamily) -> Option<&[String]> {
        self.fix
            .get(&os)
            .map(Vec::as_slice)
            .or_else(|| (!self.fix_all.is_empty()).then_some(self.fix_all.as_slice()))
    }

    /// The steps for a finding with `reason` (the full `<check-id>.<code>`) on `os`: the reason's
    /// own steps where the words give them, else the check's steps for `os`.
    pub fn fix_for_reason(&self, reason: &str, os: OsFamily) -> Option<&[String]> {
        reason
            .strip_prefix(self.id.as_str())
            .and_then(|code| code.strip_prefix('.'))
            .and_then(|code| self.fix_reason.get(code))
            .and_then(|per_os| per_os.get(&os))
            .map(Vec::as_slice)
            .or_else(|| self.fix_for(os))
    }
}

/// Every check confide knows, with its words.
pub struct Catalog {
    checks: Vec<Arc<dyn Check>>,
    words: BTreeMap<String, CheckWords>,
    /// Declarative checks from the user's or organisation's folders (not shipped with confide):
    /// they run in every scan, whatever the policy.
    user_added: std::collections::BTreeSet<String>,
}

impl Catalog {
    /// The built-in checks and embedded words, then every `*.toml` in `dirs` (in order; later
    /// files win).
    pub fn load(dirs: &[PathBuf]) -> Result<Catalog, InputError> {
        let mut catalog = Catalog {
            checks: checks::builtin(),
            words: BTreeMap::new(),
            user_added: Default::default(),
        };
        for (name, text) in embedded() {
            catalog.add_file(Path::new(name), text)?;
        }
        for dir in dirs {
            for path in toml_files(dir)? {
                let Some(text) = read_input(&path, InputKind::CheckFile)? else {
                    return Err(InputError::whole_file(
                        &path,
                        "cannot read the check file: it is a link to a file that does not exist",
                    )
                    .help("remove the link, or make it point at the check file"));
                };
                let id = catalog.add_file(&path, &text)?;
                if catalog.check(&id).is_some_and(|c| c.is_declarative()) {
                    catalog.user_added.insert(id);
                }
            }
        }
        catalog.checks.sort_by(|a, b| a.id().cmp(b.id()));
        Ok(catalog)
    }

    /// Adds one check file; returns its check id.
    fn add_file(&mut self, path: &Path, text: &str) -> Result<String, InputError> {
        let file: CheckFile = toml::from_str(text).map_err(|e| {
            InputError::from_toml(path, text, &e)
                .help("see `checks/voice-assistants.toml` for the layout, and the README's \"Adding your own check\"")
        })?;
        let id = file.id.get_ref().clone();
        let added = id.clone();
        let id_at = |message: String| InputError::at_offset(path, text, file.id.span().start, message);
        if !is_kebab_case(&id) {
            return Err(id_at(format!("check id `{id}` must be kebab-case"))
                .help("use lower-case words joined by hyphens, e.g. `backup-agent`"));
        }
        let builtin = self.checks.iter().any(|c| c.id() == id && !c.is_declarative());
        match (&file.probe, builtin) {
            (Some(probe), true) => {
                return Err(InputError::at_offset(
                    path,
                    text,
                    probe.span().start,
                    format!("`{id}` is a built-in check, so it cannot have a [probe]"),
                )
                .help("remove the [probe] table to reword the built-in check, or give your check another id"));
            }
            (None, false) => {
                return Err(id_at(format!("there is no built-in check `{id}`")).help(
                    "add a [probe] table to make this a declarative check, or use the id of a built-in check (`confide checks` lists them)",
                ));
            }
            (Some(probe), false) => {
                let check = DeclarativeCheck::from_file(&id, probe, path, text)?;
                self.checks.retain(|c| c.id() != id);
                self.checks.push(Arc::new(check));
            }
            (None, true) => {}
        }
        if let Some(check) = self.check(&id) {
            let codes: Vec<&str> = check.reasons().iter().map(|r| r.code).collect();
            if let Some(unknown) = file.fix_reason.keys().find(|k| !codes.contains(&k.get_ref().as_str())) {
                return Err(InputError::at_offset(
                    path,
                    text,
                    unknown.span().start,
                    format!("`{id}` has no reason `{}`", unknown.get_ref()),
                )
                .help(format!(
                    "use one of the codes `confide explain {id}` lists under \"Possible findings\" (the part after `{id}.`)"
                )));
            }
        }
        self.words.insert(
            id.clone(),
            CheckWords {
                id,
                title: file.title,
                what: file.what,
                why: file.why,
                fix: file.fix,
                fix_all: file.fix_all,
                fix_reason: file
                    .fix_reason
                    .into_iter()
                    .map(|(code, steps)| (code.into_inner(), steps))
                    .collect(),
                origin: path.to_path_buf(),
            },
        );
        Ok(added)
    }

    /// All checks, sorted by id.
    pub fn checks(&self) -> &[Arc<dyn Check>] {
        &self.checks
    }

    pub fn check(&self, id: &str) -> Option<&Arc<dyn Check>> {
        self.checks.iter().find(|c| c.id() == id)
    }

    pub fn words(&self, id: &str) -> Option<&CheckWords> {
        self.words.get(id)
    }

    /// True for a declarative check from the user's or organisation's folders.
    pub fn is_user_added(&self, id: &str) -> bool {
        self.user_added.contains(id)
    }

    /// The ids, for "did you mean" help.
    pub fn ids(&self) -> Vec<&str> {
        self.checks.iter().map(|c| c.id()).collect()
    }
}

fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id
            .split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && id.starts_with(|c: char| c.is_ascii_lowercase())
}

/// The `*.toml` files of a directory, sorted; a directory that does not exist has none.
fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, InputError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(InputError::whole_file(
                dir,
                format!("cannot read the checks directory: {e}"),
            ));
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        // Folders, pipes and broken links named *.toml are kept, so that reading them says why
        // they are not check files instead of skipping them silently.
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_check_has_complete_words() {
        let catalog = Catalog::load(&[]).unwrap();
        for check in catalog.checks() {
            let words = catalog
                .words(check.id())
                .unwrap_or_else(|| panic!("no checks/{}.toml", check.id()));
            assert!(!words.title.trim().is_empty() && !words.what.trim().is_empty() && !words.why.trim().is_empty());
            for os in OsFamily::ALL {
                let steps = words
                    .fix_for(os)
                    .unwrap_or_else(|| panic!("{}: no fix steps for {os}", check.id()));
                assert!(!steps.is_empty(), "{}: empty fix steps for {os}", check.id());
                assert!(steps.iter().all(|s| !s.trim().is_empty()));
            }
        }
    }

    /// Every finding that asks the practitioner to act (warn or fail) comes with steps on every
    /// OS its check runs on: the reason's own, or the check's general ones.
    #[test]
    fn every_warn_and_fail_reason_has_fix_steps() {
        let catalog = Catalog::load(&[]).unwrap();
        for check in catalog.checks() {
            let words = catalog.words(check.id()).unwrap();
            for reason in check.reasons() {
                if !matches!(reason.status, crate::status::Status::Warn | crate::status::Status::Fail) {
                    continue;
                }
                let code = format!("{}.{}", check.id(), reason.code);
                for os in check.supported_os() {
                    let steps = words.fix_for_reason(&code, *os).unwrap_or_default();
                    assert!(!steps.is_empty(), "{code}: no fix steps on {os}");
                }
            }
        }
    }

    /// Findings whose mending is elsewhere than the check's general steps (an exclusion, an
    /// update waiting, a list confide could not read) have steps of their own on every OS.
    #[test]
    fn findings_mended_elsewhere_have_their_own_steps() {
        let own = [
            ("antivirus", "exclusions-too-broad"),
            ("antivirus", "exclusions-unseen"),
            ("os-updates", "updates-waiting"),
            ("os-updates", "security-updates-overdue"),
            ("os-updates", "waiting-unreadable"),
        ];
        let catalog = Catalog::load(&[]).unwrap();
        for (id, code) in own {
            let words = catalog.words(id).unwrap();
            for os in OsFamily::ALL {
                let steps = &words.fix_reason[code][&os];
                assert!(steps.len() >= 2, "{id}.{code}: too few steps on {os}");
                assert_ne!(Some(steps.as_slice()), words.fix_for(os), "{id}.{code} on {os}");
                assert_eq!(
                    words.fix_for_reason(&format!("{id}.{code}"), os),
                    Some(steps.as_slice())
                );
            }
            assert_eq!(
                words.fix_for_reason(&format!("{id}.unreadable-by-typo"), OsFamily::Linux),
                words.fix_for(OsFamily::Linux),
                "a reason without steps of its own falls back to the check's"
            );
        }
    }

    #[test]
    fn steps_for_a_reason_the_check_lacks_are_refused_at_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("antivirus.toml");
        std::fs::write(
            &path,
            "id = \"antivirus\"\ntitle = \"t\"\nwhat = \"w\"\nwhy = \"y\"\n\n[fix_reason.exclusion-too-broad]\nlinux = [\"x\"]\n",
        )
        .unwrap();
        let err = Catalog::load(&[dir.path().to_path_buf()])
            .err()
            .expect("a typo in a reason code is refused");
        let shown = err.to_string();
        assert!(shown.contains("has no reason `exclusion-too-broad`"), "{shown}");
        assert!(shown.contains(":6:"), "names the line: {shown}");
    }

    #[test]
    fn every_embedded_file_is_a_check_and_every_builtin_has_words() {
        let catalog = Catalog::load(&[]).unwrap();
        assert_eq!(catalog.words.len(), embedded().count());
        assert_eq!(catalog.checks().len(), embedded().count());
        for check in checks::builtin() {
            assert!(
                catalog.words(check.id()).is_some(),
                "{} has no checks/{}.toml",
                check.id(),
                check.id()
            );
        }
        for (name, _) in embedded() {
            let id = name.trim_start_matches("checks/").trim_end_matches(".toml");
            assert!(catalog.check(id).is_some(), "{name}: its id must match its file name");
        }
    }

    #[test]
    fn the_shipped_attestations_are_there() {
        let catalog = Catalog::load(&[]).unwrap();
        let ids: Vec<&str> = catalog
            .checks()
            .iter()
            .filter(|c| c.attestation().is_some())
            .map(|c| c.id())
            .collect();
        assert_eq!(
            ids,
            [
                "breach-plan",
                "client-recontracting",
                "insurance",
                "private-space",
                "supervision",
                "training",
                "video-platform"
            ]
        );
    }

    #[test]
    fn kebab_case_ids() {
        assert!(is_kebab_case("voice-assistants"));
        assert!(is_kebab_case("ico2"));
        assert!(!is_kebab_case("Voice"));
        assert!(!is_kebab_case("a--b"));
        assert!(!is_kebab_case("-a"));
    }
}
