//! `outbox`: e-mails waiting to be sent, sent, or failed for good.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub meeting_id: Option<Uuid>,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub ics: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: String,
    pub next_attempt_at: ChronoDateTimeUtc,
    pub sent_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    /// The survey the e-mail invites to or reminds of.
    pub survey_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
