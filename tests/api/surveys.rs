//! Needs surveys: staff build one, send it to a selection of organisations;
//! representatives answer for their own organisation (once, editable while
//! it is open); the results count the answers.

use crate::helpers::TestApp;
use crate::on_both_databases;
use reqwest::Method;
use serde_json::{Value, json};

on_both_databases!(
    a_survey_is_sent_answered_in_the_portal_and_counted,
    only_the_organisations_it_went_to_answer_and_a_sent_survey_keeps_its_questions,
    a_survey_that_cannot_work_is_refused_with_the_field_at_fault,
    the_pages_build_send_answer_and_count_a_survey,
);

async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = client.request(method, app.url(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn rules(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|e| {
                    format!(
                        "{} {}",
                        e["field"].as_str().unwrap(),
                        e["rule"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn de(text: &str) -> Value {
    json!({ "de": text })
}

/// A survey with a question of every kind; question 4 only after "yes" to
/// question 3.
fn survey() -> Value {
    json!({
        "title": { "de": "Bedarfsabfrage 2026", "tr": "İhtiyaç anketi 2026" },
        "intro": de("Bitte bis Ende des Monats beantworten."),
        "questions": [
            { "kind": "single", "text": de("Wo treffen Sie sich?"), "required": true, "other": true,
              "choices": [ { "label": de("Eigene Räume") }, { "label": de("Gemeindehaus") } ] },
            { "kind": "multiple", "text": de("Wobei brauchen Sie Hilfe?"),
              "choices": [ { "label": de("Förderanträge") }, { "label": de("Räume") }, { "label": de("Öffentlichkeitsarbeit") } ] },
            { "kind": "yes_no", "text": de("Haben Sie Jugendarbeit?"), "required": true },
            { "kind": "scale", "text": de("Wie dringend ist Unterstützung dafür?"), "required": true,
              "show_if": { "question": "q3", "equals": "yes" } },
            { "kind": "number", "text": de("Wie viele Ehrenamtliche?") },
            { "kind": "long_text", "text": de("Was sollte das KI wissen?") }
        ],
        "reminder_limit": 2
    })
}

async fn a_survey_is_sent_answered_in_the_portal_and_counted(app: TestApp) {
    let rep = app.representative("Elternverein Anadolu").await;
    let org = rep.organisation_id;
    app.sign_in("staff").await;
    let created = app.created("/api/v1/surveys", survey()).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["state"], "draft");
    let ids: Vec<&str> = created["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["q1", "q2", "q3", "q4", "q5", "q6"]);
    assert_eq!(created["questions"][0]["choices"][1]["code"], "c2");

    // Not yet sent: the portal shows nothing.
    let (status, list) = send(
        &app,
        &rep.client,
        Method::GET,
        "/api/v1/portal/surveys",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list["items"].as_array().unwrap().len(), 0);

    // Sent to the organisation picked by hand.
    let sent = app
        .created(
            &format!("/api/v1/surveys/{id}/send"),
            json!({ "organisations": [org], "version": created["version"] }),
        )
        .await;
    assert_eq!(sent["added"], 1);
    assert_eq!(sent["survey"]["state"], "open");
    assert_eq!(sent["survey"]["recipients"], 1);

    let (_, list) = send(
        &app,
        &rep.client,
        Method::GET,
        "/api/v1/portal/surveys",
        None,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["items"][0]["title"]["tr"], "İhtiyaç anketi 2026");
    assert!(list["items"][0]["answer"].is_null());

    // Bad answers: every problem named, nothing stored.
    let path = format!("/api/v1/surveys/{id}/answers/{org}");
    let (status, problem) = send(
        &app,
        &rep.client,
        Method::PUT,
        &path,
        Some(json!({ "answers": { "q1": "other", "q2": ["c1", "c9"], "q3": "yes", "q4": 7, "q5": "viele", "q9": "x" }, "version": 0 })),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let mut got = rules(&problem);
    got.sort();
    assert_eq!(
        got,
        [
            "answers.q1.other required",
            "answers.q2 choice-unknown",
            "answers.q4 out-of-range",
            "answers.q5 not-a-number",
            "answers.q9 question-unknown",
        ]
    );
    let (_, results) = send(
        &app,
        &app.client,
        Method::GET,
        &format!("/api/v1/surveys/{id}/results"),
        None,
    )
    .await;
    assert_eq!(results["answered"], 0);

    // A good answer; the hidden question's answer is dropped.
    let (status, answer) = send(
        &app,
        &rep.client,
        Method::PUT,
        &path,
        Some(json!({ "answers": { "q1": "other", "q1.other": "Moschee", "q2": ["c1", "c3"], "q3": "no", "q4": 5, "q5": "12", "q6": "Wir suchen Räume für Hausaufgabenhilfe." }, "version": 0 })),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["version"], 1);
    assert_eq!(answer["answers"]["q3"], false);
    assert!(
        answer["answers"].get("q4").is_none(),
        "q4 is hidden after no: {answer}"
    );
    assert_eq!(answer["answers"]["q5"], 12.0);
    assert_eq!(answer["answered_by"]["id"], rep.person_id.to_string());

    // A second "first" answer (someone else answered meanwhile): 409.
    let (status, _) = send(
        &app,
        &rep.client,
        Method::PUT,
        &path,
        Some(json!({ "answers": { "q1": "c1", "q3": "no" }, "version": 0 })),
    )
    .await;
    assert_eq!(status, 409);
    // A change of the answer read: kept.
    let (status, changed) = send(
        &app,
        &rep.client,
        Method::PUT,
        &path,
        Some(json!({ "answers": { "q1": "c2", "q2": ["c1", "c3"], "q3": "yes", "q4": 4, "q6": "Räume" }, "version": 1 })),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["version"], 2);

    let results = app.get_json(&format!("/api/v1/surveys/{id}/results")).await;
    assert_eq!(
        (
            results["recipients"].as_u64(),
            results["answered"].as_u64(),
            results["rate"].as_u64()
        ),
        (Some(1), Some(1), Some(100))
    );
    let q = |i: usize| results["questions"][i].clone();
    let count = |i: usize, code: &str| -> u64 {
        q(i)["counts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap()["count"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(
        (count(0, "c1"), count(0, "c2"), count(0, "other")),
        (0, 1, 0)
    );
    assert_eq!((count(1, "c1"), count(1, "c2"), count(1, "c3")), (1, 0, 1));
    assert_eq!(q(1)["counts"][0]["percent"], 100);
    assert_eq!(count(2, "yes"), 1);
    assert_eq!(q(3)["mean"], 4.0);
    assert_eq!(q(5)["texts"][0]["text"], "Räume");
    assert_eq!(
        q(5)["texts"][0]["organisation"]["name"],
        "Elternverein Anadolu"
    );
    // Filtered to a kind no recipient has: nothing counted.
    let none = app
        .get_json(&format!("/api/v1/surveys/{id}/results?kind=office"))
        .await;
    assert_eq!(
        (none["recipients"].as_u64(), none["answered"].as_u64()),
        (Some(0), Some(0))
    );
    // Every answer as a spreadsheet: one row per organisation, one column
    // per question, choices by their label.
    let r = app.get(&format!("/api/v1/surveys/{id}/export/xlsx")).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".xlsx")
    );
    let (headers, rows) = crate::export::read_xlsx(&r.bytes().await.unwrap());
    assert_eq!(headers[4], "1. Wo treffen Sie sich?");
    assert_eq!(headers.len(), 4 + 6);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "Elternverein Anadolu");
    assert_eq!(rows[0][4], "Gemeindehaus");
    assert_eq!(rows[0][5], "Förderanträge, Öffentlichkeitsarbeit");
    assert_eq!(rows[0][6], "ja");
    assert_eq!(rows[0][9], "Räume");
    let csv = app
        .get(&format!("/api/v1/surveys/{id}/export/csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("Elternverein Anadolu;"), "{csv}");
    let (status, problem) = send(
        &app,
        &app.client,
        Method::GET,
        &format!("/api/v1/surveys/{id}/export/pdf"),
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(rules(&problem), ["format choice-unknown"]);
    // Representatives do not read results, nor the answers of others.
    let (status, _) = send(
        &app,
        &rep.client,
        Method::GET,
        &format!("/api/v1/surveys/{id}/export/csv"),
        None,
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = send(
        &app,
        &rep.client,
        Method::GET,
        &format!("/api/v1/surveys/{id}/results"),
        None,
    )
    .await;
    assert_eq!(status, 403);
}

async fn only_the_organisations_it_went_to_answer_and_a_sent_survey_keeps_its_questions(
    app: TestApp,
) {
    let a = app.representative("Verein A").await;
    let b = app.representative("Verein B").await;
    app.sign_in("staff").await;
    let created = app.created("/api/v1/surveys", survey()).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let sent = app
        .created(
            &format!("/api/v1/surveys/{id}/send"),
            json!({ "organisations": [a.organisation_id], "version": 1 }),
        )
        .await;
    let version = sent["survey"]["version"].clone();

    // B was not asked, and cannot answer for A either.
    let answer = json!({ "answers": { "q1": "c1", "q3": "no" }, "version": 0 });
    for path in [
        format!("/api/v1/surveys/{id}/answers/{}", b.organisation_id),
        format!("/api/v1/surveys/{id}/answers/{}", a.organisation_id),
    ] {
        let (status, _) = send(&app, &b.client, Method::PUT, &path, Some(answer.clone())).await;
        assert_eq!(status, 404, "{path}");
        let (status, _) = send(&app, &b.client, Method::GET, &path, None).await;
        assert_eq!(status, 404, "{path}");
    }
    let (_, list) = send(&app, &b.client, Method::GET, "/api/v1/portal/surveys", None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);

    // Sent: the questions stay; the wording can change.
    let mut changed = sent["survey"].clone();
    changed["version"] = version.clone();
    changed["questions"][0]["choices"]
        .as_array_mut()
        .unwrap()
        .pop();
    let (status, problem) = send(
        &app,
        &app.client,
        Method::PUT,
        &format!("/api/v1/surveys/{id}"),
        Some(changed),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        rules(&problem).contains(&"questions survey-sent".to_owned()),
        "{problem}"
    );
    let mut reworded = sent["survey"].clone();
    reworded["version"] = version;
    reworded["questions"][0]["text"]["ar"] = json!("أين تلتقون؟");
    reworded["closes_on"] = json!("2020-01-31");
    reworded["opens_on"] = json!("2020-01-01");
    let saved = app
        .replaced(&format!("/api/v1/surveys/{id}"), reworded)
        .await;
    assert_eq!(saved["questions"][0]["text"]["ar"], "أين تلتقون؟");
    assert_eq!(saved["state"], "closed");

    // Closed: no more answers.
    let (status, problem) = send(
        &app,
        &a.client,
        Method::PUT,
        &format!("/api/v1/surveys/{id}/answers/{}", a.organisation_id),
        Some(answer),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(rules(&problem), ["survey survey-closed"]);
}

async fn a_survey_that_cannot_work_is_refused_with_the_field_at_fault(app: TestApp) {
    app.sign_in("staff").await;
    let (status, problem) = app
        .post_json(
            "/api/v1/surveys",
            json!({
                "title": { "en": "Needs" , "xx": "?" },
                "questions": [
                    { "kind": "single", "text": de("Eine Wahl"), "choices": [ { "label": de("nur eine") } ] },
                    { "kind": "short_text", "text": de("Warum?"), "show_if": { "question": "q3", "equals": "yes" } },
                    { "kind": "yes_no", "text": {} }
                ],
                "opens_on": "2026-05-01",
                "closes_on": "2026-04-01",
                "reminder_limit": 9
            }),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    let mut got = rules(&problem);
    got.sort();
    assert_eq!(
        got,
        [
            "closes_on before-start",
            "questions.0.choices choices-too-few",
            "questions.1.show_if condition-invalid",
            "questions.2.text.de required",
            "reminder_limit out-of-range",
            "title.de required",
            "title.xx language-unknown",
        ]
    );
    let (status, problem) = app
        .post_json(
            "/api/v1/surveys",
            json!({ "title": de("X"), "questions": [ { "kind": "essay" } ] }),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    let list = app.get_json("/api/v1/surveys").await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        0,
        "nothing was stored"
    );
    // Sending to nobody says so.
    let created = app
        .created(
            "/api/v1/surveys",
            json!({ "title": de("Leer"), "questions": [] }),
        )
        .await;
    let (status, problem) = app
        .post_json(
            &format!("/api/v1/surveys/{}/send", created["id"].as_str().unwrap()),
            json!({ "kinds": ["no-such-kind"], "version": 1 }),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(rules(&problem), ["organisations selection-empty"]);
}

async fn form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client.post(app.url(path)).form(form).send().await.unwrap()
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> crate::helpers::Page {
    crate::helpers::Page::from_response(client.get(app.url(path)).send().await.unwrap()).await
}

async fn the_pages_build_send_answer_and_count_a_survey(app: TestApp) {
    let rep = app.representative("Ukrainischer Kulturverein Dnipro").await;
    let org = rep.organisation_id.to_string();
    app.sign_in("staff").await;

    // The builder: "add question" shows the form again with one more.
    let first = [
        ("version", "0"),
        ("title.de", "Raumbedarf 2027"),
        ("title.uk", "Потреба в приміщеннях 2027"),
        ("reminder_limit", "1"),
        ("q.0.kind", "yes_no"),
        ("q.0.text.de", "Brauchen Sie Räume?"),
        ("q.0.text.uk", "Чи потрібні вам приміщення?"),
        ("q.0.required", "on"),
        ("q.0.show_if", ""),
    ];
    let mut added = first.to_vec();
    added.push(("action", "add"));
    let shown =
        crate::helpers::Page::from_response(form(&app, &app.client, "/app/surveys", &added).await)
            .await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.count("fieldset.survey-question"), 2);
    assert_eq!(
        shown.attr("[name='q.0.text.uk']", "value"),
        "Чи потрібні вам приміщення?"
    );
    // A question without its text is named in the summary.
    let mut second = first.to_vec();
    second.extend([
        ("q.1.kind", "multiple"),
        ("q.1.text.de", ""),
        ("q.1.choices.de", "Büro\nVeranstaltungsraum"),
        ("q.1.show_if", "q1=yes"),
        ("action", "save"),
    ]);
    let refused =
        crate::helpers::Page::from_response(form(&app, &app.client, "/app/surveys", &second).await)
            .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.text("#error-summary").contains("Frage 2"),
        "{}",
        refused.text("#error-summary")
    );
    assert_eq!(
        app.get_json("/api/v1/surveys").await["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    second.retain(|(k, _)| *k != "q.1.text.de" && *k != "q.1.choices.de");
    second.extend([
        ("q.1.text.de", "Welche Räume?"),
        ("q.1.choices.de", "Büro\r\nVeranstaltungsraum\r\n"),
        ("q.1.choices.uk", "Офіс\r\nЗала\r\n"),
    ]);
    let saved = form(&app, &app.client, "/app/surveys", &second).await;
    assert_eq!(saved.status(), 303);
    let location = saved.headers()["location"].to_str().unwrap().to_owned();
    let id = location
        .trim_start_matches("/app/surveys/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let survey = app.get_json(&format!("/api/v1/surveys/{id}")).await;
    assert_eq!(survey["questions"][1]["choices"][1]["label"]["uk"], "Зала");
    assert_eq!(survey["questions"][1]["show_if"]["question"], "q1");

    // Sent from its page to the organisation picked there.
    let shown = page(&app, &app.client, &format!("/app/surveys/{id}")).await;
    assert_eq!(shown.status, 200);
    assert_eq!(
        shown.count(&format!("#organisations input[value='{org}']")),
        1
    );
    let sent = form(
        &app,
        &app.client,
        &format!("/app/surveys/{id}/send"),
        &[("version", "1"), ("organisations", &org)],
    )
    .await;
    assert_eq!(sent.status(), 303);

    // The representative finds it in Ukrainian and answers.
    let list = page(&app, &rep.client, "/portal/uk/surveys").await;
    assert_eq!(list.status, 200);
    assert!(list.text("#surveys").contains("Потреба в приміщеннях 2027"));
    let path = format!("/portal/uk/surveys/{id}/{org}");
    let form_page = page(&app, &rep.client, &path).await;
    assert_eq!(form_page.status, 200);
    assert!(
        form_page
            .text("#q-q1")
            .contains("Чи потрібні вам приміщення?")
    );
    assert_eq!(form_page.count("input[name='q2'][type='checkbox']"), 2);
    // Nothing chosen for a required question: the page says which.
    let refused = form(&app, &rep.client, &path, &[("version", "0")]).await;
    let refused = crate::helpers::Page::from_response(refused).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .text("#error-summary")
            .contains("Чи потрібні вам приміщення?")
    );
    assert!(refused.count("#q-q1 #q1-error") == 1);
    let answered = form(
        &app,
        &rep.client,
        &path,
        &[("version", "0"), ("q1", "yes"), ("q2", "c1"), ("q2", "c2")],
    )
    .await;
    assert_eq!(answered.status(), 303);
    let again = page(&app, &rep.client, &format!("{path}?done=saved")).await;
    assert_eq!(again.count("#notice"), 1);
    assert_eq!(again.count("input[name='q2'][checked]"), 2);
    assert_eq!(again.attr("input[name='version']", "value"), "1");

    // The results page counts it, with a chart and its table.
    let results = page(&app, &app.client, &format!("/app/surveys/{id}")).await;
    assert_eq!(results.text("#answer-rate"), "1 / 1 (100 %)");
    assert_eq!(results.count("#result-2 svg rect"), 2);
    assert!(
        results
            .text("#result-2 table")
            .contains("Veranstaltungsraum 1 100")
    );
}
