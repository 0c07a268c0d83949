//! The audit log for admins and auditors (`/app/audit`): each change as a
//! sentence (who did what to which record, when), its changed fields before
//! and after, the raw entry one click away; filterable by person, record
//! type, record and time, newest first. The API (`/api/v1/audit-log`) keeps
//! the machine format.

pub mod sentence;

use crate::AppState;
use crate::WebError;
use crate::auth::CurrentUser;
use crate::page::{PageContext, render};
use crate::query::Query;
use crate::routes::Routes;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use chrono::Utc;
use msohub_service::audit::describe::ENTITY_TYPES;
use msohub_service::audit::{AuditQuery, AuditUser, DescribedEntry};
use msohub_service::time;
use sentence::{FieldRow, Sentence};

pub fn routes(r: Routes) -> Routes {
    r.get("/app/audit", browse)
}

#[derive(serde::Deserialize, Default)]
pub struct AuditParams {
    /// The acting account's id (the person filter).
    #[serde(default)]
    pub user: String,
    /// The actor's e-mail address as recorded (kept for old links).
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub entity_type: String,
    #[serde(default)]
    pub entity_id: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    pub before: Option<i64>,
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// A day in Berlin's local time as a UTC instant (its start).
fn day_start(s: &str) -> Option<chrono::DateTime<Utc>> {
    time::parse_date(s).map(time::start_of_day)
}

impl AuditParams {
    pub fn query(&self, limit: u64) -> AuditQuery {
        AuditQuery {
            before: self.before,
            actor_id: uuid::Uuid::parse_str(self.user.trim()).ok(),
            actor: opt(&self.actor),
            entity_type: opt(&self.entity_type),
            entity_id: opt(&self.entity_id),
            from: day_start(&self.from),
            to: day_start(&self.to).map(|d| d + chrono::Duration::days(1)),
            limit: Some(limit),
            ..AuditQuery::default()
        }
    }

    fn next_page(&self, last: i64) -> String {
        let enc = crate::page::encode_query;
        format!(
            "/app/audit?user={}&actor={}&entity_type={}&entity_id={}&from={}&to={}&before={last}",
            enc(&self.user),
            enc(&self.actor),
            enc(&self.entity_type),
            enc(&self.entity_id),
            enc(&self.from),
            enc(&self.to)
        )
    }
}

/// One entry as the template shows it.
struct Line {
    position: i64,
    action: String,
    entity_type: String,
    /// The instant as `datetime` attribute (RFC 3339).
    at: String,
    sentence: Sentence,
    rows: Vec<FieldRow>,
    /// New or removed records: their values, not changes.
    values_only: bool,
    before: String,
    after: String,
}

/// An option of a filter select.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditTemplate {
    page: PageContext,
    lines: Vec<Line>,
    staff: Vec<Choice>,
    representatives: Vec<Choice>,
    types: Vec<Choice>,
    params: AuditParams,
    next: Option<String>,
}

const PAGE: u64 = 50;

fn line(page: &PageContext, e: &DescribedEntry) -> Line {
    Line {
        position: e.entry.position,
        action: e.entry.action.clone(),
        entity_type: e.entry.entity_type.clone(),
        at: e.entry.at.to_rfc3339(),
        sentence: sentence::sentence(page.tr, e),
        rows: sentence::rows(page.tr, &e.changes),
        values_only: e.entry.before.is_none() || e.entry.after.is_none(),
        before: json(&e.entry.before),
        after: json(&e.entry.after),
    }
}

fn choices(users: &[AuditUser], staff: bool, selected: &str) -> Vec<Choice> {
    users
        .iter()
        .filter(|u| u.staff == staff)
        .map(|u| Choice {
            value: u.id.to_string(),
            label: u.name.clone(),
            selected: u.id.to_string() == selected.trim(),
        })
        .collect()
}

async fn browse(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Query(params): Query<AuditParams>,
) -> Result<Response, WebError> {
    let view = state
        .services
        .audit_log_view(&actor, &params.query(PAGE))
        .await?;
    let next = (view.entries.len() as u64 == PAGE)
        .then(|| {
            view.entries
                .last()
                .map(|e| params.next_page(e.entry.position))
        })
        .flatten();
    let page = super::staff_page(&state, &parts, &actor, "audit-title").await;
    let lines = view.entries.iter().map(|e| line(&page, e)).collect();
    let mut types: Vec<Choice> = ENTITY_TYPES
        .iter()
        .map(|t| Choice {
            value: (*t).to_owned(),
            label: sentence::type_word(page.tr, t),
            selected: params.entity_type.trim() == *t,
        })
        .collect();
    types.sort_by_key(|c| c.label.to_lowercase());
    Ok(render(
        StatusCode::OK,
        &AuditTemplate {
            staff: choices(&view.users, true, &params.user),
            representatives: choices(&view.users, false, &params.user),
            types,
            page,
            lines,
            params,
            next,
        },
    ))
}

/// Pretty JSON for the raw data (empty for none).
pub fn json(value: &Option<serde_json::Value>) -> String {
    value
        .as_ref()
        .and_then(|v| serde_json::to_string_pretty(v).ok())
        .unwrap_or_default()
}
