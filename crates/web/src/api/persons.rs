//! `/api/v1/persons`: list (`q`, `limit`, `cursor`), get, create, change
//! (PATCH with `version`; stale → 409), delete (soft); affiliations and
//! consent records of a person.

use super::Path;
use super::{Created, Problem};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::query::Query;
use crate::routes::Routes;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_service::people::{Person, PersonInput, PersonPage};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/persons", list)
        .post("/api/v1/persons", create)
        .get("/api/v1/persons/{id}", get)
        .patch("/api/v1/persons/{id}", patch)
        .delete("/api/v1/persons/{id}", delete)
        .post("/api/v1/persons/{id}/affiliations", add_affiliation)
        .post("/api/v1/persons/{id}/consents", add_consent)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ListParams {
    /// Search text.
    #[serde(default)]
    q: String,
    /// Opaque: the `next_cursor` of the previous page (another answers 422
    /// `cursor-invalid`).
    cursor: Option<String>,
    /// Page size, 1 to 500 (default 50); others are refused (422).
    #[param(minimum = 1, maximum = 500)]
    #[serde(default, deserialize_with = "super::contract::limit")]
    limit: Option<u32>,
}

/// List persons
///
/// Lists persons (`q` searches names and e-mail addresses).
#[utoipa::path(get, operation_id = "listPersons", path = "/api/v1/persons", tag = "persons",
    params(ListParams),
    responses((status = 200, description = "One page", body = PersonPage)))]
pub(super) async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(p): Query<ListParams>,
) -> Result<Response, ApiError> {
    let page = state
        .services
        .list_persons(
            &actor,
            &p.q,
            p.cursor.as_deref(),
            p.limit.map_or(50, u64::from),
        )
        .await?;
    Ok(Json(page).into_response())
}

/// Get a person
///
/// One person with affiliations and consent records.
#[utoipa::path(get, operation_id = "getPerson", path = "/api/v1/persons/{id}", tag = "persons",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The person", body = Person)))]
pub(super) async fn get(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_person(&actor, id).await?).into_response())
}

/// Create a person
///
/// Creates a person.
#[utoipa::path(post, operation_id = "createPerson", path = "/api/v1/persons", tag = "persons",
    request_body = PersonInput,
    responses((status = 201, description = "Created", body = Person)))]
pub(super) async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    super::ApiJson(input): super::ApiJson<PersonInput>,
) -> Result<Response, ApiError> {
    let person = state.services.create_person(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(person)).into_response())
}

/// Change a person
///
/// Changes the fields given; `version` is required (stale → 409).
#[utoipa::path(patch, operation_id = "changePerson", path = "/api/v1/persons/{id}", tag = "persons",
    params(("id" = Uuid, Path)),
    request_body(content = PersonInput, description = "Only the fields to change, plus `version`"),
    responses(
        (status = 200, description = "Changed", body = Person),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn patch(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    super::ApiJson(body): super::ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    if super::portal::representative(&actor) {
        let p = state
            .services
            .propose_change(
                &actor,
                msohub_service::portal::proposals::Entity::Person,
                id,
                &body,
            )
            .await?;
        return Ok(super::portal::proposed(p));
    }
    actor.require(msohub_domain::Permission::WriteStaffArea)?;
    let current = state.services.get_person(&actor, id).await?;
    let mut merged = serde_json::to_value(PersonInput::of(&current)).unwrap_or_default();
    let Some(patch) = body.as_object() else {
        return Err(ApiError::bad_request("the body must be a JSON object"));
    };
    if !patch.contains_key("version") {
        return Err(
            msohub_service::Error::Validation(vec![msohub_service::FieldError {
                field: "version".into(),
                rule: "required".into(),
            }])
            .into(),
        );
    }
    for (k, v) in patch {
        let value = match v {
            serde_json::Value::Array(items) => serde_json::Value::String(
                items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            other => other.clone(),
        };
        merged[k] = value;
    }
    let input: PersonInput =
        serde_json::from_value(merged).map_err(|e| ApiError::bad_request(e.to_string()))?;
    Ok(Json(state.services.update_person(&actor, id, &input).await?).into_response())
}

/// Delete a person
///
/// Deletes a person (softly).
#[utoipa::path(delete, operation_id = "deletePerson", path = "/api/v1/persons/{id}", tag = "persons",
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted")))]
pub(super) async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    state.services.delete_person(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct AffiliationBody {
    organisation_id: Uuid,
    /// For example "Vorsitz", "Kontaktperson".
    role: String,
    /// YYYY-MM-DD
    #[serde(default)]
    from: String,
    /// YYYY-MM-DD
    #[serde(default)]
    to: String,
}

/// Checks the role before looking at the body, so a caller without the
/// right learns nothing from validation messages.
fn writer_body<T: serde::de::DeserializeOwned>(
    actor: &msohub_service::Actor,
    body: serde_json::Value,
) -> Result<T, ApiError> {
    actor.require(msohub_domain::Permission::WriteStaffArea)?;
    serde_json::from_value(body)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))
}

/// Add an affiliation
///
/// Records that the person acts for an organisation (role, from, to).
#[utoipa::path(post, operation_id = "addAffiliation", path = "/api/v1/persons/{id}/affiliations", tag = "persons",
    params(("id" = Uuid, Path)),
    request_body = AffiliationBody,
    responses((status = 201, description = "Created", body = Created)))]
pub(super) async fn add_affiliation(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    super::ApiJson(body): super::ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    let b: AffiliationBody = writer_body(&actor, body)?;
    let aid = state
        .services
        .add_affiliation(&actor, id, b.organisation_id, &b.role, &b.from, &b.to)
        .await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": aid }))).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct ConsentBody {
    /// contact, public_listing or mailings
    purpose: String,
    /// YYYY-MM-DD
    given_on: String,
    /// How it was given, e.g. "Formular vom 3.5."
    source: String,
    /// YYYY-MM-DD; empty for no expiry
    #[serde(default)]
    expires_on: String,
}

/// Record a consent
///
/// Records a consent (purpose, date, source, expiry).
#[utoipa::path(post, operation_id = "addConsent", path = "/api/v1/persons/{id}/consents", tag = "persons",
    params(("id" = Uuid, Path)),
    request_body = ConsentBody,
    responses((status = 201, description = "Created", body = Created)))]
pub(super) async fn add_consent(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    super::ApiJson(body): super::ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    let b: ConsentBody = writer_body(&actor, body)?;
    let cid = state
        .services
        .record_consent(
            &actor,
            id,
            &b.purpose,
            &b.given_on,
            &b.source,
            &b.expires_on,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": cid }))).into_response())
}
