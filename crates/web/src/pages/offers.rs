//! Offers in the staff area (`/app/offers`): the list with filters, the
//! form for a new offer, and an offer's page — its form with every field,
//! its history from the audit log, and the delete button.

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::i18n::Tr;
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
use msohub_domain::offers::{
    CostKind, LocationKind, OFFER_LANGUAGES, OfferStatus, TRANSLATION_LANGUAGES,
};
use msohub_domain::{Language, Permission};
use msohub_service::Actor;
use msohub_service::interactions::Ref;
use msohub_service::offers::{Offer, OfferInput, OfferQuery, Translation};
use msohub_service::organisations::Term;
use std::collections::HashMap;
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/offers", list)
        .post("/app/offers", create)
        .get("/app/offers/new", new_form)
        .get("/app/offers/{id}", show)
        .post("/app/offers/{id}", update)
        .post("/app/offers/{id}/delete", delete)
}

/// The list query from the URL (shared with the API).
pub fn offer_query(raw: Option<&str>, limit: u64) -> Result<OfferQuery, msohub_service::Error> {
    let mut q = OfferQuery {
        limit,
        ..OfferQuery::default()
    };
    let bad = |f: &str| msohub_service::Error::field(f, "filter-invalid");
    let day = |f: &str, v: &str| msohub_service::time::parse_date(v).ok_or_else(|| bad(f));
    for (k, v) in pairs(raw) {
        let v = v.trim().to_owned();
        if v.is_empty() {
            continue;
        }
        match k.as_str() {
            "status" => q.statuses.push(
                OfferStatus::parse(&v)
                    .map_err(|_| bad("status"))?
                    .code()
                    .to_owned(),
            ),
            "category" => q.categories.push(v),
            "organisation" => q.organisation = Some(v.parse().map_err(|_| bad("organisation"))?),
            "organisation_kind" => q.organisation_kinds.push(v),
            "public" => {
                q.public = Some(match v.as_str() {
                    "true" | "1" | "yes" => true,
                    "false" | "0" | "no" => false,
                    _ => return Err(bad("public")),
                })
            }
            "q" => q.text = v.chars().take(200).collect(),
            "from" => q.from = Some(day("from", &v)?),
            "to" => q.to = Some(day("to", &v)?),
            "deleted" => q.deleted = !matches!(v.as_str(), "false" | "0"),
            "cursor" => q.cursor = Some(v),
            "limit" => q.limit = v.parse().map_err(|_| bad("limit"))?,
            _ => {}
        }
    }
    Ok(q)
}

fn label(tr: Tr, t: &Term) -> String {
    if tr.lang == Language::En {
        t.label_en.clone()
    } else {
        t.label_de.clone()
    }
}

/// Select options: (value, label, selected).
type Options = Vec<(String, String, bool)>;

fn code_options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    prefix: &str,
    value: &str,
    tr: Tr,
) -> Options {
    all.iter()
        .map(|v| {
            let c = code(*v);
            (c.to_owned(), tr.t(&format!("{prefix}-{c}")), c == value)
        })
        .collect()
}

fn with_choose(mut options: Options, tr: Tr, key: &str) -> Options {
    let none = !options.iter().any(|(_, _, s)| *s);
    options.insert(0, (String::new(), tr.t(key), none));
    options
}

// --- list ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "offers/list.html")]
struct ListTemplate {
    page: PageContext,
    /// The filters for the export links.
    export_query: String,
    items: Vec<Offer>,
    total: u64,
    next_page: Option<String>,
    q: String,
    organisations: Options,
    statuses: Options,
    categories: Options,
    public: Options,
    no_errors: FormErrors,
    /// Filters the form does not show but keeps: (name, value).
    kept: Vec<(String, String)>,
    /// The validity range filtered on, as the office reads it.
    period: Option<String>,
    organisation: Option<Ref>,
    labels: HashMap<String, String>,
    notice: Option<String>,
    can_write: bool,
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let q = offer_query(raw.as_deref(), 50)?;
    let result = state.services.list_offers(&actor, &q).await?;
    let page = super::staff_page(&state, &parts, &actor, "offer-list-title").await;
    let tr = page.tr;
    let terms = state.services.terms("offer_category").await?;
    let labels: HashMap<String, String> = terms
        .iter()
        .map(|t| (t.code.clone(), label(tr, t)))
        .collect();
    let organisations: Options = state
        .services
        .organisation_names(&actor, 5_000)
        .await?
        .into_iter()
        .map(|r| {
            let selected = q.organisation == Some(r.id);
            (r.id.to_string(), r.name, selected)
        })
        .collect();
    let organisation = organisations
        .iter()
        .find(|(_, _, s)| *s)
        .and_then(|(id, name, _)| {
            Some(Ref {
                id: id.parse().ok()?,
                name: name.clone(),
            })
        });
    let organisations = with_choose(organisations, tr, "offer-filter-all");
    let status = q.statuses.first().cloned().unwrap_or_default();
    let statuses = with_choose(
        code_options(
            OfferStatus::ALL,
            OfferStatus::code,
            "offer-status",
            &status,
            tr,
        ),
        tr,
        "offer-filter-all",
    );
    let category = q.categories.first().cloned().unwrap_or_default();
    let categories = with_choose(
        terms
            .iter()
            .map(|t| (t.code.clone(), label(tr, t), t.code == category))
            .collect(),
        tr,
        "offer-filter-all",
    );
    let public = with_choose(
        vec![
            (
                "true".into(),
                tr.t("offer-public-only"),
                q.public == Some(true),
            ),
            (
                "false".into(),
                tr.t("offer-internal-only"),
                q.public == Some(false),
            ),
        ],
        tr,
        "offer-filter-all",
    );
    let kept: Vec<(String, String)> = pairs(raw.as_deref())
        .into_iter()
        .filter(|(k, v)| {
            matches!(k.as_str(), "from" | "to" | "organisation_kind" | "deleted") && !v.is_empty()
        })
        .collect();
    let period = match (q.from, q.to) {
        (None, None) => None,
        (f, t) => Some(format!(
            "{} – {}",
            f.map(|d| page.day(&d)).unwrap_or_default(),
            t.map(|d| page.day(&d)).unwrap_or_default()
        )),
    };
    let link: Vec<String> = pairs(raw.as_deref())
        .into_iter()
        .filter(|(k, v)| k != "cursor" && !v.is_empty())
        .map(|(k, v)| format!("{}={}", encode_query(&k), encode_query(&v)))
        .collect();
    let next_page = result
        .next_cursor
        .map(|c| format!("/app/offers?{}&cursor={c}", link.join("&")));
    let notice = crate::forms::done_notice(tr, query_param(raw.as_deref(), "done").as_deref());
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            export_query: super::export::export_query(raw.as_deref()),
            page,
            items: result.items,
            total: result.total,
            next_page,
            q: q.text.clone(),
            organisations,
            statuses,
            categories,
            public,
            no_errors: FormErrors::none(tr),
            kept,
            period,
            organisation,
            labels,
            notice,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

// --- form ------------------------------------------------------------------------

/// One line of the history: when, who, what, which fields.
pub struct HistoryLine {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub action: String,
    pub changed: Vec<String>,
}

/// A translation in the form: (language, its name, title, description).
type TranslationRow = (&'static str, String, String, String);

#[derive(Template)]
#[template(path = "offers/form.html")]
struct FormTemplate {
    page: PageContext,
    id: Option<Uuid>,
    /// The stored offer (on an offer's page).
    offer: Option<Offer>,
    deleted: bool,
    input: OfferInput,
    errors: FormErrors,
    organisations: Options,
    categories: Options,
    /// The checkbox groups: (field, legend, options).
    check_groups: Vec<(&'static str, String, Options)>,
    cost_kinds: Options,
    location_kinds: Options,
    statuses: Options,
    persons: Options,
    translations: Vec<TranslationRow>,
    history: Vec<HistoryLine>,
    notice: Option<String>,
    can_write: bool,
}

/// The names of the fields that differ between two audit snapshots.
fn changed_fields(
    tr: Tr,
    before: &Option<serde_json::Value>,
    after: &Option<serde_json::Value>,
) -> Vec<String> {
    let (Some(b), Some(a)) = (
        before.as_ref().and_then(|v| v.as_object()),
        after.as_ref().and_then(|v| v.as_object()),
    ) else {
        return Vec::new();
    };
    a.iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| tr.t(&format!("field-{k}")))
        .collect()
}

struct FormState {
    id: Option<Uuid>,
    input: OfferInput,
    errors: Vec<msohub_service::FieldError>,
    stale: bool,
    notice: Option<String>,
}

async fn form_page(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    f: FormState,
) -> Result<Response, WebError> {
    let FormState {
        id,
        input,
        errors,
        stale,
        notice,
    } = f;
    let offer = match id {
        Some(id) => Some(state.services.get_offer(actor, id).await?),
        None => None,
    };
    let mut page = super::staff_page(state, parts, actor, "offer-new-title").await;
    if let Some(o) = &offer {
        page.title = o.title.clone();
    }
    let tr = page.tr;
    let organisations = with_choose(
        state
            .services
            .organisation_names(actor, 5_000)
            .await?
            .into_iter()
            .map(|r| {
                let selected = r.id.to_string() == input.organisation_id;
                (r.id.to_string(), r.name, selected)
            })
            .collect(),
        tr,
        "choose",
    );
    let categories = with_choose(
        state
            .services
            .terms("offer_category")
            .await?
            .iter()
            .filter(|t| !t.retired || t.code == input.category)
            .map(|t| (t.code.clone(), label(tr, t), t.code == input.category))
            .collect(),
        tr,
        "choose",
    );
    let target_groups: Options = state
        .services
        .terms("target_group")
        .await?
        .iter()
        .filter(|t| !t.retired || input.target_groups.contains(&t.code))
        .map(|t| {
            (
                t.code.clone(),
                label(tr, t),
                input.target_groups.contains(&t.code),
            )
        })
        .collect();
    let languages: Options = OFFER_LANGUAGES
        .iter()
        .map(|(code, _, _)| {
            (
                (*code).to_owned(),
                format!("{} ({code})", crate::i18n::language_name(tr, code)),
                input.languages.iter().any(|l| l == code),
            )
        })
        .collect();
    let cost_kinds = code_options(
        CostKind::ALL,
        CostKind::code,
        "offer-cost",
        &input.cost_kind,
        tr,
    );
    let location_kinds = code_options(
        LocationKind::ALL,
        LocationKind::code,
        "offer-location",
        &input.location_kind,
        tr,
    );
    let statuses = code_options(
        OfferStatus::ALL,
        OfferStatus::code,
        "offer-status",
        &input.status,
        tr,
    );
    // Contact persons: the people of the organisation, and whoever is set.
    let mut persons: Options = Vec::new();
    if let Ok(org) = input.organisation_id.parse::<Uuid>() {
        for (_, p) in state
            .services
            .organisation_people(actor, org)
            .await
            .unwrap_or_default()
        {
            let id = p.id.to_string();
            let selected = id == input.contact_person_id;
            persons.push((id, p.name(), selected));
        }
    }
    if let Ok(pid) = input.contact_person_id.parse::<Uuid>()
        && !persons
            .iter()
            .any(|(id, _, _)| *id == input.contact_person_id)
        && let Ok(p) = state.services.get_person(actor, pid).await
    {
        persons.push((pid.to_string(), p.name(), true));
    }
    let persons = with_choose(persons, tr, "offer-no-contact");
    let translations = TRANSLATION_LANGUAGES
        .iter()
        .map(|lang| {
            let t = input.translations.get(*lang).cloned().unwrap_or_default();
            (
                *lang,
                crate::i18n::language_name(tr, lang),
                t.title,
                t.description,
            )
        })
        .collect();
    let history = match id {
        Some(id) => state
            .services
            .offer_history(actor, id)
            .await?
            .into_iter()
            .map(|e| HistoryLine {
                changed: changed_fields(tr, &e.before, &e.after),
                at: e.at,
                actor: e.actor,
                action: e.action,
            })
            .collect(),
        None => Vec::new(),
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
            deleted: offer.as_ref().is_some_and(|o| o.deleted),
            offer,
            input,
            errors: form_errors,
            organisations,
            categories,
            check_groups: vec![
                ("target_groups", tr.t("field-target_groups"), target_groups),
                ("languages", tr.t("field-languages"), languages),
            ],
            cost_kinds,
            location_kinds,
            statuses,
            persons,
            translations,
            history,
            notice,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

/// The form's fields as an input; translations come as
/// `translation_{lang}_title` and `translation_{lang}_description`.
fn input_of(body: Vec<(String, String)>) -> OfferInput {
    let mut translations: std::collections::BTreeMap<String, Translation> =
        std::collections::BTreeMap::new();
    for (k, v) in &body {
        let Some(rest) = k.strip_prefix("translation_") else {
            continue;
        };
        let Some((lang, part)) = rest.split_once('_') else {
            continue;
        };
        let t = translations.entry(lang.to_owned()).or_default();
        match part {
            "title" => t.title = v.clone(),
            "description" => t.description = v.clone(),
            _ => {}
        }
    }
    let mut input: OfferInput = crate::forms::from_pairs(
        body,
        &["target_groups", "languages"],
        &["registration_required", "is_public"],
    );
    input.translations = translations;
    input
}

async fn new_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input = OfferInput {
        organisation_id: query_param(raw.as_deref(), "organisation").unwrap_or_default(),
        cost_kind: "free".into(),
        location_kind: "organisation".into(),
        status: "active".into(),
        languages: vec!["de".into()],
        ..OfferInput::default()
    };
    form_page(
        &state,
        &parts,
        &actor,
        FormState {
            id: None,
            input,
            errors: Vec::new(),
            stale: false,
            notice: None,
        },
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
    let input = input_of(body);
    match state.services.create_offer(&actor, &input).await {
        Ok(o) => {
            Ok(Redirect::to(&format!("/app/offers/{}?done=offer-created", o.id)).into_response())
        }
        Err(msohub_service::Error::Validation(errors)) => {
            form_page(
                &state,
                &parts,
                &actor,
                FormState {
                    id: None,
                    input,
                    errors,
                    stale: false,
                    notice: None,
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let offer = state.services.get_offer(&actor, id).await?;
    let tr = Tr::new(crate::i18n::request_language_parts(&parts));
    let notice = crate::forms::done_notice(tr, query_param(raw.as_deref(), "done").as_deref());
    form_page(
        &state,
        &parts,
        &actor,
        FormState {
            id: Some(id),
            input: offer.to_input(),
            errors: Vec::new(),
            stale: false,
            notice,
        },
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
    let input = input_of(body);
    let saved = state.services.update_offer(&actor, id, &input).await;
    crate::forms::save_or_show(
        saved,
        input,
        |_| format!("/app/offers/{id}?done=saved"),
        async || Ok(state.services.get_offer(&actor, id).await?.to_input()),
        async |input, errors, stale| {
            let form = FormState {
                id: Some(id),
                input,
                errors,
                stale,
                notice: None,
            };
            form_page(&state, &parts, &actor, form).await
        },
    )
    .await
}

async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    match state
        .services
        .set_offer_deleted(&actor, id, f.version, true)
        .await
    {
        Ok(o) => Ok(Redirect::to(&format!(
            "/app/offers?organisation={}&done=offer-deleted",
            o.organisation.id
        ))
        .into_response()),
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/app/offers/{id}?done=offer-stale")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
