//! The current list (all pages, current filters) as a download: CSV for
//! German Excel and an XLSX workbook.

use super::query_from;
use crate::auth::CurrentUser;
use crate::{AppState, WebError};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use msohub_exchange::Cell;

const EXPORT_HEADERS: [&str; 18] = [
    "Name",
    "Art",
    "Rechtsform",
    "Registernummer",
    "Gründungsjahr",
    "Mitglieder",
    "Sprachen",
    "Themen",
    "Herkunft",
    "Straße",
    "PLZ",
    "Ort",
    "Stadtteil",
    "Website",
    "E-Mail",
    "Telefon",
    "Zuletzt geprüft",
    "ID",
];

/// Every organisation of the current list (all pages, current filters) as
/// typed cells, for the CSV and XLSX exports.
async fn export_rows(
    state: &AppState,
    actor: &msohub_service::Actor,
    raw: Option<&str>,
) -> Result<Vec<Vec<Cell>>, WebError> {
    let (mut q, _, _) = query_from(raw, msohub_service::organisations::MAX_PAGE);
    let mut rows = Vec::new();
    loop {
        let page = state.services.list_organisations(actor, &q).await?;
        for o in page.items {
            let text = |v: Option<String>| Cell::from(v.unwrap_or_default());
            rows.push(vec![
                Cell::from(o.name),
                Cell::from(o.kind),
                text(o.legal_status),
                text(o.register_number),
                Cell::from(o.founding_year),
                Cell::from(o.member_count),
                Cell::from(o.languages.join(", ")),
                Cell::from(o.topics.join(", ")),
                Cell::from(o.origins.join(", ")),
                text(o.street),
                text(o.postcode),
                text(o.city),
                text(o.district),
                text(o.website),
                text(o.email),
                text(o.phone),
                text(o.assured_at.map(|d| d.format("%Y-%m-%d").to_string())),
                Cell::from(o.id.to_string()),
            ]);
        }
        match page.next_cursor {
            Some(c) => q.cursor = Some(c),
            None => break,
        }
    }
    Ok(rows)
}

fn download(body: Vec<u8>, content_type: &'static str, disposition: &'static str) -> Response {
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static(disposition),
    );
    response
}

/// The current list as CSV for German Excel.
pub(super) async fn export_csv(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let rows = export_rows(&state, &actor, raw.as_deref()).await?;
    let text_rows = rows.into_iter().map(|row| {
        row.into_iter()
            .map(|c| match c {
                Cell::Text(s) => s,
                Cell::Number(n) => n.to_string(),
                Cell::Empty => String::new(),
            })
            .collect::<Vec<_>>()
    });
    let body = msohub_exchange::csv_table(
        &EXPORT_HEADERS,
        text_rows,
        msohub_exchange::CsvOptions::EXCEL_DE,
    );
    Ok(download(
        body,
        "text/csv; charset=utf-8",
        "attachment; filename=\"organisationen.csv\"",
    ))
}

/// The current list as an Excel workbook (typed cells, frozen header,
/// autofilter).
pub(super) async fn export_xlsx(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let rows = export_rows(&state, &actor, raw.as_deref()).await?;
    let body = msohub_exchange::xlsx_table("Organisationen", &EXPORT_HEADERS, &rows)
        .map_err(|e| WebError::Service(msohub_service::Error::Internal(Box::new(e))))?;
    Ok(download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "attachment; filename=\"organisationen.xlsx\"",
    ))
}
