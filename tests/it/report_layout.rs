//! The terminal report as a practitioner reads it: every recorded machine replayed at 80 and
//! 120 columns fits the width without a word broken, and its first screen (40 lines) holds the
//! whole summary: the verdict, one line per problem and the next step.

use crate::common;
use crate::machines::{macos_siri_on, recorded, windows_clean};

use common::{confide, write_snapshot};
use confide::report::wrap::BREAK_AFTER;
use confide::system::snapshot::Snapshot;

/// The terminal report of `snapshot` at `columns`, with the complete profile or (`None`) none.
fn report(snapshot: &Snapshot, columns: usize, profile: Option<&std::path::Path>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write_snapshot(dir.path(), "machine.json", snapshot);
    let mut cmd = confide(dir.path());
    match profile {
        Some(p) => cmd.env("CONFIDE_PROFILE", p),
        None => cmd.env_remove("CONFIDE_PROFILE"),
    };
    let out = cmd
        .env("COLUMNS", columns.to_string())
        .args(["scan", "--replay"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Without a profile the report on the screen says so at its top (tested below), so stderr
    // does not say it a second time.
    assert!(stderr.is_empty(), "{stderr}");
    String::from_utf8(out.stdout).unwrap()
}

fn machines() -> Vec<(&'static str, Snapshot)> {
    vec![
        ("macos-siri-on", macos_siri_on()),
        ("windows-clean", windows_clean()),
        ("debian12-mycroft", recorded("machine-debian12-mycroft.json")),
        ("debian12", recorded("machine-debian12.json")),
    ]
}

/// Checks that `wrapped` holds the same words as `unwrapped` in the same order, each whole on
/// one line, except a word too long for any line, which may only be broken after punctuation.
fn same_words_none_broken(name: &str, wrapped: &str, unwrapped: &str) {
    let mut pieces = wrapped.split_whitespace();
    for word in unwrapped.split_whitespace() {
        let mut rest = word;
        loop {
            let piece = pieces.next().unwrap_or_else(|| panic!("{name}: `{word}` is missing"));
            if piece == rest {
                break;
            }
            assert!(
                rest.starts_with(piece) && piece.ends_with(BREAK_AFTER) && word.chars().count() > 60,
                "{name}: `{word}` is broken mid-word as `{piece}`"
            );
            rest = &rest[piece.len()..];
        }
    }
    assert!(pieces.next().is_none(), "{name}: words were added");
}

#[test]
fn every_machine_fits_80_and_120_columns_without_a_broken_word() {
    let profile = common::complete_profile();
    for (name, machine) in machines() {
        let unwrapped = report(&machine, 100_000, Some(&profile));
        for width in [80, 120] {
            let text = report(&machine, width, Some(&profile));
            for (n, line) in text.lines().enumerate() {
                assert!(
                    line.chars().count() <= width,
                    "{name} at {width}: line {} has {} columns: {line}",
                    n + 1,
                    line.chars().count()
                );
            }
            same_words_none_broken(&format!("{name} at {width}"), &text, &unwrapped);
        }
    }
}

#[test]
fn the_first_screen_holds_the_verdict_every_problem_and_the_next_step() {
    let profile = common::complete_profile();
    for (name, machine) in machines() {
        let text = report(&machine, 80, Some(&profile));
        let lines: Vec<&str> = text.lines().collect();
        let screen = &lines[..40.min(lines.len())];
        let next = screen
            .iter()
            .position(|l| l.starts_with("Next: "))
            .unwrap_or_else(|| panic!("{name}: no next step on the first screen:\n{}", screen.join("\n")));
        let verdict = screen.iter().position(|l| l.contains(" failed, ")).unwrap();
        assert!(verdict < next, "{name}");
        // The same verdict closes the report.
        assert!(lines.last().unwrap().contains("not assessed yet."), "{name}");
        // Every problem in the details has its own line in the summary, worst first.
        let problems: Vec<&str> = lines
            .iter()
            .skip(next)
            .filter(|l| !l.contains(" failed, "))
            .filter(|l| ["FAIL ", "WARN ", "UNKNOWN "].iter().any(|s| l.starts_with(s)))
            .map(|l| l.split_once(' ').unwrap().1.trim())
            .collect();
        let summary: Vec<&str> = screen[verdict..next]
            .iter()
            .filter_map(|l| l.strip_prefix("  "))
            .filter(|l| ["FAIL ", "WARN ", "UNKNOWN "].iter().any(|s| l.starts_with(s)))
            .map(|l| {
                l.split_once(' ')
                    .unwrap()
                    .1
                    .trim()
                    .trim_end_matches(" (yours to confirm)")
            })
            .collect();
        assert_eq!(summary.len(), problems.len(), "{name}: {summary:?} {problems:?}");
        for (s, p) in summary.iter().zip(&problems) {
            assert!(s.starts_with(p) || p.starts_with(s), "{name}: `{s}` is not `{p}`");
        }
    }
}

#[test]
fn a_first_run_without_a_profile_says_to_run_init() {
    let text = report(&windows_clean(), 80, None);
    let screen: Vec<&str> = text.lines().take(40).collect();
    assert!(
        screen[..6].join(" ").contains("made without your answers"),
        "the notice is at the top: {}",
        screen.join("\n")
    );
    assert!(
        screen.join("\n").contains("Next: run `confide init`"),
        "{}",
        screen.join("\n")
    );
}

#[test]
fn citations_name_the_public_page_not_a_seed_file() {
    let text = report(&macos_siri_on(), 120, Some(&common::complete_profile()));
    assert!(!text.contains(".txt"), "{text}");
    assert!(text.contains("https://www.bacp.co.uk/workingonline"), "{text}");
    assert!(text.contains("British Association for Counselling and Psychotherapy (2020)"));
    assert!(
        text.contains("SecureMail)” [sic]"),
        "the source's stray bracket is marked"
    );
}
