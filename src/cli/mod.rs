//! The command line: parses arguments, wires the System, catalogue, policy and renderers
//! together, and turns every outcome into one of the contract's exit codes.
//!
//! One file per subcommand (cargo-deny's layout), so a new subcommand or a change to one never
//! means reading all the others; this file holds only what they share.

mod attest;
mod checks;
mod collect;
mod color;
mod completions;
mod document;
mod explain;
mod history;
mod init;
mod key;
mod output;
mod policies;
mod profile_file;
mod report_from;
mod scan;
mod schedule;
mod schema;
mod values;
mod verify;
mod weekly;
mod width;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::catalog::Catalog;
use crate::diag::InputError;
use crate::policy::{DEFAULT_POLICY, PolicySources};
use crate::profile::Profile;
use crate::system::exec::ExecLimits;
use crate::system::live::LiveSystem;

pub use color::{ColorChoice, decide_color};

/// Exit codes (a contract: ARCHITECTURE.md).
pub mod exit {
    pub const OK: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const INPUT: i32 = 2;
    pub const CANNOT_RUN: i32 = 3;
}

#[derive(Parser, Debug)]
#[command(
    name = "confide",
    version,
    about = "Checks that your computer meets your profession's guidance for working with clients online, and says what to fix."
)]
pub struct Cli {
    /// A folder of extra check files (*.toml): reworded built-in checks and your own declarative checks.
    #[arg(long, global = true, value_name = "DIR")]
    checks_dir: Option<PathBuf>,
    /// Your profile (answers and confirmations); default: profile.toml in confide's config folder.
    #[arg(long, global = true, value_name = "FILE", env = crate::profile::PROFILE_ENV)]
    profile: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check this computer (or a recorded snapshot) against a guidance policy.
    Scan(scan::ScanArgs),
    /// Show an earlier report again in another format (PDF, HTML, Markdown), without scanning.
    Report(report_from::ReportArgs),
    /// Check that a signed report (PDF, or JSON with its .minisig) was not changed.
    Verify(verify::VerifyArgs),
    /// Your signing key: `confide key show` prints the public key to give your supervisor.
    Key {
        #[command(subcommand)]
        action: key::KeyAction,
    },
    /// Record everything the checks read into a snapshot file, to replay elsewhere.
    Collect(collect::CollectArgs),
    /// Answer confide's questions about your practice (ICO registration, insurance, …).
    Init(init::InitArgs),
    /// Confirm (or withdraw) one thing only you can know, such as `insurance`; --list shows them all.
    Attest(attest::AttestArgs),
    /// List the checks, with the operating systems each supports.
    Checks,
    /// Explain one check: what it checks, why it matters, how to fix it.
    Explain {
        /// The check id, e.g. voice-assistants (`confide checks` lists them).
        #[arg(value_parser = values::Ids(values::IdKind::Check), hide_possible_values = true)]
        id: String,
    },
    /// List the guidance policies, or show one.
    Policies {
        #[command(subcommand)]
        action: Option<policies::PoliciesAction>,
    },
    /// Show the last scans, one row per check, the most recent on the right.
    History(history::HistoryArgs),
    /// Set up, show or stop the weekly check.
    Schedule {
        #[command(subcommand)]
        action: schedule::ScheduleAction,
    },
    /// Print the JSON Schema of the report or the snapshot.
    Schema {
        #[arg(value_enum)]
        what: schema::SchemaKind,
    },
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Why a command stopped early, mapped to an exit code.
#[derive(Debug)]
enum Failure {
    Input(InputError),
    Usage(String),
    CannotRun(String),
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Input(e)
    }
}

/// Runs the command line and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { exit::INPUT } else { exit::OK };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(Failure::Input(e)) => {
            eprintln!("confide: error: {e}");
            exit::INPUT
        }
        Err(Failure::Usage(message)) => {
            eprintln!("confide: error: {message}");
            exit::INPUT
        }
        Err(Failure::CannotRun(message)) => {
            eprintln!("confide: error: {message}");
            exit::CANNOT_RUN
        }
    }
}

fn run(cli: Cli) -> Result<i32, Failure> {
    let config = crate::paths::config_dir();
    let mut check_dirs: Vec<PathBuf> = config.iter().map(|c| c.join("checks")).collect();
    check_dirs.extend(cli.checks_dir.clone());
    if let Some(dir) = &cli.checks_dir
        && !dir.is_dir()
    {
        return Err(Failure::Usage(format!(
            "--checks-dir {}: no such folder",
            dir.display()
        )));
    }
    let catalog = Catalog::load(&check_dirs)?;
    let policies = PolicySources::discover(config.as_ref().map(|c| c.join("policies")).as_deref())?;
    let explicit_profile = cli.profile.is_some();
    let profile_path = cli
        .profile
        .clone()
        .or_else(|| config.as_ref().map(|c| c.join("profile.toml")));
    let profile_path = || {
        profile_path
            .clone()
            .ok_or_else(|| Failure::Usage("no home folder to keep your profile in: pass --profile FILE".into()))
    };

    match cli.command {
        Command::Scan(args) => {
            let known = |id: &str| catalog.check(id).is_some_and(|c| c.attestation().is_some());
            let (profile, note) = match profile_path() {
                Ok(path) => (
                    Profile::load(&path, explicit_profile, &known)?,
                    (!path.exists()).then(|| crate::report::NoProfile::missing_at(&path)),
                ),
                Err(_) => (Profile::default(), Some(crate::report::NoProfile::no_home())),
            };
            scan::scan(args, &catalog, &policies, profile, note)
        }
        Command::Report(args) => report_from::report(args),
        Command::Verify(args) => verify::verify(args),
        Command::Key { action } => key::key(action),
        Command::Collect(args) => collect::collect(args, &catalog, &policies),
        Command::Init(args) => init::init(
            args,
            &profile_path()?,
            &catalog,
            &LiveSystem::new(ExecLimits::default()),
        ),
        Command::Attest(args) => attest::attest(
            args,
            &profile_path()?,
            &catalog,
            &LiveSystem::new(ExecLimits::default()),
        ),
        Command::Checks => output::print(&checks::list_checks(&catalog)),
        Command::Explain { id } => output::print(&crate::report::wrap::fill_page(
            &explain::explain(&id, &catalog, &policies.resolve(DEFAULT_POLICY, &catalog)?)?,
            width::choose(true),
        )),
        Command::Policies { action } => policies::policies(action, &policies, &catalog),
        Command::History(args) => history::history(args),
        Command::Schedule { action } => schedule::schedule(action),
        Command::Schema { what } => schema::schema(what),
        Command::Completions { shell } => completions::completions(shell),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
