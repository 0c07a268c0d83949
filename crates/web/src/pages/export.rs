//! `/app/export`: every record type as a download, for people (XLSX and
//! CSV for German Excel with headers and labels in words, the default) and
//! for re-import or other software (`style=machine`: XLSX, CSV, standard
//! CSV, JSON); `/app/export/{entity}?format=…&style=…` is the file. The
//! lists' export links (`/app/offers/export?…`) take the same `style`.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use msohub_domain::Permission;
use msohub_service::export::{ExportEntity, ExportFormat, ExportSource, ExportStyle, ListQuery};

pub fn routes(r: Routes) -> Routes {
    r.get("/app/export", page)
        .get("/app/export/{entity}", download)
        .get("/app/offers/export", offers)
        .get("/app/events/export", events)
        .get("/app/interactions/export", contacts)
        .get("/app/persons/export", persons)
}

/// A list's query for its export links: the filters, without paging,
/// format or notices.
pub fn export_query(raw: Option<&str>) -> String {
    crate::pages::organisations::pairs(raw)
        .into_iter()
        .filter(|(k, v)| {
            !v.is_empty() && !matches!(k.as_str(), "cursor" | "limit" | "format" | "done")
        })
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::page::encode_query(&k),
                crate::page::encode_query(&v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The format a list export asks for (`format=csv|csv-standard|xlsx|json`).
fn list_format(raw: Option<&str>) -> Result<ExportFormat, msohub_service::Error> {
    ExportFormat::parse(
        crate::pages::organisations::query_param(raw, "format")
            .as_deref()
            .unwrap_or("csv"),
        None,
        None,
    )
}

/// A list's file: for people unless `style=machine`, in the staff area's
/// language.
pub(crate) async fn list_file(
    state: &AppState,
    actor: &msohub_service::Actor,
    query: ListQuery,
    raw: Option<&str>,
    parts: &Parts,
) -> Result<Response, WebError> {
    let format = list_format(raw)?;
    let style = crate::api::export::style_of(raw, ExportStyle::People)?;
    Ok(crate::api::export::export_file(
        state,
        actor,
        ExportSource::List(query),
        format,
        style,
        crate::i18n::request_language_parts(parts),
    )
    .await?)
}

/// The offer list with its current filters as a file.
async fn offers(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
    parts: Parts,
) -> Result<Response, WebError> {
    let q = crate::pages::offers::offer_query(raw.as_deref(), 500)?;
    list_file(&state, &actor, ListQuery::Offers(q), raw.as_deref(), &parts).await
}

/// The event list with its current filters as a file.
async fn events(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
    parts: Parts,
) -> Result<Response, WebError> {
    let (q, _, _) = crate::api::event_query(raw.as_deref())
        .map_err(|_| msohub_service::Error::field("filter", "filter-invalid"))?;
    list_file(&state, &actor, ListQuery::Events(q), raw.as_deref(), &parts).await
}

/// The contact list with its current filters as a file.
async fn contacts(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
    parts: Parts,
) -> Result<Response, WebError> {
    let q = crate::pages::interactions::interaction_query(raw.as_deref(), 500)?;
    list_file(
        &state,
        &actor,
        ListQuery::Contacts(q),
        raw.as_deref(),
        &parts,
    )
    .await
}

#[derive(Template)]
#[template(path = "staff/export.html")]
struct ExportTemplate {
    page: PageContext,
    entities: Vec<&'static str>,
}

async fn page(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    actor.require(Permission::ReadStaffArea)?;
    let page = super::staff_page(&state, &parts, &actor, "export-title").await;
    Ok(render(
        StatusCode::OK,
        &ExportTemplate {
            page,
            entities: ExportEntity::ALL.map(ExportEntity::as_str).to_vec(),
        },
    ))
}

async fn download(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(entity): Path<String>,
    RawQuery(raw): RawQuery,
    parts: Parts,
) -> Result<Response, WebError> {
    let (entity, format) = crate::api::export::request(&entity, raw.as_deref())?;
    let style = crate::api::export::style_of(raw.as_deref(), ExportStyle::People)?;
    Ok(crate::api::export::export_file(
        &state,
        &actor,
        ExportSource::All(entity),
        format,
        style,
        crate::i18n::request_language_parts(&parts),
    )
    .await?)
}

/// The person list with its current search as a file.
async fn persons(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
    parts: Parts,
) -> Result<Response, WebError> {
    let text = crate::pages::organisations::query_param(raw.as_deref(), "q").unwrap_or_default();
    list_file(
        &state,
        &actor,
        ListQuery::Persons(text),
        raw.as_deref(),
        &parts,
    )
    .await
}
