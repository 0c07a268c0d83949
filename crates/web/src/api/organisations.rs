//! `/api/v1/organisations`: list (filters, full-text `q`, cursor), get,
//! create, change (PATCH with the `version` it is based on; stale → 409),
//! delete (soft).

use super::Path;
use super::Problem;
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::query::Query;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_service::organisations::{OrgPage, OrgQuery, OrgSort, Organisation, OrganisationInput};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/organisations", list)
        .post("/api/v1/organisations", create)
        .get("/api/v1/organisations/{id}", get)
        .patch("/api/v1/organisations/{id}", patch)
        .delete("/api/v1/organisations/{id}", delete)
        .post("/api/v1/organisations/{id}/merge", merge)
        .post("/api/v1/organisations/{id}/geocode", geocode)
        .get("/api/v1/organisations/{id}/logo", get_logo)
        .upload(
            "PUT",
            "/api/v1/organisations/{id}/logo",
            put_logo,
            crate::pages::organisation_logo::UPLOAD_LIMIT,
        )
        .delete("/api/v1/organisations/{id}/logo", delete_logo)
}

/// The query of the organisation list.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(super) struct ListParams {
    /// Full-text search (German, English, Turkish; typo-tolerant).
    q: Option<String>,
    /// Kinds; repeatable (`kind=mso&kind=welfare`).
    kind: Vec<String>,
    /// Topic codes (the `topic` vocabulary); repeatable.
    topic: Vec<String>,
    /// ISO 639-1 codes; repeatable.
    language: Vec<String>,
    /// Districts; repeatable.
    district: Vec<String>,
    /// Communities / countries of origin; repeatable.
    origin: Vec<String>,
    /// Only profiles not checked for 12 months.
    unchecked: bool,
    /// Only deleted records.
    deleted: bool,
    /// `name` (default), `name_desc`, `updated`, `assured`.
    sort: Option<String>,
    /// Opaque: the `next_cursor` of the previous page (another answers 422
    /// `cursor-invalid`).
    cursor: Option<String>,
    /// Page size, 1 to 500 (default 50); others are refused (422).
    #[param(minimum = 1, maximum = 500)]
    #[serde(deserialize_with = "super::contract::limit")]
    limit: Option<u32>,
}

/// List organisations
///
/// Lists organisations, filtered, searched and sorted; `facets` counts the
/// values of each filter over the whole result. A parameter of the wrong
/// type or an unknown code answers 422 naming it.
#[utoipa::path(get, operation_id = "listOrganisations", path = "/api/v1/organisations", tag = "organisations",
    params(ListParams),
    responses((status = 200, description = "One page", body = OrgPage)))]
pub(super) async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p: ListParams = super::contract::query("listOrganisations", raw.as_deref())?;
    let filled = super::contract::filled;
    let q = OrgQuery {
        text: p.q.unwrap_or_default(),
        kinds: filled(p.kind),
        topics: {
            super::contract::known_terms(&state, &actor, "topic", "topic", &p.topic).await?;
            filled(p.topic)
        },
        languages: filled(p.language),
        districts: filled(p.district),
        origins: filled(p.origin),
        unchecked: p.unchecked,
        deleted: p.deleted,
        sort: match p.sort.as_deref() {
            Some("name_desc") => OrgSort::NameDesc,
            Some("updated") => OrgSort::UpdatedDesc,
            Some("assured") => OrgSort::AssuredAsc,
            _ => OrgSort::NameAsc,
        },
        cursor: p.cursor.filter(|c| !c.is_empty()),
        limit: p.limit.map_or(50, u64::from),
    };
    let page = state.services.list_organisations(&actor, &q).await?;
    Ok(Json(serde_json::json!({
        "items": page.items,
        "next_cursor": page.next_cursor,
        "total": page.total,
        "facets": page.facets,
    }))
    .into_response())
}

/// Get an organisation
///
/// One organisation.
#[utoipa::path(get, operation_id = "getOrganisation", path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The organisation", body = Organisation)))]
pub(super) async fn get(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_organisation(&actor, id).await?).into_response())
}

/// Create an organisation
///
/// Creates an organisation. Lists may be given as arrays or as
/// comma-separated text; every field error is reported at once (422).
#[utoipa::path(post, operation_id = "createOrganisation", path = "/api/v1/organisations", tag = "organisations",
    request_body = OrganisationInput,
    responses((status = 201, description = "Created", body = Organisation)))]
pub(super) async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    super::ApiJson(input): super::ApiJson<OrganisationInput>,
) -> Result<Response, ApiError> {
    let org = state.services.create_organisation(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(org)).into_response())
}

/// Change an organisation
///
/// Changes the fields given; `version` (the one the change is based on) is
/// required, and a stale version is refused with 409 and nothing changes.
#[utoipa::path(patch, operation_id = "changeOrganisation", path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = Uuid, Path)),
    request_body(content = OrganisationInput, description = "Only the fields to change, plus `version`"),
    responses(
        (status = 200, description = "Changed", body = Organisation),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn patch(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    super::ApiJson(body): super::ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    if super::portal::representative(&actor) {
        let p = state
            .services
            .propose_change(
                &actor,
                msohub_service::portal::proposals::Entity::Organisation,
                id,
                &body,
            )
            .await?;
        return Ok(super::portal::proposed(p));
    }
    Ok(Json(state.services.patch_organisation(&actor, id, &body).await?).into_response())
}

/// Delete an organisation
///
/// Deletes (softly; staff can restore). With `version`, a stale delete is
/// refused with 409.
#[utoipa::path(delete, operation_id = "deleteOrganisation", path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = Uuid, Path), ("version" = Option<i32>, Query, description = "The version the deletion is based on")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Query(p): Query<VersionParam>,
) -> Result<Response, ApiError> {
    // With ?version=N a stale delete is refused (409); without, the current
    // version is meant.
    match p.version {
        Some(version) => {
            state
                .services
                .delete_organisation(&actor, id, version)
                .await?
        }
        None => {
            state
                .services
                .delete_organisation_current(&actor, id)
                .await?
        }
    };
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub(super) struct MergeBody {
    duplicate: Uuid,
    version: i32,
    duplicate_version: i32,
}

/// Merge a duplicate into an organisation
///
/// Merges the organisation `duplicate` into `{id}`: people, links and
/// history move to the one kept, the duplicate is deleted and points to it.
/// Both versions must be current.
#[utoipa::path(post, operation_id = "mergeOrganisations", path = "/api/v1/organisations/{id}/merge", tag = "organisations",
    params(("id" = Uuid, Path, description = "The organisation kept")),
    request_body = MergeBody,
    responses(
        (status = 200, description = "The organisation kept, after the merge", body = Organisation),
        (status = 409, description = "One of the two was changed meanwhile", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn merge(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    super::ApiJson(body): super::ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    actor.require(msohub_domain::Permission::WriteStaffArea)?;
    let b: MergeBody = serde_json::from_value(body)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    let kept = state
        .services
        .merge_organisations(&actor, id, b.version, b.duplicate, b.duplicate_version)
        .await?;
    Ok(Json(kept).into_response())
}

/// Get the logo
///
/// The image as uploaded. With `v` set to the organisation's `logo_id` the
/// answer may be cached for a year.
#[utoipa::path(get, operation_id = "getOrganisationLogo", path = "/api/v1/organisations/{id}/logo", tag = "organisations",
    params(("id" = Uuid, Path), ("v" = Option<Uuid>, Query, description = "The `logo_id` (for caching)")),
    responses((status = 200, description = "The image (PNG, JPEG, WebP or GIF)", content_type = "image/*")))]
pub(super) async fn get_logo(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Query(p): Query<LogoVersion>,
) -> Result<Response, ApiError> {
    let file = state.services.organisation_logo(&actor, id).await?;
    Ok(crate::pages::organisation_logo::image_response(file, p.v))
}

#[derive(serde::Deserialize)]
pub(super) struct LogoVersion {
    v: Option<Uuid>,
}

/// `version` of a change, given in the query.
#[derive(serde::Deserialize)]
pub(super) struct VersionParam {
    version: Option<i32>,
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct LogoParams {
    /// The version the change is based on; without it, the current one.
    version: Option<i32>,
    /// A file name to keep with the image.
    name: Option<String>,
}

/// Set the logo
///
/// The body is the image itself (PNG, JPEG, WebP or GIF, at most 1 MiB).
/// The bytes decide the type, not the `Content-Type` header; anything else
/// is refused with 422 (`file-empty`, `file-too-large`, `file-type`).
#[utoipa::path(put, operation_id = "setOrganisationLogo", path = "/api/v1/organisations/{id}/logo", tag = "organisations",
    params(("id" = Uuid, Path), LogoParams),
    request_body(content = Vec<u8>, content_type = "image/*", description = "The image"),
    responses(
        (status = 200, description = "The organisation with its new `logo_id`", body = Organisation),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Far larger than allowed", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn put_logo(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Query(p): Query<LogoParams>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    actor.require(msohub_domain::Permission::WriteStaffArea)?;
    let body = body.map_err(|e| {
        ApiError::new(
            e.status(),
            "the image is far larger than 1 MiB (file-too-large)",
        )
    })?;
    let org = state
        .services
        .set_organisation_logo(
            &actor,
            id,
            p.version,
            p.name.as_deref().unwrap_or_default(),
            body.to_vec(),
        )
        .await?;
    Ok(Json(org).into_response())
}

/// Remove the logo
#[utoipa::path(delete, operation_id = "removeOrganisationLogo", path = "/api/v1/organisations/{id}/logo", tag = "organisations",
    params(("id" = Uuid, Path), ("version" = i32, Query, description = "The version the change is based on")),
    responses(
        (status = 200, description = "The organisation without logo", body = Organisation),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn delete_logo(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Query(p): Query<VersionParam>,
) -> Result<Response, ApiError> {
    actor.require(msohub_domain::Permission::WriteStaffArea)?;
    let version = p
        .version
        .ok_or_else(|| ApiError::from(msohub_service::Error::field("version", "required")))?;
    let org = state
        .services
        .remove_organisation_logo(&actor, id, version)
        .await?;
    Ok(Json(org).into_response())
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub(super) struct VersionBody {
    /// The version the change is based on.
    version: i32,
}

/// Find coordinates from the address
///
/// Asks the geocoder of the settings for the organisation's address and
/// stores latitude and longitude. 422 with `geocoder-off`,
/// `address-missing`, `address-not-found` or `geocoder-unreachable` when
/// that fails; nothing changes then.
#[utoipa::path(post, operation_id = "geocodeOrganisation", path = "/api/v1/organisations/{id}/geocode", tag = "organisations",
    params(("id" = Uuid, Path)),
    request_body = VersionBody,
    responses(
        (status = 200, description = "The organisation with its coordinates", body = Organisation),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn geocode(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<super::ApiJson<VersionBody>, ApiError>,
) -> Result<Response, ApiError> {
    actor.require(msohub_domain::Permission::WriteStaffArea)?;
    let super::ApiJson(b) = body?;
    Ok(Json(
        state
            .services
            .geocode_organisation(&actor, id, b.version)
            .await?,
    )
    .into_response())
}
