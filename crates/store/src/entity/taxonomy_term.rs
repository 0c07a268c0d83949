//! `taxonomy_term`: a term of a vocabulary (topic, target group) with its
//! German and English label, and the labels in Turkish, Arabic, Russian and
//! Ukrainian where the office entered them.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "taxonomy_term")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub vocabulary: String,
    pub code: String,
    pub label_de: String,
    pub label_en: String,
    pub position: i32,
    pub created_at: ChronoDateTimeUtc,
    pub version: i32,
    pub retired_at: Option<ChronoDateTimeUtc>,
    pub label_tr: Option<String>,
    pub label_ar: Option<String>,
    pub label_ru: Option<String>,
    pub label_uk: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
