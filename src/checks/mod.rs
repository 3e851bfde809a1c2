//! Checks: one module per built-in check (a folder split by OS when it is big), registered on
//! one line each in [`builtin_checks!`], plus the declarative checks users add in
//! `checks/*.toml`.
//!
//! A check asks the [`System`] questions, parses the answers with pure functions, and returns an
//! [`Outcome`]. It never panics and never aborts the scan: when it cannot tell, it says
//! [`Status::Unknown`] and why. Built-in checks share one shape, [`kit::BuiltinCheck`].

pub mod attestation;
pub mod declarative;
pub mod kit;

/// The registry: one line per built-in check names its id (and so its words file,
/// `checks/<id>.toml`, embedded in the binary), its module and its type. Sorted by id.
macro_rules! builtin_checks {
    ($($id:literal => $module:ident :: $check:ident),+ $(,)?) => {
        $(pub mod $module;)+

        /// Every built-in check, sorted by id.
        pub fn builtin() -> Vec<Arc<dyn Check>> {
            vec![$(Arc::new($module::$check)),+]
        }

        /// `(path, text)` of each built-in check's words, embedded at compile time.
        pub const BUILTIN_WORDS: &[(&str, &str)] = &[$(
            (concat!("checks/", $id, ".toml"), include_str!(concat!("../../checks/", $id, ".toml")))
        ),+];
    };
}

builtin_checks! {
    "antivirus" => antivirus::Antivirus,
    "backup-encryption" => backup_encryption::BackupEncryption,
    "disk-encryption" => disk_encryption::DiskEncryption,
    "firewall" => firewall::Firewall,
    "ico-registration" => ico_registration::IcoRegistration,
    "listening-devices" => listening_devices::ListeningDevices,
    "mail-encryption" => mail_encryption::MailEncryption,
    "os-support" => os_support::OsSupport,
    "os-updates" => os_updates::OsUpdates,
    "remote-access" => remote_access::RemoteAccess,
    "screen-lock" => screen_lock::ScreenLock,
    "uptime" => uptime::Uptime,
    "user-accounts" => user_accounts::UserAccounts,
    "video-apps" => video_apps::VideoApps,
    "voice-assistants" => voice_assistants::VoiceAssistants,
    "wifi-security" => wifi_security::WifiSecurity,
}

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::profile::Profile;
use crate::status::Status;
use crate::system::{OsFamily, System};

pub use attestation::AttestationSpec;

pub use kit::{ReasonInfo, ThresholdKind, ThresholdSpec, ThresholdValue};

/// What a check is given to run.
pub struct CheckContext<'a> {
    pub system: &'a dyn System,
    /// This check's thresholds, by name, after the policy's values are applied.
    pub thresholds: &'a BTreeMap<String, ThresholdValue>,
    /// No network access: checks that need it are skipped.
    pub offline: bool,
    /// The practitioner's own facts and confirmations.
    pub profile: &'a Profile,
    /// A copy of the ICO's register the user downloaded themselves (`--ico-register`).
    pub ico_register: Option<&'a Path>,
}

/// What a check found.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    /// A stable id for why: `<check-id>.<reason>`, e.g. `voice-assistants.siri-enabled`.
    pub reason: String,
    /// One sentence for the practitioner.
    pub summary: String,
    /// What was observed: the command or file and the line that decided it.
    pub evidence: Vec<String>,
    /// For what the practitioner confirmed: the date they confirmed it.
    pub confirmed_on: Option<Date>,
}

impl Outcome {
    pub fn new(status: Status, reason: impl Into<String>, summary: impl Into<String>) -> Self {
        Outcome {
            status,
            reason: reason.into(),
            summary: summary.into(),
            evidence: Vec::new(),
            confirmed_on: None,
        }
    }

    pub fn with_evidence(mut self, evidence: impl IntoIterator<Item = String>) -> Self {
        self.evidence.extend(evidence);
        self
    }
}

/// One check. Built-in checks are unit structs in their own files; declarative ones come from TOML.
pub trait Check: Send + Sync {
    /// Stable kebab-case id (a contract: reports, policies and `--only` use it).
    fn id(&self) -> &str;
    /// The OSes this check knows how to inspect; elsewhere it is `skipped`.
    fn supported_os(&self) -> &[OsFamily];
    /// The thresholds a policy may set for this check.
    fn thresholds(&self) -> &[ThresholdSpec] {
        &[]
    }
    /// Every reason this check can give, with the status each implies (built-in checks).
    fn reasons(&self) -> Vec<ReasonInfo> {
        Vec::new()
    }
    fn run(&self, ctx: &CheckContext<'_>) -> Outcome;
    /// True for checks defined in `checks/*.toml` rather than in code.
    fn is_declarative(&self) -> bool {
        false
    }
    /// For an attestation: its question and how long an answer stays fresh.
    fn attestation(&self) -> Option<&AttestationSpec> {
        None
    }
    /// Whether the finding rests on this computer or on the practitioner's word.
    fn basis(&self) -> Basis {
        if self.attestation().is_some() {
            Basis::You
        } else {
            Basis::Computer
        }
    }
}

/// What a finding rests on; reports keep the two apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// Checked on this computer.
    Computer,
    /// Confirmed by the practitioner (profile answers and dates).
    You,
}

pub use crate::words::join_names;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_ids_are_sorted_unique_and_kebab_case() {
        let ids: Vec<String> = builtin().iter().map(|c| c.id().to_string()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted, "builtin() must be sorted by id, without duplicates");
        let word_ids: Vec<&str> = BUILTIN_WORDS
            .iter()
            .map(|(path, _)| path.trim_start_matches("checks/").trim_end_matches(".toml"))
            .collect();
        assert_eq!(ids, word_ids, "each registry line names the check's own id");
        let kebab = regex::Regex::new("^[a-z][a-z0-9]*(-[a-z0-9]+)*$").unwrap();
        for id in &ids {
            assert!(kebab.is_match(id), "{id} is not kebab-case");
        }
    }

    /// Every reason code a report can carry, `<check>.<code> <status>`: scripts, the history and
    /// supervisors rely on them, so a change here must be deliberate (`cargo insta review`).
    #[test]
    fn every_reason_code_is_listed() {
        let catalog = crate::catalog::Catalog::load(&[]).unwrap();
        let mut lines: Vec<String> = kit::reason_list::<kit::RunnerReason>()
            .iter()
            .map(|r| format!("*.{} {}", r.code, r.status))
            .collect();
        for check in catalog.checks() {
            lines.extend(
                check
                    .reasons()
                    .iter()
                    .map(|r| format!("{}.{} {}", check.id(), r.code, r.status)),
            );
        }
        insta::assert_snapshot!(lines.join("\n"));
    }

    #[test]
    fn every_check_lists_its_reasons_once_with_a_pass_and_an_unknown() {
        let catalog = crate::catalog::Catalog::load(&[]).unwrap();
        let kebab = regex::Regex::new("^[a-z][a-z0-9]*(-[a-z0-9]+)*$").unwrap();
        for check in catalog.checks() {
            let reasons = check.reasons();
            let mut codes: Vec<&str> = reasons.iter().map(|r| r.code).collect();
            codes.sort();
            let before = codes.len();
            codes.dedup();
            assert_eq!(codes.len(), before, "{}: a code is listed twice", check.id());
            for r in &reasons {
                assert!(kebab.is_match(r.code), "{}.{} is not kebab-case", check.id(), r.code);
                assert!(!r.meaning.trim().is_empty(), "{}.{} has no meaning", check.id(), r.code);
            }
            assert!(
                reasons.iter().any(|r| r.status == Status::Pass),
                "{} can never pass",
                check.id()
            );
            if check.attestation().is_none() {
                assert!(
                    reasons.iter().any(|r| r.status == Status::Unknown),
                    "{}: a check that can read a machine must be able to say unknown",
                    check.id()
                );
            }
        }
    }
}
