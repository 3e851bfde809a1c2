//! The DNS records read for a mail domain (MX, TLS-RPT, SPF, DMARC, TLSA), in their presentation
//! form, and the tag lists several of them share.

use crate::system::DnsAnswer;

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
pub(super) fn tags(record: &str) -> Vec<(String, String)> {
    record
        .split(';')
        .filter_map(|t| {
            let (k, v) = t.split_once('=')?;
            Some((k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
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

/// Why a lookup gave no answer, if it gave none: `what` names the lookup.
pub(super) fn dns_problem(what: &str, answer: &DnsAnswer) -> Option<String> {
    match answer {
        DnsAnswer::TimedOut => Some(format!("{what}: no answer in time")),
        DnsAnswer::Failed { error } => Some(format!("{what}: lookup failed ({error})")),
        _ => None,
    }
}

/// The records of a TXT answer; none when the lookup gave none.
pub(super) fn txt_records(answer: &DnsAnswer) -> Vec<String> {
    match answer {
        DnsAnswer::Records { records } => records.clone(),
        _ => Vec::new(),
    }
}
