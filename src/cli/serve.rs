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
}

pub async fn run(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let settings = Settings {
        bind: args.bind,
        database_url: database_url.to_owned(),
        demo: args.demo,
    };
    let app = Application::build(&settings).await?;
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
