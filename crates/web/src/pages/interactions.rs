//! Interactions in the staff area (`/app/interactions`): the log with
//! filters, a record's page (participants, notes, attachments, follow-ups,
//! history), forms that add organisations by name, soft delete.

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::page::{PageContext, encode_query, render};
use crate::pages::organisations::{pairs, query_param};
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_domain::work::{CancelReason, InteractionKind, InteractionStatus, Mode};
use msohub_service::Actor;
use msohub_service::interactions::{Interaction, InteractionInput, InteractionQuery, Ref};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/interactions", list)
        .post("/app/interactions", create)
        .get("/app/interactions/new", new_form)
        .get("/app/interactions/{id}", show)
        .post("/app/interactions/{id}", update)
        .get("/app/interactions/{id}/edit", edit_form)
        .post("/app/interactions/{id}/delete", delete)
        .post("/app/interactions/{id}/held", held)
        .post("/app/interactions/{id}/restore", restore)
        .upload(
            "POST",
            "/app/interactions/{id}/attachments",
            upload,
            ATTACHMENT_UPLOAD_LIMIT,
        )
        .get("/app/attachments/{id}", download)
        .post("/app/attachments/{id}/delete", remove_attachment)
}

/// Uploads up to this size are read and refused with a message when over
/// the 10 MiB an attachment may have.
const ATTACHMENT_UPLOAD_LIMIT: usize = 16 * 1024 * 1024;

const LISTS: &[&str] = &["topics", "organisations", "persons", "staff"];

// --- list --------------------------------------------------------------------

struct Row {
    item: Interaction,
}

#[derive(Template)]
#[template(path = "interactions/list.html")]
struct ListTemplate {
    page: PageContext,
    /// The filters for the export links.
    export_query: String,
    rows: Vec<Row>,
    total: u64,
    next_page: Option<String>,
    statuses: Vec<(&'static str, String, bool)>,
    kinds: Vec<(&'static str, String, bool)>,
    from: String,
    to: String,
    organisation: Option<Ref>,
    mine: bool,
    deleted: bool,
    can_write: bool,
    /// This list with its filters (where a one-click change returns to).
    back: String,
    notice: Option<String>,
}

/// The list query from the URL (shared with the API).
pub fn interaction_query(
    raw: Option<&str>,
    limit: u64,
) -> Result<InteractionQuery, msohub_service::Error> {
    let mut q = InteractionQuery {
        limit,
        ..InteractionQuery::default()
    };
    let bad = |f: &str| msohub_service::Error::field(f, "filter-invalid");
    for (k, v) in pairs(raw) {
        if v.is_empty() {
            continue;
        }
        match k.as_str() {
            "status" => q.statuses.push(
                InteractionStatus::parse(&v)
                    .map_err(|_| bad("status"))?
                    .code()
                    .to_owned(),
            ),
            "kind" => q.kinds.push(
                InteractionKind::parse(&v)
                    .map_err(|_| bad("kind"))?
                    .code()
                    .to_owned(),
            ),
            "organisation" => q.organisation = Some(v.parse().map_err(|_| bad("organisation"))?),
            "person" => q.person = Some(v.parse().map_err(|_| bad("person"))?),
            "staff" => q.staff = Some(v.parse().map_err(|_| bad("staff"))?),
            "from" => {
                q.from = Some(msohub_service::time::start_of_day(
                    msohub_service::time::parse_date(&v).ok_or_else(|| bad("from"))?,
                ))
            }
            "to" => {
                let d = msohub_service::time::parse_date(&v).ok_or_else(|| bad("to"))?;
                q.to = Some(msohub_service::time::start_of_day(
                    d.succ_opt().unwrap_or(d),
                ));
            }
            "deleted" => q.deleted = true,
            "order" if v == "asc" => q.ascending = true,
            "cursor" => q.cursor = Some(v),
            "limit" => q.limit = v.parse().map_err(|_| bad("limit"))?,
            _ => {}
        }
    }
    Ok(q)
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let mut q = interaction_query(raw.as_deref(), 50)?;
    let mine = query_param(raw.as_deref(), "mine").is_some();
    if mine {
        q.staff = actor.user_id;
    }
    let result = state.services.list_interactions(&actor, &q).await?;
    let page = super::staff_page(&state, &parts, &actor, "interactions-title").await;
    let tr = page.tr;
    let organisation = match q.organisation {
        Some(id) => Some(Ref {
            id,
            name: state.services.get_organisation(&actor, id).await?.name,
        }),
        None => None,
    };
    let kept: Vec<String> = pairs(raw.as_deref())
        .into_iter()
        .filter(|(k, v)| k != "cursor" && k != "done" && !v.is_empty())
        .map(|(k, v)| format!("{}={}", encode_query(&k), encode_query(&v)))
        .collect();
    let query = kept.join("&");
    let next_page = result
        .next_cursor
        .map(|c| format!("/app/interactions?{query}&cursor={c}"));
    let statuses = InteractionStatus::ALL
        .iter()
        .map(|s| {
            (
                s.code(),
                tr.t(&format!("status-{}", s.code())),
                q.statuses.iter().any(|x| x == s.code()),
            )
        })
        .collect();
    let kinds = InteractionKind::ALL
        .iter()
        .map(|k| {
            (
                k.code(),
                tr.t(&format!("ikind-{}", k.code())),
                q.kinds.iter().any(|x| x == k.code()),
            )
        })
        .collect();
    let day = |d: Option<chrono::DateTime<chrono::Utc>>| {
        d.map(|d| msohub_service::time::local_input(d)[..10].to_owned())
            .unwrap_or_default()
    };
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            export_query: super::export::export_query(raw.as_deref()),
            page,
            rows: result.items.into_iter().map(|item| Row { item }).collect(),
            total: result.total,
            next_page,
            statuses,
            kinds,
            from: query_param(raw.as_deref(), "from").unwrap_or_else(|| day(q.from)),
            to: query_param(raw.as_deref(), "to").unwrap_or_default(),
            organisation,
            mine,
            deleted: q.deleted,
            can_write: actor.can(Permission::WriteStaffArea),
            back: format!("/app/interactions?{query}"),
            notice: crate::forms::done_notice(tr, query_param(raw.as_deref(), "done").as_deref()),
        },
    ))
}

// --- form --------------------------------------------------------------------

#[derive(Template)]
#[template(path = "interactions/form.html")]
struct FormTemplate {
    page: PageContext,
    id: Option<Uuid>,
    input: InteractionInput,
    errors: FormErrors,
    kinds: Vec<(&'static str, String, bool)>,
    modes: Vec<(&'static str, String, bool)>,
    statuses: Vec<(&'static str, String, bool)>,
    reasons: Vec<(&'static str, String, bool)>,
    topics: Vec<(String, String, bool)>,
    organisations: Vec<Ref>,
    persons: Vec<(Ref, bool)>,
    staff: Vec<(Ref, bool)>,
    org_names: Vec<String>,
    add_organisation: String,
}

/// Names for the datalist of the "add organisation" field (cities rarely
/// have more; beyond, staff type the name).
const DATALIST_LIMIT: u64 = 2_000;

async fn form_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    id: Option<Uuid>,
    input: InteractionInput,
    errors: Vec<msohub_service::FieldError>,
    conflict: bool,
) -> Result<Response, WebError> {
    let title = if id.is_some() {
        "interaction-edit-title"
    } else {
        "interaction-new-title"
    };
    let page = super::staff_page(state, parts, actor, title).await;
    let tr = page.tr;
    let services = &state.services;
    let mut organisations = Vec::new();
    let mut persons: Vec<(Ref, bool)> = Vec::new();
    for raw in &input.organisations {
        let Ok(oid) = raw.parse::<Uuid>() else {
            continue;
        };
        let Ok(org) = services.get_organisation(actor, oid).await else {
            continue;
        };
        for (_, p) in services.organisation_people(actor, oid).await? {
            if !persons.iter().any(|(r, _)| r.id == p.id) {
                let checked = input.persons.contains(&p.id.to_string());
                persons.push((
                    Ref {
                        id: p.id,
                        name: p.name(),
                    },
                    checked,
                ));
            }
        }
        organisations.push(Ref {
            id: oid,
            name: org.name,
        });
    }
    // People already on the record stay choosable even if no longer affiliated.
    for raw in &input.persons {
        if let Ok(pid) = raw.parse::<Uuid>()
            && !persons.iter().any(|(r, _)| r.id == pid)
            && let Ok(p) = services.get_person(actor, pid).await
        {
            persons.push((
                Ref {
                    id: pid,
                    name: p.name(),
                },
                true,
            ));
        }
    }
    let staff = services
        .colleagues(actor)
        .await?
        .into_iter()
        .map(|r| {
            let checked = input.staff.contains(&r.id.to_string());
            (r, checked)
        })
        .collect();
    let topics = services
        .terms("topic")
        .await?
        .into_iter()
        .filter(|t| !t.retired || input.topics.contains(&t.code))
        .map(|t| {
            let label = if tr.lang == msohub_domain::Language::En {
                t.label_en.clone()
            } else {
                t.label_de.clone()
            };
            let checked = input.topics.contains(&t.code);
            (t.code, label, checked)
        })
        .collect();
    let org_names = services
        .organisation_names(actor, DATALIST_LIMIT + 1)
        .await?;
    let org_names = if org_names.len() as u64 > DATALIST_LIMIT {
        Vec::new()
    } else {
        org_names.into_iter().map(|r| r.name).collect()
    };
    let mut form_errors = FormErrors::fields(tr, errors);
    if conflict {
        form_errors.general = Some(tr.t("interaction-stale"));
    }
    let status = if form_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let labels = |prefix: &str,
                  codes: Vec<&'static str>,
                  value: &str|
     -> Vec<(&'static str, String, bool)> {
        codes
            .into_iter()
            .map(|c| (c, tr.t(&format!("{prefix}-{c}")), c == value))
            .collect()
    };
    let kinds = labels(
        "ikind",
        InteractionKind::ALL.iter().map(|k| k.code()).collect(),
        &input.kind,
    );
    let modes = labels(
        "mode",
        Mode::ALL.iter().map(|k| k.code()).collect(),
        &input.mode,
    );
    let statuses = labels(
        "status",
        InteractionStatus::ALL.iter().map(|k| k.code()).collect(),
        &input.status,
    );
    let reasons = labels(
        "reason",
        CancelReason::ALL.iter().map(|k| k.code()).collect(),
        &input.cancel_reason,
    );
    Ok(render(
        status,
        &FormTemplate {
            page,
            id,
            input,
            errors: form_errors,
            kinds,
            modes,
            statuses,
            reasons,
            topics,
            organisations,
            persons,
            staff,
            org_names,
            add_organisation: String::new(),
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
    let organisation = query_param(raw.as_deref(), "organisation");
    // `?planned=1` plans a visit; otherwise a contact that just took place.
    let input = if query_param(raw.as_deref(), "planned").is_some() {
        InteractionInput::planned(&actor, organisation)
    } else {
        InteractionInput::held_now(&actor, organisation)
    };
    form_page(&state, &parts, &actor, None, input, Vec::new(), false).await
}

/// Reads the form; resolves a typed organisation name. `Ok(None)` means
/// "only add the organisation and show the form again".
async fn read_form(
    state: &AppState,
    actor: &Actor,
    body: Vec<(String, String)>,
) -> (InteractionInput, Vec<msohub_service::FieldError>, bool) {
    let add_only = body
        .iter()
        .any(|(k, v)| k == "action" && v == "add-organisation");
    let typed = body
        .iter()
        .find(|(k, _)| k == "add_organisation")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let mut input: InteractionInput = crate::forms::from_pairs(body, LISTS, &[]);
    let mut errors = Vec::new();
    if !typed.is_empty() {
        match state.services.organisation_by_name(actor, &typed).await {
            Ok(id) => {
                if !input.organisations.contains(&id.to_string()) {
                    input.organisations.push(id.to_string());
                }
            }
            Err(msohub_service::Error::Validation(f)) => errors.extend(f),
            Err(_) => errors.push(msohub_service::FieldError::new(
                "add_organisation",
                "organisation-not-found",
            )),
        }
    }
    (input, errors, add_only)
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let (input, errors, add_only) = read_form(&state, &actor, body).await;
    if add_only || !errors.is_empty() {
        return form_page(&state, &parts, &actor, None, input, errors, false).await;
    }
    match state.services.create_interaction(&actor, &input).await {
        Ok(i) => Ok(Redirect::to(&format!(
            "/app/interactions/{}?done=interaction-created",
            i.id
        ))
        .into_response()),
        Err(msohub_service::Error::Validation(fields)) => {
            form_page(&state, &parts, &actor, None, input, fields, false).await
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
    let i = state.services.get_interaction(&actor, id).await?;
    form_page(
        &state,
        &parts,
        &actor,
        Some(id),
        i.to_input(),
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
    let (input, errors, add_only) = read_form(&state, &actor, body).await;
    if add_only || !errors.is_empty() {
        return form_page(&state, &parts, &actor, Some(id), input, errors, false).await;
    }
    match state.services.update_interaction(&actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/app/interactions/{id}?done=saved")).into_response()),
        Err(msohub_service::Error::Validation(fields)) => {
            form_page(&state, &parts, &actor, Some(id), input, fields, false).await
        }
        Err(msohub_service::Error::Conflict(_)) => {
            // Nothing is overwritten: the form shows the current record.
            let current = state.services.get_interaction(&actor, id).await?;
            form_page(
                &state,
                &parts,
                &actor,
                Some(id),
                current.to_input(),
                Vec::new(),
                true,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

// --- record page ---------------------------------------------------------------

#[derive(Template)]
#[template(path = "interactions/show.html")]
struct ShowTemplate {
    page: PageContext,
    item: Interaction,
    notes_html: String,
    topics: Vec<String>,
    tasks: Vec<msohub_service::tasks::Task>,
    needs: Vec<msohub_service::needs::Need>,
    history: Vec<(chrono::DateTime<chrono::Utc>, String, String)>,
    notice: Option<String>,
    upload_error: Option<String>,
    can_write: bool,
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let item = state.services.get_interaction(&actor, id).await?;
    let mut page = super::staff_page(&state, &parts, &actor, "interactions-title").await;
    page.title = item.subject.clone();
    let tr = page.tr;
    let terms = state.services.terms("topic").await?;
    let topics = item
        .topics
        .iter()
        .map(|c| {
            terms.iter().find(|t| &t.code == c).map_or_else(
                || c.clone(),
                |t| {
                    if tr.lang == msohub_domain::Language::En {
                        t.label_en.clone()
                    } else {
                        t.label_de.clone()
                    }
                },
            )
        })
        .collect();
    let tasks = state
        .services
        .list_tasks(
            &actor,
            &msohub_service::tasks::TaskQuery {
                link: Some(("interaction".into(), id)),
                limit: 100,
                ..Default::default()
            },
        )
        .await?
        .items;
    let needs = state.services.needs_from_interaction(&actor, id).await?;
    let history = state
        .services
        .record_history(&actor, "interaction", id)
        .await?
        .into_iter()
        .map(|e| (e.at, e.actor, e.action))
        .collect();
    let notice = crate::forms::done_notice(tr, query_param(raw.as_deref(), "done").as_deref());
    let upload_error = query_param(raw.as_deref(), "upload_error")
        .filter(|r| {
            [
                "file-empty",
                "file-too-large",
                "file-type",
                "file-unreadable",
            ]
            .contains(&r.as_str())
        })
        .map(|r| tr.t(&format!("rule-{r}")));
    Ok(render(
        StatusCode::OK,
        &ShowTemplate {
            page,
            notes_html: msohub_docs::markdown_to_html(&item.notes),
            item,
            topics,
            tasks,
            needs,
            history,
            notice,
            upload_error,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

async fn set_deleted(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    version: i32,
    deleted: bool,
) -> Result<Response, WebError> {
    let done = if deleted {
        "record-deleted"
    } else {
        "record-restored"
    };
    match state
        .services
        .set_interaction_deleted(actor, id, version, deleted)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/app/interactions/{id}?done={done}")).into_response()),
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/app/interactions/{id}?done=stale")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    set_deleted(&state, &actor, id, f.version, true).await
}

async fn restore(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    set_deleted(&state, &actor, id, f.version, false).await
}

// --- attachments -----------------------------------------------------------------

async fn upload(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let back = |q: &str| {
        Ok(Redirect::to(&format!("/app/interactions/{id}?{q}#attachments")).into_response())
    };
    let (name, bytes) = match crate::forms::uploaded_file(form).await {
        Ok(file) => file,
        Err(rule) => return back(&format!("upload_error={rule}")),
    };
    match state
        .services
        .add_attachment(&actor, "interaction", id, &name, bytes)
        .await
    {
        Ok(_) => back("done=attachment-added"),
        Err(msohub_service::Error::Validation(fields)) => {
            let rule = fields.first().map_or("file-type", |f| f.rule.as_str());
            back(&format!("upload_error={rule}"))
        }
        Err(e) => Err(e.into()),
    }
}

async fn download(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let file = state.services.attachment_file(&actor, id).await?;
    Ok(crate::pages::organisation_logo::file_response(
        file,
        "attachment",
    ))
}

async fn remove_attachment(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let (owner_type, owner) = state.services.remove_attachment(&actor, id).await?;
    let base = match owner_type.as_str() {
        "interaction" => "/app/interactions",
        "mailing" => "/app/mailings",
        _ => "/app",
    };
    Ok(Redirect::to(&format!(
        "{base}/{owner}?done=attachment-removed#attachments"
    ))
    .into_response())
}

/// "Stattgefunden": a planned contact took place (one click).
async fn held(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::OneClick>,
) -> Result<Response, WebError> {
    let done = match state
        .services
        .mark_interaction_held(&actor, id, f.version)
        .await
    {
        Ok(_) => "contact-held",
        Err(msohub_service::Error::Conflict(_)) => "contact-stale",
        Err(msohub_service::Error::Validation(_)) => "contact-not-planned",
        Err(e) => return Err(e.into()),
    };
    Ok(f.back_with(&format!("/app/interactions/{id}"), done)
        .into_response())
}
