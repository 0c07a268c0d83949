//! `msohub report --period 2020/21 --format md|html|json [--output FILE]`:
//! the yearly report of a period, generated from the records.

use msohub_service::{Actor, DatabaseUrl, Services};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The period's name, e.g. 2020/21.
    #[arg(long)]
    pub period: String,
    /// md, html or json (pdf, docx and odt are not available yet).
    #[arg(long, default_value = "md")]
    pub format: String,
    /// Where to write it; standard output without.
    #[arg(long)]
    pub output: Option<std::path::PathBuf>,
}

pub async fn run(database_url: &str, args: ReportArgs) -> anyhow::Result<()> {
    let url = DatabaseUrl::parse(database_url)?;
    let services = Services::open(&url, true).await?;
    let cli = Actor::cli();
    let periods = services.periods(&cli).await.map_err(super::describe)?;
    let Some(period) = periods.iter().find(|p| p.name == args.period) else {
        let names: Vec<&str> = periods.iter().map(|p| p.name.as_str()).collect();
        anyhow::bail!(
            "no period {:?}; there are: {}",
            args.period,
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            }
        );
    };
    let report = services
        .report(&cli, period.id)
        .await
        .map_err(super::describe)?;
    let text = match args.format.as_str() {
        "md" => msohub_service::report::markdown(&report),
        "json" => serde_json::to_string_pretty(&report)?,
        "html" => msohub_web::report_document(report),
        other => anyhow::bail!("the format {other:?} is not available; use md, html or json"),
    };
    match args.output {
        Some(path) => {
            std::fs::write(&path, text)?;
            println!("report for {} written to {}", period.name, path.display());
        }
        None => print!("{text}"),
    }
    services.close().await;
    Ok(())
}
