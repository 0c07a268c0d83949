//! `/api/v1/persons`: list (`q`, `limit`, `cursor`), get, create, change
//! (PATCH with `version`; stale → 409), delete (soft); affiliations and
//! consent records of a person.

use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_service::people::PersonInput;
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

#[derive(Deserialize)]
struct ListParams {
    #[serde(default)]
    q: String,
    cursor: Option<String>,
    limit: Option<u64>,
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = params.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let page = state
        .services
        .list_persons(&actor, &p.q, p.cursor.as_deref(), p.limit.unwrap_or(50))
        .await?;
    Ok(Json(page).into_response())
}

async fn get(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_person(&actor, id).await?).into_response())
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    super::ApiJson(input): super::ApiJson<PersonInput>,
) -> Result<Response, ApiError> {
    let person = state.services.create_person(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(person)).into_response())
}

async fn patch(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    super::ApiJson(body): super::ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
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

async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    state.services.delete_person(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
struct AffiliationBody {
    organisation_id: Uuid,
    role: String,
    #[serde(default)]
    from: String,
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

async fn add_affiliation(
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

#[derive(Deserialize)]
struct ConsentBody {
    purpose: String,
    given_on: String,
    source: String,
    #[serde(default)]
    expires_on: String,
}

async fn add_consent(
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
