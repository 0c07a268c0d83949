//! The public directory: search with facets across organisations, offers
//! and events, organisation pages, the calendar, the six languages; only
//! public data, whatever is asked.

use crate::helpers::TestApp;
use crate::on_both_databases;
use serde_json::json;

on_both_databases!(
    the_directory_finds_only_what_is_public,
    the_directory_speaks_six_languages_and_survives_odd_input
);

async fn public(app: &TestApp, path: &str) -> (u16, String) {
    let r = reqwest::Client::new()
        .get(app.url(path))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The titles in the result list, in order.
fn titles(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("#result-list .result__title a").unwrap();
    doc.select(&sel)
        .map(|a| a.text().collect::<String>().trim().to_owned())
        .collect()
}

async fn the_directory_finds_only_what_is_public(app: TestApp) {
    app.sign_in("staff").await;
    let listed = app.created("/api/v1/organisations", json!({"name": "Elternverein Jasmin", "kind": "mso", "is_public": true,
        "public_parts": ["description", "address", "languages"], "description": "Wir beraten Eltern in Lindenau.",
        "street": "Lindenstraße 4", "postcode": "01067", "city": "Lindenau", "district": "Altstadt",
        "email": "vorstand-privat@jasmin.example", "phone": "0351 123456", "languages": ["ar", "de"],
        "latitude": 51.05, "longitude": 13.74, "topics": ["education"], "target_groups": ["families"],
        "internal_notes": "Notiz GEHEIM"})).await;
    // Listed, but shows neither description nor address.
    let quiet = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Ruhiger Verein", "kind": "mso", "is_public": true,
        "public_parts": [], "description": "Zauberwort steht nur intern", "district": "Nordstadt",
        "latitude": 51.0, "longitude": 13.0}),
        )
        .await;
    let hidden = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Stiller Kreis GEHEIM", "kind": "mso", "is_public": false}),
        )
        .await;
    let lid = listed["id"].as_str().unwrap();
    let cafe = app.created("/api/v1/offers", json!({"organisation_id": lid, "title": "Elterncafé", "category": "parents",
        "description": "Austausch bei Tee.", "languages": ["ar", "de"], "target_groups": ["families"],
        "cost_kind": "free", "location_kind": "organisation", "status": "active", "is_public": true,
        "translations": {"tr": {"title": "Veli kafesi", "description": "Çay eşliğinde sohbet."}}})).await;
    let online = app.created("/api/v1/offers", json!({"organisation_id": lid, "title": "Hausaufgabenhilfe digital", "category": "homework_help",
        "languages": ["de"], "cost_kind": "amount", "cost_text": "2 €", "location_kind": "online",
        "online_link": "https://meet.example/hausaufgaben", "status": "active", "is_public": true})).await;
    app.created("/api/v1/offers", json!({"organisation_id": lid, "title": "Vorstandsrunde GEHEIM", "category": "other",
        "cost_kind": "free", "location_kind": "organisation", "status": "active", "is_public": false})).await;
    app.created("/api/v1/offers", json!({"organisation_id": lid, "title": "Altkurs GEHEIM", "category": "other",
        "cost_kind": "free", "location_kind": "organisation", "status": "ended", "is_public": true})).await;
    app.created("/api/v1/offers", json!({"organisation_id": hidden["id"], "title": "Angebot GEHEIM", "category": "other",
        "cost_kind": "free", "location_kind": "organisation", "status": "active", "is_public": true})).await;
    app.created("/api/v1/events", json!({"title": "Elternabend im Frühling", "starts_at": "2031-03-14T18:00",
        "mode": "in_person", "place": "Lindenstraße 4", "organisers": [lid], "languages": ["de", "ar"], "is_public": true})).await;
    app.created(
        "/api/v1/events",
        json!({"title": "Klausur GEHEIM", "starts_at": "2031-03-20T18:00",
        "mode": "in_person", "place": "Büro", "organisers": [lid], "is_public": false}),
    )
    .await;

    // Everything listed, nothing else; the quiet one's description is not
    // searched, its district and place are not shown.
    let (status, all) = public(&app, "/de/search").await;
    assert_eq!(status, 200);
    assert!(!all.contains("GEHEIM"), "{all}");
    assert!(!all.contains("Zauberwort") && !all.contains("Nordstadt"));
    assert!(!all.contains("vorstand-privat") && !all.contains("0351"));
    let mut found = titles(&all);
    found.sort();
    assert_eq!(
        found,
        vec![
            "Elterncafé",
            "Elternverein Jasmin",
            "Hausaufgabenhilfe digital",
            "Ruhiger Verein"
        ]
    );
    for q in ["GEHEIM", "Zauberwort", "Notiz", "vorstand"] {
        let (_, html) = public(&app, &format!("/de/search?q={q}")).await;
        assert!(titles(&html).is_empty(), "{q}: {:?}", titles(&html));
        assert!(html.contains("id=\"no-results\""));
    }
    // No tile server, no map: the list with its addresses stays.
    assert!(!all.contains("id=\"map\"") && !all.contains("\"lat\":"));
    app.sign_in("admin").await;
    let r = app
        .client
        .put(app.url("/api/v1/settings"))
        .json(&json!({"office_name": "KI Lindenau", "map_tile_url": "https://tiles.example/{z}/{x}/{y}.png"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Text, facets and the events that match.
    let (_, html) = public(&app, "/de/search?q=eltern").await;
    let hits = titles(&html);
    assert!(
        hits.contains(&"Elterncafé".to_owned()) && hits.contains(&"Elternverein Jasmin".to_owned()),
        "{hits:?}"
    );
    assert!(
        html.contains("Elternabend im Frühling"),
        "matching event listed"
    );
    let (_, html) = public(&app, "/de/search?free=1").await;
    assert_eq!(titles(&html), vec!["Elterncafé"]);
    let (_, html) = public(&app, "/de/search?online=1").await;
    assert_eq!(titles(&html), vec!["Hausaufgabenhilfe digital"]);
    let (_, html) = public(&app, "/de/search?type=organisation").await;
    assert_eq!(titles(&html).len(), 2);
    let (_, html) = public(&app, "/de/search?language=ar&type=offer").await;
    assert_eq!(titles(&html), vec!["Elterncafé"]);
    let (_, html) = public(&app, "/de/search?category=homework_help").await;
    assert_eq!(titles(&html), vec!["Hausaufgabenhilfe digital"]);
    let (_, html) = public(&app, "/de/search?district=Altstadt&target_group=families").await;
    let mut hits = titles(&html);
    hits.sort();
    assert_eq!(hits, vec!["Elterncafé", "Elternverein Jasmin"]);
    // The facet form lists values with their counts; the selected one stays.
    let page = crate::helpers::Page::from_response(
        reqwest::Client::new()
            .get(app.url("/de/search?category=parents"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        page.text("#facet-category")
            .contains("Eltern und Familie (1)")
    );
    assert!(
        page.text("#facet-category")
            .contains("Hausaufgabenhilfe (1)")
    );
    // The map gets the coordinates of public places only.
    assert!(html.contains("\"lat\":51.05"));
    assert!(
        !all.contains("\"lat\":51.0,"),
        "the quiet one's place is private"
    );

    // Translations are found and shown; the rest says it is German.
    let (_, html) = public(&app, "/tr/search?q=kafesi").await;
    assert_eq!(titles(&html), vec!["Veli kafesi"]);
    assert!(html.contains("<html lang=\"tr\" dir=\"ltr\">"));

    // The organisation page: public parts, public offers, upcoming events,
    // JSON-LD; never the contact it does not show or its private offers.
    let (status, org) = public(&app, &format!("/de/organisations/{lid}")).await;
    assert_eq!(status, 200);
    assert!(org.contains("Elternverein Jasmin") && org.contains("Lindenstraße 4, 01067 Lindenau"));
    assert!(org.contains("Elterncafé") && org.contains("Hausaufgabenhilfe digital"));
    assert!(org.contains("Elternabend im Frühling"));
    assert!(org.contains("\"@type\":\"Organization\""));
    assert!(!org.contains("GEHEIM") && !org.contains("vorstand-privat") && !org.contains("0351"));
    let (_, quiet_page) = public(
        &app,
        &format!("/de/organisations/{}", quiet["id"].as_str().unwrap()),
    )
    .await;
    assert!(!quiet_page.contains("Zauberwort") && !quiet_page.contains("Nordstadt"));
    let (status, _) = public(
        &app,
        &format!("/de/organisations/{}", hidden["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = public(&app, "/de/organisations/not-a-uuid").await;
    assert_eq!(status, 404);

    // The calendar of the month: the public event, not the private one.
    let (status, cal) = public(&app, "/de/events?month=2031-03").await;
    assert_eq!(status, 200);
    assert!(cal.contains("März 2031") && cal.contains("Elternabend im Frühling"));
    assert!(!cal.contains("GEHEIM"));
    let (_, empty) = public(&app, "/de/events?month=2031-04").await;
    assert!(empty.contains("id=\"calendar-none\""));

    // The sitemap lists the listed organisations only.
    let (_, sitemap) = public(&app, "/sitemap.xml").await;
    assert!(sitemap.contains(&format!("/de/organisations/{lid}")));
    assert!(!sitemap.contains(hidden["id"].as_str().unwrap()));

    // Unlisting the organisation takes it and its offers out of the
    // directory as soon as the change feed has it (public pages are cached
    // until then, about a second).
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/organisations/{lid}")))
        .json(&json!({"version": listed["version"], "is_public": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut gone = false;
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let (_, html) = public(&app, "/de/search?q=eltern").await;
        if titles(&html).is_empty() {
            gone = true;
            break;
        }
    }
    assert!(gone, "the unlisted organisation stayed in the directory");
    let (status, _) = public(
        &app,
        &format!("/de/offers/{}", cafe["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, 404);
    // Deleting an offer takes it out too.
    let _ = online;
}

async fn the_directory_speaks_six_languages_and_survives_odd_input(app: TestApp) {
    for (lang, dir, search) in [
        ("de", "ltr", "Suche"),
        ("en", "ltr", "Search"),
        ("tr", "ltr", "Ara"),
        ("ar", "rtl", "بحث"),
        ("ru", "ltr", "Поиск"),
        ("uk", "ltr", "Пошук"),
    ] {
        for path in ["/", "/search", "/events", "/about"] {
            let (status, html) = public(&app, &format!("/{lang}{path}")).await;
            assert_eq!(status, 200, "/{lang}{path}");
            assert!(
                html.contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">")),
                "/{lang}{path}"
            );
            assert!(html.contains(search), "/{lang}{path} lacks {search}");
        }
    }
    // The staff area stays German or English whatever the directory spoke.
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/login"))
        .header("cookie", "msohub_lang=ar")
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"de\" dir=\"ltr\">"), "{html}");
    let (status, _) = public(&app, "/xx/search").await;
    assert_eq!(status, 404);

    // Quotes, operators, markup, 5 KB: a page, never an error.
    let long = "Kultur ".repeat(800);
    for q in [
        "\"Kultur",
        "a AND OR NOT b",
        "title:x^3 ~2",
        "*",
        "<script>alert(1)</script>",
        "%00",
        long.as_str(),
    ] {
        let url = format!("/de/search?q={}", msohub_web_encode(q));
        let (status, html) = public(&app, &url).await;
        assert_eq!(status, 200, "{q:.40}");
        assert!(!html.contains("<script>alert(1)"));
        if q.len() > 1000 {
            assert!(html.contains("id=\"search-truncated\""));
        }
    }
    for odd in [
        "page=0",
        "page=-1",
        "page=999999",
        "page=x",
        "free=yes",
        "language=",
        "type=nonsense",
    ] {
        let (status, _) = public(&app, &format!("/de/search?{odd}")).await;
        assert_eq!(status, 200, "{odd}");
    }
    for month in ["x", "2031-13", "1800-01", "99999-01", ""] {
        let (status, _) = public(&app, &format!("/ar/events?month={month}")).await;
        assert_eq!(status, 200, "{month}");
    }
}

fn msohub_web_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

on_both_databases!(public_pages_come_from_a_cache_that_the_change_feed_empties);

/// Public pages are kept with their compressed bytes and served from the
/// cache until a change reaches the feed; then the next request renders
/// the new state.
async fn public_pages_come_from_a_cache_that_the_change_feed_empties(app: TestApp) {
    app.sign_in("staff").await;
    let org = app
        .created(
            "/api/v1/organisations",
            json!({"name": "Cafeteria Sonnenblume", "kind": "mso", "is_public": true}),
        )
        .await;
    // Let the follower apply the write, so the next render is the one kept.
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let anon = reqwest::Client::builder().gzip(false).build().unwrap();
    let fetch = |path: &'static str| {
        anon.get(app.url(path))
            .header("accept-encoding", "gzip")
            .send()
    };
    let first = fetch("/de/search?q=Sonnenblume").await.unwrap();
    assert_eq!(first.headers()["x-cache"], "miss");
    let second = fetch("/de/search?q=Sonnenblume").await.unwrap();
    assert_eq!(second.headers()["x-cache"], "hit");
    assert_eq!(second.headers()["content-encoding"], "gzip");
    let etag = second.headers()["etag"].clone();
    let gz = second.bytes().await.unwrap();
    let mut html = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut html).unwrap();
    assert!(html.contains("Cafeteria Sonnenblume"));
    // A conditional request gets 304 without a body; the plain bytes are
    // another representation with their own ETag.
    let r = anon
        .get(app.url("/de/search?q=Sonnenblume"))
        .header("accept-encoding", "gzip")
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    let plain = anon
        .get(app.url("/de/search?q=Sonnenblume"))
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 200);
    assert_ne!(plain.headers()["etag"], etag);
    assert!(plain.headers().get("content-encoding").is_none());
    // Signed-in requests bypass the cache.
    let r = app
        .client
        .get(app.url("/de/search?q=Sonnenblume"))
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("x-cache").is_none());

    // A change: within a second or two the public page shows it.
    let r = app
        .client
        .patch(app.url(&format!(
            "/api/v1/organisations/{}",
            org["id"].as_str().unwrap()
        )))
        .json(&json!({"version": org["version"], "name": "Cafeteria Mondblume"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut seen = false;
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let (_, html) = public(&app, "/de/search?q=Mondblume").await;
        let (_, old) = public(&app, "/de/search?q=Sonnenblume").await;
        if html.contains("Cafeteria Mondblume") && !old.contains("Cafeteria Sonnenblume") {
            seen = true;
            break;
        }
    }
    assert!(seen, "the change never reached the public page");
}
