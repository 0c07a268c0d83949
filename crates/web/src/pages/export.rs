//! `/app/export`: every record type as a download (CSV for German Excel,
//! standard CSV, XLSX, JSON); `/app/export/{entity}?format=…` is the file.

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
use msohub_service::export::{ExportEntity, ExportFormat, ListQuery};

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

async fn list_file(
    state: &AppState,
    actor: &msohub_service::Actor,
    entity: ExportEntity,
    query: ListQuery,
    raw: Option<&str>,
) -> Result<Response, WebError> {
    let format = list_format(raw)?;
    let bytes = state.services.export_list(actor, query, format).await?;
    Ok(crate::api::export::file(entity, format, bytes))
}

/// The offer list with its current filters as a file.
async fn offers(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let q = crate::pages::offers::offer_query(raw.as_deref(), 500)?;
    list_file(
        &state,
        &actor,
        ExportEntity::Offers,
        ListQuery::Offers(q),
        raw.as_deref(),
    )
    .await
}

/// The event list with its current filters as a file.
async fn events(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let (q, _, _) = crate::api::event_query(raw.as_deref())
        .map_err(|_| msohub_service::Error::field("filter", "filter-invalid"))?;
    list_file(
        &state,
        &actor,
        ExportEntity::Events,
        ListQuery::Events(q),
        raw.as_deref(),
    )
    .await
}

/// The contact list with its current filters as a file.
async fn contacts(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let q = crate::pages::interactions::interaction_query(raw.as_deref(), 500)?;
    list_file(
        &state,
        &actor,
        ExportEntity::Contacts,
        ListQuery::Contacts(q),
        raw.as_deref(),
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
) -> Result<Response, WebError> {
    let (entity, format) = crate::api::export::request(&entity, raw.as_deref())?;
    let bytes = state.services.export(&actor, entity, format).await?;
    Ok(crate::api::export::file(entity, format, bytes))
}

/// The person list with its current search as a file.
async fn persons(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let text = crate::pages::organisations::query_param(raw.as_deref(), "q").unwrap_or_default();
    list_file(
        &state,
        &actor,
        ExportEntity::Persons,
        ListQuery::Persons(text),
        raw.as_deref(),
    )
    .await
}
