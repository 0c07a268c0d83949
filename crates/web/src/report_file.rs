//! The web's side of the report's documents (rendered by `msohub-docs`): the
//! printable HTML links the app's stylesheets, PDF, DOCX and ODT carry the
//! office's letterhead, and comparisons run off the async threads.

use msohub_docs::report::{self as docs, DiffLine, ReportFile, ReportFileError};
use msohub_service::report::{Lang, Report};
use msohub_service::{Actor, Error, Services};
use uuid::Uuid;

/// The stylesheets the printable HTML links (the app's own, with their
/// content hashes).
fn stylesheets() -> Vec<String> {
    ["vendor/kern/kern.min.css", "msohub.css"]
        .iter()
        .map(|path| crate::assets::asset_url(path))
        .collect()
}

/// Renders a report off the async threads (PDF typesetting takes CPU time);
/// PDF, DOCX and ODT headed by the office's letterhead.
pub async fn render(
    services: &Services,
    actor: &Actor,
    report: Report,
    format: String,
) -> Result<ReportFile, Error> {
    let letterhead = match format.as_str() {
        "pdf" | "docx" | "odt" => Some(docs::letterhead(services.letterhead(actor).await?)),
        _ => None,
    };
    tokio::task::spawn_blocking(move || {
        docs::render(report, &format, &stylesheets(), letterhead.as_ref())
    })
    .await
    .map_err(|e| Error::Internal(Box::new(e)))?
    .map_err(|e: ReportFileError| Error::Internal(Box::new(e)))
}

/// The report's HTML fragment for a page.
pub fn html_body(report: &Report) -> Result<String, Error> {
    docs::html_body(report).map_err(|e| Error::Internal(Box::new(e)))
}

/// The differences between a version and another (or the report as
/// generated now), line by line; refused when too large to compare.
pub async fn diff(
    services: &Services,
    actor: &Actor,
    period: Uuid,
    from: i32,
    to: Option<i32>,
    lang: Lang,
) -> Result<Vec<DiffLine>, Error> {
    let (old, new) = services.report_pair(actor, period, from, to, lang).await?;
    // Off the async workers: a large diff must not stall other requests.
    tokio::task::spawn_blocking(move || docs::diff(&old, &new))
        .await
        .map_err(|e| Error::Internal(Box::new(e)))?
        .ok_or_else(|| Error::field("versions", "diff-too-large"))
}
