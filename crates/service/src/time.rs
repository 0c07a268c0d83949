//! Times as the office means them: entered and shown in Europe/Berlin,
//! stored as UTC.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Berlin;

/// Parses "2026-03-05T14:30" (local time in Berlin; seconds optional) or a
/// full RFC 3339 instant. `None` for anything else, and for local times
/// that do not exist (the hour skipped when clocks go forward).
pub fn parse_instant(input: &str) -> Option<DateTime<Utc>> {
    let s = input.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc)).filter(|t| YEARS.contains(&t.year()));
    }
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .ok()?;
    if !YEARS.contains(&naive.year()) {
        return None;
    }
    // An ambiguous local time (clocks go back) means the earlier instant.
    Berlin
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// The years a date or an instant may fall in: what the office records
/// happens within them, and outside them a typo (0026 for 2026) or a year
/// no calendar format writes (before year 1 in UTC).
pub const YEARS: std::ops::RangeInclusive<i32> = 1800..=2199;

/// The value of a `datetime-local` input for an instant.
pub fn local_input(at: DateTime<Utc>) -> String {
    at.with_timezone(&Berlin)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Today in Berlin.
pub fn today() -> NaiveDate {
    day_of(Utc::now())
}

/// The Berlin day of an instant.
pub fn day_of(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Berlin).date_naive()
}

pub fn parse_date(input: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| YEARS.contains(&d.year()))
}

/// The start of a day in Berlin, as UTC.
pub fn start_of_day(d: NaiveDate) -> DateTime<Utc> {
    Berlin
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map_or_else(
            || d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_are_berlin_times() {
        // Winter: UTC+1; summer: UTC+2.
        assert_eq!(
            parse_instant("2026-01-15T10:00").unwrap().to_rfc3339(),
            "2026-01-15T09:00:00+00:00"
        );
        assert_eq!(
            parse_instant("2026-07-15T10:00").unwrap().to_rfc3339(),
            "2026-07-15T08:00:00+00:00"
        );
        assert_eq!(
            parse_instant("2026-07-15T10:00:00Z").unwrap().to_rfc3339(),
            "2026-07-15T10:00:00+00:00"
        );
        // 02:30 on the last Sunday of March does not exist in Berlin.
        assert_eq!(parse_instant("2026-03-29T02:30"), None);
        assert_eq!(parse_instant("gestern"), None);
        // Year 0 in Berlin is year -1 in UTC, which no RFC 3339 writes.
        assert_eq!(parse_instant("0000-01-01T00:06"), None);
        assert_eq!(parse_date("0026-03-01"), None);
        assert_eq!(
            local_input(parse_instant("2026-07-15T10:00").unwrap()),
            "2026-07-15T10:00"
        );
    }
}
