//! Offers (Angebote): created through the API and the form, filtered,
//! refused at the field with bad input, protected against stale writes,
//! soft-deleted, with their history; the demo's offers and the figure the
//! targets count.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(
    offers_are_created_through_the_api_and_the_form_and_filtered,
    bad_offers_are_refused_at_their_field_and_save_nothing,
    a_stale_version_changes_nothing_and_deletes_are_soft,
    demo_offers_and_the_published_figure,
);

async fn organisation(app: &TestApp, name: &str, kind: &str) -> String {
    app.created("/api/v1/organisations", json!({"name": name, "kind": kind}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn titles(list: &Value) -> Vec<String> {
    let mut t: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap().to_owned())
        .collect();
    t.sort();
    t
}

/// The id a form's redirect points to.
fn redirected_id(r: &reqwest::Response) -> String {
    r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/app/offers/")
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

async fn offers_are_created_through_the_api_and_the_form_and_filtered(app: TestApp) {
    app.sign_in("staff").await;
    let verein = organisation(&app, "Deutsch-Türkischer Kulturverein", "mso").await;
    let office = organisation(&app, "Kommunales Integrationszentrum", "public_body").await;

    // Through the API: 201 with the id.
    let r = app
        .client
        .post(app.url("/api/v1/offers"))
        .json(&json!({
            "organisation_id": verein, "title": "Sprachcafé Deutsch–Türkisch",
            "description": "Tee und **Gespräche**", "category": "language_course",
            "target_groups": ["newcomers", "everyone"], "age_min": 16, "languages": "de, TR",
            "cost_kind": "free", "location_kind": "organisation",
            "schedule_rrule": "rrule:freq=weekly;byday=tu", "schedule_text": "dienstags 17–19 Uhr",
            "starts_time": "17:00", "ends_time": "19:00", "valid_from": "2026-01-01",
            "status": "active", "is_public": true,
            "translations": {"tr": {"title": "Dil kafesi", "description": "Çay ve sohbet"}}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(
        created.as_object().unwrap().len(),
        1,
        "only the id: {created}"
    );
    let cafe = created["id"].as_str().unwrap().to_owned();
    let o = app.get_json(&format!("/api/v1/offers/{cafe}")).await;
    assert_eq!(o["organisation"]["name"], "Deutsch-Türkischer Kulturverein");
    assert_eq!(o["languages"], json!(["de", "tr"]));
    assert_eq!(o["target_groups"], json!(["newcomers", "everyone"]));
    assert_eq!(o["schedule_rrule"], "FREQ=WEEKLY;BYDAY=TU");
    assert_eq!(o["age_min"], 16);
    assert_eq!(o["age_max"], Value::Null);
    assert_eq!(o["starts_time"], "17:00");
    assert_eq!(o["translations"]["tr"]["title"], "Dil kafesi");
    assert_eq!(o["version"], 1);

    // Through the form, from the organisation's page.
    let page = app.get_page(&format!("/app/organisations/{office}")).await;
    assert_eq!(
        page.attr("#new-offer", "href"),
        format!("/app/offers/new?organisation={office}")
    );
    assert_eq!(page.count("#no-offers"), 1);
    let form = app
        .get_page(&format!("/app/offers/new?organisation={office}"))
        .await;
    assert_eq!(form.status, 200);
    assert_eq!(
        form.attr("#organisation_id option[selected]", "value"),
        office
    );
    let r = app
        .post_form(
            "/app/offers",
            &[
                ("version", "0"),
                ("organisation_id", &office),
                ("title", "Offene Sprechstunde"),
                ("category", "counselling"),
                ("target_groups", "everyone"),
                ("target_groups", "families"),
                ("languages", "de"),
                ("languages", "ar"),
                ("cost_kind", "amount"),
                ("cost_text", "5 € pro Termin"),
                ("registration_required", "true"),
                ("registration_how", "per E-Mail"),
                ("location_kind", "other"),
                ("street", "Am Markt 1"),
                ("postcode", "01067"),
                ("city", "Lindenau"),
                ("schedule_rrule", "FREQ=MONTHLY;BYDAY=-1FR"),
                ("valid_from", "2026-02-01"),
                ("valid_to", "2026-12-31"),
                ("status", "paused"),
                ("translation_en_title", "Open office hours"),
                ("translation_ar_title", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let hours = redirected_id(&r);
    let o = app.get_json(&format!("/api/v1/offers/{hours}")).await;
    assert_eq!(o["title"], "Offene Sprechstunde");
    assert_eq!(o["target_groups"], json!(["everyone", "families"]));
    assert_eq!(o["languages"], json!(["de", "ar"]));
    assert_eq!(o["registration_required"], true);
    assert_eq!(o["is_public"], false);
    assert_eq!(o["postcode"], "01067");
    assert_eq!(o["valid_to"], "2026-12-31");
    assert_eq!(o["status"], "paused");
    assert_eq!(
        o["translations"],
        json!({"en": {"title": "Open office hours", "description": ""}})
    );
    let page = app.get_page(&format!("/app/offers/{hours}")).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text("h1"), "Offene Sprechstunde");
    assert_eq!(page.count("#target_groups-families[checked]"), 1);
    assert_eq!(page.count("#languages-ar[checked]"), 1);
    assert_eq!(page.count("#languages-tr[checked]"), 0);
    assert_eq!(
        page.attr("#translation_en_title", "value"),
        "Open office hours"
    );
    assert_eq!(page.count("#history li"), 1);
    let page = app.get_page(&format!("/app/organisations/{office}")).await;
    assert_eq!(page.texts("#offers li a"), vec!["Offene Sprechstunde"]);

    // One more: online, public, women.
    app.created(
        "/api/v1/offers",
        json!({"organisation_id": verein, "title": "Frauentreff online", "category": "women",
            "location_kind": "online", "online_link": "https://treff.example.org/raum",
            "is_public": true, "valid_to": "2025-06-30", "valid_from": "2025-01-01"}),
    )
    .await;

    // Filters.
    let all = app.get_json("/api/v1/offers").await;
    assert_eq!(all["total"], 3);
    assert_eq!(all["next_cursor"], Value::Null);
    let by_org = app
        .get_json(&format!("/api/v1/offers?organisation={verein}"))
        .await;
    assert_eq!(
        titles(&by_org),
        vec!["Frauentreff online", "Sprachcafé Deutsch–Türkisch"]
    );
    let paused = app.get_json("/api/v1/offers?status=paused").await;
    assert_eq!(titles(&paused), vec!["Offene Sprechstunde"]);
    let two = app
        .get_json("/api/v1/offers?status=paused&status=active")
        .await;
    assert_eq!(two["total"], 3);
    let women = app.get_json("/api/v1/offers?category=women").await;
    assert_eq!(titles(&women), vec!["Frauentreff online"]);
    let public = app.get_json("/api/v1/offers?public=true").await;
    assert_eq!(public["total"], 2);
    let internal = app.get_json("/api/v1/offers?public=false").await;
    assert_eq!(titles(&internal), vec!["Offene Sprechstunde"]);
    let text = app.get_json("/api/v1/offers?q=sprachcafe").await;
    assert_eq!(titles(&text), vec!["Sprachcafé Deutsch–Türkisch"]);
    let translated = app.get_json("/api/v1/offers?q=kafesi").await;
    assert_eq!(translated["total"], 1);
    let kinds = app
        .get_json("/api/v1/offers?organisation_kind=public_body")
        .await;
    assert_eq!(titles(&kinds), vec!["Offene Sprechstunde"]);
    let in_2025 = app
        .get_json("/api/v1/offers?from=2025-03-01&to=2025-04-01")
        .await;
    assert_eq!(titles(&in_2025), vec!["Frauentreff online"]);
    let page1 = app.get_json("/api/v1/offers?limit=2").await;
    assert_eq!(page1["items"].as_array().unwrap().len(), 2);
    let cursor = page1["next_cursor"].as_str().unwrap().to_owned();
    let page2 = app
        .get_json(&format!("/api/v1/offers?limit=2&cursor={cursor}"))
        .await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);
    assert_eq!(page2["next_cursor"], Value::Null);
    let r = app.get("/api/v1/offers?status=running").await;
    assert_eq!(r.status(), 422);

    // The staff list with the same filters.
    let page = app.get_page("/app/offers?status=active&public=true").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.count("#offers tbody tr"), 2);
    let page = app.get_page("/app/offers?category=counselling").await;
    assert_eq!(
        page.texts("#offers tbody tr td:first-child a"),
        vec!["Offene Sprechstunde"]
    );
    assert_eq!(
        page.attr("#category option[selected]", "value"),
        "counselling"
    );
    let page = app
        .get_page(&format!("/app/offers?organisation={verein}"))
        .await;
    assert_eq!(page.count("#offers tbody tr"), 2);
    // The navigation leads there.
    let page = app.get_page("/app/").await;
    assert_eq!(page.count("a[href='/app/offers']"), 1);
}

/// Posts `body` (a valid offer changed by `change`) and expects exactly
/// the one field error.
async fn refused(app: &TestApp, base: &Value, change: Value, field: &str, rule: &str) {
    let mut body = base.clone();
    for (k, v) in change.as_object().unwrap() {
        body[k] = v.clone();
    }
    let r = app
        .client
        .post(app.url("/api/v1/offers"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "{change}");
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let problem: Value = r.json().await.unwrap();
    assert_eq!(
        problem["errors"],
        json!([{"field": field, "rule": rule}]),
        "{change}"
    );
}

async fn bad_offers_are_refused_at_their_field_and_save_nothing(app: TestApp) {
    app.sign_in("staff").await;
    let org = organisation(&app, "Syrischer Elternverein", "mso").await;
    let base =
        json!({"organisation_id": org, "title": "Hausaufgabenhilfe", "category": "homework_help"});
    for (change, field, rule) in [
        (
            json!({"valid_from": "2026-05-01", "valid_to": "2026-04-30"}),
            "valid_to",
            "date-order",
        ),
        (
            json!({"schedule_rrule": "FREQ=YEARLY"}),
            "schedule_rrule",
            "rrule-invalid",
        ),
        (
            json!({"schedule_rrule": "FREQ=WEEKLY;BYDAY=XX"}),
            "schedule_rrule",
            "rrule-invalid",
        ),
        (
            json!({"schedule_rrule": "jeden zweiten Dienstag, ungefähr"}),
            "schedule_rrule",
            "rrule-invalid",
        ),
        (
            json!({"languages": ["de", "xx"]}),
            "languages",
            "language-unknown",
        ),
        (
            json!({"translations": {"fr": {"title": "Aide aux devoirs"}}}),
            "translations",
            "language-unknown",
        ),
        (json!({"cost_kind": "amount"}), "cost_text", "required"),
        (
            json!({"location_kind": "online"}),
            "online_link",
            "required",
        ),
        (
            json!({"location_kind": "online", "online_link": "http://insecure.example.org"}),
            "online_link",
            "online-link-invalid",
        ),
        (
            json!({"location_kind": "other", "street": "Lindenstraße 12", "postcode": "3310", "city": "Lindenau"}),
            "postcode",
            "postcode-invalid",
        ),
        (json!({"title": "x".repeat(5 * 1024)}), "title", "too-long"),
        (json!({"title": "  "}), "title", "required"),
        (json!({"category": "cooking"}), "category", "term-unknown"),
        (
            json!({"target_groups": ["aliens"]}),
            "target_groups",
            "term-unknown",
        ),
        (json!({"age_min": 12, "age_max": 8}), "age_max", "age-order"),
        (json!({"age_min": 130}), "age_min", "age-invalid"),
        (
            json!({"starts_time": "25:00"}),
            "starts_time",
            "time-invalid",
        ),
        (
            json!({"starts_time": "18:00", "ends_time": "16:00"}),
            "ends_time",
            "end-before-start",
        ),
        (json!({"status": "running"}), "status", "choice-unknown"),
        (
            json!({"contact_person_id": uuid::Uuid::now_v7().to_string()}),
            "contact_person_id",
            "person-unknown",
        ),
    ] {
        refused(&app, &base, change, field, rule).await;
    }

    // Through the form: the page names the problem at its field and keeps
    // what was typed.
    let r = app
        .post_form(
            "/app/offers",
            &[
                ("version", "0"),
                ("organisation_id", &org),
                ("title", "Hausaufgabenhilfe"),
                ("category", "homework_help"),
                ("valid_from", "2026-05-01"),
                ("valid_to", "2026-04-01"),
                ("schedule_rrule", "FREQ=YEARLY"),
                ("languages", "xx"),
                ("cost_kind", "amount"),
                ("location_kind", "online"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = Page::from_response(r).await;
    for field in ["valid_to", "schedule_rrule", "cost_text", "online_link"] {
        assert_eq!(page.count(&format!("#{field}-error")), 1, "{field}");
    }
    assert_eq!(page.count("#languages .kern-error"), 1);
    assert!(page.text("#schedule_rrule-error").contains("FREQ=WEEKLY"));
    assert_eq!(page.attr("#title", "value"), "Hausaufgabenhilfe");
    assert_eq!(page.count("#error-summary a[href='#valid_to']"), 1);
    let r = app
        .post_form(
            "/app/offers",
            &[
                ("version", "0"),
                ("organisation_id", &org),
                ("title", &"y".repeat(5 * 1024)),
                ("category", "homework_help"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(Page::from_response(r).await.count("#title-error"), 1);

    // Nothing was saved, and nothing is in the audit log.
    assert_eq!(app.get_json("/api/v1/offers").await["total"], 0);
    let log = app
        .services
        .browse_audit_log(
            &msohub_service::Actor::cli(),
            &msohub_service::audit::AuditQuery {
                entity_type: Some("offer".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(log.is_empty());
}

async fn a_stale_version_changes_nothing_and_deletes_are_soft(app: TestApp) {
    app.sign_in("staff").await;
    let org = organisation(&app, "Ukrainischer Verein Sonnenblume", "mso").await;
    let id = app.created("/api/v1/offers",
        json!({"organisation_id": org, "title": "Beratung", "category": "counselling", "languages": ["uk"]}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/offers/{id}");
    let patch = |body: Value| app.client.patch(app.url(&path)).json(&body).send();
    let r = patch(json!({"version": 1, "title": "Beratung für Geflüchtete"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["version"], 2);
    assert_eq!(changed["languages"], json!(["uk"]), "untouched fields stay");

    // A stale PATCH: 409, nothing changes.
    let r = patch(json!({"version": 1, "title": "Überschrieben"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = patch(json!({"title": "ohne Version"})).await.unwrap();
    assert_eq!(r.status(), 422);
    let r = patch(json!({"version": 2, "colour": "blue"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        app.get_json(&path).await["title"],
        "Beratung für Geflüchtete"
    );

    // A stale form: shows the current record, overwrites nothing.
    let r = app
        .post_form(
            &format!("/app/offers/{id}"),
            &[
                ("version", "1"),
                ("organisation_id", &org),
                ("title", "Aus dem alten Formular"),
                ("category", "counselling"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = Page::from_response(r).await;
    assert_eq!(page.attr("#title", "value"), "Beratung für Geflüchtete");
    assert_eq!(page.attr("input[name=version]", "value"), "2");
    assert!(page.count("#error-summary") == 1);
    let now = app.get_json(&path).await;
    assert_eq!(now["title"], "Beratung für Geflüchtete");
    assert_eq!(now["version"], 2);

    // A current form saves.
    let r = app
        .post_form(
            &format!("/app/offers/{id}"),
            &[
                ("version", "2"),
                ("organisation_id", &org),
                ("title", "Beratung für Geflüchtete aus der Ukraine"),
                ("category", "counselling"),
                ("languages", "uk"),
                ("languages", "ru"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.get_json(&path).await["languages"], json!(["uk", "ru"]));

    // Delete: a stale version is refused, then the offer is soft-deleted.
    let r = app
        .client
        .delete(app.url(&format!("{path}?version=2")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = app.client.delete(app.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), 422, "the version is required");
    let r = app
        .post_form(&format!("/app/offers/{id}/delete"), &[("version", "2")])
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("done=offer-stale")
    );
    let r = app
        .client
        .delete(app.url(&format!("{path}?version=3")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let gone = app.get_json(&path).await;
    assert_eq!(gone["deleted"], true);
    assert_eq!(gone["title"], "Beratung für Geflüchtete aus der Ukraine");
    assert_eq!(app.get_json("/api/v1/offers").await["total"], 0);
    assert_eq!(
        app.get_json("/api/v1/offers?deleted=true").await["total"],
        1
    );
    let page = app.get_page(&format!("/app/organisations/{org}")).await;
    assert_eq!(page.count("#offers li"), 0);

    // The history says who changed what.
    let page = app.get_page(&format!("/app/offers/{id}")).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.count("#deleted-note"), 1);
    assert_eq!(page.count("#delete-form"), 0);
    let history = page.texts("#history li");
    assert_eq!(history.len(), 4, "{history:?}");
    assert!(history[0].contains("gelöscht"), "{history:?}");
    assert!(history[1].contains("geändert") && history[1].contains("Sprachen"));
    assert!(history[2].contains("geändert") && history[2].contains("Titel"));
    assert!(history[3].contains("angelegt"));

    // An auditor reads the page, without buttons.
    let (auditor, _) = app.signed_in("auditor").await;
    let r = auditor
        .get(app.url(&format!("/app/offers/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = Page::from_response(r).await;
    assert_eq!(page.count("#offer-form button[type=submit]"), 0);
}

async fn demo_offers_and_the_published_figure(app: TestApp) {
    let cli = msohub_service::Actor::cli();
    app.services
        .change_settings(
            &cli,
            &msohub_service::settings::InstanceSettings {
                office_name: "Kommunales Integrationszentrum Lindenau".into(),
                office_city: "Lindenau".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app.services.load_demo_organisations(60).await.unwrap();
    let created = app.services.load_demo_offers().await.unwrap();
    // Fifteen, and fourteen a real city's directory is searched for most
    // (German courses of the adult education centre and of associations,
    // homework help, parents' cafés, women's groups, counselling).
    assert_eq!(created, 29);
    app.sign_in("staff").await;
    let all = app.get_json("/api/v1/offers?limit=100").await;
    assert_eq!(all["total"], 29);
    // The office's three and the adult education centre's three.
    let office = app
        .get_json("/api/v1/offers?organisation_kind=public_body")
        .await;
    assert_eq!(office["total"], 6);
    let weekly = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["schedule_rrule"].as_str().unwrap().contains("WEEKLY"))
        .count();
    assert!(weekly >= 10);

    // The targets' figure: public offers valid in the period, with the list
    // behind it.
    let today = msohub_service::time::today();
    let (from, to) = (
        today - chrono::Duration::days(30),
        today + chrono::Duration::days(30),
    );
    let (n, href) = app.services.offers_published(from, to, &[]).await.unwrap();
    assert_eq!(n, 27, "the public ones");
    assert!(href.starts_with("/app/offers?public=true&"), "{href}");
    let page = app.get_page(&format!("{href}&limit=100")).await;
    assert_eq!(page.count("#offers tbody tr"), 27);
    assert_eq!(page.count("#offer-period"), 1);
    let (n, href) = app
        .services
        .offers_published(from, to, &["public_body".into()])
        .await
        .unwrap();
    assert_eq!(n, 5);
    assert!(href.contains("organisation_kind=public_body"));
    // Before anything existed, nothing was published.
    let long_ago = chrono::NaiveDate::from_ymd_opt(2020, 8, 1).unwrap();
    let (n, _) = app
        .services
        .offers_published(long_ago, long_ago + chrono::Duration::days(364), &[])
        .await
        .unwrap();
    assert_eq!(n, 0);
}
