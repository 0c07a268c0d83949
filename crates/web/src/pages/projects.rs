//! Projects (Handlungsfelder) in the staff area: `/app/projects` (the list,
//! with what each chapter's chart counts and its targets in the current
//! period), `/app/projects/new`, `/app/projects/{id}/edit` and the delete
//! with its confirmation.

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
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
use msohub_service::projects::{CHART_COUNTS, Project, ProjectInput};
use msohub_service::targets::Period;
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/projects", list)
        .post("/app/projects", create)
        .get("/app/projects/new", new_form)
        .get("/app/projects/{id}/edit", edit_form)
        .post("/app/projects/{id}", update)
        .post("/app/projects/{id}/delete", delete)
}

/// A project as the list shows it.
struct Row {
    project: Project,
    /// What its chart counts, in words ("Kontakte, Veranstaltungen").
    counts: String,
    /// Its targets in the current period.
    targets: usize,
}

#[derive(Template)]
#[template(path = "projects/list.html")]
struct ListTemplate {
    page: PageContext,
    rows: Vec<Row>,
    period: Option<Period>,
    notice: Option<String>,
    can_write: bool,
}

/// The chart's kinds in words, in their fixed order.
fn counts_label(tr: crate::i18n::Tr, counts: &[String]) -> String {
    CHART_COUNTS
        .iter()
        .filter(|c| counts.iter().any(|x| x == *c))
        .map(|c| tr.t(&format!("project-counts-{c}")))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let projects = state.services.projects(&actor).await?;
    let period = state.services.current_period(&actor).await?;
    let targets = match &period {
        Some(p) => state.services.targets(&actor, p.id).await?,
        None => Vec::new(),
    };
    let page = super::staff_page(&state, &parts, &actor, "projects-title").await;
    let tr = page.tr;
    let rows = projects
        .into_iter()
        .map(|project| Row {
            counts: counts_label(tr, &project.chart_counts),
            targets: targets
                .iter()
                .filter(|t| t.project_id == project.id)
                .count(),
            project,
        })
        .collect();
    let done = crate::pages::organisations::query_param(raw.as_deref(), "done");
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            page,
            rows,
            period,
            notice: crate::forms::done_notice(tr, done.as_deref()),
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

#[derive(Template)]
#[template(path = "projects/form.html")]
struct FormTemplate {
    page: PageContext,
    /// `None` for a new project.
    id: Option<Uuid>,
    input: ProjectInput,
    errors: FormErrors,
    /// The chart's kinds: code, label, checked.
    counts: Vec<(&'static str, String, bool)>,
    /// It is the only project (then it cannot be deleted either).
    last: bool,
}

/// What the form shows after a refusal: the input, its field errors, or a
/// message about the whole form.
struct Shown {
    input: ProjectInput,
    errors: Vec<msohub_service::FieldError>,
    general: Option<&'static str>,
}

async fn form_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Option<Uuid>,
    shown: Shown,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let page = super::staff_page(
        state,
        parts,
        actor,
        if id.is_some() {
            "project-edit-title"
        } else {
            "project-new-title"
        },
    )
    .await;
    let tr = page.tr;
    let counts = CHART_COUNTS
        .iter()
        .map(|c| {
            (
                *c,
                tr.t(&format!("project-counts-{c}")),
                shown.input.chart_counts.iter().any(|x| x == c),
            )
        })
        .collect();
    // The only project cannot go: targets need one.
    let last = match id {
        Some(id) => {
            let all = state.services.projects(actor).await?;
            all.len() <= 1 && all.iter().any(|p| p.id == id)
        }
        None => false,
    };
    let mut errors = FormErrors::fields(tr, shown.errors);
    errors.general = shown.general.map(|k| tr.t(k));
    Ok(render(
        if errors.any() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &FormTemplate {
            page,
            id,
            input: shown.input,
            errors,
            counts,
            last,
        },
    ))
}

fn shown(input: ProjectInput) -> Shown {
    Shown {
        input,
        errors: Vec::new(),
        general: None,
    }
}

async fn new_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    let input = ProjectInput {
        chart_counts: vec!["contacts".into()],
        ..ProjectInput::default()
    };
    form_page(&state, &parts, &actor, None, shown(input)).await
}

async fn edit_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let p = state.services.get_project(&actor, id).await?;
    form_page(&state, &parts, &actor, Some(id), shown(p.to_input())).await
}

const LISTS: &[&str] = &["chart_counts"];

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input: ProjectInput = crate::forms::from_pairs(body, LISTS, &[]);
    match state.services.create_project(&actor, &input).await {
        Ok(_) => Ok(Redirect::to("/app/projects?done=project-created").into_response()),
        Err(msohub_service::Error::Validation(errors)) => {
            let s = Shown {
                input,
                errors,
                general: None,
            };
            form_page(&state, &parts, &actor, None, s).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn update(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input: ProjectInput = crate::forms::from_pairs(body, LISTS, &[]);
    let s = match state.services.update_project(&actor, id, &input).await {
        Ok(_) => return Ok(Redirect::to("/app/projects?done=saved").into_response()),
        Err(msohub_service::Error::Validation(errors)) => Shown {
            input,
            errors,
            general: None,
        },
        // Someone else saved first: their version, and a word about it.
        Err(msohub_service::Error::Conflict(_)) => Shown {
            general: Some("record-stale"),
            ..shown(state.services.get_project(&actor, id).await?.to_input())
        },
        Err(e) => return Err(e.into()),
    };
    form_page(&state, &parts, &actor, Some(id), s).await
}

/// Deletes a project without targets; one in use, or the last, stays and
/// its form says why.
async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let general = match state.services.delete_project(&actor, id, f.version).await {
        Ok(()) => return Ok(Redirect::to("/app/projects?done=project-deleted").into_response()),
        Err(msohub_service::Error::Validation(errors)) => {
            if errors.iter().any(|e| e.rule == "project-last") {
                "rule-project-last"
            } else {
                "rule-project-in-use"
            }
        }
        Err(msohub_service::Error::Conflict(_)) => "record-stale",
        Err(e) => return Err(e.into()),
    };
    let current = state.services.get_project(&actor, id).await?;
    let s = Shown {
        general: Some(general),
        ..shown(current.to_input())
    };
    form_page(&state, &parts, &actor, Some(id), s).await
}
