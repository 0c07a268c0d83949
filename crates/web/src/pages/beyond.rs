//! `/app/periods/{id}/beyond`: what the office did beyond its targets, as
//! the report will list it — found in the records, linked or typed by
//! staff — per project, to reword, move, reorder, hide, add and link.

use crate::auth::CurrentUser;
use crate::forms::{FormErrors, OneClick};
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
use msohub_service::interactions::Ref;
use msohub_service::projects::Project;
use msohub_service::report::{BeyondInput, BeyondItem, Lang};
use msohub_service::targets::Period;
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/periods/{id}/beyond", list)
        .post("/app/periods/{id}/beyond", create)
        .get("/app/periods/{id}/beyond/{item}/edit", edit)
        .post("/app/periods/{id}/beyond/{item}/edit", save)
        .post("/app/periods/{id}/beyond/{item}/move", move_item)
        .post("/app/periods/{id}/beyond/{item}/hide", toggle_hidden)
        .post("/app/periods/{id}/beyond/{item}/delete", delete)
}

/// One project's items.
struct Group {
    project: Project,
    items: Vec<BeyondItem>,
}

#[derive(Template)]
#[template(path = "report/beyond.html")]
struct ListTemplate {
    page: PageContext,
    period: Period,
    groups: Vec<Group>,
    can_write: bool,
    notice: Option<String>,
    errors: FormErrors,
    /// The add form's values after a refused add.
    form: BeyondInput,
    project_options: Vec<(String, String, bool)>,
    staff_options: Vec<(String, String, bool)>,
    /// Records to link: events around the period, staff memberships.
    event_options: Vec<(String, String, bool)>,
    membership_options: Vec<(String, String, bool)>,
}

fn options(
    items: &[Ref],
    chosen: Option<Uuid>,
    none: Option<String>,
) -> Vec<(String, String, bool)> {
    none.map(|n| (String::new(), n, chosen.is_none()))
        .into_iter()
        .chain(
            items
                .iter()
                .map(|r| (r.id.to_string(), r.name.clone(), chosen == Some(r.id))),
        )
        .collect()
}

async fn list_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Uuid,
    done: Option<String>,
    form: BeyondInput,
    errors: Vec<msohub_service::FieldError>,
) -> Result<Response, WebError> {
    let mut page = super::staff_page(state, parts, actor, "beyond-title").await;
    let notice = crate::forms::done_notice(page.tr, done.as_deref());
    let period = state.services.get_period(actor, id).await?;
    let lang = Lang::parse(page.lang.code());
    let items = state.services.beyond_items(actor, id, lang).await?;
    let projects = state.services.projects(actor).await?;
    let groups = projects
        .iter()
        .map(|p| Group {
            project: p.clone(),
            items: items
                .iter()
                .filter(|i| i.project_id == p.id)
                .cloned()
                .collect(),
        })
        .collect();
    let project_refs: Vec<Ref> = projects
        .iter()
        .map(|p| Ref {
            id: p.id,
            name: p.name.clone(),
        })
        .collect();
    let chosen = |v: &Option<String>| v.as_deref().and_then(|s| s.parse::<Uuid>().ok());
    let colleagues = state.services.colleagues(actor).await?;
    // Events from half a year before to half a year after the period.
    let q = msohub_service::events::EventQuery {
        from: period.starts_on.checked_sub_days(chrono::Days::new(183)),
        to: period.ends_on.checked_add_days(chrono::Days::new(183)),
        ascending: true,
        ..Default::default()
    };
    let (events, _) = state.services.list_events(actor, &q, 0, 500).await?;
    let event_refs: Vec<Ref> = events
        .iter()
        .map(|e| Ref {
            id: e.id,
            name: format!("{} ({})", e.title, page.date(&e.starts_at)),
        })
        .collect();
    let mut membership_refs = Vec::new();
    for b in state.services.list_bodies(actor, false).await? {
        for m in b.members.iter().filter(|m| m.user.is_some()) {
            let dates = match (m.from, m.to) {
                (Some(f), Some(t)) => format!(" ({} – {})", page.day(&f), page.day(&t)),
                (Some(f), None) => format!(" ({} –)", page.day(&f)),
                (None, Some(t)) => format!(" (– {})", page.day(&t)),
                (None, None) => String::new(),
            };
            membership_refs.push(Ref {
                id: m.id,
                name: format!("{}: {}{dates}", m.name(), b.name),
            });
        }
    }
    page.title = format!("{}: {}", page.t("beyond-title"), period.name);
    let none = page.t("beyond-none-chosen");
    let errors = FormErrors::fields(page.tr, errors);
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &ListTemplate {
            project_options: options(&project_refs, chosen(&form.project_id), None),
            staff_options: options(
                &colleagues,
                chosen(&form.user_id),
                Some(page.t("beyond-office")),
            ),
            event_options: options(&event_refs, None, Some(none.clone())),
            membership_options: options(&membership_refs, None, Some(none)),
            page,
            period,
            groups,
            can_write: actor.can(Permission::WriteStaffArea),
            notice,
            errors,
            form,
        },
    ))
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    actor.require(Permission::ReadStaffArea)?;
    let done = query_param(raw.as_deref(), "done");
    list_page(
        &state,
        &parts,
        &actor,
        id,
        done,
        BeyondInput::default(),
        Vec::new(),
    )
    .await
}

/// The form's fields as an input (empty fields: not given).
fn input_of(body: &[(String, String)]) -> BeyondInput {
    let field = |name: &str| body.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    BeyondInput {
        text: field("text"),
        record_type: field("record_type"),
        record_id: field("record_id"),
        project_id: field("project_id"),
        user_id: field("user_id"),
        date: field("date"),
        hidden: field("version").map(|_| body.iter().any(|(k, v)| k == "hidden" && v == "on")),
        position: None,
        version: field("version").and_then(|v| v.parse().ok()).unwrap_or(0),
    }
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let mut input = input_of(&body);
    input.hidden = None;
    // Linking: the chosen event or membership; else a free item.
    let linked = ["event_id", "membership_id"].iter().find_map(|k| {
        body.iter()
            .find(|(name, v)| name == k && !v.is_empty())
            .map(|(name, v)| (name.trim_end_matches("_id").to_owned(), v.clone()))
    });
    if let Some((kind, record)) = linked {
        input.record_type = Some(kind);
        input.record_id = Some(record);
        if input.text.as_deref().is_some_and(|t| t.trim().is_empty()) {
            input.text = None;
        }
    }
    match state.services.create_beyond(&actor, id, &input).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/app/periods/{id}/beyond?done=beyond-added")).into_response(),
        ),
        Err(msohub_service::Error::Validation(f)) => {
            list_page(&state, &parts, &actor, id, None, input, f).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "report/beyond_edit.html")]
struct EditTemplate {
    page: PageContext,
    period: Period,
    item: BeyondItem,
    /// The wording in the form (the staff's, or empty for the generated).
    text: String,
    date: String,
    errors: FormErrors,
    project_options: Vec<(String, String, bool)>,
    staff_options: Vec<(String, String, bool)>,
}

async fn edit_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    (id, item_id): (Uuid, Uuid),
    form: Option<BeyondInput>,
    errors: Vec<msohub_service::FieldError>,
    stale: bool,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let page = super::staff_page(state, parts, actor, "beyond-edit-title").await;
    let period = state.services.get_period(actor, id).await?;
    let lang = Lang::parse(page.lang.code());
    let item = state
        .services
        .beyond_items(actor, id, lang)
        .await?
        .into_iter()
        .find(|i| i.id == item_id)
        .ok_or(msohub_service::Error::NotFound)?;
    let projects: Vec<Ref> = state
        .services
        .projects(actor)
        .await?
        .into_iter()
        .map(|p| Ref {
            id: p.id,
            name: p.name,
        })
        .collect();
    let colleagues = state.services.colleagues(actor).await?;
    let chosen = |v: Option<&String>| v.and_then(|s| s.parse::<Uuid>().ok());
    let (text, date, project, user) = match &form {
        Some(f) => (
            f.text.clone().unwrap_or_default(),
            f.date.clone().unwrap_or_default(),
            chosen(f.project_id.as_ref()),
            chosen(f.user_id.as_ref()),
        ),
        None => (
            if item.edited || item.kind == "free" {
                item.text.clone()
            } else {
                String::new()
            },
            if item.kind == "free" {
                item.date.map(|d| d.to_string()).unwrap_or_default()
            } else {
                String::new()
            },
            Some(item.project_id),
            item.user.as_ref().map(|u| u.id),
        ),
    };
    let mut form_errors = FormErrors::fields(page.tr, errors);
    if stale {
        form_errors.general = Some(page.tr.t("record-stale"));
    }
    let status = if form_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &EditTemplate {
            project_options: options(&projects, project, None),
            staff_options: options(&colleagues, user, Some(page.t("beyond-office"))),
            page,
            period,
            item,
            text,
            date,
            errors: form_errors,
        },
    ))
}

async fn edit(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Response, WebError> {
    edit_page(&state, &parts, &actor, ids, None, Vec::new(), false).await
}

async fn save(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path((id, item)): Path<(Uuid, Uuid)>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let mut input = input_of(&body);
    input.record_type = None;
    input.record_id = None;
    if input.date.is_none() {
        input.date = None;
    }
    match state.services.update_beyond(&actor, id, item, &input).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/app/periods/{id}/beyond?done=beyond-saved")).into_response(),
        ),
        Err(msohub_service::Error::Validation(f)) => {
            edit_page(&state, &parts, &actor, (id, item), Some(input), f, false).await
        }
        Err(msohub_service::Error::Conflict(_)) => {
            edit_page(&state, &parts, &actor, (id, item), None, Vec::new(), true).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
struct MoveForm {
    #[serde(default)]
    dir: String,
}

async fn move_item(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, item)): Path<(Uuid, Uuid)>,
    Form(f): Form<MoveForm>,
) -> Result<Response, WebError> {
    state
        .services
        .move_beyond(&actor, id, item, f.dir != "down")
        .await?;
    Ok(Redirect::to(&format!("/app/periods/{id}/beyond#item-{item}")).into_response())
}

async fn toggle_hidden(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, item)): Path<(Uuid, Uuid)>,
    Form(f): Form<OneClick>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let current = state
        .services
        .beyond_items(&actor, id, Lang::De)
        .await?
        .into_iter()
        .find(|i| i.id == item)
        .ok_or(msohub_service::Error::NotFound)?;
    let input = BeyondInput {
        hidden: Some(!current.hidden),
        version: f.version,
        ..Default::default()
    };
    state
        .services
        .update_beyond(&actor, id, item, &input)
        .await?;
    let done = if current.hidden {
        "beyond-shown"
    } else {
        "beyond-hidden"
    };
    Ok(f.back_with(&format!("/app/periods/{id}/beyond"), done)
        .into_response())
}

async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, item)): Path<(Uuid, Uuid)>,
    Form(f): Form<OneClick>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    // A found item staff changed is reset, not deleted.
    let found = state
        .services
        .beyond_items(&actor, id, Lang::De)
        .await?
        .into_iter()
        .any(|i| i.id == item && !i.added);
    state
        .services
        .delete_beyond(&actor, id, item, f.version)
        .await?;
    let done = if found {
        "beyond-reset"
    } else {
        "beyond-deleted"
    };
    Ok(f.back_with(&format!("/app/periods/{id}/beyond"), done)
        .into_response())
}
