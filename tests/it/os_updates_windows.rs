//! `os-updates` on Windows: a restart pending (updates installed, not in force), from the
//! registry keys Windows Update and Windows servicing keep while one is, dated where Windows
//! Update's last install can be read (tests/fixtures/windows/os-updates/reboot-*.toml).

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
            let mut s = windows(&["reboot-required", "wu-autoupdate-results-de"]);
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
