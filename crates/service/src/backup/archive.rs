//! Reading an archive back: is it one, is every table what the manifest
//! says (row count and SHA-256), and which schema version was it written
//! at. Used by the backup (it reads back what it wrote), by
//! `msohub restore --check` and by every restore, before anything is
//! written.
//!
//! An archive of an older schema is brought up to this one by [`STEPS`]:
//! one step per migration since schema 19 (the first one format 2 names),
//! each doing to an archive's rows what its migration does to a
//! database's. A test fails when a migration is added without its step.

use super::{FORMAT, Manifest, VERSION, fail};
use crate::Error;
use msohub_store::backup as tables;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::Read;

/// A schema version: how many migrations, and the name of the last one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    pub number: u32,
    pub name: String,
}

impl std::fmt::Display for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.number, self.name)
    }
}

impl Schema {
    /// This msohub's schema version.
    pub fn current() -> Schema {
        Schema::of_database(&tables::known_migrations())
    }

    /// The version of a database with these migrations applied.
    pub fn of_database(applied: &[String]) -> Schema {
        Schema {
            number: applied.len() as u32,
            name: applied.last().cloned().unwrap_or_else(|| "none".to_owned()),
        }
    }
}

/// The schema format 1 archives (which do not say) were written at.
const FIRST: u32 = 19;

/// The rows of every table, in the archive's order.
pub type Tables = Vec<(String, Vec<Value>)>;

/// What a migration does to an archive's rows: brings an archive of
/// schema `to - 1` to schema `to`.
pub struct Step {
    pub to: u32,
    pub migration: &'static str,
    pub apply: fn(&mut Tables) -> Result<(), String>,
}

/// One step per migration after schema [`FIRST`], in order. A migration
/// that changes no table's shape gets a step that does nothing; one that
/// adds a column gets [`add_column`] with the column's default, a new
/// table [`add_table`].
pub const STEPS: &[Step] = &[
    Step {
        to: 20,
        migration: "m0020_surveys",
        apply: |t| {
            add_table(t, "beyond_item", "survey")?;
            add_table(t, "survey", "survey_recipient")?;
            add_table(t, "survey_recipient", "survey_answer")
        },
    },
    Step {
        to: 21,
        migration: "m0021_survey_links",
        apply: |t| {
            add_column(t, "survey_recipient", "link_generation", Value::from(0))?;
            add_column(t, "survey_recipient", "mailed_at", Value::Null)?;
            add_column(t, "outbox", "survey_id", Value::Null)?;
            add_column(t, "need", "source_answer_id", Value::Null)?;
            add_column(t, "need", "source_question", Value::from(""))
        },
    },
    Step {
        to: 22,
        migration: "m0022_report_needs",
        apply: |t| add_column(t, "report_text", "needs", Value::from("")),
    },
    Step {
        to: 23,
        migration: "m0023_mailings",
        apply: |t| {
            add_table(t, "survey_answer", "mailing")?;
            add_column(t, "outbox", "mailing_id", Value::Null)?;
            add_column(t, "outbox", "person_id", Value::Null)?;
            add_column(t, "outbox", "unsubscribe_url", Value::from(""))?;
            add_column(t, "outbox", "language", Value::from(""))?;
            add_column(t, "consent", "withdrawn_source", Value::from(""))
        },
    },
];

/// Adds a column with a value to every row of a table.
pub fn add_column(t: &mut Tables, table: &str, column: &str, value: Value) -> Result<(), String> {
    let (_, rows) = t
        .iter_mut()
        .find(|(name, _)| name == table)
        .ok_or_else(|| format!("the archive has no table {table}"))?;
    for row in rows {
        row.as_object_mut()
            .ok_or_else(|| format!("a row of {table} is not an object"))?
            .insert(column.to_owned(), value.clone());
    }
    Ok(())
}

/// Adds an empty table after another (parents before children).
pub fn add_table(t: &mut Tables, after: &str, table: &str) -> Result<(), String> {
    let at = t
        .iter()
        .position(|(name, _)| name == after)
        .ok_or_else(|| format!("the archive has no table {after}"))?;
    t.insert(at + 1, (table.to_owned(), Vec::new()));
    Ok(())
}

/// An archive read and checked: every table file matches the manifest.
#[derive(Debug)]
pub struct Checked {
    pub manifest: Manifest,
    /// The schema the archive was written at.
    pub schema: Schema,
    /// This msohub's.
    pub current: Schema,
    data: Tables,
}

impl Checked {
    /// What a restore would do about the schema, in words.
    pub fn schema_verdict(&self) -> Result<String, Error> {
        self.plan(STEPS).map(|steps| {
            if steps.is_empty() {
                format!("schema version {}, the same as this msohub's", self.schema)
            } else {
                format!(
                    "schema version {}, older than this msohub's {}: a restore migrates it ({})",
                    self.schema,
                    self.current,
                    steps
                        .iter()
                        .map(|s| s.migration)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        })
    }

    /// The steps from the archive's schema to this one, or why there are none.
    fn plan<'a>(&self, steps: &'a [Step]) -> Result<Vec<&'a Step>, Error> {
        let (from, to) = (&self.schema, &self.current);
        if from.number > to.number {
            return Err(fail(format!(
                "the archive is of schema version {from}, newer than this msohub's {to}: \
                 restore it with msohub {} or newer",
                self.manifest.msohub
            )));
        }
        (from.number + 1..=to.number)
            .map(|n| {
                steps.iter().find(|s| s.to == n).ok_or_else(|| {
                    fail(format!(
                        "the archive is of schema version {from}, older than this msohub's {to}, \
                         and this msohub cannot migrate an archive from before schema version {FIRST}: \
                         restore it with msohub {} into a new database, run `msohub migrate` \
                         with this msohub, and back it up again",
                        self.manifest.msohub
                    ))
                })
            })
            .collect()
    }

    /// The rows at this msohub's schema, in [`tables::TABLES`] order.
    pub fn upgraded(&self) -> Result<Tables, Error> {
        self.upgraded_with(STEPS)
    }

    fn upgraded_with(&self, steps: &[Step]) -> Result<Tables, Error> {
        let mut data = self.data.clone();
        for step in self.plan(steps)? {
            (step.apply)(&mut data).map_err(|e| {
                fail(format!(
                    "migrating the archive to schema version {} ({}) failed: {e}",
                    step.to, step.migration
                ))
            })?;
        }
        let named: Vec<&str> = data.iter().map(|(n, _)| n.as_str()).collect();
        if named != tables::TABLES {
            return Err(fail(format!(
                "the archive's tables ({}) are not those of schema version {} ({})",
                named.join(", "),
                self.current,
                tables::TABLES.join(", ")
            )));
        }
        Ok(data)
    }
}

/// Reads the whole archive and checks every table against the manifest
/// (checksum, then row count); says in words what is wrong with a file
/// that is not an archive, is damaged, or is one of another program.
pub fn read(archive: impl Read + std::io::Seek) -> Result<Checked, Error> {
    let mut zip = zip::ZipArchive::new(archive).map_err(|e| {
        fail(format!(
            "the file is not a backup archive (not a zip file, or cut short): {e}"
        ))
    })?;
    let manifest: Manifest = {
        let mut file = zip
            .by_name("manifest.json")
            .map_err(|_| fail("the archive has no manifest.json: not an msohub backup"))?;
        let mut text = String::new();
        file.read_to_string(&mut text)
            .map_err(|e| fail(format!("manifest.json cannot be read: {e}")))?;
        let raw: Value = serde_json::from_str(&text)
            .map_err(|e| fail(format!("manifest.json is not JSON: {e}")))?;
        if raw.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(fail(format!(
                "the archive is not an msohub backup (its manifest names the format {}, not {FORMAT})",
                raw.get("format")
                    .map_or("nothing".to_owned(), Value::to_string)
            )));
        }
        serde_json::from_value(raw).map_err(|e| fail(format!("manifest.json: {e}")))?
    };
    if manifest.version == 0 || manifest.version > VERSION {
        return Err(fail(format!(
            "the archive is of format version {}; this msohub reads versions 1 to {VERSION}: \
             restore it with msohub {} or newer",
            manifest.version, manifest.msohub
        )));
    }
    let schema = match (manifest.version, manifest.schema) {
        (1, _) => Schema {
            number: FIRST,
            name: tables::known_migrations()
                .get(FIRST as usize - 1)
                .cloned()
                .unwrap_or_default(),
        },
        (_, Some(number)) => Schema {
            number,
            name: manifest.schema_name.clone().unwrap_or_default(),
        },
        (_, None) => return Err(fail("the archive's manifest names no schema version")),
    };
    let mut data = Vec::new();
    for entry in &manifest.tables {
        if data.iter().any(|(n, _)| n == &entry.name) {
            return Err(fail(format!(
                "the manifest names the table {} twice",
                entry.name
            )));
        }
        let mut file = zip
            .by_name(&format!("tables/{}.jsonl", entry.name))
            .map_err(|_| fail(format!("the archive lacks the table {}", entry.name)))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| fail(format!("the table {} cannot be read: {e}", entry.name)))?;
        if hex::encode(Sha256::digest(&bytes)) != entry.sha256 {
            return Err(fail(format!(
                "the table {} does not match its checksum: the archive is damaged",
                entry.name
            )));
        }
        let rows: Vec<Value> = bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(serde_json::from_slice)
            .collect::<Result<_, _>>()
            .map_err(|e| fail(format!("{}: {e}", entry.name)))?;
        if rows.len() as u64 != entry.rows {
            return Err(fail(format!(
                "the table {} has {} rows, its manifest says {}",
                entry.name,
                rows.len(),
                entry.rows
            )));
        }
        data.push((entry.name.clone(), rows));
    }
    Ok(Checked {
        manifest,
        schema,
        current: Schema::current(),
        data,
    })
}

/// Reads an archive and checks that this msohub could restore it (every
/// table matches, the schema is this one or can be brought up to it);
/// does not touch any database.
pub fn check(archive: impl Read + std::io::Seek) -> Result<Checked, Error> {
    let checked = read(archive)?;
    checked.upgraded()?;
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::lines;

    fn archive(schema: u32, data: Tables) -> Checked {
        let tables = data
            .iter()
            .map(|(name, rows)| super::super::TableEntry {
                name: name.clone(),
                rows: rows.len() as u64,
                sha256: lines(rows).1,
            })
            .collect();
        Checked {
            manifest: Manifest {
                format: FORMAT.into(),
                version: VERSION,
                created_at: chrono::Utc::now(),
                source: "sqlite".into(),
                msohub: "0.1.0".into(),
                schema: Some(schema),
                schema_name: None,
                tables,
            },
            schema: Schema {
                number: schema,
                name: format!("m{schema:04}"),
            },
            current: Schema::current(),
            data,
        }
    }

    #[test]
    fn every_migration_after_the_first_archived_schema_has_its_archive_step() {
        let migrations = tables::known_migrations();
        assert_eq!(
            migrations.len(),
            FIRST as usize + STEPS.len(),
            "a migration was added: add its step to backup::archive::STEPS (what it does to \
             an older archive's rows), so backups of the schema before it still restore"
        );
        for (i, step) in STEPS.iter().enumerate() {
            assert_eq!(step.to as usize, FIRST as usize + i + 1);
            assert_eq!(step.migration, migrations[step.to as usize - 1]);
        }
    }

    #[test]
    fn an_older_archive_is_brought_up_step_by_step_and_a_missing_step_refuses() {
        // This schema's tables, as an archive one schema older would hold
        // them: without the last table and without one column.
        let current = Schema::current();
        let last = *tables::TABLES.last().unwrap();
        let mut data: Tables = tables::TABLES[..tables::TABLES.len() - 1]
            .iter()
            .map(|t| (t.to_string(), Vec::new()))
            .collect();
        data[0]
            .1
            .push(serde_json::json!({"key": "office", "value": "{}"}));
        let old = archive(current.number - 1, data);
        let steps = [Step {
            to: current.number,
            migration: "test",
            apply: |t| {
                add_column(t, "setting", "added", serde_json::json!(true))?;
                let before = t[t.len() - 1].0.clone();
                add_table(t, &before, tables::TABLES.last().unwrap())
            },
        }];
        let up = old.upgraded_with(&steps).unwrap();
        assert_eq!(up.last().unwrap().0, last);
        assert_eq!(up[0].1[0]["added"], true);
        let err = format!("{:?}", old.upgraded_with(&[]).unwrap_err());
        assert!(
            err.contains(&format!("schema version {}", current.number - 1))
                && err.contains(&current.to_string()),
            "{err}"
        );
        let newer = archive(current.number + 1, Vec::new());
        let err = format!("{:?}", newer.upgraded_with(&steps).unwrap_err());
        assert!(err.contains("newer than this msohub's"), "{err}");
    }
}
