//! Instance settings (office, geocoder) and geocoding organisations through
//! a geocoder on loopback that speaks Nominatim's `search` format.

use crate::helpers::TestApp;
use crate::on_both_databases;
use std::sync::{Arc, Mutex};

on_both_databases!(
    admins_change_the_settings_and_bad_input_changes_nothing,
    organisations_are_geocoded_through_the_configured_geocoder,
);

async fn admins_change_the_settings_and_bad_input_changes_nothing(app: TestApp) {
    app.sign_in("admin").await;
    let page = app.get_page("/app/admin/settings").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.attr("#geocoder_url", "value"), "", "off by default");

    let r = app
        .post_form(
            "/app/admin/settings",
            &[
                ("office_name", ""),
                ("office_city", "Lindenau"),
                ("geocoder_url", "javascript:alert(1)"),
            ],
        )
        .await;
    let page = crate::helpers::Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(page.text("#office_name-error").contains("Bitte ausfüllen"));
    assert!(page.text("#geocoder_url-error").contains("http"));
    let settings: serde_json::Value = app.get("/api/v1/settings").await.json().await.unwrap();
    assert_eq!(settings["office_name"], "Kommunales Integrationszentrum");
    assert_eq!(settings["geocoder_url"], "");

    let r = app
        .post_form(
            "/app/admin/settings",
            &[
                ("office_name", "KI Lindenau"),
                ("office_city", "Lindenau"),
                ("geocoder_url", "https://geo.example/search"),
            ],
        )
        .await;
    assert_eq!(r.headers()["location"], "/app/admin/settings?done=saved");
    let page = app.get_page("/app/admin/settings?done=saved").await;
    assert_eq!(page.text(".site-brand__office"), "KI Lindenau");
    assert_eq!(
        page.attr("#geocoder_url", "value"),
        "https://geo.example/search"
    );
    let log: serde_json::Value = app
        .get("/api/v1/audit-log?entity_type=settings")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["items"][0]["after"]["office_name"], "KI Lindenau");

    // Staff may neither read nor change them.
    let (staff, _) = app.signed_in("staff").await;
    let r = staff.get(app.url("/api/v1/settings")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = staff
        .put(app.url("/api/v1/settings"))
        .json(&serde_json::json!({"office_name": "X"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

/// A geocoder on loopback: knows "Lindenau", fails on "Störung", finds
/// nothing else. Returns its URL and the queries it received.
async fn fake_geocoder() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let handler = move |axum::extract::Query(q): axum::extract::Query<
        std::collections::HashMap<String, String>,
    >| {
        let log = log.clone();
        async move {
            let text = q.get("q").cloned().unwrap_or_default();
            log.lock().unwrap().push(text.clone());
            assert_eq!(q.get("format").map(String::as_str), Some("jsonv2"));
            if text.contains("Störung") {
                return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, String::new());
            }
            let body = if text.contains("Lindenau") {
                r#"[{"lat":"51.7189205","lon":"8.7575093","display_name":"Hauptstraße 1, Lindenau"}]"#
            } else {
                "[]"
            };
            (axum::http::StatusCode::OK, body.to_owned())
        }
    };
    let router = axum::Router::new().route("/search", axum::routing::get(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/search", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, seen)
}

async fn geocode(app: &TestApp, id: &str, version: i64) -> String {
    let r = app
        .post_form(
            &format!("/app/organisations/{id}/geocode"),
            &[("version", &version.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    r.headers()["location"].to_str().unwrap().to_owned()
}

async fn organisations_are_geocoded_through_the_configured_geocoder(app: TestApp) {
    app.sign_in("admin").await;
    let create = |name: &'static str, city: &'static str| {
        let app = &app;
        async move {
            let r = app
                .client
                .post(app.url("/api/v1/organisations"))
                .json(&serde_json::json!({"name": name, "kind": "mso", "street": "Hauptstraße 1", "postcode": "33098", "city": city}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
            let v: serde_json::Value = r.json().await.unwrap();
            v["id"].as_str().unwrap().to_owned()
        }
    };
    let here = create("Verein in Lindenau", "Lindenau").await;
    let nowhere = create("Verein in Nirgendwo", "Nirgendwo").await;
    let broken = create("Verein bei Störung", "Störung").await;

    // Off by default: no button, and a request says so and changes nothing.
    let page = app.get_page(&format!("/app/organisations/{here}")).await;
    assert_eq!(page.count("#geocode-form"), 0);
    let back = geocode(&app, &here, 1).await;
    assert!(back.ends_with("geo_error=geocoder-off"), "{back}");
    let page = app.get_page(&back).await;
    assert!(page.text("#geo-error").contains("kein Geocoder"));

    let (url, seen) = fake_geocoder().await;
    let r = app
        .client
        .put(app.url("/api/v1/settings"))
        .json(&serde_json::json!({"office_name": "KI Lindenau", "office_city": "Lindenau", "geocoder_url": url, "outbound_allow": "127.0.0.1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let page = app.get_page(&format!("/app/organisations/{here}")).await;
    assert_eq!(page.count("#geocode-form"), 1);
    let back = geocode(&app, &here, 1).await;
    assert!(back.ends_with("done=geocoded"), "{back}");
    assert_eq!(
        seen.lock().unwrap().last().unwrap(),
        "Hauptstraße 1, 33098, Lindenau"
    );
    let org: serde_json::Value = app
        .get(&format!("/api/v1/organisations/{here}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(org["latitude"], 51.718921);
    assert_eq!(org["longitude"], 8.757509);
    assert_eq!(org["version"], 2);
    let page = app.get_page(&format!("/app/organisations/{here}")).await;
    assert!(page.text("#profile").contains("51.71892, 8.75751"));

    // Nothing found, geocoder failing, geocoder gone: a message, no change.
    for (id, rule) in [
        (&nowhere, "address-not-found"),
        (&broken, "geocoder-unreachable"),
    ] {
        let back = geocode(&app, id, 1).await;
        assert!(back.ends_with(&format!("geo_error={rule}")), "{back}");
        let org: serde_json::Value = app
            .get(&format!("/api/v1/organisations/{id}"))
            .await
            .json()
            .await
            .unwrap();
        assert!(org["latitude"].is_null());
        assert_eq!(org["version"], 1);
    }
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let r = app
        .client
        .put(app.url("/api/v1/settings"))
        .json(&serde_json::json!({"office_name": "KI Lindenau", "geocoder_url": format!("http://{closed}/search"), "outbound_allow": "127.0.0.1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .post(app.url(&format!("/api/v1/organisations/{here}/geocode")))
        .json(&serde_json::json!({"version": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let problem: serde_json::Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["rule"], "geocoder-unreachable");
    // A stale version is refused before anything is looked up.
    let r = app
        .client
        .post(app.url(&format!("/api/v1/organisations/{here}/geocode")))
        .json(&serde_json::json!({"version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
}
