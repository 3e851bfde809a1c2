//! What confide remembers between runs: one summary line per scan in `history.jsonl` ([`store`]),
//! and what changed since the previous run of the same policy ([`diff`]).
//!
//! The history holds no evidence text and no personal data: per check only its status and its
//! stable reason code, so it says no more than the report it summarises.

pub mod diff;
pub mod store;

pub use diff::{Change, Changes, Persisting};
pub use store::{CheckState, HISTORY_FILE, History, HistoryEntry, HistoryError};
