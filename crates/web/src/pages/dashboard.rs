//! The staff start page (`/app/`). The dashboard widgets (tasks, planned
//! contacts, targets) arrive with their features; until then it shows the
//! work areas and what each will hold.

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
    rooms: Vec<(String, String)>,
}

async fn dashboard(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    // Representatives have no staff area (sign-in sends them to their
    // account page); a 403 says so plainly.
    if !actor.can(Permission::ReadStaffArea) {
        return Err(WebError::Forbidden);
    }
    let page = super::staff_page(&state, &parts, &actor, "staff-title").await;
    let tr = page.tr;
    let rooms = ["registry", "contacts", "bodies", "targets", "admin"]
        .iter()
        .map(|r| {
            (
                tr.t(&format!("staff-room-{r}")),
                tr.t(&format!("staff-room-{r}-text")),
            )
        })
        .collect();
    let greeting = tr.t1("staff-greeting", "name", &actor.display_name);
    Ok(render(
        StatusCode::OK,
        &StartTemplate {
            page,
            greeting,
            rooms,
        },
    ))
}
