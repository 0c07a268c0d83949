//! Mailings reach only persons with a current `mailings` consent and an
//! address, one message each, in their language version, with the
//! attachments, an unsubscribe link and the RFC 8058 headers; the link
//! ends the consent with a one-click POST and through its page without
//! script; a mailing nobody may receive is refused and nothing is queued.

use crate::helpers::{TestApp, new_client};
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(
    a_mailing_reaches_only_consented_persons_and_unsubscribing_takes_one_click,
    a_mailing_goes_to_the_members_of_a_body_and_refuses_bad_input,
);

async fn organisation(app: &TestApp, name: &str, kind: &str) -> String {
    app.created(
        "/api/v1/organisations",
        json!({ "name": name, "kind": kind }),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A person (in `org`, if given) with the consents named.
async fn person(
    app: &TestApp,
    name: (&str, &str),
    email: Option<&str>,
    languages: &str,
    org: Option<&str>,
    consents: &[&str],
) -> String {
    let mut body = json!({ "given_name": name.0, "family_name": name.1, "languages": languages });
    if let Some(e) = email {
        body["email"] = json!(e);
    }
    let id = app.created("/api/v1/persons", body).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    if let Some(org) = org {
        app.created(
            &format!("/api/v1/persons/{id}/affiliations"),
            json!({ "organisation_id": org, "role": "Vorsitz", "from": "2020-01-01" }),
        )
        .await;
    }
    for purpose in consents {
        app.created(
            &format!("/api/v1/persons/{id}/consents"),
            json!({ "purpose": purpose, "given_on": "2025-03-01", "source": "Formular AK" }),
        )
        .await;
    }
    id
}

/// The path of an absolute link.
fn path_of(link: &str) -> &str {
    let after_scheme = link.split_once("://").map_or(link, |(_, rest)| rest);
    after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
}

async fn mail_server(app: &TestApp) -> crate::smtp::Sink {
    let sink = crate::smtp::Sink::start(0).await;
    app.replaced(
        "/api/v1/settings",
        json!({"office_name": "KI Lindenau", "smtp_host": "127.0.0.1", "smtp_port": sink.port.to_string(), "smtp_security": "none", "smtp_from": "KI <ki@lindenau.example>"}),
    )
    .await;
    sink
}

fn consent<'a>(person: &'a Value, purpose: &str) -> &'a Value {
    person["consents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["purpose"] == purpose)
        .unwrap_or_else(|| panic!("a {purpose} consent in {person}"))
}

async fn a_mailing_reaches_only_consented_persons_and_unsubscribing_takes_one_click(app: TestApp) {
    let me = app.sign_in("admin").await;
    let sink = mail_server(&app).await;
    let verein = organisation(&app, "Türkischer Elternverein", "mso").await;
    let other = organisation(&app, "Sportverein Lindenau", "other").await;
    let ayse = person(
        &app,
        ("Ayşe", "Demir"),
        Some("ayse@elternverein.example"),
        "tr, de",
        Some(&verein),
        &["mailings"],
    )
    .await;
    // Only agreed to be contacted, not to mailings.
    let mehmet = person(
        &app,
        ("Mehmet", "Kaya"),
        Some("mehmet@elternverein.example"),
        "tr",
        Some(&verein),
        &["contact"],
    )
    .await;
    person(
        &app,
        ("Olga", "Ohneadresse"),
        None,
        "ru",
        Some(&verein),
        &["mailings"],
    )
    .await;
    // The family's shared address: reached once.
    person(
        &app,
        ("Emre", "Demir"),
        Some("AYSE@elternverein.example"),
        "tr",
        Some(&verein),
        &["mailings"],
    )
    .await;
    // Picked by hand, in no organisation of the kind; speaks Arabic (no
    // Arabic version: German).
    let rana = person(
        &app,
        ("Rana", "Haddad"),
        Some("rana@mail.example"),
        "ar",
        Some(&other),
        &["mailings"],
    )
    .await;

    let created = app
        .created(
            "/api/v1/mailings",
            json!({
                "subject": { "de": "Einladung zum Arbeitskreis", "tr": "Çalışma grubuna davet" },
                "text": {
                    "de": "Liebe Vereine,\n\n**am 12. März** trifft sich der Arbeitskreis.",
                    "tr": "Sevgili dernekler,\n\n**12 Mart'ta** çalışma grubu toplanıyor."
                },
                "selection": { "kinds": ["mso"], "persons": [rana] }
            }),
        )
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["status"], "draft");

    let audience = app
        .get_json(&format!("/api/v1/mailings/{id}/audience"))
        .await;
    assert_eq!(audience["selected"], 5, "{audience}");
    assert_eq!(
        audience["recipients"].as_array().unwrap().len(),
        2,
        "{audience}"
    );
    assert_eq!(audience["excluded_counts"]["no-consent"], 1, "{audience}");
    assert_eq!(audience["excluded_counts"]["no-email"], 1, "{audience}");
    assert_eq!(audience["excluded_counts"]["same-address"], 1, "{audience}");
    assert_eq!(audience["languages"], json!({ "de": 1, "tr": 1 }));

    // Attachments: a PDF, not a program.
    let client = &app.client;
    let r = client
        .post(app.url(&format!(
            "/api/v1/mailings/{id}/attachments?name=einladung.pdf"
        )))
        .body(b"%PDF-1.4 Tagesordnung".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = client
        .post(app.url(&format!("/api/v1/mailings/{id}/attachments?name=setup.exe")))
        .body(b"MZ\x90\x00binary".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert!(problem.to_string().contains("file-type"), "{problem}");

    // A test to oneself first: marked, without the unsubscribe headers.
    let (status, test) = app
        .post_json(
            &format!("/api/v1/mailings/{id}/test"),
            json!({ "language": "tr" }),
        )
        .await;
    assert_eq!(status, 202, "{test}");
    let mails = sink.wait_for(1).await;
    assert!(
        mails[0].to.iter().any(|t| t.contains(&me)),
        "{:?}",
        mails[0].to
    );
    assert!(mails[0].data.contains("[Test]"));
    assert!(mails[0].header("List-Unsubscribe").is_empty());

    // Sending with a version read before someone else's change: refused.
    let (status, _) = app
        .post_json(
            &format!("/api/v1/mailings/{id}/send"),
            json!({ "version": 0 }),
        )
        .await;
    assert_eq!(status, 409);
    let sent = app
        .created(
            &format!("/api/v1/mailings/{id}/send"),
            json!({ "version": created["version"] }),
        )
        .await;
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["recipients"].as_array().unwrap().len(), 2, "{sent}");

    let mails = sink.wait_for(3).await;
    let to = |address: &str| {
        mails
            .iter()
            .find(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address)))
            .unwrap_or_else(|| panic!("a mail to {address}"))
            .clone()
    };
    assert_eq!(mails.len(), 3, "the test and one message per recipient");
    for m in &mails {
        assert_eq!(m.to.len(), 1, "one recipient per message: {:?}", m.to);
        assert!(!m.data.contains("mehmet@"), "no consent, no mail");
    }
    let turkish = to("ayse@elternverein.example");
    let text = turkish.part("text/plain").unwrap();
    assert!(text.contains("Sevgili dernekler"), "{text}");
    let html = turkish.part("text/html").unwrap();
    assert!(html.contains("<strong>12 Mart'ta</strong>"), "{html}");
    assert!(!html.contains("<img"), "no tracking pixel");
    assert!(turkish.data.contains("einladung.pdf"), "the attachment");
    let unsubscribe = turkish.header("List-Unsubscribe");
    assert!(
        unsubscribe.starts_with('<') && unsubscribe.contains("/portal/tr/unsubscribe/"),
        "{unsubscribe}"
    );
    assert_eq!(
        turkish.header("List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );
    let link = unsubscribe.trim_matches(['<', '>']).to_owned();
    assert!(text.contains(&link), "the link in the text too: {text}");
    // (The link names the configured public address; the test's server
    // listens elsewhere.)
    let url = app.url(path_of(&link));
    let german = to("rana@mail.example").part("text/plain").unwrap();
    assert!(german.contains("Liebe Vereine"), "{german}");

    // The archive: both delivered.
    let mut archive = Value::Null;
    for _ in 0..50 {
        archive = app.get_json(&format!("/api/v1/mailings/{id}")).await;
        if archive["delivered"] == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(archive["delivered"], 2, "{archive}");
    assert!(
        archive["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "sent" && r["sent_at"].is_string()),
        "{archive}"
    );
    assert_eq!(archive["tests"].as_array().unwrap().len(), 1);
    // What went out stays as it went out.
    let (status, problem) = app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/mailings/{id}"),
            json!({ "subject": { "de": "Anders" }, "text": { "de": "Anders" }, "version": archive["version"] }),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert!(problem.to_string().contains("mailing-sent"), "{problem}");

    // A mail client's one-click POST: no account, no cookie, no origin.
    let anonymous = new_client();
    let r = anonymous
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "no redirect (RFC 8058)");
    let ayse_now = app.get_json(&format!("/api/v1/persons/{ayse}")).await;
    let ended = consent(&ayse_now, "mailings");
    assert_eq!(ended["active"], false, "{ended}");
    assert_eq!(ended["withdrawn_source"], "unsubscribe link");
    // What was sent to her is hers to know (GDPR Art. 15).
    let access = app
        .get_json(&format!("/api/v1/persons/{ayse}/subject-access"))
        .await;
    assert_eq!(
        access["mailings"][0]["subject"], "Çalışma grubuna davet",
        "{access}"
    );
    assert_eq!(access["mailings"][0]["status"], "sent");
    // Once more changes nothing and still answers.
    let r = anonymous
        .post(&url)
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Without script: the page shows the address and a form; its POST
    // unsubscribes.
    let rana_token_url = to("rana@mail.example").header("List-Unsubscribe");
    let rana_url = app.url(path_of(rana_token_url.trim_matches(['<', '>'])));
    assert!(rana_url.contains("/portal/de/unsubscribe/"), "{rana_url}");
    let page =
        crate::helpers::Page::from_response(anonymous.get(&rana_url).send().await.unwrap()).await;
    assert!(
        page.text("#unsubscribe-state")
            .contains("rana@mail.example")
    );
    let action = page.attr("#unsubscribe-form", "action");
    let r = anonymous
        .post(app.url(&action))
        .form(&[("", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = crate::helpers::Page::from_response(r).await;
    assert!(
        page.text("#unsubscribe-state").contains("Abbestellt"),
        "{}",
        page.text("#unsubscribe-state")
    );
    assert_eq!(page.count("#unsubscribe-form"), 0);
    let rana_now = app.get_json(&format!("/api/v1/persons/{rana}")).await;
    assert_eq!(consent(&rana_now, "mailings")["active"], false);

    // A forged link opens nothing.
    let mut forged = url.clone().into_bytes();
    let last = forged.len() - 1;
    forged[last] = if forged[last] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    let r = anonymous.post(&forged).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = anonymous
        .get(app.url("/api/v1/unsubscribe/nonsense"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // The next mailing to the same selection leaves out both who left;
    // the shared address is reached through the other person who agreed.
    let again = app
        .created(
            "/api/v1/mailings",
            json!({ "subject": { "de": "Noch eins" }, "text": { "de": "Text" }, "selection": { "kinds": ["mso"], "persons": [rana] } }),
        )
        .await;
    let audience = app
        .get_json(&format!(
            "/api/v1/mailings/{}/audience",
            again["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        audience["recipients"][0]["name"], "Emre Demir",
        "{audience}"
    );
    assert_eq!(audience["excluded_counts"]["no-consent"], 3, "{audience}");
    // One to nobody who agreed: refused, nothing queued.
    let next = app
        .created(
            "/api/v1/mailings",
            json!({ "subject": { "de": "Noch eins" }, "text": { "de": "Text" }, "selection": { "persons": [mehmet] } }),
        )
        .await;
    let next_id = next["id"].as_str().unwrap();
    let (status, problem) = app
        .post_json(
            &format!("/api/v1/mailings/{next_id}/send"),
            json!({ "version": next["version"] }),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert!(
        problem.to_string().contains("mailing-no-recipients"),
        "{problem}"
    );
    let still = app.get_json(&format!("/api/v1/mailings/{next_id}")).await;
    assert_eq!(still["status"], "draft");
    assert_eq!(still["recipients"], json!([]));
    assert_eq!(sink.messages.lock().unwrap().len(), 3, "nothing more sent");

    // The list and the staff pages.
    let list = app.get_json("/api/v1/mailings").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
    let page = app.get_page(&format!("/app/mailings/{id}")).await;
    assert_eq!(page.count("#recipient-table tbody tr"), 2);
    let page = app.get_page(&format!("/app/mailings/{next_id}")).await;
    assert!(
        page.text("#audience-line").contains("0 erhalten"),
        "{}",
        page.text("#audience-line")
    );
}

async fn a_mailing_goes_to_the_members_of_a_body_and_refuses_bad_input(app: TestApp) {
    app.sign_in("staff").await;
    let body = app
        .created(
            "/api/v1/bodies",
            json!({ "name": "Arbeitskreis MSO", "kind": "working_group" }),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let member = person(
        &app,
        ("Aylin", "Yılmaz"),
        Some("aylin@mail.example"),
        "de",
        None,
        &["mailings"],
    )
    .await;
    person(
        &app,
        ("Nicht", "Mitglied"),
        Some("nm@mail.example"),
        "de",
        None,
        &["mailings"],
    )
    .await;
    app.created(
        &format!("/api/v1/bodies/{body}/members"),
        json!({ "person_id": member, "role": "member", "from": "2020-01-01" }),
    )
    .await;
    let created = app
        .created(
            "/api/v1/mailings",
            json!({ "subject": { "de": "Protokoll" }, "text": { "de": "Anbei." }, "selection": { "bodies": [body] } }),
        )
        .await;
    let id = created["id"].as_str().unwrap();
    let audience = app
        .get_json(&format!("/api/v1/mailings/{id}/audience"))
        .await;
    assert_eq!(
        audience["recipients"][0]["id"],
        member.as_str(),
        "{audience}"
    );
    assert_eq!(audience["selected"], 1);
    // Without a mail server nothing goes out.
    let (status, problem) = app
        .post_json(
            &format!("/api/v1/mailings/{id}/send"),
            json!({ "version": created["version"] }),
        )
        .await;
    assert_eq!(status, 422);
    assert!(problem.to_string().contains("smtp-off"), "{problem}");

    // Bad input: a clear message, nothing saved.
    for (body, field) in [
        (
            json!({ "subject": { "de": " " }, "text": { "de": "x" } }),
            "subject.de",
        ),
        (
            json!({ "subject": { "de": "x", "tr": "y" }, "text": { "de": "x" } }),
            "text.tr",
        ),
        (
            json!({ "subject": { "de": "x" }, "text": { "de": "x" }, "selection": { "bodies": ["kein"] } }),
            "selection.bodies",
        ),
        (
            json!({ "subject": { "de": "x" }, "text": { "de": "x" }, "selection": { "languages": ["xx"] } }),
            "selection.languages",
        ),
    ] {
        let (status, problem) = app.post_json("/api/v1/mailings", body).await;
        assert_eq!(status, 422, "{problem}");
        assert!(problem.to_string().contains(field), "{field}: {problem}");
    }
    let list = app.get_json("/api/v1/mailings").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);

    // The form page saves a draft and shows a refusal in place.
    let r = app
        .post_form(
            "/app/mailings",
            &[("subject.de", ""), ("text.de", "Text"), ("version", "0")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = crate::helpers::Page::from_response(r).await;
    assert!(
        page.text("#error-summary").contains("Betreff"),
        "{}",
        page.text("#error-summary")
    );
    let r = app
        .post_form(
            "/app/mailings",
            &[
                ("subject.de", "Sommerfest"),
                ("text.de", "Wir feiern."),
                ("bodies", &body),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let page = app.get_page(&location).await;
    assert!(
        page.text("#audience-line").contains("1 erhalten"),
        "{}",
        page.text("#audience-line")
    );
    assert!(page.text("#preview").contains("Wir feiern."));
}
