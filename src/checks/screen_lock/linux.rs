//! Linux: the desktop session names the desktop (`XDG_CURRENT_DESKTOP`, `DESKTOP_SESSION`);
//! GNOME, Cinnamon and MATE keep their lock in gsettings, KDE Plasma in `kscreenlockerrc`, and
//! XFCE's xfce4-screensaver in an xfconf XML file.

use super::{Lock, Reading, Reason};
use crate::probe::gsettings::{self, GValue};
use crate::probe::process_match;
use crate::system::{FileRead, System};

/// The desktops whose lock settings confide can read.
#[derive(Debug, Clone, PartialEq)]
pub enum Desktop {
    Gnome,
    Cinnamon,
    Mate,
    Kde,
    Xfce,
    /// Something else, as named.
    Other(String),
}

/// Reads `XDG_CURRENT_DESKTOP`, a colon-separated list, most specific first (`ubuntu:GNOME`,
/// `X-Cinnamon`, `KDE`, `XFCE`, `MATE`), or `DESKTOP_SESSION`, the session's name (`ubuntu`,
/// `plasma`, `xfce`). `None` for an empty value.
pub fn parse_desktop(value: &str) -> Option<Desktop> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let known = value.split(':').find_map(|name| {
        let name = name.trim().to_lowercase();
        let name = name.strip_prefix("x-").unwrap_or(&name);
        match name {
            n if n.starts_with("gnome") || n == "ubuntu" => Some(Desktop::Gnome),
            n if n.starts_with("cinnamon") => Some(Desktop::Cinnamon),
            "mate" => Some(Desktop::Mate),
            n if n == "kde" || n.starts_with("plasma") => Some(Desktop::Kde),
            n if n.starts_with("xfce") || n == "xubuntu" => Some(Desktop::Xfce),
            _ => None,
        }
    });
    Some(known.unwrap_or_else(|| Desktop::Other(value.to_string())))
}

pub(super) fn read(system: &dyn System) -> Reading {
    let found = ["XDG_CURRENT_DESKTOP", "DESKTOP_SESSION"].into_iter().find_map(|var| {
        let value = system.env(var)?;
        Some((parse_desktop(&value)?, format!("{var}={value}")))
    });
    let Some((desktop, seen)) = found else {
        return Reading::unknown(
            Reason::NoDesktopSession,
            "Could not tell whether your screen locks: confide was not run from your desktop session. Run `confide scan` from a terminal window on your desktop.",
            vec![
                "XDG_CURRENT_DESKTOP and DESKTOP_SESSION are not set (no desktop session, e.g. SSH, cron or a server)"
                    .into(),
            ],
        );
    };
    let mut reading = match desktop {
        Desktop::Gnome => gsettings_lock(system, &GNOME),
        Desktop::Cinnamon => gsettings_lock(system, &CINNAMON),
        Desktop::Mate => gsettings_lock(system, &MATE),
        Desktop::Kde => kde(system),
        Desktop::Xfce => xfce(system),
        Desktop::Other(name) => Reading::unknown(
            Reason::UnsupportedDesktop,
            format!(
                "Could not tell whether your screen locks: confide cannot read the lock settings of the {name} desktop yet. Check them yourself."
            ),
            Vec::new(),
        ),
    };
    reading.evidence.insert(0, format!("desktop session: {seen}"));
    reading
}

// -------------------------------- GNOME, Cinnamon, MATE (gsettings)

/// Where a gsettings desktop keeps its lock settings, and their units.
struct GsettingsDesktop {
    name: &'static str,
    lock_enabled: [&'static str; 2],
    idle_delay: [&'static str; 2],
    /// Seconds per unit of `idle_delay` and `lock_delay` (MATE counts in minutes).
    unit_seconds: u64,
    lock_delay: [&'static str; 2],
    /// A switch that, at this value, stops the lock whatever `lock_enabled` says; only a value
    /// that was read counts.
    blocker: Option<([&'static str; 2], bool)>,
}

const GNOME: GsettingsDesktop = GsettingsDesktop {
    name: "GNOME",
    lock_enabled: ["org.gnome.desktop.screensaver", "lock-enabled"],
    idle_delay: ["org.gnome.desktop.session", "idle-delay"],
    unit_seconds: 1,
    lock_delay: ["org.gnome.desktop.screensaver", "lock-delay"],
    blocker: Some((["org.gnome.desktop.lockdown", "disable-lock-screen"], true)),
};

const CINNAMON: GsettingsDesktop = GsettingsDesktop {
    name: "Cinnamon",
    lock_enabled: ["org.cinnamon.desktop.screensaver", "lock-enabled"],
    idle_delay: ["org.cinnamon.desktop.session", "idle-delay"],
    unit_seconds: 1,
    lock_delay: ["org.cinnamon.desktop.screensaver", "lock-delay"],
    blocker: None,
};

const MATE: GsettingsDesktop = GsettingsDesktop {
    name: "MATE",
    lock_enabled: ["org.mate.screensaver", "lock-enabled"],
    idle_delay: ["org.mate.session", "idle-delay"],
    unit_seconds: 60,
    lock_delay: ["org.mate.screensaver", "lock-delay"],
    blocker: Some((["org.mate.screensaver", "idle-activation-enabled"], false)),
};

fn gsettings_lock(system: &dyn System, desktop: &GsettingsDesktop) -> Reading {
    let mut evidence = Vec::new();
    let unreadable = |why: &str, evidence: Vec<String>| {
        Reading::unknown(
            Reason::SettingsUnreadable,
            format!(
                "Could not tell whether your screen locks: {}'s lock settings could not be read ({why}).",
                desktop.name
            ),
            evidence,
        )
    };
    let lock_enabled = match gsettings::get(system, desktop.lock_enabled, &mut evidence) {
        GValue::Bool(b) => b,
        GValue::Number(_) | GValue::Str(_) => return unreadable("unexpected value", evidence),
        GValue::Failed(why) => return unreadable(&why, evidence),
    };
    if !lock_enabled {
        return Reading::never(
            Reason::LockDisabled,
            format!(
                "Screen locking is turned off in {}: your screen never locks by itself.",
                desktop.name
            ),
            evidence,
        );
    }
    if let Some((key, blocks)) = desktop.blocker {
        let value = gsettings::parse(&system.run("gsettings", &["get", key[0], key[1]]));
        if value == GValue::Bool(blocks) {
            evidence.push(format!("`gsettings get {} {}`: {blocks}", key[0], key[1]));
            return Reading::never(
                Reason::LockDisabled,
                format!(
                    "Screen locking is switched off in {}: your screen never locks by itself.",
                    desktop.name
                ),
                evidence,
            );
        }
    }
    let mut number = |key| match gsettings::get(system, key, &mut evidence) {
        GValue::Number(n) if n >= 0 => Ok(n as u64 * desktop.unit_seconds),
        GValue::Failed(why) => Err(why),
        _ => Err("unexpected value".to_string()),
    };
    let idle = number(desktop.idle_delay);
    let delay = number(desktop.lock_delay);
    match (idle, delay) {
        (Err(why), _) | (_, Err(why)) => unreadable(&why, evidence),
        (Ok(0), _) => Reading::never(
            Reason::NeverIdle,
            format!(
                "Your screen never locks by itself: {}'s blank-screen delay is set to Never.",
                desktop.name
            ),
            evidence,
        ),
        (Ok(idle_seconds), Ok(password_delay_seconds)) => Reading::new(
            Lock::After {
                idle_seconds,
                password_delay_seconds,
                maybe_sooner: false,
            },
            evidence,
        ),
    }
}

/// The user's configuration folder: `$XDG_CONFIG_HOME` when set to an absolute path, else
/// `$HOME/.config` (the XDG base-directory rule).
fn config_home(system: &dyn System) -> Option<String> {
    system
        .env("XDG_CONFIG_HOME")
        .filter(|d| d.starts_with('/'))
        .or_else(|| {
            system
                .env("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| format!("{h}/.config"))
        })
        .map(|d| d.trim_end_matches('/').to_string())
}

// -------------------------------- KDE Plasma

/// The `[Daemon]` group of `kscreenlockerrc`, key by key, as written by KDE's settings:
///
/// ```text
/// [$Version]
/// update_info=kscreenlocker.upd:0.1-autolock
///
/// [Daemon]
/// Autolock=false
/// LockGrace=10
/// Timeout=10
///
/// [Greeter]
/// Theme=org.kde.breezedark.desktop
/// ```
///
/// KConfig writes only keys that differ from the default, so a missing key means the default.
/// A key may carry a flag such as `Autolock[$i]` (locked by the administrator); the flag is
/// dropped.
pub fn parse_kscreenlockerrc(text: &str) -> Vec<(String, String)> {
    let mut in_daemon = false;
    let mut keys = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') && !line.contains('=') {
            in_daemon = line == "[Daemon]";
        } else if in_daemon && let Some((key, value)) = line.split_once('=') {
            let key = key.split('[').next().unwrap_or(key).trim();
            keys.push((key.to_string(), value.trim().to_string()));
        }
    }
    keys
}

/// KConfig's reading of a boolean (`true`, `on`, `yes`, `1` and their opposites).
fn kconfig_bool(value: &str) -> Option<bool> {
    match value.to_lowercase().as_str() {
        "true" | "on" | "yes" | "1" => Some(true),
        "false" | "off" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// The lock from KDE's `[Daemon]` keys; defaults from kscreenlocker's kcfg: Autolock true,
/// Timeout 5 (minutes), Lock true (allows the grace period), LockGrace 5 (seconds),
/// RequirePassword true.
fn kde_lock(keys: &[(String, String)], evidence: &mut Vec<String>) -> Result<Lock, String> {
    let get = |name: &str| keys.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let boolean = |name: &str, default: bool| match get(name) {
        None => Ok(default),
        Some(v) => kconfig_bool(v).ok_or(format!("{name}={v} is not true or false")),
    };
    let never = |reason, summary: &str| Lock::Never {
        reason,
        summary: summary.into(),
    };
    if !boolean("Autolock", true)? {
        return Ok(never(
            Reason::LockDisabled,
            "Automatic screen locking is turned off in KDE: your screen never locks by itself.",
        ));
    }
    if !boolean("RequirePassword", true)? {
        return Ok(never(
            Reason::NoPassword,
            "KDE's lock screen does not ask for your password.",
        ));
    }
    let minutes: f64 = match get("Timeout") {
        None => 5.0,
        Some(v) => v.parse().map_err(|_| format!("Timeout={v} is not a number"))?,
    };
    if minutes <= 0.0 {
        return Ok(never(
            Reason::NeverIdle,
            "Your screen never locks by itself: KDE's lock timeout is 0.",
        ));
    }
    let grace = if boolean("Lock", true)? {
        match get("LockGrace") {
            None => 5,
            Some(v) => v.parse().map_err(|_| format!("LockGrace={v} is not a number"))?,
        }
    } else {
        0
    };
    evidence.push(format!(
        "locks after {minutes} minutes, password needed {grace} s after that"
    ));
    Ok(Lock::After {
        idle_seconds: (minutes * 60.0).round() as u64,
        password_delay_seconds: grace,
        maybe_sooner: false,
    })
}

fn kde(system: &dyn System) -> Reading {
    let Some(config) = config_home(system) else {
        return Reading::unknown(
            Reason::SettingsUnreadable,
            "Could not tell whether your screen locks: your home folder is not known (HOME is not set).",
            Vec::new(),
        );
    };
    let path = format!("{config}/kscreenlockerrc");
    let mut evidence = Vec::new();
    let (keys, defaults) = match system.read_file(&path) {
        FileRead::Contents(text) => {
            let keys = parse_kscreenlockerrc(&text);
            if keys.is_empty() {
                evidence.push(format!("{path}: no [Daemon] settings, so KDE's defaults apply"));
            } else {
                let shown: Vec<String> = keys.iter().map(|(k, v)| format!("{k}={v}")).collect();
                evidence.push(format!("{path} [Daemon]: {}", shown.join(", ")));
            }
            let note = keys
                .is_empty()
                .then(|| "KDE's default settings, because kscreenlockerrc does not change them".to_string());
            (keys, note)
        }
        FileRead::Missing => {
            evidence.push(format!("{path} does not exist, so KDE's defaults apply"));
            (
                Vec::new(),
                Some("KDE's default settings, because there is no kscreenlockerrc".to_string()),
            )
        }
        FileRead::Directory => return unreadable_file(&path, "it is a folder", evidence),
        FileRead::Unreadable(why) => return unreadable_file(&path, &why, evidence),
    };
    match kde_lock(&keys, &mut evidence) {
        Ok(lock) => Reading {
            lock,
            evidence,
            defaults,
        },
        Err(why) => unreadable_file(&path, &why, evidence),
    }
}

fn unreadable_file(path: &str, why: &str, mut evidence: Vec<String>) -> Reading {
    evidence.push(format!("{path} could not be read: {why}"));
    Reading::unknown(
        Reason::SettingsUnreadable,
        format!("Could not tell whether your screen locks: {path} could not be read ({why})."),
        evidence,
    )
}

// -------------------------------- XFCE

/// One xfconf property: its type and value (`None` for `type="empty"`, which means the default).
#[derive(Debug, Clone, PartialEq)]
pub struct XfconfProperty {
    pub path: String,
    pub kind: String,
    pub value: Option<String>,
}

/// Reads the properties of an xfconf channel file, giving each its full path:
///
/// ```text
/// <?xml version="1.0" encoding="UTF-8"?>
///
/// <channel name="xfce4-screensaver" version="1.0">
///   <property name="saver" type="empty">
///     <property name="idle-activation" type="empty">
///       <property name="delay" type="int" value="1"/>
///     </property>
///   </property>
/// </channel>
/// ```
///
/// gives `/saver/idle-activation/delay` = int `1`. Only what xfconfd writes is understood:
/// `<property …/>` and `<property …>…</property>` with double-quoted attributes; `<value>`
/// elements (array items), comments and the XML declaration are skipped. `None` when the tags
/// do not nest.
pub fn parse_xfconf(xml: &str) -> Option<Vec<XfconfProperty>> {
    let mut found = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->")? + 3..];
            continue;
        }
        let end = rest.find('>')?;
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with("/property") {
            open.pop()?;
        } else if let Some(attrs) = tag.strip_prefix("property ") {
            let attr = |name: &str| xml_attribute(attrs, name);
            let path = format!("{}/{}", open.last().map_or("", String::as_str), attr("name")?);
            found.push(XfconfProperty {
                path: path.clone(),
                kind: attr("type").unwrap_or_default(),
                value: attr("value"),
            });
            if !tag.ends_with('/') {
                open.push(path);
            }
        }
    }
    open.is_empty().then_some(found)
}

/// The value of `name="…"` among a tag's attributes, with the five XML entities decoded.
fn xml_attribute(attrs: &str, name: &str) -> Option<String> {
    let needle = format!("{name}=\"");
    let mut from = 0;
    let start = loop {
        let at = from + attrs[from..].find(&needle)?;
        if at == 0 || attrs[..at].ends_with(char::is_whitespace) {
            break at + needle.len();
        }
        from = at + needle.len();
    };
    let len = attrs[start..].find('"')?;
    Some(
        attrs[start..start + len]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// The xfce4-screensaver settings that decide the lock, with their defaults (from its
/// `src/gs-prefs.h`). xfce4-screensaver's idle timer does nothing while `/saver/enabled` is
/// false, and locks only when the saver activates with `/lock/saver-activation/enabled`.
const XFCE_SWITCHES: [(&str, &str); 4] = [
    (
        "/saver/enabled",
        "the screensaver is turned off, so nothing happens when the computer is idle",
    ),
    (
        "/saver/idle-activation/enabled",
        "the screensaver does not start when the computer is idle",
    ),
    ("/lock/enabled", "screen locking is turned off"),
    (
        "/lock/saver-activation/enabled",
        "the screen does not lock when the screensaver starts",
    ),
];

fn xfce_lock(props: &[XfconfProperty], evidence: &mut Vec<String>) -> Result<Lock, String> {
    let get = |path: &str| {
        props
            .iter()
            .rev()
            .find(|p| p.path == path && p.kind != "empty")
            .and_then(|p| p.value.clone())
    };
    for (path, meaning) in XFCE_SWITCHES {
        match get(path).as_deref() {
            None => evidence.push(format!("{path} not set (default: true)")),
            Some("true") => evidence.push(format!("{path} = true")),
            Some("false") => {
                evidence.push(format!("{path} = false"));
                return Ok(Lock::Never {
                    reason: Reason::LockDisabled,
                    summary: format!("Your screen never locks by itself: in XFCE, {meaning}."),
                });
            }
            Some(other) => return Err(format!("{path} has the unexpected value `{other}`")),
        }
    }
    let mut minutes = |path: &str, default: u64| match get(path) {
        None => {
            evidence.push(format!("{path} not set (default: {default} minutes)"));
            Ok(default)
        }
        Some(v) => {
            evidence.push(format!("{path} = {v} (minutes)"));
            v.parse::<u64>()
                .map_err(|_| format!("{path} has the unexpected value `{v}`"))
        }
    };
    let idle = minutes("/saver/idle-activation/delay", 5)?;
    let lock_after_saver = minutes("/lock/saver-activation/delay", 0)?;
    if idle == 0 {
        return Ok(Lock::Never {
            reason: Reason::NeverIdle,
            summary: "Your screen never locks by itself: XFCE's screensaver delay is 0.".into(),
        });
    }
    Ok(Lock::After {
        idle_seconds: idle * 60,
        password_delay_seconds: lock_after_saver * 60,
        maybe_sooner: false,
    })
}

fn xfce(system: &dyn System) -> Reading {
    let Some(config) = config_home(system) else {
        return Reading::unknown(
            Reason::SettingsUnreadable,
            "Could not tell whether your screen locks: your home folder is not known (HOME is not set).",
            Vec::new(),
        );
    };
    let path = format!("{config}/xfce4/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml");
    let mut evidence = Vec::new();
    let (props, defaults) = match system.read_file(&path) {
        FileRead::Contents(text) => match parse_xfconf(&text) {
            Some(props) => (props, None),
            None => return unreadable_file(&path, "its XML could not be understood", evidence),
        },
        FileRead::Missing => {
            let processes = system.processes();
            let running = process_match::find(&processes, &["xfce4-screensaver"]);
            let Some(p) = running.first() else {
                evidence.push(format!("{path} does not exist, and xfce4-screensaver is not running"));
                return Reading::unknown(
                    Reason::LockerNotFound,
                    "Could not tell whether your screen locks: xfce4-screensaver is not running and has no settings. If you use another screen locker (such as light-locker), check its settings yourself.",
                    evidence,
                );
            };
            evidence.push(format!("{path} does not exist, so xfce4-screensaver's defaults apply"));
            evidence.push(process_match::describe(p));
            (
                Vec::new(),
                Some("xfce4-screensaver's default settings, because it has no settings file".to_string()),
            )
        }
        FileRead::Directory => return unreadable_file(&path, "it is a folder", evidence),
        FileRead::Unreadable(why) => return unreadable_file(&path, &why, evidence),
    };
    match xfce_lock(&props, &mut evidence) {
        Ok(lock) => Reading {
            lock,
            evidence,
            defaults,
        },
        Err(why) => unreadable_file(&path, &why, evidence),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desktops_are_recognised_from_their_names() {
        assert_eq!(parse_desktop("ubuntu:GNOME"), Some(Desktop::Gnome));
        assert_eq!(parse_desktop("GNOME-Classic:GNOME"), Some(Desktop::Gnome));
        assert_eq!(parse_desktop("X-Cinnamon"), Some(Desktop::Cinnamon));
        assert_eq!(parse_desktop("MATE"), Some(Desktop::Mate));
        assert_eq!(parse_desktop("KDE"), Some(Desktop::Kde));
        assert_eq!(parse_desktop("plasmawayland"), Some(Desktop::Kde));
        assert_eq!(parse_desktop("XFCE"), Some(Desktop::Xfce));
        assert_eq!(parse_desktop("sway"), Some(Desktop::Other("sway".into())));
        assert_eq!(parse_desktop(""), None);
    }

    #[test]
    fn kscreenlockerrc_keys_come_from_the_daemon_group_only() {
        let text = "[$Version]\nupdate_info=kscreenlocker.upd:0.1-autolock\n\n[Daemon]\nAutolock[$i]=false\nTimeout=10\n\n[Greeter][Wallpaper][org.kde.image][General]\nTimeout=99\n";
        assert_eq!(
            parse_kscreenlockerrc(text),
            vec![
                ("Autolock".to_string(), "false".to_string()),
                ("Timeout".to_string(), "10".to_string())
            ]
        );
    }

    #[test]
    fn junk_in_kscreenlockerrc_is_unreadable_not_a_verdict() {
        // Seen in a public how-to: `Timeout=false`.
        let keys = vec![("Timeout".to_string(), "false".to_string())];
        assert!(kde_lock(&keys, &mut Vec::new()).is_err());
    }

    #[test]
    fn xfconf_paths_nest_and_broken_xml_is_refused() {
        let xml = "<channel name=\"c\" version=\"1.0\">\n  <property name=\"lock\" type=\"empty\">\n    <!-- a <comment> -->\n    <property name=\"enabled\" type=\"bool\" value=\"false\"/>\n  </property>\n  <property name=\"saver\" type=\"empty\">\n    <property name=\"themes\" type=\"empty\">\n      <property name=\"list\" type=\"array\">\n        <value type=\"string\" value=\"x\"/>\n      </property>\n    </property>\n  </property>\n</channel>\n";
        let props = parse_xfconf(xml).unwrap();
        let paths: Vec<&str> = props.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/lock",
                "/lock/enabled",
                "/saver",
                "/saver/themes",
                "/saver/themes/list"
            ]
        );
        assert_eq!(props[1].value.as_deref(), Some("false"));
        assert_eq!(parse_xfconf("<property name=\"a\" type=\"empty\">"), None);
        assert_eq!(xml_attribute("name=\"a\" rename=\"b\"", "name").as_deref(), Some("a"));
        assert_eq!(xml_attribute("rename=\"b\" name=\"a\"", "name").as_deref(), Some("a"));
    }
}
