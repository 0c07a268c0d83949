//! Query strings, typed: `Query<T>` reads the request's query string into a
//! struct (serde), and a parameter of the wrong type or shape answers with
//! the rule broken and the parameter's name — 422 problem+json in the API,
//! the translated error page elsewhere — never a silent default or a plain
//! text 400. Use it instead of axum's `Query` (clippy forbids that one).
//!
//! `param(raw, name)` reads one value of a raw query string, for the few
//! handlers that pass the whole string on (list filters with repeated
//! keys).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// The query string as `T`.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parse(parts.uri.query().unwrap_or(""))
            .map(Query)
            .map_err(|field| {
                if parts.uri.path().starts_with("/api/") {
                    crate::api_error::ApiError::from(msohub_service::Error::field(
                        &field,
                        "parameter-invalid",
                    ))
                    .into_response()
                } else {
                    crate::error::error_marker_with(
                        axum::http::StatusCode::BAD_REQUEST,
                        "parameter-invalid",
                    )
                }
            })
    }
}

/// Parses a query string; `Err` names the parameter at fault (or `query`
/// when serde cannot say).
pub fn parse<T: DeserializeOwned>(raw: &str) -> Result<T, String> {
    let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(raw.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        if path.is_empty() || path == "." {
            // serde names a missing field in the message only.
            e.inner()
                .to_string()
                .split('`')
                .nth(1)
                .map_or_else(|| "query".to_owned(), str::to_owned)
        } else {
            path
        }
    })
}

/// One parameter of a raw query string (the first, decoded); `None` when
/// absent.
pub fn param(raw: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct P {
        page: Option<u64>,
        name: String,
    }

    #[test]
    fn wrong_types_name_their_parameter() {
        let p: P = parse("page=2&name=x").unwrap();
        assert_eq!((p.page, p.name.as_str()), (Some(2), "x"));
        assert_eq!(parse::<P>("page=zwei&name=x").unwrap_err(), "page");
        assert_eq!(parse::<P>("page=-1&name=x").unwrap_err(), "page");
        assert_eq!(parse::<P>("page=2").unwrap_err(), "name");
        assert_eq!(param(Some("a=1&b=%C3%BC"), "b").as_deref(), Some("ü"));
    }
}
