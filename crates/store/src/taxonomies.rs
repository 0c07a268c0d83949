//! Taxonomy terms: add, change (version-checked), find.

use crate::Error;
use crate::entity::taxonomy_term;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

pub use crate::entity::taxonomy_term::Model as TermRow;

crate::versioned::versioned_without_touch!(TermRow, taxonomy_term);

pub async fn find(
    c: &impl ConnectionTrait,
    vocabulary: &str,
    code: &str,
) -> Result<Option<TermRow>, Error> {
    Ok(taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::Vocabulary.eq(vocabulary))
        .filter(taxonomy_term::Column::Code.eq(code))
        .one(c)
        .await?)
}

/// Adds a term at the end of its vocabulary (`labels`: German, English,
/// and the other four languages where given).
pub async fn insert(
    c: &impl ConnectionTrait,
    vocabulary: &str,
    code: &str,
    label_de: &str,
    label_en: &str,
    others: [Option<String>; 4],
) -> Result<TermRow, Error> {
    let last: Option<i32> = taxonomy_term::Entity::find()
        .select_only()
        .column_as(taxonomy_term::Column::Position.max(), "max")
        .filter(taxonomy_term::Column::Vocabulary.eq(vocabulary))
        .into_tuple::<Option<i32>>()
        .one(c)
        .await?
        .flatten();
    let row = TermRow {
        id: Uuid::now_v7(),
        vocabulary: vocabulary.to_owned(),
        code: code.to_owned(),
        label_de: label_de.to_owned(),
        label_en: label_en.to_owned(),
        position: last.unwrap_or(0) + 1,
        created_at: Utc::now(),
        version: 1,
        retired_at: None,
        label_tr: others[0].clone(),
        label_ar: others[1].clone(),
        label_ru: others[2].clone(),
        label_uk: others[3].clone(),
    };
    taxonomy_term::Entity::insert(taxonomy_term::ActiveModel {
        id: Set(row.id),
        vocabulary: Set(row.vocabulary.clone()),
        code: Set(row.code.clone()),
        label_de: Set(row.label_de.clone()),
        label_en: Set(row.label_en.clone()),
        position: Set(row.position),
        created_at: Set(row.created_at),
        version: Set(1),
        retired_at: Set(None),
        label_tr: Set(row.label_tr.clone()),
        label_ar: Set(row.label_ar.clone()),
        label_ru: Set(row.label_ru.clone()),
        label_uk: Set(row.label_uk.clone()),
    })
    .exec_without_returning(c)
    .await?;
    Ok(row)
}

/// Writes a changed term if `row.version` is still current.
pub async fn update(c: &impl ConnectionTrait, row: TermRow) -> Result<TermRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

/// All terms of a vocabulary in order (retired ones included).
pub async fn all(c: &impl ConnectionTrait, vocabulary: &str) -> Result<Vec<TermRow>, Error> {
    Ok(taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::Vocabulary.eq(vocabulary))
        .order_by_asc(taxonomy_term::Column::Position)
        .all(c)
        .await?)
}
