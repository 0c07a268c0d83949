//! `/api/v1/organisations`: list (filters, full-text `q`, cursor), get,
//! create, change (PATCH with the `version` it is based on; stale → 409),
//! delete (soft).

use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_service::organisations::OrganisationInput;
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/organisations", list)
        .post("/api/v1/organisations", create)
        .get("/api/v1/organisations/{id}", get)
        .patch("/api/v1/organisations/{id}", patch)
        .delete("/api/v1/organisations/{id}", delete)
        .post("/api/v1/organisations/{id}/merge", merge)
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let limit = crate::pages::organisations::query_param(raw.as_deref(), "limit")
        .map(|l| {
            l.parse::<u64>()
                .map_err(|_| ApiError::bad_request("limit must be a positive number"))
        })
        .transpose()?
        .unwrap_or(50);
    let (q, _, _) = crate::pages::organisations::query_from(raw.as_deref(), limit);
    let page = state.services.list_organisations(&actor, &q).await?;
    Ok(Json(serde_json::json!({
        "items": page.items,
        "next_cursor": page.next_cursor,
        "total": page.total,
        "facets": page.facets,
    }))
    .into_response())
}

async fn get(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_organisation(&actor, id).await?).into_response())
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    super::ApiJson(input): super::ApiJson<OrganisationInput>,
) -> Result<Response, ApiError> {
    let org = state.services.create_organisation(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(org)).into_response())
}

async fn patch(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    super::ApiJson(body): super::ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.patch_organisation(&actor, id, &body).await?).into_response())
}

async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    // With ?version=N a stale delete is refused (409); without, the current
    // version is meant.
    match crate::pages::organisations::query_param(raw.as_deref(), "version") {
        Some(v) => {
            let version = v
                .parse()
                .map_err(|_| ApiError::bad_request("version must be a number"))?;
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

#[derive(serde::Deserialize)]
struct MergeBody {
    duplicate: Uuid,
    version: i32,
    duplicate_version: i32,
}

/// Merges `duplicate` into `{id}`; both versions must be current.
async fn merge(
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
