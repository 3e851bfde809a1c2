//! Reading macOS preferences with `defaults read DOMAIN KEY`.

use crate::system::{CommandOutput, RunOutcome, System};

/// What `defaults read DOMAIN KEY` said.
#[derive(Debug, Clone, PartialEq)]
pub enum Defaults {
    /// The value as printed, without its trailing newline (a number, a string, or a plist
    /// dictionary or array in its text form).
    Value(String),
    /// The key (or the whole domain) was never written.
    NotSet,
    /// Anything else; the text says what.
    Unexpected(String),
}

/// Runs `defaults read DOMAIN KEY`.
pub fn read(system: &dyn System, domain: &str, key: &str) -> Defaults {
    parse(&system.run("defaults", &["read", domain, key]))
}

/// Runs `defaults -currentHost read DOMAIN KEY`: the preferences kept per machine (the screen
/// saver's `idleTime`, for instance). `-currentHost` goes before `read`.
pub fn read_current_host(system: &dyn System, domain: &str, key: &str) -> Defaults {
    parse(&system.run("defaults", &["-currentHost", "read", domain, key]))
}

/// Parses `defaults read`. A set value is printed on stdout:
///
/// ```text
/// $ defaults read com.apple.assistant.support "Assistant Enabled"
/// 1
/// ```
///
/// An unset key exits 1 with an NSLog line and the message on stderr:
///
/// ```text
/// 2026-04-21 20:14:42.713 defaults[34193:283491]
/// The domain/default pair of (com.apple.assistant.support, Assistant Enabled) does not exist
/// ```
pub fn parse(out: &CommandOutput) -> Defaults {
    match out.outcome() {
        RunOutcome::Missing => Defaults::Unexpected("`defaults` is not available".into()),
        RunOutcome::TimedOut => Defaults::Unexpected("`defaults` timed out".into()),
        RunOutcome::Failed(e) => Defaults::Unexpected(e.to_string()),
        RunOutcome::Exited { status: Some(0) } => {
            Defaults::Value(out.stdout.trim_end_matches(['\n', '\r']).to_string())
        }
        RunOutcome::Exited { status: Some(1) } if out.stderr.contains("does not exist") => Defaults::NotSet,
        RunOutcome::Exited { status } => Defaults::Unexpected(format!(
            "`defaults` exited with {} ({})",
            status.map_or("a signal".into(), |s| s.to_string()),
            out.stderr.trim().lines().last().unwrap_or_default()
        )),
    }
}

/// A boolean preference.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultsBool {
    True,
    False,
    /// The key was never written.
    NotSet,
    /// Anything else; the text says what.
    Unexpected(String),
}

/// Parses `defaults read` for a boolean key, which prints `1` or `0`.
pub fn parse_defaults_bool(out: &CommandOutput) -> DefaultsBool {
    match parse(out) {
        Defaults::Value(v) => match v.trim() {
            "1" | "true" | "YES" => DefaultsBool::True,
            "0" | "false" | "NO" => DefaultsBool::False,
            other => DefaultsBool::Unexpected(format!(
                "unexpected value `{}`",
                other.lines().next().unwrap_or_default()
            )),
        },
        Defaults::NotSet => DefaultsBool::NotSet,
        Defaults::Unexpected(why) => DefaultsBool::Unexpected(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(status: i32, stdout: &str, stderr: &str) -> CommandOutput {
        CommandOutput {
            status: Some(status),
            stdout: stdout.into(),
            stderr: stderr.into(),
            ..Default::default()
        }
    }

    #[test]
    fn values_unset_keys_and_failures() {
        assert_eq!(parse(&out(0, "600\n", "")), Defaults::Value("600".into()));
        let missing = "2026-04-21 20:14:42.713 defaults[34193:283491] \nThe domain/default pair of (com.apple.screensaver, idleTime) does not exist\n";
        assert_eq!(parse(&out(1, "", missing)), Defaults::NotSet);
        assert!(matches!(
            parse(&out(1, "", "some other failure\n")),
            Defaults::Unexpected(_)
        ));
        assert!(matches!(parse(&CommandOutput::missing()), Defaults::Unexpected(_)));
    }

    #[test]
    fn booleans() {
        assert_eq!(parse_defaults_bool(&out(0, "1\n", "")), DefaultsBool::True);
        assert_eq!(parse_defaults_bool(&out(0, "0\n", "")), DefaultsBool::False);
        assert!(matches!(
            parse_defaults_bool(&out(0, "(\n)\n", "")),
            DefaultsBool::Unexpected(_)
        ));
    }
}
