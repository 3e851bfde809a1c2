//! `confide key show`: the practitioner's public key, to give a supervisor once so that they can
//! check every later report with `confide verify --key`.

use super::document::key_dir;
use super::output::print;
use super::{Failure, exit};
use crate::signing::{KEY_FILE, Key};

#[derive(clap::Subcommand, Debug)]
pub(super) enum KeyAction {
    /// Print your public key and its fingerprint (made the first time it is needed).
    Show,
}

/// `confide key show`.
pub(super) fn key(action: KeyAction) -> Result<i32, Failure> {
    match action {
        KeyAction::Show => {
            let dir = key_dir()?;
            let key = Key::load_or_create(&dir).map_err(|e| Failure::CannotRun(e.to_string()))?;
            print(&format!(
                "Your confide public key (fingerprint {fp}):\n\n{public}\n\n\
                 Give it to your supervisor once, by a route they trust (in person, or\n\
                 read the fingerprint out on a call). They save the two lines above as\n\
                 confide-key.pub and check each report you send with:\n\n  \
                 confide verify report.pdf --key confide-key.pub\n\n\
                 Every page of your PDF reports shows the fingerprint. Your secret key\n\
                 stays in {} and is never put in a report.\n",
                dir.join(KEY_FILE).display(),
                fp = key.fingerprint(),
                public = key.public_key_text().trim_end(),
            ))?;
            Ok(exit::OK)
        }
    }
}
