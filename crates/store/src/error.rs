//! The store's error: what went wrong with the database, in words an operator
//! understands. The cause chain is kept for the log; the message names the
//! problem without leaking passwords.

/// Something the database could not do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database URL could not be understood.
    #[error("the database URL {url:?} is not valid: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// The folder that should hold the SQLite file could not be created or written.
    #[error("cannot use the data folder {folder}: {source}")]
    DataFolder {
        folder: String,
        #[source]
        source: std::io::Error,
    },
    /// The database server or file could not be reached or opened.
    #[error("cannot connect to the database {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// Applying the migrations failed.
    #[error("migrating the database failed: {0}")]
    Migration(#[source] sea_orm::DbErr),
    /// The record changed since it was read (optimistic locking).
    #[error("the record was changed by someone else")]
    Stale,
    /// A unique constraint refused the value of a field.
    #[error("the value of {0} is already taken")]
    Taken(&'static str),
    /// A backup could not be written or read back.
    #[error("backup: {0}")]
    Backup(String),
    /// Any other database failure.
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
}

impl Error {
    /// Maps a unique-constraint violation to [`Error::Taken`] naming `field`.
    pub fn from_db(err: sea_orm::DbErr, field: &'static str) -> Error {
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => Error::Taken(field),
            _ => Error::Db(err),
        }
    }
}
