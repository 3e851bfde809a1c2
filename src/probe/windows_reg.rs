//! Reading Windows registry values with `reg query KEY /v NAME`: the output is the same on every
//! display language except the error text, so only the layout and the exit status are relied on.

use crate::system::{CommandOutput, RunOutcome, System};

/// What `reg query KEY /v NAME` said.
#[derive(Debug, Clone, PartialEq)]
pub enum RegValue {
    Dword(u32),
    /// `REG_SZ` and `REG_EXPAND_SZ` data, as printed.
    Sz(String),
    /// The key or the value does not exist (exit status 1).
    NotSet,
    /// Anything else; the text says what.
    Unexpected(String),
}

/// Runs `reg query KEY /v NAME`.
pub fn query(system: &dyn System, key: &str, name: &str) -> RegValue {
    parse(&system.run("reg", &["query", key, "/v", name]), name)
}

/// Parses `reg query KEY /v NAME`. The value line is indented by four spaces and its fields are
/// separated by four spaces; a DWORD is lower-case hex; lines end in CRLF (layout from Wine's
/// reg.exe conformance tests, which run against real Windows):
///
/// ```text
///
/// HKEY_CURRENT_USER\Software\Microsoft\Speech_OneCore\Settings\VoiceActivation\UserPreferenceForAllApps
///     AgentActivationEnabled    REG_DWORD    0x1
///
/// ```
///
/// ```text
///
/// HKEY_CURRENT_USER\Control Panel\Desktop
///     ScreenSaverIsSecure    REG_SZ    0
///
/// ```
///
/// A missing key or value exits 1 and prints `ERROR: The system was unable to find the specified
/// registry key or value.` on stderr (translated on other display languages) and at most a blank
/// line on stdout; an exit 1 with anything else on stdout is not read as "not set".
pub fn parse(out: &CommandOutput, name: &str) -> RegValue {
    match out.outcome() {
        RunOutcome::Missing => RegValue::Unexpected("`reg` is not available".into()),
        RunOutcome::TimedOut => RegValue::Unexpected("`reg` timed out".into()),
        RunOutcome::Failed(e) => RegValue::Unexpected(e.to_string()),
        // A missing key or value prints nothing on stdout; exit 1 with text there is not that.
        RunOutcome::Exited { status: Some(1) } if out.stdout.trim().is_empty() => RegValue::NotSet,
        RunOutcome::Exited { status: Some(0) } => {
            let fields = out.stdout.lines().find_map(|line| {
                let (n, kind, data) = value_line(line)?;
                n.eq_ignore_ascii_case(name)
                    .then(|| (kind.to_string(), data.to_string()))
            });
            match fields {
                None => RegValue::Unexpected(format!("no value `{name}` in the output")),
                Some((kind, data)) if kind == "REG_DWORD" => {
                    match data.trim().strip_prefix("0x").map(|h| u32::from_str_radix(h, 16)) {
                        Some(Ok(v)) => RegValue::Dword(v),
                        _ => RegValue::Unexpected(format!("unexpected REG_DWORD value `{}`", data.trim())),
                    }
                }
                Some((kind, data)) if kind == "REG_SZ" || kind == "REG_EXPAND_SZ" => RegValue::Sz(data),
                Some((kind, _)) => RegValue::Unexpected(format!("`{name}` is a {kind}, not the expected type")),
            }
        }
        RunOutcome::Exited { status } => RegValue::Unexpected(format!(
            "`reg` exited with {}",
            status.map_or("a signal".into(), |s| s.to_string())
        )),
    }
}

/// One value line of `reg query` output: `    NAME    REG_TYPE    DATA` (four spaces before and
/// between the fields, CRLF at the end; DATA may itself hold spaces, and is empty for an empty
/// value). `None` for a key line (`HKEY_…`), a blank line, or any line of another shape.
pub fn value_line(line: &str) -> Option<(&str, &str, &str)> {
    let rest = line.trim_end_matches('\r').strip_prefix("    ")?;
    let mut parts = rest.splitn(3, "    ");
    let (name, kind) = (parts.next()?, parts.next()?);
    kind.starts_with("REG_")
        .then(|| (name, kind, parts.next().unwrap_or_default()))
}

impl RegValue {
    /// The value as a number: a DWORD, or a REG_SZ holding a decimal number (Windows keeps
    /// `ScreenSaveTimeOut` as text).
    pub fn as_number(&self) -> Option<u64> {
        match self {
            RegValue::Dword(v) => Some(u64::from(*v)),
            RegValue::Sz(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(status: i32, stdout: &str) -> CommandOutput {
        CommandOutput {
            status: Some(status),
            stdout: stdout.into(),
            ..Default::default()
        }
    }

    #[test]
    fn value_lines_and_the_lines_around_them() {
        assert_eq!(
            value_line("    DisplayName    REG_SZ    Zoom Workplace (64-bit)\r"),
            Some(("DisplayName", "REG_SZ", "Zoom Workplace (64-bit)"))
        );
        assert_eq!(
            value_line("    Comments    REG_SZ    "),
            Some(("Comments", "REG_SZ", ""))
        );
        assert_eq!(
            value_line("    NoModify    REG_DWORD    0x1"),
            Some(("NoModify", "REG_DWORD", "0x1"))
        );
        assert_eq!(value_line("HKEY_CURRENT_USER\\Software\\Zoom"), None);
        assert_eq!(value_line(""), None);
        assert_eq!(value_line("    End of search: 12 match(es) found."), None);
    }

    #[test]
    fn exit_1_is_not_set_only_with_nothing_on_stdout() {
        // Found by tests/it/fuzz: garbage on stdout with exit 1 read as "no policy", a pass.
        assert_eq!(parse(&out(1, "\r\n"), "AUOptions"), RegValue::NotSet);
        assert!(matches!(
            parse(&out(1, "\u{109d2}"), "AUOptions"),
            RegValue::Unexpected(_)
        ));
    }

    #[test]
    fn values_of_each_type() {
        let dword = "\r\nHKEY_LOCAL_MACHINE\\X\r\n    Foo    REG_DWORD    0x2\r\n\r\n";
        assert_eq!(parse(&out(0, dword), "Foo"), RegValue::Dword(2));
        assert_eq!(parse(&out(0, dword), "foo"), RegValue::Dword(2));
        assert!(matches!(parse(&out(0, dword), "Bar"), RegValue::Unexpected(_)));
        let sz = "\r\nHKEY_CURRENT_USER\\Control Panel\\Desktop\r\n    ScreenSaveTimeOut    REG_SZ    600\r\n\r\n";
        assert_eq!(parse(&out(0, sz), "ScreenSaveTimeOut"), RegValue::Sz("600".into()));
        assert_eq!(parse(&out(0, sz), "ScreenSaveTimeOut").as_number(), Some(600));
        let spaced = "\r\nHKEY_LOCAL_MACHINE\\X\r\n    DefaultUserName    REG_SZ    Jo Smith\r\n\r\n";
        assert_eq!(
            parse(&out(0, spaced), "DefaultUserName"),
            RegValue::Sz("Jo Smith".into())
        );
        let binary = "\r\nHKEY_LOCAL_MACHINE\\X\r\n    Foo    REG_BINARY    00\r\n\r\n";
        assert!(matches!(parse(&out(0, binary), "Foo"), RegValue::Unexpected(_)));
        assert_eq!(parse(&out(1, ""), "Foo"), RegValue::NotSet);
        assert!(matches!(
            parse(&CommandOutput::missing(), "Foo"),
            RegValue::Unexpected(_)
        ));
    }
}
