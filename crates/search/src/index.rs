//! [`SearchIndex`]: the handle the rest of the application holds.
//!
//! Invariants:
//! - One `IndexWriter` behind a mutex: writes are serialised, searches never
//!   wait for them (they use the last reloaded searcher).
//! - A write either commits completely or is rolled back; after a commit the
//!   reader is reloaded before returning, so read-your-writes holds for the
//!   caller.
//! - Cloning is cheap and every clone is the same index.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use tantivy::query::{AllQuery, Query as TantivyQuery};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term};

use crate::analysis::{self, QueryAnalyzers, single_term};
use crate::collector::{Collected, FacetedTopCollector};
use crate::compound::Dictionary;
use crate::expand::{Label, Synonyms, Vocabulary};
use crate::query::{self, Builder, Combine};
use crate::schema::{self, FACET_COUNT, Facet, Fields};
use crate::spelling;
use crate::{Changes, Doc, Error, Hit, OfferDoc, OrganisationDoc, Query, Results};

/// Words beyond this many are ignored: enough for any real query, and it
/// bounds the cost of pasted text.
pub(crate) const MAX_QUERY_WORDS: usize = 12;

/// Per indexing thread; tantivy's minimum is 15 MB. Higher only delays
/// flushing in a bulk load.
const WRITER_BUDGET_PER_THREAD: usize = 32_000_000;

/// A shared, thread-safe handle to the search index.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

struct Inner {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    analyzers: QueryAnalyzers,
    expansion: RwLock<Expansion>,
    /// Stamped on every commit (see [`SearchIndex::stamp`]).
    stamp: Mutex<String>,
    /// The stamp the last commit carried.
    committed: Mutex<String>,
    /// The folder's lock, for an index kept on disk.
    _lock: Option<tantivy::directory::DirectoryLock>,
}

/// An index opened from its folder, and the stamp of its last commit.
pub struct Opened {
    pub index: SearchIndex,
    /// `None`: the index is new (or was unusable and is now empty).
    pub stamp: Option<String>,
}

/// The version of what this crate writes into an index folder: fields,
/// tokenizers and what documents hold. A change of fields is noticed by
/// itself; raise this when the same fields start holding other terms (an
/// analyzer changes), so that indexes written before are rebuilt.
pub const FORMAT: u32 = 1;

/// Before the caller's stamp in each commit's payload.
fn format_prefix() -> String {
    format!("msohub-search/{FORMAT} ")
}

/// The lock file that keeps a second process out of an index folder.
const NODE_LOCK: &str = "msohub-node.lock";

/// A handle on an index folder and its node lock, or [`Error::InUse`] when
/// another process holds the lock.
fn locked_folder(
    folder: &Path,
) -> Result<
    (
        tantivy::directory::MmapDirectory,
        tantivy::directory::DirectoryLock,
    ),
    Error,
> {
    use tantivy::directory::error::LockError;
    use tantivy::directory::{Directory as _, Lock, MmapDirectory};
    let io = |e: String| Error::Folder(folder.to_owned(), std::io::Error::other(e));
    let directory = MmapDirectory::open(folder).map_err(|e| io(e.to_string()))?;
    let lock = directory
        .acquire_lock(&Lock {
            filepath: NODE_LOCK.into(),
            is_blocking: false,
        })
        .map_err(|e| match e {
            LockError::LockBusy => Error::InUse(folder.to_owned()),
            LockError::IoError(e) => io(e.to_string()),
        })?;
    Ok((directory, lock))
}

/// Empties an index folder (a damaged or outdated index; nothing else is
/// kept there).
fn empty_folder(folder: &Path) -> Result<(), Error> {
    let io = |e| Error::Folder(folder.to_owned(), e);
    for entry in std::fs::read_dir(folder).map_err(io)? {
        let path = entry.map_err(io)?.path();
        // The writer's lock file stays: it is only held, never trusted.
        if path
            .file_name()
            .is_some_and(|n| n == NODE_LOCK || n == ".tantivy-writer.lock")
        {
            continue;
        }
        if path.is_dir() {
            std::fs::remove_dir_all(&path).map_err(io)?;
        } else {
            std::fs::remove_file(&path).map_err(io)?;
        }
    }
    Ok(())
}

/// The synonyms and labels as set, and prepared for queries.
#[derive(Default)]
struct Expansion {
    synonyms: Synonyms,
    labels: Vec<Label>,
    vocabulary: Arc<Vocabulary>,
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex")
            .field("documents", &self.len())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// An empty index held entirely in RAM; nothing touches the disk.
    pub fn in_memory() -> Result<SearchIndex, Error> {
        let (schema, fields) = schema::build();
        let index = Index::builder().schema(schema).create_in_ram()?;
        SearchIndex::with(index, fields, None)
    }

    /// Opens the index kept in `folder`, or creates an empty one there.
    ///
    /// [`Opened::stamp`] is what the last commit was stamped with (see
    /// [`SearchIndex::stamp`]); `None` for a new index, and for one that
    /// could not be used — written by another version of this crate (other
    /// fields, or an older [`FORMAT`]) or damaged: such a folder is emptied
    /// and the index starts empty, for the caller to fill. Only a folder in
    /// use by another process is an error ([`Error::InUse`]): two writers
    /// on one folder would corrupt it.
    pub fn open(folder: &Path) -> Result<Opened, Error> {
        let (schema, fields) = schema::build();
        std::fs::create_dir_all(folder).map_err(|e| Error::Folder(folder.to_owned(), e))?;
        // Held as long as the index is open, before anything is read or
        // emptied: a second process (another node given the same folder)
        // is refused here, whatever state the folder is in.
        let (directory, lock) = locked_folder(folder)?;
        let mut lock = Some(lock);
        let usable = match Index::open(directory) {
            Ok(index) if index.schema() == schema => {
                let stamp = index
                    .load_metas()
                    .ok()
                    .and_then(|m| m.payload)
                    .and_then(|p| p.strip_prefix(&format_prefix()).map(str::to_owned));
                SearchIndex::with(index, fields.clone(), lock.take())
                    // A damaged index can open and then fail on reading: one
                    // search over everything reads every segment's parts
                    // that searches use.
                    .ok()
                    .filter(|opened| opened.search(&Query::default()).is_ok())
                    .map(|opened| (opened, stamp))
            }
            _ => None,
        };
        if let Some((index, stamp)) = usable {
            if let Some(stamp) = &stamp {
                for held in [&index.inner.stamp, &index.inner.committed] {
                    if let Ok(mut current) = held.lock() {
                        stamp.clone_into(&mut current);
                    }
                }
            }
            return Ok(Opened { index, stamp });
        }
        // Unusable: emptied and created anew, under the same lock (let go
        // and taken again with a new handle on the folder; another process
        // that slipped in between is refused below).
        drop(lock);
        let (directory, lock) = locked_folder(folder)?;
        empty_folder(folder)?;
        let index = Index::builder().schema(schema).open_or_create(directory)?;
        Ok(Opened {
            index: SearchIndex::with(index, fields, Some(lock))?,
            stamp: None,
        })
    }

    fn with(
        index: Index,
        fields: Fields,
        lock: Option<tantivy::directory::DirectoryLock>,
    ) -> Result<SearchIndex, Error> {
        analysis::register(index.tokenizers());
        // Two threads halve a bulk load on the small machines this runs on;
        // more would only produce more segments to merge.
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 2);
        let writer = index.writer_with_num_threads(threads, threads * WRITER_BUDGET_PER_THREAD)?;
        // A process killed in a commit leaves the files it was writing
        // (registered as the index's own, not yet in its meta): the next
        // commit here, reaching the same opstamp, would find its delete
        // file already there and fail. They are of no commit; gone first.
        // (A failure here only leaves them; the index is complete.)
        let _collected = writer.garbage_collect_files().wait();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            inner: Arc::new(Inner {
                reader,
                writer: Mutex::new(writer),
                fields,
                analyzers: QueryAnalyzers::new(),
                expansion: RwLock::default(),
                stamp: Mutex::new(String::new()),
                committed: Mutex::new(String::new()),
                _lock: lock,
            }),
        })
    }

    /// What the last commit was stamped with: the caller's words for what
    /// the index holds (msohub: how far into its change feed, and of which
    /// database). Kept with the commit itself, so the stamp and the content
    /// it describes are written together or not at all.
    pub fn stamp(&self) -> String {
        self.inner
            .stamp
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }

    /// Sets the stamp that the next commit (and every later one) carries,
    /// without committing: a stamp that only moves forward through
    /// replayable history can wait for the next write, or for
    /// [`SearchIndex::flush_stamp`]. Each commit of an index kept on disk
    /// costs several `fsync`s.
    pub fn stage_stamp(&self, stamp: &str) -> Result<(), Error> {
        let mut current = self.inner.stamp.lock().map_err(|_| Error::WriterPoisoned)?;
        stamp.clone_into(&mut current);
        Ok(())
    }

    /// Commits the staged stamp if the last commit carried another one.
    pub fn flush_stamp(&self) -> Result<(), Error> {
        let pending = {
            let staged = self.stamp();
            let committed = self
                .inner
                .committed
                .lock()
                .map_err(|_| Error::WriterPoisoned)?;
            *committed != staged
        };
        if pending {
            self.write(|_| Ok(()))?;
        }
        Ok(())
    }

    /// Sets the stamp for this and every later commit, and commits it (an
    /// empty commit when nothing else is pending).
    pub fn set_stamp(&self, stamp: &str) -> Result<(), Error> {
        {
            let mut current = self.inner.stamp.lock().map_err(|_| Error::WriterPoisoned)?;
            if *current == stamp {
                return Ok(());
            }
            stamp.clone_into(&mut current);
        }
        self.write(|_| Ok(()))
    }

    /// Replaces the synonym groups used from the next search on.
    pub fn set_synonyms(&self, synonyms: Synonyms) {
        self.change_expansion(|e| e.synonyms = synonyms);
    }

    /// Replaces the taxonomy labels used from the next search on: a query
    /// word in a label of a term finds the documents with that term.
    pub fn set_labels(&self, labels: Vec<Label>) {
        self.change_expansion(|e| e.labels = labels);
    }

    fn change_expansion(&self, change: impl FnOnce(&mut Expansion)) {
        // A poisoned lock only means a panic while replacing the value,
        // which is replaced whole here again.
        let mut expansion = self
            .inner
            .expansion
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        change(&mut expansion);
        expansion.vocabulary = Arc::new(Vocabulary::new(&expansion.synonyms, &expansion.labels));
    }

    fn vocabulary(&self) -> Arc<Vocabulary> {
        self.inner
            .expansion
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .vocabulary
            .clone()
    }

    /// Adds the documents, replacing any with the same id.
    pub fn upsert(&self, docs: &[OrganisationDoc]) -> Result<(), Error> {
        self.change(&[], docs, &[])
    }

    /// Adds the offers, replacing any with the same id.
    pub fn upsert_offers(&self, docs: &[OfferDoc]) -> Result<(), Error> {
        self.change(&[], &[], docs)
    }

    /// Removes the documents with these ids, where there are any.
    pub fn delete_many(&self, ids: &[uuid::Uuid]) -> Result<(), Error> {
        self.change(ids, &[], &[])
    }

    /// Removes the document with this id, if there is one.
    pub fn delete(&self, id: uuid::Uuid) -> Result<(), Error> {
        self.change(&[id], &[], &[])
    }

    /// Applies a batch of changes in one commit: a thousand changed
    /// records cost one commit (and its `fsync`s), not one each.
    pub fn apply(&self, changes: &Changes) -> Result<(), Error> {
        self.change(&changes.delete, &changes.organisations, &changes.offers)
    }

    /// Removes `delete`, then adds the documents, each replacing any with
    /// the same id; one commit, none when there is nothing to do.
    fn change(
        &self,
        delete: &[uuid::Uuid],
        organisations: &[OrganisationDoc],
        offers: &[OfferDoc],
    ) -> Result<(), Error> {
        if delete.is_empty() && organisations.is_empty() && offers.is_empty() {
            return Ok(());
        }
        let fields = &self.inner.fields;
        self.write(|writer| {
            // Deletes apply only to documents added before them, so
            // deleting then adding in one commit is a replace.
            for id in delete {
                writer.delete_term(id_term(fields, *id));
            }
            for doc in organisations {
                writer.delete_term(id_term(fields, doc.id));
                writer.add_document(fields.document(doc))?;
            }
            for doc in offers {
                writer.delete_term(id_term(fields, doc.id));
                writer.add_document(fields.offer_document(doc))?;
            }
            Ok(())
        })
    }

    /// Replaces the whole content with `docs` in one commit; searches see the
    /// old content until the new one is complete. The content ends up in
    /// one segment: a bulk load leaves one per writer thread and budget
    /// (eleven at 200,000 offers), and every search visits each.
    pub fn rebuild(&self, docs: impl Iterator<Item = Doc>) -> Result<(), Error> {
        // No merges of their own while loading: a segment in a background
        // merge cannot be merged here.
        self.lock()?
            .set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
        let loaded = self.load(docs);
        let segments: Vec<_> = self
            .inner
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(tantivy::SegmentReader::segment_id)
            .collect();
        let mut writer = self.lock()?;
        // The merge only makes searches faster: the content is complete
        // without it, and a merge that cannot be done (a segment a merge
        // started before this rebuild still holds) is left to the policy.
        let merged = loaded.is_ok() && segments.len() > 1 && writer.merge(&segments).wait().is_ok();
        writer.set_merge_policy(Box::new(tantivy::merge_policy::LogMergePolicy::default()));
        drop(writer);
        if merged {
            self.inner.reader.reload()?;
        }
        loaded
    }

    fn load(&self, docs: impl Iterator<Item = Doc>) -> Result<(), Error> {
        let fields = &self.inner.fields;
        self.write(|writer| {
            writer.delete_all_documents()?;
            for doc in docs {
                writer.add_document(match &doc {
                    Doc::Organisation(o) => fields.document(o),
                    Doc::Offer(o) => fields.offer_document(o),
                })?;
            }
            Ok(())
        })
    }

    /// Runs a search. Any text is accepted: it is split into words (at most
    /// twelve), never parsed as query syntax.
    ///
    /// Every word must match (stop words only while there are others), a
    /// German compound also by all its parts, a word of a synonym group
    /// also by another member; if no document matches them all, documents
    /// matching any word or part are returned instead (ranked by how much
    /// matched), so an extra word such as "Lindenau" does not empty the
    /// list. Text without any letters or digits counts as empty text; text
    /// whose words are all unusable (over-long) finds nothing. When nothing
    /// is found, [`Results::suggestion`] may name a spelling that finds
    /// something.
    pub fn search(&self, q: &Query) -> Result<Results, Error> {
        self.search_with(q, true)
    }

    fn search_with(&self, q: &Query, suggest: bool) -> Result<Results, Error> {
        let inner = &*self.inner;
        let words = analysis::user_words(&q.text, MAX_QUERY_WORDS);
        let vocabulary = self.vocabulary();
        let mut builder = Builder {
            fields: &inner.fields,
            analyzers: inner.analyzers.clone(),
            vocabulary: &vocabulary,
        };
        let units = vocabulary.units(&mut builder.analyzers, &words);
        let last = units.len().saturating_sub(1);
        let mut build = |mode| -> Vec<(Box<dyn TantivyQuery>, bool)> {
            units
                .iter()
                .enumerate()
                .filter_map(|(i, unit)| {
                    let query = builder.unit(unit, i == last, mode)?;
                    Some((query, builder.optional(unit)))
                })
                .collect()
        };

        let collected = if words.is_empty() {
            self.collect(q, Box::new(AllQuery), false)?
        } else {
            match query::combine(build(Combine::All), Combine::All) {
                None => Collected::default(),
                Some(all) => {
                    let collected = self.collect(q, all, true)?;
                    if collected.total == 0 && (units.len() > 1 || self.has_compound(&words)) {
                        match query::combine(build(Combine::Any), Combine::Any) {
                            Some(any) => self.collect(q, any, true)?,
                            None => collected,
                        }
                    } else {
                        collected
                    }
                }
            }
        };
        let mut results = into_results(collected, q);
        if suggest && results.total == 0 && !words.is_empty() {
            results.suggestion = self.suggest(q, &words, &vocabulary)?;
        }
        Ok(results)
    }

    fn has_compound(&self, words: &[String]) -> bool {
        let mut folded = self.inner.analyzers.folded.clone();
        words.iter().any(|w| {
            single_term(&mut folded, w).is_some_and(|f| Dictionary::german().split(&f).is_some())
        })
    }

    /// The query with each word no name or label has replaced by the
    /// closest one that some has, if that finds something.
    fn suggest(
        &self,
        q: &Query,
        words: &[String],
        vocabulary: &Vocabulary,
    ) -> Result<Option<String>, Error> {
        let searcher = self.inner.reader.searcher();
        let mut folded = self.inner.analyzers.folded.clone();
        let mut changed = false;
        let suggested: Vec<String> = words
            .iter()
            .map(|word| {
                let closest = single_term(&mut folded, word).and_then(|f| {
                    spelling::closest(&searcher, &self.inner.fields, &vocabulary.words, &f)
                });
                changed |= closest.is_some();
                closest.unwrap_or_else(|| word.clone())
            })
            .collect();
        if !changed {
            return Ok(None);
        }
        let text = suggested.join(" ");
        let check = Query {
            text: text.clone(),
            limit: 1,
            offset: 0,
            ..q.clone()
        };
        let found = self.search_with(&check, false)?.total > 0;
        Ok(found.then_some(text))
    }

    /// Number of documents currently searchable.
    pub fn len(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    #[cfg(test)]
    pub(crate) fn segments(&self) -> usize {
        self.inner.reader.searcher().segment_readers().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn collect(
        &self,
        q: &Query,
        text: Box<dyn TantivyQuery>,
        scoring: bool,
    ) -> Result<Collected, Error> {
        let query = if q.public_only {
            query::public_only(&self.inner.fields, text)
        } else {
            text
        };
        // An empty string in a filter is how HTML forms say "any"; it never
        // names a real value.
        let filter = |values: &[String]| -> Vec<String> {
            values.iter().filter(|v| !v.is_empty()).cloned().collect()
        };
        let mut filters: [Vec<String>; FACET_COUNT] = Default::default();
        for facet in Facet::ALL {
            filters[facet as usize] = filter(match facet {
                Facet::Kind => &q.kinds,
                Facet::Topic => &q.topics,
                Facet::Language => &q.languages,
                Facet::District => &q.districts,
                Facet::Origin => &q.origins,
                Facet::TargetGroup => &q.target_groups,
                Facet::Entity => &q.entities,
                Facet::Category => &q.categories,
                Facet::Cost => &q.costs,
                Facet::Mode => &q.modes,
            });
        }
        let collector = FacetedTopCollector {
            filters,
            keep: q.offset.saturating_add(q.limit),
            scoring,
        };
        Ok(self.inner.reader.searcher().search(&query, &collector)?)
    }

    fn lock(&self) -> Result<MutexGuard<'_, IndexWriter>, Error> {
        self.inner.writer.lock().map_err(|_| Error::WriterPoisoned)
    }

    fn write(
        &self,
        operations: impl FnOnce(&IndexWriter) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut writer = self.lock()?;
        let stamp = self.stamp();
        let payload = format!("{}{stamp}", format_prefix());
        let outcome = operations(&writer).and_then(|()| {
            let mut commit = writer.prepare_commit()?;
            commit.set_payload(&payload);
            Ok(commit.commit().map(drop)?)
        });
        if let Err(error) = outcome {
            // Uncommitted operations would otherwise ride along with the next
            // caller's commit. The first error is the one worth reporting.
            let _rolled_back = writer.rollback();
            return Err(error);
        }
        if let Ok(mut committed) = self.inner.committed.lock() {
            *committed = stamp;
        }
        drop(writer);
        self.inner.reader.reload()?;
        Ok(())
    }
}

fn id_term(fields: &Fields, id: uuid::Uuid) -> Term {
    Term::from_field_bytes(fields.id, &schema::id_bytes(id))
}

fn into_results(collected: Collected, q: &Query) -> Results {
    let hits = collected
        .hits
        .into_iter()
        .skip(q.offset)
        .take(q.limit)
        .map(|hit| Hit {
            id: hit.id,
            score: hit.score,
        })
        .collect();
    let facets = Facet::ALL
        .into_iter()
        .zip(collected.facets)
        .map(|(facet, counts)| {
            let mut counts: Vec<(String, u64)> = counts.into_iter().collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            (facet.name().to_owned(), counts)
        })
        .collect();
    Results {
        hits,
        total: collected.total,
        facets,
        suggestion: None,
    }
}
