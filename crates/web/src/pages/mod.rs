//! HTML pages of the staff area and sign-in, one module per area. Each module
//! registers its routes in [`crate::routes::Routes`].

pub mod account;
pub mod admin_settings;
pub mod admin_taxonomies;
pub mod admin_users;
pub mod attendance;
pub mod audit;
pub mod beyond;
pub mod bodies;
pub mod dashboard;
pub mod events;
pub mod export;
pub mod finder;
pub mod ideas;
pub mod import;
pub mod interactions;
pub mod invitations;
pub mod login;
pub mod mailings;
pub mod meetings;
pub mod needs;
pub mod offers;
pub mod organisation_logo;
pub mod organisations;
pub mod persons;
pub mod privacy;
pub mod projects;
pub mod report;
pub mod review;
pub mod surveys;
pub mod targets;
pub mod tasks;

use crate::AppState;
use crate::i18n::{Tr, request_language_parts};
use crate::page::PageContext;
use axum::http::request::Parts;
use msohub_service::Actor;

/// The office name for the page header (empty if it cannot be read).
pub async fn office_name(state: &AppState) -> String {
    state
        .services
        .office()
        .await
        .map(|o| o.name)
        .unwrap_or_default()
}

/// Language, translator and page context for a staff page.
pub async fn staff_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    title_key: &str,
) -> PageContext {
    let lang = request_language_parts(parts);
    let tr = Tr::new(lang);
    let mut page = PageContext::staff(
        lang,
        parts.uri.path(),
        tr.t(title_key),
        office_name(state).await,
        actor,
    );
    // The review queue says how much waits.
    if let Ok(n) = state.services.proposals_waiting(actor).await
        && n > 0
        && let Some(item) = page.nav.iter_mut().find(|i| i.href == "/app/review")
    {
        item.label = format!("{} ({n})", item.label);
    }
    page
}
