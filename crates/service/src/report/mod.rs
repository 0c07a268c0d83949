//! The yearly report (Sachbericht) of a period, generated from the records:
//! per target what it was, the figure, the status and a narrative (a
//! generated draft staff may replace), deviation and substitute measures;
//! the overall verdict; what the office did beyond the targets; contacts
//! per month and meeting attendance; editable title, introduction, outlook,
//! place and author. This module holds the report's model and its wording;
//! `assemble` builds it from the records, `versions` freezes and reads
//! finalised versions. Rendering (HTML, Markdown, charts, PDF, DOCX, ODT,
//! differences) lives in `msohub-docs`: the service returns data.

mod assemble;
mod versions;

use crate::targets::{Period, Target, verdict};
use crate::{Actor, Error, Services, audit, time};
use chrono::{Datelike, Utc};
use msohub_domain::Permission;
use msohub_store::targets::{self as store, ReportTextRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportTarget {
    pub target: Target,
    /// The staff's text, or the generated draft.
    pub narrative: String,
    pub narrative_edited: bool,
}

/// One month's contacts.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonthFigure {
    /// "2020-09"
    pub month: String,
    pub held: u32,
    pub cancelled: u32,
}

/// A body's meetings in the period.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BodyFigure {
    pub body: String,
    pub held: usize,
    pub with_staff: usize,
    pub cancelled: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Report {
    pub lang: Lang,
    pub period: Period,
    pub office: String,
    pub title: String,
    pub introduction: String,
    pub targets: Vec<ReportTarget>,
    /// met, partly_met, not_met, none
    pub verdict: String,
    /// The verdict as the report says it.
    pub verdict_text: String,
    /// What the office did beyond the targets, one sentence each.
    pub beyond: Vec<String>,
    pub outlook: String,
    pub place: String,
    /// "Juli 2021"
    pub month: String,
    pub author: String,
    pub contacts_per_month: Vec<MonthFigure>,
    pub meetings: Vec<BodyFigure>,
    /// Where something the report needs is missing.
    pub missing: Vec<String>,
    /// The texts' version (send it back when saving them).
    pub texts_version: i32,
    /// Set on a finalised version: its number and when it was made.
    pub frozen_version: Option<i32>,
    pub frozen_at: Option<chrono::DateTime<Utc>>,
}

impl Report {
    /// The German or the English text, as the report's language is.
    pub fn t<'a>(&self, de: &'a str, en: &'a str) -> &'a str {
        self.lang.t(de, en)
    }
    /// A day as the report writes it.
    pub fn day(&self, d: &chrono::NaiveDate) -> String {
        self.lang.day(*d)
    }
    /// A number as the report writes it (decimal comma in German).
    pub fn num(&self, v: &f64) -> String {
        num(*v, self.lang)
    }
    pub fn status_text(&self, status: &str) -> &'static str {
        status_text(status, self.lang)
    }
    pub fn substitute_text(&self, s: &crate::targets::Substitute) -> String {
        substitute_text(s, self.lang)
    }
}

/// A finalised report, without its contents.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportVersion {
    pub number: i32,
    pub note: String,
    pub created_at: chrono::DateTime<Utc>,
    pub created_by: Option<String>,
}

/// What a finalised report keeps: the report in each language.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    de: Report,
    en: Report,
}

/// The editable texts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct ReportTexts {
    pub title: String,
    pub introduction: String,
    pub outlook: String,
    pub place: String,
    pub author: String,
    /// Target id → narrative (empty: the generated draft).
    pub narratives: BTreeMap<String, String>,
    pub version: i32,
}

/// The language a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    /// "de" or "en"; anything else is German, the report's first language.
    pub fn parse(code: &str) -> Lang {
        if code.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::De
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }
    /// The German or the English text.
    pub fn t<'a>(self, de: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }
    pub fn day(self, d: chrono::NaiveDate) -> String {
        match self {
            Lang::De => d.format("%d.%m.%Y").to_string(),
            Lang::En => d.format("%-d %B %Y").to_string(),
        }
    }
    fn month(self, d: chrono::NaiveDate) -> String {
        const DE: [&str; 12] = [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ];
        match self {
            Lang::De => format!("{} {}", DE[d.month0() as usize], d.year()),
            Lang::En => d.format("%B %Y").to_string(),
        }
    }
}

pub fn status_text(s: &str, lang: Lang) -> &'static str {
    match (s, lang) {
        ("met", Lang::De) => "erreicht",
        ("partly_met", Lang::De) => "teilweise erreicht",
        (_, Lang::De) => "nicht erreicht",
        ("met", Lang::En) => "met",
        ("partly_met", Lang::En) => "partly met",
        (_, Lang::En) => "not met",
    }
}

pub fn verdict_text(v: &str, lang: Lang) -> &'static str {
    match (v, lang) {
        ("met", Lang::De) => "Die angestrebten Ziele wurden erreicht.",
        ("partly_met", Lang::De) => "Die angestrebten Ziele wurden teilweise erreicht.",
        ("not_met", Lang::De) => "Die angestrebten Ziele wurden nicht erreicht.",
        (_, Lang::De) => "Für diesen Zeitraum sind keine Ziele erfasst.",
        ("met", Lang::En) => "The targets were met.",
        ("partly_met", Lang::En) => "The targets were partly met.",
        ("not_met", Lang::En) => "The targets were not met.",
        (_, Lang::En) => "No targets are recorded for this period.",
    }
}

/// A number as the report writes it (decimal comma in German).
pub fn num(v: f64, lang: Lang) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else if lang == Lang::De {
        format!("{v:.1}").replace('.', ",")
    } else {
        format!("{v:.1}")
    }
}

fn mode_text(mode: &str, lang: Lang) -> &'static str {
    match (mode, lang) {
        ("in_person", Lang::De) => "in Präsenz",
        ("in_person", Lang::En) => "in person",
        ("hybrid", _) => "hybrid",
        (_, Lang::De) => "digital",
        (_, Lang::En) => "online",
    }
}

/// What the report says about a record a substitute measure points to:
/// "Arbeitskreis MSO (gegründet am 01.09.2020): 2 Sitzungen – 14.09.2020
/// in Präsenz, 24.11.2020 digital; 7 Organisationen vertreten".
pub fn substitute_text(s: &crate::targets::Substitute, lang: Lang) -> String {
    let mut out = s.name.clone();
    match s.record_type.as_str() {
        "body" => {
            if let Some(d) = s.date {
                out.push_str(&match lang {
                    Lang::De => format!(" (gegründet am {})", lang.day(d)),
                    Lang::En => format!(" (founded on {})", lang.day(d)),
                });
            }
            let meetings: Vec<String> = s
                .meetings
                .iter()
                .map(|m| format!("{} {}", lang.day(m.date), mode_text(&m.mode, lang)))
                .collect();
            out.push_str(&match (lang, meetings.len()) {
                (Lang::De, 1) => format!(": 1 Sitzung – {}", meetings.join(", ")),
                (Lang::De, n) if n > 1 => format!(": {n} Sitzungen – {}", meetings.join(", ")),
                (Lang::En, 1) => format!(": 1 meeting – {}", meetings.join(", ")),
                (Lang::En, n) if n > 1 => format!(": {n} meetings – {}", meetings.join(", ")),
                (Lang::De, _) => ": keine Sitzung im Berichtszeitraum".to_owned(),
                (Lang::En, _) => ": no meeting in the period".to_owned(),
            });
            if let Some(n) = s.organisations_represented.filter(|n| *n > 0) {
                out.push_str(&match lang {
                    Lang::De => format!("; {n} Organisationen vertreten"),
                    Lang::En => format!("; {n} organisations represented"),
                });
            }
        }
        _ => {
            if let Some(d) = s.date {
                out.push_str(&format!(" ({} {})", lang.day(d), mode_text(&s.mode, lang)));
            }
        }
    }
    out
}
