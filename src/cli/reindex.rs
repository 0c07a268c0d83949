//! `msohub reindex`: builds the search indexes in their folder anew from
//! the database (after copying a database in by hand, or when search
//! results look wrong). A running server keeps its folder locked and its
//! indexes current itself; stop it first.

use crate::startup::{IndexPlace, data_dir, index_dir};
use msohub_service::{DatabaseUrl, Services};

#[derive(Debug, clap::Args)]
pub struct ReindexArgs {
    /// The server's data folder (as given to `serve`); the indexes are in
    /// its `search-index` folder unless `--index-dir` names another.
    #[arg(long, env = "MSOHUB_DATA_DIR")]
    pub data_dir: Option<std::path::PathBuf>,

    /// The folder of the search indexes (as given to `serve`).
    #[arg(long, env = "MSOHUB_INDEX_DIR")]
    pub index_dir: Option<std::path::PathBuf>,
}

pub async fn run(database_url: &str, args: ReindexArgs) -> anyhow::Result<()> {
    let url = DatabaseUrl::parse(database_url)?;
    let place = args
        .index_dir
        .map_or(IndexPlace::DataDir, IndexPlace::Folder);
    let folder = index_dir(&place, &data_dir(args.data_dir.as_deref(), &url))
        .ok_or_else(|| anyhow::anyhow!("no index folder"))?;
    let mut services = Services::open(&url, true).await?;
    let started = std::time::Instant::now();
    match services.open_search(&folder).await {
        Ok(_) => {}
        Err(msohub_service::search::OpenSearchError::Index(msohub_search::Error::InUse(_))) => {
            anyhow::bail!(
                "{} is in use by a running msohub server; stop it first (a running server keeps its indexes current itself)",
                folder.display()
            )
        }
        Err(err) => return Err(err.into()),
    }
    let documents = services.rebuild_search().await.map_err(super::describe)?;
    println!(
        "{}: {documents} organisations and offers indexed in {:.1} s",
        folder.display(),
        started.elapsed().as_secs_f64()
    );
    services.close().await;
    Ok(())
}
