//! Checking: the mapping against the file, each row with the entity's own
//! validation on the record as it would be stored, matching rows to
//! existing records, and the report a dry run (or an import) gives back.

use super::cells::{COST, choice, key};
use super::fields::FieldSpec;
use super::{ImportEntity, MAX_PROBLEMS, Mapping, OnMatch};
use crate::organisations::{Organisation, OrganisationInput};
use crate::{Actor, Error, FieldError, Services};
use chrono::NaiveDate;
use msohub_exchange::read::{self, Table};
use msohub_store::imports as store;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Nothing is imported while it stands.
    Error,
    /// Imported, but worth a look.
    Warning,
}

/// One problem, where it is and what it is. Named `ImportProblem` in the
/// API's document: `Problem` is the error answer (RFC 9457).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = ImportProblem)]
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

/// The collected problems of a run.
#[derive(Default)]
pub(super) struct Problems {
    pub(super) list: Vec<Problem>,
    pub(super) errors: usize,
    pub(super) warnings: usize,
    /// Rows (their numbers) that have an error.
    pub(super) bad_rows: std::collections::HashSet<usize>,
}

impl Problems {
    pub(super) fn push(&mut self, p: Problem) {
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
pub(super) struct Column {
    pub(super) index: usize,
    pub(super) header: String,
    /// The field it is mapped to (its kind says how cells are read).
    pub(super) spec: &'static FieldSpec,
}

/// Everything a row is checked against, loaded once.
pub(super) struct Context {
    pub(super) terms: HashMap<&'static str, Vec<(String, Vec<String>)>>,
    /// Folded organisation name / register number / id → id.
    pub(super) organisations: HashMap<String, Uuid>,
    pub(super) existing: HashMap<String, Uuid>,
    pub(super) topics: Vec<String>,
    pub(super) groups: Vec<String>,
}

/// A row ready to be written.
pub(super) enum Ready {
    Organisation(msohub_store::organisations::OrganisationRow),
    Person(
        msohub_store::people::PersonRow,
        Option<(Uuid, String, Option<NaiveDate>)>,
    ),
    Offer(msohub_store::offers::OfferRow),
    Event(msohub_store::events::EventRow, Vec<Uuid>),
    Need(msohub_store::work::NeedRow),
}

pub(super) struct Planned {
    pub(super) row: usize,
    pub(super) existing: Option<Uuid>,
    pub(super) ready: Ready,
}

pub(super) fn err(
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

impl Services {
    pub(super) async fn import_context(&self, entity: ImportEntity) -> Result<Context, Error> {
        let conn = self.store.conn();
        let mut terms = HashMap::new();
        for vocabulary in ["topic", "target_group", "offer_category", "need_category"] {
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
            ImportEntity::Needs => {
                for (id, org, description) in store::need_keys(conn).await? {
                    existing.insert(format!("{org}:{}", key(&description)), id);
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
    pub(super) async fn check_row(
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
            ImportEntity::Needs => {
                let current = match target {
                    Some(id) => Some(
                        msohub_store::work::find_need(conn, id)
                            .await?
                            .ok_or(Error::NotFound)?,
                    ),
                    None => None,
                };
                let base = match &current {
                    Some(row) => self
                        .assemble_needs(vec![row.clone()])
                        .await?
                        .remove(0)
                        .to_input(),
                    None => crate::needs::NeedInput {
                        source: "other".into(),
                        status: "open".into(),
                        ..Default::default()
                    },
                };
                let mut values = values.clone();
                // A resolved day without a status: the need was met.
                if !values.contains_key("status")
                    && values.get("resolved_on").is_some_and(|v| !v.is_empty())
                {
                    values.insert("status", "addressed".into());
                }
                let input: crate::needs::NeedInput = overlay(&base, &values)?;
                let row = self.validate_need(&input, current.as_ref()).await?;
                Ok(Ready::Need(row))
            }
        }
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

pub(super) fn finish(mut report: ImportReport, problems: Problems) -> ImportReport {
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
pub(super) fn field_of(entity: ImportEntity, field: &str) -> &str {
    match (entity, field) {
        (ImportEntity::Offers, "cost_text") => "cost_kind",
        (ImportEntity::Persons, "organisation_id") => "organisation",
        (ImportEntity::Organisations, "coordinates") => "latitude",
        _ => field,
    }
}

pub(super) fn cell_text(col: Option<&Column>, row: &read::Row) -> String {
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
pub(super) fn map_columns(
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

/// The key a row is matched by, or `None` when the row cannot say.
pub(super) fn match_key(
    entity: ImportEntity,
    v: &BTreeMap<&'static str, String>,
) -> Option<String> {
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
        ImportEntity::Needs => Some(format!(
            "{}:{}",
            get("organisation_id")?,
            key(get("description")?)
        )),
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
