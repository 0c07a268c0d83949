//! "Meine Daten": what the office stores about the representative, their
//! contact details (changes are proposals), and their consents.

use super::{Portal, form_errors, language, portal};
use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::WebError;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use msohub_service::portal::proposals::Entity;
use msohub_service::privacy::SubjectAccess;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/portal/{lang}/me", page)
        .post("/portal/{lang}/me", contact_submit)
        .post("/portal/{lang}/me/consents", consent_submit)
        .get("/portal/{lang}/me/data.json", download)
}

#[derive(Template)]
#[template(path = "portal/me.html")]
struct MeTemplate {
    page: PageContext,
    data: SubjectAccess,
    given_name: String,
    family_name: String,
    email: String,
    phone: String,
    version: i32,
    errors: FormErrors,
    notice: Option<String>,
}

impl MeTemplate {
    fn consents_to(&self, purpose: &str) -> bool {
        self.data
            .consents
            .iter()
            .any(|c| c.active && c.purpose == purpose)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Done {
    done: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(code): Path<String>,
    crate::query::Query(q): crate::query::Query<Done>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, actor, .. } =
        match portal(&state, user, lang, "/me", "portal-me-title").await {
            Ok(p) => p,
            Err(r) => return Ok(r),
        };
    let data = state.services.portal_me(&actor).await?;
    let version = state.services.portal_person_version(&actor).await?;
    let tr = page.tr;
    let notice = q.done.map(|_| tr.t("portal-consent-saved"));
    Ok(render(
        StatusCode::OK,
        &MeTemplate {
            given_name: data.person.given_name.clone(),
            family_name: data.person.family_name.clone(),
            email: data.person.email.clone().unwrap_or_default(),
            phone: data.person.phone.clone().unwrap_or_default(),
            version,
            page,
            data,
            errors: FormErrors::none(tr).portal(),
            notice,
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ContactForm {
    given_name: String,
    family_name: String,
    email: String,
    phone: String,
    version: i32,
}

async fn contact_submit(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(code): Path<String>,
    Form(form): Form<ContactForm>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, actor, user } =
        match portal(&state, user, lang, "/me", "portal-me-title").await {
            Ok(p) => p,
            Err(r) => return Ok(r),
        };
    let patch = serde_json::json!({
        "given_name": form.given_name, "family_name": form.family_name,
        "email": form.email, "phone": form.phone, "version": form.version,
    });
    match state
        .services
        .propose_change(&actor, Entity::Person, user.person.id, &patch)
        .await
    {
        Ok(p) => Ok(super::after_proposal(lang, &p)),
        Err(e) => {
            let data = state.services.portal_me(&actor).await?;
            let version = state.services.portal_person_version(&actor).await?;
            let errors = form_errors(page.tr, e)?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &MeTemplate {
                    page,
                    data,
                    given_name: form.given_name,
                    family_name: form.family_name,
                    email: form.email,
                    phone: form.phone,
                    version,
                    errors,
                    notice: None,
                },
            ))
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ConsentForm {
    purpose: String,
    /// "give" or "withdraw"
    action: String,
}

async fn consent_submit(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(code): Path<String>,
    Form(form): Form<ConsentForm>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { actor, .. } = match portal(&state, user, lang, "/me", "portal-me-title").await {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    state
        .services
        .portal_consent(&actor, &form.purpose, form.action == "give")
        .await?;
    Ok(Redirect::to(&format!("/portal/{}/me?done=consent#consents", lang.code())).into_response())
}

async fn download(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { actor, .. } = match portal(&state, user, lang, "/me", "portal-me-title").await {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let data = state.services.portal_me(&actor).await?;
    let mut response = serde_json::to_vec_pretty(&data)
        .unwrap_or_default()
        .into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        crate::headers::disposition("attachment", "meine-daten.json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
