//! What the office did beyond its targets: items the report finds in the
//! records (staff memberships, events organised by "our office", bodies
//! founded in the period), records linked by staff (with their real date,
//! also outside the period) and free items; reworded, hidden, moved to
//! another project, reordered and deleted through the API and the pages,
//! and printed in the report in that order. Every refusal leaves things as
//! they were.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;
use reqwest::Method;
use serde_json::{Value, json};

on_both_databases!(
    found_items_are_listed_with_sentences_a_person_would_write,
    records_are_linked_and_free_items_typed,
    items_are_reworded_hidden_moved_and_named,
    items_are_reordered_deleted_and_reported_in_order,
    a_period_with_items_staff_wrote_is_not_deleted,
    a_membership_ended_just_before_the_period_is_linked_with_its_date,
);

/// The year the tests report on: the school year 2020/21 (1 August 2020
/// to 31 July 2021) with its records.
struct Year {
    pid: String,
    aylin: String,
    jonas: String,
    /// The prize ceremony in October 2021, after the period.
    ceremony: String,
    /// The office's event in the period (found).
    award: String,
}

const AWARD: &str = "Das KI organisierte die Veranstaltung „Integrationspreisverleihung“ gemeinsam mit Stadt Lindenau (März 2021).";
const REMIGAS: &str = "war bis Ende 2020 Mitglied des Gremiums „Begleitgruppe des Forschungsprojekts ReMiGas NRW“ (KatHo Paderborn).";
const EDUCATION: &str = "war Mitglied des Gremiums „Arbeitskreis Bildung“.";
const ROUND_TABLE: &str = "Ein Mitarbeiter des KI war seit dem 01.02.2021 Mitglied des Gremiums „Runder Tisch Integration“.";
const CULTURE: &str = "Eine Person aus dem KI-Team war Mitglied des Gremiums „Kulturbeirat“.";
const FOUNDED: &str = "Am 01.03.2021 wurde das Gremium „Elternnetzwerk“ gegründet.";
const CEREMONY: &str = "Das KI organisierte die Veranstaltung „Preisverleihung des Integrationspreises“ (Oktober 2021).";

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

fn rule(answer: &Value) -> (String, String) {
    let e = &answer["errors"][0];
    (
        e["field"].as_str().unwrap_or_default().to_owned(),
        e["rule"].as_str().unwrap_or_default().to_owned(),
    )
}

async fn user(app: &TestApp, name: &str, form: &str) -> String {
    let email = format!("{}@ki-test.example", name.to_lowercase().replace(' ', "."));
    id(&app
        .created(
            "/api/v1/users",
            json!({"email": email, "display_name": name, "role": "staff", "form_of_address": form}),
        )
        .await)
}

async fn organisation(app: &TestApp, name: &str, kind: &str) -> String {
    id(&app
        .created("/api/v1/organisations", json!({"name": name, "kind": kind}))
        .await)
}

async fn body(app: &TestApp, fields: Value) -> String {
    let mut fields = fields;
    fields["kind"] = json!("working_group");
    id(&app.created("/api/v1/bodies", fields).await)
}

async fn member(app: &TestApp, body: &str, member: Value) {
    app.created(&format!("/api/v1/bodies/{body}/members"), member)
        .await;
}

async fn event(app: &TestApp, title: &str, day: &str, organisers: &[&str]) -> String {
    id(&app
        .created(
            "/api/v1/events",
            json!({"title": title, "starts_at": format!("{day}T18:00"), "mode": "in_person", "place": "Rathaus", "organisers": organisers, "status": "held"}),
        )
        .await)
}

/// The office, its staff and the year's records.
async fn year(app: &TestApp) -> Year {
    app.sign_in("admin").await;
    let aylin = user(app, "Aylin Demir", "f").await;
    let jonas = user(app, "Jonas Berg", "m").await;
    let kim = user(app, "Kim Sommer", "").await;
    let office = organisation(app, "KI Lindenau", "public_body").await;
    let city = organisation(app, "Stadt Lindenau", "public_body").await;
    let katho = organisation(app, "KatHo Paderborn", "research").await;
    let mut settings = app.get_json("/api/v1/settings").await;
    settings["office_organisation_id"] = json!(office);
    app.replaced("/api/v1/settings", settings).await;

    let remigas = body(
        app,
        json!({"name": "Begleitgruppe des Forschungsprojekts ReMiGas NRW", "organiser_id": katho}),
    )
    .await;
    member(
        app,
        &remigas,
        json!({"user_id": aylin, "role": "member", "from": "2019-01-01", "to": "2020-12-31"}),
    )
    .await;
    let education = body(app, json!({"name": "Arbeitskreis Bildung"})).await;
    member(
        app,
        &education,
        json!({"user_id": aylin, "role": "member", "from": "2019-06-01"}),
    )
    .await;
    let round_table = body(app, json!({"name": "Runder Tisch Integration"})).await;
    member(
        app,
        &round_table,
        json!({"user_id": jonas, "role": "member", "from": "2021-02-01"}),
    )
    .await;
    let culture = body(app, json!({"name": "Kulturbeirat"})).await;
    member(
        app,
        &culture,
        json!({"user_id": kim, "role": "member", "from": "2019-01-01"}),
    )
    .await;
    // Not beyond the targets: a person who is not staff, a membership that
    // ended before the period, one that starts after it.
    let person = id(&app
        .created(
            "/api/v1/persons",
            json!({"given_name": "Leyla", "family_name": "Aydın"}),
        )
        .await);
    member(
        app,
        &culture,
        json!({"person_id": person, "role": "member", "from": "2019-01-01"}),
    )
    .await;
    let old = body(app, json!({"name": "Alter Kreis"})).await;
    member(
        app,
        &old,
        json!({"user_id": jonas, "role": "member", "from": "2018-01-01", "to": "2019-12-31"}),
    )
    .await;
    member(
        app,
        &old,
        json!({"user_id": kim, "role": "member", "from": "2021-09-01"}),
    )
    .await;
    body(
        app,
        json!({"name": "Elternnetzwerk", "founded_on": "2021-03-01"}),
    )
    .await;
    body(
        app,
        json!({"name": "Seniorenbeirat", "founded_on": "2021-09-01"}),
    )
    .await;

    let award = event(
        app,
        "Integrationspreisverleihung",
        "2021-03-12",
        &[&office, &city],
    )
    .await;
    let ceremony = event(
        app,
        "Preisverleihung des Integrationspreises",
        "2021-10-15",
        &[&office],
    )
    .await;
    event(app, "Sommerfest der Stadt", "2021-06-12", &[&city]).await;

    let period = app
        .created(
            "/api/v1/periods",
            json!({"kind": "school_year", "year": "2020"}),
        )
        .await;
    Year {
        pid: id(&period),
        aylin,
        jonas,
        ceremony,
        award,
    }
}

async fn items(app: &TestApp, pid: &str) -> Vec<Value> {
    app.get_json(&format!("/api/v1/periods/{pid}/beyond")).await["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn texts(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["text"].as_str().unwrap().to_owned())
        .collect()
}

fn named<'a>(items: &'a [Value], record: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["record_name"] == record)
        .unwrap_or_else(|| panic!("no item for {record}: {items:?}"))
}

/// What the report prints beyond the targets, per chapter.
async fn reported(app: &TestApp, pid: &str, query: &str) -> Vec<Vec<String>> {
    app.get_json(&format!("/api/v1/periods/{pid}/report{query}"))
        .await["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["beyond"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        })
        .collect()
}

async fn delete(app: &TestApp, path: &str) -> (u16, Value) {
    let r = app.client.delete(app.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn found_items_are_listed_with_sentences_a_person_would_write(app: TestApp) {
    let y = year(&app).await;
    let pid = &y.pid;
    let list = items(&app, pid).await;
    assert_eq!(list.len(), 6, "{list:#?}");
    for i in &list {
        assert_eq!(i["version"], 0, "found, not stored: {i}");
        assert_eq!(i["added"], false, "{i}");
        assert_eq!(i["hidden"], false, "{i}");
        assert_eq!(i["edited"], false, "{i}");
        assert_eq!(i["text"], i["generated"], "{i}");
    }
    let award = named(&list, "Integrationspreisverleihung");
    assert_eq!(award["kind"], "event");
    assert_eq!(award["text"], AWARD);
    assert_eq!(award["date"], "2021-03-12");
    assert_eq!(award["href"], format!("/app/events/{}", y.award));
    assert_eq!(award["user"], Value::Null);
    assert_eq!(
        named(&list, "Runder Tisch Integration")["text"],
        ROUND_TABLE
    );
    assert_eq!(
        named(&list, "Runder Tisch Integration")["user"]["name"],
        "Jonas Berg"
    );
    assert_eq!(named(&list, "Kulturbeirat")["text"], CULTURE);
    let founded = named(&list, "Elternnetzwerk");
    assert_eq!(founded["kind"], "body");
    assert_eq!(founded["text"], FOUNDED);
    // Aylin twice: the first mention introduces her, the second refers
    // back to her.
    let hers: Vec<&Value> = list
        .iter()
        .filter(|i| i["user"]["id"] == y.aylin.as_str())
        .collect();
    assert_eq!(hers.len(), 2);
    let (first, second) = (
        hers[0]["text"].as_str().unwrap(),
        hers[1]["text"].as_str().unwrap(),
    );
    assert!(first.starts_with("Eine Mitarbeiterin des KI "), "{first}");
    assert!(
        second.starts_with("Diese Mitarbeiterin des KI "),
        "{second}"
    );
    // Hidden, the first mention does not count: the second introduces her.
    let (status, _) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/periods/{pid}/beyond/{}", id(hers[0])),
            json!({"hidden": true, "version": 0}),
        )
        .await;
    assert_eq!(status, 200);
    let now = items(&app, pid).await;
    let second_now = now.iter().find(|i| i["id"] == hers[1]["id"]).unwrap();
    assert!(
        second_now["text"]
            .as_str()
            .unwrap()
            .starts_with("Eine Mitarbeiterin des KI "),
        "{second_now}"
    );
    let (status, _) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/periods/{pid}/beyond/{}", id(hers[0])),
            json!({"hidden": false, "version": 1}),
        )
        .await;
    assert_eq!(status, 200);
    let list: Vec<Value> = items(&app, pid).await;
    assert!(
        list.iter().find(|i| i["id"] == hers[1]["id"]).unwrap()["text"]
            .as_str()
            .unwrap()
            .starts_with("Diese Mitarbeiterin des KI ")
    );
    let remigas = named(&list, "Begleitgruppe des Forschungsprojekts ReMiGas NRW");
    assert_eq!(remigas["kind"], "membership");
    assert!(
        remigas["text"].as_str().unwrap().ends_with(REMIGAS),
        "{remigas}"
    );
    assert_eq!(remigas["date"], "2020-12-31");
    assert!(
        named(&list, "Arbeitskreis Bildung")["text"]
            .as_str()
            .unwrap()
            .ends_with(EDUCATION)
    );
    for absent in [
        "Preisverleihung des Integrationspreises",
        "Sommerfest der Stadt",
        "Alter Kreis",
        "Seniorenbeirat",
    ] {
        assert!(
            !list.iter().any(|i| i["record_name"] == absent),
            "{absent}: {list:#?}"
        );
    }

    // The report prints them in the list's order; the page lists them so.
    let all = texts(&list);
    assert_eq!(reported(&app, pid, "").await, std::slice::from_ref(&all));
    let page = app.get_page(&format!("/app/periods/{pid}/beyond")).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.texts(".beyond-item__text"), all);
    assert_eq!(
        page.count("form[action$='/delete']:not(.beyond-reset)"),
        0,
        "found: no delete"
    );
    assert_eq!(page.count(".beyond-reset"), 1, "the one changed: reset");

    // In English.
    let en = app
        .get_json(&format!("/api/v1/periods/{pid}/beyond?lang=en"))
        .await;
    let en = en["items"].as_array().unwrap();
    assert_eq!(
        named(en, "Integrationspreisverleihung")["text"],
        "The office organised the event “Integrationspreisverleihung” together with Stadt Lindenau (March 2021)."
    );
    assert_eq!(
        named(en, "Begleitgruppe des Forschungsprojekts ReMiGas NRW")["text"]
            .as_str()
            .unwrap()
            .split_once(" was ")
            .unwrap()
            .1,
        "a member of “Begleitgruppe des Forschungsprojekts ReMiGas NRW” (KatHo Paderborn) until the end of 2020."
    );

    // Staff by name, as the report's setting says.
    app.replaced(
        &format!("/api/v1/periods/{pid}/report/texts"),
        json!({"staff_names": "named", "version": 0}),
    )
    .await;
    let list = items(&app, pid).await;
    assert_eq!(
        named(&list, "Begleitgruppe des Forschungsprojekts ReMiGas NRW")["text"],
        format!("Aylin Demir {REMIGAS}")
    );
    assert_eq!(
        named(&list, "Arbeitskreis Bildung")["text"],
        format!("Aylin Demir {EDUCATION}")
    );
    assert_eq!(
        named(&list, "Runder Tisch Integration")["text"],
        "Jonas Berg war seit dem 01.02.2021 Mitglied des Gremiums „Runder Tisch Integration“."
    );
    assert_eq!(
        named(&list, "Kulturbeirat")["text"],
        "Kim Sommer war Mitglied des Gremiums „Kulturbeirat“."
    );
    assert_eq!(named(&list, "Integrationspreisverleihung")["text"], AWARD);
    let md = app
        .get(&format!("/api/v1/periods/{pid}/report?format=md"))
        .await
        .text()
        .await
        .unwrap();
    assert!(md.contains(&format!("- Aylin Demir {REMIGAS}")), "{md}");
    assert!(!md.contains("Mitarbeiterin des KI"), "{md}");
}

/// A staff membership that ended before the period is not found, and
/// once staff link it explicitly it is reported with its real date.
async fn a_membership_ended_just_before_the_period_is_linked_with_its_date(app: TestApp) {
    let y = year(&app).await;
    let pid = &y.pid;
    let board = body(&app, json!({"name": "Beirat des Landesprogramms KOMM-AN"})).await;
    member(
        &app,
        &board,
        json!({"user_id": y.jonas, "role": "member", "from": "2019-01-01", "to": "2020-06-30"}),
    )
    .await;
    let before = items(&app, pid).await;
    assert!(
        !texts(&before).iter().any(|t| t.contains("KOMM-AN")),
        "ended before the period: not found by itself"
    );
    let membership = app.get_json(&format!("/api/v1/bodies/{board}")).await["members"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, linked) = app
        .post_json(
            &format!("/api/v1/periods/{pid}/beyond"),
            json!({"record_type": "membership", "record_id": membership}),
        )
        .await;
    assert_eq!(status, 201, "{linked}");
    assert_eq!(linked["kind"], "membership");
    assert_eq!(linked["date"], "2020-06-30");
    let text = linked["text"].as_str().unwrap();
    assert!(
        text.contains("„Beirat des Landesprogramms KOMM-AN“"),
        "{text}"
    );
    let md = app
        .get(&format!("/api/v1/periods/{pid}/report?format=md"))
        .await
        .text()
        .await
        .unwrap();
    assert!(md.contains(text), "{md}");
}

async fn records_are_linked_and_free_items_typed(app: TestApp) {
    let y = year(&app).await;
    let pid = &y.pid;
    let path = format!("/api/v1/periods/{pid}/beyond");

    // The prize ceremony after the period, linked: its real month.
    let (status, linked) = app
        .post_json(
            &path,
            json!({"record_type": "event", "record_id": y.ceremony}),
        )
        .await;
    assert_eq!(status, 201, "{linked}");
    assert_eq!(linked["kind"], "event");
    assert_eq!(linked["added"], true);
    assert_eq!(linked["version"], 1);
    assert_eq!(linked["date"], "2021-10-15");
    assert_eq!(linked["text"], CEREMONY);
    assert_eq!(linked["generated"], CEREMONY);
    assert_eq!(linked["record_id"], y.ceremony.as_str());

    // A free item with a date and a staff member.
    let (status, free) = app
        .post_json(
            &path,
            json!({"text": " Das KI beriet den Integrationsrat bei seiner neuen Satzung. ", "date": "2021-05-04", "user_id": y.jonas}),
        )
        .await;
    assert_eq!(status, 201, "{free}");
    assert_eq!(free["kind"], "free");
    assert_eq!(
        free["text"],
        "Das KI beriet den Integrationsrat bei seiner neuen Satzung."
    );
    assert_eq!(free["generated"], "");
    assert_eq!(free["date"], "2021-05-04");
    assert_eq!(free["user"]["id"], y.jonas.as_str());
    assert_eq!(free["added"], true);

    let before = items(&app, pid).await;
    assert_eq!(before.len(), 8, "{before:#?}");
    assert!(texts(&before).contains(&CEREMONY.to_owned()));
    assert!(
        texts(&before)
            .contains(&"Das KI beriet den Integrationsrat bei seiner neuen Satzung.".to_owned())
    );
    assert_eq!(
        reported(&app, pid, "").await,
        [texts(&before)],
        "the report follows the list"
    );

    // Bad input: a clear message, nothing changes.
    let unknown = uuid::Uuid::now_v7().to_string();
    for (body, field, want) in [
        (
            json!({"record_type": "event", "record_id": y.ceremony}),
            "record_id",
            "already-linked",
        ),
        (
            json!({"record_type": "event", "record_id": y.award}),
            "record_id",
            "already-linked",
        ),
        (
            json!({"record_type": "event", "record_id": unknown}),
            "record_id",
            "record-unknown",
        ),
        (
            json!({"record_type": "membership", "record_id": unknown}),
            "record_id",
            "record-unknown",
        ),
        (
            json!({"record_type": "visit", "record_id": y.ceremony}),
            "record_type",
            "choice-unknown",
        ),
        (json!({"text": "   "}), "text", "required"),
        (json!({}), "text", "required"),
        (
            json!({"text": "Ein Satz.", "date": "2021-13-01"}),
            "date",
            "date-invalid",
        ),
        (
            json!({"text": "Ein Satz.", "date": "gestern"}),
            "date",
            "date-invalid",
        ),
        (
            json!({"text": "Ein Satz.", "project_id": unknown}),
            "project_id",
            "project-unknown",
        ),
        (
            json!({"text": "Ein Satz.", "user_id": unknown}),
            "user_id",
            "user-unknown",
        ),
        (json!({"text": "x".repeat(2001)}), "text", "too-long"),
    ] {
        let (status, answer) = app.post_json(&path, body.clone()).await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert_eq!(rule(&answer), (field.into(), want.into()), "{body}");
        assert_eq!(items(&app, pid).await, before, "{body} changed the list");
    }

    // The page's form: a free item, a refused one, a refused link.
    let page = app.get_page(&format!("/app/periods/{pid}/beyond")).await;
    assert!(
        page.texts("select#event_id option")
            .iter()
            .any(|o| o.starts_with("Preisverleihung des Integrationspreises")),
        "events after the period are offered"
    );
    let form = format!("/app/periods/{pid}/beyond");
    let r = app.post_form(&form, &[("text", ""), ("date", "")]).await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert_eq!(page.text("#text-error"), "Bitte ausfüllen.");
    let r = app
        .post_form(&form, &[("text", ""), ("event_id", &y.ceremony)])
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    assert_eq!(items(&app, pid).await, before);
    let r = app
        .post_form(
            &form,
            &[
                ("text", "Das KI stellte den Bericht im Ausschuss vor."),
                ("date", "2021-06-30"),
                ("user_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let after = items(&app, pid).await;
    assert_eq!(after.len(), 9);
    assert!(texts(&after).contains(&"Das KI stellte den Bericht im Ausschuss vor.".to_owned()));
}

async fn items_are_reworded_hidden_moved_and_named(app: TestApp) {
    let y = year(&app).await;
    let pid = &y.pid;
    let first_project = id(&app.get_json("/api/v1/projects").await["items"][0]);
    let education = id(&app
        .created("/api/v1/projects", json!({"name": "Bildung"}))
        .await);
    let award = named(&items(&app, pid).await, "Integrationspreisverleihung").clone();
    let path = format!("/api/v1/periods/{pid}/beyond/{}", id(&award));
    let patch = |body: Value| app.send_json(Method::PATCH, &path, body);

    // Reworded: the found item is stored with its first change.
    let own = "Das KI lud zur Integrationspreisverleihung in den Ratssaal ein.";
    let (status, changed) = patch(json!({"text": own, "version": 0})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["version"], 1);
    assert_eq!(changed["text"], own);
    assert_eq!(changed["generated"], AWARD);
    assert_eq!(changed["edited"], true);
    assert_eq!(changed["added"], false);
    assert_eq!(changed["id"], award["id"], "the same item");
    let before = items(&app, pid).await;
    let (status, answer) = patch(json!({"text": "Zu spät.", "version": 0})).await;
    assert_eq!(status, 409, "a second first change: {answer}");
    assert_eq!(items(&app, pid).await, before);
    assert!(reported(&app, pid, "").await[0].contains(&own.to_owned()));

    // Back to the generated sentence.
    let (status, changed) = patch(json!({"text": "", "version": 1})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["text"], AWARD);
    assert_eq!(changed["edited"], false);
    assert_eq!(changed["version"], 2);

    // Hidden: out of the report, still in the list.
    let (status, changed) = patch(json!({"hidden": true, "version": 2})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["hidden"], true);
    assert_eq!(changed["text"], AWARD, "kept");
    assert!(!reported(&app, pid, "").await[0].contains(&AWARD.to_owned()));
    assert!(
        items(&app, pid)
            .await
            .iter()
            .any(|i| i["id"] == award["id"] && i["hidden"] == true)
    );
    let page = app.get_page(&format!("/app/periods/{pid}/beyond")).await;
    assert_eq!(
        page.text(&format!("#item-{} .beyond-item__text s", id(&award))),
        AWARD
    );
    // Shown again with the page's button.
    let r = app
        .post_form(
            &format!("/app/periods/{pid}/beyond/{}/hide", id(&award)),
            &[("version", "3")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(reported(&app, pid, "").await[0].contains(&AWARD.to_owned()));

    // Moved to another project: that project's chapter.
    let (status, changed) = patch(json!({"project_id": education, "version": 4})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["project_id"], education.as_str());
    assert_eq!(
        reported(&app, pid, &format!("?project={education}")).await,
        [vec![AWARD.to_owned()]]
    );
    assert!(
        !reported(&app, pid, &format!("?project={first_project}")).await[0]
            .contains(&AWARD.to_owned())
    );
    let whole = reported(&app, pid, "").await;
    assert_eq!(whole.len(), 2);
    assert_eq!(whole[1], [AWARD]);
    let page = app.get_page(&format!("/app/periods/{pid}/beyond")).await;
    assert_eq!(page.texts("#beyond-list-2 .beyond-item__text"), [AWARD]);

    // About a member of staff: she is named by role, the first mention in
    // this chapter.
    let (status, changed) = patch(json!({"user_id": y.aylin, "version": 5})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["user"]["id"], y.aylin.as_str());
    assert_eq!(
        changed["text"],
        AWARD.replace(
            "Das KI organisierte",
            "Eine Mitarbeiterin des KI organisierte"
        )
    );
    let (status, changed) = patch(json!({"user_id": "", "version": 6})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["text"], AWARD);
    assert_eq!(changed["user"], Value::Null);

    // Bad input and stale versions change nothing.
    let before = items(&app, pid).await;
    let unknown = uuid::Uuid::now_v7().to_string();
    for (body, status_wanted) in [
        (json!({"text": "Alt.", "version": 6}), 409),
        (json!({"hidden": true, "version": 0}), 409),
        (json!({"project_id": unknown, "version": 7}), 422),
        (json!({"user_id": unknown, "version": 7}), 422),
        (json!({"date": "2021-02-30", "version": 7}), 422),
        (json!({"position": -1, "version": 7}), 422),
    ] {
        let (status, answer) = patch(body.clone()).await;
        assert_eq!(status, status_wanted, "{body}: {answer}");
        assert_eq!(items(&app, pid).await, before, "{body} changed the list");
    }
    let (status, _) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/periods/{pid}/beyond/{unknown}"),
            json!({"text": "x", "version": 0}),
        )
        .await;
    assert_eq!(status, 404);

    // A free item cannot lose its text.
    let free = app
        .created(
            &format!("/api/v1/periods/{pid}/beyond"),
            json!({"text": "Ein eigener Satz."}),
        )
        .await;
    let (status, answer) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/periods/{pid}/beyond/{}", id(&free)),
            json!({"text": " ", "version": 1}),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(rule(&answer), ("text".into(), "required".into()));

    // The edit page shows the generated sentence and saves a rewording.
    let edit = format!("/app/periods/{pid}/beyond/{}/edit", id(&award));
    let page = app.get_page(&edit).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text("#beyond-generated"), AWARD);
    let r = app
        .post_form(
            &edit,
            &[
                ("text", "Das KI ehrte Engagierte."),
                ("project_id", &education),
                ("user_id", ""),
                ("version", "7"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post_form(
            &edit,
            &[
                ("text", "Zu spät."),
                ("project_id", &education),
                ("user_id", ""),
                ("version", "7"),
            ],
        )
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422, "stale");
    let now = named(&items(&app, pid).await, "Integrationspreisverleihung").clone();
    assert_eq!(now["text"], "Das KI ehrte Engagierte.");
    assert_eq!(now["version"], 8);
}

async fn move_on_page(app: &TestApp, pid: &str, item: &Value, dir: &str) {
    let r = app
        .post_form(
            &format!("/app/periods/{pid}/beyond/{}/move", id(item)),
            &[("dir", dir)],
        )
        .await;
    assert_eq!(r.status(), 303, "move {dir}");
}

async fn items_are_reordered_deleted_and_reported_in_order(app: TestApp) {
    let y = year(&app).await;
    let pid = &y.pid;
    let linked = app
        .created(
            &format!("/api/v1/periods/{pid}/beyond"),
            json!({"record_type": "event", "record_id": y.ceremony}),
        )
        .await;
    let free = app
        .created(
            &format!("/api/v1/periods/{pid}/beyond"),
            json!({"text": "Das KI beriet den Integrationsrat.", "date": "2021-05-04"}),
        )
        .await;
    let list = items(&app, pid).await;
    assert_eq!(list.len(), 8);
    let order = texts(&list);
    let path = |item: &Value| format!("/api/v1/periods/{pid}/beyond/{}", id(item));

    // A found item nobody changed cannot be deleted (hide it instead).
    let award = named(&list, "Integrationspreisverleihung").clone();
    assert_eq!(award["version"], 0);
    let (status, answer) = delete(&app, &format!("{}?version=0", path(&award))).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(rule(&answer), ("id".into(), "beyond-found".into()));
    assert_eq!(items(&app, pid).await, list, "the refusal changed nothing");

    // The page offers up for all but the first, down for all but the last.
    let page = app.get_page(&format!("/app/periods/{pid}/beyond")).await;
    assert_eq!(page.count("input[name=dir][value=up]"), 7);
    assert_eq!(page.count("input[name=dir][value=down]"), 7);

    // The second up: it comes first.
    move_on_page(&app, pid, &list[1], "up").await;
    let mut want = order.clone();
    want.swap(0, 1);
    let moved = items(&app, pid).await;
    assert_eq!(texts(&moved), want);
    assert_eq!(reported(&app, pid, "").await, [want.clone()]);
    let page = app.get_page(&format!("/app/periods/{pid}/beyond")).await;
    assert_eq!(page.texts(".beyond-item__text"), want);
    // The last item down, the first up: nothing moves.
    move_on_page(&app, pid, &moved[7], "down").await;
    move_on_page(&app, pid, &moved[0], "up").await;
    assert_eq!(texts(&items(&app, pid).await), want);
    // The fifth down, twice.
    let fifth = moved[4].clone();
    move_on_page(&app, pid, &fifth, "down").await;
    move_on_page(&app, pid, &fifth, "down").await;
    let text = want.remove(4);
    want.insert(6, text);
    let moved = items(&app, pid).await;
    assert_eq!(texts(&moved), want);
    assert_eq!(reported(&app, pid, "").await, [want.clone()]);

    // The report's Markdown lists them in this order under its heading.
    let md = app
        .get(&format!("/api/v1/periods/{pid}/report?format=md"))
        .await
        .text()
        .await
        .unwrap();
    let heading = md
        .find("Über die vereinbarten Ziele hinaus")
        .expect("the heading");
    let mut at = heading;
    for t in &want {
        let found = md[at..]
            .find(&format!("- {t}"))
            .unwrap_or_else(|| panic!("{t} after {at}: {md}"));
        at += found + 1;
    }

    // Deleted: free and linked items go; a found one staff changed (here:
    // reordered) is reset to what the report finds.
    let current = |item: &Value| {
        moved
            .iter()
            .find(|i| i["id"] == item["id"])
            .unwrap()
            .clone()
    };
    let free = current(&free);
    let linked = current(&linked);
    let (status, _) = delete(&app, &format!("{}?version=9", path(&free))).await;
    assert_eq!(status, 409);
    let (status, answer) = delete(&app, &path(&free)).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(rule(&answer), ("version".into(), "required".into()));
    assert_eq!(
        items(&app, pid).await,
        moved,
        "the refusals changed nothing"
    );

    let (status, _) = delete(
        &app,
        &format!("{}?version={}", path(&free), free["version"]),
    )
    .await;
    assert_eq!(status, 204);
    let r = app
        .post_form(
            &format!("/app/periods/{pid}/beyond/{}/delete", id(&linked)),
            &[("version", &linked["version"].to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let left = items(&app, pid).await;
    assert_eq!(left.len(), 6);
    assert!(
        !left
            .iter()
            .any(|i| i["id"] == free["id"] || i["id"] == linked["id"])
    );
    let report = reported(&app, pid, "").await;
    assert!(!report[0].contains(&CEREMONY.to_owned()));
    assert!(!report[0].contains(&"Das KI beriet den Integrationsrat.".to_owned()));

    let award = current(&award);
    assert_eq!(award["version"], 1, "stored by the move");
    let page = app.get_page(&format!("/app/periods/{pid}/beyond")).await;
    assert_eq!(page.count(".beyond-reset"), 6, "found and changed: reset");
    let r = app
        .post_form(
            &format!("/app/periods/{pid}/beyond/{}/delete", id(&award)),
            &[("version", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let reset = named(&items(&app, pid).await, "Integrationspreisverleihung").clone();
    assert_eq!(reset["version"], 0, "found again: {reset}");
    assert_eq!(reset["text"], AWARD);
    let (status, answer) = delete(&app, &format!("{}?version=0", path(&reset))).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(rule(&answer), ("id".into(), "beyond-found".into()));
    // The ceremony can be linked again.
    app.created(
        &format!("/api/v1/periods/{pid}/beyond"),
        json!({"record_type": "event", "record_id": y.ceremony}),
    )
    .await;
}

async fn a_period_with_items_staff_wrote_is_not_deleted(app: TestApp) {
    let y = year(&app).await;
    let pid = &y.pid;
    // Found items nobody changed are no reason to keep a period.
    let spare = app
        .created(
            "/api/v1/periods",
            json!({"kind": "calendar_year", "year": "2021"}),
        )
        .await;
    assert!(!items(&app, &id(&spare)).await.is_empty());
    let (status, answer) = delete(&app, &format!("/api/v1/periods/{}?version=1", id(&spare))).await;
    assert_eq!(status, 204, "{answer}");

    // A free item, a hidden found item: refused, with the items kept.
    let free = app
        .created(
            &format!("/api/v1/periods/{pid}/beyond"),
            json!({"text": "Ein eigener Satz."}),
        )
        .await;
    let award = named(&items(&app, pid).await, "Integrationspreisverleihung").clone();
    let (status, _) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/periods/{pid}/beyond/{}", id(&award)),
            json!({"hidden": true, "version": 0}),
        )
        .await;
    assert_eq!(status, 200);
    let before = items(&app, pid).await;
    let period = app.get_json(&format!("/api/v1/periods/{pid}")).await;
    let (status, answer) = delete(&app, &format!("/api/v1/periods/{pid}?version=1")).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(rule(&answer), ("period".into(), "period-has-beyond".into()));
    assert_eq!(
        app.get_json(&format!("/api/v1/periods/{pid}")).await,
        period
    );
    assert_eq!(items(&app, pid).await, before);
    // The page says why.
    let r = app
        .post_form(&format!("/app/periods/{pid}/delete"), &[("version", "1")])
        .await;
    let page = Page::from_response(r).await;
    assert_eq!(page.status, 422);
    let html = page.html.html();
    assert!(html.contains("Einträge „Über die Ziele hinaus“"), "{html}");

    // The free item deleted: the hidden one still keeps the period.
    let (status, _) = delete(
        &app,
        &format!("/api/v1/periods/{pid}/beyond/{}?version=1", id(&free)),
    )
    .await;
    assert_eq!(status, 204);
    let (status, answer) = delete(&app, &format!("/api/v1/periods/{pid}?version=1")).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(rule(&answer), ("period".into(), "period-has-beyond".into()));
    assert_eq!(
        app.get_json(&format!("/api/v1/periods/{pid}")).await,
        period
    );

    // Reset as well: the period goes.
    let (status, _) = delete(
        &app,
        &format!("/api/v1/periods/{pid}/beyond/{}?version=1", id(&award)),
    )
    .await;
    assert_eq!(status, 204);
    let (status, answer) = delete(&app, &format!("/api/v1/periods/{pid}?version=1")).await;
    assert_eq!(status, 204, "{answer}");
    assert_eq!(
        app.get(&format!("/api/v1/periods/{pid}")).await.status(),
        404
    );
}
