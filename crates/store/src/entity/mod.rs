//! SeaORM entities, one module per table. Only this crate sees them.

pub mod api_token;
pub mod app_user;
pub mod audit_log;
pub mod organisation;
pub mod recovery_code;
pub mod session;
pub mod setting;
pub mod taxonomy_term;
