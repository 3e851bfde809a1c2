//! Checks: one file per built-in check, registered in [`builtin`], plus the declarative checks
//! users add in `checks/*.toml`.
//!
//! A check asks the [`System`] questions, parses the answers with pure functions, and returns an
//! [`Outcome`]. It never panics and never aborts the scan: when it cannot tell, it says
//! [`Status::Unknown`] and why.

pub mod antivirus;
pub mod attestation;
pub mod declarative;
pub mod disk_encryption;
pub mod firewall;
pub mod ico_registration;
pub mod kit;
pub mod mail_encryption;
pub mod os_support;
pub mod os_updates;
pub mod remote_access;
pub mod screen_lock;
pub mod uptime;
pub mod user_accounts;
pub mod voice_assistants;

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

impl CheckContext<'_> {
    /// The value of one of this check's thresholds (the policy's, or the check's default), as a
    /// number (a switch is 1 or 0). For checks not yet declared with [`limits!`].
    pub fn threshold(&self, spec: &ThresholdSpec) -> f64 {
        self.thresholds.get(spec.name).copied().unwrap_or(spec.default).as_f64()
    }
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

/// Every built-in check, sorted by id.
pub fn builtin() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(antivirus::Antivirus),
        Arc::new(disk_encryption::DiskEncryption),
        Arc::new(firewall::Firewall),
        Arc::new(ico_registration::IcoRegistration),
        Arc::new(mail_encryption::MailEncryption),
        Arc::new(os_support::OsSupport),
        Arc::new(os_updates::OsUpdates),
        Arc::new(remote_access::RemoteAccess),
        Arc::new(screen_lock::ScreenLock),
        Arc::new(uptime::Uptime),
        Arc::new(user_accounts::UserAccounts),
        Arc::new(voice_assistants::VoiceAssistants),
    ]
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
        let kebab = regex::Regex::new("^[a-z][a-z0-9]*(-[a-z0-9]+)*$").unwrap();
        for id in &ids {
            assert!(kebab.is_match(id), "{id} is not kebab-case");
        }
    }
}
