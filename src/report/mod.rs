//! One report model, one file per renderer.
//!
//! The model ([`Report`]) is built once by the runner; each output format reads it and nothing
//! else, so adding a format never touches the checks or the other formats.

pub mod json;
mod model;
pub mod terminal;

pub use model::{Finding, GuidanceRef, Host, NotAssessed, PolicyRef, REPORT_SCHEMA, Report, Tool};

/// A renderer turns the one report model into one output format.
pub trait Renderer {
    fn render(&self, report: &Report) -> String;
}
