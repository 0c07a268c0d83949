//! The yearly report as a file: HTML (the printable page), Markdown, PDF
//! (typst), DOCX, ODT or JSON; the page's HTML fragment with its charts;
//! and the differences between two versions. One place, used by the API,
//! the staff pages and `msohub report`.

mod charts;
mod diff;
mod document;
mod needs;

pub use charts::{attendance_chart, chart_caption, contacts_chart};
pub use diff::{DiffLine, MAX_DIFF_BYTES, MAX_DIFF_LINES, diff, diff_lines};
pub use document::{document, markdown};

use askama::Template;
use msohub_exchange::document::Page;
pub use msohub_exchange::document::{Image, Letterhead};
use msohub_service::report::{Lang, Report};

/// The formats a report can be downloaded in.
pub const FORMATS: [&str; 6] = ["html", "md", "pdf", "docx", "odt", "json"];

pub struct ReportFile {
    pub content_type: &'static str,
    /// e.g. "sachbericht-2020-21.pdf"
    pub file_name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportFileError {
    #[error("unknown format {0:?}; use html, md, pdf, docx, odt or json")]
    UnknownFormat(String),
    #[error("the PDF could not be typeset: {0}")]
    Pdf(String),
    #[error("the document could not be packaged: {0}")]
    Package(String),
    #[error("the HTML could not be rendered: {0}")]
    Html(String),
}

#[derive(Template)]
#[template(path = "report/body.html")]
struct BodyTemplate<'a> {
    report: &'a Report,
    frozen_at: String,
    /// One project's chapter (no table of contents, no overall part).
    one: bool,
    /// The tag of the headings inside a chapter.
    h: &'static str,
    period_line: String,
    signature: String,
    /// Per chapter: its chart with the figures behind it.
    charts: Vec<Option<ChartView>>,
    /// Per chapter: the attendance chart of its bodies.
    chapter_attendance: Vec<String>,
    attendance_svg: String,
    needs: Option<needs::NeedsView>,
}

struct ChartView {
    caption: String,
    svg: String,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "report/document.html")]
struct DocumentTemplate<'a> {
    report: &'a Report,
    stylesheets: &'a [String],
    body: String,
}

/// The report as an HTML fragment (an `<article>` with its charts and
/// tables), for the staff page and the printable document.
pub fn html_body(report: &Report) -> Result<String, ReportFileError> {
    let frozen_at = report
        .frozen_at
        .map(|at| {
            let local = at.with_timezone(&chrono_tz::Europe::Berlin);
            match report.lang {
                Lang::De => local.format("%d.%m.%Y %H:%M").to_string(),
                Lang::En => local.format("%Y-%m-%d %H:%M").to_string(),
            }
        })
        .unwrap_or_default();
    let lang = report.lang;
    let one = report.project.is_some();
    BodyTemplate {
        report,
        frozen_at,
        one,
        h: if one { "h2" } else { "h3" },
        period_line: document::period_line(report),
        signature: document::signature_line(report),
        charts: report
            .chapters
            .iter()
            .map(|c| {
                (!c.per_month.is_empty() && !c.chart_counts.is_empty()).then(|| {
                    let (columns, rows) = document::chart_table(c, lang);
                    ChartView {
                        caption: chart_caption(c, lang),
                        svg: contacts_chart(c, lang),
                        columns,
                        rows,
                    }
                })
            })
            .collect(),
        chapter_attendance: report
            .chapters
            .iter()
            .map(|c| attendance_chart(&c.meetings, lang))
            .collect(),
        attendance_svg: attendance_chart(&report.meetings, lang),
        needs: report.needs.as_ref().map(|n| needs::view(n, lang)),
    }
    .render()
    .map_err(|e| ReportFileError::Html(e.to_string()))
}

/// The report as a standalone, printable HTML document linking the given
/// stylesheets (none: unstyled, e.g. from the command line).
pub fn html_document(report: &Report, stylesheets: &[String]) -> Result<String, ReportFileError> {
    DocumentTemplate {
        report,
        stylesheets,
        body: html_body(report)?,
    }
    .render()
    .map_err(|e| ReportFileError::Html(e.to_string()))
}

/// Renders a report. PDF typesetting takes CPU time: call it off the async
/// threads (`spawn_blocking`). `stylesheets`: what the HTML document links;
/// `letterhead`: the office's name and logo heading the PDF, DOCX and ODT
/// (whose footers carry the report's title and the page numbers).
pub fn render(
    report: Report,
    format: &str,
    stylesheets: &[String],
    letterhead: Option<&Letterhead>,
) -> Result<ReportFile, ReportFileError> {
    let stem = match report.lang {
        Lang::De => "sachbericht",
        Lang::En => "annual-report",
    };
    let file_name = |ext: &str| {
        let version = report
            .frozen_version
            .map(|v| format!("-v{v}"))
            .unwrap_or_default();
        format!(
            "{stem}-{}{version}.{ext}",
            report.period.name.replace(['/', ' '], "-")
        )
    };
    let (content_type, ext, bytes) = match format {
        "html" => (
            "text/html; charset=utf-8",
            "html",
            html_document(&report, stylesheets)?.into_bytes(),
        ),
        "md" => (
            "text/markdown; charset=utf-8",
            "md",
            markdown(&report).into_bytes(),
        ),
        "json" => (
            "application/json",
            "json",
            serde_json::to_vec_pretty(&report).unwrap_or_default(),
        ),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            msohub_exchange::document::docx_framed(
                &document(&report),
                &page(&report, letterhead),
                &|svg, px| msohub_typeset::svg_png(svg, px).ok(),
            )
            .map_err(|e| ReportFileError::Package(e.to_string()))?,
        ),
        "odt" => (
            "application/vnd.oasis.opendocument.text",
            "odt",
            msohub_exchange::document::odt_framed(&document(&report), &page(&report, letterhead))
                .map_err(|e| ReportFileError::Package(e.to_string()))?,
        ),
        "pdf" => (
            "application/pdf",
            "pdf",
            msohub_typeset::framed_pdf(&document(&report), &page(&report, letterhead))
                .map_err(|e| ReportFileError::Pdf(e.to_string()))?,
        ),
        other => return Err(ReportFileError::UnknownFormat(other.to_owned())),
    };
    Ok(ReportFile {
        content_type,
        file_name: file_name(ext),
        bytes,
    })
}

/// The office's letterhead as the documents carry it.
pub fn letterhead(l: msohub_service::office::Letterhead) -> Letterhead {
    Letterhead {
        name: l.name,
        logo: l.logo.map(|f| Image {
            bytes: f.data,
            mime: f.content_type,
        }),
    }
}

/// What frames the report's pages: the letterhead, and the title in the
/// footer. A logo the writers cannot embed (WebP) is drawn as PNG first;
/// one that cannot be read is left out.
fn page(report: &Report, letterhead: Option<&Letterhead>) -> Page {
    let letterhead = letterhead.map(|l| Letterhead {
        name: l.name.clone(),
        logo: l.logo.as_ref().and_then(|logo| {
            if logo.extension().is_some() && logo.size().is_some() {
                return Some(logo.clone());
            }
            msohub_typeset::image_png(&logo.bytes, &logo.mime)
                .ok()
                .map(|bytes| Image {
                    bytes,
                    mime: "image/png".into(),
                })
        }),
    });
    Page {
        letterhead,
        footer: Some(report.title.clone()),
    }
}
