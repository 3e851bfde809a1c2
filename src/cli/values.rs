//! Value parsers for flags whose words a person types: check and attestation ids (which shell
//! completions offer) and timeouts in seconds (whose messages say the allowed range).

use std::ffi::OsStr;
use std::time::Duration;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};

use crate::catalog::Catalog;

/// Which ids a completion offers after a flag or subcommand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum IdKind {
    /// Every check confide ships (after `--only`, `--skip`, `explain`).
    Check,
    /// The shipped attestations (after `attest`, `init --confirm`, `init --deny`).
    Attestation,
}

/// Accepts any id (a check added with `--checks-dir` is known only once the catalog is loaded,
/// and the runner names an unknown id with the list of known ones), but lists the shipped ids as
/// possible values so that the generated shell completions offer them. Give the argument
/// `hide_possible_values = true`: the lists are long and `confide checks` shows them.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ids(pub IdKind);

impl TypedValueParser for Ids {
    type Value = String;

    fn parse_ref(&self, cmd: &clap::Command, arg: Option<&clap::Arg>, value: &OsStr) -> Result<String, clap::Error> {
        StringValueParser::new()
            .parse_ref(cmd, arg, value)
            .map(|s| s.trim().to_string())
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(shipped_ids(self.0).into_iter()))
    }
}

/// The shipped ids of one kind, each with its title as the completion's description.
fn shipped_ids(kind: IdKind) -> Vec<PossibleValue> {
    // The embedded files are checked by the tests, so this load cannot fail in a release; if it
    // ever did, completions would offer nothing rather than stop the command.
    let Ok(catalog) = Catalog::load(&[]) else {
        return Vec::new();
    };
    catalog
        .checks()
        .iter()
        .filter(|c| kind == IdKind::Check || c.attestation().is_some())
        .map(|c| {
            let title = catalog.words(c.id()).map(|w| w.title.clone()).unwrap_or_default();
            PossibleValue::new(c.id().to_string()).help(title)
        })
        .collect()
}

/// The longest timeout confide accepts, in seconds.
pub(super) const MAX_SECONDS: f64 = 3600.0;

/// A timeout in seconds: a number greater than 0 and at most an hour, fractions allowed.
pub(super) fn seconds(value: &str) -> Result<Duration, String> {
    let range = format!(
        "a number of seconds greater than 0 and at most {MAX_SECONDS:.0} (for example 5, or 0.5 for half a second)"
    );
    let v: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("`{value}` is not a number: give {range}"))?;
    if v.is_finite() && v > 0.0 && v <= MAX_SECONDS {
        Ok(Duration::from_secs_f64(v))
    } else {
        Err(format!("{value} seconds is out of range: give {range}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_say_the_range_and_the_unit() {
        assert_eq!(seconds("5"), Ok(Duration::from_secs(5)));
        assert_eq!(seconds("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(seconds("3600"), Ok(Duration::from_secs(3600)));
        for bad in ["0", "-1", "3601", "inf", "NaN"] {
            let e = seconds(bad).unwrap_err();
            assert!(
                e.contains("greater than 0 and at most 3600") && e.contains("seconds"),
                "{bad}: {e}"
            );
        }
        assert!(seconds("abc").unwrap_err().starts_with("`abc` is not a number"));
    }

    #[test]
    fn ids_list_the_shipped_checks_and_attestations() {
        let names = |kind| -> Vec<String> { shipped_ids(kind).iter().map(|v| v.get_name().to_string()).collect() };
        let checks = names(IdKind::Check);
        let attestations = names(IdKind::Attestation);
        assert!(checks.iter().any(|i| i == "voice-assistants") && checks.iter().any(|i| i == "insurance"));
        assert!(attestations.iter().any(|i| i == "insurance"));
        assert!(
            !attestations
                .iter()
                .any(|i| i == "voice-assistants" || i == "ico-registration")
        );
    }
}
