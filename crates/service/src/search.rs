//! The full-text index of organisations: built from the database at start,
//! then kept fresh from the audit log's change feed, so every app node
//! converges on the same index whichever node made a change.
//!
//! A node also indexes its own writes right after they commit, so the person
//! who saved a record finds it at once; replaying that change from the feed
//! later is harmless (upserts are idempotent).

use crate::offers::Offer;
use crate::organisations::Organisation;
use crate::{Error, Services};
use msohub_search::{Doc, OfferDoc, OrganisationDoc, SearchIndex};
use msohub_store::audit::{self, AuditFilter};
use msohub_store::offers::{self as offer_store, OfferFilter};
use msohub_store::organisations as store;
use msohub_store::organisations::OrganisationRow;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use uuid::Uuid;

/// The indexes and how far into the change feed they have read.
///
/// The staff index holds every live organisation with all its fields. The
/// public directory has an index of its own that holds only what is public:
/// listed organisations with the parts they show, and their public offers.
/// A search there cannot match, count or reveal anything else, whatever it
/// is asked.
pub struct Search {
    pub(crate) index: SearchIndex,
    pub(crate) public: SearchIndex,
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

/// An organisation as the public directory may show it: `None` unless it
/// is listed; its description, languages and district only where it shows
/// them; never its members' origins.
pub(crate) fn public_doc(o: &Organisation) -> Option<OrganisationDoc> {
    let p = crate::publication::Published::of(o)?;
    Some(OrganisationDoc {
        description: p.description,
        languages: p.languages,
        district: p.district,
        city: p.city,
        origins: Vec::new(),
        ..doc(o)
    })
}

/// An offer as the public index sees it: `None` unless the offer is marked
/// public, is not over and its organisation is listed in the directory. It
/// is found under its translations and its organisation's name too; its
/// district is the organisation's, where that shows its address.
pub(crate) fn offer_doc(o: &Offer, org: Option<&OrganisationRow>) -> Option<OfferDoc> {
    let org = crate::publication::Published::of_row(org?)?;
    if !crate::publication::offer_visible(o.is_public, o.deleted, &o.status, true) {
        return None;
    }
    Some(OfferDoc {
        id: o.id,
        title: o.title.clone(),
        alternate_titles: o
            .translations
            .values()
            .map(|t| t.title.clone())
            .filter(|t| !t.is_empty())
            .collect(),
        description: o.description.clone(),
        other_texts: o
            .translations
            .values()
            .map(|t| t.description.clone())
            .filter(|t| !t.is_empty())
            .collect(),
        organisation_name: o.organisation.name.clone(),
        category: o.category.clone(),
        languages: o.languages.clone(),
        target_groups: o.target_groups.clone(),
        district: org.district,
        free: o.cost_kind == "free",
        online: o.location_kind == "online",
        public: true,
    })
}

impl Services {
    /// The live offers of one organisation as public index documents
    /// (`None` for those not public), with their ids.
    async fn offer_docs(&self, organisation: Uuid) -> Result<Vec<(Uuid, Option<OfferDoc>)>, Error> {
        let filter = OfferFilter {
            organisation: Some(organisation),
            ..OfferFilter::default()
        };
        let (rows, _) =
            offer_store::list_offers(self.store.conn(), &filter, 0, u64::MAX >> 1).await?;
        let offers = self.assemble_offers(rows).await?;
        self.offer_docs_of(&offers).await
    }

    async fn offer_docs_of(
        &self,
        offers: &[Offer],
    ) -> Result<Vec<(Uuid, Option<OfferDoc>)>, Error> {
        let org_ids: Vec<Uuid> = offers.iter().map(|o| o.organisation.id).collect();
        let orgs: std::collections::HashMap<Uuid, OrganisationRow> =
            store::find_many(self.store.conn(), &org_ids)
                .await?
                .into_iter()
                .map(|r| (r.id, r))
                .collect();
        Ok(offers
            .iter()
            .map(|o| (o.id, offer_doc(o, orgs.get(&o.organisation.id))))
            .collect())
    }

    /// Builds the index from the database (at start). Returns the number of
    /// organisations and offers indexed.
    pub async fn start_search(&mut self) -> Result<u64, Error> {
        let index = SearchIndex::in_memory().map_err(internal)?;
        let public = SearchIndex::in_memory().map_err(internal)?;
        // The feed position is read first: anything written while the rows
        // load is replayed by the follower (twice is harmless, never missed).
        let position = audit::head(self.store.conn()).await?;
        let orgs: Vec<Organisation> = store::all_live(self.store.conn())
            .await?
            .iter()
            .map(Organisation::from)
            .collect();
        let docs: Vec<Doc> = orgs.iter().map(|o| Doc::from(doc(o))).collect();
        let mut public_docs: Vec<Doc> = orgs.iter().filter_map(public_doc).map(Doc::from).collect();
        // Offers in pages: 200,000 of them assembled at once would need
        // several times the memory their index documents do.
        let mut after = None;
        loop {
            let rows = offer_store::live_offers_after(self.store.conn(), after, 10_000).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            after = Some(last);
            let offers = self.assemble_offers(rows).await?;
            public_docs.extend(
                self.offer_docs_of(&offers)
                    .await?
                    .into_iter()
                    .filter_map(|(_, d)| d.map(Doc::from)),
            );
        }
        let count = (docs.len() + public_docs.len()) as u64;
        self.apply_search_words(&[&index, &public]).await?;
        let (build, build_public) = (index.clone(), public.clone());
        tokio::task::spawn_blocking(move || {
            build.rebuild(docs.into_iter())?;
            build_public.rebuild(public_docs.into_iter())
        })
        .await
        .map_err(internal)?
        .map_err(internal)?;
        self.search = Some(Arc::new(Search {
            index,
            public,
            position: AtomicI64::new(position),
        }));
        Ok(count)
    }

    /// How far into the change feed the search indexes have read (and
    /// applied); `None` without indexes. Caches of public pages are valid
    /// while this stays the same.
    pub fn feed_position(&self) -> Option<i64> {
        self.search
            .as_ref()
            .map(|s| s.position.load(Ordering::Acquire))
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
        let ids = |kind: &str| -> BTreeSet<Uuid> {
            entries
                .iter()
                .filter(|e| e.entity_type == kind)
                .filter_map(|e| e.entity_id.parse().ok())
                .collect()
        };
        let (orgs, offers) = (ids("organisation"), ids("offer"));
        let n = orgs.len() + offers.len();
        if entries
            .iter()
            .any(|e| matches!(e.entity_type.as_str(), "settings" | "taxonomy_term"))
        {
            self.refresh_search_words().await?;
        }
        for id in orgs {
            if let Some(row) = store::find(self.store.conn(), id).await? {
                self.index_organisation(&Organisation::from(&row)).await?;
            }
        }
        let mut changed = Vec::new();
        for id in offers {
            if let Some(row) = offer_store::find_offer(self.store.conn(), id).await? {
                changed.push(row);
            }
        }
        let changed = self.assemble_offers(changed).await?;
        self.index_offers(&changed).await?;
        search.position.store(last, Ordering::Release);
        Ok(n)
    }

    /// Puts one organisation's current state into the index (or takes it
    /// out when deleted), with its offers: whether they are public, and
    /// their district, follow from the organisation.
    pub(crate) async fn index_organisation(&self, org: &Organisation) -> Result<(), Error> {
        let Some(search) = &self.search else {
            return Ok(());
        };
        let offers = self.offer_docs(org.id).await?;
        let (index, public) = (search.index.clone(), search.public.clone());
        let (id, deleted, doc, public_doc) = (org.id, org.deleted, doc(org), public_doc(org));
        tokio::task::spawn_blocking(move || {
            if deleted {
                index.delete(id)?;
            } else {
                index.upsert(&[doc])?;
            }
            match public_doc {
                Some(d) => public.upsert(&[d])?,
                None => public.delete(id)?,
            }
            replace_offers(&public, offers)
        })
        .await
        .map_err(internal)?
        .map_err(internal)
    }

    /// Puts offers' current state into the index; deleted ones leave it.
    pub(crate) async fn index_offers(&self, offers: &[Offer]) -> Result<(), Error> {
        let Some(search) = &self.search else {
            return Ok(());
        };
        if offers.is_empty() {
            return Ok(());
        }
        let docs = self.offer_docs_of(offers).await?;
        let public = search.public.clone();
        tokio::task::spawn_blocking(move || replace_offers(&public, docs))
            .await
            .map_err(internal)?
            .map_err(internal)
    }

    /// Indexes many at once (one commit), after a bulk write.
    pub(crate) async fn index_organisations(&self, orgs: Vec<Organisation>) -> Result<(), Error> {
        let Some(search) = &self.search else {
            return Ok(());
        };
        let (index, public) = (search.index.clone(), search.public.clone());
        let docs: Vec<OrganisationDoc> = orgs.iter().filter(|o| !o.deleted).map(doc).collect();
        let public_docs: Vec<OrganisationDoc> = orgs.iter().filter_map(public_doc).collect();
        tokio::task::spawn_blocking(move || {
            index.upsert(&docs)?;
            public.upsert(&public_docs)
        })
        .await
        .map_err(internal)?
        .map_err(internal)
    }
}

/// Puts the public offers into the public index and takes the others out.
fn replace_offers(
    index: &SearchIndex,
    docs: Vec<(Uuid, Option<OfferDoc>)>,
) -> Result<(), msohub_search::Error> {
    let gone: Vec<Uuid> = docs
        .iter()
        .filter(|(_, d)| d.is_none())
        .map(|(id, _)| *id)
        .collect();
    let shown: Vec<OfferDoc> = docs.into_iter().filter_map(|(_, d)| d).collect();
    index.delete_many(&gone)?;
    index.upsert_offers(&shown)
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
