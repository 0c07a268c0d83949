//! Persistence of msohub: the one room that speaks SQL.
//!
//! It owns the connection to SQLite (the embedded default) or PostgreSQL, the
//! one portable set of migrations, and every query. Both backends run the same
//! migrations and the same tests; anything backend-specific is decided here
//! and nowhere else. Callers get typed results and [`Error`], never raw SQL
//! errors.

pub mod audit;
pub mod backup;
pub mod bodies;
pub mod classification;
mod connect;
mod entity;
mod error;
pub mod events;
pub mod files;
pub mod imports;
pub mod mailings;
pub mod migration;
pub mod offers;
pub mod organisations;
pub mod people;
pub mod portal;
pub mod privacy;
pub mod projects;
pub mod settings;
pub mod surveys;
pub mod targets;
pub mod taxonomies;
pub mod throttle;
pub mod users;
mod versioned;
pub mod work;

pub use connect::{Backend, DatabaseUrl, PoolStats, Store};
pub use error::Error;

/// The connection trait the query functions are generic over, for callers
/// that pass a connection or transaction through.
pub mod sea_orm_connection {
    pub use sea_orm::ConnectionTrait;
}

/// A database transaction; pass `&tx` to the query functions.
pub type Tx = sea_orm::DatabaseTransaction;
