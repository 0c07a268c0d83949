//! Art. 17: erasing a person removes every mention of them from every
//! column the classification register marks as personal or free text (or
//! the register says why a column is kept), and the public pages, search
//! and HSDS show nothing of them at once.

use crate::helpers::{TestApp, TestDb};
use crate::on_both_databases;
use msohub_store::classification::{ERASURE, Erasure};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

on_both_databases!(erasure_reaches_every_column_the_register_names);

const NAME: &str = "Mira Kowalczyk";
const EMAIL: &str = "mira.k@example.org";
const PHONE: &str = "0521 445566";

/// Columns holding JSON: planted through the API (appending text would make
/// them unreadable), not by SQL.
const JSON_COLUMNS: &[(&str, &str)] = &[
    ("audit_log", "before"),
    ("audit_log", "after"),
    ("offer", "translations"),
    ("event", "translations"),
    ("report_text", "narratives"),
];

fn sql(backend: DbBackend, text: &str) -> String {
    // `?` placeholders for SQLite, `$n` for PostgreSQL.
    if backend != DbBackend::Postgres {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut n = 0;
    for c in text.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}

async fn mentions(db: &sea_orm::DatabaseConnection, table: &str, column: &str) -> i64 {
    let backend = db.get_database_backend();
    let mut total = 0;
    for needle in ["kowalczyk", "mira.k@example.org", "0521 445566"] {
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                sql(
                    backend,
                    &format!(
                        "SELECT COUNT(*) AS n FROM {table} WHERE lower(CAST({column} AS TEXT)) LIKE ?"
                    ),
                ),
                [format!("%{needle}%").into()],
            ))
            .await
            .unwrap()
            .unwrap();
        total += row.try_get::<i64>("", "n").unwrap();
    }
    total
}

async fn erasure_reaches_every_column_the_register_names(db: TestDb) {
    let app = TestApp::spawn_with(db, true).await;
    app.sign_in("admin").await;
    let mention = format!(" – {NAME} ({EMAIL}, {PHONE})");
    let person = app.created("/api/v1/persons",
        json!({"given_name": "Mira", "family_name": "Kowalczyk", "email": EMAIL, "phone": PHONE}),
    )
    .await;
    let pid = person["id"].as_str().unwrap().to_owned();

    // Through the API: a listed organisation that shows its description,
    // with an offer and an event naming her (translations included), and
    // the report's narrative.
    let org = app.created("/api/v1/organisations", json!({"name": "Nachbarschaftsverein Nord", "kind": "mso", "is_public": true, "public_parts": ["description", "contact"], "description": format!("Ansprechpartnerin: {NAME}"), "email": EMAIL})).await;
    let oid = org["id"].as_str().unwrap().to_owned();
    app.created("/api/v1/offers", json!({"organisation_id": oid, "title": "Hausaufgabenhilfe Nord", "category": "counselling", "description": format!("Mit {NAME}"), "registration_required": true, "registration_how": format!("Anmeldung bei {EMAIL}"), "is_public": true, "translations": {"en": {"title": "Homework help", "description": format!("With {NAME}")}}})).await;
    app.created("/api/v1/events", json!({"title": "Nordfest", "starts_at": "2030-06-01T15:00", "mode": "in_person", "place": "Park", "organisers": [oid], "is_public": true, "description": format!("Moderation: {NAME}"), "translations": {"en": {"title": "North fest", "description": format!("Host: {NAME}")}}})).await;
    let periods: Value = app.get("/api/v1/periods").await.json().await.unwrap();
    let period = periods["items"][0]["id"].as_str().unwrap().to_owned();
    let report: Value = app
        .get(&format!("/api/v1/periods/{period}/report"))
        .await
        .json()
        .await
        .unwrap();
    let mut narratives = serde_json::Map::new();
    if let Some(t) = report["targets"].as_array().and_then(|a| a.first()) {
        narratives.insert(
            t["target"]["id"].as_str().unwrap().to_owned(),
            json!(format!("Mit {NAME}.")),
        );
    }
    let r = app
        .client
        .put(app.url(&format!("/api/v1/periods/{period}/report/texts")))
        .json(
            &json!({"version": report["texts_version"], "narratives": narratives, "author": NAME}),
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());

    // By SQL: one row of every other scrubbed text column mentions her;
    // a pending message to her waits in the outbox; two staged uploads.
    let db = app.database().await;
    let backend = db.get_database_backend();
    let mut planted = Vec::new();
    for (table, key, columns) in ERASURE {
        for (column, rule) in *columns {
            if *rule != Erasure::Scrub || JSON_COLUMNS.contains(&(*table, *column)) {
                continue;
            }
            let update = format!(
                "UPDATE {table} SET {column} = COALESCE({column}, '') || ? \
                 WHERE {key} IN (SELECT {key} FROM {table} ORDER BY {key} LIMIT 1)"
            );
            let done = db
                .execute_raw(Statement::from_sql_and_values(
                    backend,
                    sql(backend, &update),
                    [mention.clone().into()],
                ))
                .await
                .unwrap_or_else(|e| panic!("{table}.{column}: {e}"));
            if done.rows_affected() > 0 {
                planted.push(format!("{table}.{column}"));
            }
        }
    }
    let now = chrono::Utc::now();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(backend, "INSERT INTO outbox (id, meeting_id, to_address, subject, body_text, ics, status, attempts, last_error, next_attempt_at, sent_at, created_at) VALUES (?, NULL, ?, 'Einladung', ?, '', 'pending', 0, '', ?, NULL, ?)"),
        [uuid::Uuid::now_v7().into(), EMAIL.into(), format!("Liebe {NAME}, …").into(), now.into(), now.into()],
    ))
    .await
    .unwrap();
    for (name, data) in [
        ("mitglieder.csv", format!("Name;E-Mail\n{NAME};{EMAIL}\n")),
        ("andere.csv", "Name\nJemand\n".to_owned()),
    ] {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            sql(backend, "INSERT INTO import_upload (id, entity, file_name, size, data, user_id, created_at) VALUES (?, 'persons', ?, ?, ?, NULL, ?)"),
            [uuid::Uuid::now_v7().into(), name.into(), (data.len() as i64).into(), data.into_bytes().into(), now.into()],
        ))
        .await
        .unwrap();
    }
    for expected in [
        "offer.description",
        "event.description",
        "event.cancel_reason",
        "body.purpose",
        "target.description",
        "report_text.introduction",
        "task.notes",
        "interaction.notes",
        "meeting.minutes",
        "organisation.internal_notes",
    ] {
        assert!(
            planted.iter().any(|p| p == expected),
            "{expected} not planted: {planted:?}"
        );
    }

    // The public sees her now (and the caches keep the pages).
    let public = crate::helpers::new_client();
    let public_get = |path: &str| {
        let (c, url) = (public.clone(), app.url(path));
        async move { c.get(url).send().await.unwrap().text().await.unwrap() }
    };
    assert!(
        public_get("/de/search?q=Kowalczyk")
            .await
            .contains("Nachbarschaftsverein Nord")
    );
    assert!(
        public_get("/api/v1/hsds/organizations?per_page=500")
            .await
            .contains(EMAIL)
    );
    assert!(
        public_get(&format!("/de/organisations/{oid}"))
            .await
            .contains("Kowalczyk")
    );

    let erased = app
        .created(
            &format!("/api/v1/persons/{pid}/erase"),
            json!({"reason": format!("Antrag von {NAME} vom 1.12.")}),
        )
        .await;
    assert!(
        erased["mentions"].as_u64().unwrap() > planted.len() as u64 / 2,
        "{erased}"
    );

    // Every column the register scrubs is free of her, in every row.
    for (table, _, columns) in ERASURE {
        for (column, rule) in *columns {
            if matches!(rule, Erasure::Scrub | Erasure::Anonymised) {
                assert_eq!(
                    mentions(&db, table, column).await,
                    0,
                    "{table}.{column} still mentions her"
                );
            }
        }
    }
    assert_eq!(mentions(&db, "import_upload", "file_name").await, 0);
    let uploads = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COUNT(*) AS n FROM import_upload",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(
        uploads, 0,
        "staged uploads are discarded (a spreadsheet's compressed contents cannot be searched)"
    );
    // (The demo's own pending mails, to its representatives, stay.)
    let pending = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending' AND (lower(to_address) = ? OR body_text LIKE ?)",
            ),
            [EMAIL.to_lowercase().into(), format!("%{NAME}%").into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(pending, 0, "nothing is sent to her any more");

    // At once, caches included: the public search does not find her, the
    // organisation's page and HSDS do not name her.
    let search = public_get("/de/search?q=Kowalczyk").await;
    assert!(
        !search.contains("Nachbarschaftsverein Nord"),
        "still found by her name"
    );
    assert!(!search.to_lowercase().contains("kowalczyk") || search.contains("value=\"Kowalczyk\""));
    let hsds = public_get("/api/v1/hsds/organizations?per_page=500").await;
    assert!(!hsds.contains(EMAIL) && !hsds.contains("Kowalczyk"));
    let page = public_get(&format!("/de/organisations/{oid}")).await;
    assert!(!page.contains("Kowalczyk") && !page.contains(EMAIL));
    let feed = public_get("/feeds/events.ics").await;
    assert!(!feed.contains("Kowalczyk"));
}
