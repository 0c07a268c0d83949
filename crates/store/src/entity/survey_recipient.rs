//! `survey_recipient`: an organisation a survey was sent to.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "survey_recipient")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub survey_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: Uuid,
    pub invited_at: ChronoDateTimeUtc,
    pub reminded: i32,
    pub reminded_at: Option<ChronoDateTimeUtc>,
    /// Raised to replace the organisation's personal link.
    pub link_generation: i32,
    /// When the invitation was e-mailed.
    pub mailed_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
