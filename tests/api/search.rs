//! The directory's search finds what people type: German compounds, the
//! office's synonyms (edited on the settings page and through the API,
//! bad lists refused whole), the categories' labels in six languages, a
//! spelling suggestion and the ways on when nothing is found; and odd
//! input still answers with a page.

use crate::helpers::{Page, TestApp, TestDb, encode};
use crate::on_both_databases;
use serde_json::json;
use std::time::Duration;

on_both_databases!(
    the_demo_city_finds_what_people_type,
    synonyms_are_edited_on_the_page_and_through_the_api,
    odd_queries_answer_with_a_page,
);

/// A public search as an anonymous visitor: status, the results' titles
/// and links, the page.
async fn search(app: &TestApp, lang: &str, q: &str) -> (u16, Vec<(String, String)>, Page) {
    let r = reqwest::Client::new()
        .get(app.url(&format!("/{lang}/search?q={}", encode(q))))
        .send()
        .await
        .unwrap();
    let page = Page::from_response(r).await;
    let hits = page
        .texts("#result-list .result__title a")
        .into_iter()
        .zip(page.attrs("#result-list .result__title a", "href"))
        .collect();
    (page.status.as_u16(), hits, page)
}

/// Searches until `check` holds (a change reaches the public pages with
/// the change feed, within about a second); fails after five seconds.
async fn eventually(
    app: &TestApp,
    q: &str,
    what: &str,
    check: impl Fn(&[(String, String)]) -> bool,
) -> Vec<(String, String)> {
    for _ in 0..50 {
        let (status, hits, _) = search(app, "de", q).await;
        assert_eq!(status, 200);
        if check(&hits) {
            return hits;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{q}: {what}")
}

async fn the_demo_city_finds_what_people_type(db: TestDb) {
    let app = TestApp::spawn_with(db, true).await;
    let (status, hits, _) = search(&app, "de", "Deutschkurs").await;
    assert_eq!(status, 200);
    assert!(
        hits.iter().any(|(_, href)| href.starts_with("/de/offers/")),
        "{hits:?}"
    );
    // Compounds written apart, with and without the accent, and the other
    // way round.
    let (_, hits, _) = search(&app, "de", "Elterncafe").await;
    assert_eq!(hits[0].0, "Elterncafé Weststadt");
    let apart = search(&app, "de", "Hausaufgaben Hilfe").await.1;
    let together = search(&app, "de", "Hausaufgabenhilfe").await.1;
    for hits in [&apart, &together] {
        let titles: Vec<&str> = hits.iter().map(|(t, _)| t.as_str()).collect();
        assert!(
            titles.contains(&"Hausaufgaben Hilfe für die Klassen 1 bis 6"),
            "{titles:?}"
        );
        assert!(
            titles.contains(&"Hausaufgabenhilfe für Grundschulkinder"),
            "{titles:?}"
        );
    }
    // The category's label in other languages finds its offers.
    for (lang, q) in [
        ("en", "language course"),
        ("tr", "dil kursu"),
        ("ar", "دورة لغة"),
        ("ru", "языковой курс"),
    ] {
        let (status, hits, page) = search(&app, lang, q).await;
        assert_eq!(status, 200);
        assert!(!hits.is_empty(), "{lang} {q}");
        let first = page.text(".result__meta");
        let label = match lang {
            "en" => "Language course",
            "tr" => "Dil kursu",
            "ar" => "دورة لغة",
            _ => "Языковой курс",
        };
        assert!(first.contains(label), "{lang} {q}: {first}");
    }

    // Nothing found: a spelling that finds something, the categories and
    // the calendar.
    let (status, hits, page) = search(&app, "de", "Gebäkc").await;
    assert_eq!(status, 200);
    assert!(hits.is_empty());
    assert!(page.text("#search-suggestion").starts_with("Meinten Sie"));
    assert_eq!(page.text("#did-you-mean"), "geback");
    assert_eq!(page.attr("#did-you-mean", "href"), "/de/search?q=geback");
    assert!(!search(&app, "de", "geback").await.1.is_empty());
    let categories = page.attrs("#browse-categories a", "href");
    assert!(categories.len() >= 10, "{categories:?}");
    assert!(categories.contains(&"/de/search?category=language_course".to_owned()));
    assert!(
        page.texts("#browse-categories a")
            .contains(&"Sprachkurs".to_owned())
    );
    assert_eq!(page.attr("#browse-calendar", "href"), "/de/events");
    // … in every language.
    let (status, _, page) = search(&app, "ar", "qqqqqqqq").await;
    assert_eq!(status, 200);
    assert_eq!(page.count("#search-suggestion"), 0, "nothing close");
    assert_eq!(page.text("#search-tips-heading"), "نصائح للبحث");
    assert!(
        page.texts("#browse-categories a")
            .contains(&"دورة لغة".to_owned())
    );
    assert_eq!(page.attr("#browse-calendar", "href"), "/ar/events");
}

async fn synonyms_are_edited_on_the_page_and_through_the_api(app: TestApp) {
    app.sign_in("staff").await;
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Bildungsverein Lindenau", "kind": "mso", "is_public": true}),
        )
        .await;
    app.created(
        "/api/v1/offers",
        json!({"organisation_id": org["id"], "title": "Alphabetisierung für Erwachsene",
            "category": "other", "location_kind": "organisation", "status": "active", "is_public": true}),
    )
    .await;
    eventually(&app, "Alphabetisierung", "the offer is public", |h| {
        !h.is_empty()
    })
    .await;
    let (_, hits, _) = search(&app, "de", "Lesekurs").await;
    assert!(
        !hits.iter().any(|(t, _)| t.starts_with("Alphabetisierung")),
        "{hits:?}"
    );

    // The page shows the starter list and saves a new one.
    app.sign_in("admin").await;
    let page = app.get_page("/app/admin/settings").await;
    assert!(
        page.text("#search_synonyms")
            .contains("Deutschkurs, Sprachkurs")
    );
    assert_eq!(page.text("label[for=search_synonyms]"), "Synonyme");
    let r = app
        .post_form(
            "/app/admin/settings",
            &[
                ("office_name", "KI Lindenau"),
                (
                    "search_synonyms",
                    " Lesekurs ,Alphabetisierung\r\n\r\nKita, Kindergarten",
                ),
            ],
        )
        .await;
    assert_eq!(r.headers()["location"], "/app/admin/settings?done=saved");
    let page = app.get_page("/app/admin/settings").await;
    assert_eq!(
        app.get_json("/api/v1/settings").await["search_synonyms"],
        "Lesekurs, Alphabetisierung\nKita, Kindergarten",
        "stored tidied"
    );
    assert!(
        page.text("#search_synonyms")
            .starts_with("Lesekurs, Alphabetisierung")
    );
    eventually(&app, "Lesekurs", "synonym found", |h| {
        h.first()
            .is_some_and(|(t, _)| t == "Alphabetisierung für Erwachsene")
    })
    .await;

    // A bad list is refused whole, every bad line named; nothing changes.
    let r = app
        .post_form(
            "/app/admin/settings",
            &[
                ("office_name", "KI Lindenau"),
                (
                    "search_synonyms",
                    "Lesekurs, Alphabetisierung, Lesen lernen\nKurs, , Lehrgang\nNachhilfe",
                ),
            ],
        )
        .await;
    let page = crate::helpers::Page::from_response(r).await;
    assert_eq!(page.status, 422);
    let summary = page.texts("#error-summary li");
    assert_eq!(
        summary,
        [
            "Synonyme: Zeile 2: Ein Eintrag ist leer (zwei Kommas hintereinander oder ein Komma am Ende).",
            "Synonyme: Zeile 3: Eine Gruppe braucht mindestens zwei verschiedene Einträge.",
        ]
    );
    assert!(page.text("#search_synonyms-error").starts_with("Zeile 2"));
    assert!(
        page.text("#search_synonyms").contains("Kurs, , Lehrgang"),
        "as typed"
    );
    let settings = app.get_json("/api/v1/settings").await;
    assert_eq!(
        settings["search_synonyms"],
        "Lesekurs, Alphabetisierung\nKita, Kindergarten"
    );
    assert_eq!(settings["office_name"], "KI Lindenau");

    // The same through the API.
    let mut body = settings.clone();
    body["search_synonyms"] = json!("Leselernkurs, Alphabetisierung");
    let (status, stored) = app
        .send_json(reqwest::Method::PUT, "/api/v1/settings", body.clone())
        .await;
    assert_eq!(status, 200, "{stored}");
    assert_eq!(stored["search_synonyms"], "Leselernkurs, Alphabetisierung");
    eventually(&app, "Leselernkurs", "the API's synonym found", |h| {
        h.first()
            .is_some_and(|(t, _)| t == "Alphabetisierung für Erwachsene")
    })
    .await;
    let long = "x".repeat(101);
    let groups: String = (0..501).map(|i| format!("a{i}, b{i}\n")).collect();
    for (list, rules) in [
        (format!("a, {long}"), vec!["synonym-entry-too-long@1"]),
        (groups, vec!["synonym-too-many-groups"]),
        (
            "Kita\n\nKurs,".to_owned(),
            vec!["synonym-group-single@1", "synonym-entry-empty@3"],
        ),
    ] {
        body["search_synonyms"] = json!(list);
        let (status, problem) = app
            .send_json(reqwest::Method::PUT, "/api/v1/settings", body.clone())
            .await;
        assert_eq!(status, 422, "{problem}");
        let found: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                assert_eq!(e["field"], "search_synonyms");
                e["rule"].as_str().unwrap()
            })
            .collect();
        assert_eq!(found, rules);
    }
    assert_eq!(
        app.get_json("/api/v1/settings").await["search_synonyms"],
        "Leselernkurs, Alphabetisierung",
        "nothing changed"
    );
    // In the audit log like every setting.
    let log = app.get_json("/api/v1/audit-log?entity_type=settings").await;
    assert_eq!(
        log["items"][0]["after"]["search_synonyms"],
        "Leselernkurs, Alphabetisierung"
    );

    // Another node learns the list from the change feed.
    let other = app.second_node().await;
    body["search_synonyms"] = json!("Schreibkurs, Alphabetisierung");
    let (status, _) = app
        .send_json(reqwest::Method::PUT, "/api/v1/settings", body)
        .await;
    assert_eq!(status, 200);
    eventually(
        &other,
        "Schreibkurs",
        "the other node's synonym found",
        |h| {
            h.first()
                .is_some_and(|(t, _)| t == "Alphabetisierung für Erwachsene")
        },
    )
    .await;
}

async fn odd_queries_answer_with_a_page(app: TestApp) {
    app.sign_in("staff").await;
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Sprachverein", "kind": "mso", "is_public": true}),
        )
        .await;
    app.created(
        "/api/v1/offers",
        json!({"organisation_id": org["id"], "title": "Deutschkurs am Abend", "category": "language_course",
            "location_kind": "organisation", "status": "active", "is_public": true}),
    )
    .await;
    eventually(&app, "Deutschkurs", "the offer is public", |h| {
        !h.is_empty()
    })
    .await;
    let long = "Deutschkurs ".repeat(430);
    for q in [
        "<script>alert(1)</script>",
        "<b>Deutschkurs</b>",
        "Deutsch AND Kurs OR \"Sprache\"",
        "(Deutsch) : * ~ ^ - +",
        "title:Deutschkurs~2^3",
        "-Deutschkurs +Kurs*",
        "der die das und",
        "für mit",
        "Deutsch Kurs",
        long.as_str(),
    ] {
        for lang in ["de", "ar"] {
            let (status, _, page) = search(&app, lang, q).await;
            assert_eq!(status, 200, "{q}");
            assert_eq!(page.count("script:not([src]):not([type])"), 0, "{q}");
        }
    }
    for q in [
        "<b>Deutschkurs</b>",
        "Deutsch AND Kurs",
        "Deutsch Kurs",
        "title:Deutschkurs~2^3",
        long.as_str(),
    ] {
        let (_, hits, _) = search(&app, "de", q).await;
        assert_eq!(
            hits.first().map(|h| h.0.as_str()),
            Some("Deutschkurs am Abend"),
            "{q}"
        );
    }
    let (_, _, page) = search(&app, "de", &long).await;
    assert_eq!(
        page.count("#search-truncated"),
        1,
        "5 KB are cut and the page says so"
    );
}
