//! The MSO portal end to end: an invitation accepted, a sign-in link used
//! once, proposals for the organisation's entry reviewed by staff (accepted
//! into the public directory, rejected with a message, or published at
//! once for a trusted organisation), needs and ideas reported, and the
//! walls between organisations.

use crate::helpers::{Page, TestApp, new_client};
use crate::on_both_databases;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

on_both_databases!(
    a_representative_keeps_the_entry_and_staff_review_it,
    representatives_see_only_their_own_organisations,
    invitations_and_sign_in_links_work_once,
    needs_and_ideas_reach_the_office,
    the_portal_pages_work_by_form_in_every_language,
    staff_invite_trust_and_see_answers_in_the_staff_area,
    members_answer_meeting_invitations,
);

/// Sends JSON with a client; the status and the answer.
async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = client.request(method, app.url(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let db = app.database().await;
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT COUNT(*) AS n FROM {table}"),
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get::<i64>("", "n")
    .unwrap()
}

/// The newest mail's text to an address (the outbox, as no mail server
/// is configured in these tests).
async fn last_mail_to(app: &TestApp, to: &str) -> String {
    let db = app.database().await;
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            match db.get_database_backend() {
                sea_orm::DbBackend::Postgres => {
                    "SELECT body_text FROM outbox WHERE to_address = $1 ORDER BY created_at DESC LIMIT 1"
                }
                _ => {
                    "SELECT body_text FROM outbox WHERE to_address = ? ORDER BY created_at DESC LIMIT 1"
                }
            },
            [to.into()],
        ))
        .await
        .unwrap()
        .expect("a mail to this address");
    row.try_get::<String>("", "body_text").unwrap()
}

fn link_in(text: &str) -> String {
    let start = text.find("/portal/").expect("a portal link in the mail");
    text[start..].split_whitespace().next().unwrap().to_owned()
}

async fn a_representative_keeps_the_entry_and_staff_review_it(app: TestApp) {
    let rep = app.representative("Deutsch-Türkischer Elternverein").await;
    let org = rep.organisation_id;
    app.sign_in("staff").await;

    // The start page names the organisation.
    let (status, home) = send(
        &app,
        &rep.client,
        reqwest::Method::GET,
        "/api/v1/portal",
        None,
    )
    .await;
    assert_eq!(status, 200, "{home}");
    assert!(home.to_string().contains("Deutsch-Türkischer Elternverein"));

    // A change to the profile waits for review: 202, the record unchanged.
    let live = app.get_json(&format!("/api/v1/organisations/{org}")).await;
    let (status, proposal) = send(
        &app,
        &rep.client,
        reqwest::Method::PATCH,
        &format!("/api/v1/organisations/{org}"),
        Some(json!({
            "version": live["version"],
            "description": "Hausaufgabenhilfe und Elterncafé, dienstags ab 16 Uhr.",
            "is_public": true,
            "public_parts": ["description"]
        })),
    )
    .await;
    assert_eq!(status, 202, "{proposal}");
    assert_eq!(proposal["status"], "pending");
    let still = app.get_json(&format!("/api/v1/organisations/{org}")).await;
    assert_eq!(
        still["description"], live["description"],
        "not live before review"
    );
    let public = app.get(&format!("/de/organisations/{org}")).await;
    assert_eq!(public.status(), 404, "not public before review");

    // A field a representative may not change is refused, nothing stored.
    let before = count(&app, "proposal").await;
    let (status, problem) = send(
        &app,
        &rep.client,
        reqwest::Method::PATCH,
        &format!("/api/v1/organisations/{org}"),
        Some(json!({"version": live["version"], "trusted": true})),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert!(problem.to_string().contains("trusted"), "{problem}");
    let (status, problem) = send(
        &app,
        &rep.client,
        reqwest::Method::PATCH,
        &format!("/api/v1/organisations/{org}"),
        Some(json!({"version": live["version"], "email": "keine-adresse"})),
    )
    .await;
    assert_eq!(status, 422, "a bad value is named at once: {problem}");
    assert_eq!(count(&app, "proposal").await, before, "nothing stored");

    // Staff see it waiting, with the fields that change.
    let waiting = app.get_json("/api/v1/proposals?status=pending").await;
    let listed = waiting["items"].as_array().expect("a list");
    assert_eq!(listed.len(), 1, "{waiting}");
    let id = listed[0]["id"].as_str().unwrap().to_owned();
    let page = app.get_page(&format!("/app/review/{id}")).await;
    assert!(
        page.html.html().contains("Elterncafé"),
        "the review shows the new text"
    );

    // Accepted: live, public, and the representative sees the outcome.
    let (status, accepted) = app
        .post_json(
            &format!("/api/v1/proposals/{id}/accept"),
            json!({"version": listed[0]["version"]}),
        )
        .await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["status"], "accepted");
    let now = app.get_json(&format!("/api/v1/organisations/{org}")).await;
    assert_eq!(
        now["description"],
        "Hausaufgabenhilfe und Elterncafé, dienstags ab 16 Uhr."
    );
    let public = Page::from_response(app.get(&format!("/de/organisations/{org}")).await).await;
    assert_eq!(public.status.as_u16(), 200);
    assert!(public.html.html().contains("Elterncafé"));
    // Accepting twice is a conflict, not a second write.
    let (status, _) = app
        .post_json(
            &format!("/api/v1/proposals/{id}/accept"),
            json!({"version": listed[0]["version"]}),
        )
        .await;
    assert_eq!(status, 409);

    // A new offer proposed, then rejected with a message the
    // representative reads.
    let (status, offer) = send(
        &app,
        &rep.client,
        reqwest::Method::POST,
        "/api/v1/offers",
        Some(json!({
            "organisation_id": org,
            "title": "Türkischkurs für Kinder",
            "description": "Samstags 10 Uhr",
            "category": "language_course",
            "is_public": true
        })),
    )
    .await;
    assert_eq!(status, 202, "{offer}");
    let oid = offer["id"].as_str().unwrap().to_owned();
    let (status, rejected) = app
        .post_json(
            &format!("/api/v1/proposals/{oid}/reject"),
            json!({"version": offer["version"], "message": "Bitte mit Ort und Uhrzeit."}),
        )
        .await;
    assert_eq!(status, 200, "{rejected}");
    let (_, mine) = send(
        &app,
        &rep.client,
        reqwest::Method::GET,
        &format!("/api/v1/proposals/{oid}"),
        None,
    )
    .await;
    assert_eq!(mine["status"], "rejected");
    assert_eq!(mine["message"], "Bitte mit Ort und Uhrzeit.");
    let offers = app.get_json("/api/v1/offers").await;
    assert!(
        !offers.to_string().contains("Türkischkurs für Kinder"),
        "a rejected offer is not a record"
    );

    // A trusted organisation's change is live at once (and marked for a
    // look afterwards).
    app.replaced(
        &format!("/api/v1/organisations/{org}/trusted"),
        json!({"trusted": true}),
    )
    .await;
    let live = app.get_json(&format!("/api/v1/organisations/{org}")).await;
    let (status, published) = send(
        &app,
        &rep.client,
        reqwest::Method::PATCH,
        &format!("/api/v1/organisations/{org}"),
        Some(json!({"version": live["version"], "phone": "0231 123456"})),
    )
    .await;
    assert_eq!(status, 200, "{published}");
    assert_eq!(published["status"], "published");
    let now = app.get_json(&format!("/api/v1/organisations/{org}")).await;
    assert_eq!(now["phone"], "0231 123456");

    // Every step is in the audit log under the representative's name.
    app.sign_in("admin").await;
    let log = app.get_json("/api/v1/audit-log?limit=200").await;
    assert!(log.to_string().contains(&rep.email), "{log}");
}

async fn representatives_see_only_their_own_organisations(app: TestApp) {
    let a = app.representative("Verein A").await;
    let b = app.representative("Verein B").await;
    let other = b.organisation_id;
    for (method, path, body) in [
        (
            reqwest::Method::GET,
            format!("/api/v1/portal/organisations/{other}"),
            None,
        ),
        (
            reqwest::Method::PATCH,
            format!("/api/v1/organisations/{other}"),
            Some(json!({"version": 1, "description": "übernommen"})),
        ),
        (
            reqwest::Method::POST,
            "/api/v1/offers".to_owned(),
            Some(json!({"organisation_id": other, "title": "fremd"})),
        ),
        (
            reqwest::Method::POST,
            "/api/v1/needs".to_owned(),
            Some(json!({"organisation_id": other, "category": "rooms", "description": "fremd"})),
        ),
        (
            reqwest::Method::PATCH,
            format!("/api/v1/persons/{}", b.person_id),
            Some(json!({"version": 1, "phone": "000"})),
        ),
    ] {
        let (status, answer) = send(&app, &a.client, method.clone(), &path, body).await;
        assert!(
            matches!(status, 403 | 404 | 422),
            "{method} {path}: {status} {answer}"
        );
        assert!(
            !answer.to_string().contains("Verein B"),
            "{path} leaks: {answer}"
        );
    }
    assert_eq!(count(&app, "proposal").await, 0, "nothing proposed");
    // The portal page of another organisation is not found either.
    let r = a
        .client
        .get(app.url(&format!("/portal/de/entry/{other}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Staff lists are not theirs.
    for path in [
        "/api/v1/organisations",
        "/api/v1/persons",
        "/api/v1/needs",
        "/app/",
    ] {
        let r = a.client.get(app.url(path)).send().await.unwrap();
        assert!(
            matches!(r.status().as_u16(), 403 | 303),
            "{path}: {}",
            r.status()
        );
    }
    // The own proposals list holds only one's own.
    let (status, _) = send(
        &app,
        &b.client,
        reqwest::Method::PATCH,
        &format!("/api/v1/organisations/{other}"),
        Some(json!({"version": 1, "description": "Unser Verein"})),
    )
    .await;
    assert_eq!(status, 202);
    let (_, list) = send(
        &app,
        &a.client,
        reqwest::Method::GET,
        "/api/v1/proposals",
        None,
    )
    .await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0), "{list}");
    // Staff accept it with an empty body (the version is optional).
    app.sign_in("staff").await;
    let (_, mine) = send(
        &app,
        &b.client,
        reqwest::Method::GET,
        "/api/v1/proposals",
        None,
    )
    .await;
    let id = mine["items"][0]["id"].as_str().unwrap().to_owned();
    let r = app
        .client
        .post(app.url(&format!("/api/v1/proposals/{id}/accept")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .post(app.url(&format!("/api/v1/proposals/{id}/accept")))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "decided once: {}", r.status());
}

async fn invitations_and_sign_in_links_work_once(app: TestApp) {
    app.sign_in("staff").await;
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Ukrainischer Kulturverein", "kind": "mso"}),
        )
        .await;
    let org_id = org["id"].as_str().unwrap();
    let person = app
        .created(
            "/api/v1/persons",
            json!({"given_name": "Olena", "family_name": "Koval"}),
        )
        .await;
    let pid = person["id"].as_str().unwrap();
    // No address, no affiliation: named, nothing stored.
    let (status, problem) = app
        .post_json(
            "/api/v1/invitations",
            json!({"person_id": pid, "organisation_id": org_id}),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    app.send_json(
        reqwest::Method::PATCH,
        &format!("/api/v1/persons/{pid}"),
        json!({"version": person["version"], "email": "olena@verein.example"}),
    )
    .await;
    let (status, problem) = app
        .post_json(
            "/api/v1/invitations",
            json!({"person_id": pid, "organisation_id": org_id}),
        )
        .await;
    assert_eq!(status, 422, "no affiliation: {problem}");
    app.created(
        &format!("/api/v1/persons/{pid}/affiliations"),
        json!({"organisation_id": org_id, "role": "Vorstand", "from": "2024-01-01"}),
    )
    .await;
    assert_eq!(count(&app, "invitation").await, 0);
    let invitation = app
        .created(
            "/api/v1/invitations",
            json!({"person_id": pid, "organisation_id": org_id}),
        )
        .await;
    let link = invitation["link"]
        .as_str()
        .expect("the link, shown once")
        .to_owned();
    // The link is in the person's language (German: none recorded); she
    // reads the page in Ukrainian, which becomes her account's language.
    let path = &link[link.find("/portal/").unwrap()..].replace("/portal/de/", "/portal/uk/");
    // The list does not show the link again.
    let list = app
        .get_json(&format!("/api/v1/invitations?person={pid}"))
        .await;
    assert!(!list.to_string().contains(&path[12..]), "{list}");
    assert_eq!(list["items"][0]["status"], "pending");

    // The invitation page in the person's language; the terms must be
    // accepted.
    let client = new_client();
    let page = Page::from_response(client.get(app.url(path)).send().await.unwrap()).await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(page.html.html().contains("Ukrainischer Kulturverein"));
    let r = client
        .post(app.url(path))
        .form(&[("password", "ein langes Passwort 2026"), ("accept", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(count(&app, "app_user WHERE person_id IS NOT NULL").await, 0);
    // Accepted without a password: sign-in by link only.
    let r = client
        .post(app.url(path))
        .form(&[("without_password", "on"), ("accept", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = client.get(app.url("/portal/uk/")).send().await.unwrap();
    assert_eq!(r.status(), 200, "signed in at once");
    // Used once.
    let again = Page::from_response(new_client().get(app.url(path)).send().await.unwrap()).await;
    assert!(
        matches!(again.status.as_u16(), 200 | 410),
        "{}",
        again.status
    );
    let r = new_client()
        .post(app.url(path))
        .form(&[("without_password", "on"), ("accept", "on")])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    assert_eq!(count(&app, "app_user WHERE person_id IS NOT NULL").await, 1);

    // A sign-in link: the same answer for a known and an unknown address.
    let fresh = new_client();
    let known = fresh
        .post(app.url("/portal/uk/link"))
        .form(&[("email", "olena@verein.example")])
        .send()
        .await
        .unwrap();
    let unknown = fresh
        .post(app.url("/portal/uk/link"))
        .form(&[("email", "niemand@verein.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(known.status(), unknown.status());
    assert_eq!(
        known.headers().get("location"),
        unknown.headers().get("location")
    );
    let mail = last_mail_to(&app, "olena@verein.example").await;
    let link = link_in(&mail);
    assert!(link.starts_with("/portal/uk/link/"), "{link}");
    let r = fresh.get(app.url(&link)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let r = fresh.get(app.url("/portal/uk/me")).send().await.unwrap();
    assert_eq!(r.status(), 200, "signed in by link");
    // Used once: a second visit does not sign in.
    let other = new_client();
    let r = other.get(app.url(&link)).send().await.unwrap();
    assert_ne!(r.status(), 303, "a used link signs nobody in");
    let r = other.get(app.url("/portal/uk/me")).send().await.unwrap();
    assert_eq!(r.status(), 303, "still the sign-in page");

    // Revoked invitations do not open.
    let second = app
        .created("/api/v1/persons", json!({"given_name": "Iryna", "family_name": "Shevchenko", "email": "iryna@verein.example"}))
        .await;
    let sid = second["id"].as_str().unwrap();
    app.created(
        &format!("/api/v1/persons/{sid}/affiliations"),
        json!({"organisation_id": org_id, "role": "Mitglied", "from": "2024-01-01"}),
    )
    .await;
    let inv = app
        .created(
            "/api/v1/invitations",
            json!({"person_id": sid, "organisation_id": org_id}),
        )
        .await;
    let link = inv["link"].as_str().unwrap().to_owned();
    let (status, _) = app
        .post_json(
            &format!("/api/v1/invitations/{}/revoke", inv["id"].as_str().unwrap()),
            json!({"version": inv["invitation"]["version"]}),
        )
        .await;
    assert_eq!(status, 200);
    let r = new_client()
        .post(app.url(&link[link.find("/portal/").unwrap()..]))
        .form(&[("without_password", "on"), ("accept", "on")])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
}

async fn needs_and_ideas_reach_the_office(app: TestApp) {
    let rep = app.representative("Arabischer Frauenverein").await;
    let org = rep.organisation_id;
    let (status, problem) = send(
        &app,
        &rep.client,
        reqwest::Method::POST,
        "/api/v1/needs",
        Some(json!({"organisation_id": org, "category": "keine", "description": ""})),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(count(&app, "need").await, 0);
    let (status, need) = send(
        &app,
        &rep.client,
        reqwest::Method::POST,
        "/api/v1/needs",
        Some(json!({
            "organisation_id": org,
            "category": "rooms",
            "description": "Ein Raum für 30 Personen am Samstag",
            "urgency": "high"
        })),
    )
    .await;
    assert_eq!(status, 201, "{need}");
    let (status, idea) = send(
        &app,
        &rep.client,
        reqwest::Method::POST,
        "/api/v1/ideas",
        Some(json!({
            "organisation_id": org,
            "title": "Gemeinsames Sommerfest",
            "description": "Mit den anderen Vereinen im Stadtteil",
            "participants": "alle Vereine",
            "support": "Ein Platz und eine Genehmigung"
        })),
    )
    .await;
    assert_eq!(status, 201, "{idea}");
    assert_eq!(idea["status"], "proposed");
    assert_eq!(idea["source"], "portal");

    // Staff see both, with who reported them and how urgent.
    app.sign_in("staff").await;
    let needs = app
        .get_json(&format!("/api/v1/needs?organisation={org}"))
        .await;
    let text = needs.to_string();
    assert!(text.contains("Ein Raum für 30 Personen"), "{text}");
    assert!(text.contains("high"), "{text}");
    assert!(text.contains("Leyla"), "the reporting person: {text}");
    let ideas = app.get_json("/api/v1/ideas").await;
    assert!(ideas.to_string().contains("Gemeinsames Sommerfest"));
    // The idea is in the organisation's timeline.
    let page = app.get_page(&format!("/app/organisations/{org}")).await;
    assert!(
        page.text("#timeline li[data-kind=idea]")
            .contains("Gemeinsames Sommerfest")
    );
    // And the representative sees their own in the portal lists.
    let (_, mine) = send(
        &app,
        &rep.client,
        reqwest::Method::GET,
        "/api/v1/portal/needs",
        None,
    )
    .await;
    assert!(mine.to_string().contains("Ein Raum für 30 Personen"));
    let (_, mine) = send(
        &app,
        &rep.client,
        reqwest::Method::GET,
        "/api/v1/portal/ideas",
        None,
    )
    .await;
    assert!(mine.to_string().contains("Gemeinsames Sommerfest"));
}

async fn the_portal_pages_work_by_form_in_every_language(app: TestApp) {
    let rep = app.representative("Russischsprachiger Elternverein").await;
    let org = rep.organisation_id;
    for lang in ["de", "en", "tr", "ar", "ru", "uk"] {
        // (With one organisation, "/entry" goes straight to its page.)
        for rest in [
            "/",
            "/needs",
            "/ideas",
            "/meetings",
            "/me",
            &format!("/entry/{org}"),
        ] {
            let r = rep
                .client
                .get(app.url(&format!("/portal/{lang}{rest}")))
                .send()
                .await
                .unwrap();
            let page = Page::from_response(r).await;
            assert_eq!(page.status.as_u16(), 200, "/portal/{lang}{rest}");
            assert!(
                page.html.html().contains(&format!("lang=\"{lang}\"")),
                "/portal/{lang}{rest} in its language"
            );
            if lang == "ar" {
                assert!(page.html.html().contains("dir=\"rtl\""), "/portal/ar{rest}");
            }
        }
    }
    // A need by form: a missing description is shown again with the
    // message, nothing stored; a full one is stored and listed.
    let r = rep
        .client
        .post(app.url("/portal/tr/needs"))
        .form(&[
            ("organisation_id", org.to_string().as_str()),
            ("category", "rooms"),
            ("description", ""),
            ("urgency", "normal"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(count(&app, "need").await, 0);
    let r = rep
        .client
        .post(app.url("/portal/tr/needs"))
        .form(&[
            ("organisation_id", org.to_string().as_str()),
            ("category", "volunteers"),
            ("description", "Gönüllü öğretmenler"),
            ("urgency", "normal"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = Page::from_response(
        rep.client
            .get(app.url("/portal/tr/needs"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(page.html.html().contains("Gönüllü öğretmenler"));
    // An idea by form.
    let r = rep
        .client
        .post(app.url("/portal/ar/ideas"))
        .form(&[
            ("organisation_id", org.to_string().as_str()),
            ("title", "مهرجان الثقافات"),
            ("description", "مع جميع الجمعيات"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(count(&app, "idea").await, 1);
    // The entry's form: a change proposed from the page waits for review.
    let page = Page::from_response(
        rep.client
            .get(app.url(&format!("/portal/ru/entry/{org}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(page.status.as_u16(), 200);
    let version = page.attr("input[name=version]", "value");
    let r = rep
        .client
        .post(app.url(&format!("/portal/ru/entry/{org}")))
        .form(&[
            ("version", version.as_str()),
            ("name", "Russischsprachiger Elternverein"),
            ("kind", "mso"),
            ("description", "Субботняя школа"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "proposed");
    assert_eq!(count(&app, "proposal").await, 1);
    // Signing out from the portal returns to its sign-in page.
    let r = rep.client.post(app.url("/logout")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        "/portal/de/login?signed_out=1",
        "a representative returns to the portal's door, in their language"
    );
    let r = rep.client.get(app.url("/portal/ru/")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/portal/ru/login")
    );
}

async fn staff_invite_trust_and_see_answers_in_the_staff_area(app: TestApp) {
    app.sign_in("staff").await;
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Afghanischer Kulturverein", "kind": "mso"}),
        )
        .await;
    let org_id = org["id"].as_str().unwrap().to_owned();
    let person = app
        .created("/api/v1/persons", json!({"given_name": "Farid", "family_name": "Ahmadi", "email": "farid@verein.example"}))
        .await;
    let pid = person["id"].as_str().unwrap().to_owned();
    // Without an affiliation the page says why no invitation is possible.
    let page = app.get_page(&format!("/app/persons/{pid}")).await;
    assert!(page.html.html().contains("derzeit angehört"));
    assert_eq!(page.count("form[action$='/invitations']"), 0);
    app.created(
        &format!("/api/v1/persons/{pid}/affiliations"),
        json!({"organisation_id": org_id, "role": "Kassenwart", "from": "2023-01-01"}),
    )
    .await;
    // The organisation's page offers the invitation beside the person.
    let page = app.get_page(&format!("/app/organisations/{org_id}")).await;
    assert_eq!(
        page.count(&format!(
            "#people form[action='/app/persons/{pid}/invitations']"
        )),
        1
    );
    // Invited from the page: no mail server, so the link is shown once.
    let r = app
        .post_form(
            &format!("/app/persons/{pid}/invitations"),
            &[("organisation_id", org_id.as_str())],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status.as_u16(), 200);
    let link = page.attr("#invitation-link-value", "value");
    assert!(link.contains("/portal/de/invitation/"), "{link}");
    assert_eq!(page.count("#invitations tr[data-status=pending]"), 1);
    // Shown again, the page has no link.
    let again = app.get_page(&format!("/app/persons/{pid}")).await;
    assert_eq!(again.count("#invitation-link-value"), 0);
    // A second invitation for the same person while one is open is fine
    // (a new link), but not once they have an account.
    let version = again.attr(
        "#invitations tr[data-status=pending] input[name=version]",
        "value",
    );
    let id = again.attr(
        "#invitations tr[data-status=pending] form[action$='/revoke']",
        "action",
    );
    let r = app.post_form(&id, &[("version", version.as_str())]).await;
    assert_eq!(r.status(), 303);
    let page = app.get_page(&format!("/app/persons/{pid}")).await;
    assert_eq!(page.count("#invitations tr[data-status=revoked]"), 1);
    // An unknown organisation is named on the page, nothing stored.
    let before = count(&app, "invitation").await;
    let r = app
        .post_form(
            &format!("/app/persons/{pid}/invitations"),
            &[("organisation_id", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(count(&app, "invitation").await, before);

    // Trusted from the organisation's page.
    let page = app.get_page(&format!("/app/organisations/{org_id}")).await;
    assert!(page.text("#trusted-state").contains("nein"));
    let r = app
        .post_form(
            &format!("/app/organisations/{org_id}/trusted"),
            &[("trusted", "on")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = app.get_page(&format!("/app/organisations/{org_id}")).await;
    assert!(page.text("#trusted-state").contains("ja"));
    let api = app
        .get_json(&format!("/api/v1/organisations/{org_id}"))
        .await;
    assert_eq!(api["id"], org_id.as_str());

    // A need with its urgency from the staff form.
    let r = app
        .post_form(
            "/app/needs",
            &[
                ("organisation_id", org_id.as_str()),
                ("category", "funding"),
                ("description", "Zuschuss für Miete"),
                ("urgency", "high"),
                ("source", "other"),
                ("status", "open"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let page = app.get_page(location.split('?').next().unwrap()).await;
    assert_eq!(page.text("#need-urgency"), "dringend");
}

async fn members_answer_meeting_invitations(app: TestApp) {
    let rep = app.representative("Kurdischer Elternverein").await;
    app.sign_in("staff").await;
    let body = app
        .created(
            "/api/v1/bodies",
            json!({"name": "Arbeitskreis MSO", "kind": "working_group"}),
        )
        .await;
    let bid = body["id"].as_str().unwrap().to_owned();
    let start = (chrono::Utc::now() + chrono::Duration::days(9))
        .format("%Y-%m-%dT18:00")
        .to_string();
    let meeting = app
        .created(
            "/api/v1/meetings",
            json!({"body_id": bid, "title": "Arbeitskreis im Frühjahr", "starts_at": start, "mode": "in_person", "status": "invited", "place": "Rathaus"}),
        )
        .await;
    let mid = meeting["id"].as_str().unwrap().to_owned();
    // Not a member yet: the meeting is not theirs.
    let (status, _) = send(
        &app,
        &rep.client,
        reqwest::Method::GET,
        &format!("/api/v1/portal/meetings/{mid}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    app.created(
        &format!("/api/v1/bodies/{bid}/members"),
        json!({"person_id": rep.person_id, "on_behalf_of": rep.organisation_id, "role": "member", "from": "2024-01-01"}),
    )
    .await;
    // The invitation by e-mail links a member with an account to the
    // meeting's page in the portal.
    let sink = crate::smtp::Sink::start(0).await;
    app.sign_in("admin").await;
    app.replaced(
        "/api/v1/settings",
        json!({"office_name": "KI Lindenau", "smtp_host": "127.0.0.1", "smtp_port": sink.port.to_string(), "smtp_security": "none", "smtp_from": "KI <ki@lindenau.example>"}),
    )
    .await;
    let (status, report) = app
        .post_json(
            &format!("/api/v1/meetings/{mid}/invitations"),
            json!({"version": meeting["version"]}),
        )
        .await;
    assert_eq!(status, 202, "{report}");
    let mails = sink.wait_for(1).await;
    let text = mails[0].part("text/plain").unwrap();
    assert!(
        text.contains(&format!("/portal/de/meetings/{mid}")),
        "{text}"
    );
    let (status, list) = send(
        &app,
        &rep.client,
        reqwest::Method::GET,
        "/api/v1/portal/meetings",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        list.to_string().contains("Arbeitskreis im Frühjahr"),
        "{list}"
    );
    // A wrong answer is named; a stand-in of another organisation refused.
    let path = format!("/api/v1/portal/meetings/{mid}/answer");
    let (status, _) = send(
        &app,
        &rep.client,
        reqwest::Method::POST,
        &path,
        Some(json!({"answer": "vielleicht"})),
    )
    .await;
    assert_eq!(status, 422);
    let stranger = app
        .created(
            "/api/v1/persons",
            json!({"given_name": "Fremd", "family_name": "Person"}),
        )
        .await;
    let (status, _) = send(
        &app,
        &rep.client,
        reqwest::Method::POST,
        &path,
        Some(json!({"answer": "no", "stand_in": stranger["id"]})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(count(&app, "meeting_response").await, 0);
    let (status, answered) = send(
        &app,
        &rep.client,
        reqwest::Method::POST,
        &path,
        Some(json!({"answer": "yes"})),
    )
    .await;
    assert_eq!(status, 200, "{answered}");
    // Answering again changes the answer, it does not add one.
    let (status, _) = send(
        &app,
        &rep.client,
        reqwest::Method::POST,
        &path,
        Some(json!({"answer": "no"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(count(&app, "meeting_response").await, 1);
    // Staff see it on the meeting's page and in the API.
    let answers = app
        .get_json(&format!("/api/v1/meetings/{mid}/answers"))
        .await;
    assert!(answers.to_string().contains("\"no\""), "{answers}");
    let page = app.get_page(&format!("/app/meetings/{mid}")).await;
    assert_eq!(page.count("#answers tr[data-answer=no]"), 1);
    assert!(page.text("#answers").contains("Leyla"));
    // Approved minutes: shown and downloadable for the member; none before.
    let r = rep
        .client
        .get(app.url(&format!("/portal/de/meetings/{mid}/minutes.md")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let now = app.get_json(&format!("/api/v1/meetings/{mid}")).await;
    let (status, changed) = app
        .send_json(
            reqwest::Method::PATCH,
            &format!("/api/v1/meetings/{mid}"),
            json!({"version": now["version"], "minutes": "1. Begrüßung\n2. Sommerfest: beschlossen", "minutes_status": "approved"}),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    let r = rep
        .client
        .get(app.url(&format!("/portal/de/meetings/{mid}/minutes.md")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(r.text().await.unwrap().contains("Sommerfest: beschlossen"));
    // And on the attendance screen as the expected attendance.
    let page = app
        .get_page(&format!("/app/meetings/{mid}/attendance"))
        .await;
    assert!(
        page.text(&format!(
            "tr[data-attendee='p:{}'] [data-expected]",
            rep.person_id
        ))
        .contains("abgesagt"),
        "the answer beside the member's name"
    );
}
