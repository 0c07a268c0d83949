//! The languages msohub speaks.
//!
//! The staff UI speaks German first and English second. The public directory
//! speaks more; each language knows its ISO 639-1 code and writing direction.
//! Parsing is strict: an unknown code is an error, never a silent fallback, so
//! a URL like `/xx/` is a 404 rather than a German page.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    De,
    En,
    Tr,
    Ar,
    Ru,
    Uk,
}

/// Writing direction of a language, as HTML's `dir` attribute wants it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

impl Language {
    /// Every language the UI offers, in the order the language switcher lists them.
    /// The public directory speaks all of them; the staff area only the
    /// first two (see [`Language::STAFF`]).
    pub const ALL: &'static [Language] = &[
        Language::De,
        Language::En,
        Language::Tr,
        Language::Ar,
        Language::Ru,
        Language::Uk,
    ];

    /// The languages of the staff area: German first, English second. The
    /// office works in German; translating several hundred administrative
    /// strings into four more languages would be a burden for each release
    /// with little use, while the public directory is where residents need
    /// their language.
    pub const STAFF: &'static [Language] = &[Language::De, Language::En];

    /// The language used when nothing else is known.
    pub const DEFAULT: Language = Language::De;

    /// ISO 639-1 code, as used in URLs and `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
            Language::Tr => "tr",
            Language::Ar => "ar",
            Language::Ru => "ru",
            Language::Uk => "uk",
        }
    }

    /// The language's own name for itself (what a language switcher shows).
    pub fn native_name(self) -> &'static str {
        match self {
            Language::De => "Deutsch",
            Language::En => "English",
            Language::Tr => "Türkçe",
            Language::Ar => "العربية",
            Language::Ru => "Русский",
            Language::Uk => "Українська",
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            Language::Ar => Direction::Rtl,
            _ => Direction::Ltr,
        }
    }

    /// The language the staff area uses for a visitor who reads `self`:
    /// itself where the staff area speaks it, German otherwise.
    pub fn staff(self) -> Language {
        if Language::STAFF.contains(&self) {
            self
        } else {
            Language::DEFAULT
        }
    }

    /// Picks the best supported language from an HTTP `Accept-Language`
    /// header, honouring q-values; falls back to [`Language::DEFAULT`].
    pub fn negotiate(accept_language: &str) -> Language {
        Language::negotiate_among(accept_language, Language::ALL)
    }

    /// [`Language::negotiate`] among `offered` only (e.g. the staff
    /// languages: `ar, en;q=0.9` gives English there, not German).
    pub fn negotiate_among(accept_language: &str, offered: &[Language]) -> Language {
        let mut best: Option<(Language, f32)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Ok(lang) = primary.parse::<Language>()
                && offered.contains(&lang)
                && q > 0.0
                && best.is_none_or(|(_, bq)| q > bq)
            {
                best = Some((lang, q));
            }
        }
        best.map_or(Language::DEFAULT, |(l, _)| l)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::ALL
            .iter()
            .copied()
            .find(|l| l.code().eq_ignore_ascii_case(s))
            .ok_or(crate::Error::new("language", "language-unknown"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_codes_and_rejects_others() {
        assert_eq!("de".parse::<Language>().unwrap(), Language::De);
        assert_eq!("EN".parse::<Language>().unwrap(), Language::En);
        assert!("xx".parse::<Language>().is_err());
        assert!("".parse::<Language>().is_err());
        assert!("deu".parse::<Language>().is_err());
    }

    #[test]
    fn negotiation_honours_quality_values() {
        assert_eq!(Language::negotiate("en-GB,en;q=0.9,de;q=0.8"), Language::En);
        assert_eq!(Language::negotiate("fr,de;q=0.5,en;q=0.4"), Language::De);
        assert_eq!(Language::negotiate("de;q=0.2,en;q=0.7"), Language::En);
        assert_eq!(Language::negotiate("fr"), Language::De);
        assert_eq!(Language::negotiate(""), Language::De);
        assert_eq!(Language::negotiate("en;q=0"), Language::De);
        assert_eq!(Language::negotiate(";;;,,q=x"), Language::De);
    }

    #[test]
    fn arabic_is_right_to_left_and_the_staff_area_falls_back_to_german() {
        assert_eq!(Language::Ar.direction(), Direction::Rtl);
        assert_eq!(Language::Uk.direction(), Direction::Ltr);
        assert_eq!(Language::Tr.staff(), Language::De);
        assert_eq!(Language::En.staff(), Language::En);
        assert_eq!(Language::negotiate("ar-SY,ar;q=0.9,de;q=0.5"), Language::Ar);
        assert_eq!(
            Language::negotiate_among("ar, en;q=0.9", Language::STAFF),
            Language::En
        );
    }

    #[test]
    fn every_language_round_trips_through_its_code() {
        for lang in Language::ALL {
            assert_eq!(lang.code().parse::<Language>().unwrap(), *lang);
        }
    }
}
