//! Offers and events of the representative's organisations: new ones,
//! changes, ending an offer, cancelling an event — each a proposal.

use super::entry::{language_choices, term_choices};
use super::{
    Choice, Portal, choices, form_errors, form_object, language, list_of, portal, text_of,
};
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
use axum::response::Response;
use msohub_domain::Language;
use msohub_service::portal::proposals::Entity;
use serde_json::{Map, Value};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/portal/{lang}/entry/{id}/offers/new", new_offer)
        .post("/portal/{lang}/entry/{id}/offers", create_offer)
        .get("/portal/{lang}/offers/{id}", offer_page)
        .post("/portal/{lang}/offers/{id}", offer_submit)
        .post("/portal/{lang}/offers/{id}/end", offer_end)
        .get("/portal/{lang}/entry/{id}/events/new", new_event)
        .post("/portal/{lang}/entry/{id}/events", create_event)
        .get("/portal/{lang}/events/{id}", event_page)
        .post("/portal/{lang}/events/{id}", event_submit)
        .post("/portal/{lang}/events/{id}/cancel", event_cancel)
}

const OFFER_LISTS: [&str; 2] = ["languages", "target_groups"];
const OFFER_FLAGS: [&str; 2] = ["is_public", "registration_required"];
const EVENT_LISTS: [&str; 2] = ["languages", "organisers"];
const EVENT_FLAGS: [&str; 1] = ["is_public"];

/// The form of an offer or an event; `action` is where it is sent.
#[derive(Template)]
#[template(path = "portal/record.html")]
struct RecordTemplate {
    page: PageContext,
    entity: &'static str,
    action: String,
    /// For a change: where ending/cancelling is sent.
    end_action: Option<String>,
    values: Map<String, Value>,
    categories: Vec<Choice>,
    languages: Vec<Choice>,
    target_groups: Vec<Choice>,
    cost_kinds: Vec<Choice>,
    location_kinds: Vec<Choice>,
    modes: Vec<Choice>,
    errors: FormErrors,
}

impl RecordTemplate {
    fn v(&self, key: &str) -> String {
        text_of(&self.values, key)
    }
    fn flag(&self, key: &str) -> bool {
        self.values
            .get(key)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }
    fn organisers(&self) -> Vec<String> {
        list_of(&self.values, "organisers")
    }
}

fn words(page: &PageContext, prefix: &str, codes: &[&str]) -> Vec<(String, String)> {
    codes
        .iter()
        .map(|c| ((*c).to_owned(), page.tr.t(&format!("{prefix}{c}"))))
        .collect()
}

async fn record_template(
    state: &AppState,
    page: PageContext,
    entity: &'static str,
    action: String,
    end_action: Option<String>,
    values: Map<String, Value>,
    errors: FormErrors,
) -> Result<RecordTemplate, WebError> {
    let labels = Labels::load(state, page.lang).await?;
    let mut categories = term_choices(
        state,
        &labels,
        "offer_category",
        &[text_of(&values, "category")],
    )
    .await?;
    if entity == "event" {
        categories.insert(
            0,
            Choice {
                value: String::new(),
                label: "–".to_owned(),
                checked: text_of(&values, "category").is_empty(),
            },
        );
    }
    Ok(RecordTemplate {
        categories,
        languages: language_choices(&list_of(&values, "languages")),
        target_groups: term_choices(
            state,
            &labels,
            "target_group",
            &list_of(&values, "target_groups"),
        )
        .await?,
        cost_kinds: choices(
            words(&page, "portal-cost-", &["free", "amount", "on_request"]),
            &[text_of(&values, "cost_kind")],
        ),
        location_kinds: choices(
            words(
                &page,
                "portal-location-",
                &["organisation", "other", "online"],
            ),
            &[text_of(&values, "location_kind")],
        ),
        modes: choices(
            words(&page, "portal-mode-", &["in_person", "digital", "hybrid"]),
            &[text_of(&values, "mode")],
        ),
        page,
        entity,
        action,
        end_action,
        values,
        errors,
    })
}

fn to_map<T: serde::Serialize>(v: &T) -> Map<String, Value> {
    match serde_json::to_value(v) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

fn base(lang: Language) -> String {
    format!("/portal/{}", lang.code())
}

async fn new_offer(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, org)): Path<(String, Uuid)>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, actor, .. } = match portal(
        &state,
        user,
        lang,
        &format!("/entry/{org}/offers/new"),
        "portal-offers-new",
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    state.services.portal_organisation(&actor, org).await?;
    let mut values = Map::new();
    for (k, v) in [
        ("cost_kind", "free"),
        ("location_kind", "organisation"),
        ("status", "active"),
    ] {
        values.insert(k.into(), Value::String(v.into()));
    }
    values.insert("is_public".into(), Value::Bool(true));
    let tr = page.tr;
    let t = record_template(
        &state,
        page,
        "offer",
        format!("{}/entry/{org}/offers", base(lang)),
        None,
        values,
        FormErrors::none(tr).portal(),
    )
    .await?;
    Ok(render(StatusCode::OK, &t))
}

async fn create_offer(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, org)): Path<(String, Uuid)>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, actor, .. } = match portal(
        &state,
        user,
        lang,
        &format!("/entry/{org}/offers/new"),
        "portal-offers-new",
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let mut input = form_object(&body, &OFFER_LISTS, &OFFER_FLAGS);
    input.insert("organisation_id".into(), Value::String(org.to_string()));
    match state
        .services
        .propose_new(&actor, Entity::Offer, &Value::Object(input.clone()))
        .await
    {
        Ok(p) => Ok(super::after_proposal(lang, &p)),
        Err(e) => {
            let errors = form_errors(page.tr, e)?;
            let t = record_template(
                &state,
                page,
                "offer",
                format!("{}/entry/{org}/offers", base(lang)),
                None,
                input,
                errors,
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &t))
        }
    }
}

async fn offer_page(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id)): Path<(String, Uuid)>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, actor, .. } = match portal(
        &state,
        user,
        lang,
        &format!("/offers/{id}"),
        "portal-offer-edit",
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let offer = state.services.portal_offer(&actor, id).await?;
    let tr = page.tr;
    let t = record_template(
        &state,
        page,
        "offer",
        format!("{}/offers/{id}", base(lang)),
        Some(format!("{}/offers/{id}/end", base(lang))),
        to_map(&offer.to_input()),
        FormErrors::none(tr).portal(),
    )
    .await?;
    Ok(render(StatusCode::OK, &t))
}

/// A change of a record: the form's fields on top of the live record.
async fn change(
    state: &AppState,
    actor: &msohub_service::Actor,
    entity: Entity,
    id: Uuid,
    patch: Map<String, Value>,
) -> Result<msohub_service::portal::proposals::Proposal, msohub_service::Error> {
    state
        .services
        .propose_change(actor, entity, id, &Value::Object(patch))
        .await
}

/// The offer's and the event's portal form differ only in their words,
/// paths and fields: one submit serves both.
#[derive(Clone, Copy)]
enum Record {
    Offer,
    Event,
}

impl Record {
    fn entity(self) -> Entity {
        match self {
            Record::Offer => Entity::Offer,
            Record::Event => Entity::Event,
        }
    }
    /// The template's kind and the path's segment.
    fn kind(self) -> (&'static str, &'static str) {
        match self {
            Record::Offer => ("offer", "offers"),
            Record::Event => ("event", "events"),
        }
    }
    /// The page's title key and where ending (or cancelling) it is sent.
    fn title_and_end(self) -> (&'static str, &'static str) {
        match self {
            Record::Offer => ("portal-offer-edit", "end"),
            Record::Event => ("portal-event-edit", "cancel"),
        }
    }
    fn fields(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Record::Offer => (&OFFER_LISTS, &OFFER_FLAGS),
            Record::Event => (&EVENT_LISTS, &EVENT_FLAGS),
        }
    }
    /// The record as stored, as the form's values.
    async fn values(
        self,
        state: &AppState,
        actor: &msohub_service::Actor,
        id: Uuid,
    ) -> Result<Map<String, Value>, WebError> {
        Ok(match self {
            Record::Offer => to_map(&state.services.portal_offer(actor, id).await?.to_input()),
            Record::Event => to_map(&state.services.portal_event(actor, id).await?.to_input()),
        })
    }
}

/// A representative's change to an offer or event, proposed; refused or
/// stale, the form again (stale: with the record as stored now).
async fn submit(
    state: AppState,
    user: MaybeUser,
    code: String,
    id: Uuid,
    body: Vec<(String, String)>,
    record: Record,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let (kind, segment) = record.kind();
    let (title, end) = record.title_and_end();
    let Portal { page, actor, .. } =
        match portal(&state, user, lang, &format!("/{segment}/{id}"), title).await {
            Ok(p) => p,
            Err(r) => return Ok(r),
        };
    let (lists, flags) = record.fields();
    let patch = form_object(&body, lists, flags);
    match change(&state, &actor, record.entity(), id, patch.clone()).await {
        Ok(p) => Ok(super::after_proposal(lang, &p)),
        Err(e) => {
            let mut values = record.values(&state, &actor, id).await?;
            let stale = matches!(e, msohub_service::Error::Conflict(_));
            let errors = form_errors(page.tr, e)?;
            if !stale {
                values.extend(patch);
            }
            let t = record_template(
                &state,
                page,
                kind,
                format!("{}/{segment}/{id}", base(lang)),
                Some(format!("{}/{segment}/{id}/{end}", base(lang))),
                values,
                errors,
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &t))
        }
    }
}

async fn offer_submit(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id)): Path<(String, Uuid)>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    submit(state, user, code, id, body, Record::Offer).await
}

async fn offer_end(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id)): Path<(String, Uuid)>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { actor, .. } = match portal(
        &state,
        user,
        lang,
        &format!("/offers/{id}"),
        "portal-offer-end",
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let mut patch = form_object(&body, &[], &[]);
    patch.insert("status".into(), Value::String("ended".into()));
    let p = change(&state, &actor, Entity::Offer, id, patch).await?;
    Ok(super::after_proposal(lang, &p))
}

async fn new_event(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, org)): Path<(String, Uuid)>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, actor, .. } = match portal(
        &state,
        user,
        lang,
        &format!("/entry/{org}/events/new"),
        "portal-events-new",
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    state.services.portal_organisation(&actor, org).await?;
    let mut values = Map::new();
    values.insert("mode".into(), Value::String("in_person".into()));
    values.insert("is_public".into(), Value::Bool(true));
    values.insert(
        "organisers".into(),
        Value::Array(vec![Value::String(org.to_string())]),
    );
    let tr = page.tr;
    let t = record_template(
        &state,
        page,
        "event",
        format!("{}/entry/{org}/events", base(lang)),
        None,
        values,
        FormErrors::none(tr).portal(),
    )
    .await?;
    Ok(render(StatusCode::OK, &t))
}

async fn create_event(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, org)): Path<(String, Uuid)>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, actor, .. } = match portal(
        &state,
        user,
        lang,
        &format!("/entry/{org}/events/new"),
        "portal-events-new",
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let mut input = form_object(&body, &EVENT_LISTS, &EVENT_FLAGS);
    input.insert(
        "organisers".into(),
        Value::Array(vec![Value::String(org.to_string())]),
    );
    match state
        .services
        .propose_new(&actor, Entity::Event, &Value::Object(input.clone()))
        .await
    {
        Ok(p) => Ok(super::after_proposal(lang, &p)),
        Err(e) => {
            let errors = form_errors(page.tr, e)?;
            let t = record_template(
                &state,
                page,
                "event",
                format!("{}/entry/{org}/events", base(lang)),
                None,
                input,
                errors,
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &t))
        }
    }
}

async fn event_page(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id)): Path<(String, Uuid)>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, actor, .. } = match portal(
        &state,
        user,
        lang,
        &format!("/events/{id}"),
        "portal-event-edit",
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let event = state.services.portal_event(&actor, id).await?;
    let tr = page.tr;
    let t = record_template(
        &state,
        page,
        "event",
        format!("{}/events/{id}", base(lang)),
        Some(format!("{}/events/{id}/cancel", base(lang))),
        to_map(&event.to_input()),
        FormErrors::none(tr).portal(),
    )
    .await?;
    Ok(render(StatusCode::OK, &t))
}

async fn event_submit(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id)): Path<(String, Uuid)>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    submit(state, user, code, id, body, Record::Event).await
}

async fn event_cancel(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id)): Path<(String, Uuid)>,
    Form(body): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, actor, .. } = match portal(
        &state,
        user,
        lang,
        &format!("/events/{id}"),
        "portal-event-cancel",
    )
    .await
    {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    let mut patch = form_object(&body, &[], &[]);
    patch.insert("status".into(), Value::String("cancelled".into()));
    match change(&state, &actor, Entity::Event, id, patch).await {
        Ok(p) => Ok(super::after_proposal(lang, &p)),
        Err(e) => {
            let event = state.services.portal_event(&actor, id).await?;
            let errors = form_errors(page.tr, e)?;
            let t = record_template(
                &state,
                page,
                "event",
                format!("{}/events/{id}", base(lang)),
                Some(format!("{}/events/{id}/cancel", base(lang))),
                to_map(&event.to_input()),
                errors,
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &t))
        }
    }
}
