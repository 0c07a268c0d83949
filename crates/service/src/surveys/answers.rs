//! Answering a survey: once per organisation, by its representatives in
//! the portal (or by staff from a paper form), editable until it closes.
//!
//! An answer is a JSON object, question id → value: a choice code (single),
//! a list of codes (multiple; `other` with the text under `<id>.other`),
//! `true`/`false` (yes/no), 1–5 (scale), a number, or a text. Answers to
//! questions hidden by their condition are dropped.

use super::{Question, QuestionKind, ShowIf, Survey, SurveyState};
use crate::interactions::Ref;
use crate::{Actor, Error, FieldError, Services};
use chrono::{DateTime, NaiveDate, Utc};
use msohub_domain::Permission;
use msohub_store::surveys::{self as store, AnswerRow};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Longest short and long text answers.
const SHORT_TEXT: usize = 300;
const LONG_TEXT: usize = 5_000;

/// An organisation's answer as stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SurveyAnswer {
    pub id: Uuid,
    pub survey_id: Uuid,
    pub organisation: Ref,
    /// Question id → value (see the module documentation).
    #[schema(value_type = Object)]
    pub answers: Map<String, Value>,
    /// Who answered last (a representative's person), if known.
    pub answered_by: Option<Ref>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A survey as one of the organisations it went to sees it, with that
/// organisation's answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrganisationSurvey {
    pub id: Uuid,
    pub title: super::Texts,
    pub intro: super::Texts,
    pub questions: Vec<Question>,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    pub state: SurveyState,
    pub organisation: Ref,
    pub answer: Option<SurveyAnswer>,
}

/// An answer as given.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SurveyAnswerInput {
    /// Required (an empty object when nothing is answered yet).
    #[schema(value_type = Object)]
    pub answers: Option<Map<String, Value>>,
    /// The answer's version as read (0: none yet).
    pub version: i32,
}

fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.iter().all(|v| is_empty(Some(v))),
        Some(_) => false,
    }
}

fn as_strings(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.trim().to_owned()]),
        Value::Array(items) => items
            .iter()
            .filter(|v| !is_empty(Some(v)))
            .map(|v| v.as_str().map(|s| s.trim().to_owned()))
            .collect(),
        _ => None,
    }
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', ".").parse::<f64>().ok(),
        _ => None,
    }
    .filter(|n| n.is_finite() && n.abs() <= 1e12)
}

/// Whether a question's condition holds for the answers so far.
pub fn shown(show_if: Option<&ShowIf>, answers: &Map<String, Value>) -> bool {
    let Some(c) = show_if else {
        return true;
    };
    match answers.get(&c.question) {
        Some(Value::Bool(b)) => *b == (c.equals == "yes"),
        Some(Value::String(s)) => *s == c.equals,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(&c.equals)),
        _ => false,
    }
}

/// Checks `given` against the questions; the answer to store.
pub fn check_answers(
    questions: &[Question],
    given: &Map<String, Value>,
) -> Result<Map<String, Value>, Error> {
    let mut errors = Vec::new();
    let mut out = Map::new();
    for key in given.keys() {
        let id = key.strip_suffix(".other").unwrap_or(key);
        if !questions.iter().any(|q| q.id == id) {
            errors.push(FieldError::new(
                &format!("answers.{key}"),
                "question-unknown",
            ));
        }
    }
    for q in questions {
        if !shown(q.show_if.as_ref(), &out) {
            continue;
        }
        let field = format!("answers.{}", q.id);
        let Some(value) = given.get(&q.id).filter(|v| !is_empty(Some(v))) else {
            if q.required {
                errors.push(FieldError::new(&field, "required"));
            }
            continue;
        };
        let checked = match q.kind {
            QuestionKind::Single | QuestionKind::Multiple => {
                match as_strings(value).filter(|v| q.kind == QuestionKind::Multiple || v.len() == 1)
                {
                    Some(codes) => {
                        let mut kept: Vec<String> = Vec::new();
                        let mut bad = false;
                        for code in codes {
                            let known = q.choices.iter().any(|c| c.code == code)
                                || (q.other && code == "other");
                            bad |= !known;
                            if known && !kept.contains(&code) {
                                kept.push(code);
                            }
                        }
                        if bad {
                            Err("choice-unknown")
                        } else if kept.iter().any(|c| c == "other") {
                            let other = given
                                .get(&format!("{}.other", q.id))
                                .and_then(Value::as_str)
                                .map(str::trim)
                                .unwrap_or_default();
                            if other.is_empty() {
                                errors.push(FieldError::new(&format!("{field}.other"), "required"));
                            } else if other.chars().count() > SHORT_TEXT {
                                errors.push(FieldError::new(&format!("{field}.other"), "too-long"));
                            } else {
                                out.insert(format!("{}.other", q.id), Value::from(other));
                            }
                            Ok(Value::from(kept))
                        } else if q.kind == QuestionKind::Single {
                            Ok(Value::from(kept.remove(0)))
                        } else {
                            Ok(Value::from(kept))
                        }
                    }
                    None => Err("choice-unknown"),
                }
            }
            QuestionKind::YesNo => match value {
                Value::Bool(b) => Ok(Value::Bool(*b)),
                Value::String(s) if s.trim() == "yes" => Ok(Value::Bool(true)),
                Value::String(s) if s.trim() == "no" => Ok(Value::Bool(false)),
                _ => Err("choice-unknown"),
            },
            QuestionKind::Scale => match as_number(value) {
                Some(n) if n.fract() == 0.0 && (1.0..=5.0).contains(&n) => {
                    Ok(Value::from(n as i64))
                }
                Some(_) => Err("out-of-range"),
                None => Err("not-a-number"),
            },
            QuestionKind::Number => match as_number(value) {
                Some(n) => Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)),
                None => Err("not-a-number"),
            },
            QuestionKind::ShortText | QuestionKind::LongText => {
                let max = if q.kind == QuestionKind::ShortText {
                    SHORT_TEXT
                } else {
                    LONG_TEXT
                };
                match value.as_str().map(str::trim) {
                    Some(t) if t.chars().count() > max => Err("too-long"),
                    Some(t) => Ok(Value::from(t)),
                    None => Err("not-a-text"),
                }
            }
        };
        match checked {
            // A single choice of "other" is stored as the code alone.
            Ok(Value::Array(a)) if q.kind == QuestionKind::Single => {
                out.insert(q.id.clone(), a.into_iter().next().unwrap_or(Value::Null));
            }
            Ok(v) => {
                out.insert(q.id.clone(), v);
            }
            Err(rule) => errors.push(FieldError::new(&field, rule)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::Validation(errors))
    }
}

impl Services {
    async fn assemble_answer(&self, row: &AnswerRow) -> Result<SurveyAnswer, Error> {
        let conn = self.store.conn();
        let organisation = msohub_store::organisations::find(conn, row.organisation_id)
            .await?
            .map_or_else(
                || Ref {
                    id: row.organisation_id,
                    name: String::new(),
                },
                |o| Ref {
                    id: o.id,
                    name: o.name,
                },
            );
        let answered_by = match row.person_id {
            Some(id) => msohub_store::people::names(conn, &[id])
                .await?
                .remove(&id)
                .map(|name| Ref { id, name }),
            None => None,
        };
        Ok(SurveyAnswer {
            id: row.id,
            survey_id: row.survey_id,
            organisation,
            answers: serde_json::from_str(&row.answers).unwrap_or_default(),
            answered_by,
            version: row.version,
            updated_at: row.updated_at,
        })
    }

    /// Who may answer for `organisation`: its representatives, and staff.
    /// `NotFound` for a representative of another organisation, and for a
    /// survey that did not go to it.
    async fn answering(
        &self,
        actor: &Actor,
        survey_id: Uuid,
        organisation: Uuid,
    ) -> Result<(Survey, Ref, Option<Uuid>), Error> {
        let person = if actor.can(Permission::ReadStaffArea) {
            None
        } else {
            let user = self.portal_user(actor).await?;
            if !user.organisations.iter().any(|o| o.id == organisation) {
                return Err(Error::NotFound);
            }
            Some(user.person.id)
        };
        let (survey, org) = self.sent_to(survey_id, organisation).await?;
        Ok((survey, org, person))
    }

    /// A sent survey and one organisation it went to; `NotFound` else.
    pub(crate) async fn sent_to(
        &self,
        survey_id: Uuid,
        organisation: Uuid,
    ) -> Result<(Survey, Ref), Error> {
        let conn = self.store.conn();
        let row = self.sent_survey(survey_id).await?;
        if !store::is_recipient(conn, survey_id, organisation).await? {
            return Err(Error::NotFound);
        }
        let org = msohub_store::organisations::find(conn, organisation)
            .await?
            .ok_or(Error::NotFound)?;
        Ok((
            self.assemble_survey(&row).await?,
            Ref {
                id: org.id,
                name: org.name,
            },
        ))
    }

    /// The survey as `organisation` sees it, with its answer.
    pub async fn organisation_survey(
        &self,
        actor: &Actor,
        survey_id: Uuid,
        organisation: Uuid,
    ) -> Result<OrganisationSurvey, Error> {
        let (survey, org, _) = self.answering(actor, survey_id, organisation).await?;
        self.as_seen_by(survey, org).await
    }

    /// `survey` as the organisation `org` sees it, with its answer.
    pub(crate) async fn as_seen_by(
        &self,
        survey: Survey,
        org: Ref,
    ) -> Result<OrganisationSurvey, Error> {
        let answer = match store::find_answer(self.store.conn(), survey.id, org.id).await? {
            Some(row) => Some(self.assemble_answer(&row).await?),
            None => None,
        };
        Ok(OrganisationSurvey {
            id: survey.id,
            title: survey.title,
            intro: survey.intro,
            questions: survey.questions,
            opens_on: survey.opens_on,
            closes_on: survey.closes_on,
            state: survey.state,
            organisation: org,
            answer,
        })
    }

    /// The surveys sent to the representative's organisations (one entry
    /// per survey and organisation), open ones first.
    pub async fn portal_surveys(&self, actor: &Actor) -> Result<Vec<OrganisationSurvey>, Error> {
        let user = self.portal_user(actor).await?;
        let ids: Vec<Uuid> = user.organisations.iter().map(|o| o.id).collect();
        let mut out = Vec::new();
        for (row, organisation) in store::surveys_sent_to(self.store.conn(), &ids).await? {
            out.push(
                self.organisation_survey(actor, row.id, organisation)
                    .await?,
            );
        }
        out.sort_by_key(|s| s.state != SurveyState::Open);
        Ok(out)
    }

    /// Stores `organisation`'s answer (the first, or a change of the one at
    /// `input.version`), while the survey is open.
    pub async fn answer_survey(
        &self,
        actor: &Actor,
        survey_id: Uuid,
        organisation: Uuid,
        input: &SurveyAnswerInput,
    ) -> Result<SurveyAnswer, Error> {
        if actor.can(Permission::ReadStaffArea) {
            actor.require(Permission::WriteStaffArea)?;
        }
        let (survey, _, person) = self.answering(actor, survey_id, organisation).await?;
        self.store_answer(actor, &survey, organisation, person, input)
            .await
    }

    /// Stores the answer of `organisation` (to which `survey` went), given
    /// by `person` if known.
    pub(crate) async fn store_answer(
        &self,
        actor: &Actor,
        survey: &Survey,
        organisation: Uuid,
        person: Option<Uuid>,
        input: &SurveyAnswerInput,
    ) -> Result<SurveyAnswer, Error> {
        let survey_id = survey.id;
        let conn = self.store.conn();
        let current = store::find_answer(conn, survey_id, organisation).await?;
        if current.as_ref().map_or(0, |c| c.version) != input.version {
            return Err(Error::stale());
        }
        match survey.state {
            SurveyState::Open => {}
            SurveyState::Closed => return Err(Error::field("survey", "survey-closed")),
            _ => return Err(Error::field("survey", "survey-not-open")),
        }
        let given = input
            .answers
            .as_ref()
            .ok_or_else(|| Error::field("answers", "required"))?;
        let answers = check_answers(&survey.questions, given)?;
        let now = Utc::now();
        let row = AnswerRow {
            id: current.as_ref().map_or_else(Uuid::now_v7, |c| c.id),
            survey_id,
            organisation_id: organisation,
            answers: Value::Object(answers).to_string(),
            person_id: person.or(current.as_ref().and_then(|c| c.person_id)),
            version: input.version,
            created_at: current.as_ref().map_or(now, |c| c.created_at),
            updated_at: now,
        };
        let action = if current.is_some() {
            "update"
        } else {
            "create"
        };
        let row = self
            .write_audited(
                actor,
                "survey_answer",
                action,
                current
                    .as_ref()
                    .map(|c| serde_json::json!({ "version": c.version })),
                async |tx| Ok(store::put_answer(tx, row).await?),
                |r| {
                    (
                        r.id,
                        Some(serde_json::json!({
                            "survey_id": r.survey_id, "organisation_id": r.organisation_id,
                            "version": r.version,
                        })),
                    )
                },
            )
            .await?;
        self.assemble_answer(&row).await
    }
}
