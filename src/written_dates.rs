//! Dates as people write them in the profile or type them at a prompt. The profile's own form is
//! TOML's `2027-03-31` without quotes; the same date in quotes is understood too. A date written
//! the British way, `31/03/2027`, is not guessed at when a file is read (a scan must not depend
//! on a guess): the message gives the exact line to write instead, and `confide init` (or
//! `attest`), which the person runs on purpose, rewrites it and says what it read.

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;

/// The profile's keys that hold dates: the only values a rewrite may touch (a `note` that
/// mentions a date stays as written).
const DATE_KEYS: &str = "expires|recorded|confirmed|renewal";

/// Day, month and year as written in the UK, with slashes, dots or dashes.
static DAY_MONTH_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$").expect("a valid pattern"));

/// A profile line `key = 31/03/2027` (quoted or not, with or without a comment after it).
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"^(?P<lead>\s*(?P<key>{DATE_KEYS})\s*=\s*)"?(?P<date>\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}})"?(?P<rest>\s*(#.*)?)$"#
    ))
    .expect("a valid pattern")
});

/// `31/03/2027` read day first, as people in the UK write it; `None` when it is not that shape or
/// not a day in the calendar.
pub fn day_month_year(written: &str) -> Option<Date> {
    let c = DAY_MONTH_YEAR.captures(written.trim())?;
    let n = |i: usize| c[i].parse::<i16>().ok();
    Date::new(n(3)?, i8::try_from(n(2)?).ok()?, i8::try_from(n(1)?).ok()?).ok()
}

/// A date in words, so a person can see how `31/03/2027` was read: "31 March 2027".
pub fn in_words(date: Date) -> String {
    date.strftime("%-d %B %Y").to_string()
}

/// A date given as text: `2027-03-31` is the date; anything else is an error whose message
/// names the exact value to write (`key = 2027-03-31`) where the text can be read day first.
pub fn from_text(key: &str, written: &str) -> Result<Date, String> {
    let written = written.trim();
    if let Ok(date) = written.parse::<Date>() {
        return Ok(date);
    }
    Err(match day_month_year(written) {
        Some(date) => format!(
            "`{written}` is not a date confide reads: dates are year-month-day. If you mean {}, write `{key} = {date}`",
            in_words(date)
        ),
        None => format!("`{written}` is not a date: write it as year-month-day, for example `{key} = 2027-03-31`"),
    })
}

/// One date line rewritten by [`rewrite_day_month_year`].
#[derive(Debug, Clone, PartialEq)]
pub struct Rewritten {
    /// 1-based.
    pub line: usize,
    pub written: String,
    pub date: Date,
}

/// The profile's text with every `key = 31/03/2027` date line (quoted or not) rewritten as
/// `key = 2027-03-31`, and what was rewritten. Lines whose date is not a day in the calendar
/// read day first are left alone, so their own message still shows.
pub fn rewrite_day_month_year(text: &str) -> (String, Vec<Rewritten>) {
    let mut out = String::with_capacity(text.len());
    let mut changes = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let (body, ending) = match line.strip_suffix("\r\n") {
            Some(b) => (b, "\r\n"),
            None => line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n")),
        };
        let rewritten = DATE_LINE.captures(body).and_then(|c| {
            let date = day_month_year(&c["date"])?;
            changes.push(Rewritten {
                line: i + 1,
                written: c["date"].to_string(),
                date,
            });
            Some(format!("{}{date}{}", &c["lead"], &c["rest"]))
        });
        out.push_str(rewritten.as_deref().unwrap_or(body));
        out.push_str(ending);
    }
    (out, changes)
}

/// For a TOML syntax error on a line such as `expires = 31/03/2027`: the message and the exact
/// fix, or `None` when the line is not a date written day first.
pub fn unquoted_day_month_year(line: &str) -> Option<(String, String)> {
    let c = DATE_LINE.captures(line)?;
    let (key, written) = (&c["key"], &c["date"]);
    let date = day_month_year(written)?;
    Some((
        format!("`{written}` is not a date confide reads: dates are year-month-day, without quotes"),
        format!(
            "if you mean {}, change this line to `{key} = {date}`, or run `confide init`, which rewrites it for you",
            in_words(date)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn day_first_dates_are_read_the_uk_way_or_not_at_all() {
        assert_eq!(day_month_year("31/03/2027"), Some(date(2027, 3, 31)));
        assert_eq!(day_month_year("1.4.2027"), Some(date(2027, 4, 1)));
        assert_eq!(day_month_year("03/31/2027"), None, "month 31");
        assert_eq!(day_month_year("30/02/2027"), None);
        assert_eq!(day_month_year("2027-03-31"), None);
        assert_eq!(in_words(date(2027, 3, 31)), "31 March 2027");
    }

    #[test]
    fn text_dates_are_understood_or_get_the_exact_fix() {
        assert_eq!(from_text("expires", " 2027-03-31 "), Ok(date(2027, 3, 31)));
        let e = from_text("expires", "31/03/2027").unwrap_err();
        assert!(
            e.contains("`expires = 2027-03-31`") && e.contains("31 March 2027"),
            "{e}"
        );
        let e = from_text("renewal", "soon").unwrap_err();
        assert!(e.contains("`renewal = 2027-03-31`"), "{e}");
    }

    #[test]
    fn only_date_lines_are_rewritten_and_everything_else_is_kept() {
        let text = "[ico]\r\nexpires = 31/03/2027 # from the certificate\r\nname = \"31/03/2027\"\r\n[attestations.insurance]\nanswer = \"yes\"\nconfirmed = \"1/4/2026\"\nrenewal = 31/02/2027\n";
        let (out, changes) = rewrite_day_month_year(text);
        assert_eq!(
            out,
            "[ico]\r\nexpires = 2027-03-31 # from the certificate\r\nname = \"31/03/2027\"\r\n[attestations.insurance]\nanswer = \"yes\"\nconfirmed = 2026-04-01\nrenewal = 31/02/2027\n"
        );
        assert_eq!(
            changes.iter().map(|c| (c.line, c.written.as_str())).collect::<Vec<_>>(),
            [(2, "31/03/2027"), (6, "1/4/2026")]
        );
    }

    #[test]
    fn a_syntax_error_on_a_day_first_date_names_the_line_to_write() {
        let (message, help) = unquoted_day_month_year("  expires = 31/03/2027").unwrap();
        assert!(message.contains("`31/03/2027`"), "{message}");
        assert!(
            help.contains("`expires = 2027-03-31`") && help.contains("confide init"),
            "{help}"
        );
        assert_eq!(unquoted_day_month_year("number = 31/03/2027"), None);
    }
}
