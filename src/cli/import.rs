//! `msohub import organisations|persons|offers|events FILE [--profile NAME]
//! [--mapping JSON] [--on-match update|skip|create] [--dry-run]`: checks every
//! row of a CSV, XLSX or ODS file and imports all rows or none, with a
//! progress bar and a summary; problems are listed by row and column.

use indicatif::{ProgressBar, ProgressStyle};
use msohub_service::import::{ImportEntity, ImportOptions, OnMatch, Progress, Severity};
use msohub_service::{Actor, DatabaseUrl, Services};

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// organisations, persons, offers, events or needs.
    pub entity: String,
    /// The file: CSV (comma, semicolon or tab; UTF-8 or Windows-1252),
    /// XLSX or ODS.
    pub file: std::path::PathBuf,
    /// A saved column mapping (made in the import wizard or the API).
    #[arg(long)]
    pub profile: Option<String>,
    /// The mapping as JSON, field → column header, e.g. '{"name":"Verein"}'.
    #[arg(long)]
    pub mapping: Option<String>,
    /// What happens to rows that match an existing record: update (the
    /// default, or the profile's choice), skip or create.
    #[arg(long)]
    pub on_match: Option<String>,
    /// Check every row, write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub async fn run(database_url: &str, args: ImportArgs) -> anyhow::Result<()> {
    let entity: ImportEntity = args.entity.parse().map_err(|()| {
        anyhow::anyhow!(
            "cannot import {:?}; use one of {}",
            args.entity,
            ImportEntity::ALL.map(ImportEntity::as_str).join(", ")
        )
    })?;
    let on_match = match &args.on_match {
        None => None,
        Some(m) => Some(OnMatch::parse(m).ok_or_else(|| {
            anyhow::anyhow!("--on-match takes update, skip or create, not {m:?}")
        })?),
    };
    let mapping = match &args.mapping {
        None => None,
        Some(json) => Some(serde_json::from_str(json).map_err(|e| {
            anyhow::anyhow!("--mapping must be a JSON object of field → column header: {e}")
        })?),
    };
    let size = std::fs::metadata(&args.file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", args.file.display()))?
        .len();
    if size > msohub_service::import::MAX_FILE_BYTES {
        anyhow::bail!(
            "{} is {} MB; an import takes at most {} MB",
            args.file.display(),
            size >> 20,
            msohub_service::import::MAX_FILE_BYTES >> 20
        );
    }
    let bytes = std::fs::read(&args.file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", args.file.display()))?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = ImportOptions {
        mapping,
        profile: args.profile.clone(),
        on_match,
        dry_run: args.dry_run,
    };
    let services = Services::open(&DatabaseUrl::parse(database_url)?, true).await?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:10} [{bar:40}] {pos}/{len} rows ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let progress = |p: Progress| match p {
        Progress::Checking { done, total } => {
            bar.set_message("checking");
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
        Progress::Writing { done, total } => {
            bar.set_message("writing");
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let started = std::time::Instant::now();
    let result = services
        .import(&Actor::cli(), entity, &name, &bytes, &options, &progress)
        .await
        .map_err(super::describe);
    bar.finish_and_clear();
    services.close().await;
    let report = result?;
    let mut mapped: Vec<String> = report
        .mapping
        .iter()
        .map(|(field, header)| format!("{header} → {field}"))
        .collect();
    mapped.sort();
    eprintln!(
        "{} ({}{}): {} rows; columns: {}",
        report.file_name,
        report.format,
        if report.encoding.is_empty() {
            String::new()
        } else {
            format!(", {}", report.encoding)
        },
        report.rows,
        mapped.join(", ")
    );
    for p in &report.problems {
        let place = match (&p.column, &p.header) {
            (Some(c), Some(h)) => format!(", column {c} ({h})"),
            (Some(c), None) => format!(", column {c}"),
            _ => String::new(),
        };
        let kind = match p.severity {
            Severity::Error => "error",
            Severity::Warning => "note",
        };
        eprintln!(
            "row {}{place}: {kind}: {}",
            p.row,
            msohub_docs::import::problem_text(
                &msohub_i18n::Tr::new(msohub_domain::Language::De),
                p
            )
        );
    }
    let listed = report.problems.len();
    if report.errors + report.warnings > listed {
        eprintln!(
            "… and {} more problems",
            report.errors + report.warnings - listed
        );
    }
    let seconds = started.elapsed().as_secs_f64();
    if report.has_errors() {
        anyhow::bail!(
            "{} errors in {}: nothing was imported",
            report.errors,
            report.file_name
        );
    }
    if report.committed {
        eprintln!(
            "imported {}: {} created, {} updated, {} skipped ({seconds:.1} s)",
            entity.as_str(),
            report.create,
            report.update,
            report.skip
        );
    } else {
        eprintln!(
            "dry run, nothing written: {} would be created, {} updated, {} skipped ({seconds:.1} s)",
            report.create, report.update, report.skip
        );
    }
    Ok(())
}
