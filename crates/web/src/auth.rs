//! Who is asking: resolves the session cookie or the `Authorization: Bearer`
//! token of every request into an [`Auth`] extension, and offers the
//! extractors handlers use ([`CurrentUser`], [`MaybeUser`]).
//!
//! Pages redirect an anonymous visitor to the sign-in page (saying so when a
//! session timed out); the API answers 401 with problem+json. A user who must
//! change a one-time password is sent to do that before anything else.

use crate::AppState;
use crate::api_error::ApiError;
use crate::page::encode_query;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_service::Actor;
use msohub_service::accounts::SessionState;
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "msohub_session";

/// The outcome of authentication, stored in the request's extensions.
#[derive(Clone, Default)]
pub struct Auth {
    pub actor: Option<Actor>,
    /// The raw session token (to sign out, or keep this session on a
    /// password change).
    pub session_token: Option<String>,
    pub expired: bool,
    pub pending_second_factor: bool,
}

/// The client's address: the socket peer, or with `trust_proxy` the last
/// hop of `X-Forwarded-For` (the one our proxy appended).
#[derive(Clone, Debug)]
pub struct ClientIp(pub Option<String>);

fn client_ip(request: &Request, trust_proxy: bool) -> Option<String> {
    if trust_proxy
        && let Some(forwarded) = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
    {
        return Some(forwarded.trim().to_owned());
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Middleware: authenticates every request.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let ip = client_ip(&request, state.config.trust_proxy);
    request.extensions_mut().insert(ClientIp(ip.clone()));
    let mut auth = Auth::default();
    if let Some(token) = bearer(request.headers()) {
        match state.services.authenticate_token(token, ip).await {
            Ok(Some(actor)) => auth.actor = Some(actor),
            Ok(None) => {
                return ApiError::unauthorized("the API token is invalid or has been revoked")
                    .into_response();
            }
            Err(err) => return ApiError::from(err).into_response(),
        }
    } else if let Some(token) =
        crate::i18n::cookie(request.headers(), SESSION_COOKIE).map(str::to_owned)
    {
        match state.services.session(&token, ip).await {
            Ok(SessionState::Active(actor)) => {
                auth.actor = Some(*actor);
                auth.session_token = Some(token);
            }
            Ok(SessionState::PendingSecondFactor) => {
                auth.pending_second_factor = true;
                auth.session_token = Some(token);
            }
            Ok(SessionState::Expired) => auth.expired = true,
            Ok(SessionState::Invalid) => {}
            Err(err) => {
                tracing::error!(error = %err, "resolving a session failed");
            }
        }
    }
    request.extensions_mut().insert(auth);
    next.run(request).await
}

/// A signed-in user, required. Rejects anonymous requests.
pub struct CurrentUser(pub Actor);

/// A signed-in user, if any.
pub struct MaybeUser(pub Option<Actor>);

fn is_api(parts: &Parts) -> bool {
    parts.uri.path().starts_with("/api/")
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let auth = parts.extensions.get::<Auth>().cloned().unwrap_or_default();
        let path = parts.uri.path();
        match auth.actor {
            Some(actor) => {
                if actor.must_change_password {
                    if is_api(parts) && path != "/api/v1/account/password" {
                        return Err(ApiError::new(
                            axum::http::StatusCode::FORBIDDEN,
                            "the account's one-time password must be changed first: \
                             POST /api/v1/account/password with current_password and new_password",
                        )
                        .into_response());
                    }
                    if !is_api(parts) && path != "/app/account/password" && path != "/logout" {
                        return Err(Redirect::to("/app/account/password").into_response());
                    }
                }
                Ok(CurrentUser(actor))
            }
            None if is_api(parts) => Err(ApiError::unauthorized(
                "sign in, or send an API token as Authorization: Bearer …",
            )
            .into_response()),
            None => {
                if auth.pending_second_factor {
                    return Err(Redirect::to("/login/totp").into_response());
                }
                let next = parts
                    .uri
                    .path_and_query()
                    .map_or_else(|| "/app/".to_owned(), |pq| pq.as_str().to_owned());
                let mut target = format!("/login?next={}", encode_query(&next));
                if auth.expired {
                    target.push_str("&expired=1");
                }
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(
            parts.extensions.get::<Auth>().and_then(|a| a.actor.clone()),
        ))
    }
}

/// The session cookie to set after sign-in.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A cookie that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Whether cookies must be `Secure`: the public URL is https, or the proxy
/// says the request came over TLS.
pub fn is_tls(state: &AppState, headers: &HeaderMap) -> bool {
    state.config.public_url_is_https
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}
