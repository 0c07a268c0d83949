//! Projects (Handlungsfelder) through the API and the pages, targets in a
//! project; the staff account's form of address for the report; "our
//! office" set through the settings and the organisation page. Every
//! refusal leaves things as they were.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;
use reqwest::Method;
use serde_json::{Value, json};

on_both_databases!(
    projects_are_created_changed_and_deleted_through_the_api,
    a_target_belongs_to_a_project,
    the_project_pages_list_create_edit_and_delete,
    the_form_of_address_is_saved_and_shown,
    our_office_is_set_and_the_mark_moves,
);

const DEFAULT: &str = "Koordination mit Migrantenselbstorganisationen (MSO)";

fn rule(answer: &Value) -> (String, String) {
    let e = &answer["errors"][0];
    (
        e["field"].as_str().unwrap_or_default().to_owned(),
        e["rule"].as_str().unwrap_or_default().to_owned(),
    )
}

async fn delete(app: &TestApp, path: &str) -> (u16, Value) {
    let r = app.client.delete(app.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn names(app: &TestApp) -> Vec<String> {
    app.get_json("/api/v1/projects").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn projects_are_created_changed_and_deleted_through_the_api(app: TestApp) {
    app.sign_in("staff").await;
    // Existing and new offices start with one project, which stays.
    let list = app.get_json("/api/v1/projects").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["next_cursor"], Value::Null);
    let first = list["items"][0].clone();
    assert_eq!(first["name"], DEFAULT);
    assert_eq!(first["chart_counts"], json!(["contacts"]));
    let (status, answer) = delete(
        &app,
        &format!(
            "/api/v1/projects/{}?version={}",
            first["id"].as_str().unwrap(),
            first["version"]
        ),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(rule(&answer).1, "project-last");

    let (status, created) = app
        .post_json(
            "/api/v1/projects",
            json!({"name": " Bildung ", "description": "im Rahmen der Unterstützung der Koordinierungsstelle für Inklusion und Integration",
                   "chart_counts": ["events", "contacts", "events"]}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["name"], "Bildung");
    assert_eq!(created["chart_counts"], json!(["events", "contacts"]));
    assert_eq!(created["position"], 1, "after the first");
    assert_eq!(created["version"], 1);
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get_json(&format!("/api/v1/projects/{id}")).await,
        created
    );

    // Bad input: a clear message, nothing changes.
    for (body, field, want) in [
        (json!({"name": "  "}), "name", "required"),
        (json!({"name": "Bildung"}), "name", "taken"),
        (json!({"name": "x".repeat(201)}), "name", "too-long"),
        (
            json!({"name": "Sport", "chart_counts": ["visits"]}),
            "chart_counts",
            "choice-unknown",
        ),
        (
            json!({"name": "Sport", "position": "erste"}),
            "position",
            "number-invalid",
        ),
    ] {
        let (status, answer) = app.post_json("/api/v1/projects", body.clone()).await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert_eq!(answer["errors"][0]["field"], field, "{body}: {answer}");
        assert_eq!(answer["errors"][0]["rule"], want, "{body}: {answer}");
    }
    assert_eq!(names(&app).await, [DEFAULT, "Bildung"]);

    // Changed from the version read; a stale version or a taken name
    // changes nothing.
    let path = format!("/api/v1/projects/{id}");
    let (status, changed) = app
        .send_json(
            Method::PATCH,
            &path,
            json!({"name": "Bildung und Schule", "chart_counts": ["meetings"], "version": 1}),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["name"], "Bildung und Schule");
    assert_eq!(changed["chart_counts"], json!(["meetings"]));
    assert_eq!(changed["description"], created["description"], "kept");
    assert_eq!(changed["version"], 2);
    let (status, answer) = app
        .send_json(Method::PATCH, &path, json!({"name": "Sport", "version": 1}))
        .await;
    assert_eq!(status, 409, "{answer}");
    let (status, answer) = app
        .send_json(Method::PATCH, &path, json!({"name": DEFAULT, "version": 2}))
        .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(rule(&answer), ("name".into(), "taken".into()));
    assert_eq!(app.get_json(&path).await, changed);

    // Deleted with its version; stale, without a version, or unknown: no.
    let (status, _) = delete(&app, &format!("{path}?version=1")).await;
    assert_eq!(status, 409);
    let (status, answer) = delete(&app, &path).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(rule(&answer), ("version".into(), "required".into()));
    let (status, _) = delete(&app, &format!("{path}?version=2")).await;
    assert_eq!(status, 204);
    assert_eq!(app.get(&path).await.status(), 404);
    assert_eq!(names(&app).await, [DEFAULT]);
    let (status, _) = delete(&app, &format!("{path}?version=2")).await;
    assert_eq!(status, 404);

    // Readers read, only writers write.
    let (auditor, _) = app.signed_in("auditor").await;
    let r = auditor
        .get(app.url("/api/v1/projects"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = auditor
        .post(app.url("/api/v1/projects"))
        .json(&json!({"name": "Heimlich"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(names(&app).await, [DEFAULT]);
}

async fn a_target_belongs_to_a_project(app: TestApp) {
    app.sign_in("staff").await;
    let period = app
        .created(
            "/api/v1/periods",
            json!({"kind": "school_year", "year": "2020"}),
        )
        .await;
    let pid = period["id"].as_str().unwrap();
    let first = app.get_json("/api/v1/projects").await["items"][0]["id"].clone();
    let education = app
        .created("/api/v1/projects", json!({"name": "Bildung"}))
        .await;
    let target = app
        .created(
            "/api/v1/targets",
            json!({"period_id": pid, "project_id": education["id"], "number": "1", "title": "Zwei Elternabende", "metric": "manual", "manual_value": "1", "wanted": "2"}),
        )
        .await;
    assert_eq!(target["project_id"], education["id"]);
    // Without a project: the first.
    let other = app
        .created(
            "/api/v1/targets",
            json!({"period_id": pid, "number": "2", "title": "Sechs Besuche", "metric": "manual", "manual_value": "6", "wanted": "6"}),
        )
        .await;
    assert_eq!(other["project_id"], first);
    // An unknown project: refused, nothing created.
    let (status, answer) = app
        .post_json(
            "/api/v1/targets",
            json!({"period_id": pid, "project_id": uuid::Uuid::now_v7(), "number": "3", "title": "x", "metric": "manual", "wanted": "1"}),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(
        rule(&answer),
        ("project_id".into(), "project-unknown".into())
    );
    let listed = app.get_json(&format!("/api/v1/periods/{pid}")).await;
    let targets = listed["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2, "{listed}");
    let by_number = |n: i64| targets.iter().find(|t| t["number"] == n).unwrap().clone();
    assert_eq!(by_number(1)["project_id"], education["id"]);
    assert_eq!(by_number(2)["project_id"], first);

    // A project with targets stays.
    let (status, answer) = delete(
        &app,
        &format!(
            "/api/v1/projects/{}?version=1",
            education["id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(rule(&answer), ("project".into(), "project-in-use".into()));
    assert_eq!(names(&app).await, [DEFAULT, "Bildung"]);

    // Moved to another project.
    let (status, moved) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/targets/{}", target["id"].as_str().unwrap()),
            json!({"project_id": first, "version": target["version"]}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["project_id"], first);

    // The period page names each target's project once there are two.
    let page = app.get_page(&format!("/app/periods/{pid}")).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.texts("#targets .target__project"),
        [format!("Projekt: {DEFAULT}"), format!("Projekt: {DEFAULT}")]
    );
    // The target form offers the projects, the first chosen for a new one.
    let form = app
        .get_page(&format!("/app/targets/new?period={pid}"))
        .await;
    assert_eq!(form.status, 200);
    assert_eq!(form.texts("select#project_id option"), [DEFAULT, "Bildung"]);
    assert_eq!(form.text("select#project_id option[selected]"), DEFAULT);
    let form = app
        .get_page(&format!(
            "/app/targets/new?period={pid}&project={}",
            education["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(form.text("select#project_id option[selected]"), "Bildung");
}

async fn the_project_pages_list_create_edit_and_delete(app: TestApp) {
    app.sign_in("staff").await;
    let list = app.get_page("/app/projects").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.text("h1"), "Projekte");
    assert!(
        list.attrs("nav#main-nav a", "href")
            .contains(&"/app/projects".to_owned())
    );
    assert_eq!(list.texts("#projects h2"), [DEFAULT]);
    assert_eq!(
        list.text("#projects .project__counts"),
        "Das Diagramm des Kapitels zählt: Kontakte"
    );

    let form = app.get_page("/app/projects/new").await;
    assert_eq!(form.status, 200);
    assert_eq!(
        form.attrs("input[name=chart_counts]", "value"),
        ["contacts", "meetings", "events"]
    );

    // Refused: the form again with its message, nothing created.
    let page = Page::from_response(
        app.post_form("/app/projects", &[("name", DEFAULT), ("version", "0")])
            .await,
    )
    .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.text("#name-error"),
        "Diese Angabe ist bereits vergeben."
    );
    assert_eq!(names(&app).await, [DEFAULT]);

    let r = app
        .post_form(
            "/app/projects",
            &[
                ("name", "Integrationskurse"),
                ("description", "Kurse des Bundesamts"),
                ("chart_counts", "meetings"),
                ("chart_counts", "events"),
                ("position", ""),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/app/projects?done=project-created"
    );
    let created = app.get_json("/api/v1/projects").await["items"][1].clone();
    assert_eq!(created["name"], "Integrationskurse");
    assert_eq!(created["chart_counts"], json!(["meetings", "events"]));
    let id = created["id"].as_str().unwrap();
    let list = app.get_page("/app/projects").await;
    assert_eq!(list.texts("#projects h2"), [DEFAULT, "Integrationskurse"]);
    assert!(
        list.texts("#projects .project__counts")[1]
            .ends_with("Sitzungen der Gremien, Veranstaltungen")
    );

    // Edited: the form shows what is stored; a stale save says so.
    let edit = app.get_page(&format!("/app/projects/{id}/edit")).await;
    assert_eq!(edit.status, 200);
    assert_eq!(edit.attr("#name", "value"), "Integrationskurse");
    assert_eq!(edit.text("#description"), "Kurse des Bundesamts");
    assert_eq!(
        edit.attrs("input[name=chart_counts][checked]", "value"),
        ["meetings", "events"]
    );
    let r = app
        .post_form(
            &format!("/app/projects/{id}"),
            &[
                ("name", "Integrationskurse (BAMF)"),
                ("chart_counts", "contacts"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = Page::from_response(
        app.post_form(
            &format!("/app/projects/{id}"),
            &[("name", "Alt"), ("version", "1")],
        )
        .await,
    )
    .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.attr("#name", "value"), "Integrationskurse (BAMF)");
    assert_eq!(names(&app).await, [DEFAULT, "Integrationskurse (BAMF)"]);

    // Deleted after the confirmation; the only one left cannot be.
    let r = app
        .post_form(&format!("/app/projects/{id}/delete"), &[("version", "2")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/app/projects?done=project-deleted"
    );
    assert_eq!(names(&app).await, [DEFAULT]);
    let first = app.get_json("/api/v1/projects").await["items"][0].clone();
    let edit = app
        .get_page(&format!(
            "/app/projects/{}/edit",
            first["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(edit.count("#project-delete-form"), 0);
    assert!(
        edit.text("#project-delete-refused")
            .contains("einzige Projekt")
    );
}

async fn the_form_of_address_is_saved_and_shown(app: TestApp) {
    app.sign_in("admin").await;
    let (status, user) = app
        .post_json(
            "/api/v1/users",
            json!({"email": "aylin@ki-test.example", "display_name": "Aylin Demir", "role": "staff", "form_of_address": "f"}),
        )
        .await;
    assert_eq!(status, 201, "{user}");
    assert_eq!(user["form_of_address"], "f");
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    let (status, answer) = app
        .send_json(
            Method::PATCH,
            &path,
            json!({"form_of_address": "x", "version": 1}),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(
        rule(&answer),
        ("form_of_address".into(), "choice-unknown".into())
    );
    assert_eq!(app.get_json(&path).await["form_of_address"], "f");
    let (status, changed) = app
        .send_json(
            Method::PATCH,
            &path,
            json!({"form_of_address": "m", "version": 1}),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["form_of_address"], "m");
    let (status, _) = app
        .post_json(
            "/api/v1/users",
            json!({"email": "b@ki-test.example", "display_name": "B", "role": "staff", "form_of_address": "frau"}),
        )
        .await;
    assert_eq!(status, 422);
    // Left out: none given.
    let plain = app
        .created(
            "/api/v1/users",
            json!({"email": "c@ki-test.example", "display_name": "C", "role": "staff"}),
        )
        .await;
    assert_eq!(plain["form_of_address"], "");

    // The admin's form shows and saves it.
    let id = user["id"].as_str().unwrap();
    let form = app.get_page(&format!("/app/admin/users/{id}")).await;
    assert_eq!(
        form.attr("input[name=form_of_address][checked]", "value"),
        "m"
    );
    assert_eq!(
        form.texts("#form_of_address label"),
        [
            "Frau (Mitarbeiterin)",
            "Herr (Mitarbeiter)",
            "keine Angabe (Person aus dem KI-Team)"
        ]
    );
    let r = app
        .post_form(
            &format!("/app/admin/users/{id}"),
            &[
                ("display_name", "Aylin Demir"),
                ("role", "staff"),
                ("form_of_address", ""),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.get_json(&path).await["form_of_address"], "");

    // Each member of staff sets their own on the account page.
    let (staff, email) = app.signed_in("staff").await;
    let r = staff
        .post(app.url("/app/account/form-of-address"))
        .form(&[("form_of_address", "f")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = Page::from_response(staff.get(app.url("/app/account")).send().await.unwrap()).await;
    assert_eq!(page.attr("#form-of-address input[checked]", "value"), "f");
    let r = staff
        .post(app.url("/app/account/form-of-address"))
        .form(&[("form_of_address", "divers")])
        .send()
        .await
        .unwrap();
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.text("#form_of_address-error"),
        "Bitte wählen Sie einen der angebotenen Werte."
    );
    let me = app
        .services
        .find_user_by_email(&msohub_service::Actor::cli(), &email)
        .await
        .unwrap();
    assert_eq!(me.form_of_address, "f", "unchanged by the refusal");
}

async fn office_flags(app: &TestApp, ids: &[&str]) -> Vec<bool> {
    let mut out = Vec::new();
    for id in ids {
        let org = app.get_json(&format!("/api/v1/organisations/{id}")).await;
        out.push(org["is_own_office"].as_bool().unwrap());
    }
    out
}

async fn our_office_is_set_and_the_mark_moves(app: TestApp) {
    app.sign_in("admin").await;
    let a = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Kommunales Integrationszentrum Paderborn", "kind": "public_body"}),
        )
        .await;
    let b = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Stadt Paderborn, Amt für Integration", "kind": "public_body"}),
        )
        .await;
    let (a, b) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let mut settings = app.get_json("/api/v1/settings").await;
    assert_eq!(settings["office_organisation_id"], Value::Null);

    settings["office_organisation_id"] = json!(a);
    let stored = app.replaced("/api/v1/settings", settings.clone()).await;
    assert_eq!(stored["office_organisation_id"], a);
    assert_eq!(office_flags(&app, &[a, b]).await, [true, false]);
    settings["office_organisation_id"] = json!(b);
    app.replaced("/api/v1/settings", settings.clone()).await;
    assert_eq!(
        office_flags(&app, &[a, b]).await,
        [false, true],
        "the mark moved"
    );

    // Left out: kept. Unknown: refused, nothing changes.
    let mut without = settings.clone();
    without
        .as_object_mut()
        .unwrap()
        .remove("office_organisation_id");
    without["office_city"] = json!("Paderborn");
    let stored = app.replaced("/api/v1/settings", without).await;
    assert_eq!(stored["office_organisation_id"], b);
    for bad in [json!("kein-id"), json!(uuid::Uuid::now_v7())] {
        settings["office_organisation_id"] = bad;
        settings["office_city"] = json!("Anderswo");
        let (status, answer) = app
            .send_json(Method::PUT, "/api/v1/settings", settings.clone())
            .await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(
            rule(&answer),
            (
                "office_organisation_id".into(),
                "organisation-unknown".into()
            )
        );
    }
    let now = app.get_json("/api/v1/settings").await;
    assert_eq!(now["office_organisation_id"], b);
    assert_eq!(now["office_city"], "Paderborn");
    assert_eq!(office_flags(&app, &[a, b]).await, [false, true]);

    // The organisation page's button, for admins.
    let page = app.get_page(&format!("/app/organisations/{a}")).await;
    assert_eq!(page.count("#own-office-form"), 1);
    let r = app
        .post_form(&format!("/app/organisations/{a}/own-office"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(office_flags(&app, &[a, b]).await, [true, false]);
    let page = app.get_page(&format!("/app/organisations/{a}")).await;
    assert_eq!(page.count("#own-office-form"), 0);
    assert!(
        page.text("#own-office-state")
            .starts_with("Diese Organisation steht für unser Amt")
    );
    let settings_page = app.get_page("/app/admin/settings").await;
    assert_eq!(
        settings_page.text("#office-organisation-link"),
        "Kommunales Integrationszentrum Paderborn"
    );
    // Staff see it, but cannot move it.
    let (staff, _) = app.signed_in("staff").await;
    let r = staff
        .post(app.url(&format!("/app/organisations/{b}/own-office")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(office_flags(&app, &[a, b]).await, [true, false]);

    // Each move is in the audit log of the organisations concerned.
    let log = app
        .get_json(&format!(
            "/api/v1/audit-log?entity_type=organisation&entity_id={b}"
        ))
        .await;
    let moves: Vec<&Value> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["after"]
                .as_object()
                .is_some_and(|o| o.len() == 1 && o.contains_key("is_own_office"))
        })
        .collect();
    assert_eq!(moves.len(), 2, "{log}");
}
