//! The profile file as `init` and `attest` share it: read, edited, checked and written back, and
//! the flag values both accept.

use std::path::Path;

use jiff::civil::Date;

use super::Failure;
use crate::catalog::Catalog;
use crate::checks::attestation::AttestationSpec;
use crate::checks::ico_registration;
use crate::checks::kit::BuiltinCheck;
use crate::profile::{Edit, Profile, apply_edits, parse_date};
use crate::system::files::{FileLock, InputKind, read_input, write_atomically};
use crate::written_dates::{in_words, rewrite_day_month_year};

/// The ICO entry's check id: the entry lives in the profile, and `confide init` records it.
pub(super) const ICO_ID: &str = ico_registration::IcoRegistration::ID;

/// A date given on the command line, with the flag named in the message when it is not one.
pub(super) fn flag_date(flag: &str, value: &str) -> Result<Date, Failure> {
    parse_date(value).map_err(|e| Failure::Usage(format!("{flag}: {e}")))
}

/// The attestation with this id, or a message that says where the answer belongs instead: the
/// ICO entry is recorded by `confide init`, another check is read from the computer, and any other
/// id gets the list of attestations.
pub(super) fn attestation<'a>(catalog: &'a Catalog, id: &str) -> Result<&'a AttestationSpec, Failure> {
    let check = catalog.check(id);
    if let Some(spec) = check.and_then(|c| c.attestation()) {
        return Ok(spec);
    }
    let ids: Vec<&str> = catalog
        .checks()
        .iter()
        .filter(|c| c.attestation().is_some())
        .map(|c| c.id())
        .collect();
    let message = match check {
        Some(_) if id == ICO_ID => String::from(
            "your ICO registration is recorded with `confide init`, not confirmed with `attest`: run\n  \
             confide init --ico-number ZA123456 --ico-expiry 2027-03-31\n\
             with the number and end date on your ICO certificate, or `confide init --ico-exempt \"REASON\"` if you are exempt from the fee",
        ),
        Some(_) => format!(
            "`{id}` is checked on this computer, not confirmed by you: `confide scan --only {id}` checks it. \
             The things you confirm with `confide attest` are: {}",
            ids.join(", ")
        ),
        None => format!(
            "there is no attestation `{id}`; the attestations are: {}",
            ids.join(", ")
        ),
    };
    Err(Failure::Usage(message))
}

/// Reads the profile's text (empty when there is none) and the validated profile.
pub(super) fn read(path: &Path, catalog: &Catalog) -> Result<(String, Profile), Failure> {
    let text = read_input(path, InputKind::Profile)?.unwrap_or_default();
    let known = |id: &str| catalog.check(id).is_some_and(|c| c.attestation().is_some());
    if text.is_empty() {
        return Ok((text, Profile::default()));
    }
    let error = match Profile::parse(path, &text, &known) {
        Ok(profile) => return Ok((text, profile)),
        Err(e) => e,
    };
    // Dates written day first (`31/03/2027`) are the one mistake `init` and `attest` mend
    // themselves, saying how each was read; the mended text is what they edit and write back.
    let (mended, rewritten) = rewrite_day_month_year(&text);
    match Profile::parse(path, &mended, &known) {
        Ok(profile) if !rewritten.is_empty() => {
            for r in &rewritten {
                eprintln!(
                    "confide: {} line {}: read `{}` as {} and will write it as {}",
                    path.display(),
                    r.line,
                    r.written,
                    in_words(r.date),
                    r.date
                );
            }
            Ok((mended, profile))
        }
        _ => Err(error.into()),
    }
}

/// Applies edits to the profile as it is on disk now, and writes it back.
///
/// Under an exclusive lock beside the profile, the file is read again, edited, checked and
/// replaced in one step, so that two `confide attest` run at once both keep their answer.
pub(super) fn update(path: &Path, edits: &[Edit], catalog: &Catalog) -> Result<Profile, Failure> {
    let cannot = |what: &str, e: &dyn std::fmt::Display| Failure::CannotRun(format!("{what} {}: {e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| cannot("cannot create the folder for", &e))?;
    }
    let _lock = FileLock::beside(path).map_err(|e| cannot("cannot lock", &e))?;
    let (text, _) = read(path, catalog)?;
    let new_text = apply_edits(&text, edits).map_err(|e| Failure::Input(e.locate(path, &text)))?;
    let known = |id: &str| catalog.check(id).is_some_and(|c| c.attestation().is_some());
    let profile = Profile::parse(path, &new_text, &known)?;
    write_atomically(path, &[], |out| out.write_all(new_text.as_bytes()))
        .map_err(|e| Failure::CannotRun(e.to_string()))?;
    Ok(profile)
}
