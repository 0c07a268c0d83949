//! A body's meetings in the staff area: `/app/meetings/{id}` (the form with
//! its agenda rows, the page with minutes, invitations sent, tasks and
//! history, deleting) and sending the invitations.

use super::bodies::options;
use crate::auth::CurrentUser;
use crate::forms::FormErrors;
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
use msohub_domain::bodies::MeetingStatus;
use msohub_domain::work::Mode;
use msohub_service::Actor;
use msohub_service::meetings::{AgendaItem, Meeting, MeetingInput, MeetingQuery};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/meetings", list)
        .post("/app/meetings", create_meeting)
        .get("/app/meetings/new", new_meeting)
        .get("/app/meetings/{id}", show_meeting)
        .post("/app/meetings/{id}", update_meeting)
        .get("/app/meetings/{id}/edit", edit_meeting)
        .post("/app/meetings/{id}/delete", delete_meeting)
        .post("/app/meetings/{id}/invite", invite)
}

#[derive(Template)]
#[template(path = "meetings/form.html")]
struct MeetingFormTemplate {
    page: PageContext,
    id: Option<Uuid>,
    input: MeetingInput,
    errors: FormErrors,
    body_name: String,
    imported: bool,
    modes: Vec<(&'static str, String, bool)>,
    statuses: Vec<(&'static str, String, bool)>,
    minutes_statuses: Vec<(&'static str, String, bool)>,
    /// The agenda rows: existing items plus empty ones to add.
    agenda: Vec<(usize, AgendaItem)>,
}

async fn meeting_form(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Option<Uuid>,
    input: MeetingInput,
    errors: Vec<msohub_service::FieldError>,
    stale: bool,
) -> Result<Response, WebError> {
    let imported = match id {
        Some(id) => state.services.get_meeting(actor, id).await?.imported,
        None => false,
    };
    let page = super::staff_page(
        state,
        parts,
        actor,
        if id.is_some() {
            "meeting-edit-title"
        } else {
            "meeting-new-title"
        },
    )
    .await;
    let tr = page.tr;
    let body_name = match input.body_id.parse::<Uuid>() {
        Ok(b) => state.services.get_body(actor, b).await?.name,
        Err(_) => return Err(WebError::NotFound),
    };
    let modes = options(Mode::ALL, Mode::code, "mode", &input.mode, tr);
    let statuses = options(
        MeetingStatus::ALL,
        MeetingStatus::code,
        "meeting-status",
        &input.status,
        tr,
    );
    let minutes_statuses = ["draft", "approved"]
        .into_iter()
        .map(|c| {
            (
                c,
                tr.t(&format!("minutes-{c}")),
                c == input.minutes_status || (c == "draft" && input.minutes_status.is_empty()),
            )
        })
        .collect();
    let mut agenda: Vec<(usize, AgendaItem)> = input.agenda.iter().cloned().enumerate().collect();
    for _ in 0..3 {
        agenda.push((
            agenda.len(),
            AgendaItem {
                title: String::new(),
                outcome: String::new(),
            },
        ));
    }
    let mut form_errors = FormErrors::fields(tr, errors);
    if stale {
        form_errors.general = Some(tr.t("record-stale"));
    }
    let status = if form_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &MeetingFormTemplate {
            page,
            id,
            input,
            errors: form_errors,
            body_name,
            imported,
            modes,
            statuses,
            minutes_statuses,
            agenda,
        },
    ))
}

/// The form body as an input: agenda rows are `agenda_title` and
/// `agenda_outcome`, paired by position.
fn meeting_input(body: Vec<(String, String)>) -> MeetingInput {
    let titles: Vec<String> = body
        .iter()
        .filter(|(k, _)| k == "agenda_title")
        .map(|(_, v)| v.clone())
        .collect();
    let outcomes: Vec<String> = body
        .iter()
        .filter(|(k, _)| k == "agenda_outcome")
        .map(|(_, v)| v.clone())
        .collect();
    let rest: Vec<(String, String)> = body
        .into_iter()
        .filter(|(k, _)| !k.starts_with("agenda_"))
        .collect();
    let mut input: MeetingInput = crate::forms::from_pairs(rest, &[], &[]);
    input.agenda = titles
        .into_iter()
        .enumerate()
        .filter(|(_, t)| !t.trim().is_empty())
        .map(|(i, title)| AgendaItem {
            title,
            outcome: outcomes.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    input
}

async fn new_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input = MeetingInput::planned(query_param(raw.as_deref(), "body").unwrap_or_default());
    meeting_form(&state, &parts, &actor, None, input, Vec::new(), false).await
}

async fn create_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input = meeting_input(body);
    match state.services.create_meeting(&actor, &input).await {
        Ok(m) => Ok(
            Redirect::to(&format!("/app/meetings/{}?done=meeting-created", m.id)).into_response(),
        ),
        Err(msohub_service::Error::Validation(f)) => {
            meeting_form(&state, &parts, &actor, None, input, f, false).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let m = state.services.get_meeting(&actor, id).await?;
    meeting_form(
        &state,
        &parts,
        &actor,
        Some(id),
        m.to_input(),
        Vec::new(),
        false,
    )
    .await
}

async fn update_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input = meeting_input(body);
    let saved = state.services.update_meeting(&actor, id, &input).await;
    crate::forms::save_or_show(
        saved,
        input,
        |_| format!("/app/meetings/{id}?done=saved"),
        async || Ok(state.services.get_meeting(&actor, id).await?.to_input()),
        async |input, errors, stale| {
            meeting_form(&state, &parts, &actor, Some(id), input, errors, stale).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "meetings/show.html")]
struct MeetingTemplate {
    page: PageContext,
    meeting: Meeting,
    minutes_html: String,
    deliveries: Vec<msohub_service::mail::Delivery>,
    tasks: Vec<msohub_service::tasks::Task>,
    history: Vec<(chrono::DateTime<chrono::Utc>, String, String)>,
    notice: Option<String>,
    invite_error: Option<String>,
    can_write: bool,
    /// The members' answers from the portal.
    answers: Vec<msohub_service::portal::meetings::MeetingAnswer>,
}

async fn show_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let meeting = state.services.get_meeting(&actor, id).await?;
    let mut page = super::staff_page(&state, &parts, &actor, "bodies-title").await;
    page.title = meeting.title.clone();
    let tr = page.tr;
    let deliveries = state.services.deliveries(&actor, id).await?;
    let answers = state.services.meeting_answers(&actor, id).await?;
    let tasks = state
        .services
        .list_tasks(
            &actor,
            &msohub_service::tasks::TaskQuery {
                link: Some(("meeting".into(), id)),
                limit: 100,
                ..Default::default()
            },
        )
        .await?
        .items;
    let history = state
        .services
        .record_history(&actor, "meeting", id)
        .await?
        .into_iter()
        .map(|e| (e.at, e.actor, e.action))
        .collect();
    let notice = crate::forms::done_notice(tr, query_param(raw.as_deref(), "done").as_deref());
    let invite_error = query_param(raw.as_deref(), "invite_error")
        .filter(|r| ["smtp-off", "no-recipients", "meeting-not-open"].contains(&r.as_str()))
        .map(|r| tr.t(&format!("rule-{r}")));
    Ok(render(
        StatusCode::OK,
        &MeetingTemplate {
            page,
            minutes_html: msohub_docs::markdown_to_html(&meeting.minutes),
            meeting,
            deliveries,
            tasks,
            history,
            notice,
            invite_error,
            can_write: actor.can(Permission::WriteStaffArea),
            answers,
        },
    ))
}

async fn delete_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let body = state.services.get_meeting(&actor, id).await?.body.id;
    match state.services.delete_meeting(&actor, id, f.version).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/app/bodies/{body}?done=meeting-deleted")).into_response())
        }
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/app/meetings/{id}?done=stale")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn invite(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    match state.services.invite(&actor, id, f.version, None).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/app/meetings/{id}?done=invitations-queued#invitations"
        ))
        .into_response()),
        Err(msohub_service::Error::Validation(fields)) => {
            let rule = fields.first().map_or("no-recipients", |f| f.rule.as_str());
            Ok(Redirect::to(&format!(
                "/app/meetings/{id}?invite_error={rule}#invitations"
            ))
            .into_response())
        }
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/app/meetings/{id}?done=stale")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "meetings/list.html")]
struct ListTemplate {
    page: PageContext,
    upcoming: Vec<Meeting>,
    past: Vec<Meeting>,
    more: Option<String>,
}

/// `/app/meetings`: the meetings of every body, upcoming first, then the
/// past ones newest first (100 a page, `?cursor=` for older ones).
async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let cursor = query_param(raw.as_deref(), "cursor");
    let now = chrono::Utc::now();
    let upcoming = if cursor.is_none() {
        let query = MeetingQuery {
            from: Some(now - chrono::Duration::hours(3)),
            ascending: true,
            limit: 100,
            ..Default::default()
        };
        state.services.list_meetings(&actor, &query).await?.items
    } else {
        Vec::new()
    };
    let query = MeetingQuery {
        to: Some(now - chrono::Duration::hours(3)),
        limit: 100,
        cursor,
        ..Default::default()
    };
    let past = state.services.list_meetings(&actor, &query).await?;
    let page = super::staff_page(&state, &parts, &actor, "meetings-title").await;
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            page,
            upcoming,
            past: past.items,
            more: past.next_cursor,
        },
    ))
}
