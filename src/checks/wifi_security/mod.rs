//! ## What it checks
//! The security of the Wi-Fi network this computer is connected to now: open (no password),
//! WEP, WPA with TKIP only, or WPA2/WPA3 (personal or enterprise). A computer on a cable or
//! not connected to Wi-Fi passes, and the finding says so, where the OS's answer for that has
//! been seen on a real computer; where it has not (a Mac with Wi-Fi off, NetworkManager listing
//! no access point at all), the check says it could not tell.
//!
//! ## Why it matters
//! On an open or WEP network anyone nearby can join and may read what this computer sends or
//! try to reach it; WPA with TKIP has been broken for years. The guidance asks that nobody else
//! can access the computer you keep client information on.
//!
//! ## How it reads it
//! macOS: `system_profiler SPAirPortDataType -json` (the current network's
//! `spairport_security_mode`; recent macOS hides the network's name without Location
//! permission but still shows the security). Windows: `netsh wlan show interfaces`
//! (`State`, `Authentication`, `Cipher`; English output only; Windows 11 24H2 refuses without
//! Location access). Linux: NetworkManager's `nmcli` (the in-use access point's `SECURITY`).
//!
//! ## Decisions
//! OWE ("Enhanced Open") passes: each device's traffic is encrypted with its own key, so other
//! people on the network cannot read it, which is at least what WPA2-Personal gives on a network
//! whose password is on the café wall. A network offering both WPA and WPA2 passes (the computer
//! uses WPA2 with it); WPA alone, or the TKIP cipher, warns. With several connections (two
//! adapters, or two access points in use), the least protected decides.

pub mod linux;
pub mod macos;
pub mod windows;

use super::CheckContext;
use super::kit::{BuiltinCheck, ScanTime, Verdict};

pub struct WifiSecurity;

crate::reasons! {
    /// Why the verdict is what it is (`wifi-security.<code>`).
    pub enum Reason {
        Open: Fail "open" => "This computer is on an open Wi-Fi network, with no password, so anyone nearby can join it.",
        Wep: Fail "wep" => "This computer is on a Wi-Fi network protected only by WEP, which can be broken in minutes.",
        WpaTkip: Warn "wpa-tkip" => "This computer is on a Wi-Fi network protected by the old WPA (TKIP), which is no longer safe.",
        Protected: Pass "protected" => "This computer is on a Wi-Fi network protected by WPA2 or WPA3 (or Enhanced Open).",
        NotOnWifi: Pass "not-on-wifi" => "This computer is not on Wi-Fi now (on a cable, or not connected).",
        NeedsLocation: Unknown "needs-location" => "Windows would not show the Wi-Fi connection because apps are not allowed to use Location.",
        Unreadable: Unknown "unreadable" => "The Wi-Fi connection could not be read, so its security is not known.",
    }
}

/// The security a Wi-Fi connection uses, as far as the verdict needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// No password and no encryption.
    Open,
    Wep,
    /// WPA (the first version) or the TKIP cipher only.
    WpaTkip,
    /// WPA2 or WPA3, personal or enterprise, or OWE.
    Protected,
}

/// What the machine said about its Wi-Fi connection.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// Connected to a Wi-Fi network.
    Connected {
        /// The network's name (SSID) when the system shows it; `--redact` removes it.
        network: Option<String>,
        security: Security,
        /// The security as the system names it (`WPA2-Personal`, `WPA1 WPA2`).
        shown: String,
        evidence: Vec<String>,
    },
    /// Not connected to any Wi-Fi network (a cable, Wi-Fi off, or no Wi-Fi hardware).
    NotOnWifi { evidence: Vec<String> },
    /// Windows refused to show the connection without Location access.
    NeedsLocation { evidence: Vec<String> },
    /// Could not be read; the reason is said.
    Unreadable { why: String, evidence: Vec<String> },
}

impl Reading {
    /// The OS's command could not be run or failed: why, said once as the reason and the evidence.
    fn failed(why: String) -> Reading {
        Reading::Unreadable {
            why: why.clone(),
            evidence: vec![why],
        }
    }

    /// How bad a reading is for the verdict, worst first: a known bad security decides even when
    /// another connection could not be read, and an unreadable one outweighs a protected one.
    fn badness(&self) -> u8 {
        match self {
            Reading::Connected {
                security: Security::Open | Security::Wep,
                ..
            } => 0,
            Reading::Connected {
                security: Security::WpaTkip,
                ..
            } => 1,
            Reading::Unreadable { .. } | Reading::NeedsLocation { .. } => 2,
            Reading::Connected { .. } | Reading::NotOnWifi { .. } => 3,
        }
    }
}

/// The worst of several connections' readings (two adapters, or two access points in use):
/// the first of the worst, or `None` for none.
fn worst(readings: impl IntoIterator<Item = Reading>) -> Option<Reading> {
    readings
        .into_iter()
        .reduce(|worst, next| if next.badness() < worst.badness() { next } else { worst })
}

impl BuiltinCheck for WifiSecurity {
    const ID: &'static str = "wifi-security";
    type Limits = ();
    type Reason = Reason;
    type Reading = Reading;

    fn read(&self, ctx: &CheckContext<'_>) -> Reading {
        super::kit::per_os(ctx.system, macos::read, windows::read, linux::read)
    }

    fn judge(&self, reading: Reading, _: &(), _: ScanTime) -> Verdict<Reason> {
        judge(reading)
    }
}

/// The network's name in quotes after "network", or a note that it is hidden.
fn named(network: &Option<String>) -> String {
    match network {
        Some(name) => format!(" \u{201c}{name}\u{201d}"),
        None => " (its name is hidden)".into(),
    }
}

/// The verdict on a reading: a known bad security decides; a computer not on Wi-Fi passes.
pub fn judge(reading: Reading) -> Verdict<Reason> {
    match reading {
        Reading::Connected {
            network,
            security,
            shown,
            evidence,
        } => {
            let name = named(&network);
            let (reason, summary) = match security {
                Security::Open => (
                    Reason::Open,
                    format!(
                        "This computer is on an open Wi-Fi network{name}, with no password: anyone nearby can join it and may see what you send. Do not see clients or open notes on it; use your phone's hotspot with a password instead."
                    ),
                ),
                Security::Wep => (
                    Reason::Wep,
                    format!(
                        "This computer is on a Wi-Fi network{name} protected only by WEP ({shown}), which can be broken in minutes. Do not see clients or open notes on it until the router uses WPA2 or WPA3."
                    ),
                ),
                Security::WpaTkip => (
                    Reason::WpaTkip,
                    format!(
                        "This computer is on a Wi-Fi network{name} protected by the old WPA ({shown}), which is no longer safe. Set the router to WPA2 or WPA3, or use your phone's hotspot."
                    ),
                ),
                Security::Protected => (
                    Reason::Protected,
                    format!("This computer is on a Wi-Fi network{name} protected by {shown}."),
                ),
            };
            Verdict::new(reason, summary).with_evidence(evidence)
        }
        Reading::NotOnWifi { evidence } => Verdict::new(
            Reason::NotOnWifi,
            "This computer is not on Wi-Fi now, so there is no Wi-Fi network to judge. Run the check again where you work on Wi-Fi.",
        )
        .with_evidence(evidence),
        Reading::NeedsLocation { evidence } => Verdict::new(
            Reason::NeedsLocation,
            "Could not tell how the Wi-Fi network is protected: Windows shows it only when apps may use Location. Turn on Location services for apps (Settings › Privacy & security › Location), then run the check again.",
        )
        .with_evidence(evidence),
        Reading::Unreadable { why, evidence } => Verdict::new(
            Reason::Unreadable,
            format!("Could not tell how the Wi-Fi network is protected: {why}."),
        )
        .with_evidence(evidence),
    }
}

/// The Wi-Fi network names (SSIDs) a recorded output of this check's commands shows, so
/// `--redact` can remove them everywhere. Empty for any other command.
pub fn network_names(program: &str, args: &[String], stdout: &str) -> Vec<String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if program == macos::PROGRAM && args == macos::ARGS {
        macos::network_names(stdout)
    } else if program == windows::PROGRAM && args == windows::ARGS {
        windows::network_names(stdout)
    } else if program == linux::PROGRAM && args == linux::ARGS {
        linux::network_names(stdout)
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    fn on(security: Security) -> Reading {
        Reading::Connected {
            network: Some("Home".into()),
            security,
            shown: "x".into(),
            evidence: vec!["seen".into()],
        }
    }

    #[test]
    fn each_security_has_its_status() {
        assert_eq!(judge(on(Security::Open)).status(), Status::Fail);
        assert_eq!(judge(on(Security::Wep)).status(), Status::Fail);
        assert_eq!(judge(on(Security::WpaTkip)).status(), Status::Warn);
        assert_eq!(judge(on(Security::Protected)).status(), Status::Pass);
        let hidden = Reading::Connected {
            network: None,
            security: Security::Open,
            shown: "none".into(),
            evidence: vec![],
        };
        assert!(judge(hidden).summary.contains("its name is hidden"));
        let not = judge(Reading::NotOnWifi { evidence: vec![] });
        assert_eq!((not.status(), not.summary.contains("not on Wi-Fi")), (Status::Pass, true));
    }
}
