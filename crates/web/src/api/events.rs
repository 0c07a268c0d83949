//! `/api/v1/events`: events (Veranstaltungen) with their organisers.

use super::Path;
use super::Problem;
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::pages::organisations::pairs;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_domain::Permission;
use msohub_service::events::{Event, EventInput, EventPage, EventQuery};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/events", list_events)
        .post("/api/v1/events", create_event)
        .get("/api/v1/events/{id}", get_event)
        .patch("/api/v1/events/{id}", patch_event)
        .delete("/api/v1/events/{id}", delete_event)
}

/// The filters of the event list, from a query string (API and pages).
pub(crate) fn event_query(raw: Option<&str>) -> Result<(EventQuery, Option<String>, u64), String> {
    let mut q = EventQuery::default();
    let (mut cursor, mut limit) = (None, 50);
    for (k, v) in pairs(raw) {
        if v.is_empty() {
            continue;
        }
        match k.as_str() {
            "status" if msohub_service::events::EVENT_STATUSES.contains(&v.as_str()) => {
                q.status = Some(v)
            }
            "organisation" => q.organisation = Some(v.parse().map_err(|_| k.clone())?),
            "category" => q.category = Some(v),
            "public" => q.public = Some(v == "true"),
            "from" => q.from = Some(msohub_service::time::parse_date(&v).ok_or(k.clone())?),
            "to" => q.to = Some(msohub_service::time::parse_date(&v).ok_or(k.clone())?),
            "q" => q.text = Some(v),
            "order" => q.ascending = v == "asc",
            "cursor" => cursor = Some(v),
            "limit" => limit = v.parse().map_err(|_| k.clone())?,
            "status" => return Err(k),
            _ => {}
        }
    }
    Ok((q, cursor, limit))
}

/// The query of the event list.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(super) struct EventParams {
    /// Only events of this status.
    status: Option<String>,
    /// Only events organised by this organisation.
    organisation: Option<Uuid>,
    /// A term of the `offer_category` vocabulary.
    category: Option<String>,
    /// Only public (true) or internal (false) ones.
    public: Option<bool>,
    /// From this day.
    from: Option<chrono::NaiveDate>,
    /// Up to and including this day.
    to: Option<chrono::NaiveDate>,
    /// Words in the title.
    q: Option<String>,
    /// `desc` (default: latest first) or `asc` (soonest first).
    order: Option<String>,
    /// Opaque: the `next_cursor` of the previous page (another answers 422
    /// `cursor-invalid`).
    cursor: Option<String>,
    /// Page size, 1 to 200 (default 50); others are refused (422).
    #[param(minimum = 1, maximum = 200)]
    #[serde(deserialize_with = "super::contract::one_to::<200, _>")]
    limit: Option<u32>,
}

/// List events
///
/// Latest first (`order=asc`: soonest first). A parameter of the wrong
/// type or an unknown code answers 422 naming it.
#[utoipa::path(get, operation_id = "listEvents", path = "/api/v1/events", tag = "events",
    params(EventParams),
    responses((status = 200, description = "One page", body = EventPage)))]
pub(super) async fn list_events(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::ReadStaffArea)?;
    let p: EventParams = super::contract::query("listEvents", raw.as_deref())?;
    let categories: Vec<String> = p.category.iter().cloned().collect();
    super::contract::known_terms(&state, &actor, "category", "offer_category", &categories).await?;
    let text = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
    let q = EventQuery {
        status: text(p.status),
        organisation: p.organisation,
        category: text(p.category),
        public: p.public,
        from: p.from,
        to: p.to,
        text: text(p.q),
        deleted: false,
        ascending: p.order.as_deref() == Some("asc"),
    };
    let cursor = text(p.cursor);
    Ok(Json(
        state
            .services
            .event_page(&actor, &q, cursor.as_deref(), p.limit.map_or(50, u64::from))
            .await?,
    )
    .into_response())
}

/// Get an event
#[utoipa::path(get, operation_id = "getEvent", path = "/api/v1/events/{id}", tag = "events",
    params(("id" = Uuid, Path)), responses((status = 200, description = "The event", body = Event)))]
pub(super) async fn get_event(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_event(&actor, id).await?).into_response())
}

/// Create an event
///
/// At least one organiser; in person and hybrid need a `place`, online and
/// hybrid an `online_link`; a held event cannot lie in the future, a
/// cancelled one needs a `cancel_reason`; the end not before the start.
#[utoipa::path(post, operation_id = "createEvent", path = "/api/v1/events", tag = "events",
    request_body = EventInput, responses((status = 201, description = "Created", body = Event)))]
pub(super) async fn create_event(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    input: Result<super::ApiJson<EventInput>, ApiError>,
) -> Result<Response, ApiError> {
    if super::portal::representative(&actor) {
        let super::ApiJson(input) = input?;
        let body = serde_json::to_value(&input).unwrap_or_default();
        let p = state
            .services
            .propose_new(
                &actor,
                msohub_service::portal::proposals::Entity::Event,
                &body,
            )
            .await?;
        return Ok(super::portal::proposed(p));
    }
    let input = super::writer(&actor, input)?;
    Ok((
        StatusCode::CREATED,
        Json(state.services.create_event(&actor, &input).await?),
    )
        .into_response())
}

/// Change an event
#[utoipa::path(patch, operation_id = "changeEvent", path = "/api/v1/events/{id}", tag = "events",
    params(("id" = Uuid, Path)),
    request_body(content = EventInput, description = "Only the fields to change, plus `version`"),
    responses((status = 200, description = "Changed", body = Event),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn patch_event(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    patch: Result<super::ApiJson<serde_json::Value>, ApiError>,
) -> Result<Response, ApiError> {
    if super::portal::representative(&actor) {
        let super::ApiJson(patch) = patch?;
        let p = state
            .services
            .propose_change(
                &actor,
                msohub_service::portal::proposals::Entity::Event,
                id,
                &patch,
            )
            .await?;
        return Ok(super::portal::proposed(p));
    }
    let patch = super::writer(&actor, patch)?;
    Ok(Json(state.services.patch_event(&actor, id, &patch).await?).into_response())
}

/// Delete an event
#[utoipa::path(delete, operation_id = "deleteEvent", path = "/api/v1/events/{id}", tag = "events",
    params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn delete_event(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    state
        .services
        .delete_event(&actor, id, super::version_param(raw.as_deref())?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
