//! Exports for people: the records of an export (as the API gives them)
//! as a table someone reads in Excel. Headers in the staff area's language
//! (German, or English), the name or title first, then the columns most
//! used, ids and technical columns last; labels instead of codes (kinds,
//! legal forms, statuses, terms by their labels, languages by their
//! names), days and times in Berlin time (`03.05.2026 18:30`; in XLSX real
//! date cells), yes/no as `ja`/`nein`.
//!
//! The import reads these files back: every column the import knows has
//! the import's own header for its field, every label maps back to its
//! code (a test below checks both), lists are joined the way the import
//! splits them.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Berlin;
use msohub_domain::Language;
use msohub_exchange::Cell;
use msohub_i18n::Tr;
use msohub_service::export::{ExportData, ExportEntity, ExportFormat};
use msohub_service::organisations::Term;
use serde_json::Value;
use std::collections::HashMap;

/// How a column's value is shown.
#[derive(Debug, Clone, Copy)]
enum How {
    Text,
    /// A whole number, or a decimal (coordinates).
    Number,
    /// A list of texts, joined by ", ".
    List,
    /// A code shown by the i18n key `<prefix><code>` (the pages' words).
    Label(&'static str),
    /// Codes (one or a list) shown by the i18n key `<prefix><code>`.
    Labels(&'static str),
    /// Term codes (one or a list) of a vocabulary, by their labels.
    Term(&'static str),
    /// Language codes by their names: "Arabisch, Deutsch".
    Languages,
    /// `true`/`false` as ja/nein (yes/no).
    Bool,
    /// An ISO day.
    Date,
    /// An instant, in Berlin time.
    DateTime,
    /// A linked record (`{"id", "name"}`) or a list of them, by name,
    /// joined by "; " (the import splits organisers there).
    Names,
    /// A list of objects, this member of each, joined by "; ".
    Each(&'static str),
    /// A person's affiliations: "Verein (Vorsitz); …".
    Affiliations,
    /// A person's consents in force, by their purpose.
    Consents,
}

/// One column: the field of the record, the header in German and English.
#[derive(Debug, Clone, Copy)]
struct Col {
    field: &'static str,
    de: &'static str,
    en: &'static str,
    how: How,
}

const fn c(field: &'static str, de: &'static str, en: &'static str, how: How) -> Col {
    Col { field, de, en, how }
}

const CREATED: Col = c("created_at", "Angelegt", "Created", How::DateTime);
const UPDATED: Col = c("updated_at", "Geändert", "Changed", How::DateTime);
const ID: Col = c("id", "ID", "ID", How::Text);

const ORGANISATIONS: &[Col] = &[
    c("name", "Name", "Name", How::Text),
    c("kind", "Art", "Kind", How::Label("kind-")),
    c(
        "legal_status",
        "Rechtsform",
        "Legal status",
        How::Label("legal-"),
    ),
    c("topics", "Themen", "Topics", How::Term("topic")),
    c(
        "target_groups",
        "Zielgruppen",
        "Target groups",
        How::Term("target_group"),
    ),
    c("languages", "Sprachen", "Languages", How::Languages),
    c("origins", "Herkunft", "Origins", How::List),
    c("street", "Straße", "Street", How::Text),
    c("postcode", "PLZ", "Postcode", How::Text),
    c("city", "Ort", "City", How::Text),
    c("district", "Stadtteil", "District", How::Text),
    c("website", "Website", "Website", How::Text),
    c("email", "E-Mail", "E-mail", How::Text),
    c("phone", "Telefon", "Phone", How::Text),
    c("is_public", "Im Verzeichnis", "Listed publicly", How::Bool),
    c(
        "public_parts",
        "Öffentliche Teile",
        "Public parts",
        How::Labels("public-part-"),
    ),
    c("alternate_names", "Weitere Namen", "Other names", How::List),
    c(
        "register_court",
        "Registergericht",
        "Register court",
        How::Text,
    ),
    c(
        "register_number",
        "Registernummer",
        "Register number",
        How::Text,
    ),
    c(
        "founding_year",
        "Gründungsjahr",
        "Founding year",
        How::Number,
    ),
    c("member_count", "Mitglieder", "Members", How::Number),
    c("description", "Beschreibung", "Description", How::Text),
    c(
        "internal_notes",
        "Interne Notizen",
        "Internal notes",
        How::Text,
    ),
    c(
        "assured_at",
        "Zuletzt geprüft",
        "Last checked",
        How::DateTime,
    ),
    c("is_own_office", "Eigenes Amt", "Own office", How::Bool),
    c("latitude", "Breitengrad", "Latitude", How::Number),
    c("longitude", "Längengrad", "Longitude", How::Number),
    CREATED,
    UPDATED,
    ID,
];

const PERSONS: &[Col] = &[
    c("family_name", "Nachname", "Family name", How::Text),
    c("given_name", "Vorname", "Given name", How::Text),
    c(
        "affiliations",
        "Organisationen (Funktion)",
        "Organisations (role)",
        How::Affiliations,
    ),
    c("email", "E-Mail", "E-mail", How::Text),
    c("phone", "Telefon", "Phone", How::Text),
    c("languages", "Sprachen", "Languages", How::Languages),
    c("consents", "Einwilligungen", "Consents", How::Consents),
    c("notes", "Notizen", "Notes", How::Text),
    ID,
];

const OFFERS: &[Col] = &[
    c("title", "Titel", "Title", How::Text),
    c("organisation", "Organisation", "Organisation", How::Names),
    c(
        "category",
        "Kategorie",
        "Category",
        How::Term("offer_category"),
    ),
    c("status", "Status", "Status", How::Label("offer-status-")),
    c(
        "target_groups",
        "Zielgruppen",
        "Target groups",
        How::Term("target_group"),
    ),
    c("languages", "Sprachen", "Languages", How::Languages),
    c("schedule_text", "Termine", "Schedule", How::Text),
    c("starts_time", "Beginn", "Starts", How::Text),
    c("ends_time", "Ende", "Ends", How::Text),
    c("valid_from", "Gültig ab", "Valid from", How::Date),
    c("valid_to", "Gültig bis", "Valid to", How::Date),
    c("cost_kind", "Kosten", "Cost", How::Label("offer-cost-")),
    c("cost_text", "Kostenbeitrag", "Cost details", How::Text),
    c(
        "location_kind",
        "Ort (Art)",
        "Place (kind)",
        How::Label("offer-location-"),
    ),
    c("street", "Straße", "Street", How::Text),
    c("postcode", "PLZ", "Postcode", How::Text),
    c("city", "Ort", "City", How::Text),
    c("online_link", "Online-Link", "Online link", How::Text),
    c(
        "registration_required",
        "Anmeldung nötig",
        "Registration required",
        How::Bool,
    ),
    c(
        "registration_how",
        "Anmeldung",
        "How to register",
        How::Text,
    ),
    c("age_min", "Alter ab", "Age from", How::Number),
    c("age_max", "Alter bis", "Age to", How::Number),
    c(
        "accessibility",
        "Barrierefreiheit",
        "Accessibility",
        How::Text,
    ),
    c("description", "Beschreibung", "Description", How::Text),
    c("is_public", "Öffentlich", "Public", How::Bool),
    c(
        "schedule_rrule",
        "Wiederholung (RRULE)",
        "Recurrence (RRULE)",
        How::Text,
    ),
    CREATED,
    UPDATED,
    ID,
];

const EVENTS: &[Col] = &[
    c("title", "Titel", "Title", How::Text),
    c("starts_at", "Beginn", "Starts", How::DateTime),
    c("ends_at", "Ende", "Ends", How::DateTime),
    c("status", "Status", "Status", How::Label("event-status-")),
    c("organisers", "Veranstalter", "Organisers", How::Names),
    c(
        "category",
        "Kategorie",
        "Category",
        How::Term("offer_category"),
    ),
    c("mode", "Format", "Format", How::Label("mode-")),
    c("place", "Ort", "Place", How::Text),
    c("languages", "Sprachen", "Languages", How::Languages),
    c("online_link", "Online-Link", "Online link", How::Text),
    c(
        "registration_link",
        "Anmeldelink",
        "Registration link",
        How::Text,
    ),
    c("description", "Beschreibung", "Description", How::Text),
    c(
        "cancel_reason",
        "Absagegrund",
        "Reason for cancelling",
        How::Text,
    ),
    c("is_public", "Öffentlich", "Public", How::Bool),
    CREATED,
    UPDATED,
    ID,
];

const CONTACTS: &[Col] = &[
    c("subject", "Betreff", "Subject", How::Text),
    c(
        "starts_at",
        "Datum und Uhrzeit",
        "Date and time",
        How::DateTime,
    ),
    c("kind", "Art", "Kind", How::Label("ikind-")),
    c("status", "Status", "Status", How::Label("status-")),
    c(
        "organisations",
        "Organisationen",
        "Organisations",
        How::Names,
    ),
    c(
        "persons",
        "Gesprächspartnerinnen und -partner",
        "People spoken to",
        How::Names,
    ),
    c(
        "staff",
        "Beteiligte aus dem KI",
        "Staff involved",
        How::Names,
    ),
    c("topics", "Themen", "Topics", How::Term("topic")),
    c(
        "duration_minutes",
        "Dauer (Minuten)",
        "Duration (minutes)",
        How::Number,
    ),
    c("mode", "Format", "Format", How::Label("mode-")),
    c("interfaces", "Schnittstellen", "Interfaces", How::Text),
    c("notes", "Notizen", "Notes", How::Text),
    c(
        "cancel_reason",
        "Grund der Absage",
        "Reason for cancelling",
        How::Label("reason-"),
    ),
    c(
        "cancel_note",
        "Erläuterung zur Absage",
        "Cancellation note",
        How::Text,
    ),
    CREATED,
    UPDATED,
    ID,
];

const MEETINGS: &[Col] = &[
    c("title", "Titel", "Title", How::Text),
    c("body", "Gremium", "Body", How::Names),
    c("starts_at", "Beginn", "Starts", How::DateTime),
    c("ends_at", "Ende", "Ends", How::DateTime),
    c("status", "Status", "Status", How::Label("meeting-status-")),
    c("mode", "Format", "Format", How::Label("mode-")),
    c("place", "Ort", "Place", How::Text),
    c(
        "video_link",
        "Link zur Videokonferenz",
        "Video link",
        How::Text,
    ),
    c("agenda", "Tagesordnung", "Agenda", How::Each("title")),
    c(
        "minutes_status",
        "Stand des Protokolls",
        "Minutes",
        How::Label("minutes-"),
    ),
    c("minutes", "Protokoll", "Minutes text", How::Text),
    c(
        "cancel_reason",
        "Grund der Absage",
        "Reason for cancelling",
        How::Text,
    ),
    c(
        "imported",
        "Aus dem Ratsinformationssystem",
        "From OParl",
        How::Bool,
    ),
    CREATED,
    UPDATED,
    ID,
];

const NEEDS: &[Col] = &[
    c("organisation", "Organisation", "Organisation", How::Names),
    c(
        "category",
        "Kategorie",
        "Category",
        How::Term("need_category"),
    ),
    c("description", "Beschreibung", "Description", How::Text),
    c("status", "Status", "Status", How::Label("need-status-")),
    c(
        "urgency",
        "Dringlichkeit",
        "Urgency",
        How::Label("need-urgency-"),
    ),
    c("source", "Quelle", "Source", How::Label("need-source-")),
    c("raised_on", "Bekannt seit", "Known since", How::Date),
    c("resolved_on", "Erledigt am", "Resolved on", How::Date),
    c("outcome", "Ergebnis", "Outcome", How::Text),
    c("reported_by", "Gemeldet von", "Reported by", How::Names),
    CREATED,
    UPDATED,
    ID,
];

fn columns(entity: ExportEntity) -> &'static [Col] {
    match entity {
        ExportEntity::Organisations => ORGANISATIONS,
        ExportEntity::Persons => PERSONS,
        ExportEntity::Offers => OFFERS,
        ExportEntity::Events => EVENTS,
        ExportEntity::Contacts => CONTACTS,
        ExportEntity::Meetings => MEETINGS,
        ExportEntity::Needs => NEEDS,
    }
}

/// The words of one export: the language and the term labels.
struct Words<'a> {
    tr: Tr,
    terms: HashMap<(&'a str, &'a str), &'a Term>,
}

impl Words<'_> {
    fn english(&self) -> bool {
        self.tr.lang == Language::En
    }

    fn label(&self, prefix: &str, code: &str) -> String {
        self.tr
            .own(&format!("{prefix}{code}"))
            .unwrap_or_else(|| code.to_owned())
    }

    fn term(&self, vocabulary: &str, code: &str) -> String {
        match self.terms.get(&(vocabulary, code)) {
            Some(t) if self.english() && !t.label_en.is_empty() => t.label_en.clone(),
            Some(t) => t.label_de.clone(),
            None => code.to_owned(),
        }
    }

    fn yes_no(&self, b: bool) -> &'static str {
        match (b, self.english()) {
            (true, false) => "ja",
            (false, false) => "nein",
            (true, true) => "yes",
            (false, true) => "no",
        }
    }
}

/// A language's name in German or English ("Arabisch"), the code for a
/// language outside the list.
fn language_name(english: bool, code: &str) -> String {
    msohub_domain::offers::language_name(code, english)
        .map_or_else(|| code.to_owned(), str::to_owned)
}

/// The strings of a string or a list of strings.
fn codes(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) if !s.is_empty() => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn joined(items: impl IntoIterator<Item = String>, separator: &str) -> Cell {
    Cell::from(
        items
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(separator),
    )
}

fn name_of(v: &Value) -> String {
    v.get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn cell(words: &Words, how: How, v: &Value) -> Cell {
    if v.is_null() {
        return Cell::Empty;
    }
    match how {
        How::Text => match v {
            Value::String(s) => Cell::from(s.clone()),
            Value::Number(n) => Cell::from(n.to_string()),
            other => Cell::from(other.to_string()),
        },
        How::Number => v
            .as_f64()
            .map_or_else(|| Cell::from(codes(v).join("")), Cell::Number),
        How::List => joined(codes(v).into_iter().map(str::to_owned), ", "),
        How::Label(prefix) | How::Labels(prefix) => {
            joined(codes(v).into_iter().map(|c| words.label(prefix, c)), ", ")
        }
        How::Term(vocabulary) => joined(
            codes(v).into_iter().map(|c| words.term(vocabulary, c)),
            ", ",
        ),
        How::Languages => joined(
            codes(v)
                .into_iter()
                .map(|c| language_name(words.english(), c)),
            ", ",
        ),
        How::Bool => v
            .as_bool()
            .map_or(Cell::Empty, |b| Cell::Text(words.yes_no(b).to_owned())),
        How::Date => v
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .map_or(Cell::Empty, Cell::Date),
        How::DateTime => v
            .as_str()
            .and_then(|s| s.parse::<DateTime<Utc>>().ok())
            .map_or(Cell::Empty, |t| {
                Cell::DateTime(t.with_timezone(&Berlin).naive_local())
            }),
        How::Names => match v {
            Value::Array(items) => joined(items.iter().map(name_of), "; "),
            one => Cell::from(name_of(one)),
        },
        How::Each(member) => match v {
            Value::Array(items) => joined(
                items.iter().map(|i| {
                    i.get(member)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                }),
                "; ",
            ),
            _ => Cell::Empty,
        },
        How::Affiliations => match v {
            Value::Array(items) => joined(
                items.iter().map(|a| {
                    let org = a
                        .get("organisation_name")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    match a.get("role").and_then(Value::as_str) {
                        Some(role) if !role.is_empty() => format!("{org} ({role})"),
                        _ => org.to_owned(),
                    }
                }),
                "; ",
            ),
            _ => Cell::Empty,
        },
        How::Consents => match v {
            Value::Array(items) => joined(
                items
                    .iter()
                    .filter(|c| c.get("active").and_then(Value::as_bool) == Some(true))
                    .filter_map(|c| c.get("purpose").and_then(Value::as_str))
                    .map(|p| words.label("purpose-", p)),
                ", ",
            ),
            _ => Cell::Empty,
        },
    }
}

/// The headers and rows of an export for people, in `lang` (German for
/// every language but English: the staff area speaks these two).
pub fn people_table(data: &ExportData, lang: Language) -> (Vec<String>, Vec<Vec<Cell>>) {
    let lang = if lang == Language::En {
        Language::En
    } else {
        Language::De
    };
    let words = Words {
        tr: Tr::new(lang),
        terms: data
            .terms
            .iter()
            .flat_map(|(vocabulary, terms)| {
                terms
                    .iter()
                    .map(move |t| ((vocabulary.as_str(), t.code.as_str()), t))
            })
            .collect(),
    };
    let cols = columns(data.entity);
    let headers = cols
        .iter()
        .map(|c| if lang == Language::En { c.en } else { c.de }.to_owned())
        .collect();
    let rows = data
        .records
        .iter()
        .map(|r| {
            cols.iter()
                .map(|c| cell(&words, c.how, r.get(c.field).unwrap_or(&Value::Null)))
                .collect()
        })
        .collect();
    (headers, rows)
}

/// An export for people as a file: CSV (German Excel's `;` writes
/// decimals with a comma) or XLSX; JSON is always the records as they are.
pub fn people_file(
    data: &ExportData,
    format: ExportFormat,
    lang: Language,
) -> Result<Vec<u8>, msohub_service::Error> {
    match format {
        ExportFormat::Json => msohub_service::export::render(data.entity, format, &data.records),
        ExportFormat::Csv(options) => {
            let (headers, rows) = people_table(data, lang);
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            let comma = options.separator == b';';
            let rows = rows
                .iter()
                .map(|row| row.iter().map(|c| c.to_text(comma)).collect::<Vec<_>>());
            Ok(msohub_exchange::csv_table(&headers, rows, options))
        }
        ExportFormat::Xlsx => {
            let (headers, rows) = people_table(data, lang);
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            let tr = Tr::new(if lang == Language::En {
                Language::En
            } else {
                Language::De
            });
            let sheet = tr.t(&format!("export-entity-{}", data.entity.as_str()));
            msohub_exchange::xlsx_table(&sheet, &headers, &rows)
                .map_err(|e| msohub_service::Error::Internal(Box::new(e)))
        }
    }
}

#[cfg(test)]
mod tests;
