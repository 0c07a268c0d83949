//! Merging a duplicate into an organisation: the confirmation page (the
//! duplicate named by its id or pasted address) and the merge itself.

use crate::auth::CurrentUser;
use crate::page::{PageContext, render};
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_service::organisations::Organisation;
use uuid::Uuid;

/// The organisation id in what a user pastes: an id, or the address of the
/// organisation's page.
fn id_in(input: &str) -> Option<Uuid> {
    input
        .trim()
        .trim_end_matches('/')
        .split(['/', '?', '#'])
        .filter_map(|part| part.parse::<Uuid>().ok())
        .next_back()
}

#[derive(serde::Deserialize)]
pub(super) struct MergeQuery {
    #[serde(default)]
    duplicate: String,
}

#[derive(Template)]
#[template(path = "organisations/merge.html")]
struct MergeTemplate {
    page: PageContext,
    keep: Organisation,
    duplicate: Organisation,
}

pub(super) async fn merge_confirm(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    crate::query::Query(q): crate::query::Query<MergeQuery>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let keep = state.services.get_organisation(&actor, id).await?;
    let Some(dup_id) = id_in(&q.duplicate).filter(|d| *d != id) else {
        return Ok(
            Redirect::to(&format!("/app/organisations/{id}?done=merge-invalid")).into_response(),
        );
    };
    let duplicate = match state.services.get_organisation(&actor, dup_id).await {
        Ok(d) if !d.deleted => d,
        Ok(_) | Err(msohub_service::Error::NotFound) => {
            return Ok(
                Redirect::to(&format!("/app/organisations/{id}?done=merge-invalid"))
                    .into_response(),
            );
        }
        Err(e) => return Err(e.into()),
    };
    let page = super::staff_page(&state, &parts, &actor, "org-merge-title").await;
    Ok(render(
        StatusCode::OK,
        &MergeTemplate {
            page,
            keep,
            duplicate,
        },
    ))
}

#[derive(serde::Deserialize)]
pub(super) struct MergeForm {
    duplicate: Uuid,
    version: i32,
    duplicate_version: i32,
}

pub(super) async fn merge(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    form: Result<Form<MergeForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    // The role first: a caller without it learns nothing from the form.
    actor.require(Permission::WriteStaffArea)?;
    let Ok(Form(f)) = form else {
        return Ok(
            Redirect::to(&format!("/app/organisations/{id}?done=merge-invalid")).into_response(),
        );
    };
    match state
        .services
        .merge_organisations(&actor, id, f.version, f.duplicate, f.duplicate_version)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/app/organisations/{id}?done=merged")).into_response()),
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/app/organisations/{id}?done=stale")).into_response())
        }
        Err(msohub_service::Error::Validation(_)) => Ok(Redirect::to(&format!(
            "/app/organisations/{id}?done=merge-invalid"
        ))
        .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_id_in_an_address_or_alone() {
        let id = Uuid::now_v7();
        assert_eq!(id_in(&id.to_string()), Some(id));
        assert_eq!(
            id_in(&format!(
                "http://127.0.0.1:8080/app/organisations/{id}?done=saved"
            )),
            Some(id)
        );
        assert_eq!(id_in(&format!(" /app/organisations/{id}/ ")), Some(id));
        assert_eq!(id_in("Kulturverein"), None);
    }
}
