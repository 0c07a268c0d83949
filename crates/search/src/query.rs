//! Turns the words a user typed into a tantivy query, without tantivy's query
//! parser: user input is never interpreted as syntax, so quotes, operators
//! and brackets are just separators and no input can make a query fail.
//!
//! Ranking is built from constant-score name clauses plus a damped BM25
//! full-text clause, per word:
//!
//! | clause                                  | score |
//! |-----------------------------------------|-------|
//! | whole name word                         | 10    |
//! | name word starts with it (edge n-gram)  | 6     |
//! | inside a name word (n-gram, 3..=15)     | 3     |
//! | name word within edit distance (fuzzy)  | 2     |
//! | last word, fuzzy prefix (typing + typo) | 1     |
//! | a label of the offer's category         | 5     |
//! | a label of a target group, topic        | 2     |
//! | name/description full text, best of de/en/tr BM25 | × 0.3 |
//!
//! An exact name word also matches the prefix, n-gram and fuzzy clauses, so
//! scores stack: exact ≥ 21, prefix ≥ 6, fuzzy-only ≤ 3. The BM25 part is
//! damped so a description mention rarely outweighs a name match; it mainly
//! orders documents within the same name-match class.
//!
//! A German compound the dictionary splits ("Deutschkurs") also matches a
//! document that has all its parts (deutsch and kurs, anywhere), at half
//! the score; a word of a synonym group also matches the group's other
//! members, at 0.6 of theirs (the best of the word and its synonyms
//! counts, not their sum; a member of several words counts as one). When nothing has every word, the fallback
//! wants any word, or any part of a compound, at all.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, Query,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;

use crate::analysis::{
    EDGE_MAX_CHARS, NGRAM_MAX_CHARS, NGRAM_MIN_CHARS, QueryAnalyzers, is_stop_word, single_term,
};
use crate::compound::Dictionary;
use crate::expand::{Unit, Vocabulary};
use crate::schema::{Facet, Fields};

const EXACT_NAME: f32 = 10.0;
const PREFIX_NAME: f32 = 6.0;
const NGRAM_NAME: f32 = 3.0;
const FUZZY_NAME: f32 = 2.0;
const FUZZY_PREFIX_NAME: f32 = 1.0;
const FULL_TEXT: f32 = 0.3;
/// What a document is (its category) says more than whom it is for.
const CATEGORY_LABEL: f32 = 5.0;
const OTHER_LABEL: f32 = 2.0;
/// All parts of a compound, against the compound itself.
const ALL_PARTS: f32 = 0.5;
/// One part of a compound alone (fallback only).
const ONE_PART: f32 = 0.3;
/// Another member of the word's synonym group, against the word itself.
const SYNONYM: f32 = 0.6;
/// Lets a document that matches a word and its synonyms score a little
/// above one that matches one of them.
const ALTERNATIVE_TIE_BREAKER: f32 = 0.1;
/// Lets a word that matches in several languages' stems score a little
/// above one that matches in one, without counting it three times.
const LANGUAGE_TIE_BREAKER: f32 = 0.1;

/// How the per-word clauses combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Combine {
    /// Every word must match (the normal, narrowing search-as-you-type mode).
    All,
    /// Any word may match (the fallback when no document has all words).
    Any,
}

/// Edit distance allowed for a folded word: none under 4 characters (too many
/// short words are one edit apart), 1 up to 7, 2 beyond.
pub(crate) fn fuzzy_distance(chars: usize) -> Option<u8> {
    match chars {
        0..=3 => None,
        4..=7 => Some(1),
        _ => Some(2),
    }
}

fn should_all(clauses: Vec<(Occur, Box<dyn Query>)>) -> Option<Box<dyn Query>> {
    match clauses.len() {
        0 => None,
        _ => Some(Box::new(BooleanQuery::new(clauses))),
    }
}

fn must_all(queries: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match queries.len() {
        0 => None,
        1 => queries.into_iter().next(),
        _ => Some(Box::new(BooleanQuery::new(
            queries.into_iter().map(|q| (Occur::Must, q)).collect(),
        ))),
    }
}

fn boosted(query: Box<dyn Query>, boost: f32) -> (Occur, Box<dyn Query>) {
    (Occur::Should, Box::new(BoostQuery::new(query, boost)))
}

/// Builds the query of one search.
pub(crate) struct Builder<'a> {
    pub(crate) fields: &'a Fields,
    pub(crate) analyzers: QueryAnalyzers,
    pub(crate) vocabulary: &'a Vocabulary,
}

impl Builder<'_> {
    /// The clauses of one word as it stands: full text, name, labels.
    fn word_clauses(
        &mut self,
        word: &str,
        fuzzy: bool,
        is_last: bool,
    ) -> Vec<(Occur, Box<dyn Query>)> {
        let fields = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();

        let mut languages: Vec<Box<dyn Query>> = Vec::new();
        for (field, analyzer) in [
            (fields.text_de, &mut self.analyzers.de),
            (fields.text_en, &mut self.analyzers.en),
            (fields.text_tr, &mut self.analyzers.tr),
        ] {
            if let Some(term) = single_term(analyzer, word) {
                languages.push(Box::new(TermQuery::new(
                    Term::from_field_text(field, &term),
                    IndexRecordOption::WithFreqs,
                )));
            }
        }
        if !languages.is_empty() {
            let best_language =
                DisjunctionMaxQuery::with_tie_breaker(languages, LANGUAGE_TIE_BREAKER);
            clauses.push(boosted(Box::new(best_language), FULL_TEXT));
        }

        if let Some(folded) = single_term(&mut self.analyzers.folded, word) {
            let chars = folded.chars().count();
            let constant = |field, score| -> (Occur, Box<dyn Query>) {
                let term = TermQuery::new(
                    Term::from_field_text(field, &folded),
                    IndexRecordOption::Basic,
                );
                (
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(Box::new(term), score)),
                )
            };
            clauses.push(constant(fields.name_words, EXACT_NAME));
            if chars <= EDGE_MAX_CHARS {
                clauses.push(constant(fields.name_edge, PREFIX_NAME));
            }
            if (NGRAM_MIN_CHARS..=NGRAM_MAX_CHARS).contains(&chars) {
                clauses.push(constant(fields.name_ngram, NGRAM_NAME));
            }
            if let Some(distance) = fuzzy_distance(chars).filter(|_| fuzzy) {
                let term = Term::from_field_text(fields.name_words, &folded);
                // Transpositions cost one edit: "verien" for "verein" is the most
                // common typing slip.
                let fuzzy = FuzzyTermQuery::new(term.clone(), distance, true);
                clauses.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(Box::new(fuzzy), FUZZY_NAME)),
                ));
                if is_last {
                    // The word being typed is incomplete; a typo in it should not
                    // wait for the word to be finished. Distance 1 only: prefix
                    // automata with 2 edits match almost every name.
                    let fuzzy_prefix = FuzzyTermQuery::new_prefix(term, 1, true);
                    clauses.push((
                        Occur::Should,
                        Box::new(ConstScoreQuery::new(
                            Box::new(fuzzy_prefix),
                            FUZZY_PREFIX_NAME,
                        )),
                    ));
                }
            }
        }

        let vocabulary = self.vocabulary;
        for (facet, code) in vocabulary.labelled(&mut self.analyzers, word, false, fuzzy) {
            let term = TermQuery::new(
                Term::from_field_text(fields.facet(facet), &code),
                IndexRecordOption::Basic,
            );
            let score = if facet == Facet::Category {
                CATEGORY_LABEL
            } else {
                OTHER_LABEL
            };
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(Box::new(term), score)),
            ));
        }
        clauses
    }

    /// The query for one word: the word itself or, for a compound, all its
    /// parts (`Any`: any part); `None` when no analyzer keeps it (too long).
    pub(crate) fn word(
        &mut self,
        word: &str,
        is_last: bool,
        mode: Combine,
    ) -> Option<Box<dyn Query>> {
        let mut clauses = self.word_clauses(word, true, is_last);
        let folded = single_term(&mut self.analyzers.folded, word);
        let parts = folded
            .as_deref()
            .and_then(|f| Dictionary::german().split(f))
            .unwrap_or_default();
        let part_queries: Vec<Box<dyn Query>> = parts
            .iter()
            .filter_map(|part| should_all(self.word_clauses(part, false, false)))
            .collect();
        if part_queries.len() >= 2 {
            match mode {
                Combine::All => {
                    if let Some(all) = must_all(part_queries) {
                        clauses.push(boosted(all, ALL_PARTS));
                    }
                }
                Combine::Any => {
                    for part in part_queries {
                        clauses.push(boosted(part, ONE_PART));
                    }
                }
            }
        }
        should_all(clauses)
    }

    /// The query for a unit: its words (all of them), or one of its
    /// synonyms' words (all of them). A document scores as its best match
    /// (plus a little for the others), so what has the words typed ranks
    /// above what has only a synonym.
    pub(crate) fn unit(
        &mut self,
        unit: &Unit,
        last_word: bool,
        mode: Combine,
    ) -> Option<Box<dyn Query>> {
        let count = unit.words.len();
        let own: Vec<Box<dyn Query>> = unit
            .words
            .iter()
            .enumerate()
            .filter_map(|(i, w)| self.word(w, last_word && i + 1 == count, mode))
            .collect();
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        if own.len() == count
            && let Some(own) = must_all(own)
        {
            disjuncts.push(own);
        }
        for alternative in &unit.alternatives {
            let words: Vec<Box<dyn Query>> = alternative
                .iter()
                .filter_map(|w| self.word(w, false, Combine::All))
                .collect();
            if words.len() == alternative.len()
                && let Some(all) = must_all(words)
            {
                // A member of several words is one thing, like the word
                // typed: its words' scores are not added up against it.
                let weight = SYNONYM * (count as f32 / alternative.len() as f32).min(1.0);
                disjuncts.push(Box::new(BoostQuery::new(all, weight)));
            }
        }
        match disjuncts.len() {
            0 => None,
            1 => disjuncts.pop(),
            _ => Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
                disjuncts,
                ALTERNATIVE_TIE_BREAKER,
            ))),
        }
    }

    /// Whether a unit may be left out while others match: a lone stop word
    /// or single letter ("für", "s" of "women's").
    pub(crate) fn optional(&mut self, unit: &Unit) -> bool {
        unit.alternatives.is_empty()
            && unit.words.iter().all(|w| {
                single_term(&mut self.analyzers.folded, w).is_none_or(|f| is_stop_word(&f))
            })
    }
}

/// Combines per-unit queries, each with whether it may be left out;
/// `None` when there are none. In `All` mode every unit must match but the
/// optional ones, unless all are optional.
pub(crate) fn combine(units: Vec<(Box<dyn Query>, bool)>, mode: Combine) -> Option<Box<dyn Query>> {
    let all_optional = units.iter().all(|(_, optional)| *optional);
    let clauses: Vec<(Occur, Box<dyn Query>)> = units
        .into_iter()
        .map(|(q, optional)| {
            let occur = match mode {
                Combine::All if all_optional || !optional => Occur::Must,
                _ => Occur::Should,
            };
            (occur, q)
        })
        .collect();
    match clauses.len() {
        0 => None,
        1 => clauses.into_iter().next().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(clauses))),
    }
}

/// Restricts `query` to public documents without changing its scores.
pub(crate) fn public_only(fields: &Fields, query: Box<dyn Query>) -> Box<dyn Query> {
    let public = TermQuery::new(
        Term::from_field_bool(fields.public, true),
        IndexRecordOption::Basic,
    );
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(public), 0.0)),
        ),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_distance_follows_word_length() {
        assert_eq!(fuzzy_distance(3), None);
        assert_eq!(fuzzy_distance(4), Some(1));
        assert_eq!(fuzzy_distance(7), Some(1));
        assert_eq!(fuzzy_distance(8), Some(2));
        assert_eq!(fuzzy_distance(40), Some(2));
    }
}
