//! Surveys reach organisations without accounts: e-mailed invitations and
//! reminders (representatives to the portal, others a personal link, in
//! the person's language, only with the `contact` consent), the personal
//! link (answers without an account, replaced on demand, shut when the
//! survey closes), and needs taken from answers once.

use crate::helpers::{TestApp, new_client};
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(
    invitations_reminders_and_personal_links_reach_every_organisation,
    an_answer_becomes_a_need_once,
    the_report_shows_needs_and_chosen_survey_results_in_every_format,
);

fn de(text: &str) -> Value {
    json!({ "de": text })
}

fn survey() -> Value {
    json!({
        "title": { "de": "Bedarfsabfrage 2026", "ar": "استبيان الاحتياجات 2026" },
        "questions": [
            { "kind": "yes_no", "text": de("Haben Sie eigene Räume?"), "required": true },
            { "kind": "long_text", "text": de("Was brauchen Sie am dringendsten?") }
        ],
        "reminder_limit": 2
    })
}

/// The personal link's token in a mail's text.
fn token_in(text: &str) -> String {
    let start = text.find("/survey-link/").expect("a personal link") + "/survey-link/".len();
    text[start..].split_whitespace().next().unwrap().to_owned()
}

async fn organisation(app: &TestApp, name: &str, email: Option<&str>) -> String {
    let mut body = json!({ "name": name, "kind": "mso" });
    if let Some(e) = email {
        body["email"] = json!(e);
    }
    app.created("/api/v1/organisations", body).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A person of `org` with an address; with the contact consent if asked.
async fn person(app: &TestApp, org: &str, email: &str, languages: &str, consent: bool) {
    let p = app
        .created(
            "/api/v1/persons",
            json!({ "given_name": "Rana", "family_name": "Haddad", "email": email, "languages": languages }),
        )
        .await;
    let id = p["id"].as_str().unwrap();
    app.created(
        &format!("/api/v1/persons/{id}/affiliations"),
        json!({ "organisation_id": org, "role": "Vorsitzende", "from": "2020-01-01" }),
    )
    .await;
    if consent {
        app.created(
            &format!("/api/v1/persons/{id}/consents"),
            json!({ "purpose": "contact", "given_on": "2024-03-01", "source": "Formular" }),
        )
        .await;
    }
}

async fn invitations_reminders_and_personal_links_reach_every_organisation(app: TestApp) {
    let rep = app.representative("Elternverein Anadolu").await;
    let sink = crate::smtp::Sink::start(0).await;
    app.sign_in("admin").await;
    app.replaced(
        "/api/v1/settings",
        json!({"office_name": "KI Lindenau", "smtp_host": "127.0.0.1", "smtp_port": sink.port.to_string(), "smtp_security": "none", "smtp_from": "KI <ki@lindenau.example>"}),
    )
    .await;
    // Without a portal account: its own address, one person who agreed to
    // be contacted (Arabic first), one who did not.
    let linked = organisation(
        &app,
        "Syrischer Kulturverein",
        Some("info@kulturverein.example"),
    )
    .await;
    person(&app, &linked, "rana@kulturverein.example", "ar, de", true).await;
    person(&app, &linked, "still@kulturverein.example", "de", false).await;
    let unreachable = organisation(&app, "Verein ohne Adresse", None).await;

    let created = app.created("/api/v1/surveys", survey()).await;
    let id = created["id"].as_str().unwrap().to_owned();
    // A draft cannot be mailed.
    let (status, problem) = app
        .post_json(&format!("/api/v1/surveys/{id}/invite"), json!({}))
        .await;
    assert_eq!(status, 422, "{problem}");
    app.created(
        &format!("/api/v1/surveys/{id}/send"),
        json!({ "organisations": [rep.organisation_id, linked, unreachable], "version": created["version"] }),
    )
    .await;

    let report = app
        .created(&format!("/api/v1/surveys/{id}/invite"), json!({}))
        .await;
    assert_eq!(report["queued"], 3, "{report}");
    assert_eq!(report["organisations"], 2, "{report}");
    assert_eq!(report["without_address"][0]["name"], "Verein ohne Adresse");
    let mails = sink.wait_for(3).await;
    let to = |address: &str| {
        mails
            .iter()
            .find(|m| m.to.iter().any(|t| t.contains(address)))
            .unwrap_or_else(|| panic!("a mail to {address}"))
    };
    assert!(
        !mails
            .iter()
            .any(|m| m.to.iter().any(|t| t.contains("still@"))),
        "no consent, no mail"
    );
    let rep_text = to(&rep.email).part("text/plain").unwrap();
    assert!(
        rep_text.contains(&format!("/portal/de/surveys/{id}/{}", rep.organisation_id)),
        "{rep_text}"
    );
    assert!(!rep_text.contains("/survey-link/"), "{rep_text}");
    let arabic = to("rana@kulturverein.example");
    let arabic_text = arabic.part("text/plain").unwrap();
    assert!(
        arabic_text.contains("/portal/ar/survey-link/"),
        "{arabic_text}"
    );
    assert!(
        arabic_text.contains("استبيان الاحتياجات 2026"),
        "{arabic_text}"
    );
    let office_text = to("info@kulturverein.example").part("text/plain").unwrap();
    assert!(
        office_text.contains("/portal/de/survey-link/"),
        "{office_text}"
    );
    // Every e-mail of the organisation carries the same link.
    let token = token_in(&office_text);
    assert_eq!(token, token_in(&arabic_text));

    // Invited once: a second run writes to nobody again, and names the
    // organisation still without an address.
    let again = app
        .created(&format!("/api/v1/surveys/{id}/invite"), json!({}))
        .await;
    assert_eq!(again["queued"], 0, "{again}");
    assert_eq!(again["without_address"][0]["name"], "Verein ohne Adresse");

    // The link opens the survey without an account, and answers it.
    let anonymous = new_client();
    let r = anonymous
        .get(app.url(&format!("/api/v1/survey-links/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers().get("cache-control").unwrap().to_str().unwrap(),
        "no-store"
    );
    let seen: Value = r.json().await.unwrap();
    assert_eq!(seen["organisation"]["name"], "Syrischer Kulturverein");
    assert!(seen["answer"].is_null());
    let r = anonymous
        .put(app.url(&format!("/api/v1/survey-links/{token}")))
        .json(&json!({ "answers": { "q1": "no", "q2": "Einen Raum für die Hausaufgabenhilfe" }, "version": 0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A tampered link opens nothing (the same answer as a replaced one).
    let mut forged = token.clone().into_bytes();
    let last = forged.len() - 1;
    forged[last] = if forged[last] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    for path in [
        format!("/api/v1/survey-links/{forged}"),
        "/api/v1/survey-links/nonsense".to_owned(),
    ] {
        let r = anonymous.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    // The audit log names the link, not a person.
    let results = app.get_json(&format!("/api/v1/surveys/{id}/results")).await;
    assert_eq!(results["answered"], 1);

    // The portal page of the link, in Arabic, without signing in.
    let page = anonymous
        .get(app.url(&format!("/portal/ar/survey-link/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.headers()
            .get("referrer-policy")
            .unwrap()
            .to_str()
            .unwrap(),
        "no-referrer"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("استبيان الاحتياجات 2026"), "the Arabic title");
    assert!(html.contains("Einen Raum für die Hausaufgabenhilfe"));
    let saved = anonymous
        .post(app.url(&format!("/portal/ar/survey-link/{token}")))
        .form(&[
            ("version", "1"),
            ("q1", "yes"),
            ("q2", "Einen Raum und einen Beamer"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    assert_eq!(
        saved.headers().get("location").unwrap().to_str().unwrap(),
        format!("/portal/ar/survey-link/{token}?done=saved")
    );
    // A stale version is refused and named, not overwritten.
    let stale = anonymous
        .post(app.url(&format!("/portal/ar/survey-link/{token}")))
        .form(&[("version", "1"), ("q1", "no")])
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 409);

    // Reminders: only the organisation that has not answered, at most
    // twice.
    for round in 1..=2 {
        let report = app
            .created(&format!("/api/v1/surveys/{id}/remind"), json!({}))
            .await;
        assert_eq!(report["organisations"], 1, "round {round}: {report}");
        assert_eq!(report["queued"], 1, "round {round}: {report}");
    }
    let mails = sink.wait_for(5).await;
    assert!(
        mails[3..]
            .iter()
            .all(|m| m.to.iter().any(|t| t.contains(&rep.email))),
        "reminders go to the representative only"
    );
    let (status, problem) = app
        .post_json(&format!("/api/v1/surveys/{id}/remind"), json!({}))
        .await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["rule"], "nobody-to-remind");
    let recipients = app
        .get_json(&format!("/api/v1/surveys/{id}/recipients"))
        .await;
    let anadolu = recipients["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["organisation"]["name"] == "Elternverein Anadolu")
        .unwrap();
    assert_eq!(anadolu["reminded"], 2);
    assert!(anadolu["answered_at"].is_null());
    let deliveries = app
        .get_json(&format!("/api/v1/surveys/{id}/deliveries"))
        .await;
    assert_eq!(deliveries["items"].as_array().unwrap().len(), 5);

    // Staff see the link to pass it on, and replace it: the old one stops.
    let shown = app
        .get_json(&format!("/api/v1/surveys/{id}/links/{linked}"))
        .await;
    assert!(shown["url"].as_str().unwrap().ends_with(&token));
    // All links at once, by organisation (the contract).
    let all = app.get_json(&format!("/api/v1/surveys/{id}/links")).await;
    let items = all["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let of_linked = items
        .iter()
        .find(|i| i["organisation_id"] == linked.as_str())
        .unwrap();
    assert!(of_linked["link"].as_str().unwrap().ends_with(&token));
    let renewed = app
        .created(
            &format!("/api/v1/surveys/{id}/links/{linked}/renew"),
            json!({}),
        )
        .await;
    assert_eq!(renewed["generation"], 1);
    let new_token = token_in(renewed["url"].as_str().unwrap());
    assert_ne!(new_token, token);
    let r = anonymous
        .get(app.url(&format!("/api/v1/survey-links/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "the replaced link");
    let page = anonymous
        .get(app.url(&format!("/portal/de/survey-link/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    assert!(page.text().await.unwrap().contains("ersetzt"));
    let r = anonymous
        .get(app.url(&format!("/api/v1/survey-links/{new_token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A link of one organisation does not open another's survey: the
    // organisation comes from the link, and a link for an organisation the
    // survey did not go to opens nothing.
    let (status, _) = app
        .send_json(
            reqwest::Method::GET,
            &format!("/api/v1/surveys/{id}/links/{}", uuid::Uuid::now_v7()),
            json!(null),
        )
        .await;
    assert_eq!(status, 404);

    // Closed: the link shows no answer and takes none.
    let db = app.database().await;
    use sea_orm::ConnectionTrait;
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => "UPDATE survey SET closes_on = $1 WHERE id = $2",
        _ => "UPDATE survey SET closes_on = ? WHERE id = ?",
    };
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        sql,
        [
            chrono::NaiveDate::from_ymd_opt(2020, 1, 31).unwrap().into(),
            uuid::Uuid::parse_str(&id).unwrap().into(),
        ],
    ))
    .await
    .unwrap();
    let seen: Value = anonymous
        .get(app.url(&format!("/api/v1/survey-links/{new_token}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(seen["state"], "closed");
    assert!(seen["answer"].is_null(), "{seen}");
    let r = anonymous
        .put(app.url(&format!("/api/v1/survey-links/{new_token}")))
        .json(&json!({ "answers": { "q1": "no" }, "version": 2 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let (status, _) = app
        .post_json(&format!("/api/v1/surveys/{id}/remind"), json!({}))
        .await;
    assert_eq!(status, 422, "a closed survey sends nothing");
}

async fn an_answer_becomes_a_need_once(app: TestApp) {
    let rep = app.representative("Elternverein Anadolu").await;
    app.sign_in("staff").await;
    let created = app.created("/api/v1/surveys", survey()).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let org = rep.organisation_id;
    app.created(
        &format!("/api/v1/surveys/{id}/send"),
        json!({ "organisations": [org], "version": created["version"] }),
    )
    .await;
    let path = format!("/api/v1/surveys/{id}/answers/{org}/needs");
    // Nothing answered yet.
    let (status, _) = app
        .post_json(&path, json!({ "question": "q2", "category": "rooms" }))
        .await;
    assert_eq!(status, 404);
    let r = rep
        .client
        .put(app.url(&format!("/api/v1/surveys/{id}/answers/{org}")))
        .json(&json!({ "answers": { "q1": "no" }, "version": 0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (status, problem) = app
        .post_json(&path, json!({ "question": "q2", "category": "rooms" }))
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["rule"], "not-answered");
    let (status, problem) = app
        .post_json(&path, json!({ "question": "q9", "category": "rooms" }))
        .await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["rule"], "question-unknown");
    let r = rep
        .client
        .put(app.url(&format!("/api/v1/surveys/{id}/answers/{org}")))
        .json(&json!({ "answers": { "q1": "no", "q2": "Einen Raum für Treffen" }, "version": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (status, problem) = app
        .post_json(&path, json!({ "question": "q2", "category": "nonsense" }))
        .await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "category");

    let (status, made) = app
        .post_json(&path, json!({ "question": "q2", "category": "rooms" }))
        .await;
    assert_eq!(status, 201, "{made}");
    assert!(made["created"].as_bool().unwrap());
    let need = &made["need"];
    assert_eq!(need["source"], "survey");
    assert_eq!(need["source_survey_id"], id.as_str());
    assert_eq!(need["source_question"], "q2");
    assert_eq!(need["status"], "open");
    assert!(
        need["description"]
            .as_str()
            .unwrap()
            .contains("Einen Raum für Treffen")
    );
    // A second click finds the first need.
    let (status, again) = app
        .post_json(&path, json!({ "question": "q2", "category": "rooms" }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(again["need"]["id"], need["id"]);
    assert!(!again["created"].as_bool().unwrap());
    // Yes/no answers in words.
    let (status, yes_no) = app
        .post_json(&path, json!({ "question": "q1", "category": "rooms" }))
        .await;
    assert_eq!(status, 201);
    assert!(
        yes_no["need"]["description"]
            .as_str()
            .unwrap()
            .ends_with(": Nein")
    );
    // The results link the text answer to its need; the needs register
    // has both, from the survey.
    let results = app.get_json(&format!("/api/v1/surveys/{id}/results")).await;
    assert_eq!(results["questions"][1]["texts"][0]["need_id"], need["id"]);
    let needs = app
        .get_json(&format!("/api/v1/needs?organisation={org}&source=survey"))
        .await;
    assert_eq!(needs["total"], 2, "{needs}");

    // The page: the text answer offers "record as a need" no more, but
    // links the need; the form makes needs too.
    let page = app.get(&format!("/app/surveys/{id}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("/app/needs/{}", need["id"].as_str().unwrap())));
    let r = app
        .post_form(
            &format!("/app/surveys/{id}/needs"),
            &[
                ("organisation", &org.to_string()),
                ("question", "q2"),
                ("category", "rooms"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers().get("location").unwrap().to_str().unwrap(),
        format!(
            "/app/needs/{}?done=from-survey-before",
            need["id"].as_str().unwrap()
        )
    );
}

async fn the_report_shows_needs_and_chosen_survey_results_in_every_format(app: TestApp) {
    let rep = app.representative("Elternverein Anadolu").await;
    let org = rep.organisation_id;
    app.sign_in("staff").await;
    let period = app
        .created(
            "/api/v1/periods",
            json!({"kind": "school_year", "year": "2025"}),
        )
        .await;
    let pid = period["id"].as_str().unwrap().to_owned();
    // Three needs in the period, one before it (not counted).
    for (category, status, raised, outcome) in [
        ("rooms", "open", "2025-09-15", ""),
        (
            "rooms",
            "addressed",
            "2026-02-01",
            "Raum im Bürgerhaus vermittelt",
        ),
        ("funding", "in_progress", "2026-05-20", ""),
        ("funding", "open", "2024-05-20", ""),
    ] {
        app.created(
            "/api/v1/needs",
            json!({"organisation_id": org, "category": category, "description": "Bedarf",
                "source": "other", "status": status, "raised_on": raised, "outcome": outcome}),
        )
        .await;
    }
    let created = app.created("/api/v1/surveys", survey()).await;
    let sid = created["id"].as_str().unwrap().to_owned();
    app.created(
        &format!("/api/v1/surveys/{sid}/send"),
        json!({ "organisations": [org], "version": created["version"] }),
    )
    .await;
    let r = rep
        .client
        .put(app.url(&format!("/api/v1/surveys/{sid}/answers/{org}")))
        .json(&json!({ "answers": { "q1": "yes", "q2": "Geheimer Freitext des Vereins" }, "version": 0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Off until chosen.
    let report = app.get_json(&format!("/api/v1/periods/{pid}/report")).await;
    assert!(report["needs"].is_null());
    let texts = app
        .get_json(&format!("/api/v1/periods/{pid}/report/texts"))
        .await;
    let mut changed = texts.clone();
    changed["needs"] = json!({ "include": true, "surveys": [uuid::Uuid::now_v7()] });
    let (status, problem) = app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/periods/{pid}/report/texts"),
            changed.clone(),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["rule"], "survey-unknown");
    changed["needs"] = json!({ "include": true, "surveys": [sid] });
    app.replaced(&format!("/api/v1/periods/{pid}/report/texts"), changed)
        .await;

    let report = app.get_json(&format!("/api/v1/periods/{pid}/report")).await;
    let needs = &report["needs"];
    assert_eq!(needs["total"], 3, "{needs}");
    assert_eq!(needs["resolved"], 1);
    let rooms = needs["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["total"] == 2)
        .expect("rooms: two");
    assert_eq!(rooms["by_status"], json!([1, 0, 1, 0]));
    let survey = &needs["surveys"][0];
    assert_eq!(survey["title"], "Bedarfsabfrage 2026");
    assert_eq!(survey["answered"], 1);
    // Text questions stay out of the report.
    assert_eq!(survey["questions"].as_array().unwrap().len(), 1);
    assert_eq!(survey["questions"][0]["counts"][0]["count"], 1);

    let md = app
        .get(&format!("/api/v1/periods/{pid}/report?format=md"))
        .await
        .text()
        .await
        .unwrap();
    assert!(md.contains("Bedarfe der Organisationen"), "{md}");
    assert!(
        md.contains("Im Berichtszeitraum wurden 3 Bedarfe erfasst"),
        "{md}"
    );
    assert!(
        md.contains("1 von 1 Organisationen haben geantwortet (100 %)"),
        "{md}"
    );
    assert!(
        !md.contains("Geheimer Freitext"),
        "no text answer in the report"
    );
    assert!(
        !md.contains("Elternverein Anadolu"),
        "no organisation named"
    );
    let html = app
        .get(&format!("/api/v1/periods/{pid}/report?format=html"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"report-needs\""));
    assert!(html.contains("id=\"report-needs-categories-chart\""));
    assert!(html.contains("id=\"report-survey-1-1\""));
    let en = app
        .get(&format!("/api/v1/periods/{pid}/report?format=md&lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(en.contains("The organisations' needs"), "{en}");
    for format in ["pdf", "docx", "odt"] {
        let r = app
            .get(&format!("/api/v1/periods/{pid}/report?format={format}"))
            .await;
        assert_eq!(r.status(), 200, "{format}");
        assert!(r.bytes().await.unwrap().len() > 1_000, "{format}");
    }
    // The edit page offers the section and the sent survey.
    let page = app
        .get(&format!("/app/periods/{pid}/report/edit"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("name=\"needs_include\" value=\"on\" checked"));
    assert!(page.contains(&format!("value=\"{sid}\" checked")));
}
