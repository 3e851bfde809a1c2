//! Linux: the in-use access point's security from NetworkManager's `nmcli`, in terse mode and
//! without a new scan. `IN-USE` is `*` or a space in every language (`ACTIVE` is translated).

use super::{Reading, Security};
use crate::system::{RunOutcome, System};

pub const PROGRAM: &str = "nmcli";
pub const ARGS: [&str; 8] = ["-t", "-f", "IN-USE,SSID,SECURITY", "device", "wifi", "list", "--rescan", "no"];
const SHOWN: &str = "`nmcli -t -f IN-USE,SSID,SECURITY device wifi list --rescan no`";

/// One access point: in use or not, its name and its security as nmcli names it.
#[derive(Debug, PartialEq)]
struct AccessPoint {
    in_use: bool,
    ssid: String,
    security: String,
}

/// Splits a terse line at the colons nmcli did not escape, undoing `\:` and `\\`.
fn terse_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => field.extend(chars.next()),
            ':' => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// Parses the terse list, one access point per line and a blank line between devices (as
/// NetworkManager's own client tests record, tests/fixtures/linux/wifi):
///
/// ```text
///  :wlan0-ap-2:WPA1 WPA2
///  :wlan0-ap-1:WPA1
///  :wlan0-ap-3:WPA3
/// ```
///
/// The access point in use starts with `*`. An open network has an empty `SECURITY`; nmcli
/// builds it from the words `WEP`, `WPA1`, `WPA2`, `WPA3`, `OWE`, `OWE-TM`, `802.1X` and
/// `WPA-EAP-SUITE-B-192` (src/nmcli/devices.c).
fn access_points(stdout: &str) -> Vec<AccessPoint> {
    stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| {
            let f = terse_fields(line);
            (f.len() == 3).then(|| AccessPoint {
                in_use: f[0] == "*",
                ssid: f[1].clone(),
                security: f[2].trim().to_string(),
            })
        })
        .collect()
}

/// The security behind nmcli's `SECURITY` words, or `None` when they do not decide it.
fn security(words: &str) -> Option<Security> {
    let w: Vec<&str> = words.split_whitespace().collect();
    if w.is_empty() {
        return Some(Security::Open);
    }
    if w.contains(&"WEP") {
        return Some(Security::Wep);
    }
    if w.iter().any(|x| matches!(*x, "WPA2" | "WPA3" | "OWE" | "WPA-EAP-SUITE-B-192")) {
        return Some(Security::Protected);
    }
    if w.contains(&"WPA1") {
        return Some(Security::WpaTkip);
    }
    // `OWE-TM` alone is the open side of an Enhanced Open pair; `802.1X` alone names no cipher.
    None
}

/// The reading from nmcli's answer (its output and exit status already checked).
///
/// Every access point in use is judged and the worst decides (a laptop with two Wi-Fi adapters,
/// or an answer marking two). An empty list is not "not on Wi-Fi": NetworkManager lists nothing
/// both with no Wi-Fi adapter and when iwd, wpa_supplicant or systemd-networkd has the laptop
/// on a network NetworkManager does not manage (an open café network included), and no real
/// capture of that answer was found.
pub fn parse(stdout: &str) -> Reading {
    // Every line is an access point (IN-USE `*` or a space, then SSID and SECURITY): an answer
    // with another line was not understood, so it cannot show that no network is in use.
    let odd = stdout.lines().filter(|l| !l.trim().is_empty()).find(|line| {
        let f = terse_fields(line);
        f.len() != 3 || !matches!(f[0].as_str(), "*" | " ")
    });
    if let Some(line) = odd {
        return Reading::Unreadable {
            why: "nmcli answered with a line that is not an access point".into(),
            evidence: vec![format!("{SHOWN}: `{}`", crate::words::excerpt(line, 60))],
        };
    }
    let aps = access_points(stdout);
    if aps.is_empty() {
        return Reading::Unreadable {
            why: "NetworkManager listed no Wi-Fi network at all. This computer may have no Wi-Fi or have it turned off, or another program (iwd, wpa_supplicant, systemd-networkd) may run its Wi-Fi; if you are on Wi-Fi, check in the Wi-Fi settings that the network asks for a password (WPA2 or WPA3)".into(),
            evidence: vec![format!("{SHOWN}: no access point listed")],
        };
    }
    let in_use: Vec<&AccessPoint> = aps.iter().filter(|ap| ap.in_use).collect();
    if in_use.is_empty() {
        return Reading::NotOnWifi {
            evidence: vec![format!("{SHOWN}: {} access points nearby, none in use", aps.len())],
        };
    }
    let mut evidence: Vec<String> = in_use.iter().map(|ap| in_use_evidence(ap)).collect();
    if in_use.len() > 1 {
        evidence.push(format!("connected to {} Wi-Fi networks at once: the least protected one decides", in_use.len()));
    }
    match super::worst(in_use.into_iter().map(judge_access_point)) {
        Some(Reading::Connected {
            network,
            security,
            shown,
            ..
        }) => Reading::Connected {
            network,
            security,
            shown,
            evidence,
        },
        // judge_access_point gives only these two; `None` cannot happen with one in use.
        Some(Reading::Unreadable { why, .. }) => Reading::Unreadable { why, evidence },
        _ => Reading::Unreadable {
            why: "nmcli's access points in use could not be judged".into(),
            evidence,
        },
    }
}

/// What nmcli showed for one access point in use.
fn in_use_evidence(ap: &AccessPoint) -> String {
    let name = if ap.ssid.is_empty() {
        String::new()
    } else {
        format!(" `{}`", ap.ssid)
    };
    if ap.security.is_empty() {
        format!("{SHOWN}: the access point in use (`*`){name} shows no SECURITY: an open network")
    } else {
        format!("{SHOWN}: the access point in use (`*`){name} shows SECURITY `{}`", ap.security)
    }
}

/// One access point in use, judged alone (its evidence is gathered by [`parse`]).
fn judge_access_point(ap: &AccessPoint) -> Reading {
    let network = (!ap.ssid.is_empty()).then(|| ap.ssid.clone());
    match security(&ap.security) {
        Some(security) => Reading::Connected {
            network,
            security,
            shown: if ap.security.is_empty() {
                "no security".into()
            } else {
                ap.security.clone()
            },
            evidence: Vec::new(),
        },
        None => Reading::Unreadable {
            why: format!("nmcli's security words `{}` do not say how the connection is protected", ap.security),
            evidence: Vec::new(),
        },
    }
}

/// The networks' names in an output, for `--redact`.
pub fn network_names(stdout: &str) -> Vec<String> {
    access_points(stdout)
        .into_iter()
        .map(|ap| ap.ssid)
        .filter(|s| !s.is_empty())
        .collect()
}

pub(super) fn read(system: &dyn System) -> Reading {
    let out = system.run(PROGRAM, &ARGS);
    if out.outcome() == RunOutcome::Missing {
        return Reading::Unreadable {
            why: "`nmcli` is not available (NetworkManager is not installed), and confide reads Wi-Fi through NetworkManager".into(),
            evidence: vec!["`nmcli` is not available".into()],
        };
    }
    // nmcli exits 8 with `Error: NetworkManager is not running.` when the system bus is up
    // without NetworkManager, and 1 with `Error: Could not create NMClient object: Could not
    // connect: No such file or directory.` when there is no system bus to reach it through.
    if out.stderr.contains("NetworkManager is not running") || out.stderr.contains("Could not create NMClient object") {
        return Reading::Unreadable {
            why: "NetworkManager is not running, so nmcli cannot say which Wi-Fi network this computer uses".into(),
            evidence: vec![format!("{SHOWN}: `{}`", out.stderr.trim())],
        };
    }
    if let Some(why) = out.failure(PROGRAM) {
        return Reading::failed(why);
    }
    parse(&out.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terse_fields_keep_escaped_colons_and_backslashes() {
        assert_eq!(terse_fields(r"*:Caf\:e \\ 2:WPA2"), vec!["*", r"Caf:e \ 2", "WPA2"]);
        assert_eq!(terse_fields(" ::"), vec![" ", "", ""]);
    }

    #[test]
    fn a_line_that_is_not_an_access_point_is_unreadable_not_off_wifi() {
        // Found by tests/it/fuzz: nmcli answering `ₐ` read as "not on Wi-Fi", a pass.
        assert!(matches!(parse("ₐ\n"), Reading::Unreadable { .. }));
        assert!(matches!(parse(" :wlan0-ap-1:WPA1\nx:y:z\n"), Reading::Unreadable { .. }));
        assert!(matches!(parse(" :wlan0-ap-1:WPA1\n\n"), Reading::NotOnWifi { .. }));
    }

    #[test]
    fn an_empty_list_is_unreadable_not_off_wifi() {
        // Also what NetworkManager prints while iwd has the laptop on an open café network.
        for answer in ["", "\n", "\n\n  \n"] {
            let Reading::Unreadable { why, evidence } = parse(answer) else {
                panic!("{answer:?} read as {:?}", parse(answer));
            };
            assert!(why.contains("listed no Wi-Fi network at all") && why.contains("iwd"), "{why}");
            assert!(evidence[0].contains("no access point listed"), "{evidence:?}");
        }
    }

    #[test]
    fn every_access_point_in_use_is_judged_and_the_worst_decides() {
        let security = |r: Reading| match r {
            Reading::Connected { security, network, evidence, .. } => Some((security, network, evidence.len())),
            _ => None,
        };
        // The review's case: Home (WPA2) first, then an open café network on a second device.
        assert_eq!(
            security(parse("*:Home:WPA2\n\n*:CafeFree:\n")),
            Some((Security::Open, Some("CafeFree".into()), 3))
        );
        assert_eq!(
            security(parse("*:CafeFree:\n\n*:Home:WPA2\n")),
            Some((Security::Open, Some("CafeFree".into()), 3))
        );
        assert_eq!(
            security(parse("*:Old:WPA1\n*:Home:WPA2\n")),
            Some((Security::WpaTkip, Some("Old".into()), 3))
        );
        assert_eq!(security(parse("*:A:WPA3\n*:B:WPA2\n")).map(|s| s.0), Some(Security::Protected));
        // A known bad signal decides over one that cannot be read; unreadable outweighs protected.
        assert_eq!(security(parse("*:T:OWE-TM\n*:W:WEP\n")).map(|s| s.0), Some(Security::Wep));
        assert!(matches!(parse("*:Home:WPA2\n*:T:OWE-TM\n"), Reading::Unreadable { .. }));
    }

    #[test]
    fn security_words() {
        assert_eq!(security(""), Some(Security::Open));
        assert_eq!(security("WEP"), Some(Security::Wep));
        assert_eq!(security("WPA1"), Some(Security::WpaTkip));
        assert_eq!(security("WPA1 WPA2"), Some(Security::Protected));
        assert_eq!(security("WPA2 802.1X"), Some(Security::Protected));
        assert_eq!(security("OWE"), Some(Security::Protected));
        assert_eq!(security("OWE-TM"), None);
    }
}
