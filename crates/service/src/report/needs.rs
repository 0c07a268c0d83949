//! The report's section on needs ("Bedarfe"), when staff include it: the
//! needs the office learnt of in the period (raised then) by category and
//! their status now, and the results of the surveys staff chose — counts
//! and percentages per question, never a text answer or an organisation's
//! name (the report is read outside the office).

use super::{Lang, num};
use crate::surveys::QuestionKind;
use crate::surveys::results::ResultFilter;
use crate::targets::Period;
use crate::{Actor, Error, FieldError, Services};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The needs' statuses in the order the table shows them.
pub const STATUSES: [&str; 4] = ["open", "in_progress", "addressed", "cannot_be_met"];

/// Whether the report carries the section, and which surveys it shows.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct NeedsChoice {
    pub include: bool,
    /// Ids of sent surveys whose results the section shows, in order.
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub surveys: Vec<String>,
}

/// One category's needs raised in the period, by their status now.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct NeedCategoryFigure {
    /// The category's label in the report's language.
    pub category: String,
    /// Counts in the order of open, in progress, addressed, cannot be met.
    pub by_status: Vec<usize>,
    pub total: usize,
}

/// One answer's count in a survey's results.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct ChoiceFigure {
    pub label: String,
    pub count: usize,
    pub percent: u32,
}

/// A question's results as the report shows them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct QuestionFigures {
    pub text: String,
    pub answered: usize,
    /// Choice, yes/no and scale questions.
    pub counts: Vec<ChoiceFigure>,
    /// Scale and number questions.
    pub mean: Option<f64>,
}

/// A survey's results as the report shows them (text questions left out).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct SurveyFigures {
    pub title: String,
    pub recipients: usize,
    pub answered: usize,
    pub rate: u32,
    pub questions: Vec<QuestionFigures>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct NeedsSection {
    pub categories: Vec<NeedCategoryFigure>,
    /// All needs raised in the period, and of those resolved by now.
    pub total: usize,
    pub resolved: usize,
    pub surveys: Vec<SurveyFigures>,
}

impl NeedsSection {
    /// The status columns' headings.
    pub fn status_headings(lang: Lang) -> Vec<&'static str> {
        STATUSES
            .iter()
            .map(|s| match (*s, lang) {
                ("open", Lang::De) => "offen",
                ("open", Lang::En) => "open",
                ("in_progress", Lang::De) => "in Arbeit",
                ("in_progress", Lang::En) => "in progress",
                ("addressed", Lang::De) => "erledigt",
                ("addressed", Lang::En) => "addressed",
                (_, Lang::De) => "nicht erfüllbar",
                (_, Lang::En) => "cannot be met",
            })
            .collect()
    }

    /// The sentence above the table: how many needs, how many resolved.
    pub fn summary(&self, lang: Lang) -> String {
        let n = |v: usize| num(v as f64, lang);
        match lang {
            Lang::De => match self.total {
                0 => "Im Berichtszeitraum wurden keine Bedarfe erfasst.".to_owned(),
                1 => format!(
                    "Im Berichtszeitraum wurde ein Bedarf erfasst; {} davon ist inzwischen erledigt oder als nicht erfüllbar geklärt.",
                    n(self.resolved)
                ),
                t => format!(
                    "Im Berichtszeitraum wurden {} Bedarfe erfasst; {} davon sind inzwischen erledigt oder als nicht erfüllbar geklärt.",
                    n(t),
                    n(self.resolved)
                ),
            },
            Lang::En => match self.total {
                0 => "No needs were recorded in the reporting period.".to_owned(),
                1 => format!(
                    "One need was recorded in the reporting period; {} of it has since been addressed or found impossible to meet.",
                    n(self.resolved)
                ),
                t => format!(
                    "{} needs were recorded in the reporting period; {} of them have since been addressed or found impossible to meet.",
                    n(t),
                    n(self.resolved)
                ),
            },
        }
    }
}

impl SurveyFigures {
    /// "24 von 40 Organisationen haben geantwortet (60 %)."
    pub fn answered_line(&self, lang: Lang) -> String {
        let n = |v: usize| num(v as f64, lang);
        match lang {
            Lang::De => format!(
                "{} von {} Organisationen haben geantwortet ({} %).",
                n(self.answered),
                n(self.recipients),
                self.rate
            ),
            Lang::En => format!(
                "{} of {} organisations answered ({} %).",
                n(self.answered),
                n(self.recipients),
                self.rate
            ),
        }
    }
}

impl Services {
    /// Checks the surveys a report's needs section names (sent, not
    /// deleted, each once); the choice as stored.
    pub(super) async fn check_needs_choice(
        &self,
        choice: &NeedsChoice,
        errors: &mut Vec<FieldError>,
    ) -> Result<NeedsChoice, Error> {
        let conn = self.store.conn();
        let mut surveys: Vec<String> = Vec::new();
        for raw in choice.surveys.iter().filter(|s| !s.trim().is_empty()) {
            let known = match raw.trim().parse::<Uuid>() {
                Ok(id) => msohub_store::surveys::find_survey(conn, id)
                    .await?
                    .is_some_and(|s| s.deleted_at.is_none() && s.sent_at.is_some()),
                Err(_) => false,
            };
            if !known {
                errors.push(FieldError::new("needs.surveys", "survey-unknown"));
            } else if !surveys.contains(&raw.trim().to_owned()) {
                surveys.push(raw.trim().to_owned());
            }
        }
        if surveys.len() > 20 {
            errors.push(FieldError::new("needs.surveys", "too-many"));
        }
        Ok(NeedsChoice {
            include: choice.include,
            surveys,
        })
    }

    /// The section for `period` as `choice` asks for it.
    pub(super) async fn needs_section(
        &self,
        period: &Period,
        choice: &NeedsChoice,
        lang: Lang,
    ) -> Result<NeedsSection, Error> {
        let conn = self.store.conn();
        let filter = msohub_store::work::NeedFilter {
            raised_from: Some(period.starts_on),
            raised_to: Some(period.ends_on),
            ..Default::default()
        };
        let (rows, _) = msohub_store::work::list_needs(conn, &filter, 0, u64::MAX >> 1).await?;
        let terms = self.terms("need_category").await?;
        let label = |code: &str| {
            terms.iter().find(|t| t.code == code).map_or_else(
                || code.to_owned(),
                |t| match lang {
                    Lang::De => t.label_de.clone(),
                    Lang::En => t.label_en.clone(),
                },
            )
        };
        let mut by_category: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for r in &rows {
            let counts = by_category
                .entry(r.category.clone())
                .or_insert_with(|| vec![0; STATUSES.len()]);
            if let Some(i) = STATUSES.iter().position(|s| *s == r.status) {
                counts[i] += 1;
            }
        }
        let mut categories: Vec<NeedCategoryFigure> = by_category
            .into_iter()
            .map(|(code, by_status)| NeedCategoryFigure {
                category: label(&code),
                total: by_status.iter().sum(),
                by_status,
            })
            .collect();
        categories.sort_by(|a, b| b.total.cmp(&a.total).then(a.category.cmp(&b.category)));
        let resolved = rows
            .iter()
            .filter(|r| matches!(r.status.as_str(), "addressed" | "cannot_be_met"))
            .count();
        let mut surveys = Vec::new();
        let cli = Actor::cli();
        for id in &choice.surveys {
            let Ok(id) = id.parse::<Uuid>() else {
                continue;
            };
            // A survey deleted since it was chosen is left out.
            let results = match self
                .survey_results(&cli, id, &ResultFilter::default())
                .await
            {
                Ok(r) => r,
                Err(Error::NotFound) => continue,
                Err(e) => return Err(e),
            };
            let text = |t: &crate::surveys::Texts| {
                crate::surveys::Survey::text(t, lang.code()).0.to_owned()
            };
            let questions = results
                .questions
                .iter()
                .filter(|q| !matches!(q.kind, QuestionKind::ShortText | QuestionKind::LongText))
                .map(|q| QuestionFigures {
                    text: text(&q.text),
                    answered: q.answered,
                    counts: q
                        .counts
                        .iter()
                        .map(|c| ChoiceFigure {
                            label: match (c.code.as_str(), lang) {
                                ("yes", Lang::En) => "yes".to_owned(),
                                ("no", Lang::En) => "no".to_owned(),
                                ("other", Lang::En) => "other".to_owned(),
                                _ => text(&c.label),
                            },
                            count: c.count,
                            percent: c.percent,
                        })
                        .collect(),
                    mean: q.mean,
                })
                .collect();
            surveys.push(SurveyFigures {
                title: text(&results.survey.title),
                recipients: results.recipients,
                answered: results.answered,
                rate: results.rate,
                questions,
            });
        }
        Ok(NeedsSection {
            total: rows.len(),
            resolved,
            categories,
            surveys,
        })
    }
}
