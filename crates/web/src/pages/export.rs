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
use msohub_service::export::ExportEntity;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/export", page)
        .get("/app/export/{entity}", download)
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
