//! One report model, one file per renderer.
//!
//! The model ([`Report`]) is built once by the runner; each output format reads it and nothing
//! else, so adding a format never touches the checks or the other formats.

pub mod attachments;
pub mod changes;
pub mod html;
pub mod json;
pub mod markdown;
mod model;
mod no_profile;
pub mod pdf;
pub mod reading;
pub mod terminal;
pub mod wrap;

use std::io::Write;

pub use model::{
    Finding, GuidanceRef, Host, NotAssessed, PolicyRef, Practitioner, REPORT_SCHEMA, Replay, Report, Tool,
};
pub use no_profile::NoProfile;
pub use reading::Audience;

/// Why a report could not be written out.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The sink refused the bytes (a full disk, a closed pipe): callers tell a closed pipe apart.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The model could not be put into the format.
    #[error("could not encode the report: {0}")]
    Encode(String),
}

/// One output format, as lychee's `StatsFormatter`: it writes bytes to a sink rather than
/// returning a string, because some formats (PDF) are bytes and every sink (a file, a pipe) can
/// fail half-way.
pub trait Renderer {
    fn render(&self, report: &Report, out: &mut dyn Write) -> Result<(), RenderError>;
}

/// The formats `confide scan --format` offers. A new format is a variant, a file and one arm in
/// [`Format::renderer`].
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A report to read: a one-screen summary first, then each finding and how to fix it.
    Terminal,
    /// The `confide-report/1` JSON, for scripts and other tools (`confide schema report`).
    Json,
    /// For pasting into an email or a notes system.
    Markdown,
    /// One self-contained page: the practitioner's own copy.
    Html,
    /// The signed attachment a supervisor asks for.
    Pdf,
}

/// What a renderer may need besides the report.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Decided by the caller; only matters where [`Format::shows_color`] says so.
    pub color: bool,
    /// Who reads the document; `None` takes [`Format::default_audience`].
    pub audience: Option<Audience>,
    /// The exact JSON to attach to a PDF (an earlier report, byte for byte).
    pub json: Option<Vec<u8>>,
    /// The signature of that JSON.
    pub seal: Option<crate::signing::Seal>,
    /// Columns the terminal report wraps at; 0 means [`PAGE_WIDTH`].
    pub width: usize,
}

/// Columns a text report wraps at when it goes to a file rather than a terminal.
pub const PAGE_WIDTH: usize = 100;

impl Format {
    /// A renderer with no options but colour and, for the terminal, the columns to wrap at.
    pub fn renderer(self, color: bool, width: usize) -> Box<dyn Renderer> {
        self.renderer_with(RenderOptions {
            color,
            width,
            ..RenderOptions::default()
        })
    }

    /// The one place a format becomes its renderer.
    pub fn renderer_with(self, opts: RenderOptions) -> Box<dyn Renderer> {
        let audience = opts.audience.unwrap_or(self.default_audience());
        let width = if opts.width == 0 { PAGE_WIDTH } else { opts.width };
        match self {
            Format::Terminal => Box::new(terminal::Terminal {
                color: opts.color,
                width,
            }),
            Format::Json => Box::new(json::Json),
            Format::Markdown => Box::new(markdown::Markdown { audience }),
            Format::Html => Box::new(html::Html { audience }),
            Format::Pdf => Box::new(pdf::Pdf {
                audience,
                json: opts.json,
                seal: opts.seal,
            }),
        }
    }

    /// The supervisor's copy for what is sent to them (PDF, Markdown for an email), the
    /// practitioner's own copy otherwise.
    pub fn default_audience(self) -> Audience {
        match self {
            Format::Pdf | Format::Markdown => Audience::Supervisor,
            Format::Terminal | Format::Json | Format::Html => Audience::Practitioner,
        }
    }

    /// Whether the format is bytes a terminal should not be sent.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Pdf)
    }

    /// Whether the format can show colour, so the caller weighs `--color` and the environment
    /// only when it matters.
    pub fn shows_color(self) -> bool {
        matches!(self, Format::Terminal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    fn empty_report() -> Report {
        Report::bare(Vec::new())
    }

    /// A sink that takes nothing, as a full disk would.
    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The top line of the documents a supervisor reads: never "meets the required guidance"
    /// while a required point could not be checked or warns.
    #[test]
    fn the_documents_verdict_claims_only_what_is_known() {
        use crate::policy::Severity;
        let finding =
            |status: Status, severity: Severity| Finding::bare(status, crate::checks::Basis::Computer, Some(severity));
        let words = |findings: Vec<Finding>| {
            let mut r = empty_report();
            let statuses: Vec<Status> = findings.iter().map(|f| f.status).collect();
            r.overall = Status::overall(statuses.iter().copied());
            r.counts = Report::count(&findings);
            r.findings = findings;
            reading::overall_words(&r)
        };
        use Severity::{Recommended, Required};
        assert_eq!(
            words(vec![
                finding(Status::Pass, Required),
                finding(Status::Warn, Recommended)
            ]),
            "Meets the required guidance; 1 point needs attention."
        );
        assert_eq!(
            words(vec![
                finding(Status::Unknown, Required),
                finding(Status::Warn, Recommended)
            ]),
            "Nothing required is failing, but 1 required point could not be checked and 1 more point needs attention."
        );
        assert_eq!(
            words(vec![
                finding(Status::Unknown, Required),
                finding(Status::Unknown, Required),
                finding(Status::Warn, Required)
            ]),
            "Nothing required is failing, but 2 required points could not be checked and 1 required point needs attention."
        );
        assert!(words(vec![finding(Status::Fail, Required)]).starts_with("Not yet meeting the guidance"));
    }

    #[test]
    fn every_format_reports_a_sink_that_refuses_bytes() {
        for format in [
            Format::Terminal,
            Format::Json,
            Format::Markdown,
            Format::Html,
            Format::Pdf,
        ] {
            let err = format
                .renderer(false, PAGE_WIDTH)
                .render(&empty_report(), &mut Full)
                .unwrap_err();
            assert!(matches!(err, RenderError::Io(_)), "{format:?}: {err}");
        }
    }

    #[test]
    fn json_is_the_pretty_contract_with_a_final_newline() {
        let mut out = Vec::new();
        Format::Json
            .renderer(false, 100)
            .render(&empty_report(), &mut out)
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("{\n  \"schema\": \"confide-report/1\","));
        assert!(text.contains("\"os\": \"linux\""));
        assert!(text.ends_with("}\n"));
    }
}
