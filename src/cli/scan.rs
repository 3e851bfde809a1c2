//! `confide scan`: checks this computer (or a replayed snapshot) and reports.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::ValueEnum;

use super::color::{self, ColorChoice};
use super::document::{self, Destination};
use super::{Failure, exit};
use crate::catalog::Catalog;
use crate::diag::InputError;
use crate::policy::{DEFAULT_POLICY, Policy, PolicySources};
use crate::profile::Profile;
use crate::report::{Audience, Format, Practitioner, Report};
use crate::runner::{self, ScanOptions};
use crate::status::Status;
use crate::system::System;
use crate::system::exec::ExecLimits;
use crate::system::live::LiveSystem;
use crate::system::net::NetworkOptions;
use crate::system::replay::ReplaySystem;
use crate::system::snapshot::Snapshot;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum FailOn {
    Fail,
    Warn,
}

#[derive(clap::Args, Debug)]
pub(super) struct ScanArgs {
    /// A policy id (see `confide policies`) or the path of a policy file.
    #[arg(long, default_value = DEFAULT_POLICY, value_name = "NAME|FILE")]
    policy: String,
    #[arg(long, value_enum, default_value_t = Format::Terminal)]
    format: Format,
    /// Who reads the report: the supervisor's copy leaves out commands (default for pdf and
    /// markdown); the practitioner's copy keeps every fix step (default for html).
    #[arg(long, value_enum, value_name = "WHO")]
    audience: Option<Audience>,
    /// With --format json --output FILE: also write FILE.minisig, signed with your key (a PDF is always signed).
    #[arg(long)]
    sign: bool,
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
pub(super) struct LimitArgs {
    /// Seconds one program may run before it is stopped.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    command_timeout: f64,
    /// Seconds one check may take; all checks run at once, so this also bounds the scan.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    check_timeout: f64,
}

/// `confide scan`.
pub(super) fn scan(
    args: ScanArgs,
    catalog: &Catalog,
    policies: &PolicySources,
    profile: Profile,
) -> Result<i32, Failure> {
    let policy = policies.resolve(&args.policy, catalog)?;
    let practitioner = Practitioner::for_report(&profile.practitioner, args.redact);
    let (system, opts) = prepare(&args, profile)?;
    let mut report = run_scan(system, catalog, &policy, &opts)?;
    report.practitioner = practitioner;
    write_report(&report, &args)?;
    let failing = match args.fail_on {
        FailOn::Fail => report.overall == Status::Fail,
        FailOn::Warn => matches!(report.overall, Status::Fail | Status::Warn),
    };
    Ok(if failing { exit::FINDINGS } else { exit::OK })
}

/// Checks the flags (in the order their errors have always been reported) and builds the System
/// and the options the runner needs.
fn prepare(args: &ScanArgs, mut profile: Profile) -> Result<(Arc<dyn System>, ScanOptions), Failure> {
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
        only: args.only.clone(),
        skip: args.skip.clone(),
        check_timeout,
        redact: args.redact,
        profile: Arc::new(profile),
        ico_register: args.ico_register.clone(),
    };
    Ok((system, opts))
}

/// Renders the report once, in the chosen format, to the screen or (atomically) to `--output`.
fn write_report(report: &Report, args: &ScanArgs) -> Result<(), Failure> {
    let to_screen = args.output.is_none();
    let color = args.format.shows_color() && color::choose(args.color, to_screen);
    document::write(
        report,
        None,
        &Destination {
            format: args.format,
            audience: args.audience,
            output: args.output.as_deref(),
            color,
            sign_json: args.sign,
        },
    )
}

/// The bounds on programs and checks, validated: a zero or endless timeout is a usage error.
pub(super) fn limits(args: &LimitArgs) -> Result<(ExecLimits, Duration), Failure> {
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

/// Runs the checks with progress on stderr when a person is watching it (`collect` too).
pub(super) fn run_scan(
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
