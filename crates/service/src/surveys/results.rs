//! A survey's results: per question how many answered it, the counts and
//! percentages of each choice, the mean of a scale or number, and the text
//! answers with their organisation (staff only); filtered by organisation
//! kind and district; the answer rate.

use super::answers::shown;
use super::{QuestionKind, Survey, Texts};
use crate::interactions::Ref;
use crate::{Actor, Error, Services};
use msohub_domain::Permission;
use msohub_store::surveys as store;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use uuid::Uuid;

/// Which answers to count: those of organisations of this kind and in this
/// district (empty: any).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[serde(default)]
pub struct ResultFilter {
    pub kind: String,
    pub district: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChoiceCount {
    /// A choice's code, `other`, `yes`/`no`, or a scale step `1`–`5`.
    pub code: String,
    pub label: Texts,
    pub count: usize,
    /// Of those who answered the question, rounded to whole percent.
    pub percent: u32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TextAnswer {
    pub organisation: Ref,
    pub text: String,
    /// The need taken from this answer to the question, if any.
    pub need_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuestionResult {
    pub id: String,
    pub kind: QuestionKind,
    pub text: Texts,
    /// How many of the counted organisations answered it.
    pub answered: usize,
    /// Choice, yes/no and scale questions: every possible answer with its
    /// count (zero included).
    pub counts: Vec<ChoiceCount>,
    /// Scale and number questions: the mean.
    pub mean: Option<f64>,
    /// Text answers, and the texts of "other: …".
    pub texts: Vec<TextAnswer>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SurveyResults {
    pub survey: Survey,
    /// Organisations it went to (within the filter) and how many answered.
    pub recipients: usize,
    pub answered: usize,
    /// answered / recipients, whole percent.
    pub rate: u32,
    pub questions: Vec<QuestionResult>,
    /// The kinds and districts there are among the recipients (for the
    /// filter).
    pub kinds: Vec<String>,
    pub districts: Vec<String>,
}

fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        0
    } else {
        ((part as f64 * 100.0) / whole as f64).round() as u32
    }
}

fn label(de: &str) -> Texts {
    Texts::from([("de".to_owned(), de.to_owned())])
}

impl Services {
    pub async fn survey_results(
        &self,
        actor: &Actor,
        id: Uuid,
        filter: &ResultFilter,
    ) -> Result<SurveyResults, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let survey = self.get_survey(actor, id).await?;
        let conn = self.store.conn();
        let recipients: Vec<Uuid> = store::recipients(conn, id)
            .await?
            .into_iter()
            .map(|r| r.organisation_id)
            .collect();
        let orgs: HashMap<Uuid, msohub_store::organisations::OrganisationRow> =
            msohub_store::organisations::find_many(conn, &recipients)
                .await?
                .into_iter()
                .map(|o| (o.id, o))
                .collect();
        let mut kinds: Vec<String> = orgs.values().map(|o| o.kind.clone()).collect();
        kinds.sort();
        kinds.dedup();
        let mut districts: Vec<String> = orgs.values().filter_map(|o| o.district.clone()).collect();
        districts.sort();
        districts.dedup();
        let counted = |org: Uuid| {
            orgs.get(&org).is_some_and(|o| {
                (filter.kind.is_empty() || o.kind == filter.kind)
                    && (filter.district.is_empty()
                        || o.district.as_deref() == Some(filter.district.as_str()))
            })
        };
        let recipients_counted = recipients.iter().filter(|o| counted(**o)).count();
        let rows = store::answers(conn, id).await?;
        let answer_ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
        let needs: HashMap<(Uuid, String), Uuid> =
            msohub_store::work::needs_from_answers(conn, &answer_ids)
                .await?
                .into_iter()
                .filter_map(|n| Some(((n.source_answer_id?, n.source_question), n.id)))
                .collect();
        let answer_of: HashMap<Uuid, Uuid> =
            rows.iter().map(|a| (a.organisation_id, a.id)).collect();
        let mut answers: Vec<(Ref, Map<String, Value>)> = rows
            .into_iter()
            .filter(|a| counted(a.organisation_id))
            .map(|a| {
                let name = orgs
                    .get(&a.organisation_id)
                    .map(|o| o.name.clone())
                    .unwrap_or_default();
                (
                    Ref {
                        id: a.organisation_id,
                        name,
                    },
                    serde_json::from_str(&a.answers).unwrap_or_default(),
                )
            })
            .collect();
        answers.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        let questions = survey
            .questions
            .iter()
            .map(|q| {
                let given: Vec<(&Ref, &Value)> = answers
                    .iter()
                    .filter(|(_, a)| shown(q.show_if.as_ref(), a))
                    .filter_map(|(org, a)| a.get(&q.id).map(|v| (org, v)))
                    .collect();
                let answered = given.len();
                let count = |code: &str| {
                    given
                        .iter()
                        .filter(|(_, v)| match v {
                            Value::String(s) => s == code,
                            Value::Array(a) => a.iter().any(|c| c.as_str() == Some(code)),
                            Value::Bool(b) => (if *b { "yes" } else { "no" }) == code,
                            Value::Number(n) => n.to_string() == code,
                            _ => false,
                        })
                        .count()
                };
                let mut options: Vec<(String, Texts)> = match q.kind {
                    QuestionKind::Single | QuestionKind::Multiple => q
                        .choices
                        .iter()
                        .map(|c| (c.code.clone(), c.label.clone()))
                        .collect(),
                    QuestionKind::YesNo => {
                        vec![("yes".into(), label("Ja")), ("no".into(), label("Nein"))]
                    }
                    QuestionKind::Scale => (1..=5)
                        .map(|n| (n.to_string(), label(&n.to_string())))
                        .collect(),
                    _ => Vec::new(),
                };
                if q.other {
                    options.push(("other".into(), label("Sonstiges")));
                }
                let counts = options
                    .into_iter()
                    .map(|(code, label)| {
                        let n = count(&code);
                        ChoiceCount {
                            percent: percent(n, answered),
                            code,
                            label,
                            count: n,
                        }
                    })
                    .collect();
                let numbers: Vec<f64> = given.iter().filter_map(|(_, v)| v.as_f64()).collect();
                let mean = (matches!(q.kind, QuestionKind::Scale | QuestionKind::Number)
                    && !numbers.is_empty())
                .then(|| numbers.iter().sum::<f64>() / numbers.len() as f64);
                let texts = answers
                    .iter()
                    .filter_map(|(org, a)| {
                        let text = match q.kind {
                            QuestionKind::ShortText | QuestionKind::LongText => {
                                a.get(&q.id)?.as_str()?
                            }
                            _ => a.get(&format!("{}.other", q.id))?.as_str()?,
                        };
                        let need_id = answer_of
                            .get(&org.id)
                            .and_then(|a| needs.get(&(*a, q.id.clone())))
                            .copied();
                        Some(TextAnswer {
                            organisation: org.clone(),
                            text: text.to_owned(),
                            need_id,
                        })
                    })
                    .collect();
                QuestionResult {
                    id: q.id.clone(),
                    kind: q.kind,
                    text: q.text.clone(),
                    answered,
                    counts,
                    mean,
                    texts,
                }
            })
            .collect();
        Ok(SurveyResults {
            recipients: recipients_counted,
            answered: answers.len(),
            rate: percent(answers.len(), recipients_counted),
            survey,
            questions,
            kinds,
            districts,
        })
    }
}

/// The file formats of the answers' export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswersFormat {
    Xlsx,
    /// German Excel (semicolon, byte order mark).
    Csv,
}

impl AnswersFormat {
    pub fn parse(raw: &str) -> Option<AnswersFormat> {
        match raw {
            "xlsx" => Some(AnswersFormat::Xlsx),
            "csv" => Some(AnswersFormat::Csv),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            AnswersFormat::Xlsx => "xlsx",
            AnswersFormat::Csv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            AnswersFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            AnswersFormat::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// One answer value as a spreadsheet cell: choices by their German label
/// ("Sonstiges: …" with its text), yes/no as ja/nein, numbers as numbers.
fn cell(q: &super::Question, answers: &Map<String, Value>) -> msohub_exchange::Cell {
    use msohub_exchange::Cell;
    let label = |code: &str| -> String {
        if code == "other" {
            let text = answers
                .get(&format!("{}.other", q.id))
                .and_then(Value::as_str)
                .unwrap_or_default();
            return format!("Sonstiges: {text}");
        }
        q.choices
            .iter()
            .find(|c| c.code == code)
            .and_then(|c| c.label.get("de").cloned())
            .unwrap_or_else(|| code.to_owned())
    };
    match answers.get(&q.id) {
        None | Some(Value::Null) => Cell::Empty,
        Some(Value::Bool(b)) => Cell::Text(if *b { "ja" } else { "nein" }.to_owned()),
        Some(Value::Number(n)) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        Some(Value::String(s)) if q.kind.has_choices() => Cell::Text(label(s)),
        Some(Value::String(s)) => Cell::Text(s.clone()),
        Some(Value::Array(codes)) => Cell::Text(
            codes
                .iter()
                .filter_map(Value::as_str)
                .map(label)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Some(other) => Cell::Text(other.to_string()),
    }
}

impl Services {
    /// Every answer of a survey as a spreadsheet: one row per organisation
    /// it went to (those without an answer too, to follow up), one column
    /// per question. Personal data (text answers may name people): the
    /// export is recorded in the audit log. Returns the file name and the
    /// bytes.
    pub async fn export_survey_answers(
        &self,
        actor: &Actor,
        id: Uuid,
        format: AnswersFormat,
    ) -> Result<(String, Vec<u8>), Error> {
        use msohub_exchange::Cell;
        actor.require(Permission::ReadStaffArea)?;
        let survey = self.get_survey(actor, id).await?;
        let conn = self.store.conn();
        let recipients: Vec<Uuid> = store::recipients(conn, id)
            .await?
            .into_iter()
            .map(|r| r.organisation_id)
            .collect();
        let answers: HashMap<Uuid, msohub_store::surveys::AnswerRow> = store::answers(conn, id)
            .await?
            .into_iter()
            .map(|a| (a.organisation_id, a))
            .collect();
        let mut orgs = msohub_store::organisations::find_many(conn, &recipients).await?;
        orgs.sort_by(|a, b| a.name.cmp(&b.name));
        let mut headers: Vec<String> = ["Organisation", "Art", "Stadtteil", "Beantwortet am"]
            .iter()
            .map(|h| (*h).to_owned())
            .collect();
        for (i, q) in survey.questions.iter().enumerate() {
            let text = q.text.get("de").cloned().unwrap_or_default();
            headers.push(format!("{}. {text}", i + 1));
        }
        let rows: Vec<Vec<Cell>> = orgs
            .iter()
            .map(|o| {
                let answer = answers.get(&o.id);
                let given: Map<String, Value> = answer
                    .and_then(|a| serde_json::from_str(&a.answers).ok())
                    .unwrap_or_default();
                let mut row = vec![
                    Cell::Text(o.name.clone()),
                    Cell::Text(o.kind.clone()),
                    Cell::Text(o.district.clone().unwrap_or_default()),
                    answer.map_or(Cell::Empty, |a| {
                        Cell::DateTime(
                            a.updated_at
                                .with_timezone(&chrono_tz::Europe::Berlin)
                                .naive_local(),
                        )
                    }),
                ];
                row.extend(survey.questions.iter().map(|q| cell(q, &given)));
                row
            })
            .collect();
        let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
        let bytes = match format {
            AnswersFormat::Xlsx => msohub_exchange::xlsx_table("Antworten", &header_refs, &rows)
                .map_err(|e| Error::Internal(Box::new(e)))?,
            AnswersFormat::Csv => msohub_exchange::csv_table(
                &header_refs,
                rows.iter()
                    .map(|r| r.iter().map(|c| c.to_text(true)).collect::<Vec<_>>()),
                msohub_exchange::CsvOptions::EXCEL_DE,
            ),
        };
        self.write_audited(
            actor,
            "survey",
            "export",
            None,
            async |_| Ok(()),
            |_| {
                (
                    id,
                    Some(serde_json::json!({ "format": format.extension(), "rows": orgs.len() })),
                )
            },
        )
        .await?;
        let name = format!(
            "msohub-umfrage-{}-{}.{}",
            id,
            crate::time::today(),
            format.extension()
        );
        Ok((name, bytes))
    }
}
