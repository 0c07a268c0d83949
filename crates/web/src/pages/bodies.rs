//! Bodies in the staff area: `/app/bodies` (list, OParl sync, form, page
//! with members, meetings and attendance over time, memberships) and the
//! bodies' meeting calendars (public, and behind a secret address). A
//! meeting's own pages are in [`super::meetings`], the attendance list in
//! [`super::attendance`].

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
use msohub_domain::bodies::{BodyKind, MemberRole};
use msohub_service::Actor;
use msohub_service::bodies::{Body, BodyInput, MemberInput};
use msohub_service::interactions::Ref;
use msohub_service::meetings::{BodyAttendance, Meeting, MeetingQuery};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    let r = r
        .get("/app/bodies", list)
        .post("/app/bodies/oparl", oparl_sync)
        .post("/app/bodies", create)
        .get("/app/bodies/new", new_form)
        .get("/app/bodies/{id}", show)
        .post("/app/bodies/{id}", update)
        .get("/app/bodies/{id}/edit", edit_form)
        .post("/app/bodies/{id}/members", add_member)
        .post("/app/memberships/{id}/end", end_member)
        .post("/app/bodies/{id}/members/{mid}/delete", delete_member)
        .post("/app/bodies/{id}/feed", new_feed)
        .get("/calendar/bodies/{id}", public_feed)
        .get("/calendar/bodies/s/{secret}", secret_feed);
    let r = super::meetings::routes(r);
    super::attendance::routes(r)
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

pub(super) fn options<T: Copy>(
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
    let saved = state.services.update_body(&actor, id, &input).await;
    crate::forms::save_or_show(
        saved,
        input,
        |_| format!("/app/bodies/{id}?done=saved"),
        async || Ok(state.services.get_body(&actor, id).await?.to_input()),
        async |input, errors, stale| {
            body_form(&state, &parts, &actor, Some(id), input, errors, stale).await
        },
    )
    .await
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

/// Deletes a membership entered by mistake (after the confirmation in the
/// member list).
async fn delete_member(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, mid)): Path<(Uuid, Uuid)>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    state.services.delete_member(&actor, id, mid).await?;
    Ok(Redirect::to(&format!("/app/bodies/{id}?done=member-deleted#members")).into_response())
}
