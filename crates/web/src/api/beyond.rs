//! `/api/v1/periods/{id}/beyond`: what the office did beyond its targets,
//! as the report lists it — found in the records, linked or typed by
//! staff; each can be reworded, moved to another project, reordered or
//! hidden.

use super::Path;
use super::{ApiJson, Problem};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::pages::organisations::query_param;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_service::report::{BeyondInput, BeyondItem, Lang};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/periods/{id}/beyond", list)
        .post("/api/v1/periods/{id}/beyond", create)
        .patch("/api/v1/periods/{id}/beyond/{item}", change)
        .delete("/api/v1/periods/{id}/beyond/{item}", delete)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct BeyondList {
    items: Vec<BeyondItem>,
}

/// List the items beyond the targets
///
/// In the report's order (by project, then position); hidden ones too.
/// `lang`: the language of the generated sentences (`de`, `en`).
/// Found items nobody changed yet have `version` 0.
#[utoipa::path(get, operation_id = "listBeyondItems", path = "/api/v1/periods/{id}/beyond", tag = "targets",
    params(("id" = Uuid, Path), ("lang" = Option<String>, Query, description = "de or en")),
    responses((status = 200, description = "The items", body = BeyondList)))]
pub(super) async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let lang = match query_param(raw.as_deref(), "lang").as_deref() {
        None | Some("" | "de") => Lang::De,
        Some("en") => Lang::En,
        Some(_) => return Err(msohub_service::Error::field("lang", "language-unknown").into()),
    };
    Ok(Json(BeyondList {
        items: state.services.beyond_items(&actor, id, lang).await?,
    })
    .into_response())
}

/// Add an item beyond the targets
///
/// A free item: `{"text": "…"}` (optionally `date`, `project_id`,
/// `user_id`). A linked record: `{"record_type": "event" | "membership" |
/// "body", "record_id": "…"}`, e.g. an event just after the period; its
/// sentence is generated with the record's real date unless `text` is
/// given.
#[utoipa::path(post, operation_id = "createBeyondItem", path = "/api/v1/periods/{id}/beyond", tag = "targets",
    params(("id" = Uuid, Path)), request_body = BeyondInput,
    responses((status = 201, description = "Added", body = BeyondItem),
        (status = 422, description = "E.g. no text (`required`), an unknown record, a record already listed (`already-linked`)", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    input: Result<ApiJson<BeyondInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, input)?;
    Ok((
        StatusCode::CREATED,
        Json(state.services.create_beyond(&actor, id, &input).await?),
    )
        .into_response())
}

/// Change an item beyond the targets
///
/// Only the fields given change: `text` (empty for a record: the generated
/// sentence again), `hidden`, `position`, `project_id`, `user_id` (the
/// staff member the sentence names; empty: the office), `date`. `version`
/// as read (0 for a found item not stored yet).
#[utoipa::path(patch, operation_id = "changeBeyondItem", path = "/api/v1/periods/{id}/beyond/{item}", tag = "targets",
    params(("id" = Uuid, Path), ("item" = Uuid, Path)), request_body = BeyondInput,
    responses((status = 200, description = "Changed", body = BeyondItem),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn change(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, item)): Path<(Uuid, Uuid)>,
    input: Result<ApiJson<BeyondInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, input)?;
    Ok(Json(
        state
            .services
            .update_beyond(&actor, id, item, &input)
            .await?,
    )
    .into_response())
}

/// Delete an item beyond the targets
///
/// Free and linked items go. An item the report found cannot be deleted
/// (`beyond-found`; hide it instead); once staff changed it, deleting it
/// undoes their changes (its wording, project, order, hiding) and it is
/// listed again as found, with `version` 0.
#[utoipa::path(delete, operation_id = "deleteBeyondItem", path = "/api/v1/periods/{id}/beyond/{item}", tag = "targets",
    params(("id" = Uuid, Path), ("item" = Uuid, Path), ("version" = i32, Query)),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, item)): Path<(Uuid, Uuid)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(msohub_domain::Permission::WriteStaffArea)?;
    let version = super::version_param(raw.as_deref())?;
    state
        .services
        .delete_beyond(&actor, id, item, version)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
