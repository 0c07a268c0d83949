//! Needs surveys (`/app/surveys`): the list; the builder (questions as
//! fieldsets, "add question", "remove" and "move up" as buttons of the
//! same form, so it works without script; the translations of every text
//! under "Übersetzungen"); the survey's page with the sending form and
//! the results (a bar chart and a table per question, the text answers
//! with their organisation, filters by kind and district).

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::forms::{FormErrors, VersionForm};
use crate::page::{PageContext, render};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use msohub_domain::Permission;
use msohub_i18n::Tr;
use msohub_service::mail::Delivery;
use msohub_service::surveys::links::{SurveyLink, SurveyRecipient};
use msohub_service::surveys::needs::NeedFromAnswerInput;
use msohub_service::surveys::results::{ChoiceCount, ResultFilter, SurveyResults};
use msohub_service::surveys::{
    Choice, LANGUAGES, Question, QuestionKind, Selection, ShowIf, Survey, SurveyInput, Texts,
};
use msohub_service::{Actor, FieldError};
use uuid::Uuid;

pub fn routes(r: Routes) -> Routes {
    r.get("/app/surveys", list)
        .post("/app/surveys", create)
        .get("/app/surveys/new", new)
        .get("/app/surveys/{id}", show)
        .post("/app/surveys/{id}", update)
        .get("/app/surveys/{id}/edit", edit)
        .post("/app/surveys/{id}/send", send)
        .post("/app/surveys/{id}/delete", delete)
        .post("/app/surveys/{id}/invite", invite)
        .post("/app/surveys/{id}/remind", remind)
        .post("/app/surveys/{id}/links/{organisation}", show_link)
        .post("/app/surveys/{id}/links/{organisation}/renew", renew_link)
        .post("/app/surveys/{id}/needs", take_need)
}

/// The languages a survey is translated into (German is the original).
const TRANSLATIONS: [&str; 5] = ["en", "tr", "ar", "ru", "uk"];

#[derive(Template)]
#[template(path = "surveys/list.html")]
struct ListTemplate {
    page: PageContext,
    surveys: Vec<Survey>,
    can_write: bool,
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    let page = super::staff_page(&state, &parts, &actor, "surveys-title").await;
    let surveys = state.services.list_surveys(&actor).await?;
    Ok(render(
        StatusCode::OK,
        &ListTemplate {
            page,
            surveys,
            can_write: actor.can(Permission::WriteStaffArea),
        },
    ))
}

// --- the builder ----------------------------------------------------------

/// A text field and its translations, as the form shows them.
struct TextsView {
    name: String,
    de: String,
    others: Vec<(&'static str, String)>,
}

fn texts_view(name: String, texts: &Texts) -> TextsView {
    TextsView {
        de: texts.get("de").cloned().unwrap_or_default(),
        others: TRANSLATIONS
            .iter()
            .map(|l| (*l, texts.get(*l).cloned().unwrap_or_default()))
            .collect(),
        name,
    }
}

/// Choices as lines per language (German lines decide how many there are).
fn choice_lines(choices: &[Choice], lang: &str) -> String {
    choices
        .iter()
        .map(|c| c.label.get(lang).cloned().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

struct QuestionForm {
    index: usize,
    id: String,
    codes: String,
    kinds: Vec<(String, String, bool)>,
    text: TextsView,
    help: TextsView,
    required: bool,
    other: bool,
    choices_de: String,
    choices_others: Vec<(&'static str, String)>,
    /// (value, label, selected) for "show only if".
    conditions: Vec<(String, String, bool)>,
    locked: bool,
}

#[derive(Template)]
#[template(path = "surveys/form.html")]
struct FormTemplate {
    page: PageContext,
    id: Option<Uuid>,
    version: i32,
    /// The title and the introduction.
    heads: Vec<TextsView>,
    opens_on: String,
    closes_on: String,
    reminder_limit: i32,
    questions: Vec<QuestionForm>,
    /// Sent: the questions stay as they are (only wording changes).
    locked: bool,
    errors: FormErrors,
    problems: Vec<(String, String)>,
}

fn question_forms(page: &PageContext, questions: &[Question], locked: bool) -> Vec<QuestionForm> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let mut conditions = vec![(
                String::new(),
                page.t("survey-show-always"),
                q.show_if.is_none(),
            )];
            for earlier in &questions[..i] {
                let label = |answer: &str| {
                    format!(
                        "{} = {answer}",
                        earlier
                            .text
                            .get("de")
                            .cloned()
                            .unwrap_or_else(|| earlier.id.clone())
                    )
                };
                let values: Vec<(String, String)> = match earlier.kind {
                    QuestionKind::YesNo => vec![
                        ("yes".to_owned(), label(&page.t("survey-yes"))),
                        ("no".to_owned(), label(&page.t("survey-no"))),
                    ],
                    k if k.has_choices() => earlier
                        .choices
                        .iter()
                        .filter(|c| !c.code.is_empty())
                        .map(|c| {
                            (
                                c.code.clone(),
                                label(c.label.get("de").map_or("", String::as_str)),
                            )
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                for (value, text) in values {
                    let selected = q
                        .show_if
                        .as_ref()
                        .is_some_and(|s| s.question == earlier.id && s.equals == value);
                    conditions.push((format!("{}={value}", earlier.id), text, selected));
                }
            }
            QuestionForm {
                index: i,
                id: q.id.clone(),
                codes: q
                    .choices
                    .iter()
                    .map(|c| c.code.clone())
                    .collect::<Vec<_>>()
                    .join(","),
                kinds: QuestionKind::ALL
                    .iter()
                    .map(|k| {
                        (
                            k.code().to_owned(),
                            page.t(&format!("survey-kind-{}", k.code())),
                            *k == q.kind,
                        )
                    })
                    .collect(),
                text: texts_view(format!("q.{i}.text"), &q.text),
                help: texts_view(format!("q.{i}.help"), &q.help),
                required: q.required,
                other: q.other,
                choices_de: choice_lines(&q.choices, "de"),
                choices_others: TRANSLATIONS
                    .iter()
                    .map(|l| (*l, choice_lines(&q.choices, l)))
                    .collect(),
                conditions,
                locked,
            }
        })
        .collect()
}

/// The form's texts of one field: `name.de`, `name.en`, …
/// The non-blank texts of a form's `name.{lang}` fields.
pub(super) fn texts_from(pairs: &[(String, String)], name: &str) -> Texts {
    LANGUAGES
        .iter()
        .filter_map(|l| {
            let v = value(pairs, &format!("{name}.{l}"))?;
            (!v.trim().is_empty()).then(|| ((*l).to_owned(), v.to_owned()))
        })
        .collect()
}

pub(super) fn value<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// What the builder form sent, and which of its buttons was pressed.
fn input_from_form(pairs: &[(String, String)]) -> (SurveyInput, String) {
    let count = pairs
        .iter()
        .filter_map(|(k, _)| {
            k.strip_prefix("q.")?
                .split('.')
                .next()?
                .parse::<usize>()
                .ok()
        })
        .max()
        .map_or(0, |m| m + 1);
    let mut questions = Vec::new();
    for i in 0..count {
        let key = |k: &str| format!("q.{i}.{k}");
        let Some(kind) = value(pairs, &key("kind")) else {
            continue;
        };
        let kind = QuestionKind::parse(kind).unwrap_or(QuestionKind::ShortText);
        let codes: Vec<&str> = value(pairs, &key("codes"))
            .unwrap_or_default()
            .split(',')
            .filter(|c| !c.is_empty())
            .collect();
        let lines = |lang: &str| -> Vec<String> {
            value(pairs, &key(&format!("choices.{lang}")))
                .unwrap_or_default()
                .lines()
                .map(|l| l.trim().to_owned())
                .collect()
        };
        let german: Vec<String> = lines("de").into_iter().filter(|l| !l.is_empty()).collect();
        let others: Vec<(&str, Vec<String>)> =
            TRANSLATIONS.iter().map(|l| (*l, lines(l))).collect();
        let choices = german
            .iter()
            .enumerate()
            .map(|(j, de)| {
                let mut label = Texts::from([("de".to_owned(), de.clone())]);
                for (lang, lines) in &others {
                    if let Some(t) = lines.get(j).filter(|t| !t.is_empty()) {
                        label.insert((*lang).to_owned(), t.clone());
                    }
                }
                Choice {
                    code: codes.get(j).map(|c| (*c).to_owned()).unwrap_or_default(),
                    label,
                }
            })
            .collect();
        let show_if = value(pairs, &key("show_if"))
            .and_then(|v| v.split_once('='))
            .map(|(question, equals)| ShowIf {
                question: question.to_owned(),
                equals: equals.to_owned(),
            });
        questions.push(Question {
            id: value(pairs, &key("id")).unwrap_or_default().to_owned(),
            kind,
            text: texts_from(pairs, &key("text")),
            help: texts_from(pairs, &key("help")),
            required: value(pairs, &key("required")).is_some(),
            choices,
            other: value(pairs, &key("other")).is_some(),
            show_if,
        });
    }
    let input = SurveyInput {
        title: texts_from(pairs, "title"),
        intro: texts_from(pairs, "intro"),
        questions,
        opens_on: value(pairs, "opens_on").unwrap_or_default().to_owned(),
        closes_on: value(pairs, "closes_on").unwrap_or_default().to_owned(),
        reminder_limit: value(pairs, "reminder_limit")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(-1),
        version: value(pairs, "version")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
    };
    (input, value(pairs, "action").unwrap_or("save").to_owned())
}

/// Applies a builder button other than "save"; `false` for "save".
fn rearrange(input: &mut SurveyInput, action: &str) -> bool {
    let index = |prefix: &str| {
        action
            .strip_prefix(prefix)
            .and_then(|i| i.parse::<usize>().ok())
    };
    if action == "add" {
        input.questions.push(Question::default());
    } else if let Some(i) = index("remove-") {
        if i < input.questions.len() {
            input.questions.remove(i);
        }
    } else if let Some(i) = index("up-") {
        if i > 0 && i < input.questions.len() {
            input.questions.swap(i - 1, i);
        }
    } else {
        return false;
    }
    true
}

/// Field errors of the service as (anchor, "what: message") for the
/// summary, and as (form field, message) for the fields.
fn problems(tr: Tr, fields: &[FieldError]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|f| {
            let message = tr
                .own(&format!("rule-{}", f.rule))
                .unwrap_or_else(|| tr.t("rule-other"));
            let mut parts = f.field.split('.');
            let label = match (parts.next(), parts.next()) {
                (Some("questions"), Some(i)) => {
                    let n = i.parse::<usize>().map_or(0, |n| n + 1);
                    tr.t1("survey-question-n", "number", n)
                }
                (Some(name), _) => tr.t(&format!("survey-field-{name}")),
                _ => String::new(),
            };
            let anchor = match f.field.split('.').collect::<Vec<_>>().as_slice() {
                ["questions", i, ..] => format!("question-{i}"),
                [name, ..] => format!("field-{name}"),
                [] => String::new(),
            };
            (anchor, format!("{label}: {message}"))
        })
        .collect()
}

fn form_template(
    page: PageContext,
    id: Option<Uuid>,
    input: &SurveyInput,
    locked: bool,
    errors: FormErrors,
    problems: Vec<(String, String)>,
) -> FormTemplate {
    let questions = question_forms(&page, &input.questions, locked);
    FormTemplate {
        id,
        version: input.version,
        heads: vec![
            texts_view("title".to_owned(), &input.title),
            texts_view("intro".to_owned(), &input.intro),
        ],
        opens_on: input.opens_on.clone(),
        closes_on: input.closes_on.clone(),
        reminder_limit: input.reminder_limit.max(0),
        questions,
        locked,
        errors,
        problems,
        page,
    }
}

async fn new(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let page = super::staff_page(&state, &parts, &actor, "survey-new-title").await;
    let tr = page.tr;
    let input = SurveyInput {
        questions: vec![Question::default()],
        reminder_limit: 2,
        ..SurveyInput::default()
    };
    Ok(render(
        StatusCode::OK,
        &form_template(page, None, &input, false, FormErrors::none(tr), Vec::new()),
    ))
}

async fn edit(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    actor.require(Permission::WriteStaffArea)?;
    let survey = state.services.get_survey(&actor, id).await?;
    let page = super::staff_page(&state, &parts, &actor, "survey-edit-title").await;
    let tr = page.tr;
    Ok(render(
        StatusCode::OK,
        &form_template(
            page,
            Some(id),
            &survey.to_input(),
            survey.sent_at.is_some(),
            FormErrors::none(tr),
            Vec::new(),
        ),
    ))
}

/// Saves the builder form (`id`: an existing survey), or applies one of
/// its buttons and shows it again.
async fn save(
    state: &AppState,
    actor: &Actor,
    parts: &Parts,
    id: Option<Uuid>,
    pairs: &[(String, String)],
) -> Result<Response, WebError> {
    let (mut input, action) = input_from_form(pairs);
    let current = match id {
        Some(id) => Some(state.services.get_survey(actor, id).await?),
        None => None,
    };
    let locked = current.as_ref().is_some_and(|s| s.sent_at.is_some());
    let title = if id.is_some() {
        "survey-edit-title"
    } else {
        "survey-new-title"
    };
    let page = super::staff_page(state, parts, actor, title).await;
    let tr = page.tr;
    if !locked && rearrange(&mut input, &action) {
        return Ok(render(
            StatusCode::OK,
            &form_template(page, id, &input, locked, FormErrors::none(tr), Vec::new()),
        ));
    }
    let saved = match id {
        Some(id) => state.services.update_survey(actor, id, &input).await,
        None => state.services.create_survey(actor, &input).await,
    };
    match saved {
        Ok(s) => Ok(Redirect::to(&format!("/app/surveys/{}?done=saved", s.id)).into_response()),
        Err(msohub_service::Error::Validation(fields)) => {
            let problems = problems(tr, &fields);
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_template(
                    page,
                    id,
                    &input,
                    locked,
                    FormErrors::general(tr, "survey-check"),
                    problems,
                ),
            ))
        }
        Err(e) => {
            let errors = FormErrors::from_service(tr, e)?;
            // Someone saved meanwhile: show theirs.
            let theirs = match (id, current) {
                (Some(id), Some(_)) => state.services.get_survey(actor, id).await?.to_input(),
                _ => input,
            };
            Ok(render(
                StatusCode::CONFLICT,
                &form_template(page, id, &theirs, locked, errors, Vec::new()),
            ))
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
    Path(id): Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> Result<Response, WebError> {
    match state.services.delete_survey(&actor, id, form.version).await {
        Ok(()) => Ok(Redirect::to("/app/surveys?done=deleted").into_response()),
        Err(msohub_service::Error::Conflict(_)) => {
            Ok(Redirect::to(&format!("/app/surveys/{id}?done=conflict")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// --- the survey's page: sending and results --------------------------------

/// One question's results as the page shows them.
struct ResultView {
    number: usize,
    text: String,
    kind: String,
    answered: usize,
    counts: Vec<(String, usize, u32)>,
    chart: String,
    mean: Option<String>,
    /// The question's id.
    id: String,
    texts: Vec<TextView>,
}

/// A text answer with its organisation and the need taken from it.
struct TextView {
    organisation: Uuid,
    name: String,
    text: String,
    need: Option<Uuid>,
}

#[derive(Template)]
#[template(path = "surveys/show.html")]
struct ShowTemplate {
    page: PageContext,
    survey: Survey,
    results: SurveyResults,
    views: Vec<ResultView>,
    can_write: bool,
    kinds: Vec<(String, String, bool)>,
    districts: Vec<(String, String, bool)>,
    bodies: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    filter_kinds: Vec<(String, String, bool)>,
    filter_districts: Vec<(String, String, bool)>,
    notice: Option<String>,
    errors: FormErrors,
    send_problems: Vec<(String, String)>,
    recipients: Vec<SurveyRecipient>,
    /// (sent, waiting, failed) e-mails of the survey.
    mails: (usize, usize, usize),
    deliveries: Vec<Delivery>,
    /// A personal link just shown or replaced, for its organisation.
    link: Option<(SurveyLink, bool)>,
    /// The need categories (code, label) for "take as a need".
    categories: Vec<(String, String)>,
}

impl ShowTemplate {
    fn day(at: &chrono::DateTime<chrono::Utc>) -> String {
        at.with_timezone(&chrono_tz::Europe::Berlin)
            .format("%d.%m.%Y")
            .to_string()
    }
    fn not_mailed(&self) -> usize {
        self.recipients
            .iter()
            .filter(|r| r.mailed_at.is_none())
            .count()
    }
    fn to_remind(&self) -> usize {
        self.recipients
            .iter()
            .filter(|r| {
                r.mailed_at.is_some()
                    && r.answered_at.is_none()
                    && r.reminded < self.survey.reminder_limit
            })
            .count()
    }
}

fn label_of(choice: &ChoiceCount, page: &PageContext) -> String {
    match choice.code.as_str() {
        "yes" => page.t("survey-yes"),
        "no" => page.t("survey-no"),
        "other" => page.t("survey-other"),
        _ => choice.label.get("de").cloned().unwrap_or_default(),
    }
}

/// Horizontal bars, one per answer, with the count and percentage written
/// beside each (the table under it says the same in text).
fn chart(title: &str, bars: &[(String, usize, u32)]) -> String {
    use std::fmt::Write;
    const WIDTH: u32 = 640;
    const LABEL: u32 = 220;
    const BAR: u32 = 22;
    const GAP: u32 = 10;
    let height = bars.len() as u32 * (BAR + GAP) + GAP;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut svg = format!(
        r#"<svg class="survey-chart" role="img" aria-label="{}" viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(title)
    );
    for (i, (label, count, percent)) in bars.iter().enumerate() {
        let y = GAP + i as u32 * (BAR + GAP);
        let short: String = label.chars().take(30).collect();
        let length = ((WIDTH - LABEL - 90) * percent / 100).max(if *count > 0 { 2 } else { 0 });
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="end" font-size="14" fill="#1b1b1b">{}</text>"##,
            LABEL - 8,
            y + 16,
            esc(&short)
        );
        if length > 0 {
            let _ = write!(
                svg,
                r##"<rect x="{LABEL}" y="{y}" width="{length}" height="{BAR}" fill="#1e5aa0"><title>{}: {count} ({percent} %)</title></rect>"##,
                esc(label)
            );
        }
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" font-size="14" fill="#1b1b1b">{count} ({percent} %)</text>"##,
            LABEL + length + 6,
            y + 16
        );
    }
    svg.push_str("</svg>");
    svg
}

fn result_views(page: &PageContext, results: &SurveyResults) -> Vec<ResultView> {
    results
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let text = q.text.get("de").cloned().unwrap_or_default();
            let counts: Vec<(String, usize, u32)> = q
                .counts
                .iter()
                .map(|c| (label_of(c, page), c.count, c.percent))
                .collect();
            ResultView {
                number: i + 1,
                chart: if counts.is_empty() {
                    String::new()
                } else {
                    chart(&text, &counts)
                },
                kind: page.t(&format!("survey-kind-{}", q.kind.code())),
                text,
                answered: q.answered,
                counts,
                mean: q.mean.map(|m| format!("{m:.1}").replace('.', ",")),
                id: q.id.clone(),
                texts: q
                    .texts
                    .iter()
                    .map(|t| TextView {
                        organisation: t.organisation.id,
                        name: t.organisation.name.clone(),
                        text: t.text.clone(),
                        need: t.need_id,
                    })
                    .collect(),
            }
        })
        .collect()
}

fn options(codes: Vec<(String, String)>, chosen: &[String]) -> Vec<(String, String, bool)> {
    codes
        .into_iter()
        .map(|(code, label)| {
            let on = chosen.contains(&code);
            (code, label, on)
        })
        .collect()
}

/// What the survey's page shows beyond the results: the sending form as
/// sent (after a refusal), the errors, and a personal link just asked for.
struct Shown<'a> {
    selection: &'a Selection,
    errors: FormErrors,
    send_problems: Vec<(String, String)>,
    link: Option<(SurveyLink, bool)>,
    status: StatusCode,
}

impl Shown<'_> {
    fn plain(tr: Tr) -> Shown<'static> {
        static NONE: std::sync::LazyLock<Selection> = std::sync::LazyLock::new(Selection::default);
        Shown {
            selection: &NONE,
            errors: FormErrors::none(tr),
            send_problems: Vec::new(),
            link: None,
            status: StatusCode::OK,
        }
    }
}

async fn show_page(
    state: &AppState,
    actor: &Actor,
    parts: &Parts,
    id: Uuid,
    shown: Shown<'_>,
) -> Result<Response, WebError> {
    let Shown {
        selection,
        errors,
        send_problems,
        link,
        status,
    } = shown;
    let query = parts.uri.query();
    let filter = ResultFilter {
        kind: crate::query::param(query, "kind").unwrap_or_default(),
        district: crate::query::param(query, "district").unwrap_or_default(),
    };
    let results = state.services.survey_results(actor, id, &filter).await?;
    let survey = results.survey.clone();
    let title = survey.title.get("de").cloned().unwrap_or_default();
    let mut page = super::staff_page(state, parts, actor, "surveys-title").await;
    page.title = title;
    let notice = crate::query::param(query, "done").map(|d| match d.as_str() {
        "invited" | "reminded" => {
            let n = |k: &str| {
                crate::query::param(query, k)
                    .and_then(|v| v.parse::<u32>().ok())
                    .unwrap_or(0)
                    .to_string()
            };
            let (queued, organisations, without) = (n("queued"), n("organisations"), n("without"));
            page.tr.tn(
                &format!("survey-done-{d}"),
                &[
                    ("queued", queued.as_str()),
                    ("organisations", organisations.as_str()),
                    ("without", without.as_str()),
                ],
            )
        }
        d => page.t(&format!("survey-done-{d}")),
    });
    let views = result_views(&page, &results);
    let kind_codes = msohub_domain::organisation::OrganisationKind::ALL
        .iter()
        .map(|k| (k.code().to_owned(), page.t(&format!("kind-{}", k.code()))))
        .collect();
    let districts: Vec<(String, String)> = state
        .services
        .districts()
        .await?
        .into_iter()
        .map(|d| (d.clone(), d))
        .collect();
    let bodies = state
        .services
        .list_bodies(actor, false)
        .await?
        .into_iter()
        .map(|b| (b.id.to_string(), b.name))
        .collect();
    let organisations = state
        .services
        .organisation_names(actor, 5_000)
        .await?
        .into_iter()
        .map(|r| (r.id.to_string(), r.name))
        .collect();
    let with_all =
        |page: &PageContext, values: &[String], chosen: &str, label: &dyn Fn(&str) -> String| {
            let mut out = vec![(String::new(), page.t("filter-all"), chosen.is_empty())];
            out.extend(values.iter().map(|v| (v.clone(), label(v), v == chosen)));
            out
        };
    let filter_kinds = with_all(&page, &results.kinds, &filter.kind, &|k| {
        page.t(&format!("kind-{k}"))
    });
    let filter_districts = with_all(&page, &results.districts, &filter.district, &|d| {
        d.to_owned()
    });
    let recipients = state.services.survey_recipients_of(actor, id).await?;
    let deliveries = state.services.survey_deliveries(actor, id).await?;
    let count = |s: &str| deliveries.iter().filter(|d| d.status == s).count();
    let mails = (count("sent"), count("pending"), count("failed"));
    let categories = state
        .services
        .terms("need_category")
        .await?
        .into_iter()
        .filter(|t| !t.retired)
        .map(|t| (t.code.clone(), super::needs::label(page.tr, &t)))
        .collect();
    Ok(render(
        status,
        &ShowTemplate {
            kinds: options(kind_codes, &selection.kinds),
            districts: options(districts, &selection.districts),
            can_write: actor.can(Permission::WriteStaffArea),
            survey,
            results,
            views,
            bodies,
            organisations,
            filter_kinds,
            filter_districts,
            notice,
            errors,
            send_problems,
            recipients,
            mails,
            deliveries,
            link,
            categories,
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
    let tr = super::staff_page(&state, &parts, &actor, "surveys-title")
        .await
        .tr;
    show_page(&state, &actor, &parts, id, Shown::plain(tr)).await
}

async fn send(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let all = |key: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
            .collect()
    };
    let selection = Selection {
        kinds: all("kinds"),
        topics: Vec::new(),
        districts: all("districts"),
        languages: Vec::new(),
        bodies: all("bodies"),
        organisations: all("organisations"),
        version: value(&pairs, "version")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
    };
    let tr = super::staff_page(&state, &parts, &actor, "surveys-title")
        .await
        .tr;
    match state.services.send_survey(&actor, id, &selection).await {
        Ok((_, added)) => {
            Ok(Redirect::to(&format!("/app/surveys/{id}?done=sent&added={added}")).into_response())
        }
        Err(msohub_service::Error::Validation(fields)) => {
            let send_problems = problems(tr, &fields);
            let shown = Shown {
                selection: &selection,
                errors: FormErrors::general(tr, "survey-send-check"),
                send_problems,
                link: None,
                status: StatusCode::UNPROCESSABLE_ENTITY,
            };
            show_page(&state, &actor, &parts, id, shown).await
        }
        Err(e) => {
            let shown = Shown {
                selection: &selection,
                errors: FormErrors::from_service(tr, e)?,
                send_problems: Vec::new(),
                link: None,
                status: StatusCode::CONFLICT,
            };
            show_page(&state, &actor, &parts, id, shown).await
        }
    }
}

/// A refusal shown on the survey's page (its rule's message above it).
async fn refused(
    state: &AppState,
    actor: &Actor,
    parts: &Parts,
    id: Uuid,
    e: msohub_service::Error,
) -> Result<Response, WebError> {
    let tr = super::staff_page(state, parts, actor, "surveys-title")
        .await
        .tr;
    let (errors, status) = match e {
        msohub_service::Error::Validation(fields) => {
            let rule = fields.first().map(|f| f.rule.clone()).unwrap_or_default();
            (
                FormErrors::general(tr, &format!("rule-{rule}")),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        e => (FormErrors::from_service(tr, e)?, StatusCode::CONFLICT),
    };
    let mut shown = Shown::plain(tr);
    shown.errors = errors;
    shown.status = status;
    show_page(state, actor, parts, id, shown).await
}

async fn mail(
    state: AppState,
    actor: Actor,
    parts: Parts,
    id: Uuid,
    reminder: bool,
) -> Result<Response, WebError> {
    match state.services.mail_survey(&actor, id, reminder).await {
        Ok(report) => Ok(Redirect::to(&format!(
            "/app/surveys/{id}?done={}&queued={}&organisations={}&without={}#mail",
            if reminder { "reminded" } else { "invited" },
            report.queued,
            report.organisations,
            report.without_address.len()
        ))
        .into_response()),
        Err(e) => refused(&state, &actor, &parts, id, e).await,
    }
}

async fn invite(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    mail(state, actor, parts, id, false).await
}

async fn remind(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    mail(state, actor, parts, id, true).await
}

/// Shows an organisation's personal link on the survey's page (a POST:
/// it is recorded in the audit log, and the link is never put in a URL).
async fn link_page(
    state: AppState,
    actor: Actor,
    parts: Parts,
    (id, organisation): (Uuid, Uuid),
    renew: bool,
) -> Result<Response, WebError> {
    let link = if renew {
        state
            .services
            .renew_survey_link(&actor, id, organisation)
            .await
    } else {
        state.services.survey_link(&actor, id, organisation).await
    };
    match link {
        Ok(link) => {
            let tr = super::staff_page(&state, &parts, &actor, "surveys-title")
                .await
                .tr;
            let mut shown = Shown::plain(tr);
            shown.link = Some((link, renew));
            show_page(&state, &actor, &parts, id, shown).await
        }
        Err(e) => refused(&state, &actor, &parts, id, e).await,
    }
}

async fn show_link(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Response, WebError> {
    link_page(state, actor, parts, ids, false).await
}

async fn renew_link(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Response, WebError> {
    link_page(state, actor, parts, ids, true).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NeedForm {
    organisation: String,
    question: String,
    category: String,
}

/// "Als Bedarf erfassen" under a text answer: the need is made (or the one
/// made before is found) and opened.
async fn take_need(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    parts: Parts,
    Path(id): Path<Uuid>,
    Form(form): Form<NeedForm>,
) -> Result<Response, WebError> {
    let Ok(organisation) = form.organisation.parse::<Uuid>() else {
        return refused(
            &state,
            &actor,
            &parts,
            id,
            msohub_service::Error::field("organisation", "organisation-unknown"),
        )
        .await;
    };
    let input = NeedFromAnswerInput {
        question: form.question,
        category: form.category,
        ..NeedFromAnswerInput::default()
    };
    match state
        .services
        .need_from_answer(&actor, id, organisation, &input)
        .await
    {
        Ok(made) => Ok(Redirect::to(&format!(
            "/app/needs/{}?done={}",
            made.need.id,
            if made.created {
                "from-survey"
            } else {
                "from-survey-before"
            }
        ))
        .into_response()),
        Err(e) => refused(&state, &actor, &parts, id, e).await,
    }
}
