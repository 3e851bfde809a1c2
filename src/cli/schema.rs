//! `confide schema report|snapshot`: the JSON Schemas of the two file contracts, generated from
//! the types themselves so they cannot drift from what confide writes.

use clap::ValueEnum;

use super::Failure;
use super::output::print;
use crate::report::Report;
use crate::system::snapshot::Snapshot;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SchemaKind {
    Report,
    Snapshot,
}

/// `confide schema`.
pub(super) fn schema(what: SchemaKind) -> Result<i32, Failure> {
    let schema = match what {
        SchemaKind::Report => schemars::schema_for!(Report),
        SchemaKind::Snapshot => schemars::schema_for!(Snapshot),
    };
    print(&format!(
        "{}\n",
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    ))
}
