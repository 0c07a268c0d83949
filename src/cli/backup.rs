//! `msohub backup FILE` and `msohub restore FILE`: the whole database as a
//! portable archive (the same for SQLite and PostgreSQL), written while the
//! application runs and restored into a new database, checked table by
//! table against its checksums.

use msohub_service::{DatabaseUrl, Services};

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The archive to write (a zip file; an existing file is not replaced).
    pub file: std::path::PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The archive `msohub backup` wrote.
    pub file: std::path::PathBuf,
}

/// Backup failures say what is wrong with the file or the database in
/// their own words (`backup: …`), not as an internal error.
fn explain(e: msohub_service::Error) -> anyhow::Error {
    match e {
        msohub_service::Error::Internal(source) => anyhow::anyhow!("{source}"),
        other => super::describe(other),
    }
}

pub async fn backup(database_url: &str, args: BackupArgs) -> anyhow::Result<()> {
    let file = super::private_file(&args.file)?;
    let services = Services::open(&DatabaseUrl::parse(database_url)?, false).await?;
    let result = services.backup(std::io::BufWriter::new(file)).await;
    services.close().await;
    let written = result.map_err(explain).and_then(|(manifest, writer)| {
        // Every byte on the disk before success is reported.
        let file = writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("{}", e.error()))?;
        file.sync_all()?;
        Ok(manifest)
    });
    let manifest = match written {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::remove_file(&args.file);
            return Err(e);
        }
    };
    let size = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
    println!(
        "backup of {} tables ({} rows) written to {} ({size} bytes)",
        manifest.tables.len(),
        manifest.rows(),
        args.file.display()
    );
    Ok(())
}

pub async fn restore(database_url: &str, args: RestoreArgs) -> anyhow::Result<()> {
    let file = std::fs::File::open(&args.file)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", args.file.display()))?;
    // A new database gets its schema first; the archive fills it.
    let services = Services::open(&DatabaseUrl::parse(database_url)?, true).await?;
    let result = services.restore(std::io::BufReader::new(file)).await;
    services.close().await;
    let manifest = result.map_err(explain)?;
    println!(
        "restored {} tables ({} rows) from a {} backup of {}; every table matches its checksum",
        manifest.tables.len(),
        manifest.rows(),
        manifest.source,
        manifest.created_at.format("%Y-%m-%d %H:%M UTC")
    );
    Ok(())
}
