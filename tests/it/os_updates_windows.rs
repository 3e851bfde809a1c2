//! `os-updates` on Windows: a restart pending (updates installed, not in force), from the
//! registry keys Windows Update and Windows servicing keep while one is, dated where Windows
//! Update's last install can be read (tests/fixtures/windows/os-updates/reboot-*.toml); and the
//! updates Windows Update found and has not installed, from its offline search, dated by their
//! publication (wua-search-*.toml).

use crate::common;

use common::{Case, cases, check_case, machine_with};
use confide::status::Status;
use confide::system::OsFamily::Windows;
use confide::system::snapshot::Snapshot;

/// No Windows Update policy (Windows's default: automatic), plus `more` fixtures.
fn windows(more: &[&str]) -> Snapshot {
    let mut all = vec![
        "windows/os-updates/au-policy-key-missing.toml".to_string(),
        "windows/os-updates/au-policy-key-missing-auoptions.toml".to_string(),
    ];
    all.extend(more.iter().map(|f| format!("windows/os-updates/{f}.toml")));
    machine_with(Windows, &all.iter().map(String::as_str).collect::<Vec<_>>())
}

fn check(case: Case) {
    check_case("os-updates", case);
}

cases!(
    windows_restart_pending,
    no_restart_pending_keeps_the_default_verdict = Case {
        name: "neither key exists",
        machine: windows(&["reboot-not-pending"]),
        status: Status::Pass,
        reason: "os-updates.automatic",
        says: &[
            "RebootRequired was not found (or could not be read): no restart seen pending for Windows Update",
            "RebootPending was not found (or could not be read): no restart seen pending for Windows servicing",
        ],
    },
    restart_pending_warns_undated = Case {
        name: "Windows Update waits for a restart, last install unknown",
        machine: windows(&["reboot-required"]),
        status: Status::Warn,
        reason: "os-updates.updates-waiting",
        says: &[
            "a restart to finish installing updates (Windows Update)",
            "how long it has waited was not judged",
        ],
    },
    restart_pending_since_the_last_install_warns_with_its_age = Case {
        // The one real Windows Update results sample is from 17 August 2019; the clock is three
        // days later, so the last install is recent and the restart has waited at least 3 days.
        name: "Windows Update waits for a restart; last install three days ago",
        machine: {
            let mut s = windows(&["reboot-required", "wu-dates-2019-08-17"]);
            s.collected_at = "2019-08-20T12:00:00Z".parse().unwrap();
            s
        },
        status: Status::Warn,
        reason: "os-updates.updates-waiting",
        says: &[
            "at least since the last successful install, 2019-08-17",
            "(known for at least 3 days)",
        ],
    },
    unreadable_keys_are_said_and_never_claim_nothing_waiting = Case {
        name: "reg cannot be asked",
        machine: windows(&[]),
        status: Status::Pass,
        reason: "os-updates.automatic",
        says: &["RebootRequired could not be read"],
    },
);

/// `windows(more)` with the scan's clock at `when`.
fn windows_at(more: &[&str], when: &str) -> Snapshot {
    let mut s = windows(more);
    s.collected_at = when.parse().unwrap();
    s
}

cases!(
    windows_updates_found_not_installed,
    nothing_waiting_passes = Case {
        name: "the list from a search 3 days ago has nothing, no restart pending",
        machine: windows_at(
            &["reboot-not-pending", "wua-search-nothing", "wu-dates-2019-08-17"],
            "2019-08-20T12:00:00Z"
        ),
        status: Status::Pass,
        reason: "os-updates.automatic",
        says: &[
            "Windows Update's list from its last search for updates has none waiting to be installed",
            "no updates are waiting to be installed",
            "last successful search for updates 2019-08-17",
        ],
    },
    nothing_listed_without_the_last_search_date_is_unknown = Case {
        name: "the list has nothing, but when Windows Update last searched is not known",
        machine: windows(&["reboot-not-pending", "wua-search-nothing"]),
        status: Status::Unknown,
        reason: "os-updates.waiting-unreadable",
        says: &["when it last looked for updates could not be seen, so the list may be out of date"],
    },
    a_failed_search_with_a_restart_pending_says_what_it_could_not_see = Case {
        name: "a restart pending, the search failed",
        machine: windows(&["reboot-required", "wua-search-failed"]),
        status: Status::Warn,
        reason: "os-updates.updates-waiting",
        says: &[
            "a restart to finish installing updates (Windows Update)",
            "confide could not see which other updates are waiting: Windows Update's own list of updates could not be read",
        ],
    },
    an_undated_security_fix_is_never_aged_by_another_update = Case {
        // KB4538461 (a security fix) without its date, beside the dated Malicious Software
        // Removal Tool of the same capture: the tool's date may not make the fix overdue.
        name: "an undated security fix and a dated update 60 days old",
        machine: {
            let mut s = windows_at(&["reboot-not-pending", "wua-search-server2019"], "2020-05-09T12:00:00Z");
            for c in s.commands.iter_mut().filter(|c| c.output.stdout.contains("KB4538461")) {
                let mut updates: serde_json::Value = serde_json::from_str(&c.output.stdout).unwrap();
                for u in updates.as_array_mut().unwrap() {
                    let security = u["CategoryIDs"].to_string().contains("0fa1201d");
                    if security {
                        u["LastDeploymentChangeTime"] = serde_json::Value::Null;
                    }
                }
                c.output.stdout = serde_json::to_string_pretty(&updates).unwrap();
                *c = common::declare(
                    common::Provenance::Adapted,
                    "wua-search-server2019.toml with the security fixes' dates set to null (as a broken update object has)",
                    c.clone(),
                );
            }
            s
        },
        status: Status::Warn,
        reason: "os-updates.updates-waiting",
        says: &[
            "2 of them security fixes",
            "Windows gave no publication date for the security fixes waiting"
        ],
    },
    security_update_published_3_days_ago_warns = Case {
        // KB4538461, the March 2020 cumulative update (Patch Tuesday 10 March); the clock is
        // three days later.
        name: "one security update, published 3 days before the clock",
        machine: windows_at(
            &["reboot-not-pending", "wua-search-one-security-update"],
            "2020-03-13T12:00:00Z"
        ),
        status: Status::Warn,
        reason: "os-updates.updates-waiting",
        says: &[
            "1 update is waiting to be installed, 1 of them a security fix (the oldest security fix released 3 days ago)",
            "2020-03 Cumulative Update for Windows Server 2019 (1809) for x64-based Systems (KB4538461)",
            "the oldest security fix waiting was published on 2020-03-10",
        ],
    },
    security_update_published_60_days_ago_fails = Case {
        // The Flash update of 11 February 2020 is the oldest security fix; the clock is 60 days on.
        name: "six updates, the oldest security fix published 60 days before the clock",
        machine: windows_at(&["reboot-not-pending", "wua-search-server2019"], "2020-04-11T12:00:00Z"),
        status: Status::Fail,
        reason: "os-updates.security-updates-overdue",
        says: &[
            "6 updates are waiting to be installed, 2 of them security fixes, and the oldest security fix among them was released at least 60 days ago",
            "within 14 days",
            "Install them now: 2020-02 Security Update for Adobe Flash Player for Windows Server 2019 for x64-based Systems (KB4537759) and 5 more.",
            "(KB4537759); 2020-03 Cumulative Update for Windows Server 2019 (1809) for x64-based Systems (KB4538461); Update for Adobe Flash Player",
            "the oldest security fix waiting was published on 2020-02-11",
        ],
    },
    overdue_security_fix_decides_while_the_policy_is_unreadable = Case {
        // No answer for the Windows Update policy (reg cannot be asked): the settings are
        // unknown, the overdue security fix still decides.
        name: "policy unreadable, a security fix published 60 days before the clock",
        machine: {
            let mut s = windows_at(&["reboot-not-pending", "wua-search-server2019"], "2020-04-11T12:00:00Z");
            s.commands
                .retain(|c| !c.args.iter().any(|a| a == "AUOptions" || a == "NoAutoUpdate"));
            s
        },
        status: Status::Fail,
        reason: "os-updates.security-updates-overdue",
        says: &["released at least 60 days ago", "update policy could not be read"],
    },
    a_date_after_the_clock_is_not_used = Case {
        // The clock is five days before KB4538461's publication: a wrong clock or a misread.
        name: "a security update dated after the scan's clock",
        machine: windows_at(
            &["reboot-not-pending", "wua-search-one-security-update"],
            "2020-03-05T12:00:00Z"
        ),
        status: Status::Warn,
        reason: "os-updates.updates-waiting",
        says: &["is dated 2020-03-10, after today: that date is not used", "not judged"],
    },
    a_failed_search_is_unknown_not_pass = Case {
        name: "the offline search fails with 0x8024401C",
        machine: windows(&["reboot-not-pending", "wua-search-failed"]),
        status: Status::Unknown,
        reason: "os-updates.waiting-unreadable",
        says: &["could not see whether updates are waiting", "0x8024401C"],
    },
    restart_and_search_together_name_both = Case {
        name: "a restart pending and one security update found",
        machine: windows_at(
            &["reboot-required", "wua-search-one-security-update"],
            "2020-03-13T12:00:00Z"
        ),
        status: Status::Warn,
        reason: "os-updates.updates-waiting",
        says: &[
            "2 updates are waiting to be installed, 1 of them a security fix",
            "KB4538461",
            "a restart to finish installing updates (Windows Update)",
        ],
    },
);
