//! The meetings of the bodies a representative belongs to: the agenda, the
//! place or link, "I am coming" / "I am not coming" (with a stand-in from
//! their organisation), and the approved minutes.

use super::{Choice, Portal, form_errors, language, portal};
use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::WebError;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_service::portal::meetings::MemberMeeting;
use serde::Deserialize;
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/portal/{lang}/meetings", list)
        .get("/portal/{lang}/meetings/{id}", show)
        .get("/portal/{lang}/meetings/{id}/minutes.md", minutes)
        .post("/portal/{lang}/meetings/{id}", answer)
}

#[derive(Template)]
#[template(path = "portal/meetings.html")]
struct ListTemplate {
    page: PageContext,
    meetings: Vec<MemberMeeting>,
}

async fn list(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, actor, .. } =
        match portal(&state, user, lang, "/meetings", "portal-meetings-title").await {
            Ok(p) => p,
            Err(r) => return Ok(r),
        };
    let meetings = state.services.portal_meetings(&actor).await?;
    Ok(render(StatusCode::OK, &ListTemplate { page, meetings }))
}

#[derive(Template)]
#[template(path = "portal/meeting.html")]
struct ShowTemplate {
    page: PageContext,
    meeting: MemberMeeting,
    stand_ins: Vec<Choice>,
    errors: FormErrors,
    minutes_html: String,
    open: bool,
}

async fn show_template(
    state: &AppState,
    page: PageContext,
    actor: &msohub_service::Actor,
    meeting: MemberMeeting,
    errors: FormErrors,
) -> Result<ShowTemplate, WebError> {
    // The people of the member's organisations who could go instead.
    let mut stand_ins = vec![Choice {
        value: String::new(),
        label: page.tr.t("portal-meeting-nobody"),
        checked: meeting.stand_in.is_none(),
    }];
    for person in state.services.portal_stand_ins(actor).await? {
        stand_ins.push(Choice {
            checked: meeting.stand_in.as_ref().is_some_and(|s| s.id == person.id),
            value: person.id.to_string(),
            label: person.name,
        });
    }
    let minutes_html = meeting
        .minutes
        .as_deref()
        .map(msohub_docs::markdown_to_html)
        .unwrap_or_default();
    let open = meeting.status != "cancelled" && meeting.starts_at > chrono::Utc::now();
    Ok(ShowTemplate {
        page,
        meeting,
        stand_ins,
        errors,
        minutes_html,
        open,
    })
}

async fn show(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id)): Path<(String, Uuid)>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal {
        mut page, actor, ..
    } = match portal(
        &state,
        user,
        lang,
        &format!("/meetings/{id}"),
        "portal-meetings-title",
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let meeting = state.services.portal_meeting(&actor, id).await?;
    page.title = format!("{}: {}", meeting.body.name, meeting.title);
    let tr = page.tr;
    let t = show_template(&state, page, &actor, meeting, FormErrors::none(tr).portal()).await?;
    Ok(render(StatusCode::OK, &t))
}

/// The approved minutes as a file (Markdown, readable as plain text), for
/// members to keep; 404 while there are none.
async fn minutes(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id)): Path<(String, Uuid)>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let rest = format!("/meetings/{id}/minutes.md");
    let Portal { actor, .. } =
        match portal(&state, user, lang, &rest, "portal-meetings-title").await {
            Ok(p) => p,
            Err(r) => return Ok(r),
        };
    let meeting = state.services.portal_meeting(&actor, id).await?;
    let text = meeting.minutes.ok_or(WebError::NotFound)?;
    let name = format!(
        "{} {} {}.md",
        meeting.body.name,
        meeting.starts_at.format("%Y-%m-%d"),
        meeting.title
    );
    let mut response = (StatusCode::OK, text).into_response();
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/markdown; charset=utf-8"),
    );
    headers.insert(
        axum::http::header::CONTENT_DISPOSITION,
        crate::headers::disposition("attachment", &name),
    );
    Ok(response)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct AnswerForm {
    answer: String,
    stand_in: String,
}

async fn answer(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id)): Path<(String, Uuid)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal {
        mut page, actor, ..
    } = match portal(
        &state,
        user,
        lang,
        &format!("/meetings/{id}"),
        "portal-meetings-title",
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let stand_in = form.stand_in.trim().parse::<Uuid>().ok();
    match state
        .services
        .answer_meeting(&actor, id, form.answer.trim(), stand_in)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/portal/{}/meetings/{id}?done=answered",
            lang.code()
        ))
        .into_response()),
        Err(e) => {
            let meeting = state.services.portal_meeting(&actor, id).await?;
            page.title = format!("{}: {}", meeting.body.name, meeting.title);
            let errors = form_errors(page.tr, e)?;
            let t = show_template(&state, page, &actor, meeting, errors).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &t))
        }
    }
}
