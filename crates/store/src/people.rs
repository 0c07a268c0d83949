//! Persons, their affiliations and their consent records.

use crate::Error;
use crate::entity::{affiliation, consent, person};
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub use crate::entity::affiliation::Model as AffiliationRow;
pub use crate::entity::consent::Model as ConsentRow;
pub use crate::entity::person::Model as PersonRow;

pub async fn insert_person(c: &impl ConnectionTrait, row: PersonRow) -> Result<PersonRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_person(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<PersonRow>, Error> {
    Ok(person::Entity::find_by_id(id).one(c).await?)
}

pub async fn find_persons(c: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<PersonRow>, Error> {
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids.to_vec()))
        .all(c)
        .await?)
}

/// Writes `row` if the stored version is still `row.version`.
/// "Given Family" of the given persons.
pub async fn names(
    c: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, String>, Error> {
    Ok(find_persons(c, ids)
        .await?
        .into_iter()
        .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
        .collect())
}

pub async fn update_person(c: &impl ConnectionTrait, row: PersonRow) -> Result<PersonRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

/// Persons whose folded name/e-mail contains every word; a page and the total.
pub async fn list_persons(
    c: &impl ConnectionTrait,
    words: &[String],
    offset: u64,
    limit: u64,
) -> Result<(Vec<PersonRow>, u64), Error> {
    let mut cond = Condition::all().add(person::Column::DeletedAt.is_null());
    for w in words {
        let w = w
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        cond = cond.add(Expr::col(person::Column::SearchText).like(format!("%{w}%")));
    }
    let q = person::Entity::find().filter(cond);
    let total = q.clone().count(c).await?;
    let rows = q
        .order_by_asc(person::Column::NameSort)
        .order_by_asc(person::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(c)
        .await?;
    Ok((rows, total))
}

pub async fn insert_affiliation(
    c: &impl ConnectionTrait,
    row: AffiliationRow,
) -> Result<(), Error> {
    row.into_active_model().reset_all().insert(c).await?;
    Ok(())
}

pub async fn find_affiliation(
    c: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<AffiliationRow>, Error> {
    Ok(affiliation::Entity::find_by_id(id).one(c).await?)
}

pub async fn delete_affiliation(c: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    affiliation::Entity::delete_many()
        .filter(affiliation::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

pub async fn affiliations_of_person(
    c: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<AffiliationRow>, Error> {
    Ok(affiliation::Entity::find()
        .filter(affiliation::Column::PersonId.eq(person_id))
        .order_by_desc(affiliation::Column::FromDate)
        .all(c)
        .await?)
}

pub async fn affiliations_of_organisation(
    c: &impl ConnectionTrait,
    organisation_id: Uuid,
) -> Result<Vec<AffiliationRow>, Error> {
    Ok(affiliation::Entity::find()
        .filter(affiliation::Column::OrganisationId.eq(organisation_id))
        .order_by_asc(affiliation::Column::Role)
        .all(c)
        .await?)
}

pub async fn insert_consent(c: &impl ConnectionTrait, row: ConsentRow) -> Result<(), Error> {
    row.into_active_model().reset_all().insert(c).await?;
    Ok(())
}

pub async fn find_consent(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<ConsentRow>, Error> {
    Ok(consent::Entity::find_by_id(id).one(c).await?)
}

pub async fn consents_of(
    c: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<ConsentRow>, Error> {
    Ok(consent::Entity::find()
        .filter(consent::Column::PersonId.eq(person_id))
        .order_by_desc(consent::Column::GivenOn)
        .all(c)
        .await?)
}

pub async fn withdraw_consent(
    c: &impl ConnectionTrait,
    id: Uuid,
    on: NaiveDate,
) -> Result<(), Error> {
    consent::Entity::update_many()
        .col_expr(consent::Column::WithdrawnOn, Expr::value(on))
        .filter(consent::Column::Id.eq(id))
        .filter(consent::Column::WithdrawnOn.is_null())
        .exec(c)
        .await?;
    Ok(())
}

/// Moves every affiliation of one organisation to another (merging
/// duplicates); returns how many moved.
pub async fn move_affiliations(
    c: &impl ConnectionTrait,
    from: Uuid,
    to: Uuid,
) -> Result<u64, Error> {
    Ok(affiliation::Entity::update_many()
        .col_expr(affiliation::Column::OrganisationId, Expr::value(to))
        .filter(affiliation::Column::OrganisationId.eq(from))
        .exec(c)
        .await?
        .rows_affected)
}
