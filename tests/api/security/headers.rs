//! The smaller findings: what browsers and proxies may keep, feeds behind
//! secrets, metrics, the sitemap's host, file names, paging arithmetic.

use crate::helpers::{TestApp, TestDb, new_client};
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(
    caches_feeds_sitemap_and_paging_hold,
    metrics_are_for_admins_or_the_metrics_listener,
);

async fn caches_feeds_sitemap_and_paging_hold(app: TestApp) {
    app.sign_in("admin").await;
    // Nothing of the staff area or the API stays in a browser or proxy.
    for path in [
        "/app/",
        "/app/organisations",
        "/api/v1/organisations",
        "/api/v1/me",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
    }
    let public = new_client();
    let r = public.get(app.url("/de/")).send().await.unwrap();
    assert_ne!(
        r.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );

    // A body's secret feed is private; a deleted body's feed is gone.
    let body: Value = app
        .client
        .post(app.url("/api/v1/bodies"))
        .json(&json!({"name": "Arbeitskreis intern", "kind": "working_group", "is_public": false}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bid = body["id"].as_str().unwrap().to_owned();
    let secret = app
        .services
        .new_body_feed(&msohub_service::Actor::cli(), bid.parse().unwrap())
        .await
        .unwrap();
    let feed = format!("/calendar/bodies/s/{secret}.ics");
    let r = public.get(app.url(&feed)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "private, max-age=300");
    let current: Value = app
        .get(&format!("/api/v1/bodies/{bid}"))
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .client
        .delete(app.url(&format!(
            "/api/v1/bodies/{bid}?version={}",
            current["version"]
        )))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(
        public.get(app.url(&feed)).send().await.unwrap().status(),
        404
    );

    // A personal feed stops when its account may no longer read the staff
    // area.
    let (staff, email) = app.signed_in("staff").await;
    let cli = msohub_service::Actor::cli();
    let user = app.services.find_user_by_email(&cli, &email).await.unwrap();
    let r = staff
        .post(app.url("/app/account/calendar"))
        .send()
        .await
        .unwrap();
    let page = crate::helpers::Page::from_response(r).await;
    let url = page.text("#calendar-url");
    let path = url[url.find("/calendar/").unwrap()..].to_owned();
    assert_eq!(
        public.get(app.url(&path)).send().await.unwrap().status(),
        200
    );
    app.services
        .update_user(
            &cli,
            user.id,
            msohub_service::accounts::UserChange {
                display_name: None,
                role: Some("representative".into()),
                organisation_id: None,
                disabled: None,
                form_of_address: None,
                version: user.version,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        public.get(app.url(&path)).send().await.unwrap().status(),
        404
    );

    // The sitemap names the configured address, whatever Host is sent.
    let r = public
        .get(app.url("/sitemap.xml"))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    let xml = r.text().await.unwrap();
    assert!(!xml.contains("evil.example"), "{xml}");

    // Paging cannot overflow: a page beyond what the document allows is
    // refused with the parameter named (it was clamped before the query
    // parameters were typed), the last page it allows (1,000,000) is an empty page.
    let r = public
        .get(app.url("/api/v1/hsds/organizations?page=18446744073709551615&per_page=500"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let problem: serde_json::Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "page", "{problem}");
    let r = public
        .get(app.url("/api/v1/hsds/organizations?page=1000000&per_page=500"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for path in [
        "/api/v1/organisations",
        "/api/v1/persons",
        "/api/v1/interactions",
        "/api/v1/offers",
    ] {
        let r = app
            .get(&format!("{path}?cursor=o18446744073709551615"))
            .await;
        assert_eq!(r.status(), 422, "{path}");
    }
}

async fn metrics_are_for_admins_or_the_metrics_listener(db: TestDb) {
    let app = TestApp::spawn_configured(db, |s| s.metrics_bind = Some("127.0.0.1:0".into())).await;
    assert_eq!(app.get("/metrics").await.status(), 401);
    let scrape = app.metrics_address.clone().unwrap();
    let r = new_client()
        .get(format!("{scrape}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("msohub_http_requests_total")
    );
    // That listener serves nothing else.
    let r = new_client()
        .get(format!("{scrape}/app/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
