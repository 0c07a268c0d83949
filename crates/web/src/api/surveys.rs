//! Needs surveys in the API: staff build a survey, send it to a selection
//! of organisations and read the results; an organisation's answer is
//! written by its representatives (or by staff from a paper form).

use super::Path;
use super::{ApiJson, Problem};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::query::Query;
use crate::routes::Routes;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_service::surveys::answers::{OrganisationSurvey, SurveyAnswer, SurveyAnswerInput};
use msohub_service::surveys::results::{ResultFilter, SurveyResults};
use msohub_service::surveys::{Selection, Survey, SurveyInput};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/surveys", list_surveys)
        .post("/api/v1/surveys", create_survey)
        .get("/api/v1/surveys/{id}", get_survey)
        .put("/api/v1/surveys/{id}", update_survey)
        .delete("/api/v1/surveys/{id}", delete_survey)
        .post("/api/v1/surveys/{id}/send", send_survey)
        .get("/api/v1/surveys/{id}/results", survey_results)
        .get("/api/v1/surveys/{id}/export/{format}", export_answers)
        .get(
            "/api/v1/surveys/{id}/answers/{organisation}",
            organisation_survey,
        )
        .put("/api/v1/surveys/{id}/answers/{organisation}", put_answer)
        .get("/api/v1/portal/surveys", portal_surveys)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct SurveyList {
    items: Vec<Survey>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct OrganisationSurveyList {
    items: Vec<OrganisationSurvey>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct Sent {
    survey: Survey,
    /// Organisations added by this sending (those it already went to are
    /// not counted again).
    added: u64,
}

/// List surveys
#[utoipa::path(get, operation_id = "listSurveys", path = "/api/v1/surveys", tag = "surveys",
    responses((status = 200, description = "Surveys, newest first", body = SurveyList)))]
pub(super) async fn list_surveys(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    let items = state.services.list_surveys(&actor).await?;
    Ok(Json(SurveyList { items }).into_response())
}

/// Create a survey (a draft)
#[utoipa::path(post, operation_id = "createSurvey", path = "/api/v1/surveys", tag = "surveys",
    request_body = SurveyInput,
    responses((status = 201, description = "Created", body = Survey)))]
pub(super) async fn create_survey(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    body: Result<ApiJson<SurveyInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, body)?;
    let survey = state.services.create_survey(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(survey)).into_response())
}

/// One survey
#[utoipa::path(get, operation_id = "getSurvey", path = "/api/v1/surveys/{id}", tag = "surveys",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The survey", body = Survey)))]
pub(super) async fn get_survey(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_survey(&actor, id).await?).into_response())
}

/// Change a survey
///
/// The whole survey as it should be, with the `version` read. Once sent,
/// only wording, translations, dates and the reminder limit can change.
#[utoipa::path(put, operation_id = "updateSurvey", path = "/api/v1/surveys/{id}", tag = "surveys",
    params(("id" = Uuid, Path)), request_body = SurveyInput,
    responses((status = 200, description = "Changed", body = Survey),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn update_survey(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<SurveyInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, body)?;
    Ok(Json(state.services.update_survey(&actor, id, &input).await?).into_response())
}

/// Delete a survey
#[utoipa::path(delete, operation_id = "deleteSurvey", path = "/api/v1/surveys/{id}", tag = "surveys",
    params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn delete_survey(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<Response, ApiError> {
    state
        .services
        .delete_survey(&actor, id, super::version_param(raw.as_deref())?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Send a survey to a selection of organisations
///
/// Organisations matching every filter given (kinds, topics, districts,
/// languages, bodies), plus those picked by hand. Sending again adds
/// organisations; a draft becomes sent.
#[utoipa::path(post, operation_id = "sendSurvey", path = "/api/v1/surveys/{id}/send", tag = "surveys",
    params(("id" = Uuid, Path)), request_body = Selection,
    responses((status = 200, description = "Sent", body = Sent),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn send_survey(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<Selection>, ApiError>,
) -> Result<Response, ApiError> {
    let selection = super::writer(&actor, body)?;
    let (survey, added) = state.services.send_survey(&actor, id, &selection).await?;
    Ok(Json(Sent { survey, added }).into_response())
}

/// A survey's results
///
/// Per question: counts and percentages, means, and the text answers with
/// their organisation; the answer rate. Optionally only organisations of
/// one kind or district.
#[utoipa::path(get, operation_id = "surveyResults", path = "/api/v1/surveys/{id}/results", tag = "surveys",
    params(("id" = Uuid, Path), ResultFilter),
    responses((status = 200, description = "The results", body = SurveyResults)))]
pub(super) async fn survey_results(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Query(filter): Query<ResultFilter>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.survey_results(&actor, id, &filter).await?).into_response())
}

/// A survey as one organisation it went to sees it, with its answer
#[utoipa::path(get, operation_id = "getSurveyAnswer", path = "/api/v1/surveys/{id}/answers/{organisation}", tag = "surveys",
    params(("id" = Uuid, Path), ("organisation" = Uuid, Path)),
    responses((status = 200, description = "The survey and the organisation's answer", body = OrganisationSurvey)))]
pub(super) async fn organisation_survey(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, organisation)): Path<(Uuid, Uuid)>,
) -> Result<Response, ApiError> {
    Ok(Json(
        state
            .services
            .organisation_survey(&actor, id, organisation)
            .await?,
    )
    .into_response())
}

/// Answer a survey for an organisation
///
/// By a representative of the organisation (or staff). `version`: 0 for
/// the first answer, else the version read; answers can change until the
/// survey closes.
#[utoipa::path(put, operation_id = "putSurveyAnswer", path = "/api/v1/surveys/{id}/answers/{organisation}", tag = "surveys",
    params(("id" = Uuid, Path), ("organisation" = Uuid, Path)), request_body = SurveyAnswerInput,
    responses((status = 200, description = "Stored", body = SurveyAnswer),
        (status = 409, description = "Answered by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn put_answer(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, organisation)): Path<(Uuid, Uuid)>,
    body: Result<ApiJson<SurveyAnswerInput>, ApiError>,
) -> Result<Response, ApiError> {
    let ApiJson(input) = body?;
    Ok(Json(
        state
            .services
            .answer_survey(&actor, id, organisation, &input)
            .await?,
    )
    .into_response())
}

/// The surveys sent to the representative's organisations
#[utoipa::path(get, operation_id = "portalSurveys", path = "/api/v1/portal/surveys", tag = "portal",
    responses((status = 200, description = "Surveys with each organisation's answer", body = OrganisationSurveyList)))]
pub(super) async fn portal_surveys(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    let items = state.services.portal_surveys(&actor).await?;
    Ok(Json(OrganisationSurveyList { items }).into_response())
}

/// Every answer of a survey as a spreadsheet
///
/// `format`: `xlsx` or `csv` (German Excel: semicolon, BOM). One row per
/// organisation it went to (also those that have not answered), one
/// column per question; choices by their German label. Recorded in the
/// audit log.
#[utoipa::path(get, operation_id = "exportSurveyAnswers", path = "/api/v1/surveys/{id}/export/{format}", tag = "surveys",
    params(("id" = Uuid, Path), ("format" = String, Path)),
    responses((status = 200, description = "The answers",
        content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv")))))]
pub(super) async fn export_answers(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, format)): Path<(Uuid, String)>,
) -> Result<Response, ApiError> {
    use axum::http::{HeaderValue, header};
    use msohub_service::surveys::results::AnswersFormat;
    let format = AnswersFormat::parse(&format)
        .ok_or_else(|| msohub_service::Error::field("format", "choice-unknown"))?;
    let (name, bytes) = state
        .services
        .export_survey_answers(&actor, id, format)
        .await?;
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        crate::headers::disposition("attachment", &name),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
