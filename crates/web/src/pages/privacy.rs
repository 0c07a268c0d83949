//! Data protection in the staff area: a person's data-protection page
//! (subject access as JSON or PDF, erasure) and `/app/privacy` (consents
//! ending soon, people listed for deletion, reminders).

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::page::{PageContext, render};
use crate::pages::organisations::{pairs, query_param};
use crate::routes::Routes;
use askama::Template;
use axum::extract::{Path, RawForm, RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_service::privacy::{DEFAULT_DAYS, DEFAULT_MONTHS, Retention, SubjectAccess};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/persons/{id}/privacy", person_page)
        .get("/app/persons/{id}/privacy/export.json", export_json)
        .get("/app/persons/{id}/privacy/export.pdf", export_pdf)
        .post("/app/persons/{id}/erase", erase)
        .get("/app/privacy", retention_page)
        .post("/app/privacy/reminders", remind)
}

#[derive(Template)]
#[template(path = "persons/privacy.html")]
struct PersonTemplate {
    page: PageContext,
    access: SubjectAccess,
    can_erase: bool,
    already_erased: bool,
    error: Option<String>,
    reason: String,
    erased: bool,
}

async fn render_person(
    state: &AppState,
    parts: &Parts,
    actor: &msohub_service::Actor,
    id: Uuid,
    error: Option<String>,
    reason: String,
    status: StatusCode,
) -> Result<Response, WebError> {
    let access = state.services.subject_access(actor, id).await?;
    let page = super::staff_page(state, parts, actor, "privacy-person-title").await;
    let already_erased = access.history.iter().any(|h| h.action == "erase");
    Ok(render(
        status,
        &PersonTemplate {
            erased: query_param(parts.uri.query(), "done").as_deref() == Some("erased"),
            can_erase: actor.can(Permission::ManageUsers) && !already_erased,
            already_erased,
            page,
            access,
            error,
            reason,
        },
    ))
}

async fn person_page(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    parts: Parts,
) -> Result<Response, WebError> {
    render_person(
        &state,
        &parts,
        &actor,
        id,
        None,
        String::new(),
        StatusCode::OK,
    )
    .await
}

async fn export_json(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let access = state.services.subject_access(&actor, id).await?;
    Ok(crate::api::privacy::access_file(access, false).await?)
}

async fn export_pdf(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let access = state.services.subject_access(&actor, id).await?;
    Ok(crate::api::privacy::access_file(access, true).await?)
}

async fn erase(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    parts: Parts,
    RawForm(form): RawForm,
) -> Result<Response, WebError> {
    actor.require(Permission::ManageUsers)?;
    let pairs = pairs(std::str::from_utf8(&form).ok());
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_owned())
    };
    let reason = get("reason").unwrap_or_default();
    let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
    if get("confirm").as_deref() != Some("yes") {
        return render_person(
            &state,
            &parts,
            &actor,
            id,
            Some(tr.t("privacy-erase-confirm-missing")),
            reason,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state.services.erase_person(&actor, id, &reason).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/app/persons/{id}/privacy?done=erased")).into_response())
        }
        Err(msohub_service::Error::Validation(_)) => {
            render_person(
                &state,
                &parts,
                &actor,
                id,
                Some(tr.t("privacy-erase-reason-missing")),
                reason,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "staff/privacy.html")]
struct RetentionTemplate {
    page: PageContext,
    retention: Retention,
    created: Option<String>,
}

fn number(raw: Option<&str>, name: &str, default: i64) -> i64 {
    query_param(raw, name)
        .and_then(|v| v.parse().ok())
        .filter(|v: &i64| *v > 0)
        .unwrap_or(default)
}

async fn retention_page(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
    parts: Parts,
) -> Result<Response, WebError> {
    let days = number(raw.as_deref(), "days", DEFAULT_DAYS).min(365);
    let months = number(raw.as_deref(), "months", DEFAULT_MONTHS).min(120);
    let retention = state.services.retention(&actor, days, months).await?;
    let page = super::staff_page(&state, &parts, &actor, "privacy-title").await;
    let created = query_param(raw.as_deref(), "created")
        .map(|n| page.tr.t1("privacy-reminders-created", "count", n));
    Ok(render(
        StatusCode::OK,
        &RetentionTemplate {
            page,
            retention,
            created,
        },
    ))
}

async fn remind(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawForm(form): RawForm,
) -> Result<Response, WebError> {
    let pairs = pairs(std::str::from_utf8(&form).ok());
    let days = pairs
        .iter()
        .find(|(k, _)| k == "days")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(DEFAULT_DAYS);
    let created = state
        .services
        .remind_expiring_consents(&actor, actor.user()?, days)
        .await?;
    Ok(Redirect::to(&format!("/app/privacy?days={days}&created={created}")).into_response())
}
