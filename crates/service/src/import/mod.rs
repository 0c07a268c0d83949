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
//!
//! Each step has a file of its name: `fields` (what a column can be mapped
//! to, with the header words that mean it), `cells` (how a cell's text
//! becomes a field's value), `profiles` (saved mappings), `check` (the
//! mapping, each row, matching and the report of a dry run) and `commit`
//! (the write). This file holds what a caller passes in, the wizard's
//! staged uploads and the run itself: read → map → check → commit.

mod cells;
mod check;
mod commit;
mod fields;
mod profiles;

pub use cells::Kind;
pub use check::{ImportReport, PreviewRow, Problem, RowAction, Severity};
pub use fields::{FieldSpec, Mapping, choice_code, choice_codes, guess_mapping};
pub use profiles::ImportProfile;

use crate::{Actor, Error, Services};
use cells::row_values;
use check::{Planned, Problems, cell_text, err, field_of, finish, map_columns, match_key};
use chrono::Utc;
use msohub_domain::Permission;
use msohub_exchange::read::{self, Limits};
use msohub_store::imports as store;
use profiles::profile_of;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
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
    Needs,
}

impl ImportEntity {
    pub const ALL: [ImportEntity; 5] = [
        ImportEntity::Organisations,
        ImportEntity::Persons,
        ImportEntity::Offers,
        ImportEntity::Events,
        ImportEntity::Needs,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ImportEntity::Organisations => "organisations",
            ImportEntity::Persons => "persons",
            ImportEntity::Offers => "offers",
            ImportEntity::Events => "events",
            ImportEntity::Needs => "needs",
        }
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

/// A file waiting in the import wizard.
#[derive(Debug, Clone)]
pub struct StagedFile {
    pub id: Uuid,
    pub entity: ImportEntity,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl Services {
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
}
