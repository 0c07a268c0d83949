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
use msohub_service::mail::Delivery;
use msohub_service::surveys::answers::{OrganisationSurvey, SurveyAnswer, SurveyAnswerInput};
use msohub_service::surveys::links::{
    OrganisationLink, SurveyLink, SurveyMailing, SurveyRecipient,
};
use msohub_service::surveys::needs::{NeedFromAnswer, NeedFromAnswerInput};
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
        .get("/api/v1/surveys/{id}/links", survey_links)
        .get("/api/v1/surveys/{id}/links/{organisation}", survey_link)
        .post(
            "/api/v1/surveys/{id}/links/{organisation}/renew",
            renew_survey_link,
        )
        .post("/api/v1/surveys/{id}/invite", invite)
        .post("/api/v1/surveys/{id}/remind", remind)
        .get("/api/v1/surveys/{id}/deliveries", deliveries)
        .get("/api/v1/surveys/{id}/recipients", recipients)
        .post(
            "/api/v1/surveys/{id}/answers/{organisation}/needs",
            need_from_answer,
        )
        .get("/api/v1/survey-links/{token}", link_survey)
        .put("/api/v1/survey-links/{token}", link_answer)
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

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct DeliveryList {
    items: Vec<Delivery>,
}

/// An organisation's personal link to a survey
///
/// For organisations without portal accounts: whoever holds the link can
/// answer for the organisation, without an account, while the survey is
/// open. Reading it is recorded in the audit log.
#[utoipa::path(get, operation_id = "getSurveyLink", path = "/api/v1/surveys/{id}/links/{organisation}", tag = "surveys",
    params(("id" = Uuid, Path), ("organisation" = Uuid, Path)),
    responses((status = 200, description = "The link", body = SurveyLink)))]
pub(super) async fn survey_link(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, organisation)): Path<(Uuid, Uuid)>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.survey_link(&actor, id, organisation).await?).into_response())
}

/// Replace an organisation's personal link
///
/// The earlier link stops working at once (for a link that reached the
/// wrong hands).
#[utoipa::path(post, operation_id = "renewSurveyLink", path = "/api/v1/surveys/{id}/links/{organisation}/renew", tag = "surveys",
    params(("id" = Uuid, Path), ("organisation" = Uuid, Path)),
    responses((status = 200, description = "The new link", body = SurveyLink)))]
pub(super) async fn renew_survey_link(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, organisation)): Path<(Uuid, Uuid)>,
) -> Result<Response, ApiError> {
    Ok(Json(
        state
            .services
            .renew_survey_link(&actor, id, organisation)
            .await?,
    )
    .into_response())
}

/// E-mail the survey's invitation
///
/// To every organisation it went to that was not written to yet:
/// representatives get the survey in the portal, organisations without
/// portal accounts their personal link (at their own address and to their
/// people with the `contact` consent). Needs a mail server and an open
/// survey.
#[utoipa::path(post, operation_id = "inviteToSurvey", path = "/api/v1/surveys/{id}/invite", tag = "surveys",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "Queued", body = SurveyMailing)))]
pub(super) async fn invite(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.mail_survey(&actor, id, false).await?).into_response())
}

/// Remind those who have not answered
///
/// Organisations invited by e-mail that have not answered, each at most
/// as often as the survey's reminder limit.
#[utoipa::path(post, operation_id = "remindSurvey", path = "/api/v1/surveys/{id}/remind", tag = "surveys",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "Queued", body = SurveyMailing)))]
pub(super) async fn remind(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.mail_survey(&actor, id, true).await?).into_response())
}

/// The survey's e-mails and their delivery
#[utoipa::path(get, operation_id = "surveyDeliveries", path = "/api/v1/surveys/{id}/deliveries", tag = "surveys",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "Invitations and reminders, newest first", body = DeliveryList)))]
pub(super) async fn deliveries(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let items = state.services.survey_deliveries(&actor, id).await?;
    Ok(Json(DeliveryList { items }).into_response())
}

/// Take a need from an answer
///
/// The organisation's answer to `question` becomes a need (source
/// `survey`, linked to the answer). Once per answer and question: 201 when
/// made, 200 with the need made before.
#[utoipa::path(post, operation_id = "needFromSurveyAnswer", path = "/api/v1/surveys/{id}/answers/{organisation}/needs", tag = "surveys",
    params(("id" = Uuid, Path), ("organisation" = Uuid, Path)), request_body = NeedFromAnswerInput,
    responses((status = 201, description = "Made", body = NeedFromAnswer),
        (status = 200, description = "Made before", body = NeedFromAnswer)))]
pub(super) async fn need_from_answer(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, organisation)): Path<(Uuid, Uuid)>,
    body: Result<ApiJson<NeedFromAnswerInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, body)?;
    let made = state
        .services
        .need_from_answer(&actor, id, organisation, &input)
        .await?;
    let status = if made.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(made)).into_response())
}

/// A survey through an organisation's personal link
///
/// No account: the link's token is the credential. 404 for a link that is
/// malformed or was replaced; once the survey closed, without the answer.
#[utoipa::path(get, operation_id = "getSurveyByLink", path = "/api/v1/survey-links/{token}", tag = "surveys",
    params(("token" = String, Path)), security(()),
    responses((status = 200, description = "The survey and the organisation's answer", body = OrganisationSurvey)))]
pub(super) async fn link_survey(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    // Not kept by any cache: `headers::security_headers` (all of /api/).
    Ok(Json(state.services.survey_by_link(&token).await?).into_response())
}

/// Answer a survey through an organisation's personal link
#[utoipa::path(put, operation_id = "putSurveyAnswerByLink", path = "/api/v1/survey-links/{token}", tag = "surveys",
    params(("token" = String, Path)), request_body = SurveyAnswerInput, security(()),
    responses((status = 200, description = "Stored", body = SurveyAnswer),
        (status = 409, description = "Answered by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn link_answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: axum::http::request::Parts,
    body: Result<ApiJson<SurveyAnswerInput>, ApiError>,
) -> Result<Response, ApiError> {
    let ApiJson(input) = body?;
    Ok(Json(
        state
            .services
            .answer_by_link(
                &token,
                &input,
                parts
                    .extensions
                    .get::<crate::auth::ClientIp>()
                    .and_then(|c| c.0.clone()),
            )
            .await?,
    )
    .into_response())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct RecipientList {
    items: Vec<SurveyRecipient>,
}

/// The organisations a survey went to
///
/// By name, each with the date of its answer, of the e-mailed invitation
/// and the reminders sent.
#[utoipa::path(get, operation_id = "surveyRecipients", path = "/api/v1/surveys/{id}/recipients", tag = "surveys",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The recipients", body = RecipientList)))]
pub(super) async fn recipients(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let items = state.services.survey_recipients_of(&actor, id).await?;
    Ok(Json(RecipientList { items }).into_response())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct LinkList {
    items: Vec<OrganisationLink>,
}

/// Every organisation's personal link to a survey
///
/// For offices that pass links on by hand (by messenger, on paper). Whoever
/// holds a link answers for its organisation while the survey is open;
/// reading them is recorded in the audit log.
#[utoipa::path(get, operation_id = "listSurveyLinks", path = "/api/v1/surveys/{id}/links", tag = "surveys",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The links, by organisation", body = LinkList)))]
pub(super) async fn survey_links(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let items = state.services.survey_links(&actor, id).await?;
    Ok(Json(LinkList { items }).into_response())
}
