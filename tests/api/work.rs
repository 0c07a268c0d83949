//! The work log: interactions (planned → held / cancelled with a reason),
//! needs, tasks, attachments, the dashboard, an organisation's timeline and
//! the private calendar feed — through the UI and the API, with bad input
//! and stale edits changing nothing.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(
    a_visit_is_planned_from_the_organisation_page_and_then_held,
    bad_interactions_are_refused_and_change_nothing,
    a_stale_interaction_form_overwrites_nothing,
    interactions_through_the_api_with_filters_and_attachments,
    needs_with_overview_and_outcome,
    tasks_from_a_contact_done_in_one_click_and_on_the_dashboard,
    the_private_calendar_feed_lists_my_contacts_and_tasks,
    merging_moves_the_work_log,
);

async fn api_post(app: &TestApp, path: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn org(app: &TestApp, name: &str) -> String {
    let r = api_post(
        app,
        "/api/v1/organisations",
        json!({"name": name, "kind": "mso"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn me(app: &TestApp) -> String {
    app.get("/api/v1/me").await.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn interaction(app: &TestApp, body: Value) -> Value {
    let r = api_post(app, "/api/v1/interactions", body).await;
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{v}");
    v
}

/// 10:00 Berlin time, `d` days from today in Berlin (the office's day; UTC
/// differs around midnight).
fn days_from_now(d: i64) -> String {
    (msohub_service::time::today() + chrono::Duration::days(d))
        .format("%Y-%m-%dT10:00")
        .to_string()
}

async fn a_visit_is_planned_from_the_organisation_page_and_then_held(app: TestApp) {
    app.sign_in("staff").await;
    let anatolien = org(&app, "Kulturverein Anatolien").await;
    let _jasmin = org(&app, "Syrischer Elternverein Jasmin").await;
    let page = app
        .get_page(&format!("/app/organisations/{anatolien}"))
        .await;
    let new = page.attr("a[href^='/app/interactions/new']", "href");
    let form = app.get_page(&new).await;
    assert_eq!(
        form.count(&format!(
            "input[name=organisations][value='{anatolien}'][checked]"
        )),
        1
    );
    // The signed-in staff member takes part by default.
    let my_id = me(&app).await;
    assert_eq!(
        form.count(&format!("input[name=staff][value='{my_id}'][checked]")),
        1
    );

    // A second organisation is added by its name (accents and case aside).
    let when = days_from_now(7);
    let fields = |extra: &[(&str, &str)]| {
        let mut f: Vec<(String, String)> = vec![
            ("version".into(), "0".into()),
            ("subject".into(), "Besuch beim Vorstand".into()),
            ("kind".into(), "visit".into()),
            ("mode".into(), "in_person".into()),
            ("status".into(), "planned".into()),
            ("starts_at".into(), when.clone()),
            ("duration_minutes".into(), "90".into()),
            ("organisations".into(), anatolien.clone()),
            ("staff".into(), my_id.clone()),
            ("topics".into(), "education".into()),
        ];
        f.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        f
    };
    let r = app
        .client
        .post(app.url("/app/interactions"))
        .form(&fields(&[
            ("add_organisation", "syrischer ELTERNVEREIN jasmin"),
            ("action", "add-organisation"),
        ]))
        .send()
        .await
        .unwrap();
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 200, "only the organisation was added");
    assert_eq!(page.count("input[name=organisations][checked]"), 2);
    let r = app
        .client
        .post(app.url("/app/interactions"))
        .form(&fields(&[("add_organisation", "Gibt es nicht e.V.")]))
        .send()
        .await
        .unwrap();
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(
        page.text("#add_organisation-error")
            .contains("Keine Organisation")
    );

    let r = app
        .client
        .post(app.url("/app/interactions"))
        .form(&fields(&[(
            "add_organisation",
            "Syrischer Elternverein Jasmin",
        )]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let page = app.get_page(&location).await;
    assert!(
        page.text("[role=status]")
            .contains("Der Kontakt wurde erfasst")
    );
    assert_eq!(page.text("h1"), "Besuch beim Vorstand");
    assert!(page.text("#status").contains("geplant"));
    let orgs = page.text("#organisations");
    assert!(
        orgs.contains("Kulturverein Anatolien") && orgs.contains("Syrischer Elternverein Jasmin")
    );

    // It appears on the organisation's timeline and the dashboard.
    let page = app
        .get_page(&format!("/app/organisations/{anatolien}"))
        .await;
    assert!(page.text("#timeline").contains("Besuch beim Vorstand"));
    let dash = app.get_page("/app/").await;
    assert!(dash.text("#upcoming").contains("Besuch beim Vorstand"));

    // Held, after it took place (moved into the past).
    let id = location
        .trim_start_matches("/app/interactions/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let past = days_from_now(-3);
    let r = app
        .client
        .post(app.url(&format!("/app/interactions/{id}")))
        .form(
            &fields(&[("status", "held")])
                .into_iter()
                .map(|(k, v)| match k.as_str() {
                    "version" => (k, "1".to_owned()),
                    "status" if v == "planned" => (k, "held".to_owned()),
                    "starts_at" => (k, past.clone()),
                    _ => (k, v),
                })
                .filter(|(k, v)| !(k == "status" && v == "planned"))
                .collect::<Vec<_>>(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = app.get_page(&format!("/app/interactions/{id}")).await;
    assert!(page.text("#status").contains("stattgefunden"));
    assert!(page.text("#history").contains("geändert"));
    // No longer "not contacted for 12 months".
    let dash = app.get_page("/app/").await;
    assert!(
        !dash
            .text("#not-contacted")
            .contains("Kulturverein Anatolien")
    );
}

async fn bad_interactions_are_refused_and_change_nothing(app: TestApp) {
    app.sign_in("staff").await;
    let o = org(&app, "Polnischer Kulturverein").await;
    let base =
        json!({"subject": "Telefonat", "kind": "phone", "mode": "digital", "organisations": [o]});
    let with = |extra: Value| {
        let mut b = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    for (body, field, rule) in [
        (
            with(json!({"status": "held", "starts_at": days_from_now(2)})),
            "starts_at",
            "held-in-future",
        ),
        (
            with(json!({"status": "cancelled", "starts_at": days_from_now(-2)})),
            "cancel_reason",
            "cancel-reason-required",
        ),
        (
            with(
                json!({"status": "cancelled", "starts_at": days_from_now(-2), "cancel_reason": "other"}),
            ),
            "cancel_note",
            "cancel-note-required",
        ),
        (
            with(json!({"status": "planned", "starts_at": days_from_now(2), "organisations": []})),
            "organisations",
            "organisation-required",
        ),
        (
            with(json!({"status": "planned", "starts_at": "morgen"})),
            "starts_at",
            "datetime-invalid",
        ),
        (
            with(
                json!({"status": "planned", "starts_at": days_from_now(2), "duration_minutes": "9999"}),
            ),
            "duration_minutes",
            "duration-invalid",
        ),
        (
            with(json!({"status": "planned", "starts_at": days_from_now(2), "kind": "brief"})),
            "kind",
            "choice-unknown",
        ),
        (
            with(
                json!({"status": "planned", "starts_at": days_from_now(2), "topics": ["astrologie"]}),
            ),
            "topics",
            "term-unknown",
        ),
    ] {
        let r = api_post(&app, "/api/v1/interactions", body.clone()).await;
        assert_eq!(r.status(), 422, "{body}");
        let problem: Value = r.json().await.unwrap();
        let errors = problem["errors"].as_array().unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == field && e["rule"] == rule),
            "{field}/{rule} in {problem}"
        );
    }
    let list: Value = app.get("/api/v1/interactions").await.json().await.unwrap();
    assert_eq!(list["total"], 0, "nothing was saved");

    // The same rules in the form, at the field, in German.
    let r = app
        .post_form(
            "/app/interactions",
            &[
                ("version", "0"),
                ("subject", "Besuch"),
                ("kind", "visit"),
                ("mode", "in_person"),
                ("status", "cancelled"),
                ("starts_at", "2026-01-10T10:00"),
                ("organisations", &o),
            ],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(
        page.text("#cancel_reason-error")
            .contains("Grund der Absage")
    );
    assert!(page.text("#error-summary").contains("Grund der Absage"));

    // A task for a disabled account is refused.
    let admin = app.services.clone();
    let email = app.create_user("staff").await;
    let cli = msohub_service::Actor::cli();
    let u = admin.find_user_by_email(&cli, &email).await.unwrap();
    admin
        .update_user(
            &cli,
            u.id,
            msohub_service::accounts::UserChange {
                disabled: Some(true),
                version: u.version,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let r = api_post(
        &app,
        "/api/v1/tasks",
        json!({"title": "Rückruf", "due_on": "2026-12-01", "assignee_id": u.id}),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["rule"],
        "user-disabled"
    );
    // A need without an organisation.
    let r = api_post(
        &app,
        "/api/v1/needs",
        json!({"category": "rooms", "description": "Raum", "source": "other", "status": "open"}),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["field"],
        "organisation_id"
    );
}

async fn a_stale_interaction_form_overwrites_nothing(app: TestApp) {
    app.sign_in("staff").await;
    let o = org(&app, "Eritreischer Verein").await;
    let i = interaction(&app, json!({"subject": "Besuch", "kind": "visit", "mode": "in_person", "status": "planned", "starts_at": days_from_now(5), "organisations": [o]})).await;
    let id = i["id"].as_str().unwrap();
    let form = app.get_page(&format!("/app/interactions/{id}/edit")).await;
    assert_eq!(form.attr("input[name=version]", "value"), "1");
    // Someone else changes it meanwhile.
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/interactions/{id}")))
        .json(&json!({"subject": "Besuch mit Vorstand", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .post_form(
            &format!("/app/interactions/{id}"),
            &[
                ("version", "1"),
                ("subject", "Mein Betreff"),
                ("kind", "visit"),
                ("mode", "in_person"),
                ("status", "planned"),
                ("starts_at", &days_from_now(5)),
                ("organisations", &o),
            ],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(page.text("#error-summary").contains("inzwischen geändert"));
    assert_eq!(page.attr("#subject", "value"), "Besuch mit Vorstand");
    let now: Value = app
        .get(&format!("/api/v1/interactions/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now["subject"], "Besuch mit Vorstand");
    // A held interaction stays held.
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/interactions/{id}")))
        .json(&json!({"status": "held", "starts_at": days_from_now(-1), "version": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/interactions/{id}")))
        .json(&json!({"status": "cancelled", "cancel_reason": "illness", "version": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["rule"],
        "status-transition"
    );
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/interactions/{id}")))
        .json(&json!({"subject": "x", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
}

async fn interactions_through_the_api_with_filters_and_attachments(app: TestApp) {
    app.sign_in("staff").await;
    let a = org(&app, "Ghanaischer Verein").await;
    let b = org(&app, "Griechische Gemeinde").await;
    for d in 1..=5 {
        interaction(&app, json!({"subject": format!("Telefonat {d}"), "kind": "phone", "mode": "digital", "status": "held", "starts_at": days_from_now(-d), "organisations": [a]})).await;
    }
    let cancelled = interaction(&app, json!({"subject": "Besuch", "kind": "visit", "mode": "in_person", "status": "cancelled", "cancel_reason": "contact_restrictions", "starts_at": days_from_now(-10), "organisations": [b]})).await;
    assert_eq!(cancelled["cancel_reason"], "contact_restrictions");

    let page: Value = app
        .get(&format!("/api/v1/interactions?organisation={a}&limit=2"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 5);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["items"][0]["subject"], "Telefonat 1", "newest first");
    let next: Value = app
        .get(&format!(
            "/api/v1/interactions?organisation={a}&limit=2&cursor={}",
            page["next_cursor"].as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(next["items"][0]["subject"], "Telefonat 3");
    let c: Value = app
        .get("/api/v1/interactions?status=cancelled")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["total"], 1);
    let from = (msohub_service::time::today() - chrono::Duration::days(3)).format("%Y-%m-%d");
    let recent: Value = app
        .get(&format!("/api/v1/interactions?from={from}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(recent["total"], 3);
    assert_eq!(
        app.get("/api/v1/interactions?status=maybe").await.status(),
        422
    );

    // Attachments: a PDF is kept; an executable is refused.
    let id = cancelled["id"].as_str().unwrap();
    let r = app
        .client
        .post(app.url(&format!(
            "/api/v1/interactions/{id}/attachments?name=Protokoll.pdf"
        )))
        .body(b"%PDF-1.7 minutes".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let att: Value = r.json().await.unwrap();
    let r = app
        .client
        .post(app.url(&format!(
            "/api/v1/interactions/{id}/attachments?name=setup.exe"
        )))
        .body(b"MZ\x90\x00".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let got = app
        .get(&format!(
            "/api/v1/attachments/{}",
            att["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(got.headers()["content-type"], "application/pdf");
    assert!(
        got.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"Protokoll.pdf\"")
    );
    assert_eq!(got.bytes().await.unwrap().as_ref(), b"%PDF-1.7 minutes");
    let full: Value = app
        .get(&format!("/api/v1/interactions/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(full["attachments"][0]["file_name"], "Protokoll.pdf");
    // Through the page: the upload form, and the error at the field.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"<html>".to_vec()).file_name("x.html"),
    );
    let r = app
        .client
        .post(app.url(&format!("/app/interactions/{id}/attachments")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.contains("upload_error=file-type"));
    let page = app.get_page(&back).await;
    assert!(page.text("#file-error").contains("PNG, JPEG"));
    assert!(page.text("#attachment-list").contains("Protokoll.pdf"));

    // Delete with version; auditors read but do not write.
    let (auditor, _) = app.signed_in("auditor").await;
    assert_eq!(
        auditor
            .get(app.url(&format!("/api/v1/interactions/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        auditor
            .delete(app.url(&format!("/api/v1/interactions/{id}?version=1")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        app.client
            .delete(app.url(&format!("/api/v1/interactions/{id}?version=0")))
            .send()
            .await
            .unwrap()
            .status(),
        409
    );
    assert_eq!(
        app.client
            .delete(app.url(&format!("/api/v1/interactions/{id}?version=1")))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    let c: Value = app
        .get("/api/v1/interactions?status=cancelled")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["total"], 0);
    let log: Value = auditor
        .get(app.url(&format!(
            "/api/v1/audit-log?entity_type=interaction&entity_id={id}"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["delete", "attachment_added", "create"]);
}

async fn needs_with_overview_and_outcome(app: TestApp) {
    app.sign_in("staff").await;
    let a = org(&app, "Türkischer Elternverein").await;
    let i = interaction(&app, json!({"subject": "Besuch", "kind": "visit", "mode": "in_person", "status": "held", "starts_at": days_from_now(-1), "organisations": [a]})).await;
    // From the contact's page in one click: the form is prefilled.
    let page = app
        .get_page(&format!("/app/interactions/{}", i["id"].as_str().unwrap()))
        .await;
    let href = page.attr("#new-need", "href");
    let form = app.get_page(&href).await;
    assert_eq!(form.attr("#organisation_id option[selected]", "value"), a);
    assert_eq!(
        form.attr("#source option[selected]", "value"),
        "interaction"
    );
    let r = app
        .post_form(
            "/app/needs",
            &[
                ("version", "0"),
                ("organisation_id", &a),
                ("category", "rooms"),
                ("description", "Raum für Hausaufgabenhilfe"),
                ("source", "interaction"),
                ("source_interaction_id", i["id"].as_str().unwrap()),
                ("status", "addressed"),
                ("outcome", ""),
            ],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(page.text("#outcome-error").contains("was getan wurde"));
    for (category, status, outcome) in [
        ("rooms", "addressed", "Raum im Bürgerhaus vermittelt"),
        ("rooms", "open", ""),
        ("funding", "in_progress", ""),
    ] {
        let r = api_post(&app, "/api/v1/needs", json!({"organisation_id": a, "category": category, "description": "Bedarf", "source": "interaction", "source_interaction_id": i["id"], "status": status, "outcome": outcome})).await;
        assert_eq!(r.status(), 201);
    }
    let overview: Value = app
        .get("/api/v1/needs/overview")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overview["counts"]["rooms"]["addressed"], 1);
    assert_eq!(overview["counts"]["rooms"]["open"], 1);
    assert_eq!(overview["total"], 3);
    let page = app.get_page("/app/needs").await;
    assert_eq!(page.count("#needs-chart svg rect"), 3);
    assert_eq!(
        page.text("#needs-overview tr[data-category=rooms] td[data-status=addressed]"),
        "1"
    );
    let open: Value = app
        .get("/api/v1/needs?status=open&category=rooms")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(open["total"], 1);
    let id = open["items"][0]["id"].as_str().unwrap();
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/needs/{id}")))
        .json(&json!({"status": "cannot_be_met", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "outcome required");
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/needs/{id}")))
        .json(&json!({"status": "cannot_be_met", "outcome": "Keine Räume frei", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = app
        .get_page(&format!("/app/interactions/{}", i["id"].as_str().unwrap()))
        .await;
    assert!(page.text("#followups").contains("nicht zu decken"));
    let page = app.get_page(&format!("/app/organisations/{a}")).await;
    assert_eq!(page.count("#timeline li[data-kind=need]"), 3);
}

async fn tasks_from_a_contact_done_in_one_click_and_on_the_dashboard(app: TestApp) {
    app.sign_in("staff").await;
    let my_id = me(&app).await;
    let a = org(&app, "Vietnamesischer Verein").await;
    let i = interaction(&app, json!({"subject": "Sitzung", "kind": "meeting_at_office", "mode": "hybrid", "status": "held", "starts_at": days_from_now(-2), "organisations": [a]})).await;
    let iid = i["id"].as_str().unwrap();
    let page = app.get_page(&format!("/app/interactions/{iid}")).await;
    let form = app.get_page(&page.attr("#new-task", "href")).await;
    assert!(form.text("#task-link").contains("Sitzung"));
    assert_eq!(form.attr("#assignee_id option[selected]", "value"), my_id);
    let today = msohub_service::time::today();
    let r = app
        .post_form(
            "/app/tasks",
            &[
                ("version", "0"),
                ("title", "Protokoll schicken"),
                ("due_on", &today.to_string()),
                ("assignee_id", &my_id),
                ("link_type", "interaction"),
                ("link_id", iid),
            ],
        )
        .await;
    assert_eq!(
        r.headers()["location"],
        format!("/app/interactions/{iid}?done=task-created")
    );
    let overdue = api_post(&app, "/api/v1/tasks", json!({"title": "Fördermittel nachfragen", "due_on": (today - chrono::Duration::days(3)).to_string(), "assignee_id": my_id, "link_type": "organisation", "link_id": a})).await;
    assert_eq!(overdue.status(), 201);
    let overdue: Value = overdue.json().await.unwrap();
    assert_eq!(overdue["overdue"], true);

    let dash = app.get_page("/app/").await;
    assert!(dash.text("#my-tasks").contains("Protokoll schicken"));
    assert!(dash.text("#overdue").contains("Fördermittel nachfragen"));
    let mine: Value = app
        .get("/api/v1/tasks?view=mine")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["total"], 2);
    let late: Value = app
        .get("/api/v1/tasks?view=overdue")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(late["total"], 1);

    // Done in one click from the list; back where the click came from.
    let list = app.get_page("/app/tasks?view=overdue").await;
    assert_eq!(list.count("tr.task--overdue"), 1);
    let tid = overdue["id"].as_str().unwrap();
    let r = app
        .post_form(
            &format!("/app/tasks/{tid}/done"),
            &[("version", "1"), ("back", "/app/tasks?view=overdue")],
        )
        .await;
    assert_eq!(
        r.headers()["location"],
        "/app/tasks?view=overdue&done=task-done"
    );
    let late: Value = app
        .get("/api/v1/tasks?view=overdue")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(late["total"], 0);
    let task: Value = app
        .get(&format!("/api/v1/tasks/{tid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(task["done"], true);
    let r = app
        .post_form(
            &format!("/app/tasks/{tid}/done"),
            &[("version", "1"), ("back", "https://evil.example/")],
        )
        .await;
    assert_eq!(
        r.headers()["location"],
        "/app/tasks?done=stale",
        "a stale click and a foreign target change nothing"
    );
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/tasks/{tid}")))
        .json(&json!({"done": false, "version": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // The organisation's timeline lists the contact and both tasks.
    let page = app.get_page(&format!("/app/organisations/{a}")).await;
    assert_eq!(page.count("#timeline li[data-kind=task]"), 2);
    assert_eq!(page.count("#timeline li[data-kind=interaction]"), 1);
}

async fn the_private_calendar_feed_lists_my_contacts_and_tasks(app: TestApp) {
    app.sign_in("staff").await;
    let my_id = me(&app).await;
    let a = org(&app, "Kurdischer Kulturverein").await;
    let mine = interaction(&app, json!({"subject": "Besuch; mit Vorstand", "kind": "visit", "mode": "in_person", "status": "planned", "starts_at": "2026-12-14T16:30", "duration_minutes": "90", "organisations": [a], "staff": [my_id]})).await;
    let (other, _) = app.signed_in("staff").await;
    let other_id = other
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    interaction(&app, json!({"subject": "Nicht meiner", "kind": "phone", "mode": "digital", "status": "planned", "starts_at": days_from_now(3), "organisations": [a], "staff": [other_id]})).await;
    api_post(
        &app,
        "/api/v1/tasks",
        json!({"title": "Einladung schreiben", "due_on": "2026-12-10", "assignee_id": my_id}),
    )
    .await;

    let account = app.get_page("/app/account").await;
    assert!(
        account
            .text("#calendar-status")
            .contains("Kein Kalender-Abo")
    );
    let r = app.post_form("/app/account/calendar", &[]).await;
    let page = Page::from_response(r).await;
    let url = page.text("#calendar-url");
    let path = url.split_once("://").unwrap().1.split_once('/').unwrap().1;
    let feed = app
        .client
        .get(app.url(&format!("/{path}")))
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), 200);
    assert_eq!(
        feed.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let ics = feed.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.contains(&format!(
        "UID:interaction-{}@msohub",
        mine["id"].as_str().unwrap()
    )));
    // 16:30 in Berlin in December is 15:30 UTC.
    assert!(ics.contains("DTSTART:20261214T153000Z\r\nDTEND:20261214T170000Z"));
    assert!(ics.contains("SUMMARY:Besuch\\; mit Vorstand"));
    assert!(ics.contains("STATUS:TENTATIVE"));
    assert!(ics.contains("DTSTART;VALUE=DATE:20261210"));
    assert!(!ics.contains("Nicht meiner"), "only my own contacts");

    // A new address revokes the old one; ending it revokes all.
    let r = app.post_form("/app/account/calendar", &[]).await;
    let second = Page::from_response(r).await.text("#calendar-url");
    assert_ne!(second, url);
    assert_eq!(
        app.client
            .get(app.url(&format!("/{path}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let r = app.post_form("/app/account/calendar/revoke", &[]).await;
    assert_eq!(
        r.headers()["location"],
        "/app/account?done=calendar-revoked"
    );
    let path2 = second
        .split_once("://")
        .unwrap()
        .1
        .split_once('/')
        .unwrap()
        .1;
    assert_eq!(
        app.client
            .get(app.url(&format!("/{path2}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        app.client
            .get(app.url("/calendar/not-a-secret"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

async fn merging_moves_the_work_log(app: TestApp) {
    app.sign_in("staff").await;
    let keep = org(&app, "Iranischer Kulturverein").await;
    let dup = org(&app, "Iranischer Kulturverein e. V.").await;
    interaction(&app, json!({"subject": "Besuch", "kind": "visit", "mode": "in_person", "status": "held", "starts_at": days_from_now(-5), "organisations": [dup, keep]})).await;
    interaction(&app, json!({"subject": "Anruf", "kind": "phone", "mode": "digital", "status": "held", "starts_at": days_from_now(-4), "organisations": [dup]})).await;
    api_post(&app, "/api/v1/needs", json!({"organisation_id": dup, "category": "funding", "description": "Zuschuss", "source": "other", "status": "open"})).await;
    let r = api_post(
        &app,
        &format!("/api/v1/organisations/{keep}/merge"),
        json!({"duplicate": dup, "version": 1, "duplicate_version": 1}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let list: Value = app
        .get(&format!("/api/v1/interactions?organisation={keep}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 2);
    let needs: Value = app
        .get(&format!("/api/v1/needs?organisation={keep}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(needs["total"], 1);
    let both: Value = app
        .get(&format!(
            "/api/v1/interactions/{}",
            list["items"][1]["id"].as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        both["organisations"].as_array().unwrap().len(),
        1,
        "no double link after the merge"
    );
}
