//! `target`: a numbered target of a period with its metric.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "target")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub period_id: Uuid,
    /// The project (Handlungsfeld) the target belongs to.
    pub project_id: Option<Uuid>,
    pub number: i32,
    pub title: String,
    pub description: String,
    pub metric: String,
    pub params: String,
    pub wanted: f64,
    pub manual_value: Option<f64>,
    pub met_at: f64,
    pub partly_at: f64,
    pub override_status: Option<String>,
    pub override_reason: String,
    pub deviation_reason: String,
    pub substitute_measures: String,
    pub version: i32,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
