//! Backup and restore as one portable archive, the same for SQLite and
//! PostgreSQL (so it is also the way from one to the other).
//!
//! The archive is a zip file:
//! - `manifest.json`: format name and version, the schema version (how
//!   many migrations the database had, and the last one's name), when,
//!   from which database, and per table its row count and the SHA-256 of
//!   its file;
//! - `tables/{table}.jsonl`: one row per line, as `msohub_store::backup`
//!   dumps it (typed by the entity model, canonical order, times to the
//!   microsecond). File contents (logos, attachments) are rows too.
//!
//! A backup reads every table in one read-only transaction: a consistent
//! snapshot while the application keeps running. Written to a file
//! ([`file`]), it goes to a temporary name, is synced, read back and
//! checked table by table, and only then renamed to its name. A restore
//! goes into a new database only, checks every table file against its
//! checksum first ([`archive`]), brings an archive of an older schema up
//! to this one or refuses it, loads everything in one transaction, dumps
//! it again inside that transaction and commits only when every table's
//! checksum equals the archive's: what was saved is what is there, or
//! nothing is.

pub mod archive;
pub mod file;
pub mod schedule;

use crate::{Error, Services};
use msohub_store::backup as tables;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};

pub use archive::{Checked, Schema};

const FORMAT: &str = "msohub-backup";
/// 2: the manifest names the schema version. 1 (no schema version) is
/// read as schema 19, the last one such archives were written at.
const VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// sqlite or postgres
    pub source: String,
    pub msohub: String,
    /// How many migrations the database had (format 2 on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<u32>,
    /// The last of them, e.g. `m0019_projects`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_name: Option<String>,
    pub tables: Vec<TableEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableEntry {
    pub name: String,
    pub rows: u64,
    pub sha256: String,
}

impl Manifest {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

pub(crate) fn fail(message: impl Into<String>) -> Error {
    Error::Internal(Box::new(msohub_store::Error::Backup(message.into())))
}

/// A backup error in words for the operator: the store's message
/// (`backup: …`, `database error: …`), not "internal error".
pub fn message(e: &Error) -> String {
    match e {
        Error::Internal(source) => {
            let text = source.to_string();
            text.strip_prefix("backup: ")
                .map_or(text.clone(), str::to_owned)
        }
        other => other.to_string(),
    }
}

/// A table's rows as JSON lines, and their checksum.
pub(crate) fn lines(rows: &[serde_json::Value]) -> (Vec<u8>, String) {
    let mut out = Vec::new();
    for r in rows {
        out.extend_from_slice(r.to_string().as_bytes());
        out.push(b'\n');
    }
    let sum = hex::encode(Sha256::digest(&out));
    (out, sum)
}

impl Services {
    /// Writes the whole database as an archive; returns its manifest and
    /// the writer (to flush and sync: a write error at the end must not go
    /// unnoticed). A database whose schema is not this msohub's (older:
    /// not migrated; newer: columns this build does not know) is refused,
    /// so an archive never silently lacks data.
    pub async fn backup<W: Write + std::io::Seek>(&self, out: W) -> Result<(Manifest, W), Error> {
        // One snapshot for all tables.
        let tx = self.store.begin_snapshot().await?;
        let here = Schema::current();
        let known = tables::known_migrations();
        let mut applied = tables::applied_migrations(&tx).await?;
        applied.sort_by_key(|m| known.iter().position(|k| k == m).unwrap_or(usize::MAX));
        if applied != known {
            let there = Schema::of_database(&applied);
            let newer = applied.iter().any(|m| !known.contains(m));
            return Err(fail(format!(
                "the database is at schema version {there}, this msohub at {here}: {}",
                if newer {
                    "back it up with the msohub that runs it"
                } else {
                    "run `msohub migrate` first, or back it up with the msohub that runs it"
                }
            )));
        }
        let mut zip = zip::ZipWriter::new(out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut entries = Vec::new();
        for table in tables::TABLES {
            let rows = tables::dump(&tx, table).await?;
            let (bytes, sha256) = lines(&rows);
            zip.start_file(format!("tables/{table}.jsonl"), options)
                .map_err(|e| fail(e.to_string()))?;
            zip.write_all(&bytes).map_err(|e| fail(e.to_string()))?;
            entries.push(TableEntry {
                name: (*table).to_owned(),
                rows: rows.len() as u64,
                sha256,
            });
        }
        tx.rollback().await.map_err(msohub_store::Error::from)?;
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            version: VERSION,
            created_at: chrono::Utc::now(),
            source: self.backend().as_str().to_owned(),
            msohub: env!("CARGO_PKG_VERSION").to_owned(),
            schema: Some(here.number),
            schema_name: Some(here.name),
            tables: entries,
        };
        zip.start_file("manifest.json", options)
            .map_err(|e| fail(e.to_string()))?;
        zip.write_all(
            serde_json::to_string_pretty(&manifest)
                .map_err(|e| fail(e.to_string()))?
                .as_bytes(),
        )
        .map_err(|e| fail(e.to_string()))?;
        let mut out = zip.finish().map_err(|e| fail(e.to_string()))?;
        out.flush().map_err(|e| fail(e.to_string()))?;
        Ok((manifest, out))
    }

    /// Restores an archive into this (new, migrated) database; returns the
    /// archive's manifest once every table is back and checked. An archive
    /// of an older schema is brought up to this one first (or refused,
    /// naming both versions); one of a newer schema is refused.
    pub async fn restore(&self, archive: impl Read + std::io::Seek) -> Result<Manifest, Error> {
        let checked = archive::read(archive)?;
        let data = checked.upgraded()?;
        let tx = self.store.begin().await?;
        tables::prepare_empty(&tx).await?;
        let mut expected = Vec::new();
        for (table, rows) in data {
            expected.push((table.clone(), lines(&rows).1));
            tables::load(&tx, &table, rows).await?;
        }
        tables::after_load(&tx).await?;
        // What is in the database now must be what the archive holds.
        for (table, sha256) in &expected {
            let (_, now) = lines(&tables::dump(&tx, table).await?);
            if &now != sha256 {
                return Err(fail(format!(
                    "the table {table} reads back differently after the restore; nothing was kept"
                )));
            }
        }
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(checked.manifest)
    }

    /// The checksums of the database as it is now (table name, rows,
    /// SHA-256), as a backup would record them.
    pub async fn table_checksums(&self) -> Result<Vec<TableEntry>, Error> {
        let mut out = Vec::new();
        for table in tables::TABLES {
            let rows = tables::dump(self.store.conn(), table).await?;
            let (_, sha256) = lines(&rows);
            out.push(TableEntry {
                name: (*table).to_owned(),
                rows: rows.len() as u64,
                sha256,
            });
        }
        Ok(out)
    }
}
