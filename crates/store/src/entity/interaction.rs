//! `interaction`: a visit, call, e-mail or meeting with organisations.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "interaction")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub mode: String,
    pub status: String,
    pub subject: String,
    pub starts_at: ChronoDateTimeUtc,
    pub duration_minutes: Option<i32>,
    pub cancel_reason: Option<String>,
    pub cancel_note: Option<String>,
    pub topics: String,
    pub interfaces: String,
    pub notes: String,
    pub version: i32,
    pub deleted_at: Option<ChronoDateTimeUtc>,
    pub created_by: Option<Uuid>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
