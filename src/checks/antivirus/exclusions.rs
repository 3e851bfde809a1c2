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

impl Exclusions {
    /// The broad exclusions with why each is broad, in the order listed.
    pub fn broad(&self) -> Vec<(String, &'static str)> {
        match self {
            Exclusions::Listed(paths) => paths.iter().filter_map(|p| broad(p).map(|why| (p.clone(), why))).collect(),
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
