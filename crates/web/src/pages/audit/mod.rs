//! The audit log for admins and auditors (`/app/audit`): who changed what
//! and when, filterable by user, record and time, newest first.

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
use chrono::{NaiveDate, TimeZone, Utc};
use msohub_service::audit::{AuditEntry, AuditQuery};

pub fn routes(r: Routes) -> Routes {
    r.get("/app/audit", browse)
}

#[derive(serde::Deserialize, Default)]
pub struct AuditParams {
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
    let date = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    chrono_tz::Europe::Berlin
        .from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|d| d.with_timezone(&Utc))
}

impl AuditParams {
    pub fn query(&self, limit: u64) -> AuditQuery {
        AuditQuery {
            before: self.before,
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
            "/app/audit?actor={}&entity_type={}&entity_id={}&from={}&to={}&before={last}",
            enc(&self.actor),
            enc(&self.entity_type),
            enc(&self.entity_id),
            enc(&self.from),
            enc(&self.to)
        )
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditTemplate {
    page: PageContext,
    entries: Vec<AuditEntry>,
    params: AuditParams,
    next: Option<String>,
}

const PAGE: u64 = 50;

async fn browse(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Query(params): Query<AuditParams>,
) -> Result<Response, WebError> {
    let entries = state
        .services
        .browse_audit_log(&actor, &params.query(PAGE))
        .await?;
    let next = (entries.len() as u64 == PAGE)
        .then(|| entries.last().map(|e| params.next_page(e.position)))
        .flatten();
    let page = super::staff_page(&state, &parts, &actor, "audit-title").await;
    Ok(render(
        StatusCode::OK,
        &AuditTemplate {
            page,
            entries,
            params,
            next,
        },
    ))
}

/// Pretty JSON for the table (empty for none).
pub fn json(value: &Option<serde_json::Value>) -> String {
    value
        .as_ref()
        .and_then(|v| serde_json::to_string_pretty(v).ok())
        .unwrap_or_default()
}
