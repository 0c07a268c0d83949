//! One pass over the documents matching the text query that applies the facet
//! filters, counts facet values and keeps the best page of hits.
//!
//! Facet counting is *disjunctive*: the counts for facet F are taken over the
//! documents that match the text, `public_only` and every filter except F's
//! own. So with "topic = education" selected the topic facet still shows how
//! many results each other topic would add, while kind/language/... show
//! counts within the education results. Documents that pass every filter are
//! the result set and count for all facets.
//!
//! Invariants:
//! - Filters live here, not in the tantivy query, so a single pass sees the
//!   documents that fail exactly one filter (needed for the counts above).
//! - Within a segment, term ordinals of the `name_sort` column sort like the
//!   strings themselves, so a per-segment top-k by ordinal is the per-segment
//!   top-k by name; strings are only resolved for the survivors.
//! - Hits order by score (descending), then name, then id: deterministic.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};
use uuid::Uuid;

use crate::schema::{FACET_COUNT, Facet, ID_HI, ID_LO, NAME_SORT, id_from_halves};

/// Hits beyond this many are never kept, whatever `offset + limit` says, so a
/// silly offset cannot allocate without bound.
pub(crate) const MAX_KEPT_HITS: usize = 10_000;

pub(crate) struct FacetedTopCollector {
    /// Wanted values per facet; empty means "no filter on this facet".
    pub(crate) filters: [Vec<String>; FACET_COUNT],
    /// How many best hits to keep (offset + limit).
    pub(crate) keep: usize,
    /// False when the query has no text: all scores are equal, order by name.
    pub(crate) scoring: bool,
}

#[derive(Debug)]
pub(crate) struct RankedHit {
    pub(crate) id: Uuid,
    pub(crate) score: Score,
    name: String,
}

#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub(crate) total: usize,
    /// Best first, at most `keep` long.
    pub(crate) hits: Vec<RankedHit>,
    pub(crate) facets: [BTreeMap<String, u64>; FACET_COUNT],
}

pub(crate) struct SegmentPart {
    columns: [Option<StrColumn>; FACET_COUNT],
    /// Per facet: `None` = not filtered; `Some(ords)` = the wanted values'
    /// ordinals present in this segment (possibly none, then nothing passes).
    wanted: [Option<Vec<u64>>; FACET_COUNT],
    counts: [Vec<u64>; FACET_COUNT],
    name: Option<StrColumn>,
    id_hi: Column<u64>,
    id_lo: Column<u64>,
    keep: usize,
    heap: BinaryHeap<Candidate>,
    total: usize,
}

/// Ordered so that the *worst* candidate is the greatest: the max-heap then
/// exposes the one to evict.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    score: Score,
    name_ord: u64,
    doc: DocId,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.name_ord.cmp(&other.name_ord))
            .then(self.doc.cmp(&other.doc))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

fn has_any(column: Option<&StrColumn>, doc: DocId, wanted: &[u64]) -> bool {
    column.is_some_and(|column| column.term_ords(doc).any(|ord| wanted.contains(&ord)))
}

impl Collector for FacetedTopCollector {
    type Fruit = Collected;
    type Child = SegmentPart;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentPart> {
        let fast = reader.fast_fields();
        let mut columns: [Option<StrColumn>; FACET_COUNT] = Default::default();
        let mut wanted: [Option<Vec<u64>>; FACET_COUNT] = Default::default();
        let mut counts: [Vec<u64>; FACET_COUNT] = Default::default();
        for facet in Facet::ALL {
            let i = facet as usize;
            let column = fast.str(facet.name())?;
            if !self.filters[i].is_empty() {
                let mut ords = Vec::with_capacity(self.filters[i].len());
                if let Some(column) = &column {
                    for value in &self.filters[i] {
                        if let Some(ord) = column.dictionary().term_ord(value)? {
                            ords.push(ord);
                        }
                    }
                }
                wanted[i] = Some(ords);
            }
            if let Some(column) = &column {
                counts[i] = vec![0; column.num_terms()];
            }
            columns[i] = column;
        }
        Ok(SegmentPart {
            columns,
            wanted,
            counts,
            name: fast.str(NAME_SORT)?,
            id_hi: fast.u64(ID_HI)?,
            id_lo: fast.u64(ID_LO)?,
            keep: self.keep.min(MAX_KEPT_HITS),
            heap: BinaryHeap::new(),
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(
        &self,
        segment_fruits: Vec<tantivy::Result<Collected>>,
    ) -> tantivy::Result<Collected> {
        let mut merged = Collected::default();
        for fruit in segment_fruits {
            let fruit = fruit?;
            merged.total += fruit.total;
            merged.hits.extend(fruit.hits);
            for (into, from) in merged.facets.iter_mut().zip(fruit.facets) {
                for (value, count) in from {
                    *into.entry(value).or_insert(0) += count;
                }
            }
        }
        merged.hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.id.cmp(&b.id))
        });
        merged.hits.truncate(self.keep.min(MAX_KEPT_HITS));
        Ok(merged)
    }
}

impl SegmentPart {
    fn count(&mut self, facet: usize, doc: DocId) {
        if let Some(column) = &self.columns[facet] {
            for ord in column.term_ords(doc) {
                if let Some(slot) = usize::try_from(ord)
                    .ok()
                    .and_then(|ord| self.counts[facet].get_mut(ord))
                {
                    *slot += 1;
                }
            }
        }
    }

    fn offer(&mut self, doc: DocId, score: Score) {
        if self.keep == 0 {
            return;
        }
        let name_ord = self
            .name
            .as_ref()
            .and_then(|column| column.term_ords(doc).next())
            .unwrap_or(u64::MAX);
        let candidate = Candidate {
            score,
            name_ord,
            doc,
        };
        if self.heap.len() < self.keep {
            self.heap.push(candidate);
        } else if let Some(mut worst) = self.heap.peek_mut()
            && candidate < *worst
        {
            *worst = candidate;
        }
    }
}

impl SegmentCollector for SegmentPart {
    // Resolving ordinals to strings can fail with an I/O error (never for a
    // RAM index, but the API says so); harvest cannot return an error, so it
    // travels in the fruit to `merge_fruits`.
    type Fruit = tantivy::Result<Collected>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let mut failed = None;
        for (facet, wanted) in self.wanted.iter().enumerate() {
            let Some(wanted) = wanted else { continue };
            if !has_any(self.columns[facet].as_ref(), doc, wanted) {
                if failed.is_some() {
                    return;
                }
                failed = Some(facet);
            }
        }
        match failed {
            None => {
                self.total += 1;
                for facet in 0..FACET_COUNT {
                    self.count(facet, doc);
                }
                self.offer(doc, score);
            }
            Some(facet) => self.count(facet, doc),
        }
    }

    fn harvest(self) -> tantivy::Result<Collected> {
        let mut collected = Collected {
            total: self.total,
            ..Collected::default()
        };
        for (facet, counts) in self.counts.iter().enumerate() {
            let Some(column) = &self.columns[facet] else {
                continue;
            };
            let used: Vec<(u64, u64)> = (0u64..)
                .zip(counts.iter().copied())
                .filter(|&(_, count)| count > 0)
                .collect();
            let ords: Vec<u64> = used.iter().map(|&(ord, _)| ord).collect();
            let mut counts = used.iter().map(|&(_, count)| count);
            let into = &mut collected.facets[facet];
            column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                if let Some(count) = counts.next() {
                    into.insert(String::from_utf8_lossy(bytes).into_owned(), count);
                }
            })?;
        }
        let mut name = String::new();
        for candidate in self.heap.into_vec() {
            name.clear();
            if let Some(column) = &self.name
                && candidate.name_ord != u64::MAX
            {
                column.ord_to_str(candidate.name_ord, &mut name)?;
            }
            let id = match (
                self.id_hi.first(candidate.doc),
                self.id_lo.first(candidate.doc),
            ) {
                (Some(hi), Some(lo)) => id_from_halves(hi, lo),
                // Every document is written with both halves (schema
                // invariant); a document without them cannot be reported.
                _ => continue,
            };
            collected.hits.push(RankedHit {
                id,
                score: candidate.score,
                name: name.clone(),
            });
        }
        Ok(collected)
    }
}
