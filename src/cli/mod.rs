//! The command line: parses arguments, wires the System, catalogue, policy and renderers
//! together, and turns every outcome into one of the contract's exit codes.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

mod profile_cmds;

use crate::catalog::Catalog;
use crate::diag::InputError;
use crate::policy::{DEFAULT_POLICY, Policy, PolicySources, Severity};
use crate::profile::Profile;
use crate::report::json::Json;
use crate::report::terminal::Terminal;
use crate::report::{Renderer, Report};
use crate::runner::{self, ScanOptions};
use crate::status::Status;
use crate::system::exec::ExecLimits;
use crate::system::live::{LiveSystem, process_env};
use crate::system::net::NetworkOptions;
use crate::system::record::RecordingSystem;
use crate::system::replay::ReplaySystem;
use crate::system::snapshot::Snapshot;
use crate::system::{OsFamily, System};

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
    Scan(ScanArgs),
    /// Record everything the checks read into a snapshot file, to replay elsewhere.
    Collect(CollectArgs),
    /// Answer confide's questions about your practice (ICO registration, insurance, …).
    Init(profile_cmds::InitArgs),
    /// Confirm (or withdraw) one thing only you can know, such as `insurance`; --list shows them all.
    Attest(profile_cmds::AttestArgs),
    /// List the checks, with the operating systems each supports.
    Checks,
    /// Explain one check: what it checks, why it matters, how to fix it.
    Explain {
        /// The check id, e.g. voice-assistants.
        id: String,
    },
    /// List the guidance policies, or show one.
    Policies {
        #[command(subcommand)]
        action: Option<PoliciesAction>,
    },
    /// Print the JSON Schema of the report or the snapshot.
    Schema {
        #[arg(value_enum)]
        what: SchemaKind,
    },
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand, Debug)]
enum PoliciesAction {
    /// Show one policy's clauses, checks and thresholds.
    Show { id: String },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum SchemaKind {
    Report,
    Snapshot,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Terminal,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum FailOn {
    Fail,
    Warn,
}

#[derive(clap::Args, Debug)]
struct ScanArgs {
    /// A policy id (see `confide policies`) or the path of a policy file.
    #[arg(long, default_value = DEFAULT_POLICY, value_name = "NAME|FILE")]
    policy: String,
    #[arg(long, value_enum, default_value_t = Format::Terminal)]
    format: Format,
    /// Write the report to this file instead of the screen.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Make no network requests; checks that need the network are skipped.
    #[arg(long)]
    offline: bool,
    /// Check a snapshot recorded by `confide collect` instead of this computer.
    #[arg(long, value_name = "SNAPSHOT")]
    replay: Option<PathBuf>,
    /// Run only these checks.
    #[arg(long, num_args = 1.., value_name = "ID")]
    only: Vec<String>,
    /// Do not run these checks (they are reported as skipped).
    #[arg(long, num_args = 1.., value_name = "ID")]
    skip: Vec<String>,
    /// Exit with 1 when a check fails (default), or also when one warns.
    #[arg(long, value_enum, default_value_t = FailOn::Fail)]
    fail_on: FailOn,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Leave the computer's name out of the report.
    #[arg(long)]
    redact: bool,
    /// A copy of the ICO's public register (CSV) you downloaded, to compare with your profile.
    #[arg(long, value_name = "FILE")]
    ico_register: Option<PathBuf>,
    /// Also check this email address's provider and mail security (as well as your profile's).
    #[arg(long, value_name = "ADDRESS")]
    email: Vec<String>,
    /// Send every DNS query the mail check makes to this server (IP or IP:PORT).
    #[arg(long, value_name = "IP[:PORT]", value_parser = crate::system::net::parse_dns_server)]
    dns_server: Option<std::net::SocketAddr>,
    /// Trust the certificates in this PEM file too, when fetching MTA-STS policies.
    #[arg(long, value_name = "PEM")]
    ca_file: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(clap::Args, Debug)]
struct LimitArgs {
    /// Seconds one program may run before it is stopped.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    command_timeout: f64,
    /// Seconds one check may take; all checks run at once, so this also bounds the scan.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    check_timeout: f64,
}

#[derive(clap::Args, Debug)]
struct CollectArgs {
    /// Where to write the snapshot (JSON).
    #[arg(long, value_name = "FILE")]
    output: PathBuf,
    /// Leave out the computer's name and your user name.
    #[arg(long)]
    redact: bool,
    #[command(flatten)]
    limits: LimitArgs,
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
            eprintln!("confide: the scan could not run: {message}");
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
            let profile = match profile_path() {
                Ok(path) => Profile::load(&path, explicit_profile, &known)?,
                Err(_) => Profile::default(),
            };
            scan(args, &catalog, &policies, profile)
        }
        Command::Collect(args) => collect(args, &catalog, &policies),
        Command::Init(args) => profile_cmds::init(
            args,
            &profile_path()?,
            &catalog,
            &LiveSystem::new(ExecLimits::default()),
        ),
        Command::Attest(args) => profile_cmds::attest(
            args,
            &profile_path()?,
            &catalog,
            &LiveSystem::new(ExecLimits::default()),
        ),
        Command::Checks => print(&list_checks(&catalog)),
        Command::Explain { id } => print(&explain(&id, &catalog, &policies.resolve(DEFAULT_POLICY, &catalog)?)?),
        Command::Policies { action: None } => print(&list_policies(&policies.all(&catalog)?)),
        Command::Policies {
            action: Some(PoliciesAction::Show { id }),
        } => print(&show_policy(&policies.resolve(&id, &catalog)?)),
        Command::Schema { what } => {
            let schema = match what {
                SchemaKind::Report => schemars::schema_for!(Report),
                SchemaKind::Snapshot => schemars::schema_for!(Snapshot),
            };
            print(&format!(
                "{}\n",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            ))
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "confide", &mut std::io::stdout());
            Ok(exit::OK)
        }
    }
}

fn print(text: &str) -> Result<i32, Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(exit::OK),
        // A closed pipe (`confide checks | head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(exit::OK),
        Err(e) => Err(Failure::CannotRun(format!("could not write to standard output: {e}"))),
    }
}

fn limits(args: &LimitArgs) -> Result<(ExecLimits, Duration), Failure> {
    let secs = |v: f64, flag: &str| {
        if v.is_finite() && v > 0.0 && v <= 3600.0 {
            Ok(Duration::from_secs_f64(v))
        } else {
            Err(Failure::Usage(format!(
                "{flag} must be a number of seconds between 0 and 3600, not {v}"
            )))
        }
    };
    let exec = ExecLimits {
        timeout: secs(args.command_timeout, "--command-timeout")?,
        ..ExecLimits::default()
    };
    Ok((exec, secs(args.check_timeout, "--check-timeout")?))
}

fn load_snapshot(path: &Path) -> Result<Snapshot, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::whole_file(path, format!("cannot read snapshot: {e}")))?;
    Ok(Snapshot::parse(&text, path)?)
}

fn scan(args: ScanArgs, catalog: &Catalog, policies: &PolicySources, mut profile: Profile) -> Result<i32, Failure> {
    let policy = policies.resolve(&args.policy, catalog)?;
    let (exec_limits, check_timeout) = limits(&args.limits)?;
    if let Some(ca) = &args.ca_file
        && !ca.is_file()
    {
        return Err(Failure::Usage(format!("--ca-file {}: no such file", ca.display())));
    }
    // Addresses given with --email are checked as if they were in the profile, for this scan only.
    for email in &args.email {
        let email = email.trim();
        if !crate::profile::is_email(email) {
            return Err(Failure::Usage(format!("--email `{email}` is not an email address")));
        }
        if !profile.emails.iter().any(|e| e.eq_ignore_ascii_case(email)) {
            profile.emails.push(email.to_string());
        }
    }
    let network = NetworkOptions {
        dns_server: args.dns_server,
        ca_file: args.ca_file.clone(),
        ..NetworkOptions::default()
    };
    let system: Arc<dyn System> = match &args.replay {
        Some(path) => Arc::new(ReplaySystem::new(load_snapshot(path)?)),
        None => Arc::new(LiveSystem::new(exec_limits).with_network(network)),
    };
    if let Some(register) = &args.ico_register
        && !register.is_file()
    {
        return Err(Failure::Usage(format!(
            "--ico-register {}: no such file",
            register.display()
        )));
    }
    let opts = ScanOptions {
        offline: args.offline,
        only: args.only,
        skip: args.skip,
        check_timeout,
        redact: args.redact,
        profile: Arc::new(profile),
        ico_register: args.ico_register,
    };
    let report = run_scan(system, catalog, &policy, &opts)?;

    let to_screen = args.output.is_none();
    let text = match args.format {
        Format::Json => Json.render(&report),
        Format::Terminal => {
            let color = decide_color(
                args.color,
                to_screen && std::io::stdout().is_terminal(),
                process_env("NO_COLOR"),
                process_env("CLICOLOR_FORCE"),
            );
            enable_color(color);
            Terminal { color }.render(&report)
        }
    };
    match &args.output {
        Some(path) => {
            write_atomically(path, &text)
                .map_err(|e| Failure::CannotRun(format!("could not write the report to {}: {e}", path.display())))?;
            eprintln!(
                "confide: report written to {} (overall: {})",
                path.display(),
                report.overall
            );
        }
        None => {
            print(&text)?;
        }
    }
    let failing = match args.fail_on {
        FailOn::Fail => report.overall == Status::Fail,
        FailOn::Warn => matches!(report.overall, Status::Fail | Status::Warn),
    };
    Ok(if failing { exit::FINDINGS } else { exit::OK })
}

fn run_scan(
    system: Arc<dyn System>,
    catalog: &Catalog,
    policy: &Policy,
    opts: &ScanOptions,
) -> Result<Report, Failure> {
    let show_progress = std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if show_progress {
            let mut err = std::io::stderr().lock();
            if done < total {
                let _ = write!(err, "\rconfide: checking… {done}/{total}");
            } else {
                let _ = write!(err, "\r\x1b[2K");
            }
            let _ = err.flush();
        }
    };
    runner::scan(system, catalog, policy, opts, &progress).map_err(|e| Failure::Usage(e.to_string()))
}

fn collect(args: CollectArgs, catalog: &Catalog, policies: &PolicySources) -> Result<i32, Failure> {
    let policy = policies.resolve(DEFAULT_POLICY, catalog)?;
    let (exec_limits, check_timeout) = limits(&args.limits)?;
    let recorder = Arc::new(RecordingSystem::new(LiveSystem::new(exec_limits)));
    recorder.processes();
    let only = catalog.checks().iter().map(|c| c.id().to_string()).collect();
    let opts = ScanOptions {
        only,
        check_timeout,
        ..ScanOptions::default()
    };
    run_scan(recorder.clone(), catalog, &policy, &opts)?;
    let mut snapshot = recorder.snapshot();
    if args.redact {
        snapshot.redact();
    }
    let text = serde_json::to_string_pretty(&snapshot).map_err(|e| Failure::CannotRun(e.to_string()))? + "\n";
    write_atomically(&args.output, &text)
        .map_err(|e| Failure::CannotRun(format!("could not write {}: {e}", args.output.display())))?;
    eprintln!(
        "confide: wrote {}. It holds the output of {} commands, {} files, {} environment variables and the names of {} running programs{}.\n\
         It may say who you are and what you run: share it only with someone you trust.{}",
        args.output.display(),
        snapshot.commands.len(),
        snapshot.files.len(),
        snapshot.env.len(),
        snapshot.processes.len(),
        if args.redact {
            ""
        } else {
            ", with this computer's name and your user name"
        },
        if args.redact {
            ""
        } else {
            " Use --redact to leave out the computer's name and your user name."
        },
    );
    Ok(exit::OK)
}

/// Writes through a temporary file in the same folder, so a reader never sees half a report.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Whether to colour: `--color` first, then `NO_COLOR` (any value turns colour off), then
/// `CLICOLOR_FORCE` (any value but `0` turns it on), then whether the output is a terminal.
pub fn decide_color(
    choice: ColorChoice,
    is_terminal: bool,
    no_color: Option<String>,
    clicolor_force: Option<String>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if no_color.is_some() => false,
        ColorChoice::Auto if clicolor_force.is_some_and(|v| v != "0") => true,
        ColorChoice::Auto => is_terminal,
    }
}

fn enable_color(color: bool) {
    colored::control::set_override(color);
    #[cfg(windows)]
    if color {
        let _ = colored::control::set_virtual_terminal(true);
    }
}

fn os_list(oses: &[OsFamily]) -> String {
    oses.iter().map(|o| o.display_name()).collect::<Vec<_>>().join(", ")
}

fn list_checks(catalog: &Catalog) -> String {
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

fn explain(id: &str, catalog: &Catalog, policy: &Policy) -> Result<String, Failure> {
    let check = catalog.check(id).ok_or_else(|| {
        Failure::Usage(format!(
            "unknown check id `{id}`; known checks: {}",
            catalog.ids().join(", ")
        ))
    })?;
    let words = catalog.words(id);
    let mut out = String::new();
    let title = words.map(|w| w.title.as_str()).unwrap_or(id);
    out.push_str(&format!("{title} ({id})\n\n"));
    if let Some(w) = words {
        out.push_str(&format!(
            "## What it checks\n{}\n\n## Why it matters\n{}\n\n## How to fix\n",
            w.what, w.why
        ));
        let everywhere = (!w.fix_all.is_empty()).then_some(("any system".to_string(), &w.fix_all));
        for (os, steps) in w
            .fix
            .iter()
            .map(|(os, steps)| (os.to_string(), steps))
            .chain(everywhere)
        {
            out.push_str(&format!("On {os}:\n"));
            for (n, step) in steps.iter().enumerate() {
                out.push_str(&format!("  {}. {step}\n", n + 1));
            }
        }
        if check.is_declarative() {
            out.push_str(&format!("\nDeclared in {}.\n", w.origin.display()));
        }
    }
    out.push_str(&format!("\n## Runs on\n{}\n", os_list(check.supported_os())));
    let clauses: Vec<_> = policy.clauses_for(id).collect();
    if !clauses.is_empty() {
        out.push_str(&format!("\n## Guidance ({})\n", policy.id));
        for c in clauses {
            out.push_str(&format!(
                "- {} ({}): \"{}\" [{}]\n",
                c.id,
                severity_word(c.severity),
                c.quote,
                c.source
            ));
        }
    }
    if !check.thresholds().is_empty() {
        out.push_str(&format!("\n## Thresholds ({})\n", policy.id));
        for spec in check.thresholds() {
            let set = policy.thresholds.iter().find(|t| t.check == id && t.name == spec.name);
            let value = set.map_or(spec.default, |t| t.value);
            out.push_str(&format!("- {id}.{} = {value}: {}", spec.name, spec.meaning));
            if let Some(t) = set {
                out.push_str(&format!(" ({})", t.basis));
            }
            out.push('\n');
        }
    }
    Ok(out)
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Required => "required",
        Severity::Recommended => "recommended",
    }
}

fn list_policies(policies: &[Policy]) -> String {
    policies
        .iter()
        .map(|p| {
            format!(
                "{:<24} {} ({} clauses; {})\n",
                p.id,
                p.title,
                p.clauses.len(),
                p.origin.display()
            )
        })
        .collect()
}

fn show_policy(p: &Policy) -> String {
    let mut out = format!(
        "{}\n{} — {}\nid {} · sha256 {}\n",
        p.title, p.publisher, p.version, p.id, p.sha256
    );
    if let Some(url) = &p.url {
        out.push_str(&format!("{url}\n"));
    }
    out.push_str(&format!("source: {}\n\n", p.source));
    for c in &p.clauses {
        out.push_str(&format!(
            "[{}] {} ({})\n  \"{}\"\n",
            c.id,
            c.section,
            severity_word(c.severity),
            c.quote
        ));
        if c.checks.is_empty() {
            out.push_str("  checks: none yet (not assessed)\n");
        } else {
            out.push_str(&format!("  checks: {}\n", c.checks.join(", ")));
        }
        if let Some(part) = &c.not_assessed {
            out.push_str(&format!("  not assessed: {part}\n"));
        }
    }
    if !p.thresholds.is_empty() {
        out.push_str("\nThresholds:\n");
        for t in &p.thresholds {
            out.push_str(&format!("  {}.{} = {} — {}\n", t.check, t.name, t.value, t.basis));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_flag_then_no_color_then_force_then_terminal() {
        let s = |v: &str| Some(v.to_string());
        assert!(decide_color(ColorChoice::Always, false, s("1"), None));
        assert!(!decide_color(ColorChoice::Never, true, None, s("1")));
        assert!(!decide_color(ColorChoice::Auto, true, s("1"), s("1")));
        assert!(decide_color(ColorChoice::Auto, false, None, s("1")));
        assert!(!decide_color(ColorChoice::Auto, false, None, s("0")));
        assert!(decide_color(ColorChoice::Auto, true, None, None));
        assert!(!decide_color(ColorChoice::Auto, false, None, None));
    }

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
