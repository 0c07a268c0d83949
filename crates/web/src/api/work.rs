//! `/api/v1/interactions`, `/api/v1/needs`, `/api/v1/tasks`: the work log,
//! in the registry's shape (list with filters and cursor; get; create;
//! PATCH with `version`, stale → 409; DELETE), and attachments.

use super::{ApiJson, Problem};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::pages::organisations::query_param;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_domain::Permission;
use msohub_service::interactions::{
    AttachmentInfo, Interaction, InteractionInput, InteractionPage,
};
use msohub_service::needs::{Need, NeedInput, NeedOverview, NeedPage};
use msohub_service::tasks::{Task, TaskInput, TaskPage, TaskQuery};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/interactions", list_interactions)
        .post("/api/v1/interactions", create_interaction)
        .get("/api/v1/interactions/{id}", get_interaction)
        .patch("/api/v1/interactions/{id}", patch_interaction)
        .delete("/api/v1/interactions/{id}", delete_interaction)
        .upload(
            "POST",
            "/api/v1/interactions/{id}/attachments",
            add_attachment,
            16 * 1024 * 1024,
        )
        .get("/api/v1/attachments/{id}", get_attachment)
        .delete("/api/v1/attachments/{id}", delete_attachment)
        .get("/api/v1/needs", list_needs)
        .post("/api/v1/needs", create_need)
        .get("/api/v1/needs/overview", need_overview)
        .get("/api/v1/needs/{id}", get_need)
        .patch("/api/v1/needs/{id}", patch_need)
        .delete("/api/v1/needs/{id}", delete_need)
        .get("/api/v1/tasks", list_tasks)
        .post("/api/v1/tasks", create_task)
        .get("/api/v1/tasks/{id}", get_task)
        .patch("/api/v1/tasks/{id}", patch_task)
        .delete("/api/v1/tasks/{id}", delete_task)
}

// --- interactions ----------------------------------------------------------------

/// List interactions
///
/// Newest first (`order=asc`: oldest first). Filters repeat for several
/// values.
#[utoipa::path(get, operation_id = "listInteractions", path = "/api/v1/interactions", tag = "interactions",
    params(
        ("status" = Option<Vec<String>>, Query, description = "planned, held, cancelled"),
        ("kind" = Option<Vec<String>>, Query, description = "visit, phone, email, video, meeting_at_office, other"),
        ("organisation" = Option<Uuid>, Query, description = "Only with this organisation"),
        ("person" = Option<Uuid>, Query, description = "Only with this person"),
        ("staff" = Option<Uuid>, Query, description = "Only with this staff member (user id)"),
        ("from" = Option<String>, Query, description = "From this day (YYYY-MM-DD, Berlin)"),
        ("to" = Option<String>, Query, description = "Up to and including this day"),
        ("deleted" = Option<bool>, Query, description = "Only deleted ones"),
        ("order" = Option<String>, Query, description = "asc for oldest first"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
        ("limit" = Option<u64>, Query, description = "1 to 500 (default 50)"),
    ),
    responses((status = 200, description = "One page", body = InteractionPage)))]
pub(super) async fn list_interactions(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = crate::pages::interactions::interaction_query(raw.as_deref(), 50)?;
    Ok(Json(state.services.list_interactions(&actor, &q).await?).into_response())
}

/// Get an interaction
#[utoipa::path(get, operation_id = "getInteraction", path = "/api/v1/interactions/{id}", tag = "interactions",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The interaction", body = Interaction)))]
pub(super) async fn get_interaction(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_interaction(&actor, id).await?).into_response())
}

/// Record an interaction
///
/// `starts_at` as local time in Berlin (`2026-03-05T14:30`) or RFC 3339. A
/// held interaction cannot lie in the future; a cancelled one needs a
/// `cancel_reason` (and with `other`, a `cancel_note`); at least one
/// organisation.
#[utoipa::path(post, operation_id = "createInteraction", path = "/api/v1/interactions", tag = "interactions",
    request_body = InteractionInput,
    responses((status = 201, description = "Recorded", body = Interaction)))]
pub(super) async fn create_interaction(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    input: Result<ApiJson<InteractionInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, input)?;
    let created = state.services.create_interaction(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Change an interaction
///
/// The fields given replace the current ones; `version` is required. A held
/// interaction stays held; a cancelled one may only be planned again.
#[utoipa::path(patch, operation_id = "changeInteraction", path = "/api/v1/interactions/{id}", tag = "interactions",
    params(("id" = Uuid, Path)),
    request_body(content = InteractionInput, description = "Only the fields to change, plus `version`"),
    responses(
        (status = 200, description = "Changed", body = Interaction),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn patch_interaction(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    patch: Result<ApiJson<serde_json::Value>, ApiError>,
) -> Result<Response, ApiError> {
    let patch = super::writer(&actor, patch)?;
    Ok(Json(state.services.patch_interaction(&actor, id, &patch).await?).into_response())
}

/// Delete an interaction
///
/// Softly (restorable in the UI); `version` must be current.
#[utoipa::path(delete, operation_id = "deleteInteraction", path = "/api/v1/interactions/{id}", tag = "interactions",
    params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn delete_interaction(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    let version = super::version_param(raw.as_deref())?;
    state
        .services
        .set_interaction_deleted(&actor, id, version, true)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Attach a file to an interaction
///
/// The body is the file; `name` its name. PDF, images, office documents
/// (docx, xlsx, pptx, odt, ods, odp) and text (txt, csv, md), at most
/// 10 MiB; the bytes decide (`file-type`, `file-too-large`, `file-empty`).
#[utoipa::path(post, operation_id = "addInteractionAttachment", path = "/api/v1/interactions/{id}/attachments", tag = "interactions",
    params(("id" = Uuid, Path), ("name" = String, Query, description = "The file's name")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file"),
    responses((status = 201, description = "Attached", body = AttachmentInfo)))]
pub(super) async fn add_attachment(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
    bytes: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    let bytes = bytes.map_err(|e| {
        ApiError::new(
            e.status(),
            "the file is far larger than 10 MiB (file-too-large)",
        )
    })?;
    let name = query_param(raw.as_deref(), "name").unwrap_or_default();
    let info = state
        .services
        .add_attachment(&actor, "interaction", id, &name, bytes.to_vec())
        .await?;
    Ok((StatusCode::CREATED, Json(info)).into_response())
}

/// Download an attachment
#[utoipa::path(get, operation_id = "getAttachment", path = "/api/v1/attachments/{id}", tag = "interactions",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream")))]
pub(super) async fn get_attachment(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let file = state.services.attachment_file(&actor, id).await?;
    Ok(crate::pages::organisation_logo::file_response(
        file,
        "attachment",
    ))
}

/// Remove an attachment
#[utoipa::path(delete, operation_id = "deleteAttachment", path = "/api/v1/attachments/{id}", tag = "interactions",
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Removed")))]
pub(super) async fn delete_attachment(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    state.services.remove_attachment(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// --- needs -----------------------------------------------------------------------

/// List needs
#[utoipa::path(get, operation_id = "listNeeds", path = "/api/v1/needs", tag = "needs",
    params(
        ("status" = Option<Vec<String>>, Query, description = "open, in_progress, addressed, cannot_be_met"),
        ("category" = Option<Vec<String>>, Query, description = "A term of the need_category vocabulary"),
        ("source" = Option<Vec<String>>, Query, description = "interaction, meeting, survey, portal, other"),
        ("organisation" = Option<Uuid>, Query),
        ("raised_from" = Option<chrono::NaiveDate>, Query, description = "Raised on or after (YYYY-MM-DD)"),
        ("raised_to" = Option<chrono::NaiveDate>, Query, description = "Raised on or before"),
        ("resolved_from" = Option<chrono::NaiveDate>, Query, description = "Resolved on or after"),
        ("resolved_to" = Option<chrono::NaiveDate>, Query, description = "Resolved on or before"),
        ("deleted" = Option<bool>, Query),
        ("cursor" = Option<String>, Query),
        ("limit" = Option<u64>, Query),
    ),
    responses((status = 200, description = "One page", body = NeedPage)))]
pub(super) async fn list_needs(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = crate::pages::needs::need_query(raw.as_deref(), 50)?;
    Ok(Json(state.services.list_needs(&actor, &q).await?).into_response())
}

/// Needs by category and status
#[utoipa::path(get, operation_id = "needOverview", path = "/api/v1/needs/overview", tag = "needs",
    responses((status = 200, description = "Counts", body = NeedOverview)))]
pub(super) async fn need_overview(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.need_overview(&actor).await?).into_response())
}

/// Get a need
#[utoipa::path(get, operation_id = "getNeed", path = "/api/v1/needs/{id}", tag = "needs",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The need", body = Need)))]
pub(super) async fn get_need(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_need(&actor, id).await?).into_response())
}

/// Record a need
///
/// An organisation is required; with status `addressed` or
/// `cannot_be_met`, `outcome` says what was done.
#[utoipa::path(post, operation_id = "createNeed", path = "/api/v1/needs", tag = "needs",
    request_body = NeedInput,
    responses((status = 201, description = "Recorded", body = Need)))]
pub(super) async fn create_need(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    input: Result<ApiJson<NeedInput>, ApiError>,
) -> Result<Response, ApiError> {
    let created = if super::portal::representative(&actor) {
        let ApiJson(input) = input?;
        state.services.report_need(&actor, &input).await?
    } else {
        let input = super::writer(&actor, input)?;
        state.services.create_need(&actor, &input).await?
    };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Change a need
#[utoipa::path(patch, operation_id = "changeNeed", path = "/api/v1/needs/{id}", tag = "needs",
    params(("id" = Uuid, Path)),
    request_body(content = NeedInput, description = "Only the fields to change, plus `version`"),
    responses(
        (status = 200, description = "Changed", body = Need),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn patch_need(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    patch: Result<ApiJson<serde_json::Value>, ApiError>,
) -> Result<Response, ApiError> {
    let patch = super::writer(&actor, patch)?;
    Ok(Json(state.services.patch_need(&actor, id, &patch).await?).into_response())
}

/// Delete a need
#[utoipa::path(delete, operation_id = "deleteNeed", path = "/api/v1/needs/{id}", tag = "needs",
    params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn delete_need(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    let version = super::version_param(raw.as_deref())?;
    state
        .services
        .set_need_deleted(&actor, id, version, true)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// --- tasks -----------------------------------------------------------------------

/// List tasks
///
/// By due date. `view=mine` (the caller's open tasks), `overdue`, `open`,
/// `done`; or filter by `assignee` and linked record.
#[utoipa::path(get, operation_id = "listTasks", path = "/api/v1/tasks", tag = "tasks",
    params(
        ("view" = Option<String>, Query, description = "mine, overdue, open, done"),
        ("assignee" = Option<Uuid>, Query),
        ("link_type" = Option<String>, Query, description = "organisation, interaction, need, person, meeting"),
        ("link_id" = Option<Uuid>, Query),
        ("cursor" = Option<String>, Query),
        ("limit" = Option<u64>, Query),
    ),
    responses((status = 200, description = "One page", body = TaskPage)))]
pub(super) async fn list_tasks(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p = |k: &str| query_param(raw.as_deref(), k);
    let bad = |f: &str| ApiError::from(msohub_service::Error::field(f, "filter-invalid"));
    let mut q = TaskQuery {
        limit: match p("limit") {
            Some(l) => l.parse().map_err(|_| bad("limit"))?,
            None => 50,
        },
        cursor: p("cursor"),
        ..TaskQuery::default()
    };
    match p("view").as_deref() {
        Some("mine") => {
            q.open = true;
            q.assignee = actor.user_id;
        }
        Some("overdue") => q.overdue = true,
        Some("open") => q.open = true,
        Some("done") => q.done = true,
        None => {}
        Some(_) => return Err(bad("view")),
    }
    if let Some(a) = p("assignee") {
        q.assignee = Some(a.parse().map_err(|_| bad("assignee"))?);
    }
    if let (Some(t), Some(id)) = (p("link_type"), p("link_id")) {
        q.link = Some((t, id.parse().map_err(|_| bad("link_id"))?));
    }
    Ok(Json(state.services.list_tasks(&actor, &q).await?).into_response())
}

/// Get a task
#[utoipa::path(get, operation_id = "getTask", path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The task", body = Task)))]
pub(super) async fn get_task(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_task(&actor, id).await?).into_response())
}

/// Create a task
///
/// Assigned to an active staff member (not a disabled account), optionally
/// linked to a record (`link_type` + `link_id`).
#[utoipa::path(post, operation_id = "createTask", path = "/api/v1/tasks", tag = "tasks",
    request_body = TaskInput,
    responses((status = 201, description = "Created", body = Task)))]
pub(super) async fn create_task(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    input: Result<ApiJson<TaskInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, input)?;
    let created = state.services.create_task(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Change a task
///
/// `{"done": true, "version": N}` marks it done.
#[utoipa::path(patch, operation_id = "changeTask", path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = Uuid, Path)),
    request_body(content = TaskInput, description = "Only the fields to change, plus `version`"),
    responses(
        (status = 200, description = "Changed", body = Task),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn patch_task(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    patch: Result<ApiJson<serde_json::Value>, ApiError>,
) -> Result<Response, ApiError> {
    let patch = super::writer(&actor, patch)?;
    Ok(Json(state.services.patch_task(&actor, id, &patch).await?).into_response())
}

/// Delete a task
#[utoipa::path(delete, operation_id = "deleteTask", path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn delete_task(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    let version = super::version_param(raw.as_deref())?;
    state.services.delete_task(&actor, id, version).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
