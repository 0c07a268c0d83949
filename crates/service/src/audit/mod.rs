//! Writing and reading the audit log through the service layer.
//!
//! Every write use case calls [`record`] inside its own transaction, so the
//! entry exists exactly when the change does. Browsing is for admins and
//! auditors; the change feed (`after`) is the same data in position order.

pub mod describe;

use crate::{Actor, Error, Services};
use chrono::{DateTime, Utc};
use msohub_domain::Permission;
use msohub_store::audit::{self, AuditFilter, NewAuditEntry};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// One entry as shown to users and API clients.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub position: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor: String,
    pub entity_type: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl From<audit::AuditRow> for AuditEntry {
    fn from(r: audit::AuditRow) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditEntry {
            position: r.position,
            at: r.at,
            actor_id: r.actor_id,
            actor: r.actor_label,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            action: r.action,
            before: parse(r.before),
            after: parse(r.after),
        }
    }
}

/// Records a change made by `actor` (inside the caller's transaction).
pub(crate) async fn record(
    c: &impl msohub_store::sea_orm_connection::ConnectionTrait,
    actor: &Actor,
    entity_type: &str,
    entity_id: impl ToString,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<i64, Error> {
    Ok(audit::record(
        c,
        NewAuditEntry {
            at: Utc::now(),
            actor_id: actor.user_id,
            actor_label: actor.email.clone(),
            entity_type: entity_type.to_owned(),
            entity_id: entity_id.to_string(),
            action: action.to_owned(),
            before,
            after,
            ip: actor.ip.clone(),
        },
    )
    .await?)
}

/// Who acted, as the log page names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// An account: its display name now (its address at the time if the
    /// account is gone).
    User(String),
    /// The command line and the background jobs.
    System,
    /// Someone without an account (a sign-in with an unknown address).
    Unknown(String),
}

/// One entry of [`AuditView`]: the entry (secrets hidden) and what the page
/// says about it.
#[derive(Debug, Clone)]
pub struct DescribedEntry {
    pub entry: AuditEntry,
    pub who: Who,
    /// The record's name, if it has one.
    pub record: Option<String>,
    /// Its page, while it exists (and the reader may open it).
    pub link: Option<String>,
    pub changes: Vec<describe::Change>,
}

/// An account to filter the log by.
#[derive(Debug, Clone)]
pub struct AuditUser {
    pub id: Uuid,
    pub name: String,
    /// Office staff (admin, staff, auditor) rather than a representative.
    pub staff: bool,
}

#[derive(Debug, Clone)]
pub struct AuditView {
    pub entries: Vec<DescribedEntry>,
    pub users: Vec<AuditUser>,
}

/// What can be filtered when browsing the log.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub after: Option<i64>,
    pub before: Option<i64>,
    pub actor_id: Option<Uuid>,
    /// The actor's e-mail address (as recorded at the time).
    pub actor: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: Option<u64>,
}

pub const MAX_AUDIT_PAGE: u64 = 1000;

impl Services {
    /// Browses the log, newest first (admins and auditors).
    pub async fn browse_audit_log(
        &self,
        actor: &Actor,
        q: &AuditQuery,
    ) -> Result<Vec<AuditEntry>, Error> {
        actor.require(Permission::ReadAuditLog)?;
        self.list_audit(q, false).await
    }

    /// The log as people read it (the page `/app/audit`): each entry with
    /// its actor's name, its record's name and link (while the record
    /// exists), its changed fields, secrets hidden; and the accounts to
    /// filter by.
    pub async fn audit_log_view(&self, actor: &Actor, q: &AuditQuery) -> Result<AuditView, Error> {
        actor.require(Permission::ReadAuditLog)?;
        let entries = self.list_audit(q, false).await?;
        let conn = self.store.conn();
        let accounts = msohub_store::users::list_users(conn).await?;
        let names: HashMap<Uuid, &str> = accounts
            .iter()
            .map(|u| (u.id, u.display_name.as_str()))
            .collect();
        // Which records still exist, and what they are called now.
        let mut ids: HashMap<&str, (&[&str], Vec<Uuid>)> = HashMap::new();
        for e in &entries {
            if let (Some((table, columns)), Ok(id)) = (
                describe::table_of(&e.entity_type),
                Uuid::parse_str(&e.entity_id),
            ) {
                let (_, list) = ids.entry(table).or_insert((columns, Vec::new()));
                if !list.contains(&id) {
                    list.push(id);
                }
            }
        }
        let mut existing: HashMap<(&str, Uuid), String> = HashMap::new();
        for (table, (columns, ids)) in ids {
            for (id, name) in audit::names_of(conn, table, columns, &ids).await? {
                existing.insert((table, id), name);
            }
        }
        let may_see_users = actor.can(Permission::ManageUsers);
        let entries = entries
            .into_iter()
            .map(|e| {
                let who = match (e.actor_id, e.actor.as_str()) {
                    (Some(id), label) => Who::User(
                        names
                            .get(&id)
                            .filter(|n| !n.trim().is_empty())
                            .map_or_else(|| label.to_owned(), |n| (*n).to_owned()),
                    ),
                    (None, "cli") => Who::System,
                    (None, label) => Who::Unknown(label.to_owned()),
                };
                let found = describe::table_of(&e.entity_type)
                    .zip(Uuid::parse_str(&e.entity_id).ok())
                    .and_then(|((table, _), id)| existing.get(&(table, id)));
                let before = e.before.as_ref().map(describe::redact);
                let after = e.after.as_ref().map(describe::redact);
                let record = describe::record_name(&e.entity_type, before.as_ref(), after.as_ref())
                    .or_else(|| found.filter(|n| !n.is_empty()).cloned());
                let link = found
                    .and_then(|_| describe::link(&e.entity_type, &e.entity_id))
                    .filter(|_| e.entity_type != "user" || may_see_users);
                let changes = describe::changes(before.as_ref(), after.as_ref());
                DescribedEntry {
                    entry: AuditEntry { before, after, ..e },
                    who,
                    record,
                    link,
                    changes,
                }
            })
            .collect();
        let mut users: Vec<AuditUser> = accounts
            .iter()
            .map(|u| AuditUser {
                id: u.id,
                name: if u.display_name.trim().is_empty() {
                    u.email.clone()
                } else {
                    u.display_name.clone()
                },
                staff: u.role != "representative",
            })
            .collect();
        users.sort_by_key(|u| u.name.to_lowercase());
        Ok(AuditView { entries, users })
    }

    /// The change feed: entries after position `q.after`, oldest first.
    pub async fn audit_feed(
        &self,
        actor: &Actor,
        q: &AuditQuery,
    ) -> Result<Vec<AuditEntry>, Error> {
        actor.require(Permission::ReadAuditLog)?;
        self.list_audit(q, true).await
    }

    async fn list_audit(&self, q: &AuditQuery, ascending: bool) -> Result<Vec<AuditEntry>, Error> {
        let filter = AuditFilter {
            after: q.after,
            before: q.before,
            actor_id: q.actor_id,
            actor_label: q.actor.as_ref().map(|a| a.trim().to_lowercase()),
            entity_type: q.entity_type.clone(),
            entity_id: q.entity_id.clone(),
            from: q.from,
            to: q.to,
            limit: q.limit.unwrap_or(100).clamp(1, MAX_AUDIT_PAGE),
            ascending,
        };
        let rows = audit::list(self.store.conn(), &filter).await?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }

    /// The history of a work-log record (interaction, need, task) for staff
    /// readers, newest first.
    pub async fn record_history(
        &self,
        actor: &Actor,
        entity_type: &str,
        id: Uuid,
    ) -> Result<Vec<AuditEntry>, Error> {
        actor.require(msohub_domain::Permission::ReadStaffArea)?;
        if ![
            "interaction",
            "need",
            "task",
            "meeting",
            "body",
            "event",
            "offer",
        ]
        .contains(&entity_type)
        {
            return Err(Error::NotFound);
        }
        self.entity_history(entity_type, id).await
    }

    /// The audit trail of one record, newest first.
    pub(crate) async fn entity_history(
        &self,
        entity_type: &str,
        id: Uuid,
    ) -> Result<Vec<AuditEntry>, Error> {
        let filter = AuditFilter {
            entity_type: Some(entity_type.to_owned()),
            entity_id: Some(id.to_string()),
            limit: 200,
            ..AuditFilter::default()
        };
        Ok(audit::list(self.store.conn(), &filter)
            .await?
            .into_iter()
            .map(AuditEntry::from)
            .collect())
    }

    /// The newest position of the change feed (internal consumers: search
    /// index, caches).
    pub async fn audit_head(&self) -> Result<i64, Error> {
        Ok(audit::head(self.store.conn()).await?)
    }
}
