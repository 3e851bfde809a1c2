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

use std::collections::BTreeSet;

use super::{Check, CheckContext, Outcome};
use crate::probe::macos_defaults::{self, Defaults, DefaultsBool, parse_defaults_bool};
use crate::probe::windows_reg::{self, RegValue};
use crate::status::Status;
use crate::system::{CommandOutput, FileRead, OsFamily, RunOutcome, System};
use crate::words::join_names;

pub struct UserAccounts;

impl Check for UserAccounts {
    fn id(&self) -> &str {
        "user-accounts"
    }

    fn supported_os(&self) -> &[OsFamily] {
        &OsFamily::ALL
    }

    fn run(&self, ctx: &CheckContext<'_>) -> Outcome {
        let readings = match ctx.system.os().family {
            OsFamily::Macos => macos(ctx.system),
            OsFamily::Windows => windows(ctx.system),
            OsFamily::Linux => linux(ctx.system),
        };
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
pub fn judge(readings: &[Reading]) -> Outcome {
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
    let first_open = [Aspect::AutoLogin, Aspect::NoPassword, Aspect::Guest]
        .into_iter()
        .find(|a| open.contains(a));
    let outcome = if let Some(first) = first_open {
        let reason = match first {
            Aspect::AutoLogin => "user-accounts.auto-login",
            Aspect::NoPassword => "user-accounts.no-password-required",
            _ => "user-accounts.guest-enabled",
        };
        let phrases: Vec<String> = [Aspect::AutoLogin, Aspect::NoPassword, Aspect::Guest]
            .into_iter()
            .filter(|a| open.contains(a))
            .map(|a| a.open_phrase().to_string())
            .collect();
        let mut summary = format!(
            "Anyone who has this computer in front of them can get in: {}.",
            join_names(&phrases)
        );
        if !others.is_empty() {
            summary.push_str(&format!(" Other accounts can also sign in: {}.", join_names(&others)));
        }
        Outcome::new(Status::Fail, reason, summary)
    } else if !others.is_empty() {
        Outcome::new(
            Status::Warn,
            "user-accounts.other-accounts",
            format!(
                "Other accounts can sign in to this computer ({}): make sure only you can sign in.",
                join_names(&others)
            ),
        )
    } else if unread.is_empty() && closed.contains(&Aspect::AutoLogin) && closed.contains(&Aspect::OtherAccounts) {
        Outcome::new(
            Status::Pass,
            "user-accounts.only-you",
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
        Outcome::new(
            Status::Unknown,
            "user-accounts.unreadable",
            format!(
                "Could not tell whether someone else could get into this computer: {} could not be read.",
                join_names(&what)
            ),
        )
    };
    outcome.with_evidence(evidence)
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

/// Why a program's run is not an answer, or `None` when it exited 0.
fn run_failure(out: &CommandOutput, program: &str) -> Option<String> {
    match out.outcome() {
        RunOutcome::Missing => Some(format!("`{program}` is not available")),
        RunOutcome::TimedOut => Some(format!("`{program}` timed out")),
        RunOutcome::Failed(e) => Some(format!("`{program}` could not be started: {e}")),
        RunOutcome::Exited { status: Some(0) } => None,
        RunOutcome::Exited { status } => Some(format!(
            "`{program}` exited with {}{}",
            status.map_or("a signal".into(), |s| s.to_string()),
            out.stderr
                .trim()
                .lines()
                .last()
                .map(|l| format!(" ({})", l.trim()))
                .unwrap_or_default()
        )),
    }
}

// ---------------------------------------------------------------- macOS

const LOGINWINDOW: &str = "/Library/Preferences/com.apple.loginwindow";
/// People's accounts start at 501 on macOS; system accounts are below or start with `_`.
const MAC_FIRST_PERSON_UID: i64 = 501;

fn macos(system: &dyn System) -> Vec<Reading> {
    let me = current_user(system, "USER");
    vec![
        mac_auto_login(system),
        mac_guest(system),
        mac_accounts(system, me.as_deref()),
        Reading::new(
            Aspect::NoPassword,
            State::Info,
            "whether your account has a password is not checked on macOS: only an administrator can read it",
        ),
    ]
}

/// The user that logs in automatically, from `defaults read …loginwindow autoLoginUser`: a name
/// (`randall\n`, exit 0) when automatic login is on; "does not exist" when it is off.
pub fn mac_auto_login_user(defaults: &Defaults) -> Result<Option<String>, String> {
    match defaults {
        Defaults::Value(v) if !v.trim().is_empty() && !v.contains('\n') => Ok(Some(v.trim().to_string())),
        Defaults::Value(v) => Err(format!("unexpected value `{}`", v.lines().next().unwrap_or_default())),
        Defaults::NotSet => Ok(None),
        Defaults::Unexpected(why) => Err(why.clone()),
    }
}

fn mac_auto_login(system: &dyn System) -> Reading {
    let shown = format!("`defaults read {LOGINWINDOW} autoLoginUser`");
    match mac_auto_login_user(&macos_defaults::read(system, LOGINWINDOW, "autoLoginUser")) {
        Ok(Some(user)) => Reading::new(
            Aspect::AutoLogin,
            State::Open,
            format!("{shown} is `{user}`: the computer logs in as {user} by itself"),
        ),
        Ok(None) => Reading::new(
            Aspect::AutoLogin,
            State::Closed,
            format!("{shown} is not set: automatic login is off"),
        ),
        Err(why) => Reading::new(
            Aspect::AutoLogin,
            State::Unreadable,
            format!("{shown} could not be read: {why}"),
        ),
    }
}

/// `sysadminctl -guestAccount status` answers through NSLog, on stderr:
///
/// ```text
/// 2020-12-30 20:27:59.524 sysadminctl[45327:844298] Guest account disabled.
/// ```
///
/// Only that wording is known from a real sample, so it is the only answer read: `Some(false)`.
/// The wording for an enabled guest has no public sample and is left unread (`None`).
pub fn sysadminctl_guest_enabled(out: &CommandOutput) -> Option<bool> {
    if run_failure(out, "sysadminctl").is_some() {
        return None;
    }
    out.stderr
        .lines()
        .chain(out.stdout.lines())
        .map(|line| line.rsplit_once("] ").map_or(line, |(_, text)| text).trim())
        .any(|text| text == "Guest account disabled.")
        .then_some(false)
}

/// `GuestEnabled` (`1`/`0`) decides; when it is not set (on OS X 10.8 a missing key meant the
/// guest was on) or unreadable, `sysadminctl` is asked.
fn mac_guest(system: &dyn System) -> Reading {
    let shown = format!("`defaults read {LOGINWINDOW} GuestEnabled`");
    let first = match parse_defaults_bool(&system.run("defaults", &["read", LOGINWINDOW, "GuestEnabled"])) {
        DefaultsBool::True => {
            return Reading::new(
                Aspect::Guest,
                State::Open,
                format!("{shown} is 1: the guest account is on"),
            );
        }
        DefaultsBool::False => {
            return Reading::new(
                Aspect::Guest,
                State::Closed,
                format!("{shown} is 0: the guest account is off"),
            );
        }
        DefaultsBool::NotSet => format!("{shown} is not set"),
        DefaultsBool::Unexpected(why) => format!("{shown} could not be read: {why}"),
    };
    let status = system.run("sysadminctl", &["-guestAccount", "status"]);
    match sysadminctl_guest_enabled(&status) {
        Some(_) => Reading::new(
            Aspect::Guest,
            State::Closed,
            format!("{first}; `sysadminctl -guestAccount status` says \"Guest account disabled.\""),
        ),
        None => {
            let said = run_failure(&status, "sysadminctl").unwrap_or_else(|| {
                let text = format!("{}{}", status.stderr, status.stdout);
                format!("an answer that was not understood: `{}`", text.trim())
            });
            Reading::new(
                Aspect::Guest,
                State::Unreadable,
                format!("{first}, and `sysadminctl -guestAccount status` gave {said}"),
            )
        }
    }
}

/// Parses `dscl . list /Users UniqueID`: one account a line, name then uid, the name column
/// padded to a width that varies between machines, so it is split on whitespace:
///
/// ```text
/// _accessoryupdater        278
/// daemon                   1
/// dutov                    501
/// nobody                   -2
/// root                     0
/// ```
pub fn parse_dscl_users(stdout: &str) -> Result<Vec<(String, i64)>, String> {
    let mut users = Vec::new();
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            [name, uid] => match uid.parse::<i64>() {
                Ok(uid) => users.push((name.to_string(), uid)),
                Err(_) => return Err(format!("unexpected line `{}`", line.trim())),
            },
            _ => return Err(format!("unexpected line `{}`", line.trim())),
        }
    }
    // Every Mac has root with uid 0; a listing without it is not the one asked for.
    if !users.iter().any(|(name, uid)| name == "root" && *uid == 0) {
        return Err("no `root 0` line in the output".into());
    }
    Ok(users)
}

fn mac_accounts(system: &dyn System, me: Option<&str>) -> Reading {
    let shown = "`dscl . list /Users UniqueID`";
    let out = system.run("dscl", &[".", "list", "/Users", "UniqueID"]);
    let parsed = match run_failure(&out, "dscl") {
        Some(why) => Err(why),
        None => parse_dscl_users(&out.stdout),
    };
    match parsed {
        Ok(users) => {
            let people: Vec<String> = users
                .into_iter()
                .filter(|(name, uid)| *uid >= MAC_FIRST_PERSON_UID && !name.starts_with('_'))
                .map(|(name, _)| name)
                .collect();
            other_accounts(shown, &people, me, same_name)
        }
        Err(why) => Reading::new(
            Aspect::OtherAccounts,
            State::Unreadable,
            format!("{shown} could not be read: {why}"),
        ),
    }
}

// ---------------------------------------------------------------- Windows

const WINLOGON_KEY: &str = "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon";
const LOCAL_USERS_SCRIPT: &str = "Get-LocalUser | Select-Object Name,Enabled,PasswordRequired | ConvertTo-Json";

fn windows(system: &dyn System) -> Vec<Reading> {
    let me = current_user(system, "USERNAME");
    let mut readings = vec![win_auto_login(system)];
    readings.extend(win_local_accounts(system, me.as_deref()));
    readings
}

/// Automatic sign-in is on when the REG_SZ `AutoAdminLogon` is `1`; `0`, empty or absent is off.
fn win_auto_login(system: &dyn System) -> Reading {
    let shown = "AutoAdminLogon (HKLM\\…\\Winlogon)";
    match windows_reg::query(system, WINLOGON_KEY, "AutoAdminLogon") {
        RegValue::Sz(v) if v.trim() == "1" => {
            let who = match windows_reg::query(system, WINLOGON_KEY, "DefaultUserName") {
                RegValue::Sz(name) if !name.trim().is_empty() => format!(" as {}", name.trim()),
                _ => String::new(),
            };
            Reading::new(
                Aspect::AutoLogin,
                State::Open,
                format!("{shown} = 1: Windows signs in{who} by itself"),
            )
        }
        RegValue::Sz(v) if matches!(v.trim(), "0" | "") => Reading::new(
            Aspect::AutoLogin,
            State::Closed,
            format!("{shown} = {}: automatic sign-in is off", v.trim()),
        ),
        RegValue::NotSet => Reading::new(
            Aspect::AutoLogin,
            State::Closed,
            format!("{shown} is not set: automatic sign-in is off"),
        ),
        RegValue::Sz(v) => Reading::new(
            Aspect::AutoLogin,
            State::Unreadable,
            format!("{shown} has an unexpected value `{}`", v.trim()),
        ),
        RegValue::Dword(v) => Reading::new(
            Aspect::AutoLogin,
            State::Unreadable,
            format!("{shown} is a number ({v}) where Windows keeps text"),
        ),
        RegValue::Unexpected(why) => Reading::new(
            Aspect::AutoLogin,
            State::Unreadable,
            format!("{shown} could not be read: {why}"),
        ),
    }
}

/// One local account, as `Get-LocalUser` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalUser {
    pub name: String,
    pub enabled: bool,
    /// False when the account may have an empty password (the `PASSWD_NOTREQD` flag).
    pub password_required: bool,
}

/// Parses `Get-LocalUser | Select-Object Name,Enabled,PasswordRequired | ConvertTo-Json`:
/// an array for several accounts, a bare object for one (Windows PowerShell 5.1 layout):
///
/// ```text
/// [
///     {
///         "Name":  "Administrator",
///         "Enabled":  true,
///         "PasswordRequired":  true
///     },
///     …
/// ]
/// ```
pub fn parse_local_users(stdout: &str) -> Result<Vec<LocalUser>, String> {
    let text = stdout.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err("no output".into());
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        object @ serde_json::Value::Object(_) => vec![object],
        _ => return Err("neither an account nor a list of accounts".into()),
    };
    let users = items
        .iter()
        .map(|item| {
            let name = item["Name"].as_str();
            let enabled = item["Enabled"].as_bool();
            let required = item["PasswordRequired"].as_bool();
            match (name, enabled, required) {
                (Some(name), Some(enabled), Some(password_required)) => Ok(LocalUser {
                    name: name.to_string(),
                    enabled,
                    password_required,
                }),
                _ => Err(format!("an account without Name, Enabled and PasswordRequired: {item}")),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    if users.is_empty() {
        return Err("an empty list of accounts".into());
    }
    Ok(users)
}

/// The built-in guest account; it lets anyone sign in without a password when enabled.
const WINDOWS_GUEST: &str = "Guest";

fn win_local_accounts(system: &dyn System, me: Option<&str>) -> Vec<Reading> {
    let shown = "`Get-LocalUser`";
    let out = system.run(
        "powershell",
        &["-NoProfile", "-NonInteractive", "-Command", LOCAL_USERS_SCRIPT],
    );
    let users = match run_failure(&out, "powershell").map_or_else(|| parse_local_users(&out.stdout), Err) {
        Ok(users) => users,
        Err(why) => {
            return vec![Reading::new(
                Aspect::OtherAccounts,
                State::Unreadable,
                format!(
                    "{shown} could not be read: {why} (so the guest account and your password could not be checked either)"
                ),
            )];
        }
    };
    let mut readings = Vec::new();
    let guest = users.iter().find(|u| u.name.eq_ignore_ascii_case(WINDOWS_GUEST));
    readings.push(match guest {
        Some(g) if g.enabled => Reading::new(
            Aspect::Guest,
            State::Open,
            format!("{shown}: the Guest account is enabled"),
        ),
        Some(_) => Reading::new(
            Aspect::Guest,
            State::Closed,
            format!("{shown}: the Guest account is disabled"),
        ),
        None => Reading::new(
            Aspect::Guest,
            State::Closed,
            format!("{shown}: there is no Guest account"),
        ),
    });

    // Disabled accounts (the built-in Administrator, DefaultAccount and WDAGUtilityAccount
    // normally are) cannot sign in, so only enabled ones count.
    let people: Vec<String> = users
        .iter()
        .filter(|u| u.enabled && !u.name.eq_ignore_ascii_case(WINDOWS_GUEST))
        .map(|u| u.name.clone())
        .collect();
    readings.push(other_accounts(
        &format!("{shown} (enabled accounts)"),
        &people,
        me,
        same_name_ignoring_case,
    ));
    let without_password: Vec<String> = users
        .iter()
        .filter(|u| u.enabled && !u.password_required)
        .filter(|u| me.is_none_or(|me| !u.name.eq_ignore_ascii_case(me)))
        .map(|u| u.name.clone())
        .collect();
    if !without_password.is_empty() {
        readings.push(Reading::new(
            Aspect::OtherAccounts,
            State::Info,
            format!(
                "{shown}: PasswordRequired is false for {}",
                join_names(&without_password)
            ),
        ));
    }

    let mine = me.and_then(|me| users.iter().find(|u| u.name.eq_ignore_ascii_case(me)));
    readings.push(match (me, mine) {
        (_, Some(u)) if !u.password_required => Reading::new(
            Aspect::NoPassword,
            State::Open,
            format!(
                "{shown}: PasswordRequired is false for your account {}: it may be signed in to with an empty password",
                u.name
            ),
        ),
        (_, Some(u)) => Reading::new(
            Aspect::NoPassword,
            State::Closed,
            format!("{shown}: PasswordRequired is true for your account {}", u.name),
        ),
        (Some(me), None) => Reading::new(
            Aspect::NoPassword,
            State::Info,
            format!(
                "{me} is not a local account on this computer (a work or school account?): its password was not checked"
            ),
        ),
        (None, None) => Reading::new(
            Aspect::NoPassword,
            State::Info,
            "could not tell which account is yours (USERNAME is not set): its password was not checked",
        ),
    });
    readings
}

// ---------------------------------------------------------------- Linux

/// GDM's settings: Debian reads `/etc/gdm3/daemon.conf`, Ubuntu `/etc/gdm3/custom.conf`,
/// Fedora `/etc/gdm/custom.conf`.
const GDM_FILES: [&str; 3] = ["/etc/gdm3/custom.conf", "/etc/gdm3/daemon.conf", "/etc/gdm/custom.conf"];
const LIGHTDM_FILE: &str = "/etc/lightdm/lightdm.conf";
/// SDDM reads `/etc/sddm.conf.d/*.conf` in name order, then `/etc/sddm.conf`; later files win.
/// The System cannot list a folder, so the two names in use are read: `autologin.conf` (the
/// name people give it by hand) and `kde_settings.conf` (written by KDE System Settings).
const SDDM_FILES: [&str; 3] = [
    "/etc/sddm.conf.d/autologin.conf",
    "/etc/sddm.conf.d/kde_settings.conf",
    "/etc/sddm.conf",
];
const PASSWD_FILE: &str = "/etc/passwd";
const LOGIN_DEFS_FILE: &str = "/etc/login.defs";
/// LightDM runs this script to make a guest account; without it there is no guest session.
const LIGHTDM_GUEST_SCRIPT: &str = "/usr/sbin/guest-account";
/// The range of people's uids when `/etc/login.defs` does not say (shadow's defaults).
const DEFAULT_UID_RANGE: (u32, u32) = (1000, 60000);

fn linux(system: &dyn System) -> Vec<Reading> {
    let me = current_user(system, "USER");
    let mut readings = linux_auto_login(system);
    readings.extend(linux_guest(system));
    readings.push(linux_accounts(system, me.as_deref()));
    readings.push(Reading::new(
        Aspect::NoPassword,
        State::Info,
        "whether your account has a password is not checked on Linux: /etc/shadow can only be read by root",
    ));
    readings
}

/// One `key=value` in an INI-style file, with the `[section]` it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct IniEntry {
    pub section: String,
    pub key: String,
    pub value: String,
}

/// Reads an INI-style file as GLib key files (GDM, LightDM) and SDDM do: `[section]` headers,
/// `key=value` with optional spaces around `=`, whole-line comments starting with `#` or `;`
/// (also when indented: `#  AutomaticLoginEnable = true` is a comment).
pub fn ini_entries(text: &str) -> Vec<IniEntry> {
    let mut section = String::new();
    let mut entries = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_string();
        } else if let Some((key, value)) = line.split_once('=') {
            entries.push(IniEntry {
                section: section.clone(),
                key: key.trim().to_string(),
                value: value.trim().to_string(),
            });
        }
    }
    entries
}

/// The last value of `key` in a section `in_section` accepts.
fn ini_last(entries: &[IniEntry], in_section: impl Fn(&str) -> bool, key: &str) -> Option<String> {
    entries
        .iter()
        .rev()
        .find(|e| e.key == key && in_section(&e.section))
        .map(|e| e.value.clone())
}

/// A key-file boolean: `true`/`1` (GNOME Settings writes `True`, so case is ignored).
fn ini_true(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// The user GDM logs in by itself, from `[daemon]`:
///
/// ```text
/// [daemon]
/// AutomaticLoginEnable=true
/// AutomaticLogin=redhat
/// ```
///
/// Timed login (`TimedLoginEnable` with `TimedLogin`) logs in by itself after a delay, so it
/// counts too.
pub fn gdm_auto_login(text: &str) -> Option<String> {
    let entries = ini_entries(text);
    let daemon = |s: &str| s == "daemon";
    [
        ("AutomaticLoginEnable", "AutomaticLogin"),
        ("TimedLoginEnable", "TimedLogin"),
    ]
    .into_iter()
    .find_map(|(enable, user)| {
        let user = ini_last(&entries, daemon, user).filter(|u| !u.is_empty());
        ini_true(ini_last(&entries, daemon, enable).as_deref())
            .then_some(user)
            .flatten()
    })
}

/// What `/etc/lightdm/lightdm.conf` says in its seat sections (`[Seat:*]`, `[Seat:seat0]`, or
/// the older `[SeatDefaults]`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LightDm {
    /// `autologin-user=mycelium`.
    pub auto_login_user: Option<String>,
    /// `autologin-guest=true`: logs in to a guest session by itself.
    pub auto_login_guest: bool,
    /// `allow-guest=`, when set.
    pub allow_guest: Option<bool>,
}

/// Parses `/etc/lightdm/lightdm.conf`:
///
/// ```text
/// [Seat:*]
/// autologin-user=mycelium
/// autologin-session=openbox
/// ```
pub fn lightdm_settings(text: &str) -> LightDm {
    let entries = ini_entries(text);
    let seat = |s: &str| s.starts_with("Seat");
    LightDm {
        auto_login_user: ini_last(&entries, seat, "autologin-user").filter(|u| !u.is_empty()),
        auto_login_guest: ini_true(ini_last(&entries, seat, "autologin-guest").as_deref()),
        allow_guest: ini_last(&entries, seat, "allow-guest").map(|v| ini_true(Some(&v))),
    }
}

/// `[Autologin] User=` in one SDDM file: `Some("")` when set empty, `None` when absent.
///
/// ```text
/// [Autologin]
/// User=arunscape
/// Session=plasma
/// ```
pub fn sddm_auto_login_user(text: &str) -> Option<String> {
    ini_last(&ini_entries(text), |s| s == "Autologin", "User")
}

/// One display-manager file, read.
enum Read {
    Text(String),
    Absent,
    Unreadable(Reading),
}

fn read_setting_file(system: &dyn System, path: &str, aspect: Aspect) -> Read {
    match system.read_file(path) {
        FileRead::Contents(text) => Read::Text(text),
        FileRead::Missing => Read::Absent,
        FileRead::Directory => Read::Unreadable(Reading::new(
            aspect,
            State::Unreadable,
            format!("{path} is a folder, not a settings file"),
        )),
        FileRead::Unreadable(why) => Read::Unreadable(Reading::new(
            aspect,
            State::Unreadable,
            format!("{path} could not be read: {why}"),
        )),
    }
}

fn linux_auto_login(system: &dyn System) -> Vec<Reading> {
    let mut readings = Vec::new();
    let auto = |state, evidence: String| Reading::new(Aspect::AutoLogin, state, evidence);
    for path in GDM_FILES {
        match read_setting_file(system, path, Aspect::AutoLogin) {
            Read::Text(text) => readings.push(match gdm_auto_login(&text) {
                Some(user) => auto(State::Open, format!("{path}: GDM logs in as {user} by itself")),
                None => auto(State::Closed, format!("{path}: GDM automatic login is not turned on")),
            }),
            Read::Absent => {}
            Read::Unreadable(r) => readings.push(r),
        }
    }
    match read_setting_file(system, LIGHTDM_FILE, Aspect::AutoLogin) {
        Read::Text(text) => {
            let lightdm = lightdm_settings(&text);
            readings.push(match (&lightdm.auto_login_user, lightdm.auto_login_guest) {
                (Some(user), _) => auto(
                    State::Open,
                    format!("{LIGHTDM_FILE}: autologin-user={user}: LightDM logs in as {user} by itself"),
                ),
                (None, true) => auto(
                    State::Open,
                    format!("{LIGHTDM_FILE}: autologin-guest=true: LightDM logs in to a guest session by itself"),
                ),
                (None, false) => auto(
                    State::Closed,
                    format!("{LIGHTDM_FILE}: LightDM automatic login is not turned on"),
                ),
            });
        }
        Read::Absent => {}
        Read::Unreadable(r) => readings.push(r),
    }
    let mut sddm: Option<(String, &str)> = None;
    for path in SDDM_FILES {
        match read_setting_file(system, path, Aspect::AutoLogin) {
            Read::Text(text) => {
                if let Some(user) = sddm_auto_login_user(&text) {
                    sddm = Some((user, path));
                } else if sddm.is_none() {
                    sddm = Some((String::new(), path));
                }
            }
            Read::Absent => {}
            Read::Unreadable(r) => readings.push(r),
        }
    }
    match sddm {
        Some((user, path)) if !user.is_empty() => readings.push(auto(
            State::Open,
            format!("{path}: [Autologin] User={user}: SDDM logs in as {user} by itself"),
        )),
        Some((_, path)) => readings.push(auto(
            State::Closed,
            format!("{path}: SDDM automatic login is not turned on"),
        )),
        None => {}
    }
    if readings.is_empty() {
        let mut checked: Vec<&str> = GDM_FILES.to_vec();
        checked.push(LIGHTDM_FILE);
        checked.extend(SDDM_FILES);
        readings.push(auto(
            State::Closed,
            format!(
                "no GDM, LightDM or SDDM settings on this computer ({} are absent), so none of them logs in by itself; other login screens are not checked",
                checked.join(", ")
            ),
        ));
    }
    readings
}

/// LightDM offers a guest session when `allow-guest=true`, or when it is not set and the
/// guest-account script is installed (Ubuntu before 17.10 shipped it; Debian does not).
fn linux_guest(system: &dyn System) -> Option<Reading> {
    let Read::Text(text) = read_setting_file(system, LIGHTDM_FILE, Aspect::Guest) else {
        return None;
    };
    let guest = |state, evidence: String| Some(Reading::new(Aspect::Guest, state, evidence));
    match lightdm_settings(&text).allow_guest {
        Some(true) => guest(
            State::Open,
            format!("{LIGHTDM_FILE}: allow-guest=true: anyone can start a guest session"),
        ),
        Some(false) => guest(State::Closed, format!("{LIGHTDM_FILE}: allow-guest=false")),
        None => match system.read_file(LIGHTDM_GUEST_SCRIPT) {
            FileRead::Missing => guest(
                State::Closed,
                format!(
                    "{LIGHTDM_FILE}: allow-guest is not set, and there is no {LIGHTDM_GUEST_SCRIPT}, so LightDM cannot start a guest session"
                ),
            ),
            _ => guest(
                State::Open,
                format!(
                    "{LIGHTDM_FILE}: allow-guest is not set to false, and {LIGHTDM_GUEST_SCRIPT} is installed: anyone can start a guest session"
                ),
            ),
        },
    }
}

/// One line of `/etc/passwd`.
#[derive(Debug, Clone, PartialEq)]
pub struct PasswdEntry {
    pub name: String,
    pub uid: u32,
    pub shell: String,
}

/// Parses `/etc/passwd`: seven `:`-separated fields a line:
///
/// ```text
/// kozakemivm:x:1000:1000:kozakemiVM,,,:/home/kozakemivm:/bin/bash
/// www:x:1002:1002::/home/www:/sbin/nologin
/// ```
///
/// NIS lines (`+…`, `-…`) are skipped; any other line that is not an entry makes the file
/// unexpected.
pub fn parse_passwd(text: &str) -> Result<Vec<PasswdEntry>, String> {
    let mut entries = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('+') || line.starts_with('-') {
            continue;
        }
        let fields: Vec<&str> = line.split(':').collect();
        let uid = fields.get(2).and_then(|u| u.parse::<u32>().ok());
        match (fields.len(), uid) {
            (7, Some(uid)) => entries.push(PasswdEntry {
                name: fields[0].to_string(),
                uid,
                shell: fields[6].to_string(),
            }),
            _ => return Err(format!("line {} is not an account entry", number + 1)),
        }
    }
    if entries.is_empty() {
        return Err("no accounts in it".into());
    }
    Ok(entries)
}

/// `UID_MIN` and `UID_MAX` from `/etc/login.defs` (`UID_MIN\t\t\t 1000`), each defaulting to
/// shadow's 1000 and 60000 when absent; a value that is not a number is an error.
pub fn login_defs_uid_range(text: &str) -> Result<(u32, u32), String> {
    let (mut min, mut max) = DEFAULT_UID_RANGE;
    for line in text.lines().map(str::trim).filter(|l| !l.starts_with('#')) {
        let mut words = line.split_whitespace();
        let (Some(key), Some(value)) = (words.next(), words.next()) else {
            continue;
        };
        let target = match key {
            "UID_MIN" => &mut min,
            "UID_MAX" => &mut max,
            _ => continue,
        };
        *target = value.parse().map_err(|_| format!("{key} is `{value}`, not a number"))?;
    }
    Ok((min, max))
}

/// A shell people can log in with: anything but `nologin` and `false` (an empty field means
/// `/bin/sh`).
fn is_login_shell(shell: &str) -> bool {
    let program = shell.rsplit('/').next().unwrap_or_default();
    !matches!(program, "nologin" | "false")
}

/// The accounts people sign in with: a uid in the range `useradd` gives people, and a shell
/// they can log in with (`www` with uid 1002 and `/sbin/nologin` is a service, not a person).
pub fn linux_people(entries: &[PasswdEntry], (min, max): (u32, u32)) -> Vec<String> {
    entries
        .iter()
        .filter(|e| (min..=max).contains(&e.uid) && is_login_shell(&e.shell))
        .map(|e| e.name.clone())
        .collect()
}

fn linux_accounts(system: &dyn System, me: Option<&str>) -> Reading {
    let unreadable = |why: String| Reading::new(Aspect::OtherAccounts, State::Unreadable, why);
    let entries = match system.read_file(PASSWD_FILE) {
        FileRead::Contents(text) => match parse_passwd(&text) {
            Ok(entries) => entries,
            Err(why) => return unreadable(format!("{PASSWD_FILE} is not as expected: {why}")),
        },
        FileRead::Missing => return unreadable(format!("{PASSWD_FILE} is missing")),
        FileRead::Directory => return unreadable(format!("{PASSWD_FILE} is a folder")),
        FileRead::Unreadable(why) => return unreadable(format!("{PASSWD_FILE} could not be read: {why}")),
    };
    let range = match system.read_file(LOGIN_DEFS_FILE) {
        FileRead::Contents(text) => match login_defs_uid_range(&text) {
            Ok(range) => range,
            Err(why) => return unreadable(format!("{LOGIN_DEFS_FILE} is not as expected: {why}")),
        },
        _ => DEFAULT_UID_RANGE,
    };
    let source = format!("{PASSWD_FILE} (uid {}–{}, a login shell)", range.0, range.1);
    other_accounts(&source, &linux_people(&entries, range), me, same_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_needs_every_way_in_read_to_pass() {
        let r = |aspect, state| Reading::new(aspect, state, "seen");
        let closed = [
            r(Aspect::AutoLogin, State::Closed),
            r(Aspect::OtherAccounts, State::Closed),
        ];
        assert_eq!(judge(&closed).status, Status::Pass);
        let mut open = closed.to_vec();
        open.push(r(Aspect::Guest, State::Open));
        assert_eq!(judge(&open).reason, "user-accounts.guest-enabled");
        let others = [
            r(Aspect::AutoLogin, State::Closed),
            r(Aspect::OtherAccounts, State::Others(vec!["sam".into()])),
        ];
        assert_eq!(judge(&others).status, Status::Warn);
        assert_eq!(judge(&closed[..1]).status, Status::Unknown);
        let mut unread = closed.to_vec();
        unread.push(r(Aspect::Guest, State::Unreadable));
        assert_eq!(judge(&unread).status, Status::Unknown);
        assert_eq!(judge(&[]).status, Status::Unknown);
    }

    #[test]
    fn gdm_needs_both_the_switch_and_a_user() {
        assert_eq!(
            gdm_auto_login("[daemon]\nAutomaticLoginEnable=True\nAutomaticLogin=jo\n"),
            Some("jo".into())
        );
        assert_eq!(gdm_auto_login("[daemon]\nAutomaticLoginEnable=true\n"), None);
        assert_eq!(gdm_auto_login("[daemon]\nAutomaticLogin=jo\n"), None);
        assert_eq!(
            gdm_auto_login("[security]\nAutomaticLoginEnable=true\nAutomaticLogin=jo\n"),
            None
        );
        assert_eq!(
            gdm_auto_login("[daemon]\nTimedLoginEnable=true\nTimedLogin=jo\nTimedLoginDelay=10\n"),
            Some("jo".into())
        );
        assert_eq!(
            gdm_auto_login("[daemon]\n; AutomaticLoginEnable=true\n;AutomaticLogin=jo\n"),
            None
        );
    }

    #[test]
    fn login_defs_defaults_and_errors() {
        assert_eq!(
            login_defs_uid_range("UID_MIN\t\t\t 1000\nUID_MAX\t\t\t60000\n"),
            Ok((1000, 60000))
        );
        assert_eq!(login_defs_uid_range("UID_MIN 500\n#UID_MAX 10\n"), Ok((500, 60000)));
        assert!(login_defs_uid_range("UID_MIN lots\n").is_err());
    }

    #[test]
    fn sysadminctl_only_the_known_wording_is_read() {
        let out = |stderr: &str| CommandOutput {
            status: Some(0),
            stderr: stderr.into(),
            ..Default::default()
        };
        assert_eq!(
            sysadminctl_guest_enabled(&out(
                "2020-12-30 20:27:59.524 sysadminctl[45327:844298] Guest account disabled.\n"
            )),
            Some(false)
        );
        assert_eq!(sysadminctl_guest_enabled(&out("something else\n")), None);
        assert_eq!(sysadminctl_guest_enabled(&CommandOutput::missing()), None);
    }
}
