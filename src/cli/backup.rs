//! `msohub backup FILE`, `msohub restore FILE` and `msohub restore --check
//! FILE`: the whole database as a portable archive (the same for SQLite
//! and PostgreSQL), written while the application runs and read back
//! before it counts, restored into a new database all or nothing, checked
//! table by table against its checksums.

use msohub_service::backup::{self, file};
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
    /// Only check the archive (format, every table's checksum and row
    /// count, schema version, tables) and say what it holds; no database
    /// is opened.
    #[arg(long)]
    pub check: bool,
}

/// Backup failures say what is wrong with the file or the database in
/// their own words (`backup: …`), not as an internal error.
fn explain(e: msohub_service::Error) -> anyhow::Error {
    match e {
        msohub_service::Error::Internal(_) => anyhow::anyhow!("{}", backup::message(&e)),
        other => super::describe(other),
    }
}

pub async fn backup(database_url: &str, args: BackupArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let services = Services::open(&DatabaseUrl::parse(database_url)?, false).await?;
    let result = services.backup_to_file(&args.file).await;
    services.close().await;
    let written = result.map_err(|e| explain(e).context("the backup failed"))?;
    println!(
        "backup of {} tables ({} rows, schema version {}) written to {} ({} bytes) in {:.1} s; \
         read back: every table's rows and checksum match",
        written.manifest.tables.len(),
        written.manifest.rows(),
        backup::Schema::current(),
        written.path.display(),
        written.bytes,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub async fn restore(database_url: &str, args: RestoreArgs) -> anyhow::Result<()> {
    if args.check {
        return check(&args.file);
    }
    let manifest = file::restore_file(&DatabaseUrl::parse(database_url)?, &args.file)
        .await
        .map_err(|e| explain(e).context("the restore failed; the target is as it was"))?;
    println!(
        "restored {} tables ({} rows) from a {} backup of {}; every table matches its checksum",
        manifest.tables.len(),
        manifest.rows(),
        manifest.source,
        manifest.created_at.format("%Y-%m-%d %H:%M UTC")
    );
    Ok(())
}

fn check(path: &std::path::Path) -> anyhow::Result<()> {
    let checked = file::check_file(path).map_err(|e| {
        anyhow::anyhow!(
            "{} is not a backup this msohub can restore: {}",
            path.display(),
            backup::message(&e)
        )
    })?;
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let m = &checked.manifest;
    println!("{}: a valid msohub backup ({size} bytes)", path.display());
    println!(
        "  format {} version {}, written {} by msohub {} from {}",
        m.format,
        m.version,
        m.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
        m.msohub,
        m.source
    );
    println!("  {}", checked.schema_verdict().map_err(explain)?);
    println!(
        "  {} tables, {} rows; every table matches its checksum and row count",
        m.tables.len(),
        m.rows()
    );
    Ok(())
}
