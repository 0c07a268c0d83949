//! Backup and restore: the demo data with a logo, backed up while the app
//! runs, restored into a new database of the other kind (SQLite ↔
//! PostgreSQL) and back, with every table identical by checksum; damaged
//! archives and non-empty targets are refused and change nothing.

use crate::helpers::{Kind, TestApp, TestDb};
use crate::on_both_databases;
use msohub_service::{DatabaseUrl, Services};

on_both_databases!(a_backup_restores_identically_across_databases);

async fn open(db: &TestDb) -> Services {
    Services::open(&DatabaseUrl::parse(&db.url).unwrap(), true)
        .await
        .unwrap()
}

async fn a_backup_restores_identically_across_databases(db: TestDb) {
    // Data of every kind: the demo (organisations, people, contacts,
    // meetings, targets, a finalised report, offers, events, the audit
    // log) and a file (an organisation's logo).
    let app = TestApp::spawn_with(db, true).await;
    app.sign_in("admin").await;
    let orgs: serde_json::Value = app
        .client
        .get(app.url("/api/v1/organisations?limit=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = orgs["items"][0]["id"].as_str().unwrap();
    let version = orgs["items"][0]["version"].as_i64().unwrap();
    let png = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    )
    .unwrap();
    let r = app
        .client
        .put(app.url(&format!(
            "/api/v1/organisations/{id}/logo?version={version}"
        )))
        .header("content-type", "image/png")
        .body(png)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let before = app.services.table_checksums().await.unwrap();
    let rows: u64 = before.iter().map(|t| t.rows).sum();
    assert!(rows > 1000, "{rows} rows");
    assert!(
        before
            .iter()
            .any(|t| t.name == "stored_file" && t.rows == 1)
    );

    // Backup while the app runs (the running app's own connection pool).
    let mut archive = std::io::Cursor::new(Vec::new());
    let (manifest, _) = app.services.backup(&mut archive).await.unwrap();
    assert_eq!(manifest.tables, before);
    let archive = archive.into_inner();

    // Into the other kind of database (or a second SQLite file without a
    // PostgreSQL server), and back into the first kind.
    let other = match (app.db.kind, crate::helpers::postgres_url()) {
        (Kind::Sqlite, Some(_)) => Kind::Postgres,
        _ => Kind::Sqlite,
    };
    let there = <TestDb as crate::helpers::Fresh>::fresh(other).await;
    let services = open(&there).await;
    let restored = services
        .restore(std::io::Cursor::new(&archive))
        .await
        .unwrap();
    assert_eq!(restored.tables, before);
    assert_eq!(services.table_checksums().await.unwrap(), before);
    let mut again = std::io::Cursor::new(Vec::new());
    services.backup(&mut again).await.unwrap();
    let back = <TestDb as crate::helpers::Fresh>::fresh(app.db.kind).await;
    let services_back = open(&back).await;
    services_back
        .restore(std::io::Cursor::new(again.into_inner()))
        .await
        .unwrap();
    assert_eq!(services_back.table_checksums().await.unwrap(), before);

    // The restored database works: sign-in data, records, the logo.
    let org = services_back
        .get_organisation(&msohub_service::Actor::cli(), id.parse().unwrap())
        .await
        .unwrap();
    assert!(org.logo_id.is_some());

    // A target that holds data is refused; nothing changes there.
    let err = services_back
        .restore(std::io::Cursor::new(&archive))
        .await
        .unwrap_err();
    assert!(format!("{err:?}").contains("not empty"), "{err:?}");
    assert_eq!(services_back.table_checksums().await.unwrap(), before);

    // Damaged archives are refused before anything is written.
    let empty = <TestDb as crate::helpers::Fresh>::fresh(Kind::Sqlite).await;
    let fresh = open(&empty).await;
    let untouched = fresh.table_checksums().await.unwrap();
    let err = fresh
        .restore(std::io::Cursor::new(b"not a zip".to_vec()))
        .await
        .unwrap_err();
    assert!(
        format!("{err:?}").contains("not a backup archive"),
        "{err:?}"
    );
    // One byte of one table changed: its checksum no longer matches.
    let mut zip = zip_entries(&archive);
    let (_, organisation) = zip
        .iter_mut()
        .find(|(name, _)| name == "tables/organisation.jsonl")
        .unwrap();
    let at = organisation.iter().position(|b| *b == b'a').unwrap();
    organisation[at] = b'b';
    let err = fresh
        .restore(std::io::Cursor::new(rezip(&zip)))
        .await
        .unwrap_err();
    assert!(
        format!("{err:?}").contains("does not match its checksum"),
        "{err:?}"
    );
    assert_eq!(fresh.table_checksums().await.unwrap(), untouched);
    for s in [services, services_back, fresh] {
        s.close().await;
    }
}

fn zip_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}
