//! The practitioner's own facts (`profile.toml` in the config dir): email addresses, ICO
//! registration, and attestations, each answer with the date it was confirmed so it can go stale.
//!
//! Written by `confide init` and `confide attest` through `toml_edit`, so a person's own edits and
//! comments survive; read with spans, so every mistake names its file, line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::dates::toml_to_date as to_date;
use crate::diag::InputError;
use crate::system::files::{InputKind, read_input};

/// Overrides where the profile lives (as `--profile` does).
pub const PROFILE_ENV: &str = "CONFIDE_PROFILE";

/// The profile's ICO entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ico {
    /// As written by the practitioner (the check validates it).
    pub number: Option<String>,
    pub expires: Option<Date>,
    /// The organisation or trading name as it stands on the register.
    pub name: Option<String>,
    /// Set instead of a number when the practitioner is exempt from the fee, with the reason.
    pub exempt: Option<String>,
    /// When these facts were entered.
    pub recorded: Option<Date>,
}

/// One answer to an attestation question.
#[derive(Debug, Clone, PartialEq)]
pub struct Attestation {
    pub yes: bool,
    pub confirmed: Date,
    /// A renewal or review date (insurance renewal, for instance).
    pub renewal: Option<Date>,
    /// The practitioner's own words (which platform, which insurer); shown in the report.
    pub note: Option<String>,
}

/// Who the practitioner is, as shown on the report a supervisor reads. Every field is optional:
/// a scan never needs them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Practitioner {
    pub name: Option<String>,
    /// Professional body and membership number as the practitioner writes them ("BACP 012345").
    pub membership: Option<String>,
    /// The clinical supervisor the report is for.
    pub supervisor: Option<String>,
}

/// The profile, validated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub practitioner: Practitioner,
    pub emails: Vec<String>,
    pub ico: Option<Ico>,
    pub attestations: BTreeMap<String, Attestation>,
    /// Where it was read from; `None` when there was no profile yet.
    pub origin: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    practitioner: Option<PractitionerFile>,
    #[serde(default)]
    emails: Vec<Spanned<String>>,
    ico: Option<IcoFile>,
    #[serde(default)]
    attestations: BTreeMap<Spanned<String>, AttestationFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PractitionerFile {
    name: Option<String>,
    membership: Option<String>,
    supervisor: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IcoFile {
    number: Option<String>,
    expires: Option<Spanned<toml::Value>>,
    name: Option<String>,
    exempt: Option<String>,
    recorded: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttestationFile {
    answer: Spanned<String>,
    confirmed: Spanned<toml::Value>,
    renewal: Option<Spanned<toml::Value>>,
    note: Option<String>,
}

impl Profile {
    /// Parses a profile; `known_attestation` says which attestation ids exist.
    pub fn parse(path: &Path, text: &str, known_attestation: &dyn Fn(&str) -> bool) -> Result<Profile, InputError> {
        let file: ProfileFile = toml::from_str(text).map_err(|e| syntax_error(path, text, &e))?;
        let at = |start: usize, message: String| InputError::at_offset(path, text, start, message);
        // A date is TOML's own (`2027-03-31`) or the same in quotes; anything else names the fix.
        let date = |key: &str, d: &Spanned<toml::Value>| -> Result<Date, InputError> {
            let read = match d.get_ref() {
                toml::Value::Datetime(dt) => to_date(dt),
                toml::Value::String(s) => crate::written_dates::from_text(key, s),
                other => Err(format!("{key} must be a date, not {}", other.type_str())),
            };
            let help = match d.get_ref() {
                toml::Value::String(s) => crate::written_dates::day_month_year(s).map(|iso| {
                    format!("change it to `{key} = {iso}`, or run `confide init`, which rewrites it for you")
                }),
                _ => None,
            };
            read.map_err(|why| {
                at(d.span().start, why).help(help.unwrap_or_else(|| {
                    format!("write a date as year-month-day without quotes, for example `{key} = 2027-03-31`")
                }))
            })
        };

        let mut emails = Vec::new();
        for e in &file.emails {
            let email = e.get_ref().trim();
            if !is_email(email) {
                return Err(at(e.span().start, format!("`{email}` is not an email address"))
                    .help("write each address in full, for example \"name@example.org\""));
            }
            emails.push(email.to_string());
        }
        let ico = match file.ico {
            None => None,
            Some(i) => Some(Ico {
                number: i.number,
                expires: i.expires.as_ref().map(|d| date("expires", d)).transpose()?,
                name: i.name,
                exempt: i.exempt,
                recorded: i.recorded.as_ref().map(|d| date("recorded", d)).transpose()?,
            }),
        };
        let mut attestations = BTreeMap::new();
        for (id, a) in file.attestations {
            if !known_attestation(id.get_ref()) {
                return Err(
                    at(id.span().start, format!("there is no attestation `{}`", id.get_ref()))
                        .help("`confide attest --list` shows the attestations; remove this table or fix its name"),
                );
            }
            let yes = match a.answer.get_ref().trim().to_ascii_lowercase().as_str() {
                "yes" => true,
                "no" => false,
                other => {
                    return Err(at(
                        a.answer.span().start,
                        format!("answer must be \"yes\" or \"no\", not \"{other}\""),
                    )
                    .help("write answer = \"yes\" or answer = \"no\""));
                }
            };
            attestations.insert(
                id.into_inner(),
                Attestation {
                    yes,
                    confirmed: date("confirmed", &a.confirmed)?,
                    renewal: a.renewal.as_ref().map(|d| date("renewal", d)).transpose()?,
                    note: a.note,
                },
            );
        }
        let tidy = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let practitioner = file
            .practitioner
            .map(|p| Practitioner {
                name: tidy(p.name),
                membership: tidy(p.membership),
                supervisor: tidy(p.supervisor),
            })
            .unwrap_or_default();
        Ok(Profile {
            practitioner,
            emails,
            ico,
            attestations,
            origin: Some(path.to_path_buf()),
        })
    }

    /// Reads the profile at `path`; a missing file is an empty profile unless `must_exist`.
    pub fn load(
        path: &Path,
        must_exist: bool,
        known_attestation: &dyn Fn(&str) -> bool,
    ) -> Result<Profile, InputError> {
        match read_input(path, InputKind::Profile)? {
            Some(text) => Profile::parse(path, &text, known_attestation),
            None if !must_exist => Ok(Profile::default()),
            None => Err(InputError::whole_file(path, "no profile here")
                .help(format!("create it with `confide init --profile {}`", path.display()))),
        }
    }
}

/// A profile that is not valid TOML: where and why, with the exact fix when the line is a date
/// written day first (`expires = 31/03/2027`).
fn syntax_error(path: &Path, text: &str, e: &toml::de::Error) -> InputError {
    let error = InputError::from_toml(path, text, e);
    match error
        .source_line
        .as_deref()
        .and_then(crate::written_dates::unquoted_day_month_year)
    {
        Some((message, help)) => InputError { message, ..error }.help(help),
        None => error.help(format!(
            "fix the line shown above; or, to answer confide's questions afresh, move the file aside and run `confide init --profile {}`",
            path.display()
        )),
    }
}

/// Enough to catch a slip (a missing `@`, a space), not a full RFC 5322 parser.
pub fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// A change to the profile, applied to its text so everything else in it is kept.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Name(String),
    Membership(String),
    Supervisor(String),
    Emails(Vec<String>),
    IcoNumber(String),
    IcoExpires(Date),
    IcoName(String),
    IcoExempt(String),
    IcoRecorded(Date),
    Attest { id: String, yes: bool, confirmed: Date },
    Renewal { id: String, date: Date },
    Note { id: String, note: String },
}

const HEADER: &str = "# confide profile: your own facts and confirmations, written by `confide init` and\n# `confide attest`. You may edit it; confide keeps your changes and comments.\n";

/// An edit that cannot be applied to the profile as written: `keys` lead to the value in the way
/// (for instance `ico` written as an inline table, or as a string).
#[derive(Debug, Clone, PartialEq)]
pub struct EditError {
    pub keys: Vec<String>,
    pub message: String,
    /// Where in the text the problem is, when it is not at a key (a TOML syntax error).
    pub offset: Option<usize>,
}

impl EditError {
    fn not_a_table(keys: &[&str]) -> Self {
        EditError {
            keys: keys.iter().map(|k| k.to_string()).collect(),
            message: format!(
                "confide cannot update `{}`: it is not written as a table",
                keys.join(".")
            ),
            offset: None,
        }
    }

    /// The error at the place in `text` where its key is written.
    pub fn locate(&self, path: &Path, text: &str) -> InputError {
        let doc = toml_edit::Document::parse(text).ok();
        let offset = doc.as_ref().and_then(|doc| {
            let mut table = doc.as_table();
            let mut at = None;
            for (i, key) in self.keys.iter().enumerate() {
                let (k, item) = table.get_key_value(key)?;
                at = k.span().or_else(|| item.span()).map(|s| s.start);
                if i + 1 < self.keys.len() {
                    table = item.as_table()?;
                }
            }
            at
        });
        let help = format!(
            "write it as a table on its own lines, for example [{}] followed by one key = value per line, or delete it and run the command again",
            self.keys.join(".")
        );
        InputError::at_offset(path, text, self.offset.or(offset).unwrap_or(0), self.message.clone()).help(help)
    }
}

/// Applies edits to a profile's text (empty for a new profile) and returns the new text.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Result<String, EditError> {
    use toml_edit::{Array, DocumentMut, Item, Table, value};
    let new_file = text.trim().is_empty();
    // The parser's message alone: its Display quotes the whole line, which may be megabytes; the
    // line is shown, cut to a readable width, by `locate`.
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| EditError {
        keys: Vec::new(),
        message: e.message().trim().to_string(),
        offset: e.span().map(|s| s.start),
    })?;
    let date = |d: Date| -> toml_edit::Value {
        let dt = Datetime {
            date: Some(toml::value::Date {
                year: d.year() as u16,
                month: d.month() as u8,
                day: d.day() as u8,
            }),
            time: None,
            offset: None,
        };
        toml_edit::Value::from(dt)
    };
    fn table<'a>(doc: &'a mut toml_edit::DocumentMut, key: &str) -> Result<&'a mut Table, EditError> {
        let item = doc.entry(key).or_insert_with(|| Item::Table(Table::new()));
        item.as_table_mut().ok_or_else(|| EditError::not_a_table(&[key]))
    }
    fn attestation<'a>(doc: &'a mut toml_edit::DocumentMut, id: &str) -> Result<&'a mut Table, EditError> {
        let all = table(doc, "attestations")?;
        all.set_implicit(true);
        let item = all.entry(id).or_insert_with(|| Item::Table(Table::new()));
        item.as_table_mut()
            .ok_or_else(|| EditError::not_a_table(&["attestations", id]))
    }
    for edit in edits {
        match edit {
            Edit::Name(v) => table(&mut doc, "practitioner")?["name"] = value(v.as_str()),
            Edit::Membership(v) => table(&mut doc, "practitioner")?["membership"] = value(v.as_str()),
            Edit::Supervisor(v) => table(&mut doc, "practitioner")?["supervisor"] = value(v.as_str()),
            Edit::Emails(list) => {
                let mut array = Array::new();
                for e in list {
                    array.push(e.as_str());
                }
                doc["emails"] = value(array);
            }
            Edit::IcoNumber(n) => {
                let ico = table(&mut doc, "ico")?;
                ico.remove("exempt");
                ico["number"] = value(n.as_str());
            }
            Edit::IcoExpires(d) => table(&mut doc, "ico")?["expires"] = Item::Value(date(*d)),
            Edit::IcoName(n) => table(&mut doc, "ico")?["name"] = value(n.as_str()),
            Edit::IcoExempt(reason) => {
                let ico = table(&mut doc, "ico")?;
                ico.remove("number");
                ico.remove("expires");
                ico["exempt"] = value(reason.as_str());
            }
            Edit::IcoRecorded(d) => table(&mut doc, "ico")?["recorded"] = Item::Value(date(*d)),
            Edit::Attest { id, yes, confirmed } => {
                let t = attestation(&mut doc, id)?;
                t["answer"] = value(if *yes { "yes" } else { "no" });
                t["confirmed"] = Item::Value(date(*confirmed));
            }
            Edit::Renewal { id, date: d } => attestation(&mut doc, id)?["renewal"] = Item::Value(date(*d)),
            Edit::Note { id, note } => attestation(&mut doc, id)?["note"] = value(note.as_str()),
        }
    }
    // A comment alone in a new document would end up below the keys added to it.
    Ok(if new_file {
        format!("{HEADER}{doc}")
    } else {
        doc.to_string()
    })
}

/// Parses a date typed by a person (`YYYY-MM-DD`), for flags and prompts; one typed day first
/// (`31/03/2027`) gets the exact form to type instead.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("type a date as YYYY-MM-DD, for example 2027-03-31".to_string());
    }
    s.parse::<Date>()
        .map_err(|_| match crate::written_dates::day_month_year(s) {
            Some(d) => format!(
                "`{s}` is not a date confide reads: type it as YYYY-MM-DD; for {}, type {d}",
                crate::written_dates::in_words(d)
            ),
            None => format!("`{s}` is not a date: type it as YYYY-MM-DD, for example 2027-03-31"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(_: &str) -> bool {
        true
    }

    fn parse(text: &str) -> Result<Profile, InputError> {
        Profile::parse(Path::new("profile.toml"), text, &|id| id == "insurance")
    }

    #[test]
    fn a_full_profile_parses() {
        let p = parse(
            "emails = [\"jo@example.org\"]\n[ico]\nnumber = \"ZA123456\"\nexpires = 2027-03-31\n[attestations.insurance]\nanswer = \"yes\"\nconfirmed = 2026-11-01\nrenewal = 2027-04-01\n",
        )
        .unwrap();
        assert_eq!(p.emails, ["jo@example.org"]);
        assert_eq!(p.ico.unwrap().expires, Some(jiff::civil::date(2027, 3, 31)));
        assert!(p.attestations["insurance"].yes);
    }

    #[test]
    fn mistakes_are_reported_at_their_place() {
        let cases = [
            ("emails = [\"jo.example.org\"]\n", 1, "not an email address"),
            ("[ico]\nexpires = 2026-02-30\n", 2, ""),
            ("[ico]\nexpires = \"soon\"\n", 2, ""),
            ("[ico]\nnumbr = \"ZA123456\"\n", 2, "numbr"),
            (
                "[attestations.insurence]\nanswer = \"yes\"\nconfirmed = 2026-01-01\n",
                1,
                "no attestation `insurence`",
            ),
            (
                "[attestations.insurance]\nanswer = \"maybe\"\nconfirmed = 2026-01-01\n",
                2,
                "\"yes\" or \"no\"",
            ),
            (
                "[attestations.insurance]\nanswer = \"yes\"\nconfirmed = 2026-01-01T10:00:00\n",
                3,
                "not a plain date",
            ),
        ];
        for (text, line, words) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.line, line, "{text}: {err}");
            assert!(err.message.contains(words), "{text}: {err}");
        }
    }

    #[test]
    fn edits_keep_comments_and_other_answers() {
        let text = "# my notes\nemails = [\"a@b.org\"]\n\n[attestations.insurance] # renewed with X\nanswer = \"yes\"\nconfirmed = 2026-01-01\n";
        let out = apply_edits(
            text,
            &[
                Edit::IcoNumber("Z1234567".into()),
                Edit::Renewal {
                    id: "insurance".into(),
                    date: jiff::civil::date(2027, 1, 1),
                },
            ],
        )
        .unwrap();
        assert!(out.contains("# my notes") && out.contains("# renewed with X"), "{out}");
        let p = Profile::parse(Path::new("p"), &out, &any).unwrap();
        assert_eq!(p.emails, ["a@b.org"]);
        assert_eq!(p.ico.unwrap().number.as_deref(), Some("Z1234567"));
        assert_eq!(p.attestations["insurance"].renewal, Some(jiff::civil::date(2027, 1, 1)));
        assert_eq!(p.attestations["insurance"].confirmed, jiff::civil::date(2026, 1, 1));
    }

    #[test]
    fn an_edit_of_a_profile_with_a_very_long_bad_line_says_where_in_a_readable_width() {
        // Found by tests/it/fuzz: the TOML error quoted the whole 1,000-character line.
        let text = format!("{}\nemails = []\n", "a".repeat(1000));
        let err = apply_edits(&text, &[Edit::Name("Jo".into())]).unwrap_err();
        let shown = err.locate(Path::new("p.toml"), &text).to_string();
        assert!(shown.starts_with("p.toml:1:1001:"), "{shown}");
        assert!(shown.lines().all(|l| l.chars().count() < 200), "{shown}");
    }

    #[test]
    fn a_new_profile_starts_with_a_header_and_exemption_replaces_the_number() {
        let out = apply_edits(
            "",
            &[
                Edit::IcoNumber("Z1234567".into()),
                Edit::IcoExempt("paper records only".into()),
            ],
        )
        .unwrap();
        assert!(out.starts_with("# confide profile"));
        let p = Profile::parse(Path::new("p"), &out, &any).unwrap();
        let ico = p.ico.unwrap();
        assert_eq!((ico.number, ico.exempt.as_deref()), (None, Some("paper records only")));
    }

    #[test]
    fn who_the_practitioner_is_is_kept_and_read_back() {
        let out = apply_edits(
            "emails = [\"a@b.org\"]\n",
            &[
                Edit::Name("Jane Example".into()),
                Edit::Membership("BACP 012345".into()),
                Edit::Supervisor("Sam Supervisor".into()),
            ],
        )
        .unwrap();
        let p = Profile::parse(Path::new("p"), &out, &any).unwrap();
        assert_eq!(p.practitioner.name.as_deref(), Some("Jane Example"));
        assert_eq!(p.practitioner.membership.as_deref(), Some("BACP 012345"));
        assert_eq!(p.practitioner.supervisor.as_deref(), Some("Sam Supervisor"));
        assert_eq!(p.emails, ["a@b.org"]);
        let blank = Profile::parse(Path::new("p"), "[practitioner]\nname = \"  \"\n", &any).unwrap();
        assert_eq!(blank.practitioner.name, None);
        let err = Profile::parse(Path::new("p"), "[practitioner]\nnmae = \"Jo\"\n", &any).unwrap_err();
        assert_eq!(err.line, 2, "{err}");
    }

    #[test]
    fn dates_typed_by_people() {
        assert_eq!(parse_date(" 2027-03-31 ").unwrap(), jiff::civil::date(2027, 3, 31));
        assert!(parse_date("31/03/2027").is_err());
        assert!(parse_date("2026-02-30").is_err());
    }
}
