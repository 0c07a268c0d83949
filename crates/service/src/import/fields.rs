//! The fields a column can be mapped to, per entity: their labels, the
//! header words (German and English) that mean them and how their cells
//! are read; and the mapping guessed from a file's headers.

use super::ImportEntity;
use super::cells::{
    COST, EVENT_MODE, EVENT_STATUS, KINDS, Kind, LEGAL, LOCATION, NEED_SOURCE, NEED_STATUS,
    NEED_URGENCY, OFFER_STATUS, key,
};
use std::collections::BTreeMap;

impl ImportEntity {
    /// The fields a column can be mapped to.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            ImportEntity::Organisations => ORGANISATION_FIELDS,
            ImportEntity::Persons => PERSON_FIELDS,
            ImportEntity::Offers => OFFER_FIELDS,
            ImportEntity::Events => EVENT_FIELDS,
            ImportEntity::Needs => NEED_FIELDS,
        }
    }
    pub fn field(self, key: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|f| f.key == key)
    }
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

/// Needs, as offices keep them in a spreadsheet (often last year's, entered
/// afterwards: the two days are what targets count by).
const NEED_FIELDS: &[FieldSpec] = &[
    req(f(
        "organisation_id",
        "Organisation",
        "Organisation",
        &["Verein", "MSO", "Name der Organisation", "organization"],
        Kind::Organisation(false),
    )),
    req(f(
        "category",
        "Kategorie",
        "Category",
        &["Bedarfskategorie", "Bereich", "Art des Bedarfs", "Thema"],
        Kind::Terms("need_category", false),
    )),
    req(f(
        "description",
        "Beschreibung",
        "Description",
        &["Bedarf", "Was wird benötigt", "Anliegen", "need"],
        Kind::Text,
    )),
    f(
        "source",
        "Quelle",
        "Source",
        &["Herkunft", "erfahren durch", "Woher"],
        Kind::Choice(NEED_SOURCE),
    ),
    f(
        "urgency",
        "Dringlichkeit",
        "Urgency",
        &["Priorität", "priority"],
        Kind::Choice(NEED_URGENCY),
    ),
    f(
        "status",
        "Status",
        "Status",
        &["Stand", "Bearbeitungsstand"],
        Kind::Choice(NEED_STATUS),
    ),
    f(
        "outcome",
        "Ergebnis",
        "Outcome",
        &["Was wurde getan", "Lösung", "Maßnahme", "result"],
        Kind::Text,
    ),
    f(
        "raised_on",
        "Bekannt seit",
        "Known since",
        &[
            "Erfasst am",
            "Datum",
            "gemeldet am",
            "Eingang",
            "raised on",
            "date",
        ],
        Kind::Date,
    ),
    f(
        "resolved_on",
        "Erledigt am",
        "Resolved on",
        &["gedeckt am", "abgeschlossen am", "Erledigung", "resolved"],
        Kind::Date,
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

/// For a field with fixed choices (kinds, legal forms, statuses, …): its
/// codes; empty for every other field.
pub fn choice_codes(entity: ImportEntity, field: &str) -> Vec<&'static str> {
    match entity.field(field).map(|f| f.kind) {
        Some(Kind::Choice(options)) => options.iter().map(|(code, _)| *code).collect(),
        _ => Vec::new(),
    }
}

/// The code a cell's text means for a field with fixed choices, as the
/// import reads it (by code, German or English word).
pub fn choice_code(entity: ImportEntity, field: &str, text: &str) -> Option<&'static str> {
    match entity.field(field)?.kind {
        Kind::Choice(options) => super::cells::choice(options, text),
        _ => None,
    }
}

/// Field key → column header text.
pub type Mapping = BTreeMap<String, String>;

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
}
