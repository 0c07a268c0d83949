//! Needs in the staff area (`/app/needs`): the overview by category and
//! status with a chart, the list with filters, a need's page and forms.

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::page::{PageContext, encode_query, render};
use crate::pages::organisations::{pairs, query_param};
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_domain::work::{NeedSource, NeedStatus};
use msohub_service::Actor;
use msohub_service::interactions::Ref;
use msohub_service::needs::{Need, NeedInput, NeedQuery};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/needs", list)
        .post("/app/needs", create)
        .get("/app/needs/new", new_form)
        .get("/app/needs/{id}", show)
        .post("/app/needs/{id}", update)
        .get("/app/needs/{id}/edit", edit_form)
        .post("/app/needs/{id}/delete", delete)
}

/// The list query from the URL (shared with the API).
pub fn need_query(raw: Option<&str>, limit: u64) -> Result<NeedQuery, msohub_service::Error> {
    let mut q = NeedQuery {
        limit,
        ..NeedQuery::default()
    };
    let bad = |f: &str| msohub_service::Error::field(f, "filter-invalid");
    for (k, v) in pairs(raw) {
        if v.is_empty() {
            continue;
        }
        match k.as_str() {
            "status" => q.statuses.push(
                NeedStatus::parse(&v)
                    .map_err(|_| bad("status"))?
                    .code()
                    .to_owned(),
            ),
            "category" => q.categories.push(v),
            "source" => q.sources.push(
                msohub_domain::work::NeedSource::parse(&v)
                    .map_err(|_| bad("source"))?
                    .code()
                    .to_owned(),
            ),
            "raised_from" | "raised_to" | "resolved_from" | "resolved_to" => {
                let day = msohub_service::time::parse_date(&v).ok_or_else(|| bad(&k))?;
                match k.as_str() {
                    "raised_from" => q.raised_from = Some(day),
                    "raised_to" => q.raised_to = Some(day),
                    "resolved_from" => q.resolved_from = Some(day),
                    _ => q.resolved_to = Some(day),
                }
            }
            "organisation" => q.organisation = Some(v.parse().map_err(|_| bad("organisation"))?),
            "deleted" => q.deleted = true,
            "cursor" => q.cursor = Some(v),
            "limit" => q.limit = v.parse().map_err(|_| bad("limit"))?,
            _ => {}
        }
    }
    Ok(q)
}

/// One bar of the chart: a category, its total and its parts by status.
pub struct Bar {
    pub label: String,
    pub code: String,
    pub total: i64,
    /// (status, count, x offset %, width %)
    pub parts: Vec<(&'static str, i64, f64, f64)>,
}

#[derive(Template)]
#[template(path = "needs/list.html")]
struct ListTemplate {
    page: PageContext,
    items: Vec<Need>,
    total: u64,
    next_page: Option<String>,
    bars: Vec<Bar>,
    statuses: Vec<(&'static str, String, bool)>,
    categories: Vec<(String, String, bool)>,
    organisation: Option<Ref>,
    can_write: bool,
    labels: std::collections::HashMap<String, String>,
    /// The date filters as given (YYYY-MM-DD or empty).
    dates: NeedDates,
}

/// The needs list's date filters, as the form shows them again.
#[derive(Default)]
struct NeedDates {
    raised_from: String,
    raised_to: String,
    resolved_from: String,
    resolved_to: String,
}

pub(super) fn label(tr: crate::i18n::Tr, t: &msohub_service::organisations::Term) -> String {
    if tr.lang == msohub_domain::Language::En {
        t.label_en.clone()
    } else {
        t.label_de.clone()
    }
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let q = need_query(raw.as_deref(), 50)?;
    let result = state.services.list_needs(&actor, &q).await?;
    let overview = state.services.need_overview(&actor).await?;
    let page = super::staff_page(&state, &parts, &actor, "needs-title").await;
    let tr = page.tr;
    let terms = state.services.terms("need_category").await?;
    let labels: std::collections::HashMap<String, String> = terms
        .iter()
        .map(|t| (t.code.clone(), label(tr, t)))
        .collect();
    let max = overview
        .counts
        .values()
        .map(|m| m.values().sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = terms
        .iter()
        .filter_map(|t| {
            let by_status = overview.counts.get(&t.code)?;
            let total: i64 = by_status.values().sum();
            let mut x = 0.0;
            let parts = NeedStatus::ALL
                .iter()
                .filter_map(|s| {
                    let n = *by_status.get(s.code())?;
                    let w = n as f64 / max as f64 * 100.0;
                    let part = (s.code(), n, x, w);
                    x += w;
                    Some(part)
                })
                .collect();
            Some(Bar {
                label: label(tr, t),
                code: t.code.clone(),
                total,
                parts,
            })
        })
        .collect();
    let kept: Vec<String> = pairs(raw.as_deref())
        .into_iter()
        .filter(|(k, v)| k != "cursor" && !v.is_empty())
        .map(|(k, v)| format!("{}={}", encode_query(&k), encode_query(&v)))
        .collect();
    let next_page = result
        .next_cursor
        .map(|c| format!("/app/needs?{}&cursor={c}", kept.join("&")));
    let statuses = NeedStatus::ALL
        .iter()
        .map(|s| {
            (
                s.code(),
                tr.t(&format!("need-status-{}", s.code())),
                q.statuses.iter().any(|x| x == s.code()),
            )
        })
        .collect();
    let categories = terms
        .iter()
        .map(|t| (t.code.clone(), label(tr, t), q.categories.contains(&t.code)))
        .collect();
    let organisation = match q.organisation {
        Some(id) => Some(Ref {
            id,
            name: state.services.get_organisation(&actor, id).await?.name,
        }),
        None => None,
    };
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            page,
            items: result.items,
            total: result.total,
            next_page,
            bars,
            statuses,
            categories,
            organisation,
            can_write: actor.can(Permission::WriteStaffArea),
            labels,
            dates: NeedDates {
                raised_from: day(q.raised_from),
                raised_to: day(q.raised_to),
                resolved_from: day(q.resolved_from),
                resolved_to: day(q.resolved_to),
            },
        },
    ))
}

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "needs/form.html")]
struct FormTemplate {
    page: PageContext,
    id: Option<Uuid>,
    input: NeedInput,
    errors: FormErrors,
    organisations: Vec<(String, String, bool)>,
    categories: Vec<(String, String, bool)>,
    sources: Vec<(&'static str, String, bool)>,
    statuses: Vec<(&'static str, String, bool)>,
    urgencies: Vec<(&'static str, String, bool)>,
}

async fn form_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Option<Uuid>,
    input: NeedInput,
    errors: Vec<msohub_service::FieldError>,
    stale: bool,
) -> Result<Response, WebError> {
    let page = super::staff_page(
        state,
        parts,
        actor,
        if id.is_some() {
            "need-edit-title"
        } else {
            "need-new-title"
        },
    )
    .await;
    let tr = page.tr;
    let mut organisations: Vec<(String, String, bool)> = state
        .services
        .organisation_names(actor, 5_000)
        .await?
        .into_iter()
        .map(|r| {
            let selected = r.id.to_string() == input.organisation_id;
            (r.id.to_string(), r.name, selected)
        })
        .collect();
    organisations.insert(
        0,
        (
            String::new(),
            tr.t("choose"),
            input.organisation_id.is_empty(),
        ),
    );
    let mut categories: Vec<(String, String, bool)> = state
        .services
        .terms("need_category")
        .await?
        .iter()
        .filter(|t| !t.retired || t.code == input.category)
        .map(|t| (t.code.clone(), label(tr, t), t.code == input.category))
        .collect();
    categories.insert(
        0,
        (String::new(), tr.t("choose"), input.category.is_empty()),
    );
    let sources = NeedSource::ALL
        .iter()
        .map(|s| {
            (
                s.code(),
                tr.t(&format!("need-source-{}", s.code())),
                s.code() == input.source,
            )
        })
        .collect();
    let statuses = NeedStatus::ALL
        .iter()
        .map(|s| {
            (
                s.code(),
                tr.t(&format!("need-status-{}", s.code())),
                s.code() == input.status,
            )
        })
        .collect();
    let chosen = if input.urgency.is_empty() {
        "normal"
    } else {
        input.urgency.as_str()
    };
    let urgencies = msohub_domain::work::NeedUrgency::ALL
        .iter()
        .map(|u| {
            (
                u.code(),
                tr.t(&format!("need-urgency-{}", u.code())),
                u.code() == chosen,
            )
        })
        .collect();
    let mut form_errors = FormErrors::fields(tr, errors);
    if stale {
        form_errors.general = Some(tr.t("need-stale"));
    }
    let status = if form_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &FormTemplate {
            page,
            id,
            input,
            errors: form_errors,
            organisations,
            categories,
            sources,
            statuses,
            urgencies,
        },
    ))
}

async fn new_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let q = |k: &str| query_param(raw.as_deref(), k).unwrap_or_default();
    let input = NeedInput {
        organisation_id: q("organisation"),
        source: if q("source").is_empty() {
            "interaction".into()
        } else {
            q("source")
        },
        source_interaction_id: q("source_interaction_id"),
        status: "open".into(),
        ..NeedInput::default()
    };
    form_page(&state, &parts, &actor, None, input, Vec::new(), false).await
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input: NeedInput = crate::forms::from_pairs(body, &[], &[]);
    match state.services.create_need(&actor, &input).await {
        Ok(n) => {
            Ok(Redirect::to(&format!("/app/needs/{}?done=need-created", n.id)).into_response())
        }
        Err(msohub_service::Error::Validation(f)) => {
            form_page(&state, &parts, &actor, None, input, f, false).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let n = state.services.get_need(&actor, id).await?;
    form_page(
        &state,
        &parts,
        &actor,
        Some(id),
        n.to_input(),
        Vec::new(),
        false,
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input: NeedInput = crate::forms::from_pairs(body, &[], &[]);
    let saved = state.services.update_need(&actor, id, &input).await;
    crate::forms::save_or_show(
        saved,
        input,
        |_| format!("/app/needs/{id}?done=saved"),
        async || Ok(state.services.get_need(&actor, id).await?.to_input()),
        async |input, errors, stale| {
            form_page(&state, &parts, &actor, Some(id), input, errors, stale).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "needs/show.html")]
struct ShowTemplate {
    page: PageContext,
    need: Need,
    category: String,
    tasks: Vec<msohub_service::tasks::Task>,
    history: Vec<(chrono::DateTime<chrono::Utc>, String, String)>,
    notice: Option<String>,
    can_write: bool,
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let need = state.services.get_need(&actor, id).await?;
    let page = super::staff_page(&state, &parts, &actor, "need-title").await;
    let tr = page.tr;
    let category = state
        .services
        .terms("need_category")
        .await?
        .iter()
        .find(|t| t.code == need.category)
        .map_or_else(|| need.category.clone(), |t| label(tr, t));
    let tasks = state
        .services
        .list_tasks(
            &actor,
            &msohub_service::tasks::TaskQuery {
                link: Some(("need".into(), id)),
                limit: 100,
                ..Default::default()
            },
        )
        .await?
        .items;
    let history = state
        .services
        .record_history(&actor, "need", id)
        .await?
        .into_iter()
        .map(|e| (e.at, e.actor, e.action))
        .collect();
    let notice = crate::forms::done_notice(tr, query_param(raw.as_deref(), "done").as_deref());
    Ok(render(
        StatusCode::OK,
        &ShowTemplate {
            page,
            need,
            category,
            tasks,
            history,
            notice,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    match state
        .services
        .set_need_deleted(&actor, id, f.version, true)
        .await
    {
        Ok(n) => Ok(Redirect::to(&format!(
            "/app/organisations/{}?done=need-deleted",
            n.organisation.id
        ))
        .into_response()),
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/app/needs/{id}?done=stale")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
