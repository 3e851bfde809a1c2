//! `gsettings get SCHEMA KEY`: how GNOME, Cinnamon and MATE keep their settings.

use crate::system::{CommandOutput, RunOutcome, System};

/// A `gsettings get` answer.
#[derive(Debug, Clone, PartialEq)]
pub enum GValue {
    Bool(bool),
    Number(i64),
    /// The schema or key is missing, gsettings is not installed, or the output is unexpected.
    Failed(String),
}

/// Parses `gsettings get SCHEMA KEY`: one line; booleans and `i` numbers bare, `u` numbers with
/// their type (`true`, `5`, `uint32 300`). Errors exit 1 with stdout empty and the reason on
/// stderr (`No such schema “org.mate.session”`, `No schemas installed`, `No such key “…”`).
pub fn parse(out: &CommandOutput) -> GValue {
    match out.outcome() {
        RunOutcome::Missing => GValue::Failed("`gsettings` is not installed".into()),
        RunOutcome::TimedOut => GValue::Failed("`gsettings` timed out".into()),
        RunOutcome::Failed(e) => GValue::Failed(e.to_string()),
        RunOutcome::Exited { status: Some(0) } => {
            let text = out.stdout.trim();
            let number = ["uint32 ", "int32 ", "uint64 ", "int64 "]
                .iter()
                .find_map(|p| text.strip_prefix(p))
                .unwrap_or(text);
            match text {
                "true" => GValue::Bool(true),
                "false" => GValue::Bool(false),
                _ => number
                    .parse()
                    .map(GValue::Number)
                    .unwrap_or_else(|_| GValue::Failed(format!("unexpected value `{text}`"))),
            }
        }
        RunOutcome::Exited { .. } => GValue::Failed(
            out.stderr
                .trim()
                .lines()
                .next()
                .unwrap_or("`gsettings` failed without saying why")
                .to_string(),
        ),
    }
}

/// Reads one key and adds what was seen (or why not) to `evidence`.
pub fn get(system: &dyn System, [schema, key]: [&str; 2], evidence: &mut Vec<String>) -> GValue {
    let value = parse(&system.run("gsettings", &["get", schema, key]));
    let shown = format!("`gsettings get {schema} {key}`");
    evidence.push(match &value {
        GValue::Bool(b) => format!("{shown}: {b}"),
        GValue::Number(n) => format!("{shown}: {n}"),
        GValue::Failed(why) => format!("{shown} failed: {why}"),
    });
    value
}
