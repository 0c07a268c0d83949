//! The portal's doors: sign-in with a password or a link by e-mail, and
//! the invitation that sets an account up.

use super::language;
use crate::AppState;
use crate::auth::{ClientIp, MaybeUser, is_tls, session_cookie};
use crate::error::WebError;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Language;
use msohub_service::Error;
use msohub_service::accounts::LoginOutcome;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/portal/{lang}/login", login_page)
        .post("/portal/{lang}/login", login_submit)
        .post("/portal/{lang}/link", link_request)
        .get("/portal/{lang}/link/{token}", link_use)
        .get("/portal/{lang}/invitation/{token}", invitation_page)
        .post("/portal/{lang}/invitation/{token}", invitation_submit)
}

/// A page with a heading, a text and perhaps a link onwards.
#[derive(Template)]
#[template(path = "portal/message.html")]
pub(crate) struct MessageTemplate {
    pub page: PageContext,
    pub heading: String,
    pub text: String,
    pub link: Option<(String, String)>,
}

/// `/portal`: the start page in the account's language, else the browser's.
pub(super) async fn root(MaybeUser(actor): MaybeUser, parts: Parts) -> Redirect {
    let lang = actor
        .and_then(|a| a.language.parse::<Language>().ok())
        .unwrap_or_else(|| {
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map_or(Language::DEFAULT, |h| {
                    Language::negotiate_among(h, Language::ALL)
                })
        });
    Redirect::to(&format!("/portal/{}/", lang.code()))
}

#[derive(Template)]
#[template(path = "portal/login.html")]
struct LoginTemplate {
    page: PageContext,
    errors: FormErrors,
    email: String,
    next: String,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct LoginQuery {
    next: String,
    sent: Option<String>,
    signed_out: Option<String>,
}

/// Only paths inside the portal are followed after sign-in.
fn portal_next(lang: Language, next: &str) -> String {
    let ok = next.starts_with("/portal/")
        && !next.starts_with("//")
        && !next.contains("://")
        && !next.contains('\\');
    if ok {
        next.to_owned()
    } else {
        format!("/portal/{}/", lang.code())
    }
}

pub(super) async fn page_for(
    state: &AppState,
    lang: Language,
    rest: &str,
    title_key: &str,
) -> PageContext {
    let office = crate::pages::office_name(state).await;
    PageContext::portal(lang, rest, Tr::new(lang).t(title_key), office, None)
}

async fn login_page(
    State(state): State<AppState>,
    Path(code): Path<String>,
    crate::query::Query(q): crate::query::Query<LoginQuery>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let page = page_for(&state, lang, "/login", "portal-login-title").await;
    let tr = page.tr;
    Ok(render(
        StatusCode::OK,
        &LoginTemplate {
            notice: q
                .sent
                .map(|_| tr.t("portal-link-sent"))
                .or_else(|| q.signed_out.map(|_| tr.t("portal-signed-out"))),
            page,
            errors: FormErrors::none(tr).portal(),
            email: String::new(),
            next: portal_next(lang, &q.next),
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct LoginForm {
    email: String,
    password: String,
    next: String,
}

pub(super) fn client_ip(parts: &Parts) -> Option<String> {
    parts.extensions.get::<ClientIp>().and_then(|c| c.0.clone())
}

async fn login_submit(
    State(state): State<AppState>,
    Path(code): Path<String>,
    parts: Parts,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let page = page_for(&state, lang, "/login", "portal-login-title").await;
    let tr = page.tr;
    let ip = client_ip(&parts);
    let again = |page: PageContext, status: StatusCode, errors: FormErrors| {
        render(
            status,
            &LoginTemplate {
                page,
                errors,
                email: form.email.clone(),
                next: portal_next(lang, &form.next),
                notice: None,
            },
        )
    };
    if state
        .login_limiter
        .check(&msohub_service::accounts::client_of(ip.as_deref()))
        .is_err()
    {
        return Ok(again(
            page,
            StatusCode::TOO_MANY_REQUESTS,
            FormErrors::general(tr, "portal-login-too-many").portal(),
        ));
    }
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let outcome = state
        .services
        .login(&form.email, &form.password, ip, user_agent)
        .await?;
    let secure = is_tls(&state, &parts.headers);
    Ok(match outcome {
        LoginOutcome::SignedIn { token, .. } => {
            signed_in(&token, secure, &portal_next(lang, &form.next))
        }
        LoginOutcome::NeedsSecondFactor { token } => signed_in(&token, secure, "/login/totp"),
        LoginOutcome::LockedOut {
            retry_after_seconds,
        } => {
            let mut errors = FormErrors::none(tr).portal();
            errors.general = Some(tr.t1("portal-login-locked", "seconds", retry_after_seconds));
            let mut response = again(page, StatusCode::TOO_MANY_REQUESTS, errors);
            if let Ok(v) = HeaderValue::from_str(&retry_after_seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            response
        }
        LoginOutcome::WrongCredentials | LoginOutcome::Disabled => again(
            page,
            StatusCode::UNAUTHORIZED,
            FormErrors::general(tr, "portal-login-wrong").portal(),
        ),
    })
}

fn signed_in(token: &str, secure: bool, target: &str) -> Response {
    let mut response = Redirect::to(target).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(token, secure));
    response
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct LinkForm {
    email: String,
}

/// "Send me a sign-in link": the same answer for every address.
async fn link_request(
    State(state): State<AppState>,
    Path(code): Path<String>,
    parts: Parts,
    Form(form): Form<LinkForm>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let ip = client_ip(&parts);
    match state
        .services
        .request_sign_in_link(&form.email, ip.as_deref())
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/portal/{}/login?sent=1", lang.code())).into_response())
        }
        Err(Error::TooManyAttempts(_)) => {
            let page = page_for(&state, lang, "/login", "portal-login-title").await;
            let tr = page.tr;
            Ok(render(
                StatusCode::TOO_MANY_REQUESTS,
                &LoginTemplate {
                    page,
                    errors: FormErrors::general(tr, "portal-login-too-many").portal(),
                    email: form.email,
                    next: String::new(),
                    notice: None,
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Following a sign-in link: signed in (or on to the second factor), or a
/// page saying the link no longer works.
async fn link_use(
    State(state): State<AppState>,
    Path((code, token)): Path<(String, String)>,
    parts: Parts,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let secure = is_tls(&state, &parts.headers);
    match state
        .services
        .sign_in_with_link(&token, client_ip(&parts), user_agent)
        .await?
    {
        Some(LoginOutcome::SignedIn { token, .. }) => Ok(signed_in(
            &token,
            secure,
            &format!("/portal/{}/", lang.code()),
        )),
        Some(LoginOutcome::NeedsSecondFactor { token }) => {
            Ok(signed_in(&token, secure, "/login/totp"))
        }
        _ => {
            let page = page_for(&state, lang, "/login", "portal-link-title").await;
            let tr = page.tr;
            Ok(render(
                StatusCode::GONE,
                &MessageTemplate {
                    page,
                    heading: tr.t("portal-link-title"),
                    text: tr.t("portal-link-invalid"),
                    link: Some((
                        format!("/portal/{}/login", lang.code()),
                        tr.t("portal-login-title"),
                    )),
                },
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "portal/invitation.html")]
struct InvitationTemplate {
    page: PageContext,
    errors: FormErrors,
    invitation: msohub_service::portal::invitations::InvitationView,
    token: String,
    without_password: bool,
}

impl InvitationTemplate {
    fn intro(&self) -> String {
        let i = &self.invitation;
        self.page.tr.tn(
            "portal-invitation-intro",
            &[
                ("name", &i.given_name),
                ("office", &i.office),
                ("organisation", &i.organisation),
            ],
        )
    }
    fn terms_text(&self) -> String {
        self.page.tr.tn(
            "portal-invitation-terms-text",
            &[("office", &self.invitation.office)],
        )
    }
}

async fn invitation_view(
    state: &AppState,
    lang: Language,
    token: &str,
) -> Result<
    (
        PageContext,
        msohub_service::portal::invitations::InvitationView,
    ),
    Response,
> {
    let page = page_for(
        state,
        lang,
        &format!("/invitation/{token}"),
        "portal-invitation-title",
    )
    .await;
    let tr = page.tr;
    match state.services.invitation_by_token(token).await {
        Ok(v) if v.status == "pending" => Ok((page, v)),
        Ok(v) => Err(render(
            StatusCode::GONE,
            &MessageTemplate {
                heading: tr.t("portal-invitation-title"),
                text: tr.t(&format!("portal-invitation-{}", v.status)),
                link: Some((
                    format!("/portal/{}/login", lang.code()),
                    tr.t("portal-login-title"),
                )),
                page,
            },
        )),
        Err(e) => Err(WebError::from(e).into_response()),
    }
}

async fn invitation_page(
    State(state): State<AppState>,
    Path((code, token)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let (page, invitation) = match invitation_view(&state, lang, &token).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    let tr = page.tr;
    Ok(render(
        StatusCode::OK,
        &InvitationTemplate {
            page,
            errors: FormErrors::none(tr).portal(),
            invitation,
            token,
            without_password: false,
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct InvitationForm {
    password: String,
    accept: String,
    without_password: String,
}

/// Accepting the invitation: the account is made, the person is signed in
/// and lands on the portal's start page.
async fn invitation_submit(
    State(state): State<AppState>,
    Path((code, token)): Path<(String, String)>,
    parts: Parts,
    Form(form): Form<InvitationForm>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let without = matches!(form.without_password.as_str(), "on" | "true" | "1");
    let password = (!without).then_some(form.password.as_str());
    let accept = matches!(form.accept.as_str(), "on" | "true" | "1");
    let (page, invitation) = match invitation_view(&state, lang, &token).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    let tr = page.tr;
    let ip = client_ip(&parts);
    // Choosing a password is a choice: an empty one without the "no
    // password" box is a missing field, not a silent link-only account.
    let missing = !without && form.password.trim().is_empty();
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let result = if missing {
        Err(Error::field("password", "required"))
    } else {
        state
            .services
            .accept_invitation(&token, password, accept, Some(lang.code()), ip, user_agent)
            .await
    };
    match result {
        Ok((_, outcome)) => {
            let secure = is_tls(&state, &parts.headers);
            Ok(match outcome {
                LoginOutcome::SignedIn { token, .. } => {
                    signed_in(&token, secure, &format!("/portal/{}/", lang.code()))
                }
                LoginOutcome::NeedsSecondFactor { token } => {
                    signed_in(&token, secure, "/login/totp")
                }
                _ => Redirect::to(&format!("/portal/{}/login", lang.code())).into_response(),
            })
        }
        Err(Error::Validation(fields)) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &InvitationTemplate {
                page,
                errors: FormErrors::fields(tr, fields).portal(),
                invitation,
                token,
                without_password: without,
            },
        )),
        Err(e) => Err(e.into()),
    }
}
