//! Create and edit forms; a stale save shows the current record and what
//! differs from what the user typed, and overwrites nothing.

use super::term_label;
use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::page::{PageContext, render};
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_domain::organisation::{LegalStatus, OrganisationKind};
use msohub_service::organisations::{OrganisationInput, PUBLIC_PARTS};
use uuid::Uuid;

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

pub(super) async fn new_form(
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

pub(super) async fn edit_form(
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

pub(super) async fn create(
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

pub(super) async fn update(
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
