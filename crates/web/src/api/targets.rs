//! `/api/v1/periods` and `/api/v1/targets`: periods and their targets with
//! progress computed from the records.

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
use msohub_service::targets::{Period, PeriodInput, Target, TargetInput, verdict};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/periods", list_periods)
        .post("/api/v1/periods", create_period)
        .get("/api/v1/periods/{id}", get_period)
        .post("/api/v1/targets", create_target)
        .get("/api/v1/targets/{id}", get_target)
        .patch("/api/v1/targets/{id}", patch_target)
        .delete("/api/v1/targets/{id}", delete_target)
        .get("/api/v1/periods/{id}/report", report)
        .put("/api/v1/periods/{id}/report/texts", put_texts)
}

#[derive(askama::Template)]
#[template(path = "report/document.html")]
struct DocumentTemplate {
    page: crate::page::PageContext,
    report: msohub_service::report::Report,
    bars: Vec<crate::pages::report::MonthBar>,
}

/// The report as a standalone, printable HTML document.
pub fn document(report: msohub_service::report::Report) -> String {
    use askama::Template;
    let page = crate::page::PageContext::plain(
        msohub_domain::Language::De,
        "/",
        report.title.clone(),
        report.office.clone(),
    );
    let bars = crate::pages::report::month_bars(&report);
    DocumentTemplate { page, report, bars }
        .render()
        .unwrap_or_default()
}

/// The yearly report
///
/// Generated now from the records: `format=json` (default), `html` (a
/// printable document) or `md`. PDF, DOCX and ODT are not available yet
/// (422 `format-unavailable`).
#[utoipa::path(get, operation_id = "getReport", path = "/api/v1/periods/{id}/report", tag = "targets",
    params(("id" = Uuid, Path), ("format" = Option<String>, Query, description = "json, html, md")),
    responses((status = 200, description = "The report", body = msohub_service::report::Report)))]
pub(super) async fn report(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let format = query_param(raw.as_deref(), "format").unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "html" | "md") {
        return Err(msohub_service::Error::field("format", "format-unavailable").into());
    }
    let report = state.services.report(&actor, id).await?;
    let file = format!("sachbericht-{}", report.period.name.replace('/', "-"));
    Ok(match format.as_str() {
        "md" => (
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "text/markdown; charset=utf-8".to_owned(),
                ),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}.md\""),
                ),
            ],
            msohub_service::report::markdown(&report),
        )
            .into_response(),
        "html" => (
            [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
            document(report),
        )
            .into_response(),
        _ => Json(report).into_response(),
    })
}

/// Save the report's texts
///
/// Title, introduction, outlook, place, author, and per target id a
/// narrative (empty: the generated draft). `version` as read (0 the first
/// time); stale → 409.
#[utoipa::path(put, operation_id = "putReportTexts", path = "/api/v1/periods/{id}/report/texts", tag = "targets",
    params(("id" = Uuid, Path)), request_body = msohub_service::report::ReportTexts,
    responses((status = 200, description = "Stored", body = msohub_service::report::ReportTexts),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn put_texts(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<msohub_service::report::ReportTexts>, ApiError>,
) -> Result<Response, ApiError> {
    let texts = super::writer(&actor, body)?;
    Ok(Json(state.services.save_report_texts(&actor, id, &texts).await?).into_response())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct PeriodList {
    items: Vec<Period>,
    next_cursor: Option<String>,
}

/// List periods
#[utoipa::path(get, operation_id = "listPeriods", path = "/api/v1/periods", tag = "targets",
    responses((status = 200, description = "Latest first", body = PeriodList)))]
pub(super) async fn list_periods(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    Ok(Json(PeriodList {
        items: state.services.periods(&actor).await?,
        next_cursor: None,
    })
    .into_response())
}

/// Create a period
///
/// `{"kind": "school_year", "year": "2020"}` makes 2020/21 (1 August to
/// 31 July); `calendar_year`; or `custom` with `name`, `starts_on`, `ends_on`.
#[utoipa::path(post, operation_id = "createPeriod", path = "/api/v1/periods", tag = "targets",
    request_body = PeriodInput, responses((status = 201, description = "Created", body = Period)))]
pub(super) async fn create_period(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    input: Result<ApiJson<PeriodInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, input)?;
    Ok((
        StatusCode::CREATED,
        Json(state.services.create_period(&actor, &input).await?),
    )
        .into_response())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct PeriodTargets {
    period: Period,
    targets: Vec<Target>,
    /// met, partly_met, not_met (none without targets)
    verdict: String,
}

/// A period with its targets
#[utoipa::path(get, operation_id = "getPeriod", path = "/api/v1/periods/{id}", tag = "targets",
    params(("id" = Uuid, Path)), responses((status = 200, description = "The period", body = PeriodTargets)))]
pub(super) async fn get_period(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let period = state.services.get_period(&actor, id).await?;
    let targets = state.services.targets(&actor, id).await?;
    let statuses: Vec<&str> = targets.iter().map(|t| t.status.as_str()).collect();
    let verdict = verdict(&statuses).to_owned();
    Ok(Json(PeriodTargets {
        period,
        targets,
        verdict,
    })
    .into_response())
}

/// Get a target
#[utoipa::path(get, operation_id = "getTarget", path = "/api/v1/targets/{id}", tag = "targets",
    params(("id" = Uuid, Path)), responses((status = 200, description = "With its computed figure", body = Target)))]
pub(super) async fn get_target(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_target(&actor, id).await?).into_response())
}

/// Create a target
///
/// `metric`: interactions (with `kinds`, `statuses`, `organisation_kinds`),
/// staff_attendance_rate / meetings_held / organisations_represented (with
/// `body_id`), needs_addressed, manual (with `manual_value`).
#[utoipa::path(post, operation_id = "createTarget", path = "/api/v1/targets", tag = "targets",
    request_body = TargetInput, responses((status = 201, description = "Created", body = Target)))]
pub(super) async fn create_target(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    input: Result<ApiJson<TargetInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, input)?;
    Ok((
        StatusCode::CREATED,
        Json(state.services.create_target(&actor, &input).await?),
    )
        .into_response())
}

/// Change a target
///
/// An `override_status` needs an `override_reason`.
#[utoipa::path(patch, operation_id = "changeTarget", path = "/api/v1/targets/{id}", tag = "targets",
    params(("id" = Uuid, Path)),
    request_body(content = TargetInput, description = "Only the fields to change, plus `version`"),
    responses((status = 200, description = "Changed", body = Target),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn patch_target(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    patch: Result<ApiJson<serde_json::Value>, ApiError>,
) -> Result<Response, ApiError> {
    let patch = super::writer(&actor, patch)?;
    Ok(Json(state.services.patch_target(&actor, id, &patch).await?).into_response())
}

/// Delete a target
#[utoipa::path(delete, operation_id = "deleteTarget", path = "/api/v1/targets/{id}", tag = "targets",
    params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn delete_target(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    let version = super::version_param(raw.as_deref())?;
    state.services.delete_target(&actor, id, version).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
