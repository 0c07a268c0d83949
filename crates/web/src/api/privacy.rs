//! Data protection through the API: subject access (JSON or PDF), erasure,
//! and the retention view with reminders for expiring consents.

use super::Path;
use crate::AppState;
use crate::api::ApiJson;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::pages::organisations::query_param;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{FromRequest, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use msohub_service::privacy::{DEFAULT_DAYS, DEFAULT_MONTHS, Erasure, Retention, SubjectAccess};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/persons/{id}/subject-access", subject_access)
        .post("/api/v1/persons/{id}/erase", erase)
        .get("/api/v1/privacy/retention", retention)
        .post("/api/v1/privacy/reminders", remind)
}

/// The subject access as a download: JSON or PDF (typeset off the async
/// threads).
pub(crate) async fn access_file(
    access: SubjectAccess,
    pdf: bool,
) -> Result<Response, msohub_service::Error> {
    let stem = format!("auskunft-{}", access.person.id);
    let (content_type, name, bytes) = if pdf {
        let doc = msohub_service::privacy::document(&access);
        let bytes = tokio::task::spawn_blocking(move || msohub_typeset::document_pdf(&doc))
            .await
            .map_err(|e| msohub_service::Error::Internal(Box::new(e)))?
            .map_err(|e| msohub_service::Error::Internal(e.to_string().into()))?;
        ("application/pdf", format!("{stem}.pdf"), bytes)
    } else {
        (
            "application/json",
            format!("{stem}.json"),
            serde_json::to_vec_pretty(&access).unwrap_or_default(),
        )
    };
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        crate::headers::disposition("attachment", &name),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Everything stored about a person (GDPR Art. 15)
///
/// The person, affiliations, consents, contacts, body memberships, meeting
/// attendance, offers naming them, follow-ups and the history of changes,
/// as JSON (default) or as a PDF (`format=pdf`). Recorded in the audit log.
#[utoipa::path(get, operation_id = "subjectAccess", path = "/api/v1/persons/{id}/subject-access", tag = "persons",
    params(("id" = Uuid, Path, description = "The person"),
        ("format" = Option<String>, Query, description = "json (default) or pdf")),
    responses((status = 200, description = "The subject access", body = SubjectAccess)))]
pub(super) async fn subject_access(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pdf = match query_param(raw.as_deref(), "format").as_deref() {
        None | Some("" | "json") => false,
        Some("pdf") => true,
        Some(_) => return Err(msohub_service::Error::field("format", "choice-unknown").into()),
    };
    let access = state.services.subject_access(&actor, id).await?;
    Ok(access_file(access, pdf).await?)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct EraseBody {
    /// Why (e.g. "Antrag nach Art. 17 vom 03.11.2026"); kept in the audit log.
    reason: String,
}

/// Erase a person (GDPR Art. 17)
///
/// Administrators only. Names, contact data, notes, roles and mentions of
/// the name or address in notes, minutes and history are replaced; links
/// that only count (contacts, attendance, memberships, consent dates) stay,
/// so figures and finalised reports do not change. Cannot be undone.
#[utoipa::path(post, operation_id = "erasePerson", path = "/api/v1/persons/{id}/erase", tag = "persons",
    params(("id" = Uuid, Path, description = "The person")),
    request_body = EraseBody,
    responses((status = 200, description = "Erased", body = Erasure),
        (status = 409, description = "The person was already erased", body = super::Problem, content_type = "application/problem+json")))]
pub(super) async fn erase(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    request: axum::extract::Request,
) -> Result<Json<Erasure>, ApiError> {
    actor.require(msohub_domain::Permission::ManageUsers)?;
    let ApiJson(body) = ApiJson::<EraseBody>::from_request(request, &state).await?;
    Ok(Json(
        state
            .services
            .erase_person(&actor, id, &body.reason)
            .await?,
    ))
}

/// A whole number of days (1 to 365) or months (1 to 120), as the
/// document says (contract::PARAM_SCHEMAS).
fn number(raw: Option<&str>, name: &str, default: i64) -> Result<i64, ApiError> {
    let range = if name == "months" { 1..=120 } else { 1..=365 };
    match query_param(raw, name).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| msohub_service::Error::field(name, "number-invalid").into()),
    }
}

/// Consents ending soon and people listed for deletion
#[utoipa::path(get, operation_id = "retention", path = "/api/v1/privacy/retention", tag = "persons",
    params(("days" = Option<i64>, Query, description = "Consents ending within this many days, 1 to 365 (default 30)"),
        ("months" = Option<i64>, Query, description = "No affiliation, consent or activity for this many months (default 24)")),
    responses((status = 200, description = "The retention view", body = Retention)))]
pub(super) async fn retention(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<Retention>, ApiError> {
    let days = number(raw.as_deref(), "days", DEFAULT_DAYS)?;
    let months = number(raw.as_deref(), "months", DEFAULT_MONTHS)?;
    Ok(Json(state.services.retention(&actor, days, months).await?))
}

/// Create follow-ups for consents ending soon
///
/// One follow-up per consent ending within `days` that has none yet,
/// assigned to the caller. Returns how many were created.
#[utoipa::path(post, operation_id = "remindConsents", path = "/api/v1/privacy/reminders", tag = "persons",
    params(("days" = Option<i64>, Query, description = "Consents ending within this many days, 1 to 365 (default 30)")),
    responses((status = 200, description = "How many follow-ups were created", body = serde_json::Value)))]
pub(super) async fn remind(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let days = number(raw.as_deref(), "days", DEFAULT_DAYS)?;
    let assignee = actor.user()?;
    let created = state
        .services
        .remind_expiring_consents(&actor, assignee, days)
        .await?;
    Ok((
        StatusCode::OK,
        Json(serde_json::json!({ "created": created })),
    )
        .into_response())
}
