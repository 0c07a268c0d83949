//! The words of msohub: translations of UI and document strings (Fluent),
//! in the six languages of the directory and the portal.
//!
//! Strings live in `locales/{lang}/*.ftl`, compiled into the binary (every
//! file of a language's folder: `main`, `public`, `portal`, `terms`,
//! `search`). A key missing in a language falls back to German, the UI's
//! first language; a test checks that every language has every key, so the
//! fallback is a safety net rather than a habit. The web pages, the documents (`msohub-docs`) and
//! the command line read them through [`Tr`].

use msohub_domain::Language;
use std::borrow::Cow;
use std::collections::HashMap;
use unic_langid::LanguageIdentifier;

use fluent_templates::{Loader, fluent_bundle::FluentValue};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "de",
        // Unicode isolation marks around arguments confuse screen readers and
        // copy-paste in our LTR-only German/English strings; RTL languages
        // get explicit `dir` attributes in the markup instead.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

fn langid(lang: Language) -> LanguageIdentifier {
    match lang {
        Language::De => unic_langid::langid!("de"),
        Language::En => unic_langid::langid!("en"),
        Language::Tr => unic_langid::langid!("tr"),
        Language::Ar => unic_langid::langid!("ar"),
        Language::Ru => unic_langid::langid!("ru"),
        Language::Uk => unic_langid::langid!("uk"),
    }
}

/// Translator for one language; templates call `tr.t("key")`.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Language,
}

impl Tr {
    pub fn new(lang: Language) -> Tr {
        Tr { lang }
    }

    /// The string for `key`; the key itself if no language has it (visible,
    /// so a missing string is noticed rather than hidden).
    pub fn t(&self, key: &str) -> String {
        LOCALES
            .try_lookup(&langid(self.lang), key)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The string for `key` in this language itself or German; `None`
    /// where neither has it (for optional strings such as translated
    /// taxonomy labels).
    pub fn own(&self, key: &str) -> Option<String> {
        LOCALES.try_lookup(&langid(self.lang), key)
    }

    /// The string for `key` with one named argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        let text = value.to_string();
        // Numbers go in as numbers, so plural rules ([one], [other]) apply.
        let value = match text.parse::<f64>() {
            Ok(n) if !text.is_empty() => FluentValue::from(n),
            _ => FluentValue::from(text),
        };
        args.insert(Cow::Borrowed(name), value);
        LOCALES
            .try_lookup_with_args(&langid(self.lang), key, &args)
            .unwrap_or_else(|| key.to_owned())
    }
}

impl Tr {
    /// The string for `key` with several named text arguments.
    pub fn tn(&self, key: &str, args: &[(&'static str, &str)]) -> String {
        let mut map: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        for (name, value) in args {
            map.insert(Cow::Borrowed(*name), FluentValue::from((*value).to_owned()));
        }
        LOCALES
            .try_lookup_with_args(&langid(self.lang), key, &map)
            .unwrap_or_else(|| key.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of one file of one language.
    fn keys(lang: Language, file: &str) -> Vec<String> {
        let path = format!(
            "{}/locales/{}/{file}.ftl",
            env!("CARGO_MANIFEST_DIR"),
            lang.code()
        );
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .lines()
            .filter(|l| !l.starts_with([' ', '#', '\t']) && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap().trim().to_owned())
            .collect()
    }

    /// The keys of `search.ftl` only the staff area uses (the settings
    /// page): German and English have them, the other languages not.
    fn staff_only(key: &str) -> bool {
        ["settings-", "field-", "hint-", "rule-"]
            .iter()
            .any(|prefix| key.starts_with(prefix))
    }

    /// Each file has exactly German's keys in the languages it is for:
    /// `public.ftl` in every language, `main.ftl` in the staff languages,
    /// `search.ftl` in every language with its staff keys in the staff
    /// languages.
    #[test]
    fn every_language_has_every_key() {
        for (file, languages) in [
            ("public", Language::ALL),
            ("portal", Language::ALL),
            ("main", Language::STAFF),
            ("search", Language::ALL),
        ] {
            let german = keys(Language::De, file);
            assert!(german.len() > 3);
            for lang in languages {
                let own = keys(*lang, file);
                let staff = Language::STAFF.contains(lang);
                for key in &german {
                    if file == "search" && !staff && staff_only(key) {
                        assert!(!own.contains(key), "{lang}/{file}.ftl has staff key {key}");
                        continue;
                    }
                    assert!(own.contains(key), "{lang}/{file}.ftl lacks {key}");
                }
                for key in &own {
                    assert!(
                        german.contains(key),
                        "{lang}/{file}.ftl has {key}, German does not"
                    );
                }
                let mut sorted = own.clone();
                sorted.sort();
                sorted.dedup();
                assert_eq!(sorted.len(), own.len(), "{lang}/{file}.ftl repeats a key");
            }
        }
        // A key lives in one file only, or one would silently win.
        let files = ["public", "portal", "main", "search"];
        for (i, a) in files.iter().enumerate() {
            for b in &files[i + 1..] {
                let theirs = keys(Language::De, b);
                for key in keys(Language::De, a) {
                    assert!(!theirs.contains(&key), "{key} is in {a}.ftl and {b}.ftl");
                }
            }
        }
    }

    /// Every key in the files is in the compiled strings (a stale build
    /// shows keys instead of text; see build.rs).
    #[test]
    fn the_compiled_strings_are_the_files() {
        for file in ["public", "portal", "main", "terms", "search"] {
            for lang in Language::ALL {
                let path = format!(
                    "{}/locales/{}/{file}.ftl",
                    env!("CARGO_MANIFEST_DIR"),
                    lang.code()
                );
                if !std::path::Path::new(&path).exists() {
                    continue;
                }
                let tr = Tr::new(*lang);
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for key in keys(*lang, file) {
                    // Messages with arguments do not format without them.
                    let takes_arguments = text
                        .lines()
                        .find(|l| l.starts_with(&format!("{key} =")))
                        .is_some_and(|l| l.contains('$'));
                    assert!(
                        takes_arguments || tr.own(&key).is_some(),
                        "{lang}/{file}.ftl: {key} is not compiled in"
                    );
                }
            }
        }
    }

    #[test]
    fn looks_up_with_and_without_arguments() {
        let de = Tr::new(Language::De);
        let en = Tr::new(Language::En);
        assert_eq!(de.t("nav-home"), "Startseite");
        assert_eq!(en.t("nav-home"), "Home");
        assert!(en.t1("error-404-text", "path", "/x").contains("/x"));
        assert_eq!(de.t("no-such-key"), "no-such-key");
        // Every directory language has its own strings, plural rules and
        // the translated built-in taxonomy terms.
        for lang in [Language::Tr, Language::Ar, Language::Ru, Language::Uk] {
            let tr = Tr::new(lang);
            assert_ne!(tr.t("nav-search"), de.t("nav-search"), "{lang}");
            assert!(tr.t1("search-results", "count", 5).contains('5') || lang == Language::Ar);
            assert!(
                tr.own("term-offer_category-language_course").is_some(),
                "{lang}"
            );
            // A staff string falls back to German.
            assert_eq!(tr.t("nav-dashboard"), de.t("nav-dashboard"));
        }
        assert_eq!(de.own("term-offer_category-language_course"), None);
    }
}
