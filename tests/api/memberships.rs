//! Memberships of bodies: the same person or staff member twice at the same
//! time is refused; one entered by mistake can be deleted (ending one stays
//! the normal way).

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(
    the_same_member_twice_at_the_same_time_is_refused,
    a_membership_entered_by_mistake_is_deleted,
);

async fn me(app: &TestApp) -> String {
    app.get_json("/api/v1/me").await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn body(app: &TestApp, name: &str) -> String {
    app.created(
        "/api/v1/bodies",
        json!({"name": name, "kind": "working_group"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn person(app: &TestApp, family_name: &str) -> String {
    app.created(
        "/api/v1/persons",
        json!({"given_name": "Aylin", "family_name": family_name}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn members(app: &TestApp, body: &str) -> Vec<Value> {
    app.get_json(&format!("/api/v1/bodies/{body}")).await["members"]
        .as_array()
        .unwrap()
        .clone()
}

async fn add(app: &TestApp, body: &str, member: Value) -> (u16, Value) {
    app.post_json(&format!("/api/v1/bodies/{body}/members"), member)
        .await
}

async fn the_same_member_twice_at_the_same_time_is_refused(app: TestApp) {
    app.sign_in("staff").await;
    let my_id = me(&app).await;
    let group = body(&app, "Arbeitskreis MSO").await;
    let other_group = body(&app, "Arbeitskreis Bildung").await;
    let aylin = person(&app, "Yılmaz").await;
    let farid = person(&app, "Ahmadi").await;
    let (status, _) = add(
        &app,
        &group,
        json!({"person_id": aylin, "role": "member", "from": "2020-01-01", "to": "2020-12-31"}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = add(
        &app,
        &group,
        json!({"user_id": my_id, "role": "office_representative"}),
    )
    .await;
    assert_eq!(status, 201);
    let before = members(&app, &group).await;

    // Overlapping, open ends counting as forever: refused, nothing added.
    for (member, field) in [
        (
            json!({"person_id": aylin, "role": "chair", "from": "2020-12-31"}),
            "person_id",
        ),
        (
            json!({"person_id": aylin, "role": "member", "to": "2020-01-01"}),
            "person_id",
        ),
        (json!({"person_id": aylin, "role": "member"}), "person_id"),
        (
            json!({"person_id": aylin, "role": "deputy", "from": "2020-03-01", "to": "2020-04-30"}),
            "person_id",
        ),
        (
            json!({"user_id": my_id, "role": "member", "from": "2030-01-01", "to": "2030-12-31"}),
            "user_id",
        ),
    ] {
        let (status, answer) = add(&app, &group, member.clone()).await;
        assert_eq!(status, 422, "{member}: {answer}");
        assert_eq!(answer["errors"][0]["field"], field, "{member}");
        assert_eq!(answer["errors"][0]["rule"], "member-duplicate", "{member}");
    }
    assert_eq!(members(&app, &group).await, before, "nothing was added");

    // Not the same time, not the same person, not the same body: added.
    for (b, member) in [
        (
            &group,
            json!({"person_id": aylin, "role": "member", "from": "2021-01-01"}),
        ),
        (
            &group,
            json!({"person_id": aylin, "role": "member", "to": "2019-12-31"}),
        ),
        (
            &group,
            json!({"person_id": farid, "role": "member", "from": "2020-01-01"}),
        ),
        (&other_group, json!({"person_id": aylin, "role": "member"})),
        (&other_group, json!({"user_id": my_id, "role": "member"})),
    ] {
        let (status, answer) = add(&app, b, member.clone()).await;
        assert_eq!(status, 201, "{member}: {answer}");
    }
    assert_eq!(members(&app, &group).await.len(), 5);

    // An ended membership no longer blocks a new one after its end.
    let mine = members(&app, &group)
        .await
        .into_iter()
        .find(|m| m["user"]["id"] == my_id.as_str())
        .unwrap();
    let r = app
        .client
        .delete(app.url(&format!(
            "/api/v1/memberships/{}?on=2025-06-30",
            mine["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (status, answer) = add(
        &app,
        &group,
        json!({"user_id": my_id, "role": "member", "from": "2025-06-30"}),
    )
    .await;
    assert_eq!(status, 422, "the last day still counts: {answer}");
    let (status, _) = add(
        &app,
        &group,
        json!({"user_id": my_id, "role": "member", "from": "2025-07-01"}),
    )
    .await;
    assert_eq!(status, 201);

    // The form says so in the field, in German.
    let r = app
        .post_form(
            &format!("/app/bodies/{group}/members"),
            &[
                ("person_id", farid.as_str()),
                ("role", "member"),
                ("from", "2024-05-01"),
            ],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(
        page.text("#person_id-error")
            .contains("bereits Mitglied dieses Gremiums"),
        "{}",
        page.text("#add-member")
    );
    assert_eq!(members(&app, &group).await.len(), 6);
}

async fn a_membership_entered_by_mistake_is_deleted(app: TestApp) {
    // Admin: a staff writer who may also read the audit log.
    app.sign_in("admin").await;
    let group = body(&app, "Arbeitskreis MSO").await;
    let other_group = body(&app, "Integrationsrat").await;
    let aylin = person(&app, "Yılmaz").await;
    let farid = person(&app, "Ahmadi").await;
    let mistake = add(
        &app,
        &group,
        json!({"person_id": aylin, "role": "chair", "from": "2020-09-01"}),
    )
    .await
    .1["id"]
        .as_str()
        .unwrap()
        .to_owned();
    add(&app, &group, json!({"person_id": farid, "role": "member"})).await;

    // Not a membership of that body: 404, nothing deleted.
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/bodies/{other_group}/members/{mistake}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(members(&app, &group).await.len(), 2);

    let r = app
        .client
        .delete(app.url(&format!("/api/v1/bodies/{group}/members/{mistake}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let left = members(&app, &group).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["person"]["id"], farid.as_str());
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/bodies/{group}/members/{mistake}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "gone");
    // Entered again correctly: no duplicate left behind to refuse it.
    let (status, _) = add(
        &app,
        &group,
        json!({"person_id": aylin, "role": "member", "from": "2020-09-01"}),
    )
    .await;
    assert_eq!(status, 201);

    // The audit log keeps what the membership said.
    let log = app
        .get_json(&format!(
            "/api/v1/audit-log?entity_type=body&entity_id={group}"
        ))
        .await;
    let entry = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "member_delete")
        .expect("a member_delete entry")
        .clone();
    assert_eq!(entry["before"]["membership"], mistake.as_str());
    assert_eq!(entry["before"]["person_id"], aylin.as_str());
    assert_eq!(entry["before"]["role"], "chair");
    assert!(entry["after"].is_null());
    let audit = app.get_page("/app/audit").await;
    assert!(
        audit
            .text("body")
            .contains("eine versehentlich erfasste Mitgliedschaft gelöscht")
    );

    // The body page: a delete behind a confirmation for each member, beside
    // ending; the page's button deletes.
    let page = app.get_page(&format!("/app/bodies/{group}")).await;
    assert_eq!(page.count("#member-list details.member-delete"), 2);
    let actions = page.attrs("#member-list details.member-delete form", "action");
    let farid_membership = members(&app, &group)
        .await
        .into_iter()
        .find(|m| m["person"]["id"] == farid.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let action = format!("/app/bodies/{group}/members/{farid_membership}/delete");
    assert!(actions.contains(&action), "{actions:?}");
    assert_eq!(page.count("#member-list form[action$='/end']"), 2);
    let r = app.post_form(&action, &[]).await;
    assert_eq!(r.status(), 303);
    let page = app
        .get_page(r.headers()["location"].to_str().unwrap())
        .await;
    assert!(
        page.text("[role=status]")
            .contains("Die Mitgliedschaft wurde gelöscht.")
    );
    assert_eq!(page.count("#member-list > li"), 1);
}
