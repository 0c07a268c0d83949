//! The tantivy schema and the mapping from an [`OrganisationDoc`] to a tantivy
//! document.
//!
//! Invariants:
//! - Nothing is stored in tantivy's document store: ids come back through the
//!   `id_hi`/`id_lo` fast fields, so the index is the smallest possible and a
//!   hit never needs decompression. The database stays the source of truth.
//! - `id` (16 raw bytes) is the only indexed key for replacing and deleting a
//!   document; every document has exactly one.
//! - Facet values are kept verbatim (case-sensitive taxonomy codes) in
//!   single-token fast columns; empty strings are not indexed.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
};
use uuid::Uuid;

use crate::analysis::{self, NAME_EDGE, NAME_NGRAM, NAME_WORDS, TEXT_DE, TEXT_EN, TEXT_TR};
use crate::{OfferDoc, OrganisationDoc};

/// The filterable, countable dimensions, in the order used by every
/// per-facet array in this crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Facet {
    Kind,
    Topic,
    Language,
    District,
    Origin,
    TargetGroup,
    /// `organisation` or `offer`: what a document is.
    Entity,
    /// An offer's category (`offer_category` code).
    Category,
    /// `free` for offers free of charge.
    Cost,
    /// `online` for offers held online.
    Mode,
}

pub(crate) const FACET_COUNT: usize = 10;

impl Facet {
    pub(crate) const ALL: [Facet; FACET_COUNT] = [
        Facet::Kind,
        Facet::Topic,
        Facet::Language,
        Facet::District,
        Facet::Origin,
        Facet::TargetGroup,
        Facet::Entity,
        Facet::Category,
        Facet::Cost,
        Facet::Mode,
    ];

    /// The facet of this name (see [`Facet::name`]).
    pub(crate) fn named(name: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The key in [`crate::Results::facets`]; also the fast column name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Facet::Kind => "kind",
            Facet::Topic => "topic",
            Facet::Language => "language",
            Facet::District => "district",
            Facet::Origin => "origin",
            Facet::TargetGroup => "target_group",
            Facet::Entity => "entity",
            Facet::Category => "category",
            Facet::Cost => "cost",
            Facet::Mode => "mode",
        }
    }
}

pub(crate) const ID_HI: &str = "id_hi";
pub(crate) const ID_LO: &str = "id_lo";
pub(crate) const NAME_SORT: &str = "name_sort";

#[derive(Clone, Debug)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) id_hi: Field,
    pub(crate) id_lo: Field,
    pub(crate) public: Field,
    pub(crate) text_de: Field,
    pub(crate) text_en: Field,
    pub(crate) text_tr: Field,
    pub(crate) name_words: Field,
    pub(crate) name_edge: Field,
    pub(crate) name_ngram: Field,
    pub(crate) name_sort: Field,
    /// Every folded word of names and texts, unscored: the words a
    /// spelling suggestion may propose.
    pub(crate) spell: Field,
    pub(crate) facets: [Field; FACET_COUNT],
}

fn indexed_text(tokenizer: &str, scored: bool) -> TextOptions {
    // Name fields are matched with constant scores, so they skip term
    // frequencies and field norms; only the full-text fields feed BM25.
    let record = if scored {
        IndexRecordOption::WithFreqs
    } else {
        IndexRecordOption::Basic
    };
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record)
            .set_fieldnorms(scored),
    )
}

fn raw_column() -> TextOptions {
    TextOptions::default().set_fast("raw")
}

/// A facet: a fast column for filters and counts, and indexed as one term
/// per value so a query word naming a value's label can match it.
fn facet_column() -> TextOptions {
    raw_column().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let id = builder.add_bytes_field("id", INDEXED);
    let id_hi = builder.add_u64_field(ID_HI, FAST);
    let id_lo = builder.add_u64_field(ID_LO, FAST);
    let public = builder.add_bool_field("public", INDEXED);
    let text_de = builder.add_text_field("text_de", indexed_text(TEXT_DE, true));
    let text_en = builder.add_text_field("text_en", indexed_text(TEXT_EN, true));
    let text_tr = builder.add_text_field("text_tr", indexed_text(TEXT_TR, true));
    let name_words = builder.add_text_field("name_words", indexed_text(NAME_WORDS, false));
    let name_edge = builder.add_text_field("name_edge", indexed_text(NAME_EDGE, false));
    let name_ngram = builder.add_text_field("name_ngram", indexed_text(NAME_NGRAM, false));
    let name_sort = builder.add_text_field(NAME_SORT, raw_column());
    let spell = builder.add_text_field("spell", indexed_text(NAME_WORDS, false));
    let facets = Facet::ALL.map(|facet| builder.add_text_field(facet.name(), facet_column()));
    let fields = Fields {
        id,
        id_hi,
        id_lo,
        public,
        text_de,
        text_en,
        text_tr,
        name_words,
        name_edge,
        name_ngram,
        name_sort,
        spell,
        facets,
    };
    (builder.build(), fields)
}

pub(crate) fn id_bytes(id: Uuid) -> [u8; 16] {
    *id.as_bytes()
}

pub(crate) fn id_from_halves(hi: u64, lo: u64) -> Uuid {
    Uuid::from_u64_pair(hi, lo)
}

impl Fields {
    pub(crate) fn facet(&self, facet: Facet) -> Field {
        self.facets[facet as usize]
    }

    pub(crate) fn document(&self, org: &OrganisationDoc) -> TantivyDocument {
        let names: Vec<&String> = std::iter::once(&org.name)
            .chain(&org.alternate_names)
            .collect();
        let entity = ["organisation".to_owned()];
        self.assemble(
            org.id,
            org.public,
            &names,
            &[&org.description],
            [
                std::slice::from_ref(&org.kind),
                &org.topics,
                &org.languages,
                org.district.as_slice(),
                &org.origins,
                &org.target_groups,
                &entity,
                &[],
                &[],
                &[],
            ],
        )
    }

    pub(crate) fn offer_document(&self, offer: &OfferDoc) -> TantivyDocument {
        let names: Vec<&String> = std::iter::once(&offer.title)
            .chain(&offer.alternate_titles)
            .collect();
        let mut texts: Vec<&String> = vec![&offer.description, &offer.organisation_name];
        texts.extend(&offer.other_texts);
        let flag = |on: bool, value: &str| {
            if on {
                vec![value.to_owned()]
            } else {
                Vec::new()
            }
        };
        self.assemble(
            offer.id,
            offer.public,
            &names,
            &texts,
            [
                &[],
                &[],
                &offer.languages,
                offer.district.as_slice(),
                &[],
                &offer.target_groups,
                &["offer".to_owned()],
                std::slice::from_ref(&offer.category),
                &flag(offer.free, "free"),
                &flag(offer.online, "online"),
            ],
        )
    }

    /// One document: names are matched word-wise, by prefix and by n-gram
    /// and sort the list; texts only feed the full-text fields.
    fn assemble(
        &self,
        id: Uuid,
        public: bool,
        names: &[&String],
        texts: &[&String],
        values: [&[String]; FACET_COUNT],
    ) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_bytes(self.id, &id_bytes(id));
        let (hi, lo) = id.as_u64_pair();
        doc.add_u64(self.id_hi, hi);
        doc.add_u64(self.id_lo, lo);
        doc.add_bool(self.public, public);

        for name in names {
            for field in [
                self.text_de,
                self.text_en,
                self.text_tr,
                self.name_words,
                self.name_edge,
                self.name_ngram,
                self.spell,
            ] {
                doc.add_text(field, name);
            }
        }
        for text in texts.iter().filter(|t| !t.is_empty()) {
            for field in [self.text_de, self.text_en, self.text_tr, self.spell] {
                doc.add_text(field, text);
            }
        }
        doc.add_text(
            self.name_sort,
            analysis::sort_key(names.first().map_or("", |n| n.as_str())),
        );

        for (facet, values) in Facet::ALL.into_iter().zip(values) {
            // A repeated value would be counted twice in the facet column.
            let mut seen: Vec<&str> = Vec::with_capacity(values.len());
            for value in values {
                if !value.is_empty() && !seen.contains(&value.as_str()) {
                    seen.push(value);
                    doc.add_text(self.facet(facet), value);
                }
            }
        }
        doc
    }
}
