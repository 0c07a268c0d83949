//! `GET /api/v1/export/{entity}`: every live record of one type as CSV,
//! XLSX or JSON (the same records the list endpoints give, all pages): for
//! machines (the default: field names, codes, ISO 8601, the re-import
//! format) or, with `style=people`, for people (headers in words, labels,
//! Berlin time, ja/nein; `lang=en` for English).

use super::Path;
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::pages::organisations::query_param;
use crate::routes::Routes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use msohub_domain::Language;
use msohub_service::export::{ExportEntity, ExportFormat, ExportSource, ExportStyle};

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
    Ok((entity, format_of(raw)?))
}

/// The file format a query asks for: `format` (default `csv`),
/// `separator`, `bom`.
pub(crate) fn format_of(raw: Option<&str>) -> Result<ExportFormat, msohub_service::Error> {
    let bom = match query_param(raw, "bom") {
        None => None,
        Some(v) => crate::query::flag(&v)
            .ok_or_else(|| msohub_service::Error::field("bom", "bom-invalid"))?,
    };
    ExportFormat::parse(
        query_param(raw, "format").as_deref().unwrap_or("csv"),
        query_param(raw, "separator").as_deref(),
        bom,
    )
}

/// The style a query asks for (`style=people|machine`), else `default`.
pub(crate) fn style_of(
    raw: Option<&str>,
    default: ExportStyle,
) -> Result<ExportStyle, msohub_service::Error> {
    ExportStyle::parse(query_param(raw, "style").as_deref(), default)
}

/// Loads, renders and records an export; the file as a download.
pub(crate) async fn export_file(
    state: &AppState,
    actor: &msohub_service::Actor,
    source: ExportSource,
    format: ExportFormat,
    style: ExportStyle,
    lang: Language,
) -> Result<Response, msohub_service::Error> {
    let data = state.services.export_data(actor, source).await?;
    let bytes = match style {
        ExportStyle::Machine => msohub_service::export::render(data.entity, format, &data.records)?,
        ExportStyle::People => msohub_docs::export::people_file(&data, format, lang)?,
    };
    state.services.exported(actor, &data, format, style).await?;
    Ok(file(data.entity, format, bytes))
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
///
/// Two styles. `machine` (the default) is the re-import format: the field
/// names as headers (`id` first), codes (`mso`, `ev`, `tr`), ISO 8601 times
/// in UTC, `true`/`false`, lists joined by ", ", linked records by name.
/// `people` is for reading in a spreadsheet: headers in German (`lang=en`:
/// English), name or title first and ids last, labels instead of codes
/// ("Migrantenselbstorganisation", "Arabisch, Deutsch", term labels), days
/// and times in Berlin time (`03.05.2026 18:30`; in XLSX date cells),
/// ja/nein. The import reads both. JSON is always the records as they are.
#[utoipa::path(get, operation_id = "exportRecords", path = "/api/v1/export/{entity}", tag = "export",
    params(("entity" = String, Path, description = "organisations, persons, offers, events, contacts, meetings, needs"),
        ("format" = Option<String>, Query, description = "csv (German Excel: `;` and a byte order mark; the default), csv-standard (`,`, no BOM), xlsx, json"),
        ("style" = Option<String>, Query, description = "machine (the default: field names, codes, ISO 8601; what the import and other software read) or people (headers and labels in words, Berlin time, ja/nein)"),
        ("lang" = Option<String>, Query, description = "For style=people: de (the default) or en"),
        ("separator" = Option<String>, Query, description = "For CSV: semicolon, comma or tab"),
        ("bom" = Option<bool>, Query, description = "For CSV: with a byte order mark (true or 1) or without (false or 0)")),
    responses((status = 200, description = "The file: one row per record (CSV, XLSX; cells a spreadsheet would run as a formula are neutralised) or an array of the records as the list endpoints give them (JSON)",
        content_type = "text/csv")))]
pub(super) async fn export(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(entity): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (entity, format) = request(&entity, raw.as_deref())?;
    let style = style_of(raw.as_deref(), ExportStyle::Machine)?;
    let lang = match query_param(raw.as_deref(), "lang").as_deref() {
        None | Some("" | "de") => Language::De,
        Some("en") => Language::En,
        Some(_) => return Err(msohub_service::Error::field("lang", "lang-unknown").into()),
    };
    if style == ExportStyle::Machine {
        let bytes = state.services.export(&actor, entity, format).await?;
        return Ok(file(entity, format, bytes));
    }
    Ok(export_file(
        &state,
        &actor,
        ExportSource::All(entity),
        format,
        style,
        lang,
    )
    .await?)
}
