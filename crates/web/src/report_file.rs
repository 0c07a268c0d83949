//! The web's side of the report's documents (rendered by `msohub-docs`): the
//! printable HTML links the app's stylesheets, PDF, DOCX and ODT carry the
//! office's letterhead, and comparisons run off the async threads.

use msohub_docs::report::{self as docs, DiffLine, ReportFile, ReportFileError};
use msohub_service::report::{Lang, Report};
use msohub_service::{Actor, Error, Services};
use std::sync::LazyLock;
use tokio::sync::Semaphore;
use uuid::Uuid;

/// The stylesheets the printable HTML links (the app's own, with their
/// content hashes).
fn stylesheets() -> Vec<String> {
    ["vendor/kern/kern.min.css", "msohub.css"]
        .iter()
        .map(|path| crate::assets::asset_url(path))
        .collect()
}

/// How many reports are rendered at once: one per core (at most four).
/// Each render holds its document, Typst's layout and the charts' pictures
/// while it runs; unbounded, the server's memory grew with the number of
/// downloads asked for at the same moment (`scripts/soak`: a few hundred MB
/// when requests queued on a busy machine), and the renders only competed
/// for the same cores. Further downloads wait here for their turn, without
/// holding a thread.
static RENDERS: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    Semaphore::new(cores.clamp(1, 4))
});

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
    let turn = RENDERS
        .acquire()
        .await
        .map_err(|e| Error::Internal(Box::new(e)))?;
    tokio::task::spawn_blocking(move || {
        // Held until the render ends, even when the request gave up waiting.
        let _turn = turn;
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
