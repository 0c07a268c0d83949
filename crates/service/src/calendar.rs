//! Each staff member's private calendar feed: their interactions and their
//! follow-ups, at a secret URL that calendar programs subscribe to. Only
//! a hash of the secret is stored; a new secret revokes the old one.

use crate::{Actor, Error, Services, audit};
use chrono::Duration;
use msohub_domain::Permission;
use msohub_exchange::ical::{Event, When, calendar};
use msohub_store::work as store;
use rand::RngCore;
use sha2::Digest;

fn hash(secret: &str) -> String {
    hex::encode(sha2::Sha256::digest(secret.as_bytes()))
}

/// How far back and ahead the feed reaches.
const PAST_DAYS: i64 = 180;
const FUTURE_DAYS: i64 = 400;

impl Services {
    /// Whether the caller has a live feed.
    pub async fn has_calendar_feed(&self, actor: &Actor) -> Result<bool, Error> {
        let me = actor.user()?;
        Ok(store::has_calendar_token(self.store.conn(), me).await?)
    }

    /// A new secret for the caller's feed (any earlier one stops working).
    /// Returned once; only its hash is kept.
    pub async fn new_calendar_feed(&self, actor: &Actor) -> Result<String, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let me = actor.user()?;
        let mut bytes = [0u8; 24];
        rand::rng().fill_bytes(&mut bytes);
        let secret = hex::encode(bytes);
        let tx = self.store.begin().await?;
        store::revoke_calendar_tokens(&tx, me).await?;
        store::insert_calendar_token(&tx, me, &hash(&secret)).await?;
        audit::record(&tx, actor, "user", me, "calendar_feed_created", None, None).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(secret)
    }

    /// Stops the caller's feed.
    pub async fn revoke_calendar_feed(&self, actor: &Actor) -> Result<(), Error> {
        let me = actor.user()?;
        let tx = self.store.begin().await?;
        store::revoke_calendar_tokens(&tx, me).await?;
        audit::record(&tx, actor, "user", me, "calendar_feed_revoked", None, None).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// The feed for a secret, or `None` when the secret is unknown, revoked
    /// or its account disabled.
    pub async fn calendar_feed(&self, secret: &str) -> Result<Option<String>, Error> {
        let conn = self.store.conn();
        let Some(user_id) = store::calendar_token_user(conn, &hash(secret)).await? else {
            return Ok(None);
        };
        let Some(user) = msohub_store::users::find_user(conn, user_id).await? else {
            return Ok(None);
        };
        // Checked on every request: a disabled account, or one whose role
        // no longer reads the staff area, gets nothing from its old link.
        let role: msohub_domain::Role = user
            .role
            .parse()
            .unwrap_or(msohub_domain::Role::Representative);
        if user.disabled_at.is_some() || !role.can(Permission::ReadStaffArea) {
            return Ok(None);
        }
        let now = chrono::Utc::now();
        let filter = store::InteractionFilter {
            staff: Some(user_id),
            from: Some(now - Duration::days(PAST_DAYS)),
            to: Some(now + Duration::days(FUTURE_DAYS)),
            ascending: true,
            ..Default::default()
        };
        let (rows, _) = store::list_interactions(conn, &filter, 0, 2_000).await?;
        let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
        let parts = store::participants_of(conn, &ids).await?;
        let mut org_ids = Vec::new();
        for p in parts.values() {
            org_ids.extend(&p.organisations);
        }
        let names = msohub_store::organisations::names(conn, &org_ids).await?;
        let mut events = Vec::new();
        for r in rows {
            let orgs: Vec<String> = parts
                .get(&r.id)
                .map(|p| {
                    p.organisations
                        .iter()
                        .filter_map(|o| names.get(o).cloned())
                        .collect()
                })
                .unwrap_or_default();
            let minutes = i64::from(r.duration_minutes.unwrap_or(60));
            events.push(Event {
                uid: format!("interaction-{}@msohub", r.id),
                when: When::Timed(r.starts_at, r.starts_at + Duration::minutes(minutes)),
                summary: r.subject.clone(),
                description: orgs.join(", "),
                location: String::new(),
                status: match r.status.as_str() {
                    "cancelled" => "CANCELLED",
                    "planned" => "TENTATIVE",
                    _ => "CONFIRMED",
                },
                sequence: r.version,
                stamp: r.updated_at,
            });
        }
        let tasks = store::TaskFilter {
            assignee: Some(user_id),
            due_from: Some((now - Duration::days(PAST_DAYS)).date_naive()),
            ..Default::default()
        };
        let (tasks, _) = store::list_tasks(conn, &tasks, 0, 2_000).await?;
        for t in tasks {
            let done = t.done_at.is_some();
            events.push(Event {
                uid: format!("task-{}@msohub", t.id),
                when: When::Day(t.due_on),
                summary: format!("{}{}", if done { "✓ " } else { "" }, t.title),
                description: t.notes.clone(),
                location: String::new(),
                status: "CONFIRMED",
                sequence: t.version,
                stamp: t.updated_at,
            });
        }
        Ok(Some(calendar(
            &format!("msohub – {}", user.display_name),
            &events,
        )))
    }
}

impl Services {
    fn body_calendar(
        &self,
        body: &msohub_store::bodies::BodyRow,
        meetings: &[msohub_store::bodies::MeetingRow],
    ) -> String {
        let events: Vec<Event> = meetings
            .iter()
            .map(|m| Event {
                uid: format!("meeting-{}@msohub", m.id),
                when: When::Timed(
                    m.starts_at,
                    m.ends_at.unwrap_or(m.starts_at + Duration::hours(2)),
                ),
                summary: format!("{}: {}", body.name, m.title),
                description: String::new(),
                location: if m.place.is_empty() {
                    m.video_link.clone()
                } else {
                    m.place.clone()
                },
                status: if m.status == "cancelled" {
                    "CANCELLED"
                } else {
                    "CONFIRMED"
                },
                sequence: m.version,
                stamp: m.updated_at,
            })
            .collect();
        calendar(&body.name, &events)
    }

    async fn body_meetings(
        &self,
        body: uuid::Uuid,
    ) -> Result<Vec<msohub_store::bodies::MeetingRow>, Error> {
        let filter = msohub_store::bodies::MeetingFilter {
            body: Some(body),
            from: Some(chrono::Utc::now() - Duration::days(PAST_DAYS * 2)),
            ascending: true,
            ..Default::default()
        };
        Ok(
            msohub_store::bodies::list_meetings(self.store.conn(), &filter, 0, 2_000)
                .await?
                .0,
        )
    }

    /// The feed of a public body's meetings; `None` for internal ones.
    pub async fn public_body_feed(&self, body: uuid::Uuid) -> Result<Option<String>, Error> {
        let Some(b) = msohub_store::bodies::find_body(self.store.conn(), body).await? else {
            return Ok(None);
        };
        if !b.is_public || b.deleted_at.is_some() {
            return Ok(None);
        }
        let meetings = self.body_meetings(b.id).await?;
        Ok(Some(self.body_calendar(&b, &meetings)))
    }

    /// The feed of an internal body, for whoever holds its secret.
    pub async fn secret_body_feed(&self, secret: &str) -> Result<Option<String>, Error> {
        let Some(b) =
            msohub_store::bodies::find_body_by_feed_hash(self.store.conn(), &hash(secret))
                .await?
                .filter(|b| b.deleted_at.is_none())
        else {
            return Ok(None);
        };
        let meetings = self.body_meetings(b.id).await?;
        Ok(Some(self.body_calendar(&b, &meetings)))
    }

    /// A new secret feed address for a body (any earlier one stops working).
    pub async fn new_body_feed(&self, actor: &Actor, body: uuid::Uuid) -> Result<String, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let mut row = msohub_store::bodies::find_body(self.store.conn(), body)
            .await?
            .ok_or(Error::NotFound)?;
        let mut bytes = [0u8; 24];
        rand::rng().fill_bytes(&mut bytes);
        let secret = hex::encode(bytes);
        row.feed_secret_hash = Some(hash(&secret));
        let tx = self.store.begin().await?;
        msohub_store::bodies::update_body(&tx, row).await?;
        audit::record(
            &tx,
            actor,
            "body",
            body,
            "calendar_feed_created",
            None,
            None,
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(secret)
    }
}

/// Which public events a feed holds.
#[derive(Debug, Clone)]
pub enum PublicEvents {
    All,
    /// Events of one (publicly listed) organisation.
    Organisation(uuid::Uuid),
    /// Events of one category (`offer_category` term).
    Category(String),
}

impl Services {
    /// A feed of public events anyone may subscribe to: from a year ago on,
    /// cancelled ones marked so. `None` when the organisation is not
    /// publicly listed or the category does not exist.
    pub async fn public_events_feed(&self, which: &PublicEvents) -> Result<Option<String>, Error> {
        let conn = self.store.conn();
        let office = self.office().await?;
        let mut filter = msohub_store::events::EventFilter {
            public: Some(true),
            from: Some(chrono::Utc::now() - Duration::days(365)),
            ascending: true,
            ..Default::default()
        };
        let name = match which {
            PublicEvents::All => format!("Veranstaltungen – {}", office.name),
            PublicEvents::Organisation(id) => {
                let Some(o) = msohub_store::organisations::find(conn, *id)
                    .await?
                    .filter(crate::publication::row_listed)
                else {
                    return Ok(None);
                };
                filter.organisation = Some(*id);
                format!("Veranstaltungen – {}", o.name)
            }
            PublicEvents::Category(code) => {
                let Some(term) = self
                    .terms("offer_category")
                    .await?
                    .into_iter()
                    .find(|t| t.code == *code)
                else {
                    return Ok(None);
                };
                filter.category = Some(code.clone());
                format!("Veranstaltungen: {} – {}", term.label_de, office.name)
            }
        };
        let (rows, _) = msohub_store::events::list_events(conn, &filter, 0, 5_000).await?;
        let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
        let organisers = msohub_store::events::organisers_of(conn, &ids).await?;
        let org_ids: Vec<uuid::Uuid> = organisers.iter().map(|(_, o)| *o).collect();
        // Only organisations listed in the directory are named.
        let names = crate::publication::listed_names(conn, &org_ids).await?;
        let events: Vec<Event> = rows
            .iter()
            .map(|e| {
                let by: Vec<&str> = organisers
                    .iter()
                    .filter(|(ev, _)| *ev == e.id)
                    .filter_map(|(_, o)| names.get(o).map(String::as_str))
                    .collect();
                let mut description = e.description.clone();
                if !by.is_empty() {
                    description = format!("Veranstaltet von {}\n\n{description}", by.join(", "));
                }
                if !e.registration_link.is_empty() {
                    description.push_str(&format!("\n\nAnmeldung: {}", e.registration_link));
                }
                let location = match (e.place.is_empty(), e.online_link.is_empty()) {
                    (false, true) => e.place.clone(),
                    (true, false) => e.online_link.clone(),
                    (false, false) => format!("{} / {}", e.place, e.online_link),
                    (true, true) => String::new(),
                };
                Event {
                    uid: format!("event-{}@msohub", e.id),
                    when: When::Timed(
                        e.starts_at,
                        e.ends_at.unwrap_or(e.starts_at + Duration::hours(2)),
                    ),
                    summary: e.title.clone(),
                    description: description.trim().to_owned(),
                    location,
                    status: if e.status == "cancelled" {
                        "CANCELLED"
                    } else {
                        "CONFIRMED"
                    },
                    sequence: e.version,
                    stamp: e.updated_at,
                }
            })
            .collect();
        Ok(Some(calendar(&name, &events)))
    }
}
