//! Mailings: the messages of the office to persons, who may receive them
//! (persons, their `mailings` consents, their roles), and the messages in
//! the outbox that sending made (one per recipient: the delivery log).

use crate::Error;
use crate::entity::{affiliation, consent, mailing, outbox, person};
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub use crate::entity::mailing::Model as MailingRow;

/// Rows per INSERT (17 columns: far below both databases' limits on
/// bound values).
const CHUNK: usize = 500;

pub async fn insert_mailing(
    c: &impl ConnectionTrait,
    row: MailingRow,
) -> Result<MailingRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_mailing(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<MailingRow>, Error> {
    Ok(mailing::Entity::find_by_id(id).one(c).await?)
}

/// Writes `row` if the stored version is still `row.version`.
pub async fn update_mailing(
    c: &impl ConnectionTrait,
    row: MailingRow,
) -> Result<MailingRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

/// Every mailing not deleted, the newest first.
pub async fn list_mailings(c: &impl ConnectionTrait) -> Result<Vec<MailingRow>, Error> {
    Ok(mailing::Entity::find()
        .filter(mailing::Column::DeletedAt.is_null())
        .order_by_desc(mailing::Column::CreatedAt)
        .order_by_asc(mailing::Column::Id)
        .all(c)
        .await?)
}

/// The persons not deleted.
pub async fn live_persons(
    c: &impl ConnectionTrait,
) -> Result<Vec<crate::people::PersonRow>, Error> {
    Ok(person::Entity::find()
        .filter(person::Column::DeletedAt.is_null())
        .order_by_asc(person::Column::NameSort)
        .order_by_asc(person::Column::Id)
        .all(c)
        .await?)
}

/// Every consent record for `purpose` (active or not).
pub async fn consents_for(
    c: &impl ConnectionTrait,
    purpose: &str,
) -> Result<Vec<crate::people::ConsentRow>, Error> {
    Ok(consent::Entity::find()
        .filter(consent::Column::Purpose.eq(purpose))
        .all(c)
        .await?)
}

/// Every person's roles in organisations (current or not).
pub async fn all_affiliations(
    c: &impl ConnectionTrait,
) -> Result<Vec<crate::people::AffiliationRow>, Error> {
    Ok(affiliation::Entity::find().all(c).await?)
}

/// Queues many messages at once.
pub async fn enqueue_many(
    c: &impl ConnectionTrait,
    rows: Vec<crate::bodies::OutboxRow>,
) -> Result<(), Error> {
    for chunk in rows.chunks(CHUNK) {
        outbox::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(|r| r.into_active_model().reset_all()),
        )
        .exec_without_returning(c)
        .await?;
    }
    Ok(())
}

/// The messages of a mailing (test sends included), oldest first.
pub async fn messages_of_mailing(
    c: &impl ConnectionTrait,
    mailing_id: Uuid,
) -> Result<Vec<crate::bodies::OutboxRow>, Error> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::MailingId.eq(mailing_id))
        .order_by_asc(outbox::Column::CreatedAt)
        .order_by_asc(outbox::Column::Id)
        .all(c)
        .await?)
}

/// Per mailing and delivery status: how many messages to recipients
/// (test sends, which name no person, are not counted).
pub async fn delivery_counts(c: &impl ConnectionTrait) -> Result<Vec<(Uuid, String, i64)>, Error> {
    Ok(outbox::Entity::find()
        .select_only()
        .column(outbox::Column::MailingId)
        .column(outbox::Column::Status)
        .column_as(outbox::Column::Id.count(), "n")
        .filter(outbox::Column::MailingId.is_not_null())
        .filter(outbox::Column::PersonId.is_not_null())
        .group_by(outbox::Column::MailingId)
        .group_by(outbox::Column::Status)
        .into_tuple::<(Option<Uuid>, String, i64)>()
        .all(c)
        .await?
        .into_iter()
        .filter_map(|(m, s, n)| Some((m?, s, n)))
        .collect())
}

/// Ends a person's active consents for `purpose` today, saying how
/// (`source`); returns how many ended.
pub async fn withdraw_consents(
    c: &impl ConnectionTrait,
    person_id: Uuid,
    purpose: &str,
    on: NaiveDate,
    source: &str,
) -> Result<u64, Error> {
    let r = consent::Entity::update_many()
        .col_expr(consent::Column::WithdrawnOn, Expr::value(on))
        .col_expr(consent::Column::WithdrawnSource, Expr::value(source))
        .filter(consent::Column::PersonId.eq(person_id))
        .filter(consent::Column::Purpose.eq(purpose))
        .filter(consent::Column::WithdrawnOn.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected)
}

/// Gives up the mailings' messages to a person still waiting in the
/// outbox (the person unsubscribed); returns how many.
pub async fn give_up_mailings_to(
    c: &impl ConnectionTrait,
    person_id: Uuid,
    reason: &str,
) -> Result<u64, Error> {
    let r = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value("failed"))
        .col_expr(outbox::Column::LastError, Expr::value(reason))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(Utc::now()))
        .filter(outbox::Column::Status.eq("pending"))
        .filter(outbox::Column::MailingId.is_not_null())
        .filter(outbox::Column::PersonId.eq(person_id))
        .exec(c)
        .await?;
    Ok(r.rows_affected)
}

/// The mailings' messages to a person (a subject access request).
pub async fn messages_to(
    c: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<crate::bodies::OutboxRow>, Error> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::PersonId.eq(person_id))
        .filter(outbox::Column::MailingId.is_not_null())
        .order_by_asc(outbox::Column::CreatedAt)
        .all(c)
        .await?)
}
