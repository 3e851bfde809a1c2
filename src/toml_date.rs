//! TOML's native dates (`2027-03-31`, unquoted) as jiff civil dates.

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, de::Error};
use toml::value::Datetime;

/// A TOML date (no time) as a civil date, rejecting impossible ones such as 2026-02-30.
pub fn to_date(d: &Datetime) -> Result<Date, String> {
    match (d.date, d.time, d.offset) {
        (Some(day), None, None) => Date::new(day.year as i16, day.month as i8, day.day as i8)
            .map_err(|_| format!("{d} is not a date in the calendar")),
        _ => Err(format!("{d} is not a plain date")),
    }
}

/// For `#[serde(deserialize_with = "crate::toml_date::date")]`.
pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    to_date(&Datetime::deserialize(d)?).map_err(D::Error::custom)
}

/// For `#[serde(default, deserialize_with = "crate::toml_date::optional")]`.
pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    Option::<Datetime>::deserialize(d)?
        .map(|dt| to_date(&dt).map_err(D::Error::custom))
        .transpose()
}
