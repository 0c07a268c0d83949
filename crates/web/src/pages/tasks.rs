//! Tasks (Wiedervorlagen) in the staff area: "my tasks", "overdue", all
//! open and done ones; a form that links the task to a record; done in one
//! click.

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::forms::OneClick;
use crate::page::{PageContext, render};
use crate::pages::organisations::query_param;
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_service::Actor;
use msohub_service::tasks::{Task, TaskInput, TaskQuery};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/tasks", list)
        .post("/app/tasks", create)
        .get("/app/tasks/new", new_form)
        .get("/app/tasks/{id}", edit_form)
        .post("/app/tasks/{id}", update)
        .post("/app/tasks/{id}/done", done)
        .post("/app/tasks/{id}/reopen", reopen)
        .post("/app/tasks/{id}/delete", delete)
}

/// Where a linked record lives in the staff area.
pub fn link_href(link_type: &str, id: Uuid) -> String {
    match link_type {
        "organisation" => format!("/app/organisations/{id}"),
        "interaction" => format!("/app/interactions/{id}"),
        "need" => format!("/app/needs/{id}"),
        "person" => format!("/app/persons/{id}"),
        "meeting" => format!("/app/meetings/{id}"),
        _ => "/app/".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "tasks/list.html")]
struct ListTemplate {
    page: PageContext,
    view: String,
    views: Vec<(&'static str, String)>,
    items: Vec<Task>,
    total: u64,
    next_page: Option<String>,
    notice: Option<String>,
    can_write: bool,
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let view = query_param(raw.as_deref(), "view").unwrap_or_else(|| "mine".into());
    let cursor = query_param(raw.as_deref(), "cursor");
    let mut q = TaskQuery {
        limit: 50,
        cursor,
        ..TaskQuery::default()
    };
    match view.as_str() {
        "overdue" => q.overdue = true,
        "open" => q.open = true,
        "done" => q.done = true,
        _ => {
            q.open = true;
            q.assignee = actor.user_id;
        }
    }
    let result = state.services.list_tasks(&actor, &q).await?;
    let page = super::staff_page(&state, &parts, &actor, "tasks-title").await;
    let tr = page.tr;
    let views = ["mine", "overdue", "open", "done"]
        .into_iter()
        .map(|v| (v, tr.t(&format!("tasks-view-{v}"))))
        .collect();
    let next_page = result
        .next_cursor
        .map(|c| format!("/app/tasks?view={view}&cursor={c}"));
    let notice = crate::forms::done_notice(tr, query_param(raw.as_deref(), "done").as_deref());
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            page,
            view,
            views,
            items: result.items,
            total: result.total,
            next_page,
            notice,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

#[derive(Template)]
#[template(path = "tasks/form.html")]
struct FormTemplate {
    page: PageContext,
    id: Option<Uuid>,
    input: TaskInput,
    errors: FormErrors,
    assignees: Vec<(String, String, bool)>,
    link: Option<(String, String)>,
    done: bool,
}

async fn form_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Option<Uuid>,
    input: TaskInput,
    errors: Vec<msohub_service::FieldError>,
    stale: bool,
) -> Result<Response, WebError> {
    let page = super::staff_page(
        state,
        parts,
        actor,
        if id.is_some() {
            "task-edit-title"
        } else {
            "task-new-title"
        },
    )
    .await;
    let tr = page.tr;
    let assignees = state
        .services
        .colleagues(actor)
        .await?
        .into_iter()
        .map(|r| {
            let selected = r.id.to_string() == input.assignee_id;
            (r.id.to_string(), r.name, selected)
        })
        .collect();
    let link = match input.link_id.parse::<Uuid>() {
        Ok(lid) if !input.link_type.is_empty() => state
            .services
            .link_label_of(actor, &input.link_type, lid)
            .await?
            .map(|label| {
                (
                    link_href(&input.link_type, lid),
                    format!("{}: {label}", tr.t(&format!("link-{}", input.link_type))),
                )
            }),
        _ => None,
    };
    let mut form_errors = FormErrors::fields(tr, errors);
    if stale {
        form_errors.general = Some(tr.t("task-stale"));
    }
    let status = if form_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let done = input.done;
    Ok(render(
        status,
        &FormTemplate {
            page,
            id,
            input,
            errors: form_errors,
            assignees,
            link,
            done,
        },
    ))
}

async fn new_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let q = |k: &str| query_param(raw.as_deref(), k).unwrap_or_default();
    let input = TaskInput {
        link_type: q("link_type"),
        link_id: q("link_id"),
        assignee_id: actor.user_id.map(|u| u.to_string()).unwrap_or_default(),
        due_on: (msohub_service::time::today() + chrono::Duration::days(7)).to_string(),
        ..TaskInput::default()
    };
    form_page(&state, &parts, &actor, None, input, Vec::new(), false).await
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input: TaskInput = crate::forms::from_pairs(body, &[], &["done"]);
    match state.services.create_task(&actor, &input).await {
        Ok(t) => {
            let back = match &t.link {
                Some(l) => format!("{}?done=task-created", link_href(&l.link_type, l.id)),
                None => "/app/tasks?done=task-created".to_owned(),
            };
            Ok(Redirect::to(&back).into_response())
        }
        Err(msohub_service::Error::Validation(f)) => {
            form_page(&state, &parts, &actor, None, input, f, false).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let t = state.services.get_task(&actor, id).await?;
    form_page(
        &state,
        &parts,
        &actor,
        Some(id),
        t.to_input(),
        Vec::new(),
        false,
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
    actor.require(Permission::WriteStaffArea)?;
    let input: TaskInput = crate::forms::from_pairs(body, &[], &["done"]);
    let saved = state.services.update_task(&actor, id, &input).await;
    crate::forms::save_or_show(
        saved,
        input,
        |_| "/app/tasks?done=saved".to_owned(),
        async || Ok(state.services.get_task(&actor, id).await?.to_input()),
        async |input, errors, stale| {
            form_page(&state, &parts, &actor, Some(id), input, errors, stale).await
        },
    )
    .await
}

async fn set_done(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    f: OneClick,
    done: bool,
) -> Result<Response, WebError> {
    let outcome = match state
        .services
        .set_task_done(actor, id, f.version, done)
        .await
    {
        Ok(_) if done => "task-done",
        Ok(_) => "task-reopened",
        Err(msohub_service::Error::Conflict(_)) => "stale",
        Err(e) => return Err(e.into()),
    };
    Ok(f.back_with("/app/tasks", outcome).into_response())
}

async fn done(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<OneClick>,
) -> Result<Response, WebError> {
    set_done(&state, &actor, id, f, true).await
}

async fn reopen(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<OneClick>,
) -> Result<Response, WebError> {
    set_done(&state, &actor, id, f, false).await
}

async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<OneClick>,
) -> Result<Response, WebError> {
    match state.services.delete_task(&actor, id, f.version).await {
        Ok(()) => Ok(Redirect::to("/app/tasks?done=task-deleted").into_response()),
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to("/app/tasks?done=stale").into_response())
        }
        Err(e) => Err(e.into()),
    }
}
