//! Bodies and their meetings in the staff area: `/app/bodies` (list, page
//! with members, meetings and attendance over time), `/app/meetings/{id}`
//! (agenda, minutes, who represented which organisation, invitations) and
//! the one-screen attendance list.

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
use msohub_domain::bodies::{AttendanceStatus, BodyKind, MeetingStatus, MemberRole};
use msohub_domain::work::Mode;
use msohub_service::Actor;
use msohub_service::bodies::{Body, BodyInput, Member, MemberInput};
use msohub_service::interactions::Ref;
use msohub_service::meetings::{
    AgendaItem, AttendanceInput, BodyAttendance, Meeting, MeetingInput, MeetingQuery,
};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/bodies", list)
        .post("/app/bodies/oparl", oparl_sync)
        .post("/app/bodies", create)
        .get("/app/bodies/new", new_form)
        .get("/app/bodies/{id}", show)
        .post("/app/bodies/{id}", update)
        .get("/app/bodies/{id}/edit", edit_form)
        .post("/app/bodies/{id}/members", add_member)
        .post("/app/memberships/{id}/end", end_member)
        .post("/app/meetings", create_meeting)
        .get("/app/meetings/new", new_meeting)
        .get("/app/meetings/{id}", show_meeting)
        .post("/app/meetings/{id}", update_meeting)
        .get("/app/meetings/{id}/edit", edit_meeting)
        .post("/app/meetings/{id}/delete", delete_meeting)
        .get("/app/meetings/{id}/attendance", attendance_form)
        .post("/app/meetings/{id}/attendance", save_attendance)
        .post("/app/meetings/{id}/invite", invite)
        .post("/app/bodies/{id}/feed", new_feed)
        .get("/calendar/bodies/{id}", public_feed)
        .get("/calendar/bodies/s/{secret}", secret_feed)
}

/// A public calendar: shared caches may keep it for five minutes.
pub(crate) fn ics(body: String) -> Response {
    calendar_response(body, "public, max-age=300")
}

/// A calendar behind a secret address: only the subscriber's own client
/// may keep it, never a shared cache (which would hand it to others).
pub(crate) fn private_ics(body: String) -> Response {
    calendar_response(body, "private, max-age=300")
}

fn calendar_response(body: String, cache: &'static str) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/calendar; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}

/// A public body's meetings as a calendar anyone may subscribe to.
async fn public_feed(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: Uuid = id
        .trim_end_matches(".ics")
        .parse()
        .map_err(|_| WebError::NotFound)?;
    Ok(ics(state
        .services
        .public_body_feed(id)
        .await?
        .ok_or(WebError::NotFound)?))
}

/// An internal body's meetings, for those given the secret address.
async fn secret_feed(
    State(state): State<AppState>,
    Path(secret): Path<String>,
) -> Result<Response, WebError> {
    let secret = secret.trim_end_matches(".ics");
    if secret.len() != 48 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(WebError::NotFound);
    }
    Ok(private_ics(
        state
            .services
            .secret_body_feed(secret)
            .await?
            .ok_or(WebError::NotFound)?,
    ))
}

#[derive(Template)]
#[template(path = "bodies/feed_created.html")]
struct FeedCreatedTemplate {
    page: PageContext,
    body: Body,
    url: String,
}

async fn new_feed(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let secret = state.services.new_body_feed(&actor, id).await?;
    let body = state.services.get_body(&actor, id).await?;
    let page = super::staff_page(&state, &parts, &actor, "body-feed-title").await;
    let url = format!(
        "{}/calendar/bodies/s/{secret}",
        crate::pages::account::origin(&parts)
    );
    Ok(render(
        StatusCode::OK,
        &FeedCreatedTemplate { page, body, url },
    ))
}

fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    prefix: &str,
    value: &str,
    tr: crate::i18n::Tr,
) -> Vec<(&'static str, String, bool)> {
    all.iter()
        .map(|v| {
            let c = code(*v);
            (c, tr.t(&format!("{prefix}-{c}")), c == value)
        })
        .collect()
}

// --- bodies ----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "bodies/list.html")]
struct ListTemplate {
    page: PageContext,
    bodies: Vec<Body>,
    can_write: bool,
    oparl: msohub_service::oparl::OparlConfig,
    report: Option<msohub_service::oparl::OparlReport>,
    errors: FormErrors,
}

async fn list_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    report: Option<msohub_service::oparl::OparlReport>,
    errors: Vec<msohub_service::FieldError>,
    entered: Option<msohub_service::oparl::OparlConfig>,
) -> Result<Response, WebError> {
    let bodies = state.services.list_bodies(actor, false).await?;
    let page = super::staff_page(state, parts, actor, "bodies-title").await;
    let oparl = match entered {
        Some(e) => e,
        None => state.services.oparl_config(actor).await?,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let errors = FormErrors::fields(page.tr, errors);
    Ok(render(
        status,
        &ListTemplate {
            page,
            bodies,
            can_write: actor.can(Permission::WriteStaffArea),
            oparl,
            report,
            errors,
        },
    ))
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    list_page(&state, &parts, &actor, None, Vec::new(), None).await
}

#[derive(serde::Deserialize, Default)]
struct OparlForm {
    #[serde(default)]
    system_url: String,
    #[serde(default)]
    organisation: String,
}

async fn oparl_sync(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    form: Result<Form<OparlForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let f = form.map(|Form(f)| f).unwrap_or_default();
    match state
        .services
        .oparl_sync(&actor, Some(&f.system_url), Some(&f.organisation))
        .await
    {
        Ok(report) => list_page(&state, &parts, &actor, Some(report), Vec::new(), None).await,
        Err(msohub_service::Error::Validation(fields)) => {
            let entered = msohub_service::oparl::OparlConfig {
                system_url: f.system_url,
                organisation: f.organisation,
                last_sync: None,
            };
            list_page(&state, &parts, &actor, None, fields, Some(entered)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "bodies/form.html")]
struct BodyFormTemplate {
    page: PageContext,
    id: Option<Uuid>,
    input: BodyInput,
    errors: FormErrors,
    kinds: Vec<(&'static str, String, bool)>,
    organisers: Vec<(String, String, bool)>,
}

async fn body_form(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Option<Uuid>,
    input: BodyInput,
    errors: Vec<msohub_service::FieldError>,
    stale: bool,
) -> Result<Response, WebError> {
    let page = super::staff_page(
        state,
        parts,
        actor,
        if id.is_some() {
            "body-edit-title"
        } else {
            "body-new-title"
        },
    )
    .await;
    let tr = page.tr;
    let kinds = options(BodyKind::ALL, BodyKind::code, "body-kind", &input.kind, tr);
    let mut organisers: Vec<(String, String, bool)> = state
        .services
        .organisation_names(actor, 5_000)
        .await?
        .into_iter()
        .map(|r| {
            let s = r.id.to_string() == input.organiser_id;
            (r.id.to_string(), r.name, s)
        })
        .collect();
    organisers.insert(
        0,
        (String::new(), tr.t("choose"), input.organiser_id.is_empty()),
    );
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
        &BodyFormTemplate {
            page,
            id,
            input,
            errors: form_errors,
            kinds,
            organisers,
        },
    ))
}

async fn new_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input = BodyInput {
        kind: "working_group".into(),
        ..BodyInput::default()
    };
    body_form(&state, &parts, &actor, None, input, Vec::new(), false).await
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input: BodyInput = crate::forms::from_pairs(body, &[], &["is_public"]);
    match state.services.create_body(&actor, &input).await {
        Ok(b) => {
            Ok(Redirect::to(&format!("/app/bodies/{}?done=body-created", b.id)).into_response())
        }
        Err(msohub_service::Error::Validation(f)) => {
            body_form(&state, &parts, &actor, None, input, f, false).await
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
    actor.require(Permission::WriteStaffArea)?;
    let b = state.services.get_body(&actor, id).await?;
    body_form(
        &state,
        &parts,
        &actor,
        Some(id),
        b.to_input(),
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
    let input: BodyInput = crate::forms::from_pairs(body, &[], &["is_public"]);
    match state.services.update_body(&actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/app/bodies/{id}?done=saved")).into_response()),
        Err(msohub_service::Error::Validation(f)) => {
            body_form(&state, &parts, &actor, Some(id), input, f, false).await
        }
        Err(msohub_service::Error::Conflict(_)) => {
            let b = state.services.get_body(&actor, id).await?;
            body_form(
                &state,
                &parts,
                &actor,
                Some(id),
                b.to_input(),
                Vec::new(),
                true,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// One bar of the attendance chart.
pub struct AttendanceBar {
    pub label: String,
    pub organisations: usize,
    pub people: usize,
    pub staff: usize,
    pub x: usize,
    pub height: usize,
}

#[derive(Template)]
#[template(path = "bodies/show.html")]
struct ShowTemplate {
    page: PageContext,
    body: Body,
    upcoming: Vec<Meeting>,
    past: Vec<Meeting>,
    stats: BodyAttendance,
    bars: Vec<AttendanceBar>,
    persons: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    staff: Vec<Ref>,
    roles: Vec<(&'static str, String, bool)>,
    errors: FormErrors,
    notice: Option<String>,
    can_write: bool,
}

async fn show_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<msohub_service::FieldError>,
) -> Result<Response, WebError> {
    let body = state.services.get_body(actor, id).await?;
    let mut page = super::staff_page(state, parts, actor, "bodies-title").await;
    page.title = body.name.clone();
    let tr = page.tr;
    let now = chrono::Utc::now();
    let upcoming = state
        .services
        .list_meetings(
            actor,
            &MeetingQuery {
                body: Some(id),
                from: Some(now - chrono::Duration::hours(3)),
                ascending: true,
                limit: 20,
                ..Default::default()
            },
        )
        .await?
        .items;
    let past = state
        .services
        .list_meetings(
            actor,
            &MeetingQuery {
                body: Some(id),
                to: Some(now - chrono::Duration::hours(3)),
                limit: 50,
                ..Default::default()
            },
        )
        .await?
        .items;
    let stats = state.services.body_attendance(actor, id).await?;
    let chart_max = stats
        .meetings
        .iter()
        .map(|m| m.organisations.max(m.people))
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = stats
        .meetings
        .iter()
        .enumerate()
        .map(|(i, m)| AttendanceBar {
            label: format!(
                "{} – {}",
                m.starts_at
                    .with_timezone(&chrono_tz::Europe::Berlin)
                    .format("%d.%m.%Y"),
                m.title
            ),
            organisations: m.organisations,
            people: m.people,
            staff: m.staff,
            x: i * 40 + 10,
            height: m.organisations * 100 / chart_max,
        })
        .collect();
    let persons = if actor.can(Permission::WriteStaffArea) {
        state
            .services
            .list_persons(actor, "", None, 500)
            .await?
            .items
            .into_iter()
            .map(|p| (p.id.to_string(), p.name()))
            .collect()
    } else {
        Vec::new()
    };
    let organisations = state
        .services
        .organisation_names(actor, 5_000)
        .await?
        .into_iter()
        .map(|r| (r.id.to_string(), r.name))
        .collect();
    let staff = state.services.colleagues(actor).await?;
    let roles = options(
        MemberRole::ALL,
        MemberRole::code,
        "member-role",
        "member",
        tr,
    );
    Ok(render(
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        &ShowTemplate {
            page,
            body,
            upcoming,
            past,
            stats,
            bars,
            persons,
            organisations,
            staff,
            roles,
            errors: FormErrors::fields(tr, errors),
            notice,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let tr = crate::i18n::Tr::new(crate::i18n::request_language_parts(&parts));
    let notice = crate::forms::done_notice(tr, query_param(raw.as_deref(), "done").as_deref());
    show_page(&state, &parts, &actor, id, notice, Vec::new()).await
}

async fn add_member(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input: MemberInput = crate::forms::from_pairs(body, &[], &[]);
    match state.services.add_member(&actor, id, &input).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/app/bodies/{id}?done=member-added#members")).into_response(),
        ),
        Err(msohub_service::Error::Validation(f)) => {
            show_page(&state, &parts, &actor, id, None, f).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
struct EndForm {
    #[serde(default)]
    on: String,
}

async fn end_member(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<EndForm>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let on = msohub_service::time::parse_date(&f.on);
    let body = state.services.end_member(&actor, id, on).await?;
    Ok(Redirect::to(&format!("/app/bodies/{body}?done=member-ended#members")).into_response())
}

// --- meetings ----------------------------------------------------------------------

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
    let input = MeetingInput {
        body_id: query_param(raw.as_deref(), "body").unwrap_or_default(),
        mode: "in_person".into(),
        status: "planned".into(),
        minutes_status: "draft".into(),
        ..MeetingInput::default()
    };
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
    match state.services.update_meeting(&actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/app/meetings/{id}?done=saved")).into_response()),
        Err(msohub_service::Error::Validation(f)) => {
            meeting_form(&state, &parts, &actor, Some(id), input, f, false).await
        }
        Err(msohub_service::Error::Conflict(_)) => {
            let m = state.services.get_meeting(&actor, id).await?;
            meeting_form(
                &state,
                &parts,
                &actor,
                Some(id),
                m.to_input(),
                Vec::new(),
                true,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
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

/// One line of the attendance screen.
pub struct AttendanceLine {
    pub key: String,
    pub name: String,
    pub organisation: String,
    pub staff: bool,
    pub member: bool,
    pub status: String,
    pub mode: String,
}

#[derive(Template)]
#[template(path = "meetings/attendance.html")]
struct AttendanceTemplate {
    page: PageContext,
    meeting: Meeting,
    lines: Vec<AttendanceLine>,
    statuses: Vec<(&'static str, String)>,
    guests: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    errors: FormErrors,
}

async fn attendance_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Uuid,
    errors: Vec<msohub_service::FieldError>,
    stale: bool,
) -> Result<Response, WebError> {
    let meeting = state.services.get_meeting(actor, id).await?;
    let members: Vec<Member> = state.services.members_at(actor, &meeting).await?;
    let page = super::staff_page(state, parts, actor, "attendance-title").await;
    let tr = page.tr;
    let mut lines: Vec<AttendanceLine> = members
        .iter()
        .map(|m| {
            let key = m.attendee();
            let rec = meeting.attendance.iter().find(|a| a.attendee == key);
            AttendanceLine {
                name: m.name().to_owned(),
                organisation: m
                    .on_behalf_of
                    .as_ref()
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                staff: m.user.is_some(),
                member: true,
                status: rec.map(|r| r.status.clone()).unwrap_or_default(),
                mode: rec
                    .map(|r| r.mode.clone())
                    .unwrap_or_else(|| "in_person".into()),
                key,
            }
        })
        .collect();
    for a in &meeting.attendance {
        if !lines.iter().any(|l| l.key == a.attendee) {
            lines.push(AttendanceLine {
                key: a.attendee.clone(),
                name: a.name.clone(),
                organisation: a
                    .on_behalf_of
                    .as_ref()
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                staff: a.staff,
                member: false,
                status: a.status.clone(),
                mode: a.mode.clone(),
            });
        }
    }
    let statuses = AttendanceStatus::ALL
        .iter()
        .filter(|s| **s != AttendanceStatus::Guest)
        .map(|s| (s.code(), tr.t(&format!("attendance-{}", s.code()))))
        .collect();
    let guests = state
        .services
        .list_persons(actor, "", None, 500)
        .await?
        .items
        .into_iter()
        .filter(|p| !lines.iter().any(|l| l.key == format!("p:{}", p.id)))
        .map(|p| (format!("p:{}", p.id), p.name()))
        .collect();
    let organisations = state
        .services
        .organisation_names(actor, 5_000)
        .await?
        .into_iter()
        .map(|r| (r.id.to_string(), r.name))
        .collect();
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
        &AttendanceTemplate {
            page,
            meeting,
            lines,
            statuses,
            guests,
            organisations,
            errors: form_errors,
        },
    ))
}

async fn attendance_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    attendance_page(&state, &parts, &actor, id, Vec::new(), false).await
}

/// The screen sends `status:{key}` and `mode:{key}` for each line, and
/// `guest`, `guest_mode`, `guest_org` for one guest to add.
async fn save_attendance(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let get = |k: &str| {
        body.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let version: i32 = get("version").parse().unwrap_or(-1);
    let mut entries: Vec<AttendanceInput> = body
        .iter()
        .filter_map(|(k, v)| {
            let key = k.strip_prefix("status:")?;
            Some(AttendanceInput {
                attendee: key.to_owned(),
                status: v.clone(),
                mode: get(&format!("mode:{key}")),
                on_behalf_of: get(&format!("org:{key}")),
            })
        })
        .collect();
    let guest = get("guest");
    if !guest.is_empty() {
        entries.push(AttendanceInput {
            attendee: guest,
            status: "guest".into(),
            mode: get("guest_mode"),
            on_behalf_of: get("guest_org"),
        });
    }
    match state
        .services
        .set_attendance(&actor, id, version, &entries)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/app/meetings/{id}?done=attendance-saved")).into_response())
        }
        Err(msohub_service::Error::Validation(f)) => {
            attendance_page(&state, &parts, &actor, id, f, false).await
        }
        Err(msohub_service::Error::Conflict(_)) => {
            attendance_page(&state, &parts, &actor, id, Vec::new(), true).await
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
