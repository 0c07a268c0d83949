//! Needs surveys: the questionnaires, who they were sent to, and the
//! organisations' answers (one per organisation and survey).

use crate::Error;
use crate::entity::{survey, survey_answer, survey_recipient};
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

pub use crate::entity::survey::Model as SurveyRow;
pub use crate::entity::survey_answer::Model as AnswerRow;
pub use crate::entity::survey_recipient::Model as RecipientRow;

pub async fn insert_survey(c: &impl ConnectionTrait, row: SurveyRow) -> Result<SurveyRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_survey(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<SurveyRow>, Error> {
    Ok(survey::Entity::find_by_id(id).one(c).await?)
}

/// Writes `row` if the stored version is still `row.version`.
pub async fn update_survey(c: &impl ConnectionTrait, row: SurveyRow) -> Result<SurveyRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

/// Every survey not deleted, the newest first.
pub async fn list_surveys(c: &impl ConnectionTrait) -> Result<Vec<SurveyRow>, Error> {
    Ok(survey::Entity::find()
        .filter(survey::Column::DeletedAt.is_null())
        .order_by_desc(survey::Column::CreatedAt)
        .order_by_asc(survey::Column::Id)
        .all(c)
        .await?)
}

/// The sent, not deleted surveys that went to any of `organisations`.
pub async fn surveys_sent_to(
    c: &impl ConnectionTrait,
    organisations: &[Uuid],
) -> Result<Vec<(SurveyRow, Uuid)>, Error> {
    if organisations.is_empty() {
        return Ok(Vec::new());
    }
    let recipients = survey_recipient::Entity::find()
        .filter(survey_recipient::Column::OrganisationId.is_in(organisations.to_vec()))
        .all(c)
        .await?;
    let ids: Vec<Uuid> = recipients.iter().map(|r| r.survey_id).collect();
    let surveys = survey::Entity::find()
        .filter(survey::Column::Id.is_in(ids))
        .filter(survey::Column::DeletedAt.is_null())
        .filter(survey::Column::SentAt.is_not_null())
        .order_by_desc(survey::Column::SentAt)
        .all(c)
        .await?;
    let mut out = Vec::new();
    for s in surveys {
        for r in recipients.iter().filter(|r| r.survey_id == s.id) {
            out.push((s.clone(), r.organisation_id));
        }
    }
    Ok(out)
}

/// Adds recipients (those already there keep their row).
pub async fn add_recipients(
    c: &impl ConnectionTrait,
    survey_id: Uuid,
    organisations: &[Uuid],
) -> Result<u64, Error> {
    let now = Utc::now();
    let mut added = 0;
    for chunk in organisations.chunks(100) {
        let rows = chunk.iter().map(|o| {
            RecipientRow {
                survey_id,
                organisation_id: *o,
                invited_at: now,
                reminded: 0,
                reminded_at: None,
                link_generation: 0,
                mailed_at: None,
            }
            .into_active_model()
        });
        added += survey_recipient::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    survey_recipient::Column::SurveyId,
                    survey_recipient::Column::OrganisationId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(c)
            .await?;
    }
    Ok(added)
}

pub async fn recipients(
    c: &impl ConnectionTrait,
    survey_id: Uuid,
) -> Result<Vec<RecipientRow>, Error> {
    Ok(survey_recipient::Entity::find()
        .filter(survey_recipient::Column::SurveyId.eq(survey_id))
        .all(c)
        .await?)
}

pub async fn is_recipient(
    c: &impl ConnectionTrait,
    survey_id: Uuid,
    organisation_id: Uuid,
) -> Result<bool, Error> {
    Ok(
        survey_recipient::Entity::find_by_id((survey_id, organisation_id))
            .one(c)
            .await?
            .is_some(),
    )
}

pub async fn answers(c: &impl ConnectionTrait, survey_id: Uuid) -> Result<Vec<AnswerRow>, Error> {
    Ok(survey_answer::Entity::find()
        .filter(survey_answer::Column::SurveyId.eq(survey_id))
        .all(c)
        .await?)
}

pub async fn find_answer(
    c: &impl ConnectionTrait,
    survey_id: Uuid,
    organisation_id: Uuid,
) -> Result<Option<AnswerRow>, Error> {
    Ok(survey_answer::Entity::find()
        .filter(survey_answer::Column::SurveyId.eq(survey_id))
        .filter(survey_answer::Column::OrganisationId.eq(organisation_id))
        .one(c)
        .await?)
}

/// Stores an organisation's answer: the first one when `row.version` is 0
/// (a second first answer is [`Error::Stale`]), else a replacement of the
/// answer at `row.version`. Returns the row as stored.
pub async fn put_answer(c: &impl ConnectionTrait, mut row: AnswerRow) -> Result<AnswerRow, Error> {
    let expected = row.version;
    row.version = expected.checked_add(1).ok_or(Error::Stale)?;
    row.updated_at = Utc::now();
    if expected == 0 {
        row.created_at = row.updated_at;
        let inserted = survey_answer::Entity::insert(row.clone().into_active_model().reset_all())
            .on_conflict(
                OnConflict::columns([
                    survey_answer::Column::SurveyId,
                    survey_answer::Column::OrganisationId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(c)
            .await?;
        return if inserted == 1 {
            Ok(row)
        } else {
            Err(Error::Stale)
        };
    }
    let updated = survey_answer::Entity::update_many()
        .col_expr(
            survey_answer::Column::Answers,
            sea_orm::sea_query::Expr::value(row.answers.clone()),
        )
        .col_expr(
            survey_answer::Column::PersonId,
            sea_orm::sea_query::Expr::value(row.person_id),
        )
        .col_expr(
            survey_answer::Column::Version,
            sea_orm::sea_query::Expr::value(row.version),
        )
        .col_expr(
            survey_answer::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(row.updated_at),
        )
        .filter(survey_answer::Column::SurveyId.eq(row.survey_id))
        .filter(survey_answer::Column::OrganisationId.eq(row.organisation_id))
        .filter(survey_answer::Column::Version.eq(expected))
        .exec(c)
        .await?;
    if updated.rows_affected == 1 {
        Ok(row)
    } else {
        Err(Error::Stale)
    }
}

pub async fn find_recipient(
    c: &impl ConnectionTrait,
    survey_id: Uuid,
    organisation_id: Uuid,
) -> Result<Option<RecipientRow>, Error> {
    Ok(
        survey_recipient::Entity::find_by_id((survey_id, organisation_id))
            .one(c)
            .await?,
    )
}

/// Replaces an organisation's personal link: the earlier one stops
/// working. Returns the new generation (`None`: not a recipient).
pub async fn next_link_generation(
    c: &impl ConnectionTrait,
    survey_id: Uuid,
    organisation_id: Uuid,
) -> Result<Option<i32>, Error> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let done = survey_recipient::Entity::update_many()
        .col_expr(
            survey_recipient::Column::LinkGeneration,
            Expr::col(survey_recipient::Column::LinkGeneration).add(1),
        )
        .filter(survey_recipient::Column::SurveyId.eq(survey_id))
        .filter(survey_recipient::Column::OrganisationId.eq(organisation_id))
        .exec(c)
        .await?;
    if done.rows_affected == 0 {
        return Ok(None);
    }
    Ok(find_recipient(c, survey_id, organisation_id)
        .await?
        .map(|r| r.link_generation))
}

/// Notes that the invitation went out (`reminder`: a reminder, counted).
pub async fn mark_mailed(
    c: &impl ConnectionTrait,
    survey_id: Uuid,
    organisation_id: Uuid,
    reminder: bool,
) -> Result<(), Error> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let now = Utc::now();
    let update = survey_recipient::Entity::update_many()
        .filter(survey_recipient::Column::SurveyId.eq(survey_id))
        .filter(survey_recipient::Column::OrganisationId.eq(organisation_id));
    let update = if reminder {
        update
            .col_expr(
                survey_recipient::Column::Reminded,
                Expr::col(survey_recipient::Column::Reminded).add(1),
            )
            .col_expr(survey_recipient::Column::RemindedAt, Expr::value(now))
    } else {
        update.col_expr(survey_recipient::Column::MailedAt, Expr::value(now))
    };
    update.exec(c).await?;
    Ok(())
}

pub async fn answers_by_id(
    c: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<AnswerRow>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(survey_answer::Entity::find()
        .filter(survey_answer::Column::Id.is_in(ids.to_vec()))
        .all(c)
        .await?)
}
