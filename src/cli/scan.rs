//! `confide scan`: checks this computer (or a replayed snapshot) and reports.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::ValueEnum;

use super::color::{self, ColorChoice};
use super::document::{self, Destination};
use super::values::{self, IdKind, Ids};
use super::width;
use super::{Failure, exit};
use crate::catalog::Catalog;
use crate::diag::InputError;
use crate::policy::{DEFAULT_POLICY, Policy, PolicySources};
use crate::profile::Profile;
use crate::redact::Redactor;
use crate::report::{Audience, Format, NoProfile, Practitioner, Replay, Report};
use crate::runner::{self, ScanOptions};
use crate::status::Status;
use crate::system::System;
use crate::system::exec::ExecLimits;
use crate::system::files::{InputKind, open_input, read_input};
use crate::system::live::LiveSystem;
use crate::system::net::NetworkOptions;
use crate::system::record::RecordingSystem;
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
    /// How to write the report: `terminal` to read, `json` for scripts.
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
    /// Run only these checks (ids as `confide checks` lists them, separated by commas or spaces).
    #[arg(long, num_args = 1.., value_delimiter = ',', value_name = "ID",
          value_parser = Ids(IdKind::Check), hide_possible_values = true)]
    only: Vec<String>,
    /// Do not run these checks (they are reported as skipped); separate several with commas or spaces.
    #[arg(long, num_args = 1.., value_delimiter = ',', value_name = "ID",
          value_parser = Ids(IdKind::Check), hide_possible_values = true)]
    skip: Vec<String>,
    /// Exit with 1 when a check fails (default), or also when one warns.
    #[arg(long, value_enum, default_value_t = FailOn::Fail)]
    fail_on: FailOn,
    /// Colour the report: `auto` on a terminal unless NO_COLOR is set, `always`, or `never`.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Replace the computer's name and the names of the people who use it with placeholders in the report.
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
    #[command(flatten)]
    weekly: super::weekly::WeeklyArgs,
}

#[derive(clap::Args, Debug)]
pub(super) struct LimitArgs {
    /// Seconds one program may run before it is stopped (more than 0, at most 3600).
    #[arg(long, default_value = "5", value_name = "SECONDS", value_parser = values::seconds)]
    command_timeout: Duration,
    /// Seconds one check may take (more than 0, at most 3600); all checks run at once, so this
    /// also bounds the scan.
    #[arg(long, default_value = "30", value_name = "SECONDS", value_parser = values::seconds)]
    check_timeout: Duration,
}

/// `confide scan`.
pub(super) fn scan(
    args: ScanArgs,
    catalog: &Catalog,
    policies: &PolicySources,
    profile: Profile,
    no_profile: Option<NoProfile>,
) -> Result<i32, Failure> {
    let policy = policies.resolve(&args.policy, catalog)?;
    let practitioner = Practitioner::for_report(&profile.practitioner, args.redact);
    let (system, opts, recorded) = prepare(&args, profile)?;
    // The terminal report on the screen says it at its top; anywhere else (JSON for a script,
    // a file, --quiet, the scheduled run) stderr says it now as well.
    // The scheduled run decides once it knows whether it has news (below): cron mails whatever
    // a run prints, so a week like the last one prints nothing, not even this.
    let report_on_screen_says_it =
        args.format == Format::Terminal && args.output.is_none() && !args.weekly.quiet && !args.weekly.scheduled;
    if let Some(missing) = no_profile
        .as_ref()
        .filter(|_| !report_on_screen_says_it && !args.weekly.scheduled)
    {
        eprintln!("confide: {}", missing.stderr_line());
    }
    let mut report = run_scan(system.clone(), catalog, &policy, &opts)?;
    report.practitioner = practitioner;
    report.no_profile = no_profile;
    if let Some(recorded) = recorded {
        Redactor::from_snapshot(&recorded()).report(&mut report);
    }
    if let Some(path) = &args.replay {
        report.replay = Some(Replay {
            snapshot: (!args.redact).then(|| path.file_name().unwrap_or_default().to_string_lossy().into_owned()),
            // A replay's clock is the snapshot's `collected_at`.
            collected_at: report.generated_at,
        });
    }
    let notices = super::weekly::around_report(&mut report, &*system, &args.weekly, args.replay.is_some(), || {
        crate::schedule::installed(&*system)
    })?;
    let profile_path = opts.profile.origin.clone();
    let mut inputs: Vec<&Path> = [&args.replay, &args.ico_register, &args.ca_file, &profile_path]
        .into_iter()
        .flatten()
        .map(PathBuf::as_path)
        .collect();
    if Path::new(&args.policy).is_file() {
        inputs.push(Path::new(&args.policy));
    }
    if args.weekly.scheduled
        && let Some(missing) = &report.no_profile
        && (report.changes.is_none() || super::weekly::scheduled_has_news(&report))
    {
        // The first scheduled run, or one with news: the latest reports say it too.
        eprintln!("confide: {}", missing.stderr_line());
    }
    if !args.weekly.scheduled || args.output.is_some() || super::weekly::scheduled_has_news(&report) {
        write_report(&report, &args, &inputs)?;
    }
    for n in notices {
        eprintln!("confide: {n}");
    }
    let failing = match args.fail_on {
        FailOn::Fail => report.overall == Status::Fail,
        FailOn::Warn => matches!(report.overall, Status::Fail | Status::Warn),
    };
    Ok(if failing { exit::FINDINGS } else { exit::OK })
}

/// What the scan read, for `--redact` to learn the names to leave out of the report.
type Recorded = Box<dyn FnOnce() -> Snapshot>;

/// The System to scan, the runner's options, and (with `--redact`) what the scan read.
type Prepared = (Arc<dyn System>, ScanOptions, Option<Recorded>);

/// Checks the flags (in the order their errors have always been reported) and builds the System
/// and the options the runner needs (and, with `--redact`, a way to see what the scan read).
fn prepare(args: &ScanArgs, mut profile: Profile) -> Result<Prepared, Failure> {
    let (exec_limits, check_timeout) = limits(&args.limits);
    if let Some(ca) = &args.ca_file {
        match std::fs::metadata(ca) {
            Ok(m) if m.is_file() => {}
            Ok(m) => {
                let what = crate::system::files::what_it_is(&m);
                return Err(Failure::Usage(format!(
                    "--ca-file {}: this is {what}; give the PEM certificate file itself",
                    ca.display()
                )));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Failure::Usage(format!("--ca-file {}: no such file", ca.display())));
            }
            Err(e) => {
                return Err(Failure::Usage(format!(
                    "--ca-file {}: cannot be read: {e}",
                    ca.display()
                )));
            }
        }
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
    let (system, recorded): (Arc<dyn System>, Option<Recorded>) = match &args.replay {
        Some(path) => {
            let snapshot = load_snapshot(path)?;
            let recorded = args.redact.then(|| {
                let copy = snapshot.clone();
                Box::new(move || copy) as Recorded
            });
            (Arc::new(ReplaySystem::new(snapshot)), recorded)
        }
        None if args.redact => {
            let recorder = Arc::new(RecordingSystem::new(LiveSystem::new(exec_limits).with_network(network)));
            let reader = Arc::clone(&recorder);
            (recorder, Some(Box::new(move || reader.snapshot()) as Recorded))
        }
        None => (Arc::new(LiveSystem::new(exec_limits).with_network(network)), None),
    };
    if let Some(register) = &args.ico_register
        && open_input(register, InputKind::IcoRegister)?.is_none()
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
    Ok((system, opts, recorded))
}

/// Renders the report once, in the chosen format, to the screen or (atomically) to `--output`;
/// when the folder for `--output` does not exist, the report goes to the screen so it is not lost.
fn write_report(report: &Report, args: &ScanArgs, inputs: &[&Path]) -> Result<(), Failure> {
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
            width: width::choose(to_screen),
            // A scheduled run that speaks says only what changed; so does --quiet.
            quiet: args.weekly.quiet || (args.weekly.scheduled && args.output.is_none()),
            inputs,
        },
    )
}

/// The bounds on programs and checks (each already checked by [`values::seconds`] as clap
/// parsed it, so a zero or endless timeout never gets this far).
pub(super) fn limits(args: &LimitArgs) -> (ExecLimits, Duration) {
    let exec = ExecLimits {
        timeout: args.command_timeout,
        ..ExecLimits::default()
    };
    (exec, args.check_timeout)
}

fn load_snapshot(path: &Path) -> Result<Snapshot, Failure> {
    let text = read_input(path, InputKind::Snapshot)?
        .ok_or_else(|| InputError::whole_file(path, "cannot read the snapshot: there is no file here"))?;
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
