//! `msohub survey export ID [--format xlsx|csv] --output FILE`: every answer
//! of a survey (one row per organisation it went to, one column per
//! question), as the survey's page and the API give it; `msohub survey
//! links ID`: every organisation's personal link, one per line (name, tab,
//! link), for offices that pass links on by hand. Both are recorded in the
//! audit log.

use msohub_service::surveys::results::AnswersFormat;
use msohub_service::{Actor, DatabaseUrl, Services};
use uuid::Uuid;

#[derive(Debug, clap::Subcommand)]
pub enum SurveyCommand {
    /// Write every answer of a survey as XLSX or CSV.
    Export {
        /// The survey's id.
        id: Uuid,
        /// xlsx or csv (German Excel: semicolon, byte order mark).
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// The file to write (it must not exist yet).
        #[arg(long)]
        output: std::path::PathBuf,
    },
    /// Print every organisation's personal link to a sent survey.
    Links {
        /// The survey's id.
        id: Uuid,
    },
}

pub async fn run(database_url: &str, command: SurveyCommand) -> anyhow::Result<()> {
    let services = Services::open(&DatabaseUrl::parse(database_url)?, true).await?;
    let result = match command {
        SurveyCommand::Export { id, format, output } => {
            export(&services, id, &format, &output).await
        }
        SurveyCommand::Links { id } => links(&services, id).await,
    };
    services.close().await;
    result
}

async fn export(
    services: &Services,
    id: Uuid,
    format: &str,
    output: &std::path::Path,
) -> anyhow::Result<()> {
    let format = AnswersFormat::parse(format)
        .ok_or_else(|| anyhow::anyhow!("unknown format {format:?}; use xlsx or csv"))?;
    let (_, bytes) = services
        .export_survey_answers(&Actor::cli(), id, format)
        .await
        .map_err(super::describe)?;
    use std::io::Write;
    let mut file = super::private_file(output)?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    eprintln!("{} bytes written to {}", bytes.len(), output.display());
    Ok(())
}

async fn links(services: &Services, id: Uuid) -> anyhow::Result<()> {
    let links = services
        .survey_links(&Actor::cli(), id)
        .await
        .map_err(super::describe)?;
    for l in links {
        println!("{}\t{}", l.organisation, l.link);
    }
    Ok(())
}
