//! Backup and restore as one portable archive, the same for SQLite and
//! PostgreSQL (so it is also the way from one to the other).
//!
//! The archive is a zip file:
//! - `manifest.json`: format name and version, when, from which database,
//!   and per table its row count and the SHA-256 of its file;
//! - `tables/{table}.jsonl`: one row per line, as `msohub_store::backup`
//!   dumps it (typed by the entity model, canonical order, times to the
//!   microsecond). File contents (logos, attachments) are rows too.
//!
//! A backup reads every table in one read-only transaction: a consistent
//! snapshot while the application keeps running. A restore goes into a new
//! database only, checks every table file against its checksum first,
//! loads everything in one transaction, dumps it again inside that
//! transaction and commits only when every table's checksum equals the
//! archive's: what was saved is what is there, or nothing is.

use crate::{Error, Services};
use msohub_store::backup as tables;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};

const FORMAT: &str = "msohub-backup";
const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// sqlite or postgres
    pub source: String,
    pub msohub: String,
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

fn fail(message: impl Into<String>) -> Error {
    Error::Internal(Box::new(msohub_store::Error::Backup(message.into())))
}

/// A table's rows as JSON lines, and their checksum.
fn lines(rows: &[serde_json::Value]) -> (Vec<u8>, String) {
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
    /// unnoticed).
    pub async fn backup<W: Write + std::io::Seek>(&self, out: W) -> Result<(Manifest, W), Error> {
        // One snapshot for all tables.
        let tx = self.store.begin_snapshot().await?;
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
    /// archive's manifest once every table is back and checked.
    pub async fn restore(&self, archive: impl Read + std::io::Seek) -> Result<Manifest, Error> {
        let mut zip = zip::ZipArchive::new(archive)
            .map_err(|e| fail(format!("the file is not a backup archive (no zip): {e}")))?;
        let manifest: Manifest = {
            let mut file = zip
                .by_name("manifest.json")
                .map_err(|_| fail("the archive has no manifest.json: not an msohub backup"))?;
            let mut text = String::new();
            file.read_to_string(&mut text)
                .map_err(|e| fail(e.to_string()))?;
            serde_json::from_str(&text).map_err(|e| fail(format!("manifest.json: {e}")))?
        };
        if manifest.format != FORMAT || manifest.version != VERSION {
            return Err(fail(format!(
                "this is a {} archive of version {}; this msohub reads {FORMAT} version {VERSION}",
                manifest.format, manifest.version
            )));
        }
        let named: Vec<&str> = manifest.tables.iter().map(|t| t.name.as_str()).collect();
        if named != tables::TABLES {
            return Err(fail(format!(
                "the archive's tables ({}) are not this version's ({})",
                named.join(", "),
                tables::TABLES.join(", ")
            )));
        }
        // Every table file read and checked before anything is written.
        let mut data = Vec::new();
        for entry in &manifest.tables {
            let mut file = zip
                .by_name(&format!("tables/{}.jsonl", entry.name))
                .map_err(|_| fail(format!("the archive lacks the table {}", entry.name)))?;
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes)
                .map_err(|e| fail(e.to_string()))?;
            if hex::encode(Sha256::digest(&bytes)) != entry.sha256 {
                return Err(fail(format!(
                    "the table {} does not match its checksum: the archive is damaged",
                    entry.name
                )));
            }
            let rows: Vec<serde_json::Value> = bytes
                .split(|b| *b == b'\n')
                .filter(|l| !l.is_empty())
                .map(serde_json::from_slice)
                .collect::<Result<_, _>>()
                .map_err(|e| fail(format!("{}: {e}", entry.name)))?;
            if rows.len() as u64 != entry.rows {
                return Err(fail(format!(
                    "the table {} has the wrong number of rows",
                    entry.name
                )));
            }
            data.push((entry.name.clone(), rows));
        }
        let tx = self.store.begin().await?;
        tables::prepare_empty(&tx).await?;
        for (table, rows) in data {
            tables::load(&tx, &table, rows).await?;
        }
        tables::after_load(&tx).await?;
        // What is in the database now must be what the archive holds.
        for entry in &manifest.tables {
            let (_, sha256) = lines(&tables::dump(&tx, &entry.name).await?);
            if sha256 != entry.sha256 {
                return Err(fail(format!(
                    "the table {} reads back differently after the restore; nothing was kept",
                    entry.name
                )));
            }
        }
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(manifest)
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
