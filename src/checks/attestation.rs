//! Attestations: what only the practitioner can confirm (insurance, supervision, a private
//! room…), each answer dated so it goes stale. Declared in `checks/*.toml` with
//! `kind = "attestation"`; the built-in ones are embedded files of that kind.

use jiff::civil::Date;

use super::Outcome;
use super::kit::Verdict;
use crate::profile::Attestation;

/// The question and how long an answer stays fresh.
#[derive(Debug, Clone, PartialEq)]
pub struct AttestationSpec {
    /// Asked by `confide init`; answered yes when it is true.
    pub question: String,
    /// An answer older than this is stale (warn): confirm it again.
    pub max_age_days: i64,
    /// If set, the answer carries a renewal date: warn within this many days of it, fail after it.
    pub renewal_warn_days: Option<i64>,
}

pub use crate::dates::today;

crate::reasons! {
    /// Why an attestation's verdict is what it is (`<attestation-id>.<code>`).
    pub enum Reason {
        NotConfirmed: Fail "not-confirmed" => "You have not confirmed this yet (`confide attest ID`).",
        AnsweredNo: Fail "answered-no" => "You answered no.",
        FutureDate: Unknown "future-date" => "The date of your answer is in the future, so it cannot be judged.",
        Stale: Warn "stale" => "Your answer is older than the guidance allows: confirm it again.",
        Confirmed: Pass "confirmed" => "You confirmed it recently enough.",
        NoRenewalDate: Warn "no-renewal-date" => "You confirmed it, but recorded no renewal date.",
        RenewalPassed: Fail "renewal-passed" => "The renewal date you recorded has passed.",
        RenewalDue: Warn "renewal-due" => "The renewal date you recorded is close.",
    }
}

impl Reason {
    /// Whether this reason can arise for an attestation declared as `spec`.
    pub fn applies_to(self, spec: &AttestationSpec) -> bool {
        spec.renewal_warn_days.is_some()
            || !matches!(self, Reason::NoRenewalDate | Reason::RenewalPassed | Reason::RenewalDue)
    }
}

/// The verdict on one attestation, `today`, in the report's form.
pub fn judge(id: &str, spec: &AttestationSpec, answer: Option<&Attestation>, today: Date) -> Outcome {
    verdict(id, spec, answer, today).into_outcome(id)
}

/// The verdict on one attestation, `today`.
pub fn verdict(id: &str, spec: &AttestationSpec, answer: Option<&Attestation>, today: Date) -> Verdict<Reason> {
    let Some(a) = answer else {
        return Verdict::new(
            Reason::NotConfirmed,
            format!(
                "Not confirmed yet. {} When it is, run `confide attest {id}`.",
                spec.question
            ),
        );
    };
    let mut evidence = vec![format!(
        "you answered {} on {}",
        if a.yes { "yes" } else { "no" },
        a.confirmed
    )];
    if let Some(note) = &a.note {
        evidence.push(format!("your note: {note}"));
    }
    if let Some(r) = a.renewal {
        evidence.push(format!("renewal date: {r}"));
    }
    let mut out = if !a.yes {
        Verdict::new(
            Reason::AnsweredNo,
            format!(
                "You answered no on {}. {} Once it is, run `confide attest {id}`.",
                a.confirmed, spec.question
            ),
        )
    } else {
        let age = crate::dates::days_between(a.confirmed, today);
        // One day of slack: the date was written in the practitioner's time zone.
        if age < -1 {
            Verdict::new(
                Reason::FutureDate,
                format!(
                    "The confirmation date {} is in the future; run `confide attest {id}` to record today.",
                    a.confirmed
                ),
            )
        } else if age > spec.max_age_days {
            Verdict::new(
                Reason::Stale,
                format!(
                    "Last confirmed on {} ({age} days ago, more than {}): check it is still true and run `confide attest {id}`.",
                    a.confirmed, spec.max_age_days
                ),
            )
        } else {
            renewal(id, spec, a, today).unwrap_or_else(|| {
                let until = a
                    .confirmed
                    .checked_add(jiff::Span::new().days(spec.max_age_days))
                    .unwrap_or(a.confirmed);
                let next = match a.renewal {
                    Some(r) => format!("renewal on {r}"),
                    None => format!("confide will ask again after {until}"),
                };
                Verdict::new(
                    Reason::Confirmed,
                    format!("Confirmed by you on {}; {next}.", a.confirmed),
                )
            })
        }
    };
    out.evidence = evidence;
    out.confirmed_on = Some(a.confirmed);
    out
}

/// The renewal part of a fresh "yes", when the attestation has one and it is not comfortably ahead.
fn renewal(id: &str, spec: &AttestationSpec, a: &Attestation, today: Date) -> Option<Verdict<Reason>> {
    let warn_days = spec.renewal_warn_days?;
    let Some(due) = a.renewal else {
        return Some(Verdict::new(
            Reason::NoRenewalDate,
            format!(
                "Confirmed on {}, but no renewal date is recorded: run `confide attest {id} --renewal YYYY-MM-DD`.",
                a.confirmed
            ),
        ));
    };
    let left = crate::dates::days_between(today, due);
    if left < 0 {
        Some(Verdict::new(
            Reason::RenewalPassed,
            format!("The renewal date {due} has passed: renew, then run `confide attest {id} --renewal NEW-DATE`."),
        ))
    } else if left <= warn_days {
        Some(Verdict::new(
            Reason::RenewalDue,
            format!("Renewal is due on {due}, in {left} days: arrange it now."),
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;
    use jiff::civil::date;

    fn spec(renewal: Option<i64>) -> AttestationSpec {
        AttestationSpec {
            question: "Are you insured?".into(),
            max_age_days: 365,
            renewal_warn_days: renewal,
        }
    }

    fn said(yes: bool, confirmed: Date, renewal: Option<Date>) -> Attestation {
        Attestation {
            yes,
            confirmed,
            renewal,
            note: None,
        }
    }

    #[test]
    fn verdicts() {
        let today = date(2026, 11, 22);
        let cases: Vec<(Option<Attestation>, Option<i64>, Status, &str)> = vec![
            (None, None, Status::Fail, "x.not-confirmed"),
            (
                Some(said(false, date(2026, 11, 1), None)),
                None,
                Status::Fail,
                "x.answered-no",
            ),
            (
                Some(said(true, date(2026, 11, 1), None)),
                None,
                Status::Pass,
                "x.confirmed",
            ),
            (
                Some(said(true, date(2025, 11, 22), None)),
                None,
                Status::Pass,
                "x.confirmed",
            ),
            (
                Some(said(true, date(2025, 11, 21), None)),
                None,
                Status::Warn,
                "x.stale",
            ),
            (
                Some(said(true, date(2026, 11, 23), None)),
                None,
                Status::Pass,
                "x.confirmed",
            ),
            (
                Some(said(true, date(2026, 12, 1), None)),
                None,
                Status::Unknown,
                "x.future-date",
            ),
            (
                Some(said(true, date(2026, 11, 1), None)),
                Some(30),
                Status::Warn,
                "x.no-renewal-date",
            ),
            (
                Some(said(true, date(2026, 11, 1), Some(date(2027, 1, 1)))),
                Some(30),
                Status::Pass,
                "x.confirmed",
            ),
            (
                Some(said(true, date(2026, 11, 1), Some(date(2026, 12, 22)))),
                Some(30),
                Status::Warn,
                "x.renewal-due",
            ),
            (
                Some(said(true, date(2026, 11, 1), Some(date(2026, 11, 21)))),
                Some(30),
                Status::Fail,
                "x.renewal-passed",
            ),
        ];
        for (answer, renewal, status, reason) in cases {
            let out = judge("x", &spec(renewal), answer.as_ref(), today);
            assert_eq!(
                (out.status, out.reason.as_str()),
                (status, reason),
                "{answer:?} {renewal:?}: {}",
                out.summary
            );
            assert_eq!(out.confirmed_on, answer.map(|a| a.confirmed));
        }
    }
}
