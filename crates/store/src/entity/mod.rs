//! SeaORM entities, one module per table. Only this crate sees them.

pub mod affiliation;
pub mod agenda_item;
pub mod api_token;
pub mod app_user;
pub mod attachment;
pub mod attendance;
pub mod audit_log;
pub mod body;
pub mod calendar_token;
pub mod consent;
pub mod interaction;
pub mod interaction_organisation;
pub mod interaction_person;
pub mod interaction_staff;
pub mod meeting;
pub mod membership;
pub mod need;
pub mod organisation;
pub mod outbox;
pub mod person;
pub mod recovery_code;
pub mod session;
pub mod setting;
pub mod stored_file;
pub mod task;
pub mod taxonomy_term;
