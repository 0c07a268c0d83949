//! Splitting German compounds into their parts ("Deutschkurs" → deutsch +
//! kurs), so a word finds the compounds it is part of and a compound finds
//! text that writes its parts apart ("Hausaufgaben Hilfe").
//!
//! Dictionary-based: the parts are in `data/compounds-de.txt`. The split is
//! greedy, longest part first, with backtracking when the rest cannot be
//! split; a linking -s, -es, -n or -en may stand between parts, and the last
//! part may carry an inflectional ending ("Deutschkurse" → deutsch + kurse).
//! A word that is itself in the dictionary ("Nachhilfe") stays whole. When
//! only the head is known, an unknown front of at least four letters is
//! split off too ("Nähmaschinenkurs" → nähmaschinen + kurs).
//!
//! Invariants:
//! - Works on lower-cased, folded text (the dictionary is folded the same
//!   way when loaded), so "Elterncafé" and "Elterncafe" split alike.
//! - A split has at least two parts, each at least [`MIN_PART`] characters;
//!   otherwise there is none.

use std::collections::HashSet;
use std::sync::OnceLock;

use tantivy::tokenizer::TextAnalyzer;

/// The shortest part worth splitting off ("tee", "amt").
pub(crate) const MIN_PART: usize = 3;
/// The shortest unknown front split off before a known head.
const MIN_UNKNOWN_FRONT: usize = 4;
/// Linking elements between parts (Fugen): Integration-s-kurs,
/// Land-es-verband, Sonne-n-blume, Frau-en-gruppe.
const LINKS: &[&str] = &["es", "en", "s", "n"];
/// Endings the last part may carry: Kurs-e, Gruppe-n, Kurs-en, Café-s,
/// Leiter-in, Helfer-innen.
const ENDINGS: &[&str] = &["e", "n", "en", "s", "es", "er", "ern", "in", "innen", "nen"];

const WORDS: &str = include_str!("../data/compounds-de.txt");

pub(crate) struct Dictionary {
    parts: HashSet<String>,
    /// The longest part, in characters: no longer prefix needs a lookup.
    longest: usize,
}

impl Dictionary {
    fn load(text: &str, fold: &mut TextAnalyzer) -> Dictionary {
        let mut parts = HashSet::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(part) = crate::analysis::single_term(fold, line)
                && part.chars().count() >= MIN_PART
            {
                parts.insert(part);
            }
        }
        let longest = parts.iter().map(|p| p.chars().count()).max().unwrap_or(0);
        Dictionary { parts, longest }
    }

    /// The dictionary shipped with msohub, loaded once.
    pub(crate) fn german() -> &'static Dictionary {
        static GERMAN: OnceLock<Dictionary> = OnceLock::new();
        GERMAN.get_or_init(|| Dictionary::load(WORDS, &mut crate::analysis::folded()))
    }

    /// The parts of a folded word, or `None` when it is no compound the
    /// dictionary knows.
    pub(crate) fn split<'w>(&self, word: &'w str) -> Option<Vec<&'w str>> {
        let mut bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
        bounds.push(word.len());
        let chars = bounds.len() - 1;
        if chars < 2 * MIN_PART {
            return None;
        }
        let mut splitter = Splitter {
            dictionary: self,
            word,
            bounds: &bounds,
            failed: vec![false; chars + 1],
        };
        let mut spans = splitter.from(0);
        if spans.as_ref().is_some_and(|s| s.len() < 2) {
            // The word itself is a part ("Nachhilfe", "Deutschland").
            return None;
        }
        if spans.is_none() {
            // Only the head is known: split off the unknown front, keeping
            // the longest known tail.
            spans =
                (MIN_UNKNOWN_FRONT..=chars.saturating_sub(MIN_UNKNOWN_FRONT)).find_map(|front| {
                    let mut tail = splitter.from(front)?;
                    tail.insert(0, (0, front));
                    Some(tail)
                });
        }
        spans.map(|spans| {
            spans
                .into_iter()
                .map(|(from, to)| &word[bounds[from]..bounds[to]])
                .collect()
        })
    }
}

/// One word being split; positions are character indices.
struct Splitter<'a> {
    dictionary: &'a Dictionary,
    word: &'a str,
    /// Byte offset of every character boundary, the end included.
    bounds: &'a [usize],
    /// Positions from which the rest is known not to split.
    failed: Vec<bool>,
}

impl Splitter<'_> {
    fn chars(&self) -> usize {
        self.bounds.len() - 1
    }

    fn text(&self, from: usize, to: usize) -> &str {
        &self.word[self.bounds[from]..self.bounds[to]]
    }

    /// The rest of the word from `pos` as known parts, longest first.
    fn from(&mut self, pos: usize) -> Option<Vec<(usize, usize)>> {
        let chars = self.chars();
        if self.failed[pos] || chars - pos < MIN_PART {
            return None;
        }
        let longest = (pos + self.dictionary.longest).min(chars);
        for end in (pos + MIN_PART..=longest).rev() {
            if !self.dictionary.parts.contains(self.text(pos, end)) {
                continue;
            }
            if end == chars {
                return Some(vec![(pos, end)]);
            }
            if let Some(mut rest) = self.from(end) {
                rest.insert(0, (pos, end));
                return Some(rest);
            }
            let rest = self.text(end, chars).to_owned();
            for link in LINKS {
                let after = end + link.len();
                if rest.starts_with(link)
                    && after < chars
                    && let Some(mut parts) = self.from(after)
                {
                    parts.insert(0, (pos, end));
                    return Some(parts);
                }
            }
            if ENDINGS.contains(&rest.as_str()) {
                return Some(vec![(pos, chars)]);
            }
        }
        self.failed[pos] = true;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(word: &str) -> Option<Vec<String>> {
        let folded = crate::analysis::single_term(&mut crate::analysis::folded(), word)?;
        Dictionary::german()
            .split(&folded)
            .map(|parts| parts.into_iter().map(str::to_owned).collect())
    }

    fn parts(word: &str) -> Vec<String> {
        split(word).unwrap_or_else(|| panic!("{word} does not split"))
    }

    #[test]
    fn compounds_of_the_directory_split_into_their_parts() {
        assert_eq!(parts("Deutschkurs"), ["deutsch", "kurs"]);
        assert_eq!(parts("Sprachkurs"), ["sprach", "kurs"]);
        assert_eq!(parts("Elterncafé"), ["eltern", "cafe"]);
        assert_eq!(parts("Elterncafe"), ["eltern", "cafe"]);
        assert_eq!(parts("Hausaufgabenhilfe"), ["hausaufgaben", "hilfe"]);
        assert_eq!(parts("Frauengruppe"), ["frauen", "gruppe"]);
        assert_eq!(parts("Jugendtreff"), ["jugend", "treff"]);
        assert_eq!(
            parts("Kinderbetreuungsangebot"),
            ["kinder", "betreuung", "angebot"]
        );
    }

    #[test]
    fn linking_elements_are_left_out_of_the_parts() {
        assert_eq!(parts("Integrationskurs"), ["integration", "kurs"]);
        assert_eq!(parts("Beratungsstelle"), ["beratung", "stelle"]);
        assert_eq!(parts("Landesverband"), ["land", "verband"]);
        assert_eq!(parts("Familienzentrum"), ["familien", "zentrum"]);
        assert_eq!(parts("Gesprächskreis"), ["gesprach", "kreis"]);
    }

    #[test]
    fn the_last_part_keeps_its_ending() {
        assert_eq!(parts("Deutschkurse"), ["deutsch", "kurse"]);
        assert_eq!(parts("Frauengruppen"), ["frauen", "gruppen"]);
        assert_eq!(parts("Kursleiterinnen").len(), 2);
    }

    #[test]
    fn words_in_the_dictionary_and_short_or_unknown_words_stay_whole() {
        for word in [
            "Nachhilfe",
            "Deutschland",
            "Kurse",
            "Verein",
            "Beratung",
            "Diskurs",
            "kurs",
            "Lindenau",
            "Anatolien",
            "",
            "курсы",
        ] {
            assert_eq!(split(word), None, "{word}");
        }
    }

    #[test]
    fn an_unknown_front_is_split_off_a_known_head() {
        assert_eq!(parts("Computerkurs"), ["computer", "kurs"]);
        assert_eq!(parts("Malerkurs"), ["maler", "kurs"]);
        // Three letters are too few to be sure of a front ("Diskurs").
        assert_eq!(split("Exkurs"), None);
    }

    #[test]
    fn long_and_odd_words_are_cheap_and_never_fail() {
        let long = "kurs".repeat(15);
        assert_eq!(parts(&long).len(), 15);
        assert_eq!(split(&"x".repeat(63)), None);
        assert_eq!(
            split("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"),
            None
        );
        assert_eq!(split("ßßßßßß").map(|p| p.len()), None);
    }
}
