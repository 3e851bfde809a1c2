//! Windows: automatic sign-in from Winlogon's registry values, and the local accounts (the
//! guest, the others, and whether yours needs a password) from `Get-LocalUser`.

use super::{Aspect, Reading, State, current_user, other_accounts, same_name_ignoring_case};
use crate::probe::powershell;
use crate::probe::windows_reg::{self, RegValue};
use crate::system::System;
use crate::words::join_names;

const WINLOGON_KEY: &str = "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon";
const LOCAL_USERS_SCRIPT: &str = "Get-LocalUser | Select-Object Name,Enabled,PasswordRequired | ConvertTo-Json";

pub(super) fn read(system: &dyn System) -> Vec<Reading> {
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
    if stdout.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err("no output".into());
    }
    let items = powershell::objects(stdout)?;
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
    let out = powershell::run(system, LOCAL_USERS_SCRIPT);
    let users = match out
        .failure("powershell")
        .map_or_else(|| parse_local_users(&out.stdout), Err)
    {
        Ok(users) => users,
        Err(why) => {
            return vec![Reading::new(
                Aspect::OtherAccounts,
                State::Unreadable,
                format!(
                    "{SHOWN} could not be read: {why} (so the guest account and your password could not be checked either)"
                ),
            )];
        }
    };
    let mut readings = vec![guest(&users), others(&users, me)];
    readings.extend(others_without_password(&users, me));
    readings.push(your_password(&users, me));
    readings
}

/// How the accounts were listed, in evidence.
const SHOWN: &str = "`Get-LocalUser`";

fn guest(users: &[LocalUser]) -> Reading {
    match users.iter().find(|u| u.name.eq_ignore_ascii_case(WINDOWS_GUEST)) {
        Some(g) if g.enabled => Reading::new(
            Aspect::Guest,
            State::Open,
            format!("{SHOWN}: the Guest account is enabled"),
        ),
        Some(_) => Reading::new(
            Aspect::Guest,
            State::Closed,
            format!("{SHOWN}: the Guest account is disabled"),
        ),
        None => Reading::new(
            Aspect::Guest,
            State::Closed,
            format!("{SHOWN}: there is no Guest account"),
        ),
    }
}

fn others(users: &[LocalUser], me: Option<&str>) -> Reading {
    // Disabled accounts (the built-in Administrator, DefaultAccount and WDAGUtilityAccount
    // normally are) cannot sign in, so only enabled ones count.
    let people: Vec<String> = users
        .iter()
        .filter(|u| u.enabled && !u.name.eq_ignore_ascii_case(WINDOWS_GUEST))
        .map(|u| u.name.clone())
        .collect();
    other_accounts(
        &format!("{SHOWN} (enabled accounts)"),
        &people,
        me,
        same_name_ignoring_case,
    )
}

/// Other enabled accounts that may have an empty password, for context.
fn others_without_password(users: &[LocalUser], me: Option<&str>) -> Option<Reading> {
    let without_password: Vec<String> = users
        .iter()
        .filter(|u| u.enabled && !u.password_required)
        .filter(|u| me.is_none_or(|me| !u.name.eq_ignore_ascii_case(me)))
        .map(|u| u.name.clone())
        .collect();
    (!without_password.is_empty()).then(|| {
        Reading::new(
            Aspect::OtherAccounts,
            State::Info,
            format!(
                "{SHOWN}: PasswordRequired is false for {}",
                join_names(&without_password)
            ),
        )
    })
}

fn your_password(users: &[LocalUser], me: Option<&str>) -> Reading {
    let mine = me.and_then(|me| users.iter().find(|u| u.name.eq_ignore_ascii_case(me)));
    match (me, mine) {
        (_, Some(u)) if !u.password_required => Reading::new(
            Aspect::NoPassword,
            State::Open,
            format!(
                "{SHOWN}: PasswordRequired is false for your account {}: it may be signed in to with an empty password",
                u.name
            ),
        ),
        (_, Some(u)) => Reading::new(
            Aspect::NoPassword,
            State::Closed,
            format!("{SHOWN}: PasswordRequired is true for your account {}", u.name),
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_account_or_a_list_and_nothing_else() {
        let one = "{\r\n    \"Name\":  \"Jo\",\r\n    \"Enabled\":  true,\r\n    \"PasswordRequired\":  false\r\n}\r\n";
        assert_eq!(
            parse_local_users(one),
            Ok(vec![LocalUser {
                name: "Jo".into(),
                enabled: true,
                password_required: false
            }])
        );
        assert_eq!(parse_local_users("\u{feff}\r\n"), Err("no output".into()));
        assert_eq!(parse_local_users("[]"), Err("an empty list of accounts".into()));
        assert!(parse_local_users("[{\"Name\": \"Jo\"}]").is_err());
    }
}
