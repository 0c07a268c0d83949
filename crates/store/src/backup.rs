//! Every table's rows out and in, in a form both databases agree on: each
//! row is its entity model as JSON (typed by the model, so a UUID, a time
//! or a flag comes back as the same value on SQLite and on PostgreSQL).
//!
//! Invariants:
//! - [`TABLES`] lists every table of the schema, parents before children,
//!   so rows can be loaded in that order with foreign keys on.
//! - A table's dump is sorted by the row's JSON text and its times are cut
//!   to microseconds (what PostgreSQL keeps): the same data dumps to the
//!   same bytes on either database, so checksums compare across them.
//! - Loading happens in the caller's transaction: all or nothing.

use crate::Error;
use crate::entity::*;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, Statement};
use serde_json::Value;

/// `Vec<u8>` as a hex string in JSON (file contents in backups).
pub mod hex_bytes {
    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text: String = serde::Deserialize::deserialize(d)?;
        hex::decode(text).map_err(serde::de::Error::custom)
    }
}

/// Rows per `INSERT`: well under SQLite's 32,766 bound values for the
/// widest table.
const CHUNK: usize = 100;

macro_rules! tables {
    ($($name:literal => $module:ident),* $(,)?) => {
        /// Every table, parents before children.
        pub const TABLES: &[&str] = &[$($name),*];

        /// All rows of one table as JSON, in a canonical order.
        pub async fn dump(c: &impl ConnectionTrait, table: &str) -> Result<Vec<Value>, Error> {
            let mut rows: Vec<Value> = match table {
                $($name => $module::Entity::find()
                    .all(c)
                    .await?
                    .into_iter()
                    .map(|m| serde_json::to_value(m).map(canonical))
                    .collect::<Result<_, _>>()
                    .map_err(|e| Error::Backup(format!("{table}: {e}")))?,)*
                _ => return Err(Error::Backup(format!("unknown table {table}"))),
            };
            let mut keyed: Vec<(String, Value)> =
                rows.drain(..).map(|r| (r.to_string(), r)).collect();
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(keyed.into_iter().map(|(_, r)| r).collect())
        }

        /// Inserts rows (as [`dump`] gives them) into one table.
        pub async fn load(c: &impl ConnectionTrait, table: &str, rows: Vec<Value>) -> Result<u64, Error> {
            let n = rows.len() as u64;
            match table {
                $($name => {
                    let models: Vec<$module::Model> = rows
                        .into_iter()
                        .map(serde_json::from_value)
                        .collect::<Result<_, _>>()
                        .map_err(|e| Error::Backup(format!("{table}: {e}")))?;
                    for chunk in models.chunks(CHUNK) {
                        $module::Entity::insert_many(
                            chunk.iter().cloned().map(IntoActiveModel::into_active_model),
                        )
                        .exec_without_returning(c)
                        .await?;
                    }
                })*
                _ => return Err(Error::Backup(format!("unknown table {table}"))),
            }
            Ok(n)
        }

        /// How many rows a table has.
        pub async fn count(c: &impl ConnectionTrait, table: &str) -> Result<u64, Error> {
            use sea_orm::PaginatorTrait;
            match table {
                $($name => Ok($module::Entity::find().count(c).await?),)*
                _ => Err(Error::Backup(format!("unknown table {table}"))),
            }
        }
    };
}

tables! {
    "setting" => setting,
    "taxonomy_term" => taxonomy_term,
    "app_user" => app_user,
    "session" => session,
    "recovery_code" => recovery_code,
    "api_token" => api_token,
    "calendar_token" => calendar_token,
    "stored_file" => stored_file,
    "organisation" => organisation,
    "person" => person,
    "affiliation" => affiliation,
    "consent" => consent,
    "interaction" => interaction,
    "interaction_organisation" => interaction_organisation,
    "interaction_person" => interaction_person,
    "interaction_staff" => interaction_staff,
    "attachment" => attachment,
    "need" => need,
    "task" => task,
    "body" => body,
    "membership" => membership,
    "meeting" => meeting,
    "agenda_item" => agenda_item,
    "attendance" => attendance,
    "outbox" => outbox,
    "project" => project,
    "period" => period,
    "target" => target,
    "target_link" => target_link,
    "report_text" => report_text,
    "report_version" => report_version,
    "beyond_item" => beyond_item,
    "survey" => survey,
    "survey_recipient" => survey_recipient,
    "survey_answer" => survey_answer,
    "mailing" => mailing,
    "event" => event,
    "event_organiser" => event_organiser,
    "offer" => offer,
    "import_profile" => import_profile,
    "import_upload" => import_upload,
    "auth_throttle" => auth_throttle,
    "invitation" => invitation,
    "sign_in_link" => sign_in_link,
    "proposal" => proposal,
    "idea" => idea,
    "idea_link" => idea_link,
    "meeting_response" => meeting_response,
    "audit_log" => audit_log,
}

/// Times cut to microseconds, everything else as it is.
fn canonical(v: Value) -> Value {
    match v {
        Value::String(s) => Value::String(micros(&s).unwrap_or(s)),
        Value::Array(a) => Value::Array(a.into_iter().map(canonical).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, canonical(v))).collect()),
        other => other,
    }
}

/// An RFC 3339 time with more than six fractional digits, cut to six.
fn micros(s: &str) -> Option<String> {
    if s.len() < 20 || !s.as_bytes()[4].eq(&b'-') {
        return None;
    }
    let t = chrono::DateTime::parse_from_rfc3339(s).ok()?;
    let nanos = t.timestamp_subsec_nanos();
    (nanos % 1000 != 0).then(|| {
        let cut = t - chrono::Duration::nanoseconds(i64::from(nanos % 1000));
        cut.with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    })
}

/// What the migrations seed in a new database: the vocabularies and the
/// default project.
const SEEDED: [&str; 2] = ["taxonomy_term", "project"];

/// Makes a fresh database ready for [`load`]: refuses one that holds data
/// (anything but what the migrations seed), then removes the seeded rows
/// so the archive's own come in.
pub async fn prepare_empty(c: &impl ConnectionTrait) -> Result<(), Error> {
    for table in TABLES.iter().filter(|t| !SEEDED.contains(t)) {
        if count(c, table).await? > 0 {
            return Err(Error::Backup(format!(
                "the database is not empty (table {table} has rows); restore only into a new database"
            )));
        }
    }
    taxonomy_term::Entity::delete_many().exec(c).await?;
    project::Entity::delete_many().exec(c).await?;
    Ok(())
}

/// After loading rows with their own ids: PostgreSQL's sequence for the
/// audit log continues after the highest position.
pub async fn after_load(c: &impl ConnectionTrait) -> Result<(), Error> {
    if c.get_database_backend() == DbBackend::Postgres {
        c.execute_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT setval(pg_get_serial_sequence('audit_log', 'position'), \
             COALESCE((SELECT MAX(position) FROM audit_log), 0) + 1, false)",
        ))
        .await?;
    }
    Ok(())
}

/// The schema versions this build knows: every migration's name, in the
/// order they are applied (version `n` is the first `n` of them).
pub fn known_migrations() -> Vec<String> {
    use sea_orm_migration::MigratorTrait;
    crate::migration::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

/// The migrations applied to this database (their names, in order); empty
/// for a database that was never migrated.
pub async fn applied_migrations(c: &impl ConnectionTrait) -> Result<Vec<String>, Error> {
    let backend = c.get_database_backend();
    let exists = match backend {
        DbBackend::Postgres => {
            "SELECT 1 AS one FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'seaql_migrations'"
        }
        _ => {
            "SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'"
        }
    };
    if c.query_one_raw(Statement::from_string(backend, exists))
        .await?
        .is_none()
    {
        return Ok(Vec::new());
    }
    let rows = c
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT version FROM seaql_migrations ORDER BY version",
        ))
        .await?;
    rows.iter()
        .map(|r| r.try_get::<String>("", "version").map_err(Error::from))
        .collect()
}

/// Names this database as it is: its last migration, and when its first
/// one ran (its birth, as Unix seconds). The birth is not in a backup (the
/// migrations table is not): a restore, which goes into a new database,
/// gives one of its own, so nothing kept for the original (a search index
/// folder) is taken for the restored copy, however alike their content.
pub async fn database_marker(c: &impl ConnectionTrait) -> Result<String, Error> {
    let Some(last) = applied_migrations(c).await?.pop() else {
        return Ok(String::new());
    };
    let backend = c.get_database_backend();
    let born = c
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT applied_at FROM seaql_migrations ORDER BY version LIMIT 1",
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "applied_at"))
        .transpose()?
        .unwrap_or_default();
    Ok(format!("{last}/{born}"))
}

/// SQLite: moves everything the write-ahead log holds into the database
/// file and empties the log, so the file alone is the whole database (a
/// restore into a temporary file is renamed into place afterwards).
pub async fn checkpoint(c: &impl ConnectionTrait) -> Result<(), Error> {
    if c.get_database_backend() == DbBackend::Sqlite {
        c.execute_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA wal_checkpoint(TRUNCATE)",
        ))
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_cut_to_microseconds_and_nothing_else_changes() {
        assert_eq!(
            micros("2026-11-30T04:50:10.462001234Z").unwrap(),
            "2026-11-30T04:50:10.462001Z"
        );
        assert_eq!(micros("2026-11-30T04:50:10.462001Z"), None);
        assert_eq!(micros("Kulturverein"), None);
        assert_eq!(micros("2026-11-30"), None);
        let v = canonical(serde_json::json!({"a": ["2026-11-30T04:50:10.000000001+00:00", 1]}));
        assert_eq!(v["a"][0], "2026-11-30T04:50:10Z");
    }
}
