//! `/api/v1/import/{entity}`: a CSV, XLSX or ODS file in the request body,
//! checked and (unless `dry_run=1`) imported all or nothing; the fields a
//! column can be mapped to; and the saved mappings (profiles).

use super::Path;
use crate::AppState;
use crate::api::ApiJson;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::pages::organisations::query_param;
use crate::routes::Routes;
use axum::Json;
use axum::body::Bytes;
use axum::extract::FromRequest;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_service::import::{
    ImportEntity, ImportOptions, ImportProfile, ImportReport, Mapping, OnMatch,
};
use serde::{Deserialize, Serialize};

/// Uploads up to this size are read (the service refuses more than 64 MiB
/// with a message).
pub const BODY_LIMIT: usize = 65 * 1024 * 1024;

pub fn routes(r: Routes) -> Routes {
    r.upload("POST", "/api/v1/import/{entity}", import, BODY_LIMIT)
        .get("/api/v1/import/{entity}/fields", fields)
        .get("/api/v1/import/{entity}/profiles", profiles)
        .put("/api/v1/import/{entity}/profiles/{name}", put_profile)
        .delete("/api/v1/import/{entity}/profiles/{name}", delete_profile)
}

pub(crate) fn entity(raw: &str) -> Result<ImportEntity, ApiError> {
    raw.parse()
        .map_err(|()| ApiError::from(msohub_service::Error::field("entity", "choice-unknown")))
}

/// The options a query gives: `mapping` (a JSON object field → header),
/// `profile`, `on_match` and `dry_run`.
fn options(raw: Option<&str>) -> Result<ImportOptions, ApiError> {
    let mapping = match query_param(raw, "mapping").filter(|m| !m.trim().is_empty()) {
        None => None,
        Some(json) => Some(serde_json::from_str::<Mapping>(&json).map_err(|_| {
            ApiError::from(msohub_service::Error::field("mapping", "object-required"))
        })?),
    };
    let on_match = match query_param(raw, "on_match").filter(|m| !m.is_empty()) {
        None => None,
        Some(m) => Some(OnMatch::parse(&m).ok_or_else(|| {
            ApiError::from(msohub_service::Error::field("on_match", "choice-unknown"))
        })?),
    };
    let dry_run = match query_param(raw, "dry_run") {
        None => false,
        Some(v) => crate::query::flag(&v)
            .ok_or_else(|| msohub_service::Error::field("dry_run", "choice-unknown"))?
            .unwrap_or(false),
    };
    Ok(ImportOptions {
        mapping,
        profile: query_param(raw, "profile"),
        on_match,
        dry_run,
    })
}

/// Import a file
///
/// The body is the file itself (CSV with comma, semicolon or tab, UTF-8
/// with or without BOM or Windows-1252; XLSX; ODS; at most 64 MiB). Columns
/// are mapped by `mapping`, else by the named `profile`, else guessed from
/// the headers (German or English). Every row is checked; the rows are
/// written in one transaction only when none has an error. A row matching
/// an existing record (organisations: register number, else name and
/// postcode; persons: e-mail, else name; offers: organisation and title;
/// events: title and start; needs: organisation and description) is
/// updated, skipped or created anew as
/// `on_match` says.
#[utoipa::path(post, operation_id = "importFile", path = "/api/v1/import/{entity}", tag = "import",
    params(("entity" = String, Path, description = "organisations, persons, offers, events or needs"),
        ("file_name" = Option<String>, Query, description = "The file's name; its extension must fit the content"),
        ("mapping" = Option<String>, Query, description = "JSON object: field → column header"),
        ("profile" = Option<String>, Query, description = "A saved mapping's name"),
        ("on_match" = Option<String>, Query, description = "update (default), skip or create"),
        ("dry_run" = Option<bool>, Query, description = "true (or 1): check only, write nothing")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file"),
    responses((status = 200, description = "Checked (dry run) or imported", body = ImportReport),
        (status = 422, description = "The file or a row has errors; nothing was written", body = ImportReport)))]
pub(super) async fn import(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(raw_entity): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let entity = entity(&raw_entity)?;
    let options = options(raw.as_deref())?;
    let name = query_param(raw.as_deref(), "file_name").unwrap_or_else(|| "upload".to_owned());
    let report = state
        .services
        .import(&actor, entity, &name, &body, &options, &|_| {})
        .await?;
    let status = if report.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Json(report)).into_response())
}

/// A field a column can be mapped to.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ImportField {
    key: &'static str,
    label_de: &'static str,
    label_en: &'static str,
    required: bool,
    /// Header texts recognised besides the labels.
    aliases: &'static [&'static str],
}

/// The fields of an import
#[utoipa::path(get, operation_id = "importFields", path = "/api/v1/import/{entity}/fields", tag = "import",
    params(("entity" = String, Path, description = "organisations, persons, offers, events or needs")),
    responses((status = 200, description = "The fields, required ones marked", body = Vec<ImportField>)))]
pub(super) async fn fields(
    CurrentUser(actor): CurrentUser,
    Path(raw_entity): Path<String>,
) -> Result<Json<Vec<ImportField>>, ApiError> {
    actor.require(msohub_domain::Permission::ReadStaffArea)?;
    let entity = entity(&raw_entity)?;
    Ok(Json(
        entity
            .fields()
            .iter()
            .map(|f| ImportField {
                key: f.key,
                label_de: f.label_de,
                label_en: f.label_en,
                required: f.required,
                aliases: f.aliases,
            })
            .collect(),
    ))
}

/// Saved mappings of an import
#[utoipa::path(get, operation_id = "importProfiles", path = "/api/v1/import/{entity}/profiles", tag = "import",
    params(("entity" = String, Path, description = "organisations, persons, offers, events or needs")),
    responses((status = 200, description = "The profiles by name", body = Vec<ImportProfile>)))]
pub(super) async fn profiles(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(raw_entity): Path<String>,
) -> Result<Json<Vec<ImportProfile>>, ApiError> {
    let entity = entity(&raw_entity)?;
    Ok(Json(state.services.import_profiles(&actor, entity).await?))
}

/// A profile to save.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct ProfileBody {
    /// Field → column header.
    mapping: Mapping,
    #[serde(default)]
    on_match: OnMatch,
    /// 0 to create; else the version it replaces.
    #[serde(default)]
    version: i32,
}

/// Save a mapping as a profile
///
/// Creates the profile (`version` 0) or replaces its mapping (`version`:
/// the stored one; a stale version is 409).
#[utoipa::path(put, operation_id = "putImportProfile", path = "/api/v1/import/{entity}/profiles/{name}", tag = "import",
    params(("entity" = String, Path, description = "organisations, persons, offers, events or needs"),
        ("name" = String, Path, description = "The profile's name")),
    request_body = ProfileBody,
    responses((status = 200, description = "Saved", body = ImportProfile)))]
pub(super) async fn put_profile(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((raw_entity, name)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Result<Json<ImportProfile>, ApiError> {
    // The permission first: a reader learns nothing from body errors.
    actor.require(msohub_domain::Permission::WriteStaffArea)?;
    let entity = entity(&raw_entity)?;
    let ApiJson(body) = ApiJson::<ProfileBody>::from_request(request, &state).await?;
    Ok(Json(
        state
            .services
            .save_import_profile(
                &actor,
                entity,
                &name,
                &body.mapping,
                body.on_match,
                body.version,
            )
            .await?,
    ))
}

/// Delete a profile
#[utoipa::path(delete, operation_id = "deleteImportProfile", path = "/api/v1/import/{entity}/profiles/{name}", tag = "import",
    params(("entity" = String, Path, description = "organisations, persons, offers, events or needs"),
        ("name" = String, Path, description = "The profile's name")),
    responses((status = 204, description = "Deleted")))]
pub(super) async fn delete_profile(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((raw_entity, name)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let entity = entity(&raw_entity)?;
    state
        .services
        .delete_import_profile(&actor, entity, &name)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
