//! The public pages under `/{lang}/…`: no login, the language in the URL.
//!
//! `/` sends the visitor to the best language their browser asks for.
//! Later features add the directory (search, organisations, offers, events).

use crate::AppState;
use crate::error::WebError;
use crate::i18n::LANG_COOKIE;
use crate::page::{PageContext, render};
use crate::query::Query;
use crate::routes::Routes;
use askama::Template;
use axum::extract::{Path, State};
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
        .get("/{lang}/events/{id}", event_page)
        .get("/{lang}/offers/{id}", offer_page)
        .get("/sitemap.xml", sitemap)
}

/// Parses the `{lang}` path segment; an unknown code is a 404.
pub(crate) fn language(code: &str) -> Result<Language, WebError> {
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

pub(crate) async fn office_name(state: &AppState) -> String {
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
    events: Vec<msohub_service::events::PublicEvent>,
    /// Offer categories (code, label) that are in use, for quick links.
    categories: Vec<(String, String)>,
}

async fn home(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let page = PageContext::public(lang, "/", "home-title", office_name(&state).await);
    let events = state
        .services
        .public_upcoming_events(lang.code(), 8)
        .await?;
    let labels = crate::directory::Labels::load(&state, lang).await?;
    let categories = state
        .services
        .search_directory(
            &msohub_service::directory::DirectoryQuery {
                entities: vec!["offer".to_owned()],
                ..Default::default()
            },
            lang.code(),
        )
        .await?
        .facets
        .remove("category")
        .unwrap_or_default()
        .into_iter()
        .map(|(code, _)| {
            let label = labels.term("offer_category", &code);
            (code, label)
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &HomeTemplate {
            page,
            events,
            categories,
        },
    ))
}

#[derive(Template)]
#[template(path = "public/event.html")]
struct EventTemplate {
    page: PageContext,
    event: msohub_service::events::PublicEvent,
    description_html: String,
    json_ld: String,
}

/// A public event: when, where, who, how to register; schema.org Event as
/// JSON-LD for search engines.
async fn event_page(
    State(state): State<AppState>,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let id = id.parse::<uuid::Uuid>().map_err(|_| WebError::NotFound)?;
    let event = state
        .services
        .public_event_by_id(id, lang.code())
        .await?
        .ok_or(WebError::NotFound)?;
    let mut page = PageContext::public(
        lang,
        &format!("/events/{id}"),
        "event-public-title",
        office_name(&state).await,
    );
    page.title = event.title.clone();
    Ok(render(
        StatusCode::OK,
        &EventTemplate {
            description_html: msohub_docs::markdown_to_html(&event.description),
            json_ld: event_json_ld(&event, &state.config.public_url, lang),
            page,
            event,
        },
    ))
}

#[derive(Template)]
#[template(path = "public/offer.html")]
struct OfferTemplate {
    page: PageContext,
    offer: msohub_service::offers::PublicOffer,
    category: String,
    description_html: String,
    json_ld: String,
}

/// A public offer: who offers it, when, where, in which languages, what it
/// costs; schema.org `Service` as JSON-LD. The contact person is not shown.
async fn offer_page(
    State(state): State<AppState>,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let id = id.parse::<uuid::Uuid>().map_err(|_| WebError::NotFound)?;
    let offer = state
        .services
        .public_offer_by_id(id, lang.code())
        .await?
        .ok_or(WebError::NotFound)?;
    let mut page = PageContext::public(
        lang,
        &format!("/offers/{id}"),
        "offer-public-title",
        office_name(&state).await,
    );
    page.title = offer.title.clone();
    let category = crate::directory::Labels::load(&state, lang)
        .await?
        .term("offer_category", &offer.category);
    let mut ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": format!("{}/{}/offers/{}", state.config.public_url, lang.code(), offer.id),
        "name": offer.title,
        "description": offer.description,
        "serviceType": category,
        "provider": {"@type": "Organization", "name": offer.organisation.name},
        "availableLanguage": offer.languages,
    });
    if let Some(a) = &offer.address {
        ld["areaServed"] = serde_json::json!({"@type": "Place", "address": a});
    }
    if offer.cost_kind == "free" {
        ld["offers"] = serde_json::json!({"@type": "Offer", "price": "0", "priceCurrency": "EUR"});
    } else if !offer.cost_text.is_empty() {
        ld["offers"] = serde_json::json!({"@type": "Offer", "description": offer.cost_text});
    }
    Ok(render(
        StatusCode::OK,
        &OfferTemplate {
            description_html: msohub_docs::markdown_to_html(&offer.description),
            json_ld: ld.to_string().replace('<', "\\u003c"),
            category,
            page,
            offer,
        },
    ))
}

/// schema.org `Event`, safe inside a `<script>` element.
fn event_json_ld(e: &msohub_service::events::PublicEvent, base: &str, lang: Language) -> String {
    let location = match e.mode.as_str() {
        "digital" => serde_json::json!({"@type": "VirtualLocation", "url": e.online_link}),
        "hybrid" => serde_json::json!([
            {"@type": "Place", "name": e.place, "address": e.place},
            {"@type": "VirtualLocation", "url": e.online_link}
        ]),
        _ => serde_json::json!({"@type": "Place", "name": e.place, "address": e.place}),
    };
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": format!("{base}/{}/events/{}", lang.code(), e.id),
        "name": e.title,
        "description": e.description,
        "startDate": e.starts_at.to_rfc3339(),
        "eventStatus": if e.cancelled { "https://schema.org/EventCancelled" } else { "https://schema.org/EventScheduled" },
        "eventAttendanceMode": match e.mode.as_str() {
            "digital" => "https://schema.org/OnlineEventAttendanceMode",
            "hybrid" => "https://schema.org/MixedEventAttendanceMode",
            _ => "https://schema.org/OfflineEventAttendanceMode",
        },
        "location": location,
        "organizer": e.organisers.iter().map(|o| serde_json::json!({"@type": "Organization", "name": o.name})).collect::<Vec<_>>(),
        "inLanguage": e.languages,
    });
    if let Some(end) = e.ends_at {
        v["endDate"] = serde_json::json!(end.to_rfc3339());
    }
    if !e.registration_link.is_empty() {
        v["offers"] = serde_json::json!({"@type": "Offer", "url": e.registration_link});
    }
    // "</script>" cannot end the element early.
    v.to_string().replace('<', "\\u003c")
}

/// The public pages for search engines: home, about, accessibility, the
/// API docs and every public event, in each language.
/// The sitemap names only the configured public URL, never the request's
/// `Host` (which anyone can set, and which the public cache would keep).
async fn sitemap(State(state): State<AppState>) -> Result<Response, WebError> {
    let base = state.config.public_url.clone();
    if base.is_empty() {
        // Relative addresses make no sitemap.
        return Err(WebError::NotFound);
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |path: &str, lastmod: Option<chrono::DateTime<chrono::Utc>>| {
        for lang in Language::ALL {
            xml.push_str(&format!(
                "<url><loc>{}</loc>{}</url>\n",
                msohub_exchange::document::xml_escape(&format!("{base}/{}{path}", lang.code())),
                lastmod
                    .map(|t| format!("<lastmod>{}</lastmod>", t.format("%Y-%m-%d")))
                    .unwrap_or_default()
            ));
        }
    };
    for path in [
        "/",
        "/search",
        "/events",
        "/about",
        "/accessibility",
        "/api",
    ] {
        url(path, None);
    }
    for (id, changed) in state.services.public_organisation_ids().await? {
        url(&format!("/organisations/{id}"), Some(changed));
    }
    for (id, changed) in state.services.public_event_ids().await? {
        url(&format!("/events/{id}"), Some(changed));
    }
    for (id, changed) in state.services.public_offer_ids().await? {
        url(&format!("/offers/{id}"), Some(changed));
    }
    xml.push_str("</urlset>\n");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/xml; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
        ],
        xml,
    )
        .into_response())
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
