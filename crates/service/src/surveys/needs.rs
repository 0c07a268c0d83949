//! From an answer to a need: staff turn what an organisation answered to
//! one question into a need in the needs register (source `survey`, linked
//! to the answer and the question). One need per answer and question: a
//! second click — or a second node at the same moment — finds the first.

use super::{QuestionKind, Survey};
use crate::needs::{Need, NeedInput};
use crate::{Actor, Error, FieldError, Services};
use msohub_domain::Permission;
use msohub_store::surveys as store;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// What staff choose when taking a need from an answer.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NeedFromAnswerInput {
    /// The question whose answer is the need.
    pub question: String,
    /// A term of the `need_category` vocabulary.
    pub category: String,
    /// low, normal (the default), high
    pub urgency: String,
    /// Empty: the question and the answer, as given.
    pub description: String,
}

/// The need, and whether this call made it (false: it was made before).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NeedFromAnswer {
    pub need: Need,
    pub created: bool,
}

/// An answer to `question` in words (German labels: the register is the
/// office's).
pub fn answer_text(survey: &Survey, question: &str, answers: &Map<String, Value>) -> String {
    let Some(q) = survey.question(question) else {
        return String::new();
    };
    let label = |code: &str| -> String {
        if code == "other" {
            let other = answers
                .get(&format!("{question}.other"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            return format!("Sonstiges: {other}");
        }
        q.choices.iter().find(|c| c.code == code).map_or_else(
            || code.to_owned(),
            |c| Survey::text(&c.label, "de").0.to_owned(),
        )
    };
    match (q.kind, answers.get(question)) {
        (_, None | Some(Value::Null)) => String::new(),
        (QuestionKind::YesNo, Some(Value::Bool(b))) => if *b { "Ja" } else { "Nein" }.to_owned(),
        (QuestionKind::Single, Some(Value::String(code))) => label(code),
        (QuestionKind::Multiple, Some(Value::Array(codes))) => codes
            .iter()
            .filter_map(Value::as_str)
            .map(label)
            .collect::<Vec<_>>()
            .join(", "),
        (_, Some(Value::String(s))) => s.clone(),
        (_, Some(v)) => v.to_string(),
    }
}

impl Services {
    /// Takes the need `input` names from `organisation`'s answer to the
    /// survey; the existing one if it was taken before.
    pub async fn need_from_answer(
        &self,
        actor: &Actor,
        survey_id: Uuid,
        organisation: Uuid,
        input: &NeedFromAnswerInput,
    ) -> Result<NeedFromAnswer, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let (survey, _) = self.sent_to(survey_id, organisation).await?;
        let conn = self.store.conn();
        let answer = store::find_answer(conn, survey_id, organisation)
            .await?
            .ok_or(Error::NotFound)?;
        let question = input.question.trim();
        let Some(q) = survey.question(question) else {
            return Err(Error::Validation(vec![FieldError::new(
                "question",
                "question-unknown",
            )]));
        };
        if let Some(row) = msohub_store::work::need_from_answer(conn, answer.id, question).await? {
            return Ok(NeedFromAnswer {
                need: self.assemble_needs(vec![row]).await?.remove(0),
                created: false,
            });
        }
        let answers: Map<String, Value> = serde_json::from_str(&answer.answers).unwrap_or_default();
        let given = answer_text(&survey, question, &answers);
        if given.trim().is_empty() {
            return Err(Error::field("question", "not-answered"));
        }
        let description = match input.description.trim() {
            "" => format!(
                "{} (Umfrage „{}“): {given}",
                Survey::text(&q.text, "de").0,
                Survey::text(&survey.title, "de").0,
            ),
            own => own.to_owned(),
        };
        let mut row = self
            .validate_need(
                &NeedInput {
                    organisation_id: organisation.to_string(),
                    category: input.category.clone(),
                    description,
                    source: "survey".into(),
                    urgency: input.urgency.clone(),
                    status: "open".into(),
                    raised_on: crate::time::day_of(answer.updated_at).to_string(),
                    ..NeedInput::default()
                },
                None,
            )
            .await?;
        row.source_answer_id = Some(answer.id);
        row.source_question = question.to_owned();
        match self.insert_need(actor, row).await {
            Ok(need) => Ok(NeedFromAnswer {
                need,
                created: true,
            }),
            // Someone took it at the same moment: theirs stands.
            Err(e) => {
                match msohub_store::work::need_from_answer(conn, answer.id, question).await? {
                    Some(row) => Ok(NeedFromAnswer {
                        need: self.assemble_needs(vec![row]).await?.remove(0),
                        created: false,
                    }),
                    None => Err(e),
                }
            }
        }
    }
}
