//! The command line: one file per subcommand. Every setting is both a flag and
//! an `MSOHUB_*` environment variable; `msohub --help` lists them.

mod backup;
mod demo;
mod export;
mod import;
mod invite;
mod migrate;
mod oparl;
mod reindex;
mod report;
mod serve;
mod survey;
mod token;
mod user;

use clap::{Parser, Subcommand};

pub use serve::ServeArgs;

/// Default database: an SQLite file under `./data`, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/msohub.db";

#[derive(Debug, Parser)]
#[command(
    name = "msohub",
    version,
    about = "Coordination hub between a municipal integration centre and the migrant self-organisations of its city",
    propagate_version = true
)]
pub struct Cli {
    /// Database: `sqlite://path/to/file.db` (created if missing) or
    /// `postgres://user:password@host:port/dbname`.
    #[arg(long, env = "MSOHUB_DATABASE_URL", global = true, default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,

    /// Log filter, e.g. `info`, `debug`, `msohub=debug,info`.
    #[arg(long, env = "MSOHUB_LOG", global = true, default_value = "info")]
    pub log: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (migrates the database first).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo data set (a fictional mid-sized city) into an empty database.
    Demo(demo::DemoArgs),
    /// Manage user accounts.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Manage personal API tokens.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Write the yearly report of a period.
    Report(report::ReportArgs),
    /// Export every record of one type as CSV, XLSX or JSON.
    Export(export::ExportArgs),
    /// Import organisations, persons, offers, events or needs from CSV, XLSX or ODS.
    Import(import::ImportArgs),
    /// Write the whole database as a portable archive (while the app runs).
    Backup(backup::BackupArgs),
    /// Restore an archive into a new, empty database (or check one: --check).
    Restore(backup::RestoreArgs),
    /// Invite a contact person into the MSO portal for their organisation.
    Invite(invite::InviteArgs),
    /// Import from a council information system (OParl).
    #[command(subcommand)]
    Oparl(oparl::OparlCommand),
    /// Export a survey's answers, or list its personal links.
    #[command(subcommand)]
    Survey(survey::SurveyCommand),
    /// Build the search indexes anew from the database (server stopped).
    Reindex(reindex::ReindexArgs),
}

/// Runs the chosen subcommand.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve::run(&cli.database_url, args).await,
        Command::Migrate => migrate::run(&cli.database_url).await,
        Command::Demo(args) => demo::run(&cli.database_url, args).await,
        Command::User(command) => user::run(&cli.database_url, command).await,
        Command::Token(command) => token::run(&cli.database_url, command).await,
        Command::Invite(args) => invite::run(&cli.database_url, args).await,
        Command::Oparl(command) => oparl::run(&cli.database_url, command).await,
        Command::Report(args) => report::run(&cli.database_url, args).await,
        Command::Export(args) => export::run(&cli.database_url, args).await,
        Command::Import(args) => import::run(&cli.database_url, args).await,
        Command::Backup(args) => backup::backup(&cli.database_url, args).await,
        Command::Restore(args) => backup::restore(&cli.database_url, args).await,
        Command::Reindex(args) => reindex::run(&cli.database_url, args).await,
        Command::Survey(command) => survey::run(&cli.database_url, command).await,
    }
}

/// Creates a new file only its owner can read (backups and exports hold
/// personal data and secrets); an existing file is not replaced.
pub(crate) fn private_file(path: &std::path::Path) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))
}

/// A service error as one line for the operator.
pub(crate) fn describe(err: msohub_service::Error) -> anyhow::Error {
    match err {
        msohub_service::Error::Validation(fields) => anyhow::anyhow!(
            "invalid input: {}",
            fields
                .iter()
                .map(|f| format!("{} ({})", f.field, f.rule))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        msohub_service::Error::NotFound => anyhow::anyhow!("no such record"),
        other => anyhow::Error::new(other),
    }
}
