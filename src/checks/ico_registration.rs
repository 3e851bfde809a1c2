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

use super::kit::{BuiltinCheck, Reason as _, ScanTime, Verdict};
use super::{Basis, CheckContext};
use crate::ico_register::{self, RegisterEntry};
use crate::profile::Ico;
use crate::status::Status;

pub struct IcoRegistration;

crate::limits! {
    /// What the policy may tune.
    pub struct Limits {
        /// Tool choice, stated in the policy: a month leaves time to pay before the registration lapses.
        warn_days: Days = 30, "warn when the registration expires within this many days";
    }
}

crate::reasons! {
    /// Why the verdict is what it is (`ico-registration.<code>`).
    pub enum Reason {
        Missing: Fail "missing" => "No ICO registration number is recorded in your profile.",
        Exempt: Pass "exempt" => "You recorded that you are exempt from the ICO fee, and why.",
        Malformed: Fail "malformed" => "The recorded number is not of the ICO's form (Z and 7 digits, or Z, a letter and 6 digits).",
        NoExpiry: Warn "no-expiry" => "The registration's expiry date is not recorded.",
        Expired: Fail "expired" => "The registration has expired, by your profile or by the register copy.",
        Expiring: Warn "expiring" => "The registration expires within the policy's number of days.",
        Current: Pass "current" => "The registration is current.",
        RegisterUnreadable: Unknown "register-unreadable" => "The register copy given with --ico-register could not be read.",
        NotInRegister: Warn "not-in-register" => "The number is not in the register copy given with --ico-register.",
        RegisterDiffers: Warn "register-differs" => "The register copy and your profile differ (end date or name).",
    }
}

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

/// What the profile says, and what the user's own register copy says of that number.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub ico: Option<Ico>,
    /// The register copy's file name and its entry for the number, when `--ico-register` was given.
    pub register: Option<RegisterLookup>,
}

/// A register copy's file name and its entry for one number (or why it could not be read).
pub type RegisterLookup = (String, Result<Option<RegisterEntry>, String>);

impl BuiltinCheck for IcoRegistration {
    const ID: &'static str = "ico-registration";
    const BASIS: Basis = Basis::You;
    type Limits = Limits;
    type Reason = Reason;
    type Reading = Reading;

    fn read(&self, ctx: &CheckContext<'_>) -> Reading {
        let ico = ctx.profile.ico.clone();
        let number = ico
            .as_ref()
            .and_then(|i| i.number.as_deref())
            .map(|n| n.trim().to_uppercase())
            .filter(|n| is_valid_number(n));
        let register = match (ctx.ico_register, number) {
            (Some(path), Some(number)) => Some((path.display().to_string(), ico_register::find(path, &number))),
            _ => None,
        };
        Reading { ico, register }
    }

    fn judge(&self, reading: Reading, limits: &Limits, at: ScanTime) -> Verdict<Reason> {
        let mut verdict = judge(reading.ico.as_ref(), at.today, limits, reading.register);
        verdict.confirmed_on = reading.ico.as_ref().and_then(|i| i.recorded);
        verdict
    }
}

/// The verdict on the profile's ICO entry `today`, compared with the register when one is given.
pub fn judge(ico: Option<&Ico>, today: Date, limits: &Limits, register: Option<RegisterLookup>) -> Verdict<Reason> {
    let out = |reason: Reason, summary: String| Verdict::new(reason, summary);
    let warn_days = i64::from(limits.warn_days.get());
    let Some(ico) = ico else {
        return out(
            Reason::Missing,
            "No ICO registration is recorded. Register (or renew) with the ICO, then run `confide init` to record the number and expiry date.".into(),
        );
    };
    if let Some(reason) = &ico.exempt {
        return out(
            Reason::Exempt,
            format!("You recorded that you are exempt from the ICO fee: {reason}"),
        )
        .with_evidence([format!("exemption recorded in your profile: {reason}")]);
    }
    let Some(written) = ico.number.as_deref().map(str::trim).filter(|n| !n.is_empty()) else {
        return out(
            Reason::Missing,
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
            Reason::Malformed,
            format!("`{written}` is not an ICO registration number: they are Z and 7 digits (Z1234567) or Z, a letter and 6 digits (ZA123456). Check your ICO certificate and run `confide init`."),
        )
        .with_evidence(evidence);
    }
    let Some(expires) = ico.expires else {
        return out(
            Reason::NoExpiry,
            format!("Registration {number} has no expiry date recorded: find it on {} and run `confide init --ico-expiry YYYY-MM-DD`.", entry_url(&number)),
        )
        .with_evidence(evidence);
    };
    evidence.push(format!("expiry date {expires} in your profile"));
    let left = crate::dates::days_between(today, expires);
    let mut verdict = if left < 0 {
        out(
            Reason::Expired,
            format!("Your ICO registration {number} expired on {expires}. Renew it now: {FEE_URL}"),
        )
    } else if left <= warn_days {
        out(
            Reason::Expiring,
            format!("Your ICO registration {number} expires on {expires}, in {left} days. Renew it: {FEE_URL}"),
        )
    } else {
        out(
            Reason::Current,
            format!("Registered with the ICO as {number} until {expires}."),
        )
    };

    if let Some(lookup) = register {
        let recorded = Recorded {
            ico,
            number: &number,
            expires,
        };
        verdict = compare_with_register(verdict, lookup, recorded, today, &mut evidence);
    }
    verdict.with_evidence(evidence)
}

/// What the profile records, once the number is known to be well formed.
#[derive(Clone, Copy)]
struct Recorded<'a> {
    ico: &'a Ico,
    number: &'a str,
    expires: Date,
}

/// The profile's verdict, checked against the user's own copy of the register: an entry that
/// ended decides; a missing entry or a different end date or name lowers a pass to a warning.
fn compare_with_register(
    mut verdict: Verdict<Reason>,
    (file, found): RegisterLookup,
    recorded: Recorded<'_>,
    today: Date,
    evidence: &mut Vec<String>,
) -> Verdict<Reason> {
    let Recorded { ico, number, expires } = recorded;
    let out = |reason: Reason, summary: String| Verdict::new(reason, summary);
    match found {
        Err(why) => {
            verdict = out(
                Reason::RegisterUnreadable,
                format!("Could not compare with the register copy: {why}"),
            );
        }
        Ok(None) => {
            if verdict.reason.status() == Status::Pass {
                verdict = out(
                    Reason::NotInRegister,
                    format!(
                        "{number} is not in the register copy {file}: check the number on {}.",
                        entry_url(number)
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
                    Reason::Expired,
                    format!("The register shows {number} ended on {end}. Renew it now: {FEE_URL}"),
                );
            } else if !differences.is_empty() && verdict.reason.status() == Status::Pass {
                verdict = out(
                    Reason::RegisterDiffers,
                    format!(
                        "Your profile and the register differ: {}. Check {} and update your profile.",
                        differences.join("; "),
                        entry_url(number)
                    ),
                );
            }
        }
    }
    verdict
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

    /// The report's form of the verdict, without a register copy.
    fn verdict(ico: Option<&Ico>, today: Date, warn_days: u32) -> crate::checks::Outcome {
        let limits = Limits {
            warn_days: crate::checks::kit::Days(warn_days),
        };
        super::judge(ico, today, &limits, None).into_outcome("ico-registration")
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
            let o = verdict(Some(&ico(number, later)), today, 30);
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
            let o = verdict(Some(&ico("Z1234567", Some(expires))), today, 30);
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
        assert_eq!(verdict(None, today, 30).status, Status::Fail);
        let exempt = Ico {
            exempt: Some("paper records only".into()),
            ..Ico::default()
        };
        let o = verdict(Some(&exempt), today, 30);
        assert_eq!(o.status, Status::Pass);
        assert!(o.summary.contains("paper records only"));
        assert_eq!(verdict(Some(&ico("Z1234567", None)), today, 30).status, Status::Warn);
    }
}
