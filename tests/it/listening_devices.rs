//! listening-devices: smart speakers named from real mDNS answers (replayed), and a live browse
//! in a network namespace of the test's own (only its loopback link exists there), where the test
//! publishes speakers and a Chromecast and the binary must name exactly the ones with a microphone.
#![allow(clippy::disallowed_methods)] // the live test starts `unshare` and reads its own marker variable

use crate::common;

use std::collections::BTreeMap;

use common::{machine, machine_with};
use confide::catalog::Catalog;
use confide::checks::{CheckContext, Outcome};
use confide::status::Status;
use confide::system::OsFamily;
use confide::system::replay::ReplaySystem;
use confide::system::snapshot::RecordedDiscovery;
use confide::system::snapshot::Snapshot;
use confide::system::{DiscoveredService, DiscoveryAnswer};

/// Runs the check on a replayed machine as a scan without `--offline` would (a replay never
/// touches the network), under the provenance rule for passes.
pub fn run_check(snapshot: Snapshot, id: &str) -> Outcome {
    let run = |s: Snapshot| {
        let catalog = Catalog::load(&[]).unwrap();
        let check = catalog.check(id).unwrap().clone();
        let system = ReplaySystem::new(s);
        check.run(&CheckContext {
            system: &system,
            thresholds: &BTreeMap::new(),
            offline: false,
            profile: &confide::profile::Profile::default(),
            ico_register: None,
        })
    };
    let out = run(snapshot.clone());
    common::provenance::refuse_unfounded_pass(&snapshot, &out, id, &run);
    out
}

const TYPES: [&str; 3] = ["_airplay._tcp", "_googlecast._tcp", "_raop._tcp"];

fn answered(services: Vec<DiscoveredService>) -> RecordedDiscovery {
    RecordedDiscovery {
        service_types: TYPES.iter().map(|t| t.to_string()).collect(),
        answer: DiscoveryAnswer::Services { services },
    }
}

#[test]
fn google_speakers_are_named_and_a_chromecast_audio_and_a_cast_group_are_not_counted() {
    let out = run_check(
        machine_with(OsFamily::Linux, &["lan/googlecast-home-capture.toml"]),
        "listening-devices",
    );
    assert_eq!(
        (out.status, out.reason.as_str()),
        (Status::Warn, "listening-devices.seen"),
        "{out:?}"
    );
    assert!(out.summary.starts_with("2 listening devices"), "{}", out.summary);
    let listening: Vec<&String> = out
        .evidence
        .iter()
        .filter(|e| e.contains("seen on your network"))
        .collect();
    assert_eq!(listening.len(), 2, "{:?}", out.evidence);
    assert!(
        listening[0].contains("\"Slaapkamer\"") && listening[0].contains("Nest Audio"),
        "{listening:?}"
    );
    assert!(
        listening[1].contains("\"Zolder\"") && listening[1].contains("Google Nest Mini"),
        "{listening:?}"
    );
    let others = out
        .evidence
        .iter()
        .filter(|e| e.starts_with("Also seen, not known"))
        .count();
    assert_eq!(others, 2, "the Chromecast Audio and the cast group: {:?}", out.evidence);
    assert!(!listening.iter().any(|e| e.contains("AudioPro") || e.contains("Boven")));
}

#[test]
fn homepods_are_named_from_airplay_and_raop_and_a_shield_tv_is_only_listed() {
    let out = run_check(
        machine_with(
            OsFamily::Macos,
            &[
                "lan/airplay-homepod-owntone-1413.toml",
                "lan/raop-homepod-pyatv-1300.toml",
                "lan/airplay-homepod-mini.toml",
                "lan/googlecast-shield-fx_cast-159.toml",
            ],
        ),
        "listening-devices",
    );
    assert_eq!(out.status, Status::Warn, "{out:?}");
    let text = out.evidence.join("\n");
    for name in [
        "\"Living Room Left HomePod\"",
        "\"Family Room HomePod Left\"",
        "\"KRechts\"",
    ] {
        assert!(
            text.contains(&format!("{name} (Apple HomePod")),
            "{name} missing: {text}"
        );
    }
    assert!(text.contains("AudioAccessory5,1"), "{text}");
    assert!(
        text.contains("Also seen, not known to have a microphone: \"[REDACTED] NVIDIA Shield TV\" (SHIELD Android TV)"),
        "{text}"
    );
    assert!(out.summary.starts_with("3 listening devices"), "{}", out.summary);
}

#[test]
fn a_homepod_announced_on_airplay_and_raop_is_one_device() {
    let homepod = |ty: &str, instance: &str, key: &str| DiscoveredService {
        service_type: ty.into(),
        instance: instance.into(),
        host: "Kitchen.local.".into(),
        txt: vec![format!("{key}=AudioAccessory1,1")],
    };
    let mut m = machine(OsFamily::Macos);
    m.discovery.push(answered(vec![
        homepod("_airplay._tcp", "Kitchen", "model"),
        homepod("_raop._tcp", "D4A33D655446@Kitchen", "am"),
    ]));
    let out = run_check(m, "listening-devices");
    assert!(
        out.summary.starts_with("1 listening device with a microphone is"),
        "{}",
        out.summary
    );
}

#[test]
fn nothing_announced_passes_with_the_honest_limit() {
    let mut m = machine(OsFamily::Windows);
    m.discovery.push(answered(Vec::new()));
    let out = run_check(m, "listening-devices");
    assert_eq!(
        (out.status, out.reason.as_str()),
        (Status::Pass, "listening-devices.none-seen")
    );
    assert!(
        out.evidence
            .iter()
            .any(|e| e.contains("asleep") && e.contains("Amazon Echo")),
        "{out:?}"
    );
}

#[test]
fn a_failed_or_missing_browse_is_unknown_with_why() {
    let mut m = machine(OsFamily::Linux);
    m.discovery.push(RecordedDiscovery {
        service_types: TYPES.iter().map(|t| t.to_string()).collect(),
        answer: DiscoveryAnswer::Failed {
            error: "local-network discovery could not start: no interface".into(),
        },
    });
    let out = run_check(m, "listening-devices");
    assert_eq!(
        (out.status, out.reason.as_str()),
        (Status::Unknown, "listening-devices.discovery-failed")
    );
    assert!(out.evidence[0].contains("no interface"), "{out:?}");

    let out = run_check(machine(OsFamily::Linux), "listening-devices");
    assert_eq!(out.status, Status::Unknown, "a snapshot without discovery: {out:?}");
    assert!(out.evidence[0].contains("holds no local-network discovery"), "{out:?}");
}

/// The live part runs inside `unshare -rn` (a new user and network namespace, no root needed):
/// the only link there is loopback, so nothing the test or confide sends can leave it.
#[cfg(target_os = "linux")]
mod namespace {
    use super::*;
    use std::net::{Ipv4Addr, UdpSocket};
    use std::path::Path;
    use std::time::Duration;

    const INSIDE_ENV: &str = "CONFIDE_TEST_INSIDE_NETNS";

    #[test]
    fn live_discovery_in_a_namespace_of_its_own() {
        let unshare_works = std::process::Command::new("unshare")
            .args(["-rn", "true"])
            .status()
            .is_ok_and(|s| s.success());
        if !common::live_prerequisite(unshare_works, "`unshare -rn` (user and network namespaces)") {
            return;
        }
        let me = std::env::current_exe().unwrap();
        let out = std::process::Command::new("unshare")
            .args([
                "-rn",
                "sh",
                "-c",
                "ip link set lo up && ip link set lo multicast on && exec \"$0\" \"$@\"",
            ])
            .arg(&me)
            .args([
                "listening_devices::namespace::inside",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(INSIDE_ENV, "1")
            .output()
            .unwrap();
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success() && text.contains("1 passed"),
            "inside the namespace:\n{text}"
        );
        println!("{text}");
    }

    /// The links of this network namespace (`/proc/self/net/dev` follows the namespace; sysfs
    /// would show the host's).
    fn only_loopback() -> bool {
        let dev = std::fs::read_to_string("/proc/self/net/dev").unwrap();
        let links: Vec<&str> = dev
            .lines()
            .skip(2)
            .filter_map(|l| l.split(':').next())
            .map(str::trim)
            .collect();
        links == ["lo"]
    }

    fn scan(dir: &Path, extra: &[&str]) -> serde_json::Value {
        let out = common::confide(dir)
            .args(["scan", "--format", "json", "--only", "listening-devices"])
            .args(extra)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == "listening-devices")
            .unwrap()
            .clone()
    }

    /// Packets that reached 224.0.0.251:5353 on loopback since the last call.
    fn drain(listener: &UdpSocket) -> usize {
        let mut buf = [0u8; 9000];
        let mut n = 0;
        while listener.recv_from(&mut buf).is_ok() {
            n += 1;
        }
        n
    }

    fn publish(daemon: &mdns_sd::ServiceDaemon, ty: &str, instance: &str, host: &str, txt: &[(&str, &str)]) {
        let info = mdns_sd::ServiceInfo::new(ty, instance, host, "127.0.0.1", 8009, txt).unwrap();
        daemon.register(info).unwrap();
    }

    #[test]
    #[ignore = "runs only inside the namespace made by live_discovery_in_a_namespace_of_its_own"]
    fn inside() {
        assert_eq!(
            std::env::var(INSIDE_ENV).as_deref(),
            Ok("1"),
            "run through the outer test only"
        );
        assert!(
            only_loopback(),
            "refusing to browse: links other than loopback exist here"
        );
        let dir = tempfile::tempdir().unwrap();

        let listener = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::DGRAM, None).unwrap();
        listener.set_reuse_address(true).unwrap();
        listener.set_reuse_port(true).unwrap();
        listener
            .bind(&std::net::SocketAddr::from((Ipv4Addr::UNSPECIFIED, 5353)).into())
            .unwrap();
        let listener: UdpSocket = listener.into();
        listener
            .join_multicast_v4(&Ipv4Addr::new(224, 0, 0, 251), &Ipv4Addr::LOCALHOST)
            .unwrap();
        listener.set_read_timeout(Some(Duration::from_millis(300))).unwrap();

        // --offline: skipped, and not one packet sent.
        let f = scan(dir.path(), &["--offline"]);
        assert_eq!(f["status"], "skipped", "{f}");
        assert_eq!(drain(&listener), 0, "--offline sent mDNS packets");

        // Nothing published: a pass, and the listener did see the queries (it can hear them).
        let started = std::time::Instant::now();
        let f = scan(dir.path(), &[]);
        println!("scan with discovery, nothing published: {:?}", started.elapsed());
        assert_eq!(f["status"], "pass", "{f}");
        assert!(
            drain(&listener) > 0,
            "the listener heard no query: the silence above proves nothing"
        );

        // A Nest Mini and a HomePod mini (microphones) and a Chromecast (none).
        let daemon = mdns_sd::ServiceDaemon::new().unwrap();
        publish(
            &daemon,
            "_googlecast._tcp.local.",
            "Google-Nest-Mini-test",
            "nest.local.",
            &[("md", "Google Nest Mini"), ("fn", "Therapy room")],
        );
        publish(
            &daemon,
            "_googlecast._tcp.local.",
            "Chromecast-test",
            "cc.local.",
            &[("md", "Chromecast"), ("fn", "Lounge TV")],
        );
        publish(
            &daemon,
            "_airplay._tcp.local.",
            "Kitchen",
            "kitchen.local.",
            &[("model", "AudioAccessory5,1")],
        );
        // A Sonos One as an AirPlay 2 Sonos announces itself (maker and short model).
        publish(
            &daemon,
            "_airplay._tcp.local.",
            "Jane's Sonos",
            "Sonos-542A1BE7B4B4.local.",
            &[("manufacturer", "Sonos"), ("model", "One")],
        );
        std::thread::sleep(Duration::from_millis(1500)); // probing and announcing

        let started = std::time::Instant::now();
        let f = scan(dir.path(), &[]);
        println!("scan with discovery, four published: {:?}", started.elapsed());
        assert_eq!(f["status"], "warn", "{f}");
        let evidence: Vec<String> = f["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_string())
            .collect();
        let listening: Vec<&String> = evidence.iter().filter(|e| e.contains("seen on your network")).collect();
        assert_eq!(listening.len(), 3, "{evidence:?}");
        assert!(
            listening
                .iter()
                .any(|e| e.contains("\"Jane's Sonos\" (smart speaker, Sonos One)")),
            "{evidence:?}"
        );
        assert!(
            listening
                .iter()
                .any(|e| e.contains("\"Kitchen\" (Apple HomePod, AudioAccessory5,1)")),
            "{evidence:?}"
        );
        assert!(
            listening
                .iter()
                .any(|e| e.contains("\"Therapy room\"") && e.contains("Google Nest Mini")),
            "{evidence:?}"
        );
        assert!(!listening.iter().any(|e| e.contains("Lounge TV")), "{evidence:?}");

        // collect records the answers; --replay reproduces the verdict without the network.
        let snap = dir.path().join("machine.json");
        let out = common::confide(dir.path())
            .args(["collect", "--output"])
            .arg(&snap)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        // collect --redact: the names people gave the devices are gone from what it writes,
        // and the replay of the redacted snapshot reaches the same verdict.
        let redacted = dir.path().join("redacted.json");
        let out = common::confide(dir.path())
            .args(["collect", "--redact", "--output"])
            .arg(&redacted)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = std::fs::read_to_string(&redacted).unwrap();
        for name in ["Therapy room", "Lounge TV", "Kitchen", "Jane's Sonos"] {
            assert!(!text.contains(name), "{name} is in the redacted snapshot");
        }
        assert!(text.contains("fn=device-") && text.contains("model=One"), "{text}");
        let _ = daemon.shutdown();
        std::thread::sleep(Duration::from_millis(500));
        let replayed = scan(dir.path(), &["--replay", snap.to_str().unwrap()]);
        assert_eq!(replayed["status"], "warn", "{replayed}");
        assert_eq!(replayed["evidence"], f["evidence"], "the replay names the same devices");
        let replayed = scan(dir.path(), &["--replay", redacted.to_str().unwrap()]);
        assert_eq!(
            (&replayed["status"], &replayed["reason"]),
            (&f["status"], &f["reason"]),
            "{replayed}"
        );
        let evidence = replayed["evidence"].to_string();
        assert!(
            !evidence.contains("Jane's Sonos") && evidence.contains("device-"),
            "{evidence}"
        );
    }
}
