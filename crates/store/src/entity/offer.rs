//! `offer`: an offer (Angebot) of an organisation or of the office (HSDS
//! `service` with its `schedule`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "offer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub title: String,
    pub description: String,
    pub category: String,
    /// JSON array of `target_group` codes.
    pub target_groups: String,
    pub age_min: Option<i32>,
    pub age_max: Option<i32>,
    /// JSON array of ISO 639-1 codes.
    pub languages: String,
    pub cost_kind: String,
    pub cost_text: String,
    pub registration_required: bool,
    pub registration_how: String,
    pub accessibility: String,
    pub location_kind: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub online_link: String,
    pub schedule_rrule: String,
    pub schedule_text: String,
    pub starts_time: Option<String>,
    pub ends_time: Option<String>,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub status: String,
    pub contact_person_id: Option<Uuid>,
    pub is_public: bool,
    /// JSON object: language → {title, description}.
    pub translations: String,
    pub search_text: String,
    pub version: i32,
    pub deleted_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
