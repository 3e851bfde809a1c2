//! listening-devices, issue 13's second half: Sonos speakers told apart by the model their AirPlay
//! announcement carries (a Sonos One warns, a Sonos Five or Amp is only listed, a Sonos model
//! confide cannot place warns as "may have a microphone"), and `--redact` replacing the names
//! people give their devices everywhere (snapshot and report) without changing the verdict.
#![allow(clippy::disallowed_methods)] // the redaction tests start the real binary

use crate::common;
use crate::listening_devices::run_check;

use std::collections::BTreeMap;
use std::path::Path;

use common::{confide, machine_with};
use confide::status::Status;
use confide::system::snapshot::Snapshot;
use confide::system::{DiscoveredService, DiscoveryAnswer, OsFamily};

fn services(s: &mut Snapshot) -> &mut Vec<DiscoveredService> {
    match &mut s.discovery[0].answer {
        DiscoveryAnswer::Services { services } => services,
        DiscoveryAnswer::Failed { .. } => panic!("the fixtures hold answers"),
    }
}

#[test]
fn a_sonos_one_is_named_and_a_five_an_amp_and_a_symfonisk_are_only_listed() {
    let out = run_check(
        machine_with(
            OsFamily::Windows,
            &[
                "lan/airplay-sonos-amp-pierre.toml",
                "lan/airplay-sonos-one-five-bookshelf.toml",
            ],
        ),
        "listening-devices",
    );
    assert_eq!(
        (out.status, out.reason.as_str()),
        (Status::Warn, "listening-devices.seen"),
        "{out:?}"
    );
    assert!(
        out.summary.starts_with("1 listening device with a microphone is"),
        "{}",
        out.summary
    );
    assert_eq!(
        out.evidence[0],
        "\"Kitchen\" (smart speaker, Sonos One): seen on your network; check it is unplugged or muted in the room where you work."
    );
    let text = out.evidence.join("\n");
    for other in [
        "\"Lounge\" (speaker, Sonos Five)",
        "\"Roost Phazon\" (speaker, Sonos Amp)",
        "\"Study\" (speaker, Sonos Bookshelf)",
    ] {
        assert!(
            text.contains(&format!("Also seen, not known to have a microphone: {other}")),
            "{other}: {text}"
        );
    }
}

#[test]
fn a_sonos_amp_alone_passes_and_is_listed() {
    let out = run_check(
        machine_with(OsFamily::Macos, &["lan/airplay-sonos-amp-pierre.toml"]),
        "listening-devices",
    );
    assert_eq!(
        (out.status, out.reason.as_str()),
        (Status::Pass, "listening-devices.none-seen"),
        "{out:?}"
    );
    assert!(
        out.evidence
            .iter()
            .any(|e| e.contains("\"Roost Phazon\" (speaker, Sonos Amp)")),
        "{out:?}"
    );
    assert!(
        out.evidence
            .iter()
            .any(|e| e.contains("older Sonos speakers without AirPlay 2")),
        "{out:?}"
    );
}

#[test]
fn a_sonos_model_confide_cannot_place_warns_that_it_may_listen() {
    let mut m = machine_with(OsFamily::Linux, &["lan/airplay-sonos-one-five-bookshelf.toml"]);
    // The Sonos One's announcement with a model name no rule lists (as a new model would be).
    services(&mut m).retain(|s| s.instance == "Kitchen");
    for entry in &mut services(&mut m)[0].txt {
        if entry == "model=One" {
            *entry = "model=Era 500".into();
        }
    }
    let out = run_check(m, "listening-devices");
    assert_eq!(
        (out.status, out.reason.as_str()),
        (Status::Warn, "listening-devices.maybe-seen"),
        "{out:?}"
    );
    assert!(
        out.summary
            .starts_with("1 speaker that may have a microphone is on your network"),
        "{}",
        out.summary
    );
    assert!(
        out.evidence[0].starts_with("\"Kitchen\" (speaker, Sonos Era 500): seen on your network; confide does not know whether this model has a microphone (Sonos One, Beam, Arc"),
        "{:?}",
        out.evidence
    );
}

#[test]
fn a_speaker_without_the_sonos_maker_is_not_judged_by_the_sonos_rules() {
    // `model=One` alone (no `manufacturer=Sonos`) is some other maker's "One": not counted.
    let mut m = machine_with(OsFamily::Linux, &["lan/airplay-sonos-one-five-bookshelf.toml"]);
    services(&mut m).retain(|s| s.instance == "Kitchen");
    services(&mut m)[0].txt.retain(|e| !e.starts_with("manufacturer="));
    let out = run_check(m, "listening-devices");
    assert_eq!(out.status, Status::Pass, "{out:?}");
    assert!(out.evidence.iter().any(|e| e.contains("\"Kitchen\" (One)")), "{out:?}");
}

#[test]
fn a_sonos_announced_on_airplay_and_raop_is_one_device() {
    // A Sonos also announces RAOP, as `MAC@Room` with `am=<model>` and no maker (the RAOP TXT of a
    // Sonos in a public AirPlay sender's test script: am=Bookshelf, vs=366.0, as on AirPlay).
    let mut m = machine_with(OsFamily::Linux, &["lan/airplay-sonos-one-five-bookshelf.toml"]);
    services(&mut m).retain(|s| s.instance == "Kitchen");
    services(&mut m).push(DiscoveredService {
        service_type: "_raop._tcp".into(),
        instance: "542A1BE7B4B4@Kitchen".into(),
        host: "Sonos-542A1BE7B4B4.local.".into(),
        txt: [
            "cn=0,1", "da=true", "et=0,4", "md=0,1,2", "am=One", "sf=0x4", "tp=UDP", "vn=65537", "vs=366.0",
        ]
        .map(String::from)
        .to_vec(),
    });
    let out = run_check(m, "listening-devices");
    assert_eq!(out.status, Status::Warn, "{out:?}");
    assert!(
        out.summary.starts_with("1 listening device with a microphone is"),
        "{}",
        out.summary
    );
    assert!(
        !out.evidence.iter().any(|e| e.starts_with("Also seen")),
        "named once: {:?}",
        out.evidence
    );
}

/// Names people give their devices, in each place a device announces one.
const DEVICE_NAMES: [&str; 4] = [
    "Jane's Kitchen speaker",
    "Smith family HomePod",
    "Smith-family-HomePod",
    "Dr Patel study",
];

/// A machine whose network has a Google speaker named in `fn=`, a HomePod named in its AirPlay
/// and RAOP instance and host names, and a Sonos One named by its room: the real captures'
/// announcements with the names changed.
fn named_devices() -> Snapshot {
    let mut m = machine_with(
        OsFamily::Macos,
        &[
            "lan/googlecast-home-capture.toml",
            "lan/airplay-homepod-mini.toml",
            "lan/airplay-sonos-one-five-bookshelf.toml",
        ],
    );
    for s in services(&mut m).iter_mut() {
        if s.txt.iter().any(|t| t == "fn=Zolder") {
            s.txt
                .iter_mut()
                .filter(|t| *t == "fn=Zolder")
                .for_each(|t| *t = "fn=Jane's Kitchen speaker".into());
        }
        if s.instance == "KRechts" {
            s.instance = "Smith family HomePod".into();
            s.host = "Smith-family-HomePod.local.".into();
        }
        if s.instance == "Kitchen" {
            s.instance = "Dr Patel study".into();
        }
    }
    services(&mut m).push(DiscoveredService {
        service_type: "_raop._tcp".into(),
        instance: "D4A33D655446@Smith family HomePod".into(),
        host: "Smith-family-HomePod.local.".into(),
        txt: vec!["am=AudioAccessory5,1".into(), "md=0,1,2".into()],
    });
    m
}

fn leaked(text: &str) -> Vec<&'static str> {
    DEVICE_NAMES.into_iter().filter(|n| text.contains(n)).collect()
}

fn scan(config: &Path, snapshot: &Path, extra: &[&str]) -> (BTreeMap<String, String>, serde_json::Value, String) {
    let out = confide(config)
        .args(["scan", "--format", "json", "--replay"])
        .arg(snapshot)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let statuses = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "listening-devices")
        .unwrap()
        .clone();
    (statuses, finding, text)
}

#[test]
fn a_redacted_snapshot_holds_no_device_names_and_replays_to_the_same_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let original = named_devices();
    let mut redacted = original.clone();
    redacted.redact();
    let json = serde_json::to_string_pretty(&redacted).unwrap();
    assert_eq!(leaked(&json), Vec::<&str>::new(), "{json}");
    // The same name is the same placeholder wherever it occurs (instance, host, RAOP name).
    let homepod = services(&mut redacted.clone())
        .iter()
        .filter(|s| s.host.contains("device-"))
        .map(|s| (s.instance.clone(), s.host.clone()))
        .collect::<Vec<_>>();
    assert_eq!(homepod.len(), 2, "{json}");
    let placeholder = homepod[0].1.trim_end_matches(".local.").to_string();
    assert!(
        homepod
            .iter()
            .all(|(i, h)| i.ends_with(&placeholder) && h.starts_with(&placeholder)),
        "{homepod:?}"
    );
    // The models the check judges by are kept.
    assert!(
        json.contains("md=Google Nest Mini") && json.contains("model=AudioAccessory5,1") && json.contains("model=One")
    );

    let a = common::write_snapshot(dir.path(), "original.json", &original);
    let b = common::write_snapshot(dir.path(), "redacted.json", &redacted);
    let (before, plain, plain_text) = scan(dir.path(), &a, &[]);
    let (after, finding, _) = scan(dir.path(), &b, &[]);
    assert_eq!(before, after);
    assert_eq!(finding["reason"], plain["reason"]);
    assert_eq!(
        finding["evidence"].as_array().unwrap().len(),
        plain["evidence"].as_array().unwrap().len()
    );
    assert!(
        plain["summary"].as_str().unwrap().starts_with("4 listening devices"),
        "{plain}"
    );
    // Without --redact the names are in the report, so their absence above means something.
    assert_eq!(leaked(&plain_text).len(), 3, "{plain_text}");
}

#[test]
fn scan_redact_leaves_device_names_out_of_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let a = common::write_snapshot(dir.path(), "original.json", &named_devices());
    let (plain, plain_finding, _) = scan(dir.path(), &a, &[]);
    let (redacted, finding, text) = scan(dir.path(), &a, &["--redact"]);
    assert_eq!(leaked(&text), Vec::<&str>::new(), "{text}");
    assert_eq!(plain, redacted);
    assert_eq!(finding["status"], plain_finding["status"]);
    let evidence = finding["evidence"].to_string();
    for placeholder in ["device-1", "device-2", "device-3"] {
        assert!(
            evidence.contains(&format!("\\\"{placeholder}\\\"")),
            "{placeholder}: {evidence}"
        );
    }
    for format in ["terminal", "markdown", "html"] {
        let out = confide(dir.path())
            .args(["scan", "--redact", "--format", format, "--replay"])
            .arg(&a)
            .output()
            .unwrap();
        if out.status.code() == Some(2) {
            continue; // a format this build does not have
        }
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(leaked(&text), Vec::<&str>::new(), "{format}: {text}");
    }
}
