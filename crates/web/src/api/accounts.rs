//! `/api/v1/me`, `/api/v1/users`, `/api/v1/tokens`.

use super::ApiJson;
use super::Path;
use super::Problem;
use super::{Me, TokenList, UserList};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::routes::Routes;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_service::accounts::{NewApiToken, NewUser, User, UserChange};
use serde::Deserialize;
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/me", me)
        .post("/api/v1/account/password", change_password)
        .get("/api/v1/users", list_users)
        .post("/api/v1/users", create_user)
        .get("/api/v1/users/{id}", get_user)
        .patch("/api/v1/users/{id}", update_user)
        .get("/api/v1/tokens", list_tokens)
        .post("/api/v1/tokens", create_token)
        .delete("/api/v1/tokens/{id}", revoke_token)
}

/// Who is calling
#[utoipa::path(get, operation_id = "me", path = "/api/v1/me", tag = "accounts",
    responses((status = 200, description = "The caller", body = Me)))]
pub(super) async fn me(CurrentUser(actor): CurrentUser) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "id": actor.user_id,
        "email": actor.email,
        "display_name": actor.display_name,
        "role": actor.role,
        "organisation_id": actor.organisation_id,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct ChangePassword {
    current_password: String,
    new_password: String,
}

/// Change one's own password
///
/// The caller's new password (at least 12 characters). The only operation an
/// account that must change its one-time password may use; the caller's
/// other sessions end.
#[utoipa::path(post, operation_id = "changeOwnPassword", path = "/api/v1/account/password", tag = "accounts",
    request_body = ChangePassword,
    responses(
        (status = 204, description = "Changed"),
        (status = 422, description = "Current password wrong or new one too weak", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords; wait", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn change_password(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    auth: axum::Extension<crate::auth::Auth>,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<Response, ApiError> {
    state
        .services
        .change_own_password(
            &actor,
            &body.current_password,
            &body.new_password,
            auth.session_token.as_deref(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// List users
///
/// All user accounts (admins).
#[utoipa::path(get, operation_id = "listUsers", path = "/api/v1/users", tag = "accounts",
    responses((status = 200, description = "All users", body = UserList)))]
pub(super) async fn list_users(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    let users = state.services.list_users(&actor).await?;
    Ok(Json(serde_json::json!({ "items": users, "next_cursor": null })).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct CreateUser {
    email: String,
    display_name: String,
    role: String,
    organisation_id: Option<Uuid>,
    password: Option<String>,
    /// How an anonymous report names the person: `f` ("eine Mitarbeiterin
    /// des KI"), `m` ("ein Mitarbeiter des KI"), empty or left out: "eine
    /// Person aus dem KI-Team".
    #[serde(default)]
    form_of_address: String,
}

/// Create a user
///
/// Creates a user (admins). Without `password`, a one-time password is
/// returned once, as `one_time_password`.
#[utoipa::path(post, operation_id = "createUser", path = "/api/v1/users", tag = "accounts",
    request_body = CreateUser,
    responses((status = 201, description = "Created", body = User)))]
pub(super) async fn create_user(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(body): ApiJson<CreateUser>,
) -> Result<Response, ApiError> {
    let (user, one_time_password) = state
        .services
        .create_user(
            &actor,
            NewUser {
                email: body.email,
                display_name: body.display_name,
                role: body.role,
                organisation_id: body.organisation_id,
                password: body.password,
                form_of_address: body.form_of_address,
            },
        )
        .await?;
    let mut value = serde_json::to_value(&user).unwrap_or_default();
    if let Some(p) = one_time_password {
        value["one_time_password"] = serde_json::Value::String(p);
    }
    Ok((StatusCode::CREATED, Json(value)).into_response())
}

/// Get a user
///
/// One user (admins).
#[utoipa::path(get, operation_id = "getUser", path = "/api/v1/users/{id}", tag = "accounts",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The user", body = User)))]
pub(super) async fn get_user(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_user(&actor, id).await?).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct PatchUser {
    version: i32,
    display_name: Option<String>,
    role: Option<String>,
    #[serde(default, with = "double_option")]
    organisation_id: Option<Option<Uuid>>,
    disabled: Option<bool>,
    /// `f`, `m` or empty (see creating a user).
    form_of_address: Option<String>,
}

/// `null` (clear) and absent (keep) are different for a PATCH.
mod double_option {
    use serde::{Deserialize, Deserializer};
    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// Change a user
///
/// Changes a user (admins): name, role, organisation, disabled, form of
/// address for the report (`f`, `m` or empty; another value is refused
/// with `choice-unknown`). `version`
/// is required (stale → 409).
#[utoipa::path(patch, operation_id = "changeUser", path = "/api/v1/users/{id}", tag = "accounts",
    params(("id" = Uuid, Path)),
    request_body = PatchUser,
    responses(
        (status = 200, description = "Changed", body = User),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub(super) async fn update_user(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<PatchUser>,
) -> Result<Response, ApiError> {
    let change = UserChange {
        display_name: body.display_name,
        role: body.role,
        organisation_id: body.organisation_id,
        disabled: body.disabled,
        form_of_address: body.form_of_address,
        version: body.version,
    };
    Ok(Json(state.services.update_user(&actor, id, change).await?).into_response())
}

/// List API tokens
///
/// The caller's API tokens (admins: all).
#[utoipa::path(get, operation_id = "listTokens", path = "/api/v1/tokens", tag = "accounts",
    responses((status = 200, description = "Tokens, without secrets", body = TokenList)))]
pub(super) async fn list_tokens(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    let tokens = state.services.list_tokens(&actor).await?;
    Ok(Json(serde_json::json!({ "items": tokens, "next_cursor": null })).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct CreateToken {
    name: String,
}

/// Create an API token
///
/// Creates an API token for the caller; the secret is in the answer once.
#[utoipa::path(post, operation_id = "createToken", path = "/api/v1/tokens", tag = "accounts",
    request_body = CreateToken,
    responses((status = 201, description = "Created; keep `secret`", body = NewApiToken)))]
pub(super) async fn create_token(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(body): ApiJson<CreateToken>,
) -> Result<Response, ApiError> {
    let owner = actor.user()?;
    let created = state
        .services
        .create_token(&actor, owner, &body.name)
        .await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Revoke an API token
///
/// Revokes a token.
#[utoipa::path(delete, operation_id = "revokeToken", path = "/api/v1/tokens/{id}", tag = "accounts",
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Revoked")))]
pub(super) async fn revoke_token(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    state.services.revoke_token(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
