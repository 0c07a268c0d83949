//! Targets count what happened when it happened: needs carry the day the
//! office learnt of them and the day they were resolved, metrics count by
//! those days, and every figure is exact at any size (more rows than any
//! former limit).

use crate::helpers::TestApp;
use crate::on_both_databases;
use chrono::{TimeZone, Utc};
use sea_orm::TransactionTrait;
use serde_json::{Value, json};

on_both_databases!(
    needs_have_dates_and_bad_dates_change_nothing,
    needs_count_by_their_own_dates,
    figures_are_exact_beyond_every_former_limit,
    last_years_needs_are_imported_and_exported_with_their_days,
    needs_recorded_before_the_upgrade_get_their_days_from_the_records,
);

/// PATCHes a need and insists on success.
async fn patched(app: &TestApp, id: &str, body: Value) -> Value {
    let (status, v) = app
        .send_json(reqwest::Method::PATCH, &format!("/api/v1/needs/{id}"), body)
        .await;
    assert_eq!(status, 200, "{v}");
    v
}

async fn need(app: &TestApp, body: Value) -> (u16, Value) {
    app.post_json("/api/v1/needs", body).await
}

async fn needs_have_dates_and_bad_dates_change_nothing(app: TestApp) {
    app.sign_in("staff").await;
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Verein", "kind": "mso"}),
        )
        .await;
    let oid = org["id"].as_str().unwrap().to_owned();
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Berlin)
        .date_naive()
        .to_string();
    // Learnt in a contact: raised on the contact's day.
    let visit = app.created("/api/v1/interactions", json!({"subject": "Besuch", "kind": "visit", "mode": "in_person", "status": "held", "starts_at": "2025-03-04T10:00", "organisations": [oid]})).await;
    let n = app.created("/api/v1/needs", json!({"organisation_id": oid, "category": "rooms", "description": "Raum", "source": "interaction", "source_interaction_id": visit["id"], "status": "open"})).await;
    assert_eq!(n["raised_on"], "2025-03-04");
    assert_eq!(n["resolved_on"], Value::Null);
    let id = n["id"].as_str().unwrap().to_owned();
    // Addressed without a day: today.
    let n = patched(&app, &id, json!({"organisation_id": oid, "category": "rooms", "description": "Raum", "source": "interaction", "source_interaction_id": visit["id"], "status": "addressed", "outcome": "Raum im Bürgerhaus", "raised_on": "2025-03-04", "version": n["version"]})).await;
    assert_eq!(n["resolved_on"], today.as_str());
    // Back-entry: the real day, kept on the next save without a day.
    let n = patched(&app, &id, json!({"organisation_id": oid, "category": "rooms", "description": "Raum", "source": "interaction", "source_interaction_id": visit["id"], "status": "addressed", "outcome": "Raum im Bürgerhaus", "raised_on": "2025-03-04", "resolved_on": "2025-05-20", "version": n["version"]})).await;
    assert_eq!(n["resolved_on"], "2025-05-20");
    // Bad dates: a clear rule each, nothing saved.
    for (body, field, rule) in [
        (
            json!({"resolved_on": "2025-01-01"}),
            "resolved_on",
            "resolved-before-raised",
        ),
        (
            json!({"raised_on": "2150-01-01"}),
            "raised_on",
            "date-in-future",
        ),
        (
            json!({"resolved_on": "2150-01-01"}),
            "resolved_on",
            "date-in-future",
        ),
        (
            json!({"resolved_on": "20.05.2025x"}),
            "resolved_on",
            "date-invalid",
        ),
        (
            json!({"status": "open", "resolved_on": "2025-06-01"}),
            "resolved_on",
            "resolved-on-open",
        ),
    ] {
        let mut patch = body.clone();
        patch["version"] = n["version"].clone();
        let (status, problem) = app
            .send_json(
                reqwest::Method::PATCH,
                &format!("/api/v1/needs/{id}"),
                patch,
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(
            problem["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == field && e["rule"] == rule),
            "{body}: {problem}"
        );
    }
    let stored: Value = app.get_json(&format!("/api/v1/needs/{id}")).await;
    assert_eq!(stored["version"], n["version"]);
    assert_eq!(stored["resolved_on"], "2025-05-20");
    // Reopened (the form sends the old day back): the day goes.
    let n = patched(&app, &id, json!({"organisation_id": oid, "category": "rooms", "description": "Raum", "source": "other", "status": "open", "raised_on": "2025-03-04", "resolved_on": "2025-05-20", "version": n["version"]})).await;
    assert_eq!(n["resolved_on"], Value::Null);
    assert_eq!(n["raised_on"], "2025-03-04");
    // Without a source: raised today.
    let (status, n) = need(&app, json!({"organisation_id": oid, "category": "funding", "description": "Zuschuss", "source": "portal", "status": "open"})).await;
    assert_eq!(status, 201);
    assert_eq!(n["raised_on"], today.as_str());
    // The list filters by the days.
    let list = app
        .get_json("/api/v1/needs?raised_from=2025-01-01&raised_to=2025-12-31")
        .await;
    assert_eq!(list["total"], 1);
    let r = app.get("/api/v1/needs?raised_from=gestern").await;
    assert_eq!(r.status(), 422);
    // The page shows and filters by them too.
    let page = app
        .get_page("/app/needs?raised_from=2025-01-01&raised_to=2025-12-31")
        .await;
    assert_eq!(page.text("#result-count"), "Ein Bedarf");
    assert_eq!(page.attr("#raised_from", "value"), "2025-01-01");
    let page = app.get_page(&format!("/app/needs/{id}")).await;
    assert_eq!(page.text("#need-raised-on"), "04.03.2025");
}

async fn needs_count_by_their_own_dates(app: TestApp) {
    app.sign_in("staff").await;
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Verein", "kind": "mso"}),
        )
        .await;
    let oid = org["id"].as_str().unwrap().to_owned();
    let period = app
        .created(
            "/api/v1/periods",
            json!({"kind": "school_year", "year": "2024"}),
        )
        .await;
    let pid = period["id"].as_str().unwrap().to_owned();
    // Entered today, about last school year: they count there, not now.
    for (raised, resolved, source) in [
        ("2024-09-10", Some("2025-02-01"), "interaction"),
        ("2024-10-01", Some("2025-09-15"), "portal"),
        ("2025-06-30", None, "portal"),
        ("2023-05-01", Some("2024-07-20"), "other"),
    ] {
        let mut body = json!({"organisation_id": oid, "category": "rooms", "description": "Bedarf", "source": source, "status": "open", "raised_on": raised});
        if let Some(d) = resolved {
            body["status"] = json!("addressed");
            body["outcome"] = json!("erledigt");
            body["resolved_on"] = json!(d);
        }
        let (status, n) = need(&app, body).await;
        assert_eq!(status, 201, "{n}");
    }
    let target = |number: &str, metric: &str, sources: Value| json!({"period_id": pid, "number": number, "title": metric, "metric": metric, "wanted": "2", "sources": sources});
    let addressed = app
        .created("/api/v1/targets", target("1", "needs_addressed", json!([])))
        .await;
    assert_eq!(addressed["actual"], 1.0, "resolved 2025-02-01 only");
    let raised = app
        .created("/api/v1/targets", target("2", "needs_raised", json!([])))
        .await;
    assert_eq!(raised["actual"], 3.0);
    let own = app
        .created(
            "/api/v1/targets",
            target("3", "needs_raised", json!(["portal"])),
        )
        .await;
    assert_eq!(own["actual"], 2.0, "only those the organisations reported");
    assert!(
        own["records_href"]
            .as_str()
            .unwrap()
            .contains("raised_from=2024-08-01&raised_to=2025-07-31&source=portal")
    );
    let (status, bad) = app
        .post_json(
            "/api/v1/targets",
            target("4", "needs_raised", json!(["telepathy"])),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(bad["errors"][0]["field"], "sources");
}

async fn figures_are_exact_beyond_every_former_limit(app: TestApp) {
    app.sign_in("staff").await;
    let me: Value = app.get_json("/api/v1/me").await;
    let me: uuid::Uuid = me["id"].as_str().unwrap().parse().unwrap();
    let mso = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Verein", "kind": "mso"}),
        )
        .await;
    let other = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Amt", "kind": "public_body"}),
        )
        .await;
    let body = app
        .created(
            "/api/v1/bodies",
            json!({"name": "Integrationsrat", "kind": "integration_council"}),
        )
        .await;
    let period = app
        .created(
            "/api/v1/periods",
            json!({"kind": "school_year", "year": "2024"}),
        )
        .await;
    let pid = period["id"].as_str().unwrap().to_owned();
    let (mso, other, bid): (uuid::Uuid, uuid::Uuid, uuid::Uuid) = (
        mso["id"].as_str().unwrap().parse().unwrap(),
        other["id"].as_str().unwrap().parse().unwrap(),
        body["id"].as_str().unwrap().parse().unwrap(),
    );
    // 10,001 contacts with the MSO and 5 with a public body only (the
    // former limit was 10,000 rows); 1,001 meetings (the former limit was
    // 1,000), the office at every third one.
    let db = app.database().await;
    let tx = db.begin().await.unwrap();
    let start = Utc.with_ymd_and_hms(2024, 9, 2, 8, 0, 0).unwrap();
    for i in 0..10_006u32 {
        let at = start + chrono::Duration::minutes(i64::from(i) * 30);
        let row = msohub_store::work::InteractionRow {
            id: uuid::Uuid::now_v7(),
            kind: "visit".into(),
            mode: "in_person".into(),
            status: "held".into(),
            subject: format!("Besuch {i}"),
            starts_at: at,
            duration_minutes: None,
            cancel_reason: None,
            cancel_note: None,
            topics: "[]".into(),
            interfaces: "[]".into(),
            notes: String::new(),
            version: 1,
            deleted_at: None,
            created_by: None,
            created_at: at,
            updated_at: at,
        };
        let row = msohub_store::work::insert_interaction(&tx, row)
            .await
            .unwrap();
        let org = if i < 10_001 { mso } else { other };
        msohub_store::work::set_participants(
            &tx,
            row.id,
            &msohub_store::work::Participants {
                organisations: vec![org],
                persons: Vec::new(),
                staff: Vec::new(),
            },
        )
        .await
        .unwrap();
    }
    for i in 0..1_001u32 {
        let at = start + chrono::Duration::hours(i64::from(i) * 6);
        let row = msohub_store::bodies::MeetingRow {
            id: uuid::Uuid::now_v7(),
            body_id: bid,
            title: format!("Sitzung {i}"),
            starts_at: at,
            ends_at: None,
            mode: "in_person".into(),
            place: String::new(),
            video_link: String::new(),
            status: "held".into(),
            cancel_reason: String::new(),
            minutes: String::new(),
            minutes_status: "draft".into(),
            oparl_id: None,
            sequence: 0,
            version: 1,
            deleted_at: None,
            created_at: at,
            updated_at: at,
        };
        let row = msohub_store::bodies::insert_meeting(&tx, row)
            .await
            .unwrap();
        let mut attendance = vec![msohub_store::bodies::AttendanceRow {
            meeting_id: row.id,
            attendee: format!("o:{i}"),
            person_id: None,
            user_id: None,
            on_behalf_of: Some(if i == 0 { other } else { mso }),
            status: "present".into(),
            mode: "in_person".into(),
            updated_at: at,
        }];
        if i % 3 == 0 {
            attendance.push(msohub_store::bodies::AttendanceRow {
                meeting_id: row.id,
                attendee: format!("u:{me}"),
                person_id: None,
                user_id: Some(me),
                on_behalf_of: None,
                status: "present".into(),
                mode: "in_person".into(),
                updated_at: at,
            });
        }
        msohub_store::bodies::set_attendance(&tx, row.id, attendance)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let target = |number: &str, metric: &str| json!({"period_id": pid, "number": number, "title": metric, "metric": metric, "wanted": "1", "body_id": body["id"], "organisation_kinds": ["mso"]});
    let contacts = app
        .created("/api/v1/targets", target("1", "interactions"))
        .await;
    assert_eq!(contacts["actual"], 10_001.0);
    let held = app
        .created("/api/v1/targets", target("2", "meetings_held"))
        .await;
    assert_eq!(held["actual"], 1_001.0);
    let rate = app
        .created("/api/v1/targets", target("3", "staff_attendance_rate"))
        .await;
    // 334 of 1,001 meetings: 33.4 % (the first 1,000 alone gave 33.3).
    assert_eq!(rate["actual"], 33.4);
    let represented = app
        .created("/api/v1/targets", target("4", "organisations_represented"))
        .await;
    // The public body only at the oldest meeting, past the former limit.
    assert_eq!(represented["actual"], 2.0);
}

async fn last_years_needs_are_imported_and_exported_with_their_days(app: TestApp) {
    app.sign_in("staff").await;
    app.created(
        "/api/v1/organisations",
        json!({"name": "Elternverein Nord", "kind": "mso"}),
    )
    .await;
    // A spreadsheet kept last year, German headers and words, German days.
    let csv = "Verein;Bedarfskategorie;Bedarf;Quelle;Stand;Bekannt seit;Erledigt am;Ergebnis\r\n\
               Elternverein Nord;Räume;Raum für Hausaufgabenhilfe;Kontakt;gedeckt;12.09.2024;03.02.2025;Raum im Bürgerhaus\r\n\
               Elternverein Nord;Finanzierung und Fördermittel;Zuschuss für Fahrten;von der MSO;offen;01.10.2024;;\r\n";
    let post = |path: &str, body: &str| {
        app.client
            .post(app.url(path))
            .header("content-type", "application/octet-stream")
            .body(body.as_bytes().to_vec())
            .send()
    };
    let r = post("/api/v1/import/needs?file_name=bedarfe.csv&dry_run=1", csv)
        .await
        .unwrap();
    let status = r.status();
    let report: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["mapping"]["raised_on"], "Bekannt seit");
    assert_eq!(report["mapping"]["resolved_on"], "Erledigt am");
    assert_eq!(report["mapping"]["organisation_id"], "Verein");
    assert_eq!(report["create"], 2, "{report}");
    let r = post("/api/v1/import/needs?file_name=bedarfe.csv", csv)
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let needs = app.get_json("/api/v1/needs").await;
    let items = needs["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let room = items
        .iter()
        .find(|n| n["category"] == "rooms")
        .expect("the room need");
    assert_eq!(room["status"], "addressed");
    assert_eq!(room["source"], "interaction");
    assert_eq!(room["raised_on"], "2024-09-12");
    assert_eq!(room["resolved_on"], "2025-02-03");
    let fares = items.iter().find(|n| n["category"] == "funding").unwrap();
    assert_eq!(fares["source"], "portal");
    assert_eq!(fares["resolved_on"], Value::Null);
    // Importing the same file again updates, it does not double.
    let r = post("/api/v1/import/needs?file_name=bedarfe.csv&dry_run=1", csv)
        .await
        .unwrap();
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["update"], 2, "{report}");
    // A day before it was known: named at its row, nothing written.
    let bad = "Verein;Kategorie;Beschreibung;Status;Bekannt seit;Erledigt am;Ergebnis\r\n\
               Elternverein Nord;Räume;Neuer Raum;gedeckt;01.03.2025;01.02.2025;erledigt\r\n";
    let r = post("/api/v1/import/needs?file_name=b.csv", bad)
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let report: Value = r.json().await.unwrap();
    assert_eq!(
        report["problems"][0]["rule"], "resolved-before-raised",
        "{report}"
    );
    assert_eq!(app.get_json("/api/v1/needs").await["total"], 2);
    // Exported with both days.
    let r = app.get("/api/v1/export/needs?format=csv-standard").await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    let header = text.lines().next().unwrap();
    assert!(
        header.contains("raised_on") && header.contains("resolved_on"),
        "{header}"
    );
    assert!(text.contains("2024-09-12") && text.contains("2025-02-03"));
}

async fn needs_recorded_before_the_upgrade_get_their_days_from_the_records(app: TestApp) {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    use sea_orm_migration::MigratorTrait;
    app.sign_in("staff").await;
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Verein", "kind": "mso"}),
        )
        .await;
    let oid = org["id"].as_str().unwrap().to_owned();
    let visit = app.created("/api/v1/interactions", json!({"subject": "Besuch", "kind": "visit", "mode": "in_person", "status": "held", "starts_at": "2025-03-04T10:00", "organisations": [oid]})).await;
    let met = app.created("/api/v1/needs", json!({"organisation_id": oid, "category": "rooms", "description": "Raum", "source": "interaction", "source_interaction_id": visit["id"], "status": "open"})).await;
    let met_id = met["id"].as_str().unwrap().to_owned();
    let met = patched(
        &app,
        &met_id,
        json!({"status": "addressed", "outcome": "Raum gefunden", "version": met["version"]}),
    )
    .await;
    // A later correction of the text, status unchanged.
    patched(
        &app,
        &met_id,
        json!({"outcome": "Raum im Bürgerhaus gefunden", "version": met["version"]}),
    )
    .await;
    let open = app.created("/api/v1/needs", json!({"organisation_id": oid, "category": "funding", "description": "Zuschuss", "source": "other", "status": "open"})).await;
    // Back to the schema before the needs had days: the columns and the
    // record of their migration go.
    let db = app.database().await;
    for sql in [
        "DROP INDEX need_raised_on",
        "DROP INDEX need_resolved_on",
        "ALTER TABLE need DROP COLUMN raised_on",
        "ALTER TABLE need DROP COLUMN resolved_on",
        "DELETE FROM seaql_migrations WHERE version = 'm0017_dated_needs'",
    ] {
        db.execute_unprepared(sql).await.unwrap();
    }
    // The change that met the need was made on 20 May 2025 (10:00 UTC),
    // the correction in January; the record was last touched then.
    let day = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap();
    let entries = db
        .query_all(
            &Query::select()
                .column(Alias::new("position"))
                .from(Alias::new("audit_log"))
                .and_where(Expr::col(Alias::new("entity_type")).eq("need"))
                .and_where(Expr::col(Alias::new("entity_id")).eq(met_id.as_str()))
                .order_by(Alias::new("position"), sea_orm::Order::Asc)
                .to_owned(),
        )
        .await
        .unwrap();
    assert_eq!(entries.len(), 3, "create, met, corrected");
    for (row, at) in entries
        .iter()
        .zip([day(2025, 3, 4), day(2025, 5, 20), day(2026, 1, 9)])
    {
        let position: i64 = row.try_get("", "position").unwrap();
        db.execute(
            &Query::update()
                .table(Alias::new("audit_log"))
                .value(Alias::new("at"), at)
                .and_where(Expr::col(Alias::new("position")).eq(position))
                .to_owned(),
        )
        .await
        .unwrap();
    }
    msohub_store::migration::Migrator::up(&db, None)
        .await
        .unwrap();
    let met: Value = app.get_json(&format!("/api/v1/needs/{met_id}")).await;
    assert_eq!(met["raised_on"], "2025-03-04", "the contact's day");
    assert_eq!(met["resolved_on"], "2025-05-20", "the change that met it");
    let open: Value = app
        .get_json(&format!("/api/v1/needs/{}", open["id"].as_str().unwrap()))
        .await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Berlin)
        .date_naive()
        .to_string();
    assert_eq!(open["raised_on"], today.as_str(), "the day it was recorded");
    assert_eq!(open["resolved_on"], Value::Null);
}
