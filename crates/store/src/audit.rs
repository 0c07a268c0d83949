//! The audit log, which is also the change feed.
//!
//! An entry is written in the same transaction as the change it records.
//! Positions must become visible in order, or a feed consumer that has read up
//! to N could miss a smaller position committed later. SQLite serialises
//! writers anyway; on PostgreSQL each writing transaction takes one
//! transaction-scoped advisory lock before its first entry, so writes are
//! serialised and positions commit in order. An office's write rate is a few
//! per second at most, so the lock costs nothing noticeable.

use crate::Error;
use crate::entity::audit_log;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement,
};
use uuid::Uuid;

pub use crate::entity::audit_log::Model as AuditRow;

/// Arbitrary constant naming msohub's audit advisory lock.
const AUDIT_LOCK: i64 = 0x6d73_6f68_7562; // "msohub"

/// What a new audit entry says.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    pub entity_type: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub ip: Option<String>,
}

/// Appends an entry; returns its position.
pub async fn record(c: &impl ConnectionTrait, entry: NewAuditEntry) -> Result<i64, Error> {
    if c.get_database_backend() == DbBackend::Postgres {
        c.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [AUDIT_LOCK.into()],
        ))
        .await?;
    }
    let row = audit_log::ActiveModel {
        position: NotSet,
        at: Set(entry.at),
        actor_id: Set(entry.actor_id),
        actor_label: Set(truncate(&entry.actor_label, 254)),
        entity_type: Set(entry.entity_type),
        entity_id: Set(entry.entity_id),
        action: Set(entry.action),
        before: Set(entry.before.map(|v| v.to_string())),
        after: Set(entry.after.map(|v| v.to_string())),
        ip: Set(entry.ip),
    };
    let result = audit_log::Entity::insert(row).exec(c).await?;
    Ok(result.last_insert_id)
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Filters for browsing the log; all optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub after: Option<i64>,
    pub before: Option<i64>,
    pub actor_id: Option<Uuid>,
    pub actor_label: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: u64,
    /// Oldest first (the change feed) or newest first (browsing).
    pub ascending: bool,
}

pub async fn list(c: &impl ConnectionTrait, f: &AuditFilter) -> Result<Vec<AuditRow>, Error> {
    let mut q = audit_log::Entity::find();
    if let Some(after) = f.after {
        q = q.filter(audit_log::Column::Position.gt(after));
    }
    if let Some(before) = f.before {
        q = q.filter(audit_log::Column::Position.lt(before));
    }
    if let Some(actor) = f.actor_id {
        q = q.filter(audit_log::Column::ActorId.eq(actor));
    }
    if let Some(label) = &f.actor_label {
        q = q.filter(audit_log::Column::ActorLabel.eq(label.as_str()));
    }
    if let Some(t) = &f.entity_type {
        q = q.filter(audit_log::Column::EntityType.eq(t.as_str()));
    }
    if let Some(id) = &f.entity_id {
        q = q.filter(audit_log::Column::EntityId.eq(id.as_str()));
    }
    if let Some(from) = f.from {
        q = q.filter(audit_log::Column::At.gte(from));
    }
    if let Some(to) = f.to {
        q = q.filter(audit_log::Column::At.lt(to));
    }
    q = if f.ascending {
        q.order_by_asc(audit_log::Column::Position)
    } else {
        q.order_by_desc(audit_log::Column::Position)
    };
    Ok(q.limit(f.limit).all(c).await?)
}

/// The newest position, or 0 for an empty log.
pub async fn head(c: &impl ConnectionTrait) -> Result<i64, Error> {
    let row = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Position)
        .one(c)
        .await?;
    Ok(row.map_or(0, |r| r.position))
}

/// The entry at `position`, if the log (still) has it.
pub async fn entry_at(c: &impl ConnectionTrait, position: i64) -> Result<Option<AuditRow>, Error> {
    Ok(audit_log::Entity::find_by_id(position).one(c).await?)
}

/// The rows of `table` among `ids` that still exist, with their name: the
/// given columns joined by a space (empty ones left out). `table` and
/// `columns` are the caller's constants, never user input. For the audit
/// log's sentences, which link to a record while it exists.
pub async fn names_of(
    c: &impl ConnectionTrait,
    table: &str,
    columns: &[&str],
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, String>, Error> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let mut names = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(names);
    }
    let mut select = Query::select();
    select
        .column(Alias::new("id"))
        .from(Alias::new(table))
        .and_where(Expr::col(Alias::new("id")).is_in(ids.iter().copied()));
    for column in columns {
        select.column(Alias::new(*column));
    }
    for row in c.query_all(&select).await? {
        let id = row.try_get::<Uuid>("", "id")?;
        let name = columns
            .iter()
            .filter_map(|col| row.try_get::<Option<String>>("", col).ok().flatten())
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        names.insert(id, name);
    }
    Ok(names)
}
