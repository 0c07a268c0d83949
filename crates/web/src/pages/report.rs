//! The yearly report of a period: `/app/periods/{id}/report` (the report
//! in the staff area, printable), its editable texts, and the downloads
//! (`/api/v1/periods/{id}/report?format=html|md|json`).

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::pages::organisations::query_param;
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::RawQuery;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_service::Actor;
use msohub_service::report::{Lang, Report, ReportTexts, ReportVersion};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/periods", list)
        .get("/app/periods/{id}/report", show)
        .get("/app/periods/{id}/report/edit", edit)
        .post("/app/periods/{id}/report/edit", save)
        .post("/app/periods/{id}/report/versions", finalise)
        .get("/app/periods/{id}/report/versions/{number}", show_version)
        .get("/app/periods/{id}/report/diff", diff)
}

/// The report's language: `?lang=` or the page's.
fn report_lang(raw: Option<&str>, page: &PageContext) -> Lang {
    match query_param(raw, "lang") {
        Some(l) => Lang::parse(&l),
        None => Lang::parse(page.lang.code()),
    }
}

#[derive(Template)]
#[template(path = "report/show.html")]
struct ShowTemplate {
    page: PageContext,
    report: Report,
    /// The report itself, rendered by `msohub-docs`.
    report_html: String,
    /// Where downloads of this report are (live or a version).
    download_base: String,
    /// `&project=…` for the downloads of one chapter, else empty.
    project_query: String,
    /// The chapters one can pick: (id, name), and this page's address.
    projects: Vec<(Uuid, String)>,
    here: String,
    versions: Vec<ReportVersion>,
    can_write: bool,
    notice: Option<String>,
    other_lang: &'static str,
}

async fn show_report(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Uuid,
    number: Option<i32>,
    raw: Option<&str>,
) -> Result<Response, WebError> {
    let mut page = super::staff_page(state, parts, actor, "report-title").await;
    let lang = report_lang(raw, &page);
    let project = crate::api::targets_project_param(raw)?;
    let report = match number {
        Some(n) => {
            let r = state.services.report_version(actor, id, n, lang).await?;
            match project {
                Some(p) => r.chapter_of(p)?,
                None => r,
            }
        }
        None => state.services.report(actor, id, lang, project).await?,
    };
    let projects = match number {
        Some(n) => state
            .services
            .report_version(actor, id, n, lang)
            .await?
            .chapters
            .iter()
            .map(|c| (c.project.id, c.project.name.clone()))
            .collect(),
        None => state
            .services
            .projects(actor)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect(),
    };
    let versions = state.services.report_versions(actor, id).await?;
    page.title = report.title.clone();
    let notice = crate::forms::done_notice(page.tr, query_param(raw, "done").as_deref());
    let download_base = match number {
        Some(n) => format!("/api/v1/periods/{id}/report/versions/{n}"),
        None => format!("/api/v1/periods/{id}/report"),
    };
    Ok(render(
        StatusCode::OK,
        &ShowTemplate {
            page,
            report_html: crate::report_file::html_body(&report)?,
            project_query: project.map(|p| format!("&project={p}")).unwrap_or_default(),
            projects,
            here: match number {
                Some(n) => format!("/app/periods/{id}/report/versions/{n}"),
                None => format!("/app/periods/{id}/report"),
            },
            report,
            download_base,
            versions,
            can_write: actor.can(Permission::WriteStaffArea) && number.is_none(),
            notice,
            other_lang: match lang {
                Lang::De => "en",
                Lang::En => "de",
            },
        },
    ))
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    show_report(&state, &parts, &actor, id, None, raw.as_deref()).await
}

async fn show_version(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path((id, number)): Path<(Uuid, i32)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    show_report(&state, &parts, &actor, id, Some(number), raw.as_deref()).await
}

async fn finalise(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let note = body
        .iter()
        .find(|(k, _)| k == "note")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let v = state.services.finalise_report(&actor, id, note).await?;
    Ok(Redirect::to(&format!(
        "/app/periods/{id}/report/versions/{}?done=report-finalised",
        v.number
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "report/diff.html")]
struct DiffTemplate {
    page: PageContext,
    period: msohub_service::targets::Period,
    from: i32,
    to: Option<i32>,
    lines: Vec<msohub_docs::report::DiffLine>,
    changes: usize,
}

async fn diff(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    actor.require(Permission::ReadStaffArea)?;
    let raw = raw.as_deref();
    let page = super::staff_page(&state, &parts, &actor, "report-diff-title").await;
    let lang = report_lang(raw, &page);
    let from = query_param(raw, "from")
        .and_then(|v| v.parse().ok())
        .ok_or(msohub_service::Error::NotFound)?;
    let to = query_param(raw, "to").and_then(|v| v.parse().ok());
    let period = state.services.get_period(&actor, id).await?;
    let lines = crate::report_file::diff(&state.services, &actor, id, from, to, lang).await?;
    let changes = lines.iter().filter(|l| l.change != "same").count();
    Ok(render(
        StatusCode::OK,
        &DiffTemplate {
            page,
            period,
            from,
            to,
            lines,
            changes,
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
    /// Sent surveys (id, title) the needs section can show.
    surveys: Vec<(String, String)>,
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
    let report = state.services.report(actor, id, Lang::De, None).await?;
    let texts = match texts {
        Some(t) => t,
        None => state.services.report_texts(actor, id).await?,
    };
    let page = super::staff_page(state, parts, actor, "report-edit-title").await;
    let surveys = state
        .services
        .list_surveys(actor)
        .await?
        .into_iter()
        .filter(|s| s.sent_at.is_some())
        .map(|s| {
            let title = msohub_service::surveys::Survey::text(&s.title, "de")
                .0
                .to_owned();
            (s.id.to_string(), title)
        })
        .collect();
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
            surveys,
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
            "dated" => texts.dated = v,
            "author" => texts.author = v,
            "staff_names" => texts.staff_names = v,
            "needs_include" => texts.needs.include = matches!(v.as_str(), "on" | "true" | "1"),
            "needs_survey" => texts.needs.surveys.push(v),
            "version" => texts.version = v.parse().unwrap_or(-1),
            _ => {
                if let Some(t) = k.strip_prefix("narrative:") {
                    texts.narratives.insert(t.to_owned(), v);
                } else if let Some(p) = k.strip_prefix("chapter-introduction:") {
                    texts.chapters.entry(p.to_owned()).or_default().introduction = v;
                } else if let Some(p) = k.strip_prefix("chapter-outlook:") {
                    texts.chapters.entry(p.to_owned()).or_default().outlook = v;
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

/// One period on the list of reports, with its finalised versions.
struct PeriodReports {
    period: msohub_service::targets::Period,
    versions: Vec<ReportVersion>,
}

#[derive(Template)]
#[template(path = "report/list.html")]
struct ListTemplate {
    page: PageContext,
    periods: Vec<PeriodReports>,
}

/// `/app/periods` ("Sachberichte"): every period's report, the live draft
/// and the finalised versions, newest period first.
async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    let mut periods = Vec::new();
    for period in state.services.periods(&actor).await? {
        let versions = state.services.report_versions(&actor, period.id).await?;
        periods.push(PeriodReports { period, versions });
    }
    periods.sort_by_key(|p| std::cmp::Reverse(p.period.starts_on));
    let page = super::staff_page(&state, &parts, &actor, "reports-title").await;
    Ok(render(StatusCode::OK, &ListTemplate { page, periods }))
}
