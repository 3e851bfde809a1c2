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
    /// matches (ClamAV's `ExcludePath`), with the user's home folder to judge them by.
    Patterns { patterns: Vec<String>, home: String },
    /// The product hides them from this user: why, and the fix, in words.
    Hidden(String),
    /// Asked, but no usable answer: why.
    Unreadable(String),
}

/// The placeholder Windows prints in place of each exclusion list to a user who is not an
/// administrator (seen in public write-ups and other tools' tests, listed in the fixture notes).
pub const HIDDEN_PLACEHOLDER: &str = "N/A: Must be an administrator to view exclusions";

/// Why an excluded `path` leaves client notes unprotected, or `None` for a narrow exclusion.
///
/// Broad: a drive root (`C:\`, `D:`, `C:\*`), `*` alone, the root `/`, the folder of all users
/// (`C:\Users`, `/home`, `/Users`), one user's home folder (`C:\Users\sam`, `%USERPROFILE%`,
/// `/home/sam`, `/Users/sam`, `~`), and Documents or Desktop in it (also under OneDrive).
pub fn broad(path: &str) -> Option<&'static str> {
    let normal = path.trim().replace('/', "\\").to_lowercase();
    let normal = normal.trim_end_matches(['\\', '*']).trim_end_matches('\\');
    let parts: Vec<&str> = normal.split('\\').filter(|p| !p.is_empty()).collect();
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

/// Documents or Desktop directly in a home folder, or in its OneDrive.
fn documents(tail: &[&str]) -> Option<&'static str> {
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

/// Why a path pattern (a regular expression matched against each file's full path, as ClamAV's
/// `ExcludePath ^/proc/`) leaves client notes unscanned, or `None`. The pattern is tried on the
/// places notes are kept rather than read as a path: a file anywhere on the system and in the
/// home folder (the whole disk), a file in another user's home and in `home` (every user's
/// files), in `home`, in its Documents, on its Desktop. A pattern that is not a valid regular
/// expression is not judged (ClamAV refuses to start with one).
pub fn broad_pattern(pattern: &str, home: &str) -> Option<&'static str> {
    let re = regex::Regex::new(pattern).ok()?;
    let home = home.trim_end_matches('/');
    let hits = |path: &str| re.is_match(path);
    let in_home = |rest: &str| format!("{home}/{rest}");
    if hits("/usr/lib/libc.so.6") && hits("/etc/hostname") && hits(&in_home("notes.odt")) {
        Some("the whole disk")
    } else if hits("/home/someone-else/notes.odt") && hits(&in_home("notes.odt")) {
        Some("every user's files")
    } else if hits(&in_home("notes.odt")) {
        Some("your whole home folder")
    } else if hits(&in_home("Documents/notes.odt")) {
        Some("the Documents folder")
    } else if hits(&in_home("Desktop/notes.odt")) {
        Some("the Desktop")
    } else {
        None
    }
}

impl Exclusions {
    /// The broad exclusions with why each is broad, in the order listed.
    pub fn broad(&self) -> Vec<(String, &'static str)> {
        match self {
            Exclusions::Listed(paths) => paths.iter().filter_map(|p| broad(p).map(|why| (p.clone(), why))).collect(),
            Exclusions::Patterns { patterns, home } => patterns
                .iter()
                .filter_map(|p| broad_pattern(p, home).map(|why| (p.clone(), why)))
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
        ] {
            assert!(broad(path).is_some(), "{path} should be broad");
        }
    }

    #[test]
    fn clamav_patterns_are_tried_on_where_notes_live() {
        let home = "/home/sam";
        for (pattern, why) in [
            ("^/", Some("the whole disk")),
            (".*", Some("the whole disk")),
            ("^/home/", Some("every user's files")),
            ("^/home/sam/", Some("your whole home folder")),
            ("^/home/[^/]+/Documents/", Some("the Documents folder")),
            ("Desktop", Some("the Desktop")),
            ("^/proc/", None),
            ("^/sys/", None),
            ("^/home/sam/\\.cache/", None),
            ("^/home/sam/Documents/Games/", None),
            ("[unclosed", None),
        ] {
            assert_eq!(broad_pattern(pattern, home), why, "{pattern}");
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
        ] {
            assert_eq!(broad(path), None, "{path} should be narrow");
        }
    }
}
