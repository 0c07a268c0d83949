//! Periods and targets.

use crate::Error;
use crate::entity::{period, target};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

pub use crate::entity::period::Model as PeriodRow;
pub use crate::entity::target::Model as TargetRow;

fn stale(e: sea_orm::DbErr) -> Error {
    crate::versioned::stale_or(e, Error::Db)
}

pub async fn insert_period(c: &impl ConnectionTrait, row: PeriodRow) -> Result<PeriodRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_period(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<PeriodRow>, Error> {
    Ok(period::Entity::find_by_id(id).one(c).await?)
}

pub async fn find_period_by_name(
    c: &impl ConnectionTrait,
    name: &str,
) -> Result<Option<PeriodRow>, Error> {
    Ok(period::Entity::find()
        .filter(period::Column::Name.eq(name))
        .one(c)
        .await?)
}

pub async fn update_period(c: &impl ConnectionTrait, row: PeriodRow) -> Result<PeriodRow, Error> {
    crate::versioned::update_versioned(c, row)
        .await
        .map_err(stale)
}

/// All periods, latest first.
pub async fn periods(c: &impl ConnectionTrait) -> Result<Vec<PeriodRow>, Error> {
    Ok(period::Entity::find()
        .order_by_desc(period::Column::StartsOn)
        .all(c)
        .await?)
}

/// The period that contains `day`, if any (the latest starting one).
pub async fn period_containing(
    c: &impl ConnectionTrait,
    day: NaiveDate,
) -> Result<Option<PeriodRow>, Error> {
    Ok(period::Entity::find()
        .filter(period::Column::StartsOn.lte(day))
        .filter(period::Column::EndsOn.gte(day))
        .order_by_desc(period::Column::StartsOn)
        .one(c)
        .await?)
}

pub async fn insert_target(c: &impl ConnectionTrait, row: TargetRow) -> Result<TargetRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_target(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<TargetRow>, Error> {
    Ok(target::Entity::find_by_id(id).one(c).await?)
}

pub async fn update_target(c: &impl ConnectionTrait, row: TargetRow) -> Result<TargetRow, Error> {
    crate::versioned::update_versioned(c, row)
        .await
        .map_err(stale)
}

pub async fn delete_target(c: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    target::Entity::delete_by_id(id).exec(c).await?;
    Ok(())
}

pub async fn targets_of(
    c: &impl ConnectionTrait,
    period_id: Uuid,
) -> Result<Vec<TargetRow>, Error> {
    Ok(target::Entity::find()
        .filter(target::Column::PeriodId.eq(period_id))
        .order_by_asc(target::Column::Number)
        .all(c)
        .await?)
}
