//! Needs surveys (Bedarfsabfragen): the office builds a questionnaire,
//! sends it to a selection of organisations, and each answers once in the
//! portal (editable until the survey closes); the results are counted per
//! question.
//!
//! A survey's questions and all its texts, with their translations, are
//! one document (`content`), edited and versioned together. Once a survey
//! is sent its structure is fixed — which questions there are, their kind,
//! their choices and conditions — because answers refer to it; wording,
//! translations and the dates can still change.

pub mod answers;
pub mod links;
pub mod needs;
pub mod results;

use crate::{Actor, Error, FieldError, Services, audit};
use chrono::{DateTime, NaiveDate, Utc};
use msohub_domain::Permission;
use msohub_store::surveys::{self as store, SurveyRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The languages a survey's texts can be written in; German is required,
/// the others fall back to it.
pub const LANGUAGES: [&str; 6] = crate::portal::LANGUAGES;

/// Most questions a survey may have.
pub const MAX_QUESTIONS: usize = 60;
/// Most choices a question may offer.
pub const MAX_CHOICES: usize = 30;

/// A text in several languages: language code → text. German (`de`) is
/// the original; a language without its own text shows the German one,
/// marked as untranslated.
pub type Texts = BTreeMap<String, String>;

/// What kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One of the choices (or "other: …" when allowed).
    Single,
    /// Any of the choices (and "other: …" when allowed).
    Multiple,
    YesNo,
    /// 1 (least) to 5 (most).
    Scale,
    Number,
    ShortText,
    LongText,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 7] = [
        QuestionKind::Single,
        QuestionKind::Multiple,
        QuestionKind::YesNo,
        QuestionKind::Scale,
        QuestionKind::Number,
        QuestionKind::ShortText,
        QuestionKind::LongText,
    ];

    pub fn code(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::YesNo => "yes_no",
            QuestionKind::Scale => "scale",
            QuestionKind::Number => "number",
            QuestionKind::ShortText => "short_text",
            QuestionKind::LongText => "long_text",
        }
    }

    pub fn parse(code: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether the question offers choices.
    pub fn has_choices(self) -> bool {
        matches!(self, QuestionKind::Single | QuestionKind::Multiple)
    }
}

/// One choice of a single or multiple choice question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Choice {
    /// Stable within the question (`c1`, `c2`, …; given when empty).
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z0-9_]{0,20}$")]
    pub code: String,
    pub label: Texts,
}

/// Show a question only when an earlier one was answered so: a yes/no
/// question with `yes` or `no`, a choice question with one of its codes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ShowIf {
    pub question: String,
    pub equals: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Question {
    /// Stable within the survey (`q1`, `q2`, …; given when empty).
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z0-9_]{0,20}$")]
    pub id: String,
    pub kind: QuestionKind,
    pub text: Texts,
    /// An optional explanation under the question.
    #[serde(default)]
    pub help: Texts,
    #[serde(default)]
    pub required: bool,
    /// The choices of a single or multiple choice question.
    #[serde(default)]
    #[schema(max_items = 30)]
    pub choices: Vec<Choice>,
    /// Whether a choice question also takes "other: …" with a text.
    #[serde(default)]
    pub other: bool,
    #[serde(default)]
    pub show_if: Option<ShowIf>,
}

impl Default for Question {
    fn default() -> Self {
        Question {
            id: String::new(),
            kind: QuestionKind::ShortText,
            text: Texts::new(),
            help: Texts::new(),
            required: false,
            choices: Vec::new(),
            other: false,
            show_if: None,
        }
    }
}

/// What is stored in `survey.content`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Content {
    title: Texts,
    intro: Texts,
    questions: Vec<Question>,
}

/// Where a survey stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SurveyState {
    /// Being written; not sent yet.
    Draft,
    /// Sent, opening later.
    Scheduled,
    /// Sent and taking answers.
    Open,
    /// Past its closing date.
    Closed,
}

impl SurveyState {
    pub fn code(self) -> &'static str {
        match self {
            SurveyState::Draft => "draft",
            SurveyState::Scheduled => "scheduled",
            SurveyState::Open => "open",
            SurveyState::Closed => "closed",
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Survey {
    pub id: Uuid,
    pub title: Texts,
    pub intro: Texts,
    pub questions: Vec<Question>,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    pub state: SurveyState,
    pub sent_at: Option<DateTime<Utc>>,
    /// How many reminders may go to an organisation that has not answered.
    pub reminder_limit: i32,
    /// Organisations it was sent to, and how many of them answered.
    pub recipients: usize,
    pub answered: usize,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Survey {
    /// The text in `lang`, else the German one; and whether it fell back.
    pub fn text<'a>(texts: &'a Texts, lang: &str) -> (&'a str, bool) {
        match texts.get(lang).map(|t| t.trim()).filter(|t| !t.is_empty()) {
            Some(t) => (t, false),
            None => (texts.get("de").map_or("", |t| t.as_str()), lang != "de"),
        }
    }

    pub fn to_input(&self) -> SurveyInput {
        SurveyInput {
            title: self.title.clone(),
            intro: self.intro.clone(),
            questions: self.questions.clone(),
            opens_on: self.opens_on.map(|d| d.to_string()).unwrap_or_default(),
            closes_on: self.closes_on.map(|d| d.to_string()).unwrap_or_default(),
            reminder_limit: self.reminder_limit,
            version: self.version,
        }
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// A survey as staff write it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SurveyInput {
    /// `de` required.
    pub title: Texts,
    #[serde(deserialize_with = "null_is_default")]
    pub intro: Texts,
    #[schema(max_items = 60)]
    pub questions: Vec<Question>,
    /// YYYY-MM-DD; empty or null: open as soon as it is sent.
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub opens_on: String,
    /// YYYY-MM-DD; empty or null: open until staff set a date.
    #[serde(deserialize_with = "crate::organisations::lenient::text")]
    pub closes_on: String,
    /// 0 to 5.
    #[serde(deserialize_with = "null_is_default")]
    pub reminder_limit: i32,
    pub version: i32,
}

/// A number, or `null` for its default (what a client read back sends).
pub(crate) fn null_is_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Which organisations a survey goes to: those matching every filter that
/// is given, plus the ones picked by hand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Selection {
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub kinds: Vec<String>,
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub topics: Vec<String>,
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub districts: Vec<String>,
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub languages: Vec<String>,
    /// Bodies whose current members (on behalf of an organisation) get it.
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub bodies: Vec<String>,
    /// Organisations picked by hand (ids).
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub organisations: Vec<String>,
    /// The survey's version as read.
    pub version: i32,
}

impl Selection {
    fn filters_given(&self) -> bool {
        [
            &self.kinds,
            &self.topics,
            &self.districts,
            &self.languages,
            &self.bodies,
        ]
        .iter()
        .any(|l| l.iter().any(|v| !v.trim().is_empty()))
    }
}

pub(crate) fn state_of(row: &SurveyRow, today: NaiveDate) -> SurveyState {
    match row.sent_at {
        None => SurveyState::Draft,
        Some(_) if row.closes_on.is_some_and(|c| c < today) => SurveyState::Closed,
        Some(_) if row.opens_on.is_some_and(|o| o > today) => SurveyState::Scheduled,
        Some(_) => SurveyState::Open,
    }
}

fn content_of(row: &SurveyRow) -> Content {
    serde_json::from_str(&row.content).unwrap_or_default()
}

fn date(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| errors.push(FieldError::new(field, "date-invalid")))
        .ok()
}

/// Trims the texts, drops empty ones and unknown languages (an error), and
/// checks the length; `required`: German must be there.
pub(crate) fn texts(
    field: &str,
    given: &Texts,
    max: usize,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> Texts {
    let mut out = Texts::new();
    for (lang, text) in given {
        if !LANGUAGES.contains(&lang.as_str()) {
            errors.push(FieldError::new(
                &format!("{field}.{lang}"),
                "language-unknown",
            ));
            continue;
        }
        let text = text.trim();
        if text.chars().count() > max {
            errors.push(FieldError::new(&format!("{field}.{lang}"), "too-long"));
        } else if !msohub_domain::organisation::is_blank(text) {
            out.insert(lang.clone(), text.to_owned());
        }
    }
    if required && !out.contains_key("de") {
        errors.push(FieldError::new(&format!("{field}.de"), "required"));
    }
    out
}

/// The questions checked, with ids and choice codes given where empty.
fn questions(given: &[Question], errors: &mut Vec<FieldError>) -> Vec<Question> {
    if given.len() > MAX_QUESTIONS {
        errors.push(FieldError::new("questions", "too-many"));
    }
    let mut next = given
        .iter()
        .filter_map(|q| q.id.strip_prefix('q')?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    let mut out: Vec<Question> = Vec::new();
    for (i, q) in given.iter().take(MAX_QUESTIONS).enumerate() {
        let field = format!("questions.{i}");
        let id = match q.id.trim() {
            "" => {
                next += 1;
                format!("q{next}")
            }
            id if id.len() <= 20
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !out.iter().any(|o| o.id == id) =>
            {
                id.to_owned()
            }
            _ => {
                errors.push(FieldError::new(&format!("{field}.id"), "id-invalid"));
                continue;
            }
        };
        let mut question = Question {
            id,
            kind: q.kind,
            text: texts(&format!("{field}.text"), &q.text, 500, true, errors),
            help: texts(&format!("{field}.help"), &q.help, 1_000, false, errors),
            required: q.required,
            choices: Vec::new(),
            other: q.other && q.kind.has_choices(),
            show_if: None,
        };
        // Choices sent with a kind that takes none are checked as any
        // choices are (what the document says of them holds), then dropped.
        {
            let mut checked: Vec<Choice> = Vec::new();
            if q.choices.len() > MAX_CHOICES {
                errors.push(FieldError::new(&format!("{field}.choices"), "too-many"));
            }
            let mut n = q
                .choices
                .iter()
                .filter_map(|c| c.code.strip_prefix('c')?.parse::<u32>().ok())
                .max()
                .unwrap_or(0);
            for (j, c) in q.choices.iter().take(MAX_CHOICES).enumerate() {
                let label = texts(
                    &format!("{field}.choices.{j}.label"),
                    &c.label,
                    200,
                    true,
                    errors,
                );
                let code = match c.code.trim() {
                    "" => {
                        n += 1;
                        format!("c{n}")
                    }
                    code if code.len() <= 20
                        && code != "other"
                        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        && !checked.iter().any(|o| o.code == code) =>
                    {
                        code.to_owned()
                    }
                    _ => {
                        errors.push(FieldError::new(
                            &format!("{field}.choices.{j}.code"),
                            "id-invalid",
                        ));
                        continue;
                    }
                };
                checked.push(Choice { code, label });
            }
            if q.kind.has_choices() {
                question.choices = checked;
            }
            if q.kind.has_choices() && question.choices.len() < 2 {
                errors.push(FieldError::new(
                    &format!("{field}.choices"),
                    "choices-too-few",
                ));
            }
        }
        if let Some(show_if) = q.show_if.as_ref().filter(|s| !s.question.trim().is_empty()) {
            // Only on an earlier question, and a value it can have.
            let valid = out
                .iter()
                .find(|o| o.id == show_if.question.trim())
                .is_some_and(|o| match o.kind {
                    QuestionKind::YesNo => matches!(show_if.equals.trim(), "yes" | "no"),
                    k if k.has_choices() => {
                        o.choices.iter().any(|c| c.code == show_if.equals.trim())
                    }
                    _ => false,
                });
            if valid {
                question.show_if = Some(ShowIf {
                    question: show_if.question.trim().to_owned(),
                    equals: show_if.equals.trim().to_owned(),
                });
            } else {
                errors.push(FieldError::new(
                    &format!("{field}.show_if"),
                    "condition-invalid",
                ));
            }
        }
        out.push(question);
    }
    out
}

/// What an answer refers to in one question: its id, kind, choice codes,
/// whether it takes "other", and its condition (not its wording).
type Structure = (String, QuestionKind, Vec<String>, bool, Option<ShowIf>);

/// What answers refer to: the questions, their kinds, choices and
/// conditions (not their wording).
fn structure(questions: &[Question]) -> Vec<Structure> {
    questions
        .iter()
        .map(|q| {
            (
                q.id.clone(),
                q.kind,
                q.choices.iter().map(|c| c.code.clone()).collect(),
                q.other,
                q.show_if.clone(),
            )
        })
        .collect()
}

fn audit_view(row: &SurveyRow) -> serde_json::Value {
    serde_json::json!({
        "title": row.title, "opens_on": row.opens_on, "closes_on": row.closes_on,
        "sent": row.sent_at.is_some(), "reminder_limit": row.reminder_limit,
        "deleted": row.deleted_at.is_some(),
    })
}

impl Services {
    /// Checks a survey's input against the stored one (`current`, when
    /// editing); the row to store.
    fn validate_survey(
        &self,
        input: &SurveyInput,
        current: Option<&SurveyRow>,
    ) -> Result<SurveyRow, Error> {
        let mut errors = Vec::new();
        let title = texts("title", &input.title, 200, true, &mut errors);
        let intro = texts("intro", &input.intro, 5_000, false, &mut errors);
        let questions = questions(&input.questions, &mut errors);
        let opens_on = date("opens_on", &input.opens_on, &mut errors);
        let closes_on = date("closes_on", &input.closes_on, &mut errors);
        if let (Some(o), Some(c)) = (opens_on, closes_on)
            && c < o
        {
            errors.push(FieldError::new("closes_on", "before-start"));
        }
        if !(0..=5).contains(&input.reminder_limit) {
            errors.push(FieldError::new("reminder_limit", "out-of-range"));
        }
        if let Some(current) = current.filter(|c| c.sent_at.is_some())
            && structure(&content_of(current).questions) != structure(&questions)
        {
            errors.push(FieldError::new("questions", "survey-sent"));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let now = Utc::now();
        let content = Content {
            title: title.clone(),
            intro,
            questions,
        };
        Ok(SurveyRow {
            id: current.map_or_else(Uuid::now_v7, |c| c.id),
            title: title.get("de").cloned().unwrap_or_default(),
            content: serde_json::to_string(&content).map_err(|e| Error::Internal(Box::new(e)))?,
            opens_on,
            closes_on,
            sent_at: current.and_then(|c| c.sent_at),
            reminder_limit: input.reminder_limit,
            version: current.map_or(1, |c| c.version),
            deleted_at: current.and_then(|c| c.deleted_at),
            created_at: current.map_or(now, |c| c.created_at),
            updated_at: now,
        })
    }

    pub(crate) async fn assemble_survey(&self, row: &SurveyRow) -> Result<Survey, Error> {
        let conn = self.store.conn();
        let recipients = store::recipients(conn, row.id).await?.len();
        let answered = store::answers(conn, row.id).await?.len();
        let content = content_of(row);
        Ok(Survey {
            id: row.id,
            title: content.title,
            intro: content.intro,
            questions: content.questions,
            opens_on: row.opens_on,
            closes_on: row.closes_on,
            state: state_of(row, crate::time::today()),
            sent_at: row.sent_at,
            reminder_limit: row.reminder_limit,
            recipients,
            answered,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    async fn live_survey(&self, id: Uuid) -> Result<SurveyRow, Error> {
        store::find_survey(self.store.conn(), id)
            .await?
            .filter(|s| s.deleted_at.is_none())
            .ok_or(Error::NotFound)
    }

    /// A survey not deleted and sent; `NotFound` else.
    async fn sent_survey(&self, id: Uuid) -> Result<SurveyRow, Error> {
        Some(self.live_survey(id).await?)
            .filter(|s| s.sent_at.is_some())
            .ok_or(Error::NotFound)
    }

    pub async fn list_surveys(&self, actor: &Actor) -> Result<Vec<Survey>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let mut out = Vec::new();
        for row in store::list_surveys(self.store.conn()).await? {
            out.push(self.assemble_survey(&row).await?);
        }
        Ok(out)
    }

    pub async fn get_survey(&self, actor: &Actor, id: Uuid) -> Result<Survey, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = self.live_survey(id).await?;
        self.assemble_survey(&row).await
    }

    pub async fn create_survey(&self, actor: &Actor, input: &SurveyInput) -> Result<Survey, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let row = self.validate_survey(input, None)?;
        let row = self
            .write_audited(
                actor,
                "survey",
                "create",
                None,
                async |tx| Ok(store::insert_survey(tx, row).await?),
                |r| (r.id, Some(audit_view(r))),
            )
            .await?;
        self.assemble_survey(&row).await
    }

    pub async fn update_survey(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &SurveyInput,
    ) -> Result<Survey, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = crate::write::current(
            store::find_survey(self.store.conn(), id)
                .await?
                .filter(|s| s.deleted_at.is_none()),
            input.version,
        )?;
        let row = self.validate_survey(input, Some(&current))?;
        let row = self
            .write_audited(
                actor,
                "survey",
                "update",
                Some(audit_view(&current)),
                async |tx| Ok(store::update_survey(tx, row).await?),
                |r| (r.id, Some(audit_view(r))),
            )
            .await?;
        self.assemble_survey(&row).await
    }

    pub async fn delete_survey(&self, actor: &Actor, id: Uuid, version: i32) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = crate::write::current(
            store::find_survey(self.store.conn(), id)
                .await?
                .filter(|s| s.deleted_at.is_none()),
            version,
        )?;
        let mut row = current.clone();
        row.deleted_at = Some(Utc::now());
        self.write_audited(
            actor,
            "survey",
            "delete",
            Some(audit_view(&current)),
            async |tx| Ok(store::update_survey(tx, row).await?),
            |r| (r.id, Some(audit_view(r))),
        )
        .await?;
        Ok(())
    }

    /// The live organisations a selection names (not the office itself).
    pub async fn select_organisations(
        &self,
        actor: &Actor,
        selection: &Selection,
    ) -> Result<Vec<Uuid>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let conn = self.store.conn();
        let mut errors = Vec::new();
        let mut picked = Vec::new();
        for raw in selection
            .organisations
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            match raw.parse::<Uuid>() {
                Ok(id) => picked.push(id),
                Err(_) => errors.push(FieldError::new("organisations", "organisation-unknown")),
            }
        }
        let mut bodies = Vec::new();
        for raw in selection
            .bodies
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            match raw.parse::<Uuid>() {
                Ok(id) if msohub_store::bodies::find_body(conn, id).await?.is_some() => {
                    bodies.push(id)
                }
                _ => errors.push(FieldError::new("bodies", "body-unknown")),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let today = crate::time::today();
        let mut members = std::collections::BTreeSet::new();
        for body in &bodies {
            for m in msohub_store::bodies::memberships_of_body(conn, *body).await? {
                if crate::portal::current(m.from_date, m.to_date, today)
                    && let Some(org) = m.on_behalf_of
                {
                    members.insert(org);
                }
            }
        }
        let wanted = |list: &[String], have: &[String]| {
            let list: Vec<&str> = list
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            list.is_empty() || have.iter().any(|h| list.contains(&h.as_str()))
        };
        let filtered = selection.filters_given();
        let mut out = Vec::new();
        for org in msohub_store::organisations::all_live(conn).await? {
            if org.is_own_office {
                continue;
            }
            let org = crate::organisations::Organisation::from(&org);
            let matches = filtered
                && wanted(&selection.kinds, std::slice::from_ref(&org.kind))
                && wanted(&selection.topics, &org.topics)
                && wanted(&selection.languages, &org.languages)
                && wanted(&selection.districts, org.district.as_slice())
                && (bodies.is_empty() || members.contains(&org.id));
            if matches || picked.contains(&org.id) {
                out.push(org.id);
            }
        }
        Ok(out)
    }

    /// Sends a survey to the selected organisations (more can be added
    /// later; those already sent to keep their place). A draft becomes
    /// sent. Returns the survey and how many organisations were added.
    pub async fn send_survey(
        &self,
        actor: &Actor,
        id: Uuid,
        selection: &Selection,
    ) -> Result<(Survey, u64), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = crate::write::current(
            store::find_survey(self.store.conn(), id)
                .await?
                .filter(|s| s.deleted_at.is_none()),
            selection.version,
        )?;
        if state_of(&current, crate::time::today()) == SurveyState::Closed {
            return Err(Error::field("closes_on", "survey-closed"));
        }
        let organisations = self.select_organisations(actor, selection).await?;
        if organisations.is_empty() {
            return Err(Error::field("organisations", "selection-empty"));
        }
        let mut row = current.clone();
        row.sent_at = row.sent_at.or(Some(Utc::now()));
        let tx = self.store.begin().await?;
        let row = store::update_survey(&tx, row).await?;
        let added = store::add_recipients(&tx, id, &organisations).await?;
        audit::record(
            &tx,
            actor,
            "survey",
            id,
            "send",
            Some(audit_view(&current)),
            Some(serde_json::json!({ "sent": true, "organisations_added": added })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok((self.assemble_survey(&row).await?, added))
    }
}
