//! What the search knows of words besides the records: the office's
//! synonym list (an instance setting, edited on the settings page and
//! through the API) and the labels of the taxonomy terms in the six
//! directory languages (the office's labels, the translations shipped for
//! the built-in terms). Both are applied when a query is built, so a change
//! needs no reindexing; every node picks them up from the change feed.

use crate::{Error, FieldError, Services};
use msohub_domain::Language;
use msohub_i18n::Tr;
use msohub_search::{Label, SearchIndex, Synonyms};
use serde::{Deserialize, Serialize};

pub(crate) const SYNONYMS_KEY: &str = "search_synonyms";

/// The list an office starts with, until an admin saves one of their own.
pub const DEFAULT_SYNONYMS: &str = "\
Deutschkurs, Sprachkurs, Integrationskurs, Deutsch lernen, German course
Nachhilfe, Hausaufgabenhilfe, Lernhilfe, Lernförderung
Elterncafé, Elterntreff, Elternfrühstück
Frauengruppe, Frauentreff, Frauenkreis, Frauenfrühstück
Jugendtreff, Jugendclub, Jugendzentrum, Jugendgruppe
Kita, Kindergarten, Kindertagesstätte
Beratung, Sprechstunde";

/// The setting as stored: the list's text, normalised.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct StoredSynonyms {
    text: String,
}

/// The vocabularies whose labels the search knows, and their facets.
const LABELLED: &[(&str, &str)] = &[
    ("offer_category", "category"),
    ("target_group", "target_group"),
    ("topic", "topic"),
];

/// Checks a synonym list; returns it normalised (one group a line,
/// members separated by ", "), or adds a field error per broken line,
/// its rule as `<rule>@<line>`.
pub(crate) fn check_synonyms(text: &str, errors: &mut Vec<FieldError>) -> Option<Synonyms> {
    match Synonyms::parse(text) {
        Ok(synonyms) => Some(synonyms),
        Err(problems) => {
            errors.extend(problems.into_iter().map(|p| {
                let rule = match p.line {
                    0 => p.problem.rule().to_owned(),
                    line => format!("{}@{line}", p.problem.rule()),
                };
                FieldError::new("search_synonyms", &rule)
            }));
            None
        }
    }
}

impl Services {
    /// The synonym list as stored, or the starter list when none was saved.
    pub(crate) async fn synonyms_text(&self) -> Result<String, Error> {
        Ok(self
            .store
            .get_setting(SYNONYMS_KEY)
            .await?
            .and_then(|v| serde_json::from_value::<StoredSynonyms>(v).ok())
            .map_or_else(|| DEFAULT_SYNONYMS.to_owned(), |s| s.text))
    }

    pub(crate) async fn put_synonyms(
        &self,
        tx: &msohub_store::Tx,
        synonyms: &Synonyms,
    ) -> Result<(), Error> {
        let value = serde_json::json!(StoredSynonyms {
            text: synonyms.to_text()
        });
        msohub_store::settings::put(tx, SYNONYMS_KEY, &value).await?;
        Ok(())
    }

    /// The labels of every term the search knows, in all six languages
    /// (the office's where it entered them, and the shipped translation).
    /// Not the names of languages: "Arabisch" would then find everything
    /// held in Arabic, which the language facet is for.
    async fn search_labels(&self) -> Result<Vec<Label>, Error> {
        let mut labels = Vec::new();
        for (vocabulary, facet) in LABELLED {
            for term in self.terms(vocabulary).await? {
                let mut texts = vec![term.label_de.clone(), term.label_en.clone()];
                for lang in [Language::Tr, Language::Ar, Language::Ru, Language::Uk] {
                    let shipped = Tr::new(lang).own(&format!("term-{vocabulary}-{}", term.code));
                    let stored = term.stored_label(lang).map(str::to_owned);
                    for text in stored.into_iter().chain(shipped) {
                        if !texts.contains(&text) {
                            texts.push(text);
                        }
                    }
                }
                labels.push(Label {
                    facet: (*facet).to_owned(),
                    code: term.code,
                    labels: texts,
                });
            }
        }
        Ok(labels)
    }

    /// Hands the current synonyms and labels to the given indexes.
    pub(crate) async fn apply_search_words(&self, indexes: &[&SearchIndex]) -> Result<(), Error> {
        let synonyms = Synonyms::parse(&self.synonyms_text().await?).unwrap_or_else(|bad| {
            tracing::warn!(problems = ?bad, "the stored synonym list is not valid; none used");
            Synonyms::default()
        });
        let labels = self.search_labels().await?;
        for index in indexes {
            index.set_synonyms(synonyms.clone());
            index.set_labels(labels.clone());
        }
        Ok(())
    }

    /// After a change of the synonyms or a term: both indexes use the
    /// current ones from the next search on.
    pub(crate) async fn refresh_search_words(&self) -> Result<(), Error> {
        let Some(search) = &self.search else {
            return Ok(());
        };
        self.apply_search_words(&[&search.index, &search.public])
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_list_is_valid() {
        let list = Synonyms::parse(DEFAULT_SYNONYMS).unwrap();
        assert_eq!(list.to_text(), DEFAULT_SYNONYMS);
    }

    #[test]
    fn broken_lines_become_field_errors_with_their_line() {
        let mut errors = Vec::new();
        assert!(check_synonyms("a, b\n\nc\nd, , e", &mut errors).is_none());
        let rules: Vec<&str> = errors.iter().map(|e| e.rule.as_str()).collect();
        assert_eq!(rules, ["synonym-group-single@3", "synonym-entry-empty@4"]);
        assert!(errors.iter().all(|e| e.field == "search_synonyms"));
    }
}
