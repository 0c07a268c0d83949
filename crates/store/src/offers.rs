//! Offers (Angebote) of the organisations and of the office.

use crate::Error;
use crate::entity::{offer, organisation};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub use crate::entity::offer::Model as OfferRow;

/// What to list. Empty lists and `None` mean "any".
#[derive(Debug, Clone, Default)]
pub struct OfferFilter {
    pub organisation: Option<Uuid>,
    /// Only offers of organisations of these kinds.
    pub organisation_kinds: Vec<String>,
    pub statuses: Vec<String>,
    pub categories: Vec<String>,
    pub public: Option<bool>,
    /// Folded words that must all be in the (folded) title.
    pub words: Vec<String>,
    /// Valid on some day of `[from, to]`: `valid_to` is none or not before
    /// `from`; `valid_from` is not after `to` — or, without `valid_from`,
    /// the offer was created before `created_before` (the end of `to`).
    pub from: Option<NaiveDate>,
    pub to: Option<(NaiveDate, DateTime<Utc>)>,
    pub deleted: bool,
    /// Only offers of organisations listed in the public directory.
    pub public_organisations_only: bool,
}

fn condition(f: &OfferFilter) -> Condition {
    let mut cond = Condition::all().add(if f.deleted {
        offer::Column::DeletedAt.is_not_null()
    } else {
        offer::Column::DeletedAt.is_null()
    });
    if let Some(o) = f.organisation {
        cond = cond.add(offer::Column::OrganisationId.eq(o));
    }
    if !f.organisation_kinds.is_empty() {
        cond = cond.add(
            offer::Column::OrganisationId
                .in_subquery(crate::organisations::of_kinds(&f.organisation_kinds)),
        );
    }
    if f.public_organisations_only {
        cond = cond.add(
            offer::Column::OrganisationId.in_subquery(
                Query::select()
                    .column(organisation::Column::Id)
                    .from(organisation::Entity)
                    .and_where(organisation::Column::IsPublic.eq(true))
                    .and_where(organisation::Column::DeletedAt.is_null())
                    .to_owned(),
            ),
        );
    }
    if !f.statuses.is_empty() {
        cond = cond.add(offer::Column::Status.is_in(f.statuses.clone()));
    }
    if !f.categories.is_empty() {
        cond = cond.add(offer::Column::Category.is_in(f.categories.clone()));
    }
    if let Some(p) = f.public {
        cond = cond.add(offer::Column::IsPublic.eq(p));
    }
    for w in &f.words {
        let w = w
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        cond = cond.add(offer::Column::SearchText.like(format!("%{w}%")));
    }
    if let Some(from) = f.from {
        cond = cond.add(
            Condition::any()
                .add(offer::Column::ValidTo.is_null())
                .add(offer::Column::ValidTo.gte(from)),
        );
    }
    if let Some((to, created_before)) = f.to {
        cond = cond.add(
            Condition::any().add(offer::Column::ValidFrom.lte(to)).add(
                Condition::all()
                    .add(offer::Column::ValidFrom.is_null())
                    .add(offer::Column::CreatedAt.lt(created_before)),
            ),
        );
    }
    cond
}

pub async fn insert_offer(c: &impl ConnectionTrait, row: OfferRow) -> Result<OfferRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_offer(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<OfferRow>, Error> {
    Ok(offer::Entity::find_by_id(id).one(c).await?)
}

/// Writes `row` if the stored version is still `row.version`.
pub async fn update_offer(c: &impl ConnectionTrait, row: OfferRow) -> Result<OfferRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

/// A page of offers by title, and the total.
pub async fn list_offers(
    c: &impl ConnectionTrait,
    f: &OfferFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<OfferRow>, u64), Error> {
    let q = offer::Entity::find().filter(condition(f));
    let total = q.clone().count(c).await?;
    let rows = q
        .order_by_asc(offer::Column::SearchText)
        .order_by_asc(offer::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(c)
        .await?;
    Ok((rows, total))
}

/// How many offers match.
pub async fn count_offers(c: &impl ConnectionTrait, f: &OfferFilter) -> Result<u64, Error> {
    Ok(offer::Entity::find().filter(condition(f)).count(c).await?)
}

/// Moves every offer of one organisation to another (merging duplicates);
/// returns how many moved.
pub async fn move_organisation(
    c: &impl ConnectionTrait,
    from: Uuid,
    to: Uuid,
) -> Result<u64, Error> {
    Ok(offer::Entity::update_many()
        .col_expr(offer::Column::OrganisationId, Expr::value(to))
        .filter(offer::Column::OrganisationId.eq(from))
        .exec(c)
        .await?
        .rows_affected)
}

/// The offers with these ids (in no particular order).
pub async fn find_offers(c: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<OfferRow>, Error> {
    let mut rows = Vec::new();
    for chunk in crate::organisations::distinct_chunks(ids) {
        rows.extend(
            offer::Entity::find()
                .filter(offer::Column::Id.is_in(chunk))
                .all(c)
                .await?,
        );
    }
    Ok(rows)
}

/// The live offers of these organisations (in no particular order).
pub async fn live_offers_of(
    c: &impl ConnectionTrait,
    organisations: &[Uuid],
) -> Result<Vec<OfferRow>, Error> {
    let mut rows = Vec::new();
    for chunk in crate::organisations::distinct_chunks(organisations) {
        rows.extend(
            offer::Entity::find()
                .filter(offer::Column::OrganisationId.is_in(chunk))
                .filter(offer::Column::DeletedAt.is_null())
                .all(c)
                .await?,
        );
    }
    Ok(rows)
}

/// Live offers in id order after `after`, at most `limit`: for walking all
/// of them in pages without holding them all at once.
pub async fn live_offers_after(
    c: &impl ConnectionTrait,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<OfferRow>, Error> {
    let mut q = offer::Entity::find().filter(offer::Column::DeletedAt.is_null());
    if let Some(after) = after {
        q = q.filter(offer::Column::Id.gt(after));
    }
    Ok(q.order_by_asc(offer::Column::Id)
        .limit(limit)
        .all(c)
        .await?)
}
