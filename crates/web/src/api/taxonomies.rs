//! `/api/v1/taxonomies/{vocabulary}`: the terms of a vocabulary; admins add
//! and change them.

use super::Path;
use super::{ApiJson, Problem};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::routes::Routes;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_service::taxonomies::{TermDetail, TermInput};

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/taxonomies/{vocabulary}", list)
        .post("/api/v1/taxonomies/{vocabulary}", create)
        .patch("/api/v1/taxonomies/{vocabulary}/{code}", change)
}

/// The terms of a vocabulary
///
/// `topic` or `target_group`; retired terms included (`retired: true`).
#[utoipa::path(get, operation_id = "listTerms", path = "/api/v1/taxonomies/{vocabulary}", tag = "taxonomies",
    params(("vocabulary" = String, Path, description = "topic, target_group")),
    responses((status = 200, description = "The terms in order", body = Vec<TermDetail>)))]
pub(super) async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(vocabulary): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.vocabulary(&actor, &vocabulary).await?).into_response())
}

/// Add a term
#[utoipa::path(post, operation_id = "addTerm", path = "/api/v1/taxonomies/{vocabulary}", tag = "taxonomies",
    params(("vocabulary" = String, Path)),
    request_body = TermInput,
    responses((status = 201, description = "Added", body = TermDetail)))]
pub(super) async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(vocabulary): Path<String>,
    body: Result<ApiJson<TermInput>, ApiError>,
) -> Result<Response, ApiError> {
    actor.require(msohub_domain::Permission::ManageUsers)?;
    let ApiJson(input) = body?;
    let term = state.services.add_term(&actor, &vocabulary, &input).await?;
    Ok((StatusCode::CREATED, Json(term)).into_response())
}

/// Change a term
///
/// New labels, `retired` to retire or reinstate; `version` must be current.
#[utoipa::path(patch, operation_id = "changeTerm", path = "/api/v1/taxonomies/{vocabulary}/{code}", tag = "taxonomies",
    params(("vocabulary" = String, Path), ("code" = String, Path)),
    request_body = TermInput,
    responses(
        (status = 200, description = "Changed", body = TermDetail),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn change(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((vocabulary, code)): Path<(String, String)>,
    body: Result<ApiJson<TermInput>, ApiError>,
) -> Result<Response, ApiError> {
    actor.require(msohub_domain::Permission::ManageUsers)?;
    let ApiJson(input) = body?;
    Ok(Json(
        state
            .services
            .change_term(&actor, &vocabulary, &code, &input)
            .await?,
    )
    .into_response())
}
