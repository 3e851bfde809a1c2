//! Windows: the connected interface's `Authentication` and `Cipher` from `netsh wlan show
//! interfaces`. Its labels are translated on other display languages; only English output is
//! read, and anything else is unknown with that said.

use super::{Reading, Security};
use crate::system::System;

pub const PROGRAM: &str = "netsh";
pub const ARGS: [&str; 3] = ["wlan", "show", "interfaces"];
const SHOWN: &str = "`netsh wlan show interfaces`";

/// One interface's block.
#[derive(Debug, Default, PartialEq)]
struct Interface {
    name: String,
    state: Option<String>,
    ssid: Option<String>,
    authentication: Option<String>,
    cipher: Option<String>,
}

/// Parses `netsh wlan show interfaces`. A connected interface (Windows 11, captured; the other
/// fields left out here):
///
/// ```text
/// There is 1 interface on the system:
///
///     Name                   : Wi-Fi
///     State                  : connected
///     SSID                   : Tenda_EBBAA0
///     AP BSSID               : 08:40:f3:eb:ba:a4
///     Authentication         : WPA2-Personal
///     Cipher                 : CCMP
/// ```
///
/// A disconnected one has `State : disconnected` and no SSID. Without Wi-Fi hardware netsh's
/// wlan commands print `There is no wireless interface on the system.`; with the WLAN service
/// stopped, `The Wireless AutoConfig Service (wlansvc) is not running.` Windows 11 24H2 without Location access prints
/// `Network shell commands need location permission to access WLAN information. …` with the
/// Settings link `ms-settings:privacy-location`.
pub fn parse(stdout: &str) -> Reading {
    if stdout.contains("ms-settings:privacy-location") || stdout.contains("need location permission") {
        return Reading::NeedsLocation {
            evidence: vec![format!(
                "{SHOWN}: `Network shell commands need location permission to access WLAN information.`"
            )],
        };
    }
    for (text, why) in [
        ("There is no wireless interface on the system", "this computer has no Wi-Fi adapter"),
        (
            "Wireless AutoConfig Service (wlansvc) is not running",
            "the Wi-Fi service (WLAN AutoConfig) is not running, so Windows is not using Wi-Fi",
        ),
    ] {
        if stdout.contains(text) {
            return Reading::NotOnWifi {
                evidence: vec![format!("{SHOWN}: `{text}.`: {why}")],
            };
        }
    }
    let interfaces = interfaces(stdout);
    if interfaces.is_empty() || interfaces.iter().all(|i| i.state.is_none()) {
        return Reading::Unreadable {
            why: format!(
                "{SHOWN} printed no interface with a `State` line (confide reads netsh's English output only)"
            ),
            evidence: vec![format!("{SHOWN}: {} lines, none recognised", stdout.lines().count())],
        };
    }
    let connected: Vec<&Interface> = interfaces
        .iter()
        .filter(|i| i.state.as_deref() == Some("connected"))
        .collect();
    if connected.is_empty() {
        let states: Vec<String> = interfaces
            .iter()
            .map(|i| format!("{}: `State : {}`", i.name, i.state.as_deref().unwrap_or("?")))
            .collect();
        return Reading::NotOnWifi {
            evidence: vec![format!("{SHOWN}: {}", states.join(", "))],
        };
    }
    // With two adapters connected, the weaker one decides.
    super::worst(connected.into_iter().map(judge_interface)).unwrap_or(Reading::Unreadable {
        why: "no connected interface".into(),
        evidence: vec![],
    })
}

fn judge_interface(iface: &Interface) -> Reading {
    let auth = iface.authentication.as_deref().unwrap_or_default();
    let cipher = iface.cipher.as_deref().unwrap_or_default();
    let evidence = vec![format!(
        "{SHOWN}: {}: `State : connected`, `Authentication : {auth}`, `Cipher : {cipher}`",
        iface.name
    )];
    let tkip = cipher.eq_ignore_ascii_case("TKIP");
    let security = match auth {
        "Open" if cipher.eq_ignore_ascii_case("WEP") => Some(Security::Wep),
        "Open" => Some(Security::Open),
        "Shared" => Some(Security::Wep),
        "WPA-Personal" | "WPA-Enterprise" => Some(Security::WpaTkip),
        "OWE" => Some(Security::Protected),
        a if a.starts_with("WPA2-") || a.starts_with("WPA3-") => {
            Some(if tkip { Security::WpaTkip } else { Security::Protected })
        }
        _ => None,
    };
    let Some(security) = security else {
        return Reading::Unreadable {
            why: if auth.is_empty() {
                format!("{SHOWN} showed a connection without its Authentication line")
            } else {
                format!("{SHOWN} named an authentication confide does not know (`{auth}`)")
            },
            evidence,
        };
    };
    let shown = if cipher.is_empty() {
        auth.to_string()
    } else {
        format!("{auth} with {cipher}")
    };
    Reading::Connected {
        network: iface.ssid.clone().filter(|s| !s.is_empty()),
        security,
        shown,
        evidence,
    }
}

/// The interfaces' blocks: each starts at a `Name` line; `Key : Value` lines, the key padded.
fn interfaces(stdout: &str) -> Vec<Interface> {
    let mut out: Vec<Interface> = Vec::new();
    for line in stdout.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        if key == "Name" {
            out.push(Interface {
                name: value.to_string(),
                ..Interface::default()
            });
            continue;
        }
        let Some(current) = out.last_mut() else { continue };
        let slot = match key {
            "State" => &mut current.state,
            "SSID" => &mut current.ssid,
            "Authentication" => &mut current.authentication,
            "Cipher" => &mut current.cipher,
            _ => continue,
        };
        *slot = Some(value.to_string());
    }
    out
}

/// The connected networks' names in an output, for `--redact` (the SSID and the profile, which
/// Windows names after the network).
pub fn network_names(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            matches!(key.trim(), "SSID" | "Profile")
                .then(|| value.trim().to_string())
                .filter(|v| !v.is_empty())
        })
        .collect()
}

pub(super) fn read(system: &dyn System) -> Reading {
    let out = system.run(PROGRAM, &ARGS);
    // netsh exits 1 with its refusal or "no wireless interface" on stdout: read the text first.
    if out.stdout.trim().is_empty()
        && let Some(why) = out.failure(PROGRAM)
    {
        return Reading::failed(why);
    }
    parse(&out.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tkip_cipher_under_wpa2_warns_and_an_unknown_authentication_is_unreadable() {
        let block = |auth: &str, cipher: &str| {
            format!("    Name : Wi-Fi\r\n    State : connected\r\n    Authentication : {auth}\r\n    Cipher : {cipher}\r\n")
        };
        let security = |r: Reading| match r {
            Reading::Connected { security, .. } => Some(security),
            _ => None,
        };
        assert_eq!(security(parse(&block("WPA2-Personal", "TKIP"))), Some(Security::WpaTkip));
        assert_eq!(security(parse(&block("Open", "WEP"))), Some(Security::Wep));
        assert_eq!(security(parse(&block("Authentifizierung", "CCMP"))), None);
    }
}
