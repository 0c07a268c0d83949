//! Building and running the application: database, migrations, optional demo
//! data, the listening socket and the router.
//!
//! Every start-up failure becomes a [`StartupError`] whose message names the
//! problem in one line (bad URL, unreachable database, port in use, data
//! folder not writable); nothing here panics on bad input.

use msohub_service::search::SearchStart;
use msohub_service::{AuthPolicy, DatabaseUrl, Services};
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// What the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: String,
    pub database_url: String,
    pub demo: bool,
    pub public_url: String,
    pub trust_proxy: bool,
    pub session_idle_minutes: u32,
    pub session_max_hours: u32,
    /// The first pause before a failed e-mail is tried again (then
    /// doubling, five attempts in all).
    pub mail_retry_seconds: u64,
    /// Internal hosts and networks outbound requests may reach anyway.
    pub outbound_allow: String,
    /// A second listener serving `/metrics` without sign-in (for
    /// Prometheus on an internal address); `None`: only admins read
    /// `/metrics` on the main listener.
    pub metrics_bind: Option<String>,
    /// Where the server keeps files of its own (the scheduled backups'
    /// folder is under it); `None`: the SQLite file's folder, or `data`
    /// with PostgreSQL.
    pub data_dir: Option<std::path::PathBuf>,
    /// How often the scheduled backup looks whether it is due.
    pub backup_check_seconds: u64,
    /// Where the search indexes live.
    pub search_index: IndexPlace,
}

/// Where the search indexes live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexPlace {
    /// In memory, built from the database at every start (tests; a small
    /// registry builds in a moment).
    Memory,
    /// In the `search-index` folder of the data folder.
    DataDir,
    /// In this folder (each node of a cluster its own).
    Folder(std::path::PathBuf),
}

/// The server's own folder: as given, else the SQLite file's folder, or
/// `data` with PostgreSQL.
pub fn data_dir(given: Option<&std::path::Path>, database: &DatabaseUrl) -> std::path::PathBuf {
    given.map_or_else(
        || match database {
            DatabaseUrl::Sqlite(file) => match file.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
                _ => ".".into(),
            },
            DatabaseUrl::Postgres(_) => "data".into(),
        },
        std::path::Path::to_owned,
    )
}

/// The folder of the search indexes for `place` (`None`: in memory).
pub fn index_dir(place: &IndexPlace, data_dir: &std::path::Path) -> Option<std::path::PathBuf> {
    match place {
        IndexPlace::Memory => None,
        IndexPlace::DataDir => Some(data_dir.join("search-index")),
        IndexPlace::Folder(folder) => Some(folder.clone()),
    }
}

impl Settings {
    /// Defaults for everything but where to listen and which database.
    pub fn new(bind: &str, database_url: &str) -> Settings {
        Settings {
            bind: bind.to_owned(),
            database_url: database_url.to_owned(),
            demo: false,
            public_url: "http://127.0.0.1:8080".to_owned(),
            trust_proxy: false,
            session_idle_minutes: 120,
            session_max_hours: 12,
            mail_retry_seconds: 60,
            outbound_allow: String::new(),
            metrics_bind: None,
            data_dir: None,
            backup_check_seconds: 60,
            search_index: IndexPlace::Memory,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(
        "the address to listen on {0:?} is not valid (expected HOST:PORT, e.g. 127.0.0.1:8080)"
    )]
    InvalidBind(String),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] msohub_store::Error),
    #[error("--outbound-allow: not a host name, address or network: {0}")]
    OutboundAllow(String),
    #[error("preparing the database failed: {0}")]
    Demo(#[source] msohub_service::Error),
    #[error("{0}")]
    SearchIndex(#[source] msohub_service::search::OpenSearchError),
}

/// A built application: the socket is bound, the database migrated.
pub struct Application {
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    addr: SocketAddr,
    database: DatabaseUrl,
    services: Services,
    web: msohub_web::WebConfig,
    notices: Vec<String>,
    mail_retry: std::time::Duration,
    data_dir: std::path::PathBuf,
    backup_check: std::time::Duration,
    /// The index folder held nothing usable: fill it once serving.
    search_start: Option<msohub_service::search::SearchStart>,
}

impl Application {
    pub async fn build(settings: &Settings) -> Result<Application, StartupError> {
        let bind: SocketAddr = settings
            .bind
            .parse()
            .map_err(|_| StartupError::InvalidBind(settings.bind.clone()))?;
        let database = DatabaseUrl::parse(&settings.database_url)?;
        // Bind before touching the database: a port in use is reported at once.
        let listener = TcpListener::bind(bind)
            .await
            .map_err(|source| StartupError::Listen {
                addr: settings.bind.clone(),
                source,
            })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartupError::Listen {
                addr: settings.bind.clone(),
                source,
            })?;
        let metrics_listener = match &settings.metrics_bind {
            None => None,
            Some(raw) => {
                let addr: SocketAddr = raw
                    .parse()
                    .map_err(|_| StartupError::InvalidBind(raw.clone()))?;
                Some(
                    TcpListener::bind(addr)
                        .await
                        .map_err(|source| StartupError::Listen {
                            addr: raw.clone(),
                            source,
                        })?,
                )
            }
        };
        let policy = AuthPolicy {
            idle_timeout: chrono::Duration::minutes(i64::from(settings.session_idle_minutes)),
            absolute_timeout: chrono::Duration::hours(i64::from(settings.session_max_hours)),
            ..AuthPolicy::default()
        };
        let outbound_allow = msohub_service::outbound::AllowList::parse(&settings.outbound_allow)
            .map_err(|bad| StartupError::OutboundAllow(bad.join(", ")))?;
        let mut services = Services::open(&database, true)
            .await?
            .with_policy(policy)
            .with_outbound_allow(outbound_allow)
            .with_public_url(&settings.public_url);
        let mut notices = Vec::new();
        if settings.demo {
            if services.has_data().await.map_err(StartupError::Demo)? {
                tracing::info!("the database already holds data; demo data not loaded");
            } else {
                let summary = services.load_demo().await.map_err(StartupError::Demo)?;
                notices.push(format!("demo data loaded: {}", summary.office));
                for (email, role) in &summary.accounts {
                    notices.push(format!(
                        "  demo sign-in ({role}): {email} / {}",
                        msohub_service::demo::DEMO_PASSWORD
                    ));
                }
            }
        }
        if let Some((email, password)) = services
            .ensure_initial_admin()
            .await
            .map_err(StartupError::Demo)?
        {
            notices.push(format!(
                "first start: sign in as {email} with the one-time password {password} (you will be asked to change it)"
            ));
        }
        let data_dir = data_dir(settings.data_dir.as_deref(), &database);
        let started = std::time::Instant::now();
        let mut search_start = None;
        match index_dir(&settings.search_index, &data_dir) {
            None => {
                let indexed = services.start_search().await.map_err(StartupError::Demo)?;
                tracing::info!(
                    documents = indexed,
                    took_ms = started.elapsed().as_millis() as u64,
                    "search index built in memory"
                );
            }
            Some(folder) => {
                use msohub_service::search::OpenSearchError;
                let start = match services.open_search(&folder).await {
                    Ok(start) => start,
                    // Two processes on one folder is a setting to correct,
                    // not a fault to work around.
                    Err(OpenSearchError::Index(e @ msohub_search::Error::InUse(_))) => {
                        return Err(StartupError::SearchIndex(OpenSearchError::Index(e)));
                    }
                    // Unwritable, full, not a folder: the server still
                    // starts, with its indexes in memory.
                    Err(OpenSearchError::Index(err)) => {
                        tracing::error!(
                            folder = %folder.display(),
                            error = %err,
                            "the search index folder cannot be used; the indexes are kept in memory and built in the background until it can"
                        );
                        services
                            .search_in_memory()
                            .await
                            .map_err(StartupError::Demo)?
                    }
                    Err(OpenSearchError::Service(err)) => return Err(StartupError::Demo(err)),
                };
                search_start = Some(start);
                match start {
                    SearchStart::Opened { caught_up } => tracing::info!(
                        folder = %folder.display(),
                        feed_entries = caught_up,
                        took_ms = started.elapsed().as_millis() as u64,
                        "search index opened and brought up to date"
                    ),
                    SearchStart::Rebuild => tracing::info!(
                        folder = %folder.display(),
                        "no usable search index: it is built in the background while the server answers"
                    ),
                    SearchStart::CatchUp { behind } => tracing::info!(
                        folder = %folder.display(),
                        feed_entries = behind,
                        "search index opened far behind the database: it is brought up to date in the background while the server answers"
                    ),
                }
            }
        }
        let web = msohub_web::WebConfig {
            trust_proxy: settings.trust_proxy,
            public_url_is_https: settings.public_url.starts_with("https://"),
            public_url: settings.public_url.trim_end_matches('/').to_owned(),
        };
        Ok(Application {
            listener,
            metrics_listener,
            addr,
            services,
            web,
            notices,
            mail_retry: std::time::Duration::from_secs(settings.mail_retry_seconds.max(1)),
            data_dir,
            search_start,
            backup_check: std::time::Duration::from_secs(settings.backup_check_seconds.max(1)),
            database,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Where the `--metrics-bind` listener listens, if there is one.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
    }

    /// How the search index folder was found (`None`: indexes in memory).
    pub fn search_start(&self) -> Option<msohub_service::search::SearchStart> {
        self.search_start
    }

    pub fn database(&self) -> &DatabaseUrl {
        &self.database
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Lines to show the operator at start (demo sign-ins, first admin).
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// Serves requests until `shutdown` resolves, then lets in-flight
    /// requests finish and closes the database pool.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let state = msohub_web::AppState::new(self.services.clone(), self.web);
        let metrics = self.metrics_listener.map(|listener| {
            let router = msohub_web::metrics_router(state.clone());
            tokio::spawn(async move {
                if let Err(err) = axum::serve(listener, router).await {
                    tracing::warn!(error = %err, "the metrics listener stopped");
                }
            })
        });
        let router = msohub_web::router(state);
        let rebuild = self
            .search_start
            .filter(|s| !matches!(s, SearchStart::Opened { .. }))
            .map(|s| tokio::spawn(fill_search(self.services.clone(), s)));
        let purge = tokio::spawn(purge_sessions(self.services.clone()));
        let mail = tokio::spawn(send_mail(self.services.clone(), self.mail_retry));
        let oparl = tokio::spawn(sync_oparl(self.services.clone()));
        let housekeeping = tokio::spawn(hourly(self.services.clone()));
        let backups = tokio::spawn(scheduled_backups(
            self.services.clone(),
            self.data_dir.clone(),
            self.backup_check,
        ));
        // Half a second: a change made on another node is findable here
        // within a second, at the cost of one indexed query per tick.
        let follow = tokio::spawn(msohub_service::search::follow(
            self.services.clone(),
            std::time::Duration::from_millis(500),
        ));
        let result = axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        // Ended, and waited for: what they hold (the search index folder's
        // lock among it) is let go when this returns.
        let tasks = [purge, follow, mail, oparl, housekeeping, backups]
            .into_iter()
            .chain(rebuild)
            .chain(metrics);
        for task in tasks {
            task.abort();
            let _ended = task.await;
        }
        self.services.close().await;
        result
    }
}

/// Fills an empty index folder, or brings one far behind up to date,
/// while the server answers; until it is done, staff lists come from the
/// database and the public search says that it is warming up.
async fn fill_search(services: Services, start: SearchStart) {
    let started = std::time::Instant::now();
    let filled = match start {
        // Catching up only reads what is there: a failure (the database
        // briefly away) is tried again rather than leaving search off.
        SearchStart::CatchUp { .. } => loop {
            match services.catch_up_search().await {
                Ok(n) => break Ok(n as u64),
                Err(err) => {
                    tracing::warn!(error = %err, "catching up the search index failed; trying again");
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
            }
        },
        _ => services.rebuild_search().await,
    };
    match filled {
        Ok(count) => tracing::info!(
            count,
            took_ms = started.elapsed().as_millis() as u64,
            "search index ready"
        ),
        Err(err) => {
            tracing::error!(error = %err, "filling the search index failed; search stays unavailable until the next start or `msohub reindex`")
        }
    }
}

/// Sends what the outbox holds, every two seconds; a full batch is
/// followed by the next at once (a mailing to thousands goes out at the
/// server's pace, not at twenty messages per tick).
async fn send_mail(services: Services, retry: std::time::Duration) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
    loop {
        tick.tick().await;
        loop {
            match services.deliver_due(retry).await {
                Ok(sent) if sent >= msohub_service::mail::BATCH => {}
                Ok(_) => break,
                Err(err) => {
                    tracing::warn!(error = %err, "the mail worker failed");
                    break;
                }
            }
        }
    }
}

/// The scheduled backup (admin settings): looks every `every` whether
/// the day's archive is due; a failure is logged and recorded for admins.
async fn scheduled_backups(
    services: Services,
    data_dir: std::path::PathBuf,
    every: std::time::Duration,
) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match services
            .scheduled_backup(&data_dir, chrono::Utc::now())
            .await
        {
            Ok(Some(written)) => tracing::info!(
                file = %written.path.display(),
                bytes = written.bytes,
                rows = written.manifest.rows(),
                "scheduled backup written and checked"
            ),
            Ok(None) => {}
            Err(err) => tracing::error!(
                error = %msohub_service::backup::message(&err),
                "the scheduled backup failed"
            ),
        }
    }
}

/// Mirrors the council information system once a day, when configured.
async fn sync_oparl(services: Services) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match services.oparl_scheduled(chrono::Duration::hours(24)).await {
            Ok(Some(r)) => tracing::info!(
                created = r.created,
                updated = r.updated,
                "scheduled OParl import"
            ),
            Ok(None) => {}
            Err(err) => tracing::warn!(error = %err, "scheduled OParl import failed"),
        }
    }
}

/// Removes timed-out sessions every ten minutes.
/// Every hour: follow-ups for consents that end soon (data protection) and
/// removal of import uploads nobody finished.
async fn hourly(services: Services) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match services.remind_expiring_consents_automatically().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                follow_ups = n,
                "follow-ups created for consents that end soon"
            ),
            Err(err) => {
                tracing::warn!(error = %err, "creating follow-ups for expiring consents failed")
            }
        }
        if let Err(err) = services.purge_stale_imports().await {
            tracing::warn!(error = %err, "removing old import uploads failed");
        }
    }
}

async fn purge_sessions(services: Services) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        match services.purge_expired_sessions().await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(sessions = n, "expired sessions removed"),
            Err(err) => tracing::warn!(error = %err, "removing expired sessions failed"),
        }
    }
}
