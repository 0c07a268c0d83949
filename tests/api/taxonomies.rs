//! Vocabularies admins manage: add terms, change labels, retire without
//! losing what records carry; bad input and stale edits change nothing.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;

on_both_databases!(
    admins_add_relabel_and_retire_terms,
    terms_through_the_api,
    terms_have_labels_in_six_languages,
);

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

async fn terms_have_labels_in_six_languages(app: TestApp) {
    app.sign_in("admin").await;
    // A new term with Turkish and Arabic labels; Russian and Ukrainian left
    // empty.
    let r = app
        .post_form(
            "/app/admin/taxonomies/topic",
            &[
                ("code", "sport"),
                ("label_de", "Sport"),
                ("label_en", "Sports"),
                ("label_tr", "Spor ve hareket"),
                ("label_ar", "رياضة"),
                ("label_ru", " "),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // The list marks what is missing, by the languages' names; a built-in
    // term has the shipped translations.
    let page = app.get_page("/app/admin/taxonomies").await;
    let row = page.text("#terms-topic tr[data-term=sport]");
    assert!(
        row.contains("Spor ve hareket") && row.contains("رياضة"),
        "{row}"
    );
    assert_eq!(
        page.text("#terms-topic tr[data-term=sport] .term-untranslated"),
        "nicht übersetzt: Russisch, Ukrainisch"
    );
    assert_eq!(
        page.count("#terms-topic tr[data-term=education] .term-untranslated"),
        0
    );
    assert!(
        page.text("#terms-topic tr[data-term=education]")
            .contains("Eğitim")
    );
    // The form has all six, the shipped translation as a hint.
    let form = app.get_page("/app/admin/taxonomies/topic/education").await;
    for name in [
        "label_de", "label_en", "label_tr", "label_ar", "label_ru", "label_uk",
    ] {
        assert_eq!(
            form.count(&format!("#term-form input[name={name}]")),
            1,
            "{name}"
        );
    }
    assert_eq!(form.attr("#label_ar", "dir"), "rtl");
    assert!(form.text("#label_tr-hint").contains("Eğitim"));
    assert_eq!(form.attr("#label_tr", "value"), "");
    // Too long is refused at its field and changes nothing.
    let long = "x".repeat(201);
    let r = app
        .post_form(
            "/app/admin/taxonomies/topic/sport",
            &[
                ("label_de", "Sport"),
                ("label_en", "Sports"),
                ("label_uk", &long),
                ("version", "1"),
            ],
        )
        .await;
    let page = crate::helpers::Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert_eq!(page.count("#label_uk-error"), 1);

    // The API shows and takes them (empty: none).
    let terms = app.get_json("/api/v1/taxonomies/topic").await;
    let sport = terms
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "sport")
        .unwrap()
        .clone();
    assert_eq!(sport["label_tr"], "Spor ve hareket");
    assert_eq!(sport["label_ar"], "رياضة");
    assert_eq!(sport["label_ru"], serde_json::Value::Null);
    let r = app
        .client
        .patch(app.url("/api/v1/taxonomies/topic/sport"))
        .json(
            &serde_json::json!({"label_de": "Sport", "label_en": "Sports",
            "label_tr": "Spor", "label_ar": "رياضة", "label_uk": "Спорт", "version": 1}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let changed: serde_json::Value = r.json().await.unwrap();
    assert_eq!(changed["label_tr"], "Spor");
    assert_eq!(changed["label_uk"], "Спорт");
    assert_eq!(changed["label_ru"], serde_json::Value::Null);
    // An office's own translation of a built-in term wins over the shipped.
    let r = app
        .client
        .patch(app.url("/api/v1/taxonomies/topic/education"))
        .json(
            &serde_json::json!({"label_de": "Bildung", "label_en": "Education",
            "label_tr": "Eğitim ve öğretim", "version": 1}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // The public directory shows the stored labels, else the shipped ones,
    // else German.
    let org = app
        .created(
            "/api/v1/organisations",
            serde_json::json!({"name": "Sportverein Anadolu", "kind": "mso",
                "topics": ["sport", "education", "culture"], "is_public": true,
                "public_parts": ["languages"]}),
        )
        .await;
    let id = org["id"].as_str().unwrap();
    let tr = public_facts(&app, "tr", id).await;
    assert!(
        tr.contains("Spor, Eğitim ve öğretim, Kültür"),
        "stored, stored, shipped: {tr}"
    );
    let ru = public_facts(&app, "ru", id).await;
    assert!(ru.contains("Sport, "), "German where nothing else: {ru}");
    let uk = public_facts(&app, "uk", id).await;
    assert!(uk.contains("Спорт"), "{uk}");
}

/// The facts an organisation's public page shows, in one language.
async fn public_facts(app: &TestApp, lang: &str, id: &str) -> String {
    let path = format!("/{lang}/organisations/{id}");
    let r = reqwest::Client::new()
        .get(app.url(&path))
        .send()
        .await
        .unwrap();
    let page = crate::helpers::Page::from_response(r).await;
    assert_eq!(page.status, 200, "{path}");
    page.text("#org-facts")
}
