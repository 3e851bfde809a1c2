//! `listening-devices`: smart speakers and displays with a microphone on the local network
//! (Google/Nest speakers and displays, Apple HomePods, Sonos speakers with voice control), named
//! by their own announced name and model. BACP asks practitioners to turn off listening devices such as Alexa and Siri; a speaker
//! in the therapy room is the common case, and the computer can only see it on the network.
//!
//! Read: one bounded mDNS browse through [`crate::system::System::discover`] (live, recorded and
//! replayed); `--offline` skips it and sends nothing. Judge: each announced service is matched
//! against the table in `policies/data/listening-devices.toml` (model string → microphone, with
//! its public source); only models known to have a microphone count, and a Sonos whose model
//! confide cannot place warns as "may have a microphone" (the data file says why). Sonos speakers
//! are seen through their AirPlay 2 announcement (`manufacturer=Sonos`, `model=One`), so no SSDP
//! is needed. Amazon Echo speakers announce no model we could confirm from a real capture, so
//! they are not seen (the check's words say so).

use std::collections::BTreeSet;
use std::sync::LazyLock;
use std::time::Duration;

use serde::Deserialize;

use super::CheckContext;
use super::kit::{BuiltinCheck, Limits as _, ScanTime, Verdict};
use crate::system::{DiscoveredService, DiscoveryAnswer};

pub struct ListeningDevices;

/// The service types asked for: Google Cast, AirPlay and RAOP (older AirPlay audio).
pub const SERVICE_TYPES: &[&str] = &["_airplay._tcp", "_googlecast._tcp", "_raop._tcp"];

crate::limits! {
    /// What the policy may tune.
    pub struct Limits {
        /// Tool choice: about 3 s finds devices that are awake (they answer within a second) and
        /// keeps the whole online scan within 4 s.
        max_seconds: Seconds = 3, "seconds the local-network search may take (used between 1 and 10)";
    }
}

crate::reasons! {
    /// Why the verdict is what it is (`listening-devices.<code>`).
    pub enum Reason {
        NoneSeen: Pass "none-seen" => "No smart speaker or display with a microphone answered on this network (devices asleep or on another network are not seen).",
        Seen: Warn "seen" => "A smart speaker or display with a microphone announced itself on this network.",
        MaybeSeen: Warn "maybe-seen" => "A speaker from a maker that sells models with and without a microphone announced itself, and its model could not be placed.",
        DiscoveryFailed: Unknown "discovery-failed" => "The local network could not be searched (no network link, or a firewall stopped it).",
        NoTable: Unknown "no-table" => "confide's table of listening devices could not be read.",
        Offline: Skipped "offline" => "The check searches the local network, and the scan was run with --offline.",
    }
}

/// Whether a model has a microphone, as the table says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Microphone {
    Yes,
    No,
    /// The maker sells models with and without one, and this model is not in the table.
    Unconfirmed,
}

/// One rule of the table: a model string (exact or prefix) in one TXT key of one service type,
/// optionally from one maker (TXT `manufacturer=`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub service: String,
    pub key: String,
    #[serde(default)]
    pub manufacturer: Option<String>,
    #[serde(default)]
    pub equals: Vec<String>,
    #[serde(default)]
    pub prefix: Vec<String>,
    pub microphone: Microphone,
    pub kind: String,
    pub source: String,
}

impl Rule {
    /// The model as the practitioner would name it (`Sonos One`), when the rule matches.
    fn matches(&self, service: &DiscoveredService) -> Option<String> {
        if service.service_type != self.service {
            return None;
        }
        let model = service.txt_value(&self.key)?.trim();
        if let Some(maker) = &self.manufacturer {
            let announced = service.txt_value("manufacturer")?.trim();
            if !announced.eq_ignore_ascii_case(maker) {
                return None;
            }
        }
        let exact = self.equals.iter().any(|m| m.eq_ignore_ascii_case(model));
        let lower = model.to_ascii_lowercase();
        let prefixed = self
            .prefix
            .iter()
            .any(|p| lower.starts_with(&p.to_ascii_lowercase()));
        // A maker's rule without a model list matches any model of that maker.
        let any_of_maker = self.manufacturer.is_some() && self.equals.is_empty() && self.prefix.is_empty();
        (exact || prefixed || any_of_maker).then(|| match &self.manufacturer {
            Some(maker) if !model.is_empty() => format!("{maker} {model}"),
            Some(maker) => format!("{maker}, model not announced"),
            None => model.to_string(),
        })
    }
}

/// The table of models, from `policies/data/listening-devices.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub rules: Vec<Rule>,
}

pub static TABLE: LazyLock<Result<Table, String>> = LazyLock::new(|| {
    toml::from_str(include_str!("../../policies/data/listening-devices.toml")).map_err(|e| e.to_string())
});

/// A device as the practitioner will recognise it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Device {
    /// The name its owner gave it (`fn=` for Google Cast, the instance name for AirPlay).
    pub name: String,
    /// The model as announced (`Google Nest Mini`, `AudioAccessory5,1`).
    pub model: String,
    /// What kind of device, from the table (`Apple HomePod`).
    pub kind: String,
}

/// What the browse found, sorted into devices with and without a microphone.
#[derive(Debug, Default, PartialEq)]
pub struct Sorted {
    pub listening: Vec<Device>,
    /// Devices from a maker with and without microphones, whose model is not in the table.
    pub unconfirmed: Vec<Device>,
    /// Devices seen whose model has no microphone or is not in the table.
    pub others: Vec<Device>,
}

/// The name a device shows its owner. Google Cast: `fn=`; RAOP instances are `MAC@Name`.
/// `--redact` replaces exactly these names ([`crate::redact`]).
pub fn display_name(service: &DiscoveredService) -> String {
    let name = match service.service_type.as_str() {
        "_googlecast._tcp" => service.txt_value("fn").unwrap_or(&service.instance),
        "_raop._tcp" => service.instance.split_once('@').map_or(service.instance.as_str(), |(_, n)| n),
        _ => &service.instance,
    };
    name.trim().to_string()
}

/// Sorts announced services with the table. A device announced twice (AirPlay and RAOP) is one.
pub fn sort(services: &[DiscoveredService], table: &Table) -> Sorted {
    let mut listening = BTreeSet::new();
    let mut unconfirmed = BTreeSet::new();
    let mut others = BTreeSet::new();
    for service in services {
        let name = display_name(service);
        let rule = table.rules.iter().find_map(|r| r.matches(service).map(|m| (r, m)));
        match rule {
            Some((rule, model)) => {
                let device = Device {
                    name,
                    model,
                    kind: rule.kind.clone(),
                };
                match rule.microphone {
                    Microphone::Yes => listening.insert(device),
                    Microphone::Unconfirmed => unconfirmed.insert(device),
                    Microphone::No => others.insert(device),
                };
            }
            None => {
                let model = ["md", "model", "am"]
                    .iter()
                    .find_map(|k| service.txt_value(k))
                    .filter(|m| !m.is_empty() && !m.contains(','))
                    .unwrap_or("model not announced")
                    .to_string();
                others.insert(Device {
                    name,
                    model,
                    kind: String::new(),
                });
            }
        }
    }
    let listening: Vec<Device> = listening.into_iter().collect();
    // The same device announced with and without a recognised model is named once, under the
    // most telling of its announcements (a Sonos on AirPlay and on RAOP, a HomePod likewise).
    let unconfirmed: Vec<Device> = unconfirmed
        .into_iter()
        .filter(|u| !listening.iter().any(|l| l.name == u.name))
        .collect();
    let others = others
        .into_iter()
        .filter(|o| !listening.iter().chain(&unconfirmed).any(|l| l.name == o.name))
        .collect();
    Sorted {
        listening,
        unconfirmed,
        others,
    }
}

/// What was read.
#[derive(Debug)]
pub enum Reading {
    Offline,
    NoTable(String),
    Answer {
        table: &'static Table,
        answer: DiscoveryAnswer,
    },
}

impl BuiltinCheck for ListeningDevices {
    const ID: &'static str = "listening-devices";
    type Limits = Limits;
    type Reason = Reason;
    type Reading = Reading;

    fn read(&self, ctx: &CheckContext<'_>) -> Reading {
        if ctx.offline {
            return Reading::Offline;
        }
        let table = match &*TABLE {
            Ok(t) => t,
            Err(e) => return Reading::NoTable(e.clone()),
        };
        let limits = Limits::from_policy(ctx.thresholds);
        let bound = Duration::from_secs(u64::from(limits.max_seconds.get().clamp(1, 10)));
        Reading::Answer {
            table,
            answer: ctx.system.discover(SERVICE_TYPES, bound),
        }
    }

    fn judge(&self, reading: Reading, _limits: &Limits, _at: ScanTime) -> Verdict<Reason> {
        judge(reading)
    }
}

fn describe(d: &Device) -> String {
    if d.kind.is_empty() || d.model.eq_ignore_ascii_case(&d.kind) {
        format!("\"{}\" ({})", d.name, d.model)
    } else {
        format!("\"{}\" ({}, {})", d.name, d.kind, d.model)
    }
}

const NOT_SEEN: &str = "Devices that are asleep, on another network, or that do not announce their model (Amazon Echo, older Sonos speakers without AirPlay 2) are not seen: check the room yourself.";

/// What the evidence says of a speaker that may have a microphone.
fn maybe_listening(d: &Device) -> String {
    format!(
        "{}: seen on your network; confide does not know whether this model has a microphone (Sonos One, Beam, Arc, Era 100, Era 300, Move and Roam do). Look for a microphone button or light on it: if it has one, check it is unplugged or its microphone is off in the room where you work.",
        describe(d)
    )
}

/// The verdict on what the browse found.
pub fn judge(reading: Reading) -> Verdict<Reason> {
    match reading {
        Reading::Offline => Verdict::new(
            Reason::Offline,
            "Skipped: looking for smart speakers searches your local network, and --offline was given.",
        ),
        Reading::NoTable(e) => Verdict::new(
            Reason::NoTable,
            format!("confide's table of listening devices is broken: {e}"),
        ),
        Reading::Answer {
            answer: DiscoveryAnswer::Failed { error },
            ..
        } => Verdict::new(
            Reason::DiscoveryFailed,
            "Could not search your local network for smart speakers, so whether one is listening nearby is not known.",
        )
        .with_evidence([error]),
        Reading::Answer {
            table,
            answer: DiscoveryAnswer::Services { services },
        } => {
            let sorted = sort(&services, table);
            let others = sorted
                .others
                .iter()
                .map(|d| format!("Also seen, not known to have a microphone: {}", describe(d)));
            let maybe = sorted.unconfirmed.iter().map(maybe_listening);
            if sorted.listening.is_empty() && !sorted.unconfirmed.is_empty() {
                let n = sorted.unconfirmed.len();
                Verdict::new(
                    Reason::MaybeSeen,
                    format!(
                        "{} that may have a microphone {} on your network: {}",
                        crate::words::count(n as u64, "speaker"),
                        if n == 1 { "is" } else { "are" },
                        if n == 1 {
                            "check whether it has one, and if so that it is unplugged or muted in the room where you work."
                        } else {
                            "check which have one, and that those are unplugged or muted in the room where you work."
                        },
                    ),
                )
                .with_evidence(maybe.chain(others).chain([NOT_SEEN.to_string()]).collect::<Vec<_>>())
            } else if sorted.listening.is_empty() {
                Verdict::new(
                    Reason::NoneSeen,
                    "No smart speaker or display with a microphone answered on your network.",
                )
                .with_evidence(
                    [format!(
                        "Searched the local network for Google Cast and AirPlay devices: {} answered.",
                        crate::words::count(services.len() as u64, "service")
                    )]
                    .into_iter()
                    .chain(others)
                    .chain([NOT_SEEN.to_string()]),
                )
            } else {
                let n = sorted.listening.len();
                Verdict::new(
                    Reason::Seen,
                    format!(
                        "{} with a microphone {} on your network: check {} unplugged or muted in the room where you work.",
                        crate::words::count(n as u64, "listening device"),
                        if n == 1 { "is" } else { "are" },
                        if n == 1 { "it is" } else { "each is" },
                    ),
                )
                .with_evidence(
                    sorted
                        .listening
                        .iter()
                        .map(|d| {
                            format!(
                                "{}: seen on your network; check it is unplugged or muted in the room where you work.",
                                describe(d)
                            )
                        })
                        .chain(maybe)
                        .chain(others)
                        .collect::<Vec<_>>(),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_every_rule_names_its_source_and_a_model() {
        let table = TABLE.as_ref().expect("policies/data/listening-devices.toml parses");
        for rule in &table.rules {
            assert!(rule.source.len() > 40, "{rule:?} has no source");
            assert!(
                !(rule.equals.is_empty() && rule.prefix.is_empty() && rule.manufacturer.is_none()),
                "{rule:?} matches nothing"
            );
            assert!(SERVICE_TYPES.contains(&rule.service.as_str()), "{rule:?}: not a service we ask for");
        }
    }
}
