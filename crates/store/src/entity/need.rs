//! `need`: something an organisation needs (Bedarf).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "need")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub category: String,
    pub description: String,
    pub source: String,
    pub source_interaction_id: Option<Uuid>,
    pub status: String,
    pub outcome: String,
    pub version: i32,
    pub deleted_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    /// The person who reported it through the portal.
    pub reported_by: Option<Uuid>,
    /// low, normal, high
    pub urgency: String,
    /// When the office learnt of the need.
    pub raised_on: Option<Date>,
    /// When it was addressed or found impossible to meet.
    pub resolved_on: Option<Date>,
    /// The survey answer it was taken from, and the question.
    pub source_answer_id: Option<Uuid>,
    pub source_question: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
