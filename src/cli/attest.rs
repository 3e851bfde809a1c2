//! `confide attest`: confirms (or withdraws) one thing only the practitioner can know, or lists
//! them all with their answers and ages.

use std::path::Path;

use jiff::civil::Date;

use super::output::print;
use super::profile_file::{attestation, flag_date, read, update};
use super::{Failure, exit};
use crate::catalog::Catalog;
use crate::checks::attestation::{judge, today};
use crate::profile::{Edit, Profile};
use crate::status::Status;
use crate::system::System;

#[derive(clap::Args, Debug)]
pub(super) struct AttestArgs {
    /// The attestation to confirm, e.g. insurance.
    #[arg(required_unless_present = "list")]
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

fn list(profile: &Profile, catalog: &Catalog, today: Date) -> String {
    let mut out = String::new();
    for check in catalog.checks() {
        let Some(spec) = check.attestation() else { continue };
        let id = check.id();
        let answer = profile.attestations.get(id);
        let state = match judge(id, spec, answer, today).status {
            Status::Pass => "ok",
            Status::Warn => "look again",
            Status::Unknown => "check the date",
            _ => "needed",
        };
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
