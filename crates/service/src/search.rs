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
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
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
    /// `false` while the indexes are being filled in the background (a
    /// folder without a usable index): searches then use the database or
    /// say that search is warming up, never the half-filled indexes.
    ready: AtomicBool,
    /// The database's last migration: part of every stamp, so that an
    /// index written before a migration changed the records is rebuilt.
    schema: String,
}

/// How [`Services::open_search`] found the index folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchStart {
    /// Opened as left, then brought up to date from the change feed
    /// (this many feed entries applied).
    Opened { caught_up: usize },
    /// Nothing usable there (missing, damaged, of another version or of
    /// another state of the database): the indexes start empty and
    /// [`Services::rebuild_search`] must fill them; searches answer from
    /// the database or say they are warming up until it has.
    Rebuild,
}

/// Why the index folder could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenSearchError {
    #[error(transparent)]
    Index(#[from] msohub_search::Error),
    #[error(transparent)]
    Service(#[from] Error),
}

/// What an index's commits are stamped with: the feed position it has
/// applied, the time of that feed entry (to the microsecond: after a
/// restore or on another database the entry at the same position is
/// another one) and the database's schema.
fn stamp(position: i64, at: Option<chrono::DateTime<chrono::Utc>>, schema: &str) -> String {
    let at = at.map_or_else(|| "-".to_owned(), |at| at.timestamp_micros().to_string());
    format!("{position} {at} {schema}")
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

    /// Builds the indexes in memory from the database (tests, and the
    /// command line). Returns the number of organisations and offers
    /// indexed.
    pub async fn start_search(&mut self) -> Result<u64, Error> {
        self.search_in_memory().await?;
        self.rebuild_search().await
    }

    /// Opens the indexes kept in `folder` (created when missing). An index
    /// left by this node's last run, of this database, is used as it is and
    /// brought up to date from the change feed before this returns: a start
    /// takes as long as the changes since the last one, not the whole
    /// registry. Anything else is emptied, and [`SearchStart::Rebuild`]
    /// asks the caller to run [`Services::rebuild_search`] (in the
    /// background: the server answers meanwhile).
    pub async fn open_search(&mut self, folder: &Path) -> Result<SearchStart, OpenSearchError> {
        let (staff_folder, public_folder) = (folder.join("staff"), folder.join("public"));
        let (staff, public) = tokio::task::spawn_blocking(move || {
            Ok::<_, msohub_search::Error>((
                SearchIndex::open(&staff_folder)?,
                SearchIndex::open(&public_folder)?,
            ))
        })
        .await
        .map_err(internal)??;
        let schema = self.schema_marker().await?;
        // Each index names what it holds; a process killed between their
        // commits leaves one a step ahead. Both are usable from the earlier
        // of the two on: replaying a change the other already holds is
        // harmless.
        let position = match (&staff.stamp, &public.stamp) {
            (Some(a), Some(b)) => {
                match (
                    self.stamped_position(a, &schema).await?,
                    self.stamped_position(b, &schema).await?,
                ) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    _ => None,
                }
            }
            _ => None,
        };
        self.apply_search_words(&[&staff.index, &public.index])
            .await?;
        self.search = Some(Arc::new(Search {
            index: staff.index,
            public: public.index,
            position: AtomicI64::new(position.unwrap_or(0)),
            ready: AtomicBool::new(position.is_some()),
            schema,
        }));
        if position.is_none() {
            return Ok(SearchStart::Rebuild);
        }
        let mut caught_up = 0;
        loop {
            match self.follow_search_feed().await? {
                0 => break,
                n => caught_up += n,
            }
        }
        Ok(SearchStart::Opened { caught_up })
    }

    /// Indexes in memory, filled by [`Services::rebuild_search`] (in the
    /// background): where the index folder cannot be used at all.
    pub async fn search_in_memory(&mut self) -> Result<SearchStart, Error> {
        let index = SearchIndex::in_memory().map_err(internal)?;
        let public = SearchIndex::in_memory().map_err(internal)?;
        self.search = Some(Arc::new(Search {
            index,
            public,
            position: AtomicI64::new(0),
            ready: AtomicBool::new(false),
            schema: self.schema_marker().await?,
        }));
        Ok(SearchStart::Rebuild)
    }

    /// The position a stamp names, when it describes this database as it
    /// is: the same schema, and the same entry at that position of the
    /// feed.
    async fn stamped_position(&self, stamped: &str, schema: &str) -> Result<Option<i64>, Error> {
        let Some(position) = stamped
            .split(' ')
            .next()
            .and_then(|p| p.parse::<i64>().ok())
        else {
            return Ok(None);
        };
        Ok(
            (self.stamp_of(position, schema).await?.as_deref() == Some(stamped))
                .then_some(position),
        )
    }

    /// The stamp of an index that has applied the feed up to `position`
    /// (0: none of it); `None` when the feed has no entry there.
    async fn stamp_of(&self, position: i64, schema: &str) -> Result<Option<String>, Error> {
        let at = match position {
            0 => None,
            _ => match audit::entry_at(self.store.conn(), position).await? {
                Some(entry) => Some(entry.at),
                None => return Ok(None),
            },
        };
        Ok(Some(stamp(position, at, schema)))
    }

    async fn schema_marker(&self) -> Result<String, Error> {
        Ok(msohub_store::backup::applied_migrations(self.store.conn())
            .await?
            .pop()
            .unwrap_or_default())
    }

    /// Fills the indexes from the database, replacing what they held
    /// (searches see the old content until the new one is complete), and
    /// makes them the ones searches use. Returns the number of live
    /// organisations and offers read (the public index holds the public
    /// part of them).
    pub async fn rebuild_search(&self) -> Result<u64, Error> {
        let Some(search) = &self.search else {
            return Ok(0);
        };
        // The feed position is read first: anything written while the rows
        // load is replayed by the follower (twice is harmless, never missed).
        let position = audit::head(self.store.conn()).await?;
        // The head's entry exists; were it gone meanwhile (purged), the
        // index stays unstamped and the next start rebuilds it.
        let stamped = self
            .stamp_of(position, &search.schema)
            .await?
            .unwrap_or_default();
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
        let mut offers_seen = 0;
        loop {
            let rows = offer_store::live_offers_after(self.store.conn(), after, 10_000).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            after = Some(last);
            offers_seen += rows.len();
            let offers = self.assemble_offers(rows).await?;
            public_docs.extend(
                self.offer_docs_of(&offers)
                    .await?
                    .into_iter()
                    .filter_map(|(_, d)| d.map(Doc::from)),
            );
        }
        let count = (docs.len() + offers_seen) as u64;
        self.apply_search_words(&[&search.index, &search.public])
            .await?;
        let (build, build_public) = (search.index.clone(), search.public.clone());
        tokio::task::spawn_blocking(move || {
            // Unstamped while the content changes: a crash in between
            // leaves an index that the next start rebuilds.
            build.set_stamp("")?;
            build_public.set_stamp("")?;
            build.rebuild(docs.into_iter())?;
            build_public.rebuild(public_docs.into_iter())?;
            build.set_stamp(&stamped)?;
            build_public.set_stamp(&stamped)
        })
        .await
        .map_err(internal)?
        .map_err(internal)?;
        search.position.store(position, Ordering::Release);
        search.ready.store(true, Ordering::Release);
        Ok(count)
    }

    /// The indexes, once they can be searched (see [`Search::ready`]).
    pub(crate) fn ready_search(&self) -> Option<&Arc<Search>> {
        self.search
            .as_ref()
            .filter(|s| s.ready.load(Ordering::Acquire))
    }

    /// Whether the search indexes are still being filled (a first start,
    /// or a rebuilt index folder).
    pub fn search_warming(&self) -> bool {
        self.search.is_some() && self.ready_search().is_none()
    }

    /// How far into the change feed the search indexes have read (and
    /// applied); `None` without indexes. Caches of public pages are valid
    /// while this stays the same.
    pub fn feed_position(&self) -> Option<i64> {
        self.ready_search()
            .map(|s| s.position.load(Ordering::Acquire))
    }

    /// Applies the changes after the index's feed position (up to 1,000
    /// feed entries); returns how many entries were applied.
    pub async fn follow_search_feed(&self) -> Result<usize, Error> {
        // While a rebuild fills the indexes, it sets the position to start
        // from when it is done.
        let Some(search) = self.ready_search() else {
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
        let Some((last, last_at)) = entries.last().map(|e| (e.position, e.at)) else {
            // Nothing new: the stamp staged by busier ticks is committed
            // now (a commit per write would cost its fsyncs each time).
            let (index, public) = (search.index.clone(), search.public.clone());
            tokio::task::spawn_blocking(move || {
                index.flush_stamp()?;
                public.flush_stamp()
            })
            .await
            .map_err(internal)?
            .map_err(internal)?;
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
        if entries
            .iter()
            .any(|e| matches!(e.entity_type.as_str(), "settings" | "taxonomy_term"))
        {
            self.refresh_search_words().await?;
        }
        // Records gone from the database (erased, merged away) leave the
        // indexes: an index kept on disk would otherwise hold them for good.
        let mut gone = Vec::new();
        for id in orgs {
            match store::find(self.store.conn(), id).await? {
                Some(row) => self.index_organisation(&Organisation::from(&row)).await?,
                None => gone.push(id),
            }
        }
        let mut changed = Vec::new();
        for id in offers {
            match offer_store::find_offer(self.store.conn(), id).await? {
                Some(row) => changed.push(row),
                None => gone.push(id),
            }
        }
        let changed = self.assemble_offers(changed).await?;
        self.index_offers(&changed).await?;
        let stamped = stamp(last, Some(last_at), &search.schema);
        let (index, public) = (search.index.clone(), search.public.clone());
        tokio::task::spawn_blocking(move || {
            index.delete_many(&gone)?;
            public.delete_many(&gone)?;
            // Every change up to `last` is committed now. The stamp is
            // staged, committed with the next write or the next quiet tick:
            // a restart from the older one only replays more.
            index.stage_stamp(&stamped)?;
            public.stage_stamp(&stamped)
        })
        .await
        .map_err(internal)?
        .map_err(internal)?;
        search.position.store(last, Ordering::Release);
        Ok(entries.len())
    }

    /// Puts one organisation's current state into the index (or takes it
    /// out when deleted), with its offers: whether they are public, and
    /// their district, follow from the organisation.
    ///
    /// Not while a rebuild fills the indexes: it holds the writer for its
    /// whole run, and the follower applies the change once it is done
    /// (the rebuild's position was read before its rows).
    pub(crate) async fn index_organisation(&self, org: &Organisation) -> Result<(), Error> {
        let Some(search) = self.ready_search() else {
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
        let Some(search) = self.ready_search() else {
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
        let Some(search) = self.ready_search() else {
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

/// The end of indexing a node's own write, which has committed: a failure
/// (a full disk under the index folder) must not turn a saved record into
/// an error for the person who saved it. It is logged; the follower
/// applies the same change from the feed (its position has not passed it)
/// and retries until it succeeds.
pub(crate) fn after_write(indexed: Result<(), Error>) {
    if let Err(err) = indexed {
        tracing::warn!(error = %err, "indexing a saved record failed; the change feed follower retries it");
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
