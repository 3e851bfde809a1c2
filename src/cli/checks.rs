//! `confide checks`: every check, where it runs and where it comes from.

use crate::catalog::Catalog;
use crate::system::OsFamily;

/// The OSes a check supports, as a person names them (`explain` shows the same list).
pub(super) fn os_list(oses: &[OsFamily]) -> String {
    oses.iter().map(|o| o.display_name()).collect::<Vec<_>>().join(", ")
}

/// `confide checks`.
pub(super) fn list_checks(catalog: &Catalog) -> String {
    let mut out = String::new();
    for check in catalog.checks() {
        let title = catalog.words(check.id()).map(|w| w.title.as_str()).unwrap_or("");
        let kind = if check.is_declarative() {
            "declarative"
        } else {
            "built-in"
        };
        out.push_str(&format!(
            "{:<20} {:<22} {:<12} {title}\n",
            check.id(),
            os_list(check.supported_os()),
            kind
        ));
    }
    out
}
