//! `video-apps` on each OS, over recorded outputs (tests/fixtures/<os>/video-apps/), and live on
//! this machine's package database.

use crate::common;

use common::{Case, cases, machine, machine_with, run_check};
use confide::status::Status;
use confide::system::OsFamily::{Linux, Macos, Windows};

fn check(case: Case) {
    common::check_case("video-apps", case);
}

cases!(
    macos_app_bundles,
    {
        let m = |f: &[&str]| {
            let mut all = vec!["macos/video-apps/applications-folder.toml"];
            all.extend_from_slice(f);
            machine_with(Macos, &all)
        };
    },
    zoom_below_its_minimum_warns = Case {
        name: "Zoom 5.9.6 on macOS, below 6.0.2",
        machine: m(&["macos/video-apps/zoom-5.9.6.toml"]),
        status: Status::Warn,
        reason: "video-apps.below-minimum",
        says: &[
            "Zoom Workplace 5.9.6 (4993) is below 6.0.2",
            "KB0061134",
            "/Applications/zoom.us.app"
        ],
    },
    skype_fails_even_beside_an_old_zoom = Case {
        name: "Skype and an old Zoom",
        machine: m(&["macos/video-apps/skype-bundle.toml", "macos/video-apps/zoom-5.9.6.toml"]),
        status: Status::Fail,
        reason: "video-apps.end-of-life",
        says: &["Skype is installed but retired", "retired on 5 May 2025"],
    },
    facetime_alone_passes_and_leaves_the_platform_to_the_practitioner = Case {
        name: "FaceTime only",
        machine: m(&["macos/video-apps/facetime-bundle.toml"]),
        status: Status::Pass,
        reason: "video-apps.current",
        says: &["Found FaceTime", "video-platform", "version not recorded"],
    },
    nothing_installed_passes_and_names_the_browser = Case {
        name: "no video program",
        machine: m(&[]),
        status: Status::Pass,
        reason: "video-apps.none-found",
        says: &["No video-calling program", "doxy.me", "looked for"],
    },
    a_version_that_cannot_be_read_is_unknown = Case {
        name: "Zoom without a readable version",
        machine: m(&["macos/video-apps/zoom-no-version.toml"]),
        status: Status::Unknown,
        reason: "video-apps.version-unreadable",
        says: &["Zoom Workplace", "could not read which version"],
    },
    no_applications_folder_is_unknown = Case {
        name: "nothing readable",
        machine: machine(Macos),
        status: Status::Unknown,
        reason: "video-apps.unreadable",
        says: &["/Applications"],
    },
);

cases!(
    windows_uninstall_keys,
    {
        let m = |f: &[&str]| machine_with(Windows, f);
    },
    zoom_workplace_current_passes = Case {
        name: "Zoom Workplace 6.1 for all users",
        machine: m(&[
            "windows/video-apps/uninstall-hklm-zoom.toml",
            "windows/video-apps/uninstall-wow-absent.toml",
            "windows/video-apps/uninstall-hkcu-absent.toml",
        ]),
        status: Status::Pass,
        reason: "video-apps.current",
        says: &[
            "Found Zoom Workplace 6.1.43316",
            "video-platform",
            "\"Zoom Workplace (64-bit)\""
        ],
    },
    skype_in_the_32_bit_view_fails = Case {
        name: "Skype 8.138 beside Zoom",
        machine: m(&[
            "windows/video-apps/uninstall-hklm-zoom.toml",
            "windows/video-apps/uninstall-wow-skype.toml",
            "windows/video-apps/uninstall-hkcu-absent.toml",
        ]),
        status: Status::Fail,
        reason: "video-apps.end-of-life",
        says: &["Skype is installed", "Skype 8.138"],
    },
    // The machine-wide key exists on every Windows: `reg` failing on it (exit 1 is also "Access
    // is denied") is unreadable, never "nothing installed".
    a_failing_machine_wide_key_is_unknown = Case {
        name: "the machine-wide Uninstall key gives exit 1",
        machine: m(&[
            "windows/video-apps/uninstall-hklm-absent.toml",
            "windows/video-apps/uninstall-wow-absent.toml",
            "windows/video-apps/uninstall-hkcu-absent.toml",
        ]),
        status: Status::Unknown,
        reason: "video-apps.unreadable",
        says: &["could not be read"],
    },
    an_unread_key_is_unknown_not_a_pass = Case {
        name: "only one key answered",
        machine: m(&["windows/video-apps/uninstall-hklm-zoom.toml"]),
        status: Status::Unknown,
        reason: "video-apps.unreadable",
        says: &["HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall could not be read"],
    },
);

cases!(
    linux_package_managers,
    {
        let m = |f: &[&str]| machine_with(Linux, f);
    },
    a_debian_machine_without_video_programs_passes = Case {
        name: "Debian 12 packages",
        machine: m(&["linux/video-apps/dpkg-status-debian12.toml"]),
        status: Status::Pass,
        reason: "video-apps.none-found",
        says: &["`dpkg-query` lists 25 installed packages"],
    },
    zoom_5_17_deb_is_below_the_linux_minimum = Case {
        name: "zoom 5.17.11 deb",
        machine: m(&["linux/video-apps/dpkg-zoom-5.17.toml"]),
        status: Status::Warn,
        reason: "video-apps.below-minimum",
        says: &["Zoom Workplace 5.17.11.3835 is below 6.0.2", "dpkg package zoom"],
    },
    skype_flatpak_fails = Case {
        name: "Skype from Flathub",
        machine: m(&[
            "linux/video-apps/dpkg-status-debian12.toml",
            "linux/video-apps/flatpak-skype.toml"
        ]),
        status: Status::Fail,
        reason: "video-apps.end-of-life",
        says: &["Skype 8.51.0.72 (Flatpak com.skype.Client)"],
    },
    // dpkg lists a removed package whose configuration files remain (`rc`): it is not counted,
    // or this old Zoom would warn.
    a_removed_zoom_deb_is_not_counted = Case {
        name: "zoom 5.17 removed (rc), signal-desktop installed",
        machine: m(&["linux/video-apps/dpkg-status-zoom-removed.toml"]),
        status: Status::Pass,
        reason: "video-apps.current",
        says: &["Found Signal 7.52.0", "`dpkg-query` lists 1 installed package"],
    },
    snap_without_video_programs_passes = Case {
        name: "Ubuntu 20.04 snaps",
        machine: m(&["linux/video-apps/snap-ubuntu2004.toml"]),
        status: Status::Pass,
        reason: "video-apps.none-found",
        says: &["`snap` lists 6 snaps"],
    },
    zoom_client_snap_5_4_is_below_the_minimum = Case {
        name: "ogra's zoom-client snap 5.4",
        machine: m(&["linux/video-apps/snap-zoom-client-5.4.toml"]),
        status: Status::Warn,
        reason: "video-apps.below-minimum",
        says: &["Zoom Workplace 5.4.53350.1027 is below 6.0.2", "Snap zoom-client"],
    },
    signal_rpm_passes_and_leaves_the_platform_to_the_practitioner = Case {
        name: "signal-desktop rpm",
        machine: m(&["linux/video-apps/rpm-signal-desktop.toml"]),
        status: Status::Pass,
        reason: "video-apps.current",
        says: &["Found Signal 7.52.0", "rpm package signal-desktop", "video-platform"],
    },
    rpm_without_video_programs_passes = Case {
        name: "rpm database without video programs",
        machine: m(&["linux/video-apps/rpm-no-video.toml"]),
        status: Status::Pass,
        reason: "video-apps.none-found",
        says: &["`rpm` lists 1 package"],
    },
    no_package_manager_is_unknown = Case {
        name: "nothing to ask",
        machine: machine(Linux),
        status: Status::Unknown,
        reason: "video-apps.unreadable",
        says: &["no package manager"],
    },
);

/// The end of life is judged as of the scan's day: before 5 May 2025 Skype was still supported.
#[test]
fn skype_before_its_retirement_day_is_not_a_fail() {
    let mut m = machine_with(
        Linux,
        &[
            "linux/video-apps/dpkg-status-debian12.toml",
            "linux/video-apps/flatpak-skype.toml",
        ],
    );
    m.collected_at = "2025-05-04T12:00:00Z".parse().unwrap();
    let out = run_check(m.clone(), "video-apps");
    assert_eq!(
        (out.status, out.reason.as_str()),
        (Status::Pass, "video-apps.current"),
        "{out:?}"
    );
    assert!(out.summary.contains("Skype 8.51.0.72"), "{}", out.summary);
    m.collected_at = "2025-05-05T12:00:00Z".parse().unwrap();
    assert_eq!(run_check(m, "video-apps").status, Status::Fail);
}

/// Live: this machine's real package database, read through dpkg-query; only installed packages
/// (state `i`) are counted.
#[cfg(target_os = "linux")]
#[test]
#[allow(clippy::disallowed_methods)] // the test asks dpkg-query itself, to compare
fn live_reads_this_machines_package_database() {
    let Ok(out) = std::process::Command::new("dpkg-query")
        .args(["-W", "-f", "${db:Status-Abbrev}\\n"])
        .output()
    else {
        common::live_prerequisite(false, "dpkg-query");
        return;
    };
    let packages = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.chars().nth(1) == Some('i'))
        .count();
    let dir = tempfile::tempdir().unwrap();
    let report = common::confide(dir.path())
        .args(["scan", "--format", "json", "--only", "video-apps"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "video-apps")
        .cloned()
        .unwrap();
    let evidence = f["evidence"].to_string();
    assert!(
        evidence.contains(&format!("`dpkg-query` lists {packages} installed packages")),
        "{f}"
    );
    assert_ne!(f["check_status"], "unknown", "{f}");
}
