//! What the derived schemas cannot say about request bodies: the closed
//! vocabularies (`enum`), the formats of dates, instants, addresses and ids,
//! numbers sent as numbers, and the fields a new record needs (`required`).
//!
//! The input types are shared by the forms and the JSON API and keep their
//! fields as text (a form sends text); this table says what the rules behind
//! them accept, so the document and a client generated from it know before
//! sending. A test checks that every entry names a schema and a property of
//! the document, so renaming a field without its entry fails the suite.
//!
//! A body that changes a record (PATCH) takes only the fields to change plus
//! `version`: its schema is a copy named `…Change` without the fields a new
//! record needs.
//!
//! The office's own vocabularies (topics, target groups, categories) differ
//! per instance: the static document marks them (`x-vocabulary`) and the
//! served document lists the instance's current codes ([`with_terms`]).

use msohub_domain::{bodies, offers, organisation, work};
use serde_json::{Value, json};

// Pieces several patterns share, as macros so `concat!` joins them into
// constants.
/// An id.
macro_rules! uuid {
    () => {
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    };
}
/// Spaces and control characters, which some rules drop.
macro_rules! dropped {
    () => {
        "[\\s\\x00-\\x1f\\x7f-\\x9f]*"
    };
}
/// A web address after its scheme: host, port, path.
macro_rules! host_and_path {
    () => {
        "([A-Za-z0-9-]{1,40}\\.){1,4}[A-Za-z][A-Za-z0-9-]{0,39}(:[0-9]{1,4})?([/?#][!-~]{0,100})?$"
    };
}
/// A host name or an IPv4 address or network (outbound::AllowList).
macro_rules! allow_entry {
    () => {
        concat!(
            "([a-z][a-z0-9-]{0,20}[a-z0-9](\\.[a-z][a-z0-9-]{0,20}[a-z0-9]){1,3}",
            "|(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}(/(3[0-2]|[12]?[0-9]))?)"
        )
    };
}

/// What a property takes.
#[derive(Clone, Copy)]
pub(crate) enum Takes {
    /// One code of a closed list; "" too when optional (none, or the default).
    Choice(fn() -> Vec<&'static str>),
    /// Codes of a closed list, as an array (or comma-separated text).
    Choices(fn() -> Vec<&'static str>),
    /// One code of one of the office's vocabularies.
    Term(&'static str),
    /// Codes of one of the office's vocabularies.
    Terms(&'static str),
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM`.
    Month,
    /// RFC 3339, or local time in Berlin (`2026-03-05T14:30`).
    Instant,
    /// `HH:MM`.
    Time,
    Email,
    /// A web address; `https://` is added when missing.
    Url,
    /// A web address with its `http(s)://`.
    Link,
    Uuid,
    /// Ids, as an array (or comma-separated text).
    Uuids,
    /// A whole number (sent as a number; text of one is read too).
    Integer,
    /// A number (sent as a number; text of one is read too).
    Number,
    /// ISO 639-1 codes, as an array (or comma-separated text).
    Languages,
    /// The languages offers and events are held in, as an array (or
    /// comma-separated text).
    OfferLanguages,
    /// Translations keyed by language (en, tr, ar, ru, uk).
    Translations,
    /// A text in the survey languages: an object keyed de, en, tr, ar, ru,
    /// uk, each at most this many characters; German needed when the
    /// property is.
    Texts(u32),
}

use Takes::*;

/// One request body: its schema, the fields a new record needs, and what
/// each listed property takes.
pub(crate) struct Body {
    pub schema: &'static str,
    pub required: &'static [&'static str],
    pub takes: &'static [(&'static str, Takes)],
    /// Also the answer of a GET (settings, report texts): types stay as
    /// they are read back, only vocabularies and formats are added.
    pub also_read: bool,
    /// Every optional property also takes `null` (nothing).
    pub nulls: bool,
}

/// Limits of numbers and text the rules check.
pub(crate) const LIMITS: &[(&str, &str, Limit)] = &[
    (
        "InteractionInput",
        "duration_minutes",
        Limit::Range(1, msohub_domain::work::MAX_DURATION_MINUTES as i64),
    ),
    ("TargetInput", "number", Limit::Range(1, 99)),
    ("SurveyInput", "reminder_limit", Limit::Range(0, 5)),
    ("CreateUser", "password", Limit::Chars(12, 256)),
    ("ChangePassword", "new_password", Limit::Chars(12, 256)),
    ("OrganisationInput", "phone", Limit::Phone),
    ("PersonInput", "phone", Limit::Phone),
    ("OrganisationInput", "postcode", Limit::Postcode),
    ("OfferInput", "postcode", Limit::Postcode),
    (
        "OrganisationInput",
        "founding_year",
        Limit::Range(1800, 2100),
    ),
    (
        "OrganisationInput",
        "member_count",
        Limit::Range(0, 10_000_000),
    ),
    ("OrganisationInput", "latitude", Limit::Range(-90, 90)),
    ("OrganisationInput", "longitude", Limit::Range(-180, 180)),
    ("OfferInput", "age_min", Limit::Range(0, 120)),
    ("OfferInput", "age_max", Limit::Range(0, 120)),
    ("TargetInput", "wanted", Limit::Range(0, 1_000_000_000)),
    ("TargetInput", "met_at", Limit::Range(0, 100)),
    ("TargetInput", "partly_at", Limit::Range(0, 100)),
    ("ProjectInput", "position", Limit::Range(0, 999)),
    ("BeyondInput", "position", Limit::Range(0, 1_000_000)),
    (
        "TargetInput",
        "manual_value",
        Limit::Range(0, 1_000_000_000),
    ),
    ("PatchUser", "display_name", Limit::NonBlank),
    ("PeriodChange", "name", Limit::Visible),
    // Read with spaces and control characters dropped (`parse_name`).
    ("OrganisationInput", "name", Limit::Visible),
    ("PersonInput", "given_name", Limit::Visible),
    ("PersonInput", "family_name", Limit::Visible),
    ("AffiliationBody", "role", Limit::Visible),
    ("ConsentBody", "source", Limit::Visible),
    ("EraseBody", "reason", Limit::Visible),
    (
        "InstanceSettings",
        "outbound_allow",
        Limit::Text(ALLOW_LIST),
    ),
    ("InstanceSettings", "smtp_host", Limit::Text("^[^/ :]*$")),
    (
        "OrganisationInput",
        "register_number",
        Limit::Text(concat!(
            "^",
            dropped!(),
            "((VR|HRA|HRB|GnR|PR) ?[0-9]{1,8}( ?[A-Z]{1,2})?)?",
            dropped!(),
            "$"
        )),
    ),
    (
        "InstanceSettings",
        "office_organisation_id",
        Limit::Text(concat!("^\\s*(", uuid!(), ")?\\s*$")),
    ),
    (
        "TermInput",
        "code",
        Limit::Text("^\\s*[a-z][a-z0-9_]{1,59}\\s*$"),
    ),
    (
        "InstanceSettings",
        "school_year_first_month",
        Limit::Text("^\\s*([1-9]|1[0-2])?\\s*$"),
    ),
    (
        "InstanceSettings",
        "map_tile_url",
        Limit::Text(
            "^\\s*$|^https://([a-z0-9-]{1,30}\\.){1,3}[a-z]{2,10}/\\{z\\}/\\{x\\}/\\{y\\}\\.png$",
        ),
    ),
    ("TermInput", "label_de", Limit::NonBlank),
    ("TermInput", "label_en", Limit::NonBlank),
    (
        "InstanceSettings",
        "smtp_from",
        Limit::Text("^[A-Za-z0-9._%+-]{1,32}@([A-Za-z0-9-]{1,30}\\.){1,3}[A-Za-z]{2,20}$"),
    ),
    (
        "OfferInput",
        "online_link",
        Limit::Text(concat!("^https://", host_and_path!())),
    ),
    (
        "InstanceSettings",
        "backup_keep",
        Limit::Text("^ *([1-9][0-9]?|[12][0-9]{2}|3[0-5][0-9]|36[0-5])? *$"),
    ),
    (
        "InstanceSettings",
        "backup_folder",
        Limit::Text(
            "^ *([A-Za-z0-9_-][A-Za-z0-9_.-]{0,40}(/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,40}){0,3})? *$",
        ),
    ),
];

#[derive(Clone, Copy)]
pub(crate) enum Limit {
    Range(i64, i64),
    Chars(u32, u32),
    Phone,
    Postcode,
    /// Not empty, not only spaces.
    NonBlank,
    /// Not blank once control characters are dropped too.
    Visible,
    /// Text matching a pattern.
    Text(&'static str),
}

fn role_codes() -> Vec<&'static str> {
    vec!["admin", "staff", "representative", "auditor"]
}
fn form_of_address() -> Vec<&'static str> {
    msohub_service::accounts::FORMS_OF_ADDRESS.to_vec()
}
fn metrics() -> Vec<&'static str> {
    msohub_service::targets::METRICS.to_vec()
}
fn target_statuses() -> Vec<&'static str> {
    msohub_service::targets::STATUSES.to_vec()
}
fn event_statuses() -> Vec<&'static str> {
    msohub_service::events::EVENT_STATUSES.to_vec()
}
fn chart_counts() -> Vec<&'static str> {
    msohub_service::projects::CHART_COUNTS.to_vec()
}
fn purposes() -> Vec<&'static str> {
    msohub_service::people::PURPOSES.to_vec()
}
fn minutes_statuses() -> Vec<&'static str> {
    vec!["draft", "approved"]
}
fn staff_names() -> Vec<&'static str> {
    vec!["anonymous", "named"]
}
fn idea_sources() -> Vec<&'static str> {
    vec!["staff", "working_group", "portal"]
}
fn smtp_security() -> Vec<&'static str> {
    vec!["none", "starttls", "tls"]
}
fn yes_no() -> Vec<&'static str> {
    vec!["yes", "no"]
}
fn period_kinds() -> Vec<&'static str> {
    vec!["school_year", "calendar_year", "custom"]
}
fn public_parts() -> Vec<&'static str> {
    msohub_service::organisations::PUBLIC_PARTS.to_vec()
}
fn proposal_statuses() -> Vec<&'static str> {
    vec!["pending", "accepted", "rejected", "published"]
}
fn vocabularies() -> Vec<&'static str> {
    msohub_service::taxonomies::VOCABULARIES.to_vec()
}
fn beyond_record_types() -> Vec<&'static str> {
    vec!["event", "membership"]
}

/// The request bodies and what their properties take.
pub(crate) const BODIES: &[Body] = &[
    Body {
        schema: "OrganisationInput",
        required: &["name", "kind"],
        takes: &[
            ("kind", Choice(organisation::OrganisationKind::codes)),
            ("legal_status", Choice(organisation::LegalStatus::codes)),
            ("founding_year", Integer),
            ("member_count", Integer),
            ("latitude", Number),
            ("longitude", Number),
            ("languages", Languages),
            ("topics", Terms("topic")),
            ("target_groups", Terms("target_group")),
            ("website", Url),
            ("email", Email),
            ("public_parts", Choices(public_parts)),
        ],
        also_read: false,
        nulls: true,
    },
    Body {
        schema: "PersonInput",
        required: &["given_name", "family_name"],
        takes: &[("email", Email), ("languages", Languages)],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "InteractionInput",
        required: &[
            "kind",
            "mode",
            "status",
            "subject",
            "starts_at",
            "organisations",
        ],
        takes: &[
            ("kind", Choice(work::InteractionKind::codes)),
            ("mode", Choice(work::Mode::codes)),
            ("status", Choice(work::InteractionStatus::codes)),
            ("cancel_reason", Choice(work::CancelReason::codes)),
            ("starts_at", Instant),
            ("duration_minutes", Integer),
            ("topics", Terms("topic")),
            ("organisations", Uuids),
            ("persons", Uuids),
            ("staff", Uuids),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "NeedInput",
        required: &[
            "organisation_id",
            "category",
            "description",
            "status",
            "source",
        ],
        takes: &[
            ("organisation_id", Uuid),
            ("category", Term("need_category")),
            ("source", Choice(work::NeedSource::codes)),
            ("source_interaction_id", Uuid),
            ("urgency", Choice(work::NeedUrgency::codes)),
            ("status", Choice(work::NeedStatus::codes)),
            ("raised_on", Date),
            ("resolved_on", Date),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "TaskInput",
        required: &["title", "due_on", "assignee_id"],
        takes: &[
            ("assignee_id", Uuid),
            ("due_on", Date),
            ("link_type", Choice(work::LinkType::codes)),
            ("link_id", Uuid),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "OfferInput",
        required: &["organisation_id", "title", "category"],
        takes: &[
            ("organisation_id", Uuid),
            ("category", Term("offer_category")),
            ("target_groups", Terms("target_group")),
            ("age_min", Integer),
            ("age_max", Integer),
            ("languages", OfferLanguages),
            ("translations", Translations),
            ("cost_kind", Choice(offers::CostKind::codes)),
            ("location_kind", Choice(offers::LocationKind::codes)),
            ("status", Choice(offers::OfferStatus::codes)),
            ("online_link", Link),
            ("starts_time", Time),
            ("ends_time", Time),
            ("valid_from", Date),
            ("valid_to", Date),
            ("contact_person_id", Uuid),
        ],
        also_read: false,
        nulls: true,
    },
    Body {
        schema: "EventInput",
        required: &["title", "starts_at", "mode", "organisers"],
        takes: &[
            ("category", Term("offer_category")),
            ("mode", Choice(work::Mode::codes)),
            ("status", Choice(event_statuses)),
            ("starts_at", Instant),
            ("ends_at", Instant),
            ("languages", OfferLanguages),
            ("translations", Translations),
            ("organisers", Uuids),
            ("online_link", Link),
            ("registration_link", Link),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "BodyInput",
        required: &["name", "kind"],
        takes: &[
            ("kind", Choice(bodies::BodyKind::codes)),
            ("founded_on", Date),
            ("dissolved_on", Date),
            ("organiser_id", Uuid),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "MemberInput",
        required: &["role"],
        takes: &[
            ("role", Choice(bodies::MemberRole::codes)),
            ("person_id", Uuid),
            ("user_id", Uuid),
            ("on_behalf_of", Uuid),
            ("from", Date),
            ("to", Date),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "MeetingInput",
        required: &["body_id", "title", "starts_at", "status", "mode"],
        takes: &[
            ("body_id", Uuid),
            ("status", Choice(bodies::MeetingStatus::codes)),
            ("mode", Choice(work::Mode::codes)),
            ("cancel_reason", Choice(work::CancelReason::codes)),
            ("minutes_status", Choice(minutes_statuses)),
            ("starts_at", Instant),
            ("ends_at", Instant),
            ("video_link", Link),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "TargetInput",
        required: &["period_id", "number", "title", "metric", "wanted"],
        takes: &[
            ("period_id", Uuid),
            ("project_id", Uuid),
            ("body_id", Uuid),
            ("metric", Choice(metrics)),
            ("number", Integer),
            ("wanted", Number),
            ("met_at", Number),
            ("partly_at", Number),
            ("manual_value", Number),
            ("override_status", Choice(target_statuses)),
            ("kinds", Choices(work::InteractionKind::codes)),
            ("statuses", Choices(work::InteractionStatus::codes)),
            (
                "organisation_kinds",
                Choices(organisation::OrganisationKind::codes),
            ),
            ("categories", Terms("need_category")),
            ("sources", Choices(work::NeedSource::codes)),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "PeriodInput",
        required: &["kind"],
        takes: &[("kind", Choice(period_kinds))],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "PeriodChange",
        required: &["version"],
        takes: &[("starts_on", Date), ("ends_on", Date)],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "ProjectInput",
        required: &["name"],
        takes: &[
            ("chart_counts", Choices(chart_counts)),
            ("position", Integer),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "IdeaInput",
        required: &["title", "description"],
        takes: &[
            ("status", Choice(work::IdeaStatus::codes)),
            ("source", Choice(idea_sources)),
            ("organisation_id", Uuid),
            ("organisations", Uuids),
            ("bodies", Uuids),
            ("meetings", Uuids),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "SurveyInput",
        required: &["title"],
        takes: &[
            ("title", Texts(200)),
            ("intro", Texts(5_000)),
            ("opens_on", Date),
            ("closes_on", Date),
            ("reminder_limit", Integer),
        ],
        also_read: false,
        nulls: true,
    },
    Body {
        schema: "Question",
        required: &["kind", "text"],
        takes: &[("text", Texts(500)), ("help", Texts(1_000))],
        also_read: true,
        nulls: false,
    },
    Body {
        schema: "Choice",
        required: &["label"],
        takes: &[("label", Texts(200))],
        also_read: true,
        nulls: false,
    },
    Body {
        schema: "Selection",
        required: &["version"],
        takes: &[
            ("kinds", Choices(organisation::OrganisationKind::codes)),
            ("topics", Terms("topic")),
            ("languages", Languages),
            ("bodies", Uuids),
            ("organisations", Uuids),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "MailingInput",
        required: &["subject", "text"],
        takes: &[("subject", Texts(200)), ("text", Texts(50_000))],
        also_read: false,
        nulls: true,
    },
    Body {
        schema: "MailingSelection",
        required: &[],
        takes: &[
            ("kinds", Choices(organisation::OrganisationKind::codes)),
            ("bodies", Uuids),
            ("languages", Languages),
            ("persons", Uuids),
        ],
        also_read: true,
        nulls: false,
    },
    Body {
        schema: "TestBody",
        required: &[],
        takes: &[("language", Choice(mailing_languages))],
        also_read: false,
        nulls: true,
    },
    Body {
        schema: "SurveyAnswerInput",
        required: &["answers", "version"],
        takes: &[],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "NeedFromAnswerInput",
        required: &["question", "category"],
        takes: &[
            ("category", Term("need_category")),
            ("urgency", Choice(work::NeedUrgency::codes)),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "BeyondInput",
        required: &[],
        takes: &[
            ("record_type", Choice(beyond_record_types)),
            ("record_id", Uuid),
            ("project_id", Uuid),
            ("user_id", Uuid),
            ("date", Date),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "NeedsChoice",
        required: &[],
        takes: &[("surveys", Uuids)],
        also_read: true,
        nulls: false,
    },
    Body {
        schema: "ReportTexts",
        required: &["version"],
        takes: &[("staff_names", Choice(staff_names)), ("dated", Month)],
        also_read: true,
        nulls: false,
    },
    Body {
        schema: "InstanceSettings",
        required: &["office_name"],
        takes: &[
            ("smtp_security", Choice(smtp_security)),
            ("smtp_from", Email),
            ("geocoder_url", Link),
            ("office_organisation_id", Uuid),
            ("backup_time", Time),
        ],
        also_read: true,
        nulls: false,
    },
    Body {
        schema: "CreateUser",
        required: &["email", "display_name", "role"],
        takes: &[
            ("email", Email),
            ("role", Choice(role_codes)),
            ("form_of_address", Choice(form_of_address)),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "PatchUser",
        required: &["version"],
        takes: &[
            ("role", Choice(role_codes)),
            ("form_of_address", Choice(form_of_address)),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "AffiliationBody",
        required: &["organisation_id", "role"],
        takes: &[("from", Date), ("to", Date)],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "ConsentBody",
        required: &["purpose", "given_on", "source"],
        takes: &[
            ("purpose", Choice(purposes)),
            ("given_on", Date),
            ("expires_on", Date),
        ],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "TermInput",
        required: &["code", "label_de", "label_en"],
        takes: &[],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "AnswerInput",
        required: &["answer"],
        takes: &[("answer", Choice(yes_no))],
        also_read: false,
        nulls: false,
    },
    Body {
        schema: "OparlBody",
        required: &[],
        takes: &[("system_url", Link)],
        also_read: false,
        nulls: false,
    },
];

/// A text with a visible character: not only spaces and control characters
/// (which the service drops, then finds the text empty).
const NON_BLANK: &str = "[^\\s\\x00-\\x1f\\x7f-\\x9f]";

/// Query parameters of closed vocabularies: (operation id, parameter,
/// what it takes). A parameter that may be repeated (`kind=a&kind=b`)
/// takes an array in the handler's typed query; its items get the codes.
pub(crate) const PARAMS: &[(&str, &str, Takes)] = &[
    (
        "listOrganisations",
        "kind",
        Choices(organisation::OrganisationKind::codes),
    ),
    ("listOrganisations", "language", Choices(languages)),
    ("listOrganisations", "sort", Choice(organisation_sorts)),
    (
        "listInteractions",
        "status",
        Choices(work::InteractionStatus::codes),
    ),
    (
        "listInteractions",
        "kind",
        Choices(work::InteractionKind::codes),
    ),
    ("listInteractions", "order", Choice(orders)),
    ("listNeeds", "status", Choices(work::NeedStatus::codes)),
    ("listNeeds", "source", Choices(work::NeedSource::codes)),
    ("listTasks", "view", Choice(task_views)),
    ("listTasks", "link_type", Choice(task_links)),
    (
        "listMeetings",
        "status",
        Choices(bodies::MeetingStatus::codes),
    ),
    ("listMeetings", "order", Choice(orders)),
    ("listEvents", "status", Choice(event_statuses)),
    ("listEvents", "order", Choice(orders)),
    ("listOffers", "status", Choices(offers::OfferStatus::codes)),
    (
        "listOffers",
        "organisation_kind",
        Choices(organisation::OrganisationKind::codes),
    ),
    ("listBeyondItems", "lang", Choice(langs)),
    ("subjectAccess", "format", Choice(access_formats)),
    ("getReport", "format", Choice(report_formats)),
    ("getReport", "lang", Choice(langs)),
    ("getReportVersion", "format", Choice(report_formats)),
    ("getReportVersion", "lang", Choice(langs)),
    ("getReportDiff", "lang", Choice(langs)),
    ("exportRecords", "entity", Choice(export_entities)),
    ("exportRecords", "format", Choice(export_formats)),
    (
        "exportSurveyAnswers",
        "format",
        Choice(survey_export_formats),
    ),
    ("exportRecords", "style", Choice(export_styles)),
    ("exportRecords", "lang", Choice(langs)),
    ("exportRecords", "separator", Choice(separators)),
    ("importFile", "entity", Choice(import_entities)),
    ("importFile", "on_match", Choice(on_match)),
    ("importFields", "entity", Choice(import_entities)),
    ("importProfiles", "entity", Choice(import_entities)),
    ("putImportProfile", "entity", Choice(import_entities)),
    ("deleteImportProfile", "entity", Choice(import_entities)),
    ("listProposals", "status", Choices(proposal_statuses)),
    ("listTerms", "vocabulary", Choice(vocabularies)),
    ("addTerm", "vocabulary", Choice(vocabularies)),
    ("changeTerm", "vocabulary", Choice(vocabularies)),
    ("listOrganisations", "topic", Terms("topic")),
    ("listNeeds", "category", Terms("need_category")),
    ("listEvents", "category", Term("offer_category")),
    ("listOffers", "category", Terms("offer_category")),
];

fn languages() -> Vec<&'static str> {
    organisation::language_codes().collect()
}
fn organisation_sorts() -> Vec<&'static str> {
    vec!["name", "name_desc", "updated", "assured"]
}
fn orders() -> Vec<&'static str> {
    vec!["desc", "asc"]
}
fn task_views() -> Vec<&'static str> {
    vec!["mine", "overdue", "open", "done"]
}
fn task_links() -> Vec<&'static str> {
    vec!["organisation", "interaction", "need", "person", "meeting"]
}
fn langs() -> Vec<&'static str> {
    vec!["de", "en"]
}
fn access_formats() -> Vec<&'static str> {
    vec!["json", "pdf"]
}
fn report_formats() -> Vec<&'static str> {
    msohub_docs::report::FORMATS.to_vec()
}
fn export_entities() -> Vec<&'static str> {
    msohub_service::export::ExportEntity::ALL
        .map(|e| e.as_str())
        .to_vec()
}
fn mailing_languages() -> Vec<&'static str> {
    msohub_service::surveys::LANGUAGES.to_vec()
}
fn survey_export_formats() -> Vec<&'static str> {
    vec!["xlsx", "csv"]
}
fn export_formats() -> Vec<&'static str> {
    vec!["csv", "csv-standard", "xlsx", "json"]
}
fn export_styles() -> Vec<&'static str> {
    vec!["machine", "people"]
}
fn separators() -> Vec<&'static str> {
    vec!["semicolon", "comma", "tab"]
}
fn import_entities() -> Vec<&'static str> {
    msohub_service::import::ImportEntity::ALL
        .map(|e| e.as_str())
        .to_vec()
}
fn on_match() -> Vec<&'static str> {
    vec!["update", "skip", "create"]
}

/// Filter values of one of the office's vocabularies: each must be a term
/// of it (retired ones too: old records carry them), else 422
/// `filter-invalid` naming the parameter, rather than an empty page.
pub(crate) async fn known_terms(
    state: &crate::AppState,
    actor: &msohub_service::Actor,
    param: &str,
    vocabulary: &str,
    values: &[String],
) -> Result<(), crate::api_error::ApiError> {
    let values: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() {
        return Ok(());
    }
    let terms = state.services.vocabulary(actor, vocabulary).await?;
    if values.iter().all(|v| terms.iter().any(|t| t.code == *v)) {
        Ok(())
    } else {
        Err(msohub_service::Error::field(param, "filter-invalid").into())
    }
}

/// The query string of operation `op` as `T` (see [`crate::query::parse`]):
/// a value of the wrong type answers 422 `parameter-invalid`, a code
/// outside its parameter's closed list in [`PARAMS`] 422 `filter-invalid`;
/// both name the parameter. Empty values are left to `T` (a filter skips
/// them).
pub(crate) fn query<T: serde::de::DeserializeOwned>(
    op: &str,
    raw: Option<&str>,
) -> Result<T, crate::api_error::ApiError> {
    let raw = raw.unwrap_or_default();
    for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let closed = PARAMS.iter().find_map(|(o, n, takes)| match takes {
            Choice(codes) | Choices(codes) if *o == op && *n == name => Some(codes),
            _ => None,
        });
        if closed.is_some_and(|codes| !codes().contains(&value)) {
            return Err(msohub_service::Error::field(&name, "filter-invalid").into());
        }
    }
    crate::query::parse(raw)
        .map_err(|field| msohub_service::Error::field(&field, "parameter-invalid").into())
}

/// A number from 1 to `MAX` (a page size, a page): with
/// `#[serde(deserialize_with = "contract::one_to::<MAX, _>")]` anything
/// else is refused (422 naming the parameter), not clamped.
pub(crate) fn one_to<'de, const MAX: u32, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<u32>, D::Error> {
    use serde::Deserialize;
    let n = Option::<u32>::deserialize(d)?;
    match n {
        Some(n) if !(1..=MAX).contains(&n) => Err(serde::de::Error::custom(format!(
            "a number from 1 to {MAX}"
        ))),
        _ => Ok(n),
    }
}

/// The values of a repeatable filter that say something (`kind=` alone
/// filters nothing, as in the forms).
pub(crate) fn filled(values: Vec<String>) -> Vec<String> {
    values
        .into_iter()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

/// A list's page size (`limit`): [`one_to`] 500, the largest page.
pub(crate) fn limit<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    one_to::<500, D>(d)
}

/// A pattern for text holding items of `one`, comma-separated (at least
/// one item when `needed`).
fn items_pattern(one: &str, needed: bool) -> String {
    let list = format!("({one})( *, *({one}))*");
    if needed {
        format!("^ *{list} *$")
    } else {
        format!("^ *({list})? *$")
    }
}

fn alternatives(codes: &[&str]) -> String {
    codes
        .iter()
        .map(|c| regex_escape(c))
        .collect::<Vec<_>>()
        .join("|")
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$-/".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

/// Host names and IPv4 addresses or networks, separated by commas, spaces
/// or lines (what outbound::AllowList reads).
const ALLOW_LIST: &str = concat!(
    "^[\\s,]*(",
    allow_entry!(),
    "([\\s,]+",
    allow_entry!(),
    ")*)?[\\s,]*$"
);

/// Nothing but spaces, which the rules trim: empty.
const BLANK: &str = "^\\s*$";

/// A day of the calendar from 1800 to 2199, the years the rules take (the
/// 29th of February left out: it is one only in leap years).
const DAY: &str = "(1[89]|2[01])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))";
const HOUR: &str = "([01][0-9]|2[0-3]):[0-5][0-9]";
const UUID_PATTERN: &str = uuid!();
const URL_PATTERN: &str = concat!("^(https?://)?", host_and_path!());
const LINK_PATTERN: &str = concat!("^https?://", host_and_path!());
const EMAIL_PATTERN: &str = "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,32}(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,16}){0,3}@[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?){0,3}\\.[A-Za-z]{2,20}$";

/// The JSON Schema of what a property takes.
fn schema_of(takes: Takes, optional: bool) -> Value {
    let list_or_text = |item: Value, pattern: Value| {
        let min = if optional { 0 } else { 1 };
        let mut text = json!({"type": "string", "description": "The items, comma-separated"});
        match (&pattern, item.get("x-vocabulary")) {
            // The office's codes: the served document writes the pattern.
            (Value::Null, Some(vocabulary)) => {
                text["x-vocabulary-list"] = vocabulary.clone();
                text["x-needed"] = json!(!optional);
            }
            _ => text["pattern"] = pattern,
        }
        json!({"oneOf": [{"type": "array", "items": item, "minItems": min}, text]})
    };
    let needed = !optional;
    let mut s = match takes {
        Choice(codes) => {
            let mut values: Vec<Value> = codes().into_iter().map(Value::from).collect();
            if optional && !values.contains(&json!("")) {
                values.push(json!(""));
            }
            json!({"type": "string", "enum": values})
        }
        Choices(codes) => list_or_text(
            json!({"type": "string", "enum": codes()}),
            json!(items_pattern(&alternatives(&codes()), needed)),
        ),
        Term(vocabulary) => json!({"type": "string", "x-vocabulary": vocabulary}),
        Terms(vocabulary) => list_or_text(
            json!({"type": "string", "x-vocabulary": vocabulary}),
            json!(null),
        ),
        Date => json!({"type": "string", "format": "date", "pattern": format!("^{DAY}$")}),
        Month => json!({"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}),
        Instant => json!({"type": "string", "pattern": format!(
            "^{DAY}T{HOUR}(:[0-5][0-9])?$|^{DAY}T{HOUR}:[0-5][0-9](\\.[0-9]{{1,6}})?(Z|[+-]{HOUR})$"
        )}),
        Time => json!({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}),
        Email => {
            json!({"type": "string", "pattern": EMAIL_PATTERN, "maxLength": 254})
        }
        Url => json!({"type": "string", "pattern": URL_PATTERN}),
        Link => {
            json!({"type": "string", "pattern": LINK_PATTERN})
        }
        Uuid => json!({"type": "string", "format": "uuid", "pattern": format!("^{UUID_PATTERN}$")}),
        Uuids => list_or_text(
            if needed {
                json!({"type": "string", "format": "uuid", "pattern": format!("^{UUID_PATTERN}$")})
            } else {
                json!({"type": "string", "description": "An id (empty ones are skipped)", "pattern": format!("^({UUID_PATTERN}|\\s*)$")})
            },
            json!(items_pattern(UUID_PATTERN, needed)),
        ),
        Integer => json!({"type": "integer"}),
        Number => json!({"type": "number"}),
        Texts(max) => {
            let text = json!({"type": "string", "maxLength": max});
            let properties: serde_json::Map<String, Value> = msohub_service::surveys::LANGUAGES
                .iter()
                .map(|l| ((*l).to_owned(), text.clone()))
                .collect();
            let mut s =
                json!({"type": "object", "properties": properties, "additionalProperties": false});
            if !optional {
                s["required"] = json!(["de"]);
                s["properties"]["de"] = json!({"type": "string", "maxLength": max, "minLength": 1, "pattern": NON_BLANK});
            }
            s
        }
        Translations => json!({
            "type": "object",
            "propertyNames": {"enum": msohub_domain::offers::TRANSLATION_LANGUAGES},
        }),
        OfferLanguages => {
            let codes: Vec<&str> = msohub_domain::offers::OFFER_LANGUAGES
                .iter()
                .map(|l| l.0)
                .collect();
            list_or_text(
                json!({"type": "string", "enum": codes}),
                json!(items_pattern(&alternatives(&codes), needed)),
            )
        }
        Languages => {
            let codes: Vec<&str> = msohub_domain::organisation::language_codes().collect();
            // The rules drop control characters from this text.
            let pattern = items_pattern(&alternatives(&codes), needed)
                .replacen("^ *", concat!("^", dropped!()), 1)
                .replace(" *$", concat!(dropped!(), "$"));
            list_or_text(json!({"type": "string", "enum": codes}), json!(pattern))
        }
    };
    if optional
        && matches!(
            takes,
            Date | Instant | Email | Url | Link | Uuid | Month | Time
        )
    {
        // Empty text leaves the field empty.
        let one = s.take();
        s = json!({"anyOf": [one, {"type": "string", "pattern": BLANK}]});
    }
    s
}

fn optional_id() -> Value {
    json!({"type": "string", "pattern": format!("^({UUID_PATTERN})?$")})
}

/// Parameters whose empty value means the default (`lang=` is German).
const EMPTY_IS_DEFAULT: &[(&str, &str)] =
    &[("listBeyondItems", "lang"), ("subjectAccess", "format")];

/// Query parameters whose schema the handler's annotation cannot say:
/// (operation id, parameter, schema).
/// A schema, built when the document is.
type SchemaFn = fn() -> Value;

const PARAM_SCHEMAS: &[(&str, &str, SchemaFn)] = &[
    // A profile's name: something visible once spaces and control
    // characters are dropped (as the service reads it).
    (
        "putImportProfile",
        "name",
        || json!({"type": "string", "minLength": 1, "maxLength": 100, "pattern": NON_BLANK}),
    ),
    (
        "retention",
        "days",
        || json!({"anyOf": [{"type": "integer", "minimum": 1, "maximum": 365}, {"type": "string", "maxLength": 0}]}),
    ),
    (
        "retention",
        "months",
        || json!({"anyOf": [{"type": "integer", "minimum": 1, "maximum": 120}, {"type": "string", "maxLength": 0}]}),
    ),
    (
        "remindConsents",
        "days",
        || json!({"anyOf": [{"type": "integer", "minimum": 1, "maximum": 365}, {"type": "string", "maxLength": 0}]}),
    ),
    ("getReport", "project", optional_id),
    ("getReportVersion", "project", optional_id),
    (
        "getReportDiff",
        "to",
        || json!({"type": "string", "pattern": "^(current|[0-9]{1,9})?$"}),
    ),
    (
        "getReportDiff",
        "from",
        || json!({"type": "integer", "minimum": 0, "maximum": 2147483647}),
    ),
];

/// The other files an operation answers with, by `format` (the JSON one
/// is described by its derived schema).
const FILES: &[(&str, &[&str])] = &[
    ("getReport", REPORT_FILES),
    ("getReportVersion", REPORT_FILES),
    ("subjectAccess", &["application/pdf"]),
    (
        "exportRecords",
        &[
            "text/csv",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/json",
        ],
    ),
];

const REPORT_FILES: &[&str] = &[
    "text/html",
    "text/markdown",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
];

/// Adds the files of [`FILES`] to the operations' answers.
fn apply_files(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for op in paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|i| i.values_mut())
    {
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let Some((_, types)) = FILES.iter().find(|(o, _)| *o == id) else {
            continue;
        };
        let Some(content) = op
            .pointer_mut("/responses/200/content")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        for t in *types {
            let schema = if t.ends_with("json") {
                json!({"type": "array", "description": "The records as the list endpoints give them"})
            } else if t.starts_with("text/") {
                json!({"type": "string"})
            } else {
                json!({"type": "string", "contentMediaType": t})
            };
            content
                .entry((*t).to_owned())
                .or_insert_with(|| json!({"schema": schema}));
        }
    }
}

/// Gives the listed query parameters their vocabularies.
fn apply_params(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for op in paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|i| i.values_mut())
    {
        let Some(id) = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            continue;
        };
        let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
            continue;
        };
        for param in params {
            let Some(name) = param.get("name").and_then(Value::as_str) else {
                continue;
            };
            // A yes/no filter reads true/1/on and false/0, and an empty
            // value (a form's "any") as no (`query::Query`).
            if param.get("in") == Some(&json!("query"))
                && param.pointer("/schema/type") == Some(&json!("boolean"))
            {
                param["schema"] = json!({"anyOf": [
                    {"type": "boolean"},
                    {"type": "string", "pattern": "^[ \\t\\n\\r\\x0b\\x0c]*(true|false|1|0|on)?[ \\t\\n\\r\\x0b\\x0c]*$"},
                ]});
                continue;
            }
            if let Some((_, _, schema)) = PARAM_SCHEMAS
                .iter()
                .find(|(o, n, _)| *o == id && *n == name)
            {
                param["schema"] = schema();
                continue;
            }
            let Some((_, _, takes)) = PARAMS.iter().find(|(o, n, _)| *o == id && *n == name) else {
                continue;
            };
            let optional = param.get("required") != Some(&json!(true));
            let one = match *takes {
                Choice(codes) if optional && EMPTY_IS_DEFAULT.contains(&(id.as_str(), name)) => {
                    let mut values: Vec<Value> = codes().into_iter().map(Value::from).collect();
                    values.push(json!(""));
                    json!({"type": "string", "enum": values})
                }
                // A blank value filters nothing.
                Choice(codes) | Choices(codes) if optional && id.starts_with("list") => {
                    json!({"anyOf": [
                        {"type": "string", "enum": codes()},
                        {"type": "string", "pattern": BLANK},
                    ]})
                }
                Choice(codes) | Choices(codes) => json!({"type": "string", "enum": codes()}),
                // A blank value filters nothing here too.
                Term(v) | Terms(v) if optional && id.starts_with("list") => {
                    json!({"anyOf": [
                        {"type": "string", "x-vocabulary": v},
                        {"type": "string", "pattern": BLANK},
                    ]})
                }
                Term(v) | Terms(v) => json!({"type": "string", "x-vocabulary": v}),
                other => schema_of(other, false),
            };
            let Some(schema) = param.get_mut("schema") else {
                continue;
            };
            if schema.get("type").is_some_and(|t| {
                t == "array" || t.as_array().is_some_and(|a| a.contains(&json!("array")))
            }) {
                schema["items"] = one;
            } else if let Choices(codes) = *takes {
                // One parameter holding several codes, comma-separated.
                *schema = json!({
                    "type": "string",
                    "pattern": items_pattern(&alternatives(&codes()), false),
                });
            } else {
                *schema = one;
            }
        }
    }
}

/// Applies the table to the document: every listed property gets what it
/// takes (its description kept), every body its `required` (required text
/// must hold more than spaces), and a PATCH body its `…Change` copy.
pub(crate) fn apply(doc: &mut Value) {
    apply_params(doc);
    apply_files(doc);
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for body in BODIES {
        let Some(schema) = schemas.get_mut(body.schema) else {
            continue;
        };
        let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for (name, prop) in props.iter_mut() {
            let optional = !body.required.contains(&name.as_str());
            let takes = body.takes.iter().find(|(n, _)| n == name).map(|(_, t)| *t);
            let description = prop.get("description").cloned();
            // An `Option` field (null: absent) takes no empty text.
            let empty_ok = optional
                && !type_includes_null(prop)
                && !NO_EMPTY.contains(&(body.schema, name.as_str()));
            let mut new = match takes {
                Some(Integer | Number) if body.also_read => continue,
                Some(Translations) => {
                    let mut t = prop.clone();
                    t["propertyNames"] =
                        json!({"enum": msohub_domain::offers::TRANSLATION_LANGUAGES});
                    t
                }
                Some(t) => schema_of(t, empty_ok),
                None if !optional && prop.get("type") == Some(&json!("string")) => {
                    let mut p = prop.clone();
                    if p.get("format").is_none() && p.get("enum").is_none() {
                        p["minLength"] = json!(1);
                        p["pattern"] = json!("\\S");
                    }
                    p
                }
                None if optional && body.nulls && prop.get("type") == Some(&json!("string")) => {
                    prop.clone()
                }
                None => continue,
            };
            let takes_null = match takes {
                Some(Translations) => false,
                Some(Choices(_) | Terms(_) | Uuids | Languages | OfferLanguages) => true,
                Some(Integer | Number) => true,
                _ => body.nulls,
            };
            if optional && (type_includes_null(prop) || takes_null) {
                new = or_null(new);
            }
            if let (Some(d), Some(o)) = (description, new.as_object_mut()) {
                o.insert("description".into(), d);
            }
            *prop = new;
        }
        if !body.required.is_empty() {
            schema["required"] = json!(body.required);
        }
        if let (Some(extra), Some(o)) = (conditions(body.schema), schema.as_object_mut()) {
            for (k, v) in extra.as_object().into_iter().flatten() {
                o.insert(k.clone(), v.clone());
            }
            if let Some(year) = o.get_mut("properties").and_then(|p| p.get_mut("year")) {
                *year = json!({
                    "type": ["integer", "string", "null"],
                    "description": "For school and calendar years: the year it starts in"
                });
            }
        }
        for (name, fields) in READ_ONLY {
            if *name == body.schema {
                for f in *fields {
                    if let Some(p) = schema.pointer_mut(&format!("/properties/{f}")) {
                        p["readOnly"] = json!(true);
                    }
                }
            }
        }
        if CLOSED.contains(&body.schema) {
            schema["additionalProperties"] = json!(false);
        }
    }
    for (name, property, limit) in LIMITS {
        let Some(prop) = schemas
            .get_mut(*name)
            .and_then(|s| s.pointer_mut(&format!("/properties/{property}")))
        else {
            continue;
        };
        let target = first_typed(prop);
        match limit {
            Limit::Range(min, max) => {
                target["minimum"] = json!(min);
                target["maximum"] = json!(max);
            }
            Limit::Chars(min, max) => {
                target["minLength"] = json!(min);
                target["maxLength"] = json!(max);
            }
            Limit::Phone => {
                target["pattern"] = json!(concat!(
                    "^(",
                    dropped!(),
                    "|[\\s+/()-]*([0-9][\\s+/()-]*){5,20})$"
                ));
            }
            Limit::Postcode => target["pattern"] = json!("^\\s*([0-9]{5})?\\s*$"),
            Limit::NonBlank => {
                target["minLength"] = json!(1);
                target["pattern"] = json!("\\S");
            }
            Limit::Visible => {
                target["minLength"] = json!(1);
                target["pattern"] = json!(NON_BLANK);
            }
            Limit::Text(pattern) => target["pattern"] = json!(pattern),
        }
    }
    for (name, alternatives) in ONE_OF_REQUIRED {
        if let Some(schema) = schemas.get_mut(*name) {
            let options: Vec<Value> = alternatives
                .iter()
                .map(|fields| {
                    let props: serde_json::Map<String, Value> = fields
                        .iter()
                        .map(|f| {
                            let p = json!({"type": "string", "minLength": 1, "pattern": "\\S"});
                            ((*f).to_owned(), p)
                        })
                        .collect();
                    json!({"required": fields, "properties": props})
                })
                .collect();
            schema["anyOf"] = json!(options);
        }
    }
    // Required text of any body holds more than spaces.
    let bodies = request_schemas(doc);
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for name in &bodies {
        let Some(schema) = schemas.get_mut(name) else {
            continue;
        };
        uuid_patterns(schema);
        let required: Vec<String> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        for field in required {
            if let Some(prop) = schema.pointer_mut(&format!("/properties/{field}"))
                && prop.get("type") == Some(&json!("string"))
                && prop.get("enum").is_none()
                && prop.get("format").is_none()
                && prop.get("pattern").is_none()
                && prop.get("minLength").is_none()
            {
                prop["minLength"] = json!(1);
                prop["pattern"] = json!("\\S");
            }
        }
    }
    // The PATCH bodies: the same fields, none needed but `version`.
    let patched: Vec<String> = doc["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(|item| item.pointer(PATCH_BODY))
        .filter_map(Value::as_str)
        .map(|r| r.rsplit('/').next().unwrap_or(r).to_owned())
        .collect();
    let mut changes = Vec::new();
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        for name in &patched {
            let Some(mut change) = schemas.get(name).cloned() else {
                continue;
            };
            let needs = change
                .get("required")
                .is_some_and(|r| r != &json!(["version"]))
                || change.get("anyOf").is_some();
            if !needs || changes.contains(name) {
                continue;
            }
            if let Some(o) = change.as_object_mut() {
                o.remove("required");
                o.remove("anyOf");
                // A change names only fields of the record (others: 422
                // `field-unknown`).
                o.insert("additionalProperties".into(), json!(false));
                if let Some(d) = o.get("description").and_then(Value::as_str) {
                    let d = format!("{d} Only the fields to change, plus `version`.");
                    o.insert("description".into(), json!(d));
                }
            }
            if let Some((_, needed)) = CHANGE_REQUIRED.iter().find(|(n, _)| n == name) {
                change["required"] = json!(needed);
            } else if change.pointer("/properties/version").is_some() {
                change["required"] = json!(["version"]);
            }
            schemas.insert(format!("{name}Change"), change);
            changes.push(name.clone());
        }
    }
    if let Some(paths) = doc["paths"].as_object_mut() {
        for item in paths.values_mut() {
            if let Some(r) = item.pointer_mut(PATCH_BODY)
                && let Some(name) = r.as_str().map(str::to_owned)
                && changes.iter().any(|c| name.ends_with(&format!("/{c}")))
            {
                *r = json!(format!("{name}Change"));
            }
        }
    }
}

/// What a body needs depending on its own fields, beyond the table.
fn conditions(schema: &str) -> Option<Value> {
    let day = json!({"type": "string", "format": "date", "pattern": format!("^{DAY}$")});
    match schema {
        // A custom period has a name and its dates; a school or calendar
        // year is named by its first year (the dates then are not read).
        "PeriodInput" => Some(json!({
            "anyOf": [
                {
                    "required": ["kind", "name", "starts_on", "ends_on"],
                    "properties": {
                        "kind": {"const": "custom"},
                        "name": {"type": "string", "minLength": 1, "pattern": NON_BLANK},
                        "starts_on": day,
                        "ends_on": day,
                    }
                },
                {
                    "required": ["kind", "year"],
                    "properties": {
                        "kind": {"enum": ["school_year", "calendar_year"]},
                        "year": {"type": "integer", "minimum": 1990, "maximum": 2100},
                    }
                }
            ]
        })),
        _ => None,
    }
}

/// What a change needs beyond `version` (a term's labels are replaced).
const CHANGE_REQUIRED: &[(&str, &[&str])] = &[("TermInput", &["label_de", "label_en", "version"])];

/// Optional fields that, when given, may not be emptied (a period keeps
/// its dates).
const NO_EMPTY: &[(&str, &str)] = &[("PeriodChange", "starts_on"), ("PeriodChange", "ends_on")];

/// Properties a GET gives and a write ignores.
const READ_ONLY: &[(&str, &[&str])] =
    &[("InstanceSettings", &["backup_status", "smtp_password_set"])];

/// Bodies that refuse fields they do not have (422 `field-unknown`).
const CLOSED: &[&str] = &["PeriodChange", "ReportTexts"];

/// An id is read as a UUID: `format: uuid` alone is a note some
/// generators skip, the pattern is not.
fn uuid_patterns(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if o.get("format") == Some(&json!("uuid")) && !o.contains_key("pattern") {
                o.insert("pattern".into(), json!(format!("^{UUID_PATTERN}$")));
            }
            o.values_mut().for_each(uuid_patterns);
        }
        Value::Array(a) => a.iter_mut().for_each(uuid_patterns),
        _ => {}
    }
}

/// Bodies that need one of several groups of fields.
const ONE_OF_REQUIRED: &[(&str, &[&[&str]])] = &[
    ("BeyondInput", &[&["text"], &["record_type", "record_id"]]),
    ("MemberInput", &[&["person_id"], &["user_id"]]),
];

/// The named schemas any operation takes as its body.
fn request_schemas(doc: &Value) -> Vec<String> {
    let mut names = Vec::new();
    for item in doc["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for op in item.as_object().into_iter().flat_map(|o| o.values()) {
            for media in op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|c| c.values())
            {
                if let Some(r) = media.pointer("/schema/$ref").and_then(Value::as_str) {
                    let name = r.rsplit('/').next().unwrap_or(r).to_owned();
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
        }
    }
    names
}

/// The schema that carries a property's type (the first alternative of an
/// `anyOf` with `null`).
fn first_typed(prop: &mut Value) -> &mut Value {
    if prop.get("anyOf").is_some() {
        let inner = prop.pointer("/anyOf/0/anyOf").is_some();
        if inner {
            return &mut prop["anyOf"][0]["anyOf"][0];
        }
        return &mut prop["anyOf"][0];
    }
    prop
}

const PATCH_BODY: &str = "/patch/requestBody/content/application~1json/schema/$ref";

fn or_null(s: Value) -> Value {
    json!({"anyOf": [s, {"type": "null"}]})
}

fn type_includes_null(prop: &Value) -> bool {
    match prop.get("type") {
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        _ => false,
    }
}

/// The document as this instance serves it: each vocabulary's codes (of
/// terms not retired) as the `enum` of the properties that take them.
pub(crate) fn with_terms(doc: &mut Value, codes: &dyn Fn(&str) -> Option<Vec<String>>) {
    match doc {
        Value::Object(o) => {
            if let Some(list) = o
                .get("x-vocabulary")
                .and_then(Value::as_str)
                .and_then(codes)
            {
                o.insert("enum".into(), json!(list));
            }
            if let Some(list) = o
                .get("x-vocabulary-list")
                .and_then(Value::as_str)
                .and_then(codes)
            {
                let needed = o.get("x-needed").and_then(Value::as_bool).unwrap_or(false);
                let codes: Vec<&str> = list.iter().map(String::as_str).collect();
                o.insert(
                    "pattern".into(),
                    json!(items_pattern(&alternatives(&codes), needed)),
                );
            }
            for v in o.values_mut() {
                with_terms(v, codes);
            }
        }
        Value::Array(a) => {
            for v in a {
                with_terms(v, codes);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod params_tests {
    use serde_json::Value;

    /// Every entry of [`super::PARAMS`] names a parameter of its operation
    /// in the document, which then lists the codes (or the vocabulary): a
    /// renamed operation or parameter fails here, not silently.
    #[test]
    fn every_param_entry_names_a_parameter_of_the_document() {
        let doc: Value = serde_json::from_str(&crate::api::OPENAPI).unwrap();
        let operations: Vec<&Value> = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .collect();
        for (op, name, _) in super::PARAMS {
            let op_params: Vec<Value> = operations
                .iter()
                .filter(|o| o["operationId"] == *op)
                .flat_map(|o| o["parameters"].as_array().cloned().unwrap_or_default())
                .collect();
            let param = op_params
                .iter()
                .find(|p| p["name"] == *name)
                .unwrap_or_else(|| panic!("{op} has no parameter {name}"));
            let schema = &param["schema"];
            let one = if schema.get("items").is_some() {
                &schema["items"]
            } else {
                schema
            };
            let text = one.to_string();
            assert!(
                text.contains("\"enum\"")
                    || text.contains("\"x-vocabulary\"")
                    // several codes in one parameter: a pattern of them
                    || text.contains("\"pattern\""),
                "{op} {name}: {param}"
            );
        }
    }

    #[test]
    fn closed_lists_refuse_unknown_codes_and_ranges_hold() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(default)]
        #[derive(Default)]
        struct P {
            kind: Vec<String>,
            #[serde(deserialize_with = "super::limit")]
            limit: Option<u32>,
        }
        let p: P =
            super::query("listOrganisations", Some("kind=mso&kind=welfare&limit=500")).unwrap();
        assert_eq!((p.kind.len(), p.limit), (2, Some(500)));
        let p: P = super::query("listOrganisations", Some("kind=&limit=1")).unwrap();
        assert_eq!(p.limit, Some(1));
        for bad in [
            "kind=club",
            "kind=mso&kind=club",
            "limit=0",
            "limit=501",
            "limit=x",
        ] {
            assert!(
                super::query::<P>("listOrganisations", Some(bad)).is_err(),
                "{bad}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        serde_json::from_str(&crate::api::OPENAPI).expect("the document is JSON")
    }

    #[test]
    fn every_entry_names_a_schema_and_its_properties() {
        let raw = serde_json::to_value(<crate::api::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
        let schemas = &raw["components"]["schemas"];
        for body in BODIES {
            let props = &schemas[body.schema]["properties"];
            assert!(
                props.is_object(),
                "{} is no schema of the document",
                body.schema
            );
            for name in body
                .required
                .iter()
                .chain(body.takes.iter().map(|(n, _)| n))
            {
                assert!(
                    props.get(*name).is_some(),
                    "{} has no property {name}",
                    body.schema
                );
            }
        }
        for (schema, name, _) in LIMITS {
            assert!(
                schemas[*schema]["properties"].get(*name).is_some(),
                "{schema} has no property {name}"
            );
        }
        let ids: Vec<&str> = raw["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|i| i.as_object().unwrap().values())
            .filter_map(|op| op["operationId"].as_str())
            .collect();
        for (op, param, _) in PARAMS {
            assert!(ids.contains(op), "no operation {op} (parameter {param})");
        }
        for (op, _) in FILES {
            assert!(ids.contains(op), "no operation {op}");
        }
    }

    #[test]
    fn the_registry_and_work_log_bodies_say_what_they_need() {
        let d = doc();
        let s = &d["components"]["schemas"];
        assert_eq!(s["OrganisationInput"]["required"], json!(["name", "kind"]));
        assert_eq!(
            s["OrganisationInput"]["properties"]["kind"]["enum"],
            json!([
                "mso",
                "welfare",
                "public_body",
                "research",
                "faith_community",
                "other"
            ])
        );
        assert_eq!(
            s["PersonInput"]["required"],
            json!(["given_name", "family_name"])
        );
        for (schema, field) in [
            ("InteractionInput", "kind"),
            ("InteractionInput", "mode"),
            ("MeetingInput", "status"),
            ("TargetInput", "metric"),
        ] {
            let p = &s[schema]["properties"][field];
            assert!(
                p["enum"].as_array().is_some_and(|e| e.len() > 1),
                "{schema}.{field}: {p}"
            );
        }
        assert!(
            s["InteractionInput"]["required"]
                .as_array()
                .unwrap()
                .contains(&json!("starts_at"))
        );
        assert_eq!(
            s["InteractionInput"]["properties"]["duration_minutes"]["anyOf"][0]["type"],
            "integer"
        );
        // A change needs only its version, and names only known fields.
        assert_eq!(s["OrganisationInputChange"]["required"], json!(["version"]));
        assert_eq!(
            s["OrganisationInputChange"]["additionalProperties"],
            json!(false)
        );
        let patch = &d["paths"]["/api/v1/organisations/{id}"]["patch"]["requestBody"]["content"]["application/json"]
            ["schema"]["$ref"];
        assert_eq!(patch, "#/components/schemas/OrganisationInputChange");
        // Dates and ids are formats with patterns a generator can follow.
        assert_eq!(
            s["NeedInput"]["properties"]["raised_on"]["anyOf"][0]["format"],
            "date"
        );
        assert_eq!(
            s["NeedInput"]["properties"]["organisation_id"]["format"],
            "uuid"
        );
    }

    #[test]
    fn every_closed_vocabulary_of_a_body_is_listed() {
        // Prose despite the name: what a body is for, why an event was
        // called off, a person's role in an organisation ("Vorsitz"), how a
        // consent was given.
        const PROSE: &[(&str, &str)] = &[
            ("BodyInput", "purpose"),
            ("EventInput", "cancel_reason"),
            ("AffiliationBody", "role"),
            ("ConsentBody", "source"),
        ];
        // A property named like a closed vocabulary is free text nowhere.
        let d = doc();
        let closed = [
            "kind",
            "status",
            "role",
            "mode",
            "metric",
            "purpose",
            "urgency",
            "source",
            "cost_kind",
            "location_kind",
            "link_type",
            "cancel_reason",
            "legal_status",
            "minutes_status",
            "override_status",
            "staff_names",
            "form_of_address",
            "answer",
            "smtp_security",
            "record_type",
        ];
        for name in request_schemas(&d) {
            let Some(props) = d["components"]["schemas"][&name]["properties"].as_object() else {
                continue;
            };
            for (field, p) in props {
                // A body's purpose (what a working group is for) is prose.
                if closed.contains(&field.as_str())
                    && !PROSE.iter().any(|(s, f)| name.starts_with(s) && field == f)
                {
                    let text = p.to_string();
                    assert!(
                        text.contains("\"enum\"") || text.contains("\"const\""),
                        "{name}.{field} takes any text: {p}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_office_vocabularies_become_enums_and_patterns() {
        let mut d = doc();
        with_terms(&mut d, &|v| {
            (v == "topic").then(|| vec!["youth".to_owned(), "sport".to_owned()])
        });
        let topics = &d["components"]["schemas"]["OrganisationInput"]["properties"]["topics"];
        let text = topics.to_string();
        assert!(text.contains("\"enum\":[\"youth\",\"sport\"]"), "{topics}");
        assert!(text.contains("(youth|sport)"), "{topics}");
    }

    #[test]
    fn patterns_hold_what_the_rules_take() {
        let re = |p: &str| regex::Regex::new(p).expect("a valid pattern");
        let optional = re(&items_pattern("a|b", false));
        assert!(optional.is_match("a, b") && optional.is_match("") && !optional.is_match("a, c"));
        assert!(!re(&items_pattern("a|b", true)).is_match(""));
        assert_eq!(regex_escape("a.b"), "a\\.b");
        // What a pattern lets through, the rules behind it take.
        let day = re(&format!("^{DAY}$"));
        for d in ["2026-01-31", "2026-04-30", "2026-02-28", "1800-12-01"] {
            assert!(
                day.is_match(d) && msohub_service::time::parse_date(d).is_some(),
                "{d}"
            );
        }
        assert!(!day.is_match("2026-02-30") && !day.is_match("2026-13-01"));
        assert!(
            !day.is_match("0000-01-01") && msohub_service::time::parse_date("0000-01-01").is_none()
        );
        let instant = re(&format!(
            "^{DAY}T{HOUR}(:[0-5][0-9])?$|^{DAY}T{HOUR}:[0-5][0-9](\\.[0-9]{{1,6}})?(Z|[+-]{HOUR})$"
        ));
        for t in [
            "2026-01-15T10:00",
            "2026-01-15T10:00:05",
            "2026-07-15T10:00:00Z",
            "2026-07-15T10:00:00.5+05:30",
        ] {
            assert!(
                instant.is_match(t) && msohub_service::time::parse_instant(t).is_some(),
                "{t}"
            );
        }
        let url = re(URL_PATTERN);
        for u in [
            "https://verein.example/",
            "www.example.org",
            "http://a-b.c:8080/x?y=1#z",
            "0.a",
        ] {
            assert!(url.is_match(u), "{u}");
            assert!(msohub_domain::organisation::parse_website(u).is_ok(), "{u}");
        }
        let email = re(EMAIL_PATTERN);
        for e in ["info@verein.example", "a.b+c@x.de", "0@0.com"] {
            assert!(
                email.is_match(e) && msohub_domain::EmailAddress::parse(e).is_ok(),
                "{e}"
            );
        }
        assert!(!email.is_match("a@@b") && !email.is_match(".a@b"));
    }
}
