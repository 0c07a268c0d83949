//! The HSDS export: public organisations with the parts they show, public
//! offers of public organisations; nothing private, no sign-in needed.

use crate::helpers::TestApp;
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(the_hsds_export_holds_only_public_data);

async fn the_hsds_export_holds_only_public_data(app: TestApp) {
    app.sign_in("staff").await;
    let listed = app.created("/api/v1/organisations", json!({"name": "Elternverein Jasmin", "kind": "mso", "is_public": true,
        "public_parts": ["description", "address", "languages"], "description": "Wir beraten Eltern.", "street": "Lindenstraße 4",
        "postcode": "01067", "city": "Lindenau", "email": "vorstand-privat@jasmin.example", "phone": "0351 123456", "languages": ["ar", "de"]})).await;
    let hidden = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Stiller Kreis GEHEIM", "kind": "mso", "is_public": false}),
        )
        .await;
    let lid = listed["id"].as_str().unwrap();
    let cafe = app.created("/api/v1/offers", json!({"organisation_id": lid, "title": "Elterncafé", "category": "parents", "languages": ["ar", "de"],
        "cost_kind": "amount", "cost_text": "1 € pro Treffen", "location_kind": "other", "street": "Marktplatz 1", "postcode": "01067", "city": "Lindenau",
        "schedule_rrule": "FREQ=MONTHLY;BYDAY=1MO", "starts_time": "16:00", "ends_time": "18:00", "status": "active", "is_public": true})).await;
    let private = app.created("/api/v1/offers", json!({"organisation_id": lid, "title": "Vorstandsrunde GEHEIM", "category": "other", "cost_kind": "free", "location_kind": "organisation", "status": "active", "is_public": false})).await;
    let unlisted = app.created("/api/v1/offers", json!({"organisation_id": hidden["id"], "title": "Angebot GEHEIM", "category": "other", "cost_kind": "free", "location_kind": "organisation", "status": "active", "is_public": true})).await;

    let anon = reqwest::Client::new();
    let get = |p: &str| anon.get(app.url(p)).send();
    let r = get("/api/v1/hsds/organizations").await.unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(!text.contains("GEHEIM"), "{text}");
    assert!(
        !text.contains("vorstand-privat"),
        "contact is not a public part: {text}"
    );
    assert!(!text.contains("0351"), "{text}");
    let orgs: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(orgs["total_items"], 1);
    let org = &orgs["contents"][0];
    assert_eq!(org["name"], "Elternverein Jasmin");
    assert_eq!(org["description"], "Wir beraten Eltern.");
    assert_eq!(org["locations"][0]["addresses"][0]["postal_code"], "01067");
    assert_eq!(org["languages"][0]["code"], "ar");

    let text = get("/api/v1/hsds/services")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!text.contains("GEHEIM"), "{text}");
    let services: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(services["total_items"], 1);
    let s = &services["contents"][0];
    assert_eq!(s["name"], "Elterncafé");
    assert_eq!(s["organization_id"], lid);
    assert_eq!(s["status"], "active");
    assert_eq!(s["schedules"][0]["freq"], "MONTHLY");
    assert_eq!(s["schedules"][0]["byday"], "1MO");
    assert_eq!(s["schedules"][0]["opens_at"], "16:00");
    assert_eq!(s["cost_options"][0]["currency"], "EUR");
    assert_eq!(
        s["service_at_locations"][0]["addresses"][0]["address_1"],
        "Marktplatz 1"
    );

    // Paging, and bad paging input.
    let p: Value = get("/api/v1/hsds/services?page=2&per_page=1")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(p["empty"], true);
    assert_eq!(p["last_page"], true);
    let r = get("/api/v1/hsds/services?page=zwei").await.unwrap();
    assert_eq!(r.status(), 422);

    // The public offer page, with schema.org Service; nothing private.
    let cid = cafe["id"].as_str().unwrap();
    let r = get(&format!("/de/offers/{cid}")).await.unwrap();
    assert_eq!(r.status(), 200);
    let page = crate::helpers::Page::from_response(r).await;
    assert_eq!(page.text("#offer-title"), "Elterncafé");
    assert_eq!(page.text("#offer-provider"), "Elternverein Jasmin");
    let facts = page.text("#offer-facts");
    assert!(facts.contains("Marktplatz 1, 01067 Lindenau"), "{facts}");
    assert!(facts.contains("1 € pro Treffen"), "{facts}");
    assert!(facts.contains("16:00–18:00"), "{facts}");
    let ld: Value = serde_json::from_str(&page.text("script[type='application/ld+json']")).unwrap();
    assert_eq!(ld["@type"], "Service");
    assert_eq!(ld["provider"]["name"], "Elternverein Jasmin");
    for other in [&private, &unlisted] {
        let r = get(&format!("/de/offers/{}", other["id"].as_str().unwrap()))
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
    }
    let sitemap = get("/sitemap.xml").await.unwrap().text().await.unwrap();
    assert!(sitemap.contains(&format!("/de/offers/{cid}</loc>")));
    assert!(!sitemap.contains(private["id"].as_str().unwrap()));
    assert!(!sitemap.contains(unlisted["id"].as_str().unwrap()));
}
