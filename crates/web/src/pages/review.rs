//! The review queue (`/app/review`): the organisations' proposed changes,
//! each field side by side (as it was, as proposed, as it is now), with
//! accept, accept with edits, or reject with a message. A field changed on
//! the live record since is marked, and accepting over it needs a tick.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_service::portal::proposals::Proposal;
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/review", list)
        .get("/app/review/{id}", show)
        .post("/app/review/{id}/accept", accept)
        .post("/app/review/{id}/reject", reject)
}

#[derive(Template)]
#[template(path = "review/list.html")]
struct ListTemplate {
    page: PageContext,
    waiting: Vec<Proposal>,
    decided: Vec<Proposal>,
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    // The review is the office's: representatives follow their own
    // proposals in the portal.
    actor.require(Permission::ReadStaffArea)?;
    let page = super::staff_page(&state, &parts, &actor, "review-title").await;
    let all = state.services.list_proposals(&actor, &[]).await?;
    let (waiting, mut decided): (Vec<Proposal>, Vec<Proposal>) = all
        .into_iter()
        .partition(|p| matches!(p.status.as_str(), "pending" | "published"));
    decided.sort_by_key(|b| std::cmp::Reverse(b.decided_at));
    decided.truncate(50);
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            page,
            waiting,
            decided,
        },
    ))
}

/// One changed field, as the table shows it.
pub(crate) struct FieldRow {
    pub field: String,
    pub before: String,
    pub proposed: String,
    pub now: Option<String>,
    pub conflict: bool,
    /// The proposed value as the edit form's text.
    pub edit: String,
    /// A list (edited comma-separated) or a yes/no.
    pub kind: &'static str,
}

/// A JSON value as text for people.
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(true) => "✓".to_owned(),
        Value::Bool(false) => "–".to_owned(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn rows(p: &Proposal) -> Vec<FieldRow> {
    let changes = p.changes.as_object().cloned().unwrap_or_default();
    let before = p.before.as_object().cloned().unwrap_or_default();
    let now = p.current.as_ref().and_then(Value::as_object).cloned();
    changes
        .iter()
        .filter(|(k, _)| k.as_str() != "version")
        .map(|(k, v)| FieldRow {
            field: k.clone(),
            before: before.get(k).map(text).unwrap_or_default(),
            proposed: text(v),
            now: now.as_ref().map(|n| n.get(k).map(text).unwrap_or_default()),
            conflict: p.conflicts.contains(k),
            edit: match v {
                Value::Bool(b) => b.to_string(),
                other => text(other),
            },
            kind: match v {
                Value::Array(_) => "list",
                Value::Bool(_) => "flag",
                Value::Object(_) => "object",
                _ => "text",
            },
        })
        .collect()
}

#[derive(Template)]
#[template(path = "review/show.html")]
struct ShowTemplate {
    page: PageContext,
    proposal: Proposal,
    rows: Vec<FieldRow>,
    errors: FormErrors,
    notice: Option<String>,
}

async fn show_page(
    state: &AppState,
    parts: &Parts,
    actor: &msohub_service::Actor,
    id: Uuid,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    actor.require(Permission::ReadStaffArea)?;
    let page = super::staff_page(state, parts, actor, "review-title").await;
    let proposal = state.services.get_proposal(actor, id).await?;
    let rows = rows(&proposal);
    let notice =
        crate::query::param(parts.uri.query(), "done").map(|d| page.t(&format!("review-done-{d}")));
    Ok(render(
        status,
        &ShowTemplate {
            page,
            rows,
            proposal,
            errors,
            notice,
        },
    ))
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
    show_page(
        &state,
        &parts,
        &actor,
        id,
        FormErrors::none(tr),
        StatusCode::OK,
    )
    .await
}

async fn accept(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let get = |k: &str| {
        body.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let version = get("version").and_then(|v| v.parse().ok()).unwrap_or(0);
    let overwrite = get("overwrite").is_some();
    // Accept with edits: the edited fields, typed as the proposal has them.
    let proposal = state.services.get_proposal(&actor, id).await?;
    let mut edits = Map::new();
    if get("with_edits").is_some() {
        let proposed = proposal.changes.as_object().cloned().unwrap_or_default();
        for (field, value) in &proposed {
            let Some(typed) = get(&format!("edit-{field}")) else {
                if let Value::Bool(_) = value {
                    edits.insert(field.clone(), Value::Bool(false));
                }
                continue;
            };
            let v = match value {
                Value::Array(_) => Value::Array(
                    typed
                        .split(',')
                        .map(|s| s.trim())
                        .filter(|s| !s.is_empty())
                        .map(|s| Value::String(s.to_owned()))
                        .collect(),
                ),
                Value::Bool(_) => Value::Bool(matches!(typed.as_str(), "on" | "true" | "1")),
                _ => Value::String(typed),
            };
            edits.insert(field.clone(), v);
        }
    }
    let edits = (!edits.is_empty()).then_some(Value::Object(edits));
    let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
    match state
        .services
        .accept_proposal(&actor, id, Some(version), edits.as_ref(), overwrite)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/app/review/{id}?done=accepted")).into_response()),
        Err(e @ (msohub_service::Error::Validation(_) | msohub_service::Error::Conflict(_))) => {
            let conflict = matches!(e, msohub_service::Error::Conflict(_));
            let mut errors = FormErrors::from_service(tr, e)?;
            if conflict {
                errors.general = Some(tr.t("review-conflict"));
            }
            show_page(&state, &parts, &actor, id, errors, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct RejectForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    message: String,
}

async fn reject(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(form): Form<RejectForm>,
) -> Result<Response, WebError> {
    let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
    match state
        .services
        .reject_proposal(&actor, id, Some(form.version), &form.message)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/app/review/{id}?done=rejected")).into_response()),
        Err(e @ (msohub_service::Error::Validation(_) | msohub_service::Error::Conflict(_))) => {
            let errors = FormErrors::from_service(tr, e)?;
            show_page(
                &state,
                &parts,
                &actor,
                id,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
