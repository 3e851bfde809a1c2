//! ## What it checks
//! That the computer's own firewall is on: macOS's application firewall, Windows Defender
//! Firewall for every network profile, and ufw, firewalld or nftables on Linux.
//!
//! ## Why it matters
//! A firewall stops other machines on the same network (a café, a shared house) from reaching
//! services on the computer. Cyber Essentials requires one on every device.

use super::{Check, CheckContext, Outcome};
use crate::probe::windows_reg::{self, RegValue};
use crate::status::Status;
use crate::system::{FileRead, OsFamily, RunOutcome, System};
use crate::words::join_names;

pub struct Firewall;

impl Check for Firewall {
    fn id(&self) -> &str {
        "firewall"
    }

    fn supported_os(&self) -> &[OsFamily] {
        &OsFamily::ALL
    }

    fn run(&self, ctx: &CheckContext<'_>) -> Outcome {
        let readings = match ctx.system.os().family {
            OsFamily::Macos => macos(ctx.system),
            OsFamily::Windows => windows(ctx.system),
            OsFamily::Linux => linux(ctx.system),
        };
        let mut outcome = judge(&readings);
        if readings.is_empty() {
            outcome
                .evidence
                .push("none of ufw, firewall-cmd (firewalld) or nft (nftables) is installed".into());
        }
        outcome
    }
}

/// What one source said about one firewall (or one Windows profile).
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The firewall or profile, as people know it: `ufw`, `Public network profile`.
    pub name: String,
    pub state: State,
    pub evidence: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    On,
    Off,
    /// This source could not tell (root needed, unexpected output); the evidence says why.
    Unknown,
}

fn reading(name: &str, state: State, evidence: impl Into<String>) -> Reading {
    Reading {
        name: name.to_string(),
        state,
        evidence: evidence.into(),
    }
}

/// The verdict. On Windows every profile must be on (`all_required`); elsewhere one firewall
/// that is on is enough.
pub fn judge(readings: &[Reading]) -> Outcome {
    let evidence: Vec<String> = readings.iter().map(|r| r.evidence.clone()).collect();
    let names = |state| {
        readings
            .iter()
            .filter(|r| r.state == state)
            .map(|r| r.name.clone())
            .collect::<Vec<_>>()
    };
    let (on, off, unknown) = (names(State::On), names(State::Off), names(State::Unknown));
    let profiles = readings.iter().any(|r| r.name.ends_with("network profile"));
    let outcome = if profiles && !off.is_empty() {
        Outcome::new(
            Status::Fail,
            "firewall.off",
            format!("The firewall is off for the {}.", join_names(&off)),
        )
    } else if profiles && unknown.is_empty() && !on.is_empty() {
        Outcome::new(
            Status::Pass,
            "firewall.on",
            "The firewall is on for every network profile.",
        )
    } else if !profiles && !on.is_empty() {
        Outcome::new(
            Status::Pass,
            "firewall.on",
            format!("The firewall is on ({}).", join_names(&on)),
        )
    } else if !unknown.is_empty() {
        Outcome::new(
            Status::Unknown,
            "firewall.unreadable",
            "Could not tell whether the firewall is on: see what confide saw below (some of it needs administrator rights: run `confide scan` from an elevated terminal, or with sudo on Linux).",
        )
    } else if !off.is_empty() {
        Outcome::new(
            Status::Fail,
            "firewall.off",
            format!("The firewall is off ({}).", join_names(&off)),
        )
    } else {
        Outcome::new(
            Status::Unknown,
            "firewall.none-found",
            "No firewall software was found to ask.",
        )
    };
    outcome.with_evidence(evidence)
}

// ---------------------------------------------------------------- macOS

const SOCKETFILTERFW: &str = "/usr/libexec/ApplicationFirewall/socketfilterfw";

/// Parses `socketfilterfw --getglobalstate`, by its state number, because the words differ
/// between releases:
///
/// ```text
/// Firewall is enabled. (State = 1)
/// Firewall is disabled. (State = 0)
/// Firewall is blocking all non-essential incoming connections. (State = 2)
/// ```
pub fn parse_socketfilterfw(stdout: &str) -> Option<u8> {
    let after = stdout.split("(State = ").nth(1)?;
    after.split(')').next()?.trim().parse().ok()
}

fn macos(system: &dyn System) -> Vec<Reading> {
    let out = system.run(SOCKETFILTERFW, &["--getglobalstate"]);
    let shown = format!("`socketfilterfw --getglobalstate`: {}", out.stdout.trim());
    let name = "the macOS firewall";
    vec![match (out.outcome(), parse_socketfilterfw(&out.stdout)) {
        (RunOutcome::Exited { status: Some(0) }, Some(0)) => reading(name, State::Off, shown),
        (RunOutcome::Exited { status: Some(0) }, Some(1 | 2)) => reading(name, State::On, shown),
        (RunOutcome::Missing, _) => reading(name, State::Unknown, "socketfilterfw is not on this Mac"),
        _ => reading(
            name,
            State::Unknown,
            format!("{shown} (unexpected output) {}", out.stderr.trim()),
        ),
    }]
}

// ---------------------------------------------------------------- Windows

const PROFILES_COMMAND: &str =
    "Get-NetFirewallProfile -PolicyStore ActiveStore | Select-Object Name,Enabled | ConvertTo-Json";
const POLICY_KEY: &str = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy";

/// Parses `Get-NetFirewallProfile -PolicyStore ActiveStore | Select-Object Name,Enabled |
/// ConvertTo-Json`. `Enabled` is a GpoBoolean written as a number (1 = True, 0 = False); the
/// active store gives the effective state even when Group Policy sets it:
///
/// ```text
/// [
///     {
///         "Name":  "Domain",
///         "Enabled":  1
///     },
///     ...
/// ]
/// ```
pub fn parse_profiles(stdout: &str) -> Option<Vec<(String, Option<bool>)>> {
    let value: serde_json::Value = serde_json::from_str(stdout.trim()).ok()?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        object @ serde_json::Value::Object(_) => vec![object],
        _ => return None,
    };
    items
        .iter()
        .map(|item| {
            let name = item.get("Name")?.as_str()?.to_string();
            let enabled = match item.get("Enabled")? {
                serde_json::Value::Number(n) if n.as_u64() == Some(1) => Some(true),
                serde_json::Value::Number(n) if n.as_u64() == Some(0) => Some(false),
                serde_json::Value::Bool(b) => Some(*b),
                _ => None,
            };
            Some((name, enabled))
        })
        .collect()
}

fn profile_name(name: &str) -> String {
    let friendly = match name {
        "Standard" => "Private",
        other => other,
    };
    format!("{friendly} network profile")
}

fn windows(system: &dyn System) -> Vec<Reading> {
    let out = system.run(
        "powershell",
        &["-NoProfile", "-NonInteractive", "-Command", PROFILES_COMMAND],
    );
    if out.succeeded()
        && let Some(profiles) = parse_profiles(&out.stdout)
        && !profiles.is_empty()
    {
        return profiles
            .into_iter()
            .map(|(name, enabled)| {
                let evidence = format!(
                    "Get-NetFirewallProfile (active): {name} Enabled = {}",
                    match enabled {
                        Some(true) => "True",
                        Some(false) => "False",
                        None => "not configured",
                    }
                );
                let state = match enabled {
                    Some(true) => State::On,
                    Some(false) => State::Off,
                    None => State::Unknown,
                };
                reading(&profile_name(&name), state, evidence)
            })
            .collect();
    }
    // Without PowerShell's answer, the registry: an absent value is not evidence of "on".
    ["DomainProfile", "StandardProfile", "PublicProfile"]
        .iter()
        .map(|profile| {
            let name = profile_name(profile.trim_end_matches("Profile"));
            let key = format!("{POLICY_KEY}\\{profile}");
            match windows_reg::query(system, &key, "EnableFirewall") {
                RegValue::Dword(1) => reading(&name, State::On, format!("{profile} EnableFirewall = 1")),
                RegValue::Dword(0) => reading(&name, State::Off, format!("{profile} EnableFirewall = 0")),
                RegValue::NotSet => reading(&name, State::Unknown, format!("{profile} EnableFirewall is not set")),
                other => reading(
                    &name,
                    State::Unknown,
                    format!("{profile} EnableFirewall could not be read: {other:?}"),
                ),
            }
        })
        .collect()
}

// ---------------------------------------------------------------- Linux

/// Reads `ENABLED=` from `/etc/ufw/ufw.conf` (world-readable; "start at boot").
pub fn parse_ufw_conf(text: &str) -> Option<bool> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| {
            let value = l.strip_prefix("ENABLED=")?.trim().trim_matches(['"', '\'']);
            match value {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            }
        })
}

fn firewalld(system: &dyn System) -> Option<Reading> {
    let out = system.run("firewall-cmd", &["--state"]);
    let name = "firewalld";
    Some(match out.outcome() {
        RunOutcome::Missing => return None,
        RunOutcome::Exited { status: Some(0) } if out.stdout.trim() == "running" => {
            reading(name, State::On, "`firewall-cmd --state`: running")
        }
        RunOutcome::Exited { status: Some(252) } => reading(name, State::Off, "`firewall-cmd --state`: not running"),
        // firewalld cannot run without the system D-Bus, so this is a "not running" too.
        RunOutcome::Exited { status: Some(36) } if out.stderr.contains("DBUS_ERROR") => reading(
            name,
            State::Off,
            "`firewall-cmd --state`: not running (no system D-Bus)",
        ),
        _ => reading(
            name,
            State::Unknown,
            format!("`firewall-cmd --state` could not tell: {}", out.stderr.trim()),
        ),
    })
}

fn ufw(system: &dyn System) -> Option<Reading> {
    let out = system.run("ufw", &["status"]);
    let name = "ufw";
    match out.outcome() {
        RunOutcome::Missing => return None,
        RunOutcome::Exited { status: Some(0) } => {
            let status = out
                .stdout
                .lines()
                .find_map(|l| l.trim().strip_prefix("Status:"))
                .map(str::trim);
            return Some(match status {
                Some("active") => reading(name, State::On, "`ufw status`: Status: active"),
                Some("inactive") => reading(name, State::Off, "`ufw status`: Status: inactive"),
                _ => reading(name, State::Unknown, "`ufw status` printed no status line"),
            });
        }
        _ => {}
    }
    // Not root: the boot setting is readable by everyone.
    Some(match system.read_file("/etc/ufw/ufw.conf") {
        FileRead::Contents(text) => match parse_ufw_conf(&text) {
            Some(true) => reading(
                name,
                // The boot setting can disagree with what is loaded now; only root can see that.
                State::Unknown,
                "/etc/ufw/ufw.conf: ENABLED=yes (ufw is set to start at boot; whether it is running now needs root: run `sudo confide scan`)",
            ),
            Some(false) => reading(name, State::Off, "/etc/ufw/ufw.conf: ENABLED=no (ufw is not turned on)"),
            None => reading(name, State::Unknown, "/etc/ufw/ufw.conf has no ENABLED= line"),
        },
        _ => reading(
            name,
            State::Unknown,
            format!("`ufw status` needs root: {}", out.stderr.trim()),
        ),
    })
}

fn nftables(system: &dyn System) -> Option<Reading> {
    let out = system.run("nft", &["list", "ruleset"]);
    let name = "nftables";
    Some(match out.outcome() {
        RunOutcome::Missing => return None,
        RunOutcome::Exited { status: Some(0) } if out.stdout.trim().is_empty() => {
            reading(name, State::Off, "`nft list ruleset`: no rules loaded")
        }
        // Loaded rules may or may not filter incoming traffic; confide does not judge a ruleset.
        RunOutcome::Exited { status: Some(0) } => reading(
            name,
            State::Unknown,
            "`nft list ruleset`: rules are loaded, which confide cannot judge",
        ),
        _ => reading(
            name,
            State::Unknown,
            "`nft list ruleset` needs root: run `sudo confide scan` to check it",
        ),
    })
}

fn linux(system: &dyn System) -> Vec<Reading> {
    let mut readings: Vec<Reading> = [firewalld(system), ufw(system)].into_iter().flatten().collect();
    if !readings.iter().any(|r| r.state == State::On) {
        readings.extend(nftables(system));
    }
    readings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socketfilterfw_states() {
        assert_eq!(parse_socketfilterfw("Firewall is enabled. (State = 1)\n"), Some(1));
        assert_eq!(
            parse_socketfilterfw("Firewall is blocking all non-essential incoming connections. (State = 2)\n"),
            Some(2)
        );
        assert_eq!(parse_socketfilterfw("Firewall is disabled.\n"), None);
    }

    #[test]
    fn profiles_json_one_or_many() {
        let one = "{\r\n    \"Name\":  \"Public\",\r\n    \"Enabled\":  0\r\n}\r\n";
        assert_eq!(parse_profiles(one), Some(vec![("Public".to_string(), Some(false))]));
        let odd = "[{\"Name\": \"Domain\", \"Enabled\": 2}]";
        assert_eq!(parse_profiles(odd), Some(vec![("Domain".to_string(), None)]));
        assert_eq!(parse_profiles("not json"), None);
    }

    #[test]
    fn ufw_conf() {
        assert_eq!(parse_ufw_conf("# ENABLED=yes\nENABLED=no\n"), Some(false));
        assert_eq!(parse_ufw_conf("ENABLED=yes\n"), Some(true));
        assert_eq!(parse_ufw_conf("LOGLEVEL=low\n"), None);
    }

    #[test]
    fn verdicts() {
        let r = |n: &str, s| reading(n, s, "seen");
        assert_eq!(
            judge(&[r("ufw", State::Off), r("nftables", State::Unknown)]).status,
            Status::Unknown
        );
        assert_eq!(judge(&[r("ufw", State::Off)]).status, Status::Fail);
        assert_eq!(
            judge(&[r("ufw", State::Off), r("firewalld", State::On)]).status,
            Status::Pass
        );
        assert_eq!(judge(&[]).status, Status::Unknown);
        let p = |n: &str, s| reading(&profile_name(n), s, "seen");
        assert_eq!(
            judge(&[p("Domain", State::On), p("Public", State::Off)]).status,
            Status::Fail
        );
        assert_eq!(
            judge(&[p("Domain", State::On), p("Public", State::Unknown)]).status,
            Status::Unknown
        );
        assert_eq!(
            judge(&[p("Domain", State::On), p("Public", State::On)]).status,
            Status::Pass
        );
    }
}
