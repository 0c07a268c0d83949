//! Ideas and joint projects (`/app/ideas`): the list by status, a new idea,
//! its page (with the organisations, bodies and meetings involved and its
//! follow-ups) and its form, where the office moves it from "proposed" to
//! "realised" or "not pursued".

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::forms::{FormErrors, VersionForm};
use crate::page::{PageContext, render};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_domain::work::IdeaStatus;
use msohub_service::Actor;
use msohub_service::ideas::{Idea, IdeaInput};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/ideas", list)
        .post("/app/ideas", create)
        .get("/app/ideas/new", new)
        .get("/app/ideas/{id}", show)
        .post("/app/ideas/{id}", update)
        .get("/app/ideas/{id}/edit", edit)
        .post("/app/ideas/{id}/delete", delete)
}

#[derive(Template)]
#[template(path = "ideas/list.html")]
struct ListTemplate {
    page: PageContext,
    ideas: Vec<Idea>,
    statuses: Vec<(String, String, bool)>,
    can_write: bool,
}

fn status_options(page: &PageContext, chosen: &str, with_all: bool) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    if with_all {
        out.push((String::new(), page.t("filter-all"), chosen.is_empty()));
    }
    for s in IdeaStatus::ALL {
        out.push((
            s.code().to_owned(),
            page.t(&format!("idea-status-{}", s.code())),
            s.code() == chosen,
        ));
    }
    out
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    let page = super::staff_page(&state, &parts, &actor, "ideas-title").await;
    let status = crate::query::param(parts.uri.query(), "status").unwrap_or_default();
    let filter: Vec<String> = if status.is_empty() {
        Vec::new()
    } else {
        vec![status.clone()]
    };
    let ideas = state.services.list_ideas(&actor, &filter, false).await?;
    let statuses = status_options(&page, &status, true);
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            page,
            ideas,
            statuses,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

#[derive(Template)]
#[template(path = "ideas/form.html")]
struct FormTemplate {
    page: PageContext,
    id: Option<Uuid>,
    input: IdeaInput,
    statuses: Vec<(String, String, bool)>,
    organisations: Vec<(String, String, bool)>,
    errors: FormErrors,
}

async fn form_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Option<Uuid>,
    input: IdeaInput,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let page = super::staff_page(
        state,
        parts,
        actor,
        if id.is_some() {
            "idea-edit-title"
        } else {
            "idea-new-title"
        },
    )
    .await;
    let mut organisations: Vec<(String, String, bool)> = vec![(
        String::new(),
        "–".to_owned(),
        input.organisation_id.is_empty(),
    )];
    organisations.extend(
        state
            .services
            .organisation_names(actor, 5_000)
            .await?
            .into_iter()
            .map(|r| {
                (
                    r.id.to_string(),
                    r.name,
                    r.id.to_string() == input.organisation_id,
                )
            }),
    );
    let statuses = status_options(
        &page,
        if input.status.is_empty() {
            "proposed"
        } else {
            &input.status
        },
        false,
    );
    Ok(render(
        status,
        &FormTemplate {
            page,
            id,
            input,
            statuses,
            organisations,
            errors,
        },
    ))
}

async fn new(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
    let input = IdeaInput {
        organisation_id: crate::query::param(parts.uri.query(), "organisation").unwrap_or_default(),
        ..IdeaInput::default()
    };
    form_page(
        &state,
        &parts,
        &actor,
        None,
        input,
        FormErrors::none(tr),
        StatusCode::OK,
    )
    .await
}

const LISTS: [&str; 3] = ["organisations", "bodies", "meetings"];

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let input: IdeaInput = crate::forms::from_pairs(body, &LISTS, &[]);
    let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
    match state.services.create_idea(&actor, &input).await {
        Ok(idea) => {
            Ok(Redirect::to(&format!("/app/ideas/{}?done=created", idea.id)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_service(tr, e)?;
            form_page(
                &state,
                &parts,
                &actor,
                None,
                input,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "ideas/show.html")]
struct ShowTemplate {
    page: PageContext,
    idea: Idea,
    tasks: Vec<msohub_service::tasks::Task>,
    notice: Option<String>,
    can_write: bool,
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let mut page = super::staff_page(&state, &parts, &actor, "ideas-title").await;
    let idea = state.services.get_idea(&actor, id).await?;
    page.title = idea.title.clone();
    let tasks = state
        .services
        .list_tasks(
            &actor,
            &msohub_service::tasks::TaskQuery {
                link: Some(("idea".into(), id)),
                limit: 100,
                ..Default::default()
            },
        )
        .await?
        .items;
    let notice =
        crate::query::param(parts.uri.query(), "done").map(|d| page.t(&format!("done-{d}")));
    Ok(render(
        StatusCode::OK,
        &ShowTemplate {
            page,
            idea,
            tasks,
            notice,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

async fn edit(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let idea = state.services.get_idea(&actor, id).await?;
    let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
    form_page(
        &state,
        &parts,
        &actor,
        Some(id),
        idea.to_input(),
        FormErrors::none(tr),
        StatusCode::OK,
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let input: IdeaInput = crate::forms::from_pairs(body, &LISTS, &[]);
    let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
    match state.services.update_idea(&actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/app/ideas/{id}?done=saved")).into_response()),
        Err(e) => {
            let stale = matches!(e, msohub_service::Error::Conflict(_));
            let errors = FormErrors::from_service(tr, e)?;
            let input = if stale {
                state.services.get_idea(&actor, id).await?.to_input()
            } else {
                input
            };
            let status = if stale {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            form_page(&state, &parts, &actor, Some(id), input, errors, status).await
        }
    }
}

async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> Result<Response, WebError> {
    state
        .services
        .set_idea_deleted(&actor, id, form.version, true)
        .await?;
    Ok(Redirect::to("/app/ideas?done=deleted").into_response())
}
