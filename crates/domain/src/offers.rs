//! Offers (Angebote) of the organisations and of the office, aligned with
//! the HSDS `service` and `schedule`: their closed vocabularies and the
//! rules of their fields (languages, times of day, ages, recurrence).

use crate::Error;
use serde::{Deserialize, Serialize};

code_enum!(
    /// What taking part costs.
    CostKind, "cost_kind" {
        Free = "free",
        Amount = "amount",
        OnRequest = "on_request",
    }
);

code_enum!(
    /// Where an offer takes place: at the organisation's own address,
    /// elsewhere, or online.
    LocationKind, "location_kind" {
        Organisation = "organisation",
        Other = "other",
        Online = "online",
    }
);

code_enum!(
    /// Whether an offer runs.
    OfferStatus, "status" {
        Active = "active",
        Paused = "paused",
        Ended = "ended",
    }
);

/// The languages an offer can be held in: ISO 639-1 code, German and
/// English name. The languages of the city's communities, not all of ISO.
pub const OFFER_LANGUAGES: &[(&str, &str, &str)] = &[
    ("de", "Deutsch", "German"),
    ("en", "Englisch", "English"),
    ("tr", "Türkisch", "Turkish"),
    ("ar", "Arabisch", "Arabic"),
    ("ru", "Russisch", "Russian"),
    ("uk", "Ukrainisch", "Ukrainian"),
    ("fa", "Persisch (Farsi/Dari)", "Persian (Farsi/Dari)"),
    ("ku", "Kurdisch", "Kurdish"),
    ("pl", "Polnisch", "Polish"),
    ("ro", "Rumänisch", "Romanian"),
    ("bg", "Bulgarisch", "Bulgarian"),
    ("it", "Italienisch", "Italian"),
    ("el", "Griechisch", "Greek"),
    ("es", "Spanisch", "Spanish"),
    ("pt", "Portugiesisch", "Portuguese"),
    ("fr", "Französisch", "French"),
    ("sq", "Albanisch", "Albanian"),
    ("sr", "Serbisch", "Serbian"),
    ("hr", "Kroatisch", "Croatian"),
    ("bs", "Bosnisch", "Bosnian"),
    ("ti", "Tigrinya", "Tigrinya"),
    ("am", "Amharisch", "Amharic"),
    ("so", "Somali", "Somali"),
    ("ps", "Paschtu", "Pashto"),
    ("ur", "Urdu", "Urdu"),
    ("hi", "Hindi", "Hindi"),
    ("ta", "Tamil", "Tamil"),
    ("vi", "Vietnamesisch", "Vietnamese"),
    ("zh", "Chinesisch", "Chinese"),
    ("hy", "Armenisch", "Armenian"),
    ("ka", "Georgisch", "Georgian"),
    ("kk", "Kasachisch", "Kazakh"),
];

/// A language's name in itself (what a speaker looks for), for the codes
/// of [`OFFER_LANGUAGES`]; the code itself for others.
/// A language's name in German or English ("Arabisch" / "Arabic"); `None`
/// for a code outside [`OFFER_LANGUAGES`].
pub fn language_name(code: &str, english: bool) -> Option<&'static str> {
    OFFER_LANGUAGES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, de, en)| if english { *en } else { *de })
}

pub fn endonym(code: &str) -> &str {
    match code {
        "de" => "Deutsch",
        "en" => "English",
        "tr" => "Türkçe",
        "ar" => "العربية",
        "ru" => "Русский",
        "uk" => "Українська",
        "fa" => "فارسی",
        "ku" => "Kurdî",
        "pl" => "Polski",
        "ro" => "Română",
        "bg" => "Български",
        "it" => "Italiano",
        "el" => "Ελληνικά",
        "es" => "Español",
        "pt" => "Português",
        "fr" => "Français",
        "sq" => "Shqip",
        "sr" => "Српски",
        "hr" => "Hrvatski",
        "bs" => "Bosanski",
        "ti" => "ትግርኛ",
        "am" => "አማርኛ",
        "so" => "Soomaali",
        "ps" => "پښتو",
        "ur" => "اردو",
        "hi" => "हिन्दी",
        "ta" => "தமிழ்",
        "vi" => "Tiếng Việt",
        "zh" => "中文",
        "hy" => "Հայերեն",
        "ka" => "ქართული",
        "kk" => "Қазақ тілі",
        other => other,
    }
}

/// Whether a language is written right to left (for `dir` attributes).
pub fn is_rtl(code: &str) -> bool {
    matches!(code, "ar" | "fa" | "ps" | "ur" | "he" | "yi")
}

/// The languages an offer's title and description are translated into
/// (besides the German original).
pub const TRANSLATION_LANGUAGES: &[&str] = &["en", "tr", "ar", "ru", "uk"];

/// Whether `code` is one of [`OFFER_LANGUAGES`].
pub fn is_offer_language(code: &str) -> bool {
    OFFER_LANGUAGES.iter().any(|(c, _, _)| *c == code)
}

/// Offer languages, lower case, in the order given, no duplicates; an
/// unknown code is `language-unknown`.
pub fn parse_offer_languages(input: &[String]) -> Result<Vec<String>, Error> {
    let mut out: Vec<String> = Vec::new();
    for raw in input {
        let code = raw.trim().to_lowercase();
        if code.is_empty() {
            continue;
        }
        if !is_offer_language(&code) {
            return Err(Error::new("languages", "language-unknown"));
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

/// A time of day as `HH:MM` (24 hours); empty means none.
pub fn parse_time_of_day(field: &'static str, input: &str) -> Result<Option<String>, Error> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || Error::new(field, "time-invalid");
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    let all_digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    if !all_digits(h) || m.len() != 2 || !all_digits(m) || h.len() > 2 {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(Some(format!("{h:02}:{m:02}")))
}

/// An age in years, 0 to 120; empty means none.
pub fn parse_age(field: &'static str, input: &str) -> Result<Option<i32>, Error> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i32>() {
        Ok(n) if (0..=120).contains(&n) => Ok(Some(n)),
        _ => Err(Error::new(field, "age-invalid")),
    }
}

const WEEKDAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

fn is_ascii_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit())
}

/// A signed ordinal like `1`, `-1`, `+2`: its value.
fn signed(s: &str) -> Option<i32> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if !is_ascii_number(digits) {
        return None;
    }
    let n: i32 = digits.parse().ok()?;
    Some(if neg { -n } else { n })
}

fn valid_until(s: &str) -> bool {
    let date_ok = |d: &str| {
        if d.len() != 8 || !d.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
        let (y, m, day): (i32, u32, u32) = (
            d[0..4].parse().unwrap_or(0),
            d[4..6].parse().unwrap_or(0),
            d[6..8].parse().unwrap_or(0),
        );
        let days_in_month = match m {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            2 => 28,
            _ => 0,
        };
        y >= 1900 && (1..=days_in_month).contains(&day)
    };
    match s.split_once('T') {
        None => date_ok(s),
        Some((d, t)) => {
            let Some(t) = t.strip_suffix('Z') else {
                return false;
            };
            date_ok(d)
                && t.len() == 6
                && t.chars().all(|c| c.is_ascii_digit())
                && t[0..2].parse::<u32>().is_ok_and(|h| h < 24)
                && t[2..4].parse::<u32>().is_ok_and(|m| m < 60)
                && t[4..6].parse::<u32>().is_ok_and(|s| s < 61)
        }
    }
}

/// A weekly or monthly recurrence as an iCalendar `RRULE` (RFC 5545),
/// the subset an offer needs: `FREQ=WEEKLY|MONTHLY` (required),
/// `INTERVAL` (1 to 52), `BYDAY` (`MO`…`SU`; in a monthly rule also with an
/// ordinal like `1MO` or `-1FR`), `BYMONTHDAY` (monthly, ±1 to ±31),
/// `COUNT` or `UNTIL` (`YYYYMMDD` or `YYYYMMDDTHHMMSSZ`). Empty means none;
/// a leading `RRULE:` is dropped; the result is upper case. Anything else is
/// `rrule-invalid`.
pub fn parse_rrule(input: &str) -> Result<Option<String>, Error> {
    let s: String = input.trim().to_uppercase();
    let s = s.strip_prefix("RRULE:").unwrap_or(&s).trim().to_owned();
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || Error::new("schedule_rrule", "rrule-invalid");
    if s.len() > 500 {
        return Err(bad());
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut freq: Option<&str> = None;
    let mut byday: Option<&str> = None;
    let mut bymonthday = false;
    let mut count = false;
    let mut until = false;
    for part in s.trim_end_matches(';').split(';') {
        let (key, value) = part.split_once('=').ok_or_else(bad)?;
        if value.is_empty() || seen.contains(&key) {
            return Err(bad());
        }
        seen.push(key);
        match key {
            "FREQ" => match value {
                "WEEKLY" | "MONTHLY" => freq = Some(value),
                _ => return Err(bad()),
            },
            "INTERVAL" => {
                if !is_ascii_number(value) || !(1..=52).contains(&value.parse::<u32>().unwrap_or(0))
                {
                    return Err(bad());
                }
            }
            "BYDAY" => byday = Some(value),
            "BYMONTHDAY" => {
                for d in value.split(',') {
                    match signed(d) {
                        Some(n) if n != 0 && (-31..=31).contains(&n) => {}
                        _ => return Err(bad()),
                    }
                }
                bymonthday = true;
            }
            "COUNT" => {
                if !is_ascii_number(value) || value.parse::<u32>().unwrap_or(0) == 0 {
                    return Err(bad());
                }
                count = true;
            }
            "UNTIL" => {
                if !valid_until(value) {
                    return Err(bad());
                }
                until = true;
            }
            _ => return Err(bad()),
        }
    }
    let freq = freq.ok_or_else(bad)?;
    if count && until {
        return Err(bad());
    }
    if bymonthday && freq != "MONTHLY" {
        return Err(bad());
    }
    if let Some(days) = byday {
        for d in days.split(',') {
            if d.len() < 2 || !d.is_char_boundary(d.len() - 2) {
                return Err(bad());
            }
            let (ordinal, day) = d.split_at(d.len() - 2);
            if !WEEKDAYS.contains(&day) {
                return Err(bad());
            }
            if !ordinal.is_empty() {
                match signed(ordinal) {
                    Some(n) if freq == "MONTHLY" && n != 0 && (-5..=5).contains(&n) => {}
                    _ => return Err(bad()),
                }
            }
        }
    }
    Ok(Some(s.trim_end_matches(';').to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_offer_language_has_its_own_name() {
        for (code, _, _) in OFFER_LANGUAGES {
            assert_ne!(endonym(code), *code, "{code}");
        }
        assert!(is_rtl("ar") && !is_rtl("tr"));
    }

    #[test]
    fn weekly_and_monthly_rules_are_accepted_and_normalised() {
        for (input, stored) in [
            ("FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"),
            ("rrule:freq=weekly;byday=mo,we", "FREQ=WEEKLY;BYDAY=MO,WE"),
            (
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=10",
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=10",
            ),
            ("FREQ=MONTHLY;BYDAY=1MO", "FREQ=MONTHLY;BYDAY=1MO"),
            ("FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYDAY=-1FR"),
            (
                "FREQ=MONTHLY;BYMONTHDAY=15,-1",
                "FREQ=MONTHLY;BYMONTHDAY=15,-1",
            ),
            (
                "FREQ=WEEKLY;BYDAY=TH;UNTIL=20261231",
                "FREQ=WEEKLY;BYDAY=TH;UNTIL=20261231",
            ),
            (
                "FREQ=WEEKLY;UNTIL=20260731T220000Z;",
                "FREQ=WEEKLY;UNTIL=20260731T220000Z",
            ),
            ("FREQ=WEEKLY", "FREQ=WEEKLY"),
        ] {
            assert_eq!(parse_rrule(input), Ok(Some(stored.to_owned())), "{input}");
        }
        assert_eq!(parse_rrule("  "), Ok(None));
    }

    #[test]
    fn everything_else_is_rrule_invalid() {
        for input in [
            "FREQ=YEARLY",
            "FREQ=DAILY",
            "FREQ=WEEKLY;BYDAY=XX",
            "FREQ=WEEKLY;BYDAY=1MO",
            "FREQ=MONTHLY;BYDAY=0MO",
            "FREQ=MONTHLY;BYDAY=6MO",
            "FREQ=MONTHLY;BYDAY=MO,",
            "FREQ=WEEKLY;BYMONTHDAY=3",
            "FREQ=MONTHLY;BYMONTHDAY=32",
            "FREQ=MONTHLY;BYMONTHDAY=0",
            "FREQ=WEEKLY;INTERVAL=0",
            "FREQ=WEEKLY;INTERVAL=53",
            "FREQ=WEEKLY;INTERVAL=x",
            "FREQ=WEEKLY;COUNT=0",
            "FREQ=WEEKLY;COUNT=3;UNTIL=20261231",
            "FREQ=WEEKLY;UNTIL=20261331",
            "FREQ=WEEKLY;UNTIL=20260230",
            "FREQ=WEEKLY;UNTIL=20261231T250000Z",
            "FREQ=WEEKLY;UNTIL=20261231T100000",
            "FREQ=WEEKLY;BYHOUR=10",
            "FREQ=WEEKLY;FREQ=MONTHLY",
            "BYDAY=MO",
            "FREQ=",
            "jeden Dienstag",
            "FREQ=WEEKLY;BYDAY=TÜ",
            ";;;",
        ] {
            assert_eq!(
                parse_rrule(input),
                Err(Error::new("schedule_rrule", "rrule-invalid")),
                "{input}"
            );
        }
    }

    #[test]
    fn times_ages_and_languages() {
        assert_eq!(
            parse_time_of_day("starts_time", "9:05"),
            Ok(Some("09:05".into()))
        );
        assert_eq!(parse_time_of_day("starts_time", ""), Ok(None));
        for bad in ["24:00", "12:60", "12", "12:5", "ab:cd", "-1:00"] {
            assert!(parse_time_of_day("starts_time", bad).is_err(), "{bad}");
        }
        assert_eq!(parse_age("age_min", "6"), Ok(Some(6)));
        assert_eq!(parse_age("age_min", " "), Ok(None));
        assert!(parse_age("age_min", "121").is_err());
        assert!(parse_age("age_min", "-1").is_err());
        assert_eq!(
            parse_offer_languages(&["TR".into(), "de".into(), "tr".into()]),
            Ok(vec!["tr".into(), "de".into()])
        );
        assert_eq!(
            parse_offer_languages(&["xx".into()]),
            Err(Error::new("languages", "language-unknown"))
        );
        assert_eq!(CostKind::parse("amount"), Ok(CostKind::Amount));
        assert!(LocationKind::parse("moon").is_err());
    }
}
