//! `/app/search`: the staff header's search box — organisations, persons,
//! contacts and meetings in one list, a few of each.

use crate::auth::CurrentUser;
use crate::page::{PageContext, render};
use crate::pages::organisations::query_param;
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use msohub_service::finder::Found;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/search", search)
}

#[derive(Template)]
#[template(path = "staff/search.html")]
struct SearchTemplate {
    page: PageContext,
    q: String,
    found: Found,
    /// `q` for the links to the full lists.
    q_encoded: String,
}

async fn search(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let q: String = query_param(raw.as_deref(), "q")
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    let found = state.services.find_anything(&actor, &q).await?;
    let mut page = super::staff_page(&state, &parts, &actor, "finder-title").await;
    if !q.trim().is_empty() {
        page.title = format!("{} – {}", page.title, q.trim());
    }
    Ok(render(
        StatusCode::OK,
        &SearchTemplate {
            page,
            q_encoded: crate::page::encode_query(q.trim()),
            q,
            found,
        },
    ))
}
