//! Events in the staff area: `/app/events` (list with filters), the form
//! (organisers added by name, categories, languages), the event page with
//! its history, soft delete.

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::pages::organisations::query_param;
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_domain::work::Mode;
use msohub_service::Actor;
use msohub_service::events::{EVENT_STATUSES, Event, EventInput};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/events", list)
        .get("/app/events/new", new_form)
        .post("/app/events", create)
        .get("/app/events/{id}", show)
        .get("/app/events/{id}/edit", edit_form)
        .post("/app/events/{id}", update)
        .post("/app/events/{id}/delete", delete)
        .get("/feeds/events.ics", feed_all)
        .get("/feeds/organisations/{id}/events.ics", feed_organisation)
        .get("/feeds/categories/{code}/events.ics", feed_category)
}

async fn feed(
    state: &AppState,
    which: msohub_service::calendar::PublicEvents,
) -> Result<Response, WebError> {
    match state.services.public_events_feed(&which).await? {
        Some(body) => Ok(super::bodies::ics(body)),
        None => Err(WebError::NotFound),
    }
}

/// All public events, for calendar programs to subscribe to.
async fn feed_all(State(state): State<AppState>) -> Result<Response, WebError> {
    feed(&state, msohub_service::calendar::PublicEvents::All).await
}

/// A publicly listed organisation's public events.
async fn feed_organisation(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id.parse::<Uuid>().map_err(|_| WebError::NotFound)?;
    feed(
        &state,
        msohub_service::calendar::PublicEvents::Organisation(id),
    )
    .await
}

/// The public events of one category.
async fn feed_category(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    feed(
        &state,
        msohub_service::calendar::PublicEvents::Category(code),
    )
    .await
}

const LISTS: &[&str] = &["languages", "organisers"];
const FLAGS: &[&str] = &["is_public"];

#[derive(Template)]
#[template(path = "events/list.html")]
struct ListTemplate {
    page: PageContext,
    /// The filters for the export links.
    export_query: String,
    events: Vec<Event>,
    total: u64,
    statuses: Vec<(&'static str, String, bool)>,
    public: String,
    text: String,
    can_write: bool,
    notice: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    actor.require(Permission::ReadStaffArea)?;
    let raw = raw.as_deref();
    let (q, _, _) = crate::api::event_query(raw).map_err(|_| WebError::NotFound)?;
    let page = super::staff_page(&state, &parts, &actor, "events-title").await;
    let (events, total) = state.services.list_events(&actor, &q, 0, 200).await?;
    let status = q.status.clone().unwrap_or_default();
    let statuses = std::iter::once(("", page.t("filter-everything"), status.is_empty()))
        .chain(
            EVENT_STATUSES
                .iter()
                .map(|s| (*s, page.t(&format!("event-status-{s}")), *s == status)),
        )
        .collect();
    let notice = crate::forms::done_notice(page.tr, query_param(raw, "done").as_deref());
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            export_query: super::export::export_query(raw),
            statuses,
            public: q.public.map(|p| p.to_string()).unwrap_or_default(),
            text: q.text.clone().unwrap_or_default(),
            page,
            events,
            total,
            can_write: actor.can(Permission::WriteStaffArea),
            notice,
        },
    ))
}

#[derive(Template)]
#[template(path = "events/form.html")]
struct FormTemplate {
    page: PageContext,
    id: Option<Uuid>,
    input: EventInput,
    errors: FormErrors,
    modes: Vec<(&'static str, String, bool)>,
    statuses: Vec<(&'static str, String, bool)>,
    categories: Vec<(String, String, bool)>,
    languages: Vec<(&'static str, &'static str, bool)>,
    organisers: Vec<msohub_service::interactions::Ref>,
    add_organisation: String,
    org_names: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Option<Uuid>,
    input: EventInput,
    errors: Vec<msohub_service::FieldError>,
    stale: bool,
    add_organisation: String,
) -> Result<Response, WebError> {
    let page = super::staff_page(
        state,
        parts,
        actor,
        if id.is_some() {
            "event-edit-title"
        } else {
            "event-new-title"
        },
    )
    .await;
    let tr = page.tr;
    let modes = Mode::ALL
        .iter()
        .map(|m| {
            (
                m.code(),
                tr.t(&format!("mode-{}", m.code())),
                m.code() == input.mode,
            )
        })
        .collect();
    let statuses = EVENT_STATUSES
        .iter()
        .map(|s| (*s, tr.t(&format!("event-status-{s}")), *s == input.status))
        .collect();
    let categories = std::iter::once((
        String::new(),
        tr.t("category-none"),
        input.category.is_empty(),
    ))
    .chain(
        state
            .services
            .terms("offer_category")
            .await?
            .into_iter()
            .filter(|t| !t.retired || t.code == input.category)
            .map(|t| {
                let label = if tr.lang == msohub_domain::Language::En {
                    t.label_en.clone()
                } else {
                    t.label_de.clone()
                };
                let selected = t.code == input.category;
                (t.code, label, selected)
            }),
    )
    .collect();
    let languages = msohub_domain::offers::OFFER_LANGUAGES
        .iter()
        .map(|(code, de, en)| {
            let label = if tr.lang == msohub_domain::Language::En {
                *en
            } else {
                *de
            };
            (*code, label, input.languages.iter().any(|x| x == code))
        })
        .collect();
    let ids: Vec<Uuid> = input
        .organisers
        .iter()
        .filter_map(|o| o.parse().ok())
        .collect();
    let organisers = state.services.organisation_refs(actor, &ids).await?;
    let names = state.services.organisation_names(actor, 2_001).await?;
    let org_names = if names.len() > 2_000 {
        Vec::new()
    } else {
        names.into_iter().map(|r| r.name).collect()
    };
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
        &FormTemplate {
            page,
            id,
            input,
            errors: form_errors,
            modes,
            statuses,
            categories,
            languages,
            organisers,
            add_organisation,
            org_names,
        },
    ))
}

/// Reads the form; a typed organisation name is added to the organisers.
/// The flag says "only add the organisation and show the form again".
async fn read_form(
    state: &AppState,
    actor: &Actor,
    body: Vec<(String, String)>,
) -> (EventInput, Vec<msohub_service::FieldError>, bool, String) {
    let add_only = body
        .iter()
        .any(|(k, v)| k == "action" && v == "add-organisation");
    let typed = body
        .iter()
        .find(|(k, _)| k == "add_organisation")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let mut input: EventInput = crate::forms::from_pairs(body, LISTS, FLAGS);
    let mut errors = Vec::new();
    if !typed.is_empty() {
        match state.services.organisation_by_name(actor, &typed).await {
            Ok(id) => {
                if !input.organisers.contains(&id.to_string()) {
                    input.organisers.push(id.to_string());
                }
                return (input, errors, add_only, String::new());
            }
            Err(_) => errors.push(msohub_service::FieldError::new(
                "add_organisation",
                "organisation-not-found",
            )),
        }
    }
    (input, errors, add_only, typed)
}

async fn new_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input = EventInput::planned(query_param(raw.as_deref(), "organisation"));
    form_page(
        &state,
        &parts,
        &actor,
        None,
        input,
        Vec::new(),
        false,
        String::new(),
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let (input, errors, add_only, typed) = read_form(&state, &actor, body).await;
    if add_only || !errors.is_empty() {
        return form_page(&state, &parts, &actor, None, input, errors, false, typed).await;
    }
    match state.services.create_event(&actor, &input).await {
        Ok(e) => {
            Ok(Redirect::to(&format!("/app/events/{}?done=event-created", e.id)).into_response())
        }
        Err(msohub_service::Error::Validation(f)) => {
            form_page(&state, &parts, &actor, None, input, f, false, typed).await
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
    let e = state.services.get_event(&actor, id).await?;
    form_page(
        &state,
        &parts,
        &actor,
        Some(id),
        e.to_input(),
        Vec::new(),
        false,
        String::new(),
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
    let (input, errors, add_only, typed) = read_form(&state, &actor, body).await;
    if add_only || !errors.is_empty() {
        return form_page(
            &state,
            &parts,
            &actor,
            Some(id),
            input,
            errors,
            false,
            typed,
        )
        .await;
    }
    let saved = state.services.update_event(&actor, id, &input).await;
    crate::forms::save_or_show(
        saved,
        input,
        |_| format!("/app/events/{id}?done=saved"),
        async || Ok(state.services.get_event(&actor, id).await?.to_input()),
        // A stale form shows the record as stored, without the typed
        // organiser search.
        async |input, errors, stale| {
            let typed = if stale { String::new() } else { typed };
            form_page(
                &state,
                &parts,
                &actor,
                Some(id),
                input,
                errors,
                stale,
                typed,
            )
            .await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "events/show.html")]
struct ShowTemplate {
    page: PageContext,
    event: Event,
    description_html: String,
    category: String,
    history: Vec<(chrono::DateTime<chrono::Utc>, String, String)>,
    can_write: bool,
    notice: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let event = state.services.get_event(&actor, id).await?;
    let mut page = super::staff_page(&state, &parts, &actor, "events-title").await;
    page.title = event.title.clone();
    let history = state
        .services
        .record_history(&actor, "event", id)
        .await?
        .into_iter()
        .map(|e| (e.at, e.actor, e.action))
        .collect();
    let category = state
        .services
        .terms("offer_category")
        .await?
        .into_iter()
        .find(|t| t.code == event.category)
        .map(|t| {
            if page.tr.lang == msohub_domain::Language::En {
                t.label_en
            } else {
                t.label_de
            }
        })
        .unwrap_or_default();
    let notice = crate::forms::done_notice(page.tr, query_param(raw.as_deref(), "done").as_deref());
    Ok(render(
        StatusCode::OK,
        &ShowTemplate {
            description_html: msohub_docs::markdown_to_html(&event.description),
            category,
            history,
            can_write: actor.can(Permission::WriteStaffArea) && !event.deleted,
            notice,
            page,
            event,
        },
    ))
}

async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    match state.services.delete_event(&actor, id, f.version).await {
        Ok(()) => Ok(Redirect::to("/app/events?done=event-deleted").into_response()),
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/app/events/{id}?done=stale")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
