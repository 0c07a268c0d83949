//! Import of organisations, persons (with their affiliation), offers and
//! events from CSV, XLSX and ODS files: read → map columns to fields →
//! check every row → commit all rows or none.
//!
//! Invariants:
//! - Nothing is written unless every row passes: the commit is one
//!   transaction, and a file with any error (or a mapping problem) commits
//!   nothing. A dry run does everything but the write.
//! - Rows are checked by the same validation as the forms and the API, on
//!   the record as it would be stored: for an update, the existing record
//!   with the mapped columns laid over it, so columns the file does not
//!   have are kept, never emptied.
//! - Every problem names its row as the spreadsheet shows it (the header is
//!   row 1) and, where it belongs to one, its column letter and header.
//! - A row that matches an existing record (organisations: register number,
//!   else name and postcode; persons: e-mail, else given and family name;
//!   offers: organisation and title; events: title and start) is updated,
//!   skipped, or created as a second record, as the user chose. Two rows of
//!   one file that match each other are an error.
//! - Postcodes and phone numbers stay text; a postcode that a spreadsheet
//!   stored as a number (1067) gets its leading zero back.

use crate::organisations::{Organisation, OrganisationInput};
use crate::{Actor, Error, FieldError, Services};
use chrono::{NaiveDate, Utc};
use msohub_domain::Permission;
use msohub_exchange::read::{self, Limits, Table, Value};
use msohub_store::imports as store;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// The largest file an import takes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Problems listed in full; beyond this only counted.
const MAX_PROBLEMS: usize = 1_000;
/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 20;

/// What an import creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportEntity {
    Organisations,
    Persons,
    Offers,
    Events,
}

impl ImportEntity {
    pub const ALL: [ImportEntity; 4] = [
        ImportEntity::Organisations,
        ImportEntity::Persons,
        ImportEntity::Offers,
        ImportEntity::Events,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ImportEntity::Organisations => "organisations",
            ImportEntity::Persons => "persons",
            ImportEntity::Offers => "offers",
            ImportEntity::Events => "events",
        }
    }
    /// The fields a column can be mapped to.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            ImportEntity::Organisations => ORGANISATION_FIELDS,
            ImportEntity::Persons => PERSON_FIELDS,
            ImportEntity::Offers => OFFER_FIELDS,
            ImportEntity::Events => EVENT_FIELDS,
        }
    }
    pub fn field(self, key: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|f| f.key == key)
    }
}

impl std::str::FromStr for ImportEntity {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        ImportEntity::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or(())
    }
}

/// What happens to a row that matches an existing record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnMatch {
    /// The existing record takes the file's values (default).
    #[default]
    Update,
    /// The existing record stays as it is; the row is left out.
    Skip,
    /// A new record is created next to the existing one.
    Create,
}

impl OnMatch {
    pub fn as_str(self) -> &'static str {
        match self {
            OnMatch::Update => "update",
            OnMatch::Skip => "skip",
            OnMatch::Create => "create",
        }
    }
    pub fn parse(s: &str) -> Option<OnMatch> {
        [OnMatch::Update, OnMatch::Skip, OnMatch::Create]
            .into_iter()
            .find(|m| m.as_str() == s.trim())
    }
}

/// How a cell's text becomes a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Postcode,
    Phone,
    /// A day: 31.12.2026, 31.12.26, 2026-12-31 or a spreadsheet date.
    Date,
    /// Day and time in Berlin time: 31.12.2026 18:00 or 2026-12-31T18:00.
    DateTime,
    /// A time of day, 18:00 or 18.00.
    Time,
    /// ja/nein, yes/no, x, 1/0, wahr/falsch, true/false.
    Bool,
    /// Terms of a vocabulary by code or German or English label, separated
    /// by comma, semicolon or line break.
    Terms(&'static str, bool),
    /// Languages by ISO code or German or English name.
    Languages,
    /// One of a fixed set of codes, by code or German or English word.
    Choice(&'static [(&'static str, &'static [&'static str])]),
    /// Organisations by name, register number or id (`bool`: several).
    Organisation(bool),
}

/// A field a column can be mapped to.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub key: &'static str,
    pub label_de: &'static str,
    pub label_en: &'static str,
    /// Further header texts that mean this field (German and English).
    pub aliases: &'static [&'static str],
    pub required: bool,
    pub kind: Kind,
}

const fn f(
    key: &'static str,
    label_de: &'static str,
    label_en: &'static str,
    aliases: &'static [&'static str],
    kind: Kind,
) -> FieldSpec {
    FieldSpec {
        key,
        label_de,
        label_en,
        aliases,
        required: false,
        kind,
    }
}

const fn req(mut spec: FieldSpec) -> FieldSpec {
    spec.required = true;
    spec
}

const KINDS: &[(&str, &[&str])] = &[
    (
        "mso",
        &[
            "Migrantenselbstorganisation",
            "Migrantenorganisation",
            "Migrantinnenorganisation",
            "MSO",
            "MO",
        ],
    ),
    ("welfare", &["Wohlfahrtsverband", "Wohlfahrt", "Welfare"]),
    (
        "public_body",
        &[
            "Behörde",
            "Öffentliche Stelle",
            "Verwaltung",
            "Kommune",
            "Amt",
            "Public body",
        ],
    ),
    (
        "research",
        &["Forschung", "Hochschule", "Universität", "Research"],
    ),
    (
        "faith_community",
        &[
            "Religionsgemeinschaft",
            "Glaubensgemeinschaft",
            "Gemeinde",
            "Moscheegemeinde",
            "Faith community",
        ],
    ),
    ("other", &["Sonstige", "Andere", "Other"]),
];

const LEGAL: &[(&str, &[&str])] = &[
    ("ev", &["e.V.", "eingetragener Verein", "Verein"]),
    ("ggmbh", &["gGmbH", "gemeinnützige GmbH"]),
    ("foundation", &["Stiftung", "Foundation"]),
    ("cooperative", &["Genossenschaft", "eG", "Cooperative"]),
    (
        "public_law",
        &[
            "Körperschaft des öffentlichen Rechts",
            "KdöR",
            "öffentlich-rechtlich",
        ],
    ),
    (
        "initiative",
        &["Initiative", "nicht eingetragener Verein", "Gruppe"],
    ),
    ("other", &["Sonstige", "Andere", "Other"]),
];

const OFFER_STATUS: &[(&str, &[&str])] = &[
    ("active", &["aktiv", "läuft", "laufend"]),
    ("paused", &["pausiert", "ruht", "unterbrochen"]),
    ("ended", &["beendet", "eingestellt", "abgeschlossen"]),
];

const EVENT_STATUS: &[(&str, &[&str])] = &[
    ("planned", &["geplant", "angekündigt"]),
    ("held", &["stattgefunden", "durchgeführt"]),
    ("cancelled", &["abgesagt", "ausgefallen", "canceled"]),
];

const EVENT_MODE: &[(&str, &[&str])] = &[
    ("in_person", &["Präsenz", "vor Ort", "in person"]),
    ("digital", &["online", "digital", "virtuell"]),
    ("hybrid", &["hybrid"]),
];

const COST: &[(&str, &[&str])] = &[
    (
        "free",
        &[
            "kostenlos",
            "kostenfrei",
            "gratis",
            "frei",
            "0",
            "0 €",
            "0,00 €",
        ],
    ),
    (
        "on_request",
        &["auf Anfrage", "nach Absprache", "on request"],
    ),
];

const LOCATION: &[(&str, &[&str])] = &[
    (
        "organisation",
        &["bei der Organisation", "Vereinsadresse", "eigene Räume"],
    ),
    ("other", &["anderer Ort", "extern", "elsewhere"]),
    ("online", &["online", "digital"]),
];

const ORGANISATION_FIELDS: &[FieldSpec] = &[
    req(f(
        "name",
        "Name",
        "Name",
        &[
            "Organisation",
            "Organisationsname",
            "Name der Organisation",
            "Verein",
            "Vereinsname",
            "Name des Vereins",
            "organization",
            "organisation name",
        ],
        Kind::Text,
    )),
    f(
        "alternate_names",
        "Weitere Namen",
        "Other names",
        &[
            "Kurzname",
            "Abkürzung",
            "Kürzel",
            "alternate names",
            "short name",
        ],
        Kind::Text,
    ),
    f(
        "kind",
        "Art",
        "Kind",
        &["Typ", "Organisationsart", "Art der Organisation", "type"],
        Kind::Choice(KINDS),
    ),
    f(
        "legal_status",
        "Rechtsform",
        "Legal status",
        &["legal form"],
        Kind::Choice(LEGAL),
    ),
    f(
        "register_court",
        "Registergericht",
        "Register court",
        &["Amtsgericht"],
        Kind::Text,
    ),
    f(
        "register_number",
        "Registernummer",
        "Register number",
        &[
            "Vereinsregisternummer",
            "Vereinsregister",
            "VR",
            "VR-Nummer",
            "VR Nr",
            "Registernr",
        ],
        Kind::Text,
    ),
    f(
        "founding_year",
        "Gründungsjahr",
        "Founding year",
        &["gegründet", "Gründung", "founded"],
        Kind::Text,
    ),
    f(
        "member_count",
        "Mitglieder",
        "Members",
        &["Mitgliederzahl", "Anzahl Mitglieder", "member count"],
        Kind::Text,
    ),
    f(
        "origins",
        "Herkunft",
        "Origins",
        &[
            "Herkunftsländer",
            "Herkunftsland",
            "Community",
            "Communities",
            "Herkunftsregion",
        ],
        Kind::Text,
    ),
    f(
        "languages",
        "Sprachen",
        "Languages",
        &["Sprache", "Arbeitssprachen", "language"],
        Kind::Languages,
    ),
    f(
        "topics",
        "Themen",
        "Topics",
        &[
            "Thema",
            "Handlungsfelder",
            "Arbeitsschwerpunkte",
            "Schwerpunkte",
        ],
        Kind::Terms("topic", true),
    ),
    f(
        "target_groups",
        "Zielgruppen",
        "Target groups",
        &["Zielgruppe", "target group"],
        Kind::Terms("target_group", true),
    ),
    f(
        "street",
        "Straße",
        "Street",
        &[
            "Strasse",
            "Straße und Hausnummer",
            "Adresse",
            "Anschrift",
            "address",
        ],
        Kind::Text,
    ),
    f(
        "postcode",
        "PLZ",
        "Postcode",
        &["Postleitzahl", "zip", "zip code", "postal code"],
        Kind::Postcode,
    ),
    f(
        "city",
        "Ort",
        "City",
        &["Stadt", "Wohnort", "Gemeinde", "town"],
        Kind::Text,
    ),
    f(
        "district",
        "Stadtteil",
        "District",
        &["Bezirk", "Stadtbezirk", "Quartier", "Ortsteil"],
        Kind::Text,
    ),
    f(
        "latitude",
        "Breitengrad",
        "Latitude",
        &["lat", "Breite"],
        Kind::Text,
    ),
    f(
        "longitude",
        "Längengrad",
        "Longitude",
        &["lon", "lng", "Länge"],
        Kind::Text,
    ),
    f(
        "website",
        "Website",
        "Website",
        &[
            "Webseite",
            "Internet",
            "Homepage",
            "Internetseite",
            "URL",
            "web",
        ],
        Kind::Text,
    ),
    f(
        "email",
        "E-Mail",
        "E-mail",
        &["Mail", "Email", "E-Mail-Adresse"],
        Kind::Text,
    ),
    f(
        "phone",
        "Telefon",
        "Phone",
        &["Tel", "Tel.", "Telefonnummer", "Rufnummer", "telephone"],
        Kind::Phone,
    ),
    f(
        "description",
        "Beschreibung",
        "Description",
        &["Selbstdarstellung", "Über uns", "Profil"],
        Kind::Text,
    ),
    f(
        "internal_notes",
        "Interne Notizen",
        "Internal notes",
        &[
            "Notizen",
            "Notiz",
            "Bemerkungen",
            "Bemerkung",
            "Anmerkungen",
            "notes",
        ],
        Kind::Text,
    ),
    f(
        "is_public",
        "Im Verzeichnis",
        "Listed publicly",
        &["Öffentlich", "veröffentlichen", "public"],
        Kind::Bool,
    ),
];

const PERSON_FIELDS: &[FieldSpec] = &[
    req(f(
        "given_name",
        "Vorname",
        "Given name",
        &["first name", "firstname"],
        Kind::Text,
    )),
    req(f(
        "family_name",
        "Nachname",
        "Family name",
        &["Name", "Familienname", "last name", "surname"],
        Kind::Text,
    )),
    f(
        "email",
        "E-Mail",
        "E-mail",
        &["Mail", "Email", "E-Mail-Adresse"],
        Kind::Text,
    ),
    f(
        "phone",
        "Telefon",
        "Phone",
        &["Tel", "Tel.", "Telefonnummer", "Handy", "Mobil", "mobile"],
        Kind::Phone,
    ),
    f(
        "languages",
        "Sprachen",
        "Languages",
        &["Sprache", "language"],
        Kind::Languages,
    ),
    f(
        "notes",
        "Notizen",
        "Notes",
        &["Notiz", "Bemerkungen", "Bemerkung", "Anmerkungen"],
        Kind::Text,
    ),
    f(
        "organisation",
        "Organisation",
        "Organisation",
        &["Verein", "Organisationsname", "organization"],
        Kind::Organisation(false),
    ),
    f(
        "role",
        "Funktion",
        "Role",
        &["Rolle", "Position", "Amt", "Funktion im Verein"],
        Kind::Text,
    ),
    f(
        "from",
        "Funktion seit",
        "Role since",
        &["seit", "von", "ab", "since"],
        Kind::Date,
    ),
];

const OFFER_FIELDS: &[FieldSpec] = &[
    req(f(
        "organisation_id",
        "Organisation",
        "Organisation",
        &["Anbieter", "Träger", "Verein", "organization", "provider"],
        Kind::Organisation(false),
    )),
    req(f(
        "title",
        "Titel",
        "Title",
        &[
            "Angebot",
            "Bezeichnung",
            "Name des Angebots",
            "Angebotsname",
            "name",
        ],
        Kind::Text,
    )),
    f(
        "description",
        "Beschreibung",
        "Description",
        &["Inhalt", "Details"],
        Kind::Text,
    ),
    req(f(
        "category",
        "Kategorie",
        "Category",
        &["Art des Angebots", "Bereich", "Angebotsart"],
        Kind::Terms("offer_category", false),
    )),
    f(
        "target_groups",
        "Zielgruppen",
        "Target groups",
        &["Zielgruppe", "target group", "für wen"],
        Kind::Terms("target_group", true),
    ),
    f(
        "age_min",
        "Alter ab",
        "Age from",
        &["Mindestalter", "Alter von", "age min"],
        Kind::Text,
    ),
    f(
        "age_max",
        "Alter bis",
        "Age to",
        &["Höchstalter", "age max"],
        Kind::Text,
    ),
    f(
        "languages",
        "Sprachen",
        "Languages",
        &["Sprache", "language"],
        Kind::Languages,
    ),
    f(
        "cost_kind",
        "Kosten",
        "Cost",
        &[
            "Kostenart",
            "Gebühr",
            "Preis",
            "Teilnahmegebühr",
            "price",
            "fee",
        ],
        Kind::Choice(COST),
    ),
    f(
        "registration_required",
        "Anmeldung nötig",
        "Registration required",
        &["Anmeldung erforderlich", "Anmeldepflicht"],
        Kind::Bool,
    ),
    f(
        "registration_how",
        "Anmeldung",
        "How to register",
        &["Anmeldung wie", "Anmeldung bei", "registration"],
        Kind::Text,
    ),
    f(
        "accessibility",
        "Barrierefreiheit",
        "Accessibility",
        &["barrierefrei", "Zugänglichkeit"],
        Kind::Text,
    ),
    f(
        "location_kind",
        "Ort (Art)",
        "Place (kind)",
        &["Ortsart", "Veranstaltungsort Art"],
        Kind::Choice(LOCATION),
    ),
    f(
        "street",
        "Straße",
        "Street",
        &["Strasse", "Adresse", "Anschrift", "address"],
        Kind::Text,
    ),
    f(
        "postcode",
        "PLZ",
        "Postcode",
        &["Postleitzahl", "zip", "postal code"],
        Kind::Postcode,
    ),
    f("city", "Ort", "City", &["Stadt"], Kind::Text),
    f(
        "online_link",
        "Online-Link",
        "Online link",
        &["Link", "Zugangslink", "Zoom", "online"],
        Kind::Text,
    ),
    f(
        "schedule_text",
        "Termine",
        "Schedule",
        &["Zeiten", "Wann", "Termin", "Uhrzeit", "Zeitplan", "when"],
        Kind::Text,
    ),
    f(
        "schedule_rrule",
        "Wiederholung (RRULE)",
        "Recurrence (RRULE)",
        &["RRULE"],
        Kind::Text,
    ),
    f(
        "starts_time",
        "Beginn",
        "Starts",
        &["von", "Uhrzeit von", "start"],
        Kind::Time,
    ),
    f(
        "ends_time",
        "Ende",
        "Ends",
        &["bis", "Uhrzeit bis", "end"],
        Kind::Time,
    ),
    f(
        "valid_from",
        "Gültig ab",
        "Valid from",
        &["ab", "Start am", "Beginn am"],
        Kind::Date,
    ),
    f(
        "valid_to",
        "Gültig bis",
        "Valid to",
        &["Ende am", "befristet bis"],
        Kind::Date,
    ),
    f(
        "status",
        "Status",
        "Status",
        &["Stand"],
        Kind::Choice(OFFER_STATUS),
    ),
    f(
        "is_public",
        "Öffentlich",
        "Public",
        &["Im Verzeichnis", "veröffentlichen"],
        Kind::Bool,
    ),
];

const EVENT_FIELDS: &[FieldSpec] = &[
    req(f(
        "title",
        "Titel",
        "Title",
        &["Veranstaltung", "Bezeichnung", "Name", "event"],
        Kind::Text,
    )),
    f(
        "description",
        "Beschreibung",
        "Description",
        &["Inhalt", "Details"],
        Kind::Text,
    ),
    f(
        "category",
        "Kategorie",
        "Category",
        &["Art", "Bereich"],
        Kind::Terms("offer_category", false),
    ),
    req(f(
        "starts_at",
        "Beginn",
        "Starts",
        &[
            "Datum",
            "Start",
            "Datum und Uhrzeit",
            "von",
            "date",
            "start",
        ],
        Kind::DateTime,
    )),
    f("ends_at", "Ende", "Ends", &["bis", "end"], Kind::DateTime),
    f(
        "mode",
        "Format",
        "Format",
        &["Form", "Modus", "mode"],
        Kind::Choice(EVENT_MODE),
    ),
    f(
        "place",
        "Ort",
        "Place",
        &["Veranstaltungsort", "Adresse", "Raum", "location"],
        Kind::Text,
    ),
    f(
        "online_link",
        "Online-Link",
        "Online link",
        &["Link", "Zugangslink"],
        Kind::Text,
    ),
    f(
        "registration_link",
        "Anmeldelink",
        "Registration link",
        &["Anmeldung", "Registrierung", "registration"],
        Kind::Text,
    ),
    f(
        "languages",
        "Sprachen",
        "Languages",
        &["Sprache", "language"],
        Kind::Languages,
    ),
    f(
        "status",
        "Status",
        "Status",
        &[],
        Kind::Choice(EVENT_STATUS),
    ),
    f(
        "cancel_reason",
        "Absagegrund",
        "Reason for cancelling",
        &["Grund der Absage"],
        Kind::Text,
    ),
    req(f(
        "organisers",
        "Veranstalter",
        "Organisers",
        &[
            "Veranstaltende",
            "Organisation",
            "Organisationen",
            "Träger",
            "organizer",
            "organizers",
        ],
        Kind::Organisation(true),
    )),
    f(
        "is_public",
        "Öffentlich",
        "Public",
        &["Im Verzeichnis", "veröffentlichen"],
        Kind::Bool,
    ),
];

/// Field key → column header text.
pub type Mapping = BTreeMap<String, String>;

/// Folds a header or word for comparison: lower case, no accents, only
/// letters and digits ("E-Mail-Adresse" → "emailadresse").
fn key(s: &str) -> String {
    msohub_domain::organisation::fold(s)
        .replace('ß', "ss")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The mapping guessed from the headers: a header that is a field's key,
/// label or alias maps to it; each field and each header at most once, the
/// leftmost header first.
pub fn guess_mapping(entity: ImportEntity, headers: &[String]) -> Mapping {
    let mut mapping = Mapping::new();
    let mut used = vec![false; headers.len()];
    // Labels and keys first, so "Name" means the name, not an alias of it.
    for pass in 0..2 {
        for spec in entity.fields() {
            if mapping.contains_key(spec.key) {
                continue;
            }
            let words: Vec<String> = if pass == 0 {
                vec![key(spec.key), key(spec.label_de), key(spec.label_en)]
            } else {
                spec.aliases.iter().map(|a| key(a)).collect()
            };
            if let Some(i) = headers
                .iter()
                .enumerate()
                .position(|(i, h)| !used[i] && !h.is_empty() && words.contains(&key(h)))
            {
                used[i] = true;
                mapping.insert(spec.key.to_owned(), headers[i].clone());
            }
        }
    }
    mapping
}

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Nothing is imported while it stands.
    Error,
    /// Imported, but worth a look.
    Warning,
}

/// One problem, where it is and what it is.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// The row as a spreadsheet shows it (1 is the header; 0: the file).
    pub row: usize,
    /// Column letter.
    pub column: Option<String>,
    /// The column's header.
    pub header: Option<String>,
    /// The field it concerns.
    pub field: Option<String>,
    /// A stable code (`required`, `postcode-invalid`, `match-repeated`, …).
    pub rule: String,
    /// Detail in German (the value, the other row, …).
    pub detail: String,
    pub severity: Severity,
}

/// What will happen (or happened) to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    Update,
    Skip,
    /// The row has errors.
    Invalid,
}

/// A row of the preview: its number, action and mapped values.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PreviewRow {
    pub row: usize,
    pub action: RowAction,
    /// Field → value as read.
    pub values: BTreeMap<String, String>,
    /// The existing record it matches.
    pub matches: Option<Uuid>,
}

/// The outcome of a dry run or an import.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub entity: ImportEntity,
    pub file_name: String,
    /// csv, xlsx or ods.
    pub format: String,
    /// For CSV: the encoding and separator found.
    pub encoding: String,
    pub separator: Option<String>,
    /// For spreadsheets: the sheet read.
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    /// The mapping used: field → header.
    pub mapping: Mapping,
    pub on_match: OnMatch,
    /// Data rows in the file.
    pub rows: usize,
    pub create: usize,
    pub update: usize,
    pub skip: usize,
    pub errors: usize,
    pub warnings: usize,
    /// The first 1,000 problems, by row.
    pub problems: Vec<Problem>,
    /// The first rows, as mapped.
    pub preview: Vec<PreviewRow>,
    /// The first data row's cells, by column (samples beside the mapping).
    pub first_row: Vec<String>,
    /// Whether the rows were written.
    pub committed: bool,
}

impl ImportReport {
    /// Whether a commit would be refused.
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Field → header; `None`: the profile's, else guessed.
    pub mapping: Option<Mapping>,
    /// A saved profile's name.
    pub profile: Option<String>,
    pub on_match: Option<OnMatch>,
    pub dry_run: bool,
}

/// Where an import stands, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    Checking { done: usize, total: usize },
    Writing { done: usize, total: usize },
}

/// A saved mapping.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportProfile {
    pub name: String,
    pub entity: ImportEntity,
    pub mapping: Mapping,
    pub on_match: OnMatch,
    pub version: i32,
    pub updated_at: chrono::DateTime<Utc>,
}

fn profile_of(r: store::ProfileRow) -> Option<ImportProfile> {
    Some(ImportProfile {
        entity: r.entity.parse().ok()?,
        mapping: serde_json::from_str(&r.mapping).unwrap_or_default(),
        on_match: OnMatch::parse(&r.on_match).unwrap_or_default(),
        name: r.name,
        version: r.version,
        updated_at: r.updated_at,
    })
}

/// A file waiting in the import wizard.
#[derive(Debug, Clone)]
pub struct StagedFile {
    pub id: Uuid,
    pub entity: ImportEntity,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The collected problems of a run.
#[derive(Default)]
struct Problems {
    list: Vec<Problem>,
    errors: usize,
    warnings: usize,
    /// Rows (their numbers) that have an error.
    bad_rows: std::collections::HashSet<usize>,
}

impl Problems {
    fn push(&mut self, p: Problem) {
        match p.severity {
            Severity::Error => {
                self.errors += 1;
                self.bad_rows.insert(p.row);
            }
            Severity::Warning => self.warnings += 1,
        }
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(p);
        }
    }
}

/// Where a field's column is in the table.
struct Column {
    index: usize,
    header: String,
    /// The field it is mapped to (its kind says how cells are read).
    spec: &'static FieldSpec,
}

/// Everything a row is checked against, loaded once.
struct Context {
    terms: HashMap<&'static str, Vec<(String, Vec<String>)>>,
    /// Folded organisation name / register number / id → id.
    organisations: HashMap<String, Uuid>,
    existing: HashMap<String, Uuid>,
    topics: Vec<String>,
    groups: Vec<String>,
}

/// A row ready to be written.
enum Ready {
    Organisation(msohub_store::organisations::OrganisationRow),
    Person(
        msohub_store::people::PersonRow,
        Option<(Uuid, String, Option<NaiveDate>)>,
    ),
    Offer(msohub_store::offers::OfferRow),
    Event(msohub_store::events::EventRow, Vec<Uuid>),
}

struct Planned {
    row: usize,
    existing: Option<Uuid>,
    ready: Ready,
}

fn err(
    row: usize,
    col: Option<&Column>,
    field: Option<&str>,
    rule: &str,
    detail: String,
) -> Problem {
    Problem {
        row,
        column: col.map(|c| read::column_letter(c.index)),
        header: col.map(|c| c.header.clone()),
        field: field.map(str::to_owned),
        rule: rule.to_owned(),
        detail,
        severity: Severity::Error,
    }
}

/// Splits a list cell at commas, semicolons and line breaks.
fn items(s: &str) -> impl Iterator<Item = &str> {
    s.split([',', ';', '\n', '|'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

fn parse_bool(s: &str) -> Option<bool> {
    match key(s).as_str() {
        "ja" | "j" | "yes" | "y" | "x" | "1" | "wahr" | "true" | "oeffentlich" | "offentlich" => {
            Some(true)
        }
        "nein" | "n" | "no" | "0" | "falsch" | "false" | "" | "intern" => Some(false),
        _ => None,
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    // A two-digit year is this century's ("3.5.26").
    let short_year = s.rsplit(['.', '/']).next().is_some_and(|y| y.len() == 2);
    let formats: &[&str] = if short_year {
        &["%d.%m.%y", "%d/%m/%y"]
    } else {
        &["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
    };
    for fmt in formats {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    None
}

fn parse_time(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches("Uhr").trim().replace('.', ":");
    let t = chrono::NaiveTime::parse_from_str(&s, "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(&s, "%H:%M:%S"))
        .or_else(|_| chrono::NaiveTime::parse_from_str(&format!("{s}:00"), "%H:%M"))
        .ok()?;
    Some(t.format("%H:%M").to_string())
}

fn parse_datetime(s: &str) -> Option<String> {
    let s = s.trim().replace(" Uhr", "");
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d.trim(), Some(t.trim())),
        None => (s.as_str(), None),
    };
    let date = parse_date(date)?;
    let time = match time {
        Some(t) if !t.is_empty() => parse_time(t.trim_end_matches(',').trim())?,
        _ => "00:00".to_owned(),
    };
    Some(format!("{}T{time}", date.format("%Y-%m-%d")))
}

fn language_code(s: &str) -> Option<&'static str> {
    let k = key(s);
    msohub_domain::offers::OFFER_LANGUAGES
        .iter()
        .find(|(code, de, en)| {
            k == *code || key(de) == k || key(en) == k || key(de).starts_with(&k) && k.len() > 4
        })
        .map(|(code, _, _)| *code)
        .or_else(|| {
            [
                ("deutsch", "de"),
                ("farsi", "fa"),
                ("dari", "fa"),
                ("persisch", "fa"),
                ("somali", "so"),
                ("urdu", "ur"),
                ("paschtu", "ps"),
                ("vietnamesisch", "vi"),
                ("chinesisch", "zh"),
            ]
            .iter()
            .find(|(w, _)| k == *w)
            .map(|(_, c)| *c)
        })
}

fn choice(options: &[(&'static str, &[&str])], s: &str) -> Option<&'static str> {
    let k = key(s);
    options
        .iter()
        .find(|(code, words)| key(code) == k || words.iter().any(|w| key(w) == k))
        .map(|(code, _)| *code)
}

impl Services {
    /// The saved profiles of one kind of import.
    pub async fn import_profiles(
        &self,
        actor: &Actor,
        entity: ImportEntity,
    ) -> Result<Vec<ImportProfile>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        Ok(store::profiles(self.store.conn(), entity.as_str())
            .await?
            .into_iter()
            .filter_map(profile_of)
            .collect())
    }

    pub async fn import_profile(
        &self,
        actor: &Actor,
        entity: ImportEntity,
        name: &str,
    ) -> Result<ImportProfile, Error> {
        actor.require(Permission::ReadStaffArea)?;
        store::find_profile(self.store.conn(), entity.as_str(), name.trim())
            .await?
            .and_then(profile_of)
            .ok_or(Error::NotFound)
    }

    /// Saves a mapping under a name. `version` 0 creates it (an existing
    /// name is then a conflict); otherwise it must be the stored version.
    pub async fn save_import_profile(
        &self,
        actor: &Actor,
        entity: ImportEntity,
        name: &str,
        mapping: &Mapping,
        on_match: OnMatch,
        version: i32,
    ) -> Result<ImportProfile, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let name = msohub_domain::organisation::parse_name("name", name, 100)
            .map_err(|e| Error::field(e.field, e.rule))?;
        for field in mapping.keys() {
            if entity.field(field).is_none() {
                return Err(Error::field("mapping", "field-unknown"));
            }
        }
        let json = serde_json::to_string(mapping).map_err(|e| Error::Internal(Box::new(e)))?;
        let tx = self.store.begin().await?;
        let existing = store::find_profile(&tx, entity.as_str(), &name).await?;
        let now = Utc::now();
        let row = match existing {
            None if version == 0 => {
                store::insert_profile(
                    &tx,
                    store::ProfileRow {
                        id: Uuid::now_v7(),
                        entity: entity.as_str().to_owned(),
                        name: name.clone(),
                        mapping: json,
                        on_match: on_match.as_str().to_owned(),
                        version: 1,
                        created_at: now,
                        updated_at: now,
                    },
                )
                .await?
            }
            Some(row) if row.version == version => {
                store::update_profile(
                    &tx,
                    store::ProfileRow {
                        mapping: json,
                        on_match: on_match.as_str().to_owned(),
                        updated_at: now,
                        ..row
                    },
                )
                .await?
            }
            None => return Err(Error::NotFound),
            Some(_) => return Err(Error::stale()),
        };
        crate::audit::record(
            &tx,
            actor,
            "import_profile",
            row.id,
            if row.version == 1 { "create" } else { "update" },
            None,
            Some(serde_json::json!({ "entity": row.entity, "name": row.name, "mapping": mapping, "on_match": row.on_match })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        profile_of(row).ok_or(Error::NotFound)
    }

    pub async fn delete_import_profile(
        &self,
        actor: &Actor,
        entity: ImportEntity,
        name: &str,
    ) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let tx = self.store.begin().await?;
        let row = store::find_profile(&tx, entity.as_str(), name.trim())
            .await?
            .ok_or(Error::NotFound)?;
        store::delete_profile(&tx, row.id).await?;
        crate::audit::record(&tx, actor, "import_profile", row.id, "delete", None, None).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// Keeps an uploaded file for the wizard's next steps (uploads older
    /// than a day are removed on the way).
    pub async fn stage_import(
        &self,
        actor: &Actor,
        entity: ImportEntity,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<Uuid, Error> {
        actor.require(Permission::WriteStaffArea)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(Error::field("file", "file-too-large"));
        }
        let tx = self.store.begin().await?;
        store::delete_uploads_before(&tx, Utc::now() - chrono::Duration::days(1)).await?;
        let id = Uuid::now_v7();
        store::insert_upload(
            &tx,
            store::UploadRow {
                id,
                entity: entity.as_str().to_owned(),
                file_name: file_name.chars().take(255).collect(),
                size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                data: bytes,
                user_id: actor.user_id,
                created_at: Utc::now(),
            },
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(id)
    }

    /// Removes wizard uploads older than a day (run by the server hourly).
    pub async fn purge_stale_imports(&self) -> Result<u64, Error> {
        Ok(
            store::delete_uploads_before(self.store.conn(), Utc::now() - chrono::Duration::days(1))
                .await?,
        )
    }

    /// A staged file; only its uploader (or an administrator) gets it.
    pub async fn staged_import(&self, actor: &Actor, id: Uuid) -> Result<StagedFile, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let row = store::find_upload(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        if row.user_id != actor.user_id && !actor.can(Permission::ManageUsers) {
            return Err(Error::NotFound);
        }
        Ok(StagedFile {
            id: row.id,
            entity: row.entity.parse().map_err(|()| Error::NotFound)?,
            file_name: row.file_name,
            bytes: row.data,
        })
    }

    pub async fn discard_staged_import(&self, actor: &Actor, id: Uuid) -> Result<(), Error> {
        self.staged_import(actor, id).await?;
        store::delete_upload(self.store.conn(), id).await?;
        Ok(())
    }

    /// Reads, maps and checks a file; writes it unless `dry_run` or any
    /// row has an error. `progress` is called now and then.
    pub async fn import(
        &self,
        actor: &Actor,
        entity: ImportEntity,
        file_name: &str,
        bytes: &[u8],
        options: &ImportOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<ImportReport, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let profile = match &options.profile {
            Some(name) if !name.trim().is_empty() => Some(
                store::find_profile(self.store.conn(), entity.as_str(), name.trim())
                    .await?
                    .and_then(profile_of)
                    .ok_or_else(|| Error::field("profile", "not-found"))?,
            ),
            _ => None,
        };
        let on_match = options
            .on_match
            .or(profile.as_ref().map(|p| p.on_match))
            .unwrap_or_default();
        let mut report = ImportReport {
            entity,
            file_name: file_name.to_owned(),
            format: String::new(),
            encoding: String::new(),
            separator: None,
            sheet: None,
            headers: Vec::new(),
            mapping: Mapping::new(),
            on_match,
            rows: 0,
            create: 0,
            update: 0,
            skip: 0,
            errors: 0,
            warnings: 0,
            problems: Vec::new(),
            preview: Vec::new(),
            first_row: Vec::new(),
            committed: false,
        };
        if bytes.len() as u64 > MAX_FILE_BYTES {
            report.errors = 1;
            report.problems.push(err(
                0,
                None,
                None,
                "file-too-large",
                format!("Die Datei ist größer als {} MB.", MAX_FILE_BYTES >> 20),
            ));
            return Ok(report);
        }
        // Reading a large file takes a while: off the async threads.
        let owned_name = file_name.to_owned();
        let owned = bytes.to_vec();
        let table = tokio::task::spawn_blocking(move || {
            read::read_table(&owned, &owned_name, Limits::default())
        })
        .await
        .map_err(|e| Error::Internal(Box::new(e)))?;
        let table = match table {
            Ok(t) => t,
            Err(e) => {
                report.errors = 1;
                report
                    .problems
                    .push(err(0, None, None, "file-unreadable", e.to_string()));
                return Ok(report);
            }
        };
        report.format = table.format.as_str().to_owned();
        report.encoding = table.encoding.to_owned();
        report.separator = table.separator.map(|c| match c {
            '\t' => "tab".to_owned(),
            c => c.to_string(),
        });
        report.sheet.clone_from(&table.sheet);
        report.headers.clone_from(&table.headers);
        report.rows = table.rows.len();
        report.first_row = table.rows.first().map_or_else(Vec::new, |r| {
            r.cells.iter().map(|c| c.as_str().to_owned()).collect()
        });
        let mapping = options
            .mapping
            .clone()
            .or(profile.map(|p| p.mapping))
            .unwrap_or_else(|| guess_mapping(entity, &table.headers));
        report.mapping = mapping.clone();
        let mut problems = Problems::default();
        for p in &table.problems {
            problems.push(Problem {
                row: p.row,
                column: p.column.clone(),
                header: None,
                field: None,
                rule: p.code.to_owned(),
                detail: p.detail.clone(),
                // Extra cells may hide a shifted row: an error. Empty or
                // repeated headers only matter if mapped (checked below).
                severity: if p.code == "cells-extra" {
                    Severity::Error
                } else {
                    Severity::Warning
                },
            });
        }
        let columns = map_columns(entity, &table, &mapping, &mut problems);
        let Some(columns) = columns else {
            return Ok(finish(report, problems));
        };
        let ctx = self.import_context(entity).await?;
        let mut planned: Vec<Planned> = Vec::with_capacity(table.rows.len());
        let mut preview = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let total = table.rows.len();
        for (i, row) in table.rows.iter().enumerate() {
            if i % 500 == 0 {
                progress(Progress::Checking { done: i, total });
                tokio::task::yield_now().await;
            }
            let values = row_values(&columns, row, &ctx, &mut problems);
            let match_key = match_key(entity, &values);
            if let Some(k) = &match_key {
                if let Some(first) = seen.get(k) {
                    problems.push(err(
                        row.number,
                        None,
                        None,
                        "match-repeated",
                        format!("Die Zeile beschreibt denselben Datensatz wie Zeile {first}."),
                    ));
                } else {
                    seen.insert(k.clone(), row.number);
                }
            }
            let existing = match_key
                .as_ref()
                .and_then(|k| ctx.existing.get(k))
                .copied();
            // A second organisation with a register number that is taken
            // would fail at the commit; say so at the row instead.
            if existing.is_some()
                && on_match == OnMatch::Create
                && match_key.as_deref().is_some_and(|k| k.starts_with("reg:"))
            {
                let col = columns.get("register_number");
                problems.push(err(
                    row.number,
                    col,
                    Some("register_number"),
                    "taken",
                    cell_text(col, row),
                ));
            }
            let action = match (existing, on_match) {
                (Some(_), OnMatch::Skip) => RowAction::Skip,
                (Some(_), OnMatch::Update) => RowAction::Update,
                _ => RowAction::Create,
            };
            let target = if action == RowAction::Update {
                existing
            } else {
                None
            };
            let ready = if action == RowAction::Skip {
                None
            } else {
                match self.check_row(entity, &ctx, &values, target).await {
                    Ok(ready) => Some(ready),
                    Err(Error::Validation(errors)) => {
                        for e in errors {
                            let col = columns.get(field_of(entity, &e.field));
                            problems.push(err(
                                row.number,
                                col,
                                Some(&e.field),
                                &e.rule,
                                cell_text(col, row),
                            ));
                        }
                        None
                    }
                    Err(Error::Conflict(msg)) => {
                        problems.push(err(row.number, None, None, "conflict", msg));
                        None
                    }
                    Err(other) => return Err(other),
                }
            };
            let bad = problems.bad_rows.contains(&row.number);
            match action {
                RowAction::Skip => report.skip += 1,
                _ if bad => {}
                RowAction::Update => report.update += 1,
                _ => report.create += 1,
            }
            if preview.len() < PREVIEW_ROWS {
                preview.push(PreviewRow {
                    row: row.number,
                    action: if bad { RowAction::Invalid } else { action },
                    values: values
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), v.clone()))
                        .collect(),
                    matches: existing,
                });
            }
            if let (Some(ready), false) = (ready, bad) {
                planned.push(Planned {
                    row: row.number,
                    existing: target,
                    ready,
                });
            }
        }
        progress(Progress::Checking { done: total, total });
        report.preview = preview;
        if problems.errors > 0 || options.dry_run {
            return Ok(finish(report, problems));
        }
        self.write_import(actor, entity, &report, planned, progress)
            .await?;
        report.committed = true;
        Ok(finish(report, problems))
    }

    async fn import_context(&self, entity: ImportEntity) -> Result<Context, Error> {
        let conn = self.store.conn();
        let mut terms = HashMap::new();
        for vocabulary in ["topic", "target_group", "offer_category"] {
            terms.insert(
                vocabulary,
                self.terms(vocabulary)
                    .await?
                    .into_iter()
                    .filter(|t| !t.retired)
                    .map(|t| {
                        (
                            t.code.clone(),
                            vec![key(&t.code), key(&t.label_de), key(&t.label_en)],
                        )
                    })
                    .collect(),
            );
        }
        let (topics, groups) = self.term_codes().await?;
        let orgs = msohub_store::organisations::all_live(conn).await?;
        let mut organisations = HashMap::new();
        let mut existing = HashMap::new();
        for o in &orgs {
            organisations.insert(o.id.to_string(), o.id);
            organisations.entry(key(&o.name)).or_insert(o.id);
            if let Some(r) = &o.register_number {
                organisations.entry(key(r)).or_insert(o.id);
            }
            if entity == ImportEntity::Organisations {
                if let Some(r) = &o.register_number {
                    existing.insert(format!("reg:{}", key(r)), o.id);
                }
                existing.insert(
                    format!(
                        "name:{}:{}",
                        key(&o.name),
                        o.postcode.as_deref().unwrap_or("")
                    ),
                    o.id,
                );
            }
        }
        match entity {
            ImportEntity::Organisations => {}
            ImportEntity::Persons => {
                for (id, given, family, email) in store::person_keys(conn).await? {
                    if let Some(e) = email {
                        existing.insert(format!("mail:{}", e.to_lowercase()), id);
                    }
                    existing.insert(format!("name:{}:{}", key(&given), key(&family)), id);
                }
            }
            ImportEntity::Offers => {
                for (id, org, title) in store::offer_keys(conn).await? {
                    existing.insert(format!("{org}:{}", key(&title)), id);
                }
            }
            ImportEntity::Events => {
                for (id, title, starts) in store::event_keys(conn).await? {
                    existing.insert(
                        format!("{}:{}", key(&title), crate::time::local_input(starts)),
                        id,
                    );
                }
            }
        }
        Ok(Context {
            terms,
            organisations,
            existing,
            topics,
            groups,
        })
    }

    /// Checks one row with the entity's own validation; `target` is the
    /// existing record it updates.
    async fn check_row(
        &self,
        entity: ImportEntity,
        ctx: &Context,
        values: &BTreeMap<&'static str, String>,
        target: Option<Uuid>,
    ) -> Result<Ready, Error> {
        let conn = self.store.conn();
        match entity {
            ImportEntity::Organisations => {
                let (base, current) = match target {
                    Some(id) => {
                        let row = msohub_store::organisations::find(conn, id)
                            .await?
                            .ok_or(Error::NotFound)?;
                        (Organisation::from(&row).to_input(), Some(row))
                    }
                    None => (
                        OrganisationInput {
                            kind: "mso".into(),
                            ..OrganisationInput::default()
                        },
                        None,
                    ),
                };
                let input: OrganisationInput = overlay(&base, values)?;
                let mut row = crate::organisations::validate(&input, &ctx.topics, &ctx.groups)?;
                if let Some(current) = current {
                    row.version = current.version;
                }
                Ok(Ready::Organisation(row))
            }
            ImportEntity::Persons => {
                let base = match target {
                    Some(id) => crate::people::PersonInput::of(&self.person_in(id).await?),
                    None => crate::people::PersonInput::default(),
                };
                let mut person_values = values.clone();
                let organisation = person_values.remove("organisation");
                let role = person_values.remove("role").unwrap_or_default();
                let from = person_values.remove("from");
                let input: crate::people::PersonInput = overlay(&base, &person_values)?;
                let row = crate::people::validate(&input)?;
                let affiliation = match organisation.filter(|o| !o.is_empty()) {
                    None => {
                        if !role.is_empty() {
                            return Err(Error::field("organisation", "required"));
                        }
                        None
                    }
                    Some(org) => {
                        let org: Uuid = org
                            .parse()
                            .map_err(|_| Error::field("organisation", "organisation-unknown"))?;
                        let role = msohub_domain::organisation::parse_optional("role", &role, 100)
                            .map_err(|e| Error::field(e.field, e.rule))?
                            .unwrap_or_else(|| "Mitglied".to_owned());
                        let from = match from.filter(|f| !f.is_empty()) {
                            None => None,
                            Some(f) => Some(
                                NaiveDate::parse_from_str(&f, "%Y-%m-%d")
                                    .map_err(|_| Error::field("from", "date-invalid"))?,
                            ),
                        };
                        Some((org, role, from))
                    }
                };
                Ok(Ready::Person(row, affiliation))
            }
            ImportEntity::Offers => {
                let current = match target {
                    Some(id) => Some(
                        msohub_store::offers::find_offer(conn, id)
                            .await?
                            .ok_or(Error::NotFound)?,
                    ),
                    None => None,
                };
                let base = match &current {
                    Some(row) => self.offer_input_of(row.clone()).await?,
                    None => crate::offers::OfferInput {
                        is_public: true,
                        ..Default::default()
                    },
                };
                let mut values = values.clone();
                // The place follows from what the row gives, unless a
                // column says it.
                if !values.contains_key("location_kind") {
                    let has = |k: &str| values.get(k).is_some_and(|v| !v.is_empty());
                    if has("street") {
                        values.insert("location_kind", "other".into());
                    } else if has("online_link") {
                        values.insert("location_kind", "online".into());
                    }
                }
                // A cost column with an amount ("5 € pro Termin").
                if let Some(cost) = values.get("cost_kind").cloned()
                    && !cost.is_empty()
                    && choice(COST, &cost).is_none()
                {
                    values.insert("cost_kind", "amount".into());
                    values.insert("cost_text", cost);
                }
                let input: crate::offers::OfferInput = overlay(&base, &values)?;
                let row = self.validate_offer(&input, current.as_ref()).await?;
                Ok(Ready::Offer(row))
            }
            ImportEntity::Events => {
                let current = match target {
                    Some(id) => Some(
                        msohub_store::events::find_event(conn, id)
                            .await?
                            .ok_or(Error::NotFound)?,
                    ),
                    None => None,
                };
                let base = match target {
                    Some(id) => self.event_input_of(id).await?,
                    None => crate::events::EventInput {
                        mode: "in_person".into(),
                        status: "planned".into(),
                        is_public: true,
                        ..Default::default()
                    },
                };
                let mut values = values.clone();
                if !values.contains_key("mode")
                    && values.get("online_link").is_some_and(|v| !v.is_empty())
                {
                    let in_person = values.get("place").is_some_and(|v| !v.is_empty());
                    values.insert("mode", if in_person { "hybrid" } else { "digital" }.into());
                }
                let input: crate::events::EventInput = overlay(&base, &values)?;
                let (row, organisers) = self.validate_event(&input, current.as_ref()).await?;
                Ok(Ready::Event(row, organisers))
            }
        }
    }

    /// Writes the checked rows in one transaction, then updates the search
    /// indexes.
    async fn write_import(
        &self,
        actor: &Actor,
        entity: ImportEntity,
        report: &ImportReport,
        planned: Vec<Planned>,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<(), Error> {
        let total = planned.len();
        let tx = self.store.begin().await?;
        let mut organisations = Vec::new();
        let mut offers = Vec::new();
        for (i, p) in planned.into_iter().enumerate() {
            if i % 500 == 0 {
                progress(Progress::Writing { done: i, total });
            }
            let conflict = |row: usize| {
                move |e: Error| match e {
                    Error::Conflict(_) => Error::Conflict(format!(
                        "Zeile {row}: der Datensatz wurde während des Imports geändert; bitte erneut prüfen."
                    )),
                    e => e,
                }
            };
            match p.ready {
                Ready::Organisation(row) => {
                    let org = match p.existing {
                        None => crate::organisations::insert_in(&tx, actor, row).await?,
                        Some(id) => {
                            let current = msohub_store::organisations::find(&tx, id)
                                .await?
                                .ok_or(Error::NotFound)?;
                            if current.version != row.version {
                                return Err(conflict(p.row)(Error::Conflict(String::new())));
                            }
                            crate::organisations::update_in(&tx, actor, current, row)
                                .await
                                .map_err(conflict(p.row))?
                        }
                    };
                    organisations.push(org);
                }
                Ready::Person(row, affiliation) => {
                    let id = match p.existing {
                        None => self.insert_person_in(&tx, actor, row).await?.id,
                        Some(id) => {
                            let current = msohub_store::people::find_person(&tx, id)
                                .await?
                                .ok_or(Error::NotFound)?;
                            self.update_person_in(&tx, actor, current, row)
                                .await
                                .map_err(conflict(p.row))?;
                            id
                        }
                    };
                    if let Some((org, role, from)) = affiliation {
                        let already = msohub_store::people::affiliations_of_person(&tx, id)
                            .await?
                            .iter()
                            .any(|a| {
                                a.organisation_id == org && a.role == role && a.to_date.is_none()
                            });
                        if !already {
                            crate::people::add_affiliation_in(
                                &tx, actor, id, org, role, from, None,
                            )
                            .await?;
                        }
                    }
                }
                Ready::Offer(row) => {
                    let row = match p.existing {
                        None => crate::offers::insert_offer_in(&tx, actor, row).await?,
                        Some(id) => {
                            let current = msohub_store::offers::find_offer(&tx, id)
                                .await?
                                .ok_or(Error::NotFound)?;
                            crate::offers::update_offer_in(&tx, actor, &current, row, "update")
                                .await
                                .map_err(conflict(p.row))?
                        }
                    };
                    offers.push(row);
                }
                Ready::Event(row, organisers) => {
                    match p.existing {
                        None => {
                            crate::events::insert_event_in(&tx, actor, row, &organisers).await?
                        }
                        Some(id) => {
                            let current = msohub_store::events::find_event(&tx, id)
                                .await?
                                .ok_or(Error::NotFound)?;
                            let before: Vec<Uuid> = msohub_store::events::organisers_of(&tx, &[id])
                                .await?
                                .into_iter()
                                .map(|(_, o)| o)
                                .collect();
                            crate::events::update_event_in(
                                &tx,
                                actor,
                                &current,
                                &before,
                                row,
                                &organisers,
                            )
                            .await
                            .map_err(conflict(p.row))?
                        }
                    };
                }
            }
        }
        crate::audit::record(
            &tx,
            actor,
            "import",
            Uuid::now_v7(),
            "import",
            None,
            Some(serde_json::json!({
                "entity": entity.as_str(),
                "file_name": report.file_name,
                "format": report.format,
                "rows": report.rows,
                "created": report.create,
                "updated": report.update,
                "skipped": report.skip,
            })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        progress(Progress::Writing { done: total, total });
        if !organisations.is_empty() {
            self.index_organisations(organisations).await?;
        }
        if !offers.is_empty() {
            for chunk in offers.chunks(10_000) {
                let assembled = self.assemble_offers(chunk.to_vec()).await?;
                self.index_offers(&assembled).await?;
            }
        }
        Ok(())
    }

    async fn person_in(&self, id: Uuid) -> Result<crate::people::Person, Error> {
        self.get_person(&Actor::cli(), id).await
    }

    async fn offer_input_of(
        &self,
        row: msohub_store::offers::OfferRow,
    ) -> Result<crate::offers::OfferInput, Error> {
        Ok(self
            .assemble_offers(vec![row])
            .await?
            .pop()
            .ok_or(Error::NotFound)?
            .to_input())
    }

    async fn event_input_of(&self, id: Uuid) -> Result<crate::events::EventInput, Error> {
        Ok(self.get_event(&Actor::cli(), id).await?.to_input())
    }
}

fn finish(mut report: ImportReport, problems: Problems) -> ImportReport {
    report.errors = problems.errors;
    report.warnings = problems.warnings;
    let mut list = problems.list;
    list.sort_by_key(|p| p.row);
    report.problems = list;
    if report.errors > 0 {
        report.create = 0;
        report.update = 0;
    }
    report
}

/// The field a validation error names, as the import's field key (the
/// person's affiliation fields and the offer's cost are folded in).
fn field_of(entity: ImportEntity, field: &str) -> &str {
    match (entity, field) {
        (ImportEntity::Offers, "cost_text") => "cost_kind",
        (ImportEntity::Persons, "organisation_id") => "organisation",
        (ImportEntity::Organisations, "coordinates") => "latitude",
        _ => field,
    }
}

fn cell_text(col: Option<&Column>, row: &read::Row) -> String {
    col.and_then(|c| row.cells.get(c.index))
        .map(|v| {
            let s = v.as_str();
            if s.chars().count() > 80 {
                format!("„{}…“", s.chars().take(80).collect::<String>())
            } else {
                format!("„{s}“")
            }
        })
        .unwrap_or_default()
}

/// Checks the mapping against the file: fields exist, headers exist, no
/// required field is left out. `None` when the rows cannot be checked.
fn map_columns(
    entity: ImportEntity,
    table: &Table,
    mapping: &Mapping,
    problems: &mut Problems,
) -> Option<HashMap<&'static str, Column>> {
    let mut columns = HashMap::new();
    let mut ok = true;
    let mut missing: Vec<&str> = Vec::new();
    for (field, header) in mapping {
        let Some(spec) = entity.field(field) else {
            problems.push(err(
                1,
                None,
                Some(field),
                "field-unknown",
                format!("Unbekanntes Feld „{field}“."),
            ));
            ok = false;
            continue;
        };
        if header.trim().is_empty() {
            continue;
        }
        let Some(index) = table.headers.iter().position(|h| h == header) else {
            // A profile made for a fuller file: optional fields just stay
            // out; a required one cannot.
            let mut problem = err(
                1,
                None,
                Some(field),
                "column-missing",
                format!("Die Spalte „{header}“ gibt es in der Datei nicht."),
            );
            if spec.required {
                ok = false;
            } else {
                problem.severity = Severity::Warning;
            }
            problems.push(problem);
            missing.push(spec.key);
            continue;
        };
        columns.insert(
            spec.key,
            Column {
                index,
                header: header.clone(),
                spec,
            },
        );
    }
    for spec in entity.fields().iter().filter(|s| s.required) {
        if !columns.contains_key(spec.key) && !missing.contains(&spec.key) {
            problems.push(err(
                1,
                None,
                Some(spec.key),
                "mapping-required",
                format!(
                    "Das Pflichtfeld „{}“ ist keiner Spalte zugeordnet.",
                    spec.label_de
                ),
            ));
            ok = false;
        }
    }
    ok.then_some(columns)
}

/// The mapped cells of a row, turned into the values the entity's input
/// takes (codes for labels, ids for organisation names, ISO dates).
fn row_values(
    columns: &HashMap<&'static str, Column>,
    row: &read::Row,
    ctx: &Context,
    problems: &mut Problems,
) -> BTreeMap<&'static str, String> {
    let mut out = BTreeMap::new();
    for (field, col) in columns {
        let cell = row.cells.get(col.index).cloned().unwrap_or(Value::Empty);
        let raw = cell.as_str().trim();
        let spec = col.spec;
        let mut bad = |rule: &str| {
            problems.push(err(
                row.number,
                Some(col),
                Some(field),
                rule,
                format!("„{raw}“"),
            ));
        };
        let value = if raw.is_empty() {
            String::new()
        } else {
            match spec.kind {
                Kind::Text => raw.to_owned(),
                Kind::Postcode => match &cell {
                    // A spreadsheet drops a postcode's leading zero.
                    Value::Number(n) if n.len() < 5 && n.chars().all(|c| c.is_ascii_digit()) => {
                        format!("{n:0>5}")
                    }
                    _ => raw.to_owned(),
                },
                Kind::Phone => {
                    if matches!(cell, Value::Number(_)) {
                        problems.push(Problem {
                            severity: Severity::Warning,
                            ..err(row.number, Some(col), Some(field), "phone-number-cell", format!("„{raw}“ war in der Tabelle eine Zahl; eine führende 0 fehlt womöglich."))
                        });
                    }
                    raw.to_owned()
                }
                Kind::Date => match parse_date(raw) {
                    Some(d) => d.format("%Y-%m-%d").to_string(),
                    None => {
                        bad("date-invalid");
                        String::new()
                    }
                },
                Kind::DateTime => match parse_datetime(raw) {
                    Some(t) => t,
                    None => {
                        bad("datetime-invalid");
                        String::new()
                    }
                },
                Kind::Time => match parse_time(raw) {
                    Some(t) => t,
                    None => {
                        bad("time-invalid");
                        String::new()
                    }
                },
                Kind::Bool => match parse_bool(raw) {
                    Some(b) => b.to_string(),
                    None => {
                        bad("bool-invalid");
                        String::new()
                    }
                },
                Kind::Choice(options) => match choice(options, raw) {
                    Some(code) => code.to_owned(),
                    // Offer costs take an amount as text.
                    None if *field == "cost_kind" => raw.to_owned(),
                    None => {
                        bad("choice-unknown");
                        String::new()
                    }
                },
                Kind::Languages => {
                    let mut codes: Vec<String> = Vec::new();
                    for item in items(raw) {
                        // Unknown two-letter codes go on to the entity's
                        // own check, which names them.
                        let code = language_code(item).map(str::to_owned).or_else(|| {
                            (item.len() == 2 && item.is_ascii()).then(|| item.to_ascii_lowercase())
                        });
                        match code {
                            Some(c) => {
                                if !codes.contains(&c) {
                                    codes.push(c);
                                }
                            }
                            None => {
                                bad("language-code-unknown");
                                break;
                            }
                        }
                    }
                    codes.join(", ")
                }
                Kind::Terms(vocabulary, many) => {
                    let known = ctx
                        .terms
                        .get(vocabulary)
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    let mut codes: Vec<String> = Vec::new();
                    let parts: Vec<&str> = if many {
                        items(raw).collect()
                    } else {
                        vec![raw]
                    };
                    for item in parts {
                        let k = key(item);
                        match known.iter().find(|(_, words)| words.contains(&k)) {
                            Some((code, _)) => {
                                if !codes.contains(code) {
                                    codes.push(code.clone());
                                }
                            }
                            None => {
                                bad("term-unknown");
                                break;
                            }
                        }
                    }
                    codes.join(",")
                }
                Kind::Organisation(many) => {
                    let parts: Vec<&str> = if many {
                        raw.split([';', '\n', '|'])
                            .map(str::trim)
                            .filter(|x| !x.is_empty())
                            .collect()
                    } else {
                        vec![raw]
                    };
                    let mut ids = Vec::new();
                    for item in parts {
                        let found = ctx
                            .organisations
                            .get(item)
                            .or_else(|| ctx.organisations.get(&key(item)));
                        match found {
                            Some(id) => ids.push(id.to_string()),
                            None => {
                                bad("organisation-unknown");
                                break;
                            }
                        }
                    }
                    ids.join(",")
                }
            }
        };
        out.insert(spec.key, value);
    }
    out
}

/// The key a row is matched by, or `None` when the row cannot say.
fn match_key(entity: ImportEntity, v: &BTreeMap<&'static str, String>) -> Option<String> {
    let get = |k: &str| v.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    match entity {
        ImportEntity::Organisations => {
            if let Some(r) = get("register_number") {
                return Some(format!("reg:{}", key(r)));
            }
            let postcode = get("postcode").unwrap_or("");
            get("name").map(|n| format!("name:{}:{postcode}", key(n)))
        }
        ImportEntity::Persons => {
            if let Some(e) = get("email") {
                return Some(format!("mail:{}", e.to_lowercase()));
            }
            Some(format!(
                "name:{}:{}",
                key(get("given_name")?),
                key(get("family_name")?)
            ))
        }
        ImportEntity::Offers => Some(format!(
            "{}:{}",
            get("organisation_id")?,
            key(get("title")?)
        )),
        ImportEntity::Events => Some(format!("{}:{}", key(get("title")?), get("starts_at")?)),
    }
}

/// The base input with the row's values laid over it (through JSON, so
/// each input type's own lenient parsing applies).
fn overlay<T: Serialize + serde::de::DeserializeOwned>(
    base: &T,
    values: &BTreeMap<&'static str, String>,
) -> Result<T, Error> {
    let mut json = serde_json::to_value(base).map_err(|e| Error::Internal(Box::new(e)))?;
    let Some(object) = json.as_object_mut() else {
        return Err(Error::field("body", "object-required"));
    };
    for (field, value) in values {
        let slot = object.get(*field);
        let new = match slot {
            Some(serde_json::Value::Bool(_)) => serde_json::Value::Bool(value == "true"),
            Some(serde_json::Value::Array(_)) => serde_json::Value::Array(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| serde_json::Value::String(s.to_owned()))
                    .collect(),
            ),
            _ => serde_json::Value::String(value.clone()),
        };
        object.insert((*field).to_owned(), new);
    }
    serde_json::from_value(json)
        .map_err(|e| Error::Validation(vec![FieldError::new("row", &format!("invalid: {e}"))]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_guessed_in_german_and_english() {
        let headers: Vec<String> = [
            "Vereinsname",
            "PLZ",
            "Straße",
            "E-Mail-Adresse",
            "Tel.",
            "Homepage",
            "VR-Nummer",
            "Notizen",
            "unbekannt",
        ]
        .map(str::to_owned)
        .to_vec();
        let m = guess_mapping(ImportEntity::Organisations, &headers);
        assert_eq!(m.get("name").map(String::as_str), Some("Vereinsname"));
        assert_eq!(m.get("postcode").map(String::as_str), Some("PLZ"));
        assert_eq!(m.get("street").map(String::as_str), Some("Straße"));
        assert_eq!(m.get("email").map(String::as_str), Some("E-Mail-Adresse"));
        assert_eq!(m.get("phone").map(String::as_str), Some("Tel."));
        assert_eq!(m.get("website").map(String::as_str), Some("Homepage"));
        assert_eq!(
            m.get("register_number").map(String::as_str),
            Some("VR-Nummer")
        );
        assert_eq!(m.get("internal_notes").map(String::as_str), Some("Notizen"));
        assert_eq!(m.len(), 8);
        let en: Vec<String> = ["Name", "Postcode", "City", "Phone"]
            .map(str::to_owned)
            .to_vec();
        let m = guess_mapping(ImportEntity::Organisations, &en);
        assert_eq!(m.len(), 4);
        // A person's "Name" is the family name; "Vorname" the given name.
        let p: Vec<String> = ["Vorname", "Name", "Verein", "Funktion"]
            .map(str::to_owned)
            .to_vec();
        let m = guess_mapping(ImportEntity::Persons, &p);
        assert_eq!(m.get("family_name").map(String::as_str), Some("Name"));
        assert_eq!(m.get("organisation").map(String::as_str), Some("Verein"));
        assert_eq!(m.get("role").map(String::as_str), Some("Funktion"));
    }

    #[test]
    fn values_are_read_as_people_write_them() {
        assert_eq!(parse_bool("Ja"), Some(true));
        assert_eq!(parse_bool("x"), Some(true));
        assert_eq!(parse_bool("nein"), Some(false));
        assert_eq!(parse_bool("vielleicht"), None);
        assert_eq!(
            parse_date("03.05.2026"),
            NaiveDate::from_ymd_opt(2026, 5, 3)
        );
        assert_eq!(parse_date("3.5.26"), NaiveDate::from_ymd_opt(2026, 5, 3));
        assert_eq!(
            parse_datetime("03.05.2026 18:30").as_deref(),
            Some("2026-05-03T18:30")
        );
        assert_eq!(
            parse_datetime("2026-05-03T18:30").as_deref(),
            Some("2026-05-03T18:30")
        );
        assert_eq!(
            parse_datetime("03.05.2026 18 Uhr").as_deref(),
            Some("2026-05-03T18:00")
        );
        assert_eq!(parse_time("18.30"), Some("18:30".into()));
        assert_eq!(language_code("Türkisch"), Some("tr"));
        assert_eq!(language_code("arabic"), Some("ar"));
        assert_eq!(language_code("de"), Some("de"));
        assert_eq!(language_code("Farsi"), Some("fa"));
        assert_eq!(choice(KINDS, "Migrantenselbstorganisation"), Some("mso"));
        assert_eq!(choice(LEGAL, "e. V."), Some("ev"));
        assert_eq!(choice(COST, "kostenlos"), Some("free"));
    }
}
