//! Parsing limits before work: a kilobyte of ODS cannot make the server
//! build a million rows, and nobody without the right may make it read
//! megabytes of upload.

use crate::helpers::TestApp;
use crate::on_both_databases;
use serde_json::Value;
use std::io::Write;

on_both_databases!(bombs_are_refused_before_they_cost_and_uploads_by_role);

/// An ODS file whose one table repeats a filled row a million times.
fn ods_bomb() -> Vec<u8> {
    let row = |n: u64| {
        format!(
            r#"<table:table-row table:number-rows-repeated="{n}"><table:table-cell table:number-columns-repeated="3" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#
        )
    };
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="A">{}{}</table:table></office:spreadsheet></office:body></office:document-content>"#,
        row(1),
        row(1_000_000)
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

async fn bombs_are_refused_before_they_cost_and_uploads_by_role(app: TestApp) {
    app.sign_in("staff").await;
    let bomb = ods_bomb();
    assert!(bomb.len() < 2048);
    let started = std::time::Instant::now();
    let r = app
        .client
        .post(app.url("/api/v1/import/organisations?file_name=vereine.ods&dry_run=1"))
        .body(bomb)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    let v: Value = r.json().await.unwrap_or(Value::Null);
    assert!(v.to_string().contains("200000"), "{v}");
    // Nothing was built: far below the seconds a million rows would take.
    assert!(started.elapsed() < std::time::Duration::from_secs(5));

    // Those who may not import are refused before their body is read: the
    // answer comes although only a kilobyte of the announced 60 MiB is sent.
    for role in ["representative", "auditor", "anonymous"] {
        let auth = if role == "anonymous" {
            String::new()
        } else {
            let email = app.create_user(role).await;
            let cli = msohub_service::Actor::cli();
            let user = app.services.find_user_by_email(&cli, &email).await.unwrap();
            let token = app.services.create_token(&cli, user.id, "t").await.unwrap();
            format!("Authorization: Bearer {}\r\n", token.secret)
        };
        let head = format!(
            "POST /api/v1/import/organisations HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
            60u64 << 20
        );
        let address = app.address.trim_start_matches("http://").to_owned();
        let answer = tokio::time::timeout(std::time::Duration::from_secs(10), async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
            socket.write_all(head.as_bytes()).await.unwrap();
            socket.write_all(&[b'x'; 1024]).await.unwrap();
            let mut buf = vec![0u8; 64];
            let n = socket.read(&mut buf).await.unwrap();
            String::from_utf8_lossy(&buf[..n]).into_owned()
        })
        .await
        .unwrap_or_else(|_| panic!("{role}: the server waited for the body"));
        let expected = if role == "anonymous" { "401" } else { "403" };
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {expected}")),
            "{role}: {answer}"
        );
    }
}
