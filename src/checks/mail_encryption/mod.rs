//! `mail-encryption`: whether the practitioner's email provider keeps mail unreadable to itself
//! (end to end, or an encrypted-message portal), and whether the mail domain is set up safely
//! (MTA-STS, TLS-RPT, DANE, SPF, DMARC), read from public DNS and the domain's MTA-STS policy.
//!
//! Addresses come from the profile's `emails` and `confide scan --email`. The only names looked up
//! are those addresses' domains, their MX hosts and `mta-sts.<domain>`; nothing else leaves the
//! computer. With `--offline` the check is skipped and makes no request at all.
//!
//! The network is read through [`crate::system::System::dns`] and
//! [`crate::system::System::https_get`] ([`lookup`]), so the same logic runs live, recorded and
//! replayed. Readings are parsed by pure functions ([`dns_records`], [`mta_sts`]); one function,
//! [`judge_address`], turns one address's readings into a verdict, and [`combine`] all of them
//! into the finding.

use std::time::{Duration, Instant};

use super::CheckContext;
use super::kit::{BuiltinCheck, Limits as _, ScanTime, Verdict};

pub mod dns_records;
pub mod lookup;
pub mod mta_sts;
pub mod providers;
pub mod verdict;

pub use dns_records::{Spf, mx_hosts, parse_dmarc, parse_mx, parse_spf, parse_tlsa, parse_tlsrpt};
pub use lookup::{DomainReadings, Readings, domain_of, read_domain};
pub use mta_sts::{
    MAX_AGE_LIMIT, POLICY_MAX_BYTES, StsMode, StsPolicy, is_sts_record, mx_matches, parse_sts_policy, parse_sts_record,
    policy_url,
};
pub use providers::{Class, Provider, Recognised, TABLE, Table, provider_for};
pub use verdict::{AddressVerdict, combine, judge_address};

pub struct MailEncryption;

/// For tests only: the port of the MTA-STS policy server (RFC 8461 fixes 443, which a test cannot
/// listen on without privileges). Read through [`crate::system::System::env`]; never set it otherwise.
pub const MTA_STS_PORT_ENV: &str = "CONFIDE_MTA_STS_PORT";

crate::limits! {
    /// What the policy may tune.
    pub struct Limits {
        /// On to warn when neither an enforced MTA-STS policy nor validated DANE protects delivery.
        require_transport_enforcement: Switch = false, "true: warn when mail to the domain may fall back to unencrypted delivery (no MTA-STS enforce, no validated DANE); false: list it only";
        /// On to warn without DMARC `p=quarantine` or `p=reject`.
        require_dmarc: Switch = false, "true: warn when the domain has no DMARC policy of quarantine or reject; false: list it only";
        /// How long the whole check may spend on the network (used between 1 and 120 seconds).
        max_seconds: Seconds = 10, "seconds the check may spend on DNS and HTTPS before it reports what it could not tell";
    }
}

crate::reasons! {
    /// Why the verdict is what it is (`mail-encryption.<code>`); with several addresses, the worst
    /// address's reason.
    pub enum Reason {
        EndToEnd: Pass "end-to-end" => "The provider keeps stored mail encrypted so that it cannot read it.",
        Portal: Pass "portal" => "The provider sends protected mail through an encrypted-message portal.",
        TransportOnly: Warn "transport-only" => "Mail is encrypted in transit only: the provider can read it.",
        TransportNotEnforced: Warn "transport-not-enforced" => "The policy requires encrypted delivery, and the domain does not require it (no MTA-STS in enforce mode, no validated DANE).",
        TransportEnforcementUnknown: Unknown "transport-enforcement-unknown" => "The policy requires encrypted delivery, and whether the domain requires it could not be told (a lookup gave no answer).",
        NoDmarc: Warn "no-dmarc" => "The policy requires DMARC, and the domain has no DMARC policy of quarantine or reject.",
        DmarcUnknown: Unknown "dmarc-unknown" => "The policy requires DMARC, and the domain's DMARC record could not be looked up.",
        Broken: Fail "broken" => "The mail domain is set up wrongly (for example SPF ending in +all, or an MTA-STS policy that does not list its mail servers).",
        NoDomain: Fail "no-domain" => "The address's domain does not exist.",
        NoMx: Fail "no-mx" => "The address's domain has no mail servers, so it cannot receive mail.",
        LookupFailed: Unknown "lookup-failed" => "Where mail for the domain goes could not be looked up.",
        NoAddress: Unknown "no-address" => "There is no email address to check in the profile or on the command line.",
        NoTable: Unknown "no-table" => "confide's table of email providers could not be read.",
        InternalError: Unknown "internal-error" => "confide hit an internal error while reading the domain.",
        Offline: Skipped "offline" => "The check needs the network, and the scan was run with --offline.",
    }
}

/// What was read: the addresses' domains, or why none were.
#[derive(Debug)]
pub enum Reading {
    /// No email address in the profile or on the command line.
    NoAddress,
    /// `--offline`: nothing was asked.
    Offline,
    /// The built-in provider table did not parse; nothing was asked.
    NoTable(String),
    /// Each domain once, in name order.
    Domains {
        table: &'static Table,
        domains: Vec<DomainReadings>,
    },
}

impl BuiltinCheck for MailEncryption {
    const ID: &'static str = "mail-encryption";
    type Limits = Limits;
    type Reason = Reason;
    type Reading = Reading;

    fn read(&self, ctx: &CheckContext<'_>) -> Reading {
        let addresses = &ctx.profile.emails;
        if addresses.is_empty() {
            return Reading::NoAddress;
        }
        if ctx.offline {
            return Reading::Offline;
        }
        let table = match &*TABLE {
            Ok(t) => t,
            Err(e) => return Reading::NoTable(e.clone()),
        };
        let limits = Limits::from_policy(ctx.thresholds);
        let bound = Duration::from_secs(u64::from(limits.max_seconds.get().clamp(1, 120)));
        let port = ctx.system.env(MTA_STS_PORT_ENV).and_then(|p| p.parse::<u16>().ok());
        let deadline = Instant::now() + bound;
        // Reports never print addresses (README, Privacy): each domain is checked once and named
        // by its domain alone.
        let mut domains: Vec<String> = addresses.iter().map(|a| domain_of(a)).collect();
        domains.sort();
        domains.dedup();
        Reading::Domains {
            table,
            domains: lookup::read_domains(ctx.system, &domains, port, deadline),
        }
    }

    fn judge(&self, reading: Reading, limits: &Limits, _at: ScanTime) -> Verdict<Reason> {
        judge(reading, limits)
    }
}

/// The finding: the worst address decides (see [`combine`]).
pub fn judge(reading: Reading, limits: &Limits) -> Verdict<Reason> {
    match reading {
        Reading::NoAddress => Verdict::new(
            Reason::NoAddress,
            "No email address to check: run `confide init --email you@example.org` (or `confide scan --email …`).",
        ),
        Reading::Offline => Verdict::new(
            Reason::Offline,
            "Skipped: checking your email provider needs the network, and --offline was given.",
        ),
        Reading::NoTable(e) => Verdict::new(
            Reason::NoTable,
            format!("confide's table of email providers is broken: {e}"),
        ),
        Reading::Domains { table, domains } => combine(
            domains
                .iter()
                .map(|d| match &d.readings {
                    Some(r) => judge_address(&format!("your address at {}", d.domain), &d.domain, r, table, limits),
                    None => AddressVerdict::internal_error(&d.domain),
                })
                .collect(),
        ),
    }
}
