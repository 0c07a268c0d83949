//! `/api/v1/projects`: the office's projects (Handlungsfelder), each a
//! chapter of the yearly report with its own targets.

use super::Path;
use super::{ApiJson, Problem};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_domain::Permission;
use msohub_service::projects::{Project, ProjectInput};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/projects", list_projects)
        .post("/api/v1/projects", create_project)
        .get("/api/v1/projects/{id}", get_project)
        .patch("/api/v1/projects/{id}", patch_project)
        .delete("/api/v1/projects/{id}", delete_project)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct ProjectList {
    items: Vec<Project>,
    /// Always null: the list is complete.
    next_cursor: Option<String>,
}

/// List projects
///
/// Every project, in the report's order (`position`, then name). The first
/// is the default for targets created without `project_id`.
#[utoipa::path(get, operation_id = "listProjects", path = "/api/v1/projects", tag = "targets",
    responses((status = 200, description = "All projects", body = ProjectList)))]
pub(super) async fn list_projects(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    let items = state.services.projects(&actor).await?;
    Ok(Json(ProjectList {
        items,
        next_cursor: None,
    })
    .into_response())
}

/// Get a project
#[utoipa::path(get, operation_id = "getProject", path = "/api/v1/projects/{id}", tag = "targets",
    params(("id" = Uuid, Path)), responses((status = 200, description = "The project", body = Project)))]
pub(super) async fn get_project(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_project(&actor, id).await?).into_response())
}

/// Create a project
///
/// A `name` (unique: a taken one is refused with `taken`), an optional
/// `description` (purpose and context, printed under the chapter's
/// heading), what the chapter's chart counts (`chart_counts`: `contacts`,
/// `meetings`, `events`; default `contacts`) and its `position` (default:
/// after the others).
#[utoipa::path(post, operation_id = "createProject", path = "/api/v1/projects", tag = "targets",
    request_body = ProjectInput,
    responses((status = 201, description = "Created", body = Project)))]
pub(super) async fn create_project(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    input: Result<ApiJson<ProjectInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, input)?;
    Ok((
        StatusCode::CREATED,
        Json(state.services.create_project(&actor, &input).await?),
    )
        .into_response())
}

/// Change a project
#[utoipa::path(patch, operation_id = "changeProject", path = "/api/v1/projects/{id}", tag = "targets",
    params(("id" = Uuid, Path)),
    request_body(content = ProjectInput, description = "Only the fields to change, plus `version`"),
    responses((status = 200, description = "Changed", body = Project),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn patch_project(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    patch: Result<ApiJson<serde_json::Value>, ApiError>,
) -> Result<Response, ApiError> {
    let patch = super::writer(&actor, patch)?;
    Ok(Json(state.services.patch_project(&actor, id, &patch).await?).into_response())
}

/// Delete a project
///
/// Only one without targets and report items (`project-in-use`), and never
/// the last one (`project-last`): targets need a project.
#[utoipa::path(delete, operation_id = "deleteProject", path = "/api/v1/projects/{id}", tag = "targets",
    params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "In use, or the last project", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn delete_project(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    let version = super::version_param(raw.as_deref())?;
    state.services.delete_project(&actor, id, version).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
