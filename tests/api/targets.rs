//! Periods and targets with progress computed from the records, as the
//! seed report measures them: visits to MSOs, the office's attendance at the
//! integration council, the working group's meetings and the organisations
//! represented; status by thresholds, overrides with a justification.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(
    the_school_year_2020_21_is_measured_from_the_records,
    the_report_states_the_seed_facts,
);

async fn the_report_states_the_seed_facts(app: TestApp) {
    app.sign_in("staff").await;
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    let me = me["id"].as_str().unwrap().to_owned();
    let mso = post(
        &app,
        "/api/v1/organisations",
        json!({"name": "Kulturverein", "kind": "mso"}),
    )
    .await;
    for day in ["2020-11-10", "2021-01-12"] {
        post(&app, "/api/v1/interactions", json!({"subject": "Besuch", "kind": "visit", "mode": "in_person", "status": "cancelled", "cancel_reason": "contact_restrictions", "starts_at": format!("{day}T10:00"), "organisations": [mso["id"]]})).await;
    }
    let group = post(
        &app,
        "/api/v1/bodies",
        json!({"name": "Arbeitskreis MSO", "kind": "working_group", "founded_on": "2020-09-01"}),
    )
    .await;
    for (day, mode) in [("2020-09-14", "in_person"), ("2020-11-24", "digital")] {
        post(&app, "/api/v1/meetings", json!({"body_id": group["id"], "title": "Treffen", "starts_at": format!("{day}T17:00"), "mode": mode, "status": "held"})).await;
    }
    let advisory = post(
        &app,
        "/api/v1/bodies",
        json!({"name": "Beirat Forschungsprojekt", "kind": "advisory_group"}),
    )
    .await;
    post(
        &app,
        &format!(
            "/api/v1/bodies/{}/members",
            advisory["id"].as_str().unwrap()
        ),
        json!({"user_id": me, "role": "member", "from": "2019-01-01", "to": "2020-12-31"}),
    )
    .await;
    let period = post(
        &app,
        "/api/v1/periods",
        json!({"kind": "school_year", "year": "2020"}),
    )
    .await;
    let pid = period["id"].as_str().unwrap().to_owned();
    let t = post(&app, "/api/v1/targets", json!({"period_id": pid, "number": "1", "title": "Mindestens sechs Besuche bei MSO", "metric": "interactions", "kinds": ["visit"], "wanted": "6",
        "deviation_reason": "Geplante Besuche wurden wegen der Kontaktbeschränkungen abgesagt.", "substitute_measures": "Stattdessen wurde ein Arbeitskreis der MSO gegründet."})).await;
    assert_eq!(t["status"], "not_met");
    post(&app, "/api/v1/targets", json!({"period_id": pid, "number": "2", "title": "Austausch im Arbeitskreis", "metric": "manual", "manual_value": "1", "wanted": "1"})).await;

    // Texts: introduction and outlook; the rest generated.
    let r = app.client.put(app.url(&format!("/api/v1/periods/{pid}/report/texts"))).json(&json!({"introduction": "Das KI Lindenau berichtet über das Schuljahr.", "outlook": "Im kommenden Jahr sollen die Besuche nachgeholt werden.", "place": "Lindenau", "version": 0})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .put(app.url(&format!("/api/v1/periods/{pid}/report/texts")))
        .json(&json!({"outlook": "x", "version": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "a stale save");

    let md = app
        .get(&format!("/api/v1/periods/{pid}/report?format=md"))
        .await
        .text()
        .await
        .unwrap();
    for fact in [
        "# Sachbericht 2020/21",
        "### Ziel 1: Mindestens sechs Besuche bei MSO",
        "**Stand:** 0 von 6 – **nicht erreicht**",
        "wegen der Kontaktbeschränkungen abgesagt",
        "Stattdessen wurde ein Arbeitskreis der MSO gegründet.",
        "**Die angestrebten Ziele wurden teilweise erreicht.**",
        "Gründung des Gremiums „Arbeitskreis MSO“ am 01.09.2020.",
        "im Gremium „Beirat Forschungsprojekt“ bis zum 31.12.2020.",
        "Im kommenden Jahr sollen die Besuche nachgeholt werden.",
        "Lindenau, Juli 2021",
        "| Arbeitskreis MSO | 2 | 0 | 0 |",
        "| 2020-11 | 0 | 1 |",
    ] {
        assert!(md.contains(fact), "missing {fact:?} in\n{md}");
    }
    let html = app
        .get(&format!("/api/v1/periods/{pid}/report?format=html"))
        .await;
    assert_eq!(html.status(), 200);
    let html = crate::helpers::Page::from_response(html).await;
    assert_eq!(
        html.text("#report-verdict"),
        "Die angestrebten Ziele wurden teilweise erreicht."
    );
    assert_eq!(html.count("#contacts-chart svg rect"), 24);
    let page = app.get_page(&format!("/app/periods/{pid}/report")).await;
    assert!(
        page.text("#report-target-1")
            .contains("Im Berichtszeitraum fanden 0 der angestrebten 6 Kontakte statt.")
    );
    assert_eq!(
        app.get(&format!("/api/v1/periods/{pid}/report?format=pdf"))
            .await
            .status(),
        422,
        "not yet, and it says so"
    );
    // A narrative replaces the generated draft.
    let texts: Value = app
        .get(&format!("/api/v1/periods/{pid}/report"))
        .await
        .json()
        .await
        .unwrap();
    let r = app.client.put(app.url(&format!("/api/v1/periods/{pid}/report/texts"))).json(&json!({"outlook": "Ausblick", "version": texts["texts_version"], "narratives": {t["id"].as_str().unwrap(): "Eigener Text zu Ziel 1."}})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let page = app.get_page(&format!("/app/periods/{pid}/report")).await;
    assert!(
        page.text("#report-target-1")
            .contains("Eigener Text zu Ziel 1.")
    );
}

async fn post(app: &TestApp, path: &str, body: Value) -> Value {
    let r = app
        .client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{path}: {status} {v}");
    v
}

async fn the_school_year_2020_21_is_measured_from_the_records(app: TestApp) {
    app.sign_in("staff").await;
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    let me = me["id"].as_str().unwrap().to_owned();
    let mso = post(
        &app,
        "/api/v1/organisations",
        json!({"name": "Kulturverein", "kind": "mso"}),
    )
    .await;
    let welfare = post(
        &app,
        "/api/v1/organisations",
        json!({"name": "Caritas", "kind": "welfare"}),
    )
    .await;
    // Two visits to MSOs held, four cancelled, one to a welfare organisation.
    for (day, status, org) in [
        ("2020-09-15", "held", &mso),
        ("2021-05-20", "held", &mso),
        ("2020-11-10", "cancelled", &mso),
        ("2020-12-01", "cancelled", &mso),
        ("2021-01-12", "cancelled", &mso),
        ("2021-03-03", "cancelled", &mso),
        ("2021-02-02", "held", &welfare),
    ] {
        post(&app, "/api/v1/interactions", json!({"subject": "Besuch", "kind": "visit", "mode": "in_person", "status": status, "cancel_reason": "contact_restrictions", "starts_at": format!("{day}T10:00"), "organisations": [org["id"]]})).await;
    }
    // Outside the period: not counted.
    post(&app, "/api/v1/interactions", json!({"subject": "Besuch", "kind": "visit", "mode": "in_person", "status": "held", "starts_at": "2021-08-02T10:00", "organisations": [mso["id"]]})).await;
    let council = post(
        &app,
        "/api/v1/bodies",
        json!({"name": "Integrationsrat", "kind": "integration_council"}),
    )
    .await;
    let cid = council["id"].as_str().unwrap().to_owned();
    for (i, day) in ["2020-10-01", "2021-02-04", "2021-06-10"]
        .iter()
        .enumerate()
    {
        let m = post(&app, "/api/v1/meetings", json!({"body_id": cid, "title": "Sitzung", "starts_at": format!("{day}T18:00"), "mode": "in_person", "status": "held"})).await;
        let status = if i == 1 { "present" } else { "excused" };
        let r = app.client.put(app.url(&format!("/api/v1/meetings/{}/attendance", m["id"].as_str().unwrap()))).json(&json!({"version": 1, "attendance": [{"attendee": format!("u:{me}"), "status": status}]})).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }

    // The period, through the page.
    let r = app
        .post_form("/app/periods", &[("kind", "school_year"), ("year", "2020")])
        .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let pid = location
        .trim_start_matches("/app/periods/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let r = app
        .post_form("/app/periods", &[("kind", "school_year"), ("year", "2020")])
        .await;
    assert_eq!(
        Page::from_response(r).await.status,
        422,
        "the same school year twice"
    );

    let visits = post(&app, "/api/v1/targets", json!({"period_id": pid, "number": "1", "title": "Mindestens sechs Besuche bei MSO", "metric": "interactions", "kinds": ["visit"], "organisation_kinds": ["mso"], "wanted": "6"})).await;
    assert_eq!(visits["actual"], 2.0);
    assert_eq!(visits["status"], "not_met");
    assert!(
        visits["records_href"]
            .as_str()
            .unwrap()
            .contains("kind=visit")
    );
    let rate = post(&app, "/api/v1/targets", json!({"period_id": pid, "number": "2", "title": "Teilnahme an den Sitzungen des Integrationsrats", "metric": "staff_attendance_rate", "body_id": cid, "wanted": "100", "partly_at": "30"})).await;
    assert_eq!(rate["actual"], 33.3);
    assert_eq!(rate["status"], "partly_met");
    let held = post(&app, "/api/v1/targets", json!({"period_id": pid, "number": "3", "title": "Integrationsrat tagt", "metric": "meetings_held", "body_id": cid, "wanted": "3"})).await;
    assert_eq!(held["status"], "met");

    // Bad input: an override without a reason; a body metric without a body.
    let r = app
        .client
        .patch(app.url(&format!(
            "/api/v1/targets/{}",
            visits["id"].as_str().unwrap()
        )))
        .json(&json!({"override_status": "partly_met", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["rule"],
        "override-reason-required"
    );
    let r = app.client.post(app.url("/api/v1/targets")).json(&json!({"period_id": pid, "number": "4", "title": "x", "metric": "meetings_held", "wanted": "1"})).send().await.unwrap();
    assert_eq!(r.status(), 422);
    // A threshold over 100 %, and a custom period overlapping another.
    let r = app.client.post(app.url("/api/v1/targets")).json(&json!({"period_id": pid, "number": "4", "title": "x", "metric": "manual", "wanted": "1", "met_at": "150"})).send().await.unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["rule"],
        "percent-invalid"
    );
    let r = app.client.post(app.url("/api/v1/periods")).json(&json!({"kind": "custom", "name": "Frühjahr", "starts_on": "2021-03-01", "ends_on": "2021-04-30"})).send().await.unwrap();
    assert_eq!(
        r.status(),
        201,
        "a custom period may lie within a school year"
    );
    let r = app.client.post(app.url("/api/v1/periods")).json(&json!({"kind": "custom", "name": "Frühjahr 2", "starts_on": "2021-04-01", "ends_on": "2021-05-31"})).send().await.unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["rule"],
        "period-overlap"
    );

    // The deviation and what was done instead.
    let r = app.client.patch(app.url(&format!("/api/v1/targets/{}", visits["id"].as_str().unwrap()))).json(&json!({"deviation_reason": "Kontaktbeschränkungen in der Pandemie", "substitute_measures": "Statt Besuchen wurde ein Arbeitskreis gegründet.", "version": 1})).send().await.unwrap();
    assert_eq!(r.status(), 200);

    let period: Value = app
        .get(&format!("/api/v1/periods/{pid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(period["period"]["name"], "2020/21");
    assert_eq!(period["period"]["starts_on"], "2020-08-01");
    assert_eq!(period["period"]["ends_on"], "2021-07-31");
    assert_eq!(period["verdict"], "partly_met");

    // The page: progress, statuses, the verdict in the report's words.
    let page = app.get_page(&format!("/app/periods/{pid}")).await;
    assert_eq!(
        page.text("#verdict"),
        "Die angestrebten Ziele wurden teilweise erreicht."
    );
    assert_eq!(page.count("#targets progress"), 3);
    assert!(page.text("#target-1").contains("nicht erreicht"));
    assert!(
        page.text("#target-1")
            .contains("Statt Besuchen wurde ein Arbeitskreis gegründet.")
    );
    assert!(page.text("#target-2").contains("teilweise erreicht"));
    assert_eq!(page.attr("#target-1 progress", "value"), "33");
    // /app/targets shows the current period (none contains today: the latest).
    let page = app.get_page("/app/targets").await;
    assert_eq!(page.text("h1"), "Ziele 2020/21");
    assert_eq!(page.count("#targets progress"), 3);
    // The override, through the form, with its justification.
    let form = app
        .get_page(&format!("/app/targets/{}", held["id"].as_str().unwrap()))
        .await;
    assert!(form.text("#computed").contains("erreicht"));
    let r = app
        .post_form(
            &format!("/app/targets/{}", held["id"].as_str().unwrap()),
            &[
                ("version", "1"),
                ("period_id", &pid),
                ("number", "3"),
                ("title", "Integrationsrat tagt"),
                ("metric", "meetings_held"),
                ("body_id", &cid),
                ("wanted", "3"),
                ("met_at", "100"),
                ("partly_at", "50"),
                ("override_status", "partly_met"),
                ("override_reason", ""),
            ],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(page.text("#override_reason-error").contains("begründen"));
}
