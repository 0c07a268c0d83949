//! Accounts: sign-in and out, sessions and their timeouts, the first admin,
//! rate limits, CSRF, user administration, own password, second factor.

use crate::helpers::{PASSWORD, Page, TestApp, new_client};
use crate::on_both_databases;
use sea_orm::ConnectionTrait;

on_both_databases!(
    first_start_prints_a_one_time_admin_who_must_change_it,
    wrong_credentials_and_disabled_accounts_are_refused_clearly,
    the_staff_area_requires_sign_in_and_comes_back_after_it,
    session_cookie_is_http_only_and_lax_and_secure_over_tls,
    sign_out_ends_the_session,
    idle_and_absolute_timeouts_end_sessions,
    repeated_wrong_passwords_slow_the_account_down,
    sign_in_is_rate_limited_per_address,
    cross_site_posts_are_refused_and_change_nothing,
    admins_create_disable_enable_and_reset_accounts,
    a_stale_edit_of_an_account_overwrites_nothing,
    users_change_their_own_password,
    second_factor_enrolment_and_sign_in,
    failed_and_successful_sign_ins_are_audited,
);

async fn first_start_prints_a_one_time_admin_who_must_change_it(app: TestApp) {
    let (email, password) = app
        .initial_admin
        .clone()
        .expect("the first start prints an admin");
    assert_eq!(email, "admin@localhost");
    let response = app.login_with(&app.client, &email, &password).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/app/account/password");
    // Anything else sends the admin back to change the password first.
    let response = app.get("/app/admin/users").await;
    assert_eq!(response.headers()["location"], "/app/account/password");
    let page = app.get_page("/app/account/password").await;
    assert_eq!(page.count(".kern-alert--warning"), 1);
    let response = app
        .post_form(
            "/app/account/password",
            &[
                ("current_password", &password),
                ("new_password", PASSWORD),
                ("new_password_repeat", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let users = app.get_page("/app/admin/users").await;
    assert_eq!(users.status, 200);
    assert_eq!(users.count("table#users tbody tr"), 1);
    // A second start does not create another admin.
    assert!(app.services.ensure_initial_admin().await.unwrap().is_none());
}

async fn wrong_credentials_and_disabled_accounts_are_refused_clearly(app: TestApp) {
    let email = app.create_user("staff").await;
    let wrong = Page::from_response(
        app.login_with(&app.client, &email, "not the password")
            .await,
    )
    .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(
        wrong.text("#error-summary .kern-alert__body p"),
        "E-Mail-Adresse oder Passwort ist falsch."
    );
    // The same answer for an unknown address: nothing to learn from it.
    let unknown = Page::from_response(
        app.login_with(&app.client, "nobody@ki-test.example", "whatever")
            .await,
    )
    .await;
    assert_eq!(unknown.status, 401);
    assert_eq!(
        unknown.text("#error-summary .kern-alert__body p"),
        "E-Mail-Adresse oder Passwort ist falsch."
    );
    // The e-mail address stays in the form; the password does not.
    assert_eq!(wrong.attr("input#email", "value"), email);
    assert!(wrong.attrs("input#password", "value").is_empty());

    let user = app
        .services
        .find_user_by_email(&msohub_service::Actor::cli(), &email)
        .await
        .unwrap();
    app.services
        .update_user(
            &msohub_service::Actor::cli(),
            user.id,
            msohub_service::accounts::UserChange {
                disabled: Some(true),
                version: user.version,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let disabled = Page::from_response(app.login_with(&app.client, &email, PASSWORD).await).await;
    assert_eq!(disabled.status, 403);
    assert!(disabled.text("#error-summary").contains("deaktiviert"));
    assert_eq!(
        app.get("/app/").await.status(),
        303,
        "no session was created"
    );
}

async fn the_staff_area_requires_sign_in_and_comes_back_after_it(app: TestApp) {
    let response = app.get("/app/admin/users?x=1").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/login?next=/app/admin/users%3Fx%3D1"
    );
    let email = app.create_user("admin").await;
    let response = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("email", email.as_str()),
            ("password", PASSWORD),
            ("next", "/app/admin/users?x=1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/app/admin/users?x=1");
    // Never an open redirect.
    let (client, _) = app.signed_in("staff").await;
    let response = client
        .post(app.url("/login"))
        .form(&[
            ("email", "x@y.de"),
            ("password", "p"),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_ne!(
        response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap()),
        Some("//evil.example/")
    );
    let page = app.get_page("/app/").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text(".user-box__name"), "Test admin");
    assert!(
        page.attrs("nav#main-nav a", "href")
            .contains(&"/app/admin/users".to_owned())
    );
}

async fn session_cookie_is_http_only_and_lax_and_secure_over_tls(app: TestApp) {
    let email = app.create_user("staff").await;
    let response = app.login_with(&new_client(), &email, PASSWORD).await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("msohub_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");
    let response = new_client()
        .post(app.url("/login"))
        .header("x-forwarded-proto", "https")
        .form(&[("email", email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
    // The token is stored hashed: the cookie value is not in the database.
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("msohub_session=");
    let db = app.database().await;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM session WHERE id = '{token}'"),
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), 0);
}

async fn sign_out_ends_the_session(app: TestApp) {
    app.sign_in("staff").await;
    let cookie_jar_before = app.get("/app/").await;
    assert_eq!(cookie_jar_before.status(), 200);
    let response = app.post_form("/logout", &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login?signed_out=1");
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(app.get("/app/").await.status(), 303);
    let page = app.get_page("/login?signed_out=1").await;
    assert_eq!(page.text(".kern-alert--info p"), "Sie sind abgemeldet.");
}

async fn age_sessions(app: &TestApp, column: &str) {
    let db = app.database().await;
    let past = (chrono::Utc::now() - chrono::Duration::days(2)).to_rfc3339();
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            format!("UPDATE session SET {column} = '{past}'::timestamptz")
        }
        _ => format!("UPDATE session SET {column} = '{past}'"),
    };
    db.execute_unprepared(&sql).await.unwrap();
}

async fn idle_and_absolute_timeouts_end_sessions(app: TestApp) {
    app.sign_in("staff").await;
    assert_eq!(app.get("/app/").await.status(), 200);
    age_sessions(&app, "last_seen_at").await;
    let response = app.get("/app/").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/login?next=/app/&expired=1"
    );
    let page = app.get_page("/login?next=/app/&expired=1").await;
    assert_eq!(
        page.text(".kern-alert--info p"),
        "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."
    );

    app.sign_in("staff").await;
    assert_eq!(app.get("/app/").await.status(), 200);
    age_sessions(&app, "expires_at").await;
    assert_eq!(app.get("/app/").await.status(), 303);
    // An expired session does not work through the API either.
    assert_eq!(app.get("/api/v1/me").await.status(), 401);
}

async fn repeated_wrong_passwords_slow_the_account_down(app: TestApp) {
    let email = app.create_user("staff").await;
    for _ in 0..5 {
        assert_eq!(
            app.login_with(&new_client(), &email, "wrong password!")
                .await
                .status(),
            401
        );
    }
    // The sixth try right away, even with the right password, is held back.
    let held = app.login_with(&new_client(), &email, PASSWORD).await;
    assert_eq!(held.status(), 429);
    assert!(
        held.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    let page = Page::from_response(held).await;
    assert!(
        page.text("#error-summary")
            .contains("Zu viele Fehlversuche")
    );
    // After the wait, the right password works again and resets the count.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(
        app.login_with(&new_client(), &email, PASSWORD)
            .await
            .status(),
        303
    );
    assert_eq!(
        app.login_with(&new_client(), &email, "wrong password!")
            .await
            .status(),
        401
    );
}

async fn sign_in_is_rate_limited_per_address(app: TestApp) {
    for i in 0..10 {
        let r = app
            .login_with(&new_client(), &format!("n{i}@ki-test.example"), "x")
            .await;
        assert_eq!(r.status(), 401);
    }
    let limited = app
        .login_with(&new_client(), "n11@ki-test.example", "x")
        .await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    let page = Page::from_response(limited).await;
    assert!(
        page.text("#error-summary")
            .contains("Zu viele Anmeldeversuche")
    );
}

async fn cross_site_posts_are_refused_and_change_nothing(app: TestApp) {
    app.sign_in("admin").await;
    let before = app
        .services
        .list_users(&msohub_service::Actor::cli())
        .await
        .unwrap()
        .len();
    for (header, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "http://evil.example"),
    ] {
        let response = app
            .client
            .post(app.url("/app/admin/users"))
            .header(header, value)
            .form(&[
                ("email", "victim@ki-test.example"),
                ("display_name", "X"),
                ("role", "admin"),
            ])
            .send()
            .await
            .unwrap();
        let page = Page::from_response(response).await;
        assert_eq!(page.status, 403, "{header}");
        assert!(page.text("main p").contains("fremden Seite"), "{header}");
    }
    let api = app
        .client
        .post(app.url("/api/v1/tokens"))
        .header("sec-fetch-site", "same-site")
        .json(&serde_json::json!({ "name": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 403);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    assert_eq!(
        app.services
            .list_users(&msohub_service::Actor::cli())
            .await
            .unwrap()
            .len(),
        before
    );
    // Same-origin requests pass.
    let ok = app
        .client
        .post(app.url("/app/admin/users"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("email", "colleague@ki-test.example"),
            ("display_name", "Kollegin"),
            ("role", "staff"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 201);
}

async fn admins_create_disable_enable_and_reset_accounts(app: TestApp) {
    app.sign_in("admin").await;
    let invalid = Page::from_response(
        app.post_form(
            "/app/admin/users",
            &[("email", "kein-at"), ("display_name", ""), ("role", "root")],
        )
        .await,
    )
    .await;
    assert_eq!(invalid.status, 422);
    assert_eq!(
        invalid.text("#email-error"),
        "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@beispiel.de."
    );
    assert_eq!(invalid.text("#display_name-error"), "Bitte ausfüllen.");
    assert_eq!(
        invalid.text("#role-error"),
        "Bitte wählen Sie eine der angebotenen Rollen."
    );
    assert_eq!(invalid.count("#error-summary li a[href='#email']"), 1);

    let created = Page::from_response(
        app.post_form(
            "/app/admin/users",
            &[
                ("email", "Neu@KI-Test.example"),
                ("display_name", "Neue Kollegin"),
                ("role", "staff"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(created.status, 201);
    let one_time = created.text("#one-time-password");
    assert_eq!(one_time.len(), 16);
    // Taken addresses are refused at the field.
    let dup = Page::from_response(
        app.post_form(
            "/app/admin/users",
            &[
                ("email", "neu@ki-test.example"),
                ("display_name", "X"),
                ("role", "staff"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(
        dup.text("#email-error"),
        "Diese Angabe ist bereits vergeben."
    );

    // The new colleague signs in and must change the one-time password.
    let colleague = new_client();
    let response = app
        .login_with(&colleague, "neu@ki-test.example", &one_time)
        .await;
    assert_eq!(response.headers()["location"], "/app/account/password");
    let list = app.get_page("/app/admin/users").await;
    assert_ne!(
        list.text("tr[data-email='neu@ki-test.example'] .last-login"),
        "noch nie"
    );

    // Disabling ends the colleague's session at once.
    let user = app
        .services
        .find_user_by_email(&msohub_service::Actor::cli(), "neu@ki-test.example")
        .await
        .unwrap();
    let response = app
        .post_form(
            &format!("/app/admin/users/{}/disable", user.id),
            &[("version", &user.version.to_string())],
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = app
        .get_page(&format!("/app/admin/users/{}?done=disabled", user.id))
        .await;
    assert_eq!(page.text("#user-status"), "deaktiviert");
    let r = colleague
        .get(app.url("/app/account/password"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );

    let user = app
        .services
        .get_user(&msohub_service::Actor::cli(), user.id)
        .await
        .unwrap();
    app.post_form(
        &format!("/app/admin/users/{}/enable", user.id),
        &[("version", &user.version.to_string())],
    )
    .await;
    let page = app.get_page(&format!("/app/admin/users/{}", user.id)).await;
    assert_eq!(page.text("#user-status"), "aktiv");

    // Role change.
    let user = app
        .services
        .get_user(&msohub_service::Actor::cli(), user.id)
        .await
        .unwrap();
    let r = app
        .post_form(
            &format!("/app/admin/users/{}", user.id),
            &[
                ("display_name", "Neue Kollegin"),
                ("role", "auditor"),
                ("version", &user.version.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.services
            .get_user(&msohub_service::Actor::cli(), user.id)
            .await
            .unwrap()
            .role,
        msohub_domain::Role::Auditor
    );

    // Reset: a new one-time password that works, the old one does not.
    let reset = app.get_page("/app/admin/users").await;
    drop(reset);
    let page = Page::from_response(
        app.post_form(&format!("/app/admin/users/{}/reset-password", user.id), &[])
            .await,
    )
    .await;
    let fresh = page.text("#one-time-password");
    assert_ne!(fresh, one_time);
    assert_eq!(
        app.login_with(&new_client(), "neu@ki-test.example", &one_time)
            .await
            .status(),
        401
    );
    let r = app
        .login_with(&new_client(), "neu@ki-test.example", &fresh)
        .await;
    assert_eq!(r.headers()["location"], "/app/account/password");

    // The last admin cannot be demoted or disabled.
    let me = app
        .services
        .list_users(&msohub_service::Actor::cli())
        .await
        .unwrap();
    let admins: Vec<_> = me
        .iter()
        .filter(|u| u.role == msohub_domain::Role::Admin && !u.disabled)
        .collect();
    if admins.len() == 1 {
        let a = admins[0];
        let page = Page::from_response(
            app.post_form(
                &format!("/app/admin/users/{}", a.id),
                &[
                    ("display_name", "A"),
                    ("role", "staff"),
                    ("version", &a.version.to_string()),
                ],
            )
            .await,
        )
        .await;
        assert_eq!(
            page.text("#role-error"),
            "Das ist das letzte aktive Administrationskonto; es muss erhalten bleiben."
        );
    }
}

async fn a_stale_edit_of_an_account_overwrites_nothing(app: TestApp) {
    app.sign_in("admin").await;
    let email = app.create_user("staff").await;
    let user = app
        .services
        .find_user_by_email(&msohub_service::Actor::cli(), &email)
        .await
        .unwrap();
    let v = user.version.to_string();
    let first = app
        .post_form(
            &format!("/app/admin/users/{}", user.id),
            &[
                ("display_name", "Erste Änderung"),
                ("role", "staff"),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(first.status(), 303);
    let second = Page::from_response(
        app.post_form(
            &format!("/app/admin/users/{}", user.id),
            &[
                ("display_name", "Zweite Änderung"),
                ("role", "auditor"),
                ("version", &v),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(second.status, 409);
    assert!(
        second
            .text("#error-summary")
            .contains("inzwischen geändert")
    );
    // The form shows the other person's change.
    assert_eq!(second.attr("input#display_name", "value"), "Erste Änderung");
    let now = app
        .services
        .get_user(&msohub_service::Actor::cli(), user.id)
        .await
        .unwrap();
    assert_eq!(now.display_name, "Erste Änderung");
    assert_eq!(now.role, msohub_domain::Role::Staff);
}

async fn users_change_their_own_password(app: TestApp) {
    let email = app.sign_in("staff").await;
    let wrong = Page::from_response(
        app.post_form(
            "/app/account/password",
            &[
                ("current_password", "falsch"),
                ("new_password", "kurz"),
                ("new_password_repeat", "kurz"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(
        wrong.text("#current_password-error"),
        "Das Passwort ist nicht richtig."
    );
    assert_eq!(
        wrong.text("#new_password-error"),
        "Das Passwort muss mindestens 12 Zeichen lang sein."
    );
    let mismatch = Page::from_response(
        app.post_form(
            "/app/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "ein ganz neues Passwort"),
                ("new_password_repeat", "etwas anderes!!"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(
        mismatch.text("#new_password_repeat-error"),
        "Die beiden neuen Passwörter stimmen nicht überein."
    );
    // Another session of the same user ends when the password changes.
    let other = new_client();
    app.login_with(&other, &email, PASSWORD).await;
    let ok = app
        .post_form(
            "/app/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "ein ganz neues Passwort"),
                ("new_password_repeat", "ein ganz neues Passwort"),
            ],
        )
        .await;
    assert_eq!(
        ok.headers()["location"],
        "/app/account?done=password-changed"
    );
    assert_eq!(app.get("/app/").await.status(), 200, "this session stays");
    assert_eq!(
        other.get(app.url("/app/")).send().await.unwrap().status(),
        303,
        "the other ends"
    );
    assert_eq!(
        app.login_with(&new_client(), &email, "ein ganz neues Passwort")
            .await
            .status(),
        303
    );
}

fn current_code(secret: &str) -> String {
    code_in_steps(secret, 0)
}

/// The code `steps` time steps from now (the server accepts one step of
/// drift either way, and each step once).
pub(crate) fn code_in_steps(secret: &str, steps: i64) -> String {
    let bytes = msohub_service::totp::base32_decode(secret).unwrap();
    format!(
        "{:06}",
        msohub_service::totp::code_at(&bytes, chrono::Utc::now().timestamp() / 30 + steps)
    )
}

async fn second_factor_enrolment_and_sign_in(app: TestApp) {
    let email = app.sign_in("staff").await;
    let enrol = app.get_page("/app/account/totp").await;
    assert_eq!(enrol.status, 200);
    assert_eq!(enrol.count(".qr svg path"), 1);
    let secret = enrol.text("#totp-secret");
    let wrong = Page::from_response(
        app.post_form("/app/account/totp", &[("code", "000000")])
            .await,
    )
    .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(
        wrong.text("#code-error"),
        "Der Code ist nicht richtig oder abgelaufen."
    );
    assert_eq!(
        wrong.text("#totp-secret"),
        secret,
        "the same enrolment continues"
    );
    let done = Page::from_response(
        app.post_form("/app/account/totp", &[("code", &current_code(&secret))])
            .await,
    )
    .await;
    assert_eq!(done.status, 200);
    let codes: Vec<String> = done
        .html
        .select(&scraper::Selector::parse("#recovery-codes li").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(codes.len(), 10);
    let account = app.get_page("/app/account").await;
    assert!(account.text("#totp-status").contains("10"));

    // Signing in now needs the second factor.
    let client = new_client();
    let r = app.login_with(&client, &email, PASSWORD).await;
    assert_eq!(r.headers()["location"], "/login/totp");
    assert_eq!(
        client.get(app.url("/app/")).send().await.unwrap().headers()["location"],
        "/login/totp"
    );
    let bad = client
        .post(app.url("/login/totp"))
        .form(&[("code", "123456")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    let good = client
        .post(app.url("/login/totp"))
        // The enrolment used this step's code; a code works once, so the
        // sign-in takes the next step's (within the allowed drift).
        .form(&[("code", code_in_steps(&secret, 1).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(good.headers()["location"], "/app/");
    assert_eq!(
        client.get(app.url("/app/")).send().await.unwrap().status(),
        200
    );

    // A recovery code works once.
    for (attempt, expected) in [(1, "/app/"), (2, "")] {
        let c = new_client();
        app.login_with(&c, &email, PASSWORD).await;
        let r = c
            .post(app.url("/login/totp"))
            .form(&[("code", codes[0].to_uppercase().as_str())])
            .send()
            .await
            .unwrap();
        if attempt == 1 {
            assert_eq!(r.headers()["location"], expected);
        } else {
            assert_eq!(r.status(), 401, "a used recovery code is refused");
        }
    }
    // Turning it off needs the password.
    let r = app
        .post_form("/app/account/totp/disable", &[("password", "falsch")])
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_form("/app/account/totp/disable", &[("password", PASSWORD)])
        .await;
    assert_eq!(r.headers()["location"], "/app/account?done=totp-disabled");
    let c = new_client();
    assert_eq!(
        app.login_with(&c, &email, PASSWORD).await.headers()["location"],
        "/app/"
    );

    // Lost the phone and the codes: an admin resets the second factor.
    let enrol = app.get_page("/app/account/totp").await;
    let secret = enrol.text("#totp-secret");
    app.post_form("/app/account/totp", &[("code", &current_code(&secret))])
        .await;
    let user = app
        .services
        .find_user_by_email(&msohub_service::Actor::cli(), &email)
        .await
        .unwrap();
    assert!(user.totp_enabled);
    let (admin, _) = app.signed_in("admin").await;
    let page = Page::from_response(
        admin
            .get(app.url(&format!("/app/admin/users/{}", user.id)))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        page.count(&format!(
            "form[action='/app/admin/users/{}/reset-totp']",
            user.id
        )),
        1
    );
    let r = admin
        .post(app.url(&format!("/app/admin/users/{}/reset-totp", user.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.get("/app/").await.status(),
        303,
        "the account's sessions ended"
    );
    // (Signing in again is not tried here: this test has used up the
    // address's sign-in allowance; the password alone now suffices.)
    let user = app
        .services
        .get_user(&msohub_service::Actor::cli(), user.id)
        .await
        .unwrap();
    assert!(!user.totp_enabled);
}

async fn failed_and_successful_sign_ins_are_audited(app: TestApp) {
    let email = app.create_user("staff").await;
    app.login_with(&new_client(), &email, "falsch falsch").await;
    app.login_with(&new_client(), &email, PASSWORD).await;
    app.sign_in("auditor").await;
    let page = app.get_page(&format!("/app/audit?actor={email}")).await;
    assert_eq!(page.status, 200);
    let actions = page.attrs("#audit .audit-entry", "data-action");
    assert_eq!(actions, ["login", "login_failed"], "newest first");
    // Never a password or hash in the log.
    let all = app
        .get("/api/v1/audit-log?after=0&limit=1000")
        .await
        .text()
        .await
        .unwrap();
    assert!(!all.contains(PASSWORD) && !all.contains("argon2"), "{all}");
}
