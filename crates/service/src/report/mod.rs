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
mod wording;

pub use wording::{
    Labelled, figure_text, labelled, mode_text, num, percent, quote, status_text, substitute_text,
    verdict_text,
};

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
    pub fn figure_text(&self, t: &crate::targets::Target) -> String {
        figure_text(t, self.lang)
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
