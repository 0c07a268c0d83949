//! Server-side request forgery: staff could make the server fetch from the
//! internal network through the OParl import and the geocoder.

use super::stand_in;
use crate::helpers::TestApp;
use crate::on_both_databases;
use axum::response::IntoResponse;
use serde_json::{Value, json};

on_both_databases!(server_side_requests_reach_only_public_or_allowed_addresses);

async fn sync(client: &reqwest::Client, app: &TestApp, url: &str) -> (u16, Value) {
    let r = client
        .post(app.url("/api/v1/oparl/sync"))
        .json(&json!({"system_url": url, "organisation": "Integrationsrat"}))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

fn rule(v: &Value) -> &str {
    v["errors"][0]["rule"].as_str().unwrap_or_default()
}

async fn server_side_requests_reach_only_public_or_allowed_addresses(app: TestApp) {
    app.sign_in("admin").await;
    // A stand-in on loopback: an OParl system with no bodies, a redirect to
    // another loopback address, an endless redirect chain and a huge answer.
    let (base, log) = stand_in(|base, path| {
        let port = base.rsplit(':').next().unwrap_or_default().to_owned();
        match path {
            "/system" => axum::Json(
                json!({"id": format!("{base}/system"), "body": format!("{base}/bodies")}),
            )
            .into_response(),
            "/bodies" => axum::Json(json!({"data": [], "links": {}})).into_response(),
            "/hop" => {
                axum::response::Redirect::temporary(&format!("http://127.0.0.2:{port}/system"))
                    .into_response()
            }
            p if p.starts_with("/chain/") => {
                let n: u32 = p[7..].parse().unwrap_or(0);
                axum::response::Redirect::temporary(&format!("/chain/{}", n + 1)).into_response()
            }
            "/huge" => vec![b' '; 21 * 1024 * 1024].into_response(),
            _ => axum::http::StatusCode::NOT_FOUND.into_response(),
        }
    })
    .await;
    let port = base.rsplit(':').next().unwrap().to_owned();

    // Without an allow-list, internal addresses are refused before anything
    // is sent: IP literals, names that resolve to loopback, the cloud
    // metadata address, the decimal form of 127.0.0.1.
    for url in [
        format!("{base}/system"),
        format!("http://localhost:{port}/system"),
        format!("http://[::1]:{port}/system"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        format!("http://2130706433:{port}/system"),
        "http://10.0.0.1/oparl/system".to_owned(),
    ] {
        let (status, v) = sync(&app.client, &app, &url).await;
        assert_eq!((status, rule(&v)), (422, "outbound-refused"), "{url}: {v}");
    }
    assert!(
        log.lock().unwrap().is_empty(),
        "nothing reached the stand-in"
    );

    // The geocoder goes through the same client.
    let r = app
        .client
        .put(app.url("/api/v1/settings"))
        .json(&json!({"office_name": "KI", "geocoder_url": format!("{base}/search")}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let org: Value = app
        .client
        .post(app.url("/api/v1/organisations"))
        .json(&json!({"name": "Verein", "kind": "mso", "city": "Lindenau"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = app
        .client
        .post(app.url(&format!(
            "/api/v1/organisations/{}/geocode",
            org["id"].as_str().unwrap()
        )))
        .json(&json!({"version": org["version"]}))
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(rule(&v), "outbound-refused", "{v}");
    assert!(log.lock().unwrap().is_empty());

    // The operator at the command line may name any address.
    let cli = app
        .services
        .oparl_sync(
            &msohub_service::Actor::cli(),
            Some(&format!("{base}/system")),
            Some("Integrationsrat"),
        )
        .await;
    match cli {
        Err(msohub_service::Error::Validation(f)) => {
            assert_eq!(f[0].rule, "oparl-organisation-not-found")
        }
        other => panic!("the operator's sync reached the system: {other:?}"),
    }
    assert_eq!(
        log.lock().unwrap().first().map(String::as_str),
        Some("/system")
    );

    // Allowed: 127.0.0.1 only. A redirect to 127.0.0.2 is checked on its hop
    // and refused; more than three redirects end; answers have a limit.
    app.allow_outbound_to_loopback().await;
    let (status, v) = sync(&app.client, &app, &format!("{base}/hop")).await;
    assert_eq!((status, rule(&v)), (422, "outbound-refused"), "{v}");
    log.lock().unwrap().clear();
    let (status, v) = sync(&app.client, &app, &format!("{base}/chain/0")).await;
    assert_eq!((status, rule(&v)), (422, "oparl-unreachable"), "{v}");
    assert_eq!(
        log.lock().unwrap().len(),
        4,
        "the request and three redirects"
    );
    let (status, v) = sync(&app.client, &app, &format!("{base}/huge")).await;
    assert_eq!((status, rule(&v)), (422, "oparl-too-large"), "{v}");

    // Staff may run only the system an admin configured: another address
    // is refused before anything is fetched.
    let (staff, _) = app.signed_in("staff").await;
    log.lock().unwrap().clear();
    let (status, v) = sync(&staff, &app, &format!("{base}/system")).await;
    assert_eq!((status, rule(&v)), (422, "oparl-url-admin-only"), "{v}");
    assert!(log.lock().unwrap().is_empty());

    // A bad allow-list entry is refused with a clear message.
    let r = app
        .client
        .put(app.url("/api/v1/settings"))
        .json(&json!({"office_name": "KI", "outbound_allow": "ris.intern.example\nhttp://x/"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["errors"][0]["field"], "outbound_allow");
}
