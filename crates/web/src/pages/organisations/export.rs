//! The current list (all pages, current filters) as a download: CSV for
//! German Excel and an XLSX workbook, for people (headers and labels in
//! words, Berlin time, ja/nein) unless `style=machine` asks for the
//! re-import format.

use super::query_from;
use crate::auth::CurrentUser;
use crate::{AppState, WebError};
use axum::extract::{RawQuery, State};
use axum::http::request::Parts;
use axum::response::Response;
use msohub_service::export::ListQuery;

async fn list_export(
    state: &AppState,
    actor: &msohub_service::Actor,
    raw: Option<&str>,
    format: &str,
    parts: &Parts,
) -> Result<Response, WebError> {
    let (q, _, _) = query_from(raw, msohub_service::organisations::MAX_PAGE);
    // The file's kind is in the path; a `format` in the query is ignored.
    let kept: Vec<String> = crate::pages::organisations::pairs(raw)
        .into_iter()
        .filter(|(k, _)| k == "style")
        .map(|(k, v)| format!("{k}={}", crate::page::encode_query(&v)))
        .chain([format!("format={format}")])
        .collect();
    let raw = kept.join("&");
    crate::pages::export::list_file(state, actor, ListQuery::Organisations(q), Some(&raw), parts)
        .await
}

/// The current list as CSV for German Excel.
pub(super) async fn export_csv(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
    parts: Parts,
) -> Result<Response, WebError> {
    list_export(&state, &actor, raw.as_deref(), "csv", &parts).await
}

/// The current list as an Excel workbook (typed cells, date cells, frozen
/// header, autofilter).
pub(super) async fn export_xlsx(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
    parts: Parts,
) -> Result<Response, WebError> {
    list_export(&state, &actor, raw.as_deref(), "xlsx", &parts).await
}
