//! "Bedarf melden" and "Idee vorschlagen": what the organisations tell the
//! office, and what became of it.

use super::entry::term_choices;
use super::{Choice, Portal, choices, form_errors, language, portal};
use crate::AppState;
use crate::auth::MaybeUser;
use crate::directory::Labels;
use crate::error::WebError;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_service::ideas::{Idea, IdeaInput};
use msohub_service::needs::{Need, NeedInput};
use msohub_service::portal::PortalUser;

pub fn routes(r: Routes) -> Routes {
    r.get("/portal/{lang}/needs", needs_page)
        .post("/portal/{lang}/needs", need_submit)
        .get("/portal/{lang}/ideas", ideas_page)
        .post("/portal/{lang}/ideas", idea_submit)
}

#[derive(Template)]
#[template(path = "portal/needs.html")]
struct NeedsTemplate {
    page: PageContext,
    needs: Vec<Need>,
    input: NeedInput,
    categories: Vec<Choice>,
    urgencies: Vec<Choice>,
    organisations: Vec<Choice>,
    errors: FormErrors,
    labels: Labels,
}

async fn needs_template(
    state: &AppState,
    page: PageContext,
    user: PortalUser,
    actor: &msohub_service::Actor,
    input: NeedInput,
    errors: FormErrors,
) -> Result<NeedsTemplate, WebError> {
    let labels = Labels::load(state, page.lang).await?;
    let needs = state.services.portal_needs(actor).await?;
    let categories = term_choices(
        state,
        &labels,
        "need_category",
        std::slice::from_ref(&input.category),
    )
    .await?;
    let urgency = if input.urgency.is_empty() {
        "normal".to_owned()
    } else {
        input.urgency.clone()
    };
    let urgencies = choices(
        ["low", "normal", "high"]
            .iter()
            .map(|u| ((*u).to_owned(), page.tr.t(&format!("portal-urgency-{u}"))))
            .collect(),
        &[urgency],
    );
    let organisations = organisation_choices(&user, &input.organisation_id);
    Ok(NeedsTemplate {
        page,
        needs,
        input,
        categories,
        urgencies,
        organisations,
        errors,
        labels,
    })
}

/// The representative's organisations to choose from (the first chosen).
fn organisation_choices(user: &PortalUser, chosen: &str) -> Vec<Choice> {
    let chosen = if chosen.is_empty() {
        user.organisations
            .first()
            .map(|o| o.id.to_string())
            .unwrap_or_default()
    } else {
        chosen.to_owned()
    };
    choices(
        user.organisations
            .iter()
            .map(|o| (o.id.to_string(), o.name.clone()))
            .collect(),
        &[chosen],
    )
}

async fn needs_page(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, user, actor } =
        match portal(&state, user, lang, "/needs", "portal-needs-title").await {
            Ok(p) => p,
            Err(r) => return Ok(r),
        };
    let tr = page.tr;
    let t = needs_template(
        &state,
        page,
        user,
        &actor,
        NeedInput::default(),
        FormErrors::none(tr).portal(),
    )
    .await?;
    Ok(render(StatusCode::OK, &t))
}

async fn need_submit(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(code): Path<String>,
    Form(input): Form<NeedInput>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, user, actor } =
        match portal(&state, user, lang, "/needs", "portal-needs-title").await {
            Ok(p) => p,
            Err(r) => return Ok(r),
        };
    match state.services.report_need(&actor, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/portal/{}/?done=need", lang.code())).into_response()),
        Err(e) => {
            let errors = form_errors(page.tr, e)?;
            let t = needs_template(&state, page, user, &actor, input, errors).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &t))
        }
    }
}

#[derive(Template)]
#[template(path = "portal/ideas.html")]
struct IdeasTemplate {
    page: PageContext,
    ideas: Vec<Idea>,
    input: IdeaInput,
    organisations: Vec<Choice>,
    errors: FormErrors,
}

async fn ideas_page(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, user, actor } =
        match portal(&state, user, lang, "/ideas", "portal-ideas-title").await {
            Ok(p) => p,
            Err(r) => return Ok(r),
        };
    let ideas = state.services.portal_ideas(&actor).await?;
    let tr = page.tr;
    Ok(render(
        StatusCode::OK,
        &IdeasTemplate {
            page,
            ideas,
            organisations: organisation_choices(&user, ""),
            input: IdeaInput::default(),
            errors: FormErrors::none(tr).portal(),
        },
    ))
}

async fn idea_submit(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(code): Path<String>,
    Form(input): Form<IdeaInput>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, user, actor } =
        match portal(&state, user, lang, "/ideas", "portal-ideas-title").await {
            Ok(p) => p,
            Err(r) => return Ok(r),
        };
    match state.services.propose_idea(&actor, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/portal/{}/?done=idea", lang.code())).into_response()),
        Err(e) => {
            let errors = form_errors(page.tr, e)?;
            let ideas = state.services.portal_ideas(&actor).await?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &IdeasTemplate {
                    page,
                    ideas,
                    organisations: organisation_choices(&user, &input.organisation_id),
                    input,
                    errors,
                },
            ))
        }
    }
}
