//! macOS: the current network's security mode from `system_profiler SPAirPortDataType -json`.

use serde_json::Value;

use super::{Reading, Security};
use crate::system::System;

pub const PROGRAM: &str = "system_profiler";
pub const ARGS: [&str; 2] = ["SPAirPortDataType", "-json"];
const SHOWN: &str = "`system_profiler SPAirPortDataType -json`";
/// What macOS 14.4 and later print for the network's name without Location permission.
const HIDDEN_NAME: &str = "<redacted>";

/// Parses `system_profiler SPAirPortDataType -json`. A connected interface (trimmed capture,
/// macOS 26, tests/fixtures/macos/wifi):
///
/// ```text
/// "spairport_airport_interfaces" : [
///   { "_name" : "en0",
///     "spairport_current_network_information" : {
///       "_name" : "<redacted>",
///       "spairport_security_mode" : "spairport_security_mode_wpa3_personal", … },
///     "spairport_status_information" : "spairport_status_connected" },
///   { "_name" : "awdl0",
///     "spairport_current_network_information" : { "spairport_network_type" : "…station" } } ]
/// ```
///
/// `awdl0` (AirDrop's link) carries a network block with no security: it is not a connection.
/// Some outputs have no `spairport_status_information`; a current network with a security mode
/// then counts as connected. WPA3 transition mode is spelt `pairport_security_mode_…` (sic).
pub fn parse(stdout: &str) -> Reading {
    let unreadable = |why: String| Reading::Unreadable {
        why,
        evidence: vec![match stdout.trim() {
            "" => format!("{SHOWN}: (nothing)"),
            text => format!("{SHOWN}: `{}`", crate::words::excerpt(text, 100)),
        }],
    };
    let Ok(root) = serde_json::from_str::<Value>(stdout) else {
        return unreadable(format!("{SHOWN} did not print JSON"));
    };
    let Some(groups) = root.get("SPAirPortDataType").and_then(Value::as_array) else {
        return unreadable(format!("{SHOWN} printed no SPAirPortDataType list"));
    };
    let interfaces: Vec<&Value> = groups
        .iter()
        .filter_map(|g| g.get("spairport_airport_interfaces").and_then(Value::as_array))
        .flatten()
        .collect();
    let mut not_connected = Vec::new();
    let mut readings = Vec::new();
    for iface in &interfaces {
        let name = iface.get("_name").and_then(Value::as_str).unwrap_or("an interface");
        let status = iface.get("spairport_status_information").and_then(Value::as_str);
        let current = iface.get("spairport_current_network_information");
        let mode = current
            .and_then(|c| c.get("spairport_security_mode"))
            .and_then(Value::as_str);
        let connected = status == Some("spairport_status_connected");
        if !connected && status.is_some() {
            not_connected.push(format!("{name}: `{}`", status.unwrap_or_default()));
            continue;
        }
        let Some(mode) = mode else {
            if connected {
                readings.push(unreadable(format!("{name} is connected but {SHOWN} showed no security mode")));
            } else if let Some(keys) = current.and_then(network_like) {
                // A current network with no status line and no readable security mode: a shape
                // confide has not seen, so it cannot show that this interface is not connected.
                readings.push(Reading::Unreadable {
                    why: format!("{name} has a current network whose security mode could not be read"),
                    evidence: vec![format!("{SHOWN}: {name}'s current network has only {keys}")],
                });
            }
            continue;
        };
        let network = current
            .and_then(|c| c.get("_name"))
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty() && *n != HIDDEN_NAME)
            .map(str::to_string);
        let mut evidence = vec![format!("{SHOWN}: {name} `spairport_security_mode` = `{mode}`")];
        if network.is_none() {
            evidence.push(
                "the network's name is hidden by macOS (it shows names only to apps allowed to use Location)".into(),
            );
        }
        readings.push(match security(mode) {
            Some((security, shown)) => Reading::Connected {
                network,
                security,
                shown: shown.into(),
                evidence,
            },
            None => Reading::Unreadable {
                why: format!("macOS named a security mode confide does not know (`{mode}`)"),
                evidence,
            },
        });
    }
    if let Some(reading) = super::worst(readings) {
        return reading;
    }
    // No real capture of a Mac off Wi-Fi was found (tests/fixtures/macos/wifi/NOTES.md): what
    // macOS prints then is known only from other programs' parsers, so it cannot pass.
    let seen = if interfaces.is_empty() {
        "no Wi-Fi interface".to_string()
    } else if not_connected.is_empty() {
        "no interface has a current network".to_string()
    } else {
        not_connected.join(", ")
    };
    Reading::Unreadable {
        why: format!(
            "macOS shows no Wi-Fi connection ({seen}), but confide has not yet been checked against a real Mac in that state, so it does not count it as \u{201c}not on Wi-Fi\u{201d}. If you are on Wi-Fi, check in System Settings › Wi-Fi that the network asks for a password (WPA2 or WPA3)"
        ),
        evidence: vec![format!("{SHOWN}: {seen}")],
    }
}

/// The keys of a current-network block that looks like a network (a name, or anything beside
/// the network type), quoted and listed; `None` for the bare `spairport_network_type` block that
/// AirDrop's `awdl0` carries in the real captures.
fn network_like(block: &Value) -> Option<String> {
    let map = block.as_object()?;
    if map.keys().all(|k| k == "spairport_network_type") {
        return None;
    }
    Some(map.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "))
}

/// The security behind a `spairport_security_mode_…` value, and its name in plain words.
fn security(mode: &str) -> Option<(Security, &'static str)> {
    let (_, kind) = mode.split_once("security_mode_")?;
    Some(match kind {
        "none" => (Security::Open, "no security"),
        "wep" => (Security::Wep, "WEP"),
        "dynamic_wep" => (Security::Wep, "Dynamic WEP"),
        "wpa_personal" => (Security::WpaTkip, "WPA Personal"),
        "wpa_enterprise" => (Security::WpaTkip, "WPA Enterprise"),
        "wpa2_personal" => (Security::Protected, "WPA2 Personal"),
        "wpa2_personal_mixed" => (Security::Protected, "WPA/WPA2 Personal"),
        "wpa2_enterprise" => (Security::Protected, "WPA2 Enterprise"),
        "wpa2_enterprise_mixed" => (Security::Protected, "WPA/WPA2 Enterprise"),
        "wpa3_personal" => (Security::Protected, "WPA3 Personal"),
        "wpa3_transition" => (Security::Protected, "WPA2/WPA3 Personal"),
        "wpa3_enterprise" => (Security::Protected, "WPA3 Enterprise"),
        "owe" => (Security::Protected, "Enhanced Open (OWE)"),
        _ => return None,
    })
}

/// The networks' names in an output, for `--redact` (the current one and those nearby).
pub fn network_names(stdout: &str) -> Vec<String> {
    let Ok(root) = serde_json::from_str::<Value>(stdout) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    collect_names(&root, false, &mut names);
    names
}

/// Every `_name` inside a network block (`spairport_current_network_information` or an entry of
/// `spairport_airport_other_local_wireless_networks`); interface names (`en0`) are not networks.
fn collect_names(v: &Value, in_network: bool, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k == "_name" && in_network {
                    if let Some(n) = child.as_str().filter(|n| !n.is_empty() && *n != HIDDEN_NAME) {
                        out.push(n.to_string());
                    }
                } else {
                    let network = k == "spairport_current_network_information" || k.ends_with("_wireless_networks");
                    collect_names(child, network, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_names(i, in_network, out)),
        _ => {}
    }
}

pub(super) fn read(system: &dyn System) -> Reading {
    let out = system.run(PROGRAM, &ARGS);
    if let Some(why) = out.failure(PROGRAM) {
        return Reading::failed(why);
    }
    parse(&out.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_by_their_suffix_including_the_misspelt_transition_mode() {
        assert_eq!(
            security("pairport_security_mode_wpa3_transition").map(|s| s.0),
            Some(Security::Protected)
        );
        assert_eq!(security("spairport_security_mode_none").map(|s| s.0), Some(Security::Open));
        assert_eq!(security("spairport_security_mode_wpa_personal").map(|s| s.0), Some(Security::WpaTkip));
        assert_eq!(security("spairport_security_mode_something_new"), None);
        assert!(matches!(parse("not json"), Reading::Unreadable { .. }));
    }

    fn why(r: Reading) -> String {
        match r {
            Reading::Unreadable { why, evidence } => format!("{why} | {}", evidence.join(" | ")),
            other => panic!("not unreadable: {other:?}"),
        }
    }

    #[test]
    fn a_current_network_that_is_not_awdl0s_bare_block_and_has_no_mode_is_unreadable() {
        let iface = |block: &str| {
            format!(r#"{{"SPAirPortDataType":[{{"spairport_airport_interfaces":[{{"_name":"en0","spairport_current_network_information":{block}}}]}}]}}"#)
        };
        // The review's case: a name but no security mode, and no status line.
        let w = why(parse(&iface(r#"{"_name":"Home"}"#)));
        assert!(w.contains("en0 has a current network whose security mode could not be read"), "{w}");
        assert!(w.contains("has only `_name`"), "{w}");
        // AirDrop's awdl0 block (only the network type, as captured) is no connection, and a Mac
        // showing no connection is unknown too, since no capture of one exists.
        let w = why(parse(&iface(r#"{"spairport_network_type":"spairport_network_type_station"}"#)));
        assert!(w.contains("no interface has a current network"), "{w}");
        let w = why(parse(r#"{"SPAirPortDataType":[{"spairport_airport_interfaces":[]}]}"#));
        assert!(w.contains("(no Wi-Fi interface)"), "{w}");
    }

    #[test]
    fn output_that_is_not_json_is_quoted_cut_with_an_ellipsis() {
        let long = "x".repeat(300);
        let w = why(parse(&long));
        assert!(w.contains(&format!("`{}…`", "x".repeat(100))), "{w}");
        assert!(why(parse("  ")).contains("-json`: (nothing)"));
    }
}
