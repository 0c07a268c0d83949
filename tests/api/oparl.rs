//! The OParl import against a council information system on loopback that
//! serves OParl 1.1 documents (shaped after the specification's examples):
//! paginated lists, a deleted meeting, a malformed object, and an
//! incremental second run with `modified_since`.

use crate::helpers::TestApp;
use crate::on_both_databases;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

on_both_databases!(
    the_integration_council_is_mirrored_incrementally,
    a_broken_council_system_gives_a_clear_message_and_loses_nothing,
);

/// A server that answers HTML, invalid JSON, or lists whose `next` loops.
async fn start_broken() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let b = base.clone();
    let handler = move |uri: axum::http::Uri| {
        let b = b.clone();
        async move {
            let body = match uri.path() {
                "/html/system" => {
                    return (
                        axum::http::StatusCode::OK,
                        [("content-type", "text/html")],
                        "<html>Wartung</html>".to_owned(),
                    );
                }
                "/broken/system" => {
                    return (
                        axum::http::StatusCode::OK,
                        [("content-type", "application/json")],
                        "{\"id\": ".to_owned(),
                    );
                }
                "/loop/system" => {
                    json!({"id": format!("{b}/loop/system"), "body": format!("{b}/loop/bodies")})
                }
                "/loop/bodies" => {
                    json!({"data": [{"id": format!("{b}/loop/body/1"), "organization": format!("{b}/loop/orgs")}], "links": {"next": format!("{b}/loop/bodies?page=2")}})
                }
                // Page 2 leads back to page 1: a loop.
                "/loop/orgs" => {
                    json!({"data": [{"id": format!("{b}/loop/org/1"), "name": "Rat"}], "links": {"next": format!("{b}/loop/orgs")}})
                }
                _ => json!({"data": [], "links": {"next": format!("{b}/loop/bodies")}}),
            };
            (
                axum::http::StatusCode::OK,
                [("content-type", "application/json")],
                body.to_string(),
            )
        }
    };
    tokio::spawn(async move {
        axum::serve(listener, axum::Router::new().fallback(handler))
            .await
            .unwrap()
    });
    base
}

async fn a_broken_council_system_gives_a_clear_message_and_loses_nothing(app: TestApp) {
    app.sign_in("admin").await;
    app.allow_outbound_to_loopback().await;
    let base = start_broken().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    for (url, rule) in [
        (format!("http://{closed}/system"), "oparl-unreachable"),
        (format!("{base}/html/system"), "oparl-invalid"),
        (format!("{base}/broken/system"), "oparl-invalid"),
        (
            format!("{base}/loop/system"),
            "oparl-organisation-not-found",
        ),
    ] {
        let r = app
            .client
            .post(app.url("/api/v1/oparl/sync"))
            .json(&json!({"system_url": url, "organisation": "Integrationsrat"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{url}");
        assert_eq!(
            r.json::<Value>().await.unwrap()["errors"][0]["rule"],
            rule,
            "{url}"
        );
    }
    let bodies: Value = app.get("/api/v1/bodies").await.json().await.unwrap();
    assert_eq!(
        bodies["items"].as_array().unwrap().len(),
        0,
        "nothing half-imported"
    );
    let log: Value = app
        .get("/api/v1/audit-log?entity_type=oparl")
        .await
        .json()
        .await
        .unwrap();
    let failed = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "oparl_failed")
        .count();
    assert_eq!(failed, 4, "every failed run is in the import log");
}

#[derive(Clone)]
struct Ris {
    base: String,
    /// Each request's path and query.
    log: Arc<Mutex<Vec<String>>>,
    /// Whether the second state (changes) is served.
    changed: Arc<Mutex<bool>>,
}

fn meeting(base: &str, n: u32, name: &str, start: &str, extra: Value) -> Value {
    let mut m = json!({
        "id": format!("{base}/meeting/{n}"),
        "type": "https://schema.oparl.org/1.1/Meeting",
        "name": name,
        "start": start,
        "end": start.replace("T17:00:00", "T19:00:00"),
        "location": {"id": format!("{base}/location/1"), "type": "https://schema.oparl.org/1.1/Location", "description": "Rathaus, Sitzungssaal 1"},
        "meetingState": "durchgeführt",
        "cancelled": false,
        "agendaItem": [
            {"id": format!("{base}/agendaitem/{n}1"), "type": "https://schema.oparl.org/1.1/AgendaItem", "number": "1", "name": "Eröffnung", "public": true},
            {"id": format!("{base}/agendaitem/{n}2"), "type": "https://schema.oparl.org/1.1/AgendaItem", "number": "2", "name": "Bericht des KI", "public": true, "result": "zur Kenntnis genommen"}
        ],
        "created": "2020-08-01T10:00:00+02:00",
        "modified": "2020-08-01T10:00:00+02:00"
    });
    if let (Some(o), Some(e)) = (m.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            o.insert(k.clone(), v.clone());
        }
    }
    m
}

async fn start_ris() -> Ris {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/oparl/v1.1", listener.local_addr().unwrap());
    let ris = Ris {
        base: base.clone(),
        log: Arc::default(),
        changed: Arc::default(),
    };
    let state = ris.clone();
    let handler = move |uri: axum::http::Uri| {
        let s = state.clone();
        async move {
            let path = uri.path().trim_start_matches("/oparl/v1.1").to_owned();
            let query = uri.query().unwrap_or_default().to_owned();
            s.log.lock().unwrap().push(format!("{path}?{query}"));
            let b = &s.base;
            let page = |data: Vec<Value>, next: Option<String>| json!({"data": data, "pagination": {"elementsPerPage": 2}, "links": {"next": next}});
            let changed = *s.changed.lock().unwrap();
            let body = match (path.as_str(), query.contains("page=2")) {
                ("/system", _) => {
                    json!({"id": format!("{b}/system"), "type": "https://schema.oparl.org/1.1/System", "oparlVersion": "https://schema.oparl.org/1.1/", "body": format!("{b}/bodies"), "name": "Ratsinformationssystem Lindenau"})
                }
                ("/bodies", false) => page(
                    vec![
                        json!({"id": format!("{b}/body/0"), "type": "https://schema.oparl.org/1.1/Body", "name": "Kreis", "organization": format!("{b}/body/0/organizations")}),
                    ],
                    Some(format!("{b}/bodies?page=2")),
                ),
                ("/bodies", true) => page(
                    vec![
                        json!({"id": format!("{b}/body/1"), "type": "https://schema.oparl.org/1.1/Body", "name": "Stadt Lindenau", "organization": format!("{b}/body/1/organizations")}),
                    ],
                    None,
                ),
                ("/body/0/organizations", _) => page(
                    vec![
                        json!({"id": format!("{b}/organization/9"), "type": "https://schema.oparl.org/1.1/Organization", "name": "Kreistag", "meeting": format!("{b}/organization/9/meetings")}),
                    ],
                    None,
                ),
                ("/body/1/organizations", _) => page(
                    vec![
                        json!({"id": format!("{b}/organization/1"), "type": "https://schema.oparl.org/1.1/Organization", "name": "Rat der Stadt", "meeting": format!("{b}/organization/1/meetings")}),
                        json!({"id": format!("{b}/organization/2"), "type": "https://schema.oparl.org/1.1/Organization", "name": "Integrationsrat der Stadt Lindenau", "shortName": "Integrationsrat", "classification": "Integrationsrat", "startDate": "2014-06-01", "meeting": format!("{b}/organization/2/meetings")}),
                    ],
                    None,
                ),
                ("/organization/2/meetings", false) if !changed => page(
                    vec![
                        meeting(b, 1, "1. Sitzung", "2020-09-10T17:00:00+02:00", json!({})),
                        meeting(b, 2, "2. Sitzung", "2020-11-12T17:00:00+01:00", json!({})),
                    ],
                    Some(format!("{b}/organization/2/meetings?page=2")),
                ),
                ("/organization/2/meetings", true) if !changed => page(
                    vec![
                        meeting(
                            b,
                            3,
                            "3. Sitzung",
                            "2021-02-11T17:00:00+01:00",
                            json!({"cancelled": true, "meetingState": "abgesagt"}),
                        ),
                        json!({"type": "https://schema.oparl.org/1.1/Meeting", "name": "ohne id"}),
                        meeting(b, 4, "4. Sitzung", "kein Datum", json!({})),
                    ],
                    None,
                ),
                // The second run asks for changes: one renamed, one deleted.
                ("/organization/2/meetings", _) => page(
                    vec![
                        meeting(
                            b,
                            2,
                            "2. Sitzung (verlegt)",
                            "2020-11-19T17:00:00+01:00",
                            json!({"modified": "2021-03-01T09:00:00+01:00"}),
                        ),
                        json!({"id": format!("{b}/meeting/1"), "type": "https://schema.oparl.org/1.1/Meeting", "deleted": true, "modified": "2021-03-01T09:00:00+01:00"}),
                    ],
                    None,
                ),
                _ => {
                    return (
                        axum::http::StatusCode::NOT_FOUND,
                        axum::Json(json!({"error": "not found"})),
                    );
                }
            };
            (axum::http::StatusCode::OK, axum::Json(body))
        }
    };
    let router = axum::Router::new().fallback(handler);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    ris
}

async fn the_integration_council_is_mirrored_incrementally(app: TestApp) {
    // An admin sets the council system up (its address is on the internal
    // network here: loopback, allowed in the settings).
    app.sign_in("admin").await;
    app.allow_outbound_to_loopback().await;
    let ris = start_ris().await;
    // An unknown organisation: a clear message, nothing imported.
    let r = app.client.post(app.url("/api/v1/oparl/sync")).json(&json!({"system_url": format!("{}/system", ris.base), "organisation": "Jugendhilfeausschuss"})).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["rule"],
        "oparl-organisation-not-found"
    );

    // Through the page, by short name.
    let r = app
        .post_form(
            "/app/bodies/oparl",
            &[
                ("system_url", &format!("{}/system", ris.base)),
                ("organisation", "integrationsrat"),
            ],
        )
        .await;
    let page = crate::helpers::Page::from_response(r).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.text("#oparl-report"),
        "3 neue Sitzungen, 0 aktualisiert, 0 gelöscht; 2 fehlerhafte Einträge übersprungen"
    );
    assert_eq!(page.count("#oparl-warnings li"), 2);
    let bodies: Value = app.get("/api/v1/bodies").await.json().await.unwrap();
    let council = bodies["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["imported"] == true)
        .unwrap()
        .clone();
    assert_eq!(council["name"], "Integrationsrat der Stadt Lindenau");
    assert_eq!(council["kind"], "integration_council");
    let cid = council["id"].as_str().unwrap();
    let meetings: Value = app
        .get(&format!("/api/v1/meetings?body={cid}&order=asc"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(meetings["total"], 3);
    let first = &meetings["items"][0];
    assert_eq!(first["title"], "1. Sitzung");
    assert_eq!(first["status"], "held");
    assert_eq!(first["starts_at"], "2020-09-10T15:00:00Z");
    assert_eq!(first["place"], "Rathaus, Sitzungssaal 1");
    assert_eq!(first["agenda"][1]["title"], "2 Bericht des KI");
    assert_eq!(first["agenda"][1]["outcome"], "zur Kenntnis genommen");
    assert_eq!(meetings["items"][2]["status"], "cancelled");
    assert!(
        ris.log.lock().unwrap().iter().any(|l| l.contains("page=2")),
        "pagination followed"
    );

    // The office adds its attendance and minutes; the mirror stays read-only.
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    let second = meetings["items"][1]["id"].as_str().unwrap().to_owned();
    let r = app.client.put(app.url(&format!("/api/v1/meetings/{second}/attendance"))).json(&json!({"version": 1, "attendance": [{"attendee": format!("u:{}", me["id"].as_str().unwrap()), "status": "present"}]})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/meetings/{second}")))
        .json(&json!({"title": "Umbenannt", "minutes": "Eigene Notizen des KI", "version": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let m: Value = r.json().await.unwrap();
    assert_eq!(
        m["title"], "2. Sitzung",
        "imported fields stay as the council system has them"
    );
    assert_eq!(m["minutes"], "Eigene Notizen des KI");

    // Staff run the configured import, but may not point it elsewhere;
    // such a request fetches nothing.
    let (staff, _) = app.signed_in("staff").await;
    let asked = ris.log.lock().unwrap().len();
    let r = staff
        .post(app.url("/api/v1/oparl/sync"))
        .json(&json!({"system_url": format!("{}/other/system", ris.base)}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["rule"],
        "oparl-url-admin-only"
    );
    assert_eq!(ris.log.lock().unwrap().len(), asked, "nothing was fetched");

    // The second run asks only for changes and applies them.
    *ris.changed.lock().unwrap() = true;
    let r = staff
        .post(app.url("/api/v1/oparl/sync"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["incremental"], true);
    assert_eq!(report["updated"], 1);
    assert_eq!(report["deleted"], 1);
    assert!(
        ris.log
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.starts_with("/organization/2/meetings?modified_since=")),
        "{:?}",
        ris.log.lock().unwrap()
    );
    let meetings: Value = app
        .get(&format!("/api/v1/meetings?body={cid}&order=asc"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(meetings["total"], 2, "the deleted one is gone");
    let m: Value = app
        .get(&format!("/api/v1/meetings/{second}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(m["title"], "2. Sitzung (verlegt)");
    assert_eq!(
        m["minutes"], "Eigene Notizen des KI",
        "the office's minutes survive an update"
    );
    assert_eq!(
        m["attendance"].as_array().unwrap().len(),
        1,
        "and so does its attendance"
    );
    let stats: Value = app
        .get(&format!("/api/v1/bodies/{cid}/attendance"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stats["held"], 1);
    assert_eq!(stats["with_staff"], 1);
}
