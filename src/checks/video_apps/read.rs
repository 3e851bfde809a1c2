//! Reading which video-calling programs are installed, per OS, through the System.

use super::table::App;
use crate::probe::macos_defaults::{self, Defaults};
use crate::probe::windows_reg;
use crate::system::{FileRead, OsFamily, RunOutcome, System};

/// What the machine said: the programs found and what was looked at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    pub found: Vec<Found>,
    /// Each place that was read, in words, for the report (`dpkg-query lists 754 packages`).
    pub looked: Vec<String>,
    /// Each place that could not be read, with why.
    pub unreadable: Vec<String>,
}

/// One installed program from the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The table's name for it (`Zoom Workplace`).
    pub app: String,
    /// The version as the OS records it, if it does.
    pub version: Option<String>,
    /// Where it was seen (`/Applications/zoom.us.app`, `dpkg package zoom`).
    pub source: String,
}

/// Reads what is installed on this OS, looking for the programs in `apps`.
pub fn read(system: &dyn System, apps: &[App]) -> Reading {
    match system.os().family {
        OsFamily::Macos => macos(system, apps),
        OsFamily::Windows => windows(system, apps),
        OsFamily::Linux => linux(system, apps),
    }
}

// ---------------------------------------------------------------- macOS

/// Each app bundle in the table, and its `CFBundleShortVersionString` read with `defaults`
/// (which reads binary and XML property lists alike).
fn macos(system: &dyn System, apps: &[App]) -> Reading {
    let mut reading = Reading::default();
    if system.read_file("/Applications") != FileRead::Directory {
        reading
            .unreadable
            .push("the Applications folder (/Applications) could not be read".into());
        return reading;
    }
    let mut bundles = 0;
    for app in apps {
        for bundle in &app.macos {
            bundles += 1;
            match system.read_file(bundle) {
                FileRead::Directory => {
                    let info = format!("{bundle}/Contents/Info");
                    let version = match macos_defaults::read(system, &info, "CFBundleShortVersionString") {
                        Defaults::Value(v) if !v.trim().is_empty() => Some(v.trim().to_string()),
                        _ => None,
                    };
                    reading.found.push(Found {
                        app: app.name.clone(),
                        version,
                        source: bundle.clone(),
                    });
                }
                FileRead::Missing | FileRead::Contents(_) => {}
                FileRead::Unreadable(why) => reading.unreadable.push(format!("{bundle} could not be read: {why}")),
            }
        }
    }
    reading
        .looked
        .push(format!("looked for {bundles} app bundles in /Applications and /System/Applications"));
    reading
}

// ---------------------------------------------------------------- Windows

/// The Uninstall keys that list installed desktop programs: for all users (64-bit and 32-bit
/// views) and for this user (where Zoom installs by default). Programs installed from the
/// Microsoft Store (the new Teams, today's WhatsApp) are not listed here.
const UNINSTALL_KEYS: [&str; 3] = [
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
    "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
    "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
];

fn windows(system: &dyn System, apps: &[App]) -> Reading {
    let mut reading = Reading::default();
    for key in UNINSTALL_KEYS {
        let out = system.run("reg", &["query", key, "/s"]);
        match out.outcome() {
            // `reg query KEY /s` names the key it read (`HKEY_…`) before any value, even for an
            // empty key: an answer without that line was not understood.
            RunOutcome::Exited { status: Some(0) } if !out.stdout.lines().any(|l| l.starts_with("HKEY_")) => {
                reading
                    .unreadable
                    .push(format!("{key} could not be read: `reg` answered without naming the key"))
            }
            RunOutcome::Exited { status: Some(0) } => {
                let entries = parse_uninstall(&out.stdout);
                reading
                    .looked
                    .push(format!("{key}: {}", crate::words::count(entries.len() as u64, "program")));
                for entry in entries {
                    if let Some(app) = match_windows(apps, &entry.display_name) {
                        reading.found.push(Found {
                            app: app.name.clone(),
                            version: entry.display_version,
                            source: format!("\"{}\" in {key}", entry.display_name),
                        });
                    }
                }
            }
            // `reg` exits 1 for a missing key but also for "Access is denied"; only the optional
            // keys may be missing. The 64-bit machine-wide key exists on every Windows, so its
            // exit 1 is an error, never "nothing installed".
            RunOutcome::Exited { status: Some(1) } if key != UNINSTALL_KEYS[0] => {
                reading.looked.push(format!("{key}: not present"))
            }
            _ => reading.unreadable.push(format!(
                "{key} could not be read: {}",
                out.failure("reg").unwrap_or_else(|| "unexpected answer".into())
            )),
        }
    }
    reading
}

/// One program in an Uninstall key.
#[derive(Debug, Clone, PartialEq)]
pub struct UninstallEntry {
    pub display_name: String,
    pub display_version: Option<String>,
}

/// Parses `reg query <Uninstall key> /s`: a line naming each subkey (`HKEY_…`), then its values
/// indented by four spaces, fields separated by four spaces (the layout `reg query` prints on
/// every display language). Subkeys without a DisplayName are not listed by Windows either.
pub fn parse_uninstall(stdout: &str) -> Vec<UninstallEntry> {
    let mut entries = Vec::new();
    let mut current: Option<(Option<String>, Option<String>)> = None;
    let mut flush = |current: &mut Option<(Option<String>, Option<String>)>| {
        if let Some((Some(name), version)) = current.take() {
            entries.push(UninstallEntry {
                display_name: name,
                display_version: version,
            });
        }
    };
    for line in stdout.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with("HKEY_") {
            flush(&mut current);
            current = Some((None, None));
            continue;
        }
        let Some((name, _, data)) = windows_reg::value_line(line) else { continue };
        let data = data.trim().to_string();
        if let Some((display_name, display_version)) = current.as_mut() {
            if name.eq_ignore_ascii_case("DisplayName") && !data.is_empty() {
                *display_name = Some(data);
            } else if name.eq_ignore_ascii_case("DisplayVersion") && !data.is_empty() {
                *display_version = Some(data);
            }
        }
    }
    flush(&mut current);
    entries
}

/// The table's program whose DisplayName start is the longest one that `display_name` begins
/// with, as a whole word, unless it begins with one of that program's `windows_not` (`Skype for
/// Business` is another product than Skype).
pub fn match_windows<'a>(apps: &'a [App], display_name: &str) -> Option<&'a App> {
    let lower = display_name.to_lowercase();
    apps.iter()
        .flat_map(|app| app.windows.iter().map(move |start| (app, start.to_lowercase())))
        .filter(|(app, start)| {
            lower
                .strip_prefix(start.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '(', '-']))
                && !app.windows_not.iter().any(|not| lower.starts_with(&not.to_lowercase()))
        })
        .max_by_key(|(_, start)| start.len())
        .map(|(app, _)| app)
}

// ---------------------------------------------------------------- Linux

/// A package's name and, when recorded, its version.
type Package = (String, Option<String>);

/// One package manager: the program, its arguments, and how to turn a line into
/// `(name, version)`.
struct Lister {
    /// Whether a line names something installed (dpkg also lists removed packages whose
    /// configuration files remain); only these lines are counted and matched.
    installed: fn(&str) -> bool,
    program: &'static str,
    args: &'static [&'static str],
    what: &'static str,
    /// What one line of its output is, for the report.
    unit: &'static str,
    line: fn(&str, &[App]) -> Option<Package>,
    /// Whether a line has this lister's shape: an answer with a line of another shape was not
    /// understood, so it cannot show that no video-calling program is installed.
    shaped: fn(&str) -> bool,
}

const LINUX_LISTERS: [Lister; 4] = [
    Lister {
        program: "dpkg-query",
        args: &["-W", "-f", "${db:Status-Abbrev}\\t${Package}\\t${Version}\\n"],
        installed: dpkg_installed,
        what: "dpkg package",
        unit: "installed package",
        line: dpkg_line,
        shaped: dpkg_shaped,
    },
    Lister {
        program: "rpm",
        args: &["-qa", "--qf", "%{NAME}\\t%{VERSION}\\n"],
        what: "rpm package",
        unit: "package",
        installed: any_line,
        line: tab_separated,
        shaped: package_shaped,
    },
    Lister {
        program: "flatpak",
        args: &["list", "--app"],
        what: "Flatpak",
        unit: "line",
        installed: any_line,
        line: flatpak_line,
        shaped: flatpak_shaped,
    },
    Lister {
        program: "snap",
        args: &["list"],
        what: "Snap",
        unit: "snap",
        installed: snap_row,
        line: snap_line,
        shaped: snap_shaped,
    },
];

fn linux(system: &dyn System, apps: &[App]) -> Reading {
    let mut reading = Reading::default();
    for lister in &LINUX_LISTERS {
        let out = system.run(lister.program, lister.args);
        match out.outcome() {
            RunOutcome::Missing => continue,
            RunOutcome::Exited { status: Some(0) } => {
                let all: Vec<&str> = out.stdout.lines().filter(|l| !l.trim().is_empty()).collect();
                if let Some(odd) = all.iter().find(|l| !(lister.shaped)(l)) {
                    reading.unreadable.push(format!(
                        "`{}` answered with a line confide cannot read: {}",
                        lister.program,
                        crate::words::excerpt(odd, 60)
                    ));
                    continue;
                }
                let lines: Vec<&str> = all.into_iter().filter(|l| (lister.installed)(l)).collect();
                reading
                    .looked
                    .push(format!("`{}` lists {}", lister.program, crate::words::count(lines.len() as u64, lister.unit)));
                for line in lines {
                    let Some((name, version)) = (lister.line)(line, apps) else { continue };
                    if let Some(app) = apps.iter().find(|a| a.linux.iter().any(|n| n == &name)) {
                        reading.found.push(Found {
                            app: app.name.clone(),
                            version,
                            source: format!("{} {name}", lister.what),
                        });
                    }
                }
            }
            _ => reading.unreadable.push(format!(
                "`{}` could not list what is installed: {}",
                lister.program,
                out.failure(lister.program).unwrap_or_else(|| "unexpected answer".into())
            )),
        }
    }
    if reading.looked.is_empty() && reading.unreadable.is_empty() {
        reading
            .unreadable
            .push("no package manager (dpkg, rpm, Flatpak, Snap) could be asked".into());
    }
    reading
}

/// Every line of rpm's and Flatpak's lists names something installed.
fn any_line(_: &str) -> bool {
    true
}

/// A line of `snap list`: its header, or six columns (name, version, rev, tracking, publisher,
/// notes) with a snap name (lower-case letters, digits, hyphens) and a revision number (`x1` for
/// a snap installed from a file).
fn snap_shaped(line: &str) -> bool {
    let c: Vec<&str> = line.split_whitespace().collect();
    if c.first() == Some(&"Name") {
        return true;
    }
    c.len() >= 6
        && c[0].chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
        && c[2].strip_prefix('x').unwrap_or(c[2]).parse::<u64>().is_ok()
}

/// Every line of `snap list` but its header (`Name  Version  Rev …`).
fn snap_row(line: &str) -> bool {
    line.split_whitespace().next() != Some("Name")
}

/// `${db:Status-Abbrev}` is three characters: the wanted action, the package's state and an
/// error flag (`ii `, `hi `, `rc `; dpkg-query(1)). Every state but `n` (not installed) and `c`
/// (only its configuration files remain, as after removing it: `rc`) has the program's files on
/// disk, including one left half-configured or waiting for triggers (`iU`, `iF`, `it`, `iW`, `iH`).
pub fn dpkg_installed(line: &str) -> bool {
    line.split('\t')
        .next()
        .and_then(|status| status.chars().nth(1))
        .is_some_and(|state| !matches!(state, 'n' | 'c'))
}

/// `status<TAB>name<TAB>version` with the three status characters (`ii `, `rc `) and a package
/// name, as the dpkg-query format above prints.
fn dpkg_shaped(line: &str) -> bool {
    line.split_once('\t').is_some_and(|(status, rest)| {
        status.chars().count() == 3 && status.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') && package_shaped(rest)
    })
}

/// `status<TAB>name<TAB>version`, as the dpkg-query format above prints.
fn dpkg_line(line: &str, apps: &[App]) -> Option<Package> {
    let (_, rest) = line.split_once('\t')?;
    tab_separated(rest, apps)
}

/// `name<TAB>version`, as the rpm format above prints.
fn tab_separated(line: &str, _: &[App]) -> Option<Package> {
    let (name, version) = line.split_once('\t')?;
    let version = version.trim();
    Some((name.trim().to_string(), (!version.is_empty()).then(|| version.to_string())))
}

/// A line of `flatpak list --app`: the application id is a column of its own; the version,
/// when the app declares one, is the column after it. Names may hold spaces, so the id is found
/// among the table's ids rather than by position.
fn flatpak_line(line: &str, apps: &[App]) -> Option<Package> {
    let columns: Vec<&str> = if line.contains('\t') {
        line.split('\t').map(str::trim).collect()
    } else {
        line.split_whitespace().collect()
    };
    let at = columns
        .iter()
        .position(|c| apps.iter().any(|a| a.linux.iter().any(|n| n == c)))?;
    let version = columns
        .get(at + 1)
        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        .map(|v| v.to_string());
    Some((columns[at].to_string(), version))
}

/// `name<TAB>version` where the name is a package name (Debian Policy 5.6.7 and rpm's naming
/// allow letters, digits and `+ - . _ ~`, starting with a letter or digit).
fn package_shaped(line: &str) -> bool {
    line.split_once('\t').is_some_and(|(name, _)| {
        name.starts_with(|c: char| c.is_ascii_alphanumeric())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || "+-._~".contains(c))
    })
}

/// A line of `flatpak list --app`: the header, or a line with an application id (reverse-DNS,
/// `com.skype.Client`) among its columns.
fn flatpak_shaped(line: &str) -> bool {
    // A reverse-DNS id (`us.zoom.Zoom`): three or more parts, each holding a letter (so a
    // version such as `1.2.3` is not one), in a column of its own where the line has tabs.
    let id = |c: &str| {
        let parts: Vec<&str> = c.split('.').collect();
        parts.len() >= 3
            && parts.iter().all(|p| {
                p.chars().any(|c| c.is_ascii_alphabetic())
                    && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
    };
    let header = line.starts_with("Name") && line.contains("Application ID");
    header
        || if line.contains('\t') {
            line.split('\t').map(str::trim).any(id)
        } else {
            line.split_whitespace().any(id)
        }
}

/// A line of `snap list`: name, version, revision, tracking, publisher, notes; the header line
/// starts with `Name`.
fn snap_line(line: &str, _: &[App]) -> Option<Package> {
    let mut columns = line.split_whitespace();
    let name = columns.next()?;
    if name == "Name" {
        return None;
    }
    Some((name.to_string(), columns.next().map(str::to_string)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::video_apps::table::table;
    use crate::system::replay::ReplaySystem;
    use crate::system::snapshot::{RecordedCommand, Snapshot};
    use crate::system::{CommandOutput, HostInfo, OsInfo};

    /// What a machine of `os` reads when each program in `answers` prints its stdout (exit 0).
    fn reading_with(os: OsFamily, answers: &[(&str, &[&str], &str)]) -> Reading {
        let info = OsInfo {
            family: os,
            name: "test".into(),
            version: "1".into(),
            arch: "x86_64".into(),
        };
        let mut snapshot = Snapshot::new("2026-11-22T12:00:00Z".parse().unwrap(), info, HostInfo::default());
        for (program, args, stdout) in answers {
            snapshot.commands.push(RecordedCommand {
                program: program.to_string(),
                args: args.iter().map(|a| a.to_string()).collect(),
                output: CommandOutput {
                    status: Some(0),
                    stdout: stdout.to_string(),
                    ..Default::default()
                },
            });
        }
        read(&ReplaySystem::new(snapshot), &table().unwrap().apps)
    }

    #[test]
    fn a_package_list_with_a_line_of_another_shape_is_unreadable() {
        // Found by tests/it/fuzz: `"\u{e}\t"` from dpkg-query read as "nothing installed", a pass.
        let dpkg = LINUX_LISTERS[0].args;
        let r = reading_with(OsFamily::Linux, &[("dpkg-query", dpkg, "ii \tadduser\t3.134\nii \t\u{e}\t\n")]);
        assert_eq!(r.unreadable.len(), 1, "{r:?}");
        let r = reading_with(OsFamily::Linux, &[("dpkg-query", dpkg, "ii \tadduser\t3.134\nii \tzoom\t5.17.11\nrc \tskypeforlinux\t8.51\n")]);
        assert!(r.unreadable.is_empty() && r.found.len() == 1, "{r:?}");
        // Found by tests/it/fuzz: a six-column line of `snap list` that names no snap.
        let snap = LINUX_LISTERS[3].args;
        let header = "Name    Version  Rev   Tracking       Publisher   Notes\n";
        let r = reading_with(OsFamily::Linux, &[("snap", snap, &format!("{header}] A }} 0 , A\n"))]);
        assert_eq!(r.unreadable.len(), 1, "{r:?}");
        let row = "htop    3.2.2    3758  latest/stable  maxiberta   -\n";
        let r = reading_with(OsFamily::Linux, &[("snap", snap, &format!("{header}{row}"))]);
        assert!(r.unreadable.is_empty(), "{r:?}");
    }

    #[test]
    fn an_uninstall_key_answer_that_names_no_key_is_unreadable() {
        // Found by tests/it/fuzz: `"!"` from `reg query … /s` read as "no programs", a pass.
        let key = ["query", UNINSTALL_KEYS[0], "/s"];
        let r = reading_with(OsFamily::Windows, &[("reg", &key, "!")]);
        assert!(r.unreadable.iter().any(|u| u.contains("without naming the key")), "{r:?}");
    }

    #[test]
    fn windows_names_match_by_their_longest_start_as_a_whole_word() {
        let apps = &table().unwrap().apps;
        let name = |d: &str| match_windows(apps, d).map(|a| a.name.as_str());
        assert_eq!(name("Zoom Workplace (64-bit)"), Some("Zoom Workplace"));
        assert_eq!(name("Zoom"), Some("Zoom Workplace"));
        assert_eq!(name("Zoomtext Fusion"), None);
        assert_eq!(name("Skype version 8.105"), Some("Skype"));
        assert_eq!(name("Skype for Business 2016"), None);
        assert_eq!(name("Teams Machine-Wide Installer"), Some("Microsoft Teams"));
    }

    /// dpkg states from dpkg-query(1): only "not installed" and "configuration files only" are
    /// not programs on this computer.
    #[test]
    fn a_package_counts_unless_it_is_gone_or_only_its_settings_remain() {
        for status in ["ii ", "hi ", "iU ", "iF ", "it ", "iW ", "iH "] {
            assert!(dpkg_installed(&format!("{status}\tzoom\t6.2.0")), "{status}");
        }
        for status in ["rc ", "un ", "pn "] {
            assert!(!dpkg_installed(&format!("{status}\tzoom\t6.2.0")), "{status}");
        }
    }

    #[test]
    fn a_flatpak_line_needs_an_application_id_not_a_version() {
        assert!(flatpak_shaped("Zoom\tus.zoom.Zoom\t6.2.0\tstable\tsystem"));
        assert!(flatpak_shaped("Signal Desktop   org.signal.Signal   7.30.0   stable   system"));
        assert!(!flatpak_shaped("Error 1.2.3"));
        assert!(!flatpak_shaped("Zoom us.zoom.Zoom 6.2.0\tstable"), "an id inside a tab column of words");
    }
}
