//! "Umfragen": the office's needs surveys as the organisations answer
//! them — a list of the surveys sent to the representative's
//! organisations, and one page per survey and organisation with the
//! questions in the page's language (German where a text is not
//! translated, marked as such) and the answer so far.
//!
//! Without script: a question shown only after a certain earlier answer
//! says so under its text; an answer to it given anyway is dropped when
//! the condition does not hold.

use super::{Portal, form_errors, language, portal, private};
use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::WebError;
use crate::forms::FormErrors;
use crate::page::{PageContext, render};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Language;
use msohub_service::surveys::answers::{OrganisationSurvey, SurveyAnswer, SurveyAnswerInput};
use msohub_service::surveys::{QuestionKind, Survey, SurveyState, Texts};
use serde_json::{Map, Value};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/portal/{lang}/surveys", list_page)
        .get("/portal/{lang}/surveys/{id}/{organisation}", answer_page)
        .post("/portal/{lang}/surveys/{id}/{organisation}", answer_submit)
        .get("/portal/{lang}/survey-link/{token}", link_page)
        .post("/portal/{lang}/survey-link/{token}", link_submit)
}

/// A text in the page's language: the text, and whether it is the German
/// one standing in.
pub(crate) struct Shown {
    pub text: String,
    pub untranslated: bool,
}

fn shown(texts: &Texts, lang: Language) -> Shown {
    let (text, untranslated) = Survey::text(texts, lang.code());
    Shown {
        text: text.to_owned(),
        untranslated,
    }
}

struct Row {
    survey: Uuid,
    organisation: String,
    organisation_id: Uuid,
    title: Shown,
    state: &'static str,
    closes_on: Option<String>,
    answered_on: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/surveys.html")]
struct ListTemplate {
    page: PageContext,
    rows: Vec<Row>,
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

async fn list_page(
    State(state): State<AppState>,
    user: MaybeUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let Portal { page, actor, .. } =
        match portal(&state, user, lang, "/surveys", "portal-surveys-title").await {
            Ok(p) => p,
            Err(r) => return Ok(r),
        };
    let rows = state
        .services
        .portal_surveys(&actor)
        .await?
        .into_iter()
        .map(|s| Row {
            survey: s.id,
            organisation: s.organisation.name.clone(),
            organisation_id: s.organisation.id,
            title: shown(&s.title, lang),
            state: s.state.code(),
            closes_on: s.closes_on.map(day),
            answered_on: s.answer.as_ref().map(|a| {
                day(a
                    .updated_at
                    .with_timezone(&chrono_tz::Europe::Berlin)
                    .date_naive())
            }),
        })
        .collect();
    Ok(render(StatusCode::OK, &ListTemplate { page, rows }))
}

/// One choice as the form shows it.
struct ChoiceView {
    value: String,
    label: Shown,
    checked: bool,
}

/// One question as the form shows it, with what was answered.
struct QuestionView {
    id: String,
    kind: &'static str,
    text: Shown,
    help: Option<Shown>,
    required: bool,
    /// "Only if you chose … at …".
    condition: Option<String>,
    choices: Vec<ChoiceView>,
    other: bool,
    other_checked: bool,
    other_text: String,
    value: String,
    error: Option<String>,
    other_error: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/survey.html")]
struct AnswerTemplate {
    page: PageContext,
    title: Shown,
    intro: Option<Shown>,
    organisation: String,
    action: String,
    open: bool,
    /// The text saying why the form cannot be sent.
    state_note: String,
    /// Reached through the organisation's personal link.
    link: bool,
    closes_on: Option<String>,
    questions: Vec<QuestionView>,
    version: i32,
    errors: FormErrors,
    /// The summary above the form: (anchor, question, message).
    problems: Vec<(String, String, String)>,
    saved: bool,
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => number_text(n),
        Some(Value::Bool(b)) => if *b { "yes" } else { "no" }.to_owned(),
        _ => String::new(),
    }
}

/// A number as typed: 7 (not 7.0), 2.5 as given.
fn number_text(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => n.to_string(),
    }
}

fn questions_view(
    survey: &OrganisationSurvey,
    lang: Language,
    page: &PageContext,
    answers: &Map<String, Value>,
    errors: &[(String, String)],
) -> Vec<QuestionView> {
    let error = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
    };
    survey
        .questions
        .iter()
        .map(|q| {
            let given = answers.get(&q.id);
            let picked = |code: &str| match given {
                Some(Value::String(s)) => s == code,
                Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(code)),
                Some(Value::Bool(b)) => (if *b { "yes" } else { "no" }) == code,
                Some(Value::Number(n)) => n.to_string() == code,
                _ => false,
            };
            let choices: Vec<ChoiceView> = match q.kind {
                QuestionKind::Single | QuestionKind::Multiple => q
                    .choices
                    .iter()
                    .map(|c| ChoiceView {
                        value: c.code.clone(),
                        label: shown(&c.label, lang),
                        checked: picked(&c.code),
                    })
                    .collect(),
                QuestionKind::YesNo => ["yes", "no"]
                    .into_iter()
                    .map(|v| ChoiceView {
                        value: v.to_owned(),
                        label: Shown {
                            text: page.t(&format!("portal-survey-{v}")),
                            untranslated: false,
                        },
                        checked: picked(v),
                    })
                    .collect(),
                QuestionKind::Scale => (1..=5)
                    .map(|n| ChoiceView {
                        value: n.to_string(),
                        label: Shown {
                            text: match n {
                                1 => page.t("portal-survey-scale-low"),
                                5 => page.t("portal-survey-scale-high"),
                                n => n.to_string(),
                            },
                            untranslated: false,
                        },
                        checked: picked(&n.to_string()),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let condition = q.show_if.as_ref().and_then(|c| {
                let on = survey.questions.iter().find(|o| o.id == c.question)?;
                let answer = match on.kind {
                    QuestionKind::YesNo => page.t(&format!("portal-survey-{}", c.equals)),
                    _ => on
                        .choices
                        .iter()
                        .find(|ch| ch.code == c.equals)
                        .map(|ch| shown(&ch.label, lang).text)?,
                };
                let question = shown(&on.text, lang).text;
                Some(page.tr.tn(
                    "portal-survey-show-if",
                    &[("question", &question), ("answer", &answer)],
                ))
            });
            QuestionView {
                id: q.id.clone(),
                kind: q.kind.code(),
                text: shown(&q.text, lang),
                help: (!q.help.is_empty()).then(|| shown(&q.help, lang)),
                required: q.required,
                condition,
                choices,
                other: q.other,
                other_checked: picked("other"),
                other_text: text_of(answers.get(&format!("{}.other", q.id))),
                value: text_of(given),
                error: error(&format!("answers.{}", q.id)),
                other_error: error(&format!("answers.{}.other", q.id)),
            }
        })
        .collect()
}

/// The answer as the form sent it, turned into the API's shape: lists for
/// multiple choice, the rest as text (the rules read numbers and yes/no
/// from text).
fn answers_from_form(
    survey: &OrganisationSurvey,
    pairs: &[(String, String)],
) -> Map<String, Value> {
    let mut out = Map::new();
    for q in &survey.questions {
        let values: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| *k == q.id)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
            .collect();
        let value = if q.kind == QuestionKind::Multiple {
            Value::from(values.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>())
        } else {
            values.first().map_or(Value::Null, |v| Value::from(*v))
        };
        if !value.is_null() {
            out.insert(q.id.clone(), value);
        }
        let other = format!("{}.other", q.id);
        if let Some((_, text)) = pairs.iter().find(|(k, _)| *k == other)
            && !text.trim().is_empty()
        {
            out.insert(other, Value::from(text.as_str()));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn answer_template(
    page: PageContext,
    survey: &OrganisationSurvey,
    rest: &str,
    link: bool,
    answers: &Map<String, Value>,
    version: i32,
    errors: FormErrors,
    field_errors: Vec<(String, String)>,
    saved: bool,
) -> AnswerTemplate {
    let lang = page.lang;
    let questions = questions_view(survey, lang, &page, answers, &field_errors);
    let problems = field_errors
        .iter()
        .filter_map(|(field, message)| {
            let id = field.strip_prefix("answers.")?;
            let question = id.strip_suffix(".other").unwrap_or(id);
            let q = questions.iter().find(|q| q.id == question)?;
            Some((
                format!("q-{question}"),
                q.text.text.clone(),
                message.clone(),
            ))
        })
        .collect();
    AnswerTemplate {
        title: shown(&survey.title, lang),
        intro: (!survey.intro.is_empty()).then(|| shown(&survey.intro, lang)),
        organisation: survey.organisation.name.clone(),
        action: format!("/portal/{}{rest}", lang.code()),
        open: survey.state == SurveyState::Open,
        state_note: match (survey.state, link) {
            (SurveyState::Closed, true) => "portal-survey-link-closed-note".to_owned(),
            (state, _) => format!("portal-survey-state-{}-note", state.code()),
        },
        link,
        closes_on: survey.closes_on.map(day),
        questions,
        version,
        errors,
        problems,
        saved,
        page,
    }
}

/// How the page was reached: a representative signed in to the portal, or
/// an organisation's personal link (no account).
enum Door {
    Portal(msohub_service::Actor),
    Link { token: String, ip: Option<String> },
}

impl Door {
    async fn survey(
        &self,
        state: &AppState,
        id: Uuid,
        organisation: Uuid,
    ) -> Result<OrganisationSurvey, msohub_service::Error> {
        match self {
            Door::Portal(actor) => {
                state
                    .services
                    .organisation_survey(actor, id, organisation)
                    .await
            }
            Door::Link { token, .. } => state.services.survey_by_link(token).await,
        }
    }

    /// The survey, or `None` for a link that opens nothing (malformed,
    /// replaced, of a survey gone).
    async fn opened(
        &self,
        state: &AppState,
        id: Uuid,
        organisation: Uuid,
    ) -> Result<Option<OrganisationSurvey>, WebError> {
        match self.survey(state, id, organisation).await {
            Ok(s) => Ok(Some(s)),
            Err(msohub_service::Error::NotFound) if matches!(self, Door::Link { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn answer(
        &self,
        state: &AppState,
        survey: &OrganisationSurvey,
        input: &SurveyAnswerInput,
    ) -> Result<SurveyAnswer, msohub_service::Error> {
        match self {
            Door::Portal(actor) => {
                state
                    .services
                    .answer_survey(actor, survey.id, survey.organisation.id, input)
                    .await
            }
            Door::Link { token, ip } => {
                state
                    .services
                    .answer_by_link(token, input, ip.clone())
                    .await
            }
        }
    }
}

/// The page of a survey through a door: the page's context, the door,
/// and the page's path after `/portal/{lang}`.
type Opened = (PageContext, Door, String);

async fn through_portal(
    state: &AppState,
    user: MaybeUser,
    lang: Language,
    id: Uuid,
    organisation: Uuid,
) -> Result<Opened, Response> {
    let rest = format!("/surveys/{id}/{organisation}");
    let Portal { page, actor, .. } =
        portal(state, user, lang, &rest, "portal-surveys-title").await?;
    Ok((page, Door::Portal(actor), rest))
}

async fn through_link(
    state: &AppState,
    lang: Language,
    token: String,
    ip: Option<String>,
) -> Opened {
    let rest = format!("/survey-link/{token}");
    let page = super::auth::page_for(state, lang, &rest, "portal-surveys-title").await;
    (page, Door::Link { token, ip }, rest)
}

/// The answer so far, or the form after a refused answer.
async fn show(
    state: &AppState,
    (page, door, rest): Opened,
    id: Uuid,
    organisation: Uuid,
    saved: bool,
) -> Result<Response, WebError> {
    let Some(survey) = door.opened(state, id, organisation).await? else {
        return Ok(link_invalid(page));
    };
    let (answers, version) = survey
        .answer
        .as_ref()
        .map_or((Map::new(), 0), |a| (a.answers.clone(), a.version));
    let tr = page.tr;
    let link = matches!(door, Door::Link { .. });
    Ok(private(render(
        StatusCode::OK,
        &answer_template(
            page,
            &survey,
            &rest,
            link,
            &answers,
            version,
            FormErrors::none(tr).portal(),
            Vec::new(),
            saved,
        ),
    )))
}

/// A link that opens nothing: malformed, replaced, or of a survey gone.
fn link_invalid(page: PageContext) -> Response {
    let tr = page.tr;
    private(render(
        StatusCode::NOT_FOUND,
        &super::auth::MessageTemplate {
            heading: tr.t("portal-surveys-title"),
            text: tr.t("portal-survey-link-invalid"),
            link: None,
            page,
        },
    ))
}

async fn submit(
    state: &AppState,
    (page, door, rest): Opened,
    id: Uuid,
    organisation: Uuid,
    pairs: Vec<(String, String)>,
) -> Result<Response, WebError> {
    let Some(survey) = door.opened(state, id, organisation).await? else {
        return Ok(link_invalid(page));
    };
    let link = matches!(door, Door::Link { .. });
    let version = pairs
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(-1);
    let answers = answers_from_form(&survey, &pairs);
    let input = SurveyAnswerInput {
        answers: Some(answers.clone()),
        version,
    };
    match door.answer(state, &survey, &input).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/portal/{}{rest}?done=saved", page.lang.code())).into_response(),
        ),
        Err(msohub_service::Error::Validation(fields)) => {
            let tr = page.tr;
            let field_errors: Vec<(String, String)> = fields
                .iter()
                .map(|f| {
                    let own = tr.own(&format!("portal-rule-{}", f.rule));
                    (
                        f.field.clone(),
                        own.unwrap_or_else(|| tr.t("portal-rule-other")),
                    )
                })
                .collect();
            // Rules not about one question (the survey closed meanwhile).
            let general = fields
                .iter()
                .find(|f| !f.field.starts_with("answers."))
                .map(|f| f.rule.clone());
            let errors = match general {
                Some(rule) => FormErrors::general(tr, &format!("portal-rule-{rule}")).portal(),
                None => FormErrors::general(tr, "portal-survey-check").portal(),
            };
            Ok(private(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &answer_template(
                    page,
                    &survey,
                    &rest,
                    link,
                    &answers,
                    version,
                    errors,
                    field_errors,
                    false,
                ),
            )))
        }
        Err(e) => {
            let errors = form_errors(page.tr, e)?;
            Ok(private(render(
                StatusCode::CONFLICT,
                &answer_template(
                    page,
                    &survey,
                    &rest,
                    link,
                    &answers,
                    version,
                    errors,
                    Vec::new(),
                    false,
                ),
            )))
        }
    }
}

async fn answer_page(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id, organisation)): Path<(String, Uuid, Uuid)>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let opened = match through_portal(&state, user, lang, id, organisation).await {
        Ok(o) => o,
        Err(r) => return Ok(r),
    };
    let saved = query.as_deref() == Some("done=saved");
    show(&state, opened, id, organisation, saved).await
}

async fn answer_submit(
    State(state): State<AppState>,
    user: MaybeUser,
    Path((code, id, organisation)): Path<(String, Uuid, Uuid)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let opened = match through_portal(&state, user, lang, id, organisation).await {
        Ok(o) => o,
        Err(r) => return Ok(r),
    };
    submit(&state, opened, id, organisation, pairs).await
}

async fn link_page(
    State(state): State<AppState>,
    Path((code, token)): Path<(String, String)>,
    parts: axum::http::request::Parts,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let ip = super::auth::client_ip(&parts);
    let opened = through_link(&state, lang, token, ip).await;
    let saved = query.as_deref() == Some("done=saved");
    // The ids come from the link itself.
    show(&state, opened, Uuid::nil(), Uuid::nil(), saved).await
}

async fn link_submit(
    State(state): State<AppState>,
    Path((code, token)): Path<(String, String)>,
    parts: axum::http::request::Parts,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = language(&code)?;
    let ip = super::auth::client_ip(&parts);
    let opened = through_link(&state, lang, token, ip).await;
    submit(&state, opened, Uuid::nil(), Uuid::nil(), pairs).await
}
