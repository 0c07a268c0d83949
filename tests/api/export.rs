//! Exports of whole record types: CSV for German Excel and standard CSV,
//! XLSX and JSON, through the API and the staff page; formulas neutralised,
//! postcodes kept as text, every export in the audit log.

use crate::helpers::TestApp;
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(every_record_type_exports_as_csv_xlsx_and_json);

async fn every_record_type_exports_as_csv_xlsx_and_json(app: TestApp) {
    app.sign_in("staff").await;
    let post = |path: &'static str, body: Value| {
        let client = app.client.clone();
        let url = app.url(path);
        async move {
            let r = client.post(url).json(&body).send().await.unwrap();
            assert!(r.status().is_success(), "{path}: {}", r.status());
            r.json::<Value>().await.unwrap()
        }
    };
    let org = post(
        "/api/v1/organisations",
        json!({"name": "=HYPERLINK(\"http://evil.example\")", "kind": "mso",
        "postcode": "01067", "languages": ["tr", "de"], "founding_year": 1999}),
    )
    .await;
    post(
        "/api/v1/organisations",
        json!({"name": "Verein Zwei", "kind": "mso"}),
    )
    .await;
    post(
        "/api/v1/offers",
        json!({"organisation_id": org["id"], "title": "Elterncafé", "category": "parents",
        "cost_kind": "free", "location_kind": "organisation", "status": "active"}),
    )
    .await;
    post(
        "/api/v1/events",
        json!({"title": "Sommerfest", "starts_at": "2031-07-04T15:00", "mode": "in_person",
        "place": "Park", "organisers": [org["id"]]}),
    )
    .await;

    let get = |path: String| {
        let client = app.client.clone();
        let url = app.url(&path);
        async move { client.get(url).send().await.unwrap() }
    };

    // CSV for German Excel: BOM, semicolons, id first, formula neutralised,
    // postcode with its leading zero.
    let r = get("/api/v1/export/organisations".into()).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("msohub-organisations-")
    );
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}id;"), "{csv}");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains(";01067;"), "{csv}");
    assert!(csv.contains("tr, de"), "{csv}");
    assert_eq!(
        csv.lines().count(),
        3,
        "header and two organisations: {csv}"
    );

    // Standard CSV and a chosen separator.
    let csv = get("/api/v1/export/organisations?format=csv-standard".into())
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("id,"), "{csv}");
    let csv = get("/api/v1/export/offers?format=csv&separator=tab&bom=0".into())
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("id\t") && csv.contains("Elterncafé"),
        "{csv}"
    );

    // JSON: the records as the list endpoints give them.
    for (entity, n) in [
        ("organisations", 2),
        ("offers", 1),
        ("events", 1),
        ("persons", 0),
        ("contacts", 0),
        ("meetings", 0),
    ] {
        let r = get(format!("/api/v1/export/{entity}?format=json")).await;
        assert_eq!(r.status(), 200, "{entity}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v.as_array().unwrap().len(), n, "{entity}");
    }
    let events: Value = get("/api/v1/export/events?format=json".into())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events[0]["title"], "Sommerfest");

    // XLSX: a workbook.
    let r = get("/api/v1/export/events?format=xlsx".into()).await;
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");

    // Bad requests say what is wrong.
    for (path, field) in [
        ("/api/v1/export/users", "entity"),
        ("/api/v1/export/organisations?format=pdf", "format"),
        ("/api/v1/export/organisations?separator=pipe", "separator"),
        ("/api/v1/export/organisations?bom=maybe", "bom"),
    ] {
        let r = get(path.into()).await;
        assert_eq!(r.status(), 422, "{path}");
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], field, "{path}: {p}");
    }
    // Nobody else.
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/export/persons?format=json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // The staff page links every type in every format; its links work.
    let page = app.get_page("/app/export").await;
    for entity in [
        "organisations",
        "persons",
        "offers",
        "events",
        "contacts",
        "meetings",
    ] {
        assert!(
            page.text(&format!("tr[data-entity=\"{entity}\"]"))
                .contains("JSON"),
            "{entity}"
        );
    }
    let r = get("/app/export/organisations?format=xlsx".into()).await;
    assert_eq!(r.status(), 200);
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");

    // Each export is in the audit log, without the data.
    let log: Value = {
        let (admin, _) = app.signed_in("admin").await;
        admin
            .get(app.url("/api/v1/audit-log?entity_type=export"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    };
    let text = log.to_string();
    assert!(
        text.contains("\"rows\":2") && text.contains("\"format\":\"xlsx\""),
        "{text}"
    );
    assert!(!text.contains("HYPERLINK"), "{text}");
}

on_both_databases!(lists_export_with_their_current_filters);

async fn lists_export_with_their_current_filters(app: TestApp) {
    app.sign_in("staff").await;
    let post = |path: &'static str, body: Value| {
        let client = app.client.clone();
        let url = app.url(path);
        async move {
            let r = client.post(url).json(&body).send().await.unwrap();
            assert!(r.status().is_success(), "{path}: {}", r.status());
            r.json::<Value>().await.unwrap()
        }
    };
    let org = post(
        "/api/v1/organisations",
        json!({"name": "Verein Filter", "kind": "mso"}),
    )
    .await;
    for (title, status) in [
        ("Läuft", "active"),
        ("Pausiert", "paused"),
        ("Auch aktiv", "active"),
    ] {
        post("/api/v1/offers", json!({"organisation_id": org["id"], "title": title, "category": "parents", "status": status})).await;
    }
    post("/api/v1/events", json!({"title": "Fest", "starts_at": "2031-07-04T15:00", "mode": "in_person", "place": "Park", "organisers": [org["id"]]})).await;
    post("/api/v1/events", json!({"title": "Lesung", "starts_at": "2031-08-04T15:00", "mode": "in_person", "place": "Bibliothek", "organisers": [org["id"]]})).await;
    // The offer list shows its export links with the filters it has.
    let page = app.get_page("/app/offers?status=active").await;
    let href = page.attr("#export-csv", "href");
    assert!(
        href.starts_with("/app/offers/export?format=csv&") && href.contains("status=active"),
        "{href}"
    );
    let csv = app.get(&href).await.text().await.unwrap();
    assert_eq!(
        csv.lines().count(),
        3,
        "header and the two active offers: {csv}"
    );
    assert!(!csv.contains("Pausiert"), "{csv}");
    let json: Value = app
        .get("/app/offers/export?format=json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    let events: Value = app
        .get("/app/events/export?format=json&q=Lesung")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events.as_array().unwrap().len(), 1, "{events}");
    let r = app.get("/app/interactions/export?format=xlsx").await;
    assert_eq!(r.status(), 200);
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");
    // The person list's search.
    post(
        "/api/v1/persons",
        json!({"given_name": "Rana", "family_name": "Haddad"}),
    )
    .await;
    post(
        "/api/v1/persons",
        json!({"given_name": "Oleh", "family_name": "Kovalenko"}),
    )
    .await;
    let page = app.get_page("/app/persons?q=hadd").await;
    let href = page.attr("#export-csv", "href");
    let csv = app.get(&href).await.text().await.unwrap();
    assert!(
        csv.contains("Haddad") && !csv.contains("Kovalenko"),
        "{csv}"
    );
    let r = app.get("/app/offers/export?format=pdf").await;
    assert_eq!(r.status(), 422);
}
