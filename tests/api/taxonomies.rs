//! Vocabularies admins manage: add terms, change labels, retire without
//! losing what records carry; bad input and stale edits change nothing.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;

on_both_databases!(admins_add_relabel_and_retire_terms, terms_through_the_api,);

async fn admins_add_relabel_and_retire_terms(app: TestApp) {
    app.sign_in("admin").await;
    let page = app.get_page("/app/admin/taxonomies").await;
    assert_eq!(page.status, 200);
    assert!(page.text("#terms-topic").contains("culture"));

    // Bad codes and missing labels are named at their fields.
    for (code, rule_text) in [
        ("Sport!", "Nur Kleinbuchstaben"),
        ("culture", "bereits vergeben"),
    ] {
        let r = app
            .post_form(
                "/app/admin/taxonomies/topic",
                &[("code", code), ("label_de", ""), ("label_en", "Sport")],
            )
            .await;
        let page = Page::from_response(r).await;
        assert_eq!(page.status, 422, "{code}");
        assert!(page.text("#code-error").contains(rule_text), "{code}");
        assert!(page.text("#label_de-error").contains("Bitte ausfüllen"));
    }
    let r = app
        .post_form(
            "/app/admin/taxonomies/topic",
            &[
                ("code", "sport"),
                ("label_de", "Sport und Bewegung"),
                ("label_en", "Sport and exercise"),
            ],
        )
        .await;
    assert_eq!(
        r.headers()["location"],
        "/app/admin/taxonomies?done=term-added"
    );
    let form = app.get_page("/app/organisations/new").await;
    assert_eq!(form.count("input[name=topics][value=sport]"), 1);

    // An organisation carries the term …
    let r = app
        .post_form(
            "/app/organisations",
            &[
                ("name", "SV Lindenau-Nord"),
                ("kind", "mso"),
                ("topics", "sport"),
                ("version", "0"),
            ],
        )
        .await;
    let org = r.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();

    // … and the term is retired: no longer offered, still shown and kept.
    let edit = app.get_page("/app/admin/taxonomies/topic/sport").await;
    let version = edit.attr("input[name=version]", "value");
    let r = app
        .post_form(
            "/app/admin/taxonomies/topic/sport",
            &[
                ("label_de", "Sport"),
                ("label_en", "Sport"),
                ("retired", "true"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(r.headers()["location"], "/app/admin/taxonomies?done=saved");
    let list = app.get_page("/app/admin/taxonomies").await;
    assert!(list.text("#terms-topic").contains("stillgelegt"));
    let form = app.get_page("/app/organisations/new").await;
    assert_eq!(form.count("input[name=topics][value=sport]"), 0);
    let edit_org = app.get_page(&format!("{org}/edit")).await;
    assert_eq!(
        edit_org.count("input[name=topics][value=sport][checked]"),
        1
    );
    let profile = app.get_page(&org).await;
    assert!(profile.text("#profile").contains("Sport"));

    // A stale edit shows the current state and changes nothing.
    let r = app
        .post_form(
            "/app/admin/taxonomies/topic/sport",
            &[
                ("label_de", "Fußball"),
                ("label_en", "Football"),
                ("version", &version),
            ],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(page.text("#error-summary").contains("inzwischen geändert"));
    assert_eq!(page.attr("#label_de", "value"), "Sport");
    let log: serde_json::Value = app
        .get("/api/v1/audit-log?entity_type=taxonomy_term")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["items"].as_array().unwrap().len(), 2);
}

async fn terms_through_the_api(app: TestApp) {
    app.sign_in("admin").await;
    let r = app
        .client
        .post(app.url("/api/v1/taxonomies/target_group"))
        .json(&serde_json::json!({"code": "elderly_migrants", "label_de": "Ältere Menschen", "label_en": "Older people"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let term: serde_json::Value = r.json().await.unwrap();
    assert_eq!(term["version"], 1);
    let r = app
        .client
        .post(app.url("/api/v1/taxonomies/target_group"))
        .json(&serde_json::json!({"code": "elderly_migrants", "label_de": "x", "label_en": "y"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let problem: serde_json::Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "code");
    assert_eq!(problem["errors"][0]["rule"], "taken");
    let patch = |version: i64| {
        app.client
            .patch(app.url("/api/v1/taxonomies/target_group/elderly_migrants"))
            .json(&serde_json::json!({"label_de": "Seniorinnen und Senioren", "label_en": "Seniors", "version": version}))
            .send()
    };
    assert_eq!(patch(1).await.unwrap().status(), 200);
    assert_eq!(patch(1).await.unwrap().status(), 409);
    let r = app.get("/api/v1/taxonomies/unknown").await;
    assert_eq!(r.status(), 404);

    let (staff, _) = app.signed_in("staff").await;
    let terms: serde_json::Value = staff
        .get(app.url("/api/v1/taxonomies/target_group"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let term = terms
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "elderly_migrants")
        .unwrap();
    assert_eq!(term["label_de"], "Seniorinnen und Senioren");
    let r = staff
        .post(app.url("/api/v1/taxonomies/target_group"))
        .json(&serde_json::json!({"code": "youth2", "label_de": "x", "label_en": "y"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}
