//! The yearly report as a file: HTML (the printable page), Markdown, PDF
//! (typst), DOCX, ODT or JSON. One place, used by the API, the staff pages
//! and `msohub report`.

use msohub_service::report::{Report, document};

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
}

/// Renders a report. PDF typesetting takes CPU time: call it off the async
/// threads (`spawn_blocking`).
pub fn render(report: Report, format: &str) -> Result<ReportFile, ReportFileError> {
    let stem = match report.lang {
        msohub_service::report::Lang::De => "sachbericht",
        msohub_service::report::Lang::En => "annual-report",
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
            crate::api::targets_document(report.clone()).into_bytes(),
        ),
        "md" => (
            "text/markdown; charset=utf-8",
            "md",
            msohub_service::report::markdown(&report).into_bytes(),
        ),
        "json" => (
            "application/json",
            "json",
            serde_json::to_vec_pretty(&report).unwrap_or_default(),
        ),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            msohub_exchange::document::docx(&document(&report))
                .map_err(|e| ReportFileError::Package(e.to_string()))?,
        ),
        "odt" => (
            "application/vnd.oasis.opendocument.text",
            "odt",
            msohub_exchange::document::odt(&document(&report))
                .map_err(|e| ReportFileError::Package(e.to_string()))?,
        ),
        "pdf" => (
            "application/pdf",
            "pdf",
            msohub_typeset::document_pdf(&document(&report))
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
