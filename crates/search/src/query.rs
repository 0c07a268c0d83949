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
//! | name/description full text, best of de/en/tr BM25 | × 0.3 |
//!
//! An exact name word also matches the prefix, n-gram and fuzzy clauses, so
//! scores stack: exact ≥ 21, prefix ≥ 6, fuzzy-only ≤ 3. The BM25 part is
//! damped so a description mention rarely outweighs a name match; it mainly
//! orders documents within the same name-match class.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, Query,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;

use crate::analysis::{
    EDGE_MAX_CHARS, NGRAM_MAX_CHARS, NGRAM_MIN_CHARS, QueryAnalyzers, single_term,
};
use crate::schema::Fields;

const EXACT_NAME: f32 = 10.0;
const PREFIX_NAME: f32 = 6.0;
const NGRAM_NAME: f32 = 3.0;
const FUZZY_NAME: f32 = 2.0;
const FUZZY_PREFIX_NAME: f32 = 1.0;
const FULL_TEXT: f32 = 0.3;
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

/// The query for one word, or `None` when no analyzer keeps it (too long).
pub(crate) fn word_query(
    fields: &Fields,
    analyzers: &mut QueryAnalyzers,
    word: &str,
    is_last: bool,
) -> Option<Box<dyn Query>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();

    let mut languages: Vec<Box<dyn Query>> = Vec::new();
    for (field, analyzer) in [
        (fields.text_de, &mut analyzers.de),
        (fields.text_en, &mut analyzers.en),
        (fields.text_tr, &mut analyzers.tr),
    ] {
        if let Some(term) = single_term(analyzer, word) {
            languages.push(Box::new(TermQuery::new(
                Term::from_field_text(field, &term),
                IndexRecordOption::WithFreqs,
            )));
        }
    }
    if !languages.is_empty() {
        let best_language = DisjunctionMaxQuery::with_tie_breaker(languages, LANGUAGE_TIE_BREAKER);
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(best_language), FULL_TEXT)),
        ));
    }

    if let Some(folded) = single_term(&mut analyzers.folded, word) {
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
        if let Some(distance) = fuzzy_distance(chars) {
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

    if clauses.is_empty() {
        None
    } else {
        Some(Box::new(BooleanQuery::new(clauses)))
    }
}

/// Combines per-word queries; `None` when there are none.
pub(crate) fn combine(words: &[Box<dyn Query>], mode: Combine) -> Option<Box<dyn Query>> {
    let occur = match mode {
        Combine::All => Occur::Must,
        Combine::Any => Occur::Should,
    };
    match words {
        [] => None,
        [single] => Some(single.box_clone()),
        many => Some(Box::new(BooleanQuery::new(
            many.iter().map(|q| (occur, q.box_clone())).collect(),
        ))),
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
