//! `msohub export organisations|persons|offers|events|contacts|meetings|needs
//! --format csv|csv-standard|xlsx|json [--style people|machine] [--lang de|en]
//! [--separator semicolon|comma|tab] [--no-bom] [--output FILE]`: every live
//! record of one type, one row per record in CSV and XLSX: for people
//! (headers and labels in words, Berlin time, ja/nein; the default) or for
//! re-import and other software (`--style machine`: field names, codes, ISO
//! 8601, as the JSON API shows the records). JSON is always the records.

use msohub_domain::Language;
use msohub_service::export::{ExportEntity, ExportFormat, ExportSource, ExportStyle};
use msohub_service::{Actor, DatabaseUrl, Services};

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// organisations, persons, offers, events, contacts, meetings or needs.
    pub entity: String,
    /// csv (German Excel: `;` and a byte order mark), csv-standard (`,`,
    /// no BOM), xlsx or json.
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// people (headers and labels in words, Berlin time, ja/nein) or
    /// machine (field names, codes, ISO 8601: for re-import and software).
    #[arg(long, default_value = "people")]
    pub style: String,
    /// For --style people: the language of headers and labels, de or en.
    #[arg(long, default_value = "de")]
    pub lang: String,
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
    let style = ExportStyle::parse(Some(&args.style), ExportStyle::People)
        .map_err(|_| anyhow::anyhow!("unknown style {:?}; use people or machine", args.style))?;
    let lang = match args.lang.as_str() {
        "de" => Language::De,
        "en" => Language::En,
        other => anyhow::bail!("unknown language {other:?}; use de or en"),
    };
    let services = Services::open(&DatabaseUrl::parse(database_url)?, true).await?;
    let result = file(&services, entity, format, style, lang)
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

/// Loads, renders and records the export.
async fn file(
    services: &Services,
    entity: ExportEntity,
    format: ExportFormat,
    style: ExportStyle,
    lang: Language,
) -> Result<Vec<u8>, msohub_service::Error> {
    let actor = Actor::cli();
    let data = services
        .export_data(&actor, ExportSource::All(entity))
        .await?;
    let bytes = match style {
        ExportStyle::Machine => msohub_service::export::render(data.entity, format, &data.records)?,
        ExportStyle::People => msohub_docs::export::people_file(&data, format, lang)?,
    };
    services.exported(&actor, &data, format, style).await?;
    Ok(bytes)
}
