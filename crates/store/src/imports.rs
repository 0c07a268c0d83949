//! Import profiles (saved column mappings) and the files waiting in the
//! import wizard; plus the lookups an import matches its rows against.

use crate::Error;
use crate::entity::{event, import_profile, import_upload, need, offer, person};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub use crate::entity::import_profile::Model as ProfileRow;
pub use crate::entity::import_upload::Model as UploadRow;

/// The profiles of one kind of import, by name.
pub async fn profiles(c: &impl ConnectionTrait, entity: &str) -> Result<Vec<ProfileRow>, Error> {
    Ok(import_profile::Entity::find()
        .filter(import_profile::Column::Entity.eq(entity))
        .order_by_asc(import_profile::Column::Name)
        .all(c)
        .await?)
}

pub async fn find_profile(
    c: &impl ConnectionTrait,
    entity: &str,
    name: &str,
) -> Result<Option<ProfileRow>, Error> {
    Ok(import_profile::Entity::find()
        .filter(import_profile::Column::Entity.eq(entity))
        .filter(import_profile::Column::Name.eq(name))
        .one(c)
        .await?)
}

pub async fn insert_profile(
    c: &impl ConnectionTrait,
    row: ProfileRow,
) -> Result<ProfileRow, Error> {
    Ok(row.into_active_model().insert(c).await?)
}

/// Replaces a profile's mapping when `row.version` is the stored one (and
/// raises it); `Error::Stale` otherwise.
pub async fn update_profile(
    c: &impl ConnectionTrait,
    row: ProfileRow,
) -> Result<ProfileRow, Error> {
    let next = row.version.checked_add(1).ok_or(Error::Stale)?;
    let result = import_profile::Entity::update_many()
        .col_expr(import_profile::Column::Mapping, row.mapping.clone().into())
        .col_expr(import_profile::Column::OnMatch, row.on_match.clone().into())
        .col_expr(import_profile::Column::Version, next.into())
        .col_expr(import_profile::Column::UpdatedAt, row.updated_at.into())
        .filter(import_profile::Column::Id.eq(row.id))
        .filter(import_profile::Column::Version.eq(row.version))
        .exec(c)
        .await?;
    if result.rows_affected == 0 {
        return Err(Error::Stale);
    }
    Ok(ProfileRow {
        version: next,
        ..row
    })
}

pub async fn delete_profile(c: &impl ConnectionTrait, id: Uuid) -> Result<bool, Error> {
    Ok(import_profile::Entity::delete_by_id(id)
        .exec(c)
        .await?
        .rows_affected
        > 0)
}

pub async fn insert_upload(c: &impl ConnectionTrait, row: UploadRow) -> Result<(), Error> {
    row.into_active_model().insert(c).await?;
    Ok(())
}

pub async fn find_upload(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<UploadRow>, Error> {
    Ok(import_upload::Entity::find_by_id(id).one(c).await?)
}

pub async fn delete_upload(c: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    import_upload::Entity::delete_by_id(id).exec(c).await?;
    Ok(())
}

/// Removes uploads older than `before`; returns how many.
pub async fn delete_uploads_before(
    c: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<u64, Error> {
    Ok(import_upload::Entity::delete_many()
        .filter(import_upload::Column::CreatedAt.lt(before))
        .exec(c)
        .await?
        .rows_affected)
}

/// Live persons: id, given name, family name, e-mail (for matching).
pub async fn person_keys(
    c: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, String, String, Option<String>)>, Error> {
    Ok(person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .column(person::Column::GivenName)
        .column(person::Column::FamilyName)
        .column(person::Column::Email)
        .filter(person::Column::DeletedAt.is_null())
        .into_tuple()
        .all(c)
        .await?)
}

/// Live offers: id, organisation, title (for matching).
pub async fn offer_keys(c: &impl ConnectionTrait) -> Result<Vec<(Uuid, Uuid, String)>, Error> {
    Ok(offer::Entity::find()
        .select_only()
        .column(offer::Column::Id)
        .column(offer::Column::OrganisationId)
        .column(offer::Column::Title)
        .filter(offer::Column::DeletedAt.is_null())
        .into_tuple()
        .all(c)
        .await?)
}

/// Live needs: id, organisation, description (for matching).
pub async fn need_keys(c: &impl ConnectionTrait) -> Result<Vec<(Uuid, Uuid, String)>, Error> {
    Ok(need::Entity::find()
        .select_only()
        .column(need::Column::Id)
        .column(need::Column::OrganisationId)
        .column(need::Column::Description)
        .filter(need::Column::DeletedAt.is_null())
        .into_tuple()
        .all(c)
        .await?)
}

/// Live events: id, title, start (for matching).
pub async fn event_keys(
    c: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, String, DateTime<Utc>)>, Error> {
    Ok(event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .column(event::Column::Title)
        .column(event::Column::StartsAt)
        .filter(event::Column::DeletedAt.is_null())
        .into_tuple()
        .all(c)
        .await?)
}
