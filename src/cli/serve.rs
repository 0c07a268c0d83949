//! `msohub serve`: runs the web server until Ctrl-C or SIGTERM.

use crate::startup::{Application, Settings};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "MSOHUB_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// Load the demo data set first (only into an empty database).
    #[arg(long, env = "MSOHUB_DEMO")]
    pub demo: bool,

    /// The URL users reach msohub at; with https, session cookies are
    /// marked Secure.
    #[arg(
        long,
        env = "MSOHUB_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub public_url: String,

    /// Behind a reverse proxy: take the client address from X-Forwarded-For.
    #[arg(long, env = "MSOHUB_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// Minutes after which an unused session ends.
    #[arg(long, env = "MSOHUB_SESSION_IDLE_MINUTES", default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=10080))]
    pub session_idle_minutes: u32,

    /// Hours after which a session ends even if used.
    #[arg(long, env = "MSOHUB_SESSION_MAX_HOURS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=720))]
    pub session_max_hours: u32,

    /// Seconds before a failed e-mail is tried again (doubling each time,
    /// five attempts in all).
    #[arg(long, env = "MSOHUB_MAIL_RETRY_SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub mail_retry_seconds: u64,

    /// Internal hosts or networks that the OParl import and the geocoder
    /// may reach although they are not public (comma-separated, e.g.
    /// `ris.intern.example,10.1.0.0/16`); admins can add more in the
    /// settings.
    #[arg(long, env = "MSOHUB_OUTBOUND_ALLOW", default_value = "")]
    pub outbound_allow: String,

    /// Also serve `/metrics` without sign-in on this address (e.g.
    /// `10.0.0.5:9090`, reachable only by the monitoring system). Without
    /// it, `/metrics` on the main address answers admins only.
    #[arg(long, env = "MSOHUB_METRICS_BIND")]
    pub metrics_bind: Option<String>,

    /// The server's own files: the scheduled backups go into a folder
    /// under it (set in the admin settings). Default: the SQLite file's
    /// folder, or `data` with PostgreSQL.
    #[arg(long, env = "MSOHUB_DATA_DIR")]
    pub data_dir: Option<std::path::PathBuf>,

    /// The folder of the search indexes (default: `search-index` in the
    /// data folder). Kept across restarts and brought up to date from the
    /// change feed at start; each node of a cluster needs its own.
    #[arg(long, env = "MSOHUB_INDEX_DIR")]
    pub index_dir: Option<std::path::PathBuf>,
}

pub async fn run(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let settings = Settings {
        bind: args.bind,
        database_url: database_url.to_owned(),
        demo: args.demo,
        public_url: args.public_url,
        trust_proxy: args.trust_proxy,
        session_idle_minutes: args.session_idle_minutes,
        session_max_hours: args.session_max_hours,
        mail_retry_seconds: args.mail_retry_seconds,
        outbound_allow: args.outbound_allow,
        metrics_bind: args.metrics_bind,
        data_dir: args.data_dir,
        backup_check_seconds: 60,
        search_index: args.index_dir.map_or(
            crate::startup::IndexPlace::DataDir,
            crate::startup::IndexPlace::Folder,
        ),
    };
    let app = Application::build(&settings).await?;
    for line in app.notices() {
        println!("{line}");
    }
    println!(
        "msohub {} listening on http://{} (database {})",
        env!("CARGO_PKG_VERSION"),
        app.local_addr(),
        app.database()
    );
    app.run_until_stopped(shutdown_signal()).await?;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests can finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
