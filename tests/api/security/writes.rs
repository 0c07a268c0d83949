//! Every write route of the application, taken from its route table (so a
//! new route is covered the day it is added), is refused to an anonymous
//! visitor, a representative and an auditor, and changes nothing. The only
//! writes they may make are listed here with the reason.

use crate::helpers::{TestApp, new_client};
use crate::on_both_databases;
use sea_orm::{ConnectionTrait, Statement};

on_both_databases!(no_write_route_is_open_to_those_who_may_not_write);

/// Writes anyone signed in may make on their own account, and the sign-in
/// itself. (The representative here has an account but no person and no
/// organisation: the portal's writes are refused to them too.)
fn own_or_sign_in(path: &str) -> bool {
    path == "/login"
        || path == "/login/totp"
        || path == "/logout"
        || path.starts_with("/app/account")
        || path == "/api/v1/account/password"
        || path == "/api/v1/tokens"
        || path == "/api/v1/tokens/{id}"
        // The portal's sign-in, "send me a link" (the same answer for every
        // address, nothing written for an unknown one) and accepting an
        // invitation (by its secret token only).
        || path == "/portal/{lang}/login"
        || path == "/portal/{lang}/link"
        || path == "/portal/{lang}/invitation/{token}"
}

async fn audit_rows(app: &TestApp) -> i64 {
    let db = app.database().await;
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT COUNT(*) AS n FROM audit_log",
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get::<i64>("", "n")
    .unwrap()
}

async fn no_write_route_is_open_to_those_who_may_not_write(app: TestApp) {
    // A record of each kind to aim at (ids in the paths are real).
    app.sign_in("admin").await;
    let org: serde_json::Value = app
        .client
        .post(app.url("/api/v1/organisations"))
        .json(&serde_json::json!({"name": "Ziel", "kind": "mso"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = org["id"].as_str().unwrap().to_owned();
    let clients = [
        ("anonymous", new_client()),
        ("representative", app.signed_in("representative").await.0),
        ("auditor", app.signed_in("auditor").await.0),
    ];
    let before = audit_rows(&app).await;
    let mut open = Vec::new();
    for route in msohub_web::route_list() {
        if route.method == "GET" || own_or_sign_in(route.path) {
            continue;
        }
        let path = route
            .path
            .replace("{id}", &id)
            .replace("{lang}", "de")
            .replace("{entity}", "organisations")
            .replace("{vocabulary}", "topic")
            .replace("{code}", "culture")
            .replace("{name}", "Profil")
            .replace("{number}", "1")
            .replace("{secret}", &"ab".repeat(24))
            .replace("{organisation}", &id);
        for (role, client) in &clients {
            let request = client.request(route.method.parse().unwrap(), app.url(&path));
            let request = if path.starts_with("/api/") {
                request.json(&serde_json::json!({"name": "x", "version": 1}))
            } else {
                request.form(&[("name", "x"), ("version", "1")])
            };
            let r = request.send().await.unwrap();
            let status = r.status().as_u16();
            let to_login = r
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .is_some_and(|l| l.starts_with("/login"));
            let refused = matches!(status, 401 | 403 | 404) || (status == 303 && to_login);
            if !refused {
                open.push(format!("{role} {} {path}: {status}", route.method));
            }
        }
    }
    assert!(
        open.is_empty(),
        "write routes open to those who may not write:\n{}",
        open.join("\n")
    );
    assert_eq!(
        audit_rows(&app).await,
        before,
        "a refused write changed something"
    );
}
