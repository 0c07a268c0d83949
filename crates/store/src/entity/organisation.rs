//! `organisation`: one organisation of the registry (list fields as JSON).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub alternate_names: String,
    pub kind: String,
    pub legal_status: Option<String>,
    pub register_court: Option<String>,
    pub register_number: Option<String>,
    pub founding_year: Option<i32>,
    pub member_count: Option<i32>,
    pub origins: String,
    pub languages: String,
    pub topics: String,
    pub target_groups: String,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub description: String,
    pub internal_notes: String,
    pub public_fields: String,
    pub is_public: bool,
    pub is_own_office: bool,
    pub assured_at: Option<ChronoDateTimeUtc>,
    pub search_text: String,
    pub name_sort: String,
    pub version: i32,
    pub deleted_at: Option<ChronoDateTimeUtc>,
    pub merged_into: Option<Uuid>,
    pub logo_file_id: Option<Uuid>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
