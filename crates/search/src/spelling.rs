//! "Did you mean …?": the closest word the index or the vocabulary knows,
//! for a search that found nothing.
//!
//! Candidates come from the index's words (of names, titles, descriptions
//! and their translations, folded; found with a Levenshtein automaton over
//! the term dictionary, as tantivy's fuzzy query does) and from the words
//! of the taxonomy labels and synonyms. The best is the one fewest edits away
//! (a swap of two neighbouring letters is one edit), then the most used.

use tantivy::query::FuzzyTermQuery;
use tantivy::{Searcher, Term};

use crate::schema::Fields;

/// Edits a suggestion may be away: one for words of four or five
/// letters, two beyond (a little more than the fuzzy name match allows,
/// which has found those already when nothing was found).
fn suggestion_distance(chars: usize) -> Option<u8> {
    match chars {
        0..=3 => None,
        4..=5 => Some(1),
        _ => Some(2),
    }
}

/// Edits between `a` and `b` (optimal string alignment: insertions,
/// deletions, substitutions and swaps of neighbours).
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        rows[at(i, 0)] = i;
    }
    for j in 0..=b.len() {
        rows[at(0, j)] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[at(i - 1, j)] + 1)
                .min(rows[at(i, j - 1)] + 1)
                .min(rows[at(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[at(i - 2, j - 2)] + 1);
            }
            rows[at(i, j)] = best;
        }
    }
    rows[at(a.len(), b.len())]
}

/// A candidate and how good it is: fewer edits, then more documents.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Candidate {
    word: String,
    edits: usize,
    uses: u64,
}

impl Candidate {
    fn better_than(&self, other: &Candidate) -> bool {
        (self.edits, std::cmp::Reverse(self.uses), &self.word)
            < (other.edits, std::cmp::Reverse(other.uses), &other.word)
    }
}

/// The known word closest to the folded `word` within the edits its
/// length allows; `None` when there is none, or when the word is known
/// itself.
pub(crate) fn closest(
    searcher: &Searcher,
    fields: &Fields,
    vocabulary: &[String],
    word: &str,
) -> Option<String> {
    let max = suggestion_distance(word.chars().count())?;
    let mut best: Option<Candidate> = None;
    let mut offer = |candidate: Candidate| {
        if best.as_ref().is_none_or(|b| candidate.better_than(b)) {
            best = Some(candidate);
        }
    };
    for known in vocabulary {
        let edits = distance(word, known);
        if edits <= usize::from(max) {
            offer(Candidate {
                word: known.clone(),
                edits,
                uses: 1,
            });
        }
    }
    let fuzzy = FuzzyTermQuery::new(Term::from_field_text(fields.spell, word), max, true);
    for segment in searcher.segment_readers() {
        let (Ok(index), Ok(automaton)) = (segment.inverted_index(fields.spell), fuzzy.automaton())
        else {
            continue;
        };
        let Ok(mut terms) = index.terms().search(automaton).into_stream() else {
            continue;
        };
        while terms.advance() {
            let Ok(known) = std::str::from_utf8(terms.key()) else {
                continue;
            };
            if crate::analysis::is_stop_word(known) {
                continue;
            }
            offer(Candidate {
                word: known.to_owned(),
                edits: distance(word, known),
                uses: u64::from(terms.value().doc_freq),
            });
        }
    }
    best.filter(|b| b.edits > 0).map(|b| b.word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_count_swaps_once() {
        assert_eq!(distance("beratung", "beratung"), 0);
        assert_eq!(distance("beratnug", "beratung"), 1);
        assert_eq!(distance("deutschkurz", "deutschkurs"), 1);
        assert_eq!(distance("hausaufgabenhlife", "hausaufgabenhilfe"), 1);
        assert_eq!(distance("elterncaffe", "elterncafe"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kurs", ""), 4);
        assert_eq!(distance("курс", "курсы"), 1);
    }
}
