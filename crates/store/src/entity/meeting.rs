//! `meeting`: a meeting of a body.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "meeting")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub body_id: Uuid,
    pub title: String,
    pub starts_at: ChronoDateTimeUtc,
    pub ends_at: Option<ChronoDateTimeUtc>,
    pub mode: String,
    pub place: String,
    pub video_link: String,
    pub status: String,
    pub cancel_reason: String,
    pub minutes: String,
    pub minutes_status: String,
    pub oparl_id: Option<String>,
    pub sequence: i32,
    pub version: i32,
    pub deleted_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
