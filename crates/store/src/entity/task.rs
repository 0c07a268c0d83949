//! `task`: a follow-up (Wiedervorlage) with a due date and an assignee.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "task")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub notes: String,
    pub due_on: Date,
    pub assignee_id: Uuid,
    pub link_type: Option<String>,
    pub link_id: Option<Uuid>,
    pub done_at: Option<ChronoDateTimeUtc>,
    pub version: i32,
    pub deleted_at: Option<ChronoDateTimeUtc>,
    pub created_by: Option<Uuid>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
