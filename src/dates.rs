//! Dates in one place: the practitioner's "today", whole days between two moments, and TOML's
//! native dates as civil dates. Every verdict that involves a date is judged as of the scan's
//! clock ([`crate::system::System::now`]), so a replayed snapshot gives the same answer years on.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Deserializer, de::Error};
use toml::value::Datetime;

use crate::system::System;

/// Today's date where the practitioner is (the clock is the System's, so replays are exact).
pub fn today(system: &dyn System) -> Date {
    system.now().to_zoned(TimeZone::system()).date()
}

/// Whole calendar days from `from` to `to` (negative when `to` comes first).
pub fn days_between(from: Date, to: Date) -> i64 {
    i64::from((to - from).get_days())
}

/// Whole days from `then` to `now`. A date more than a day ahead of the clock is not an age:
/// the computer's clock or the date read is wrong, and the message says so.
pub fn age_in_days(now: Timestamp, then: Timestamp) -> Result<i64, String> {
    let seconds = now.as_second() - then.as_second();
    if seconds < -86_400 {
        return Err(format!(
            "dated {}, after this computer's clock ({}): check the date and time",
            then.strftime("%Y-%m-%d %H:%M UTC"),
            now.strftime("%Y-%m-%d %H:%M UTC")
        ));
    }
    Ok(seconds.max(0).div_euclid(86_400))
}

/// A TOML date (no time) as a civil date, rejecting impossible ones such as 2026-02-30.
pub fn toml_to_date(d: &Datetime) -> Result<Date, String> {
    match (d.date, d.time, d.offset) {
        (Some(day), None, None) => Date::new(day.year as i16, day.month as i8, day.day as i8)
            .map_err(|_| format!("{d} is not a date in the calendar")),
        _ => Err(format!("{d} is not a plain date")),
    }
}

/// For `#[serde(deserialize_with = "crate::dates::toml_date")]`.
pub fn toml_date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    toml_to_date(&Datetime::deserialize(d)?).map_err(D::Error::custom)
}

/// For `#[serde(default, deserialize_with = "crate::dates::optional_toml_date")]`.
pub fn optional_toml_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    Option::<Datetime>::deserialize(d)?
        .map(|dt| toml_to_date(&dt).map_err(D::Error::custom))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn ages_are_whole_days_and_a_future_date_is_not_an_age() {
        let now = at("2026-11-22T12:00:00Z");
        assert_eq!(age_in_days(now, at("2026-11-22T04:00:00Z")), Ok(0));
        assert_eq!(age_in_days(now, at("2026-11-20T11:00:00Z")), Ok(2));
        assert_eq!(age_in_days(now, at("2026-11-22T18:00:00Z")), Ok(0));
        assert!(age_in_days(now, at("2026-12-01T00:00:00Z")).is_err());
    }

    #[test]
    fn days_between_counts_calendar_days_both_ways() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(days_between(d("2026-11-01"), d("2026-11-26")), 25);
        assert_eq!(days_between(d("2027-03-31"), d("2026-11-26")), -125);
        assert_eq!(days_between(d("2026-02-28"), d("2026-03-01")), 1);
    }

    #[test]
    fn impossible_and_timed_toml_dates_are_refused() {
        let parse = |s: &str| toml_to_date(&s.parse::<Datetime>().unwrap());
        assert_eq!(parse("2027-03-31"), Ok(Date::constant(2027, 3, 31)));
        assert!(parse("2026-11-26T10:00:00").is_err());
    }
}
