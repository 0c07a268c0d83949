//! Organisations and taxonomy terms.
//!
//! Text search here is the portable fallback: `search_text` holds the folded
//! name, alternate names and city, matched with LIKE on a folded query (so
//! SQLite and PostgreSQL behave the same). Facet counts are computed over
//! the filtered rows' list columns in Rust.

use crate::Error;
use crate::entity::{organisation, taxonomy_term};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::BTreeMap;
use uuid::Uuid;

pub use crate::entity::organisation::Model as OrganisationRow;
pub use crate::entity::taxonomy_term::Model as TermRow;

/// How a list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrgSort {
    #[default]
    NameAsc,
    NameDesc,
    UpdatedDesc,
    AssuredAsc,
}

/// Filters of the organisation list; empty vectors mean "any".
#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    /// Folded words that must all occur in `search_text`.
    pub words: Vec<String>,
    pub kinds: Vec<String>,
    pub topics: Vec<String>,
    pub languages: Vec<String>,
    pub districts: Vec<String>,
    pub origins: Vec<String>,
    /// Only profiles not checked since this instant (or never).
    pub not_assured_since: Option<DateTime<Utc>>,
    pub deleted: bool,
    pub public_only: bool,
}

/// The ids of the organisations of these kinds, as a subquery (for
/// filters of offers, contacts and events by their organisations' kind).
pub(crate) fn of_kinds(kinds: &[String]) -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(organisation::Column::Id)
        .from(organisation::Entity)
        .and_where(organisation::Column::Kind.is_in(kinds.to_vec()))
        .to_owned()
}

pub(crate) fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// `lower(column)` contains every word of `text` (lower-cased; the
/// databases fold ASCII case only, so "Ä" and "ä" stay apart).
pub(crate) fn contains_words(
    column: impl sea_orm::sea_query::IntoColumnRef,
    text: &str,
) -> Condition {
    use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
    let column = column.into_column_ref();
    text.split_whitespace()
        .take(8)
        .fold(Condition::all(), |c, w| {
            c.add(
                Func::lower(Expr::col(column.clone())).like(
                    LikeExpr::new(format!("%{}%", like_escape(&w.to_lowercase()))).escape('\\'),
                ),
            )
        })
}

/// `column LIKE '%"value"%'`: membership in a JSON array of codes.
fn contains_any(column: organisation::Column, values: &[String]) -> Condition {
    values.iter().fold(Condition::any(), |c, v| {
        let quoted = serde_json::to_string(v).unwrap_or_default();
        c.add(Expr::col(column).like(format!("%{}%", like_escape(&quoted))))
    })
}

fn condition(f: &OrgFilter) -> Condition {
    let mut c = Condition::all();
    c = if f.deleted {
        c.add(organisation::Column::DeletedAt.is_not_null())
    } else {
        c.add(organisation::Column::DeletedAt.is_null())
    };
    for w in &f.words {
        c = c
            .add(Expr::col(organisation::Column::SearchText).like(format!("%{}%", like_escape(w))));
    }
    if !f.kinds.is_empty() {
        c = c.add(organisation::Column::Kind.is_in(f.kinds.clone()));
    }
    if !f.districts.is_empty() {
        c = c.add(organisation::Column::District.is_in(f.districts.clone()));
    }
    if !f.topics.is_empty() {
        c = c.add(contains_any(organisation::Column::Topics, &f.topics));
    }
    if !f.languages.is_empty() {
        c = c.add(contains_any(organisation::Column::Languages, &f.languages));
    }
    if !f.origins.is_empty() {
        c = c.add(contains_any(organisation::Column::Origins, &f.origins));
    }
    if let Some(since) = f.not_assured_since {
        c = c.add(
            Condition::any()
                .add(organisation::Column::AssuredAt.is_null())
                .add(organisation::Column::AssuredAt.lt(since)),
        );
    }
    if f.public_only {
        c = c.add(organisation::Column::IsPublic.eq(true));
    }
    c
}

/// One page of the list and the total number of matches.
pub async fn list(
    c: &impl ConnectionTrait,
    f: &OrgFilter,
    sort: OrgSort,
    offset: u64,
    limit: u64,
) -> Result<(Vec<OrganisationRow>, u64), Error> {
    let q = organisation::Entity::find().filter(condition(f));
    let total = q.clone().count(c).await?;
    let q = match sort {
        OrgSort::NameAsc => q.order_by_asc(organisation::Column::NameSort),
        OrgSort::NameDesc => q.order_by_desc(organisation::Column::NameSort),
        OrgSort::UpdatedDesc => q.order_by_desc(organisation::Column::UpdatedAt),
        OrgSort::AssuredAsc => q.order_by_asc(organisation::Column::AssuredAt),
    }
    .order_by_asc(organisation::Column::Id);
    let rows = q.offset(offset).limit(limit).all(c).await?;
    Ok((rows, total))
}

/// Counts per value of kind, district, topic, language and origin over all
/// matches.
pub async fn facets(
    c: &impl ConnectionTrait,
    f: &OrgFilter,
) -> Result<BTreeMap<&'static str, BTreeMap<String, u64>>, Error> {
    let rows: Vec<(String, Option<String>, String, String, String)> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Kind)
        .column(organisation::Column::District)
        .column(organisation::Column::Topics)
        .column(organisation::Column::Languages)
        .column(organisation::Column::Origins)
        .filter(condition(f))
        .into_tuple()
        .all(c)
        .await?;
    let mut out: BTreeMap<&'static str, BTreeMap<String, u64>> = BTreeMap::new();
    for (kind, district, topics, languages, origins) in rows {
        *out.entry("kind").or_default().entry(kind).or_default() += 1;
        if let Some(d) = district {
            *out.entry("district").or_default().entry(d).or_default() += 1;
        }
        for (facet, json) in [
            ("topic", topics),
            ("language", languages),
            ("origin", origins),
        ] {
            for v in serde_json::from_str::<Vec<String>>(&json).unwrap_or_default() {
                *out.entry(facet).or_default().entry(v).or_default() += 1;
            }
        }
    }
    Ok(out)
}

/// Every organisation that is not deleted (to build the search index).
pub async fn all_live(c: &impl ConnectionTrait) -> Result<Vec<OrganisationRow>, Error> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::DeletedAt.is_null())
        .all(c)
        .await?)
}

/// The organisations with these ids, in the order of `ids`.
pub async fn find_many(
    c: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<OrganisationRow>, Error> {
    let mut rows = Vec::new();
    for chunk in distinct_chunks(ids) {
        rows.extend(
            organisation::Entity::find()
                .filter(organisation::Column::Id.is_in(chunk))
                .all(c)
                .await?,
        );
    }
    let position: std::collections::HashMap<Uuid, usize> = ids
        .iter()
        .enumerate()
        .rev()
        .map(|(i, id)| (*id, i))
        .collect();
    rows.sort_by_key(|r| position.get(&r.id).copied().unwrap_or(usize::MAX));
    Ok(rows)
}

/// The distinct ids in chunks small enough for one `IN (…)` on every
/// database (SQLite allows 32,766 bound values, PostgreSQL 65,535).
pub(crate) fn distinct_chunks(ids: &[Uuid]) -> Vec<Vec<Uuid>> {
    let mut distinct = ids.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.chunks(5_000).map(<[Uuid]>::to_vec).collect()
}

pub async fn insert(
    c: &impl ConnectionTrait,
    row: OrganisationRow,
) -> Result<OrganisationRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<OrganisationRow>, Error> {
    Ok(organisation::Entity::find_by_id(id).one(c).await?)
}

/// Finds an organisation by register number (for duplicate checks).
pub async fn find_by_register_number(
    c: &impl ConnectionTrait,
    number: &str,
) -> Result<Vec<OrganisationRow>, Error> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::RegisterNumber.eq(number))
        .filter(organisation::Column::DeletedAt.is_null())
        .all(c)
        .await?)
}

/// Writes `row` if the stored version is still `row.version`; the version
/// becomes `row.version + 1`.
pub async fn update(
    c: &impl ConnectionTrait,
    row: OrganisationRow,
) -> Result<OrganisationRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

/// Live organisations whose folded name is exactly `folded`.
pub async fn find_by_folded_name(
    c: &impl ConnectionTrait,
    folded: &str,
) -> Result<Vec<Uuid>, Error> {
    Ok(organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .filter(organisation::Column::NameSort.eq(folded))
        .filter(organisation::Column::DeletedAt.is_null())
        .into_tuple()
        .all(c)
        .await?)
}

/// (id, name) of every live organisation, by name (for choice lists).
pub async fn all_names(c: &impl ConnectionTrait, limit: u64) -> Result<Vec<(Uuid, String)>, Error> {
    Ok(organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .column(organisation::Column::Name)
        .filter(organisation::Column::DeletedAt.is_null())
        .order_by_asc(organisation::Column::NameSort)
        .limit(limit)
        .into_tuple()
        .all(c)
        .await?)
}

/// The names of organisations by id (deleted ones included).
pub async fn names(
    c: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, String>, Error> {
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let mut names = std::collections::HashMap::new();
    for chunk in distinct_chunks(ids) {
        let rows: Vec<(Uuid, String)> = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .column(organisation::Column::Name)
            .filter(organisation::Column::Id.is_in(chunk))
            .into_tuple()
            .all(c)
            .await?;
        names.extend(rows);
    }
    Ok(names)
}

/// All terms of a vocabulary, in their order.
pub async fn terms(c: &impl ConnectionTrait, vocabulary: &str) -> Result<Vec<TermRow>, Error> {
    Ok(taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::Vocabulary.eq(vocabulary))
        .order_by_asc(taxonomy_term::Column::Position)
        .all(c)
        .await?)
}

/// Distinct districts in use (for the filter).
pub async fn districts(c: &impl ConnectionTrait) -> Result<Vec<String>, Error> {
    let rows: Vec<Option<String>> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::District)
        .distinct()
        .filter(organisation::Column::DeletedAt.is_null())
        .into_tuple()
        .all(c)
        .await?;
    let mut out: Vec<String> = rows.into_iter().flatten().collect();
    out.sort();
    Ok(out)
}

/// The organisation records marked as the office itself (normally one).
pub async fn own_office(c: &impl ConnectionTrait) -> Result<Vec<OrganisationRow>, Error> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::IsOwnOffice.eq(true))
        .filter(organisation::Column::DeletedAt.is_null())
        .order_by_asc(organisation::Column::CreatedAt)
        .all(c)
        .await?)
}

/// Whether an organisation is trusted: its representatives' changes are
/// published at once (still recorded and shown to staff).
pub async fn is_trusted(c: &impl ConnectionTrait, id: Uuid) -> Result<bool, Error> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let select = Query::select()
        .column(Alias::new("trusted"))
        .from(organisation::Entity)
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    Ok(match c.query_one(&select).await? {
        Some(row) => row.try_get::<bool>("", "trusted")?,
        None => false,
    })
}

/// Marks an organisation trusted (or not).
pub async fn set_trusted(c: &impl ConnectionTrait, id: Uuid, trusted: bool) -> Result<(), Error> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let update = Query::update()
        .table(organisation::Entity)
        .value(Alias::new("trusted"), trusted)
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    c.execute(&update).await?;
    Ok(())
}
