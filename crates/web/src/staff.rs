//! The staff area under `/app/`. Its rooms (registry, contacts, bodies,
//! targets, administration) arrive with their features; until sign-in exists
//! the start page describes them.

use crate::AppState;
use crate::i18n::request_language;
use crate::page::{PageContext, render};
use askama::Template;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app", get(|| async { Redirect::permanent("/app/") }))
        .route("/app/", get(start))
}

#[derive(Template)]
#[template(path = "staff/start.html")]
struct StartTemplate {
    page: PageContext,
    rooms: Vec<(String, String)>,
}

async fn start(State(state): State<AppState>, request: Request) -> Response {
    let lang = request_language(&request);
    let office = state
        .services
        .office()
        .await
        .map(|o| o.name)
        .unwrap_or_default();
    let tr = crate::i18n::Tr::new(lang);
    let page = PageContext::plain(lang, "/app/", tr.t("staff-title"), office);
    let rooms = ["registry", "contacts", "bodies", "targets", "admin"]
        .iter()
        .map(|r| {
            (
                tr.t(&format!("staff-room-{r}")),
                tr.t(&format!("staff-room-{r}-text")),
            )
        })
        .collect();
    render(StatusCode::OK, &StartTemplate { page, rooms })
}
