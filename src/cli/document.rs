//! Writing a report out in any format, shared by `confide scan` and `confide report`: the
//! signature for a PDF (and, when asked, a JSON report), the audience, and the file written in
//! one step or the screen.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::Failure;
use super::output::to_stdout;
use crate::report::{Audience, Format, RenderOptions, Report};
use crate::signing::{Key, Seal};
use crate::system::files::{WriteError, write_atomically};

/// Where and how a report is written.
pub(super) struct Destination<'a> {
    pub format: Format,
    pub audience: Option<Audience>,
    pub output: Option<&'a Path>,
    pub color: bool,
    /// Also write `OUTPUT.minisig` beside a JSON report.
    pub sign_json: bool,
    /// Columns a terminal report wraps at.
    pub width: usize,
    /// Only what changed and the verdict (`--quiet`, or a scheduled run speaking).
    pub quiet: bool,
    /// The files this run read: the output may never be one of them.
    pub inputs: &'a [&'a Path],
}

/// The folder the signing key lives in.
pub(super) fn key_dir() -> Result<PathBuf, Failure> {
    crate::paths::data_dir().ok_or_else(|| {
        Failure::CannotRun(format!(
            "there is no home folder to keep your signing key in; set {} to a folder",
            crate::paths::DATA_DIR_ENV
        ))
    })
}

/// Signs the report's JSON with the practitioner's key, making the key the first time.
fn seal(report: &Report, json: &[u8]) -> Result<Seal, Failure> {
    let key = Key::load_or_create(&key_dir()?).map_err(|e| Failure::CannotRun(e.to_string()))?;
    let comment = format!(
        "confide report of {} against {}",
        report.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        report.policy.id
    );
    key.sign(json, &comment).map_err(|e| Failure::CannotRun(e.to_string()))
}

/// Renders `report` to its destination. `json` is the exact JSON to attach and sign (an
/// earlier report's bytes); without it the report is encoded as `--format json` would.
pub(super) fn write(report: &Report, json: Option<Vec<u8>>, to: &Destination) -> Result<(), Failure> {
    if to.format.is_binary() && to.output.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::Usage(
            "a PDF cannot be shown in the terminal: add --output report.pdf to save it to a file".into(),
        ));
    }
    if to.format == Format::Json && to.sign_json && to.output.is_none() {
        return Err(Failure::Usage(
            "--sign writes the signature beside the report: add --output report.json".into(),
        ));
    }
    let needs_json = to.format == Format::Pdf || (to.format == Format::Json && to.sign_json);
    let json = match (json, needs_json) {
        (Some(bytes), _) => Some(bytes),
        (None, true) => {
            let mut bytes = Vec::new();
            Format::Json
                .renderer(false, to.width)
                .render(report, &mut bytes)
                .map_err(|e| Failure::CannotRun(e.to_string()))?;
            Some(bytes)
        }
        (None, false) => None,
    };
    let seal = match (&json, needs_json) {
        (Some(bytes), true) => Some(seal(report, bytes)?),
        _ => None,
    };
    let renderer: Box<dyn crate::report::Renderer> = if to.quiet && to.format == Format::Terminal {
        Box::new(crate::report::changes::Quiet {
            color: to.color,
            width: to.width,
        })
    } else {
        to.format.renderer_with(RenderOptions {
            color: to.color,
            audience: to.audience,
            json: if to.format == Format::Pdf { json.clone() } else { None },
            seal: if to.format == Format::Pdf { seal.clone() } else { None },
            width: to.width,
        })
    };
    // A JSON report written from an earlier one is those exact bytes: the signature beside it
    // was made over them, and rendering the model again could change spacing or key order.
    let exact = json.as_deref().filter(|_| to.format == Format::Json);
    let render = |out: &mut dyn std::io::Write| -> Result<(), crate::report::RenderError> {
        match exact {
            Some(bytes) => Ok(out.write_all(bytes)?),
            None => renderer.render(report, out),
        }
    };
    match to.output {
        Some(path) => {
            match write_atomically(path, to.inputs, render) {
                Ok(()) => {}
                // The report is not lost: a text report goes to the screen instead.
                Err(e @ WriteError::NoFolder { .. }) if !to.format.is_binary() => {
                    let plain = to.format.renderer(false, crate::report::PAGE_WIDTH);
                    to_stdout(|out| plain.render(report, out))?;
                    return Err(Failure::CannotRun(format!("{e}; the report is above")));
                }
                Err(e) => return Err(Failure::CannotRun(e.to_string())),
            }
            if to.format == Format::Json
                && let Some(seal) = &seal
            {
                let sig_path = signature_path(path);
                write_atomically(&sig_path, to.inputs, |out| out.write_all(seal.signature.as_bytes()))
                    .map_err(|e| Failure::CannotRun(format!("could not write the signature: {e}")))?;
            }
            let signed = match &seal {
                Some(s) => format!(", signed with key {}", s.fingerprint),
                None => String::new(),
            };
            eprintln!(
                "confide: report written to {} (overall: {}{signed})",
                path.display(),
                report.overall
            );
        }
        None => {
            to_stdout(render)?;
        }
    }
    Ok(())
}

/// `report.json` → `report.json.minisig`, minisign's own naming.
pub(super) fn signature_path(report: &Path) -> PathBuf {
    let mut name = report.as_os_str().to_owned();
    name.push(".minisig");
    PathBuf::from(name)
}
