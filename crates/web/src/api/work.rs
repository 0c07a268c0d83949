//! `/api/v1/interactions`, `/api/v1/needs`, `/api/v1/tasks`: the work log,
//! in the registry's shape (list with filters and cursor; get; create;
//! PATCH with `version`, stale → 409; DELETE), and attachments.

use super::Path;
use super::{ApiJson, Problem};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::query::Query;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_domain::Permission;
use msohub_service::interactions::{
    AttachmentInfo, Interaction, InteractionInput, InteractionPage, InteractionQuery,
};
use msohub_service::needs::{Need, NeedInput, NeedOverview, NeedPage, NeedQuery};
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

/// The query of the interaction list.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(super) struct InteractionParams {
    /// Statuses; repeatable.
    status: Vec<String>,
    /// Kinds; repeatable.
    kind: Vec<String>,
    /// Only with this organisation.
    organisation: Option<Uuid>,
    /// Only with this person.
    person: Option<Uuid>,
    /// Only with this staff member (user id).
    staff: Option<Uuid>,
    /// From this day (Berlin).
    from: Option<chrono::NaiveDate>,
    /// Up to and including this day.
    to: Option<chrono::NaiveDate>,
    /// Only deleted ones.
    deleted: bool,
    /// `desc` (default: newest first) or `asc`.
    order: Option<String>,
    /// Opaque: the `next_cursor` of the previous page (another answers 422
    /// `cursor-invalid`).
    cursor: Option<String>,
    /// Page size, 1 to 500 (default 50); others are refused (422).
    #[param(minimum = 1, maximum = 500)]
    #[serde(deserialize_with = "super::contract::limit")]
    limit: Option<u32>,
}

/// List interactions
///
/// Newest first (`order=asc`: oldest first). Filters repeat for several
/// values. A parameter of the wrong type or an unknown code answers 422
/// naming it.
#[utoipa::path(get, operation_id = "listInteractions", path = "/api/v1/interactions", tag = "interactions",
    params(InteractionParams),
    responses((status = 200, description = "One page", body = InteractionPage)))]
pub(super) async fn list_interactions(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p: InteractionParams = super::contract::query("listInteractions", raw.as_deref())?;
    let day = msohub_service::time::start_of_day;
    let q = InteractionQuery {
        organisation: p.organisation,
        person: p.person,
        staff: p.staff,
        statuses: super::contract::filled(p.status),
        kinds: super::contract::filled(p.kind),
        from: p.from.map(day),
        to: p.to.map(|d| day(d.succ_opt().unwrap_or(d))),
        deleted: p.deleted,
        ascending: p.order.as_deref() == Some("asc"),
        cursor: p.cursor.filter(|c| !c.is_empty()),
        limit: p.limit.map_or(50, u64::from),
    };
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
    Query(p): Query<FileName>,
    bytes: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    let bytes = bytes.map_err(|e| {
        ApiError::new(
            e.status(),
            "the file is far larger than 10 MiB (file-too-large)",
        )
    })?;
    let info = state
        .services
        .add_attachment(&actor, "interaction", id, &p.name(), bytes.to_vec())
        .await?;
    Ok((StatusCode::CREATED, Json(info)).into_response())
}

#[derive(serde::Deserialize)]
pub(super) struct FileName {
    name: Option<String>,
}

impl FileName {
    pub(super) fn name(&self) -> String {
        self.name.clone().unwrap_or_default()
    }
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

/// The query of the need list.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(super) struct NeedParams {
    /// Statuses; repeatable.
    status: Vec<String>,
    /// Terms of the `need_category` vocabulary; repeatable.
    category: Vec<String>,
    /// Sources; repeatable.
    source: Vec<String>,
    /// Only this organisation's needs.
    organisation: Option<Uuid>,
    /// Raised on or after this day.
    raised_from: Option<chrono::NaiveDate>,
    /// Raised on or before this day.
    raised_to: Option<chrono::NaiveDate>,
    /// Resolved on or after this day.
    resolved_from: Option<chrono::NaiveDate>,
    /// Resolved on or before this day.
    resolved_to: Option<chrono::NaiveDate>,
    /// Only deleted ones.
    deleted: bool,
    /// Opaque: the `next_cursor` of the previous page (another answers 422
    /// `cursor-invalid`).
    cursor: Option<String>,
    /// Page size, 1 to 500 (default 50); others are refused (422).
    #[param(minimum = 1, maximum = 500)]
    #[serde(deserialize_with = "super::contract::limit")]
    limit: Option<u32>,
}

/// List needs
///
/// A parameter of the wrong type or an unknown code answers 422 naming it.
#[utoipa::path(get, operation_id = "listNeeds", path = "/api/v1/needs", tag = "needs",
    params(NeedParams),
    responses((status = 200, description = "One page", body = NeedPage)))]
pub(super) async fn list_needs(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p: NeedParams = super::contract::query("listNeeds", raw.as_deref())?;
    let q = NeedQuery {
        organisation: p.organisation,
        categories: {
            super::contract::known_terms(&state, &actor, "category", "need_category", &p.category)
                .await?;
            super::contract::filled(p.category)
        },
        statuses: super::contract::filled(p.status),
        sources: super::contract::filled(p.source),
        raised_from: p.raised_from,
        raised_to: p.raised_to,
        resolved_from: p.resolved_from,
        resolved_to: p.resolved_to,
        deleted: p.deleted,
        cursor: p.cursor.filter(|c| !c.is_empty()),
        limit: p.limit.map_or(50, u64::from),
    };
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

/// The query of the task list.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(super) struct TaskParams {
    /// `mine` (the caller's open tasks), `overdue`, `open` or `done`.
    view: Option<String>,
    /// Only this staff member's tasks (user id).
    assignee: Option<Uuid>,
    /// With `link_id`: only tasks linked to this record.
    link_type: Option<String>,
    /// With `link_type`: the linked record's id.
    link_id: Option<Uuid>,
    /// Opaque: the `next_cursor` of the previous page (another answers 422
    /// `cursor-invalid`).
    cursor: Option<String>,
    /// Page size, 1 to 500 (default 50); others are refused (422).
    #[param(minimum = 1, maximum = 500)]
    #[serde(deserialize_with = "super::contract::limit")]
    limit: Option<u32>,
}

/// List tasks
///
/// By due date. `view=mine` (the caller's open tasks), `overdue`, `open`,
/// `done`; or filter by `assignee` and linked record. A parameter of the
/// wrong type or an unknown code answers 422 naming it.
#[utoipa::path(get, operation_id = "listTasks", path = "/api/v1/tasks", tag = "tasks",
    params(TaskParams),
    responses((status = 200, description = "One page", body = TaskPage)))]
pub(super) async fn list_tasks(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p: TaskParams = super::contract::query("listTasks", raw.as_deref())?;
    let mut q = TaskQuery {
        limit: p.limit.map_or(50, u64::from),
        cursor: p.cursor.filter(|c| !c.is_empty()),
        ..TaskQuery::default()
    };
    match p.view.as_deref().unwrap_or_default() {
        "mine" => {
            q.open = true;
            q.assignee = actor.user_id;
        }
        "overdue" => q.overdue = true,
        "open" => q.open = true,
        "done" => q.done = true,
        _ => {}
    }
    if let Some(a) = p.assignee {
        q.assignee = Some(a);
    }
    if let (Some(t), Some(id)) = (p.link_type.filter(|t| !t.is_empty()), p.link_id) {
        q.link = Some((t, id));
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
