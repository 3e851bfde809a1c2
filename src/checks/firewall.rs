//! ## What it checks
//! That the computer's own firewall is on: macOS's application firewall, Windows Defender
//! Firewall for every network profile, and ufw, firewalld or nftables on Linux.
//!
//! ## Why it matters
//! A firewall stops other machines on the same network (a café, a shared house) from reaching
//! services on the computer. Cyber Essentials requires one on every device.

use super::CheckContext;
use super::kit::{BuiltinCheck, ScanTime, Verdict};
use crate::probe::powershell;
use crate::probe::windows_reg::{self, RegValue};
use crate::system::{FileRead, RunOutcome, System};
use crate::words::join_names;

pub struct Firewall;

crate::reasons! {
    /// Why the verdict is what it is (`firewall.<code>`).
    pub enum Reason {
        On: Pass "on" => "The firewall is on (on Windows, for every network profile).",
        Off: Fail "off" => "The firewall is off (on Windows, for at least one network profile).",
        Unreadable: Unknown "unreadable" => "A firewall was found but whether it is on could not be read, often because that needs administrator rights.",
        NoneFound: Unknown "none-found" => "No firewall software was found to ask.",
    }
}

impl BuiltinCheck for Firewall {
    const ID: &'static str = "firewall";
    type Limits = ();
    type Reason = Reason;
    type Reading = Vec<Observation>;

    fn read(&self, ctx: &CheckContext<'_>) -> Vec<Observation> {
        super::kit::per_os(ctx.system, macos, windows, linux)
    }

    fn judge(&self, observations: Vec<Observation>, _: &(), _: ScanTime) -> Verdict<Reason> {
        judge(&observations)
    }
}

/// What one source said about one firewall (or one Windows profile).
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
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

fn observed(name: &str, state: State, evidence: impl Into<String>) -> Observation {
    Observation {
        name: name.to_string(),
        state,
        evidence: evidence.into(),
    }
}

/// The verdict. On Windows every profile must be on; elsewhere one firewall that is on is
/// enough. Only Linux can have nothing to ask, which the evidence then says.
pub fn judge(observations: &[Observation]) -> Verdict<Reason> {
    let mut evidence: Vec<String> = observations.iter().map(|o| o.evidence.clone()).collect();
    if observations.is_empty() {
        evidence.push("none of ufw, firewall-cmd (firewalld) or nft (nftables) is installed".into());
    }
    let names = |state| {
        observations
            .iter()
            .filter(|o| o.state == state)
            .map(|o| o.name.clone())
            .collect::<Vec<_>>()
    };
    let (on, off, unknown) = (names(State::On), names(State::Off), names(State::Unknown));
    let profiles = observations.iter().any(|o| o.name.ends_with("network profile"));
    let verdict = if profiles && !off.is_empty() {
        Verdict::new(
            Reason::Off,
            format!("The firewall is off for the {}.", join_names(&off)),
        )
    } else if profiles && unknown.is_empty() && !on.is_empty() {
        Verdict::new(Reason::On, "The firewall is on for every network profile.")
    } else if !profiles && !on.is_empty() {
        Verdict::new(Reason::On, format!("The firewall is on ({}).", join_names(&on)))
    } else if !unknown.is_empty() {
        Verdict::new(
            Reason::Unreadable,
            "Could not tell whether the firewall is on: see what confide saw below (some of it needs administrator rights: run `confide scan` from an elevated terminal, or with sudo on Linux).",
        )
    } else if !off.is_empty() {
        Verdict::new(Reason::Off, format!("The firewall is off ({}).", join_names(&off)))
    } else {
        Verdict::new(Reason::NoneFound, "No firewall software was found to ask.")
    };
    verdict.with_evidence(evidence)
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

fn macos(system: &dyn System) -> Vec<Observation> {
    let out = system.run(SOCKETFILTERFW, &["--getglobalstate"]);
    let shown = format!("`socketfilterfw --getglobalstate`: {}", out.stdout.trim());
    let name = "the macOS firewall";
    vec![match (out.outcome(), parse_socketfilterfw(&out.stdout)) {
        (RunOutcome::Exited { status: Some(0) }, Some(0)) => observed(name, State::Off, shown),
        (RunOutcome::Exited { status: Some(0) }, Some(1 | 2)) => observed(name, State::On, shown),
        (RunOutcome::Missing, _) => observed(name, State::Unknown, "socketfilterfw is not on this Mac"),
        _ => observed(
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
    powershell::objects(stdout)
        .ok()?
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

fn windows(system: &dyn System) -> Vec<Observation> {
    let out = powershell::run(system, PROFILES_COMMAND);
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
                observed(&profile_name(&name), state, evidence)
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
                RegValue::Dword(1) => observed(&name, State::On, format!("{profile} EnableFirewall = 1")),
                RegValue::Dword(0) => observed(&name, State::Off, format!("{profile} EnableFirewall = 0")),
                RegValue::NotSet => observed(&name, State::Unknown, format!("{profile} EnableFirewall is not set")),
                other => observed(
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

fn firewalld(system: &dyn System) -> Option<Observation> {
    let out = system.run("firewall-cmd", &["--state"]);
    let name = "firewalld";
    Some(match out.outcome() {
        RunOutcome::Missing => return None,
        RunOutcome::Exited { status: Some(0) } if out.stdout.trim() == "running" => {
            observed(name, State::On, "`firewall-cmd --state`: running")
        }
        RunOutcome::Exited { status: Some(252) } => observed(name, State::Off, "`firewall-cmd --state`: not running"),
        // firewalld cannot run without the system D-Bus, so this is a "not running" too.
        RunOutcome::Exited { status: Some(36) } if out.stderr.contains("DBUS_ERROR") => observed(
            name,
            State::Off,
            "`firewall-cmd --state`: not running (no system D-Bus)",
        ),
        _ => observed(
            name,
            State::Unknown,
            format!("`firewall-cmd --state` could not tell: {}", out.stderr.trim()),
        ),
    })
}

fn ufw(system: &dyn System) -> Option<Observation> {
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
                Some("active") => observed(name, State::On, "`ufw status`: Status: active"),
                Some("inactive") => observed(name, State::Off, "`ufw status`: Status: inactive"),
                _ => observed(name, State::Unknown, "`ufw status` printed no status line"),
            });
        }
        _ => {}
    }
    // Not root: the boot setting is readable by everyone.
    Some(match system.read_file("/etc/ufw/ufw.conf") {
        FileRead::Contents(text) => match parse_ufw_conf(&text) {
            Some(true) => observed(
                name,
                // The boot setting can disagree with what is loaded now; only root can see that.
                State::Unknown,
                "/etc/ufw/ufw.conf: ENABLED=yes (ufw is set to start at boot; whether it is running now needs root: run `sudo confide scan`)",
            ),
            Some(false) => observed(name, State::Off, "/etc/ufw/ufw.conf: ENABLED=no (ufw is not turned on)"),
            None => observed(name, State::Unknown, "/etc/ufw/ufw.conf has no ENABLED= line"),
        },
        _ => observed(
            name,
            State::Unknown,
            format!("`ufw status` needs root: {}", out.stderr.trim()),
        ),
    })
}

fn nftables(system: &dyn System) -> Option<Observation> {
    let out = system.run("nft", &["list", "ruleset"]);
    let name = "nftables";
    Some(match out.outcome() {
        RunOutcome::Missing => return None,
        RunOutcome::Exited { status: Some(0) } if out.stdout.trim().is_empty() => {
            observed(name, State::Off, "`nft list ruleset`: no rules loaded")
        }
        // Loaded rules may or may not filter incoming traffic; confide does not judge a ruleset.
        RunOutcome::Exited { status: Some(0) } => observed(
            name,
            State::Unknown,
            "`nft list ruleset`: rules are loaded, which confide cannot judge",
        ),
        _ => observed(
            name,
            State::Unknown,
            "`nft list ruleset` needs root: run `sudo confide scan` to check it",
        ),
    })
}

fn linux(system: &dyn System) -> Vec<Observation> {
    let mut observations: Vec<Observation> = [firewalld(system), ufw(system)].into_iter().flatten().collect();
    if !observations.iter().any(|o| o.state == State::On) {
        observations.extend(nftables(system));
    }
    observations
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

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
        let r = |n: &str, s| observed(n, s, "seen");
        assert_eq!(
            judge(&[r("ufw", State::Off), r("nftables", State::Unknown)]).status(),
            Status::Unknown
        );
        assert_eq!(judge(&[r("ufw", State::Off)]).status(), Status::Fail);
        assert_eq!(
            judge(&[r("ufw", State::Off), r("firewalld", State::On)]).status(),
            Status::Pass
        );
        assert_eq!(judge(&[]).status(), Status::Unknown);
        let p = |n: &str, s| observed(&profile_name(n), s, "seen");
        assert_eq!(
            judge(&[p("Domain", State::On), p("Public", State::Off)]).status(),
            Status::Fail
        );
        assert_eq!(
            judge(&[p("Domain", State::On), p("Public", State::Unknown)]).status(),
            Status::Unknown
        );
        assert_eq!(
            judge(&[p("Domain", State::On), p("Public", State::On)]).status(),
            Status::Pass
        );
    }
}
