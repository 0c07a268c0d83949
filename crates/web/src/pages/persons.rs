//! Contact persons in the staff area (`/app/persons`): list and search,
//! profile with affiliations and consent records, forms, soft delete; and
//! adding a contact person from an organisation's page.

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::i18n::{Tr, request_language_parts};
use crate::page::{PageContext, encode_query, render};
use crate::query::Query;
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_service::Actor;
use msohub_service::people::{PURPOSES, Person, PersonInput};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/persons", list)
        .post("/app/persons", create)
        .get("/app/persons/new", new_form)
        .get("/app/persons/{id}", show)
        .post("/app/persons/{id}", update)
        .get("/app/persons/{id}/edit", edit_form)
        .post("/app/persons/{id}/delete", delete)
        .post("/app/persons/{id}/consents", add_consent)
        .post("/app/consents/{id}/withdraw", withdraw_consent)
        .post("/app/organisations/{id}/people", add_to_organisation)
        .post("/app/affiliations/{id}/remove", remove_affiliation)
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    cursor: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "persons/list.html")]
struct ListTemplate {
    page: PageContext,
    /// The search for the export links.
    export_query: String,
    q: String,
    items: Vec<Person>,
    total: u64,
    next_page: Option<String>,
    can_write: bool,
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let page_of = state
        .services
        .list_persons(&actor, &q.q, q.cursor.as_deref(), 50)
        .await?;
    let page = super::staff_page(&state, &parts, &actor, "persons-title").await;
    let next_page = page_of
        .next_cursor
        .map(|c| format!("/app/persons?q={}&cursor={c}", encode_query(&q.q)));
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            page,
            export_query: format!("q={}", encode_query(&q.q)),
            q: q.q,
            items: page_of.items,
            total: page_of.total,
            next_page,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

#[derive(Template)]
#[template(path = "persons/form.html")]
struct FormTemplate {
    page: PageContext,
    id: Option<Uuid>,
    input: PersonInput,
    errors: FormErrors,
}

async fn form(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Option<Uuid>,
    input: PersonInput,
    errors: Option<FormErrors>,
) -> FormTemplate {
    let page = super::staff_page(
        state,
        parts,
        actor,
        if id.is_some() {
            "person-edit-title"
        } else {
            "person-new-title"
        },
    )
    .await;
    let tr = page.tr;
    FormTemplate {
        page,
        id,
        input,
        errors: errors.unwrap_or(FormErrors::none(tr)),
    }
}

async fn new_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    Ok(render(
        StatusCode::OK,
        &form(&state, &parts, &actor, None, PersonInput::default(), None).await,
    ))
}

async fn edit_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let person = state.services.get_person(&actor, id).await?;
    Ok(render(
        StatusCode::OK,
        &form(
            &state,
            &parts,
            &actor,
            Some(id),
            PersonInput::of(&person),
            None,
        )
        .await,
    ))
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(input): Form<PersonInput>,
) -> Result<Response, WebError> {
    match state.services.create_person(&actor, &input).await {
        Ok(p) => Ok(Redirect::to(&format!("/app/persons/{}?done=created", p.id)).into_response()),
        Err(err) => {
            let tr = Tr::new(request_language_parts(&parts));
            let errors = FormErrors::from_service(tr, err)?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form(&state, &parts, &actor, None, input, Some(errors)).await,
            ))
        }
    }
}

async fn update(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(input): Form<PersonInput>,
) -> Result<Response, WebError> {
    match state.services.update_person(&actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/app/persons/{id}?done=saved")).into_response()),
        Err(msohub_service::Error::Conflict(_)) => {
            let tr = Tr::new(request_language_parts(&parts));
            let current = PersonInput::of(&state.services.get_person(&actor, id).await?);
            Ok(render(
                StatusCode::CONFLICT,
                &form(
                    &state,
                    &parts,
                    &actor,
                    Some(id),
                    current,
                    Some(FormErrors::general(tr, "form-conflict")),
                )
                .await,
            ))
        }
        Err(err) => {
            let tr = Tr::new(request_language_parts(&parts));
            let errors = FormErrors::from_service(tr, err)?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form(&state, &parts, &actor, Some(id), input, Some(errors)).await,
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "persons/show.html")]
pub(super) struct ShowTemplate {
    page: PageContext,
    person: Person,
    consent_summary: String,
    purposes: Vec<(&'static str, String)>,
    history: Vec<(chrono::DateTime<chrono::Utc>, String, String)>,
    notice: Option<String>,
    errors: FormErrors,
    can_write: bool,
    /// The person's portal invitations, newest first.
    invitations: Vec<msohub_service::portal::invitations::Invitation>,
    /// The organisations the person may be invited for (current
    /// affiliations).
    invite_for: Vec<(Uuid, String)>,
    /// A new invitation's link, shown once when no mail goes out.
    pub(super) invite_link: Option<String>,
}

pub(super) async fn show_template(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Uuid,
    notice: Option<String>,
    errors: Option<FormErrors>,
) -> Result<ShowTemplate, WebError> {
    let person = state.services.get_person(actor, id).await?;
    let history = state
        .services
        .person_history(actor, id)
        .await?
        .into_iter()
        .map(|e| (e.at, e.actor, e.action))
        .collect();
    let mut page = super::staff_page(state, parts, actor, "persons-title").await;
    page.title = person.name();
    let tr = page.tr;
    let covered: Vec<String> = PURPOSES
        .iter()
        .filter(|p| person.consents_to(p))
        .map(|p| tr.t(&format!("purpose-{p}")))
        .collect();
    let consent_summary = if covered.is_empty() {
        tr.t("consent-none")
    } else {
        tr.t1("consent-covers", "purposes", covered.join(", "))
    };
    let purposes = PURPOSES
        .iter()
        .map(|p| (*p, tr.t(&format!("purpose-{p}"))))
        .collect();
    let invitations = state
        .services
        .list_invitations(actor, Some(id), None)
        .await?;
    let today = msohub_service::time::today();
    let mut invite_for: Vec<(Uuid, String)> = person
        .affiliations
        .iter()
        .filter(|a| a.from.is_none_or(|f| f <= today) && a.to.is_none_or(|t| t >= today))
        .map(|a| (a.organisation_id, a.organisation_name.clone()))
        .collect();
    invite_for.dedup_by(|a, b| a.0 == b.0);
    Ok(ShowTemplate {
        page,
        person,
        consent_summary,
        purposes,
        history,
        notice,
        errors: errors.unwrap_or(FormErrors::none(tr)),
        can_write: actor.can(Permission::WriteStaffArea),
        invitations,
        invite_for,
        invite_link: None,
    })
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let tr = Tr::new(request_language_parts(&parts));
    let notice = crate::forms::done_notice(tr, q.done.as_deref());
    Ok(render(
        StatusCode::OK,
        &show_template(&state, &parts, &actor, id, notice, None).await?,
    ))
}

async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    state.services.delete_person(&actor, id).await?;
    Ok(Redirect::to("/app/persons?done=deleted").into_response())
}

#[derive(serde::Deserialize)]
struct ConsentForm {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    given_on: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    expires_on: String,
}

async fn add_consent(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(f): Form<ConsentForm>,
) -> Result<Response, WebError> {
    match state
        .services
        .record_consent(
            &actor,
            id,
            &f.purpose,
            &f.given_on,
            &f.source,
            &f.expires_on,
        )
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/app/persons/{id}?done=consent-recorded")).into_response())
        }
        Err(err) => {
            let tr = Tr::new(request_language_parts(&parts));
            let errors = FormErrors::from_service(tr, err)?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &show_template(&state, &parts, &actor, id, None, Some(errors)).await?,
            ))
        }
    }
}

async fn withdraw_consent(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let person = state.services.withdraw_consent(&actor, id).await?;
    Ok(Redirect::to(&format!("/app/persons/{person}?done=consent-withdrawn")).into_response())
}

#[derive(serde::Deserialize)]
struct NewContact {
    #[serde(flatten)]
    person: PersonInput,
    #[serde(default)]
    role: String,
    #[serde(default)]
    from: String,
}

/// Creates a new contact person of an organisation in one step.
async fn add_to_organisation(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(org): Path<Uuid>,
    Form(f): Form<NewContact>,
) -> Result<Response, WebError> {
    let role = if f.role.trim().is_empty() {
        "Ansprechperson".to_owned()
    } else {
        f.role
    };
    match state.services.create_person(&actor, &f.person).await {
        Ok(person) => {
            state
                .services
                .add_affiliation(&actor, person.id, org, &role, &f.from, "")
                .await?;
            Ok(Redirect::to(&format!("/app/persons/{}?done=created", person.id)).into_response())
        }
        Err(msohub_service::Error::Validation(_)) => Ok(Redirect::to(&format!(
            "/app/organisations/{org}?done=person-invalid"
        ))
        .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn remove_affiliation(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    state.services.remove_affiliation(&actor, id).await?;
    Ok(Redirect::to("/app/persons?done=affiliation-removed").into_response())
}
