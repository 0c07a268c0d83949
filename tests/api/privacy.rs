//! Data protection: subject access (JSON and PDF) gathers everything about
//! a person; erasure anonymises them everywhere while counts stay; expiring
//! consents become follow-ups; people nothing ties to the office are
//! listed for deletion.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;
use sea_orm::ConnectionTrait;
use serde_json::json;

fn day(offset: i64) -> String {
    (msohub_service::time::today() + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

on_both_databases!(subject_access_erasure_and_retention);

async fn subject_access_erasure_and_retention(app: TestApp) {
    app.sign_in("admin").await;
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Verein Brücke", "kind": "mso",
        "internal_notes": "Kontakt über Ayşe Yılmaz"}),
        )
        .await;
    let org_id = org["id"].as_str().unwrap().to_owned();
    let ayse = app.created("/api/v1/persons", json!({"given_name": "Ayşe", "family_name": "Yılmaz",
        "email": "ayse@example.org", "phone": "0341 987654", "languages": "tr, de", "notes": "spricht Türkisch"})).await;
    let id = ayse["id"].as_str().unwrap().to_owned();
    app.created(
        &format!("/api/v1/persons/{id}/affiliations"),
        json!({"organisation_id": org_id, "role": "Vorsitzende"}),
    )
    .await;
    app.created(&format!("/api/v1/persons/{id}/consents"), json!({"purpose": "contact", "given_on": day(-300), "source": "Formular", "expires_on": day(10)})).await;
    let contact = app.created("/api/v1/interactions", json!({"subject": "Besuch bei Ayşe Yılmaz", "kind": "visit", "mode": "in_person",
        "status": "held", "starts_at": format!("{}T10:00", day(-3)), "organisations": [org_id], "persons": [id],
        "notes": "AYŞE Yılmaz (ayse@example.org, 0341 987654) wünscht Förderberatung."})).await;
    app.created(
        "/api/v1/offers",
        json!({"organisation_id": org_id, "title": "Sprechstunde", "category": "counselling",
        "contact_person_id": id}),
    )
    .await;
    // A person nothing has tied to the office for three years.
    let old = app
        .created(
            "/api/v1/persons",
            json!({"given_name": "Otto", "family_name": "Alt"}),
        )
        .await;
    let old_id = old["id"].as_str().unwrap().to_owned();
    let db = app.database().await;
    let backend = db.get_database_backend();
    let three_years_ago = chrono::Utc::now() - chrono::Duration::days(3 * 365);
    let sql = match backend {
        sea_orm::DbBackend::Postgres => "UPDATE person SET updated_at = $1 WHERE id = $2",
        _ => "UPDATE person SET updated_at = ? WHERE id = ?",
    };
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        sql,
        [
            three_years_ago.into(),
            uuid::Uuid::parse_str(&old_id).unwrap().into(),
        ],
    ))
    .await
    .unwrap();

    // Subject access: every section, as JSON and as PDF.
    let access = app
        .get_json(&format!("/api/v1/persons/{id}/subject-access"))
        .await;
    assert_eq!(access["person"]["email"], "ayse@example.org");
    assert_eq!(access["affiliations"][0]["role"], "Vorsitzende");
    assert_eq!(access["consents"][0]["purpose"], "contact");
    assert_eq!(access["contacts"][0]["subject"], "Besuch bei Ayşe Yılmaz");
    assert_eq!(access["offers"][0]["title"], "Sprechstunde");
    assert!(
        access["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["action"] == "create")
    );
    let r = app
        .client
        .get(app.url(&format!("/api/v1/persons/{id}/subject-access?format=pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    let text = msohub_typeset::pdf_text(&pdf).unwrap();
    assert!(text.contains("Art. 15"), "{text}");
    assert!(
        text.contains("Vorsitzende") && text.contains("Sprechstunde"),
        "{text}"
    );
    let r = app
        .client
        .get(app.url(&format!("/api/v1/persons/{id}/subject-access?format=xml")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);

    // Retention: the consent ends in ten days; reminders are created once.
    let retention = app.get_json("/api/v1/privacy/retention").await;
    assert_eq!(retention["expiring"][0]["person_name"], "Ayşe Yılmaz");
    assert_eq!(retention["expiring"][0]["has_follow_up"], false);
    let candidates: Vec<&str> = retention["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(candidates, vec!["Otto Alt"]);
    assert_eq!(
        app.created("/api/v1/privacy/reminders", json!({})).await["created"],
        1
    );
    assert_eq!(
        app.created("/api/v1/privacy/reminders", json!({})).await["created"],
        0
    );
    assert_eq!(
        app.get_json("/api/v1/privacy/retention").await["expiring"][0]["has_follow_up"],
        true
    );
    let r = app
        .client
        .get(app.url("/api/v1/privacy/retention?months=0"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);

    // Erasure: staff may not; a reason is required; then everything that
    // identifies her is gone, the links that count stay.
    let (staff, _) = app.signed_in("staff").await;
    let r = staff
        .post(app.url(&format!("/api/v1/persons/{id}/erase")))
        .json(&json!({"reason": "Antrag"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = app
        .client
        .post(app.url(&format!("/api/v1/persons/{id}/erase")))
        .json(&json!({"reason": " "}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let erased = app
        .created(
            &format!("/api/v1/persons/{id}/erase"),
            json!({"reason": "Antrag von Ayşe Yılmaz nach Art. 17 vom 3.11.2026"}),
        )
        .await;
    assert!(erased["mentions"].as_u64().unwrap() >= 3, "{erased}");
    let person = app.get_json(&format!("/api/v1/persons/{id}")).await;
    assert_eq!(
        (
            person["given_name"].as_str(),
            person["family_name"].as_str()
        ),
        (Some("Gelöschte"), Some("Person"))
    );
    assert!(person["email"].is_null() && person["phone"].is_null());
    assert_eq!(person["notes"], "");
    assert!(person["affiliations"].as_array().unwrap().is_empty());
    let contact = app
        .get_json(&format!(
            "/api/v1/interactions/{}",
            contact["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(contact["subject"], "Besuch bei [gelöscht]");
    assert_eq!(
        contact["notes"],
        "[gelöscht] ([gelöscht], [gelöscht]) wünscht Förderberatung."
    );
    assert_eq!(
        contact["persons"].as_array().unwrap().len(),
        1,
        "the contact still counts her"
    );
    let org = app
        .get_json(&format!("/api/v1/organisations/{org_id}"))
        .await;
    assert_eq!(org["internal_notes"], "Kontakt über [gelöscht]");
    let offers = app.get_json("/api/v1/offers").await;
    assert!(offers["items"][0]["contact_person_id"].is_null());
    // Nothing in the whole database still holds her name or address.
    for (table, columns) in [
        ("audit_log", "COALESCE(before, '') || COALESCE(after, '')"),
        ("person", "given_name || family_name"),
        ("interaction", "subject || notes"),
        ("task", "title || notes"),
        ("organisation", "internal_notes"),
    ] {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM {table} WHERE {columns} LIKE '%Yılmaz%' OR {columns} LIKE '%ayse@example%'"
        );
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(backend, sql))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.try_get::<i64>("", "n").unwrap(),
            0,
            "{table} still mentions her"
        );
    }
    // The audit log has the erasure with its reason, without the values.
    let history = app
        .get_json(&format!("/api/v1/persons/{id}/subject-access"))
        .await;
    assert!(
        history["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["action"] == "erase")
    );
    let r = app
        .client
        .post(app.url(&format!("/api/v1/persons/{id}/erase")))
        .json(&json!({"reason": "nochmal"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "erased once");
    assert!(
        app.get_json("/api/v1/privacy/retention").await["expiring"]
            .as_array()
            .unwrap()
            .is_empty(),
        "an erased person's consents do not remind"
    );
}

on_both_databases!(the_data_protection_pages);

async fn the_data_protection_pages(app: TestApp) {
    app.sign_in("admin").await;
    let p = app
        .created(
            "/api/v1/persons",
            json!({"given_name": "Rana", "family_name": "Haddad", "email": "rana@example.org"}),
        )
        .await;
    let id = p["id"].as_str().unwrap().to_owned();
    app.created(&format!("/api/v1/persons/{id}/consents"), json!({"purpose": "contact", "given_on": day(-30), "source": "Formular", "expires_on": day(5)})).await;
    let page = app.get_page(&format!("/app/persons/{id}")).await;
    assert_eq!(
        page.attr("#privacy-link", "href"),
        format!("/app/persons/{id}/privacy")
    );
    let page = app.get_page(&format!("/app/persons/{id}/privacy")).await;
    assert!(page.text("h1").contains("Rana Haddad"));
    assert_eq!(page.count("#erase-form"), 1);
    let r = app
        .get(&format!("/app/persons/{id}/privacy/export.json"))
        .await;
    assert_eq!(
        r.headers()["content-disposition"],
        format!("attachment; filename=\"auskunft-{id}.json\"; filename*=UTF-8''auskunft-{id}.json")
    );
    let r = app
        .get(&format!("/app/persons/{id}/privacy/export.pdf"))
        .await;
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
    // Staff see the access, not the erase form.
    let (staff, _) = app.signed_in("staff").await;
    let page = Page::from_response(
        staff
            .get(app.url(&format!("/app/persons/{id}/privacy")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(page.count("#erase-form"), 0);
    assert_eq!(page.count("#erase-unavailable"), 1);
    // The retention page lists the consent; reminders are created.
    let page = app.get_page("/app/privacy").await;
    assert!(page.text("#expiring").contains("Rana Haddad"));
    let r = app
        .post_form("/app/privacy/reminders", &[("days", "30")])
        .await;
    assert_eq!(r.status(), 303);
    let page = app
        .get_page(r.headers()["location"].to_str().unwrap())
        .await;
    assert!(page.text("#created").contains('1'), "{}", page.text("main"));
    assert!(page.text("#expiring").contains("angelegt"));
    // The server's hourly run finds nothing left to do; for a new consent
    // it creates the follow-up itself, for the administrator.
    assert_eq!(
        app.services
            .remind_expiring_consents_automatically()
            .await
            .unwrap(),
        0
    );
    let q = app
        .created(
            "/api/v1/persons",
            json!({"given_name": "Karim", "family_name": "Said"}),
        )
        .await;
    app.created(&format!("/api/v1/persons/{}/consents", q["id"].as_str().unwrap()), json!({"purpose": "contact", "given_on": day(-30), "source": "Formular", "expires_on": day(20)})).await;
    assert_eq!(
        app.services
            .remind_expiring_consents_automatically()
            .await
            .unwrap(),
        1
    );
    let tasks = app.get_json("/api/v1/tasks?link_type=person").await;
    assert!(tasks.to_string().contains("läuft am"), "{tasks}");
    // Erasing needs the confirmation, then works.
    let r = app
        .post_form(&format!("/app/persons/{id}/erase"), &[("reason", "Antrag")])
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_form(
            &format!("/app/persons/{id}/erase"),
            &[("reason", "Antrag"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = app
        .get_page(r.headers()["location"].to_str().unwrap())
        .await;
    assert_eq!(page.count("#erased"), 1);
    assert!(page.text("h1").contains("Gelöschte Person"));
    assert_eq!(page.count("#erase-form"), 0);
}
