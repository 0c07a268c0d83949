//! Meetings of bodies: when and where, planned → invited → held or
//! cancelled with a reason, the agenda with outcomes, minutes (draft →
//! approved), attendance per person recorded on one screen, and which
//! organisations were represented, in person and online.

use crate::bodies::Member;
use crate::interactions::Ref;
use crate::organisations::decode_cursor;
use crate::{Actor, Error, FieldError, Services, audit, time};
use chrono::{DateTime, Utc};
use msohub_domain::Permission;
use msohub_domain::bodies::{AttendanceMode, AttendanceStatus, MeetingStatus};
use msohub_domain::work::Mode;
use msohub_store::bodies::{self as store, AttendanceRow, MeetingFilter, MeetingRow};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct AgendaItem {
    pub title: String,
    #[serde(default)]
    pub outcome: String,
}

/// One person's attendance.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Attendee {
    /// `p:{person id}` or `u:{user id}` (staff of the office).
    pub attendee: String,
    pub name: String,
    pub on_behalf_of: Option<Ref>,
    /// present, excused, absent, guest
    pub status: String,
    /// in_person, online
    pub mode: String,
    /// A staff member of the office.
    pub staff: bool,
}

/// Which organisations were represented (someone attended on their behalf).
#[derive(Debug, Clone, Default, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Representation {
    pub organisations: Vec<Ref>,
    pub count: usize,
    /// Organisations with someone in the room.
    pub in_person: usize,
    /// Organisations that were there online only.
    pub online: usize,
    /// People who attended (members and guests).
    pub people: usize,
    /// Staff of the office who attended.
    pub staff: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Meeting {
    pub id: Uuid,
    pub body: Ref,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    /// in_person, digital, hybrid
    pub mode: String,
    pub place: String,
    pub video_link: String,
    /// planned, invited, held, cancelled
    pub status: String,
    pub cancel_reason: String,
    /// Markdown.
    pub minutes: String,
    /// draft, approved
    pub minutes_status: String,
    pub agenda: Vec<AgendaItem>,
    pub attendance: Vec<Attendee>,
    pub representation: Representation,
    /// Mirrored from a council information system: only attendance and
    /// minutes are the office's own.
    pub imported: bool,
    /// Grows with every invitation update.
    pub sequence: i32,
    pub deleted: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Meeting {
    pub fn to_input(&self) -> MeetingInput {
        MeetingInput {
            body_id: self.body.id.to_string(),
            title: self.title.clone(),
            starts_at: time::local_input(self.starts_at),
            ends_at: self.ends_at.map(time::local_input).unwrap_or_default(),
            mode: self.mode.clone(),
            place: self.place.clone(),
            video_link: self.video_link.clone(),
            status: self.status.clone(),
            cancel_reason: self.cancel_reason.clone(),
            minutes: self.minutes.clone(),
            minutes_status: self.minutes_status.clone(),
            agenda: self.agenda.clone(),
            version: self.version,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct MeetingInput {
    pub body_id: String,
    pub title: String,
    /// Local time in Berlin ("2026-03-05T18:00") or RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    pub mode: String,
    pub place: String,
    pub video_link: String,
    pub status: String,
    pub cancel_reason: String,
    pub minutes: String,
    pub minutes_status: String,
    pub agenda: Vec<AgendaItem>,
    pub version: i32,
}

/// One line of the attendance screen.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct AttendanceInput {
    /// `p:{person id}` or `u:{user id}`.
    pub attendee: String,
    /// present, excused, absent, guest
    pub status: String,
    /// in_person (default), online
    pub mode: String,
    /// For guests: the organisation they came for.
    pub on_behalf_of: String,
}

#[derive(Debug, Clone, Default)]
pub struct MeetingQuery {
    pub body: Option<Uuid>,
    pub statuses: Vec<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub ascending: bool,
    pub cursor: Option<String>,
    pub limit: u64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingPage {
    pub items: Vec<Meeting>,
    pub total: u64,
    pub next_cursor: Option<String>,
}

/// A body's attendance over time and per organisation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BodyAttendance {
    /// Per held meeting, oldest first: (meeting, date, organisations
    /// represented, people present, staff present).
    pub meetings: Vec<MeetingAttendance>,
    /// Per organisation: how many of the held meetings it attended.
    pub organisations: Vec<(Ref, usize)>,
    pub held: usize,
    /// Held meetings at which someone of the office was present.
    pub with_staff: usize,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingAttendance {
    pub id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub organisations: usize,
    pub people: usize,
    pub staff: usize,
}

fn audit_view(r: &MeetingRow, agenda: &[AgendaItem]) -> serde_json::Value {
    serde_json::json!({
        "body_id": r.body_id, "title": r.title, "starts_at": r.starts_at, "ends_at": r.ends_at,
        "mode": r.mode, "place": r.place, "video_link": r.video_link, "status": r.status,
        "cancel_reason": r.cancel_reason, "minutes": r.minutes, "minutes_status": r.minutes_status,
        "agenda": agenda, "deleted": r.deleted_at.is_some(),
    })
}

/// The representation of organisations by who attended.
pub(crate) fn representation(
    rows: &[AttendanceRow],
    names: &HashMap<Uuid, String>,
) -> Representation {
    let mut orgs: BTreeMap<Uuid, bool> = BTreeMap::new();
    let mut rep = Representation::default();
    for r in rows {
        let Ok(status) = AttendanceStatus::parse(&r.status) else {
            continue;
        };
        if !status.attended() {
            continue;
        }
        if r.user_id.is_some() {
            rep.staff += 1;
            continue;
        }
        rep.people += 1;
        if let Some(o) = r.on_behalf_of {
            let in_person = r.mode == "in_person";
            let e = orgs.entry(o).or_insert(false);
            *e |= in_person;
        }
    }
    rep.count = orgs.len();
    rep.in_person = orgs.values().filter(|v| **v).count();
    rep.online = rep.count - rep.in_person;
    let mut list: Vec<Ref> = orgs
        .keys()
        .map(|id| Ref {
            id: *id,
            name: names.get(id).cloned().unwrap_or_default(),
        })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    rep.organisations = list;
    rep
}

impl Services {
    async fn validate_meeting(
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

    async fn assemble_meetings(&self, rows: Vec<MeetingRow>) -> Result<Vec<Meeting>, Error> {
        let conn = self.store.conn();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let attendance = store::attendance_of(conn, &ids).await?;
        let mut org_ids: Vec<Uuid> = attendance.iter().filter_map(|a| a.on_behalf_of).collect();
        org_ids.sort();
        org_ids.dedup();
        let orgs = msohub_store::organisations::names(conn, &org_ids).await?;
        let mut bodies: HashMap<Uuid, String> = HashMap::new();
        let mut names: HashMap<String, String> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            if let std::collections::hash_map::Entry::Vacant(e) = bodies.entry(r.body_id) {
                let name = store::find_body(conn, r.body_id)
                    .await?
                    .map(|b| b.name)
                    .unwrap_or_default();
                e.insert(name);
            }
            let mine: Vec<AttendanceRow> = attendance
                .iter()
                .filter(|a| a.meeting_id == r.id)
                .cloned()
                .collect();
            let mut attendees = Vec::new();
            for a in &mine {
                if !names.contains_key(&a.attendee) {
                    let name = match (a.person_id, a.user_id) {
                        (Some(p), _) => msohub_store::people::find_person(conn, p)
                            .await?
                            .map(|x| format!("{} {}", x.given_name, x.family_name)),
                        (None, Some(u)) => msohub_store::users::find_user(conn, u)
                            .await?
                            .map(|x| x.display_name),
                        _ => None,
                    };
                    names.insert(a.attendee.clone(), name.unwrap_or_default());
                }
                attendees.push(Attendee {
                    attendee: a.attendee.clone(),
                    name: names.get(&a.attendee).cloned().unwrap_or_default(),
                    on_behalf_of: a.on_behalf_of.map(|o| Ref {
                        id: o,
                        name: orgs.get(&o).cloned().unwrap_or_default(),
                    }),
                    status: a.status.clone(),
                    mode: a.mode.clone(),
                    staff: a.user_id.is_some(),
                });
            }
            attendees.sort_by(|a, b| a.staff.cmp(&b.staff).then_with(|| a.name.cmp(&b.name)));
            let agenda = store::agenda_of(conn, r.id)
                .await?
                .into_iter()
                .map(|a| AgendaItem {
                    title: a.title,
                    outcome: a.outcome,
                })
                .collect();
            out.push(Meeting {
                id: r.id,
                body: Ref {
                    id: r.body_id,
                    name: bodies.get(&r.body_id).cloned().unwrap_or_default(),
                },
                title: r.title,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                mode: r.mode,
                place: r.place,
                video_link: r.video_link,
                status: r.status,
                cancel_reason: r.cancel_reason,
                minutes: r.minutes,
                minutes_status: r.minutes_status,
                agenda,
                representation: representation(&mine, &orgs),
                attendance: attendees,
                imported: r.oparl_id.is_some(),
                sequence: r.sequence,
                deleted: r.deleted_at.is_some(),
                version: r.version,
                created_at: r.created_at,
                updated_at: r.updated_at,
            });
        }
        Ok(out)
    }

    pub async fn get_meeting(&self, actor: &Actor, id: Uuid) -> Result<Meeting, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let r = store::find_meeting(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(self.assemble_meetings(vec![r]).await?.remove(0))
    }

    pub async fn list_meetings(
        &self,
        actor: &Actor,
        q: &MeetingQuery,
    ) -> Result<MeetingPage, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let offset = decode_cursor(q.cursor.as_deref())?;
        let limit = q.limit.clamp(1, 500);
        let filter = MeetingFilter {
            body: q.body,
            statuses: q.statuses.clone(),
            from: q.from,
            to: q.to,
            deleted: false,
            ascending: q.ascending,
        };
        let (rows, total) = store::list_meetings(self.store.conn(), &filter, offset, limit).await?;
        Ok(MeetingPage {
            items: self.assemble_meetings(rows).await?,
            total,
            next_cursor: (offset + limit < total).then(|| format!("o{}", offset + limit)),
        })
    }

    fn agenda_rows(agenda: &[AgendaItem]) -> Vec<(String, String, Option<String>)> {
        agenda
            .iter()
            .filter(|a| !a.title.trim().is_empty())
            .map(|a| (a.title.trim().to_owned(), a.outcome.trim().to_owned(), None))
            .collect()
    }

    pub async fn create_meeting(
        &self,
        actor: &Actor,
        input: &MeetingInput,
    ) -> Result<Meeting, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let row = self.validate_meeting(input, None).await?;
        let tx = self.store.begin().await?;
        let row = store::insert_meeting(&tx, row).await?;
        store::set_agenda(&tx, row.id, &Self::agenda_rows(&input.agenda)).await?;
        audit::record(
            &tx,
            actor,
            "meeting",
            row.id,
            "create",
            None,
            Some(audit_view(&row, &input.agenda)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_meeting(actor, row.id).await
    }

    /// Replaces the fields; `version` must be current. When the time, the
    /// place or the status changes after invitations went out, the invitees
    /// get an update (or a cancellation) with a higher SEQUENCE.
    pub async fn update_meeting(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &MeetingInput,
    ) -> Result<Meeting, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let before = self.get_meeting(actor, id).await?;
        let current = store::find_meeting(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        if current.version != input.version {
            return Err(Error::stale());
        }
        let mut row = self.validate_meeting(input, Some(&current)).await?;
        let agenda = if current.oparl_id.is_some() {
            before.agenda.clone()
        } else {
            input.agenda.clone()
        };
        let invited = !store::messages_of_meeting(self.store.conn(), id)
            .await?
            .is_empty();
        let changed = row.starts_at != current.starts_at
            || row.ends_at != current.ends_at
            || row.place != current.place
            || row.video_link != current.video_link
            || (row.status == "cancelled" && current.status != "cancelled");
        if invited && changed {
            row.sequence = current.sequence + 1;
        }
        let tx = self.store.begin().await?;
        let row = store::update_meeting(&tx, row).await?;
        if current.oparl_id.is_none() {
            store::set_agenda(&tx, id, &Self::agenda_rows(&agenda)).await?;
        }
        audit::record(
            &tx,
            actor,
            "meeting",
            id,
            "update",
            Some(audit_view(&current, &before.agenda)),
            Some(audit_view(&row, &agenda)),
        )
        .await?;
        if invited && changed {
            self.enqueue_invitations(&tx, &row, &agenda, None).await?;
        }
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_meeting(actor, id).await
    }

    pub async fn patch_meeting(
        &self,
        actor: &Actor,
        id: Uuid,
        patch: &serde_json::Value,
    ) -> Result<Meeting, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.get_meeting(actor, id).await?;
        let input: MeetingInput = crate::patch::merge(&current.to_input(), patch)?;
        self.update_meeting(actor, id, &input).await
    }

    pub async fn delete_meeting(&self, actor: &Actor, id: Uuid, version: i32) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let before = self.get_meeting(actor, id).await?;
        let current = store::find_meeting(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        if current.version != version {
            return Err(Error::stale());
        }
        let mut row = current.clone();
        row.deleted_at = Some(Utc::now());
        let tx = self.store.begin().await?;
        let row = store::update_meeting(&tx, row).await?;
        audit::record(
            &tx,
            actor,
            "meeting",
            id,
            "delete",
            Some(audit_view(&current, &before.agenda)),
            Some(audit_view(&row, &before.agenda)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// The body's members on the meeting's day (for the attendance screen
    /// and invitations).
    pub async fn members_at(&self, actor: &Actor, meeting: &Meeting) -> Result<Vec<Member>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let day = meeting
            .starts_at
            .with_timezone(&chrono_tz::Europe::Berlin)
            .date_naive();
        Ok(self
            .members_of(meeting.body.id)
            .await?
            .into_iter()
            .filter(|m| m.from.is_none_or(|f| f <= day) && m.to.is_none_or(|t| t >= day))
            .collect())
    }

    /// Records who attended (replacing the list); `version` is the
    /// meeting's. Members speak for the organisation of their membership;
    /// guests for the one given.
    pub async fn set_attendance(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
        entries: &[AttendanceInput],
    ) -> Result<Meeting, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let meeting = self.get_meeting(actor, id).await?;
        if meeting.version != version {
            return Err(Error::stale());
        }
        let members = self.members_at(actor, &meeting).await?;
        let conn = self.store.conn();
        let mut errors = Vec::new();
        let mut rows: Vec<AttendanceRow> = Vec::new();
        for e in entries {
            if e.status.trim().is_empty() {
                continue;
            }
            let Ok(status) = AttendanceStatus::parse(&e.status) else {
                errors.push(FieldError::new("status", "choice-unknown"));
                continue;
            };
            let mode = if e.mode.trim().is_empty() {
                AttendanceMode::InPerson
            } else {
                match AttendanceMode::parse(&e.mode) {
                    Ok(m) => m,
                    Err(_) => {
                        errors.push(FieldError::new("mode", "choice-unknown"));
                        continue;
                    }
                }
            };
            let (kind, raw) = e.attendee.split_once(':').unwrap_or(("", ""));
            let Ok(who) = raw.parse::<Uuid>() else {
                errors.push(FieldError::new("attendee", "attendee-unknown"));
                continue;
            };
            let member = members.iter().find(|m| m.attendee() == e.attendee);
            let (person_id, user_id) = match kind {
                "p" if msohub_store::people::find_person(conn, who)
                    .await?
                    .is_some() =>
                {
                    (Some(who), None)
                }
                "u" if msohub_store::users::find_user(conn, who).await?.is_some() => {
                    (None, Some(who))
                }
                _ => {
                    errors.push(FieldError::new("attendee", "attendee-unknown"));
                    continue;
                }
            };
            let on_behalf_of = match member.and_then(|m| m.on_behalf_of.as_ref()) {
                Some(o) => Some(o.id),
                None => match e.on_behalf_of.trim() {
                    "" => None,
                    raw => match raw.parse::<Uuid>() {
                        Ok(o) if self.organisation_ref(o).await?.is_some() => Some(o),
                        _ => {
                            errors.push(FieldError::new("on_behalf_of", "organisation-unknown"));
                            continue;
                        }
                    },
                },
            };
            if rows.iter().any(|r| r.attendee == e.attendee) {
                errors.push(FieldError::new("attendee", "attendee-twice"));
                continue;
            }
            rows.push(AttendanceRow {
                meeting_id: id,
                attendee: e.attendee.clone(),
                person_id,
                user_id,
                on_behalf_of,
                // Non-members who came are guests.
                status: if member.is_none() && status == AttendanceStatus::Present {
                    AttendanceStatus::Guest.code().to_owned()
                } else {
                    status.code().to_owned()
                },
                mode: mode.code().to_owned(),
                updated_at: Utc::now(),
            });
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let current = store::find_meeting(conn, id)
            .await?
            .ok_or(Error::NotFound)?;
        let before: Vec<String> = meeting
            .attendance
            .iter()
            .map(|a| format!("{}={}/{}", a.attendee, a.status, a.mode))
            .collect();
        let after: Vec<String> = rows
            .iter()
            .map(|a| format!("{}={}/{}", a.attendee, a.status, a.mode))
            .collect();
        let tx = self.store.begin().await?;
        store::update_meeting(&tx, current).await?;
        store::set_attendance(&tx, id, rows).await?;
        audit::record(
            &tx,
            actor,
            "meeting",
            id,
            "attendance",
            Some(serde_json::json!({ "attendance": before })),
            Some(serde_json::json!({ "attendance": after })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.get_meeting(actor, id).await
    }

    /// Attendance at a body's held meetings, over time and per organisation.
    pub async fn body_attendance(
        &self,
        actor: &Actor,
        body_id: Uuid,
    ) -> Result<BodyAttendance, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let filter = MeetingFilter {
            body: Some(body_id),
            statuses: vec!["held".into()],
            ascending: true,
            ..Default::default()
        };
        let (rows, _) = store::list_meetings(self.store.conn(), &filter, 0, 1_000).await?;
        let meetings = self.assemble_meetings(rows).await?;
        let mut per_org: BTreeMap<Uuid, (String, usize)> = BTreeMap::new();
        let mut out = Vec::new();
        let mut with_staff = 0;
        for m in &meetings {
            for o in &m.representation.organisations {
                per_org.entry(o.id).or_insert((o.name.clone(), 0)).1 += 1;
            }
            if m.representation.staff > 0 {
                with_staff += 1;
            }
            out.push(MeetingAttendance {
                id: m.id,
                title: m.title.clone(),
                starts_at: m.starts_at,
                organisations: m.representation.count,
                people: m.representation.people,
                staff: m.representation.staff,
            });
        }
        let mut organisations: Vec<(Ref, usize)> = per_org
            .into_iter()
            .map(|(id, (name, n))| (Ref { id, name }, n))
            .collect();
        organisations.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
        Ok(BodyAttendance {
            held: meetings.len(),
            with_staff,
            meetings: out,
            organisations,
        })
    }
}
