//! Windows PowerShell, run without a profile, and the JSON that `ConvertTo-Json` prints.

use serde_json::Value;

use crate::system::{CommandOutput, System};

/// Runs one PowerShell command line (no profile, never interactive).
pub fn run(system: &dyn System, command: &str) -> CommandOutput {
    system.run("powershell", &["-NoProfile", "-NonInteractive", "-Command", command])
}

/// The objects `ConvertTo-Json` printed. It writes a single object bare and several as a list,
/// and output redirected to a file by Windows PowerShell 5.1 may start with a byte-order mark:
///
/// ```text
/// {
///     "Name":  "Administrator",
///     "Enabled":  true
/// }
/// ```
///
/// or `[ { … }, { … } ]`. Empty output is `Ok` with no objects: the command found nothing.
pub fn objects(stdout: &str) -> Result<Vec<Value>, String> {
    let text = stdout.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    match serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))? {
        Value::Array(items) => Ok(items),
        object @ Value::Object(_) => Ok(vec![object]),
        _ => Err("neither an object nor a list of objects".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_object_or_a_list_with_or_without_a_byte_order_mark() {
        let one = "\u{feff}{\n    \"Name\":  \"Domain\",\n    \"Enabled\":  1\n}\r\n";
        assert_eq!(objects(one).unwrap().len(), 1);
        let two = "[{\"Name\":\"Domain\"},{\"Name\":\"Public\"}]";
        assert_eq!(objects(two).unwrap()[1]["Name"], "Public");
        assert_eq!(objects("  \r\n").unwrap(), Vec::<Value>::new());
        assert!(objects("42").is_err());
        assert!(objects("Get-MpComputerStatus : not recognised").is_err());
    }
}
