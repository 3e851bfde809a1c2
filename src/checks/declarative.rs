//! Checks that users and organisations declare in `checks/*.toml`, without recompiling.
//!
//! ```toml
//! [probe]
//! kind = "command"            # or "file", "process"
//! program = "ufw"             # command: argv, expected exit status and/or a regex on stdout
//! args = ["status"]
//! stdout_regex = "Status: active"
//! os = ["linux"]              # where it applies (default: everywhere)
//! on_failure = "warn"         # "fail" (default) or "warn"
//! ```

use regex::Regex;
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

use super::attestation::{self, AttestationSpec};
use super::kit::{Reason as _, ReasonInfo};
use super::{Check, CheckContext, Outcome};
use crate::diag::InputError;
use crate::probe::process_match;
use crate::status::Status;
use crate::system::{FileRead, OsFamily, RunOutcome, System, human_seconds};

/// The `[probe]` table as written; validated into a [`Probe`] by [`DeclarativeCheck::from_file`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeFile {
    kind: Spanned<String>,
    #[serde(default)]
    os: Vec<OsFamily>,
    on_failure: Option<Spanned<String>>,
    program: Option<Spanned<String>>,
    args: Option<Spanned<Vec<String>>>,
    expect_status: Option<Spanned<i32>>,
    stdout_regex: Option<Spanned<String>>,
    path: Option<Spanned<String>>,
    exists: Option<Spanned<bool>>,
    contains: Option<Spanned<String>>,
    names: Option<Spanned<Vec<String>>>,
    running: Option<Spanned<bool>>,
    question: Option<Spanned<String>>,
    max_age_days: Option<Spanned<i64>>,
    renewal_warn_days: Option<Spanned<i64>>,
}

#[derive(Debug)]
enum Probe {
    Command {
        program: String,
        args: Vec<String>,
        expect_status: Option<i32>,
        stdout_regex: Option<Regex>,
    },
    File {
        path: String,
        exists: bool,
        contains: Option<Regex>,
    },
    Process {
        names: Vec<String>,
        running: bool,
    },
    Attestation(AttestationSpec),
}

/// A check defined by a `[probe]` table.
#[derive(Debug)]
pub struct DeclarativeCheck {
    id: String,
    os: Vec<OsFamily>,
    on_failure: Status,
    probe: Probe,
}

impl DeclarativeCheck {
    /// Validates a probe; every mistake names the place in `text` (the file at `path`).
    pub fn from_file(id: &str, probe: &Spanned<ProbeFile>, path: &Path, text: &str) -> Result<Self, InputError> {
        let at = |start: usize, message: String| InputError::at_offset(path, text, start, message);
        let p = probe.get_ref();
        let kind = p.kind.get_ref().as_str();
        let kind_at = p.kind.span().start;

        check_fields_fit_kind(p, kind, kind_at, &at)?;
        let probe = build_probe(p, kind, kind_at, &at)?;
        let on_failure = on_failure_status(p, &at)?;
        let os = if p.os.is_empty() {
            OsFamily::ALL.to_vec()
        } else {
            p.os.clone()
        };
        Ok(DeclarativeCheck {
            id: id.to_string(),
            os,
            on_failure,
            probe,
        })
    }

    fn failed(&self, reason: &str, summary: String) -> Outcome {
        Outcome::new(self.on_failure, format!("{}.{reason}", self.id), summary)
    }

    fn passed(&self, reason: &str, summary: String) -> Outcome {
        Outcome::new(Status::Pass, format!("{}.{reason}", self.id), summary)
    }

    fn unknown(&self, reason: &str, summary: String) -> Outcome {
        Outcome::new(Status::Unknown, format!("{}.{reason}", self.id), summary)
    }

    fn run_command(
        &self,
        system: &dyn System,
        program: &str,
        args: &[String],
        expect_status: Option<i32>,
        regex: Option<&Regex>,
    ) -> Outcome {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let shown = std::iter::once(program)
            .chain(argv.iter().copied())
            .collect::<Vec<_>>()
            .join(" ");
        let out = system.run(program, &argv);
        let status = match out.outcome() {
            RunOutcome::Missing => {
                return self.unknown(
                    "program-missing",
                    format!("`{program}` is not installed, so this could not be checked"),
                );
            }
            RunOutcome::TimedOut => {
                return self.unknown(
                    "timed-out",
                    format!("`{shown}` timed out after {}", human_seconds(system.command_timeout())),
                );
            }
            RunOutcome::Failed(e) => return self.unknown("could-not-run", format!("`{shown}` could not be run: {e}")),
            RunOutcome::Exited { status } => status,
        };
        let expect_status = match (expect_status, regex) {
            (None, None) => Some(0),
            (e, _) => e,
        };
        let mut evidence = vec![format!(
            "`{shown}` exited with status {}",
            status.map_or("(killed by a signal)".to_string(), |s| s.to_string())
        )];
        let status_ok = expect_status.is_none_or(|e| status == Some(e));
        let line = regex.map(|r| {
            out.stdout
                .lines()
                .find(|l| r.is_match(l))
                .map(str::to_string)
                .or_else(|| r.is_match(&out.stdout).then(String::new))
        });
        if let Some(Some(line)) = &line {
            evidence.push(format!("matching output: {}", line.trim()));
        }
        let regex_ok = !matches!(line, Some(None));
        let outcome = match (status_ok, regex_ok) {
            (true, true) => self.passed("matched", format!("`{shown}` gave the expected result")),
            (false, _) => self.failed(
                "status",
                format!(
                    "`{shown}` exited with {:?}, expected {}",
                    status,
                    expect_status.unwrap_or(0)
                ),
            ),
            (true, false) => self.failed(
                "output",
                format!(
                    "`{shown}` did not print anything matching `{}`",
                    regex.map(Regex::as_str).unwrap_or_default()
                ),
            ),
        };
        outcome.with_evidence(evidence)
    }

    fn run_file(&self, system: &dyn System, path: &str, exists: bool, contains: Option<&Regex>) -> Outcome {
        let path = expand_home(system, path);
        match (system.read_file(&path), exists) {
            (FileRead::Unreadable(e), _) => self.unknown("unreadable", format!("{path} could not be read: {e}")),
            (FileRead::Missing, true) => self.failed("missing", format!("{path} does not exist")),
            (FileRead::Missing, false) => self.passed("absent", format!("{path} does not exist, as expected")),
            (_, false) => self.failed("present", format!("{path} exists, but should not")),
            (FileRead::Directory, true) if contains.is_some() => self.unknown(
                "directory",
                format!("{path} is a folder, so its contents cannot be searched"),
            ),
            (FileRead::Directory, true) => self.passed("present", format!("{path} exists")),
            (FileRead::Contents(text), true) => match contains {
                None => self.passed("present", format!("{path} exists")),
                Some(r) => match text.lines().find(|l| r.is_match(l)) {
                    Some(line) => self
                        .passed("matched", format!("{path} contains `{}`", r.as_str()))
                        .with_evidence([format!("{path}: {}", line.trim())]),
                    None if r.is_match(&text) => self.passed("matched", format!("{path} contains `{}`", r.as_str())),
                    None => self.failed("not-matched", format!("{path} does not contain `{}`", r.as_str())),
                },
            },
        }
    }

    fn run_process(&self, system: &dyn System, names: &[String], running: bool) -> Outcome {
        let list = system.processes();
        if list.is_empty() {
            return self.unknown(
                "no-process-list",
                "the list of running programs could not be read".to_string(),
            );
        }
        let patterns: Vec<&str> = names.iter().map(String::as_str).collect();
        let found = process_match::find(&list, &patterns);
        let evidence: Vec<String> = found.iter().map(|p| process_match::describe(p)).collect();
        let wanted = super::join_names(names);
        let outcome = match (found.is_empty(), running) {
            (false, true) => self.passed("running", format!("{wanted} is running")),
            (true, true) => self.failed("not-running", format!("none of {wanted} is running")),
            (true, false) => self.passed("not-running", format!("none of {wanted} is running")),
            (false, false) => self.failed("running", format!("{wanted} is running, but should not be")),
        };
        outcome.with_evidence(evidence)
    }
}

/// Where a mistake is: an offset in the file being read, and the message.
type At<'a> = dyn Fn(usize, String) -> InputError + 'a;

/// Fields that belong to another kind are mistakes, not silently ignored.
fn check_fields_fit_kind(p: &ProbeFile, kind: &str, kind_at: usize, at: &At<'_>) -> Result<(), InputError> {
    let fields: [(&str, Option<usize>, &str); 12] = [
        ("program", p.program.as_ref().map(|s| s.span().start), "command"),
        ("args", p.args.as_ref().map(|s| s.span().start), "command"),
        (
            "expect_status",
            p.expect_status.as_ref().map(|s| s.span().start),
            "command",
        ),
        (
            "stdout_regex",
            p.stdout_regex.as_ref().map(|s| s.span().start),
            "command",
        ),
        ("path", p.path.as_ref().map(|s| s.span().start), "file"),
        ("exists", p.exists.as_ref().map(|s| s.span().start), "file"),
        ("contains", p.contains.as_ref().map(|s| s.span().start), "file"),
        ("names", p.names.as_ref().map(|s| s.span().start), "process"),
        ("running", p.running.as_ref().map(|s| s.span().start), "process"),
        ("question", p.question.as_ref().map(|s| s.span().start), "attestation"),
        (
            "max_age_days",
            p.max_age_days.as_ref().map(|s| s.span().start),
            "attestation",
        ),
        (
            "renewal_warn_days",
            p.renewal_warn_days.as_ref().map(|s| s.span().start),
            "attestation",
        ),
    ];
    if !matches!(kind, "command" | "file" | "process" | "attestation") {
        return Err(at(kind_at, format!("unknown probe kind `{kind}`"))
            .help("use kind = \"command\", \"file\", \"process\" or \"attestation\""));
    }
    if let Some((name, Some(start), owner)) = fields
        .iter()
        .find(|(_, start, owner)| start.is_some() && *owner != kind)
    {
        return Err(at(
            *start,
            format!("`{name}` belongs to a {owner} probe, but this probe is kind = \"{kind}\""),
        )
        .help(format!("remove `{name}`, or change the kind to \"{owner}\"")));
    }
    Ok(())
}

/// The probe of `kind`, with every field it needs and each pattern compiled.
fn build_probe(p: &ProbeFile, kind: &str, kind_at: usize, at: &At<'_>) -> Result<Probe, InputError> {
    let regex = |field: &Option<Spanned<String>>| -> Result<Option<Regex>, InputError> {
        field
            .as_ref()
            .map(|s| {
                Regex::new(s.get_ref()).map_err(|e| {
                    let detail = e.to_string().lines().last().unwrap_or("invalid").trim().trim_start_matches("error: ").to_string();
                    at(s.span().start, format!("invalid regular expression: {detail}"))
                        .help("fix the pattern (Rust `regex` syntax); in TOML, a literal string in single quotes keeps backslashes as written")
                })
            })
            .transpose()
    };
    let missing = |field: &str| {
        at(kind_at, format!("a {kind} probe needs `{field}`")).help(format!("add `{field} = …` to the [probe] table"))
    };

    let probe = match kind {
        "command" => Probe::Command {
            program: p.program.as_ref().ok_or_else(|| missing("program"))?.get_ref().clone(),
            args: p.args.as_ref().map(|a| a.get_ref().clone()).unwrap_or_default(),
            expect_status: p.expect_status.as_ref().map(|s| *s.get_ref()),
            stdout_regex: regex(&p.stdout_regex)?,
        },
        "file" => Probe::File {
            path: p.path.as_ref().ok_or_else(|| missing("path"))?.get_ref().clone(),
            exists: p.exists.as_ref().is_none_or(|e| *e.get_ref()),
            contains: regex(&p.contains)?,
        },
        "attestation" => {
            let question = p
                .question
                .as_ref()
                .ok_or_else(|| missing("question"))?
                .get_ref()
                .trim()
                .to_string();
            let days = |field: &Option<Spanned<i64>>, name: &str| -> Result<Option<i64>, InputError> {
                match field {
                    Some(d) if *d.get_ref() < 1 => Err(at(d.span().start, format!("`{name}` must be at least 1 day"))
                        .help("give a number of days, for example 365")),
                    Some(d) => Ok(Some(*d.get_ref())),
                    None => Ok(None),
                }
            };
            Probe::Attestation(AttestationSpec {
                question,
                max_age_days: days(&p.max_age_days, "max_age_days")?.ok_or_else(|| missing("max_age_days"))?,
                renewal_warn_days: days(&p.renewal_warn_days, "renewal_warn_days")?,
            })
        }
        _ => {
            let names = p.names.as_ref().ok_or_else(|| missing("names"))?;
            if names.get_ref().is_empty() {
                return Err(
                    at(names.span().start, "`names` is empty".to_string()).help("list at least one process name")
                );
            }
            Probe::Process {
                names: names.get_ref().clone(),
                running: p.running.as_ref().is_none_or(|r| *r.get_ref()),
            }
        }
    };
    Ok(probe)
}

/// `on_failure`: fail (the default) or warn.
fn on_failure_status(p: &ProbeFile, at: &At<'_>) -> Result<Status, InputError> {
    let status = match p.on_failure.as_ref().map(|s| (s.get_ref().as_str(), s.span().start)) {
        None | Some(("fail", _)) => Status::Fail,
        Some(("warn", _)) => Status::Warn,
        Some((other, start)) => {
            return Err(at(
                start,
                format!("on_failure must be \"fail\" or \"warn\", not \"{other}\""),
            )
            .help("write on_failure = \"warn\" or leave it out (fail)"));
        }
    };
    Ok(status)
}

/// Expands a leading `~/` (or `~\`) with the user's home folder.
fn expand_home(system: &dyn System, path: &str) -> String {
    let Some(rest) = path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\")) else {
        return path.to_string();
    };
    match system.env("HOME").or_else(|| system.env("USERPROFILE")) {
        Some(home) => format!("{}/{rest}", home.trim_end_matches(['/', '\\'])),
        None => path.to_string(),
    }
}

impl Check for DeclarativeCheck {
    fn id(&self) -> &str {
        &self.id
    }

    fn supported_os(&self) -> &[OsFamily] {
        &self.os
    }

    fn run(&self, ctx: &CheckContext<'_>) -> Outcome {
        match &self.probe {
            Probe::Command {
                program,
                args,
                expect_status,
                stdout_regex,
            } => self.run_command(ctx.system, program, args, *expect_status, stdout_regex.as_ref()),
            Probe::File { path, exists, contains } => self.run_file(ctx.system, path, *exists, contains.as_ref()),
            Probe::Process { names, running } => self.run_process(ctx.system, names, *running),
            Probe::Attestation(spec) => {
                let mut out = attestation::judge(
                    &self.id,
                    spec,
                    ctx.profile.attestations.get(&self.id),
                    attestation::today(ctx.system),
                );
                if out.status == Status::Fail && self.on_failure == Status::Warn {
                    out.status = Status::Warn;
                }
                out
            }
        }
    }

    fn is_declarative(&self) -> bool {
        true
    }

    fn reasons(&self) -> Vec<ReasonInfo> {
        let fail = self.on_failure;
        let info = |code, status, meaning| ReasonInfo { code, status, meaning };
        match &self.probe {
            Probe::Command { .. } => vec![
                info("matched", Status::Pass, "The program gave the expected result."),
                info("status", fail, "The program exited with another status than expected."),
                info("output", fail, "The program's output did not match what was expected."),
                info("program-missing", Status::Unknown, "The program is not installed."),
                info("timed-out", Status::Unknown, "The program did not finish in time."),
                info("could-not-run", Status::Unknown, "The program could not be started."),
            ],
            Probe::File {
                exists: true, contains, ..
            } => {
                let mut list = vec![
                    info("present", Status::Pass, "The file exists."),
                    info("missing", fail, "The file does not exist."),
                    info("unreadable", Status::Unknown, "The file could not be read."),
                ];
                if contains.is_some() {
                    list.extend([
                        info("matched", Status::Pass, "The file contains what was expected."),
                        info("not-matched", fail, "The file does not contain what was expected."),
                        info(
                            "directory",
                            Status::Unknown,
                            "The path is a folder, whose contents cannot be searched.",
                        ),
                    ]);
                    list.remove(0);
                }
                list
            }
            Probe::File { exists: false, .. } => vec![
                info("absent", Status::Pass, "The file does not exist, as expected."),
                info("present", fail, "The file exists, but should not."),
                info("unreadable", Status::Unknown, "The file could not be read."),
            ],
            Probe::Process { running, .. } => {
                let (yes, no) = if *running {
                    (Status::Pass, fail)
                } else {
                    (fail, Status::Pass)
                };
                vec![
                    info("running", yes, "One of the programs is running."),
                    info("not-running", no, "None of the programs is running."),
                    info(
                        "no-process-list",
                        Status::Unknown,
                        "The list of running programs could not be read.",
                    ),
                ]
            }
            Probe::Attestation(spec) => attestation::Reason::ALL
                .iter()
                .filter(|r| r.applies_to(spec))
                .map(|r| {
                    let status = match r.status() {
                        Status::Fail => fail,
                        other => other,
                    };
                    info(r.code(), status, r.meaning())
                })
                .collect(),
        }
    }

    fn attestation(&self) -> Option<&AttestationSpec> {
        match &self.probe {
            Probe::Attestation(spec) => Some(spec),
            _ => None,
        }
    }
}
