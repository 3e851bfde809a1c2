//! The verdict on one address from what was read about its domain, in named steps (where mail
//! goes, MTA-STS, DANE, TLS-RPT, SPF, DMARC, the provider, the policy's requirements), and the
//! one finding for all addresses.

use super::dns_records::{Spf, dns_problem, mx_hosts, parse_dmarc, parse_spf, parse_tlsa, parse_tlsrpt, txt_records};
use super::lookup::Readings;
use super::mta_sts::{PolicyResult, is_sts_record, judge_policy, parse_sts_record};
use super::providers::{Class, Provider, Recognised, Table, class_words, provider_for};
use super::{Limits, Reason};
use crate::checks::kit::{Reason as _, Verdict};
use crate::status::Status;
use crate::system::DnsAnswer;

/// One address's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressVerdict {
    /// The reason, which fixes the status.
    pub reason: Reason,
    /// One line saying what decided it.
    pub headline: String,
    /// The sub-results, one per line.
    pub lines: Vec<String>,
    /// The provider's own encryption feature, when it has one.
    pub fix: Option<String>,
}

impl AddressVerdict {
    fn new(reason: Reason, headline: String, lines: Vec<String>) -> Self {
        AddressVerdict {
            reason,
            headline,
            lines,
            fix: None,
        }
    }

    /// For a domain whose reading broke inside confide (a thread that panicked).
    pub fn internal_error(domain: &str) -> Self {
        AddressVerdict::new(
            Reason::InternalError,
            format!("your address at {domain}: confide hit an internal error"),
            Vec::new(),
        )
    }

    pub fn status(&self) -> Status {
        self.reason.status()
    }
}

/// What the steps found: lines for the evidence, and what is set up wrongly or could not be told.
#[derive(Debug, Default)]
struct Findings {
    lines: Vec<String>,
    broken: Vec<String>,
    unknown: Vec<String>,
}

/// Judges one address from its readings; `address` is how the address is named in the report.
pub fn judge_address(address: &str, domain: &str, r: &Readings, table: &Table, limits: &Limits) -> AddressVerdict {
    let (hosts, mx_line) = match where_mail_goes(address, domain, r, table) {
        Ok(found) => found,
        Err(verdict) => return verdict,
    };
    let mut found = Findings {
        lines: vec![mx_line],
        ..Findings::default()
    };
    let enforced = mta_sts(domain, r, &hosts, &mut found);
    dane(r, &mut found);
    tls_rpt(domain, r, &mut found);
    spf(domain, r, &mut found);
    let dmarc = dmarc(domain, r, &mut found);

    let provider = provider_for(table, domain, &hosts);
    let fix = provider.and_then(|(p, _)| p.fix.clone());
    let Findings {
        mut lines,
        broken,
        unknown,
    } = found;
    lines.insert(0, provider_line(provider));
    if !broken.is_empty() {
        lines.extend(broken.iter().cloned());
        return AddressVerdict {
            fix,
            ..AddressVerdict::new(
                Reason::Broken,
                format!("{address}: {domain} is set up wrongly: {}", broken.join("; ")),
                lines,
            )
        };
    }
    lines.extend(unknown.iter().map(|u| format!("could not tell: {u}")));
    let mut out = by_provider(address, provider.map(|(p, _)| p), lines);
    out.fix = fix;
    let transport = Transport {
        enforced,
        all_known: unknown.is_empty(),
    };
    apply_requirements(out, address, domain, limits, transport, dmarc)
}

/// The MX decides whether the domain receives mail at all: its hosts and the evidence line, or the
/// verdict when there is nowhere to deliver or no answer.
fn where_mail_goes(
    address: &str,
    domain: &str,
    r: &Readings,
    table: &Table,
) -> Result<(Vec<String>, String), AddressVerdict> {
    let hosts = mx_hosts(&r.mx);
    let stop = |reason, headline| Err(AddressVerdict::new(reason, headline, Vec::new()));
    // A mail provider's own domain (gmail.com, proton.me) always exists and receives mail: if DNS
    // says otherwise, the network or its resolver is wrong, not the practitioner's setup.
    if matches!(r.mx, DnsAnswer::NxDomain | DnsAnswer::NoRecords)
        && let Some((p, _)) = provider_for(table, domain, &[])
    {
        return stop(
            Reason::LookupFailed,
            format!(
                "{address}: DNS answered that {domain} ({}) has no mail servers, which cannot be right: check this computer's internet connection and run the scan again",
                p.name
            ),
        );
    }
    match &r.mx {
        DnsAnswer::NxDomain => stop(
            Reason::NoDomain,
            format!("{address}: the domain {domain} does not exist (DNS: NXDOMAIN)"),
        ),
        DnsAnswer::NoRecords => stop(
            Reason::NoMx,
            format!("{address}: {domain} has no MX record, so it cannot receive mail"),
        ),
        DnsAnswer::TimedOut | DnsAnswer::Failed { .. } => {
            let why = dns_problem(&format!("MX {domain}"), &r.mx).unwrap_or_default();
            stop(
                Reason::LookupFailed,
                format!("{address}: could not look up where mail for {domain} goes ({why})"),
            )
        }
        DnsAnswer::Records { records } if hosts.is_empty() => stop(
            Reason::LookupFailed,
            format!("{address}: unreadable MX records for {domain}: {}", records.join(", ")),
        ),
        DnsAnswer::Records { records } => Ok((hosts, format!("MX {domain}: {}", records.join(", ")))),
    }
}

/// MTA-STS: the record, then the policy it points to. True when the policy is enforced.
fn mta_sts(domain: &str, r: &Readings, hosts: &[String], found: &mut Findings) -> bool {
    let sts: Vec<String> = txt_records(&r.sts_record)
        .into_iter()
        .filter(|t| is_sts_record(t))
        .collect();
    if let Some(p) = dns_problem(&format!("TXT _mta-sts.{domain}"), &r.sts_record) {
        found.unknown.push(p.clone());
        found.lines.push(format!("MTA-STS: could not tell ({p})"));
    } else if sts.is_empty() {
        found
            .lines
            .push(format!("MTA-STS: none (no v=STSv1 TXT record at _mta-sts.{domain})"));
    } else if sts.len() > 1 {
        found.broken.push(format!(
            "MTA-STS: {} v=STSv1 records at _mta-sts.{domain}; there must be one",
            sts.len()
        ));
    } else if let Err(e) = parse_sts_record(&sts[0]) {
        found.broken.push(format!("MTA-STS record invalid: {e}"));
    } else {
        match &r.policy {
            None => found.unknown.push("MTA-STS policy: not fetched in time".into()),
            Some((url, answer)) => match judge_policy(url, answer, hosts) {
                PolicyResult::Broken(why) => found.broken.push(why),
                PolicyResult::Unknown(why) => found.unknown.push(why),
                PolicyResult::Ok { line, enforce } => {
                    found.lines.push(line);
                    return enforce;
                }
            },
        }
    }
    false
}

/// DANE: listed, never counted, since DNSSEC validation is not checked here.
fn dane(r: &Readings, found: &mut Findings) {
    let with_tlsa: Vec<&String> = r
        .tlsa
        .iter()
        .filter(|(_, a)| matches!(a, DnsAnswer::Records { records } if records.iter().any(|t| parse_tlsa(t).is_some())))
        .map(|(h, _)| h)
        .collect();
    if with_tlsa.is_empty() {
        found.lines.push("DANE: no TLSA records for the MX hosts".into());
    } else {
        found.lines.push(format!(
            "DANE: TLSA records present for {} but not validated (confide does not check DNSSEC), so not counted",
            with_tlsa
                .iter()
                .map(|h| format!("_25._tcp.{h}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
}

/// TLS-RPT: listed only.
fn tls_rpt(domain: &str, r: &Readings, found: &mut Findings) {
    let line = match dns_problem(&format!("TXT _smtp._tls.{domain}"), &r.tlsrpt) {
        Some(p) => format!("TLS-RPT: could not tell ({p})"),
        None => match txt_records(&r.tlsrpt).iter().find_map(|t| parse_tlsrpt(t)) {
            Some(rua) => format!("TLS-RPT: reports go to {rua}"),
            None => "TLS-RPT: none (delivery failures are not reported to you)".into(),
        },
    };
    found.lines.push(line);
}

/// SPF: `+all` lets anyone send as the domain, which is set up wrongly; the rest is listed.
fn spf(domain: &str, r: &Readings, found: &mut Findings) {
    match dns_problem(&format!("TXT {domain}"), &r.spf) {
        Some(p) => found.lines.push(format!("SPF: could not tell ({p})")),
        None => match parse_spf(&txt_records(&r.spf)) {
            Spf::Missing => found.lines.push("SPF: none".into()),
            Spf::Several => found
                .lines
                .push("SPF: more than one v=spf1 record (receivers treat that as an error)".into()),
            Spf::One { record, all: Some('+') } => found
                .broken
                .push(format!("SPF `{record}` ends in +all: anyone may send mail as {domain}")),
            Spf::One { record, all } => found.lines.push(format!(
                "SPF: `{record}`{}",
                all.map(|q| format!(" ({q}all)")).unwrap_or_default()
            )),
        },
    }
}

/// What DMARC said, for the policy's requirement.
#[derive(Debug, Clone, Copy)]
struct Dmarc {
    /// `p=quarantine` or `p=reject`.
    ok: bool,
    /// The lookup gave no answer.
    unanswered: bool,
}

/// DMARC: listed, and kept for the requirement.
fn dmarc(domain: &str, r: &Readings, found: &mut Findings) -> Dmarc {
    let problem = dns_problem(&format!("TXT _dmarc.{domain}"), &r.dmarc);
    let mut ok = false;
    match &problem {
        Some(p) => found.lines.push(format!("DMARC: could not tell ({p})")),
        None => match txt_records(&r.dmarc).iter().find_map(|t| parse_dmarc(t)) {
            Some(p) => {
                ok = p == "quarantine" || p == "reject";
                found.lines.push(format!("DMARC: p={p}"));
            }
            None => found.lines.push("DMARC: none".into()),
        },
    }
    Dmarc {
        ok,
        unanswered: problem.is_some(),
    }
}

/// The first evidence line: which provider, how it was recognised and where the table says so.
fn provider_line(provider: Option<(&Provider, Recognised)>) -> String {
    match provider {
        Some((p, how)) => format!(
            "provider: {} ({}, recognised by {}; source: {})",
            p.name,
            class_words(p.class),
            match how {
                Recognised::ByDomain => "the address's domain",
                Recognised::ByMx => "its MX hosts",
            },
            p.source
        ),
        None => "provider: not one confide knows".to_string(),
    }
}

/// The verdict the provider's class gives: end to end or a portal pass, transport only warns.
fn by_provider(address: &str, provider: Option<&Provider>, lines: Vec<String>) -> AddressVerdict {
    let name = provider.map(|p| p.name.as_str()).unwrap_or("your provider");
    let (reason, headline) = match provider.map(|p| p.class) {
        Some(Class::EndToEnd) => (
            Reason::EndToEnd,
            format!("{address}: {name} keeps stored mail encrypted so that it cannot read it"),
        ),
        Some(Class::Portal) => (
            Reason::Portal,
            format!("{address}: {name} sends protected mail through an encrypted-message portal"),
        ),
        Some(Class::TlsOnly) | None => (
            Reason::TransportOnly,
            format!("{address}: mail is encrypted in transit, but readable by {name}"),
        ),
    };
    AddressVerdict::new(reason, headline, lines)
}

/// Whether delivery to the domain is known to require encryption.
#[derive(Debug, Clone, Copy)]
struct Transport {
    /// MTA-STS in enforce mode.
    enforced: bool,
    /// Nothing about the domain went unanswered.
    all_known: bool,
}

/// The policy's requirements lower a pass: delivery that may fall back to plain text, or no DMARC
/// policy of quarantine or reject (unknown when the lookups that would tell gave no answer).
fn apply_requirements(
    mut out: AddressVerdict,
    address: &str,
    domain: &str,
    limits: &Limits,
    transport: Transport,
    dmarc: Dmarc,
) -> AddressVerdict {
    if out.status() != Status::Pass {
        return out;
    }
    if limits.require_transport_enforcement.get() && !transport.enforced {
        (out.reason, out.headline) = if transport.all_known {
            (
                Reason::TransportNotEnforced,
                format!(
                    "{address}: {domain} does not require encrypted delivery (no MTA-STS in enforce mode, no validated DANE)"
                ),
            )
        } else {
            (
                Reason::TransportEnforcementUnknown,
                format!("{address}: could not tell whether {domain} requires encrypted delivery (a lookup gave no answer)"),
            )
        };
    } else if limits.require_dmarc.get() && !dmarc.ok {
        (out.reason, out.headline) = if dmarc.unanswered {
            (
                Reason::DmarcUnknown,
                format!("{address}: could not tell whether {domain} has a DMARC policy (the lookup gave no answer)"),
            )
        } else {
            (
                Reason::NoDmarc,
                format!("{address}: {domain} has no DMARC policy of quarantine or reject"),
            )
        };
    }
    out
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
pub fn combine(verdicts: Vec<AddressVerdict>) -> Verdict<Reason> {
    let Some(worst) = verdicts.iter().max_by_key(|v| severity(v.status())) else {
        return Verdict::new(
            Reason::NoAddress,
            "No email address to check: run `confide init --email you@example.org`.",
        );
    };
    let mut chars = worst.headline.chars();
    let first = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>())
        .unwrap_or_default();
    let headline = format!("{first}{}.", chars.as_str());
    let summary = match (worst.reason, worst.fix.as_deref()) {
        (Reason::TransportOnly, Some(fix)) => format!("{headline} For client mail, use {fix}"),
        (Reason::TransportOnly, None) => format!(
            "{headline} For client mail, use a provider that encrypts it end to end, such as Proton Mail or Tuta."
        ),
        _ => headline,
    };
    let mut evidence = Vec::new();
    for v in &verdicts {
        evidence.push(format!("{} [{}]", v.headline, v.status().id()));
        evidence.extend(v.lines.iter().map(|l| format!("  {l}")));
    }
    Verdict::new(worst.reason, summary).with_evidence(evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::kit::Switch;
    use crate::checks::mail_encryption::providers::TABLE;

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

    #[test]
    fn a_proton_domain_passes_and_gmail_warns() {
        let v = judge_address(
            "a@proton.me",
            "proton.me",
            &readings(&["10 mail.protonmail.ch.", "20 mailsec.protonmail.ch."]),
            table(),
            &Limits::default(),
        );
        assert_eq!((v.status(), v.reason.code()), (Status::Pass, "end-to-end"));
        let v = judge_address(
            "a@gmail.com",
            "gmail.com",
            &readings(&["5 gmail-smtp-in.l.google.com."]),
            table(),
            &Limits::default(),
        );
        assert_eq!((v.status(), v.reason.code()), (Status::Warn, "transport-only"));
        assert!(v.fix.unwrap().contains("client-side encryption"));
    }

    #[test]
    fn requirements_lower_a_pass_to_warn() {
        let r = readings(&["10 mail.protonmail.ch."]);
        let strict = Limits {
            require_transport_enforcement: Switch(true),
            ..Limits::default()
        };
        let v = judge_address("a@proton.me", "proton.me", &r, table(), &strict);
        assert_eq!((v.status(), v.reason.code()), (Status::Warn, "transport-not-enforced"));
        let dmarc = Limits {
            require_dmarc: Switch(true),
            ..Limits::default()
        };
        let v = judge_address("a@proton.me", "proton.me", &r, table(), &dmarc);
        assert_eq!((v.status(), v.reason.code()), (Status::Warn, "no-dmarc"));
    }

    #[test]
    fn a_requirement_that_cannot_be_told_is_unknown_under_its_own_code() {
        let mut r = readings(&["10 mail.protonmail.ch."]);
        r.sts_record = DnsAnswer::TimedOut;
        r.dmarc = DnsAnswer::TimedOut;
        let strict = Limits {
            require_transport_enforcement: Switch(true),
            ..Limits::default()
        };
        let v = judge_address("a@proton.me", "proton.me", &r, table(), &strict);
        assert_eq!(
            (v.status(), v.reason.code()),
            (Status::Unknown, "transport-enforcement-unknown")
        );
        assert!(v.headline.contains("could not tell"), "{}", v.headline);
        let dmarc = Limits {
            require_dmarc: Switch(true),
            ..Limits::default()
        };
        let v = judge_address("a@proton.me", "proton.me", &r, table(), &dmarc);
        assert_eq!((v.status(), v.reason.code()), (Status::Unknown, "dmarc-unknown"));
        assert!(v.headline.contains("could not tell"), "{}", v.headline);
    }

    #[test]
    fn spf_plus_all_fails_whatever_the_provider() {
        let mut r = readings(&["10 mail.protonmail.ch."]);
        r.spf = records(&["v=spf1 +all"]);
        let v = judge_address("a@proton.me", "proton.me", &r, table(), &Limits::default());
        assert_eq!((v.status(), v.reason.code()), (Status::Fail, "broken"));
    }

    #[test]
    fn a_provider_s_own_domain_that_dns_denies_is_unknown_not_broken() {
        for mx in [DnsAnswer::NxDomain, DnsAnswer::NoRecords] {
            let mut r = readings(&[]);
            r.mx = mx;
            let v = judge_address(
                "your address at gmail.com",
                "gmail.com",
                &r,
                table(),
                &Limits::default(),
            );
            assert_eq!(
                (v.status(), v.reason.code()),
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
            judge_address("a@x.example", "x.example", &r, table(), &Limits::default())
                .reason
                .code(),
            "no-mx"
        );
        r.mx = DnsAnswer::NxDomain;
        assert_eq!(
            judge_address("a@x.example", "x.example", &r, table(), &Limits::default()).status(),
            Status::Fail
        );
        r.mx = DnsAnswer::TimedOut;
        assert_eq!(
            judge_address("a@x.example", "x.example", &r, table(), &Limits::default()).status(),
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
            &Limits::default(),
        );
        let warn = judge_address(
            "b@gmail.com",
            "gmail.com",
            &readings(&["5 gmail-smtp-in.l.google.com."]),
            table(),
            &Limits::default(),
        );
        let o = combine(vec![pass, warn]).into_outcome("mail-encryption");
        assert_eq!(
            (o.status, o.reason.as_str()),
            (Status::Warn, "mail-encryption.transport-only")
        );
        assert!(o.evidence.iter().any(|e| e.starts_with("a@proton.me")));
        assert!(o.evidence.iter().any(|e| e.starts_with("b@gmail.com")));
    }
}
