//! `/api/v1/periods` and `/api/v1/targets`: periods and their targets with
//! progress computed from the records.

use super::Path;
use super::{ApiJson, Problem};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::pages::organisations::query_param;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use msohub_docs::report::DiffLine;
use msohub_domain::Permission;
use msohub_service::report::{Lang, Report, ReportVersion};
use msohub_service::targets::{Period, PeriodChange, PeriodInput, Target, TargetInput, verdict};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/periods", list_periods)
        .post("/api/v1/periods", create_period)
        .get("/api/v1/periods/{id}", get_period)
        .patch("/api/v1/periods/{id}", patch_period)
        .delete("/api/v1/periods/{id}", delete_period)
        .post("/api/v1/targets", create_target)
        .get("/api/v1/targets/{id}", get_target)
        .patch("/api/v1/targets/{id}", patch_target)
        .delete("/api/v1/targets/{id}", delete_target)
        .get("/api/v1/periods/{id}/report", report)
        .post("/api/v1/periods/{id}/report/versions", finalise)
        .get("/api/v1/periods/{id}/report/versions", versions)
        .get("/api/v1/periods/{id}/report/versions/{number}", version)
        .get("/api/v1/periods/{id}/report/diff", diff)
        .get("/api/v1/periods/{id}/report/texts", get_texts)
        .put("/api/v1/periods/{id}/report/texts", put_texts)
}

/// The yearly report
///
/// Generated now from the records: the whole period with one chapter per
/// project, or with `project` one project's chapter. `format`: `json`
/// (default), `html` (a printable document), `md`, `pdf`, `docx` or `odt`;
/// `lang`: `de` (default) or `en`. A report can always be generated;
/// `missing` says what it still lacks.
#[utoipa::path(get, operation_id = "getReport", path = "/api/v1/periods/{id}/report", tag = "targets",
    params(("id" = Uuid, Path), ("format" = Option<String>, Query, description = "json, html, md, pdf, docx, odt"),
        ("lang" = Option<String>, Query, description = "de or en"),
        ("project" = Option<Uuid>, Query, description = "a project's id: only its chapter")),
    responses((status = 200, description = "The report", body = msohub_service::report::Report),
        (status = 422, description = "Unknown format, language or project", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn report(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::ReadStaffArea)?;
    let (format, lang) = format_and_lang(raw.as_deref())?;
    let project = project_param(raw.as_deref())?;
    let report = state.services.report(&actor, id, lang, project).await?;
    report_response(&state.services, &actor, report, format).await
}

/// The `format` and `lang` of a report request.
fn format_and_lang(raw: Option<&str>) -> Result<(String, Lang), ApiError> {
    let format = query_param(raw, "format").unwrap_or_else(|| "json".into());
    if !msohub_docs::report::FORMATS.contains(&format.as_str()) {
        return Err(msohub_service::Error::field("format", "format-unknown").into());
    }
    let lang = match query_param(raw, "lang").as_deref() {
        None | Some("" | "de") => Lang::De,
        Some("en") => Lang::En,
        Some(_) => return Err(msohub_service::Error::field("lang", "language-unknown").into()),
    };
    Ok((format, lang))
}

/// The `project` of a report request (none: the whole period).
pub(crate) fn project_param(raw: Option<&str>) -> Result<Option<Uuid>, msohub_service::Error> {
    match query_param(raw, "project").as_deref() {
        None | Some("") => Ok(None),
        Some(p) => p
            .parse::<Uuid>()
            .map(Some)
            .map_err(|_| msohub_service::Error::field("project", "project-unknown")),
    }
}

/// A report as the file asked for; JSON inline, the others as downloads
/// (HTML inline too, to be printed from the browser).
pub(crate) async fn report_response(
    services: &msohub_service::Services,
    actor: &msohub_service::Actor,
    report: Report,
    format: String,
) -> Result<Response, ApiError> {
    if format == "json" {
        return Ok(Json(report).into_response());
    }
    let file = crate::report_file::render(services, actor, report, format).await?;
    let disposition = if file.content_type.starts_with("text/html") {
        "inline"
    } else {
        "attachment"
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static(file.content_type),
            ),
            (
                header::CONTENT_DISPOSITION,
                crate::headers::disposition(disposition, &file.file_name),
            ),
        ],
        file.bytes,
    )
        .into_response())
}

#[derive(serde::Deserialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub(super) struct FinaliseInput {
    /// What this version is for (e.g. "an die Bezirksregierung").
    note: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct ReportVersionList {
    items: Vec<ReportVersion>,
}

/// Finalise the report
///
/// Freezes the report as generated now (figures and texts, German and
/// English) as the period's next numbered version. Later edits or
/// deletions of records do not change it.
#[utoipa::path(post, operation_id = "finaliseReport", path = "/api/v1/periods/{id}/report/versions", tag = "targets",
    params(("id" = Uuid, Path)), request_body = FinaliseInput,
    responses((status = 201, description = "The new version", body = ReportVersion),
        (status = 409, description = "Someone finalised at the same moment", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn finalise(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<FinaliseInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, body)?;
    let v = state
        .services
        .finalise_report(&actor, id, &input.note)
        .await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// List finalised versions
#[utoipa::path(get, operation_id = "listReportVersions", path = "/api/v1/periods/{id}/report/versions", tag = "targets",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "Newest first", body = ReportVersionList)))]
pub(super) async fn versions(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(ReportVersionList {
        items: state.services.report_versions(&actor, id).await?,
    })
    .into_response())
}

/// A finalised version
///
/// Exactly as it was frozen, in any format (`format`, `lang` as for the
/// live report).
#[utoipa::path(get, operation_id = "getReportVersion", path = "/api/v1/periods/{id}/report/versions/{number}", tag = "targets",
    params(("id" = Uuid, Path), ("number" = i32, Path), ("format" = Option<String>, Query, description = "json, html, md, pdf, docx, odt"),
        ("lang" = Option<String>, Query, description = "de or en"),
        ("project" = Option<Uuid>, Query, description = "a project's id: only its chapter")),
    responses((status = 200, description = "The frozen report", body = msohub_service::report::Report)))]
pub(super) async fn version(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, number)): Path<(Uuid, i32)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::ReadStaffArea)?;
    let (format, lang) = format_and_lang(raw.as_deref())?;
    let mut report = state
        .services
        .report_version(&actor, id, number, lang)
        .await?;
    if let Some(p) = project_param(raw.as_deref())? {
        report = report.chapter_of(p)?;
    }
    report_response(&state.services, &actor, report, format).await
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct ReportDiff {
    from: i32,
    /// A version number, or null for the report as generated now.
    to: Option<i32>,
    lines: Vec<DiffLine>,
}

/// Differences between versions
///
/// Line by line of the reports' Markdown: `from` a version `to` another
/// (default: the report as generated now).
#[utoipa::path(get, operation_id = "getReportDiff", path = "/api/v1/periods/{id}/report/diff", tag = "targets",
    params(("id" = Uuid, Path), ("from" = i32, Query), ("to" = Option<String>, Query, description = "a version number or `current`"),
        ("lang" = Option<String>, Query, description = "de or en")),
    responses((status = 200, description = "The lines, marked same, added or removed", body = ReportDiff)))]
pub(super) async fn diff(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::ReadStaffArea)?;
    let (_, lang) = format_and_lang(raw.as_deref())?;
    let from = query_param(raw.as_deref(), "from")
        .and_then(|v| v.parse::<i32>().ok())
        .ok_or_else(|| ApiError::from(msohub_service::Error::field("from", "required")))?;
    let to =
        match query_param(raw.as_deref(), "to").as_deref() {
            None | Some("" | "current") => None,
            Some(v) => Some(v.parse::<i32>().map_err(|_| {
                ApiError::from(msohub_service::Error::field("to", "number-invalid"))
            })?),
        };
    let lines = crate::report_file::diff(&state.services, &actor, id, from, to, lang).await?;
    Ok(Json(ReportDiff { from, to, lines }).into_response())
}

/// The report's texts
///
/// As stored, with their `version` (0: none saved yet).
#[utoipa::path(get, operation_id = "getReportTexts", path = "/api/v1/periods/{id}/report/texts", tag = "targets",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The texts", body = msohub_service::report::ReportTexts)))]
pub(super) async fn get_texts(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.report_texts(&actor, id).await?).into_response())
}

/// Save the report's texts
///
/// Title, introduction, outlook (of the whole report), `place`, `dated`
/// (the report's month, YYYY-MM; empty: the month it is made in),
/// `author`, `staff_names` (`named` or `anonymous`), per target id a
/// narrative (empty: the generated draft) and per project id its chapter's
/// `introduction` and `outlook` (`chapters`). Fields left out stay as they
/// are. `version` as read (0 the first time); stale → 409.
#[utoipa::path(put, operation_id = "putReportTexts", path = "/api/v1/periods/{id}/report/texts", tag = "targets",
    params(("id" = Uuid, Path)), request_body = msohub_service::report::ReportTexts,
    responses((status = 200, description = "Stored", body = msohub_service::report::ReportTexts),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "E.g. `dated` not a month (`month-invalid`), `staff_names` unknown", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn put_texts(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<serde_json::Value>, ApiError>,
) -> Result<Response, ApiError> {
    let texts = super::writer(&actor, body)?;
    Ok(Json(state.services.put_report_texts(&actor, id, &texts).await?).into_response())
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

/// Change a period
///
/// Rename it, or move its dates (`starts_on`, `ends_on`, YYYY-MM-DD) while
/// no report of it is finalised. Names are unique; periods of one kind do
/// not overlap.
#[utoipa::path(patch, operation_id = "changePeriod", path = "/api/v1/periods/{id}", tag = "targets",
    params(("id" = Uuid, Path)),
    request_body(content = PeriodChange, description = "Only the fields to change, plus `version`"),
    responses((status = 200, description = "Changed", body = Period),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused: e.g. `period-dates-finalised`, `taken`, `end-before-start`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn patch_period(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    patch: Result<ApiJson<serde_json::Value>, ApiError>,
) -> Result<Response, ApiError> {
    let patch = super::writer(&actor, patch)?;
    Ok(Json(state.services.patch_period(&actor, id, &patch).await?).into_response())
}

/// Delete a period
///
/// Only an empty one: with targets (`period-has-targets`), a finalised
/// report (`period-finalised`) or items beyond the targets that staff
/// typed, linked or changed (`period-has-beyond`) it is refused and stays.
/// Its report's draft texts go with it.
#[utoipa::path(delete, operation_id = "deletePeriod", path = "/api/v1/periods/{id}", tag = "targets",
    params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not empty", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn delete_period(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    let version = super::version_param(raw.as_deref())?;
    state.services.delete_period(&actor, id, version).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
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
/// `metric` and the date that decides whether a record counts in the period:
/// - `interactions` (with `kinds`, `statuses`, `organisation_kinds`): the
///   contact's date;
/// - `staff_attendance_rate`, `meetings_held`, `organisations_represented`
///   (with `body_id`): the meeting's date;
/// - `needs_addressed` (with `categories`, `sources`): the need's
///   `resolved_on`;
/// - `needs_raised` (with `categories`, `sources`, e.g. `portal` for needs
///   the organisations reported themselves): the need's `raised_on`;
/// - `events_held` (with `organisation_kinds`): the event's date;
/// - `offers_published` (with `organisation_kinds`): valid within the period;
/// - `manual` (with `manual_value`): the value entered.
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
