//! The full-text index of organisations: built from the database at start,
//! then kept fresh from the audit log's change feed, so every app node
//! converges on the same index whichever node made a change.
//!
//! A node also indexes its own writes right after they commit, so the person
//! who saved a record finds it at once; replaying that change from the feed
//! later is harmless (upserts are idempotent).

use crate::organisations::Organisation;
use crate::{Error, Services};
use msohub_search::{OrganisationDoc, SearchIndex};
use msohub_store::audit::{self, AuditFilter};
use msohub_store::organisations as store;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use uuid::Uuid;

/// The index and how far into the change feed it has read.
pub struct Search {
    pub(crate) index: SearchIndex,
    position: AtomicI64,
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::Internal(Box::new(e))
}

pub(crate) fn doc(o: &Organisation) -> OrganisationDoc {
    OrganisationDoc {
        id: o.id,
        name: o.name.clone(),
        alternate_names: o.alternate_names.clone(),
        description: o.description.clone(),
        kind: o.kind.clone(),
        district: o.district.clone(),
        languages: o.languages.clone(),
        topics: o.topics.clone(),
        target_groups: o.target_groups.clone(),
        origins: o.origins.clone(),
        city: o.city.clone(),
        public: o.is_public,
    }
}

impl Services {
    /// Builds the index from the database (at start). Returns the number of
    /// organisations indexed.
    pub async fn start_search(&mut self) -> Result<u64, Error> {
        let index = SearchIndex::in_memory().map_err(internal)?;
        // The feed position is read first: anything written while the rows
        // load is replayed by the follower (twice is harmless, never missed).
        let position = audit::head(self.store.conn()).await?;
        let rows = store::all_live(self.store.conn()).await?;
        let docs: Vec<OrganisationDoc> = rows.iter().map(|r| doc(&Organisation::from(r))).collect();
        let count = docs.len() as u64;
        let build = index.clone();
        tokio::task::spawn_blocking(move || build.rebuild(docs.into_iter()))
            .await
            .map_err(internal)?
            .map_err(internal)?;
        self.search = Some(Arc::new(Search {
            index,
            position: AtomicI64::new(position),
        }));
        Ok(count)
    }

    /// Applies the changes after the index's feed position; returns how
    /// many records were re-indexed.
    pub async fn follow_search_feed(&self) -> Result<usize, Error> {
        let Some(search) = &self.search else {
            return Ok(0);
        };
        let after = search.position.load(Ordering::Acquire);
        let entries = audit::list(
            self.store.conn(),
            &AuditFilter {
                after: Some(after),
                limit: 1000,
                ascending: true,
                ..AuditFilter::default()
            },
        )
        .await?;
        let Some(last) = entries.last().map(|e| e.position) else {
            return Ok(0);
        };
        let ids: BTreeSet<Uuid> = entries
            .iter()
            .filter(|e| e.entity_type == "organisation")
            .filter_map(|e| e.entity_id.parse().ok())
            .collect();
        let n = ids.len();
        for id in ids {
            if let Some(row) = store::find(self.store.conn(), id).await? {
                self.index_organisation(&Organisation::from(&row)).await?;
            }
        }
        search.position.store(last, Ordering::Release);
        Ok(n)
    }

    /// Puts one organisation's current state into the index (or takes it
    /// out when deleted).
    pub(crate) async fn index_organisation(&self, org: &Organisation) -> Result<(), Error> {
        let Some(search) = &self.search else {
            return Ok(());
        };
        let index = search.index.clone();
        let (id, deleted, doc) = (org.id, org.deleted, doc(org));
        tokio::task::spawn_blocking(move || {
            if deleted {
                index.delete(id)
            } else {
                index.upsert(&[doc])
            }
        })
        .await
        .map_err(internal)?
        .map_err(internal)
    }

    /// Indexes many at once (one commit), after a bulk write.
    pub(crate) async fn index_organisations(&self, orgs: Vec<Organisation>) -> Result<(), Error> {
        let Some(search) = &self.search else {
            return Ok(());
        };
        let index = search.index.clone();
        let docs: Vec<OrganisationDoc> = orgs.iter().filter(|o| !o.deleted).map(doc).collect();
        tokio::task::spawn_blocking(move || index.upsert(&docs))
            .await
            .map_err(internal)?
            .map_err(internal)
    }
}

/// Follows the change feed every `every` until the process ends.
pub async fn follow(services: Services, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(err) = services.follow_search_feed().await {
            tracing::warn!(error = %err, "following the change feed for the search index failed");
        }
    }
}
