//! Linux: automatic login in the display managers' settings (GDM, LightDM, SDDM), LightDM's
//! guest session, and people's accounts in `/etc/passwd`.

use super::{Aspect, Reading, State, current_user, other_accounts, same_name};
use crate::system::{FileRead, System};

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

pub(super) fn read(system: &dyn System) -> Vec<Reading> {
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
    gdm(system, &mut readings);
    lightdm(system, &mut readings);
    sddm(system, &mut readings);
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

fn auto(state: State, evidence: String) -> Reading {
    Reading::new(Aspect::AutoLogin, state, evidence)
}

/// Each GDM file that exists says on its own whether GDM logs in by itself.
fn gdm(system: &dyn System, readings: &mut Vec<Reading>) {
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
}

fn lightdm(system: &dyn System, readings: &mut Vec<Reading>) {
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
}

/// SDDM's files add up, the later winning, so they give one reading together.
fn sddm(system: &dyn System, readings: &mut Vec<Reading>) {
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
}
