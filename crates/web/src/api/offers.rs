//! `/api/v1/offers`: the offers of the organisations and of the office, in
//! the registry's shape (list with filters and cursor; get; create; PATCH
//! with `version`, stale → 409; DELETE with `?version=`).

use super::{ApiJson, Created, Problem};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_domain::Permission;
use msohub_service::offers::{Offer, OfferInput, OfferPage};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/offers", list_offers)
        .post("/api/v1/offers", create_offer)
        .get("/api/v1/offers/{id}", get_offer)
        .patch("/api/v1/offers/{id}", patch_offer)
        .delete("/api/v1/offers/{id}", delete_offer)
}

/// List offers
///
/// By title. Filters repeat for several values.
#[utoipa::path(get, operation_id = "listOffers", path = "/api/v1/offers", tag = "offers",
    params(
        ("organisation" = Option<Uuid>, Query, description = "Only this organisation's offers"),
        ("organisation_kind" = Option<Vec<String>>, Query, description = "Only offers of organisations of these kinds (mso, public_body, …)"),
        ("status" = Option<Vec<String>>, Query, description = "active, paused, ended"),
        ("category" = Option<Vec<String>>, Query, description = "A term of the offer_category vocabulary"),
        ("public" = Option<bool>, Query, description = "Only public (true) or internal (false) ones"),
        ("q" = Option<String>, Query, description = "Words in the title (case and accents aside)"),
        ("from" = Option<String>, Query, description = "Valid on some day from this one (YYYY-MM-DD) …"),
        ("to" = Option<String>, Query, description = "… up to this one (without valid_from: created by then)"),
        ("deleted" = Option<bool>, Query, description = "Only deleted ones"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
        ("limit" = Option<u64>, Query, description = "1 to 500 (default 50)"),
    ),
    responses((status = 200, description = "One page", body = OfferPage)))]
pub(super) async fn list_offers(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = crate::pages::offers::offer_query(raw.as_deref(), 50)?;
    Ok(Json(state.services.list_offers(&actor, &q).await?).into_response())
}

/// Get an offer
#[utoipa::path(get, operation_id = "getOffer", path = "/api/v1/offers/{id}", tag = "offers",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The offer", body = Offer)))]
pub(super) async fn get_offer(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_offer(&actor, id).await?).into_response())
}

/// Create an offer
///
/// `organisation_id`, `title` and `category` are required; `cost_text`
/// with cost `amount`; street, postcode and city with location `other`; an
/// https `online_link` with location `online`. `schedule_rrule` is a
/// weekly or monthly iCalendar rule such as `FREQ=WEEKLY;BYDAY=TU`.
#[utoipa::path(post, operation_id = "createOffer", path = "/api/v1/offers", tag = "offers",
    request_body = OfferInput,
    responses((status = 201, description = "Created", body = Created)))]
pub(super) async fn create_offer(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    input: Result<ApiJson<OfferInput>, ApiError>,
) -> Result<Response, ApiError> {
    if super::portal::representative(&actor) {
        let ApiJson(input) = input?;
        let body = serde_json::to_value(&input).unwrap_or_default();
        let p = state
            .services
            .propose_new(
                &actor,
                msohub_service::portal::proposals::Entity::Offer,
                &body,
            )
            .await?;
        return Ok(super::portal::proposed(p));
    }
    let input = super::writer(&actor, input)?;
    let created = state.services.create_offer(&actor, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": created.id })),
    )
        .into_response())
}

/// Change an offer
#[utoipa::path(patch, operation_id = "changeOffer", path = "/api/v1/offers/{id}", tag = "offers",
    params(("id" = Uuid, Path)),
    request_body(content = OfferInput, description = "Only the fields to change, plus `version`"),
    responses(
        (status = 200, description = "Changed", body = Offer),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn patch_offer(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    patch: Result<ApiJson<serde_json::Value>, ApiError>,
) -> Result<Response, ApiError> {
    if super::portal::representative(&actor) {
        let ApiJson(patch) = patch?;
        let p = state
            .services
            .propose_change(
                &actor,
                msohub_service::portal::proposals::Entity::Offer,
                id,
                &patch,
            )
            .await?;
        return Ok(super::portal::proposed(p));
    }
    let patch = super::writer(&actor, patch)?;
    Ok(Json(state.services.patch_offer(&actor, id, &patch).await?).into_response())
}

/// Delete an offer
///
/// A soft delete: the offer stays on record with its history.
#[utoipa::path(delete, operation_id = "deleteOffer", path = "/api/v1/offers/{id}", tag = "offers",
    params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn delete_offer(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    let version = super::version_param(raw.as_deref())?;
    state
        .services
        .set_offer_deleted(&actor, id, version, true)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
