//! In-process full-text search over organisations (later also offers and
//! events) for search-as-you-type in the staff UI and the public directory.
//!
//! This crate owns a tantivy index, in RAM ([`SearchIndex::in_memory`]) or
//! in a folder ([`SearchIndex::open`], stamped at every commit with what the
//! caller says it reflects). It knows nothing about the database or the
//! domain crate: callers hand it plain [`OrganisationDoc`]s and get back
//! ids, scores and facet counts, then load the records themselves. The
//! caller fills it ([`SearchIndex::rebuild`]) and keeps it current with
//! [`SearchIndex::upsert`] / [`SearchIndex::delete`] from the change feed.
//!
//! Invariants:
//! - At most one document per id: `upsert` replaces, never duplicates.
//! - Every write is committed and the reader reloaded before the call
//!   returns, so the caller's next search sees it.
//! - [`SearchIndex::search`] never fails or panics because of what a user
//!   typed; errors only come from the index itself.
//!
//! See `query.rs` for ranking, `analysis.rs` for the language handling,
//! `compound.rs` for German compounds, `expand.rs` for synonyms and
//! taxonomy labels, `spelling.rs` for "did you mean" and `collector.rs` for
//! filters and (disjunctive) facet counts.

mod analysis;
mod collector;
mod compound;
mod expand;
mod index;
mod query;
mod schema;
mod spelling;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_folder;
#[cfg(test)]
mod tests_language;

use std::collections::BTreeMap;

pub use expand::{Label, SynonymError, SynonymProblem, Synonyms};
pub use index::{FORMAT, Opened, SearchIndex};

/// Changes to an index, applied together by [`SearchIndex::apply`]: the
/// ids are removed first, then the documents added (each replacing any
/// with its id).
#[derive(Debug, Default, Clone)]
pub struct Changes {
    pub delete: Vec<uuid::Uuid>,
    pub organisations: Vec<OrganisationDoc>,
    pub offers: Vec<OfferDoc>,
}

/// What the index needs to know about one organisation. Fields are plain
/// strings so the caller decides how taxonomies are spelled; facet values are
/// matched and reported verbatim (case-sensitive).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrganisationDoc {
    pub id: uuid::Uuid,
    pub name: String,
    pub alternate_names: Vec<String>,
    pub description: String,
    pub kind: String,
    pub district: Option<String>,
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    pub target_groups: Vec<String>,
    pub origins: Vec<String>,
    pub city: Option<String>,
    pub public: bool,
}

/// What the index needs to know about one offer of an organisation. It
/// shares the index with the organisations: its title is searched like a
/// name, the description, the offering organisation's name and the
/// translations as text; `entity` is `offer`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OfferDoc {
    pub id: uuid::Uuid,
    pub title: String,
    /// Translated titles (searched like the title).
    pub alternate_titles: Vec<String>,
    pub description: String,
    /// Translated descriptions and other searchable text.
    pub other_texts: Vec<String>,
    pub organisation_name: String,
    pub category: String,
    pub languages: Vec<String>,
    pub target_groups: Vec<String>,
    /// The offering organisation's district.
    pub district: Option<String>,
    pub free: bool,
    pub online: bool,
    /// Shown in the public directory (the offer and its organisation are).
    pub public: bool,
}

/// Either kind of document, for [`SearchIndex::rebuild`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Doc {
    Organisation(OrganisationDoc),
    Offer(OfferDoc),
}

impl From<OrganisationDoc> for Doc {
    fn from(doc: OrganisationDoc) -> Doc {
        Doc::Organisation(doc)
    }
}

impl From<OfferDoc> for Doc {
    fn from(doc: OfferDoc) -> Doc {
        Doc::Offer(doc)
    }
}

/// A search request. Empty `text` lists every document that passes the
/// filters, sorted by name; a filter with several values matches any of
/// them, and different filters must all match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub kinds: Vec<String>,
    pub topics: Vec<String>,
    pub languages: Vec<String>,
    pub districts: Vec<String>,
    pub origins: Vec<String>,
    pub target_groups: Vec<String>,
    /// `organisation`, `offer`; empty for both.
    pub entities: Vec<String>,
    pub categories: Vec<String>,
    /// `free` for offers free of charge only.
    pub costs: Vec<String>,
    /// `online` for online offers only.
    pub modes: Vec<String>,
    pub public_only: bool,
    pub limit: usize,
    pub offset: usize,
}

impl Default for Query {
    /// No text, no filters, everything visible, first page of 20.
    fn default() -> Self {
        Query {
            text: String::new(),
            kinds: Vec::new(),
            topics: Vec::new(),
            languages: Vec::new(),
            districts: Vec::new(),
            origins: Vec::new(),
            target_groups: Vec::new(),
            entities: Vec::new(),
            categories: Vec::new(),
            costs: Vec::new(),
            modes: Vec::new(),
            public_only: false,
            limit: 20,
            offset: 0,
        }
    }
}

impl Query {
    /// A text search with no filters and the default page.
    pub fn text(text: impl Into<String>) -> Self {
        Query {
            text: text.into(),
            ..Query::default()
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub id: uuid::Uuid,
    /// Relevance; only comparable within one result. 0 for a search
    /// without text (those are ordered by name).
    pub score: f32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Results {
    /// The page `offset..offset + limit` of the results, best first.
    pub hits: Vec<Hit>,
    /// All results, not just this page.
    pub total: usize,
    /// Keys `kind`, `topic`, `language`, `district`, `origin`,
    /// `target_group`, `entity`, `category`, `cost`, `mode`, always all
    /// present; values sorted by count (descending), then value. Counts are
    /// disjunctive: a facet's counts ignore that facet's own filter but apply
    /// all others, so selecting a value never hides its siblings.
    pub facets: BTreeMap<String, Vec<(String, u64)>>,
    /// For a search that found nothing: the text with each word no name
    /// or label has replaced by the closest that some has, if that finds
    /// something ("Did you mean …?").
    pub suggestion: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("search index operation failed")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index writer is unusable: a thread panicked while writing")]
    WriterPoisoned,
    #[error("the search index folder {0} cannot be used: {1}")]
    Folder(std::path::PathBuf, #[source] std::io::Error),
    #[error(
        "the search index folder {0} is in use by another msohub process; give each node its own folder (--index-dir)"
    )]
    InUse(std::path::PathBuf),
}
