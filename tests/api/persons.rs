//! Contact persons: details, affiliations with organisations, consent
//! records and what they cover, through the UI and the API.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;

on_both_databases!(
    a_contact_person_is_added_from_the_organisation_page,
    consent_records_say_what_they_cover_and_until_when,
    persons_through_the_api,
);

async fn organisation(app: &TestApp) -> String {
    let r = app
        .post_form(
            "/app/organisations",
            &[
                ("name", "Syrischer Elternverein Jasmin"),
                ("kind", "mso"),
                ("version", "0"),
            ],
        )
        .await;
    r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/app/organisations/")
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

async fn a_contact_person_is_added_from_the_organisation_page(app: TestApp) {
    app.sign_in("staff").await;
    let org = organisation(&app).await;
    let page = app.get_page(&format!("/app/organisations/{org}")).await;
    assert_eq!(page.count("form#add-person"), 1);
    let r = app
        .post_form(
            &format!("/app/organisations/{org}/people"),
            &[
                ("given_name", "Rana"),
                ("family_name", "Haddad"),
                ("role", "Vorsitzende"),
                ("email", "rana@jasmin.example"),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let person = r.headers()["location"].to_str().unwrap().to_owned();
    let page = app.get_page(&person).await;
    assert_eq!(page.text("h1"), "Rana Haddad");
    assert!(
        page.text("#affiliations")
            .contains("Syrischer Elternverein Jasmin – Vorsitzende")
    );
    assert!(
        page.text("#consent-summary")
            .contains("keine gültige Einwilligung")
    );
    let org_page = app.get_page(&format!("/app/organisations/{org}")).await;
    assert!(
        org_page
            .text("#people")
            .contains("Rana Haddad – Vorsitzende, rana@jasmin.example")
    );
    // Invalid input creates nobody.
    let r = app
        .post_form(
            &format!("/app/organisations/{org}/people"),
            &[
                ("given_name", ""),
                ("family_name", "X"),
                ("email", "kaputt"),
            ],
        )
        .await;
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("done=person-invalid")
    );
    let list = app.get_page("/app/persons").await;
    assert_eq!(list.text("#result-count"), "Eine Person");
    // Search by name, folded.
    let found = app.get_page("/app/persons?q=HADDAD").await;
    assert_eq!(found.text("a.person-name"), "Haddad, Rana");
}

async fn consent_records_say_what_they_cover_and_until_when(app: TestApp) {
    app.sign_in("staff").await;
    let r = app
        .post_form(
            "/app/persons",
            &[
                ("given_name", "Olena"),
                ("family_name", "Kowalenko"),
                ("languages", "uk, ru"),
                ("version", "0"),
            ],
        )
        .await;
    let person = r.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    // Bad input: a clear message, nothing recorded.
    let bad = Page::from_response(
        app.post_form(
            &format!("{person}/consents"),
            &[
                ("purpose", "anything"),
                ("given_on", "2150-01-01"),
                ("source", ""),
                ("expires_on", "2000-01-01"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.text("#purpose-error"),
        "Bitte wählen Sie einen der angebotenen Werte."
    );
    assert_eq!(
        bad.text("#given_on-error"),
        "Das Datum liegt in der Zukunft."
    );
    assert_eq!(bad.text("#source-error"), "Bitte ausfüllen.");
    assert_eq!(bad.count("#consents"), 0);
    let today = chrono::Utc::now().date_naive();
    let next_year = (today + chrono::Duration::days(365))
        .format("%Y-%m-%d")
        .to_string();
    let r = app
        .post_form(
            &format!("{person}/consents"),
            &[
                ("purpose", "public_listing"),
                ("given_on", &today.format("%Y-%m-%d").to_string()),
                ("source", "Formular beim Besuch"),
                ("expires_on", &next_year),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // An old consent that has expired does not count.
    app.post_form(
        &format!("{person}/consents"),
        &[
            ("purpose", "mailings"),
            ("given_on", "2020-01-01"),
            ("source", "E-Mail"),
            ("expires_on", "2021-01-01"),
        ],
    )
    .await;
    let page = app.get_page(&person).await;
    assert_eq!(
        page.text("#consent-summary"),
        "Gültige Einwilligung für: Öffentliche Nennung."
    );
    assert!(
        page.text("tr[data-purpose=public_listing]").contains(
            &(today + chrono::Duration::days(365))
                .format("%d.%m.%Y")
                .to_string()
        )
    );
    assert_eq!(
        page.text("tr[data-purpose=mailings] .consent-status"),
        "abgelaufen"
    );
    // Withdrawal.
    let form_action = page.attr("tr[data-purpose=public_listing] form", "action");
    app.post_form(&form_action, &[]).await;
    let page = app.get_page(&person).await;
    assert!(
        page.text("#consent-summary")
            .contains("keine gültige Einwilligung")
    );
    assert!(
        page.text("tr[data-purpose=public_listing] .consent-status")
            .starts_with("widerrufen am")
    );
    let history = page.text("#history");
    assert!(
        history.contains("Einwilligung widerrufen") && history.contains("Einwilligung erfasst"),
        "{history}"
    );
}

async fn persons_through_the_api(app: TestApp) {
    let (api, _) = app.signed_in("staff").await;
    app.sign_in("staff").await;
    let org = organisation(&app).await;
    let r = api.post(app.url("/api/v1/persons")).json(&serde_json::json!({"given_name": "Kofi", "family_name": "Mensah", "email": "kofi@example.org"})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let p: serde_json::Value = r.json().await.unwrap();
    let id = p["id"].as_str().unwrap().to_owned();
    let r = api.post(app.url(&format!("/api/v1/persons/{id}/affiliations"))).json(&serde_json::json!({"organisation_id": org, "role": "Kassenwart", "from": "2020-05-01", "to": "2019-01-01"})).send().await.unwrap();
    assert_eq!(r.status(), 422, "ends before it starts");
    let r = api.post(app.url(&format!("/api/v1/persons/{id}/affiliations"))).json(&serde_json::json!({"organisation_id": org, "role": "Kassenwart", "from": "2020-05-01"})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let r = api.post(app.url(&format!("/api/v1/persons/{id}/consents"))).json(&serde_json::json!({"purpose": "contact", "given_on": "2024-03-01", "source": "Telefonat"})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let got: serde_json::Value = api
        .get(app.url(&format!("/api/v1/persons/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["affiliations"][0]["role"], "Kassenwart");
    assert_eq!(
        got["affiliations"][0]["organisation_name"],
        "Syrischer Elternverein Jasmin"
    );
    assert_eq!(got["consents"][0]["active"], true);
    let r = api
        .patch(app.url(&format!("/api/v1/persons/{id}")))
        .json(&serde_json::json!({"version": 1, "phone": "05251 4711"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = api
        .patch(app.url(&format!("/api/v1/persons/{id}")))
        .json(&serde_json::json!({"version": 1, "phone": "05251 1234"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let list: serde_json::Value = api
        .get(app.url("/api/v1/persons?q=mensah"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(
        api.delete(app.url(&format!("/api/v1/persons/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    let list: serde_json::Value = api
        .get(app.url("/api/v1/persons?q=mensah"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
}
