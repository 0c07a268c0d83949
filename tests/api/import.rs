//! Imports through the API and the wizard: mapping guessed from German
//! headers, dry run, all-or-nothing commit, matching (update, skip,
//! create), profiles, spreadsheets, and files that are not what they say.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

async fn post_file(app: &TestApp, path: &str, bytes: Vec<u8>) -> (u16, Value) {
    let r = app
        .client
        .post(app.url(path))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let body = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&body).unwrap_or_else(|_| panic!("{status}: {body}")),
    )
}

async fn organisations(app: &TestApp) -> Vec<Value> {
    let r: Value = app
        .client
        .get(app.url("/api/v1/organisations?limit=500"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["items"].as_array().unwrap().clone()
}

fn rules(report: &Value) -> Vec<(u64, String, String)> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_u64().unwrap(),
                p["column"].as_str().unwrap_or("").to_owned(),
                p["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// German Excel's CSV: Windows-1252, semicolons, headers in German.
fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'ä' => 0xE4,
            'ö' => 0xF6,
            'ü' => 0xFC,
            'ß' => 0xDF,
            'Ü' => 0xDC,
            c => c as u8,
        })
        .collect()
}

on_both_databases!(organisations_import_all_or_nothing_and_match_existing);

async fn organisations_import_all_or_nothing_and_match_existing(app: TestApp) {
    app.sign_in("staff").await;
    let csv = windows_1252(
        "Vereinsname;Straße;PLZ;Ort;Telefon;Rechtsform;VR-Nummer;Themen;Notizen\r\n\
         Türkischer Elternverein;Hauptstraße 1;01067;Dresden;0351 123456;e.V.;VR 1234;Bildung, Jugend;erste Zeile\r\n\
         Kulturverein Lindenau;Gartenweg 2;04177;Leipzig;;;;Kultur;\r\n",
    );
    // Dry run: mapping guessed, nothing written.
    let (status, report) = post_file(
        &app,
        "/api/v1/import/organisations?file_name=liste.csv&dry_run=1",
        csv.clone(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["encoding"], "Windows-1252");
    assert_eq!(report["separator"], ";");
    assert_eq!(report["mapping"]["name"], "Vereinsname");
    assert_eq!(report["mapping"]["register_number"], "VR-Nummer");
    assert_eq!(report["create"], 2);
    assert_eq!(report["committed"], false);
    assert_eq!(
        report["preview"][0]["values"]["name"],
        "Türkischer Elternverein"
    );
    assert!(organisations(&app).await.is_empty());

    // Commit.
    let (status, report) = post_file(
        &app,
        "/api/v1/import/organisations?file_name=liste.csv",
        csv,
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["committed"], true);
    let orgs = organisations(&app).await;
    assert_eq!(orgs.len(), 2);
    let turk = orgs
        .iter()
        .find(|o| o["name"] == "Türkischer Elternverein")
        .unwrap();
    assert_eq!(turk["postcode"], "01067", "postcodes stay text");
    assert_eq!(turk["phone"], "0351 123456");
    assert_eq!(turk["legal_status"], "ev");
    assert_eq!(turk["topics"], json!(["education", "youth"]));
    assert_eq!(turk["kind"], "mso", "the default kind");

    // A second file: the register number matches (update, not a second
    // record); the mapped columns change, the others stay.
    let csv2 =
        "Name;VR-Nummer;Telefon\nTürkischer Elternverein e.V.;VR 1234;0351 999\nNeuer Verein;;\n"
            .as_bytes()
            .to_vec();
    let (status, report) = post_file(
        &app,
        "/api/v1/import/organisations?file_name=b.csv&dry_run=1",
        csv2.clone(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["update"].as_u64(), report["create"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(report["preview"][0]["action"], "update");
    let (_, report) = post_file(
        &app,
        "/api/v1/import/organisations?file_name=b.csv",
        csv2.clone(),
    )
    .await;
    assert_eq!(report["committed"], true, "{report}");
    let orgs = organisations(&app).await;
    assert_eq!(orgs.len(), 3);
    let turk = orgs
        .iter()
        .find(|o| o["register_number"] == "VR 1234")
        .unwrap();
    assert_eq!(turk["name"], "Türkischer Elternverein e.V.");
    assert_eq!(turk["phone"], "0351 999");
    assert_eq!(turk["street"], "Hauptstraße 1", "unmapped columns are kept");
    assert_eq!(turk["internal_notes"], "erste Zeile");
    // Skip leaves it alone; create makes a second record.
    let csv3 = "Name;VR-Nummer;Telefon\nGanz anders;VR 1234;0341 1\n"
        .as_bytes()
        .to_vec();
    let (_, report) = post_file(
        &app,
        "/api/v1/import/organisations?file_name=c.csv&on_match=skip",
        csv3.clone(),
    )
    .await;
    assert_eq!(
        (report["skip"].as_u64(), report["committed"].as_bool()),
        (Some(1), Some(true))
    );
    assert_eq!(organisations(&app).await.len(), 3);
    let (status, report) = post_file(
        &app,
        "/api/v1/import/organisations?file_name=c.csv&on_match=create",
        csv3,
    )
    .await;
    assert_eq!(
        status, 422,
        "a second record with a taken register number: {report}"
    );
    assert_eq!(rules(&report), vec![(2, "B".into(), "taken".into())]);

    // One bad row: nothing of the file is written, every problem is named
    // by row and column.
    let bad = "Name;PLZ;Art;E-Mail;Gründungsjahr\nGuter Verein;04109;MSO;info@gut.de;1990\n\
               Schlechter Verein;1234;Fußballclub;keine-mail;3000\n;04109;;;\nGuter Verein;04109;;;\n"
        .as_bytes()
        .to_vec();
    let (status, report) =
        post_file(&app, "/api/v1/import/organisations?file_name=bad.csv", bad).await;
    assert_eq!(status, 422, "{report}");
    assert_eq!(report["committed"], false);
    let found = rules(&report);
    for expected in [
        (3, "B", "postcode-invalid"),
        (3, "C", "choice-unknown"),
        (3, "D", "email-invalid"),
        (3, "E", "year-in-future"),
        (4, "A", "required"),
        (5, "", "match-repeated"),
    ] {
        assert!(
            found
                .iter()
                .any(|(r, c, rule)| (*r, c.as_str(), rule.as_str()) == expected),
            "{expected:?} in {found:?}"
        );
    }
    assert_eq!(organisations(&app).await.len(), 3, "nothing half-imported");
    // The audit log has one import entry per committed file, and the
    // records' own history says "create"/"update".
    let (auditor, _) = app.signed_in("auditor").await;
    let audit: Value = auditor
        .get(app.url("/api/v1/audit-log?entity_type=import"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = audit["items"].as_array().expect("the audit log answers");
    assert!(items.len() >= 3, "{audit}");
    assert!(
        items.iter().all(|e| e["entity_type"] == "import"),
        "{audit}"
    );
}

on_both_databases!(spreadsheets_profiles_and_other_record_types_import);

async fn spreadsheets_profiles_and_other_record_types_import(app: TestApp) {
    app.sign_in("staff").await;
    // An XLSX file whose postcode column a spreadsheet turned into numbers.
    let xlsx = msohub_exchange::xlsx_table(
        "Vereine",
        &["Organisation", "Postleitzahl", "Stadt", "Telefon"],
        &[
            vec![
                msohub_exchange::Cell::Text("Elternnetzwerk Sachsen".into()),
                msohub_exchange::Cell::Number(1067.0),
                msohub_exchange::Cell::Text("Dresden".into()),
                msohub_exchange::Cell::Number(35_112_345.0),
            ],
            vec![
                msohub_exchange::Cell::Text("Ukrainischer Verein".into()),
                msohub_exchange::Cell::Text("04109".into()),
                msohub_exchange::Cell::Text("Leipzig".into()),
                msohub_exchange::Cell::Text("0341 55".into()),
            ],
        ],
    )
    .unwrap();
    let (status, report) = post_file(
        &app,
        "/api/v1/import/organisations?file_name=vereine.xlsx",
        xlsx.clone(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["format"], "xlsx");
    assert_eq!(report["sheet"], "Vereine");
    assert_eq!(
        report["warnings"], 1,
        "the phone number stored as a number: {report}"
    );
    let orgs = organisations(&app).await;
    let first = orgs
        .iter()
        .find(|o| o["name"] == "Elternnetzwerk Sachsen")
        .unwrap();
    assert_eq!(first["postcode"], "01067");
    let ukr = orgs
        .iter()
        .find(|o| o["name"] == "Ukrainischer Verein")
        .unwrap();

    // A profile maps columns the guess would not.
    let r = app
        .client
        .put(app.url("/api/v1/import/persons/profiles/Mitgliederliste"))
        .json(&json!({"mapping": {"given_name": "VN", "family_name": "NN", "organisation": "Org", "role": "Amt", "email": "Kontakt"}, "on_match": "update"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let profile: Value = r.json().await.unwrap();
    assert_eq!(profile["version"], 1);
    // Creating it again is a conflict; a stale version too.
    let r = app
        .client
        .put(app.url("/api/v1/import/persons/profiles/Mitgliederliste"))
        .json(&json!({"mapping": {}, "version": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let list: Value = app
        .client
        .get(app.url("/api/v1/import/persons/profiles"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["name"], "Mitgliederliste");
    let persons = "VN,NN,Org,Amt,Kontakt\r\nAyşe,Yılmaz,Ukrainischer Verein,Vorsitzende,ayse@example.org\r\nOleh,Kovalenko,Elternnetzwerk Sachsen,,\r\n";
    let (status, report) = post_file(
        &app,
        "/api/v1/import/persons?file_name=m.csv&profile=Mitgliederliste",
        persons.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["separator"], ",");
    assert_eq!(report["create"], 2);
    let people: Value = app
        .client
        .get(app.url("/api/v1/persons"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ayse = people["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["given_name"] == "Ayşe")
        .unwrap()
        .clone();
    let ayse: Value = app
        .client
        .get(app.url(&format!("/api/v1/persons/{}", ayse["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ayse["affiliations"][0]["organisation_id"], ukr["id"]);
    assert_eq!(ayse["affiliations"][0]["role"], "Vorsitzende");
    // Importing the same list again updates by e-mail, no duplicates and
    // no second affiliation.
    let (_, report) = post_file(
        &app,
        "/api/v1/import/persons?file_name=m.csv&profile=Mitgliederliste",
        persons.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(
        (report["update"].as_u64(), report["create"].as_u64()),
        (Some(2), Some(0)),
        "{report}"
    );
    let ayse2: Value = app
        .client
        .get(app.url(&format!("/api/v1/persons/{}", ayse["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ayse2["affiliations"].as_array().unwrap().len(), 1);
    // An unknown organisation is named.
    let (status, report) = post_file(
        &app,
        "/api/v1/import/persons?file_name=x.csv&profile=Mitgliederliste",
        "VN,NN,Org\nA,B,Gibt es nicht\n".as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        rules(&report).contains(&(2, "C".into(), "organisation-unknown".into())),
        "{report}"
    );
    // The profile's columns this file lacks are named, as notes.
    assert_eq!(report["warnings"], 2, "{report}");
    let r = app
        .client
        .delete(app.url("/api/v1/import/persons/profiles/Mitgliederliste"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);

    // Offers by organisation name and category label; events with their
    // organisers and German dates.
    let offers = "Anbieter;Angebot;Kategorie;Zielgruppen;Sprachen;Kosten;Termine;Gültig ab\n\
                  Ukrainischer Verein;Deutschkurs für Eltern;Eltern und Familie;Familien, Neuzugewanderte;Ukrainisch, Deutsch;kostenlos;dienstags 17 Uhr;01.09.2026\n\
                  Elternnetzwerk Sachsen;Hausaufgabenhilfe;parents;;de;3 € pro Termin;;\n";
    let (status, report) = post_file(
        &app,
        "/api/v1/import/offers?file_name=angebote.csv",
        offers.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["create"], 2);
    let list: Value = app
        .client
        .get(app.url("/api/v1/offers"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let course = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["title"] == "Deutschkurs für Eltern")
        .unwrap();
    assert_eq!(course["organisation"]["id"], ukr["id"]);
    assert_eq!(course["category"], "parents");
    assert_eq!(course["languages"], json!(["uk", "de"]));
    assert_eq!(course["target_groups"], json!(["families", "newcomers"]));
    assert_eq!(course["valid_from"], "2026-09-01");
    let help = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["title"] == "Hausaufgabenhilfe")
        .unwrap();
    assert_eq!(
        (help["cost_kind"].as_str(), help["cost_text"].as_str()),
        (Some("amount"), Some("3 € pro Termin"))
    );

    let events = "Veranstaltung;Beginn;Ende;Ort;Veranstalter\n\
                  Sommerfest;04.07.2031 15:00;04.07.2031 20:00;Stadtpark;Ukrainischer Verein; Elternnetzwerk Sachsen\n\
                  Lesung;31.02.2031 18:00;;Bibliothek;Ukrainischer Verein\n";
    let (status, report) = post_file(
        &app,
        "/api/v1/import/events?file_name=v.csv",
        events.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, 422, "one bad date: {report}");
    assert!(
        rules(&report).contains(&(3, "B".into(), "datetime-invalid".into())),
        "{report}"
    );
    // The first row's organisers column has a separator inside: it was
    // quoted by nobody, so it became an extra cell; the file says so.
    assert!(
        rules(&report)
            .iter()
            .any(|(r, _, rule)| *r == 2 && rule == "cells-extra"),
        "{report}"
    );
    // "Status" is read as an event's status (not an offer's): abgesagt.
    let events = "Veranstaltung;Beginn;Ende;Ort;Veranstalter;Status;Absagegrund\n\
                  Sommerfest;04.07.2031 15:00;04.07.2031 20:00;Stadtpark;\"Ukrainischer Verein; Elternnetzwerk Sachsen\";abgesagt;Unwetter\n";
    let (status, report) = post_file(
        &app,
        "/api/v1/import/events?file_name=v.csv",
        events.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    let list: Value = app
        .client
        .get(app.url("/api/v1/events"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let fest = &list["items"][0];
    assert_eq!(fest["title"], "Sommerfest");
    assert_eq!(fest["status"], "cancelled");
    assert_eq!(fest["cancel_reason"], "Unwetter");
    assert_eq!(fest["organisers"].as_array().unwrap().len(), 2);
    assert_eq!(
        fest["starts_at"], "2031-07-04T13:00:00Z",
        "Berlin summer time"
    );
}

on_both_databases!(files_that_are_not_tables_get_a_clear_message);

async fn files_that_are_not_tables_get_a_clear_message(app: TestApp) {
    app.sign_in("staff").await;
    let check = |name: &'static str, bytes: Vec<u8>, rule: &'static str, words: &'static str| {
        let app = &app;
        async move {
            let (status, report) = post_file(
                app,
                &format!("/api/v1/import/organisations?file_name={name}"),
                bytes,
            )
            .await;
            assert_eq!(status, 422, "{name}: {report}");
            let p = &report["problems"][0];
            assert_eq!(p["rule"], rule, "{name}: {report}");
            assert!(
                p["detail"].as_str().unwrap().contains(words),
                "{name}: {report}"
            );
        }
    };
    check("leer.csv", Vec::new(), "file-unreadable", "leer").await;
    check(
        "liste.xlsx",
        b"Name;PLZ\nA;01067\n".to_vec(),
        "file-unreadable",
        "keine XLSX-Datei",
    )
    .await;
    check(
        "bild.csv",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec(),
        "file-unreadable",
        "Binärdaten",
    )
    .await;
    check(
        "kaputt.csv",
        b"Name;PLZ\nA;01067\n\"B;04109\nC;04109\n".to_vec(),
        "file-unreadable",
        "Zeile 3",
    )
    .await;
    check(
        "nur-kopf.csv",
        b"Name;PLZ\n".to_vec(),
        "file-unreadable",
        "keine Tabelle",
    )
    .await;
    // 50 MB of random bytes: refused from the first 64 KiB.
    let mut junk = vec![0u8; 50 * 1024 * 1024];
    let mut x: u32 = 2_463_534_242;
    for b in &mut junk {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x as u8;
    }
    check("junk.csv", junk, "file-unreadable", "Binärdaten").await;
    // Excel's row limit: 1,048,576 rows; the import stops reading at its own.
    let mut big = String::with_capacity(12 * 1_048_576);
    big.push_str("Name;PLZ\n");
    for i in 0..1_048_575 {
        big.push_str(&format!("V{i};01067\n"));
    }
    check("riesig.csv", big.into_bytes(), "file-unreadable", "200000").await;
    // Merged header cells (empty headers) and duplicate columns are named;
    // duplicate columns are not mapped twice.
    let (status, report) = post_file(
        &app,
        "/api/v1/import/organisations?file_name=m.csv&dry_run=1",
        b"Name;;Name;PLZ\nVerein;x;Anderer;04109\n".to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    let found = rules(&report);
    assert!(
        found.contains(&(1, "B".into(), "header-empty".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(1, "C".into(), "header-duplicate".into())),
        "{found:?}"
    );
    assert_eq!(report["preview"][0]["values"]["name"], "Verein");
    // A mapping naming a column the file lacks, or leaving out a required
    // field, is refused before any row.
    let (status, report) = post_file(
        &app,
        "/api/v1/import/organisations?file_name=m.csv&mapping=%7B%22postcode%22%3A%22PLZ%22%7D",
        b"Name;PLZ\nVerein;04109\n".to_vec(),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        rules(&report),
        vec![(1, String::new(), "mapping-required".into())]
    );
    // Bad parameters.
    let (status, _) = post_file(
        &app,
        "/api/v1/import/users?file_name=m.csv",
        b"a\nb\n".to_vec(),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = post_file(
        &app,
        "/api/v1/import/organisations?on_match=merge",
        b"a\nb\n".to_vec(),
    )
    .await;
    assert_eq!(status, 422);
    assert!(organisations(&app).await.is_empty());
    // Auditors may not import.
    let (auditor, _) = app.signed_in("auditor").await;
    let r = auditor
        .post(app.url("/api/v1/import/organisations?file_name=a.csv"))
        .body("Name\nA\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

fn location(r: &reqwest::Response) -> String {
    assert_eq!(r.status(), 303, "a redirect expected");
    r.headers()["location"].to_str().unwrap().to_owned()
}

on_both_databases!(the_wizard_maps_previews_and_commits);

async fn the_wizard_maps_previews_and_commits(app: TestApp) {
    app.sign_in("staff").await;
    let page = app.get_page("/app/import").await;
    assert_eq!(page.count("#import-upload input[type=file]"), 1);
    let upload = |bytes: &'static [u8], name: &'static str| {
        let client = app.client.clone();
        let url = app.url("/app/import");
        async move {
            let form = Form::new()
                .text("entity", "organisations")
                .part("file", Part::bytes(bytes).file_name(name));
            client.post(url).multipart(form).send().await.unwrap()
        }
    };
    // The file's column "Verein" is guessed; "Kiez" is not, and is mapped
    // by hand to the district.
    let r = upload(
        b"Verein;PLZ;Kiez\nNachbarschaftsverein;04177;Lindenau\nZweiter Verein;4177x;Plagwitz\n",
        "kiez.csv",
    )
    .await;
    let check_url = location(&r);
    assert!(check_url.starts_with("/app/import/"), "{check_url}");
    let page = app.get_page(&check_url).await;
    assert_eq!(page.attr("#m-name option[selected]", "value"), "Verein");
    assert_eq!(
        page.text("tr[data-field=name] td:last-child"),
        "Nachbarschaftsverein",
        "the first row's value beside the mapping"
    );
    assert_eq!(page.count("#m-district option[selected]"), 0);
    assert!(
        page.text("#problem-table").contains("postcode")
            || page.text("#problem-table").contains("Postleitzahl"),
        "{}",
        page.text("#problem-table")
    );
    assert!(
        page.count("#commit button[disabled]") == 1,
        "errors block the commit"
    );
    // Map by hand and check again: the problem stays (row 3).
    let page = app
        .get_page(&format!(
            "{check_url}?mapped=1&m.name=Verein&m.postcode=PLZ&m.district=Kiez&on_match=update"
        ))
        .await;
    assert_eq!(page.attr("#m-district option[selected]", "value"), "Kiez");
    assert!(
        page.text("#problem-table td").starts_with('3'),
        "{}",
        page.text("#problem-table")
    );
    // Save the mapping as a profile.
    let r = app
        .post_form(
            &format!("{check_url}/profile"),
            &[
                ("mapped", "1"),
                ("m.name", "Verein"),
                ("m.postcode", "PLZ"),
                ("m.district", "Kiez"),
                ("on_match", "update"),
                ("profile_name", "Kiezliste"),
            ],
        )
        .await;
    let page = app.get_page(&location(&r)).await;
    assert!(page.text("#notice").contains("Kiezliste"));
    // A committed attempt with errors is refused and says so.
    let r = app
        .post_form(
            &format!("{check_url}/commit"),
            &[
                ("mapped", "1"),
                ("m.name", "Verein"),
                ("m.postcode", "PLZ"),
                ("m.district", "Kiez"),
                ("on_match", "update"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(organisations(&app).await.is_empty());
    // The corrected file, uploaded with the profile: ready, then imported.
    let form = Form::new()
        .text("entity", "organisations")
        .text("profile", "Kiezliste")
        .part("file", Part::bytes(&b"Verein;PLZ;Kiez\nNachbarschaftsverein;04177;Lindenau\nZweiter Verein;04178;Plagwitz\n"[..]).file_name("kiez2.csv"));
    let r = app
        .client
        .post(app.url("/app/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let check_url = location(&r);
    assert!(check_url.contains("profile=Kiezliste"), "{check_url}");
    let page = app.get_page(&check_url).await;
    let check_url = check_url.split('?').next().unwrap().to_owned();
    assert_eq!(page.count("#ready"), 1, "{}", page.text("main"));
    assert_eq!(page.attr("#m-district option[selected]", "value"), "Kiez");
    assert_eq!(page.count("#preview tbody tr"), 2);
    let r = app
        .post_form(
            &format!("{check_url}/commit"),
            &[
                ("mapped", "1"),
                ("m.name", "Verein"),
                ("m.postcode", "PLZ"),
                ("m.district", "Kiez"),
                ("on_match", "update"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let page = Page::from_response(r).await;
    assert!(
        page.text("#import-result").contains('2'),
        "{}",
        page.text("main")
    );
    let orgs = organisations(&app).await;
    assert_eq!(orgs.len(), 2);
    assert!(orgs.iter().any(|o| o["district"] == "Lindenau"));
    // The upload is gone after the commit.
    assert_eq!(app.get(&check_url).await.status(), 404);
    // The start page lists the profile; it can be deleted.
    let page = app.get_page("/app/import").await;
    assert!(page.text("#profiles").contains("Kiezliste"));
    let r = app
        .post_form("/app/import/profiles/organisations/Kiezliste/delete", &[])
        .await;
    assert_eq!(location(&r), "/app/import");
    assert_eq!(app.get_page("/app/import").await.count("#no-profiles"), 1);
    // An empty upload is refused with a message.
    let r = upload(b"", "leer.csv").await;
    assert_eq!(r.status(), 422);
    // Another user cannot see someone's upload.
    let r = upload(b"Verein\nA\n", "a.csv").await;
    let url = location(&r);
    let (other, _) = app.signed_in("staff").await;
    assert_eq!(other.get(app.url(&url)).send().await.unwrap().status(), 404);
}
