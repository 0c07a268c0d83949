//! `msohub demo`: loads the demo data set into an empty database.

use msohub_service::{DatabaseUrl, Services};

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// How many organisations (sixty are written by hand; more are generated,
    /// e.g. 20000 for benchmarks).
    #[arg(long, default_value_t = msohub_service::demo::DEMO_ORGANISATIONS)]
    pub organisations: usize,
}

pub async fn run(database_url: &str, args: DemoArgs) -> anyhow::Result<()> {
    let url = DatabaseUrl::parse(database_url)?;
    let services = Services::open(&url, true).await?;
    let summary = services
        .load_demo_with(args.organisations)
        .await
        .map_err(super::describe)?;
    println!(
        "demo data loaded into {url}: {} with {} organisations",
        summary.office, summary.organisations
    );
    for (email, role) in &summary.accounts {
        println!(
            "  demo sign-in ({role}): {email} / {}",
            msohub_service::demo::DEMO_PASSWORD
        );
    }
    services.close().await;
    Ok(())
}
