//! macOS: automatic login and the guest account in the login window's preferences (with
//! `sysadminctl` when `GuestEnabled` is not set), and people's accounts from `dscl`.

use super::{Aspect, Reading, State, current_user, other_accounts, same_name};
use crate::probe::macos_defaults::{self, Defaults, DefaultsBool, parse_defaults_bool};
use crate::system::{CommandOutput, System};

const LOGINWINDOW: &str = "/Library/Preferences/com.apple.loginwindow";
/// People's accounts start at 501 on macOS; system accounts are below or start with `_`.
const MAC_FIRST_PERSON_UID: i64 = 501;

pub(super) fn read(system: &dyn System) -> Vec<Reading> {
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
    if !out.succeeded() {
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
            let said = status.failure("sysadminctl").unwrap_or_else(|| {
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
    let parsed = match out.failure("dscl") {
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

#[cfg(test)]
mod tests {
    use super::*;

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
