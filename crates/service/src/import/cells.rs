//! Reading a cell: the folded form words are compared in, the kinds of
//! value a field takes (dates, times, yes/no, terms, languages, fixed
//! choices, organisations) with the words each choice accepts, and a row's
//! mapped cells turned into the values the entity's input takes.

use super::check::{Column, Context, Problem, Problems, Severity, err};
use chrono::NaiveDate;
use msohub_exchange::read::{self, Value};
use std::collections::{BTreeMap, HashMap};

/// Folds a header or word for comparison: lower case, no accents, only
/// letters and digits ("E-Mail-Adresse" → "emailadresse").
pub(super) fn key(s: &str) -> String {
    msohub_domain::organisation::fold(s)
        .replace('ß', "ss")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// How a cell's text becomes a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Postcode,
    Phone,
    /// A day: 31.12.2026, 31.12.26, 2026-12-31 or a spreadsheet date.
    Date,
    /// Day and time in Berlin time: 31.12.2026 18:00 or 2026-12-31T18:00.
    DateTime,
    /// A time of day, 18:00 or 18.00.
    Time,
    /// ja/nein, yes/no, x, 1/0, wahr/falsch, true/false.
    Bool,
    /// Terms of a vocabulary by code or German or English label, separated
    /// by comma, semicolon or line break.
    Terms(&'static str, bool),
    /// Languages by ISO code or German or English name.
    Languages,
    /// One of a fixed set of codes, by code or German or English word.
    Choice(&'static [(&'static str, &'static [&'static str])]),
    /// Organisations by name, register number or id (`bool`: several).
    Organisation(bool),
}

pub(super) const KINDS: &[(&str, &[&str])] = &[
    (
        "mso",
        &[
            "Migrantenselbstorganisation",
            "Migrantenorganisation",
            "Migrantinnenorganisation",
            "MSO",
            "MO",
            "Migrant self-organisation",
        ],
    ),
    (
        "welfare",
        &[
            "Wohlfahrtsverband",
            "Wohlfahrt",
            "Welfare",
            "Welfare organisation",
        ],
    ),
    (
        "public_body",
        &[
            "Behörde",
            "Öffentliche Stelle",
            "Verwaltung",
            "Kommune",
            "Amt",
            "Public body",
        ],
    ),
    (
        "research",
        &["Forschung", "Hochschule", "Universität", "Research"],
    ),
    (
        "faith_community",
        &[
            "Religionsgemeinschaft",
            "Glaubensgemeinschaft",
            "Gemeinde",
            "Moscheegemeinde",
            "Faith community",
        ],
    ),
    ("other", &["Sonstige", "Andere", "Other"]),
];

pub(super) const LEGAL: &[(&str, &[&str])] = &[
    (
        "ev",
        &[
            "e.V.",
            "eingetragener Verein",
            "Verein",
            "eingetragener Verein (e.V.)",
            "Registered association (e.V.)",
        ],
    ),
    (
        "ggmbh",
        &["gGmbH", "gemeinnützige GmbH", "Non-profit company (gGmbH)"],
    ),
    ("foundation", &["Stiftung", "Foundation"]),
    ("cooperative", &["Genossenschaft", "eG", "Cooperative"]),
    (
        "public_law",
        &[
            "Körperschaft des öffentlichen Rechts",
            "KdöR",
            "öffentlich-rechtlich",
            "Public-law body",
        ],
    ),
    (
        "initiative",
        &[
            "Initiative",
            "nicht eingetragener Verein",
            "Gruppe",
            "Initiative (nicht eingetragen)",
            "Initiative (not registered)",
        ],
    ),
    ("other", &["Sonstige", "Andere", "Other"]),
];

pub(super) const OFFER_STATUS: &[(&str, &[&str])] = &[
    ("active", &["aktiv", "läuft", "laufend"]),
    ("paused", &["pausiert", "ruht", "unterbrochen"]),
    ("ended", &["beendet", "eingestellt", "abgeschlossen"]),
];

pub(super) const EVENT_STATUS: &[(&str, &[&str])] = &[
    ("planned", &["geplant", "angekündigt"]),
    ("held", &["stattgefunden", "durchgeführt"]),
    ("cancelled", &["abgesagt", "ausgefallen", "canceled"]),
];

pub(super) const NEED_STATUS: &[(&str, &[&str])] = &[
    ("open", &["offen", "neu"]),
    (
        "in_progress",
        &["in Bearbeitung", "in Arbeit", "laufend", "in progress"],
    ),
    (
        "addressed",
        &[
            "gedeckt",
            "erledigt",
            "erfüllt",
            "abgeschlossen",
            "met",
            "done",
        ],
    ),
    (
        "cannot_be_met",
        &[
            "nicht zu decken",
            "nicht erfüllbar",
            "nicht möglich",
            "cannot be met",
        ],
    ),
];

pub(super) const NEED_SOURCE: &[(&str, &[&str])] = &[
    ("interaction", &["Kontakt", "Besuch", "Gespräch", "contact"]),
    ("meeting", &["Sitzung", "Arbeitskreis", "Gremium"]),
    ("survey", &["Umfrage", "Bedarfsabfrage", "Fragebogen"]),
    ("portal", &["Portal", "selbst gemeldet", "von der MSO"]),
    ("other", &["sonstige", "andere", "sonstiges"]),
];

pub(super) const NEED_URGENCY: &[(&str, &[&str])] = &[
    ("low", &["niedrig", "gering", "kann warten", "can wait"]),
    ("normal", &["normal", "mittel"]),
    ("high", &["hoch", "dringend", "eilig", "urgent"]),
];

pub(super) const EVENT_MODE: &[(&str, &[&str])] = &[
    (
        "in_person",
        &["Präsenz", "in Präsenz", "vor Ort", "in person"],
    ),
    ("digital", &["online", "digital", "virtuell"]),
    ("hybrid", &["hybrid"]),
];

pub(super) const COST: &[(&str, &[&str])] = &[
    (
        "free",
        &[
            "kostenlos",
            "kostenfrei",
            "gratis",
            "frei",
            "0",
            "0 €",
            "0,00 €",
        ],
    ),
    (
        "on_request",
        &["auf Anfrage", "nach Absprache", "on request"],
    ),
];

pub(super) const LOCATION: &[(&str, &[&str])] = &[
    (
        "organisation",
        &[
            "bei der Organisation",
            "Vereinsadresse",
            "eigene Räume",
            "at the organisation",
        ],
    ),
    (
        "other",
        &["anderer Ort", "extern", "elsewhere", "another place"],
    ),
    ("online", &["online", "digital"]),
];

/// Splits a list cell at commas, semicolons and line breaks.
fn items(s: &str) -> impl Iterator<Item = &str> {
    s.split([',', ';', '\n', '|'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

fn parse_bool(s: &str) -> Option<bool> {
    match key(s).as_str() {
        "ja" | "j" | "yes" | "y" | "x" | "1" | "wahr" | "true" | "oeffentlich" | "offentlich" => {
            Some(true)
        }
        "nein" | "n" | "no" | "0" | "falsch" | "false" | "" | "intern" => Some(false),
        _ => None,
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    // A two-digit year is this century's ("3.5.26").
    let short_year = s.rsplit(['.', '/']).next().is_some_and(|y| y.len() == 2);
    let formats: &[&str] = if short_year {
        &["%d.%m.%y", "%d/%m/%y"]
    } else {
        &["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
    };
    for fmt in formats {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    None
}

fn parse_time(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches("Uhr").trim().replace('.', ":");
    let t = chrono::NaiveTime::parse_from_str(&s, "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(&s, "%H:%M:%S"))
        .or_else(|_| chrono::NaiveTime::parse_from_str(&format!("{s}:00"), "%H:%M"))
        .ok()?;
    Some(t.format("%H:%M").to_string())
}

fn parse_datetime(s: &str) -> Option<String> {
    let s = s.trim().replace(" Uhr", "");
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d.trim(), Some(t.trim())),
        None => (s.as_str(), None),
    };
    let date = parse_date(date)?;
    let time = match time {
        Some(t) if !t.is_empty() => parse_time(t.trim_end_matches(',').trim())?,
        _ => "00:00".to_owned(),
    };
    Some(format!("{}T{time}", date.format("%Y-%m-%d")))
}

/// The languages' codes with their German and English names folded, once
/// (folding them for every cell made the check of 100,000 rows spend a
/// quarter of its time here).
fn language_keys() -> &'static [(&'static str, String, String)] {
    static KEYS: std::sync::OnceLock<Vec<(&'static str, String, String)>> =
        std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        msohub_domain::offers::OFFER_LANGUAGES
            .iter()
            .map(|(code, de, en)| (*code, key(de), key(en)))
            .collect()
    })
}

fn language_code(s: &str) -> Option<&'static str> {
    let k = key(s);
    language_keys()
        .iter()
        .find(|(code, de, en)| {
            k == *code || *de == k || *en == k || de.starts_with(&k) && k.len() > 4
        })
        .map(|(code, _, _)| *code)
        .or_else(|| {
            [
                ("deutsch", "de"),
                ("farsi", "fa"),
                ("dari", "fa"),
                ("persisch", "fa"),
                ("somali", "so"),
                ("urdu", "ur"),
                ("paschtu", "ps"),
                ("vietnamesisch", "vi"),
                ("chinesisch", "zh"),
            ]
            .iter()
            .find(|(w, _)| k == *w)
            .map(|(_, c)| *c)
        })
}

pub(super) fn choice(options: &[(&'static str, &[&str])], s: &str) -> Option<&'static str> {
    let k = key(s);
    options
        .iter()
        .find(|(code, words)| key(code) == k || words.iter().any(|w| key(w) == k))
        .map(|(code, _)| *code)
}

/// The mapped cells of a row, turned into the values the entity's input
/// takes (codes for labels, ids for organisation names, ISO dates).
pub(super) fn row_values(
    columns: &HashMap<&'static str, Column>,
    row: &read::Row,
    ctx: &Context,
    problems: &mut Problems,
) -> BTreeMap<&'static str, String> {
    let mut out = BTreeMap::new();
    for (field, col) in columns {
        let cell = row.cells.get(col.index).cloned().unwrap_or(Value::Empty);
        let raw = cell.as_str().trim();
        let spec = col.spec;
        let mut bad = |rule: &str| {
            problems.push(err(
                row.number,
                Some(col),
                Some(field),
                rule,
                format!("„{raw}“"),
            ));
        };
        let value = if raw.is_empty() {
            String::new()
        } else {
            match spec.kind {
                Kind::Text => raw.to_owned(),
                Kind::Postcode => match &cell {
                    // A spreadsheet drops a postcode's leading zero.
                    Value::Number(n) if n.len() < 5 && n.chars().all(|c| c.is_ascii_digit()) => {
                        format!("{n:0>5}")
                    }
                    _ => raw.to_owned(),
                },
                Kind::Phone => {
                    if matches!(cell, Value::Number(_)) {
                        problems.push(Problem {
                            severity: Severity::Warning,
                            ..err(row.number, Some(col), Some(field), "phone-number-cell", format!("„{raw}“ war in der Tabelle eine Zahl; eine führende 0 fehlt womöglich."))
                        });
                    }
                    raw.to_owned()
                }
                Kind::Date => match parse_date(raw) {
                    Some(d) => d.format("%Y-%m-%d").to_string(),
                    None => {
                        bad("date-invalid");
                        String::new()
                    }
                },
                Kind::DateTime => match parse_datetime(raw) {
                    Some(t) => t,
                    None => {
                        bad("datetime-invalid");
                        String::new()
                    }
                },
                Kind::Time => match parse_time(raw) {
                    Some(t) => t,
                    None => {
                        bad("time-invalid");
                        String::new()
                    }
                },
                Kind::Bool => match parse_bool(raw) {
                    Some(b) => b.to_string(),
                    None => {
                        bad("bool-invalid");
                        String::new()
                    }
                },
                Kind::Choice(options) => match choice(options, raw) {
                    Some(code) => code.to_owned(),
                    // Offer costs take an amount as text.
                    None if *field == "cost_kind" => raw.to_owned(),
                    None => {
                        bad("choice-unknown");
                        String::new()
                    }
                },
                Kind::Languages => {
                    let mut codes: Vec<String> = Vec::new();
                    for item in items(raw) {
                        // Unknown two-letter codes go on to the entity's
                        // own check, which names them.
                        let code = language_code(item).map(str::to_owned).or_else(|| {
                            (item.len() == 2 && item.is_ascii()).then(|| item.to_ascii_lowercase())
                        });
                        match code {
                            Some(c) => {
                                if !codes.contains(&c) {
                                    codes.push(c);
                                }
                            }
                            None => {
                                bad("language-code-unknown");
                                break;
                            }
                        }
                    }
                    codes.join(", ")
                }
                Kind::Terms(vocabulary, many) => {
                    let known = ctx
                        .terms
                        .get(vocabulary)
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    let mut codes: Vec<String> = Vec::new();
                    let parts: Vec<&str> = if many {
                        items(raw).collect()
                    } else {
                        vec![raw]
                    };
                    for item in parts {
                        let k = key(item);
                        match known.iter().find(|(_, words)| words.contains(&k)) {
                            Some((code, _)) => {
                                if !codes.contains(code) {
                                    codes.push(code.clone());
                                }
                            }
                            None => {
                                bad("term-unknown");
                                break;
                            }
                        }
                    }
                    codes.join(",")
                }
                Kind::Organisation(many) => {
                    let parts: Vec<&str> = if many {
                        raw.split([';', '\n', '|'])
                            .map(str::trim)
                            .filter(|x| !x.is_empty())
                            .collect()
                    } else {
                        vec![raw]
                    };
                    let mut ids = Vec::new();
                    for item in parts {
                        let found = ctx
                            .organisations
                            .get(item)
                            .or_else(|| ctx.organisations.get(&key(item)));
                        match found {
                            Some(id) => ids.push(id.to_string()),
                            None => {
                                bad("organisation-unknown");
                                break;
                            }
                        }
                    }
                    ids.join(",")
                }
            }
        };
        out.insert(spec.key, value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_as_people_write_them() {
        assert_eq!(parse_bool("Ja"), Some(true));
        assert_eq!(parse_bool("x"), Some(true));
        assert_eq!(parse_bool("nein"), Some(false));
        assert_eq!(parse_bool("vielleicht"), None);
        assert_eq!(
            parse_date("03.05.2026"),
            NaiveDate::from_ymd_opt(2026, 5, 3)
        );
        assert_eq!(parse_date("3.5.26"), NaiveDate::from_ymd_opt(2026, 5, 3));
        assert_eq!(
            parse_datetime("03.05.2026 18:30").as_deref(),
            Some("2026-05-03T18:30")
        );
        assert_eq!(
            parse_datetime("2026-05-03T18:30").as_deref(),
            Some("2026-05-03T18:30")
        );
        assert_eq!(
            parse_datetime("03.05.2026 18 Uhr").as_deref(),
            Some("2026-05-03T18:00")
        );
        assert_eq!(parse_time("18.30"), Some("18:30".into()));
        assert_eq!(language_code("Türkisch"), Some("tr"));
        assert_eq!(language_code("arabic"), Some("ar"));
        assert_eq!(language_code("de"), Some("de"));
        assert_eq!(language_code("Farsi"), Some("fa"));
        assert_eq!(choice(KINDS, "Migrantenselbstorganisation"), Some("mso"));
        assert_eq!(choice(LEGAL, "e. V."), Some("ev"));
        assert_eq!(choice(COST, "kostenlos"), Some("free"));
    }
}
