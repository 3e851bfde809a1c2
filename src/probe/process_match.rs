//! Recognising programs in a process list by name.

use crate::system::ProcessInfo;

/// True when the process is `pattern`: compared case-insensitively with its name and with the
/// file name of its executable, ignoring a trailing `.exe` (Windows lists `Cortana.exe`). A
/// pattern ending in `*` matches by prefix (`mycroft-*`).
pub fn matches(process: &ProcessInfo, pattern: &str) -> bool {
    let pattern = normalise(pattern);
    let exe_name = process.exe.as_deref().map(file_name);
    std::iter::once(process.name.as_str()).chain(exe_name).any(|candidate| {
        let candidate = normalise(candidate);
        match pattern.strip_suffix('*') {
            Some(prefix) => candidate.starts_with(prefix),
            None => candidate == pattern,
        }
    })
}

/// The processes that match any of `patterns`, one per distinct name.
pub fn find<'a>(processes: &'a [ProcessInfo], patterns: &[&str]) -> Vec<&'a ProcessInfo> {
    let mut found: Vec<&ProcessInfo> = Vec::new();
    for p in processes {
        if patterns.iter().any(|pat| matches(p, pat)) && !found.iter().any(|f| f.name == p.name) {
            found.push(p);
        }
    }
    found
}

/// An evidence line for a running process.
pub fn describe(p: &ProcessInfo) -> String {
    match &p.exe {
        Some(exe) => format!("process `{}` is running (pid {}, {exe})", p.name, p.pid),
        None => format!("process `{}` is running (pid {})", p.name, p.pid),
    }
}

fn normalise(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    lower.strip_suffix(".exe").map(str::to_string).unwrap_or(lower)
}

/// The last component of a path written with `/` or `\`.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, exe: Option<&str>) -> ProcessInfo {
        ProcessInfo {
            pid: 7,
            name: name.into(),
            exe: exe.map(Into::into),
            user: None,
        }
    }

    #[test]
    fn names_match_without_case_or_exe_suffix() {
        assert!(matches(&p("Cortana.exe", None), "cortana"));
        assert!(matches(
            &p("python3", Some("C:\\Program Files\\Amazon\\Alexa.exe")),
            "Alexa.exe"
        ));
        assert!(matches(&p("mycroft-voice", Some("/tmp/x/mycroft-voice")), "mycroft-*"));
        assert!(!matches(&p("mycroftish", None), "mycroft-*"));
        assert!(!matches(&p("siri-helper", None), "Siri"));
    }

    #[test]
    fn each_name_is_listed_once() {
        let list = vec![p("ovos-audio", None), p("ovos-audio", None), p("bash", None)];
        assert_eq!(find(&list, &["ovos-*"]).len(), 1);
    }
}
