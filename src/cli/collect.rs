//! `confide collect`: records everything the checks read into a snapshot, to replay elsewhere.

use std::path::PathBuf;
use std::sync::Arc;

use super::scan::{LimitArgs, limits, run_scan};
use super::{Failure, exit};
use crate::catalog::Catalog;
use crate::policy::{DEFAULT_POLICY, PolicySources};
use crate::runner::ScanOptions;
use crate::system::System;
use crate::system::files::write_atomically;
use crate::system::live::LiveSystem;
use crate::system::record::RecordingSystem;

#[derive(clap::Args, Debug)]
pub(super) struct CollectArgs {
    /// Where to write the snapshot (JSON).
    #[arg(long, value_name = "FILE")]
    output: PathBuf,
    /// Replace the computer's name and the names of the people who use it (yours and other accounts') with placeholders.
    #[arg(long)]
    redact: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

/// `confide collect`.
pub(super) fn collect(args: CollectArgs, catalog: &Catalog, policies: &PolicySources) -> Result<i32, Failure> {
    let policy = policies.resolve(DEFAULT_POLICY, catalog)?;
    let (exec_limits, check_timeout) = limits(&args.limits);
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
    write_atomically(&args.output, &[], |out| out.write_all(text.as_bytes()))
        .map_err(|e| Failure::CannotRun(e.to_string()))?;
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
            " Use --redact to replace the computer's name and people's names with placeholders."
        },
    );
    Ok(exit::OK)
}
