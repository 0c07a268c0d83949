//! `event`: a public or internal event (Veranstaltung).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub category: String,
    pub starts_at: ChronoDateTimeUtc,
    pub ends_at: Option<ChronoDateTimeUtc>,
    pub mode: String,
    pub place: String,
    pub online_link: String,
    pub registration_link: String,
    /// JSON list of language codes.
    pub languages: String,
    pub status: String,
    pub cancel_reason: String,
    pub is_public: bool,
    /// JSON: language → {title, description}.
    pub translations: String,
    pub version: i32,
    pub deleted_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
