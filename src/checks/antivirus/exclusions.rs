//! Antivirus exclusions: the places a product has been told not to scan. An exclusion of a whole
//! drive, the user's home folder, Documents or Desktop means the protection does nothing where
//! client notes live, however fresh its definitions are.

/// What was seen of one product's exclusions.
#[derive(Debug, Clone, PartialEq)]
pub enum Exclusions {
    /// Not asked: the product has no list confide knows how to read.
    NotRead,
    /// The paths the product skips (empty: none).
    Listed(Vec<String>),
    /// Regular expressions the product matches each file's full path against, skipping what
    /// matches (ClamAV's `ExcludePath`), with the user's home folder and its folders of notes
    /// (Documents, Desktop) to judge them by.
    Patterns {
        patterns: Vec<String>,
        home: String,
        folders: Vec<String>,
    },
    /// The product hides them from this user: why, and the fix, in words.
    Hidden(String),
    /// Asked, but no usable answer: why.
    Unreadable(String),
}

/// The placeholder Windows prints in place of each exclusion list to a user who is not an
/// administrator (seen in public write-ups and other tools' tests, listed in the fixture notes).
pub const HIDDEN_PLACEHOLDER: &str = "N/A: Must be an administrator to view exclusions";

/// How a program exclusion is listed (`files opened by soffice.bin`): the files it opens are
/// not scanned.
pub const PROCESS_PREFIX: &str = "files opened by ";

/// Programs client notes are written and read in: excluding one leaves every note it opens
/// unscanned. Compared with the last part of the name, in lower case.
const NOTE_PROGRAMS: [&str; 14] = [
    "soffice.bin",
    "soffice",
    "libreoffice",
    "winword",
    "winword.exe",
    "microsoft word",
    "textedit",
    "pages",
    "wordpad.exe",
    "notepad.exe",
    "gedit",
    "gnome-text-editor",
    "abiword",
    "onlyoffice",
];

/// Why an excluded `path` leaves client notes unprotected, or `None` for a narrow exclusion.
///
/// Broad: a drive root (`C:\`, `D:`, `C:\*`), `*` alone, the root `/`, the folder of all users
/// (`C:\Users`, `/home`, `/Users`, `/var/home`), one user's home folder (`C:\Users\sam`,
/// `%USERPROFILE%`, `/home/sam`, `/Users/sam`, `~`), and Documents or Desktop in it (also under
/// OneDrive, on a Mac in `Library/CloudStorage`), also through the Mac's
/// `/System/Volumes/Data` path to the same folders; a wildcard for every file (or every file of
/// a kind notes are kept in) in such a folder; every file of such a kind (`*.docx`); and the
/// files a word processor or text editor opens ([`PROCESS_PREFIX`]).
pub fn broad(path: &str) -> Option<&'static str> {
    let path = path.trim();
    if let Some(program) = path.strip_prefix(PROCESS_PREFIX) {
        let name = program.rsplit(['/', '\\']).next().unwrap_or(program).to_lowercase();
        return if name == "*" {
            Some("every file any program opens")
        } else if NOTE_PROGRAMS.contains(&name.as_str()) {
            Some("every file your word processor or text editor opens")
        } else {
            None
        };
    }
    let every_of_a_kind = |name: &str| {
        matches!(name, "*" | "**" | "*.*") || name.strip_prefix("*.").is_some_and(|e| NOTE_EXTENSIONS.iter().any(|n| n.eq_ignore_ascii_case(e)))
    };
    if path.starts_with("*.") && every_of_a_kind(path) {
        return Some("every file of a kind client notes are kept in, wherever it is saved");
    }
    let normal = path.replace('/', "\\").to_lowercase();
    let mut parts: Vec<&str> = Vec::new();
    for part in normal.split('\\').filter(|p| !p.is_empty()) {
        match part {
            "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    // A wildcard file name judges its folder when it takes every file there, or every file of a
    // kind notes are kept in (`/home/sam/Documents/*.docx`); another one (`*.log`) is narrow.
    if let Some(last) = parts.last().filter(|l| l.contains('*')) {
        if !every_of_a_kind(last) {
            return None;
        }
        parts.pop();
    }
    // macOS reaches the same folders through the data volume, and Fedora's atomic desktops keep
    // homes in /var/home.
    if parts.starts_with(&["system", "volumes", "data"]) {
        parts.drain(..3);
        if parts.is_empty() {
            return Some("every user's files");
        }
    }
    if parts.starts_with(&["var", "home"]) {
        parts.remove(0);
    }
    let drive = |p: &str| {
        (p.len() == 2 && p.ends_with(':') && p.as_bytes()[0].is_ascii_alphabetic()) || p == "%systemdrive%"
    };
    let home_var = |p: &str| matches!(p, "%userprofile%" | "~" | "$home" | "%homepath%");
    // The folder that holds users' homes, after a drive letter or at the root.
    let users = |p: &str| matches!(p, "users" | "home");
    let rest = match parts.as_slice() {
        [] => return Some("the whole disk"),
        [d] if drive(d) => return Some("a whole drive"),
        [d, rest @ ..] if drive(d) => rest,
        rest => rest,
    };
    match rest {
        [] => Some("a whole drive"),
        [u] if users(u) => Some("every user's files"),
        [h] if home_var(h) => Some("your whole home folder"),
        [u, _] if users(u) => Some("a whole home folder"),
        [h, tail @ ..] if home_var(h) => documents(tail),
        [u, _, tail @ ..] if users(u) => documents(tail),
        _ => None,
    }
}

/// Documents or Desktop directly in a home folder, or in its OneDrive (on a Mac, OneDrive is in
/// `Library/CloudStorage`).
fn documents(tail: &[&str]) -> Option<&'static str> {
    let tail = match tail {
        ["library", "cloudstorage", rest @ ..] if rest.first().is_some_and(|o| o.starts_with("onedrive")) => rest,
        rest => rest,
    };
    let tail = match tail {
        // The whole OneDrive folder holds Documents and Desktop when OneDrive backs them up.
        [one] if one.starts_with("onedrive") => return Some("the OneDrive folder, with Documents and Desktop"),
        [one, rest @ ..] if one.starts_with("onedrive") => rest,
        rest => rest,
    };
    match tail {
        ["documents"] => Some("the Documents folder"),
        ["desktop"] => Some("the Desktop"),
        _ => None,
    }
}

/// The kinds of file client notes are kept in: word-processor documents (Word, with macros,
/// LibreOffice, Pages), PDFs and plain or Markdown text. An exclusion of every file of one of
/// these kinds leaves the notes unscanned.
pub const NOTE_EXTENSIONS: [&str; 9] = ["docx", "doc", "docm", "pdf", "odt", "pages", "rtf", "txt", "md"];
/// Sample files tried in each folder: the note kinds, and a photo (a scan of a form), so that a
/// pattern matching every file in a folder is told from one matching some kinds.
const SAMPLE_EXTENSIONS: [&str; 10] = ["docx", "doc", "docm", "pdf", "odt", "pages", "rtf", "txt", "md", "jpg"];

/// How a folder of notes is named in a sentence: `the Documents folder`, `the Desktop`.
fn folder_words(path: &str) -> String {
    match path.rsplit('/').next().unwrap_or(path) {
        "Desktop" => "the Desktop".into(),
        name => format!("the {name} folder"),
    }
}

/// `.docx, .pdf` for a list of extensions.
fn extension_words(extensions: &[&str]) -> String {
    extensions.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(" and ")
}

/// Why a path pattern (a regular expression matched against each file's full path, as ClamAV's
/// `ExcludePath ^/proc/`) leaves client notes unscanned, or `None`. The pattern is tried rather
/// than read as a path, on sample files of each kind notes are kept in ([`NOTE_EXTENSIONS`], and
/// a photo) in the places they are kept: anywhere on the system, another user's home, `home`,
/// and `folders` (its Documents and Desktop, by their English and their XDG names). Matching
/// every sample of a place excludes the place; matching every sample of a kind of note file
/// excludes that kind (`\.(docx|pdf)$`: every Word and PDF file). A pattern that is not a valid
/// regular expression is not judged (ClamAV refuses to start with one).
pub fn broad_pattern(pattern: &str, home: &str, folders: &[String]) -> Option<String> {
    let re = regex::Regex::new(pattern).ok()?;
    let home = home.trim_end_matches('/');
    let samples = |folder: &str| -> Vec<String> {
        SAMPLE_EXTENSIONS
            .iter()
            .map(|e| format!("{}/notes.{e}", folder.trim_end_matches('/')))
            .collect()
    };
    let all = |folder: &str| samples(folder).iter().all(|p| re.is_match(p));
    if re.is_match("/usr/lib/libc.so.6") && re.is_match("/etc/hostname") && all(home) {
        return Some("the whole disk".into());
    }
    if all("/home/someone-else") && all(home) {
        return Some("every user's files".into());
    }
    if all(home) {
        return Some("your whole home folder".into());
    }
    if let Some(folder) = folders.iter().find(|f| all(f)) {
        return Some(folder_words(folder));
    }
    // Kinds of note file excluded wherever notes are kept, then in one folder of notes.
    let places: Vec<&str> = std::iter::once(home).chain(folders.iter().map(String::as_str)).collect();
    let kinds_in = |folder: &str| -> Vec<&str> {
        NOTE_EXTENSIONS
            .iter()
            .copied()
            .filter(|e| re.is_match(&format!("{}/notes.{e}", folder.trim_end_matches('/'))))
            .collect()
    };
    let everywhere: Vec<&str> = NOTE_EXTENSIONS
        .iter()
        .copied()
        .filter(|e| places.iter().all(|f| kinds_in(f).contains(e)))
        .collect();
    if !everywhere.is_empty() {
        return Some(format!("every {} file", extension_words(&everywhere)));
    }
    places.iter().find_map(|f| {
        let kinds = kinds_in(f);
        (!kinds.is_empty()).then(|| {
            let place = if *f == home { "your home folder".to_string() } else { folder_words(f) };
            format!("the {} files in {place}", extension_words(&kinds))
        })
    })
}

impl Exclusions {
    /// The broad exclusions with why each is broad, in the order listed.
    pub fn broad(&self) -> Vec<(String, String)> {
        match self {
            Exclusions::Listed(paths) => paths
                .iter()
                .filter_map(|p| broad(p).map(|why| (p.clone(), why.to_string())))
                .collect(),
            Exclusions::Patterns { patterns, home, folders } => patterns
                .iter()
                .filter_map(|p| broad_pattern(p, home, folders).map(|why| (p.clone(), why)))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// One evidence line, or none when not asked.
    pub fn evidence(&self, name: &str) -> Option<String> {
        match self {
            Exclusions::NotRead => None,
            Exclusions::Listed(paths) if paths.is_empty() => Some(format!("{name} excludes no folders from scanning")),
            Exclusions::Listed(paths) => Some(format!(
                "{name} does not scan these places (exclusions): {}",
                paths.join("; ")
            )),
            Exclusions::Patterns { patterns, .. } if patterns.is_empty() => {
                Some(format!("{name} excludes no paths from scanning (no ExcludePath)"))
            }
            Exclusions::Patterns { patterns, .. } => Some(format!(
                "{name} does not scan paths matching these patterns (ExcludePath): {}",
                patterns.join("; ")
            )),
            Exclusions::Hidden(why) | Exclusions::Unreadable(why) => {
                Some(format!("{name}'s exclusions could not be seen: {why}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drives_homes_documents_and_desktop_are_broad() {
        for path in [
            "C:\\",
            "C:",
            "c:\\*",
            "D:\\",
            "*",
            "/",
            "C:\\Users",
            "C:\\Users\\sam",
            "C:\\Users\\sam\\",
            "%USERPROFILE%",
            "%SystemDrive%",
            "%SystemDrive%\\",
            "%SystemDrive%\\Users\\sam",
            "C:\\Users\\sam\\OneDrive",
            "C:\\Users\\sam\\OneDrive - Contoso",
            "%USERPROFILE%\\Documents",
            "C:\\Users\\sam\\Documents",
            "C:\\Users\\sam\\OneDrive\\Desktop",
            "C:\\Users\\sam\\OneDrive - Practice Ltd\\Documents\\",
            "/home",
            "/home/sam",
            "/Users/sam/Documents",
            "~/Desktop",
            "*.docx",
            "*.PDF",
            "*.*",
            "*.pages",
            "/var/home/sam/",
            "/System/Volumes/Data/Users/sam",
            "/System/Volumes/Data",
            "/Users/sam/Library/CloudStorage/OneDrive-Personal",
            "/Users/sam/Library/CloudStorage/OneDrive-Practice Ltd/Documents",
            "/home/sam/Documents/*.docx",
            "/home/sam/Documents/*",
            "/home/*",
            "/home/sam/.",
            "/home/sam/Music/../Documents",
            "files opened by *",
            "files opened by soffice.bin",
            "files opened by /usr/lib/libreoffice/program/soffice.bin",
            "files opened by Microsoft Word",
        ] {
            assert!(broad(path).is_some(), "{path} should be broad");
        }
    }

    #[test]
    fn clamav_patterns_are_tried_on_where_notes_live() {
        let home = "/home/sam";
        let folders = ["/home/sam/Documents".to_string(), "/home/sam/Desktop".to_string(), "/home/sam/Dokumente".to_string()];
        for (pattern, why) in [
            ("^/", Some("the whole disk")),
            (".*", Some("the whole disk")),
            ("^/home/", Some("every user's files")),
            ("^/home/sam/", Some("your whole home folder")),
            ("^/home/[^/]+/Documents/", Some("the Documents folder")),
            ("Desktop", Some("the Desktop")),
            ("^/home/sam/Dokumente/", Some("the Dokumente folder")),
            ("\\.(docx|pdf)$", Some("every .docx and .pdf file")),
            ("\\.doc$", Some("every .doc file")),
            ("\\.txt$", Some("every .txt file")),
            ("^/home/sam/Documents/.*\\.odt$", Some("the .odt files in the Documents folder")),
            ("^/proc/", None),
            ("^/sys/", None),
            ("\\.jpg$", None),
            ("\\.iso$", None),
            ("^/home/sam/\\.cache/", None),
            ("^/home/sam/Documents/Games/", None),
            ("[unclosed", None),
        ] {
            assert_eq!(broad_pattern(pattern, home, &folders).as_deref(), why, "{pattern}");
        }
    }

    #[test]
    fn narrow_exclusions_are_not() {
        for path in [
            "C:\\Lab\\ZonaExcluida",
            "C:\\Program Files\\ExplorerPatcher",
            "C:\\Users\\sam\\Documents\\Games",
            "C:\\Users\\sam\\AppData\\Local\\Temp",
            "/home/sam/.cache",
            "/var/lib/docker",
            "C:\\Users\\sam\\Documents.old",
            "*.iso",
            "files opened by nikto",
            "/home/sam/Documents/*.log",
            "/var/log",
            "/var/home/sam/.cache",
            "/Users/sam/Library/CloudStorage/OneDrive-Personal/Music",
        ] {
            assert_eq!(broad(path), None, "{path} should be narrow");
        }
    }
}
