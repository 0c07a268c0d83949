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
pub use crate::entity::report_text::Model as ReportTextRow;
pub use crate::entity::report_version::Model as ReportVersionRow;
pub use crate::entity::target::Model as TargetRow;
pub use crate::entity::target_link::Model as TargetLinkRow;

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

/// Writes a changed period if it is still at `row.version`; a name another
/// period has is [`Error::Taken`]`("name")`.
pub async fn update_period(c: &impl ConnectionTrait, row: PeriodRow) -> Result<PeriodRow, Error> {
    crate::versioned::update_versioned_unique(c, row, "name").await
}

/// Holds the period until the transaction ends, so no target can be added
/// to it meanwhile (PostgreSQL: `FOR UPDATE`, which a new target's foreign
/// key check waits for; SQLite: a write takes the database's one write
/// lock). `false` when it does not exist.
pub async fn lock_period(c: &impl ConnectionTrait, id: Uuid) -> Result<bool, Error> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::Expr;
    if c.get_database_backend() == sea_orm::DbBackend::Postgres {
        return Ok(period::Entity::find_by_id(id)
            .lock_exclusive()
            .one(c)
            .await?
            .is_some());
    }
    let r = period::Entity::update_many()
        .col_expr(period::Column::Version, Expr::col(period::Column::Version))
        .filter(period::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Deletes a period and its report's draft texts if it is still at
/// `version` ([`Error::Stale`] otherwise). The caller makes sure it has no
/// targets and no finalised report.
pub async fn delete_period(c: &impl ConnectionTrait, id: Uuid, version: i32) -> Result<(), Error> {
    crate::entity::report_text::Entity::delete_many()
        .filter(crate::entity::report_text::Column::PeriodId.eq(id))
        .exec(c)
        .await?;
    let r = period::Entity::delete_many()
        .filter(period::Column::Id.eq(id))
        .filter(period::Column::Version.eq(version))
        .exec(c)
        .await?;
    if r.rows_affected == 1 {
        Ok(())
    } else {
        Err(Error::Stale)
    }
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
    crate::versioned::update_versioned(c, row).await
}

pub async fn delete_target(c: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    set_target_links(c, id, &[]).await?;
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

pub async fn report_text(
    c: &impl ConnectionTrait,
    period_id: Uuid,
) -> Result<Option<ReportTextRow>, Error> {
    Ok(crate::entity::report_text::Entity::find_by_id(period_id)
        .one(c)
        .await?)
}

/// Writes the texts if `expected` is the stored version (0: none stored).
pub async fn save_report_text(
    c: &impl ConnectionTrait,
    row: ReportTextRow,
    expected: i32,
) -> Result<(), Error> {
    use crate::entity::report_text;
    use sea_orm::ActiveValue::Set;
    if expected == 0 {
        if report_text(c, row.period_id).await?.is_some() {
            return Err(Error::Stale);
        }
        // Two first saves at once: both found none, the later insert meets
        // the earlier one's key and is stale like any other late write.
        row.into_active_model()
            .reset_all()
            .insert(c)
            .await
            .map_err(|e| match Error::from_db(e, "period_id") {
                Error::Taken(_) => Error::Stale,
                e => e,
            })?;
        return Ok(());
    }
    let r = report_text::Entity::update_many()
        .set(report_text::ActiveModel {
            title: Set(row.title),
            introduction: Set(row.introduction),
            outlook: Set(row.outlook),
            place: Set(row.place),
            author: Set(row.author),
            narratives: Set(row.narratives),
            dated: Set(row.dated),
            staff_names: Set(row.staff_names),
            chapters: Set(row.chapters),
            version: Set(expected.checked_add(1).ok_or(Error::Stale)?),
            updated_at: Set(row.updated_at),
            ..Default::default()
        })
        .filter(report_text::Column::PeriodId.eq(row.period_id))
        .filter(report_text::Column::Version.eq(expected))
        .exec(c)
        .await?;
    if r.rows_affected == 1 {
        Ok(())
    } else {
        Err(Error::Stale)
    }
}

/// The records a target's substitute measures point to, in order.
pub async fn target_links(
    c: &impl ConnectionTrait,
    target_ids: &[Uuid],
) -> Result<Vec<TargetLinkRow>, Error> {
    use crate::entity::target_link;
    if target_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(target_link::Entity::find()
        .filter(target_link::Column::TargetId.is_in(target_ids.iter().copied()))
        .order_by_asc(target_link::Column::Position)
        .all(c)
        .await?)
}

/// Replaces a target's links with `links` (record type, id).
pub async fn set_target_links(
    c: &impl ConnectionTrait,
    target_id: Uuid,
    links: &[(String, Uuid)],
) -> Result<(), Error> {
    use crate::entity::target_link;
    target_link::Entity::delete_many()
        .filter(target_link::Column::TargetId.eq(target_id))
        .exec(c)
        .await?;
    for (i, (record_type, record_id)) in links.iter().enumerate() {
        TargetLinkRow {
            target_id,
            record_type: record_type.clone(),
            record_id: *record_id,
            position: i32::try_from(i).unwrap_or(i32::MAX),
        }
        .into_active_model()
        .reset_all()
        .insert(c)
        .await?;
    }
    Ok(())
}

/// Stores a finalised report; two at once with the same number: one gets
/// [`Error::Taken`].
pub async fn insert_report_version(
    c: &impl ConnectionTrait,
    row: ReportVersionRow,
) -> Result<ReportVersionRow, Error> {
    row.into_active_model()
        .reset_all()
        .insert(c)
        .await
        .map_err(|e| Error::from_db(e, "number"))
}

/// A period's finalised reports, newest first, without their snapshots.
pub async fn report_versions(
    c: &impl ConnectionTrait,
    period_id: Uuid,
) -> Result<Vec<ReportVersionRow>, Error> {
    use crate::entity::report_version;
    use sea_orm::QuerySelect;
    let rows = report_version::Entity::find()
        .select_only()
        .columns([
            report_version::Column::Id,
            report_version::Column::PeriodId,
            report_version::Column::Number,
            report_version::Column::Note,
            report_version::Column::CreatedAt,
            report_version::Column::CreatedBy,
        ])
        .column_as(sea_orm::sea_query::Expr::val(""), "snapshot")
        .filter(report_version::Column::PeriodId.eq(period_id))
        .order_by_desc(report_version::Column::Number)
        .into_model::<ReportVersionRow>()
        .all(c)
        .await?;
    Ok(rows)
}

pub async fn report_version(
    c: &impl ConnectionTrait,
    period_id: Uuid,
    number: i32,
) -> Result<Option<ReportVersionRow>, Error> {
    use crate::entity::report_version;
    Ok(report_version::Entity::find()
        .filter(report_version::Column::PeriodId.eq(period_id))
        .filter(report_version::Column::Number.eq(number))
        .one(c)
        .await?)
}
