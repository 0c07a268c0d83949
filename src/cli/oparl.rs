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
    services.close().await;
    Ok(())
}
