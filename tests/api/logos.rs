//! Organisation logos: uploaded through the profile page and the API, the
//! type decided by the bytes, the size bounded, a stale or bad upload
//! changing nothing.

use crate::helpers::TestApp;
use crate::on_both_databases;
use reqwest::multipart::{Form, Part};

on_both_databases!(
    a_logo_is_uploaded_shown_and_removed_on_the_profile_page,
    bad_or_stale_uploads_change_nothing,
    logos_through_the_api,
    our_office_s_logo_heads_the_report_s_files,
);

/// The logo of the office's own organisation heads the report's PDF and
/// DOCX (the letterhead), and only once one is set.
async fn our_office_s_logo_heads_the_report_s_files(app: TestApp) {
    app.sign_in("admin").await;
    let (id, _) = organisation(&app).await;
    let period = app
        .created(
            "/api/v1/periods",
            serde_json::json!({"kind": "school_year", "year": "2020"}),
        )
        .await;
    let pid = period["id"].as_str().unwrap().to_owned();
    let app = &app;
    let file = |format: &'static str| {
        let url = format!("/api/v1/periods/{pid}/report?format={format}");
        async move { app.get(&url).await.bytes().await.unwrap().to_vec() }
    };
    let images_in = |pdf: &[u8]| msohub_typeset::pdf_images(pdf).unwrap();
    let header_of = |docx: &[u8]| {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("word/header1.xml").unwrap(), &mut out)
            .unwrap();
        out
    };
    let before = file("pdf").await;
    assert!(before.starts_with(b"%PDF-"));
    assert_eq!(images_in(&before), 0, "no logo yet");
    assert!(!header_of(&file("docx").await).contains("<pic:pic"));

    let r = app
        .client
        .put(app.url(&format!(
            "/api/v1/organisations/{id}/logo?version=1&name=logo.png"
        )))
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut settings = app.get_json("/api/v1/settings").await;
    settings["office_organisation_id"] = serde_json::json!(id);
    app.replaced("/api/v1/settings", settings).await;

    let pdf = file("pdf").await;
    assert!(images_in(&pdf) >= 1, "the logo in the PDF");
    let docx = file("docx").await;
    let header = header_of(&docx);
    assert!(
        header.contains("<pic:pic"),
        "the logo in the DOCX header: {header}"
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&docx[..])).unwrap();
    let media: Vec<String> = (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().into_owned())
        .filter(|n| n.starts_with("word/media/"))
        .collect();
    let mut png = Vec::new();
    let logo = media
        .iter()
        .find(|n| !n.contains("chart"))
        .unwrap_or_else(|| panic!("a logo among {media:?}"))
        .clone();
    std::io::Read::read_to_end(&mut archive.by_name(&logo).unwrap(), &mut png).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
}

/// A real 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

async fn organisation(app: &TestApp) -> (String, i32) {
    let r = app
        .post_form(
            "/app/organisations",
            &[
                ("name", "Afrikanischer Kulturkreis"),
                ("kind", "mso"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let id = r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/app/organisations/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    (id, 1)
}

async fn upload(
    app: &TestApp,
    id: &str,
    version: i32,
    name: &str,
    bytes: Vec<u8>,
    mime: &str,
) -> String {
    let form = Form::new().text("version", version.to_string()).part(
        "logo",
        Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(mime)
            .unwrap(),
    );
    let r = app
        .client
        .post(app.url(&format!("/app/organisations/{id}/logo")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "upload answered with a redirect");
    r.headers()["location"].to_str().unwrap().to_owned()
}

async fn api_org(app: &TestApp, id: &str) -> serde_json::Value {
    app.get(&format!("/api/v1/organisations/{id}"))
        .await
        .json()
        .await
        .unwrap()
}

async fn a_logo_is_uploaded_shown_and_removed_on_the_profile_page(app: TestApp) {
    app.sign_in("staff").await;
    let (id, version) = organisation(&app).await;
    let page = app.get_page(&format!("/app/organisations/{id}")).await;
    assert_eq!(page.count("#no-logo"), 1);
    assert_eq!(
        page.attr("form#logo-form", "enctype"),
        "multipart/form-data"
    );

    let back = upload(
        &app,
        &id,
        version,
        "kulturkreis.png",
        PNG.to_vec(),
        "image/png",
    )
    .await;
    assert!(back.contains("done=logo-saved"), "{back}");
    let page = app.get_page(&back).await;
    assert!(
        page.text("[role=status]")
            .contains("Das Logo wurde gespeichert.")
    );
    let src = page.attr("img.org-logo", "src");
    assert_eq!(
        page.attr("img.org-logo", "alt"),
        "Logo: Afrikanischer Kulturkreis"
    );
    let image = app.get(&src).await;
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/png");
    assert!(
        image.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(image.headers()["x-content-type-options"], "nosniff");
    assert_eq!(image.bytes().await.unwrap().as_ref(), PNG);
    // The history says the logo changed.
    assert!(page.text("#history").contains("logo"));

    let org = api_org(&app, &id).await;
    assert_eq!(org["version"], 2);
    let r = app
        .post_form(
            &format!("/app/organisations/{id}/logo/delete"),
            &[("version", "2")],
        )
        .await;
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("done=logo-removed")
    );
    let page = app.get_page(&format!("/app/organisations/{id}")).await;
    assert_eq!(page.count("img.org-logo"), 0);
    assert_eq!(app.get(&src).await.status(), 404);
}

async fn bad_or_stale_uploads_change_nothing(app: TestApp) {
    app.sign_in("staff").await;
    let (id, version) = organisation(&app).await;
    // A PDF that calls itself a PNG; an SVG (scripts); an empty file; too big.
    let mut big = PNG.to_vec();
    big.resize(1024 * 1024 + 1, 0);
    for (name, bytes, mime, rule, message) in [
        (
            "logo.png",
            b"%PDF-1.7 ...".to_vec(),
            "image/png",
            "file-type",
            "kein Bild",
        ),
        (
            "logo.svg",
            b"<svg onload=\"alert(1)\"/>".to_vec(),
            "image/svg+xml",
            "file-type",
            "kein Bild",
        ),
        ("leer.png", Vec::new(), "image/png", "file-empty", "leer"),
        ("gross.png", big, "image/png", "file-too-large", "zu groß"),
    ] {
        let back = upload(&app, &id, version, name, bytes, mime).await;
        assert!(
            back.contains(&format!("logo_error={rule}")),
            "{name}: {back}"
        );
        let page = app.get_page(&back).await;
        assert!(page.text("#field-logo-error").contains(message), "{name}");
        assert_eq!(page.attr("#field-logo", "aria-invalid"), "true");
        let org = api_org(&app, &id).await;
        assert_eq!(org["version"], 1, "{name} changed nothing");
        assert!(org["logo_id"].is_null(), "{name} stored no logo");
    }
    // Far beyond the request limit: refused the same way, not a crash.
    let huge = vec![0u8; 3 * 1024 * 1024];
    let back = upload(&app, &id, version, "riesig.png", huge, "image/png").await;
    assert!(back.contains("logo_error=file-too-large"), "{back}");
    // A stale form: someone changed the record meanwhile.
    let r = app
        .post_form(
            &format!("/app/organisations/{id}/checked"),
            &[("version", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let back = upload(&app, &id, 1, "logo.png", PNG.to_vec(), "image/png").await;
    assert!(back.contains("done=stale"), "{back}");
    let org = api_org(&app, &id).await;
    assert!(org["logo_id"].is_null());
    assert_eq!(org["version"], 2);
}

async fn logos_through_the_api(app: TestApp) {
    app.sign_in("staff").await;
    let (id, _) = organisation(&app).await;
    let url = app.url(&format!("/api/v1/organisations/{id}/logo"));
    let r = app
        .client
        .put(&url)
        .body(b"<svg/>".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let problem: serde_json::Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["rule"], "file-type");
    let r = app
        .client
        .put(format!("{url}?version=1&name=k.png"))
        .header("content-type", "image/png")
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let org: serde_json::Value = r.json().await.unwrap();
    let logo_id = org["logo_id"].as_str().unwrap().to_owned();
    assert_eq!(org["version"], 2);
    // A stale version is refused and changes nothing.
    let r = app
        .client
        .put(format!("{url}?version=1"))
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(api_org(&app, &id).await["logo_id"], logo_id.as_str());

    // Auditors may look but not change.
    let (auditor, _) = app.signed_in("auditor").await;
    let r = auditor
        .get(format!("{url}?v={logo_id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), PNG);
    let r = auditor.put(&url).body(PNG.to_vec()).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = auditor
        .delete(format!("{url}?version=2"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let r = app
        .client
        .delete(format!("{url}?version=2"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(api_org(&app, &id).await["logo_id"].is_null());
    assert_eq!(app.client.get(&url).send().await.unwrap().status(), 404);
}
