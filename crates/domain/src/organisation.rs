//! Organisations of the registry (aligned with the HSDS `organization`):
//! their kinds and legal forms, and the rules their fields follow.
//!
//! Each `parse_*` function turns raw input into a valid value or a
//! field-named [`Error`]; the service collects them, so a form shows every
//! problem at once.

use crate::Error;
use serde::{Deserialize, Serialize};

code_enum!(
    /// What kind of organisation this is.
    OrganisationKind, "kind" {
        Mso = "mso",
        Welfare = "welfare",
        PublicBody = "public_body",
        Research = "research",
        FaithCommunity = "faith_community",
        Other = "other",
    }
);

code_enum!(
    /// The legal form.
    LegalStatus, "legal_status" {
        RegisteredAssociation = "ev",
        NonProfitCompany = "ggmbh",
        Foundation = "foundation",
        Cooperative = "cooperative",
        PublicLaw = "public_law",
        Initiative = "initiative",
        Other = "other",
    }
);

/// ISO 639-1 codes, the languages an organisation works in.
/// Every ISO 639-1 code a language field takes.
pub fn language_codes() -> impl Iterator<Item = &'static str> {
    ISO_639_1.split(' ')
}

const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// A required single-line text of at most `max` characters.
pub fn parse_name(field: &'static str, input: &str, max: usize) -> Result<String, Error> {
    let s = collapse(input);
    if s.is_empty() {
        return Err(Error::new(field, "required"));
    }
    if s.chars().count() > max {
        return Err(Error::new(field, "too-long"));
    }
    Ok(s)
}

/// An optional single-line text: empty means none.
pub fn parse_optional(
    field: &'static str,
    input: &str,
    max: usize,
) -> Result<Option<String>, Error> {
    let s = collapse(input);
    if s.is_empty() {
        Ok(None)
    } else if s.chars().count() > max {
        Err(Error::new(field, "too-long"))
    } else {
        Ok(Some(s))
    }
}

/// Collapses runs of whitespace (and removes control characters), so
/// "Kultur  verein\t" and "Kultur verein" are the same name.
/// Whether a text shows nothing: only spaces and control characters (what
/// [`collapse`] drops). Required texts refuse it everywhere, as the API
/// document states.
pub fn is_blank(input: &str) -> bool {
    input.chars().all(|c| c.is_whitespace() || c.is_control())
}

pub fn collapse(input: &str) -> String {
    input
        .split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A list from comma- or line-separated input, each entry checked.
pub fn parse_list(
    field: &'static str,
    input: &str,
    max_items: usize,
    max_len: usize,
) -> Result<Vec<String>, Error> {
    let mut out: Vec<String> = Vec::new();
    for item in input
        .split([',', '\n', ';'])
        .map(collapse)
        .filter(|s| !s.is_empty())
    {
        if item.chars().count() > max_len {
            return Err(Error::new(field, "too-long"));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&item)) {
            out.push(item);
        }
    }
    if out.len() > max_items {
        return Err(Error::new(field, "too-many"));
    }
    Ok(out)
}

/// ISO 639-1 language codes, lower case, no duplicates.
pub fn parse_languages(input: &str) -> Result<Vec<String>, Error> {
    let list = parse_list("languages", &input.to_lowercase(), 40, 3)?;
    for code in &list {
        if code.len() != 2 || !ISO_639_1.split(' ').any(|c| c == code) {
            return Err(Error::new("languages", "language-code-unknown"));
        }
    }
    Ok(list)
}

pub fn parse_founding_year(input: &str, current_year: i32) -> Result<Option<i32>, Error> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let year: i32 = s
        .parse()
        .map_err(|_| Error::new("founding_year", "year-invalid"))?;
    if year > current_year {
        return Err(Error::new("founding_year", "year-in-future"));
    }
    if year < 1800 {
        return Err(Error::new("founding_year", "year-invalid"));
    }
    Ok(Some(year))
}

pub fn parse_member_count(input: &str) -> Result<Option<i32>, Error> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i32>() {
        Ok(n) if (0..=10_000_000).contains(&n) => Ok(Some(n)),
        _ => Err(Error::new("member_count", "number-invalid")),
    }
}

/// A register number as German register courts write it: the register
/// ("VR" for associations, "HRB"/"HRA" for companies, "GnR", "PR") and digits,
/// e.g. "VR 1234" or "HRB 56789 B". Stored normalised ("VR 1234").
pub fn parse_register_number(input: &str) -> Result<Option<String>, Error> {
    let s = collapse(input).to_uppercase();
    if s.is_empty() {
        return Ok(None);
    }
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let prefix: String = compact
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let rest = &compact[prefix.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let suffix = &rest[digits.len()..];
    let known = matches!(prefix.as_str(), "VR" | "HRA" | "HRB" | "GNR" | "PR");
    if !known
        || digits.is_empty()
        || digits.len() > 8
        || suffix.len() > 2
        || !suffix.chars().all(|c| c.is_ascii_alphabetic())
    {
        return Err(Error::new("register_number", "register-number-invalid"));
    }
    let prefix = if prefix == "GNR" {
        "GnR".to_owned()
    } else {
        prefix
    };
    Ok(Some(if suffix.is_empty() {
        format!("{prefix} {digits}")
    } else {
        format!("{prefix} {digits} {suffix}")
    }))
}

/// A German postcode: five digits, kept as text (01067 stays 01067).
pub fn parse_postcode(input: &str) -> Result<Option<String>, Error> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() == 5 && s.chars().all(|c| c.is_ascii_digit()) {
        Ok(Some(s.to_owned()))
    } else {
        Err(Error::new("postcode", "postcode-invalid"))
    }
}

/// A web address; `www.example.org` gets `https://` in front.
pub fn parse_website(input: &str) -> Result<Option<String>, Error> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let with_scheme = if s.starts_with("http://") || s.starts_with("https://") {
        s.to_owned()
    } else {
        format!("https://{s}")
    };
    let rest = with_scheme.split_once("://").map_or("", |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = host.contains('.')
        && host.len() <= 253
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == ':')
        });
    if !host_ok || with_scheme.len() > 500 || with_scheme.chars().any(char::is_whitespace) {
        return Err(Error::new("website", "website-invalid"));
    }
    Ok(Some(with_scheme))
}

/// A phone number as people write it: digits, spaces, `+ - / ( )`.
pub fn parse_phone(input: &str) -> Result<Option<String>, Error> {
    let s = collapse(input);
    if s.is_empty() {
        return Ok(None);
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if !(5..=20).contains(&digits)
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || " +-/()".contains(c))
    {
        return Err(Error::new("phone", "phone-invalid"));
    }
    Ok(Some(s))
}

/// Coordinates in decimal degrees; both or neither.
pub fn parse_coordinates(lat: &str, lon: &str) -> Result<Option<(f64, f64)>, Error> {
    let (lat, lon) = (lat.trim().replace(',', "."), lon.trim().replace(',', "."));
    if lat.is_empty() && lon.is_empty() {
        return Ok(None);
    }
    if lat.is_empty() {
        return Err(Error::new("latitude", "coordinates-incomplete"));
    }
    if lon.is_empty() {
        return Err(Error::new("longitude", "coordinates-incomplete"));
    }
    let la: f64 = lat
        .parse()
        .map_err(|_| Error::new("latitude", "coordinate-invalid"))?;
    let lo: f64 = lon
        .parse()
        .map_err(|_| Error::new("longitude", "coordinate-invalid"))?;
    if !(-90.0..=90.0).contains(&la) {
        return Err(Error::new("latitude", "coordinate-invalid"));
    }
    if !(-180.0..=180.0).contains(&lo) {
        return Err(Error::new("longitude", "coordinate-invalid"));
    }
    Ok(Some((la, lo)))
}

/// Lower case with diacritics folded, for matching names regardless of case
/// and accents ("Türk" finds "turk"). Done in Rust because LIKE and ILIKE
/// behave differently on SQLite and PostgreSQL.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' | 'á' | 'à' | 'â' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => out.push('a'),
            'ö' | 'ó' | 'ò' | 'ô' | 'õ' | 'ø' | 'ō' => out.push('o'),
            'ü' | 'ú' | 'ù' | 'û' | 'ū' | 'ů' => out.push('u'),
            'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' | 'ı' | 'ī' => out.push('i'),
            'ç' | 'ć' | 'č' => out.push('c'),
            'ş' | 'ś' | 'š' | 'ș' => out.push('s'),
            'ğ' => out.push('g'),
            'ñ' | 'ń' => out.push('n'),
            'ł' => out.push('l'),
            'ž' | 'ź' | 'ż' => out.push('z'),
            'ř' => out.push('r'),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() || c == ' ' => out.push(c),
            _ => out.push(' '),
        }
    }
    collapse(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_choices_are_errors() {
        for k in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse(k.code()).unwrap(), *k);
        }
        assert!(OrganisationKind::parse("club").is_err());
        assert_eq!(
            LegalStatus::parse(" ev ").unwrap(),
            LegalStatus::RegisteredAssociation
        );
    }

    #[test]
    fn field_rules() {
        assert_eq!(
            parse_name("name", "  Kultur  verein\t", 200).unwrap(),
            "Kultur verein"
        );
        assert!(parse_name("name", "   ", 200).is_err());
        assert!(parse_name("name", &"x".repeat(201), 200).is_err());
        assert_eq!(
            parse_languages("TR, de,ku, de").unwrap(),
            ["tr", "de", "ku"]
        );
        assert!(parse_languages("xx").is_err());
        assert!(parse_languages("deu").is_err());
        assert_eq!(parse_founding_year("1987", 2026).unwrap(), Some(1987));
        assert_eq!(
            parse_founding_year("2030", 2026).unwrap_err().rule,
            "year-in-future"
        );
        assert!(parse_founding_year("neunzehn", 2026).is_err());
        assert_eq!(
            parse_register_number("vr 1234").unwrap().unwrap(),
            "VR 1234"
        );
        assert_eq!(
            parse_register_number("HRB56789B").unwrap().unwrap(),
            "HRB 56789 B"
        );
        assert!(parse_register_number("1234").is_err());
        assert!(parse_register_number("XY 12").is_err());
        assert_eq!(parse_postcode("01067").unwrap().unwrap(), "01067");
        assert!(parse_postcode("1067").is_err());
        assert_eq!(
            parse_website("www.kulturverein.de").unwrap().unwrap(),
            "https://www.kulturverein.de"
        );
        assert!(parse_website("kein web").is_err());
        assert!(parse_website("javascript:alert(1)").is_err());
        assert_eq!(
            parse_phone("+49 (0) 5251 / 123-45").unwrap().unwrap(),
            "+49 (0) 5251 / 123-45"
        );
        assert!(parse_phone("call me").is_err());
        assert_eq!(
            parse_coordinates("51,7189", "8.7575").unwrap(),
            Some((51.7189, 8.7575))
        );
        assert!(parse_coordinates("91", "0").is_err());
        assert!(parse_coordinates("", "").unwrap().is_none());
        assert_eq!(parse_member_count("120").unwrap(), Some(120));
        assert!(parse_member_count("-1").is_err());
    }

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(
            fold("Türkisch-Islamische Gemeinde"),
            "turkisch islamische gemeinde"
        );
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("IŞIK Kültür"), "isik kultur");
    }
}
