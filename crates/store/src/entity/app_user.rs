//! `app_user`: a login account (`user` is a reserved word in PostgreSQL).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub organisation_id: Option<Uuid>,
    pub password_hash: String,
    pub must_change_password: bool,
    pub disabled_at: Option<ChronoDateTimeUtc>,
    pub last_login_at: Option<ChronoDateTimeUtc>,
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<ChronoDateTimeUtc>,
    pub version: i32,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
    /// A representative's person record (organisations follow from the
    /// person's current affiliations).
    pub person_id: Option<Uuid>,
    /// The language of the portal and of e-mails to this account.
    pub language: String,
    /// "f", "m" or empty: how an anonymous report names the person
    /// ("eine Mitarbeiterin des KI").
    pub form_of_address: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
