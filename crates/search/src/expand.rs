//! What a query word may mean besides itself: the office's synonym groups
//! ("Deutschkurs, Sprachkurs, Integrationskurs") and the labels of the
//! taxonomy terms in every directory language ("language course", "Dil
//! kursu" → the category `language_course`). Both are applied when a query
//! is built, so changing them needs no reindexing.
//!
//! Invariants:
//! - Expansion happens once: a word's alternatives are the other members of
//!   the groups it is in, never their groups' members (a list with loops
//!   stays harmless).
//! - A synonym list is accepted whole or refused whole, with every broken
//!   line named ([`Synonyms::parse`]).

use std::collections::HashMap;

use crate::analysis::{self, QueryAnalyzers, is_stop_word, single_term};
use crate::schema::Facet;

/// Groups of words that mean the same in a search, one group per line,
/// members separated by commas. A member may be several words ("Deutsch
/// lernen"): a query has it when it has those words in that order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
}

/// Why a line of a synonym list was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynonymProblem {
    /// An entry between commas is empty or has no letters or digits.
    EmptyEntry,
    /// A group needs two different members.
    SingleMember,
    /// An entry is longer than [`Synonyms::MAX_ENTRY_CHARS`].
    TooLong,
    /// A group has more than [`Synonyms::MAX_MEMBERS`] members.
    TooManyMembers,
    /// The list has more than [`Synonyms::MAX_GROUPS`] groups (line 0).
    TooManyGroups,
}

impl SynonymProblem {
    /// A stable key for messages and API clients.
    pub fn rule(self) -> &'static str {
        match self {
            SynonymProblem::EmptyEntry => "synonym-entry-empty",
            SynonymProblem::SingleMember => "synonym-group-single",
            SynonymProblem::TooLong => "synonym-entry-too-long",
            SynonymProblem::TooManyMembers => "synonym-group-too-large",
            SynonymProblem::TooManyGroups => "synonym-too-many-groups",
        }
    }
}

/// A refused line: its number (from 1; 0 for the list as a whole) and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SynonymError {
    pub line: usize,
    pub problem: SynonymProblem,
}

impl Synonyms {
    pub const MAX_GROUPS: usize = 500;
    pub const MAX_ENTRY_CHARS: usize = 100;
    pub const MAX_MEMBERS: usize = 20;

    /// Reads a list: blank lines are skipped, entries trimmed, a member
    /// repeated in its group (ignoring case and accents) counted once.
    /// Every broken line is reported; any error refuses the whole list.
    pub fn parse(text: &str) -> Result<Synonyms, Vec<SynonymError>> {
        let mut folded = analysis::folded();
        let mut groups = Vec::new();
        let mut errors = Vec::new();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let line_number = index + 1;
            let mut fail = |problem| {
                errors.push(SynonymError {
                    line: line_number,
                    problem,
                })
            };
            let mut members: Vec<String> = Vec::new();
            let mut keys: Vec<Vec<String>> = Vec::new();
            let mut broken = false;
            for entry in line.split(',').map(str::trim) {
                let words = analysis::user_words(entry, usize::MAX);
                if words.is_empty() {
                    fail(SynonymProblem::EmptyEntry);
                    broken = true;
                    break;
                }
                if entry.chars().count() > Synonyms::MAX_ENTRY_CHARS {
                    fail(SynonymProblem::TooLong);
                    broken = true;
                    break;
                }
                let key: Vec<String> = words
                    .iter()
                    .map(|w| single_term(&mut folded, w).unwrap_or_else(|| w.clone()))
                    .collect();
                if !keys.contains(&key) {
                    keys.push(key);
                    members.push(entry.to_owned());
                }
            }
            if broken {
                continue;
            }
            if members.len() < 2 {
                fail(SynonymProblem::SingleMember);
            } else if members.len() > Synonyms::MAX_MEMBERS {
                fail(SynonymProblem::TooManyMembers);
            } else {
                groups.push(members);
            }
        }
        if groups.len() > Synonyms::MAX_GROUPS {
            errors.insert(
                0,
                SynonymError {
                    line: 0,
                    problem: SynonymProblem::TooManyGroups,
                },
            );
        }
        if errors.is_empty() {
            Ok(Synonyms { groups })
        } else {
            Err(errors)
        }
    }

    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    /// The list as it is stored and shown: one group a line, members
    /// separated by ", ".
    pub fn to_text(&self) -> String {
        self.groups
            .iter()
            .map(|g| g.join(", "))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A taxonomy term and its labels in every language, for
/// [`crate::SearchIndex::set_labels`]. `facet` is `category` (offers),
/// `target_group` or `topic`; other names are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Label {
    pub facet: String,
    pub code: String,
    pub labels: Vec<String>,
}

/// The words a query is made of after synonym matching: the words of a
/// member found in the query, or a single word, and what else they may be.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Unit {
    pub(crate) words: Vec<String>,
    /// Other members of the groups these words are a member of; each a list
    /// of words.
    pub(crate) alternatives: Vec<Vec<String>>,
}

/// Synonyms and labels prepared for query building.
#[derive(Default)]
pub(crate) struct Vocabulary {
    /// Per group, per member, its words.
    groups: Vec<Vec<Vec<String>>>,
    /// A member's words as keys (German stems of the whole words) → groups.
    members: HashMap<Vec<String>, Vec<usize>>,
    /// The most words a member has.
    longest_member: usize,
    /// Label term (see [`QueryAnalyzers::label_terms`]) → the terms whose
    /// labels have it.
    labels: HashMap<String, Vec<(Facet, String)>>,
    /// Folded words of labels and synonyms, for spelling suggestions.
    pub(crate) words: Vec<String>,
    /// Folded words of labels alone, for typos in label words.
    label_words: Vec<String>,
}

/// The key a word is matched on: its German stem as a whole word, folded.
fn key(analyzers: &mut QueryAnalyzers, word: &str) -> String {
    single_term(&mut analyzers.de, word).unwrap_or_else(|| word.to_lowercase())
}

impl Vocabulary {
    pub(crate) fn new(synonyms: &Synonyms, labels: &[Label]) -> Vocabulary {
        let mut analyzers = QueryAnalyzers::new();
        let mut vocabulary = Vocabulary::default();
        let spelled = |word: &str, analyzers: &mut QueryAnalyzers, into: &mut Vec<String>| {
            if let Some(folded) = single_term(&mut analyzers.folded, word)
                && !is_stop_word(&folded)
                && !into.contains(&folded)
            {
                into.push(folded);
            }
        };
        let mut words = Vec::new();
        for (index, group) in synonyms.groups().iter().enumerate() {
            let mut members = Vec::new();
            for member in group {
                let member_words = analysis::user_words(member, usize::MAX);
                let keys: Vec<String> = member_words
                    .iter()
                    .map(|w| key(&mut analyzers, w))
                    .collect();
                let groups = vocabulary.members.entry(keys).or_default();
                if !groups.contains(&index) {
                    groups.push(index);
                }
                vocabulary.longest_member = vocabulary.longest_member.max(member_words.len());
                for word in &member_words {
                    spelled(word, &mut analyzers, &mut words);
                }
                members.push(member_words);
            }
            vocabulary.groups.push(members);
        }
        for label in labels {
            let Some(facet) = Facet::named(&label.facet) else {
                continue;
            };
            for text in &label.labels {
                for word in analysis::user_words(text, usize::MAX) {
                    let folded = single_term(&mut analyzers.folded, &word).unwrap_or_default();
                    if is_stop_word(&folded) {
                        continue;
                    }
                    spelled(&word, &mut analyzers, &mut words);
                    spelled(&word, &mut analyzers, &mut vocabulary.label_words);
                    for term in analyzers.label_terms(&word, true) {
                        let codes = vocabulary.labels.entry(term).or_default();
                        let value = (facet, label.code.clone());
                        if !codes.contains(&value) {
                            codes.push(value);
                        }
                    }
                }
            }
        }
        vocabulary.words = words;
        vocabulary
    }

    /// Groups the query's words into units: the longest run of words that
    /// is a synonym group's member becomes one unit with the group's other
    /// members as alternatives; every other word is a unit of its own.
    pub(crate) fn units(&self, analyzers: &mut QueryAnalyzers, words: &[String]) -> Vec<Unit> {
        let keys: Vec<String> = words.iter().map(|w| key(analyzers, w)).collect();
        let mut units = Vec::new();
        let mut start = 0;
        while start < words.len() {
            let longest = self.longest_member.min(words.len() - start);
            let found = (1..=longest).rev().find_map(|len| {
                let groups = self.members.get(&keys[start..start + len])?;
                Some((len, groups))
            });
            let (len, alternatives) = match found {
                Some((len, groups)) => {
                    let own = &keys[start..start + len];
                    let mut alternatives: Vec<Vec<String>> = Vec::new();
                    for &group in groups {
                        for member in &self.groups[group] {
                            let member_keys: Vec<String> =
                                member.iter().map(|w| key(analyzers, w)).collect();
                            if member_keys != own && !alternatives.contains(member) {
                                alternatives.push(member.clone());
                            }
                        }
                    }
                    (len, alternatives)
                }
                None => (1, Vec::new()),
            };
            units.push(Unit {
                words: words[start..start + len].to_vec(),
                alternatives,
            });
            start += len;
        }
        units
    }

    /// The taxonomy terms one of whose labels has the word (under any
    /// language's rules); none for stop words. With `parts`, the word's
    /// compound parts count too; with `typos`, a word no label has counts
    /// as the label words closest to it (within the edits a fuzzy name
    /// match allows: "Beratnug" → Beratung).
    pub(crate) fn labelled(
        &self,
        analyzers: &mut QueryAnalyzers,
        word: &str,
        parts: bool,
        typos: bool,
    ) -> Vec<(Facet, String)> {
        let folded = single_term(&mut analyzers.folded, word).unwrap_or_default();
        if self.labels.is_empty() || is_stop_word(&folded) {
            return Vec::new();
        }
        let mut found = self.labelled_exactly(analyzers, word, parts);
        if found.is_empty() && typos {
            let Some(max) = crate::query::fuzzy_distance(folded.chars().count()) else {
                return found;
            };
            let distances: Vec<(usize, &String)> = self
                .label_words
                .iter()
                .map(|known| (crate::spelling::distance(&folded, known), known))
                .filter(|(d, _)| *d <= usize::from(max))
                .collect();
            let Some(nearest) = distances.iter().map(|(d, _)| *d).min() else {
                return found;
            };
            for (_, known) in distances.into_iter().filter(|(d, _)| *d == nearest) {
                for value in self.labelled_exactly(analyzers, known, parts) {
                    if !found.contains(&value) {
                        found.push(value);
                    }
                }
            }
        }
        found
    }

    fn labelled_exactly(
        &self,
        analyzers: &mut QueryAnalyzers,
        word: &str,
        parts: bool,
    ) -> Vec<(Facet, String)> {
        let mut found: Vec<(Facet, String)> = Vec::new();
        for term in analyzers.label_terms(word, parts) {
            for value in self.labels.get(&term).into_iter().flatten() {
                if !found.contains(value) {
                    found.push(value.clone());
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(usize, &'static str)> {
        Synonyms::parse(text)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.line, e.problem.rule()))
            .collect()
    }

    #[test]
    fn a_synonym_list_is_groups_of_comma_separated_members() {
        let list = Synonyms::parse(
            "Deutschkurs,  Sprachkurs ,Integrationskurs\n\n  \nElterncafé, Elterncafe, Elterntreff\nDeutsch lernen, Deutschkurs",
        )
        .unwrap();
        assert_eq!(
            list.groups(),
            [
                vec!["Deutschkurs", "Sprachkurs", "Integrationskurs"],
                vec!["Elterncafé", "Elterntreff"],
                vec!["Deutsch lernen", "Deutschkurs"],
            ],
            "trimmed, blank lines skipped, a member written twice kept once"
        );
        assert_eq!(
            list.to_text(),
            "Deutschkurs, Sprachkurs, Integrationskurs\nElterncafé, Elterntreff\nDeutsch lernen, Deutschkurs"
        );
        assert_eq!(Synonyms::parse("").unwrap(), Synonyms::default());
    }

    #[test]
    fn broken_lines_are_each_named_and_refuse_the_whole_list() {
        let long = "x".repeat(101);
        let text = format!(
            "Deutschkurs, Sprachkurs\nKurs, , Lehrgang\nNachhilfe\nA, {long}\nB, C,\nCafé, cafe\n!!!, ?"
        );
        assert_eq!(
            problems(&text),
            [
                (2, "synonym-entry-empty"),
                (3, "synonym-group-single"),
                (4, "synonym-entry-too-long"),
                (5, "synonym-entry-empty"),
                (6, "synonym-group-single"),
                (7, "synonym-entry-empty"),
            ]
        );
        let exactly = "y".repeat(100);
        assert!(Synonyms::parse(&format!("a, {exactly}")).is_ok());
        let many: String = (0..21).map(|i| format!("w{i}, ")).collect();
        assert_eq!(
            problems(many.trim_end_matches([',', ' '])),
            [(1, "synonym-group-too-large")]
        );
        let groups: String = (0..501).map(|i| format!("a{i}, b{i}\n")).collect();
        assert_eq!(problems(&groups), [(0, "synonym-too-many-groups")]);
        let groups: String = (0..500).map(|i| format!("a{i}, b{i}\n")).collect();
        assert_eq!(Synonyms::parse(&groups).unwrap().groups().len(), 500);
    }

    fn units(vocabulary: &Vocabulary, text: &str) -> Vec<(String, Vec<String>)> {
        let words = analysis::user_words(text, 12);
        vocabulary
            .units(&mut QueryAnalyzers::new(), &words)
            .into_iter()
            .map(|u| {
                (
                    u.words.join(" "),
                    u.alternatives.iter().map(|a| a.join(" ")).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn a_query_word_in_a_group_may_be_any_other_member_once() {
        let synonyms = Synonyms::parse(
            "Deutschkurs, Sprachkurs, Deutsch lernen\nSprachkurs, Sprachcafé\nKita, Kindergarten",
        )
        .unwrap();
        let vocabulary = Vocabulary::new(&synonyms, &[]);
        assert_eq!(
            units(&vocabulary, "deutschkurse Lindenau"),
            [
                (
                    "deutschkurse".to_owned(),
                    vec!["Sprachkurs".to_owned(), "Deutsch lernen".to_owned()]
                ),
                ("Lindenau".to_owned(), vec![]),
            ],
            "matched by stem and case-blind; Sprachcafé is two steps away"
        );
        assert_eq!(
            units(&vocabulary, "Sprachkurs"),
            [(
                "Sprachkurs".to_owned(),
                vec![
                    "Deutschkurs".to_owned(),
                    "Deutsch lernen".to_owned(),
                    "Sprachcafé".to_owned()
                ]
            )],
            "a member of two groups has both groups' members"
        );
        assert_eq!(
            units(&vocabulary, "Abends Deutsch lernen"),
            [
                ("Abends".to_owned(), vec![]),
                (
                    "Deutsch lernen".to_owned(),
                    vec!["Deutschkurs".to_owned(), "Sprachkurs".to_owned()]
                ),
            ],
            "several words make one member"
        );
        assert_eq!(units(&vocabulary, "Deutsch").len(), 1);
        assert!(units(&vocabulary, "Deutsch")[0].1.is_empty());
    }

    #[test]
    fn labels_of_every_language_name_their_terms() {
        let labels = [Label {
            facet: "category".to_owned(),
            code: "language_course".to_owned(),
            labels: vec![
                "Sprachkurs".to_owned(),
                "Language course".to_owned(),
                "Dil kursu".to_owned(),
                "دورة لغة".to_owned(),
                "Языковой курс".to_owned(),
                "Мовний курс".to_owned(),
            ],
        }];
        let vocabulary = Vocabulary::new(&Synonyms::default(), &labels);
        let mut analyzers = QueryAnalyzers::new();
        let course = vec![(Facet::Category, "language_course".to_owned())];
        for word in [
            "Sprachkurse",
            "courses",
            "language",
            "kursu",
            "лингвистика-no",
            "курсы",
            "لغة",
        ] {
            let found = vocabulary.labelled(&mut analyzers, word, false, false);
            if word.ends_with("-no") {
                assert!(found.is_empty(), "{word}");
            } else {
                assert_eq!(found, course, "{word}");
            }
        }
        assert!(
            vocabulary
                .labelled(&mut analyzers, "Deutschkurs", false, false)
                .is_empty()
        );
        assert_eq!(
            vocabulary.labelled(&mut analyzers, "kurs", false, false),
            course
        );
        assert_eq!(
            vocabulary.labelled(&mut analyzers, "Deutschkurs", true, false),
            course
        );
        assert!(
            vocabulary
                .labelled(&mut analyzers, "Sprachkrus", false, false)
                .is_empty()
        );
        assert_eq!(
            vocabulary.labelled(&mut analyzers, "Sprachkrus", false, true),
            course
        );
        assert!(
            vocabulary
                .labelled(&mut analyzers, "und", false, true)
                .is_empty()
        );
        assert!(vocabulary.words.contains(&"sprachkurs".to_owned()));
    }
}
