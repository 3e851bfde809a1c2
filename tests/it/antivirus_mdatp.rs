//! `antivirus` with Microsoft Defender for Endpoint on Linux and macOS: its exclusions from
//! `mdatp exclusion list` (a home folder fails, a narrow folder is listed, an answer confide has
//! no sample of is unknown, never a pass), and a broad exclusion deciding while the definitions'
//! age is unknown (tests/fixtures/linux/antivirus/mdatp-*.toml).

use crate::common;

use common::{Case, add, cases, check_case, machine_with};
use confide::status::Status;
use confide::system::OsFamily::{Linux, Macos};
use confide::system::ProcessInfo;
use confide::system::snapshot::Snapshot;

const HEALTHY: &str = "linux/antivirus/mdatp-health-healthy.toml";

/// Defender for Endpoint's daemon running, its real healthy `mdatp health`, and the exclusion
/// list of `exclusions` (a fixture path), on `os`.
fn defender(os: confide::system::OsFamily, exclusions: &str) -> Snapshot {
    let mut s = machine_with(os, &[HEALTHY]);
    add(&mut s, exclusions);
    s.processes = vec![common::declare(
        common::Provenance::Adapted,
        "Defender for Endpoint's daemon as its package runs it (wdavdaemon); pid, user and path are the test's",
        ProcessInfo {
            pid: 1,
            name: "wdavdaemon".into(),
            exe: Some("/opt/microsoft/mdatp/sbin/wdavdaemon".into()),
            user: Some("root".into()),
        },
    )];
    s
}

fn check(case: Case) {
    check_case("antivirus", case);
}

cases!(
    defender_for_endpoint_exclusions,
    a_narrow_folder_passes_and_is_listed = Case {
        name: "one application folder excluded",
        machine: defender(Linux, "linux/antivirus/mdatp-exclusions-one-folder.toml"),
        status: Status::Pass,
        reason: "antivirus.protected",
        says: &["Microsoft Defender for Endpoint does not scan these places (exclusions): /var/www/atrocore/vendor"],
    },
    a_home_folder_fails_naming_it = Case {
        name: "the home folder excluded",
        machine: defender(Linux, "linux/antivirus/mdatp-exclusions-home.toml"),
        status: Status::Fail,
        reason: "antivirus.exclusions-too-broad",
        says: &["told not to scan `/home/sam/` (a whole home folder)"],
    },
    an_empty_answer_is_unknown_not_none = Case {
        name: "mdatp lists nothing",
        machine: defender(Linux, "linux/antivirus/mdatp-exclusions-empty.toml"),
        status: Status::Unknown,
        reason: "antivirus.exclusions-unseen",
        says: &["printed nothing, and confide cannot yet tell whether that means nothing is excluded"],
    },
    a_failed_list_is_unknown = Case {
        name: "mdatp exclusion list fails",
        machine: {
            let mut s = machine_with(Linux, &[HEALTHY]);
            s.commands.push(common::made_up(
                "mdatp",
                &["exclusion", "list"],
                1,
                "",
                "error: permission denied",
            ));
            s
        },
        status: Status::Unknown,
        reason: "antivirus.exclusions-unseen",
        says: &["`mdatp exclusion list` could not be read"],
    },
    a_broad_exclusion_decides_while_the_definitions_age_is_unknown = Case {
        name: "home folder excluded, definitions' age not reported",
        machine: {
            let mut s = defender(Linux, "linux/antivirus/mdatp-exclusions-home.toml");
            for c in s.commands.iter_mut().filter(|c| c.args == ["health"]) {
                c.output.stdout = c
                    .output
                    .stdout
                    .lines()
                    .filter(|l| !l.starts_with("definitions_"))
                    .map(|l| format!("{l}\n"))
                    .collect();
                *c = common::declare(
                    common::Provenance::Adapted,
                    "mdatp-health-healthy.toml without its definitions_ lines",
                    c.clone(),
                );
            }
            s
        },
        status: Status::Fail,
        reason: "antivirus.exclusions-too-broad",
        says: &["`/home/sam/` (a whole home folder)"],
    },
    a_mac_home_folder_fails = Case {
        name: "Defender for Endpoint on a Mac, the home folder excluded",
        machine: defender(Macos, "macos/antivirus/mdatp-exclusions-home.toml"),
        status: Status::Fail,
        reason: "antivirus.exclusions-too-broad",
        says: &["`/Users/sam/` (a whole home folder)", "Microsoft Defender for Endpoint"],
    },
    defender_on_a_mac_protects_where_xprotect_cannot_be_dated = Case {
        name: "Defender for Endpoint on a Mac, one application folder excluded",
        machine: defender(Macos, "linux/antivirus/mdatp-exclusions-one-folder.toml"),
        status: Status::Pass,
        reason: "antivirus.protected",
        says: &[
            "Microsoft Defender for Endpoint (version 101.23062.0010)",
            "(exclusions): /var/www/atrocore/vendor"
        ],
    },
    the_desktop_s_own_name_for_documents_is_judged = Case {
        name: "Dokumente excluded on a German desktop",
        machine: {
            let mut s = machine_with(Linux, &[HEALTHY, "linux/antivirus/user-dirs-german.toml"]);
            s.commands.push(common::made_up(
                "mdatp",
                &["exclusion", "list"],
                0,
                "Excluded folder\nPath: \"/home/therapist/Dokumente/\"\nScope: [\"epp\"]\n",
                "",
            ));
            s
        },
        status: Status::Fail,
        reason: "antivirus.exclusions-too-broad",
        says: &["`/home/therapist/Dokumente/` (the Dokumente folder)"],
    },
);
