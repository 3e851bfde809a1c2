//! `--format json`: the report as pretty-printed JSON (`confide-report/1`).

use super::{Renderer, Report};

pub struct Json;

impl Renderer for Json {
    fn render(&self, report: &Report) -> String {
        // The model holds only strings, numbers and maps with string keys: serialising cannot fail.
        let mut text = serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    }
}
