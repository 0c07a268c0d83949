//! The registry in the staff area (`/app/organisations`): list with search,
//! facets, sorting, pagination and CSV export; detail page with history;
//! create and edit forms (a stale save shows what changed and overwrites
//! nothing); soft delete and restore; "checked today".

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::page::{PageContext, encode_query, render};
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_domain::organisation::{LegalStatus, OrganisationKind};
use msohub_exchange::Cell;
use msohub_service::organisations::{
    OrgQuery, Organisation, OrganisationInput, PUBLIC_PARTS, Term,
};
use msohub_store::organisations::OrgSort;
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/organisations", list)
        .post("/app/organisations", create)
        .get("/app/organisations.csv", export_csv)
        .get("/app/organisations.xlsx", export_xlsx)
        .get("/app/organisations/new", new_form)
        .get("/app/organisations/{id}", show)
        .post("/app/organisations/{id}", update)
        .get("/app/organisations/{id}/edit", edit_form)
        .post("/app/organisations/{id}/delete", delete)
        .post("/app/organisations/{id}/restore", restore)
        .post("/app/organisations/{id}/checked", checked)
        .post("/app/organisations/{id}/geocode", geocode)
        .get("/app/organisations/{id}/merge", merge_confirm)
        .post("/app/organisations/{id}/merge", merge)
}

/// Query string pairs (repeated keys for multi-valued filters).
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    raw.map(|q| {
        q.split('&')
            .filter_map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                Some((decode(k)?, decode(v)?))
            })
            .collect()
    })
    .unwrap_or_default()
}

fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// One parameter of a query string.
pub fn query_param(raw: Option<&str>, name: &str) -> Option<String> {
    pairs(raw)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn sort_of(code: &str) -> OrgSort {
    match code {
        "name_desc" => OrgSort::NameDesc,
        "updated" => OrgSort::UpdatedDesc,
        "assured" => OrgSort::AssuredAsc,
        _ => OrgSort::NameAsc,
    }
}

/// The list query from the URL, plus the canonical query string (for links).
pub fn query_from(raw: Option<&str>, limit: u64) -> (OrgQuery, String, String) {
    let mut q = OrgQuery {
        limit,
        ..OrgQuery::default()
    };
    let mut sort = "name".to_owned();
    let mut kept = Vec::new();
    for (k, v) in pairs(raw) {
        if v.is_empty() {
            continue;
        }
        match k.as_str() {
            "q" => q.text = v.clone(),
            "kind" => q.kinds.push(v.clone()),
            "topic" => q.topics.push(v.clone()),
            "language" => q.languages.push(v.clone()),
            "district" => q.districts.push(v.clone()),
            "origin" => q.origins.push(v.clone()),
            "unchecked" => q.unchecked = true,
            "deleted" => q.deleted = true,
            "sort" => {
                sort = v.clone();
                q.sort = sort_of(&v);
            }
            "cursor" => {
                q.cursor = Some(v);
                continue;
            }
            _ => continue,
        }
        kept.push(format!("{}={}", encode_query(&k), encode_query(&v)));
    }
    (q, kept.join("&"), sort)
}

struct FacetOption {
    value: String,
    label: String,
    count: u64,
    checked: bool,
}

struct FacetGroup {
    name: &'static str,
    label: String,
    options: Vec<FacetOption>,
}

#[derive(Template)]
#[template(path = "organisations/list.html")]
struct ListTemplate {
    page: PageContext,
    q: OrgQuery,
    items: Vec<Organisation>,
    total: u64,
    facets: Vec<FacetGroup>,
    sorts: Vec<(&'static str, String)>,
    sort: String,
    query_string: String,
    next_page: Option<String>,
    can_write: bool,
}

fn term_label(tr: &Tr, terms: &[Term], code: &str) -> String {
    terms.iter().find(|t| t.code == code).map_or_else(
        || code.to_owned(),
        |t| {
            if tr.lang == msohub_domain::Language::En {
                t.label_en.clone()
            } else {
                t.label_de.clone()
            }
        },
    )
}

const PAGE_SIZE: u64 = 50;

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let (q, query_string, sort) = query_from(raw.as_deref(), PAGE_SIZE);
    let result = state.services.list_organisations(&actor, &q).await?;
    let page = super::staff_page(&state, &parts, &actor, "orgs-title").await;
    let tr = page.tr;
    let topics = state.services.terms("topic").await?;
    let mut facets = Vec::new();
    for (name, facet, selected) in [
        ("kind", "kind", &q.kinds),
        ("topic", "topic", &q.topics),
        ("language", "language", &q.languages),
        ("district", "district", &q.districts),
        ("origin", "origin", &q.origins),
    ] {
        let counts = result.facets.get(facet).cloned().unwrap_or_default();
        let mut options: Vec<FacetOption> = counts
            .iter()
            .map(|(value, count)| FacetOption {
                label: match name {
                    "kind" => tr.t(&format!("kind-{value}")),
                    "topic" => term_label(&tr, &topics, value),
                    _ => value.clone(),
                },
                value: value.clone(),
                count: *count,
                checked: selected.contains(value),
            })
            .collect();
        // A selected value without matches stays visible, so it can be unticked.
        for s in selected.iter().filter(|s| !counts.contains_key(*s)) {
            options.push(FacetOption {
                value: s.clone(),
                label: s.clone(),
                count: 0,
                checked: true,
            });
        }
        if !options.is_empty() {
            facets.push(FacetGroup {
                name,
                label: tr.t(&format!("facet-{name}")),
                options,
            });
        }
    }
    let sorts = vec![
        ("name", tr.t("sort-name")),
        ("name_desc", tr.t("sort-name-desc")),
        ("updated", tr.t("sort-updated")),
        ("assured", tr.t("sort-assured")),
    ];
    let next_page = result.next_cursor.as_ref().map(|c| {
        format!(
            "/app/organisations?{query_string}&cursor={}",
            encode_query(c)
        )
    });
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            page,
            q,
            items: result.items,
            total: result.total,
            facets,
            sorts,
            sort,
            query_string,
            next_page,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

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
async fn export_csv(
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
async fn export_xlsx(
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

#[derive(Template)]
#[template(path = "organisations/show.html")]
struct ShowTemplate {
    page: PageContext,
    org: Organisation,
    facts: Vec<(String, String)>,
    placeholders: Vec<(&'static str, String, String)>,
    /// Interactions, needs and tasks, newest first.
    timeline: Vec<msohub_service::dashboard::TimelineEntry>,
    history: Vec<HistoryLine>,
    people: Vec<(
        msohub_service::people::Affiliation,
        msohub_service::people::Person,
    )>,
    /// The organisation's offers, by title.
    offers: Vec<msohub_service::offers::Offer>,
    /// The description rendered from Markdown and sanitised.
    description_html: String,
    notice: Option<String>,
    /// Why the last logo upload was refused.
    logo_error: Option<String>,
    /// Whether a geocoder is set up (the button is shown then).
    geocoder_on: bool,
    /// Why the last geocoding failed.
    geo_error: Option<String>,
    can_write: bool,
}

struct HistoryLine {
    at: chrono::DateTime<chrono::Utc>,
    actor: String,
    action: String,
    changed: Vec<String>,
}

/// The names of the fields that differ between two audit snapshots.
fn changed_fields(
    tr: &Tr,
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

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let org = state.services.get_organisation(&actor, id).await?;
    let history = state.services.organisation_history(&actor, id).await?;
    let mut page = super::staff_page(&state, &parts, &actor, "orgs-title").await;
    page.title = org.name.clone();
    let tr = page.tr;
    let topics = state.services.terms("topic").await?;
    let groups = state.services.terms("target_group").await?;
    let none = || "–".to_owned();
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(none);
    let facts = vec![
        (tr.t("field-kind"), tr.t(&format!("kind-{}", org.kind))),
        (
            tr.t("field-alternate_names"),
            if org.alternate_names.is_empty() {
                none()
            } else {
                org.alternate_names.join(", ")
            },
        ),
        (
            tr.t("field-legal_status"),
            org.legal_status
                .as_ref()
                .map_or_else(none, |l| tr.t(&format!("legal-{l}"))),
        ),
        (
            tr.t("field-register_number"),
            match (&org.register_court, &org.register_number) {
                (Some(c), Some(n)) => format!("{n} ({c})"),
                (None, Some(n)) => n.clone(),
                _ => none(),
            },
        ),
        (
            tr.t("field-founding_year"),
            org.founding_year.map_or_else(none, |y| y.to_string()),
        ),
        (
            tr.t("field-member_count"),
            org.member_count.map_or_else(none, |n| n.to_string()),
        ),
        (
            tr.t("field-origins"),
            if org.origins.is_empty() {
                none()
            } else {
                org.origins.join(", ")
            },
        ),
        (
            tr.t("field-languages"),
            if org.languages.is_empty() {
                none()
            } else {
                org.languages.join(", ")
            },
        ),
        (
            tr.t("field-topics"),
            if org.topics.is_empty() {
                none()
            } else {
                org.topics
                    .iter()
                    .map(|t| term_label(&tr, &topics, t))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        (
            tr.t("field-target_groups"),
            if org.target_groups.is_empty() {
                none()
            } else {
                org.target_groups
                    .iter()
                    .map(|t| term_label(&tr, &groups, t))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        (
            tr.t("field-address"),
            [
                org.street.clone(),
                match (&org.postcode, &org.city) {
                    (Some(p), Some(c)) => Some(format!("{p} {c}")),
                    (p, c) => p.clone().or(c.clone()),
                },
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        ),
        (tr.t("field-district"), opt(&org.district)),
        (
            tr.t("field-coordinates"),
            match (org.latitude, org.longitude) {
                (Some(lat), Some(lon)) => format!("{lat:.5}, {lon:.5}"),
                _ => none(),
            },
        ),
        (tr.t("field-website"), opt(&org.website)),
        (tr.t("field-email"), opt(&org.email)),
        (tr.t("field-phone"), opt(&org.phone)),
        (
            tr.t("field-is_public"),
            if org.is_public {
                tr.t("yes")
            } else {
                tr.t("no")
            },
        ),
        (
            tr.t("field-assured_at"),
            org.assured_at
                .as_ref()
                .map_or_else(|| tr.t("never"), |d| page.date(d)),
        ),
    ];
    let people = state.services.organisation_people(&actor, id).await?;
    let timeline = state.services.organisation_timeline(&actor, id).await?;
    let offers = state.services.organisation_offers(&actor, id).await?;
    let placeholders = ["meetings"]
        .into_iter()
        .map(|s| {
            (
                s,
                tr.t(&format!("org-section-{s}")),
                tr.t("org-section-coming"),
            )
        })
        .collect();
    let history = history
        .into_iter()
        .map(|e| HistoryLine {
            changed: changed_fields(&tr, &e.before, &e.after),
            at: e.at,
            actor: e.actor,
            action: e.action,
        })
        .collect();
    let notice = crate::forms::done_notice(tr, query_param(raw.as_deref(), "done").as_deref());
    let logo_error = query_param(raw.as_deref(), "logo_error")
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
    let geo_error = query_param(raw.as_deref(), "geo_error")
        .filter(|r| {
            [
                "geocoder-off",
                "address-missing",
                "address-not-found",
                "geocoder-unreachable",
            ]
            .contains(&r.as_str())
        })
        .map(|r| tr.t(&format!("rule-{r}")));
    let geocoder_on = !state.services.geocoder().await?.url.is_empty();
    Ok(render(
        StatusCode::OK,
        &ShowTemplate {
            logo_error,
            geo_error,
            geocoder_on,
            page,
            people,
            offers,
            description_html: msohub_docs::markdown_to_html(&org.description),
            can_write: actor.can(Permission::WriteStaffArea),
            org,
            facts,
            placeholders,
            timeline,
            history,
            notice,
        },
    ))
}

/// A checkbox group of a vocabulary: (field, legend, [(code, label, checked)]).
type TermGroup = (&'static str, String, Vec<(String, String, bool)>);

#[derive(Template)]
#[template(path = "organisations/form.html")]
struct FormTemplate {
    page: PageContext,
    id: Option<Uuid>,
    input: OrganisationInput,
    errors: FormErrors,
    conflicts: Vec<(String, String, String)>,
    kinds: Vec<(&'static str, String)>,
    legal_statuses: Vec<(&'static str, String)>,
    term_groups: Vec<TermGroup>,
    public_parts: Vec<(&'static str, String, bool)>,
}

async fn form_template(
    state: &AppState,
    parts: &Parts,
    actor: &msohub_service::Actor,
    id: Option<Uuid>,
    input: OrganisationInput,
    errors: Option<FormErrors>,
    conflicts: Vec<(String, String, String)>,
) -> Result<FormTemplate, WebError> {
    let key = if id.is_some() {
        "org-edit-title"
    } else {
        "org-new-title"
    };
    let page = super::staff_page(state, parts, actor, key).await;
    let tr = page.tr;
    let kinds = OrganisationKind::ALL
        .iter()
        .map(|k| (k.code(), tr.t(&format!("kind-{}", k.code()))))
        .collect();
    let legal_statuses = LegalStatus::ALL
        .iter()
        .map(|l| (l.code(), tr.t(&format!("legal-{}", l.code()))))
        .collect();
    let mut term_groups = Vec::new();
    for (name, vocabulary, selected) in [
        ("topics", "topic", &input.topics),
        ("target_groups", "target_group", &input.target_groups),
    ] {
        let terms = state.services.terms(vocabulary).await?;
        // Retired terms are offered only where a record still carries them.
        let options = terms
            .iter()
            .filter(|t| !t.retired || selected.contains(&t.code))
            .map(|t| {
                (
                    t.code.clone(),
                    term_label(&tr, &terms, &t.code),
                    selected.contains(&t.code),
                )
            })
            .collect();
        term_groups.push((name, tr.t(&format!("field-{name}")), options));
    }
    let public_parts = PUBLIC_PARTS
        .iter()
        .map(|p| {
            (
                *p,
                tr.t(&format!("public-part-{p}")),
                input.public_parts.iter().any(|x| x == p),
            )
        })
        .collect();
    Ok(FormTemplate {
        page,
        id,
        input,
        errors: errors.unwrap_or(FormErrors::none(tr)),
        conflicts,
        kinds,
        legal_statuses,
        term_groups,
        public_parts,
    })
}

async fn new_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let input = OrganisationInput {
        kind: "mso".into(),
        ..OrganisationInput::default()
    };
    Ok(render(
        StatusCode::OK,
        &form_template(&state, &parts, &actor, None, input, None, Vec::new()).await?,
    ))
}

async fn edit_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let org = state.services.get_organisation(&actor, id).await?;
    Ok(render(
        StatusCode::OK,
        &form_template(
            &state,
            &parts,
            &actor,
            Some(id),
            org.to_input(),
            None,
            Vec::new(),
        )
        .await?,
    ))
}

/// A form body, with repeated keys for checkbox groups.
fn input_from(pairs: Vec<(String, String)>) -> OrganisationInput {
    let mut i = OrganisationInput::default();
    for (k, v) in pairs {
        match k.as_str() {
            "name" => i.name = v,
            "alternate_names" => i.alternate_names = v,
            "kind" => i.kind = v,
            "legal_status" => i.legal_status = v,
            "register_court" => i.register_court = v,
            "register_number" => i.register_number = v,
            "founding_year" => i.founding_year = v,
            "member_count" => i.member_count = v,
            "origins" => i.origins = v,
            "languages" => i.languages = v,
            "topics" => i.topics.push(v),
            "target_groups" => i.target_groups.push(v),
            "street" => i.street = v,
            "postcode" => i.postcode = v,
            "city" => i.city = v,
            "district" => i.district = v,
            "latitude" => i.latitude = v,
            "longitude" => i.longitude = v,
            "website" => i.website = v,
            "email" => i.email = v,
            "phone" => i.phone = v,
            "description" => i.description = v,
            "internal_notes" => i.internal_notes = v,
            "is_public" => i.is_public = !v.is_empty(),
            "public_parts" => i.public_parts.push(v),
            "version" => i.version = v.parse().unwrap_or(-1),
            _ => {}
        }
    }
    i
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let input = input_from(body);
    match state.services.create_organisation(&actor, &input).await {
        Ok(org) => Ok(
            Redirect::to(&format!("/app/organisations/{}?done=created", org.id)).into_response(),
        ),
        Err(msohub_service::Error::Validation(fields)) => {
            let tr = Tr::new(crate::i18n::request_language_parts(&parts));
            let t = form_template(
                &state,
                &parts,
                &actor,
                None,
                input,
                Some(FormErrors::fields(tr, fields)),
                Vec::new(),
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &t))
        }
        Err(e) => Err(e.into()),
    }
}

/// Fields where the user's input and the stored record differ, for the
/// conflict table: (field label, yours, current).
fn differences(
    tr: &Tr,
    yours: &OrganisationInput,
    current: &OrganisationInput,
) -> Vec<(String, String, String)> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(yours), serde_json::to_value(current))
    else {
        return Vec::new();
    };
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    };
    a.iter()
        .filter(|(k, v)| k.as_str() != "version" && b.get(*k) != Some(*v))
        .map(|(k, v)| {
            (
                tr.t(&format!("field-{k}")),
                show(v),
                b.get(k).map(show).unwrap_or_default(),
            )
        })
        .collect()
}

async fn update(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let input = input_from(body);
    let tr = Tr::new(crate::i18n::request_language_parts(&parts));
    match state.services.update_organisation(&actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/app/organisations/{id}?done=saved")).into_response()),
        Err(msohub_service::Error::Validation(fields)) => {
            let t = form_template(
                &state,
                &parts,
                &actor,
                Some(id),
                input,
                Some(FormErrors::fields(tr, fields)),
                Vec::new(),
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &t))
        }
        Err(msohub_service::Error::Conflict(_)) => {
            // Show the current record in the form, and what differs from
            // what this user typed, so nothing is overwritten unseen.
            let current = state
                .services
                .get_organisation(&actor, id)
                .await?
                .to_input();
            let conflicts = differences(&tr, &input, &current);
            let t = form_template(
                &state,
                &parts,
                &actor,
                Some(id),
                current,
                Some(FormErrors::general(tr, "form-conflict")),
                conflicts,
            )
            .await?;
            Ok(render(StatusCode::CONFLICT, &t))
        }
        Err(e) => Err(e.into()),
    }
}

async fn small_change(
    result: Result<Organisation, msohub_service::Error>,
    id: Uuid,
    done: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/app/organisations/{id}?done={done}")).into_response()),
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/app/organisations/{id}?done=stale")).into_response())
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
    small_change(
        state
            .services
            .delete_organisation(&actor, id, f.version)
            .await,
        id,
        "deleted",
    )
    .await
}

async fn restore(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    small_change(
        state
            .services
            .restore_organisation(&actor, id, f.version)
            .await,
        id,
        "restored",
    )
    .await
}

async fn checked(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    small_change(
        state
            .services
            .mark_organisation_checked(&actor, id, f.version)
            .await,
        id,
        "checked",
    )
    .await
}

/// Coordinates from the address, through the geocoder of the settings.
async fn geocode(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<crate::forms::VersionForm>,
) -> Result<Response, WebError> {
    match state
        .services
        .geocode_organisation(&actor, id, f.version)
        .await
    {
        Err(msohub_service::Error::Validation(fields)) => {
            let rule = fields
                .first()
                .map_or("geocoder-unreachable", |f| f.rule.as_str());
            Ok(Redirect::to(&format!("/app/organisations/{id}?geo_error={rule}")).into_response())
        }
        other => small_change(other, id, "geocoded").await,
    }
}

/// The organisation id in what a user pastes: an id, or the address of the
/// organisation's page.
fn id_in(input: &str) -> Option<Uuid> {
    input
        .trim()
        .trim_end_matches('/')
        .split(['/', '?', '#'])
        .filter_map(|part| part.parse::<Uuid>().ok())
        .next_back()
}

#[derive(serde::Deserialize)]
struct MergeQuery {
    #[serde(default)]
    duplicate: String,
}

#[derive(Template)]
#[template(path = "organisations/merge.html")]
struct MergeTemplate {
    page: PageContext,
    keep: Organisation,
    duplicate: Organisation,
}

async fn merge_confirm(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    axum::extract::Query(q): axum::extract::Query<MergeQuery>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let keep = state.services.get_organisation(&actor, id).await?;
    let Some(dup_id) = id_in(&q.duplicate).filter(|d| *d != id) else {
        return Ok(
            Redirect::to(&format!("/app/organisations/{id}?done=merge-invalid")).into_response(),
        );
    };
    let duplicate = match state.services.get_organisation(&actor, dup_id).await {
        Ok(d) if !d.deleted => d,
        Ok(_) | Err(msohub_service::Error::NotFound) => {
            return Ok(
                Redirect::to(&format!("/app/organisations/{id}?done=merge-invalid"))
                    .into_response(),
            );
        }
        Err(e) => return Err(e.into()),
    };
    let page = super::staff_page(&state, &parts, &actor, "org-merge-title").await;
    Ok(render(
        StatusCode::OK,
        &MergeTemplate {
            page,
            keep,
            duplicate,
        },
    ))
}

#[derive(serde::Deserialize)]
struct MergeForm {
    duplicate: Uuid,
    version: i32,
    duplicate_version: i32,
}

async fn merge(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    form: Result<Form<MergeForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    // The role first: a caller without it learns nothing from the form.
    actor.require(Permission::WriteStaffArea)?;
    let Ok(Form(f)) = form else {
        return Ok(
            Redirect::to(&format!("/app/organisations/{id}?done=merge-invalid")).into_response(),
        );
    };
    match state
        .services
        .merge_organisations(&actor, id, f.version, f.duplicate, f.duplicate_version)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/app/organisations/{id}?done=merged")).into_response()),
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/app/organisations/{id}?done=stale")).into_response())
        }
        Err(msohub_service::Error::Validation(_)) => Ok(Redirect::to(&format!(
            "/app/organisations/{id}?done=merge-invalid"
        ))
        .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_id_in_an_address_or_alone() {
        let id = Uuid::now_v7();
        assert_eq!(id_in(&id.to_string()), Some(id));
        assert_eq!(
            id_in(&format!(
                "http://127.0.0.1:8080/app/organisations/{id}?done=saved"
            )),
            Some(id)
        );
        assert_eq!(id_in(&format!(" /app/organisations/{id}/ ")), Some(id));
        assert_eq!(id_in("Kulturverein"), None);
    }
}
