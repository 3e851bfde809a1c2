//! mail-encryption: parsers over real record texts and properties, then the whole check against
//! real servers on loopback started here: a DNS server (hickory-proto messages over UDP) and an
//! HTTPS server (axum-server with rustls, certificates from a test CA made with rcgen).
#![allow(clippy::disallowed_methods)] // tests start servers, read their environment and time themselves

use crate::common;

use std::collections::{BTreeMap, HashMap};
use std::net::{SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use confide::checks::mail_encryption::{
    MTA_STS_PORT_ENV, MailEncryption, Spf, StsMode, mx_matches, parse_dmarc, parse_mx, parse_spf, parse_sts_policy,
    parse_sts_record, parse_tlsa, parse_tlsrpt,
};
use confide::checks::{Check, CheckContext, Outcome, ThresholdValue};
use confide::profile::Profile;
use confide::status::Status;
use confide::system::exec::ExecLimits;
use confide::system::live::LiveSystem;
use confide::system::net::NetworkOptions;
use confide::system::{CommandOutput, DnsAnswer, DnsType, FileRead, HostInfo, HttpAnswer, OsInfo, ProcessInfo, System};
use hickory_proto::op::{Message, ResponseCode};
use hickory_proto::rr::rdata::tlsa::{CertUsage, Matching, Selector};
use hickory_proto::rr::rdata::{A, MX, TLSA, TXT};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Parsers

/// RFC 8461 §3.2's example policy.
const RFC_8461_POLICY: &str = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmx: backupmx.example.com\nmax_age: 604800\n";

/// Mimecast's published policy as quoted in their mta-sts library's tests (CRLF line ends).
const MIMECAST_POLICY: &str = "version: STSv1\r\nmode: enforce\r\nmx: service-alpha-inbound-a.mimecast.com\r\nmx: service-alpha-inbound-b.mimecast.com\r\nmax_age: 86400\r\n";

#[test]
fn real_mta_sts_policies_parse() {
    let p = parse_sts_policy(RFC_8461_POLICY).unwrap();
    assert_eq!(p.mode, StsMode::Enforce);
    assert_eq!(p.max_age, 604_800);
    assert_eq!(p.mx, ["mail.example.com", "*.example.net", "backupmx.example.com"]);
    let p = parse_sts_policy(MIMECAST_POLICY).unwrap();
    assert_eq!(p.mx.len(), 2);
    assert!(parse_sts_policy("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 31557601\n").is_err());
    assert!(parse_sts_policy("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n").is_err());
    assert!(parse_sts_policy("<html>Not found</html>").is_err());
    assert!(
        parse_sts_policy("version: STSv1\nmode: enforce\nmax_age: 86400\n").is_err(),
        "no mx"
    );
}

#[test]
fn mta_sts_records_parse() {
    // RFC 8461 §3.1's example record, and one published for a Microsoft 365 domain (aamukorva.fi).
    assert_eq!(
        parse_sts_record("v=STSv1; id=20160831085700Z;").unwrap(),
        "20160831085700Z"
    );
    assert_eq!(parse_sts_record("v=STSv1; id=202211231428;").unwrap(), "202211231428");
    assert!(parse_sts_record("id=1; v=STSv1").is_err(), "v must come first");
    assert!(parse_sts_record("v=STSv1;").is_err(), "no id");
    assert!(parse_sts_record("v=STSv1; id=not-alnum").is_err());
}

#[test]
fn wildcards_match_exactly_one_label() {
    // RFC 8461 §4.1's own examples.
    assert!(mx_matches("*.example.com", "mx1.example.com"));
    assert!(!mx_matches("*.example.com", "mx1.sub.example.com"));
    assert!(!mx_matches("*.example.com", "example.com"));
    assert!(mx_matches("mail.example.com", "MAIL.example.com."));
}

#[test]
fn tlsrpt_spf_dmarc_tlsa_and_mx_parse() {
    // RFC 8460 §3's example.
    assert_eq!(
        parse_tlsrpt("v=TLSRPTv1; rua=mailto:reports@example.com").as_deref(),
        Some("mailto:reports@example.com")
    );
    assert_eq!(parse_tlsrpt("v=TLSRPTv1;"), None);
    // Mailfence's published SPF values (kb.mailfence.com, anti-spoofing guide).
    let spf = |r: &[&str]| parse_spf(&r.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert!(matches!(
        spf(&["v=spf1 include:_spf.mailfence.com ~all"]),
        Spf::One { all: Some('~'), .. }
    ));
    assert!(matches!(
        spf(&["v=spf1 include:_spf.mailfence.com all"]),
        Spf::One { all: Some('+'), .. }
    ));
    assert!(matches!(spf(&["v=spf1 -all", "v=spf1 ~all"]), Spf::Several));
    assert!(matches!(spf(&["google-site-verification=abc"]), Spf::Missing));
    // RFC 7489 §B.2.1's example record.
    assert_eq!(
        parse_dmarc("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com").as_deref(),
        Some("none")
    );
    assert_eq!(parse_dmarc("v=DMARC1; p=Reject").as_deref(), Some("reject"));
    assert_eq!(parse_dmarc("p=reject; v=DMARC1"), None);
    // RFC 7671 style DANE-EE record.
    assert_eq!(
        parse_tlsa("3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6"),
        Some((3, 1, 1))
    );
    assert_eq!(parse_tlsa("3 1 1"), None);
    assert_eq!(
        parse_mx("10 mail.protonmail.ch."),
        Some((10, "mail.protonmail.ch".into()))
    );
    assert_eq!(parse_mx("mail.protonmail.ch."), None);
}

proptest! {
    #[test]
    fn parsers_never_panic(text in "\\PC{0,200}") {
        let _ = parse_sts_policy(&text);
        let _ = parse_sts_record(&text);
        let _ = parse_tlsrpt(&text);
        let _ = parse_dmarc(&text);
        let _ = parse_tlsa(&text);
        let _ = parse_mx(&text);
        let _ = parse_spf(std::slice::from_ref(&text));
    }

    #[test]
    fn a_written_policy_reads_back(
        mode in prop::sample::select(vec!["enforce", "testing", "none"]),
        hosts in prop::collection::vec("[a-z][a-z0-9]{0,10}(\\.[a-z][a-z0-9]{0,10}){1,3}", 1..5),
        max_age in 0u64..=31_557_600,
        crlf in any::<bool>(),
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("version: STSv1{nl}mode: {mode}{nl}");
        for h in &hosts { text.push_str(&format!("mx: {h}{nl}")); }
        text.push_str(&format!("max_age: {max_age}{nl}"));
        let p = parse_sts_policy(&text).unwrap();
        prop_assert_eq!(p.max_age, max_age);
        prop_assert_eq!(p.mx, hosts.clone());
        for h in &hosts {
            prop_assert!(mx_matches(h, h));
            let wildcard = format!("*.{}", h.split_once('.').unwrap().1);
            let sub = format!("x.{h}");
            prop_assert!(mx_matches(&wildcard, h));
            prop_assert!(!mx_matches(&wildcard, &sub));
        }
    }

    #[test]
    fn the_spf_all_qualifier_is_read(q in prop::sample::select(vec!['-', '~', '?', '+'])) {
        let record = format!("v=spf1 include:_spf.google.com {q}all");
        prop_assert_eq!(parse_spf(std::slice::from_ref(&record)), Spf::One { record, all: Some(q) });
    }
}

// ---------------------------------------------------------------------------------------------
// A DNS server on loopback

type Zone = HashMap<(String, RecordType), Vec<RData>>;

fn name(n: &str) -> Name {
    Name::from_str(&format!("{}.", n.trim_end_matches('.'))).unwrap()
}

fn txt(s: &str) -> RData {
    RData::TXT(TXT::new(vec![s.to_string()]))
}

fn mx(pref: u16, host: &str) -> RData {
    RData::MX(MX::new(pref, name(host)))
}

fn a_local() -> RData {
    RData::A(A::new(127, 0, 0, 1))
}

/// The zone the tests serve. Each test domain is one scenario.
fn zone() -> Zone {
    let mut z: Zone = HashMap::new();
    let mut add = |n: &str, t: RecordType, d: RData| z.entry((n.to_string(), t)).or_default().push(d);
    let sts = "v=STSv1; id=20261122T1200;";
    // A Proton-hosted domain.
    add("proton.test", RecordType::MX, mx(10, "mail.protonmail.ch"));
    add("proton.test", RecordType::MX, mx(20, "mailsec.protonmail.ch"));
    add(
        "proton.test",
        RecordType::TXT,
        txt("v=spf1 include:_spf.protonmail.ch ~all"),
    );
    add("_dmarc.proton.test", RecordType::TXT, txt("v=DMARC1; p=quarantine"));
    add(
        "_25._tcp.mail.protonmail.ch",
        RecordType::TLSA,
        RData::TLSA(TLSA::new(
            CertUsage::from(3),
            Selector::from(1),
            Matching::from(1),
            vec![0xab; 32],
        )),
    );
    // Google Workspace with MTA-STS enforce, TLS-RPT, SPF and DMARC reject.
    add("gws.test", RecordType::MX, mx(1, "smtp.google.com"));
    add("gws.test", RecordType::TXT, txt("v=spf1 include:_spf.google.com ~all"));
    add("_dmarc.gws.test", RecordType::TXT, txt("v=DMARC1; p=reject"));
    add(
        "_smtp._tls.gws.test",
        RecordType::TXT,
        txt("v=TLSRPTv1; rua=mailto:tls@gws.test"),
    );
    add("_mta-sts.gws.test", RecordType::TXT, txt(sts));
    add("mta-sts.gws.test", RecordType::A, a_local());
    // Microsoft 365 without MTA-STS.
    add(
        "m365.test",
        RecordType::MX,
        mx(0, "m365-test.mail.protection.outlook.com"),
    );
    add(
        "m365.test",
        RecordType::TXT,
        txt("v=spf1 include:spf.protection.outlook.com -all"),
    );
    // MTA-STS problems, each on a domain of its own with a plain MX.
    for d in [
        "notfound.test",
        "wrongname.test",
        "redirect.test",
        "mismatch.test",
        "big.test",
    ] {
        add(d, RecordType::MX, mx(10, &format!("mail.{d}")));
        add(&format!("_mta-sts.{d}"), RecordType::TXT, txt(sts));
        add(&format!("mta-sts.{d}"), RecordType::A, a_local());
    }
    z
}

/// Answers queries from `zone` on a UDP socket of its own, forever.
fn start_dns(zone: Zone) -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            let Ok((len, from)) = socket.recv_from(&mut buf) else {
                continue;
            };
            let Ok(query) = Message::from_vec(&buf[..len]) else {
                continue;
            };
            let mut reply = Message::response(query.metadata.id, query.metadata.op_code);
            reply.metadata.recursion_desired = query.metadata.recursion_desired;
            reply.metadata.recursion_available = true;
            reply.metadata.authoritative = true;
            if let Some(q) = query.queries.first() {
                reply.add_query(q.clone());
                let qname = q.name().to_ascii().trim_end_matches('.').to_ascii_lowercase();
                let exists = zone.keys().any(|(n, _)| *n == qname);
                match zone.get(&(qname.clone(), q.query_type())) {
                    Some(data) => {
                        for d in data {
                            reply.add_answer(Record::from_rdata(q.name().clone(), 60, d.clone()));
                        }
                    }
                    None if exists => {}
                    None => reply.metadata.response_code = ResponseCode::NXDomain,
                }
            }
            let _ = socket.send_to(&reply.to_vec().unwrap(), from);
        }
    });
    addr
}

// ---------------------------------------------------------------------------------------------
// An HTTPS server on loopback, with a test CA

struct Servers {
    dns: SocketAddr,
    https_port: u16,
    ca_file: PathBuf,
    _dir: tempfile::TempDir,
}

/// The policy each test domain serves, by the Host header.
fn policy_for(host: &str) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let domain = host.split(':').next().unwrap_or("").trim_start_matches("mta-sts.");
    match domain {
        "gws.test" => "version: STSv1\nmode: enforce\nmx: smtp.google.com\nmax_age: 86400\n".into_response(),
        "notfound.test" => (StatusCode::NOT_FOUND, "not found").into_response(),
        "redirect.test" => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, "https://elsewhere.test/.well-known/mta-sts.txt")],
            "moved",
        )
            .into_response(),
        "mismatch.test" => "version: STSv1\nmode: enforce\nmx: mx.other.test\nmax_age: 86400\n".into_response(),
        "big.test" => {
            let mut body = String::from("version: STSv1\nmode: enforce\nmx: mail.big.test\nmax_age: 86400\n");
            body.push_str(&"#".repeat(10 * 1024 * 1024));
            body.into_response()
        }
        // wrongname.test is never reached: its certificate does not name it.
        _ => (StatusCode::NOT_FOUND, "unknown host").into_response(),
    }
}

fn servers() -> &'static Servers {
    static SERVERS: OnceLock<Servers> = OnceLock::new();
    SERVERS.get_or_init(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().unwrap();
        // A test CA, and one server certificate naming every policy host except wrongname.test's.
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "confide test CA");
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let names: Vec<String> = [
            "gws.test",
            "notfound.test",
            "redirect.test",
            "mismatch.test",
            "big.test",
        ]
        .iter()
        .map(|d| format!("mta-sts.{d}"))
        .collect();
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(names)
            .unwrap()
            .signed_by(&key, &issuer)
            .unwrap();
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, ca_cert.pem()).unwrap();

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let https_port = listener.local_addr().unwrap().port();
        let (cert_pem, key_pem) = (cert.pem().into_bytes(), key.serialize_pem().into_bytes());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async move {
                let config = axum_server::tls_rustls::RustlsConfig::from_pem(cert_pem, key_pem)
                    .await
                    .unwrap();
                let app = axum::Router::new().fallback(|headers: axum::http::HeaderMap| async move {
                    let host = headers
                        .get(axum::http::header::HOST)
                        .and_then(|h| h.to_str().ok())
                        .unwrap_or("")
                        .to_string();
                    policy_for(&host)
                });
                axum_server::from_tcp_rustls(listener, config)
                    .unwrap()
                    .serve(app.into_make_service())
                    .await
                    .unwrap();
            });
        });
        Servers {
            dns: start_dns(zone()),
            https_port,
            ca_file,
            _dir: dir,
        }
    })
}

/// The live System with the test's DNS server and CA, and the test's MTA-STS port in its
/// environment (set here rather than in the process, which other tests share).
struct TestSystem {
    live: LiveSystem,
    port: Option<u16>,
}

impl System for TestSystem {
    fn os(&self) -> &OsInfo {
        self.live.os()
    }
    fn host(&self) -> &HostInfo {
        self.live.host()
    }
    fn run(&self, program: &str, args: &[&str]) -> CommandOutput {
        self.live.run(program, args)
    }
    fn read_file(&self, path: &str) -> FileRead {
        self.live.read_file(path)
    }
    fn read_file_head(&self, path: &str, max_bytes: usize) -> FileRead {
        self.live.read_file_head(path, max_bytes)
    }
    fn modified(&self, path: &str) -> Option<jiff::Timestamp> {
        self.live.modified(path)
    }
    fn processes(&self) -> Vec<ProcessInfo> {
        self.live.processes()
    }
    fn env(&self, name: &str) -> Option<String> {
        if name == MTA_STS_PORT_ENV {
            self.port.map(|p| p.to_string())
        } else {
            self.live.env(name)
        }
    }
    fn now(&self) -> jiff::Timestamp {
        self.live.now()
    }
    fn boot_time(&self) -> Option<jiff::Timestamp> {
        self.live.boot_time()
    }
    fn command_timeout(&self) -> Duration {
        self.live.command_timeout()
    }
    fn dns(&self, name: &str, kind: DnsType) -> DnsAnswer {
        self.live.dns(name, kind)
    }
    fn https_get(&self, url: &str, max_bytes: usize) -> HttpAnswer {
        self.live.https_get(url, max_bytes)
    }
}

fn system_with(dns: SocketAddr) -> TestSystem {
    let s = servers();
    TestSystem {
        live: LiveSystem::new(ExecLimits::default()).with_network(NetworkOptions {
            dns_server: Some(dns),
            ca_file: Some(s.ca_file.clone()),
            timeout: Duration::from_secs(2),
        }),
        port: Some(s.https_port),
    }
}

fn run_with(system: &dyn System, emails: &[&str], thresholds: &[(&str, ThresholdValue)], offline: bool) -> Outcome {
    let thresholds: BTreeMap<String, ThresholdValue> = thresholds.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    let profile = Profile {
        emails: emails.iter().map(|e| e.to_string()).collect(),
        ..Profile::default()
    };
    MailEncryption.run(&CheckContext {
        system,
        thresholds: &thresholds,
        offline,
        profile: &profile,
        ico_register: None,
    })
}

fn check(email: &str) -> Outcome {
    let system = system_with(servers().dns);
    run_with(&system, &[email], &[], false)
}

fn evidence(o: &Outcome) -> String {
    o.evidence.join("\n")
}

#[test]
fn a_proton_hosted_domain_passes() {
    let o = check("therapist@proton.test");
    assert_eq!(
        (o.status, o.reason.as_str()),
        (Status::Pass, "mail-encryption.end-to-end"),
        "{o:#?}"
    );
    assert!(evidence(&o).contains("Proton Mail"), "{o:#?}");
    assert!(evidence(&o).contains("DMARC: p=quarantine"), "{o:#?}");
    assert!(
        evidence(&o).contains("TLSA records present for _25._tcp.mail.protonmail.ch but not validated"),
        "DANE is listed but not counted without DNSSEC validation: {o:#?}"
    );
}

#[test]
fn google_workspace_with_mta_sts_enforce_warns_as_readable_by_google() {
    let o = check("therapist@gws.test");
    assert_eq!(
        (o.status, o.reason.as_str()),
        (Status::Warn, "mail-encryption.transport-only"),
        "{o:#?}"
    );
    let e = evidence(&o);
    assert!(e.contains("MTA-STS: enforce, every MX matches"), "{e}");
    assert!(e.contains("TLS-RPT: reports go to mailto:tls@gws.test"), "{e}");
    assert!(e.contains("DMARC: p=reject"), "{e}");
    assert!(o.summary.contains("client-side encryption"), "{}", o.summary);
}

#[test]
fn microsoft_365_without_mta_sts_warns_and_names_purview() {
    let o = check("therapist@m365.test");
    assert_eq!(o.status, Status::Warn, "{o:#?}");
    assert!(evidence(&o).contains("MTA-STS: none"), "{o:#?}");
    assert!(o.summary.contains("Purview"), "{}", o.summary);
}

#[test]
fn a_policy_that_is_not_there_fails() {
    let o = check("a@notfound.test");
    assert_eq!(
        (o.status, o.reason.as_str()),
        (Status::Fail, "mail-encryption.broken"),
        "{o:#?}"
    );
    assert!(evidence(&o).contains("HTTP 404"), "{o:#?}");
}

#[test]
fn a_certificate_for_another_name_does_not_validate() {
    let o = check("a@wrongname.test");
    assert_eq!(o.status, Status::Fail, "{o:#?}");
    assert!(evidence(&o).contains("cannot be fetched"), "{o:#?}");
    assert!(evidence(&o).to_lowercase().contains("certificate"), "{o:#?}");
}

#[test]
fn a_redirect_is_not_followed() {
    let o = check("a@redirect.test");
    assert_eq!(o.status, Status::Fail, "{o:#?}");
    assert!(
        evidence(&o).contains("redirects (301) to https://elsewhere.test"),
        "{o:#?}"
    );
}

#[test]
fn an_enforced_policy_that_does_not_list_the_mx_fails() {
    let o = check("a@mismatch.test");
    assert_eq!(o.status, Status::Fail, "{o:#?}");
    assert!(evidence(&o).contains("does not list MX mail.mismatch.test"), "{o:#?}");
}

#[test]
fn a_domain_that_does_not_exist_fails() {
    let o = check("a@nxdomain.test");
    assert_eq!(
        (o.status, o.reason.as_str()),
        (Status::Fail, "mail-encryption.no-domain"),
        "{o:#?}"
    );
}

#[test]
fn a_ten_megabyte_policy_is_cut_and_rejected() {
    let o = check("a@big.test");
    assert_eq!(o.status, Status::Fail, "{o:#?}");
    assert!(evidence(&o).contains("larger than 64 KiB"), "{o:#?}");
}

#[test]
fn several_addresses_give_one_finding_and_the_worst_decides() {
    let system = system_with(servers().dns);
    let o = run_with(
        &system,
        &["a@proton.test", "b@m365.test", "c@nxdomain.test"],
        &[],
        false,
    );
    assert_eq!(o.status, Status::Fail);
    let e = evidence(&o);
    for d in [
        "address at proton.test",
        "address at m365.test",
        "address at nxdomain.test",
    ] {
        assert!(e.contains(d), "{e}");
    }
    assert!(
        !format!("{o:?}").contains("a@proton.test"),
        "reports never print addresses"
    );
}

#[test]
fn requirements_from_the_policy_lower_a_pass() {
    let system = system_with(servers().dns);
    let o = run_with(
        &system,
        &["a@proton.test"],
        &[("require_transport_enforcement", ThresholdValue::Switch(true))],
        false,
    );
    assert_eq!(
        (o.status, o.reason.as_str()),
        (Status::Warn, "mail-encryption.transport-not-enforced")
    );
}

/// A UDP socket that receives but never answers.
fn silent_dns() -> UdpSocket {
    UdpSocket::bind("127.0.0.1:0").unwrap()
}

#[test]
fn a_dns_server_that_never_answers_ends_on_the_bound() {
    let silent = silent_dns();
    let system = system_with(silent.local_addr().unwrap());
    let started = Instant::now();
    let o = run_with(
        &system,
        &["a@gws.test"],
        &[("max_seconds", ThresholdValue::Count(10))],
        false,
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        (o.status, o.reason.as_str()),
        (Status::Unknown, "mail-encryption.lookup-failed"),
        "{o:#?}"
    );
}

#[test]
fn offline_makes_no_request() {
    let silent = silent_dns();
    silent.set_nonblocking(true).unwrap();
    let system = system_with(silent.local_addr().unwrap());
    let o = run_with(&system, &["a@gws.test"], &[], true);
    assert_eq!(
        (o.status, o.reason.as_str()),
        (Status::Skipped, "mail-encryption.offline")
    );
    std::thread::sleep(Duration::from_millis(200));
    let mut buf = [0u8; 512];
    assert!(silent.recv_from(&mut buf).is_err(), "the DNS server received a query");
}

#[test]
fn no_address_is_unknown() {
    let system = system_with(servers().dns);
    let o = run_with(&system, &[], &[], false);
    assert_eq!(
        (o.status, o.reason.as_str()),
        (Status::Unknown, "mail-encryption.no-address")
    );
    assert!(o.summary.contains("confide init --email"));
}

// ---------------------------------------------------------------------------------------------
// The command line, end to end

fn finding(report: &serde_json::Value) -> serde_json::Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "mail-encryption")
        .cloned()
        .unwrap_or_else(|| panic!("no mail-encryption finding in {report:#}"))
}

#[test]
fn scan_checks_an_email_given_on_the_command_line() {
    let s = servers();
    let dir = tempfile::tempdir().unwrap();
    let out = common::confide(dir.path())
        .env(MTA_STS_PORT_ENV, s.https_port.to_string())
        .args([
            "scan",
            "--format",
            "json",
            "--only",
            "mail-encryption",
            "--email",
            "therapist@gws.test",
        ])
        .arg("--dns-server")
        .arg(s.dns.to_string())
        .arg("--ca-file")
        .arg(&s.ca_file)
        .output()
        .unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let f = finding(&report);
    assert_eq!(f["check_status"], "warn", "{f:#}");
    assert!(f.to_string().contains("MTA-STS: enforce, every MX matches"), "{f:#}");
}

#[test]
fn scan_offline_makes_no_request() {
    let silent = silent_dns();
    silent.set_nonblocking(true).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = common::confide(dir.path())
        .args([
            "scan",
            "--offline",
            "--format",
            "json",
            "--only",
            "mail-encryption",
            "--email",
            "a@gws.test",
        ])
        .arg("--dns-server")
        .arg(silent.local_addr().unwrap().to_string())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(finding(&report)["check_status"], "skipped");
    let mut buf = [0u8; 512];
    assert!(silent.recv_from(&mut buf).is_err(), "the DNS server received a query");
}

#[test]
fn answers_replay_from_a_snapshot() {
    use confide::system::record::RecordingSystem;
    use confide::system::replay::ReplaySystem;
    let s = servers();
    let recorder = RecordingSystem::new(LiveSystem::new(ExecLimits::default()).with_network(NetworkOptions {
        dns_server: Some(s.dns),
        ca_file: Some(s.ca_file.clone()),
        timeout: Duration::from_secs(2),
    }));
    let live = run_with(&recorder, &["a@m365.test"], &[], false);
    let snapshot = recorder.snapshot();
    assert!(
        snapshot
            .dns
            .iter()
            .any(|d| d.name == "m365.test" && d.kind == DnsType::Mx)
    );
    let json = serde_json::to_string(&snapshot).unwrap();
    let back: confide::system::snapshot::Snapshot = serde_json::from_str(&json).unwrap();
    let replayed = run_with(&ReplaySystem::new(back), &["a@m365.test"], &[], false);
    assert_eq!(live, replayed);
}
