//! Periods after they were created: renamed, their dates moved while no
//! report of them is finalised, deleted while empty; every refusal leaves
//! the period as it was.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;
use reqwest::Method;
use serde_json::{Value, json};

on_both_databases!(
    a_period_is_renamed_and_moved_until_its_report_is_finalised,
    only_an_empty_period_is_deleted,
    the_period_page_changes_and_deletes_the_period,
);

async fn patch(app: &TestApp, id: &str, body: Value) -> (u16, Value) {
    app.send_json(Method::PATCH, &format!("/api/v1/periods/{id}"), body)
        .await
}

async fn delete(app: &TestApp, id: &str, version: i64) -> (u16, Value) {
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/periods/{id}?version={version}")))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn rule(answer: &Value) -> (String, String) {
    let e = &answer["errors"][0];
    (
        e["field"].as_str().unwrap_or_default().to_owned(),
        e["rule"].as_str().unwrap_or_default().to_owned(),
    )
}

async fn period(app: &TestApp, id: &str) -> Value {
    app.get_json(&format!("/api/v1/periods/{id}")).await["period"].clone()
}

async fn a_period_is_renamed_and_moved_until_its_report_is_finalised(app: TestApp) {
    // Admin: a staff writer who may also read the audit log.
    app.sign_in("admin").await;
    let year = app
        .created(
            "/api/v1/periods",
            json!({"kind": "school_year", "year": "2020"}),
        )
        .await;
    let spring = app
        .created(
            "/api/v1/periods",
            json!({"kind": "custom", "name": "Frühjahr", "starts_on": "2021-03-01", "ends_on": "2021-04-30"}),
        )
        .await;
    let autumn = app
        .created(
            "/api/v1/periods",
            json!({"kind": "custom", "name": "Herbst", "starts_on": "2021-09-01", "ends_on": "2021-10-31"}),
        )
        .await;
    let id = spring["id"].as_str().unwrap();

    // Renamed and moved, from the version read.
    let (status, changed) = patch(
        &app,
        id,
        json!({"name": "Frühjahr 2021", "ends_on": "2021-05-15", "version": 1}),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["name"], "Frühjahr 2021");
    assert_eq!(changed["starts_on"], "2021-03-01");
    assert_eq!(changed["ends_on"], "2021-05-15");
    assert_eq!(changed["kind"], "custom");
    assert_eq!(changed["version"], 2);

    // Bad input: a clear message each time, and nothing changes.
    let refusals = [
        (json!({"name": "Wieder alt", "version": 1}), 409, ("", "")),
        (
            json!({"name": "2020/21", "version": 2}),
            422,
            ("name", "taken"),
        ),
        (
            json!({"name": "  ", "version": 2}),
            422,
            ("name", "required"),
        ),
        (
            json!({"ends_on": "2021-02-28", "version": 2}),
            422,
            ("ends_on", "end-before-start"),
        ),
        (
            json!({"starts_on": "31.02.2021", "version": 2}),
            422,
            ("starts_on", "date-invalid"),
        ),
        (
            json!({"ends_on": "2021-09-15", "version": 2}),
            422,
            ("starts_on", "period-overlap"),
        ),
        (
            json!({"kind": "calendar_year", "version": 2}),
            422,
            ("kind", "field-unknown"),
        ),
        (
            json!({"name": "Ohne Version"}),
            422,
            ("version", "required"),
        ),
    ];
    for (body, want_status, (field, want_rule)) in refusals {
        let (status, answer) = patch(&app, id, body.clone()).await;
        assert_eq!(status, want_status, "{body}: {answer}");
        if want_status == 422 {
            assert_eq!(rule(&answer), (field.into(), want_rule.into()), "{body}");
        }
    }
    assert_eq!(period(&app, id).await, changed, "refusals change nothing");
    // A custom period may still lie within the school year (another kind).
    let (status, _) = patch(&app, id, json!({"starts_on": "2021-02-01", "version": 2})).await;
    assert_eq!(status, 200);

    // Once a report is finalised the dates are fixed; the name is not.
    let yid = year["id"].as_str().unwrap();
    let r = app
        .client
        .post(app.url(&format!("/api/v1/periods/{yid}/report/versions")))
        .json(&json!({"note": "an die Bezirksregierung"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let (status, answer) = patch(&app, yid, json!({"ends_on": "2021-08-31", "version": 1})).await;
    assert_eq!(status, 422);
    assert_eq!(
        rule(&answer),
        ("starts_on".into(), "period-dates-finalised".into())
    );
    let (status, answer) = patch(
        &app,
        yid,
        json!({"name": "Schuljahr 2020/21", "starts_on": "2020-08-01", "version": 1}),
    )
    .await;
    assert_eq!(status, 200, "the same dates are no change: {answer}");
    assert_eq!(answer["name"], "Schuljahr 2020/21");
    assert_eq!(answer["ends_on"], "2021-07-31");
    // The other period keeps its own name and dates throughout.
    assert_eq!(period(&app, autumn["id"].as_str().unwrap()).await, autumn);

    // The audit log has each change with before and after.
    let log = app
        .get_json(&format!(
            "/api/v1/audit-log?entity_type=period&entity_id={id}"
        ))
        .await;
    let items = log["items"].as_array().unwrap();
    let updates: Vec<&Value> = items.iter().filter(|e| e["action"] == "update").collect();
    assert_eq!(updates.len(), 2, "{log}");
    let first = updates.last().unwrap();
    assert_eq!(first["before"]["name"], "Frühjahr");
    assert_eq!(first["after"]["name"], "Frühjahr 2021");
    assert_eq!(first["after"]["ends_on"], "2021-05-15");
}

async fn only_an_empty_period_is_deleted(app: TestApp) {
    app.sign_in("admin").await;
    let year = app
        .created(
            "/api/v1/periods",
            json!({"kind": "school_year", "year": "2020"}),
        )
        .await;
    let yid = year["id"].as_str().unwrap();
    let target = app
        .created(
            "/api/v1/targets",
            json!({"period_id": yid, "number": "1", "title": "Ein Ziel", "metric": "manual", "wanted": "1"}),
        )
        .await;

    // With a target: refused, and the period and its target stay.
    let (status, answer) = delete(&app, yid, 1).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(
        rule(&answer),
        ("period".into(), "period-has-targets".into())
    );
    let kept = app.get_json(&format!("/api/v1/periods/{yid}")).await;
    assert_eq!(kept["period"], year);
    assert_eq!(kept["targets"].as_array().unwrap().len(), 1);

    // Without targets but with a finalised report: refused too.
    let r = app
        .client
        .delete(app.url(&format!(
            "/api/v1/targets/{}?version=1",
            target["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    app.created(
        &format!("/api/v1/periods/{yid}/report/versions"),
        json!({"note": ""}),
    )
    .await;
    let (status, answer) = delete(&app, yid, 1).await;
    assert_eq!(status, 422);
    assert_eq!(rule(&answer), ("period".into(), "period-finalised".into()));
    assert_eq!(period(&app, yid).await, year);

    // An empty period with draft texts: a stale version is refused, the
    // current one deletes it and its texts.
    let empty = app
        .created(
            "/api/v1/periods",
            json!({"kind": "calendar_year", "year": "2022"}),
        )
        .await;
    let eid = empty["id"].as_str().unwrap();
    app.replaced(
        &format!("/api/v1/periods/{eid}/report/texts"),
        json!({"introduction": "Ein Entwurf.", "version": 0}),
    )
    .await;
    let (status, _) = delete(&app, eid, 7).await;
    assert_eq!(status, 409);
    assert_eq!(period(&app, eid).await, empty);
    let (status, answer) = delete(&app, eid, 1).await;
    assert_eq!(status, 204, "{answer}");
    assert_eq!(
        app.get(&format!("/api/v1/periods/{eid}")).await.status(),
        404
    );
    let (status, _) = delete(&app, eid, 1).await;
    assert_eq!(status, 404);
    let names: Vec<Value> = app.get_json("/api/v1/periods").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("2020/21")]);
    // A period of the same name can be made again, without the old texts.
    let again = app
        .created(
            "/api/v1/periods",
            json!({"kind": "calendar_year", "year": "2022"}),
        )
        .await;
    let report = app
        .get_json(&format!(
            "/api/v1/periods/{}/report",
            again["id"].as_str().unwrap()
        ))
        .await;
    assert!(!report.to_string().contains("Ein Entwurf."));

    // The audit entry keeps what was deleted, texts included.
    let log = app
        .get_json(&format!(
            "/api/v1/audit-log?entity_type=period&entity_id={eid}"
        ))
        .await;
    let deleted = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "delete")
        .expect("a delete entry")
        .clone();
    assert_eq!(deleted["before"]["name"], "2022");
    assert_eq!(
        deleted["before"]["report_texts"]["introduction"],
        "Ein Entwurf."
    );
    assert!(deleted["after"].is_null());
}

async fn the_period_page_changes_and_deletes_the_period(app: TestApp) {
    app.sign_in("staff").await;
    let year = app
        .created(
            "/api/v1/periods",
            json!({"kind": "school_year", "year": "2020"}),
        )
        .await;
    let yid = year["id"].as_str().unwrap();
    let page = app.get_page(&format!("/app/periods/{yid}")).await;
    assert_eq!(page.attr("#period-form #name", "value"), "2020/21");
    assert_eq!(page.attr("#period-form #starts_on", "value"), "2020-08-01");
    assert_eq!(page.count("#period-delete-form"), 1, "empty: deletable");
    assert_eq!(page.count("#period-edit[open]"), 0);

    // Refused: the form again, open, with the message; nothing changes.
    let r = app
        .post_form(
            &format!("/app/periods/{yid}"),
            &[
                ("version", "1"),
                ("name", "Schuljahr 2020/21"),
                ("starts_on", "2020-08-01"),
                ("ends_on", "2020-07-01"),
            ],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert_eq!(page.count("#period-edit[open]"), 1);
    assert!(
        page.text("#error-summary")
            .contains("Das Ende liegt vor dem Beginn."),
        "{}",
        page.text("#error-summary")
    );
    assert_eq!(
        page.attr("#period-form #name", "value"),
        "Schuljahr 2020/21"
    );
    assert_eq!(period(&app, yid).await, year);

    // Saved.
    let r = app
        .post_form(
            &format!("/app/periods/{yid}"),
            &[
                ("version", "1"),
                ("name", "Schuljahr 2020/21"),
                ("starts_on", "2020-08-01"),
                ("ends_on", "2021-07-15"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = app
        .get_page(&format!("/app/periods/{yid}?done=saved"))
        .await;
    assert!(page.text("h1").contains("Schuljahr 2020/21"));
    assert_eq!(page.attr("#period-form #ends_on", "value"), "2021-07-15");
    // A second save from the old page: the stored state and the notice.
    let r = app
        .post_form(
            &format!("/app/periods/{yid}"),
            &[
                ("version", "1"),
                ("name", "Alt"),
                ("starts_on", "2020-08-01"),
                ("ends_on", "2021-07-31"),
            ],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(page.text("#error-summary").contains("inzwischen geändert"));
    assert_eq!(
        page.attr("#period-form #name", "value"),
        "Schuljahr 2020/21"
    );
    assert_eq!(page.attr("#period-form input[name=version]", "value"), "2");

    // With a target the page offers no delete and says why; a delete sent
    // anyway is refused with that message.
    app.created(
        "/api/v1/targets",
        json!({"period_id": yid, "number": "1", "title": "Ein Ziel", "metric": "manual", "wanted": "1"}),
    )
    .await;
    let page = app.get_page(&format!("/app/periods/{yid}")).await;
    assert_eq!(page.count("#period-delete-form"), 0);
    assert!(page.text("#period-delete-refused").contains("noch Ziele"));
    let r = app
        .post_form(&format!("/app/periods/{yid}/delete"), &[("version", "2")])
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(
        page.text("#error-summary")
            .contains("Der Zeitraum hat noch Ziele")
    );
    assert_eq!(period(&app, yid).await["name"], "Schuljahr 2020/21");

    // An empty one is deleted after the confirmation.
    let empty = app
        .created(
            "/api/v1/periods",
            json!({"kind": "calendar_year", "year": "2022"}),
        )
        .await;
    let eid = empty["id"].as_str().unwrap();
    let r = app
        .post_form(&format!("/app/periods/{eid}/delete"), &[("version", "1")])
        .await;
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(to, "/app/targets?all=1&done=period-deleted");
    let page = app.get_page(&to).await;
    assert!(
        page.text("[role=status]")
            .contains("Der Zeitraum wurde gelöscht.")
    );
    assert_eq!(page.texts("#periods a"), vec!["Schuljahr 2020/21"]);

    // A finalised report: the dates are shown as fixed, not as fields.
    app.created(
        &format!("/api/v1/periods/{yid}/report/versions"),
        json!({"note": ""}),
    )
    .await;
    let page = app.get_page(&format!("/app/periods/{yid}")).await;
    assert_eq!(page.count("#period-dates-fixed"), 1);
    assert_eq!(page.count("#period-form input[type=date]"), 0);

    // Readers see neither form.
    let (auditor, _) = app.signed_in("auditor").await;
    let html = auditor
        .get(app.url(&format!("/app/periods/{yid}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("period-form") && !html.contains("period-delete"));
}
