//! `GET /api/v1/export/{entity}`: every live record of one type as CSV,
//! XLSX or JSON (the same records the list endpoints give, all pages).

use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::pages::organisations::query_param;
use crate::routes::Routes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use msohub_service::export::{ExportEntity, ExportFormat};

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/export/{entity}", export)
}

/// The export a request asks for: entity from the path; `format`,
/// `separator` and `bom` (`0`/`1`) from the query.
pub(crate) fn request(
    entity: &str,
    raw: Option<&str>,
) -> Result<(ExportEntity, ExportFormat), msohub_service::Error> {
    let entity: ExportEntity = entity.parse()?;
    let bom = match query_param(raw, "bom").as_deref() {
        None | Some("") => None,
        Some("1" | "true") => Some(true),
        Some("0" | "false") => Some(false),
        Some(_) => return Err(msohub_service::Error::field("bom", "bom-invalid")),
    };
    let format = ExportFormat::parse(
        query_param(raw, "format").as_deref().unwrap_or("csv"),
        query_param(raw, "separator").as_deref(),
        bom,
    )?;
    Ok((entity, format))
}

/// The file as a download named after the type and the day.
pub(crate) fn file(entity: ExportEntity, format: ExportFormat, bytes: Vec<u8>) -> Response {
    let name = format!(
        "msohub-{}-{}.{}",
        entity.as_str(),
        msohub_service::time::today(),
        format.extension()
    );
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        crate::headers::disposition("attachment", &name),
    );
    // Personal data: not for shared or browser caches.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Export every record of one type
///
/// All live (not deleted) records of the type, all pages, as CSV, XLSX or
/// JSON. Recorded in the audit log.
#[utoipa::path(get, operation_id = "exportRecords", path = "/api/v1/export/{entity}", tag = "export",
    params(("entity" = String, Path, description = "organisations, persons, offers, events, contacts, meetings"),
        ("format" = Option<String>, Query, description = "csv (German Excel: `;` and a byte order mark; the default), csv-standard (`,`, no BOM), xlsx, json"),
        ("separator" = Option<String>, Query, description = "For CSV: semicolon, comma or tab"),
        ("bom" = Option<String>, Query, description = "For CSV: 1 or 0")),
    responses((status = 200, description = "The file: one row per record (CSV, XLSX; cells a spreadsheet would run as a formula are neutralised) or an array of the records as the list endpoints give them (JSON)",
        content_type = "text/csv")))]
pub(super) async fn export(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(entity): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (entity, format) = request(&entity, raw.as_deref())?;
    let bytes = state.services.export(&actor, entity, format).await?;
    Ok(file(entity, format, bytes))
}
