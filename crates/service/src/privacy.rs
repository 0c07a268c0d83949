//! Data-protection duties (DSGVO): subject access (Art. 15), erasure by
//! anonymisation (Art. 17) and retention (expiring consents become
//! follow-ups; people nothing ties to the office any more are listed for
//! deletion).
//!
//! Invariants:
//! - Subject access gathers every table the classification register marks
//!   as referring to a person: the person, affiliations, consents, contacts,
//!   body memberships, meeting attendance, offers naming them as contact,
//!   follow-ups, and the history of changes (who, when, what action).
//! - Erasure keeps every link that only counts (contacts, attendance,
//!   memberships, consent dates), so figures — and finalised reports, which
//!   are frozen snapshots — stay as they were; what identifies the person
//!   (names, contact data, notes, roles, free-text mentions of the name or
//!   address, audit snapshots) is removed in one transaction.
//! - The audit log records the erasure with the reason and counts, never
//!   the erased values.

use crate::people::{Affiliation, Consent};
use crate::{Actor, Error, Services, audit, time};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use msohub_domain::Permission;
use msohub_exchange::document::{Block, Document, Span};
use msohub_store::classification::{ERASURE, Erasure as ClassErasure};
use msohub_store::privacy as store;
use serde::Serialize;
use uuid::Uuid;

/// Everything stored about one person.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubjectAccess {
    pub generated_at: DateTime<Utc>,
    /// The controller: the office's name.
    pub controller: String,
    pub person: PersonData,
    pub affiliations: Vec<Affiliation>,
    pub consents: Vec<Consent>,
    pub contacts: Vec<ContactData>,
    pub memberships: Vec<MembershipData>,
    pub attendance: Vec<AttendanceData>,
    /// Offers naming the person as contact.
    pub offers: Vec<OfferData>,
    pub follow_ups: Vec<FollowUpData>,
    /// The mailings sent to the person: what, when, to which address, and
    /// whether it arrived.
    pub mailings: Vec<MailingData>,
    /// Changes to the person's record: when, by whom, what.
    pub history: Vec<HistoryData>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonData {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub languages: Vec<String>,
    pub notes: String,
    pub deleted: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ContactData {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub kind: String,
    pub status: String,
    pub subject: String,
    pub notes: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MembershipData {
    pub body: String,
    pub role: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttendanceData {
    pub meeting: String,
    pub starts_at: DateTime<Utc>,
    pub status: String,
    pub mode: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfferData {
    pub id: Uuid,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FollowUpData {
    pub id: Uuid,
    pub title: String,
    pub due_on: NaiveDate,
    pub done: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MailingData {
    pub mailing_id: Uuid,
    pub subject: String,
    pub address: String,
    pub queued_at: DateTime<Utc>,
    /// pending, sent, failed
    pub status: String,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryData {
    pub at: DateTime<Utc>,
    pub by: String,
    pub action: String,
}

/// What an erasure changed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Erasure {
    pub person_id: Uuid,
    /// Rows of the person's own records changed or removed.
    pub records: u64,
    /// Free-text fields (notes, minutes, history snapshots) where the name
    /// or contact data was replaced.
    pub mentions: u64,
}

/// A consent that ends soon.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExpiringConsent {
    pub consent_id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub purpose: String,
    pub expires_on: NaiveDate,
    /// Whether an open follow-up for it exists.
    pub has_follow_up: bool,
}

/// A person nothing ties to the office any more.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeletionCandidate {
    pub person_id: Uuid,
    pub name: String,
    pub last_change: DateTime<Utc>,
}

/// The retention view.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Retention {
    /// Consents ending within this many days are listed.
    pub days: i64,
    /// People without affiliation, consent and activity for this many
    /// months are listed for deletion.
    pub months: i64,
    pub expiring: Vec<ExpiringConsent>,
    pub candidates: Vec<DeletionCandidate>,
}

/// The defaults of the retention view.
pub const DEFAULT_DAYS: i64 = 30;
pub const DEFAULT_MONTHS: i64 = 24;

/// The title of the follow-up for an expiring consent.
fn follow_up_title(purpose: &str, expires_on: NaiveDate) -> String {
    format!(
        "Einwilligung „{purpose}“ läuft am {} ab",
        expires_on.format("%d.%m.%Y")
    )
}

impl Services {
    /// Everything stored about a person (GDPR Art. 15). Recorded in the
    /// audit log.
    pub async fn subject_access(&self, actor: &Actor, id: Uuid) -> Result<SubjectAccess, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let conn = self.store.conn();
        let person = self.get_person(actor, id).await?;
        let contacts = store::interactions_of(conn, id)
            .await?
            .into_iter()
            .map(|i| ContactData {
                id: i.id,
                starts_at: i.starts_at,
                kind: i.kind,
                status: i.status,
                subject: i.subject,
                notes: i.notes,
            })
            .collect();
        let memberships = store::memberships_of(conn, id)
            .await?
            .into_iter()
            .map(|(m, body)| MembershipData {
                body,
                role: m.role,
                from: m.from_date,
                to: m.to_date,
            })
            .collect();
        let attendance = store::attendance_of(conn, id)
            .await?
            .into_iter()
            .map(|(meeting, starts_at, status, mode)| AttendanceData {
                meeting,
                starts_at,
                status,
                mode,
            })
            .collect();
        let offers = store::offers_of(conn, id)
            .await?
            .into_iter()
            .map(|(id, title)| OfferData { id, title })
            .collect();
        let follow_ups = store::tasks_of(conn, id)
            .await?
            .into_iter()
            .map(|(id, title, due_on, done)| FollowUpData {
                id,
                title,
                due_on,
                done,
            })
            .collect();
        let mailings = msohub_store::mailings::messages_to(conn, id)
            .await?
            .into_iter()
            .filter_map(|m| {
                Some(MailingData {
                    mailing_id: m.mailing_id?,
                    subject: m.subject,
                    address: m.to_address,
                    queued_at: m.created_at,
                    status: m.status,
                    sent_at: m.sent_at,
                })
            })
            .collect();
        let history = store::audit_of(conn, id)
            .await?
            .into_iter()
            .map(|a| HistoryData {
                at: a.at,
                by: a.actor_label,
                action: a.action,
            })
            .collect();
        let access = SubjectAccess {
            generated_at: Utc::now(),
            controller: self.office().await?.name,
            person: PersonData {
                id: person.id,
                given_name: person.given_name.clone(),
                family_name: person.family_name.clone(),
                email: person.email.clone(),
                phone: person.phone.clone(),
                languages: person.languages.clone(),
                notes: person.notes.clone(),
                deleted: person.deleted,
            },
            affiliations: person.affiliations,
            consents: person.consents,
            contacts,
            memberships,
            attendance,
            offers,
            follow_ups,
            mailings,
            history,
        };
        let tx = self.store.begin().await?;
        audit::record(&tx, actor, "person", id, "subject_access", None, None).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(access)
    }

    /// Makes a person anonymous everywhere (GDPR Art. 17); administrators
    /// only, with a reason. Counts stay; finalised reports are untouched.
    pub async fn erase_person(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: &str,
    ) -> Result<Erasure, Error> {
        actor.require(Permission::ManageUsers)?;
        let reason = msohub_domain::organisation::parse_name("reason", reason, 500)
            .map_err(|e| Error::field(e.field, e.rule))?;
        let tx = self.store.begin().await?;
        let person = msohub_store::people::find_person(&tx, id)
            .await?
            .ok_or(Error::NotFound)?;
        if store::audit_of(&tx, id)
            .await?
            .iter()
            .any(|a| a.action == "erase")
        {
            return Err(Error::Conflict("the person was already erased".to_owned()));
        }
        // What identifies the person in free text: the full name both ways
        // round, the e-mail address and the phone number.
        let mut needles = vec![
            format!("{} {}", person.given_name, person.family_name),
            format!("{}, {}", person.family_name, person.given_name),
        ];
        needles.extend(person.email.clone());
        needles.extend(
            person
                .phone
                .clone()
                .filter(|p| p.chars().filter(char::is_ascii_digit).count() >= 6),
        );
        let matcher = store::Needles::new(&needles);
        let records = store::anonymise_person(&tx, id, Utc::now()).await?;
        if let Some(email) = &person.email {
            store::cancel_mail_to(&tx, email).await?;
        }
        // Every personal or free-text column is treated as the
        // classification register says (see `classification::ERASURE`).
        let mut mentions = 0;
        for (table, key, columns) in ERASURE {
            let scrubbed: Vec<&str> = columns
                .iter()
                .filter(|(_, e)| *e == ClassErasure::Scrub)
                .map(|(c, _)| *c)
                .collect();
            if !scrubbed.is_empty() {
                let keys = store::scrub(&tx, table, key, &scrubbed, &matcher, "[gelöscht]").await?;
                mentions += keys.len() as u64;
                // Records of the public directory go into the change feed,
                // so the search indexes and caches drop the mention too.
                if matches!(*table, "organisation" | "offer" | "event") {
                    for id in keys.iter().collect::<std::collections::BTreeSet<_>>() {
                        audit::record(&tx, actor, table, id.as_str(), "erase_mention", None, None)
                            .await?;
                    }
                }
            }
            if columns.iter().any(|(_, e)| *e == ClassErasure::DeleteRow) {
                debug_assert_eq!(*table, "import_upload");
                mentions += store::delete_uploads(&tx).await?;
            }
        }
        // The reason is kept, but not the name or address it may mention.
        let reason = matcher.clean(&reason, "[gelöscht]").unwrap_or(reason);
        audit::record(
            &tx,
            actor,
            "person",
            id,
            "erase",
            None,
            Some(serde_json::json!({ "reason": reason, "records": records, "mentions": mentions })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        // This node's indexes (and with them its public cache) follow at
        // once, not at the next tick; other nodes within a second.
        if let Err(err) = self.follow_search_feed().await {
            tracing::warn!(error = %err, "the search index did not follow the erasure yet");
        }
        Ok(Erasure {
            person_id: id,
            records,
            mentions,
        })
    }

    /// Consents ending within `days` (at least 1, at most 365), each with
    /// whether an open follow-up for it exists.
    async fn expiring_consents(&self, days: i64) -> Result<Vec<ExpiringConsent>, Error> {
        if !(1..=365).contains(&days) {
            return Err(Error::field("days", "number-invalid"));
        }
        let conn = self.store.conn();
        let today = time::today();
        let mut expiring = Vec::new();
        for (c, given, family) in
            store::expiring_consents(conn, today, today + Duration::days(days)).await?
        {
            let title = follow_up_title(&c.purpose, c.expires_on.unwrap_or(today));
            let has_follow_up = store::tasks_of(conn, c.person_id)
                .await?
                .iter()
                .any(|(_, t, _, done)| !done && *t == title);
            expiring.push(ExpiringConsent {
                consent_id: c.id,
                person_id: c.person_id,
                person_name: format!("{given} {family}"),
                purpose: c.purpose,
                expires_on: c.expires_on.unwrap_or(today),
                has_follow_up,
            });
        }
        Ok(expiring)
    }

    /// Consents ending within `days` and people nothing has tied to the
    /// office for `months`.
    pub async fn retention(
        &self,
        actor: &Actor,
        days: i64,
        months: i64,
    ) -> Result<Retention, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let expiring = self.expiring_consents(days).await?;
        if !(1..=120).contains(&months) {
            return Err(Error::field("months", "number-invalid"));
        }
        let conn = self.store.conn();
        let today = time::today();
        let since = Utc::now() - Duration::days(months * 30);
        let candidates = store::retention_candidates(conn, today, since)
            .await?
            .into_iter()
            .map(
                |(person_id, given, family, last_change)| DeletionCandidate {
                    person_id,
                    name: format!("{given} {family}"),
                    last_change,
                },
            )
            .collect();
        Ok(Retention {
            days,
            months,
            expiring,
            candidates,
        })
    }

    /// What the server runs every hour: follow-ups for the consents ending
    /// within the default days, for the longest-standing active
    /// administrator (none without one). Returns how many were created.
    pub async fn remind_expiring_consents_automatically(&self) -> Result<usize, Error> {
        let users = msohub_store::users::list_users(self.store.conn()).await?;
        let Some(admin) = users
            .iter()
            .filter(|u| u.role == "admin" && u.disabled_at.is_none())
            .min_by_key(|u| u.created_at)
        else {
            return Ok(0);
        };
        self.remind_expiring_consents(&Actor::cli(), admin.id, DEFAULT_DAYS)
            .await
    }

    /// Creates a follow-up for every consent ending within `days` that has
    /// none yet, due a week before it ends (today at the earliest), for
    /// `assignee`. Returns how many were created.
    pub async fn remind_expiring_consents(
        &self,
        actor: &Actor,
        assignee: Uuid,
        days: i64,
    ) -> Result<usize, Error> {
        // Only the consents: the deletion candidates are not needed here.
        actor.require(Permission::WriteStaffArea)?;
        let expiring = self.expiring_consents(days).await?;
        let today = time::today();
        let mut created = 0;
        for c in expiring.iter().filter(|c| !c.has_follow_up) {
            let due = (c.expires_on - Duration::days(7)).max(today);
            self.create_task(
                actor,
                &crate::tasks::TaskInput {
                    title: follow_up_title(&c.purpose, c.expires_on),
                    notes: format!(
                        "Die Einwilligung von {} für „{}“ endet am {}. Bitte erneuern lassen oder die Daten, die nur auf ihr beruhen, löschen.",
                        c.person_name,
                        c.purpose,
                        c.expires_on.format("%d.%m.%Y")
                    ),
                    due_on: due.format("%Y-%m-%d").to_string(),
                    assignee_id: assignee.to_string(),
                    link_type: "person".into(),
                    link_id: c.person_id.to_string(),
                    done: false,
                    version: 0,
                },
            )
            .await?;
            created += 1;
        }
        Ok(created)
    }
}

/// The subject access as a document (German), for the PDF.
pub fn document(a: &SubjectAccess) -> Document {
    let date = |d: DateTime<Utc>| time::local_input(d).replace('T', " ");
    let day = |d: Option<NaiveDate>| {
        d.map(|d| d.format("%d.%m.%Y").to_string())
            .unwrap_or_default()
    };
    let p = &a.person;
    let mut blocks = vec![
        Block::Heading {
            level: 1,
            text: format!(
                "Auskunft nach Art. 15 DSGVO: {} {}",
                p.given_name, p.family_name
            ),
        },
        Block::Paragraph(vec![
            Span::Text(format!(
                "Verantwortlich: {}. Stand: {}. ",
                a.controller,
                date(a.generated_at)
            )),
            Span::Text(
                "Diese Auskunft enthält alle Daten, die msohub zu der Person speichert.".into(),
            ),
        ]),
        Block::Heading {
            level: 2,
            text: "Stammdaten".into(),
        },
        Block::Table {
            caption: "Stammdaten".into(),
            headers: vec!["Angabe".into(), "Wert".into()],
            rows: vec![
                vec!["Vorname".into(), p.given_name.clone()],
                vec!["Nachname".into(), p.family_name.clone()],
                vec!["E-Mail".into(), p.email.clone().unwrap_or_default()],
                vec!["Telefon".into(), p.phone.clone().unwrap_or_default()],
                vec!["Sprachen".into(), p.languages.join(", ")],
                vec!["Notizen".into(), p.notes.clone()],
            ],
        },
    ];
    let mut section = |title: &str, headers: &[&str], rows: Vec<Vec<String>>| {
        blocks.push(Block::Heading {
            level: 2,
            text: title.to_owned(),
        });
        if rows.is_empty() {
            blocks.push(Block::text("Keine."));
        } else {
            blocks.push(Block::Table {
                caption: title.to_owned(),
                headers: headers.iter().map(|h| (*h).to_owned()).collect(),
                rows,
            });
        }
    };
    section(
        "Funktionen in Organisationen",
        &["Organisation", "Funktion", "von", "bis"],
        a.affiliations
            .iter()
            .map(|f| {
                vec![
                    f.organisation_name.clone(),
                    f.role.clone(),
                    day(f.from),
                    day(f.to),
                ]
            })
            .collect(),
    );
    section(
        "Einwilligungen",
        &["Zweck", "erteilt", "Quelle", "gültig bis", "widerrufen"],
        a.consents
            .iter()
            .map(|c| {
                vec![
                    c.purpose.clone(),
                    day(Some(c.given_on)),
                    c.source.clone(),
                    day(c.expires_on),
                    day(c.withdrawn_on),
                ]
            })
            .collect(),
    );
    section(
        "Kontakte",
        &["Datum", "Art", "Stand", "Betreff", "Notizen"],
        a.contacts
            .iter()
            .map(|c| {
                vec![
                    date(c.starts_at),
                    c.kind.clone(),
                    c.status.clone(),
                    c.subject.clone(),
                    c.notes.clone(),
                ]
            })
            .collect(),
    );
    section(
        "Mitgliedschaften in Gremien",
        &["Gremium", "Rolle", "von", "bis"],
        a.memberships
            .iter()
            .map(|m| vec![m.body.clone(), m.role.clone(), day(m.from), day(m.to)])
            .collect(),
    );
    section(
        "Teilnahme an Sitzungen",
        &["Sitzung", "Datum", "Teilnahme", "Form"],
        a.attendance
            .iter()
            .map(|m| {
                vec![
                    m.meeting.clone(),
                    date(m.starts_at),
                    m.status.clone(),
                    m.mode.clone(),
                ]
            })
            .collect(),
    );
    section(
        "Ansprechperson für Angebote",
        &["Angebot"],
        a.offers.iter().map(|o| vec![o.title.clone()]).collect(),
    );
    section(
        "Wiedervorlagen",
        &["Titel", "fällig", "erledigt"],
        a.follow_ups
            .iter()
            .map(|t| {
                vec![
                    t.title.clone(),
                    day(Some(t.due_on)),
                    if t.done { "ja" } else { "nein" }.into(),
                ]
            })
            .collect(),
    );
    section(
        "Änderungen am Datensatz",
        &["Zeit", "durch", "Aktion"],
        a.history
            .iter()
            .map(|h| vec![date(h.at), h.by.clone(), h.action.clone()])
            .collect(),
    );
    Document {
        title: format!("Auskunft {} {}", p.given_name, p.family_name),
        lang: "de".into(),
        blocks,
    }
}
