//! Reading a mail domain from the network: its DNS records, then its MTA-STS policy and TLSA
//! records, within the check's time bound.

use std::time::Instant;

use super::dns_records::mx_hosts;
use super::mta_sts::{POLICY_MAX_BYTES, is_sts_record, policy_url};
use crate::system::{DnsAnswer, DnsType, HttpAnswer, System};

/// Everything read about one mail domain.
#[derive(Debug, Clone, PartialEq)]
pub struct Readings {
    pub mx: DnsAnswer,
    /// TXT `_mta-sts.<domain>`.
    pub sts_record: DnsAnswer,
    /// The policy at `https://mta-sts.<domain>/.well-known/mta-sts.txt`, when a record asked for it.
    pub policy: Option<(String, HttpAnswer)>,
    /// TXT `_smtp._tls.<domain>`.
    pub tlsrpt: DnsAnswer,
    /// TXT at the domain (SPF).
    pub spf: DnsAnswer,
    /// TXT `_dmarc.<domain>`.
    pub dmarc: DnsAnswer,
    /// TLSA `_25._tcp.<mx>` for each MX host.
    pub tlsa: Vec<(String, DnsAnswer)>,
}

/// The part of an address after the last `@`, lower-cased, without a trailing dot.
pub fn domain_of(address: &str) -> String {
    address
        .rsplit('@')
        .next()
        .unwrap_or("")
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// Reads one domain: first its MX and TXT records together, then (if there is time left) the
/// MTA-STS policy and TLSA records together. Each lookup is bounded by the System's own timeout
/// (3 s live, plus half a second of grace); the check starts no new round after `deadline`. The
/// worst case is one DNS round, then the policy host's address and the policy itself: about 10 s,
/// the default bound. The runner's `--check-timeout` is the hard stop beyond that.
pub fn read_domain(system: &dyn System, domain: &str, port: Option<u16>, deadline: Instant) -> Readings {
    let late = || DnsAnswer::TimedOut;
    let (mx, sts_record, tlsrpt, spf, dmarc) = std::thread::scope(|s| {
        let q = |name: String, kind| s.spawn(move || system.dns(&name, kind));
        let mx = q(domain.to_string(), DnsType::Mx);
        let sts = q(format!("_mta-sts.{domain}"), DnsType::Txt);
        let rpt = q(format!("_smtp._tls.{domain}"), DnsType::Txt);
        let spf = q(domain.to_string(), DnsType::Txt);
        let dmarc = q(format!("_dmarc.{domain}"), DnsType::Txt);
        let get = |h: std::thread::ScopedJoinHandle<'_, DnsAnswer>| h.join().unwrap_or_else(|_| late());
        (get(mx), get(sts), get(rpt), get(spf), get(dmarc))
    });
    let mut readings = Readings {
        mx,
        sts_record,
        policy: None,
        tlsrpt,
        spf,
        dmarc,
        tlsa: Vec::new(),
    };
    if Instant::now() >= deadline {
        return readings;
    }
    let wants_policy =
        matches!(&readings.sts_record, DnsAnswer::Records { records } if records.iter().any(|r| is_sts_record(r)));
    let hosts = mx_hosts(&readings.mx);
    std::thread::scope(|s| {
        let policy = wants_policy.then(|| {
            let url = policy_url(domain, port);
            s.spawn(move || {
                let answer = system.https_get(&url, POLICY_MAX_BYTES);
                (url, answer)
            })
        });
        let tlsa: Vec<_> = hosts
            .iter()
            .take(4)
            .map(|h| {
                let name = format!("_25._tcp.{h}");
                (h.clone(), s.spawn(move || system.dns(&name, DnsType::Tlsa)))
            })
            .collect();
        readings.policy = policy.map(|h| {
            h.join().unwrap_or_else(|_| {
                (
                    policy_url(domain, port),
                    HttpAnswer::Failed {
                        error: "internal error".into(),
                    },
                )
            })
        });
        readings.tlsa = tlsa
            .into_iter()
            .map(|(h, j)| (h, j.join().unwrap_or_else(|_| late())))
            .collect();
    });
    readings
}

/// What was read about one domain; `readings` is `None` when reading it hit an internal error.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainReadings {
    pub domain: String,
    pub readings: Option<Readings>,
}

/// Reads every domain at once, each on its own thread, all within `deadline`.
pub fn read_domains(
    system: &dyn System,
    domains: &[String],
    port: Option<u16>,
    deadline: Instant,
) -> Vec<DomainReadings> {
    std::thread::scope(|s| {
        let handles: Vec<_> = domains
            .iter()
            .map(|domain| s.spawn(move || read_domain(system, domain, port, deadline)))
            .collect();
        handles
            .into_iter()
            .zip(domains)
            .map(|(h, domain)| DomainReadings {
                domain: domain.clone(),
                readings: h.join().ok(),
            })
            .collect()
    })
}
