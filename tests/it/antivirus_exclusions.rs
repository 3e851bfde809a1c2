//! `antivirus` on Windows: Defender's exclusions (a whole drive fails, a narrow folder is listed,
//! hidden ones are said), and a known bad signal deciding while another is unknown, over real
//! recorded outputs (tests/fixtures/windows/antivirus/).

use crate::common;

use common::{Case, add, cases, check_case, machine_with};
use confide::checks::antivirus::DEFENDER_COMMAND;
use confide::status::Status;
use confide::system::OsFamily::Windows;
use confide::system::snapshot::Snapshot;

const FRESH: &str = "windows/antivirus/defender-normal-fresh.toml";
const STALE: &str = "windows/antivirus/defender-stale-signatures.toml";

fn defender(status: &str, exclusions: &str) -> Snapshot {
    let mut s = machine_with(Windows, &[status]);
    add(
        &mut s,
        &format!("windows/antivirus/defender-exclusions-{exclusions}.toml"),
    );
    // A capture that selected fewer fields answers the check's own command (see antivirus.rs).
    for c in &mut s.commands {
        if c.args.last().is_some_and(|a| a.starts_with("Get-MpComputerStatus")) {
            *c.args.last_mut().unwrap() = DEFENDER_COMMAND.to_string();
        }
    }
    s
}

fn check(case: Case) {
    check_case("antivirus", case);
}

cases!(
    defender_exclusions,
    whole_drive_excluded_fails_naming_it = Case {
        name: "C:\\ excluded",
        machine: defender(FRESH, "drive"),
        status: Status::Fail,
        reason: "antivirus.exclusions-too-broad",
        says: &[
            "told not to scan `C:\\` (a whole drive)",
            "does not scan these places (exclusions): C:\\"
        ],
    },
    word_documents_and_word_itself_excluded_fail = Case {
        name: ".docx and WINWORD.EXE excluded",
        machine: defender(FRESH, "docx-winword"),
        status: Status::Fail,
        reason: "antivirus.exclusions-too-broad",
        says: &[
            "`*.docx` (every file of a kind client notes are kept in, wherever it is saved)",
            "the program `WINWORD.EXE` (every file your word processor, text editor or PDF reader opens)",
            "does not scan these places (exclusions): *.docx; files opened by WINWORD.EXE",
        ],
    },
    narrow_exclusion_passes_and_is_listed = Case {
        name: "one lab folder excluded",
        machine: defender(FRESH, "narrow"),
        status: Status::Pass,
        reason: "antivirus.protected",
        says: &["(exclusions): C:\\Lab\\ZonaExcluida"],
    },
    // "Nothing excluded" has no real capture (defender-exclusions-none.toml is format-only), so
    // no case may pass on it; the parser's reading of it is a unit test in
    // src/checks/antivirus/windows.rs.
    hidden_exclusions_are_unknown_with_the_elevated_fix = Case {
        name: "hidden from a non-administrator",
        machine: defender(FRESH, "hidden"),
        status: Status::Unknown,
        reason: "antivirus.exclusions-unseen",
        says: &["only to an administrator", "elevated terminal"],
    },
    hidden_exclusions_do_not_hide_stale_definitions = Case {
        name: "hidden exclusions, 278-day-old definitions",
        machine: defender(STALE, "hidden"),
        status: Status::Fail,
        reason: "antivirus.definitions-out-of-date",
        says: &["278 days old", "exclusions could not be seen"],
    },
    exclusions_not_answered_are_never_a_pass = Case {
        name: "Get-MpPreference not in the recording",
        machine: machine_with(Windows, &[FRESH]),
        status: Status::Unknown,
        reason: "antivirus.exclusions-unseen",
        says: &["`Get-MpPreference` could not be read"],
    },
    stale_definitions_decide_while_real_time_is_not_reported = Case {
        name: "278-day-old definitions, RealTimeProtectionEnabled not reported",
        machine: defender("windows/antivirus/defender-stale-realtime-unreported.toml", "none"),
        status: Status::Fail,
        reason: "antivirus.definitions-out-of-date",
        says: &[
            "Whether Microsoft Defender Antivirus is on could not be read (RealTimeProtectionEnabled was not reported)",
            "278 days old",
        ],
    },
    a_whole_drive_excluded_decides_while_real_time_is_not_reported = Case {
        name: "C:\\ excluded, RealTimeProtectionEnabled not reported",
        machine: defender("windows/antivirus/defender-stale-realtime-unreported.toml", "drive"),
        status: Status::Fail,
        reason: "antivirus.exclusions-too-broad",
        says: &["`C:\\` (a whole drive)", "could not tell whether protection is on"],
    },
);

/// A whole drive excluded is mended in Defender's exclusions list, not by turning protection on:
/// the report gives the reason's own steps, and a scan with protection off still gives the
/// general ones.
#[test]
fn a_broad_exclusion_gets_the_steps_for_exclusions() {
    let dir = tempfile::tempdir().unwrap();
    let replay = common::write_snapshot(dir.path(), "drive.json", &defender(FRESH, "drive"));
    let out = common::confide(dir.path())
        .args(["scan", "--only", "antivirus", "--format", "json", "--replay"])
        .arg(&replay)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = &report["findings"][0];
    assert_eq!(finding["reason"], "antivirus.exclusions-too-broad");
    let fix = finding["remediation"].as_str().unwrap();
    assert!(fix.contains("Add or remove exclusions"), "{fix}");
    assert!(fix.contains("Remove"), "{fix}");
    assert!(!fix.contains("turn on Real-time protection"), "{fix}");
}

/// `confide explain antivirus` shows the steps for an exclusion under their own heading.
#[test]
fn explain_shows_the_steps_for_exclusions() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::confide(dir.path())
        .args(["explain", "antivirus"])
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    assert!(out.status.success());
    // Wrapped at the width asked for: read as one line of words.
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let heading = "How to fix it on Windows when an antivirus product is on (or could not be read as on or off), but it has been told not to scan a whole drive, a home folder, Documents or the Desktop, where client notes live:";
    let at = text.find(heading).unwrap_or_else(|| panic!("{text}"));
    assert!(text[at..].contains("Add or remove exclusions"), "{text}");
    assert!(
        text.contains("How to fix it on Windows when an antivirus product is on with fresh definitions"),
        "{text}"
    );
}
