//! Whole entity types out, as CSV, XLSX or JSON: every live record of a
//! type, in the shape the JSON API gives it, so an export and the API never
//! disagree.
//!
//! Two styles: for machines (the API's default and the re-import format:
//! field names as columns, `id` first, codes, ISO 8601 times, lists joined,
//! references by name; JSON keeps each record whole) and for people
//! (German or English headers, labels instead of codes, Berlin time, ja /
//! nein). This module loads the records and renders the machine style;
//! the people's style is written by `msohub-docs` (`export`), which has
//! the words, from the same records and the term labels given here.
//!
//! Who may read a type through the staff area may export it; every export
//! is in the audit log (type, format, style, rows), without the data.

use crate::{Actor, Error, Services, audit};
use msohub_exchange::{Cell, CsvOptions};
use serde_json::Value;
use std::str::FromStr;

/// The record types that can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportEntity {
    Organisations,
    Persons,
    Offers,
    Events,
    Contacts,
    Meetings,
    Needs,
}

impl ExportEntity {
    pub const ALL: [ExportEntity; 7] = [
        ExportEntity::Organisations,
        ExportEntity::Persons,
        ExportEntity::Offers,
        ExportEntity::Events,
        ExportEntity::Contacts,
        ExportEntity::Meetings,
        ExportEntity::Needs,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExportEntity::Organisations => "organisations",
            ExportEntity::Persons => "persons",
            ExportEntity::Offers => "offers",
            ExportEntity::Events => "events",
            ExportEntity::Contacts => "contacts",
            ExportEntity::Meetings => "meetings",
            ExportEntity::Needs => "needs",
        }
    }
}

impl FromStr for ExportEntity {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        ExportEntity::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .or((s == "interactions").then_some(ExportEntity::Contacts))
            .ok_or_else(|| {
                Error::Validation(vec![crate::FieldError::new(
                    "entity",
                    "export-entity-unknown",
                )])
            })
    }
}

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv(CsvOptions),
    Xlsx,
    Json,
}

impl ExportFormat {
    /// `csv` (German Excel: `;` and a BOM), `csv-standard` (`,`, no BOM),
    /// `xlsx`, `json`.
    pub fn parse(format: &str, separator: Option<&str>, bom: Option<bool>) -> Result<Self, Error> {
        let invalid =
            |field: &str, rule: &str| Error::Validation(vec![crate::FieldError::new(field, rule)]);
        match format {
            "csv" | "csv-standard" => {
                let mut options = if format == "csv" {
                    CsvOptions::EXCEL_DE
                } else {
                    CsvOptions::STANDARD
                };
                match separator {
                    None | Some("") => {}
                    Some("semicolon" | ";") => options.separator = b';',
                    Some("comma" | ",") => options.separator = b',',
                    Some("tab") => options.separator = b'\t',
                    Some(_) => return Err(invalid("separator", "separator-unknown")),
                }
                if let Some(bom) = bom {
                    options.bom = bom;
                }
                Ok(ExportFormat::Csv(options))
            }
            "xlsx" => Ok(ExportFormat::Xlsx),
            "json" => Ok(ExportFormat::Json),
            _ => Err(invalid("format", "format-unknown")),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv(_) => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv(_) => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ExportFormat::Json => "application/json",
        }
    }
}

/// Who an export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportStyle {
    /// Headers in words, labels, local dates, ja/nein (staff pages).
    #[default]
    People,
    /// Field names, codes, ISO 8601 (the API, re-import, other software).
    Machine,
}

impl ExportStyle {
    /// `people` or `machine`; `None` (or empty) is `default`.
    pub fn parse(style: Option<&str>, default: ExportStyle) -> Result<Self, Error> {
        match style.map(str::trim) {
            None | Some("") => Ok(default),
            Some("people") => Ok(ExportStyle::People),
            Some("machine") => Ok(ExportStyle::Machine),
            Some(_) => Err(Error::field("style", "style-unknown")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExportStyle::People => "people",
            ExportStyle::Machine => "machine",
        }
    }
}

/// What an export holds: the records as the API gives them, and every
/// term of the vocabularies (for labels).
#[derive(Debug, Clone)]
pub struct ExportData {
    pub entity: ExportEntity,
    pub records: Vec<Value>,
    /// Vocabulary → its terms, retired ones included.
    pub terms: std::collections::HashMap<String, Vec<crate::organisations::Term>>,
    /// Filtered (a list's export), not every record of the type.
    pub filtered: bool,
}

/// Records are read in pages of this many.
const PAGE: u64 = 500;

fn json<T: serde::Serialize>(items: Vec<T>) -> Result<Vec<Value>, Error> {
    items
        .into_iter()
        .map(|i| serde_json::to_value(i).map_err(|e| Error::Internal(Box::new(e))))
        .collect()
}

/// Walks a cursor-paged list to its end.
macro_rules! all_pages {
    ($query:expr, $list:expr) => {{
        let mut q = $query;
        let mut out = Vec::new();
        loop {
            let page = $list(&q).await?;
            out.extend(json(page.items)?);
            match page.next_cursor {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
        }
        out
    }};
}

impl Services {
    /// Every live record of one type, as the API shows it.
    pub async fn export_records(
        &self,
        actor: &Actor,
        entity: ExportEntity,
    ) -> Result<Vec<Value>, Error> {
        actor.require(msohub_domain::Permission::ReadStaffArea)?;
        Ok(match entity {
            // One query, not pages of the list: without the search index
            // (the command line) every list page would also count facets
            // over all rows, which made 100,000 rows take a minute.
            ExportEntity::Organisations => {
                let mut rows = msohub_store::organisations::all_live(self.store.conn()).await?;
                rows.sort_by(|a, b| (&a.name_sort, a.id).cmp(&(&b.name_sort, b.id)));
                json(
                    rows.iter()
                        .map(crate::organisations::Organisation::from)
                        .collect::<Vec<_>>(),
                )?
            }
            ExportEntity::Offers => all_pages!(
                crate::offers::OfferQuery {
                    limit: PAGE,
                    ..Default::default()
                },
                |q| self.list_offers(actor, q)
            ),
            ExportEntity::Contacts => all_pages!(
                crate::interactions::InteractionQuery {
                    limit: PAGE,
                    ascending: true,
                    ..Default::default()
                },
                |q| self.list_interactions(actor, q)
            ),
            ExportEntity::Meetings => all_pages!(
                crate::meetings::MeetingQuery {
                    limit: PAGE,
                    ascending: true,
                    ..Default::default()
                },
                |q| self.list_meetings(actor, q)
            ),
            ExportEntity::Needs => all_pages!(
                crate::needs::NeedQuery {
                    limit: PAGE,
                    ..Default::default()
                },
                |q| self.list_needs(actor, q)
            ),
            ExportEntity::Persons => self.all_persons(actor, "").await?,
            ExportEntity::Events => {
                let q = crate::events::EventQuery {
                    ascending: true,
                    ..Default::default()
                };
                self.all_events(actor, &q).await?
            }
        })
    }

    /// One record type as a file for machines; the export is recorded in
    /// the audit log.
    pub async fn export(
        &self,
        actor: &Actor,
        entity: ExportEntity,
        format: ExportFormat,
    ) -> Result<Vec<u8>, Error> {
        let records = self.export_records(actor, entity).await?;
        let bytes = render(entity, format, &records)?;
        self.record_export(
            actor,
            entity,
            format,
            ExportStyle::Machine,
            records.len(),
            false,
        )
        .await?;
        Ok(bytes)
    }

    /// What an export of every record of a type, or of a list with its
    /// filters, holds; the caller renders it and then calls
    /// [`Services::exported`].
    pub async fn export_data(
        &self,
        actor: &Actor,
        source: ExportSource,
    ) -> Result<ExportData, Error> {
        let (entity, records, filtered) = match source {
            ExportSource::All(entity) => (entity, self.export_records(actor, entity).await?, false),
            ExportSource::List(query) => {
                let (entity, records) = self.list_records(actor, query).await?;
                (entity, records, true)
            }
        };
        let mut terms = std::collections::HashMap::new();
        for vocabulary in crate::taxonomies::VOCABULARIES {
            terms.insert((*vocabulary).to_owned(), self.terms(vocabulary).await?);
        }
        Ok(ExportData {
            entity,
            records,
            terms,
            filtered,
        })
    }

    /// Records a rendered export in the audit log.
    pub async fn exported(
        &self,
        actor: &Actor,
        data: &ExportData,
        format: ExportFormat,
        style: ExportStyle,
    ) -> Result<(), Error> {
        self.record_export(
            actor,
            data.entity,
            format,
            style,
            data.records.len(),
            data.filtered,
        )
        .await
    }

    /// Every person whose name or e-mail contains `text`, all pages.
    async fn all_persons(&self, actor: &Actor, text: &str) -> Result<Vec<Value>, Error> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self
                .list_persons(actor, text, cursor.as_deref(), PAGE)
                .await?;
            out.extend(json(page.items)?);
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        Ok(out)
    }

    /// Every event the query matches, all pages.
    async fn all_events(
        &self,
        actor: &Actor,
        q: &crate::events::EventQuery,
    ) -> Result<Vec<Value>, Error> {
        let mut out = Vec::new();
        let mut offset = 0;
        loop {
            let (items, total) = self.list_events(actor, q, offset, PAGE).await?;
            offset += items.len() as u64;
            let done = items.is_empty() || offset >= total;
            out.extend(json(items)?);
            if done {
                break;
            }
        }
        Ok(out)
    }

    /// The audit entry of an export: type, format, rows, whether filtered
    /// (never the data).
    async fn record_export(
        &self,
        actor: &Actor,
        entity: ExportEntity,
        format: ExportFormat,
        style: ExportStyle,
        rows: usize,
        filtered: bool,
    ) -> Result<(), Error> {
        let tx = self.store.begin().await?;
        audit::record(
            &tx,
            actor,
            "export",
            entity.as_str(),
            "export",
            None,
            Some(serde_json::json!({
                "format": format.extension(),
                "style": match format {
                    ExportFormat::Json => ExportStyle::Machine,
                    _ => style,
                }
                .as_str(),
                "rows": rows,
                "filtered": filtered,
            })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }
}

/// A list with its current filters, for exporting just what it shows.
#[derive(Debug, Clone)]
pub enum ListQuery {
    Organisations(crate::organisations::OrgQuery),
    Offers(crate::offers::OfferQuery),
    Events(crate::events::EventQuery),
    Contacts(crate::interactions::InteractionQuery),
    /// Persons whose name or e-mail contains these words.
    Persons(String),
}

/// What to export: every live record of a type, or what a list shows.
#[derive(Debug, Clone)]
pub enum ExportSource {
    All(ExportEntity),
    List(ListQuery),
}

impl Services {
    /// Every record a filtered list holds (all pages) as a file for
    /// machines; recorded in the audit log like a whole export, marked as
    /// filtered.
    pub async fn export_list(
        &self,
        actor: &Actor,
        query: ListQuery,
        format: ExportFormat,
    ) -> Result<Vec<u8>, Error> {
        let (entity, records) = self.list_records(actor, query).await?;
        let bytes = render(entity, format, &records)?;
        self.record_export(
            actor,
            entity,
            format,
            ExportStyle::Machine,
            records.len(),
            true,
        )
        .await?;
        Ok(bytes)
    }

    /// Every record a filtered list holds, all pages.
    async fn list_records(
        &self,
        actor: &Actor,
        query: ListQuery,
    ) -> Result<(ExportEntity, Vec<Value>), Error> {
        Ok(match query {
            ListQuery::Organisations(q) => (
                ExportEntity::Organisations,
                all_pages!(
                    crate::organisations::OrgQuery {
                        limit: crate::organisations::MAX_PAGE,
                        cursor: None,
                        ..q
                    },
                    |q| self.list_organisations(actor, q)
                ),
            ),
            ListQuery::Offers(q) => (
                ExportEntity::Offers,
                all_pages!(
                    crate::offers::OfferQuery {
                        limit: PAGE,
                        cursor: None,
                        ..q
                    },
                    |q| self.list_offers(actor, q)
                ),
            ),
            ListQuery::Contacts(q) => (
                ExportEntity::Contacts,
                all_pages!(
                    crate::interactions::InteractionQuery {
                        limit: PAGE,
                        cursor: None,
                        ..q
                    },
                    |q| self.list_interactions(actor, q)
                ),
            ),
            ListQuery::Persons(text) => {
                (ExportEntity::Persons, self.all_persons(actor, &text).await?)
            }
            ListQuery::Events(q) => (ExportEntity::Events, self.all_events(actor, &q).await?),
        })
    }
}

/// The file for a list of records.
pub fn render(
    entity: ExportEntity,
    format: ExportFormat,
    records: &[Value],
) -> Result<Vec<u8>, Error> {
    match format {
        ExportFormat::Json => {
            serde_json::to_vec_pretty(records).map_err(|e| Error::Internal(Box::new(e)))
        }
        ExportFormat::Csv(options) => {
            let (headers, rows) = table(records);
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            let rows = rows
                .into_iter()
                .map(|row| row.iter().map(|c| c.to_text(false)).collect::<Vec<_>>());
            Ok(msohub_exchange::csv_table(&headers, rows, options))
        }
        ExportFormat::Xlsx => {
            let (headers, rows) = table(records);
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            msohub_exchange::xlsx_table(entity.as_str(), &headers, &rows)
                .map_err(|e| Error::Internal(Box::new(e)))
        }
    }
}

/// Columns: `id` first, then the other fields in alphabetical order (the
/// union over all records); one row per record.
fn table(records: &[Value]) -> (Vec<String>, Vec<Vec<Cell>>) {
    let mut headers: Vec<String> = Vec::new();
    for r in records {
        if let Value::Object(map) = r {
            for k in map.keys() {
                if !headers.contains(k) {
                    headers.push(k.clone());
                }
            }
        }
    }
    headers.sort_by(|a, b| (a != "id").cmp(&(b != "id")).then(a.cmp(b)));
    let rows = records
        .iter()
        .map(|r| {
            headers
                .iter()
                .map(|h| cell(r.get(h).unwrap_or(&Value::Null)))
                .collect()
        })
        .collect();
    (headers, rows)
}

fn cell(v: &Value) -> Cell {
    match v {
        Value::Null => Cell::Empty,
        Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        Value::Bool(b) => Cell::Text(if *b { "true" } else { "false" }.to_owned()),
        other => Cell::from(text(other)),
    }
}

/// A value as one cell's text: lists joined by ", ", references by name.
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => items
            .iter()
            .map(text)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(map) => match map.get("name") {
            Some(Value::String(name)) => name.clone(),
            _ if map.is_empty() => String::new(),
            _ => v.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn records_flatten_into_rows_with_id_first() {
        let records = vec![
            json!({"name": "=HYPERLINK(\"x\")", "id": "a", "postcode": "01067", "member_count": 12,
                   "languages": ["tr", "de"], "organisation": {"id": "o", "name": "Verein"},
                   "is_public": true, "notes": null}),
            json!({"id": "b", "name": "Zweiter", "extra": {"k": 1}}),
        ];
        let (headers, rows) = table(&records);
        assert_eq!(headers[0], "id");
        let col = |h: &str| headers.iter().position(|x| x == h).unwrap();
        assert_eq!(rows[0][col("postcode")], Cell::Text("01067".into()));
        assert_eq!(rows[0][col("member_count")], Cell::Number(12.0));
        assert_eq!(rows[0][col("languages")], Cell::Text("tr, de".into()));
        assert_eq!(rows[0][col("organisation")], Cell::Text("Verein".into()));
        assert_eq!(rows[0][col("is_public")], Cell::Text("true".into()));
        assert_eq!(rows[0][col("notes")], Cell::Empty);
        assert_eq!(rows[1][col("postcode")], Cell::Empty);
        assert_eq!(rows[1][col("extra")], Cell::Text("{\"k\":1}".into()));
        let csv = render(
            ExportEntity::Organisations,
            ExportFormat::parse("csv", None, None).unwrap(),
            &records,
        )
        .unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("'=HYPERLINK"), "formula neutralised: {csv}");
        assert!(
            csv.lines().nth(1).unwrap().ends_with(";01067"),
            "postcode kept as text: {csv}"
        );
    }

    #[test]
    fn formats_and_entities_parse_or_say_what_is_wrong() {
        assert_eq!(
            ExportFormat::parse("csv", Some("comma"), Some(false)).unwrap(),
            ExportFormat::Csv(CsvOptions {
                separator: b',',
                bom: false
            })
        );
        assert!(ExportFormat::parse("pdf", None, None).is_err());
        assert!(ExportFormat::parse("csv", Some("pipe"), None).is_err());
        assert_eq!(
            "interactions".parse::<ExportEntity>().unwrap(),
            ExportEntity::Contacts
        );
        assert!("users".parse::<ExportEntity>().is_err());
    }
}
