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

/// Writes `new` only if the setting still holds `old` (`None`: was never
/// set); returns whether it did. Several nodes claiming the same job (the
/// scheduled backup) this way: exactly one wins.
pub async fn replace_if(
    c: &impl ConnectionTrait,
    key: &str,
    old: Option<&serde_json::Value>,
    new: &serde_json::Value,
) -> Result<bool, Error> {
    use sea_orm::{ColumnTrait, QueryFilter, sea_query::Expr};
    let now = chrono::Utc::now();
    let Some(old) = old else {
        let row = setting::ActiveModel {
            key: Set(key.to_owned()),
            value: Set(new.to_string()),
            updated_at: Set(now),
        };
        let done = setting::Entity::insert(row)
            .on_conflict(
                OnConflict::column(setting::Column::Key)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(c)
            .await?;
        return Ok(done == 1);
    };
    let done = setting::Entity::update_many()
        .col_expr(setting::Column::Value, Expr::value(new.to_string()))
        .col_expr(setting::Column::UpdatedAt, Expr::value(now))
        .filter(setting::Column::Key.eq(key))
        .filter(setting::Column::Value.eq(old.to_string()))
        .exec(c)
        .await?;
    Ok(done.rows_affected == 1)
}
