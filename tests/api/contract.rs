//! The API keeps what its document says (issue 21, item 1): a body of the
//! wrong type is refused with the field named, a missing required field is
//! `required` (not `choice-unknown`), a whole number written as `1.0` is
//! the integer it is, an id that is no UUID names no record (404, not a
//! plain-text 400), a version at the end of the range is stale (409, not a
//! server error), and the document a signed-in caller gets lists the
//! office's own vocabularies.

use crate::helpers::TestApp;
use crate::on_both_databases;
use reqwest::Method;
use serde_json::{Value, json};

on_both_databases!(
    bodies_are_read_as_the_document_says,
    ids_and_versions_out_of_range_are_answered_as_such,
    the_served_document_lists_the_office_vocabularies,
);

fn rules(v: &Value) -> Vec<(String, String)> {
    v["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_owned(),
                e["rule"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn count_organisations(app: &TestApp) -> u64 {
    app.get_json("/api/v1/organisations?limit=1").await["total"]
        .as_u64()
        .unwrap()
}

async fn bodies_are_read_as_the_document_says(app: TestApp) {
    app.sign_in("staff").await;
    let before = count_organisations(&app).await;

    // Missing required fields: the rule is `required`.
    let (status, v) = app
        .post_json("/api/v1/organisations", json!({"name": "Verein"}))
        .await;
    assert_eq!(status, 422, "{v}");
    assert!(
        rules(&v).contains(&("kind".into(), "required".into())),
        "{v}"
    );

    // Text where text is wanted: a number for a name is refused, naming it.
    let (status, v) = app
        .post_json("/api/v1/organisations", json!({"name": 5, "kind": "mso"}))
        .await;
    assert_eq!(status, 422, "{v}");
    assert!(v["detail"].as_str().unwrap().contains("name"), "{v}");
    // A boolean is no list of languages either.
    let (status, v) = app
        .post_json(
            "/api/v1/organisations",
            json!({"name": "Verein", "kind": "mso", "languages": true}),
        )
        .await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(count_organisations(&app).await, before, "nothing was saved");

    // Numbers as numbers, lists as arrays or text, null for nothing.
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Verein Zahl", "kind": "mso", "founding_year": 1999, "member_count": 40,
                   "languages": ["de", "tr"], "origins": null, "latitude": 51.7, "longitude": 8.75}),
        )
        .await;
    assert_eq!(org["founding_year"], 1999);
    assert_eq!(org["languages"], json!(["de", "tr"]));

    // A whole number written with a fraction is that number (JSON Schema's
    // `integer` takes 2.0 as well).
    let id = org["id"].as_str().unwrap();
    let version = org["version"].as_i64().unwrap() as f64;
    let (status, v) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/organisations/{id}"),
            json!({"member_count": 41.0, "version": version}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["member_count"], 41);
    // A real fraction is no version.
    let (status, _) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/organisations/{id}"),
            json!({"member_count": 42, "version": 1.5}),
        )
        .await;
    assert_eq!(status, 422);
}

async fn ids_and_versions_out_of_range_are_answered_as_such(app: TestApp) {
    app.sign_in("staff").await;
    for path in [
        "/api/v1/organisations/not-an-id",
        "/api/v1/persons/0",
        "/api/v1/meetings/null",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status().as_u16(), 404, "{path}");
        let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
        assert_eq!(ct, "application/problem+json", "{path}");
    }
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Verein Version", "kind": "mso"}),
        )
        .await;
    let id = org["id"].as_str().unwrap();
    let (status, v) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/organisations/{id}"),
            json!({"name": "Anders", "version": i32::MAX}),
        )
        .await;
    assert_eq!(status, 409, "{v}");
    let stored = app.get_json(&format!("/api/v1/organisations/{id}")).await;
    assert_eq!(stored["name"], "Verein Version");
}

async fn the_served_document_lists_the_office_vocabularies(app: TestApp) {
    // Signed out: the vocabulary is named, its codes are not listed.
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let topics = &doc["components"]["schemas"]["OrganisationInput"]["properties"]["topics"];
    assert!(
        topics.to_string().contains("\"x-vocabulary\":\"topic\""),
        "{topics}"
    );
    assert!(!topics.to_string().contains("\"enum\""), "{topics}");

    app.sign_in("staff").await;
    let codes: Vec<Value> = app
        .get_json("/api/v1/taxonomies/topic")
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["retired"] == false)
        .map(|t| t["code"].clone())
        .collect();
    assert!(!codes.is_empty());
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let topics = &doc["components"]["schemas"]["OrganisationInput"]["properties"]["topics"];
    let listed = topics
        .pointer("/anyOf/0/oneOf/0/items/enum")
        .cloned()
        .unwrap_or_default();
    assert_eq!(listed, Value::from(codes), "{topics}");
}
