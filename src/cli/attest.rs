//! `confide attest`: confirms (or withdraws) one thing only the practitioner can know, or lists
//! them all with their answers and ages.

use std::path::Path;

use jiff::civil::Date;

use super::output::print;
use super::profile_file::{ICO_ID, attestation, flag_date, read, update};
use super::values::{IdKind, Ids};
use super::{Failure, exit};
use crate::catalog::Catalog;
use crate::checks::attestation::{judge, today};
use crate::checks::ico_registration;
use crate::profile::{Edit, Profile};
use crate::status::Status;
use crate::system::System;

#[derive(clap::Args, Debug)]
pub(super) struct AttestArgs {
    /// The attestation to confirm, e.g. insurance.
    #[arg(required_unless_present = "list", value_parser = Ids(IdKind::Attestation), hide_possible_values = true)]
    pub id: Option<String>,
    /// List the attestations with their answers and ages.
    #[arg(long, conflicts_with_all = ["date", "no", "renewal", "note"])]
    pub list: bool,
    /// The date you confirmed it, if not today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Record that it is not (or no longer) true.
    #[arg(long)]
    pub no: bool,
    /// A renewal or review date (insurance).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub renewal: Option<String>,
    /// Your own words, shown in reports (for example the platform's name). Leave out anything about clients.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// `confide attest`.
pub(super) fn attest(args: AttestArgs, path: &Path, catalog: &Catalog, system: &dyn System) -> Result<i32, Failure> {
    let (_, profile) = read(path, catalog)?;
    let today = today(system);
    if args.list {
        return print(&list(&profile, catalog, today));
    }
    let id = args.id.as_deref().unwrap_or_default();
    let spec = attestation(catalog, id)?;
    let confirmed = match &args.date {
        Some(d) => flag_date("--date", d)?,
        None => today,
    };
    if confirmed > today {
        return Err(Failure::Usage(format!("--date: {confirmed} is in the future")));
    }
    let mut edits = vec![Edit::Attest {
        id: id.to_string(),
        yes: !args.no,
        confirmed,
    }];
    if let Some(r) = &args.renewal {
        edits.push(Edit::Renewal {
            id: id.to_string(),
            date: flag_date("--renewal", r)?,
        });
    }
    if let Some(note) = &args.note {
        edits.push(Edit::Note {
            id: id.to_string(),
            note: note.trim().to_string(),
        });
    }
    let profile = update(path, &edits, catalog)?;
    let outcome = judge(id, spec, profile.attestations.get(id), today);
    eprintln!(
        "confide: recorded {id} = {} on {confirmed} in {}. Now: {}",
        if args.no { "no" } else { "yes" },
        path.display(),
        outcome.summary
    );
    Ok(exit::OK)
}

/// One line per attestation (and the ICO entry, which `confide init` records), in id order: its
/// state today, the answer given and when, and the question.
fn list(profile: &Profile, catalog: &Catalog, today: Date) -> String {
    let mut out = String::new();
    for check in catalog.checks() {
        let id = check.id();
        if id == ICO_ID {
            out.push_str(&ico_line(profile, today));
            continue;
        }
        let Some(spec) = check.attestation() else { continue };
        let answer = profile.attestations.get(id);
        let state = state(judge(id, spec, answer, today).status);
        let said = match answer {
            Some(a) => format!(
                "{} on {} ({} days ago)",
                if a.yes { "yes" } else { "no" },
                a.confirmed,
                (today - a.confirmed).get_days()
            ),
            None => "not answered".to_string(),
        };
        out.push_str(&format!("{id:<22} {state:<14} {said}\n    {}\n", spec.question));
    }
    out
}

/// How `--list` words a verdict.
fn state(status: Status) -> &'static str {
    match status {
        Status::Pass => "ok",
        Status::Warn => "look again",
        Status::Unknown => "check the date",
        _ => "needed",
    }
}

/// The ICO entry as `--list` shows it, judged as the scan judges it (without a register copy).
fn ico_line(profile: &Profile, today: Date) -> String {
    let ico = profile.ico.as_ref();
    let status = ico_registration::judge(ico, today, &ico_registration::Limits::default(), None).status();
    let said = match ico {
        Some(i) if i.exempt.is_some() => format!("exempt: {}", i.exempt.as_deref().unwrap_or_default()),
        Some(i) if i.number.is_some() => format!(
            "number {}, ends {}",
            i.number.as_deref().unwrap_or_default(),
            i.expires
                .map_or_else(|| "(no date recorded)".to_string(), |d| d.to_string())
        ),
        _ => "not recorded".to_string(),
    };
    format!(
        "{:<22} {:<14} {said}\n    Your ICO registration: recorded with `confide init --ico-number NUMBER --ico-expiry YYYY-MM-DD`.\n",
        ICO_ID,
        state(status)
    )
}
