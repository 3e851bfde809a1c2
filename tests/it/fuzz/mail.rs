//! The mail-domain records (MTA-STS policy and record, SPF, DMARC, TLS-RPT, TLSA, MX) on
//! arbitrary text and on the RFCs' own examples damaged: never a panic, never an enforced policy
//! that the text does not say, and an error short enough to read in a report.

use confide::checks::mail_encryption::{
    Spf, StsMode, is_sts_record, mx_matches, parse_dmarc, parse_mx, parse_spf, parse_sts_policy, parse_sts_record,
    parse_tlsa, parse_tlsrpt,
};
use proptest::prelude::*;

use super::{cases, mutate, mutations, soup};

/// The examples the RFCs give, and records seen on real domains (the Proton and Google ones the
/// mail-encryption tests serve).
const RECORDS: &[&str] = &[
    // RFC 8461 §3.2
    "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmx: backupmx.example.com\nmax_age: 604800\n",
    "version: STSv1\r\nmode: testing\r\nmx: mail.protonmail.ch\r\nmx: mailsec.protonmail.ch\r\nmax_age: 604800\r\n",
    // RFC 8461 §3.1
    "v=STSv1; id=20160831085700Z;",
    // RFC 8460 §3
    "v=TLSRPTv1;rua=mailto:reports@example.com",
    // RFC 7208 §A and a provider's record
    "v=spf1 +mx a:colo.example.com/28 -all",
    "v=spf1 include:_spf.google.com ~all",
    // RFC 7489 §B.2.1
    "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com",
    "v=DMARC1; p=quarantine",
    // RFC 7671 style DANE-EE TLSA; an MX as hickory prints it
    "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6",
    "10 mail.protonmail.ch.",
];

fn record() -> impl Strategy<Value = String> {
    prop_oneof![
        soup(),
        (0..RECORDS.len(), mutations()).prop_map(|(i, m)| mutate(RECORDS[i], &m)),
    ]
}

#[test]
fn a_long_line_in_a_policy_or_record_is_quoted_cut_in_the_error() {
    // Found by the property below: a 64 kB one-line answer was quoted whole in the evidence.
    let long = "a".repeat(70_000);
    for why in [
        parse_sts_policy(&long).unwrap_err(),
        parse_sts_record(&long).unwrap_err(),
    ] {
        assert!(why.chars().count() < 120 && why.contains("aaa…"), "{why}");
    }
    assert_eq!(
        parse_sts_policy("version: STSv1\nmode: strict\n").unwrap_err(),
        "unknown mode `strict`"
    );
}

proptest! {
    #![proptest_config(cases(1024))]

    #[test]
    fn mail_records_never_panic_and_say_only_what_the_text_says(text in record(), more in prop::collection::vec(record(), 0..3)) {
        match parse_sts_policy(&text) {
            Ok(p) => {
                prop_assert!(text.contains("STSv1"));
                if p.mode == StsMode::Enforce {
                    prop_assert!(text.contains("enforce"));
                }
                for mx in &p.mx {
                    prop_assert!(text.to_ascii_lowercase().contains(mx.as_str()), "{mx} not in {text:?}");
                    let _ = mx_matches(mx, "mail.example.com");
                    let _ = mx_matches(&text, mx);
                }
            }
            Err(why) => prop_assert!(why.chars().count() < 200, "{} characters: {why}", why.chars().count()),
        }
        if let Err(why) = parse_sts_record(&text) {
            prop_assert!(why.chars().count() < 200, "{} characters: {why}", why.chars().count());
        }
        let _ = is_sts_record(&text);
        let _ = parse_tlsrpt(&text);
        if let Some(p) = parse_dmarc(&text) {
            prop_assert!(text.contains("DMARC1"));
            prop_assert!(text.to_ascii_lowercase().contains(&p), "{p} not in {text:?}");
        }
        let _ = parse_tlsa(&text);
        let _ = parse_mx(&text);
        let mut all = vec![text.clone()];
        all.extend(more);
        if let Spf::One { record, .. } = parse_spf(&all) {
            prop_assert!(all.contains(&record));
        }
    }
}
