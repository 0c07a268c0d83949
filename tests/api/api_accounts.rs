//! The JSON API of accounts and the audit log, and API tokens from the UI
//! and the command line.

use crate::helpers::{PASSWORD, Page, TestApp, new_client};
use crate::on_both_databases;

on_both_databases!(
    tokens_act_with_their_owners_rights_until_revoked,
    api_errors_are_problem_json_with_fields,
    the_change_feed_returns_entries_after_a_position,
    cli_creates_users_and_tokens,
);

async fn tokens_act_with_their_owners_rights_until_revoked(app: TestApp) {
    let email = app.sign_in("staff").await;
    let created = Page::from_response(
        app.post_form("/app/account/tokens", &[("name", "Auswertung")])
            .await,
    )
    .await;
    assert_eq!(created.status, 200);
    let token = created.text("#token-secret");
    assert!(token.starts_with("msohub_"));
    let api = new_client();
    let me: serde_json::Value = api
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], email);
    assert_eq!(me["role"], "staff");
    // Staff rights only: no user administration.
    let r = api
        .get(app.url("/api/v1/users"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // The account page lists it (without the secret) and revokes it.
    let account = app.get_page("/app/account").await;
    assert_eq!(account.text("table#tokens tbody td"), "Auswertung");
    assert!(!account.html.html().contains(&token));
    let list: serde_json::Value = api
        .get(app.url("/api/v1/tokens"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let r = app
        .post_form(&format!("/app/account/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(r.headers()["location"], "/app/account?done=token-revoked");
    let r = api
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("revoked"));
    // A made-up token is refused the same way.
    let r = api
        .get(app.url("/api/v1/me"))
        .bearer_auth("msohub_made-up")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

async fn api_errors_are_problem_json_with_fields(app: TestApp) {
    let r = app.get("/api/v1/me").await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    assert_eq!(r.headers()["www-authenticate"], "Bearer");

    let (admin, _) = app.signed_in("admin").await;
    let r = admin
        .post(app.url("/api/v1/users"))
        .json(&serde_json::json!({ "email": "kaputt", "display_name": "", "role": "staff" }))
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
    assert_eq!(fields, ["email", "display_name"]);
    let r = admin
        .post(app.url("/api/v1/users"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["content-type"], "application/problem+json");

    let r = admin
        .post(app.url("/api/v1/users"))
        .json(&serde_json::json!({ "email": "api@ki-test.example", "display_name": "Per API", "role": "staff" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let user: serde_json::Value = r.json().await.unwrap();
    assert_eq!(user["one_time_password"].as_str().unwrap().len(), 16);
    let id = user["id"].as_str().unwrap();
    let patch = |version: i64, name: &str| {
        admin
            .patch(app.url(&format!("/api/v1/users/{id}")))
            .json(&serde_json::json!({ "version": version, "display_name": name }))
            .send()
    };
    let r = patch(1, "Geändert").await.unwrap();
    assert_eq!(r.status(), 200);
    let r = patch(1, "Veraltet").await.unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let now: serde_json::Value = admin
        .get(app.url(&format!("/api/v1/users/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(now["display_name"], "Geändert");
    assert_eq!(now["version"], 2);
    assert!(now.get("password_hash").is_none());
}

async fn the_change_feed_returns_entries_after_a_position(app: TestApp) {
    let (auditor, _) = app.signed_in("auditor").await;
    let feed = |after: i64| {
        let auditor = auditor.clone();
        let url = app.url(&format!("/api/v1/audit-log?after={after}&limit=2"));
        async move {
            auditor
                .get(url)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let first = feed(0).await;
    let items = first["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let positions: Vec<i64> = items
        .iter()
        .map(|i| i["position"].as_i64().unwrap())
        .collect();
    assert!(positions[0] < positions[1], "oldest first");
    let next = first["next_after"].as_i64().unwrap();
    assert_eq!(next, positions[1]);
    // Everything after the last one: nothing missed, nothing twice.
    let mut seen = positions.clone();
    let mut after = next;
    loop {
        let page = feed(after).await;
        let items = page["items"].as_array().unwrap().clone();
        if items.is_empty() {
            break;
        }
        for i in &items {
            seen.push(i["position"].as_i64().unwrap());
        }
        after = page["next_after"].as_i64().unwrap();
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(seen, sorted);
    // A user created now shows up after the last position, with before/after.
    app.create_user("staff").await;
    let page = feed(after).await;
    let entry = &page["items"][0];
    assert_eq!(entry["action"], "create");
    assert_eq!(entry["entity_type"], "user");
    assert_eq!(entry["after"]["role"], "staff");
    assert!(entry["after"].get("password_hash").is_none());
    // Staff may not read the log.
    let (staff, _) = app.signed_in("staff").await;
    assert_eq!(
        staff
            .get(app.url("/api/v1/audit-log?after=0"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

async fn cli_creates_users_and_tokens(app: TestApp) {
    let url = app.db.url.clone();
    let (token, id_line) = tokio::task::spawn_blocking(move || {
        let run = |args: &[&str]| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_msohub"))
                .args(args)
                .env("MSOHUB_DATABASE_URL", &url)
                .env("MSOHUB_LOG", "warn")
                .output()
                .unwrap();
            (
                out.status.success(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        };
        let (ok, out, err) = run(&[
            "user",
            "add",
            "cli@ki-test.example",
            "--role",
            "auditor",
            "--password",
            PASSWORD,
        ]);
        assert!(ok, "{err}");
        assert!(
            out.contains("created cli@ki-test.example (auditor)"),
            "{out}"
        );
        let (ok, _, err) = run(&["user", "add", "cli@ki-test.example", "--role", "staff"]);
        assert!(!ok);
        assert!(err.contains("email (taken)"), "{err}");
        let (ok, _, err) = run(&["user", "add", "x@ki-test.example", "--role", "king"]);
        assert!(!ok && err.contains("role (role-unknown)"), "{err}");
        let (ok, out, _) = run(&["user", "add", "otp@ki-test.example", "--role", "staff"]);
        assert!(ok && out.contains("one-time password"), "{out}");
        let (ok, out, err) = run(&["token", "create", "cli@ki-test.example", "--name", "Skript"]);
        assert!(ok, "{err}");
        // A second token, revoked by its secret.
        let (_, out2, _) = run(&["token", "create", "cli@ki-test.example", "--name", "Zweit"]);
        let second = out2.lines().last().unwrap().trim().to_owned();
        let (ok, out3, err) = run(&["token", "revoke", &second]);
        assert!(ok && out3.contains("revoked"), "{err}");
        let (ok, _, err) = run(&["token", "revoke", "msohub_unknown"]);
        assert!(!ok && err.contains("no such record"), "{err}");
        let token = out.lines().last().unwrap().trim().to_owned();
        let id_line = out.lines().next().unwrap().to_owned();
        (token, id_line)
    })
    .await
    .unwrap();
    let api = new_client();
    let me: serde_json::Value = api
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "cli@ki-test.example");
    assert_eq!(me["role"], "auditor");
    let id = id_line
        .split("(id ")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap()
        .to_owned();
    let url = app.db.url.clone();
    tokio::task::spawn_blocking(move || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_msohub"))
            .args(["token", "revoke", &id])
            .env("MSOHUB_DATABASE_URL", &url)
            .env("MSOHUB_LOG", "warn")
            .output()
            .unwrap();
        assert!(out.status.success());
    })
    .await
    .unwrap();
    assert_eq!(
        api.get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}
