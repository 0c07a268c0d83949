//! The staff area for daily use: the header's search box, "Kontakt
//! erfassen" starting as a contact held just now, a planned contact marked
//! held in one click (and refused when stale or no longer planned).

use crate::helpers::TestApp;
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(
    the_search_box_finds_organisations_persons_contacts_and_meetings,
    a_planned_contact_is_held_in_one_click,
);

async fn id_of(app: &TestApp, path: &str, body: Value) -> String {
    app.created(path, body).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn the_search_box_finds_organisations_persons_contacts_and_meetings(app: TestApp) {
    app.sign_in("staff").await;
    let org = id_of(
        &app,
        "/api/v1/organisations",
        json!({"name": "Kulturverein Anatolien", "kind": "mso"}),
    )
    .await;
    id_of(
        &app,
        "/api/v1/organisations",
        json!({"name": "Elternverein Jasmin", "kind": "mso"}),
    )
    .await;
    let person = id_of(
        &app,
        "/api/v1/persons",
        json!({"given_name": "Ayşe", "family_name": "Anatolienova"}),
    )
    .await;
    let contact = id_of(
        &app,
        "/api/v1/interactions",
        json!({"subject": "Besuch im Anatolien-Treff", "kind": "visit", "mode": "in_person",
        "status": "held", "starts_at": "2026-03-05T10:00", "organisations": [org]}),
    )
    .await;
    let body = id_of(
        &app,
        "/api/v1/bodies",
        json!({"name": "Arbeitskreis", "kind": "working_group"}),
    )
    .await;
    let meeting = id_of(
        &app,
        "/api/v1/meetings",
        json!({"body_id": body, "title": "Anatolien stellt sich vor",
        "starts_at": "2026-03-10T17:00", "mode": "in_person", "status": "held"}),
    )
    .await;

    // The box is in every staff page's header.
    let page = app.get_page("/app/").await;
    assert_eq!(
        page.count("header form[action='/app/search'] input[name=q]"),
        1
    );

    // One word finds each kind; case does not matter.
    let page = app.get_page("/app/search?q=anatolien").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.attrs(
            "#found-organisations a[href^='/app/organisations/']",
            "href"
        ),
        vec![format!("/app/organisations/{org}")]
    );
    assert_eq!(
        page.attrs("#found-persons a", "href"),
        vec![format!("/app/persons/{person}")]
    );
    assert_eq!(
        page.attrs("#found-contacts a", "href"),
        vec![format!("/app/interactions/{contact}")]
    );
    assert_eq!(
        page.attrs("#found-meetings a", "href"),
        vec![format!("/app/meetings/{meeting}")]
    );
    // Every word must match.
    let page = app.get_page("/app/search?q=Anatolien%20Treff").await;
    assert_eq!(page.count("#found-contacts a"), 1);
    assert_eq!(page.count("#found-meetings a"), 0);

    // Nothing, markup, LIKE wildcards and 5 KB of text: a page, never an error.
    for q in [
        "Gibtsnicht",
        "%25",
        "_",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ] {
        let page = app.get_page(&format!("/app/search?q={q}")).await;
        assert_eq!(page.status, 200, "{q}");
        assert_eq!(page.count("#finder-none"), 1, "{q}: found something");
    }
    let long = "Anatolien".repeat(600);
    let page = app.get_page(&format!("/app/search?q={long}")).await;
    assert_eq!(page.status, 200);
    let page = app.get_page("/app/search").await;
    assert_eq!(page.count("#finder-empty"), 1);
}

async fn a_planned_contact_is_held_in_one_click(app: TestApp) {
    app.sign_in("staff").await;
    let org = id_of(
        &app,
        "/api/v1/organisations",
        json!({"name": "Kulturverein Anatolien", "kind": "mso"}),
    )
    .await;

    // "Kontakt erfassen" is the organisation's first action; it starts as a
    // contact held now.
    let page = app.get_page(&format!("/app/organisations/{org}")).await;
    let href = page.attr("#record-contact", "href");
    assert_eq!(href, format!("/app/interactions/new?organisation={org}"));
    let form = app.get_page(&href).await;
    assert_eq!(form.count("input[name=status][value=held][checked]"), 1);
    let starts = form.attr("#starts_at", "value");
    let today = msohub_service::time::today().format("%Y-%m-%d").to_string();
    assert!(starts.starts_with(&today) && starts.len() == 16, "{starts}");
    // Planning a visit is one click away.
    let form = app.get_page(&format!("{href}&planned=1")).await;
    assert_eq!(form.count("input[name=status][value=planned][checked]"), 1);

    // A visit planned for tomorrow, marked held from the organisation's page
    // today: it took place now.
    let tomorrow = (msohub_service::time::today() + chrono::Duration::days(1))
        .format("%Y-%m-%dT10:00")
        .to_string();
    let planned = app
        .created(
            "/api/v1/interactions",
            json!({"subject": "Besuch beim Vorstand", "kind": "visit", "mode": "in_person",
        "status": "planned", "starts_at": tomorrow, "organisations": [org]}),
        )
        .await;
    let id = planned["id"].as_str().unwrap();
    let page = app.get_page(&format!("/app/organisations/{org}")).await;
    assert_eq!(
        page.count(&format!(
            "#timeline form[action='/app/interactions/{id}/held']"
        )),
        1
    );
    let dash = app.get_page("/app/").await;
    assert_eq!(
        dash.count(&format!(
            "#upcoming form[action='/app/interactions/{id}/held']"
        )),
        1
    );
    let list = app.get_page("/app/interactions?status=planned").await;
    assert_eq!(
        list.count(&format!("form[action='/app/interactions/{id}/held']")),
        1
    );

    // A stale click changes nothing.
    let back = format!("/app/organisations/{org}");
    let r = app
        .post_form(
            &format!("/app/interactions/{id}/held"),
            &[("version", "7"), ("back", &back)],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("done=contact-stale")
    );
    let r = app
        .post_form(
            &format!("/app/interactions/{id}/held"),
            &[("version", "1"), ("back", &back)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("{back}?done=contact-held"));
    let page = app.get_page(&location).await;
    assert!(
        page.text("[role=status]")
            .contains("als stattgefunden vermerkt")
    );
    let held: Value = app
        .get(&format!("/api/v1/interactions/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(held["status"], "held");
    let at = chrono::DateTime::parse_from_rfc3339(held["starts_at"].as_str().unwrap()).unwrap();
    assert!(
        at <= chrono::Utc::now()
            && chrono::Utc::now() - at.with_timezone(&chrono::Utc) < chrono::Duration::minutes(5)
    );
    // Once held, a second click changes nothing; a foreign address is not followed.
    let r = app
        .post_form(
            &format!("/app/interactions/{id}/held"),
            &[("version", "2"), ("back", "https://evil.example/")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/app/interactions/{id}?done=contact-not-planned")
    );
    let again: Value = app
        .get(&format!("/api/v1/interactions/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["version"], held["version"]);
}
