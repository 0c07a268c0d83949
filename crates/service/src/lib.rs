//! Use cases of msohub, shared by the pages, the JSON API, the CLI and jobs.
//!
//! Every read and write a user can cause goes through [`Services`]: this is
//! where transactions begin, where authorisation is decided (from the
//! Accounts feature on) and where writes are audited. Handlers in `web` and
//! commands in the CLI stay thin and call in here.

pub mod accounts;
mod actor;
pub mod attachments;
/// A stored file (logo, attachment) as read back: bytes, type, name.
pub use msohub_store::files::StoredFile;
pub mod audit;
pub mod backup;
pub mod bodies;
pub mod calendar;
pub mod dashboard;
pub mod demo;
pub mod directory;
mod error;
pub mod events;
pub mod export;
pub mod finder;
pub mod geocode;
pub mod hsds;
pub mod ideas;
pub mod import;
pub mod interactions;
pub mod mail;
pub mod mailings;
pub mod meetings;
pub mod needs;
pub mod offers;
pub mod office;
pub mod oparl;
pub mod organisations;
pub mod outbound;
mod patch;
pub mod people;
pub mod portal;
pub mod privacy;
pub mod projects;
mod publication;
pub mod report;
pub mod search;
pub mod search_words;
mod secrets;
pub mod settings;
pub mod surveys;
pub mod targets;
pub mod tasks;
pub mod taxonomies;
pub mod time;
pub mod totp;
mod write;

pub use accounts::{AuthPolicy, User};
pub use actor::{Actor, Via};
pub use error::{Error, FieldError};
pub use msohub_store::{Backend, DatabaseUrl, PoolStats};

use msohub_store::Store;

/// The entry point to every use case. Cheap to clone.
#[derive(Clone)]
pub struct Services {
    store: Store,
    policy: std::sync::Arc<AuthPolicy>,
    /// The full-text index; `None` until [`Services::start_search`] ran
    /// (the CLI does without one).
    search: Option<std::sync::Arc<search::Search>>,
    /// Hosts and networks outbound requests may reach although internal,
    /// from the `serve` flag (the admin setting adds to it).
    outbound_allow: std::sync::Arc<outbound::AllowList>,
    /// Sign-in attempts per key, one at a time (see `accounts`).
    attempt_locks: std::sync::Arc<accounts::KeyedLocks>,
    /// Where people reach the app (for links in e-mails), without a
    /// trailing slash.
    public_url: std::sync::Arc<String>,
}

/// What `/healthz` reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Health {
    pub database: bool,
    pub backend: &'static str,
}

impl Services {
    /// Connects to the database and, if asked, applies pending migrations.
    pub async fn open(url: &DatabaseUrl, migrate: bool) -> Result<Services, msohub_store::Error> {
        let store = Store::connect(url).await?;
        if migrate {
            store.migrate().await?;
        }
        Ok(Services {
            store,
            policy: std::sync::Arc::new(AuthPolicy::default()),
            search: None,
            outbound_allow: std::sync::Arc::default(),
            attempt_locks: std::sync::Arc::default(),
            public_url: std::sync::Arc::new("http://127.0.0.1:8080".to_owned()),
        })
    }

    /// Replaces the session and login policy (from the settings).
    pub fn with_policy(mut self, policy: AuthPolicy) -> Services {
        self.policy = std::sync::Arc::new(policy);
        self
    }

    /// Adds hosts or networks that outbound requests may reach although
    /// they are internal (the `serve` flag; admins add more in the settings).
    pub fn with_outbound_allow(mut self, allow: outbound::AllowList) -> Services {
        self.outbound_allow = std::sync::Arc::new(allow);
        self
    }

    /// Where people reach the app, for links in e-mails.
    pub fn with_public_url(mut self, url: &str) -> Services {
        self.public_url = std::sync::Arc::new(url.trim_end_matches('/').to_owned());
        self
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    pub fn policy(&self) -> &AuthPolicy {
        &self.policy
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Checks that the database answers.
    pub async fn health(&self) -> Health {
        let database = match self.store.ping().await {
            Ok(()) => true,
            Err(err) => {
                tracing::warn!(error = %err, "health check: database does not answer");
                false
            }
        };
        Health {
            database,
            backend: self.store.backend().as_str(),
        }
    }

    pub fn pool_stats(&self) -> PoolStats {
        self.store.pool_stats()
    }

    /// Closes the database pool (at shutdown).
    pub async fn close(self) {
        self.store.close().await;
    }
}
