//! Events: recorded through the API and the form, organisers by name, bad
//! input refused with its message, a stale edit overwrites nothing, soft
//! delete with history; held events count for a target and those the office
//! organised appear in the report beyond the targets.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(
    events_are_recorded_checked_and_listed,
    the_office_s_events_count_and_are_reported,
    public_events_are_in_the_calendar_feeds_and_private_ones_are_not,
);

fn rules(v: &Value) -> Vec<(String, String)> {
    v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_owned(),
                        e["rule"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn events_are_recorded_checked_and_listed(app: TestApp) {
    app.sign_in("staff").await;
    let (_, org) = app
        .post_json(
            "/api/v1/organisations",
            json!({"name": "Kulturverein Anatolien", "kind": "mso"}),
        )
        .await;
    let oid = org["id"].as_str().unwrap().to_owned();
    let (status, e) = app.post_json("/api/v1/events", json!({"title": "Sommerfest", "starts_at": "2030-07-04T15:00", "ends_at": "2030-07-05T22:00", "mode": "hybrid", "place": "Bürgerpark", "online_link": "https://stream.example/fest", "organisers": [oid], "languages": ["de", "tr"], "is_public": true})).await;
    assert_eq!(status, 201, "{e}");
    assert_eq!(e["status"], "planned");
    assert_eq!(e["organisers"][0]["name"], "Kulturverein Anatolien");
    assert_eq!(e["languages"], json!(["de", "tr"]));
    assert_eq!(e["starts_at"], "2030-07-04T13:00:00Z", "Berlin summer time");
    let id = e["id"].as_str().unwrap().to_owned();

    // Bad input: a clear message each, nothing saved.
    for (body, field, rule) in [
        (
            json!({"title": "x", "starts_at": "2030-07-04T15:00", "ends_at": "2030-07-03T15:00", "mode": "digital", "online_link": "https://a.example", "organisers": [oid]}),
            "ends_at",
            "date-before-start",
        ),
        (
            json!({"title": "x", "starts_at": "2030-07-04T15:00", "mode": "in_person", "organisers": [oid]}),
            "place",
            "place-required",
        ),
        (
            json!({"title": "x", "starts_at": "2030-07-04T15:00", "mode": "digital", "online_link": "javascript:alert(1)", "organisers": [oid]}),
            "online_link",
            "url-invalid",
        ),
        (
            json!({"title": "x", "starts_at": "2030-07-04T15:00", "mode": "digital", "online_link": "https://a.example", "organisers": [oid], "languages": ["xx"]}),
            "languages",
            "language-unknown",
        ),
        (
            json!({"title": "x", "starts_at": "2030-07-04T15:00", "mode": "digital", "online_link": "https://a.example", "organisers": []}),
            "organisers",
            "organisation-required",
        ),
        (
            json!({"title": "x", "starts_at": "2030-07-04T15:00", "mode": "digital", "online_link": "https://a.example", "organisers": [oid], "status": "held"}),
            "starts_at",
            "held-in-future",
        ),
        (
            json!({"title": "x", "starts_at": "2020-07-04T15:00", "mode": "digital", "online_link": "https://a.example", "organisers": [oid], "status": "cancelled"}),
            "cancel_reason",
            "cancel-reason-required",
        ),
        (
            json!({"title": "x".repeat(5000), "starts_at": "2030-07-04T15:00", "mode": "digital", "online_link": "https://a.example", "organisers": [oid]}),
            "title",
            "too-long",
        ),
        (
            json!({"title": "x", "starts_at": "morgen", "mode": "digital", "online_link": "https://a.example", "organisers": [oid]}),
            "starts_at",
            "datetime-invalid",
        ),
        (
            json!({"title": "x", "starts_at": "2030-07-04T15:00", "mode": "digital", "online_link": "https://a.example", "organisers": [oid], "translations": {"xx": {"title": "y"}}}),
            "translations",
            "language-unknown",
        ),
    ] {
        let (status, v) = app.post_json("/api/v1/events", body).await;
        assert_eq!(status, 422, "{v}");
        assert!(
            rules(&v).contains(&(field.to_owned(), rule.to_owned())),
            "{field} {rule}: {v}"
        );
    }
    let list: Value = app.get("/api/v1/events").await.json().await.unwrap();
    assert_eq!(list["total"], 1, "nothing of the bad input was saved");

    // Through the form: the organiser added by name.
    let r = app
        .post_form(
            "/app/events",
            &[
                ("version", "0"),
                ("title", "Elternabend"),
                ("starts_at", "2030-03-02T18:00"),
                ("mode", "in_person"),
                ("status", "planned"),
                ("place", "Vereinsheim"),
                ("add_organisation", "Kulturverein Anatolien"),
                ("languages", "de"),
                ("languages", "ar"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let page = app.get_page(&location).await;
    assert_eq!(page.text("#event-title"), "Elternabend");
    assert!(
        page.text("#event-organisers")
            .contains("Kulturverein Anatolien")
    );
    // The form shows the messages and keeps the input.
    let r = app
        .post_form(
            "/app/events",
            &[
                ("version", "0"),
                ("title", "Ohne Ort"),
                ("starts_at", "2030-03-02T18:00"),
                ("mode", "in_person"),
                ("status", "planned"),
                ("add_organisation", "Kulturverein Anatolien"),
            ],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(page.text("#place-error").contains("Ort"));
    assert_eq!(page.attr("#title", "value"), "Ohne Ort");

    // Filters.
    let list: Value = app
        .get(&format!("/api/v1/events?organisation={oid}&public=true"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["title"], "Sommerfest");
    let r = app.get("/api/v1/events?from=gestern").await;
    assert_eq!(r.status(), 422);
    let page = app.get_page("/app/events?q=eltern").await;
    assert_eq!(page.count("#events tbody tr"), 1);

    // A stale edit changes nothing; the form shows the current record.
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/events/{id}")))
        .json(&json!({"title": "Sommerfest 2030", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/events/{id}")))
        .json(&json!({"title": "Überschrieben", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = app
        .post_form(
            &format!("/app/events/{id}"),
            &[
                ("version", "1"),
                ("title", "Überschrieben"),
                ("starts_at", "2030-07-04T15:00"),
                ("mode", "digital"),
                ("online_link", "https://a.example"),
                ("organisers", &oid),
            ],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert_eq!(page.attr("#title", "value"), "Sommerfest 2030");
    // Delete with the version; the history says what happened.
    let r = app
        .post_form(&format!("/app/events/{id}/delete"), &[("version", "2")])
        .await;
    assert_eq!(r.status(), 303);
    let list: Value = app.get("/api/v1/events").await.json().await.unwrap();
    assert_eq!(list["total"], 1);
    let page = app.get_page(&format!("/app/events/{id}")).await;
    assert_eq!(page.count("#history li"), 3);
}

async fn the_office_s_events_count_and_are_reported(app: TestApp) {
    app.sign_in("admin").await;
    let r = app
        .client
        .put(app.url("/api/v1/settings"))
        .json(&json!({"office_name": "KI Lindenau", "office_city": "Lindenau"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, office) = app
        .post_json(
            "/api/v1/organisations",
            json!({"name": "KI Lindenau", "kind": "public_body"}),
        )
        .await;
    let (_, mso) = app
        .post_json(
            "/api/v1/organisations",
            json!({"name": "Elternverein", "kind": "mso"}),
        )
        .await;
    for (title, day, organiser, status) in [
        (
            "Verleihung des Integrationspreises",
            "2021-03-12",
            &office,
            "held",
        ),
        ("Vereinsfest", "2021-05-08", &mso, "held"),
        ("Lesung", "2021-06-01", &office, "cancelled"),
    ] {
        let (s, v) = app.post_json("/api/v1/events", json!({"title": title, "starts_at": format!("{day}T18:00"), "mode": "in_person", "place": "Rathaus", "organisers": [organiser["id"]], "status": status, "cancel_reason": "Pandemie"})).await;
        assert_eq!(s, 201, "{v}");
    }
    let (_, period) = app
        .post_json(
            "/api/v1/periods",
            json!({"kind": "school_year", "year": "2020"}),
        )
        .await;
    let pid = period["id"].as_str().unwrap();
    let (_, all) = app.post_json("/api/v1/targets", json!({"period_id": pid, "number": "1", "title": "Veranstaltungen", "metric": "events_held", "wanted": "2"})).await;
    assert_eq!(all["actual"], 2.0);
    assert_eq!(all["status"], "met");
    assert!(
        all["records_href"]
            .as_str()
            .unwrap()
            .starts_with("/app/events?status=held")
    );
    let (_, own) = app.post_json("/api/v1/targets", json!({"period_id": pid, "number": "2", "title": "Eigene Veranstaltungen", "metric": "events_held", "organisation_kinds": ["public_body"], "wanted": "2"})).await;
    assert_eq!(own["actual"], 1.0);
    assert_eq!(own["status"], "partly_met");
    let md = app
        .get(&format!("/api/v1/periods/{pid}/report?format=md"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        md.contains(
            "- Das KI organisierte die Veranstaltung „Verleihung des Integrationspreises“ (März 2021)."
        ),
        "{md}"
    );
    assert!(!md.contains("Vereinsfest"), "not the office's: {md}");
    assert!(!md.contains("Lesung"), "not held: {md}");
}

async fn public_events_are_in_the_calendar_feeds_and_private_ones_are_not(app: TestApp) {
    app.sign_in("staff").await;
    let (_, listed) = app
        .post_json(
            "/api/v1/organisations",
            json!({"name": "Frauenverein Jasmin", "kind": "mso", "is_public": true}),
        )
        .await;
    let (_, hidden) = app
        .post_json(
            "/api/v1/organisations",
            json!({"name": "Interner Kreis", "kind": "mso", "is_public": false}),
        )
        .await;
    let (_, fest) = app.post_json("/api/v1/events", json!({"title": "Frühlingsfest; mit Musik, Tanz", "starts_at": "2030-05-01T15:00", "ends_at": "2030-05-01T19:30", "mode": "in_person", "place": "Bürgerpark", "organisers": [listed["id"]], "category": "culture", "is_public": true, "registration_link": "https://anmeldung.example/fest"})).await;
    let (_, private_event) = app.post_json("/api/v1/events", json!({"title": "Vorstandssitzung GEHEIM", "starts_at": "2030-05-02T18:00", "mode": "in_person", "place": "Büro", "organisers": [listed["id"]], "is_public": false})).await;
    app.post_json("/api/v1/events", json!({"title": "Treffen GEHEIM", "starts_at": "2030-05-03T18:00", "mode": "in_person", "place": "Büro", "organisers": [hidden["id"]], "is_public": false})).await;
    let (_, cancelled) = app.post_json("/api/v1/events", json!({"title": "Lesung", "starts_at": "2026-01-15T19:00", "mode": "in_person", "place": "Bibliothek", "organisers": [listed["id"]], "is_public": true, "status": "cancelled", "cancel_reason": "Krankheit"})).await;
    // Without signing in.
    let anon = reqwest::Client::new();
    let get = |p: String| anon.get(app.url(&p)).send();

    let r = get("/feeds/events.ics".into()).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
    let ics = r.text().await.unwrap();
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains(&format!(
        "UID:event-{}@msohub",
        fest["id"].as_str().unwrap()
    )));
    assert!(
        unfolded.contains("SUMMARY:Frühlingsfest\\; mit Musik\\, Tanz"),
        "{unfolded}"
    );
    assert!(
        unfolded.contains("DTSTART:20300501T130000Z"),
        "Berlin summer time: {unfolded}"
    );
    assert!(unfolded.contains("DTEND:20300501T173000Z"));
    assert!(unfolded.contains("Anmeldung: https://anmeldung.example/fest"));
    assert!(unfolded.contains(&format!(
        "UID:event-{}@msohub",
        cancelled["id"].as_str().unwrap()
    )));
    assert!(unfolded.contains("STATUS:CANCELLED"));
    assert!(
        !unfolded.contains("GEHEIM"),
        "a private event in the public feed"
    );
    assert!(!unfolded.contains("Interner Kreis"));

    let org = get(format!(
        "/feeds/organisations/{}/events.ics",
        listed["id"].as_str().unwrap()
    ))
    .await
    .unwrap();
    assert_eq!(org.status(), 200);
    let org = org.text().await.unwrap().replace("\r\n ", "");
    assert!(org.contains("X-WR-CALNAME:Veranstaltungen – Frauenverein Jasmin"));
    assert!(org.contains("Frühlingsfest"));
    assert!(!org.contains("GEHEIM"));
    let r = get(format!(
        "/feeds/organisations/{}/events.ics",
        hidden["id"].as_str().unwrap()
    ))
    .await
    .unwrap();
    assert_eq!(
        r.status(),
        404,
        "an organisation not publicly listed has no feed"
    );
    let r = get("/feeds/organisations/kein-uuid/events.ics".into())
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let culture = get("/feeds/categories/culture/events.ics".into())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(culture.contains("Frühlingsfest"));
    assert!(!culture.contains("Lesung"), "no category");
    let r = get("/feeds/categories/nope/events.ics".into())
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // The public pages: the event with its JSON-LD; English falls back to
    // German with a note; the private event is not there.
    let fid = fest["id"].as_str().unwrap();
    let r = get(format!("/de/events/{fid}")).await.unwrap();
    assert_eq!(r.status(), 200);
    let page = Page::from_response(r).await;
    assert_eq!(page.text("#event-title"), "Frühlingsfest; mit Musik, Tanz");
    assert!(page.text("#event-facts").contains("Frauenverein Jasmin"));
    assert!(page.text("#event-facts").contains("01.05.2030 15:00"));
    let ld: Value = serde_json::from_str(&page.text("script[type='application/ld+json']")).unwrap();
    assert_eq!(ld["@type"], "Event");
    assert_eq!(ld["startDate"], "2030-05-01T13:00:00+00:00");
    assert_eq!(ld["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(ld["organizer"][0]["name"], "Frauenverein Jasmin");
    let en = Page::from_response(get(format!("/en/events/{fid}")).await.unwrap()).await;
    assert!(
        en.text("#untranslated")
            .contains("only available in German")
    );
    let home = Page::from_response(get("/de/".into()).await.unwrap()).await;
    assert!(home.text("#upcoming-events").contains("Frühlingsfest"));
    assert!(!home.text("#upcoming-events").contains("GEHEIM"));
    let sitemap = get("/sitemap.xml".into())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(sitemap.contains(&format!("/de/events/{fid}</loc>")));
    assert!(sitemap.contains(&format!("/en/events/{fid}</loc>")));
    assert_eq!(
        sitemap.matches("/events/").count(),
        6 * 2,
        "two public events, in six languages: {sitemap}"
    );
    assert_eq!(sitemap.matches("<loc>").count() % 6, 0, "{sitemap}");
    assert!(!sitemap.contains(private_event["id"].as_str().unwrap()));
    let r = get("/de/events/nicht-da".into()).await.unwrap();
    assert_eq!(r.status(), 404);
    let r = get(format!(
        "/de/events/{}",
        private_event["id"].as_str().unwrap()
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 404, "an internal event has no public page");
}
