//! The rules a meeting keeps: body, date and time, status with its reason,
//! mode, place, agenda and minutes.

use super::*;

impl Services {
    pub(super) async fn validate_meeting(
        &self,
        input: &MeetingInput,
        current: Option<&MeetingRow>,
    ) -> Result<MeetingRow, Error> {
        let mut errors = Vec::new();
        let conn = self.store.conn();
        let body = match input.body_id.trim().parse::<Uuid>() {
            Ok(id) => match store::find_body(conn, id).await? {
                Some(b) if b.deleted_at.is_none() => Some(id),
                _ => {
                    errors.push(FieldError::new("body_id", "body-unknown"));
                    None
                }
            },
            Err(_) => {
                errors.push(FieldError::new("body_id", "required"));
                None
            }
        };
        let title = input.title.trim().to_owned();
        if title.is_empty() {
            errors.push(FieldError::new("title", "required"));
        } else if title.chars().count() > 200 {
            errors.push(FieldError::new("title", "too-long"));
        }
        let starts_at = match input.starts_at.trim() {
            "" => {
                errors.push(FieldError::new("starts_at", "required"));
                None
            }
            raw => {
                let t = time::parse_instant(raw);
                if t.is_none() {
                    errors.push(FieldError::new("starts_at", "datetime-invalid"));
                }
                t
            }
        };
        let ends_at = match input.ends_at.trim() {
            "" => None,
            raw => {
                let t = time::parse_instant(raw);
                if t.is_none() {
                    errors.push(FieldError::new("ends_at", "datetime-invalid"));
                }
                t
            }
        };
        if let (Some(s), Some(e)) = (starts_at, ends_at)
            && e <= s
        {
            errors.push(FieldError::new("ends_at", "end-before-start"));
        }
        let mode = Mode::parse(&input.mode)
            .map_err(|e| errors.push(FieldError::new(e.field, e.rule)))
            .ok();
        let status = MeetingStatus::parse(&input.status)
            .map_err(|e| errors.push(FieldError::new(e.field, e.rule)))
            .ok();
        if let (Some(MeetingStatus::Held), Some(s)) = (status, starts_at)
            && s > Utc::now()
        {
            errors.push(FieldError::new("starts_at", "held-in-future"));
        }
        let cancel_reason = input.cancel_reason.trim().to_owned();
        if status == Some(MeetingStatus::Cancelled) && cancel_reason.is_empty() {
            errors.push(FieldError::new("cancel_reason", "cancel-reason-required"));
        }
        let video = input.video_link.trim().to_owned();
        if !video.is_empty()
            && url::Url::parse(&video).map_or(true, |u| !matches!(u.scheme(), "http" | "https"))
        {
            errors.push(FieldError::new("video_link", "url-invalid"));
        }
        let minutes_status = match input.minutes_status.trim() {
            "" | "draft" => "draft",
            "approved" => "approved",
            _ => {
                errors.push(FieldError::new("minutes_status", "choice-unknown"));
                "draft"
            }
        };
        if input.minutes.chars().count() > 100_000 {
            errors.push(FieldError::new("minutes", "too-long"));
        }
        if input.agenda.len() > 100
            || input
                .agenda
                .iter()
                .any(|a| a.title.trim().chars().count() > 500)
        {
            errors.push(FieldError::new("agenda", "too-long"));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (Some(body_id), Some(starts_at), Some(mode), Some(status)) =
            (body, starts_at, mode, status)
        else {
            return Err(Error::field("status", "required"));
        };
        let now = Utc::now();
        let row = MeetingRow {
            id: current.map_or_else(Uuid::now_v7, |c| c.id),
            body_id,
            title,
            starts_at,
            ends_at,
            mode: mode.code().to_owned(),
            place: input.place.trim().chars().take(300).collect(),
            video_link: video,
            status: status.code().to_owned(),
            cancel_reason: if status == MeetingStatus::Cancelled {
                cancel_reason
            } else {
                String::new()
            },
            minutes: input.minutes.trim_end().to_owned(),
            minutes_status: minutes_status.to_owned(),
            oparl_id: current.and_then(|c| c.oparl_id.clone()),
            sequence: current.map_or(0, |c| c.sequence),
            version: current.map_or(1, |c| c.version),
            deleted_at: current.and_then(|c| c.deleted_at),
            created_at: current.map_or(now, |c| c.created_at),
            updated_at: now,
        };
        // An imported meeting mirrors the council's system: only the
        // office's own minutes change here.
        Ok(match current {
            Some(c) if c.oparl_id.is_some() => MeetingRow {
                minutes: row.minutes,
                minutes_status: row.minutes_status,
                updated_at: now,
                ..c.clone()
            },
            _ => row,
        })
    }
}
