//! `/api/v1/audit-log`: browse (newest first) or follow the change feed
//! (`?after=N`, oldest first, with the position to continue from).

use super::AuditPage;
use crate::AppState;
use crate::api_error::ApiError;
use crate::auth::CurrentUser;
use crate::query::Query;
use crate::routes::Routes;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use msohub_service::audit::AuditQuery;
use serde::Deserialize;
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/audit-log", audit_log)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct Params {
    /// Follow the feed: entries after this position, oldest first.
    after: Option<i64>,
    /// Browse: entries before this position, newest first.
    before: Option<i64>,
    /// Only what this user did.
    actor_id: Option<Uuid>,
    /// Only what actors whose label contains this did.
    actor: Option<String>,
    /// For example "organisation", "person", "user".
    entity_type: Option<String>,
    entity_id: Option<String>,
    /// From this instant (RFC 3339).
    from: Option<DateTime<Utc>>,
    /// Up to this instant (RFC 3339).
    to: Option<DateTime<Utc>>,
    /// Page size, 1 to 1000 (default 100); others are refused (422).
    #[param(minimum = 1, maximum = 1000)]
    #[serde(default, deserialize_with = "super::contract::one_to::<1000, _>")]
    limit: Option<u32>,
}

/// Read the audit log
///
/// The audit log. With `after`, a change feed in ascending order (for
/// followers); otherwise newest first, paged by `before`.
#[utoipa::path(get, operation_id = "auditLog", path = "/api/v1/audit-log", tag = "audit",
    params(Params),
    responses((status = 200, description = "Entries", body = AuditPage)))]
pub(super) async fn audit_log(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(p): Query<Params>,
) -> Result<Response, ApiError> {
    let query = AuditQuery {
        after: p.after,
        before: p.before,
        actor_id: p.actor_id,
        actor: p.actor,
        entity_type: p.entity_type,
        entity_id: p.entity_id,
        from: p.from,
        to: p.to,
        limit: p.limit.map(u64::from),
    };
    let feed = p.after.is_some();
    let items = if feed {
        state.services.audit_feed(&actor, &query).await?
    } else {
        state.services.browse_audit_log(&actor, &query).await?
    };
    let last = items.last().map(|e| e.position);
    let body = if feed {
        serde_json::json!({ "items": items, "next_after": last.or(p.after) })
    } else {
        serde_json::json!({ "items": items, "next_before": last })
    };
    Ok(Json(body).into_response())
}
