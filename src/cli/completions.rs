//! `confide completions <shell>`: generated from the same definition clap parses with, so they
//! always match the flags.

use clap::CommandFactory;

use super::{Cli, Failure, exit};

/// `confide completions`.
pub(super) fn completions(shell: clap_complete::Shell) -> Result<i32, Failure> {
    clap_complete::generate(shell, &mut Cli::command(), "confide", &mut std::io::stdout());
    Ok(exit::OK)
}
