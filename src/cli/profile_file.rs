//! The profile file as `init` and `attest` share it: read, edited, checked and written back, and
//! the flag values both accept.

use std::path::Path;

use jiff::civil::Date;

use super::Failure;
use crate::catalog::Catalog;
use crate::checks::attestation::AttestationSpec;
use crate::profile::{Edit, Profile, apply_edits, parse_date};
use crate::system::files::{FileLock, InputKind, read_input, write_atomically};

/// A date given on the command line, with the flag named in the message when it is not one.
pub(super) fn flag_date(flag: &str, value: &str) -> Result<Date, Failure> {
    parse_date(value).map_err(|e| Failure::Usage(format!("{flag}: {e}")))
}

/// The attestation with this id, or a message listing the ones there are.
pub(super) fn attestation<'a>(catalog: &'a Catalog, id: &str) -> Result<&'a AttestationSpec, Failure> {
    catalog.check(id).and_then(|c| c.attestation()).ok_or_else(|| {
        let ids: Vec<&str> = catalog
            .checks()
            .iter()
            .filter(|c| c.attestation().is_some())
            .map(|c| c.id())
            .collect();
        Failure::Usage(format!(
            "there is no attestation `{id}`; the attestations are: {}",
            ids.join(", ")
        ))
    })
}

/// Reads the profile's text (empty when there is none) and the validated profile.
pub(super) fn read(path: &Path, catalog: &Catalog) -> Result<(String, Profile), Failure> {
    let text = read_input(path, InputKind::Profile)?.unwrap_or_default();
    let known = |id: &str| catalog.check(id).is_some_and(|c| c.attestation().is_some());
    let profile = if text.is_empty() {
        Profile::default()
    } else {
        Profile::parse(path, &text, &known)?
    };
    Ok((text, profile))
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
