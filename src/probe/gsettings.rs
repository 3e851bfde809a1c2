//! `gsettings get SCHEMA KEY`: how GNOME, Cinnamon and MATE keep their settings.

use crate::system::{CommandOutput, RunOutcome, System};

/// A `gsettings get` answer.
#[derive(Debug, Clone, PartialEq)]
pub enum GValue {
    Bool(bool),
    Number(i64),
    /// A GVariant string (`'local'`), without its quotes; `\'` and `\\` unescaped.
    Str(String),
    /// The schema or key is missing, gsettings is not installed, or the output is unexpected.
    Failed(String),
}

/// Parses `gsettings get SCHEMA KEY`: one line; booleans and `i` numbers bare, `u` numbers with
/// their type, strings in single quotes, or double quotes when they hold a single quote
/// (`true`, `5`, `uint32 300`, `'local'`, `''`, `"it's"`). Errors exit 1 with stdout empty and the reason on
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
            if let Some(inner) = quoted(text) {
                return GValue::Str(inner);
            }
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

/// The text inside GVariant string quotes, unescaped; `None` when `text` is not one string.
fn quoted(text: &str) -> Option<String> {
    let quote = text.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            c if c == quote => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// Reads one key and adds what was seen (or why not) to `evidence`.
pub fn get(system: &dyn System, [schema, key]: [&str; 2], evidence: &mut Vec<String>) -> GValue {
    let value = parse(&system.run("gsettings", &["get", schema, key]));
    let shown = format!("`gsettings get {schema} {key}`");
    evidence.push(match &value {
        GValue::Bool(b) => format!("{shown}: {b}"),
        GValue::Number(n) => format!("{shown}: {n}"),
        GValue::Str(text) => format!("{shown}: '{text}'"),
        GValue::Failed(why) => format!("{shown} failed: {why}"),
    });
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: i32, stdout: &str, stderr: &str) -> CommandOutput {
        CommandOutput {
            status: Some(status),
            stdout: stdout.into(),
            stderr: stderr.into(),
            ..Default::default()
        }
    }

    /// Answers of the real `gsettings` (GLib 2.74, Debian 12, gsettings-desktop-schemas 43).
    #[test]
    fn each_kind_of_answer() {
        assert_eq!(parse(&answer(0, "true\n", "")), GValue::Bool(true));
        assert_eq!(parse(&answer(0, "uint32 300\n", "")), GValue::Number(300));
        assert_eq!(parse(&answer(0, "'Adwaita'\n", "")), GValue::Str("Adwaita".into()));
        assert_eq!(parse(&answer(0, "'24h'\n", "")), GValue::Str("24h".into()));
        assert_eq!(parse(&answer(0, "''\n", "")), GValue::Str(String::new()));
        // GVariant's own text form: double quotes around a string holding a single quote.
        assert_eq!(parse(&answer(0, "\"it's\"\n", "")), GValue::Str("it's".into()));
        assert_eq!(parse(&answer(0, "\"a'b\\\"c\"\n", "")), GValue::Str("a'b\"c".into()));
        assert!(matches!(parse(&answer(0, "@as []\n", "")), GValue::Failed(_)));
        assert!(matches!(parse(&answer(0, "'a' 'b'\n", "")), GValue::Failed(_)));
        assert_eq!(
            parse(&answer(1, "", "No such schema “org.gnome.nope”\n")),
            GValue::Failed("No such schema “org.gnome.nope”".into())
        );
    }
}
