//! Events and their organisers.

use crate::Error;
use crate::entity::{event, event_organiser};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub use crate::entity::event::Model as EventRow;

#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub statuses: Vec<String>,
    pub organisation: Option<Uuid>,
    pub category: Option<String>,
    pub public: Option<bool>,
    /// Starts at or after.
    pub from: Option<DateTime<Utc>>,
    /// Starts before.
    pub to: Option<DateTime<Utc>>,
    /// In the title.
    pub text: Option<String>,
    pub deleted: bool,
    pub ascending: bool,
    /// Only events organised by an organisation of one of these kinds.
    pub organisation_kinds: Vec<String>,
}

pub async fn insert_event(c: &impl ConnectionTrait, row: EventRow) -> Result<EventRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_event(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<EventRow>, Error> {
    Ok(event::Entity::find_by_id(id).one(c).await?)
}

pub async fn update_event(c: &impl ConnectionTrait, row: EventRow) -> Result<EventRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

pub async fn list_events(
    c: &impl ConnectionTrait,
    f: &EventFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<EventRow>, u64), Error> {
    let mut cond = Condition::all().add(if f.deleted {
        event::Column::DeletedAt.is_not_null()
    } else {
        event::Column::DeletedAt.is_null()
    });
    if !f.statuses.is_empty() {
        cond = cond.add(event::Column::Status.is_in(f.statuses.clone()));
    }
    if let Some(cat) = &f.category {
        cond = cond.add(event::Column::Category.eq(cat.clone()));
    }
    if let Some(p) = f.public {
        cond = cond.add(event::Column::IsPublic.eq(p));
    }
    if let Some(from) = f.from {
        cond = cond.add(event::Column::StartsAt.gte(from));
    }
    if let Some(to) = f.to {
        cond = cond.add(event::Column::StartsAt.lt(to));
    }
    if let Some(t) = f.text.as_deref().filter(|t| !t.trim().is_empty()) {
        let like = format!("%{}%", crate::organisations::like_escape(t.trim()));
        cond = cond.add(sea_orm::sea_query::ExprTrait::like(
            sea_orm::sea_query::Func::lower(sea_orm::sea_query::Expr::col(event::Column::Title)),
            sea_orm::sea_query::LikeExpr::new(like.to_lowercase()).escape('\\'),
        ));
    }
    if let Some(o) = f.organisation {
        let ids: Vec<Uuid> = event_organiser::Entity::find()
            .select_only()
            .column(event_organiser::Column::EventId)
            .filter(event_organiser::Column::OrganisationId.eq(o))
            .into_tuple()
            .all(c)
            .await?;
        cond = cond.add(event::Column::Id.is_in(ids));
    }
    if !f.organisation_kinds.is_empty() {
        use sea_orm::sea_query::Query;
        cond = cond.add(
            event::Column::Id.in_subquery(
                Query::select()
                    .column(event_organiser::Column::EventId)
                    .from(event_organiser::Entity)
                    .and_where(
                        event_organiser::Column::OrganisationId
                            .in_subquery(crate::organisations::of_kinds(&f.organisation_kinds)),
                    )
                    .to_owned(),
            ),
        );
    }
    let q = event::Entity::find().filter(cond);
    let total = q.clone().count(c).await?;
    let q = if f.ascending {
        q.order_by_asc(event::Column::StartsAt)
    } else {
        q.order_by_desc(event::Column::StartsAt)
    };
    let rows = q
        .order_by_asc(event::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(c)
        .await?;
    Ok((rows, total))
}

/// The organisers of these events, in order: (event, organisation).
pub async fn organisers_of(
    c: &impl ConnectionTrait,
    events: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, Error> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let rows = event_organiser::Entity::find()
        .filter(event_organiser::Column::EventId.is_in(events.iter().copied()))
        .order_by_asc(event_organiser::Column::Position)
        .all(c)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.event_id, r.organisation_id))
        .collect())
}

pub async fn set_organisers(
    c: &impl ConnectionTrait,
    event: Uuid,
    organisations: &[Uuid],
) -> Result<(), Error> {
    event_organiser::Entity::delete_many()
        .filter(event_organiser::Column::EventId.eq(event))
        .exec(c)
        .await?;
    for (i, o) in organisations.iter().enumerate() {
        event_organiser::Model {
            event_id: event,
            organisation_id: *o,
            position: i32::try_from(i).unwrap_or(i32::MAX),
        }
        .into_active_model()
        .reset_all()
        .insert(c)
        .await?;
    }
    Ok(())
}

/// Moves an organisation's events to another (merging organisations).
pub async fn move_organiser(c: &impl ConnectionTrait, from: Uuid, to: Uuid) -> Result<(), Error> {
    let events: Vec<Uuid> = event_organiser::Entity::find()
        .select_only()
        .column(event_organiser::Column::EventId)
        .filter(event_organiser::Column::OrganisationId.eq(from))
        .into_tuple()
        .all(c)
        .await?;
    for e in events {
        let current: Vec<Uuid> = organisers_of(c, &[e])
            .await?
            .into_iter()
            .map(|(_, o)| o)
            .collect();
        let mut next: Vec<Uuid> = Vec::new();
        for o in current {
            let o = if o == from { to } else { o };
            if !next.contains(&o) {
                next.push(o);
            }
        }
        set_organisers(c, e, &next).await?;
    }
    Ok(())
}
