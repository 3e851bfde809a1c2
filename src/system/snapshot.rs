//! The snapshot file (`confide collect`, `confide scan --replay`): everything the checks read from
//! one machine, so a scan can be replayed anywhere. Its shape is a contract (ARCHITECTURE.md).

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{CommandOutput, DiscoveryAnswer, DnsAnswer, DnsType, HostInfo, HttpAnswer, OsInfo, ProcessInfo};
use crate::diag::InputError;

pub const SNAPSHOT_SCHEMA: &str = "confide-snapshot/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Always `confide-snapshot/1`.
    pub schema: String,
    /// When the answers were recorded; replay uses it as the clock.
    pub collected_at: Timestamp,
    /// Free text: where a hand-assembled snapshot's answers came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub os: OsInfo,
    #[serde(default)]
    pub host: HostInfo,
    /// When the machine last booted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boot_time: Option<Timestamp>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    #[serde(default)]
    pub commands: Vec<RecordedCommand>,
    #[serde(default)]
    pub files: Vec<RecordedFile>,
    #[serde(default)]
    pub processes: Vec<ProcessInfo>,
    /// DNS answers (the mail checks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns: Vec<RecordedDns>,
    /// HTTPS answers (the mail checks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub http: Vec<RecordedHttp>,
    /// Local-network discovery answers (the listening-devices check).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discovery: Vec<RecordedDiscovery>,
}

/// One local-network browse (the service types asked for) and its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordedDiscovery {
    pub service_types: Vec<String>,
    #[serde(flatten)]
    pub answer: DiscoveryAnswer,
}

/// One DNS query and its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordedDns {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: DnsType,
    #[serde(flatten)]
    pub answer: DnsAnswer,
}

/// One HTTPS GET and its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordedHttp {
    pub url: String,
    #[serde(flatten)]
    pub answer: HttpAnswer,
}

/// One program run and its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordedCommand {
    pub program: String,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(flatten)]
    pub output: CommandOutput,
}

/// One file read and its answer: `contents`, or `missing`, `directory` or `error`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordedFile {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contents: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub directory: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When the file was last modified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<Timestamp>,
    /// The beginning of a file read only in part (a binary file's text header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
}

impl RecordedFile {
    /// True when this entry says what reading the file gives (not only its date).
    pub fn has_answer(&self) -> bool {
        self.contents.is_some() || self.missing || self.directory || self.error.is_some()
    }

    /// True when this entry says what reading the file's beginning gives.
    /// (A whole-file error, such as "not text", says nothing about the head.)
    pub fn has_head(&self) -> bool {
        self.head.is_some() || self.missing || self.directory
    }
}

impl Snapshot {
    pub fn new(collected_at: Timestamp, os: OsInfo, host: HostInfo) -> Self {
        Snapshot {
            schema: SNAPSHOT_SCHEMA.to_string(),
            collected_at,
            note: None,
            os,
            host,
            boot_time: None,
            env: BTreeMap::new(),
            commands: Vec::new(),
            files: Vec::new(),
            processes: Vec::new(),
            dns: Vec::new(),
            http: Vec::new(),
            discovery: Vec::new(),
        }
    }

    /// Parses a snapshot, naming the file, line and column of anything wrong.
    pub fn parse(text: &str, file: &Path) -> Result<Snapshot, InputError> {
        #[derive(Deserialize)]
        struct SchemaOnly {
            schema: Option<serde_json::Value>,
        }
        let head: SchemaOnly = serde_json::from_str(text).map_err(|e| json_error(text, file, &e))?;
        let schema_ok = matches!(&head.schema, Some(serde_json::Value::String(s)) if s == SNAPSHOT_SCHEMA);
        if !schema_ok {
            let (line, column) = locate_key(text, "schema").unwrap_or((1, 1));
            let found = match head.schema {
                Some(v) => format!("schema {v}"),
                None => "no \"schema\" key".to_string(),
            };
            return Err(InputError::at(file, text, line, column, format!("not a confide snapshot: {found}"))
                .help(format!(
                    "a snapshot starts with \"schema\": \"{SNAPSHOT_SCHEMA}\"; make one with `confide collect --output FILE` (this version of confide reads only that format)"
                )));
        }
        serde_json::from_str(text).map_err(|e| json_error(text, file, &e))
    }

    /// Removes personal data: the computer's name, and the user's and every other person's
    /// account and full names wherever they occur ([`crate::redact`]).
    pub fn redact(&mut self) {
        crate::redact::Redactor::from_snapshot(self).snapshot(self);
    }
}

fn json_error(text: &str, file: &Path, e: &serde_json::Error) -> InputError {
    let message = strip_position(&e.to_string());
    InputError::at(
        file,
        text,
        e.line().max(1),
        e.column().max(1),
        format!("invalid snapshot: {message}"),
    )
    .help("fix the JSON at that place, or record the snapshot again with `confide collect --output FILE`")
}

/// serde_json appends " at line L column C"; we show the position ourselves.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Finds the line and column (1-based) of the value of the first `"key":` in a JSON text.
fn locate_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let needle = format!("\"{key}\"");
    let start = text.find(&needle)?;
    let after = &text[start + needle.len()..];
    let colon = after.find(':')?;
    let value_offset = start + needle.len() + colon + 1;
    let skipped = text[value_offset..].len() - text[value_offset..].trim_start().len();
    Some(crate::diag::line_column(text, value_offset + skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_schema_is_reported_at_its_value() {
        let text = "{\n  \"schema\": \"confide-snapshot/9\",\n  \"os\": {}\n}";
        let err = Snapshot::parse(text, Path::new("s.json")).unwrap_err();
        assert_eq!((err.line, err.column), (2, 13));
        assert!(err.message.contains("confide-snapshot/9"), "{}", err.message);
    }

    #[test]
    fn broken_json_is_reported_with_its_position() {
        let text = "{\n  \"schema\": \"confide-snapshot/1\",\n  \"os\": \n}";
        let err = Snapshot::parse(text, Path::new("s.json")).unwrap_err();
        assert_eq!(err.line, 4);
    }

    #[test]
    fn redaction_drops_hostname_and_user_everywhere() {
        let os = OsInfo {
            family: crate::system::OsFamily::Linux,
            name: "Debian".into(),
            version: "12".into(),
            arch: "x86_64".into(),
        };
        let host = HostInfo {
            hostname: Some("janes-laptop".into()),
            user: Some("jane".into()),
        };
        let mut s = Snapshot::new(Timestamp::UNIX_EPOCH, os, host);
        s.env.insert("HOME".into(), "/home/jane".into());
        s.processes.push(ProcessInfo {
            pid: 1,
            name: "x".into(),
            exe: Some("/home/jane/x".into()),
            user: Some("jane".into()),
        });
        s.redact();
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("jane"), "{json}");
    }
}
