//! ## What it checks
//! The ICO registration recorded in the profile: a well-formed number and an expiry date that is
//! not near or past; or a recorded exemption with its reason. With `--ico-register FILE`, the
//! entry in the user's own copy of the ICO's register is compared with the profile.
//!
//! ## Why it matters
//! Anyone who keeps client information on a computer must pay the ICO's data protection fee
//! every year; not paying can bring a fine of up to £4,000.

use jiff::civil::Date;
use regex::Regex;
use std::sync::LazyLock;

use super::{Basis, Check, CheckContext, Outcome, ThresholdKind, ThresholdSpec, ThresholdValue};
use crate::dates::today;
use crate::ico_register::{self, RegisterEntry};
use crate::profile::Ico;
use crate::status::Status;
use crate::system::OsFamily;

pub struct IcoRegistration;

/// Tool choice, stated in the policy: a month leaves time to pay before the registration lapses.
pub const WARN_DAYS: ThresholdSpec = ThresholdSpec {
    name: "warn_days",
    kind: ThresholdKind::Days,
    default: ThresholdValue::Count(30),
    meaning: "warn when the registration expires within this many days",
};

/// `Z` and 7 digits, or `Z`, a letter and 6 digits (GUIDANCE.md, "ICO data protection fee").
static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^Z(\d{7}|[A-Z]\d{6})$").expect("valid regex"));

/// True for a number of the ICO's form (already in capitals).
pub fn is_valid_number(number: &str) -> bool {
    NUMBER.is_match(number)
}

/// Where to check an entry, and to renew.
pub fn entry_url(number: &str) -> String {
    format!("https://ico.org.uk/ESDWebPages/Entry/{number}")
}
pub const FEE_URL: &str = "https://ico.org.uk/for-organisations/data-protection-fee/";

impl Check for IcoRegistration {
    fn id(&self) -> &str {
        "ico-registration"
    }

    fn supported_os(&self) -> &[OsFamily] {
        &OsFamily::ALL
    }

    fn thresholds(&self) -> &[ThresholdSpec] {
        std::slice::from_ref(&WARN_DAYS)
    }

    fn basis(&self) -> Basis {
        Basis::You
    }

    fn run(&self, ctx: &CheckContext<'_>) -> Outcome {
        let warn_days = ctx.threshold(&WARN_DAYS) as i64;
        let register = |number: &str| {
            ctx.ico_register
                .map(|path| (path.display().to_string(), ico_register::find(path, number)))
        };
        let mut out = judge(ctx.profile.ico.as_ref(), today(ctx.system), warn_days, &register);
        out.confirmed_on = ctx.profile.ico.as_ref().and_then(|i| i.recorded);
        out
    }
}

type RegisterLookup<'a> = dyn Fn(&str) -> Option<(String, Result<Option<RegisterEntry>, String>)> + 'a;

/// The verdict on the profile's ICO entry `today`, compared with the register when one is given.
pub fn judge(ico: Option<&Ico>, today: Date, warn_days: i64, register: &RegisterLookup<'_>) -> Outcome {
    let out =
        |status, reason: &str, summary: String| Outcome::new(status, format!("ico-registration.{reason}"), summary);
    let Some(ico) = ico else {
        return out(
            Status::Fail,
            "missing",
            "No ICO registration is recorded. Register (or renew) with the ICO, then run `confide init` to record the number and expiry date.".into(),
        );
    };
    if let Some(reason) = &ico.exempt {
        return out(
            Status::Pass,
            "exempt",
            format!("You recorded that you are exempt from the ICO fee: {reason}"),
        )
        .with_evidence([format!("exemption recorded in your profile: {reason}")]);
    }
    let Some(written) = ico.number.as_deref().map(str::trim).filter(|n| !n.is_empty()) else {
        return out(
            Status::Fail,
            "missing",
            "No ICO registration number is recorded: run `confide init` to add it.".into(),
        );
    };
    let number = written.to_uppercase();
    let mut evidence = vec![format!("registration number {number} in your profile")];
    if number != written {
        evidence.push(format!("written as `{written}` (the ICO writes numbers in capitals)"));
    }
    if !is_valid_number(&number) {
        return out(
            Status::Fail,
            "malformed",
            format!("`{written}` is not an ICO registration number: they are Z and 7 digits (Z1234567) or Z, a letter and 6 digits (ZA123456). Check your ICO certificate and run `confide init`."),
        )
        .with_evidence(evidence);
    }
    let Some(expires) = ico.expires else {
        return out(
            Status::Warn,
            "no-expiry",
            format!("Registration {number} has no expiry date recorded: find it on {} and run `confide init --ico-expiry YYYY-MM-DD`.", entry_url(&number)),
        )
        .with_evidence(evidence);
    };
    evidence.push(format!("expiry date {expires} in your profile"));
    let left = (expires - today).get_days() as i64;
    let mut verdict = if left < 0 {
        out(
            Status::Fail,
            "expired",
            format!("Your ICO registration {number} expired on {expires}. Renew it now: {FEE_URL}"),
        )
    } else if left <= warn_days {
        out(
            Status::Warn,
            "expiring",
            format!("Your ICO registration {number} expires on {expires}, in {left} days. Renew it: {FEE_URL}"),
        )
    } else {
        out(
            Status::Pass,
            "current",
            format!("Registered with the ICO as {number} until {expires}."),
        )
    };

    if let Some((file, found)) = register(&number) {
        match found {
            Err(why) => {
                verdict = out(
                    Status::Unknown,
                    "register-unreadable",
                    format!("Could not compare with the register copy: {why}"),
                );
            }
            Ok(None) => {
                if verdict.status == Status::Pass {
                    verdict = out(
                        Status::Warn,
                        "not-in-register",
                        format!(
                            "{number} is not in the register copy {file}: check the number on {}.",
                            entry_url(&number)
                        ),
                    );
                }
            }
            Ok(Some(entry)) => {
                evidence.push(format!(
                    "register copy {file}: {} \"{}\", ends {}{}",
                    entry.number,
                    entry.name,
                    entry.end_text,
                    entry.tier.as_deref().map(|t| format!(", {t}")).unwrap_or_default()
                ));
                let mut differences = Vec::new();
                if entry.end != Some(expires) {
                    differences.push(format!(
                        "the register's end date is {}, your profile says {expires}",
                        entry.end_text
                    ));
                }
                if let Some(name) = &ico.name
                    && !name.trim().eq_ignore_ascii_case(entry.name.trim())
                {
                    differences.push(format!(
                        "the register's name is \"{}\", your profile says \"{}\"",
                        entry.name,
                        name.trim()
                    ));
                }
                if let Some(end) = entry.end
                    && end < today
                {
                    verdict = out(
                        Status::Fail,
                        "expired",
                        format!("The register shows {number} ended on {end}. Renew it now: {FEE_URL}"),
                    );
                } else if !differences.is_empty() && verdict.status == Status::Pass {
                    verdict = out(
                        Status::Warn,
                        "register-differs",
                        format!(
                            "Your profile and the register differ: {}. Check {} and update your profile.",
                            differences.join("; "),
                            entry_url(&number)
                        ),
                    );
                }
            }
        }
    }
    verdict.with_evidence(evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ico(number: &str, expires: Option<Date>) -> Ico {
        Ico {
            number: Some(number.into()),
            expires,
            ..Ico::default()
        }
    }

    fn no_register(_: &str) -> Option<(String, Result<Option<RegisterEntry>, String>)> {
        None
    }

    #[test]
    fn number_formats() {
        let today = date(2026, 11, 22);
        let later = Some(date(2027, 6, 1));
        let cases = [
            ("Z1234567", Status::Pass, "ico-registration.current"),
            ("ZA081798", Status::Pass, "ico-registration.current"),
            ("za081798", Status::Pass, "ico-registration.current"),
            ("Z123456", Status::Fail, "ico-registration.malformed"),
            ("Z12345678", Status::Fail, "ico-registration.malformed"),
            ("A1234567", Status::Fail, "ico-registration.malformed"),
            ("ZAB12345", Status::Fail, "ico-registration.malformed"),
            ("", Status::Fail, "ico-registration.missing"),
        ];
        for (number, status, reason) in cases {
            let o = judge(Some(&ico(number, later)), today, 30, &no_register);
            assert_eq!(
                (o.status, o.reason.as_str()),
                (status, reason),
                "{number}: {}",
                o.summary
            );
        }
    }

    #[test]
    fn expiry_at_31_30_0_and_minus_1_days() {
        let today = date(2026, 11, 22);
        for (days, status) in [
            (31, Status::Pass),
            (30, Status::Warn),
            (0, Status::Warn),
            (-1, Status::Fail),
        ] {
            let expires = today.checked_add(jiff::Span::new().days(days)).unwrap();
            let o = judge(Some(&ico("Z1234567", Some(expires))), today, 30, &no_register);
            assert_eq!(o.status, status, "{days} days: {}", o.summary);
            if status != Status::Pass {
                assert!(
                    o.summary.contains(&expires.to_string()),
                    "names the date: {}",
                    o.summary
                );
            }
        }
    }

    #[test]
    fn missing_and_exempt() {
        let today = date(2026, 11, 22);
        assert_eq!(judge(None, today, 30, &no_register).status, Status::Fail);
        let exempt = Ico {
            exempt: Some("paper records only".into()),
            ..Ico::default()
        };
        let o = judge(Some(&exempt), today, 30, &no_register);
        assert_eq!(o.status, Status::Pass);
        assert!(o.summary.contains("paper records only"));
        assert_eq!(
            judge(Some(&ico("Z1234567", None)), today, 30, &no_register).status,
            Status::Warn
        );
    }
}
