//! `confide report --from FILE`: an earlier JSON report (or the one inside a PDF report) in
//! another format, without scanning again. The JSON is attached to a PDF byte for byte.

use std::path::{Path, PathBuf};

use super::color::{self, ColorChoice};
use super::document::{self, Destination};
use super::{Failure, exit};
use crate::diag::InputError;
use crate::report::pdf::ATTACHED_REPORT;
use crate::report::{Audience, Format, REPORT_SCHEMA, Report, attachments};
use crate::status::Status;
use crate::system::files::{InputKind, read_input_bytes};

#[derive(clap::Args, Debug)]
pub(super) struct ReportArgs {
    /// A JSON report written by `confide scan --format json`, or a PDF report.
    #[arg(long, value_name = "FILE")]
    from: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Terminal)]
    format: Format,
    /// Who reads it: supervisor (no commands) or practitioner (every fix step).
    #[arg(long, value_enum, value_name = "WHO")]
    audience: Option<Audience>,
    /// Write the report to this file instead of the screen.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// With --format json --output FILE: also write FILE.minisig.
    #[arg(long)]
    sign: bool,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Reads a report from a JSON file or a PDF's attachment: the exact bytes and the model.
pub(super) fn load(path: &Path) -> Result<(Vec<u8>, Report), Failure> {
    let bytes = read_input_bytes(path, InputKind::Report)?
        .ok_or_else(|| InputError::whole_file(path, "there is no such file").help("check the path of the report"))?;
    let json = if bytes.starts_with(b"%PDF") {
        let mut files = attachments::read(&bytes).map_err(|e| InputError::whole_file(path, e))?;
        files.remove(ATTACHED_REPORT).ok_or_else(|| {
            InputError::whole_file(path, "this PDF carries no confide report")
                .help("use a PDF made by `confide scan --format pdf`, or the JSON report itself")
        })?
    } else {
        bytes
    };
    let report = parse(path, &json)?;
    Ok((json, report))
}

/// The report model from JSON, with a newer schema told apart from a damaged file.
pub(super) fn parse(path: &Path, json: &[u8]) -> Result<Report, InputError> {
    let text = String::from_utf8_lossy(json);
    let value: serde_json::Value = serde_json::from_slice(json).map_err(|e| {
        InputError::at(path, &text, e.line(), e.column(), format!("not a JSON report: {e}"))
            .help("use the file `confide scan --format json --output FILE` wrote, unchanged")
    })?;
    let schema = value.get("schema").and_then(|s| s.as_str()).unwrap_or("");
    if schema != REPORT_SCHEMA {
        return Err(InputError::whole_file(
            path,
            format!("this report's schema is `{schema}`; this confide reads `{REPORT_SCHEMA}`"),
        )
        .help("a newer confide wrote it: update confide, or render it with the confide that wrote it"));
    }
    let report: Report = serde_json::from_value(value).map_err(|e| {
        InputError::whole_file(path, format!("not a complete confide report: {e}"))
            .help("use the file `confide scan --format json --output FILE` wrote, unchanged")
    })?;
    // The counts and the overall result are derived from the findings when a scan writes them;
    // a report where they disagree was changed by hand, and its documents would contradict it.
    let statuses = report.findings.iter().map(|f| f.status);
    if report.counts != Report::count(&report.findings) || report.overall != Status::overall(statuses) {
        return Err(InputError::whole_file(
            path,
            "its counts or its overall result do not match its findings: it was changed after confide wrote it",
        )
        .help("use the file `confide scan --format json --output FILE` wrote, unchanged"));
    }
    Ok(report)
}

/// `confide report`.
pub(super) fn report(args: ReportArgs) -> Result<i32, Failure> {
    // An --output that is the report being read is refused where every output is written
    // (`files::write_atomically`, given the input), before anything is replaced.
    let (json, report) = load(&args.from)?;
    let color = args.format.shows_color() && color::choose(args.color, args.output.is_none());
    document::write(
        &report,
        Some(json),
        &Destination {
            format: args.format,
            audience: args.audience,
            output: args.output.as_deref(),
            color,
            sign_json: args.sign,
            width: super::width::choose(args.output.is_none()),
            quiet: false,
            inputs: &[args.from.as_path()],
        },
    )?;
    Ok(exit::OK)
}
