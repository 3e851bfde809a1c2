//! `confide checks`: every check, grouped by how it is known, in a list that fits an
//! 80-column terminal.

use crate::catalog::Catalog;
use crate::checks::Basis;
use crate::report::terminal::basis_words;
use crate::system::OsFamily;

/// The OSes a check supports, as a person names them (`explain` shows the same list).
pub(super) fn os_list(oses: &[OsFamily]) -> String {
    oses.iter().map(|o| o.display_name()).collect::<Vec<_>>().join(", ")
}

/// `confide checks`: the checks made on this computer, then the ones the practitioner
/// confirms, one line each (id and what it looks at). Most checks run on every OS, so only a
/// check that does not says where it runs, after its title.
pub(super) fn list_checks(catalog: &Catalog) -> String {
    let every_os = OsFamily::ALL.len();
    let id_width = catalog
        .checks()
        .iter()
        .map(|c| c.id().chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for basis in [Basis::Computer, Basis::You] {
        let group: Vec<_> = catalog.checks().iter().filter(|c| c.basis() == basis).collect();
        if group.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("{}:\n", basis_words(basis)));
        for check in group {
            let title = catalog.words(check.id()).map(|w| w.title.as_str()).unwrap_or("");
            let oses = check.supported_os();
            let only = if oses.len() < every_os {
                format!(" ({} only)", os_list(oses))
            } else {
                String::new()
            };
            out.push_str(&format!("  {:<id_width$}  {title}{only}\n", check.id()));
        }
    }
    out.push_str("\nEach runs on Linux, macOS and Windows unless it says otherwise.\n");
    out.push_str("`confide explain ID`: what a check looks at, why it matters, how to fix it.\n");
    out
}
