//! The five states of a finding (a contract: ARCHITECTURE.md, "States").

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a check concluded. Ordered from best to worst for [`Status::rank`]; `unknown` ranks as a
/// warning and is never shown as a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Fail,
    Warn,
    Unknown,
    Pass,
    Skipped,
}

impl Status {
    /// Display order in reports: worst first.
    pub const WORST_FIRST: [Status; 5] = [
        Status::Fail,
        Status::Warn,
        Status::Unknown,
        Status::Pass,
        Status::Skipped,
    ];

    /// Severity for the overall verdict: higher is worse; unknown counts as warn.
    pub fn rank(self) -> u8 {
        match self {
            Status::Skipped => 0,
            Status::Pass => 1,
            Status::Warn | Status::Unknown => 2,
            Status::Fail => 3,
        }
    }

    /// The overall status of a set of findings: the worst, with unknown counted as warn.
    pub fn overall(statuses: impl IntoIterator<Item = Status>) -> Status {
        statuses
            .into_iter()
            .map(|s| if s == Status::Unknown { Status::Warn } else { s })
            .max_by_key(|s| s.rank())
            .unwrap_or(Status::Skipped)
    }

    pub fn id(self) -> &'static str {
        match self {
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Unknown => "unknown",
            Status::Pass => "pass",
            Status::Skipped => "skipped",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_counts_as_a_warning_overall_and_never_as_a_pass() {
        assert_eq!(Status::overall([Status::Pass, Status::Unknown]), Status::Warn);
        assert_eq!(Status::overall([Status::Pass, Status::Skipped]), Status::Pass);
        assert_eq!(
            Status::overall([Status::Warn, Status::Fail, Status::Pass]),
            Status::Fail
        );
        assert_eq!(Status::overall([]), Status::Skipped);
    }
}
