//! `mailing`: a message of the office to a selection of persons (its
//! subject and text with their language versions are one JSON document,
//! `content`; the selection another, `selection`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "mailing")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The German subject (lists sort and show it).
    pub subject: String,
    pub content: String,
    pub selection: String,
    pub sent_at: Option<ChronoDateTimeUtc>,
    pub sent_by: Option<Uuid>,
    pub version: i32,
    pub deleted_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
