//! `confide init`: the practitioner's answers (email, ICO registration, attestations), from
//! flags or from questions on a terminal, written to the profile.

use std::io::IsTerminal;
use std::path::Path;

use dialoguer::{Input, Select};
use jiff::civil::Date;

use super::profile_file::{attestation, flag_date, read, update};
use super::values::{IdKind, Ids};
use super::{Failure, exit};
use crate::catalog::Catalog;
use crate::checks::attestation::today;
use crate::checks::ico_registration;
use crate::profile::{Edit, Profile, is_email, parse_date};
use crate::system::System;

/// Every answer `confide init` asks for, as flags, so it can run without a terminal.
#[derive(clap::Args, Debug, Default)]
pub(super) struct InitArgs {
    /// Your name as it should appear on the report your supervisor reads.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Your professional body and membership number, for example "BACP 012345".
    #[arg(long, value_name = "BODY NUMBER")]
    pub membership: Option<String>,
    /// Your clinical supervisor's name, shown on the report you send them.
    #[arg(long, value_name = "NAME")]
    pub supervisor: Option<String>,
    /// An email address you use for client work (repeat for several).
    #[arg(long = "email", value_name = "ADDRESS")]
    pub emails: Vec<String>,
    /// Your ICO registration number (Z1234567 or ZA123456).
    #[arg(long, value_name = "NUMBER")]
    pub ico_number: Option<String>,
    /// The date your ICO registration ends.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub ico_expiry: Option<String>,
    /// Your name or trading name as it stands on the ICO register.
    #[arg(long, value_name = "NAME")]
    pub ico_name: Option<String>,
    /// You are exempt from the ICO fee, for this reason.
    #[arg(long, value_name = "REASON", conflicts_with_all = ["ico_number", "ico_expiry"])]
    pub ico_exempt: Option<String>,
    /// Confirm an attestation today (repeat, or separate with commas; `confide attest --list` names them).
    #[arg(long, value_name = "ID", value_delimiter = ',', value_parser = Ids(IdKind::Attestation), hide_possible_values = true)]
    pub confirm: Vec<String>,
    /// Record "no" for an attestation today (repeat, or separate with commas).
    #[arg(long, value_name = "ID", value_delimiter = ',', value_parser = Ids(IdKind::Attestation), hide_possible_values = true)]
    pub deny: Vec<String>,
    /// The renewal date of your insurance.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub insurance_renewal: Option<String>,
}

impl InitArgs {
    fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.membership.is_none()
            && self.supervisor.is_none()
            && self.emails.is_empty()
            && self.ico_number.is_none()
            && self.ico_expiry.is_none()
            && self.ico_name.is_none()
            && self.ico_exempt.is_none()
            && self.confirm.is_empty()
            && self.deny.is_empty()
            && self.insurance_renewal.is_none()
    }
}

fn normalise_ico_number(raw: &str) -> Result<String, Failure> {
    let number = raw.trim().to_uppercase();
    if ico_registration::is_valid_number(&number) {
        Ok(number)
    } else {
        Err(Failure::Usage(format!(
            "--ico-number: `{raw}` is not an ICO registration number; they are Z and 7 digits (Z1234567) or Z, a letter and 6 digits (ZA123456)"
        )))
    }
}

/// `confide init`.
pub(super) fn init(args: InitArgs, path: &Path, catalog: &Catalog, system: &dyn System) -> Result<i32, Failure> {
    let (_, existing) = read(path, catalog)?;
    let today = today(system);
    let edits = if !args.is_empty() {
        edits_from_flags(&args, catalog, today)?
    } else if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        ask(&existing, catalog, today)?
    } else {
        return Err(Failure::Usage(
            "confide init asks its questions on a terminal, and there is none here. Pass the answers as flags instead, for example:\n  \
             confide init --email you@example.org --ico-number ZA123456 --ico-expiry 2027-03-31 --confirm insurance --insurance-renewal 2027-04-01\n\
             (`confide init --help` lists them all)"
                .to_string(),
        ));
    };
    let profile = update(path, &edits, catalog)?;
    let answered = profile.attestations.len();
    eprintln!(
        "confide: saved your profile to {} ({} email address{}, ICO {}, {answered} confirmation{}). Run `confide scan` to see where you stand.",
        path.display(),
        profile.emails.len(),
        if profile.emails.len() == 1 { "" } else { "es" },
        match &profile.ico {
            Some(i) if i.exempt.is_some() => "exemption recorded",
            Some(i) if i.number.is_some() => "number recorded",
            _ => "not recorded",
        },
        if answered == 1 { "" } else { "s" },
    );
    Ok(exit::OK)
}

fn edits_from_flags(args: &InitArgs, catalog: &Catalog, today: Date) -> Result<Vec<Edit>, Failure> {
    let mut edits = Vec::new();
    for (flag, value, edit) in [
        ("--name", &args.name, Edit::Name as fn(String) -> Edit),
        ("--membership", &args.membership, Edit::Membership),
        ("--supervisor", &args.supervisor, Edit::Supervisor),
    ] {
        if let Some(v) = value {
            let v = v.trim();
            if v.is_empty() || v.contains('\n') {
                return Err(Failure::Usage(format!(
                    "{flag}: write it on one line, for example {flag} \"Jane Example\""
                )));
            }
            edits.push(edit(v.to_string()));
        }
    }
    if !args.emails.is_empty() {
        if let Some(bad) = args.emails.iter().find(|e| !is_email(e.trim())) {
            return Err(Failure::Usage(format!("--email: `{bad}` is not an email address")));
        }
        edits.push(Edit::Emails(args.emails.iter().map(|e| e.trim().to_string()).collect()));
    }
    let touches_ico =
        args.ico_number.is_some() || args.ico_expiry.is_some() || args.ico_name.is_some() || args.ico_exempt.is_some();
    if let Some(n) = &args.ico_number {
        edits.push(Edit::IcoNumber(normalise_ico_number(n)?));
    }
    if let Some(d) = &args.ico_expiry {
        edits.push(Edit::IcoExpires(flag_date("--ico-expiry", d)?));
    }
    if let Some(n) = &args.ico_name {
        edits.push(Edit::IcoName(n.trim().to_string()));
    }
    if let Some(reason) = &args.ico_exempt {
        edits.push(Edit::IcoExempt(reason.trim().to_string()));
    }
    if touches_ico {
        edits.push(Edit::IcoRecorded(today));
    }
    for (ids, yes) in [(&args.confirm, true), (&args.deny, false)] {
        for id in ids {
            attestation(catalog, id)?;
            edits.push(Edit::Attest {
                id: id.clone(),
                yes,
                confirmed: today,
            });
        }
    }
    if let Some(d) = &args.insurance_renewal {
        edits.push(Edit::Renewal {
            id: "insurance".into(),
            date: flag_date("--insurance-renewal", d)?,
        });
    }
    Ok(edits)
}

fn prompt_failed(e: dialoguer::Error) -> Failure {
    Failure::CannotRun(format!("the questions stopped ({e}); nothing was saved"))
}

/// The interactive walk-through: every answer defaults to what the profile already says.
fn ask(existing: &Profile, catalog: &Catalog, today: Date) -> Result<Vec<Edit>, Failure> {
    let mut edits = Vec::new();
    eprintln!("confide asks a few questions about your practice. Press Enter to keep an answer shown in brackets.\n");

    ask_who(existing, &mut edits)?;
    edits.push(ask_emails(existing)?);
    ask_ico(existing, today, &mut edits)?;
    ask_attestations(existing, catalog, today, &mut edits)?;
    Ok(edits)
}

/// Who the report is about and who it is for; each may be left empty.
fn ask_who(existing: &Profile, edits: &mut Vec<Edit>) -> Result<(), Failure> {
    let who = &existing.practitioner;
    for (prompt, current, edit) in [
        (
            "Your name, as your supervisor should see it on your report (optional)",
            &who.name,
            Edit::Name as fn(String) -> Edit,
        ),
        (
            "Your professional body and membership number, e.g. BACP 012345 (optional)",
            &who.membership,
            Edit::Membership,
        ),
        (
            "Your clinical supervisor's name (optional)",
            &who.supervisor,
            Edit::Supervisor,
        ),
    ] {
        let answer: String = Input::new()
            .with_prompt(prompt)
            .default(current.clone().unwrap_or_default())
            .allow_empty(true)
            .interact_text()
            .map_err(prompt_failed)?;
        let answer = answer.trim();
        if !answer.is_empty() {
            edits.push(edit(answer.to_string()));
        }
    }
    Ok(())
}

/// The email addresses used for client work, comma-separated.
fn ask_emails(existing: &Profile) -> Result<Edit, Failure> {
    let emails: String = Input::new()
        .with_prompt("Email addresses you use for client work (separate several with commas)")
        .default(existing.emails.join(", "))
        .allow_empty(true)
        .validate_with(|s: &String| -> Result<(), String> {
            match s
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .find(|e| !is_email(e))
            {
                Some(bad) => Err(format!("`{bad}` is not an email address")),
                None => Ok(()),
            }
        })
        .interact_text()
        .map_err(prompt_failed)?;
    Ok(Edit::Emails(
        emails
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_string)
            .collect(),
    ))
}

/// The ICO registration: a number and its expiry, an exemption and its reason, or nothing yet.
fn ask_ico(existing: &Profile, today: Date, edits: &mut Vec<Edit>) -> Result<(), Failure> {
    let ico = existing.ico.clone().unwrap_or_default();
    let choices = [
        "Yes, I have a registration number",
        "I am exempt from the fee",
        "Not yet / skip",
    ];
    let default = if ico.exempt.is_some() {
        1
    } else if ico.number.is_some() || existing.ico.is_none() {
        0
    } else {
        2
    };
    let choice = Select::new()
        .with_prompt("Are you registered with the ICO (Information Commissioner's Office)?")
        .items(choices)
        .default(default)
        .interact()
        .map_err(prompt_failed)?;
    match choice {
        0 => {
            let number: String = Input::new()
                .with_prompt("Your ICO registration number (on your certificate, e.g. ZA123456)")
                .with_initial_text(ico.number.clone().unwrap_or_default())
                // Empty input reaches the validator, which says what is wanted (dialoguer would
                // otherwise ask again without a word).
                .allow_empty(true)
                .validate_with(|s: &String| -> Result<(), String> {
                    if ico_registration::is_valid_number(&s.trim().to_uppercase()) {
                        Ok(())
                    } else {
                        Err("type your ICO registration number: Z and 7 digits (Z1234567) or Z, a letter and 6 digits (ZA123456)".into())
                    }
                })
                .interact_text()
                .map_err(prompt_failed)?;
            let expiry: String = Input::new()
                .with_prompt("The date your registration ends (YYYY-MM-DD)")
                .with_initial_text(ico.expires.map(|d| d.to_string()).unwrap_or_default())
                .allow_empty(true)
                .validate_with(|s: &String| parse_date(s).map(|_| ()))
                .interact_text()
                .map_err(prompt_failed)?;
            edits.push(Edit::IcoNumber(number.trim().to_uppercase()));
            edits.push(Edit::IcoExpires(parse_date(&expiry).map_err(Failure::Usage)?));
            edits.push(Edit::IcoRecorded(today));
        }
        1 => {
            let reason: String = Input::new()
                .with_prompt("Why are you exempt? (for example: no client records on any computer)")
                .with_initial_text(ico.exempt.clone().unwrap_or_default())
                .allow_empty(true)
                .validate_with(|s: &String| -> Result<(), &str> {
                    if s.trim().is_empty() {
                        Err("type the reason in a few words, for example: no client records on any computer")
                    } else {
                        Ok(())
                    }
                })
                .interact_text()
                .map_err(prompt_failed)?;
            edits.push(Edit::IcoExempt(reason.trim().to_string()));
            edits.push(Edit::IcoRecorded(today));
        }
        _ => {}
    }
    Ok(())
}

/// Each attestation: yes today, no, keep the earlier answer, or skip; a renewal date where it has one.
fn ask_attestations(existing: &Profile, catalog: &Catalog, today: Date, edits: &mut Vec<Edit>) -> Result<(), Failure> {
    for check in catalog.checks() {
        let Some(spec) = check.attestation() else { continue };
        let id = check.id();
        let previous = existing.attestations.get(id);
        let mut items = vec!["Yes (confirm today)".to_string(), "No".to_string()];
        if let Some(p) = previous {
            items.push(format!(
                "Keep my answer ({} on {})",
                if p.yes { "yes" } else { "no" },
                p.confirmed
            ));
        }
        items.push("Skip for now".to_string());
        let keep = previous.map(|_| 2);
        let picked = Select::new()
            .with_prompt(&spec.question)
            .items(&items)
            .default(keep.unwrap_or(0))
            .interact()
            .map_err(prompt_failed)?;
        match (picked, keep) {
            (0, _) => edits.push(Edit::Attest {
                id: id.to_string(),
                yes: true,
                confirmed: today,
            }),
            (1, _) => edits.push(Edit::Attest {
                id: id.to_string(),
                yes: false,
                confirmed: today,
            }),
            _ => continue,
        }
        if picked == 0 && spec.renewal_warn_days.is_some() {
            let renewal: String = Input::new()
                .with_prompt("Its renewal date (YYYY-MM-DD)")
                .with_initial_text(
                    previous
                        .and_then(|p| p.renewal)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                )
                .allow_empty(true)
                .validate_with(|s: &String| parse_date(s).map(|_| ()))
                .interact_text()
                .map_err(prompt_failed)?;
            edits.push(Edit::Renewal {
                id: id.to_string(),
                date: parse_date(&renewal).map_err(Failure::Usage)?,
            });
        }
    }
    Ok(())
}
