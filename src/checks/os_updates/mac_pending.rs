//! macOS: the updates Software Update has found and not installed, from its own preferences
//! (`RecommendedUpdates`, readable without administrator rights, no network). macOS records no
//! date per update there, so the age is counted from the last successful check, the day the Mac
//! knew of them by at the latest.

use jiff::civil::Date;

use super::pending::{Pending, PendingUpdate};
use crate::probe::macos_defaults::{self, Defaults};
use crate::system::System;

const DOMAIN: &str = "/Library/Preferences/com.apple.SoftwareUpdate";

/// Parses `defaults read /Library/Preferences/com.apple.SoftwareUpdate RecommendedUpdates`, an
/// old-style property list of one dictionary per update (a public write-up's real output; empty,
/// it prints `(` and `)`):
///
/// ```text
/// (
///         {
///         "Display Name" = Safari;
///         "Display Version" = "16.0";
///         Identifier = "Safari16.0MontereyAuto";
///         "Product Key" = "012-49737";
///     },
///         {
///         "Display Name" = "macOS Monterey 12.6";
///         "Display Version" = "12.6";
///         Identifier = "MSU_UPDATE_21G115_patch_12.6";
///         MobileSoftwareUpdate = 1;
///         "Product Key" = "MSU_UPDATE_21G115_patch_12.6";
///     }
/// )
/// ```
///
/// A security fix is an update of macOS itself, a "Security Update" or "Security Response", or
/// Safari: the updates Apple's security releases list with fixes. `None` when it is not a list.
pub fn parse_recommended_updates(text: &str) -> Option<Vec<PendingUpdate>> {
    let inner = text.trim().strip_prefix('(')?.strip_suffix(')')?;
    let mut updates = Vec::new();
    for block in inner.split('{').skip(1) {
        let body = block.split('}').next().unwrap_or_default();
        let field = |key: &str| {
            body.lines().find_map(|line| {
                let (k, v) = line.trim().split_once(" = ")?;
                (k.trim_matches('"') == key).then(|| v.trim_end_matches(';').trim_matches('"').to_string())
            })
        };
        let name = field("Display Name").or_else(|| field("Identifier"))?;
        let version = field("Display Version");
        let id = field("Identifier").unwrap_or_default();
        let security = name.starts_with("macOS")
            || name.contains("Security")
            || name.starts_with("Safari")
            || id.starts_with("MSU_UPDATE");
        updates.push(PendingUpdate {
            name: match version {
                Some(v) if !name.contains(&v) => format!("{name} {v}"),
                _ => name,
            },
            security,
        });
    }
    Some(updates)
}

/// The updates waiting, dated by the last successful check (`last_check`).
pub(super) fn read(system: &dyn System, last_check: Option<Date>, evidence: &mut Vec<String>) -> Pending {
    let shown = format!("`defaults read {DOMAIN} RecommendedUpdates`");
    let text = match macos_defaults::read(system, DOMAIN, "RecommendedUpdates") {
        Defaults::Value(text) => text,
        Defaults::NotSet => {
            evidence.push(format!("{shown}: not set"));
            return Pending::Unreadable(
                "Software Update has not recorded a list of waiting updates on this Mac".into(),
            );
        }
        Defaults::Unexpected(why) => {
            evidence.push(format!("{shown} could not be read: {why}"));
            return Pending::Unreadable(why);
        }
    };
    let Some(updates) = parse_recommended_updates(&text) else {
        evidence.push(format!("{shown} printed something that is not a list"));
        return Pending::Unreadable("the list of waiting updates was not in the expected form".into());
    };
    evidence.push(format!(
        "{shown}: {} waiting, {} of them security fixes",
        crate::words::count(updates.len() as u64, "update"),
        updates.iter().filter(|u| u.security).count()
    ));
    let how = match last_check {
        Some(d) => format!(
            "macOS records no date per waiting update, so their age is counted from {d}, the last successful check for updates (they may have waited longer)"
        ),
        None => "macOS records no date per waiting update, and the last check's date could not be read".into(),
    };
    Pending::listed(updates, last_check, how)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_and_the_empty_list() {
        let text = "(\n        {\n        \"Display Name\" = Safari;\n        \"Display Version\" = \"16.0\";\n        Identifier = \"Safari16.0MontereyAuto\";\n        \"Product Key\" = \"012-49737\";\n    },\n        {\n        \"Display Name\" = \"Command Line Tools for Xcode\";\n        \"Display Version\" = \"14.0\";\n        Identifier = \"Command Line Tools for Xcode\";\n    }\n)";
        let found = parse_recommended_updates(text).unwrap();
        let seen: Vec<(&str, bool)> = found.iter().map(|u| (u.name.as_str(), u.security)).collect();
        assert_eq!(seen, [("Safari 16.0", true), ("Command Line Tools for Xcode 14.0", false)]);
        assert_eq!(parse_recommended_updates("(\n)").unwrap(), vec![]);
        assert_eq!(parse_recommended_updates("7"), None);
    }
}
