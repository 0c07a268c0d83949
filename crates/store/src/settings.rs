//! Instance settings: small, rarely written values such as the office's name.
//!
//! Values are JSON so a setting can grow from a string into a structure
//! without a migration. Writes are upserts: the last writer wins, which is
//! right for settings edited by one admin at a time.

use crate::entity::setting;
use crate::{Error, Store};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

impl Store {
    /// Reads one setting; `None` when it was never set.
    pub async fn get_setting(&self, key: &str) -> Result<Option<serde_json::Value>, Error> {
        let row = setting::Entity::find_by_id(key.to_owned())
            .one(self.conn())
            .await?;
        Ok(row.and_then(|r| serde_json::from_str(&r.value).ok()))
    }

    /// Writes one setting, replacing any earlier value.
    pub async fn put_setting(&self, key: &str, value: &serde_json::Value) -> Result<(), Error> {
        put(self.conn(), key, value).await
    }
}

/// Writes one setting inside a transaction (or on any connection).
pub async fn put(
    c: &impl ConnectionTrait,
    key: &str,
    value: &serde_json::Value,
) -> Result<(), Error> {
    let row = setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_string()),
        updated_at: Set(chrono::Utc::now()),
    };
    setting::Entity::insert(row)
        .on_conflict(
            OnConflict::column(setting::Column::Key)
                .update_columns([setting::Column::Value, setting::Column::UpdatedAt])
                .to_owned(),
        )
        .exec(c)
        .await?;
    Ok(())
}
