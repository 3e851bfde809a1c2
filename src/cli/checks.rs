//! `confide checks`: every check, where it runs and where it comes from.

use crate::catalog::Catalog;
use crate::report::terminal::basis_words;
use crate::system::OsFamily;

/// The OSes a check supports, as a person names them (`explain` shows the same list).
pub(super) fn os_list(oses: &[OsFamily]) -> String {
    oses.iter().map(|o| o.display_name()).collect::<Vec<_>>().join(", ")
}

/// `confide checks`: a header, then one line per check: its id, what it looks at, how it is
/// known (checked on this computer, or confirmed by you), and where it runs.
pub(super) fn list_checks(catalog: &Catalog) -> String {
    let rows: Vec<[String; 4]> = catalog
        .checks()
        .iter()
        .map(|check| {
            let title = catalog.words(check.id()).map(|w| w.title.as_str()).unwrap_or("");
            let how = basis_words(check.basis()).to_lowercase();
            [
                check.id().to_string(),
                title.to_string(),
                how,
                os_list(check.supported_os()),
            ]
        })
        .collect();
    let header = [
        "Check".to_string(),
        "What it looks at".into(),
        "How".into(),
        "Runs on".into(),
    ];
    let widths: Vec<usize> = (0..3)
        .map(|i| {
            rows.iter()
                .chain([&header])
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |r: &[String; 4]| {
        format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {}\n",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        )
    };
    let mut out = line(&header);
    for r in &rows {
        out.push_str(&line(r));
    }
    out.push_str("\n`confide explain ID` tells what a check looks at, why it matters and how to fix it.\n");
    out
}
