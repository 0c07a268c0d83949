//! `beyond_item`: something the office did beyond its targets, as the
//! report lists it: typed by staff (`free`) or a record the report found or
//! staff linked (event, membership, body), with the staff's wording,
//! position and whether it is hidden.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "beyond_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub period_id: Uuid,
    pub project_id: Uuid,
    /// free, event, membership, body
    pub kind: String,
    pub record_id: Option<Uuid>,
    /// The staff member the sentence names (by name or role).
    pub user_id: Option<Uuid>,
    /// The staff's wording; empty: the generated sentence.
    pub text: String,
    pub hidden: bool,
    pub position: i32,
    pub happened_on: Option<Date>,
    pub version: i32,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
