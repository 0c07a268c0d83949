//! `membership`: a person (on behalf of an organisation) or a staff member
//! in a body, with a role and dates.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "membership")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub body_id: Uuid,
    pub person_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub on_behalf_of: Option<Uuid>,
    pub role: String,
    pub from_date: Option<Date>,
    pub to_date: Option<Date>,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
