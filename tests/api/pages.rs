//! The base UI: language in the URL, navigation, error pages, security
//! headers, compression and embedded assets.

use crate::helpers::{Fresh, Kind, Page, TestApp, TestDb};
use crate::on_both_databases;

on_both_databases!(
    root_redirects_to_the_browsers_language,
    public_pages_speak_german_and_english,
    navigation_leads_to_real_pages,
    error_pages_speak_the_users_language,
    api_errors_are_problem_json,
    every_response_carries_security_headers,
    pages_have_no_inline_scripts_or_styles,
    html_is_compressed_when_asked,
    assets_are_embedded_cached_and_revalidated,
    language_switch_outside_lang_urls_is_remembered,
    demo_data_names_the_office,
);

async fn root_redirects_to_the_browsers_language(app: TestApp) {
    let response = app.get("/").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/de/");
    let response = app
        .client
        .get(app.url("/"))
        .header("accept-language", "en-GB,en;q=0.9,de;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/en/");
    let response = app.get("/en").await;
    assert_eq!(response.status(), 308);
    assert_eq!(response.headers()["location"], "/en/");
}

async fn public_pages_speak_german_and_english(app: TestApp) {
    let de = app.get_page("/de/").await;
    assert_eq!(de.status, 200);
    assert_eq!(de.attr("html", "lang"), "de");
    assert_eq!(de.attr("html", "dir"), "ltr");
    assert_eq!(de.headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(de.text("h1"), "Angebote und Organisationen in Ihrer Stadt");
    assert_eq!(de.attr("a.skip-link", "href"), "#main");
    assert_eq!(de.count("main#main"), 1);
    assert_eq!(de.attr("nav#lang-switch a[hreflang=en]", "href"), "/en/");
    assert_eq!(de.attr("nav#lang-switch a[aria-current]", "hreflang"), "de");

    let en = app.get_page("/en/").await;
    assert_eq!(en.status, 200);
    assert_eq!(en.attr("html", "lang"), "en");
    assert_eq!(en.text("h1"), "Offers and organisations in your city");
    assert_eq!(en.attr("nav#lang-switch a[hreflang=de]", "href"), "/de/");
    assert_eq!(en.text("nav#main-nav a[aria-current=page]"), "Home");

    // The switcher keeps the visitor on the same page.
    let about = app.get_page("/en/about").await;
    assert_eq!(
        about.attr("nav#lang-switch a[hreflang=de]", "href"),
        "/de/about"
    );
    assert_eq!(about.text("h1"), "About msohub");
}

async fn navigation_leads_to_real_pages(app: TestApp) {
    for lang in ["de", "en"] {
        let home = app.get_page(&format!("/{lang}/")).await;
        let links = home.attrs("nav#main-nav a", "href");
        assert!(links.len() >= 4, "{links:?}");
        for href in links {
            let mut response = app.get(&href).await;
            for _ in 0..3 {
                if response.status() != 303 {
                    break;
                }
                let location = response.headers()["location"].to_str().unwrap().to_owned();
                response = app.get(&location).await;
            }
            let page = Page::from_response(response).await;
            assert_eq!(page.status, 200, "{href}");
            assert_eq!(page.count("h1"), 1, "{href} has one h1");
            assert_eq!(page.attr("html", "lang"), lang, "{href}");
        }
    }
}

async fn error_pages_speak_the_users_language(app: TestApp) {
    let de = app.get_page("/de/gibt-es-nicht").await;
    assert_eq!(de.status, 404);
    assert_eq!(de.attr("html", "lang"), "de");
    assert_eq!(de.text("h1"), "Seite nicht gefunden");
    assert!(de.text("main p").contains("/de/gibt-es-nicht"));

    let en = app.get_page("/en/missing").await;
    assert_eq!(en.status, 404);
    assert_eq!(en.text("h1"), "Page not found");

    // An unknown language code is not a page either.
    assert_eq!(app.get_page("/xx/").await.status, 404);

    // Outside the /{lang}/ tree the browser's language decides.
    let response = app
        .client
        .get(app.url("/nothing/here"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    let page = Page::from_response(response).await;
    assert_eq!(page.status, 404);
    assert_eq!(page.attr("html", "lang"), "en");
    assert_eq!(
        page.attr("nav#lang-switch a[hreflang=de]", "href"),
        "/lang/de?next=/nothing/here"
    );
}

async fn api_errors_are_problem_json(app: TestApp) {
    let response = app.get("/api/v1/no-such-thing").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], 404);
    assert_eq!(body["title"], "Not Found");
}

async fn every_response_carries_security_headers(app: TestApp) {
    for path in ["/de/", "/de/missing", "/healthz", "/static/msohub.css"] {
        let response = app.get(path).await;
        let h = response.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
    }
}

async fn pages_have_no_inline_scripts_or_styles(app: TestApp) {
    for path in [
        "/de/",
        "/en/about",
        "/de/accessibility",
        "/app/",
        "/de/missing",
    ] {
        let page = app.get_page(path).await;
        assert_eq!(page.count("script:not([src])"), 0, "{path}");
        assert_eq!(page.count("style"), 0, "{path}");
        assert_eq!(page.count("[style]"), 0, "{path}");
        assert_eq!(page.count("[onclick], [onload], [onsubmit]"), 0, "{path}");
    }
}

async fn html_is_compressed_when_asked(app: TestApp) {
    let plain = app.get("/de/").await;
    assert!(plain.headers().get("content-encoding").is_none());
    let plain_body = plain.text().await.unwrap();
    let plain_len = plain_body.len();
    let gz = app
        .client
        .get(app.url("/de/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let gz_len = gz.bytes().await.unwrap().len();
    // The fastest level on a 3 KB page saves about half; less than three
    // quarters of the size is what any working gzip gives.
    assert!(
        gz_len * 4 < plain_len * 3,
        "gzip {gz_len} vs plain {plain_len}"
    );
    // And it decompresses to the same page (reqwest's gzip support).
    let decoding = reqwest::Client::builder().gzip(true).build().unwrap();
    let decoded = decoding.get(app.url("/de/")).send().await.unwrap();
    assert_eq!(decoded.text().await.unwrap(), plain_body);
}

async fn assets_are_embedded_cached_and_revalidated(app: TestApp) {
    let page = app.get_page("/de/").await;
    let stylesheets = page.attrs("link[rel=stylesheet]", "href");
    assert_eq!(stylesheets.len(), 3);
    for href in &stylesheets {
        assert!(
            href.starts_with("/static/") && href.contains("?v="),
            "{href}"
        );
        let response = app.get(href).await;
        assert_eq!(response.status(), 200, "{href}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/css")
        );
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
    }
    // Precompressed once, served with the right header.
    let gz = app
        .client
        .get(app.url(&stylesheets[1]))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    // Revalidation by ETag.
    let first = app.get("/static/msohub.css").await;
    assert_eq!(first.headers()["cache-control"], "public, max-age=300");
    let etag = first.headers()["etag"].clone();
    let again = app
        .client
        .get(app.url("/static/msohub.css"))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    // Fonts referenced by the KERN stylesheet are there too.
    let font = app
        .get("/static/vendor/kern/fonts/fira-sans/FiraSans-Regular.woff2")
        .await;
    assert_eq!(font.status(), 200);
    assert_eq!(font.headers()["content-type"], "font/woff2");
    assert_eq!(app.get("/static/nope.css").await.status(), 404);
    assert_eq!(app.get("/static/../Cargo.toml").await.status(), 404);
}

async fn language_switch_outside_lang_urls_is_remembered(app: TestApp) {
    let response = app.get("/lang/en?next=/login").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("msohub_lang=en;"), "{cookie}");
    let login = app.get_page("/login").await;
    assert_eq!(login.attr("html", "lang"), "en");
    assert_eq!(login.text("h1"), "Sign in");
    // The cookie also decides where "/" leads.
    assert_eq!(app.get("/").await.headers()["location"], "/en/");
    // Never an open redirect.
    for evil in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let response = app
            .get(&format!("/lang/de?next={}", evil.replace('/', "%2F")))
            .await;
        assert_eq!(response.headers()["location"], "/de/", "{evil}");
    }
    // Browsers drop a tab inside a URL: "/<TAB>/evil" would become "//evil".
    let r = app.get("/lang/de?next=%2F%09%2Fevil.example").await;
    assert_eq!(r.headers()["location"], "/de/");
    assert_eq!(app.get("/lang/xx").await.status(), 404);
}

async fn demo_data_names_the_office(app: TestApp) {
    // The plain app shows the generic name until an admin enters one …
    let page = app.get_page("/de/").await;
    assert_eq!(
        page.text(".site-brand__office"),
        "Kommunales Integrationszentrum"
    );
    drop(page);
    // … a demo app shows the demo office.
    let kind = app.db.kind;
    let demo = TestApp::spawn_with(TestDb::fresh(kind).await, true).await;
    let page = demo.get_page("/de/").await;
    assert_eq!(
        page.text(".site-brand__office"),
        "Kommunales Integrationszentrum Lindenau"
    );
    assert!(matches!(kind, Kind::Sqlite | Kind::Postgres));
}
