//! Optimistic locking, once for every editable table: a write based on a
//! stale copy changes nothing and reports [`Error::Stale`].

use crate::Error;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

/// A row with an `id`, a `version` and an `updated_at`.
pub(crate) trait Versioned: Clone + IntoActiveModel<Self::Active> {
    type Entity: EntityTrait;
    type Active: ActiveModelTrait<Entity = Self::Entity> + Send;
    fn id(&self) -> Uuid;
    fn version_mut(&mut self) -> &mut i32;
    fn touch(&mut self);
    fn id_column() -> <Self::Entity as EntityTrait>::Column;
    fn version_column() -> <Self::Entity as EntityTrait>::Column;
}

/// Writes `row` if the stored version is still `row.version`; the stored
/// version becomes `row.version + 1`. Returns the row as stored;
/// [`Error::Stale`] when someone else wrote first.
pub(crate) async fn update_versioned<R: Versioned>(
    c: &impl ConnectionTrait,
    row: R,
) -> Result<R, Error>
where
    <R::Entity as EntityTrait>::Model: Sync,
{
    write_versioned(c, row).await.map_err(|e| match e {
        sea_orm::DbErr::RecordNotUpdated => Error::Stale,
        e => Error::Db(e),
    })
}

/// [`update_versioned`] for a table with a unique `field`: a clash is
/// [`Error::Taken`].
pub(crate) async fn update_versioned_unique<R: Versioned>(
    c: &impl ConnectionTrait,
    row: R,
    field: &'static str,
) -> Result<R, Error>
where
    <R::Entity as EntityTrait>::Model: Sync,
{
    write_versioned(c, row).await.map_err(|e| match e {
        sea_orm::DbErr::RecordNotUpdated => Error::Stale,
        e => Error::from_db(e, field),
    })
}

async fn write_versioned<R: Versioned>(
    c: &impl ConnectionTrait,
    mut row: R,
) -> Result<R, sea_orm::DbErr>
where
    <R::Entity as EntityTrait>::Model: Sync,
{
    let expected = *row.version_mut();
    // No stored record reaches the last version there is: a client naming
    // it is behind (409), not a reason to overflow.
    let Some(next) = expected.checked_add(1) else {
        return Err(sea_orm::DbErr::RecordNotUpdated);
    };
    *row.version_mut() = next;
    row.touch();
    let mut active = row.clone().into_active_model().reset_all();
    active.not_set(R::id_column());
    let result = R::Entity::update_many()
        .set(active)
        .filter(R::id_column().eq(row.id()))
        .filter(R::version_column().eq(expected))
        .exec(c)
        .await?;
    if result.rows_affected == 1 {
        Ok(row)
    } else {
        Err(sea_orm::DbErr::RecordNotUpdated)
    }
}

macro_rules! versioned {
    ($model:ty, $module:ident) => {
        impl crate::versioned::Versioned for $model {
            type Entity = crate::entity::$module::Entity;
            type Active = crate::entity::$module::ActiveModel;
            fn id(&self) -> Uuid {
                self.id
            }
            fn version_mut(&mut self) -> &mut i32 {
                &mut self.version
            }
            fn touch(&mut self) {
                self.updated_at = Utc::now();
            }
            fn id_column() -> crate::entity::$module::Column {
                crate::entity::$module::Column::Id
            }
            fn version_column() -> crate::entity::$module::Column {
                crate::entity::$module::Column::Version
            }
        }
    };
}

versioned!(crate::entity::app_user::Model, app_user);
versioned!(crate::entity::organisation::Model, organisation);
versioned!(crate::entity::person::Model, person);
versioned!(crate::entity::interaction::Model, interaction);
versioned!(crate::entity::need::Model, need);
versioned!(crate::entity::event::Model, event);
versioned!(crate::entity::task::Model, task);
versioned!(crate::entity::body::Model, body);
versioned!(crate::entity::meeting::Model, meeting);
versioned!(crate::entity::period::Model, period);
versioned!(crate::entity::target::Model, target);
versioned!(crate::entity::offer::Model, offer);
versioned!(crate::entity::idea::Model, idea);
versioned!(crate::entity::proposal::Model, proposal);
versioned!(crate::entity::project::Model, project);
versioned!(crate::entity::beyond_item::Model, beyond_item);
versioned!(crate::entity::survey::Model, survey);
versioned!(crate::entity::mailing::Model, mailing);

/// [`versioned!`] for tables without `updated_at`.
macro_rules! versioned_without_touch {
    ($model:ty, $module:ident) => {
        impl crate::versioned::Versioned for $model {
            type Entity = crate::entity::$module::Entity;
            type Active = crate::entity::$module::ActiveModel;
            fn id(&self) -> Uuid {
                self.id
            }
            fn version_mut(&mut self) -> &mut i32 {
                &mut self.version
            }
            fn touch(&mut self) {}
            fn id_column() -> crate::entity::$module::Column {
                crate::entity::$module::Column::Id
            }
            fn version_column() -> crate::entity::$module::Column {
                crate::entity::$module::Column::Version
            }
        }
    };
}
pub(crate) use versioned_without_touch;

versioned_without_touch!(crate::entity::invitation::Model, invitation);
