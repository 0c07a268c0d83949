//! `/api/v1/offers`: the offers of the organisations and of the office, in
//! the registry's shape (list with filters and cursor; get; create; PATCH
//! with `version`, stale → 409; DELETE with `?version=`).

use super::Path;
use super::{ApiJson, Created, Problem};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_domain::Permission;
use msohub_service::offers::{Offer, OfferInput, OfferPage, OfferQuery};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/offers", list_offers)
        .post("/api/v1/offers", create_offer)
        .get("/api/v1/offers/{id}", get_offer)
        .patch("/api/v1/offers/{id}", patch_offer)
        .delete("/api/v1/offers/{id}", delete_offer)
}

/// The query of the offer list.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(super) struct OfferParams {
    /// Only this organisation's offers.
    organisation: Option<Uuid>,
    /// Only offers of organisations of these kinds; repeatable.
    organisation_kind: Vec<String>,
    /// Statuses; repeatable.
    status: Vec<String>,
    /// Terms of the `offer_category` vocabulary; repeatable.
    category: Vec<String>,
    /// Only public (true) or internal (false) ones.
    public: Option<bool>,
    /// Words in the title (case and accents aside; the first 200
    /// characters count).
    q: Option<String>,
    /// Valid on some day from this one …
    from: Option<chrono::NaiveDate>,
    /// … up to this one (without valid_from: created by then).
    to: Option<chrono::NaiveDate>,
    /// Only deleted ones.
    deleted: bool,
    /// Opaque: the `next_cursor` of the previous page (another answers 422
    /// `cursor-invalid`).
    cursor: Option<String>,
    /// Page size, 1 to 500 (default 50); others are refused (422).
    #[param(minimum = 1, maximum = 500)]
    #[serde(deserialize_with = "super::contract::limit")]
    limit: Option<u32>,
}

/// List offers
///
/// By title. Filters repeat for several values. A parameter of the wrong
/// type or an unknown code answers 422 naming it.
#[utoipa::path(get, operation_id = "listOffers", path = "/api/v1/offers", tag = "offers",
    params(OfferParams),
    responses((status = 200, description = "One page", body = OfferPage)))]
pub(super) async fn list_offers(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p: OfferParams = super::contract::query("listOffers", raw.as_deref())?;
    super::contract::known_terms(&state, &actor, "category", "offer_category", &p.category).await?;
    let q = OfferQuery {
        organisation: p.organisation,
        organisation_kinds: super::contract::filled(p.organisation_kind),
        statuses: super::contract::filled(p.status),
        categories: super::contract::filled(p.category),
        public: p.public,
        text: p.q.unwrap_or_default().trim().chars().take(200).collect(),
        from: p.from,
        to: p.to,
        deleted: p.deleted,
        cursor: p.cursor.filter(|c| !c.trim().is_empty()),
        limit: p.limit.map_or(50, u64::from),
    };
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
