//! Mailings in the API: staff write a mailing to a selection of persons,
//! see who it reaches (and who not, and why), test it on themselves, send
//! it, and read the archive with each recipient's delivery status. The
//! unsubscribe link works without an account.

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
use msohub_service::interactions::AttachmentInfo;
use msohub_service::mail::Delivery;
use msohub_service::mailings::{
    Mailing, MailingAudience, MailingDetail, MailingInput, Subscription,
};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/mailings", list_mailings)
        .post("/api/v1/mailings", create_mailing)
        .get("/api/v1/mailings/{id}", get_mailing)
        .put("/api/v1/mailings/{id}", update_mailing)
        .delete("/api/v1/mailings/{id}", delete_mailing)
        .get("/api/v1/mailings/{id}/audience", audience)
        .post("/api/v1/mailings/{id}/test", test_mailing)
        .post("/api/v1/mailings/{id}/send", send_mailing)
        .upload(
            "POST",
            "/api/v1/mailings/{id}/attachments",
            add_attachment,
            16 * 1024 * 1024,
        )
        .get("/api/v1/unsubscribe/{token}", subscription)
        .post("/api/v1/unsubscribe/{token}", unsubscribe)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct MailingList {
    items: Vec<Mailing>,
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub(super) struct SendBody {
    /// The version the sending is based on.
    version: i32,
}

#[derive(serde::Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub(super) struct TestBody {
    /// The language version to test (de, en, tr, ar, ru, uk); German when
    /// none is given or the mailing has no such version.
    language: Option<String>,
}

/// List mailings
#[utoipa::path(get, operation_id = "listMailings", path = "/api/v1/mailings", tag = "mailings",
    responses((status = 200, description = "Mailings, newest first, with their delivery figures", body = MailingList)))]
pub(super) async fn list_mailings(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    let items = state.services.list_mailings(&actor).await?;
    Ok(Json(MailingList { items }).into_response())
}

/// Write a mailing (a draft)
///
/// Subject and text (Markdown) in German, optional versions in en, tr,
/// ar, ru and uk (subject and text together), and the selection of
/// persons: organisation kinds, bodies (ids), languages, and persons by
/// hand (ids).
#[utoipa::path(post, operation_id = "createMailing", path = "/api/v1/mailings", tag = "mailings",
    request_body = MailingInput,
    responses((status = 201, description = "Created", body = MailingDetail)))]
pub(super) async fn create_mailing(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    body: Result<ApiJson<MailingInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, body)?;
    let mailing = state.services.create_mailing(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(mailing)).into_response())
}

/// One mailing with its archive
///
/// `recipients`: every person it went to with the message's delivery
/// status (pending, sent, failed), attempts and last error; `tests`: the
/// test sends.
#[utoipa::path(get, operation_id = "getMailing", path = "/api/v1/mailings/{id}", tag = "mailings",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The mailing", body = MailingDetail)))]
pub(super) async fn get_mailing(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_mailing(&actor, id).await?).into_response())
}

/// Change a draft
///
/// The whole mailing as it should be, with the `version` read. A sent
/// mailing stays as it went out (`mailing-sent`).
#[utoipa::path(put, operation_id = "updateMailing", path = "/api/v1/mailings/{id}", tag = "mailings",
    params(("id" = Uuid, Path)), request_body = MailingInput,
    responses((status = 200, description = "Changed", body = MailingDetail),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn update_mailing(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<MailingInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, body)?;
    Ok(Json(state.services.update_mailing(&actor, id, &input).await?).into_response())
}

/// Delete a draft
#[utoipa::path(delete, operation_id = "deleteMailing", path = "/api/v1/mailings/{id}", tag = "mailings",
    params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn delete_mailing(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<Response, ApiError> {
    state
        .services
        .delete_mailing(&actor, id, super::version_param(raw.as_deref())?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Who a mailing reaches
///
/// The persons its selection names now: who would receive it (and in
/// which language) and who not, with the reason (`no-consent`,
/// `no-email`, `same-address`).
#[utoipa::path(get, operation_id = "mailingAudience", path = "/api/v1/mailings/{id}/audience", tag = "mailings",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The audience", body = MailingAudience)))]
pub(super) async fn audience(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.mailing_audience(&actor, id).await?).into_response())
}

/// Send a mailing to oneself
///
/// One message to the caller's own address, marked "[Test]", with the
/// place of the unsubscribe link shown.
#[utoipa::path(post, operation_id = "testMailing", path = "/api/v1/mailings/{id}/test", tag = "mailings",
    params(("id" = Uuid, Path)), request_body = TestBody,
    responses((status = 202, description = "Queued", body = Delivery)))]
pub(super) async fn test_mailing(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<TestBody>, ApiError>,
) -> Result<Response, ApiError> {
    let b = super::writer(&actor, body)?;
    let lang = b.language.unwrap_or_else(|| "de".to_owned());
    let delivery = state.services.test_mailing(&actor, id, &lang).await?;
    Ok((StatusCode::ACCEPTED, Json(delivery)).into_response())
}

/// Send a mailing
///
/// One message per recipient goes into the outbox (only persons with a
/// current `mailings` consent and an e-mail address). Refused when no one
/// would receive it (`mailing-no-recipients`), when no mail server is set up
/// (`smtp-off`), or when it was sent already (`mailing-sent`).
#[utoipa::path(post, operation_id = "sendMailing", path = "/api/v1/mailings/{id}/send", tag = "mailings",
    params(("id" = Uuid, Path)), request_body = SendBody,
    responses((status = 200, description = "Sent: the mailing with its recipients", body = MailingDetail),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn send_mailing(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<SendBody>, ApiError>,
) -> Result<Response, ApiError> {
    let b = super::writer(&actor, body)?;
    Ok(Json(state.services.send_mailing(&actor, id, b.version).await?).into_response())
}

/// Attach a file to a draft
///
/// The body is the file; `name` its name. PDF, images, office documents
/// and text, at most 10 MiB for all files of the mailing together; the
/// bytes decide (`file-type`, `file-too-large`, `file-empty`).
#[utoipa::path(post, operation_id = "addMailingAttachment", path = "/api/v1/mailings/{id}/attachments", tag = "mailings",
    params(("id" = Uuid, Path), ("name" = String, Query, description = "The file's name")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file"),
    responses((status = 201, description = "Attached", body = AttachmentInfo)))]
pub(super) async fn add_attachment(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Query(p): Query<super::work::FileName>,
    bytes: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    actor.require(msohub_domain::Permission::WriteStaffArea)?;
    let bytes = bytes.map_err(|e| {
        ApiError::new(
            e.status(),
            "the file is far larger than 10 MiB (file-too-large)",
        )
    })?;
    let info = state
        .services
        .add_mailing_attachment(&actor, id, &p.name(), bytes.to_vec())
        .await?;
    Ok((StatusCode::CREATED, Json(info)).into_response())
}

/// Whether an unsubscribe link's address still gets mailings
#[utoipa::path(get, operation_id = "getSubscription", path = "/api/v1/unsubscribe/{token}", tag = "mailings",
    params(("token" = String, Path)), security(()),
    responses((status = 200, description = "The address and whether it still gets mailings", body = Subscription)))]
pub(super) async fn subscription(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.subscription(&token).await?).into_response())
}

/// Unsubscribe through the link of a mailing
///
/// Ends the person's `mailings` consent at once (withdrawn through the
/// unsubscribe link) and gives up their messages still waiting. The same
/// as the link's page and a mail client's one-click POST; doing it again
/// changes nothing.
#[utoipa::path(post, operation_id = "unsubscribe", path = "/api/v1/unsubscribe/{token}", tag = "mailings",
    params(("token" = String, Path)), security(()),
    responses((status = 200, description = "Unsubscribed", body = Subscription)))]
pub(super) async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: axum::http::request::Parts,
) -> Result<Response, ApiError> {
    let ip = parts
        .extensions
        .get::<crate::auth::ClientIp>()
        .and_then(|c| c.0.clone());
    Ok(Json(state.services.unsubscribe(&token, ip).await?).into_response())
}
