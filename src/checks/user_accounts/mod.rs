//! ## What it checks
//! Whether someone else could get into this computer: automatic login, a guest account, other
//! accounts people can sign in with, and (on Windows) whether your own account needs a password.
//!
//! ## Why it matters
//! The guidance asks you to make sure your computer cannot be accessed by anyone else. With
//! automatic login, anyone who opens the lid is signed in as you; a guest account lets anyone in
//! without a password; other people's accounts on the same computer are a way in that you do not
//! control.
//!
//! ## What it cannot see
//! Whether your own account has a password on macOS and Linux: that lives in files only an
//! administrator can read (`/etc/shadow`; the `ShadowHashData` of `dscl`), and a scan must not
//! need root. On Windows `PasswordRequired` is readable by anyone and is checked. On Linux, accounts
//! from a network directory (LDAP, systemd-homed) are not in `/etc/passwd` and are not seen.

mod linux;
mod macos;
mod windows;

pub use linux::{
    IniEntry, LightDm, PasswdEntry, gdm_auto_login, ini_entries, lightdm_settings, linux_people, login_defs_uid_range,
    parse_passwd, sddm_auto_login_user,
};
pub use macos::{mac_auto_login_user, parse_dscl_users, sysadminctl_guest_enabled};
pub use windows::{LocalUser, parse_local_users};

use std::collections::BTreeSet;

use super::CheckContext;
use super::kit::{BuiltinCheck, ScanTime, Verdict};
use crate::system::System;
use crate::words::join_names;

pub struct UserAccounts;

crate::reasons! {
    /// Why the verdict is what it is (`user-accounts.<code>`).
    pub enum Reason {
        OnlyYou: Pass "only-you" => "Only your account can sign in to this computer, and it does not sign in by itself.",
        OtherAccounts: Warn "other-accounts" => "Accounts other than yours can sign in to this computer.",
        AutoLogin: Fail "auto-login" => "The computer signs in to an account by itself, so anyone who opens it is signed in.",
        NoPasswordRequired: Fail "no-password-required" => "Your Windows account may be signed in to with an empty password.",
        GuestEnabled: Fail "guest-enabled" => "A guest account or guest session lets anyone sign in without a password.",
        Unreadable: Unknown "unreadable" => "The automatic login setting, the guest account or the list of accounts could not be read.",
    }
}

impl BuiltinCheck for UserAccounts {
    const ID: &'static str = "user-accounts";
    type Limits = ();
    type Reason = Reason;
    type Reading = Vec<Reading>;

    fn read(&self, ctx: &CheckContext<'_>) -> Vec<Reading> {
        super::kit::per_os(ctx.system, macos::read, windows::read, linux::read)
    }

    fn judge(&self, readings: Vec<Reading>, _: &(), _at: ScanTime) -> Verdict<Reason> {
        judge(&readings)
    }
}

/// Which way in a reading is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aspect {
    AutoLogin,
    Guest,
    /// Your own account can be signed in to without a password.
    NoPassword,
    OtherAccounts,
}

impl Aspect {
    /// What is wrong when this way in is open, as part of a sentence.
    fn open_phrase(self) -> &'static str {
        match self {
            Aspect::AutoLogin => "automatic login is on",
            Aspect::Guest => "the guest account is on",
            Aspect::NoPassword => "your account does not need a password",
            Aspect::OtherAccounts => "other accounts can sign in",
        }
    }

    /// What could not be read, as part of a sentence.
    fn unread_phrase(self) -> &'static str {
        match self {
            Aspect::AutoLogin => "the automatic login setting",
            Aspect::Guest => "the guest account setting",
            Aspect::NoPassword => "whether your account needs a password",
            Aspect::OtherAccounts => "the list of accounts",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// Anyone at the computer can get in this way.
    Open,
    /// These accounts, other than yours, can sign in (never empty).
    Others(Vec<String>),
    /// Read, and closed to anyone else.
    Closed,
    /// Shown for context, not judged.
    Info,
    /// Could not be read; the evidence says why.
    Unreadable,
}

/// What one source said about one way in.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub aspect: Aspect,
    pub state: State,
    /// What was seen, for the report.
    pub evidence: String,
}

impl Reading {
    fn new(aspect: Aspect, state: State, evidence: impl Into<String>) -> Self {
        Reading {
            aspect,
            state,
            evidence: evidence.into(),
        }
    }
}

/// The verdict: an open way in fails; other accounts warn; a pass needs automatic login and the
/// account list both read as closed, and nothing left unread.
pub fn judge(readings: &[Reading]) -> Verdict<Reason> {
    let evidence: Vec<String> = readings.iter().map(|r| r.evidence.clone()).collect();
    let with_state = |pick: fn(&State) -> bool| -> Vec<Aspect> {
        let mut aspects: Vec<Aspect> = Vec::new();
        for r in readings.iter().filter(|r| pick(&r.state)) {
            if !aspects.contains(&r.aspect) {
                aspects.push(r.aspect);
            }
        }
        aspects
    };
    let open = with_state(|s| *s == State::Open);
    let unread = with_state(|s| *s == State::Unreadable);
    let closed = with_state(|s| *s == State::Closed);
    let others: Vec<String> = readings
        .iter()
        .flat_map(|r| match &r.state {
            State::Others(names) => names.clone(),
            _ => Vec::new(),
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    // The order in which an open way in names the reason: the most direct first.
    let first_open = BY_DIRECTNESS.into_iter().find(|a| open.contains(a));
    // A known way in decides even when another aspect could not be read; that one is named.
    let unread_words: Vec<String> = unread.iter().map(|a| a.unread_phrase().to_string()).collect();
    let also = if unread_words.is_empty() {
        String::new()
    } else {
        format!(" ({} could not be read.)", join_names(&unread_words))
    };
    let verdict = if let Some(first) = first_open {
        let mut v = open_way_in(first, &open, &others);
        v.summary.push_str(&also);
        v
    } else if !others.is_empty() {
        Verdict::new(
            Reason::OtherAccounts,
            format!(
                "Other accounts can sign in to this computer ({}): make sure only you can sign in.{also}",
                join_names(&others)
            ),
        )
    } else if unread.is_empty() && closed.contains(&Aspect::AutoLogin) && closed.contains(&Aspect::OtherAccounts) {
        Verdict::new(
            Reason::OnlyYou,
            "Only your account can sign in to this computer, and it does not log in by itself.",
        )
    } else {
        let mut missing: Vec<Aspect> = unread;
        for needed in [Aspect::AutoLogin, Aspect::OtherAccounts] {
            if !closed.contains(&needed) && !missing.contains(&needed) {
                missing.push(needed);
            }
        }
        let what: Vec<String> = missing.iter().map(|a| a.unread_phrase().to_string()).collect();
        Verdict::new(
            Reason::Unreadable,
            format!(
                "Could not tell whether someone else could get into this computer: {} could not be read.",
                join_names(&what)
            ),
        )
    };
    verdict.with_evidence(evidence)
}

/// The ways in that let anyone at the computer in, the most direct first: the first open one
/// names the reason.
const BY_DIRECTNESS: [Aspect; 3] = [Aspect::AutoLogin, Aspect::NoPassword, Aspect::Guest];

/// The failure when `first` (in [`BY_DIRECTNESS`] order) and the rest of `open` let anyone in,
/// with the other accounts that can also sign in.
fn open_way_in(first: Aspect, open: &[Aspect], others: &[String]) -> Verdict<Reason> {
    let reason = match first {
        Aspect::AutoLogin => Reason::AutoLogin,
        Aspect::NoPassword => Reason::NoPasswordRequired,
        _ => Reason::GuestEnabled,
    };
    let phrases: Vec<String> = BY_DIRECTNESS
        .into_iter()
        .filter(|a| open.contains(a))
        .map(|a| a.open_phrase().to_string())
        .collect();
    let mut summary = format!(
        "Anyone who has this computer in front of them can get in: {}.",
        join_names(&phrases)
    );
    if !others.is_empty() {
        summary.push_str(&format!(" Other accounts can also sign in: {}.", join_names(others)));
    }
    Verdict::new(reason, summary)
}

/// The account the scan runs as: the environment variable the OS sets (`USER`, `USERNAME`), or
/// the user the System reports.
fn current_user(system: &dyn System, variable: &str) -> Option<String> {
    system
        .env(variable)
        .filter(|u| !u.trim().is_empty())
        .or_else(|| system.host().user.clone())
}

/// The accounts people sign in with, other than yours. When it is not known which account is
/// yours, a single account is taken to be yours and several are all reported.
fn other_accounts(source: &str, people: &[String], me: Option<&str>, same: fn(&str, &str) -> bool) -> Reading {
    let listed = if people.is_empty() {
        "none".to_string()
    } else {
        people.join(", ")
    };
    let (others, whose): (Vec<String>, String) = match me {
        Some(me) => (
            people.iter().filter(|p| !same(p, me)).cloned().collect(),
            format!("you are signed in as {me}"),
        ),
        None if people.len() <= 1 => (Vec::new(), "could not tell which account is yours".into()),
        None => (people.to_vec(), "could not tell which account is yours".into()),
    };
    let evidence = format!("{source}: accounts people sign in with: {listed} ({whose})");
    if others.is_empty() {
        Reading::new(Aspect::OtherAccounts, State::Closed, evidence)
    } else {
        Reading::new(Aspect::OtherAccounts, State::Others(others), evidence)
    }
}

fn same_name(a: &str, b: &str) -> bool {
    a == b
}

/// Windows account names are not case-sensitive.
fn same_name_ignoring_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::kit::Reason as _;
    use crate::status::Status;

    #[test]
    fn the_verdict_needs_every_way_in_read_to_pass() {
        let r = |aspect, state| Reading::new(aspect, state, "seen");
        let closed = [
            r(Aspect::AutoLogin, State::Closed),
            r(Aspect::OtherAccounts, State::Closed),
        ];
        assert_eq!(judge(&closed).status(), Status::Pass);
        let mut open = closed.to_vec();
        open.push(r(Aspect::Guest, State::Open));
        assert_eq!(
            judge(&open).into_outcome("user-accounts").reason,
            "user-accounts.guest-enabled"
        );
        let others = [
            r(Aspect::AutoLogin, State::Closed),
            r(Aspect::OtherAccounts, State::Others(vec!["sam".into()])),
        ];
        assert_eq!(judge(&others).status(), Status::Warn);
        assert_eq!(judge(&closed[..1]).status(), Status::Unknown);
        let mut unread = closed.to_vec();
        unread.push(r(Aspect::Guest, State::Unreadable));
        assert_eq!(judge(&unread).status(), Status::Unknown);
        assert_eq!(judge(&[]).status(), Status::Unknown);
        // A known way in decides while another aspect could not be read, and names it.
        let v = judge(&[r(Aspect::AutoLogin, State::Open), r(Aspect::Guest, State::Unreadable)]);
        assert_eq!(v.status(), Status::Fail);
        assert!(v.summary.ends_with("could not be read.)"), "{}", v.summary);
    }

    #[test]
    fn an_open_way_in_is_named_by_the_most_direct() {
        let r = |aspect, state| Reading::new(aspect, state, "seen");
        let v = judge(&[
            r(Aspect::Guest, State::Open),
            r(Aspect::NoPassword, State::Open),
            r(Aspect::OtherAccounts, State::Others(vec!["sam".into()])),
        ]);
        assert_eq!(
            (v.reason, v.reason.status()),
            (Reason::NoPasswordRequired, Status::Fail)
        );
        assert_eq!(
            v.summary,
            "Anyone who has this computer in front of them can get in: your account does not need a password and the guest account is on. Other accounts can also sign in: sam."
        );
    }
}
