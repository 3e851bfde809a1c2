//! Plain-English wording shared by the checks, every renderer and `confide explain`, so that one
//! quantity is always said the same way ("7 days", "5 minutes", "a and b").

use std::time::Duration;

use jiff::SignedDuration;

/// Joins names for a sentence: `a`, `a and b`, `a, b and c`.
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A line from a command's output quoted in a report: control characters shown escaped, cut at
/// `max` characters with an ellipsis, so garbage or a 64 kB line stays one readable line.
pub fn excerpt(line: &str, max: usize) -> String {
    let shown: String = line.chars().take(max).collect();
    let more = if shown.len() < line.len() { "…" } else { "" };
    format!("{}{more}", shown.escape_debug())
}

/// `1 day`, `7 days`: a count with its unit, singular for one.
pub fn count(n: u64, unit: &str) -> String {
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// `1 day`, `7 days`.
pub fn days(n: u64) -> String {
    count(n, "day")
}

/// `1 minute`, `15 minutes`.
pub fn minutes(n: u64) -> String {
    count(n, "minute")
}

/// `5 minutes`, `1 minute`, `90 seconds`, `1 second`: whole minutes when the seconds divide.
pub fn seconds_as_duration(seconds: u64) -> String {
    if seconds.is_multiple_of(60) && seconds > 0 {
        minutes(seconds / 60)
    } else {
        count(seconds, "second")
    }
}

/// How old something is, in days: `less than a day old`, `1 day old`, `12 days old`.
pub fn age(days: i64) -> String {
    match days {
        0 => "less than a day old".into(),
        1 => "1 day old".into(),
        n => format!("{n} days old"),
    }
}

/// A long stretch of time, to the minute: `3 days 4 hours`, `5 hours 2 minutes`, `12 minutes`.
pub fn elapsed(d: SignedDuration) -> String {
    let total_minutes = d.as_secs().unsigned_abs() / 60;
    let (d, h, m) = (total_minutes / 1440, total_minutes / 60 % 24, total_minutes % 60);
    match (d, h) {
        (0, 0) => count(m, "minute"),
        (0, h) => format!("{} {}", count(h, "hour"), count(m, "minute")),
        (d, h) => format!("{} {}", count(d, "day"), count(h, "hour")),
    }
}

/// A short duration for people: `5 s`, `1.5 s`.
pub fn human_seconds(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if (secs - secs.round()).abs() < 0.05 {
        format!("{} s", secs.round() as u64)
    } else {
        format!("{secs:.1} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_join_as_in_a_sentence() {
        let n = |v: &[&str]| join_names(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(n(&[]), "");
        assert_eq!(n(&["Siri"]), "Siri");
        assert_eq!(n(&["Siri", "Alexa"]), "Siri and Alexa");
        assert_eq!(n(&["a", "b", "c"]), "a, b and c");
    }

    #[test]
    fn quantities_are_singular_for_one() {
        assert_eq!(days(1), "1 day");
        assert_eq!(days(7), "7 days");
        assert_eq!(minutes(1), "1 minute");
        assert_eq!(seconds_as_duration(300), "5 minutes");
        assert_eq!(seconds_as_duration(90), "90 seconds");
        assert_eq!(seconds_as_duration(1), "1 second");
        assert_eq!(seconds_as_duration(0), "0 seconds");
        assert_eq!(age(0), "less than a day old");
        assert_eq!(age(12), "12 days old");
    }

    #[test]
    fn elapsed_time_reads_to_the_minute() {
        let s = |secs: i64| elapsed(SignedDuration::from_secs(secs));
        assert_eq!(s(12 * 60), "12 minutes");
        assert_eq!(s(5 * 3600 + 120), "5 hours 2 minutes");
        assert_eq!(s(7 * 86_400), "7 days 0 hours");
        assert_eq!(human_seconds(Duration::from_secs(5)), "5 s");
        assert_eq!(human_seconds(Duration::from_millis(1500)), "1.5 s");
    }
}
