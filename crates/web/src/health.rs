//! Liveness and readiness: `/healthz` answers 200 only when the database
//! answers, so a load balancer takes a node out when its database is gone.
//! `/metrics` lives here too: both are for operators, not users.

use crate::AppState;
use crate::routes::Routes;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub fn routes(r: Routes) -> Routes {
    r.get("/healthz", healthz)
        .get("/metrics", crate::metrics::metrics)
}

async fn healthz(State(state): State<AppState>) -> Response {
    let health = state.services.health().await;
    let status = if health.database {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = serde_json::json!({
        "status": if health.database { "ok" } else { "unavailable" },
        "database": if health.database { "ok" } else { "unreachable" },
        "backend": health.backend,
        // `warming` while the search indexes are being filled in the
        // background (a first start, a rebuilt index folder): the node
        // answers, its public search says it is being prepared.
        "search": if state.services.search_warming() { "warming" } else { "ready" },
        "version": env!("CARGO_PKG_VERSION"),
    });
    (status, [("cache-control", "no-store")], Json(body)).into_response()
}
