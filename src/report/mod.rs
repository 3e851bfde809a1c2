//! One report model, one file per renderer.
//!
//! The model ([`Report`]) is built once by the runner; each output format reads it and nothing
//! else, so adding a format never touches the checks or the other formats.

pub mod json;
mod model;
pub mod terminal;

use std::io::Write;

pub use model::{Finding, GuidanceRef, Host, NotAssessed, PolicyRef, REPORT_SCHEMA, Report, Tool};

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
    Terminal,
    Json,
}

impl Format {
    /// The one place a format becomes its renderer. `color` only matters where
    /// [`Format::shows_color`] says so.
    pub fn renderer(self, color: bool) -> Box<dyn Renderer> {
        match self {
            Format::Terminal => Box::new(terminal::Terminal { color }),
            Format::Json => Box::new(json::Json),
        }
    }

    /// Whether the format can show colour, so the caller weighs `--color` and the environment
    /// only when it matters.
    pub fn shows_color(self) -> bool {
        matches!(self, Format::Terminal)
    }
}
