//! Projects (Handlungsfelder) and the report's "beyond the targets" items.

use crate::Error;
use crate::entity::{beyond_item, project, target};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

pub use crate::entity::beyond_item::Model as BeyondRow;
pub use crate::entity::project::Model as ProjectRow;

/// All projects in their order.
pub async fn projects(c: &impl ConnectionTrait) -> Result<Vec<ProjectRow>, Error> {
    Ok(project::Entity::find()
        .order_by_asc(project::Column::Position)
        .order_by_asc(project::Column::Name)
        .all(c)
        .await?)
}

pub async fn find_project(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<ProjectRow>, Error> {
    Ok(project::Entity::find_by_id(id).one(c).await?)
}

/// A name clash is [`Error::Taken`]`("name")`.
pub async fn insert_project(
    c: &impl ConnectionTrait,
    row: ProjectRow,
) -> Result<ProjectRow, Error> {
    row.into_active_model()
        .reset_all()
        .insert(c)
        .await
        .map_err(|e| Error::from_db(e, "name"))
}

pub async fn update_project(
    c: &impl ConnectionTrait,
    row: ProjectRow,
) -> Result<ProjectRow, Error> {
    crate::versioned::update_versioned_unique(c, row, "name").await
}

pub async fn delete_project(c: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    project::Entity::delete_by_id(id).exec(c).await?;
    Ok(())
}

/// How many targets and beyond items a project has (in any period).
pub async fn project_uses(c: &impl ConnectionTrait, id: Uuid) -> Result<u64, Error> {
    let targets = target::Entity::find()
        .filter(target::Column::ProjectId.eq(id))
        .count(c)
        .await?;
    let items = beyond_item::Entity::find()
        .filter(beyond_item::Column::ProjectId.eq(id))
        .count(c)
        .await?;
    Ok(targets + items)
}

/// A period's stored beyond items, in order.
pub async fn beyond_items(
    c: &impl ConnectionTrait,
    period_id: Uuid,
) -> Result<Vec<BeyondRow>, Error> {
    Ok(beyond_item::Entity::find()
        .filter(beyond_item::Column::PeriodId.eq(period_id))
        .order_by_asc(beyond_item::Column::Position)
        .order_by_asc(beyond_item::Column::CreatedAt)
        .all(c)
        .await?)
}

pub async fn find_beyond(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<BeyondRow>, Error> {
    Ok(beyond_item::Entity::find_by_id(id).one(c).await?)
}

/// A second insert of the same id (two writers materialising the same
/// generated item) is [`Error::Stale`].
pub async fn insert_beyond(c: &impl ConnectionTrait, row: BeyondRow) -> Result<BeyondRow, Error> {
    row.into_active_model()
        .reset_all()
        .insert(c)
        .await
        .map_err(|e| match Error::from_db(e, "id") {
            Error::Taken(_) => Error::Stale,
            e => e,
        })
}

pub async fn update_beyond(c: &impl ConnectionTrait, row: BeyondRow) -> Result<BeyondRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

pub async fn delete_beyond(c: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    beyond_item::Entity::delete_by_id(id).exec(c).await?;
    Ok(())
}
