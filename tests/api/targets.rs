//! Periods and targets with progress computed from the records, as the
//! seed report measures them: visits to MSOs, the office's attendance at the
//! integration council, the working group's meetings and the organisations
//! represented; status by thresholds, overrides with a justification.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(
    the_school_year_2020_21_is_measured_from_the_records,
    the_report_states_the_seed_facts,
    the_school_year_s_first_month_is_a_setting,
    contacts_are_counted_per_month_of_the_office_s_time_zone,
);

/// The chart's contacts per month are counted in the database, month by
/// month of Berlin time: a contact at half past midnight on 1 November is
/// November's (23:30 UTC on 31 October), one on the period's last evening
/// is July's, one the morning after the period is none.
async fn contacts_are_counted_per_month_of_the_office_s_time_zone(app: TestApp) {
    app.sign_in("staff").await;
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Kulturverein", "kind": "mso"}),
        )
        .await;
    for (at, status) in [
        ("2020-08-01T00:30", "held"),
        ("2020-10-31T23:30", "held"),
        ("2020-11-01T00:30", "held"),
        ("2020-11-15T10:00", "cancelled"),
        ("2021-07-31T23:30", "cancelled"),
        ("2021-08-01T00:30", "held"),
        ("2020-07-31T23:30", "held"),
    ] {
        app.created("/api/v1/interactions", json!({"subject": "Besuch", "kind": "visit", "mode": "in_person", "status": status, "cancel_reason": "scheduling", "starts_at": at, "organisations": [org["id"]]})).await;
    }
    let period = app
        .created(
            "/api/v1/periods",
            json!({"kind": "school_year", "year": "2020"}),
        )
        .await;
    let pid = period["id"].as_str().unwrap();
    let report = app.get_json(&format!("/api/v1/periods/{pid}/report")).await;
    let months: Vec<(String, u64, u64)> = report["chapters"][0]["per_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap().to_owned(),
                m["held"].as_u64().unwrap(),
                m["cancelled"].as_u64().unwrap(),
            )
        })
        .filter(|(_, h, c)| h + c > 0)
        .collect();
    assert_eq!(
        months,
        [
            ("2020-08".to_owned(), 1, 0),
            ("2020-10".to_owned(), 1, 0),
            ("2020-11".to_owned(), 1, 1),
            ("2021-07".to_owned(), 0, 1),
        ]
    );
}

async fn the_school_year_s_first_month_is_a_setting(app: TestApp) {
    app.sign_in("admin").await;
    let r = app
        .client
        .put(app.url("/api/v1/settings"))
        .json(&json!({"office_name": "KI Lindenau", "school_year_first_month": "13"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["rule"],
        "month-invalid"
    );
    let r = app
        .post_form(
            "/app/admin/settings",
            &[
                ("office_name", "KI Lindenau"),
                ("school_year_first_month", "9"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let settings: Value = app.get("/api/v1/settings").await.json().await.unwrap();
    assert_eq!(settings["school_year_first_month"], "9");
    let p = app
        .created(
            "/api/v1/periods",
            json!({"kind": "school_year", "year": "2021"}),
        )
        .await;
    assert_eq!(p["starts_on"], "2021-09-01");
    assert_eq!(p["ends_on"], "2022-08-31");
    assert_eq!(p["name"], "2021/22");
}

async fn the_report_states_the_seed_facts(app: TestApp) {
    app.sign_in("staff").await;
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    let me = me["id"].as_str().unwrap().to_owned();
    // Target 1: six visits to MSOs wanted; the planned ones were cancelled
    // because of the contact restrictions.
    let mso = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Kulturverein", "kind": "mso"}),
        )
        .await;
    for day in ["2020-11-10", "2021-01-12"] {
        app.created("/api/v1/interactions", json!({"subject": "Besuch", "kind": "visit", "mode": "in_person", "status": "cancelled", "cancel_reason": "contact_restrictions", "starts_at": format!("{day}T10:00"), "organisations": [mso["id"]]})).await;
    }
    // Instead: the working group, founded, meeting on 14 September in
    // person and 24 November online, seven MSOs represented.
    let group = app.created("/api/v1/bodies",
        json!({"name": "Arbeitskreis MSO", "kind": "working_group", "founded_on": "2020-09-01"}),
    )
    .await;
    let gid = group["id"].as_str().unwrap().to_owned();
    let mut attendance = vec![json!({"attendee": format!("u:{me}"), "status": "present"})];
    for i in 1..=7 {
        let org = app
            .created(
                "/api/v1/organisations",
                json!({"name": format!("Verein {i}"), "kind": "mso"}),
            )
            .await;
        let person = app
            .created(
                "/api/v1/persons",
                json!({"given_name": "Vertretung", "family_name": format!("Verein {i}")}),
            )
            .await;
        app.created(&format!("/api/v1/bodies/{gid}/members"), json!({"person_id": person["id"], "on_behalf_of": org["id"], "role": "member", "from": "2020-09-01"})).await;
        attendance.push(json!({"attendee": format!("p:{}", person["id"].as_str().unwrap()), "status": "present"}));
    }
    let mut group_meetings = Vec::new();
    for (day, mode) in [("2020-09-14", "in_person"), ("2020-11-24", "digital")] {
        let m = app.created("/api/v1/meetings", json!({"body_id": gid, "title": "Treffen", "starts_at": format!("{day}T17:00"), "mode": mode, "status": "held"})).await;
        app.replaced(
            &format!("/api/v1/meetings/{}/attendance", m["id"].as_str().unwrap()),
            json!({"version": m["version"], "attendance": attendance}),
        )
        .await;
        group_meetings.push(m);
    }
    // Target 2: the integration council, three sessions held, one attended.
    let council = app
        .created(
            "/api/v1/bodies",
            json!({"name": "Integrationsrat", "kind": "integration_council"}),
        )
        .await;
    for (i, day) in ["2020-10-01", "2021-02-04", "2021-06-10"]
        .iter()
        .enumerate()
    {
        let m = app.created("/api/v1/meetings", json!({"body_id": council["id"], "title": "Sitzung", "starts_at": format!("{day}T18:00"), "mode": "in_person", "status": "held"})).await;
        let status = if i == 1 { "present" } else { "excused" };
        app.replaced(&format!("/api/v1/meetings/{}/attendance", m["id"].as_str().unwrap()),
            json!({"version": m["version"], "attendance": [{"attendee": format!("u:{me}"), "status": status}]}),
        )
        .await;
    }
    // Beyond: the advisory group membership until the end of 2020.
    let advisory = app
        .created(
            "/api/v1/bodies",
            json!({"name": "Beirat Forschungsprojekt", "kind": "advisory_group"}),
        )
        .await;
    app.created(
        &format!(
            "/api/v1/bodies/{}/members",
            advisory["id"].as_str().unwrap()
        ),
        json!({"user_id": me, "role": "member", "from": "2019-01-01", "to": "2020-12-31"}),
    )
    .await;
    // Beyond: the integration prize ceremony the office organised.
    let office = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Kommunales Integrationszentrum", "kind": "public_body"}),
        )
        .await;
    app.created("/api/v1/events", json!({"title": "Verleihung des Integrationspreises", "starts_at": "2021-03-12T18:00", "mode": "in_person", "place": "Ratssaal", "status": "held", "organisers": [office["id"]]})).await;
    let period = app
        .created(
            "/api/v1/periods",
            json!({"kind": "school_year", "year": "2020"}),
        )
        .await;
    let pid = period["id"].as_str().unwrap().to_owned();

    // A report for a period without targets can be generated, and says so.
    let empty: Value = app
        .get(&format!("/api/v1/periods/{pid}/report"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(empty["verdict"], "none");
    assert_eq!(
        empty["missing"][0],
        "Für das Projekt „Koordination mit Migrantenselbstorganisationen (MSO)“ sind keine Ziele erfasst."
    );

    let t = app.created("/api/v1/targets", json!({"period_id": pid, "number": "1", "title": "Mindestens sechs Besuche bei MSO", "metric": "interactions", "kinds": ["visit"], "organisation_kinds": ["mso"], "wanted": "6",
        "deviation_reason": "Geplante Besuche wurden wegen der Kontaktbeschränkungen abgesagt.", "substitute_measures": "Stattdessen wurde ein Arbeitskreis der MSO gegründet.",
        "substitutes": [format!("body:{gid}")]})).await;
    assert_eq!(t["status"], "not_met");
    assert_eq!(t["substitutes"][0]["organisations_represented"], 7);
    assert_eq!(t["substitutes"][0]["meetings"].as_array().unwrap().len(), 2);
    let r = app.client.post(app.url("/api/v1/targets")).json(&json!({"period_id": pid, "number": "9", "title": "x", "metric": "manual", "wanted": "1", "substitutes": ["body:00000000-0000-0000-0000-000000000000"]})).send().await.unwrap();
    assert_eq!(r.status(), 422, "a link to no record");
    let council_target = app.created("/api/v1/targets", json!({"period_id": pid, "number": "2", "title": "Teilnahme an den Sitzungen des Integrationsrats", "metric": "staff_attendance_rate", "body_id": council["id"], "wanted": "100", "partly_at": "30"})).await;
    assert_eq!(council_target["status"], "partly_met");

    // Texts: introduction and outlook; the rest generated.
    let r = app.client.put(app.url(&format!("/api/v1/periods/{pid}/report/texts"))).json(&json!({"introduction": "Das KI Lindenau berichtet über das Schuljahr.", "outlook": "Im kommenden Jahr sollen die Besuche nachgeholt werden.", "place": "Lindenau", "dated": "2021-07", "version": 0})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .put(app.url(&format!("/api/v1/periods/{pid}/report/texts")))
        .json(&json!({"outlook": "x", "version": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "a stale save");

    let facts = [
        "Sachbericht 2020/21",
        "Ziel 1: Mindestens sechs Besuche bei MSO",
        "0 von 6 Besuchen",
        "nicht erreicht",
        "wegen der Kontaktbeschränkungen abgesagt",
        "Stattdessen wurde ein Arbeitskreis der MSO gegründet.",
        "Arbeitskreis MSO (gegründet am 01.09.2020): 2 Sitzungen – 14.09.2020 in Präsenz, 24.11.2020 digital; 7 Organisationen vertreten",
        "Ziel 2: Teilnahme an den Sitzungen des Integrationsrats",
        "1 von 3 Sitzungen (33 %)",
        "teilweise erreicht",
        "Die angestrebten Ziele wurden teilweise erreicht.",
        "Eine Person aus dem KI-Team war bis Ende 2020 Mitglied des Gremiums „Beirat Forschungsprojekt“.",
        "Das KI organisierte die Veranstaltung „Verleihung des Integrationspreises“ (März 2021).",
        "Im kommenden Jahr sollen die Besuche nachgeholt werden.",
        "Lindenau, im Juli 2021",
    ];
    let md = app
        .get(&format!("/api/v1/periods/{pid}/report?format=md"))
        .await
        .text()
        .await
        .unwrap();
    for fact in facts {
        assert!(md.contains(fact), "missing {fact:?} in\n{md}");
    }
    for table_row in [
        "| Arbeitskreis MSO | 2 | 2 | 0 |",
        "| Integrationsrat | 3 | 1 | 0 |",
        "| 2020-11 | 0 | 1 |",
    ] {
        assert!(md.contains(table_row), "missing {table_row:?} in\n{md}");
    }
    let html = app
        .get(&format!("/api/v1/periods/{pid}/report?format=html"))
        .await;
    assert_eq!(html.status(), 200);
    let html = crate::helpers::Page::from_response(html).await;
    assert_eq!(
        html.text("#report-verdict-1"),
        "Die angestrebten Ziele wurden teilweise erreicht."
    );
    let html_text = html.text("#report");
    for fact in facts {
        assert!(html_text.contains(fact), "missing {fact:?} in the HTML");
    }
    // Two months with cancelled contacts, and the legend's two swatches.
    assert_eq!(html.count("#contacts-chart-1 svg rect"), 4);
    assert_eq!(html.count("#attendance-chart-1 svg rect"), 2 + 2 * 2);

    // PDF, DOCX and ODT say the same.
    let pdf = download(
        &app,
        &format!("/api/v1/periods/{pid}/report?format=pdf"),
        "application/pdf",
    )
    .await;
    assert!(pdf.starts_with(b"%PDF-"));
    let pdf_text = msohub_typeset::pdf_text(&pdf).unwrap();
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let pdf_flat = flat(&pdf_text);
    for fact in facts {
        assert!(
            pdf_flat.contains(&flat(fact)),
            "missing {fact:?} in the PDF text:\n{pdf_text}"
        );
    }
    // The letterhead: the office's name heads it, the footer numbers the
    // pages.
    let office = app.get_json(&format!("/api/v1/periods/{pid}/report")).await["office"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(pdf_flat.contains(&office), "no letterhead in {pdf_text}");
    assert!(pdf_flat.contains("Seite 1 von"), "{pdf_text}");
    let docx = download(
        &app,
        &format!("/api/v1/periods/{pid}/report?format=docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    .await;
    let part = |name: &str| {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&docx[..])).unwrap();
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut archive.by_name(name).unwrap(), &mut out).unwrap();
        out
    };
    assert!(
        String::from_utf8(part("word/header1.xml"))
            .unwrap()
            .contains(&office)
    );
    assert!(
        String::from_utf8(part("word/footer1.xml"))
            .unwrap()
            .contains(" PAGE ")
    );
    // The charts as pictures with their text alternative.
    assert!(part("word/media/chart1.png").starts_with(b"\x89PNG"));
    assert!(
        String::from_utf8(part("word/document.xml"))
            .unwrap()
            .contains("descr=\"")
    );
    for (format, mime) in [
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("odt", "application/vnd.oasis.opendocument.text"),
    ] {
        let file = download(
            &app,
            &format!("/api/v1/periods/{pid}/report?format={format}"),
            mime,
        )
        .await;
        let text = msohub_exchange::document::office_text(&file).unwrap();
        for fact in facts {
            assert!(
                text.contains(fact),
                "missing {fact:?} in the {format} text:\n{text}"
            );
        }
    }
    // In English too.
    let en = app
        .get(&format!("/api/v1/periods/{pid}/report?format=md&lang=en"))
        .await
        .text()
        .await
        .unwrap();
    for fact in [
        "# Annual report 2020/21",
        "**Figure:** 0 of 6 visits – **not met**",
        "**The targets were partly met.**",
        "Arbeitskreis MSO (founded on 1 September 2020): 2 meetings – 14 September 2020 in person, 24 November 2020 online; 7 organisations represented",
        "Lindenau, July 2021",
    ] {
        assert!(en.contains(fact), "missing {fact:?} in\n{en}");
    }
    for bad in ["?format=rtf", "?lang=xx"] {
        let r = app.get(&format!("/api/v1/periods/{pid}/report{bad}")).await;
        assert_eq!(r.status(), 422, "{bad}");
    }

    let page = app.get_page(&format!("/app/periods/{pid}/report")).await;
    assert!(
        page.text("#report-target-1-1")
            .contains("Im Berichtszeitraum fanden 0 von 6 angestrebten Besuchen statt.")
    );
    assert_eq!(page.count("#report-downloads a"), 5);

    // Finalise: a frozen version that later edits do not change.
    let r = app
        .post_form(
            &format!("/app/periods/{pid}/report/versions"),
            &[("note", "an die Bezirksregierung")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let frozen_md = app
        .get(&format!(
            "/api/v1/periods/{pid}/report/versions/1?format=md"
        ))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(frozen_md, md, "the frozen version is the report as it was");
    // Later: a narrative replaces the draft, a record is deleted.
    let texts: Value = app
        .get(&format!("/api/v1/periods/{pid}/report"))
        .await
        .json()
        .await
        .unwrap();
    let r = app.client.put(app.url(&format!("/api/v1/periods/{pid}/report/texts"))).json(&json!({"outlook": "Ausblick", "version": texts["texts_version"], "narratives": {t["id"].as_str().unwrap(): "Eigener Text zu Ziel 1."}})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let second = group_meetings[1]["id"].as_str().unwrap();
    let current: Value = app
        .get(&format!("/api/v1/meetings/{second}"))
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .client
        .delete(app.url(&format!(
            "/api/v1/meetings/{second}?version={}",
            current["version"]
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let page = app.get_page(&format!("/app/periods/{pid}/report")).await;
    assert!(
        page.text("#report-target-1-1")
            .contains("Eigener Text zu Ziel 1.")
    );
    assert!(
        page.text("#report-target-1-1")
            .contains("1 Sitzung – 14.09.2020 in Präsenz")
    );
    let frozen = app
        .get_page(&format!("/app/periods/{pid}/report/versions/1"))
        .await;
    assert!(
        frozen
            .text("#report-frozen")
            .contains("Abgeschlossene Fassung 1")
    );
    assert!(
        frozen
            .text("#report-target-1-1")
            .contains("Im Berichtszeitraum fanden 0 von 6 angestrebten Besuchen statt.")
    );
    assert!(frozen.text("#report-target-1-1").contains("2 Sitzungen"));
    let frozen_pdf = download(
        &app,
        &format!("/api/v1/periods/{pid}/report/versions/1?format=pdf"),
        "application/pdf",
    )
    .await;
    assert!(
        flat(&msohub_typeset::pdf_text(&frozen_pdf).unwrap())
            .contains("2 Sitzungen – 14.09.2020 in Präsenz, 24.11.2020 digital")
    );
    // A second version, and the differences.
    let r = app
        .client
        .post(app.url(&format!("/api/v1/periods/{pid}/report/versions")))
        .json(&json!({"note": "korrigiert"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let versions: Value = app
        .get(&format!("/api/v1/periods/{pid}/report/versions"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(versions["items"][0]["number"], 2);
    assert_eq!(versions["items"][1]["note"], "an die Bezirksregierung");
    let diff: Value = app
        .get(&format!("/api/v1/periods/{pid}/report/diff?from=1&to=2"))
        .await
        .json()
        .await
        .unwrap();
    let changed = |change: &str| -> Vec<String> {
        diff["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["change"] == change)
            .map(|l| l["text"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(changed("added").contains(&"Eigener Text zu Ziel 1.".to_owned()));
    assert!(
        changed("removed")
            .iter()
            .any(|l| l.contains("Im Berichtszeitraum fanden 0"))
    );
    let page = app
        .get_page(&format!("/app/periods/{pid}/report/diff?from=1&to=2"))
        .await;
    assert!(
        page.text("#report-diff ins")
            .contains("Eigener Text zu Ziel 1.")
    );
    let r = app
        .get(&format!("/api/v1/periods/{pid}/report/versions/7"))
        .await;
    assert_eq!(r.status(), 404);
}

async fn download(app: &TestApp, path: &str, mime: &str) -> Vec<u8> {
    let r = app.get(path).await;
    assert_eq!(r.status(), 200, "{path}");
    assert_eq!(r.headers()["content-type"], mime);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"sachbericht-2020-21")
    );
    r.bytes().await.unwrap().to_vec()
}

async fn the_school_year_2020_21_is_measured_from_the_records(app: TestApp) {
    app.sign_in("staff").await;
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    let me = me["id"].as_str().unwrap().to_owned();
    let mso = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Kulturverein", "kind": "mso"}),
        )
        .await;
    let welfare = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Caritas", "kind": "welfare"}),
        )
        .await;
    // Two visits to MSOs held, four cancelled, one to a welfare organisation.
    for (day, status, org) in [
        ("2020-09-15", "held", &mso),
        ("2021-05-20", "held", &mso),
        ("2020-11-10", "cancelled", &mso),
        ("2020-12-01", "cancelled", &mso),
        ("2021-01-12", "cancelled", &mso),
        ("2021-03-03", "cancelled", &mso),
        ("2021-02-02", "held", &welfare),
    ] {
        app.created("/api/v1/interactions", json!({"subject": "Besuch", "kind": "visit", "mode": "in_person", "status": status, "cancel_reason": "contact_restrictions", "starts_at": format!("{day}T10:00"), "organisations": [org["id"]]})).await;
    }
    // Outside the period: not counted.
    app.created("/api/v1/interactions", json!({"subject": "Besuch", "kind": "visit", "mode": "in_person", "status": "held", "starts_at": "2021-08-02T10:00", "organisations": [mso["id"]]})).await;
    let council = app
        .created(
            "/api/v1/bodies",
            json!({"name": "Integrationsrat", "kind": "integration_council"}),
        )
        .await;
    let cid = council["id"].as_str().unwrap().to_owned();
    for (i, day) in ["2020-10-01", "2021-02-04", "2021-06-10"]
        .iter()
        .enumerate()
    {
        let m = app.created("/api/v1/meetings", json!({"body_id": cid, "title": "Sitzung", "starts_at": format!("{day}T18:00"), "mode": "in_person", "status": "held"})).await;
        let status = if i == 1 { "present" } else { "excused" };
        let r = app.client.put(app.url(&format!("/api/v1/meetings/{}/attendance", m["id"].as_str().unwrap()))).json(&json!({"version": 1, "attendance": [{"attendee": format!("u:{me}"), "status": status}]})).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }

    // The period, through the page.
    let r = app
        .post_form("/app/periods", &[("kind", "school_year"), ("year", "2020")])
        .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let pid = location
        .trim_start_matches("/app/periods/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let r = app
        .post_form("/app/periods", &[("kind", "school_year"), ("year", "2020")])
        .await;
    assert_eq!(
        Page::from_response(r).await.status,
        422,
        "the same school year twice"
    );

    let visits = app.created("/api/v1/targets", json!({"period_id": pid, "number": "1", "title": "Mindestens sechs Besuche bei MSO", "metric": "interactions", "kinds": ["visit"], "organisation_kinds": ["mso"], "wanted": "6"})).await;
    assert_eq!(visits["actual"], 2.0);
    assert_eq!(visits["status"], "not_met");
    assert!(
        visits["records_href"]
            .as_str()
            .unwrap()
            .contains("kind=visit")
    );
    let rate = app.created("/api/v1/targets", json!({"period_id": pid, "number": "2", "title": "Teilnahme an den Sitzungen des Integrationsrats", "metric": "staff_attendance_rate", "body_id": cid, "wanted": "100", "partly_at": "30"})).await;
    assert_eq!(rate["actual"], 33.3);
    assert_eq!(rate["status"], "partly_met");
    let held = app.created("/api/v1/targets", json!({"period_id": pid, "number": "3", "title": "Integrationsrat tagt", "metric": "meetings_held", "body_id": cid, "wanted": "3"})).await;
    assert_eq!(held["status"], "met");

    // Bad input: an override without a reason; a body metric without a body.
    let r = app
        .client
        .patch(app.url(&format!(
            "/api/v1/targets/{}",
            visits["id"].as_str().unwrap()
        )))
        .json(&json!({"override_status": "partly_met", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["rule"],
        "override-reason-required"
    );
    let r = app.client.post(app.url("/api/v1/targets")).json(&json!({"period_id": pid, "number": "4", "title": "x", "metric": "meetings_held", "wanted": "1"})).send().await.unwrap();
    assert_eq!(r.status(), 422);
    // A threshold over 100 %, and a custom period overlapping another.
    let r = app.client.post(app.url("/api/v1/targets")).json(&json!({"period_id": pid, "number": "4", "title": "x", "metric": "manual", "wanted": "1", "met_at": "150"})).send().await.unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["rule"],
        "percent-invalid"
    );
    let r = app.client.post(app.url("/api/v1/periods")).json(&json!({"kind": "custom", "name": "Frühjahr", "starts_on": "2021-03-01", "ends_on": "2021-04-30"})).send().await.unwrap();
    assert_eq!(
        r.status(),
        201,
        "a custom period may lie within a school year"
    );
    let r = app.client.post(app.url("/api/v1/periods")).json(&json!({"kind": "custom", "name": "Frühjahr 2", "starts_on": "2021-04-01", "ends_on": "2021-05-31"})).send().await.unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["rule"],
        "period-overlap"
    );

    // The deviation and what was done instead.
    let r = app.client.patch(app.url(&format!("/api/v1/targets/{}", visits["id"].as_str().unwrap()))).json(&json!({"deviation_reason": "Kontaktbeschränkungen in der Pandemie", "substitute_measures": "Statt Besuchen wurde ein Arbeitskreis gegründet.", "version": 1})).send().await.unwrap();
    assert_eq!(r.status(), 200);

    let period: Value = app
        .get(&format!("/api/v1/periods/{pid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(period["period"]["name"], "2020/21");
    assert_eq!(period["period"]["starts_on"], "2020-08-01");
    assert_eq!(period["period"]["ends_on"], "2021-07-31");
    assert_eq!(period["verdict"], "partly_met");

    // The page: progress, statuses, the verdict in the report's words.
    let page = app.get_page(&format!("/app/periods/{pid}")).await;
    assert_eq!(
        page.text("#verdict"),
        "Die angestrebten Ziele wurden teilweise erreicht."
    );
    assert_eq!(page.count("#targets progress"), 3);
    assert!(page.text("#target-1").contains("nicht erreicht"));
    assert!(
        page.text("#target-1")
            .contains("Statt Besuchen wurde ein Arbeitskreis gegründet.")
    );
    assert!(page.text("#target-2").contains("teilweise erreicht"));
    // The figures read as the report words them, in the page's language.
    assert!(
        page.text("#target-2").contains("1 von 3 Sitzungen (33 %)"),
        "{}",
        page.text("#target-2")
    );
    assert_eq!(page.attr("#target-1 progress", "value"), "33");
    // /app/targets shows the current period (none contains today: the latest).
    let page = app.get_page("/app/targets").await;
    assert_eq!(page.text("h1"), "Ziele 2020/21");
    assert_eq!(page.count("#targets progress"), 3);
    // The override, through the form, with its justification.
    let form = app
        .get_page(&format!("/app/targets/{}", held["id"].as_str().unwrap()))
        .await;
    assert!(form.text("#computed").contains("erreicht"));
    let r = app
        .post_form(
            &format!("/app/targets/{}", held["id"].as_str().unwrap()),
            &[
                ("version", "1"),
                ("period_id", &pid),
                ("number", "3"),
                ("title", "Integrationsrat tagt"),
                ("metric", "meetings_held"),
                ("body_id", &cid),
                ("wanted", "3"),
                ("met_at", "100"),
                ("partly_at", "50"),
                ("override_status", "partly_met"),
                ("override_reason", ""),
            ],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(page.text("#override_reason-error").contains("begründen"));
}
