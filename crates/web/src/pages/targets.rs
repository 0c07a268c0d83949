//! Periods and targets in the staff area: `/app/targets` (the current
//! period), `/app/periods/{id}` (its targets with progress, status and the
//! records behind each figure), target forms with status override.

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_service::Actor;
use msohub_service::targets::{
    METRICS, Period, PeriodChange, PeriodInput, STATUSES, Target, TargetInput, verdict,
};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/targets", overview)
        .post("/app/periods", create_period)
        .get("/app/periods/{id}", period_page)
        .post("/app/periods/{id}", update_period)
        .post("/app/periods/{id}/delete", delete_period)
        .get("/app/targets/new", new_target)
        .post("/app/targets", create_target)
        .get("/app/targets/{id}", edit_target)
        .post("/app/targets/{id}", update_target)
        .post("/app/targets/{id}/delete", delete_target)
}

#[derive(Template)]
#[template(path = "targets/overview.html")]
struct OverviewTemplate {
    page: PageContext,
    periods: Vec<Period>,
    errors: FormErrors,
    year: String,
    can_write: bool,
    notice: Option<String>,
}

async fn overview_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    errors: Vec<msohub_service::FieldError>,
    done: Option<&str>,
) -> Result<Response, WebError> {
    let periods = state.services.periods(actor).await?;
    let page = super::staff_page(state, parts, actor, "targets-title").await;
    let tr = page.tr;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let today = msohub_service::time::today();
    let year = msohub_service::targets::school_year_of(today)[..4].to_owned();
    Ok(render(
        status,
        &OverviewTemplate {
            page,
            periods,
            errors: FormErrors::fields(tr, errors),
            year,
            can_write: actor.can(Permission::WriteStaffArea),
            notice: crate::forms::done_notice(tr, done),
        },
    ))
}

/// The current period's targets, or the list of periods when there is none.
async fn overview(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    if crate::pages::organisations::query_param(raw.as_deref(), "all").is_none()
        && let Some(p) = state.services.current_period(&actor).await?
    {
        return period_view(
            &state,
            &parts,
            &actor,
            p.id,
            raw.as_deref(),
            PeriodForm::default(),
        )
        .await;
    }
    let done = crate::pages::organisations::query_param(raw.as_deref(), "done");
    overview_page(&state, &parts, &actor, Vec::new(), done.as_deref()).await
}

async fn create_period(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input: PeriodInput = crate::forms::from_pairs(body, &[], &[]);
    match state.services.create_period(&actor, &input).await {
        Ok(p) => {
            Ok(Redirect::to(&format!("/app/periods/{}?done=period-created", p.id)).into_response())
        }
        Err(msohub_service::Error::Validation(f)) => {
            overview_page(&state, &parts, &actor, f, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "targets/period.html")]
struct PeriodTemplate {
    page: PageContext,
    period: Period,
    periods: Vec<Period>,
    targets: Vec<Target>,
    overall: &'static str,
    notice: Option<String>,
    can_write: bool,
    /// The change form: the input and its errors; the delete's refusal as
    /// its general message.
    change: PeriodChange,
    errors: FormErrors,
    /// The form is shown open (after a refusal).
    open: bool,
    /// A report of the period is finalised: its dates are fixed and it
    /// cannot be deleted.
    finalised: bool,
    /// Each target's project, in the order of `targets` (all empty while
    /// the office has one project: then it says nothing).
    target_projects: Vec<String>,
}

/// What the period page shows of a change or delete just refused.
#[derive(Default)]
struct PeriodForm {
    /// The input sent (none: the period as stored).
    input: Option<PeriodChange>,
    errors: Vec<msohub_service::FieldError>,
    /// Someone changed the period meanwhile (`record-stale`: the stored one
    /// is shown), or why it cannot be deleted.
    general: Option<&'static str>,
}

async fn period_page(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    period_view(
        &state,
        &parts,
        &actor,
        id,
        raw.as_deref(),
        PeriodForm::default(),
    )
    .await
}

async fn period_view(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Uuid,
    raw: Option<&str>,
    form: PeriodForm,
) -> Result<Response, WebError> {
    let period = state.services.get_period(actor, id).await?;
    let finalised = !state.services.report_versions(actor, id).await?.is_empty();
    let targets = state.services.targets(actor, id).await?;
    let periods = state.services.periods(actor).await?;
    let projects = state.services.projects(actor).await?;
    let target_projects = targets
        .iter()
        .map(|t| match projects.iter().find(|p| p.id == t.project_id) {
            Some(p) if projects.len() > 1 => p.name.clone(),
            _ => String::new(),
        })
        .collect();
    let mut page = super::staff_page(state, parts, actor, "targets-title").await;
    page.title = format!("{} {}", page.tr.t("targets-title"), period.name);
    let statuses: Vec<&str> = targets.iter().map(|t| t.status.as_str()).collect();
    let overall = verdict(&statuses);
    let notice = crate::forms::done_notice(
        page.tr,
        crate::pages::organisations::query_param(raw, "done").as_deref(),
    );
    let open = form.general.is_some() || !form.errors.is_empty();
    let change = form.input.unwrap_or_else(|| period.to_change());
    let mut errors = FormErrors::fields(page.tr, form.errors);
    errors.general = form.general.map(|key| page.tr.t(key));
    Ok(render(
        if errors.any() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &PeriodTemplate {
            page,
            period,
            periods,
            targets,
            overall,
            notice,
            can_write: actor.can(Permission::WriteStaffArea),
            change,
            errors,
            open,
            finalised,
            target_projects,
        },
    ))
}

/// Saves the period's name and dates; refused → the period page with the
/// form open and its messages; stale → the period as stored now.
async fn update_period(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input: PeriodChange = crate::forms::from_pairs(body, &[], &[]);
    let form = match state.services.update_period(&actor, id, &input).await {
        Ok(p) => {
            return Ok(Redirect::to(&format!("/app/periods/{}?done=saved", p.id)).into_response());
        }
        Err(msohub_service::Error::Validation(errors)) => PeriodForm {
            input: Some(input),
            errors,
            general: None,
        },
        Err(msohub_service::Error::Conflict(_)) => PeriodForm {
            general: Some("record-stale"),
            ..PeriodForm::default()
        },
        Err(e) => return Err(e.into()),
    };
    period_view(&state, &parts, &actor, id, None, form).await
}

/// Deletes an empty period; one with targets or a finalised report stays,
/// and its page says why.
async fn delete_period(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let form = match state.services.delete_period(&actor, id, f.version).await {
        Ok(()) => return Ok(Redirect::to("/app/targets?all=1&done=period-deleted").into_response()),
        // Targets first: they are what staff can remove themselves.
        Err(msohub_service::Error::Validation(errors)) => PeriodForm {
            general: Some(
                match ["period-has-targets", "period-has-beyond"]
                    .into_iter()
                    .find(|r| errors.iter().any(|e| e.rule == *r))
                {
                    Some("period-has-targets") => "rule-period-has-targets",
                    Some(_) => "rule-period-has-beyond",
                    None => "rule-period-finalised",
                },
            ),
            ..PeriodForm::default()
        },
        Err(msohub_service::Error::Conflict(_)) => PeriodForm {
            general: Some("record-stale"),
            ..PeriodForm::default()
        },
        Err(e) => return Err(e.into()),
    };
    period_view(&state, &parts, &actor, id, None, form).await
}

#[derive(Template)]
#[template(path = "targets/form.html")]
struct TargetFormTemplate {
    page: PageContext,
    id: Option<Uuid>,
    input: TargetInput,
    errors: FormErrors,
    period: Period,
    metrics: Vec<(&'static str, String, bool)>,
    bodies: Vec<(String, String, bool)>,
    /// The projects a target can belong to: id, name, chosen.
    projects: Vec<(String, String, bool)>,
    kinds: Vec<(&'static str, String, bool)>,
    org_kinds: Vec<(&'static str, String, bool)>,
    /// Need metrics: categories and sources to count.
    need_categories: Vec<(String, String, bool)>,
    need_sources: Vec<(&'static str, String, bool)>,
    /// Per metric, which date decides whether a record counts.
    metric_dates: Vec<String>,
    statuses: Vec<(&'static str, String, bool)>,
    /// Records substitute measures may point to: key, label, linked.
    substitutes: Vec<(String, String, bool)>,
    computed: Option<Target>,
}

async fn target_form(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Option<Uuid>,
    input: TargetInput,
    errors: Vec<msohub_service::FieldError>,
    stale: bool,
) -> Result<Response, WebError> {
    let period_id: Uuid = input.period_id.parse().map_err(|_| WebError::NotFound)?;
    let period = state.services.get_period(actor, period_id).await?;
    let page = super::staff_page(
        state,
        parts,
        actor,
        if id.is_some() {
            "target-edit-title"
        } else {
            "target-new-title"
        },
    )
    .await;
    let tr = page.tr;
    let metrics = METRICS
        .iter()
        .map(|m| (*m, tr.t(&format!("metric-{m}")), *m == input.metric))
        .collect();
    let all_bodies = state.services.list_bodies(actor, false).await?;
    let linked = |key: &str| input.substitutes.iter().any(|s| s == key);
    let mut substitutes: Vec<(String, String, bool)> = all_bodies
        .iter()
        .map(|b| {
            let key = format!("body:{}", b.id);
            let label = format!("{}: {}", tr.t("substitute-body"), b.name);
            let on = linked(&key);
            (key, label, on)
        })
        .collect();
    let q = msohub_service::events::EventQuery {
        from: Some(period.starts_on),
        to: Some(period.ends_on),
        ascending: true,
        ..Default::default()
    };
    for e in state.services.list_events(actor, &q, 0, 200).await?.0 {
        let key = format!("event:{}", e.id);
        let label = format!(
            "{}: {} ({})",
            tr.t("substitute-event"),
            e.title,
            page.date(&e.starts_at)
        );
        let on = linked(&key);
        substitutes.push((key, label, on));
    }
    let mut bodies: Vec<(String, String, bool)> = all_bodies
        .into_iter()
        .map(|b| {
            let s = b.id.to_string() == input.body_id;
            (b.id.to_string(), b.name, s)
        })
        .collect();
    bodies.insert(0, (String::new(), "–".into(), input.body_id.is_empty()));
    let all_projects = state.services.projects(actor).await?;
    let chosen = if input.project_id.is_empty() {
        all_projects
            .first()
            .map(|p| p.id.to_string())
            .unwrap_or_default()
    } else {
        input.project_id.clone()
    };
    let projects = all_projects
        .into_iter()
        .map(|p| {
            let on = p.id.to_string() == chosen;
            (p.id.to_string(), p.name, on)
        })
        .collect();
    let kinds = msohub_domain::work::InteractionKind::ALL
        .iter()
        .map(|k| {
            (
                k.code(),
                tr.t(&format!("ikind-{}", k.code())),
                input.kinds.iter().any(|x| x == k.code()),
            )
        })
        .collect();
    let org_kinds = msohub_domain::organisation::OrganisationKind::ALL
        .iter()
        .map(|k| {
            (
                k.code(),
                tr.t(&format!("kind-{}", k.code())),
                input.organisation_kinds.iter().any(|x| x == k.code()),
            )
        })
        .collect();
    let need_categories = state
        .services
        .terms("need_category")
        .await?
        .into_iter()
        .map(|t| {
            let on = input.categories.contains(&t.code);
            let label = if tr.lang == msohub_domain::Language::En {
                t.label_en
            } else {
                t.label_de
            };
            (t.code, label, on)
        })
        .collect();
    let need_sources = msohub_domain::work::NeedSource::ALL
        .iter()
        .map(|k| {
            (
                k.code(),
                tr.t(&format!("need-source-{}", k.code())),
                input.sources.iter().any(|x| x == k.code()),
            )
        })
        .collect();
    let metric_dates = METRICS
        .iter()
        .map(|m| tr.t(&format!("metric-date-{m}")))
        .collect();
    let mut statuses: Vec<(&'static str, String, bool)> = STATUSES
        .iter()
        .map(|s| {
            (
                *s,
                tr.t(&format!("target-status-{s}")),
                *s == input.override_status,
            )
        })
        .collect();
    statuses.insert(
        0,
        (
            "",
            tr.t("target-status-computed"),
            input.override_status.is_empty(),
        ),
    );
    let computed = match id {
        Some(id) => Some(state.services.get_target(actor, id).await?),
        None => None,
    };
    // Linked meetings and contacts stay listed (and linked) as they are.
    for sub in computed.iter().flat_map(|t| t.substitutes.iter()) {
        let key = format!("{}:{}", sub.record_type, sub.id);
        if !substitutes.iter().any(|(k, _, _)| *k == key) {
            let on = linked(&key);
            substitutes.push((key, sub.name.clone(), on));
        }
    }
    let mut form_errors = FormErrors::fields(tr, errors);
    if stale {
        form_errors.general = Some(tr.t("record-stale"));
    }
    let status = if form_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &TargetFormTemplate {
            page,
            id,
            input,
            errors: form_errors,
            period,
            metrics,
            bodies,
            projects,
            kinds,
            org_kinds,
            need_categories,
            need_sources,
            metric_dates,
            statuses,
            substitutes,
            computed,
        },
    ))
}

const LISTS: &[&str] = &[
    "kinds",
    "statuses",
    "organisation_kinds",
    "categories",
    "sources",
    "substitutes",
];

async fn new_target(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let period_id =
        crate::pages::organisations::query_param(raw.as_deref(), "period").unwrap_or_default();
    let next = match period_id.parse::<Uuid>() {
        Ok(p) => {
            state
                .services
                .targets(&actor, p)
                .await?
                .iter()
                .map(|t| t.number)
                .max()
                .unwrap_or(0)
                + 1
        }
        Err(_) => return Err(WebError::NotFound),
    };
    let project_id =
        crate::pages::organisations::query_param(raw.as_deref(), "project").unwrap_or_default();
    let input = TargetInput {
        period_id,
        project_id,
        number: next.to_string(),
        metric: "interactions".into(),
        kinds: vec!["visit".into()],
        organisation_kinds: vec!["mso".into()],
        met_at: "100".into(),
        partly_at: "50".into(),
        ..TargetInput::default()
    };
    target_form(&state, &parts, &actor, None, input, Vec::new(), false).await
}

async fn create_target(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input: TargetInput = crate::forms::from_pairs(body, LISTS, &[]);
    match state.services.create_target(&actor, &input).await {
        Ok(t) => Ok(
            Redirect::to(&format!("/app/periods/{}?done=target-created", t.period_id))
                .into_response(),
        ),
        Err(msohub_service::Error::Validation(f)) => {
            target_form(&state, &parts, &actor, None, input, f, false).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_target(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let t = state.services.get_target(&actor, id).await?;
    target_form(
        &state,
        &parts,
        &actor,
        Some(id),
        t.to_input(),
        Vec::new(),
        false,
    )
    .await
}

async fn update_target(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input: TargetInput = crate::forms::from_pairs(body, LISTS, &[]);
    match state.services.update_target(&actor, id, &input).await {
        Ok(t) => Ok(Redirect::to(&format!(
            "/app/periods/{}?done=saved#target-{}",
            t.period_id, t.number
        ))
        .into_response()),
        Err(msohub_service::Error::Validation(f)) => {
            target_form(&state, &parts, &actor, Some(id), input, f, false).await
        }
        Err(msohub_service::Error::Conflict(_)) => {
            let t = state.services.get_target(&actor, id).await?;
            target_form(
                &state,
                &parts,
                &actor,
                Some(id),
                t.to_input(),
                Vec::new(),
                true,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn delete_target(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let t = state.services.get_target(&actor, id).await?;
    match state.services.delete_target(&actor, id, f.version).await {
        Ok(()) => Ok(
            Redirect::to(&format!("/app/periods/{}?done=target-deleted", t.period_id))
                .into_response(),
        ),
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/app/targets/{id}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
