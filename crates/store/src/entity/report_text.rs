//! `report_text`: the editable texts of a period's report.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "report_text")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub period_id: Uuid,
    pub title: String,
    pub introduction: String,
    pub outlook: String,
    pub place: String,
    pub author: String,
    pub narratives: String,
    /// The report's month as "YYYY-MM"; empty: the month it is made in.
    pub dated: String,
    /// named or anonymous
    pub staff_names: String,
    /// Project id → {"introduction", "outlook"} of its chapter (JSON).
    pub chapters: String,
    /// The needs section: `{"include": bool, "surveys": [id, …]}` (empty: off).
    pub needs: String,
    pub version: i32,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
