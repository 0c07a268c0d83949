//! The JSON API under `/api/v1/`: the same use cases as the pages, for
//! scripts and other software. Authentication by session cookie or
//! `Authorization: Bearer <token>`; errors as problem+json.
//!
//! Every operation is described with `#[utoipa::path]` beside its handler
//! and listed in [`ApiDoc`]; the document is served at
//! `/api/v1/openapi.json` and rendered as the docs page (`docs`). A test
//! compares the document with the route table, so an undocumented route
//! fails the suite.

mod accounts;
mod audit;
mod beyond;
mod bodies;
pub(crate) mod contract;
mod events;
pub(crate) mod export;
mod hsds;
pub(crate) mod import;
pub(crate) use events::event_query;
pub mod docs;
mod mailings;
mod offers;
mod organisations;
mod persons;
pub(crate) mod portal;
pub(crate) mod privacy;
mod projects;
mod settings;
mod surveys;
mod targets;
mod taxonomies;
mod work;

use crate::AppState;
use crate::api_error::ApiError;
use crate::routes::Routes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use std::sync::LazyLock;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, RefOr, ResponseBuilder};

pub fn routes(r: Routes) -> Routes {
    let r = r.get("/api/v1/openapi.json", openapi_json);
    let r = accounts::routes(r);
    let r = organisations::routes(r);
    let r = persons::routes(r);
    let r = settings::routes(r);
    let r = taxonomies::routes(r);
    let r = work::routes(r);
    let r = bodies::routes(r);
    let r = events::routes(r);
    let r = hsds::routes(r);
    let r = offers::routes(r);
    let r = targets::routes(r);
    let r = projects::routes(r);
    let r = beyond::routes(r);
    let r = export::routes(r);
    let r = import::routes(r);
    let r = privacy::routes(r);
    let r = portal::routes(r);
    let r = surveys::routes(r);
    let r = mailings::routes(r);
    audit::routes(r)
}

/// A JSON body whose rejections are problem+json with a clear detail.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let mut value = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(rejection) => return Err(ApiError::new(rejection.status(), rejection.body_text())),
        };
        whole_numbers(&mut value);
        typed(value).map(ApiJson)
    }
}

/// JSON does not tell `1` from `1.0`, and neither does JSON Schema's
/// `integer`: a whole number written with a fraction or an exponent is read
/// as the integer it is.
fn whole_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *value = serde_json::Value::from(f as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        serde_json::Value::Object(map) => map.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// Path parameters. One that does not parse (an id that is no UUID) names
/// no record: 404 problem+json, as for an id that does not exist.
pub(crate) struct Path<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::PathRejection;
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => {
                Err(msohub_service::Error::NotFound.into())
            }
            Err(other) => Err(ApiError::new(other.status(), other.body_text())),
        }
    }
}

/// A JSON body that may be left out entirely (then `T::default()`), for
/// actions whose fields are all optional (`POST …/accept`).
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default> FromRequest<AppState> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|r| ApiError::new(r.status(), r.body_text()))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        let mut value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::bad_request(format!("Failed to parse the request body as JSON: {e}"))
        })?;
        if value.is_null() {
            return Ok(OptionalJson(T::default()));
        }
        whole_numbers(&mut value);
        typed(value).map(OptionalJson)
    }
}

/// A JSON value as `T`; what does not fit answers 422 naming the field.
fn typed<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "Failed to deserialize the JSON body into the target type: {}: {}",
                e.path(),
                e.inner()
            ),
        )
    })
}

/// A JSON body of a write, read only after the role check, so a caller
/// without the right learns nothing from validation messages.
pub(crate) fn writer<T>(
    actor: &msohub_service::Actor,
    body: Result<ApiJson<T>, ApiError>,
) -> Result<T, ApiError> {
    actor.require(msohub_domain::Permission::WriteStaffArea)?;
    Ok(body?.0)
}

/// The `project` of a report request (none: the whole period).
pub(crate) fn targets_project_param(
    raw: Option<&str>,
) -> Result<Option<uuid::Uuid>, msohub_service::Error> {
    targets::project_param(raw)
}

/// `version` from the query (required for a DELETE).
pub(crate) fn version_param(raw: Option<&str>) -> Result<i32, ApiError> {
    crate::pages::organisations::query_param(raw, "version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| msohub_service::Error::field("version", "required").into())
}

/// An error (RFC 9457 problem details).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct Problem {
    /// Always `about:blank`.
    r#type: String,
    /// The HTTP status text.
    title: String,
    status: u16,
    /// What went wrong, in English.
    detail: String,
    /// The fields at fault (422 only).
    errors: Option<Vec<ProblemField>>,
}

/// One field at fault: its name and the rule it broke (for example
/// `required`, `too-long`, `choice-unknown`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct ProblemField {
    field: String,
    rule: String,
}

/// The id of a record just created.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct Created {
    id: uuid::Uuid,
}

/// The caller.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct Me {
    id: Option<uuid::Uuid>,
    email: String,
    display_name: String,
    /// admin, staff, mso_editor, auditor
    role: String,
    organisation_id: Option<uuid::Uuid>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct UserList {
    items: Vec<msohub_service::accounts::User>,
    /// Always null: the list is complete.
    next_cursor: Option<String>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct TokenList {
    items: Vec<msohub_service::accounts::ApiToken>,
    /// Always null: the list is complete.
    next_cursor: Option<String>,
}

/// Entries of the audit log; `next_after` (feed) or `next_before` (browse)
/// continues.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct AuditPage {
    items: Vec<msohub_service::audit::AuditEntry>,
    next_after: Option<i64>,
    next_before: Option<i64>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "msohub API",
        description = "The registry, contacts, meetings and reports of a municipal integration centre and the migrant self-organisations of its city.\n\nAuthenticate with a session cookie (signed in through the web UI) or with `Authorization: Bearer <token>` (create tokens under *Konto → API-Tokens*). Writes from other web sites are refused (`Sec-Fetch-Site`, `Origin`).\n\nChanges carry the `version` they are based on; a stale version is refused with 409 and nothing changes. Lists are paged with an opaque `cursor`. Errors are `application/problem+json`.",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
    ),
    paths(
        accounts::me, accounts::change_password, accounts::list_users, accounts::create_user, accounts::get_user,
        accounts::update_user, accounts::list_tokens, accounts::create_token, accounts::revoke_token,
        organisations::list, organisations::create, organisations::get, organisations::patch,
        organisations::delete, organisations::merge,
        organisations::get_logo, organisations::put_logo, organisations::delete_logo,
        organisations::geocode, settings::get, settings::put,
        taxonomies::list, taxonomies::create, taxonomies::change,
        work::list_interactions, work::create_interaction, work::get_interaction,
        work::patch_interaction, work::delete_interaction, work::add_attachment,
        work::get_attachment, work::delete_attachment,
        work::list_needs, work::need_overview, work::create_need, work::get_need,
        work::patch_need, work::delete_need,
        work::list_tasks, work::create_task, work::get_task, work::patch_task, work::delete_task,
        bodies::list_bodies, bodies::create_body, bodies::get_body, bodies::patch_body,
        bodies::delete_body, bodies::add_member, bodies::delete_member, bodies::end_member, bodies::body_attendance,
        bodies::list_meetings, bodies::create_meeting, bodies::get_meeting, bodies::patch_meeting,
        bodies::delete_meeting, bodies::get_attendance, bodies::put_attendance, bodies::list_invitations, bodies::invite,
        bodies::oparl_config, bodies::oparl_sync,
        hsds::organizations, hsds::services,
        events::list_events, events::create_event, events::get_event, events::patch_event, events::delete_event,
        targets::list_periods, targets::create_period, targets::get_period, targets::patch_period, targets::delete_period, targets::create_target,
        targets::get_target, targets::patch_target, targets::delete_target, targets::report, targets::finalise, targets::versions, targets::version, targets::diff,
        targets::get_texts, targets::put_texts, beyond::list, beyond::create, beyond::change, beyond::delete,
        projects::list_projects, projects::create_project, projects::get_project,
        projects::patch_project, projects::delete_project,
        persons::list, persons::create, persons::get, persons::patch, persons::delete,
        persons::add_affiliation, persons::add_consent,
        offers::list_offers, offers::create_offer, offers::get_offer, offers::patch_offer, offers::delete_offer,
        audit::audit_log, export::export, openapi_json,
        import::import, import::fields, import::profiles, import::put_profile, import::delete_profile,
        privacy::subject_access, privacy::erase, privacy::retention, privacy::remind,
        portal::list_invitations, portal::create_invitation, portal::resend_invitation,
        portal::revoke_invitation, portal::list_proposals, portal::get_proposal,
        portal::accept_proposal, portal::reject_proposal, portal::list_ideas, portal::create_idea,
        portal::get_idea, portal::patch_idea, portal::delete_idea, portal::meeting_answers,
        portal::put_trusted, portal::portal_home, portal::portal_organisation,
        portal::confirm_organisation, portal::portal_meetings, portal::portal_meeting,
        portal::answer_meeting, portal::portal_me, portal::put_consent, portal::portal_needs,
        portal::portal_ideas,
        surveys::list_surveys, surveys::create_survey, surveys::get_survey, surveys::update_survey,
        surveys::delete_survey, surveys::send_survey, surveys::survey_results, surveys::export_answers,
        surveys::organisation_survey, surveys::put_answer, surveys::portal_surveys,
        surveys::survey_links, surveys::survey_link, surveys::renew_survey_link, surveys::invite, surveys::remind,
        surveys::deliveries, surveys::recipients, surveys::need_from_answer, surveys::link_survey, surveys::link_answer,
        mailings::list_mailings, mailings::create_mailing, mailings::get_mailing, mailings::update_mailing,
        mailings::delete_mailing, mailings::audience, mailings::test_mailing, mailings::send_mailing,
        mailings::add_attachment, mailings::subscription, mailings::unsubscribe,
    ),
    components(schemas(Problem, ProblemField)),
    modifiers(&Common),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "organisations", description = "The registry of organisations"),
        (name = "persons", description = "People, their affiliations and consent records"),
        (name = "interactions", description = "Visits, calls and meetings with organisations (Kontakte), with attachments"),
        (name = "needs", description = "Needs the organisations expressed (Bedarfe)"),
        (name = "offers", description = "Offers (Angebote) of the organisations and the office, with schedules"),
        (name = "tasks", description = "Follow-ups (Wiedervorlagen) linked to any record"),
        (name = "bodies", description = "Working groups, the integration council and other bodies, with members"),
        (name = "meetings", description = "Meetings of bodies: agenda, minutes, attendance, invitations"),
        (name = "hsds", description = "The public registry and offers in the Human Services Data Specification (HSDS 3.0); no sign-in"),
        (name = "events", description = "Events (Veranstaltungen) of the organisations and the office"),
        (name = "targets", description = "Reporting periods, projects (Handlungsfelder) and targets with computed progress"),
        (name = "taxonomies", description = "Vocabularies: topics, target groups, need categories"),
        (name = "accounts", description = "The caller, user accounts, API tokens and settings"),
        (name = "audit", description = "Who changed what, and the change feed"),
        (name = "export", description = "Every record of one type as CSV, XLSX or JSON"),
        (name = "mailings", description = "Mailings (Rundschreiben) to persons with their consent: audience, test, sending, the archive with delivery status, and unsubscribing"),
        (name = "surveys", description = "Needs surveys (Bedarfsabfragen): questionnaires sent to organisations, their answers and results"),
        (name = "import", description = "Organisations, persons, offers and events from CSV, XLSX or ODS files: checked row by row, imported all or nothing"),
    )
)]
pub struct ApiDoc;

/// Adds what every operation shares: the security schemes and the error
/// answers any call can get (401, 403, 404 on `{id}` paths, 422 on bodies).
struct Common;

impl utoipa::Modify for Common {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token (msohub_…)"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Cookie(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    "msohub_session",
                    "The session of the web UI",
                ),
            )),
        );
        let problem_content = ContentBuilder::new()
            .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                "Problem",
            ))))
            .build();
        let problem = |text: &str| -> RefOr<utoipa::openapi::Response> {
            RefOr::T(
                ResponseBuilder::new()
                    .description(text)
                    .content("application/problem+json", problem_content.clone())
                    .build(),
            )
        };
        // Schemas of bodies that carry the `version` a change is based on.
        let versioned: Vec<String> = components
            .schemas
            .iter()
            .filter(|(_, schema)| match schema {
                RefOr::T(utoipa::openapi::schema::Schema::Object(o)) => {
                    o.properties.contains_key("version")
                }
                _ => false,
            })
            .map(|(name, _)| format!("#/components/schemas/{name}"))
            .collect();
        let takes_version = |op: &utoipa::openapi::path::Operation| {
            let in_body = op.request_body.as_ref().is_some_and(|b| {
                b.content.values().any(|c| {
                    matches!(&c.schema, Some(RefOr::Ref(r)) if versioned.contains(&r.ref_location))
                })
            });
            let in_query = op.parameters.iter().flatten().any(|p| p.name == "version");
            in_body || in_query
        };
        for (path, item) in doc.paths.paths.iter_mut() {
            let ops = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.patch.as_mut(),
                item.delete.as_mut(),
            ];
            for op in ops.into_iter().flatten() {
                let versioned_op = takes_version(op);
                let has_body = op.request_body.is_some();
                let json_body = op
                    .request_body
                    .as_ref()
                    .is_some_and(|b| b.content.keys().any(|k| k.ends_with("json")));
                let has_params = !op.parameters.as_ref().is_none_or(Vec::is_empty);
                let r = &mut op.responses.responses;
                if path.as_str() == "/api/v1/openapi.json" {
                    continue;
                }
                r.entry("401".into()).or_insert_with(|| {
                    problem("Not signed in, or the token is unknown or revoked")
                });
                r.entry("403".into())
                    .or_insert_with(|| problem("The caller's role does not allow this"));
                if path.contains('{') {
                    r.entry("404".into())
                        .or_insert_with(|| problem("No such record"));
                }
                if has_body || has_params {
                    let invalid = "Invalid input; `errors` names every field at fault";
                    match r.get_mut("422") {
                        None => {
                            r.insert("422".into(), problem(invalid));
                        }
                        // A route whose 422 carries a report of its own
                        // (the import's rows) also answers problem+json
                        // when the request itself is at fault.
                        Some(RefOr::T(own)) => {
                            own.content
                                .entry("application/problem+json".into())
                                .or_insert_with(|| problem_content.clone());
                        }
                        Some(RefOr::Ref(_)) => {}
                    }
                }
                if has_body {
                    // A body naming another record by id: none such.
                    r.entry("404".into())
                        .or_insert_with(|| problem("No such record"));
                }
                if versioned_op {
                    r.entry("409".into()).or_insert_with(|| {
                        problem("Changed by someone else since `version`; nothing changed")
                    });
                }
                if has_body {
                    let json = json_body;
                    r.entry("400".into()).or_insert_with(|| {
                        problem(if json {
                            "The body is not well-formed JSON"
                        } else {
                            "The body could not be read"
                        })
                    });
                    r.entry("415".into()).or_insert_with(|| {
                        problem("The body is not of the documented content type")
                    });
                    if !json {
                        r.entry("413".into())
                            .or_insert_with(|| problem("The file is larger than allowed"));
                    }
                }
            }
        }
    }
}

/// The document, built once: the derived one, completed by the contract
/// table (vocabularies, formats, required fields).
pub static OPENAPI: LazyLock<String> = LazyLock::new(|| {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    contract::apply(&mut doc);
    serde_json::to_string_pretty(&doc).unwrap_or_default()
});

/// This document
///
/// This document (OpenAPI 3.1). Signed in with the right to read the staff
/// area, the office's own vocabularies (topics, target groups, categories)
/// are listed as the `enum` of the properties that take them; otherwise
/// such a property names its vocabulary in `x-vocabulary` (see
/// `GET /api/v1/taxonomies/{vocabulary}`).
#[utoipa::path(get, operation_id = "openapi", path = "/api/v1/openapi.json", tag = "accounts", security(()),
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json")))]
pub(crate) async fn openapi_json(
    axum::extract::State(state): axum::extract::State<AppState>,
    crate::auth::MaybeUser(actor): crate::auth::MaybeUser,
) -> Response {
    let json = |body: String| {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()
    };
    let Some(actor) = actor.filter(|a| a.can(msohub_domain::Permission::ReadStaffArea)) else {
        return json(OPENAPI.clone());
    };
    let mut terms = std::collections::HashMap::new();
    for vocabulary in msohub_service::taxonomies::VOCABULARIES {
        if let Ok(list) = state.services.vocabulary(&actor, vocabulary).await {
            let codes: Vec<String> = list
                .into_iter()
                .filter(|t| !t.retired)
                .map(|t| t.code)
                .collect();
            terms.insert(*vocabulary, codes);
        }
    }
    let mut doc: serde_json::Value = serde_json::from_str(&OPENAPI).unwrap_or_default();
    contract::with_terms(&mut doc, &|v| terms.get(v).cloned());
    json(serde_json::to_string_pretty(&doc).unwrap_or_default())
}
