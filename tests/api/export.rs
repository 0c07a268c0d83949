//! Exports of whole record types: CSV for German Excel and standard CSV,
//! XLSX and JSON, through the API and the staff page; formulas neutralised,
//! postcodes kept as text, every export in the audit log.

use crate::helpers::TestApp;
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(every_record_type_exports_as_csv_xlsx_and_json);

async fn every_record_type_exports_as_csv_xlsx_and_json(app: TestApp) {
    app.sign_in("staff").await;
    let post = |path: &'static str, body: Value| {
        let client = app.client.clone();
        let url = app.url(path);
        async move {
            let r = client.post(url).json(&body).send().await.unwrap();
            assert!(r.status().is_success(), "{path}: {}", r.status());
            r.json::<Value>().await.unwrap()
        }
    };
    let org = post(
        "/api/v1/organisations",
        json!({"name": "=HYPERLINK(\"http://evil.example\")", "kind": "mso",
        "postcode": "01067", "languages": ["tr", "de"], "founding_year": 1999}),
    )
    .await;
    post(
        "/api/v1/organisations",
        json!({"name": "Verein Zwei", "kind": "mso"}),
    )
    .await;
    post(
        "/api/v1/offers",
        json!({"organisation_id": org["id"], "title": "Elterncafé", "category": "parents",
        "cost_kind": "free", "location_kind": "organisation", "status": "active"}),
    )
    .await;
    post(
        "/api/v1/events",
        json!({"title": "Sommerfest", "starts_at": "2031-07-04T15:00", "mode": "in_person",
        "place": "Park", "organisers": [org["id"]]}),
    )
    .await;

    let get = |path: String| {
        let client = app.client.clone();
        let url = app.url(&path);
        async move { client.get(url).send().await.unwrap() }
    };

    // CSV for German Excel: BOM, semicolons, id first, formula neutralised,
    // postcode with its leading zero.
    let r = get("/api/v1/export/organisations".into()).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("msohub-organisations-")
    );
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}id;"), "{csv}");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains(";01067;"), "{csv}");
    assert!(csv.contains("tr, de"), "{csv}");
    assert_eq!(
        csv.lines().count(),
        3,
        "header and two organisations: {csv}"
    );

    // Standard CSV and a chosen separator.
    let csv = get("/api/v1/export/organisations?format=csv-standard".into())
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("id,"), "{csv}");
    let csv = get("/api/v1/export/offers?format=csv&separator=tab&bom=0".into())
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("id\t") && csv.contains("Elterncafé"),
        "{csv}"
    );

    // JSON: the records as the list endpoints give them.
    for (entity, n) in [
        ("organisations", 2),
        ("offers", 1),
        ("events", 1),
        ("persons", 0),
        ("contacts", 0),
        ("meetings", 0),
    ] {
        let r = get(format!("/api/v1/export/{entity}?format=json")).await;
        assert_eq!(r.status(), 200, "{entity}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v.as_array().unwrap().len(), n, "{entity}");
    }
    let events: Value = get("/api/v1/export/events?format=json".into())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events[0]["title"], "Sommerfest");

    // XLSX: a workbook.
    let r = get("/api/v1/export/events?format=xlsx".into()).await;
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");

    // Bad requests say what is wrong.
    for (path, field) in [
        ("/api/v1/export/users", "entity"),
        ("/api/v1/export/organisations?format=pdf", "format"),
        ("/api/v1/export/organisations?separator=pipe", "separator"),
        ("/api/v1/export/organisations?bom=maybe", "bom"),
    ] {
        let r = get(path.into()).await;
        assert_eq!(r.status(), 422, "{path}");
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], field, "{path}: {p}");
    }
    // Nobody else.
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/export/persons?format=json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // The staff page links every type in every format; its links work.
    let page = app.get_page("/app/export").await;
    for entity in [
        "organisations",
        "persons",
        "offers",
        "events",
        "contacts",
        "meetings",
    ] {
        assert!(
            page.text(&format!("tr[data-entity=\"{entity}\"]"))
                .contains("JSON"),
            "{entity}"
        );
    }
    let r = get("/app/export/organisations?format=xlsx".into()).await;
    assert_eq!(r.status(), 200);
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");

    // Each export is in the audit log, without the data.
    let log: Value = {
        let (admin, _) = app.signed_in("admin").await;
        admin
            .get(app.url("/api/v1/audit-log?entity_type=export"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    };
    let text = log.to_string();
    assert!(
        text.contains("\"rows\":2") && text.contains("\"format\":\"xlsx\""),
        "{text}"
    );
    assert!(!text.contains("HYPERLINK"), "{text}");
}

on_both_databases!(lists_export_with_their_current_filters);

async fn lists_export_with_their_current_filters(app: TestApp) {
    app.sign_in("staff").await;
    let post = |path: &'static str, body: Value| {
        let client = app.client.clone();
        let url = app.url(path);
        async move {
            let r = client.post(url).json(&body).send().await.unwrap();
            assert!(r.status().is_success(), "{path}: {}", r.status());
            r.json::<Value>().await.unwrap()
        }
    };
    let org = post(
        "/api/v1/organisations",
        json!({"name": "Verein Filter", "kind": "mso"}),
    )
    .await;
    for (title, status) in [
        ("Läuft", "active"),
        ("Pausiert", "paused"),
        ("Auch aktiv", "active"),
    ] {
        post("/api/v1/offers", json!({"organisation_id": org["id"], "title": title, "category": "parents", "status": status})).await;
    }
    post("/api/v1/events", json!({"title": "Fest", "starts_at": "2031-07-04T15:00", "mode": "in_person", "place": "Park", "organisers": [org["id"]]})).await;
    post("/api/v1/events", json!({"title": "Lesung", "starts_at": "2031-08-04T15:00", "mode": "in_person", "place": "Bibliothek", "organisers": [org["id"]]})).await;
    // The offer list shows its export links with the filters it has.
    let page = app.get_page("/app/offers?status=active").await;
    let href = page.attr("#export-csv", "href");
    assert!(
        href.starts_with("/app/offers/export?format=csv&") && href.contains("status=active"),
        "{href}"
    );
    let csv = app.get(&href).await.text().await.unwrap();
    assert_eq!(
        csv.lines().count(),
        3,
        "header and the two active offers: {csv}"
    );
    assert!(!csv.contains("Pausiert"), "{csv}");
    let json: Value = app
        .get("/app/offers/export?format=json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    let events: Value = app
        .get("/app/events/export?format=json&q=Lesung")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events.as_array().unwrap().len(), 1, "{events}");
    let r = app.get("/app/interactions/export?format=xlsx").await;
    assert_eq!(r.status(), 200);
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");
    // The person list's search.
    post(
        "/api/v1/persons",
        json!({"given_name": "Rana", "family_name": "Haddad"}),
    )
    .await;
    post(
        "/api/v1/persons",
        json!({"given_name": "Oleh", "family_name": "Kovalenko"}),
    )
    .await;
    let page = app.get_page("/app/persons?q=hadd").await;
    let href = page.attr("#export-csv", "href");
    let csv = app.get(&href).await.text().await.unwrap();
    assert!(
        csv.contains("Haddad") && !csv.contains("Kovalenko"),
        "{csv}"
    );
    let r = app.get("/app/offers/export?format=pdf").await;
    assert_eq!(r.status(), 422);
}

/// A workbook's header row and rows as the import's reader sees them.
pub(crate) fn read_xlsx(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let table = msohub_exchange::read::read_table(
        bytes,
        "export.xlsx",
        msohub_exchange::read::Limits::default(),
    )
    .unwrap();
    let rows = table
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.as_str().to_owned()).collect())
        .collect();
    (table.headers, rows)
}

/// Records for the exports below: three organisations of different kinds,
/// languages, topics and public flags, an offer and an event.
async fn some_records(app: &TestApp) -> Value {
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Syrischer Kulturverein", "kind": "mso", "legal_status": "ev",
            "languages": ["ar", "de"], "topics": ["education", "culture"],
            "target_groups": ["families"], "is_public": true, "postcode": "01067",
            "city": "Dresden", "founding_year": 2015, "member_count": 40,
            "origins": "Syrien, Irak", "latitude": "51.05", "longitude": "13.74"}),
        )
        .await;
    app.created(
        "/api/v1/organisations",
        json!({"name": "Ukrainische Gemeinde", "kind": "faith_community",
        "legal_status": "initiative", "languages": ["uk", "ru"], "topics": ["religion"],
        "is_public": false}),
    )
    .await;
    app.created(
        "/api/v1/organisations",
        json!({"name": "Caritas Beratung", "kind": "welfare", "languages": ["tr"],
        "topics": [], "is_public": true, "internal_notes": "Ansprechpartnerin: Frau B."}),
    )
    .await;
    app.created(
        "/api/v1/offers",
        json!({"organisation_id": org["id"], "title": "Elterncafé", "category": "parents",
        "cost_kind": "free", "location_kind": "organisation", "status": "active",
        "registration_required": true, "valid_from": "2031-01-15"}),
    )
    .await;
    app.created(
        "/api/v1/events",
        json!({"title": "Sommerfest", "starts_at": "2031-07-04T15:00", "mode": "in_person",
        "place": "Park", "organisers": [org["id"]], "status": "planned"}),
    )
    .await;
    org
}

on_both_databases!(people_read_exports_in_words_and_machines_in_codes);

async fn people_read_exports_in_words_and_machines_in_codes(app: TestApp) {
    app.sign_in("staff").await;
    some_records(&app).await;

    // For people (the staff page's default): German headers, name first and
    // id last, labels, ja/nein.
    let csv = app
        .get("/app/export/organisations?format=csv")
        .await
        .text()
        .await
        .unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("\u{feff}Name;Art;Rechtsform;Themen;Zielgruppen;Sprachen;"),
        "{header}"
    );
    assert!(header.ends_with(";ID"), "{header}");
    let syrian = csv
        .lines()
        .find(|l| l.starts_with("Syrischer Kulturverein;"))
        .unwrap();
    assert!(
        syrian.starts_with(
            "Syrischer Kulturverein;Migrantenselbstorganisation;eingetragener Verein (e.V.);\
             Bildung, Kultur;Familien;Arabisch, Deutsch;Syrien, Irak;;01067;Dresden;"
        ),
        "{syrian}"
    );
    assert!(syrian.contains(";ja;"), "{syrian}");
    assert!(syrian.contains(";51,05;13,74;"), "decimal comma: {syrian}");
    assert!(!syrian.contains("mso"), "{syrian}");
    let ukrainian = csv
        .lines()
        .find(|l| l.starts_with("Ukrainische Gemeinde;"))
        .unwrap();
    assert!(
        ukrainian.starts_with(
            "Ukrainische Gemeinde;Religionsgemeinschaft;Initiative (nicht eingetragen);\
             Religion;;Ukrainisch, Russisch;"
        ),
        "{ukrainian}"
    );
    assert!(ukrainian.contains(";nein;"), "{ukrainian}");

    // Times in Berlin time, German format; in XLSX real date cells (the
    // reader gives a date cell back as ISO, a text cell as it is).
    let events = app
        .get("/app/export/events?format=csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        events.starts_with("\u{feff}Titel;Beginn;Ende;Status;Veranstalter;"),
        "{events}"
    );
    assert!(
        events.contains("Sommerfest;04.07.2031 15:00;;geplant;Syrischer Kulturverein;"),
        "{events}"
    );
    let xlsx = app
        .get("/app/export/events?format=xlsx")
        .await
        .bytes()
        .await
        .unwrap();
    let (headers, rows) = read_xlsx(&xlsx);
    assert_eq!(headers[..3], ["Titel", "Beginn", "Ende"]);
    assert_eq!(rows[0][1], "2031-07-04T15:00", "a date cell, Berlin time");
    let offers = app
        .get("/app/offers/export?format=csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        offers.contains("Elterncafé;Syrischer Kulturverein;"),
        "{offers}"
    );
    assert!(offers.contains(";läuft;"), "{offers}");
    assert!(offers.contains(";15.01.2031;"), "{offers}");
    assert!(offers.contains(";kostenlos;"), "{offers}");

    // The list's own export links give the people's format too.
    let list = app
        .get("/app/organisations.csv?kind=faith_community")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(list.contains("Ukrainische Gemeinde;Religionsgemeinschaft;"));

    // In English for staff who read the staff area in English.
    let english = app
        .client
        .get(app.url("/app/export/organisations?format=xlsx"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let (headers, rows) = read_xlsx(&english);
    assert_eq!(headers[..3], ["Name", "Kind", "Legal status"]);
    let row = rows
        .iter()
        .find(|r| r[0] == "Syrischer Kulturverein")
        .unwrap();
    assert_eq!(row[1], "Migrant self-organisation");
    assert_eq!(row[3], "Education, Culture");
    assert_eq!(row[5], "Arabic, German");
    assert!(row.contains(&"yes".to_owned()));

    // For machines: the API as before, and the staff page on request.
    for path in [
        "/api/v1/export/organisations",
        "/api/v1/export/organisations?style=machine",
        "/app/export/organisations?format=csv&style=machine",
        "/app/organisations.csv?style=machine",
    ] {
        let csv = app.get(path).await.text().await.unwrap();
        assert!(csv.starts_with("\u{feff}id;"), "{path}: {csv}");
        assert!(csv.contains(";mso;"), "{path}: {csv}");
        assert!(csv.contains("ar, de"), "{path}: {csv}");
    }
    // And the people's format through the API on request.
    let csv = app
        .get("/api/v1/export/organisations?style=people&lang=en&format=csv-standard")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("Name,Kind,Legal status,"), "{csv}");
    for path in [
        "/api/v1/export/organisations?style=pretty",
        "/api/v1/export/organisations?style=people&lang=tr",
        "/app/export/organisations?style=pretty",
    ] {
        assert_eq!(app.get(path).await.status(), 422, "{path}");
    }

    // The page offers both, the people's first.
    let page = app.get_page("/app/export").await;
    let heads = page.texts("#exports thead th");
    assert!(heads[1].contains("Menschen"), "{heads:?}");
    assert!(heads[2].contains("Wiederimport"), "{heads:?}");
    let people = page.attrs(
        "tr[data-entity=organisations] td[data-style=people] a",
        "href",
    );
    assert_eq!(people[0], "/app/export/organisations?format=xlsx");
    let machine = page.attrs(
        "tr[data-entity=organisations] td[data-style=machine] a",
        "href",
    );
    assert!(
        machine
            .iter()
            .all(|h| h.contains("style=machine") || h.contains("json"))
    );

    // The audit log names the style.
    let (admin, _) = app.signed_in("admin").await;
    let log: Value = admin
        .get(app.url("/api/v1/audit-log?entity_type=export"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let text = log.to_string();
    assert!(text.contains("\"style\":\"people\"") && text.contains("\"style\":\"machine\""));
}

on_both_databases!(a_people_export_imports_into_a_fresh_database_as_the_same_records);

/// What a round trip must keep of an organisation.
fn essentials(orgs: &Value) -> Vec<Value> {
    let mut out: Vec<Value> = orgs
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            json!({
                "name": o["name"], "kind": o["kind"], "legal_status": o["legal_status"],
                "languages": o["languages"], "topics": o["topics"],
                "target_groups": o["target_groups"], "is_public": o["is_public"],
                "postcode": o["postcode"], "city": o["city"], "origins": o["origins"],
                "founding_year": o["founding_year"], "member_count": o["member_count"],
                "latitude": o["latitude"], "internal_notes": o["internal_notes"],
            })
        })
        .collect();
    out.sort_by_key(|o| o["name"].as_str().unwrap_or_default().to_owned());
    out
}

async fn a_people_export_imports_into_a_fresh_database_as_the_same_records(app: TestApp) {
    app.sign_in("staff").await;
    some_records(&app).await;
    let before = essentials(&app.get_json("/api/v1/organisations?limit=500").await["items"]);
    assert_eq!(before.len(), 3);
    let xlsx = app
        .get("/app/organisations.xlsx")
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let csv = app
        .get("/app/export/organisations?format=csv")
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let kind = app.db.kind;
    for (name, file) in [("organisationen.xlsx", xlsx), ("organisationen.csv", csv)] {
        let before = before.clone();
        crate::helpers::run_on(kind, |fresh: TestApp| async move {
            fresh.sign_in("staff").await;
            let r = fresh
                .client
                .post(fresh.url(&format!("/api/v1/import/organisations?file_name={name}")))
                .header("content-type", "application/octet-stream")
                .body(file)
                .send()
                .await
                .unwrap();
            let status = r.status();
            let report: Value = r.json().await.unwrap();
            assert_eq!(status, 200, "{name}: {report}");
            assert_eq!(report["committed"], true, "{name}: {report}");
            assert_eq!(report["mapping"]["kind"], "Art", "{report}");
            assert_eq!(report["mapping"]["is_public"], "Im Verzeichnis", "{report}");
            let after =
                essentials(&fresh.get_json("/api/v1/organisations?limit=500").await["items"]);
            assert_eq!(after, before, "{name}");
        })
        .await;
    }
}
