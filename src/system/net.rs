//! The network, for the live [`System`](super::System): DNS through hickory-resolver, HTTPS GETs
//! through reqwest with rustls (the `ring` provider: no C toolchain or NASM needed).
//!
//! Both are asynchronous libraries; checks are not. Each question runs on a small current-thread
//! tokio runtime made for it and dropped after, so no runtime outlives a question, checks stay
//! plain functions, and a check that wants lookups in parallel runs them on scoped threads. A
//! runtime costs microseconds next to a network round trip.
//!
//! Every name this module looks up goes to the same place: the configured `--dns-server`, or the
//! system's resolvers. The HTTPS client resolves its host through that same resolver (reqwest's
//! own resolution is replaced by one that refuses), so `--dns-server` covers every lookup.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Once};
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::{RData, RecordType};

use super::{DnsAnswer, DnsType, HttpAnswer};

/// Where and how the live System reaches the network.
#[derive(Debug, Clone)]
pub struct NetworkOptions {
    /// Send every DNS query here instead of to the system's resolvers (`--dns-server`).
    pub dns_server: Option<SocketAddr>,
    /// A PEM file of extra trust anchors for HTTPS (`--ca-file`).
    pub ca_file: Option<PathBuf>,
    /// How long one DNS query or one HTTPS GET may take.
    pub timeout: Duration,
}

impl Default for NetworkOptions {
    fn default() -> Self {
        NetworkOptions {
            dns_server: None,
            ca_file: None,
            timeout: Duration::from_secs(3),
        }
    }
}

/// Parses `--dns-server`: `IP` (port 53) or `IP:PORT` (`[v6]:PORT` for IPv6).
pub fn parse_dns_server(text: &str) -> Result<SocketAddr, String> {
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    text.parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, 53))
        .map_err(|_| format!("`{text}` is not an IP address or IP:PORT"))
}

/// Cuts a text to at most `max_bytes` on a character boundary; true when something was cut.
pub fn cap_text(mut text: String, max_bytes: usize) -> (String, bool) {
    if text.len() <= max_bytes {
        return (text, false);
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    (text, true)
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the network runtime: {e}"))
}

fn resolver(opts: &NetworkOptions) -> Result<TokioResolver, String> {
    let mut builder = match opts.dns_server {
        Some(server) => {
            let mut ns = NameServerConfig::udp_and_tcp(server.ip());
            for c in &mut ns.connections {
                c.port = server.port();
            }
            TokioResolver::builder_with_config(
                ResolverConfig::from_name_servers(vec![ns]),
                TokioRuntimeProvider::default(),
            )
        }
        None => TokioResolver::builder_tokio().map_err(|e| format!("no DNS configuration: {e}"))?,
    };
    let o: &mut ResolverOpts = builder.options_mut();
    o.timeout = opts.timeout;
    o.attempts = 1;
    o.cache_size = 0;
    o.ndots = 0;
    o.use_hosts_file = hickory_resolver::config::ResolveHosts::Never;
    builder.build().map_err(|e| format!("could not set up DNS: {e}"))
}

/// One DNS query, live.
pub fn dns(opts: &NetworkOptions, name: &str, kind: DnsType) -> DnsAnswer {
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(error) => return DnsAnswer::Failed { error },
    };
    rt.block_on(async {
        let resolver = match resolver(opts) {
            Ok(r) => r,
            Err(error) => return DnsAnswer::Failed { error },
        };
        let fqdn = if name.ends_with('.') {
            name.to_string()
        } else {
            format!("{name}.")
        };
        let query = resolver.lookup(fqdn.as_str(), record_type(kind));
        // The resolver's own timeout covers each attempt; this bounds the whole query.
        match tokio::time::timeout(opts.timeout + Duration::from_millis(500), query).await {
            Err(_) => DnsAnswer::TimedOut,
            Ok(Ok(lookup)) => {
                let records: Vec<String> = lookup
                    .answers()
                    .iter()
                    .filter(|r| r.record_type() == record_type(kind))
                    .map(|r| present(&r.data))
                    .collect();
                if records.is_empty() {
                    DnsAnswer::NoRecords
                } else {
                    DnsAnswer::Records { records }
                }
            }
            Ok(Err(e)) if e.is_nx_domain() => DnsAnswer::NxDomain,
            Ok(Err(e)) if e.is_no_records_found() => DnsAnswer::NoRecords,
            Ok(Err(e)) if e.to_string().contains("timed out") || e.to_string().contains("timeout") => {
                DnsAnswer::TimedOut
            }
            Ok(Err(e)) => DnsAnswer::Failed { error: e.to_string() },
        }
    })
}

fn record_type(kind: DnsType) -> RecordType {
    match kind {
        DnsType::A => RecordType::A,
        DnsType::Aaaa => RecordType::AAAA,
        DnsType::Mx => RecordType::MX,
        DnsType::Txt => RecordType::TXT,
        DnsType::Tlsa => RecordType::TLSA,
    }
}

/// A record in the form [`DnsAnswer::Records`] documents.
fn present(data: &RData) -> String {
    match data {
        // A TXT record is one or more strings that together make the value (RFC 7208 §3.3).
        RData::TXT(txt) => txt.txt_data.iter().map(|s| String::from_utf8_lossy(s)).collect(),
        other => other.to_string(),
    }
}

/// Installs rustls's `ring` provider as the process default, once (reqwest is built without a
/// provider of its own, so that aws-lc and its C build are not needed).
fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // An error means another part of the process installed one first: that one is used.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// reqwest's name resolution, replaced: every name the client needs is resolved beforehand through
/// [`dns`] and given to it as an override, so anything else is refused rather than looked up
/// behind the user's `--dns-server`.
struct RefuseLookups;

impl reqwest::dns::Resolve for RefuseLookups {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let message = format!("{} was not resolved beforehand", name.as_str());
        Box::pin(async move { Err(message.into()) })
    }
}

/// One HTTPS GET, live: certificates checked against the system's roots plus `--ca-file`, no
/// redirects followed, no proxy, the body read up to `max_bytes` and no further.
pub fn https_get(opts: &NetworkOptions, url: &str, max_bytes: usize) -> HttpAnswer {
    let failed = |error: String| HttpAnswer::Failed { error };
    let parsed = match reqwest::Url::parse(url) {
        Ok(u) if u.scheme() == "https" => u,
        Ok(_) => return failed(format!("{url} is not an https:// address")),
        Err(e) => return failed(format!("{url}: {e}")),
    };
    let Some(host) = parsed.host_str().map(str::to_string) else {
        return failed(format!("{url} has no host"));
    };
    let port = parsed.port_or_known_default().unwrap_or(443);
    let addrs = match resolve_host(opts, &host, port) {
        Ok(addrs) => addrs,
        Err(error) => return failed(error),
    };
    install_crypto_provider();
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(opts.timeout)
        .https_only(true)
        .dns_resolver(Arc::new(RefuseLookups))
        .resolve_to_addrs(&host, &addrs);
    if let Some(path) = &opts.ca_file {
        let pem = match std::fs::read(path) {
            Ok(pem) => pem,
            Err(e) => return failed(format!("cannot read --ca-file {}: {e}", path.display())),
        };
        match reqwest::Certificate::from_pem_bundle(&pem) {
            Ok(certs) if !certs.is_empty() => builder = builder.tls_certs_merge(certs),
            _ => return failed(format!("--ca-file {}: no PEM certificate in it", path.display())),
        }
    }
    let client = match builder.build() {
        Ok(c) => c,
        Err(e) => return failed(format!("could not set up HTTPS: {}", error_chain(&e))),
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(error) => return failed(error),
    };
    rt.block_on(async {
        let mut response = match client.get(parsed).send().await {
            Ok(r) => r,
            Err(e) => return failed(error_chain(&e)),
        };
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let mut body = Vec::new();
        let mut too_large = false;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    body.extend_from_slice(&chunk);
                    if body.len() > max_bytes {
                        too_large = true;
                        body.truncate(max_bytes);
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => return failed(error_chain(&e)),
            }
        }
        let (body, _) = cap_text(String::from_utf8_lossy(&body).into_owned(), max_bytes);
        HttpAnswer::Response {
            status,
            body,
            too_large,
            location,
        }
    })
}

/// The addresses of `host` through [`dns`] (A, then AAAA), with `port`.
fn resolve_host(opts: &NetworkOptions, host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let mut addrs = Vec::new();
    let mut why = Vec::new();
    for kind in [DnsType::A, DnsType::Aaaa] {
        match dns(opts, host, kind) {
            DnsAnswer::Records { records } => addrs.extend(
                records
                    .iter()
                    .filter_map(|r| r.parse::<IpAddr>().ok())
                    .map(|ip| SocketAddr::new(ip, port)),
            ),
            DnsAnswer::NxDomain => return Err(format!("{host} does not exist (NXDOMAIN)")),
            DnsAnswer::NoRecords => {}
            // A server that did not answer A will not answer AAAA in time either.
            DnsAnswer::TimedOut => return Err(format!("{kind} lookup of {host} timed out")),
            DnsAnswer::Failed { error } => why.push(format!("{kind} lookup of {host} failed: {error}")),
        }
    }
    if addrs.is_empty() {
        Err(if why.is_empty() {
            format!("{host} has no address")
        } else {
            why.join("; ")
        })
    } else {
        Ok(addrs)
    }
}

/// An error with its causes: reqwest's top-level message alone ("error sending request") hides
/// the certificate error a person needs to see.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_servers_parse_with_and_without_a_port() {
        assert_eq!(parse_dns_server("127.0.0.1").unwrap(), "127.0.0.1:53".parse().unwrap());
        assert_eq!(
            parse_dns_server("127.0.0.1:5353").unwrap(),
            "127.0.0.1:5353".parse().unwrap()
        );
        assert_eq!(parse_dns_server("[::1]:53").unwrap(), "[::1]:53".parse().unwrap());
        assert_eq!(parse_dns_server("::1").unwrap(), "[::1]:53".parse().unwrap());
        assert!(parse_dns_server("dns.example").is_err());
    }

    #[test]
    fn text_is_cut_on_a_character_boundary() {
        assert_eq!(cap_text("abc".into(), 5), ("abc".into(), false));
        assert_eq!(cap_text("aé".into(), 2), ("a".into(), true));
    }
}
