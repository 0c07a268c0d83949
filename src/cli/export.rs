//! `msohub export organisations|persons|offers|events|contacts|meetings
//! --format csv|csv-standard|xlsx|json [--separator semicolon|comma|tab]
//! [--no-bom] [--output FILE]`: every live record of one type, as the JSON
//! API shows it (CSV and XLSX one row per record).

use msohub_service::export::{ExportEntity, ExportFormat};
use msohub_service::{Actor, DatabaseUrl, Services};

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// organisations, persons, offers, events, contacts, meetings or needs.
    pub entity: String,
    /// csv (German Excel: `;` and a byte order mark), csv-standard (`,`,
    /// no BOM), xlsx or json.
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// For CSV: semicolon, comma or tab.
    #[arg(long)]
    pub separator: Option<String>,
    /// For CSV: leave out the byte order mark.
    #[arg(long)]
    pub no_bom: bool,
    /// Where to write it; standard output without (not for xlsx).
    #[arg(long)]
    pub output: Option<std::path::PathBuf>,
}

pub async fn run(database_url: &str, args: ExportArgs) -> anyhow::Result<()> {
    let entity: ExportEntity = args.entity.parse().map_err(|_| {
        anyhow::anyhow!(
            "cannot export {:?}; use one of {}",
            args.entity,
            ExportEntity::ALL.map(ExportEntity::as_str).join(", ")
        )
    })?;
    let format = ExportFormat::parse(
        &args.format,
        args.separator.as_deref(),
        args.no_bom.then_some(false),
    )
    .map_err(|_| {
        anyhow::anyhow!(
            "unknown format {:?} or separator {:?}; formats: csv, csv-standard, xlsx, json; separators: semicolon, comma, tab",
            args.format,
            args.separator.as_deref().unwrap_or("")
        )
    })?;
    if args.output.is_none() && format == ExportFormat::Xlsx {
        anyhow::bail!("xlsx is a binary format: give --output FILE");
    }
    let services = Services::open(&DatabaseUrl::parse(database_url)?, true).await?;
    let result = services
        .export(&Actor::cli(), entity, format)
        .await
        .map_err(super::describe);
    services.close().await;
    let bytes = result?;
    match &args.output {
        Some(path) => {
            use std::io::Write;
            let mut file = super::private_file(path)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            eprintln!(
                "{} written to {} ({} bytes)",
                entity.as_str(),
                path.display(),
                bytes.len()
            );
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(())
}
