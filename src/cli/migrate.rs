//! `msohub migrate`: applies pending migrations and says which.

use msohub_service::DatabaseUrl;
use msohub_store::Store;

pub async fn run(database_url: &str) -> anyhow::Result<()> {
    let url = DatabaseUrl::parse(database_url)?;
    let store = Store::connect(&url).await?;
    let pending = store.pending_migrations().await?;
    store.migrate().await?;
    if pending.is_empty() {
        println!("{url}: already up to date");
    } else {
        for name in &pending {
            println!("applied {name}");
        }
        println!("{url}: {} migration(s) applied", pending.len());
    }
    store.close().await;
    Ok(())
}
