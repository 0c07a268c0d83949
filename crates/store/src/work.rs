//! The work log: interactions with their participants, needs, tasks,
//! attachments and calendar-feed tokens.

use crate::Error;
use crate::entity::{
    attachment, calendar_token, interaction, interaction_organisation, interaction_person,
    interaction_staff, need, task,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

pub use crate::entity::attachment::Model as AttachmentRow;
pub use crate::entity::interaction::Model as InteractionRow;
pub use crate::entity::need::Model as NeedRow;
pub use crate::entity::task::Model as TaskRow;

// --- interactions ----------------------------------------------------------

pub async fn insert_interaction(
    c: &impl ConnectionTrait,
    row: InteractionRow,
) -> Result<InteractionRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_interaction(
    c: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<InteractionRow>, Error> {
    Ok(interaction::Entity::find_by_id(id).one(c).await?)
}

pub async fn update_interaction(
    c: &impl ConnectionTrait,
    row: InteractionRow,
) -> Result<InteractionRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

/// Who took part: organisations, persons, staff (user ids).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Participants {
    pub organisations: Vec<Uuid>,
    pub persons: Vec<Uuid>,
    pub staff: Vec<Uuid>,
}

/// Replaces the participants of an interaction.
pub async fn set_participants(
    c: &impl ConnectionTrait,
    id: Uuid,
    p: &Participants,
) -> Result<(), Error> {
    interaction_organisation::Entity::delete_many()
        .filter(interaction_organisation::Column::InteractionId.eq(id))
        .exec(c)
        .await?;
    interaction_person::Entity::delete_many()
        .filter(interaction_person::Column::InteractionId.eq(id))
        .exec(c)
        .await?;
    interaction_staff::Entity::delete_many()
        .filter(interaction_staff::Column::InteractionId.eq(id))
        .exec(c)
        .await?;
    if !p.organisations.is_empty() {
        interaction_organisation::Entity::insert_many(p.organisations.iter().map(|o| {
            interaction_organisation::ActiveModel {
                interaction_id: Set(id),
                organisation_id: Set(*o),
            }
        }))
        .exec_without_returning(c)
        .await?;
    }
    if !p.persons.is_empty() {
        interaction_person::Entity::insert_many(p.persons.iter().map(|o| {
            interaction_person::ActiveModel {
                interaction_id: Set(id),
                person_id: Set(*o),
            }
        }))
        .exec_without_returning(c)
        .await?;
    }
    if !p.staff.is_empty() {
        interaction_staff::Entity::insert_many(p.staff.iter().map(|o| {
            interaction_staff::ActiveModel {
                interaction_id: Set(id),
                user_id: Set(*o),
            }
        }))
        .exec_without_returning(c)
        .await?;
    }
    Ok(())
}

/// The participants of each of `ids`.
pub async fn participants_of(
    c: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Participants>, Error> {
    let mut out: HashMap<Uuid, Participants> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for r in interaction_organisation::Entity::find()
        .filter(interaction_organisation::Column::InteractionId.is_in(ids.to_vec()))
        .all(c)
        .await?
    {
        out.entry(r.interaction_id)
            .or_default()
            .organisations
            .push(r.organisation_id);
    }
    for r in interaction_person::Entity::find()
        .filter(interaction_person::Column::InteractionId.is_in(ids.to_vec()))
        .all(c)
        .await?
    {
        out.entry(r.interaction_id)
            .or_default()
            .persons
            .push(r.person_id);
    }
    for r in interaction_staff::Entity::find()
        .filter(interaction_staff::Column::InteractionId.is_in(ids.to_vec()))
        .all(c)
        .await?
    {
        out.entry(r.interaction_id)
            .or_default()
            .staff
            .push(r.user_id);
    }
    Ok(out)
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct InteractionFilter {
    pub organisation: Option<Uuid>,
    pub person: Option<Uuid>,
    pub staff: Option<Uuid>,
    pub statuses: Vec<String>,
    pub kinds: Vec<String>,
    /// Only interactions with an organisation of one of these kinds.
    pub organisation_kinds: Vec<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub deleted: bool,
    /// Oldest first (upcoming lists) instead of newest first.
    pub ascending: bool,
}

/// How many interactions match: one `COUNT` in the database, at any size.
pub async fn count_interactions(
    c: &impl ConnectionTrait,
    f: &InteractionFilter,
) -> Result<u64, Error> {
    Ok(interaction::Entity::find()
        .filter(interaction_condition(f))
        .count(c)
        .await?)
}

pub async fn list_interactions(
    c: &impl ConnectionTrait,
    f: &InteractionFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<InteractionRow>, u64), Error> {
    let q = interaction::Entity::find().filter(interaction_condition(f));
    let total = q.clone().count(c).await?;
    let q = if f.ascending {
        q.order_by_asc(interaction::Column::StartsAt)
    } else {
        q.order_by_desc(interaction::Column::StartsAt)
    };
    let rows = q
        .order_by_asc(interaction::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(c)
        .await?;
    Ok((rows, total))
}

fn interaction_condition(f: &InteractionFilter) -> Condition {
    let mut cond = Condition::all();
    cond = if f.deleted {
        cond.add(interaction::Column::DeletedAt.is_not_null())
    } else {
        cond.add(interaction::Column::DeletedAt.is_null())
    };
    if let Some(o) = f.organisation {
        cond = cond.add(
            interaction::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(interaction_organisation::Column::InteractionId)
                    .from(interaction_organisation::Entity)
                    .and_where(interaction_organisation::Column::OrganisationId.eq(o))
                    .to_owned(),
            ),
        );
    }
    if let Some(p) = f.person {
        cond = cond.add(
            interaction::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(interaction_person::Column::InteractionId)
                    .from(interaction_person::Entity)
                    .and_where(interaction_person::Column::PersonId.eq(p))
                    .to_owned(),
            ),
        );
    }
    if let Some(s) = f.staff {
        cond = cond.add(
            interaction::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(interaction_staff::Column::InteractionId)
                    .from(interaction_staff::Entity)
                    .and_where(interaction_staff::Column::UserId.eq(s))
                    .to_owned(),
            ),
        );
    }
    if !f.statuses.is_empty() {
        cond = cond.add(interaction::Column::Status.is_in(f.statuses.clone()));
    }
    if !f.kinds.is_empty() {
        cond = cond.add(interaction::Column::Kind.is_in(f.kinds.clone()));
    }
    if let Some(from) = f.from {
        cond = cond.add(interaction::Column::StartsAt.gte(from));
    }
    if let Some(to) = f.to {
        cond = cond.add(interaction::Column::StartsAt.lt(to));
    }
    if !f.organisation_kinds.is_empty() {
        cond = cond.add(
            interaction::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(interaction_organisation::Column::InteractionId)
                    .from(interaction_organisation::Entity)
                    .and_where(
                        interaction_organisation::Column::OrganisationId
                            .in_subquery(crate::organisations::of_kinds(&f.organisation_kinds)),
                    )
                    .to_owned(),
            ),
        );
    }
    cond
}

/// For each organisation, when the last held interaction with it was.
pub async fn last_held_contact(
    c: &impl ConnectionTrait,
) -> Result<HashMap<Uuid, DateTime<Utc>>, Error> {
    let rows: Vec<(Uuid, Option<DateTime<Utc>>)> = interaction_organisation::Entity::find()
        .select_only()
        .column(interaction_organisation::Column::OrganisationId)
        .column_as(interaction::Column::StartsAt.max(), "last")
        .inner_join(interaction::Entity)
        .filter(interaction::Column::Status.eq("held"))
        .filter(interaction::Column::DeletedAt.is_null())
        .group_by(interaction_organisation::Column::OrganisationId)
        .into_tuple()
        .all(c)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(org, at)| Some((org, at?)))
        .collect())
}

/// Moves an organisation's interactions and needs to another (merge).
pub async fn move_organisation(
    c: &impl ConnectionTrait,
    from: Uuid,
    to: Uuid,
) -> Result<(), Error> {
    let already: Vec<Uuid> = interaction_organisation::Entity::find()
        .select_only()
        .column(interaction_organisation::Column::InteractionId)
        .filter(interaction_organisation::Column::OrganisationId.eq(to))
        .into_tuple()
        .all(c)
        .await?;
    interaction_organisation::Entity::delete_many()
        .filter(interaction_organisation::Column::OrganisationId.eq(from))
        .filter(interaction_organisation::Column::InteractionId.is_in(already))
        .exec(c)
        .await?;
    interaction_organisation::Entity::update_many()
        .col_expr(interaction_organisation::Column::OrganisationId, to.into())
        .filter(interaction_organisation::Column::OrganisationId.eq(from))
        .exec(c)
        .await?;
    need::Entity::update_many()
        .col_expr(need::Column::OrganisationId, to.into())
        .filter(need::Column::OrganisationId.eq(from))
        .exec(c)
        .await?;
    task::Entity::update_many()
        .col_expr(task::Column::LinkId, to.into())
        .filter(task::Column::LinkType.eq("organisation"))
        .filter(task::Column::LinkId.eq(from))
        .exec(c)
        .await?;
    Ok(())
}

// --- needs -----------------------------------------------------------------

pub async fn insert_need(c: &impl ConnectionTrait, row: NeedRow) -> Result<NeedRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_need(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<NeedRow>, Error> {
    Ok(need::Entity::find_by_id(id).one(c).await?)
}

pub async fn update_need(c: &impl ConnectionTrait, row: NeedRow) -> Result<NeedRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

#[derive(Debug, Clone, Default)]
pub struct NeedFilter {
    pub organisation: Option<Uuid>,
    pub categories: Vec<String>,
    pub statuses: Vec<String>,
    /// Where the need came from (interaction, meeting, survey, portal, other).
    pub sources: Vec<String>,
    pub deleted: bool,
    /// Raised on or after / on or before these days.
    pub raised_from: Option<chrono::NaiveDate>,
    pub raised_to: Option<chrono::NaiveDate>,
    /// Resolved on or after / on or before these days.
    pub resolved_from: Option<chrono::NaiveDate>,
    pub resolved_to: Option<chrono::NaiveDate>,
}

fn need_condition(f: &NeedFilter) -> Condition {
    let mut cond = Condition::all();
    cond = if f.deleted {
        cond.add(need::Column::DeletedAt.is_not_null())
    } else {
        cond.add(need::Column::DeletedAt.is_null())
    };
    if let Some(o) = f.organisation {
        cond = cond.add(need::Column::OrganisationId.eq(o));
    }
    if !f.categories.is_empty() {
        cond = cond.add(need::Column::Category.is_in(f.categories.clone()));
    }
    if !f.statuses.is_empty() {
        cond = cond.add(need::Column::Status.is_in(f.statuses.clone()));
    }
    if !f.sources.is_empty() {
        cond = cond.add(need::Column::Source.is_in(f.sources.clone()));
    }
    if let Some(d) = f.raised_from {
        cond = cond.add(need::Column::RaisedOn.gte(d));
    }
    if let Some(d) = f.raised_to {
        cond = cond.add(need::Column::RaisedOn.lte(d));
    }
    if let Some(d) = f.resolved_from {
        cond = cond.add(need::Column::ResolvedOn.gte(d));
    }
    if let Some(d) = f.resolved_to {
        cond = cond.add(need::Column::ResolvedOn.lte(d));
    }
    cond
}

/// How many needs match: one `COUNT` in the database, at any size.
pub async fn count_needs(c: &impl ConnectionTrait, f: &NeedFilter) -> Result<u64, Error> {
    Ok(need::Entity::find()
        .filter(need_condition(f))
        .count(c)
        .await?)
}

pub async fn list_needs(
    c: &impl ConnectionTrait,
    f: &NeedFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<NeedRow>, u64), Error> {
    let cond = need_condition(f);
    let q = need::Entity::find().filter(cond);
    let total = q.clone().count(c).await?;
    let rows = q
        .order_by_desc(need::Column::CreatedAt)
        .order_by_asc(need::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(c)
        .await?;
    Ok((rows, total))
}

pub async fn needs_from_interaction(
    c: &impl ConnectionTrait,
    interaction: Uuid,
) -> Result<Vec<NeedRow>, Error> {
    Ok(need::Entity::find()
        .filter(need::Column::SourceInteractionId.eq(interaction))
        .filter(need::Column::DeletedAt.is_null())
        .order_by_asc(need::Column::CreatedAt)
        .all(c)
        .await?)
}

/// The need taken from a survey answer's question, if any (deleted too).
pub async fn need_from_answer(
    c: &impl ConnectionTrait,
    answer: Uuid,
    question: &str,
) -> Result<Option<NeedRow>, Error> {
    Ok(need::Entity::find()
        .filter(need::Column::SourceAnswerId.eq(answer))
        .filter(need::Column::SourceQuestion.eq(question))
        .one(c)
        .await?)
}

/// The needs taken from a survey's answers (live ones).
pub async fn needs_from_answers(
    c: &impl ConnectionTrait,
    answers: &[Uuid],
) -> Result<Vec<NeedRow>, Error> {
    if answers.is_empty() {
        return Ok(Vec::new());
    }
    Ok(need::Entity::find()
        .filter(need::Column::SourceAnswerId.is_in(answers.to_vec()))
        .filter(need::Column::DeletedAt.is_null())
        .all(c)
        .await?)
}

/// (category, status, count) over all live needs.
pub async fn need_counts(c: &impl ConnectionTrait) -> Result<Vec<(String, String, i64)>, Error> {
    Ok(need::Entity::find()
        .select_only()
        .column(need::Column::Category)
        .column(need::Column::Status)
        .column_as(need::Column::Id.count(), "n")
        .filter(need::Column::DeletedAt.is_null())
        .group_by(need::Column::Category)
        .group_by(need::Column::Status)
        .into_tuple()
        .all(c)
        .await?)
}

// --- tasks -----------------------------------------------------------------

pub async fn insert_task(c: &impl ConnectionTrait, row: TaskRow) -> Result<TaskRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_task(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<TaskRow>, Error> {
    Ok(task::Entity::find_by_id(id).one(c).await?)
}

pub async fn update_task(c: &impl ConnectionTrait, row: TaskRow) -> Result<TaskRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub assignee: Option<Uuid>,
    /// Open tasks only (not done).
    pub open: bool,
    /// Done tasks only.
    pub done: bool,
    pub due_before: Option<NaiveDate>,
    pub due_from: Option<NaiveDate>,
    pub link: Option<(String, Uuid)>,
    /// Tasks linked to any of these (type, ids).
    pub links: Vec<(String, Vec<Uuid>)>,
}

pub async fn list_tasks(
    c: &impl ConnectionTrait,
    f: &TaskFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<TaskRow>, u64), Error> {
    let mut cond = Condition::all().add(task::Column::DeletedAt.is_null());
    if let Some(a) = f.assignee {
        cond = cond.add(task::Column::AssigneeId.eq(a));
    }
    if f.open {
        cond = cond.add(task::Column::DoneAt.is_null());
    }
    if f.done {
        cond = cond.add(task::Column::DoneAt.is_not_null());
    }
    if let Some(d) = f.due_before {
        cond = cond.add(task::Column::DueOn.lt(d));
    }
    if let Some(d) = f.due_from {
        cond = cond.add(task::Column::DueOn.gte(d));
    }
    if let Some((t, id)) = &f.link {
        cond = cond
            .add(task::Column::LinkType.eq(t.clone()))
            .add(task::Column::LinkId.eq(*id));
    }
    if !f.links.is_empty() {
        let mut any = Condition::any();
        for (t, ids) in &f.links {
            if !ids.is_empty() {
                any = any.add(
                    Condition::all()
                        .add(task::Column::LinkType.eq(t.clone()))
                        .add(task::Column::LinkId.is_in(ids.clone())),
                );
            }
        }
        cond = cond.add(any);
    }
    let q = task::Entity::find().filter(cond);
    let total = q.clone().count(c).await?;
    let rows = q
        .order_by_asc(task::Column::DueOn)
        .order_by_asc(task::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(c)
        .await?;
    Ok((rows, total))
}

// --- attachments -------------------------------------------------------------

pub async fn insert_attachment(
    c: &impl ConnectionTrait,
    owner_type: &str,
    owner_id: Uuid,
    file_id: Uuid,
    created_by: Option<Uuid>,
) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    attachment::Entity::insert(attachment::ActiveModel {
        id: Set(id),
        owner_type: Set(owner_type.to_owned()),
        owner_id: Set(owner_id),
        file_id: Set(file_id),
        created_by: Set(created_by),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(c)
    .await?;
    Ok(id)
}

/// The attachments of a record with their files' metadata (no bytes).
pub async fn attachments_of(
    c: &impl ConnectionTrait,
    owner_type: &str,
    owner_id: Uuid,
) -> Result<Vec<(AttachmentRow, crate::files::FileInfo)>, Error> {
    let rows = attachment::Entity::find()
        .filter(attachment::Column::OwnerType.eq(owner_type))
        .filter(attachment::Column::OwnerId.eq(owner_id))
        .order_by_asc(attachment::Column::CreatedAt)
        .all(c)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        if let Some(info) = crate::files::info(c, r.file_id).await? {
            out.push((r, info));
        }
    }
    Ok(out)
}

pub async fn find_attachment(
    c: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<AttachmentRow>, Error> {
    Ok(attachment::Entity::find_by_id(id).one(c).await?)
}

pub async fn delete_attachment(c: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    attachment::Entity::delete_by_id(id).exec(c).await?;
    Ok(())
}

// --- calendar tokens ---------------------------------------------------------

pub async fn insert_calendar_token(
    c: &impl ConnectionTrait,
    user_id: Uuid,
    token_hash: &str,
) -> Result<(), Error> {
    calendar_token::Entity::insert(calendar_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        token_hash: Set(token_hash.to_owned()),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// Revokes every live token of a user.
pub async fn revoke_calendar_tokens(c: &impl ConnectionTrait, user_id: Uuid) -> Result<(), Error> {
    calendar_token::Entity::update_many()
        .col_expr(calendar_token::Column::RevokedAt, Utc::now().into())
        .filter(calendar_token::Column::UserId.eq(user_id))
        .filter(calendar_token::Column::RevokedAt.is_null())
        .exec(c)
        .await?;
    Ok(())
}

/// The user a live token belongs to.
pub async fn calendar_token_user(
    c: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<Uuid>, Error> {
    Ok(calendar_token::Entity::find()
        .filter(calendar_token::Column::TokenHash.eq(token_hash))
        .filter(calendar_token::Column::RevokedAt.is_null())
        .one(c)
        .await?
        .map(|t| t.user_id))
}

/// Whether a user has a live token.
pub async fn has_calendar_token(c: &impl ConnectionTrait, user_id: Uuid) -> Result<bool, Error> {
    Ok(calendar_token::Entity::find()
        .filter(calendar_token::Column::UserId.eq(user_id))
        .filter(calendar_token::Column::RevokedAt.is_null())
        .count(c)
        .await?
        > 0)
}

/// Contacts whose subject contains every word of `text`, newest first (the
/// staff area's search box).
pub async fn search_interactions(
    c: &impl ConnectionTrait,
    text: &str,
    limit: u64,
) -> Result<Vec<InteractionRow>, Error> {
    Ok(interaction::Entity::find()
        .filter(interaction::Column::DeletedAt.is_null())
        .filter(crate::organisations::contains_words(
            interaction::Column::Subject,
            text,
        ))
        .order_by_desc(interaction::Column::StartsAt)
        .limit(limit)
        .all(c)
        .await?)
}
