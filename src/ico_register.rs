//! Looking a registration number up in a copy of the ICO's public register that the user
//! downloaded themselves (a CSV of about 1.4 million rows). confide never downloads it: the file
//! holds personal data of sole traders. The file is streamed row by row, never loaded whole.

use std::path::Path;

use jiff::civil::Date;

/// The columns confide reads, by their names in the ICO's download.
const NUMBER: &str = "Registration_number";
const NAME: &str = "Organisation_name";
const END: &str = "End_date_of_registration";
const TIER: &str = "Payment_tier";

/// One register entry, as much as the check compares.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterEntry {
    pub number: String,
    pub name: String,
    /// `None` when the register's date could not be read (the text is in `end_text`).
    pub end: Option<Date>,
    pub end_text: String,
    pub tier: Option<String>,
}

/// Finds `number` in the register at `path`. `Err` says why the file could not be searched.
pub fn find(path: &Path, number: &str) -> Result<Option<RegisterEntry>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the header of {}: {e}", path.display()))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').trim() == name)
    };
    let (Some(number_at), Some(name_at), Some(end_at)) = (column(NUMBER), column(NAME), column(END)) else {
        return Err(format!(
            "{} does not look like the ICO register download: it needs the columns {NUMBER}, {NAME} and {END}",
            path.display()
        ));
    };
    let tier_at = column(TIER);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(None),
            Ok(true) => {}
            Err(e) => {
                return Err(format!(
                    "{} could not be read past line {}: {e}",
                    path.display(),
                    reader.position().line()
                ));
            }
        }
        if record
            .get(number_at)
            .is_some_and(|n| n.trim().eq_ignore_ascii_case(number))
        {
            let field = |i: usize| record.get(i).unwrap_or_default().trim().to_string();
            let end_text = field(end_at);
            return Ok(Some(RegisterEntry {
                number: field(number_at),
                name: field(name_at),
                end: end_text.get(..10).and_then(|d| d.parse::<Date>().ok()),
                end_text,
                tier: tier_at.map(field).filter(|t| !t.is_empty()),
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_number_and_reads_its_end_date() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("register.csv");
        std::fs::write(
            &path,
            "\u{feff}Registration_number,Organisation_name,Start_date_of_registration,End_date_of_registration,Payment_tier\nZ1234567,\"Smith, Jo\",2026-03-01,2027-02-28,Tier 1\nZA081798,Other,2025-01-01,2026-01-01,Tier 1\n",
        )
        .unwrap();
        let e = find(&path, "z1234567").unwrap().unwrap();
        assert_eq!(
            (e.name.as_str(), e.end),
            ("Smith, Jo", Some(jiff::civil::date(2027, 2, 28)))
        );
        assert_eq!(e.tier.as_deref(), Some("Tier 1"));
        assert_eq!(find(&path, "ZB239156").unwrap(), None);
    }

    #[test]
    fn a_file_without_the_columns_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.csv");
        std::fs::write(&path, "a,b\n1,2\n").unwrap();
        assert!(find(&path, "Z1234567").unwrap_err().contains("Registration_number"));
        assert!(
            find(&dir.path().join("none.csv"), "Z1234567")
                .unwrap_err()
                .contains("cannot open")
        );
    }
}
