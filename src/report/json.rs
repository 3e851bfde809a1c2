//! `--format json`: the report as pretty-printed JSON (`confide-report/1`).

use std::io::Write;

use super::{RenderError, Renderer, Report};

pub struct Json;

impl Renderer for Json {
    fn render(&self, report: &Report, out: &mut dyn Write) -> Result<(), RenderError> {
        serde_json::to_writer_pretty(&mut *out, report).map_err(|e| {
            if e.is_io() {
                RenderError::Io(e.into())
            } else {
                RenderError::Encode(e.to_string())
            }
        })?;
        out.write_all(b"\n")?;
        Ok(())
    }
}
