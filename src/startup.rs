//! Building and running the application: database, migrations, optional demo
//! data, the listening socket and the router.
//!
//! Every start-up failure becomes a [`StartupError`] whose message names the
//! problem in one line (bad URL, unreachable database, port in use, data
//! folder not writable); nothing here panics on bad input.

use msohub_service::{DatabaseUrl, Services};
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// What the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: String,
    pub database_url: String,
    pub demo: bool,
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
    #[error("loading the demo data failed: {0}")]
    Demo(#[source] msohub_service::Error),
}

/// A built application: the socket is bound, the database migrated.
pub struct Application {
    listener: TcpListener,
    addr: SocketAddr,
    database: DatabaseUrl,
    services: Services,
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
        let services = Services::open(&database, true).await?;
        if settings.demo {
            if services.has_data().await.map_err(StartupError::Demo)? {
                tracing::info!("the database already holds data; demo data not loaded");
            } else {
                let summary = services.load_demo().await.map_err(StartupError::Demo)?;
                tracing::info!(office = %summary.office, "demo data loaded");
            }
        }
        Ok(Application {
            listener,
            addr,
            database,
            services,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn database(&self) -> &DatabaseUrl {
        &self.database
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Serves requests until `shutdown` resolves, then lets in-flight
    /// requests finish and closes the database pool.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let state = msohub_web::AppState::new(self.services.clone());
        let router = msohub_web::router(state);
        let result = axum::serve(self.listener, router)
            .with_graceful_shutdown(shutdown)
            .await;
        self.services.close().await;
        result
    }
}
