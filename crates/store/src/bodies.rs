//! Bodies, memberships, meetings, agenda items, attendance and the outbox.

use crate::Error;
use crate::entity::{agenda_item, attendance, body, meeting, membership, outbox};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub use crate::entity::agenda_item::Model as AgendaItemRow;
pub use crate::entity::attendance::Model as AttendanceRow;
pub use crate::entity::body::Model as BodyRow;
pub use crate::entity::meeting::Model as MeetingRow;
pub use crate::entity::membership::Model as MembershipRow;
pub use crate::entity::outbox::Model as OutboxRow;

// --- bodies ------------------------------------------------------------------

pub async fn insert_body(c: &impl ConnectionTrait, row: BodyRow) -> Result<BodyRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_body(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<BodyRow>, Error> {
    Ok(body::Entity::find_by_id(id).one(c).await?)
}

pub async fn update_body(c: &impl ConnectionTrait, row: BodyRow) -> Result<BodyRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

pub async fn list_bodies(c: &impl ConnectionTrait, deleted: bool) -> Result<Vec<BodyRow>, Error> {
    let cond = if deleted {
        body::Column::DeletedAt.is_not_null()
    } else {
        body::Column::DeletedAt.is_null()
    };
    Ok(body::Entity::find()
        .filter(cond)
        .order_by_asc(body::Column::Name)
        .all(c)
        .await?)
}

pub async fn find_body_by_oparl_id(
    c: &impl ConnectionTrait,
    oparl_id: &str,
) -> Result<Option<BodyRow>, Error> {
    Ok(body::Entity::find()
        .filter(body::Column::OparlId.eq(oparl_id))
        .one(c)
        .await?)
}

pub async fn find_body_by_feed_hash(
    c: &impl ConnectionTrait,
    hash: &str,
) -> Result<Option<BodyRow>, Error> {
    Ok(body::Entity::find()
        .filter(body::Column::FeedSecretHash.eq(hash))
        .filter(body::Column::DeletedAt.is_null())
        .one(c)
        .await?)
}

// --- memberships -------------------------------------------------------------

pub async fn insert_membership(c: &impl ConnectionTrait, row: MembershipRow) -> Result<(), Error> {
    row.into_active_model().reset_all().insert(c).await?;
    Ok(())
}

pub async fn find_membership(
    c: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<MembershipRow>, Error> {
    Ok(membership::Entity::find_by_id(id).one(c).await?)
}

pub async fn update_membership(c: &impl ConnectionTrait, row: MembershipRow) -> Result<(), Error> {
    row.into_active_model().reset_all().update(c).await?;
    Ok(())
}

/// Holds the body until the transaction ends (a write that changes
/// nothing), so two membership changes of one body take turns and each
/// sees the other's result.
pub async fn lock_body(c: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    use sea_orm::sea_query::Expr;
    body::Entity::update_many()
        .col_expr(body::Column::Version, Expr::col(body::Column::Version))
        .filter(body::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

pub async fn delete_membership(c: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    membership::Entity::delete_by_id(id).exec(c).await?;
    Ok(())
}

pub async fn memberships_of_body(
    c: &impl ConnectionTrait,
    body_id: Uuid,
) -> Result<Vec<MembershipRow>, Error> {
    Ok(membership::Entity::find()
        .filter(membership::Column::BodyId.eq(body_id))
        .order_by_asc(membership::Column::CreatedAt)
        .all(c)
        .await?)
}

/// Memberships of a staff member (user) in any body.
pub async fn memberships_of_user(
    c: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<MembershipRow>, Error> {
    Ok(membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .all(c)
        .await?)
}

// --- meetings ----------------------------------------------------------------

pub async fn insert_meeting(
    c: &impl ConnectionTrait,
    row: MeetingRow,
) -> Result<MeetingRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_meeting(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<MeetingRow>, Error> {
    Ok(meeting::Entity::find_by_id(id).one(c).await?)
}

pub async fn update_meeting(
    c: &impl ConnectionTrait,
    row: MeetingRow,
) -> Result<MeetingRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

pub async fn find_meeting_by_oparl_id(
    c: &impl ConnectionTrait,
    oparl_id: &str,
) -> Result<Option<MeetingRow>, Error> {
    Ok(meeting::Entity::find()
        .filter(meeting::Column::OparlId.eq(oparl_id))
        .one(c)
        .await?)
}

#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    pub body: Option<Uuid>,
    pub statuses: Vec<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub deleted: bool,
    pub ascending: bool,
}

pub async fn list_meetings(
    c: &impl ConnectionTrait,
    f: &MeetingFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<MeetingRow>, u64), Error> {
    let q = meeting::Entity::find().filter(meeting_condition(f));
    let total = q.clone().count(c).await?;
    let q = if f.ascending {
        q.order_by_asc(meeting::Column::StartsAt)
    } else {
        q.order_by_desc(meeting::Column::StartsAt)
    };
    let rows = q
        .order_by_asc(meeting::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(c)
        .await?;
    Ok((rows, total))
}

/// The figures of the meetings that match, counted in the database at any
/// size: how many there are, at how many someone of the office attended
/// (present or guest), and how many organisations were represented.
pub async fn meeting_figures(
    c: &impl ConnectionTrait,
    f: &MeetingFilter,
) -> Result<(u64, u64, u64), Error> {
    use sea_orm::sea_query::{Expr, Func, Query};
    let meetings = meeting::Entity::find()
        .filter(meeting_condition(f))
        .count(c)
        .await?;
    let ids = Query::select()
        .column(meeting::Column::Id)
        .from(meeting::Entity)
        .cond_where(meeting_condition(f))
        .to_owned();
    let attended = Condition::all()
        .add(attendance::Column::MeetingId.in_subquery(ids))
        .add(attendance::Column::Status.is_in(["present", "guest"]));
    let distinct = |col: attendance::Column, extra: Condition| {
        attendance::Entity::find()
            .select_only()
            .column_as(Expr::expr(Func::count_distinct(Expr::col(col))), "n")
            .filter(attended.clone())
            .filter(extra)
            .into_tuple::<i64>()
    };
    let with_staff = distinct(
        attendance::Column::MeetingId,
        Condition::all().add(attendance::Column::UserId.is_not_null()),
    )
    .one(c)
    .await?
    .unwrap_or(0);
    let organisations = distinct(
        attendance::Column::OnBehalfOf,
        Condition::all().add(attendance::Column::OnBehalfOf.is_not_null()),
    )
    .one(c)
    .await?
    .unwrap_or(0);
    Ok((meetings, with_staff as u64, organisations as u64))
}

fn meeting_condition(f: &MeetingFilter) -> Condition {
    let mut cond = Condition::all();
    cond = if f.deleted {
        cond.add(meeting::Column::DeletedAt.is_not_null())
    } else {
        cond.add(meeting::Column::DeletedAt.is_null())
    };
    if let Some(b) = f.body {
        cond = cond.add(meeting::Column::BodyId.eq(b));
    }
    if !f.statuses.is_empty() {
        cond = cond.add(meeting::Column::Status.is_in(f.statuses.clone()));
    }
    if let Some(from) = f.from {
        cond = cond.add(meeting::Column::StartsAt.gte(from));
    }
    if let Some(to) = f.to {
        cond = cond.add(meeting::Column::StartsAt.lt(to));
    }
    cond
}

// --- agenda ------------------------------------------------------------------

pub async fn agenda_of(
    c: &impl ConnectionTrait,
    meeting_id: Uuid,
) -> Result<Vec<AgendaItemRow>, Error> {
    Ok(agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .order_by_asc(agenda_item::Column::Position)
        .all(c)
        .await?)
}

/// Replaces a meeting's agenda.
pub async fn set_agenda(
    c: &impl ConnectionTrait,
    meeting_id: Uuid,
    items: &[(String, String, Option<String>)],
) -> Result<(), Error> {
    agenda_item::Entity::delete_many()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .exec(c)
        .await?;
    if items.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    agenda_item::Entity::insert_many(items.iter().enumerate().map(
        |(i, (title, outcome, oparl))| agenda_item::ActiveModel {
            id: Set(Uuid::now_v7()),
            meeting_id: Set(meeting_id),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX) + 1),
            title: Set(title.clone()),
            outcome: Set(outcome.clone()),
            oparl_id: Set(oparl.clone()),
            created_at: Set(now),
        },
    ))
    .exec_without_returning(c)
    .await?;
    Ok(())
}

// --- attendance ----------------------------------------------------------------

pub async fn attendance_of(
    c: &impl ConnectionTrait,
    meeting_ids: &[Uuid],
) -> Result<Vec<AttendanceRow>, Error> {
    if meeting_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(attendance::Entity::find()
        .filter(attendance::Column::MeetingId.is_in(meeting_ids.to_vec()))
        .all(c)
        .await?)
}

/// Replaces a meeting's attendance list.
pub async fn set_attendance(
    c: &impl ConnectionTrait,
    meeting_id: Uuid,
    rows: Vec<AttendanceRow>,
) -> Result<(), Error> {
    attendance::Entity::delete_many()
        .filter(attendance::Column::MeetingId.eq(meeting_id))
        .exec(c)
        .await?;
    if rows.is_empty() {
        return Ok(());
    }
    attendance::Entity::insert_many(rows.into_iter().map(|r| r.into_active_model().reset_all()))
        .exec_without_returning(c)
        .await?;
    Ok(())
}

// --- outbox ------------------------------------------------------------------

/// A message due now, about nothing in particular (callers set what it
/// belongs to).
pub fn message(to: &str, subject: &str, text: &str) -> OutboxRow {
    let now = Utc::now();
    OutboxRow {
        id: Uuid::now_v7(),
        meeting_id: None,
        to_address: to.to_owned(),
        subject: subject.to_owned(),
        body_text: text.to_owned(),
        ics: String::new(),
        status: "pending".into(),
        attempts: 0,
        last_error: String::new(),
        next_attempt_at: now,
        sent_at: None,
        created_at: now,
        survey_id: None,
        mailing_id: None,
        person_id: None,
        unsubscribe_url: String::new(),
        language: String::new(),
    }
}

pub async fn enqueue(c: &impl ConnectionTrait, row: OutboxRow) -> Result<(), Error> {
    row.into_active_model().reset_all().insert(c).await?;
    Ok(())
}

/// Messages due to be sent now, oldest first.
pub async fn due_messages(
    c: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<OutboxRow>, Error> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Status.eq("pending"))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbox::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?)
}

/// Claims a message for sending (another node may try at the same time):
/// true when this caller got it.
pub async fn claim_message(
    c: &impl ConnectionTrait,
    id: Uuid,
    attempts: i32,
    until: DateTime<Utc>,
) -> Result<bool, Error> {
    let r = outbox::Entity::update_many()
        .col_expr(outbox::Column::Attempts, (attempts + 1).into())
        .col_expr(outbox::Column::NextAttemptAt, until.into())
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Attempts.eq(attempts))
        .filter(outbox::Column::Status.eq("pending"))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Renews the claim on a message this caller is sending (`attempts` as the
/// claim left it); false when the claim was lost.
pub async fn extend_claim(
    c: &impl ConnectionTrait,
    id: Uuid,
    attempts: i32,
    until: DateTime<Utc>,
) -> Result<bool, Error> {
    let r = outbox::Entity::update_many()
        .col_expr(outbox::Column::NextAttemptAt, until.into())
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Attempts.eq(attempts))
        .filter(outbox::Column::Status.eq("pending"))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn mark_message(
    c: &impl ConnectionTrait,
    id: Uuid,
    status: &str,
    error: &str,
    next_attempt_at: DateTime<Utc>,
) -> Result<(), Error> {
    let sent_at: Option<DateTime<Utc>> = (status == "sent").then(Utc::now);
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, status.into())
        .col_expr(outbox::Column::LastError, error.into())
        .col_expr(outbox::Column::NextAttemptAt, next_attempt_at.into())
        .col_expr(outbox::Column::SentAt, sent_at.into())
        .filter(outbox::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

pub async fn messages_of_meeting(
    c: &impl ConnectionTrait,
    meeting_id: Uuid,
) -> Result<Vec<OutboxRow>, Error> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::MeetingId.eq(meeting_id))
        .order_by_desc(outbox::Column::CreatedAt)
        .all(c)
        .await?)
}

/// The e-mails of a survey (invitations and reminders), newest first.
pub async fn messages_of_survey(
    c: &impl ConnectionTrait,
    survey_id: Uuid,
) -> Result<Vec<OutboxRow>, Error> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::SurveyId.eq(survey_id))
        .order_by_desc(outbox::Column::CreatedAt)
        .all(c)
        .await?)
}

/// Meetings whose title contains every word of `text`, newest first (the
/// staff area's search box).
pub async fn search_meetings(
    c: &impl ConnectionTrait,
    text: &str,
    limit: u64,
) -> Result<Vec<MeetingRow>, Error> {
    Ok(meeting::Entity::find()
        .filter(meeting::Column::DeletedAt.is_null())
        .filter(crate::organisations::contains_words(
            meeting::Column::Title,
            text,
        ))
        .order_by_desc(meeting::Column::StartsAt)
        .limit(limit)
        .all(c)
        .await?)
}
