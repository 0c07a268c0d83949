//! Translations of UI strings (Fluent), and the language of a request.
//!
//! Strings live in `locales/{lang}/*.ftl`, compiled into the binary. A key
//! missing in a language falls back to German, the UI's first language; a
//! test checks that every language has every key, so the fallback is a safety
//! net rather than a habit.

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

/// Name of the cookie that remembers a chosen language outside `/{lang}/`.
pub const LANG_COOKIE: &str = "msohub_lang";

/// The language a request is in: the `/{lang}/` prefix of its path, else the
/// language cookie, else the browser's `Accept-Language`, else German.
pub fn request_language<B>(request: &axum::http::Request<B>) -> Language {
    language_of(request.uri(), request.headers())
}

/// [`request_language`] for extractors that only have the request's parts.
pub fn request_language_parts(parts: &axum::http::request::Parts) -> Language {
    language_of(&parts.uri, &parts.headers)
}

fn language_of(uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> Language {
    let from_path = uri
        .path()
        .split('/')
        .nth(1)
        .and_then(|seg| seg.parse::<Language>().ok());
    from_path
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(|v| v.parse().ok()))
        .unwrap_or_else(|| {
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map_or(Language::DEFAULT, Language::negotiate)
        })
}

/// The value of one cookie of a request.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether `lang` itself (not the fallback) has a string for `key`.
#[cfg(test)]
fn has_own(lang: Language, key: &str) -> bool {
    let path = format!(
        "{}/locales/{}/main.ftl",
        env!("CARGO_MANIFEST_DIR"),
        lang.code()
    );
    std::fs::read_to_string(path)
        .map(|s| {
            s.lines()
                .any(|l| l.split_once(" =").is_some_and(|(k, _)| k.trim() == key))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(lang: Language) -> Vec<String> {
        let path = format!(
            "{}/locales/{}/main.ftl",
            env!("CARGO_MANIFEST_DIR"),
            lang.code()
        );
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with([' ', '#', '\t']) && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap().trim().to_owned())
            .collect()
    }

    #[test]
    fn every_language_has_every_key() {
        let german = keys(Language::De);
        assert!(german.len() > 10);
        for lang in Language::ALL {
            for key in &german {
                assert!(has_own(*lang, key), "{lang} lacks {key}");
            }
            for key in keys(*lang) {
                assert!(german.contains(&key), "{lang} has {key}, German does not");
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
    }
}
