//! Meetings for the members of a body: the upcoming meetings of the bodies
//! a representative's person belongs to, with agenda and place or link; the
//! answer (coming / not coming, optionally a stand-in from their
//! organisation); approved minutes to read. The answers are the expected
//! attendance on the meeting's attendance screen; staff confirm the real
//! attendance after the meeting.

use super::current;
use crate::interactions::Ref;
use crate::{Actor, Error, FieldError, Services, audit};
use chrono::{DateTime, Duration, Utc};
use msohub_store::bodies::{self as bodies_store, MeetingFilter, MeetingRow};
use msohub_store::portal::{self as store, ResponseRow};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// A meeting as a member sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberMeeting {
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
    pub agenda: Vec<String>,
    /// The member's answer: yes, no, or none yet.
    pub answer: Option<String>,
    pub stand_in: Option<Ref>,
    /// The minutes, once approved (Markdown).
    pub minutes: Option<String>,
    /// The organisation the member sits there for.
    pub on_behalf_of: Option<Ref>,
}

/// An answer to a meeting invitation, as staff see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingAnswer {
    pub person: Ref,
    pub organisation: Option<Ref>,
    /// yes, no
    pub answer: String,
    pub stand_in: Option<Ref>,
    pub answered_at: DateTime<Utc>,
}

impl Services {
    /// The bodies the representative's person is a current member of, with
    /// the organisation they sit there for.
    async fn member_bodies(&self, person: Uuid) -> Result<HashMap<Uuid, Option<Uuid>>, Error> {
        let today = crate::time::today();
        Ok(
            msohub_store::privacy::memberships_of(self.store.conn(), person)
                .await?
                .into_iter()
                .filter(|(m, _)| current(m.from_date, m.to_date, today))
                .map(|(m, _)| (m.body_id, m.on_behalf_of))
                .collect(),
        )
    }

    async fn member_meeting(
        &self,
        row: MeetingRow,
        person: Uuid,
        on_behalf_of: Option<Uuid>,
    ) -> Result<MemberMeeting, Error> {
        let conn = self.store.conn();
        let body = bodies_store::find_body(conn, row.body_id).await?;
        let agenda = bodies_store::agenda_of(conn, row.id)
            .await?
            .into_iter()
            .map(|a| a.title)
            .collect();
        let response = store::responses(conn, &[row.id])
            .await?
            .into_iter()
            .find(|r| r.person_id == person);
        let mut ids: Vec<Uuid> = on_behalf_of.into_iter().collect();
        ids.extend(response.as_ref().and_then(|r| r.stand_in_id));
        let orgs = msohub_store::organisations::names(conn, &ids).await?;
        let stand_in = match response.as_ref().and_then(|r| r.stand_in_id) {
            Some(id) => msohub_store::people::names(conn, &[id])
                .await?
                .remove(&id)
                .map(|name| Ref { id, name }),
            None => None,
        };
        Ok(MemberMeeting {
            id: row.id,
            body: Ref {
                id: row.body_id,
                name: body.map(|b| b.name).unwrap_or_default(),
            },
            title: row.title,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            mode: row.mode,
            place: row.place,
            video_link: row.video_link,
            status: row.status,
            agenda,
            answer: response.as_ref().map(|r| r.answer.clone()),
            stand_in,
            minutes: (row.minutes_status == "approved" && !row.minutes.trim().is_empty())
                .then_some(row.minutes),
            on_behalf_of: on_behalf_of.map(|id| Ref {
                id,
                name: orgs.get(&id).cloned().unwrap_or_default(),
            }),
        })
    }

    /// The member's meetings: upcoming ones, and those of the last year
    /// with approved minutes.
    pub async fn portal_meetings(&self, actor: &Actor) -> Result<Vec<MemberMeeting>, Error> {
        let user = self.portal_user(actor).await?;
        let bodies = self.member_bodies(user.person.id).await?;
        let mut out = Vec::new();
        for (body, on_behalf_of) in bodies {
            let (rows, _) = bodies_store::list_meetings(
                self.store.conn(),
                &MeetingFilter {
                    body: Some(body),
                    from: Some(Utc::now() - Duration::days(365)),
                    ascending: true,
                    ..Default::default()
                },
                0,
                200,
            )
            .await?;
            for row in rows {
                let upcoming = row.starts_at >= Utc::now() - Duration::hours(6);
                let minutes = row.minutes_status == "approved";
                if upcoming || minutes {
                    out.push(
                        self.member_meeting(row, user.person.id, on_behalf_of)
                            .await?,
                    );
                }
            }
        }
        out.sort_by_key(|m| m.starts_at);
        Ok(out)
    }

    /// One meeting of a body the member belongs to; `NotFound` otherwise.
    pub async fn portal_meeting(&self, actor: &Actor, id: Uuid) -> Result<MemberMeeting, Error> {
        let user = self.portal_user(actor).await?;
        let row = bodies_store::find_meeting(self.store.conn(), id)
            .await?
            .filter(|m| m.deleted_at.is_none())
            .ok_or(Error::NotFound)?;
        let bodies = self.member_bodies(user.person.id).await?;
        let on_behalf_of = *bodies.get(&row.body_id).ok_or(Error::NotFound)?;
        self.member_meeting(row, user.person.id, on_behalf_of).await
    }

    /// Answers a meeting invitation: `yes` or `no`, with a stand-in (a
    /// person of the member's organisation) when not coming.
    pub async fn answer_meeting(
        &self,
        actor: &Actor,
        id: Uuid,
        answer: &str,
        stand_in: Option<Uuid>,
    ) -> Result<MemberMeeting, Error> {
        let meeting = self.portal_meeting(actor, id).await?;
        let user = self.portal_user(actor).await?;
        let mut errors = Vec::new();
        if !matches!(answer, "yes" | "no") {
            errors.push(FieldError::new("answer", "choice-unknown"));
        }
        if meeting.status == "cancelled" || meeting.starts_at < Utc::now() {
            errors.push(FieldError::new("answer", "meeting-closed"));
        }
        if let Some(s) = stand_in {
            let today = crate::time::today();
            let own: Vec<Uuid> = user.organisations.iter().map(|o| o.id).collect();
            let ok = s != user.person.id
                && msohub_store::people::affiliations_of_person(self.store.conn(), s)
                    .await?
                    .iter()
                    .any(|a| {
                        own.contains(&a.organisation_id) && current(a.from_date, a.to_date, today)
                    });
            if !ok || answer != "no" {
                errors.push(FieldError::new("stand_in", "stand-in-invalid"));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let tx = self.store.begin().await?;
        store::put_response(
            &tx,
            ResponseRow {
                meeting_id: id,
                person_id: user.person.id,
                organisation_id: meeting.on_behalf_of.as_ref().map(|o| o.id),
                answer: answer.to_owned(),
                stand_in_id: stand_in,
                answered_at: Utc::now(),
            },
        )
        .await?;
        audit::record(
            &tx,
            actor,
            "meeting",
            id,
            "answer",
            None,
            Some(serde_json::json!({ "person_id": user.person.id, "answer": answer, "stand_in": stand_in })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.portal_meeting(actor, id).await
    }

    /// The members' answers to a meeting (the expected attendance).
    pub async fn meeting_answers(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<Vec<MeetingAnswer>, Error> {
        actor.require(msohub_domain::Permission::ReadStaffArea)?;
        let conn = self.store.conn();
        let rows = store::responses(conn, &[id]).await?;
        let mut people: Vec<Uuid> = rows.iter().map(|r| r.person_id).collect();
        people.extend(rows.iter().filter_map(|r| r.stand_in_id));
        let names = msohub_store::people::names(conn, &people).await?;
        let orgs: Vec<Uuid> = rows.iter().filter_map(|r| r.organisation_id).collect();
        let orgs = msohub_store::organisations::names(conn, &orgs).await?;
        let name = |id: Uuid| Ref {
            id,
            name: names.get(&id).cloned().unwrap_or_default(),
        };
        Ok(rows
            .into_iter()
            .map(|r| MeetingAnswer {
                person: name(r.person_id),
                organisation: r.organisation_id.map(|id| Ref {
                    id,
                    name: orgs.get(&id).cloned().unwrap_or_default(),
                }),
                answer: r.answer,
                stand_in: r.stand_in_id.map(name),
                answered_at: r.answered_at,
            })
            .collect())
    }
}

impl Services {
    /// The people of the representative's organisations who could go to a
    /// meeting in their place (names only; never their contact data).
    pub async fn portal_stand_ins(&self, actor: &Actor) -> Result<Vec<Ref>, Error> {
        let user = self.portal_user(actor).await?;
        let today = crate::time::today();
        let mut out: Vec<Ref> = Vec::new();
        for o in &user.organisations {
            let affiliations =
                msohub_store::people::affiliations_of_organisation(self.store.conn(), o.id).await?;
            let ids: Vec<Uuid> = affiliations
                .iter()
                .filter(|a| current(a.from_date, a.to_date, today) && a.person_id != user.person.id)
                .map(|a| a.person_id)
                .collect();
            for (id, name) in msohub_store::people::names(self.store.conn(), &ids).await? {
                if !out.iter().any(|r| r.id == id) {
                    out.push(Ref { id, name });
                }
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }
}
