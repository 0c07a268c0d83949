//! Portal invitations in the staff area, on a person's page: invite the
//! person for one of their organisations, send an invitation again (a new
//! link, 14 days), or withdraw it. Without a mail server the link is shown
//! once on the page, to be passed on by hand.

use super::persons::show_template;
use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::i18n::{Tr, request_language_parts};
use crate::page::render;
use crate::routes::Routes;
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_service::Actor;
use msohub_service::portal::invitations::NewInvitation;
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.post("/app/persons/{id}/invitations", invite)
        .post("/app/invitations/{id}/resend", resend)
        .post("/app/invitations/{id}/revoke", revoke)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct InviteForm {
    organisation_id: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct VersionForm {
    version: i32,
}

/// The person's page after an invitation went out: the mail was queued
/// (a notice), or the link is shown once.
async fn sent(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    outcome: NewInvitation,
) -> Result<Response, WebError> {
    let person = outcome.invitation.person.id;
    match outcome.link {
        None => Ok(Redirect::to(&format!(
            "/app/persons/{person}?done=invitation-sent#portal"
        ))
        .into_response()),
        Some(link) => {
            let tr = Tr::new(request_language_parts(parts));
            let mut page = show_template(
                state,
                parts,
                actor,
                person,
                Some(tr.t("invitation-link-notice")),
                None,
            )
            .await?;
            page.invite_link = Some(link);
            Ok(render(StatusCode::OK, &page))
        }
    }
}

/// The person's page again with the error (nothing changed).
async fn refused(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    person: Uuid,
    err: msohub_service::Error,
) -> Result<Response, WebError> {
    let tr = Tr::new(request_language_parts(parts));
    let errors = FormErrors::from_service(tr, err)?;
    Ok(render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &show_template(state, parts, actor, person, None, Some(errors)).await?,
    ))
}

async fn invite(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(f): Form<InviteForm>,
) -> Result<Response, WebError> {
    let Ok(organisation) = f.organisation_id.parse::<Uuid>() else {
        let err = msohub_service::Error::field("organisation_id", "required");
        return refused(&state, &parts, &actor, id, err).await;
    };
    match state
        .services
        .invite_representative(&actor, id, organisation)
        .await
    {
        Ok(outcome) => sent(&state, &parts, &actor, outcome).await,
        Err(err @ msohub_service::Error::Validation(_)) => {
            refused(&state, &parts, &actor, id, err).await
        }
        Err(err) => Err(err.into()),
    }
}

/// The person an invitation is for (for the page to return to).
async fn person_of(state: &AppState, actor: &Actor, id: Uuid) -> Result<Uuid, WebError> {
    Ok(state.services.get_invitation(actor, id).await?.person.id)
}

async fn resend(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(f): Form<VersionForm>,
) -> Result<Response, WebError> {
    let person = person_of(&state, &actor, id).await?;
    match state
        .services
        .resend_invitation(&actor, id, f.version)
        .await
    {
        Ok(outcome) => sent(&state, &parts, &actor, outcome).await,
        Err(err @ (msohub_service::Error::Validation(_) | msohub_service::Error::Conflict(_))) => {
            refused(&state, &parts, &actor, person, err).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn revoke(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(f): Form<VersionForm>,
) -> Result<Response, WebError> {
    let person = person_of(&state, &actor, id).await?;
    match state
        .services
        .revoke_invitation(&actor, id, f.version)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/app/persons/{person}?done=invitation-revoked#portal"
        ))
        .into_response()),
        Err(err @ (msohub_service::Error::Validation(_) | msohub_service::Error::Conflict(_))) => {
            refused(&state, &parts, &actor, person, err).await
        }
        Err(err) => Err(err.into()),
    }
}
