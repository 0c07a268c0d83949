//! `/app/admin/taxonomies`: the vocabularies (topics, target groups, …)
//! with their terms; admins add terms, change labels (in all six languages
//! of the directory), retire and reinstate. The list marks the languages a
//! term has no label in: neither entered here nor shipped with msohub (the
//! directory then shows the German label).

use crate::auth::CurrentUser;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use crate::{AppState, WebError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::{Language, Permission};
use msohub_i18n::Tr;
use msohub_service::taxonomies::{OTHER_LABELS, TermDetail, TermInput, VOCABULARIES};

pub fn routes(r: Routes) -> Routes {
    r.get("/app/admin/taxonomies", list)
        .get("/app/admin/taxonomies/{vocabulary}/new", new_form)
        .post("/app/admin/taxonomies/{vocabulary}", create)
        .get("/app/admin/taxonomies/{vocabulary}/{code}", edit_form)
        .post("/app/admin/taxonomies/{vocabulary}/{code}", update)
}

struct VocabularyView {
    code: &'static str,
    label: String,
    terms: Vec<TermView>,
}

/// A term in the list: its labels, and in which languages it has none.
struct TermView {
    term: TermDetail,
    /// (language code, label, shipped rather than entered here) for the
    /// four languages besides German and English that have a label.
    others: Vec<(&'static str, String, bool)>,
    /// The names of the languages without a label ("Arabisch, Russisch").
    untranslated: String,
}

/// The translation shipped with msohub for a built-in term.
pub fn shipped_label(vocabulary: &str, code: &str, lang: Language) -> Option<String> {
    if matches!(lang, Language::De | Language::En) {
        return None;
    }
    Tr::new(lang).own(&format!("term-{vocabulary}-{code}"))
}

/// A language's name in the staff area's language ("Arabisch").
fn language_name(tr: Tr, lang: Language) -> String {
    crate::i18n::language_name(tr, lang.code())
}

fn term_view(tr: Tr, vocabulary: &str, term: TermDetail) -> TermView {
    let mut others = Vec::new();
    let mut missing = Vec::new();
    for (lang, _) in OTHER_LABELS {
        match term.stored_label(lang) {
            Some(label) => others.push((lang.code(), label.to_owned(), false)),
            None => match shipped_label(vocabulary, &term.code, lang) {
                Some(label) => others.push((lang.code(), label, true)),
                None => missing.push(language_name(tr, lang)),
            },
        }
    }
    TermView {
        term,
        others,
        untranslated: missing.join(", "),
    }
}

#[derive(Template)]
#[template(path = "admin/taxonomies.html")]
struct ListTemplate {
    page: PageContext,
    vocabularies: Vec<VocabularyView>,
    notice: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    actor.require(Permission::ManageUsers)?;
    let page = super::staff_page(&state, &parts, &actor, "taxonomies-title").await;
    let mut vocabularies = Vec::new();
    for code in VOCABULARIES {
        vocabularies.push(VocabularyView {
            code,
            label: page.tr.t(&format!("vocabulary-{code}")),
            terms: state
                .services
                .vocabulary(&actor, code)
                .await?
                .into_iter()
                .map(|t| term_view(page.tr, code, t))
                .collect(),
        });
    }
    let done = crate::pages::organisations::query_param(raw.as_deref(), "done");
    let notice = crate::forms::done_notice(page.tr, done.as_deref());
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            page,
            vocabularies,
            notice,
        },
    ))
}

#[derive(Template)]
#[template(path = "admin/term_form.html")]
struct TermFormTemplate {
    page: PageContext,
    vocabulary: String,
    vocabulary_label: String,
    /// `None` for a new term.
    code: Option<String>,
    input: TermInput,
    errors: FormErrors,
    /// The four other languages' fields: (input name, language code,
    /// writing direction, label text, value, shipped translation).
    others: Vec<OtherLabel>,
}

struct OtherLabel {
    name: &'static str,
    lang: &'static str,
    dir: &'static str,
    label: String,
    value: String,
    shipped: Option<String>,
}

/// What the form shows: the term (none for a new one), the values, the
/// problems with them.
struct FormState {
    code: Option<String>,
    input: TermInput,
    errors: Vec<msohub_service::FieldError>,
    general: Option<&'static str>,
}

async fn form_page(
    state: &AppState,
    parts: &Parts,
    actor: &msohub_service::Actor,
    vocabulary: &str,
    form: FormState,
) -> Result<Response, WebError> {
    let FormState {
        code,
        input,
        errors,
        general,
    } = form;
    let title = if code.is_some() {
        "term-edit-title"
    } else {
        "term-new-title"
    };
    let page = super::staff_page(state, parts, actor, title).await;
    let mut form_errors = FormErrors::fields(page.tr, errors);
    if let Some(key) = general {
        form_errors.general = Some(page.tr.t(key));
    }
    let status = if form_errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let vocabulary_label = page.tr.t(&format!("vocabulary-{vocabulary}"));
    let others = OTHER_LABELS
        .iter()
        .map(|(lang, name)| OtherLabel {
            name,
            lang: lang.code(),
            dir: if *lang == Language::Ar { "rtl" } else { "ltr" },
            label: page
                .tr
                .t1("term-label-in", "language", language_name(page.tr, *lang)),
            value: input.other_label(*lang).to_owned(),
            shipped: code
                .as_deref()
                .and_then(|c| shipped_label(vocabulary, c, *lang)),
        })
        .collect();
    Ok(render(
        status,
        &TermFormTemplate {
            page,
            vocabulary: vocabulary.to_owned(),
            vocabulary_label,
            code,
            input,
            errors: form_errors,
            others,
        },
    ))
}

fn known(vocabulary: &str) -> Result<(), WebError> {
    if VOCABULARIES.contains(&vocabulary) {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

async fn new_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(vocabulary): Path<String>,
) -> Result<Response, WebError> {
    actor.require(Permission::ManageUsers)?;
    known(&vocabulary)?;
    form_page(
        &state,
        &parts,
        &actor,
        &vocabulary,
        FormState {
            code: None,
            input: TermInput::default(),
            errors: Vec::new(),
            general: None,
        },
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(vocabulary): Path<String>,
    form: Result<Form<TermInput>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    actor.require(Permission::ManageUsers)?;
    known(&vocabulary)?;
    let input = form.map(|Form(i)| i).unwrap_or_default();
    match state.services.add_term(&actor, &vocabulary, &input).await {
        Ok(_) => Ok(Redirect::to("/app/admin/taxonomies?done=term-added").into_response()),
        Err(msohub_service::Error::Validation(fields)) => {
            form_page(
                &state,
                &parts,
                &actor,
                &vocabulary,
                FormState {
                    code: None,
                    input,
                    errors: fields,
                    general: None,
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path((vocabulary, code)): Path<(String, String)>,
) -> Result<Response, WebError> {
    actor.require(Permission::ManageUsers)?;
    let term = state
        .services
        .vocabulary(&actor, &vocabulary)
        .await?
        .into_iter()
        .find(|t| t.code == code)
        .ok_or(WebError::NotFound)?;
    let input = term.to_input();
    form_page(
        &state,
        &parts,
        &actor,
        &vocabulary,
        FormState {
            code: Some(code),
            input,
            errors: Vec::new(),
            general: None,
        },
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path((vocabulary, code)): Path<(String, String)>,
    form: Result<Form<TermInput>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    actor.require(Permission::ManageUsers)?;
    known(&vocabulary)?;
    let input = form.map(|Form(i)| i).unwrap_or_default();
    match state
        .services
        .change_term(&actor, &vocabulary, &code, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/app/admin/taxonomies?done=saved").into_response()),
        Err(msohub_service::Error::Validation(fields)) => {
            form_page(
                &state,
                &parts,
                &actor,
                &vocabulary,
                FormState {
                    code: Some(code),
                    input,
                    errors: fields,
                    general: None,
                },
            )
            .await
        }
        Err(msohub_service::Error::Conflict(_)) => {
            // Show the current state; the user's labels would overwrite
            // someone else's change.
            let current = state
                .services
                .vocabulary(&actor, &vocabulary)
                .await?
                .into_iter()
                .find(|t| t.code == code)
                .ok_or(WebError::NotFound)?;
            let fresh = current.to_input();
            form_page(
                &state,
                &parts,
                &actor,
                &vocabulary,
                FormState {
                    code: Some(code),
                    input: fresh,
                    errors: Vec::new(),
                    general: Some("term-stale"),
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
