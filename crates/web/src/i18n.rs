//! The language of a request, and the translator re-exported from
//! `msohub-i18n` (where the strings live).

use msohub_domain::Language;
pub use msohub_i18n::Tr;

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
    // Outside `/{lang}/` (staff area, API, error pages) only the staff
    // languages apply: a visitor who reads the directory in Turkish gets the
    // staff area in German.
    from_path.unwrap_or_else(|| {
        cookie(headers, LANG_COOKIE)
            .and_then(|v| v.parse::<Language>().ok())
            .map(Language::staff)
            .unwrap_or_else(|| {
                headers
                    .get(axum::http::header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .map_or(Language::DEFAULT, |h| {
                        Language::negotiate_among(h, Language::STAFF)
                    })
            })
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

/// A language's name in the staff area's language ("Arabisch" / "Arabic"),
/// the code itself for a language outside the list.
pub fn language_name(tr: Tr, code: &str) -> String {
    msohub_domain::offers::language_name(code, tr.lang == Language::En)
        .map_or_else(|| code.to_owned(), str::to_owned)
}

/// Languages by their names, in the order given: "Arabisch, Deutsch".
pub fn language_names(tr: Tr, codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| language_name(tr, c))
        .collect::<Vec<_>>()
        .join(", ")
}
