//! `msohub demo`: loads the demo data set into an empty database.

use msohub_service::{DatabaseUrl, Services};

pub async fn run(database_url: &str) -> anyhow::Result<()> {
    let url = DatabaseUrl::parse(database_url)?;
    let services = Services::open(&url, true).await?;
    let summary = services.load_demo().await.map_err(super::describe)?;
    println!("demo data loaded into {url}: {}", summary.office);
    for (email, role) in &summary.accounts {
        println!(
            "  demo sign-in ({role}): {email} / {}",
            msohub_service::demo::DEMO_PASSWORD
        );
    }
    services.close().await;
    Ok(())
}
