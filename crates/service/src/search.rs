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
use msohub_search::{Changes, Doc, OfferDoc, OrganisationDoc, SearchIndex};
use msohub_store::audit::{self, AuditFilter};
use msohub_store::offers as offer_store;
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
    /// The database's last migration and birth: part of every stamp, so
    /// that an index written before a migration changed the records, or
    /// for the database a restored copy was taken from, is rebuilt.
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
    /// Opened as left, but so far behind the change feed (about this many
    /// entries) that [`Services::catch_up_search`] brings it up to date in
    /// the background; until then searches behave as during a rebuild.
    CatchUp { behind: i64 },
}

/// How many change-feed entries an opened index may be behind and still
/// be brought up to date before the server listens.
const CATCH_UP_BEFORE_LISTENING: i64 = 5_000;

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
        let Some(position) = position else {
            return Ok(SearchStart::Rebuild);
        };
        // A few thousand changes are applied before the server listens (a
        // second or so); more (a node that was down during a large import)
        // in the background while it answers, as a rebuild would be.
        let behind = audit::head(self.store.conn()).await.map_err(Error::from)? - position;
        if behind > CATCH_UP_BEFORE_LISTENING {
            if let Some(search) = &self.search {
                search.ready.store(false, Ordering::Release);
            }
            return Ok(SearchStart::CatchUp { behind });
        }
        let caught_up = self.catch_up_search().await?;
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
        Ok(msohub_store::backup::database_marker(self.store.conn()).await?)
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
        match self.ready_search() {
            Some(search) => self.apply_feed(search).await,
            None => Ok(0),
        }
    }

    /// Brings indexes that are not ready yet (opened far behind the feed)
    /// up to date, then lets searches use them. Returns how many feed
    /// entries were applied.
    pub async fn catch_up_search(&self) -> Result<usize, Error> {
        let Some(search) = &self.search else {
            return Ok(0);
        };
        let mut caught_up = 0;
        loop {
            match self.apply_feed(search).await? {
                0 => break,
                n => caught_up += n,
            }
        }
        search.ready.store(true, Ordering::Release);
        Ok(caught_up)
    }

    /// Applies up to 1,000 feed entries after the indexes' position, in
    /// one commit per index: the records they name are read together and
    /// their current state written (a record named a hundred times is
    /// read once).
    async fn apply_feed(&self, search: &Search) -> Result<usize, Error> {
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
        let ids = |kind: &str| -> Vec<Uuid> {
            entries
                .iter()
                .filter(|e| e.entity_type == kind)
                .filter_map(|e| e.entity_id.parse().ok())
                .collect::<BTreeSet<Uuid>>()
                .into_iter()
                .collect()
        };
        let (org_ids, offer_ids) = (ids("organisation"), ids("offer"));
        if entries
            .iter()
            .any(|e| matches!(e.entity_type.as_str(), "settings" | "taxonomy_term"))
        {
            self.refresh_search_words().await?;
        }
        let mut changes = IndexChanges::default();
        let orgs: Vec<Organisation> = store::find_many(self.store.conn(), &org_ids)
            .await?
            .iter()
            .map(Organisation::from)
            .collect();
        let offer_rows = offer_store::find_offers(self.store.conn(), &offer_ids).await?;
        // Records gone from the database (erased, merged away) leave the
        // indexes: an index kept on disk would otherwise hold them for good.
        let found: BTreeSet<Uuid> = orgs
            .iter()
            .map(|o| o.id)
            .chain(offer_rows.iter().map(|o| o.id))
            .collect();
        changes.remove(
            org_ids
                .iter()
                .chain(&offer_ids)
                .filter(|id| !found.contains(id))
                .copied(),
        );
        self.organisation_changes(&orgs, &mut changes).await?;
        let offers = self.assemble_offers(offer_rows).await?;
        self.offer_changes(&offers, &mut changes).await?;
        let stamped = stamp(last, Some(last_at), &search.schema);
        apply_changes(search, changes, Some(stamped)).await?;
        search.position.store(last, Ordering::Release);
        Ok(entries.len())
    }

    /// Adds these organisations' current state to `changes`, with their
    /// live offers: whether those are public, and their district, follow
    /// from the organisation. Deleted ones leave both indexes.
    async fn organisation_changes(
        &self,
        orgs: &[Organisation],
        changes: &mut IndexChanges,
    ) -> Result<(), Error> {
        if orgs.is_empty() {
            return Ok(());
        }
        for org in orgs {
            if org.deleted {
                changes.staff.delete.push(org.id);
            } else {
                changes.staff.organisations.push(doc(org));
            }
            match public_doc(org) {
                Some(d) => changes.public.organisations.push(d),
                None => changes.public.delete.push(org.id),
            }
        }
        let ids: Vec<Uuid> = orgs.iter().map(|o| o.id).collect();
        let rows = offer_store::live_offers_of(self.store.conn(), &ids).await?;
        let offers = self.assemble_offers(rows).await?;
        self.offer_changes(&offers, changes).await
    }

    /// Adds these offers' current state to `changes`: public ones are
    /// (re)placed in the public index, the others taken out.
    async fn offer_changes(
        &self,
        offers: &[Offer],
        changes: &mut IndexChanges,
    ) -> Result<(), Error> {
        for (id, doc) in self.offer_docs_of(offers).await? {
            match doc {
                Some(d) => changes.public.offers.push(d),
                None => changes.public.delete.push(id),
            }
        }
        Ok(())
    }

    /// Puts one organisation's current state into the indexes (or takes
    /// it out when deleted), with its offers.
    pub(crate) async fn index_organisation(&self, org: &Organisation) -> Result<(), Error> {
        self.index_organisations(vec![org.clone()]).await
    }

    /// Puts organisations' current state into the indexes, in one commit
    /// per index, with their offers (after a bulk write, a merge).
    ///
    /// Not while a rebuild fills the indexes: it holds the writer for its
    /// whole run, and the follower applies the change once it is done
    /// (the rebuild's position was read before its rows).
    pub(crate) async fn index_organisations(&self, orgs: Vec<Organisation>) -> Result<(), Error> {
        let Some(search) = self.ready_search() else {
            return Ok(());
        };
        let mut changes = IndexChanges::default();
        self.organisation_changes(&orgs, &mut changes).await?;
        apply_changes(search, changes, None).await
    }

    /// Puts offers' current state into the index; deleted ones leave it.
    pub(crate) async fn index_offers(&self, offers: &[Offer]) -> Result<(), Error> {
        let Some(search) = self.ready_search() else {
            return Ok(());
        };
        let mut changes = IndexChanges::default();
        self.offer_changes(offers, &mut changes).await?;
        apply_changes(search, changes, None).await
    }
}

/// What to change in the staff and in the public index.
#[derive(Default)]
struct IndexChanges {
    staff: Changes,
    public: Changes,
}

impl IndexChanges {
    /// Takes records out of both indexes.
    fn remove(&mut self, ids: impl Iterator<Item = Uuid> + Clone) {
        self.staff.delete.extend(ids.clone());
        self.public.delete.extend(ids);
    }
}

/// Applies `changes` (one commit per index that changes), then stages
/// `stamp` when given: every change it names is committed now, and it is
/// committed with the next write or the next quiet tick (a restart from
/// the older one only replays more). Staged before, a node's own write
/// committing in between would carry it without these changes.
async fn apply_changes(
    search: &Search,
    changes: IndexChanges,
    stamp: Option<String>,
) -> Result<(), Error> {
    let (index, public) = (search.index.clone(), search.public.clone());
    tokio::task::spawn_blocking(move || {
        index.apply(&changes.staff)?;
        public.apply(&changes.public)?;
        if let Some(stamp) = &stamp {
            index.stage_stamp(stamp)?;
            public.stage_stamp(stamp)?;
        }
        Ok::<_, msohub_search::Error>(())
    })
    .await
    .map_err(internal)?
    .map_err(internal)
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
