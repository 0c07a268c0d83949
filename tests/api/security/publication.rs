//! What is unlisted stays unlisted: feeds name only listed organisations,
//! and HSDS gives an offer's online link only where it takes place online.

use crate::helpers::TestApp;
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(unlisted_organisations_are_never_named_publicly);

async fn unlisted_organisations_are_never_named_publicly(app: TestApp) {
    app.sign_in("staff").await;
    let listed = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Offener Kulturverein", "kind": "mso", "is_public": true}),
        )
        .await;
    let hidden = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Verborgene Exilgruppe", "kind": "mso", "is_public": false}),
        )
        .await;
    let (lid, hid) = (
        listed["id"].as_str().unwrap(),
        hidden["id"].as_str().unwrap(),
    );
    app.created("/api/v1/events", json!({"title": "Gemeinsames Fest", "starts_at": "2030-06-01T15:00", "mode": "in_person", "place": "Park", "organisers": [lid, hid], "is_public": true})).await;
    app.created("/api/v1/events", json!({"title": "Treffen der Gruppe", "starts_at": "2030-06-02T15:00", "mode": "in_person", "place": "Saal", "organisers": [hid], "is_public": true})).await;

    let anonymous = crate::helpers::new_client();
    let get = |path: String| {
        let c = anonymous.clone();
        let url = app.url(&path);
        async move { c.get(url).send().await.unwrap() }
    };
    let ics = get("/feeds/events.ics".into()).await.text().await.unwrap();
    assert!(
        ics.contains("Gemeinsames Fest") && ics.contains("Offener Kulturverein"),
        "{ics}"
    );
    assert!(
        !ics.contains("Verborgene Exilgruppe"),
        "an unlisted organiser is named: {ics}"
    );
    // Its own feed and page do not exist for the public.
    assert_eq!(
        get(format!("/feeds/organisations/{hid}/events.ics"))
            .await
            .status(),
        404
    );
    assert_eq!(get(format!("/de/organisations/{hid}")).await.status(), 404);
    for path in [
        "/de/events",
        "/de/",
        "/sitemap.xml",
        "/api/v1/hsds/organizations",
    ] {
        let body = get(path.to_owned()).await.text().await.unwrap();
        assert!(!body.contains("Verborgene Exilgruppe"), "{path} names it");
        assert!(!body.contains(hid), "{path} links it");
    }

    // HSDS: the online link of an offer held at the organisation's place
    // stays internal; an online offer's link is its URL.
    app.created("/api/v1/offers", json!({"organisation_id": lid, "title": "Sprachcafé", "category": "language_course", "location_kind": "organisation", "online_link": "https://intern.example/raum-geheim", "is_public": true})).await;
    app.created("/api/v1/offers", json!({"organisation_id": lid, "title": "Online-Beratung", "category": "counselling", "location_kind": "online", "online_link": "https://beratung.example/raum", "is_public": true})).await;
    let services: Value = get("/api/v1/hsds/services".into())
        .await
        .json()
        .await
        .unwrap();
    let by = |title: &str| {
        services["contents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == title)
            .cloned()
            .unwrap_or_else(|| panic!("{title} missing: {services}"))
    };
    assert!(!by("Sprachcafé").to_string().contains("raum-geheim"));
    assert_eq!(
        by("Online-Beratung")["url"],
        "https://beratung.example/raum"
    );
}
