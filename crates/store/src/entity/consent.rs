//! `consent`: what a person agreed to, when, how, and until when.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "consent")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    pub purpose: String,
    pub given_on: ChronoDate,
    pub source: String,
    pub expires_on: Option<ChronoDate>,
    pub withdrawn_on: Option<ChronoDate>,
    /// How the consent was withdrawn when not by staff (e.g.
    /// "unsubscribe link"); empty otherwise.
    pub withdrawn_source: String,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
