//! Archives as files, so that a crash (power loss, SIGKILL) at any moment
//! leaves either a complete, checked archive or none under the name:
//! - a backup is written to a temporary name beside the target, synced,
//!   read back and checked table by table against what was dumped, and
//!   only then renamed (and the folder synced);
//! - a restore into a new SQLite file builds the database under a
//!   temporary name and renames it into place when complete; into
//!   PostgreSQL (or an existing file) it is one transaction.
//!
//! Temporary files start with `.` and end in `.partial-{pid}` (backups)
//! or `.restoring-{pid}` (restores); those a crash left behind are removed
//! by the next restore of the same file and by the scheduled backups.

use super::{Manifest, archive, fail};
use crate::{DatabaseUrl, Error, Services};
use std::path::{Path, PathBuf};

/// A backup written, read back and checked.
#[derive(Debug, Clone)]
pub struct Written {
    pub manifest: Manifest,
    pub path: PathBuf,
    pub bytes: u64,
}

/// `folder/.name.{what}-{pid}`: beside the target, so the rename stays on
/// one file system.
fn temporary(path: &Path, what: &str) -> Result<PathBuf, Error> {
    let name = path
        .file_name()
        .ok_or_else(|| fail(format!("{} names no file", path.display())))?;
    Ok(path.with_file_name(format!(
        ".{}.{what}-{}",
        name.to_string_lossy(),
        std::process::id()
    )))
}

/// Makes a rename durable: the folder's entry is on the disk too.
fn sync_folder(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::File::open(folder)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// A new file only its owner can read (an archive holds personal data
/// and secrets).
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Removes what crashed runs left for `path` (`.name.{what}-*`).
pub fn remove_leftovers(path: &Path, what: &str) {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let prefix = format!(".{}.{what}-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Services {
    /// Writes a backup to `path` (which must not exist): to a temporary
    /// name first, synced, read back and checked (every table's row count
    /// and checksum as dumped), then renamed. On any failure nothing is
    /// left under `path` and the error says what went wrong.
    pub async fn backup_to_file(&self, path: &Path) -> Result<Written, Error> {
        if path.exists() {
            return Err(fail(format!(
                "cannot create {}: it exists already, and a backup never replaces a file",
                path.display()
            )));
        }
        let temp = temporary(path, "partial")?;
        let result = self.write_checked(path, &temp).await;
        if result.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        result
    }

    async fn write_checked(&self, path: &Path, temp: &Path) -> Result<Written, Error> {
        let io = |what: &str, e: std::io::Error| fail(format!("{what} {}: {e}", temp.display()));
        let file = private_file(temp).map_err(|e| io("cannot create", e))?;
        let (manifest, writer) = self.backup(std::io::BufWriter::new(file)).await?;
        let file = writer
            .into_inner()
            .map_err(|e| fail(format!("writing {}: {}", temp.display(), e.error())))?;
        file.sync_all().map_err(|e| io("cannot sync", e))?;
        drop(file);
        // Read back from the disk: what is there must be what was dumped.
        let reread = std::fs::File::open(temp).map_err(|e| io("cannot read back", e))?;
        let checked = archive::read(std::io::BufReader::new(reread)).map_err(|e| {
            fail(format!(
                "the archive written does not read back ({}); nothing was kept",
                super::message(&e)
            ))
        })?;
        if checked.manifest.tables != manifest.tables {
            return Err(fail(
                "the archive written reads back with other row counts or checksums than were dumped; nothing was kept",
            ));
        }
        if path.exists() {
            return Err(fail(format!(
                "{} appeared while the backup was written; it was not replaced",
                path.display()
            )));
        }
        std::fs::rename(temp, path)
            .map_err(|e| fail(format!("cannot rename to {}: {e}", path.display())))?;
        sync_folder(path).map_err(|e| fail(format!("cannot sync the folder: {e}")))?;
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        Ok(Written {
            manifest,
            path: path.to_owned(),
            bytes,
        })
    }
}

/// Checks an archive file without touching any database.
pub fn check_file(path: &Path) -> Result<archive::Checked, Error> {
    let file = std::fs::File::open(path)
        .map_err(|e| fail(format!("cannot open {}: {e}", path.display())))?;
    archive::check(std::io::BufReader::new(file))
}

/// Restores an archive file into a new database: checked first (a bad
/// file changes nothing, not even creating the database), then loaded all
/// or nothing. A new SQLite file is built under a temporary name and
/// renamed into place when complete, so a crash leaves no half-made
/// database under the name; what a crashed restore left is removed first.
pub async fn restore_file(url: &DatabaseUrl, archive_path: &Path) -> Result<Manifest, Error> {
    check_file(archive_path)?;
    let open = || {
        std::fs::File::open(archive_path)
            .map(std::io::BufReader::new)
            .map_err(|e| fail(format!("cannot open {}: {e}", archive_path.display())))
    };
    match url {
        DatabaseUrl::Sqlite(target) if !target.exists() => {
            remove_leftovers(target, "restoring");
            let temp = temporary(target, "restoring")?;
            let result = restore_sqlite(&temp, target, open()?).await;
            if result.is_err() {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = temp.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            result
        }
        _ => {
            let services = Services::open(url, true).await?;
            let result = services.restore(open()?).await;
            services.close().await;
            result
        }
    }
}

async fn restore_sqlite(
    temp: &Path,
    target: &Path,
    archive: impl std::io::Read + std::io::Seek,
) -> Result<Manifest, Error> {
    let services = Services::open(&DatabaseUrl::Sqlite(temp.to_owned()), true).await?;
    let result = match services.restore(archive).await {
        Ok(m) => msohub_store::backup::checkpoint(services.store.conn())
            .await
            .map(|()| m)
            .map_err(Error::from),
        Err(e) => Err(e),
    };
    services.close().await;
    let manifest = result?;
    // Closed and checkpointed: the file alone is the whole database.
    let mut wal = temp.to_owned().into_os_string();
    wal.push("-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(fail("the restored database's log was not written back"));
    }
    let _ = std::fs::remove_file(&wal);
    std::fs::File::open(temp)
        .and_then(|f| f.sync_all())
        .map_err(|e| fail(format!("cannot sync {}: {e}", temp.display())))?;
    if target.exists() {
        return Err(fail(format!(
            "{} appeared during the restore; it was not replaced",
            target.display()
        )));
    }
    std::fs::rename(temp, target)
        .map_err(|e| fail(format!("cannot rename to {}: {e}", target.display())))?;
    sync_folder(target).map_err(|e| fail(format!("cannot sync the folder: {e}")))?;
    Ok(manifest)
}
