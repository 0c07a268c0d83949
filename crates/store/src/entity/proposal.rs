//! `proposal`: a representative's change to a record of their organisation,
//! waiting for staff (or published at once for a trusted organisation).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "proposal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub entity: String,
    pub action: String,
    pub record_id: Option<Uuid>,
    pub organisation_id: Uuid,
    pub base_version: Option<i32>,
    pub changes: String,
    pub before: String,
    pub status: String,
    pub message: String,
    pub proposed_by: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<ChronoDateTimeUtc>,
    pub version: i32,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
