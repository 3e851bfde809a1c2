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
    /// The same, with the user's own home and folders of notes by their real names (a desktop in
    /// German keeps Documents as `Dokumente`; a home may be outside /home) to judge them by too.
    ListedAround { paths: Vec<String>, notes: Vec<String> },
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

/// Programs client notes are written and read in (word processors, text editors, PDF readers):
/// excluding one leaves every note it opens unscanned. Compared with the last part of the name
/// in lower case, without `.exe` or `.app`.
const NOTE_PROGRAMS: [&str; 29] = [
    "soffice.bin",
    "soffice",
    "libreoffice",
    "libreoffice-writer",
    "lowriter",
    "swriter",
    "winword",
    "microsoft word",
    "textedit",
    "pages",
    "wordpad",
    "notepad",
    "gedit",
    "gnome-text-editor",
    "kate",
    "mousepad",
    "xed",
    "pluma",
    "abiword",
    "onlyoffice",
    "obsidian",
    "code",
    "preview",
    "evince",
    "okular",
    "acrobat",
    "acrord32",
    "acrobat reader",
    "adobe acrobat reader",
];

/// Names of folders under the users' folder that are not one person's home.
const SHARED_HOMES: [&str; 5] = ["shared", "public", "default", "default user", "all users"];

/// The reasons [`folder`] gives for a folder client notes are kept in directly: a file pattern
/// for a notes kind in one of them is broad.
const NOTES_FOLDERS: [&str; 5] = [
    "your whole home folder",
    "a whole home folder",
    "the Documents folder",
    "the Desktop",
    "the OneDrive folder, with Documents and Desktop",
];

/// Whether one part of an excluded path, which may hold `*` and `?` wildcards, names `name`
/// (both in lower case).
fn names(part: &str, name: &str) -> bool {
    if !part.contains(['*', '?']) {
        return part == name;
    }
    let pattern: String = part
        .chars()
        .map(|c| match c {
            '*' => ".*".to_string(),
            '?' => ".".to_string(),
            c => regex::escape(&c.to_string()),
        })
        .collect();
    regex::Regex::new(&format!("^{pattern}$")).is_ok_and(|re| re.is_match(name))
}

/// Whether a file name pattern takes every file of a kind notes are kept in (`*.docx`, `*.doc*`,
/// `*`).
fn takes_note_files(pattern: &str) -> bool {
    NOTE_EXTENSIONS.iter().any(|e| names(pattern, &format!("notes.{e}")))
}

/// Why an excluded `path` leaves client notes unprotected, or `None` for a narrow exclusion.
///
/// Broad: a drive root (`C:\`, `D:`, `C:\*`), `*` alone, the root `/`, the folder of all users
/// (`C:\Users`, `/home`, `/Users`, `/var/home`), one user's home folder (`C:\Users\sam`,
/// `%USERPROFILE%`, `/home/sam`, `/Users/sam`, `~`), and Documents or Desktop in it (also under
/// OneDrive; on a Mac the Library folder, its CloudStorage and iCloud Drive), also through the
/// Mac's `/System/Volumes/Data` path to the same folders; any of them named with wildcards
/// (`C:\Users\sam*`, `/home/sam/Doc*`); files of a notes kind in a home, Documents or Desktop
/// folder (`/home/sam/Documents/*.docx`); every file of a notes kind (`*.docx`); and the files a
/// word processor, text editor or PDF reader opens ([`PROCESS_PREFIX`]). The shared folders
/// beside the homes (`/Users/Shared`, `C:\Users\Public`) are not a home.
pub fn broad(path: &str) -> Option<&'static str> {
    let path = path.trim();
    if let Some(program) = path.strip_prefix(PROCESS_PREFIX) {
        return broad_program(program.trim());
    }
    let lower = path.to_lowercase();
    if matches!(lower.as_str(), "*" | "*.*") {
        return Some("every file, wherever it is saved");
    }
    if lower.starts_with("*.") && takes_note_files(&lower) {
        return Some("every file of a kind client notes are kept in, wherever it is saved");
    }
    let normal = lower.replace('/', "\\");
    let mut parts: Vec<&str> = Vec::new();
    for part in normal.split('\\').filter(|p| !p.is_empty()) {
        match part {
            // `**` stands for any depth: it widens, never narrows, so it is left out.
            "." | "**" => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    // Windows' long-path form `\\?\C:\…` names the same folder.
    if parts.first() == Some(&"?") {
        parts.remove(0);
    }
    // Every file in a folder is the folder.
    while parts.last().is_some_and(|l| *l == "*" || *l == "*.*") {
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
    if let Some(why) = folder(&parts) {
        return Some(why);
    }
    // A file pattern: files of a notes kind kept directly in a home, Documents or Desktop folder.
    match parts.split_last() {
        Some((last, parent)) if last.contains(['*', '?']) && takes_note_files(last) => folder(parent)
            .filter(|why| NOTES_FOLDERS.contains(why))
            .map(|_| "the document files in a home folder, Documents or the Desktop"),
        _ => None,
    }
}

/// Why a program exclusion leaves notes unscanned: `*` (every program), or a word processor,
/// text editor or PDF reader by name (wildcards allowed); a wildcard in a folder of programs
/// (`/opt/backup/bin/*`) names that folder's programs, not these.
fn broad_program(program: &str) -> Option<&'static str> {
    if program == "*" {
        return Some("every file any program opens");
    }
    let (folder, name) = match program.rsplit_once(['/', '\\']) {
        Some((folder, name)) => (Some(folder), name),
        None => (None, program),
    };
    let name = name.to_lowercase();
    let name = name.trim_end_matches(".exe").trim_end_matches(".app");
    if folder.is_some() && name.contains(['*', '?']) {
        return None;
    }
    NOTE_PROGRAMS
        .iter()
        .any(|p| names(name, p))
        .then_some("every file your word processor, text editor or PDF reader opens")
}

/// The folder `parts` (lower case) names, when it holds client notes: a drive, the users'
/// folder, a home, or a folder of notes in it.
fn folder(parts: &[&str]) -> Option<&'static str> {
    let drive = |p: &str| {
        (p.len() == 2 && p.ends_with(':') && p.as_bytes()[0].is_ascii_alphabetic()) || p == "%systemdrive%"
    };
    let home_var = |p: &str| matches!(p, "%userprofile%" | "~" | "$home" | "%homepath%");
    // The folder that holds users' homes, after a drive letter or at the root.
    let users = |p: &str| names(p, "users") || names(p, "home");
    // A person's folder, not a shared one nor a file pattern (`C:\\Users\\*.docx`).
    let person = |p: &str| !SHARED_HOMES.contains(&p) && !p.starts_with("*.");
    let rest = match parts {
        [] => return Some("the whole disk"),
        [d] if drive(d) => return Some("a whole drive"),
        [d, rest @ ..] if drive(d) => rest,
        rest => rest,
    };
    match rest {
        [] => Some("a whole drive"),
        [u] if users(u) => Some("every user's files"),
        [h] if home_var(h) => Some("your whole home folder"),
        [u, p] if users(u) && person(p) => Some("a whole home folder"),
        [h, tail @ ..] if home_var(h) => documents(tail),
        [u, p, tail @ ..] if users(u) && person(p) => documents(tail),
        _ => None,
    }
}

/// Documents or Desktop directly in a home folder, or in its OneDrive (on a Mac, OneDrive is in
/// `Library/CloudStorage`), and on a Mac the folders that hold them when they are synced.
fn documents(tail: &[&str]) -> Option<&'static str> {
    let onedrive = |p: &str| p.starts_with("onedrive") || names(p, "onedrive");
    let tail = match tail {
        [l] if names(l, "library") => return Some("the Library folder, where OneDrive and iCloud Drive keep Documents and Desktop"),
        [l, c] if names(l, "library") && names(c, "cloudstorage") => {
            return Some("the cloud storage folder, where OneDrive keeps Documents and Desktop");
        }
        [l, m, ..] if names(l, "library") && names(m, "mobile documents") => {
            return Some("iCloud Drive, where Desktop and Documents are kept when they are in iCloud");
        }
        [l, c, rest @ ..] if names(l, "library") && names(c, "cloudstorage") && rest.first().is_some_and(|o| onedrive(o)) => rest,
        rest => rest,
    };
    let tail = match tail {
        // The whole OneDrive folder holds Documents and Desktop when OneDrive backs them up.
        [one] if onedrive(one) => return Some("the OneDrive folder, with Documents and Desktop"),
        [one, rest @ ..] if onedrive(one) => rest,
        rest => rest,
    };
    match tail {
        [d] if names(d, "documents") => Some("the Documents folder"),
        [d] if names(d, "desktop") => Some("the Desktop"),
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

/// Why an excluded folder holds the user's notes: it is `notes[0]` (the home) or one of the
/// other folders of notes, or a folder above one of them. Paths as on Linux and macOS.
pub fn holds_notes(path: &str, notes: &[String]) -> Option<String> {
    let path = path.trim().trim_end_matches('*').trim_end_matches('/');
    if path.is_empty() || path.contains(['*', '?']) {
        return None;
    }
    let under = |folder: &str| folder == path || folder.starts_with(&format!("{path}/"));
    let (home, folders) = notes.split_first()?;
    if under(home) {
        return Some("your whole home folder".into());
    }
    folders.iter().find(|f| under(f)).map(|f| folder_words(f))
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
            Exclusions::ListedAround { paths, notes } => paths
                .iter()
                .filter_map(|p| {
                    let why = broad(p).map(str::to_string).or_else(|| holds_notes(p, notes))?;
                    Some((p.clone(), why))
                })
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
            Exclusions::Listed(paths) | Exclusions::ListedAround { paths, .. } if paths.is_empty() => {
                Some(format!("{name} excludes no folders from scanning"))
            }
            Exclusions::Listed(paths) | Exclusions::ListedAround { paths, .. } => Some(format!(
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
            "C:\\Users\\sam*",
            "C:\\Users\\sam\\Documents*",
            "C:\\Users\\sam\\OneDrive*",
            "C:\\Users\\sam\\Documents\\*\\*",
            "/home/sam*",
            "/home/sam/Doc*",
            "/home/sam/Documen?s",
            "/home/sam/Documents/*.doc*",
            "/home/sam/Documents/**/*.docx",
            "/*/sam",
            "C:\\*\\sam\\Documents",
            "/Users/sam/Desktop/*.pdf",
            "/Users/sam/Library",
            "/Users/sam/Library/CloudStorage",
            "/Users/sam/Library/Mobile Documents/com~apple~CloudDocs/Documents",
            "*.doc*",
            "files opened by soffice*",
            "files opened by libreoffice-writer",
            "files opened by /Applications/Microsoft Word.app",
            "files opened by WINWORD.EXE",
            "files opened by WINWORD",
            "files opened by C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
            "%USERPROFILE%\\Documents\\*",
            "C:\\Users\\*\\Documents",
            "C:/Users/sam",
            "\\\\?\\C:\\Users\\sam",
            "*.DOCX",
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
    fn the_user_s_own_folders_by_their_real_names() {
        let notes = ["/srv/sam".to_string(), "/srv/sam/Dokumente".to_string(), "/srv/sam/Schreibtisch".to_string()];
        assert_eq!(holds_notes("/srv/sam/", &notes).as_deref(), Some("your whole home folder"));
        assert_eq!(holds_notes("/srv", &notes).as_deref(), Some("your whole home folder"));
        assert_eq!(holds_notes("/srv/sam/Dokumente/*", &notes).as_deref(), Some("the Dokumente folder"));
        assert_eq!(holds_notes("/srv/sam/Dokumente/Spiele", &notes), None);
        assert_eq!(holds_notes("/srv/sa", &notes), None);
        let listed = Exclusions::ListedAround {
            paths: vec!["/srv/sam/Schreibtisch".into(), "/var/log".into()],
            notes: notes.to_vec(),
        };
        assert_eq!(listed.broad(), [("/srv/sam/Schreibtisch".to_string(), "the Schreibtisch folder".to_string())]);
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
            "files opened by /opt/backup/bin/*",
            "/var/home-backup",
            "/Users/Shared",
            "C:\\Users\\Public",
            "C:\\Users\\Public\\Documents",
            "C:\\*.docx",
            "C:\\Users\\*.docx",
            "/home/sam/Documents/*.log",
            "*.",
        ] {
            assert_eq!(broad(path), None, "{path} should be narrow");
        }
    }
}
