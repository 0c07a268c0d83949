//! `/api/v1/settings`: the instance settings (admins).

use super::{ApiJson, Problem};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::routes::Routes;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use msohub_service::settings::InstanceSettings;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/settings", get).put("/api/v1/settings", put)
}

/// Read the settings
#[utoipa::path(get, operation_id = "getSettings", path = "/api/v1/settings", tag = "accounts",
    responses((status = 200, description = "The settings", body = InstanceSettings)))]
pub(super) async fn get(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.instance_settings(&actor).await?).into_response())
}

/// Replace the settings
///
/// The office's name and city, and the geocoder (`geocoder_url` empty: off).
/// `office_organisation_id` makes an organisation "our office" and takes
/// the mark from any other, in the same transaction (left out: unchanged).
/// The scheduled backup: `backup_time` (`HH:MM`, Berlin; empty: off),
/// `backup_keep` (1–365) and `backup_folder` (under the server's data
/// directory); `backup_status` (read-only) says how the last run went.
/// Every field is checked first; nothing is written when one is wrong.
#[utoipa::path(put, operation_id = "changeSettings", path = "/api/v1/settings", tag = "accounts",
    request_body = InstanceSettings,
    responses(
        (status = 200, description = "The settings as stored", body = InstanceSettings),
        (status = 400, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn put(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    body: Result<ApiJson<InstanceSettings>, ApiError>,
) -> Result<Response, ApiError> {
    actor.require(msohub_domain::Permission::ManageUsers)?;
    let ApiJson(input) = body?;
    Ok(Json(state.services.change_settings(&actor, &input).await?).into_response())
}
