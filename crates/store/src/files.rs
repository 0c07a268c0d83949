//! Stored files: written once, read by id.

use crate::Error;
use crate::entity::stored_file;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

pub use crate::entity::stored_file::Model as StoredFile;

/// Stores `data`; returns the new file's id.
pub async fn insert(
    c: &impl ConnectionTrait,
    content_type: &str,
    file_name: &str,
    sha256: &str,
    data: Vec<u8>,
) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    let size = i64::try_from(data.len()).unwrap_or(i64::MAX);
    stored_file::Entity::insert(stored_file::ActiveModel {
        id: Set(id),
        sha256: Set(sha256.to_owned()),
        content_type: Set(content_type.to_owned()),
        file_name: Set(file_name.to_owned()),
        size: Set(size),
        data: Set(data),
        created_at: Set(chrono::Utc::now()),
    })
    .exec_without_returning(c)
    .await?;
    Ok(id)
}

pub async fn get(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<StoredFile>, Error> {
    Ok(stored_file::Entity::find_by_id(id).one(c).await?)
}

/// A file's metadata, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    pub id: Uuid,
    pub sha256: String,
    pub content_type: String,
    pub file_name: String,
    pub size: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

pub async fn info(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<FileInfo>, Error> {
    use sea_orm::QuerySelect;
    let row: Option<(
        Uuid,
        String,
        String,
        String,
        i64,
        chrono::DateTime<chrono::Utc>,
    )> = stored_file::Entity::find_by_id(id)
        .select_only()
        .column(stored_file::Column::Id)
        .column(stored_file::Column::Sha256)
        .column(stored_file::Column::ContentType)
        .column(stored_file::Column::FileName)
        .column(stored_file::Column::Size)
        .column(stored_file::Column::CreatedAt)
        .into_tuple()
        .one(c)
        .await?;
    Ok(row.map(
        |(id, sha256, content_type, file_name, size, created_at)| FileInfo {
            id,
            sha256,
            content_type,
            file_name,
            size,
            created_at,
        },
    ))
}
