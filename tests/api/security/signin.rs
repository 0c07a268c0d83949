//! Signing in: no answer tells which addresses have accounts; nobody can
//! lock another person out; the second factor cannot be guessed by
//! signing in again, nor a code replayed; an account that must change its
//! password can do nothing else, through the API either.

use crate::helpers::{PASSWORD, Page, TestApp, TestDb, new_client};
use crate::on_both_databases;
use serde_json::{Value, json};

on_both_databases!(
    unknown_and_known_addresses_look_the_same_and_nobody_is_locked_out,
    the_second_factor_is_throttled_on_its_own_and_each_code_works_once,
    a_forced_password_change_holds_for_the_api_too,
);

/// Signs in from a client address (the app trusts X-Forwarded-For here).
async fn attempt(app: &TestApp, from: &str, email: &str, password: &str) -> (u16, String) {
    let r = new_client()
        .post(app.url("/login"))
        .header("x-forwarded-for", from)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let page = Page::from_response(r).await;
    // The message without its figures (seconds to wait differ by timing).
    let message: String = page
        .texts("#error-summary")
        .concat()
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .collect();
    (status, message)
}

async fn unknown_and_known_addresses_look_the_same_and_nobody_is_locked_out(db: TestDb) {
    let app = TestApp::spawn_configured(db, |s| s.trust_proxy = true).await;
    let known = app.create_user("staff").await;
    let unknown = "niemand@ki-test.example";
    // Nine wrong passwords each (from ever new addresses, as a botnet would
    // send them): the same answers for an address with an account and one
    // without. The ninth holds both back for 16 seconds.
    for i in 0..9 {
        let a = attempt(&app, &format!("10.1.0.{i}"), &known, "falsch").await;
        let b = attempt(&app, &format!("10.2.0.{i}"), unknown, "falsch").await;
        assert_eq!(a, b, "attempt {i}: the answers differ");
        assert_eq!(a.0, 401);
    }
    // A guesser's address is held back, even with the right password, and
    // the same for the address without an account …
    let a = attempt(&app, "10.1.0.0", &known, PASSWORD).await;
    let b = attempt(&app, "10.2.0.0", unknown, PASSWORD).await;
    assert_eq!(a.0, 429, "{}", a.1);
    assert_eq!(a, b, "held back alike");
    // Signing in to one's own account in between does not clear the
    // guesser's record with the other address.
    let own = app.create_user("representative").await;
    assert_eq!(attempt(&app, "10.1.0.0", &own, PASSWORD).await.0, 303);
    assert_eq!(attempt(&app, "10.1.0.0", &known, PASSWORD).await.0, 429);
    // All of an IPv6 /64 is one client.
    let v6 = attempt(&app, "2001:db8:1:2::7", &known, "falsch").await;
    let v6_other = attempt(&app, "2001:db8:1:2::99", &known, PASSWORD).await;
    assert_eq!(v6.0, 401);
    assert_eq!(v6_other.0, 429, "another address of the same /64");
    // … but the account's owner, from an address that made no mistakes,
    // signs in: wrong guesses cannot lock a person out.
    let (status, message) = attempt(&app, "10.9.9.9", &known, PASSWORD).await;
    assert_eq!(status, 303, "{message}");

    // Changing one's password is throttled like signing in.
    let client = new_client();
    let r = app.login_with(&client, &known, PASSWORD).await;
    assert_eq!(r.status(), 303);
    let change = |current: &'static str| {
        let client = client.clone();
        let url = app.url("/app/account/password");
        async move {
            let r = client
                .post(url)
                .form(&[
                    ("current_password", current),
                    ("new_password", "ein ganz neues Passwort"),
                    ("new_password_repeat", "ein ganz neues Passwort"),
                ])
                .send()
                .await
                .unwrap();
            Page::from_response(r).await
        }
    };
    for _ in 0..5 {
        assert_eq!(change("falsch").await.status, 422);
    }
    for wait in [1100, 2100] {
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
        assert_eq!(change("falsch").await.status, 422);
    }
    let held = change(PASSWORD).await;
    assert!(
        held.text("#error-summary")
            .contains("Zu viele Fehlversuche"),
        "{}",
        held.text("#error-summary")
    );
    // The password did not change.
    assert_eq!(
        app.login_with(&new_client(), &known, PASSWORD)
            .await
            .status(),
        303
    );
}

fn code(secret: &str, steps: i64) -> String {
    crate::accounts::code_in_steps(secret, steps)
}

/// A staff account with a second factor; returns (e-mail, secret).
async fn enrolled(app: &TestApp) -> (String, String) {
    let (client, email) = app.signed_in("staff").await;
    let r = client
        .get(app.url("/app/account/totp"))
        .send()
        .await
        .unwrap();
    let secret = Page::from_response(r).await.text("#totp-secret");
    let r = client
        .post(app.url("/app/account/totp"))
        .form(&[("code", code(&secret, 0))])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success() || r.status().is_redirection());
    (email, secret)
}

/// Signs in with the password and then `code`, from a fresh client
/// address each time (so the per-address limit of the sign-in form does not
/// interfere: this is about the account's own counter).
async fn second_factor(app: &TestApp, email: &str, code: &str) -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let from = format!("10.{}.{}.{}", n >> 16 & 255, n >> 8 & 255, n & 255);
    let client = new_client();
    let r = client
        .post(app.url("/login"))
        .header("x-forwarded-for", &from)
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/login/totp");
    client
        .post(app.url("/login/totp"))
        .header("x-forwarded-for", &from)
        .form(&[("code", code)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn the_second_factor_is_throttled_on_its_own_and_each_code_works_once(db: TestDb) {
    let app = TestApp::spawn_configured(db, |s| s.trust_proxy = true).await;
    // Replay: the code that signed in once does not sign in again.
    let (email, secret) = enrolled(&app).await;
    let next = code(&secret, 1);
    assert_eq!(second_factor(&app, &email, &next).await, 303);
    assert_eq!(
        second_factor(&app, &email, &next).await,
        401,
        "a used code is refused"
    );

    // Guessing: wrong codes count on their own; signing in again with the
    // right password does not reset them, and while held back even the
    // right code waits.
    let (email, secret) = enrolled(&app).await;
    for _ in 0..5 {
        assert_eq!(second_factor(&app, &email, "000000").await, 401);
    }
    assert_eq!(second_factor(&app, &email, "000000").await, 429);
    // Two more wrong codes once the holds pass: the hold grows (1 s, 2 s,
    // 4 s), so the last check has four seconds to run in.
    for wait in [1100, 2100] {
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
        assert_eq!(second_factor(&app, &email, "000000").await, 401);
    }
    assert_eq!(second_factor(&app, &email, &code(&secret, 1)).await, 429);
}

async fn a_forced_password_change_holds_for_the_api_too(app: TestApp) {
    let (_, one_time) = app
        .services
        .create_user(
            &msohub_service::Actor::cli(),
            msohub_service::accounts::NewUser {
                email: "neu@ki-test.example".into(),
                display_name: "Neu".into(),
                role: "staff".into(),
                organisation_id: None,
                password: None,
                form_of_address: String::new(),
            },
        )
        .await
        .unwrap();
    let one_time = one_time.unwrap();
    let client = new_client();
    let r = app
        .login_with(&client, "neu@ki-test.example", &one_time)
        .await;
    assert_eq!(r.headers()["location"], "/app/account/password");
    for (method, path) in [
        ("GET", "/api/v1/organisations"),
        ("GET", "/api/v1/me"),
        ("POST", "/api/v1/tokens"),
    ] {
        let r = client
            .request(method.parse().unwrap(), app.url(path))
            .json(&json!({"name": "Skript"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{method} {path}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let v: Value = r.json().await.unwrap();
        assert!(v["detail"].as_str().unwrap().contains("password"), "{v}");
    }
    // The operator cannot hand it a token either.
    let refused = app
        .services
        .create_token(
            &msohub_service::Actor::cli(),
            app.services
                .find_user_by_email(&msohub_service::Actor::cli(), "neu@ki-test.example")
                .await
                .unwrap()
                .id,
            "Skript",
        )
        .await;
    assert!(refused.is_err());
    let r = client
        .post(app.url("/api/v1/account/password"))
        .json(&json!({"current_password": one_time, "new_password": "ein eigenes langes Passwort"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = client
        .get(app.url("/api/v1/organisations"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
