//! Linux: ClamAV's definitions files and processes, Microsoft Defender for Endpoint's `mdatp`,
//! and other products by their process.

use jiff::Timestamp;

use super::clamav_conf::{CLAMD_CONFS, ClamdConf, OnAccess};
use super::{Definitions, Product, Protection, Survey, clamav_conf, vendors};
use crate::probe::process_match;
use crate::system::{FileRead, ProcessInfo, System};

/// Where Debian, Ubuntu and Fedora keep ClamAV's definitions.
pub const CLAMAV_DB_DIR: &str = "/var/lib/clamav";
/// Overrides [`CLAMAV_DB_DIR`], for tests and for installs that keep the definitions elsewhere
/// (`DatabaseDirectory` in `freshclam.conf`). Read through the System, so a replay sees the
/// value recorded with the snapshot.
pub const CLAMAV_DB_DIR_ENV: &str = "CONFIDE_CLAMAV_DB_DIR";
/// `daily.cld` is what freshclam leaves after applying incremental updates; `daily.cvd` a
/// whole download. The newer of the two counts.
const CLAMAV_DAILY_FILES: [&str; 2] = ["daily.cld", "daily.cvd"];
/// A ClamAV definitions file starts with this many bytes of ASCII header.
const CLAMAV_HEADER_BYTES: usize = 512;

/// The header of a ClamAV definitions file.
#[derive(Debug, Clone, PartialEq)]
pub struct ClamavHeader {
    pub version: Option<u64>,
    pub built: Timestamp,
}

/// Parses the 512-byte header of `daily.cvd` / `daily.cld`: ASCII fields separated by `:`,
/// padded with spaces, the last being the build time in seconds since the epoch:
///
/// ```text
/// ClamAV-VDB:16 Apr 2020 07-58 -0400:25784:2267600:63:92baacd5…:4Jp9JtGJ…:raynman:1587038339
/// ```
///
/// (magic : build time : version : signatures : functionality level : MD5 : digital signature :
/// builder : build epoch). Without the epoch, the written build time is used.
pub fn parse_clamav_header(text: &str) -> Option<ClamavHeader> {
    let header = text.get(..CLAMAV_HEADER_BYTES).unwrap_or(text);
    let fields: Vec<&str> = header.strip_prefix("ClamAV-VDB:")?.split(':').collect();
    let version = fields.get(1).and_then(|v| v.trim().parse().ok());
    let epoch = fields.get(7).and_then(|f| {
        let f = f.trim_start();
        let digits = &f[..f.find(|c: char| !c.is_ascii_digit()).unwrap_or(f.len())];
        digits.parse::<i64>().ok()
    });
    let built = match epoch {
        Some(seconds) => Timestamp::from_second(seconds).ok()?,
        None => jiff::fmt::strtime::parse("%d %b %Y %H-%M %z", fields.first()?.trim())
            .ok()?
            .to_timestamp()
            .ok()?,
    };
    Some(ClamavHeader { version, built })
}

/// What reading one definitions file gave.
enum HeaderRead {
    Text(String),
    Missing,
    Unreadable(String),
}

/// Reads a definitions file's text header. The rest of the file is compressed (not text), so
/// only its first 512 bytes are read.
fn read_header(system: &dyn System, path: &str) -> HeaderRead {
    match system.read_file_head(path, CLAMAV_HEADER_BYTES) {
        FileRead::Contents(text) => HeaderRead::Text(text),
        FileRead::Missing => HeaderRead::Missing,
        FileRead::Directory => HeaderRead::Unreadable("it is a folder".into()),
        FileRead::Unreadable(why) => HeaderRead::Unreadable(why),
    }
}

/// The freshest ClamAV definitions in `dir`, with evidence; `None` when there are no files.
fn clamav_definitions(system: &dyn System, dir: &str, evidence: &mut Vec<String>) -> Option<Definitions> {
    let mut newest: Option<ClamavHeader> = None;
    let mut trouble: Option<String> = None;
    for name in CLAMAV_DAILY_FILES {
        let path = format!("{}/{name}", dir.trim_end_matches('/'));
        match read_header(system, &path) {
            HeaderRead::Missing => {}
            HeaderRead::Unreadable(why) => {
                evidence.push(format!("{path} could not be read: {why}"));
                trouble = Some(format!("{path} could not be read"));
            }
            HeaderRead::Text(text) => match parse_clamav_header(&text) {
                Some(h) => {
                    evidence.push(format!(
                        "{path}: definitions version {}, built {}",
                        h.version.map_or("?".into(), |v| v.to_string()),
                        h.built.strftime("%Y-%m-%d %H:%M UTC")
                    ));
                    if newest.as_ref().is_none_or(|n| n.built < h.built) {
                        newest = Some(h);
                    }
                }
                None => {
                    evidence.push(format!("{path} does not start with a ClamAV definitions header"));
                    trouble = Some(format!("{path} has no readable header"));
                }
            },
        }
    }
    match (newest, trouble) {
        (Some(h), _) => Some(Definitions::Dated(h.built)),
        (None, Some(why)) => Some(Definitions::Unknown(why)),
        (None, None) => None,
    }
}

/// The desktop's own names for the Documents and Desktop folders, from
/// `~/.config/user-dirs.dirs` (written by xdg-user-dirs in the user's language): one
/// `XDG_DOCUMENTS_DIR="$HOME/Dokumente"` per line, the value `$HOME/`-relative or absolute and
/// shell-escaped. Other lines, and values of another form, are left out.
pub fn parse_user_dirs(text: &str, home: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let (key, value) = line.trim().split_once('=')?;
            if !matches!(key.trim(), "XDG_DOCUMENTS_DIR" | "XDG_DESKTOP_DIR") {
                return None;
            }
            let value = value.trim().strip_prefix('"')?.strip_suffix('"')?;
            let mut unescaped = String::new();
            let mut chars = value.chars();
            while let Some(c) = chars.next() {
                unescaped.push(if c == '\\' { chars.next()? } else { c });
            }
            let path = match unescaped.strip_prefix("$HOME") {
                Some(rest) if rest.starts_with('/') => format!("{home}{rest}"),
                Some(_) => return None,
                None if unescaped.starts_with('/') => unescaped,
                None => return None,
            };
            let path = path.trim_end_matches('/').to_string();
            (path != home && !path.is_empty()).then_some(path)
        })
        .collect()
}

/// The user's home folder: `$HOME`, else `<root>/<user>` (`/home` on Linux, `/Users` on a Mac).
pub(super) fn home(system: &dyn System, root: &str) -> String {
    let home = system
        .env("HOME")
        .filter(|h| h.starts_with('/'))
        .unwrap_or_else(|| format!("{root}/{}", system.host().user.as_deref().unwrap_or("user")));
    home.trim_end_matches('/').to_string()
}

/// Where client notes are kept in `home`: Documents and Desktop, and the names the desktop
/// gives them in the user's language (read through the System; a missing file leaves the
/// English names).
pub(super) fn note_folders(system: &dyn System, home: &str) -> Vec<String> {
    let mut folders: Vec<String> = ["Documents", "Desktop"].iter().map(|f| format!("{home}/{f}")).collect();
    if let FileRead::Contents(text) = system.read_file(&format!("{home}/.config/user-dirs.dirs")) {
        for folder in parse_user_dirs(&text, home) {
            if !folders.contains(&folder) {
                folders.push(folder);
            }
        }
    }
    folders
}

/// What clamd.conf at `path` says about on-access scanning, for evidence.
fn on_access_evidence(path: &str, c: &ClamdConf) -> Vec<String> {
    let mut lines = vec![match (c.include_paths.as_slice(), c.mount_paths.as_slice()) {
        ([], []) => format!("{path}: no OnAccessIncludePath or OnAccessMountPath (no folder named for on-access scanning)"),
        (include, mount) => format!(
            "{path}: on-access scanning watches {}",
            include.iter().chain(mount).cloned().collect::<Vec<_>>().join(", ")
        ),
    }];
    if !c.on_access_exclude_paths.is_empty() {
        lines.push(format!(
            "{path}: on-access scanning leaves out {} (OnAccessExcludePath)",
            c.on_access_exclude_paths.join(", ")
        ));
    }
    if !c.on_access_exclude_unames.is_empty() {
        lines.push(format!(
            "{path}: on-access scanning ignores files opened by the users {} (OnAccessExcludeUname)",
            c.on_access_exclude_unames.join(", ")
        ));
    }
    lines
}

fn clamav(system: &dyn System, processes: &[ProcessInfo]) -> Option<Product> {
    let dir = system
        .env(CLAMAV_DB_DIR_ENV)
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| CLAMAV_DB_DIR.to_string());
    let mut evidence = Vec::new();
    let definitions = clamav_definitions(system, &dir, &mut evidence);
    let running = |name: &str| process_match::find(processes, &[name]).into_iter().next().cloned();
    let (clamd, clamonacc, freshclam) = (running("clamd"), running("clamonacc"), running("freshclam"));
    for p in [&clamd, &clamonacc, &freshclam].into_iter().flatten() {
        evidence.push(process_match::describe(p));
    }
    let clamscan = system.run("clamscan", &["--version"]);
    let version = clamscan
        .succeeded()
        .then(|| clamscan.stdout.trim().strip_prefix("ClamAV ").map(str::to_string))
        .flatten();
    if let Some(v) = &version {
        evidence.push(format!("`clamscan --version`: ClamAV {v}"));
    }
    let installed =
        definitions.is_some() || clamd.is_some() || freshclam.is_some() || clamonacc.is_some() || version.is_some();
    if !installed {
        return None;
    }
    let home = home(system, "/home");
    let note_folders = note_folders(system, &home);
    let conf = clamav_conf::read(system, &mut evidence);
    if let Some((path, c)) = &conf {
        evidence.extend(on_access_evidence(path, c));
    }
    // clamd scans what it is sent; only clamonacc (ClamAV's on-access client, which sends it
    // each file as it is opened) makes that real-time protection, and only for the folders its
    // settings tell it to watch.
    let protection = if processes.is_empty() {
        Protection::Unknown("the list of running programs could not be read".into())
    } else if clamd.is_some() && clamonacc.is_some() {
        match &conf {
            None => Protection::Unknown(format!(
                "ClamAV's on-access scanning (clamonacc) is running, but its settings are in none of {}, so where it watches could not be seen",
                CLAMD_CONFS.join(", ")
            )),
            Some((_, c)) => match clamav_conf::on_access(c, &home, system.host().user.as_deref(), &note_folders) {
                OnAccess::Watched => Protection::On,
                OnAccess::Misses(why) => Protection::Off(format!(
                    "ClamAV's on-access scanning (clamonacc) is running, but {why}, so the files there are not scanned as they are opened or saved"
                )),
                OnAccess::Unseen(why) => Protection::Unknown(why),
            },
        }
    } else if clamd.is_some() {
        Protection::Off(
            "ClamAV's scanner (clamd) is running, but its on-access scanning (clamonacc) is not, so files are scanned only when someone asks, not as they are opened or saved".into(),
        )
    } else if clamonacc.is_some() {
        Protection::Off(
            "ClamAV's on-access scanning (clamonacc) is running, but the scanner it sends files to (clamd) is not".into(),
        )
    } else if freshclam.is_some() {
        Protection::Off("freshclam keeps the definitions up to date, but no ClamAV scanner (clamd) is running".into())
    } else {
        Protection::Off("no ClamAV scanner (clamd) is running; clamscan only scans when asked".into())
    };
    let definitions = definitions.unwrap_or_else(|| {
        evidence.push(format!("no daily.cld or daily.cvd in {dir}"));
        Definitions::Missing
    });
    let mut product = Product::new("ClamAV", true, protection, definitions);
    product.version = version.map(|v| v.split('/').next().unwrap_or_default().to_string());
    product.exclusions = clamav_conf::exclusions(conf.as_ref(), home, note_folders, clamd.is_some());
    product.evidence = evidence;
    Some(product)
}

/// ClamAV, Microsoft Defender for Endpoint, then known third-party products by their processes.
pub(super) fn survey(system: &dyn System) -> Survey {
    let mut survey = Survey::default();
    let processes = system.processes();
    if processes.is_empty() {
        survey
            .unreadable
            .push("the list of running programs could not be read, so antivirus programs could not be seen".into());
    }
    survey.products.extend(clamav(system, &processes));
    super::mdatp::read(system, &mut survey);
    survey.products.extend(vendors::products(&processes));
    survey
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_dirs_give_the_documents_and_desktop_folders() {
        let text = "# Format is XDG_xxx_DIR=\"$HOME/yyy\"\nXDG_DESKTOP_DIR=\"$HOME/Schreibtisch\"\nXDG_DOWNLOAD_DIR=\"$HOME/Downloads\"\nXDG_DOCUMENTS_DIR=\"$HOME/Meine\\ Dokumente/\"\n";
        assert_eq!(
            parse_user_dirs(text, "/home/sam"),
            ["/home/sam/Schreibtisch", "/home/sam/Meine Dokumente"]
        );
        assert_eq!(parse_user_dirs("XDG_DOCUMENTS_DIR=\"/srv/notes\"", "/home/sam"), ["/srv/notes"]);
        assert!(parse_user_dirs("XDG_DESKTOP_DIR=\"$HOME\"\nXDG_DOCUMENTS_DIR=\"$HOMEDIR/x\"\nXDG_DOCUMENTS_DIR=Docs", "/home/sam").is_empty());
    }
}
