//! The caveat a report carries when the scan ran without the practitioner's profile: their own
//! answers (insurance, supervision, ICO registration and the like) were not read, so the checks
//! that need them could not pass. Stderr says so at the time, but the weekly check runs with no one
//! watching, so the report itself must say it at the top, in every format.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Why the practitioner's answers are missing from this report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NoProfile {
    /// Where confide looked for the profile. Absent when there was no home folder to look in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub looked_at: Option<String>,
}

impl NoProfile {
    /// No profile file at `path`.
    pub fn missing_at(path: &std::path::Path) -> NoProfile {
        NoProfile {
            looked_at: Some(path.display().to_string()),
        }
    }

    /// No home folder, so no profile could be looked for.
    pub fn no_home() -> NoProfile {
        NoProfile { looked_at: None }
    }

    /// The words shown at the top of the report (commands in backticks).
    pub fn notice(&self) -> String {
        let lead = "These results were made without your answers to the questions only you can confirm";
        match &self.looked_at {
            Some(path) => format!(
                "{lead}: no profile was found at {path}. Run `confide init` to give them; the next check will use them."
            ),
            None => format!(
                "{lead}: there was no home folder (HOME was not set), so no profile could be read. Set HOME or pass `--profile FILE`, and run `confide init` if you have not given your answers yet."
            ),
        }
    }

    /// The words for a document's reader: the practitioner's copy as [`NoProfile::notice`]; the
    /// supervisor's copy says what it means for them, without the practitioner's file paths or
    /// commands.
    pub fn notice_for(&self, audience: super::Audience) -> String {
        match audience {
            super::Audience::Practitioner => self.notice(),
            super::Audience::Supervisor => "This report was made without the practitioner's own answers \
                (their ICO registration, insurance, supervision and the like), so the points only the \
                practitioner can confirm read “Not met” or “Needs attention” below: that means they were \
                not answered, not that they are known to be unmet."
                .to_string(),
        }
    }

    /// The line a scan prints on stderr at the time.
    pub fn stderr_line(&self) -> String {
        match &self.looked_at {
            Some(path) => format!(
                "no profile at {path}, so this scan runs without your answers: the checks that need them cannot pass. Create it with `confide init`"
            ),
            None => "there is no home folder, so your profile (your answers from `confide init`) was not read: the checks that need it cannot pass. Set HOME, or pass --profile FILE".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_supervisor_is_told_what_it_means_without_paths_or_commands() {
        let at = NoProfile::missing_at(std::path::Path::new("/home/jane/.config/confide/profile.toml"));
        let n = at.notice_for(super::super::Audience::Supervisor);
        assert!(n.contains("without the practitioner's own answers"), "{n}");
        assert!(!n.contains("jane") && !n.contains('`'), "{n}");
        assert_eq!(at.notice_for(super::super::Audience::Practitioner), at.notice());
    }

    #[test]
    fn the_notice_names_the_file_or_the_missing_home_and_the_fix() {
        let at = NoProfile::missing_at(std::path::Path::new("/home/a/.config/confide/profile.toml"));
        let n = at.notice();
        assert!(n.contains("/home/a/.config/confide/profile.toml"), "{n}");
        assert!(n.contains("`confide init`"), "{n}");
        let n = NoProfile::no_home().notice();
        assert!(
            n.contains("HOME") && n.contains("`--profile FILE`") && n.contains("confide init"),
            "{n}"
        );
    }
}
