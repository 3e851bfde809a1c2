//! Guidance documents (`policies/*.toml`): each clause quoted, cited, mapped to the checks that
//! evidence it, with a severity, and the thresholds the checks use.
//!
//! The project's policies are embedded; the config dir's `policies/` folder and `--policy FILE`
//! add others. Every reference is validated against the catalogue, so a typo in a check id is an
//! error at its line, not a clause that silently assesses nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::catalog::Catalog;
use crate::checks::ThresholdValue;
use crate::diag::InputError;
use crate::system::files::{InputKind, read_input};

const EMBEDDED: &[(&str, &str)] = &[
    (
        "policies/bacp-working-online.toml",
        include_str!("../policies/bacp-working-online.toml"),
    ),
    (
        "policies/ncsc-cyber-essentials.toml",
        include_str!("../policies/ncsc-cyber-essentials.toml"),
    ),
];

/// The policy used when `--policy` is not given.
pub const DEFAULT_POLICY: &str = "bacp-working-online";

/// How much a clause's failing check counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The guidance says "must": a failing check fails.
    Required,
    /// The guidance says "consider": a failing check warns.
    Recommended,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    id: Spanned<String>,
    title: String,
    version: String,
    publisher: String,
    /// Where the policy's text comes from, when that is not simply `url`.
    source: Option<String>,
    url: Option<String>,
    /// The public documents the clauses quote, each cited once here by id.
    #[serde(default)]
    documents: Vec<DocumentFile>,
    #[serde(default)]
    thresholds: Vec<ThresholdFile>,
    clauses: Vec<ClauseFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentFile {
    id: Spanned<String>,
    title: String,
    author: String,
    year: Option<u16>,
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdFile {
    key: Spanned<String>,
    value: Spanned<toml::Value>,
    basis: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClauseFile {
    id: Spanned<String>,
    section: String,
    quote: String,
    /// The id of one of the policy's `[[documents]]`: the public document quoted.
    document: Option<Spanned<String>>,
    /// Free-text source, for policies written before `[[documents]]` (a URL or a title).
    source: Option<String>,
    /// The quote reproduces a slip in its source (an unclosed bracket): shown with `[sic]`.
    #[serde(default)]
    sic: bool,
    /// Where the quote was cut from a longer sentence: shown with an ellipsis there.
    cut: Option<Cut>,
    severity: Severity,
    #[serde(default)]
    checks: Vec<Spanned<String>>,
    /// The part of the clause no check covers yet (listed as not assessed).
    not_assessed: Option<String>,
}

/// The public document a clause quotes, so a reader can look the clause up: who wrote it,
/// when, its title and where to read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Citation {
    pub title: String,
    pub author: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Citation {
    /// The citation as one line: `Author (year), “Title”, URL`.
    pub fn line(&self) -> String {
        let mut out = self.author.clone();
        if let Some(year) = self.year {
            out.push_str(&format!(" ({year})"));
        }
        if !self.title.is_empty() && Some(&self.title) != self.url.as_ref() {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(&format!("“{}”", self.title));
        }
        if let Some(url) = &self.url {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(url);
        }
        out
    }

    /// What the JSON report's `source` holds: the URL where there is one, else the title.
    pub fn source(&self) -> String {
        self.url.clone().unwrap_or_else(|| self.title.clone())
    }
}

/// Which end of a quote was cut from a longer sentence in its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Cut {
    Start,
    End,
    Both,
}

/// How a quote differs from a clean sentence, so a reader does not take the source's slip or a
/// cut for confide's typo. The quote itself stays verbatim.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct QuoteMarks {
    /// The source has this slip too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sic: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut: Option<Cut>,
}

impl QuoteMarks {
    /// The quote in typographic quotation marks, with an ellipsis where it was cut and `[sic]`
    /// after a slip of the source.
    pub fn show(&self, quote: &str) -> String {
        let (before, after) = match self.cut {
            Some(Cut::Start) => ("…", ""),
            Some(Cut::End) => ("", "…"),
            Some(Cut::Both) => ("…", "…"),
            None => ("", ""),
        };
        let sic = if self.sic { " [sic]" } else { "" };
        format!("“{before}{quote}{after}”{sic}")
    }
}

/// One clause of a guidance document.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub id: String,
    pub section: String,
    /// Verbatim from the document.
    pub quote: String,
    pub marks: QuoteMarks,
    pub citation: Citation,
    pub severity: Severity,
    pub checks: Vec<String>,
    pub not_assessed: Option<String>,
}

/// A threshold value and why it is what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    pub check: String,
    pub name: String,
    pub value: ThresholdValue,
    pub basis: String,
}

/// A validated policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub id: String,
    pub title: String,
    pub version: String,
    pub publisher: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub thresholds: Vec<Threshold>,
    pub clauses: Vec<Clause>,
    /// SHA-256 of the file's text, so a report says exactly which policy judged it.
    pub sha256: String,
    pub origin: PathBuf,
}

impl Policy {
    /// Parses and validates a policy against the checks in `catalog`.
    pub fn parse(path: &Path, text: &str, catalog: &Catalog) -> Result<Policy, InputError> {
        let file: PolicyFile = toml::from_str(text).map_err(|e| {
            InputError::from_toml(path, text, &e)
                .help("fix the TOML at that place; `confide policies show bacp-working-online` prints a valid policy")
        })?;
        let at = |span: std::ops::Range<usize>, message: String| InputError::at_offset(path, text, span.start, message);

        let thresholds = thresholds(file.thresholds, catalog, &at)?;
        let documents = documents(file.documents, &at)?;
        let clauses = clauses(file.clauses, &documents, &file.publisher, catalog, &at)?;
        Ok(Policy {
            id: file.id.into_inner(),
            title: file.title,
            version: file.version,
            publisher: file.publisher,
            source: file.source,
            url: file.url,
            thresholds,
            clauses,
            sha256: hex_sha256(text),
            origin: path.to_path_buf(),
        })
    }

    /// Thresholds for one check, by name.
    pub fn thresholds_for(&self, check: &str) -> BTreeMap<String, ThresholdValue> {
        self.thresholds
            .iter()
            .filter(|t| t.check == check)
            .map(|t| (t.name.clone(), t.value))
            .collect()
    }

    /// The clauses a check evidences.
    pub fn clauses_for<'a>(&'a self, check: &'a str) -> impl Iterator<Item = &'a Clause> + 'a {
        self.clauses
            .iter()
            .filter(move |c| c.checks.iter().any(|id| id == check))
    }

    /// Every check the policy maps, in first-mention order.
    pub fn check_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for c in &self.clauses {
            for id in &c.checks {
                if !ids.contains(&id.as_str()) {
                    ids.push(id);
                }
            }
        }
        ids
    }
}

fn hex_sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where policies come from: embedded ones, then `*.toml` in the config dir's `policies/`.
pub struct PolicySources {
    files: Vec<(PathBuf, String)>,
}

impl PolicySources {
    pub fn discover(config_policies_dir: Option<&Path>) -> Result<Self, InputError> {
        let mut files: Vec<(PathBuf, String)> = EMBEDDED
            .iter()
            .map(|(p, t)| (PathBuf::from(p), t.to_string()))
            .collect();
        if let Some(dir) = config_policies_dir
            && let Ok(entries) = std::fs::read_dir(dir)
        {
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            paths.sort();
            for path in paths {
                if let Some(text) = read_input(&path, InputKind::Policy)? {
                    files.push((path, text));
                }
            }
        }
        Ok(PolicySources { files })
    }

    /// Every known policy, validated.
    pub fn all(&self, catalog: &Catalog) -> Result<Vec<Policy>, InputError> {
        self.files.iter().map(|(p, t)| Policy::parse(p, t, catalog)).collect()
    }

    /// A policy by id, or a file by path.
    pub fn resolve(&self, name_or_file: &str, catalog: &Catalog) -> Result<Policy, InputError> {
        for policy in self.all(catalog)?.into_iter().rev() {
            if policy.id == name_or_file {
                return Ok(policy);
            }
        }
        let path = Path::new(name_or_file);
        match read_input(path, InputKind::Policy)? {
            Some(text) => Policy::parse(path, &text, catalog),
            None => {
                let ids: Vec<String> = self.all(catalog)?.into_iter().map(|p| p.id).collect();
                Err(
                    InputError::whole_file(path, "no policy has this name, and no file has this path").help(format!(
                        "use one of: {} (`confide policies` lists them), or the path of a policy file",
                        ids.join(", ")
                    )),
                )
            }
        }
    }
}

/// Where a mistake is in the policy file: a span of its text, and the message.
type At<'a> = dyn Fn(std::ops::Range<usize>, String) -> InputError + 'a;

/// Each threshold names a known check's known threshold once, with a value of its kind.
fn thresholds(files: Vec<ThresholdFile>, catalog: &Catalog, at: &At<'_>) -> Result<Vec<Threshold>, InputError> {
    let mut thresholds = Vec::new();
    let mut seen_keys = BTreeSet::new();
    for t in files {
        let key = t.key.get_ref();
        let Some((check_id, name)) = key.split_once('.') else {
            return Err(
                at(t.key.span(), format!("threshold key `{key}` must be `<check>.<name>`"))
                    .help("for example key = \"uptime.max_days\""),
            );
        };
        let Some(check) = catalog.check(check_id) else {
            return Err(at(
                t.key.span(),
                format!("threshold `{key}` names an unknown check `{check_id}`"),
            )
            .help(format!("known checks: {}", catalog.ids().join(", "))));
        };
        let Some(spec) = check.thresholds().iter().find(|s| s.name == name) else {
            let known: Vec<String> = check
                .thresholds()
                .iter()
                .map(|s| format!("{check_id}.{}", s.name))
                .collect();
            return Err(
                at(t.key.span(), format!("check `{check_id}` has no threshold `{name}`")).help(if known.is_empty() {
                    format!("`{check_id}` takes no thresholds: remove this entry")
                } else {
                    format!("its thresholds: {}", known.join(", "))
                }),
            );
        };
        if !seen_keys.insert(key.clone()) {
            return Err(at(t.key.span(), format!("threshold `{key}` is set twice")).help("keep one of them"));
        }
        let value = ThresholdValue::from_toml(spec.kind, t.value.get_ref()).map_err(|why| {
            at(t.value.span(), format!("threshold `{key}` {why}")).help(format!("for example value = {}", spec.default))
        })?;
        thresholds.push(Threshold {
            check: check_id.to_string(),
            name: name.to_string(),
            value,
            basis: t.basis,
        });
    }

    Ok(thresholds)
}

/// The documents the clauses cite, by id.
fn documents(files: Vec<DocumentFile>, at: &At<'_>) -> Result<BTreeMap<String, Citation>, InputError> {
    let mut documents: BTreeMap<String, Citation> = BTreeMap::new();
    for d in files {
        let citation = Citation {
            title: d.title,
            author: d.author,
            year: d.year,
            url: d.url,
        };
        if documents.insert(d.id.get_ref().clone(), citation).is_some() {
            return Err(
                at(d.id.span(), format!("document id `{}` is used twice", d.id.get_ref()))
                    .help("give each document its own id"),
            );
        }
    }

    Ok(documents)
}

/// Each clause once, citing a known document and naming known checks.
fn clauses(
    files: Vec<ClauseFile>,
    documents: &BTreeMap<String, Citation>,
    publisher: &str,
    catalog: &Catalog,
    at: &At<'_>,
) -> Result<Vec<Clause>, InputError> {
    let mut clauses = Vec::new();
    let mut seen_ids = BTreeSet::new();
    for c in files {
        let citation = match (&c.document, &c.source) {
            (Some(doc), _) => documents.get(doc.get_ref()).cloned().ok_or_else(|| {
                let known: Vec<&str> = documents.keys().map(String::as_str).collect();
                at(
                    doc.span(),
                    format!(
                        "clause `{}` cites an unknown document `{}`",
                        c.id.get_ref(),
                        doc.get_ref()
                    ),
                )
                .help(if known.is_empty() {
                    "add a [[documents]] entry with this id (title, author, year, url)".to_string()
                } else {
                    format!("use one of: {}", known.join(", "))
                })
            })?,
            (None, Some(source)) => Citation {
                title: source.clone(),
                author: publisher.to_string(),
                year: None,
                url: source.starts_with("http").then(|| source.clone()),
            },
            (None, None) => {
                return Err(at(
                    c.id.span(),
                    format!("clause `{}` does not say which document it quotes", c.id.get_ref()),
                )
                .help("add document = \"<id of a [[documents]] entry>\""));
            }
        };
        if !seen_ids.insert(c.id.get_ref().clone()) {
            return Err(at(c.id.span(), format!("clause id `{}` is used twice", c.id.get_ref()))
                .help("give each clause its own id"));
        }
        for check in &c.checks {
            if catalog.check(check.get_ref()).is_none() {
                return Err(
                    at(check.span(), format!("unknown check id `{}`", check.get_ref())).help(format!(
                        "use one of: {} (`confide checks` lists them)",
                        catalog.ids().join(", ")
                    )),
                );
            }
        }
        clauses.push(Clause {
            id: c.id.into_inner(),
            section: c.section,
            quote: c.quote,
            marks: QuoteMarks { sic: c.sic, cut: c.cut },
            citation,
            severity: c.severity,
            checks: c.checks.into_iter().map(Spanned::into_inner).collect(),
            not_assessed: c.not_assessed,
        });
    }
    Ok(clauses)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::load(&[]).unwrap()
    }

    #[test]
    fn the_default_policy_is_valid_and_maps_its_checks() {
        let sources = PolicySources::discover(None).unwrap();
        let policy = sources.resolve(DEFAULT_POLICY, &catalog()).unwrap();
        assert!(policy.check_ids().contains(&"voice-assistants"));
        assert!(policy.check_ids().contains(&"uptime"));
        assert_eq!(policy.sha256.len(), 64);
    }

    #[test]
    fn the_cyber_essentials_policy_maps_the_device_checks() {
        let sources = PolicySources::discover(None).unwrap();
        let policy = sources.resolve("ncsc-cyber-essentials", &catalog()).unwrap();
        for id in ["user-accounts", "remote-access", "screen-lock", "os-support"] {
            assert!(policy.check_ids().contains(&id), "{id}");
        }
        assert!(policy.clauses.iter().all(|c| c.severity == Severity::Required));
        assert_eq!(
            policy.thresholds_for("screen-lock").get("max_idle_minutes"),
            Some(&ThresholdValue::Count(15))
        );
    }

    #[test]
    fn a_threshold_value_must_fit_its_kind_and_the_error_points_at_it() {
        let with = |key: &str, value: &str| {
            format!(
                "id = \"p\"\ntitle = \"t\"\nversion = \"1\"\npublisher = \"x\"\nsource = \"s\"\nclauses = []\n[[thresholds]]\nkey = \"{key}\"\nvalue = {value}\nbasis = \"b\"\n"
            )
        };
        for (key, value) in [
            ("uptime.max_days", "-3"),
            ("uptime.max_days", "1.5"),
            ("uptime.max_days", "true"),
            ("mail-encryption.require_dmarc", "0.5"),
            ("mail-encryption.require_dmarc", "\"yes\""),
        ] {
            let err = Policy::parse(Path::new("p.toml"), &with(key, value), &catalog()).unwrap_err();
            assert_eq!((err.line, err.column), (9, 9), "{key} = {value}");
            assert!(err.message.contains(key), "{}", err.message);
        }
        let ok = Policy::parse(
            Path::new("p.toml"),
            &with("mail-encryption.require_dmarc", "true"),
            &catalog(),
        )
        .unwrap();
        assert_eq!(
            ok.thresholds_for("mail-encryption").get("require_dmarc"),
            Some(&ThresholdValue::Switch(true))
        );
    }

    #[test]
    fn an_unknown_check_id_is_an_error_at_its_place() {
        let text = "id = \"p\"\ntitle = \"t\"\nversion = \"1\"\npublisher = \"x\"\nsource = \"s\"\n\n[[clauses]]\nid = \"a\"\nsection = \"s\"\nquote = \"q\"\nsource = \"s\"\nseverity = \"required\"\nchecks = [\"uptime\", \"voice-asistants\"]\n";
        let err = Policy::parse(Path::new("p.toml"), text, &catalog()).unwrap_err();
        assert_eq!((err.line, err.column), (13, 21));
        assert!(err.message.contains("voice-asistants"));
    }

    #[test]
    fn a_threshold_for_a_check_without_it_is_an_error() {
        let text = "id = \"p\"\ntitle = \"t\"\nversion = \"1\"\npublisher = \"x\"\nsource = \"s\"\nclauses = []\n[[thresholds]]\nkey = \"uptime.max_weeks\"\nvalue = 1\nbasis = \"b\"\n";
        let err = Policy::parse(Path::new("p.toml"), text, &catalog()).unwrap_err();
        assert_eq!(err.line, 8);
        assert!(err.help.unwrap().contains("uptime.max_days"));
    }

    #[test]
    fn a_bad_severity_is_an_error_with_the_allowed_values() {
        let text = "id = \"p\"\ntitle = \"t\"\nversion = \"1\"\npublisher = \"x\"\nsource = \"s\"\n[[clauses]]\nid = \"a\"\nsection = \"s\"\nquote = \"q\"\nsource = \"s\"\nseverity = \"must\"\n";
        let err = Policy::parse(Path::new("p.toml"), text, &catalog()).unwrap_err();
        assert_eq!(err.line, 11);
        assert!(err.message.contains("required"), "{}", err.message);
    }

    #[test]
    fn a_clause_citing_an_unknown_document_is_an_error_at_its_place() {
        let text = "id = \"p\"\ntitle = \"t\"\nversion = \"1\"\npublisher = \"x\"\n[[documents]]\nid = \"guide\"\ntitle = \"Guide\"\nauthor = \"X\"\nyear = 2020\nurl = \"https://example.org/guide\"\n[[clauses]]\nid = \"a\"\nsection = \"s\"\nquote = \"q\"\ndocument = \"guid\"\nseverity = \"required\"\n";
        let err = Policy::parse(Path::new("p.toml"), text, &catalog()).unwrap_err();
        assert_eq!((err.line, err.column), (15, 12));
        assert!(err.help.unwrap().contains("guide"));
        let ok = Policy::parse(Path::new("p.toml"), &text.replace("\"guid\"", "\"guide\""), &catalog()).unwrap();
        assert_eq!(
            ok.clauses[0].citation.line(),
            "X (2020), “Guide”, https://example.org/guide"
        );
    }

    #[test]
    fn a_clause_with_a_plain_source_still_cites_it_and_one_with_neither_is_an_error() {
        let text = "id = \"p\"\ntitle = \"t\"\nversion = \"1\"\npublisher = \"X\"\n[[clauses]]\nid = \"a\"\nsection = \"s\"\nquote = \"q\"\nsource = \"https://example.org/g\"\nseverity = \"required\"\n";
        let ok = Policy::parse(Path::new("p.toml"), text, &catalog()).unwrap();
        assert_eq!(ok.clauses[0].citation.url.as_deref(), Some("https://example.org/g"));
        assert_eq!(ok.clauses[0].citation.line(), "X, https://example.org/g");
        let err = Policy::parse(
            Path::new("p.toml"),
            &text.replace("source = \"https://example.org/g\"\n", ""),
            &catalog(),
        )
        .unwrap_err();
        assert_eq!(err.line, 6);
        assert!(err.message.contains("which document"), "{}", err.message);
    }

    #[test]
    fn quotes_show_cuts_and_slips_of_the_source() {
        let marks = |sic, cut| QuoteMarks { sic, cut };
        assert_eq!(marks(false, None).show("q"), "“q”");
        assert_eq!(marks(true, None).show("q (x"), "“q (x” [sic]");
        assert_eq!(marks(false, Some(Cut::Start)).show("be licensed"), "“…be licensed”");
        assert_eq!(marks(false, Some(Cut::Both)).show("q"), "“…q…”");
    }
}
