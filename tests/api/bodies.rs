//! Bodies, meetings and attendance; invitations by e-mail through a mail
//! server on loopback (the worker sends from the outbox).

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;
use crate::smtp::Sink;
use serde_json::{Value, json};

on_both_databases!(
    a_working_group_meets_and_seven_organisations_are_represented,
    bad_meetings_and_stale_attendance_change_nothing,
    the_office_attendance_rate_at_the_council_and_staff_memberships,
    invitations_updates_and_cancellations_arrive_by_mail,
    public_bodies_have_a_feed_and_internal_ones_a_secret_address,
);

async fn public_bodies_have_a_feed_and_internal_ones_a_secret_address(app: TestApp) {
    app.sign_in("staff").await;
    let public = app
        .created(
            "/api/v1/bodies",
            json!({"name": "Integrationsrat", "kind": "integration_council", "is_public": true}),
        )
        .await;
    let internal = app
        .created(
            "/api/v1/bodies",
            json!({"name": "Arbeitskreis intern", "kind": "working_group"}),
        )
        .await;
    let mut ids = Vec::new();
    for b in [&public, &internal] {
        let m = app.created("/api/v1/meetings", json!({"body_id": b["id"], "title": "Sitzung", "starts_at": "2026-12-10T18:00", "mode": "in_person", "status": "planned", "place": "Rathaus"})).await;
        ids.push(m["id"].as_str().unwrap().to_owned());
    }
    let anonymous = crate::helpers::new_client();
    let r = anonymous
        .get(app.url(&format!(
            "/calendar/bodies/{}.ics",
            public["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let ics = r.text().await.unwrap();
    assert!(ics.contains(&format!("UID:meeting-{}@msohub", ids[0])));
    assert!(ics.contains("DTSTART:20261210T170000Z"));
    assert!(ics.contains("LOCATION:Rathaus"));
    let r = anonymous
        .get(app.url(&format!(
            "/calendar/bodies/{}.ics",
            internal["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "an internal body has no public feed");

    let r = app
        .post_form(
            &format!("/app/bodies/{}/feed", internal["id"].as_str().unwrap()),
            &[],
        )
        .await;
    let url = Page::from_response(r).await.text("#feed-url");
    let path = url
        .split_once("://")
        .unwrap()
        .1
        .split_once('/')
        .unwrap()
        .1
        .to_owned();
    let r = anonymous
        .get(app.url(&format!("/{path}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains(&format!("UID:meeting-{}@msohub", ids[1]))
    );
    let r = app
        .post_form(
            &format!("/app/bodies/{}/feed", internal["id"].as_str().unwrap()),
            &[],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        anonymous
            .get(app.url(&format!("/{path}")))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "the old address stopped working"
    );
}

async fn me(app: &TestApp) -> String {
    app.get("/api/v1/me").await.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// An organisation with one person who speaks for it.
async fn org_with_person(app: &TestApp, name: &str, email: Option<&str>) -> (String, String) {
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": name, "kind": "mso"}),
        )
        .await;
    let person = app
        .created(
            "/api/v1/persons",
            json!({"given_name": "Vertretung", "family_name": name, "email": email.unwrap_or("")}),
        )
        .await;
    (
        org["id"].as_str().unwrap().to_owned(),
        person["id"].as_str().unwrap().to_owned(),
    )
}

fn at(days: i64) -> String {
    (msohub_service::time::today() + chrono::Duration::days(days))
        .format("%Y-%m-%dT18:00")
        .to_string()
}

async fn a_working_group_meets_and_seven_organisations_are_represented(app: TestApp) {
    app.sign_in("staff").await;
    let my_id = me(&app).await;
    // Through the form.
    let r = app
        .post_form(
            "/app/bodies",
            &[
                ("version", "0"),
                ("name", "Arbeitskreis Migrantenorganisationen"),
                ("kind", "working_group"),
                ("founded_on", "2020-10-01"),
                ("purpose", "Austausch der MSO mit dem KI"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let body_id = r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/app/bodies/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let mut people = Vec::new();
    let mut orgs = Vec::new();
    for i in 0..8 {
        let (org, person) = org_with_person(&app, &format!("Verein {i}"), None).await;
        orgs.push(org.clone());
        let r = app
            .post_form(
                &format!("/app/bodies/{body_id}/members"),
                &[
                    ("person_id", &person),
                    ("on_behalf_of", &org),
                    ("role", "member"),
                    ("from", "2020-10-01"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        people.push(person);
    }
    let r = app
        .post_form(
            &format!("/app/bodies/{body_id}/members"),
            &[("user_id", &my_id), ("role", "office_representative")],
        )
        .await;
    assert_eq!(r.status(), 303);
    // A member needs a person or a staff member.
    let r = app
        .post_form(
            &format!("/app/bodies/{body_id}/members"),
            &[("role", "member")],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(page.text("#person_id-error").contains("Person"));

    let meeting = app.created("/api/v1/meetings", json!({
        "body_id": body_id, "title": "Erstes Treffen", "starts_at": at(-10), "mode": "hybrid",
        "status": "held", "place": "KI, Raum 2", "agenda": [{"title": "Begrüßung"}, {"title": "Bedarfe der MSO", "outcome": "Raumfrage an die Verwaltung"}]
    })).await;
    let mid = meeting["id"].as_str().unwrap().to_owned();
    // One screen: each member present/excused/absent, in person or online.
    let form = app
        .get_page(&format!("/app/meetings/{mid}/attendance"))
        .await;
    assert_eq!(form.count("#attendance-lines tbody tr"), 9);
    let mut fields: Vec<(String, String)> = vec![("version".into(), "1".into())];
    for (i, p) in people.iter().enumerate() {
        let status = match i {
            0..=6 => "present",
            _ => "excused",
        };
        fields.push((format!("status:p:{p}"), status.into()));
        fields.push((
            format!("mode:p:{p}"),
            if i < 5 { "in_person" } else { "online" }.into(),
        ));
    }
    fields.push((format!("status:u:{my_id}"), "present".into()));
    // A guest from another organisation.
    let (guest_org, guest) = org_with_person(&app, "Gastverein", None).await;
    fields.push(("guest".into(), format!("p:{guest}")));
    fields.push(("guest_org".into(), guest_org.clone()));
    fields.push(("guest_mode".into(), "in_person".into()));
    let r = app
        .client
        .post(app.url(&format!("/app/meetings/{mid}/attendance")))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = app
        .get_page(&format!("/app/meetings/{mid}?done=attendance-saved"))
        .await;
    assert_eq!(
        page.text("#representation-summary"),
        "8 Organisationen vertreten (6 in Präsenz, 2 online); 8 Personen; eine Person vom KI"
    );
    let m: Value = app
        .get(&format!("/api/v1/meetings/{mid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(m["representation"]["count"], 8);
    assert_eq!(
        m["attendance"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["status"] == "guest")
            .count(),
        1
    );
    assert_eq!(m["agenda"][1]["outcome"], "Raumfrage an die Verwaltung");
    // The body shows it over time and per organisation.
    let page = app.get_page(&format!("/app/bodies/{body_id}")).await;
    assert_eq!(page.count("#attendance-chart rect"), 1);
    assert_eq!(page.text("#attendance-over-time tbody tr td"), "8");
    assert!(
        page.text("#per-organisation")
            .contains("Verein 0 : 1 von 1")
    );
    assert!(
        page.text("#member-list")
            .contains("Vertretung Verein 3 – für Verein 3")
    );
    // The organisation's page shows its body, its member there and how
    // often it was represented; a guest organisation its attendance.
    let page = app
        .get_page(&format!("/app/organisations/{}", orgs[0]))
        .await;
    let bodies = page.text("#bodies");
    assert!(
        bodies.contains("Arbeitskreis Migrantenorganisationen")
            && bodies.contains("1 von 1")
            && bodies.contains("Vertretung Verein 0 – Mitglied"),
        "{bodies}"
    );
    assert_eq!(page.count(".page-toc a[href='#bodies-heading']"), 1);
    assert!(
        !page
            .text("main")
            .contains("folgt mit einer der nächsten Versionen")
    );
    let page = app
        .get_page(&format!("/app/organisations/{guest_org}"))
        .await;
    assert!(page.text("#bodies").contains("1 von 1"));
    let page = app
        .get_page(&format!("/app/organisations/{}", orgs[7]))
        .await;
    assert!(
        page.text("#bodies").contains("0 von 1"),
        "excused: a member, not represented"
    );
    // Every body's meetings in one list.
    let page = app.get_page("/app/meetings").await;
    assert!(
        page.text("#past-meetings")
            .contains("Erstes Treffen – Arbeitskreis Migrantenorganisationen")
    );
    // Decisions become tasks linked to the meeting.
    let t = app.created("/api/v1/tasks", json!({"title": "Raumanfrage stellen", "due_on": "2026-12-20", "assignee_id": my_id, "link_type": "meeting", "link_id": mid})).await;
    assert_eq!(t["link"]["label"], "Erstes Treffen");
    let page = app.get_page(&format!("/app/meetings/{mid}")).await;
    assert!(page.text("#tasks").contains("Raumanfrage stellen"));
}

async fn bad_meetings_and_stale_attendance_change_nothing(app: TestApp) {
    app.sign_in("staff").await;
    let body = app
        .created(
            "/api/v1/bodies",
            json!({"name": "Integrationsrat", "kind": "integration_council"}),
        )
        .await;
    let bid = body["id"].as_str().unwrap();
    for (input, field, rule) in [
        (
            json!({"body_id": bid, "title": "Sitzung", "starts_at": at(5), "mode": "in_person", "status": "held"}),
            "starts_at",
            "held-in-future",
        ),
        (
            json!({"body_id": bid, "title": "Sitzung", "starts_at": at(-5), "mode": "in_person", "status": "cancelled"}),
            "cancel_reason",
            "cancel-reason-required",
        ),
        (
            json!({"body_id": bid, "title": "Sitzung", "starts_at": at(5), "ends_at": at(4), "mode": "in_person", "status": "planned"}),
            "ends_at",
            "end-before-start",
        ),
        (
            json!({"body_id": bid, "title": "", "starts_at": at(5), "mode": "in_person", "status": "planned"}),
            "title",
            "required",
        ),
        (
            json!({"body_id": bid, "title": "x", "starts_at": at(5), "mode": "in_person", "status": "planned", "video_link": "javascript:alert(1)"}),
            "video_link",
            "url-invalid",
        ),
    ] {
        let r = app
            .client
            .post(app.url("/api/v1/meetings"))
            .json(&input)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{input}");
        let p: Value = r.json().await.unwrap();
        assert!(
            p["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == field && e["rule"] == rule),
            "{field}/{rule}: {p}"
        );
    }
    let list: Value = app
        .get(&format!("/api/v1/meetings?body={bid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
    let m = app.created("/api/v1/meetings", json!({"body_id": bid, "title": "Sitzung", "starts_at": at(-3), "mode": "in_person", "status": "held"})).await;
    let mid = m["id"].as_str().unwrap();
    let r = app
        .client
        .put(app.url(&format!("/api/v1/meetings/{mid}/attendance")))
        .json(&json!({"version": 0, "attendance": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = app
        .client
        .put(app.url(&format!("/api/v1/meetings/{mid}/attendance")))
        .json(&json!({"version": 1, "attendance": [{"attendee": "p:nobody", "status": "present"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
    let twice =
        json!({"attendee": format!("u:{}", me["id"].as_str().unwrap()), "status": "present"});
    let r = app
        .client
        .put(app.url(&format!("/api/v1/meetings/{mid}/attendance")))
        .json(&json!({"version": 1, "attendance": [twice, twice]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "a person twice");
    let got: Value = app
        .get(&format!("/api/v1/meetings/{mid}/attendance"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["version"], 1);
    assert_eq!(got["attendance"].as_array().unwrap().len(), 0);
    let form = app
        .get_page(&format!("/app/meetings/{mid}/attendance"))
        .await;
    assert_eq!(form.attr("input[name=version]", "value"), "1");
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/meetings/{mid}")))
        .json(&json!({"minutes": "Kurzprotokoll", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .post(app.url(&format!("/app/meetings/{mid}/attendance")))
        .form(&[("version", "1")])
        .send()
        .await
        .unwrap();
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert!(page.text("#error-summary").contains("inzwischen geändert"));
}

async fn the_office_attendance_rate_at_the_council_and_staff_memberships(app: TestApp) {
    app.sign_in("staff").await;
    let my_id = me(&app).await;
    let council = app
        .created(
            "/api/v1/bodies",
            json!({"name": "Integrationsrat der Stadt Lindenau", "kind": "integration_council"}),
        )
        .await;
    let cid = council["id"].as_str().unwrap();
    app.created(
        &format!("/api/v1/bodies/{cid}/members"),
        json!({"user_id": my_id, "role": "office_representative", "from": "2020-08-01"}),
    )
    .await;
    for (i, staff_present) in [(1, true), (2, false), (3, false)] {
        let m = app.created("/api/v1/meetings", json!({"body_id": cid, "title": format!("{i}. Sitzung"), "starts_at": at(-30 * i), "mode": "in_person", "status": "held"})).await;
        let status = if staff_present { "present" } else { "excused" };
        let r = app.client.put(app.url(&format!("/api/v1/meetings/{}/attendance", m["id"].as_str().unwrap()))).json(&json!({"version": 1, "attendance": [{"attendee": format!("u:{my_id}"), "status": status}]})).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    app.created("/api/v1/meetings", json!({"body_id": cid, "title": "Ausgefallen", "starts_at": at(-100), "mode": "in_person", "status": "cancelled", "cancel_reason": "Kontaktbeschränkungen"})).await;
    let stats: Value = app
        .get(&format!("/api/v1/bodies/{cid}/attendance"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stats["held"], 3);
    assert_eq!(stats["with_staff"], 1, "1 of 3 = 33 %");
    let page = app.get_page(&format!("/app/bodies/{cid}")).await;
    assert!(
        page.text("#staff-rate")
            .contains("3 Sitzungen haben stattgefunden; das KI war bei einer vertreten.")
    );

    // A staff member sat on a research project's advisory group until a date.
    let advisory = app
        .created(
            "/api/v1/bodies",
            json!({"name": "Beirat Forschungsprojekt", "kind": "advisory_group"}),
        )
        .await;
    let aid = advisory["id"].as_str().unwrap();
    let m = app
        .created(
            &format!("/api/v1/bodies/{aid}/members"),
            json!({"user_id": my_id, "role": "member", "from": "2019-01-01"}),
        )
        .await;
    let r = app
        .client
        .delete(app.url(&format!(
            "/api/v1/memberships/{}?on=2021-03-31",
            m["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let b: Value = app
        .get(&format!("/api/v1/bodies/{aid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b["members"][0]["to"], "2021-03-31");
    assert_eq!(b["members"][0]["active"], false);
    let r = app
        .client
        .delete(app.url(&format!(
            "/api/v1/memberships/{}?on=2018-01-01",
            m["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "an end before the start");
}

async fn invitations_updates_and_cancellations_arrive_by_mail(app: TestApp) {
    app.sign_in("admin").await;
    let my_id = me(&app).await;
    let body = app
        .created(
            "/api/v1/bodies",
            json!({"name": "Arbeitskreis MSO", "kind": "working_group"}),
        )
        .await;
    let bid = body["id"].as_str().unwrap();
    let (org_a, pa) = org_with_person(
        &app,
        "Kulturverein Anatolien",
        Some("vorstand@anatolien.example"),
    )
    .await;
    let (org_b, pb) =
        org_with_person(&app, "Elternverein Jasmin", Some("info@jasmin.example")).await;
    let (org_c, pc) = org_with_person(&app, "Ohne Adresse e.V.", None).await;
    for (o, p) in [(&org_a, &pa), (&org_b, &pb), (&org_c, &pc)] {
        app.created(
            &format!("/api/v1/bodies/{bid}/members"),
            json!({"person_id": p, "on_behalf_of": o, "role": "member"}),
        )
        .await;
    }
    let m = app.created("/api/v1/meetings", json!({"body_id": bid, "title": "Treffen im Dezember", "starts_at": "2026-12-15T17:00", "ends_at": "2026-12-15T19:00", "mode": "in_person", "status": "planned", "place": "Bürgerhaus", "agenda": [{"title": "Jahresplanung"}]})).await;
    let mid = m["id"].as_str().unwrap().to_owned();

    // Without a mail server: a clear message, nothing queued.
    let r = app
        .client
        .post(app.url(&format!("/api/v1/meetings/{mid}/invitations")))
        .json(&json!({"version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["errors"][0]["rule"],
        "smtp-off"
    );

    // The first delivery is refused once (451) and retried.
    let sink = Sink::start(1).await;
    let r = app.client.put(app.url("/api/v1/settings")).json(&json!({"office_name": "KI Lindenau", "smtp_host": "127.0.0.1", "smtp_port": sink.port.to_string(), "smtp_security": "none", "smtp_from": "KI Lindenau <ki@lindenau.example>"})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .post(app.url(&format!("/api/v1/meetings/{mid}/invitations")))
        .json(&json!({"version": 1}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let report: Value = r.json().await.unwrap();
    assert_eq!(status, 202, "{report}");
    assert_eq!(report["queued"], 2);
    assert_eq!(report["without_address"][0], "Vertretung Ohne Adresse e.V.");
    let mails = sink.wait_for(2).await;
    let mut to: Vec<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["info@jasmin.example", "vorstand@anatolien.example"]);
    let first = &mails[0];
    assert!(
        first.header("Subject").contains("Treffen im Dezember")
            || first.data.contains("Treffen im Dezember")
    );
    let text = first.part("text/plain").unwrap();
    assert!(text.contains("1. Jahresplanung"), "{text}");
    let ics = first.part("text/calendar").unwrap();
    assert!(ics.contains("METHOD:REQUEST"));
    assert!(ics.contains(&format!("UID:meeting-{mid}@msohub")));
    assert!(ics.contains("SEQUENCE:0"));
    assert!(
        ics.contains("DTSTART:20261215T160000Z"),
        "17:00 Berlin is 16:00 UTC in December"
    );
    let log: Value = app
        .get(&format!("/api/v1/meetings/{mid}/invitations"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|d| d["attempts"].as_i64().unwrap() >= 2),
        "one was retried: {log}"
    );
    let meeting: Value = app
        .get(&format!("/api/v1/meetings/{mid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(meeting["status"], "invited");

    // A new time: an update with a higher SEQUENCE to the same people.
    let r = app.client.patch(app.url(&format!("/api/v1/meetings/{mid}"))).json(&json!({"starts_at": "2026-12-16T17:00", "ends_at": "2026-12-16T19:00", "version": meeting["version"]})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let changed: Value = r.json().await.unwrap();
    let mails = sink.wait_for(4).await;
    let ics = mails[3].part("text/calendar").unwrap();
    assert!(
        ics.contains("METHOD:REQUEST") && ics.contains("SEQUENCE:1"),
        "{ics}"
    );
    assert!(
        mails[3]
            .part("text/plain")
            .unwrap()
            .contains("die Angaben haben sich geändert")
    );
    // Cancelled: a cancellation.
    let r = app.client.patch(app.url(&format!("/api/v1/meetings/{mid}"))).json(&json!({"status": "cancelled", "cancel_reason": "Erkrankung der Moderation", "version": changed["version"]})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let mails = sink.wait_for(6).await;
    let ics = mails[5].part("text/calendar").unwrap();
    assert!(
        ics.contains("METHOD:CANCEL")
            && ics.contains("SEQUENCE:2")
            && ics.contains("STATUS:CANCELLED"),
        "{ics}"
    );
    let page = app.get_page(&format!("/app/meetings/{mid}")).await;
    assert_eq!(page.count("#deliveries tbody tr"), 6);
    assert!(page.text("#deliveries").contains("gesendet"));
    let _ = my_id;
}
