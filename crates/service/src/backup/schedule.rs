//! The scheduled backup: once a day at a set time (Berlin), the server
//! writes an archive into a folder under its data directory, keeps the
//! newest N and removes older ones. Each archive is written and checked as
//! `msohub backup` does ([`super::file`]). Several nodes on one database
//! claim the day's run in the database, so one of them does it. How the
//! last run went (file, size, or the error) is in the settings, for admins
//! on the settings page and in `GET /api/v1/settings`.

use super::message;
use crate::{Error, FieldError, Services};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const SCHEDULE_KEY: &str = "backup_schedule";
const STATUS_KEY: &str = "backup_status";
/// The Berlin day of the last run claimed, e.g. `"2026-12-07"`.
const CLAIM_KEY: &str = "backup_claim";
/// Scheduled archives are named `msohub-backup-{UTC time}.zip`; only
/// those are counted and pruned.
const PREFIX: &str = "msohub-backup-";

/// When, how many and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupSchedule {
    /// `HH:MM` in Berlin; empty: off.
    pub time: String,
    pub keep: u32,
    /// A folder under the data directory.
    pub folder: String,
}

impl Default for BackupSchedule {
    fn default() -> Self {
        BackupSchedule {
            time: String::new(),
            keep: 7,
            folder: "backups".to_owned(),
        }
    }
}

/// How the scheduled backups went (read-only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct BackupStatus {
    /// When the last archive was written and checked.
    pub last_success_at: Option<DateTime<Utc>>,
    /// Its path on the server, its size and how many rows it holds.
    pub last_file: Option<String>,
    pub last_bytes: Option<u64>,
    pub last_rows: Option<u64>,
    /// The last failure and why; `failing` while the latest run failed.
    pub last_failure_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub failing: bool,
}

/// Reads and drops a value sent for a read-only field (the status).
pub(crate) fn ignored<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<BackupStatus>, D::Error> {
    serde::de::IgnoredAny::deserialize(d).map(|_| None)
}

/// Checks the schedule fields of the settings form (`backup_time`,
/// `backup_keep`, `backup_folder`).
pub(crate) fn check(
    time: &str,
    keep: &str,
    folder: &str,
    errors: &mut Vec<FieldError>,
) -> BackupSchedule {
    let default = BackupSchedule::default();
    let time = time.trim();
    let time = if time.is_empty() {
        String::new()
    } else {
        match NaiveTime::parse_from_str(time, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M:%S"))
        {
            Ok(t) => t.format("%H:%M").to_string(),
            Err(_) => {
                errors.push(FieldError::new("backup_time", "time-invalid"));
                String::new()
            }
        }
    };
    let keep = match keep.trim() {
        "" => default.keep,
        raw => match raw.parse::<u32>() {
            Ok(n) if (1..=365).contains(&n) => n,
            _ => {
                errors.push(FieldError::new("backup_keep", "keep-invalid"));
                default.keep
            }
        },
    };
    let folder = folder.trim().trim_end_matches('/');
    let folder = if folder.is_empty() {
        default.folder
    } else if folder.len() <= 200
        && folder.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
    {
        folder.to_owned()
    } else {
        errors.push(FieldError::new("backup_folder", "folder-invalid"));
        default.folder
    };
    BackupSchedule { time, keep, folder }
}

/// The instant the day's backup is due, `None` when off.
fn due(schedule: &BackupSchedule, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let time = NaiveTime::parse_from_str(&schedule.time, "%H:%M").ok()?;
    let day = now.with_timezone(&Berlin).date_naive();
    // A time skipped when clocks go forward means the hour after.
    Berlin
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .or_else(|| {
            Berlin
                .from_local_datetime(&(day.and_time(time) + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

impl Services {
    pub(crate) async fn backup_schedule(&self) -> Result<BackupSchedule, Error> {
        Ok(self
            .store
            .get_setting(SCHEDULE_KEY)
            .await?
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default())
    }

    pub(crate) async fn backup_status(&self) -> Result<BackupStatus, Error> {
        Ok(self
            .store
            .get_setting(STATUS_KEY)
            .await?
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default())
    }

    pub(crate) async fn put_backup_schedule(
        &self,
        tx: &impl msohub_store::sea_orm_connection::ConnectionTrait,
        schedule: &BackupSchedule,
    ) -> Result<(), Error> {
        msohub_store::settings::put(tx, SCHEDULE_KEY, &serde_json::json!(schedule)).await?;
        Ok(())
    }

    /// Runs the day's backup if it is due at `now` and no node has run it
    /// yet today: writes and checks an archive in `data_dir/{folder}`,
    /// keeps the newest `keep`, records how it went. `Ok(None)`: nothing
    /// to do. A failure is recorded (admins see it) and returned.
    pub async fn scheduled_backup(
        &self,
        data_dir: &Path,
        now: DateTime<Utc>,
    ) -> Result<Option<super::file::Written>, Error> {
        let schedule = self.backup_schedule().await?;
        let Some(due) = due(&schedule, now) else {
            return Ok(None);
        };
        if now < due {
            return Ok(None);
        }
        let today = now.with_timezone(&Berlin).date_naive().to_string();
        let day = serde_json::json!(today);
        let claimed = self.store.get_setting(CLAIM_KEY).await?;
        // ISO dates compare as text: a day claimed already, or a later one.
        if claimed
            .as_ref()
            .and_then(serde_json::Value::as_str)
            .is_some_and(|c| c >= today.as_str())
            || !msohub_store::settings::replace_if(
                self.store.conn(),
                CLAIM_KEY,
                claimed.as_ref(),
                &day,
            )
            .await?
        {
            return Ok(None);
        }
        let folder = data_dir.join(&schedule.folder);
        let result = self.write_scheduled(&folder, schedule.keep, now).await;
        let mut status = self.backup_status().await?;
        match &result {
            Ok(written) => {
                status.last_success_at = Some(now);
                status.last_file = Some(written.path.display().to_string());
                status.last_bytes = Some(written.bytes);
                status.last_rows = Some(written.manifest.rows());
                status.failing = false;
            }
            Err(e) => {
                status.last_failure_at = Some(now);
                status.last_error = Some(message(e));
                status.failing = true;
            }
        }
        self.store
            .put_setting(STATUS_KEY, &serde_json::json!(status))
            .await?;
        result.map(Some)
    }

    async fn write_scheduled(
        &self,
        folder: &PathBuf,
        keep: u32,
        now: DateTime<Utc>,
    ) -> Result<super::file::Written, Error> {
        std::fs::create_dir_all(folder).map_err(|e| {
            super::fail(format!(
                "cannot create the folder {}: {e}",
                folder.display()
            ))
        })?;
        // What crashed runs left: temporary files are never archives.
        if let Ok(entries) = std::fs::read_dir(folder) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with(&format!(".{PREFIX}")) && name.contains(".partial-") {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        let name = format!("{PREFIX}{}.zip", now.format("%Y%m%dT%H%M%SZ"));
        let written = self.backup_to_file(&folder.join(name)).await?;
        prune(folder, keep)?;
        Ok(written)
    }
}

/// Removes the oldest scheduled archives beyond `keep` (by name, which
/// is by time).
fn prune(folder: &Path, keep: u32) -> Result<(), Error> {
    let mut archives: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| super::fail(format!("cannot list {}: {e}", folder.display())))?
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(PREFIX) && name.ends_with(".zip")
        })
        .map(|e| e.path())
        .collect();
    archives.sort();
    let surplus = archives.len().saturating_sub(keep as usize);
    for old in &archives[..surplus] {
        std::fs::remove_file(old)
            .map_err(|e| super::fail(format!("cannot remove {}: {e}", old.display())))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_is_checked_field_by_field() {
        let mut errors = Vec::new();
        let s = check(" 2:30 ", "", "", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            (s.time.as_str(), s.keep, s.folder.as_str()),
            ("02:30", 7, "backups")
        );
        let s = check("", "30", "sicherung/täglich", &mut errors);
        assert_eq!(s.time, "");
        assert_eq!(s.keep, 30);
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["backup_folder"]);
        for bad in ["../etc", "/var/backups", "a//b", ".hidden"] {
            let mut errors = Vec::new();
            check("", "", bad, &mut errors);
            assert_eq!(errors.len(), 1, "{bad}");
        }
        let mut errors = Vec::new();
        check("25:00", "0", "ok", &mut errors);
        let rules: Vec<_> = errors.iter().map(|e| e.rule.as_str()).collect();
        assert_eq!(rules, ["time-invalid", "keep-invalid"]);
    }

    #[test]
    fn the_day_s_backup_is_due_at_its_berlin_time() {
        let s = BackupSchedule {
            time: "02:30".into(),
            ..BackupSchedule::default()
        };
        // Winter: Berlin is UTC+1.
        let now = "2026-12-07T12:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            due(&s, now).unwrap().to_rfc3339(),
            "2026-12-07T01:30:00+00:00"
        );
        // The hour skipped in spring: the hour after.
        let spring = "2026-03-29T12:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            due(&s, spring).unwrap().to_rfc3339(),
            "2026-03-29T01:30:00+00:00"
        );
        assert_eq!(due(&BackupSchedule::default(), now), None);
    }
}
