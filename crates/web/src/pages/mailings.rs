//! Mailings (`/app/mailings`, "Rundschreiben"): the list; the form
//! (subject and Markdown text in German, the language versions under
//! "Sprachfassungen", the selection of persons); the mailing's page — for
//! a draft who it reaches and who not (and why), the preview of every
//! version as it will read, the attachments, the test send to oneself and
//! the sending; for a sent one the archive: every recipient with the
//! delivery status.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::forms::{FormErrors, VersionForm};
use crate::page::{PageContext, render};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_i18n::Tr;
use msohub_service::mailings::{
    Mailing, MailingAudience, MailingDetail, MailingInput, MailingSelection,
};
use msohub_service::surveys::{LANGUAGES, Texts};
use msohub_service::{Actor, FieldError};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/mailings", list)
        .post("/app/mailings", create)
        .get("/app/mailings/new", new)
        .get("/app/mailings/{id}", show)
        .post("/app/mailings/{id}", update)
        .get("/app/mailings/{id}/edit", edit)
        .post("/app/mailings/{id}/delete", delete)
        .post("/app/mailings/{id}/test", test)
        .post("/app/mailings/{id}/send", send)
        .upload(
            "POST",
            "/app/mailings/{id}/attachments",
            upload,
            16 * 1024 * 1024,
        )
}

#[derive(Template)]
#[template(path = "mailings/list.html")]
struct ListTemplate {
    page: PageContext,
    mailings: Vec<Mailing>,
    notice: Option<String>,
    can_write: bool,
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    let page = super::staff_page(&state, &parts, &actor, "mailings-title").await;
    let mailings = state.services.list_mailings(&actor).await?;
    let notice = crate::query::param(parts.uri.query(), "done")
        .filter(|d| d == "deleted")
        .map(|_| page.t("mailing-done-deleted"));
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            page,
            mailings,
            notice,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

// --- the form --------------------------------------------------------------

/// A language version as the form shows it.
struct Version {
    lang: &'static str,
    subject: String,
    text: String,
}

#[derive(Template)]
#[template(path = "mailings/form.html")]
struct FormTemplate {
    page: PageContext,
    id: Option<Uuid>,
    version: i32,
    subject: String,
    text: String,
    versions: Vec<Version>,
    /// A version is written: the form opens them.
    versions_open: bool,
    kinds: Vec<(String, String, bool)>,
    bodies: Vec<(String, String, bool)>,
    languages: Vec<(String, String, bool)>,
    persons: Vec<(String, String, bool)>,
    errors: FormErrors,
    problems: Vec<(String, String)>,
}

fn input_from_form(pairs: &[(String, String)]) -> MailingInput {
    let all = |key: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
            .collect()
    };
    MailingInput {
        subject: super::surveys::texts_from(pairs, "subject"),
        text: super::surveys::texts_from(pairs, "text"),
        selection: MailingSelection {
            kinds: all("kinds"),
            bodies: all("bodies"),
            languages: all("languages"),
            persons: all("persons"),
        },
        version: super::surveys::value(pairs, "version")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
    }
}

fn to_input(m: &Mailing) -> MailingInput {
    MailingInput {
        subject: m.subject.clone(),
        text: m.text.clone(),
        selection: m.selection.clone(),
        version: m.version,
    }
}

/// Field errors as (anchor, "what: message").
fn problems(tr: Tr, fields: &[FieldError]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|f| {
            let message = tr
                .own(&format!("rule-{}", f.rule))
                .unwrap_or_else(|| tr.t("rule-other"));
            let mut parts = f.field.split('.');
            let (label, anchor) = match (parts.next(), parts.next()) {
                (Some(name @ ("subject" | "text")), Some(lang)) if lang != "de" => (
                    format!(
                        "{} ({})",
                        tr.t(&format!("mailing-field-{name}")),
                        tr.t(&format!("survey-lang-{lang}"))
                    ),
                    format!("field-{name}-{lang}"),
                ),
                (Some("selection"), Some(what)) => (
                    tr.t(&format!("mailing-select-{what}")),
                    "field-selection".to_owned(),
                ),
                (Some(name), _) => (
                    tr.t(&format!("mailing-field-{name}")),
                    format!("field-{name}"),
                ),
                _ => (String::new(), String::new()),
            };
            (anchor, format!("{label}: {message}"))
        })
        .collect()
}

fn checked(values: Vec<(String, String)>, chosen: &[String]) -> Vec<(String, String, bool)> {
    values
        .into_iter()
        .map(|(code, label)| {
            let on = chosen.contains(&code);
            (code, label, on)
        })
        .collect()
}

async fn form_template(
    state: &AppState,
    actor: &Actor,
    page: PageContext,
    id: Option<Uuid>,
    input: &MailingInput,
    errors: FormErrors,
    problems: Vec<(String, String)>,
) -> Result<FormTemplate, WebError> {
    let tr = page.tr;
    let choices = state.services.mailing_choices(actor).await?;
    let kinds = msohub_domain::organisation::OrganisationKind::ALL
        .iter()
        .map(|k| (k.code().to_owned(), page.t(&format!("kind-{}", k.code()))))
        .collect();
    let bodies = state
        .services
        .list_bodies(actor, false)
        .await?
        .into_iter()
        .map(|b| (b.id.to_string(), b.name))
        .collect();
    let languages = choices
        .languages
        .iter()
        .map(|c| (c.clone(), crate::i18n::language_name(tr, c)))
        .collect();
    let persons = choices
        .persons
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect();
    let text_of = |texts: &Texts, l: &str| texts.get(l).cloned().unwrap_or_default();
    let s = &input.selection;
    Ok(FormTemplate {
        versions_open: input
            .subject
            .keys()
            .chain(input.text.keys())
            .any(|l| l != "de"),
        id,
        version: input.version,
        subject: text_of(&input.subject, "de"),
        text: text_of(&input.text, "de"),
        versions: LANGUAGES
            .iter()
            .filter(|l| **l != "de")
            .map(|l| Version {
                lang: l,
                subject: text_of(&input.subject, l),
                text: text_of(&input.text, l),
            })
            .collect(),
        kinds: checked(kinds, &s.kinds),
        bodies: checked(bodies, &s.bodies),
        languages: checked(languages, &s.languages),
        persons: checked(persons, &s.persons),
        errors,
        problems,
        page,
    })
}

async fn new(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let page = super::staff_page(&state, &parts, &actor, "mailing-new-title").await;
    let tr = page.tr;
    let form = form_template(
        &state,
        &actor,
        page,
        None,
        &MailingInput::default(),
        FormErrors::none(tr),
        Vec::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &form))
}

async fn edit(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let mailing = state.services.get_mailing(&actor, id).await?.mailing;
    if mailing.sent_at.is_some() {
        return Ok(Redirect::to(&format!("/app/mailings/{id}")).into_response());
    }
    let page = super::staff_page(&state, &parts, &actor, "mailing-edit-title").await;
    let tr = page.tr;
    let form = form_template(
        &state,
        &actor,
        page,
        Some(id),
        &to_input(&mailing),
        FormErrors::none(tr),
        Vec::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &form))
}

async fn save(
    state: &AppState,
    actor: &Actor,
    parts: &Parts,
    id: Option<Uuid>,
    pairs: &[(String, String)],
) -> Result<Response, WebError> {
    let input = input_from_form(pairs);
    let saved = match id {
        Some(id) => state.services.update_mailing(actor, id, &input).await,
        None => state.services.create_mailing(actor, &input).await,
    };
    let title = if id.is_some() {
        "mailing-edit-title"
    } else {
        "mailing-new-title"
    };
    match saved {
        Ok(m) => {
            Ok(Redirect::to(&format!("/app/mailings/{}?done=saved", m.mailing.id)).into_response())
        }
        Err(msohub_service::Error::Validation(fields)) => {
            let page = super::staff_page(state, parts, actor, title).await;
            let tr = page.tr;
            let problems = problems(tr, &fields);
            let form = form_template(
                state,
                actor,
                page,
                id,
                &input,
                FormErrors::general(tr, "mailing-check"),
                problems,
            )
            .await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form))
        }
        Err(e) => {
            let page = super::staff_page(state, parts, actor, title).await;
            let tr = page.tr;
            let errors = FormErrors::from_service(tr, e)?;
            // Someone saved meanwhile: show theirs.
            let theirs = match id {
                Some(id) => to_input(&state.services.get_mailing(actor, id).await?.mailing),
                None => input,
            };
            let form = form_template(state, actor, page, id, &theirs, errors, Vec::new()).await?;
            Ok(render(StatusCode::CONFLICT, &form))
        }
    }
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    save(&state, &actor, &parts, None, &pairs).await
}

async fn update(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    save(&state, &actor, &parts, Some(id), &pairs).await
}

async fn delete(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> Result<Response, WebError> {
    match state
        .services
        .delete_mailing(&actor, id, form.version)
        .await
    {
        Ok(()) => Ok(Redirect::to("/app/mailings?done=deleted").into_response()),
        Err(e) => refused(&state, &actor, &parts, id, e).await,
    }
}

// --- the mailing's page ----------------------------------------------------

/// A version as it will read: the subject, the text as HTML, the footer.
struct Preview {
    lang: String,
    dir: &'static str,
    subject: String,
    html: String,
    footer: String,
}

#[derive(Template)]
#[template(path = "mailings/show.html")]
struct ShowTemplate {
    page: PageContext,
    detail: MailingDetail,
    audience: MailingAudience,
    previews: Vec<Preview>,
    /// The staff member's own address (the test goes there).
    own_address: String,
    notice: Option<String>,
    errors: FormErrors,
    upload_error: Option<String>,
    can_write: bool,
}

impl ShowTemplate {
    fn excluded_line(&self) -> String {
        let n = |r: &str| {
            self.audience
                .excluded_counts
                .get(r)
                .copied()
                .unwrap_or(0)
                .to_string()
        };
        let (consent, email, same) = (n("no-consent"), n("no-email"), n("same-address"));
        self.page.tr.tn(
            "mailing-excluded-line",
            &[
                ("consent", consent.as_str()),
                ("email", email.as_str()),
                ("same", same.as_str()),
            ],
        )
    }

    fn languages_line(&self) -> String {
        self.audience
            .languages
            .iter()
            .map(|(l, n)| format!("{} {n}", self.page.t(&format!("mailing-lang-{l}"))))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn versions_line(&self) -> String {
        self.previews
            .iter()
            .map(|p| self.page.t(&format!("mailing-lang-{}", p.lang)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn status_label(&self, status: &str) -> String {
        self.page.t(&format!("delivery-{status}"))
    }
}

async fn show_page(
    state: &AppState,
    actor: &Actor,
    parts: &Parts,
    id: Uuid,
    errors: Option<(FormErrors, StatusCode)>,
) -> Result<Response, WebError> {
    let detail = state.services.get_mailing(actor, id).await?;
    let mut page = super::staff_page(state, parts, actor, "mailings-title").await;
    let tr = page.tr;
    page.title = detail
        .mailing
        .subject
        .get("de")
        .cloned()
        .unwrap_or_default();
    let audience = if detail.mailing.sent_at.is_none() {
        state.services.mailing_audience(actor, id).await?
    } else {
        MailingAudience::default()
    };
    let office = crate::pages::office_name(state).await;
    // German first, then the versions in the portal's order.
    let previews = LANGUAGES
        .iter()
        .filter_map(|l| detail.mailing.subject.get_key_value(*l))
        .map(|(lang, subject)| Preview {
            lang: lang.clone(),
            dir: if lang == "ar" { "rtl" } else { "ltr" },
            subject: subject.clone(),
            html: msohub_docs::markdown_to_html(
                detail.mailing.text.get(lang).map_or("", String::as_str),
            ),
            footer: msohub_service::portal::mails::mailing_footer(lang, &office, "")
                .trim()
                .trim_start_matches("--")
                .trim()
                .to_owned(),
        })
        .collect();
    let query = parts.uri.query();
    let notice = crate::query::param(query, "done").and_then(|d| match d.as_str() {
        "saved" | "sent" | "test" | "attachment-added" | "attachment-removed" => {
            Some(tr.t(&format!("mailing-done-{d}")))
        }
        _ => None,
    });
    let upload_error = crate::query::param(query, "upload_error")
        .filter(|r| {
            [
                "file-empty",
                "file-too-large",
                "file-type",
                "file-unreadable",
                "mailing-sent",
            ]
            .contains(&r.as_str())
        })
        .map(|r| tr.t(&format!("rule-{r}")));
    let own_address = match actor.user_id {
        Some(_) => actor.email.clone(),
        None => String::new(),
    };
    let (errors, status) = errors.unwrap_or((FormErrors::none(tr), StatusCode::OK));
    Ok(render(
        status,
        &ShowTemplate {
            detail,
            audience,
            previews,
            own_address,
            notice,
            errors,
            upload_error,
            can_write: actor.can(Permission::WriteStaffArea),
            page,
        },
    ))
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    show_page(&state, &actor, &parts, id, None).await
}

/// A refusal shown on the mailing's page (its rule's message above it).
async fn refused(
    state: &AppState,
    actor: &Actor,
    parts: &Parts,
    id: Uuid,
    e: msohub_service::Error,
) -> Result<Response, WebError> {
    let tr = Tr::new(crate::i18n::request_language_parts(parts));
    let errors = match e {
        msohub_service::Error::Validation(fields) => {
            let rule = fields.first().map(|f| f.rule.clone()).unwrap_or_default();
            (
                FormErrors::general(tr, &format!("rule-{rule}")),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        e => (FormErrors::from_service(tr, e)?, StatusCode::CONFLICT),
    };
    show_page(state, actor, parts, id, Some(errors)).await
}

#[derive(serde::Deserialize)]
struct TestForm {
    #[serde(default)]
    language: String,
}

async fn test(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(form): Form<TestForm>,
) -> Result<Response, WebError> {
    let lang = if form.language.is_empty() {
        "de"
    } else {
        form.language.as_str()
    };
    match state.services.test_mailing(&actor, id, lang).await {
        Ok(_) => Ok(Redirect::to(&format!("/app/mailings/{id}?done=test#test")).into_response()),
        Err(e) => refused(&state, &actor, &parts, id, e).await,
    }
}

async fn send(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> Result<Response, WebError> {
    match state.services.send_mailing(&actor, id, form.version).await {
        Ok(_) => Ok(Redirect::to(&format!("/app/mailings/{id}?done=sent")).into_response()),
        Err(e) => refused(&state, &actor, &parts, id, e).await,
    }
}

async fn upload(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<Uuid>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let back =
        |q: &str| Ok(Redirect::to(&format!("/app/mailings/{id}?{q}#attachments")).into_response());
    let (name, bytes) = match crate::forms::uploaded_file(form).await {
        Ok(file) => file,
        Err(rule) => return back(&format!("upload_error={rule}")),
    };
    match state
        .services
        .add_mailing_attachment(&actor, id, &name, bytes)
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
