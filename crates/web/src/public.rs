//! The public pages under `/{lang}/…`: no login, the language in the URL.
//!
//! `/` sends the visitor to the best language their browser asks for.
//! Later features add the directory (search, organisations, offers, events).

use crate::AppState;
use crate::error::WebError;
use crate::i18n::LANG_COOKIE;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Language;

pub fn routes(r: Routes) -> Routes {
    r.get("/", root)
        .get("/lang/{code}", switch_language)
        .get("/{lang}", home_without_slash)
        .get("/{lang}/", home)
        .get("/{lang}/about", about)
        .get("/{lang}/accessibility", accessibility)
        .get("/{lang}/api", crate::api::docs::page)
}

/// Parses the `{lang}` path segment; an unknown code is a 404.
fn language(code: &str) -> Result<Language, WebError> {
    code.parse().map_err(|_| WebError::NotFound)
}

async fn root(headers: HeaderMap) -> Redirect {
    let lang = crate::i18n::cookie(&headers, LANG_COOKIE)
        .and_then(|v| v.parse::<Language>().ok())
        .unwrap_or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map_or(Language::DEFAULT, Language::negotiate)
        });
    Redirect::to(&format!("/{}/", lang.code()))
}

async fn home_without_slash(Path(code): Path<String>) -> Result<Redirect, WebError> {
    let lang = language(&code)?;
    Ok(Redirect::permanent(&format!("/{}/", lang.code())))
}

#[derive(serde::Deserialize)]
struct Next {
    next: Option<String>,
}

/// Remembers a language for pages outside `/{lang}/` and goes back.
async fn switch_language(
    Path(code): Path<String>,
    Query(query): Query<Next>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    // Only local paths: an open redirect would let others abuse our domain.
    let next = crate::pages::login::safe_next(query.next.as_deref())
        .unwrap_or_else(|| format!("/{}/", lang.code()));
    let mut response = Redirect::to(&next).into_response();
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

async fn office_name(state: &AppState) -> String {
    state
        .services
        .office()
        .await
        .map(|o| o.name)
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "public/home.html")]
struct HomeTemplate {
    page: PageContext,
}

async fn home(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let page = PageContext::public(lang, "/", "home-title", office_name(&state).await);
    Ok(render(StatusCode::OK, &HomeTemplate { page }))
}

#[derive(Template)]
#[template(path = "public/about.html")]
struct AboutTemplate {
    page: PageContext,
}

async fn about(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let page = PageContext::public(lang, "/about", "about-title", office_name(&state).await);
    Ok(render(StatusCode::OK, &AboutTemplate { page }))
}

#[derive(Template)]
#[template(path = "public/accessibility.html")]
struct AccessibilityTemplate {
    page: PageContext,
}

async fn accessibility(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let page = PageContext::public(
        lang,
        "/accessibility",
        "accessibility-title",
        office_name(&state).await,
    );
    Ok(render(StatusCode::OK, &AccessibilityTemplate { page }))
}
