//! `body`: a working group, council, advisory group or external body.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "body")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub purpose: String,
    pub founded_on: Option<Date>,
    pub dissolved_on: Option<Date>,
    pub organiser_id: Option<Uuid>,
    pub is_public: bool,
    pub feed_secret_hash: Option<String>,
    pub oparl_id: Option<String>,
    pub version: i32,
    pub deleted_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
