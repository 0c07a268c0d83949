//! The test harness: fresh databases, the app on port 0, typed helpers.

use msohub::startup::{Application, Settings};
use reqwest::StatusCode;
use scraper::{Html, Selector};
use sea_orm::{ConnectionTrait, Database};

/// Generates, for each listed test function, a module with a `sqlite` and a
/// `postgres` test that run it on a fresh app (or database) of that kind.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::helpers::run_on($crate::helpers::Kind::Sqlite, super::$name).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::helpers::postgres_url().is_none() {
                    // Under CI a missing server is a failure, not a pass:
                    // half the suite would be skipped unnoticed.
                    assert!(
                        std::env::var_os("CI").is_none(),
                        "CI is set but MSOHUB_TEST_POSTGRES_URL is not: the PostgreSQL half cannot be skipped"
                    );
                    eprintln!("MSOHUB_TEST_POSTGRES_URL is not set: PostgreSQL variant skipped");
                    return;
                }
                $crate::helpers::run_on($crate::helpers::Kind::Postgres, super::$name).await;
            }
        }
    )*};
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// The admin URL of the test PostgreSQL server, if the run was asked to use one.
pub fn postgres_url() -> Option<String> {
    std::env::var("MSOHUB_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// Runs one test body on a fresh app or database of the given kind; a
/// PostgreSQL test database is dropped afterwards, passed or failed.
pub async fn run_on<T: Fresh, F: std::future::Future<Output = ()>>(
    kind: Kind,
    test: impl FnOnce(T) -> F,
) {
    let fresh = T::fresh(kind).await;
    let database = fresh.postgres_database();
    let _drop = database.map(DropDatabase);
    test(fresh).await;
}

/// Drops a PostgreSQL test database when the test ends (also when it
/// panics), on a thread of its own, since `Drop` cannot wait.
struct DropDatabase(String);

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let (Some(admin), name) = (postgres_url(), self.0.clone()) else {
            return;
        };
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async {
                if let Ok(conn) = Database::connect(admin.as_str()).await {
                    // FORCE ends the app's pool connections still open.
                    let _ = conn
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}

/// Something a test can ask for on a fresh database.
pub trait Fresh: Sized {
    fn fresh(kind: Kind) -> impl std::future::Future<Output = Self>;
    /// The PostgreSQL database made for it, to drop afterwards.
    fn postgres_database(&self) -> Option<String>;
}

/// A fresh, empty database (not yet migrated) and its URL.
pub struct TestDb {
    pub kind: Kind,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    fn postgres_name(&self) -> Option<String> {
        (self.kind == Kind::Postgres)
            .then(|| reqwest::Url::parse(&self.url).ok())
            .flatten()
            .map(|u| u.path().trim_start_matches('/').to_owned())
    }
}

impl Fresh for TestDb {
    fn postgres_database(&self) -> Option<String> {
        self.postgres_name()
    }

    async fn fresh(kind: Kind) -> TestDb {
        match kind {
            Kind::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary folder");
                let url = format!("sqlite://{}/msohub.db", dir.path().display());
                TestDb {
                    kind,
                    url,
                    _dir: Some(dir),
                }
            }
            Kind::Postgres => {
                let admin = postgres_url().expect("MSOHUB_TEST_POSTGRES_URL");
                let conn = Database::connect(admin.as_str()).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL was asked for but cannot be reached at {admin}: {e}")
                });
                let name = format!("msohub_test_{}", uuid::Uuid::now_v7().simple());
                conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                let _ = conn.close().await;
                let mut url = reqwest::Url::parse(&admin).expect("valid admin URL");
                url.set_path(&name);
                TestDb {
                    kind,
                    url: url.to_string(),
                    _dir: None,
                }
            }
        }
    }
}

/// The application, running on port 0 against its own fresh database.
pub struct TestApp {
    pub address: String,
    /// The `--metrics-bind` listener, when the test asked for one.
    pub metrics_address: Option<String>,
    pub db: TestDb,
    /// Does not follow redirects, keeps cookies, does not decompress.
    pub client: reqwest::Client,
    /// The use cases, for setting up fixtures directly.
    pub services: msohub_service::Services,
    /// What the first start printed: (e-mail, one-time password).
    pub initial_admin: Option<(String, String)>,
    /// How the search index folder was found (`None`: in memory).
    pub search_start: Option<msohub_service::search::SearchStart>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    serving: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// A signed-in representative of one organisation (see
/// [`TestApp::representative`]).
pub struct Representative {
    pub client: reqwest::Client,
    pub email: String,
    pub organisation_id: uuid::Uuid,
    pub person_id: uuid::Uuid,
}

/// The password every fixture account gets.
pub const PASSWORD: &str = "correct horse battery staple";

/// A client like the app's own: no redirects, own cookie jar, no gzip.
pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .no_gzip()
        .build()
        .expect("HTTP client")
}

impl Fresh for TestApp {
    fn postgres_database(&self) -> Option<String> {
        self.db.postgres_name()
    }

    async fn fresh(kind: Kind) -> TestApp {
        TestApp::spawn_with(TestDb::fresh(kind).await, false).await
    }
}

impl TestApp {
    /// Starts the real application (same code path as `msohub serve`).
    pub async fn spawn_with(db: TestDb, demo: bool) -> TestApp {
        TestApp::spawn_configured(db, |s| s.demo = demo).await
    }

    /// Starts the application with settings changed by `configure`.
    pub async fn spawn_configured(db: TestDb, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = Settings::new("127.0.0.1:0", &db.url);
        // Failed e-mails are retried within the test's patience.
        settings.mail_retry_seconds = 1;
        configure(&mut settings);
        let app = Application::build(&settings)
            .await
            .expect("the application starts");
        let address = format!("http://{}", app.local_addr());
        let metrics_address = app.metrics_addr().map(|a| format!("http://{a}"));
        let services = app.services().clone();
        let initial_admin = app.notices().iter().find_map(|line| {
            let rest = line.strip_prefix("first start: sign in as ")?;
            let (email, rest) = rest.split_once(" with the one-time password ")?;
            let password = rest.split_whitespace().next()?;
            Some((email.to_owned(), password.to_owned()))
        });
        let search_start = app.search_start();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(app.run_until_stopped(async {
            let _ = rx.await;
        }));
        TestApp {
            address,
            metrics_address,
            db,
            client: new_client(),
            services,
            initial_admin,
            search_start,
            shutdown: Some(tx),
            serving: Some(serving),
        }
    }

    /// Another node on the same database, its search indexes kept in
    /// `folder`.
    pub async fn node_with_index_folder(&self, folder: &std::path::Path) -> TestApp {
        let db = TestDb {
            kind: self.db.kind,
            url: self.db.url.clone(),
            _dir: None,
        };
        let folder = folder.to_owned();
        TestApp::spawn_configured(db, move |s| {
            s.search_index = msohub::startup::IndexPlace::Folder(folder);
        })
        .await
    }

    /// Stops this node and waits until it has let go of what it held
    /// (its database pool; its search index folder, once the last
    /// background task has ended).
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(serving) = self.serving.take() {
            let _ = serving.await;
        }
    }

    /// Another app node on the same database (as behind a load balancer).
    pub async fn second_node(&self) -> TestApp {
        let db = TestDb {
            kind: self.db.kind,
            url: self.db.url.clone(),
            _dir: None,
        };
        TestApp::spawn_with(db, false).await
    }

    /// Creates an account with [`PASSWORD`]; returns its e-mail address.
    pub async fn create_user(&self, role: &str) -> String {
        let email = format!("{role}-{}@ki-test.example", uuid::Uuid::now_v7().simple());
        self.services
            .create_user(
                &msohub_service::Actor::cli(),
                msohub_service::accounts::NewUser {
                    email: email.clone(),
                    display_name: format!("Test {role}"),
                    role: role.to_owned(),
                    organisation_id: None,
                    password: Some(PASSWORD.to_owned()),
                    form_of_address: String::new(),
                },
            )
            .await
            .expect("fixture user");
        email
    }

    /// Posts a sign-in form with the given client.
    pub async fn login_with(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/login"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .expect("request answered")
    }

    /// A new client signed in as a new account of `role`; returns both.
    pub async fn signed_in(&self, role: &str) -> (reqwest::Client, String) {
        let client = new_client();
        let email = self.create_user(role).await;
        let response = self.login_with(&client, &email, PASSWORD).await;
        assert_eq!(response.status(), 303, "sign-in of {email}");
        (client, email)
    }

    /// A representative as the portal knows them: an organisation, a
    /// person with an e-mail address and a current affiliation, invited by
    /// staff and accepted with a password and the terms. The client is
    /// signed in (accepting signs in).
    pub async fn representative(&self, organisation: &str) -> Representative {
        let cli = msohub_service::Actor::cli();
        let org = self
            .services
            .create_organisation(
                &cli,
                &msohub_service::organisations::OrganisationInput {
                    name: organisation.to_owned(),
                    kind: "mso".to_owned(),
                    ..Default::default()
                },
            )
            .await
            .expect("fixture organisation");
        let email = format!(
            "vertretung-{}@ki-test.example",
            uuid::Uuid::now_v7().simple()
        );
        let person = self
            .services
            .create_person(
                &cli,
                &msohub_service::people::PersonInput {
                    given_name: "Leyla".to_owned(),
                    family_name: "Aydın".to_owned(),
                    email: email.clone(),
                    ..Default::default()
                },
            )
            .await
            .expect("fixture person");
        self.services
            .add_affiliation(&cli, person.id, org.id, "Vorsitzende", "2020-01-01", "")
            .await
            .expect("fixture affiliation");
        let invitation = self
            .services
            .invite_representative(&cli, person.id, org.id)
            .await
            .expect("fixture invitation");
        let link = invitation.link.expect("no mail server: the link is shown");
        let path = link
            .find("/portal/")
            .map(|i| link[i..].to_owned())
            .expect("a portal link");
        let client = new_client();
        let r = client
            .post(self.url(&path))
            .form(&[("password", PASSWORD), ("accept", "on")])
            .send()
            .await
            .expect("request answered");
        assert_eq!(r.status(), 303, "accepting the invitation");
        Representative {
            client,
            email,
            organisation_id: org.id,
            person_id: person.id,
        }
    }

    /// Lets the server's outbound requests reach loopback (where the tests'
    /// stand-ins for council systems and geocoders listen), as an admin
    /// would allow an internal host in the settings.
    pub async fn allow_outbound_to_loopback(&self) {
        let cli = msohub_service::Actor::cli();
        let mut settings = self.services.instance_settings(&cli).await.unwrap();
        settings.outbound_allow = "127.0.0.1".to_owned();
        self.services
            .change_settings(&cli, &settings)
            .await
            .unwrap();
    }

    /// Signs the app's own client in as a new account of `role`.
    pub async fn sign_in(&self, role: &str) -> String {
        let email = self.create_user(role).await;
        let response = self.login_with(&self.client, &email, PASSWORD).await;
        assert_eq!(response.status(), 303, "sign-in of {email}");
        email
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("request answered")
    }

    /// A direct connection to the app's database (to age sessions etc.).
    pub async fn database(&self) -> sea_orm::DatabaseConnection {
        Database::connect(self.db.url.as_str())
            .await
            .expect("database")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request answered")
    }

    /// POSTs JSON with the app's client; returns the status and the answer
    /// (`Null` when it is not JSON).
    pub async fn post_json(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send_json(reqwest::Method::POST, path, body).await
    }

    /// Sends JSON with any method; returns the status and the answer.
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let r = self
            .client
            .request(method, self.url(path))
            .json(&body)
            .send()
            .await
            .expect("request answered");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// POSTs JSON and insists on success; returns the answer.
    pub async fn created(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let (status, v) = self.post_json(path, body).await;
        assert!((200..300).contains(&status), "POST {path}: {status} {v}");
        v
    }

    /// PUTs JSON and insists on success; returns the answer.
    pub async fn replaced(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let (status, v) = self.send_json(reqwest::Method::PUT, path, body).await;
        assert!((200..300).contains(&status), "PUT {path}: {status} {v}");
        v
    }

    /// GETs JSON and insists on success.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let r = self.get(path).await;
        let status = r.status();
        assert!(status.is_success(), "GET {path}: {status}");
        r.json().await.expect("a JSON answer")
    }

    /// GETs a page and parses it; returns the status too.
    pub async fn get_page(&self, path: &str) -> Page {
        let response = self.get(path).await;
        Page::from_response(response).await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A parsed HTML response, queried with CSS selectors.
pub struct Page {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub html: Html,
}

impl Page {
    pub async fn from_response(response: reqwest::Response) -> Page {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("body");
        Page {
            status,
            headers,
            html: Html::parse_document(&body),
        }
    }

    fn selector(css: &str) -> Selector {
        Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e}"))
    }

    /// How many elements match.
    pub fn count(&self, css: &str) -> usize {
        self.html.select(&Self::selector(css)).count()
    }

    /// The text of the first match (whitespace collapsed); panics if none.
    pub fn text(&self, css: &str) -> String {
        let el = self
            .html
            .select(&Self::selector(css))
            .next()
            .unwrap_or_else(|| panic!("no element matches {css}"));
        el.text()
            .collect::<Vec<_>>()
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The text of every match (whitespace collapsed).
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.html
            .select(&Self::selector(css))
            .map(|el| {
                el.text()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// An attribute of every match.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.html
            .select(&Self::selector(css))
            .filter_map(|el| el.value().attr(attr).map(str::to_owned))
            .collect()
    }

    /// An attribute of the first match; panics if none.
    pub fn attr(&self, css: &str, attr: &str) -> String {
        self.attrs(css, attr)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no {css} with attribute {attr}"))
    }
}

/// Percent-encodes a value for a query string.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
