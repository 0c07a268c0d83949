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
    /// The mailing the e-mail is one message of.
    pub mailing_id: Option<Uuid>,
    /// The person a mailing's message goes to.
    pub person_id: Option<Uuid>,
    /// The recipient's unsubscribe link (the `List-Unsubscribe` header);
    /// empty for e-mails that are not a mailing's.
    pub unsubscribe_url: String,
    /// The language of the text (the HTML part's `lang` and `dir`).
    pub language: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
