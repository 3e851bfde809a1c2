//! Local-network discovery (mDNS / DNS-SD): which devices on this network announce a service.
//!
//! The live browse sends multicast queries (to 224.0.0.251 and ff02::fb, port 5353) on this
//! computer's own network links and listens for the answers; nothing goes past the local network.
//! It is bounded in time, and `--offline` never calls it. The answers are kept as announced
//! (instance name, host, TXT strings), recorded in snapshots and replayed like DNS answers.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One service instance a device announced.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct DiscoveredService {
    /// The service type without the domain, e.g. `_googlecast._tcp`.
    pub service_type: String,
    /// The instance name as announced, e.g. `Google-Nest-Mini-e8b5…` or `Living Room`.
    pub instance: String,
    /// The device's host name on the local network, e.g. `e8b58877-….local.`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
    /// The TXT record's strings as announced, `key=value` (or a bare `key`).
    #[serde(default)]
    pub txt: Vec<String>,
}

impl DiscoveredService {
    /// The value of one TXT key (keys compare without regard to case, RFC 6763 §6.4).
    pub fn txt_value(&self, key: &str) -> Option<&str> {
        self.txt.iter().find_map(|entry| {
            let (k, v) = entry.split_once('=').unwrap_or((entry.as_str(), ""));
            k.eq_ignore_ascii_case(key).then_some(v)
        })
    }
}

/// The answer to one browse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "answer", rename_all = "kebab-case")]
pub enum DiscoveryAnswer {
    /// The browse ran for its whole time; these services answered (perhaps none).
    Services { services: Vec<DiscoveredService> },
    /// The browse could not run (no network link, the port refused, not in the snapshot).
    Failed { error: String },
}

/// `_googlecast._tcp` → `_googlecast._tcp.local.`, the form mDNS asks for.
fn with_domain(service_type: &str) -> String {
    format!(
        "{}.local.",
        service_type.trim_end_matches('.').trim_end_matches(".local")
    )
}

/// Browses the local network for `service_types` for `bound`, then stops. Live only.
pub fn browse(service_types: &[&str], bound: Duration) -> DiscoveryAnswer {
    let daemon = match mdns_sd::ServiceDaemon::new() {
        Ok(d) => d,
        Err(e) => {
            return DiscoveryAnswer::Failed {
                error: format!("local-network discovery could not start: {e}"),
            };
        }
    };
    let mut receivers = Vec::new();
    for ty in service_types {
        match daemon.browse(&with_domain(ty)) {
            Ok(r) => receivers.push((ty.to_string(), r)),
            Err(e) => {
                let _ = daemon.shutdown();
                return DiscoveryAnswer::Failed {
                    error: format!("local-network discovery could not ask for {ty}: {e}"),
                };
            }
        }
    }
    let deadline = Instant::now() + bound;
    // Keyed by full name: a device answering on IPv4 and IPv6 is one service.
    let mut found: BTreeMap<String, DiscoveredService> = BTreeMap::new();
    // The daemon opens its sockets in its own thread, so a browse that "started" may have gone
    // out on no network at all: only its SearchStarted event says on how many interfaces.
    let mut asked_on: Option<usize> = None;
    while Instant::now() < deadline {
        let mut idle = true;
        for (ty, receiver) in &receivers {
            while let Ok(event) = receiver.try_recv() {
                idle = false;
                if let mdns_sd::ServiceEvent::SearchStarted(what) = &event {
                    let count = interfaces_in(what).unwrap_or(0);
                    asked_on = Some(asked_on.unwrap_or(0).max(count));
                }
                if let mdns_sd::ServiceEvent::ServiceResolved(service) = event {
                    let suffix = format!(".{}", with_domain(ty));
                    let instance = service
                        .fullname
                        .strip_suffix(&suffix)
                        .unwrap_or(&service.fullname)
                        .to_string();
                    let txt = service
                        .txt_properties
                        .iter()
                        .map(|p| match p.val() {
                            Some(_) => format!("{}={}", p.key(), p.val_str()),
                            None => p.key().to_string(),
                        })
                        .collect();
                    found.insert(
                        service.fullname.clone(),
                        DiscoveredService {
                            service_type: ty.clone(),
                            instance,
                            host: service.host.clone(),
                            txt,
                        },
                    );
                }
            }
        }
        if idle {
            std::thread::sleep(Duration::from_millis(25));
        }
    }
    let _ = daemon.shutdown();
    if found.is_empty() && asked_on.unwrap_or(0) == 0 {
        // Silence from a search that never went out is not "nothing there".
        return DiscoveryAnswer::Failed {
            error: "the search went out on no network link (not connected, or blocked)".into(),
        };
    }
    DiscoveryAnswer::Services {
        services: found.into_values().collect(),
    }
}

/// The interface count in mdns-sd's `SearchStarted` text: `_googlecast._tcp.local. on 2
/// interfaces [lo (1), eth0 (2)]`.
fn interfaces_in(started: &str) -> Option<usize> {
    let (_, rest) = started.rsplit_once(" on ")?;
    rest.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_interface_count_is_read_from_search_started() {
        use super::interfaces_in;
        assert_eq!(
            interfaces_in("_googlecast._tcp.local. on 2 interfaces [lo (1), eth0 (2)]"),
            Some(2)
        );
        assert_eq!(interfaces_in("_raop._tcp.local. on 0 interfaces []"), Some(0));
        assert_eq!(interfaces_in("something else"), None);
    }

    use super::*;

    #[test]
    fn txt_values_are_found_by_key_without_regard_to_case() {
        let s = DiscoveredService {
            service_type: "_googlecast._tcp".into(),
            instance: "x".into(),
            host: String::new(),
            txt: vec!["md=Google Nest Mini".into(), "fn=a=b".into(), "rs".into()],
        };
        assert_eq!(s.txt_value("MD"), Some("Google Nest Mini"));
        assert_eq!(s.txt_value("fn"), Some("a=b"));
        assert_eq!(s.txt_value("rs"), Some(""));
        assert_eq!(s.txt_value("id"), None);
        assert_eq!(with_domain("_raop._tcp"), "_raop._tcp.local.");
    }
}
