//! The yearly report of a period: `/app/periods/{id}/report` (the report
//! in the staff area, printable), its editable texts, and the downloads
//! (`/api/v1/periods/{id}/report?format=html|md|json`).

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_service::Actor;
use msohub_service::report::{Report, ReportTexts};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/periods/{id}/report", show)
        .get("/app/periods/{id}/report/edit", edit)
        .post("/app/periods/{id}/report/edit", save)
}

/// One bar of the contacts chart.
pub struct MonthBar {
    pub label: String,
    pub held: u32,
    pub cancelled: u32,
    pub x: usize,
    pub held_height: u32,
    pub cancelled_height: u32,
}

pub fn month_bars(r: &Report) -> Vec<MonthBar> {
    let max = r
        .contacts_per_month
        .iter()
        .map(|m| m.held + m.cancelled)
        .max()
        .unwrap_or(0)
        .max(1);
    r.contacts_per_month
        .iter()
        .enumerate()
        .map(|(i, m)| MonthBar {
            label: m.month.clone(),
            held: m.held,
            cancelled: m.cancelled,
            x: i * 30 + 10,
            held_height: m.held * 100 / max,
            cancelled_height: m.cancelled * 100 / max,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "report/show.html")]
struct ShowTemplate {
    page: PageContext,
    report: Report,
    bars: Vec<MonthBar>,
    can_write: bool,
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let report = state.services.report(&actor, id).await?;
    let mut page = super::staff_page(&state, &parts, &actor, "report-title").await;
    page.title = report.title.clone();
    let bars = month_bars(&report);
    Ok(render(
        StatusCode::OK,
        &ShowTemplate {
            page,
            report,
            bars,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

#[derive(Template)]
#[template(path = "report/edit.html")]
struct EditTemplate {
    page: PageContext,
    report: Report,
    texts: ReportTexts,
    errors: FormErrors,
}

async fn edit_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Uuid,
    texts: Option<ReportTexts>,
    errors: Vec<msohub_service::FieldError>,
    stale: bool,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let report = state.services.report(actor, id).await?;
    let texts = match texts {
        Some(t) => t,
        None => state.services.report_texts(actor, id).await?,
    };
    let page = super::staff_page(state, parts, actor, "report-edit-title").await;
    let mut form_errors = FormErrors::fields(page.tr, errors);
    if stale {
        form_errors.general = Some(page.tr.t("record-stale"));
    }
    let status = if form_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &EditTemplate {
            page,
            report,
            texts,
            errors: form_errors,
        },
    ))
}

async fn edit(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    edit_page(&state, &parts, &actor, id, None, Vec::new(), false).await
}

async fn save(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let mut texts = ReportTexts::default();
    for (k, v) in body {
        match k.as_str() {
            "title" => texts.title = v,
            "introduction" => texts.introduction = v,
            "outlook" => texts.outlook = v,
            "place" => texts.place = v,
            "author" => texts.author = v,
            "version" => texts.version = v.parse().unwrap_or(-1),
            _ => {
                if let Some(t) = k.strip_prefix("narrative:") {
                    texts.narratives.insert(t.to_owned(), v);
                }
            }
        }
    }
    match state.services.save_report_texts(&actor, id, &texts).await {
        Ok(_) => Ok(Redirect::to(&format!("/app/periods/{id}/report")).into_response()),
        Err(msohub_service::Error::Validation(f)) => {
            edit_page(&state, &parts, &actor, id, Some(texts), f, false).await
        }
        Err(msohub_service::Error::Conflict(_)) => {
            edit_page(&state, &parts, &actor, id, None, Vec::new(), true).await
        }
        Err(e) => Err(e.into()),
    }
}
