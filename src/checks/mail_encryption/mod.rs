//! `mail-encryption`: whether the practitioner's email provider keeps mail unreadable to itself
//! (end to end, or an encrypted-message portal), and whether the mail domain is set up safely
//! (MTA-STS, TLS-RPT, DANE, SPF, DMARC), read from public DNS and the domain's MTA-STS policy.
//!
//! Addresses come from the profile's `emails` and `confide scan --email`. The only names looked up
//! are those addresses' domains, their MX hosts and `mta-sts.<domain>`; nothing else leaves the
//! computer. With `--offline` the check is skipped and makes no request at all.
//!
//! The network is read through [`System::dns`] and [`System::https_get`], so the same logic runs
//! live, recorded and replayed. Readings are parsed by pure functions below; one function,
//! [`judge_address`], turns one address's readings into a verdict.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::{Check, CheckContext, Outcome, ThresholdKind, ThresholdSpec, ThresholdValue};
use crate::status::Status;
use crate::system::{DnsAnswer, DnsType, HttpAnswer, OsFamily, System};

pub struct MailEncryption;

/// 1 to warn when neither an enforced MTA-STS policy nor validated DANE protects delivery.
pub const REQUIRE_TRANSPORT_ENFORCEMENT: ThresholdSpec = ThresholdSpec {
    name: "require_transport_enforcement",
    kind: ThresholdKind::Switch,
    default: ThresholdValue::Switch(false),
    meaning: "1: warn when mail to the domain may fall back to unencrypted delivery (no MTA-STS enforce, no validated DANE); 0: list it only",
};

/// 1 to warn without DMARC `p=quarantine` or `p=reject`.
pub const REQUIRE_DMARC: ThresholdSpec = ThresholdSpec {
    name: "require_dmarc",
    kind: ThresholdKind::Switch,
    default: ThresholdValue::Switch(false),
    meaning: "1: warn when the domain has no DMARC policy of quarantine or reject; 0: list it only",
};

/// How long the whole check may spend on the network.
pub const MAX_SECONDS: ThresholdSpec = ThresholdSpec {
    name: "max_seconds",
    kind: ThresholdKind::Seconds,
    default: ThresholdValue::Count(10),
    meaning: "seconds the check may spend on DNS and HTTPS before it reports what it could not tell",
};

const THRESHOLDS: [ThresholdSpec; 3] = [REQUIRE_TRANSPORT_ENFORCEMENT, REQUIRE_DMARC, MAX_SECONDS];

/// An MTA-STS policy is a few lines; 64 KiB is far more than any real one (RFC 8461 sets no size,
/// but asks senders to bound what they fetch).
pub const POLICY_MAX_BYTES: usize = 64 * 1024;

/// For tests only: the port of the MTA-STS policy server (RFC 8461 fixes 443, which a test cannot
/// listen on without privileges). Read through [`System::env`]; never set it otherwise.
pub const MTA_STS_PORT_ENV: &str = "CONFIDE_MTA_STS_PORT";

impl Check for MailEncryption {
    fn id(&self) -> &str {
        "mail-encryption"
    }

    fn supported_os(&self) -> &[OsFamily] {
        &OsFamily::ALL
    }

    fn thresholds(&self) -> &[ThresholdSpec] {
        &THRESHOLDS
    }

    fn run(&self, ctx: &CheckContext<'_>) -> Outcome {
        let addresses = &ctx.profile.emails;
        if addresses.is_empty() {
            return Outcome::new(
                Status::Unknown,
                "mail-encryption.no-address",
                "No email address to check: run `confide init --email you@example.org` (or `confide scan --email …`).",
            );
        }
        if ctx.offline {
            return Outcome::new(
                Status::Skipped,
                "mail-encryption.offline",
                "Skipped: checking your email provider needs the network, and --offline was given.",
            );
        }
        let table = match &*TABLE {
            Ok(t) => t,
            Err(e) => {
                return Outcome::new(
                    Status::Unknown,
                    "mail-encryption.no-table",
                    format!("confide's table of email providers is broken: {e}"),
                );
            }
        };
        let opts = JudgeOptions {
            require_transport: ctx.threshold(&REQUIRE_TRANSPORT_ENFORCEMENT) >= 1.0,
            require_dmarc: ctx.threshold(&REQUIRE_DMARC) >= 1.0,
        };
        let bound = Duration::from_secs_f64(ctx.threshold(&MAX_SECONDS).clamp(1.0, 120.0));
        let port = ctx.system.env(MTA_STS_PORT_ENV).and_then(|p| p.parse::<u16>().ok());
        let deadline = Instant::now() + bound;
        // Reports never print addresses (README, Privacy): each domain is checked once and named
        // by its domain alone.
        let mut domains: Vec<String> = addresses.iter().map(|a| domain_of(a)).collect();
        domains.dedup();
        domains.sort();
        domains.dedup();
        let verdicts: Vec<AddressVerdict> = std::thread::scope(|s| {
            let handles: Vec<_> = domains
                .iter()
                .map(|domain| {
                    let system = ctx.system;
                    s.spawn(move || {
                        let readings = read_domain(system, domain, port, deadline);
                        judge_address(&format!("your address at {domain}"), domain, &readings, table, opts)
                    })
                })
                .collect();
            handles
                .into_iter()
                .zip(&domains)
                .map(|(h, domain)| {
                    h.join().unwrap_or_else(|_| AddressVerdict {
                        status: Status::Unknown,
                        reason: "internal-error",
                        headline: format!("your address at {domain}: confide hit an internal error"),
                        lines: Vec::new(),
                        fix: None,
                    })
                })
                .collect()
        });
        combine(verdicts)
    }
}

// ---------------------------------------------------------------------------------------------
// The provider table

/// `policies/data/mail-providers.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub updated: toml::value::Datetime,
    pub providers: Vec<Provider>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    EndToEnd,
    Portal,
    TlsOnly,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub name: String,
    pub class: Class,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub mx: Vec<String>,
    /// The provider's own message-encryption feature, for the fix.
    #[serde(default)]
    pub fix: Option<String>,
    pub source: String,
}

pub static TABLE: LazyLock<Result<Table, String>> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../policies/data/mail-providers.toml")).map_err(|e| e.to_string())
});

/// How the provider was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recognised {
    ByDomain,
    ByMx,
}

/// The provider of an address: by its own domain first, then by its MX hosts (in preference
/// order). Providers listed by domain only (nhs.net) are never matched by MX.
pub fn provider_for<'t>(table: &'t Table, domain: &str, mx_hosts: &[String]) -> Option<(&'t Provider, Recognised)> {
    let domain = domain.to_ascii_lowercase();
    if let Some(p) = table.providers.iter().find(|p| p.domains.contains(&domain)) {
        return Some((p, Recognised::ByDomain));
    }
    mx_hosts.iter().find_map(|host| {
        table
            .providers
            .iter()
            .find(|p| p.mx.iter().any(|pattern| mx_matches(pattern, host)))
            .map(|p| (p, Recognised::ByMx))
    })
}

// ---------------------------------------------------------------------------------------------
// Reading the network

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

/// The policy URL for `domain` (`port` only in tests, see [`MTA_STS_PORT_ENV`]).
pub fn policy_url(domain: &str, port: Option<u16>) -> String {
    match port {
        Some(p) => format!("https://mta-sts.{domain}:{p}/.well-known/mta-sts.txt"),
        None => format!("https://mta-sts.{domain}/.well-known/mta-sts.txt"),
    }
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

// ---------------------------------------------------------------------------------------------
// Parsers (pure)

/// The MX hosts of an answer, in preference order, lower-cased without the trailing dot.
/// Reads the presentation form `10 mail.protonmail.ch.`.
pub fn mx_hosts(answer: &DnsAnswer) -> Vec<String> {
    let DnsAnswer::Records { records } = answer else {
        return Vec::new();
    };
    let mut parsed: Vec<(u16, String)> = records.iter().filter_map(|r| parse_mx(r)).collect();
    parsed.sort();
    parsed.into_iter().map(|(_, h)| h).collect()
}

/// One MX record: `10 mail.protonmail.ch.` → `(10, "mail.protonmail.ch")`.
pub fn parse_mx(record: &str) -> Option<(u16, String)> {
    let mut parts = record.split_whitespace();
    let preference = parts.next()?.parse().ok()?;
    let host = parts.next()?.trim_end_matches('.').to_ascii_lowercase();
    (parts.next().is_none() && !host.is_empty()).then_some((preference, host))
}

/// A tag list (`v=STSv1; id=20160831085700Z;`): RFC 8461 §3.1, RFC 8460 §3, RFC 7489 §6.4.
fn tags(record: &str) -> Vec<(String, String)> {
    record
        .split(';')
        .filter_map(|t| {
            let (k, v) = t.split_once('=')?;
            Some((k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

/// True for a TXT record that begins `v=STSv1` (RFC 8461 §3.1: other records are discarded).
pub fn is_sts_record(record: &str) -> bool {
    tags(record).first().is_some_and(|(k, v)| k == "v" && v == "STSv1")
}

/// The `id` of an MTA-STS record, e.g. `v=STSv1; id=20160831085700Z;` (RFC 8461 §3.1's example):
/// 1 to 32 letters and digits.
pub fn parse_sts_record(record: &str) -> Result<String, String> {
    if !is_sts_record(record) {
        return Err(format!("`{record}` does not begin with v=STSv1"));
    }
    let id = tags(record)
        .into_iter()
        .find(|(k, _)| k == "id")
        .map(|(_, v)| v)
        .ok_or_else(|| format!("`{record}` has no id"))?;
    if id.is_empty() || id.len() > 32 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!("`{record}`: the id must be 1 to 32 letters and digits"));
    }
    Ok(id)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StsMode {
    Enforce,
    Testing,
    None,
}

/// An MTA-STS policy file.
#[derive(Debug, Clone, PartialEq)]
pub struct StsPolicy {
    pub mode: StsMode,
    pub mx: Vec<String>,
    pub max_age: u64,
}

/// The longest `max_age` RFC 8461 §3.2 allows (about a year).
pub const MAX_AGE_LIMIT: u64 = 31_557_600;

/// Parses a policy file (RFC 8461 §3.2). RFC 8461's own example:
///
/// ```text
/// version: STSv1
/// mode: enforce
/// mx: mail.example.com
/// mx: *.example.net
/// mx: backupmx.example.com
/// max_age: 604800
/// ```
///
/// Lines end in CRLF or LF; unknown keys are ignored, as the RFC asks.
pub fn parse_sts_policy(text: &str) -> Result<StsPolicy, String> {
    let (mut version, mut mode, mut max_age, mut mx) = (None, None, None, Vec::new());
    for line in text.lines() {
        let line = line.trim_end_matches('\r').trim();
        if line.is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!("`{line}` is not `key: value`"));
        };
        let value = value.trim();
        match key.trim() {
            "version" => version = Some(value.to_string()),
            "mode" => {
                mode = Some(match value {
                    "enforce" => StsMode::Enforce,
                    "testing" => StsMode::Testing,
                    "none" => StsMode::None,
                    other => return Err(format!("unknown mode `{other}`")),
                })
            }
            "max_age" => {
                let age: u64 = value
                    .parse()
                    .map_err(|_| format!("max_age `{value}` is not a number of seconds"))?;
                if age > MAX_AGE_LIMIT {
                    return Err(format!(
                        "max_age {age} is longer than RFC 8461 allows ({MAX_AGE_LIMIT})"
                    ));
                }
                max_age = Some(age);
            }
            "mx" => mx.push(value.trim_end_matches('.').to_ascii_lowercase()),
            _ => {}
        }
    }
    match version.as_deref() {
        Some("STSv1") => {}
        Some(v) => return Err(format!("version `{v}` is not STSv1")),
        None => return Err("no `version: STSv1` line".into()),
    }
    let mode = mode.ok_or("no `mode` line")?;
    let max_age = max_age.ok_or("no `max_age` line")?;
    if mx.is_empty() && mode != StsMode::None {
        return Err("no `mx` line".into());
    }
    Ok(StsPolicy { mode, mx, max_age })
}

/// Whether an MX host matches a policy's `mx` pattern: exactly, or `*.` standing for exactly one
/// label (RFC 8461 §4.1: `*.example.com` matches `mx1.example.com`, not `a.b.example.com`).
pub fn mx_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.trim_end_matches('.').to_ascii_lowercase();
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => pattern == host,
    }
}

/// The `rua` of a TLS-RPT record, e.g. `v=TLSRPTv1; rua=mailto:reports@example.com` (RFC 8460 §3).
pub fn parse_tlsrpt(record: &str) -> Option<String> {
    let tags = tags(record);
    let first_ok = tags.first().is_some_and(|(k, v)| k == "v" && v == "TLSRPTv1");
    let rua = tags.into_iter().find(|(k, _)| k == "rua").map(|(_, v)| v)?;
    (first_ok && !rua.is_empty()).then_some(rua)
}

/// What a domain's SPF says (RFC 7208).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spf {
    Missing,
    /// More than one `v=spf1` record: receivers treat it as a permanent error (RFC 7208 §4.5).
    Several,
    /// One record, with the qualifier of its `all` term (`-`, `~`, `?`, `+`) if it has one.
    One {
        record: String,
        all: Option<char>,
    },
}

/// SPF from a domain's TXT records, e.g. Mailfence's `v=spf1 include:_spf.mailfence.com ~all`.
pub fn parse_spf(txt: &[String]) -> Spf {
    let spf: Vec<&String> = txt
        .iter()
        .filter(|r| {
            let lower = r.trim().to_ascii_lowercase();
            lower == "v=spf1" || lower.starts_with("v=spf1 ")
        })
        .collect();
    match spf.as_slice() {
        [] => Spf::Missing,
        [one] => {
            let all = one.split_whitespace().skip(1).find_map(|term| {
                let term = term.to_ascii_lowercase();
                match term.as_str() {
                    "all" | "+all" => Some('+'),
                    "-all" => Some('-'),
                    "~all" => Some('~'),
                    "?all" => Some('?'),
                    _ => None,
                }
            });
            Spf::One {
                record: one.to_string(),
                all,
            }
        }
        _ => Spf::Several,
    }
}

/// The `p=` of a DMARC record (`v=DMARC1; p=reject; rua=mailto:…`, RFC 7489 §6.3), lower-cased.
pub fn parse_dmarc(record: &str) -> Option<String> {
    let tags = tags(record);
    let first_ok = tags.first().is_some_and(|(k, v)| k == "v" && v == "DMARC1");
    let p = tags
        .into_iter()
        .find(|(k, _)| k == "p")
        .map(|(_, v)| v.to_ascii_lowercase())?;
    first_ok.then_some(p)
}

/// A TLSA record's usage, selector and matching type: `3 1 1 <hex>` (RFC 6698 §2.2).
pub fn parse_tlsa(record: &str) -> Option<(u8, u8, u8)> {
    let mut parts = record.split_whitespace();
    let usage = parts.next()?.parse().ok()?;
    let selector = parts.next()?.parse().ok()?;
    let matching = parts.next()?.parse().ok()?;
    let data = parts.collect::<String>();
    (!data.is_empty() && data.chars().all(|c| c.is_ascii_hexdigit())).then_some((usage, selector, matching))
}

// ---------------------------------------------------------------------------------------------
// The verdict

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JudgeOptions {
    pub require_transport: bool,
    pub require_dmarc: bool,
}

/// One address's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressVerdict {
    pub status: Status,
    /// The reason, without the check's prefix.
    pub reason: &'static str,
    /// One line saying what decided it.
    pub headline: String,
    /// The sub-results, one per line.
    pub lines: Vec<String>,
    /// The provider's own encryption feature, when it has one.
    pub fix: Option<String>,
}

fn dns_problem(what: &str, answer: &DnsAnswer) -> Option<String> {
    match answer {
        DnsAnswer::TimedOut => Some(format!("{what}: no answer in time")),
        DnsAnswer::Failed { error } => Some(format!("{what}: lookup failed ({error})")),
        _ => None,
    }
}

fn txt_records(answer: &DnsAnswer) -> Vec<String> {
    match answer {
        DnsAnswer::Records { records } => records.clone(),
        _ => Vec::new(),
    }
}

/// Judges one address from its readings; `address` is how the address is named in the report.
pub fn judge_address(address: &str, domain: &str, r: &Readings, table: &Table, opts: JudgeOptions) -> AddressVerdict {
    let verdict = |status, reason, headline: String, lines| AddressVerdict {
        status,
        reason,
        headline,
        lines,
        fix: None,
    };
    // The MX decides whether the domain receives mail at all.
    let hosts = mx_hosts(&r.mx);
    let mut lines = Vec::new();
    // A mail provider's own domain (gmail.com, proton.me) always exists and receives mail: if DNS
    // says otherwise, the network or its resolver is wrong, not the practitioner's setup.
    if matches!(r.mx, DnsAnswer::NxDomain | DnsAnswer::NoRecords)
        && let Some((p, _)) = provider_for(table, domain, &[])
    {
        return verdict(
            Status::Unknown,
            "lookup-failed",
            format!(
                "{address}: DNS answered that {domain} ({}) has no mail servers, which cannot be right: check this computer's internet connection and run the scan again",
                p.name
            ),
            lines,
        );
    }
    match &r.mx {
        DnsAnswer::NxDomain => {
            return verdict(
                Status::Fail,
                "no-domain",
                format!("{address}: the domain {domain} does not exist (DNS: NXDOMAIN)"),
                lines,
            );
        }
        DnsAnswer::NoRecords => {
            return verdict(
                Status::Fail,
                "no-mx",
                format!("{address}: {domain} has no MX record, so it cannot receive mail"),
                lines,
            );
        }
        DnsAnswer::TimedOut | DnsAnswer::Failed { .. } => {
            let why = dns_problem(&format!("MX {domain}"), &r.mx).unwrap_or_default();
            return verdict(
                Status::Unknown,
                "lookup-failed",
                format!("{address}: could not look up where mail for {domain} goes ({why})"),
                lines,
            );
        }
        DnsAnswer::Records { records } if hosts.is_empty() => {
            return verdict(
                Status::Unknown,
                "lookup-failed",
                format!("{address}: unreadable MX records for {domain}: {}", records.join(", ")),
                lines,
            );
        }
        DnsAnswer::Records { records } => lines.push(format!("MX {domain}: {}", records.join(", "))),
    }

    let mut broken: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();

    // MTA-STS.
    let mut enforced = false;
    let sts: Vec<String> = txt_records(&r.sts_record)
        .into_iter()
        .filter(|t| is_sts_record(t))
        .collect();
    if let Some(p) = dns_problem(&format!("TXT _mta-sts.{domain}"), &r.sts_record) {
        unknown.push(p.clone());
        lines.push(format!("MTA-STS: could not tell ({p})"));
    } else if sts.is_empty() {
        lines.push(format!("MTA-STS: none (no v=STSv1 TXT record at _mta-sts.{domain})"));
    } else if sts.len() > 1 {
        broken.push(format!(
            "MTA-STS: {} v=STSv1 records at _mta-sts.{domain}; there must be one",
            sts.len()
        ));
    } else if let Err(e) = parse_sts_record(&sts[0]) {
        broken.push(format!("MTA-STS record invalid: {e}"));
    } else {
        match &r.policy {
            None => unknown.push("MTA-STS policy: not fetched in time".into()),
            Some((url, answer)) => match judge_policy(url, answer, &hosts) {
                PolicyResult::Broken(why) => broken.push(why),
                PolicyResult::Unknown(why) => unknown.push(why),
                PolicyResult::Ok { line, enforce } => {
                    enforced = enforce;
                    lines.push(line);
                }
            },
        }
    }

    // DANE: listed, never counted, since DNSSEC validation is not checked here.
    let with_tlsa: Vec<&String> = r
        .tlsa
        .iter()
        .filter(|(_, a)| matches!(a, DnsAnswer::Records { records } if records.iter().any(|t| parse_tlsa(t).is_some())))
        .map(|(h, _)| h)
        .collect();
    if with_tlsa.is_empty() {
        lines.push("DANE: no TLSA records for the MX hosts".into());
    } else {
        lines.push(format!(
            "DANE: TLSA records present for {} but not validated (confide does not check DNSSEC), so not counted",
            with_tlsa
                .iter()
                .map(|h| format!("_25._tcp.{h}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }

    // TLS-RPT.
    match dns_problem(&format!("TXT _smtp._tls.{domain}"), &r.tlsrpt) {
        Some(p) => lines.push(format!("TLS-RPT: could not tell ({p})")),
        None => match txt_records(&r.tlsrpt).iter().find_map(|t| parse_tlsrpt(t)) {
            Some(rua) => lines.push(format!("TLS-RPT: reports go to {rua}")),
            None => lines.push("TLS-RPT: none (delivery failures are not reported to you)".into()),
        },
    }

    // SPF.
    match dns_problem(&format!("TXT {domain}"), &r.spf) {
        Some(p) => lines.push(format!("SPF: could not tell ({p})")),
        None => match parse_spf(&txt_records(&r.spf)) {
            Spf::Missing => lines.push("SPF: none".into()),
            Spf::Several => lines.push("SPF: more than one v=spf1 record (receivers treat that as an error)".into()),
            Spf::One { record, all: Some('+') } => {
                broken.push(format!("SPF `{record}` ends in +all: anyone may send mail as {domain}"))
            }
            Spf::One { record, all } => lines.push(format!(
                "SPF: `{record}`{}",
                all.map(|q| format!(" ({q}all)")).unwrap_or_default()
            )),
        },
    }

    // DMARC.
    let mut dmarc_ok = false;
    let dmarc_problem = dns_problem(&format!("TXT _dmarc.{domain}"), &r.dmarc);
    match &dmarc_problem {
        Some(p) => lines.push(format!("DMARC: could not tell ({p})")),
        None => match txt_records(&r.dmarc).iter().find_map(|t| parse_dmarc(t)) {
            Some(p) => {
                dmarc_ok = p == "quarantine" || p == "reject";
                lines.push(format!("DMARC: p={p}"));
            }
            None => lines.push("DMARC: none".into()),
        },
    }

    // The provider.
    let provider = provider_for(table, domain, &hosts);
    let (class, provider_line, fix) = match provider {
        Some((p, how)) => (
            Some(p.class),
            format!(
                "provider: {} ({}, recognised by {}; source: {})",
                p.name,
                class_words(p.class),
                match how {
                    Recognised::ByDomain => "the address's domain",
                    Recognised::ByMx => "its MX hosts",
                },
                p.source
            ),
            p.fix.clone(),
        ),
        None => (None, "provider: not one confide knows".to_string(), None),
    };
    lines.insert(0, provider_line);

    if !broken.is_empty() {
        lines.extend(broken.iter().cloned());
        return AddressVerdict {
            fix,
            ..verdict(
                Status::Fail,
                "broken",
                format!("{address}: {domain} is set up wrongly: {}", broken.join("; ")),
                lines,
            )
        };
    }
    lines.extend(unknown.iter().map(|u| format!("could not tell: {u}")));
    let name = provider.map(|(p, _)| p.name.as_str()).unwrap_or("your provider");
    let mut out = match class {
        Some(Class::EndToEnd) => verdict(
            Status::Pass,
            "end-to-end",
            format!("{address}: {name} keeps stored mail encrypted so that it cannot read it"),
            lines,
        ),
        Some(Class::Portal) => verdict(
            Status::Pass,
            "portal",
            format!("{address}: {name} sends protected mail through an encrypted-message portal"),
            lines,
        ),
        Some(Class::TlsOnly) | None => verdict(
            Status::Warn,
            "transport-only",
            format!("{address}: mail is encrypted in transit, but readable by {name}"),
            lines,
        ),
    };
    out.fix = fix;
    if out.status == Status::Pass {
        if opts.require_transport && !enforced {
            out.status = if unknown.is_empty() {
                Status::Warn
            } else {
                Status::Unknown
            };
            out.reason = "transport-not-enforced";
            out.headline = format!(
                "{address}: {domain} does not require encrypted delivery (no MTA-STS in enforce mode, no validated DANE)"
            );
        } else if opts.require_dmarc && !dmarc_ok {
            out.status = if dmarc_problem.is_some() {
                Status::Unknown
            } else {
                Status::Warn
            };
            out.reason = "no-dmarc";
            out.headline = format!("{address}: {domain} has no DMARC policy of quarantine or reject");
        }
    }
    out
}

fn class_words(class: Class) -> &'static str {
    match class {
        Class::EndToEnd => "end-to-end encrypted",
        Class::Portal => "encrypted-message portal",
        Class::TlsOnly => "encrypted in transit only",
    }
}

enum PolicyResult {
    Ok { line: String, enforce: bool },
    Broken(String),
    Unknown(String),
}

/// Judges a fetched MTA-STS policy against the domain's MX hosts.
fn judge_policy(url: &str, answer: &HttpAnswer, hosts: &[String]) -> PolicyResult {
    let body = match answer {
        HttpAnswer::Failed { error } if error.contains("timed out") => {
            return PolicyResult::Unknown(format!("MTA-STS policy {url}: no answer in time"));
        }
        HttpAnswer::Failed { error } => {
            return PolicyResult::Broken(format!("MTA-STS policy {url} cannot be fetched: {error}"));
        }
        HttpAnswer::Response {
            status,
            location: Some(to),
            ..
        } if (300..400).contains(status) => {
            return PolicyResult::Broken(format!(
                "MTA-STS policy {url} redirects ({status}) to {to}; RFC 8461 forbids following it"
            ));
        }
        HttpAnswer::Response { status, .. } if *status != 200 => {
            return PolicyResult::Broken(format!("MTA-STS policy {url} answered HTTP {status}, not 200"));
        }
        HttpAnswer::Response { too_large: true, .. } => {
            return PolicyResult::Broken(format!(
                "MTA-STS policy {url} is larger than {} KiB, far more than a policy needs",
                POLICY_MAX_BYTES / 1024
            ));
        }
        HttpAnswer::Response { body, .. } => body,
    };
    let policy = match parse_sts_policy(body) {
        Ok(p) => p,
        Err(e) => return PolicyResult::Broken(format!("MTA-STS policy {url} is invalid: {e}")),
    };
    let unmatched: Vec<&String> = hosts
        .iter()
        .filter(|h| !policy.mx.iter().any(|p| mx_matches(p, h)))
        .collect();
    match policy.mode {
        StsMode::Enforce if !unmatched.is_empty() => PolicyResult::Broken(format!(
            "MTA-STS policy {url} is in enforce mode but does not list MX {}: senders that honour it cannot deliver there",
            unmatched.iter().map(|h| h.as_str()).collect::<Vec<_>>().join(", ")
        )),
        StsMode::Enforce => PolicyResult::Ok {
            line: format!("MTA-STS: enforce, every MX matches (max_age {}; {url})", policy.max_age),
            enforce: true,
        },
        StsMode::Testing => PolicyResult::Ok {
            line: format!("MTA-STS: testing only, not enforced ({url})"),
            enforce: false,
        },
        StsMode::None => PolicyResult::Ok {
            line: format!("MTA-STS: mode none, withdrawn ({url})"),
            enforce: false,
        },
    }
}

/// Rank for combining addresses: fail, then could-not-tell, then warn, then pass.
fn severity(s: Status) -> u8 {
    match s {
        Status::Fail => 4,
        Status::Unknown => 3,
        Status::Warn => 2,
        Status::Pass => 1,
        Status::Skipped => 0,
    }
}

/// One finding for all addresses: the worst decides; every address is listed with its sub-results.
pub fn combine(verdicts: Vec<AddressVerdict>) -> Outcome {
    let Some(worst) = verdicts.iter().max_by_key(|v| severity(v.status)) else {
        return Outcome::new(
            Status::Unknown,
            "mail-encryption.no-address",
            "No email address to check: run `confide init --email you@example.org`.",
        );
    };
    let mut chars = worst.headline.chars();
    let first = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>())
        .unwrap_or_default();
    let headline = format!("{first}{}.", chars.as_str());
    let summary = match worst.reason {
        "transport-only" => match worst.fix.as_deref() {
            Some(fix) => format!("{headline} For client mail, use {fix}"),
            None => format!(
                "{headline} For client mail, use a provider that encrypts it end to end, such as Proton Mail or Tuta."
            ),
        },
        _ => headline,
    };
    let mut evidence = Vec::new();
    for v in &verdicts {
        evidence.push(format!("{} [{}]", v.headline, v.status.id()));
        evidence.extend(v.lines.iter().map(|l| format!("  {l}")));
    }
    Outcome::new(worst.status, format!("mail-encryption.{}", worst.reason), summary).with_evidence(evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> &'static Table {
        TABLE.as_ref().expect("policies/data/mail-providers.toml parses")
    }

    fn records(r: &[&str]) -> DnsAnswer {
        DnsAnswer::Records {
            records: r.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn readings(mx: &[&str]) -> Readings {
        Readings {
            mx: records(mx),
            sts_record: DnsAnswer::NxDomain,
            policy: None,
            tlsrpt: DnsAnswer::NxDomain,
            spf: DnsAnswer::NoRecords,
            dmarc: DnsAnswer::NxDomain,
            tlsa: Vec::new(),
        }
    }

    const LOOSE: JudgeOptions = JudgeOptions {
        require_transport: false,
        require_dmarc: false,
    };

    #[test]
    fn the_table_parses_and_every_row_has_a_source() {
        for p in &table().providers {
            assert!(p.source.len() > 20, "{}", p.name);
        }
    }

    #[test]
    fn nhs_net_is_recognised_by_domain_only() {
        let (p, how) = provider_for(table(), "nhs.net", &[]).unwrap();
        assert_eq!((p.name.as_str(), how), ("NHSmail", Recognised::ByDomain));
        assert!(
            table()
                .providers
                .iter()
                .filter(|p| p.name == "NHSmail")
                .all(|p| p.mx.is_empty())
        );
    }

    #[test]
    fn providers_are_recognised_by_mx() {
        let by_mx = |h: &str| provider_for(table(), "practice.example", &[h.to_string()]).map(|(p, _)| p.name.clone());
        assert_eq!(by_mx("mail.protonmail.ch").as_deref(), Some("Proton Mail"));
        assert_eq!(
            by_mx("practice-example.mail.protection.outlook.com").as_deref(),
            Some("Microsoft 365 / Outlook")
        );
        assert_eq!(
            by_mx("practice-example.o-v1.mx.microsoft").as_deref(),
            None,
            "two labels before mx.microsoft"
        );
        assert_eq!(
            by_mx("alt3.aspmx.l.google.com").as_deref(),
            Some("Google Workspace / Gmail")
        );
        assert_eq!(by_mx("mx.example.net"), None);
    }

    #[test]
    fn a_proton_domain_passes_and_gmail_warns() {
        let v = judge_address(
            "a@proton.me",
            "proton.me",
            &readings(&["10 mail.protonmail.ch.", "20 mailsec.protonmail.ch."]),
            table(),
            LOOSE,
        );
        assert_eq!((v.status, v.reason), (Status::Pass, "end-to-end"));
        let v = judge_address(
            "a@gmail.com",
            "gmail.com",
            &readings(&["5 gmail-smtp-in.l.google.com."]),
            table(),
            LOOSE,
        );
        assert_eq!((v.status, v.reason), (Status::Warn, "transport-only"));
        assert!(v.fix.unwrap().contains("client-side encryption"));
    }

    #[test]
    fn requirements_lower_a_pass_to_warn() {
        let r = readings(&["10 mail.protonmail.ch."]);
        let strict = JudgeOptions {
            require_transport: true,
            require_dmarc: false,
        };
        let v = judge_address("a@proton.me", "proton.me", &r, table(), strict);
        assert_eq!((v.status, v.reason), (Status::Warn, "transport-not-enforced"));
        let dmarc = JudgeOptions {
            require_transport: false,
            require_dmarc: true,
        };
        let v = judge_address("a@proton.me", "proton.me", &r, table(), dmarc);
        assert_eq!((v.status, v.reason), (Status::Warn, "no-dmarc"));
    }

    #[test]
    fn spf_plus_all_fails_whatever_the_provider() {
        let mut r = readings(&["10 mail.protonmail.ch."]);
        r.spf = records(&["v=spf1 +all"]);
        let v = judge_address("a@proton.me", "proton.me", &r, table(), LOOSE);
        assert_eq!((v.status, v.reason), (Status::Fail, "broken"));
    }

    #[test]
    fn a_provider_s_own_domain_that_dns_denies_is_unknown_not_broken() {
        for mx in [DnsAnswer::NxDomain, DnsAnswer::NoRecords] {
            let mut r = readings(&[]);
            r.mx = mx;
            let v = judge_address("your address at gmail.com", "gmail.com", &r, table(), LOOSE);
            assert_eq!(
                (v.status, v.reason),
                (Status::Unknown, "lookup-failed"),
                "{}",
                v.headline
            );
        }
    }

    #[test]
    fn no_mx_and_nxdomain_fail_and_a_failed_lookup_is_unknown() {
        let mut r = readings(&[]);
        r.mx = DnsAnswer::NoRecords;
        assert_eq!(
            judge_address("a@x.example", "x.example", &r, table(), LOOSE).reason,
            "no-mx"
        );
        r.mx = DnsAnswer::NxDomain;
        assert_eq!(
            judge_address("a@x.example", "x.example", &r, table(), LOOSE).status,
            Status::Fail
        );
        r.mx = DnsAnswer::TimedOut;
        assert_eq!(
            judge_address("a@x.example", "x.example", &r, table(), LOOSE).status,
            Status::Unknown
        );
    }

    #[test]
    fn the_worst_address_decides_and_all_are_listed() {
        let pass = judge_address(
            "a@proton.me",
            "proton.me",
            &readings(&["10 mail.protonmail.ch."]),
            table(),
            LOOSE,
        );
        let warn = judge_address(
            "b@gmail.com",
            "gmail.com",
            &readings(&["5 gmail-smtp-in.l.google.com."]),
            table(),
            LOOSE,
        );
        let o = combine(vec![pass, warn]);
        assert_eq!(
            (o.status, o.reason.as_str()),
            (Status::Warn, "mail-encryption.transport-only")
        );
        assert!(o.evidence.iter().any(|e| e.starts_with("a@proton.me")));
        assert!(o.evidence.iter().any(|e| e.starts_with("b@gmail.com")));
    }
}
