//! The registry's organisations: forms with field messages, optimistic
//! locking, soft delete and restore, checked today, history, list filters,
//! CSV export and the JSON API.

use crate::helpers::{Page, TestApp};
use crate::on_both_databases;

on_both_databases!(
    staff_create_an_organisation_and_see_its_profile,
    bad_input_is_named_at_the_field_and_saves_nothing,
    a_stale_save_shows_the_other_change_and_overwrites_nothing,
    delete_restore_and_checked_today_leave_a_history,
    the_list_filters_sorts_pages_and_exports,
    the_api_lists_creates_patches_and_deletes,
    auditors_read_but_do_not_write,
    search_stems_folds_and_forgives_typos,
    duplicates_are_merged_with_their_links,
    a_second_node_finds_a_new_organisation_within_two_seconds,
);

const FORM: &[(&str, &str)] = &[
    ("name", "Kulturverein Anatolien"),
    ("kind", "mso"),
    ("alternate_names", "KVA\nAnatolien e.V."),
    ("legal_status", "ev"),
    ("register_court", "Amtsgericht Lindenau"),
    ("register_number", "vr 4711"),
    ("founding_year", "1987"),
    ("member_count", "120"),
    ("origins", "türkeistämmig, kurdisch"),
    ("languages", "tr, ku, de"),
    ("topics", "culture"),
    ("topics", "education"),
    ("target_groups", "families"),
    ("street", "Marktstraße 5"),
    ("postcode", "01067"),
    ("city", "Lindenau"),
    ("district", "Altstadt"),
    ("website", "www.kva.example"),
    ("email", "info@kva.example"),
    ("phone", "05251 12345"),
    (
        "description",
        "**Begegnung** und Hausaufgabenhilfe.<script>alert(1)</script>",
    ),
    ("internal_notes", "Vorstand neu gewählt."),
    ("is_public", "1"),
    ("public_parts", "description"),
    ("version", "0"),
];

async fn create(app: &TestApp, form: &[(&str, &str)]) -> String {
    let r = app.post_form("/app/organisations", form).await;
    assert_eq!(r.status(), 303, "created");
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    location
        .trim_start_matches("/app/organisations/")
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

async fn staff_create_an_organisation_and_see_its_profile(app: TestApp) {
    app.sign_in("staff").await;
    let new = app.get_page("/app/organisations/new").await;
    assert_eq!(new.status, 200);
    assert!(new.count("input[name=topics][value=culture]") == 1);
    let id = create(&app, FORM).await;
    let page = app
        .get_page(&format!("/app/organisations/{id}?done=created"))
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text("h1"), "Kulturverein Anatolien");
    let profile = page.text("#profile");
    for fact in [
        "Migrantenselbstorganisation",
        "VR 4711 (Amtsgericht Lindenau)",
        "1987",
        "120",
        // Languages by their names, in the order entered.
        "Türkisch, Kurdisch, Deutsch",
        "Kultur, Bildung",
        "Familien",
        "Marktstraße 5, 01067 Lindenau",
        "Altstadt",
        "https://www.kva.example",
        "noch nie",
    ] {
        assert!(profile.contains(fact), "{fact} missing in {profile}");
    }
    assert_eq!(page.text("#internal-notes"), "Vorstand neu gewählt.");
    // The description is Markdown, rendered and sanitised.
    assert_eq!(page.text("#description strong"), "Begegnung");
    assert_eq!(page.count("#description script"), 0);
    assert!(page.text("#history li").contains("angelegt"));
    // Its sections, each in the table of contents.
    for section in [
        "profile-heading",
        "timeline-heading",
        "offers-heading",
        "bodies-heading",
        "people-heading",
        "portal-heading",
        "history-heading",
    ] {
        assert_eq!(page.count(&format!("#{section}")), 1, "{section}");
        assert_eq!(
            page.count(&format!(".page-toc a[href='#{section}']")),
            1,
            "{section}"
        );
    }
    assert_eq!(page.count("details#logo"), 1);
    // The postcode stays text with its leading zero; the edit form shows it.
    let edit = app.get_page(&format!("/app/organisations/{id}/edit")).await;
    assert_eq!(edit.attr("input#postcode", "value"), "01067");
    assert_eq!(edit.attr("input#languages", "value"), "tr, ku, de");
    assert_eq!(edit.count("input[name=topics][value=culture][checked]"), 1);
}

async fn bad_input_is_named_at_the_field_and_saves_nothing(app: TestApp) {
    app.sign_in("staff").await;
    let long = "x".repeat(201);
    let bad: &[(&str, &str)] = &[
        ("name", &long),
        ("kind", "club"),
        ("email", "kaputt@"),
        ("website", "kein web"),
        ("register_number", "1234"),
        ("founding_year", "2999"),
        ("languages", "xx, de"),
        ("topics", "astrology"),
        ("postcode", "1067"),
        ("version", "0"),
    ];
    let page = Page::from_response(app.post_form("/app/organisations", bad).await).await;
    assert_eq!(page.status, 422);
    for (field, message) in [
        ("name", "Die Eingabe ist zu lang."),
        ("kind", "Bitte wählen Sie einen der angebotenen Werte."),
        (
            "email",
            "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@beispiel.de.",
        ),
        (
            "website",
            "Bitte eine Webadresse angeben, zum Beispiel www.verein-lindenau.de.",
        ),
        (
            "register_number",
            "Bitte in der Form „VR 1234“ angeben (Register und Nummer).",
        ),
        ("founding_year", "Das Jahr liegt in der Zukunft."),
        (
            "languages",
            "Unbekannter Sprachcode. Bitte zweibuchstabige Codes nach ISO 639-1 verwenden, zum Beispiel de, tr, ar.",
        ),
        ("postcode", "Eine Postleitzahl hat fünf Ziffern."),
    ] {
        assert_eq!(page.text(&format!("#{field}-error")), message, "{field}");
    }
    assert!(page.text("#error-summary").contains("Themen"));
    // What was typed stays in the form.
    assert_eq!(page.attr("input#email", "value"), "kaputt@");
    let list = app.get_page("/app/organisations").await;
    assert_eq!(list.text("#result-count"), "0 Organisationen");
}

async fn a_stale_save_shows_the_other_change_and_overwrites_nothing(app: TestApp) {
    app.sign_in("staff").await;
    let id = create(&app, FORM).await;
    let mut first: Vec<(&str, &str)> = FORM
        .iter()
        .copied()
        .filter(|(k, _)| *k != "version" && *k != "phone")
        .collect();
    first.push(("version", "1"));
    first.push(("phone", "05251 99999"));
    assert_eq!(
        app.post_form(&format!("/app/organisations/{id}"), &first)
            .await
            .status(),
        303
    );
    let mut second: Vec<(&str, &str)> = FORM
        .iter()
        .copied()
        .filter(|(k, _)| *k != "version" && *k != "member_count")
        .collect();
    second.push(("version", "1"));
    second.push(("member_count", "150"));
    let page = Page::from_response(
        app.post_form(&format!("/app/organisations/{id}"), &second)
            .await,
    )
    .await;
    assert_eq!(page.status, 409);
    assert!(page.text("#error-summary").contains("inzwischen geändert"));
    let conflict = page.text("#conflict");
    assert!(
        conflict.contains("Telefon") && conflict.contains("05251 99999"),
        "{conflict}"
    );
    assert!(
        conflict.contains("Mitglieder") && conflict.contains("150"),
        "{conflict}"
    );
    // The form now holds the current record and its version.
    assert_eq!(page.attr("input#phone", "value"), "05251 99999");
    assert_eq!(page.attr("input[name=version]", "value"), "2");
    let show = app.get_page(&format!("/app/organisations/{id}")).await;
    assert!(show.text("#profile").contains("05251 99999"));
    assert!(!show.text("#profile").contains("150"));
}

async fn delete_restore_and_checked_today_leave_a_history(app: TestApp) {
    app.sign_in("staff").await;
    let id = create(&app, FORM).await;
    let r = app
        .post_form(
            &format!("/app/organisations/{id}/checked"),
            &[("version", "1")],
        )
        .await;
    assert_eq!(
        r.headers()["location"],
        format!("/app/organisations/{id}?done=checked").as_str()
    );
    let page = app.get_page(&format!("/app/organisations/{id}")).await;
    assert!(!page.text("#profile").contains("noch nie"));
    // A stale click changes nothing and says so.
    let r = app
        .post_form(
            &format!("/app/organisations/{id}/delete"),
            &[("version", "1")],
        )
        .await;
    assert_eq!(
        r.headers()["location"],
        format!("/app/organisations/{id}?done=stale").as_str()
    );
    app.post_form(
        &format!("/app/organisations/{id}/delete"),
        &[("version", "2")],
    )
    .await;
    let page = app.get_page(&format!("/app/organisations/{id}")).await;
    assert_eq!(page.count("#deleted-note"), 1);
    assert_eq!(
        app.get_page("/app/organisations")
            .await
            .count("table#organisations tbody tr"),
        0
    );
    assert_eq!(
        app.get_page("/app/organisations?deleted=1")
            .await
            .count("table#organisations tbody tr"),
        1
    );
    app.post_form(
        &format!("/app/organisations/{id}/restore"),
        &[("version", "3")],
    )
    .await;
    assert_eq!(
        app.get_page("/app/organisations")
            .await
            .count("table#organisations tbody tr"),
        1
    );
    let history: Vec<String> = app
        .get_page(&format!("/app/organisations/{id}"))
        .await
        .html
        .select(&scraper::Selector::parse("#history li").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(history.len(), 4, "{history:?}");
    assert!(
        history[0].contains("wiederhergestellt")
            && history[1].contains("gelöscht")
            && history[3].contains("angelegt"),
        "{history:?}"
    );
    assert!(
        history[2].contains("als geprüft vermerkt") && history[2].contains("Zuletzt geprüft"),
        "{history:?}"
    );
}

async fn the_list_filters_sorts_pages_and_exports(app: TestApp) {
    app.sign_in("staff").await;
    let demo = app.services.load_demo_organisations(60).await.unwrap();
    assert_eq!(demo, 61);
    let all = app.get_page("/app/organisations").await;
    assert_eq!(all.text("#result-count"), "61 Organisationen");
    assert_eq!(all.count("table#organisations tbody tr"), 50);
    assert_eq!(
        all.text("table#organisations tbody tr a.org-name"),
        "Afghanischer Frauenverein Lindenau"
    );
    // Next page.
    let next = all.attr("#next-page", "href");
    let second = app.get_page(&next).await;
    assert_eq!(second.count("table#organisations tbody tr"), 11);
    // Search folds case and accents: "TURKISCH" finds "Türkisch".
    let found = app.get_page("/app/organisations?q=TURKISCH").await;
    let names: Vec<String> = found
        .html
        .select(&scraper::Selector::parse("a.org-name").unwrap())
        .map(|e| e.text().collect())
        .collect();
    // Ranked: the names first, the exact word "Türkisch" before the longer
    // "Türkischer"; then the organisations whose description says they work
    // "auf Türkisch" (the demo writes languages as words).
    assert_eq!(
        names[..2],
        [
            "Türkisch-Islamische Gemeinde Lindenau-Nord",
            "Deutsch-Türkischer Kulturverein Lindenau"
        ]
    );
    assert!(names.len() > 2 && names.len() < 20, "{names:?}");
    // Facets: kind and language with counts; filters combine.
    let faith = app
        .get_page("/app/organisations?kind=faith_community")
        .await;
    assert_eq!(faith.text("#result-count"), "5 Organisationen");
    assert!(
        faith
            .text("label[for=kind-faith_community]")
            .contains("(5)")
    );
    let faith_tr = app
        .get_page("/app/organisations?kind=faith_community&language=tr")
        .await;
    assert_eq!(faith_tr.text("#result-count"), "2 Organisationen");
    let district = app
        .get_page("/app/organisations?district=Hafen&sort=name_desc")
        .await;
    let first = district.text("table#organisations tbody tr a.org-name");
    assert_eq!(first, "Tunesischer Verein Karthago");
    // Communities of origin are a facet too.
    let kurdish = app.get_page("/app/organisations?origin=kurdisch").await;
    assert_eq!(kurdish.text("#result-count"), "Eine Organisation");
    assert!(kurdish.text("label[for=origin-kurdisch]").contains("(1)"));
    // Unchecked for 12 months.
    let unchecked = app.get_page("/app/organisations?unchecked=1").await;
    let count: u64 = unchecked
        .text("#result-count")
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(count > 0 && count < 61, "{count}");
    // CSV of the current filter, Excel-ready.
    let csv = app.get("/app/organisations.csv?kind=faith_community").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let body = csv.text().await.unwrap();
    assert!(body.starts_with('\u{feff}'));
    assert_eq!(body.lines().count(), 6, "header and five rows");
    // For people: labels, not codes (the re-import format with style=machine).
    assert!(
        body.contains(
            "Alevitische Gemeinde Lindenau;Religionsgemeinschaft;eingetragener Verein (e.V.);"
        ),
        "{body}"
    );
    assert!(body.contains(";VR "), "{body}");
    assert!(body.contains(";33110;"), "postcodes stay text");
    let xlsx = app
        .get("/app/organisations.xlsx?kind=faith_community")
        .await;
    assert_eq!(
        xlsx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = xlsx.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "a zip container");
}

async fn the_api_lists_creates_patches_and_deletes(app: TestApp) {
    let (api, _) = app.signed_in("staff").await;
    let r = api
        .post(app.url("/api/v1/organisations"))
        .json(&serde_json::json!({
            "name": "Ghanaische Union",
            "kind": "mso",
            "languages": ["tw", "en"],
            "founding_year": 1999,
            "topics": ["culture"],
            "postcode": "01067"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let org: serde_json::Value = r.json().await.unwrap();
    let id = org["id"].as_str().unwrap().to_owned();
    assert_eq!(org["languages"], serde_json::json!(["tw", "en"]));
    assert_eq!(org["founding_year"], 1999);
    assert_eq!(org["postcode"], "01067");
    assert_eq!(org["version"], 1);
    // Field errors as problem+json.
    let r = api
        .post(app.url("/api/v1/organisations"))
        .json(&serde_json::json!({"name": "", "kind": "x", "languages": "xx"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "kind", "languages"]);
    // PATCH with the version; only the keys given change.
    let r = api
        .patch(app.url(&format!("/api/v1/organisations/{id}")))
        .json(&serde_json::json!({"version": 1, "member_count": 80}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let patched: serde_json::Value = r.json().await.unwrap();
    assert_eq!(patched["member_count"], 80);
    assert_eq!(patched["languages"], serde_json::json!(["tw", "en"]));
    let r = api
        .patch(app.url(&format!("/api/v1/organisations/{id}")))
        .json(&serde_json::json!({"version": 1, "member_count": 90}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = api
        .patch(app.url(&format!("/api/v1/organisations/{id}")))
        .json(&serde_json::json!({"member_count": 90}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "the version is required");
    // List with q, limit and cursor.
    app.services.load_demo_organisations(60).await.unwrap();
    let page1: serde_json::Value = api
        .get(app.url("/api/v1/organisations?limit=20"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page1["items"].as_array().unwrap().len(), 20);
    assert_eq!(page1["total"], 62);
    let cursor = page1["next_cursor"].as_str().unwrap();
    let page2: serde_json::Value = api
        .get(app.url(&format!("/api/v1/organisations?limit=20&cursor={cursor}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(page1["items"][0]["id"], page2["items"][0]["id"]);
    let q: serde_json::Value = api
        .get(app.url("/api/v1/organisations?q=ghana"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(q["total"], 2);
    let bad = api
        .get(app.url("/api/v1/organisations?cursor=nonsense"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    // Delete is soft: gone from the list, still readable, restorable.
    let r = api
        .delete(app.url(&format!("/api/v1/organisations/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let q: serde_json::Value = api
        .get(app.url("/api/v1/organisations?q=ghana"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(q["total"], 1);
    let got: serde_json::Value = api
        .get(app.url(&format!("/api/v1/organisations/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["deleted"], true);
    assert_eq!(
        api.get(app.url(&format!("/api/v1/organisations/{}", uuid::Uuid::now_v7())))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

async fn auditors_read_but_do_not_write(app: TestApp) {
    app.services.load_demo_organisations(60).await.unwrap();
    app.sign_in("auditor").await;
    let list = app.get_page("/app/organisations").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.count("a[href='/app/organisations/new']"), 0);
    let id = list.attr("table#organisations tbody tr", "data-id");
    let show = app.get_page(&format!("/app/organisations/{id}")).await;
    assert_eq!(show.count("a[href$='/edit']"), 0);
    assert_eq!(
        app.post_form("/app/organisations", FORM).await.status(),
        403
    );
    assert_eq!(
        app.post_form(
            &format!("/app/organisations/{id}/delete"),
            &[("version", "1")]
        )
        .await
        .status(),
        403
    );
}

async fn search_stems_folds_and_forgives_typos(app: TestApp) {
    app.sign_in("staff").await;
    app.services.load_demo_organisations(60).await.unwrap();
    let mut form: Vec<(&str, &str)> = FORM
        .iter()
        .copied()
        .filter(|(k, _)| *k != "description")
        .collect();
    form.push((
        "description",
        "Hausaufgabenhilfe für Schüler und Schülerinnen der Grundschule.",
    ));
    let id = create(&app, &form).await;
    let names = |page: &Page| -> Vec<String> {
        page.html
            .select(&scraper::Selector::parse("a.org-name").unwrap())
            .map(|e| e.text().collect())
            .collect()
    };
    // A word of the description, stemmed and folded: "Schule" finds "Schüler".
    let page = app.get_page("/app/organisations?q=Schule").await;
    assert!(
        names(&page).contains(&"Kulturverein Anatolien".to_owned()),
        "{:?}",
        names(&page)
    );
    // Part of a compound, and a typo.
    for q in ["verein", "Kulturverien", "kult"] {
        let page = app.get_page(&format!("/app/organisations?q={q}")).await;
        assert!(
            names(&page).contains(&"Kulturverein Anatolien".to_owned()),
            "{q}: {:?}",
            names(&page)
        );
    }
    // Odd input: never an error.
    for q in [
        "%22unbalanced",
        "AND%20OR%20NOT",
        "(((",
        "%F0%9F%98%80",
        &"x".repeat(5000),
    ] {
        let page = app.get_page(&format!("/app/organisations?q={q}")).await;
        assert_eq!(page.status, 200, "{q}");
    }
    // Search and facets combine; a change is found at once on this node.
    let page = app
        .get_page("/app/organisations?q=verein&kind=faith_community")
        .await;
    assert!(!names(&page).contains(&"Kulturverein Anatolien".to_owned()));
    let mut edit: Vec<(&str, &str)> = form
        .iter()
        .copied()
        .filter(|(k, _)| *k != "version" && *k != "name")
        .collect();
    edit.push(("version", "1"));
    edit.push(("name", "Anatolischer Bildungsverein"));
    assert_eq!(
        app.post_form(&format!("/app/organisations/{id}"), &edit)
            .await
            .status(),
        303
    );
    let page = app.get_page("/app/organisations?q=Bildungsverein").await;
    assert!(names(&page).contains(&"Anatolischer Bildungsverein".to_owned()));
    assert!(
        !names(&app.get_page("/app/organisations?q=Anatolien").await)
            .contains(&"Kulturverein Anatolien".to_owned())
    );
}

async fn a_second_node_finds_a_new_organisation_within_two_seconds(app: TestApp) {
    let second = app.second_node().await;
    let (client, _) = second.signed_in("staff").await;
    app.sign_in("staff").await;
    let mut form: Vec<(&str, &str)> = FORM.iter().copied().filter(|(k, _)| *k != "name").collect();
    form.push(("name", "Eritreischer Chor Asmara"));
    create(&app, &form).await;
    let started = std::time::Instant::now();
    loop {
        let body: serde_json::Value = client
            .get(second.url("/api/v1/organisations?q=Asmara"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if body["total"] == 1 {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "not found on the second node within 2 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn duplicates_are_merged_with_their_links(app: TestApp) {
    app.sign_in("staff").await;
    let keep = create(&app, FORM).await;
    let mut dup_form: Vec<(&str, &str)> =
        FORM.iter().copied().filter(|(k, _)| *k != "name").collect();
    dup_form.push(("name", "Kulturverein Anatolien (doppelt)"));
    let dup = create(&app, &dup_form).await;
    let r = app
        .post_form(
            &format!("/app/organisations/{dup}/people"),
            &[
                ("given_name", "Elif"),
                ("family_name", "Demir"),
                ("role", "Vorsitzende"),
            ],
        )
        .await;
    let person = r.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    // Paste the duplicate's address; a confirmation names both.
    let confirm = app
        .get_page(&format!(
            "/app/organisations/{keep}/merge?duplicate={}",
            crate::helpers::encode(&format!("http://x/app/organisations/{dup}"))
        ))
        .await;
    assert_eq!(confirm.status, 200);
    let summary = confirm.text("#merge-summary");
    assert!(
        summary.contains("Kulturverein Anatolien") && summary.contains("(doppelt)"),
        "{summary}"
    );
    let version = confirm.attr("input[name=version]", "value");
    let dup_version = confirm.attr("input[name=duplicate_version]", "value");
    let r = app
        .post_form(
            &format!("/app/organisations/{keep}/merge"),
            &[
                ("duplicate", &dup),
                ("version", &version),
                ("duplicate_version", &dup_version),
            ],
        )
        .await;
    assert_eq!(
        r.headers()["location"],
        format!("/app/organisations/{keep}?done=merged").as_str()
    );
    // The link moved; the duplicate is gone and points to the one kept.
    let kept = app.get_page(&format!("/app/organisations/{keep}")).await;
    assert!(kept.text("#people").contains("Elif Demir"));
    assert!(kept.text("#history").contains("Duplikat übernommen"));
    let gone = app.get_page(&format!("/app/organisations/{dup}")).await;
    assert_eq!(
        gone.attr("#deleted-note a", "href"),
        format!("/app/organisations/{keep}")
    );
    let p = app.get_page(&person).await;
    assert!(p.attr("#affiliations a", "href").ends_with(&keep));
    assert_eq!(
        app.get_page("/app/organisations")
            .await
            .text("#result-count"),
        "Eine Organisation"
    );
    // Same version again: stale, nothing happens; itself: refused.
    let (api, _) = app.signed_in("staff").await;
    let r = api
        .post(app.url(&format!("/api/v1/organisations/{keep}/merge")))
        .json(&serde_json::json!({"duplicate": dup, "version": 1, "duplicate_version": 1}))
        .send()
        .await
        .unwrap();
    assert!(r.status() == 409 || r.status() == 422, "{}", r.status());
    let r = api
        .post(app.url(&format!("/api/v1/organisations/{keep}/merge")))
        .json(&serde_json::json!({"duplicate": keep, "version": 2, "duplicate_version": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}
