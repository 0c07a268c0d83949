//! The one-screen attendance list of a meeting:
//! `/app/meetings/{id}/attendance` shows the body's members at the meeting
//! (and anyone else recorded) with status and mode, and adds a guest.

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_domain::bodies::AttendanceStatus;
use msohub_service::Actor;
use msohub_service::meetings::{AttendanceInput, Meeting};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/meetings/{id}/attendance", attendance_form)
        .post("/app/meetings/{id}/attendance", save_attendance)
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
    /// The member's answer in the portal (expected attendance), if any.
    pub expected: Option<String>,
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
    let roster = state.services.attendance_roster(actor, &meeting).await?;
    let page = super::staff_page(state, parts, actor, "attendance-title").await;
    let tr = page.tr;
    let lines: Vec<AttendanceLine> = roster
        .into_iter()
        .map(|l| AttendanceLine {
            expected: l.answer.map(|a| match a.stand_in {
                Some(s) if a.answer == "no" => {
                    tr.t1("attendance-expected-stand-in", "name", s.name)
                }
                _ => tr.t(&format!("attendance-expected-{}", a.answer)),
            }),
            organisation: l.on_behalf_of.map(|o| o.name).unwrap_or_default(),
            key: l.key,
            name: l.name,
            staff: l.staff,
            member: l.member,
            status: l.status,
            mode: l.mode,
        })
        .collect();
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
