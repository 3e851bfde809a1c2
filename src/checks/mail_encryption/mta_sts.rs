//! MTA-STS (RFC 8461): the `_mta-sts` TXT record, the policy file served over HTTPS, and whether
//! the domain's MX hosts match it.

use crate::system::HttpAnswer;

use super::dns_records::tags;

/// An MTA-STS policy is a few lines; 64 KiB is far more than any real one (RFC 8461 sets no size,
/// but asks senders to bound what they fetch).
pub const POLICY_MAX_BYTES: usize = 64 * 1024;

/// The policy URL for `domain` (`port` only in tests, see [`super::MTA_STS_PORT_ENV`]).
pub fn policy_url(domain: &str, port: Option<u16>) -> String {
    match port {
        Some(p) => format!("https://mta-sts.{domain}:{p}/.well-known/mta-sts.txt"),
        None => format!("https://mta-sts.{domain}/.well-known/mta-sts.txt"),
    }
}

/// True for a TXT record that begins `v=STSv1` (RFC 8461 §3.1: other records are discarded).
pub fn is_sts_record(record: &str) -> bool {
    tags(record).first().is_some_and(|(k, v)| k == "v" && v == "STSv1")
}

/// The `id` of an MTA-STS record, e.g. `v=STSv1; id=20160831085700Z;` (RFC 8461 §3.1's example):
/// 1 to 32 letters and digits.
pub fn parse_sts_record(record: &str) -> Result<String, String> {
    if !is_sts_record(record) {
        return Err(format!("`{}` does not begin with v=STSv1", quoted(record)));
    }
    let id = tags(record)
        .into_iter()
        .find(|(k, _)| k == "id")
        .map(|(_, v)| v)
        .ok_or_else(|| format!("`{}` has no id", quoted(record)))?;
    if id.is_empty() || id.len() > 32 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!("`{}`: the id must be 1 to 32 letters and digits", quoted(record)));
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

/// A piece of a domain's answer quoted in an error, cut to a readable width: the answer is the
/// domain owner's text (a policy may be 64 kB on one line) and the error reaches the report.
fn quoted(text: &str) -> String {
    const WIDTH: usize = 60;
    match text.char_indices().nth(WIDTH) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

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
            return Err(format!("`{}` is not `key: value`", quoted(line)));
        };
        let value = value.trim();
        match key.trim() {
            "version" => version = Some(value.to_string()),
            "mode" => {
                mode = Some(match value {
                    "enforce" => StsMode::Enforce,
                    "testing" => StsMode::Testing,
                    "none" => StsMode::None,
                    other => return Err(format!("unknown mode `{}`", quoted(other))),
                })
            }
            "max_age" => {
                let age: u64 = value
                    .parse()
                    .map_err(|_| format!("max_age `{}` is not a number of seconds", quoted(value)))?;
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
        Some(v) => return Err(format!("version `{}` is not STSv1", quoted(v))),
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

/// What a fetched policy says about the domain.
pub(super) enum PolicyResult {
    Ok { line: String, enforce: bool },
    Broken(String),
    Unknown(String),
}

/// Judges a fetched MTA-STS policy against the domain's MX hosts.
pub(super) fn judge_policy(url: &str, answer: &HttpAnswer, hosts: &[String]) -> PolicyResult {
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
