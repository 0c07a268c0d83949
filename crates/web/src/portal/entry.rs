//! The start page and the organisation's entry: what waits, "is your entry
//! still correct?", and the profile form whose changes become a proposal.

use super::{
    Choice, Portal, choices, form_errors, form_object, language, list_of, portal, text_of,
};
use crate::AppState;
use crate::auth::MaybeUser;
use crate::directory::Labels;
use crate::error::WebError;
use crate::forms::{FormErrors, VersionForm};
use crate::page::{PageContext, render};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_service::portal::home::{PortalHome, PortalOrganisation};
use msohub_service::portal::proposals::Entity;
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/portal/{lang}/", home)
        .get("/portal/{lang}", home)
        .post("/portal/{lang}/organisations/{id}/confirm", confirm)
        .get("/portal/{lang}/entry", entry_list)
        .get("/portal/{lang}/entry/{id}", entry_page)
        .post("/portal/{lang}/entry/{id}", entry_submit)
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomeTemplate {
    page: PageContext,
    home: PortalHome,
    notice: Option<String>,
    labels: Labels,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Done {
    done: Option<String>,
}

async fn home(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(code): Path<String>,
    crate::query::Query(q): crate::query::Query<Done>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, actor, .. } = match portal(&state, user, lang, "/", "portal-nav-home").await
    {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let home = state.services.portal_home(&actor).await?;
    let tr = page.tr;
    let notice = q.done.as_deref().map(|d| match d {
        "published" => tr.t("portal-change-published"),
        "need" => tr.t("portal-need-sent"),
        "idea" => tr.t("portal-idea-sent"),
        "confirmed" => tr.t("portal-home-confirmed"),
        "answered" => tr.t("portal-meeting-thanks"),
        _ => tr.t("portal-change-sent"),
    });
    let labels = Labels::load(&state, lang).await?;
    Ok(render(
        StatusCode::OK,
        &HomeTemplate {
            page,
            home,
            notice,
            labels,
        },
    ))
}

async fn confirm(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id)): Path<(String, Uuid)>,
    Form(form): Form<VersionForm>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { actor, .. } = match portal(&state, user, lang, "/", "portal-nav-home").await {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    match state
        .services
        .confirm_organisation(&actor, id, form.version)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/portal/{}/?done=confirmed", lang.code())).into_response())
        }
        // Changed meanwhile: the start page shows the current state.
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/portal/{}/", lang.code())).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// With one organisation, its entry; with several, the choice.
async fn entry_list(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, user, .. } =
        match portal(&state, user, lang, "/entry", "portal-nav-entry").await {
            Ok(p) => p,
            Err(r) => return Ok(r),
        };
    if let [only] = user.organisations.as_slice() {
        return Ok(
            Redirect::to(&format!("/portal/{}/entry/{}", lang.code(), only.id)).into_response(),
        );
    }
    Ok(render(StatusCode::OK, &EntryListTemplate { page, user }))
}

#[derive(Template)]
#[template(path = "portal/entry_list.html")]
struct EntryListTemplate {
    page: PageContext,
    user: msohub_service::portal::PortalUser,
}

/// The profile form's choices.
struct EntryChoices {
    topics: Vec<Choice>,
    target_groups: Vec<Choice>,
    languages: Vec<Choice>,
    parts: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "portal/entry.html")]
struct EntryTemplate {
    page: PageContext,
    organisation: PortalOrganisation,
    values: Map<String, Value>,
    choices: EntryChoices,
    errors: FormErrors,
}

impl EntryTemplate {
    fn v(&self, key: &str) -> String {
        text_of(&self.values, key)
    }
    fn flag(&self, key: &str) -> bool {
        self.values
            .get(key)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }
}

/// The languages an organisation or offer can name, as the form offers them
/// (their own names).
pub(crate) fn language_choices(selected: &[String]) -> Vec<Choice> {
    choices(
        msohub_domain::offers::OFFER_LANGUAGES
            .iter()
            .map(|(code, _, _)| {
                (
                    (*code).to_owned(),
                    msohub_domain::offers::endonym(code).to_owned(),
                )
            })
            .collect(),
        selected,
    )
}

pub(crate) async fn term_choices(
    state: &AppState,
    labels: &Labels,
    vocabulary: &str,
    selected: &[String],
) -> Result<Vec<Choice>, WebError> {
    Ok(choices(
        state
            .services
            .terms(vocabulary)
            .await?
            .into_iter()
            .filter(|t| !t.retired)
            .map(|t| (t.code.clone(), labels.term(vocabulary, &t.code)))
            .collect(),
        selected,
    ))
}

async fn entry_template(
    state: &AppState,
    page: PageContext,
    organisation: PortalOrganisation,
    values: Map<String, Value>,
    errors: FormErrors,
) -> Result<EntryTemplate, WebError> {
    let labels = Labels::load(state, page.lang).await?;
    let tr = page.tr;
    let choices = EntryChoices {
        topics: term_choices(state, &labels, "topic", &list_of(&values, "topics")).await?,
        target_groups: term_choices(
            state,
            &labels,
            "target_group",
            &list_of(&values, "target_groups"),
        )
        .await?,
        languages: language_choices(&list_of(&values, "languages")),
        parts: choices(
            ["description", "address", "contact", "details", "languages"]
                .iter()
                .map(|p| ((*p).to_owned(), tr.t(&format!("portal-part-{p}"))))
                .collect(),
            &list_of(&values, "public_parts"),
        ),
    };
    Ok(EntryTemplate {
        page,
        organisation,
        values,
        choices,
        errors,
    })
}

fn input_values(organisation: &PortalOrganisation) -> Map<String, Value> {
    match serde_json::to_value(&organisation.input) {
        Ok(Value::Object(mut m)) => {
            // Lists are edited as lists, not as comma-separated text.
            for key in ["languages", "origins"] {
                if let Some(Value::String(s)) = m.get(key).cloned() {
                    m.insert(
                        key.to_owned(),
                        Value::Array(
                            s.split(',')
                                .map(|x| Value::String(x.trim().to_owned()))
                                .filter(|x| x.as_str() != Some(""))
                                .collect(),
                        ),
                    );
                }
            }
            m
        }
        _ => Map::new(),
    }
}

async fn entry_page(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id)): Path<(String, Uuid)>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal {
        mut page, actor, ..
    } = match portal(
        &state,
        user,
        lang,
        &format!("/entry/{id}"),
        "portal-nav-entry",
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let organisation = state.services.portal_organisation(&actor, id).await?;
    page.title = page.tr.t1(
        "portal-entry-title",
        "organisation",
        &organisation.input.name,
    );
    let values = input_values(&organisation);
    let tr = page.tr;
    Ok(render(
        StatusCode::OK,
        &entry_template(
            &state,
            page,
            organisation,
            values,
            FormErrors::none(tr).portal(),
        )
        .await?,
    ))
}

const LISTS: [&str; 5] = [
    "topics",
    "target_groups",
    "languages",
    "public_parts",
    "alternate_names",
];

async fn entry_submit(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id)): Path<(String, Uuid)>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal {
        mut page, actor, ..
    } = match portal(
        &state,
        user,
        lang,
        &format!("/entry/{id}"),
        "portal-nav-entry",
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let mut patch = form_object(&body, &LISTS, &["is_public"]);
    // Alternate names are typed one per line.
    if let Some(Value::Array(lines)) = patch.get("alternate_names").cloned() {
        let text = lines
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n");
        patch.insert("alternate_names".into(), Value::String(text));
    }
    // The organisation's own lists are stored as text ("de, tr").
    if let Some(Value::Array(items)) = patch.get("languages").cloned() {
        let text = items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        patch.insert("languages".into(), Value::String(text));
    }
    match state
        .services
        .propose_change(
            &actor,
            Entity::Organisation,
            id,
            &Value::Object(patch.clone()),
        )
        .await
    {
        Ok(proposal) => Ok(super::after_proposal(lang, &proposal)),
        Err(e) => {
            let organisation = state.services.portal_organisation(&actor, id).await?;
            page.title = page.tr.t1(
                "portal-entry-title",
                "organisation",
                &organisation.input.name,
            );
            let stale = matches!(e, msohub_service::Error::Conflict(_));
            let errors = form_errors(page.tr, e)?;
            // Stale: the current state; otherwise what was typed.
            let values = if stale {
                input_values(&organisation)
            } else {
                let mut v = input_values(&organisation);
                for (k, val) in form_object(&body, &LISTS, &["is_public"]) {
                    v.insert(k, val);
                }
                v
            };
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &entry_template(&state, page, organisation, values, errors).await?,
            ))
        }
    }
}
