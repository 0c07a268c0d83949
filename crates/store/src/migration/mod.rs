//! The one portable set of migrations, applied to SQLite and PostgreSQL alike.
//!
//! Migrations are append-only: a migration that has shipped is never edited;
//! a change is a new migration. Table names are singular; every table has
//! `created_at`/`updated_at` where rows can change.

use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_accounts;
mod m0003_registry;
mod m0004_people;
mod m0005_files;
mod m0006_term_admin;
mod m0007_work_log;
mod m0008_bodies;
mod m0009_targets;
mod m0010_report_texts;
mod m0011_report_versions;
mod m0012_events;
mod m0013_offers;
mod m0014_imports;
mod m0015_auth_throttle;
mod m0016_portal;
mod m0017_dated_needs;
mod m0018_term_labels;
pub mod m0019_projects;
mod m0020_surveys;
mod m0021_survey_links;
mod m0022_report_needs;
mod m0023_mailings;

/// Lists every migration in the order it is applied.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_accounts::Migration),
            Box::new(m0003_registry::Migration),
            Box::new(m0004_people::Migration),
            Box::new(m0005_files::Migration),
            Box::new(m0006_term_admin::Migration),
            Box::new(m0007_work_log::Migration),
            Box::new(m0008_bodies::Migration),
            Box::new(m0009_targets::Migration),
            Box::new(m0010_report_texts::Migration),
            Box::new(m0011_report_versions::Migration),
            Box::new(m0012_events::Migration),
            Box::new(m0013_offers::Migration),
            Box::new(m0014_imports::Migration),
            Box::new(m0015_auth_throttle::Migration),
            Box::new(m0016_portal::Migration),
            Box::new(m0017_dated_needs::Migration),
            Box::new(m0018_term_labels::Migration),
            Box::new(m0019_projects::Migration),
            Box::new(m0020_surveys::Migration),
            Box::new(m0021_survey_links::Migration),
            Box::new(m0022_report_needs::Migration),
            Box::new(m0023_mailings::Migration),
        ]
    }
}

impl crate::Store {
    /// Applies every migration not yet applied. Safe to run on every start
    /// and from several nodes: applied migrations are recorded in the database.
    pub async fn migrate(&self) -> Result<(), crate::Error> {
        Migrator::up(self.conn(), None)
            .await
            .map_err(crate::Error::Migration)
    }

    /// Names of the migrations not yet applied.
    pub async fn pending_migrations(&self) -> Result<Vec<String>, crate::Error> {
        let pending = Migrator::get_pending_migrations(self.conn())
            .await
            .map_err(crate::Error::Migration)?;
        Ok(pending.iter().map(|m| m.name().to_owned()).collect())
    }
}
