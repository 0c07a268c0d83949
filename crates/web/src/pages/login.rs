//! Signing in and out: `/login` (e-mail and password), `/login/totp` (the
//! second factor), `/logout`.

use crate::AppState;
use crate::auth::{Auth, ClientIp, MaybeUser, clear_session_cookie, is_tls, session_cookie};
use crate::forms::FormErrors;
use crate::i18n::{Tr, request_language_parts};
use crate::page::{PageContext, render};
use crate::query::Query;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_service::accounts::LoginOutcome;

pub fn routes(r: Routes) -> Routes {
    r.get("/login", login_page)
        .post("/login", login_submit)
        .get("/login/totp", totp_page)
        .post("/login/totp", totp_submit)
        .post("/logout", logout)
}

/// Only local paths, so no form or link can be used as an open redirect.
/// Browsers drop tabs and line breaks inside URLs ("/\t/evil.example"
/// becomes "//evil.example") and treat "\\" like "/", so only visible ASCII
/// is accepted, and never a second slash or backslash at the start.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.contains('\\')
            && n.chars().all(|c| c.is_ascii_graphic())
    })
    .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_plain_local_paths_are_followed() {
        assert_eq!(
            safe_next(Some("/app/organisations?q=x")).as_deref(),
            Some("/app/organisations?q=x")
        );
        for evil in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "https://evil.example",
            "/ /evil",
            "evil",
        ] {
            assert_eq!(safe_next(Some(evil)), None, "{evil:?}");
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
    expired: Option<String>,
    signed_out: Option<String>,
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginTemplate {
    page: PageContext,
    errors: FormErrors,
    email: String,
    next: String,
    notice: Option<String>,
}

async fn login_context(state: &AppState, parts: &Parts) -> (PageContext, Tr) {
    let lang = request_language_parts(parts);
    let tr = Tr::new(lang);
    let page = PageContext::plain(
        lang,
        parts.uri.path(),
        tr.t("login-title"),
        super::office_name(state).await,
    );
    (page, tr)
}

async fn login_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    parts: Parts,
    Query(q): Query<LoginQuery>,
) -> Response {
    if user.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref()).unwrap_or_else(|| "/app/".to_owned()))
            .into_response();
    }
    let (page, tr) = login_context(&state, &parts).await;
    let notice = if q.expired.is_some() {
        Some(tr.t("login-expired"))
    } else if q.signed_out.is_some() {
        Some(tr.t("login-signed-out"))
    } else {
        None
    };
    render(
        StatusCode::OK,
        &LoginTemplate {
            page,
            errors: FormErrors::none(tr),
            email: String::new(),
            next: safe_next(q.next.as_deref()).unwrap_or_default(),
            notice,
        },
    )
}

#[derive(serde::Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn login_submit(
    State(state): State<AppState>,
    parts: Parts,
    Form(form): Form<LoginForm>,
) -> Response {
    let (page, tr) = login_context(&state, &parts).await;
    let ip = parts.extensions.get::<ClientIp>().and_then(|c| c.0.clone());
    let again = |status: StatusCode, page: PageContext, errors: FormErrors| {
        render(
            status,
            &LoginTemplate {
                page,
                errors,
                email: form.email.clone(),
                next: safe_next(Some(&form.next)).unwrap_or_default(),
                notice: None,
            },
        )
    };
    if let Err(wait) = state
        .login_limiter
        .check(&msohub_service::accounts::client_of(ip.as_deref()))
    {
        let mut response = again(
            StatusCode::TOO_MANY_REQUESTS,
            page,
            FormErrors::general(tr, "login-too-many"),
        );
        if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return response;
    }
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let outcome = match state
        .services
        .login(&form.email, &form.password, ip, user_agent)
        .await
    {
        Ok(outcome) => outcome,
        Err(err) => return crate::WebError::from(err).into_response(),
    };
    let secure = is_tls(&state, &parts.headers);
    match outcome {
        LoginOutcome::SignedIn { token, user } => {
            let target = if user.must_change_password {
                "/app/account/password".to_owned()
            } else if !user.role.can(Permission::ReadStaffArea) {
                "/app/account".to_owned()
            } else {
                safe_next(Some(&form.next)).unwrap_or_else(|| "/app/".to_owned())
            };
            let mut response = Redirect::to(&target).into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&token, secure));
            response
        }
        LoginOutcome::NeedsSecondFactor { token } => {
            let mut response = Redirect::to("/login/totp").into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&token, secure));
            response
        }
        LoginOutcome::WrongCredentials => again(
            StatusCode::UNAUTHORIZED,
            page,
            FormErrors::general(tr, "login-wrong"),
        ),
        LoginOutcome::Disabled => again(
            StatusCode::FORBIDDEN,
            page,
            FormErrors::general(tr, "login-disabled"),
        ),
        LoginOutcome::LockedOut {
            retry_after_seconds,
        } => {
            let mut errors = FormErrors::none(tr);
            errors.general = Some(tr.t1("login-locked", "seconds", retry_after_seconds));
            let mut response = again(StatusCode::TOO_MANY_REQUESTS, page, errors);
            if let Ok(v) = HeaderValue::from_str(&retry_after_seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            response
        }
    }
}

#[derive(Template)]
#[template(path = "auth/totp.html")]
struct TotpTemplate {
    page: PageContext,
    errors: FormErrors,
}

async fn totp_page(State(state): State<AppState>, parts: Parts) -> Response {
    let auth = parts.extensions.get::<Auth>().cloned().unwrap_or_default();
    if !auth.pending_second_factor {
        return Redirect::to("/login").into_response();
    }
    let (mut page, tr) = login_context(&state, &parts).await;
    page.title = tr.t("totp-login-title");
    render(
        StatusCode::OK,
        &TotpTemplate {
            page,
            errors: FormErrors::none(tr),
        },
    )
}

#[derive(serde::Deserialize)]
struct TotpForm {
    #[serde(default)]
    code: String,
}

async fn totp_submit(
    State(state): State<AppState>,
    parts: Parts,
    Form(form): Form<TotpForm>,
) -> Response {
    let auth = parts.extensions.get::<Auth>().cloned().unwrap_or_default();
    let Some(token) = auth.session_token.filter(|_| auth.pending_second_factor) else {
        return Redirect::to("/login").into_response();
    };
    let (mut page, tr) = login_context(&state, &parts).await;
    page.title = tr.t("totp-login-title");
    let ip = parts.extensions.get::<ClientIp>().and_then(|c| c.0.clone());
    if state
        .login_limiter
        .check(&msohub_service::accounts::client_of(ip.as_deref()))
        .is_err()
    {
        return render(
            StatusCode::TOO_MANY_REQUESTS,
            &TotpTemplate {
                page,
                errors: FormErrors::general(tr, "login-too-many"),
            },
        );
    }
    match state
        .services
        .verify_second_factor(&token, &form.code)
        .await
    {
        Ok(true) => Redirect::to("/app/").into_response(),
        Ok(false) => render(
            StatusCode::UNAUTHORIZED,
            &TotpTemplate {
                page,
                errors: FormErrors::general(tr, "totp-wrong"),
            },
        ),
        Err(err) => crate::WebError::from(err).into_response(),
    }
}

async fn logout(State(state): State<AppState>, parts: Parts) -> Response {
    let auth = parts.extensions.get::<Auth>().cloned().unwrap_or_default();
    if let Some(token) = &auth.session_token
        && let Err(err) = state.services.logout(token, auth.actor.as_ref()).await
    {
        return crate::WebError::from(err).into_response();
    }
    // A representative returns to the portal's sign-in page, in their
    // language; staff to the staff sign-in.
    let target = match auth.actor.as_ref() {
        Some(a) if a.can(msohub_domain::Permission::ActForOwnOrganisation) => {
            let lang = a
                .language
                .parse::<msohub_domain::Language>()
                .unwrap_or(msohub_domain::Language::De);
            format!("/portal/{}/login?signed_out=1", lang.code())
        }
        _ => "/login?signed_out=1".to_owned(),
    };
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        clear_session_cookie(is_tls(&state, &parts.headers)),
    );
    response
}
