//! The staff start page (`/app/`): my tasks this week, overdue tasks,
//! planned contacts, organisations not contacted and profiles not checked
//! for twelve months.

use crate::auth::CurrentUser;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Redirect, Response};
use msohub_domain::Permission;

pub fn routes(r: Routes) -> Routes {
    r.get("/app", || async { Redirect::permanent("/app/") })
        .get("/app/", dashboard)
}

#[derive(Template)]
#[template(path = "staff/start.html")]
struct StartTemplate {
    page: PageContext,
    greeting: String,
    board: msohub_service::dashboard::Dashboard,
    can_write: bool,
    notice: Option<String>,
}

async fn dashboard(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<Response, WebError> {
    // Representatives have no staff area (sign-in sends them to their
    // account page); a 403 says so plainly.
    if !actor.can(Permission::ReadStaffArea) {
        return Err(WebError::Forbidden);
    }
    let board = state.services.dashboard(&actor).await?;
    let page = super::staff_page(&state, &parts, &actor, "staff-title").await;
    let tr = page.tr;
    let greeting = tr.t1("staff-greeting", "name", &actor.display_name);
    let notice = crate::forms::done_notice(
        tr,
        crate::pages::organisations::query_param(raw.as_deref(), "done").as_deref(),
    );
    Ok(render(
        StatusCode::OK,
        &StartTemplate {
            page,
            greeting,
            board,
            can_write: actor.can(Permission::WriteStaffArea),
            notice,
        },
    ))
}
