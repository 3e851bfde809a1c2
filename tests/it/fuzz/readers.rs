//! The readers of the user's own files: the policy, the profile (and `init`/`attest`'s edits of
//! it), the checks folder, a snapshot, the history and the ICO register. Damaged real files and
//! arbitrary text never panic; an error names the file; what is written reads back the same.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use confide::catalog::Catalog;
use confide::history::store::PolicyStamp;
use confide::history::{CheckState, History, HistoryEntry};
use confide::policy::Policy;
use confide::profile::{Attestation, Edit, Ico, Profile, apply_edits};
use confide::status::Status;
use confide::system::snapshot::Snapshot;
use jiff::civil::Date;
use proptest::prelude::*;

use super::{cases, mutate, mutations, soup};
use crate::common;

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog::load(&[]).unwrap());

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn texts_in(dir: &str) -> Vec<String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(repo(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

static POLICIES: LazyLock<Vec<String>> = LazyLock::new(|| texts_in("policies"));
static CHECK_FILES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut files = texts_in("checks");
    // The README's declarative checks, one of each probe kind.
    files.extend(
        [
            "[probe]\nkind = \"process\"\nnames = [\"backupd\", \"Backup.exe\"]\nrunning = true\n",
            "[probe]\nkind = \"command\"\nprogram = \"ufw\"\nargs = [\"status\"]\nexpect_status = 0\nstdout_regex = '^Status: active'\n",
            "[probe]\nkind = \"file\"\npath = \"~/.config/app/settings.ini\"\ncontains = 'encrypt\\s*=\\s*yes'\nexists = true\n",
            "[probe]\nkind = \"attestation\"\nquestion = \"Is your DBS check current?\"\nmax_age_days = 1095\nrenewal_warn_days = 30\n",
        ]
        .map(|probe| {
            format!("id = \"my-check\"\ntitle = \"Mine\"\nwhat = \"What it checks.\"\nwhy = \"Why.\"\nfix_all = [\"Do it.\"]\n\n{probe}")
        }),
    );
    files
});
static PROFILE: LazyLock<String> = LazyLock::new(|| std::fs::read_to_string(common::complete_profile()).unwrap());
static SNAPSHOT: LazyLock<String> =
    LazyLock::new(|| std::fs::read_to_string(common::fixtures().join("linux/machine-debian12.json")).unwrap());

/// A real file of a kind, damaged, or arbitrary text.
fn damaged(seeds: &'static [String]) -> impl Strategy<Value = String> {
    prop_oneof![
        soup(),
        (0..seeds.len(), mutations()).prop_map(move |(i, m)| mutate(&seeds[i], &m)),
    ]
}

fn named(err: &impl std::fmt::Display, path: &Path) -> Result<(), TestCaseError> {
    let shown = err.to_string();
    prop_assert!(
        shown.contains(&path.display().to_string()),
        "the error does not name the file: {shown}"
    );
    prop_assert!(
        shown.lines().all(|l| l.chars().count() < 400),
        "an error line is too long: {shown}"
    );
    Ok(())
}

fn date() -> impl Strategy<Value = Date> {
    (1990i16..2100, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

/// Words a practitioner might type: quotes, backslashes, newlines, accents, emoji, TOML syntax.
fn words() -> impl Strategy<Value = String> {
    prop_oneof!["\\PC{1,40}", "[a-zA-Z'\"\\\\ \n\t#=\\[\\]{}.é😀]{1,40}"]
}

fn edit() -> impl Strategy<Value = Edit> {
    let id = prop::sample::select(vec![
        "insurance",
        "supervision",
        "training",
        "breach-plan",
        "video-platform",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        words().prop_map(Edit::Name),
        words().prop_map(Edit::Membership),
        words().prop_map(Edit::Supervisor),
        prop::collection::vec("[a-z0-9.+_-]{1,12}@[a-z0-9-]{1,12}\\.(org|co\\.uk|com)", 0..4).prop_map(Edit::Emails),
        words().prop_map(Edit::IcoNumber),
        date().prop_map(Edit::IcoExpires),
        words().prop_map(Edit::IcoName),
        words().prop_map(Edit::IcoExempt),
        date().prop_map(Edit::IcoRecorded),
        (id.clone(), any::<bool>(), date()).prop_map(|(id, yes, confirmed)| Edit::Attest { id, yes, confirmed }),
        (id.clone(), date()).prop_map(|(id, date)| Edit::Renewal { id, date }),
        (id, words()).prop_map(|(id, note)| Edit::Note { id, note }),
    ]
}

/// What a profile holds after `edits`, as `init` and `attest` mean them. A renewal or a note for
/// an attestation never answered is left out (the commands only write them with an answer).
fn expected(mut p: Profile, edits: &[Edit]) -> (Profile, Vec<Edit>) {
    let tidy = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let mut kept = Vec::new();
    for e in edits {
        let ico = || Ico::default();
        match e {
            Edit::Name(v) => p.practitioner.name = tidy(v),
            Edit::Membership(v) => p.practitioner.membership = tidy(v),
            Edit::Supervisor(v) => p.practitioner.supervisor = tidy(v),
            Edit::Emails(l) => p.emails = l.clone(),
            Edit::IcoNumber(n) => {
                let i = p.ico.get_or_insert_with(ico);
                i.number = Some(n.clone());
                i.exempt = None;
            }
            Edit::IcoExpires(d) => p.ico.get_or_insert_with(ico).expires = Some(*d),
            Edit::IcoName(n) => p.ico.get_or_insert_with(ico).name = Some(n.clone()),
            Edit::IcoExempt(r) => {
                let i = p.ico.get_or_insert_with(ico);
                (i.number, i.expires, i.exempt) = (None, None, Some(r.clone()));
            }
            Edit::IcoRecorded(d) => p.ico.get_or_insert_with(ico).recorded = Some(*d),
            Edit::Attest { id, yes, confirmed } => {
                let a = p.attestations.entry(id.clone()).or_insert(Attestation {
                    yes: *yes,
                    confirmed: *confirmed,
                    renewal: None,
                    note: None,
                });
                (a.yes, a.confirmed) = (*yes, *confirmed);
            }
            Edit::Renewal { id, date } => match p.attestations.get_mut(id) {
                Some(a) => a.renewal = Some(*date),
                None => continue,
            },
            Edit::Note { id, note } => match p.attestations.get_mut(id) {
                Some(a) => a.note = Some(note.clone()),
                None => continue,
            },
        }
        kept.push(e.clone());
    }
    (p, kept)
}

fn history_entry() -> impl Strategy<Value = HistoryEntry> {
    let status = prop::sample::select(vec![
        Status::Pass,
        Status::Warn,
        Status::Fail,
        Status::Unknown,
        Status::Skipped,
    ]);
    (
        0i64..4_000_000_000,
        "[0-9]\\.[0-9]{1,2}\\.[0-9]",
        "[a-z-]{1,30}",
        "[0-9a-f]{64}",
        status.clone(),
        any::<bool>(),
        prop::option::of(words()),
        prop::collection::btree_map("[a-z-]{1,20}", (status, "[a-z.-]{1,40}"), 0..8),
    )
        .prop_map(
            |(t, version, id, sha256, overall, scheduled, notify_failed, checks)| HistoryEntry {
                time: jiff::Timestamp::from_second(t).unwrap(),
                version,
                policy: PolicyStamp { id, sha256 },
                overall,
                scheduled,
                notify_failed,
                checks: checks
                    .into_iter()
                    .map(|(k, (status, reason))| (k, CheckState { status, reason }))
                    .collect::<BTreeMap<_, _>>(),
            },
        )
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn a_damaged_policy_is_read_or_refused_naming_the_file(text in damaged(&POLICIES)) {
        let path = Path::new("/home/jo/policy.toml");
        if let Err(e) = Policy::parse(path, &text, &CATALOG) {
            named(&e, path)?;
        }
    }

    #[test]
    fn a_damaged_profile_is_read_or_refused_naming_the_file(
        text in damaged(std::slice::from_ref(&*PROFILE)),
        edits in prop::collection::vec(edit(), 0..4),
    ) {
        let path = Path::new("/home/jo/profile.toml");
        if let Err(e) = Profile::parse(path, &text, &|_| true) {
            named(&e, path)?;
        }
        // `init` and `attest` on a damaged profile: an edit applies or says where it cannot.
        if let Err(e) = apply_edits(&text, &edits) {
            named(&e.locate(path, &text), path)?;
        }
    }

    /// What `init` and `attest` write reads back as written, on a new profile and on a real one.
    #[test]
    fn a_written_profile_reads_back(edits in prop::collection::vec(edit(), 1..10), start_real in any::<bool>()) {
        let path = Path::new("/home/jo/profile.toml");
        let (start_text, start) = if start_real {
            let p = Profile::parse(path, &PROFILE, &|_| true).unwrap();
            (PROFILE.clone(), p)
        } else {
            (String::new(), Profile { origin: Some(path.to_path_buf()), ..Profile::default() })
        };
        let (want, kept) = expected(start, &edits);
        let text = apply_edits(&start_text, &kept).unwrap();
        let got = Profile::parse(path, &text, &|_| true).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(got, want, "{}", text);
    }

    #[test]
    fn a_damaged_checks_folder_is_read_or_refused_naming_the_file(
        texts in prop::collection::vec(damaged(&CHECK_FILES), 1..3),
    ) {
        let dir = tempfile::tempdir().unwrap();
        for (i, t) in texts.iter().enumerate() {
            std::fs::write(dir.path().join(format!("mine-{i}.toml")), t).unwrap();
        }
        match Catalog::load(&[dir.path().to_path_buf()]) {
            Err(e) => named(&e, dir.path())?,
            Ok(catalog) => {
                // A check that loaded also runs, on a real machine.
                let machine = crate::machines::recorded("machine-debian12.json");
                for id in catalog.ids().into_iter().filter(|id| catalog.is_user_added(id)) {
                    let check = catalog.check(id).unwrap();
                    let system = confide::system::replay::ReplaySystem::new(machine.clone());
                    let profile = Profile::default();
                    let _ = check.run(&confide::checks::CheckContext {
                        system: &system,
                        thresholds: &BTreeMap::new(),
                        offline: true,
                        profile: &profile,
                        ico_register: None,
                    });
                }
            }
        }
    }

    #[test]
    fn a_damaged_snapshot_is_read_or_refused_naming_the_file(text in damaged(std::slice::from_ref(&*SNAPSHOT))) {
        let path = Path::new("/home/jo/machine.json");
        if let Err(e) = Snapshot::parse(&text, path) {
            named(&e, path)?;
        }
    }

    /// A snapshot `collect` writes, whatever its outputs hold, reads back the same.
    #[test]
    fn a_written_snapshot_reads_back(outputs in prop::collection::vec(soup(), 1..8)) {
        let mut s = crate::machines::recorded("machine-debian12.json");
        for (c, o) in s.commands.iter_mut().zip(outputs.iter().cycle()) {
            c.output.stdout = o.clone();
        }
        let text = serde_json::to_string_pretty(&s).unwrap();
        let back = Snapshot::parse(&text, Path::new("machine.json")).unwrap();
        prop_assert_eq!(back, s);
    }

    /// Every line of the history is read as a run or named as damaged, and appended runs read
    /// back as they were.
    #[test]
    fn the_history_reads_back_and_names_each_damaged_line(
        entries in prop::collection::vec(history_entry(), 1..6),
        damage in prop::collection::vec(prop::option::weighted(0.4, mutations()), 1..6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        for e in &entries {
            History::append(&path, e).unwrap();
        }
        let read = History::load(&path).unwrap();
        prop_assert!(read.warnings.is_empty());
        prop_assert_eq!(&read.entries, &entries);

        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<String> = text
            .lines()
            .zip(damage.iter().cycle())
            .map(|(l, m)| m.as_ref().map_or_else(|| l.to_string(), |m| mutate(l, m).replace('\n', " ")))
            .collect();
        std::fs::write(&path, lines.join("\n")).unwrap();
        let read = History::load(&path).unwrap();
        let non_blank = lines.iter().filter(|l| !l.trim().is_empty()).count();
        prop_assert_eq!(read.entries.len() + read.warnings.len(), non_blank);
        for w in &read.warnings {
            prop_assert!(w.contains("history.jsonl") && w.contains("line "), "{}", w);
        }
    }

    #[test]
    fn a_damaged_ico_register_is_searched_or_refused(
        rows in prop::collection::vec(prop_oneof![
            soup(),
            ("Z[0-9]{7}", "\\PC{0,20}", "(20[0-9]{2}-[01][0-9]-[0-3][0-9]|\\PC{0,12})")
                .prop_map(|(n, name, end)| format!("{n},\"{}\",2025-01-01,{end},Tier 1", name.replace('"', "\"\""))),
        ], 0..8),
        header in prop_oneof![
            Just("Registration_number,Organisation_name,Start_date_of_registration,End_date_of_registration,Payment_tier".to_string()),
            soup(),
        ],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("register.csv");
        std::fs::write(&path, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
        for number in ["Z1234567", "ZA000000"] {
            if let Err(e) = confide::ico_register::find(&path, number) {
                prop_assert!(e.contains("register.csv"), "{}", e);
            }
        }
    }
}
