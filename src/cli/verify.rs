//! `confide verify FILE`: checks that a report is exactly what the practitioner's copy of
//! confide signed, and says in plain words what that proves and what it does not.
//!
//! Exit codes: 0 the report is unchanged and signed by the key checked against; 1 it was
//! changed, or signed by another key; 2 the file cannot be checked (not a report, no
//! signature, no key to check with, a damaged PDF).

use std::path::{Path, PathBuf};

use super::document::{key_dir, signature_path};
use super::report_from::parse;
use super::{Failure, exit};
use crate::diag::InputError;
use crate::report::pdf::{ATTACHED_PUBLIC_KEY, ATTACHED_REPORT, ATTACHED_SIGNATURE};
use crate::report::{attachments, reading};
use crate::signing::{self, Key, Verdict};
use crate::system::files::{InputKind, read_input, read_input_bytes};
use minisign::PublicKey;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit codes: 0 unchanged and signed with the key; 1 changed, or signed with another key; \
2 the file cannot be checked (not a confide report, no signature, no key, damaged)."
)]
pub(super) struct VerifyArgs {
    /// A PDF report, or a JSON report with its FILE.minisig beside it.
    file: PathBuf,
    /// The practitioner's public key (the file or the line `confide key show` printed). Without
    /// it, a PDF is checked with the key it carries and a JSON report with your own key.
    #[arg(long, value_name = "KEY")]
    key: Option<String>,
}

/// What is checked: the report's bytes, its signature, and where the key came from.
struct Evidence {
    json: Vec<u8>,
    signature: String,
    embedded_key: Option<String>,
}

/// A signature or a public key: a regular file of a few hundred bytes, read with the same
/// checks as every other input (a named pipe or a huge file is refused, not read).
fn read_small_text(path: &Path) -> Result<String, String> {
    match read_input(path, InputKind::Key) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err("there is no such file".into()),
        Err(e) => Err(e.message),
    }
}

fn input(path: &Path, message: impl Into<String>, help: &str) -> Failure {
    Failure::Input(InputError::whole_file(path, message).help(help))
}

fn gather(path: &Path) -> Result<Evidence, Failure> {
    let bytes = read_input_bytes(path, InputKind::Report)?
        .ok_or_else(|| input(path, "there is no such file", "check the file's name"))?;
    if bytes.starts_with(b"%PDF") || path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
        let mut files = attachments::read(&bytes).map_err(|e| {
            input(
                path,
                e,
                "the file is damaged or not a PDF: ask the practitioner to send the report again",
            )
        })?;
        let json = files.remove(ATTACHED_REPORT).ok_or_else(|| {
            input(
                path,
                "this PDF carries no confide report, so there is nothing to check",
                "only a PDF made by `confide scan --format pdf` can be checked",
            )
        })?;
        let signature = files.remove(ATTACHED_SIGNATURE).ok_or_else(|| {
            input(
                path,
                "this PDF's report is not signed",
                "ask the practitioner for a report made by `confide scan --format pdf`",
            )
        })?;
        Ok(Evidence {
            json,
            signature: String::from_utf8_lossy(&signature).into_owned(),
            embedded_key: files
                .remove(ATTACHED_PUBLIC_KEY)
                .map(|k| String::from_utf8_lossy(&k).into_owned()),
        })
    } else {
        let sig_path = signature_path(path);
        let signature = read_small_text(&sig_path).map_err(|e| {
            input(
                &sig_path,
                format!("no signature for {} ({e})", path.display()),
                "a JSON report is checked with the .minisig file `confide scan --format json --sign --output FILE` writes beside it",
            )
        })?;
        Ok(Evidence {
            json: bytes,
            signature,
            embedded_key: None,
        })
    }
}

/// The key to check with and, in words, where it came from: the one given, the one the PDF
/// carries, or the practitioner's own.
fn choose_key(given: Option<&String>, evidence: &Evidence, path: &Path) -> Result<(PublicKey, &'static str), Failure> {
    if let Some(given) = given {
        // Anything at that path is read as the key file, so a named pipe or a folder is named
        // as such rather than parsed as a key line.
        let text = if std::fs::symlink_metadata(given).is_ok() {
            read_small_text(Path::new(given)).map_err(|e| {
                input(
                    Path::new(given),
                    format!("cannot read it: {e}"),
                    "check the file's name",
                )
            })?
        } else {
            given.clone()
        };
        let key = signing::parse_public_key(&text).map_err(|e| {
            Failure::Usage(format!(
                "--key {given}: {e}; give the file or the line `confide key show` printed"
            ))
        })?;
        return Ok((key, "the key you gave"));
    }
    if let Some(embedded) = &evidence.embedded_key {
        let key = signing::parse_public_key(embedded).map_err(|e| {
            input(
                path,
                format!("the key inside it is unreadable: {e}"),
                "ask the practitioner for their key",
            )
        })?;
        return Ok((key, "the key inside the file"));
    }
    let own = Key::existing(&key_dir()?)
        .map_err(|e| Failure::CannotRun(e.to_string()))?
        .ok_or_else(|| {
            Failure::Usage(format!(
                "{}: which key signed it? Pass --key with the practitioner's public key (`confide key show` prints it)",
                path.display()
            ))
        })?;
    let key = signing::parse_public_key(&own.public_key_text()).map_err(|e| Failure::CannotRun(e.to_string()))?;
    Ok((key, "your own key"))
}

/// `confide verify`.
pub(super) fn verify(args: VerifyArgs) -> Result<i32, Failure> {
    let path = &args.file;
    let evidence = gather(path)?;
    let (key, whose) = choose_key(args.key.as_ref(), &evidence, path)?;
    let fingerprint = signing::fingerprint(&key);
    let verdict = signing::verify(&evidence.json, &evidence.signature, &key).map_err(|e| {
        input(
            path,
            format!("its signature is unreadable: {e}"),
            "the signature was damaged: ask the practitioner to send the report again",
        )
    })?;
    match verdict {
        Verdict::Intact { .. } => {
            let about = match parse(path, &evidence.json) {
                Ok(r) => {
                    let who = r
                        .practitioner
                        .as_ref()
                        .and_then(|p| p.name.clone())
                        .map(|n| format!(" about {n}'s computer"))
                        .unwrap_or_default();
                    format!("made on {}{who}", reading::when(&r))
                }
                Err(_) => "not a report this confide can read".to_string(),
            };
            println!(
                "OK: {file} is unchanged since it was signed.\n\n\
                 Report: {about}.\n\
                 Key:    {fingerprint} ({whose})\n\n\
                 What this proves: nobody changed the report after the copy of confide\n\
                 holding this key signed it. If the fingerprint matches the one on earlier\n\
                 reports (every page of a PDF report shows it; `confide key show` prints it\n\
                 on the practitioner's computer), the same copy of confide signed them all.\n\n\
                 What it does not prove: who holds the key, unless the practitioner gave\n\
                 you the fingerprint themselves; that the computer was checked honestly;\n\
                 or that a PDF's pages say the same as the signed report inside it (to\n\
                 read that report: confide report --from {file}).",
                file = path.display(),
            );
            Ok(exit::OK)
        }
        Verdict::OtherKey => {
            eprintln!(
                "confide: NOT VERIFIED: {} was signed with a different key\n\
                 from {whose} (fingerprint {fingerprint}).\n\
                 It comes from another copy of confide, or it is not the practitioner's\n\
                 report. Ask the practitioner which key they use (`confide key show`).",
                path.display()
            );
            Ok(exit::FINDINGS)
        }
        Verdict::Changed => {
            eprintln!(
                "confide: NOT VERIFIED: {} was changed after it was signed\n\
                 (checked with {whose}, fingerprint {fingerprint}).\n\
                 Do not rely on it: ask the practitioner to send the report again.",
                path.display()
            );
            Ok(exit::FINDINGS)
        }
    }
}
