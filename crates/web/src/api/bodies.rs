//! `/api/v1/bodies` and `/api/v1/meetings`: bodies with members, meetings
//! with agenda, minutes and attendance, invitations by e-mail.

use super::Path;
use super::{ApiJson, Problem};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::query::Query;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_domain::Permission;
use msohub_service::bodies::{Body, BodyInput, MemberInput};
use msohub_service::mail::{Delivery, InvitationReport};
use msohub_service::meetings::{
    AttendanceInput, BodyAttendance, Meeting, MeetingInput, MeetingPage, MeetingQuery,
};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/bodies", list_bodies)
        .post("/api/v1/bodies", create_body)
        .get("/api/v1/bodies/{id}", get_body)
        .patch("/api/v1/bodies/{id}", patch_body)
        .delete("/api/v1/bodies/{id}", delete_body)
        .post("/api/v1/bodies/{id}/members", add_member)
        .delete("/api/v1/bodies/{id}/members/{mid}", delete_member)
        .get("/api/v1/bodies/{id}/attendance", body_attendance)
        .delete("/api/v1/memberships/{id}", end_member)
        .get("/api/v1/meetings", list_meetings)
        .post("/api/v1/meetings", create_meeting)
        .get("/api/v1/meetings/{id}", get_meeting)
        .patch("/api/v1/meetings/{id}", patch_meeting)
        .delete("/api/v1/meetings/{id}", delete_meeting)
        .get("/api/v1/meetings/{id}/attendance", get_attendance)
        .put("/api/v1/meetings/{id}/attendance", put_attendance)
        .get("/api/v1/meetings/{id}/invitations", list_invitations)
        .post("/api/v1/meetings/{id}/invitations", invite)
        .get("/api/v1/oparl", oparl_config)
        .post("/api/v1/oparl/sync", oparl_sync)
}

/// The OParl import's configuration
#[utoipa::path(get, operation_id = "oparlConfig", path = "/api/v1/oparl", tag = "bodies",
    responses((status = 200, description = "What is imported and when it last ran", body = msohub_service::oparl::OparlConfig)))]
pub(super) async fn oparl_config(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.oparl_config(&actor).await?).into_response())
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub(super) struct OparlBody {
    /// The URL of the OParl System object (default: the stored one).
    system_url: Option<String>,
    /// The organisation's name or short name (default: the stored one).
    organisation: Option<String>,
}

/// Import from the council information system
///
/// Mirrors the organisation and its meetings (after the first run: only
/// what changed). Malformed objects are skipped and reported.
#[utoipa::path(post, operation_id = "oparlSync", path = "/api/v1/oparl/sync", tag = "bodies",
    request_body = OparlBody,
    responses((status = 200, description = "What the run did", body = msohub_service::oparl::OparlReport)))]
pub(super) async fn oparl_sync(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    body: Result<ApiJson<OparlBody>, ApiError>,
) -> Result<Response, ApiError> {
    let body = super::writer(&actor, body)?;
    let report = state
        .services
        .oparl_sync(
            &actor,
            body.system_url.as_deref(),
            body.organisation.as_deref(),
        )
        .await?;
    Ok(Json(report).into_response())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct BodyList {
    items: Vec<Body>,
    /// Always null: the list is complete.
    next_cursor: Option<String>,
}

/// The query of the body list.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(super) struct BodyParams {
    /// Only deleted ones.
    deleted: bool,
}

/// List bodies
#[utoipa::path(get, operation_id = "listBodies", path = "/api/v1/bodies", tag = "bodies",
    params(BodyParams),
    responses((status = 200, description = "All bodies with their members", body = BodyList)))]
pub(super) async fn list_bodies(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(p): Query<BodyParams>,
) -> Result<Response, ApiError> {
    let items = state.services.list_bodies(&actor, p.deleted).await?;
    Ok(Json(BodyList {
        items,
        next_cursor: None,
    })
    .into_response())
}

/// Get a body
#[utoipa::path(get, operation_id = "getBody", path = "/api/v1/bodies/{id}", tag = "bodies",
    params(("id" = Uuid, Path)), responses((status = 200, description = "The body", body = Body)))]
pub(super) async fn get_body(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_body(&actor, id).await?).into_response())
}

/// Create a body
#[utoipa::path(post, operation_id = "createBody", path = "/api/v1/bodies", tag = "bodies",
    request_body = BodyInput, responses((status = 201, description = "Created", body = Body)))]
pub(super) async fn create_body(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    input: Result<ApiJson<BodyInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, input)?;
    Ok((
        StatusCode::CREATED,
        Json(state.services.create_body(&actor, &input).await?),
    )
        .into_response())
}

/// Change a body
#[utoipa::path(patch, operation_id = "changeBody", path = "/api/v1/bodies/{id}", tag = "bodies",
    params(("id" = Uuid, Path)),
    request_body(content = BodyInput, description = "Only the fields to change, plus `version`"),
    responses((status = 200, description = "Changed", body = Body),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn patch_body(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    patch: Result<ApiJson<serde_json::Value>, ApiError>,
) -> Result<Response, ApiError> {
    let patch = super::writer(&actor, patch)?;
    Ok(Json(state.services.patch_body(&actor, id, &patch).await?).into_response())
}

/// Delete a body
#[utoipa::path(delete, operation_id = "deleteBody", path = "/api/v1/bodies/{id}", tag = "bodies",
    params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn delete_body(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    state
        .services
        .set_body_deleted(&actor, id, super::version_param(raw.as_deref())?, true)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Add a member
///
/// A person (`person_id`, optionally `on_behalf_of` an organisation) or a
/// staff member of the office (`user_id`), with `role`, `from`, `to`.
#[utoipa::path(post, operation_id = "addMember", path = "/api/v1/bodies/{id}/members", tag = "bodies",
    params(("id" = Uuid, Path)), request_body = MemberInput,
    responses((status = 201, description = "Added", body = super::Created)))]
pub(super) async fn add_member(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    input: Result<ApiJson<MemberInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, input)?;
    let mid = state.services.add_member(&actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": mid }))).into_response())
}

/// Delete a membership
///
/// For one entered by mistake; it is gone from the body's members (the
/// audit log keeps it). A membership that ended is ended instead
/// (`DELETE /api/v1/memberships/{id}?on=…`).
#[utoipa::path(delete, operation_id = "deleteMembership", path = "/api/v1/bodies/{id}/members/{mid}", tag = "bodies",
    params(("id" = Uuid, Path, description = "The body"), ("mid" = Uuid, Path, description = "The membership")),
    responses((status = 204, description = "Deleted"),
        (status = 404, description = "No such membership of this body", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn delete_member(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((id, mid)): Path<(Uuid, Uuid)>,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    state.services.delete_member(&actor, id, mid).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// End a membership
///
/// On `on` (YYYY-MM-DD; default today). The membership stays on record.
#[utoipa::path(delete, operation_id = "endMembership", path = "/api/v1/memberships/{id}", tag = "bodies",
    params(("id" = Uuid, Path), ("on" = Option<chrono::NaiveDate>, Query, description = "The last day (default today)")),
    responses((status = 204, description = "Ended")))]
pub(super) async fn end_member(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Query(p): Query<EndParams>,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    state.services.end_member(&actor, id, p.on).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(serde::Deserialize)]
pub(super) struct EndParams {
    on: Option<chrono::NaiveDate>,
}

/// Attendance at a body's meetings
///
/// Per held meeting and per organisation; `with_staff` counts the held
/// meetings the office attended.
#[utoipa::path(get, operation_id = "bodyAttendance", path = "/api/v1/bodies/{id}/attendance", tag = "bodies",
    params(("id" = Uuid, Path)), responses((status = 200, description = "Figures", body = BodyAttendance)))]
pub(super) async fn body_attendance(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.body_attendance(&actor, id).await?).into_response())
}

/// The query of the meeting list.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(super) struct MeetingParams {
    /// Only this body's meetings.
    body: Option<Uuid>,
    /// Statuses; repeatable.
    status: Vec<String>,
    /// From this day (Berlin).
    from: Option<chrono::NaiveDate>,
    /// Up to and including this day.
    to: Option<chrono::NaiveDate>,
    /// `desc` (default: latest first) or `asc`.
    order: Option<String>,
    /// Opaque: the `next_cursor` of the previous page (another answers 422
    /// `cursor-invalid`).
    cursor: Option<String>,
    /// Page size, 1 to 500 (default 50); others are refused (422).
    #[param(minimum = 1, maximum = 500)]
    #[serde(deserialize_with = "super::contract::limit")]
    limit: Option<u32>,
}

/// List meetings
///
/// A parameter of the wrong type or an unknown code answers 422 naming it.
#[utoipa::path(get, operation_id = "listMeetings", path = "/api/v1/meetings", tag = "meetings",
    params(MeetingParams),
    responses((status = 200, description = "One page", body = MeetingPage)))]
pub(super) async fn list_meetings(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p: MeetingParams = super::contract::query("listMeetings", raw.as_deref())?;
    let day = msohub_service::time::start_of_day;
    let q = MeetingQuery {
        body: p.body,
        statuses: super::contract::filled(p.status),
        from: p.from.map(day),
        to: p.to.map(|d| day(d.succ_opt().unwrap_or(d))),
        ascending: p.order.as_deref() == Some("asc"),
        cursor: p.cursor.filter(|c| !c.is_empty()),
        limit: p.limit.map_or(50, u64::from),
    };
    Ok(Json(state.services.list_meetings(&actor, &q).await?).into_response())
}

/// Get a meeting
#[utoipa::path(get, operation_id = "getMeeting", path = "/api/v1/meetings/{id}", tag = "meetings",
    params(("id" = Uuid, Path)), responses((status = 200, description = "The meeting", body = Meeting)))]
pub(super) async fn get_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_meeting(&actor, id).await?).into_response())
}

/// Create a meeting
///
/// A held meeting cannot lie in the future; a cancelled one needs a
/// `cancel_reason`.
#[utoipa::path(post, operation_id = "createMeeting", path = "/api/v1/meetings", tag = "meetings",
    request_body = MeetingInput, responses((status = 201, description = "Created", body = Meeting)))]
pub(super) async fn create_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    input: Result<ApiJson<MeetingInput>, ApiError>,
) -> Result<Response, ApiError> {
    let input = super::writer(&actor, input)?;
    Ok((
        StatusCode::CREATED,
        Json(state.services.create_meeting(&actor, &input).await?),
    )
        .into_response())
}

/// Change a meeting
///
/// After invitations went out, a new time or place sends an update and a
/// cancellation sends a cancellation, each with a higher SEQUENCE.
/// Imported meetings take only `minutes` and `minutes_status`.
#[utoipa::path(patch, operation_id = "changeMeeting", path = "/api/v1/meetings/{id}", tag = "meetings",
    params(("id" = Uuid, Path)),
    request_body(content = MeetingInput, description = "Only the fields to change, plus `version`"),
    responses((status = 200, description = "Changed", body = Meeting),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn patch_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    patch: Result<ApiJson<serde_json::Value>, ApiError>,
) -> Result<Response, ApiError> {
    let patch = super::writer(&actor, patch)?;
    Ok(Json(state.services.patch_meeting(&actor, id, &patch).await?).into_response())
}

/// Delete a meeting
#[utoipa::path(delete, operation_id = "deleteMeeting", path = "/api/v1/meetings/{id}", tag = "meetings",
    params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn delete_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    state
        .services
        .delete_meeting(&actor, id, super::version_param(raw.as_deref())?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct AttendanceView {
    /// The meeting's version (send it back with a PUT).
    version: i32,
    attendance: Vec<msohub_service::meetings::Attendee>,
    representation: msohub_service::meetings::Representation,
}

/// Who attended
#[utoipa::path(get, operation_id = "getAttendance", path = "/api/v1/meetings/{id}/attendance", tag = "meetings",
    params(("id" = Uuid, Path)), responses((status = 200, description = "The attendance list and who was represented", body = AttendanceView)))]
pub(super) async fn get_attendance(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let m = state.services.get_meeting(&actor, id).await?;
    Ok(Json(AttendanceView {
        version: m.version,
        attendance: m.attendance,
        representation: m.representation,
    })
    .into_response())
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub(super) struct AttendanceBody {
    /// The meeting's version.
    version: i32,
    /// Everyone who is to be on the list (the list is replaced).
    attendance: Vec<AttendanceInput>,
}

/// Record attendance
///
/// Replaces the list. Members speak for the organisation of their
/// membership; non-members who came are guests.
#[utoipa::path(put, operation_id = "setAttendance", path = "/api/v1/meetings/{id}/attendance", tag = "meetings",
    params(("id" = Uuid, Path)), request_body = AttendanceBody,
    responses((status = 200, description = "The meeting with its attendance", body = Meeting),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn put_attendance(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<AttendanceBody>, ApiError>,
) -> Result<Response, ApiError> {
    let body = super::writer(&actor, body)?;
    Ok(Json(
        state
            .services
            .set_attendance(&actor, id, body.version, &body.attendance)
            .await?,
    )
    .into_response())
}

/// The meeting's e-mails
#[utoipa::path(get, operation_id = "listInvitations", path = "/api/v1/meetings/{id}/invitations", tag = "meetings",
    params(("id" = Uuid, Path)), responses((status = 200, description = "The delivery log", body = Vec<Delivery>)))]
pub(super) async fn list_invitations(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.deliveries(&actor, id).await?).into_response())
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub(super) struct InviteBody {
    /// The meeting's version.
    version: i32,
    /// Attendee keys (`p:{id}`, `u:{id}`) to invite; absent: all members.
    recipients: Option<Vec<String>>,
}

/// Invite by e-mail
///
/// Queues an e-mail with the agenda and an `.ics` (METHOD:REQUEST) to each
/// member with an address; a planned meeting becomes `invited`.
#[utoipa::path(post, operation_id = "invite", path = "/api/v1/meetings/{id}/invitations", tag = "meetings",
    params(("id" = Uuid, Path)), request_body = InviteBody,
    responses((status = 202, description = "Queued", body = InvitationReport)))]
pub(super) async fn invite(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<InviteBody>, ApiError>,
) -> Result<Response, ApiError> {
    let body = super::writer(&actor, body)?;
    let report = state
        .services
        .invite(&actor, id, body.version, body.recipients.as_deref())
        .await?;
    Ok((StatusCode::ACCEPTED, Json(report)).into_response())
}
