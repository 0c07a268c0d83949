//! Operators' endpoints: `/healthz` and `/metrics`.

use crate::helpers::{Kind, TestApp};
use crate::on_both_databases;

on_both_databases!(
    healthz_reports_the_database,
    metrics_count_requests_by_route
);

async fn healthz_reports_the_database(app: TestApp) {
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    let backend = match app.db.kind {
        Kind::Sqlite => "sqlite",
        Kind::Postgres => "postgres",
    };
    assert_eq!(body["backend"], backend);
    assert_eq!(
        body["search"], "ready",
        "indexes built before the server answers"
    );
}

async fn metrics_count_requests_by_route(app: TestApp) {
    for _ in 0..3 {
        assert_eq!(app.get("/healthz").await.status(), 200);
    }
    assert_eq!(app.get("/de/no-such-page").await.status(), 404);
    // Route names and rates are for operators: not for the public, not for
    // staff.
    assert_eq!(app.get("/metrics").await.status(), 401);
    let (staff, _) = app.signed_in("staff").await;
    let refused = staff.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    app.sign_in("admin").await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = response.text().await.unwrap();
    let value = |prefix: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no metric {prefix} in\n{text}"))
            .trim()
            .parse()
            .unwrap()
    };
    assert_eq!(
        value(r#"msohub_http_requests_total{method="GET",route="/healthz",status="200"}"#),
        3.0
    );
    assert_eq!(
        value(r#"msohub_http_request_duration_seconds_count{route="/healthz"}"#),
        3.0
    );
    // The 404 is counted under the route template, not the raw path.
    assert!(!text.contains("no-such-page"));
    assert!(value("process_resident_memory_bytes") > 0.0);
    assert!(text.contains("# TYPE msohub_http_requests_total counter"));
}
