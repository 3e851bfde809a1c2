//! `antivirus` on each OS, over real recorded outputs (tests/fixtures/<os>/antivirus/), and live
//! on Linux with a real ClamAV definitions header and a process named `clamd`.
#![allow(clippy::disallowed_methods)] // the live test starts a process and reads the clock

use crate::common;

use std::path::Path;
use std::process::{Child, Command};

use common::{add, live_prerequisite, machine, machine_with, run_check};
use confide::checks::Outcome;
use confide::checks::antivirus::{DEFENDER_COMMAND, FREE_PROTECTION_NOTE, parse_clamav_header, xprotect_receipt_ids};
use confide::status::Status;
use confide::system::OsFamily::{Linux, Macos, Windows};
use confide::system::snapshot::{RecordedCommand, RecordedFile, Snapshot};
use confide::system::{CommandOutput, ProcessInfo};
use jiff::Timestamp;

const ID: &str = "antivirus";

fn text(out: &Outcome) -> String {
    format!("{} | {}", out.summary, out.evidence.join(" | "))
}

fn expect(snapshot: Snapshot, status: Status, reason: &str, says: &[&str]) -> Outcome {
    let out = run_check(snapshot, ID);
    let seen = text(&out);
    assert_eq!((out.status, out.reason.as_str()), (status, reason), "{seen}");
    for s in says {
        assert!(seen.contains(s), "expected {s:?} in {seen}");
    }
    out
}

fn has_free_note(out: &Outcome) -> bool {
    out.evidence.iter().any(|e| e == FREE_PROTECTION_NOTE)
}

fn command(program: &str, args: &[&str], stdout: &str) -> RecordedCommand {
    RecordedCommand {
        program: program.into(),
        args: args.iter().map(|a| a.to_string()).collect(),
        output: CommandOutput {
            status: Some(0),
            stdout: stdout.into(),
            ..Default::default()
        },
    }
}

fn process(pid: u32, name: &str, exe: &str) -> ProcessInfo {
    ProcessInfo {
        pid,
        name: name.into(),
        exe: Some(exe.into()),
        user: Some("root".into()),
    }
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

// ---------------------------------------------------------------- Windows

/// Adds a Defender fixture whose capture selected fewer fields than the check asks for. The
/// published captures cut some fields off, so the fixture's `Select-Object` lists only the real
/// ones; the check asks for all seven, and PowerShell would print the same values plus the
/// missing fields. The check reads whatever fields are there, so the answer is re-keyed to the
/// check's command, with its output unchanged.
fn windows_with_partial_defender(fixture: &str, others: &[&str]) -> Snapshot {
    let mut s = machine_with(Windows, others);
    let before = s.commands.len();
    add(&mut s, fixture);
    for c in &mut s.commands[before..] {
        if c.program == "powershell" && c.args.last().is_some_and(|a| a.starts_with("Get-MpComputerStatus")) {
            *c.args.last_mut().unwrap() = DEFENDER_COMMAND.to_string();
            *c = common::declare(
                common::Provenance::Adapted,
                &format!("{fixture}'s real answer, re-keyed to the check's full Select-Object list"),
                c.clone(),
            );
        }
    }
    s
}

#[test]
fn windows_defender_on_and_fresh_passes_with_the_free_note() {
    let out = expect(
        machine_with(
            Windows,
            &[
                "windows/antivirus/defender-normal-fresh.toml",
                "windows/antivirus/defender-exclusions-narrow.toml",
            ],
        ),
        Status::Pass,
        "antivirus.protected",
        &[
            "Microsoft Defender Antivirus",
            "1 day old",
            "RealTimeProtectionEnabled True",
            "AntivirusSignatureLastUpdated 2024-06-04 15:06 UTC",
        ],
    );
    assert!(has_free_note(&out), "{}", text(&out));
}

#[test]
fn windows_defender_with_old_signatures_fails() {
    expect(
        machine_with(Windows, &["windows/antivirus/defender-stale-signatures.toml"]),
        Status::Fail,
        "antivirus.definitions-out-of-date",
        &["278 days old", "the limit is 7 days", "IsTamperProtected True"],
    );
}

#[test]
fn windows_defender_not_running_or_real_time_off_fails() {
    expect(
        windows_with_partial_defender("windows/antivirus/defender-not-running.toml", &[]),
        Status::Fail,
        "antivirus.off",
        &["AMRunningMode: Not running", "no definitions"],
    );
    expect(
        windows_with_partial_defender("windows/antivirus/defender-realtime-off.toml", &[]),
        Status::Fail,
        "antivirus.off",
        &["RealTimeProtectionEnabled: False"],
    );
}

#[test]
fn windows_another_product_on_behind_defender_passes_on_that_product() {
    let out = expect(
        windows_with_partial_defender(
            "windows/antivirus/defender-not-running.toml",
            &["windows/antivirus/securitycenter-bitdefender-and-defender.toml"],
        ),
        Status::Pass,
        "antivirus.protected",
        &[
            "Bitdefender Antivirus is protecting this computer",
            "productState 266240 (0x41000: on, definitions up to date)",
            "productState 393472 (0x60100: off",
        ],
    );
    assert!(
        !has_free_note(&out),
        "Bitdefender is not a free built-in: {}",
        text(&out)
    );

    // Defender unreadable, Windows Security alone: the same.
    expect(
        machine_with(
            Windows,
            &["windows/antivirus/securitycenter-bitdefender-and-defender.toml"],
        ),
        Status::Pass,
        "antivirus.protected",
        &["Bitdefender Antivirus", "Microsoft Defender could not be asked"],
    );
}

#[test]
fn windows_defender_seen_only_through_windows_security() {
    // Its exclusions could not be read either: on and up to date is not yet a pass.
    expect(
        machine_with(Windows, &["windows/antivirus/securitycenter-defender-only.toml"]),
        Status::Unknown,
        "antivirus.exclusions-unseen",
        &[
            "Microsoft Defender Antivirus",
            "could not see which places",
            "definitions up to date",
        ],
    );
    let out = expect(
        machine_with(
            Windows,
            &[
                "windows/antivirus/securitycenter-defender-only.toml",
                "windows/antivirus/defender-exclusions-narrow.toml",
            ],
        ),
        Status::Pass,
        "antivirus.protected",
        &[
            "Microsoft Defender Antivirus",
            "reports its definitions up to date",
            "397568",
        ],
    );
    assert!(has_free_note(&out));

    // With Defender's own status too, that status decides and Windows Security is evidence.
    expect(
        machine_with(
            Windows,
            &[
                "windows/antivirus/defender-stale-signatures.toml",
                "windows/antivirus/securitycenter-defender-only.toml",
            ],
        ),
        Status::Fail,
        "antivirus.definitions-out-of-date",
        &["278 days old", "Windows Security lists Windows Defender"],
    );
}

#[test]
fn windows_with_nothing_readable_is_unknown_not_fail() {
    expect(
        machine(Windows),
        Status::Unknown,
        "antivirus.unreadable",
        &["PowerShell is not available"],
    );
    let mut s = machine(Windows);
    for command in [DEFENDER_COMMAND, confide::checks::antivirus::SECURITY_CENTER_COMMAND] {
        s.commands.push(RecordedCommand {
            program: "powershell".into(),
            args: ["-NoProfile", "-NonInteractive", "-Command", command]
                .map(String::from)
                .to_vec(),
            output: CommandOutput {
                status: Some(1),
                stderr: "some failure\r\n".into(),
                ..Default::default()
            },
        });
    }
    expect(
        s,
        Status::Unknown,
        "antivirus.unreadable",
        &[
            "`Get-MpComputerStatus` could not be read: some failure",
            "root/SecurityCenter2",
        ],
    );
}

// ---------------------------------------------------------------- macOS

/// `pkgutil --pkgs` in the real form of `macos/antivirus/pkgutil-pkgs-sequoia.toml`, one id
/// per line, listing the receipt the `--pkg-info` fixture describes.
fn pkgs_listing(ids: &[&str]) -> RecordedCommand {
    let mut stdout = String::from("com.apple.pkg.GatekeeperCompatibilityData.16U1906\n");
    for id in ids {
        stdout.push_str(id);
        stdout.push('\n');
    }
    stdout.push_str("com.apple.pkg.MRTConfigData_10_15.16U4211\n");
    common::declare(
        common::Provenance::Adapted,
        "pkgutil-pkgs-sequoia.toml's real `pkgutil --pkgs` listing, cut to two of its ids and the \
         receipt ids of the case (that of pkgutil-xprotect-receipt.toml)",
        command("pkgutil", &["--pkgs"], &stdout),
    )
}

const RECEIPT_ID: &str = "com.apple.pkg.XProtectPlistConfigData_10_15.16U4423";

/// pkgutil-xprotect-receipt.toml's `--pkg-info` answer, installed at `installed` (epoch seconds).
fn receipt_installed_at(installed: i64) -> RecordedCommand {
    common::declare(
        common::Provenance::Adapted,
        "pkgutil-xprotect-receipt.toml's real `--pkg-info` answer with only install-time changed",
        command(
            "pkgutil",
            &["--pkg-info", RECEIPT_ID],
            &format!(
                "package-id: {RECEIPT_ID}\nversion: 5338.1.1775522733\nvolume: /\nlocation: /\ninstall-time: {installed}\n"
            ),
        ),
    )
}

#[test]
fn the_real_receipt_listing_names_the_xprotect_receipt() {
    let mut s = machine(Macos);
    add(&mut s, "macos/antivirus/pkgutil-pkgs-sequoia.toml");
    assert_eq!(
        xprotect_receipt_ids(&s.commands[0].output.stdout),
        vec!["com.apple.pkg.XProtectPlistConfigData_10_15.16U4347"]
    );
}

#[test]
fn macos_xprotect_version_and_receipt_date() {
    let mut s = machine_with(
        Macos,
        &[
            "macos/antivirus/xprotect-coreservices-bundle-version.toml",
            "macos/antivirus/pkgutil-xprotect-receipt.toml",
        ],
    );
    s.commands.push(pkgs_listing(&[RECEIPT_ID]));
    // Installed 2026-04-10, 225 whole days before the test clock (2026-11-22).
    let out = expect(
        s,
        Status::Fail,
        "antivirus.definitions-out-of-date",
        &[
            "XProtect (version 5287)",
            "225 days old (updated 2026-04-10)",
            "version 5338.1.1775522733",
        ],
    );
    assert!(has_free_note(&out));
}

#[test]
fn macos_xprotect_installed_yesterday_passes() {
    let mut s = machine_with(Macos, &["macos/antivirus/xprotect-coreservices-bundle-version.toml"]);
    s.commands.push(pkgs_listing(&[RECEIPT_ID]));
    // The fixture's receipt, installed a few hours before the test clock.
    let installed = at("2026-11-22T03:00:00Z").as_second();
    s.commands.push(receipt_installed_at(installed));
    expect(
        s,
        Status::Pass,
        "antivirus.protected",
        &["XProtect is protecting this computer", "less than a day old"],
    );
}

#[test]
fn macos_fresh_xprotect_does_not_hide_defender_excluding_the_home_folder() {
    let mut s = machine_with(
        Macos,
        &[
            "macos/antivirus/xprotect-coreservices-bundle-version.toml",
            "linux/antivirus/mdatp-health-healthy.toml",
            "macos/antivirus/mdatp-exclusions-home.toml",
        ],
    );
    s.commands.push(pkgs_listing(&[RECEIPT_ID]));
    s.commands
        .push(receipt_installed_at(at("2026-11-22T03:00:00Z").as_second()));
    // Someone told Defender not to scan the home folder: XProtect being fresh does not say the
    // notes there are scanned, so the exclusion decides.
    expect(
        s,
        Status::Fail,
        "antivirus.exclusions-too-broad",
        &["Microsoft Defender for Endpoint has been told not to scan `/Users/sam/` (a whole home folder)"],
    );
}

/// XProtect data comes when Apple has new signatures, every one to a few weeks: it has limits of
/// its own (30 days warn, 60 fail) instead of the daily products' 1 and 7.
#[test]
fn macos_xprotect_is_judged_on_apple_s_rhythm() {
    for (installed, status, reason) in [
        ("2026-11-02T03:00:00Z", Status::Pass, "antivirus.protected"),
        ("2026-10-13T03:00:00Z", Status::Warn, "antivirus.definitions-ageing"),
        (
            "2026-09-08T03:00:00Z",
            Status::Fail,
            "antivirus.definitions-out-of-date",
        ),
    ] {
        let mut s = machine_with(Macos, &["macos/antivirus/xprotect-coreservices-bundle-version.toml"]);
        s.commands.push(pkgs_listing(&[RECEIPT_ID]));
        let installed = at(installed).as_second();
        s.commands.push(receipt_installed_at(installed));
        expect(s, status, reason, &["XProtect"]);
    }
}

#[test]
fn macos_without_a_receipt_date_the_age_is_unknown() {
    // The real listing's receipt has no published --pkg-info answer.
    expect(
        machine_with(
            Macos,
            &[
                "macos/antivirus/xprotect-coreservices-bundle-version.toml",
                "macos/antivirus/pkgutil-pkgs-sequoia.toml",
            ],
        ),
        Status::Unknown,
        "antivirus.definitions-age-unknown",
        &[
            "XProtect (version 5287)",
            "`pkgutil --pkg-info com.apple.pkg.XProtectPlistConfigData_10_15.16U4347` gave no install-time",
        ],
    );
    // Nothing answers at all.
    expect(
        machine(Macos),
        Status::Unknown,
        "antivirus.definitions-age-unknown",
        &["`pkgutil --pkgs` could not list", "cannot be turned off"],
    );
    // A bundle newer than every receipt was updated without one (macOS 15+ over iCloud).
    let mut s = machine_with(Macos, &["macos/antivirus/pkgutil-xprotect-receipt.toml"]);
    s.commands.push(pkgs_listing(&[RECEIPT_ID]));
    s.commands.push(command(
        "defaults",
        &[
            "read",
            "/var/protected/xprotect/XProtect.bundle/Contents/Info.plist",
            "CFBundleShortVersionString",
        ],
        "5400\n",
    ));
    expect(
        s,
        Status::Unknown,
        "antivirus.definitions-age-unknown",
        &["XProtect 5400 is newer than the newest installer receipt (5338)"],
    );
}

#[test]
fn macos_a_third_party_product_is_named() {
    let mut s = machine(Macos);
    s.processes = vec![
        process(1, "launchd", "/sbin/launchd"),
        process(412, "SophosScanD", "/Library/Sophos Anti-Virus/SophosScanD"),
    ];
    let out = expect(
        s,
        Status::Unknown,
        "antivirus.definitions-age-unknown",
        &["Sophos", "process `SophosScanD` is running (pid 412"],
    );
    assert!(!has_free_note(&out), "Sophos is paid for: {}", text(&out));
}

// ---------------------------------------------------------------- Linux

/// A `daily.cvd` header: the fields joined by `:` and padded with spaces to 512 bytes, as
/// ClamAV writes it. The MD5 and digital signature are the real header's; confide does not
/// verify them.
fn clamav_header(build_text: &str, version: u32, signatures: u32, epoch: i64) -> String {
    const MD5: &str = "92baacd59fd26e6bcf03077add78d209";
    const DSIG: &str = "4Jp9JtGJY6nUk8JHDQQpQeBwlfXqskvhXL+vesDNqAeWCmjbudU+Hy/Nj4/BH2vl70c/R5B/VYY+eqqCQo6o7VGLqLJr/E+19gejqMp/iRcuHrtnLw6V/x3UjO3/qYVSlcJvAjtMI7FK32wjB+Sp8kaS/ZbfaFQp6trRQhisjqf";
    let header = format!("ClamAV-VDB:{build_text}:{version}:{signatures}:63:{MD5}:{DSIG}:raynman:{epoch}");
    format!("{header:<512}")
}

/// The header of a `daily.cvd` built at `built`, in ClamAV's written form too.
fn clamav_header_at(built: Timestamp) -> String {
    let text = built.strftime("%d %b %Y %H-%M %z").to_string();
    clamav_header(&text, 27_800, 2_075_000, built.as_second())
}

/// A ClamAV database file holding `contents`, a header from [`clamav_header_at`].
fn file(path: &str, contents: &str) -> RecordedFile {
    common::declare(
        common::Provenance::Adapted,
        CLAMAV_HEADER_NOTE,
        RecordedFile {
            path: path.into(),
            contents: Some(contents.into()),
            ..RecordedFile::default()
        },
    )
}

/// Where the test's ClamAV headers come from.
const CLAMAV_HEADER_NOTE: &str = "the real daily.cvd header of clamav-daily-cvd-2020.toml, which \
     clamav_header reproduces byte for byte (tested), with its build time, version and signature \
     count changed";

/// A Linux machine whose process list was read and holds `names`.
fn linux_running(names: &[&str]) -> Snapshot {
    let mut s = machine(Linux);
    s.processes = std::iter::once("systemd")
        .chain(names.iter().copied())
        .enumerate()
        .map(|(i, n)| {
            common::declare(
                common::Provenance::Adapted,
                "a daemon's process name as its package runs it (systemd; clamd, clamonacc and \
                 freshclam from Debian's clamav packages; wdavdaemon from Microsoft Defender for Endpoint); the \
                 pid, user and /usr/sbin path are the test's",
                process(i as u32 + 1, n, &format!("/usr/sbin/{n}")),
            )
        })
        .collect();
    s
}

/// ClamAV scanning on access: clamd and clamonacc running, with Debian's clamd.conf set up for
/// clamonacc and excluding only /proc and /sys.
fn linux_clamav_on_access(more: &[&str]) -> Snapshot {
    let names: Vec<&str> = ["clamd", "clamonacc"].iter().chain(more).copied().collect();
    let mut s = linux_running(&names);
    add(&mut s, "linux/antivirus/clamd-conf-on-access-narrow.toml");
    s
}

#[test]
fn the_test_header_is_byte_for_byte_the_real_format() {
    let mut real = machine(Linux);
    add(&mut real, "linux/antivirus/clamav-daily-cvd-2020.toml");
    let real = real.files[0].contents.clone().unwrap();
    assert_eq!(real.len(), 512);
    assert_eq!(
        clamav_header("16 Apr 2020 07-58 -0400", 25_784, 2_267_600, 1_587_038_339),
        real
    );
    let parsed = parse_clamav_header(&real).unwrap();
    assert_eq!(parsed.built, Timestamp::from_second(1_587_038_339).unwrap());
    assert_eq!(parsed.version, Some(25_784));
    // Without the epoch, the written build time (to the minute) gives the same day.
    let cut = real.trim_end().trim_end_matches(|c: char| c.is_ascii_digit());
    let from_text = parse_clamav_header(cut).unwrap().built;
    assert_eq!(from_text, at("2020-04-16T11:58:00Z"));
}

#[test]
fn linux_clamav_running_with_fresh_definitions_passes_with_the_free_note() {
    let mut s = linux_clamav_on_access(&["freshclam"]);
    s.files.push(file(
        "/var/lib/clamav/daily.cld",
        &clamav_header_at(at("2026-11-22T04:00:00Z")),
    ));
    let out = expect(
        s,
        Status::Pass,
        "antivirus.protected",
        &[
            "ClamAV is protecting this computer",
            "less than a day old",
            "process `clamd` is running",
        ],
    );
    assert!(has_free_note(&out));
}

#[test]
fn linux_clamav_definitions_ageing_and_out_of_date() {
    let mut s = linux_clamav_on_access(&[]);
    s.files.push(file(
        "/var/lib/clamav/daily.cvd",
        &clamav_header_at(at("2026-11-19T06:00:00Z")),
    ));
    expect(s, Status::Warn, "antivirus.definitions-ageing", &["3 days old"]);

    let mut s = linux_clamav_on_access(&[]);
    add(&mut s, "linux/antivirus/clamav-daily-cvd-2020.toml");
    expect(
        s,
        Status::Fail,
        "antivirus.definitions-out-of-date",
        &["built 2020-04-16 11:58 UTC", "definitions version 25784"],
    );
}

#[test]
fn linux_the_newer_of_daily_cld_and_daily_cvd_counts() {
    let mut s = linux_clamav_on_access(&[]);
    s.files.push(file(
        "/var/lib/clamav/daily.cvd",
        &clamav_header_at(at("2026-10-01T06:00:00Z")),
    ));
    s.files.push(file(
        "/var/lib/clamav/daily.cld",
        &clamav_header_at(at("2026-11-22T06:00:00Z")),
    ));
    expect(s, Status::Pass, "antivirus.protected", &["less than a day old"]);
}

#[test]
fn linux_the_header_of_a_binary_database_and_the_folder_from_the_environment() {
    let mut s = linux_clamav_on_access(&[]);
    common::declare_env(
        &mut s,
        common::Provenance::Adapted,
        "confide's own setting, naming a folder the user chose for ClamAV's databases",
        "CONFIDE_CLAMAV_DB_DIR",
        "/srv/clamav",
    );
    // A real definitions file is not text past its header: the snapshot holds only the head.
    s.files.push(common::declare(
        common::Provenance::Adapted,
        CLAMAV_HEADER_NOTE,
        RecordedFile {
            path: "/srv/clamav/daily.cvd".into(),
            head: Some(clamav_header_at(at("2026-11-21T22:00:00Z"))),
            error: Some("not a text file (not UTF-8)".into()),
            ..RecordedFile::default()
        },
    ));
    expect(
        s,
        Status::Pass,
        "antivirus.protected",
        &["/srv/clamav/daily.cvd: definitions version 27800"],
    );
}

#[test]
fn linux_clamav_installed_but_not_scanning_fails() {
    let mut s = linux_running(&[]);
    add(&mut s, "linux/antivirus/clamav-installed-no-database.toml");
    let out = expect(
        s,
        Status::Fail,
        "antivirus.off",
        &[
            "ClamAV (version 1.4.6)",
            "no ClamAV scanner (clamd) is running",
            "no daily.cld or daily.cvd in /var/lib/clamav",
        ],
    );
    assert!(has_free_note(&out));

    let mut s = linux_running(&["freshclam"]);
    s.files.push(file(
        "/var/lib/clamav/daily.cld",
        &clamav_header_at(at("2026-11-22T04:00:00Z")),
    ));
    expect(
        s,
        Status::Fail,
        "antivirus.off",
        &["freshclam keeps the definitions up to date"],
    );
}

#[test]
fn linux_clamd_running_without_definitions_fails() {
    expect(
        linux_clamav_on_access(&[]),
        Status::Fail,
        "antivirus.definitions-out-of-date",
        &["has no virus definitions"],
    );
}

#[test]
fn linux_defender_for_endpoint_healthy_passes() {
    let mut s = linux_running(&["wdavdaemon"]);
    add(&mut s, "linux/antivirus/mdatp-health-healthy.toml");
    let out = expect(
        s,
        Status::Pass,
        "antivirus.protected",
        &[
            "Microsoft Defender for Endpoint (version 101.23062.0010)",
            "less than a day old",
            "definitions_updated_minutes_ago 159",
            "definitions_status up_to_date",
        ],
    );
    assert!(!has_free_note(&out));
}

#[test]
fn linux_a_vendor_process_is_named_with_its_age_unknown() {
    expect(
        linux_running(&["falcon-sensor"]),
        Status::Unknown,
        "antivirus.definitions-age-unknown",
        &["CrowdStrike Falcon", "process `falcon-sensor` is running"],
    );
    // `cma` alone is too common a name: only McAfee's own counts.
    expect(linux_running(&["cma"]), Status::Fail, "antivirus.none", &[]);
}

#[test]
fn linux_with_no_product_fails_and_with_nothing_readable_is_unknown() {
    expect(
        linux_running(&["sshd"]),
        Status::Fail,
        "antivirus.none",
        &["No antivirus was found"],
    );
    expect(
        machine(Linux),
        Status::Unknown,
        "antivirus.unreadable",
        &["the list of running programs could not be read"],
    );
}

#[test]
fn every_os_is_judged() {
    for os in [Linux, Macos, Windows] {
        let out = run_check(machine(os), ID);
        assert_ne!(out.status, Status::Pass, "{os:?}: nothing read is never a pass");
        assert!(!out.evidence.is_empty(), "{os:?}: a verdict carries evidence");
    }
}

// ---------------------------------------------------------------- live (Linux)

/// A process whose name is `name`: a copy of `sleep`.
struct NamedProcess(Child);

impl NamedProcess {
    /// Copies `sleep` to `dir/name` and starts it; `None` only when there is no `sleep`.
    fn start(dir: &Path, name: &str) -> Option<Self> {
        let sleep = which::which("sleep").ok()?;
        let copy = dir.join(name);
        std::fs::copy(sleep, &copy).unwrap();
        // A test running in parallel may fork while the copy's write handle is still open in
        // this process; exec then fails with "text file busy" until that child has exec'd.
        for attempt in 1.. {
            match Command::new(&copy).arg("120").spawn() {
                Ok(child) => return Some(NamedProcess(child)),
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && attempt < 50 => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                Err(e) => panic!("could not start {}: {e}", copy.display()),
            }
        }
        unreachable!()
    }
}

impl Drop for NamedProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A definitions file as freshclam leaves it: the 512-byte header, then the compressed
/// payload (here the gzip magic and bytes that are not UTF-8), so it is not a text file.
fn write_definitions(path: &Path, built: Timestamp) {
    let mut bytes = clamav_header_at(built).into_bytes();
    bytes.extend_from_slice(&[0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x80, 0x00]);
    std::fs::write(path, bytes).unwrap();
}

fn scan_antivirus(config: &Path, db_dir: &Path) -> serde_json::Value {
    common::scan_finding(config, ID, &[("CONFIDE_CLAMAV_DB_DIR", db_dir.as_os_str())])
}

#[cfg(target_os = "linux")]
#[test]
fn live_clamd_with_fresh_definitions_passes_and_with_old_ones_fails() {
    let _turn = common::machine_to_myself();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clamav");
    std::fs::create_dir(&db).unwrap();
    let Some(_clamd) = NamedProcess::start(dir.path(), "clamd") else {
        live_prerequisite(false, "`sleep` (to start a process named clamd)");
        return;
    };
    let now = Timestamp::now();
    write_definitions(&db.join("daily.cvd"), now - jiff::SignedDuration::from_hours(3));
    // clamd alone scans only what it is sent: on-access scanning is off.
    let f = scan_antivirus(dir.path(), &db);
    assert_eq!(
        (f["check_status"].as_str(), f["reason"].as_str()),
        (Some("fail"), Some("antivirus.off")),
        "{f}"
    );
    assert!(
        f["evidence"]
            .to_string()
            .contains("on-access scanning (clamonacc) is not"),
        "{f}"
    );
    let Some(_clamonacc) = NamedProcess::start(dir.path(), "clamonacc") else {
        live_prerequisite(false, "`sleep` (to start a process named clamonacc)");
        return;
    };
    let f = scan_antivirus(dir.path(), &db);
    let evidence = f["evidence"].to_string();
    // This machine's own clamd.conf (Debian's, as clamav-daemon writes it) names no folder for
    // clamonacc to watch, and without one where it watches is not seen either: never a pass.
    let conf = confide::checks::antivirus::CLAMD_CONFS
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok());
    let names_a_folder = conf.as_deref().is_some_and(|c| {
        c.lines()
            .any(|l| l.starts_with("OnAccessIncludePath") || l.starts_with("OnAccessMountPath"))
    });
    if !names_a_folder {
        assert_eq!(
            (f["check_status"].as_str(), f["reason"].as_str()),
            (Some("unknown"), Some("antivirus.unreadable")),
            "{f}"
        );
        let why = if conf.is_some() {
            "--watch-list"
        } else {
            "its settings are in none of"
        };
        assert!(evidence.contains(why), "{f}");
    }
    assert!(evidence.contains("less than a day old"), "{f}");
    assert!(evidence.contains("process `clamd` is running"), "{f}");

    write_definitions(&db.join("daily.cvd"), now - jiff::SignedDuration::from_hours(24 * 30));
    let f = scan_antivirus(dir.path(), &db);
    assert_eq!(
        (f["check_status"].as_str(), f["reason"].as_str()),
        (Some("fail"), Some("antivirus.definitions-out-of-date")),
        "{f}"
    );
    assert!(f["evidence"].to_string().contains("30 days old"), "{f}");
}

/// Defender in passive mode behind another active product is not a failure.
#[test]
fn windows_defender_passive_behind_an_active_product_passes_on_that_product() {
    let mut s = machine_with(
        Windows,
        &["windows/antivirus/securitycenter-bitdefender-and-defender.toml"],
    );
    // Made up from the real defender-normal-fresh.toml: AMRunningMode set to "Passive Mode", one of
    // the values Microsoft documents for it (no public capture of a passive machine was found).
    let fresh = common::fixtures().join("windows/antivirus/defender-normal-fresh.toml");
    let fresh: toml::Value = toml::from_str(&std::fs::read_to_string(fresh).unwrap()).unwrap();
    let command = &fresh["commands"][0];
    let args: Vec<&str> = command["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let stdout = command["stdout"]
        .as_str()
        .unwrap()
        .replace("\"Normal\"", "\"Passive Mode\"");
    let passive = self::command("powershell", &args, &stdout);
    s.commands.push(common::declare(
        common::Provenance::Adapted,
        "defender-normal-fresh.toml with AMRunningMode \"Passive Mode\", a value Microsoft documents",
        passive,
    ));
    let out = expect(s, Status::Pass, "antivirus.protected", &["Bitdefender", "passive mode"]);
    assert!(
        !out.evidence.iter().any(|e| e.contains("BACP notes")),
        "a paid product is relied on: no note"
    );
}

#[test]
fn linux_clamd_without_on_access_scanning_is_off() {
    let mut s = linux_running(&["clamd", "freshclam"]);
    add(&mut s, "linux/antivirus/clamd-conf-debian12.toml");
    s.files.push(file(
        "/var/lib/clamav/daily.cld",
        &clamav_header_at(at("2026-11-22T04:00:00Z")),
    ));
    expect(
        s,
        Status::Fail,
        "antivirus.off",
        &[
            "its on-access scanning (clamonacc) is not",
            "/etc/clamav/clamd.conf: no OnAccessIncludePath",
        ],
    );
}

#[test]
fn linux_clamav_excluding_every_home_fails_naming_the_pattern() {
    let mut s = linux_running(&["clamd", "clamonacc"]);
    add(&mut s, "linux/antivirus/clamd-conf-exclude-home.toml");
    s.files.push(file(
        "/var/lib/clamav/daily.cld",
        &clamav_header_at(at("2026-11-22T04:00:00Z")),
    ));
    expect(
        s,
        Status::Fail,
        "antivirus.exclusions-too-broad",
        &[
            "ClamAV has been told not to scan `^/home/` (every user's files)",
            "(ExcludePath): ^/proc/; ^/home/",
        ],
    );
}

#[test]
fn linux_clamav_narrow_exclusions_pass_and_are_listed() {
    let mut s = linux_clamav_on_access(&[]);
    s.files.push(file(
        "/var/lib/clamav/daily.cld",
        &clamav_header_at(at("2026-11-22T04:00:00Z")),
    ));
    expect(
        s,
        Status::Pass,
        "antivirus.protected",
        &["(ExcludePath): ^/proc/; ^/sys/", "on-access scanning watches /home"],
    );
}

/// The real generated Debian 12 clamd.conf (clamd-conf-debian12.toml) with `lines` added at its
/// end, on a machine running clamd and clamonacc with definitions from this morning.
fn linux_clamonacc_with(lines: &[&str]) -> Snapshot {
    let mut s = linux_running(&["clamd", "clamonacc"]);
    add(&mut s, "linux/antivirus/clamd-conf-debian12.toml");
    let conf = s.files.iter_mut().find(|f| f.path == "/etc/clamav/clamd.conf").unwrap();
    let mut contents = conf.contents.clone().unwrap();
    for line in lines {
        contents.push_str(line);
        contents.push('\n');
    }
    let adapted = RecordedFile {
        contents: Some(contents),
        ..conf.clone()
    };
    *conf = common::declare(
        common::Provenance::Adapted,
        "the real generated Debian 12 clamd.conf of clamd-conf-debian12.toml with on-access lines \
         added at its end, each a directive ClamAV's clamd.conf(5) and shipped clamd.conf.sample \
         document (OnAccessIncludePath, OnAccessMountPath, OnAccessExcludePath, OnAccessExcludeUname)",
        adapted,
    );
    s.files.push(file(
        "/var/lib/clamav/daily.cld",
        &clamav_header_at(at("2026-11-22T04:00:00Z")),
    ));
    s
}

#[test]
fn linux_clamonacc_watching_the_home_folder_passes() {
    for lines in [
        &["OnAccessIncludePath /home", "OnAccessExcludeUname clamav"][..],
        &["OnAccessIncludePath /home/therapist/"],
        &["OnAccessMountPath /"],
        &[
            "OnAccessIncludePath /home",
            "OnAccessExcludePath /home/therapist/.cache",
        ],
    ] {
        let out = expect(
            linux_clamonacc_with(lines),
            Status::Pass,
            "antivirus.protected",
            &["on-access scanning watches"],
        );
        assert!(text(&out).contains("protection on"), "{lines:?}: {}", text(&out));
    }
}

/// clamonacc running with settings that leave the home folder (or a folder of notes in it)
/// unscanned fails as off, the line named.
fn check((lines, says): (&[&str], &str)) {
    expect(linux_clamonacc_with(lines), Status::Fail, "antivirus.off", &[says]);
}

common::cases! {
    linux_clamonacc_not_watching_the_home_folder_is_off,
    home_not_watched = (&["OnAccessIncludePath /srv/shared"][..],
        "it watches only /srv/shared (OnAccessIncludePath), not your home folder /home/therapist"),
    only_downloads_watched = (&["OnAccessIncludePath /home/therapist/Downloads"][..],
        "it watches only /home/therapist/Downloads"),
    home_included_then_excluded = (&["OnAccessIncludePath /home", "OnAccessExcludePath /home"][..],
        "`OnAccessExcludePath /home` leaves your home folder /home/therapist out of it"),
    documents_excluded = (&["OnAccessIncludePath /home", "OnAccessExcludePath /home/therapist/Documents"][..],
        "leaves /home/therapist/Documents out of it"),
    the_user_excluded = (&["OnAccessIncludePath /home", "OnAccessExcludeUname therapist"][..],
        "`OnAccessExcludeUname therapist` tells it not to scan the files you (therapist) open"),
    the_user_excluded_with_no_folder_named = (&["OnAccessExcludeUname therapist"][..],
        "`OnAccessExcludeUname therapist`"),
}

#[test]
fn linux_clamonacc_with_no_folder_in_its_settings_is_unknown_never_a_pass() {
    let out = expect(
        linux_clamonacc_with(&[]),
        Status::Unknown,
        "antivirus.unreadable",
        &["--watch-list", "no OnAccessIncludePath or OnAccessMountPath"],
    );
    assert!(!text(&out).contains("protection on"), "{}", text(&out));
    expect(
        linux_clamonacc_with(&["OnAccessMountPath /srv"]),
        Status::Unknown,
        "antivirus.unreadable",
        &["the whole disk holding /srv"],
    );
    // A known bad signal still decides: a whole-home ExcludePath fails.
    expect(
        linux_clamonacc_with(&["ExcludePath ^/home/"]),
        Status::Fail,
        "antivirus.exclusions-too-broad",
        &["`^/home/` (every user's files)"],
    );
}

#[test]
fn linux_clamav_excluding_kinds_of_note_file_fails_naming_the_pattern() {
    let on_access = "OnAccessIncludePath /home";
    expect(
        linux_clamonacc_with(&[on_access, "ExcludePath \\.(docx|pdf)$"]),
        Status::Fail,
        "antivirus.exclusions-too-broad",
        &["ClamAV has been told not to scan `\\.(docx|pdf)$` (every .docx and .pdf file)"],
    );
    expect(
        linux_clamonacc_with(&[on_access, "ExcludePath ^/home/therapist/Documents/.*\\.odt$"]),
        Status::Fail,
        "antivirus.exclusions-too-broad",
        &["(the .odt files in the Documents folder)"],
    );
    // Photos and disk images are not where notes are written: listed, not failed.
    expect(
        linux_clamonacc_with(&[on_access, "ExcludePath \\.(jpg|iso)$"]),
        Status::Pass,
        "antivirus.protected",
        &["(ExcludePath): \\.(jpg|iso)$"],
    );
}

#[test]
fn linux_clamav_is_judged_on_the_desktop_s_own_folder_names() {
    let on_access = "OnAccessIncludePath /home";
    let dokumente = "ExcludePath ^/home/therapist/Dokumente/";
    // Without user-dirs.dirs, Dokumente is just a folder.
    expect(
        linux_clamonacc_with(&[on_access, dokumente]),
        Status::Pass,
        "antivirus.protected",
        &["^/home/therapist/Dokumente/"],
    );
    let mut s = linux_clamonacc_with(&[on_access, dokumente]);
    add(&mut s, "linux/antivirus/user-dirs-german.toml");
    expect(
        s,
        Status::Fail,
        "antivirus.exclusions-too-broad",
        &["`^/home/therapist/Dokumente/` (the Dokumente folder)"],
    );
    let mut s = linux_clamonacc_with(&[on_access, "OnAccessExcludePath /home/therapist/Schreibtisch"]);
    add(&mut s, "linux/antivirus/user-dirs-german.toml");
    expect(
        s,
        Status::Fail,
        "antivirus.off",
        &["`OnAccessExcludePath /home/therapist/Schreibtisch` leaves /home/therapist/Schreibtisch out of it"],
    );
}
