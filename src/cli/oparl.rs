//! `msohub oparl sync`: mirror an organisation of a council information
//! system (OParl 1.1) and its meetings.

use msohub_service::{Actor, DatabaseUrl, Services};

#[derive(Debug, clap::Subcommand)]
pub enum OparlCommand {
    /// Import or update now; without flags, the stored configuration.
    Sync {
        /// The URL of the OParl System object.
        #[arg(long)]
        url: Option<String>,
        /// The organisation's OParl id, name or short name, e.g.
        /// "Integrationsrat".
        #[arg(long, alias = "organization")]
        organisation: Option<String>,
    },
}

/// Whether a URL's host resolves to an address the server would not reach
/// on its own.
async fn internal(url: &str) -> bool {
    let Some(host) = url::Url::parse(url).ok().and_then(|u| {
        let port = u.port_or_known_default().unwrap_or(80);
        u.host_str()
            .map(|h| (h.trim_matches(['[', ']']).to_owned(), port))
    }) else {
        return false;
    };
    match tokio::net::lookup_host(host).await {
        Ok(mut addrs) => addrs.any(|a| !msohub_service::outbound::is_public(a.ip())),
        Err(_) => false,
    }
}

pub async fn run(database_url: &str, command: OparlCommand) -> anyhow::Result<()> {
    let url = DatabaseUrl::parse(database_url)?;
    let services = Services::open(&url, true).await?;
    let OparlCommand::Sync {
        url: system,
        organisation,
    } = command;
    let report = services
        .oparl_sync(&Actor::cli(), system.as_deref(), organisation.as_deref())
        .await
        .map_err(super::describe)?;
    println!(
        "OParl import{}: {} new, {} updated, {} deleted meetings",
        if report.incremental {
            " (changes since the last run)"
        } else {
            ""
        },
        report.created,
        report.updated,
        report.deleted
    );
    for w in &report.warnings {
        println!("  skipped: {w}");
    }
    if let Some(url) = system.as_deref()
        && internal(url).await
    {
        println!(
            "note: this system is on an internal network. The server's daily run fetches only \
             public addresses and those allowed: add its host under Einstellungen → Interne \
             Dienste, or start the server with --outbound-allow."
        );
    }
    services.close().await;
    Ok(())
}
