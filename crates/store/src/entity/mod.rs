//! SeaORM entities, one module per table. Only this crate sees them.

pub mod affiliation;
pub mod api_token;
pub mod app_user;
pub mod audit_log;
pub mod consent;
pub mod organisation;
pub mod person;
pub mod recovery_code;
pub mod session;
pub mod setting;
pub mod stored_file;
pub mod taxonomy_term;
