//! Connecting to the database.
//!
//! A [`DatabaseUrl`] is parsed before anything is opened, so a malformed URL is
//! reported as such rather than as a connection failure. SQLite runs in WAL
//! mode with foreign keys enforced and a busy timeout, so readers never block
//! the writer and constraint checks match PostgreSQL's.

use crate::Error;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Which database engine a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A database location that has been checked for form (not yet reachability).
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// An SQLite file; created on first use.
    Sqlite(PathBuf),
    /// A PostgreSQL URL (`postgres://` or `postgresql://`).
    Postgres(url::Url),
}

impl DatabaseUrl {
    /// Parses `sqlite://path`, `sqlite:path`, `postgres://…`, or a plain file
    /// path (taken as SQLite). Query parameters on SQLite URLs are ignored:
    /// msohub sets the pragmas it needs itself.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let invalid = |reason: &str| Error::InvalidUrl {
            url: redact(input),
            reason: reason.to_owned(),
        };
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(invalid("it is empty"));
        }
        if let Some(rest) = trimmed.strip_prefix("sqlite:") {
            let rest = rest.strip_prefix("//").unwrap_or(rest);
            let path = rest.split('?').next().unwrap_or("");
            if path.is_empty() {
                return Err(invalid(
                    "it names no file (expected sqlite://path/to/file.db)",
                ));
            }
            if path == ":memory:" {
                return Err(invalid(
                    "an in-memory database would lose all data at exit; name a file",
                ));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://") {
            let url = url::Url::parse(trimmed).map_err(|e| invalid(&e.to_string()))?;
            if url.host_str().is_none_or(str::is_empty) {
                return Err(invalid("it names no host"));
            }
            if url.path().trim_start_matches('/').is_empty() {
                return Err(invalid(
                    "it names no database (expected postgres://user@host:port/dbname)",
                ));
            }
            return Ok(DatabaseUrl::Postgres(url));
        }
        if let Some((scheme, _)) = trimmed.split_once("://") {
            return Err(invalid(&format!(
                "the scheme {scheme:?} is not supported (use sqlite:// or postgres://)"
            )));
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(trimmed)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Shows the URL with any password replaced, fit for logs and error messages.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => f.write_str(&redact(url.as_str())),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Replaces the password of a URL-like string with `***`. Works on strings
/// that are not valid URLs too, since those are exactly the ones that end up
/// in error messages.
fn redact(input: &str) -> String {
    let Some(scheme_end) = input.find("://") else {
        return input.to_owned();
    };
    let rest = &input[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rfind('@') {
        Some(at) => match authority[..at].find(':') {
            Some(colon) => format!(
                "{}{}:***{}",
                &input[..scheme_end + 3],
                &authority[..colon],
                &rest[at..]
            ),
            None => input.to_owned(),
        },
        None => input.to_owned(),
    }
}

/// Connection pool figures, for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
}

/// The handle every query goes through. Cheap to clone (a pool inside).
#[derive(Clone)]
pub struct Store {
    conn: DatabaseConnection,
    backend: Backend,
}

impl Store {
    /// Opens (and for SQLite, creates) the database. Does not migrate.
    pub async fn connect(url: &DatabaseUrl) -> Result<Store, Error> {
        let options = match url {
            DatabaseUrl::Sqlite(path) => {
                ensure_data_folder(path)?;
                let mut options = ConnectOptions::new(format!("sqlite://{}", path.display()));
                options
                    .max_connections(8)
                    .min_connections(1)
                    .map_sqlx_sqlite_opts(|o| {
                        o.create_if_missing(true)
                            .journal_mode(SqliteJournalMode::Wal)
                            .synchronous(SqliteSynchronous::Normal)
                            .foreign_keys(true)
                            .busy_timeout(Duration::from_secs(5))
                    });
                options
            }
            DatabaseUrl::Postgres(pg) => {
                probe_postgres(url, pg).await?;
                let mut options = ConnectOptions::new(pg.as_str().to_owned());
                options.max_connections(16).min_connections(1);
                options
            }
        };
        let mut options = options;
        options
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false);
        let conn = Database::connect(options)
            .await
            .map_err(|e| Error::Unreachable {
                url: url.to_string(),
                reason: describe_connect_error(&e),
            })?;
        let store = Store {
            conn,
            backend: url.backend(),
        };
        // A pool can be created lazily; make sure the database really answers.
        store.ping().await.map_err(|e| Error::Unreachable {
            url: url.to_string(),
            reason: describe_connect_error(&e),
        })?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection; pass it to the query functions for a single
    /// statement outside a transaction.
    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Starts a write transaction; it rolls back unless committed.
    ///
    /// On SQLite it takes the write lock at `BEGIN` (`BEGIN IMMEDIATE`),
    /// waiting for it up to the busy timeout. A deferred transaction starts
    /// as a reader and becomes a writer at its first write; when another
    /// connection has committed in between (a version check reads, then
    /// updates), SQLite cannot upgrade it and answers "database is locked"
    /// at once, without waiting — two staff saving different records at the
    /// same moment got a 500 (found by `scripts/soak`). Writers now queue for
    /// the lock instead; readers outside transactions are not blocked (WAL).
    pub async fn begin(&self) -> Result<crate::Tx, Error> {
        use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
        Ok(match self.backend {
            Backend::Sqlite => {
                self.conn
                    .begin_with_options(TransactionOptions {
                        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                        ..TransactionOptions::default()
                    })
                    .await?
            }
            Backend::Postgres => self.conn.begin().await?,
        })
    }

    /// Starts a read-only transaction that sees one state of the whole
    /// database (PostgreSQL: repeatable read; SQLite: one transaction
    /// reads one state of the file), for consistent backups while the
    /// application writes.
    pub async fn begin_snapshot(&self) -> Result<crate::Tx, Error> {
        use sea_orm::{AccessMode, IsolationLevel, TransactionTrait};
        Ok(match self.backend {
            Backend::Postgres => {
                self.conn
                    .begin_with_config(
                        Some(IsolationLevel::RepeatableRead),
                        Some(AccessMode::ReadOnly),
                    )
                    .await?
            }
            Backend::Sqlite => self.conn.begin().await?,
        })
    }

    /// Asks the database a trivial question; `Ok` means it answers.
    pub async fn ping(&self) -> Result<(), sea_orm::DbErr> {
        self.conn.ping().await
    }

    pub fn pool_stats(&self) -> PoolStats {
        match self.conn.get_database_backend() {
            DbBackend::Sqlite => {
                let pool = self.conn.get_sqlite_connection_pool();
                PoolStats {
                    size: pool.size(),
                    idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
                }
            }
            _ => {
                let pool = self.conn.get_postgres_connection_pool();
                PoolStats {
                    size: pool.size(),
                    idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
                }
            }
        }
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(self) {
        let _ = self.conn.close().await;
    }
}

/// Opens one plain connection first: the pool retries until its timeout and
/// then reports only "pool timed out", which hides the cause (refused,
/// unknown host, wrong password) an operator needs to see.
async fn probe_postgres(url: &DatabaseUrl, pg: &url::Url) -> Result<(), Error> {
    use sea_orm::sqlx::Connection;
    let unreachable = |reason: String| Error::Unreachable {
        url: url.to_string(),
        reason,
    };
    let options: sea_orm::sqlx::postgres::PgConnectOptions =
        pg.as_str()
            .parse()
            .map_err(|e: sea_orm::sqlx::Error| Error::InvalidUrl {
                url: url.to_string(),
                reason: e.to_string(),
            })?;
    match tokio::time::timeout(
        Duration::from_secs(5),
        sea_orm::sqlx::PgConnection::connect_with(&options),
    )
    .await
    {
        Err(_) => Err(unreachable("no answer within 5 seconds".to_owned())),
        Ok(Err(e)) => Err(unreachable(innermost(&e))),
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            Ok(())
        }
    }
}

/// Creates the folder that holds the SQLite file and proves it is writable,
/// so that problem is reported with the folder's name rather than as an
/// opaque "unable to open database file".
fn ensure_data_folder(path: &Path) -> Result<(), Error> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fail = |source| Error::DataFolder {
        folder: folder.display().to_string(),
        source,
    };
    std::fs::create_dir_all(&folder).map_err(fail)?;
    let probe = folder.join(format!(".msohub-write-test-{}", std::process::id()));
    std::fs::write(&probe, b"").map_err(fail)?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// The innermost cause of a connection failure, which is the part that says
/// what is wrong ("Connection refused", "password authentication failed").
fn describe_connect_error(err: &sea_orm::DbErr) -> String {
    innermost(err)
}

fn innermost(err: &(dyn std::error::Error + 'static)) -> String {
    let mut source: &dyn std::error::Error = err;
    while let Some(next) = source.source() {
        source = next;
    }
    let text = source.to_string();
    if text.is_empty() {
        err.to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_supported_forms() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/msohub.db").unwrap(),
            DatabaseUrl::Sqlite("data/msohub.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db?mode=rwc").unwrap(),
            DatabaseUrl::Sqlite("/tmp/x.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("./data/x.db").unwrap(),
            DatabaseUrl::Sqlite("./data/x.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p@localhost:5432/msohub")
                .unwrap()
                .backend(),
            Backend::Postgres
        );
    }

    #[test]
    fn rejects_malformed_urls_with_a_reason() {
        for bad in [
            "",
            "sqlite://",
            "sqlite::memory:",
            "mysql://localhost/x",
            "postgres://",
            "postgres://localhost",
            "postgres://local host/db",
        ] {
            let err = DatabaseUrl::parse(bad).unwrap_err();
            assert!(matches!(err, Error::InvalidUrl { .. }), "{bad}: {err}");
        }
    }

    #[test]
    fn never_shows_a_password() {
        let url = DatabaseUrl::parse("postgres://app:secret@db:5432/msohub").unwrap();
        assert!(!url.to_string().contains("secret"));
        let err = DatabaseUrl::parse("postgres://app:secret@/").unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
        assert_eq!(
            redact("postgres://a:b@h:1/d?x=1"),
            "postgres://a:***@h:1/d?x=1"
        );
        assert_eq!(redact("postgres://a@h/d"), "postgres://a@h/d");
        assert_eq!(redact("no url"), "no url");
    }

    /// Writers that read first (a version check) and then write, at the same
    /// moment on different rows: every one succeeds. With deferred
    /// transactions some got "database is locked" at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_read_then_write_transactions_all_commit_on_sqlite() {
        use sea_orm::{ConnectionTrait, Statement};
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("t.db"));
        let store = Store::connect(&url).await.unwrap();
        let sql = |q: String| Statement::from_string(sea_orm::DbBackend::Sqlite, q);
        store
            .conn()
            .execute_raw(sql(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)".into(),
            ))
            .await
            .unwrap();
        for i in 0..16 {
            store
                .conn()
                .execute_raw(sql(format!("INSERT INTO t VALUES ({i}, 0)")))
                .await
                .unwrap();
        }
        let mut tasks = Vec::new();
        for i in 0..16 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..20 {
                    let tx = store.begin().await?;
                    tx.query_one_raw(sql(format!("SELECT v FROM t WHERE id = {i}")))
                        .await?;
                    tokio::task::yield_now().await;
                    tx.execute_raw(sql(format!("UPDATE t SET v = v + 1 WHERE id = {i}")))
                        .await?;
                    tx.commit().await?;
                }
                Ok::<(), Error>(())
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let row = store
            .conn()
            .query_one_raw(sql("SELECT SUM(v) AS s FROM t".into()))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get::<i64>("", "s").unwrap(), 16 * 20);
    }
}
