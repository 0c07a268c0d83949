//! The signed-in user's own account (`/app/account`): password, second
//! factor (TOTP with recovery codes), and personal API tokens.

use crate::AppState;
use crate::WebError;
use crate::auth::{Auth, CurrentUser};
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::query::Query;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_service::accounts::ApiToken;
use msohub_service::{Actor, User};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/account", account)
        .get("/app/account/password", password_page)
        .post("/app/account/password", password_submit)
        .post("/app/account/form-of-address", form_of_address_submit)
        .get("/app/account/totp", totp_page)
        .post("/app/account/totp", totp_confirm)
        .post("/app/account/totp/disable", totp_disable)
        .post("/app/account/tokens", token_create)
        .post("/app/account/tokens/{id}/revoke", token_revoke)
        .post("/app/account/calendar", calendar_create)
        .post("/app/account/calendar/revoke", calendar_revoke)
        .get("/calendar/{secret}", calendar_feed)
}

#[derive(serde::Deserialize, Default)]
struct Done {
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "account/account.html")]
struct AccountTemplate {
    page: PageContext,
    user: User,
    tokens: Vec<ApiToken>,
    codes_left: u64,
    /// Whether a private calendar feed is live (staff only).
    calendar: Option<bool>,
    /// The form of address for the report (staff only): code, label, chosen.
    addresses: Option<Vec<(&'static str, String, bool)>>,
    notice: Option<String>,
    errors: FormErrors,
}

async fn account_template(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    notice: Option<String>,
    errors: Option<FormErrors>,
) -> Result<AccountTemplate, WebError> {
    let page = super::staff_page(state, parts, actor, "account-title").await;
    let user = state.services.get_user(actor, actor.user()?).await?;
    let tokens = state.services.list_tokens(actor).await?;
    let codes_left = state.services.recovery_codes_left(actor).await?;
    let calendar = if actor.can(msohub_domain::Permission::ReadStaffArea) {
        Some(state.services.has_calendar_feed(actor).await?)
    } else {
        None
    };
    let tr = page.tr;
    let addresses = actor
        .can(msohub_domain::Permission::ReadStaffArea)
        .then(|| addresses(tr, &user.form_of_address));
    Ok(AccountTemplate {
        page,
        user,
        tokens,
        codes_left,
        calendar,
        addresses,
        notice,
        errors: errors.unwrap_or(FormErrors::none(tr)),
    })
}

async fn account(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
    let notice = crate::forms::done_notice(tr, q.done.as_deref());
    Ok(render(
        StatusCode::OK,
        &account_template(&state, &parts, &actor, notice, None).await?,
    ))
}

/// The choices of the form of address for the report, `value` chosen.
pub(crate) fn addresses(tr: crate::i18n::Tr, value: &str) -> Vec<(&'static str, String, bool)> {
    msohub_service::accounts::FORMS_OF_ADDRESS
        .iter()
        .map(|code| {
            let key = if code.is_empty() { "none" } else { code };
            (
                *code,
                tr.t(&format!("form-of-address-{key}")),
                *code == value.trim(),
            )
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct AddressForm {
    #[serde(default)]
    form_of_address: String,
}

/// Saves one's own form of address; an unknown value shows the page with
/// its message.
async fn form_of_address_submit(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(form): Form<AddressForm>,
) -> Result<Response, WebError> {
    match state
        .services
        .change_own_form_of_address(&actor, &form.form_of_address)
        .await
    {
        Ok(_) => Ok(Redirect::to("/app/account?done=saved#form-of-address").into_response()),
        Err(err) => {
            let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
            let errors = FormErrors::from_service(tr, err)?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &account_template(&state, &parts, &actor, None, Some(errors)).await?,
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordTemplate {
    page: PageContext,
    errors: FormErrors,
    forced: bool,
}

async fn password_page(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Response {
    let page = super::staff_page(&state, &parts, &actor, "password-title").await;
    let tr = page.tr;
    render(
        StatusCode::OK,
        &PasswordTemplate {
            page,
            errors: FormErrors::none(tr),
            forced: actor.must_change_password,
        },
    )
}

#[derive(serde::Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_repeat: String,
}

async fn password_submit(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let page = super::staff_page(&state, &parts, &actor, "password-title").await;
    let tr = page.tr;
    if form.new_password != form.new_password_repeat {
        let errors = FormErrors::fields(
            tr,
            vec![msohub_service::FieldError {
                field: "new_password_repeat".into(),
                rule: "password-mismatch".into(),
            }],
        );
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordTemplate {
                page,
                errors,
                forced: actor.must_change_password,
            },
        ));
    }
    let keep = parts
        .extensions
        .get::<Auth>()
        .and_then(|a| a.session_token.clone());
    match state
        .services
        .change_own_password(
            &actor,
            &form.current_password,
            &form.new_password,
            keep.as_deref(),
        )
        .await
    {
        Ok(()) => Ok(Redirect::to("/app/account?done=password-changed").into_response()),
        Err(err) => {
            let errors = FormErrors::from_service(tr, err)?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &PasswordTemplate {
                    page,
                    errors,
                    forced: actor.must_change_password,
                },
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "account/totp.html")]
struct TotpTemplate {
    page: PageContext,
    secret: String,
    qr_svg: String,
    errors: FormErrors,
}

async fn totp_page(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    let page = super::staff_page(&state, &parts, &actor, "totp-title").await;
    let tr = page.tr;
    let enrolment = match state.services.pending_totp(&actor).await? {
        Some(e) => e,
        None => match state.services.begin_totp(&actor).await {
            Ok(e) => e,
            Err(msohub_service::Error::Conflict(_)) => {
                return Ok(Redirect::to("/app/account").into_response());
            }
            Err(e) => return Err(e.into()),
        },
    };
    Ok(render(
        StatusCode::OK,
        &TotpTemplate {
            page,
            secret: enrolment.secret,
            qr_svg: enrolment.qr_svg,
            errors: FormErrors::none(tr),
        },
    ))
}

#[derive(serde::Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

#[derive(Template)]
#[template(path = "account/recovery_codes.html")]
struct RecoveryTemplate {
    page: PageContext,
    codes: Vec<String>,
}

async fn totp_confirm(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    match state.services.confirm_totp(&actor, &form.code).await {
        Ok(codes) => {
            let page = super::staff_page(&state, &parts, &actor, "recovery-title").await;
            Ok(render(StatusCode::OK, &RecoveryTemplate { page, codes }))
        }
        Err(msohub_service::Error::Validation(fields)) => {
            let page = super::staff_page(&state, &parts, &actor, "totp-title").await;
            let tr = page.tr;
            let enrolment = state
                .services
                .pending_totp(&actor)
                .await?
                .ok_or(WebError::NotFound)?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &TotpTemplate {
                    page,
                    secret: enrolment.secret,
                    qr_svg: enrolment.qr_svg,
                    errors: FormErrors::fields(tr, fields),
                },
            ))
        }
        Err(msohub_service::Error::Conflict(_)) => Ok(Redirect::to("/app/account").into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
struct PasswordOnly {
    #[serde(default)]
    password: String,
}

async fn totp_disable(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(form): Form<PasswordOnly>,
) -> Result<Response, WebError> {
    match state.services.disable_totp(&actor, &form.password).await {
        Ok(()) => Ok(Redirect::to("/app/account?done=totp-disabled").into_response()),
        Err(err) => {
            let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
            let errors = FormErrors::from_service(tr, err)?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &account_template(&state, &parts, &actor, None, Some(errors)).await?,
            ))
        }
    }
}

#[derive(serde::Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
}

#[derive(Template)]
#[template(path = "account/token_created.html")]
struct TokenCreatedTemplate {
    page: PageContext,
    name: String,
    secret: String,
}

async fn token_create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    match state
        .services
        .create_token(&actor, actor.user()?, &form.name)
        .await
    {
        Ok(created) => {
            let page = super::staff_page(&state, &parts, &actor, "token-created-title").await;
            Ok(render(
                StatusCode::OK,
                &TokenCreatedTemplate {
                    page,
                    name: created.token.name,
                    secret: created.secret,
                },
            ))
        }
        Err(err) => {
            let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
            let errors = FormErrors::from_service(tr, err)?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &account_template(&state, &parts, &actor, None, Some(errors)).await?,
            ))
        }
    }
}

async fn token_revoke(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    state.services.revoke_token(&actor, id).await?;
    Ok(Redirect::to("/app/account?done=token-revoked").into_response())
}

#[derive(Template)]
#[template(path = "account/calendar_created.html")]
struct CalendarCreatedTemplate {
    page: PageContext,
    url: String,
}

/// The address this server is reached at, as the browser used it.
pub fn origin(parts: &Parts) -> String {
    let host = parts
        .headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let scheme = parts
        .headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .filter(|p| *p == "https")
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

async fn calendar_create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    let secret = state.services.new_calendar_feed(&actor).await?;
    let page = super::staff_page(&state, &parts, &actor, "calendar-created-title").await;
    let url = format!("{}/calendar/{secret}", origin(&parts));
    Ok(render(
        StatusCode::OK,
        &CalendarCreatedTemplate { page, url },
    ))
}

async fn calendar_revoke(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, WebError> {
    state.services.revoke_calendar_feed(&actor).await?;
    Ok(axum::response::Redirect::to("/app/account?done=calendar-revoked").into_response())
}

/// The feed itself: the secret in the URL is the only credential.
async fn calendar_feed(
    State(state): State<AppState>,
    Path(secret): Path<String>,
) -> Result<Response, WebError> {
    let secret = secret.trim_end_matches(".ics");
    if secret.len() != 48 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(WebError::NotFound);
    }
    let ics = state
        .services
        .calendar_feed(secret)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(super::bodies::private_ics(ics))
}
