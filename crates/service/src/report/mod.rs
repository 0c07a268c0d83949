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
mod beyond;
mod needs;
mod versions;
mod wording;

pub use beyond::{BEYOND_KINDS, BeyondInput, BeyondItem};
pub use needs::{
    ChoiceFigure, NeedCategoryFigure, NeedsChoice, NeedsSection, QuestionFigures, SurveyFigures,
};
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

/// One month's figures for a chapter's chart.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonthFigure {
    /// "2020-09"
    pub month: String,
    /// Contacts held and cancelled.
    pub held: u32,
    pub cancelled: u32,
    /// Meetings held (of the chapter's bodies).
    #[serde(default)]
    pub meetings: u32,
    /// Events the office organised and held.
    #[serde(default)]
    pub events: u32,
}

/// A body's meetings in the period.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BodyFigure {
    pub body: String,
    pub held: usize,
    pub with_staff: usize,
    pub cancelled: usize,
}

/// One project's chapter: its purpose, targets, verdict, what was done
/// beyond them, its chart and its outlook.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Chapter {
    pub project: crate::projects::Project,
    /// This period's introduction to the chapter (after the project's
    /// description).
    pub introduction: String,
    pub targets: Vec<ReportTarget>,
    /// met, partly_met, not_met, none
    pub verdict: String,
    pub verdict_text: String,
    /// What the office did beyond the targets, one sentence each.
    pub beyond: Vec<String>,
    pub outlook: String,
    /// What the chart counts: contacts, meetings, events.
    pub chart_counts: Vec<String>,
    pub per_month: Vec<MonthFigure>,
    /// The meetings of the bodies the chapter's targets are about.
    pub meetings: Vec<BodyFigure>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Report {
    pub lang: Lang,
    pub period: Period,
    pub office: String,
    pub title: String,
    /// Set when the report is one project's chapter.
    #[serde(default)]
    pub project: Option<Uuid>,
    /// The introduction to the whole report.
    pub introduction: String,
    /// One per project (one when the report is a chapter).
    pub chapters: Vec<Chapter>,
    /// The office's verdict over all chapters' targets: met, partly_met,
    /// not_met, none.
    pub verdict: String,
    /// The verdict as the report says it.
    pub verdict_text: String,
    /// The outlook of the whole report.
    pub outlook: String,
    pub place: String,
    /// The report's month, "Juni 2021" (printed "Paderborn, im Juni 2021").
    pub month: String,
    pub author: String,
    /// named or anonymous: how staff appear.
    #[serde(default)]
    pub staff_names: String,
    /// The meetings of the bodies no chapter reports on.
    pub meetings: Vec<BodyFigure>,
    /// The section on the organisations' needs, when the report carries it.
    #[serde(default)]
    pub needs: Option<NeedsSection>,
    /// Where something the report needs is missing.
    pub missing: Vec<String>,
    /// The texts' version (send it back when saving them).
    pub texts_version: i32,
    /// Set on a finalised version: its number and when it was made.
    pub frozen_version: Option<i32>,
    pub frozen_at: Option<chrono::DateTime<Utc>>,
}

impl Report {
    /// One project's chapter of this report (e.g. of a finalised version).
    pub fn chapter_of(mut self, project: Uuid) -> Result<Report, Error> {
        self.chapters.retain(|c| c.project.id == project);
        let Some(c) = self.chapters.first() else {
            return Err(Error::field("project", "project-unknown"));
        };
        self.title = c.project.name.clone();
        self.verdict = c.verdict.clone();
        self.verdict_text = c.verdict_text.clone();
        self.introduction.clear();
        self.outlook.clear();
        self.meetings.clear();
        self.project = Some(project);
        Ok(self)
    }
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
    /// The report's month, YYYY-MM (empty: the month it is made in).
    pub dated: String,
    pub author: String,
    /// named or anonymous (default): whether staff appear by name or by
    /// role ("eine Mitarbeiterin des KI").
    pub staff_names: String,
    /// Target id → narrative (empty: the generated draft).
    pub narratives: BTreeMap<String, String>,
    /// Project id → the chapter's introduction and outlook this period.
    pub chapters: BTreeMap<String, ChapterTexts>,
    /// The section on needs: whether the report carries it, and which
    /// surveys' results it shows.
    pub needs: NeedsChoice,
    pub version: i32,
}

/// A chapter's texts in a period.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct ChapterTexts {
    pub introduction: String,
    pub outlook: String,
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
    pub fn month(self, d: chrono::NaiveDate) -> String {
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
