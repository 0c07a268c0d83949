//! The audit log page for people: each change a sentence naming who, when,
//! which record and which fields, the fields before and after, filters by
//! person; the API keeps its machine format.

use crate::helpers::{PASSWORD, TestApp, new_client};
use crate::on_both_databases;

on_both_databases!(
    an_edit_reads_as_a_sentence_with_names_and_field_labels,
    only_admins_and_auditors_read_the_log_page,
);

/// A staff account with a real name, its client signed in.
async fn named_staff(app: &TestApp, name: &str) -> (reqwest::Client, uuid::Uuid) {
    let email = format!("{}@ki-test.example", uuid::Uuid::now_v7().simple());
    let user = app
        .services
        .create_user(
            &msohub_service::Actor::cli(),
            msohub_service::accounts::NewUser {
                email: email.clone(),
                display_name: name.to_owned(),
                role: "staff".to_owned(),
                organisation_id: None,
                password: Some(PASSWORD.to_owned()),
                form_of_address: String::new(),
            },
        )
        .await
        .expect("fixture user");
    let client = new_client();
    let r = app.login_with(&client, &email, PASSWORD).await;
    assert_eq!(r.status(), 303);
    (client, user.0.id)
}

async fn an_edit_reads_as_a_sentence_with_names_and_field_labels(app: TestApp) {
    let (johanna, johanna_id) = named_staff(&app, "Johanna Lehmann").await;
    let (other, _) = named_staff(&app, "Ole Brandt").await;
    let r = johanna
        .post(app.url("/api/v1/organisations"))
        .json(
            &serde_json::json!({"name": "Elternverein Brücke", "kind": "mso", "phone": "0341 111"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let org: serde_json::Value = r.json().await.unwrap();
    let id = org["id"].as_str().unwrap().to_owned();
    let r = johanna
        .patch(app.url(&format!("/api/v1/organisations/{id}")))
        .json(&serde_json::json!({"version": 1, "phone": "0341 222", "description": "Hausaufgabenhilfe & Elterncafé"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Someone else's change, for the person filter.
    let r = other
        .post(app.url("/api/v1/organisations"))
        .json(&serde_json::json!({"name": "Chor Lindenau", "kind": "mso"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    app.sign_in("auditor").await;
    let page = app.get_page("/app/audit?entity_type=organisation").await;
    assert_eq!(page.status, 200);
    let sentences = page.texts("#audit .audit-sentence");
    let edit = sentences
        .iter()
        .find(|s| s.contains("geändert"))
        .unwrap_or_else(|| panic!("{sentences:?}"));
    assert!(
        edit.starts_with("Johanna Lehmann hat am ")
            && edit.contains(" die Organisation „Elternverein Brücke“ geändert: ")
            && edit.contains("Telefon")
            && edit.contains("Beschreibung"),
        "{edit}"
    );
    assert!(!edit.contains(&johanna_id.to_string()), "a name, not an id");
    // The local time: the entry's minute in Berlin.
    let local = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Berlin)
        .format("%d.%m.%Y")
        .to_string();
    assert!(edit.contains(&format!("am {local} um ")), "{edit}");
    // The record's name links to it while it exists.
    let edited = "#audit .audit-entry[data-action='update'] a.audit-record";
    assert_eq!(
        page.attr(edited, "href"),
        format!("/app/organisations/{id}")
    );
    // The changed fields before and after: the old one struck, the new one
    // inserted, each named for screen readers.
    let rows = page.texts("#audit .audit-entry[data-action='update'] .audit-changes tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    let phone = rows.iter().find(|r| r.contains("Telefon")).unwrap();
    assert!(
        phone.contains("0341 111") && phone.contains("0341 222"),
        "{phone}"
    );
    assert_eq!(
        page.texts("#audit .audit-entry[data-action='update'] del")
            .concat(),
        "Vorher: 0341 111"
    );
    assert_eq!(
        page.count("#audit .audit-entry[data-action='update'] ins .kern-sr-only"),
        2
    );
    // The raw entry is one click away.
    assert_eq!(
        page.count("#audit .audit-entry[data-action='update'] details.audit-raw pre.json"),
        2
    );

    // The person filter: a select of accounts by name; only their entries.
    let options = page.texts("select#user option");
    assert!(
        options.iter().any(|o| o == "Johanna Lehmann"),
        "{options:?}"
    );
    let page = app
        .get_page(&format!(
            "/app/audit?user={johanna_id}&entity_type=organisation"
        ))
        .await;
    let sentences = page.texts("#audit .audit-sentence");
    assert_eq!(sentences.len(), 2, "{sentences:?}");
    assert!(sentences.iter().all(|s| s.starts_with("Johanna Lehmann ")));
    assert!(!sentences.iter().any(|s| s.contains("Chor Lindenau")));
    assert_eq!(
        page.attr(
            &format!("select#user option[value='{johanna_id}']"),
            "selected"
        ),
        ""
    );
    // The API keeps its machine format.
    let api = app
        .get_json(&format!(
            "/api/v1/audit-log?actor_id={johanna_id}&entity_type=organisation"
        ))
        .await;
    let items = api["items"].as_array().unwrap();
    assert_eq!(items[0]["action"], "update");
    assert_eq!(items[0]["entity_id"], id.as_str());
    assert_eq!(items[0]["after"]["phone"], "0341 222");
}

async fn only_admins_and_auditors_read_the_log_page(app: TestApp) {
    let (staff, _) = app.signed_in("staff").await;
    let r = staff.get(app.url("/app/audit")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = staff
        .get(app.url("/api/v1/audit-log"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let (admin, _) = app.signed_in("admin").await;
    let r = admin.get(app.url("/app/audit")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}
