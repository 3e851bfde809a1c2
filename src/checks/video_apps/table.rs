//! The table of video-calling programs (`policies/data/video-apps.toml`): how each OS records
//! them, and what their vendors published about end of life and minimum versions.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use jiff::civil::Date;
use serde::Deserialize;

use crate::system::OsFamily;

/// The whole table, dated.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    #[serde(deserialize_with = "crate::dates::toml_date")]
    pub made: Date,
    pub apps: Vec<App>,
}

/// One program and what is known about it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct App {
    pub name: String,
    /// App bundle paths.
    pub macos: Vec<String>,
    /// Starts of the DisplayName in the Uninstall registry keys.
    pub windows: Vec<String>,
    /// DisplayName starts that look like this program's but are another product.
    #[serde(default)]
    pub windows_not: Vec<String>,
    /// Package names, Flatpak ids, Snap names.
    pub linux: Vec<String>,
    #[serde(default, deserialize_with = "crate::dates::optional_toml_date")]
    pub end_of_life: Option<Date>,
    pub eol_source: Option<String>,
    /// Lowest accepted version per OS id (`macos`, `windows`, `linux`).
    #[serde(default)]
    pub minimum: BTreeMap<String, String>,
    pub minimum_source: Option<String>,
}

impl App {
    /// The vendor's minimum version on `os`, if it publishes one.
    pub fn minimum_on(&self, os: OsFamily) -> Option<&str> {
        self.minimum.get(os.id()).map(String::as_str)
    }
}

static TABLE: LazyLock<Result<Table, String>> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../policies/data/video-apps.toml")).map_err(|e| e.to_string())
});

/// The built-in table, or why it could not be read.
pub fn table() -> Result<&'static Table, &'static str> {
    TABLE.as_ref().map_err(String::as_str)
}

/// The numbers in a version as written by a vendor (`6.4.6 (53970)`, `8.51.0.72`,
/// `1:6.0.2.4680`, `5.17.11.34827`): the leading run of dot-separated numbers after any Debian
/// epoch. `None` when it does not start with a number.
pub fn version_parts(version: &str) -> Option<Vec<u64>> {
    let v = version.trim();
    let v = match v.split_once(':') {
        Some((epoch, rest)) if epoch.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => v,
    };
    let mut parts = Vec::new();
    let mut after = "";
    for piece in v.split('.') {
        let digits: String = piece.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            break;
        }
        parts.push(digits.parse().ok()?);
        if digits.len() != piece.len() {
            after = &piece[digits.len()..];
            break;
        }
    }
    // What may follow the numbers in a real version: a build or packaging suffix (` (53970)`,
    // `-1`, `+dfsg`, `~ubuntu`, `_64`, `b2`), written in the characters Debian's and vendors'
    // versions use. Anything else (`7}`, `7Aૐ`) is not a version.
    let follows = after
        .chars()
        .next()
        .is_none_or(|c| c.is_ascii_alphabetic() || " -+~_(".contains(c))
        && after
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " .-+~_():".contains(c));
    (!parts.is_empty() && follows).then_some(parts)
}

/// Whether `installed` is below `minimum`, compared part by part over the minimum's parts only
/// (a missing part counts as 0). `None` when either is not a version.
pub fn is_below(installed: &str, minimum: &str) -> Option<bool> {
    let have = version_parts(installed)?;
    let want = version_parts(minimum)?;
    for (i, w) in want.iter().enumerate() {
        match have.get(i).copied().unwrap_or(0).cmp(w) {
            Ordering::Less => return Some(true),
            Ordering::Greater => return Some(false),
            Ordering::Equal => {}
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_every_dated_row_names_its_source() {
        let t = table().unwrap();
        assert!(t.apps.iter().any(|a| a.name == "Skype" && a.end_of_life.is_some()));
        for a in &t.apps {
            assert!(a.end_of_life.is_none() || a.eol_source.is_some(), "{}", a.name);
            assert!(a.minimum.is_empty() || a.minimum_source.is_some(), "{}", a.name);
            for (os, v) in &a.minimum {
                assert!(["macos", "windows", "linux"].contains(&os.as_str()), "{os}");
                assert!(version_parts(v).is_some(), "{v}");
            }
        }
    }

    #[test]
    fn versions_are_compared_over_the_minimums_parts() {
        assert_eq!(version_parts("6.4.6 (53970)"), Some(vec![6, 4, 6]));
        assert_eq!(version_parts("1:6.0.2.4680"), Some(vec![6, 0, 2, 4680]));
        assert_eq!(version_parts("8.51.0.72"), Some(vec![8, 51, 0, 72]));
        assert_eq!(version_parts("unknown"), None);
        assert_eq!(version_parts("5.17.11-1+deb12u1"), Some(vec![5, 17, 11]));
        // Found by tests/it/fuzz: `defaults` answering `7}` read as version 7, a pass.
        assert_eq!(version_parts("7}"), None);
        assert_eq!(version_parts("7Aૐ"), None);
        assert_eq!(version_parts("7b2 (1234)"), Some(vec![7]));
        assert_eq!(is_below("5.16.10.26186", "5.17"), Some(true));
        assert_eq!(is_below("5.17.31859", "5.17"), Some(false));
        assert_eq!(is_below("6.0.1", "6.0.2"), Some(true));
        assert_eq!(is_below("6.0.2 (12345)", "6.0.2"), Some(false));
        assert_eq!(is_below("6", "6.0.2"), Some(true));
        assert_eq!(is_below("", "6.0.2"), None);
    }
}
