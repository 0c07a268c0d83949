//! The portal in the API: for staff, invitations, the review of proposals,
//! ideas and the members' answers to meetings; for representatives'
//! tokens, their start page, organisations, meetings and own data.
//! Representatives change records through the record endpoints themselves
//! (`PATCH /api/v1/organisations/{id}`, `POST /api/v1/offers` …), which
//! answer `202 Accepted` with the proposal while it waits for review.

use super::Path;
use super::{ApiJson, Problem};
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::query::Query;
use crate::routes::Routes;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use msohub_domain::Permission;
use msohub_service::Actor;
use msohub_service::ideas::{Idea, IdeaInput};
use msohub_service::portal::home::{PortalHome, PortalOrganisation};
use msohub_service::portal::invitations::{Invitation, NewInvitation};
use msohub_service::portal::meetings::{MeetingAnswer, MemberMeeting};
use msohub_service::portal::proposals::Proposal;
use msohub_service::privacy::SubjectAccess;
use serde::Deserialize;
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/invitations", list_invitations)
        .post("/api/v1/invitations", create_invitation)
        .post("/api/v1/invitations/{id}/resend", resend_invitation)
        .post("/api/v1/invitations/{id}/revoke", revoke_invitation)
        .get("/api/v1/proposals", list_proposals)
        .get("/api/v1/proposals/{id}", get_proposal)
        .post("/api/v1/proposals/{id}/accept", accept_proposal)
        .post("/api/v1/proposals/{id}/reject", reject_proposal)
        .get("/api/v1/ideas", list_ideas)
        .post("/api/v1/ideas", create_idea)
        .get("/api/v1/ideas/{id}", get_idea)
        .patch("/api/v1/ideas/{id}", patch_idea)
        .delete("/api/v1/ideas/{id}", delete_idea)
        .get("/api/v1/meetings/{id}/answers", meeting_answers)
        .put("/api/v1/organisations/{id}/trusted", put_trusted)
        .get("/api/v1/portal", portal_home)
        .get("/api/v1/portal/organisations/{id}", portal_organisation)
        .post(
            "/api/v1/portal/organisations/{id}/confirm",
            confirm_organisation,
        )
        .get("/api/v1/portal/meetings", portal_meetings)
        .get("/api/v1/portal/meetings/{id}", portal_meeting)
        .post("/api/v1/portal/meetings/{id}/answer", answer_meeting)
        .get("/api/v1/portal/me", portal_me)
        .put("/api/v1/portal/me/consents/{purpose}", put_consent)
        .get("/api/v1/portal/needs", portal_needs)
        .get("/api/v1/portal/ideas", portal_ideas)
}

/// A `status=a,b` filter as its values (blanks dropped).
fn comma_separated(raw: Option<String>) -> Vec<String> {
    raw.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether the caller acts for their organisations (a representative).
pub(crate) fn representative(actor: &Actor) -> bool {
    actor.can(Permission::ActForOwnOrganisation)
}

/// The answer to a representative's change: 202 while it waits for
/// review, 200 once live (a trusted organisation's).
pub(crate) fn proposed(p: Proposal) -> Response {
    let status = if p.status == "pending" {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    (status, Json(p)).into_response()
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct InvitationParams {
    /// Only this person's invitations.
    person: Option<Uuid>,
    /// Only invitations for this organisation.
    organisation: Option<Uuid>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct InvitationList {
    items: Vec<Invitation>,
}

/// List invitations into the portal
///
/// Newest first, each pending, accepted, expired or revoked.
#[utoipa::path(get, operation_id = "listPortalInvitations", path = "/api/v1/invitations", tag = "portal",
    params(InvitationParams),
    responses((status = 200, description = "Invitations", body = InvitationList)))]
pub(super) async fn list_invitations(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(p): Query<InvitationParams>,
) -> Result<Response, ApiError> {
    let items = state
        .services
        .list_invitations(&actor, p.person, p.organisation)
        .await?;
    Ok(Json(InvitationList { items }).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct InvitationInput {
    person_id: Uuid,
    organisation_id: Uuid,
}

/// Invite a person of an organisation into the portal
///
/// The person needs an e-mail address and a current affiliation with the
/// organisation. The e-mail goes out in the person's language; without a
/// mail server the answer carries the `link` to pass on (once).
#[utoipa::path(post, operation_id = "createPortalInvitation", path = "/api/v1/invitations", tag = "portal",
    request_body = InvitationInput,
    responses((status = 201, description = "Invited", body = NewInvitation),
        (status = 422, description = "No e-mail address, no current affiliation, or an account exists", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn create_invitation(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    body: Result<ApiJson<InvitationInput>, ApiError>,
) -> Result<Response, ApiError> {
    let body = super::writer(&actor, body)?;
    let created = state
        .services
        .invite_representative(&actor, body.person_id, body.organisation_id)
        .await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct VersionInput {
    version: i32,
}

/// Send an invitation again
///
/// A new link (the old one stops working), valid for 14 days again.
#[utoipa::path(post, operation_id = "resendPortalInvitation", path = "/api/v1/invitations/{id}/resend", tag = "portal",
    params(("id" = Uuid, Path)), request_body = VersionInput,
    responses((status = 200, description = "Sent again", body = NewInvitation),
        (status = 409, description = "Changed since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn resend_invitation(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<VersionInput>, ApiError>,
) -> Result<Response, ApiError> {
    let body = super::writer(&actor, body)?;
    Ok(Json(
        state
            .services
            .resend_invitation(&actor, id, body.version)
            .await?,
    )
    .into_response())
}

/// Revoke an invitation
#[utoipa::path(post, operation_id = "revokePortalInvitation", path = "/api/v1/invitations/{id}/revoke", tag = "portal",
    params(("id" = Uuid, Path)), request_body = VersionInput,
    responses((status = 200, description = "Revoked", body = Invitation)))]
pub(super) async fn revoke_invitation(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<VersionInput>, ApiError>,
) -> Result<Response, ApiError> {
    let body = super::writer(&actor, body)?;
    Ok(Json(
        state
            .services
            .revoke_invitation(&actor, id, body.version)
            .await?,
    )
    .into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ProposalParams {
    /// pending, accepted, rejected or published; repeat for several, or
    /// several separated by commas.
    status: Option<String>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct ProposalList {
    items: Vec<Proposal>,
}

/// List proposals
///
/// Staff: all (oldest first, the queue's order); a representative: their
/// organisations'.
#[utoipa::path(get, operation_id = "listProposals", path = "/api/v1/proposals", tag = "portal",
    params(ProposalParams),
    responses((status = 200, description = "Proposals", body = ProposalList)))]
pub(super) async fn list_proposals(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(p): Query<ProposalParams>,
) -> Result<Response, ApiError> {
    let statuses = comma_separated(p.status);
    for s in &statuses {
        if !["pending", "accepted", "rejected", "published"].contains(&s.as_str()) {
            return Err(msohub_service::Error::field("status", "choice-unknown").into());
        }
    }
    let items = state.services.list_proposals(&actor, &statuses).await?;
    Ok(Json(ProposalList { items }).into_response())
}

/// One proposal
///
/// For staff with the live record's values now (`current`) and the fields
/// changed on it since the proposal (`conflicts`).
#[utoipa::path(get, operation_id = "getProposal", path = "/api/v1/proposals/{id}", tag = "portal",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The proposal", body = Proposal)))]
pub(super) async fn get_proposal(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_proposal(&actor, id).await?).into_response())
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub(super) struct AcceptInput {
    /// The proposal's version as read (409 if it changed since); optional.
    version: Option<i32>,
    /// The reviewer's values for some fields, instead of the proposed ones.
    #[schema(value_type = Option<Object>)]
    changes: Option<serde_json::Value>,
    /// Accept although the live record changed those fields since.
    #[serde(default)]
    overwrite: bool,
}

/// Accept a proposal
///
/// As proposed, or with `changes` (accept with edits). When a changed field
/// was changed on the live record since, 409 unless `overwrite`. A
/// published proposal (trusted organisation) is marked seen.
#[utoipa::path(post, operation_id = "acceptProposal", path = "/api/v1/proposals/{id}/accept", tag = "portal",
    params(("id" = Uuid, Path)), request_body = Option<AcceptInput>,
    responses((status = 200, description = "Accepted and applied", body = Proposal),
        (status = 409, description = "The record changed since", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The record was deleted, or the edits are invalid", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn accept_proposal(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<super::OptionalJson<AcceptInput>, ApiError>,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    let super::OptionalJson(body) = body?;
    let p = state
        .services
        .accept_proposal(
            &actor,
            id,
            body.version,
            body.changes.as_ref(),
            body.overwrite,
        )
        .await?;
    Ok(Json(p).into_response())
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub(super) struct RejectInput {
    /// The proposal's version as read (409 if it changed since); optional.
    version: Option<i32>,
    /// Why, for the representative (e-mailed and shown in the portal).
    #[serde(default)]
    message: String,
}

/// Reject a proposal
#[utoipa::path(post, operation_id = "rejectProposal", path = "/api/v1/proposals/{id}/reject", tag = "portal",
    params(("id" = Uuid, Path)), request_body = Option<RejectInput>,
    responses((status = 200, description = "Rejected", body = Proposal),
        (status = 409, description = "The proposal changed since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn reject_proposal(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<super::OptionalJson<RejectInput>, ApiError>,
) -> Result<Response, ApiError> {
    actor.require(Permission::WriteStaffArea)?;
    let super::OptionalJson(body) = body?;
    Ok(Json(
        state
            .services
            .reject_proposal(&actor, id, body.version, &body.message)
            .await?,
    )
    .into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct IdeaParams {
    /// proposed, under_discussion, in_progress, realised, not_pursued
    /// (comma-separated for several).
    status: Option<String>,
    /// Only deleted ones.
    deleted: Option<bool>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct IdeaList {
    items: Vec<Idea>,
}

/// List ideas and joint projects
#[utoipa::path(get, operation_id = "listIdeas", path = "/api/v1/ideas", tag = "portal",
    params(IdeaParams),
    responses((status = 200, description = "Ideas, newest first", body = IdeaList)))]
pub(super) async fn list_ideas(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(p): Query<IdeaParams>,
) -> Result<Response, ApiError> {
    let statuses = comma_separated(p.status);
    let items = state
        .services
        .list_ideas(&actor, &statuses, p.deleted.unwrap_or(false))
        .await?;
    Ok(Json(IdeaList { items }).into_response())
}

/// Record an idea (staff) or propose one (a representative)
///
/// A representative's idea is of one of their organisations
/// (`organisation_id`), with title, description, who could take part and
/// what support is needed; it starts as "proposed", source `portal`.
#[utoipa::path(post, operation_id = "createIdea", path = "/api/v1/ideas", tag = "portal",
    request_body = IdeaInput,
    responses((status = 201, description = "Created", body = Idea)))]
pub(super) async fn create_idea(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    body: Result<ApiJson<IdeaInput>, ApiError>,
) -> Result<Response, ApiError> {
    let idea = if representative(&actor) {
        let ApiJson(input) = body?;
        state.services.propose_idea(&actor, &input).await?
    } else {
        let input = super::writer(&actor, body)?;
        state.services.create_idea(&actor, &input).await?
    };
    Ok((StatusCode::CREATED, Json(idea)).into_response())
}

/// One idea
#[utoipa::path(get, operation_id = "getIdea", path = "/api/v1/ideas/{id}", tag = "portal",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The idea", body = Idea)))]
pub(super) async fn get_idea(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.get_idea(&actor, id).await?).into_response())
}

/// Change an idea
///
/// The fields named (status, outcome, links …); `version` is required.
#[utoipa::path(patch, operation_id = "patchIdea", path = "/api/v1/ideas/{id}", tag = "portal",
    params(("id" = Uuid, Path)), request_body = msohub_service::ideas::IdeaInput,
    responses((status = 200, description = "Changed", body = Idea),
        (status = 409, description = "Changed by someone else since `version`", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn patch_idea(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<serde_json::Value>, ApiError>,
) -> Result<Response, ApiError> {
    let patch = super::writer(&actor, body)?;
    Ok(Json(state.services.patch_idea(&actor, id, &patch).await?).into_response())
}

/// Delete an idea
#[utoipa::path(delete, operation_id = "deleteIdea", path = "/api/v1/ideas/{id}", tag = "portal",
    params(("id" = Uuid, Path), ("version" = i32, Query)),
    responses((status = 204, description = "Deleted")))]
pub(super) async fn delete_idea(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<Response, ApiError> {
    state
        .services
        .set_idea_deleted(&actor, id, super::version_param(raw.as_deref())?, true)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct AnswerList {
    items: Vec<MeetingAnswer>,
}

/// The members' answers to a meeting
///
/// Who said they come and who not (with a stand-in): the expected
/// attendance, confirmed by staff after the meeting.
#[utoipa::path(get, operation_id = "meetingAnswers", path = "/api/v1/meetings/{id}/answers", tag = "portal",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "Answers", body = AnswerList)))]
pub(super) async fn meeting_answers(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let items = state.services.meeting_answers(&actor, id).await?;
    Ok(Json(AnswerList { items }).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct TrustedInput {
    trusted: bool,
}

/// Trust an organisation (or not)
///
/// A trusted organisation's representatives publish their changes at once;
/// they are still recorded and shown in the review queue.
#[utoipa::path(put, operation_id = "putTrusted", path = "/api/v1/organisations/{id}/trusted", tag = "portal",
    params(("id" = Uuid, Path)), request_body = TrustedInput,
    responses((status = 204, description = "Set")))]
pub(super) async fn put_trusted(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<TrustedInput>, ApiError>,
) -> Result<Response, ApiError> {
    let body = super::writer(&actor, body)?;
    state
        .services
        .set_organisation_trusted(&actor, id, body.trusted)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The portal's start page (representatives)
///
/// Their organisations (with whether the entry should be confirmed),
/// meetings to answer, changes waiting or decided lately, needs and ideas.
#[utoipa::path(get, operation_id = "portalHome", path = "/api/v1/portal", tag = "portal",
    responses((status = 200, description = "What waits", body = PortalHome)))]
pub(super) async fn portal_home(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.portal_home(&actor).await?).into_response())
}

/// One of the representative's organisations
///
/// The fields they may change, with `input.version` to change them by
/// `PATCH /api/v1/organisations/{id}`; offers and upcoming events.
#[utoipa::path(get, operation_id = "portalOrganisation", path = "/api/v1/portal/organisations/{id}", tag = "portal",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The organisation", body = PortalOrganisation)))]
pub(super) async fn portal_organisation(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.portal_organisation(&actor, id).await?).into_response())
}

/// Confirm that an organisation's entry is still correct
#[utoipa::path(post, operation_id = "confirmOrganisation", path = "/api/v1/portal/organisations/{id}/confirm", tag = "portal",
    params(("id" = Uuid, Path)), request_body = VersionInput,
    responses((status = 204, description = "Confirmed (assured_at set)")))]
pub(super) async fn confirm_organisation(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<VersionInput>, ApiError>,
) -> Result<Response, ApiError> {
    let ApiJson(body) = body?;
    state
        .services
        .confirm_organisation(&actor, id, body.version)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct MemberMeetingList {
    items: Vec<MemberMeeting>,
}

/// The member's meetings
#[utoipa::path(get, operation_id = "portalMeetings", path = "/api/v1/portal/meetings", tag = "portal",
    responses((status = 200, description = "Upcoming meetings and those with approved minutes", body = MemberMeetingList)))]
pub(super) async fn portal_meetings(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    let items = state.services.portal_meetings(&actor).await?;
    Ok(Json(MemberMeetingList { items }).into_response())
}

/// One of the member's meetings
#[utoipa::path(get, operation_id = "portalMeeting", path = "/api/v1/portal/meetings/{id}", tag = "portal",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The meeting", body = MemberMeeting)))]
pub(super) async fn portal_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.portal_meeting(&actor, id).await?).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct AnswerInput {
    /// yes or no
    answer: String,
    /// A person of the member's organisation going instead (with `no`).
    stand_in: Option<Uuid>,
}

/// Answer a meeting invitation
#[utoipa::path(post, operation_id = "answerMeeting", path = "/api/v1/portal/meetings/{id}/answer", tag = "portal",
    params(("id" = Uuid, Path)), request_body = AnswerInput,
    responses((status = 200, description = "Answered", body = MemberMeeting)))]
pub(super) async fn answer_meeting(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    body: Result<ApiJson<AnswerInput>, ApiError>,
) -> Result<Response, ApiError> {
    // Who may answer is decided before the body is read: a wrong body
    // from someone who may not write is a 403, not a 422.
    state.services.portal_user(&actor).await?;
    let ApiJson(body) = body?;
    Ok(Json(
        state
            .services
            .answer_meeting(&actor, id, &body.answer, body.stand_in)
            .await?,
    )
    .into_response())
}

/// What the office stores about the representative (GDPR Art. 15)
#[utoipa::path(get, operation_id = "portalMe", path = "/api/v1/portal/me", tag = "portal",
    responses((status = 200, description = "Everything stored about the caller's person", body = SubjectAccess)))]
pub(super) async fn portal_me(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    Ok(Json(state.services.portal_me(&actor).await?).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct ConsentInput {
    given: bool,
}

/// Give or withdraw one's consent
///
/// `purpose`: public_listing or mailings. Recorded with the source
/// "portal".
#[utoipa::path(put, operation_id = "putOwnConsent", path = "/api/v1/portal/me/consents/{purpose}", tag = "portal",
    params(("purpose" = String, Path, description = "public_listing or mailings")), request_body = ConsentInput,
    responses((status = 204, description = "Recorded")))]
pub(super) async fn put_consent(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(purpose): Path<String>,
    body: Result<ApiJson<ConsentInput>, ApiError>,
) -> Result<Response, ApiError> {
    // Who may answer is decided before the body is read: a wrong body
    // from someone who may not write is a 403, not a 422.
    state.services.portal_user(&actor).await?;
    let ApiJson(body) = body?;
    state
        .services
        .portal_consent(&actor, &purpose, body.given)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct OwnNeedList {
    items: Vec<msohub_service::needs::Need>,
}

/// The needs of the representative's organisations
#[utoipa::path(get, operation_id = "portalNeeds", path = "/api/v1/portal/needs", tag = "portal",
    responses((status = 200, description = "Needs with the office's answers", body = OwnNeedList)))]
pub(super) async fn portal_needs(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    let items = state.services.portal_needs(&actor).await?;
    Ok(Json(OwnNeedList { items }).into_response())
}

/// The ideas of the representative's organisations
#[utoipa::path(get, operation_id = "portalIdeas", path = "/api/v1/portal/ideas", tag = "portal",
    responses((status = 200, description = "Ideas with their status", body = IdeaList)))]
pub(super) async fn portal_ideas(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    let items = state.services.portal_ideas(&actor).await?;
    Ok(Json(IdeaList { items }).into_response())
}
