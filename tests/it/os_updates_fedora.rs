//! `os-updates` on Fedora: the updates waiting and for how long, from dnf's cached advisories
//! (dnf5's list dated by each advisory's Issued day; dnf 4's undated), over the fixtures in
//! tests/fixtures/linux/os-updates/fedora-dnf*-advisories-*.toml.

use crate::common;

use common::{Case, cases, check_case, machine_with};
use confide::status::Status;
use confide::system::OsFamily::Linux;
use confide::system::snapshot::Snapshot;

/// Fedora 41 with dnf5-automatic installing updates, and `advisories` as dnf lists them, at
/// the test machines' clock (2026-11-22).
fn fedora_automatic(advisories: &str) -> Snapshot {
    machine_with(
        Linux,
        &[
            "os-support/os-release-fedora41.toml",
            // The timer's fixture records the host files as missing, and the first answer for a
            // path is the one replayed: the written file comes first.
            "linux/os-updates/fedora-dnf-automatic-conf-etc-apply-yes.toml",
            "linux/os-updates/fedora-dnf5-automatic-timer-enabled.toml",
            &format!("linux/os-updates/fedora-{advisories}.toml"),
        ],
    )
}

fn check(case: Case) {
    check_case("os-updates", case);
}

cases!(
    fedora_updates_waiting,
    empty_list_is_unknown_not_pass = Case {
        name: "dnf5 lists no advisory (as it also does with an empty cache)",
        machine: fedora_automatic("dnf5-advisories-none"),
        status: Status::Unknown,
        reason: "os-updates.waiting-unreadable",
        says: &["dnf5 listed no update advisory", "dnf5 --cacheonly advisory list"],
    },
    security_fix_issued_3_days_ago_warns = Case {
        name: "a security advisory issued 3 days ago",
        machine: fedora_automatic("dnf5-advisories-recent"),
        status: Status::Warn,
        reason: "os-updates.updates-waiting",
        says: &[
            "4 updates are waiting to be installed, 2 of them security fixes (the oldest security fix released 3 days ago)",
            "glib2-debuginfo-2.80.2-1.fc40.x86_64",
            "the oldest security fix waiting was issued on 2026-11-19",
        ],
    },
    security_fix_issued_long_ago_fails = Case {
        name: "a security advisory issued in May 2024",
        machine: fedora_automatic("dnf5-advisories-waiting"),
        status: Status::Fail,
        reason: "os-updates.security-updates-overdue",
        says: &[
            "the oldest security fix among them was released at least 924 days ago",
            "within 14 days",
            "issued on 2024-05-12"
        ],
    },
    dnf5_failing_is_unknown_not_pass = Case {
        name: "dnf5 fails",
        machine: {
            let mut s = fedora_automatic("dnf5-advisories-none");
            s.commands.retain(|c| c.program != "dnf5");
            s.commands.push(common::made_up(
                "dnf5",
                &["--cacheonly", "advisory", "list"],
                1,
                "",
                "confide test: dnf5 stopped with an error\n",
            ));
            s
        },
        status: Status::Unknown,
        reason: "os-updates.waiting-unreadable",
        says: &["could not see whether updates are waiting", "`dnf5` exited with 1"],
    },
    dnf4_empty_answer_is_unknown_not_pass = Case {
        name: "dnf 4 lists nothing (as it does with no repository cached)",
        machine: fedora_automatic("dnf4-advisories-empty"),
        status: Status::Unknown,
        reason: "os-updates.waiting-unreadable",
        says: &["dnf 4 listed no update advisory"],
    },
    dnf4_security_fix_warns_undated = Case {
        name: "dnf 4 lists a security advisory, undated",
        machine: fedora_automatic("dnf4-advisories-waiting"),
        status: Status::Warn,
        reason: "os-updates.updates-waiting",
        says: &[
            "1 update is waiting to be installed, 1 of them a security fix",
            "TurboGears-1.0.2.2-2.fc17.noarch",
            "was not judged",
        ],
    },
    overdue_security_fix_decides_while_automatic_updates_only_download = Case {
        name: "dnf-automatic only downloads; a security advisory from 2024 waits",
        machine: machine_with(
            Linux,
            &[
                "os-support/os-release-fedora41.toml",
                "linux/os-updates/fedora-dnf5-automatic-timer-enabled.toml",
                "linux/os-updates/fedora-dnf5-advisories-waiting.toml",
            ],
        ),
        status: Status::Fail,
        reason: "os-updates.security-updates-overdue",
        says: &["does not install them", "issued on 2024-05-12"],
    },
);
