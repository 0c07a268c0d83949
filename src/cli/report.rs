//! `msohub report --period 2020/21 --format pdf|docx|odt|md|html|json
//! [--lang de|en] [--project NAME] [--frozen N] [--output FILE]`: the
//! yearly report of a period (or one project's chapter), generated from
//! the records (or a finalised version), and
//! `msohub report --period 2020/21 --finalise [--note TEXT]`.

use msohub_service::report::Lang;
use msohub_service::{Actor, DatabaseUrl, Services};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The period's name, e.g. 2020/21.
    #[arg(long)]
    pub period: String,
    /// pdf, docx, odt, md, html or json.
    #[arg(long, default_value = "md")]
    pub format: String,
    /// de or en.
    #[arg(long, default_value = "de")]
    pub lang: String,
    /// One project's chapter (the project's name) instead of the whole period.
    #[arg(long)]
    pub project: Option<String>,
    /// A finalised version (its number) instead of the report generated now.
    #[arg(long, value_name = "N")]
    pub frozen: Option<i32>,
    /// Freeze the report as generated now as the next finalised version.
    #[arg(long, conflicts_with = "frozen")]
    pub finalise: bool,
    /// With --finalise: what the version is for.
    #[arg(long, default_value = "")]
    pub note: String,
    /// Where to write it; standard output without (not for binary formats).
    #[arg(long)]
    pub output: Option<std::path::PathBuf>,
}

pub async fn run(database_url: &str, args: ReportArgs) -> anyhow::Result<()> {
    if !msohub_docs::report::FORMATS.contains(&args.format.as_str()) {
        anyhow::bail!(
            "the format {:?} is not known; use one of {}",
            args.format,
            msohub_docs::report::FORMATS.join(", ")
        );
    }
    let lang = match args.lang.as_str() {
        "de" => Lang::De,
        "en" => Lang::En,
        other => anyhow::bail!("the language {other:?} is not known; use de or en"),
    };
    if args.output.is_none() && matches!(args.format.as_str(), "pdf" | "docx" | "odt") {
        anyhow::bail!("{} is a binary format: give --output FILE", args.format);
    }
    let url = DatabaseUrl::parse(database_url)?;
    let services = Services::open(&url, true).await?;
    let result = write(&services, &args, lang).await;
    services.close().await;
    result
}

async fn write(services: &Services, args: &ReportArgs, lang: Lang) -> anyhow::Result<()> {
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
    if args.finalise {
        let v = services
            .finalise_report(&cli, period.id, &args.note)
            .await
            .map_err(super::describe)?;
        println!(
            "report for {} finalised as version {}",
            period.name, v.number
        );
        return Ok(());
    }
    let project = match &args.project {
        None => None,
        Some(name) => {
            let projects = services.projects(&cli).await.map_err(super::describe)?;
            let Some(p) = projects
                .iter()
                .find(|p| p.name.to_lowercase() == name.trim().to_lowercase())
            else {
                let names: Vec<&str> = projects.iter().map(|p| p.name.as_str()).collect();
                anyhow::bail!("no project {name:?}; there are: {}", names.join(", "));
            };
            Some(p.id)
        }
    };
    let report = match args.frozen {
        Some(n) => services
            .report_version(&cli, period.id, n, lang)
            .await
            .map_err(|e| match e {
                msohub_service::Error::NotFound => {
                    anyhow::anyhow!("the report for {} has no version {n}", period.name)
                }
                e => super::describe(e),
            })
            .and_then(|r| match project {
                Some(p) => r.chapter_of(p).map_err(super::describe),
                None => Ok(r),
            })?,
        None => services
            .report(&cli, period.id, lang, project)
            .await
            .map_err(super::describe)?,
    };
    let format = args.format.clone();
    let letterhead =
        msohub_docs::report::letterhead(services.letterhead(&cli).await.map_err(super::describe)?);
    // From the command line the HTML links no stylesheet: the file stands
    // alone.
    let file = tokio::task::spawn_blocking(move || {
        msohub_docs::report::render(report, &format, &[], Some(&letterhead))
    })
    .await??;
    match &args.output {
        Some(path) => {
            std::fs::write(path, &file.bytes)?;
            println!(
                "report for {} written to {} ({} bytes)",
                period.name,
                path.display(),
                file.bytes.len()
            );
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&file.bytes)?;
        }
    }
    Ok(())
}
