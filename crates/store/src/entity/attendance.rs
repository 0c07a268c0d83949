//! `attendance`: whether a person (or staff member) attended a meeting.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "attendance")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub meeting_id: Uuid,
    /// `p:{person id}` or `u:{user id}`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub attendee: String,
    pub person_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub on_behalf_of: Option<Uuid>,
    pub status: String,
    pub mode: String,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
